// The sync engine end to end against a real central store on loopback (SQLite back end):
// enrolment, keys, push, pull, reassignment, interruption, retries, tampering, privacy.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "sync/envelope.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/sync/engine_world.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;

namespace {

SyncReport Sync(EngineDevice& d) {
  auto r = d.engine->SyncOnce();
  INFO(d.name << ": " << (r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return *r;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool HoldsKey(EngineDevice& d, const std::string& scope, std::uint32_t version) {
  auto k = Keyring::Open(d.db);
  REQUIRE(k.ok());
  auto held = (*k)->HeldKeys();
  REQUIRE(held.ok());
  for (const auto& [s, v] : *held) {
    if (s == scope && v == version) return true;
  }
  return false;
}

}  // namespace

// The whole story over one world; `server_file` is the SQLite file of the central store to
// search for plaintext (empty for PostgreSQL).
static void RolesScenario(EngineWorld& w, const std::string& server_file) {
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  const std::string co = w.AddUser("volunteer_coordinator", "Coordinator");
  EngineDevice& off1 = w.Enrol(o1);
  EngineDevice& off2 = w.Enrol(o2);
  EngineDevice& sup = w.Enrol(sv);
  EngineDevice& coord = w.Enrol(co);
  CHECK(off1.engine->IsEnrolled());
  CHECK(off1.engine->Profile().role == "officer");

  // The officer works offline, then syncs.
  off1.WriteCase("c1", "MARKER-case-title", o1, w.unit());
  off1.WriteCard("c1", "MARKER-card-name", o1, w.unit());
  auto st = off1.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->pending == 6);
  CHECK(st->last_success_ms == 0);
  std::vector<SyncPhase> phases;
  auto first = off1.engine->SyncOnce([&](SyncPhase p, std::int64_t, std::int64_t) {
    if (phases.empty() || phases.back() != p) phases.push_back(p);
  });
  REQUIRE(first.ok());
  CHECK(first->pushed_changes == 6);
  CHECK(phases.front() == SyncPhase::kSession);
  CHECK(phases.back() == SyncPhase::kDone);
  st = off1.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->pending == 0);
  CHECK(st->last_success_ms > 0);
  CHECK(st->last_error.empty());
  REQUIRE(st->scopes.size() == 2);
  CHECK(st->scopes[0].registered);
  CHECK(st->scopes[0].key_version == 1);

  // The supervisor sees the case and the card.
  SyncReport rep = Sync(sup);
  CHECK(rep.applied_changes == 6);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-case-title");
  CHECK(sup.Text("SELECT name FROM card WHERE id='c1'") == "MARKER-card-name");

  // The coordinator receives mentoring:* only, and holds no key to case:*.
  Sync(coord);
  CHECK(coord.Count("SELECT count(*) FROM card") == 1);
  CHECK(coord.Count("SELECT count(*) FROM kase") == 0);
  CHECK_FALSE(HoldsKey(coord, "case:c1", 1));
  CHECK(HoldsKey(coord, "mentoring:c1", 1));
  // The other officer receives nothing of this case.
  Sync(off2);
  CHECK(off2.Count("SELECT count(*) FROM kase") == 0);
  CHECK(off2.Count("SELECT count(*) FROM card") == 0);

  // An edit made offline reaches the supervisor on the next syncs; a no-op sync changes nothing.
  off1.WriteCase("c1", "MARKER-case-title-2", o1, w.unit());
  Sync(off1);
  rep = Sync(sup);
  CHECK(rep.applied_changes == 3);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-case-title-2");
  rep = Sync(sup);
  CHECK(rep.pulled_envelopes == 0);
  CHECK(rep.pushed_changes == 0);

  // Reassignment: the supervisor gives the case to officer two. Access moves; the key rotates.
  sup.WriteCase("c1", "MARKER-case-title-2", o2, w.unit());
  Sync(sup);
  CHECK(HoldsKey(sup, "case:c1", 2));
  Sync(off2);
  CHECK(off2.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-case-title-2");
  CHECK(off2.Text("SELECT officer FROM kase WHERE id='c1'") == o2);
  CHECK(HoldsKey(off2, "case:c1", 2));
  off2.WriteCase("c1", "MARKER-by-officer-two", o2, w.unit());
  Sync(off2);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-by-officer-two");
  // The former owner receives nothing new and never gets the rotated key. Its sync purges the
  // case it no longer reads (sync/purge.hpp), with the edits it made after losing it, which
  // the central store would never accept; the status counts them.
  off1.WriteCase("c1", "MARKER-stale-edit", o1, w.unit());
  Sync(off1);
  CHECK(off1.Count("SELECT count(*) FROM kase WHERE id='c1'") == 0);
  CHECK_FALSE(HoldsKey(off1, "case:c1", 1));
  CHECK_FALSE(HoldsKey(off1, "case:c1", 2));
  st = off1.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->pending == 0);
  bool explained = false;
  for (const PurgedScope& p : st->purged) {
    if (p.scope == "case:c1") explained = p.reason == kPurgeNoLongerRead && p.unsent_changes == 3;
  }
  CHECK(explained);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-by-officer-two");

  // The server's store never holds a word of case content.
  if (!server_file.empty()) {
    for (const std::string& file : {server_file, server_file + "-wal"}) {
      const std::string bytes = FileBytes(file);
      CHECK(bytes.find("MARKER") == std::string::npos);
    }
  }
}

TEST_CASE("Officers, a supervisor and a coordinator share exactly what their duties need",
          "[sync][engine]") {
  EngineWorld w;
  RolesScenario(w, w.server_db_path());
}

// A fresh database on the throwaway PostgreSQL cluster the engine tests share.
static std::string FreshPostgresStore() {
  static lietvedis::testing::PgCluster cluster;
  static bool started = false;
  if (!started) {
    auto r = cluster.Start();
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    started = true;
  }
  auto uri = cluster.CreateDatabase("engine_" + Replica::NewId().substr(0, 12));
  INFO((uri.ok() ? std::string() : uri.error().message));
  REQUIRE(uri.ok());
  return *uri;
}

TEST_CASE("The same story over the PostgreSQL back end", "[sync][engine][postgresql]") {
  EngineWorld w(FreshPostgresStore());
  RolesScenario(w, {});
}

namespace {

// Writes only the given fields of row `id` of `kase` in scope case:<scope_id>, in its own
// transaction (a reassignment touches the officer alone; a note is a row of its own).
void WriteFields(EngineDevice& d, const std::string& id, const std::string& scope_id,
                 std::vector<FieldValue> fields) {
  auto tx = storage::Transaction::Begin(d.db);
  REQUIRE(tx.ok());
  REQUIRE(d.replica->Write("kase", id, "case:" + scope_id, fields).ok());
  REQUIRE(tx->Commit().ok());
}

}  // namespace

// Readers who join a case later — a new owner after a reassignment, a supervisor's laptop
// enrolled after two rotations — open the case's whole history, not only what was written
// under the newest key version; the former owner gets no key written after it lost the case.
static void HistoryScenario(EngineWorld& w) {
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string o3 = w.AddUser("officer", "Officer Three");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off1 = w.Enrol(o1);
  EngineDevice& off2 = w.Enrol(o2);
  EngineDevice& off3 = w.Enrol(o3);
  EngineDevice& sup = w.Enrol(sv);

  // Key version 1: the officer's case and a note in it.
  off1.WriteCase("c1", "MARKER-surname-v1", o1, w.unit());
  Sync(off1);
  WriteFields(off1, "c1-note1", "c1", {{"title", std::string("MARKER-note-v1")}});
  Sync(off1);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1-note1'") == "MARKER-note-v1");

  // The supervisor reassigns the case to officer two, changing nothing but the officer: the
  // key rotates (version 2) and what was written under version 1 is not written again.
  WriteFields(sup, "c1", "c1", {{"officer", o2}});
  Sync(sup);
  REQUIRE(HoldsKey(sup, "case:c1", 2));
  Sync(off2);
  CHECK(HoldsKey(off2, "case:c1", 1));
  CHECK(HoldsKey(off2, "case:c1", 2));
  CHECK(off2.Text("SELECT officer FROM kase WHERE id='c1'") == o2);
  CHECK(off2.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-surname-v1");
  CHECK(off2.Text("SELECT title FROM kase WHERE id='c1-note1'") == "MARKER-note-v1");
  CHECK(off2.Count("SELECT count(*) FROM sync_deferred") == 0);
  WriteFields(off2, "c1-note2", "c1", {{"title", std::string("MARKER-note-v2")}});
  Sync(off2);
  Sync(sup);

  // The supervisor's new laptop, enrolled after the rotation: its first sync finds no key and
  // keeps the envelopes; the supervisor's desktop wraps every version for it; the next sync
  // opens them all.
  EngineDevice& laptop = w.Enrol(sv);
  Sync(laptop);
  CHECK(laptop.Count("SELECT count(*) FROM kase") == 0);
  CHECK(laptop.Count("SELECT count(*) FROM sync_deferred") > 0);
  Sync(sup);
  Sync(laptop);
  CHECK(HoldsKey(laptop, "case:c1", 1));
  CHECK(HoldsKey(laptop, "case:c1", 2));
  CHECK(laptop.Count("SELECT count(*) FROM sync_deferred") == 0);
  CHECK(laptop.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-surname-v1");
  CHECK(laptop.Text("SELECT title FROM kase WHERE id='c1-note1'") == "MARKER-note-v1");
  CHECK(laptop.Text("SELECT title FROM kase WHERE id='c1-note2'") == "MARKER-note-v2");

  // From the laptop, a second reassignment (version 3): officer three reads all three
  // versions' records.
  WriteFields(laptop, "c1", "c1", {{"officer", o3}});
  Sync(laptop);
  REQUIRE(HoldsKey(laptop, "case:c1", 3));
  Sync(off3);
  for (std::uint32_t v : {1u, 2u, 3u}) CHECK(HoldsKey(off3, "case:c1", v));
  CHECK(off3.Text("SELECT officer FROM kase WHERE id='c1'") == o3);
  CHECK(off3.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-surname-v1");
  CHECK(off3.Text("SELECT title FROM kase WHERE id='c1-note1'") == "MARKER-note-v1");
  CHECK(off3.Text("SELECT title FROM kase WHERE id='c1-note2'") == "MARKER-note-v2");

  // Nobody hands the history forward to those who lost the case.
  Sync(sup);
  Sync(off2);
  Sync(off1);
  CHECK_FALSE(HoldsKey(off1, "case:c1", 2));
  CHECK_FALSE(HoldsKey(off1, "case:c1", 3));
  CHECK_FALSE(HoldsKey(off2, "case:c1", 3));
  auto wraps = w.store().WrapsForDevice(off1.engine->Profile().device_id);
  REQUIRE(wraps.ok());
  for (const auto& wrap : *wraps) CHECK_FALSE((wrap.scope == "case:c1" && wrap.key_version > 1));
}

TEST_CASE("Readers who join a case later open its whole history", "[sync][engine][keys]") {
  EngineWorld w;
  HistoryScenario(w);
}

TEST_CASE("Readers who join a case later open its whole history (PostgreSQL)",
          "[sync][engine][keys][postgresql]") {
  EngineWorld w(FreshPostgresStore());
  HistoryScenario(w);
}

TEST_CASE("An interrupted pull resumes from its stored cursor", "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineOptions opts;
  opts.pull_limit = 2;
  int pages = 0;
  bool fail = true;
  opts.fault = [&](std::string_view point) -> Result<void> {
    if (point == "pull-page-applied" && fail && ++pages == 3) {
      return MakeError(Errc::kNetwork, "connection dropped (injected)");
    }
    return Ok();
  };
  EngineDevice& sup = w.Enrol(sv, opts);
  // Ten cases, pushed as ten envelopes (one per scope).
  for (int i = 0; i < 10; ++i) off.WriteCase("c" + std::to_string(i), "t", o1, w.unit());
  Sync(off);
  // First attempt: the supervisor holds no keys until the keys phase, so the first pull defers
  // envelopes. Sync once so keys are in place, then make new changes to pull.
  fail = false;
  Sync(sup);
  CHECK(sup.Count("SELECT count(*) FROM kase") == 10);
  for (int i = 0; i < 10; ++i) off.WriteCase("c" + std::to_string(i), "t2", o1, w.unit());
  Sync(off);

  fail = true;
  pages = 0;
  auto r = sup.engine->SyncOnce();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kNetwork);
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->last_error.find("injected") != std::string::npos);
  // Three pages of two were applied and their cursor stored.
  CHECK(sup.Count("SELECT count(*) FROM kase WHERE title='t2'") == 6);
  fail = false;
  auto rep = Sync(sup);
  CHECK(rep.pulled_envelopes == 4);  // only the rest
  CHECK(sup.Count("SELECT count(*) FROM kase WHERE title='t2'") == 10);
  st = sup.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->last_error.empty());
}

TEST_CASE("A sync cut after a new key reached the server still gives the other readers their wraps",
          "[sync][engine][keys]") {
  // The officer's laptop makes a case's key and publishes its own wrap; the sync is cut before
  // the wraps of the officer's second laptop and the supervisor are given. Nothing else changes
  // before the next sync, which must give them all the same.
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  bool cut = false;
  EngineOptions opts;
  opts.fault = [&cut](std::string_view point) -> Result<void> {
    if (cut && point == "own-wrap-published") {
      return MakeError(Errc::kNetwork, "connection dropped (injected)");
    }
    return Ok();
  };
  EngineDevice& laptop = w.Enrol(o1, opts);
  EngineDevice& second = w.Enrol(o1);
  EngineDevice& sup = w.Enrol(sv);
  Sync(laptop);  // the directory here names the second laptop and the supervisor's device
  laptop.WriteCase("c1", "MARKER-cut-after-own-wrap", o1, w.unit());
  cut = true;
  auto r = laptop.engine->SyncOnce();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("injected") != std::string::npos);
  cut = false;
  Sync(laptop);
  Sync(second);
  Sync(sup);
  CHECK(second.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-cut-after-own-wrap");
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-cut-after-own-wrap");
  // Owed no longer: the next sync asks for nothing it need not.
  CHECK(laptop.Count("SELECT value FROM sync_engine_meta WHERE key='wraps_owed'") == 0);
}

TEST_CASE("Envelopes pulled before their key are kept, and each opens when its key arrives",
          "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off1 = w.Enrol(o1);
  EngineDevice& off2 = w.Enrol(o2);
  off1.WriteCase("c1", "from one", o1, w.unit());
  off2.WriteCase("c2", "from two", o2, w.unit());
  Sync(off1);
  Sync(off2);
  // The supervisor's device comes later: nobody has wrapped a key for it yet.
  EngineDevice& sup = w.Enrol(sv);
  Sync(sup);
  CHECK(sup.Count("SELECT count(*) FROM kase") == 0);
  CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 2);
  // Officer one wraps case:c1's key for the new device; case:c2 still waits.
  Sync(off1);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "from one");
  CHECK(sup.Count("SELECT count(*) FROM kase WHERE id='c2'") == 0);
  CHECK(sup.Text("SELECT json_extract(envelope, '$.scope') FROM sync_deferred") == "case:c2");
  Sync(off2);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c2'") == "from two");
  CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 0);
}

