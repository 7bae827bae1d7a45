// Demo data: deterministic for a seed, valid personal codes, Latvian names, every part of
// the domain present, written through the acting officer's workspace only.
#include "client/demo_data.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "client/schema.hpp"
#include "client/validation.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

std::vector<std::string> Fingerprint(ModelFixture& f, const std::string& officer) {
  auto ws = f.As(officer);
  CaseloadFilter all;
  all.status = std::nullopt;
  std::vector<std::string> out;
  const auto rows = ws->Caseload(all).value();
  for (const auto& r : rows) {
    out.push_back(r.surname + "|" + r.name + "|" + r.personal_code + "|" +
                  std::string(Code(r.kind)) + "|" + r.opened_on + "|" + r.last_contact_on + "|" +
                  r.next_contact_at);
  }
  return out;
}

}  // namespace

TEST_CASE("demo caseload: same seed, same data, and another seed, other data", "[client][demo]") {
  ModelFixture a, b, c;
  DemoOptions opts;
  opts.cases = 12;
  opts.seed = 7;
  auto wa = a.As(a.officer);
  auto wb = b.As(b.officer);
  REQUIRE(SeedDemoCaseload(*wa, opts).ok());
  REQUIRE(SeedDemoCaseload(*wb, opts).ok());
  opts.seed = 8;
  auto wc = c.As(c.officer);
  REQUIRE(SeedDemoCaseload(*wc, opts).ok());
  const auto fa = Fingerprint(a, a.officer);
  CHECK(fa.size() == 12);
  CHECK(fa == Fingerprint(b, b.officer));
  CHECK(fa != Fingerprint(c, c.officer));
}

TEST_CASE("demo caseload: valid codes, diacritics, a year of history, all written by the officer",
          "[client][demo]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  DemoOptions opts;
  opts.cases = 30;
  auto caseload = SeedDemoCaseload(*ws, opts);
  REQUIRE(caseload.ok());
  REQUIRE(caseload->case_ids.size() == 30);
  auto coord = f.As(f.coordinator);
  REQUIRE(SeedDemoVolunteers(*coord, caseload->case_ids, opts).ok());

  bool diacritics = false;
  std::string earliest = "9999";
  const auto rows = ws->Caseload().value();
  for (const auto& r : rows) {
    INFO(r.case_id);
    CHECK(ValidatePersonalCode(r.personal_code).ok());
    CHECK(ValidateText(r.surname, "surname", 200, true).ok());
    CHECK(r.responsible_officer_id == f.officer);
    for (unsigned char ch : r.surname + r.name) diacritics = diacritics || ch >= 0x80;
    earliest = std::min(earliest, r.opened_on);
  }
  CHECK(diacritics);
  CHECK(earliest <= "2025-03-16");  // at least a year before the pinned today (16.03.2026)
  CHECK(f.Count("assessment") > 0);
  CHECK(f.Count("res_plan") > 0);
  CHECK(f.Count("contact") >= 60);
  CHECK(f.Count("referral") > 0);
  CHECK(f.Count("mappa_meeting") == 3);
  CHECK(f.Count("volunteer") == 8);
  CHECK(f.Count("mentoring_session") > 0);
  // A realistic few clients are referred for peer mentoring; only their cards reach the
  // coordinator, and mentors go to them alone.
  const auto cards = coord->ClientCards().value();
  CHECK(cards.size() >= 2);
  CHECK(cards.size() <= 6);
  CHECK(cards.size() == caseload->mentoring_case_ids.size());
  for (const auto& card : cards) {
    CHECK(std::find(caseload->mentoring_case_ids.begin(), caseload->mentoring_case_ids.end(),
                    card.case_id) != caseload->mentoring_case_ids.end());
  }
  CHECK(f.Count("mentoring_referral") > static_cast<std::int64_t>(cards.size()) - 1);
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card WHERE voided_at IS NULL").value() ==
        static_cast<std::int64_t>(cards.size()));
  CHECK(f.db.QueryInt("SELECT count(*) FROM mentor_assignment a JOIN client_card k ON "
                      "k.id=a.case_id WHERE k.voided_at IS NOT NULL")
            .value() == 0);
  // Case content came from the officer alone; the coordinator wrote only mentoring rows.
  CHECK(f.db.QueryInt("SELECT count(*) FROM probation_case WHERE responsible_officer_id <> ?",
                      f.officer)
            .value() == 0);
  CHECK(f.db.QueryInt("SELECT count(DISTINCT user_id) FROM audit WHERE scope LIKE 'case:%'")
            .value() == 1);

  SECTION("only an officer writes a caseload, only a coordinator volunteers") {
    auto sup = f.As(f.supervisor);
    CHECK(SeedDemoCaseload(*sup, opts).error().code == Errc::kNotPermitted);
    CHECK(SeedDemoVolunteers(*ws, {}, opts).error().code == Errc::kNotPermitted);
  }
}

TEST_CASE("demo organisation: Kurzeme / Liepāja with its staff", "[client][demo]") {
  testing::TempDir dir;
  auto db = storage::Database::Open(dir / "org.db").value();
  auto replica = OpenClientReplica(db, "site").value();
  auto org = BootstrapDemoOrg(db, *replica);
  REQUIRE(org.ok());
  CHECK(org->officers.size() == 3);
  auto admin = Workspace::Open(db, *replica, org->administrator).value();
  auto users = admin->Users().value();
  std::map<Role, int> roles;
  for (const auto& u : users) ++roles[u.role];
  CHECK(roles[Role::kOfficer] == 3);
  CHECK(roles[Role::kSupervisor] == 1);
  CHECK(roles[Role::kVolunteerCoordinator] == 1);
  CHECK(roles[Role::kAdministrator] == 1);
  const auto by_role = DemoUsersByRole(*org);
  CHECK(by_role.size() == 6);
  CHECK(by_role.at("officer_3") == org->officers[2]);
  CHECK(by_role.at("volunteer_coordinator") == org->coordinator);
  CHECK(by_role.at("supervisor") != by_role.at("administrator"));
  auto units = admin->Units().value();
  REQUIRE(units.size() == 1);
  CHECK(units[0].name == "Liepājas struktūrvienība");
  CHECK(admin->Regions().value()[0].name == "Kurzemes reģions");
  CHECK(admin->Programmes().value().size() >= 10);
}

TEST_CASE("MakePersonalCode writes codes the validator accepts", "[client][demo]") {
  int made = 0;
  for (int serial = 0; serial < 1000; ++serial) {
    const std::string code = MakePersonalCode(29, 2, 2000, serial);
    if (code.empty()) continue;
    ++made;
    REQUIRE(ValidatePersonalCode(code).ok());
  }
  CHECK(made > 800);  // about one serial in eleven has no valid check digit
  CHECK(MakePersonalCode(15, 3, 1985, 100) == "150385-11001");
}
