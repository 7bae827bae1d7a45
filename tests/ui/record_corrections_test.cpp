// Corrections of signed MAPPA minutes (the MAPPA page), signed evaluation reports (the case
// file's overview) and signed-off mentoring sessions (the coordinator's card) in the real
// lietvedis-desktop under Xvfb: each refused first without a reason (shown under the reason,
// nothing written), then saved and shown beside the original; the store is reopened through
// the Workspace to assert the one correction row and the unchanged record.
#include <catch2/catch.hpp>
#include <filesystem>
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

// The minutes' risk decision corrected on the MAPPA page: refused without a reason, then saved.
constexpr const char* kMappaScript = R"(expect "Klientu lietas"
idle
click "#nav_mappa"
idle
click "03.01.2026  Jaukts  ✓"
wait 2
expect "Pastiprināta uzraudzība"
click "#mappa_correct"
wait 2
expect "Labot ierakstu"
click "#correction_value"
key ctrl+a
type "Pastiprināta uzraudzība un elektroniskā uzraudzība"
click "#correction_save"
idle
expect "obligāts lauks"
screenshot "@OUT@/mappa-correction-refused.png"
click "#correction_reason"
type "Sanāksmē nolemts arī par elektronisko uzraudzību"
key Enter
idle
wait 2
expect "Sanāksmē nolemts arī par elektronisko uzraudzību"
expect "Pastiprināta uzraudzība un elektroniskā uzraudzība"
screenshot "@OUT@/mappa-correction.png"
lang en
wait 2
expect "Corrected by"
lang lv
wait 2
quit
)";

// A signed report's conclusion corrected on the overview: the field chosen in the combo.
constexpr const char* kEvaluationScript = R"(expect "Kurzemes rajona tiesa, K-2026/117"
expect "Parakstīts"
click "#eval_correct"
wait 2
# The form is below the signed report: scroll the overview down over the report.
hover "#eval_correct"
scroll 15
wait 3
click "#correction_field"
wait 2
click "Secinājums un ieteikums"
wait 2
click "#correction_value"
key ctrl+a
type "Ieteicams piespiedu darbs"
click "#correction_save"
idle
expect "obligāts lauks"
click "#correction_reason"
type "Tiesas sēdē precizēts ieteikums"
key Enter
idle
wait 2
expect "Tiesas sēdē precizēts ieteikums"
expect "Ieteicams piespiedu darbs"
quit
)";

// A signed-off session's note corrected on the coordinator's card.
constexpr const char* kMentoringScript = R"(expect "Klientu kartītes"
idle
click "#nav_cards"
idle
click "#card_search"
type "udre"
wait 3
click "#card0"
idle
expect "Apstiprināto tikšanos labojumi"
click "#correct_session_0"
wait 2
click "#correction_value"
key ctrl+a
type "Runājām par darba meklēšanu un dzīvesvietu"
click "#correction_save"
idle
expect "obligāts lauks"
click "#correction_reason"
type "Piezīmē trūka dzīvesvietas"
key Enter
idle
wait 2
expect "Piezīmē trūka dzīvesvietas"
quit
)";

}  // namespace

TEST_CASE("signed MAPPA minutes are corrected with a reason on the MAPPA page",
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
    m.victim_decisions = "Cietušo informēt par dzīvesvietas maiņu";
    auto id = ws.Execute(m);
    REQUIRE(id.ok());
    meeting_id = *id;
    REQUIRE(ws.Execute(client::SignMappaMinutes{meeting_id}).ok());
  });
  RunScriptTextAs(dir, data, "mappa_correction.lvs", kMappaScript);
  CHECK(std::filesystem::file_size(dir / "mappa-correction-refused.png") > 10000);
  testing::desktop::CheckScreenshot(dir / "mappa-correction.png");
  testing::desktop::KeepForDocs(dir / "mappa-correction.png", "screenshot-mappa-correction.png");

  ui::Session s;
  SignInAs(s, data);
  auto detail = s.workspace()->MappaMeetingDetail(meeting_id);
  REQUIRE(detail.ok());
  // The refusal (no reason) wrote nothing: exactly one correction; the minutes unchanged.
  REQUIRE(detail->corrections.size() == 1);
  const client::Correction& c = detail->corrections[0];
  CHECK(c.target_table == "mappa_meeting");
  CHECK(c.target_id == meeting_id);
  CHECK(c.field == "risk_decisions");
  CHECK(c.value == "Pastiprināta uzraudzība un elektroniskā uzraudzība");
  CHECK(c.reason == "Sanāksmē nolemts arī par elektronisko uzraudzību");
  CHECK(c.author_id == ui::LoadProfile(data)->demo_users["officer"]);
  CHECK(detail->meeting.risk_decisions == "Pastiprināta uzraudzība");
  auto by_meeting = s.workspace()->MappaMinutesCorrections();
  REQUIRE(by_meeting.ok());
  CHECK(by_meeting->at(meeting_id).size() == 1);
}

