#include "sync/replica.hpp"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <utility>

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

HybridClock::HybridClock(WallClock wall) : wall_(wall ? std::move(wall) : WallClock(SystemWallMs)) {}

std::int64_t HybridClock::Now() {
  const std::int64_t wall = HlcPack(wall_(), 0);
  last_ = std::max(last_ + 1, wall);
  return last_;
}

void HybridClock::Observe(std::int64_t remote_hlc) {
  if (remote_hlc > last_) last_ = remote_hlc;
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
};

Replica::Replica(Database& db, std::string site_id, std::vector<TableSpec> tables)
    : db_(&db), site_id_(std::move(site_id)), tables_(std::move(tables)) {}

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
  // Table and column names are spliced into SQL, so they must be plain identifiers that
  // exist in the schema: nothing from the network ever reaches SQL text unchecked.
  for (const TableSpec& t : tables) {
    if (!IsPlainIdentifier(t.name)) {
      return MakeError(Errc::kInternal, "replicated table name is not a plain identifier: " + t.name);
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
      if (!IsPlainIdentifier(c) || !has(c)) {
        return MakeError(Errc::kInternal, "replicated table " + t.name + " has no column " + c);
      }
    }
  }
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

std::string Replica::NewId() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return std::string(hex);
}

Result<void> Replica::PersistClock() {
  return db_->Run(
      "INSERT INTO sync_meta(key, value) VALUES('hlc', ?) "
      "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
      clock_.last());
}

Result<void> Replica::Write(std::string_view table, std::string_view row_id,
                            std::string_view scope, std::span<const FieldValue> fields) {
  if (!db_->InTransaction()) {
    return MakeError(Errc::kInternal, "Replica::Write outside a transaction");
  }
  const TableSpec* spec = FindTable(table);
  if (spec == nullptr) return MakeError(Errc::kValidation, "unknown table " + std::string(table));
  if (row_id.empty() || scope.empty()) {
    return MakeError(Errc::kValidation, "a replicated row needs an id and a scope");
  }
  for (const FieldValue& f : fields) {
    if (std::find(spec->columns.begin(), spec->columns.end(), f.column) == spec->columns.end()) {
      return MakeError(Errc::kValidation,
                       "table " + spec->name + " has no replicated column " + f.column);
    }
  }

  // Existing row: its scope is fixed, and append-only rows never change.
  LV_ASSIGN(Statement * find, db_->Cached("SELECT scope FROM " + spec->name + " WHERE id=?"));
  find->Bind(1, row_id);
  LV_ASSIGN(bool exists, find->Step());
  if (exists) {
    const std::string existing_scope = find->Text(0);
    find->Reset();
    if (existing_scope != scope) {
      return MakeError(Errc::kConflict, "row " + std::string(row_id) + " of " + spec->name +
                                            " belongs to another scope");
    }
    if (spec->append_only) {
      return MakeError(Errc::kConstraint, "rows of " + spec->name + " are append-only");
    }
  } else {
    LV_TRY(db_->Run("INSERT INTO " + spec->name + "(id, scope) VALUES(?, ?)", row_id, scope));
  }

  for (const FieldValue& f : fields) {
    LV_TRY(db_->Run("UPDATE " + spec->name + " SET " + f.column + "=? WHERE id=?", f.value, row_id));

    Stamp prev;
    LV_ASSIGN(Statement * clk,
              db_->Cached("SELECT hlc, site FROM sync_clock WHERE tbl=? AND row_id=? AND col=?"));
    clk->BindAll(spec->name, row_id, f.column);
    LV_ASSIGN(bool had, clk->Step());
    if (had) prev = Stamp{clk->Int(0), clk->Text(1)};
    clk->Reset();

    const Stamp now{clock_.Now(), site_id_};
    LV_TRY(db_->Run(
        "INSERT INTO sync_clock(tbl, row_id, col, hlc, site) VALUES(?, ?, ?, ?, ?) "
        "ON CONFLICT(tbl, row_id, col) DO UPDATE SET hlc=excluded.hlc, site=excluded.site",
        spec->name, row_id, f.column, now.hlc, now.site));
    LV_TRY(db_->Run(
        "INSERT INTO sync_outbox(scope, tbl, row_id, col, value, hlc, site, prev_hlc, prev_site)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        scope, spec->name, row_id, f.column, f.value, now.hlc, now.site, prev.hlc, prev.site));
  }
  return PersistClock();
}

Result<std::int64_t> Replica::PendingCount() {
  return db_->QueryInt("SELECT count(*) FROM sync_outbox");
}

}  // namespace lietvedis::sync
