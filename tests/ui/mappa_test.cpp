// The MAPPA minutes forms of the real lietvedis-desktop under Xvfb (record a meeting, amend
// unsigned minutes, sign them) and the keyboard paths of daily work (Ctrl+F, Ctrl+N, Enter,
// Escape, Ctrl+Enter): a store prepared through the client API, the scripts in
// tests/ui/scripts filled in and played, and the store reopened through the Workspace to
// assert what was written, and that a refused form wrote nothing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

using testing::desktop::KeepForDocs;
using testing::desktop::ReplaceAll;
using testing::desktop::ScriptDir;
using testing::desktop::Slurp;

// Meetings of the officer's unit that name `case_id`.
std::vector<client::MappaMeeting> MeetingsOf(client::Workspace& ws, const std::string& case_id) {
  auto meetings = ws.MappaMeetings();
  REQUIRE(meetings.ok());
  std::vector<client::MappaMeeting> out;
  for (auto& m : *meetings) {
    if (m.case_ids.find(case_id) != std::string::npos) out.push_back(std::move(m));
  }
  return out;
}

// An unsigned meeting about `case_id` held on 02.01.2026 (mixed mode, shown in the list as
// "02.01.2026  Jaukts"), with one participant and both decision texts.
std::string RecordDraftMeeting(client::Workspace& ws, const std::string& case_id) {
  client::RecordMappaMeeting m;
  m.held_on = "02.01.2026";
  m.mode = client::MeetingMode::kMixed;
  m.case_ids = {case_id};
  m.participants = {{client::Institution::kVpd, "Inta Bērziņa, probācijas darbiniece"}};
  m.risk_decisions = "Pastiprināta uzraudzība";
  m.victim_decisions = "Cietušo informēt par klienta dzīvesvietas maiņu";
  auto id = ws.Execute(m);
  REQUIRE(id.ok());
  return *id;
}

constexpr const char* kDraftLabel = "02.01.2026  Jaukts";

}  // namespace

TEST_CASE("a MAPPA meeting without participants or with a bad due date is refused beside its field",
          "[ui][gl][slow][mappa]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::size_t before = 0;
  const std::string case_id = PrepareOfficerStore(data);
  {
    ui::Session s;
    SignInAs(s, data);
    auto meetings = s.workspace()->MappaMeetings();
    REQUIRE(meetings.ok());
    before = meetings->size();
  }
  RunScriptAs(dir, data, "mappa_record_refused.lvs");
  CHECK(std::filesystem::file_size(dir / "mappa-record-refused.png") > 10000);
  CHECK(std::filesystem::file_size(dir / "mappa-record-bad-due.png") > 10000);

  ui::Session s;
  SignInAs(s, data);
  auto meetings = s.workspace()->MappaMeetings();
  REQUIRE(meetings.ok());
  CHECK(meetings->size() == before);
  CHECK(MeetingsOf(*s.workspace(), case_id).empty());
}

TEST_CASE("a MAPPA meeting is recorded with its cases, participants, actions and disclosures",
          "[ui][gl][slow][mappa]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareOfficerStore(data);
  const std::string due = DaysFromToday(14);
  RunScriptAs(dir, data, "mappa_record.lvs", {{"@DUE@", due}});
  CHECK(std::filesystem::file_size(dir / "mappa-record-form.png") > 10000);
  KeepForDocs(dir / "mappa-record-form.png", "screenshot-mappa-record.png");

  ui::Session s;
  SignInAs(s, data);
  client::Workspace& ws = *s.workspace();
  const auto meetings = MeetingsOf(ws, case_id);
  REQUIRE(meetings.size() == 1);
  const client::MappaMeeting& m = meetings[0];
  CHECK(m.case_ids == case_id);
  CHECK(m.held_on == ws.Today());
  CHECK(m.mode == client::MeetingMode::kMixed);
  CHECK_FALSE(m.IsSigned());
  CHECK(m.risk_decisions == "Klientam aizliegts tuvoties cietušajai");
  CHECK(m.victim_decisions.empty());
  // The third participant was removed before saving.
  REQUIRE(m.participants.size() == 2);
  std::vector<std::pair<client::Institution, std::string>> people;
  for (const auto& p : m.participants) people.emplace_back(p.institution, p.name);
  CHECK(std::count(people.begin(), people.end(),
                   std::make_pair(client::Institution::kVpd,
                                  std::string("Inta Bērziņa, probācijas darbiniece"))) == 1);
  CHECK(std::count(people.begin(), people.end(),
                   std::make_pair(client::Institution::kStatePolice,
                                  std::string("Jānis Kalniņš, iecirkņa inspektors"))) == 1);
  REQUIRE(m.actions.size() == 1);
  CHECK(m.actions[0].description == "Apmeklēt klientu dzīvesvietā");
  CHECK(m.actions[0].owner == client::Institution::kStatePolice);
  CHECK(m.actions[0].due_on == due.substr(6, 4) + "-" + due.substr(3, 2) + "-" + due.substr(0, 2));
  REQUIRE(m.disclosures.size() == 1);
  CHECK(m.disclosures[0].what == "Klienta dzīvesvietas adrese");
  CHECK(m.disclosures[0].to_whom == "Iecirkņa inspektors J. Kalniņš");
  CHECK(m.disclosures[0].legal_basis == "Probācijas likuma 6. pants");
  CHECK(m.disclosures[0].recipient == client::Institution::kStatePolice);
}

