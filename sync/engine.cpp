#include "sync/engine.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "sync/batch_codec.hpp"
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

const char* SyncPhaseName(SyncPhase phase) {
  switch (phase) {
    case SyncPhase::kSession:
      return "session";
    case SyncPhase::kDirectory:
      return "directory";
    case SyncPhase::kScopes:
      return "scopes";
    case SyncPhase::kKeys:
      return "keys";
    case SyncPhase::kPush:
      return "push";
    case SyncPhase::kPull:
      return "pull";
    case SyncPhase::kDone:
      return "done";
  }
  return "unknown";
}

static constexpr Migration kEngineMigrations[] = {
    {1,
     "CREATE TABLE sync_profile(id INTEGER PRIMARY KEY CHECK(id=1), server_url TEXT NOT NULL,"
     " cert_fingerprint TEXT NOT NULL, user_id TEXT NOT NULL, device_id TEXT NOT NULL,"
     " display_name TEXT NOT NULL, role TEXT NOT NULL, unit_id TEXT NOT NULL) STRICT;"
     "CREATE TABLE sync_engine_meta(key TEXT PRIMARY KEY, value ANY) STRICT;"
     // Batches whose id was fixed before sending; deleted when the server acknowledged them.
     "CREATE TABLE sync_push_pending(batch_id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
     " first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL) STRICT;"
     // What this device knows of each scope on the server; key_owner = the scope's owner when
     // its newest key version was first seen here (a different owner now = rotate).
     "CREATE TABLE sync_scope_state(scope TEXT PRIMARY KEY, registered INTEGER NOT NULL,"
     " owner_user_id TEXT NOT NULL, key_version INTEGER NOT NULL, key_owner TEXT NOT NULL,"
     " note TEXT NOT NULL) STRICT;"
     // Envelopes pulled before this device held their key; opened once the wrap arrives.
     "CREATE TABLE sync_deferred(seq INTEGER PRIMARY KEY, envelope TEXT NOT NULL) STRICT;"},
    {2,
     // The users who could read the scope's newest key version when it was first seen here
     // (sorted ids, comma-separated); one of them no longer reading = rotate.
     "ALTER TABLE sync_scope_state ADD COLUMN key_readers TEXT NOT NULL DEFAULT '';"},
};

static std::int64_t SystemMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

static std::string UrlEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

static std::string DigestHex(std::string_view text) {
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  return pr::HexEncode(out);
}

struct ServerScope {
  std::string kind, unit_id, owner_user_id;
  std::uint32_t key_version = 0;
};

using SignKeys = DeviceKeys;  // device id -> Ed25519 public key

// What the threads of one pull check signatures with: the directory's keys as the pull began,
// and the push signatures already checked (a push's batches cost one Ed25519 check together).
struct PullCheck {
  SignKeys sign_keys;
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

// Checks the signatures of `page`'s envelopes and marks those that verify.
static void MarkVerified(ReceivedPage& page, const PullCheck& check,
                         const std::string& own_device) {
  for (std::size_t i = 0; i < page.verified.size(); ++i) {
    const pr::Envelope& e = page.page.envelopes[i];
    if (e.author_device == own_device) continue;  // skipped by the writer anyway
    auto pk = check.sign_keys.find(e.author_device);
    if (pk != check.sign_keys.end() && VerifyEnvelope(e, pk->second, &check.pushes).ok()) {
      page.verified[i] = 1;
    }
  }
}

// A pull answer's body: the binary page when the server sent one, else JSON (a server that
// does not know format=bin ignores it and answers JSON; Content-Type tells them apart).
static Result<pr::PullResponse> DecodePullBody(const std::string& body,
                                               const std::string& content_type) {
  if (content_type.rfind(pr::kBinaryContentType, 0) == 0) return pr::DecodePullPage(body);
  return pr::ParseBody<pr::PullResponse>(body);
}

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

// Fetches the next pull page on a helper thread while the writer applies the current one:
// GET over the prefetch transport (its own connection: httplib clients are not thread-safe),
// decode, and the Ed25519 check of each envelope against a copy of the directory's keys. It
// never touches the Database or the Keyring, and reports any failure as a plain error: the
// writer then fetches the page itself through its session-renewing path.
// Owned by Pull(); the destructor cancels and joins, so the thread never outlives Pull() on
// any way out of it (an error, a fault, an exception).
class PagePrefetch {
 public:
  PagePrefetch() = default;
  PagePrefetch(const PagePrefetch&) = delete;
  PagePrefetch& operator=(const PagePrefetch&) = delete;
  ~PagePrefetch() { Cancel(); }

  // Starts fetching `path` with the session `token`. When no thread can be started, nothing
  // is prefetched and Take() says so.
  void Start(HttpTransport& http, std::string path, std::string token,
             std::shared_ptr<const PullCheck> check, std::string own_device) {
    Cancel();  // at most one fetch at a time (a no-op after Take())
    http_ = &http;
    path_ = std::move(path);
    result_.reset();
    cancelled_.store(false);
    try {
      thread_ = std::thread([this, token = std::move(token), check = std::move(check),
                             own = std::move(own_device)] {
        try {
          result_.emplace(Fetch(token, *check, own));
        } catch (const std::exception& e) {  // e.g. bad_alloc: reported, never terminate()
          result_.emplace(MakeError(Errc::kInternal, std::string("pull prefetch: ") + e.what()));
        }
      });
    } catch (const std::system_error&) {
      // No thread to be had: the writer fetches every page itself.
    }
  }

  // Waits for the fetch of `path` and returns its page; an error when it failed, or when no
  // fetch of `path` was started.
  Result<ReceivedPage> Take(const std::string& path) {
    if (!thread_.joinable()) return MakeError(Errc::kInternal, "no page was prefetched");
    thread_.join();
    if (path != path_ || !result_) {
      return MakeError(Errc::kInternal, "another page was prefetched");
    }
    Result<ReceivedPage> r = std::move(*result_);
    result_.reset();
    return r;
  }

