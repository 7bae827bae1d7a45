// Several server instances over one PostgreSQL database, under concurrent load: two Server
// instances (each its own ServerStore and connection pool, on its own port, as two `serve`
// processes would be) over the same database. Officers push to both at once while a supervisor
// pulls from each instance throughout; the pullers are what would notice a sequence number
// becoming visible after a higher one (their cursor would pass it and never return).
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/sync/server_harness.hpp"

using namespace lietvedis::testing::server_harness;

namespace {

httplib::Headers AuthHeaders(const TestDevice& d) {
  return {{pr::kProtocolHeader, "1"}, {"Authorization", "Bearer " + d.token}};
}

// One page from `cursor` (empty optional on any failure).
std::optional<pr::PullResponse> PullPage(httplib::Client& c, const TestDevice& d,
                                         const std::string& cursor, int limit) {
  auto r = c.Get(("/v1/pull?limit=" + std::to_string(limit) + "&cursor=" + cursor).c_str(),
                 AuthHeaders(d));
  if (!r || r->status != 200) return std::nullopt;
  auto page = pr::ParseBody<pr::PullResponse>(r->body);
  if (!page) return std::nullopt;
  return std::move(*page);
}

// What one puller saw, in pull order.
struct Pulled {
  std::vector<std::int64_t> seqs;
  std::vector<std::string> batch_ids;
  std::int64_t errors = 0;
};

}  // namespace

