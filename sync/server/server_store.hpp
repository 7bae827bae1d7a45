// ServerStore: the central store's persistent state, behind one interface with two back ends:
// an embedded SQLite file (the default; the server never sees case plaintext, so the file is a
// plain SQLite database) and PostgreSQL (several stateless server instances may share one
// database).
//
// What it holds: the directory (units, users, devices with their public keys), enrolment codes
// (only a hash of the secret), session challenges and tokens (only hashes), scope registrations
// (kind, unit, owner, newest key version), grants (when a user gained a scope by reassignment,
// for pull backfill), key wraps and envelopes with a global sequence number and a unique batch
// id. It never holds a scope key, a private key or plaintext.
//
// Both back ends run the same SQL (store logic in server_store.cpp) over a small SqlBackend
// seam; they differ in connection handling, DDL and how pushes are serialised (SQLite: one
// writer connection; PostgreSQL: a transaction-scoped advisory lock so sequence numbers become
// visible in order and a pull never skips a number that commits late).
//
// Threading: every method may be called from any thread; the store serialises or pools
// connections internally. Errors: kNotFound, kConflict, kNotPermitted as documented per method;
// back-end failures as kIo/kBusy/kInternal with the back end's message (never content).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/protocol.hpp"

namespace lietvedis::server {

namespace protocol = lietvedis::sync::protocol;
using protocol::Bytes;

struct Unit {
  std::string unit_id, region, name;
};
struct User {
  std::string user_id, display_name, role, unit_id;
  bool active = true;
};
struct Device {
  std::string device_id, user_id, name;
  Bytes sign_pk, box_pk;
  std::int64_t created_at = 0;
  Bytes enrol_pk, binding_sig;    // its binding to a root-signed enrolment (sync/directory.hpp)
  bool revoked = false;           // by a root-signed revocation: no session is opened for it
  std::int64_t last_seen_at = 0;  // when it last fetched the directory (each sync); 0 = never
};
struct Scope {
  std::string scope, kind, unit_id, owner_user_id;
  std::uint32_t key_version = 0;
  std::string transfer_unit_id, former_unit_ids, offer_unit_ids;  // see protocol::ScopeInfo
  // Case scopes: the officers who cover for the owner today (rule R8), filled by GetScope and
  // ReadableScopes from the covers table; never sent to clients.
  std::string deputy_user_ids;
};
// A cover the directory records (sync/directory.hpp, kind `cover`).
struct Cover {
  std::string user_id, deputy_user_id, from_day, until_day;
};
struct StoredWrap {
  std::string scope;
  std::uint32_t key_version = 0;
  std::string device_id;
  Bytes sealed;
};
struct Directory {
  std::vector<Unit> units;
  std::vector<User> users;
  std::vector<Device> devices;
  std::vector<protocol::SignedStatement> log;  // the root-signed log, from statement 1
};
struct PushOutcome {
  std::int64_t seq = 0;
  bool duplicate = false;
};
struct StoreCounts {
  std::int64_t units = 0, users = 0, devices = 0, scopes = 0, wraps = 0, envelopes = 0,
               sessions = 0, open_codes = 0, challenges = 0;
};

// The scope table of PROTOCOL.md: may `user` read `scope`? Inactive users read nothing.
// The rule is access::MayRead (sync/access_rules.hpp), shared with the client engine;
// ReaderPredicateSql() in server_store.cpp is the same rule in SQL; keep the two in step.
bool CanRead(const User& user, const Scope& scope);

// One page request of envelopes readable by `reader`, seq in (after_seq, upto_seq], optionally
// only scopes granted to the reader with grant id in (grant_after, grant_upto]. A page holds at
// most `limit` envelopes and, when max_bytes > 0, stops after the envelope at which its
// ciphertext total reaches max_bytes (so it always holds at least one envelope).
struct PullQuery {
  std::int64_t after_seq = 0;
  std::int64_t upto_seq = INT64_MAX;
  bool only_granted = false;
  std::int64_t grant_after = 0, grant_upto = 0;
  std::size_t limit = protocol::kDefaultPullLimit;
  std::size_t max_bytes = 0;  // 0 = bounded by `limit` only
};

// One page of envelopes in seq order. `covered_seq`: every matching envelope with seq in
// (after_seq, covered_seq] is in the page (0 when the page is empty and nothing matched); the
// next page starts after it. `more`: matching envelopes after covered_seq exist.
struct PulledPage {
  std::vector<protocol::Envelope> envelopes;
  std::int64_t covered_seq = 0;
  bool more = false;
};

// The seam between the store logic and a database. Placeholders are written `?`; the
// PostgreSQL back end renumbers them. Values are storage::Value (NULL, int64, double, text,
// blob); PostgreSQL bytea comes back as a blob, integers as int64, the rest as text.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual Result<std::vector<std::vector<storage::Value>>> Query(
      std::string_view sql, std::span<const storage::Value> params) = 0;
  // A write transaction. `serialise_pushes` also takes the lock that orders envelope appends.
  virtual Result<void> Begin(bool serialise_pushes) = 0;
  virtual Result<void> Commit() = 0;
  virtual void Rollback() = 0;
  // Appends a push's envelopes in one transaction, in order (ServerStore::AppendEnvelopes).
  // This default runs one INSERT per envelope inside Begin(true)/Commit(); PostgreSQL
  // overrides it with a single pipelined round trip (server_store_pg.cpp).
  virtual Result<std::vector<PushOutcome>> AppendEnvelopes(
      std::span<const protocol::Envelope> envelopes, std::int64_t now);
};

