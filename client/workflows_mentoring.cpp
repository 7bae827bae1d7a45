// Volunteer and mentoring workflows (scopes volunteers:<unit_id> and mentoring:<case_id>), and
// MAPPA inter-institutional meetings (scope unit:<unit_id>).
//
// The coordinator never reads case scopes: assignment checks use the client card in the
// mentoring scope, and the assignment row carries the volunteer's display name so that the
// officer, who does not read the volunteer register, can see who mentors the client.
#include <algorithm>

#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

constexpr size_t kMentoringNote = 1000;           // "short note (restricted)"
constexpr std::int64_t kMaxCircleVolunteers = 5;  // a circle of support and accountability

struct VolunteerFacts {
  std::string unit_id, display_name;
  VolunteerKind kind = VolunteerKind::kPeerMentor;
  VolunteerStage stage = VolunteerStage::kApplication;
};

Result<VolunteerFacts> LoadVolunteer(Ctx& ctx, std::string_view id) {
  LV_TRY(RequireId(id, "volunteer_id"));
  LV_ASSIGN(Statement st,
            ctx.db.Prepare("SELECT unit_id, name, surname, kind, stage FROM volunteer WHERE id=?"));
  st.Bind(1, id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("volunteer", id);
  VolunteerFacts v;
  v.unit_id = st.Text(0);
  v.display_name = st.Text(1) + " " + st.Text(2);
  v.kind = DecodeOr(st.Text(3), VolunteerKind::kPeerMentor);
  v.stage = DecodeOr(st.Text(4), VolunteerStage::kApplication);
  return v;
}

}  // namespace