  // Aborts a fetch in flight and waits for the thread. A fetch that had not yet sent its
  // request when cancelled may still run to its end; only the wait is longer then.
  void Cancel() {
    if (!thread_.joinable()) return;
    cancelled_.store(true);
    http_->Cancel();
    thread_.join();
    result_.reset();
  }

 private:
  Result<ReceivedPage> Fetch(const std::string& token, const PullCheck& check,
                             const std::string& own_device) {
    if (cancelled_.load()) return MakeError(Errc::kNetwork, "pull prefetch cancelled");
    LV_ASSIGN(std::string body, http_->Get(path_, token));
    LV_ASSIGN(pr::PullResponse page, DecodePullBody(body, http_->last_content_type()));
    ReceivedPage out;
    out.page = std::move(page);
    out.verified.assign(out.page.envelopes.size(), 0);
    MarkVerified(out, check, own_device);
    return out;
  }

  std::thread thread_;
  HttpTransport* http_ = nullptr;
  std::string path_;
  // Written by the helper thread, read by the writer only after join().
  std::optional<Result<ReceivedPage>> result_;
  std::atomic<bool> cancelled_{false};
};

// Opens a pull page's envelopes for the writer on two cores. Each envelope is one task: its
// signature check (unless the prefetch thread did it), decryption and decoding. A helper
// thread and the writer claim tasks in page order; the writer merges envelope i as soon as
// its task is done and, while it waits, runs unclaimed tasks itself. The merge stays in page
// order on the writer, and a failing envelope is reported when the writer reaches it, as on
// one thread: the errors, and what a page leaves in the store, are the same.
// Tasks read only the page, the keys the writer resolved beforehand (Keyring::HeldKey;
// nullptr: not held, deferred) and the directory's signing keys, and write only their slot.
class PageOpener {
 public:
  enum class Outcome : std::uint8_t { kApply, kSkip, kDefer, kFail };
  struct Slot {
    std::atomic<bool> ready{false};
    Outcome outcome = Outcome::kSkip;
    DecodedBatch batch;          // kApply
    std::optional<Error> error;  // kFail
  };

  PageOpener(const ReceivedPage& page, std::vector<const std::uint8_t*> keys,
             const PullCheck& check, const std::string& own_device)
      : page_(page),
        keys_(std::move(keys)),
        check_(check),
        own_device_(own_device),
        slots_(page.page.envelopes.size()) {}
  PageOpener(const PageOpener&) = delete;
  PageOpener& operator=(const PageOpener&) = delete;

  // Claims and runs the next task; false when every task has been claimed.
  bool RunOne() {
    const std::size_t i = next_.fetch_add(1);
    if (i >= slots_.size()) return false;
    Slot& slot = slots_[i];
    try {
      Run(i, slot);
    } catch (const std::exception& e) {  // e.g. bad_alloc: reported, never terminate()
      slot.outcome = Outcome::kFail;
      slot.error = MakeError(Errc::kInternal, std::string("opening a pulled batch: ") + e.what());
    }
    slot.ready.store(true, std::memory_order_release);
    slot.ready.notify_all();
    return true;
  }

  // Envelope i, opened. Runs unclaimed tasks while it is not ready, then waits for it.
  Slot& Wait(std::size_t i) {
    Slot& slot = slots_[i];
    while (!slot.ready.load(std::memory_order_acquire)) {
      if (!RunOne()) slot.ready.wait(false, std::memory_order_acquire);
    }
    return slot;
  }

  // No task is claimed after this; one already running finishes.
  void Stop() { next_.store(slots_.size()); }

 private:
  void Run(std::size_t i, Slot& slot) const {
    const pr::Envelope& e = page_.page.envelopes[i];
    auto fail = [&slot](Error error) {
      slot.outcome = Outcome::kFail;
      slot.error = std::move(error);
    };
    if (e.author_device == own_device_) return;  // kSkip: our own changes, applied already
    auto pk = check_.sign_keys.find(e.author_device);
    if (pk == check_.sign_keys.end()) {
      return fail(MakeError(Errc::kProtocol, "batch " + e.batch_id + " comes from device " +
                                                 e.author_device +
                                                 ", which the directory does not list"));
    }
    // The signature before anything else, as Keyring::Open: a forged envelope is an error
    // even when no key for it is held here.
    if (page_.verified[i] == 0) {
      auto checked = VerifyEnvelope(e, pk->second, &check_.pushes);
      if (!checked.ok()) return fail(checked.error());
    }
    if (keys_[i] == nullptr) {
      slot.outcome = Outcome::kDefer;
      return;
    }
    auto plain = DecryptEnvelope(e, keys_[i]);
    if (!plain.ok()) return fail(plain.error());
    auto batch = DecodeBatch(*plain);
    if (!batch.ok()) return fail(batch.error());
    if (batch->scope != e.scope) {
      return fail(
          MakeError(Errc::kProtocol, "batch " + e.batch_id + " names another scope inside"));
    }
    slot.batch = std::move(batch).value();
    slot.outcome = Outcome::kApply;
  }

  const ReceivedPage& page_;
  const std::vector<const std::uint8_t*> keys_;
  const PullCheck& check_;
  const std::string& own_device_;
  std::vector<Slot> slots_;
  std::atomic<std::size_t> next_{0};
};

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
  std::map<std::string, ServerScope> server_scopes;
  std::set<std::string> blocked;  // scopes this device cannot push now (see sync_scope_state.note)
  SyncReport report;
  const Progress* progress = nullptr;
  bool owners_changed = false, keys_changed = false;
  std::string directory_hash;
  EngineDirectory directory;  // as fetched by the current sync
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
    LV_ASSIGN(std::string cbody, http->Post("/v1/session/challenge", pr::ToJson(creq).dump()));
    LV_ASSIGN(pr::ChallengeResponse ch, pr::ParseBody<pr::ChallengeResponse>(cbody));
    LV_ASSIGN(pr::Bytes sig, keyring->Sign(pr::SessionSignedBytes(ch.challenge)));
    pr::SessionRequest sreq{profile.device_id, ch.challenge, sig};
    LV_ASSIGN(std::string sbody, http->Post("/v1/session", pr::ToJson(sreq).dump()));
    LV_ASSIGN(pr::SessionResponse s, pr::ParseBody<pr::SessionResponse>(sbody));
    token = s.token;
    token_expires = s.expires_at;
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
  Result<std::string> Post(const std::string& path, const std::string& body) {
    return Authed([&] { return http->Post(path, body, token); });
  }

