// Randomised convergence (property) test of the merge rules: several replicas on real SQLite
// files edit offline, exchange changes in random subsets, orders and with duplicates, resolve
// some conflicts, and must end with identical rows and identical conflict inboxes; every
// concurrent value that was overwritten must be in the inbox.
// LIETVEDIS_SEED=<n> replays a run; the seed is printed on failure.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "sync/replica.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/sync/sync_test_support.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::ReplicaNode;
using lietvedis::testing::TempDir;
using lietvedis::testing::ValueText;

namespace {

std::uint64_t SeedFromEnv() {
  if (const char* s = std::getenv("LIETVEDIS_SEED"); s != nullptr && *s != '\0') {
    return std::strtoull(s, nullptr, 10);
  }
  return std::random_device{}();
}

std::string StampText(const Stamp& s) {
  return std::to_string(s.hlc) + ":" + s.site;
}

}  // namespace

TEST_CASE("Replicas converge under random edits, exchanges, duplicates and resolutions",
          "[sync][merge][property]") {
  const std::uint64_t seed = SeedFromEnv();
  INFO("LIETVEDIS_SEED=" << seed);
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };

  TempDir dir;
  const int kReplicas = 4;
  const int kRounds = 300;
  std::vector<std::unique_ptr<ReplicaNode>> nodes;
  std::vector<std::int64_t> walls(kReplicas, 1'000'000);
  for (int i = 0; i < kReplicas; ++i) {
    nodes.push_back(
        ReplicaNode::Open(dir / ("r" + std::to_string(i) + ".db"), "site-" + std::to_string(i)));
    std::int64_t* wall = &walls[static_cast<std::size_t>(i)];
    nodes.back()->replica->clock().SetWallClock([wall] { return *wall; });
  }
  std::vector<Change> log;  // everything anyone sent, in send order
  const std::vector<std::string> rows = {"r0", "r1", "r2", "r3", "r4"};
  int notes = 0;

  for (int round = 0; round < kRounds; ++round) {
    // Wall clocks advance unevenly, sometimes not at all (equal stamps, site tie-breaks).
    for (auto& w : walls) w += static_cast<std::int64_t>(pick(3));
    ReplicaNode& n = *nodes[pick(nodes.size())];
    switch (pick(6)) {
      case 0:
      case 1: {  // offline edit of one or two fields
        const std::string& row = rows[pick(rows.size())];
        const std::string scope = "case:" + std::to_string(row.back() % 2);
        std::vector<FieldValue> fields;
        if (pick(2) == 0) fields.push_back({"name", "v" + std::to_string(round)});
        if (fields.empty() || pick(2) == 0) {
          fields.push_back(
              {"n", pick(5) == 0 ? storage::Value{} : storage::Value{std::int64_t(round)}});
        }
        n.Put("item", row, scope, fields);
        break;
      }
      case 2: {  // an append-only note
        const std::string id = "note" + std::to_string(notes++);
        n.Put("note", id, "case:" + std::to_string(notes % 2), {{"body", "text " + id}});
        break;
      }
      case 3: {  // send
        auto out = n.Drain();
        log.insert(log.end(), out.begin(), out.end());
        break;
      }
      case 4: {  // receive a random subset of what was sent, shuffled, with duplicates
        if (log.empty()) break;
        std::vector<Change> batch;
        const std::size_t k = 1 + pick(std::min<std::size_t>(log.size(), 12));
        if (pick(2) == 0) {
          // A contiguous slice, as a sender's batch arrives: a row's fields side by side.
          const std::size_t from = pick(log.size());
          for (std::size_t i = from; i < std::min(log.size(), from + k); ++i)
            batch.push_back(log[i]);
        } else {
          for (std::size_t i = 0; i < k; ++i) batch.push_back(log[pick(log.size())]);
        }
        if (pick(3) == 0) batch.push_back(batch.front());
        auto r = n.Apply(batch);
        INFO((r.ok() ? std::string() : r.error().message));
        REQUIRE(r.ok());
        break;
      }
      case 5: {  // resolve an open conflict, keeping one of the two values
        auto open = n.replica->Conflicts();
        REQUIRE(open.ok());
        if (open->empty()) break;
        const ConflictEntry& e = (*open)[pick(open->size())];
        auto tx = storage::Transaction::Begin(n.db);
        REQUIRE(tx.ok());
        auto r = n.replica->ResolveConflict(e.id, pick(2) == 0 ? e.loser_value : e.winner_value);
        INFO((r.ok() ? std::string() : r.error().message));
        REQUIRE(r.ok());
        REQUIRE(tx->Commit().ok());
        break;
      }
    }
  }
  // Final exchange: everyone sends, then everyone receives everything, shuffled, twice over.
  for (auto& n : nodes) {
    auto out = n->Drain();
    log.insert(log.end(), out.begin(), out.end());
  }
  for (auto& n : nodes) {
    std::vector<Change> all = log;
    all.insert(all.end(), log.begin(), log.begin() + static_cast<std::ptrdiff_t>(log.size() / 3));
    if (pick(2) == 0) std::shuffle(all.begin(), all.end(), rng);  // else in send order
    auto r = n->Apply(all);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
  }
  INFO("changes sent: " << log.size());
  REQUIRE(log.size() > 100);

  const auto rows0 = nodes[0]->Dump();
  const auto inbox0 = nodes[0]->Inbox();
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    CHECK(nodes[i]->Dump() == rows0);
    CHECK(nodes[i]->Inbox() == inbox0);
  }

  // The inbox is exactly the overwritten concurrent values: per field, the leaves of the
  // version tree (stamps nobody replaced) other than the winner (the greatest stamp).
  struct Field {
    std::map<std::string, std::string> value_of;  // stamp -> value
    std::set<std::string> replaced;               // stamps named as someone's prev
    Stamp best;
  };
  std::map<std::string, Field> fields;
  for (const Change& c : log) {
    if (c.table != "item") continue;
    Field& f = fields[c.row_id + "." + c.column];
    f.value_of[StampText(c.stamp)] = ValueText(c.value);
    if (!c.prev.IsZero()) f.replaced.insert(StampText(c.prev));
    if (c.stamp > f.best) f.best = c.stamp;
  }
  std::set<std::string> expected;
  for (const auto& [key, f] : fields) {
    for (const auto& [stamp, value] : f.value_of) {
      if (stamp != StampText(f.best) && f.replaced.count(stamp) == 0) {
        expected.insert(key + "|" + value + "|" + stamp);
      }
    }
  }
  std::set<std::string> actual;
  auto entries = nodes[0]->replica->Conflicts({}, true);
  REQUIRE(entries.ok());
  for (const ConflictEntry& e : *entries) {
    actual.insert(e.row_id + "." + e.column + "|" + ValueText(e.loser_value) + "|" +
                  StampText(e.loser));
  }
  CHECK(actual == expected);
  INFO("conflicts: " << expected.size());
  CHECK(!expected.empty());
}
