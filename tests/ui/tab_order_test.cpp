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
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

using testing::desktop::ReplaceAll;
using testing::desktop::ScriptDir;
using testing::desktop::Slurp;

std::string Iso(const std::string& dd_mm_yyyy) {
  return dd_mm_yyyy.substr(6, 4) + "-" + dd_mm_yyyy.substr(3, 2) + "-" + dd_mm_yyyy.substr(0, 2);
}

}  // namespace

TEST_CASE("Tab moves through the record-contact form in drawing order", "[ui][gl][keyboard]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareOfficerStore(data);
  RunScriptAs(dir, data, "tab_order_contact.lvs");

  ui::Session s;
  SignInAs(s, data);
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
  const std::string case_id = PrepareOfficerStore(data);
  const std::string due = DaysFromToday(10);
  RunScriptAs(dir, data, "tab_order_mappa.lvs", {{"@DUE@", due}});

  ui::Session s;
  SignInAs(s, data);
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
