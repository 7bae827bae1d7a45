// Benchmark (not a test): the same workload on the encrypted store and on plain SQLite, in one
// process, and the unlock time (Argon2id) on its own.
//
//   lv_storage_bench [--rows N] [--runs R] [--json]
//
// Workload per run, each step timed separately, on a fresh directory:
//   insert  N rows (name, personal code, officer, risk, note) in transactions of 500
//   update  every row's risk and note, in transactions of 500
//   query   2,000 indexed lookups by officer + risk (SELECT ... WHERE officer=? AND risk=?)
//   fts     500 FTS5 MATCH queries over folded names (unicode61 remove_diacritics 2)
//   cold scan  close, open again (untimed), then a full scan: every page read and decrypted
// Both sides use WAL, synchronous=NORMAL, page size 4096; the plain side reserves no bytes.
// Reported: the median of R runs per step and the ratio encrypted / plain.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/fold.hpp"
#include "storage/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;

namespace {

constexpr const char* kPass = "benchmark passphrase";

constexpr const char* kSchema = R"sql(
CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT, personal_code TEXT, officer TEXT,
                    risk INTEGER, note TEXT);
CREATE INDEX person_officer_risk ON person(officer, risk);
CREATE VIRTUAL TABLE person_fts USING fts5(name, content='person', content_rowid='id',
                                           tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER person_ai AFTER INSERT ON person BEGIN
  INSERT INTO person_fts(rowid, name) VALUES (new.id, new.name);
END;
)sql";

const char* kGiven[] = {"Jānis", "Ēriks", "Līga", "Ņina", "Žanis", "Anna", "Oskars", "Dace"};
const char* kFamily[] = {"Bērziņš", "Kalniņš", "Ozoliņa", "Šteins",
                         "Čakste",  "Ūdris",   "Ķēniņš",  "Liepa"};

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

template <class F>
double Time(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return Ms(std::chrono::steady_clock::now() - t0);
}

template <class R>
void Must(const R& r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}

std::string Name(int i) {
  return std::string(kGiven[i % 8]) + " " + kFamily[(i / 8) % 8] + " " + std::to_string(i);
}

// One side of the comparison: opens its connection on a directory.
struct Side {
  const char* label;
  std::function<Database&(const std::string& dir)> open;    // first open (creates)
  std::function<Database&(const std::string& dir)> reopen;  // close and open again
  std::function<void()> close;
};

using Steps = std::map<std::string, double>;