Result<std::string> Workspace::Execute(const RegisterVolunteer& c) {
  LV_WORKSPACE_CTX;
  const std::string unit_id = c.unit_id.empty() ? actor_.unit_id : c.unit_id;
  if (!CanWriteVolunteers(actor_, unit_id)) return NotPermitted("register volunteers");
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(auto name, Text(c.name, "name", kName, true));
    LV_ASSIGN(auto surname, Text(c.surname, "surname", kName, true));
    LV_ASSIGN(auto phone, Text(c.phone, "phone", 40, false));
    LV_ASSIGN(auto email, Text(c.email, "email", 200, false));
    if (!email.empty() && email.find('@') == std::string::npos) {
      return MakeError(Errc::kValidation, "email: not an e-mail address");
    }
    LV_ASSIGN(auto registered_on, DateOr(c.registered_on, "registered_on", ctx.today));
    const std::string id = sync::Replica::NewId();
    const std::string scope = VolunteersScope(unit_id);
    LV_TRY(WriteRow(ctx, "volunteer", id, scope,
                    {{"unit_id", Str(unit_id)},
                     {"name", Str(name)},
                     {"surname", Str(surname)},
                     {"phone", Opt(phone)},
                     {"email", Opt(email)},
                     {"kind", Enum(c.kind)},
                     {"stage", Enum(VolunteerStage::kApplication)},
                     {"registered_on", Str(registered_on)}}));
    LV_TRY(WriteRow(ctx, "volunteer_stage", sync::Replica::NewId(), scope,
                    {{"volunteer_id", Str(id)},
                     {"stage", Enum(VolunteerStage::kApplication)},
                     {"on_date", Str(registered_on)},
                     {"by_user_id", Str(actor_.user_id)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const AdvanceVolunteerStage& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(VolunteerFacts v, LoadVolunteer(ctx, c.volunteer_id));
    if (!CanWriteVolunteers(actor_, v.unit_id))
      return NotPermitted("change volunteer " + c.volunteer_id);
    if (v.stage == VolunteerStage::kWithdrawn)
      return Immutable("volunteer", c.volunteer_id, "withdrawn");
    const bool next = static_cast<int>(c.stage) == static_cast<int>(v.stage) + 1 &&
                      c.stage != VolunteerStage::kWithdrawn;
    if (!next && c.stage != VolunteerStage::kWithdrawn && v.stage == VolunteerStage::kCertified) {
      return MakeError(Errc::kValidation, "stage: the volunteer is already certified");
    }
    if (!next && c.stage != VolunteerStage::kWithdrawn) {
      return MakeError(
          Errc::kValidation,
          "stage: the next stage after " + std::string(Code(v.stage)) + " is " +
              std::string(Code(static_cast<VolunteerStage>(static_cast<int>(v.stage) + 1))));
    }
    LV_ASSIGN(auto on_date, DateOr(c.on_date, "on_date", ctx.today));
    LV_ASSIGN(auto note, Text(c.note, "note", kMentoringNote, false));
    const std::string scope = VolunteersScope(v.unit_id);
    LV_TRY(WriteRow(ctx, "volunteer", c.volunteer_id, scope, {{"stage", Enum(c.stage)}}));
    LV_TRY(WriteRow(ctx, "volunteer_stage", sync::Replica::NewId(), scope,
                    {{"volunteer_id", Str(c.volunteer_id)},
                     {"stage", Enum(c.stage)},
                     {"on_date", Str(on_date)},
                     {"by_user_id", Str(actor_.user_id)},
                     {"note", Opt(note)}}));
    return c.volunteer_id;
  });
}

// ---------------------------------------------------------------------------------------
// Referral to peer mentoring (case scope; the officer's decision, with the client's consent)

Result<std::string> Workspace::Execute(const ReferToMentoring& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts cf, RequireCaseWrite(ctx, c.case_id));
    if (cf.status == CaseStatus::kClosed) return Immutable("case", c.case_id, "closed");
    if (!cf.owner.transfer_unit_id.empty()) {
      // The mentor would be a volunteer of a unit the case may leave (workflows_transfer.cpp).
      return MakeError(Errc::kValidation,
                       "case_id: a transfer to unit " + cf.owner.transfer_unit_id + " waits");
    }
    LV_ASSIGN(auto consent_on, Date(c.consent_on, "consent_on", true));
    if (consent_on > ctx.today) return MakeError(Errc::kValidation, "consent_on: in the future");
    LV_ASSIGN(auto referred_on, DateOr(c.referred_on, "referred_on", ctx.today));
    if (referred_on < consent_on) {
      return MakeError(Errc::kValidation, "referred_on: before the client's consent");
    }
    LV_ASSIGN(std::int64_t active,
              db_.QueryInt("SELECT count(*) FROM mentoring_referral WHERE case_id=? AND "
                           "ended_on IS NULL",
                           c.case_id));
    if (active > 0) {
      return MakeError(Errc::kValidation,
                       "case_id: the client is already referred for peer mentoring");
    }
    if (c.circle) {
      // The domain marks a sex-offence case by the client's tag (client.tags).
      LV_ASSIGN(Statement tags, db_.Prepare("SELECT tags FROM client WHERE id=?"));
      tags.Bind(1, cf.client_id);
      LV_ASSIGN(bool found, tags.Step());
      const auto codes = SplitCodes<ClientTag>(found ? tags.Text(0) : std::string());
      if (std::find(codes.begin(), codes.end(), ClientTag::kSexOffence) == codes.end()) {
        return MakeError(Errc::kValidation,
                         "circle: a circle of support is for a sex-offence case only");
      }
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "mentoring_referral", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"consent_on", Str(consent_on)},
                     {"referred_on", Str(referred_on)},
                     {"referred_by", Str(actor_.user_id)},
                     {"circle", Int(c.circle ? 1 : 0)}}));
    LV_TRY(RefreshClientCard(ctx, c.case_id));
    return id;
  });
}

Result<std::string> Workspace::Execute(const EndMentoringReferral& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "mentoring_referral", c.referral_id));
    LV_ASSIGN(CaseFacts cf, RequireCaseWrite(ctx, case_id));
    (void)cf;
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT referred_on, ended_on IS NOT NULL FROM mentoring_referral "
                          "WHERE id=?"));
    st.Bind(1, c.referral_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("mentoring_referral", c.referral_id);
    const std::string referred_on = st.Text(0);
    if (st.Int(1) != 0) return Immutable("mentoring_referral", c.referral_id, "ended");
    LV_ASSIGN(auto ended_on, DateOr(c.ended_on, "ended_on", ctx.today));
    if (ended_on < referred_on)
      return MakeError(Errc::kValidation, "ended_on: before the referral");
    if (ended_on > ctx.today) return MakeError(Errc::kValidation, "ended_on: in the future");
    LV_TRY(WriteRow(ctx, "mentoring_referral", c.referral_id, CaseScope(case_id),
                    {{"ended_on", Str(ended_on)}, {"ended_by", Str(actor_.user_id)}}));
    LV_TRY(RefreshClientCard(ctx, case_id));
    return c.referral_id;
  });
}

