// Approvals: a unit supervisor's countersignature of a signed assessment, a plan version or a
// court application; every refusal writes nothing.
#include <catch2/catch.hpp>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

std::string RecordDraftAssessment(ModelFixture& f, Workspace& ws, const std::string& case_id) {
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument = Instrument::kVpdRvn;
  ra.instrument_version = "2019";
  ra.assessed_on = "05.03.2026";
  ra.total_score = 31;
  ra.risk_level = RiskLevel::kMedium;
  ra.needs = {NeedDomain::kEducationEmployment, NeedDomain::kAlcohol};
  return f.Must(ws.Execute(ra));
}

}  // namespace

TEST_CASE(
    "a unit supervisor countersigns a signed assessment, a plan version and a court "
    "application once and refuses drafts, authors and others",
    "[client][workflow][approvals]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto sup = f.As(f.supervisor);
  const std::string case_id = f.RegisterBerzins(*officer);
  const std::string assessment = RecordDraftAssessment(f, *officer, case_id);
  const std::string plan = f.Must(officer->Execute(CreatePlan{
      case_id, "16.06.2026", {{"atrast darbu", NeedDomain::kEducationEmployment, "NVA", ""}}}));
  const std::string application = f.Must(officer->Execute(FileCourtApplication{
      case_id, CourtApplicationKind::kReplaceUnservedSentence, "", "izvairās", {}}));

  const auto outbox = f.Outbox();
  // An unsigned draft.
  auto draft = sup->Execute(Countersign{"assessment", assessment, ""});
  REQUIRE_FALSE(draft.ok());
  CHECK(draft.error().code == Errc::kValidation);
  CHECK(draft.error().message.rfind("record_id: the assessment is an unsigned draft", 0) == 0);
  // Not a countersigned kind; no such record.
  auto kind = sup->Execute(Countersign{"contact", assessment, ""});
  CHECK(kind.error().code == Errc::kValidation);
  CHECK(kind.error().message.rfind("record_table:", 0) == 0);
  CHECK(sup->Execute(Countersign{"assessment", "no-such-id", ""}).error().code == Errc::kNotFound);
  CHECK(sup->Execute(Countersign{"assessment", "", ""}).error().code == Errc::kValidation);
  CHECK(f.Outbox() == outbox);
  REQUIRE(officer->Execute(SignAssessment{assessment}).ok());
  const std::string other_sup =
      f.Must(BootstrapUser(f.db, *f.replica, "Rita Liepa", Role::kSupervisor, f.other_unit));
  const auto signed_outbox = f.Outbox();
  // Not a supervisor, or a supervisor of another unit.
  CHECK(officer->Execute(Countersign{"assessment", assessment, ""}).error().code ==
        Errc::kNotPermitted);
  CHECK(f.As(f.coordinator)->Execute(Countersign{"assessment", assessment, ""}).error().code ==
        Errc::kNotPermitted);
  CHECK(f.As(other_sup)->Execute(Countersign{"assessment", assessment, ""}).error().code ==
        Errc::kNotPermitted);
  // A remark too long.
  CHECK(sup->Execute(Countersign{"assessment", assessment, std::string(1001, 'x')})
            .error()
            .message.rfind("remark", 0) == 0);
  CHECK(f.Count("countersignature") == 0);
  CHECK(f.Outbox() == signed_outbox);

  const std::string cs =
      f.Must(sup->Execute(Countersign{"assessment", assessment, "Saskaņots ar vadītāju"}));
  const auto after_first = f.Outbox();
  auto twice = sup->Execute(Countersign{"assessment", assessment, ""});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == Errc::kNotPermitted);
  CHECK(twice.error().message.find("already countersigned") != std::string::npos);
  CHECK(f.Outbox() == after_first);
  f.Must(sup->Execute(Countersign{"res_plan", plan, ""}));
  f.Must(sup->Execute(Countersign{"court_application", application, "Pamatots"}));
  CHECK(f.db.QueryInt("SELECT count(*) FROM countersignature WHERE scope=?", CaseScope(case_id))
            .value() == 3);

  // The case file lists them, oldest first, with the supervisor's name.
  auto file = officer->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->countersignatures.size() == 3);
  CHECK(file->countersignatures[0].id == cs);
  CHECK(file->countersignatures[0].record_table == "assessment");
  CHECK(file->countersignatures[0].record_id == assessment);
  CHECK(file->countersignatures[0].signed_by == f.supervisor);
  CHECK(file->countersignatures[0].signed_by_name == "Anna Vītola");
  CHECK(file->countersignatures[0].remark == "Saskaņots ar vadītāju");
  CHECK(file->countersignatures[2].record_table == "court_application");

  // The case history tells it on the record it approves.
  auto history = sup->CaseHistory(case_id);
  REQUIRE(history.ok());
  int told = 0;
  for (const auto& e : history->entries) {
    CHECK(e.table != "countersignature");
    if (e.action != "countersigned") continue;
    ++told;
    CHECK(e.user_id == f.supervisor);
    if (e.table == "assessment") {
      CHECK(e.record_id == assessment);
      CHECK(e.record_label == "2026-03-05");
      bool remark = false;
      for (const auto& field : e.fields)
        remark = remark || (field.column == "remark" && field.to == "Saskaņots ar vadītāju");
      CHECK(remark);
    }
  }
  CHECK(told == 3);

  // A second countersignature arriving from another supervisor's device (written as sync
  // would) does not list the record twice; the earlier one counts.
  {
    auto tx = storage::Transaction::Begin(f.db);
    REQUIRE(tx.ok());
    REQUIRE(f.replica
                ->Write("countersignature", "remote-cs", CaseScope(case_id),
                        {{"case_id", case_id},
                         {"record_table", std::string("assessment")},
                         {"record_id", assessment},
                         {"signed_by", other_sup},
                         {"signed_at", std::string("2099-01-01T00:00:00Z")}})
                .ok());
    REQUIRE(tx->Commit().ok());
  }
  file = officer->CaseFile(case_id);
  REQUIRE(file->countersignatures.size() == 3);
  CHECK(file->countersignatures[0].signed_by == f.supervisor);
}

