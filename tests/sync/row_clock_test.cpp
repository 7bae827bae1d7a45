// The per-row clock: its blob format, the conversion of stores written with one clock row per
// field (sync migration 2) into each row's sync_stamps column, and what a damaged clock does to
// a merge.
#include "sync/row_clock.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "storage/database.hpp"
#include "sync/replica.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;
using namespace lietvedis::sync;

TEST_CASE("RowClock round-trips stamps of several writers and overwrites in place", "[sync]") {
  RowClock c;
  c.Set("name", Stamp{HlcPack(1'700'000'000'000, 3), "site-a"});
  c.Set("n", Stamp{HlcPack(1'700'000'000'001, 0), "site-b"});
  c.Set("body", Stamp{7, "site-a"});
  c.Set("name", Stamp{HlcPack(1'700'000'000'002, 9), "site-b"});
  REQUIRE(c.fields().size() == 3);

  auto back = RowClock::Decode(c.Encode());
  REQUIRE(back.ok());
  REQUIRE(back->fields().size() == 3);
  for (const FieldStamp& f : c.fields()) {
    const Stamp* s = back->Find(f.column);
    REQUIRE(s != nullptr);
    CHECK(*s == f.stamp);
  }
  CHECK(back->Find("name")->site == "site-b");
  CHECK(back->Find("missing") == nullptr);
  // Each writer's id is stored once per row.
  const Blob bytes = c.Encode();
  CHECK(std::search(bytes.begin(), bytes.end(), std::begin("site-a"), std::end("site-a") - 1) !=
        bytes.end());
  CHECK(bytes.size() < 2 * (7 + 7) + 3 * (5 + 9 + 1) + 4);
  // An empty clock encodes and decodes too.
  auto empty = RowClock::Decode(RowClock().Encode());
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("RowClock::Decode rejects every damaged blob with kCorrupt", "[sync]") {
  RowClock c;
  c.Set("name", Stamp{HlcPack(1'700'000'000'000, 3), "site-a"});
  c.Set("n", Stamp{HlcPack(1'700'000'000'001, 0), "site-b"});
  const Blob good = c.Encode();
  // Every truncation.
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto r = RowClock::Decode(std::span<const std::uint8_t>(good.data(), n));
    INFO("prefix of " << n << " bytes");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kCorrupt);
  }
  Blob trailing = good;
  trailing.push_back(0);
  CHECK(RowClock::Decode(trailing).error().message.find("trailing") != std::string::npos);
  Blob version = good;
  version[0] = 2;
  CHECK(RowClock::Decode(version).error().message.find("version") != std::string::npos);
  // Site index of the last field (its last byte) pointing past the two sites.
  Blob index = good;
  index.back() = 5;
  CHECK(RowClock::Decode(index).error().message.find("site index") != std::string::npos);
  // A huge count must not allocate: 0xff... varint.
  const Blob huge = {1, 0xff, 0xff, 0xff, 0xff, 0x0f};
  CHECK(RowClock::Decode(huge).error().code == Errc::kCorrupt);
  // The same column twice.
  RowClock twice;
  twice.Set("n", Stamp{5, "s"});
  Blob dup = twice.Encode();
  // fields: count 1 -> 2, then append a copy of the field entry.
  const std::size_t field_start = 1 + 1 + 1 + 1 + 1;  // version, n_sites, len, "s", n_fields
  REQUIRE(dup[field_start - 1] == 1);
  Blob entry(dup.begin() + static_cast<std::ptrdiff_t>(field_start), dup.end());
  dup[field_start - 1] = 2;
  dup.insert(dup.end(), entry.begin(), entry.end());
  CHECK(RowClock::Decode(dup).error().message.find("repeats") != std::string::npos);
}