  // ---- directory ---------------------------------------------------------------------------
  // Returns whether the directory differs from the one the last complete sync saw.
  Result<bool> Directory() {
    Report(SyncPhase::kDirectory, 0, 1);
    LV_ASSIGN(std::string body, Get("/v1/directory"));
    directory_hash = DigestHex(body);
    LV_ASSIGN(pr::DirectoryResponse d, pr::ParseBody<pr::DirectoryResponse>(body));
    sign_keys.clear();
    box_keys.clear();
    EngineDirectory dir;
    for (const auto& u : d.units) dir.units.push_back({u.unit_id, u.region, u.name});
    for (const auto& u : d.users) {
      dir.users.push_back({u.user_id, u.display_name, u.role, u.unit_id, u.active});
      if (u.user_id == profile.user_id &&
          (u.role != profile.role || u.unit_id != profile.unit_id)) {
        profile.role = u.role;
        profile.unit_id = u.unit_id;
        LV_TRY(db->Run("UPDATE sync_profile SET role=?, unit_id=?", u.role, u.unit_id));
      }
    }
    for (const auto& dv : d.devices) {
      dir.devices.push_back({dv.device_id, dv.user_id, dv.sign_pk, dv.box_pk});
      sign_keys[dv.device_id] = dv.sign_pk;
      box_keys[dv.device_id] = dv.box_pk;
    }
    directory = dir;
    LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
    if (hooks.on_directory) LV_TRY(hooks.on_directory(dir));
    // Org rows are the server's directory: local org writes are never pushed (only an
    // administrator's tools write the directory, through their own endpoints).
    LV_TRY(replica->MarkPushed(pr::kKindOrg, 0, INT64_MAX));
    LV_TRY(tx.Commit());
    Report(SyncPhase::kDirectory, 1, 1);
    LV_ASSIGN(storage::Value last, GetMeta("directory_hash"));
    return !(last.index() == 3 && std::get<std::string>(last) == directory_hash);
  }

