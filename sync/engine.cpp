#include "sync/engine.hpp"

#include <array>
#include <sstream>
#include <string_view>

#include "sync/directory.hpp"
#include "sync/engine_impl.hpp"

namespace lietvedis::sync {

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
    {3,
     // The organisation's root key pinned at enrolment (sync/directory.hpp). A device enrolled
     // before keeps '' and must enrol again: its directory cannot be verified.
     "ALTER TABLE sync_profile ADD COLUMN root_pk TEXT NOT NULL DEFAULT '';"},
    {4,
     // What this device refused to believe from the central store (SyncStatus::refusals): ids
     // and a reason, never plaintext. A refused envelope is not applied and the cursor moves
     // past it; what = 'envelope', 'wrap' or 'scope'.
     "CREATE TABLE sync_quarantine(id INTEGER PRIMARY KEY, what TEXT NOT NULL,"
     " seq INTEGER NOT NULL, scope TEXT NOT NULL, batch_id TEXT NOT NULL,"
     " author_device TEXT NOT NULL, key_version INTEGER NOT NULL, reason TEXT NOT NULL,"
     " at_ms INTEGER NOT NULL,"
     " UNIQUE(what, seq, scope, batch_id, author_device, key_version)) STRICT;"},
    {5,
     // Withholding made visible (docs/SYNC.md, "Pushes are numbered"). push_no: the number a
     // pending batch was given when its id was fixed (0 for one fixed before numbering), so a
     // retry carries the same number. sync_push_numbers: this device's last number per scope.
     // sync_push_seen: the numbers other devices gave the batches pulled here (from inside
     // the decrypted, signed batch), to find gaps and numbers used twice.
     "ALTER TABLE sync_push_pending ADD COLUMN push_no INTEGER NOT NULL DEFAULT 0;"
     "CREATE TABLE sync_push_numbers(scope TEXT PRIMARY KEY, last INTEGER NOT NULL) STRICT;"
     "CREATE TABLE sync_push_seen(scope TEXT NOT NULL, author_device TEXT NOT NULL,"
     " push_no INTEGER NOT NULL, batch_id TEXT NOT NULL, seq INTEGER NOT NULL,"
     " PRIMARY KEY(scope, author_device, push_no, batch_id)) STRICT, WITHOUT ROWID;"},
    {6,
     // A refused envelope is kept with its refusal (its ciphertext and ids as pulled, never
     // plaintext), so a later build that can apply it judges it again (RetryQuarantined).
     "ALTER TABLE sync_quarantine ADD COLUMN envelope TEXT;"},
    {7,
     // A waiting envelope whose author the directory did not list (unverified: anyone could
     // have made it), counted against EngineOptions::max_kept_envelopes and max_kept_bytes.
     "ALTER TABLE sync_deferred ADD COLUMN unlisted INTEGER NOT NULL DEFAULT 0;"},
    {8,
     // Refusal::ground: why, as a code a reader words in its own language ('' before).
     "ALTER TABLE sync_quarantine ADD COLUMN ground TEXT NOT NULL DEFAULT '';"},
};

