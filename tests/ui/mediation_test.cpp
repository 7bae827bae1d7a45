// Mediation on the desktop, the circle's session picker and the dashboard's two newer
// indicators, in the real
// lietvedis-desktop under Xvfb. Each prepares a store through the Workspace, plays a script
// from tests/ui/scripts/ and reads back through the Workspace what the screen did or showed.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "client/indicators.hpp"
#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

// Žanete Ūdre (the officer store's client) gets another code; the mediation client takes
// kClientCode, so the script's @CODE@ search finds the mediation case alone.
constexpr const char* kOtherCode = "311299-11000";

// Roberts Zariņš's mediation case (kClientCode), opened 01.03.2026.
std::string RegisterMediationClient(client::Workspace& ws) {
  client::RegisterClient c;
  c.name = "Roberts";
  c.surname = "Zariņš";
  c.personal_code = kClientCode;
  c.kind = client::CaseKind::kMediation;
  c.opened_on = "01.03.2026";
  auto r = ws.Execute(c);
  REQUIRE(r.ok());
  return *r;
}

std::string Percent(const std::optional<double>& v) {
  if (!v) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", *v);
  return buf;
}

}  // namespace

TEST_CASE("a mediation's party, mediator, consent, meeting and agreement on the Mediation tab",
          "[ui][gl][slow][forms][mediation]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string mediation;
  PrepareOfficerStore(
      data,
      [&](client::Workspace& ws, const std::string&) { mediation = RegisterMediationClient(ws); },
      kOtherCode);
  const std::string due = DaysFromToday(30);
  RunScriptAs(dir, data, "mediation.lvs", {{"@DUE@", due}});
  CheckScreenshot(dir / "mediation-refused.png");
  CheckScreenshot(dir / "mediation-agreement.png");
  KeepForDocs(dir / "mediation-agreement.png", "screenshot-mediation.png");

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(mediation);
  REQUIRE(file.ok());
  const client::Mediation& m = file->mediation;
  const std::string today = s.workspace()->Today();
  CHECK(m.mediator_volunteer_id.empty());  // the officer mediates
  CHECK(m.mediator_name == s.workspace()->actor().display_name);
  CHECK(m.client_consent_on == today);
  REQUIRE(m.parties.size() == 1);
  CHECK(m.parties[0].name == "Līga");
  CHECK(m.parties[0].surname == "Ābola");
  CHECK(m.parties[0].contact == "+371 26000000");
  CHECK(m.parties[0].consent_on == today);
  // The refused meeting wrote nothing: one meeting, held today with the party and the client.
  REQUIRE(m.meetings.size() == 1);
  CHECK(m.meetings[0].meeting_on == today);
  CHECK(m.meetings[0].status == client::MediationMeetingStatus::kHeld);
  CHECK(m.meetings[0].mode == client::MeetingMode::kInPerson);
  CHECK(m.meetings[0].party_ids == std::vector<std::string>{m.parties[0].id});
  CHECK(m.meetings[0].client_attended);
  CHECK(m.meetings[0].note == "Puses izteicās");
  // The agreement refused without terms, then recorded once with them.
  REQUIRE(m.outcome);
  CHECK(*m.outcome == client::MediationOutcome::kAgreement);
  CHECK(m.outcome_on == today);
  CHECK(m.agreement_terms == "Atlīdzināt 300 EUR");
  CHECK(m.agreement_due_on == due.substr(6, 4) + "-" + due.substr(3, 2) + "-" + due.substr(0, 2));
  CHECK_FALSE(m.fulfilment);
  CHECK(file->case_record.status == client::CaseStatus::kOpen);
}

