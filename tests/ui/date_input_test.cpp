// The date field's calendar popup (ui/date_input.hpp) in the real lietvedis-desktop under
// Xvfb: a consent recorded with its day picked in the calendar (a year back and forward, a
// month back, the 15th), a referral refused with a typed day that does not exist and recorded
// with a typed one, the calendar read in English; the store reopened through the Workspace.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/i18n.hpp"
#include "ui/session.hpp"

using namespace lietvedis;

namespace {

constexpr const char* kPassphrase = "demo-parole-2026";
constexpr const char* kCode = "010190-11004";

using testing::desktop::ReplaceAll;
using testing::desktop::Slurp;

constexpr ui::S kMonths[12] = {ui::S::kMonthJanuary, ui::S::kMonthFebruary, ui::S::kMonthMarch,
                               ui::S::kMonthApril,   ui::S::kMonthMay,      ui::S::kMonthJune,
                               ui::S::kMonthJuly,    ui::S::kMonthAugust,   ui::S::kMonthSeptember,
                               ui::S::kMonthOctober, ui::S::kMonthNovember, ui::S::kMonthDecember};

// The popup's title for a month, as the widget draws it in each language.
std::string TitleLv(int year, int month) {
  return std::to_string(year) + ". gada " + ui::TrIn(kMonths[month - 1], ui::Lang::kLv);
}
std::string TitleEn(int year, int month) {
  return std::string(ui::TrIn(kMonths[month - 1], ui::Lang::kEn)) + " " + std::to_string(year);
}

constexpr const char* kScript = R"lvs(expect "Klientu lietas"
idle
click "#search"
type "@CODE@"
idle
click "#row0"
idle
click "#tab_programmes"
wait 2
click "#record_consent"
click "#consent_programme"
click "Motivācija izmaiņām"
click "#consent_given_on_calendar"
expect "@TITLE_NOW@"
expect "Pk"
click "#cal_prev_year"
expect "@TITLE_YEAR_BACK@"
click "#cal_next_year"
click "#cal_prev_month"
expect "@TITLE_MONTH_BACK@"
screenshot "@OUT@/calendar.png"
click "#cal_day_15"
wait 2
expect_not "@TITLE_MONTH_BACK@"
key Enter
idle
wait 2
expect "Motivācija izmaiņām — Dota, @PICKED@"
click "#refer_programme"
click "#referral_programme"
click "Motivācija izmaiņām"
click "#referral_need"
click "Alkohols"
click "#referral_referred_on"
key ctrl+a
type "31.02.2026"
click "#referral_save"
idle
expect "šāda datuma nav"
click "#referral_referred_on"
key ctrl+a
type "@TODAY@"
key Enter
idle
wait 2
lang en
click "#refer_programme"
click "#referral_referred_on_calendar"
expect "@TITLE_NOW_EN@"
expect "Mo"
click "#cal_today"
wait 2
expect_not "@TITLE_NOW_EN@"
click "#referral_cancel"
quit
)lvs";

}  // namespace

TEST_CASE("a date is picked in the calendar popup and a typed date still works",
          "[ui][gl][forms][calendar]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);  // run under xvfb-run (./run test does)
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string case_id, today;
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
    client::Workspace& ws = *s.workspace();
    client::RegisterClient c;
    c.name = "Žanete";
    c.surname = "Ūdre";
    c.personal_code = kCode;
    c.kind = client::CaseKind::kConditionalSentence;
    c.opened_on = "01.03.2026";
    auto registered = ws.Execute(c);
    REQUIRE(registered.ok());
    case_id = *registered;
    client::RecordAssessment a;
    a.case_id = case_id;
    a.instrument_version = "2.1";
    a.assessed_on = "02.03.2026";
    a.risk_level = client::RiskLevel::kMedium;
    auto recorded = ws.Execute(a);
    REQUIRE(recorded.ok());
    REQUIRE(ws.Execute(client::SignAssessment{*recorded}).ok());
    today = ws.Today();
    s.Lock();
  }
  const int year = std::stoi(today.substr(0, 4));
  const int month = std::stoi(today.substr(5, 2));
  const int back_year = month == 1 ? year - 1 : year;
  const int back_month = month == 1 ? 12 : month - 1;
  char picked_iso[40];
  std::snprintf(picked_iso, sizeof picked_iso, "%04d-%02d-15", back_year, back_month);
  char picked[40];
  std::snprintf(picked, sizeof picked, "15.%02d.%04d", back_month, back_year);

  std::string script = kScript;
  ReplaceAll(script, "@OUT@", dir.path().string());
  ReplaceAll(script, "@CODE@", kCode);
  ReplaceAll(script, "@TODAY@",
             today.substr(8, 2) + "." + today.substr(5, 2) + "." + today.substr(0, 4));
  ReplaceAll(script, "@TITLE_NOW@", TitleLv(year, month));
  ReplaceAll(script, "@TITLE_YEAR_BACK@", TitleLv(year - 1, month));
  ReplaceAll(script, "@TITLE_MONTH_BACK@", TitleLv(back_year, back_month));
  ReplaceAll(script, "@TITLE_NOW_EN@", TitleEn(year, month));
  ReplaceAll(script, "@PICKED@", picked);
  const std::string script_path = dir / "calendar.lvs";
  std::ofstream(script_path) << script;
  const std::string result = dir / "result.json";
  const int rc = testing::desktop::RunDesktopAs(data, kPassphrase, "officer", script_path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  testing::desktop::CheckScreenshot(dir / "calendar.png");
  testing::desktop::KeepForDocs(dir / "calendar.png", "screenshot-calendar.png");

  ui::Session s;
  REQUIRE(s.Open(data, kPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users["officer"]).ok());
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  // The consent carries the day picked in the calendar.
  REQUIRE(file->consents.size() == 1);
  CHECK(file->consents[0].programme_id == "prog-motivacija");
  CHECK(file->consents[0].given_on == picked_iso);
  // The refused referral (31.02.) wrote nothing; the typed one holds today; the English
  // calendar's pick was cancelled with its form.
  REQUIRE(file->referrals.size() == 1);
  CHECK(file->referrals[0].referred_on == today);
  CHECK(file->referrals[0].consent_id == file->consents[0].id);
}