Result<SyncEngine::Impl::Start> SyncEngine::Impl::FetchStart() {
  Start start;
  LV_ASSIGN(storage::Value cur, GetMeta("cursor"));
  start.first_path = PullPath(cur.index() == 3 ? std::get<std::string>(cur) : std::string());
  LV_ASSIGN(storage::Value dir, GetMeta("directory_body"));
  LV_ASSIGN(storage::Value scopes, GetMeta("scopes_body"));
  if (!server_lacks_head) {
    // The pull's own parameters, and the digests of the copies held here.
    std::string path = "/v1/sync" + start.first_path.substr(std::string_view("/v1/pull").size());
    if (dir.index() == 3) path += "&directory=" + pr::BodyDigest(std::get<std::string>(dir));
    if (scopes.index() == 3) path += "&scopes=" + pr::BodyDigest(std::get<std::string>(scopes));
    auto body = Get(path);
    if (body.ok()) {
      server_takes_binary_push = false;
      server_takes_compressed_push = false;
      for (std::string_view rest = http->last_accepts(); !rest.empty();) {
        const std::size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        server_takes_binary_push = server_takes_binary_push || item == pr::kAcceptsBinaryPush;
        server_takes_compressed_push =
            server_takes_compressed_push || item == pr::kAcceptsCompressedPush;
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      LV_ASSIGN(pr::SyncHead head, pr::DecodeSyncHead(*body));
      auto keep = [](std::string& part, const storage::Value& held, bool& fresh,
                     const char* what) -> Result<std::string> {
        fresh = !part.empty();
        if (fresh) return std::move(part);
        if (held.index() != 3) {
          return MakeError(Errc::kProtocol, std::string("the server said the ") + what +
                                                " is unchanged, but this device holds none");
        }
        return std::get<std::string>(held);
      };
      LV_ASSIGN(start.directory, keep(head.directory, dir, start.directory_fresh, "directory"));
      LV_ASSIGN(start.scopes, keep(head.scopes, scopes, start.scopes_fresh, "scope list"));
      LV_ASSIGN(pr::PullResponse page, head.page_binary
                                           ? pr::DecodePullPage(head.page)
                                           : pr::ParseBody<pr::PullResponse>(head.page));
      ReceivedPage first;
      first.verified.assign(page.envelopes.size(), 0);  // checked by the PageOpener's tasks
      first.page = std::move(page);
      start.first_page = std::move(first);
      return start;
    }
    if (http->last_status() != 404) return body.error();
    server_lacks_head = true;  // a server from before /v1/sync
  }
  LV_ASSIGN(start.directory, Get("/v1/directory"));
  LV_ASSIGN(start.scopes, Get("/v1/scopes"));
  start.directory_fresh = start.scopes_fresh = true;
  return start;
}

// Returns whether the directory differs from the one the last complete sync saw.
Result<bool> SyncEngine::Impl::Directory(const std::string& body, bool fresh) {
  Report(SyncPhase::kDirectory, 0, 1);
  if (profile.root_pk.empty()) {
    return MakeError(Errc::kNotPermitted,
                     "this device was enrolled before the organisation had a root key, so it "
                     "cannot tell a true directory from a forged one: enrol it again with a new "
                     "code");
  }
  directory_hash = pr::BodyDigest(body);
  LV_ASSIGN(pr::DirectoryResponse d, pr::ParseBody<pr::DirectoryResponse>(body));
  // Only what verifies under the pinned root key counts (d.units and d.users, the server's own
  // view, are not read). The head verified before must still be there: no rollback, no fork.
  LV_ASSIGN(pr::Bytes root_pk, HexBytes(profile.root_pk));
  directory::KnownHead known;
  LV_ASSIGN(storage::Value head_n, GetMeta("directory_head_n"));
  LV_ASSIGN(storage::Value head_hash, GetMeta("directory_head_hash"));
  if (head_n.index() == 1 && head_hash.index() == 3) {
    known = {std::get<std::int64_t>(head_n), std::get<std::string>(head_hash)};
  }
  LV_ASSIGN(directory::VerifiedDirectory v,
            directory::VerifyDirectory(root_pk, d.log, d.devices, known));
  directory_refusals = v.refused;
  sign_keys.clear();
  box_keys.clear();
  EngineDirectory dir = EngineDirectoryOf(v);
  if (auto me = v.users.find(profile.user_id);
      me != v.users.end() &&
      (me->second.role != profile.role || me->second.unit_id != profile.unit_id)) {
    profile.role = me->second.role;
    profile.unit_id = me->second.unit_id;
    LV_TRY(db->Run("UPDATE sync_profile SET role=?, unit_id=?", profile.role, profile.unit_id));
  }
  for (const auto& [id, dv] : v.devices) {
    sign_keys[dv.device_id] = dv.sign_pk;
    box_keys[dv.device_id] = dv.box_pk;
  }
  retired = v.retired;
  admins = v.admins;
  directory = dir;
  LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
  if (hooks.on_directory) LV_TRY(hooks.on_directory(dir));
  // Org rows are the directory: local org writes are never pushed (only the administrator's
  // tool writes the directory, signed with the root key).
  LV_TRY(replica->MarkPushed(pr::kKindOrg, 0, INT64_MAX));
  LV_TRY(SetMeta("directory_head_n", v.head_n));
  LV_TRY(SetMeta("directory_head_hash", v.head_hash));
  if (fresh) LV_TRY(SetMeta("directory_body", body));  // verified: the copy "unchanged" names
  std::string refused;
  for (const auto& r : v.refused) refused += (refused.empty() ? "" : "\n") + r;
  LV_TRY(SetMeta("directory_refused", refused));
  LV_TRY(tx.Commit());
  Report(SyncPhase::kDirectory, 1, 1);
  LV_ASSIGN(storage::Value last, GetMeta("directory_hash"));
  return !(last.index() == 3 && std::get<std::string>(last) == directory_hash);
}

Result<void> SyncEngine::Impl::CheckRevocation() {
  // Called after a sign-in was refused. Only a revocation the root (or an administrator key
  // the root certified) signed, naming this device,
  // counts: the central store cannot make a device erase itself by saying so.
  const std::string& body = http->last_error_body();
  if (body.empty() || profile.root_pk.empty()) return Ok();
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("revocation")) return Ok();
  auto statement = pr::FromJson<pr::SignedStatement>(j["revocation"]);
  if (!statement) return Ok();
  LV_ASSIGN(pr::Bytes root_pk, HexBytes(profile.root_pk));
  if (admins.empty()) {
    // A new process: the administrator keys of the directory verified last (the revocation
    // may be signed by one of them).
    LV_ASSIGN(storage::Value stored, GetMeta("directory_body"));
    if (stored.index() == 3) {
      auto d = pr::ParseBody<pr::DirectoryResponse>(std::get<std::string>(stored));
      if (d.ok()) {
        auto v = directory::VerifyDirectory(root_pk, d->log, {}, directory::KnownHead{});
        if (v.ok()) admins = v->admins;
      }
    }
  }
  if (!directory::SignedByOrganisation(root_pk, admins, *statement)) return Ok();
  auto parsed = directory::ParseStatement(statement->text);
  if (!parsed || parsed->kind != directory::kKindRevoke || parsed->device_id != profile.device_id) {
    return Ok();
  }
  LV_TRY(SetMeta("revoked", parsed->reason.empty() ? std::string("revoked") : parsed->reason));
  revoked = true;
  if (hooks.on_revoked) LV_TRY(hooks.on_revoked());
  return MakeError(Errc::kNotPermitted, "the organisation has revoked this device (" +
                                            parsed->reason + "); its case data has been erased");
}

