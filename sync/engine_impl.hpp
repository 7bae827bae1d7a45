// The sync engine's inside, shared by the files that implement it (not a public header):
//   engine.cpp       session, directory, the order of a sync, the public SyncEngine methods
//   engine_keys.cpp  scope registration, key import, creation, rotation and wraps for readers
//   engine_push.cpp  the outbox in signed batches
//   engine_pull.cpp  pull pages: prefetch, opening on two cores, merge, deferred envelopes
// Threading and errors: see sync/engine.hpp.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "sync/access_rules.hpp"
#include "sync/batch_codec.hpp"
#include "sync/directory.hpp"
#include "sync/engine.hpp"
#include "sync/envelope.hpp"
#include "sync/http_transport.hpp"
#include "sync/protocol.hpp"
#include "sync/pull_codec.hpp"

namespace lietvedis::sync {

namespace pr = protocol;
using storage::Database;
using storage::Migration;
using storage::Statement;
using storage::Transaction;

// Bytes of a lowercase hex string (the pinned root key); kValidation when it is not hex.
inline Result<pr::Bytes> HexBytes(std::string_view hex) {
  pr::Bytes out(hex.size() / 2);
  std::size_t len = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != out.size()) {
    return MakeError(Errc::kValidation, "the pinned root key is not hex");
  }
  return out;
}

inline std::int64_t SystemMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

struct ServerScope {
  std::string kind, unit_id, owner_user_id;
  std::uint32_t key_version = 0;
  // A transfer offer the server names, kept only while this device's own record of the case
  // names the same unit (TrustTransfers); the units the scope moved from.
  std::string transfer_unit_id, former_unit_ids, offer_unit_ids;
  // Case scopes: who covers for the owner today, from the verified directory's covers (rule
  // R8; ApplyCovers), never from the server's listing.
  std::string deputy_user_ids;
};

// A scope's record on this device as the facts KeyFacts (sync/access_rules.hpp) corrects by.
inline access::ScopeFacts RecordFactsOf(const LocalScope& l) {
  return access::ScopeFacts{l.kind, l.unit_id, l.owner_user_id, l.transfer_unit_id, {}, {}, {}};
}

using SignKeys = DeviceKeys;  // device id -> Ed25519 public key

// What the threads of one pull check signatures with: the directory's keys as the pull began,
// and the push signatures already checked (a push's batches cost one Ed25519 check together).
// What the threads of one pull check writers with: each certified device's user (the
// verified directory) and what the server said of each scope, with the scopes this device
// refused (RefuseForeignScopes).
struct PullCheck {
  SignKeys sign_keys;
  std::map<std::string, EngineDirectory::User, std::less<>> device_users;
  std::map<std::string, ServerScope, std::less<>> scopes;
  std::map<std::string, std::string, std::less<>> refused_scopes;  // scope -> reason
  // Revoked devices (also in sign_keys and device_users): their envelopes count only up to
  // the sequence their revocation names (directory::Statement::stored_until).
  std::map<std::string, std::int64_t, std::less<>> stored_until;
  mutable pr::VerifiedPushes pushes;  // thread-safe
};

// A pull page as the writer applies it, with what was checked before it reached the writer.
struct ReceivedPage {
  pr::PullResponse page;
  // Per envelope: 1 when VerifyEnvelope accepted it on the prefetch thread (PageOpener then
  // only decrypts and decodes it), 0 when PageOpener checks it: own envelopes, unknown
  // authors, a signature that failed (reported from there, with the same error), and every
  // envelope of a page fetched on the writer thread.
  std::vector<std::uint8_t> verified;
};