class SqlBackend {
 public:
  virtual ~SqlBackend() = default;
  // A session for one operation; returned to the pool (or the writer mutex released) when
  // the pointer is destroyed.
  virtual Result<std::unique_ptr<SqlSession>> Acquire() = 0;
  virtual const char* Name() const = 0;  // "sqlite" or "postgresql"
};

Result<std::unique_ptr<SqlBackend>> OpenSqliteBackend(const std::string& path);
// max_connections: the pool's size; 0 = the default, DefaultPostgresPoolSize().
Result<std::unique_ptr<SqlBackend>> OpenPostgresBackend(const std::string& conninfo,
                                                        int max_connections = 0);
// The pool size `serve` uses: LIETVEDIS_PG_POOL when set to 1..500, else twice the cores plus
// four (8 on two cores). A pool much larger than the cores serving it only adds contention:
// on the 2-core benchmark machine 8 connections beat 16 and 32 (docs/SERVER.md). The HTTP
// worker threads (64) wait for a connection in turn; a request holds one only per statement.
int DefaultPostgresPoolSize();

class ServerStore {
 public:
  // `spec`: "sqlite:PATH" or a libpq URI "postgresql://..." / "postgres://...". Creates the
  // schema if missing. kValidation for an unknown spec, kIo when the database cannot be opened.
  static Result<std::unique_ptr<ServerStore>> Open(const std::string& spec);
  explicit ServerStore(std::unique_ptr<SqlBackend> backend) : backend_(std::move(backend)) {}

  // Today (the day in Latvia, sync::access::ServiceDay) for rule R8 comes from this clock (the
  // server's, settable for tests); the system clock by default.
  void SetClock(std::function<std::int64_t()> now_ms) { now_ms_ = std::move(now_ms); }

  const char* BackendName() const { return backend_->Name(); }

  // Directory. Add* fail with kConflict for an existing id.
  Result<void> AddUnit(const Unit& unit);
  Result<void> AddUser(const User& user);                  // kNotFound if the unit does not exist
  Result<User> GetUser(const std::string& user_id);        // kNotFound
  Result<Device> GetDevice(const std::string& device_id);  // kNotFound
  Result<Directory> LoadDirectory();
  // Notes that `device_id` reached the server at `now` (devices.last_seen_at, never moved back).
  Result<void> TouchDevice(const std::string& device_id, std::int64_t now);
  // Sets a user's active flag (kNotFound for an unknown user).
  Result<void> SetUserActive(const std::string& user_id, bool active);
  // Marks a device revoked and ends its sessions (kNotFound for an unknown device).
  Result<void> RevokeDevice(const std::string& device_id);

  // The root-signed directory log (append-only). The store keeps statements; it cannot make
  // them (it never holds the root key). AppendStatement: kConflict when statement `n` exists
  // (another administrator appended first: read the head again).
  Result<void> AppendStatement(std::int64_t n, const std::string& text, const Bytes& signature);
  // The last statement's number and text; {0, ""} for an empty log.
  Result<std::pair<std::int64_t, std::string>> DirectoryHead();
  Result<std::vector<Device>> DevicesOfUsers(std::span<const std::string> user_ids);

  // Enrolment. A code is stored under "pk:" + the hex enrolment public key of its root-signed
  // statement; the secret itself never reaches the server.
  Result<void> AddEnrolmentCode(const std::string& code_hash, const std::string& user_id,
                                std::int64_t expires_at);
  // Atomically marks the code used and registers `device`. kNotPermitted for an unknown,
  // used or expired code or an inactive user.
  Result<User> RedeemEnrolmentCode(const std::string& code_hash, std::int64_t now,
                                   const Device& device);

