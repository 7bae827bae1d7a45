// Case-file workflows: clients, cases, monitoring, supervision sections,
// assessments, plans, contacts, violations, court applications, notes and corrections.
// Every command: validate fields, check permission, enforce the rule, write through the
// replica in one transaction (client/workspace.hpp has the contract).
#include <algorithm>

#include "client/columns.hpp"
#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

constexpr size_t kNoteBody = 20000;

struct ClientFields {
  std::string name, surname, phone, email, address, municipality;
};

Result<ClientFields> CheckClientFields(std::string_view name, std::string_view surname,
                                       std::string_view phone, std::string_view email,
                                       std::string_view address, std::string_view municipality) {
  ClientFields f;
  LV_ASSIGN(f.name, Text(name, "name", kName, true));
  LV_ASSIGN(f.surname, Text(surname, "surname", kName, true));
  LV_ASSIGN(f.phone, Text(phone, "phone", 40, false));
  LV_ASSIGN(f.email, Text(email, "email", kShort, false));
  if (!f.email.empty() && f.email.find('@') == std::string::npos) {
    return MakeError(Errc::kValidation, "email: not an e-mail address");
  }
  LV_ASSIGN(f.address, Text(address, "address", kShort, false));
  LV_ASSIGN(f.municipality, Text(municipality, "municipality", kName, false));
  return f;
}

std::string NameFold(std::string_view name, std::string_view surname,
                     std::string_view personal_code) {
  return FoldForSearch(std::string(name) + " " + std::string(surname) + " " +
                       std::string(personal_code));
}

// Writes the case row, the client row and the card of a new case.
Result<std::string> CreateCase(Ctx& ctx, const Fields& client_fields, std::string_view person_id,
                               CaseKind kind, std::string_view opened_on_input,
                               std::string_view officer_input) {
  const std::string unit_id = ctx.actor.unit_id;
  if (!CanOpenCaseInUnit(ctx.actor, unit_id)) return NotPermitted("open cases");
  const std::string officer =
      officer_input.empty() ? ctx.actor.user_id : std::string(officer_input);
  LV_TRY(RequireOfficerOfUnit(ctx, officer, unit_id, "responsible_officer_id"));
  LV_ASSIGN(auto opened_on, DateOr(opened_on_input, "opened_on", ctx.today));

  const std::string case_id = sync::Replica::NewId();
  const std::string client_id = sync::Replica::NewId();
  const std::string scope = CaseScope(case_id);
  LV_TRY(WriteRow(ctx, "probation_case", case_id, scope,
                  {{"client_id", Str(client_id)},
                   {"kind", Enum(kind)},
                   {"status", Enum(CaseStatus::kOpen)},
                   {"unit_id", Str(unit_id)},
                   {"responsible_officer_id", Str(officer)},
                   {"opened_on", Str(opened_on)}}));
  Fields f = client_fields;
  f.push_back({"person_id", Str(person_id.empty() ? client_id : std::string(person_id))});
  f.push_back({"case_id", Str(case_id)});
  LV_TRY(WriteRow(ctx, "client", client_id, scope, f));
  LV_TRY(RefreshClientCard(ctx, case_id));
  return case_id;
}

// Duplicate detection at registration (rule in client/workspace.hpp, RegisterClient): the
// person already registered under `personal_code` on this device, if any. A contradicting
// birth date is refused whatever `same_person` says; an existing person is refused unless
// `same_person`, and then its person_id is returned for the new case to share. Returns ""
// for a new person.
Result<std::string> SamePerson(Ctx& ctx, std::string_view personal_code,
                               std::string_view birth_date, bool same_person) {
  LV_ASSIGN(Statement st,
            ctx.db.Prepare("SELECT coalesce(person_id, id), case_id, name, surname, birth_date"
                           " FROM client WHERE personal_code=? ORDER BY rowid LIMIT 1"));
  st.Bind(1, personal_code);
  LV_ASSIGN(bool row, st.Step());
  if (!row) {
    if (same_person)
      return MakeError(Errc::kValidation, "personal_code: no person registered with this code");
    return std::string();
  }
  const std::string person = st.Text(0), case_id = st.Text(1), who = st.Text(2) + " " + st.Text(3),
                    known_birth = st.Text(4);
  if (!birth_date.empty() && !known_birth.empty() && birth_date != known_birth) {
    return MakeError(Errc::kValidation, "birth_date: contradicts the birth date recorded for " +
                                            who + " (person " + person + ", case " + case_id +
                                            ") under the same personal code");
  }
  if (!same_person) {
    return MakeError(Errc::kValidation,
                     "personal_code: already registered for " + who + " (person " + person +
                         ", case " + case_id +
                         "); open a new case for that person (same_person) instead");
  }
  return person;
}

}  // namespace

