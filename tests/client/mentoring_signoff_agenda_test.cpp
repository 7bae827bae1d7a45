// The volunteer coordinator's agenda: her sign-off backlog (mentoring_signoff in
// client/agenda.hpp) — sessions other coordinators logged on her unit's cards, oldest first,
// never her own entries nor signed-off ones, nothing of it on an officer's agenda.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "client/agenda.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

std::vector<const AgendaItem*> Signoffs(const Agenda& a) {
  std::vector<const AgendaItem*> out;
  for (const auto& i : a.items) {
    if (i.kind == AgendaKind::kMentoringSignoff) out.push_back(&i);
  }
  return out;
}

std::string CertifiedMentor(ModelFixture& f, Workspace& coord) {
  const std::string v = f.Must(coord.Execute(
      RegisterVolunteer{"", "Inese", "Lāce", "", "", "01.02.2026", VolunteerKind::kPeerMentor}));
  for (VolunteerStage s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                           VolunteerStage::kTraining, VolunteerStage::kCertified}) {
    REQUIRE(coord.Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
  }
  return v;
}

}  // namespace

TEST_CASE("the coordinator's agenda lists the sessions waiting for her sign-off",
          "[client][agenda][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto dace = f.As(f.coordinator);
  const std::string laura_id =
      f.Must(BootstrapUser(f.db, *f.replica, "Laura Zariņa", Role::kVolunteerCoordinator, f.unit));
  auto laura = f.As(laura_id);
  const std::string a = f.RegisterBerzins(*officer);
  const std::string b = f.RegisterBerzins(*officer, testing::kCode1990);
  f.ReferToMentoring(*officer, a);
  f.ReferToMentoring(*officer, b);
  const std::string mentor = CertifiedMentor(f, *dace);
  const std::string on_a = f.Must(dace->Execute(AssignMentor{a, mentor, "02.03.2026"}));
  const std::string on_b = f.Must(dace->Execute(AssignMentor{b, mentor, "02.03.2026"}));

  // Laura logs two sessions (B's the older), Dace one; a fourth of Laura's is signed off.
  const std::string s_a = f.Must(laura->Execute(LogMentoringSession{
      on_a, "10.03.2026", 60, MentoringMode::kInPerson, "Slepena piezīme par darbu"}));
  const std::string s_b = f.Must(
      laura->Execute(LogMentoringSession{on_b, "04.03.2026", 45, MentoringMode::kOnline, ""}));
  const std::string own = f.Must(
      dace->Execute(LogMentoringSession{on_a, "12.03.2026", 30, MentoringMode::kOnline, ""}));
  const std::string done = f.Must(
      laura->Execute(LogMentoringSession{on_a, "11.03.2026", 30, MentoringMode::kOnline, ""}));
  f.Must(dace->Execute(SignOffMentoringSession{done, ""}));

  const auto audit_before = f.Count("audit");
  auto agenda = BuildAgenda(*dace, f.db, "20.03.2026");
  REQUIRE(agenda.ok());
  CHECK(f.Count("audit") == audit_before);  // building the agenda writes nothing
  const auto rows = Signoffs(*agenda);
  REQUIRE(rows.size() == 2);
  CHECK(agenda->items.size() == 2);  // nothing but the backlog on a coordinator's agenda
  // Oldest session first, each with why it is there.
  CHECK(rows[0]->record_id == s_b);
  CHECK(rows[0]->case_id == b);
  CHECK(rows[0]->due_on == "2026-03-04");
  CHECK(rows[1]->record_id == s_a);
  CHECK(rows[1]->case_id == a);
  CHECK(rows[1]->due_on == "2026-03-10");
  for (const AgendaItem* r : rows) {
    CHECK(r->bucket == AgendaBucket::kThisWeek);  // waiting: no period is set
    CHECK(r->client_name == "Jānis");
    CHECK(r->client_surname == "Bērziņš");
    CHECK(r->detail == "Inese Lāce");
    CHECK(r->days_waiting == 4);  // logged on the fixture's 16.03.2026
    // Nothing of the session's note reaches the agenda.
    for (const std::string* field : {&r->detail, &r->client_name, &r->client_surname, &r->due_at,
                                     &r->record_id, &r->case_id}) {
      CHECK(field->find("Slepena") == std::string::npos);
    }
    CHECK(r->record_id != own);
    CHECK(r->record_id != done);
  }

  // Laura's agenda: Dace's entry only (her own wait for a colleague).
  auto lauras = BuildAgenda(*laura, f.db, "20.03.2026");
  REQUIRE(lauras.ok());
  const auto laura_rows = Signoffs(*lauras);
  REQUIRE(laura_rows.size() == 1);
  CHECK(laura_rows[0]->record_id == own);
  CHECK(laura_rows[0]->days_waiting == 4);

  // A coordinator of another unit reads no card of this unit: an empty backlog.
  const std::string elsewhere = f.Must(
      BootstrapUser(f.db, *f.replica, "Ieva Sila", Role::kVolunteerCoordinator, f.other_unit));
  auto other = BuildAgenda(*f.As(elsewhere), f.db, "20.03.2026");
  REQUIRE(other.ok());
  CHECK(other->items.empty());

  // An officer's and a supervisor's agenda list no sign-off; an administrator has none.
  auto officers = BuildAgenda(*officer, f.db, "20.03.2026");
  REQUIRE(officers.ok());
  CHECK(Signoffs(*officers).empty());
  auto supervisors = BuildAgenda(*f.As(f.supervisor), f.db, "20.03.2026");
  REQUIRE(supervisors.ok());
  CHECK(Signoffs(*supervisors).empty());
  auto admins = BuildAgenda(*f.As(f.admin), f.db, "20.03.2026");
  REQUIRE_FALSE(admins.ok());
  CHECK(admins.error().code == Errc::kNotPermitted);

  // Signing off drops the row; the other stays.
  f.Must(dace->Execute(SignOffMentoringSession{s_a, ""}));
  auto after = BuildAgenda(*dace, f.db, "20.03.2026");
  REQUIRE(after.ok());
  const auto left = Signoffs(*after);
  REQUIRE(left.size() == 1);
  CHECK(left[0]->record_id == s_b);
}

TEST_CASE("a card that left the mentoring scope takes its waiting sessions off the backlog",
          "[client][agenda][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto dace = f.As(f.coordinator);
  const std::string laura_id =
      f.Must(BootstrapUser(f.db, *f.replica, "Laura Zariņa", Role::kVolunteerCoordinator, f.unit));
  auto laura = f.As(laura_id);
  const std::string a = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, a);
  const std::string on_a =
      f.Must(dace->Execute(AssignMentor{a, CertifiedMentor(f, *dace), "02.03.2026"}));
  f.Must(laura->Execute(LogMentoringSession{on_a, "10.03.2026", 60, MentoringMode::kInPerson, ""}));
  REQUIRE(Signoffs(BuildAgenda(*dace, f.db, "20.03.2026").value()).size() == 1);
  // The card voided (the referral's grace period passed): the coordinator no longer reads it.
  REQUIRE(f.db.Exec("UPDATE client_card SET voided_at='2026-03-18T00:00:00Z'").ok());
  CHECK(Signoffs(BuildAgenda(*dace, f.db, "20.03.2026").value()).empty());
}
