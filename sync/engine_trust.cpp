// What the engine refuses to believe from the central store (docs/PROTOCOL.md, "What a client
// refuses"): key wraps from devices that may not hand out a scope's key, mentoring scopes that
// are not their case's, and the quarantine where every refusal is kept. The writer checks of
// pulled envelopes run in engine_pull.cpp (PageOpener) over the PullCheck made here; the rules
// themselves are sync/access_rules.hpp, shared with the server.
#include "sync/access_rules.hpp"
#include "sync/engine_impl.hpp"

namespace lietvedis::sync {

Result<bool> SyncEngine::Impl::MayKeep(std::size_t bytes) {
  if (!kept) {
    LV_ASSIGN(std::int64_t n,
              db->QueryInt("SELECT (SELECT count(*) FROM sync_quarantine WHERE envelope IS NOT"
                           " NULL) + (SELECT count(*) FROM sync_deferred WHERE unlisted=1)"));
    LV_ASSIGN(std::int64_t b,
              db->QueryInt("SELECT (SELECT coalesce(sum(length(envelope)), 0) FROM"
                           " sync_quarantine) + (SELECT coalesce(sum(length(envelope)), 0)"
                           " FROM sync_deferred WHERE unlisted=1)"));
    kept.emplace(n, b);
  }
  const auto size = static_cast<std::int64_t>(bytes);
  if (kept->first + 1 > options.max_kept_envelopes ||
      kept->second + size > options.max_kept_bytes) {
    return false;
  }
  kept->first += 1;
  kept->second += size;
  return true;
}

Result<void> SyncEngine::Impl::Quarantine(const Refusal& r, const pr::Envelope* keep) {
  // A store that sends refusal after refusal fills no disk: past the bound they are counted.
  LV_ASSIGN(std::int64_t rows, db->QueryInt("SELECT count(*) FROM sync_quarantine"));
  if (rows >= options.max_quarantine_rows) {
    LV_ASSIGN(std::int64_t listed,
              db->QueryInt("SELECT count(*) FROM sync_quarantine WHERE what=? AND seq=? AND"
                           " scope=? AND batch_id=? AND author_device=? AND key_version=?",
                           r.what, r.seq, r.scope, r.batch_id, r.author_device,
                           static_cast<std::int64_t>(r.key_version)));
    if (listed > 0) return Ok();  // itemised already
    LV_ASSIGN(storage::Value seen, GetMeta("quarantine_overflow"));
    const std::int64_t n = seen.index() == 1 ? std::get<std::int64_t>(seen) : 0;
    LV_TRY(SetMeta("quarantine_overflow", n + 1));
    ++report.refused;
    return Ok();
  }
  std::string reason = r.reason;
  std::string kept_text;
  if (keep != nullptr) {
    kept_text = pr::ToJson(*keep).dump();
    LV_ASSIGN(bool may_keep, MayKeep(kept_text.size()));
    if (!may_keep) {
      keep = nullptr;
      reason += " (the envelope itself is not kept: the quarantine holds as many as it keeps)";
    }
  }
  LV_TRY(
      db->Run("INSERT OR IGNORE INTO sync_quarantine(what, seq, scope, batch_id, author_device,"
              " key_version, reason, at_ms, envelope, ground) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              r.what, r.seq, r.scope, r.batch_id, r.author_device,
              static_cast<std::int64_t>(r.key_version), reason, Now(),
              keep != nullptr ? storage::Value(std::move(kept_text)) : storage::Value{}, r.ground));
  if (db->Changes() > 0) ++report.refused;
  return Ok();
}

Result<std::int64_t> SyncEngine::Impl::RetryQuarantined() {
  LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
  LV_TRY(
      db->Run("INSERT OR IGNORE INTO sync_deferred(seq, envelope) SELECT seq, envelope"
              " FROM sync_quarantine WHERE what='envelope' AND envelope IS NOT NULL"));
  LV_TRY(db->Run("DELETE FROM sync_quarantine WHERE what='envelope' AND envelope IS NOT NULL"));
  const std::int64_t moved = db->Changes();
  LV_TRY(tx.Commit());
  return moved;
}

// What this build can apply: its replicated tables, their columns and scope kinds.
static std::string AppliesDigest(const Replica& replica) {
  // The batch formats it decodes: a build that reads a new one judges again what an older
  // build refused as "unknown format".
  std::string text = "batches:LVB1,LVB2,LVB3,LVZ1;";
  for (const TableSpec& t : replica.tables()) {
    text += t.name + "(";
    for (const auto& c : t.columns) text += c + ",";
    text += ")[";
    for (const auto& k : t.scope_kinds) text += k + ",";
    text += "];";
  }
  return pr::BodyDigest(text);
}

Result<void> SyncEngine::Impl::RetryQuarantinedAfterUpgrade() {
  const std::string digest = AppliesDigest(*replica);
  LV_ASSIGN(storage::Value seen, GetMeta("applies_digest"));
  if (seen.index() == 3 && std::get<std::string>(seen) == digest) return Ok();
  if (seen.index() == 3) {
    LV_ASSIGN(std::int64_t moved, RetryQuarantined());
    (void)moved;
  }
  return SetMeta("applies_digest", digest);
}

std::shared_ptr<PullCheck> SyncEngine::Impl::MakePullCheck() const {
  auto check = std::make_shared<PullCheck>();
  check->sign_keys = sign_keys;
  std::map<std::string_view, const EngineDirectory::User*> users;
  for (const auto& u : directory.users) users[u.user_id] = &u;
  for (const auto& d : directory.devices) {
    auto u = users.find(d.user_id);
    if (u != users.end()) check->device_users.emplace(d.device_id, *u->second);
  }
  for (const auto& [id, r] : retired) {
    auto u = users.find(r.device.user_id);
    if (u == users.end()) continue;
    check->sign_keys[id] = r.device.sign_pk;
    check->device_users.emplace(id, *u->second);
    check->stored_until[id] = r.stored_until;
  }
  check->scopes.insert(server_scopes.begin(), server_scopes.end());
  check->refused_scopes.insert(refused_scopes.begin(), refused_scopes.end());
  return check;
}

Result<bool> SyncEngine::Impl::AcceptWrap(const pr::KeyWrap& w) {
  Refusal r{"wrap", w.scope, "", "", 0, w.key_version, "", 0, ""};
  auto refuse = [&](const std::string& why, const char* ground) -> Result<bool> {
    r.ground = ground;
    r.reason = "key wrap for " + w.scope + " v" + std::to_string(w.key_version) +
               (r.author_device.empty() ? std::string() : " from device " + r.author_device) +
               ": " + why;
    LV_TRY(Quarantine(r));
    return false;
  };
  // The sender first, from the wrap itself (an anonymous sealed wrap names none: ImportWrap
  // refuses it with its own words).
  // A scope purged for retention is kept out, not refused (sync/purge.hpp, rule P2).
  if (retained_out.count(w.scope) != 0) return false;
  auto box = pr::DecodeKeyWrap(w.sealed);
  if (box.ok()) {
    r.author_device = box->from_device;
    if (refused_scopes.count(w.scope) != 0)
      return refuse("the scope is refused here", kRefusalScope);
    auto scope = server_scopes.find(w.scope);
    if (scope == server_scopes.end())
      return refuse("the server does not list the scope", kRefusalScope);
    const EngineDirectory::Device* device = nullptr;
    for (const auto& d : directory.devices) {
      if (d.device_id == box->from_device) device = &d;
    }
    if (device == nullptr)
      return refuse("the directory does not certify that device", kRefusalUnlisted);
    const EngineDirectory::User* user = nullptr;
    for (const auto& u : directory.users) {
      if (u.user_id == device->user_id) user = &u;
    }
    if (user == nullptr)
      return refuse("the directory lists no user for that device", kRefusalUnlisted);
    const access::ScopeFacts listed = access::FactsOf(scope->second);
    auto reads = [&](const access::ScopeFacts& f) {
      return access::MayRead(access::PersonOf(*user), f) || user->user_id == f.owner_user_id;
    };
    // K1-K2: the scope's own record here decides who reads it (after the pull the listing
    // is corrected already, and the correction's words are in record_notes).
    LV_TRY(LoadRecords());
    access::ScopeFacts facts = listed;
    std::string deputies;  // R8 for the owner the record names (the listing's are its owner's)
    if (auto rec = records.find(w.scope); rec != records.end()) {
      facts = access::KeyFacts(listed, RecordFactsOf(rec->second));
      if (facts.kind == pr::kKindCase) deputies = DeputiesToday(facts.owner_user_id);
      facts.deputy_user_ids = deputies;
    }
    if (!reads(facts)) {
      if (reads(listed) && !records_fresh) {
        // Perhaps a reassignment the pull is about to bring: judged again after it.
        wraps_postponed = true;
        postponed_words[w.scope] = RecordWords(w.scope, scope->second);
        return false;
      }
      // After the pull the listing is corrected already (or put back by this device's own
      // report): the words are those of the first look.
      const std::string* words = nullptr;
      if (auto n = record_notes.find(w.scope); n != record_notes.end()) words = &n->second;
      if (auto n = postponed_words.find(w.scope); n != postponed_words.end()) words = &n->second;
      if (reads(listed) || words != nullptr) {
        return refuse("its user " + user->user_id + " reads the scope only by the server's word (" +
                          (words != nullptr ? *words : RecordWords(w.scope, scope->second)) + ")",
                      kRefusalNotReader);
      }
      return refuse("its user " + user->user_id + " may not read the scope", kRefusalNotReader);
    }
  }
  auto imported = keyring->ImportWrap(w.scope, w.key_version, w.sealed, box_keys);
  if (imported.ok()) return true;
  const Errc code = imported.error().code;
  if (code != Errc::kTampered && code != Errc::kProtocol) return imported.error();
  const char* ground = code == Errc::kTampered ? kRefusalForged : kRefusalMalformed;
  if (!box.ok()) {
    r.reason = imported.error().message;
    r.ground = ground;
    LV_TRY(Quarantine(r));
    return false;
  }
  return refuse(imported.error().message, ground);
}

Result<void> SyncEngine::Impl::LoadRecords() {
  if (records_loaded) return Ok();
  records.clear();
  if (hooks.local_scopes) {
    LV_ASSIGN(std::vector<LocalScope> local, hooks.local_scopes());
    for (LocalScope& l : local) records[l.scope] = std::move(l);
  }
  records_loaded = true;
  return Ok();
}

Result<void> SyncEngine::Impl::TrustRecords() {
  record_notes.clear();
  for (auto& [scope, s] : server_scopes) {
    auto rec = records.find(scope);
    if (rec == records.end()) continue;
    const access::ScopeFacts trusted =
        access::KeyFacts(access::FactsOf(s), RecordFactsOf(rec->second));
    if (trusted.unit_id == s.unit_id && trusted.owner_user_id == s.owner_user_id) continue;
    record_notes[scope] = RecordWords(scope, s);
    std::string unit(trusted.unit_id), owner(trusted.owner_user_id);
    s.unit_id = std::move(unit);
    s.owner_user_id = std::move(owner);
  }
  ApplyCovers();  // after a registration, a reported reassignment and the corrections above
  return Ok();
}

std::string SyncEngine::Impl::DeputiesToday(std::string_view owner_user_id) const {
  std::vector<access::Cover> covers;
  for (const auto& c : directory.covers) {
    covers.push_back({c.user_id, c.deputy_user_id, c.from_day, c.until_day});
  }
  return access::DeputiesOn(covers, owner_user_id, access::ServiceDay(Now()));
}

void SyncEngine::Impl::ApplyCovers() {
  for (auto& [scope, s] : server_scopes) {
    s.deputy_user_ids = s.kind == pr::kKindCase ? DeputiesToday(s.owner_user_id) : std::string();
  }
}

std::string SyncEngine::Impl::RecordWords(const std::string& scope, const ServerScope& s) const {
  auto rec = records.find(scope);
  if (rec == records.end()) return "this device holds no record of it";
  return "the server lists unit " + s.unit_id + " and owner " + s.owner_user_id +
         "; its record here names unit " + rec->second.unit_id + " and owner " +
         rec->second.owner_user_id;
}

Result<void> SyncEngine::Impl::NoteRecordCorrections() {
  constexpr std::string_view kPrefix = "keys follow the record: ";
  LV_ASSIGN(std::int64_t stale,
            db->QueryInt("SELECT count(*) FROM sync_scope_state WHERE substr(note, 1, ?)=?",
                         static_cast<std::int64_t>(kPrefix.size()), kPrefix));
  if (stale == 0 && record_notes.empty()) return Ok();
  LV_ASSIGN(Transaction tx, Transaction::Begin(*db));
  LV_TRY(db->Run("UPDATE sync_scope_state SET note='' WHERE substr(note, 1, ?)=?",
                 static_cast<std::int64_t>(kPrefix.size()), kPrefix));
  for (const auto& [scope, words] : record_notes) {
    // A refused report (a reassignment, a transfer) says more about the same difference.
    LV_TRY(db->Run(
        "INSERT INTO sync_scope_state(scope, registered, owner_user_id, key_version, key_owner,"
        " note) VALUES(?, 0, '', 0, '', ?) ON CONFLICT(scope) DO UPDATE SET note=excluded.note"
        " WHERE note NOT LIKE '%refused:%'",
        scope, std::string(kPrefix) + words));
  }
  return tx.Commit();
}

Result<void> SyncEngine::Impl::RefuseForeignScopes() {
  refused_scopes.clear();
  std::map<std::string_view, const EngineDirectory::User*> users;
  for (const auto& u : directory.users) users[u.user_id] = &u;
  for (const auto& [scope, s] : server_scopes) {
    if (s.kind != pr::kKindMentoring) continue;
    const std::string case_id = std::string(pr::kKindCase) + scope.substr(scope.find(':'));
    std::string why;
    auto owner = users.find(s.owner_user_id);
    if (owner == users.end() || owner->second->unit_id != s.unit_id ||
        (owner->second->role != pr::kRoleOfficer && owner->second->role != pr::kRoleSupervisor)) {
      why = scope + " refused: its owner " + s.owner_user_id +
            " is no officer or supervisor of unit " + s.unit_id + " in the directory";
    } else if (auto c = server_scopes.find(case_id); c != server_scopes.end()) {
      // Only a device that reads the case can compare (a coordinator reads no case).
      if (c->second.owner_user_id != s.owner_user_id || c->second.unit_id != s.unit_id) {
        why = scope + " refused: its owner " + s.owner_user_id + " is not the owner " +
              c->second.owner_user_id + " of " + case_id;
      }
    }
    if (why.empty()) continue;
    refused_scopes[scope] = why;
    blocked.insert(scope);
    LV_TRY(SetScopeNote(scope, why));
    LV_TRY(Quarantine(Refusal{"scope", scope, "", "", 0, 0, why, 0, kRefusalScope}));
  }
  return Ok();
}

EngineDirectory EngineDirectoryOf(const directory::VerifiedDirectory& v) {
  EngineDirectory dir;
  for (const auto& [id, u] : v.units) dir.units.push_back({u.unit_id, u.region, u.name});
  for (const auto& [id, u] : v.users) {
    dir.users.push_back({u.user_id, u.display_name, u.role, u.unit_id, u.active});
  }
  for (const auto& [id, dv] : v.devices) {
    dir.devices.push_back({dv.device_id, dv.user_id, dv.sign_pk, dv.box_pk});
  }
  for (const auto& [key, c] : v.covers) {
    dir.covers.push_back({c.user_id, c.deputy_user_id, c.from_day, c.until_day});
  }
  for (const auto& [id, p] : v.programmes) {
    dir.programmes.push_back({p.programme_id, p.name, p.target_group, p.provider, p.provider_name,
                              p.mode, p.accreditation, p.active});
  }
  return dir;
}

Result<KnownDirectory> SyncEngine::LastDirectory() {
  Impl& m = *impl_;
  LV_ASSIGN(storage::Value stored, m.GetMeta("directory_body"));
  if (stored.index() != 3) {
    return MakeError(Errc::kNotFound, "no directory yet: this device has not synced");
  }
  if (m.profile.root_pk.empty()) {
    return MakeError(Errc::kNotPermitted,
                     "this device has no organisation root key to verify "
                     "the directory with");
  }
  LV_ASSIGN(pr::DirectoryResponse d,
            pr::ParseBody<pr::DirectoryResponse>(std::get<std::string>(stored)));
  LV_ASSIGN(pr::Bytes root_pk, HexBytes(m.profile.root_pk));
  // The head this device verified last must be the copy's own: an edited copy is not.
  directory::KnownHead known;
  LV_ASSIGN(storage::Value head_n, m.GetMeta("directory_head_n"));
  LV_ASSIGN(storage::Value head_hash, m.GetMeta("directory_head_hash"));
  if (head_n.index() == 1 && head_hash.index() == 3) {
    known = {std::get<std::int64_t>(head_n), std::get<std::string>(head_hash)};
  }
  auto v = directory::VerifyDirectory(root_pk, d.log, d.devices, known);
  if (v.ok() && known.n > 0 && v->head_n != known.n) {
    v = MakeError(Errc::kTampered, "its last statement is not the one verified at the last sync");
  }
  if (!v.ok()) {
    return MakeError(Errc::kTampered,
                     "the directory kept on this device no longer verifies: " + v.error().message);
  }
  KnownDirectory out;
  out.head_n = v->head_n;
  LV_ASSIGN(storage::Value seen_body, m.GetMeta("devices_seen_body"));
  LV_ASSIGN(storage::Value seen_at, m.GetMeta("devices_seen_at"));
  if (seen_body.index() == 3 && seen_at.index() == 1) {
    auto seen = pr::ParseBody<pr::DevicesSeenResponse>(std::get<std::string>(seen_body));
    if (seen.ok()) {
      out.seen_as_of_ms = std::get<std::int64_t>(seen_at);
      for (const pr::DeviceSeen& d : seen->devices) {
        out.seen[d.device_id] = {d.name, d.enrolled_at, d.last_seen_at};
      }
    }
  }
  out.current = EngineDirectoryOf(*v);
  // The words of each revocation, from the statement the organisation signed (a statement in
  // the log that does not verify names nothing).
  for (const pr::SignedStatement& st : d.log) {
    auto parsed = directory::ParseStatement(st.text);
    if (!parsed || parsed->kind != directory::kKindRevoke) continue;
    if (v->revoked.count(parsed->device_id) == 0) continue;
    if (!directory::SignedByOrganisation(root_pk, v->admins, st)) continue;
    KnownDirectory::Revocation r;
    r.device_id = parsed->device_id;
    if (auto it = v->retired.find(parsed->device_id); it != v->retired.end()) {
      r.user_id = it->second.device.user_id;
    }
    r.reason = parsed->reason;
    r.issued_at_ms = parsed->issued_at;
    out.revoked.push_back(std::move(r));
  }
  return out;
}

}  // namespace lietvedis::sync
