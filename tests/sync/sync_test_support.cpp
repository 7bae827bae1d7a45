#include "tests/sync/sync_test_support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

namespace lietvedis::testing {

using storage::Database;
using storage::Transaction;

std::unique_ptr<ReplicaNode> ReplicaNode::Open(const std::string& path, const std::string& site) {
  auto node = std::make_unique<ReplicaNode>();
  auto db = Database::Open(path);
  REQUIRE(db.ok());
  node->db = std::move(*db);
  REQUIRE(node->db
              .Exec("CREATE TABLE IF NOT EXISTS item(id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
                    " name TEXT, n INTEGER);"
                    "CREATE TABLE IF NOT EXISTS note(id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
                    " body TEXT)")
              .ok());
  auto r = sync::Replica::Open(node->db, site,
                               {{"item", {"name", "n"}, false}, {"note", {"body"}, true}});
  REQUIRE(r.ok());
  node->replica = std::move(*r);
  return node;
}

void ReplicaNode::Put(const std::string& table, const std::string& row, const std::string& scope,
                      std::vector<sync::FieldValue> fields) {
  auto tx = Transaction::Begin(db);
  REQUIRE(tx.ok());
  auto w = replica->Write(table, row, scope, std::span<const sync::FieldValue>(fields));
  INFO((w.ok() ? std::string() : w.error().message));
  REQUIRE(w.ok());
  REQUIRE(tx->Commit().ok());
}

std::vector<sync::Change> ReplicaNode::Drain() {
  auto tx = Transaction::Begin(db);
  REQUIRE(tx.ok());
  auto batches = replica->ReadOutbox(1'000'000, 1'000'000);
  REQUIRE(batches.ok());
  std::vector<sync::Change> out;
  for (const sync::OutboxBatch& b : *batches) {
    out.insert(out.end(), b.changes.begin(), b.changes.end());
    REQUIRE(replica->MarkPushed(b.scope, b.first_seq, b.last_seq).ok());
  }
  REQUIRE(tx->Commit().ok());
  return out;
}

Result<sync::ApplyStats> ReplicaNode::Apply(const std::vector<sync::Change>& changes) {
  LV_ASSIGN(Transaction tx, Transaction::Begin(db));
  LV_ASSIGN(sync::ApplyStats stats, replica->ApplyRemote(changes));
  LV_TRY(tx.Commit());
  return stats;
}

std::string ValueText(const storage::Value& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "i" + std::to_string(std::get<1>(v));
    case 2:
      return "d" + std::to_string(std::get<2>(v));
    case 3:
      return "s" + std::get<3>(v);
    default:
      return "b" + std::to_string(std::get<4>(v).size());
  }
}

std::vector<std::string> ReplicaNode::Dump() {
  std::vector<std::string> out;
  for (const char* sql : {"SELECT 'item', id, scope, name, n FROM item",
                          "SELECT 'note', id, scope, body, NULL FROM note",
                          "SELECT 'res', id, scope, loser, NULL FROM sync_resolutions"}) {
    auto st = db.Prepare(sql);
    REQUIRE(st.ok());
    for (;;) {
      auto row = st->Step();
      REQUIRE(row.ok());
      if (!*row) break;
      std::string line;
      for (int i = 0; i < 5; ++i) line += ValueText(st->ValueAt(i)) + "|";
      out.push_back(line);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ReplicaNode::Inbox() {
  auto entries = replica->Conflicts({}, true);
  REQUIRE(entries.ok());
  std::vector<std::string> out;
  for (const sync::ConflictEntry& e : *entries) {
    out.push_back(e.id + "|" + e.scope + "|" + e.table + "|" + e.row_id + "|" + e.column + "|" +
                  ValueText(e.loser_value) + "|" + std::to_string(e.loser.hlc) + ":" +
                  e.loser.site + "|" + ValueText(e.winner_value) + "|" +
                  std::to_string(e.winner.hlc) + ":" + e.winner.site + "|" +
                  (e.resolved ? "resolved" : "open"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

KeyedDevice NewKeyedDevice(const std::string& path) {
  KeyedDevice d;
  auto db = storage::Database::Open(path);
  REQUIRE(db.ok());
  d.db = std::move(*db);
  auto keys = sync::Keyring::Open(d.db);
  REQUIRE(keys.ok());
  d.keys = std::move(*keys);
  REQUIRE(d.keys->GenerateDeviceKeys().ok());
  return d;
}

}  // namespace lietvedis::testing