// The writer connection's settings while a pull runs: an initial pull is one bulk write of
// every case the device reads, in transactions of one page each. Raised (never lowered) from
// the pull's first page with changes to the sync's end, and put back on every way out:
//  - wal_autocheckpoint: 8192 pages (32 MiB at 4 KiB) instead of SQLite's 1000. With the
//    default, every page commit also copied the pages it wrote into the database file and
//    synced it (measured: 4 page commits of 100,000 changes took 160 ms with a checkpoint
//    each, 35 ms without); now pages rewritten by several commits are copied once and the WAL
//    stays bounded. The settings last to the sync's last commit; then the owner checkpoints
//    off the sync's thread (EngineHooks::checkpoint_wal; that checkpoint took 30-50 ms of a
//    100,000-change sync when the next commit did it), or the first commit after the sync
//    does.
//  - cache_size: 32 MiB instead of SQLite's 2 MB. The merge inserts rows and clock entries in
//    the order their authors wrote them, all over the indexes; with 2 MB the cache spilled
//    dirty pages and read them back throughout (on 100,000 changes the merge took 650-850 ms
//    with 2 MB, 340-600 ms with 32 MiB, same machine and run). The pages are released when
//    the setting is put back.
class ScopedPullSettings {
 public:
  explicit ScopedPullSettings(Database& db) : db_(db) {
    // cache_size is in pages when positive, in KiB when negative.
    auto page_size = db_.QueryInt("PRAGMA page_size");
    auto cache = db_.QueryInt("PRAGMA cache_size");
    if (page_size.ok() && cache.ok()) {
      const std::int64_t bytes = *cache < 0 ? -*cache * 1024 : *cache * *page_size;
      if (bytes < kCacheKiB * 1024) Set("cache_size", *cache, -kCacheKiB);
    }
    auto checkpoint = db_.QueryInt("PRAGMA wal_autocheckpoint");
    if (checkpoint.ok() && *checkpoint < kAutocheckpointPages) {
      Set("wal_autocheckpoint", *checkpoint, kAutocheckpointPages);
    }
  }
  ~ScopedPullSettings() {
    for (auto it = restore_.rbegin(); it != restore_.rend(); ++it) (void)db_.Exec(*it);
  }
  ScopedPullSettings(const ScopedPullSettings&) = delete;
  ScopedPullSettings& operator=(const ScopedPullSettings&) = delete;

  static constexpr std::int64_t kAutocheckpointPages = 8192;
  static constexpr std::int64_t kCacheKiB = 32 * 1024;

 private:
  void Set(const char* pragma, std::int64_t previous, std::int64_t value) {
    const std::string name = std::string("PRAGMA ") + pragma + "=";
    if (db_.Exec(name + std::to_string(value)).ok()) {
      restore_.push_back(name + std::to_string(previous));
    }
  }

  Database& db_;
  std::vector<std::string> restore_;  // statements that put the settings back
};

class PagePrefetch;  // engine_pull.cpp

// The directory as the engine hands it to the client (hooks.on_directory, LastDirectory): the
// units, users, devices, covers and programmes `v` verified, in their maps' order.
EngineDirectory EngineDirectoryOf(const directory::VerifiedDirectory& v);