Result<std::int64_t> Workspace::ApplyClientCardRules() {
  LV_WORKSPACE_CTX;
  if (actor_.role != Role::kOfficer || !actor_.active) return std::int64_t{0};
  LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(db_));
  // The actor's case files with a card to check: a live card (its grace may have passed) or
  // one that schema step 4 changed in place and that must travel through the replica.
  LV_ASSIGN(Statement st, db_.Prepare("SELECT c.id, r.case_id IS NOT NULL FROM probation_case c"
                                      " JOIN client_card k ON k.id=c.id"
                                      " LEFT JOIN client_card_rewrite r ON r.case_id=c.id"
                                      " WHERE c.responsible_officer_id=? AND c.unit_id=?"
                                      "  AND (k.voided_at IS NULL OR r.case_id IS NOT NULL)"));
  st.BindAll(actor_.user_id, actor_.unit_id);
  std::vector<std::pair<std::string, bool>> cases;
  for (;;) {
    LV_ASSIGN(bool more, st.Step());
    if (!more) break;
    cases.emplace_back(st.Text(0), st.Int(1) != 0);
  }
  std::int64_t written = 0;
  for (const auto& [case_id, migrated] : cases) {
    LV_ASSIGN(CardState state, ClientCardState(ctx, case_id, actor_.unit_id));
    if (state == CardState::kNotReferred || migrated) {
      LV_TRY(RefreshClientCard(ctx, case_id));
      ++written;
    }
    if (migrated) {
      LV_ASSIGN(Statement * del, db_.Cached("DELETE FROM client_card_rewrite WHERE case_id=?"));
      del->Bind(1, case_id);
      LV_ASSIGN(bool deleted_row, del->Step());
      (void)deleted_row;
      del->Reset();
    }
  }
  LV_TRY(tx.Commit());
  return written;
}

Result<std::string> Workspace::Execute(const AssignMentor& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseOwnership owner, LoadMentoringOwner(ctx, c.case_id));
    if (!CanWriteMentoring(actor_, owner))
      return NotPermitted("assign mentors to case " + c.case_id);
    LV_ASSIGN(std::int64_t voided,
              db_.QueryInt("SELECT voided_at IS NOT NULL FROM client_card WHERE id=?", c.case_id));
    if (voided) {
      return MakeError(Errc::kValidation,
                       "case_id: the client is no longer referred for peer mentoring");
    }
    LV_ASSIGN(std::int64_t circle,
              db_.QueryInt("SELECT coalesce(circle, 0) FROM client_card WHERE id=?", c.case_id));
    LV_ASSIGN(VolunteerFacts v, LoadVolunteer(ctx, c.volunteer_id));
    if (v.unit_id != owner.unit_id)
      return MakeError(Errc::kValidation, "volunteer_id: a volunteer of another unit");
    if (v.stage != VolunteerStage::kCertified) {
      return MakeError(Errc::kValidation, "volunteer_id: the volunteer is not certified");
    }
    if (v.kind == VolunteerKind::kMediator) {
      return MakeError(Errc::kValidation, "volunteer_id: a mediator is not a peer mentor");
    }
    LV_ASSIGN(std::int64_t active,
              db_.QueryInt("SELECT count(*) FROM mentor_assignment WHERE case_id=? AND "
                           "ended_on IS NULL",
                           c.case_id));
    if (circle != 0) {
      // A circle of support: several certified circle members, each once, at most five.
      if (v.kind != VolunteerKind::kCircleMember) {
        return MakeError(Errc::kValidation,
                         "volunteer_id: a circle of support takes circle members only");
      }
      LV_ASSIGN(std::int64_t already,
                db_.QueryInt("SELECT count(*) FROM mentor_assignment WHERE case_id=? AND "
                             "volunteer_id=? AND ended_on IS NULL",
                             c.case_id, c.volunteer_id));
      if (already > 0) {
        return MakeError(Errc::kValidation,
                         "volunteer_id: the volunteer is already in the client's circle");
      }
      if (active >= kMaxCircleVolunteers) {
        return MakeError(Errc::kValidation,
                         "case_id: a circle of support has at most 5 volunteers");
      }
    } else if (active > 0) {
      return MakeError(Errc::kValidation, "case_id: the client already has a mentor");
    }
    LV_ASSIGN(auto started_on, DateOr(c.started_on, "started_on", ctx.today));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "mentor_assignment", id, MentoringScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"volunteer_id", Str(c.volunteer_id)},
                     {"volunteer_name", Str(v.display_name)},
                     {"started_on", Str(started_on)},
                     {"assigned_by", Str(actor_.user_id)}}));
    return id;
  });
}