Result<void> SyncEngine::Impl::FetchDevicesSeen() {
  if (profile.role != pr::kRoleAdministrator) return Ok();
  auto body = Get("/v1/devices/seen");
  if (!body.ok()) {
    if (body.error().code == Errc::kNetwork) return body.error();
    return Ok();  // a store from before the request: the screen shows no "last seen"
  }
  LV_TRY(pr::ParseBody<pr::DevicesSeenResponse>(*body));  // kept only when it parses
  LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
  LV_TRY(SetMeta("devices_seen_body", *body));
  LV_TRY(SetMeta("devices_seen_at", Now()));
  return tx.Commit();
}

Result<void> SyncEngine::Impl::Run() {
  if (!enrolled) return MakeError(Errc::kNotFound, "this device is not enrolled yet");
  if (revoked) {
    return MakeError(Errc::kNotPermitted, "the organisation has revoked this device");
  }
  LV_TRY(EnsureTransport());
  Report(SyncPhase::kSession, 0, 1);
  LV_TRY(EnsureSession());
  Report(SyncPhase::kSession, 1, 1);
  owners_changed = keys_changed = scopes_relist = false;
  records_loaded = records_fresh = wraps_postponed = false;
  records.clear();
  record_notes.clear();
  postponed_words.clear();
  pending_declines.clear();
  LV_ASSIGN(Start start, FetchStart());
  LV_ASSIGN(bool directory_changed, Directory(start.directory, start.directory_fresh));
  LV_TRY(FetchDevicesSeen());
  LV_TRY(ListScopes(start.scopes, start.scopes_fresh));
  LV_TRY(KeepRetainedOut());
  LV_TRY(ImportKeys());
  LV_TRY(Pull(pull_settings, start));
  LV_TRY(PurgeScopes(false));
  LV_TRY(RegisterScopes());
  if (wraps_postponed) LV_TRY(ImportKeys());  // the records are fresh now
  LV_TRY(ManageKeys(directory_changed));
  LV_TRY(Push());
  LV_TRY(ReportDeclines());  // engine_transfer.cpp, rule T3
  LV_TRY(PurgeScopes(true));
  // Only now is the directory known to be served: remember it for the next no-op check.
  LV_TRY(SetMeta("directory_hash", directory_hash));
  Report(SyncPhase::kDone, 1, 1);
  return Ok();
}