namespace {

std::vector<TableSpec> ItemTables() {
  return {{"item", {"name", "n"}, false}};
}

Result<ApplyStats> ApplyOne(Database& db, Replica& r, Change c) {
  LV_ASSIGN(Transaction tx, Transaction::Begin(db));
  LV_ASSIGN(ApplyStats st, r.ApplyRemote(std::span<const Change>(&c, 1)));
  LV_TRY(tx.Commit());
  return st;
}

// The replication layer's schema as sync migrations 1 and 2 left it (per-field sync_clock),
// with the replicated table `item`.
constexpr const char* kSyncV2Schema = R"sql(
    CREATE TABLE schema_version(component TEXT PRIMARY KEY, version INTEGER NOT NULL);
    INSERT INTO schema_version VALUES('sync', 2);
    CREATE TABLE sync_meta(key TEXT PRIMARY KEY, value ANY) STRICT;
    CREATE TABLE sync_clock(tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL,
      hlc INTEGER NOT NULL, site TEXT NOT NULL, PRIMARY KEY(tbl, row_id, col)) STRICT, WITHOUT ROWID;
    CREATE TABLE sync_outbox(seq INTEGER PRIMARY KEY, scope TEXT NOT NULL, tbl TEXT NOT NULL,
      row_id TEXT NOT NULL, col TEXT NOT NULL, value ANY, hlc INTEGER NOT NULL, site TEXT NOT NULL,
      prev_hlc INTEGER NOT NULL, prev_site TEXT NOT NULL) STRICT;
    CREATE INDEX sync_outbox_scope ON sync_outbox(scope, seq);
    CREATE TABLE sync_versions(tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL,
      hlc INTEGER NOT NULL, site TEXT NOT NULL, known INTEGER NOT NULL, has_child INTEGER NOT NULL,
      PRIMARY KEY(tbl, row_id, col, hlc, site)) STRICT, WITHOUT ROWID;
    CREATE TABLE sync_conflicts(id TEXT PRIMARY KEY, scope TEXT NOT NULL, tbl TEXT NOT NULL,
      row_id TEXT NOT NULL, col TEXT NOT NULL, value ANY, hlc INTEGER NOT NULL,
      site TEXT NOT NULL) STRICT;
    CREATE UNIQUE INDEX sync_conflicts_loser ON sync_conflicts(tbl, row_id, col, hlc, site);
    CREATE INDEX sync_conflicts_scope ON sync_conflicts(scope, id);
    CREATE TABLE sync_resolutions(id TEXT PRIMARY KEY, scope TEXT NOT NULL, loser TEXT);
    CREATE TABLE item(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT, n INTEGER);
)sql";

// A fresh store with the replicated table `item`, written by site-a.
struct ItemStore {
  ItemStore() {
    auto opened = Database::Open(dir / "r.db");
    REQUIRE(opened.ok());
    db = std::move(*opened);
    REQUIRE(db.Exec("CREATE TABLE item(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT, "
                    "n INTEGER)")
                .ok());
    auto rep = Replica::Open(db, "site-a", ItemTables());
    REQUIRE(rep.ok());
    replica = std::move(*rep);
  }
  testing::TempDir dir;
  Database db;
  std::unique_ptr<Replica> replica;
};

}  // namespace

