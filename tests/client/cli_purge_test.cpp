// Purge through the real server (sync/purge.hpp): a reassigned case leaves the former owner's
// device at its next sync, with nothing of it left in the store's files, decrypted or raw;
// `sync --status` says what went (ids and counts only). Retention (client/retention.hpp): a
// closed case past its kind's period leaves the officer's and the supervisor's devices.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>

#include "storage/store.hpp"
#include "tests/support/cli_device.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server binary"
#endif

namespace {

using lietvedis::testing::TempDir;
namespace fs = std::filesystem;

constexpr const char* kPassphrase = lietvedis::testing::kCliPassphrase;
using Device = lietvedis::testing::CliDevice;
using lietvedis::testing::SlurpFile;

std::size_t Occurrences(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// Occurrences of `needle` in the raw bytes of every file of the data directory (store.db, its
// log and ledger, the key file, device files).
std::size_t RawHits(const std::string& dir, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) n += Occurrences(SlurpFile(entry.path().string()), needle);
  }
  return n;
}

// Occurrences in the decrypted content of every page of store.db and every frame of its log.
std::uint64_t DecryptedHits(const std::string& dir, const std::string& needle) {
  auto store = lietvedis::storage::Store::Open(dir, kPassphrase);
  REQUIRE(store.ok());
  auto count = (*store)->CountPlaintext(needle);
  REQUIRE(count.ok());
  return count->total();
}

struct World {
  TempDir tmp;
  std::string store = "sqlite:" + (tmp / "central.db");
  std::string Admin(const std::string& args) {
    return lietvedis::testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  }
};

}  // namespace