  // ---- pull --------------------------------------------------------------------------------
  // Per envelope of a page, the key it is sealed under; nullptr when this device does not
  // hold it (the envelope is deferred) and for its own envelopes.
  Result<std::vector<const std::uint8_t*>> PageKeys(const pr::PullResponse& page) {
    std::vector<const std::uint8_t*> keys(page.envelopes.size(), nullptr);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const pr::Envelope& e = page.envelopes[i];
      if (e.author_device == profile.device_id) continue;
      auto key = keyring->HeldKey(e.scope, e.key_version);
      if (key.ok()) {
        keys[i] = *key;
      } else if (key.error().code != Errc::kNotFound) {
        return key.error();
      }
    }
    return keys;
  }

  // Applies one page inside the caller's transaction, in page order: merges what opens and
  // stops at the first envelope that fails (see PageOpener). Returns the indices of the
  // envelopes that wait for a key, for the caller to keep in sync_deferred.
  Result<std::vector<std::size_t>> ApplyPage(const ReceivedPage& received, const PullCheck& check) {
    const std::vector<pr::Envelope>& envelopes = received.page.envelopes;
    LV_ASSIGN(std::vector<const std::uint8_t*> keys, PageKeys(received.page));
    PageOpener opener(received, std::move(keys), check, profile.device_id);
    std::thread helper;
    if (options.pull_prefetch && envelopes.size() >= 2) {
      try {
        helper = std::thread([&opener] {
          while (opener.RunOne()) {
          }
        });
      } catch (const std::system_error&) {
        // No thread to be had: the writer runs every task itself.
      }
    }
    // On every way out, the helper takes no further task and is joined before `opener` goes.
    struct JoinHelper {
      PageOpener& opener;
      std::thread& thread;
      ~JoinHelper() {
        opener.Stop();
        if (thread.joinable()) thread.join();
      }
    } join{opener, helper};
    std::vector<std::size_t> deferred;
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
      PageOpener::Slot& slot = opener.Wait(i);
      switch (slot.outcome) {
        case PageOpener::Outcome::kFail:
          return *slot.error;
        case PageOpener::Outcome::kSkip:
          break;
        case PageOpener::Outcome::kDefer:
          deferred.push_back(i);
          break;
        case PageOpener::Outcome::kApply: {
          LV_ASSIGN(ApplyStats st, replica->ApplyRemote(slot.batch.changes));
          report.applied_changes += st.applied;
          report.new_conflicts += st.conflicts;
          slot.batch = DecodedBatch{};  // merged: its memory goes now, not with the page
          break;
        }
      }
    }
    return deferred;
  }

  std::string PullPath(const std::string& cursor) const {
    std::string path =
        "/v1/pull?cursor=" + UrlEncode(cursor) + "&limit=" + std::to_string(options.pull_limit);
    if (options.pull_max_bytes > 0) {
      path += "&max_bytes=" + std::to_string(options.pull_max_bytes);
    }
    if (options.pull_binary) path += "&format=bin";
    return path;
  }

  // Fetches a page on this thread, through the path that renews an expired session.
  Result<ReceivedPage> FetchPage(const std::string& path) {
    LV_ASSIGN(std::string body, Get(path));
    LV_ASSIGN(pr::PullResponse page, DecodePullBody(body, http->last_content_type()));
    ReceivedPage out;
    out.verified.assign(page.envelopes.size(), 0);  // checked by the PageOpener's tasks
    out.page = std::move(page);
    return out;
  }

  // Starts fetching the page at `path` on the prefetch thread, over `transport` (made on first
  // use). Skipped (the writer fetches the page itself when it gets there) when turned off,
  // when the session is about to expire (renewing it is the writer's business), or when no
  // second transport can be made.
  void StartPrefetch(PagePrefetch& prefetch, std::unique_ptr<HttpTransport>& transport,
                     const std::string& path, const std::shared_ptr<const PullCheck>& check) {
    if (!options.pull_prefetch || token.empty() || Now() + 60'000 >= token_expires) return;
    if (!transport) {
      auto created = HttpTransport::Create(profile.server_url, profile.cert_fingerprint,
                                           options.connect_timeout_ms, options.read_timeout_ms);
      if (!created.ok()) return;
      transport = std::move(created).value();
    }
    prefetch.Start(*transport, path, token, check, profile.device_id);
  }

  // Pages by cursor, each applied in ONE transaction with its cursor. While page k is applied
  // here, the prefetch thread fetches, decodes and verifies page k+1 (its cursor is known as
  // soon as page k arrived); it runs at most one page ahead. Anything it could not do (an
  // expired session, a dropped connection, a malformed body) is simply done again here, so
  // errors and session renewal are exactly those of fetching every page on this thread.
  Result<void> Pull(std::optional<ScopedPullSettings>& settings) {
    LV_ASSIGN(storage::Value cur, GetMeta("cursor"));
    std::string cursor = cur.index() == 3 ? std::get<std::string>(cur) : std::string();
    std::int64_t done = 0;
    // Both threads check signatures against one copy of the directory's keys, and share the
    // push signatures checked.
    auto check = std::make_shared<PullCheck>();
    check->sign_keys = sign_keys;
    // Its connection lasts only as long as the pull: the server gives every keep-alive
    // connection a worker thread, so an idle second connection per device would halve the
    // devices it serves at once. Declared first: destroyed after the thread is joined.
    std::unique_ptr<HttpTransport> prefetch_http;
    PagePrefetch prefetch;  // cancelled and joined on every way out of Pull()
    for (;;) {
      Report(SyncPhase::kPull, done, 0);
      const std::string path = PullPath(cursor);
      Result<ReceivedPage> prefetched = prefetch.Take(path);
      ReceivedPage received;
      if (prefetched.ok()) {
        received = std::move(prefetched).value();
      } else {
        LV_ASSIGN(received, FetchPage(path));
      }
      const pr::PullResponse& page = received.page;
      if (page.more) StartPrefetch(prefetch, prefetch_http, PullPath(page.cursor), check);
      const std::int64_t applied_before = report.applied_changes;
      if (!settings && !page.envelopes.empty()) settings.emplace(*db);
      {
        LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
        LV_ASSIGN(std::vector<std::size_t> deferred, ApplyPage(received, *check));
        for (std::size_t i : deferred) {
          const pr::Envelope& e = page.envelopes[i];
          LV_TRY(db->Run("INSERT OR REPLACE INTO sync_deferred(seq, envelope) VALUES(?, ?)", e.seq,
                         pr::ToJson(e).dump()));
        }
        LV_TRY(SetMeta("cursor", page.cursor));
        LV_TRY(tx.Commit());
      }
      cursor = page.cursor;
      done += static_cast<std::int64_t>(page.envelopes.size());
      report.pulled_envelopes += static_cast<std::int64_t>(page.envelopes.size());
      if (hooks.on_applied && report.applied_changes > applied_before) {
        hooks.on_applied(report.applied_changes - applied_before);
      }
      LV_TRY(Fault("pull-page-applied"));
      if (!page.more) break;
    }
    Report(SyncPhase::kPull, done, done);
    return Ok();
  }

  // Envelopes deferred for want of a key: retried after new wraps arrived.
  Result<void> RetryDeferred() {
    LV_ASSIGN(std::int64_t n, db->QueryInt("SELECT count(*) FROM sync_deferred"));
    if (n == 0) return Ok();
    LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
    LV_ASSIGN(Statement st, db->Prepare("SELECT seq, envelope FROM sync_deferred ORDER BY seq"));
    ReceivedPage waiting;
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      LV_ASSIGN(pr::Envelope e, pr::ParseBody<pr::Envelope>(st.Text(1)));
      e.seq = st.Int(0);
      waiting.page.envelopes.push_back(std::move(e));
    }
    waiting.verified.assign(waiting.page.envelopes.size(), 0);
    // Applied as a page, in the order they were pulled; what still waits stays where it is.
    PullCheck check;
    check.sign_keys = sign_keys;
    LV_ASSIGN(std::vector<std::size_t> still, ApplyPage(waiting, check));
    std::size_t next_waiting = 0;
    for (std::size_t i = 0; i < waiting.page.envelopes.size(); ++i) {
      if (next_waiting < still.size() && still[next_waiting] == i) {
        ++next_waiting;
        continue;
      }
      LV_TRY(db->Run("DELETE FROM sync_deferred WHERE seq=?", waiting.page.envelopes[i].seq));
    }
    return tx.Commit();
  }

  // ---- scopes ------------------------------------------------------------------------------
  Result<void> SetScopeNote(const std::string& scope, const std::string& note) {
    return db->Run(
        "INSERT INTO sync_scope_state(scope, registered, owner_user_id, key_version, key_owner, "
        "note)"
        " VALUES(?, 0, '', 0, '', ?) ON CONFLICT(scope) DO UPDATE SET note=excluded.note",
        scope, note);
  }

  // GET /v1/scopes: what the server says about each scope this device reads.
  Result<void> ListScopes() {
    Report(SyncPhase::kScopes, 0, 0);
    LV_ASSIGN(std::string body, Get("/v1/scopes"));
    LV_ASSIGN(pr::ScopesResponse list, pr::ParseBody<pr::ScopesResponse>(body));
    server_scopes.clear();
    blocked.clear();
    for (const auto& s : list.scopes) {
      server_scopes[s.scope] = ServerScope{s.kind, s.unit_id, s.owner_user_id, s.key_version};
    }
    return Ok();
  }

  // Registers new local scopes and reports reassignments made here, then records the server's
  // view (only rows that changed are written, so a no-op sync writes nothing here).
  Result<void> RegisterScopes() {
    std::vector<LocalScope> local;
    if (hooks.local_scopes) {
      LV_ASSIGN(local, hooks.local_scopes());
    }
    std::int64_t done = 0;
    for (const LocalScope& l : local) {
      if (l.kind == pr::kKindOrg) continue;  // the server's directory
      auto it = server_scopes.find(l.scope);
      if (it == server_scopes.end()) {
        pr::ScopeInfo req{l.scope, l.kind, l.unit_id, l.owner_user_id, 0};
        auto r = Post("/v1/scopes", pr::ToJson(req).dump());
        if (!r.ok()) {
          if (r.error().code == Errc::kNetwork) return r.error();
          // Not ours to register (or no longer readable): keep its changes, do not push them.
          blocked.insert(l.scope);
          LV_TRY(SetScopeNote(l.scope, "not accepted by the server: " + r.error().message));
          continue;
        }
        server_scopes[l.scope] = ServerScope{l.kind, l.unit_id, l.owner_user_id, 0};
        owners_changed = true;
      } else if (l.kind != pr::kKindUnit && l.kind != pr::kKindVolunteers &&
                 !l.owner_user_id.empty() && it->second.owner_user_id != l.owner_user_id &&
                 profile.role == pr::kRoleSupervisor) {
        // A reassignment made on this device (pull ran first, so this is not a stale view).
        pr::ScopeOwnerRequest req{l.scope, l.owner_user_id};
        auto r = Post("/v1/scopes/owner", pr::ToJson(req).dump());
        if (!r.ok()) {
          if (r.error().code == Errc::kNetwork) return r.error();
          LV_TRY(SetScopeNote(l.scope, "reassignment refused: " + r.error().message));
        } else {
          it->second.owner_user_id = l.owner_user_id;
        }
      }
      Report(SyncPhase::kScopes, ++done, static_cast<std::int64_t>(local.size()));
    }
    std::map<std::string, std::pair<std::string, std::int64_t>> known;  // scope -> owner, version
    {
      LV_ASSIGN(
          Statement st,
          db->Prepare(
              "SELECT scope, owner_user_id, key_version FROM sync_scope_state WHERE registered=1"));
      for (;;) {
        LV_ASSIGN(bool row, st.Step());
        if (!row) break;
        known[st.Text(0)] = {st.Text(1), st.Int(2)};
      }
    }
    LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
    for (const auto& [scope, s] : server_scopes) {
      auto k = known.find(scope);
      if (k != known.end() && k->second.first == s.owner_user_id &&
          k->second.second == static_cast<std::int64_t>(s.key_version)) {
        continue;
      }
      if (k != known.end() && k->second.first != s.owner_user_id) owners_changed = true;
      // A key version first seen here gets its owner and readers now, as ManageKeys would
      // give them (it still fills any row left without): one write a scope, not three.
      const bool keyed = s.key_version > 0;
      LV_TRY(db->Run(
          "INSERT INTO sync_scope_state(scope, registered, owner_user_id, key_version, key_owner, "
          "key_readers, note)"
          " VALUES(?, 1, ?, ?, ?, ?, '') ON CONFLICT(scope) DO UPDATE SET registered=1,"
          " owner_user_id=excluded.owner_user_id,"
          " key_owner=CASE WHEN key_version=excluded.key_version THEN key_owner"
          " ELSE excluded.key_owner END,"
          " key_readers=CASE WHEN key_version=excluded.key_version THEN key_readers"
          " ELSE excluded.key_readers END,"
          " key_version=excluded.key_version,"
          " note=CASE WHEN note LIKE 'reassignment refused%' THEN note ELSE '' END",
          scope, s.owner_user_id, static_cast<std::int64_t>(s.key_version),
          keyed ? s.owner_user_id : std::string(), keyed ? ReaderSet(s) : std::string()));
    }
    return tx.Commit();
  }

  // ---- keys --------------------------------------------------------------------------------
  // Who reads a scope, by the table of PROTOCOL.md (the same rule as the server's CanRead):
  // used only to notice that someone who could read a key version no longer can.
  static bool MayRead(const EngineDirectory::User& u, const ServerScope& s) {
    if (!u.active) return false;
    if (s.kind == pr::kKindOrg) return true;
    if (u.role == pr::kRoleOfficer) {
      if (s.kind == pr::kKindUnit) return s.unit_id == u.unit_id;
      if (s.kind == pr::kKindCase || s.kind == pr::kKindMentoring)
        return s.owner_user_id == u.user_id;
      return false;
    }
    if (u.role == pr::kRoleSupervisor) return s.kind != pr::kKindOrg && s.unit_id == u.unit_id;
    if (u.role == pr::kRoleCoordinator) {
      return (s.kind == pr::kKindVolunteers || s.kind == pr::kKindMentoring) &&
             s.unit_id == u.unit_id;
    }
    return false;
  }
  std::string ReaderSet(const ServerScope& s) const {
    std::vector<std::string> ids;
    for (const auto& u : directory.users) {
      if (MayRead(u, s)) ids.push_back(u.user_id);
    }
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
    return out;
  }
  static bool LostReader(const std::string& then, const std::string& now) {
    std::set<std::string> current;
    std::size_t start = 0;
    while (start < now.size()) {
      std::size_t comma = now.find(',', start);
      if (comma == std::string::npos) comma = now.size();
      current.insert(now.substr(start, comma - start));
      start = comma + 1;
    }
    start = 0;
    while (start < then.size()) {
      std::size_t comma = then.find(',', start);
      if (comma == std::string::npos) comma = then.size();
      if (current.count(then.substr(start, comma - start)) == 0) return true;
      start = comma + 1;
    }
    return false;
  }

  Result<void> PublishOwnWrap(const std::string& scope, std::uint32_t version) {
    LV_ASSIGN(pr::Bytes sealed,
              keyring->WrapFor(scope, version, profile.device_id, keyring->box_pk()));
    pr::PutKeysRequest req;
    req.wraps.push_back({scope, version, profile.device_id, sealed});
    LV_TRY(Post("/v1/keys", pr::ToJson(req).dump()));
    server_scopes[scope].key_version = version;
    keys_changed = true;
    return db->Run(
        "UPDATE sync_scope_state SET key_version=?, key_owner=?, key_readers=? WHERE scope=?",
        static_cast<std::int64_t>(version), server_scopes[scope].owner_user_id,
        ReaderSet(server_scopes[scope]), scope);
  }

  // GET /v1/keys, only when the server lists a key version this device lacks or envelopes
  // wait for a key; imports new wraps and opens what was waiting.
  Result<void> ImportKeys() {
    Report(SyncPhase::kKeys, 0, 0);
    LV_ASSIGN(auto held_list, keyring->HeldKeys());
    std::set<std::pair<std::string, std::uint32_t>> held(held_list.begin(), held_list.end());
    bool need = false;
    for (const auto& [scope, s] : server_scopes) {
      need = need || (s.key_version > 0 && held.count({scope, s.key_version}) == 0);
    }
    LV_ASSIGN(std::int64_t deferred, db->QueryInt("SELECT count(*) FROM sync_deferred"));
    if (!need && deferred == 0) return Ok();
    LV_ASSIGN(std::string body, Get("/v1/keys"));
    LV_ASSIGN(pr::KeysResponse mine, pr::ParseBody<pr::KeysResponse>(body));
    bool imported = false;
    {
      LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
      for (const auto& w : mine.wraps) {
        if (held.count({w.scope, w.key_version}) != 0) continue;
        LV_TRY(keyring->ImportWrap(w.scope, w.key_version, w.sealed, box_keys));
        held.emplace(w.scope, w.key_version);
        imported = true;
      }
      LV_TRY(tx.Commit());
    }
    if (imported) {
      keys_changed = true;
      LV_TRY(RetryDeferred());
    }
    return Ok();
  }

  // A key for every scope with changes to push: created on first write, rotated when the
  // scope's owner changed since its key version was first seen here (a reader lost access);
  // then the wraps other reader devices miss, for keys this device holds.
  Result<void> ManageKeys(bool directory_changed) {
    // The owner at the time each newest key version is first seen here.
    LV_TRY(
        db->Run("UPDATE sync_scope_state SET key_owner=owner_user_id WHERE key_owner=''"
                " AND key_version>0"));
    std::map<std::string, std::string> key_readers;
    {
      LV_ASSIGN(Statement st,
                db->Prepare("SELECT scope, key_readers FROM sync_scope_state WHERE key_version>0"));
      for (;;) {
        LV_ASSIGN(bool row, st.Step());
        if (!row) break;
        key_readers[st.Text(0)] = st.Text(1);
      }
      LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
      for (auto& [scope, readers] : key_readers) {
        auto it = server_scopes.find(scope);
        if (!readers.empty() || it == server_scopes.end()) continue;
        readers = ReaderSet(it->second);
        LV_TRY(db->Run("UPDATE sync_scope_state SET key_readers=? WHERE scope=?", readers, scope));
      }
      LV_TRY(tx.Commit());
    }
    LV_ASSIGN(auto pending, replica->PendingByScope());
    for (const auto& [scope, count] : pending) {
      (void)count;
      if (blocked.count(scope) != 0 || scope == pr::kKindOrg) continue;
      auto it = server_scopes.find(scope);
      if (it == server_scopes.end()) {
        blocked.insert(scope);
        LV_TRY(SetScopeNote(scope, "not registered on the server"));
        continue;
      }
      const std::uint32_t server_version = it->second.key_version;
      LV_ASSIGN(std::uint32_t local, keyring->LatestVersion(scope));
      LV_ASSIGN(Statement * ko, db->Cached("SELECT key_owner FROM sync_scope_state WHERE scope=?"));
      ko->Bind(1, scope);
      LV_ASSIGN(bool has_row, ko->Step());
      const std::string key_owner = has_row ? ko->Text(0) : std::string();
      ko->Reset();
      const auto kr = key_readers.find(scope);
      const bool reader_lost =
          (!key_owner.empty() && key_owner != it->second.owner_user_id) ||
          (kr != key_readers.end() && LostReader(kr->second, ReaderSet(it->second)));
      const bool rotate = server_version > 0 && local >= server_version && reader_lost;
      if (server_version == 0 || rotate) {
        const std::uint32_t target = server_version + 1;
        while (local < target) {
          LV_ASSIGN(local, keyring->CreateScopeKey(scope));
        }
        LV_TRY(PublishOwnWrap(scope, target));
      } else if (local < server_version) {
        blocked.insert(scope);  // waiting for a wrap of the newest key from another device
        LV_TRY(SetScopeNote(scope, "waiting for the scope key from another device"));
      }
    }
    // Other devices can only lack a wrap this device could give when a device or user
    // appeared or changed, a scope changed owner, or a key version appeared here.
    if (!directory_changed && !owners_changed && !keys_changed) return Ok();
    LV_ASSIGN(std::string mbody, Get("/v1/keys/missing"));
    LV_ASSIGN(pr::MissingKeysResponse missing, pr::ParseBody<pr::MissingKeysResponse>(mbody));
    if (!missing.missing.empty()) {
      pr::PutKeysRequest req;
      for (const auto& m : missing.missing) {
        auto sealed = keyring->WrapFor(m.scope, m.key_version, profile.device_id, m.box_pk);
        if (!sealed.ok()) continue;  // not held here (another device will fulfil it)
        req.wraps.push_back({m.scope, m.key_version, m.device_id, *sealed});
      }
      if (!req.wraps.empty()) LV_TRY(Post("/v1/keys", pr::ToJson(req).dump()));
    }
    Report(SyncPhase::kKeys, 1, 1);
    return Ok();
  }

  // ---- push --------------------------------------------------------------------------------
  struct Sent {
    std::string batch_id, scope;
    std::int64_t first_seq, last_seq, changes;
  };

  // Encrypts the batches, signs them as one push (one signature, a proof in each) and posts
  // them; on success removes them from the outbox.
  Result<void> SendBatches(const std::vector<Sent>& sent) {
    pr::PushRequest req;
    for (const Sent& s : sent) {
      LV_ASSIGN(OutboxBatch b, replica->ReadOutboxRange(s.scope, s.first_seq, s.last_seq));
      LV_ASSIGN(std::vector<std::uint8_t> plain, EncodeBatch(s.scope, b.changes));
      LV_ASSIGN(pr::Envelope e, keyring->Encrypt(s.scope, s.batch_id, profile.device_id, plain));
      req.batches.push_back(std::move(e));
    }
    LV_TRY(keyring->SignPush(req.batches));
    LV_ASSIGN(std::string body, Post("/v1/push", pr::ToJson(req).dump()));
    LV_TRY(Fault("push-answered"));
    LV_ASSIGN(pr::PushResponse res, pr::ParseBody<pr::PushResponse>(body));
    if (res.results.size() != sent.size()) {
      return MakeError(Errc::kProtocol, "the push answer does not match the batches sent");
    }
    LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
    for (std::size_t i = 0; i < sent.size(); ++i) {
      if (res.results[i].batch_id != sent[i].batch_id) {
        return MakeError(Errc::kProtocol, "the push answer names another batch");
      }
      if (res.results[i].duplicate) ++report.duplicate_batches;
      LV_TRY(replica->MarkPushed(sent[i].scope, sent[i].first_seq, sent[i].last_seq));
      LV_TRY(db->Run("DELETE FROM sync_push_pending WHERE batch_id=?", sent[i].batch_id));
      report.pushed_changes += sent[i].changes;
      ++report.pushed_batches;
    }
    return tx.Commit();
  }

  Result<void> Push() {
    LV_ASSIGN(std::int64_t total, replica->PendingCount());
    Report(SyncPhase::kPush, 0, total);
    // Batches whose id was fixed by an earlier attempt go first, with the same id: if the
    // server stored them, it answers duplicate:true and stores nothing.
    {
      LV_ASSIGN(
          Statement st,
          db->Prepare(
              "SELECT batch_id, scope, first_seq, last_seq FROM sync_push_pending ORDER BY rowid"));
      std::vector<Sent> again;
      for (;;) {
        LV_ASSIGN(bool row, st.Step());
        if (!row) break;
        again.push_back({st.Text(0), st.Text(1), st.Int(2), st.Int(3), 0});
      }
      std::vector<Sent> sendable;
      for (Sent& s : again) {
        if (blocked.count(s.scope) != 0) continue;
        LV_ASSIGN(
            std::int64_t n,
            db->QueryInt("SELECT count(*) FROM sync_outbox WHERE scope=? AND seq BETWEEN ? AND ?",
                         s.scope, s.first_seq, s.last_seq));
        s.changes = n;
        sendable.push_back(s);
      }
      if (!sendable.empty()) LV_TRY(SendBatches(sendable));
    }
    // Skip scopes still held back by an unsent earlier batch (their order matters to nobody,
    // but their ranges must not be sent twice under two ids).
    std::set<std::string> skip = blocked;
    {
      LV_ASSIGN(Statement st, db->Prepare("SELECT DISTINCT scope FROM sync_push_pending"));
      for (;;) {
        LV_ASSIGN(bool row, st.Step());
        if (!row) break;
        skip.insert(st.Text(0));
      }
    }
    skip.insert(pr::kKindOrg);
    for (;;) {
      LV_ASSIGN(
          std::vector<OutboxBatch> batches,
          replica->ReadOutbox(options.push_batch_changes, options.push_batches_per_request, skip));
      if (batches.empty()) break;
      std::vector<Sent> sent;
      {
        LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
        for (const OutboxBatch& b : batches) {
          Sent s{NewBatchId(), b.scope, b.first_seq, b.last_seq,
                 static_cast<std::int64_t>(b.changes.size())};
          LV_TRY(
              db->Run("INSERT INTO sync_push_pending(batch_id, scope, first_seq, last_seq) "
                      "VALUES(?, ?, ?, ?)",
                      s.batch_id, s.scope, s.first_seq, s.last_seq));
          sent.push_back(std::move(s));
        }
        LV_TRY(tx.Commit());  // the ids are durable before anything leaves the device
      }
      LV_TRY(SendBatches(sent));
      Report(SyncPhase::kPush, report.pushed_changes, total);
    }
    return Ok();
  }

  Result<void> Run() {
    if (!enrolled) return MakeError(Errc::kNotFound, "this device is not enrolled yet");
    LV_TRY(EnsureTransport());
    Report(SyncPhase::kSession, 0, 1);
    LV_TRY(EnsureSession());
    Report(SyncPhase::kSession, 1, 1);
    owners_changed = keys_changed = false;
    LV_ASSIGN(bool directory_changed, Directory());
    LV_TRY(ListScopes());
    LV_TRY(ImportKeys());
    LV_TRY(Pull(pull_settings));
    LV_TRY(RegisterScopes());
    LV_TRY(ManageKeys(directory_changed));
    LV_TRY(Push());
    // Only now is the directory known to be served: remember it for the next no-op check.
    LV_TRY(SetMeta("directory_hash", directory_hash));
    Report(SyncPhase::kDone, 1, 1);
    return Ok();
  }
};

