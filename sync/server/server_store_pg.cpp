// The PostgreSQL back end (libpq). Stateless: several server instances may share one database.
//
// Connections: a pool of up to `max_connections` (OpenPostgresBackend), each carrying the
// prepared statements made on it. Every statement the store runs is prepared once per
// connection (PQprepare) and then executed by name (PQexecPrepared): a request pays one round
// trip per statement and no parse or plan.
//
// Envelope appends (the hot path of every push) run as ONE round trip: the batches of a push
// are sent in libpq's pipeline mode as calls of lv_append_envelope() (a PL/pgSQL function in
// the schema below) in one implicit transaction ended by the pipeline's Sync. The function takes
// a transaction-scoped advisory lock before the sequence hands out a number, so numbers are
// handed out and become visible in the same order: a concurrent pull never sees seq N+1 before
// N has committed (a puller whose cursor passed N+1 would otherwise never see N). The lock is
// held only while the server executes and commits the push — never across a network wait for
// the client, since every statement of the transaction is already in the server's hands.
#include <libpq-fe.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "sync/server/server_store.hpp"

namespace lietvedis::server {
namespace {

constexpr Oid kBoolOid = 16, kByteaOid = 17, kNameOid = 19, kInt8Oid = 20, kInt2Oid = 21,
              kInt4Oid = 23, kTextOid = 25, kBpcharOid = 1042, kVarcharOid = 1043;
// Query results come in binary format (PgSession::Rows).
constexpr int kBinaryResults = 1;
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
-- One envelope of a push (see the top of this file). The advisory lock (kPushLockKey) orders
-- appends so that sequence numbers become visible in the order they are handed out; a batch
-- id stored before returns its seq as a duplicate, or fails (unique_violation) when another
-- device stored it, which aborts the whole push.
CREATE OR REPLACE FUNCTION lv_append_envelope(p_scope TEXT, p_batch_id TEXT, p_author TEXT,
  p_key_version BIGINT, p_nonce BYTEA, p_ciphertext BYTEA, p_signature BYTEA, p_proof BYTEA,
  p_created_at BIGINT, OUT out_seq BIGINT, OUT out_duplicate BOOLEAN)
LANGUAGE plpgsql AS $fn$
DECLARE
  stored_author TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(7410001);
  INSERT INTO envelopes(scope, batch_id, author_device, key_version, nonce, ciphertext,
    signature, proof, created_at)
  VALUES (p_scope, p_batch_id, p_author, p_key_version, p_nonce, p_ciphertext, p_signature,
    p_proof, p_created_at)
  ON CONFLICT (batch_id) DO NOTHING RETURNING seq INTO out_seq;
  IF out_seq IS NOT NULL THEN
    out_duplicate := false;
    RETURN;
  END IF;
  SELECT e.seq, e.author_device INTO out_seq, stored_author FROM envelopes e
    WHERE e.batch_id = p_batch_id;
  IF stored_author IS DISTINCT FROM p_author THEN
    RAISE EXCEPTION 'batch % was stored by another device', p_batch_id
      USING ERRCODE = 'unique_violation';
  END IF;
  out_duplicate := true;
END
$fn$;
)sql";

// lv_append_envelope's parameters, in order, and the statement that calls it.
constexpr int kAppendParams = 9;
constexpr const char* kAppendSql =
    "SELECT out_seq, out_duplicate FROM lv_append_envelope($1, $2, $3, $4, $5, $6, $7, $8, $9)";
// A connection keeps at most this many prepared statements; the store's SQL is a small fixed
// set, but lists of `?` (WrappedDevices) vary in length, and those past the cap run unprepared.
constexpr std::size_t kMaxPreparedPerConnection = 256;

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

// One pooled connection and the statements prepared on it (SQL text -> statement name).
struct PgConn {
  PGconn* conn = nullptr;
  std::unordered_map<std::string, std::string> prepared;
};

// Parameters bound for libpq: integers and text as text, blobs as binary, NULL as null.
struct BoundParams {
  std::vector<std::string> text;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;

