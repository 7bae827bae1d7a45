// What each stored column holds (client/columns.hpp), checked against what the core really
// stores: a seeded demo unit's every value is a value of its column's kind, every column whose
// values are all codes of an enum is named as that enum's column, and every INTEGER column is
// a flag, a whole number or money. Then the corrections that the table refuses: an unknown
// code, a repeated tag, a word where a number goes, a recorded time, a signature; each with
// nothing written.
#include "client/columns.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "client/demo_data.hpp"
#include "client/schema.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// Every enum of the model, for the completeness check: the enums whose codes a column may hold.
template <class F>
void ForEachEnum(F&& f) {
  f(EnumTag<Role>{}, "Role");
  f(EnumTag<ClientTag>{}, "ClientTag");
  f(EnumTag<Relation>{}, "Relation");
  f(EnumTag<CaseKind>{}, "CaseKind");
  f(EnumTag<CaseStatus>{}, "CaseStatus");
  f(EnumTag<TransferStatus>{}, "TransferStatus");
  f(EnumTag<EmOutcome>{}, "EmOutcome");
  f(EnumTag<Requester>{}, "Requester");
  f(EnumTag<EvaluationStatus>{}, "EvaluationStatus");
  f(EnumTag<SectionStatus>{}, "SectionStatus");
  f(EnumTag<SectionOutcome>{}, "SectionOutcome");
  f(EnumTag<EmploymentStatus>{}, "EmploymentStatus");
  f(EnumTag<DisabilityGroup>{}, "DisabilityGroup");
  f(EnumTag<Instrument>{}, "Instrument");
  f(EnumTag<RiskLevel>{}, "RiskLevel");
  f(EnumTag<NeedDomain>{}, "NeedDomain");
  f(EnumTag<PlanStatus>{}, "PlanStatus");
  f(EnumTag<ContactStatus>{}, "ContactStatus");
  f(EnumTag<ContactMode>{}, "ContactMode");
  f(EnumTag<ViolationKind>{}, "ViolationKind");
  f(EnumTag<CourtApplicationKind>{}, "CourtApplicationKind");
  f(EnumTag<ProgrammeProvider>{}, "ProgrammeProvider");
  f(EnumTag<ProgrammeMode>{}, "ProgrammeMode");
  f(EnumTag<Accreditation>{}, "Accreditation");
  f(EnumTag<ConsentDecision>{}, "ConsentDecision");
  f(EnumTag<ReferralStatus>{}, "ReferralStatus");
  f(EnumTag<VolunteerKind>{}, "VolunteerKind");
  f(EnumTag<VolunteerStage>{}, "VolunteerStage");
  f(EnumTag<MentoringMode>{}, "MentoringMode");
  f(EnumTag<MeetingMode>{}, "MeetingMode");
  f(EnumTag<Institution>{}, "Institution");
  f(EnumTag<MissedContactDecision>{}, "MissedContactDecision");
  f(EnumTag<MediationMeetingStatus>{}, "MediationMeetingStatus");
  f(EnumTag<MediationOutcome>{}, "MediationOutcome");
  f(EnumTag<AgreementFulfilment>{}, "AgreementFulfilment");
}

// Every part of a comma-joined value is a code of E.
template <class E>
bool AllCodesOf(const std::string& value) {
  size_t start = 0;
  for (;;) {
    const size_t comma = value.find(',', start);
    if (!FromCode<E>(std::string_view(value).substr(start, comma - start))) return false;
    if (comma == std::string::npos) return true;
    start = comma + 1;
  }
}

// The distinct non-empty values of every column of every replicated table.
std::map<std::pair<std::string, std::string>, std::set<std::string>> StoredValues(ModelFixture& f) {
  std::map<std::pair<std::string, std::string>, std::set<std::string>> out;
  for (const auto& spec : ReplicatedTables()) {
    for (const auto& column : spec.columns) {
      auto st = f.db.Prepare("SELECT DISTINCT CAST(" + column + " AS TEXT) FROM " + spec.name +
                             " WHERE " + column + " IS NOT NULL AND " + column + " != ''");
      REQUIRE(st.ok());
      while (st->Step().value()) out[{spec.name, column}].insert(st->Text(0));
    }
  }
  return out;
}

