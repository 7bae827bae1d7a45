// The case history in words (ui/screen_casefile.cpp, Vēsture): the labels of the fields and
// values without a window, then the real lietvedis-desktop under Xvfb opening a case's Vēsture
// tab by scripted input (tests/ui/scripts/case_history.lvs).
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "client/schema.hpp"
#include "client/workspace.hpp"
#include "storage/database.hpp"
#include "sync/replica.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/i18n.hpp"
#include "ui/session.hpp"

using namespace lietvedis;

namespace {

constexpr const char* kPassphrase = "demo-parole-2026";

using testing::desktop::Slurp;

using testing::desktop::ReplaceAll;

}  // namespace

TEST_CASE("history: every field of the main case records has a label in both languages",
          "[ui][history]") {
  testing::TempDir dir;
  auto db = storage::Database::Open(dir / "labels.db");
  REQUIRE(db.ok());
  auto replica = client::OpenClientReplica(*db, "labels");
  REQUIRE(replica.ok());
  const char* kMain[] = {"client",
                         "related_person",
                         "probation_case",
                         "em_episode",
                         "evaluation_request",
                         "supervision_section",
                         "assessment",
                         "res_plan",
                         "plan_goal",
                         "contact",
                         "violation",
                         "court_application",
                         "consent",
                         "referral",
                         "attendance",
                         "note",
                         "src_placement",
                         "community_order",
                         "work_placement",
                         "community_hours",
                         "escalation_decision",
                         "evaluation_report",
                         "mentoring_referral"};
  for (const char* table : kMain) {
    // The replicated columns, as the audit names them.
    const sync::TableSpec* spec = (*replica)->FindTable(table);
    INFO(table);
    REQUIRE(spec != nullptr);
    int columns = 0;
    for (const std::string& column : spec->columns) {
      if (column == "id" || column == "scope" || column == "name_fold") continue;
      ++columns;
      INFO(table << "." << column);
      CHECK(ui::HasHistoryFieldLabel(table, column));
    }
    INFO(table);
    CHECK(columns > 0);
    CHECK(ui::TableLabel(table).find('_') == std::string::npos);
  }
}

TEST_CASE("history: values in words, an unlabelled field is reported as a raw code",
          "[ui][history]") {
  ui::SetLanguage(ui::Lang::kLv);
  CHECK(ui::HistoryFieldLabel("contact", "outcome") == "Iznākums");
  CHECK(ui::HistoryValueText("contact", "status", "held") == "Notika");
  CHECK(ui::HistoryValueText("assessment", "risk_level", "very_high") == "Ļoti augsts");
  CHECK(ui::HistoryValueText("supervision_section", "outcome", "revoked_violation") ==
        ui::Tr(client::SectionOutcome::kRevokedViolation));
  CHECK(ui::HistoryValueText("assessment", "needs", "alcohol,education_employment") ==
        std::string(ui::Tr(client::NeedDomain::kAlcohol)) + ", " +
            ui::Tr(client::NeedDomain::kEducationEmployment));
  CHECK(ui::HistoryValueText("supervision_section", "planned_end_on", "2028-03-02") ==
        "02.03.2028");
  // A stamp (UTC) in Latvia's time, +2 in March before summer time.
  CHECK(ui::HistoryValueText("assessment", "signed_at", "2026-03-05T09:30:00Z") ==
        "05.03.2026 11:30");
  CHECK(ui::HistoryValueText("attendance", "attended", "1") == "jā");
  CHECK(ui::HistoryValueText("src_placement", "daily_cost_cents", "1505") == "15,05 €");
  // Free text stays as written, even when it is not a code.
  CHECK(ui::HistoryValueText("contact", "outcome", "ieradās laikā") == "ieradās laikā");
  CHECK(ui::IsUserColumn("signed_by"));
  CHECK_FALSE(ui::IsUserColumn("outcome"));
  // No label: the column is drawn as it is and the scripted runs' guard names it.
  CHECK(ui::RawCodesIn("Lauks zz_history_probe: 1 → 2", ui::Lang::kLv).empty());
  CHECK(ui::HistoryFieldLabel("contact", "zz_history_probe") == "zz_history_probe");
  CHECK(ui::RawCodesIn("Lauks zz_history_probe: 1 → 2", ui::Lang::kLv) ==
        std::vector<std::string>{"zz_history_probe"});
  CHECK(ui::RawCodesIn("Field zz_history_probe", ui::Lang::kEn) ==
        std::vector<std::string>{"zz_history_probe"});
  ui::SetLanguage(ui::Lang::kEn);
  CHECK(ui::HistoryFieldLabel("contact", "outcome") == "Outcome");
  CHECK(ui::HistoryValueText("contact", "status", "held") == "Held");
  ui::SetLanguage(ui::Lang::kLv);
}

