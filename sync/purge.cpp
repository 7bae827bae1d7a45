#include "sync/purge.hpp"

#include <utility>

#include "sync/protocol.hpp"

namespace lietvedis::sync {

using storage::Database;
using storage::Migration;
using storage::Statement;
using storage::Transaction;

namespace {

constexpr Migration kPurgeMigrations[] = {
    {1,
     // One row a scope: its latest purge. retained=1: purged for retention, kept out of every
     // later listing (rule P2). Scope ids and figures only.
     "CREATE TABLE sync_purged(scope TEXT PRIMARY KEY, reason TEXT NOT NULL,"
     " at_ms INTEGER NOT NULL, rows INTEGER NOT NULL, unsent INTEGER NOT NULL,"
     " key_versions INTEGER NOT NULL, retained INTEGER NOT NULL) STRICT;"},
};

// Tables whose rows keep their scope after a purge: the quarantine (ids and reasons of what
// was refused, never content) and this record.
bool KeptTable(std::string_view name) {
  return name == "sync_quarantine" || name == "sync_purged" || name.starts_with("sqlite_");
}

struct ScopedTable {
  std::string name;
  bool has_id = false;
};

// Every table with a `scope` column, in schema order.
Result<std::vector<ScopedTable>> TablesWithScope(Database& db) {
  std::vector<std::string> names;
  {
    LV_ASSIGN(Statement st, db.Prepare("SELECT name FROM sqlite_schema WHERE type='table'"
                                       " ORDER BY rowid"));
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (!KeptTable(st.Text(0))) names.push_back(st.Text(0));
    }
  }
  std::vector<ScopedTable> out;
  for (const std::string& name : names) {
    LV_ASSIGN(Statement info, db.Prepare("SELECT name FROM pragma_table_info(?)"));
    info.Bind(1, name);
    ScopedTable t{name, false};
    bool scoped = false;
    for (;;) {
      LV_ASSIGN(bool row, info.Step());
      if (!row) break;
      const std::string col = info.Text(0);
      scoped = scoped || col == "scope";
      t.has_id = t.has_id || col == "id";
    }
    if (scoped) out.push_back(std::move(t));
  }
  return out;
}

std::string Quoted(const std::string& name) {
  return "\"" + name + "\"";  // names come from sqlite_schema, never from input
}

}  // namespace

Result<void> MigratePurge(Database& db) {
  return storage::Migrate(db, "sync_purge", kPurgeMigrations);
}

Result<PurgedScope> PurgeScope(Database& db, Keyring& keyring, std::string_view scope,
                               std::string_view reason, std::int64_t now_ms) {
  if (scope.empty() || scope == protocol::kKindOrg) {
    return MakeError(Errc::kValidation, "purge: the organisation scope is never purged");
  }
  PurgedScope p{std::string(scope), std::string(reason), now_ms, 0, 0, 0};
  LV_ASSIGN(std::int64_t secure, db.QueryInt("PRAGMA secure_delete"));
  LV_TRY(db.Exec("PRAGMA secure_delete=ON"));
  struct Restore {
    Database& db;
    std::int64_t secure;
    ~Restore() {
      (void)db.Exec(secure != 0 ? "PRAGMA secure_delete=ON" : "PRAGMA secure_delete=OFF");
    }
  } restore{db, secure};

  LV_ASSIGN(Transaction tx, Transaction::Begin(db));
  LV_ASSIGN(std::vector<ScopedTable> tables, TablesWithScope(db));
  LV_ASSIGN(p.unsent_changes, db.QueryInt("SELECT count(*) FROM sync_outbox WHERE scope=?", scope));
  const std::string scope_text(scope);
  // The keys first (the table loop below would delete their rows uncounted, and leave the
  // cached copies).
  LV_ASSIGN(p.key_versions, keyring.ForgetScope(scope));
  // Field versions first: they name rows by table and id, not by scope.
  for (const ScopedTable& t : tables) {
    if (!t.has_id || t.name.starts_with("sync_")) continue;
    LV_TRY(db.Run("DELETE FROM sync_versions WHERE tbl=? AND row_id IN (SELECT id FROM " +
                      Quoted(t.name) + " WHERE scope=?)",
                  t.name, scope_text));
  }
  for (const ScopedTable& t : tables) {
    LV_TRY(db.Run("DELETE FROM " + Quoted(t.name) + " WHERE scope=?", scope_text));
    if (!t.name.starts_with("sync_")) p.rows += db.Changes();
  }
  LV_TRY(db.Run("DELETE FROM sync_deferred WHERE json_extract(envelope, '$.scope')=?", scope_text));
  LV_TRY(
      db.Run("INSERT INTO sync_purged(scope, reason, at_ms, rows, unsent, key_versions, retained)"
             " VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(scope) DO UPDATE SET reason=excluded.reason,"
             " at_ms=excluded.at_ms, rows=excluded.rows, unsent=excluded.unsent,"
             " key_versions=excluded.key_versions, retained=excluded.retained",
             scope_text, p.reason, p.at_ms, p.rows, p.unsent_changes, p.key_versions,
             reason == kPurgeRetention ? 1 : 0));
  LV_TRY(tx.Commit());
  return p;
}

Result<std::vector<std::string>> RetainedOutScopes(Database& db) {
  std::vector<std::string> out;
  LV_ASSIGN(Statement st, db.Prepare("SELECT scope FROM sync_purged WHERE retained=1"));
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.Text(0));
  }
  return out;
}

Result<std::vector<PurgedScope>> PurgeLog(Database& db, int limit) {
  std::vector<PurgedScope> out;
  LV_ASSIGN(Statement st,
            db.Prepare("SELECT scope, reason, at_ms, rows, unsent, key_versions FROM sync_purged"
                       " ORDER BY at_ms DESC, scope LIMIT ?"));
  st.Bind(1, static_cast<std::int64_t>(limit));
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(PurgedScope{st.Text(0), st.Text(1), st.Int(2), st.Int(3), st.Int(4), st.Int(5)});
  }
  return out;
}

}  // namespace lietvedis::sync