Result<std::string> Workspace::Execute(const RegisterClient& c) {
  LV_WORKSPACE_CTX;
  if (!CanOpenCaseInUnit(actor_, actor_.unit_id)) return NotPermitted("register clients");
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(ClientFields f,
              CheckClientFields(c.name, c.surname, c.phone, c.email, c.address, c.municipality));
    LV_TRY(ValidatePersonalCode(c.personal_code));
    LV_ASSIGN(auto birth_date, Date(c.birth_date, "birth_date", false));
    LV_ASSIGN(std::string person_id, SamePerson(ctx, c.personal_code, birth_date, c.same_person));
    return CreateCase(ctx,
                      {{"name", Str(f.name)},
                       {"surname", Str(f.surname)},
                       {"personal_code", Str(c.personal_code)},
                       {"birth_date", Opt(birth_date)},
                       {"phone", Opt(f.phone)},
                       {"email", Opt(f.email)},
                       {"address", Opt(f.address)},
                       {"municipality", Opt(f.municipality)},
                       {"tags", Opt(JoinCodes(c.tags))},
                       {"name_fold", Str(NameFold(f.name, f.surname, c.personal_code))}},
                      person_id, c.kind, c.opened_on, c.responsible_officer_id);
  });
}

Result<std::string> Workspace::Execute(const OpenCase& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string old_case, CaseOfRow(ctx, "client", c.client_id));
    LV_ASSIGN(CaseFacts old, LoadCase(ctx, old_case));
    if (!CanReadCaseFile(actor_, old.owner)) return NotPermitted("read client " + c.client_id);
    LV_ASSIGN(
        Statement st,
        db_.Prepare("SELECT person_id, name, surname, personal_code, birth_date, phone, email,"
                    " address, municipality, tags, name_fold FROM client WHERE id=?"));
    st.Bind(1, c.client_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("client", c.client_id);
    Fields f;
    const char* cols[] = {"name",  "surname", "personal_code", "birth_date", "phone",
                          "email", "address", "municipality",  "tags",       "name_fold"};
    for (int i = 0; i < 10; ++i) f.push_back({cols[i], st.ValueAt(i + 1)});
    const std::string person_id = st.Text(0);
    return CreateCase(ctx, f, person_id, c.kind, c.opened_on, c.responsible_officer_id);
  });
}

Result<std::string> Workspace::Execute(const UpdateClientDetails& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts cf, RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(ClientFields f,
              CheckClientFields(c.name, c.surname, c.phone, c.email, c.address, c.municipality));
    LV_ASSIGN(Statement st, db_.Prepare("SELECT personal_code FROM client WHERE id=?"));
    st.Bind(1, cf.client_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("client", cf.client_id);
    const std::string code = st.Text(0);
    const Fields fields{{"name", Str(f.name)},
                        {"surname", Str(f.surname)},
                        {"phone", Opt(f.phone)},
                        {"email", Opt(f.email)},
                        {"address", Opt(f.address)},
                        {"municipality", Opt(f.municipality)},
                        {"tags", Opt(JoinCodes(c.tags))},
                        {"name_fold", Str(NameFold(f.name, f.surname, code))}};
    LV_TRY(WriteRow(ctx, "client", cf.client_id, CaseScope(c.case_id), fields));
    LV_TRY(RefreshClientCard(ctx, c.case_id));
    // The same person's records in the actor's other open cases follow (one query for all;
    // copies in cases the actor does not write stay with their own officers).
    LV_ASSIGN(
        Statement siblings,
        db_.Prepare("SELECT cl.id, cl.case_id FROM client cl"
                    " JOIN client me ON me.id=?1 AND me.person_id=cl.person_id"
                    " JOIN probation_case pc ON pc.id=cl.case_id"
                    " WHERE cl.id<>?1 AND pc.responsible_officer_id=?2 AND pc.status='open'"));
    siblings.BindAll(cf.client_id, actor_.user_id);
    std::vector<std::pair<std::string, std::string>> copies;
    for (;;) {
      LV_ASSIGN(bool more, siblings.Step());
      if (!more) break;
      copies.emplace_back(siblings.Text(0), siblings.Text(1));
    }
    for (const auto& [client_id, case_id] : copies) {
      LV_TRY(WriteRow(ctx, "client", client_id, CaseScope(case_id), fields));
      LV_TRY(RefreshClientCard(ctx, case_id));
    }
    return cf.client_id;
  });
}

