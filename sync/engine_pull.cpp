#include "sync/access_rules.hpp"
#include "sync/engine_impl.hpp"

namespace lietvedis::sync {

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

// The note kept while an envelope's author is not in the directory (see PageOpener::Run).
static std::string UnlistedAuthor(const pr::Envelope& e) {
  return "batch " + e.batch_id + " comes from device " + e.author_device +
         ", which the directory does not list; it is kept and applied once the directory lists "
         "that device";
}

// The refusal of an envelope from an unlisted device beyond what this device keeps unjudged.
static Error NotKeptUnlisted(const pr::Envelope& e, const EngineOptions& o) {
  return MakeError(Errc::kProtocol,
                   "batch " + e.batch_id + " comes from device " + e.author_device +
                       ", which the directory does not list; it is not kept: this device keeps "
                       "at most " +
                       std::to_string(o.max_kept_envelopes) + " envelopes (" +
                       std::to_string(o.max_kept_bytes >> 20) +
                       " MiB) it cannot judge yet, and holds that many");
}

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
    DecodedBatch batch;            // kApply
    std::uint64_t push_no = 0;     // the author's number for the batch, once decoded (LVB2)
    std::optional<Error> error;    // kFail; for kDefer, a reason to note in the quarantine
    const char* ground = nullptr;  // kFail: Refusal::ground when error's code does not tell it
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
      // Noted, and kept for a later directory: a device enrolled after this sync read the
      // directory (its pull runs for many pages) is listed by the next one. Until then the
      // envelope is neither verified nor applied.
      slot.outcome = Outcome::kDefer;
      slot.error = MakeError(Errc::kProtocol, UnlistedAuthor(e));
      return;
    }
    // A revoked device's push counts only if the central store held it when the revocation
    // was signed; after that its keys are the finder's.
    if (auto cut = check_.stored_until.find(e.author_device);
        cut != check_.stored_until.end() && e.seq > cut->second) {
      slot.ground = kRefusalRevoked;
      return fail(MakeError(Errc::kNotPermitted,
                            "batch " + e.batch_id + " from device " + e.author_device +
                                " is refused: it was stored at seq " + std::to_string(e.seq) +
                                ", after the device's revocation (seq " +
                                std::to_string(cut->second) + ")"));
    }
    // The signature before anything else, as Keyring::Open: a forged envelope is refused
    // even when no key for it is held here.
    if (page_.verified[i] == 0) {
      auto checked = VerifyEnvelope(e, pk->second, &check_.pushes);
      if (!checked.ok()) return fail(checked.error());
    }
    // Then the writer: the author device's user may write the scope (access::MayWrite). A
    // scope refused here (RefuseForeignScopes) or registered after the listing is judged on a
    // later sync: its envelopes wait, unapplied. A refusal may be lifted (the two owner
    // changes of a reassignment, case then mentoring, land one request apart), so they are
    // not quarantined; the scope's refusal is.
    if (check_.refused_scopes.count(e.scope) != 0) {
      slot.outcome = Outcome::kDefer;
      return;
    }
    auto scope = check_.scopes.find(e.scope);
    if (scope == check_.scopes.end()) {
      slot.outcome = Outcome::kDefer;
      return;
    }
    auto user = check_.device_users.find(e.author_device);
    if (user == check_.device_users.end() ||
        !access::MayWrite(access::PersonOf(user->second), access::FactsOf(scope->second))) {
      return fail(MakeError(
          Errc::kNotPermitted,
          "batch " + e.batch_id + " from device " + e.author_device + " is refused: its user " +
              (user == check_.device_users.end() ? std::string("(none in the directory)")
                                                 : user->second.user_id) +
              " may not write " + e.scope));
    }
    if (keys_[i] == nullptr) {
      slot.outcome = Outcome::kDefer;
      return;
    }
    auto plain = DecryptEnvelope(e, keys_[i]);
    if (!plain.ok()) return fail(plain.error());
    auto batch = DecodeBatch(*plain);
    if (!batch.ok()) return fail(batch.error());
    slot.push_no = batch->push_no;  // signed and sealed by the author: counted even if refused
    if (batch->scope != e.scope) {
      return fail(
          MakeError(Errc::kProtocol, "batch " + e.batch_id + " names another scope inside"));
    }
    // Every change must be the author's own: in the envelope's scope, stamped by the author
    // device (a device signs only what it wrote). Tables and stamps are the Replica's checks.
    for (const Change& c : batch->changes) {
      if (c.scope != e.scope) {
        return fail(MakeError(Errc::kProtocol, "batch " + e.batch_id + " holds row " + c.row_id +
                                                   " of another scope"));
      }
      if (c.stamp.site != e.author_device) {
        return fail(MakeError(Errc::kProtocol, "batch " + e.batch_id + " from device " +
                                                   e.author_device + " holds a change of row " +
                                                   c.row_id + " stamped by site " + c.stamp.site));
      }
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

// Per envelope of a page, the key it is sealed under; nullptr when this device does not
// hold it (the envelope is deferred) and for its own envelopes.
Result<std::vector<const std::uint8_t*>> SyncEngine::Impl::PageKeys(const pr::PullResponse& page) {
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

// Notes the author's number of a batch pulled here (SyncStatus::deliveries reads them).
Result<void> SyncEngine::Impl::SeenPush(const pr::Envelope& e, std::uint64_t push_no) {
  LV_ASSIGN(Statement * st,
            db->Cached("INSERT OR IGNORE INTO sync_push_seen(scope, author_device, push_no,"
                       " batch_id, seq) VALUES(?, ?, ?, ?, ?)"));
  st->Bind(1, e.scope);
  st->Bind(2, e.author_device);
  st->Bind(3, static_cast<std::int64_t>(push_no));
  st->Bind(4, e.batch_id);
  st->Bind(5, e.seq);
  LV_ASSIGN(bool row, st->Step());
  (void)row;
  st->Reset();
  return Ok();
}

// Applies one page inside the caller's transaction, in page order: merges what opens and
// stops at the first envelope that fails (see PageOpener). Returns the envelopes that wait
// (for a key, their scope or their author), for the caller to keep in sync_deferred.
Result<std::vector<SyncEngine::Impl::Waiting>> SyncEngine::Impl::ApplyPage(
    const ReceivedPage& received, const PullCheck& check, bool retrying) {
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
  std::vector<Waiting> deferred;
  // A refusal of what the central store sent (forged, unauthorised, ill-fitting) is
  // quarantined and the page goes on; anything else (storage, memory) stops it.
  // `keep`: the envelope is kept with its refusal, to be judged again by a later build.
  // `ground`: Refusal::ground when the error's code does not tell it.
  auto refuse = [&](const pr::Envelope& e, const Error& error, bool keep,
                    const char* ground = nullptr) -> Result<void> {
    if (error.code != Errc::kProtocol && error.code != Errc::kTampered &&
        error.code != Errc::kNotPermitted) {
      return error;
    }
    if (ground == nullptr) {
      ground = error.code == Errc::kTampered       ? kRefusalForged
               : error.code == Errc::kNotPermitted ? kRefusalNotPermitted
                                                   : kRefusalMalformed;
    }
    return Quarantine(Refusal{"envelope", e.scope, e.batch_id, e.author_device, e.seq,
                              e.key_version, error.message, 0, ground},
                      keep ? &e : nullptr);
  };
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    PageOpener::Slot& slot = opener.Wait(i);
    if (slot.push_no != 0) LV_TRY(SeenPush(envelopes[i], slot.push_no));
    switch (slot.outcome) {
      case PageOpener::Outcome::kFail:
        LV_TRY(refuse(envelopes[i], *slot.error, true, slot.ground));
        break;
      case PageOpener::Outcome::kSkip:
        break;
      case PageOpener::Outcome::kDefer: {
        const pr::Envelope& e = envelopes[i];
        const bool unlisted = slot.error.has_value();  // the only deferral with a note
        if (unlisted && !retrying) {
          // Nothing of it verifies: whoever serves the pages could make any number of these.
          LV_ASSIGN(bool may_keep, MayKeep(pr::ToJson(e).dump().size()));
          if (!may_keep) {
            LV_TRY(refuse(e, NotKeptUnlisted(e, options), false, kRefusalUnlisted));
            break;
          }
        }
        if (unlisted && !retrying) {
          LV_TRY(refuse(e, *slot.error, false, kRefusalUnlisted));  // noted once
        }
        deferred.push_back({i, unlisted});
        break;
      }
      case PageOpener::Outcome::kApply: {
        // ApplyRemote applies all of a batch or nothing (its own savepoint).
        report.pulled_changes += static_cast<std::int64_t>(slot.batch.changes.size());
        auto st = replica->ApplyRemote(slot.batch.changes);
        slot.batch = DecodedBatch{};  // merged: its memory goes now, not with the page
        if (!st.ok()) {
          LV_TRY(refuse(envelopes[i], st.error(), true));
          break;
        }
        report.applied_changes += st->applied;
        report.new_conflicts += st->conflicts;
        break;
      }
    }
  }
  return deferred;
}

std::string SyncEngine::Impl::PullPath(const std::string& cursor) const {
  std::string path =
      "/v1/pull?cursor=" + UrlEncode(cursor) + "&limit=" + std::to_string(options.pull_limit);
  if (options.pull_max_bytes > 0) {
    path += "&max_bytes=" + std::to_string(options.pull_max_bytes);
  }
  if (options.pull_binary) path += "&format=bin";
  return path;
}

// Fetches a page on this thread, through the path that renews an expired session.
Result<ReceivedPage> SyncEngine::Impl::FetchPage(const std::string& path) {
  LV_ASSIGN(std::string body, Get(path));
  LV_ASSIGN(pr::PullResponse page, DecodePullBody(body, http->last_content_type()));
  ReceivedPage out;
  out.verified.assign(page.envelopes.size(), 0);  // checked by the PageOpener's tasks
  out.page = std::move(page);
  return out;
}

// Pages by cursor, each applied in ONE transaction with its cursor. While page k is applied
// here, the prefetch thread fetches, decodes and verifies page k+1 (its cursor is known as
// soon as page k arrived); it runs at most one page ahead. Anything it could not do (an
// expired session, a dropped connection, a malformed body) is simply done again here, so
// errors and session renewal are exactly those of fetching every page on this thread.
Result<void> SyncEngine::Impl::Pull(std::optional<ScopedPullSettings>& settings, Start& start) {
  LV_ASSIGN(storage::Value cur, GetMeta("cursor"));
  std::string cursor = cur.index() == 3 ? std::get<std::string>(cur) : std::string();
  std::int64_t done = 0;
  // Envelopes that waited for their scope to be listed (or for a key) are judged first, with
  // those a build that could apply fewer tables refused.
  LV_TRY(RetryQuarantinedAfterUpgrade());
  LV_TRY(RetryDeferred());
  // Both threads check signatures and writers against one copy of the directory's keys and
  // the scopes, and share the push signatures checked.
  std::shared_ptr<const PullCheck> check = MakePullCheck();
  // Its connection lasts only as long as the pull: the server gives every keep-alive
  // connection a worker thread, so an idle second connection per device would halve the
  // devices it serves at once. Declared first: destroyed after the thread is joined.
  std::unique_ptr<HttpTransport> prefetch_http;
  // Its requests and bytes count in the sync's (SyncReport); read after the thread is joined.
  struct CountWire {
    std::unique_ptr<HttpTransport>& http;
    SyncReport& report;
    ~CountWire() {
      if (!http) return;
      report.requests += http->requests();
      report.bytes_sent += http->bytes_sent();
      report.bytes_received += http->bytes_received();
    }
  } count_wire{prefetch_http, report};
  PagePrefetch prefetch;  // cancelled and joined on every way out of Pull()
  for (;;) {
    Report(SyncPhase::kPull, done, 0);
    const std::string path = PullPath(cursor);
    Result<ReceivedPage> prefetched = prefetch.Take(path);
    ReceivedPage received;
    if (start.first_page && start.first_path == path) {
      received = std::move(*start.first_page);
      start.first_page.reset();
    } else if (prefetched.ok()) {
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
      LV_ASSIGN(std::vector<Waiting> deferred, ApplyPage(received, *check, false));
      for (const Waiting& w : deferred) {
        const pr::Envelope& e = page.envelopes[w.index];
        LV_TRY(
            db->Run("INSERT OR REPLACE INTO sync_deferred(seq, envelope, unlisted)"
                    " VALUES(?, ?, ?)",
                    e.seq, pr::ToJson(e).dump(), std::int64_t{w.unlisted}));
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
Result<void> SyncEngine::Impl::RetryDeferred() {
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
  const std::shared_ptr<const PullCheck> check = MakePullCheck();
  LV_ASSIGN(std::vector<Waiting> still, ApplyPage(waiting, *check, true));
  std::size_t next_waiting = 0;
  for (std::size_t i = 0; i < waiting.page.envelopes.size(); ++i) {
    if (next_waiting < still.size() && still[next_waiting].index == i) {
      ++next_waiting;
      continue;
    }
    const pr::Envelope& e = waiting.page.envelopes[i];
    LV_TRY(db->Run("DELETE FROM sync_deferred WHERE seq=?", e.seq));
    // Its author is listed now: the note that it was not goes (a refusal made now stays).
    LV_TRY(db->Run("DELETE FROM sync_quarantine WHERE what='envelope' AND seq=? AND reason=?",
                   e.seq, UnlistedAuthor(e)));
  }
  return tx.Commit();
}

void SyncEngine::Impl::StartPrefetch(PagePrefetch& prefetch,
                                     std::unique_ptr<HttpTransport>& transport,
                                     const std::string& path,
                                     const std::shared_ptr<const PullCheck>& check) {
  if (!options.pull_prefetch || token.empty() || Now() + 60'000 >= token_expires) return;
  if (!transport) {
    auto created = HttpTransport::Create(profile.server_url, profile.cert_fingerprint,
                                         options.connect_timeout_ms, options.read_timeout_ms);
    if (!created.ok()) return;
    transport = std::move(created).value();
  }
  prefetch.Start(*transport, path, token, check, profile.device_id);
}

}  // namespace lietvedis::sync
