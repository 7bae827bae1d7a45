#include "storage/database.hpp"

#include <string>
#include <utility>

namespace lietvedis {

const char* ErrcName(Errc code) {
  switch (code) {
    case Errc::kIo:
      return "io";
    case Errc::kWrongPassphrase:
      return "wrong_passphrase";
    case Errc::kTampered:
      return "tampered";
    case Errc::kNotAStore:
      return "not_a_store";
    case Errc::kCorrupt:
      return "corrupt";
    case Errc::kLocked:
      return "locked";
    case Errc::kBusy:
      return "busy";
    case Errc::kConstraint:
      return "constraint";
    case Errc::kValidation:
      return "validation";
    case Errc::kNotPermitted:
      return "not_permitted";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kConflict:
      return "conflict";
    case Errc::kProtocol:
      return "protocol";
    case Errc::kNetwork:
      return "network";
    case Errc::kUnsupported:
      return "unsupported";
    case Errc::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace lietvedis

namespace lietvedis::storage {

namespace {
thread_local Error t_vfs_note;
thread_local bool t_vfs_note_set = false;
}  // namespace

void NoteVfsFailure(Error error) {
  t_vfs_note = std::move(error);
  t_vfs_note_set = true;
}

Error SqliteError(int rc, sqlite3* db, std::string_view context) {
  const int primary = rc & 0xff;
  if ((primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) && t_vfs_note_set) {
    t_vfs_note_set = false;
    return Error{t_vfs_note.code, std::string(context) + ": " + t_vfs_note.message};
  }
  if (rc == SQLITE_IOERR_AUTH) {
    return Error{Errc::kTampered, std::string(context) + ": authenticated decryption failed"};
  }
  Errc code = Errc::kInternal;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = Errc::kBusy;
      break;
    case SQLITE_CONSTRAINT:
      code = Errc::kConstraint;
      break;
    case SQLITE_NOTADB:
      code = Errc::kNotAStore;
      break;
    case SQLITE_CORRUPT:
      code = Errc::kCorrupt;
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = Errc::kIo;
      break;
    case SQLITE_AUTH:
      code = Errc::kTampered;
      break;  // the encrypting VFS reports tampering so
    default:
      break;
  }
  std::string msg(context);
  msg += ": ";
  msg += sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_errcode(db) == rc) {
    const char* detail = sqlite3_errmsg(db);
    if (detail != nullptr && std::string_view(detail) != sqlite3_errstr(rc)) {
      msg += " (";
      msg += detail;
      msg += ")";
    }
  }
  return Error{code, std::move(msg)};
}

// ---------------------------------------------------------------------------------------
// Statement

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(other.stmt_),
      bind_error_(other.bind_error_),
      bind_error_index_(other.bind_error_index_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    bind_error_ = other.bind_error_;
    bind_error_index_ = other.bind_error_index_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::NoteBindError(int rc, int index) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
    bind_error_index_ = index;
  }
}

Statement& Statement::Bind(int index, std::int64_t v) {
  NoteBindError(sqlite3_bind_int64(stmt_, index, v), index);
  return *this;
}
Statement& Statement::Bind(int index, double v) {
  NoteBindError(sqlite3_bind_double(stmt_, index, v), index);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view text) {
  NoteBindError(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
  return *this;
}
Statement& Statement::Bind(int index, std::span<const std::uint8_t> blob) {
  // A zero-length blob must still be a BLOB, not NULL: SQLite treats a null pointer as NULL.
  static const std::uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  NoteBindError(sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT), index);
  return *this;
}
Statement& Statement::Bind(int index, std::nullptr_t) {
  NoteBindError(sqlite3_bind_null(stmt_, index), index);
  return *this;
}
Statement& Statement::Bind(int index, const Value& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          Bind(index, nullptr);
        } else {
          Bind(index, x);
        }
      },
      v);
  return *this;
}