TEST_CASE(
    "A change from a device enrolled while a pull runs is applied once the directory lists it",
    "[sync][engine][keys]") {
  // The directory is read when a sync starts; a long pull goes on for many pages. An officer
  // who enrols a new laptop meanwhile and writes from it puts an envelope on a later page from
  // a device that directory does not list yet. It is not the central store's lie and must not
  // be lost: it is noted, kept, and applied by the next sync, whose directory lists the device.
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& sup = w.Enrol(sv);
  Sync(sup);
  for (int i = 0; i < 6; ++i) off.WriteCase("c" + std::to_string(i), "first", o1, w.unit());
  Sync(off);  // and wraps the case keys for the supervisor's device
  EngineOptions opts;
  opts.pull_limit = 2;
  opts.pull_prefetch = false;  // the next page is asked for after the hook ran
  int pages = 0;
  EngineDevice* laptop = nullptr;
  opts.fault = [&](std::string_view point) -> Result<void> {
    if (point != "pull-page-applied" || ++pages != 1 || laptop != nullptr) return Ok();
    laptop = &w.Enrol(o1);
    Sync(off);      // wraps the officer's case keys for the new laptop
    Sync(*laptop);  // receives them and the cases
    REQUIRE(laptop->Text("SELECT title FROM kase WHERE id='c0'") == "first");
    laptop->WriteCase("c0", "from the new laptop", o1, w.unit());
    Sync(*laptop);
    return Ok();
  };
  sup.options = opts;
  sup.Reopen();
  Sync(sup);
  REQUIRE(laptop != nullptr);
  CHECK(pages >= 4);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "first");
  // The laptop's envelope came on a later page of the same pull.
  const std::string laptop_id = laptop->engine->Profile().device_id;
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c0'") == "first");
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  bool noted = false;
  for (const auto& r : st->refusals) {
    noted |= r.author_device == laptop_id && r.reason.find("does not list") != std::string::npos;
  }
  CHECK(noted);
  // The next sync's directory lists the laptop: its change applies and the note goes.
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c0'") == "from the new laptop");
  CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 0);
  st = sup.engine->Status();
  REQUIRE(st.ok());
  for (const auto& r : st->refusals) CHECK(r.author_device != laptop_id);
}