void CheckRefused(ModelFixture& f, const Result<std::string>& r, const std::string& message) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kValidation);
  CHECK(r.error().message == message);
  CHECK(f.Count("correction") == 0);
}

}  // namespace

TEST_CASE("columns: every value the demo unit stores is a value of its column's kind",
          "[client][columns]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  DemoOptions opts;
  opts.cases = 30;
  const auto caseload = SeedDemoCaseload(*ws, opts);
  REQUIRE(caseload.ok());
  auto coord = f.As(f.coordinator);
  REQUIRE(SeedDemoVolunteers(*coord, caseload->case_ids, opts).ok());

  const auto values = StoredValues(f);
  int enum_columns_seen = 0, checked = 0;
  for (const auto& [key, set] : values) {
    const auto& [table, column] = key;
    const ColumnKind kind = ColumnKindOf(table, column);
    INFO(table << "." << column);
    if (kind == ColumnKind::kEnum || kind == ColumnKind::kEnumList) ++enum_columns_seen;
    // A stored value is a correctable value of its kind; stamped times are provenance.
    if (kind != ColumnKind::kTimestamp && !IsProvenanceColumn(column)) {
      for (const auto& v : set) {
        INFO(v);
        CHECK(ValidateColumnValue(table, column, v).ok());
        ++checked;
      }
    }
    // A column all of whose values are codes of one enum is named as an enum column: a missing
    // entry would leave its codes unchecked in corrections and raw on the screen.
    if (kind == ColumnKind::kText && !set.empty()) {
      ForEachEnum([&](auto tag, const char* name) {
        using E = typename decltype(tag)::type;
        bool all = true;
        for (const auto& v : set) all &= AllCodesOf<E>(v);
        INFO("every value is a code of " << name);
        CHECK_FALSE(all);
      });
    }
  }
  CHECK(enum_columns_seen >= 25);  // the demo unit fills most enum columns
  CHECK(checked > 500);
}

TEST_CASE("columns: every INTEGER column of the schema is a flag, a whole number or money",
          "[client][columns]") {
  ModelFixture f;
  int integers = 0;
  for (const auto& spec : ReplicatedTables()) {
    auto st = f.db.Prepare("SELECT name FROM pragma_table_info('" + spec.name +
                           "') WHERE upper(type) LIKE 'INT%'");
    REQUIRE(st.ok());
    while (st->Step().value()) {
      const std::string column = st->Text(0);
      INFO(spec.name << "." << column);
      const ColumnKind kind = ColumnKindOf(spec.name, column);
      CHECK((kind == ColumnKind::kFlag || kind == ColumnKind::kInteger ||
             kind == ColumnKind::kCents));
      ++integers;
    }
  }
  CHECK(integers >= 12);
}