TEST_CASE(
    "purge: a reassigned case leaves the former owner's device at its next sync, nothing of it "
    "left in the files, the new owner reads it all",
    "[client][cli][sync][purge]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
  World w;
  const std::string unit = w.Admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer = w.Admin("user add --unit " + unit + " --role officer --name 'Ilze'");
  const std::string officer2 =
      w.Admin("user add --unit " + unit + " --role officer --name 'Jānis'");
  const std::string supervisor =
      w.Admin("user add --unit " + unit + " --role supervisor --name 'Anna'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, w.store);
  Device o{w.tmp, "officer"}, o2{w.tmp, "officer2"}, s{w.tmp, "supervisor"};
  for (auto [device, user] : {std::pair{&o, officer}, {&o2, officer2}, {&s, supervisor}}) {
    const std::string code = w.Admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    INFO(device->name << ": " << device->err);
    REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
  }

  // Two cases of the first officer, each with its own marker.
  const std::string moved_marker = "Pārcelšanasmarķieris", kept_marker = "Paliekošaismarķieris";
  REQUIRE(o.Run("client register --name Jānis --surname " + moved_marker +
                " --personal-code 150385-11001 --birth-date 15.03.1985"
                " --kind conditional_sentence --opened 01.03.2026") == 0);
  const std::string moved = o.Id();
  REQUIRE(moved.size() == 32);
  REQUIRE(o.Run("note add --case " + moved + " --body 'Interview " + moved_marker + " notes'") ==
          0);
  REQUIRE(o.Run("client register --name Anna --surname " + kept_marker +
                " --personal-code 010190-11004 --kind conditional_sentence --opened 02.03.2026") ==
          0);
  const std::string kept = o.Id();
  REQUIRE(o.Run("note add --case " + kept + " --body 'Visit " + kept_marker + " notes'") == 0);
  REQUIRE(o.Run("sync --quiet") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);

  // The supervisor reassigns the first case to the second officer.
  REQUIRE(s.Run("reassign --case " + moved + " --officer " + officer2) == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(o2.Run("sync --quiet") == 0);

  // Before the former owner syncs, its store holds the case (the scan finds it: the scan can
  // fail), and nothing of it is readable in the raw files (the pages are encrypted).
  CHECK(DecryptedHits(o.dir(), moved_marker) > 0);
  CHECK(RawHits(o.dir(), moved_marker) == 0);
  REQUIRE(o.Run("show " + moved) == 0);

  INFO(o.err);
  REQUIRE(o.Run("sync --quiet") == 0);
  CHECK(o.out.find("1 scopes purged") != std::string::npos);

  // The log was emptied (or removed when the last connection closed).
  const fs::path wal = fs::path(o.dir()) / "store.db-wal";
  CHECK((!fs::exists(wal) || fs::file_size(wal) == 0));
  // Gone from the former owner's device: no record, no page, no log frame. (The case id stays
  // in the purge record, sync_purged, which is what `sync --status` shows.)
  CHECK(o.Run("show " + moved) != 0);
  CHECK(DecryptedHits(o.dir(), moved_marker) == 0);
  CHECK(DecryptedHits(o.dir(), "150385-11001") == 0);  // the personal code
  CHECK(RawHits(o.dir(), moved_marker) == 0);
  CHECK(RawHits(o.dir(), moved) == 0);
  {
    // Its keys, change log and state, read through the store itself.
    auto store = lietvedis::storage::Store::Open(o.dir(), kPassphrase);
    REQUIRE(store.ok());
    auto& db = (*store)->db();
    const std::string scope = "case:" + moved;
    for (const char* table : {"sync_scope_keys", "sync_outbox", "sync_scope_state",
                              "sync_push_seen", "probation_case", "client", "note"}) {
      INFO(table);
      auto n = db.QueryInt(std::string("SELECT count(*) FROM ") + table + " WHERE scope=?", scope);
      REQUIRE(n.ok());
      CHECK(*n == 0);
    }
    auto kept_keys =
        db.QueryInt("SELECT count(*) FROM sync_scope_keys WHERE scope=?", "case:" + kept);
    REQUIRE(kept_keys.ok());
    CHECK(*kept_keys >= 1);
    auto free_pages = db.QueryInt("PRAGMA freelist_count");
    REQUIRE(free_pages.ok());
    CHECK(*free_pages == 0);
  }
  // The officer's other case is intact and still readable.
  REQUIRE(o.Run("show " + kept) == 0);
  CHECK(o.out.find("Visit " + kept_marker + " notes") != std::string::npos);
  CHECK(DecryptedHits(o.dir(), kept_marker) > 0);

  // sync --status says what went: the scope id and counts, never a name.
  REQUIRE(o.Run("sync --status") == 0);
  CHECK(o.out.find("purged:        case:" + moved + " (no longer read") != std::string::npos);
  CHECK(o.out.find(moved_marker) == std::string::npos);
  REQUIRE(o.Run("--json sync --status") == 0);
  auto status = nlohmann::json::parse(o.out);
  REQUIRE(status["purged"].size() == 1);
  CHECK(status["purged"][0]["scope"] == "case:" + moved);
  CHECK(status["purged"][0]["reason"] == "no longer read");
  CHECK(status["purged"][0]["records"].get<int>() >= 3);  // case, client, note at least
  CHECK(status["purged"][0]["key_versions_wiped"].get<int>() >= 1);
  CHECK(status["purge_scrub_pending"] == false);

  // A second sync purges nothing more and keeps the other case.
  REQUIRE(o.Run("sync --quiet") == 0);
  CHECK(o.out.find("purged") == std::string::npos);
  REQUIRE(o.Run("show " + kept) == 0);

  // The new owner and the supervisor read the whole file.
  REQUIRE(o2.Run("show " + moved) == 0);
  CHECK(o2.out.find("Interview " + moved_marker + " notes") != std::string::npos);
  REQUIRE(s.Run("show " + moved) == 0);
  CHECK(s.out.find("Interview " + moved_marker + " notes") != std::string::npos);
  REQUIRE(s.Run("show " + kept) == 0);
}

TEST_CASE(
    "purge: a closed case past its kind's retention period leaves the officer's and the "
    "supervisor's devices at their next sync, and stays away",
    "[client][cli][sync][purge][retention]") {
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  unsetenv("LIETVEDIS_PASSPHRASE");
  World w;
  const std::string unit = w.Admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer = w.Admin("user add --unit " + unit + " --role officer --name 'Ilze'");
  const std::string supervisor =
      w.Admin("user add --unit " + unit + " --role supervisor --name 'Anna'");
  lietvedis::testing::ServerProcess server(LV_SERVER_BINARY, w.store);
  Device o{w.tmp, "officer"}, s{w.tmp, "supervisor"};
  for (auto [device, user] : {std::pair{&o, officer}, {&s, supervisor}}) {
    const std::string code = w.Admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    INFO(device->name << ": " << device->err);
    REQUIRE(device->Run("enrol --code '" + code + "' --device-name test") == 0);
  }
  // Bad settings are refused, naming the problem.
  CHECK(s.Run("setting set retention.no_such_kind_days 400") == 3);
  CHECK(s.err.find("unknown case kind") != std::string::npos);
  CHECK(s.Run("setting set retention.conditional_sentence_days 7") == 3);
  CHECK(s.err.find("a whole number between 30 and 3650") != std::string::npos);
  // The unit keeps closed conditional sentences ten years on devices for now.
  REQUIRE(s.Run("setting set retention.conditional_sentence_days 3650") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(o.Run("sync --quiet") == 0);

  const std::string old_marker = "Vecāslietasmarķieris", open_marker = "Atvērtāslietasmarķieris";
  REQUIRE(o.Run("client register --name Jānis --surname " + old_marker +
                " --personal-code 150385-11001 --kind conditional_sentence"
                " --opened 01.03.2024") == 0);
  const std::string old_case = o.Id();
  REQUIRE(o.Run("note add --case " + old_case + " --body 'Final " + old_marker + " notes'") == 0);
  INFO(o.err);
  REQUIRE(o.Run("case close --case " + old_case + " --closed 15.06.2025") == 0);
  REQUIRE(o.Run("client register --name Anna --surname " + open_marker +
                " --personal-code 010190-11004 --kind conditional_sentence --opened 02.03.2026") ==
          0);
  const std::string open_case = o.Id();
  REQUIRE(o.Run("sync --quiet") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  // Within the unit's ten years: both devices keep the closed case.
  REQUIRE(o.Run("show " + old_case) == 0);
  REQUIRE(s.Run("show " + old_case) == 0);

  // The unit goes back to the default period (400 days): closed 15.06.2025, so past it.
  REQUIRE(s.Run("setting set retention.conditional_sentence_days 400") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  REQUIRE(o.Run("sync --quiet") == 0);
  for (Device* d : {&o, &s}) {
    INFO(d->name << ": " << d->err);
    CHECK(d->Run("show " + old_case) != 0);
    REQUIRE(d->Run("show " + open_case) == 0);
    CHECK(d->out.find(open_marker) != std::string::npos);
    REQUIRE(d->Run("--json sync --status") == 0);
    auto status = nlohmann::json::parse(d->out);
    bool found = false;
    for (const auto& p : status["purged"]) {
      if (p["scope"] == "case:" + old_case) {
        found = true;
        CHECK(p["reason"] == "retention period over");
      }
    }
    CHECK(found);
    CHECK(DecryptedHits(d->dir(), old_marker) == 0);
    CHECK(DecryptedHits(d->dir(), open_marker) > 0);
  }
  // It stays away: later syncs neither fetch its key again nor apply its changes.
  REQUIRE(o.Run("sync --quiet") == 0);
  REQUIRE(s.Run("sync --quiet") == 0);
  CHECK(o.Run("show " + old_case) != 0);
  CHECK(s.Run("show " + old_case) != 0);
  CHECK(DecryptedHits(s.dir(), old_marker) == 0);
}
