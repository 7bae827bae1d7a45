// Sync through an unlucky network: several devices write and sync for many rounds through
// FaultProxy (tests/support/fault_proxy.hpp), which drops requests before the server sees
// them, resets connections after the server answered, cuts answers at a random byte, delays
// and duplicates requests. Then the network calms down and every device syncs until quiet.
// The checks: every write a device acknowledged (committed locally) is present, once and with
// its last value, on every device entitled to it; the devices hold the same rows; the server
// holds each change once (a fresh device pulls exactly as many changes as the writers queued);
// every store opens and passes integrity_check. The seed is printed (LV_FAULT_SEED overrides
// it) so a failure reproduces.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/support/fault_proxy.hpp"
#include "tests/sync/engine_world.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;
using lietvedis::testing::FaultPlan;
using lietvedis::testing::FaultProxy;

namespace {

// LV_FAULT_SEED and LV_FAULT_ROUNDS override the fixed values (tools/soak.sh runs longer
// loops).
using lietvedis::testing::Cases;
using lietvedis::testing::EnvNumber;
using lietvedis::testing::SyncUntilOk;

struct Writer {
  EngineDevice* device = nullptr;
  std::string user;
  std::vector<std::string> cases;  // the ones this device created (only it edits them)
};

}  // namespace

TEST_CASE("Devices syncing through drops, resets, cut answers, delays and duplicates converge",
          "[sync][engine][fault]") {
  const std::uint64_t seed = EnvNumber("LV_FAULT_SEED", 20261205);
  std::printf("fault proxy seed %llu (LV_FAULT_SEED=%llu reproduces)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  INFO("seed " << seed);
  EngineWorld w;
  FaultProxy proxy(w.url(), FaultPlan::Calm(), seed);
  REQUIRE(proxy.Start().ok());
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  // Officer One has two laptops; each writes its own cases and receives the other's.
  EngineDevice& a1 = w.Enrol(o1, {}, proxy.url());
  EngineDevice& a2 = w.Enrol(o1, {}, proxy.url());
  EngineDevice& b = w.Enrol(o2, {}, proxy.url());
  EngineOptions small_pages;
  small_pages.pull_limit = 3;  // more pull requests, more places to fail
  EngineDevice& sup = w.Enrol(sv, small_pages, proxy.url());
  std::vector<Writer> writers = {{&a1, o1, {}}, {&a2, o1, {}}, {&b, o2, {}}};
  std::vector<EngineDevice*> everyone = {&a1, &a2, &b, &sup};
  // The officer's laptops need each other's case keys: one calm round first.
  for (auto* d : everyone) SyncUntilOk(*d);
  for (auto* d : everyone) SyncUntilOk(*d);

  FaultPlan faulty = FaultPlan::OneIn(16);  // about one request in four hit
  proxy.SetPlan(faulty);
  std::mt19937_64 rng(seed);
  std::map<std::string, std::string> expected;  // case id -> its last acknowledged title
  std::map<std::string, std::string> owner;     // case id -> officer
  std::int64_t queued_changes = 0;              // what the writers' outboxes took
  std::int64_t failed_syncs = 0, syncs = 0;
  const int rounds = static_cast<int>(EnvNumber("LV_FAULT_ROUNDS", 14));
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < writers.size(); ++i) {
      Writer& wr = writers[i];
      const std::int64_t before = wr.device->engine->Status().value().pending;
      // A new case, and now and then an edit of one this device made earlier.
      const std::string id = "w" + std::to_string(i) + "r" + std::to_string(round);
      const std::string title = "case " + id;
      wr.device->WriteCase(id, title, wr.user, w.unit());
      wr.cases.push_back(id);
      expected[id] = title;
      owner[id] = wr.user;
      if (rng() % 2 == 0) {
        const std::string& old = wr.cases[rng() % wr.cases.size()];
        const std::string edit = "edit " + std::to_string(round) + " of " + old;
        wr.device->WriteCase(old, edit, wr.user, w.unit());
        expected[old] = edit;
      }
      queued_changes += wr.device->engine->Status().value().pending - before;
    }
    // Everyone syncs once, in a shuffled order; failures are the network's, retried later.
    std::vector<EngineDevice*> order = everyone;
    std::shuffle(order.begin(), order.end(), rng);
    for (auto* d : order) {
      auto r = d->engine->SyncOnce();
      ++syncs;
      if (!r.ok()) {
        ++failed_syncs;
        INFO(d->name << " round " << round << ": " << r.error().message);
        // A lost or cut request is a network failure, named in words, never an enum name.
        CHECK(r.error().code == Errc::kNetwork);
        CHECK(r.error().message.find("(Read)") == std::string::npos);
      }
    }
  }
  const auto injected = proxy.counters();
  std::printf(
      "fault proxy: %lld requests, %lld faults (%lld drops, %lld resets, %lld cut "
      "answers, %lld delays, %lld duplicates); %lld of %lld syncs failed\n",
      static_cast<long long>(injected.requests), static_cast<long long>(injected.Faults()),
      static_cast<long long>(injected.drops), static_cast<long long>(injected.resets),
      static_cast<long long>(injected.truncations), static_cast<long long>(injected.delays),
      static_cast<long long>(injected.duplicates), static_cast<long long>(failed_syncs),
      static_cast<long long>(syncs));
  // Every kind of fault happened, and syncs did fail because of them.
  CHECK(injected.drops > 0);
  CHECK(injected.resets > 0);
  CHECK(injected.truncations > 0);
  CHECK(injected.delays > 0);
  CHECK(injected.duplicates > 0);
  CHECK(failed_syncs > 0);

  // The network calms down: two passes so what one pushes the others pull.
  proxy.SetPlan(FaultPlan::Calm());
  for (int pass = 0; pass < 2; ++pass) {
    for (auto* d : everyone) SyncUntilOk(*d);
  }
  for (auto* d : everyone) {
    INFO(d->name);
    CHECK(d->engine->Status().value().pending == 0);
  }

  // Every acknowledged write, once, with its last value: the supervisor holds every case,
  // each officer device every case of its officer; nobody holds a case it should not.
  const auto at_sup = Cases(sup);
  CHECK(at_sup == expected);
  for (auto* d : {&a1, &a2, &b}) {
    const std::string user = d == &b ? o2 : o1;
    std::map<std::string, std::string> mine;
    for (const auto& [id, title] : expected)
      if (owner[id] == user) mine[id] = title;
    INFO(d->name);
    CHECK(Cases(*d) == mine);
  }
  CHECK(Cases(a1) == Cases(a2));  // the officer's two laptops converged

  // The server holds each change once: a fresh supervisor device pulls exactly the changes
  // the writers queued, none twice, and its cases are the same.
  // Its keys come from the devices that hold them, at their next sync.
  EngineDevice& fresh = w.Enrol(sv, {}, proxy.url());
  std::int64_t pulled = SyncUntilOk(fresh).pulled_changes;
  for (auto* d : everyone) SyncUntilOk(*d);
  for (int pass = 0; pass < 2; ++pass) pulled += SyncUntilOk(fresh).pulled_changes;
  bool sound = at_sup == expected && Cases(a1) == Cases(a2);
  sound = sound && pulled == queued_changes && Cases(fresh) == expected;
  CHECK(pulled == queued_changes);
  CHECK(Cases(fresh) == expected);
  auto server_db = storage::Database::Open(w.server_db_path());
  REQUIRE(server_db.ok());
  CHECK(server_db->QueryInt("SELECT count(*) - count(DISTINCT batch_id) FROM envelopes").value() ==
        0);

  // Every store opens again (a restart) and is sound.
  for (auto* d : everyone) {
    INFO(d->name);
    d->Reopen();
    auto st = d->db.Prepare("PRAGMA integrity_check");
    REQUIRE(st.ok());
    REQUIRE(st->Step().value());
    CHECK(st->Text(0) == "ok");
    CHECK(d->engine->Status().value().pending == 0);
    sound = sound && st->Text(0) == "ok" && d->engine->Status().value().pending == 0;
  }
  REQUIRE(sound);  // the line below is the figure tools/soak.sh reads
  std::printf(
      "fault proxy: %zu cases by 3 writers over %d rounds, 0 lost, 0 duplicated, "
      "5 devices converged\n",
      expected.size(), rounds);
}

