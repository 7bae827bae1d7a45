// The central store over real HTTP on loopback, against both back ends (SQLite file and a
// throwaway PostgreSQL cluster).
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "sync/pull_codec.hpp"
#include "sync/push_proof.hpp"
#include "tests/sync/server_harness.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::server_harness;

namespace {

std::string Backend() {
  return GENERATE(as<std::string>{}, "sqlite", "postgresql");
}

std::string ErrorCode(const HttpReply& r) {
  if (!r.body.is_object() || !r.body.contains("error")) return "<no error body>";
  return r.body["error"]["code"].get<std::string>();
}

std::int64_t EnvelopeCount(Harness& h) {
  auto c = h.store().Counts(h.now.load());
  REQUIRE(c.ok());
  return c->envelopes;
}

// A unit with an officer, a second officer, a supervisor, a coordinator and an administrator,
// each with an enrolled device and a session.
struct Unit {
  explicit Unit(Harness& h) {
    unit = h.AddUnit();
    other_unit = h.AddUnit("Ventspils");
    officer = h.Enrol(h.AddUser("officer", unit));
    officer2 = h.Enrol(h.AddUser("officer", unit));
    supervisor = h.Enrol(h.AddUser("supervisor", unit));
    coordinator = h.Enrol(h.AddUser("volunteer_coordinator", unit));
    admin = h.Enrol(h.AddUser("administrator", unit));
    stranger = h.Enrol(h.AddUser("officer", other_unit));
  }
  std::string unit, other_unit;
  TestDevice officer, officer2, supervisor, coordinator, admin, stranger;
};

// One pull page, in whichever form the server answered (binary or JSON); REQUIREs a 200.
pr::PullResponse PullPage(Harness& h, const TestDevice& d, const std::string& query) {
  auto r = h.Get("/v1/pull?" + query, d.token);
  INFO(query << " -> HTTP " << r.status << " " << r.raw.substr(0, 200));
  REQUIRE(r.status == 200);
  auto page = r.content_type == pr::kBinaryContentType ? pr::DecodePullPage(r.raw)
                                                       : pr::FromJson<pr::PullResponse>(r.body);
  INFO((page.ok() ? std::string() : page.error().message));
  REQUIRE(page.ok());
  return std::move(page).value();
}

std::size_t CiphertextBytes(const std::vector<pr::Envelope>& envelopes) {
  std::size_t n = 0;
  for (const auto& e : envelopes) n += e.ciphertext.size();
  return n;
}

// A page bounded by `max_bytes` stops at the first envelope whose ciphertext reaches the
// budget: everything before its last envelope stays under it; a page followed by more either
// reached the budget or the envelope limit.
void CheckByteBound(const pr::PullResponse& page, std::size_t max_bytes, std::size_t limit) {
  if (page.envelopes.empty()) {
    CHECK_FALSE(page.more);
    return;
  }
  const std::size_t total = CiphertextBytes(page.envelopes);
  CHECK(total - page.envelopes.back().ciphertext.size() < max_bytes);
  if (page.more) CHECK((total >= max_bytes || page.envelopes.size() == limit));
}

std::set<std::string> ScopesOf(const std::vector<pr::Envelope>& envelopes) {
  std::set<std::string> out;
  for (const auto& e : envelopes) out.insert(e.scope);
  return out;
}

}  // namespace

TEST_CASE("enrolment codes are single use and expire", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  const std::string unit = h.AddUnit();
  const std::string user = h.AddUser("officer", unit, "Anna Bērziņa");
  TestDevice d = Harness::NewDeviceKeys();

  const std::string code = h.IssueCode(user);
  auto first = h.Post("/v1/enrol", pr::ToJson(Harness::EnrolRequestFor(code, d)));
  REQUIRE(first.status == 200);
  auto resp = pr::FromJson<pr::EnrolResponse>(first.body);
  REQUIRE(resp.ok());
  CHECK(resp->user_id == user);
  CHECK(resp->role == "officer");
  CHECK(resp->unit_id == unit);
  CHECK(resp->display_name == "Anna Bērziņa");
  CHECK(resp->device_id == lietvedis::sync::directory::DeviceIdForKey(d.sign_pk));

  SECTION("a second use is refused") {
    TestDevice d2 = Harness::NewDeviceKeys();
    auto again = h.Post("/v1/enrol", pr::ToJson(Harness::EnrolRequestFor(code, d2)));
    CHECK(again.status == 403);
    CHECK(ErrorCode(again) == "not_permitted");
  }
  SECTION("an expired code is refused") {
    const std::string short_code = h.IssueCode(user, 1000);
    h.now += 2000;
    TestDevice d2 = Harness::NewDeviceKeys();
    auto late = h.Post("/v1/enrol", pr::ToJson(Harness::EnrolRequestFor(short_code, d2)));
    CHECK(late.status == 403);
  }
  SECTION("a binding not signed with the enrolment key is refused, and the code stays open") {
    const std::string fresh = h.IssueCode(user);
    TestDevice d2 = Harness::NewDeviceKeys();
    pr::EnrolRequest forged = Harness::EnrolRequestFor(fresh, d2);
    forged.box_pk[0] ^= 1;  // keys swapped after signing: the server's attack on a device
    auto r = h.Post("/v1/enrol", pr::ToJson(forged));
    CHECK(r.status == 403);
    auto ok = h.Post("/v1/enrol", pr::ToJson(Harness::EnrolRequestFor(fresh, d2)));
    CHECK(ok.status == 200);
  }
  SECTION("a device id not derived from its key is refused") {
    TestDevice d2 = Harness::NewDeviceKeys();
    pr::EnrolRequest bad = Harness::EnrolRequestFor(h.IssueCode(user), d2);
    bad.device_id = std::string(32, 'a');
    auto r = h.Post("/v1/enrol", pr::ToJson(bad));
    CHECK(r.status == 400);
  }
  SECTION("a key of the wrong length is a protocol error naming the field") {
    TestDevice d2 = Harness::NewDeviceKeys();
    pr::EnrolRequest bad = Harness::EnrolRequestFor(h.IssueCode(user), d2);
    bad.sign_pk = Bytes(31);
    auto r = h.Post("/v1/enrol", pr::ToJson(bad));
    CHECK(r.status == 400);
    CHECK(r.raw.find("sign_pk") != std::string::npos);
  }
  SECTION("the code's secret never reaches the store; the device is bound and in the log") {
    auto decoded = pr::DecodeEnrolmentCode(code);
    REQUIRE(decoded.ok());
    CHECK(decoded->root_pk == h.root().public_key_hex());
    auto dir = h.store().LoadDirectory();
    REQUIRE(dir.ok());
    REQUIRE(dir->devices.size() == 1);
    CHECK(!dir->devices[0].binding_sig.empty());
    for (const auto& st : dir->log) CHECK(st.text.find(decoded->secret) == std::string::npos);
    auto verified = lietvedis::sync::directory::VerifyDirectory(
        h.root().public_key(), dir->log,
        std::vector<pr::DirectoryDevice>{{dir->devices[0].device_id, dir->devices[0].user_id,
                                          dir->devices[0].sign_pk, dir->devices[0].box_pk,
                                          dir->devices[0].enrol_pk, dir->devices[0].binding_sig}},
        {});
    REQUIRE(verified.ok());
    CHECK(verified->refused.empty());
    CHECK(verified->devices.count(resp->device_id) == 1);
  }
}

