// The PostgreSQL back end (libpq). Stateless: several server instances may share one database.
// Each operation checks a connection out of a small pool. Envelope appends take a
// transaction-scoped advisory lock, so sequence numbers (BIGSERIAL) are handed out and become
// visible in the same order: a concurrent pull never sees seq N+1 before N has committed.
#include <libpq-fe.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "sync/server/server_store.hpp"

namespace lietvedis::server {
namespace {

constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;
constexpr long long kSchemaLockKey = 7410000;
constexpr long long kPushLockKey = 7410001;

constexpr const char* kPgSchema = R"sql(
CREATE TABLE IF NOT EXISTS units(unit_id TEXT PRIMARY KEY, region TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(user_id TEXT PRIMARY KEY, display_name TEXT NOT NULL,
  role TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(unit_id), active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS devices(device_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(user_id), name TEXT NOT NULL, sign_pk BYTEA NOT NULL,
  box_pk BYTEA NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS devices_user ON devices(user_id);
CREATE TABLE IF NOT EXISTS enrolment_codes(code_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL, used_at BIGINT);
CREATE TABLE IF NOT EXISTS challenges(challenge_hash TEXT PRIMARY KEY, device_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions(token_hash TEXT PRIMARY KEY, device_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS scopes(scope TEXT PRIMARY KEY, kind TEXT NOT NULL,
  unit_id TEXT NOT NULL, owner_user_id TEXT NOT NULL, key_version BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS scopes_unit ON scopes(unit_id, kind);
CREATE INDEX IF NOT EXISTS scopes_owner ON scopes(owner_user_id);
CREATE TABLE IF NOT EXISTS grants(gid BIGSERIAL PRIMARY KEY, user_id TEXT NOT NULL,
  scope TEXT NOT NULL, granted_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS grants_user ON grants(user_id, gid);
CREATE TABLE IF NOT EXISTS key_wraps(scope TEXT NOT NULL, key_version BIGINT NOT NULL,
  device_id TEXT NOT NULL, sealed BYTEA NOT NULL, PRIMARY KEY(scope, key_version, device_id));
CREATE INDEX IF NOT EXISTS key_wraps_device ON key_wraps(device_id);
CREATE TABLE IF NOT EXISTS envelopes(seq BIGSERIAL PRIMARY KEY, scope TEXT NOT NULL,
  batch_id TEXT NOT NULL UNIQUE, author_device TEXT NOT NULL, key_version BIGINT NOT NULL,
  nonce BYTEA NOT NULL, ciphertext BYTEA NOT NULL, signature BYTEA NOT NULL,
  created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS envelopes_scope ON envelopes(scope, seq);
ALTER TABLE envelopes ADD COLUMN IF NOT EXISTS proof BYTEA NOT NULL DEFAULT ''::bytea;
CREATE TABLE IF NOT EXISTS directory_log(n BIGINT PRIMARY KEY, text TEXT NOT NULL,
  signature BYTEA NOT NULL);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS enrol_pk BYTEA NOT NULL DEFAULT ''::bytea;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS binding_sig BYTEA NOT NULL DEFAULT ''::bytea;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS revoked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scopes ADD COLUMN IF NOT EXISTS transfer_unit_id TEXT NOT NULL DEFAULT '';
ALTER TABLE scopes ADD COLUMN IF NOT EXISTS former_unit_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE scopes ADD COLUMN IF NOT EXISTS offer_unit_ids TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS scopes_transfer ON scopes(transfer_unit_id) WHERE transfer_unit_id <> '';
CREATE TABLE IF NOT EXISTS covers(user_id TEXT NOT NULL, deputy_user_id TEXT NOT NULL,
  from_day TEXT NOT NULL, until_day TEXT NOT NULL, PRIMARY KEY(user_id, deputy_user_id));
CREATE INDEX IF NOT EXISTS covers_deputy ON covers(deputy_user_id);
)sql";

// "?" -> "$1", "$2", ... (our SQL has no '?' inside string literals).
std::string Renumber(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

Error PgError(PGconn* conn, const PGresult* res, std::string_view context) {
  std::string msg;
  Errc code = Errc::kIo;
  if (res != nullptr) {
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    msg = primary != nullptr ? primary : PQresultErrorMessage(res);
    if (state != nullptr) {
      const std::string s = state;
      if (s.rfind("23", 0) == 0)
        code = Errc::kConstraint;
      else if (s == "40001" || s == "40P01" || s == "55P03")
        code = Errc::kBusy;
      else if (s.rfind("08", 0) == 0)
        code = Errc::kIo;
      else
        code = Errc::kInternal;
      msg += " [" + s + "]";
    }
  } else if (conn != nullptr) {
    msg = PQerrorMessage(conn);
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return MakeError(code, "postgresql: " + std::string(context) + ": " + msg);
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

class PgBackend;

class PgSession final : public SqlSession {
 public:
  PgSession(PgBackend& owner, PGconn* conn) : owner_(owner), conn_(conn) {}
  ~PgSession() override;

  Result<std::vector<std::vector<storage::Value>>> Query(
      std::string_view sql, std::span<const storage::Value> params) override {
    const std::string text = Renumber(sql);
    std::vector<std::string> storage_text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i];
      if (const auto* iv = std::get_if<std::int64_t>(&p)) {
        storage_text[i] = std::to_string(*iv);
      } else if (const auto* dv = std::get_if<double>(&p)) {
        storage_text[i] = std::to_string(*dv);
      } else if (const auto* sv = std::get_if<std::string>(&p)) {
        storage_text[i] = *sv;
      } else if (const auto* bv = std::get_if<storage::Blob>(&p)) {
        static const char kEmpty = 0;
        values[i] = bv->empty() ? &kEmpty : reinterpret_cast<const char*>(bv->data());
        lengths[i] = static_cast<int>(bv->size());
        formats[i] = 1;
        continue;
      } else {
        continue;  // NULL
      }
      values[i] = storage_text[i].c_str();
    }
    PgResult res(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                              values.data(), lengths.data(), formats.data(), 0));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      broken_ = PQstatus(conn_) != CONNECTION_OK;
      return PgError(conn_, res.get(), "query");
    }
    std::vector<std::vector<storage::Value>> rows;
    const int nrows = PQntuples(res.get());
    const int ncols = PQnfields(res.get());
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<storage::Value> row;
      row.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(res.get(), r, c);
        const Oid type = PQftype(res.get(), c);
        if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
          row.emplace_back(static_cast<std::int64_t>(std::strtoll(v, nullptr, 10)));
        } else if (type == kBoolOid) {
          row.emplace_back(static_cast<std::int64_t>(v[0] == 't' ? 1 : 0));
        } else if (type == kByteaOid) {
          std::size_t len = 0;
          unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &len);
          if (raw == nullptr) return MakeError(Errc::kInternal, "postgresql: bad bytea value");
          row.emplace_back(storage::Blob(raw, raw + len));
          PQfreemem(raw);
        } else {
          row.emplace_back(std::string(v, static_cast<std::size_t>(PQgetlength(res.get(), r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<void> Exec(const char* sql) {
    PgResult res(PQexec(conn_, sql));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      broken_ = PQstatus(conn_) != CONNECTION_OK;
      return PgError(conn_, res.get(), sql);
    }
    return Ok();
  }

  Result<void> Begin(bool serialise_pushes) override {
    LV_TRY(Exec("BEGIN"));
    in_tx_ = true;
    if (serialise_pushes) {
      const std::string lock = "SELECT pg_advisory_xact_lock(" + std::to_string(kPushLockKey) + ")";
      LV_TRY(Exec(lock.c_str()));
    }
    return Ok();
  }
  Result<void> Commit() override {
    in_tx_ = false;
    return Exec("COMMIT");
  }
  void Rollback() override {
    in_tx_ = false;
    (void)Exec("ROLLBACK");
  }

 private:
  PgBackend& owner_;
  PGconn* conn_;
  bool in_tx_ = false;
  bool broken_ = false;
};

class PgBackend final : public SqlBackend {
 public:
  PgBackend(std::string conninfo, int max_connections)
      : conninfo_(std::move(conninfo)), max_(max_connections) {}
  ~PgBackend() override {
    for (PGconn* c : idle_) PQfinish(c);
  }

  Result<PGconn*> Connect() {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
      Error e = PgError(conn, nullptr, "connect");
      if (conn != nullptr) PQfinish(conn);
      return e;
    }
    PgResult r(PQexec(conn, "SET client_min_messages = warning"));
    return conn;
  }

  Result<std::unique_ptr<SqlSession>> Acquire() override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      PGconn* c = idle_.back();
      idle_.pop_back();
      return std::unique_ptr<SqlSession>(new PgSession(*this, c));
    }
    ++open_;
    lock.unlock();
    auto conn = Connect();
    if (!conn) {
      std::lock_guard<std::mutex> g(mu_);
      --open_;
      cv_.notify_one();
      return conn.error();
    }
    return std::unique_ptr<SqlSession>(new PgSession(*this, *conn));
  }

  void Release(PGconn* conn, bool broken) {
    std::lock_guard<std::mutex> g(mu_);
    if (broken || PQstatus(conn) != CONNECTION_OK) {
      PQfinish(conn);
      --open_;
    } else {
      idle_.push_back(conn);
    }
    cv_.notify_one();
  }

  const char* Name() const override { return "postgresql"; }

 private:
  std::string conninfo_;
  int max_;
  int open_ = 0;
  std::vector<PGconn*> idle_;
  std::mutex mu_;
  std::condition_variable cv_;
};

PgSession::~PgSession() {
  if (in_tx_) Rollback();
  owner_.Release(conn_, broken_);
}

}  // namespace

Result<std::unique_ptr<SqlBackend>> OpenPostgresBackend(const std::string& conninfo,
                                                        int max_connections) {
  auto backend = std::make_unique<PgBackend>(conninfo, max_connections < 1 ? 1 : max_connections);
  {
    LV_ASSIGN(auto session, backend->Acquire());
    auto* pg = static_cast<PgSession*>(session.get());
    LV_TRY(pg->Begin(false));
    const std::string lock = "SELECT pg_advisory_xact_lock(" + std::to_string(kSchemaLockKey) + ")";
    LV_TRY(pg->Exec(lock.c_str()));
    LV_TRY(pg->Exec(kPgSchema));
    LV_TRY(pg->Commit());
  }
  return std::unique_ptr<SqlBackend>(std::move(backend));
}

}  // namespace lietvedis::server