struct AssignmentFacts {
  std::string case_id, started_on, ended_on;
};

static Result<AssignmentFacts> LoadAssignment(Ctx& ctx, std::string_view assignment_id,
                                              bool must_be_active) {
  LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "mentor_assignment", assignment_id));
  LV_ASSIGN(CaseOwnership owner, LoadMentoringOwner(ctx, case_id));
  if (!CanWriteMentoring(ctx.actor, owner))
    return NotPermitted("change mentoring of case " + case_id);
  LV_ASSIGN(Statement st,
            ctx.db.Prepare("SELECT started_on, ended_on FROM mentor_assignment WHERE id=?"));
  st.Bind(1, assignment_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("mentor_assignment", assignment_id);
  AssignmentFacts a{case_id, st.Text(0), st.Text(1)};
  if (must_be_active && !a.ended_on.empty())
    return Immutable("mentor_assignment", assignment_id, "ended");
  return a;
}

// 'YYYY-MM-DD' as 'dd.mm.yyyy' for messages.
static std::string DayText(const std::string& iso) {
  if (iso.size() < 10) return iso;
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

Result<std::string> Workspace::Execute(const EndMentorAssignment& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(AssignmentFacts a, LoadAssignment(ctx, c.assignment_id, true));
    const std::string& case_id = a.case_id;
    LV_ASSIGN(auto ended_on, DateOr(c.ended_on, "ended_on", ctx.today));
    if (!a.started_on.empty() && ended_on < a.started_on)
      return MakeError(Errc::kValidation, "ended_on: before started_on");
    LV_ASSIGN(Statement last, db_.Prepare("SELECT max(held_on) FROM mentoring_session"
                                          " WHERE assignment_id=?"));
    last.Bind(1, c.assignment_id);
    LV_ASSIGN(bool any, last.Step());
    if (any && !last.Text(0).empty() && ended_on < last.Text(0)) {
      return MakeError(Errc::kValidation,
                       "ended_on: before a logged session of " + DayText(last.Text(0)));
    }
    LV_TRY(WriteRow(ctx, "mentor_assignment", c.assignment_id, MentoringScope(case_id),
                    {{"ended_on", Str(ended_on)}}));
    return c.assignment_id;
  });
}

// Which assignment a session log belongs to (rules above LogMentoringSession in
// workspace.hpp): the one named, or the client's active assignment of the chosen volunteer.
// A circle of support has several active assignments, so the coordinator chooses.
static Result<std::string> ChooseAssignment(Ctx& ctx, const LogMentoringSession& c) {
  if (c.case_id.empty()) {
    if (!c.volunteer_id.empty())
      return MakeError(Errc::kValidation, "case_id: required to choose by volunteer");
    return c.assignment_id;
  }
  LV_TRY(RequireId(c.case_id, "case_id"));
  LV_ASSIGN(CaseOwnership owner, LoadMentoringOwner(ctx, c.case_id));
  if (!CanWriteMentoring(ctx.actor, owner)) return NotPermitted("log sessions of " + c.case_id);
  if (!c.assignment_id.empty()) {
    LV_ASSIGN(std::string of_case, CaseOfRow(ctx, "mentor_assignment", c.assignment_id));
    if (of_case != c.case_id)
      return MakeError(Errc::kValidation, "assignment_id: not an assignment of this client");
    return c.assignment_id;
  }
  LV_ASSIGN(Statement st, ctx.db.Prepare("SELECT id, volunteer_id FROM mentor_assignment"
                                         " WHERE case_id=? AND ended_on IS NULL ORDER BY id"));
  st.Bind(1, c.case_id);
  std::vector<std::pair<std::string, std::string>> active;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    active.emplace_back(st.Text(0), st.Text(1));
  }
  if (c.volunteer_id.empty()) {
    if (active.size() == 1) return active[0].first;
    if (active.empty())
      return MakeError(Errc::kValidation, "case_id: the client has no active mentor assignment");
    return MakeError(Errc::kValidation,
                     "volunteer_id: choose whose session it was (the client has " +
                         std::to_string(active.size()) + " active volunteers)");
  }
  for (const auto& [id, volunteer] : active) {
    if (volunteer == c.volunteer_id) return id;
  }
  return MakeError(Errc::kValidation, "volunteer_id: not an active assignment of this client");
}