TEST_CASE("sessions: challenge/response, bad signature and expiry", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  const std::string unit = h.AddUnit();
  TestDevice d = h.Enrol(h.AddUser("officer", unit));

  auto dir = h.Get("/v1/directory", d.token);
  REQUIRE(dir.status == 200);
  auto parsed = pr::FromJson<pr::DirectoryResponse>(dir.body);
  REQUIRE(parsed.ok());
  CHECK(parsed->units.size() == 1);
  CHECK(parsed->users.size() == 1);
  REQUIRE(parsed->devices.size() == 1);
  CHECK(parsed->devices[0].sign_pk == d.sign_pk);
  CHECK(parsed->devices[0].box_pk == d.box_pk);

  SECTION("no token, a made-up token and an expired token get 401") {
    CHECK(h.Get("/v1/directory").status == 401);
    CHECK(h.Get("/v1/directory", std::string(64, 'a')).status == 401);
    h.now += 13LL * 3600 * 1000;
    auto expired = h.Get("/v1/directory", d.token);
    CHECK(expired.status == 401);
    CHECK(ErrorCode(expired) == "not_permitted");
    h.Login(d);
    CHECK(h.Get("/v1/directory", d.token).status == 200);
  }
  SECTION("a signature by another key is refused and the challenge is spent") {
    auto ch = h.Post("/v1/session/challenge", pr::ToJson(pr::ChallengeRequest{d.device_id}));
    REQUIRE(ch.status == 200);
    auto challenge = pr::FromJson<pr::ChallengeResponse>(ch.body);
    REQUIRE(challenge.ok());
    TestDevice other = Harness::NewDeviceKeys();
    const Bytes msg = pr::SessionSignedBytes(challenge->challenge);
    pr::SessionRequest req{d.device_id, challenge->challenge, Bytes(64)};
    crypto_sign_detached(req.signature.data(), nullptr, msg.data(), msg.size(),
                         other.sign_sk.data());
    CHECK(h.Post("/v1/session", pr::ToJson(req)).status == 401);
    // Now the right signature over the same (spent) challenge: refused too.
    crypto_sign_detached(req.signature.data(), nullptr, msg.data(), msg.size(), d.sign_sk.data());
    CHECK(h.Post("/v1/session", pr::ToJson(req)).status == 401);
  }
  SECTION("an expired challenge is refused") {
    auto ch = h.Post("/v1/session/challenge", pr::ToJson(pr::ChallengeRequest{d.device_id}));
    auto challenge = pr::FromJson<pr::ChallengeResponse>(ch.body);
    REQUIRE(challenge.ok());
    h.now += 3LL * 60 * 1000;
    const Bytes msg = pr::SessionSignedBytes(challenge->challenge);
    pr::SessionRequest req{d.device_id, challenge->challenge, Bytes(64)};
    crypto_sign_detached(req.signature.data(), nullptr, msg.data(), msg.size(), d.sign_sk.data());
    CHECK(h.Post("/v1/session", pr::ToJson(req)).status == 401);
  }
  SECTION("an unknown device gets 404 for a challenge") {
    CHECK(h.Post("/v1/session/challenge", pr::ToJson(pr::ChallengeRequest{"nope"})).status == 404);
  }
}

TEST_CASE("scope registration follows the roles", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  const std::string& U = u.unit;

  CHECK(h.Register(u.officer, "case:c1", "case", U, u.officer.user_id) == 200);
  CHECK(h.Register(u.officer, "case:c1", "case", U, u.officer.user_id) == 200);   // idempotent
  CHECK(h.Register(u.officer, "case:c1", "case", U, u.officer2.user_id) == 409);  // differs
  CHECK(h.Register(u.officer, "case:c2", "case", U, u.officer2.user_id) == 403);  // not self
  CHECK(h.Register(u.stranger, "case:c3", "case", U, u.stranger.user_id) ==
        400);  // owner of other unit
  CHECK(h.Register(u.stranger, "case:c3", "case", U, u.officer.user_id) ==
        403);  // caller of other unit
  CHECK(h.Register(u.coordinator, "case:c4", "case", U, u.officer.user_id) == 403);
  CHECK(h.Register(u.supervisor, "case:c5", "case", U, u.officer2.user_id) == 200);
  CHECK(h.Register(u.officer, "mentoring:c1", "mentoring", U, u.officer.user_id) == 200);
  // mentoring:X belongs to case:X: its owner, registered by that owner or a supervisor of the
  // case's unit, and only once the case is registered.
  CHECK(h.Register(u.officer2, "mentoring:c5", "mentoring", U, u.officer2.user_id) == 200);
  CHECK(h.Register(u.officer2, "mentoring:c1", "mentoring", U, u.officer2.user_id) == 409);
  CHECK(h.Register(u.officer, "mentoring:c9", "mentoring", U, u.officer.user_id) == 403);
  CHECK(h.Register(u.supervisor, "case:c6", "case", U, u.officer.user_id) == 200);
  CHECK(h.Register(u.officer2, "mentoring:c6", "mentoring", U, u.officer2.user_id) == 403);
  CHECK(h.Register(u.supervisor, "mentoring:c6", "mentoring", U, u.officer2.user_id) == 403);
  CHECK(h.Register(u.supervisor, "mentoring:c6", "mentoring", U, u.officer.user_id) == 200);
  CHECK(h.Register(u.officer, "org", "org", "", "") == 403);
  CHECK(h.Register(u.admin, "org", "org", "", "") == 200);
  CHECK(h.Register(u.officer, "unit:" + U, "unit", U, "") == 200);
  CHECK(h.Register(u.coordinator, "volunteers:" + U, "volunteers", U, "") == 200);
  CHECK(h.Register(u.officer, "volunteers:x", "volunteers", U, "") == 400);  // id must be the unit
  CHECK(h.Register(u.officer, "case:", "case", U, u.officer.user_id) == 400);
  CHECK(h.Register(u.officer, "secret:1", "secret", U, u.officer.user_id) == 400);
  CHECK(h.Register(u.officer, "case:c9", "case", "no-such-unit", u.officer.user_id) == 404);

  auto listed = h.Get("/v1/scopes", u.officer.token);
  REQUIRE(listed.status == 200);
  auto scopes = pr::FromJson<pr::ScopesResponse>(listed.body);
  REQUIRE(scopes.ok());
  std::set<std::string> names;
  for (const auto& s : scopes->scopes) names.insert(s.scope);
  CHECK(names == std::set<std::string>{"case:c1", "case:c6", "mentoring:c1", "mentoring:c6", "org",
                                       "unit:" + U});
}

TEST_CASE("push is idempotent by batch id", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  const Bytes key = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, key, {&u.officer}) == 200);

  const pr::Envelope e = Harness::Seal(u.officer, "case:c1", 1, key, "change batch");
  auto first = h.Push(u.officer, {e});
  REQUIRE(first.status == 200);
  auto r1 = pr::FromJson<pr::PushResponse>(first.body);
  REQUIRE(r1.ok());
  REQUIRE(r1->results.size() == 1);
  CHECK_FALSE(r1->results[0].duplicate);
  CHECK(r1->results[0].batch_id == e.batch_id);

  auto second = h.Push(u.officer, {e, Harness::Seal(u.officer, "case:c1", 1, key, "next")});
  REQUIRE(second.status == 200);
  auto r2 = pr::FromJson<pr::PushResponse>(second.body);
  REQUIRE(r2.ok());
  REQUIRE(r2->results.size() == 2);
  CHECK(r2->results[0].duplicate);
  CHECK(r2->results[0].seq == r1->results[0].seq);
  CHECK_FALSE(r2->results[1].duplicate);
  CHECK(r2->results[1].seq > r1->results[0].seq);
  CHECK(EnvelopeCount(h) == 2);

  SECTION("a key version without published wraps is refused") {
    auto r = h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 2, key, "x")});
    CHECK(r.status == 409);
    CHECK(EnvelopeCount(h) == 2);
  }
}