TEST_CASE("the dashboard shows the needs addressed and reoffending as the core computes them",
          "[ui][gl][slow][dashboard]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  PrepareOfficerStore(data, [](client::Workspace& ws, const std::string& id) {
    // Two needs identified by a signed assessment, one of them named by the active plan; a
    // section open this year with a new offence recorded inside it.
    client::RecordAssessment a;
    a.case_id = id;
    a.instrument_version = "2023";
    a.assessed_on = "02.03.2026";
    a.total_score = 20;
    a.risk_level = client::RiskLevel::kMedium;
    a.needs = {client::NeedDomain::kAlcohol, client::NeedDomain::kFinances};
    auto assessment = ws.Execute(a);
    REQUIRE(assessment.ok());
    REQUIRE(ws.Execute(client::SignAssessment{*assessment}).ok());
    client::CreatePlan p;
    p.case_id = id;
    p.next_review_on = DaysFromToday(60);
    p.goals = {{"Atturēties no alkohola", client::NeedDomain::kAlcohol, "", ""}};
    REQUIRE(ws.Execute(p).ok());
    client::OpenSupervisionSection sec;
    sec.case_id = id;
    sec.sentence_type = "Nosacīta notiesāšana";
    sec.court_decision_ref = "K-1";
    sec.opened_on = "01.03.2026";
    sec.planned_end_on = "01.03.2028";
    REQUIRE(ws.Execute(sec).ok());
    client::RecordViolation v;
    v.case_id = id;
    v.kind = client::ViolationKind::kNewOffence;
    v.occurred_on = DaysFromToday(-1);
    v.description = "Jauns nodarījums";
    REQUIRE(ws.Execute(v).ok());
  });
  std::string needs, reoffending;
  {
    ui::Session s;
    SignInAs(s, data, "supervisor");
    const int year = std::stoi(s.workspace()->Today().substr(0, 4));
    auto ind = client::ComputeIndicators(*s.workspace(), *s.db(), year);
    REQUIRE(ind.ok());
    REQUIRE(ind->needs_addressed.identified >= 2);
    REQUIRE(ind->reoffending.reoffended >= 1);
    const auto& na = ind->needs_addressed;
    const auto& ro = ind->reoffending;
    needs = Percent(na.percent) + "  (" + std::to_string(na.addressed) + " / " +
            std::to_string(na.identified) + ")";
    reoffending = Percent(ro.percent) + "  (" + std::to_string(ro.reoffended) + " / " +
                  std::to_string(ro.supervised) + ")";
  }
  RunScriptAs(dir, data, "dashboard_indicators.lvs",
              {{"@NEEDS@", needs}, {"@REOFFENDING@", reoffending}}, "supervisor");
}

TEST_CASE("the coordinator chooses whose session it was in a circle of support",
          "[ui][gl][slow][mentoring]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string circle;
  PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string&) {
    client::RegisterClient c;
    c.name = "Valdis";
    c.surname = "Zvaigzne";
    c.personal_code = kOtherCode;
    c.tags = {client::ClientTag::kSexOffence};
    c.kind = client::CaseKind::kConditionalEarlyRelease;
    c.opened_on = "01.03.2026";
    auto r = ws.Execute(c);
    REQUIRE(r.ok());
    circle = *r;
    REQUIRE(ws.Execute(client::ReferToMentoring{circle, "05.03.2026", "06.03.2026", true}).ok());
  });
  std::string anna_assignment, baiba_assignment;
  {
    ui::Session s;
    SignInAs(s, data, "volunteer_coordinator");
    client::Workspace& ws = *s.workspace();
    for (const char* name : {"Anna", "Baiba"}) {
      auto v = ws.Execute(client::RegisterVolunteer{"", name, "Kalna", "", "", "01.02.2026",
                                                    client::VolunteerKind::kCircleMember});
      REQUIRE(v.ok());
      for (auto stage : {client::VolunteerStage::kEvaluation, client::VolunteerStage::kInterview,
                         client::VolunteerStage::kTraining, client::VolunteerStage::kCertified})
        REQUIRE(ws.Execute(client::AdvanceVolunteerStage{*v, stage, "", ""}).ok());
      auto a = ws.Execute(client::AssignMentor{circle, *v, "07.03.2026"});
      REQUIRE(a.ok());
      (std::string(name) == "Anna" ? anna_assignment : baiba_assignment) = *a;
    }
  }
  RunScriptAs(dir, data, "circle_session.lvs", {}, "volunteer_coordinator");

  ui::Session s;
  SignInAs(s, data, "volunteer_coordinator");
  auto view = s.workspace()->Mentoring(circle);
  REQUIRE(view.ok());
  // The refused log wrote nothing: one session, Baiba's, of 60 minutes today.
  REQUIRE(view->sessions.size() == 1);
  CHECK(view->sessions[0].assignment_id == baiba_assignment);
  CHECK(view->sessions[0].assignment_id != anna_assignment);
  CHECK(view->sessions[0].duration_minutes == 60);
  CHECK(view->sessions[0].held_on == s.workspace()->Today());
}