Result<std::string> Workspace::Execute(const LogMentoringSession& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    // A session is dated inside its assignment; an ended assignment still takes a late log
    // of a session held before its end.
    LV_ASSIGN(std::string assignment_id, ChooseAssignment(ctx, c));
    LV_ASSIGN(AssignmentFacts a, LoadAssignment(ctx, assignment_id, false));
    const std::string& case_id = a.case_id;
    // The assignment may still be ended after the card was voided, but no session is logged.
    LV_ASSIGN(std::int64_t voided,
              db_.QueryInt("SELECT voided_at IS NOT NULL FROM client_card WHERE id=?", case_id));
    if (voided) {
      return MakeError(Errc::kValidation,
                       "assignment_id: the client is no longer referred for peer mentoring");
    }
    LV_ASSIGN(auto held_on, Date(c.held_on, "held_on", true));
    if (held_on > ctx.today) return MakeError(Errc::kValidation, "held_on: in the future");
    if (!a.started_on.empty() && held_on < a.started_on) {
      return MakeError(Errc::kValidation,
                       "held_on: before the assignment started on " + DayText(a.started_on));
    }
    if (!a.ended_on.empty() && held_on > a.ended_on) {
      return MakeError(Errc::kValidation,
                       "held_on: after the assignment ended on " + DayText(a.ended_on));
    }
    if (c.duration_minutes <= 0 || c.duration_minutes > 24 * 60) {
      return MakeError(Errc::kValidation, "duration_minutes: between 1 and 1440");
    }
    LV_ASSIGN(auto note, Text(c.note, "note", kMentoringNote, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "mentoring_session", id, MentoringScope(case_id),
                    {{"assignment_id", Str(assignment_id)},
                     {"case_id", Str(case_id)},
                     {"held_on", Str(held_on)},
                     {"duration_minutes", Int(c.duration_minutes)},
                     {"mode", Enum(c.mode)},
                     {"note", Opt(note)},
                     {"logged_by", Str(actor_.user_id)},
                     {"logged_at", Str(ctx.now)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const SignOffMentoringSession& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "mentoring_session", c.session_id));
    LV_ASSIGN(CaseOwnership owner, LoadMentoringOwner(ctx, case_id));
    if (!CanWriteMentoring(actor_, owner))
      return NotPermitted("sign off mentoring of case " + case_id);
    LV_ASSIGN(
        std::int64_t signed_,
        db_.QueryInt("SELECT count(*) FROM mentoring_signoff WHERE session_id=?", c.session_id));
    if (signed_ > 0) return Immutable("mentoring_session", c.session_id, "signed off");
    // Four eyes: the coordinator who logged the session does not sign it off.
    LV_ASSIGN(Statement by,
              db_.Prepare("SELECT coalesce(logged_by, '') FROM mentoring_session WHERE id=?"));
    by.Bind(1, c.session_id);
    LV_ASSIGN(bool found, by.Step());
    if (found && by.Text(0) == actor_.user_id) {
      return NotPermitted(
          "sign off a session you logged yourself: another coordinator of the unit signs it off");
    }
    LV_ASSIGN(auto remark, Text(c.remark, "remark", kMentoringNote, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "mentoring_signoff", id, MentoringScope(case_id),
                    {{"session_id", Str(c.session_id)},
                     {"signed_by", Str(actor_.user_id)},
                     {"signed_at", Str(ctx.now)},
                     {"remark", Opt(remark)}}));
    return id;
  });
}