SyncEngine::SyncEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SyncEngine::~SyncEngine() = default;

Result<std::unique_ptr<SyncEngine>> SyncEngine::Open(Database& db, Replica& replica,
                                                     EngineHooks hooks, EngineOptions options) {
  LV_TRY(storage::Migrate(db, "sync_engine", kEngineMigrations));
  LV_TRY(MigratePurge(db));
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
  replica.SetMaxRemoteSkewMs(impl->options.max_clock_skew_ms);
  LV_ASSIGN(impl->keyring, Keyring::Open(db));
  LV_ASSIGN(
      Statement st,
      db.Prepare(
          "SELECT server_url, cert_fingerprint, user_id, device_id, display_name, role, unit_id,"
          " root_pk FROM sync_profile"));
  LV_ASSIGN(bool row, st.Step());
  if (row) {
    impl->profile = DeviceProfile{st.Text(0), st.Text(1), st.Text(2), st.Text(3),
                                  st.Text(4), st.Text(5), st.Text(6), st.Text(7)};
    impl->enrolled = true;
  }
  {
    LV_ASSIGN(storage::Value revoked, impl->GetMeta("revoked"));
    impl->revoked = revoked.index() == 3;
    // The session a previous process opened, until it expires (EnsureSession checks).
    LV_ASSIGN(storage::Value token, impl->GetMeta("session_token"));
    LV_ASSIGN(storage::Value expires, impl->GetMeta("session_expires"));
    if (token.index() == 3 && expires.index() == 1) {
      impl->token = std::get<std::string>(token);
      impl->token_expires = std::get<std::int64_t>(expires);
    }
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
  // The whole code: it carries the server address, the certificate pin and the root key.
  LV_ASSIGN(pr::EnrolmentCode c, pr::DecodeEnrolmentCode(code));
  if (server_url.empty()) server_url = c.server_url;
  if (cert_fingerprint.empty()) cert_fingerprint = c.cert_fingerprint;
  if (server_url.empty()) return MakeError(Errc::kValidation, "server address: missing");
  m.profile.server_url = server_url;
  m.profile.cert_fingerprint = cert_fingerprint;
  m.http.reset();
  LV_TRY(m.EnsureTransport());
  if (!m.keyring->HasDeviceKeys()) LV_TRY(m.keyring->GenerateDeviceKeys());
  // The secret stays here: the device proves it by signing its own id and keys with the
  // enrolment key derived from it, which the root signed into the directory.
  LV_ASSIGN(directory::EnrolKey enrol_key, directory::DeriveEnrolKey(c.secret));
  pr::EnrolRequest req;
  req.device_id = directory::DeviceIdForKey(m.keyring->sign_pk());
  req.device_name = std::move(device_name);
  req.enrol_pk = enrol_key.public_key;
  req.sign_pk = m.keyring->sign_pk();
  req.box_pk = m.keyring->box_pk();
  LV_ASSIGN(req.binding_sig,
            directory::SignBinding(enrol_key, req.device_id, req.sign_pk, req.box_pk));
  auto body = m.http->Post("/v1/enrol", pr::ToJson(req).dump());
  if (!body.ok()) {
    m.http.reset();
    return body.error();
  }
  LV_ASSIGN(pr::EnrolResponse res, pr::ParseBody<pr::EnrolResponse>(*body));
  if (res.device_id != req.device_id) {
    return MakeError(Errc::kProtocol, "the server enrolled this device under another id");
  }
  DeviceProfile p{server_url,       cert_fingerprint, res.user_id, res.device_id,
                  res.display_name, res.role,         res.unit_id, c.root_pk};
  LV_TRY(
      m.db->Run("INSERT INTO sync_profile(id, server_url, cert_fingerprint, user_id, device_id,"
                " display_name, role, unit_id, root_pk) VALUES(1, ?, ?, ?, ?, ?, ?, ?, ?)",
                p.server_url, p.cert_fingerprint, p.user_id, p.device_id, p.display_name, p.role,
                p.unit_id, p.root_pk));
  m.profile = p;
  m.enrolled = true;
  return p;
}

// The transport says "your changes are kept" without knowing how many; a sync that failed
// names the count, so the officer reads "your 260 changes are kept" (none waiting: the words
// stay as they are).
static Error NameKeptChanges(Error e, Replica& replica) {
  static constexpr std::string_view kKept = "your changes are kept";
  const std::size_t at = e.message.find(kKept);
  if (at == std::string::npos) return e;
  auto pending = replica.PendingCount();
  if (!pending.ok() || *pending <= 0) return e;
  const std::string words = *pending == 1
                                ? "your 1 change is kept"
                                : "your " + std::to_string(*pending) + " changes are kept";
  e.message.replace(at, kKept.size(), words);
  return e;
}

Result<SyncReport> SyncEngine::SyncOnce(const Progress& cb) {
  Impl& m = *impl_;
  const auto start = std::chrono::steady_clock::now();
  m.report = SyncReport{};
  m.kept.reset();
  m.progress = &cb;
  const std::int64_t attempt = m.Now();
  // The main connection's counters before and after (the prefetch connection adds its own).
  auto wire = [&m] {
    return std::array<std::int64_t, 3>{m.http ? m.http->requests() : 0,
                                       m.http ? m.http->bytes_sent() : 0,
                                       m.http ? m.http->bytes_received() : 0};
  };
  const auto wire_before = wire();
  Result<void> r = m.Run();
  if (!r.ok()) r = NameKeptChanges(r.error(), *m.replica);
  const auto wire_after = wire();
  m.report.requests += wire_after[0] - wire_before[0];
  m.report.bytes_sent += wire_after[1] - wire_before[1];
  m.report.bytes_received += wire_after[2] - wire_before[2];
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
    (void)m.SetMeta("last_wire", std::to_string(m.report.requests) + " " +
                                     std::to_string(m.report.bytes_sent) + " " +
                                     std::to_string(m.report.bytes_received) + " " +
                                     std::to_string(m.report.pushed_changes) + " " +
                                     std::to_string(m.report.pulled_changes));
    if (r.ok()) (void)m.SetMeta("last_success_ms", m.Now());
    if (tx.ok()) (void)tx->Commit();
  }
  // That was the sync's last commit: after a pull, the owner checkpoints its WAL (the writer's
  // next commit would otherwise do it while its caller waits).
  // After a purge the files are rewritten (it checkpoints the WAL too).
  const bool had_pull = m.pull_settings.has_value();
  m.pull_settings.reset();
  const bool scrubbed = m.ScrubAfterPurge();
  if (had_pull && !scrubbed && m.hooks.checkpoint_wal) m.hooks.checkpoint_wal();
  if (!r.ok()) return r.error();
  return m.report;
}