Result<std::string> Workspace::Execute(const AddRelatedPerson& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto kind, Text(c.kind, "kind", kName, false));
    LV_ASSIGN(auto name, Text(c.name, "name", kName, true));
    LV_ASSIGN(auto surname, Text(c.surname, "surname", kName, false));
    LV_ASSIGN(auto phone, Text(c.phone, "phone", 40, false));
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "related_person", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"relation", Enum(c.relation)},
                     {"kind", Opt(kind)},
                     {"name", Str(name)},
                     {"surname", Opt(surname)},
                     {"phone", Opt(phone)},
                     {"note", Opt(note)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const VoidRelatedPerson& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "related_person", c.person_id));
    LV_TRY(RequireOpenCaseWrite(ctx, case_id));
    LV_ASSIGN(
        std::int64_t voided,
        db_.QueryInt("SELECT voided_at IS NOT NULL FROM related_person WHERE id=?", c.person_id));
    if (voided) return Immutable("related_person", c.person_id, "already removed");
    LV_TRY(WriteRow(ctx, "related_person", c.person_id, CaseScope(case_id),
                    {{"voided_at", Str(ctx.now)}}));
    return c.person_id;
  });
}

Result<void> detail::CloseCaseInTransaction(Ctx& ctx, std::string_view case_id,
                                            const std::string& closed_on) {
  LV_ASSIGN(
      std::int64_t open_sections,
      ctx.db.QueryInt("SELECT count(*) FROM supervision_section WHERE case_id=? AND status='open'",
                      case_id));
  if (open_sections > 0) {
    return MakeError(Errc::kValidation, "case_id: close the open supervision section first");
  }
  LV_TRY(WriteRow(ctx, "probation_case", case_id, CaseScope(case_id),
                  {{"status", Enum(CaseStatus::kClosed)}, {"closed_on", Str(closed_on)}}));
  // A closed case ends its referral to peer mentoring; the card's grace period starts.
  LV_ASSIGN(
      Statement open_referrals,
      ctx.db.Prepare("SELECT id FROM mentoring_referral WHERE case_id=? AND ended_on IS NULL"));
  open_referrals.Bind(1, case_id);
  std::vector<std::string> referral_ids;
  for (;;) {
    LV_ASSIGN(bool more, open_referrals.Step());
    if (!more) break;
    referral_ids.push_back(open_referrals.Text(0));
  }
  for (const std::string& id : referral_ids) {
    LV_TRY(WriteRow(ctx, "mentoring_referral", id, CaseScope(case_id),
                    {{"ended_on", Str(closed_on)}, {"ended_by", Str(ctx.actor.user_id)}}));
  }
  return RefreshClientCard(ctx, case_id);
}

Result<std::string> Workspace::Execute(const CloseCase& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto closed_on, DateOr(c.closed_on, "closed_on", ctx.today));
    LV_TRY(CloseCaseInTransaction(ctx, c.case_id, closed_on));
    return c.case_id;
  });
}

Result<std::string> Workspace::Execute(const ReassignCase& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts cf, LoadCase(ctx, c.case_id));
    if (!CanReassignCase(actor_, cf.owner)) return NotPermitted("reassign case " + c.case_id);
    LV_TRY(RequireOfficerOfUnit(ctx, c.new_officer_id, cf.owner.unit_id, "new_officer_id"));
    LV_TRY(WriteRow(ctx, "probation_case", c.case_id, CaseScope(c.case_id),
                    {{"responsible_officer_id", Str(c.new_officer_id)}}));
    LV_TRY(RefreshClientCard(ctx, c.case_id));
    return c.case_id;
  });
}

