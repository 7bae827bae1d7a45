// Transfers of a case between units through the real server (client/workflows_transfer.cpp,
// sync/engine_transfer.cpp, sync/server/transfers.cpp): the sending supervisor offers, the
// receiving supervisor reads the case meanwhile and accepts with a new officer, who reads the
// whole history; the sending unit's devices lose the case and the key rotates. The server is
// also played hostile: an offer it invents by editing its own store brings no key to anyone.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "storage/database.hpp"
#include "storage/store.hpp"
#include "tests/support/cli_device.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server binary"
#endif

namespace {

using lietvedis::testing::TempDir;
constexpr const char* kPassphrase = lietvedis::testing::kCliPassphrase;
using Device = lietvedis::testing::CliDevice;

struct World {
  TempDir tmp;
  std::string path = tmp / "central.db";
  std::string store = "sqlite:" + path;
  std::string Admin(const std::string& args) {
    return lietvedis::testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  }
};

// The newest key version of `scope` held in the device's store (0: none).
std::int64_t KeyVersion(const Device& d, const std::string& scope) {
  auto store = lietvedis::storage::Store::Open(d.dir(), kPassphrase);
  REQUIRE(store.ok());
  auto v = (*store)->db().QueryInt(
      "SELECT coalesce(max(key_version), 0) FROM sync_scope_keys WHERE scope=?", scope);
  REQUIRE(v.ok());
  return *v;
}

// A scalar from the central store's own file (what a server operator sees).
std::int64_t Central(const World& w, const std::string& sql, const std::string& arg) {
  auto db = lietvedis::storage::Database::Open(w.path);
  REQUIRE(db.ok());
  auto v = db->QueryInt(sql, arg);
  REQUIRE(v.ok());
  return *v;
}

}  // namespace

