// The root-signed directory end to end: a real central store whose own database is edited
// behind the administrator's back (a hostile or compromised server serves what it holds), and
// devices that must believe only what the organisation's root key signed.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "storage/database.hpp"
#include "sync/batch_codec.hpp"
#include "sync/directory.hpp"
#include "sync/envelope.hpp"
#include "sync/hlc.hpp"
#include "sync/root_key.hpp"
#include "sync/server/directory_admin.hpp"
#include "tests/sync/engine_world.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;

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

// Device ids holding a wrap of any version of `scope` on the server.
std::set<std::string> WrappedFor(EngineWorld& w, const std::string& scope) {
  auto db = ServerDb(w);
  auto st = db.Prepare("SELECT device_id FROM key_wraps WHERE scope=?");
  REQUIRE(st.ok());
  st->Bind(1, scope);
  std::set<std::string> out;
  for (;;) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    out.insert(st->Text(0));
  }
  return out;
}

bool Mentions(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("A device the central store adds on its own receives no key", "[sync][engine][trust]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  EngineDevice& off = w.Enrol(o1);
  off.WriteCase("c1", "MARKER-title", o1, w.unit());
  Sync(off);

  // The server registers a "second laptop" of the officer with a box key of its own: no
  // binding to any enrolment the root signed.
  const std::string fake = std::string(32, 'f');
  {
    auto db = ServerDb(w);
    REQUIRE(db.Run("INSERT INTO devices(device_id, user_id, name, sign_pk, box_pk, created_at)"
                   " VALUES(?, ?, 'fake', ?, ?, 0)",
                   fake, o1, storage::Blob(32, 7), storage::Blob(32, 9))
                .ok());
  }
  off.WriteCase("c1", "MARKER-title-2", o1, w.unit());
  Sync(off);  // the directory changed: the engine asks which wraps are missing
  CHECK(WrappedFor(w, "case:c1").count(fake) == 0);
  auto st = off.engine->Status();
  REQUIRE(st.ok());
  CHECK(Mentions(st->directory_refusals, "device " + fake + " has no enrolment binding"));

  // Worse: the server binds the fake device to the officer's real enrolment by copying the
  // real device's binding. Two devices on one enrolment: neither is believed for new keys, so
  // the server gains nothing (and the officer's status says why).
  {
    auto db = ServerDb(w);
    REQUIRE(db.Run("UPDATE devices SET enrol_pk=(SELECT enrol_pk FROM devices WHERE device_id=?),"
                   " binding_sig=(SELECT binding_sig FROM devices WHERE device_id=?)"
                   " WHERE device_id=?",
                   off.engine->Profile().device_id, off.engine->Profile().device_id, fake)
                .ok());
  }
  off.WriteCase("c2", "MARKER-other", o1, w.unit());
  Sync(off);
  CHECK(WrappedFor(w, "case:c2").count(fake) == 0);
  st = off.engine->Status();
  REQUIRE(st.ok());
  CHECK(Mentions(st->directory_refusals, "shares its enrolment"));
}

TEST_CASE("A role the central store changes is not believed, a rollback is tampering",
          "[sync][engine][trust]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string o2 = w.AddUser("officer", "Officer Two");
  EngineDevice& off1 = w.Enrol(o1);
  EngineDevice& off2 = w.Enrol(o2);
  off1.WriteCase("c1", "MARKER-title", o1, w.unit());
  Sync(off1);
  Sync(off2);

  // The server makes officer two a supervisor in its own tables (so it serves them the unit)
  // and appends a statement saying so, signed by a key of its own.
  auto fake_root = RootKey::Generate();
  REQUIRE(fake_root.ok());
  {
    auto db = ServerDb(w);
    auto head = w.store().DirectoryHead();
    REQUIRE(head.ok());
    directory::Statement s;
    s.n = head->first + 1;
    s.prev = directory::StatementHash(head->second);
    s.kind = directory::kKindUser;
    s.user_id = o2;
    s.display_name = "Officer Two";
    s.role = "supervisor";
    s.unit_id = w.unit();
    const std::string text = directory::StatementText(s);
    auto sig = fake_root->SignStatement(text);
    REQUIRE(sig.ok());
    REQUIRE(w.store().AppendStatement(s.n, text, *sig).ok());
    REQUIRE(db.Run("UPDATE users SET role='supervisor' WHERE user_id=?", o2).ok());
  }
  Sync(off2);
  CHECK(off2.engine->Profile().role == "officer");  // its own device does not believe it
  auto st = off2.engine->Status();
  REQUIRE(st.ok());
  CHECK(Mentions(st->directory_refusals, "is not signed by the organisation's root key"));
  // Officer one writes again: the wrap of case:c1 never goes to officer two's device.
  off1.WriteCase("c1", "MARKER-title-2", o1, w.unit());
  Sync(off1);
  CHECK(WrappedFor(w, "case:c1").count(off2.engine->Profile().device_id) == 0);

  // The server drops the last genuine statements: a device that saw them refuses the sync.
  {
    auto db = ServerDb(w);
    REQUIRE(db.Exec("DELETE FROM directory_log WHERE n >= (SELECT max(n) - 1 FROM directory_log)")
                .ok());
  }
  auto r = off1.engine->SyncOnce();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kTampered);
  CHECK(r.error().message.find("verified earlier") != std::string::npos);
}

