// The central store lies: a real server whose own store is edited behind the devices' backs
// (as a compromised server would serve it), and real client engines that must refuse every lie
// by name, apply nothing of it, and go on syncing their other scopes (docs/PROTOCOL.md, "What
// a client refuses"). One section per lie. Envelopes a lying server could only have from a
// device (a certified co-reader that lies, or a device of its own making) are sealed with that
// device's real keyring and appended to the server's store directly.
#include <httplib.h>
#include <sodium.h>

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "storage/database.hpp"
#include "sync/batch_codec.hpp"
#include "sync/directory.hpp"
#include "sync/envelope.hpp"
#include "sync/hlc.hpp"
#include "sync/leb128.hpp"
#include "sync/pull_codec.hpp"
#include "sync/server/server.hpp"
#include "tests/sync/engine_world.hpp"
#include "tests/sync/front_proxy.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;
using lietvedis::testing::Front;

namespace {

void Sync(EngineDevice& d) {
  auto r = d.engine->SyncOnce();
  INFO(d.name << ": " << (r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
}

storage::Database ServerDb(EngineWorld& w) {
  auto db = storage::Database::Open(w.server_db_path());
  REQUIRE(db.ok());
  return std::move(*db);
}

std::int64_t NowMs() {
  return server::SystemNowMs();
}

// Seals `changes` in `scope` with the keyring of the device whose store is `author_db` (under
// its newest key for the scope, made here when it has none), signs it as `author_device`, and
// appends it to the server's store as a lying server would. Returns its seq.
std::int64_t Inject(EngineWorld& w, storage::Database& author_db, const std::string& author_device,
                    const std::string& scope, const std::vector<Change>& changes) {
  auto keys = Keyring::Open(author_db);
  REQUIRE(keys.ok());
  if ((*keys)->LatestVersion(scope).value() == 0) REQUIRE((*keys)->CreateScopeKey(scope).ok());
  auto plain = EncodeBatch(scope, changes);
  REQUIRE(plain.ok());
  auto env = (*keys)->Seal(scope, NewBatchId(), author_device, *plain);
  REQUIRE(env.ok());
  auto stored = w.store().AppendEnvelopes(std::span<const protocol::Envelope>(&*env, 1), NowMs());
  INFO((stored.ok() ? std::string() : stored.error().message));
  REQUIRE(stored.ok());
  return (*stored)[0].seq;
}

// A device of the server's own making: real keys in a store of its own (`file` under the
// world's directory), bound to no enrolment the root signed.
struct ServerMadeDevice {
  storage::Database db;
  std::string id;
  protocol::Bytes sign_pk, box_pk;
};
ServerMadeDevice MakeServerDevice(EngineWorld& w, const std::string& file) {
  ServerMadeDevice d;
  auto db = storage::Database::Open(w.dir() / file);
  REQUIRE(db.ok());
  d.db = std::move(*db);
  auto keys = Keyring::Open(d.db);
  REQUIRE(keys.ok());
  REQUIRE((*keys)->GenerateDeviceKeys().ok());
  d.id = directory::DeviceIdForKey((*keys)->sign_pk());
  d.sign_pk = (*keys)->sign_pk();
  d.box_pk = (*keys)->box_pk();
  return d;
}

Change TitleChange(const std::string& scope, const std::string& row, const std::string& title,
                   std::int64_t hlc, const std::string& site) {
  return Change{scope, "kase", row, "title", title, Stamp{hlc, site}, Stamp{}};
}

// `maker`'s real device makes versions 1 and 2 of `scope`'s key in its own keyring and wraps
// version 2 for `target`'s device; the store keeps the wrap and lists version 2 as the newest.
void PlantSecondKey(EngineWorld& w, EngineDevice& maker, EngineDevice& target,
                    const std::string& scope) {
  auto keys = Keyring::Open(maker.db);
  REQUIRE(keys.ok());
  REQUIRE((*keys)->CreateScopeKey(scope).value() == 1);
  REQUIRE((*keys)->CreateScopeKey(scope).value() == 2);
  auto device = w.store().GetDevice(target.engine->Profile().device_id);
  REQUIRE(device.ok());
  auto wrap = (*keys)->WrapFor(scope, 2, maker.engine->Profile().device_id, device->box_pk);
  REQUIRE(wrap.ok());
  auto db = ServerDb(w);
  REQUIRE(db.Run("INSERT INTO key_wraps(scope, key_version, device_id, sealed) VALUES(?, 2, ?, ?)",
                 scope, device->device_id, *wrap)
              .ok());
  REQUIRE(db.Run("UPDATE scopes SET key_version=2 WHERE scope=?", scope).ok());
}

// The refusals in `d`'s quarantine of `what` in `scope` on `ground` (Refusal::ground, what a
// reader puts in its own words) whose reason contains `phrase`.
std::size_t Refused(EngineDevice& d, const std::string& what, const std::string& scope,
                    const std::string& phrase, const std::string& ground) {
  auto st = d.engine->Status();
  REQUIRE(st.ok());
  std::size_t n = 0;
  for (const auto& r : st->refusals) {
    INFO(r.what << " " << r.scope << " [" << r.ground << "]: " << r.reason);
    n += r.what == what && r.scope == scope && r.reason.find(phrase) != std::string::npos &&
         r.ground == ground;
  }
  return n;
}

}  // namespace

TEST_CASE("A lying central store: every lie is refused by name and the sync goes on",
          "[sync][engine][hostile]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  const std::string co = w.AddUser("volunteer_coordinator", "Coordinator");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& off2 = w.Enrol(o2);
  EngineDevice& sup = w.Enrol(sv);
  EngineDevice& coord = w.Enrol(co);
  const std::string off_id = off.engine->Profile().device_id;
  off.WriteCase("c1", "genuine", o1, w.unit());
  off.WriteCase("c2", "genuine two", o1, w.unit());
  Sync(off);
  Sync(sup);
  REQUIRE(sup.Count("SELECT count(*) FROM kase") == 2);
  const std::int64_t now_hlc = HlcPack(NowMs(), 0);

  // After the lie, the officer writes another case: the supervisor must still get it, and
  // nothing of the lie.
  auto expect_sync_goes_on = [&](std::int64_t refusals_at_least) {
    off.WriteCase("c3", "after the lie", o1, w.unit());
    Sync(off);
    auto r = sup.engine->SyncOnce();
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    CHECK(r->refused >= refusals_at_least);
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c3'") == "after the lie");
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c2'") == "genuine two");
    auto st = sup.engine->Status();
    REQUIRE(st.ok());
    CHECK(st->last_error.empty());
    CHECK(st->refused >= refusals_at_least);
    // Refused once: a second sync records nothing new.
    auto again = sup.engine->SyncOnce();
    REQUIRE(again.ok());
    CHECK(again->refused == 0);
  };

  SECTION("an anonymous wrap of the server's own key, with a raised key version") {
    std::uint8_t own_key[32];
    randombytes_buf(own_key, sizeof own_key);
    auto device = w.store().GetDevice(sup.engine->Profile().device_id);
    REQUIRE(device.ok());
    storage::Blob sealed(protocol::kSealedKeyWrapBytes);
    REQUIRE(crypto_box_seal(sealed.data(), own_key, sizeof own_key, device->box_pk.data()) == 0);
    {
      auto db = ServerDb(w);
      REQUIRE(db.Run("INSERT INTO key_wraps(scope, key_version, device_id, sealed)"
                     " VALUES('case:c1', 2, ?, ?)",
                     device->device_id, sealed)
                  .ok());
      REQUIRE(db.Exec("UPDATE scopes SET key_version=2 WHERE scope='case:c1'").ok());
    }
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "wrap", "case:c1", "anonymous sealed wrap", sync::kRefusalForged) == 1);
    CHECK(sup.Count("SELECT count(*) FROM sync_scope_keys WHERE scope='case:c1' AND "
                    "key_version=2") == 0);
  }

