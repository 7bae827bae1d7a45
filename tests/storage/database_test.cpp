#include "storage/database.hpp"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;

TEST_CASE("Database opens a real file in WAL mode and round-trips every value type", "[storage]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "plain.db");
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)").ok());
  const Blob blob{0, 1, 2, 255};
  REQUIRE(db->Run("INSERT INTO t VALUES(?, ?, ?, ?, ?)", std::int64_t{42}, 2.5,
                  std::string("Bērziņš"), blob, nullptr)
              .ok());
  auto st = db->Prepare("SELECT i, r, s, b, n FROM t");
  REQUIRE(st.ok());
  auto row = st->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  CHECK(st->Int(0) == 42);
  CHECK(st->Double(1) == 2.5);
  CHECK(st->Text(2) == "Bērziņš");
  CHECK(st->BlobAt(3) == blob);
  CHECK(st->IsNull(4));
  CHECK(std::holds_alternative<std::monostate>(st->ValueAt(4)));
  auto mode = db->Prepare("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  REQUIRE(*mode->Step());
  CHECK(mode->Text(0) == "wal");
}

TEST_CASE("A transaction rolls back unless committed", "[storage]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "tx.db");
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE t(x INTEGER)").ok());
  {
    auto tx = Transaction::Begin(*db);
    REQUIRE(tx.ok());
    REQUIRE(db->Run("INSERT INTO t VALUES(1)").ok());
  }  // destroyed without Commit
  CHECK(db->QueryInt("SELECT count(*) FROM t").value() == 0);
  {
    auto tx = Transaction::Begin(*db);
    REQUIRE(tx.ok());
    REQUIRE(db->Run("INSERT INTO t VALUES(1)").ok());
    REQUIRE(tx->Commit().ok());
  }
  CHECK(db->QueryInt("SELECT count(*) FROM t").value() == 1);
}

TEST_CASE("SQLite errors become typed errors, not crashes", "[storage]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "err.db");
  REQUIRE(db.ok());
  auto bad = db->Prepare("SELEC nonsense");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("preparing statement") != std::string::npos);

  REQUIRE(db->Exec("CREATE TABLE u(k TEXT PRIMARY KEY)").ok());
  REQUIRE(db->Run("INSERT INTO u VALUES('a')").ok());
  auto dup = db->Run("INSERT INTO u VALUES('a')");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == Errc::kConstraint);

  auto missing = Database::Open(dir / "no/such/dir/x.db");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::kIo);
}

TEST_CASE("Migrations run forward once and refuse a newer store", "[storage]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "mig.db");
  REQUIRE(db.ok());
  static constexpr Migration v1[] = {{1, "CREATE TABLE a(x INTEGER)"}};
  static constexpr Migration v2[] = {{1, "CREATE TABLE a(x INTEGER)"},
                                     {2, "ALTER TABLE a ADD COLUMN y TEXT"}};
  REQUIRE(Migrate(*db, "demo", v1).ok());
  CHECK(SchemaVersion(*db, "demo").value() == 1);
  REQUIRE(Migrate(*db, "demo", v2).ok());
  REQUIRE(Migrate(*db, "demo", v2).ok());  // idempotent
  CHECK(SchemaVersion(*db, "demo").value() == 2);
  REQUIRE(db->Run("INSERT INTO a(x, y) VALUES(1, 'z')").ok());

  auto older_build = Migrate(*db, "demo", v1);
  REQUIRE_FALSE(older_build.ok());
  CHECK(older_build.error().code == Errc::kUnsupported);

  static constexpr Migration broken[] = {{1, "CREATE TABLE b(x INTEGER)"}, {2, "NOT SQL"}};
  auto r = Migrate(*db, "other", broken);
  REQUIRE_FALSE(r.ok());
  CHECK(SchemaVersion(*db, "other").value() == 1);  // step 1 kept, step 2 rolled back whole
}