TEST_CASE("a supervisor does not countersign a record of their own",
          "[client][workflow][approvals]") {
  ModelFixture f;
  // An officer writes and signs an assessment, then becomes the unit's supervisor (the
  // directory change arrives as sync would write it).
  auto officer = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*officer);
  const std::string assessment = RecordDraftAssessment(f, *officer, case_id);
  REQUIRE(officer->Execute(SignAssessment{assessment}).ok());
  const std::string application = f.Must(officer->Execute(FileCourtApplication{
      case_id, CourtApplicationKind::kReplaceUnservedSentence, "", "izvairās", {}}));
  {
    auto tx = storage::Transaction::Begin(f.db);
    REQUIRE(tx.ok());
    REQUIRE(
        f.replica->Write("org_user", f.officer, "org", {{"role", std::string("supervisor")}}).ok());
    REQUIRE(tx->Commit().ok());
  }
  auto promoted = f.As(f.officer);
  const auto outbox = f.Outbox();
  for (const auto& [table, id] : {std::pair<std::string, std::string>{"assessment", assessment},
                                  {"court_application", application}}) {
    auto own = promoted->Execute(Countersign{table, id, ""});
    REQUIRE_FALSE(own.ok());
    CHECK(own.error().code == Errc::kNotPermitted);
    CHECK(own.error().message.find("yourself") != std::string::npos);
  }
  CHECK(f.Outbox() == outbox);
  CHECK(f.Count("countersignature") == 0);
  // Another supervisor of the unit may.
  f.Must(f.As(f.supervisor)->Execute(Countersign{"assessment", assessment, ""}));
}
