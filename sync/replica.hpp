// Replica: the replicated-table layer. Every write to case data goes through it, so that each
// changed field becomes a change-log entry stamped with a hybrid logical clock (HLC) and can
// be synchronised, merged and audited.
//
// Model (after cr-sqlite): a replicated table is an ordinary SQLite table created by the layer
// above, with `id TEXT PRIMARY KEY` and `scope TEXT NOT NULL` and any data columns. The
// replica keeps, per (table, row, column), the stamp of the value it holds (sync_clock), and
// appends every local write to the outbox (sync_outbox) until the server acknowledges it.
//
// Scopes: every row belongs to exactly one scope, fixed when the row is created. A scope is
// the unit of encryption and of replication ("case:<id>", "mentoring:<id>", "unit:<id>", ...).
// The layers above choose scope names; this layer only routes by them.
//
// Contract for replicated tables (because rows arrive column by column and out of order):
//  - no NOT NULL, CHECK or FOREIGN KEY constraints on data columns; validate in the client;
//  - the data columns listed in TableSpec are all the columns that replicate; others (none
//    expected) are local only;
//  - rows are never deleted; model deletion as a column (e.g. `voided_at`).
//
// Threading: a Replica belongs to the thread that owns its Database (the writer).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "sync/hlc.hpp"

namespace lietvedis::sync {

struct TableSpec {
  std::string name;
  std::vector<std::string> columns;  // data columns, excluding `id` and `scope`
  bool append_only = false;          // rows are written once and never changed (notes, logs)
};

struct FieldValue {
  std::string column;
  storage::Value value;
};

// One changed field, as it travels between replicas.
struct Change {
  std::string scope;
  std::string table;
  std::string row_id;
  std::string column;
  storage::Value value;
  Stamp stamp;  // when and where this value was written
  Stamp prev;   // the stamp of the value the writer replaced (zero stamp for a new field)
};

class Replica {
 public:
  // Opens the replication layer on `db`: creates its tables (migration component "sync"),
  // checks that every TableSpec names an existing table with `id`, `scope` and the listed
  // columns, and loads the persisted clock. `site_id` identifies this device (stable,
  // unique; e.g. the enrolled device id).
  static Result<std::unique_ptr<Replica>> Open(storage::Database& db, std::string site_id,
                                               std::vector<TableSpec> tables);

  // Writes fields of one row, creating it if it does not exist. Must run inside a write
  // transaction owned by the caller, so that a workflow's writes commit or fail together.
  // Each field gets a fresh stamp and an outbox entry. Fails with kValidation for an unknown
  // table or column, kConflict when the row exists in another scope, and kConstraint when an
  // append-only row is written twice.
  Result<void> Write(std::string_view table, std::string_view row_id, std::string_view scope,
                     std::span<const FieldValue> fields);
  Result<void> Write(std::string_view table, std::string_view row_id, std::string_view scope,
                     std::initializer_list<FieldValue> fields) {
    return Write(table, row_id, scope, std::span<const FieldValue>(fields.begin(), fields.size()));
  }

  // A fresh random row id: 32 lowercase hex characters (128 random bits).
  static std::string NewId();

  // Number of local changes not yet acknowledged by the server.
  Result<std::int64_t> PendingCount();

  const std::string& site_id() const { return site_id_; }
  HybridClock& clock() { return clock_; }
  storage::Database& db() { return *db_; }
  const TableSpec* FindTable(std::string_view name) const;
  const std::vector<TableSpec>& tables() const { return tables_; }

 private:
  Replica(storage::Database& db, std::string site_id, std::vector<TableSpec> tables);
  Result<void> PersistClock();

  storage::Database* db_;
  std::string site_id_;
  std::vector<TableSpec> tables_;
  HybridClock clock_;
};

}  // namespace lietvedis::sync
