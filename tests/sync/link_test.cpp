// Sync over the links officers really have: the engine against a real central store through
// LinkProxy (tests/support/link_proxy.hpp) at the office, mobile and poor profiles, and with a
// connection reset in the middle of every request type a sync makes. Whatever is cut, the
// devices converge, the server holds every envelope once, and nothing the server acknowledged
// is sent again.
#include <catch2/catch.hpp>
#include <tuple>

#include "tests/support/link_proxy.hpp"
#include "tests/sync/engine_world.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::CutPoint;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;
using lietvedis::testing::LinkProfile;
using lietvedis::testing::LinkProxy;

namespace {

// Syncs until a sync succeeds, at most `tries` times; only network failures are retried (a
// reset is one). Returns the successful report.
SyncReport SyncThrough(EngineDevice& d, int tries = 4) {
  for (int i = 1;; ++i) {
    auto r = d.engine->SyncOnce();
    if (r.ok()) return *r;
    INFO(d.name << " attempt " << i << ": " << r.error().message);
    REQUIRE(r.error().code == Errc::kNetwork);
    REQUIRE(i < tries);
  }
}

std::int64_t ServerEnvelopes(EngineWorld& w) {
  auto c = w.store().Counts(server::SystemNowMs());
  REQUIRE(c.ok());
  return c->envelopes;
}

}  // namespace

TEST_CASE("Officers and a supervisor converge over the office, mobile and poor links",
          "[sync][engine][link]") {
  const LinkProfile profile =
      GENERATE(LinkProfile::Office(), LinkProfile::Mobile(), LinkProfile::Poor());
  INFO("profile " << profile.name);
  EngineWorld w;
  LinkProxy link(w.url(), profile, 17);
  REQUIRE(link.Start().ok());
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1, {}, link.url());
  EngineDevice& sup = w.Enrol(sv, {}, link.url());

  for (int i = 0; i < 3; ++i) {
    off.WriteCase("c" + std::to_string(i), "title " + std::to_string(i), o1, w.unit());
  }
  SyncReport r = SyncThrough(off);
  CHECK(r.pushed_changes == 9);
  CHECK(ServerEnvelopes(w) == 3);
  r = SyncThrough(sup);
  CHECK(r.applied_changes == 9);
  CHECK(sup.Count("SELECT count(*) FROM kase") == 3);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c2'") == "title 2");

  // The supervisor edits one; the officer receives it; a further sync moves nothing.
  sup.WriteCase("c1", "edited by the supervisor", o1, w.unit());
  SyncThrough(sup);
  r = SyncThrough(off);
  CHECK(r.applied_changes == 3);
  CHECK(off.Text("SELECT title FROM kase WHERE id='c1'") == "edited by the supervisor");
  r = SyncThrough(off);
  CHECK(r.pulled_envelopes == 0);
  CHECK(r.pushed_changes == 0);
  CHECK(ServerEnvelopes(w) == 4);
  // Everything went through the link, and it carried bytes both ways.
  const auto c = link.counters();
  CHECK(c.request_lines >= 10);
  CHECK(c.bytes_up > 0);
  CHECK(c.bytes_down > c.bytes_up);
}

