// Volunteers and peer mentoring: selection stages, assignment, session logs, sign-off; the
// coordinator's card kept current by the officer's workflows.
#include <catch2/catch.hpp>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

std::string CertifiedMentor(ModelFixture& f, Workspace& coord) {
  const std::string v = f.Must(
      coord.Execute(RegisterVolunteer{"", "Inese", "Lāce", "+371 29999999", "inese@example.lv",
                                      "01.02.2026", VolunteerKind::kPeerMentor}));
  for (VolunteerStage s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                           VolunteerStage::kTraining, VolunteerStage::kCertified}) {
    REQUIRE(coord.Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
  }
  return v;
}

}  // namespace

TEST_CASE("volunteer selection advances one stage at a time and keeps its history",
          "[client][mentoring]") {
  ModelFixture f;
  auto coord = f.As(f.coordinator);
  const std::string v = f.Must(coord->Execute(
      RegisterVolunteer{"", "Inese", "Lāce", "", "", "01.02.2026", VolunteerKind::kCircleMember}));
  auto skip = coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kTraining, "", ""});
  REQUIRE_FALSE(skip.ok());
  CHECK(skip.error().code == Errc::kValidation);
  CHECK(skip.error().message.find("stage") != std::string::npos);
  REQUIRE(
      coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kEvaluation, "05.02.2026", ""}).ok());
  REQUIRE(
      coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kWithdrawn, "06.02.2026", "pārcēlās"})
          .ok());
  CHECK(coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kInterview, "", ""}).error().code ==
        Errc::kNotPermitted);

  auto reg = coord->VolunteerRegister();
  REQUIRE(reg.ok());
  REQUIRE(reg->volunteers.size() == 1);
  CHECK(reg->volunteers[0].stage == VolunteerStage::kWithdrawn);
  CHECK(reg->volunteers[0].kind == VolunteerKind::kCircleMember);
  REQUIRE(reg->stage_events.size() == 3);
  CHECK(reg->stage_events[0].stage == VolunteerStage::kApplication);
  CHECK(reg->stage_events[2].note == "pārcēlās");
  CHECK(f.db.QueryInt("SELECT count(*) FROM volunteer WHERE scope=?", VolunteersScope(f.unit))
            .value() == 1);

  auto bad =
      coord->Execute(RegisterVolunteer{"", "", "Lāce", "", "", "", VolunteerKind::kPeerMentor});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("name") != std::string::npos);
}

