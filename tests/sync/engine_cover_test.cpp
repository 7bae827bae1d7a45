// Covers end to end (rule R8, docs/PROTOCOL.md "Covers"): the organisation records in its
// root-signed directory that one officer covers for another; the absent officer's case files
// reach the deputy's device before the absence starts (so break-glass works offline there), and
// leave it when the cover ends. A central store that invents a cover gets nobody a key.
#include <catch2/catch.hpp>
#include <set>

#include "storage/database.hpp"
#include "sync/access_rules.hpp"
#include "sync/envelope.hpp"
#include "sync/server/directory_admin.hpp"
#include "tests/sync/engine_world.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::Cases;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;

namespace {

void Sync(EngineDevice& d) {
  auto r = d.engine->SyncOnce();
  INFO(d.name << ": " << (r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
}

bool HoldsAnyKey(EngineDevice& d, const std::string& scope) {
  auto k = Keyring::Open(d.db);
  REQUIRE(k.ok());
  auto held = (*k)->HeldKeys();
  REQUIRE(held.ok());
  for (const auto& [s, v] : *held) {
    if (s == scope) return true;
  }
  return false;
}

// Device ids holding a wrap of `scope` at `version` on the server.
std::set<std::string> WrappedFor(EngineWorld& w, const std::string& scope, int version) {
  auto db = storage::Database::Open(w.server_db_path());
  REQUIRE(db.ok());
  auto st = db->Prepare("SELECT device_id FROM key_wraps WHERE scope=? AND key_version=?");
  REQUIRE(st.ok());
  st->Bind(1, scope);
  st->Bind(2, std::int64_t{version});
  std::set<std::string> out;
  for (;;) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    out.insert(st->Text(0));
  }
  return out;
}

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

}  // namespace

TEST_CASE("A cover brings the absent officer's case files to the deputy's device, and ends",
          "[sync][engine][trust][cover]") {
  EngineWorld w;
  const std::string away = w.AddUser("officer", "Away Officer");
  const std::string deputy_id = w.AddUser("officer", "Deputy Officer");
  const std::string colleague_id = w.AddUser("officer", "Colleague");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& laptop = w.Enrol(away);
  EngineDevice& deputy = w.Enrol(deputy_id);
  EngineDevice& colleague = w.Enrol(colleague_id);
  EngineDevice& sup = w.Enrol(sv);
  laptop.WriteCase("c1", "MARKER-away-case", away, w.unit());
  colleague.WriteCase("c3", "MARKER-colleague-case", colleague_id, w.unit());
  Sync(laptop);
  Sync(colleague);
  Sync(sup);
  Sync(deputy);
  CHECK(Cases(deputy).empty());

  // The absence starts in a week; the organisation records the cover today.
  const std::int64_t now = server::SystemNowMs();
  REQUIRE(w.admin()
              .SetCover(away, deputy_id, access::ServiceDay(now + 7 * kDayMs),
                        access::ServiceDay(now + 21 * kDayMs), now)
              .ok());
  // The next syncs: the deputy's device is asked for, the absent officer's laptop (its
  // directory changed) wraps the key for it, and the deputy's next sync brings the file.
  Sync(deputy);
  Sync(laptop);
  Sync(deputy);
  CHECK(Cases(deputy) == std::map<std::string, std::string>{{"c1", "MARKER-away-case"}});
  CHECK(HoldsAnyKey(deputy, "case:c1"));
  CHECK_FALSE(HoldsAnyKey(deputy, "case:c3"));
  // Work done while covering reaches the owner and the supervisor.
  deputy.WriteCase("c1", "MARKER-held-by-deputy", away, w.unit());
  Sync(deputy);
  Sync(laptop);
  Sync(sup);
  CHECK(laptop.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-held-by-deputy");
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-held-by-deputy");

  SECTION("a cover only the central store names gets the colleague no key") {
    // The server's own table names the colleague as a deputy too; no statement says so.
    REQUIRE(w.store()
                .SetCover({away, colleague_id, access::ServiceDay(now),
                           access::ServiceDay(now + 21 * kDayMs)},
                          true, now)
                .ok());
    Sync(colleague);
    Sync(laptop);
    Sync(sup);
    Sync(colleague);
    CHECK_FALSE(HoldsAnyKey(colleague, "case:c1"));
    CHECK(Cases(colleague) == std::map<std::string, std::string>{{"c3", "MARKER-colleague-case"}});
    CHECK(WrappedFor(w, "case:c1", 1).count(colleague.engine->Profile().device_id) == 0);
  }

  SECTION("ended, the file leaves the deputy's device and the next write rotates the key") {
    REQUIRE(w.admin().EndCover(away, deputy_id, now).ok());
    Sync(deputy);
    CHECK(Cases(deputy).empty());
    CHECK_FALSE(HoldsAnyKey(deputy, "case:c1"));
    laptop.WriteCase("c1", "MARKER-after-cover", away, w.unit());
    Sync(laptop);
    auto scope = w.store().GetScope("case:c1");
    REQUIRE(scope.ok());
    CHECK(scope->key_version == 2);
    const auto v2 = WrappedFor(w, "case:c1", 2);
    CHECK(v2.count(deputy.engine->Profile().device_id) == 0);
    CHECK(v2.count(laptop.engine->Profile().device_id) == 1);
    Sync(sup);
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-after-cover");
    Sync(deputy);
    CHECK(Cases(deputy).empty());
  }
}
