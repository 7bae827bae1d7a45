// The evaluation report editor of the real lietvedis-desktop under Xvfb: a request prepared
// and started through the client API, then drafted, signed and submitted by scripted input
// (tests/ui/scripts/evaluation_report.lvs), and the result read back from the store.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/session.hpp"

using namespace lietvedis;

namespace {

constexpr const char* kPassphrase = "demo-parole-2026";

using testing::desktop::Slurp;

}  // namespace

TEST_CASE("an evaluation report is drafted, signed and submitted in the desktop",
          "[ui][gl][slow][evaluation]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);  // run under xvfb-run (./run test does)
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string case_id, request, assessment;
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
    client::Workspace& ws = *s.workspace();
    client::RegisterClient c;
    c.name = "Žanete";
    c.surname = "Ūdre";
    c.personal_code = "010190-11004";
    c.kind = client::CaseKind::kEvaluationReport;
    c.opened_on = "01.03.2026";
    auto registered = ws.Execute(c);
    REQUIRE(registered.ok());
    case_id = *registered;
    auto requested = ws.Execute(
        client::RecordEvaluationRequest{case_id, client::Requester::kCourt, "Kurzemes rajona tiesa",
                                        "K-2026/117", "02.03.2026", "31.12.2030"});
    REQUIRE(requested.ok());
    request = *requested;
    client::RecordAssessment a;
    a.case_id = case_id;
    a.instrument_version = "2.1";
    a.assessed_on = "05.03.2026";
    a.risk_level = client::RiskLevel::kMedium;
    auto recorded = ws.Execute(a);
    REQUIRE(recorded.ok());
    assessment = *recorded;
    REQUIRE(ws.Execute(client::SignAssessment{assessment}).ok());
    REQUIRE(ws.Execute(client::StartEvaluationReport{request, ""}).ok());
    client::DraftEvaluationReport d;
    d.request_id = request;
    d.assessment_id = assessment;
    REQUIRE(ws.Execute(d).ok());
    s.Lock();
  }

  std::string script =
      Slurp(std::string(LV_TEST_SOURCE_DIR) + "/tests/ui/scripts/evaluation_report.lvs");
  REQUIRE_FALSE(script.empty());
  for (auto at = script.find("@OUT@"); at != std::string::npos; at = script.find("@OUT@")) {
    script.replace(at, 5, dir.path().string());
  }
  const std::string script_path = dir / "evaluation_report.lvs";
  std::ofstream(script_path) << script;
  const std::string result = dir / "result.json";
  const int rc = testing::desktop::RunDesktopAs(data, kPassphrase, "officer", script_path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CHECK(std::filesystem::file_size(dir / "evaluation-editor.png") > 10000);
  CHECK(std::filesystem::file_size(dir / "evaluation-submitted.png") > 10000);

  ui::Session s;
  REQUIRE(s.Open(data, kPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users["officer"]).ok());
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->evaluation_requests.size() == 1);
  CHECK(file->evaluation_requests[0].status == client::EvaluationStatus::kSubmitted);
  REQUIRE(file->evaluation_reports.size() == 1);
  const client::EvaluationReport& r = file->evaluation_reports[0];
  CHECK(r.IsSigned());
  CHECK(r.circumstances == "Dzīvo Liepājā pie mātes; strādā ostā.");
  CHECK(r.offence == "Zādzība no veikala.");
  CHECK(r.conclusion == "Ieteicams nosacīts sods ar probācijas uzraudzību.");
  CHECK(r.assessment_id == assessment);
}

// The withdrawal's day is a calendar field like every other date: the 15th of last month is
// picked in its popup, the reason typed and Enter withdraws; the store holds that day.
TEST_CASE("an evaluation request is withdrawn on a day picked in the calendar",
          "[ui][gl][slow][evaluation][calendar]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);  // run under xvfb-run (./run test does)
  testing::TempDir dir;
  const std::string data = dir / "data";
  // dd.mm.yyyy `days` from today (in Latvia), and the 15th of last month as ISO.
  const auto day = [](int days) { return testing::ServiceDayLv(days); };
  const std::string today_iso = testing::ServiceDayIso();
  const int this_month = std::stoi(today_iso.substr(5, 2));
  const int year = std::stoi(today_iso.substr(0, 4)) - (this_month == 1 ? 1 : 0);
  const int month = this_month == 1 ? 12 : this_month - 1;
  char picked[32];
  std::snprintf(picked, sizeof picked, "%04d-%02d-15", year, month);
  std::string case_id, request;
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
    client::Workspace& ws = *s.workspace();
    client::RegisterClient c;
    c.name = "Žanete";
    c.surname = "Ūdre";
    c.personal_code = "010190-11004";
    c.kind = client::CaseKind::kEvaluationReport;
    c.opened_on = day(-100);
    auto registered = ws.Execute(c);
    REQUIRE(registered.ok());
    case_id = *registered;
    auto requested = ws.Execute(
        client::RecordEvaluationRequest{case_id, client::Requester::kProsecutor,
                                        "Liepājas prokuratūra", "P-2026/9", day(-100), day(60)});
    REQUIRE(requested.ok());
    request = *requested;
    s.Lock();
  }
  const std::string script_path = dir / "evaluation_withdraw.lvs";
  std::ofstream(script_path) << R"(expect "Klientu lietas"
idle
click "#search"
type "udre"
wait 3
idle
click "#row0"
idle
expect "Liepājas prokuratūra, P-2026/9"
expect "Atsaukšanas datums"
click "#eval_withdrawn_on_calendar"
wait 2
click "#cal_prev_month"
wait 1
click "#cal_day_15"
wait 2
click "#eval_reason"
type "Prokuratūra lietu izbeidza"
key Enter
idle
wait 2
expect "Prokuratūra lietu izbeidza"
lang en
wait 2
expect "Withdrawn"
quit
)";
  const std::string result = dir / "result.json";
  const int rc = testing::desktop::RunDesktopAs(data, kPassphrase, "officer", script_path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  REQUIRE(s.Open(data, kPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users["officer"]).ok());
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->evaluation_requests.size() == 1);
  CHECK(file->evaluation_requests[0].status == client::EvaluationStatus::kWithdrawn);
  CHECK(file->evaluation_requests[0].withdrawn_on == picked);
  CHECK(file->evaluation_requests[0].withdrawal_reason == "Prokuratūra lietu izbeidza");
}