SyncEngine::SyncEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SyncEngine::~SyncEngine() = default;

Result<std::unique_ptr<SyncEngine>> SyncEngine::Open(Database& db, Replica& replica,
                                                     EngineHooks hooks, EngineOptions options) {
  LV_TRY(storage::Migrate(db, "sync_engine", kEngineMigrations));
  auto impl = std::make_unique<Impl>();
  impl->db = &db;
  impl->replica = &replica;
  impl->hooks = std::move(hooks);
  impl->options = std::move(options);
  if (impl->options.push_batch_changes <= 0) impl->options.push_batch_changes = 5000;
  impl->options.push_batches_per_request = std::clamp<std::int64_t>(
      impl->options.push_batches_per_request, 1, static_cast<std::int64_t>(pr::kMaxBatchesPerPush));
  impl->options.pull_limit = std::clamp<std::int64_t>(impl->options.pull_limit, 1,
                                                      static_cast<std::int64_t>(pr::kMaxPullLimit));
  impl->options.pull_max_bytes = std::clamp<std::int64_t>(
      impl->options.pull_max_bytes, 0, static_cast<std::int64_t>(pr::kMaxPullBytes));
  LV_ASSIGN(impl->keyring, Keyring::Open(db));
  LV_ASSIGN(
      Statement st,
      db.Prepare(
          "SELECT server_url, cert_fingerprint, user_id, device_id, display_name, role, unit_id"
          " FROM sync_profile"));
  LV_ASSIGN(bool row, st.Step());
  if (row) {
    impl->profile = DeviceProfile{st.Text(0), st.Text(1), st.Text(2), st.Text(3),
                                  st.Text(4), st.Text(5), st.Text(6)};
    impl->enrolled = true;
  }
  return std::unique_ptr<SyncEngine>(new SyncEngine(std::move(impl)));
}

