// Replica: the replicated-table layer. Every write to case data goes through it, so that each
// changed field becomes a change-log entry stamped with a hybrid logical clock (HLC) and can
// be synchronised, merged and audited.
//
// Model (after cr-sqlite): a replicated table is an ordinary SQLite table created by the layer
// above, with `id TEXT PRIMARY KEY` and `scope TEXT NOT NULL` and any data columns. The
// replica keeps, per (table, row, column), the stamp of the value it holds (in the row itself:
// column sync_stamps, one RowClock blob, added by Open), and appends every local write to the
// outbox (sync_outbox) until the server acknowledges it.
//
// Scopes: every row belongs to exactly one scope, fixed when the row is created. A scope is
// the unit of encryption and of replication ("case:<id>", "mentoring:<id>", "unit:<id>", ...).
// The layers above choose scope names; this layer only routes by them.
//
// Contract for replicated tables (because rows arrive column by column and out of order):
//  - no NOT NULL, CHECK or FOREIGN KEY constraints on data columns; validate in the client;
//  - the data columns listed in TableSpec are all the columns that replicate; others (none
//    expected) are local only;
//  - rows are never deleted; model deletion as a column (e.g. `voided_at`);
//  - the column `sync_stamps` belongs to the replica: never write it, and a migration that
//    rebuilds a replicated table must copy it (without it every field looks never written).
//
// Merge (ApplyRemote) and the conflict inbox are described above ApplyRemote below and in
// docs/SYNC.md; the rules live in one place, sync/replica.cpp, next to MergeOne().
//
// Threading: a Replica belongs to the thread that owns its Database (the writer).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "sync/hlc.hpp"
#include "sync/row_clock.hpp"

namespace lietvedis::sync {

struct TableSpec {
  std::string name;
  std::vector<std::string> columns;  // data columns, excluding `id` and `scope`
  bool append_only = false;          // rows are written once and never changed (notes, logs)
  // The kinds of scope its rows may live in ("case", "mentoring", ... see
  // access::ScopeKindOf); a remote change of a row in a scope of another kind is refused
  // (kProtocol). Empty: any kind (the replica's own sync_resolutions, test tables).
  std::vector<std::string> scope_kinds = {};
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

// Result of merging a batch of remote changes.
struct ApplyStats {
  std::int64_t applied = 0;    // changes that set a field's value
  std::int64_t ignored = 0;    // duplicates, stale ancestors and concurrent losers
  std::int64_t conflicts = 0;  // conflict inbox entries created by this batch
};

// One entry of the conflict inbox: two concurrent writes to one field. The winner is the value
// the field holds now (last writer wins); the loser is kept here until someone resolves it.
struct ConflictEntry {
  std::string id;  // 32 hex chars, the same on every replica
  std::string scope, table, row_id, column;
  storage::Value winner_value, loser_value;
  Stamp winner, loser;
  bool resolved = false;
};

// Outbox entries of one scope, contiguous in outbox order (= stamp order on this replica).
struct OutboxBatch {
  std::string scope;
  std::int64_t first_seq = 0, last_seq = 0;  // outbox sequence range, inclusive
  std::vector<Change> changes;
};

// Name of the replicated table that carries conflict resolutions (created by the "sync"
// migration, registered automatically by Open; rows live in the conflict's scope).
inline constexpr std::string_view kResolutionsTable = "sync_resolutions";
// The column Replica::Open adds to every replicated table: the stamps of the row's fields.
inline constexpr std::string_view kStampsColumn = "sync_stamps";
// The default of Replica::SetMaxRemoteSkewMs: 10 minutes.
inline constexpr std::int64_t kDefaultMaxRemoteSkewMs = 10 * 60 * 1000;

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

  // Merges changes received from other replicas, inside the caller's write transaction
  // (the engine commits them together with the pull cursor). Rules (see MergeOne):
  //  - per field, last writer wins by Stamp (hlc, then site bytes);
  //  - a change whose stamp this replica already knows is a no-op (idempotent re-delivery);
  //  - remote HLCs are observed, so later local writes order after them;
  //  - rows are created column by column, in whatever order their fields arrive;
  //  - append-only tables never conflict: re-delivery of the same value is a no-op, a
  //    different value for a field already held is kProtocol;
  //  - two writes to one field are concurrent when neither descends from the other through
  //    the `prev` links; every such overwritten value lands in the conflict inbox.
  // Fails with kProtocol for an unknown table or column, a row that exists in another scope,
  // a row in a scope of a kind its table does not allow (TableSpec::scope_kinds), a malformed
  // stamp, or a stamp more than MaxRemoteSkewMs() ahead of this replica's wall clock; then
  // NOTHING of the batch is applied (savepoint).
  Result<ApplyStats> ApplyRemote(std::span<const Change> changes);