TEST_CASE("A store with one clock row per field is converted to row clocks on open", "[sync]") {
  // (sync_clock rows of a table no longer replicated are dropped with the old table.)
  testing::TempDir dir;
  auto db = Database::Open(dir / "old.db");
  REQUIRE(db.ok());
  // Two rows of item, stamped the old way, and stamps of a table no longer replicated.
  REQUIRE(db->Exec(kSyncV2Schema).ok());
  REQUIRE(db->Exec(R"sql(
    INSERT INTO item VALUES('r1', 'case:1', 'Ozola', 4), ('r2', 'case:1', 'Kalniņa', NULL);
    INSERT INTO sync_clock VALUES('item', 'r1', 'name', 1000, 'site-a'),
      ('item', 'r1', 'n', 2000, 'site-b'), ('item', 'r2', 'name', 1500, 'site-a'),
      ('gone', 'r9', 'x', 1200, 'site-a');
  )sql")
              .ok());
  auto rep = Replica::Open(*db, "site-c", ItemTables());
  REQUIRE(rep.ok());
  Replica& r = **rep;
  CHECK(SchemaVersion(*db, "sync").value() == 3);
  CHECK(db->QueryInt("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'sync_clock%'").value() ==
        0);
  CHECK(db->QueryInt("SELECT count(*) FROM item WHERE sync_stamps IS NOT NULL").value() == 2);
  CHECK(r.StampOf("item", "r1", "name").value() == Stamp{1000, "site-a"});
  CHECK(r.StampOf("item", "r1", "n").value() == Stamp{2000, "site-b"});
  CHECK(r.StampOf("item", "r2", "name").value() == Stamp{1500, "site-a"});
  CHECK_FALSE(r.StampOf("item", "r2", "n").value().has_value());

  // The converted stamps decide merges as before: an older concurrent write loses and lands in
  // the conflict inbox, a write on top of the held version wins.
  auto older = ApplyOne(
      *db, r,
      {"case:1", "item", "r1", "name", std::string("Ozols"), Stamp{900, "site-d"}, Stamp{}});
  REQUIRE(older.ok());
  CHECK(older->conflicts == 1);
  CHECK(db->QueryInt("SELECT name='Ozola' FROM item WHERE id='r1'").value() == 1);
  auto newer = ApplyOne(
      *db, r,
      {"case:1", "item", "r1", "n", std::int64_t{5}, Stamp{2500, "site-d"}, Stamp{2000, "site-b"}});
  REQUIRE(newer.ok());
  CHECK(newer->applied == 1);
  CHECK(newer->conflicts == 0);
  CHECK(db->QueryInt("SELECT n FROM item WHERE id='r1'").value() == 5);
  CHECK(r.StampOf("item", "r1", "n").value() == Stamp{2500, "site-d"});
  // Opening again finds nothing left to convert.
  rep->reset();
  auto again = Replica::Open(*db, "site-c", ItemTables());
  REQUIRE(again.ok());
  CHECK((*again)->StampOf("item", "r1", "n").value() == Stamp{2500, "site-d"});
}

TEST_CASE("A damaged row clock fails the merge with kCorrupt and applies nothing", "[sync]") {
  ItemStore store;
  Database* db = &store.db;
  Replica& r = *store.replica;
  {
    auto tx = Transaction::Begin(*db);
    REQUIRE(tx.ok());
    REQUIRE(r.Write("item", "r1", "case:1", {{"name", std::string("Liepa")}}).ok());
    REQUIRE(r.Write("item", "r2", "case:1", {{"name", std::string("Egle")}}).ok());
    REQUIRE(tx->Commit().ok());
  }
  const Stamp held = r.StampOf("item", "r1", "name").value().value();
  CHECK(held.site == "site-a");
  REQUIRE(db->Exec("UPDATE item SET sync_stamps=x'01ff' WHERE id='r1'").ok());

  // A batch that first creates a new row, then touches the damaged one.
  std::vector<Change> batch = {
      {"case:1", "item", "r3", "name", std::string("Ozols"), Stamp{held.hlc + 1, "site-b"}, {}},
      {"case:1", "item", "r1", "name", std::string("Bērzs"), Stamp{held.hlc + 2, "site-b"}, held},
  };
  auto tx = Transaction::Begin(*db);
  REQUIRE(tx.ok());
  auto res = r.ApplyRemote(batch);
  REQUIRE_FALSE(res.ok());
  CHECK(res.error().code == Errc::kCorrupt);
  CHECK(res.error().message.find("r1") != std::string::npos);
  REQUIRE(tx->Commit().ok());
  CHECK(db->QueryInt("SELECT count(*) FROM item WHERE id='r3'").value() == 0);
  CHECK(db->QueryInt("SELECT name='Liepa' FROM item WHERE id='r1'").value() == 1);
  // The other rows still merge.
  auto ok = ApplyOne(
      *db, r, {"case:1", "item", "r2", "n", std::int64_t{1}, Stamp{held.hlc + 3, "site-b"}, {}});
  REQUIRE(ok.ok());
  CHECK(ok->applied == 1);
}

