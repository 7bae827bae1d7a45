// Corrections of the records that have no form of their own, in the real lietvedis-desktop
// under Xvfb: a note (Piezīmes tab), a programme attendance (Programmas tab), the action and
// participant rows of signed MAPPA minutes (MAPPA page) and a mentor assignment (the
// coordinator's card). Each is refused first (no reason, or a day that is no date: the message
// under its field, nothing written), then saved and shown beside the original; the store is
// reopened through the Workspace to assert the one correction row and the unchanged record.
#include <catch2/catch.hpp>
#include <string>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using testing::desktop::PrepareOfficerStore;
using testing::desktop::RunScriptTextAs;
using testing::desktop::SignInAs;

namespace {

// Opens the prepared client's case from the caseload.
constexpr const char* kOpenCase = R"(expect "Klientu lietas"
idle
click "#search"
type "udre"
wait 3
idle
click "#row0"
idle
)";

constexpr const char* kNoteScript = R"(click "#tab_notes"
wait 2
expect "Piezīmju labojumi"
click "#correct_note_0"
wait 2
expect "Labot ierakstu"
click "#correction_value"
key ctrl+a
type "Klients ieradās ar 20 minūšu nokavēšanos"
click "#correction_save"
idle
expect "obligāts lauks"
click "#correction_reason"
type "Ierakstīts nepareizi"
key Enter
idle
wait 2
expect "Ierakstīts nepareizi"
expect "Klients ieradās ar 20 minūšu nokavēšanos"
lang en
wait 2
expect "Corrections of notes"
lang lv
wait 2
quit
)";

// The attendance is corrected from "did not attend" to "attended"; first a wrong day.
constexpr const char* kAttendanceScript = R"(click "#tab_programmes"
wait 2
expect "Apmeklējuma labojumi"
click "#correct_attendance_0"
wait 2
click "#correction_field"
wait 2
click "Nodarbības datums"
wait 2
click "#correction_value"
key ctrl+a
type "31.02.2026"
click "#correction_reason"
type "Saraksts sajaukts"
click "#correction_save"
idle
expect "šāda datuma nav"
click "#correction_field"
wait 2
click "Apmeklēja"
wait 2
click "#correction_value"
wait 2
click "jā"
wait 2
click "#correction_save"
idle
wait 2
expect "Saraksts sajaukts"
expect "Apmeklējuma labojumi"
quit
)";

// The action's due day, then a participant's name, on the MAPPA page.
constexpr const char* kMappaScript = R"(expect "Klientu lietas"
idle
click "#nav_mappa"
idle
click "03.01.2026  Jaukts  ✓"
wait 2
expect "Parakstītā protokola labojumi"
click "#correct_action_0"
wait 2
click "#correction_field"
wait 2
click "Izpildes termiņš"
wait 2
click "#correction_value"
key ctrl+a
type "20.01.2026"
click "#correction_save"
idle
expect "obligāts lauks"
click "#correction_reason"
type "Termiņš pārcelts sanāksmē"
key Enter
idle
wait 2
expect "Termiņš pārcelts sanāksmē"
expect "20.01.2026"
click "#correct_participant_0"
wait 2
click "#correction_value"
key ctrl+a
type "Inta Bērziņa, vecākā probācijas darbiniece"
click "#correction_reason"
type "Amats norādīts nepareizi"
key Enter
idle
wait 2
expect "Amats norādīts nepareizi"
quit
)";

// The assignment's start day on the coordinator's card: a day typed wrong first.
constexpr const char* kAssignmentScript = R"(expect "Klientu kartītes"
idle
click "#nav_cards"
idle
click "#card_search"
type "udre"
wait 3
click "#card0"
idle
expect "Līdzgaitnieku piesaistes labojumi"
click "#correct_assignment_0"
wait 2
click "#correction_value"
key ctrl+a
type "2.3.2026"
click "#correction_reason"
type "Piesaiste sākās dienu agrāk"
click "#correction_save"
idle
expect "datums jānorāda formā dd.mm.gggg"
click "#correction_value"
key ctrl+a
type "02.03.2026"
key Enter
idle
wait 2
expect "Piesaiste sākās dienu agrāk"
quit
)";

}  // namespace

TEST_CASE("a note is corrected with a reason on the notes tab", "[ui][gl][slow][corrections]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string note;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        auto added = ws.Execute(client::AddNote{id, "Klients ieradās laikā", "", ""});
        REQUIRE(added.ok());
        note = *added;
      });
  RunScriptTextAs(dir, data, "note_correction.lvs", std::string(kOpenCase) + kNoteScript);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->corrections.size() == 1);  // the refusal wrote nothing
  const client::Correction& c = file->corrections[0];
  CHECK(c.target_table == "note");
  CHECK(c.target_id == note);
  CHECK(c.field == "body");
  CHECK(c.value == "Klients ieradās ar 20 minūšu nokavēšanos");
  CHECK(c.reason == "Ierakstīts nepareizi");
  REQUIRE(file->notes.size() == 1);
  CHECK(file->notes[0].body == "Klients ieradās laikā");
}