Result<std::string> Workspace::Execute(const StartMonitoringEpisode& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto started, Date(c.started_on, "started_on", true));
    LV_ASSIGN(auto planned_end, Date(c.planned_end_on, "planned_end_on", false));
    if (!planned_end.empty() && planned_end < started) {
      return MakeError(Errc::kValidation, "planned_end_on: before started_on");
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "em_episode", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"started_on", Str(started)},
                     {"planned_end_on", Opt(planned_end)},
                     {"outcome", Enum(EmOutcome::kOngoing)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const EndMonitoringEpisode& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "em_episode", c.episode_id));
    LV_TRY(RequireCaseWrite(ctx, case_id));
    LV_ASSIGN(std::int64_t ended,
              db_.QueryInt("SELECT ended_on IS NOT NULL FROM em_episode WHERE id=?", c.episode_id));
    if (ended) return Immutable("em_episode", c.episode_id, "ended");
    if (c.outcome == EmOutcome::kOngoing)
      return MakeError(Errc::kValidation, "outcome: must end the episode");
    LV_ASSIGN(auto ended_on, DateOr(c.ended_on, "ended_on", ctx.today));
    LV_TRY(WriteRow(ctx, "em_episode", c.episode_id, CaseScope(case_id),
                    {{"ended_on", Str(ended_on)}, {"outcome", Enum(c.outcome)}}));
    return c.episode_id;
  });
}

Result<std::string> Workspace::Execute(const PlaceInRehabilitationCentre& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto centre, Text(c.centre, "centre", kShort, true));
    LV_ASSIGN(auto started, DateOr(c.started_on, "started_on", ctx.today));
    LV_ASSIGN(auto planned_end, Date(c.planned_end_on, "planned_end_on", false));
    if (!planned_end.empty() && planned_end < started) {
      return MakeError(Errc::kValidation, "planned_end_on: before started_on");
    }
    // Cents; 1000 EUR a day is far beyond any centre's price and catches a missing decimal.
    if (c.daily_cost_cents <= 0 || c.daily_cost_cents > 100000) {
      return MakeError(Errc::kValidation, "daily_cost_cents: between 1 cent and 1000 EUR");
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "src_placement", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"centre", Str(centre)},
                     {"started_on", Str(started)},
                     {"planned_end_on", Opt(planned_end)},
                     {"daily_cost_cents", Int(c.daily_cost_cents)},
                     {"vpd_daily_share_cents", Int(VpdDailyShareCents(c.daily_cost_cents))}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const EndRehabilitationPlacement& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "src_placement", c.placement_id));
    LV_TRY(RequireCaseWrite(ctx, case_id));
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT started_on, ended_on IS NOT NULL FROM src_placement WHERE id=?"));
    st.Bind(1, c.placement_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("src_placement", c.placement_id);
    if (st.Int(1) != 0) return Immutable("src_placement", c.placement_id, "ended");
    LV_ASSIGN(auto ended, DateOr(c.ended_on, "ended_on", ctx.today));
    if (ended < st.Text(0)) return MakeError(Errc::kValidation, "ended_on: before started_on");
    LV_TRY(WriteRow(ctx, "src_placement", c.placement_id, CaseScope(case_id),
                    {{"ended_on", Str(ended)}}));
    return c.placement_id;
  });
}

// ---------------------------------------------------------------------------------------
// Supervision sections

Result<std::string> Workspace::Execute(const OpenSupervisionSection& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto sentence, Text(c.sentence_type, "sentence_type", kShort, true));
    LV_ASSIGN(auto decision, Text(c.court_decision_ref, "court_decision_ref", kName, true));
    LV_ASSIGN(auto obligations, Text(c.obligations, "obligations", kLong, false));
    LV_ASSIGN(auto opened, DateOr(c.opened_on, "opened_on", ctx.today));
    LV_ASSIGN(auto planned_end, Date(c.planned_end_on, "planned_end_on", true));
    if (planned_end < opened)
      return MakeError(Errc::kValidation, "planned_end_on: before opened_on");
    LV_ASSIGN(
        std::int64_t open_sections,
        db_.QueryInt("SELECT count(*) FROM supervision_section WHERE case_id=? AND status='open'",
                     c.case_id));
    if (open_sections > 0)
      return MakeError(Errc::kValidation, "case_id: a supervision section is already open");
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(
        ctx, "supervision_section", id, CaseScope(c.case_id),
        {{"case_id", Str(c.case_id)},
         {"sentence_type", Str(sentence)},
         {"court_decision_ref", Str(decision)},
         {"obligations", Opt(obligations)},
         {"opened_on", Str(opened)},
         {"planned_end_on", Str(planned_end)},
         {"status", Enum(SectionStatus::kOpen)},
         {"employment_at_opening", Enum(c.employment_at_opening)},
         {"disability_group", Enum(c.disability_group)},
         {"no_employment_taxes_at_opening", Int(c.no_employment_taxes_at_opening ? 1 : 0)}}));
    return id;
  });
}