TEST_CASE("the outcome, a party and a meeting of a mediation are corrected on its tab",
          "[ui][gl][slow][corrections][mediation]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string mediation, party, meeting;
  PrepareOfficerStore(
      data,
      [&](client::Workspace& ws, const std::string&) {
        mediation = RegisterMediationClient(ws);
        party = ws.Execute(client::AddMediationParty{mediation, "Līga", "Ābola", "", "02.03.2026"})
                    .value();
        REQUIRE(ws.Execute(client::AssignMediator{mediation, ""}).ok());
        REQUIRE(ws.Execute(client::RecordMediationConsent{mediation, "", "02.03.2026"}).ok());
        client::RecordMediationMeeting held;
        held.case_id = mediation;
        held.meeting_on = "05.03.2026";
        held.status = client::MediationMeetingStatus::kHeld;
        held.party_ids = {party};
        meeting = ws.Execute(held).value();
        REQUIRE(
            ws.Execute(client::RecordMediationOutcome{
                           mediation, client::MediationOutcome::kNoAgreement, "06.03.2026", "", ""})
                .ok());
      },
      kOtherCode);
  // The outcome (refused without a reason first), the party's surname, and the meeting's day
  // (refused as no date first).
  const std::string script = R"(expect "Klientu lietas"
idle
click "#search"
type "@CODE@"
wait 3
idle
click "#row0"
idle
click "#tab_mediation"
wait 2
expect "Izlīguma ierakstu labojumi"
click "#correct_mediation_0"
wait 2
expect "Labot ierakstu"
click "#correction_value"
wait 2
click "Puse atteicās"
wait 2
click "#correction_save"
idle
expect "obligāts lauks"
click "#correction_reason"
type "Cietusī atsauca piekrišanu"
key Enter
idle
wait 2
expect "Cietusī atsauca piekrišanu"
click "#correct_party_0"
wait 2
click "#correction_field"
wait 2
click "Uzvārds"
wait 2
click "#correction_value"
key ctrl+a
type "Ābola-Liepa"
click "#correction_reason"
type "Uzvārds pēc laulības"
key Enter
idle
wait 2
expect "Ābola-Liepa"
click "#correct_meeting_0"
wait 2
click "#correction_field"
wait 2
click "Tikšanās datums"
wait 2
click "#correction_value"
key ctrl+a
type "31.02.2026"
click "#correction_reason"
type "Datums sajaukts"
click "#correction_save"
idle
expect "šāda datuma nav"
click "#correction_value"
key ctrl+a
type "04.03.2026"
key Enter
idle
wait 2
expect "Datums sajaukts"
lang en
wait 2
expect "Corrections of the mediation's records"
lang lv
wait 2
quit
)";
  RunScriptTextAs(dir, data, "mediation_corrections.lvs", script);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(mediation);
  REQUIRE(file.ok());
  REQUIRE(file->corrections.size() == 3);  // the two refusals wrote nothing
  const auto& c = file->corrections;
  CHECK(c[0].target_table == "mediation");
  CHECK(c[0].target_id == mediation);
  CHECK(c[0].field == "outcome");
  CHECK(c[0].value == "party_withdrew");
  CHECK(c[0].reason == "Cietusī atsauca piekrišanu");
  CHECK(c[1].target_table == "mediation_party");
  CHECK(c[1].target_id == party);
  CHECK(c[1].field == "surname");
  CHECK(c[1].value == "Ābola-Liepa");
  CHECK(c[2].target_table == "mediation_meeting");
  CHECK(c[2].target_id == meeting);
  CHECK(c[2].field == "meeting_on");
  CHECK(c[2].value == "2026-03-04");
  CHECK(c[2].reason == "Datums sajaukts");
  // The records themselves are unchanged.
  REQUIRE(file->mediation.outcome);
  CHECK(*file->mediation.outcome == client::MediationOutcome::kNoAgreement);
  CHECK(file->mediation.parties.at(0).surname == "Ābola");
  CHECK(file->mediation.meetings.at(0).meeting_on == "2026-03-05");
}
