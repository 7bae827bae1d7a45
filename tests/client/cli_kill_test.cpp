// A client killed (SIGKILL) in the middle of its sync. An officer's laptop generates a batch of
// realistic cases (`demo-data`: clients, sections, assessments, plans, contacts, notes — a
// large push of new scopes) and runs `lietvedis sync` against the real central store, killed
// at a seeded moment; then `lietvedis check` must find the store whole (every page and log
// frame authenticates, the ledger and integrity_check agree) and the next sync must finish.
// At the end the officer's second laptop, asleep until then, pulls exactly the changes the
// first one queued (nothing stored twice on the server, whatever was cut between a push and
// its acknowledgement) and lists the same cases. LV_KILL_SEED / LV_KILL_ROUNDS override the
// seed (printed) and the number of rounds.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "tests/support/cli_device.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server binary"
#endif

namespace {

using lietvedis::testing::CliDevice;
using lietvedis::testing::TempDir;

std::uint64_t EnvNumber(const char* name, std::uint64_t fixed) {
  if (const char* env = std::getenv(name); env != nullptr && *env != '\0')
    return std::strtoull(env, nullptr, 10);
  return fixed;
}

std::int64_t PendingOf(CliDevice& d) {
  REQUIRE(d.Run("--json sync --status") == 0);
  return nlohmann::json::parse(d.out).at("pending").get<std::int64_t>();
}

std::int64_t PulledBy(CliDevice& d) {
  INFO(d.name << ": " << d.err);
  REQUIRE(d.Run("--json sync") == 0);
  return nlohmann::json::parse(d.out).at("pulled_changes").get<std::int64_t>();
}

}  // namespace

TEST_CASE(
    "cli: a device killed during its sync keeps a sound store, finishes, and nothing is "
    "stored twice",
    "[client][cli][sync][kill]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
  const std::uint64_t seed = EnvNumber("LV_KILL_SEED", 20261206);
  const int rounds = static_cast<int>(EnvNumber("LV_KILL_ROUNDS", 5));
  std::printf("client kill seed %llu (LV_KILL_SEED=%llu reproduces)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);

  TempDir tmp;
  const std::string store = "sqlite:" + (tmp / "central.db");
  auto admin = [&](const std::string& args) {
    return lietvedis::testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer =
      admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, store);
  CliDevice laptop{tmp, "laptop"}, second{tmp, "second"};
  for (CliDevice* d : {&laptop, &second}) {
    const std::string code = admin("enrol-code --user " + officer + " " + server.EnrolCodeArgs());
    const std::string code_file = tmp / (d->name + ".code");
    std::ofstream(code_file) << code << "\n";
    INFO(d->name << ": " << d->err);
    REQUIRE(d->Run("enrol --code-file '" + code_file + "' --device-name " + d->name) == 0);
  }
  REQUIRE(PendingOf(laptop) == 0);

  std::int64_t queued = 0;
  int kills = 0, cut = 0;
  double baseline_ms = 0;
  for (int round = 0; round < rounds; ++round) {
    INFO("round " << round);
    REQUIRE(laptop.Run("demo-data --cases 10 --seed " + std::to_string(round + 1)) == 0);
    queued += PendingOf(laptop);
    if (round == 0) {
      // Not cut: its length sets the window the kills are drawn from (its first 80 %).
      const auto t0 = std::chrono::steady_clock::now();
      INFO(laptop.err);
      REQUIRE(laptop.Run("sync") == 0);
      baseline_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      continue;
    }
    const std::string cmd = "exec " + laptop.Command("sync");
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(
        static_cast<std::int64_t>(baseline_ms * 800 * static_cast<double>(rng() % 1000) / 1000)));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    ++kills;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++cut;
    // The store a killed sync left: every page and frame authenticates, the ledger agrees.
    {
      INFO(laptop.out << laptop.err);
      CHECK(laptop.Run("check") == 0);
    }
    INFO(laptop.err);
    REQUIRE(laptop.Run("sync") == 0);
    CHECK(PendingOf(laptop) == 0);
  }
  std::printf("client kills: %d, %d of them during the sync (window %.0f ms)\n", kills, cut,
              baseline_ms);
  CHECK(cut * 2 >= kills);  // a kill after the sync ended proves nothing

  // The second laptop slept through it all: exactly what was queued arrives, once.
  std::int64_t pulled = 0;
  for (int pass = 0; pass < 3; ++pass) pulled += PulledBy(second);
  CHECK(pulled == queued);
  REQUIRE(laptop.Run("--json list") == 0);
  const std::string listed = laptop.out;
  REQUIRE(second.Run("--json list") == 0);
  CHECK(second.out == listed);
  CHECK(nlohmann::json::parse(listed).size() == static_cast<std::size_t>(10 * rounds));
  CHECK(second.Run("check") == 0);
  std::printf("client kills: %d cases, %lld changes, 0 lost, 0 duplicated, 2 devices converged\n",
              10 * rounds, static_cast<long long>(queued));
}