// ---- purge (rules in sync/purge.hpp) --------------------------------------------------------

Result<void> SyncEngine::Impl::KeepRetainedOut() {
  LV_ASSIGN(std::vector<std::string> retained, RetainedOutScopes(*db));
  retained_out.clear();
  for (const std::string& scope : retained) {
    server_scopes.erase(scope);
    retained_out.insert(scope);
  }
  return Ok();
}

Result<void> SyncEngine::Impl::PurgeScopes(bool expired) {
  std::vector<std::pair<std::string, std::string_view>> doomed;  // scope, reason
  if (!expired) {
    // P1: listed before, not listed now (a refused scope is still listed).
    LV_ASSIGN(Statement st,
              db->Prepare("SELECT scope FROM sync_scope_state WHERE registered=1 ORDER BY scope"));
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      std::string scope = st.Text(0);
      if (scope == pr::kKindOrg || server_scopes.count(scope) != 0 ||
          refused_scopes.count(scope) != 0) {
        continue;
      }
      doomed.emplace_back(std::move(scope), kPurgeNoLongerRead);
    }
    // What waits for a retained-out scope's key will never open here: not kept.
    for (const std::string& scope : retained_out) {
      LV_TRY(db->Run("DELETE FROM sync_deferred WHERE json_extract(envelope, '$.scope')=?", scope));
    }
  } else if (hooks.expired_scopes) {
    // P2: past retention, as the client layer judges it from the case records; after the push,
    // so what was written here (the audit of the last reads) reached the central store.
    LV_ASSIGN(std::vector<std::string> scopes, hooks.expired_scopes());
    for (std::string& scope : scopes) {
      if (scope == pr::kKindOrg) continue;
      server_scopes.erase(scope);
      retained_out.insert(scope);
      doomed.emplace_back(std::move(scope), kPurgeRetention);
    }
  }
  if (doomed.empty()) return Ok();
  for (const auto& [scope, reason] : doomed) {
    LV_TRY(PurgeScope(*db, *keyring, scope, reason, Now()));
    blocked.erase(scope);
    ++report.purged_scopes;
  }
  return SetMeta("purge_scrub_pending", std::int64_t{1});
}