  // Sessions (hashes only). A challenge is stored for a known device only; expired ones are
  // purged on every call, and a device holds at most kMaxChallengesPerDevice (the newest), so
  // unauthenticated callers cannot grow the table.
  static constexpr int kMaxChallengesPerDevice = 4;
  Result<void> AddChallenge(const std::string& challenge_hash, const std::string& device_id,
                            std::int64_t now, std::int64_t expires_at);
  // Deletes the challenge; kNotPermitted if unknown, for another device or expired.
  Result<void> ConsumeChallenge(const std::string& challenge_hash, const std::string& device_id,
                                std::int64_t now);
  Result<void> AddSession(const std::string& token_hash, const std::string& device_id,
                          std::int64_t expires_at);
  // The session's device id; kNotPermitted if unknown or expired.
  Result<std::string> SessionDevice(const std::string& token_hash, std::int64_t now);
  // The session's device, its user and the user's highest grant id (MaxGrant, which every
  // pull needs) in one query, since every authenticated request asks: kNotPermitted if the
  // session is unknown, expired or its device revoked; kNotFound if the device's user is gone.
  // `device_id` is set as soon as the session is known (for the log).
  struct SessionIdentity {
    Device device;
    User user;
    std::int64_t max_grant = 0;
  };
  Result<SessionIdentity> SessionCaller(const std::string& token_hash, std::int64_t now,
                                        std::string* device_id = nullptr);

  // Scopes.
  Result<Scope> GetScope(const std::string& scope);  // kNotFound
  Result<void> InsertScope(const Scope& scope);      // kConflict if it exists
  // Sets the owner and records a grant for the new owner (pull backfills from it).
  Result<void> SetScopeOwner(const std::string& scope, const std::string& owner_user_id,
                             std::int64_t now);
  Result<std::vector<Scope>> ReadableScopes(const User& reader);
  // Transfers between units (docs/PROTOCOL.md, "Transfers"), each over a case scope and its
  // mentoring scope when registered, in one transaction. An offer records the receiving unit
  // and a grant for each active supervisor of it (their pull backfills the history); "" as
  // `to_unit` ends the offer (withdrawn or declined). An acceptance moves the scopes to the
  // receiving unit with the new owner, appends the old unit to former_unit_ids, and grants
  // the owner and the unit's coordinators (the mentoring scope).
  // Whether unit `unit_id` has an active user of `role` (the receiving unit of an offer needs
  // a supervisor to decide on it).
  Result<bool> HasActiveUser(const std::string& unit_id, std::string_view role);
  // Records a cover (`active`) or ends it. A new or extended cover grants the deputy every case
  // scope its officer owns, so the deputy's next pull backfills them (rule R8).
  Result<void> SetCover(const Cover& cover, bool active, std::int64_t now);
  Result<std::vector<Cover>> Covers();
  Result<void> SetTransferOffer(const std::vector<std::string>& scopes, const std::string& to_unit,
                                std::int64_t now);
  Result<void> AcceptTransfer(const std::vector<std::string>& scopes, const std::string& owner,
                              std::int64_t now);
  // Highest grant id recorded for `user_id`; 0 if none.
  Result<std::int64_t> MaxGrant(const std::string& user_id);

  // Key wraps. Stores each wrap unless one exists for (scope, version, device) and raises the
  // scope's key_version to the highest version stored.
  // own_device: the caller, whose wraps for itself replace the one stored (see PutWraps).
  Result<void> PutWraps(std::span<const StoredWrap> wraps, std::string_view own_device = {});
  Result<std::vector<StoredWrap>> WrapsForDevice(const std::string& device_id);
  // The devices holding a wrap of each of `keys` (scope, key version): one query per 200
  // scopes, not one per scope.
  Result<std::map<std::pair<std::string, std::uint32_t>, std::vector<std::string>>> WrappedDevices(
      std::span<const std::pair<std::string, std::uint32_t>> keys);

  // Envelopes: appends all in one transaction, in order; a batch id already stored returns its
  // seq with duplicate=true (kConflict if it was stored for another author device).
  Result<std::vector<PushOutcome>> AppendEnvelopes(std::span<const protocol::Envelope> envelopes,
                                                   std::int64_t now);
  Result<PulledPage> Pull(const User& reader, const PullQuery& query);
  Result<std::int64_t> MaxSeq();

  Result<StoreCounts> Counts(std::int64_t now);

 private:
  std::string Today() const;
  // owner user id -> the deputies covering today, comma-separated (rule R8).
  Result<std::map<std::string, std::string>> DeputiesToday(SqlSession& s);
  void FillDeputies(const std::map<std::string, std::string>& deputies, Scope& scope) const;

  std::unique_ptr<SqlBackend> backend_;
  std::function<std::int64_t()> now_ms_;
};

// A fresh random id: 32 lowercase hex characters.
std::string NewRandomId();
// Lowercase hex BLAKE2b-256 of a secret, for storing codes and tokens.
std::string HashSecret(std::string_view secret);

}  // namespace lietvedis::server
