// The central store killed (SIGKILL) in the middle of large pushes. A device writes a few
// hundred new cases a round (each a new scope: registration, a new key and its wraps, then the
// batches) and syncs with the real `lietvedis-server` in a child process, which is killed at a
// seeded moment of that sync; the server is started again on the same file and port and the
// device syncs until it succeeds. The checks: the device's every write is acknowledged once
// the server is back (nothing pending); a device that never synced during the kills pulls
// exactly the changes the writer queued (the server holds no change twice, whatever was cut
// between storing a batch and acknowledging it) and holds the same cases; the server's file
// passes integrity_check and holds no batch twice; every device's store is sound. The seed is
// printed; LV_KILL_SEED and LV_KILL_ROUNDS override it and the number of rounds.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "tests/sync/engine_world.hpp"

using namespace lietvedis;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;

namespace {

using lietvedis::testing::Cases;
using lietvedis::testing::EnvNumber;
using lietvedis::testing::SyncUntilOk;

// `lietvedis-server serve` over a SQLite file on a fixed loopback port (plain HTTP, which the
// server allows on loopback only), in a child process.
class ServeChild {
 public:
  ServeChild(const std::string& db_path, int port, const std::string& log)
      : db_path_(db_path), port_(port), log_(log) {}
  ~ServeChild() { Stop(SIGKILL); }

  // Starts the server and waits for its "listening on" line. The port of a killed server can
  // take a moment to come free: a few tries.
  void Start() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (TryStart()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("lietvedis-server did not start on port " << port_ << "; see " << log_);
  }

  // Sends `sig` and reaps the child; returns true when the signal is what ended it.
  bool Stop(int sig) {
    if (pid_ <= 0) return false;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFSIGNALED(status) && WTERMSIG(status) == sig;
  }
  pid_t pid() const { return pid_; }

 private:
  bool TryStart() {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    const std::string cmd = std::string("exec ") + LV_SERVER_BINARY +
                            " serve --store sqlite:" + db_path_ +
                            " --listen 127.0.0.1:" + std::to_string(port_) + " 2>>" + log_;
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    if (line.rfind("listening on", 0) == 0) {
      pid_ = pid;
      return true;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);  // it exited (the port was still taken)
    return false;
  }

  std::string db_path_;
  int port_;
  std::string log_;
  pid_t pid_ = -1;
};

std::string IntegrityOf(storage::Database& db) {
  auto st = db.Prepare("PRAGMA integrity_check");
  REQUIRE(st.ok());
  REQUIRE(st->Step().value());
  return st->Text(0);
}

}  // namespace

TEST_CASE("The central store killed during large pushes loses and duplicates nothing",
          "[sync][engine][fault][kill]") {
  const std::uint64_t seed = EnvNumber("LV_KILL_SEED", 20261206);
  const int rounds = static_cast<int>(EnvNumber("LV_KILL_ROUNDS", 6));
  constexpr int kCasesPerRound = 120;
  std::printf("server kill seed %llu (LV_KILL_SEED=%llu reproduces)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);

  EngineWorld w;
  const std::string officer = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& writer = w.Enrol(officer);
  EngineDevice& reader = w.Enrol(sv);
  // Enrolled now, synced only at the end: it must then pull every change exactly once.
  EngineDevice& fresh = w.Enrol(sv);
  SyncUntilOk(writer);
  SyncUntilOk(reader);
  const int port = w.port();
  const std::string db_path = w.server_db_path();
  w.StopServer();
  ServeChild server(db_path, port, (w.dir() / "serve.log"));

  std::map<std::string, std::string> expected;
  std::int64_t queued = 0;
  int kills = 0, cut_syncs = 0;
  std::int64_t duplicate_batches = 0;
  double baseline_ms = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::int64_t before = writer.engine->Status().value().pending;
    for (int i = 0; i < kCasesPerRound; ++i) {
      const std::string id = "r" + std::to_string(round) + "c" + std::to_string(i);
      writer.WriteCase(id, "case " + id, officer, w.unit());
      expected[id] = "case " + id;
    }
    // An edit of an earlier case: the same row again, in a batch of its own scope.
    if (round > 0) {
      const std::string old =
          "r" + std::to_string(rng() % round) + "c" + std::to_string(rng() % kCasesPerRound);
      const std::string edit = "edit in round " + std::to_string(round);
      writer.WriteCase(old, edit, officer, w.unit());
      expected[old] = edit;
    }
    queued += writer.engine->Status().value().pending - before;

    server.Start();
    if (round == 0) {
      // The first round is not cut: its length sets the window the kills are drawn from (its
      // first 80 %, so that a later, warmer sync is still running when the kill comes).
      const auto t0 = std::chrono::steady_clock::now();
      SyncUntilOk(writer);
      baseline_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      REQUIRE(server.Stop(SIGKILL));
      continue;
    }
    const auto delay = std::chrono::microseconds(
        static_cast<std::int64_t>(baseline_ms * 800 * static_cast<double>(rng() % 1000) / 1000));
    const pid_t pid = server.pid();
    std::thread killer([pid, delay] {
      std::this_thread::sleep_for(delay);
      ::kill(pid, SIGKILL);
    });
    auto cut = writer.engine->SyncOnce();
    killer.join();
    REQUIRE(server.Stop(SIGKILL));  // reaped; the signal above (or this one) ended it
    ++kills;
    if (!cut.ok()) {
      ++cut_syncs;
      INFO("round " << round << ": " << cut.error().message);
      // The device says what happened in words and keeps its changes.
      CHECK(cut.error().code == Errc::kNetwork);
      CHECK(cut.error().message.find("changes are kept") != std::string::npos);
    }
    // Back up on the same file: the device finishes the round.
    server.Start();
    duplicate_batches += SyncUntilOk(writer).duplicate_batches;
    CHECK(writer.engine->Status().value().pending == 0);
    REQUIRE(server.Stop(SIGKILL));
  }
  std::printf(
      "server kills: %d, %d of them during a sync (window %.0f ms); %lld batches the "
      "server already held were pushed again\n",
      kills, cut_syncs, baseline_ms, static_cast<long long>(duplicate_batches));
  // The kills did land inside syncs (a kill after the sync ended proves nothing).
  CHECK(cut_syncs * 2 >= kills);

  server.Start();
  SyncUntilOk(reader);
  SyncUntilOk(writer);  // wraps the new scopes' keys for the devices that asked
  std::int64_t pulled = 0;
  for (int pass = 0; pass < 3; ++pass) pulled += SyncUntilOk(fresh).pulled_changes;
  SyncUntilOk(reader);
  CHECK(Cases(writer) == expected);
  CHECK(Cases(reader) == expected);
  CHECK(Cases(fresh) == expected);
  CHECK(pulled == queued);
  REQUIRE(server.Stop(SIGTERM) == false);  // SIGTERM ends it cleanly (exit 0, not the signal)

  auto central = storage::Database::Open(db_path);
  REQUIRE(central.ok());
  CHECK(IntegrityOf(*central) == "ok");
  CHECK(central->QueryInt("SELECT count(*) - count(DISTINCT batch_id) FROM envelopes").value() ==
        0);
  for (EngineDevice* d : {&writer, &reader, &fresh}) {
    INFO(d->name);
    d->Reopen();
    CHECK(IntegrityOf(d->db) == "ok");
    CHECK(d->engine->Status().value().pending == 0);
  }
  std::printf(
      "server kills: %zu cases, %lld changes, 0 lost, 0 duplicated, 3 devices "
      "converged\n",
      expected.size(), static_cast<long long>(queued));
}
