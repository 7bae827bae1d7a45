// Corrections of the records that have no form of their own: the participant, action and
// disclosure rows of signed MAPPA minutes (unit scope), a mentor assignment (mentoring scope),
// a note and a programme attendance (case scope). Each is corrected by its scope's writers
// with a reason, read back beside the unchanged original, and refused for anyone else, for a
// missing reason and for a link column, with nothing written.
#include <catch2/catch.hpp>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// A refusal with `code` whose message starts with `prefix`, and nothing written.
void CheckRefused(ModelFixture& f, const Result<std::string>& r, Errc code,
                  const std::string& prefix) {
  const auto corrections = f.Count("correction");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  INFO(r.error().message);
  CHECK(r.error().message.rfind(prefix, 0) == 0);
  CHECK(f.Count("correction") == corrections);
}

}  // namespace

TEST_CASE("the rows of signed MAPPA minutes are corrected by the unit's officers",
          "[client][corrections][mappa]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  RecordMappaMeeting mm;
  mm.held_on = "10.03.2026";
  mm.case_ids = {case_id};
  mm.participants = {{Institution::kVpd, "Ilze Ozola"}};
  mm.risk_decisions = "Pastiprināta uzraudzība";
  mm.actions = {{"Pārbaudīt dzīvesvietu", Institution::kStatePolice, "18.03.2026"}};
  mm.disclosures = {{"Dzīvesvieta", "Valsts policija", "Probācijas likuma 15. pants"}};
  const std::string meeting = f.Must(ws->Execute(mm));
  f.Must(ws->Execute(SignMappaMinutes{meeting}));
  auto detail = ws->MappaMeetingDetail(meeting);
  REQUIRE(detail.ok());
  const std::string participant = detail->meeting.participants.at(0).id;
  const std::string action = detail->meeting.actions.at(0).id;
  const std::string disclosure = detail->meeting.disclosures.at(0).id;

  // Refusals first: another unit's officer, the coordinator, no reason, a link column.
  auto other_unit = f.As(f.officer_other_unit);
  CheckRefused(f,
               other_unit->Execute(CorrectRecord{"mappa_action", action, "due_on", "20.03.2026",
                                                 "termiņš pārcelts"}),
               Errc::kNotPermitted, "");
  auto coord = f.As(f.coordinator);
  CheckRefused(
      f, coord->Execute(CorrectRecord{"mappa_participant", participant, "name", "x", "kļūda"}),
      Errc::kNotPermitted, "");
  CheckRefused(f, ws->Execute(CorrectRecord{"mappa_action", action, "due_on", "20.03.2026", ""}),
               Errc::kValidation, "reason:");
  CheckRefused(f,
               ws->Execute(CorrectRecord{"mappa_action", action, "meeting_id", "other", "kļūda"}),
               Errc::kValidation, "field: a link to another record cannot be corrected");
  CheckRefused(f,
               ws->Execute(CorrectRecord{"mappa_action", action, "due_on", "31.02.2026", "kļūda"}),
               Errc::kValidation, "value: not a calendar date");
  CheckRefused(f,
               ws->Execute(CorrectRecord{"mappa_action", action, "due_on", "nākamnedēļ", "kļūda"}),
               Errc::kValidation, "value: must be a date");
  CheckRefused(
      f,
      ws->Execute(CorrectRecord{"mappa_action", action, "owner_institution", "policija", "kļūda"}),
      Errc::kValidation, "value: not one of the field's codes");

  // The officer and the unit's supervisor correct one field each.
  f.Must(ws->Execute(CorrectRecord{"mappa_participant", participant, "name",
                                   "Ilze Ozola, probācijas darbiniece", "trūka amata"}));
  f.Must(ws->Execute(
      CorrectRecord{"mappa_action", action, "due_on", "20.03.2026", "termiņš pārcelts"}));
  auto supervisor = f.As(f.supervisor);
  f.Must(supervisor->Execute(CorrectRecord{"mappa_disclosure", disclosure, "legal_basis",
                                           "Probācijas likuma 16. pants", "nepareizs pants"}));

  auto by_meeting = ws->MappaMinutesCorrections();
  REQUIRE(by_meeting.ok());
  REQUIRE(by_meeting->count(meeting) == 1);
  const auto& list = by_meeting->at(meeting);
  REQUIRE(list.size() == 3);
  CHECK(list[0].target_table == "mappa_participant");
  CHECK(list[0].target_id == participant);
  CHECK(list[1].target_table == "mappa_action");
  CHECK(list[1].value == "2026-03-20");
  CHECK(list[2].target_table == "mappa_disclosure");
  CHECK(list[2].author_id == f.supervisor);
  detail = ws->MappaMeetingDetail(meeting);
  REQUIRE(detail.ok());
  CHECK(detail->corrections.size() == 3);
  // The originals are unchanged.
  CHECK(detail->meeting.participants.at(0).name == "Ilze Ozola");
  CHECK(detail->meeting.actions.at(0).due_on == "2026-03-18");
  CHECK(detail->meeting.disclosures.at(0).legal_basis == "Probācijas likuma 15. pants");
  // Another unit's corrections are not listed for this unit.
  auto elsewhere = other_unit->MappaMinutesCorrections();
  REQUIRE(elsewhere.ok());
  CHECK(elsewhere->empty());
}

