// Permissions, one test per role: what each role can and cannot read or change. Every refusal
// is kNotPermitted and writes nothing.
#include <catch2/catch.hpp>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

template <class R>
void CheckRefused(const R& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kNotPermitted);
}

// A case of `officer` with a section, an assessment and a note; returns the case id.
std::string FullCase(ModelFixture& f, Workspace& ws) {
  const std::string case_id = f.RegisterBerzins(ws);
  OpenSupervisionSection open;
  open.case_id = case_id;
  open.sentence_type = "nosacīta notiesāšana";
  open.court_decision_ref = "K1";
  open.planned_end_on = "01.01.2028";
  f.Must(ws.Execute(open));
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument_version = "1";
  ra.risk_level = RiskLevel::kHigh;
  f.Must(ws.Execute(ra));
  f.Must(ws.Execute(AddNote{case_id, "konfidenciāla piezīme", "", ""}));
  f.ReferToMentoring(ws, case_id);  // the card reaches the coordinator
  return case_id;
}

}  // namespace

TEST_CASE("officer: own caseload only", "[client][permissions]") {
  ModelFixture f;
  auto mine = f.As(f.officer);
  auto colleague = f.As(f.officer2);
  auto elsewhere = f.As(f.officer_other_unit);
  const std::string case_id = FullCase(f, *mine);
  const std::string colleague_case = f.RegisterBerzins(*colleague, testing::kCode1990);

  // Can: read and change own cases, list own caseload, read unit meetings and the directory.
  CHECK(mine->CaseFile(case_id).ok());
  CHECK(mine->Caseload()->size() == 1);
  CHECK(mine->Execute(AddNote{case_id, "x", "", ""}).ok());
  CHECK(mine->Mentoring(case_id).ok());  // the owner reads the mentoring scope
  CHECK(mine->MappaMeetings().ok());
  CHECK(mine->Programmes()->size() >= 10);

  const auto outbox = f.Outbox();
  // Cannot: a colleague's case (same unit) or another unit's, another officer's caseload.
  CheckRefused(mine->CaseFile(colleague_case));
  CheckRefused(mine->Execute(AddNote{colleague_case, "x", "", ""}));
  CheckRefused(mine->Execute(RecordViolation{colleague_case, ViolationKind::kWarning, "", "x"}));
  CaseloadFilter other;
  other.officer_id = f.officer2;
  CheckRefused(mine->Caseload(other));
  CheckRefused(elsewhere->CaseFile(case_id));
  // Cannot: reassign, touch volunteers or mentoring logs, administer.
  CheckRefused(mine->Execute(ReassignCase{case_id, f.officer2}));
  CheckRefused(mine->VolunteerRegister());
  CheckRefused(mine->Execute(
      RegisterVolunteer{"", "Inese", "Lāce", "", "", "", VolunteerKind::kPeerMentor}));
  CheckRefused(mine->Execute(AssignMentor{case_id, "v", ""}));
  CheckRefused(mine->Execute(CreateUser{"X", Role::kOfficer, f.unit}));
  CheckRefused(mine->Execute(SetUnitSetting{"contact_interval_days.low", "10"}));
  CHECK(f.Outbox() == outbox);
  // Listing only returns own cases, whatever is on the device.
  auto theirs = colleague->Caseload();
  REQUIRE(theirs.ok());
  CHECK(theirs->size() == 1);
  for (const auto& row : *theirs) CHECK(row.responsible_officer_id == f.officer2);
}

