// JSON Lines import (client/jsonl.hpp): a file from outside (`lietvedis import`), hostile by
// assumption. Whatever the input, the import succeeds or fails with a message, never crashes;
// a failure writes nothing (every replicated table and the outbox as they were), and a
// success leaves no transaction open. One store for the whole run (in memory), so records
// imported by one input meet the next.
#include <memory>
#include <sstream>
#include <string>

#include "client/jsonl.hpp"
#include "client/schema.hpp"
#include "storage/database.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace lietvedis;

namespace {

struct Store {
  storage::Database db;
  std::unique_ptr<sync::Replica> replica;
};

Store* TheStore() {
  static Store* store = [] {
    auto* s = new Store();  // lives for the process: the fuzzer never returns
    storage::OpenOptions memory;
    memory.wal = false;  // an in-memory database keeps no log
    auto db = storage::Database::Open(":memory:", memory);
    LV_FUZZ_CHECK(db.ok());
    s->db = std::move(*db);
    auto replica = client::OpenClientReplica(s->db, "fuzz-site");
    LV_FUZZ_CHECK(replica.ok());
    s->replica = std::move(*replica);
    return s;
  }();
  return store;
}

// Rows of every replicated table, then the outbox: what a failed import must leave alone.
std::string Fingerprint(Store& s) {
  std::string out;
  for (const auto& t : client::ReplicatedTables()) {
    auto n = s.db.QueryInt("SELECT count(*) FROM " + t.name);
    LV_FUZZ_CHECK(n.ok());
    out += std::to_string(*n) + ",";
  }
  auto pending = s.replica->PendingCount();
  LV_FUZZ_CHECK(pending.ok());
  return out + std::to_string(*pending);
}

}  // namespace

LV_FUZZ_TARGET(jsonl_import) {
  if (size > (1u << 16)) return 0;  // larger files teach the fuzzer nothing the small ones do not
  Store& s = *TheStore();
  const std::string before = Fingerprint(s);
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto r = client::ImportJsonl(s.db, *s.replica, in, client::ImportMode::kMerge);
  LV_FUZZ_CHECK(!s.db.InTransaction());
  if (!r.ok()) {
    LV_FUZZ_CHECK(!r.error().message.empty());
    LV_FUZZ_CHECK(Fingerprint(s) == before);
  }
  return 0;
}
