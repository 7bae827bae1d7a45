// A small organisation on a real SQLite file for the model tests: one region, two units,
// officers, a supervisor, a volunteer coordinator and an administrator; the programme
// catalogue seeded; the workspace clock pinned to 2026-03-16 12:00 UTC.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "client/schema.hpp"
#include "client/workspace.hpp"
#include "storage/database.hpp"
#include "sync/replica.hpp"
#include "tests/support/temp_dir.hpp"

namespace lietvedis::testing {

// 2026-03-16T12:00:00Z in milliseconds.
inline constexpr std::int64_t kPinnedNowMs = 1773662400000;

// Valid personal codes (check digit per the 1101-weights rule).
inline constexpr const char* kCode1985 = "150385-11001";
inline constexpr const char* kCode1990 = "010190-11004";
inline constexpr const char* kCode1999 = "311299-11000";
inline constexpr const char* kCode2009 = "120709-21007";

struct ModelFixture {
  TempDir dir;
  storage::Database db;
  std::unique_ptr<sync::Replica> replica;
  std::string region, unit, other_unit;
  std::string officer, officer2, officer_other_unit, supervisor, coordinator, admin;

  ModelFixture() {
    auto opened = storage::Database::Open(dir / "model.db");
    REQUIRE(opened.ok());
    db = std::move(opened).value();
    auto rep = client::OpenClientReplica(db, "test-site");
    REQUIRE(rep.ok());
    replica = std::move(rep).value();
    region = Must(client::BootstrapRegion(db, *replica, "Kurzemes reģions"));
    unit = Must(client::BootstrapUnit(db, *replica, region, "Liepājas struktūrvienība"));
    other_unit = Must(client::BootstrapUnit(db, *replica, region, "Ventspils struktūrvienība"));
    officer = Must(client::BootstrapUser(db, *replica, "Ilze Ozola", client::Role::kOfficer, unit));
    officer2 =
        Must(client::BootstrapUser(db, *replica, "Jānis Kalniņš", client::Role::kOfficer, unit));
    officer_other_unit = Must(
        client::BootstrapUser(db, *replica, "Pēteris Liepa", client::Role::kOfficer, other_unit));
    supervisor =
        Must(client::BootstrapUser(db, *replica, "Anna Vītola", client::Role::kSupervisor, unit));
    coordinator = Must(client::BootstrapUser(db, *replica, "Dace Krūmiņa",
                                             client::Role::kVolunteerCoordinator, unit));
    admin = Must(client::BootstrapUser(db, *replica, "Admins", client::Role::kAdministrator, ""));
    REQUIRE(client::SeedProgrammeCatalogue(db, *replica).value() > 0);
  }

  static std::string Must(Result<std::string> r) {
    if (!r.ok()) FAIL(r.error().message);
    return std::move(r).value();
  }

  std::unique_ptr<client::Workspace> As(const std::string& user) {
    client::WorkspaceOptions o;
    o.now_ms = [] { return kPinnedNowMs; };
    auto ws = client::Workspace::Open(db, *replica, user, o);
    if (!ws.ok()) FAIL(ws.error().message);
    return std::move(ws).value();
  }

  // Registers "Jānis Bērziņš" as a conditional-sentence client of `officer`; returns the case id.
  std::string RegisterBerzins(client::Workspace& ws, const char* code = kCode1985) {
    client::RegisterClient c;
    c.name = "Jānis";
    c.surname = "Bērziņš";
    c.personal_code = code;
    c.birth_date = "15.03.1985";
    c.phone = "+371 20000000";
    c.email = "janis@example.lv";
    c.address = "Liepāja, Graudu iela 1";
    c.municipality = "Liepāja";
    c.kind = client::CaseKind::kConditionalSentence;
    c.opened_on = "01.03.2026";
    return Must(ws.Execute(c));
  }

  // Refers the client of `case_id` to peer mentoring (consent 05.03.2026), which puts the
  // client's card in the mentoring scope; returns the referral id.
  std::string ReferToMentoring(client::Workspace& ws, const std::string& case_id) {
    return Must(ws.Execute(client::ReferToMentoring{case_id, "05.03.2026", "06.03.2026"}));
  }

  std::int64_t Count(const std::string& table) {
    return db.QueryInt("SELECT count(*) FROM " + table).value();
  }
  std::int64_t Outbox() { return replica->PendingCount().value(); }
};

}  // namespace lietvedis::testing
