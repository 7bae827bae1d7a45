#include "sync/replica.hpp"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <utility>

#include "sync/access_rules.hpp"
#include "sync/row_clock.hpp"

namespace lietvedis::sync {

using storage::Database;
using storage::Migration;
using storage::Statement;

// ---------------------------------------------------------------------------------------
// HybridClock

static std::int64_t SystemWallMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

HybridClock::HybridClock(WallClock wall)
    : wall_(wall ? std::move(wall) : WallClock(SystemWallMs)) {}

// The HLC of wall-clock milliseconds `ms` (counter 0), saturating at 0 and kMaxHlc.
static std::int64_t HlcOfWall(std::int64_t ms) {
  if (ms <= 0) return 0;
  if (ms > (HybridClock::kMaxHlc >> 16)) return HybridClock::kMaxHlc;
  return HlcPack(ms, 0);
}

std::int64_t HybridClock::Now() {
  const std::int64_t wall = HlcOfWall(wall_());
  const std::int64_t next = last_ < kMaxHlc ? last_ + 1 : kMaxHlc;
  last_ = std::max(next, wall);
  return last_;
}

void HybridClock::Observe(std::int64_t remote_hlc) {
  const std::int64_t wall_ms = wall_();
  const std::int64_t bound = wall_ms > (kMaxHlc >> 16) - kMaxObservedAheadMs
                                 ? kMaxHlc
                                 : HlcOfWall(wall_ms + kMaxObservedAheadMs) | 0xffff;
  const std::int64_t seen = std::min(remote_hlc, bound);
  if (seen > last_) last_ = seen;
}

// ---------------------------------------------------------------------------------------
// Schema of the replication layer itself.

static constexpr Migration kSyncMigrations[] = {
    {1,
     "CREATE TABLE sync_meta(key TEXT PRIMARY KEY, value ANY) STRICT;"
     // The stamp of the value each replicated field currently holds.
     "CREATE TABLE sync_clock("
     " tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL,"
     " hlc INTEGER NOT NULL, site TEXT NOT NULL,"
     " PRIMARY KEY(tbl, row_id, col)) STRICT, WITHOUT ROWID;"
     // Local changes not yet acknowledged by the server, in commit order.
     "CREATE TABLE sync_outbox("
     " seq INTEGER PRIMARY KEY, scope TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL,"
     " col TEXT NOT NULL, value ANY, hlc INTEGER NOT NULL, site TEXT NOT NULL,"
     " prev_hlc INTEGER NOT NULL, prev_site TEXT NOT NULL) STRICT;"
     "CREATE INDEX sync_outbox_scope ON sync_outbox(scope, seq);"},
    {2,
     // Every version of a field this replica knows other than the one it holds (that one is
     // in the row's stamps), plus placeholders (known=0) for versions named only as some change's
     // `prev`. has_child=1: some known version replaced it (it is not a leaf of the field's
     // version tree). See MergeOne.
     "CREATE TABLE sync_versions("
     " tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL,"
     " hlc INTEGER NOT NULL, site TEXT NOT NULL,"
     " known INTEGER NOT NULL, has_child INTEGER NOT NULL,"
     " PRIMARY KEY(tbl, row_id, col, hlc, site)) STRICT, WITHOUT ROWID;"
     // The conflict inbox: concurrent values that lost (leaves of a field's version tree other
     // than the winner). Local, derived; the same set on every replica.
     "CREATE TABLE sync_conflicts("
     " id TEXT PRIMARY KEY, scope TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL,"
     " col TEXT NOT NULL, value ANY, hlc INTEGER NOT NULL, site TEXT NOT NULL) STRICT;"
     "CREATE UNIQUE INDEX sync_conflicts_loser ON sync_conflicts(tbl, row_id, col, hlc, site);"
     "CREATE INDEX sync_conflicts_scope ON sync_conflicts(scope, id);"
     // Replicated (append-only) record that a conflict was resolved: row id = conflict id.
     "CREATE TABLE sync_resolutions(id TEXT PRIMARY KEY, scope TEXT NOT NULL, loser TEXT);"},
    {3,
     // The stamps of a row's fields now live in the row itself (column sync_stamps, one
     // RowClock blob), instead of one sync_clock row per field: a first pull then inserts each
     // record once, with no second B-tree keyed by random ids. Replica::Open adds the column
     // to each replicated table and converts the renamed old table (ConvertFieldClock).
     "ALTER TABLE sync_clock RENAME TO sync_clock_v2;"},
};

// Adds the stamps column where it is missing (a new store, a newly replicated table, or a
// store from before sync migration 3), then moves the per-field stamps of such an old store
// into it and drops the old table: one transaction, so a crash leaves all or nothing done.
static Result<void> PrepareStampColumns(Database& db, const std::vector<TableSpec>& tables,
                                        const std::vector<std::vector<std::string>>& columns) {
  LV_ASSIGN(std::int64_t old_clock,
            db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name='sync_clock_v2'"));
  bool missing = false;
  for (const auto& cols : columns) {
    missing = missing || std::find(cols.begin(), cols.end(), kStampsColumn) == cols.end();
  }
  if (!missing && old_clock == 0) return Ok();
  LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(db));
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto& cols = columns[i];
    if (std::find(cols.begin(), cols.end(), kStampsColumn) != cols.end()) continue;
    LV_TRY(db.Exec("ALTER TABLE " + tables[i].name + " ADD COLUMN " + std::string(kStampsColumn) +
                   " BLOB"));
  }
  if (old_clock != 0) {
    std::string tbl, row;
    RowClock clock;
    auto flush = [&]() -> Result<void> {
      if (clock.empty()) return Ok();
      const bool known = std::any_of(tables.begin(), tables.end(),
                                     [&](const TableSpec& t) { return t.name == tbl; });
      // Stamps of a table no longer replicated have nowhere to go; they are dropped with it.
      if (known) {
        LV_TRY(db.Run("UPDATE " + tbl + " SET " + std::string(kStampsColumn) + "=? WHERE id=?",
                      clock.Encode(), row));
      }
      clock = RowClock();
      return Ok();
    };
    {
      LV_ASSIGN(Statement st, db.Prepare("SELECT tbl, row_id, col, hlc, site FROM sync_clock_v2"
                                         " ORDER BY tbl, row_id, col"));
      for (;;) {
        LV_ASSIGN(bool more, st.Step());
        if (!more) break;
        if (st.Text(0) != tbl || st.Text(1) != row) {
          LV_TRY(flush());
          tbl = st.Text(0);
          row = st.Text(1);
        }
        const std::int64_t hlc = st.Int(3);
        if (hlc <= 0) return MakeError(Errc::kCorrupt, "a field stamp of " + tbl + " has no clock");
        clock.Set(st.Text(2), Stamp{hlc, st.Text(4)});
      }
    }
    LV_TRY(flush());
    LV_TRY(db.Exec("DROP TABLE sync_clock_v2"));
  }
  return tx.Commit();
}