TEST_CASE("supervisor: the unit's caseloads and reassignment, no case content changes",
          "[client][permissions]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto officer2 = f.As(f.officer2);
  auto sup = f.As(f.supervisor);
  const std::string case_id = FullCase(f, *officer);
  f.RegisterBerzins(*officer2, testing::kCode1990);
  auto elsewhere = f.As(f.officer_other_unit);
  const std::string foreign_case = f.RegisterBerzins(*elsewhere, testing::kCode1999);

  // Can: the whole unit's caseload, filtered by officer; every case file of the unit.
  CHECK(sup->Caseload()->size() == 2);
  CaseloadFilter one;
  one.officer_id = f.officer2;
  CHECK(sup->Caseload(one)->size() == 1);
  auto file = sup->CaseFile(case_id);
  REQUIRE(file.ok());
  CHECK(file->notes.size() == 1);
  CHECK(sup->Execute(AddNote{case_id, "pārskatīts", "", ""}).ok());
  CHECK(sup->VolunteerRegister().ok());
  CHECK(sup->Mentoring(case_id).ok());

  // Can: reassign within the unit; the card follows, the old officer loses access.
  REQUIRE(sup->Execute(ReassignCase{case_id, f.officer2}).ok());
  CHECK(officer2->CaseFile(case_id).ok());
  CheckRefused(officer->CaseFile(case_id));
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card WHERE id=? AND responsible_officer_id=?",
                      case_id, f.officer2)
            .value() == 1);

  const auto outbox = f.Outbox();
  // Cannot: reassign to an officer of another unit or to a non-officer.
  CHECK(sup->Execute(ReassignCase{case_id, f.officer_other_unit}).error().code ==
        Errc::kValidation);
  CHECK(sup->Execute(ReassignCase{case_id, f.coordinator}).error().code == Errc::kValidation);
  // Cannot: change case content, open cases, read or reassign another unit's cases.
  CheckRefused(sup->Execute(RecordViolation{case_id, ViolationKind::kWarning, "", "x"}));
  CheckRefused(sup->Execute(SignAssessment{file->assessments.at(0).id}));
  RegisterClient rc;
  rc.name = "A";
  rc.surname = "B";
  rc.personal_code = testing::kCode1985;
  CheckRefused(sup->Execute(rc));
  CheckRefused(sup->CaseFile(foreign_case));
  CheckRefused(sup->Execute(ReassignCase{foreign_case, f.officer}));
  CheckRefused(
      sup->Execute(RegisterVolunteer{"", "Inese", "Lāce", "", "", "", VolunteerKind::kPeerMentor}));
  CheckRefused(sup->Execute(CreateUnit{f.region, "Kuldīga"}));
  CHECK(f.Outbox() == outbox);
}

TEST_CASE("volunteer coordinator: volunteers and mentoring, of a client only the card",
          "[client][permissions]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string case_id = FullCase(f, *officer);

  // Can: the card (name, contact details, responsible officer), the mentoring view.
  auto cards = coord->ClientCards();
  REQUIRE(cards.ok());
  REQUIRE(cards->size() == 1);
  CHECK(cards->front().surname == "Bērziņš");
  CHECK(cards->front().phone == "+371 20000000");
  CHECK(cards->front().responsible_officer_name == "Ilze Ozola");
  CHECK(coord->ClientCards("berz")->size() == 1);
  CHECK(coord->ClientCards("nav tāda")->empty());
  CHECK(coord->Mentoring(case_id).ok());
  CHECK(coord->VolunteerRegister().ok());
  CHECK(
      coord->Execute(RegisterVolunteer{"", "Inese", "Lāce", "", "", "", VolunteerKind::kPeerMentor})
          .ok());

  const auto outbox = f.Outbox();
  // Cannot: the case file (offence, assessments, notes), the caseload, history of case records,
  // any case write, MAPPA meetings.
  CheckRefused(coord->CaseFile(case_id));
  CheckRefused(coord->Caseload());
  CheckRefused(coord->History("probation_case", case_id));
  CheckRefused(coord->Execute(AddNote{case_id, "x", "", ""}));
  CheckRefused(coord->Execute(RecordContact{case_id, "20.03.2026", ContactStatus::kPlanned,
                                            ContactMode::kPhone, "", "", ""}));
  CheckRefused(coord->MappaMeetings());
  CheckRefused(coord->Execute(CreateUser{"X", Role::kOfficer, f.unit}));
  CHECK(f.Outbox() == outbox);
}

