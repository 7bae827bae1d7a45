// Tab order of the desktop's forms under Xvfb: the record-contact form and the MAPPA record
// form filled in with Tab (and Shift+Tab) after their first field, each step checked with
// `expect_focus`, the typed text then read back from the store through the Workspace, where
// it can only have landed in the right fields if the focus went in the order the form draws.
// The record-contact form's day is also picked in its calendar with the time kept.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/session.hpp"

using namespace lietvedis;

namespace {

constexpr const char* kPassphrase = "demo-parole-2026";
constexpr const char* kCode = "010190-11004";

using testing::desktop::ReplaceAll;
using testing::desktop::ScriptDir;
using testing::desktop::Slurp;

// A store with demo data for the officer and one client of the officer's (kCode). Returns
// the client's case id.
std::string PrepareStore(const std::string& data) {
  ui::Session s;
  REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
  REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
  client::RegisterClient c;
  c.name = "Žanete";
  c.surname = "Ūdre";
  c.personal_code = kCode;
  c.kind = client::CaseKind::kConditionalSentence;
  c.opened_on = "01.03.2026";
  auto registered = s.workspace()->Execute(c);
  REQUIRE(registered.ok());
  s.Lock();
  return *registered;
}

void SignIn(ui::Session& s, const std::string& data) {
  REQUIRE(s.Open(data, kPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users["officer"]).ok());
}

// dd.mm.yyyy of `days` days from today (UTC, as the Workspace counts days).
std::string DaysFromToday(int days) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%d.%m.%Y", &tm);
  return buf;
}

std::string Iso(const std::string& dd_mm_yyyy) {
  return dd_mm_yyyy.substr(6, 4) + "-" + dd_mm_yyyy.substr(3, 2) + "-" + dd_mm_yyyy.substr(0, 2);
}

void RunScript(const testing::TempDir& dir, const std::string& data, const std::string& name,
               const std::string& due = {}) {
  REQUIRE(std::getenv("DISPLAY") != nullptr);  // run under xvfb-run (./run test does)
  std::string script = Slurp(ScriptDir() + "/" + name);
  REQUIRE_FALSE(script.empty());
  ReplaceAll(script, "@OUT@", dir.path().string());
  ReplaceAll(script, "@TODAY@", DaysFromToday(0));
  ReplaceAll(script, "@CODE@", kCode);
  ReplaceAll(script, "@DUE@", due);
  const std::string path = dir / name;
  std::ofstream(path) << script;
  const std::string result = dir / "result.json";
  const int rc = testing::desktop::RunDesktopAs(data, kPassphrase, "officer", path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);
}

}  // namespace

TEST_CASE("Tab moves through the record-contact form in drawing order", "[ui][gl][keyboard]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareStore(data);
  RunScript(dir, data, "tab_order_contact.lvs");

  ui::Session s;
  SignIn(s, data);
  client::Workspace& ws = *s.workspace();
  auto file = ws.CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->contacts.size() == 1);
  // 01.01.2026 09:30 typed, today picked in the calendar: the time stays.
  CHECK(file->contacts[0].planned_at.substr(0, 16) == ws.Today() + "T09:30");
  CHECK(file->contacts[0].outcome == "Telefonsaruna norunāta");
}

TEST_CASE("Tab moves through the MAPPA record form in drawing order", "[ui][gl][keyboard]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareStore(data);
  const std::string due = DaysFromToday(10);
  RunScript(dir, data, "tab_order_mappa.lvs", due);

  ui::Session s;
  SignIn(s, data);
  client::Workspace& ws = *s.workspace();
  auto meetings = ws.MappaMeetings();
  REQUIRE(meetings.ok());
  const client::MappaMeeting* m = nullptr;
  for (const auto& meeting : *meetings) {
    if (meeting.case_ids.find(case_id) != std::string::npos) m = &meeting;
  }
  REQUIRE(m != nullptr);
  CHECK(m->held_on == ws.Today());
  CHECK(m->risk_decisions == "Riska lēmums");
  CHECK(m->victim_decisions == "Cietušā lēmums");
  REQUIRE(m->participants.size() == 1);
  CHECK(m->participants[0].name == "Inta Bērziņa, probācijas darbiniece");
  REQUIRE(m->actions.size() == 1);
  CHECK(m->actions[0].description == "Apmeklēt klientu");
  CHECK(m->actions[0].due_on == Iso(due));
  REQUIRE(m->disclosures.size() == 1);
  CHECK(m->disclosures[0].what == "Adrese");
  CHECK(m->disclosures[0].to_whom == "Inspektors");
  CHECK(m->disclosures[0].legal_basis == "Probācijas likuma 6. pants");
}