bool SyncEngine::IsEnrolled() const {
  return impl_->enrolled;
}
const DeviceProfile& SyncEngine::Profile() const {
  return impl_->profile;
}

Result<DeviceProfile> SyncEngine::Enrol(std::string server_url, std::string code,
                                        std::string device_name, std::string cert_fingerprint) {
  Impl& m = *impl_;
  if (m.enrolled) return MakeError(Errc::kConflict, "this device is already enrolled");
  if (code.rfind("LV1-", 0) == 0) {
    // A full enrolment code carries the server address and the certificate pin.
    LV_ASSIGN(pr::EnrolmentCode c, pr::DecodeEnrolmentCode(code));
    if (server_url.empty()) server_url = c.server_url;
    if (cert_fingerprint.empty()) cert_fingerprint = c.cert_fingerprint;
  }
  if (server_url.empty()) return MakeError(Errc::kValidation, "server address: missing");
  m.profile.server_url = server_url;
  m.profile.cert_fingerprint = cert_fingerprint;
  m.http.reset();
  LV_TRY(m.EnsureTransport());
  if (!m.keyring->HasDeviceKeys()) LV_TRY(m.keyring->GenerateDeviceKeys());
  pr::EnrolRequest req{code, device_name, m.keyring->sign_pk(), m.keyring->box_pk()};
  auto body = m.http->Post("/v1/enrol", pr::ToJson(req).dump());
  if (!body.ok()) {
    m.http.reset();
    return body.error();
  }
  LV_ASSIGN(pr::EnrolResponse res, pr::ParseBody<pr::EnrolResponse>(*body));
  DeviceProfile p{server_url,       cert_fingerprint, res.user_id, res.device_id,
                  res.display_name, res.role,         res.unit_id};
  LV_TRY(m.db->Run(
      "INSERT INTO sync_profile(id, server_url, cert_fingerprint, user_id, device_id,"
      " display_name, role, unit_id) VALUES(1, ?, ?, ?, ?, ?, ?, ?)",
      p.server_url, p.cert_fingerprint, p.user_id, p.device_id, p.display_name, p.role, p.unit_id));
  m.profile = p;
  m.enrolled = true;
  return p;
}