TEST_CASE("history: the Vēsture tab lists a case's changes in words, filtered by record kind",
          "[ui][gl][slow][history]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);  // run under xvfb-run (./run test does)
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string code = "010190-11004";
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
    client::Workspace& ws = *s.workspace();
    client::RegisterClient c;
    c.name = "Žanete";
    c.surname = "Ūdre";
    c.personal_code = code;
    c.kind = client::CaseKind::kConditionalSentence;
    c.opened_on = "01.03.2026";
    auto registered = ws.Execute(c);
    REQUIRE(registered.ok());
    const std::string case_id = *registered;

    client::OpenSupervisionSection open;
    open.case_id = case_id;
    open.sentence_type = "nosacīta notiesāšana";
    open.court_decision_ref = "K12-0345-25";
    open.obligations = "ierasties VPD reizi mēnesī";
    open.opened_on = "02.03.2026";
    open.planned_end_on = "02.03.2028";
    auto section = ws.Execute(open);
    REQUIRE(section.ok());
    REQUIRE(
        ws.Execute(client::AmendSupervisionSection{*section, "ierasties VPD divreiz mēnesī", ""})
            .ok());

    client::RecordAssessment a;
    a.case_id = case_id;
    a.instrument_version = "2.1";
    a.assessed_on = "05.03.2026";
    a.risk_level = client::RiskLevel::kMedium;
    auto assessment = ws.Execute(a);
    REQUIRE(assessment.ok());
    REQUIRE(ws.Execute(client::SignAssessment{*assessment}).ok());
    REQUIRE(ws.Execute(client::CorrectRecord{"assessment", *assessment, "risk_level", "high",
                                             "kļūdaini ievadīts līmenis"})
                .ok());

    client::RecordContact plan;
    plan.case_id = case_id;
    plan.planned_at = "09.03.2026";
    auto contact = ws.Execute(plan);
    REQUIRE(contact.ok());
    REQUIRE(ws.Execute(client::RecordContactOutcome{*contact, client::ContactStatus::kHeld,
                                                    "09.03.2026", "ieradās laikā", ""})
                .ok());
    s.Lock();
  }

  ui::SetLanguage(ui::Lang::kLv);
  const std::string arrow = " → ";
  const std::string none = ui::Tr(ui::S::kHistoryNoValue);
  std::string script =
      Slurp(std::string(LV_TEST_SOURCE_DIR) + "/tests/ui/scripts/case_history.lvs");
  REQUIRE_FALSE(script.empty());
  const std::vector<std::pair<std::string, std::string>> fill = {
      {"@OUT@", dir.path().string()},
      {"@CODE@", code},
      {"@STATUS_LINE@", "Statuss: " + std::string(ui::Tr(client::ContactStatus::kPlanned)) + arrow +
                            ui::Tr(client::ContactStatus::kHeld)},
      {"@OUTCOME_LINE@", "Iznākums: " + none + arrow + "ieradās laikā"},
      {"@HELD_LINE@", "Notikšanas datums: " + none + arrow + "09.03.2026"},
      {"@CONTACT_RECORD@", "Kontakts 09.03.2026"},
      {"@OBLIGATIONS_LINE@",
       "Pienākumi: ierasties VPD reizi mēnesī" + arrow + "ierasties VPD divreiz mēnesī"},
      {"@RISK_LINE@", "Riska līmenis: " + std::string(ui::Tr(client::RiskLevel::kMedium)) + arrow +
                          ui::Tr(client::RiskLevel::kHigh)},
      {"@REASON_LINE@", "pamatojums: kļūdaini ievadīts līmenis"},
      {"@CONTACT_KIND@", ui::TableLabel("contact")},
      {"@STATUS_LINE_EN@", "Status: Planned" + arrow + "Held"},
  };
  for (const auto& [from, to] : fill) ReplaceAll(script, from, to);
  const std::string script_path = dir / "case_history.lvs";
  std::ofstream(script_path) << script;
  const std::string result = dir / "result.json";
  const int rc = testing::desktop::RunDesktopAs(data, kPassphrase, "officer", script_path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CHECK(std::filesystem::file_size(dir / "case-history.png") > 10000);
  CHECK(std::filesystem::file_size(dir / "case-history-contacts.png") > 10000);
}