TEST_CASE("two server instances over one PostgreSQL under concurrent pushes and pulls",
          "[sync][server][postgresql]") {
  Harness a("postgresql");
  Harness b("postgresql", a.spec());
  Harness* nodes[2] = {&a, &b};
  const std::string unit = a.AddUnit();
  constexpr int kOfficers = 12, kPushes = 12;
  const Bytes key = Harness::NewScopeKey();
  std::vector<TestDevice> officers;
  for (int i = 0; i < kOfficers; ++i) {
    Harness& h = *nodes[i % 2];
    officers.push_back(h.Enrol(h.AddUser("officer", unit)));
    const std::string scope = "case:m" + std::to_string(i);
    REQUIRE(h.Register(officers.back(), scope, "case", unit, officers.back().user_id) == 200);
    REQUIRE(h.PublishKey(officers.back(), scope, 1, key, {&officers.back()}) == 200);
  }
  // One supervisor of the unit (reads every case scope), signed in once, pulling through each.
  TestDevice sup = a.Enrol(a.AddUser("supervisor", unit));

  std::atomic<std::int64_t> push_errors{0};
  std::atomic<bool> pushing{true};
  // batch id -> seq as acknowledged, per officer; and the last push, for a retry elsewhere.
  std::vector<std::map<std::string, std::int64_t>> acked(kOfficers);
  std::vector<pr::PushRequest> last_push(kOfficers);

  Pulled via[2];
  std::vector<std::thread> pullers;
  for (int n = 0; n < 2; ++n) {
    pullers.emplace_back([&, n] {
      httplib::Client c("127.0.0.1", nodes[n]->server().port());
      c.set_keep_alive(true);
      std::string cursor;
      // Pull while the pushes run, then until a page says nothing more after they ended.
      for (;;) {
        const bool last_round = !pushing.load();
        bool more = true;
        while (more) {
          auto page = PullPage(c, sup, cursor, n == 0 ? 7 : 13);
          if (!page) {
            ++via[n].errors;
            return;
          }
          for (const auto& e : page->envelopes) {
            via[n].seqs.push_back(e.seq);
            via[n].batch_ids.push_back(e.batch_id);
          }
          cursor = page->cursor;
          more = page->more;
        }
        if (last_round) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }

  std::vector<std::thread> pushers;
  for (int i = 0; i < kOfficers; ++i) {
    pushers.emplace_back([&, i] {
      // Alternate instances push by push, each on its own keep-alive connection.
      httplib::Client ca("127.0.0.1", a.server().port()), cb("127.0.0.1", b.server().port());
      const std::string scope = "case:m" + std::to_string(i);
      for (int p = 0; p < kPushes; ++p) {
        pr::PushRequest req;
        for (int k = 0; k <= p % 3; ++k)  // 1, 2 or 3 batches a push
          req.batches.push_back(Harness::Seal(officers[i], scope, 1, key, "n"));
        httplib::Client& c = (i + p) % 2 == 0 ? ca : cb;
        auto r = c.Post("/v1/push", AuthHeaders(officers[i]), pr::ToJson(req).dump(),
                        pr::kJsonContentType);
        if (!r || r->status != 200) {
          ++push_errors;
          continue;
        }
        auto resp = pr::ParseBody<pr::PushResponse>(r->body);
        if (!resp || resp->results.size() != req.batches.size()) {
          ++push_errors;
          continue;
        }
        for (const auto& x : resp->results) {
          if (x.duplicate) ++push_errors;
          acked[i][x.batch_id] = x.seq;
        }
        last_push[i] = std::move(req);
      }
    });
  }
  for (auto& t : pushers) t.join();
  pushing = false;
  for (auto& t : pullers) t.join();

  CHECK(push_errors.load() == 0);
  // No sequence number handed out twice, whichever instance stored the batch.
  std::map<std::string, std::int64_t> all;
  std::set<std::int64_t> seqs;
  std::size_t expected = 0;
  for (int i = 0; i < kOfficers; ++i) {
    expected += static_cast<std::size_t>(kPushes / 3 * 6);  // 1+2+3 batches every 3 pushes
    for (const auto& [batch, seq] : acked[i]) {
      all[batch] = seq;
      seqs.insert(seq);
    }
  }
  CHECK(all.size() == expected);
  CHECK(seqs.size() == all.size());

  // Each instance's puller got every acknowledged envelope exactly once, in rising seq order,
  // with the seq it was acknowledged with.
  for (int n = 0; n < 2; ++n) {
    INFO("puller on instance " << n);
    CHECK(via[n].errors == 0);
    CHECK(via[n].seqs.size() == all.size());
    CHECK(std::set<std::string>(via[n].batch_ids.begin(), via[n].batch_ids.end()).size() ==
          via[n].batch_ids.size());
    bool rising = true, as_acked = true;
    for (std::size_t k = 0; k < via[n].seqs.size(); ++k) {
      if (k > 0 && via[n].seqs[k] <= via[n].seqs[k - 1]) rising = false;
      auto it = all.find(via[n].batch_ids[k]);
      if (it == all.end() || it->second != via[n].seqs[k]) as_acked = false;
    }
    CHECK(rising);
    CHECK(as_acked);
  }

  // A retry of a push on the other instance is recognised: same seqs, marked duplicate.
  for (int i = 0; i < kOfficers; i += 5) {
    httplib::Client c("127.0.0.1", nodes[(i + kPushes) % 2]->server().port());
    auto r = c.Post("/v1/push", AuthHeaders(officers[i]), pr::ToJson(last_push[i]).dump(),
                    pr::kJsonContentType);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    auto resp = pr::ParseBody<pr::PushResponse>(r->body);
    REQUIRE(resp);
    for (const auto& x : resp->results) {
      CHECK(x.duplicate);
      CHECK(x.seq == acked[i][x.batch_id]);
    }
  }
  // And each officer, pulling its own case through either instance, gets exactly its own.
  for (int i = 0; i < kOfficers; ++i) {
    std::string cursor;
    auto mine = nodes[(i + 1) % 2]->PullAll(officers[i], cursor, 5);
    std::set<std::string> ids;
    for (const auto& e : mine) ids.insert(e.batch_id);
    CHECK(mine.size() == acked[i].size());
    CHECK(ids.size() == acked[i].size());
  }
  auto counts = a.store().Counts(a.now.load());
  REQUIRE(counts);
  CHECK(counts->envelopes == static_cast<std::int64_t>(all.size()));
}

TEST_CASE("PostgreSQL: a push larger than one pipeline chunk is appended whole or not at all",
          "[sync][server][postgresql]") {
  Harness h("postgresql");
  const std::string unit = h.AddUnit();
  TestDevice officer = h.Enrol(h.AddUser("officer", unit));
  TestDevice other = h.Enrol(h.AddUser("officer", unit));
  const Bytes key = Harness::NewScopeKey();
  REQUIRE(h.Register(officer, "case:big", "case", unit, officer.user_id) == 200);
  REQUIRE(h.PublishKey(officer, "case:big", 1, key, {&officer}) == 200);
  REQUIRE(h.Register(other, "case:theirs", "case", unit, other.user_id) == 200);
  REQUIRE(h.PublishKey(other, "case:theirs", 1, key, {&other}) == 200);

  std::vector<pr::Envelope> first;
  for (int i = 0; i < 30; ++i) first.push_back(Harness::Seal(officer, "case:big", 1, key, "a"));
  auto r1 = h.Push(officer, first);
  REQUIRE(r1.status == 200);
  auto acked1 = pr::FromJson<pr::PushResponse>(r1.body);
  REQUIRE(acked1);

  // 150 batches (three chunks), the 30 already stored among them: 120 new, 30 duplicates.
  std::vector<pr::Envelope> big;
  for (int i = 0; i < 150; ++i) {
    big.push_back(i % 5 == 0 ? first[static_cast<std::size_t>(i / 5)]
                             : Harness::Seal(officer, "case:big", 1, key, "b"));
  }
  auto r2 = h.Push(officer, big);
  REQUIRE(r2.status == 200);
  auto acked2 = pr::FromJson<pr::PushResponse>(r2.body);
  REQUIRE(acked2);
  REQUIRE(acked2->results.size() == 150);
  std::int64_t last_new = 0;
  for (std::size_t i = 0; i < 150; ++i) {
    const auto& x = acked2->results[i];
    CHECK(x.batch_id == big[i].batch_id);
    if (i % 5 == 0) {
      CHECK(x.duplicate);
      CHECK(x.seq == acked1->results[i / 5].seq);
    } else {
      CHECK_FALSE(x.duplicate);
      CHECK(x.seq > last_new);  // in the push's order
      last_new = x.seq;
    }
  }
  auto counts = h.store().Counts(h.now.load());
  REQUIRE(counts);
  CHECK(counts->envelopes == 150);

  // Another device's batch id at position 140 (in the last chunk) refuses the whole push:
  // 409, and none of its 139 new batches before it is stored.
  auto theirs = Harness::Seal(other, "case:theirs", 1, key, "t");
  REQUIRE(h.Push(other, {theirs}).status == 200);
  std::vector<pr::Envelope> refused;
  for (int i = 0; i < 150; ++i) refused.push_back(Harness::Seal(officer, "case:big", 1, key, "c"));
  refused[140] = Harness::Seal(officer, "case:big", 1, key, "c", theirs.batch_id);
  auto r3 = h.Push(officer, refused);
  CHECK(r3.status == 409);
  counts = h.store().Counts(h.now.load());
  REQUIRE(counts);
  CHECK(counts->envelopes == 151);
  // The connection that carried the refused push is back in the pool and works.
  for (int i = 0; i < 20; ++i) {
    CHECK(h.Push(officer, {Harness::Seal(officer, "case:big", 1, key, "d")}).status == 200);
  }
  counts = h.store().Counts(h.now.load());
  REQUIRE(counts);
  CHECK(counts->envelopes == 171);
}