TEST_CASE("pull pages by cursor and resumes from any cursor", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer2, "case:c2", "case", u.unit, u.officer2.user_id) == 200);
  const Bytes key = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, key, {&u.officer, &u.supervisor}) == 200);
  REQUIRE(h.PublishKey(u.officer2, "case:c2", 1, key, {&u.officer2}) == 200);
  std::vector<pr::Envelope> batch;
  for (int i = 0; i < 23; ++i)
    batch.push_back(Harness::Seal(u.officer, "case:c1", 1, key, "b" + std::to_string(i)));
  REQUIRE(h.Push(u.officer, batch).status == 200);
  REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c2", 1, key, "other")}).status ==
          200);

  // Page by page, remembering every cursor.
  std::vector<std::string> cursors{""};
  std::vector<std::int64_t> seqs;
  bool more = true;
  while (more) {
    auto r = h.Get("/v1/pull?cursor=" + cursors.back() + "&limit=5", u.officer.token);
    REQUIRE(r.status == 200);
    auto page = pr::FromJson<pr::PullResponse>(r.body);
    REQUIRE(page.ok());
    CHECK(page->envelopes.size() <= 5);
    for (const auto& e : page->envelopes) {
      CHECK(e.scope == "case:c1");  // never the other officer's case
      seqs.push_back(e.seq);
    }
    cursors.push_back(page->cursor);
    more = page->more;
  }
  REQUIRE(seqs.size() == 23);
  CHECK(std::is_sorted(seqs.begin(), seqs.end()));
  // The pulled envelope is byte-identical to the pushed one.
  {
    std::string c;
    auto all = h.PullAll(u.officer, c, 100);
    REQUIRE(all.size() == 23);
    CHECK(all[0].ciphertext == batch[0].ciphertext);
    CHECK(all[0].signature == batch[0].signature);
    CHECK(all[0].nonce == batch[0].nonce);
    CHECK(pr::VerifyEnvelopeSignature(all[0], u.officer.sign_pk).ok());
  }
  // Resuming from any stored cursor yields exactly the rest.
  for (std::size_t i = 0; i < cursors.size(); ++i) {
    std::string c = cursors[i];
    auto rest = h.PullAll(u.officer, c, 7);
    const std::size_t expected = std::min<std::size_t>(23, 5 * i);
    CHECK(rest.size() == 23 - expected);
  }
  CHECK(h.Get("/v1/pull?cursor=12.x", u.officer.token).status == 400);
  CHECK(h.Get("/v1/pull?limit=0", u.officer.token).status == 400);
  CHECK(h.Get("/v1/pull?limit=5000", u.officer.token).status == 400);
}

TEST_CASE("reassignment backfills the new owner and revokes the old one", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer2, "case:c2", "case", u.unit, u.officer2.user_id) == 200);
  const Bytes k1 = Harness::NewScopeKey(), k2 = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, k1, {&u.officer}) == 200);
  REQUIRE(h.PublishKey(u.officer2, "case:c2", 1, k2, {&u.officer2}) == 200);
  REQUIRE(h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k1, "old 1"),
                             Harness::Seal(u.officer, "case:c1", 1, k1, "old 2")})
              .status == 200);
  REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c2", 1, k2, "own")}).status == 200);

  // Both officers are up to date.
  std::string c_old, c_new;
  CHECK(h.PullAll(u.officer, c_old).size() == 2);
  CHECK(h.PullAll(u.officer2, c_new).size() == 1);

  // Only a supervisor of the unit reassigns.
  CHECK(h.Post("/v1/scopes/owner", pr::ToJson(pr::ScopeOwnerRequest{"case:c1", u.officer2.user_id}),
               u.officer.token)
            .status == 403);
  CHECK(h.Post("/v1/scopes/owner", pr::ToJson(pr::ScopeOwnerRequest{"case:c1", u.stranger.user_id}),
               u.supervisor.token)
            .status == 400);
  auto moved =
      h.Post("/v1/scopes/owner", pr::ToJson(pr::ScopeOwnerRequest{"case:c1", u.officer2.user_id}),
             u.supervisor.token);
  REQUIRE(moved.status == 200);
  CHECK(moved.body["owner_user_id"] == u.officer2.user_id);

  // The new owner receives the case's earlier envelopes on the next pull.
  auto backfill = h.PullAll(u.officer2, c_new);
  CHECK(backfill.size() == 2);
  CHECK(ScopesOf(backfill) == std::set<std::string>{"case:c1"});
  // ... and new ones afterwards, once.
  REQUIRE(h.PublishKey(u.officer2, "case:c1", 2, k2, {&u.officer2, &u.supervisor}) == 200);
  REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c1", 2, k2, "new")}).status == 200);
  CHECK(h.PullAll(u.officer2, c_new).size() == 1);
  CHECK(h.PullAll(u.officer2, c_new).empty());

  // The old owner may no longer push, pull or fetch keys of the case.
  auto refused = h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k1, "late")});
  CHECK(refused.status == 403);
  std::string from_start;
  CHECK(h.PullAll(u.officer, from_start).empty());
  CHECK(h.PullAll(u.officer, c_old).empty());
  auto keys = pr::FromJson<pr::KeysResponse>(h.Get("/v1/keys", u.officer.token).body);
  REQUIRE(keys.ok());
  CHECK(keys->wraps.empty());
  // The supervisor reads it throughout.
  std::string c_sup;
  CHECK(h.PullAll(u.supervisor, c_sup).size() == 4);
}

namespace {
// Pages served one after another: pages[i] (the seqs) was served from cursors[i]; cursors has
// one more entry, the cursor after the last page.
struct PageWalk {
  std::vector<std::string> cursors;
  std::vector<std::vector<std::int64_t>> pages;
};
// Resuming from each cursor of `walk` (pages of `limit`, with `query` appended) yields exactly
// what the walk's pages from there on served, each envelope once.
void CheckResumesFromEveryCursor(Harness& h, const TestDevice& d, const PageWalk& walk, int limit,
                                 const std::string& query = {}) {
  for (std::size_t i = 0; i < walk.cursors.size(); ++i) {
    std::set<std::int64_t> expected;
    for (std::size_t j = i; j < walk.pages.size(); ++j)
      expected.insert(walk.pages[j].begin(), walk.pages[j].end());
    std::string c = walk.cursors[i];
    auto rest = h.PullAll(d, c, limit, query);
    std::set<std::int64_t> got;
    for (const auto& e : rest) got.insert(e.seq);
    INFO("resumed from cursor " << i);
    CHECK(rest.size() == got.size());
    CHECK(got == expected);
  }
}
}  // namespace

TEST_CASE("a backfill spans pages and resumes from any of its cursors", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer2, "case:c2", "case", u.unit, u.officer2.user_id) == 200);
  const Bytes k = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, k, {&u.officer}) == 200);
  REQUIRE(h.PublishKey(u.officer2, "case:c2", 1, k, {&u.officer2}) == 200);
  std::vector<pr::Envelope> old;
  for (int i = 0; i < 8; ++i) old.push_back(Harness::Seal(u.officer, "case:c1", 1, k, "old"));
  REQUIRE(h.Push(u.officer, old).status == 200);
  REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c2", 1, k, "own")}).status == 200);
  std::string start;
  REQUIRE(h.PullAll(u.officer2, start).size() == 1);
  REQUIRE(h.Post("/v1/scopes/owner",
                 pr::ToJson(pr::ScopeOwnerRequest{"case:c1", u.officer2.user_id}),
                 u.supervisor.token)
              .status == 200);
  // Newer envelopes of both scopes arrive after the grant.
  REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c2", 1, k, "new")}).status == 200);

  PageWalk walk{{start}, {}};
  auto& [cursors, pages] = walk;
  bool more = true;
  while (more) {
    auto r = h.Get("/v1/pull?cursor=" + cursors.back() + "&limit=3", u.officer2.token);
    REQUIRE(r.status == 200);
    auto page = pr::FromJson<pr::PullResponse>(r.body);
    REQUIRE(page.ok());
    CHECK(page->envelopes.size() <= 3);
    pages.emplace_back();
    for (const auto& e : page->envelopes) pages.back().push_back(e.seq);
    cursors.push_back(page->cursor);
    more = page->more;
  }
  std::set<std::int64_t> all;
  std::size_t total = 0;
  for (const auto& p : pages) {
    all.insert(p.begin(), p.end());
    total += p.size();
  }
  CHECK(total == 9);  // 8 backfilled + 1 new, each once
  CHECK(all.size() == 9);
  // Resuming from cursor i (with another page size) yields exactly what pages i.. served.
  CheckResumesFromEveryCursor(h, u.officer2, walk, 2);
  // From the first cursor everything comes again; from the last, nothing.
  std::string first = cursors.front(), last = cursors.back();
  CHECK(h.PullAll(u.officer2, first, 2).size() == 9);
  CHECK(h.PullAll(u.officer2, last, 2).empty());
}