bool SyncEngine::Impl::ScrubAfterPurge() {
  auto pending = GetMeta("purge_scrub_pending");
  if (!pending.ok() || pending->index() != 1 || std::get<std::int64_t>(*pending) == 0) {
    return false;
  }
  // Cleared before the rewrite so the last commit's pages are in what VACUUM rewrites.
  if (!SetMeta("purge_scrub_pending", std::int64_t{0}).ok()) return false;
  if (storage::RewriteWithoutFreedPages(*db).ok()) return true;
  (void)SetMeta("purge_scrub_pending", std::int64_t{1});  // a reader held the log: next sync
  return false;
}

// Gaps in, and numbers used twice by, other devices' push numbers (SyncStatus::deliveries).
Result<std::vector<DeliveryGap>> SyncEngine::Impl::Deliveries() {
  std::vector<DeliveryGap> out;
  LV_ASSIGN(Statement pairs,
            db->Prepare("SELECT scope, author_device, max(push_no), count(DISTINCT push_no)"
                        " FROM sync_push_seen GROUP BY scope, author_device"
                        " HAVING max(push_no) > count(DISTINCT push_no)"
                        " OR count(*) > count(DISTINCT push_no) ORDER BY scope, author_device"));
  for (;;) {
    LV_ASSIGN(bool row, pairs.Step());
    if (!row) break;
    const std::string scope = pairs.Text(0), author = pairs.Text(1);
    const std::int64_t highest = pairs.Int(2), distinct = pairs.Int(3);
    if (highest > distinct) {
      DeliveryGap g{scope, author, highest - distinct, "", 0, 0, ""};
      LV_ASSIGN(Statement nos,
                db->Prepare("SELECT DISTINCT push_no FROM sync_push_seen WHERE scope=? AND"
                            " author_device=? ORDER BY push_no"));
      nos.Bind(1, scope).Bind(2, author);
      std::int64_t expect = 1;
      int ranges = 0;
      auto add = [&](std::int64_t from, std::int64_t to) {
        if (++ranges > 20) {
          if (ranges == 21) g.numbers += ", …";
          return;
        }
        if (!g.numbers.empty()) g.numbers += ", ";
        g.numbers += std::to_string(from);
        if (to > from) g.numbers += "-" + std::to_string(to);
      };
      for (;;) {
        LV_ASSIGN(bool more, nos.Step());
        if (!more) break;
        const std::int64_t n = nos.Int(0);
        if (n > expect) add(expect, n - 1);
        expect = n + 1;
      }
      LV_ASSIGN(g.waiting, db->QueryInt("SELECT count(*) FROM sync_deferred WHERE"
                                        " json_extract(envelope, '$.scope')=? AND"
                                        " json_extract(envelope, '$.author_device')=?",
                                        scope, author));
      g.message = "the central store has not delivered " + std::to_string(g.missing) +
                  (g.missing == 1 ? " push" : " pushes") + " from device " + author + " in " +
                  scope + " (number" + (g.missing == 1 ? " " : "s ") + g.numbers + ")";
      if (g.waiting > 0) {
        g.message += "; " + std::to_string(g.waiting) +
                     " of its envelopes here still wait for a key and may be among them";
      }
      out.push_back(std::move(g));
    }
    LV_ASSIGN(Statement twice,
              db->Prepare("SELECT push_no, group_concat(batch_id, ', ') FROM sync_push_seen"
                          " WHERE scope=? AND author_device=? GROUP BY push_no"
                          " HAVING count(*) > 1 ORDER BY push_no"));
    twice.Bind(1, scope).Bind(2, author);
    for (;;) {
      LV_ASSIGN(bool more, twice.Step());
      if (!more) break;
      DeliveryGap g{scope, author, 0, "", 0, twice.Int(0), ""};
      g.message = "device " + author + " gave two different pushes in " + scope +
                  " the same number " + std::to_string(g.reused_no) + " (batches " + twice.Text(1) +
                  "): its store may have been put back from a copy, or its key used elsewhere";
      out.push_back(std::move(g));
    }
  }
  return out;
}