Replica::Replica(Database& db, std::string site_id, std::vector<TableSpec> tables)
    : db_(&db), site_id_(std::move(site_id)), tables_(std::move(tables)) {
  for (const TableSpec& t : tables_) {
    TableSql q;
    q.select_scope =
        "SELECT scope, " + std::string(kStampsColumn) + " FROM " + t.name + " WHERE id=?";
    q.put_stamps = "UPDATE " + t.name + " SET " + std::string(kStampsColumn) + "=? WHERE id=?";
    q.insert_row = "INSERT INTO " + t.name + "(id, scope) VALUES(?, ?)";
    for (const std::string& c : t.columns) {
      q.update_col.push_back("UPDATE " + t.name + " SET " + c + "=? WHERE id=?");
      q.select_col.push_back("SELECT " + c + " FROM " + t.name + " WHERE id=?");
      q.update_st.push_back(nullptr);
    }
    sql_.push_back(std::move(q));
  }
}

static bool IsPlainIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return !(s[0] >= '0' && s[0] <= '9');
}

Result<std::unique_ptr<Replica>> Replica::Open(Database& db, std::string site_id,
                                               std::vector<TableSpec> tables) {
  if (site_id.empty()) return MakeError(Errc::kValidation, "replica site id is empty");
  LV_TRY(storage::Migrate(db, "sync", kSyncMigrations));
  // The resolution records replicate like any append-only table.
  bool has_resolutions = false;
  for (const TableSpec& t : tables)
    has_resolutions = has_resolutions || t.name == kResolutionsTable;
  if (!has_resolutions) tables.push_back({std::string(kResolutionsTable), {"loser"}, true});
  // Table and column names are spliced into SQL, so they must be plain identifiers that
  // exist in the schema: nothing from the network ever reaches SQL text unchecked.
  std::vector<std::vector<std::string>> table_columns;
  for (const TableSpec& t : tables) {
    if (!IsPlainIdentifier(t.name)) {
      return MakeError(Errc::kInternal,
                       "replicated table name is not a plain identifier: " + t.name);
    }
    LV_ASSIGN(Statement info, db.Prepare("SELECT name FROM pragma_table_info(?)"));
    info.Bind(1, t.name);
    std::vector<std::string> present;
    for (;;) {
      LV_ASSIGN(bool row, info.Step());
      if (!row) break;
      present.push_back(info.Text(0));
    }
    auto has = [&](const std::string& c) {
      return std::find(present.begin(), present.end(), c) != present.end();
    };
    if (!has("id") || !has("scope")) {
      return MakeError(Errc::kInternal, "replicated table " + t.name + " lacks id or scope");
    }
    for (const std::string& c : t.columns) {
      if (!IsPlainIdentifier(c) || !has(c) || c == kStampsColumn) {
        return MakeError(Errc::kInternal, "replicated table " + t.name + " has no column " + c);
      }
    }
    table_columns.push_back(std::move(present));
  }
  LV_TRY(PrepareStampColumns(db, tables, table_columns));
  std::unique_ptr<Replica> r(new Replica(db, std::move(site_id), std::move(tables)));
  auto last = db.QueryInt("SELECT value FROM sync_meta WHERE key='hlc'");
  if (last.ok()) {
    r->clock_.Restore(*last);
  } else if (last.error().code != Errc::kNotFound) {
    return last.error();
  }
  return r;
}