struct SyncEngine::Impl {
  Database* db = nullptr;
  Replica* replica = nullptr;
  EngineHooks hooks;
  EngineOptions options;
  std::unique_ptr<Keyring> keyring;
  DeviceProfile profile;
  bool enrolled = false;
  std::unique_ptr<HttpTransport> http;
  std::string token;
  std::int64_t token_expires = 0;
  SignKeys sign_keys;
  DeviceKeys box_keys;  // device id -> X25519 public key, for the senders of key wraps
  // Revoked devices of the verified directory: their keys and user, for what they pushed
  // before the revocation (PullCheck::stored_until). Never a reader, a wrapper or a sender.
  std::map<std::string, directory::VerifiedDirectory::Retired> retired;
  // Administrator keys of the last verified directory (who may sign a revocation besides the
  // root); loaded from the stored copy when a sign-in is refused before any directory.
  std::map<std::string, directory::VerifiedDirectory::Admin> admins;
  std::map<std::string, ServerScope> server_scopes;
  std::set<std::string> blocked;  // scopes this device cannot push now (see sync_scope_state.note)
  // Scopes the server lists that this device does not believe (a mentoring scope whose owner is
  // not the case's), with the reason: nothing is pulled into them, pushed or keyed.
  std::map<std::string, std::string, std::less<>> refused_scopes;
  SyncReport report;
  const Progress* progress = nullptr;
  bool owners_changed = false, keys_changed = false;
  // Declines of a transfer made here, reported after the push that carries their record
  // (the receiving supervisor reads the case only while the offer stands).
  std::vector<std::string> pending_declines;
  bool scopes_relist = false;  // a transfer was reported: list the scopes again
  // The scopes' own records on this device (hooks.local_scopes) by scope, read when a key
  // decision first needs them in a sync and again after the pull (`records_fresh`); the
  // scopes whose listing they corrected, in words (rules K1-K2 of sync/access_rules.hpp).
  std::map<std::string, LocalScope, std::less<>> records;
  bool records_loaded = false, records_fresh = false;
  std::map<std::string, std::string, std::less<>> record_notes;
  // A wrap whose sender reads the scope only by the server's listing waited for the pull to
  // bring the records (a reassignment the pull has not brought yet): imported again after it.
  bool wraps_postponed = false;
  std::map<std::string, std::string, std::less<>> postponed_words;  // scope -> RecordWords
  std::string directory_hash;
  EngineDirectory directory;                    // as verified by the current sync
  std::vector<std::string> directory_refusals;  // what that verification refused
  bool revoked = false;  // the root-signed revocation of this device was seen (meta "revoked")
  // Raised by the first pull page with something to apply (a no-op sync changes nothing),
  // kept to the sync's last commit (SyncOnce), put back on every way out.
  std::optional<ScopedPullSettings> pull_settings;

  std::int64_t Now() const { return options.wall_ms ? options.wall_ms() : SystemMs(); }
  void Report(SyncPhase phase, std::int64_t done, std::int64_t total) const {
    if (progress != nullptr && *progress) (*progress)(phase, done, total);
  }
  Result<void> Fault(std::string_view point) const {
    if (options.fault) return options.fault(point);
    return Ok();
  }