  explicit BoundParams(std::span<const storage::Value> params)
      : text(params.size()),
        values(params.size(), nullptr),
        lengths(params.size(), 0),
        formats(params.size(), 0) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i];
      if (const auto* iv = std::get_if<std::int64_t>(&p)) {
        text[i] = std::to_string(*iv);
      } else if (const auto* dv = std::get_if<double>(&p)) {
        text[i] = std::to_string(*dv);
      } else if (const auto* sv = std::get_if<std::string>(&p)) {
        text[i] = *sv;
      } else if (const auto* bv = std::get_if<storage::Blob>(&p)) {
        static const char kEmpty = 0;
        values[i] = bv->empty() ? &kEmpty : reinterpret_cast<const char*>(bv->data());
        lengths[i] = static_cast<int>(bv->size());
        formats[i] = 1;
        continue;
      } else {
        continue;  // NULL
      }
      values[i] = text[i].c_str();
    }
  }
  int count() const { return static_cast<int>(values.size()); }
};

bool ResultOk(const PGresult* res) {
  const auto status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

class PgSession final : public SqlSession {
 public:
  PgSession(PgBackend& owner, PgConn* conn) : owner_(owner), pc_(conn), conn_(conn->conn) {}
  ~PgSession() override;

  // The name of `sql` prepared on this connection (preparing it on first use); "" when the
  // connection holds its cap of statements (the caller then runs it unprepared).
  Result<std::string> Prepared(const std::string& sql, int nparams) {
    auto it = pc_->prepared.find(sql);
    if (it != pc_->prepared.end()) return it->second;
    if (pc_->prepared.size() >= kMaxPreparedPerConnection) return std::string();
    std::string name = "lv" + std::to_string(pc_->prepared.size() + 1);
    PgResult res(PQprepare(conn_, name.c_str(), sql.c_str(), nparams, nullptr));
    if (!ResultOk(res.get())) {
      broken_ = PQstatus(conn_) != CONNECTION_OK;
      return PgError(conn_, res.get(), "prepare");
    }
    pc_->prepared.emplace(sql, name);
    return name;
  }

  Result<std::vector<std::vector<storage::Value>>> Query(
      std::string_view sql, std::span<const storage::Value> params) override {
    const std::string text = Renumber(sql);
    const BoundParams bound(params);
    LV_ASSIGN(const std::string name, Prepared(text, bound.count()));
    PgResult res(name.empty()
                     ? PQexecParams(conn_, text.c_str(), bound.count(), nullptr,
                                    bound.values.data(), bound.lengths.data(), bound.formats.data(),
                                    kBinaryResults)
                     : PQexecPrepared(conn_, name.c_str(), bound.count(), bound.values.data(),
                                      bound.lengths.data(), bound.formats.data(), kBinaryResults));
    if (!ResultOk(res.get())) {
      broken_ = PQstatus(conn_) != CONNECTION_OK;
      return PgError(conn_, res.get(), "query");
    }
    return Rows(res.get());
  }

  // Rows of a result in binary format (kBinaryResults): integers in network byte order, bytea
  // as its bytes (no hex text to build on the server and unescape here: a pull page is mostly
  // ciphertext), text as UTF-8. The store reads no other column type; one would be an error.
  static Result<std::vector<std::vector<storage::Value>>> Rows(const PGresult* res) {
    std::vector<std::vector<storage::Value>> rows;
    const int nrows = PQntuples(res);
    const int ncols = PQnfields(res);
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<storage::Value> row;
      row.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, r, c)) {
          row.emplace_back(std::monostate{});
          continue;
        }
        const auto* v = reinterpret_cast<const unsigned char*>(PQgetvalue(res, r, c));
        const auto len = static_cast<std::size_t>(PQgetlength(res, r, c));
        const Oid type = PQftype(res, c);
        if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
          const std::size_t want = type == kInt8Oid ? 8 : type == kInt4Oid ? 4 : 2;
          if (len != want) return MakeError(Errc::kInternal, "postgresql: bad integer value");
          std::uint64_t u = 0;
          for (std::size_t i = 0; i < len; ++i) u = (u << 8) | v[i];
          const int shift = static_cast<int>(64 - 8 * len);  // sign-extend a narrower integer
          row.emplace_back(static_cast<std::int64_t>(u << shift) >> shift);
        } else if (type == kBoolOid) {
          if (len != 1) return MakeError(Errc::kInternal, "postgresql: bad boolean value");
          row.emplace_back(static_cast<std::int64_t>(v[0] != 0 ? 1 : 0));
        } else if (type == kByteaOid) {
          row.emplace_back(storage::Blob(v, v + len));
        } else if (type == kTextOid || type == kVarcharOid || type == kNameOid ||
                   type == kBpcharOid) {
          row.emplace_back(std::string(reinterpret_cast<const char*>(v), len));
        } else {
          return MakeError(Errc::kInternal, "postgresql: column " + std::to_string(c + 1) +
                                                " has type oid " + std::to_string(type) +
                                                ", which the store does not read");
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  // The push in one round trip (see the top of this file): every batch as a call of
  // lv_append_envelope() in pipeline mode, one implicit transaction, committed by the Sync.
  // A failing call aborts the rest and rolls the whole push back. A push of more than
  // kPipelineChunk batches runs in an explicit transaction, one round trip per chunk: each
  // chunk's results are read before the next is sent, so neither side can block writing while
  // the other is not reading (libpq's blocking mode would otherwise deadlock on a large push).
  static constexpr std::size_t kPipelineChunk = 64;
  Result<std::vector<PushOutcome>> AppendEnvelopes(std::span<const protocol::Envelope> envelopes,
                                                   std::int64_t now) override {
    if (envelopes.empty()) return std::vector<PushOutcome>{};
    LV_ASSIGN(const std::string name, Prepared(kAppendSql, kAppendParams));
    if (name.empty()) return SqlSession::AppendEnvelopes(envelopes, now);
    if (PQenterPipelineMode(conn_) != 1) return PgError(conn_, nullptr, "pipeline");
    std::vector<PushOutcome> out;
    out.reserve(envelopes.size());
    Result<void> sent = Ok();
    const bool chunked = envelopes.size() > kPipelineChunk;
    for (std::size_t begin = 0; begin < envelopes.size() && sent; begin += kPipelineChunk) {
      const std::size_t end = std::min(envelopes.size(), begin + kPipelineChunk);
      sent = SendAndRead(name, envelopes.subspan(begin, end - begin), now,
                         chunked && begin == 0 ? "BEGIN" : nullptr,
                         chunked && end == envelopes.size() ? "COMMIT" : nullptr, out);
    }
    if (!sent) DrainPipeline();
    if (PQexitPipelineMode(conn_) != 1) broken_ = true;
    if (!sent) {
      if (chunked && !broken_) Rollback();
      return sent.error();
    }
    return out;
  }

  Result<void> Exec(const char* sql) {
    PgResult res(PQexec(conn_, sql));
    if (!ResultOk(res.get())) {
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
  // Sends `before` (a plain statement, or none), one lv_append_envelope() call per envelope,
  // `after` (or none) and a Sync; reads every result, appending each call's outcome to `out`.
  Result<void> SendAndRead(const std::string& name, std::span<const protocol::Envelope> envelopes,
                           std::int64_t now, const char* before, const char* after,
                           std::vector<PushOutcome>& out) {
    synced_ = false;
    auto send_plain = [&](const char* sql) {
      return PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    };
    if (before != nullptr && !send_plain(before)) return Lost("append");
    for (const auto& e : envelopes) {
      const storage::Value p[] = {
          e.scope, e.batch_id,   e.author_device, std::int64_t{e.key_version},
          e.nonce, e.ciphertext, e.signature,     e.proof,
          now};
      const BoundParams bound(p);
      if (PQsendQueryPrepared(conn_, name.c_str(), bound.count(), bound.values.data(),
                              bound.lengths.data(), bound.formats.data(), 0) != 1) {
        return Lost("append");
      }
    }
    if (after != nullptr && !send_plain(after)) return Lost("append");
    if (PQpipelineSync(conn_) != 1) return Lost("append");
    const std::size_t results =
        envelopes.size() + (before != nullptr ? 1 : 0) + (after != nullptr ? 1 : 0);
    std::optional<Error> failure;
    for (std::size_t i = 0; i < results; ++i) {
      PgResult res(PQgetResult(conn_));
      if (!res) return Lost("append");
      const auto status = PQresultStatus(res.get());
      const bool is_call =
          !(before != nullptr && i == 0) && !(after != nullptr && i + 1 == results);
      if (failure) {
        // Skipped after the failure (PGRES_PIPELINE_ABORTED): nothing to take.
      } else if (is_call && status == PGRES_TUPLES_OK && PQntuples(res.get()) == 1) {
        out.push_back(PushOutcome{std::strtoll(PQgetvalue(res.get(), 0, 0), nullptr, 10),
                                  PQgetvalue(res.get(), 0, 1)[0] == 't'});
      } else if (!is_call && status == PGRES_COMMAND_OK) {
        // BEGIN or COMMIT
      } else {
        failure = status == PGRES_PIPELINE_ABORTED
                      ? MakeError(Errc::kInternal, "postgresql: append: pipeline aborted")
                      : PgError(conn_, res.get(), "append");
      }
      PgResult end(PQgetResult(conn_));  // the NULL that ends each statement's results
    }
    PgResult sync(PQgetResult(conn_));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
      broken_ = true;
      return failure ? *failure : PgError(conn_, sync.get(), "append: no sync");
    }
    synced_ = true;
    if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
    if (failure) return *failure;
    return Ok();
  }

  // The connection failed mid-pipeline: it leaves the pool.
  Error Lost(std::string_view context) {
    broken_ = true;
    return PgError(conn_, nullptr, context);
  }

  // After a failure part-way through reading, reads results up to the pipeline's Sync; a
  // connection that cannot get there is dropped from the pool.
  void DrainPipeline() {
    if (synced_ || broken_) return;  // broken: the Sync may never have been sent
    for (int guard = 0; guard < 100000; ++guard) {
      PgResult res(PQgetResult(conn_));
      if (!res) {
        if (PQstatus(conn_) != CONNECTION_OK) break;
        continue;
      }
      if (PQresultStatus(res.get()) == PGRES_PIPELINE_SYNC) {
        synced_ = true;
        return;
      }
    }
    broken_ = true;
  }

  PgBackend& owner_;
  PgConn* pc_;
  PGconn* conn_;
  bool in_tx_ = false;
  bool broken_ = false;
  bool synced_ = true;
};

class PgBackend final : public SqlBackend {
 public:
  PgBackend(std::string conninfo, int max_connections)
      : conninfo_(std::move(conninfo)), max_(max_connections) {}
  ~PgBackend() override {
    for (PgConn* c : idle_) {
      PQfinish(c->conn);
      delete c;
    }
  }

  Result<PgConn*> Connect() {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
      Error e = PgError(conn, nullptr, "connect");
      if (conn != nullptr) PQfinish(conn);
      return e;
    }
    PgResult r(PQexec(conn, "SET client_min_messages = warning"));
    auto* pc = new PgConn;
    pc->conn = conn;
    return pc;
  }

  Result<std::unique_ptr<SqlSession>> Acquire() override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      PgConn* c = idle_.back();
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

  void Release(PgConn* conn, bool broken) {
    std::lock_guard<std::mutex> g(mu_);
    if (broken || PQstatus(conn->conn) != CONNECTION_OK) {
      PQfinish(conn->conn);
      delete conn;
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
  std::vector<PgConn*> idle_;
  std::mutex mu_;
  std::condition_variable cv_;
};

PgSession::~PgSession() {
  if (in_tx_) Rollback();
  owner_.Release(pc_, broken_);
}

}  // namespace

int DefaultPostgresPoolSize() {
  if (const char* env = std::getenv("LIETVEDIS_PG_POOL")) {
    const int n = std::atoi(env);
    if (n >= 1 && n <= 500) return n;
  }
  const unsigned cores = std::thread::hardware_concurrency();
  return 2 * static_cast<int>(cores == 0 ? 2 : cores) + 4;
}

Result<std::unique_ptr<SqlBackend>> OpenPostgresBackend(const std::string& conninfo,
                                                        int max_connections) {
  if (max_connections <= 0) max_connections = DefaultPostgresPoolSize();
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
