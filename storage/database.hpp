// Thin RAII wrappers over the SQLite C API: Database, Statement, Transaction, and the
// forward-only migration runner. They keep SQLite's names and semantics; every SQLite result
// code is mapped to a Result where the C call is made.
//
// Threading: a Database (and every Statement prepared on it) belongs to one thread at a time.
// Lietvedis keeps exactly one writer connection per store; readers on other threads open
// their own read-only connection.
//
// This layer knows no domain words: tables are created by the layers above through
// Migrate().
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/result.hpp"

namespace lietvedis::storage {

using Blob = std::vector<std::uint8_t>;

// A dynamically typed SQLite value: NULL, INTEGER, REAL, TEXT or BLOB.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

// Maps an SQLite result code (and the connection's message, if any) to an Error.
Error SqliteError(int rc, sqlite3* db, std::string_view context);

// SQLite can only pass a VFS failure up as an SQLITE_IOERR_* (or SQLITE_CANTOPEN) code. A VFS
// that knows better (the encrypting VFS: "page 7 of store.db failed authentication") records
// the Error here, on the thread that runs the statement; the next SqliteError() for such a code
// on this thread returns it (with its context) and clears it. SQLITE_IOERR_AUTH without a note
// maps to kTampered.
void NoteVfsFailure(Error error);

// A prepared statement. Finalised in the destructor. Bind indexes start at 1 like SQLite's.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::int64_t v);
  Statement& Bind(int index, int v) { return Bind(index, static_cast<std::int64_t>(v)); }
  Statement& Bind(int index, double v);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, std::span<const std::uint8_t> blob);
  Statement& Bind(int index, const Blob& blob) {
    return Bind(index, std::span<const std::uint8_t>(blob));
  }
  Statement& Bind(int index, std::nullptr_t);
  Statement& Bind(int index, const Value& v);

  // Binds the arguments to parameters 1..N in order.
  template <class... Args>
  Statement& BindAll(const Args&... args) {
    int i = 0;
    (Bind(++i, args), ...);
    return *this;
  }

  // Advances one row. true: a row is available; false: done. Any bind error recorded
  // earlier is reported here.
  Result<bool> Step();
  // Steps until done (for statements that return no rows, or whose rows are ignored).
  Result<void> Run();
  // Resets the statement and clears its bindings so it can be reused.
  void Reset();

  int ColumnCount() const;
  int ColumnType(
      int col) const;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL
  bool IsNull(int col) const { return ColumnType(col) == SQLITE_NULL; }
  std::int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  Blob BlobAt(int col) const;
  Value ValueAt(int col) const;
  const char* ColumnName(int col) const;

  sqlite3_stmt* handle() const { return stmt_; }

 private:
  void NoteBindError(int rc, int index);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = SQLITE_OK;
  int bind_error_index_ = 0;
};

struct OpenOptions {
  bool read_only = false;
  bool create = true;
  // Name of a registered VFS (e.g. the encrypting VFS); empty = SQLite's default.
  std::string vfs;
  // WAL journal, foreign keys on, temp_store=MEMORY. busy_timeout is set only when
  // busy_timeout_ms > 0: the UI thread never waits on a lock.
  bool wal = true;
  int busy_timeout_ms = 0;
};

class Database {
 public:
  Database() = default;
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  static Result<Database> Open(const std::string& path, const OpenOptions& options = {});

  // Runs one or more statements that return no rows.
  Result<void> Exec(std::string_view sql);
  // Prepares a fresh statement owned by the caller.
  Result<Statement> Prepare(std::string_view sql);
  // Returns a statement from the connection's cache, reset and with bindings cleared.
  // WARNING: the pointer stays valid until the Database is closed, but the same SQL text
  // returns the same object, so do not hold one across a second Cached() of the same SQL
  // (nested iteration over one query needs Prepare()).
  Result<Statement*> Cached(std::string_view sql);

  // Convenience: prepares (cached), binds, runs a statement that returns no rows.
  template <class... Args>
  Result<void> Run(std::string_view sql, const Args&... args) {
    LV_ASSIGN(Statement * st, Cached(sql));
    st->BindAll(args...);
    return st->Run();
  }
  // Convenience: the first column of the first row as an integer, or kNotFound.
  template <class... Args>
  Result<std::int64_t> QueryInt(std::string_view sql, const Args&... args) {
    LV_ASSIGN(Statement * st, Cached(sql));
    st->BindAll(args...);
    LV_ASSIGN(bool row, st->Step());
    if (!row) return MakeError(Errc::kNotFound, "query returned no row");
    std::int64_t v = st->Int(0);
    st->Reset();
    return v;
  }

  std::int64_t LastInsertRowid() const;
  int Changes() const;
  bool InTransaction() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  void Close();

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

// A transaction scope. Rolls back in the destructor unless Commit() succeeded.
// Write transactions use BEGIN IMMEDIATE so the writer lock is taken up front.
class Transaction {
 public:
  enum class Mode { kDeferred, kImmediate };
  static Result<Transaction> Begin(Database& db, Mode mode = Mode::kImmediate);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Result<void> Commit();
  void Rollback();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;
};

// One forward step of a component's schema. Versions start at 1 and increase by one.
// Configures and starts SQLite once per process (Database::Open and the encrypting VFS call
// it; safe to call from any thread).
Result<void> InitializeSqlite();

struct Migration {
  int version;
  std::string_view sql;
};

// Brings `component`'s schema up to the last migration in `steps`, each step in its own
// transaction, recording progress in the table `schema_version(component, version)`.
// A store whose recorded version is newer than this build knows gives kUnsupported.
Result<void> Migrate(Database& db, std::string_view component, std::span<const Migration> steps);

// Leaves nothing of deleted rows in the files: copies the write-ahead log into the database
// file and truncates the log to zero bytes (wal_checkpoint(TRUNCATE)), rebuilds the file so no
// free page is left (VACUUM, with secure_delete on so the pages freed on the way are zeroed),
// and truncates the log VACUUM filled. Through the encrypting VFS every page written is
// sealed anew. Call outside a transaction, on the writer connection. kBusy when another
// connection keeps a read open on the log (nothing is lost: call again later).
// WARNING: rewrites the whole file; seconds on a large store. Not on the UI thread.
Result<void> RewriteWithoutFreedPages(Database& db);
Result<int> SchemaVersion(Database& db, std::string_view component);

}  // namespace lietvedis::storage