TEST_CASE("a mentor assignment is corrected by the unit's volunteer coordinator",
          "[client][corrections][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string case_id = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, case_id);
  const std::string mentor = f.Must(coord->Execute(
      RegisterVolunteer{"", "Inese", "Lāce", "", "", "01.02.2026", VolunteerKind::kPeerMentor}));
  for (VolunteerStage s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                           VolunteerStage::kTraining, VolunteerStage::kCertified}) {
    REQUIRE(coord->Execute(AdvanceVolunteerStage{mentor, s, "", ""}).ok());
  }
  const std::string assignment =
      f.Must(coord->Execute(AssignMentor{case_id, mentor, "09.03.2026"}));

  CheckRefused(f,
               officer->Execute(CorrectRecord{"mentor_assignment", assignment, "started_on",
                                              "2026-03-07", "datums sajaukts"}),
               Errc::kNotPermitted, "");
  CheckRefused(f,
               coord->Execute(CorrectRecord{"mentor_assignment", assignment, "volunteer_id", mentor,
                                            "datums sajaukts"}),
               Errc::kValidation, "field: a link");
  CheckRefused(f,
               coord->Execute(
                   CorrectRecord{"mentor_assignment", assignment, "started_on", "2026-03-07", " "}),
               Errc::kValidation, "reason:");
  f.Must(coord->Execute(CorrectRecord{"mentor_assignment", assignment, "started_on", "07.03.2026",
                                      "datums sajaukts"}));

  auto view = officer->Mentoring(case_id);
  REQUIRE(view.ok());
  REQUIRE(view->corrections.size() == 1);
  CHECK(view->corrections[0].target_table == "mentor_assignment");
  CHECK(view->corrections[0].target_id == assignment);
  CHECK(view->corrections[0].field == "started_on");
  CHECK(view->corrections[0].value == "2026-03-07");  // a day is stored as ISO
  CHECK(view->corrections[0].author_id == f.coordinator);
  REQUIRE(view->assignments.size() == 1);
  CHECK(view->assignments[0].started_on == "2026-03-09");
}

TEST_CASE("a note and an attendance are corrected by the responsible officer",
          "[client][corrections]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  const std::string note = f.Must(ws->Execute(AddNote{case_id, "Klients ieradās laikā", "", ""}));
  const std::string programme = "prog-motivacija";
  f.Must(ws->Execute(RecordConsent{case_id, programme, ConsentDecision::kGiven, "07.03.2026"}));
  ReferToProgramme refer;
  refer.case_id = case_id;
  refer.programme_id = programme;
  refer.need = NeedDomain::kThinkingBehaviour;
  refer.risk_level = RiskLevel::kMedium;
  const std::string referral = f.Must(ws->Execute(refer));
  REQUIRE(ws->Execute(EnrolInProgramme{referral, "09.03.2026"}).ok());
  const std::string attendance =
      f.Must(ws->Execute(RecordAttendance{referral, "12.03.2026", false, ""}));

  // A colleague of the unit (not responsible for the case) and the coordinator may not.
  auto colleague = f.As(f.officer2);
  CheckRefused(f, colleague->Execute(CorrectRecord{"note", note, "body", "x", "kļūda"}),
               Errc::kNotPermitted, "");
  auto coord = f.As(f.coordinator);
  CheckRefused(f, coord->Execute(CorrectRecord{"attendance", attendance, "note", "slims", "kļūda"}),
               Errc::kNotPermitted, "");
  CheckRefused(f, ws->Execute(CorrectRecord{"note", note, "case_id", "other", "kļūda"}),
               Errc::kValidation, "field: a link");
  CheckRefused(
      f, ws->Execute(CorrectRecord{"attendance", attendance, "referral_id", referral, "kļūda"}),
      Errc::kValidation, "field: a link");
  CheckRefused(f, ws->Execute(CorrectRecord{"note", note, "colour", "x", "kļūda"}),
               Errc::kValidation, "field: note has no field colour");

  f.Must(ws->Execute(CorrectRecord{"note", note, "body", "Klients ieradās ar 20 minūšu nokavēšanos",
                                   "ierakstīts nepareizi"}));
  CheckRefused(f, ws->Execute(CorrectRecord{"attendance", attendance, "attended", "jā", "kļūda"}),
               Errc::kValidation, "value: must be 1 (yes) or 0 (no)");
  f.Must(ws->Execute(CorrectRecord{"attendance", attendance, "note", "Slimības lapa iesniegta",
                                   "trūka attaisnojuma"}));
  f.Must(ws->Execute(
      CorrectRecord{"attendance", attendance, "attended", "1", "ieradās, sajaukts saraksts"}));

  auto file = ws->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->corrections.size() == 3);
  CHECK(file->corrections[0].target_table == "note");
  CHECK(file->corrections[0].target_id == note);
  CHECK(file->corrections[0].value == "Klients ieradās ar 20 minūšu nokavēšanos");
  CHECK(file->corrections[1].target_table == "attendance");
  CHECK(file->corrections[1].reason == "trūka attaisnojuma");
  CHECK(file->corrections[2].field == "attended");
  CHECK(file->corrections[2].value == "1");
  REQUIRE(file->notes.size() == 1);
  CHECK(file->notes[0].body == "Klients ieradās laikā");
  REQUIRE(file->attendance.size() == 1);
  CHECK(file->attendance[0].note.empty());
  CHECK_FALSE(file->attendance[0].attended);
}