TEST_CASE("Revocation: the organisation cuts a lost laptop off, the central store cannot fake it",
          "[sync][engine][trust]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  EngineDevice& laptop = w.Enrol(o1);
  EngineDevice& desktop = w.Enrol(o1);
  laptop.WriteCase("c1", "MARKER-title", o1, w.unit());
  Sync(laptop);
  Sync(desktop);
  REQUIRE(desktop.Count("SELECT count(*) FROM kase") == 1);
  const std::string lost = laptop.engine->Profile().device_id;

  SECTION("a revocation the server makes up is refused, and erases nothing") {
    {
      auto db = ServerDb(w);
      REQUIRE(db.Run("UPDATE devices SET revoked=1 WHERE device_id=?", lost).ok());
    }
    auto r = laptop.engine->SyncOnce();
    REQUIRE_FALSE(r.ok());
    CHECK(laptop.revocations_seen == 0);
    CHECK(laptop.Count("SELECT count(*) FROM kase") == 1);
    CHECK_FALSE(laptop.engine->Status().value().revoked);
  }
  SECTION("the root-signed revocation: sessions refused, data erased, no new key for it") {
    REQUIRE(w.admin().RevokeDevice(lost, "stolen laptop", server::SystemNowMs()).ok());
    auto r = laptop.engine->SyncOnce();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kNotPermitted);
    CHECK(r.error().message.find("stolen laptop") != std::string::npos);
    CHECK(laptop.revocations_seen == 1);
    CHECK(laptop.Count("SELECT count(*) FROM kase") == 0);
    CHECK(laptop.engine->Status().value().revoked);
    // It stays revoked, after a restart too, without asking the server again.
    laptop.Reopen();
    auto again = laptop.engine->SyncOnce();
    REQUIRE_FALSE(again.ok());
    CHECK(laptop.revocations_seen == 1);

    // The officer's other device goes on; the lost laptop is no longer in its directory, so
    // no key it creates is wrapped for it.
    desktop.WriteCase("c2", "MARKER-after", o1, w.unit());
    Sync(desktop);
    CHECK(WrappedFor(w, "case:c2").count(lost) == 0);
    CHECK(WrappedFor(w, "case:c2").count(desktop.engine->Profile().device_id) == 1);
  }
  SECTION("signed by an administrator key the root certified, in a fresh process too") {
    auto admin_key = RootKey::GenerateAdministrator(w.root().public_key());
    REQUIRE(admin_key.ok());
    REQUIRE(w.admin()
                .SetAdministrator(admin_key->public_key(), "Day-to-day administrator", true,
                                  server::SystemNowMs())
                .ok());
    Sync(laptop);  // the laptop's stored directory now names the administrator key
    server::DirectoryAdmin day_to_day(w.store(), *admin_key);
    REQUIRE(day_to_day.RevokeDevice(lost, "left in a taxi", server::SystemNowMs()).ok());
    laptop.Reopen();  // as a new `lietvedis` process: no directory in memory
    auto r = laptop.engine->SyncOnce();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("left in a taxi") != std::string::npos);
    CHECK(laptop.revocations_seen == 1);
    CHECK(laptop.Count("SELECT count(*) FROM kase") == 0);
    // The desktop believes it too: the laptop is gone from its directory.
    Sync(desktop);
    auto st = desktop.engine->Status();
    REQUIRE(st.ok());
    CHECK(st->directory_refusals.empty());
  }
  SECTION("an administrator key the root withdrew can change nothing") {
    auto admin_key = RootKey::GenerateAdministrator(w.root().public_key());
    REQUIRE(admin_key.ok());
    const std::int64_t now = server::SystemNowMs();
    REQUIRE(w.admin().SetAdministrator(admin_key->public_key(), "Lost key", true, now).ok());
    REQUIRE(w.admin().SetAdministrator(admin_key->public_key(), "Lost key", false, now).ok());
    auto head_before = w.store().DirectoryHead();
    REQUIRE(head_before.ok());
    server::DirectoryAdmin finder(w.store(), *admin_key);
    auto r = finder.RevokeDevice(lost, "the finder's revocation", now);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kNotPermitted);
    CHECK(r.error().message.find("was withdrawn") != std::string::npos);
    CHECK(finder.SetAdministrator(admin_key->public_key(), "again", true, now).error().code ==
          Errc::kNotPermitted);
    // Nothing was written: the log and the server's device row are as they were.
    CHECK(w.store().DirectoryHead().value().first == head_before->first);
    Sync(laptop);
    CHECK(laptop.Count("SELECT count(*) FROM kase") == 1);
  }
}

