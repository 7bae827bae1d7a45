// Large transactions: SQLite spills dirty pages to the WAL before the commit and rewrites
// those frames in place when the page changes again in the same transaction (frame header
// untouched, checksums recomputed at the commit). The encrypting VFS must seal each rewrite
// for the frame's own position, so the transaction survives a checkpoint and a reopen.
#include <catch2/catch.hpp>
#include <string>

#include "storage/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;

TEST_CASE("A transaction larger than the page cache survives commit, checkpoint and reopen",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  {
    auto created = Store::Create(dir, "spill test passphrase", KdfParams::Interactive());
    REQUIRE(created.ok());
    Database& db = created->store->db();
    REQUIRE(
        db.Exec("PRAGMA cache_size=8; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, n INTEGER);")
            .ok());
    auto tx = Transaction::Begin(db);
    REQUIRE(tx.ok());
    const std::string filler(300, 'x');
    for (int i = 0; i < 3000; ++i) {
      REQUIRE(
          db.Run("INSERT INTO t(id, v, n) VALUES(?, ?, 0)", i, filler + std::to_string(i)).ok());
    }
    // Every page changes again after it was spilled: in-place rewrites of spilled frames.
    for (int pass = 1; pass <= 3; ++pass) {
      REQUIRE(db.Run("UPDATE t SET n=n+1").ok());
    }
    REQUIRE(tx->Commit().ok());
    CHECK(db.QueryInt("SELECT sum(n) FROM t").value() == 9000);
    REQUIRE(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    CHECK(db.QueryInt("SELECT count(*) FROM t").value() == 3000);
  }
  auto opened = Store::Open(dir, "spill test passphrase");
  REQUIRE(opened.ok());
  Database& db = (*opened)->db();
  auto ok = db.Prepare("PRAGMA integrity_check");
  REQUIRE(ok.ok());
  REQUIRE(ok->Step().value());
  CHECK(ok->Text(0) == "ok");
  CHECK(db.QueryInt("SELECT count(*) FROM t").value() == 3000);
  CHECK(db.QueryInt("SELECT sum(n) FROM t").value() == 9000);
}

TEST_CASE("A spilled transaction that is rolled back leaves the store as it was",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  {
    auto created = Store::Create(dir, "spill test passphrase", KdfParams::Interactive());
    REQUIRE(created.ok());
    Database& db = created->store->db();
    REQUIRE(db.Exec("PRAGMA cache_size=8; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
                    "INSERT INTO t(v) VALUES('kept');")
                .ok());
    {
      auto tx = Transaction::Begin(db);
      REQUIRE(tx.ok());
      const std::string filler(300, 'y');
      for (int i = 0; i < 2000; ++i) REQUIRE(db.Run("INSERT INTO t(v) VALUES(?)", filler).ok());
      REQUIRE(db.Run("UPDATE t SET v=v||'z'").ok());
      // Not committed: the destructor rolls back.
    }
    CHECK(db.QueryInt("SELECT count(*) FROM t").value() == 1);
    REQUIRE(db.Run("INSERT INTO t(v) VALUES('after')").ok());
  }
  auto opened = Store::Open(dir, "spill test passphrase");
  REQUIRE(opened.ok());
  CHECK((*opened)->db().QueryInt("SELECT count(*) FROM t").value() == 2);
}