static Result<std::string> LoadOpenSection(Ctx& ctx, std::string_view section_id) {
  LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "supervision_section", section_id));
  LV_TRY(RequireCaseWrite(ctx, case_id));
  LV_ASSIGN(
      std::int64_t closed,
      ctx.db.QueryInt("SELECT status='closed' FROM supervision_section WHERE id=?", section_id));
  if (closed) return Immutable("supervision_section", section_id, "closed");
  return case_id;
}

Result<std::string> Workspace::Execute(const AmendSupervisionSection& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, LoadOpenSection(ctx, c.section_id));
    LV_ASSIGN(auto obligations, Text(c.obligations, "obligations", kLong, false));
    LV_ASSIGN(auto planned_end, Date(c.planned_end_on, "planned_end_on", false));
    Fields f;
    if (!obligations.empty()) f.push_back({"obligations", Str(obligations)});
    if (!planned_end.empty()) {
      LV_ASSIGN(std::int64_t before_opening,
                db_.QueryInt("SELECT ? < opened_on FROM supervision_section WHERE id=?",
                             planned_end, c.section_id));
      if (before_opening) return MakeError(Errc::kValidation, "planned_end_on: before opened_on");
      f.push_back({"planned_end_on", Str(planned_end)});
    }
    if (f.empty()) return MakeError(Errc::kValidation, "obligations: nothing to change");
    LV_TRY(WriteRow(ctx, "supervision_section", c.section_id, CaseScope(case_id), f));
    return c.section_id;
  });
}

Result<std::string> Workspace::Execute(const CloseSupervisionSection& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, LoadOpenSection(ctx, c.section_id));
    LV_ASSIGN(auto closed, DateOr(c.closed_on, "closed_on", ctx.today));
    LV_ASSIGN(Statement st, db_.Prepare("SELECT opened_on FROM supervision_section WHERE id=?"));
    st.Bind(1, c.section_id);
    LV_ASSIGN(bool row, st.Step());
    if (row && closed < st.Text(0))
      return MakeError(Errc::kValidation, "closed_on: before opened_on");
    LV_TRY(WriteRow(ctx, "supervision_section", c.section_id, CaseScope(case_id),
                    {{"status", Enum(SectionStatus::kClosed)},
                     {"closed_on", Str(closed)},
                     {"outcome", Enum(c.outcome)},
                     {"employment_at_closure", Enum(c.employment_at_closure)}}));
    return c.section_id;
  });
}

// Corrections: allowed on any record of a scope the actor writes; the correction row lives
// in the record's scope so every reader of the record sees it.
Result<std::string> Workspace::Execute(const CorrectRecord& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    const sync::TableSpec* spec = replica_.FindTable(c.target_table);
    // Append-only records (notes, session logs, attendance...) are corrected the same way;
    // the audit trail, corrections, signatures and the access logs are beyond correction.
    if (spec == nullptr || !IsCorrectableTable(spec->name)) {
      return MakeError(Errc::kValidation, "target_table: not a correctable record");
    }
    if (std::find(spec->columns.begin(), spec->columns.end(), c.field) == spec->columns.end()) {
      return MakeError(Errc::kValidation, "field: " + c.target_table + " has no field " + c.field);
    }
    // A "corrected" link would move the record in the views while the row keeps its scope.
    if (IsLinkColumn(c.field)) {
      return MakeError(Errc::kValidation, "field: a link to another record cannot be corrected");
    }
    // Who wrote, signed or voided a record and when is what makes a correction trustworthy.
    if (IsProvenanceColumn(c.field)) {
      return MakeError(Errc::kValidation,
                       "field: who recorded or signed a record, and when, is not corrected");
    }
    LV_TRY(RequireId(c.target_id, "target_id"));
    LV_ASSIGN(Statement st, db_.Prepare("SELECT scope FROM " + spec->name + " WHERE id=?"));
    st.Bind(1, c.target_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound(c.target_table, c.target_id);
    const std::string scope = st.Text(0);
    LV_TRY(RequireScopeWrite(ctx, scope));
    LV_ASSIGN(auto text, Text(c.value, "value", kLong, false));
    // The corrected value is what the column holds: one of its enum's codes, 1 or 0, a whole
    // number, a day (stored ISO)... (client/columns.hpp).
    LV_ASSIGN(const std::string value, ValidateColumnValue(spec->name, c.field, text));
    LV_ASSIGN(auto reason, Text(c.reason, "reason", kLong, true));
    // Blanks are no reason: a correction says why.
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
      return MakeError(Errc::kValidation, "reason: required");
    const std::string id = sync::Replica::NewId();
    LV_TRY(ctx.rep.Write("correction", id, scope,
                         {{"target_table", Str(spec->name)},
                          {"target_id", Str(c.target_id)},
                          {"field", Str(c.field)},
                          {"value", Opt(value)},
                          {"reason", Str(reason)},
                          {"author_id", Str(actor_.user_id)},
                          {"at", Str(ctx.now)}}));
    LV_TRY(Audit(ctx, scope, "corrected", spec->name, c.target_id, c.field));
    return id;
  });
}

