#include "client/schema.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "client/model.hpp"
#include "storage/database.hpp"
#include "sync/replica.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::client;

TEST_CASE("client schema migrates and every table with a scope is replicated exactly",
          "[client][schema]") {
  testing::TempDir dir;
  auto db = storage::Database::Open(dir / "c.db");
  REQUIRE(db.ok());
  REQUIRE(MigrateClientSchema(*db).ok());
  REQUIRE(MigrateClientSchema(*db).ok());  // idempotent
  CHECK(storage::SchemaVersion(*db, "client").value() == 14);
  // every step, 5 (documents), 6 (casework), 7 (evaluation), 8 (audit chain), 9 (restored
  // audit entries), 10 (circles of support, countersignatures), 11 (mediation) and 12
  // (transfers between units), 13 (covers and break-glass), 14 (who reported a mediation)
  CHECK(ClientMigrations().size() == 14);

  auto tables = db->Prepare(
      "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%'"
      // client_card_rewrite: local work list of schema step 4, never replicated;
      // audit_chain_head: where this device's audit chains stand (step 8), local only;
      // audit_restored: audit entries taken from a backup (step 9), local only;
      // org_cover: the directory's covers (step 13), local only, never pushed.
      " AND name NOT IN ('schema_version', 'client_card_rewrite', 'audit_chain_head',"
      " 'audit_restored', 'org_cover')"
      " AND name NOT LIKE 'sync_%'");
  REQUIRE(tables.ok());
  std::set<std::string> with_scope;
  for (;;) {
    auto row = tables->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    with_scope.insert(tables->Text(0));
  }
  std::set<std::string> specs;
  for (const auto& t : ReplicatedTables()) specs.insert(t.name);
  CHECK(with_scope == specs);

  for (const auto& spec : ReplicatedTables()) {
    INFO(spec.name);
    auto info = db->Prepare("SELECT name, \"notnull\", pk FROM pragma_table_info(?)");
    REQUIRE(info.ok());
    info->Bind(1, spec.name);
    std::vector<std::string> data_columns;
    for (;;) {
      auto row = info->Step();
      REQUIRE(row.ok());
      if (!*row) break;
      const std::string col = info->Text(0);
      if (col == "id" || col == "scope") continue;
      CHECK(info->Int(1) == 0);  // no NOT NULL on data columns
      data_columns.push_back(col);
    }
    std::vector<std::string> listed = spec.columns;
    std::sort(listed.begin(), listed.end());
    std::sort(data_columns.begin(), data_columns.end());
    CHECK(listed == data_columns);
  }
  // The replica accepts the whole list.
  auto rep = sync::Replica::Open(*db, "site", ReplicatedTables());
  CHECK(rep.ok());
}

TEST_CASE("append-only tables are the logs, notes, consents and sign-offs", "[client][schema]") {
  std::set<std::string> append_only;
  for (const auto& t : ReplicatedTables()) {
    if (t.append_only) append_only.insert(t.name);
  }
  CHECK(append_only == std::set<std::string>{
                           "volunteer_stage", "consent", "attendance", "note", "audit",
                           "correction", "mentoring_session", "mentoring_signoff",
                           "mappa_disclosure_log", "break_glass", "community_hours",
                           "escalation_decision", "court_application_ground", "countersignature"});
}

TEST_CASE("enum codes round-trip and unknown codes are refused", "[client][schema]") {
  CHECK(Code(CaseKind::kConditionalReleaseFromLiability) == "conditional_release_from_liability");
  CHECK(FromCode<CaseKind>("mediation") == CaseKind::kMediation);
  CHECK_FALSE(FromCode<CaseKind>("Mediation").has_value());
  CHECK_FALSE(FromCode<RiskLevel>("").has_value());
  CHECK(AllCodes<Instrument>().size() == 8);
  for (auto code : AllCodes<Role>()) CHECK(Code(*FromCode<Role>(code)) == code);
}

TEST_CASE("OpenClientReplica migrates once and reopens an existing file", "[client][schema]") {
  testing::TempDir dir;
  std::int64_t clock_before = 0;
  {
    auto db = storage::Database::Open(dir / "c.db");
    REQUIRE(db.ok());
    auto rep = OpenClientReplica(*db, "device-1");
    REQUIRE(rep.ok());
    auto tx = storage::Transaction::Begin(*db);
    REQUIRE(tx.ok());
    REQUIRE((*rep)->Write("org_region", "r1", "org", {{"name", std::string("Kurzeme")}}).ok());
    REQUIRE(tx->Commit().ok());
    clock_before = (*rep)->clock().last();
  }
  auto db = storage::Database::Open(dir / "c.db");
  REQUIRE(db.ok());
  auto rep = OpenClientReplica(*db, "device-1");
  REQUIRE(rep.ok());
  CHECK(db->QueryInt("SELECT count(*) FROM org_region").value() == 1);
  CHECK((*rep)->clock().Now() > clock_before);
  auto scopes = LocalScopes(*db);
  REQUIRE(scopes.ok());
  CHECK(scopes->empty());  // no users yet: not even org is listed
  // A site id is required.
  CHECK(OpenClientReplica(*db, "").error().code == Errc::kValidation);
}
