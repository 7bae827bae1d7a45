// Migration from the previous client schema version: tests/client/fixtures/store-v2 is an
// encrypted store written at client schema version 2 (by lv_make_store_fixture, from the
// shipped steps 1-2). Opening it with this build migrates it forward in place and keeps every
// record; the step-3 tables become usable.
#include <catch2/catch.hpp>
#include <filesystem>

#include "client/audit_chain.hpp"
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
  CHECK(storage::SchemaVersion(db, "client").value() == client::ClientMigrations().back().version);
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

  // The fixture's audit entries predate the chain (step 7): counted as unchained (legacy),
  // not as tampering; the read above began this device's chain in the case scope.
  auto audit = client::VerifyAuditChains(db);
  REQUIRE(audit.ok());
  std::string findings;
  for (const auto& f : audit->findings) findings += f.message + "\n";
  INFO(findings);
  CHECK(audit->sound());
  CHECK(audit->unchained > 5);
  CHECK(audit->chained == 1);
  CHECK(db.QueryInt("SELECT count(*) FROM audit WHERE hash IS NULL").value() == audit->unchained);

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

TEST_CASE(
    "Schema step 4 cuts personal codes from card folds, voids the cards of clients not in "
    "mentoring, and the officer's device sends the fix through the replica",
    "[client][storage][migration][privacy]") {
  testing::TempDir tmp;
  auto opened = storage::Database::Open(tmp / "v3.db");
  REQUIRE(opened.ok());
  storage::Database db = std::move(opened).value();
  // A store as schema step 3 left it: every case had a card, its fold ending in the code.
  REQUIRE(storage::Migrate(db, "client", client::ClientMigrations().first(3)).ok());
  REQUIRE(db.Exec("INSERT INTO org_user VALUES('u-off','org','Ilze Ozola','officer','unit-1',1);"
                  "INSERT INTO org_user VALUES('u-coord','org','Dace Krūmiņa',"
                  " 'volunteer_coordinator','unit-1',1);"
                  "INSERT INTO probation_case VALUES('case-a','case:case-a','cl-a',"
                  " 'conditional_sentence','open','unit-1','u-off','2026-01-10',NULL);"
                  "INSERT INTO client(id, scope, case_id, name, surname, personal_code, phone,"
                  " name_fold) VALUES('cl-a','case:case-a','case-a','Jānis','Bērziņš',"
                  " '150385-11001','+371 20000000','janis berzins 150385-11001');"
                  "INSERT INTO probation_case VALUES('case-b','case:case-b','cl-b',"
                  " 'conditional_sentence','open','unit-1','u-off','2026-01-11',NULL);"
                  "INSERT INTO client(id, scope, case_id, name, surname, personal_code, phone,"
                  " name_fold) VALUES('cl-b','case:case-b','case-b','Anna','Ozola',"
                  " '010190-11004','+371 26000000','anna ozola 010190-11004');"
                  "INSERT INTO client_card VALUES('case-a','mentoring:case-a','case-a','unit-1',"
                  " 'Jānis','Bērziņš','+371 20000000',NULL,'u-off','janis berzins 150385-11001');"
                  "INSERT INTO client_card VALUES('case-b','mentoring:case-b','case-b','unit-1',"
                  " 'Anna','Ozola','+371 26000000',NULL,'u-off','anna ozola 010190-11004');"
                  "INSERT INTO mentor_assignment VALUES('as-1','mentoring:case-a','case-a','v-1',"
                  " 'Inese Lāce','2026-02-01',NULL,'u-coord');")
              .ok());

  auto replica = client::OpenClientReplica(db, "officer-site");
  REQUIRE(replica.ok());
  CHECK(storage::SchemaVersion(db, "client").value() == client::ClientMigrations().back().version);
  // In mentoring (active assignment): the card stays, its fold without the code.
  CHECK(db.QueryInt("SELECT count(*) FROM client_card WHERE id='case-a' AND name='Jānis' AND "
                    "name_fold='janis berzins' AND voided_at IS NULL")
            .value() == 1);
  // Not in mentoring: name, phone and fold are gone, the card is void; ownership stays.
  CHECK(db.QueryInt("SELECT count(*) FROM client_card WHERE id='case-b' AND name IS NULL AND "
                    "surname IS NULL AND phone IS NULL AND name_fold IS NULL AND voided_at IS "
                    "NOT NULL AND responsible_officer_id='u-off'")
            .value() == 1);
  CHECK(db.QueryInt("SELECT count(*) FROM client_card WHERE name_fold LIKE '%1%'").value() == 0);
  // The case file keeps the personal code for the officer.
  CHECK(db.QueryInt("SELECT count(*) FROM client WHERE personal_code='010190-11004'").value() == 1);
  CHECK(db.QueryInt("SELECT count(*) FROM client_card_rewrite").value() == 2);

  client::WorkspaceOptions options;
  options.now_ms = [] { return std::int64_t{1773662400000}; };
  auto coord = client::Workspace::Open(db, **replica, "u-coord", options);
  REQUIRE(coord.ok());
  CHECK((*coord)->ClientCards("150385")->empty());
  REQUIRE((*coord)->ClientCards()->size() == 1);
  CHECK((*coord)->ClientCards()->front().case_id == "case-a");
  CHECK((*coord)->ApplyClientCardRules().value() == 0);  // a coordinator writes no cards
  CHECK(db.QueryInt("SELECT count(*) FROM client_card_rewrite").value() == 2);

  // The officer's device rewrites both cards through the replica, once.
  CHECK((*replica)->PendingCount().value() == 0);
  auto officer = client::Workspace::Open(db, **replica, "u-off", options);
  REQUIRE(officer.ok());
  CHECK((*officer)->ApplyClientCardRules().value() == 2);
  CHECK(db.QueryInt("SELECT count(*) FROM client_card_rewrite").value() == 0);
  CHECK(db.QueryInt("SELECT count(*) FROM sync_outbox WHERE scope='mentoring:case-a' AND "
                    "col='name_fold' AND value='janis berzins'")
            .value() == 1);
  CHECK(db.QueryInt("SELECT count(*) FROM sync_outbox WHERE scope='mentoring:case-b' AND "
                    "col='name' AND value IS NULL")
            .value() == 1);
  CHECK(db.QueryInt("SELECT count(*) FROM sync_outbox WHERE scope LIKE 'mentoring:%' AND "
                    "CAST(value AS TEXT) LIKE '%-1100%'")
            .value() == 0);
  CHECK((*officer)->ApplyClientCardRules().value() == 0);
}
