// Victim-offender mediation (izlīgums): the parties, the mediator, the meetings, the outcome,
// the agreement's fulfilment and the report to the requesting authority. Every command:
// validate fields, check permission, enforce the rule, write through the replica in one
// transaction (client/workspace.hpp has the contract).
//
// Rules (docs/DOMAIN.md, "Mediation"):
//  - every command is for a `mediation` case only (kValidation naming case_id otherwise), of
//    the acting officer's own open case;
//  - the mediation row is one per case, its id the case's id (two devices recording it
//    offline merge into one row); it holds the mediator, the client's consent, the outcome,
//    the agreement, its fulfilment and the report;
//  - the mediator is a volunteer of kind `mediator`, certified, of the case's unit, read from
//    the unit's volunteer register on this device; or, named by no volunteer, the
//    responsible officer. It may change until the outcome is recorded;
//  - a party (a harmed person) has a name; a consent (a party's, or the client's) is recorded
//    once, dated neither in the future nor before the case was opened;
//  - a meeting needs a mediator, at least one party, the client's consent and the consent of
//    every party named, each dated on or before the meeting's day. A planned meeting is not
//    in the past; a held one not in the future nor before the case opened. A planned meeting
//    is later held (its day has come) or cancelled, once;
//  - the outcome is recorded once, not in the future nor before the case opened; an
//    agreement or no agreement needs a held meeting; an agreement needs its terms and a due
//    date after the outcome's day; terms and a due date only with an agreement. After the
//    outcome no meeting is recorded and the mediator stays;
//  - the agreement's fulfilment is recorded once, for an agreement only, not before the
//    outcome nor in the future;
//  - the report to the requesting authority needs the outcome and, for an agreement, its
//    fulfilment; it is made once, not before them nor in the future, and closes the case
//    (like CloseCase: no open supervision section).
#include <algorithm>

#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

constexpr size_t kTerms = 4000;

struct MediationFacts {
  CaseFacts cf;
  std::string opened_on;
  bool exists = false;
  std::string mediator_volunteer_id, mediator_name, client_consent_on, outcome, outcome_on,
      fulfilment, fulfilment_on, reported_on;
};

// Loads the case for a mediation command: the actor writes it, it is open and a mediation
// case; and the mediation row when there is one.
Result<MediationFacts> LoadForWrite(Ctx& ctx, std::string_view case_id) {
  MediationFacts f;
  LV_ASSIGN(f.cf, RequireOpenCaseWrite(ctx, case_id));
  LV_ASSIGN(Statement st, ctx.db.Prepare("SELECT kind, opened_on FROM probation_case WHERE id=?"));
  st.Bind(1, case_id);
  LV_ASSIGN(bool row, st.Step());
  (void)row;  // RequireOpenCaseWrite found it
  const std::string kind = st.Text(0);
  f.opened_on = st.Text(1);
  if (kind != Code(CaseKind::kMediation)) {
    return MakeError(Errc::kValidation,
                     "case_id: mediation records belong to mediation cases, not " + kind);
  }
  LV_ASSIGN(Statement m, ctx.db.Prepare("SELECT mediator_volunteer_id, mediator_name,"
                                        " client_consent_on, outcome, outcome_on, fulfilment,"
                                        " fulfilment_on, reported_on FROM mediation WHERE id=?"));
  m.Bind(1, case_id);
  LV_ASSIGN(bool has, m.Step());
  if (has) {
    f.exists = true;
    f.mediator_volunteer_id = m.Text(0);
    f.mediator_name = m.Text(1);
    f.client_consent_on = m.Text(2);
    f.outcome = m.Text(3);
    f.outcome_on = m.Text(4);
    f.fulfilment = m.Text(5);
    f.fulfilment_on = m.Text(6);
    f.reported_on = m.Text(7);
  }
  return f;
}

// A day not in the future and not before the case was opened.
Result<std::string> PastDay(Ctx& ctx, const MediationFacts& f, std::string_view value,
                            std::string_view field) {
  LV_ASSIGN(auto day, DateOr(value, field, ctx.today));
  if (day > ctx.today) return MakeError(Errc::kValidation, std::string(field) + ": in the future");
  if (!f.opened_on.empty() && day < f.opened_on)
    return MakeError(Errc::kValidation, std::string(field) + ": before opened_on " + f.opened_on);
  return day;
}