TEST_CASE("Revocation rotates: what is written after it is closed to the revoked device's keys",
          "[sync][engine][trust][keys]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& laptop = w.Enrol(o1);
  EngineDevice& desktop = w.Enrol(o1);
  EngineDevice& sup = w.Enrol(sv);
  laptop.WriteCase("c1", "MARKER-morning", o1, w.unit());
  Sync(laptop);
  Sync(desktop);
  Sync(sup);
  REQUIRE(desktop.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-morning");
  const std::string lost = laptop.engine->Profile().device_id;

  // What a thief takes: a copy of the laptop's store with its keys, made before the
  // revocation (the device's own erasure never runs on a copy).
  const std::string stolen_path = w.dir() / "stolen-laptop.db";
  REQUIRE(laptop.db.Run("VACUUM INTO ?", stolen_path).ok());
  auto stolen_db = storage::Database::Open(stolen_path);
  REQUIRE(stolen_db.ok());
  auto stolen = Keyring::Open(*stolen_db);
  REQUIRE(stolen.ok());

  // Mid-day the organisation revokes the laptop. The officer's desktop writes next: its sync
  // sees the laptop leave the verified directory and rotates the case key to the remaining
  // readers.
  REQUIRE(w.admin().RevokeDevice(lost, "stolen laptop", server::SystemNowMs()).ok());
  desktop.WriteCase("c1", "MARKER-afternoon", o1, w.unit());
  Sync(desktop);
  auto scope = w.store().GetScope("case:c1");
  REQUIRE(scope.ok());
  CHECK(scope->key_version == 2);
  // Its own version-1 wrap, from the morning, left the store with its revocation (a wrap a
  // device made goes with it), and no version-2 wrap was made for it.
  CHECK(WrappedFor(w, "case:c1").count(lost) == 0);
  {
    auto db = ServerDb(w);
    CHECK(db.QueryInt("SELECT count(*) FROM key_wraps WHERE scope='case:c1' AND key_version=2"
                      " AND device_id='" +
                      lost + "'")
              .value() == 0);
  }
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-afternoon");
  // Settled: the next write does not rotate again.
  desktop.WriteCase("c1", "MARKER-evening", o1, w.unit());
  Sync(desktop);
  CHECK(w.store().GetScope("case:c1").value().key_version == 2);

  // Every envelope of the case, as the central store serves it: the stolen keys open the
  // morning's and none written after the rotation.
  auto officer = w.store().GetUser(o1);
  REQUIRE(officer.ok());
  server::PullQuery q;
  q.limit = 1000;
  auto page = w.store().Pull(*officer, q);
  REQUIRE(page.ok());
  int before = 0, after = 0;
  for (const auto& e : page->envelopes) {
    if (e.scope != "case:c1") continue;
    auto author = w.store().GetDevice(e.author_device);
    REQUIRE(author.ok());
    auto opened = (*stolen)->Open(e, author->sign_pk);
    if (e.key_version == 1) {
      ++before;
      CHECK(opened.ok());
    } else {
      ++after;
      CHECK(e.key_version == 2);
      REQUIRE_FALSE(opened.ok());
      CHECK(opened.error().code == Errc::kNotFound);
    }
  }
  CHECK(before == 1);
  CHECK(after == 2);

  // The revoked laptop itself is refused and erases its case data.
  CHECK_FALSE(laptop.engine->SyncOnce().ok());
  CHECK(laptop.Count("SELECT count(*) FROM kase") == 0);
}

TEST_CASE("A key version wrapped only by a device since revoked is wrapped again by another",
          "[sync][engine][trust][keys]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& laptop = w.Enrol(o1);
  EngineDevice& desktop = w.Enrol(o1);
  desktop.WriteCase("c1", "MARKER-written", o1, w.unit());
  Sync(desktop);
  Sync(laptop);  // holds version 1 now, from the desktop's wrap
  REQUIRE(laptop.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-written");
  // A supervisor's device enrolled later: the laptop syncs first and wraps version 1 for it.
  EngineDevice& sup = w.Enrol(sv);
  Sync(laptop);
  const std::string lost = laptop.engine->Profile().device_id;
  const std::string sup_id = sup.engine->Profile().device_id;
  REQUIRE(WrappedFor(w, "case:c1").count(sup_id) == 1);

  // The laptop is revoked before the supervisor's device fetched that wrap. Its wraps leave
  // the server with it, so the supervisor's device is listed as lacking version 1 again.
  REQUIRE(w.admin().RevokeDevice(lost, "lost laptop", server::SystemNowMs()).ok());
  CHECK(WrappedFor(w, "case:c1").count(sup_id) == 0);
  Sync(sup);
  CHECK(sup.Count("SELECT count(*) FROM kase") == 0);  // waiting for the key, nothing refused
  CHECK(sup.engine->Status().value().refused == 0);
  // The officer's desktop, which holds version 1, wraps it for the supervisor's device.
  Sync(desktop);
  CHECK(WrappedFor(w, "case:c1").count(sup_id) == 1);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-written");
  CHECK(sup.engine->Status().value().refused == 0);
}

TEST_CASE(
    "What a lost laptop pushed before its revocation stays readable, what is stored after "
    "is refused",
    "[sync][engine][trust][keys]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& laptop = w.Enrol(o1);
  EngineDevice& desktop = w.Enrol(o1);
  laptop.WriteCase("c1", "MARKER-before", o1, w.unit());
  Sync(laptop);
  Sync(desktop);  // holds the case key now
  const std::string lost = laptop.engine->Profile().device_id;
  const auto before = w.store().MaxSeq();
  REQUIRE(before.ok());

  // Revoked: the statement names the last sequence the store held.
  REQUIRE(w.admin().RevokeDevice(lost, "stolen laptop", server::SystemNowMs()).ok());
  {
    auto dir = w.store().LoadDirectory();
    REQUIRE(dir.ok());
    auto s = directory::ParseStatement(dir->log.back().text);
    REQUIRE(s.ok());
    CHECK(s->kind == directory::kKindRevoke);
    CHECK(s->stored_until == *before);
  }
  // The finder, with the central store's help, slips in a push signed with the laptop's keys.
  {
    auto keys = Keyring::Open(laptop.db);
    REQUIRE(keys.ok());
    const std::vector<Change> forged = {
        Change{"case:c1", "kase", "c1", "title", std::string("MARKER-thief"),
               Stamp{HlcPack(server::SystemNowMs() + 1000, 0), lost}, Stamp{}}};
    auto plain = EncodeBatch("case:c1", forged);
    REQUIRE(plain.ok());
    auto env = (*keys)->Seal("case:c1", NewBatchId(), lost, *plain);
    REQUIRE(env.ok());
    REQUIRE(
        w.store()
            .AppendEnvelopes(std::span<const protocol::Envelope>(&*env, 1), server::SystemNowMs())
            .ok());
  }

  // A supervisor's device that joins afterwards reads what the laptop wrote in time (the key
  // comes from the officer's desktop) and nothing of the finder's.
  EngineDevice& sup = w.Enrol(sv);
  Sync(sup);
  Sync(desktop);
  Sync(sup);
  INFO("deferred " << sup.Count("SELECT count(*) FROM sync_deferred") << ", keys "
                   << sup.Count("SELECT count(*) FROM sync_scope_keys WHERE scope='case:c1'")
                   << ", wraps for it "
                   << WrappedFor(w, "case:c1").count(sup.engine->Profile().device_id));
  const auto sup_status = sup.engine->Status();
  REQUIRE(sup_status.ok());
  std::string refusals;
  for (const auto& r : sup_status->refusals) refusals += r.what + ": " + r.reason + "\n";
  INFO(refusals);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-before");
  CHECK(desktop.Text("SELECT title FROM kase WHERE id='c1'") == "MARKER-before");
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  REQUIRE(st->refused == 1);
  CHECK(st->refusals[0].author_device == lost);
  CHECK(st->refusals[0].reason.find("after the device's revocation") != std::string::npos);
  CHECK(st->refusals[0].ground == sync::kRefusalRevoked);
}

TEST_CASE("The directory a device last verified names its users, devices and revocations",
          "[sync][engine][trust]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& laptop = w.Enrol(o1);
  EngineDevice& desk = w.Enrol(sv);
  // Before its first sync a device has none to show.
  CHECK(desk.engine->LastDirectory().error().code == Errc::kNotFound);
  const std::string lost = laptop.engine->Profile().device_id;
  const std::int64_t before = server::SystemNowMs();
  REQUIRE(w.admin().RevokeDevice(lost, "stolen laptop", server::SystemNowMs()).ok());
  Sync(desk);

  auto known = desk.engine->LastDirectory();
  REQUIRE(known.ok());
  std::set<std::string> users, devices;
  for (const auto& u : known->current.users) users.insert(u.display_name);
  for (const auto& d : known->current.devices) devices.insert(d.device_id);
  CHECK(users == std::set<std::string>{"Officer One", "Supervisor"});
  CHECK(devices == std::set<std::string>{desk.engine->Profile().device_id});
  REQUIRE(known->revoked.size() == 1);
  CHECK(known->revoked[0].device_id == lost);
  CHECK(known->revoked[0].user_id == o1);
  CHECK(known->revoked[0].reason == "stolen laptop");
  CHECK(known->revoked[0].issued_at_ms >= before);
  CHECK(known->head_n > 0);

  // The copy kept on the device is verified again when read: an edit is tampering.
  REQUIRE(desk.db
              .Run("UPDATE sync_engine_meta SET value=replace(value, 'stolen laptop', "
                   "'returned laptop') WHERE key='directory_body'")
              .ok());
  CHECK(desk.engine->LastDirectory().error().code == Errc::kTampered);
}

// The administrator's screen shows when each device last reached the central store
// (GET /v1/devices/seen): the store's word, fetched by an administrator's device at each sync
// and kept beside the verified directory. No other role may ask.
TEST_CASE(
    "An administrator's device learns when each device last reached the store, others may not",
    "[sync][engine][trust]") {
  EngineWorld w;
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string ad = w.AddUser("administrator", "Administrator");
  EngineDevice& off = w.Enrol(o1);
  EngineDevice& adm = w.Enrol(ad);
  const std::string off_id = off.engine->Profile().device_id;
  Sync(off);
  Sync(adm);
  auto known = adm.engine->LastDirectory();
  REQUIRE(known.ok());
  CHECK(known->seen_as_of_ms > 0);
  REQUIRE(known->seen.count(off_id) == 1);
  const std::int64_t first = known->seen.at(off_id).last_seen_ms;
  CHECK(first > 0);
  CHECK(known->seen.at(off_id).enrolled_at_ms > 0);
  CHECK(known->seen.at(off_id).enrolled_at_ms <= first);
  CHECK(known->seen.at(adm.engine->Profile().device_id).last_seen_ms > 0);
  // The officer syncs again later: the next administrator's sync shows it.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Sync(off);
  Sync(adm);
  known = adm.engine->LastDirectory();
  REQUIRE(known.ok());
  CHECK(known->seen.at(off_id).last_seen_ms > first);

  // An officer's device neither fetches nor keeps it, and the store refuses the officer.
  auto mine = off.engine->LastDirectory();
  REQUIRE(mine.ok());
  CHECK(mine->seen.empty());
  CHECK(mine->seen_as_of_ms == 0);
  const std::string token =
      off.Text("SELECT value FROM sync_engine_meta WHERE key='session_token'");
  REQUIRE(!token.empty());
  httplib::Client cli(w.url());
  const std::string version = std::to_string(protocol::kProtocolVersion);
  auto refused = cli.Get("/v1/devices/seen", {{protocol::kProtocolHeader, version},
                                              {"Authorization", "Bearer " + token}});
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(refused->body.find("for administrators only") != std::string::npos);
  auto anonymous = cli.Get("/v1/devices/seen", {{protocol::kProtocolHeader, version}});
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
}