// ---------------------------------------------------------------------------------------
// MAPPA meetings

namespace {

// Checks every participant, action and disclosure before the first write, so bad input
// names its field and the meeting is not half written; returns the actions' ISO due dates.
Result<std::vector<std::string>> CheckMeetingItems(
    const std::vector<MappaParticipantInput>& participants,
    const std::vector<MappaActionInput>& actions,
    const std::vector<MappaDisclosureInput>& disclosures) {
  for (size_t i = 0; i < participants.size(); ++i) {
    LV_TRY(ValidateText(participants[i].name, "participants[" + std::to_string(i) + "].name", kName,
                        false));
  }
  std::vector<std::string> due;
  for (size_t i = 0; i < actions.size(); ++i) {
    const std::string f = "actions[" + std::to_string(i) + "]";
    LV_TRY(ValidateText(actions[i].description, f + ".description", kLong, true));
    LV_ASSIGN(auto d, Date(actions[i].due_on, f + ".due_on", true));
    due.push_back(d);
  }
  for (size_t i = 0; i < disclosures.size(); ++i) {
    const std::string f = "disclosures[" + std::to_string(i) + "]";
    LV_TRY(ValidateText(disclosures[i].what, f + ".what", kLong, true));
    LV_TRY(ValidateText(disclosures[i].to_whom, f + ".to_whom", 200, true));
    LV_TRY(ValidateText(disclosures[i].legal_basis, f + ".legal_basis", 1000, true));
  }
  return due;
}

Result<void> WriteMeetingItems(Ctx& ctx, const std::string& meeting_id, const std::string& scope,
                               const std::vector<MappaParticipantInput>& participants,
                               const std::vector<MappaActionInput>& actions,
                               const std::vector<std::string>& due,
                               const std::vector<MappaDisclosureInput>& disclosures) {
  for (const auto& p : participants) {
    LV_TRY(WriteRow(ctx, "mappa_participant", sync::Replica::NewId(), scope,
                    {{"meeting_id", Str(meeting_id)},
                     {"institution", Enum(p.institution)},
                     {"name", Opt(p.name)}}));
  }
  for (size_t i = 0; i < actions.size(); ++i) {
    LV_TRY(WriteRow(ctx, "mappa_action", sync::Replica::NewId(), scope,
                    {{"meeting_id", Str(meeting_id)},
                     {"description", Str(actions[i].description)},
                     {"owner_institution", Enum(actions[i].owner)},
                     {"due_on", Str(due[i])}}));
  }
  for (const auto& d : disclosures) {
    const std::optional<Institution> recipient =
        d.recipient ? d.recipient : InstitutionFromName(d.to_whom);
    LV_TRY(WriteRow(ctx, "mappa_disclosure", sync::Replica::NewId(), scope,
                    {{"meeting_id", Str(meeting_id)},
                     {"what", Str(d.what)},
                     {"to_whom", Str(d.to_whom)},
                     {"legal_basis", Str(d.legal_basis)},
                     {"recipient_institution", OptEnum(recipient)}}));
  }
  return Ok();
}

struct MeetingFacts {
  std::string unit_id;
  bool is_signed = false;
};

Result<MeetingFacts> LoadMeeting(Ctx& ctx, std::string_view meeting_id) {
  LV_TRY(RequireId(meeting_id, "meeting_id"));
  LV_ASSIGN(Statement st,
            ctx.db.Prepare("SELECT unit_id, signed_at IS NOT NULL FROM mappa_meeting WHERE id=?"));
  st.Bind(1, meeting_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("mappa_meeting", meeting_id);
  MeetingFacts m{st.Text(0), st.Int(1) != 0};
  if (!CanWriteUnitMeetings(ctx.actor, m.unit_id)) {
    return NotPermitted("change meeting " + std::string(meeting_id));
  }
  if (m.is_signed) return Immutable("mappa_meeting", meeting_id, "signed");
  return m;
}

}  // namespace

Result<std::string> Workspace::Execute(const RecordMappaMeeting& c) {
  LV_WORKSPACE_CTX;
  const std::string unit_id = actor_.unit_id;
  if (!CanWriteUnitMeetings(actor_, unit_id))
    return NotPermitted("record inter-institutional meetings");
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(auto held_on, Date(c.held_on, "held_on", true));
    if (c.case_ids.empty()) return MakeError(Errc::kValidation, "case_ids: at least one case");
    std::string case_ids;
    for (const std::string& id : c.case_ids) {
      LV_TRY(RequireId(id, "case_ids"));
      if (id.find(',') != std::string::npos)
        return MakeError(Errc::kValidation, "case_ids: malformed id");
      // A case on this device must belong to the unit; an officer's device does not hold
      // colleagues' cases, so an id not present locally is accepted as given.
      LV_ASSIGN(Statement st, db_.Prepare("SELECT unit_id FROM probation_case WHERE id=?"));
      st.Bind(1, id);
      LV_ASSIGN(bool row, st.Step());
      if (row && st.Text(0) != unit_id)
        return MakeError(Errc::kValidation, "case_ids: a case of another unit");
      if (!case_ids.empty()) case_ids += ',';
      case_ids += id;
    }
    if (c.participants.empty())
      return MakeError(Errc::kValidation, "participants: at least one participant");
    LV_ASSIGN(auto risk, Text(c.risk_decisions, "risk_decisions", kLong, false));
    LV_ASSIGN(auto victim, Text(c.victim_decisions, "victim_decisions", kLong, false));
    LV_ASSIGN(auto due, CheckMeetingItems(c.participants, c.actions, c.disclosures));
    const std::string id = sync::Replica::NewId();
    const std::string scope = UnitScope(unit_id);
    LV_TRY(WriteRow(ctx, "mappa_meeting", id, scope,
                    {{"unit_id", Str(unit_id)},
                     {"held_on", Str(held_on)},
                     {"mode", Enum(c.mode)},
                     {"case_ids", Str(case_ids)},
                     {"risk_decisions", Opt(risk)},
                     {"victim_decisions", Opt(victim)},
                     {"created_by", Str(actor_.user_id)},
                     {"created_at", Str(ctx.now)}}));
    LV_TRY(WriteMeetingItems(ctx, id, scope, c.participants, c.actions, due, c.disclosures));
    return id;
  });
}

