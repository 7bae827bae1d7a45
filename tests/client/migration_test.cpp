// Migration from the previous client schema version: tests/client/fixtures/store-v2 is an
// encrypted store written at client schema version 2 (by lv_make_store_fixture, from the
// shipped steps 1-2). Opening it with this build migrates it forward in place and keeps every
// record; the step-3 tables become usable.
#include <catch2/catch.hpp>
#include <filesystem>

#include "client/schema.hpp"
#include "client/workspace.hpp"
#include "storage/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
namespace fs = std::filesystem;

TEST_CASE(
    "A store written by client schema version 2 opens, migrates to the current version and keeps "
    "its records",
    "[client][storage][migration]") {
  testing::TempDir tmp;
  const fs::path fixture = fs::path(LV_TEST_SOURCE_DIR) / "tests/client/fixtures/store-v2";
  REQUIRE(fs::exists(fixture / "keys.lvk"));
  fs::copy(fixture, tmp.path() / "store", fs::copy_options::recursive);

  auto opened = storage::Store::Open((tmp.path() / "store").string(), "fixture passphrase");
  REQUIRE(opened.ok());
  storage::Database& db = (*opened)->db();
  REQUIRE(storage::SchemaVersion(db, "client").value() == 2);
  CHECK(db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name='src_placement'").value() == 0);

  auto replica = client::OpenClientReplica(db, "fixture-site");
  REQUIRE(replica.ok());
  CHECK(storage::SchemaVersion(db, "client").value() ==
        static_cast<int>(client::ClientMigrations().size()));
  CHECK(db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name='src_placement'").value() == 1);
  CHECK(db.QueryInt("PRAGMA integrity_check").ok());

  auto stmt = db.Prepare("SELECT id FROM org_user WHERE display_name='Ilze Ozola'");
  REQUIRE(stmt.ok());
  REQUIRE(stmt->Step().value());
  const std::string officer_id = stmt->Text(0);

  client::WorkspaceOptions options;
  options.now_ms = [] { return std::int64_t{1773662400000}; };
  auto ws = client::Workspace::Open(db, **replica, officer_id, options);
  REQUIRE(ws.ok());
  auto caseload = (*ws)->Caseload();
  REQUIRE(caseload.ok());
  REQUIRE(caseload->size() == 1);
  auto file = (*ws)->CaseFile(caseload->front().case_id);
  REQUIRE(file.ok());
  CHECK(file->client.surname == "Bērziņš");
  REQUIRE(file->contacts.size() == 1);
  CHECK(file->contacts[0].note == "Runājām par darba meklēšanu Liepājā.");
  REQUIRE(file->notes.size() == 1);

  // The table added by step 3 takes records in the migrated store.
  client::PlaceInRehabilitationCentre p;
  p.case_id = caseload->front().case_id;
  p.centre = "Sociālās rehabilitācijas centrs";
  p.started_on = "12.03.2026";
  p.daily_cost_cents = 2000;
  auto placed = (*ws)->Execute(p);
  INFO((placed.ok() ? std::string() : placed.error().message));
  REQUIRE(placed.ok());
  CHECK(db.QueryInt("SELECT count(*) FROM src_placement").value() == 1);
}