TEST_CASE("a signed evaluation report is corrected with a reason in the case file",
          "[ui][gl][slow][corrections][evaluation]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string request;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        auto requested = ws.Execute(
            client::RecordEvaluationRequest{id, client::Requester::kCourt, "Kurzemes rajona tiesa",
                                            "K-2026/117", "02.03.2026", "31.12.2030"});
        REQUIRE(requested.ok());
        request = *requested;
        client::RecordAssessment a;
        a.case_id = id;
        a.instrument_version = "2.1";
        a.assessed_on = "05.03.2026";
        a.risk_level = client::RiskLevel::kMedium;
        auto assessed = ws.Execute(a);
        REQUIRE(assessed.ok());
        REQUIRE(ws.Execute(client::SignAssessment{*assessed}).ok());
        REQUIRE(ws.Execute(client::StartEvaluationReport{request, ""}).ok());
        client::DraftEvaluationReport d;
        d.request_id = request;
        d.circumstances = "Dzīvo Liepājā pie mātes.";
        d.offence = "Zādzība no veikala.";
        d.risk_needs = "Vidējs risks.";
        d.attitude = "Motivēta mainīties.";
        d.conclusion = "Ieteicams nosacīts sods.";
        d.assessment_id = *assessed;
        REQUIRE(ws.Execute(d).ok());
        REQUIRE(ws.Execute(client::SignEvaluationReport{request}).ok());
      });
  RunScriptTextAs(dir, data, "evaluation_correction.lvs",
                  std::string(kOpenCase) + kEvaluationScript);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->corrections.size() == 1);
  const client::Correction& c = file->corrections[0];
  CHECK(c.target_table == "evaluation_report");
  CHECK(c.target_id == request);
  CHECK(c.field == "conclusion");
  CHECK(c.value == "Ieteicams piespiedu darbs");
  CHECK(c.reason == "Tiesas sēdē precizēts ieteikums");
  REQUIRE(file->evaluation_reports.size() == 1);
  CHECK(file->evaluation_reports[0].conclusion == "Ieteicams nosacīts sods.");
  CHECK(file->evaluation_reports[0].IsSigned());
}

TEST_CASE("a signed-off mentoring session is corrected with a reason by the coordinator",
          "[ui][gl][slow][corrections]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string session_id;
  std::string case_id;
  {
    case_id = PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
      REQUIRE(ws.Execute(client::ReferToMentoring{id, "02.03.2026", "02.03.2026"}).ok());
    });
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
    auto assignment = coord.Execute(client::AssignMentor{case_id, *mentor, "03.03.2026"});
    REQUIRE(assignment.ok());
    auto logged = coord.Execute(client::LogMentoringSession{*assignment, "10.03.2026", 45,
                                                            client::MentoringMode::kOnline,
                                                            "Runājām par darba meklēšanu"});
    REQUIRE(logged.ok());
    session_id = *logged;
    // Another coordinator of the unit signs it off.
    const std::string unit = coord.actor().unit_id;
    auto second = client::BootstrapUser(*s.db(), *s.replica(), "Laura Zariņa",
                                        client::Role::kVolunteerCoordinator, unit);
    REQUIRE(second.ok());
    REQUIRE(s.SignIn(*second).ok());
    REQUIRE(s.workspace()->Execute(client::SignOffMentoringSession{session_id, ""}).ok());
    s.Lock();
  }
  RunScriptTextAs(dir, data, "mentoring_correction.lvs", kMentoringScript, {},
                  "volunteer_coordinator");

  ui::Session s;
  SignInAs(s, data, "volunteer_coordinator");
  auto m = s.workspace()->Mentoring(case_id);
  REQUIRE(m.ok());
  REQUIRE(m->corrections.size() == 1);
  const client::Correction& c = m->corrections[0];
  CHECK(c.target_table == "mentoring_session");
  CHECK(c.target_id == session_id);
  CHECK(c.field == "note");
  CHECK(c.value == "Runājām par darba meklēšanu un dzīvesvietu");
  CHECK(c.reason == "Piezīmē trūka dzīvesvietas");
  REQUIRE(m->sessions.size() == 1);
  CHECK(m->sessions[0].note == "Runājām par darba meklēšanu");
}