TEST_CASE("mentor assignment, session log and coordinator sign-off", "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string case_id = f.RegisterBerzins(*officer);

  const std::string applicant = f.Must(coord->Execute(
      RegisterVolunteer{"", "Ojārs", "Egle", "", "", "", VolunteerKind::kPeerMentor}));
  auto uncertified = coord->Execute(AssignMentor{case_id, applicant, ""});
  REQUIRE_FALSE(uncertified.ok());
  CHECK(uncertified.error().message.find("certified") != std::string::npos);

  const std::string mentor = CertifiedMentor(f, *coord);
  const std::string assignment =
      f.Must(coord->Execute(AssignMentor{case_id, mentor, "02.03.2026"}));
  CHECK(coord->Execute(AssignMentor{case_id, mentor, ""}).error().code ==
        Errc::kValidation);  // one at a time

  LogMentoringSession log{assignment, "10.03.2026", 45, MentoringMode::kOnline,
                          "runājām par darba meklēšanu"};
  const std::string session = f.Must(coord->Execute(log));
  LogMentoringSession zero = log;
  zero.duration_minutes = 0;
  CHECK(coord->Execute(zero).error().message.find("duration_minutes") != std::string::npos);
  LogMentoringSession future = log;
  future.held_on = "01.04.2026";
  CHECK(coord->Execute(future).error().message.find("held_on") != std::string::npos);

  // The officer reads the mentoring view (own case) but cannot log or sign off.
  CHECK(officer->Execute(log).error().code == Errc::kNotPermitted);
  CHECK(officer->Execute(SignOffMentoringSession{session, ""}).error().code == Errc::kNotPermitted);

  REQUIRE(coord->Execute(SignOffMentoringSession{session, "apstiprināts"}).ok());
  CHECK(coord->Execute(SignOffMentoringSession{session, ""}).error().code == Errc::kNotPermitted);
  {
    // A second sign-off arriving from another device (written as sync would: straight
    // through the replica) does not list the session twice; the earlier one counts.
    auto tx = storage::Transaction::Begin(f.db);
    REQUIRE(tx.ok());
    REQUIRE(f.replica
                ->Write("mentoring_signoff", "remote-signoff", MentoringScope(case_id),
                        {{"session_id", session},
                         {"signed_by", std::string("other-coordinator")},
                         {"signed_at", std::string("2099-01-01T00:00:00Z")}})
                .ok());
    REQUIRE(tx->Commit().ok());
  }

  auto view = officer->Mentoring(case_id);
  REQUIRE(view.ok());
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE action='read' AND scope=? AND user_id=?",
                      MentoringScope(case_id), f.officer)
            .value() == 1);
  REQUIRE(view->assignments.size() == 1);
  CHECK(view->assignments[0].volunteer_name == "Inese Lāce");
  REQUIRE(view->sessions.size() == 1);
  CHECK(view->sessions[0].duration_minutes == 45);
  CHECK(view->sessions[0].mode == MentoringMode::kOnline);
  CHECK(view->sessions[0].signed_off_by == f.coordinator);
  // Logs and sign-offs live in the mentoring scope, never in the case scope.
  CHECK(
      f.db.QueryInt("SELECT count(*) FROM mentoring_session WHERE scope=?", MentoringScope(case_id))
          .value() == 1);
  CHECK(
      f.db.QueryInt("SELECT count(*) FROM mentoring_signoff WHERE scope=?", MentoringScope(case_id))
          .value() == 2);

  // A wrong duration in a (append-only) session log is corrected by an appended entry.
  const std::string fix = f.Must(coord->Execute(
      CorrectRecord{"mentoring_session", session, "duration_minutes", "60", "pārrakstīšanās"}));
  view = officer->Mentoring(case_id);
  CHECK(view->sessions[0].duration_minutes == 45);
  REQUIRE(view->corrections.size() == 1);
  CHECK(view->corrections[0].id == fix);
  CHECK(view->corrections[0].value == "60");
  CHECK(officer->Execute(CorrectRecord{"mentoring_session", session, "duration_minutes", "30", "x"})
            .error()
            .code == Errc::kNotPermitted);
  CHECK(coord->Execute(CorrectRecord{"audit", "x", "action", "y", "z"}).error().code ==
        Errc::kValidation);

  REQUIRE(coord->Execute(EndMentorAssignment{assignment, "15.03.2026"}).ok());
  CHECK(coord->Execute(log).error().code == Errc::kNotPermitted);  // ended
  CHECK(coord->VolunteerRegister()->active_assignments.empty());
}

TEST_CASE("the coordinator's card follows the client's details and the responsible officer",
          "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  auto sup = f.As(f.supervisor);
  const std::string case_id = f.RegisterBerzins(*officer);

  UpdateClientDetails upd;
  upd.case_id = case_id;
  upd.name = "Jānis";
  upd.surname = "Bērziņš-Kalns";
  upd.phone = "+371 21111111";
  upd.email = "";
  upd.address = "Liepāja, Jūras iela 2";
  REQUIRE(officer->Execute(upd).ok());
  auto view = coord->Mentoring(case_id);
  REQUIRE(view.ok());
  CHECK(view->card.surname == "Bērziņš-Kalns");
  CHECK(view->card.phone == "+371 21111111");
  CHECK(view->card.email.empty());
  CHECK(coord->ClientCards("kalns")->size() == 1);

  REQUIRE(sup->Execute(ReassignCase{case_id, f.officer2}).ok());
  // The scope list the sync layer registers follows the new owner for both scopes.
  auto scopes = LocalScopes(f.db);
  REQUIRE(scopes.ok());
  int owned = 0;
  for (const auto& s : *scopes) {
    if (s.scope == CaseScope(case_id) || s.scope == MentoringScope(case_id)) {
      CHECK(s.owner_user_id == f.officer2);
      CHECK(s.unit_id == f.unit);
      ++owned;
    }
  }
  CHECK(owned == 2);
  CHECK(scopes->front().scope == "case:" + case_id);
  view = coord->Mentoring(case_id);
  CHECK(view->card.responsible_officer_id == f.officer2);
  CHECK(view->card.responsible_officer_name == "Jānis Kalniņš");

  // The card carries no case content: only these columns replicate in the mentoring scope.
  for (const auto& t : ReplicatedTables()) {
    if (t.name != "client_card") continue;
    CHECK(t.columns == std::vector<std::string>{"case_id", "unit_id", "name", "surname", "phone",
                                                "email", "responsible_officer_id", "name_fold"});
  }
  // Nothing the coordinator may read (mentoring and volunteers scopes) holds case-only tables.
  CHECK(f.db.QueryInt(
                "SELECT count(*) FROM sync_outbox WHERE scope LIKE 'mentoring:%' AND tbl IN "
                "('client','assessment','note','supervision_section','probation_case','contact')")
            .value() == 0);
}