Result<SyncReport> SyncEngine::SyncOnce(const Progress& cb) {
  Impl& m = *impl_;
  const auto start = std::chrono::steady_clock::now();
  m.report = SyncReport{};
  m.progress = &cb;
  const std::int64_t attempt = m.Now();
  Result<void> r = m.Run();
  m.progress = nullptr;
  m.report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
  if (m.db->InTransaction()) {
    m.pull_settings.reset();
    return MakeError(Errc::kInternal, "sync left a transaction open");
  }
  {
    // One commit for the outcome. Best effort: a store that cannot record it still synced.
    auto tx = Transaction::Begin(*m.db);
    (void)m.SetMeta("last_attempt_ms", attempt);
    (void)m.SetMeta("last_error", r.ok() ? std::string() : r.error().message);
    if (r.ok()) (void)m.SetMeta("last_success_ms", m.Now());
    if (tx.ok()) (void)tx->Commit();
  }
  // That was the sync's last commit: after a pull, the owner checkpoints its WAL (the writer's
  // next commit would otherwise do it while its caller waits).
  if (m.pull_settings) {
    m.pull_settings.reset();
    if (m.hooks.checkpoint_wal) m.hooks.checkpoint_wal();
  }
  if (!r.ok()) return r.error();
  return m.report;
}