TEST_CASE("coordinators read mentoring scopes only, administrators org only", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  const Bytes k = Harness::NewScopeKey();
  REQUIRE(h.Register(u.admin, "org", "org", "", "") == 200);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer, "mentoring:c1", "mentoring", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer, "unit:" + u.unit, "unit", u.unit, "") == 200);
  REQUIRE(h.Register(u.coordinator, "volunteers:" + u.unit, "volunteers", u.unit, "") == 200);
  for (const char* s : {"case:c1", "mentoring:c1"}) {
    REQUIRE(h.PublishKey(u.officer, s, 1, k, {&u.officer}) == 200);
    REQUIRE(h.Push(u.officer, {Harness::Seal(u.officer, s, 1, k, s)}).status == 200);
  }
  REQUIRE(h.PublishKey(u.admin, "org", 1, k, {&u.admin}) == 200);
  REQUIRE(h.Push(u.admin, {Harness::Seal(u.admin, "org", 1, k, "org")}).status == 200);
  REQUIRE(h.PublishKey(u.officer, "unit:" + u.unit, 1, k, {&u.officer}) == 200);
  REQUIRE(h.Push(u.officer, {Harness::Seal(u.officer, "unit:" + u.unit, 1, k, "unit")}).status ==
          200);
  REQUIRE(h.PublishKey(u.coordinator, "volunteers:" + u.unit, 1, k, {&u.coordinator}) == 200);
  REQUIRE(h.Push(u.coordinator, {Harness::Seal(u.coordinator, "volunteers:" + u.unit, 1, k, "v")})
              .status == 200);

  std::string c;
  CHECK(ScopesOf(h.PullAll(u.coordinator, c)) ==
        std::set<std::string>{"org", "mentoring:c1", "volunteers:" + u.unit});
  c.clear();
  CHECK(ScopesOf(h.PullAll(u.admin, c)) == std::set<std::string>{"org"});
  c.clear();
  CHECK(ScopesOf(h.PullAll(u.officer, c)) ==
        std::set<std::string>{"org", "case:c1", "mentoring:c1", "unit:" + u.unit});
  c.clear();
  CHECK(ScopesOf(h.PullAll(u.supervisor, c)) ==
        std::set<std::string>{"org", "case:c1", "mentoring:c1", "unit:" + u.unit,
                              "volunteers:" + u.unit});
  c.clear();
  CHECK(ScopesOf(h.PullAll(u.stranger, c)) == std::set<std::string>{"org"});

  // A coordinator cannot push into a case, nor wrap its key for itself.
  CHECK(h.Push(u.coordinator, {Harness::Seal(u.coordinator, "case:c1", 1, k, "x")}).status == 403);
  CHECK(h.PublishKey(u.officer, "case:c1", 1, k, {&u.coordinator}) == 403);
  // Missing wraps: the officer holds case:c1 v1; the supervisor's device lacks it.
  auto missing =
      pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", u.officer.token).body);
  REQUIRE(missing.ok());
  std::set<std::pair<std::string, std::string>> want;
  for (const auto& m : missing->missing) want.emplace(m.scope, m.device_id);
  CHECK(want.count({"case:c1", u.supervisor.device_id}) == 1);
  CHECK(want.count({"mentoring:c1", u.coordinator.device_id}) == 1);
  CHECK(want.count({"case:c1", u.coordinator.device_id}) == 0);
  CHECK(want.count({"org", u.admin.device_id}) == 0);  // the officer holds no org wrap
}

TEST_CASE("missing wraps over more scopes than one query takes, for every version held",
          "[sync][server]") {
  Harness h(Backend());
  Unit u(h);
  const Bytes k = Harness::NewScopeKey();
  // 450 cases of the officer: three queries' worth. The supervisor's device has a wrap of
  // every third; cases 6 and 7 are then rotated to version 2, wrapped for the officer alone:
  // the supervisor lacks version 2 of both and version 1 of case 7, which the officer still
  // holds and is listed too (a reader who joins gets the history).
  std::set<std::pair<std::string, std::uint32_t>> want;
  for (int i = 0; i < 450; ++i) {
    const std::string scope = "case:m" + std::to_string(i);
    REQUIRE(h.Register(u.officer, scope, "case", u.unit, u.officer.user_id) == 200);
    if (i % 3 == 0) {
      REQUIRE(h.PublishKey(u.officer, scope, 1, k, {&u.officer, &u.supervisor}) == 200);
    } else {
      REQUIRE(h.PublishKey(u.officer, scope, 1, k, {&u.officer}) == 200);
      want.emplace(scope, 1);
    }
  }
  REQUIRE(h.PublishKey(u.officer, "case:m6", 2, k, {&u.officer}) == 200);
  REQUIRE(h.PublishKey(u.officer, "case:m7", 2, k, {&u.officer}) == 200);
  want.emplace("case:m6", 2);
  want.emplace("case:m7", 2);
  CHECK(want.count({"case:m7", 1}) == 1);
  auto missing =
      pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", u.officer.token).body);
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->more);
  std::set<std::pair<std::string, std::uint32_t>> got;
  bool older_seen = false, newest_after_older = false;
  for (const auto& m : missing->missing) {
    // Every scope's newest version comes before any older one.
    const bool newest = !(m.scope == "case:m6" || m.scope == "case:m7") || m.key_version == 2;
    if (!newest) older_seen = true;
    if (newest && older_seen) newest_after_older = true;
    if (m.device_id != u.supervisor.device_id) continue;  // other devices of the unit
    CHECK(m.box_pk == u.supervisor.box_pk);
    got.emplace(m.scope, m.key_version);
  }
  CHECK_FALSE(newest_after_older);
  CHECK(got.size() == 302);
  CHECK(got == want);
  // Once wrapped, nothing is missing for the supervisor any more.
  for (const auto& [scope, version] : want) {
    REQUIRE(h.PublishKey(u.officer, scope, version, k, {&u.supervisor}) == 200);
  }
  auto after =
      pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", u.officer.token).body);
  REQUIRE(after.ok());
  for (const auto& m : after->missing) CHECK(m.device_id != u.supervisor.device_id);
}