const TableSpec* Replica::FindTable(std::string_view name) const {
  for (const TableSpec& t : tables_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::size_t Replica::TableIndex(const TableSpec* spec) const {
  return static_cast<std::size_t>(spec - tables_.data());
}

static const TableSpec* FindIn(const std::vector<TableSpec>& tables, std::string_view name) {
  for (const TableSpec& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

static const TableSpec* FindMemo(const std::vector<TableSpec>& tables, std::string_view name,
                                 const TableSpec*& memo) {
  if (memo == nullptr || memo->name != name) memo = FindIn(tables, name);
  return memo;
}

static int ColumnIndex(const TableSpec& spec, std::string_view column) {
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    if (spec.columns[i] == column) return static_cast<int>(i);
  }
  return -1;
}

std::string Replica::NewId() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return std::string(hex);
}

// The id of a conflict entry: a hash of the losing version's coordinates, so every replica
// names the same conflict the same way, whichever order the changes arrived in.
static std::string ConflictId(std::string_view tbl, std::string_view row, std::string_view col,
                              const Stamp& loser) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 16);
  auto feed = [&](std::string_view part) {
    const std::uint32_t n = static_cast<std::uint32_t>(part.size());
    unsigned char len[4] = {static_cast<unsigned char>(n), static_cast<unsigned char>(n >> 8),
                            static_cast<unsigned char>(n >> 16),
                            static_cast<unsigned char>(n >> 24)};
    crypto_generichash_update(&st, len, sizeof len);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size());
  };
  feed(tbl);
  feed(row);
  feed(col);
  feed(std::to_string(loser.hlc));
  feed(loser.site);
  unsigned char out[16];
  crypto_generichash_final(&st, out, sizeof out);
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return std::string(hex);
}

// The clock in column `col` of the current row of `st` (NULL: a row never stamped).
static Result<RowClock> ClockAt(const Statement& st, int col, const TableSpec& spec,
                                std::string_view row_id) {
  if (st.IsNull(col)) return RowClock();
  const auto* bytes = static_cast<const std::uint8_t*>(sqlite3_column_blob(st.handle(), col));
  const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st.handle(), col));
  auto clock = RowClock::Decode(std::span<const std::uint8_t>(bytes, n));
  if (!clock.ok()) {
    return MakeError(Errc::kCorrupt, clock.error().message + " (table " + spec.name + ", row " +
                                         std::string(row_id) + ")");
  }
  return clock;
}

Result<Statement*> Replica::Hot(Statement*& slot, std::string_view sql) {
  if (slot == nullptr) {
    LV_ASSIGN(slot, db_->Cached(sql));
    return slot;
  }
  slot->Reset();
  return slot;
}

Result<void> Replica::PersistClock() {
  return db_->Run(
      "INSERT INTO sync_meta(key, value) VALUES('hlc', ?) "
      "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
      clock_.last());
}

Result<void> Replica::PutVersion(std::string_view tbl, std::string_view row, std::string_view col,
                                 const Stamp& s, bool has_child) {
  return db_->Run(
      "INSERT INTO sync_versions(tbl, row_id, col, hlc, site, known, has_child) "
      "VALUES(?, ?, ?, ?, ?, 1, ?) ON CONFLICT DO UPDATE SET known=1, "
      "has_child=max(has_child, excluded.has_child)",
      tbl, row, col, s.hlc, s.site, has_child ? 1 : 0);
}