Result<std::string> Workspace::Execute(const AmendMappaMeeting& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MeetingFacts m, LoadMeeting(ctx, c.meeting_id));
    LV_ASSIGN(auto risk, Text(c.risk_decisions, "risk_decisions", kLong, false));
    LV_ASSIGN(auto victim, Text(c.victim_decisions, "victim_decisions", kLong, false));
    LV_ASSIGN(auto due, CheckMeetingItems(c.add_participants, c.add_actions, c.add_disclosures));
    Fields f;
    if (!risk.empty()) f.push_back({"risk_decisions", Str(risk)});
    if (!victim.empty()) f.push_back({"victim_decisions", Str(victim)});
    if (f.empty() && c.add_participants.empty() && c.add_actions.empty() &&
        c.add_disclosures.empty()) {
      return MakeError(Errc::kValidation, "meeting_id: nothing to change");
    }
    const std::string scope = UnitScope(m.unit_id);
    if (!f.empty()) LV_TRY(WriteRow(ctx, "mappa_meeting", c.meeting_id, scope, f));
    LV_TRY(WriteMeetingItems(ctx, c.meeting_id, scope, c.add_participants, c.add_actions, due,
                             c.add_disclosures));
    return c.meeting_id;
  });
}

Result<std::string> Workspace::Execute(const SignMappaMinutes& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MeetingFacts m, LoadMeeting(ctx, c.meeting_id));
    LV_TRY(WriteRow(ctx, "mappa_meeting", c.meeting_id, UnitScope(m.unit_id),
                    {{"signed_at", Str(ctx.now)}, {"signed_by", Str(actor_.user_id)}}));
    return c.meeting_id;
  });
}

}  // namespace lietvedis::client
