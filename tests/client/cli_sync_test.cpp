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

#include "storage/database.hpp"
#include "tests/support/cli_device.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server binary"
#endif

namespace {

using lietvedis::testing::TempDir;

using Device = lietvedis::testing::CliDevice;
using lietvedis::testing::SlurpFile;

}  // namespace

TEST_CASE(
    "cli: two officers, a supervisor and a coordinator enrol and sync through the central store",
    "[client][cli][sync]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
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
    const std::string code = admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    INFO(device->name << ": " << device->err);
    // The code kept off the command line (visible in ps): from a file, or from stdin.
    const std::string code_file = tmp / (device->name + ".code");
    std::ofstream(code_file) << code << "\n";
    if (device == &o) {
      REQUIRE(device->Run("enrol --code-file '" + code_file + "' --device-name test") == 0);
    } else if (device == &o2) {
      REQUIRE(device->Run("enrol --code - --device-name test", code_file) == 0);
    } else {
      REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
    }
    CHECK(device->out.find("RECOVERY KIT") != std::string::npos);
  }
  // Neither --code nor --code-file: refused with the way to give it.
  {
    Device none{tmp, "none"};
    CHECK(none.Run("enrol --device-name test") == 3);
    CHECK(none.err.find("--code-file PATH or --code -") != std::string::npos);
  }
  // A code is single use.
  {
    const std::string code = admin("enrol-code --user " + officer + " " + server.EnrolCodeArgs());
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
  // Every row of the real schema fits its scope and was stamped by its author: nothing refused.
  REQUIRE(s.Run("--json sync --status") == 0);
  {
    const auto sup_status = nlohmann::json::parse(s.out);
    CHECK(sup_status["refused"].get<long long>() == 0);
    CHECK(sup_status["refusals"].empty());
  }
  REQUIRE(s.Run("sync --status") == 0);
  CHECK(s.out.find("refused:") == std::string::npos);

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
  REQUIRE(c.Run("--json sync --status") == 0);
  CHECK(nlohmann::json::parse(c.out)["refused"].get<long long>() == 0);
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
  {
    const std::string kept = s.passphrase_file;
    s.passphrase_file = tmp / "wrong.passphrase";
    std::ofstream(s.passphrase_file) << "nepareiza parole\n";
    CHECK(s.Run("sync") == 4);
    s.passphrase_file = kept;
  }

  // A second laptop of the officer receives the case; then it is stolen. The administrator
  // revokes it with the root key: its next sync is refused, it checks the signed revocation and
  // erases its case data; the officer's first laptop goes on.
  {
    Device laptop{tmp, "laptop"};
    const std::string code = admin("enrol-code --user " + officer + " " + server.EnrolCodeArgs());
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
    CHECK(SlurpFile(tmp / "laptop/store.db").find("Bērziņš") == std::string::npos);
    CHECK(o.Run("sync --quiet") == 0);
  }

  // The central store holds ciphertext only.
  const std::string central = SlurpFile(tmp / "central.db") + SlurpFile(tmp / "central.db-wal");
  REQUIRE(central.size() > 0);
  CHECK(central.find("Bērziņš") == std::string::npos);
  CHECK(central.find("150385-11001") == std::string::npos);
}