TEST_CASE("missing wraps: bounded with 'more', none for a revoked device or a former reader",
          "[sync][server]") {
  Harness h(Backend());
  Unit u(h);
  const Bytes k = Harness::NewScopeKey();
  // The supervisor has a second device, revoked by the organisation.
  TestDevice lost = h.Enrol(u.supervisor.user_id);
  REQUIRE(h.admin().RevokeDevice(lost.device_id, "lost", h.now.load()).ok());
  // Case x1 was officer two's (version 1, wrapped for the supervisor too); reassigned to the
  // officer, version 2 is wrapped for the supervisor and the officer.
  REQUIRE(h.Register(u.officer2, "case:x1", "case", u.unit, u.officer2.user_id) == 200);
  REQUIRE(h.PublishKey(u.officer2, "case:x1", 1, k, {&u.officer2, &u.supervisor}) == 200);
  nlohmann::json reassign{{"scope", "case:x1"}, {"owner_user_id", u.officer.user_id}};
  REQUIRE(h.Post("/v1/scopes/owner", reassign, u.supervisor.token).status == 200);
  REQUIRE(h.PublishKey(u.supervisor, "case:x1", 2, k, {&u.supervisor, &u.officer}) == 200);
  // The supervisor's list: version 1 for the new owner (the history); nothing for the former
  // owner (who lacks version 2), nothing for the revoked device (which lacks both).
  auto sup =
      pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", u.supervisor.token).body);
  REQUIRE(sup.ok());
  std::set<std::tuple<std::string, std::uint32_t, std::string>> got;
  for (const auto& m : sup->missing) got.emplace(m.scope, m.key_version, m.device_id);
  CHECK(got.count({"case:x1", 1, u.officer.device_id}) == 1);
  CHECK(got.count({"case:x1", 2, u.officer2.device_id}) == 0);
  for (const auto& m : sup->missing) CHECK(m.device_id != lost.device_id);
  // The former owner, who still holds version 1, is asked for nothing of the case.
  auto former =
      pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", u.officer2.token).body);
  REQUIRE(former.ok());
  for (const auto& m : former->missing) CHECK(m.scope != "case:x1");

  // 420 versions of one case, each wrapped for the officer alone, and five supervisor
  // devices that lack them: 2,100 missing wraps. The list stops at 2,000 with 'more', newest
  // versions first; once those are posted, the rest follows and the list ends.
  std::vector<TestDevice> sups{u.supervisor};
  for (int i = 0; i < 4; ++i) sups.push_back(h.Enrol(u.supervisor.user_id));
  REQUIRE(h.Register(u.officer, "case:many", "case", u.unit, u.officer.user_id) == 200);
  for (std::uint32_t v = 1; v <= 420; ++v) {
    REQUIRE(h.PublishKey(u.officer, "case:many", v, k, {&u.officer}) == 200);
  }
  auto first =
      pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", u.officer.token).body);
  REQUIRE(first.ok());
  CHECK(first->more);
  REQUIRE(first->missing.size() == pr::kMaxMissingWraps);
  CHECK(first->missing.front().key_version == 420);
  std::map<std::uint32_t, std::vector<const TestDevice*>> listed;
  for (const auto& m : first->missing) {
    CHECK(m.device_id != lost.device_id);
    if (m.scope != "case:many") continue;
    for (const auto& d : sups) {
      if (d.device_id == m.device_id) listed[m.key_version].push_back(&d);
    }
  }
  for (const auto& [version, to] : listed) {
    REQUIRE(h.PublishKey(u.officer, "case:many", version, k, to) == 200);
  }
  auto rest =
      pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", u.officer.token).body);
  REQUIRE(rest.ok());
  CHECK_FALSE(rest->more);
  std::size_t many = 0;
  for (const auto& m : rest->missing) many += m.scope == "case:many" ? 1 : 0;
  std::size_t many_first = 0;
  for (const auto& [version, to] : listed) many_first += to.size();
  CHECK(many_first > 1900);  // a few entries of case:x1's newest version come first
  CHECK(many_first + many == 2100);
}

namespace {
// Signs `push` as one push of device `d` (one signature over the batches' Merkle tree).
void SignAsPush(const TestDevice& d, std::vector<pr::Envelope>& push) {
  std::vector<pr::Hash> leaves;
  for (auto& e : push) leaves.push_back(pr::PushLeafHash(e));
  const pr::PushTree tree = pr::BuildPushTree(leaves);
  const Bytes msg =
      pr::PushSignedBytes(d.device_id, static_cast<std::uint32_t>(push.size()), tree.root);
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), d.sign_sk.data());
  for (std::size_t i = 0; i < push.size(); ++i) {
    push[i].signature = sig;
    push[i].proof = tree.proofs[i];
  }
}
}  // namespace

TEST_CASE("a central store from before push signatures upgrades, both forms push and pull",
          "[sync][server]") {
  Harness h("sqlite");
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  const Bytes k = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, k, {&u.officer}) == 200);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k, "old")}).status == 200);
  }
  // Back to the schema of the first version: no proof column, schema version 1.
  {
    const std::string path = h.spec().substr(std::string("sqlite:").size());
    auto raw = storage::Database::Open(path);
    REQUIRE(raw.ok());
    REQUIRE(raw->Exec("ALTER TABLE envelopes DROP COLUMN proof;"
                      "DROP TABLE directory_log; ALTER TABLE devices DROP COLUMN enrol_pk;"
                      "ALTER TABLE devices DROP COLUMN binding_sig;"
                      "ALTER TABLE devices DROP COLUMN revoked;"
                      "ALTER TABLE devices DROP COLUMN last_seen_at;"
                      "DROP INDEX scopes_transfer;"
                      "ALTER TABLE scopes DROP COLUMN transfer_unit_id;"
                      "ALTER TABLE scopes DROP COLUMN former_unit_ids;"
                      "ALTER TABLE scopes DROP COLUMN offer_unit_ids;"
                      "DROP TABLE covers;"
                      "UPDATE schema_version SET version=1 WHERE component='server';")
                .ok());
  }
  Harness upgraded("sqlite", h.spec());  // opens the old file: migration 2 adds the column
  std::vector<pr::Envelope> push;
  for (int i = 0; i < 5; ++i) push.push_back(Harness::Seal(u.officer, "case:c1", 1, k, "new"));
  SignAsPush(u.officer, push);
  auto bad = push;
  bad[3].proof[9] ^= 1;  // one sibling hash altered: the whole push is refused
  auto refused = upgraded.Push(u.officer, bad);
  CHECK(refused.status == 400);
  CHECK(ErrorCode(refused) == "protocol");
  CHECK(refused.body.dump().find("batches[3]: envelope " + bad[3].batch_id + ": bad signature") !=
        std::string::npos);
  auto cut = push;
  cut[2].proof.resize(cut[2].proof.size() - 5);  // not a whole number of hashes
  auto malformed = upgraded.Push(u.officer, cut);
  CHECK(malformed.status == 400);
  CHECK(malformed.body.dump().find("batches[2]: envelope " + cut[2].batch_id +
                                   ": malformed push proof") != std::string::npos);
  REQUIRE(upgraded.Push(u.officer, push).status == 200);

  std::string cursor;
  const auto pulled = upgraded.PullAll(u.supervisor, cursor);
  REQUIRE(pulled.size() == 8);
  pr::VerifiedPushes cache;
  for (std::size_t i = 0; i < pulled.size(); ++i) {
    INFO("envelope " << i);
    CHECK(pulled[i].proof.empty() == (i < 3));  // the old ones were signed alone
    CHECK(pr::VerifyEnvelopeSignature(pulled[i], u.officer.sign_pk, &cache).ok());
  }
  CHECK(pulled[3].proof == push[0].proof);
  CHECK(pulled[7].signature == push[0].signature);
}

