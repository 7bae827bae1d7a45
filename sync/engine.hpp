// SyncEngine: the client side of the sync protocol (docs/PROTOCOL.md, docs/SYNC.md).
//
// One engine per enrolled device. It owns nothing but its own local tables (the device
// profile, the session, cursors, pending push batches); it works over the store's writer
// connection and the Replica that stamps every local write. Keys live in the envelope layer
// (sync/envelope.hpp): device keys in `sync_device`, scope keys in `sync_scope_keys`.
//
// One SyncOnce() runs these phases, in order, and stops at the first failure (the next call
// resumes where this one stopped; nothing is applied twice):
//   1. session    challenge/response with the device's Ed25519 key; the token is kept (in
//                 memory and in the store, for the next process) until it expires
//   2. start      GET /v1/sync: directory and scope list when changed, first pull page, in one
//                 request (GET /v1/directory and /v1/scopes against an older server)
//      directory  verified (fresh or the stored copy) -> hooks.on_directory
//   3. scopes     hooks.local_scopes(): register new scopes, report owner changes
//   4. keys       fetch wraps for this device, create a scope key on first write, wrap it for
//                 every reader device, fulfil /v1/keys/missing, rotate after a reader loss
//   5. push       outbox in batches per scope; each batch gets a batch_id that is persisted
//                 BEFORE it is sent, so a retry after a lost response reuses it (the server
//                 answers duplicate:true and stores nothing)
//   6. pull       pages by cursor; verify + decrypt + Replica::ApplyRemote + store the cursor
//                 in ONE transaction per page
//      purge      every scope the server no longer lists here is deleted from the device
//                 (sync/purge.hpp), before it could be registered, keyed or pushed
//   7. retention  after the push, every scope the client layer names as past retention is
//                 deleted too; after the sync's last commit the files are rewritten without
//                 freed pages
//
// Threading: the engine belongs to the thread that owns the Database (the writer thread, off
// the UI thread: SyncOnce blocks on the network). The Progress callback, the hooks and the
// fault callback are called on that thread, synchronously. During a pull the engine runs one
// helper thread of its own that fetches, decodes and signature-checks the next page over a
// second connection; it touches neither the Database nor the Keyring and never outlives the
// SyncOnce call that started it.
// Errors: kNetwork (server unreachable, connection dropped, timeout), kProtocol (malformed
// answer, bad signature, undecryptable envelope: nothing of that page is applied),
// kNotPermitted (enrolment code refused, device revoked), kTampered (pinned certificate
// fingerprint does not match), storage errors as they come. What the central store hands over
// that this device does not believe (an envelope from a device the directory does not certify
// or a user who may not write the scope, a bad signature, rows that do not fit their envelope,
// an anonymous or unauthorised key wrap, a mentoring scope whose owner is not the case's) is
// not an error of the sync: it is put in quarantine (SyncStatus::refusals) and the sync goes
// on with everything else. The last error is also kept, in
// plain words, for Status().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/batch_codec.hpp"
#include "sync/purge.hpp"
#include "sync/replica.hpp"