TEST_CASE("Local writes record each field's stamp once per row", "[sync]") {
  ItemStore store;
  Database* db = &store.db;
  Replica& r = *store.replica;
  auto tx = Transaction::Begin(*db);
  REQUIRE(tx.ok());
  REQUIRE(
      r.Write("item", "r1", "case:1", {{"name", std::string("A")}, {"n", std::int64_t{1}}}).ok());
  REQUIRE(r.Write("item", "r1", "case:1", {{"n", std::int64_t{2}}, {"n", std::int64_t{3}}}).ok());
  REQUIRE(tx->Commit().ok());
  CHECK(db->QueryInt("SELECT count(*) FROM item WHERE sync_stamps IS NOT NULL").value() == 1);
  // The outbox names each write's stamp and the one it replaced; the clock holds the last.
  auto st = db->Prepare("SELECT hlc, prev_hlc FROM sync_outbox WHERE col='n' ORDER BY seq");
  REQUIRE(st.ok());
  std::vector<std::pair<std::int64_t, std::int64_t>> n_writes;
  while (st->Step().value()) n_writes.emplace_back(st->Int(0), st->Int(1));
  REQUIRE(n_writes.size() == 3);
  CHECK(n_writes[0].second == 0);
  CHECK(n_writes[1].second == n_writes[0].first);
  CHECK(n_writes[2].second == n_writes[1].first);
  CHECK(r.StampOf("item", "r1", "n").value() == Stamp{n_writes[2].first, "site-a"});
  CHECK(db->QueryInt("SELECT n FROM item WHERE id='r1'").value() == 3);
  CHECK(r.StampOf("nothing", "r1", "n").error().code == Errc::kValidation);
}

TEST_CASE("An old store with a stamp without clock is refused and left as it was", "[sync]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "old.db");
  REQUIRE(db.ok());
  REQUIRE(db->Exec(kSyncV2Schema).ok());
  REQUIRE(db->Exec("INSERT INTO item VALUES('r1', 'case:1', 'Ozola', 4);"
                   "INSERT INTO sync_clock VALUES('item', 'r1', 'name', 1000, 'site-a'),"
                   " ('item', 'r1', 'n', 0, 'site-b');")
              .ok());
  auto rep = Replica::Open(*db, "site-c", ItemTables());
  REQUIRE_FALSE(rep.ok());
  CHECK(rep.error().code == Errc::kCorrupt);
  CHECK(rep.error().message.find("item") != std::string::npos);
  // The conversion is one transaction: the old stamps are still there, no column was added.
  CHECK(db->QueryInt("SELECT count(*) FROM sync_clock_v2").value() == 2);
  CHECK(db->QueryInt("SELECT count(*) FROM pragma_table_info('item') WHERE name='sync_stamps'")
            .value() == 0);
  // Once the damaged stamp is repaired, the store opens and converts.
  REQUIRE(db->Exec("UPDATE sync_clock_v2 SET hlc=900 WHERE col='n'").ok());
  auto fixed = Replica::Open(*db, "site-c", ItemTables());
  REQUIRE(fixed.ok());
  CHECK((*fixed)->StampOf("item", "r1", "n").value() == Stamp{900, "site-b"});
}

TEST_CASE("A replicated table may not name the replica's stamps column as data", "[sync]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "r.db");
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE item(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT,"
                   " sync_stamps BLOB)")
              .ok());
  auto rep = Replica::Open(*db, "site-a", {{"item", {"name", "sync_stamps"}, false}});
  REQUIRE_FALSE(rep.ok());
  CHECK(rep.error().code == Errc::kInternal);
  CHECK(rep.error().message.find("sync_stamps") != std::string::npos);
}