TEST_CASE(
    "transfer: offered by the sending supervisor, read and accepted by the receiving one: the "
    "new officer reads the whole history, the sending unit loses the case and the key rotates",
    "[client][cli][sync][transfer]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
  World w;
  const std::string liepaja = w.Admin("unit add --region Kurzeme --name Liepāja");
  const std::string jelgava = w.Admin("unit add --region Zemgale --name Jelgava");
  const std::string valmiera = w.Admin("unit add --region Vidzeme --name Valmiera");
  const std::string o1 = w.Admin("user add --unit " + liepaja + " --role officer --name 'Ilze'");
  const std::string s1 = w.Admin("user add --unit " + liepaja + " --role supervisor --name 'Anna'");
  const std::string o2 = w.Admin("user add --unit " + jelgava + " --role officer --name 'Jānis'");
  const std::string s2 = w.Admin("user add --unit " + jelgava + " --role supervisor --name 'Dace'");
  const std::string s3 =
      w.Admin("user add --unit " + valmiera + " --role supervisor --name 'Rita'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, w.store);
  Device do1{w.tmp, "o1"}, ds1{w.tmp, "s1"}, do2{w.tmp, "o2"}, ds2{w.tmp, "s2"}, ds3{w.tmp, "s3"};
  for (auto [device, user] :
       {std::pair{&do1, o1}, {&ds1, s1}, {&do2, o2}, {&ds2, s2}, {&ds3, s3}}) {
    const std::string code = w.Admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    INFO(device->name << ": " << device->err);
    REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
  }
  auto sync = [](Device& d) {
    INFO(d.name << ": " << d.err);
    REQUIRE(d.Run("sync --quiet") == 0);
  };

  const std::string marker = "Pārceļamaismarķieris";
  REQUIRE(do1.Run("client register --name Jānis --surname " + marker +
                  " --personal-code 150385-11001 --birth-date 15.03.1985"
                  " --kind conditional_sentence --opened 01.03.2026") == 0);
  const std::string c = do1.Id();
  REQUIRE(do1.Run("note add --case " + c + " --body 'Intervija Liepājā " + marker + "'") == 0);
  sync(do1);
  sync(ds1);
  const std::string scope = "case:" + c;
  const std::int64_t version_before = KeyVersion(do1, scope);
  REQUIRE(version_before >= 1);

  // Refusals before anything is written: the officer may not offer; the case's own unit and
  // an unknown unit are refused.
  CHECK(do1.Run("transfer offer --case " + c + " --to-unit " + jelgava + " --reason x") != 0);
  CHECK(ds1.Run("transfer offer --case " + c + " --to-unit " + liepaja + " --reason x") != 0);
  CHECK(ds1.err.find("to_unit_id") != std::string::npos);
  CHECK(ds1.Run("transfer offer --case " + c + " --to-unit nosuchunit --reason x") != 0);

  // The offer. Until the sending side syncs, the receiving supervisor has nothing.
  REQUIRE(ds1.Run("transfer offer --case " + c + " --to-unit " + jelgava +
                  " --reason 'Klients pārcēlās uz Jelgavu'") == 0);
  const std::string t = ds1.Id();
  REQUIRE(t.size() == 32);
  CHECK(ds1.Run("transfer offer --case " + c + " --to-unit " + valmiera + " --reason y") != 0);
  sync(ds1);  // reports the offer and wraps the case keys for Jelgava's supervisor
  CHECK(Central(w, "SELECT count(*) FROM scopes WHERE scope=? AND transfer_unit_id<>''", scope) ==
        1);

  // The receiving supervisor reads the case file to decide; Valmiera's does not.
  sync(ds2);
  sync(ds2);
  REQUIRE(ds2.Run("show " + c) == 0);
  CHECK(ds2.out.find("Intervija Liepājā " + marker) != std::string::npos);
  REQUIRE(ds2.Run("--json transfer list --incoming") == 0);
  auto incoming = nlohmann::json::parse(ds2.out);
  REQUIRE(incoming.size() == 1);
  CHECK(incoming[0]["id"] == t);
  CHECK(incoming[0]["status"] == "offered");
  CHECK(incoming[0]["reason"] == "Klients pārcēlās uz Jelgavu");
  sync(ds3);
  CHECK(ds3.Run("show " + c) != 0);
  // Jelgava's officer is not a reader until the case is theirs.
  sync(do2);
  CHECK(do2.Run("show " + c) != 0);
  // The receiving supervisor writes no note into a case that is not yet the unit's.
  CHECK(ds2.Run("note add --case " + c + " --body 'x'") != 0);

  // Acceptance: the new officer must be of the receiving unit.
  CHECK(ds2.Run("transfer accept --transfer " + t + " --officer " + o1) != 0);
  CHECK(ds2.err.find("new_officer_id") != std::string::npos);
  REQUIRE(ds2.Run("transfer accept --transfer " + t + " --officer " + o2) == 0);
  CHECK(ds2.Run("transfer decline --transfer " + t + " --reason late") != 0);  // decided
  sync(ds2);
  CHECK(Central(w,
                "SELECT count(*) FROM scopes WHERE scope=? AND unit_id IN (SELECT unit_id "
                "FROM users WHERE role='officer' AND display_name='Jānis')",
                scope) == 1);
  CHECK(KeyVersion(ds2, scope) > version_before);  // the first writer of Jelgava rotated

  // The new officer reads the whole history, Liepāja's note included, and writes on.
  sync(do2);
  sync(do2);
  REQUIRE(do2.Run("show " + c) == 0);
  CHECK(do2.out.find("Intervija Liepājā " + marker) != std::string::npos);
  REQUIRE(do2.Run("--json show " + c) == 0);
  auto shown = nlohmann::json::parse(do2.out);
  REQUIRE(shown["transfers"].size() == 1);
  CHECK(shown["transfers"][0]["status"] == "accepted");
  CHECK(shown["transfers"][0]["from_unit_id"] == liepaja);
  CHECK(shown["transfers"][0]["to_unit_id"] == jelgava);
  REQUIRE(do2.Run("note add --case " + c + " --body 'Pirmā tikšanās Jelgavā'") == 0);
  sync(do2);
  sync(ds2);
  REQUIRE(ds2.Run("show " + c) == 0);
  CHECK(ds2.out.find("Pirmā tikšanās Jelgavā") != std::string::npos);
  REQUIRE(ds2.Run("--json transfer list") == 0);
  auto all = nlohmann::json::parse(ds2.out);
  REQUIRE(all.size() == 1);
  CHECK(all[0]["status"] == "accepted");
  CHECK(all[0]["new_officer_id"] == o2);

  // The sending unit's devices lose the case at their next sync.
  sync(do1);
  CHECK(do1.Run("show " + c) != 0);
  CHECK(KeyVersion(do1, scope) == 0);
  sync(ds1);
  CHECK(ds1.Run("show " + c) != 0);
  REQUIRE(ds1.Run("--json sync --status") == 0);
  auto status = nlohmann::json::parse(ds1.out);
  bool purged = false;
  for (const auto& p : status["purged"]) purged = purged || p["scope"] == scope;
  CHECK(purged);
}

TEST_CASE(
    "transfer: an offer the server invents brings no key to the unit it names, and a declined "
    "offer leaves the receiving supervisor's device and the case stays",
    "[client][cli][sync][transfer][hostile]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
  World w;
  const std::string liepaja = w.Admin("unit add --region Kurzeme --name Liepāja");
  const std::string jelgava = w.Admin("unit add --region Zemgale --name Jelgava");
  const std::string o1 = w.Admin("user add --unit " + liepaja + " --role officer --name 'Ilze'");
  const std::string s1 = w.Admin("user add --unit " + liepaja + " --role supervisor --name 'Anna'");
  const std::string s2 = w.Admin("user add --unit " + jelgava + " --role supervisor --name 'Dace'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, w.store);
  Device do1{w.tmp, "o1"}, ds1{w.tmp, "s1"}, ds2{w.tmp, "s2"};
  for (auto [device, user] : {std::pair{&do1, o1}, {&ds1, s1}, {&ds2, s2}}) {
    const std::string code = w.Admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
  }
  REQUIRE(do1.Run("client register --name Anna --surname Ozola --personal-code 010190-11004"
                  " --kind conditional_sentence --opened 02.03.2026") == 0);
  const std::string invented_case = do1.Id();
  REQUIRE(do1.Run("client register --name Juris --surname Kalns --personal-code 150385-11001"
                  " --birth-date 15.03.1985 --kind conditional_sentence --opened 02.03.2026") == 0);
  const std::string declined_case = do1.Id();
  for (Device* d : {&do1, &ds1, &ds2}) REQUIRE(d->Run("sync --quiet") == 0);

  // The server, on its own, offers the first case to Jelgava (no supervisor asked for it): its
  // store is edited under the running server, as an operator could.
  {
    auto db = lietvedis::storage::Database::Open(w.path);
    REQUIRE(db.ok());
    REQUIRE(db->Run("UPDATE scopes SET transfer_unit_id=? WHERE scope=?", jelgava,
                    "case:" + invented_case)
                .ok());
  }
  // The officer's device holds the key; Jelgava's supervisor's device is listed as missing it.
  // A second device of the officer, enrolled now, changes the directory, so every device looks
  // again at which readers miss a key (FulfilMissingWraps) under the invented offer.
  Device do1b{w.tmp, "o1b"};
  REQUIRE(do1b.Run("enrol --code '" +
                   w.Admin("enrol-code --user " + o1 + " " + server.EnrolCodeArgs()) +
                   "' --device-name second") == 0);
  for (Device* d : {&ds2, &do1, &ds2, &do1, &ds2}) {
    INFO(d->name << ": " << d->err);
    REQUIRE(d->Run("sync --quiet") == 0);
  }
  // Jelgava's supervisor holds no key of the case and the server holds no wrap for its device.
  CHECK(KeyVersion(ds2, "case:" + invented_case) == 0);
  CHECK(ds2.Run("show " + invented_case) != 0);
  const std::string wraps_for_dace =
      "SELECT count(*) FROM key_wraps k JOIN devices d ON d.device_id=k.device_id "
      "JOIN users u ON u.user_id=d.user_id WHERE k.scope=? AND u.display_name='Dace'";
  CHECK(Central(w, wraps_for_dace, "case:" + invented_case) == 0);
  // Liepāja's supervisor's device, whose record of the case names no offer, withdraws the
  // invented one; still no wrap for Jelgava.
  REQUIRE(ds1.Run("sync --quiet") == 0);
  CHECK(Central(w, "SELECT count(*) FROM scopes WHERE scope=? AND transfer_unit_id=''",
                "case:" + invented_case) == 1);
  CHECK(Central(w, wraps_for_dace, "case:" + invented_case) == 0);

  // A real offer of the second case, declined: the receiving supervisor read it meanwhile and
  // loses it after the decline; the case stays with Liepāja and its officer.
  REQUIRE(ds1.Run("transfer offer --case " + declined_case + " --to-unit " + jelgava +
                  " --reason 'Klients pārcēlās'") == 0);
  const std::string t = ds1.Id();
  REQUIRE(ds1.Run("sync --quiet") == 0);
  REQUIRE(ds2.Run("sync --quiet") == 0);
  REQUIRE(ds2.Run("sync --quiet") == 0);
  REQUIRE(ds2.Run("show " + declined_case) == 0);
  REQUIRE(ds2.Run("transfer decline --transfer " + t + " --reason 'Nav brīvu amatpersonu'") == 0);
  INFO(ds2.err);
  REQUIRE(ds2.Run("sync --quiet") == 0);
  CHECK(Central(w, "SELECT count(*) FROM scopes WHERE scope=? AND transfer_unit_id=''",
                "case:" + declined_case) == 1);
  REQUIRE(ds2.Run("sync --quiet") == 0);
  CHECK(ds2.Run("show " + declined_case) != 0);
  REQUIRE(ds1.Run("sync --quiet") == 0);
  REQUIRE(ds1.Run("--json transfer list") == 0);
  auto all = nlohmann::json::parse(ds1.out);
  REQUIRE(all.size() == 1);
  CHECK(all[0]["status"] == "declined");
  CHECK(all[0]["decision_note"] == "Nav brīvu amatpersonu");
  REQUIRE(do1.Run("sync --quiet") == 0);
  REQUIRE(do1.Run("show " + declined_case) == 0);
  REQUIRE(do1.Run("note add --case " + declined_case + " --body 'Turpinām Liepājā'") == 0);
  REQUIRE(do1.Run("sync --quiet") == 0);
}