TEST_CASE(
    "A new owner's change pulled with a scope list from before the reassignment is applied later",
    "[sync][engine][keys]") {
  // The scope list, like the directory, is read when a sync starts. A case reassigned while
  // another reader's pull runs on, and written at once by its new owner, reaches that reader
  // on a later page from a user its scope list does not yet show as a writer. Kept, noted, and
  // applied by the next sync, whose scope list names the new owner and whose wraps bring the
  // rotated key.
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  const std::string sv2 = w.AddUser("supervisor", "Deputy Supervisor");
  EngineDevice& off1 = w.Enrol(o1);
  EngineDevice& off2 = w.Enrol(o2);
  EngineDevice& sup = w.Enrol(sv);
  EngineDevice& deputy = w.Enrol(sv2);
  Sync(sup);
  Sync(deputy);
  for (int i = 0; i < 6; ++i) off1.WriteCase("c" + std::to_string(i), "first", o1, w.unit());
  Sync(off1);
  Sync(deputy);
  int pages = 0;
  sup.options.pull_limit = 2;
  sup.options.pull_prefetch = false;
  sup.options.fault = [&](std::string_view point) -> Result<void> {
    if (point != "pull-page-applied" || ++pages != 1) return Ok();
    WriteFields(deputy, "c0", "c0", {{"officer", o2}});
    Sync(deputy);  // registers the new owner, rotates the key for the case's readers
    Sync(off2);
    REQUIRE(off2.Text("SELECT officer FROM kase WHERE id='c0'") == o2);
    WriteFields(off2, "c0-note", "c0", {{"title", std::string("the new owner's first note")}});
    Sync(off2);
    return Ok();
  };
  sup.Reopen();
  Sync(sup);
  CHECK(pages >= 4);
  // Both arrived under a key version this sync had no wrap for: they wait, nothing is refused.
  CHECK(sup.Count("SELECT count(*) FROM kase WHERE id='c0-note'") == 0);
  CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 2);
  sup.options.fault = {};
  sup.Reopen();
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c0-note'") == "the new owner's first note");
  CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 0);
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  for (const auto& r : st->refusals) CHECK(r.scope != "case:c0");
}