Steps RunOnce(Side& side, const std::string& dir, int rows) {
  Steps t;
  Database& db = side.open(dir);
  Must(db.Exec(kSchema), "schema");
  t["insert"] = Time([&] {
    for (int base = 0; base < rows; base += 500) {
      auto tx = Transaction::Begin(db);
      Must(tx, "begin");
      for (int i = base; i < std::min(rows, base + 500); ++i) {
        Must(db.Run(
                 "INSERT INTO person(id, name, personal_code, officer, risk, note) "
                 "VALUES(?,?,?,?,?,?)",
                 i + 1, Name(i), "010190-1" + std::to_string(1000 + i % 9000),
                 "officer-" + std::to_string(i % 25), i % 3,
                 "Kontakts notika klātienē; klients ieradās laikā, runājām par darbu un mājokli."),
             "insert");
      }
      Must(tx->Commit(), "commit");
    }
  });
  t["update"] = Time([&] {
    for (int base = 0; base < rows; base += 500) {
      auto tx = Transaction::Begin(db);
      Must(tx, "begin");
      for (int i = base; i < std::min(rows, base + 500); ++i) {
        Must(db.Run("UPDATE person SET risk=?, note=? WHERE id=?", (i + 1) % 3,
                    "Pārskatīts plāns; nākamā tikšanās pēc divām nedēļām.", i + 1),
             "update");
      }
      Must(tx->Commit(), "commit");
    }
  });
  std::int64_t sink = 0;
  t["query"] = Time([&] {
    for (int q = 0; q < 2000; ++q) {
      auto n = db.QueryInt("SELECT count(*) FROM person WHERE officer=? AND risk=?",
                           "officer-" + std::to_string(q % 25), q % 3);
      sink += n.ok() ? *n : 0;
    }
  });
  t["fts"] = Time([&] {
    for (int q = 0; q < 500; ++q) {
      const std::string word = FoldForSearch(kFamily[q % 8]);
      auto n = db.QueryInt("SELECT count(*) FROM person_fts WHERE person_fts MATCH ?", word);
      sink += n.ok() ? *n : 0;
    }
  });
  // A fresh connection has an empty page cache: the scan reads (and decrypts) every page. The
  // reopen itself is not timed (the store's includes its key derivation, reported apart).
  Database& again = side.reopen(dir);
  t["cold scan"] = Time([&] {
    auto n = again.QueryInt("SELECT count(*) FROM person WHERE note LIKE '%nedēļām%'");
    sink += n.ok() ? *n : 0;
  });
  side.close();
  if (sink == 42) std::puts("");  // keeps the reads from being optimised away
  return t;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 20000;
  int runs = 5;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
      rows = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--json") == 0)
      json = true;
    else {
      std::fprintf(stderr, "usage: lv_storage_bench [--rows N] [--runs R] [--json]\n");
      return 2;
    }
  }
  if (rows < 1 || runs < 1) {
    std::fprintf(stderr, "--rows and --runs must be positive\n");
    return 2;
  }

  // Plain SQLite: the default VFS, same pragmas as the store's connections.
  Database plain_db;
  Side plain{"plain SQLite",
             [&](const std::string& dir) -> Database& {
               auto db = Database::Open(dir + "/plain.db");
               Must(db, "open plain");
               plain_db = std::move(*db);
               return plain_db;
             },
             [&](const std::string& dir) -> Database& {
               plain_db = Database();
               auto db = Database::Open(dir + "/plain.db");
               Must(db, "reopen plain");
               plain_db = std::move(*db);
               return plain_db;
             },
             [&] { plain_db = Database(); }};

  // Encrypted store (Interactive KDF so runs measure the pages, not Argon2id).
  std::unique_ptr<Store> store;
  Side encrypted{"encrypted store",
                 [&](const std::string& dir) -> Database& {
                   auto created = Store::Create(dir + "/store", kPass, KdfParams::Interactive());
                   Must(created, "create store");
                   store = std::move(created->store);
                   return store->db();
                 },
                 [&](const std::string& dir) -> Database& {
                   store.reset();
                   auto opened = Store::Open(dir + "/store", kPass);
                   Must(opened, "open store");
                   store = std::move(*opened);
                   return store->db();
                 },
                 [&] { store.reset(); }};

  std::map<std::string, std::vector<double>> plain_ms, enc_ms;
  for (int r = 0; r < runs; ++r) {
    // Alternate the order so neither side always runs on a warmer machine.
    for (int k = 0; k < 2; ++k) {
      const bool enc_first = r % 2 == 0;
      Side& side = (k == 0) == enc_first ? encrypted : plain;
      testing::TempDir dir;
      const Steps s = RunOnce(side, dir.path().string(), rows);
      auto& sink = &side == &encrypted ? enc_ms : plain_ms;
      for (const auto& [step, ms] : s) sink[step].push_back(ms);
    }
  }

  // Unlock time: Argon2id with the default (Moderate) parameters, then the key file unwrap
  // and the first page read. At most 5 runs: each takes about a second.
  std::vector<double> unlock_ms;
  {
    testing::TempDir dir;
    {
      auto created = Store::Create(dir / "store", kPass, KdfParams::Moderate());
      Must(created, "create moderate");
      Must(created->store->db().Exec("CREATE TABLE t(x); INSERT INTO t VALUES(1);"), "seed");
    }
    for (int r = 0; r < std::min(runs, 5); ++r) {
      unlock_ms.push_back(Time([&] {
        auto opened = Store::Open(dir / "store", kPass);
        Must(opened, "unlock");
        auto n = (*opened)->db().QueryInt("SELECT count(*) FROM t");
        Must(n, "first read");
      }));
    }
  }

  const char* order[] = {"insert", "update", "query", "fts", "cold scan"};
  double plain_total = 0, enc_total = 0;
  nlohmann::json out = {{"rows", rows}, {"runs", runs}, {"steps", nlohmann::json::array()}};
  std::printf("Encrypted store vs plain SQLite, %d rows, median of %d runs (ms)\n", rows, runs);
  std::printf("| %-12s | %12s | %15s | %6s |\n", "step", "plain SQLite", "encrypted store",
              "ratio");
  std::printf("|--------------|--------------|-----------------|--------|\n");
  for (const char* step : order) {
    const double p = Median(plain_ms[step]);
    const double e = Median(enc_ms[step]);
    plain_total += p;
    enc_total += e;
    std::printf("| %-12s | %12.1f | %15.1f | %5.2fx |\n", step, p, e, e / p);
    out["steps"].push_back(
        {{"step", step}, {"plain_ms", p}, {"encrypted_ms", e}, {"ratio", e / p}});
  }
  std::printf("| %-12s | %12.1f | %15.1f | %5.2fx |\n", "total", plain_total, enc_total,
              enc_total / plain_total);
  const KdfParams m = KdfParams::Moderate();
  std::printf(
      "\nUnlock (Argon2id ops=%llu mem=%zu MiB, unwrap, first read): median %.0f ms of %zu runs\n",
      static_cast<unsigned long long>(m.ops_limit), m.mem_limit >> 20, Median(unlock_ms),
      unlock_ms.size());
  out["total"] = {
      {"plain_ms", plain_total}, {"encrypted_ms", enc_total}, {"ratio", enc_total / plain_total}};
  out["unlock_ms"] = Median(unlock_ms);
  if (json) std::printf("%s\n", out.dump().c_str());
  return 0;
}