Result<void> Replica::Write(std::string_view table, std::string_view row_id, std::string_view scope,
                            std::span<const FieldValue> fields) {
  if (!db_->InTransaction()) {
    return MakeError(Errc::kInternal, "Replica::Write outside a transaction");
  }
  const TableSpec* spec = FindTable(table);
  if (spec == nullptr) return MakeError(Errc::kValidation, "unknown table " + std::string(table));
  TableSql& q = sql_[TableIndex(spec)];
  if (row_id.empty() || scope.empty()) {
    return MakeError(Errc::kValidation, "a replicated row needs an id and a scope");
  }
  for (const FieldValue& f : fields) {
    if (ColumnIndex(*spec, f.column) < 0) {
      return MakeError(Errc::kValidation,
                       "table " + spec->name + " has no replicated column " + f.column);
    }
  }

  // Existing row: its scope is fixed, and append-only rows never change.
  RowClock clock;
  {
    LV_ASSIGN(Statement * find, Hot(q.select_scope_st, q.select_scope));
    find->Bind(1, row_id);
    LV_ASSIGN(bool exists, find->Step());
    if (exists) {
      const std::string existing_scope = find->Text(0);
      auto held = ClockAt(*find, 1, *spec, row_id);
      find->Reset();
      if (existing_scope != scope) {
        return MakeError(Errc::kConflict, "row " + std::string(row_id) + " of " + spec->name +
                                              " belongs to another scope");
      }
      if (spec->append_only) {
        return MakeError(Errc::kConstraint, "rows of " + spec->name + " are append-only");
      }
      if (!held.ok()) return held.error();
      clock = std::move(held).value();
    } else {
      find->Reset();
      LV_TRY(db_->Run(q.insert_row, row_id, scope));
    }
  }

  for (const FieldValue& f : fields) {
    const int ci = ColumnIndex(*spec, f.column);
    LV_TRY(db_->Run(q.update_col[static_cast<std::size_t>(ci)], f.value, row_id));
    Stamp prev;
    if (const Stamp* held = clock.Find(f.column)) {
      prev = *held;
      // The value replaced becomes an inner node of the field's version tree.
      LV_TRY(PutVersion(spec->name, row_id, f.column, prev, true));
    }
    const Stamp now{clock_.Now(), site_id_};
    clock.Set(f.column, now);
    LV_TRY(db_->Run(
        "INSERT INTO sync_outbox(scope, tbl, row_id, col, value, hlc, site, prev_hlc, prev_site)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        scope, spec->name, row_id, f.column, f.value, now.hlc, now.site, prev.hlc, prev.site));
  }
  LV_TRY(StoreClock(*spec, row_id, clock));
  return PersistClock();
}

Result<std::int64_t> Replica::PendingCount() {
  return db_->QueryInt("SELECT count(*) FROM sync_outbox");
}

// ---------------------------------------------------------------------------------------
// Merge. THE RULES, in one place:
//
// 1. Each field holds one value and its Stamp (in the row's sync_stamps). A remote change wins
//    when its stamp is greater (hlc first, then site bytes), so every replica that has seen the
//    same set of changes holds the same value, whatever order they came in (last writer wins).
// 2. A writer that saw a value always stamps after it (the HLC observes every stamp it
//    receives), so a change that descends from another also wins against it.
// 3. Every change names the version it replaced (`prev`). The versions of one field form a
//    tree through these links. Two writes are concurrent when neither descends from the other;
//    then the tree has more than one leaf. The conflict inbox holds exactly the leaves other
//    than the winner: values that were overwritten by a write that never saw them. A version
//    that later gets a known child (someone wrote on top of it) leaves the inbox: it was
//    superseded knowingly. The inbox is therefore a function of the set of changes received,
//    not of their order. (Before a gap in a chain is filled, an ancestor can look like a leaf;
//    the entry disappears when the missing link arrives.)
// 4. To decide this without keeping values, sync_versions keeps, per field, every known stamp
//    other than the current one (known=1), placeholders for stamps named only as a `prev`
//    (known=0), and whether each has a known child. The current version never has a child:
//    any child has a greater stamp and would be current.
// 5. A stamp already known (current, or known=1) is a no-op: re-delivery is idempotent.
// 6. Append-only tables: a field is written once. Re-delivery of the same value is a no-op;
//    a different value for a field already held is a protocol error.
// 7. Resolving a conflict is a normal local write of the chosen value on top of the winner,
//    plus an append-only row in sync_resolutions (id = conflict id) in the same scope, so the
//    entry is marked resolved on every replica that receives it.

Result<void> Replica::MarkHasChild(const TableSpec& spec, const Change& c, const Stamp& parent) {
  LV_ASSIGN(Statement * get,
            db_->Cached("SELECT known, has_child FROM sync_versions "
                        "WHERE tbl=? AND row_id=? AND col=? AND hlc=? AND site=?"));
  get->BindAll(spec.name, c.row_id, c.column, parent.hlc, parent.site);
  LV_ASSIGN(bool found, get->Step());
  if (!found) {
    get->Reset();
    return db_->Run(
        "INSERT INTO sync_versions(tbl, row_id, col, hlc, site, known, has_child) "
        "VALUES(?, ?, ?, ?, ?, 0, 1)",
        spec.name, c.row_id, c.column, parent.hlc, parent.site);
  }
  const bool known = get->Int(0) != 0;
  const bool had_child = get->Int(1) != 0;
  get->Reset();
  if (had_child) return Ok();
  LV_TRY(
      db_->Run("UPDATE sync_versions SET has_child=1 "
               "WHERE tbl=? AND row_id=? AND col=? AND hlc=? AND site=?",
               spec.name, c.row_id, c.column, parent.hlc, parent.site));
  if (known) {
    // It was a losing leaf; now someone wrote on top of it, so it is no longer a conflict.
    LV_TRY(db_->Run(
        "DELETE FROM sync_conflicts WHERE tbl=? AND row_id=? AND col=? AND hlc=? AND site=?",
        spec.name, c.row_id, c.column, parent.hlc, parent.site));
  }
  return Ok();
}

Result<void> Replica::AddConflict(const Change& field, const storage::Value& value,
                                  const Stamp& loser) {
  return db_->Run(
      "INSERT OR IGNORE INTO sync_conflicts(id, scope, tbl, row_id, col, value, hlc, site) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
      ConflictId(field.table, field.row_id, field.column, loser), field.scope, field.table,
      field.row_id, field.column, value, loser.hlc, loser.site);
}

Result<RowClock> Replica::LoadClock(const TableSpec& spec, std::string_view row_id) {
  TableSql& q = sql_[TableIndex(&spec)];
  LV_ASSIGN(Statement * get, Hot(q.select_scope_st, q.select_scope));
  get->Bind(1, row_id);
  LV_ASSIGN(bool found, get->Step());
  if (!found) {
    get->Reset();
    return RowClock();
  }
  auto clock = ClockAt(*get, 1, spec, row_id);
  get->Reset();
  return clock;
}

Result<void> Replica::StoreClock(const TableSpec& spec, std::string_view row_id,
                                 const RowClock& clock) {
  TableSql& q = sql_[TableIndex(&spec)];
  LV_ASSIGN(Statement * put, Hot(q.put_stamps_st, q.put_stamps));
  put->BindAll(clock.Encode(), row_id);
  return put->Run();
}

Result<std::optional<Stamp>> Replica::StampOf(std::string_view table, std::string_view row_id,
                                              std::string_view column) {
  const TableSpec* spec = FindTable(table);
  if (spec == nullptr) return MakeError(Errc::kValidation, "unknown table " + std::string(table));
  LV_ASSIGN(RowClock clock, LoadClock(*spec, row_id));
  const Stamp* s = clock.Find(column);
  if (s == nullptr) return std::optional<Stamp>();
  return std::optional<Stamp>(*s);
}

Result<void> Replica::MergeOne(const Change& c, const TableSpec& spec, TableSql& q, RowClock& clock,
                               bool& clock_dirty, ApplyStats& stats) {
  const auto ci = static_cast<std::size_t>(ColumnIndex(spec, c.column));
  const Stamp* held = clock.Find(c.column);
  const bool had = held != nullptr;
  const Stamp cur = had ? *held : Stamp{};

  auto set_value = [&]() -> Result<void> {
    LV_ASSIGN(Statement * upd, Hot(q.update_st[ci], q.update_col[ci]));
    upd->BindAll(c.value, c.row_id);
    LV_TRY(upd->Run());
    clock.Set(c.column, c.stamp);
    clock_dirty = true;
    ++stats.applied;
    return Ok();
  };
  auto current_value = [&]() -> Result<storage::Value> {
    LV_ASSIGN(Statement * sel, db_->Cached(q.select_col[ci]));
    sel->Bind(1, c.row_id);
    LV_ASSIGN(bool row, sel->Step());
    storage::Value v;
    if (row) v = sel->ValueAt(0);
    sel->Reset();
    return v;
  };

  if (spec.append_only) {  // rule 6
    if (!had) return set_value();
    LV_ASSIGN(storage::Value held_value, current_value());
    if (held_value != c.value) {
      return MakeError(Errc::kProtocol, "a remote change rewrites field " + c.column + " of " +
                                            spec.name + " row " + c.row_id +
                                            ", which is append-only");
    }
    ++stats.ignored;
    return Ok();
  }

  if (!had) {
    // First version of this field here. (No versions exist without a current one.)
    LV_TRY(set_value());
    if (!c.prev.IsZero()) LV_TRY(MarkHasChild(spec, c, c.prev));
    return Ok();
  }
  if (c.stamp == cur) {  // rule 5
    ++stats.ignored;
    return Ok();
  }
  LV_ASSIGN(Statement * ver, Hot(version_get_,
                                 "SELECT known, has_child FROM sync_versions "
                                 "WHERE tbl=? AND row_id=? AND col=? AND hlc=? AND site=?"));
  ver->BindAll(spec.name, c.row_id, c.column, c.stamp.hlc, c.stamp.site);
  LV_ASSIGN(bool listed, ver->Step());
  const bool known = listed && ver->Int(0) != 0;
  const bool has_child = listed && ver->Int(1) != 0;
  ver->Reset();
  if (known) {  // rule 5
    ++stats.ignored;
    return Ok();
  }

  if (c.stamp > cur) {  // rule 1: the remote change wins
    const bool direct = c.prev == cur;
    if (!direct) {
      // The value held was overwritten by a write that did not replace it: a conflict
      // (rule 3), unless a missing link later shows the write descends from it.
      LV_ASSIGN(storage::Value held_value, current_value());
      LV_TRY(AddConflict(c, held_value, cur));
      ++stats.conflicts;
    }
    LV_TRY(PutVersion(spec.name, c.row_id, c.column, cur, direct));
    if (!direct && !c.prev.IsZero()) LV_TRY(MarkHasChild(spec, c, c.prev));
    return set_value();
  }

  // The remote change loses; it is a conflict if nothing known descends from it (rule 3).
  LV_TRY(PutVersion(spec.name, c.row_id, c.column, c.stamp, has_child));
  if (!has_child) {
    LV_TRY(AddConflict(c, c.value, c.stamp));
    ++stats.conflicts;
  }
  if (!c.prev.IsZero()) LV_TRY(MarkHasChild(spec, c, c.prev));
  ++stats.ignored;
  return Ok();
}

// A row this replica does not have yet, whose fields arrive together (the usual case on a
// first pull): one INSERT with every field and the row's stamps. No merge
// decision is needed: nothing is held for a row that does not exist. The INSERT itself is the
// existence check (ON CONFLICT(id) DO NOTHING), so a new row costs no separate lookup.
// Returns how many changes it took; 0 when the row exists already or a field repeats in the
// run (the caller then merges one change at a time).
Result<std::size_t> Replica::CreateRow(std::span<const Change> changes, std::size_t first,
                                       const TableSpec& spec, TableSql& q, ApplyStats& stats) {
  const Change& head = changes[first];
  std::size_t end = first;
  std::uint64_t mask = 0;
  while (end < changes.size() && changes[end].table == head.table &&
         changes[end].row_id == head.row_id && changes[end].scope == head.scope) {
    const int ci = ColumnIndex(spec, changes[end].column);
    if (ci >= 64 || (mask & (std::uint64_t{1} << ci)) != 0) return std::size_t{0};
    mask |= std::uint64_t{1} << ci;
    ++end;
  }
  auto it = q.insert_full.find(mask);
  if (it == q.insert_full.end()) {
    // The column order of the cached statement follows the spec (through the mask), not the
    // arrival order; values are bound by their rank in the mask below.
    std::string cols = "id, scope, " + std::string(kStampsColumn), marks = "?, ?, ?";
    for (std::size_t ci = 0; ci < spec.columns.size(); ++ci) {
      if ((mask & (std::uint64_t{1} << ci)) == 0) continue;
      cols += ", " + spec.columns[ci];
      marks += ", ?";
    }
    LV_ASSIGN(Statement * st, db_->Cached("INSERT INTO " + spec.name + "(" + cols + ") VALUES(" +
                                          marks + ") ON CONFLICT(id) DO NOTHING"));
    it = q.insert_full.emplace(mask, st).first;
  }
  RowClock clock;
  for (std::size_t k = first; k < end; ++k) clock.Set(changes[k].column, changes[k].stamp);
  Statement* ins = it->second;
  ins->Reset();
  ins->Bind(1, head.row_id);
  ins->Bind(2, head.scope);
  ins->Bind(3, clock.Encode());
  for (std::size_t k = first; k < end; ++k) {
    // Parameter position = 4 + rank of this column among the mask's columns.
    const int ci = ColumnIndex(spec, changes[k].column);
    const std::uint64_t below = mask & ((std::uint64_t{1} << ci) - 1);
    ins->Bind(4 + std::popcount(below), changes[k].value);
  }
  LV_TRY(ins->Run());
  if (db_->Changes() == 0) return std::size_t{0};  // the row exists: merge field by field
  for (std::size_t k = first; k < end; ++k) {
    const Change& c = changes[k];
    if (!c.prev.IsZero() && !spec.append_only) LV_TRY(MarkHasChild(spec, c, c.prev));
    ++stats.applied;
  }
  return end - first;
}

Result<ApplyStats> Replica::ApplyRemote(std::span<const Change> changes) {
  if (!db_->InTransaction()) {
    return MakeError(Errc::kInternal, "Replica::ApplyRemote outside a transaction");
  }
  // Changes of one table come in runs: remember the last lookup.
  const TableSpec* memo = nullptr;
  // Validate the whole batch before touching anything.
  std::int64_t max_hlc = 0;
  const std::int64_t wall_ms = clock_.WallMs();
  const std::int64_t newest_allowed_ms =
      wall_ms > (HybridClock::kMaxHlc >> 16) - max_remote_skew_ms_ ? (HybridClock::kMaxHlc >> 16)
                                                                   : wall_ms + max_remote_skew_ms_;
  for (const Change& c : changes) {
    const TableSpec* spec = FindMemo(tables_, c.table, memo);
    if (spec == nullptr) {
      // The table's name (schema, never case data), cut short: a newer build's table is
      // named so the quarantine says why (the envelope is kept and judged again by a build
      // that knows it).
      return MakeError(Errc::kProtocol, "a remote change names table '" + c.table.substr(0, 64) +
                                            "', which this build does not know");
    }
    if (ColumnIndex(*spec, c.column) < 0) {
      return MakeError(Errc::kProtocol,
                       "a remote change names an unknown column of table " + spec->name);
    }
    if (c.row_id.empty() || c.scope.empty() || c.row_id.size() > 256 || c.scope.size() > 256) {
      return MakeError(Errc::kProtocol, "a remote change has no row id or scope");
    }
    if (!spec->scope_kinds.empty()) {
      const std::string_view kind = access::ScopeKindOf(c.scope);
      if (std::find(spec->scope_kinds.begin(), spec->scope_kinds.end(), kind) ==
          spec->scope_kinds.end()) {
        return MakeError(Errc::kProtocol, "a row of table " + spec->name + " in scope " + c.scope +
                                              " is refused: the table does not belong in a " +
                                              std::string(kind.empty() ? "kindless" : kind) +
                                              " scope");
      }
    }
    if (c.stamp.hlc <= 0 || c.stamp.site.empty() || c.stamp.site.size() > 256) {
      return MakeError(Errc::kProtocol, "a remote change has a malformed stamp");
    }
    if (HlcPhysicalMs(c.stamp.hlc) > newest_allowed_ms) {
      return MakeError(Errc::kProtocol,
                       "a change of row " + c.row_id + " of " + spec->name + " is stamped " +
                           std::to_string((HlcPhysicalMs(c.stamp.hlc) - wall_ms) / 1000) +
                           " s ahead of this device's clock (at most " +
                           std::to_string(max_remote_skew_ms_ / 1000) + " s allowed): refused");
    }
    if (!c.prev.IsZero() && (c.prev.hlc <= 0 || c.prev.hlc >= c.stamp.hlc || c.prev.site.empty())) {
      return MakeError(Errc::kProtocol, "a remote change replaces a version that is not older");
    }
    max_hlc = std::max(max_hlc, c.stamp.hlc);
  }

  LV_TRY(db_->Exec("SAVEPOINT lv_apply_remote"));
  ApplyStats stats;
  auto run = [&]() -> Result<void> {
    // The clock of the row being merged: loaded once when the run of its changes starts and
    // written back once when it ends.
    const TableSpec* row_spec = nullptr;
    std::string row_id, row_scope;
    RowClock clock;
    bool dirty = false;
    auto flush = [&]() -> Result<void> {
      if (row_spec != nullptr && dirty) LV_TRY(StoreClock(*row_spec, row_id, clock));
      dirty = false;
      return Ok();
    };
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const Change& c = changes[i];
      const TableSpec* spec = FindMemo(tables_, c.table, memo);
      TableSql& q = sql_[TableIndex(spec)];
      if (spec != row_spec || c.row_id != row_id || c.scope != row_scope) {
        LV_TRY(flush());
        row_spec = nullptr;
        LV_ASSIGN(std::size_t used, CreateRow(changes, i, *spec, q, stats));
        if (used > 0) {
          i += used - 1;
          continue;
        }
        // Rows are created by their first field to arrive; the scope is fixed at creation.
        LV_ASSIGN(Statement * find, Hot(q.select_scope_st, q.select_scope));
        find->Bind(1, c.row_id);
        LV_ASSIGN(bool exists, find->Step());
        if (exists) {
          const bool same = find->Text(0) == c.scope;
          auto held = ClockAt(*find, 1, *spec, c.row_id);
          find->Reset();
          if (!same) {
            return MakeError(Errc::kProtocol, "a remote change moves row " + c.row_id + " of " +
                                                  spec->name + " to another scope");
          }
          if (!held.ok()) return held.error();
          clock = std::move(held).value();
        } else {
          find->Reset();
          LV_ASSIGN(Statement * ins, Hot(q.insert_row_st, q.insert_row));
          ins->BindAll(c.row_id, c.scope);
          LV_TRY(ins->Run());
          clock = RowClock();
        }
        row_spec = spec;
        row_id = c.row_id;
        row_scope = c.scope;
      }
      LV_TRY(MergeOne(c, *spec, q, clock, dirty, stats));
    }
    LV_TRY(flush());
    clock_.Observe(max_hlc);
    return PersistClock();
  };
  Result<void> r = run();
  if (!r.ok()) {
    (void)db_->Exec("ROLLBACK TO lv_apply_remote; RELEASE lv_apply_remote");
    return r.error();
  }
  LV_TRY(db_->Exec("RELEASE lv_apply_remote"));
  return stats;
}

// ---------------------------------------------------------------------------------------
// Conflict inbox

Result<std::vector<ConflictEntry>> Replica::Conflicts(std::string_view scope_prefix,
                                                      bool include_resolved) {
  LV_ASSIGN(
      Statement st,
      db_->Prepare("SELECT c.id, c.scope, c.tbl, c.row_id, c.col, c.value, c.hlc, c.site,"
                   " r.id IS NOT NULL"
                   " FROM sync_conflicts c"
                   " LEFT JOIN sync_resolutions r ON r.id=c.id"
                   " WHERE (coalesce(?1, '')='' OR substr(c.scope, 1, length(?1))=?1) AND (?2 OR "
                   "r.id IS NULL)"
                   " ORDER BY c.scope, c.tbl, c.row_id, c.col, c.id"));
  st.Bind(1, scope_prefix);
  st.Bind(2, include_resolved ? 1 : 0);
  std::vector<ConflictEntry> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    ConflictEntry e;
    e.id = st.Text(0);
    e.scope = st.Text(1);
    e.table = st.Text(2);
    e.row_id = st.Text(3);
    e.column = st.Text(4);
    e.loser_value = st.ValueAt(5);
    e.loser = Stamp{st.Int(6), st.Text(7)};
    e.resolved = st.Int(8) != 0;
    out.push_back(std::move(e));
  }
  for (ConflictEntry& e : out) {
    const TableSpec* spec = FindTable(e.table);
    if (spec == nullptr) continue;
    const int ci = ColumnIndex(*spec, e.column);
    if (ci < 0) continue;
    LV_ASSIGN(RowClock clock, LoadClock(*spec, e.row_id));
    if (const Stamp* w = clock.Find(e.column)) e.winner = *w;
    LV_ASSIGN(Statement * sel,
              db_->Cached(sql_[TableIndex(spec)].select_col[static_cast<std::size_t>(ci)]));
    sel->Bind(1, e.row_id);
    LV_ASSIGN(bool row, sel->Step());
    if (row) e.winner_value = sel->ValueAt(0);
    sel->Reset();
  }
  return out;
}