namespace {

// Gives `d` a build that also replicates table `visit` (scope kind case), as a newer client.
void UpgradeWithVisits(EngineDevice& d) {
  REQUIRE(d.db.Exec("CREATE TABLE IF NOT EXISTS visit(id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
                    " note TEXT)")
              .ok());
  d.engine.reset();
  const std::string site = d.replica->site_id();
  d.replica.reset();
  auto r = Replica::Open(d.db, site,
                         {{"kase", {"title", "officer", "unit"}, false, {"case"}},
                          {"card", {"name", "officer", "unit"}, false, {"mentoring"}},
                          {"org_user", {"role"}, false, {"org"}},
                          {"visit", {"note"}, false, {"case"}}});
  REQUIRE(r.ok());
  d.replica = std::move(*r);
  d.Reopen();
}

}  // namespace

TEST_CASE("An envelope an older build refused is judged again once the build can apply it",
          "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& sup = w.Enrol(sv);
  Sync(sup);
  UpgradeWithVisits(off);  // the officer's laptop already runs the newer build
  off.WriteCase("c1", "the case", o1, w.unit());
  Sync(off);
  {
    auto tx = storage::Transaction::Begin(off.db);
    REQUIRE(tx.ok());
    REQUIRE(
        off.replica->Write("visit", "v1", "case:c1", {{"note", std::string("home visit")}}).ok());
    REQUIRE(tx->Commit().ok());
  }
  Sync(off);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "the case");
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  REQUIRE(st->refused == 1);
  INFO(st->refusals[0].reason);
  CHECK(st->refusals[0].reason.find("visit") != std::string::npos);
  // Kept ciphertext and ids only: the quarantine holds the envelope as pulled.
  CHECK(sup.Count("SELECT count(*) FROM sync_quarantine WHERE envelope IS NOT NULL") == 1);
  CHECK(sup.Count("SELECT count(*) FROM sync_quarantine WHERE envelope LIKE '%home visit%'") == 0);

  SECTION("asked again by hand, the same build refuses it again, once") {
    CHECK(sup.engine->RetryQuarantined().value() == 1);
    CHECK(sup.engine->Status().value().refused == 0);
    const SyncReport again = Sync(sup);
    CHECK(again.refused == 1);
    CHECK(sup.engine->Status().value().refused == 1);
    CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 0);
  }
  SECTION("the newer build takes it up by itself at its first sync") {
    UpgradeWithVisits(sup);
    const SyncReport after = Sync(sup);
    CHECK(after.refused == 0);
    CHECK(sup.Text("SELECT note FROM visit WHERE id='v1'") == "home visit");
    CHECK(sup.engine->Status().value().refused == 0);
    CHECK(sup.Count("SELECT count(*) FROM sync_deferred") == 0);
    // Once taken up, a later sync of the same build does not ask again.
    Sync(sup);
    CHECK(sup.Count("SELECT count(*) FROM visit") == 1);
  }
}

TEST_CASE("A push retried after a lost answer is stored once", "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  bool lose = true;
  EngineOptions opts;
  opts.fault = [&](std::string_view point) -> Result<void> {
    if (point == "push-answered" && lose)
      return MakeError(Errc::kNetwork, "answer lost (injected)");
    return Ok();
  };
  EngineDevice& off = w.Enrol(o1, opts);
  EngineDevice& sup = w.Enrol(sv);
  off.WriteCase("c1", "first", o1, w.unit());
  auto before = w.store().MaxSeq();
  REQUIRE(before.ok());
  auto r = off.engine->SyncOnce();
  REQUIRE_FALSE(r.ok());
  CHECK(off.engine->Status().value().pending == 3);  // not acknowledged
  auto after_first = w.store().MaxSeq();
  REQUIRE(after_first.ok());
  CHECK(*after_first == *before + 1);  // the server did store it
  lose = false;
  auto rep = Sync(off);
  CHECK(rep.duplicate_batches == 1);
  CHECK(rep.pushed_changes == 3);
  CHECK(off.engine->Status().value().pending == 0);
  CHECK(w.store().MaxSeq().value() == *after_first);  // nothing stored twice
  rep = Sync(sup);
  CHECK(rep.pulled_envelopes == 1);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "first");
}