TEST_CASE("bad requests get clear errors, store nothing, and the server keeps serving",
          "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  const Bytes k = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, k, {&u.officer}) == 200);
  const std::int64_t before = EnvelopeCount(h);

  SECTION("malformed and truncated JSON") {
    auto r = h.PostRaw("/v1/push", "{not json", u.officer.token);
    CHECK(r.status == 400);
    CHECK(ErrorCode(r) == "protocol");
    const std::string whole =
        pr::ToJson(pr::PushRequest{{Harness::Seal(u.officer, "case:c1", 1, k, "x")}}).dump();
    auto t = h.PostRaw("/v1/push", whole.substr(0, whole.size() / 2), u.officer.token);
    CHECK(t.status == 400);
    auto typed = h.PostRaw("/v1/push", R"({"batches": 7})", u.officer.token);
    CHECK(typed.status == 400);
    CHECK(typed.raw.find("batches") != std::string::npos);
  }
  SECTION("oversized body: 413") {
    const std::string huge(pr::kMaxRequestBody + 1024, 'x');
    auto r = h.PostRaw("/v1/push", huge, u.officer.token);
    CHECK(r.status == 413);
  }
  SECTION("unknown or missing protocol version: 426") {
    auto r = h.PostRaw("/v1/session/challenge", R"({"device_id":"x"})", "", "2");
    CHECK(r.status == 426);
    CHECK(ErrorCode(r) == "unsupported");
    CHECK(h.PostRaw("/v1/session/challenge", R"({"device_id":"x"})", "", "").status == 426);
  }
  SECTION("a bad signature in the middle rejects the whole push") {
    auto good = Harness::Seal(u.officer, "case:c1", 1, k, "good");
    auto bad = Harness::Seal(u.officer, "case:c1", 1, k, "bad");
    bad.ciphertext[0] ^= 1;
    auto r = h.Push(u.officer, {good, bad});
    CHECK(r.status == 400);
    CHECK(r.raw.find("batches[1]") != std::string::npos);
    CHECK(r.raw.find("signature") != std::string::npos);
  }
  SECTION("another device's batch replayed under my session is refused") {
    auto theirs = Harness::Seal(u.officer, "case:c1", 1, k, "theirs");
    REQUIRE(h.Push(u.officer, {theirs}).status == 200);
    auto r = h.Push(u.supervisor, {theirs});
    CHECK(r.status == 403);
    // Re-signed as my own with the same batch id: a conflict, not a duplicate.
    TestDevice sup = u.supervisor;
    auto mine = Harness::Seal(sup, "case:c1", 1, k, "mine", theirs.batch_id);
    CHECK(h.Push(u.supervisor, {mine}).status == 409);
    CHECK(EnvelopeCount(h) == before + 1);
    return;
  }
  SECTION("one envelope over 4 MiB of ciphertext") {
    auto big = Harness::Seal(u.officer, "case:c1", 1, k, std::string(pr::kMaxCiphertext, 'z'));
    auto r = h.Push(u.officer, {big});
    CHECK(r.status == 400);
    CHECK(r.raw.find("ciphertext") != std::string::npos);
  }
  SECTION("unregistered scope, bad batch id, too many envelopes") {
    CHECK(h.Push(u.officer, {Harness::Seal(u.officer, "case:zz", 1, k, "x")}).status == 404);
    CHECK(h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k, "x", "XYZ")}).status == 400);
    std::vector<pr::Envelope> many(1001, Harness::Seal(u.officer, "case:c1", 1, k, "x"));
    CHECK(h.Push(u.officer, many).status == 400);
  }
  SECTION("a connection dropped mid-body") {
    // Announce more bytes than are sent, then close: the server must just drop it.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(h.server().port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string req =
        "POST /v1/push HTTP/1.1\r\nHost: x\r\nLietvedis-Protocol: 1\r\n"
        "Authorization: Bearer " +
        u.officer.token +
        "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"batches\":[";
    REQUIRE(::send(fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size()));
    ::close(fd);
  }
  CHECK(EnvelopeCount(h) == before);
  // The server still serves others.
  CHECK(h.Get("/v1/directory", u.supervisor.token).status == 200);
  CHECK(h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k, "after")}).status == 200);
  // The log names ids only.
  CHECK(h.WaitForLog("POST /v1/push 200 device=" + u.officer.device_id));
  for (const auto& line : h.LogLines()) {
    CHECK(line.find("Test User") == std::string::npos);
    CHECK(line.find(u.officer.token) == std::string::npos);
  }
}

namespace {

bool Contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every row of every table of the public schema, bytea decoded to raw bytes.
std::string DumpPostgres(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  REQUIRE(PQstatus(conn) == CONNECTION_OK);
  PGresult* tables = PQexec(conn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  REQUIRE(PQresultStatus(tables) == PGRES_TUPLES_OK);
  std::string dump;
  CHECK(PQntuples(tables) >= 9);
  for (int t = 0; t < PQntuples(tables); ++t) {
    const std::string sql = std::string("SELECT * FROM ") + PQgetvalue(tables, t, 0);
    PGresult* rows = PQexec(conn, sql.c_str());
    REQUIRE(PQresultStatus(rows) == PGRES_TUPLES_OK);
    for (int r = 0; r < PQntuples(rows); ++r) {
      for (int c = 0; c < PQnfields(rows); ++c) {
        const char* v = PQgetvalue(rows, r, c);
        dump += v;
        if (PQftype(rows, c) == 17) {
          std::size_t len = 0;
          unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &len);
          dump.append(reinterpret_cast<const char*>(raw), len);
          PQfreemem(raw);
        }
        dump += '\n';
      }
    }
    PQclear(rows);
  }
  PQclear(tables);
  PQfinish(conn);
  return dump;
}

}  // namespace

TEST_CASE("the server store never holds what was only inside ciphertext", "[sync][server]") {
  const std::string backend = Backend();
  std::string dump;
  const std::string marker = "MARKER-Bērziņš-" + srv::NewRandomId();
  const std::string display = "Display-" + srv::NewRandomId();
  {
    Harness h(backend);
    const std::string unit = h.AddUnit();
    TestDevice d = h.Enrol(h.AddUser("officer", unit, display));
    REQUIRE(h.Register(d, "case:c1", "case", unit, d.user_id) == 200);
    const Bytes k = Harness::NewScopeKey();
    REQUIRE(h.PublishKey(d, "case:c1", 1, k, {&d}) == 200);
    std::vector<pr::Envelope> batch;
    for (int i = 0; i < 20; ++i)
      batch.push_back(Harness::Seal(d, "case:c1", 1, k, marker + " note " + std::to_string(i)));
    REQUIRE(h.Push(d, batch).status == 200);
    if (backend == "sqlite") {
      for (const auto& entry : std::filesystem::directory_iterator(h.dir().path()))
        dump += ReadAll(entry.path());
    } else {
      dump = DumpPostgres(h.spec());
    }
    // Sanity: the dump does see what the server legitimately stores.
    CHECK(Contains(dump, display));
    CHECK(Contains(dump, d.device_id));
    CHECK_FALSE(Contains(dump, d.token));
  }
  CHECK_FALSE(Contains(dump, marker));
  CHECK_FALSE(Contains(dump, "MARKER"));
}