Result<bool> Statement::Step() {
  if (stmt_ == nullptr) return MakeError(Errc::kInternal, "step on an empty statement");
  if (bind_error_ != SQLITE_OK) {
    const int rc = bind_error_;
    const int idx = bind_error_index_;
    Reset();
    return SqliteError(rc, db_, "binding parameter " + std::to_string(idx));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_);
    return false;
  }
  Error err = SqliteError(rc, db_, "executing statement");
  sqlite3_reset(stmt_);
  return err;
}

Result<void> Statement::Run() {
  for (;;) {
    LV_ASSIGN(bool row, Step());
    if (!row) break;
  }
  Reset();
  return Ok();
}

void Statement::Reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
  bind_error_index_ = 0;
}

int Statement::ColumnCount() const {
  return sqlite3_column_count(stmt_);
}
int Statement::ColumnType(int col) const {
  return sqlite3_column_type(stmt_, col);
}
std::int64_t Statement::Int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
double Statement::Double(int col) const {
  return sqlite3_column_double(stmt_, col);
}
std::string Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(n));
}
Blob Statement::BlobAt(int col) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? Blob() : Blob(p, p + n);
}
Value Statement::ValueAt(int col) const {
  switch (ColumnType(col)) {
    case SQLITE_INTEGER:
      return Int(col);
    case SQLITE_FLOAT:
      return Double(col);
    case SQLITE_TEXT:
      return Text(col);
    case SQLITE_BLOB:
      return BlobAt(col);
    default:
      return std::monostate{};
  }
}
const char* Statement::ColumnName(int col) const {
  return sqlite3_column_name(stmt_, col);
}

// ---------------------------------------------------------------------------------------
// Database

Database::Database(Database&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), cache_(std::move(other.cache_)) {
  other.db_ = nullptr;
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = other.db_;
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
    other.db_ = nullptr;
  }
  return *this;
}

Database::~Database() {
  Close();
}

void Database::Close() {
  cache_.clear();  // statements must be finalised before the connection closes
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

Result<void> InitializeSqlite() {
  static const int rc = [] {
    // SQLite's memory statistics take a global mutex on every allocation and nothing here
    // reads them; turning them off is worth ~5% of a bulk merge. Only possible before
    // sqlite3_initialize, so every path into SQLite comes through here first.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize();
  }();
  if (rc != SQLITE_OK) return MakeError(Errc::kInternal, "SQLite could not start");
  return Ok();
}

Result<Database> Database::Open(const std::string& path, const OpenOptions& options) {
  LV_TRY(InitializeSqlite());
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags,
                                 options.vfs.empty() ? nullptr : options.vfs.c_str());
  Database db;
  db.db_ = raw;
  db.path_ = path;
  if (rc != SQLITE_OK) return SqliteError(rc, raw, "opening database " + path);
  sqlite3_extended_result_codes(raw, 1);
  if (options.busy_timeout_ms > 0) sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  LV_TRY(db.Exec("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"));
  if (options.wal && !options.read_only) {
    // journal_mode returns a row; run it through a statement so the result is checked.
    LV_ASSIGN(Statement st, db.Prepare("PRAGMA journal_mode=WAL"));
    LV_ASSIGN(bool row, st.Step());
    if (!row || st.Text(0) != "wal") {
      return MakeError(Errc::kIo, "could not switch " + path + " to write-ahead logging");
    }
    LV_TRY(db.Exec("PRAGMA synchronous=NORMAL;"));
  }
  return db;
}

Result<void> Database::Exec(std::string_view sql) {
  std::string owned(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(rc, db_, "executing SQL");
    if (err != nullptr) sqlite3_free(err);
    return e;
  }
  return Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, db_, "preparing statement");
  return Statement(db_, stmt);
}

Result<Statement*> Database::Cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  LV_ASSIGN(Statement st, Prepare(sql));
  auto owned = std::make_unique<Statement>(std::move(st));
  Statement* raw = owned.get();
  cache_.emplace(std::string(sql), std::move(owned));
  return raw;
}