TEST_CASE("cli: enrolment pins the real server's certificate, another certificate is refused",
          "[client][cli][sync][tls]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
  TempDir tmp;
  const std::string store = "sqlite:" + (tmp / "central.db");
  auto admin = [&](const std::string& args) {
    return lietvedis::testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer =
      admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  const std::string supervisor =
      admin("user add --unit " + unit + " --role supervisor --name 'Anna Vītola'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, store);
  REQUIRE(server.url().rfind("https://127.0.0.1:", 0) == 0);

  // A code pinning another certificate (as if someone between presented their own): the
  // device refuses the server at the handshake, says so, and keeps nothing.
  const auto other = lietvedis::testing::MakeTestCertificate(tmp.path().string(), "other");
  REQUIRE(other.fingerprint != server.certificate().fingerprint);
  const std::string wrong = admin("enrol-code --user " + officer + " --server-url " + server.url() +
                                  " --cert '" + other.cert_file + "'");
  Device refused{tmp, "refused"};
  CHECK(refused.Run("enrol --code '" + wrong + "' --device-name test") != 0);
  INFO(refused.err);
  CHECK(refused.err.find("the server at " + server.url()) != std::string::npos);
  CHECK(refused.err.find("does not match the one pinned at enrolment") != std::string::npos);
  CHECK(refused.err.find(server.certificate().fingerprint) != std::string::npos);
  CHECK(refused.err.find(other.fingerprint) != std::string::npos);
  CHECK_FALSE(std::ifstream(tmp / "refused/store.db").good());

  // The right pin: enrol, write, sync, and the supervisor receives it over the same TLS.
  Device o{tmp, "officer"}, s{tmp, "supervisor"};
  for (auto [device, user] : {std::pair{&o, officer}, {&s, supervisor}}) {
    const std::string code = admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    INFO(device->name << ": " << device->err);
    REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
  }
  REQUIRE(o.Run("--json sync --status") == 0);
  CHECK(nlohmann::json::parse(o.out)["server_url"] == server.url());
  REQUIRE(o.Run("client register --name Jānis --surname Bērziņš --personal-code 150385-11001 "
                "--birth-date 15.03.1985 --kind conditional_sentence --opened 01.03.2026") == 0);
  INFO(o.err);
  REQUIRE(o.Run("sync --quiet") == 0);
  INFO(s.err);
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(s.Run("--json list") == 0);
  auto list = nlohmann::json::parse(s.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["surname"] == "Bērziņš");
}

TEST_CASE(
    "cli: after a reassignment the new owner, and a supervisor's new laptop, read the whole "
    "case file",
    "[client][cli][sync]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
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
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, store);
  auto enrol = [&](Device& device, const std::string& user) {
    const std::string code = admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    INFO(device.name << ": " << device.err);
    REQUIRE(device.Run("enrol --code '" + code + "' --device-name test") == 0);
  };
  Device o{tmp, "officer"}, o2{tmp, "officer2"}, s{tmp, "supervisor"};
  enrol(o, officer);
  enrol(o2, officer2);
  enrol(s, supervisor);

  // Written by the first owner under the case's first key version: the client and a note.
  REQUIRE(o.Run("client register --name Jānis --surname Bērziņš --personal-code 150385-11001 "
                "--birth-date 15.03.1985 --kind conditional_sentence --opened 01.03.2026") == 0);
  std::string case_id = o.out;
  while (!case_id.empty() && (case_id.back() == '\n' || case_id.back() == ' ')) case_id.pop_back();
  REQUIRE(case_id.size() == 32);
  REQUIRE(o.Run("note add --case " + case_id + " --body 'First interview notes'") == 0);
  REQUIRE(o.Run("sync --quiet") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);

  // The supervisor reassigns the case: the key rotates at the supervisor's sync.
  INFO(s.err);
  REQUIRE(s.Run("reassign --case " + case_id + " --officer " + officer2) == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(o2.Run("sync --quiet") == 0);
  INFO(o2.err);
  REQUIRE(o2.Run("show " + case_id) == 0);
  auto file = nlohmann::json::parse(o2.out);
  CHECK(file["client"]["surname"] == "Bērziņš");
  CHECK(o2.out.find("First interview notes") != std::string::npos);
  REQUIRE(o2.Run("note add --case " + case_id + " --body 'Second owner notes'") == 0);
  REQUIRE(o2.Run("sync --quiet") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);

  // The supervisor's laptop, enrolled after the rotation, reads everything once the
  // supervisor's desktop has synced.
  Device laptop{tmp, "laptop"};
  enrol(laptop, supervisor);
  REQUIRE(laptop.Run("sync --quiet") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(laptop.Run("sync --quiet") == 0);
  INFO(laptop.err);
  REQUIRE(laptop.Run("show " + case_id) == 0);
  file = nlohmann::json::parse(laptop.out);
  CHECK(file["client"]["surname"] == "Bērziņš");
  CHECK(laptop.out.find("First interview notes") != std::string::npos);
  CHECK(laptop.out.find("Second owner notes") != std::string::npos);

  // The former owner receives nothing written after the rotation: its next sync purges the
  // case from its device (tests/client/cli_purge_test.cpp looks at the files).
  REQUIRE(o.Run("sync --quiet") == 0);
  CHECK(o.Run("show " + case_id) != 0);
}

TEST_CASE(
    "cli: audit verify finds two devices' chains sound and exits 5 naming an entry the central "
    "store dropped",
    "[client][cli][sync][audit]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
  TempDir tmp;
  const std::string central = tmp / "central.db";
  const std::string store = "sqlite:" + central;
  auto admin = [&](const std::string& args) {
    return lietvedis::testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer =
      admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  const std::string supervisor =
      admin("user add --unit " + unit + " --role supervisor --name 'Anna Vītola'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, store);
  Device o{tmp, "officer"}, s{tmp, "supervisor"};
  for (auto [device, user] : {std::pair{&o, officer}, {&s, supervisor}}) {
    const std::string code = admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    INFO(device->name << ": " << device->err);
    REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
  }
  REQUIRE(o.Run("client register --name Jānis --surname Bērziņš --personal-code 150385-11001 "
                "--birth-date 15.03.1985 --kind conditional_sentence --opened 01.03.2026") == 0);
  std::string case_id = o.out;
  while (!case_id.empty() && (case_id.back() == '\n' || case_id.back() == ' ')) case_id.pop_back();
  REQUIRE(case_id.size() == 32);
  REQUIRE(o.Run("sync --quiet") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(s.Run("show " + case_id) == 0);  // an audited read, in the supervisor's own chain
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(o.Run("sync --quiet") == 0);

  for (Device* d : {&o, &s}) {
    INFO(d->name << ": " << d->out << d->err);
    CHECK(d->Run("audit verify") == 0);
    CHECK(d->out.find(": sound") != std::string::npos);
    REQUIRE(d->Run("--json audit verify --case " + case_id) == 0);
    const auto report = nlohmann::json::parse(d->out);
    CHECK(report["sound"] == true);
    CHECK(report["chains"] == 2);  // the officer's and the supervisor's
    CHECK(report["findings"].empty());
    REQUIRE(d->Run("--json sync --status") == 0);
    CHECK(nlohmann::json::parse(d->out)["audit"]["sound"] == true);
  }
  CHECK(s.Run("audit verify --case 0123456789abcdef0123456789abcdef") == 1);

  // Three more entries, one push each; the central store then deletes the middle push.
  for (int i = 0; i < 3; ++i) {
    REQUIRE(o.Run("note add --case " + case_id + " --body 'Piezīme " + std::to_string(i) + "'") ==
            0);
    REQUIRE(o.Run("sync --quiet") == 0);
  }
  {
    auto db = lietvedis::storage::Database::Open(central);
    REQUIRE(db.ok());
    REQUIRE(db->Run("DELETE FROM envelopes WHERE seq = (SELECT seq FROM envelopes WHERE"
                    " scope=? ORDER BY seq DESC LIMIT 1 OFFSET 1)",
                    "case:" + case_id)
                .ok());
  }
  REQUIRE(s.Run("sync --quiet") == 0);
  INFO(s.out << s.err);
  CHECK(s.Run("audit verify --case " + case_id) == 5);
  CHECK(s.out.find("TAMPERED:") != std::string::npos);
  CHECK(s.out.find("'s chain in scope case:" + case_id + " lacks #") != std::string::npos);
  CHECK(s.err.find("tampered") != std::string::npos);
  REQUIRE(s.Run("--json audit verify") == 5);
  CHECK(nlohmann::json::parse(s.out)["findings"][0]["kind"] == "gap");
  REQUIRE(s.Run("sync --status") == 0);  // a status, not a check: it reports and exits 0
  CHECK(s.out.find("TAMPERED (1 problem)") != std::string::npos);
  // The author's store holds every entry: its chain there is whole.
  CHECK(o.Run("audit verify --case " + case_id) == 0);
}