// ---------------------------------------------------------------------------------------
// Assessments and plans

Result<std::string> Workspace::Execute(const RecordAssessment& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto version, Text(c.instrument_version, "instrument_version", 40, true));
    LV_ASSIGN(auto assessed, DateOr(c.assessed_on, "assessed_on", ctx.today));
    LV_ASSIGN(auto items, Text(c.item_scores, "item_scores", kLong, false));
    if (c.total_score < 0 || c.total_score > 1000)
      return MakeError(Errc::kValidation, "total_score: out of range");
    if (!c.supersedes_id.empty()) {
      LV_ASSIGN(std::string old_case, CaseOfRow(ctx, "assessment", c.supersedes_id));
      if (old_case != c.case_id)
        return MakeError(Errc::kValidation, "supersedes_id: another case's assessment");
      LV_ASSIGN(
          std::int64_t signed_,
          db_.QueryInt("SELECT signed_at IS NOT NULL FROM assessment WHERE id=?", c.supersedes_id));
      if (!signed_)
        return MakeError(Errc::kValidation, "supersedes_id: amend an unsigned assessment instead");
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "assessment", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"instrument", Enum(c.instrument)},
                     {"instrument_version", Str(version)},
                     {"assessed_on", Str(assessed)},
                     {"assessor_id", Str(actor_.user_id)},
                     {"total_score", Int(c.total_score)},
                     {"item_scores", Opt(items)},
                     {"risk_level", Enum(c.risk_level)},
                     {"needs", Opt(JoinCodes(c.needs))},
                     {"supersedes_id", Opt(c.supersedes_id)}}));
    return id;
  });
}

static Result<std::string> LoadUnsignedAssessment(Ctx& ctx, std::string_view id) {
  LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "assessment", id));
  LV_TRY(RequireCaseWrite(ctx, case_id));
  LV_ASSIGN(std::int64_t signed_,
            ctx.db.QueryInt("SELECT signed_at IS NOT NULL FROM assessment WHERE id=?", id));
  if (signed_) return Immutable("assessment", id, "signed");
  return case_id;
}

Result<std::string> Workspace::Execute(const AmendAssessment& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, LoadUnsignedAssessment(ctx, c.assessment_id));
    LV_ASSIGN(auto items, Text(c.item_scores, "item_scores", kLong, false));
    if (c.total_score < 0 || c.total_score > 1000)
      return MakeError(Errc::kValidation, "total_score: out of range");
    LV_TRY(WriteRow(ctx, "assessment", c.assessment_id, CaseScope(case_id),
                    {{"total_score", Int(c.total_score)},
                     {"item_scores", Opt(items)},
                     {"risk_level", Enum(c.risk_level)},
                     {"needs", Opt(JoinCodes(c.needs))}}));
    return c.assessment_id;
  });
}

Result<std::string> Workspace::Execute(const SignAssessment& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, LoadUnsignedAssessment(ctx, c.assessment_id));
    LV_TRY(WriteRow(ctx, "assessment", c.assessment_id, CaseScope(case_id),
                    {{"signed_at", Str(ctx.now)}, {"signed_by", Str(actor_.user_id)}}));
    return c.assessment_id;
  });
}