Result<SyncStatus> SyncEngine::Status() {
  Impl& m = *impl_;
  SyncStatus s;
  s.enrolled = m.enrolled;
  LV_ASSIGN(s.pending, m.replica->PendingCount());
  LV_ASSIGN(s.conflicts, m.replica->UnresolvedConflictCount());
  LV_ASSIGN(storage::Value ok, m.GetMeta("last_success_ms"));
  if (ok.index() == 1) s.last_success_ms = std::get<std::int64_t>(ok);
  LV_ASSIGN(storage::Value at, m.GetMeta("last_attempt_ms"));
  if (at.index() == 1) s.last_attempt_ms = std::get<std::int64_t>(at);
  LV_ASSIGN(storage::Value err, m.GetMeta("last_error"));
  if (err.index() == 3) s.last_error = std::get<std::string>(err);
  std::map<std::string, ScopeStatus> by_scope;
  LV_ASSIGN(auto pending, m.replica->PendingByScope());
  for (const auto& [scope, n] : pending) {
    by_scope[scope].scope = scope;
    by_scope[scope].pending = n;
  }
  LV_ASSIGN(Statement st, m.db->Prepare("SELECT scope, registered, note FROM sync_scope_state"));
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    ScopeStatus& ss = by_scope[st.Text(0)];
    ss.scope = st.Text(0);
    ss.registered = st.Int(1) != 0;
    ss.state = st.Text(2);
  }
  for (auto& [scope, ss] : by_scope) {
    LV_ASSIGN(std::uint32_t v, m.keyring->LatestVersion(scope));
    ss.key_version = static_cast<std::int32_t>(v);
    s.scopes.push_back(ss);
  }
  return s;
}

}  // namespace lietvedis::sync