Result<std::int64_t> Replica::UnresolvedConflictCount() {
  return db_->QueryInt(
      "SELECT count(*) FROM sync_conflicts c WHERE NOT EXISTS "
      "(SELECT 1 FROM sync_resolutions r WHERE r.id=c.id)");
}

Result<void> Replica::ResolveConflict(std::string_view conflict_id, const storage::Value& chosen) {
  if (!db_->InTransaction()) {
    return MakeError(Errc::kInternal, "Replica::ResolveConflict outside a transaction");
  }
  LV_ASSIGN(Statement st,
            db_->Prepare(
                "SELECT c.scope, c.tbl, c.row_id, c.col, c.hlc, c.site, r.id IS NOT NULL"
                " FROM sync_conflicts c LEFT JOIN sync_resolutions r ON r.id=c.id WHERE c.id=?"));
  st.Bind(1, conflict_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return MakeError(Errc::kNotFound, "no conflict " + std::string(conflict_id));
  const std::string scope = st.Text(0), tbl = st.Text(1), row_id = st.Text(2), col = st.Text(3);
  const Stamp loser{st.Int(4), st.Text(5)};
  if (st.Int(6) != 0) {
    return MakeError(Errc::kConflict,
                     "conflict " + std::string(conflict_id) + " is already resolved");
  }
  LV_TRY(Write(tbl, row_id, scope, {{col, chosen}}));
  return Write(kResolutionsTable, conflict_id, scope,
               {{"loser", std::to_string(loser.hlc) + ":" + loser.site}});
}

// ---------------------------------------------------------------------------------------
// Outbox

static Change OutboxChange(const Statement& st) {
  Change c;
  c.scope = st.Text(1);
  c.table = st.Text(2);
  c.row_id = st.Text(3);
  c.column = st.Text(4);
  c.value = st.ValueAt(5);
  c.stamp = Stamp{st.Int(6), st.Text(7)};
  c.prev = Stamp{st.Int(8), st.Text(9)};
  return c;
}

Result<std::vector<OutboxBatch>> Replica::ReadOutbox(std::int64_t max_changes,
                                                     std::int64_t max_batches,
                                                     const std::set<std::string>& skip_scopes) {
  if (max_changes <= 0 || max_batches <= 0) {
    return MakeError(Errc::kInternal, "ReadOutbox needs positive limits");
  }
  LV_ASSIGN(
      Statement st,
      db_->Prepare("SELECT seq, scope, tbl, row_id, col, value, hlc, site, prev_hlc, prev_site"
                   " FROM sync_outbox ORDER BY scope, seq"));
  std::vector<OutboxBatch> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    const std::int64_t seq = st.Int(0);
    const std::string scope = st.Text(1);
    if (skip_scopes.count(scope) != 0) continue;
    if (out.empty() || out.back().scope != scope ||
        static_cast<std::int64_t>(out.back().changes.size()) >= max_changes) {
      if (static_cast<std::int64_t>(out.size()) >= max_batches) break;
      OutboxBatch b;
      b.scope = scope;
      b.first_seq = seq;
      out.push_back(std::move(b));
    }
    out.back().last_seq = seq;
    out.back().changes.push_back(OutboxChange(st));
  }
  return out;
}