  Result<void> SetMeta(std::string_view key, const storage::Value& v) {
    return db->Run(
        "INSERT INTO sync_engine_meta(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        key, v);
  }
  Result<storage::Value> GetMeta(std::string_view key) {
    LV_ASSIGN(Statement * st, db->Cached("SELECT value FROM sync_engine_meta WHERE key=?"));
    st->Bind(1, key);
    LV_ASSIGN(bool row, st->Step());
    storage::Value v;
    if (row) v = st->ValueAt(0);
    st->Reset();
    return v;
  }

  Result<void> EnsureTransport() {
    if (http) return Ok();
    LV_ASSIGN(http, HttpTransport::Create(profile.server_url, profile.cert_fingerprint,
                                          options.connect_timeout_ms, options.read_timeout_ms));
    return Ok();
  }

  // ---- session -----------------------------------------------------------------------------
  Result<void> Login() {
    pr::ChallengeRequest creq{profile.device_id};
    auto challenge = http->Post("/v1/session/challenge", pr::ToJson(creq).dump());
    if (!challenge.ok()) {
      if (http->last_status() == 403) LV_TRY(CheckRevocation());
      return challenge.error();
    }
    const std::string& cbody = *challenge;
    LV_ASSIGN(pr::ChallengeResponse ch, pr::ParseBody<pr::ChallengeResponse>(cbody));
    LV_ASSIGN(pr::Bytes sig, keyring->Sign(pr::SessionSignedBytes(ch.challenge)));
    pr::SessionRequest sreq{profile.device_id, ch.challenge, sig};
    LV_ASSIGN(std::string sbody, http->Post("/v1/session", pr::ToJson(sreq).dump()));
    LV_ASSIGN(pr::SessionResponse s, pr::ParseBody<pr::SessionResponse>(sbody));
    token = s.token;
    token_expires = s.expires_at;
    // Kept for the next process (the store is encrypted at rest): a CLI sync signs in only when
    // the session has expired. Best effort: a store that cannot keep it signs in next time.
    (void)SetMeta("session_token", token);
    (void)SetMeta("session_expires", token_expires);
    return Ok();
  }
  Result<void> EnsureSession() {
    // A minute of margin against clock skew between this device and the server.
    if (!token.empty() && Now() + 60'000 < token_expires) return Ok();
    return Login();
  }
  // One authenticated request; a 401 (expired or revoked session) logs in again once.
  template <class Call>
  Result<std::string> Authed(Call&& call) {
    LV_TRY(EnsureSession());
    Result<std::string> r = call();
    if (!r.ok() && http->last_status() == 401) {
      token.clear();
      LV_TRY(Login());
      r = call();
    }
    return r;
  }
  Result<std::string> Get(const std::string& path) {
    return Authed([&] { return http->Get(path, token); });
  }
  Result<std::string> Post(const std::string& path, const std::string& body,
                           const char* content_type = pr::kJsonContentType) {
    return Authed([&] { return http->Post(path, body, token, content_type); });
  }

  // ---- the start of a sync -------------------------------------------------------------------
  // What a sync begins with: the directory's and the scope list's bodies (each fresh from the
  // server, or this device's stored copy when the server said it is unchanged), and the first
  // pull page for `first_path`.
  struct Start {
    std::string directory, scopes;
    bool directory_fresh = false, scopes_fresh = false;  // came from the server this time
    std::string first_path;
    std::optional<ReceivedPage> first_page;
  };
  // GET /v1/sync: one request (sync/pull_codec.hpp "sync head"). A server without it (404)
  // is asked GET /v1/directory and GET /v1/scopes, and the pull fetches its first page itself.
  Result<Start> FetchStart();
  bool server_lacks_head = false;  // a 404 from /v1/sync: ask the three old ways this session
  // The last GET /v1/sync named "push-bin" in Lietvedis-Accepts: pushes may go binary.
  bool server_takes_binary_push = false;
  bool server_takes_compressed_push =
      false;  // ... and "push-zstd": a binary push may be compressed

  // ---- directory ---------------------------------------------------------------------------
  // Verifies the root-signed directory `body` (sync/directory.hpp) and hands it to the client
  // layer; `fresh`: from the server this time (then kept as the device's copy). Returns whether
  // the directory differs from the one the last complete sync saw.
  Result<bool> Directory(const std::string& body, bool fresh);
  // After a refused sign-in: when the answer carries the root-signed revocation of this device,
  // records it, calls hooks.on_revoked and returns kNotPermitted; otherwise Ok.
  Result<void> CheckRevocation();
  // An administrator's device: GET /v1/devices/seen, kept for LastDirectory (engine.cpp).
  Result<void> FetchDevicesSeen();

  // ---- trust (engine_trust.cpp) --------------------------------------------------------------
  // Puts a refusal in the quarantine (once per what/seq/scope/batch/author/version) and counts
  // it in the report. Ids and the reason only: never plaintext.
  // Records a refusal once. `keep`: the refused envelope itself (ciphertext and ids, as
  // pulled), kept so that a later build can judge it again (RetryQuarantined).
  Result<void> Quarantine(const Refusal& r, const pr::Envelope* keep = nullptr);
  // Whether one more envelope of `bytes` (as stored: its JSON) may be kept unjudged (quarantined
  // with its envelope, or waiting for its author to be listed) within EngineOptions::max_kept_*;
  // counts it when so. Read from the store at the first call of a sync.
  Result<bool> MayKeep(std::size_t bytes);
  std::optional<std::pair<std::int64_t, std::int64_t>> kept;  // envelopes, bytes; per sync
  // Moves every kept envelope from the quarantine back to sync_deferred, to be judged again by
  // the next pull; returns how many. Done by itself when the tables this build can apply
  // differ from those of the build that refused them (a newer client that knows a table).
  Result<std::int64_t> RetryQuarantined();
  Result<void> RetryQuarantinedAfterUpgrade();
  Result<void> SeenPush(const pr::Envelope& e, std::uint64_t push_no);  // engine_pull.cpp
  Result<std::vector<DeliveryGap>> Deliveries();                        // engine.cpp
  // The writer and scope facts of the pull that starts now (PullCheck).
  std::shared_ptr<PullCheck> MakePullCheck() const;
  // Whether to import wrap `w`: a wrap named as from a device of the verified directory whose
  // user may read the scope (access::MayRead) and that opens. Anything else is quarantined and
  // false is returned; only storage errors are errors.
  Result<bool> AcceptWrap(const pr::KeyWrap& w);
  // Checks the scopes the server listed (ListScopes): a mentoring scope whose owner or unit is
  // not its case's, or whose owner is no officer or supervisor of its unit in the verified
  // directory, is refused (refused_scopes, quarantined, blocked).
  Result<void> RefuseForeignScopes();

  // ---- pull --------------------------------------------------------------------------------
  // Per envelope of a page, the key it is sealed under; nullptr when this device does not
  // hold it (the envelope is deferred) and for its own envelopes.
  Result<std::vector<const std::uint8_t*>> PageKeys(const pr::PullResponse& page);

  // Applies one page inside the caller's transaction, in page order: merges what opens, puts
  // what is refused in quarantine and goes on (see PageOpener); only a storage or internal
  // error stops it. Returns the indices of the envelopes that wait (for a key, or for their
  // scope to be listed), for the caller to keep in sync_deferred.
  // `retrying`: the page is sync_deferred itself (RetryDeferred), whose waiting envelopes
  // stay where they are; otherwise an envelope from an unlisted device waits only within
  // MayKeep and is refused beyond it.
  struct Waiting {
    std::size_t index = 0;
    bool unlisted = false;  // its author is not in the directory (nothing about it verified)
  };
  Result<std::vector<Waiting>> ApplyPage(const ReceivedPage& received, const PullCheck& check,
                                         bool retrying);

  std::string PullPath(const std::string& cursor) const;

  // Fetches a page on this thread, through the path that renews an expired session.
  Result<ReceivedPage> FetchPage(const std::string& path);

  // Starts fetching the page at `path` on the prefetch thread, over `transport` (made on first
  // use). Skipped (the writer fetches the page itself when it gets there) when turned off,
  // when the session is about to expire (renewing it is the writer's business), or when no
  // second transport can be made.
  void StartPrefetch(PagePrefetch& prefetch, std::unique_ptr<HttpTransport>& transport,
                     const std::string& path, const std::shared_ptr<const PullCheck>& check);

  // Pages by cursor, each applied in ONE transaction with its cursor. While page k is applied
  // here, the prefetch thread fetches, decodes and verifies page k+1 (its cursor is known as
  // soon as page k arrived); it runs at most one page ahead. Anything it could not do (an
  // expired session, a dropped connection, a malformed body) is simply done again here, so
  // errors and session renewal are exactly those of fetching every page on this thread.
  // `first`: the page for `first_path` when the sync's start brought it.
  Result<void> Pull(std::optional<ScopedPullSettings>& settings, Start& start);

  // Envelopes deferred for want of a key: retried after new wraps arrived.
  Result<void> RetryDeferred();

  // ---- purge (sync/purge.hpp, engine.cpp) -----------------------------------------------------
  // Drops the scopes purged for retention from server_scopes and keeps them in retained_out
  // (rule P2): their wraps are skipped, their envelopes not kept.
  Result<void> KeepRetainedOut();
  std::set<std::string, std::less<>> retained_out;
  // Rules P1-P4: `expired` false (after the pull, before scopes are registered): purges what
  // this device no longer reads; true (after the push): what the client layer names as past
  // retention.
  Result<void> PurgeScopes(bool expired);
  // Rule P5, after the sync's last commit: true when the files were rewritten.
  bool ScrubAfterPurge();

  // ---- scopes ------------------------------------------------------------------------------
  Result<void> SetScopeNote(const std::string& scope, const std::string& note);

  // What the server says about each scope this device reads (the body of GET /v1/scopes;
  // `fresh`: from the server this time, then kept as the device's copy).
  Result<void> ListScopes(const std::string& body, bool fresh);

  // Registers new local scopes and reports reassignments made here, then records the server's
  // view (only rows that changed are written, so a no-op sync writes nothing here).
  Result<void> RegisterScopes();

  // ---- transfers between units (engine_transfer.cpp; docs/PROTOCOL.md, "Transfers") --------
  // Reports a transfer step made on this (supervisor's) device when `l`, the case's own
  // record, differs from the server's `s`: an offer, a withdrawal or an acceptance at once, a
  // decline after the push (pending_declines). True when `l` and `s` differ by a transfer, so
  // the caller does not take the difference for a reassignment.
  Result<bool> ReportTransfer(const LocalScope& l, const ServerScope& s);
  // Keeps the offer the server names for a scope only where the case's record here names the
  // same receiving unit; wraps for that unit's supervisors follow from it (R7).
  Result<void> TrustTransfers(const std::vector<LocalScope>& local);
  Result<void> ReportDeclines();

  // ---- the scopes' own records (engine_trust.cpp; K1-K2 of sync/access_rules.hpp) -----------
  Result<void> LoadRecords();
  // Corrects server_scopes by the records (unit and owner of case and mentoring scopes) for
  // every later key decision of the sync; each correction is noted on its scope.
  Result<void> TrustRecords();
  // Sets each case scope's deputy_user_ids from the verified directory's covers for its owner
  // (as corrected by its record) on today's date.
  void ApplyCovers();
  std::string DeputiesToday(std::string_view owner_user_id) const;
  // Writes record_notes on their scopes and clears the notes of corrections that ended.
  Result<void> NoteRecordCorrections();
  // "the server lists unit U and owner A; its record here names unit V and owner B".
  std::string RecordWords(const std::string& scope, const ServerScope& s) const;

  // ---- keys --------------------------------------------------------------------------------
  // Who reads a scope, by the table of PROTOCOL.md (the same rule as the server's CanRead):
  // used only to notice that someone who could read a key version no longer can.
  static bool MayRead(const EngineDirectory::User& u, const ServerScope& s);
  // The users who may read `s` and their devices ("d:<id>"), sorted, comma-separated.
  std::string ReaderSet(const ServerScope& s) const;
  // Whether this device's own user reads `s` by the verified directory.
  bool SelfReads(const ServerScope& s) const;
  static bool LostReader(const std::string& then, const std::string& now);

  Result<void> PublishOwnWrap(const std::string& scope, std::uint32_t version);

  // GET /v1/keys, only when the server lists a key version this device lacks or envelopes
  // wait for a key; imports new wraps and opens what was waiting.
  Result<void> ImportKeys();

  // A key for every scope with changes to push: created on first write, rotated when a reader
  // lost access since its key version was first seen here (owner changed, user deactivated
  // or moved, device revoked); then the wraps other reader devices miss, for keys this device
  // holds.
  Result<void> ManageKeys(bool directory_changed);
  // GET /v1/keys/missing and POST /v1/keys for every key version held here (see the .cpp).
  Result<void> FulfilMissingWraps();

  // ---- push --------------------------------------------------------------------------------
  struct Sent {
    std::string batch_id, scope;
    std::int64_t first_seq, last_seq, changes;
    std::int64_t push_no = 0;  // inside the batch (LVB2); 0 = unnumbered (fixed before v5)
  };

  // Encrypts the batches, signs them as one push (one signature, a proof in each) and posts
  // them; on success removes them from the outbox.
  Result<void> SendBatches(const std::vector<Sent>& sent);

  Result<void> Push();

  Result<void> Run();
};

}  // namespace lietvedis::sync