TEST_CASE("a programme attendance is corrected with a reason on the programmes tab",
          "[ui][gl][slow][corrections]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string attendance;
  const std::string case_id = PrepareOfficerStore(data, [&](client::Workspace& ws,
                                                            const std::string& id) {
    const std::string programme = "prog-motivacija";
    REQUIRE(ws.Execute(client::RecordConsent{id, programme, client::ConsentDecision::kGiven,
                                             "07.03.2026"})
                .ok());
    client::ReferToProgramme refer;
    refer.case_id = id;
    refer.programme_id = programme;
    refer.need = client::NeedDomain::kThinkingBehaviour;
    refer.risk_level = client::RiskLevel::kMedium;
    auto referral = ws.Execute(refer);
    REQUIRE(referral.ok());
    REQUIRE(ws.Execute(client::EnrolInProgramme{*referral, "09.03.2026"}).ok());
    auto recorded = ws.Execute(client::RecordAttendance{*referral, "12.03.2026", false, "nebija"});
    REQUIRE(recorded.ok());
    attendance = *recorded;
  });
  RunScriptTextAs(dir, data, "attendance_correction.lvs",
                  std::string(kOpenCase) + kAttendanceScript);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->corrections.size() == 1);  // the wrong day wrote nothing
  const client::Correction& c = file->corrections[0];
  CHECK(c.target_table == "attendance");
  CHECK(c.target_id == attendance);
  CHECK(c.field == "attended");
  CHECK(c.value == "1");
  CHECK(c.reason == "Saraksts sajaukts");
  REQUIRE(file->attendance.size() == 1);
  CHECK_FALSE(file->attendance[0].attended);
  CHECK(file->attendance[0].session_on == "2026-03-12");
}

TEST_CASE("the action and participant rows of signed minutes are corrected on the MAPPA page",
          "[ui][gl][slow][corrections]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string meeting_id;
  PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& case_id) {
    client::RecordMappaMeeting m;
    m.held_on = "03.01.2026";
    m.mode = client::MeetingMode::kMixed;
    m.case_ids = {case_id};
    m.participants = {{client::Institution::kVpd, "Inta Bērziņa, probācijas darbiniece"}};
    m.risk_decisions = "Pastiprināta uzraudzība";
    m.actions = {{"Pārbaudīt dzīvesvietu", client::Institution::kStatePolice, "10.01.2026"}};
    auto id = ws.Execute(m);
    REQUIRE(id.ok());
    meeting_id = *id;
    REQUIRE(ws.Execute(client::SignMappaMinutes{meeting_id}).ok());
  });
  RunScriptTextAs(dir, data, "mappa_row_correction.lvs", kMappaScript);

  ui::Session s;
  SignInAs(s, data);
  auto detail = s.workspace()->MappaMeetingDetail(meeting_id);
  REQUIRE(detail.ok());
  REQUIRE(detail->corrections.size() == 2);  // the refusal wrote nothing
  const client::Correction& action = detail->corrections[0];
  CHECK(action.target_table == "mappa_action");
  CHECK(action.target_id == detail->meeting.actions.at(0).id);
  CHECK(action.field == "due_on");
  CHECK(action.value == "2026-01-20");
  CHECK(action.reason == "Termiņš pārcelts sanāksmē");
  const client::Correction& participant = detail->corrections[1];
  CHECK(participant.target_table == "mappa_participant");
  CHECK(participant.field == "name");
  CHECK(participant.value == "Inta Bērziņa, vecākā probācijas darbiniece");
  CHECK(detail->meeting.actions.at(0).due_on == "2026-01-10");
  CHECK(detail->meeting.participants.at(0).name == "Inta Bērziņa, probācijas darbiniece");
  auto by_meeting = s.workspace()->MappaMinutesCorrections();
  REQUIRE(by_meeting.ok());
  CHECK(by_meeting->at(meeting_id).size() == 2);
}

TEST_CASE("a mentor assignment is corrected with a reason by the coordinator",
          "[ui][gl][slow][corrections]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string assignment;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        REQUIRE(ws.Execute(client::ReferToMentoring{id, "02.03.2026", "02.03.2026"}).ok());
      });
  {
    ui::Session s;
    SignInAs(s, data, "volunteer_coordinator");
    client::Workspace& coord = *s.workspace();
    auto mentor =
        coord.Execute(client::RegisterVolunteer{"", "Inese", "Lāce", "+371 29999999", "",
                                                "01.02.2026", client::VolunteerKind::kPeerMentor});
    REQUIRE(mentor.ok());
    for (auto stage : {client::VolunteerStage::kEvaluation, client::VolunteerStage::kInterview,
                       client::VolunteerStage::kTraining, client::VolunteerStage::kCertified}) {
      REQUIRE(coord.Execute(client::AdvanceVolunteerStage{*mentor, stage, "", ""}).ok());
    }
    auto assigned = coord.Execute(client::AssignMentor{case_id, *mentor, "03.03.2026"});
    REQUIRE(assigned.ok());
    assignment = *assigned;
    s.Lock();
  }
  RunScriptTextAs(dir, data, "assignment_correction.lvs", kAssignmentScript, {},
                  "volunteer_coordinator");

  ui::Session s;
  SignInAs(s, data, "volunteer_coordinator");
  auto m = s.workspace()->Mentoring(case_id);
  REQUIRE(m.ok());
  REQUIRE(m->corrections.size() == 1);  // the malformed day wrote nothing
  const client::Correction& c = m->corrections[0];
  CHECK(c.target_table == "mentor_assignment");
  CHECK(c.target_id == assignment);
  CHECK(c.field == "started_on");
  CHECK(c.value == "2026-03-02");
  CHECK(c.reason == "Piesaiste sākās dienu agrāk");
  REQUIRE(m->assignments.size() == 1);
  CHECK(m->assignments[0].started_on == "2026-03-03");
}