TEST_CASE(
    "A tampered envelope on the server is quarantined, nothing of it applied, and the sync "
    "goes on",
    "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& sup = w.Enrol(sv);
  off.WriteCase("c1", "genuine", o1, w.unit());
  Sync(off);
  Sync(sup);  // keys in place
  off.WriteCase("c1", "second", o1, w.unit());
  off.WriteCase("c2", "other case", o1, w.unit());
  Sync(off);
  std::int64_t bad_seq = 0;
  {
    auto db = storage::Database::Open(w.server_db_path());
    REQUIRE(db.ok());
    bad_seq = db->QueryInt("SELECT max(seq) FROM envelopes WHERE scope='case:c1'").value();
    REQUIRE(db->Run("UPDATE envelopes SET ciphertext = randomblob(length(ciphertext))"
                    " WHERE seq = ?",
                    bad_seq)
                .ok());
  }
  auto r = sup.engine->SyncOnce();
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->refused == 1);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "genuine");
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c2'") == "other case");  // the sync went on
  auto st = sup.engine->Status().value();
  CHECK(st.last_error.empty());
  REQUIRE(st.refused == 1);
  REQUIRE(st.refusals.size() == 1);
  CHECK(st.refusals[0].what == "envelope");
  CHECK(st.refusals[0].scope == "case:c1");
  CHECK(st.refusals[0].seq == bad_seq);
  CHECK(st.refusals[0].author_device == off.engine->Profile().device_id);
  CHECK(st.refusals[0].reason.find("signature") != std::string::npos);
  CHECK(st.refusals[0].ground == sync::kRefusalForged);
  // The cursor moved past it: the next sync neither fails nor refuses it again.
  auto again = sup.engine->SyncOnce();
  REQUIRE(again.ok());
  CHECK(again->refused == 0);
  CHECK(sup.engine->Status().value().refused == 1);
}

TEST_CASE("Enrolment refuses a used code and an unreachable server, in plain words",
          "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  EngineDevice& off = w.Enrol(o1);
  auto again = off.engine->Enrol(w.url(), "LV1-bogus", "x");
  CHECK(again.error().code == Errc::kConflict);  // already enrolled

  auto opened = storage::Database::Open(w.dir() / "lonely.db");
  REQUIRE(opened.ok());
  storage::Database db = std::move(opened).value();
  REQUIRE(db.Exec("CREATE TABLE kase(id TEXT PRIMARY KEY, scope TEXT NOT NULL, title TEXT,"
                  " officer TEXT, unit TEXT)")
              .ok());
  auto rep = Replica::Open(db, "site-x", {{"kase", {"title", "officer", "unit"}, false}});
  REQUIRE(rep.ok());
  EngineOptions opts;
  opts.connect_timeout_ms = 500;
  auto eng = SyncEngine::Open(db, **rep, {}, opts);
  REQUIRE(eng.ok());
  CHECK((*eng)->SyncOnce().error().code == Errc::kNotFound);  // not enrolled
  // A bare secret (no server, pin or root key with it) is not a code.
  CHECK((*eng)->Enrol(w.url(), std::string(64, 'a'), "laptop").error().code == Errc::kValidation);
  auto expired = w.admin().IssueEnrolmentCode(o1, w.url(), "", 1, server::SystemNowMs() - 10'000);
  REQUIRE(expired.ok());
  auto bad = (*eng)->Enrol("", *expired, "laptop");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::kNotPermitted);
  auto fresh = w.admin().IssueEnrolmentCode(o1, w.url(), "", 3600'000, server::SystemNowMs());
  REQUIRE(fresh.ok());
  auto down = (*eng)->Enrol("http://127.0.0.1:1", *fresh, "laptop");
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().code == Errc::kNetwork);
  CHECK_FALSE((*eng)->IsEnrolled());
}

TEST_CASE("Over https the device talks only to the certificate pinned at enrolment",
          "[sync][engine][tls]") {
  EngineWorld w({}, /*tls=*/true);
  REQUIRE(w.url().rfind("https://", 0) == 0);
  REQUIRE(w.fingerprint().size() == 64);
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineOptions one_a_page;
  one_a_page.pull_limit = 1;  // several pages: the prefetch thread's own connection, pinned too
  EngineDevice& sup = w.Enrol(sv, one_a_page);
  CHECK(off.engine->Profile().cert_fingerprint == w.fingerprint());
  off.WriteCase("c1", "over tls", o1, w.unit());
  off.WriteCase("c2", "over tls", o1, w.unit());
  off.WriteCase("c3", "over tls", o1, w.unit());
  Sync(off);
  CHECK(Sync(sup).pulled_envelopes == 3);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "over tls");
  CHECK(sup.Count("SELECT count(*) FROM kase") == 3);

  // A device given another pin refuses the server before sending anything.
  auto opened = storage::Database::Open(w.dir() / "pinned-wrong.db");
  REQUIRE(opened.ok());
  storage::Database db = std::move(opened).value();
  REQUIRE(db.Exec("CREATE TABLE kase(id TEXT PRIMARY KEY, scope TEXT NOT NULL, title TEXT,"
                  " officer TEXT, unit TEXT)")
              .ok());
  auto rep = Replica::Open(db, "site-x", {{"kase", {"title", "officer", "unit"}, false}});
  REQUIRE(rep.ok());
  auto eng = SyncEngine::Open(db, **rep, {});
  REQUIRE(eng.ok());
  auto code =
      w.admin().IssueEnrolmentCode(o1, w.url(), w.fingerprint(), 3600'000, server::SystemNowMs());
  REQUIRE(code.ok());
  auto bad = (*eng)->Enrol("", *code, "laptop", std::string(64, '0'));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::kTampered);
  CHECK(bad.error().message.find("pinned") != std::string::npos);
}