Result<std::string> Workspace::Execute(const CreatePlan& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto next_review, Date(c.next_review_on, "next_review_on", true));
    if (c.goals.empty()) return MakeError(Errc::kValidation, "goals: at least one goal");
    std::vector<std::pair<std::string, std::string>> goals;  // checked text, review date
    for (size_t i = 0; i < c.goals.size(); ++i) {
      const std::string field = "goals[" + std::to_string(i) + "]";
      LV_ASSIGN(auto goal, Text(c.goals[i].goal, field + ".goal", kLong, true));
      LV_TRY(ValidateText(c.goals[i].interventions, field + ".interventions", kLong, false));
      LV_ASSIGN(auto review, Date(c.goals[i].review_on, field + ".review_on", false));
      goals.emplace_back(goal, review);
    }
    // Over an active plan: the next version, the old one superseded (history stays).
    std::string previous;
    std::int64_t version = 1;
    {
      LV_ASSIGN(Statement st,
                db_.Prepare("SELECT id, version FROM res_plan WHERE case_id=? AND status='active' "
                            "ORDER BY version DESC LIMIT 1"));
      st.Bind(1, c.case_id);
      LV_ASSIGN(bool row, st.Step());
      if (row) {
        previous = st.Text(0);
        version = st.Int(1) + 1;
      }
    }
    const std::string scope = CaseScope(c.case_id);
    if (!previous.empty()) {
      LV_TRY(
          WriteRow(ctx, "res_plan", previous, scope, {{"status", Enum(PlanStatus::kSuperseded)}}));
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "res_plan", id, scope,
                    {{"case_id", Str(c.case_id)},
                     {"version", Int(version)},
                     {"status", Enum(PlanStatus::kActive)},
                     {"created_on", Str(ctx.today)},
                     {"next_review_on", Str(next_review)},
                     {"author_id", Str(actor_.user_id)},
                     {"supersedes_id", Opt(previous)}}));
    for (size_t i = 0; i < c.goals.size(); ++i) {
      LV_TRY(WriteRow(ctx, "plan_goal", sync::Replica::NewId(), scope,
                      {{"plan_id", Str(id)},
                       {"goal", Str(goals[i].first)},
                       {"need", OptEnum(c.goals[i].need)},
                       {"interventions", Opt(c.goals[i].interventions)},
                       {"review_on", Opt(goals[i].second)}}));
    }
    return id;
  });
}

// ---------------------------------------------------------------------------------------
// Contacts, violations, court applications, notes

static Result<std::string> PlannedAt(std::string_view value) {
  // A date, or a date with a time "dd.mm.yyyy HH:MM" / ISO "YYYY-MM-DDTHH:MM".
  if (value.empty()) return MakeError(Errc::kValidation, "planned_at: required");
  return ParseDayTime(value, "planned_at");
}

static Result<void> CheckOutcome(ContactStatus status, const std::string& held_on,
                                 std::string_view field) {
  if (status == ContactStatus::kHeld && held_on.empty()) {
    return MakeError(Errc::kValidation, std::string(field) + ": required for a held contact");
  }
  return Ok();
}

Result<std::string> Workspace::Execute(const RecordContact& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireDailyWork(ctx, c.case_id, /*open_case=*/true));
    LV_ASSIGN(auto planned, PlannedAt(c.planned_at));
    LV_ASSIGN(auto held, Date(c.held_on, "held_on", false));
    if (c.status == ContactStatus::kHeld && held.empty()) held = planned.substr(0, 10);
    LV_TRY(CheckOutcome(c.status, held, "held_on"));
    if ((c.status == ContactStatus::kHeld || c.status == ContactStatus::kMissed) &&
        planned.substr(0, 10) > ctx.today) {
      return MakeError(Errc::kValidation,
                       "planned_at: a held or missed contact cannot be in the future");
    }
    if (held > ctx.today) return MakeError(Errc::kValidation, "held_on: in the future");
    LV_ASSIGN(auto outcome, Text(c.outcome, "outcome", kLong, false));
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "contact", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"officer_id", Str(actor_.user_id)},
                     {"planned_at", Str(planned)},
                     {"status", Enum(c.status)},
                     {"mode", Enum(c.mode)},
                     {"held_on", Opt(c.status == ContactStatus::kHeld ? held : std::string())},
                     {"outcome", Opt(outcome)},
                     {"note", Opt(note)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const RecordContactOutcome& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "contact", c.contact_id));
    LV_TRY(RequireDailyWork(ctx, case_id, /*open_case=*/false));
    LV_ASSIGN(std::int64_t planned,
              db_.QueryInt("SELECT status='planned' FROM contact WHERE id=?", c.contact_id));
    if (!planned) return Immutable("contact", c.contact_id, "already recorded");
    if (c.status == ContactStatus::kPlanned)
      return MakeError(Errc::kValidation, "status: must record an outcome");
    LV_ASSIGN(auto held, DateOr(c.held_on, "held_on", ctx.today));
    if (held > ctx.today) return MakeError(Errc::kValidation, "held_on: in the future");
    LV_ASSIGN(auto outcome, Text(c.outcome, "outcome", kLong, false));
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    LV_TRY(WriteRow(ctx, "contact", c.contact_id, CaseScope(case_id),
                    {{"status", Enum(c.status)},
                     {"held_on", Opt(c.status == ContactStatus::kHeld ? held : std::string())},
                     {"outcome", Opt(outcome)},
                     {"note", Opt(note)}}));
    return c.contact_id;
  });
}

