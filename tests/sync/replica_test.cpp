#include "sync/replica.hpp"

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;
using namespace lietvedis::sync;

TEST_CASE("HybridClock is monotonic even when the wall clock goes back", "[sync]") {
  std::int64_t wall = 1'000'000;
  HybridClock clock([&] { return wall; });
  const auto a = clock.Now();
  wall -= 500;  // NTP step backwards
  const auto b = clock.Now();
  CHECK(b > a);
  clock.Observe(HlcPack(2'000'000, 7));
  CHECK(clock.Now() > HlcPack(2'000'000, 7));
}

TEST_CASE("HybridClock saturates at its end and is not dragged to the far future", "[sync]") {
  std::int64_t wall = 1'000'000;
  HybridClock clock([&] { return wall; });
  // A peer's stamp at the end of time is observed only up to a day ahead of the wall clock.
  clock.Observe(HybridClock::kMaxHlc);
  const std::int64_t day_ahead = HlcPack(wall + HybridClock::kMaxObservedAheadMs, 0xffff);
  CHECK(clock.last() == day_ahead);
  CHECK(clock.Now() == day_ahead + 1);
  // A clock restored at its end saturates instead of overflowing into negative stamps.
  clock.Restore(HybridClock::kMaxHlc);
  CHECK(clock.Now() == HybridClock::kMaxHlc);
  CHECK(clock.Now() == HybridClock::kMaxHlc);
  // A wall clock beyond what 48 bits of milliseconds hold saturates too.
  HybridClock far([] { return INT64_MAX; });
  CHECK(far.Now() == HybridClock::kMaxHlc);
}

TEST_CASE("Replica writes rows, stamps fields and fills the outbox", "[sync]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "r.db");
  REQUIRE(db.ok());
  REQUIRE(
      db->Exec("CREATE TABLE item(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT, n INTEGER);"
               "CREATE TABLE note(id TEXT PRIMARY KEY, scope TEXT NOT NULL, body TEXT);")
          .ok());
  auto rep =
      Replica::Open(*db, "site-a", {{"item", {"name", "n"}, false}, {"note", {"body"}, true}});
  REQUIRE(rep.ok());
  Replica& r = **rep;

  const std::string id = Replica::NewId();
  CHECK(id.size() == 32);
  {
    auto tx = Transaction::Begin(*db);
    REQUIRE(tx.ok());
    REQUIRE(
        r.Write("item", id, "case:1", {{"name", std::string("Bērziņš")}, {"n", std::int64_t{1}}})
            .ok());
    REQUIRE(r.Write("item", id, "case:1", {{"n", std::int64_t{2}}}).ok());
    REQUIRE(tx->Commit().ok());
  }
  CHECK(r.PendingCount().value() == 3);
  CHECK(db->QueryInt("SELECT n FROM item WHERE id=?", id).value() == 2);
  // The second write of n records the first write's stamp as the value it replaced.
  CHECK(db->QueryInt("SELECT count(*) FROM sync_outbox WHERE col='n' AND prev_hlc>0").value() == 1);

  auto tx = Transaction::Begin(*db);
  REQUIRE(tx.ok());
  auto wrong_scope = r.Write("item", id, "case:2", {{"n", std::int64_t{3}}});
  CHECK(wrong_scope.error().code == Errc::kConflict);
  auto unknown = r.Write("item", id, "case:1", {{"secret", std::int64_t{3}}});
  CHECK(unknown.error().code == Errc::kValidation);
  REQUIRE(r.Write("note", "n1", "case:1", {{"body", std::string("x")}}).ok());
  auto again = r.Write("note", "n1", "case:1", {{"body", std::string("y")}});
  CHECK(again.error().code == Errc::kConstraint);
}

TEST_CASE("Replica refuses writes outside a transaction and tables it cannot find", "[sync]") {
  testing::TempDir dir;
  auto db = Database::Open(dir / "r.db");
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE item(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT)").ok());
  auto bad = Replica::Open(*db, "site-a", {{"item", {"nosuch"}, false}});
  REQUIRE_FALSE(bad.ok());
  auto rep = Replica::Open(*db, "site-a", {{"item", {"name"}, false}});
  REQUIRE(rep.ok());
  auto r = (*rep)->Write("item", "x", "case:1", {{"name", std::string("a")}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kInternal);
}