// Writes the mediation row (created with `created_by` the first time).
Result<void> WriteMediation(Ctx& ctx, const MediationFacts& f, std::string_view case_id,
                            Fields fields) {
  if (!f.exists) {
    fields.push_back({"case_id", Str(case_id)});
    fields.push_back({"created_by", Str(ctx.actor.user_id)});
  }
  return WriteRow(ctx, "mediation", case_id, CaseScope(case_id), fields);
}

Result<void> RequireNoOutcome(const MediationFacts& f, std::string_view case_id) {
  if (!f.outcome.empty())
    return Immutable("mediation", case_id, "its outcome is recorded (" + f.outcome + ")");
  return Ok();
}

}  // namespace

Result<std::string> Workspace::Execute(const AddMediationParty& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, c.case_id));
    LV_TRY(RequireNoOutcome(f, c.case_id));
    LV_ASSIGN(auto name, Text(c.name, "name", kName, true));
    LV_ASSIGN(auto surname, Text(c.surname, "surname", kName, false));
    LV_ASSIGN(auto contact, Text(c.contact, "contact", kShort, false));
    std::string consent;
    if (!c.consent_on.empty()) {
      LV_ASSIGN(consent, PastDay(ctx, f, c.consent_on, "consent_on"));
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "mediation_party", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"name", Str(name)},
                     {"surname", Opt(surname)},
                     {"contact", Opt(contact)},
                     {"consent_on", Opt(consent)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const RecordMediationConsent& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, c.case_id));
    LV_ASSIGN(auto day, PastDay(ctx, f, c.consent_on, "consent_on"));
    if (c.party_id.empty()) {
      if (!f.client_consent_on.empty())
        return Immutable("mediation", c.case_id, "the client's consent is recorded");
      LV_TRY(WriteMediation(ctx, f, c.case_id, {{"client_consent_on", Str(day)}}));
      return c.case_id;
    }
    LV_TRY(RequireId(c.party_id, "party_id"));
    LV_ASSIGN(Statement st, db_.Prepare("SELECT case_id, consent_on FROM mediation_party"
                                        " WHERE id=? AND voided_at IS NULL"));
    st.Bind(1, c.party_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row || st.Text(0) != c.case_id)
      return MakeError(Errc::kValidation, "party_id: not a party of this mediation");
    if (!st.IsNull(1)) return Immutable("mediation_party", c.party_id, "consent recorded");
    LV_TRY(WriteRow(ctx, "mediation_party", c.party_id, CaseScope(c.case_id),
                    {{"consent_on", Str(day)}}));
    return c.party_id;
  });
}

Result<std::string> Workspace::Execute(const AssignMediator& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, c.case_id));
    LV_TRY(RequireNoOutcome(f, c.case_id));
    std::string name;
    if (c.volunteer_id.empty()) {
      LV_ASSIGN(Statement u, db_.Prepare("SELECT display_name FROM org_user WHERE id=?"));
      u.Bind(1, f.cf.owner.responsible_officer_id);
      LV_ASSIGN(bool row, u.Step());
      name = row ? u.Text(0) : std::string();
    } else {
      LV_TRY(RequireId(c.volunteer_id, "volunteer_id"));
      LV_ASSIGN(Statement v, db_.Prepare("SELECT unit_id, kind, stage, name, surname"
                                         " FROM volunteer WHERE id=?"));
      v.Bind(1, c.volunteer_id);
      LV_ASSIGN(bool row, v.Step());
      if (!row) {
        return MakeError(Errc::kValidation,
                         "volunteer_id: not in the unit's volunteer register on this device");
      }
      if (v.Text(0) != f.cf.owner.unit_id)
        return MakeError(Errc::kValidation, "volunteer_id: a volunteer of another unit");
      if (v.Text(1) != Code(VolunteerKind::kMediator))
        return MakeError(Errc::kValidation, "volunteer_id: the volunteer is not a mediator");
      if (v.Text(2) != Code(VolunteerStage::kCertified))
        return MakeError(Errc::kValidation, "volunteer_id: the volunteer is not certified");
      name = v.Text(3) + (v.IsNull(4) ? "" : " " + v.Text(4));
    }
    LV_TRY(WriteMediation(
        ctx, f, c.case_id,
        {{"mediator_volunteer_id", Opt(c.volunteer_id)}, {"mediator_name", Opt(name)}}));
    return c.case_id;
  });
}