TEST_CASE("A reader who loses access (deactivated) makes the next writer rotate the key",
          "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string s1 = w.AddUser("supervisor", "Supervisor One");
  const std::string s2 = w.AddUser("supervisor", "Supervisor Two");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& sup1 = w.Enrol(s1);
  EngineDevice& sup2 = w.Enrol(s2);
  off.WriteCase("c1", "v1", o1, w.unit());
  Sync(off);
  Sync(sup1);
  Sync(sup2);
  CHECK(HoldsKey(sup2, "case:c1", 1));
  // Nothing changed: syncing again does not rotate.
  off.WriteCase("c1", "v1b", o1, w.unit());
  Sync(off);
  CHECK_FALSE(HoldsKey(off, "case:c1", 2));

  // The administrator deactivates supervisor two: a root-signed statement (a change made in the
  // server's tables alone would be ignored by every client, engine_directory_test.cpp).
  REQUIRE(w.admin().SetUserActive(s2, false, server::SystemNowMs()).ok());
  off.WriteCase("c1", "after deactivation", o1, w.unit());
  Sync(off);
  CHECK(HoldsKey(off, "case:c1", 2));
  Sync(sup1);
  CHECK(HoldsKey(sup1, "case:c1", 2));
  CHECK(sup1.Text("SELECT title FROM kase WHERE id='c1'") == "after deactivation");
  CHECK_FALSE(sup2.engine->SyncOnce().ok());  // the server refuses a deactivated user
  CHECK_FALSE(HoldsKey(sup2, "case:c1", 2));
  // Settled: the next write does not rotate again.
  off.WriteCase("c1", "later", o1, w.unit());
  Sync(off);
  CHECK_FALSE(HoldsKey(off, "case:c1", 3));
}

namespace {

// What a device holds after pulling: every case row and its fields' stamps (the row's clock
// blob, whose field order follows arrival order), in a fixed order.
std::vector<std::string> Holdings(EngineDevice& d) {
  std::vector<std::string> out;
  auto st = d.db.Prepare(
      "SELECT 'kase', id, scope, coalesce(title, ''), coalesce(officer, ''), coalesce(unit, '')"
      " FROM kase UNION ALL SELECT 'stamps', id, scope, hex(sync_stamps), '', '' FROM kase"
      " ORDER BY 1, 2, 3, 4");
  REQUIRE(st.ok());
  for (;;) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    std::string line;
    for (int c = 0; c < 6; ++c) line += st->Text(c) + "|";
    out.push_back(line);
  }
  return out;
}

// Replaces the ciphertext of envelope `seq` in the server's store with random bytes of the same
// length; returns the original, for RestoreCiphertext.
storage::Blob ScrambleCiphertext(EngineWorld& w, std::int64_t seq) {
  auto db = storage::Database::Open(w.server_db_path());
  REQUIRE(db.ok());
  auto st = db->Prepare("SELECT ciphertext FROM envelopes WHERE seq = ?");
  REQUIRE(st.ok());
  st->Bind(1, seq);
  REQUIRE(st->Step().value());
  storage::Blob original = st->BlobAt(0);
  st->Reset();
  REQUIRE(
      db->Run("UPDATE envelopes SET ciphertext = randomblob(length(ciphertext)) WHERE seq = ?", seq)
          .ok());
  return original;
}
void RestoreCiphertext(EngineWorld& w, std::int64_t seq, const storage::Blob& original) {
  auto db = storage::Database::Open(w.server_db_path());
  REQUIRE(db.ok());
  REQUIRE(db->Run("UPDATE envelopes SET ciphertext = ? WHERE seq = ?", original, seq).ok());
}

// An officer and a supervisor whose device (options `opts`) synced; then the officer pushes
// `cases` new cases, one envelope each, numbered from first_seq in the server's sequence.
struct PushedCases {
  std::string officer;
  EngineDevice& off;
  EngineDevice& sup;
  std::int64_t first_seq;
};
PushedCases PushCasesAfterSupervisorSync(EngineWorld& w, int cases, EngineOptions opts = {}) {
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& sup = w.Enrol(sv, std::move(opts));
  Sync(sup);
  auto before = w.store().MaxSeq();
  REQUIRE(before.ok());
  for (int i = 0; i < cases; ++i) off.WriteCase("c" + std::to_string(i), "t", o1, w.unit());
  Sync(off);
  REQUIRE(w.store().MaxSeq().value() == *before + cases);
  return {o1, off, sup, *before + 1};
}

std::int64_t ServerCount(EngineWorld& w, const std::string& sql) {
  auto db = storage::Database::Open(w.server_db_path());
  REQUIRE(db.ok());
  auto n = db->QueryInt(sql);
  REQUIRE(n.ok());
  return *n;
}

std::string PullLogOf(EngineDevice& d) {
  return "GET /v1/pull 200 device=" + d.engine->Profile().device_id;
}

}  // namespace