TEST_CASE("two server instances on one PostgreSQL hand out distinct sequence numbers",
          "[sync][server][postgresql]") {
  Harness a("postgresql");
  Harness b("postgresql", a.spec());
  const std::string unit = a.AddUnit();
  std::vector<TestDevice> devices;
  const Bytes k = Harness::NewScopeKey();
  for (int i = 0; i < 4; ++i) {
    Harness& h = i % 2 == 0 ? a : b;
    devices.push_back(h.Enrol(h.AddUser("officer", unit)));
    const std::string scope = "case:c" + std::to_string(i);
    REQUIRE(h.Register(devices.back(), scope, "case", unit, devices.back().user_id) == 200);
    REQUIRE(h.PublishKey(devices.back(), scope, 1, k, {&devices.back()}) == 200);
  }
  std::vector<std::vector<std::int64_t>> seqs(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      // Each thread talks to its own instance with its own client.
      Harness& h = i % 2 == 0 ? a : b;
      httplib::Client c("127.0.0.1", h.server().port());
      for (int n = 0; n < 25; ++n) {
        pr::PushRequest req{{Harness::Seal(devices[i], "case:c" + std::to_string(i), 1, k, "x"),
                             Harness::Seal(devices[i], "case:c" + std::to_string(i), 1, k, "y")}};
        auto r =
            c.Post("/v1/push",
                   {{pr::kProtocolHeader, "1"}, {"Authorization", "Bearer " + devices[i].token}},
                   pr::ToJson(req).dump(), pr::kJsonContentType);
        if (!r || r->status != 200) continue;
        auto resp = pr::ParseBody<pr::PushResponse>(r->body);
        if (!resp) continue;
        for (const auto& x : resp->results) seqs[i].push_back(x.seq);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::int64_t> all;
  std::size_t total = 0;
  for (const auto& s : seqs) {
    CHECK(s.size() == 50);
    total += s.size();
    all.insert(s.begin(), s.end());
  }
  CHECK(all.size() == total);
  CHECK(EnvelopeCount(a) == 200);
  // A pull through either instance sees the same ordered stream for the unit's supervisor.
  TestDevice sup = a.Enrol(a.AddUser("supervisor", unit));
  std::string ca, cb;
  auto via_a = a.PullAll(sup, ca, 37);
  TestDevice sup_b = sup;
  auto via_b = b.PullAll(sup_b, cb, 41);
  REQUIRE(via_a.size() == 200);
  REQUIRE(via_b.size() == 200);
  for (std::size_t i = 0; i < 200; ++i) CHECK(via_a[i].seq == via_b[i].seq);
}

TEST_CASE("TLS: the server answers over HTTPS and the fingerprint matches the certificate",
          "[sync][server]") {
  lietvedis::testing::TempDir tmp;
  const std::string cert = tmp / "cert.pem", key = tmp / "key.pem";
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " +
                          cert + " -days 2 -subj /CN=127.0.0.1 > " + (tmp / "openssl.log") +
                          " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  srv::ServerOptions options;
  options.cert_file = cert;
  options.key_file = key;
  Harness h("sqlite", options);
  CHECK(h.server().tls());
  CHECK(h.server().base_url().rfind("https://", 0) == 0);
  const std::string unit = h.AddUnit();
  TestDevice d = h.Enrol(h.AddUser("officer", unit));
  CHECK(h.Get("/v1/directory", d.token).status == 200);
  auto fp = srv::CertificateFingerprint(cert);
  REQUIRE(fp.ok());
  CHECK(pr::IsLowerHex(*fp, 64));
  // A plain-HTTP client gets no answer from the TLS port.
  httplib::Client plain("127.0.0.1", h.server().port());
  plain.set_read_timeout(2, 0);
  auto r = plain.Get("/v1/directory", {{pr::kProtocolHeader, "1"}});
  CHECK((!r || r->status != 200));
}

TEST_CASE("transfers between units: offer, read by the receiving supervisor, accept or decline",
          "[sync][server][transfer]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  const TestDevice receiving = h.Enrol(h.AddUser("supervisor", u.other_unit));
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer, "mentoring:c1", "mentoring", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer, "case:c2", "case", u.unit, u.officer.user_id) == 200);
  const Bytes k1 = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, k1, {&u.officer}) == 200);
  REQUIRE(h.PublishKey(u.officer, "case:c2", 1, k1, {&u.officer}) == 200);
  REQUIRE(h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k1, "history 1"),
                             Harness::Seal(u.officer, "case:c1", 1, k1, "history 2"),
                             Harness::Seal(u.officer, "case:c2", 1, k1, "other")})
              .status == 200);
  std::string c_recv;
  CHECK(h.PullAll(receiving, c_recv).empty());

  auto transfer = [&](const TestDevice& d, const std::string& scope, std::string_view action,
                      const std::string& unit, const std::string& owner) {
    return h.Post("/v1/scopes/transfer",
                  pr::ToJson(pr::ScopeTransferRequest{scope, std::string(action), unit, owner}),
                  d.token);
  };
  // Only a supervisor of the case's unit offers, to another unit with a supervisor.
  CHECK(transfer(u.officer, "case:c1", pr::kTransferOffer, u.other_unit, "").status == 403);
  CHECK(transfer(u.supervisor, "case:c1", pr::kTransferOffer, u.unit, "").status == 400);
  CHECK(transfer(u.supervisor, "mentoring:c1", pr::kTransferOffer, u.other_unit, "").status == 400);
  const std::string empty_unit = h.AddUnit("Tukums");
  CHECK(transfer(u.supervisor, "case:c1", pr::kTransferOffer, empty_unit, "").status == 400);
  auto offered = transfer(u.supervisor, "case:c1", pr::kTransferOffer, u.other_unit, "");
  REQUIRE(offered.status == 200);
  CHECK(offered.body["transfer_unit_id"] == u.other_unit);
  CHECK(transfer(u.supervisor, "case:c1", pr::kTransferOffer, u.other_unit, "").status == 200);
  CHECK(transfer(u.supervisor, "case:c1", pr::kTransferOffer, empty_unit, "").status == 409);

  // The receiving supervisor reads the case and its mentoring scope and gets the history; the
  // receiving unit's officer does not.
  auto listed = pr::FromJson<pr::ScopesResponse>(h.Get("/v1/scopes", receiving.token).body);
  REQUIRE(listed.ok());
  std::set<std::string> names;
  for (const auto& s : listed->scopes) names.insert(s.scope);
  CHECK(names.count("case:c1") == 1);
  CHECK(names.count("mentoring:c1") == 1);
  CHECK(names.count("case:c2") == 0);
  CHECK(h.PullAll(receiving, c_recv).size() == 2);
  std::string c_stranger;
  CHECK(h.PullAll(u.stranger, c_stranger).empty());

  // Acceptance: by the receiving unit's supervisor only, with an officer of that unit.
  CHECK(transfer(u.supervisor, "case:c1", pr::kTransferAccept, "", u.officer2.user_id).status ==
        403);
  CHECK(transfer(receiving, "case:c1", pr::kTransferAccept, "", u.officer2.user_id).status == 400);
  auto accepted = transfer(receiving, "case:c1", pr::kTransferAccept, "", u.stranger.user_id);
  REQUIRE(accepted.status == 200);
  CHECK(accepted.body["unit_id"] == u.other_unit);
  CHECK(accepted.body["owner_user_id"] == u.stranger.user_id);
  CHECK(accepted.body["former_unit_ids"] == u.unit);
  CHECK_FALSE(accepted.body.contains("transfer_unit_id"));
  auto mentoring = h.store().GetScope("mentoring:c1");
  REQUIRE(mentoring.ok());
  CHECK(mentoring->unit_id == u.other_unit);
  CHECK(mentoring->owner_user_id == u.stranger.user_id);
  // A retry of the same acceptance answers as applied.
  CHECK(transfer(receiving, "case:c1", pr::kTransferAccept, "", u.stranger.user_id).status == 200);

  // The new officer receives the history; the sending unit reads and writes it no more.
  CHECK(h.PullAll(u.stranger, c_stranger).size() == 2);
  CHECK(h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k1, "late")}).status == 403);
  std::string c_sup;
  auto sup_sees = h.PullAll(u.supervisor, c_sup);
  CHECK(ScopesOf(sup_sees) == std::set<std::string>{"case:c2"});

  // A second case: offered, then declined by the receiving supervisor (not by the sender),
  // and the receiving supervisor reads it no more.
  REQUIRE(transfer(u.supervisor, "case:c2", pr::kTransferOffer, u.other_unit, "").status == 200);
  CHECK(transfer(u.supervisor, "case:c2", pr::kTransferDecline, "", "").status == 403);
  CHECK(transfer(receiving, "case:c2", pr::kTransferWithdraw, "", "").status == 403);
  auto declined = transfer(receiving, "case:c2", pr::kTransferDecline, "", "");
  REQUIRE(declined.status == 200);
  CHECK_FALSE(declined.body.contains("transfer_unit_id"));
  CHECK(declined.body["unit_id"] == u.unit);
  CHECK(declined.body["offer_unit_ids"] == u.other_unit);  // W6: its decline stays valid
  auto after = pr::FromJson<pr::ScopesResponse>(h.Get("/v1/scopes", receiving.token).body);
  REQUIRE(after.ok());
  for (const auto& s : after->scopes) CHECK(s.scope != "case:c2");
  // Malformed requests: an unknown action, an offer without a unit.
  CHECK(
      h.Post("/v1/scopes/transfer", {{"scope", "case:c2"}, {"action", "steal"}}, u.supervisor.token)
          .status == 400);
  CHECK(
      h.Post("/v1/scopes/transfer", {{"scope", "case:c2"}, {"action", "offer"}}, u.supervisor.token)
          .status == 400);
}

