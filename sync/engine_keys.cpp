#include "sync/access_rules.hpp"
#include "sync/engine_impl.hpp"

namespace lietvedis::sync {

Result<void> SyncEngine::Impl::SetScopeNote(const std::string& scope, const std::string& note) {
  return db->Run(
      "INSERT INTO sync_scope_state(scope, registered, owner_user_id, key_version, key_owner, "
      "note)"
      " VALUES(?, 0, '', 0, '', ?) ON CONFLICT(scope) DO UPDATE SET note=excluded.note",
      scope, note);
}

// GET /v1/scopes: what the server says about each scope this device reads.
Result<void> SyncEngine::Impl::ListScopes(const std::string& body, bool fresh) {
  Report(SyncPhase::kScopes, 0, 0);
  LV_ASSIGN(pr::ScopesResponse list, pr::ParseBody<pr::ScopesResponse>(body));
  if (fresh) LV_TRY(SetMeta("scopes_body", body));
  server_scopes.clear();
  blocked.clear();
  for (const auto& s : list.scopes) {
    server_scopes[s.scope] = ServerScope{s.kind,
                                         s.unit_id,
                                         s.owner_user_id,
                                         s.key_version,
                                         s.transfer_unit_id,
                                         s.former_unit_ids,
                                         s.offer_unit_ids,
                                         ""};
  }
  ApplyCovers();
  return RefuseForeignScopes();  // engine_trust.cpp
}

// Registers new local scopes and reports reassignments made here, then records the server's
// view (only rows that changed are written, so a no-op sync writes nothing here).
Result<void> SyncEngine::Impl::RegisterScopes() {
  std::vector<LocalScope> local;
  if (hooks.local_scopes) {
    LV_ASSIGN(local, hooks.local_scopes());
  }
  records.clear();
  for (const LocalScope& l : local) records[l.scope] = l;
  records_loaded = records_fresh = true;
  std::int64_t done = 0;
  for (const LocalScope& l : local) {
    if (l.kind == pr::kKindOrg) continue;  // the server's directory
    auto it = server_scopes.find(l.scope);
    bool transfer = false;  // engine_transfer.cpp: a transfer step, not a reassignment
    if (it != server_scopes.end()) {
      LV_ASSIGN(transfer, ReportTransfer(l, it->second));
    }
    if (it == server_scopes.end()) {
      pr::ScopeInfo req{l.scope, l.kind, l.unit_id, l.owner_user_id, 0, "", "", ""};
      auto r = Post("/v1/scopes", pr::ToJson(req).dump());
      if (!r.ok()) {
        if (r.error().code == Errc::kNetwork) return r.error();
        // Not ours to register (or no longer readable): keep its changes, do not push them.
        blocked.insert(l.scope);
        LV_TRY(SetScopeNote(l.scope, "not accepted by the server: " + r.error().message));
        continue;
      }
      server_scopes[l.scope] = ServerScope{l.kind, l.unit_id, l.owner_user_id, 0, "", "", "", ""};
      owners_changed = true;
    } else if (transfer) {
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
  if (scopes_relist) {
    // A transfer moved scopes (the case's mentoring scope with it): the server's view again.
    scopes_relist = false;
    LV_ASSIGN(std::string body, Get("/v1/scopes"));
    LV_ASSIGN(pr::ScopesResponse list, pr::ParseBody<pr::ScopesResponse>(body));
    LV_TRY(SetMeta("scopes_body", body));
    std::map<std::string, ServerScope> fresh;
    for (const auto& s : list.scopes) {
      fresh[s.scope] = ServerScope{s.kind,
                                   s.unit_id,
                                   s.owner_user_id,
                                   s.key_version,
                                   s.transfer_unit_id,
                                   s.former_unit_ids,
                                   s.offer_unit_ids,
                                   ""};
    }
    server_scopes = std::move(fresh);
    owners_changed = true;
  }
  LV_TRY(TrustTransfers(local));                                      // engine_transfer.cpp
  LV_TRY(TrustRecords());                                             // engine_trust.cpp
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
  LV_TRY(tx.Commit());
  return NoteRecordCorrections();
}

// Who reads a scope: access::MayRead (sync/access_rules.hpp), the rule the server's CanRead
// applies too.
bool SyncEngine::Impl::MayRead(const EngineDirectory::User& u, const ServerScope& s) {
  return access::MayRead(access::PersonOf(u), access::FactsOf(s));
}

// The readers of a key version as first seen here: the users who may read the scope and,
// as "d:<device id>", their devices of the verified directory. A user who loses access (and
// so all their devices) or a single revoked device both leave the set, and LostReader makes
// the next writer rotate; a reader who appears later (a device enrolled since, a deputy while
// a cover holds) joins it (ManageKeys), so that its leaving rotates too. Sets stored before devices
// were listed hold user ids only, which stay comparable (a subset of the new form).
bool SyncEngine::Impl::SelfReads(const ServerScope& s) const {
  for (const auto& u : directory.users) {
    if (u.user_id == profile.user_id) return MayRead(u, s);
  }
  return true;  // not in the directory yet (a test world without one): as before
}

std::string SyncEngine::Impl::ReaderSet(const ServerScope& s) const {
  std::vector<std::string> ids;
  std::set<std::string> readers;
  for (const auto& u : directory.users) {
    if (!MayRead(u, s)) continue;
    ids.push_back(u.user_id);
    readers.insert(u.user_id);
  }
  for (const auto& d : directory.devices) {
    if (readers.count(d.user_id) != 0) ids.push_back("d:" + d.device_id);
  }
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

bool SyncEngine::Impl::LostReader(const std::string& then, const std::string& now) {
  const std::vector<std::string_view> current = access::SplitList(now);
  const std::set<std::string_view> present(current.begin(), current.end());
  for (std::string_view id : access::SplitList(then)) {
    if (present.count(id) == 0) return true;
  }
  return false;
}

Result<void> SyncEngine::Impl::PublishOwnWrap(const std::string& scope, std::uint32_t version) {
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
Result<void> SyncEngine::Impl::ImportKeys() {
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
  pr::PutKeysRequest own;
  {
    LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
    for (const auto& w : mine.wraps) {
      if (held.count({w.scope, w.key_version}) != 0) continue;
      LV_ASSIGN(bool accepted, AcceptWrap(w));  // engine_trust.cpp; refusals quarantined
      if (!accepted) continue;
      held.emplace(w.scope, w.key_version);
      imported = true;
      // The server keeps one wrap per device and version, and names the holders of a version
      // by it. A wrap of this device's own making replaces the imported one, so this device
      // stays a holder (and can wrap for readers who join) when the maker is revoked and its
      // wraps leave the store.
      LV_ASSIGN(pr::Bytes sealed,
                keyring->WrapFor(w.scope, w.key_version, profile.device_id, keyring->box_pk()));
      own.wraps.push_back({w.scope, w.key_version, profile.device_id, std::move(sealed)});
    }
    LV_TRY(tx.Commit());
  }
  for (std::size_t i = 0; i < own.wraps.size(); i += pr::kMaxMissingWraps) {
    pr::PutKeysRequest part;
    const std::size_t end = std::min(own.wraps.size(), i + pr::kMaxMissingWraps);
    part.wraps.assign(own.wraps.begin() + static_cast<std::ptrdiff_t>(i),
                      own.wraps.begin() + static_cast<std::ptrdiff_t>(end));
    LV_TRY(Post("/v1/keys", pr::ToJson(part).dump()));
  }
  if (imported) {
    LV_TRY(SetMeta("wraps_owed", std::int64_t{1}));  // see ManageKeys
    keys_changed = true;
    LV_TRY(RetryDeferred());
  }
  return Ok();
}

// A key for every scope with changes to push: created on first write, rotated when the
// scope's owner changed since its key version was first seen here (a reader lost access);
// then the wraps other reader devices miss, for keys this device holds.
Result<void> SyncEngine::Impl::ManageKeys(bool directory_changed) {
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
      if (it == server_scopes.end()) continue;
      // A reader who joins (a deputy while a cover holds, a device enrolled later) joins the
      // set, so that leaving again rotates the key too; a set that lost someone stays as it
      // is until the rotation below replaces it.
      std::string current = ReaderSet(it->second);
      if (current == readers || (!readers.empty() && LostReader(readers, current))) continue;
      readers = std::move(current);
      LV_TRY(db->Run("UPDATE sync_scope_state SET key_readers=? WHERE scope=?", readers, scope));
    }
    LV_TRY(tx.Commit());
  }
  LV_ASSIGN(auto pending, replica->PendingByScope());
  bool marked_owed = false;  // "wraps_owed" written at most once a sync (one row, not one a scope)
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
    // Only a device whose user still reads the scope rotates it: a receiving supervisor who
    // declines a transfer writes the decline under the key it holds, and the sending unit's
    // next writer rotates (engine_transfer.cpp).
    const bool rotate =
        server_version > 0 && local >= server_version && reader_lost && SelfReads(it->second);
    if (server_version == 0 || rotate) {
      const std::uint32_t target = server_version + 1;
      while (local < target) {
        LV_ASSIGN(local, keyring->CreateScopeKey(scope));
      }
      // Owed before the server hears of the version: a sync cut after this point (the process
      // killed, the link gone) leaves the other readers' wraps to the next sync, which would
      // otherwise see nothing new and never give them.
      if (!marked_owed) {
        LV_TRY(SetMeta("wraps_owed", std::int64_t{1}));
        marked_owed = true;
      }
      LV_TRY(PublishOwnWrap(scope, target));
      LV_TRY(Fault("own-wrap-published"));
    } else if (local < server_version) {
      blocked.insert(scope);  // waiting for a wrap of the newest key from another device
      LV_TRY(SetScopeNote(scope, "waiting for the scope key from another device"));
    }
  }
  // Other devices can only lack a wrap this device could give when a device or user
  // appeared or changed, a scope changed owner, or a key version appeared here (in this sync,
  // or in one that was cut before it gave the wraps: "wraps_owed").
  LV_ASSIGN(storage::Value owed, GetMeta("wraps_owed"));
  const bool wraps_owed = owed.index() == 1 && std::get<std::int64_t>(owed) != 0;
  if (!directory_changed && !owners_changed && !keys_changed && !wraps_owed) return Ok();
  LV_TRY(FulfilMissingWraps());
  return SetMeta("wraps_owed", std::int64_t{0});
}

// GET /v1/keys/missing, then one POST /v1/keys of the wraps this device can give: every key
// version it holds (the older ones too, so a reader who joins later opens the scope's whole
// history) for the devices that lack it. The server's list is a hint: a wrap goes only to a
// device of the verified directory whose user may read the scope now, under the box key the
// directory binds to it (never the key the server names). A list the server cut short
// (`more`) is asked again once what could be wrapped is posted; the loop ends when a round
// posts nothing, so entries no device here can fulfil never make it spin.
Result<void> SyncEngine::Impl::FulfilMissingWraps() {
  std::map<std::string, const EngineDirectory::User*> users;
  for (const auto& u : directory.users) users[u.user_id] = &u;
  std::map<std::string, const EngineDirectory::Device*> devices;
  for (const auto& d : directory.devices) devices[d.device_id] = &d;
  for (;;) {
    LV_ASSIGN(std::string mbody, Get("/v1/keys/missing"));
    LV_ASSIGN(pr::MissingKeysResponse missing, pr::ParseBody<pr::MissingKeysResponse>(mbody));
    pr::PutKeysRequest req;
    for (const auto& m : missing.missing) {
      auto dev = devices.find(m.device_id);
      auto scope = server_scopes.find(m.scope);
      if (dev == devices.end() || scope == server_scopes.end()) continue;
      auto user = users.find(dev->second->user_id);
      if (user == users.end() || !MayRead(*user->second, scope->second)) continue;
      auto sealed =
          keyring->WrapFor(m.scope, m.key_version, profile.device_id, dev->second->box_pk);
      if (!sealed.ok()) continue;  // not held here (another device will fulfil it)
      req.wraps.push_back({m.scope, m.key_version, m.device_id, *sealed});
    }
    if (!req.wraps.empty()) LV_TRY(Post("/v1/keys", pr::ToJson(req).dump()));
    if (!missing.more || req.wraps.empty()) break;
  }
  Report(SyncPhase::kKeys, 1, 1);
  return Ok();
}

}  // namespace lietvedis::sync