  SECTION("a wrap from a certified device whose user may not read the scope") {
    // The coordinator's real device wraps a case key of its own making, version 2, for the
    // supervisor; the server lists version 2 as the newest.
    PlantSecondKey(w, coord, sup, "case:c1");
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "wrap", "case:c1", "its user " + co + " may not read the scope",
                  sync::kRefusalNotReader) == 1);
    CHECK(sup.Count("SELECT count(*) FROM sync_scope_keys WHERE scope='case:c1' AND "
                    "key_version=2") == 0);
  }

  SECTION("a valid envelope replayed under another scope") {
    {
      auto db = ServerDb(w);
      REQUIRE(db.Exec("INSERT INTO envelopes(scope, batch_id, author_device, key_version, nonce,"
                      " ciphertext, signature, created_at, proof)"
                      " SELECT 'case:c2', lower(hex(randomblob(16))), author_device, key_version,"
                      " nonce, ciphertext, signature, created_at, proof FROM envelopes"
                      " WHERE scope='case:c1'")
                  .ok());
    }
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "envelope", "case:c2", "does not verify", sync::kRefusalForged) == 1);
  }

  SECTION("a change stamped by another device than its author") {
    Inject(w, off.db, off_id, "case:c1",
           {TitleChange("case:c1", "c1", "forged", now_hlc + 1, sup.engine->Profile().device_id)});
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "envelope", "case:c1", "stamped by site", sync::kRefusalMalformed) == 1);
  }

  SECTION("a stamp far in the future, and one at the end of time") {
    Inject(
        w, off.db, off_id, "case:c1",
        {TitleChange("case:c1", "c1", "from tomorrow", HlcPack(NowMs() + 86'400'000, 0), off_id)});
    Inject(w, off.db, off_id, "case:c1",
           {TitleChange("case:c1", "c1", "forever", INT64_MAX, off_id)});
    expect_sync_goes_on(2);
    CHECK(Refused(sup, "envelope", "case:c1", "ahead of this device's clock",
                  sync::kRefusalMalformed) == 2);
    // Nothing dragged the supervisor's clock along.
    CHECK(HlcPhysicalMs(sup.replica->clock().last()) < NowMs() + 60'000);
  }

  SECTION("an org_user row inside a case batch") {
    Inject(w, off.db, off_id, "case:c1",
           {Change{"case:c1", "org_user", o1, "role", std::string("supervisor"),
                   Stamp{now_hlc + 1, off_id}, Stamp{}}});
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "envelope", "case:c1", "does not belong in a case scope",
                  sync::kRefusalMalformed) == 1);
    CHECK(sup.Count("SELECT count(*) FROM org_user") == 0);
  }

  SECTION("an envelope from a device the directory does not certify") {
    // The server's own device for the officer: real keys, listed by the server, bound to no
    // enrolment the root signed.
    ServerMadeDevice made = MakeServerDevice(w, "fake.db");
    const std::string& fake = made.id;
    {
      auto db = ServerDb(w);
      REQUIRE(db.Run("INSERT INTO devices(device_id, user_id, name, sign_pk, box_pk, created_at)"
                     " VALUES(?, ?, 'fake', ?, ?, 0)",
                     fake, o1, made.sign_pk, made.box_pk)
                  .ok());
    }
    Inject(w, made.db, fake, "case:c1",
           {TitleChange("case:c1", "c1", "from nowhere", now_hlc + 1, fake)});
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "envelope", "case:c1", "which the directory does not list",
                  sync::kRefusalUnlisted) == 1);
  }

  SECTION("an envelope from a certified device whose user may not write the scope") {
    const std::string coord_id = coord.engine->Profile().device_id;
    Inject(w, coord.db, coord_id, "case:c1",
           {TitleChange("case:c1", "c1", "coordinator's", now_hlc + 1, coord_id)});
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "envelope", "case:c1", "user " + co + " may not write case:c1",
                  sync::kRefusalNotPermitted) == 1);
  }

  SECTION("a mentoring scope registered by someone other than the case's owner") {
    // Through the front door the server refuses it...
    off2.WriteCard("c1", "taken over", o2, w.unit());
    Sync(off2);
    auto st = off2.engine->Status();
    REQUIRE(st.ok());
    bool noted = false;
    for (const auto& s : st->scopes) {
      noted =
          noted || (s.scope == "mentoring:c1" &&
                    s.state.find("is not the owner " + o1 + " of case:c1") != std::string::npos);
    }
    CHECK(noted);
    CHECK(w.store().GetScope("mentoring:c1").error().code == Errc::kNotFound);
    // ...so the lying server writes it into its store, with an envelope of the would-be owner.
    REQUIRE(
        w.store().InsertScope({"mentoring:c1", "mentoring", w.unit(), o2, 0, "", "", "", ""}).ok());
    const std::string off2_id = off2.engine->Profile().device_id;
    Inject(w, off2.db, off2_id, "mentoring:c1",
           {Change{"mentoring:c1", "card", "c1", "name", std::string("taken over"),
                   Stamp{now_hlc + 1, off2_id}, Stamp{}}});
    expect_sync_goes_on(1);
    CHECK(Refused(sup, "scope", "mentoring:c1", "is not the owner " + o1 + " of case:c1",
                  sync::kRefusalScope) == 1);
    // Its envelope waits unapplied while the scope is refused (a reassignment's two owner
    // changes land one request apart, so a refusal may be lifted).
    CHECK(sup.Count("SELECT count(*) FROM card") == 0);
    CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 1);
  }
}