TEST_CASE("A pipelined binary pull gives the same store as a plain JSON pull, page by page",
          "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineOptions plain_opts;
  plain_opts.pull_binary = false;
  plain_opts.pull_prefetch = false;
  plain_opts.pull_max_bytes = 0;
  plain_opts.pull_limit = 1000;
  int plain_pages = 0;
  plain_opts.fault = [&](std::string_view point) -> Result<void> {
    plain_pages += point == "pull-page-applied" ? 1 : 0;
    return Ok();
  };
  EngineDevice& plain = w.Enrol(sv, plain_opts);
  EngineOptions fast_opts;
  fast_opts.pull_max_bytes = 600;  // a few envelopes a page: many pages to pipeline
  int fast_pages = 0;
  // The connection's settings seen during the pull: automatic checkpoint threshold, cache size.
  std::int64_t checkpoint_pages = 0, cache_size = 0;
  EngineDevice* fast_device = nullptr;
  fast_opts.fault = [&](std::string_view point) -> Result<void> {
    if (point != "pull-page-applied") return Ok();
    ++fast_pages;
    LV_ASSIGN(checkpoint_pages, fast_device->db.QueryInt("PRAGMA wal_autocheckpoint"));
    LV_ASSIGN(cache_size, fast_device->db.QueryInt("PRAGMA cache_size"));
    return Ok();
  };
  EngineDevice& fast = w.Enrol(sv, fast_opts);
  fast_device = &fast;
  // The owner's checkpoint: once per sync that pulled changes, after the sync's last commit,
  // with the connection's settings back (nothing left for the engine to write).
  int checkpoints = 0;
  std::int64_t checkpoint_at_hook = 0;
  bool in_transaction_at_hook = true;
  std::string success_at_hook;
  fast.on_checkpoint_wal = [&] {
    ++checkpoints;
    checkpoint_at_hook = fast.Count("PRAGMA wal_autocheckpoint");
    in_transaction_at_hook = fast.db.InTransaction();
    success_at_hook = fast.Text("SELECT value FROM sync_engine_meta WHERE key='last_success_ms'");
  };
  const std::int64_t default_checkpoint = fast.Count("PRAGMA wal_autocheckpoint");
  const std::int64_t default_cache = fast.Count("PRAGMA cache_size");
  for (int i = 0; i < 30; ++i) {
    off.WriteCase("c" + std::to_string(i), "title " + std::to_string(i), o1, w.unit());
  }
  off.WriteCard("c0", "card", o1, w.unit());
  Sync(off);
  for (int i = 0; i < 30; i += 3) {
    off.WriteCase("c" + std::to_string(i), "edited " + std::to_string(i), o1, w.unit());
  }
  Sync(off);

  const SyncReport plain_rep = Sync(plain);
  std::vector<std::int64_t> progress;
  auto r = fast.engine->SyncOnce([&](SyncPhase p, std::int64_t done, std::int64_t) {
    if (p == SyncPhase::kPull) progress.push_back(done);
  });
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  CHECK(plain_pages == 1);
  CHECK(fast_pages >= 10);
  CHECK(r->pulled_envelopes == plain_rep.pulled_envelopes);
  CHECK(r->applied_changes == plain_rep.applied_changes);
  CHECK(r->pulled_envelopes == 41);  // 31 scopes, then 10 edits
  CHECK(plain.Count("SELECT count(*) FROM kase") == 30);
  CHECK(Holdings(fast) == Holdings(plain));
  CHECK(fast.Text("SELECT value FROM sync_engine_meta WHERE key='cursor'") ==
        plain.Text("SELECT value FROM sync_engine_meta WHERE key='cursor'"));
  CHECK(fast.Count("SELECT count(*) FROM sync_deferred") == 0);
  // Pages commit without a checkpoint each, in a larger cache; the connection's settings are
  // back afterwards.
  CHECK(checkpoint_pages > default_checkpoint);
  CHECK(cache_size == -32768);  // 32 MiB
  CHECK(fast.Count("PRAGMA wal_autocheckpoint") == default_checkpoint);
  CHECK(fast.Count("PRAGMA cache_size") == default_cache);
  CHECK(checkpoints == 1);
  CHECK(checkpoint_at_hook == default_checkpoint);
  CHECK_FALSE(in_transaction_at_hook);
  CHECK(success_at_hook ==
        fast.Text("SELECT value FROM sync_engine_meta WHERE key='last_success_ms'"));
  CHECK(success_at_hook != "<none>");
  // A sync with nothing to pull raises no setting and asks for no checkpoint.
  Sync(fast);
  CHECK(checkpoints == 1);
  // Progress once per page, counting up to every envelope pulled.
  REQUIRE(progress.size() >= 10);
  CHECK(std::is_sorted(progress.begin(), progress.end()));
  CHECK(progress.back() == 41);
}

TEST_CASE("The next pull page is fetched while the current one is applied", "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineOptions opts;
  opts.pull_limit = 2;
  bool ahead = false;
  int pages = 0;
  std::int64_t pulls_before = 0;
  std::string needle;
  opts.fault = [&](std::string_view point) -> Result<void> {
    if (point == "pull-page-applied" && ++pages == 1) {
      // The writer is still inside page 1 (its fault point; the page came with the sync's
      // start, GET /v1/sync); the second page's request reaches the server all the same, from
      // the prefetch thread.
      ahead = w.WaitForLog(needle, pulls_before + 1);
    }
    return Ok();
  };
  EngineDevice& sup = w.Enrol(sv, opts);
  needle = PullLogOf(sup);
  Sync(sup);  // keys and an empty pull
  for (int i = 0; i < 8; ++i) off.WriteCase("c" + std::to_string(i), "t", o1, w.unit());
  Sync(off);
  pulls_before = w.CountLog(needle);
  pages = 0;
  const SyncReport rep = Sync(sup);
  CHECK(ahead);
  CHECK(pages == 4);
  CHECK(rep.pulled_envelopes == 8);
  CHECK(sup.Count("SELECT count(*) FROM kase") == 8);
  // One request a page and no page fetched twice: prefetching does not add requests (the
  // first page is in the answer to GET /v1/sync, the three others are pulls).
  CHECK(w.CountLog(needle) == pulls_before + 3);

  SECTION("without prefetching the second request waits for the first page") {
    sup.options.pull_prefetch = false;
    sup.Reopen();
    for (int i = 0; i < 8; ++i) off.WriteCase("c" + std::to_string(i), "t2", o1, w.unit());
    Sync(off);
    pulls_before = w.CountLog(needle);
    pages = 0;
    ahead = true;
    // A short wait: without the prefetch thread nobody can send the request meanwhile.
    sup.options.fault = [&](std::string_view point) -> Result<void> {
      if (point == "pull-page-applied" && ++pages == 1) {
        ahead = w.WaitForLog(needle, pulls_before + 1, 300);
      }
      return Ok();
    };
    sup.Reopen();
    Sync(sup);
    CHECK_FALSE(ahead);
    CHECK(pages == 4);
    CHECK(sup.Count("SELECT count(*) FROM kase WHERE title='t2'") == 8);
  }
}