TEST_CASE("columns: values of each kind are checked and normalised", "[client][columns]") {
  CHECK(ValidateColumnValue("contact", "status", "held").value() == "held");
  CHECK(ValidateColumnValue("contact", "status", "notikusi").error().message ==
        "value: not one of the field's codes");
  CHECK_FALSE(ValidateColumnValue("contact", "status", "held,missed").ok());  // one code only
  CHECK_FALSE(ValidateColumnValue("contact", "status", "held,held").ok());
  CHECK(ValidateColumnValue("contact", "mode", "in_person").ok());
  CHECK_FALSE(ValidateColumnValue("contact", "mode", "online").ok());  // a mentoring mode
  CHECK(ValidateColumnValue("mentoring_session", "mode", "online").ok());
  CHECK(ValidateColumnValue("client", "tags", "juvenile,addiction").ok());
  CHECK(ValidateColumnValue("client", "tags", "juvenile,juvenile").error().message ==
        "value: a code is repeated");
  CHECK_FALSE(ValidateColumnValue("client", "tags", "juvenile,").ok());
  CHECK(ValidateColumnValue("attendance", "attended", "jā").error().message ==
        "value: must be 1 (yes) or 0 (no)");
  CHECK(ValidateColumnValue("mentoring_session", "duration_minutes", "60").value() == "60");
  for (const char* bad : {"sešdesmit", "-5", "1.5", "99999999"}) {
    INFO(bad);
    CHECK(ValidateColumnValue("mentoring_session", "duration_minutes", bad).error().message ==
          "value: must be a whole number from 0 to 1000000");
  }
  CHECK(ValidateColumnValue("mappa_action", "due_on", "20.03.2026").value() == "2026-03-20");
  CHECK_FALSE(ValidateColumnValue("mappa_action", "due_on", "31.02.2026").ok());
  CHECK(ValidateColumnValue("contact", "planned_at", "16.03.2026 09:30").value() ==
        "2026-03-16T09:30");
  CHECK(ValidateColumnValue("contact", "planned_at", "16.03.2026 25:30").error().message ==
        "value: time must be HH:MM");
  CHECK(ValidateColumnValue("note", "body", "Jebkāds teksts, 42").value() == "Jebkāds teksts, 42");
  CHECK(ValidateColumnValue("contact", "status", "").value().empty());  // cleared
  CHECK(IsLinkColumn("case_id"));
  CHECK(IsLinkColumn("party_ids"));
  CHECK_FALSE(IsLinkColumn("paid"));
  CHECK(IsProvenanceColumn("signed_by"));
  CHECK(IsProvenanceColumn("written_at"));
  CHECK_FALSE(IsProvenanceColumn("planned_at"));
  CHECK_FALSE(IsCorrectableTable("countersignature"));
  CHECK(IsCorrectableTable("contact"));
}

TEST_CASE(
    "corrections: a value of the wrong kind, a recorded time and a signature are refused "
    "with nothing written",
    "[client][columns][corrections]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  RecordContact contact;
  contact.case_id = case_id;
  contact.planned_at = "10.03.2026 10:00";
  contact.status = ContactStatus::kHeld;
  contact.held_on = "10.03.2026";
  contact.outcome = "Ieradās";
  const std::string contact_id = f.Must(ws->Execute(contact));
  const std::string note = f.Must(ws->Execute(AddNote{case_id, "Ieradās laikā", "", ""}));
  const auto client_id = ws->CaseFile(case_id).value().client.id;

  CheckRefused(f, ws->Execute(CorrectRecord{"contact", contact_id, "status", "notikusi", "kļūda"}),
               "value: not one of the field's codes");
  CheckRefused(f, ws->Execute(CorrectRecord{"contact", contact_id, "mode", "online", "kļūda"}),
               "value: not one of the field's codes");
  CheckRefused(f, ws->Execute(CorrectRecord{"client", client_id, "tags", "woman,woman", "kļūda"}),
               "value: a code is repeated");
  CheckRefused(f, ws->Execute(CorrectRecord{"note", note, "written_at", "2020-01-01", "kļūda"}),
               "field: who recorded or signed a record, and when, is not corrected");
  CheckRefused(f, ws->Execute(CorrectRecord{"contact", contact_id, "planned_at", "rīt", "kļūda"}),
               "value: must be a date dd.mm.yyyy");
  CheckRefused(f,
               ws->Execute(CorrectRecord{"countersignature", contact_id, "remark", "x", "kļūda"}),
               "target_table: not a correctable record");

  // The same fields with values of their kind are corrected, a day-time stored as ISO.
  f.Must(ws->Execute(CorrectRecord{"contact", contact_id, "mode", "phone", "sazvanījāmies"}));
  f.Must(ws->Execute(CorrectRecord{"client", client_id, "tags", "woman,addiction", "precizēts"}));
  f.Must(ws->Execute(
      CorrectRecord{"contact", contact_id, "planned_at", "10.03.2026 11:30", "pārcelts"}));
  const auto file = ws->CaseFile(case_id).value();
  REQUIRE(file.corrections.size() == 3);
  std::set<std::string> stored;
  for (const auto& c : file.corrections) stored.insert(c.field + "=" + c.value);
  CHECK(stored ==
        std::set<std::string>{"mode=phone", "tags=woman,addiction", "planned_at=2026-03-10T11:30"});
}