TEST_CASE("A connection reset in the middle of any request: converged, nothing stored twice",
          "[sync][engine][link]") {
  // Which request is cut, where, and whose sync makes it: the officer's first sync makes the
  // writer's requests (sign-in, the start with directory, scopes and first pull page,
  // registration, its key wraps, the push); the supervisor's first sync starts, fetches the
  // key wraps and pulls its second page (one envelope a page: the first came with the start).
  const auto [prefix, where, on_supervisor] =
      GENERATE(std::make_tuple("POST /v1/session/challenge", CutPoint::kMidRequest, false),
               std::make_tuple("POST /v1/session/challenge", CutPoint::kMidAnswer, false),
               std::make_tuple("POST /v1/session ", CutPoint::kMidRequest, false),
               std::make_tuple("POST /v1/session ", CutPoint::kMidAnswer, false),
               std::make_tuple("GET /v1/sync", CutPoint::kMidRequest, false),
               std::make_tuple("GET /v1/sync", CutPoint::kMidAnswer, false),
               std::make_tuple("POST /v1/scopes ", CutPoint::kMidRequest, false),
               std::make_tuple("POST /v1/scopes ", CutPoint::kMidAnswer, false),
               std::make_tuple("POST /v1/keys", CutPoint::kMidRequest, false),
               std::make_tuple("POST /v1/keys", CutPoint::kMidAnswer, false),
               std::make_tuple("GET /v1/keys/missing", CutPoint::kMidRequest, false),
               std::make_tuple("GET /v1/keys/missing", CutPoint::kMidAnswer, false),
               std::make_tuple("POST /v1/push", CutPoint::kMidRequest, false),
               std::make_tuple("POST /v1/push", CutPoint::kMidAnswer, false),
               std::make_tuple("GET /v1/sync", CutPoint::kMidRequest, true),
               std::make_tuple("GET /v1/sync", CutPoint::kMidAnswer, true),
               std::make_tuple("GET /v1/keys ", CutPoint::kMidRequest, true),
               std::make_tuple("GET /v1/keys ", CutPoint::kMidAnswer, true),
               std::make_tuple("GET /v1/pull", CutPoint::kMidRequest, true),
               std::make_tuple("GET /v1/pull", CutPoint::kMidAnswer, true));
  INFO("cut " << prefix << (where == CutPoint::kMidRequest ? " mid-request" : " mid-answer"));
  EngineWorld w;
  LinkProxy link(w.url(), LinkProfile::Office(), 1);
  REQUIRE(link.Start().ok());
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1, {}, link.url());
  EngineOptions one_a_page;
  one_a_page.pull_limit = 1;
  EngineDevice& sup = w.Enrol(sv, one_a_page, link.url());
  off.WriteCase("c1", "first", o1, w.unit());
  off.WriteCard("c1", "card", o1, w.unit());

  if (!on_supervisor) link.CutNext(prefix, where);
  auto first = off.engine->SyncOnce();
  if (!on_supervisor) {
    REQUIRE(link.CutDone());
    REQUIRE_FALSE(first.ok());
    CHECK(first.error().code == Errc::kNetwork);
    SyncThrough(off);
  } else {
    REQUIRE(first.ok());
  }
  CHECK(off.engine->Status().value().pending == 0);
  CHECK(ServerEnvelopes(w) == 2);  // case and card, each once
  const std::int64_t pushes = w.CountLog("POST /v1/push 200");
  // What the server acknowledged is not sent again.
  SyncReport again = SyncThrough(off);
  CHECK(again.pushed_changes == 0);
  CHECK(w.CountLog("POST /v1/push 200") == pushes);

  if (on_supervisor) link.CutNext(prefix, where);
  auto pulled = sup.engine->SyncOnce();
  SyncReport total = pulled.ok() ? *pulled : SyncReport{};
  if (on_supervisor) {
    REQUIRE(link.CutDone());
    if (!pulled.ok()) {
      CHECK(pulled.error().code == Errc::kNetwork);
      total = SyncThrough(sup);
    }
  }
  CHECK(sup.Count("SELECT count(*) FROM kase") == 1);
  CHECK(sup.Count("SELECT count(*) FROM card") == 1);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "first");
  // The supervisor's store took each change once (its pull resumed from its stored cursor)
  // and a further sync pulls nothing.
  CHECK(total.applied_changes == 6);
  SyncReport after = SyncThrough(sup);
  CHECK(after.pulled_envelopes == 0);
  CHECK(ServerEnvelopes(w) == 2);
}

