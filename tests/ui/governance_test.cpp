// Governance in the real lietvedis-desktop under Xvfb. The supervisor's countersignature: a
// store prepared through the client API (the officer's signed assessment, an unsigned draft
// and a plan), the supervisor's "Kontrasignēt" clicked by scripted input beside the signed
// assessment and the plan, the draft offering none. The officer's referral of a sex-offence
// client to a circle of support, refused first for a consent day that does not exist. Each
// ends by reopening the store through the Workspace to assert what was written.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using testing::desktop::ReplaceAll;
using testing::desktop::Slurp;

namespace {

constexpr const char* kPassphrase = "demo-parole-2026";
constexpr const char* kCode = "010190-11004";

// Assessments are listed newest first: the draft of 05.03 is row 0, the signed one row 1.
constexpr const char* kScript = R"(expect "Vadītāja pārskats"
idle
click "#nav_caseload"
idle
click "#search"
type "@CODE@"
idle
click "#row0"
idle
click "#tab_assessments"
wait 2
expect "Melnraksts"
click "#countersign_assessment_@SIGNED@"
idle
wait 2
expect "Kontrasignējums: "
screenshot "@OUT@/countersigned-assessment.png"
# The unsigned draft offers no countersignature.
expect_not "Kontrasignēt"
click "#tab_plan"
wait 2
click "#countersign_plan_1"
idle
wait 2
expect "Kontrasignējums: "
expect_not "Kontrasignēt"
lang en
expect "Countersignature: "
lang lv
quit
)";

}  // namespace

TEST_CASE("a supervisor countersigns a signed assessment and the plan and a draft offers none",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string case_id, signed_id, draft_id, plan_id;
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
    client::Workspace& ws = *s.workspace();
    client::RegisterClient c;
    c.name = "Žanete";
    c.surname = "Ūdre";
    c.personal_code = kCode;
    c.opened_on = "01.03.2026";
    case_id = ws.Execute(c).value();
    client::RecordAssessment a;
    a.case_id = case_id;
    a.instrument_version = "2.1";
    a.assessed_on = "02.03.2026";
    a.total_score = 20;
    a.risk_level = client::RiskLevel::kMedium;
    signed_id = ws.Execute(a).value();
    REQUIRE(ws.Execute(client::SignAssessment{signed_id}).ok());
    a.assessed_on = "05.03.2026";
    draft_id = ws.Execute(a).value();
    plan_id = ws.Execute(client::CreatePlan{
                             case_id,
                             "01.06.2026",
                             {{"Atrast darbu", client::NeedDomain::kEducationEmployment, "", ""}}})
                  .value();
    auto file = ws.CaseFile(case_id);
    REQUIRE(file.ok());
    REQUIRE(file->assessments.size() == 2);
    REQUIRE(file->assessments[1].id == signed_id);
    s.Lock();
  }
  std::string script = kScript;
  ReplaceAll(script, "@OUT@", dir.path().string());
  ReplaceAll(script, "@CODE@", kCode);
  ReplaceAll(script, "@SIGNED@", "1");
  const std::string script_path = dir / "countersign.lvs";
  std::ofstream(script_path) << script;
  const std::string result = dir / "result.json";
  const int rc =
      testing::desktop::RunDesktopAs(data, kPassphrase, "supervisor", script_path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CHECK(std::filesystem::file_size(dir / "countersigned-assessment.png") > 10000);

  ui::Session s;
  REQUIRE(s.Open(data, kPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users["officer"]).ok());
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->countersignatures.size() == 2);
  CHECK(file->countersignatures[0].record_table == "assessment");
  CHECK(file->countersignatures[0].record_id == signed_id);
  CHECK(file->countersignatures[0].signed_by == profile->demo_users["supervisor"]);
  CHECK(file->countersignatures[1].record_table == "res_plan");
  CHECK(file->countersignatures[1].record_id == plan_id);
  for (const auto& c : file->countersignatures) CHECK(c.record_id != draft_id);
}

namespace {

constexpr const char* kCircleScript = R"lvs(expect "Klientu lietas"
idle
click "#search"
type "@CODE@"
idle
click "#row0"
idle
click "#tab_programmes"
wait 2
click "#refer_mentoring"
click "#mentoring_consent_on"
type "31.02.2026"
click "#mentoring_circle"
click "#mentoring_save"
idle
expect "šāda datuma nav"
screenshot "@OUT@/circle-refused.png"
click "#mentoring_consent_on"
key ctrl+a
type "02.03.2026"
click "#mentoring_save"
idle
wait 2
expect "(Atbalsta un atbildīguma aplis)"
quit
)lvs";

}  // namespace

TEST_CASE("the officer refers a sex-offence client to a circle of support from the Programmes tab",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string case_id;
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
    client::RegisterClient c;
    c.name = "Žanete";
    c.surname = "Ūdre";
    c.personal_code = kCode;
    c.tags = {client::ClientTag::kSexOffence};
    c.opened_on = "01.03.2026";
    case_id = s.workspace()->Execute(c).value();
    s.Lock();
  }
  std::string script = kCircleScript;
  ReplaceAll(script, "@OUT@", dir.path().string());
  ReplaceAll(script, "@CODE@", kCode);
  const std::string script_path = dir / "circle.lvs";
  std::ofstream(script_path) << script;
  const std::string result = dir / "result.json";
  const int rc = testing::desktop::RunDesktopAs(data, kPassphrase, "officer", script_path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CHECK(std::filesystem::file_size(dir / "circle-refused.png") > 10000);

  ui::Session s;
  REQUIRE(s.Open(data, kPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users["officer"]).ok());
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  // The refused attempt wrote nothing: one referral, to a circle, consent on 02.03.2026.
  REQUIRE(file->mentoring_referrals.size() == 1);
  CHECK(file->mentoring_referrals[0].circle);
  CHECK(file->mentoring_referrals[0].consent_on == "2026-03-02");
  auto mentoring = s.workspace()->Mentoring(case_id);
  REQUIRE(mentoring.ok());
  CHECK(mentoring->card.circle);
}