Result<std::string> Workspace::Execute(const RecordViolation& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto occurred, DateOr(c.occurred_on, "occurred_on", ctx.today));
    LV_ASSIGN(auto description, Text(c.description, "description", kLong, true));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "violation", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"kind", Enum(c.kind)},
                     {"occurred_on", Str(occurred)},
                     {"description", Str(description)},
                     {"recorded_by", Str(actor_.user_id)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const FileCourtApplication& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto filed, DateOr(c.filed_on, "filed_on", ctx.today));
    LV_ASSIGN(auto reason, Text(c.reason, "reason", kLong, true));
    // The warnings it rests on: warnings of this case, each grounding one application only.
    for (size_t i = 0; i < c.warning_ids.size(); ++i) {
      const std::string field = "warning_ids[" + std::to_string(i) + "]";
      LV_TRY(RequireId(c.warning_ids[i], field));
      if (std::find(c.warning_ids.begin(), c.warning_ids.begin() + static_cast<long>(i),
                    c.warning_ids[i]) != c.warning_ids.begin() + static_cast<long>(i)) {
        return MakeError(Errc::kValidation, field + ": given twice");
      }
      LV_ASSIGN(Statement st,
                db_.Prepare("SELECT d.case_id, d.decision, (SELECT g.application_id FROM"
                            " court_application_ground g WHERE g.decision_id = d.id LIMIT 1)"
                            " FROM escalation_decision d WHERE d.id=?"));
      st.Bind(1, c.warning_ids[i]);
      LV_ASSIGN(bool row, st.Step());
      if (!row || st.Text(0) != c.case_id || st.Text(1) != Code(MissedContactDecision::kWarning)) {
        return MakeError(Errc::kValidation, field + ": not a warning of case " + c.case_id);
      }
      if (!st.IsNull(2)) {
        return MakeError(Errc::kValidation,
                         field + ": already grounds court application " + st.Text(2));
      }
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "court_application", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"kind", Enum(c.kind)},
                     {"filed_on", Str(filed)},
                     {"reason", Str(reason)}}));
    for (const std::string& warning : c.warning_ids) {
      LV_TRY(WriteRow(ctx, "court_application_ground", sync::Replica::NewId(), CaseScope(c.case_id),
                      {{"case_id", Str(c.case_id)},
                       {"application_id", Str(id)},
                       {"decision_id", Str(warning)}}));
    }
    return id;
  });
}

Result<std::string> Workspace::Execute(const RecordCourtDecision& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "court_application", c.application_id));
    LV_TRY(RequireCaseWrite(ctx, case_id));
    LV_ASSIGN(std::int64_t decided,
              db_.QueryInt("SELECT decided_on IS NOT NULL FROM court_application WHERE id=?",
                           c.application_id));
    if (decided) return Immutable("court_application", c.application_id, "decided");
    LV_ASSIGN(auto decision, Text(c.decision, "decision", kLong, true));
    LV_ASSIGN(auto decided_on, DateOr(c.decided_on, "decided_on", ctx.today));
    LV_TRY(WriteRow(ctx, "court_application", c.application_id, CaseScope(case_id),
                    {{"decision", Str(decision)}, {"decided_on", Str(decided_on)}}));
    return c.application_id;
  });
}

Result<std::string> Workspace::Execute(const AddNote& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts cf, LoadCase(ctx, c.case_id));
    if (!CanAddCaseNote(actor_, cf.owner)) {
      if (NeedsBreakGlass(actor_, cf.owner)) return ReadRefused(actor_, cf, c.case_id);
      return NotPermitted("add notes to case " + c.case_id);
    }
    LV_ASSIGN(auto body, Text(c.body, "body", kNoteBody, true));
    if (!c.subject_table.empty() && replica_.FindTable(c.subject_table) == nullptr) {
      return MakeError(Errc::kValidation, "subject_table: unknown record kind");
    }
    LV_ASSIGN(auto subject_id, Text(c.subject_id, "subject_id", 128, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "note", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"subject_table", Opt(c.subject_table)},
                     {"subject_id", Opt(subject_id)},
                     {"body", Str(body)},
                     {"author_id", Str(actor_.user_id)},
                     {"written_at", Str(ctx.now)}}));
    return id;
  });
}

}  // namespace lietvedis::client