// What a central store sends that a device cannot judge (from devices the directory does not
// list: nothing about them verifies) or refuses (kept so that a later build judges it again)
// is kept within EngineOptions' bounds; past them it is noted without its envelope, and past
// the quarantine's rows only counted. A flood fills no disk, and the sync goes on.
TEST_CASE("A central store that floods a device with what it cannot judge fills no disk",
          "[sync][engine][hostile]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineOptions bounded;
  bounded.max_kept_envelopes = 4;
  bounded.max_quarantine_rows = 10;
  EngineDevice& sup = w.Enrol(sv, bounded);
  const std::string off_id = off.engine->Profile().device_id;
  off.WriteCase("c1", "genuine", o1, w.unit());
  Sync(off);
  Sync(sup);
  REQUIRE(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");

  // A device of the server's own making, in no directory at all.
  ServerMadeDevice made = MakeServerDevice(w, "unlisted.db");
  const std::string& fake = made.id;
  std::int64_t hlc = HlcPack(NowMs(), 0);
  for (int i = 0; i < 6; ++i) {
    Inject(w, made.db, fake, "case:c1", {TitleChange("case:c1", "c1", "flood", ++hlc, fake)});
  }
  off.WriteCase("c2", "after the flood", o1, w.unit());
  Sync(off);
  auto r = sup.engine->SyncOnce();
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->refused == 6);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c2'") == "after the flood");
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");
  // Four wait for a directory that lists their author; two are refused, saying why.
  CHECK(sup.Count("SELECT count(*) FROM sync_deferred WHERE unlisted=1") == 4);
  CHECK(Refused(sup, "envelope", "case:c1", "which the directory does not list; it is kept",
                sync::kRefusalUnlisted) == 4);
  CHECK(Refused(sup, "envelope", "case:c1", "it is not kept: this device keeps at most 4",
                sync::kRefusalUnlisted) == 2);

  // Refused envelopes from a listed device (stamped by another site) are noted, but the
  // budget is spent: none of them is kept.
  for (int i = 0; i < 3; ++i) {
    Inject(w, off.db, off_id, "case:c1",
           {TitleChange("case:c1", "c1", "forged", ++hlc, sup.engine->Profile().device_id)});
  }
  r = sup.engine->SyncOnce();
  REQUIRE(r.ok());
  CHECK(r->refused == 3);
  CHECK(Refused(sup, "envelope", "case:c1", "the envelope itself is not kept",
                sync::kRefusalMalformed) == 3);
  CHECK(sup.Count("SELECT count(*) FROM sync_quarantine WHERE envelope IS NOT NULL") == 0);

  // Past ten quarantine rows, refusals are counted, not itemised; more unlisted envelopes
  // are not kept either.
  for (int i = 0; i < 2; ++i) {
    Inject(w, off.db, off_id, "case:c1",
           {TitleChange("case:c1", "c1", "forged", ++hlc, sup.engine->Profile().device_id)});
    Inject(w, made.db, fake, "case:c1", {TitleChange("case:c1", "c1", "flood", ++hlc, fake)});
  }
  r = sup.engine->SyncOnce();
  REQUIRE(r.ok());
  CHECK(r->refused == 4);
  CHECK(sup.Count("SELECT count(*) FROM sync_quarantine") == 10);
  CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 4);
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->refusals_not_itemised == 3);
  CHECK(st->refused == 13);
  CHECK(st->last_error.empty());
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");

  // The device still syncs what is genuine.
  off.WriteCase("c3", "still syncing", o1, w.unit());
  Sync(off);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c3'") == "still syncing");
}