Result<std::string> Workspace::Execute(const RecordMediationMeeting& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, c.case_id));
    LV_TRY(RequireNoOutcome(f, c.case_id));
    LV_ASSIGN(auto day, Date(c.meeting_on, "meeting_on", true));
    if (c.status == MediationMeetingStatus::kCancelled)
      return MakeError(Errc::kValidation, "status: a meeting is recorded planned or held");
    if (c.status == MediationMeetingStatus::kHeld) {
      if (day > ctx.today) return MakeError(Errc::kValidation, "meeting_on: in the future");
      if (!f.opened_on.empty() && day < f.opened_on)
        return MakeError(Errc::kValidation, "meeting_on: before opened_on " + f.opened_on);
    } else if (day < ctx.today) {
      return MakeError(Errc::kValidation, "meeting_on: a planned meeting cannot be in the past");
    }
    if (!f.exists || (f.mediator_volunteer_id.empty() && f.mediator_name.empty()))
      return MakeError(Errc::kValidation, "mediator: no mediator is assigned");
    if (f.client_consent_on.empty() || f.client_consent_on > day) {
      return MakeError(Errc::kValidation,
                       "client_consent: the client has not consented to mediate by " + day);
    }
    if (c.party_ids.empty()) return MakeError(Errc::kValidation, "party_ids: at least one party");
    std::vector<std::string> seen;
    for (size_t i = 0; i < c.party_ids.size(); ++i) {
      const std::string field = "party_ids[" + std::to_string(i) + "]";
      const std::string& pid = c.party_ids[i];
      LV_TRY(RequireId(pid, field));
      if (std::find(seen.begin(), seen.end(), pid) != seen.end())
        return MakeError(Errc::kValidation, field + ": given twice");
      seen.push_back(pid);
      LV_ASSIGN(Statement st, db_.Prepare("SELECT case_id, consent_on FROM mediation_party"
                                          " WHERE id=? AND voided_at IS NULL"));
      st.Bind(1, pid);
      LV_ASSIGN(bool row, st.Step());
      if (!row || st.Text(0) != c.case_id)
        return MakeError(Errc::kValidation, field + ": not a party of this mediation");
      if (st.IsNull(1) || st.Text(1) > day) {
        return MakeError(Errc::kValidation,
                         field + ": the party has not consented to mediate by " + day);
      }
    }
    std::string joined;
    for (const auto& pid : c.party_ids) joined += (joined.empty() ? "" : ",") + pid;
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "mediation_meeting", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"meeting_on", Str(day)},
                     {"mode", Enum(c.mode)},
                     {"status", Enum(c.status)},
                     {"party_ids", Str(joined)},
                     {"client_attended", Int(c.client_attended ? 1 : 0)},
                     {"note", Opt(note)},
                     {"recorded_by", Str(actor_.user_id)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const RecordMediationMeetingOutcome& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireId(c.meeting_id, "meeting_id"));
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "mediation_meeting", c.meeting_id));
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, case_id));
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT meeting_on, status FROM mediation_meeting WHERE id=?"));
    st.Bind(1, c.meeting_id);
    LV_ASSIGN(bool row, st.Step());
    (void)row;
    const std::string day = st.Text(0), status = st.Text(1);
    if (status != Code(MediationMeetingStatus::kPlanned))
      return Immutable("mediation_meeting", c.meeting_id, status);
    if (c.status == MediationMeetingStatus::kPlanned)
      return MakeError(Errc::kValidation, "status: held or cancelled");
    if (c.status == MediationMeetingStatus::kHeld && day > ctx.today)
      return MakeError(Errc::kValidation, "status: the meeting's day has not come");
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    Fields fields{{"status", Enum(c.status)}};
    if (!note.empty()) fields.push_back({"note", Str(note)});
    LV_TRY(WriteRow(ctx, "mediation_meeting", c.meeting_id, CaseScope(case_id), fields));
    return c.meeting_id;
  });
}