namespace lietvedis::sync {

// The server's directory (GET /v1/directory), as handed to the client layer.
struct EngineDirectory {
  struct Unit {
    std::string unit_id, region, name;
  };
  struct User {
    std::string user_id, display_name, role, unit_id;
    bool active = true;
  };
  struct Device {
    std::string device_id, user_id;
    std::vector<std::uint8_t> sign_pk, box_pk;  // raw key bytes
  };
  // A cover (aizvietošana, docs/PRIVACY.md "Break-glass"): while `user_id` (an officer) is
  // away, `deputy_user_id` (an officer of the same unit) holds the keys of user_id's case
  // files and may open one by break-glass, with a reason, from `from_day` to `until_day`
  // (ISO days, both inclusive). The keys arrive as soon as the organisation records the cover,
  // so the deputy's device has the files before the absence starts and works offline.
  // Only covers the organisation has not ended; whether one holds today is the reader's check.
  struct Cover {
    std::string user_id, deputy_user_id, from_day, until_day;
  };
  // An entry of the service's programme catalogue as the organisation stated it (codes as in
  // sync/directory.hpp); `active` false: retired.
  struct Programme {
    std::string programme_id, name, target_group, provider, provider_name, mode, accreditation;
    bool active = true;
  };
  std::vector<Unit> units;
  std::vector<User> users;
  std::vector<Device> devices;
  std::vector<Cover> covers;
  std::vector<Programme> programmes;
};

// The directory as this device last verified it (SyncEngine::KnownDirectory): what an
// administrator's screen and the sync panel name devices by. `current` holds the certified
// devices still in service; `revoked` every device the organisation cut off, with the words of
// its revocation.
struct KnownDirectory {
  EngineDirectory current;
  struct Revocation {
    std::string device_id, user_id;  // user_id "" when the device was never bound
    std::string reason;
    std::int64_t issued_at_ms = 0;
  };
  std::vector<Revocation> revoked;
  std::int64_t head_n = 0;  // the directory log's last verified statement
  // An administrator's device only: each device as the central store saw it at this device's
  // last sync (GET /v1/devices/seen; the store's word, for display), by device id, and when
  // that was (0: never fetched, e.g. another role, or a store from before the request).
  struct Seen {
    std::string name;
    std::int64_t enrolled_at_ms = 0, last_seen_ms = 0;  // 0 = never
  };
  std::map<std::string, Seen> seen;
  std::int64_t seen_as_of_ms = 0;
};

// A scope as the client layer sees it locally (client::ScopeRegistration without the
// dependency): registered with POST /v1/scopes when new, reported with POST /v1/scopes/owner
// when its owner differs from what the server holds. `transfer_unit_id`: the unit the case's
// own signed record offers it to while a transfer waits ("" otherwise); a supervisor's device
// reports an offer, its withdrawal, a decline or an acceptance made here (POST
// /v1/scopes/transfer), and every device wraps keys for the receiving unit only while this
// record names the unit the server names (docs/PROTOCOL.md, "Transfers").
struct LocalScope {
  std::string scope, kind, unit_id, owner_user_id;
  std::string transfer_unit_id;
};

// What the layer above supplies. Every hook may be empty (then that step is skipped).
struct EngineHooks {
  // Called once per SyncOnce with the fresh directory, inside a write transaction the engine
  // opened (use Replica::Write / plain SQL; do not begin another transaction). An error
  // aborts the sync and rolls the transaction back.
  std::function<Result<void>(const EngineDirectory&)> on_directory;
  // Every scope that has rows locally, with its current unit and owner.
  std::function<Result<std::vector<LocalScope>>()> local_scopes;
  // Called after a pull page committed rows (e.g. to refresh UI snapshots); outside any
  // transaction. `applied` = changes that changed a field.
  std::function<void(std::int64_t applied)> on_applied;
  // Called at the end of a sync whose pull applied changes, outside any transaction: the
  // WAL holds the pull, not yet copied into the database file (the pull holds automatic
  // checkpoints back; engine.cpp, ScopedPullSettings). Checkpoint it off this thread
  // (storage::Store::CheckpointInBackground). Unset: the first commit after the sync does it,
  // and its caller waits for it.
  std::function<void()> checkpoint_wal;
  // Called once when the organisation's root-signed revocation of THIS device is seen (the
  // server refuses its sign-in and shows the statement; a server's word alone never triggers
  // it). Erase the case data here (store, WAL, keys). The engine has already recorded the
  // revocation; every later SyncOnce fails with kNotPermitted.
  std::function<Result<void>()> on_revoked;
  // Scopes past their retention period (a closed case after its kind's period; client layer
  // rules, docs/PRIVACY.md): called once per SyncOnce after the push, outside any
  // transaction. Each is purged from this device and kept out of later syncs (sync/purge.hpp,
  // rule P2).
  std::function<Result<std::vector<std::string>>()> expired_scopes;
};

// Stored after a successful Enrol(); survives restarts (table `sync_profile`).
struct DeviceProfile {
  std::string server_url;        // http://host:port or https://host:port
  std::string cert_fingerprint;  // lowercase hex SHA-256 of the server certificate; empty = none
  std::string user_id, device_id, display_name, role, unit_id;
  // The organisation's root key (hex Ed25519) pinned from the enrolment code: the directory is
  // believed only as far as it verifies under this key (sync/directory.hpp).
  std::string root_pk;
};

enum class SyncPhase { kSession, kDirectory, kScopes, kKeys, kPush, kPull, kDone };
const char* SyncPhaseName(SyncPhase phase);  // "session", "directory", ...

// Progress: (phase, done, total). total may be 0 when unknown (pull counts envelopes as they
// come). Called on the engine's thread; keep it cheap (store into atomics).
using Progress = std::function<void(SyncPhase phase, std::int64_t done, std::int64_t total)>;

struct ScopeStatus {
  std::string scope;
  std::int64_t pending = 0;      // outbox changes not yet acknowledged
  std::int32_t key_version = 0;  // newest scope key held locally; 0 = none yet
  bool registered = false;       // the server knows this scope
  std::string state;             // plain words when it cannot sync now ("waiting for the scope
                                 // key from another device"); empty when all is well
};

// Something a sync refused to believe from the central store, kept in the quarantine (local
// table sync_quarantine; ids and a reason in plain words, never any plaintext). The sync goes on
// past it: one bad envelope, wrap or scope does not stop the others (docs/PROTOCOL.md, "What a
// client refuses").
struct Refusal {
  std::string what;                            // "envelope", "wrap" or "scope"
  std::string scope, batch_id, author_device;  // empty when not applicable
  std::int64_t seq = 0;                        // the envelope's server sequence; 0 otherwise
  std::uint32_t key_version = 0;
  std::string reason;
  std::int64_t at_ms = 0;  // wall clock of the first refusal
  // Why, as a stable code for a reader to put in its own words (the reason above is the
  // engine's English detail with the ids): one of the kRefusal* grounds; "" for a refusal
  // noted before grounds were kept.
  std::string ground;
};

// A refusal's grounds (Refusal::ground).
inline constexpr const char* kRefusalForged = "forged";  // a signature, MAC or seal fails
inline constexpr const char* kRefusalNotPermitted = "not_permitted";  // its writer may not
inline constexpr const char* kRefusalMalformed = "malformed";         // does not decode or fit
inline constexpr const char* kRefusalUnlisted = "unlisted_device";    // the directory lacks it
inline constexpr const char* kRefusalNotReader = "not_reader";        // a wrap from a non-reader
inline constexpr const char* kRefusalScope = "scope";      // the scope itself is refused here
inline constexpr const char* kRefusalRevoked = "revoked";  // stored after its revocation
inline constexpr const char* kRefusalGrounds[] = {
    kRefusalForged,    kRefusalNotPermitted, kRefusalMalformed, kRefusalUnlisted,
    kRefusalNotReader, kRefusalScope,        kRefusalRevoked};

// A push of another device that the central store has not delivered here, or a push number
// that device used for two different batches (docs/SYNC.md, "Pushes are numbered"). Each
// device numbers its pushes per scope inside the signed, sealed batch (1, 2, 3, …), so the
// server can neither renumber nor hide a gap; it can only withhold the newest pushes unseen.
struct DeliveryGap {
  std::string scope, author_device;
  std::int64_t missing = 0;    // numbers below the highest seen that never arrived
  std::string numbers;         // which: "4-6, 9" (at most 20 ranges, then "…")
  std::int64_t waiting = 0;    // envelopes of this device and scope that wait for a key here
                               // (their numbers are unknown until they open)
  std::int64_t reused_no = 0;  // a number seen on two different batches; 0 = none
  std::string message;         // plain words for sync --status and the desktop
};

struct SyncStatus {
  bool enrolled = false;
  std::int64_t pending = 0;          // local changes not yet acknowledged by the server
  std::int64_t last_success_ms = 0;  // wall clock of the last complete SyncOnce; 0 = never
  std::int64_t last_attempt_ms = 0;
  std::string last_error;  // plain words, empty after a successful sync
  // What the last directory check refused, in plain words (a statement that is not the root's,
  // a device not bound to its enrolment); empty when everything the server sent verified.
  std::vector<std::string> directory_refusals;
  // The quarantine: how many refusals it holds, and the newest of them (at most 50).
  std::int64_t refused = 0;
  std::vector<Refusal> refusals;
  // Refusals beyond EngineOptions::max_quarantine_rows: counted (in `refused` too), not kept.
  std::int64_t refusals_not_itemised = 0;
  // Pushes of other devices not delivered here, and numbers used twice; empty when every
  // push below each device's highest number seen has arrived.
  std::vector<DeliveryGap> deliveries;
  bool revoked = false;        // the organisation revoked this device (see EngineHooks::on_revoked)
  std::int64_t conflicts = 0;  // unresolved conflict inbox entries
  std::vector<ScopeStatus> scopes;  // ordered by scope
  // What this device purged (sync/purge.hpp), newest first (at most 50): scope ids, reasons and
  // counts, never a name.
  std::vector<PurgedScope> purged;
  bool purge_scrub_pending = false;  // the files still wait to be rewritten (rule P5)
  // The wire of the last sync attempt (SyncReport's figures; zero before the first).
  std::int64_t last_requests = 0, last_bytes_sent = 0, last_bytes_received = 0;
  std::int64_t last_pushed_changes = 0, last_pulled_changes = 0;
};

struct SyncReport {
  std::int64_t pushed_changes = 0, pushed_batches = 0, duplicate_batches = 0;
  std::int64_t pulled_envelopes = 0, applied_changes = 0;
  std::int64_t new_conflicts = 0;
  std::int64_t refused = 0;        // envelopes, wraps and scopes put in quarantine by this sync
  std::int64_t purged_scopes = 0;  // scopes this sync removed from the device (sync/purge.hpp)
  std::int64_t elapsed_ms = 0;
  // The wire, over every connection of this sync (the pull's prefetch one too): HTTP requests
  // made and the bytes of HTTP messages sent and received (HttpTransport's counters). Bytes per
  // change: bytes_sent / pushed_changes and bytes_received / pulled changes.
  std::int64_t requests = 0, bytes_sent = 0, bytes_received = 0;
  std::int64_t pulled_changes = 0;  // changes in the envelopes opened (applied or not)
};

struct EngineOptions {
  int connect_timeout_ms = 5000;
  int read_timeout_ms = 30000;
  std::int64_t push_batch_changes = 5000;  // changes per envelope
  std::int64_t push_batches_per_request = 50;
  std::int64_t pull_limit = 200;  // envelopes per pull page
  // Batches are compressed with zstd at this level before they are sealed (sync/batch_codec.hpp,
  // LVZ1; only when it makes them smaller); 0 sends them uncompressed. Every build since LVZ1
  // reads both.
  int batch_zstd_level = kBatchZstdLevel;
  // Ciphertext bytes per pull page (the server stops after the envelope that reaches it; 0 =
  // no byte bound). 2 MiB: a large initial pull comes in several pages, so fetching the next
  // page overlaps with applying this one. Smaller pages overlap more but cost more: every
  // page is a commit, and the merge's index pages are written again by each (on 100,000
  // changes, 1 MiB pages left about 20 ms more outside the merge than 2 MiB pages).
  std::int64_t pull_max_bytes = 2 << 20;
  bool pull_binary = true;  // ask for binary pull pages (format=bin) rather than JSON
  // Push in the binary form (the pull page's) when the server names "push-bin" on GET /v1/sync;
  // JSON otherwise.
  bool push_binary = true;
  // A binary push is compressed with zstd at this level (docs/PROTOCOL.md "Binary pushes",
  // only when it makes it smaller) when the server names "push-zstd" too; 0 never. The
  // batches inside are sealed ciphertext: what compresses is what the push repeats (one
  // signature for all its envelopes, the device id, the proofs' shared nodes).
  int push_zstd_level = 3;
  // Two threads for a pull: page k+1 is fetched and verified on a helper thread while page k
  // is applied, and each page's envelopes are verified, decrypted and decoded on two cores
  // while the writer merges them in order. Off: everything on the calling thread.
  bool pull_prefetch = true;
  std::function<std::int64_t()> wall_ms;  // empty = system clock
  // How far ahead of this device's clock a pulled change's stamp may be; further is refused
  // (Replica::SetMaxRemoteSkewMs). A stamp from the far future would win every later write.
  std::int64_t max_clock_skew_ms = kDefaultMaxRemoteSkewMs;
  // What a central store can make this device keep without being able to judge it
  // (docs/THREATS.md, "What a hostile store can make a device keep"): envelopes kept unapplied,
  // refused ones in the quarantine and those from devices the directory does not list yet, at
  // most this many and this many bytes (as stored); beyond, a refusal is noted without its
  // envelope and an envelope from an unlisted device is refused (its note says so). Quarantine
  // rows at most max_quarantine_rows; beyond, refusals are counted, not itemised.
  std::int64_t max_kept_envelopes = 1000;
  std::int64_t max_kept_bytes = std::int64_t{64} << 20;
  std::int64_t max_quarantine_rows = 10000;
  // Fault injection for tests: called at named points; an error returned there is handled as
  // if the connection had dropped at that point. Points: "push-answered" (the server stored a
  // push, its answer is not yet recorded), "pull-page-applied" (a page and its cursor
  // committed), "own-wrap-published" (a new key version and this device's own wrap are on the
  // server, the other readers' wraps not yet). Empty in production.
  std::function<Result<void>(std::string_view point)> fault;
};

class SyncEngine {
 public:
  // Creates the engine's local tables (migration component "sync_engine") and loads the
  // profile, if any. `db` and `replica` must outlive the engine.
  static Result<std::unique_ptr<SyncEngine>> Open(storage::Database& db, Replica& replica,
                                                  EngineHooks hooks, EngineOptions options = {});
  ~SyncEngine();
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // Generates this device's keys locally, binds them to the enrolment with the key derived from
  // the single-use `code` (the secret never leaves the device), POST /v1/enrol, and stores the
  // profile with the code's root key. `code` is the whole LV1- text; `server_url` and
  // `cert_fingerprint` (hex SHA-256) override the code's when not empty. kConflict if already
  // enrolled, kValidation for a code without the organisation's root key.
  Result<DeviceProfile> Enrol(std::string server_url, std::string code, std::string device_name,
                              std::string cert_fingerprint = {});

  bool IsEnrolled() const;
  const DeviceProfile& Profile() const;  // WARNING: empty fields before Enrol()

  // One full sync (phases above). Blocks on the network. `cb` may be empty.
  // Puts every refused envelope kept in the quarantine back to be judged again by the next
  // sync (`lietvedis sync --retry-quarantined`); returns how many. What still fails is
  // quarantined again. The engine does this by itself when this build can apply other tables
  // than the build that refused them.
  Result<std::int64_t> RetryQuarantined();
  Result<SyncReport> SyncOnce(const Progress& cb = {});

  // Current state for the status bar; local reads only, no network.
  Result<SyncStatus> Status();

  // The directory of the last complete sync, verified again under the pinned root key from
  // this device's stored copy (no network). kNotFound before the first sync; kTampered when the
  // stored copy no longer verifies.
  Result<KnownDirectory> LastDirectory();

 private:
  struct Impl;
  explicit SyncEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lietvedis::sync