// Trust issue, item 8: each device numbers its pushes per scope inside the signed, sealed
// batch, so a reader names what the central store keeps back instead of silently missing it.
TEST_CASE("A withheld push is named by every reader, and the sync goes on",
          "[sync][engine][hostile]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  // The first push's answer is lost once: its retry must keep its number (no false gap).
  bool lose = true;
  EngineOptions opts;
  opts.fault = [&](std::string_view point) -> Result<void> {
    if (point == "push-answered" && lose) {
      lose = false;
      return MakeError(Errc::kNetwork, "answer lost (injected)");
    }
    return Ok();
  };
  EngineDevice& off = w.Enrol(o1, opts);
  EngineDevice& sup = w.Enrol(sv);
  const std::string off_id = off.engine->Profile().device_id;
  off.WriteCase("c1", "one", o1, w.unit());
  REQUIRE_FALSE(off.engine->SyncOnce().ok());
  Sync(off);  // the retry: stored once, number 1 kept
  off.WriteCase("c1", "two", o1, w.unit());
  Sync(off);
  off.WriteCase("c1", "three", o1, w.unit());
  Sync(off);
  CHECK(off.Count("SELECT last FROM sync_push_numbers WHERE scope='case:c1'") == 3);

  auto deliveries = [&] {
    auto st = sup.engine->Status();
    REQUIRE(st.ok());
    return st->deliveries;
  };

  SECTION("nothing withheld: nothing reported") {
    Sync(sup);
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "three");
    CHECK(sup.Count("SELECT count(*) FROM sync_push_seen WHERE scope='case:c1'") == 3);
    CHECK(deliveries().empty());
  }

  SECTION("the second push withheld, then delivered late") {
    {
      auto db = ServerDb(w);
      REQUIRE(db.Exec("CREATE TABLE withheld AS SELECT * FROM envelopes WHERE scope='case:c1'"
                      " ORDER BY seq LIMIT 1 OFFSET 1")
                  .ok());
      REQUIRE(db.Exec("DELETE FROM envelopes WHERE seq=(SELECT seq FROM withheld)").ok());
    }
    Sync(sup);
    // What arrived applies; the newest title is there.
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "three");
    auto gaps = deliveries();
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].scope == "case:c1");
    CHECK(gaps[0].author_device == off_id);
    CHECK(gaps[0].missing == 1);
    CHECK(gaps[0].numbers == "2");
    CHECK(gaps[0].reused_no == 0);
    CHECK(gaps[0].message == "the central store has not delivered 1 push from device " + off_id +
                                 " in case:c1 (number 2)");
    // The supervisor's other scopes go on: a second case arrives.
    off.WriteCase("c2", "another", o1, w.unit());
    Sync(off);
    Sync(sup);
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c2'") == "another");
    CHECK(deliveries().size() == 1);
    // Delivered late (under a new sequence number): the gap closes, the old title stays old.
    {
      auto db = ServerDb(w);
      REQUIRE(db.Exec("INSERT INTO envelopes(scope, batch_id, author_device, key_version, nonce,"
                      " ciphertext, signature, created_at, proof)"
                      " SELECT scope, batch_id, author_device, key_version, nonce, ciphertext,"
                      " signature, created_at, proof FROM withheld")
                  .ok());
    }
    Sync(sup);
    CHECK(deliveries().empty());
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "three");
  }

  SECTION("the first two withheld: one entry, both numbers") {
    {
      auto db = ServerDb(w);
      REQUIRE(db.Exec("DELETE FROM envelopes WHERE seq IN (SELECT seq FROM envelopes WHERE"
                      " scope='case:c1' ORDER BY seq LIMIT 2)")
                  .ok());
    }
    Sync(sup);
    auto gaps = deliveries();
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].missing == 2);
    CHECK(gaps[0].numbers == "1-2");
    CHECK(gaps[0].message.find("has not delivered 2 pushes from device " + off_id) !=
          std::string::npos);
  }

  SECTION("one number on two different batches of the same device") {
    // As a store put back from a copy would: the officer's real keyring seals another batch
    // numbered 3.
    auto keys = Keyring::Open(off.db);
    REQUIRE(keys.ok());
    const std::vector<Change> copy = {
        TitleChange("case:c1", "c1", "from a copy", HlcPack(NowMs(), 0), off_id)};
    auto plain = EncodeBatch("case:c1", copy, 3);
    REQUIRE(plain.ok());
    const std::string batch = NewBatchId();
    auto env = (*keys)->Seal("case:c1", batch, off_id, *plain);
    REQUIRE(env.ok());
    REQUIRE(w.store().AppendEnvelopes(std::span<const protocol::Envelope>(&*env, 1), NowMs()).ok());
    Sync(sup);
    auto gaps = deliveries();
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].reused_no == 3);
    CHECK(gaps[0].missing == 0);
    CHECK(gaps[0].message.find("the same number 3") != std::string::npos);
    CHECK(gaps[0].message.find(batch) != std::string::npos);
  }
}

