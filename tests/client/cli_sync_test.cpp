// Scenario through the command line: a real lietvedis-server on loopback, four devices
// enrolled with `lietvedis enrol` (two officers, a supervisor, a volunteer coordinator), an
// officer's new client synced to the others. Checks who receives what, the sync status, and
// that the central store's file holds no case text.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>

#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_LIETVEDIS_BIN
#error "LV_LIETVEDIS_BIN must name the lietvedis binary"
#endif
#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server binary"
#endif

namespace {

using lietvedis::testing::TempDir;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Device {
  Device(TempDir& t, std::string n) : tmp(t), name(std::move(n)) {}
  TempDir& tmp;
  std::string name;
  std::string out, err;
  // Runs `lietvedis --data DIR ARGS`; returns the exit code and keeps stdout/stderr.
  int Run(const std::string& args) {
    const std::string out_file = tmp / (name + ".out"), err_file = tmp / (name + ".err");
    const std::string cmd = std::string("'") + LV_LIETVEDIS_BIN + "' --data '" + (tmp / name) +
                            "' " + args + " >'" + out_file + "' 2>'" + err_file + "' </dev/null";
    const int status = std::system(cmd.c_str());
    out = Slurp(out_file);
    err = Slurp(err_file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

}  // namespace

TEST_CASE(
    "cli: two officers, a supervisor and a coordinator enrol and sync through the central store",
    "[client][cli][sync]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  setenv("LIETVEDIS_PASSPHRASE", "ļoti-slepena-parole", 1);
  TempDir tmp;
  const std::string store = "sqlite:" + (tmp / "central.db");
  auto admin = [&](const std::string& args) {
    return lietvedis::testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer =
      admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  const std::string officer2 =
      admin("user add --unit " + unit + " --role officer --name 'Jānis Kalniņš'");
  const std::string supervisor =
      admin("user add --unit " + unit + " --role supervisor --name 'Anna Vītola'");
  const std::string coordinator =
      admin("user add --unit " + unit + " --role volunteer_coordinator --name 'Dace Krūmiņa'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, store);

  Device o{tmp, "officer"}, o2{tmp, "officer2"}, s{tmp, "supervisor"}, c{tmp, "coordinator"};
  for (auto [device, user] :
       {std::pair{&o, officer}, {&o2, officer2}, {&s, supervisor}, {&c, coordinator}}) {
    const std::string code =
        admin("enrol-code --user " + user + " --server-url http://" + server.address());
    INFO(device->name << ": " << device->err);
    REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
    CHECK(device->out.find("RECOVERY KIT") != std::string::npos);
  }
  // A code is single use.
  {
    const std::string code =
        admin("enrol-code --user " + officer + " --server-url http://" + server.address());
    Device again{tmp, "again"};
    REQUIRE(again.Run("enrol --code '" + code + "' --device-name test") == 0);
    Device third{tmp, "third"};
    CHECK(third.Run("enrol --code '" + code + "' --device-name test") != 0);
  }

  // The officer registers a client offline (no sync yet): it is pending.
  REQUIRE(o.Run("client register --name Jānis --surname Bērziņš --personal-code 150385-11001 "
                "--birth-date 15.03.1985"
                " --kind conditional_sentence --opened 01.03.2026") == 0);
  std::string case_id = o.out;
  while (!case_id.empty() && (case_id.back() == '\n' || case_id.back() == ' ')) case_id.pop_back();
  REQUIRE(case_id.size() == 32);
  // A second client, not referred for peer mentoring; the first is referred with consent.
  REQUIRE(o.Run("client register --name Anna --surname Ozola --personal-code 010190-11004"
                " --kind conditional_sentence --opened 02.03.2026") == 0);
  CHECK(o.Run("mentoring refer --case " + case_id) != 0);  // the consent date is required
  REQUIRE(o.Run("mentoring refer --case " + case_id + " --consent-on 03.03.2026") == 0);
  REQUIRE(o.Run("--json sync --status") == 0);
  CHECK(nlohmann::json::parse(o.out)["pending"].get<long long>() > 0);

  INFO(o.err);
  REQUIRE(o.Run("sync --quiet") == 0);
  REQUIRE(o.Run("--json sync --status") == 0);
  const auto status = nlohmann::json::parse(o.out);
  CHECK(status["pending"].get<long long>() == 0);
  CHECK(status["last_error"].get<std::string>().empty());

  // The supervisor of the unit receives the case file.
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(s.Run("--json list") == 0);
  auto list = nlohmann::json::parse(s.out);
  REQUIRE(list.size() == 2);  // Bērziņš and Ozola, in Latvian order
  CHECK(list[0]["case_id"] == case_id);
  CHECK(list[0]["surname"] == "Bērziņš");

  // The other officer receives nothing of it.
  REQUIRE(o2.Run("sync --quiet") == 0);
  REQUIRE(o2.Run("--json list") == 0);
  CHECK(nlohmann::json::parse(o2.out).empty());

  // The coordinator receives the client card only: search finds it, the case file is refused.
  REQUIRE(c.Run("sync --quiet") == 0);
  REQUIRE(c.Run("--json search berzins") == 0);
  auto cards = nlohmann::json::parse(c.out);
  REQUIRE(cards.size() == 1);
  CHECK(cards[0]["surname"] == "Bērziņš");
  CHECK(c.Run("show " + case_id) == 4);
  // Only the referred client's card is on the coordinator's device, and the personal code
  // finds nothing there.
  REQUIRE(c.Run("--json search a") == 0);
  CHECK(nlohmann::json::parse(c.out).size() == 1);
  REQUIRE(c.Run("--json search ozola") == 0);
  CHECK(nlohmann::json::parse(c.out).empty());
  REQUIRE(c.Run("--json search 150385-11001") == 0);
  CHECK(nlohmann::json::parse(c.out).empty());
  REQUIRE(o.Run("--json search 150385-11001") == 0);  // the officer's own search still does
  CHECK(nlohmann::json::parse(o.out).size() == 1);

  // A wrong passphrase is refused before any network traffic.
  setenv("LIETVEDIS_PASSPHRASE", "nepareiza parole", 1);
  CHECK(s.Run("sync") == 4);
  setenv("LIETVEDIS_PASSPHRASE", "ļoti-slepena-parole", 1);

  // A second laptop of the officer receives the case; then it is stolen. The administrator
  // revokes it with the root key: its next sync is refused, it checks the signed revocation and
  // erases its case data; the officer's first laptop goes on.
  {
    Device laptop{tmp, "laptop"};
    const std::string code =
        admin("enrol-code --user " + officer + " --server-url http://" + server.address());
    REQUIRE(laptop.Run("enrol --code '" + code + "' --device-name laptop") == 0);
    // The first laptop holds the case key: its next sync wraps it for the new device.
    REQUIRE(o.Run("sync --quiet") == 0);
    REQUIRE(laptop.Run("sync --quiet") == 0);
    REQUIRE(laptop.Run("--json list") == 0);
    REQUIRE(nlohmann::json::parse(laptop.out).size() == 2);  // both of the officer's clients
    REQUIRE(laptop.Run("--json sync --status") == 0);
    const std::string device_id = nlohmann::json::parse(laptop.out)["device_id"];
    admin("device revoke --device " + device_id + " --reason 'stolen laptop'");
    CHECK(laptop.Run("sync") != 0);
    CHECK(laptop.err.find("revoked") != std::string::npos);
    REQUIRE(laptop.Run("--json sync --status") == 0);
    CHECK(nlohmann::json::parse(laptop.out)["revoked"] == true);
    // Case files no longer open on it, and none is left in its store.
    CHECK(laptop.Run("--json list") == 4);
    CHECK(laptop.err.find("revoked") != std::string::npos);
    CHECK(Slurp(tmp / "laptop/store.db").find("Bērziņš") == std::string::npos);
    CHECK(o.Run("sync --quiet") == 0);
  }

  // The central store holds ciphertext only.
  const std::string central = Slurp(tmp / "central.db") + Slurp(tmp / "central.db-wal");
  REQUIRE(central.size() > 0);
  CHECK(central.find("Bērziņš") == std::string::npos);
  CHECK(central.find("150385-11001") == std::string::npos);
}