TEST_CASE("A page opened on two cores still refuses a tampered envelope wherever it is",
          "[sync][engine]") {
  // One page of 20 envelopes, fetched on the writer: its envelopes are checked, decrypted and
  // decoded by a helper thread and the writer, whichever claims each first. A tampered
  // envelope at the start, the middle or the end must be quarantined with the same reason
  // and the 19 others applied; the device then pulls everything again from the start.
  EngineWorld w;
  PushedCases pushed = PushCasesAfterSupervisorSync(w, 20);
  EngineDevice& sup = pushed.sup;
  auto rewind = [&] {
    REQUIRE(sup.db
                .Exec("DELETE FROM sync_engine_meta WHERE key='cursor';"
                      " DELETE FROM kase; DELETE FROM sync_quarantine")
                .ok());
  };
  for (const std::int64_t at : {0, 1, 2, 9, 10, 17, 18, 19}) {
    const std::int64_t bad_seq = pushed.first_seq + at;
    const storage::Blob original = ScrambleCiphertext(w, bad_seq);
    auto r = sup.engine->SyncOnce();
    INFO("tampered envelope " << at + 1 << " of 20");
    REQUIRE(r.ok());
    CHECK(r->refused == 1);
    CHECK(sup.Count("SELECT count(*) FROM kase") == 19);
    auto st = sup.engine->Status().value();
    REQUIRE(st.refusals.size() == 1);
    CHECK(st.refusals[0].seq == bad_seq);
    CHECK(st.refusals[0].reason.find("signature of batch") != std::string::npos);
    CHECK(sup.Count("SELECT count(*) FROM kase WHERE scope='" + st.refusals[0].scope + "'") == 0);
    RestoreCiphertext(w, bad_seq, original);
    rewind();
  }
  Sync(sup);
  CHECK(sup.Count("SELECT count(*) FROM kase") == 20);
  CHECK(sup.engine->Status().value().refused == 0);
}

TEST_CASE("A tampered envelope on a prefetched page is quarantined and its page mates apply",
          "[sync][engine]") {
  EngineWorld w;
  EngineOptions opts;
  opts.pull_limit = 2;
  PushedCases pushed = PushCasesAfterSupervisorSync(w, 10, opts);
  EngineDevice& sup = pushed.sup;
  // The second envelope of the third page (pages of two): fetched by the prefetch thread.
  const std::int64_t bad_seq = pushed.first_seq + 5;
  ScrambleCiphertext(w, bad_seq);
  auto scope_of = [&](std::int64_t seq) {
    auto db = storage::Database::Open(w.server_db_path());
    REQUIRE(db.ok());
    auto st = db->Prepare("SELECT scope FROM envelopes WHERE seq = ?");
    REQUIRE(st.ok());
    st->Bind(1, seq);
    REQUIRE(st->Step().value());
    return st->Text(0);
  };
  const std::string page_mate = scope_of(bad_seq - 1), bad_scope = scope_of(bad_seq);
  const std::int64_t default_checkpoint = sup.Count("PRAGMA wal_autocheckpoint");
  const std::int64_t default_cache = sup.Count("PRAGMA cache_size");

  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = sup.engine->SyncOnce();
    REQUIRE(r.ok());
    CHECK(r->refused == (attempt == 0 ? 1 : 0));
    CHECK(sup.Count("SELECT count(*) FROM kase") == 9);
    CHECK(sup.Count("SELECT count(*) FROM kase WHERE scope='" + page_mate + "'") == 1);
    CHECK(sup.Count("SELECT count(*) FROM kase WHERE scope='" + bad_scope + "'") == 0);
    auto st = sup.engine->Status().value();
    CHECK(st.last_error.empty());
    REQUIRE(st.refusals.size() == 1);
    CHECK(st.refusals[0].seq == bad_seq);
    CHECK(st.refusals[0].reason.find("signature of batch") != std::string::npos);
    CHECK(sup.Count("PRAGMA wal_autocheckpoint") == default_checkpoint);  // restored
    CHECK(sup.Count("PRAGMA cache_size") == default_cache);
  }
}

TEST_CASE("A session that expires during a pipelined pull is renewed and nothing is lost",
          "[sync][engine]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1);
  EngineOptions opts;
  opts.pull_limit = 2;
  int pages = 0;
  opts.fault = [&](std::string_view point) -> Result<void> {
    if (point == "pull-page-applied" && ++pages == 1) {
      // The server forgets every session: the next prefetch carries a dead token (401).
      auto db = storage::Database::Open(w.server_db_path());
      if (!db.ok()) return db.error();
      return db->Exec("DELETE FROM sessions");
    }
    return Ok();
  };
  EngineDevice& sup = w.Enrol(sv, opts);
  Sync(sup);
  for (int i = 0; i < 10; ++i) off.WriteCase("c" + std::to_string(i), "t", o1, w.unit());
  Sync(off);
  const std::int64_t refused_before =
      w.CountLog("GET /v1/pull 401") + w.CountLog("GET /v1/pull 403");
  pages = 0;
  const SyncReport rep = Sync(sup);
  CHECK(pages == 5);
  CHECK(rep.pulled_envelopes == 10);  // each page once
  CHECK(sup.Count("SELECT count(*) FROM kase") == 10);
  // The dead token was refused and the device logged in again: one new session.
  CHECK(w.CountLog("GET /v1/pull 401") + w.CountLog("GET /v1/pull 403") > refused_before);
  CHECK(ServerCount(w, "SELECT count(*) FROM sessions") == 1);
  CHECK(sup.engine->Status().value().last_error.empty());
}