namespace {

// Keeps the sync head's parts but says the directory is unchanged.
void SayDirectoryUnchanged(const httplib::Request& req, httplib::Response& res) {
  if (req.path != "/v1/sync" || res.status != 200) return;
  auto head = protocol::DecodeSyncHead(res.body);
  REQUIRE(head.ok());
  head->directory.clear();
  res.body = protocol::EncodeSyncHead(*head);
}

}  // namespace

TEST_CASE("A central store that says the directory is unchanged can delay, never forge or lose",
          "[sync][engine][hostile]") {
  EngineWorld w;
  Front front(w.url());
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);  // the officer's devices talk to the true store

  SECTION("to a device that holds no directory yet") {
    front.rewrite = SayDirectoryUnchanged;
    EngineDevice& sup = w.Enrol(sv, {}, front.url());
    off.WriteCase("c1", "genuine", o1, w.unit());
    Sync(off);
    auto r = sup.engine->SyncOnce();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
    CHECK(r.error().message.find("unchanged, but this device holds none") != std::string::npos);
    CHECK(sup.Count("SELECT count(*) FROM kase") == 0);
    CHECK(sup.Count("SELECT count(*) FROM sync_engine_meta WHERE key='cursor'") == 0);
  }

  SECTION("while a new laptop of the officer writes") {
    EngineDevice& sup = w.Enrol(sv, {}, front.url());
    Sync(sup);
    off.WriteCase("c1", "genuine", o1, w.unit());
    Sync(off);
    Sync(sup);
    REQUIRE(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");
    // From now on the supervisor's copy of the directory is kept stale.
    front.rewrite = SayDirectoryUnchanged;
    EngineDevice& laptop = w.Enrol(o1);
    Sync(off);  // wraps the case key for the laptop
    Sync(laptop);
    laptop.WriteCase("c1", "from the laptop", o1, w.unit());
    Sync(laptop);
    Sync(sup);
    // Not applied: its author is in no directory this device verified...
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");
    CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 1);
    // ...and not lost: once the true directory arrives, it applies.
    front.rewrite = {};
    Sync(sup);
    CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "from the laptop");
    CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 0);
  }
}

