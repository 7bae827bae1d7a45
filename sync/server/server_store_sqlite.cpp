// The embedded back end: one plain SQLite file (WAL), one connection behind a mutex. The server
// stores only ciphertext and public routing metadata, so the file is not encrypted.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "sync/server/server_store.hpp"

namespace lietvedis::server {
namespace {

constexpr storage::Migration kSqliteSchema[] = {
    {1, R"sql(
CREATE TABLE units(unit_id TEXT PRIMARY KEY, region TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE users(user_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL,
                   unit_id TEXT NOT NULL REFERENCES units(unit_id), active INTEGER NOT NULL);
CREATE TABLE devices(device_id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(user_id),
                     name TEXT NOT NULL, sign_pk BLOB NOT NULL, box_pk BLOB NOT NULL,
                     created_at INTEGER NOT NULL);
CREATE INDEX devices_user ON devices(user_id);
CREATE TABLE enrolment_codes(code_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL,
                             expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE challenges(challenge_hash TEXT PRIMARY KEY, device_id TEXT NOT NULL,
                        expires_at INTEGER NOT NULL);
CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, device_id TEXT NOT NULL,
                      expires_at INTEGER NOT NULL);
CREATE TABLE scopes(scope TEXT PRIMARY KEY, kind TEXT NOT NULL, unit_id TEXT NOT NULL,
                    owner_user_id TEXT NOT NULL, key_version INTEGER NOT NULL);
CREATE INDEX scopes_unit ON scopes(unit_id, kind);
CREATE INDEX scopes_owner ON scopes(owner_user_id);
CREATE TABLE grants(gid INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL,
                    scope TEXT NOT NULL, granted_at INTEGER NOT NULL);
CREATE INDEX grants_user ON grants(user_id, gid);
CREATE TABLE key_wraps(scope TEXT NOT NULL, key_version INTEGER NOT NULL, device_id TEXT NOT NULL,
                       sealed BLOB NOT NULL, PRIMARY KEY(scope, key_version, device_id));
CREATE INDEX key_wraps_device ON key_wraps(device_id);
CREATE TABLE envelopes(seq INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL,
                       batch_id TEXT NOT NULL UNIQUE, author_device TEXT NOT NULL,
                       key_version INTEGER NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL,
                       signature BLOB NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX envelopes_scope ON envelopes(scope, seq);
)sql"},
    // A batch's inclusion proof in its push (push_proof.hpp); empty for one signed alone.
    {2, "ALTER TABLE envelopes ADD COLUMN proof BLOB NOT NULL DEFAULT x'';"},
    // The root-signed directory log (sync/directory.hpp), each device's binding to its
    // enrolment, and revocation.
    {3, R"sql(
CREATE TABLE directory_log(n INTEGER PRIMARY KEY, text TEXT NOT NULL, signature BLOB NOT NULL);
ALTER TABLE devices ADD COLUMN enrol_pk BLOB NOT NULL DEFAULT x'';
ALTER TABLE devices ADD COLUMN binding_sig BLOB NOT NULL DEFAULT x'';
ALTER TABLE devices ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
)sql"},
    // When each device last fetched the directory (every sync does): the administrator's
    // "last seen" (docs/SERVER.md); 0 = not since this step.
    {4, "ALTER TABLE devices ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;"},
    // Transfers between units (docs/PROTOCOL.md, "Transfers").
    {5, R"sql(
ALTER TABLE scopes ADD COLUMN transfer_unit_id TEXT NOT NULL DEFAULT '';
ALTER TABLE scopes ADD COLUMN former_unit_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE scopes ADD COLUMN offer_unit_ids TEXT NOT NULL DEFAULT '';
CREATE INDEX scopes_transfer ON scopes(transfer_unit_id) WHERE transfer_unit_id <> '';
)sql"},
    // Covers from the root-signed directory (rule R8, docs/PROTOCOL.md "Covers").
    {6, R"sql(
CREATE TABLE covers(user_id TEXT NOT NULL, deputy_user_id TEXT NOT NULL, from_day TEXT NOT NULL,
                    until_day TEXT NOT NULL, PRIMARY KEY(user_id, deputy_user_id));
CREATE INDEX covers_deputy ON covers(deputy_user_id);
)sql"},
};

class SqliteSession final : public SqlSession {
 public:
  SqliteSession(storage::Database& db, std::unique_lock<std::mutex> lock)
      : db_(db), lock_(std::move(lock)) {}
  ~SqliteSession() override {
    if (in_tx_) Rollback();
  }

  Result<std::vector<std::vector<storage::Value>>> Query(
      std::string_view sql, std::span<const storage::Value> params) override {
    LV_ASSIGN(storage::Statement * st, db_.Cached(sql));
    int i = 0;
    for (const auto& p : params) st->Bind(++i, p);
    std::vector<std::vector<storage::Value>> rows;
    while (true) {
      auto step = st->Step();
      if (!step) {
        st->Reset();
        return step.error();
      }
      if (!*step) break;
      std::vector<storage::Value> row;
      const int n = st->ColumnCount();
      row.reserve(static_cast<std::size_t>(n));
      for (int c = 0; c < n; ++c) row.push_back(st->ValueAt(c));
      rows.push_back(std::move(row));
    }
    st->Reset();
    return rows;
  }
  Result<void> Begin(bool) override {
    LV_TRY(db_.Exec("BEGIN IMMEDIATE"));
    in_tx_ = true;
    return Ok();
  }
  Result<void> Commit() override {
    in_tx_ = false;
    return db_.Exec("COMMIT");
  }
  void Rollback() override {
    in_tx_ = false;
    if (db_.InTransaction()) (void)db_.Exec("ROLLBACK");
  }

 private:
  storage::Database& db_;
  std::unique_lock<std::mutex> lock_;
  bool in_tx_ = false;
};

class SqliteBackend final : public SqlBackend {
 public:
  explicit SqliteBackend(storage::Database db) : db_(std::move(db)) {}
  Result<std::unique_ptr<SqlSession>> Acquire() override {
    std::unique_lock<std::mutex> lock(mu_);
    return std::unique_ptr<SqlSession>(new SqliteSession(db_, std::move(lock)));
  }
  const char* Name() const override { return "sqlite"; }

 private:
  std::mutex mu_;
  storage::Database db_;
};

}  // namespace

Result<std::unique_ptr<SqlBackend>> OpenSqliteBackend(const std::string& path) {
  // The central store holds sealed envelopes, device keys and the directory: owner-only.
  // SQLite creates the -wal and -shm files with the database file's mode, so the file is
  // created 0600 here, before SQLite creates it 0644 less the umask; an older store made
  // before this is narrowed to 0600, with its -wal and -shm.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return MakeError(Errc::kIo, "opening " + path + ": " + std::strerror(errno));
  const int narrowed = ::fchmod(fd, 0600);
  ::close(fd);
  if (narrowed != 0)
    return MakeError(Errc::kIo, "chmod 0600 " + path + ": " + std::strerror(errno));
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = path + suffix;
    if (::chmod(side.c_str(), 0600) != 0 && errno != ENOENT) {
      return MakeError(Errc::kIo, "chmod 0600 " + side + ": " + std::strerror(errno));
    }
  }
  storage::OpenOptions options;
  options.busy_timeout_ms = 5000;  // the server is never a UI thread
  LV_ASSIGN(storage::Database db, storage::Database::Open(path, options));
  LV_TRY(storage::Migrate(db, "server", kSqliteSchema));
  return std::unique_ptr<SqlBackend>(new SqliteBackend(std::move(db)));
}

}  // namespace lietvedis::server