TEST_CASE("unsigned MAPPA minutes are amended: a decision rewritten and an action added",
          "[ui][gl][slow][mappa]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string meeting_id;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        meeting_id = RecordDraftMeeting(ws, id);
      });
  const std::string due = DaysFromToday(10);
  RunScriptAs(dir, data, "mappa_amend.lvs", {{"@MEETING@", kDraftLabel}, {"@DUE@", due}});

  ui::Session s;
  SignInAs(s, data);
  const auto meetings = MeetingsOf(*s.workspace(), case_id);
  REQUIRE(meetings.size() == 1);
  const client::MappaMeeting& m = meetings[0];
  CHECK(m.id == meeting_id);
  CHECK_FALSE(m.IsSigned());
  CHECK(m.risk_decisions == "Ierobežot klienta uzturēšanos cietušās dzīvesvietas tuvumā");
  CHECK(m.victim_decisions == "Cietušo informēt par klienta dzīvesvietas maiņu");
  CHECK(m.participants.size() == 1);
  REQUIRE(m.actions.size() == 1);
  CHECK(m.actions[0].description == "Informēt cietušo par lēmumu");
  CHECK(m.actions[0].owner == client::Institution::kMunicipalSocialService);
  CHECK(m.disclosures.empty());
}

TEST_CASE("unsigned MAPPA minutes are signed after a confirmation that Escape leaves",
          "[ui][gl][slow][mappa]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string meeting_id;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        meeting_id = RecordDraftMeeting(ws, id);
      });
  RunScriptAs(dir, data, "mappa_sign.lvs", {{"@MEETING@", kDraftLabel}});

  ui::Session s;
  SignInAs(s, data);
  const auto meetings = MeetingsOf(*s.workspace(), case_id);
  REQUIRE(meetings.size() == 1);
  CHECK(meetings[0].id == meeting_id);
  CHECK(meetings[0].IsSigned());
  CHECK(meetings[0].signed_by == s.workspace()->actor().user_id);
  CHECK(meetings[0].risk_decisions == "Pastiprināta uzraudzība");
}

TEST_CASE("Ctrl+F, Ctrl+N, Enter, Escape and Ctrl+Enter drive the daily forms",
          "[ui][gl][slow][keyboard]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::size_t clients_before = 0;
  const std::string case_id = PrepareOfficerStore(data);
  {
    ui::Session s;
    SignInAs(s, data);
    auto rows = s.workspace()->Caseload({});
    REQUIRE(rows.ok());
    clients_before = rows->size();
  }
  RunScriptAs(dir, data, "keyboard_paths.lvs");

  ui::Session s;
  SignInAs(s, data);
  client::Workspace& ws = *s.workspace();
  auto file = ws.CaseFile(case_id);
  REQUIRE(file.ok());
  // One contact (Enter), none from the form Escape cleared.
  REQUIRE(file->contacts.size() == 1);
  CHECK(file->contacts[0].planned_at.substr(0, 16) == ws.Today() + "T09:30");
  CHECK(file->contacts[0].status == client::ContactStatus::kPlanned);
  CHECK(file->contacts[0].outcome.empty());
  // The note (Ctrl+Enter); the case stays open (closure cancelled), no client registered.
  REQUIRE(file->notes.size() == 1);
  CHECK(file->notes[0].body == "Klients ieradās laikā");
  CHECK(file->case_record.status == client::CaseStatus::kOpen);
  auto rows = ws.Caseload({});
  REQUIRE(rows.ok());
  CHECK(rows->size() == clients_before);
}

TEST_CASE("only the roles that may write the unit's meetings see the MAPPA buttons",
          "[ui][gl][slow][mappa]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string meeting_id;
  PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
    meeting_id = RecordDraftMeeting(ws, id);
  });
  struct Run {
    const char* role;
    const char* script;
    const char* extra;
  };
  const Run runs[] = {{"supervisor", "mappa_roles_supervisor.lvs", ""},
                      {"volunteer_coordinator", "mappa_roles_coordinator.lvs", " --page mappa"}};
  for (const auto& run : runs) {
    INFO(run.role);
    std::string script = Slurp(ScriptDir() + "/" + run.script);
    REQUIRE_FALSE(script.empty());
    ReplaceAll(script, "@MEETING@", kDraftLabel);
    const std::string path = dir / run.script;
    std::ofstream(path) << script;
    const std::string result = dir / (std::string(run.role) + ".json");
    const int rc = testing::desktop::RunDesktop(
        "--data '" + data + "' --passphrase " + kDemoPassphrase + " --as " + run.role +
        " --script '" + path + "' --result-json '" + result + "'" + run.extra);
    INFO(Slurp(result));
    CHECK(rc == 0);
  }
  // Looking wrote nothing: the meeting is still the unsigned draft.
  ui::Session s;
  SignInAs(s, data);
  auto detail = s.workspace()->MappaMeetingDetail(meeting_id);
  REQUIRE(detail.ok());
  CHECK_FALSE(detail->meeting.IsSigned());
  CHECK(detail->meeting.actions.empty());
}