// Rules K1-K2 (sync/access_rules.hpp): for keys, a case's own signed record on the device
// decides its owner, not the server's listing. A store that names another officer of the unit
// as the owner gets that officer no key (a wrap for them, or a key of their making accepted),
// while a real reassignment, whose record the pull brings, still hands the key over.
TEST_CASE("A central store that names another owner for a case gets that owner no key",
          "[sync][engine][hostile]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  const std::string co = w.AddUser("volunteer_coordinator", "Coordinator");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& off2 = w.Enrol(o2);
  EngineDevice& sup = w.Enrol(sv);
  EngineDevice& coord = w.Enrol(co);
  off.WriteCase("c1", "genuine", o1, w.unit());
  off.WriteCard("c1", "Client One", o1, w.unit());
  off2.WriteCase("c2", "the second officer's own", o2, w.unit());
  Sync(off);
  Sync(off2);
  Sync(sup);
  Sync(coord);
  REQUIRE(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");
  REQUIRE(coord.Text("SELECT name FROM card WHERE id='c1'") == "Client One");
  auto keys_of = [](EngineDevice& d, const std::string& scope) {
    return d.Count("SELECT count(*) FROM sync_scope_keys WHERE scope='" + scope + "'");
  };
  REQUIRE(keys_of(off2, "case:c1") == 0);
  auto note_of = [](EngineDevice& d, const std::string& scope) {
    auto st = d.engine->Status();
    REQUIRE(st.ok());
    for (const auto& s : st->scopes) {
      if (s.scope == scope) return s.state;
    }
    return std::string();
  };

  SECTION("the store names the other officer: no device wraps the mentoring log's keys for them") {
    // The coordinator's device holds the mentoring log's key and reports no reassignment (a
    // supervisor's device would: its record of the case puts the owner back on the server).
    REQUIRE(ServerDb(w)
                .Exec("UPDATE scopes SET owner_user_id='" + o2 + "' WHERE scope='mentoring:c1'")
                .ok());
    Sync(off2);  // the server now lists mentoring:c1 to the second officer, who lacks its key
    // A new laptop of the coordinator: every holder of a key wraps for the devices that lack
    // it, so the coordinator's device answers the store's list of missing wraps now.
    EngineDevice& coord_b = w.Enrol(co);
    Sync(coord);
    CHECK(note_of(coord, "mentoring:c1")
              .find("keys follow the record: the server lists unit " + w.unit() + " and owner " +
                    o2 + "; its record here names unit " + w.unit() + " and owner " + o1) !=
          std::string::npos);
    Sync(coord_b);
    Sync(off2);
    CHECK(coord_b.Text("SELECT name FROM card WHERE id='c1'") == "Client One");
    CHECK(keys_of(off2, "mentoring:c1") == 0);
    CHECK(off2.Count("SELECT count(*) FROM card") == 0);
    CHECK(off2.Text("SELECT title FROM kase WHERE id='c2'") == "the second officer's own");
    CHECK(w.store().GetScope("mentoring:c1")->owner_user_id == o2);  // the lie stands
    // The store takes the lie back: the note goes with it.
    REQUIRE(ServerDb(w)
                .Exec("UPDATE scopes SET owner_user_id='" + o1 + "' WHERE scope='mentoring:c1'")
                .ok());
    Sync(coord);
    CHECK(note_of(coord, "mentoring:c1").find("keys follow the record") == std::string::npos);
  }

  SECTION("a supervisor's device puts its record's owner back on the server") {
    REQUIRE(ServerDb(w)
                .Exec("UPDATE scopes SET owner_user_id='" + o2 + "' WHERE scope='case:c1'")
                .ok());
    Sync(sup);
    CHECK(w.store().GetScope("case:c1")->owner_user_id == o1);
    Sync(off2);
    CHECK(keys_of(off2, "case:c1") == 0);
  }

  SECTION("a key the would-be owner made is refused, and nothing is written under it") {
    // The second officer's device makes version 2 of the case key and wraps it for the
    // supervisor's device; the store names the second officer as the owner and version 2 as
    // the newest.
    PlantSecondKey(w, off2, sup, "case:c1");
    {
      auto db = ServerDb(w);
      REQUIRE(db.Exec("UPDATE scopes SET owner_user_id='" + o2 + "' WHERE scope='case:c1'").ok());
      // The mentoring log follows, or every reader would refuse it for its case's owner.
      REQUIRE(
          db.Exec("UPDATE scopes SET owner_user_id='" + o2 + "' WHERE scope='mentoring:c1'").ok());
    }
    sup.WriteCase("c1", "the supervisor's edit", o1, w.unit());
    auto r = sup.engine->SyncOnce();
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    CHECK(r->refused == 1);
    CHECK(Refused(sup, "wrap", "case:c1",
                  "its user " + o2 +
                      " reads the scope only by the server's word (the server "
                      "lists unit " +
                      w.unit() + " and owner " + o2,
                  sync::kRefusalNotReader) == 1);
    CHECK(sup.Count("SELECT count(*) FROM sync_scope_keys WHERE scope='case:c1' AND "
                    "key_version=2") == 0);
    // The edit waits for a key the record's readers made; nothing went out under the other.
    CHECK(ServerDb(w)
              .QueryInt("SELECT count(*) FROM envelopes WHERE scope='case:c1' AND "
                        "key_version=2")
              .value() == 0);
    CHECK(note_of(sup, "case:c1").find("waiting for the scope key") != std::string::npos);
    // Refused once: the next sync records nothing new.
    auto again = sup.engine->SyncOnce();
    REQUIRE(again.ok());
    CHECK(again->refused == 0);
  }

  SECTION("a real reassignment: the new owner's key is taken once the pull brings the record") {
    // Two more laptops of the supervisor hold the case; one is away while the case is
    // reassigned, the other is lost after it.
    EngineDevice& sup_b = w.Enrol(sv);
    EngineDevice& sup_c = w.Enrol(sv);
    Sync(off);  // wraps for the new laptops
    Sync(sup_b);
    Sync(sup_c);
    REQUIRE(sup_b.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");
    sup.WriteCase("c1", "genuine", o2, w.unit());
    sup.WriteCard("c1", "Client One", o2, w.unit());
    Sync(sup);   // the reassignment: reported, pushed under version 2, wrapped for every reader
    Sync(off2);  // the new owner takes versions 1 and 2
    REQUIRE(off2.Text("SELECT officer FROM kase WHERE id='c1'") == o2);
    // The third laptop is lost: a reader of version 2 is gone, so the new owner's next write
    // rotates the key, and the new owner's device wraps version 3 for the away laptop.
    REQUIRE(w.admin()
                .RevokeDevice(sup_c.engine->Profile().device_id, "left in a taxi",
                              server::SystemNowMs())
                .ok());
    off2.WriteCase("c1", "the new owner's first note", o2, w.unit());
    Sync(off2);
    REQUIRE(w.store().GetScope("case:c1")->key_version == 3);
    // The away laptop: its record names the old owner until the pull brings the change, and
    // the new owner's wrap of version 3 arrives before it. It is taken after the pull.
    auto r = sup_b.engine->SyncOnce();
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    CHECK(r->refused == 0);
    CHECK(sup_b.Count("SELECT count(*) FROM sync_scope_keys WHERE scope='case:c1' AND "
                      "key_version=3") == 1);
    CHECK(sup_b.Text("SELECT officer FROM kase WHERE id='c1'") == o2);
    CHECK(sup_b.Text("SELECT title FROM kase WHERE id='c1'") == "the new owner's first note");
    CHECK(note_of(sup_b, "case:c1").find("keys follow the record") == std::string::npos);
  }
}

TEST_CASE(
    "A central store that moves a case to another unit without an offer gets that unit no "
    "key (K1)",
    "[sync][engine][hostile]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  auto other = w.admin().AddUnit("Zemgale", "Jelgava", NowMs());
  REQUIRE(other.ok());
  auto sv2 = w.admin().AddUser(other->unit_id, "supervisor", "Jelgava Supervisor", NowMs());
  REQUIRE(sv2.ok());
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& sup = w.Enrol(sv);
  EngineDevice& elsewhere = w.Enrol(sv2->user_id);
  off.WriteCase("c1", "MARKER-liepaja-case", o1, w.unit());
  Sync(off);
  Sync(sup);
  Sync(elsewhere);
  REQUIRE(elsewhere.Count("SELECT count(*) FROM kase") == 0);

  // The store moves the case to Jelgava on its own (no offer in the case's record) and grants
  // Jelgava's supervisor its history; it asks every holder of the key for a wrap.
  {
    auto db = ServerDb(w);
    REQUIRE(db.Run("UPDATE scopes SET unit_id=? WHERE scope='case:c1'", other->unit_id).ok());
    REQUIRE(db.Run("INSERT INTO grants(user_id, scope, granted_at) VALUES(?, 'case:c1', ?)",
                   sv2->user_id, NowMs())
                .ok());
  }
  off.WriteCase("c1", "MARKER-written-after-the-lie", o1, w.unit());
  for (EngineDevice* d : {&elsewhere, &off, &sup, &elsewhere}) Sync(*d);
  // Jelgava's supervisor is listed the case but holds no key of it and none of its content.
  CHECK(elsewhere.Count("SELECT count(*) FROM sync_scope_keys WHERE scope='case:c1'") == 0);
  CHECK(elsewhere.Count("SELECT count(*) FROM kase") == 0);
  {
    auto db = ServerDb(w);
    auto wrapped =
        db.QueryInt("SELECT count(*) FROM key_wraps WHERE scope='case:c1' AND device_id='" +
                    elsewhere.engine->Profile().device_id + "'");
    REQUIRE(wrapped.ok());
    CHECK(*wrapped == 0);
  }
  // The officer goes on, and the officer's device says why it gave no key. (The store no
  // longer lists the case to Liepāja's supervisor, whose device purges it: withholding is in the
  // store's power, docs/THREATS.md; handing the case to another unit is not.)
  CHECK(off.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-written-after-the-lie");
  auto st = off.engine->Status();
  REQUIRE(st.ok());
  std::string note;
  for (const auto& s : st->scopes) {
    if (s.scope == "case:c1") note = s.state;
  }
  CHECK(note.find("keys follow the record: the server lists unit " + other->unit_id) !=
        std::string::npos);
}
