// lv_storage_crash_child DIR PASSPHRASE SEED
//
// Opens the store in DIR and commits transactions until it is killed. After each COMMIT
// returns it writes the highest id of that transaction to stdout, one line each: those are the
// acknowledged commits the parent (crash_test.cpp) later requires to be present. Every id from
// 1 upwards is inserted exactly once, in order. Errors go to stderr with exit status 2.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "storage/store.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;

namespace {

[[noreturn]] void Fail(const Error& e, const char* step) {
  std::fprintf(stderr, "crash child: %s: %s (%s)\n", step, e.message.c_str(), ErrcName(e.code));
  std::exit(2);
}

void Ack(std::int64_t id) {
  const std::string line = std::to_string(id) + "\n";
  if (::write(1, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DIR PASSPHRASE SEED\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string passphrase = argv[2];
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
  auto opened = Store::Open(dir, passphrase);
  if (!opened.ok()) Fail(opened.error(), "open");
  std::unique_ptr<Store> store = std::move(opened).value();
  auto setup = [&]() {
    Database& db = store->db();
    if (auto r = db.Exec(
            "PRAGMA wal_autocheckpoint=20;"
            "CREATE TABLE IF NOT EXISTS acked(id INTEGER PRIMARY KEY, payload BLOB NOT NULL,"
            " touched INTEGER NOT NULL DEFAULT 0);"
            "CREATE INDEX IF NOT EXISTS acked_touched ON acked(touched);");
        !r.ok()) {
      Fail(r.error(), "schema");
    }
  };
  setup();
  auto max_id = store->db().QueryInt("SELECT coalesce(max(id), 0) FROM acked");
  if (!max_id.ok()) Fail(max_id.error(), "max id");
  std::int64_t next = *max_id + 1;
  for (std::uint64_t round = 0;; ++round) {
    Database& db = store->db();
    auto tx = Transaction::Begin(db);
    if (!tx.ok()) Fail(tx.error(), "begin");
    const int rows = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < rows; ++i) {
      Blob payload(10 + rng() % 3000);
      for (auto& b : payload) b = static_cast<std::uint8_t>(rng());
      if (auto r = db.Run("INSERT INTO acked(id, payload) VALUES(?, ?)", next + i, payload);
          !r.ok()) {
        Fail(r.error(), "insert");
      }
    }
    if (next > 10 && rng() % 2 == 0) {
      const auto victim =
          static_cast<std::int64_t>(1 + rng() % static_cast<std::uint64_t>(next - 1));
      Blob payload(10 + rng() % 6000, static_cast<std::uint8_t>(round));
      if (auto r = db.Run("UPDATE acked SET payload = ?, touched = touched + 1 WHERE id = ?",
                          payload, victim);
          !r.ok()) {
        Fail(r.error(), "update");
      }
    }
    if (auto r = tx->Commit(); !r.ok()) Fail(r.error(), "commit");
    next += rows;
    Ack(next - 1);
    if (rng() % 40 == 0) {
      if (auto r = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); !r.ok())
        Fail(r.error(), "checkpoint");
    }
    if (rng() % 150 == 0) {  // a lock and unlock: the last connection closes, the WAL goes
      store->Lock();
      if (auto r = store->Unlock(passphrase); !r.ok()) Fail(r.error(), "unlock");
      setup();
    }
  }
}
