// Programme workflows: consent -> referral -> enrolment -> attendance -> completed / dropped
// out. A referral without recorded consent is refused.
#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

Result<std::string> Workspace::Execute(const RecordConsent& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts cf, RequireCaseWrite(ctx, c.case_id));
    if (cf.status == CaseStatus::kClosed) return Immutable("case", c.case_id, "closed");
    LV_TRY(RequireRow(ctx, "programme", c.programme_id, "programme_id"));
    LV_ASSIGN(auto given_on, DateOr(c.given_on, "given_on", ctx.today));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "consent", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"programme_id", Str(c.programme_id)},
                     {"decision", Enum(c.decision)},
                     {"given_on", Str(given_on)},
                     {"recorded_by", Str(actor_.user_id)},
                     {"recorded_at", Str(ctx.now)}}));
    return id;
  });
}

// The consent in force for (case, programme): the latest recorded decision, if it is "given".
static Result<std::string> ConsentInForce(Ctx& ctx, std::string_view case_id,
                                          std::string_view programme_id) {
  LV_ASSIGN(Statement st,
            ctx.db.Prepare("SELECT id, decision FROM consent WHERE case_id=? AND programme_id=? "
                           "ORDER BY given_on DESC, recorded_at DESC, rowid DESC LIMIT 1"));
  st.BindAll(case_id, programme_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row || st.Text(1) != Code(ConsentDecision::kGiven)) {
    return MakeError(Errc::kValidation,
                     "consent: the client's consent to this programme is not recorded");
  }
  return st.Text(0);
}

Result<std::string> Workspace::Execute(const ReferToProgramme& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts cf, RequireCaseWrite(ctx, c.case_id));
    if (cf.status == CaseStatus::kClosed) return Immutable("case", c.case_id, "closed");
    LV_TRY(RequireRow(ctx, "programme", c.programme_id, "programme_id"));
    if (!c.need) return MakeError(Errc::kValidation, "need: required for a referral");
    std::optional<RiskLevel> risk = c.risk_level;
    if (!risk) {
      LV_ASSIGN(Statement st, db_.Prepare("SELECT risk_level FROM assessment WHERE case_id=? "
                                          "ORDER BY assessed_on DESC, rowid DESC LIMIT 1"));
      st.Bind(1, c.case_id);
      LV_ASSIGN(bool row, st.Step());
      if (row) risk = FromCode<RiskLevel>(st.Text(0));
    }
    if (!risk)
      return MakeError(Errc::kValidation, "risk_level: no assessment records a risk level");
    LV_ASSIGN(std::string consent_id, ConsentInForce(ctx, c.case_id, c.programme_id));
    LV_ASSIGN(auto referred_on, DateOr(c.referred_on, "referred_on", ctx.today));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "referral", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"programme_id", Str(c.programme_id)},
                     {"consent_id", Str(consent_id)},
                     {"need", Enum(*c.need)},
                     {"risk_level", Enum(*risk)},
                     {"status", Enum(ReferralStatus::kReferred)},
                     {"referred_on", Str(referred_on)}}));
    return id;
  });
}

struct ReferralFacts {
  std::string case_id;
  ReferralStatus status = ReferralStatus::kReferred;
};

static Result<ReferralFacts> LoadReferral(Ctx& ctx, std::string_view referral_id) {
  ReferralFacts r;
  LV_ASSIGN(r.case_id, CaseOfRow(ctx, "referral", referral_id));
  LV_TRY(RequireCaseWrite(ctx, r.case_id));
  LV_ASSIGN(Statement st, ctx.db.Prepare("SELECT status FROM referral WHERE id=?"));
  st.Bind(1, referral_id);
  LV_ASSIGN(bool row, st.Step());
  if (row) r.status = DecodeOr(st.Text(0), ReferralStatus::kReferred);
  return r;
}

Result<std::string> Workspace::Execute(const EnrolInProgramme& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(ReferralFacts r, LoadReferral(ctx, c.referral_id));
    if (r.status != ReferralStatus::kReferred) {
      return MakeError(Errc::kValidation, "referral_id: only a referred client can be enrolled");
    }
    LV_ASSIGN(auto enrolled_on, DateOr(c.enrolled_on, "enrolled_on", ctx.today));
    LV_TRY(
        WriteRow(ctx, "referral", c.referral_id, CaseScope(r.case_id),
                 {{"status", Enum(ReferralStatus::kEnrolled)}, {"enrolled_on", Str(enrolled_on)}}));
    return c.referral_id;
  });
}

Result<std::string> Workspace::Execute(const RecordAttendance& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(ReferralFacts r, LoadReferral(ctx, c.referral_id));
    if (r.status != ReferralStatus::kEnrolled) {
      return MakeError(Errc::kValidation, "referral_id: attendance needs an enrolment in progress");
    }
    LV_ASSIGN(auto session_on, DateOr(c.session_on, "session_on", ctx.today));
    LV_ASSIGN(auto note, Text(c.note, "note", 1000, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "attendance", id, CaseScope(r.case_id),
                    {{"referral_id", Str(c.referral_id)},
                     {"case_id", Str(r.case_id)},
                     {"session_on", Str(session_on)},
                     {"attended", Int(c.attended ? 1 : 0)},
                     {"note", Opt(note)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const EndReferral& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(ReferralFacts r, LoadReferral(ctx, c.referral_id));
    if (r.status != ReferralStatus::kReferred && r.status != ReferralStatus::kEnrolled) {
      return Immutable("referral", c.referral_id, "ended");
    }
    const bool final_status = c.status == ReferralStatus::kCompleted ||
                              c.status == ReferralStatus::kDroppedOut ||
                              c.status == ReferralStatus::kCancelled;
    if (!final_status)
      return MakeError(Errc::kValidation, "status: completed, dropped_out or cancelled");
    if (c.status == ReferralStatus::kCompleted && r.status != ReferralStatus::kEnrolled) {
      return MakeError(Errc::kValidation,
                       "status: only an enrolled client can complete a programme");
    }
    LV_ASSIGN(auto ended_on, DateOr(c.ended_on, "ended_on", ctx.today));
    LV_TRY(WriteRow(ctx, "referral", c.referral_id, CaseScope(r.case_id),
                    {{"status", Enum(c.status)}, {"ended_on", Str(ended_on)}}));
    return c.referral_id;
  });
}

}  // namespace lietvedis::client