TEST_CASE("pull pages bounded by max_bytes serve every envelope once, from any cursor",
          "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer2, "case:c2", "case", u.unit, u.officer2.user_id) == 200);
  const Bytes key = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, key, {&u.officer}) == 200);
  REQUIRE(h.PublishKey(u.officer2, "case:c2", 1, key, {&u.officer2}) == 200);
  // Ciphertexts of 17..316 bytes, interleaved with envelopes the officer may not read.
  std::vector<pr::Envelope> mine;
  for (int i = 0; i < 24; ++i) {
    mine.push_back(Harness::Seal(u.officer, "case:c1", 1, key,
                                 std::string(static_cast<std::size_t>(1 + (i * 37) % 300), 'x')));
    REQUIRE(h.Push(u.officer, {mine.back()}).status == 200);
    if (i % 5 == 0) {
      REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c2", 1, key, "other")}).status ==
              200);
    }
  }
  std::string c0;
  const auto all = h.PullAll(u.officer, c0, 1000);
  REQUIRE(all.size() == 24);

  const std::size_t budget = 400, limit = 1000;
  std::vector<std::string> cursors{""};
  std::vector<std::vector<std::int64_t>> pages;
  bool more = true;
  while (more) {
    const auto page =
        PullPage(h, u.officer, "cursor=" + cursors.back() + "&limit=1000&max_bytes=400&format=bin");
    CheckByteBound(page, budget, limit);
    pages.emplace_back();
    for (const auto& e : page.envelopes) {
      CHECK(e.scope == "case:c1");
      pages.back().push_back(e.seq);
    }
    cursors.push_back(page.cursor);
    more = page.more;
    REQUIRE(pages.size() < 100);
  }
  CHECK(pages.size() >= 5);  // 24 envelopes of ~180 bytes on average, 400 bytes a page
  std::vector<std::int64_t> seqs, expected;
  for (const auto& p : pages) seqs.insert(seqs.end(), p.begin(), p.end());
  for (const auto& e : all) expected.push_back(e.seq);
  CHECK(seqs == expected);  // in order, each once, none lost
  // Resuming from any cursor, with another budget and the JSON form, yields exactly the rest.
  for (std::size_t i = 0; i < cursors.size(); ++i) {
    std::string c = cursors[i];
    const auto rest = h.PullAll(u.officer, c, 1000, "&max_bytes=150");
    std::vector<std::int64_t> got;
    for (const auto& e : rest) got.push_back(e.seq);
    std::vector<std::int64_t> want;
    for (std::size_t j = i; j < pages.size(); ++j)
      want.insert(want.end(), pages[j].begin(), pages[j].end());
    CHECK(got == want);
  }
  // An envelope larger than the whole budget still comes, alone: a page is never empty while
  // envelopes remain.
  std::string c1;
  std::size_t one_page_count = 0;
  more = true;
  while (more) {
    const auto page = PullPage(h, u.officer, "cursor=" + c1 + "&max_bytes=1");
    if (page.more) CHECK(page.envelopes.size() == 1);
    one_page_count += page.envelopes.size();
    c1 = page.cursor;
    more = page.more;
  }
  CHECK(one_page_count == 24);
  // The envelope limit still applies inside the budget.
  const auto small = PullPage(h, u.officer, "limit=2&max_bytes=1000000");
  CHECK(small.envelopes.size() == 2);
  CHECK(small.more);
}

TEST_CASE("a backfill bounded by max_bytes spans pages and loses nothing", "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  REQUIRE(h.Register(u.officer2, "case:c2", "case", u.unit, u.officer2.user_id) == 200);
  const Bytes k = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, k, {&u.officer}) == 200);
  REQUIRE(h.PublishKey(u.officer2, "case:c2", 1, k, {&u.officer2}) == 200);
  for (int i = 0; i < 9; ++i) {
    REQUIRE(
        h.Push(u.officer, {Harness::Seal(u.officer, "case:c1", 1, k,
                                         std::string(static_cast<std::size_t>(50 + 40 * i), 'o'))})
            .status == 200);
    REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c2", 1, k, "own")}).status == 200);
  }
  std::string start;
  REQUIRE(h.PullAll(u.officer2, start).size() == 9);
  REQUIRE(h.Post("/v1/scopes/owner",
                 pr::ToJson(pr::ScopeOwnerRequest{"case:c1", u.officer2.user_id}),
                 u.supervisor.token)
              .status == 200);
  REQUIRE(h.Push(u.officer2, {Harness::Seal(u.officer2, "case:c2", 1, k, "new")}).status == 200);

  PageWalk walk{{start}, {}};
  auto& [cursors, pages] = walk;
  bool more = true;
  while (more) {
    const auto page =
        PullPage(h, u.officer2, "cursor=" + cursors.back() + "&max_bytes=300&format=bin");
    CheckByteBound(page, 300, pr::kDefaultPullLimit);
    pages.emplace_back();
    for (const auto& e : page.envelopes) pages.back().push_back(e.seq);
    cursors.push_back(page.cursor);
    more = page.more;
    REQUIRE(pages.size() < 100);
  }
  std::vector<std::int64_t> seqs;
  for (const auto& p : pages) seqs.insert(seqs.end(), p.begin(), p.end());
  CHECK(seqs.size() == 10);  // the 9 envelopes of case:c1 backfilled, then the new one
  CHECK(std::set<std::int64_t>(seqs.begin(), seqs.end()).size() == 10);
  CHECK(pages.size() >= 4);  // the backfill itself spans pages
  CheckResumesFromEveryCursor(h, u.officer2, walk, 2, "&max_bytes=120");
}

TEST_CASE("the binary pull page carries exactly the JSON page, errors stay JSON",
          "[sync][server]") {
  const std::string backend = Backend();
  Harness h(backend);
  Unit u(h);
  REQUIRE(h.Register(u.officer, "case:c1", "case", u.unit, u.officer.user_id) == 200);
  const Bytes key = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(u.officer, "case:c1", 1, key, {&u.officer, &u.supervisor}) == 200);
  std::vector<pr::Envelope> batch;
  for (int i = 0; i < 7; ++i) {
    batch.push_back(Harness::Seal(u.officer, "case:c1", 1, key, "batch " + std::to_string(i)));
  }
  REQUIRE(h.Push(u.officer, batch).status == 200);

  std::string cursor;
  int pages = 0;
  for (bool more = true; more; ++pages) {
    const std::string q = "cursor=" + cursor + "&limit=3&max_bytes=100000";
    auto bin = h.Get("/v1/pull?" + q + "&format=bin", u.supervisor.token);
    auto json = h.Get("/v1/pull?" + q, u.supervisor.token);
    auto json2 = h.Get("/v1/pull?" + q + "&format=json", u.supervisor.token);
    REQUIRE(bin.status == 200);
    REQUIRE(json.status == 200);
    CHECK(bin.content_type == "application/octet-stream");
    CHECK(json.content_type == "application/json");
    CHECK(json2.raw == json.raw);
    auto from_bin = pr::DecodePullPage(bin.raw);
    auto from_json = pr::FromJson<pr::PullResponse>(json.body);
    REQUIRE(from_bin.ok());
    REQUIRE(from_json.ok());
    // Same data: the binary page re-encoded as JSON is the JSON page, byte for byte.
    CHECK(pr::ToJson(*from_bin).dump() == json.raw);
    CHECK(pr::EncodePullPage(*from_json) == bin.raw);
    CHECK(bin.raw.size() < json.raw.size());
    cursor = from_bin->cursor;
    more = from_bin->more;
  }
  CHECK(pages == 3);

  // Errors keep their JSON bodies and statuses whatever the format asked.
  auto expired = h.Get("/v1/pull?format=bin", "not-a-token");
  CHECK(expired.status == 401);
  CHECK(expired.content_type == "application/json");
  CHECK(ErrorCode(expired) == "not_permitted");
  auto bad_cursor = h.Get("/v1/pull?cursor=x.y&format=bin", u.officer.token);
  CHECK(bad_cursor.status == 400);
  CHECK(ErrorCode(bad_cursor) == "protocol");
  auto bad_format = h.Get("/v1/pull?format=xml", u.officer.token);
  CHECK(bad_format.status == 400);
  CHECK(bad_format.body["error"]["message"] == "pull: format must be json or bin");
  for (const char* bad : {"0", "-5", "abc", "", "1073741825", "99999999999"}) {
    auto r = h.Get(std::string("/v1/pull?format=bin&max_bytes=") + bad, u.officer.token);
    INFO("max_bytes=" << bad);
    CHECK(r.status == 400);
    CHECK(ErrorCode(r) == "protocol");
  }
  CHECK(h.Get("/v1/pull?max_bytes=1073741824", u.officer.token).status == 200);
}