Result<std::string> Workspace::Execute(const RecordMediationOutcome& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, c.case_id));
    LV_TRY(RequireNoOutcome(f, c.case_id));
    LV_ASSIGN(auto day, PastDay(ctx, f, c.decided_on, "decided_on"));
    const bool agreement = c.outcome == MediationOutcome::kAgreement;
    if (agreement || c.outcome == MediationOutcome::kNoAgreement) {
      LV_ASSIGN(std::int64_t held,
                db_.QueryInt("SELECT count(*) FROM mediation_meeting WHERE case_id=? AND"
                             " status='held' AND meeting_on <= ?",
                             c.case_id, day));
      if (held == 0)
        return MakeError(Errc::kValidation, "outcome: no mediation meeting was held by " + day);
    }
    LV_ASSIGN(auto terms, Text(c.agreement_terms, "agreement_terms", kTerms, false));
    std::string due;
    if (agreement) {
      if (terms.empty())
        return MakeError(Errc::kValidation, "agreement_terms: required for an agreement");
      if (c.agreement_due_on.empty())
        return MakeError(Errc::kValidation, "agreement_due_on: required for an agreement");
      LV_ASSIGN(due, Date(c.agreement_due_on, "agreement_due_on", true));
      if (due <= day) {
        return MakeError(Errc::kValidation,
                         "agreement_due_on: must be after the outcome's day " + day);
      }
    } else {
      if (!terms.empty())
        return MakeError(Errc::kValidation, "agreement_terms: only with an agreement");
      if (!c.agreement_due_on.empty())
        return MakeError(Errc::kValidation, "agreement_due_on: only with an agreement");
    }
    LV_TRY(WriteMediation(ctx, f, c.case_id,
                          {{"outcome", Enum(c.outcome)},
                           {"outcome_on", Str(day)},
                           {"agreement_terms", Opt(terms)},
                           {"agreement_due_on", Opt(due)}}));
    return c.case_id;
  });
}

Result<std::string> Workspace::Execute(const RecordAgreementFulfilment& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, c.case_id));
    if (f.outcome != Code(MediationOutcome::kAgreement))
      return MakeError(Errc::kValidation, "case_id: no agreement was reached to fulfil");
    if (!f.fulfilment.empty())
      return Immutable("mediation", c.case_id, "its fulfilment is recorded");
    LV_ASSIGN(auto day, PastDay(ctx, f, c.on, "on"));
    if (day < f.outcome_on)
      return MakeError(Errc::kValidation, "on: before the outcome of " + f.outcome_on);
    LV_TRY(WriteMediation(ctx, f, c.case_id,
                          {{"fulfilment", Enum(c.fulfilment)}, {"fulfilment_on", Str(day)}}));
    return c.case_id;
  });
}

Result<std::string> Workspace::Execute(const ReportMediation& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(MediationFacts f, LoadForWrite(ctx, c.case_id));
    if (f.outcome.empty())
      return MakeError(Errc::kValidation, "case_id: record the mediation's outcome first");
    if (f.outcome == Code(MediationOutcome::kAgreement) && f.fulfilment.empty()) {
      return MakeError(Errc::kValidation,
                       "case_id: record whether the agreement was fulfilled first");
    }
    LV_ASSIGN(auto day, PastDay(ctx, f, c.reported_on, "reported_on"));
    const std::string& after = std::max(f.outcome_on, f.fulfilment_on);
    if (day < after)
      return MakeError(Errc::kValidation, "reported_on: before the outcome of " + after);
    LV_ASSIGN(auto to, Text(c.report_to, "report_to", kShort, false));
    LV_TRY(WriteMediation(
        ctx, f, c.case_id,
        {{"reported_on", Str(day)}, {"report_to", Opt(to)}, {"reported_by", Str(actor_.user_id)}}));
    LV_TRY(CloseCaseInTransaction(ctx, c.case_id, day));
    return c.case_id;
  });
}