Result<std::int64_t> SyncEngine::RetryQuarantined() {
  return impl_->RetryQuarantined();
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
  LV_ASSIGN(storage::Value refused, m.GetMeta("directory_refused"));
  if (refused.index() == 3) {
    const std::string& text = std::get<std::string>(refused);
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      s.directory_refusals.push_back(text.substr(start, end - start));
      start = end + 1;
    }
  }
  LV_ASSIGN(storage::Value wire, m.GetMeta("last_wire"));
  if (wire.index() == 3) {
    std::istringstream in(std::get<std::string>(wire));
    in >> s.last_requests >> s.last_bytes_sent >> s.last_bytes_received >> s.last_pushed_changes >>
        s.last_pulled_changes;
  }
  s.revoked = m.revoked;
  LV_ASSIGN(s.refused, m.db->QueryInt("SELECT count(*) FROM sync_quarantine"));
  LV_ASSIGN(storage::Value overflow, m.GetMeta("quarantine_overflow"));
  if (overflow.index() == 1) s.refusals_not_itemised = std::get<std::int64_t>(overflow);
  s.refused += s.refusals_not_itemised;
  {
    LV_ASSIGN(Statement q, m.db->Prepare("SELECT what, scope, batch_id, author_device, seq,"
                                         " key_version, reason, at_ms, ground FROM sync_quarantine"
                                         " ORDER BY id DESC LIMIT 50"));
    for (;;) {
      LV_ASSIGN(bool row, q.Step());
      if (!row) break;
      s.refusals.push_back(Refusal{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4),
                                   static_cast<std::uint32_t>(q.Int(5)), q.Text(6), q.Int(7),
                                   q.Text(8)});
    }
  }
  LV_ASSIGN(s.deliveries, m.Deliveries());
  LV_ASSIGN(s.purged, PurgeLog(*m.db));
  LV_ASSIGN(storage::Value scrub, m.GetMeta("purge_scrub_pending"));
  s.purge_scrub_pending = scrub.index() == 1 && std::get<std::int64_t>(scrub) != 0;
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