TEST_CASE("A warm no-op sync is one small request, a sync with changes two, across restarts",
          "[sync][engine][link]") {
  EngineWorld w;
  LinkProxy link(w.url(), LinkProfile::Office(), 3);
  REQUIRE(link.Start().ok());
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1, {}, link.url());
  EngineDevice& sup = w.Enrol(sv, {}, link.url());
  off.WriteCase("c1", "first", o1, w.unit());
  SyncThrough(off);
  SyncThrough(off);  // its own push comes back once (and is skipped)
  SyncThrough(sup);

  // The engine counts exactly what crossed the link.
  auto before = link.counters();
  SyncReport r = SyncThrough(off);
  auto after = link.counters();
  CHECK(r.requests == 1);
  CHECK(after.request_lines - before.request_lines == 1);
  CHECK(r.bytes_sent == after.bytes_up - before.bytes_up);
  CHECK(r.bytes_received == after.bytes_down - before.bytes_down);
  CHECK(r.bytes_sent + r.bytes_received <= 1024);
  CHECK(r.pulled_envelopes == 0);

  // A change to a case that already has its key (three fields): the start and the push.
  off.WriteCase("c1", "second", o1, w.unit());
  const std::int64_t pushes = w.CountLog("POST /v1/push 200");
  r = SyncThrough(off);
  CHECK(r.requests == 2);
  CHECK(r.pushed_changes == 3);
  CHECK(w.CountLog("POST /v1/push 200") == pushes + 1);
  auto st = off.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->last_requests == 2);
  CHECK(st->last_pushed_changes == 3);
  CHECK(st->last_bytes_sent == r.bytes_sent);
  CHECK(st->last_bytes_received == r.bytes_received);

  // Pulled by the supervisor: the start brings the page; one request.
  r = SyncThrough(sup);
  CHECK(r.requests == 1);
  CHECK(r.applied_changes == 3);  // each field written again gets a newer stamp
  CHECK(r.pulled_changes == 3);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "second");

  // A restarted device (a new engine over the same store, as the next `lietvedis sync`
  // process) keeps its session: no sign-in, still one request.
  const std::int64_t challenges = w.CountLog("POST /v1/session/challenge");
  off.Reopen();
  r = SyncThrough(off);
  CHECK(r.requests == 1);
  CHECK(w.CountLog("POST /v1/session/challenge") == challenges);

  // A session the server no longer knows: one sign-in (two requests) and on.
  {
    auto db = storage::Database::Open(w.server_db_path());
    REQUIRE(db.ok());
    REQUIRE(db->Exec("DELETE FROM sessions").ok());
  }
  off.Reopen();
  r = SyncThrough(off);
  CHECK(r.requests == 4);  // refused start, challenge, session, start again
  CHECK(w.CountLog("POST /v1/session/challenge") == challenges + 1);

  // The directory changed (a new user): the start brings it, and the device asks which key
  // wraps are missing, as after every directory change; then one request again.
  w.AddUser("officer", "Officer Three");
  before = link.counters();
  r = SyncThrough(off);
  after = link.counters();
  CHECK(r.requests == 2);
  CHECK(r.bytes_received == after.bytes_down - before.bytes_down);
  r = SyncThrough(off);
  CHECK(r.requests == 1);
}

TEST_CASE("Batches are compressed before they are sealed, and readers open both kinds",
          "[sync][engine][link]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineOptions plain;
  plain.batch_zstd_level = 0;  // as a device of a build before compression
  EngineDevice& z = w.Enrol(o1);
  EngineDevice& p = w.Enrol(o2, plain);
  EngineDevice& sup = w.Enrol(sv);
  // The same long note (Latvian prose, as officers write it) from both.
  std::string note;
  const char* words[] = {"klients",    "ieradās",    "uz",      "konsultāciju", "pārrunājām",
                         "darba",      "meklējumus", "ģimenes", "situācija",    "uzlabojusies",
                         "nākamā",     "tikšanās",   "pēc",     "divām",        "nedēļām",
                         "programmas", "nodarbības"};
  for (int i = 0; i < 600; ++i) {
    note += words[(i * 7 + i / 5) % 17];
    note += i % 13 == 12 ? ". " : " ";
  }
  z.WriteCase("cz", note, o1, w.unit());
  p.WriteCase("cp", note, o2, w.unit());
  SyncReport rz = SyncThrough(z);
  SyncReport rp = SyncThrough(p);
  auto size_of = [&](const std::string& scope) {
    auto db = storage::Database::Open(w.server_db_path());
    REQUIRE(db.ok());
    auto n = db->QueryInt("SELECT length(ciphertext) FROM envelopes WHERE scope=?", scope);
    REQUIRE(n.ok());
    return *n;
  };
  const std::int64_t zs = size_of("case:cz"), ps = size_of("case:cp");
  INFO("sealed: " << zs << " bytes compressed, " << ps << " plain; pushed " << rz.bytes_sent
                  << " against " << rp.bytes_sent << " bytes");
  CHECK(zs * 3 < ps);
  CHECK(rz.bytes_sent < rp.bytes_sent);
  // The supervisor (compressing) reads both; so does the officer whose build does not compress.
  SyncThrough(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='cz'") == note);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='cp'") == note);
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->refused == 0);
}