TEST_CASE("A sync that fails names how many changes are kept", "[sync][engine][fault]") {
  EngineWorld w;
  FaultProxy proxy(w.url(), FaultPlan::Calm(), 1);
  REQUIRE(proxy.Start().ok());
  const std::string o1 = w.AddUser("officer", "Officer One");
  EngineDevice& off = w.Enrol(o1, {}, proxy.url());
  off.WriteCase("c1", "first", o1, w.unit());
  off.WriteCase("c2", "second", o1, w.unit());
  const std::int64_t pending = off.engine->Status().value().pending;
  REQUIRE(pending > 1);

  // Every request dropped: the server never hears of the sync.
  FaultPlan drop_all;
  drop_all.drop = 1.0;
  proxy.SetPlan(drop_all);
  auto r = off.engine->SyncOnce();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kNetwork);
  const std::string kept = "your " + std::to_string(pending) + " changes are kept";
  CHECK(r.error().message.find(kept) != std::string::npos);
  CHECK(r.error().message.find("(Read)") == std::string::npos);
  CHECK(off.engine->Status().value().last_error == r.error().message);

  // An answer cut after the server acted: still in words, still counted.
  FaultPlan reset_all;
  reset_all.reset_before_answer = 1.0;
  proxy.SetPlan(reset_all);
  r = off.engine->SyncOnce();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("changes are kept") != std::string::npos);

  // Once the network is back, they are sent and the count is gone.
  proxy.SetPlan(FaultPlan::Calm());
  SyncUntilOk(off);
  CHECK(off.engine->Status().value().pending == 0);
  CHECK(off.engine->Status().value().last_error.empty());
}