TEST_CASE("administrator: users and units, no case content", "[client][permissions]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto admin = f.As(f.admin);
  const std::string case_id = FullCase(f, *officer);

  // Can: regions, units, users, deactivation, the programme catalogue.
  const std::string region = f.Must(admin->Execute(CreateRegion{"Latgales reģions"}));
  const std::string unit = f.Must(admin->Execute(CreateUnit{region, "Daugavpils struktūrvienība"}));
  const std::string user = f.Must(admin->Execute(CreateUser{"Laura Vanaga", Role::kOfficer, unit}));
  CHECK(admin->Units()->size() == 3);
  CHECK(admin->Execute(CreateUnit{"no-such-region", "X"}).error().message.find("region_id") !=
        std::string::npos);
  f.Must(admin->Execute(AddProgramme{"Jauna programma", "jaunieši", ProgrammeProvider::kNgo, "NVO",
                                     ProgrammeMode::kEEnvironment, Accreditation::kPilot}));
  REQUIRE(admin->Execute(SetUserActive{user, false}).ok());
  CHECK(Workspace::Open(f.db, *f.replica, user).error().code == Errc::kNotPermitted);
  CHECK(f.db.QueryInt("SELECT count(*) FROM org_user WHERE scope='org'").value() == 7);

  const auto outbox = f.Outbox();
  // Cannot: any case content, caseloads, cards, mentoring, volunteers, meetings.
  CheckRefused(admin->CaseFile(case_id));
  CheckRefused(admin->Caseload());
  CheckRefused(admin->ClientCards());
  CheckRefused(admin->Mentoring(case_id));
  CheckRefused(admin->VolunteerRegister(f.unit));
  CheckRefused(admin->MappaMeetings());
  CheckRefused(admin->History("probation_case", case_id));
  CheckRefused(admin->Execute(AddNote{case_id, "x", "", ""}));
  CheckRefused(admin->Execute(ReassignCase{case_id, f.officer2}));
  CHECK(f.Outbox() == outbox);
  // Unknown users cannot open a workspace at all.
  CHECK(Workspace::Open(f.db, *f.replica, "nobody").error().code == Errc::kNotFound);
}

TEST_CASE("permission predicates follow the matrix", "[client][permissions]") {
  const CaseOwnership c{"u1", "o1", ""};
  const Actor owner{"o1", "u1", "", Role::kOfficer, true};
  const Actor other{"o2", "u1", "", Role::kOfficer, true};
  const Actor sup{"s1", "u1", "", Role::kSupervisor, true};
  const Actor sup_elsewhere{"s2", "u2", "", Role::kSupervisor, true};
  const Actor coord{"c1", "u1", "", Role::kVolunteerCoordinator, true};
  const Actor admin{"a1", "", "", Role::kAdministrator, true};
  Actor inactive_owner = owner;
  inactive_owner.active = false;

  CHECK(CanWriteCaseFile(owner, c));
  CHECK_FALSE(CanWriteCaseFile(other, c));
  CHECK_FALSE(CanWriteCaseFile(inactive_owner, c));
  CHECK(CanReadCaseFile(sup, c));
  CHECK_FALSE(CanWriteCaseFile(sup, c));
  CHECK_FALSE(CanReadCaseFile(sup_elsewhere, c));
  CHECK_FALSE(CanReadCaseFile(coord, c));
  CHECK(CanReadMentoring(coord, c));
  CHECK(CanWriteMentoring(coord, c));
  CHECK_FALSE(CanWriteMentoring(owner, c));
  CHECK_FALSE(CanReadCaseFile(admin, c));
  CHECK_FALSE(CanReadMentoring(admin, c));
  CHECK(CanManageOrganisation(admin));
  CHECK_FALSE(CanManageOrganisation(sup));
  CHECK(CanReassignCase(sup, c));
  CHECK_FALSE(CanReassignCase(owner, c));
}