std::int64_t Database::LastInsertRowid() const {
  return sqlite3_last_insert_rowid(db_);
}
int Database::Changes() const {
  return sqlite3_changes(db_);
}
bool Database::InTransaction() const {
  return db_ != nullptr && sqlite3_get_autocommit(db_) == 0;
}

// ---------------------------------------------------------------------------------------
// Transaction

Result<Transaction> Transaction::Begin(Database& db, Mode mode) {
  LV_TRY(db.Exec(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  Rollback();
}

Result<void> Transaction::Commit() {
  if (db_ == nullptr) return MakeError(Errc::kInternal, "commit of a finished transaction");
  Result<void> r = db_->Exec("COMMIT");
  if (!r.ok()) {
    Rollback();
    return r;
  }
  db_ = nullptr;
  return Ok();
}

void Transaction::Rollback() {
  if (db_ != nullptr) {
    if (db_->InTransaction()) (void)db_->Exec("ROLLBACK");
    db_ = nullptr;
  }
}

// ---------------------------------------------------------------------------------------
// Migrations

static Result<void> EnsureVersionTable(Database& db) {
  return db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version("
      " component TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT");
}

Result<int> SchemaVersion(Database& db, std::string_view component) {
  LV_TRY(EnsureVersionTable(db));
  auto v = db.QueryInt("SELECT version FROM schema_version WHERE component=?", component);
  if (!v.ok()) {
    if (v.error().code == Errc::kNotFound) return 0;
    return v.error();
  }
  return static_cast<int>(*v);
}

Result<void> Migrate(Database& db, std::string_view component, std::span<const Migration> steps) {
  LV_ASSIGN(int current, SchemaVersion(db, component));
  const int latest = steps.empty() ? 0 : steps.back().version;
  if (current > latest) {
    return MakeError(Errc::kUnsupported, "the store's " + std::string(component) +
                                             " schema is version " + std::to_string(current) +
                                             ", newer than this program knows (" +
                                             std::to_string(latest) + "); update Lietvedis");
  }
  for (const Migration& step : steps) {
    if (step.version <= current) continue;
    LV_ASSIGN(Transaction tx, Transaction::Begin(db));
    Result<void> r = db.Exec(step.sql);
    if (!r.ok()) {
      return MakeError(r.error().code, "migrating " + std::string(component) + " to version " +
                                           std::to_string(step.version) + ": " + r.error().message);
    }
    LV_TRY(
        db.Run("INSERT INTO schema_version(component, version) VALUES(?, ?) "
               "ON CONFLICT(component) DO UPDATE SET version=excluded.version",
               component, step.version));
    LV_TRY(tx.Commit());
  }
  return Ok();
}

static Result<void> CheckpointTruncate(Database& db) {
  LV_ASSIGN(Statement st, db.Prepare("PRAGMA wal_checkpoint(TRUNCATE)"));
  LV_ASSIGN(bool row, st.Step());
  if (row && st.Int(0) != 0) {
    return MakeError(Errc::kBusy,
                     "the write-ahead log could not be emptied: another connection "
                     "is reading it");
  }
  return Ok();
}

Result<void> RewriteWithoutFreedPages(Database& db) {
  if (db.InTransaction()) {
    return MakeError(Errc::kInternal, "RewriteWithoutFreedPages called inside a transaction");
  }
  LV_ASSIGN(std::int64_t secure, db.QueryInt("PRAGMA secure_delete"));
  LV_TRY(db.Exec("PRAGMA secure_delete=ON"));
  Result<void> r = CheckpointTruncate(db);
  if (r.ok()) r = db.Exec("VACUUM");
  if (r.ok()) r = CheckpointTruncate(db);
  (void)db.Exec(secure != 0 ? "PRAGMA secure_delete=ON" : "PRAGMA secure_delete=OFF");
  return r;
}

}  // namespace lietvedis::storage
