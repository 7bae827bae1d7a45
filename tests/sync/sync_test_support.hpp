// Helpers shared by the sync tests: a replica on a real SQLite file with two small replicated
// tables (`item`, last writer wins; `note`, append-only), and exchange of outbox changes; a
// keyring with fresh device keys.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "sync/envelope.hpp"
#include "sync/replica.hpp"

namespace lietvedis::testing {

struct ReplicaNode {
  storage::Database db;
  std::unique_ptr<sync::Replica> replica;

  // Opens (creating) a store at `path` with tables item(name, n) and note(body).
  static std::unique_ptr<ReplicaNode> Open(const std::string& path, const std::string& site);

  // Writes fields of one row in its own transaction.
  void Put(const std::string& table, const std::string& row, const std::string& scope,
           std::vector<sync::FieldValue> fields);
  // Takes every pending outbox change (and marks it pushed).
  std::vector<sync::Change> Drain();
  // Applies changes in one transaction; returns the result of ApplyRemote.
  Result<sync::ApplyStats> Apply(const std::vector<sync::Change>& changes);
  // Every replicated row of item, note and sync_resolutions, as text, sorted.
  std::vector<std::string> Dump();
  // The conflict inbox (resolved entries too), as text, sorted.
  std::vector<std::string> Inbox();
};

std::string ValueText(const storage::Value& v);

// A keyring with freshly generated device keys, in a store of its own at `path`.
struct KeyedDevice {
  storage::Database db;
  std::unique_ptr<sync::Keyring> keys;
};
KeyedDevice NewKeyedDevice(const std::string& path);

}  // namespace lietvedis::testing
