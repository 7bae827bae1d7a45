// Transfers of a case between units, as the client engine takes part in them (rules in
// docs/PROTOCOL.md, "Transfers"):
//  T1. The case's own signed record decides. A supervisor's device reports what its user did
//      (offer, withdraw, decline, accept; POST /v1/scopes/transfer) when the record here and
//      the server's listing differ by it; the server checks the caller's role and unit.
//  T2. Keys for the receiving unit follow the record, not the server: an offer the server
//      names is believed (R7 of sync/access_rules.cpp, so the receiving supervisors' devices
//      get wraps of every key version) only while the case's record on this device names the
//      same unit. A server that invents an offer gets no key.
//  T3. A decline is reported after the push that carries its record: the receiving supervisor
//      writes into the case only while the offer stands.
//  T4. After an acceptance the scope lists the new unit and owner; the receiving unit's first
//      writer rotates the key (ManageKeys: a reader was lost), and the sending unit's devices,
//      which no longer read the scope, purge it (rule P1 of sync/purge.hpp).
#include "sync/access_rules.hpp"
#include "sync/engine_impl.hpp"

namespace lietvedis::sync {

Result<bool> SyncEngine::Impl::ReportTransfer(const LocalScope& l, const ServerScope& s) {
  if (l.kind != pr::kKindCase || profile.role != pr::kRoleSupervisor) return false;
  const std::string& mine = profile.unit_id;
  pr::ScopeTransferRequest req{l.scope, "", "", ""};
  if (l.unit_id != s.unit_id) {
    // Accepted here: the record moved the case to this unit, the server still offers it.
    if (s.transfer_unit_id.empty() || l.unit_id != s.transfer_unit_id || mine != l.unit_id) {
      return false;
    }
    req.action = pr::kTransferAccept;
    req.owner_user_id = l.owner_user_id;
  } else if (l.transfer_unit_id == s.transfer_unit_id) {
    return false;
  } else if (!l.transfer_unit_id.empty() && s.transfer_unit_id.empty() && mine == s.unit_id) {
    req.action = pr::kTransferOffer;
    req.unit_id = l.transfer_unit_id;
  } else if (l.transfer_unit_id.empty() && !s.transfer_unit_id.empty() && mine == s.unit_id) {
    req.action = pr::kTransferWithdraw;
  } else if (l.transfer_unit_id.empty() && !s.transfer_unit_id.empty() &&
             mine == s.transfer_unit_id) {
    pending_declines.push_back(l.scope);
    return true;
  } else {
    // Two different offers (the server's is not the one recorded here): nothing to report;
    // TrustTransfers keeps the server's out of the key decisions.
    return true;
  }
  auto r = Post("/v1/scopes/transfer", pr::ToJson(req).dump());
  if (!r.ok()) {
    if (r.error().code == Errc::kNetwork) return r.error();
    LV_TRY(SetScopeNote(l.scope, "transfer refused: " + r.error().message));
    return true;
  }
  scopes_relist = true;
  return true;
}

Result<void> SyncEngine::Impl::TrustTransfers(const std::vector<LocalScope>& local) {
  std::map<std::string_view, std::string_view> recorded;
  for (const LocalScope& l : local) {
    if (!l.transfer_unit_id.empty()) recorded[l.scope] = l.transfer_unit_id;
  }
  for (auto& [scope, s] : server_scopes) {
    if (s.transfer_unit_id.empty()) continue;
    auto r = recorded.find(scope);
    if (r == recorded.end() || r->second != s.transfer_unit_id) {
      // Not recorded here (yet): a receiving device before the pull brought the record, or a
      // server that names an offer nobody made. Either way no key follows it from here.
      s.transfer_unit_id.clear();
      continue;
    }
    // The receiving supervisors join the readers of the current key version, so that once
    // the offer ends (withdrawn or declined) they count as lost and the next writer here
    // rotates the key (ManageKeys).
    if (s.key_version == 0) continue;
    LV_ASSIGN(Statement * st,
              db->Cached("SELECT key_readers FROM sync_scope_state WHERE scope=? AND "
                         "key_version=?"));
    st->Bind(1, scope);
    st->Bind(2, static_cast<std::int64_t>(s.key_version));
    LV_ASSIGN(bool row, st->Step());
    const std::string then = row ? st->Text(0) : std::string();
    st->Reset();
    if (!row || then.empty()) continue;
    const std::string now = ReaderSet(s);
    if (!LostReader(now, then)) continue;  // every reader now is in the set already
    std::set<std::string_view> ids;
    for (const std::string* list : {&then, &now}) {
      for (std::string_view id : access::SplitList(*list)) ids.insert(id);
    }
    std::string joined;
    for (std::string_view id : ids) (joined += joined.empty() ? "" : ",") += id;
    LV_TRY(db->Run("UPDATE sync_scope_state SET key_readers=? WHERE scope=?", joined, scope));
  }
  return Ok();
}

Result<void> SyncEngine::Impl::ReportDeclines() {
  std::vector<std::string> scopes;
  scopes.swap(pending_declines);
  for (const std::string& scope : scopes) {
    if (blocked.count(scope) != 0) continue;  // its record did not reach the server
    pr::ScopeTransferRequest req{scope, std::string(pr::kTransferDecline), "", ""};
    auto r = Post("/v1/scopes/transfer", pr::ToJson(req).dump());
    if (!r.ok()) {
      if (r.error().code == Errc::kNetwork) return r.error();
      LV_TRY(SetScopeNote(scope, "transfer refused: " + r.error().message));
    }
  }
  return Ok();
}

}  // namespace lietvedis::sync