  // Conflict inbox. `scope_prefix` filters by scope ("case:" or one scope id; empty = all).
  // Ordered by scope, table, row, column, id. Only unresolved entries unless asked.
  Result<std::vector<ConflictEntry>> Conflicts(std::string_view scope_prefix = {},
                                               bool include_resolved = false);
  Result<std::int64_t> UnresolvedConflictCount();
  // Writes `chosen` into the conflicting field as a normal local write (so it syncs) and
  // records a replicated resolution (table sync_resolutions, row id = conflict id) so the
  // entry is resolved on every replica. Runs inside the caller's write transaction.
  // kNotFound for an unknown id, kConflict when it is already resolved.
  Result<void> ResolveConflict(std::string_view conflict_id, const storage::Value& chosen);

  // Outbox for the sync engine. ReadOutbox: pending changes grouped by scope, each group in
  // outbox (stamp) order, at most `max_changes` per batch and `max_batches` batches.
  // Scopes in `skip_scopes` are passed over (e.g. not yet registered or without a key).
  Result<std::vector<OutboxBatch>> ReadOutbox(std::int64_t max_changes, std::int64_t max_batches,
                                              const std::set<std::string>& skip_scopes = {});
  // The same entries again, for a retry of a batch whose range was persisted.
  Result<OutboxBatch> ReadOutboxRange(std::string_view scope, std::int64_t first_seq,
                                      std::int64_t last_seq);
  // Deletes acknowledged entries of `scope` in [first_seq, last_seq].
  Result<void> MarkPushed(std::string_view scope, std::int64_t first_seq, std::int64_t last_seq);
  // Pending change counts per scope, ordered by scope.
  Result<std::vector<std::pair<std::string, std::int64_t>>> PendingByScope();

  // A fresh random row id: 32 lowercase hex characters (128 random bits).
  static std::string NewId();

  // The stamp of the value a field holds now; empty when the field was never written here.
  // kValidation for an unknown table.
  Result<std::optional<Stamp>> StampOf(std::string_view table, std::string_view row_id,
                                       std::string_view column);

  // Number of local changes not yet acknowledged by the server.
  Result<std::int64_t> PendingCount();

  const std::string& site_id() const { return site_id_; }
  // How far ahead of this replica's wall clock a remote stamp may be (default 10 minutes):
  // a stamp further ahead would win every later local write to its field, so ApplyRemote
  // refuses it. Must be positive.
  void SetMaxRemoteSkewMs(std::int64_t ms) { max_remote_skew_ms_ = ms > 0 ? ms : 1; }
  std::int64_t MaxRemoteSkewMs() const { return max_remote_skew_ms_; }
  HybridClock& clock() { return clock_; }
  storage::Database& db() { return *db_; }
  const TableSpec* FindTable(std::string_view name) const;
  const std::vector<TableSpec>& tables() const { return tables_; }

 private:
  Replica(storage::Database& db, std::string site_id, std::vector<TableSpec> tables);
  Result<void> PersistClock();
  // SQL text built once per replicated table (names were checked against the schema).
  struct TableSql {
    std::string select_scope, insert_row, put_stamps;  // select_scope: scope, stamps
    std::vector<std::string> update_col, select_col;   // aligned with TableSpec::columns
    // The same statements once prepared (owned by the Database's cache), for the merge loop.
    storage::Statement* select_scope_st = nullptr;
    storage::Statement* put_stamps_st = nullptr;
    storage::Statement* insert_row_st = nullptr;
    std::vector<storage::Statement*> update_st;
    std::map<std::uint64_t, storage::Statement*> insert_full;  // by set of columns (bit mask)
  };
  Result<std::size_t> CreateRow(std::span<const Change> changes, std::size_t first,
                                const TableSpec& spec, TableSql& q, ApplyStats& stats);
  // Returns the cached statement for `sql`, preparing it on first use; reset, no bindings.
  Result<storage::Statement*> Hot(storage::Statement*& slot, std::string_view sql);
  Result<void> MergeOne(const Change& c, const TableSpec& spec, TableSql& sql, RowClock& clock,
                        bool& clock_dirty, ApplyStats& stats);
  // The stamps of one row's fields (its sync_stamps column); empty for a row never written.
  Result<RowClock> LoadClock(const TableSpec& spec, std::string_view row_id);
  Result<void> StoreClock(const TableSpec& spec, std::string_view row_id, const RowClock& clock);
  Result<void> MarkHasChild(const TableSpec& spec, const Change& c, const Stamp& parent);
  Result<void> AddConflict(const Change& field, const storage::Value& value, const Stamp& loser);
  Result<void> PutVersion(std::string_view tbl, std::string_view row, std::string_view col,
                          const Stamp& s, bool has_child);
  std::size_t TableIndex(const TableSpec* spec) const;

  storage::Database* db_;
  std::string site_id_;
  std::int64_t max_remote_skew_ms_ = kDefaultMaxRemoteSkewMs;
  std::vector<TableSpec> tables_;
  HybridClock clock_;
  std::vector<TableSql> sql_;  // per table in tables_, prebuilt statements' SQL text
  storage::Statement* version_get_ = nullptr;
};

}  // namespace lietvedis::sync