Result<OutboxBatch> Replica::ReadOutboxRange(std::string_view scope, std::int64_t first_seq,
                                             std::int64_t last_seq) {
  LV_ASSIGN(
      Statement st,
      db_->Prepare("SELECT seq, scope, tbl, row_id, col, value, hlc, site, prev_hlc, prev_site"
                   " FROM sync_outbox WHERE scope=? AND seq BETWEEN ? AND ? ORDER BY seq"));
  st.BindAll(scope, first_seq, last_seq);
  OutboxBatch b;
  b.scope = std::string(scope);
  b.first_seq = first_seq;
  b.last_seq = last_seq;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    b.changes.push_back(OutboxChange(st));
  }
  return b;
}

Result<void> Replica::MarkPushed(std::string_view scope, std::int64_t first_seq,
                                 std::int64_t last_seq) {
  return db_->Run("DELETE FROM sync_outbox WHERE scope=? AND seq BETWEEN ? AND ?", scope, first_seq,
                  last_seq);
}

Result<std::vector<std::pair<std::string, std::int64_t>>> Replica::PendingByScope() {
  LV_ASSIGN(Statement st,
            db_->Prepare("SELECT scope, count(*) FROM sync_outbox GROUP BY scope ORDER BY scope"));
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.emplace_back(st.Text(0), st.Int(1));
  }
  return out;
}

}  // namespace lietvedis::sync