Result<void> Workspace::CheckMediationReportable(std::string_view case_id) {
  LV_WORKSPACE_CTX;
  // The same refusals as CaseFile's, so that a refused render says what the read would.
  LV_TRY(RequireCaseFileRead(ctx, case_id));
  LV_ASSIGN(Statement st, db_.Prepare("SELECT c.kind, m.outcome FROM probation_case c"
                                      " LEFT JOIN mediation m ON m.id=c.id WHERE c.id=?"));
  st.Bind(1, case_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("case", case_id);
  const std::string kind = st.Text(0);
  if (kind != Code(CaseKind::kMediation)) {
    return MakeError(Errc::kValidation,
                     "case_id: mediation records belong to mediation cases, not " + kind);
  }
  if (st.Text(1).empty())
    return MakeError(Errc::kValidation, "case_id: record the mediation's outcome first");
  return Ok();
}

namespace detail {

Result<void> ReadMediation(storage::Database& db, std::string_view case_id,
                           std::string_view unit_id, Mediation& m) {
  m = Mediation{};
  m.case_id = std::string(case_id);
  {
    LV_ASSIGN(Statement st,
              db.Prepare("SELECT mediator_volunteer_id, mediator_name, client_consent_on, outcome,"
                         " outcome_on, agreement_terms, agreement_due_on, fulfilment,"
                         " fulfilment_on, reported_on, report_to, reported_by FROM mediation"
                         " WHERE id=?"));
    st.Bind(1, case_id);
    LV_ASSIGN(bool row, st.Step());
    if (row) {
      m.recorded = true;
      m.mediator_volunteer_id = st.Text(0);
      m.mediator_name = st.Text(1);
      m.client_consent_on = st.Text(2);
      m.outcome = DecodeOpt<MediationOutcome>(st.Text(3));
      m.outcome_on = st.Text(4);
      m.agreement_terms = st.Text(5);
      m.agreement_due_on = st.Text(6);
      m.fulfilment = DecodeOpt<AgreementFulfilment>(st.Text(7));
      m.fulfilment_on = st.Text(8);
      m.reported_on = st.Text(9);
      m.report_to = st.Text(10);
      m.reported_by = st.Text(11);
    }
  }
  {
    LV_ASSIGN(Statement st, db.Prepare("SELECT id, name, surname, contact, consent_on"
                                       " FROM mediation_party WHERE case_id=? AND"
                                       " voided_at IS NULL ORDER BY rowid"));
    st.Bind(1, case_id);
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      m.parties.push_back(
          {st.Text(0), std::string(case_id), st.Text(1), st.Text(2), st.Text(3), st.Text(4)});
    }
  }
  {
    LV_ASSIGN(Statement st, db.Prepare("SELECT id, meeting_on, mode, status, party_ids,"
                                       " client_attended, note, recorded_by"
                                       " FROM mediation_meeting WHERE case_id=?"
                                       " ORDER BY meeting_on, rowid"));
    st.Bind(1, case_id);
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      MediationMeeting x;
      x.id = st.Text(0);
      x.case_id = std::string(case_id);
      x.meeting_on = st.Text(1);
      x.mode = DecodeOr(st.Text(2), MeetingMode::kInPerson);
      x.status = DecodeOr(st.Text(3), MediationMeetingStatus::kPlanned);
      const std::string all = st.Text(4);
      size_t start = 0;
      while (start < all.size()) {
        const size_t comma = all.find(',', start);
        x.party_ids.push_back(
            all.substr(start, comma == std::string::npos ? all.npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      x.client_attended = st.Int(5) != 0;
      x.note = st.Text(6);
      x.recorded_by = st.Text(7);
      m.meetings.push_back(std::move(x));
    }
  }
  {
    LV_ASSIGN(Statement st, db.Prepare("SELECT id, trim(coalesce(name,'') || ' ' ||"
                                       " coalesce(surname,'')) FROM volunteer WHERE unit_id=?"
                                       " AND kind='mediator' AND stage='certified'"));
    st.Bind(1, unit_id);
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      m.mediator_choices.push_back({st.Text(0), st.Text(1)});
    }
    std::sort(m.mediator_choices.begin(), m.mediator_choices.end(),
              [](const Mediation::Choice& a, const Mediation::Choice& b) {
                return LatvianSortKey(a.name) < LatvianSortKey(b.name);
              });
  }
  return Ok();
}

}  // namespace detail

}  // namespace lietvedis::client
