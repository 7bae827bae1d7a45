#include "sync/server/transfers.hpp"

#include <string>
#include <vector>

namespace lietvedis::server {

namespace pr = protocol;

namespace {

Error Forbidden(std::string message) {
  return MakeError(Errc::kNotPermitted, std::move(message));
}

bool SupervisorOf(const User& u, const std::string& unit_id) {
  return u.active && u.role == pr::kRoleSupervisor && !unit_id.empty() && u.unit_id == unit_id;
}

}  // namespace

Result<Scope> ApplyTransfer(ServerStore& store, const User& caller,
                            const pr::ScopeTransferRequest& req, std::int64_t now) {
  LV_ASSIGN(Scope scope, store.GetScope(req.scope));
  if (scope.kind != pr::kKindCase) {
    return MakeError(Errc::kValidation,
                     "scope transfer.scope: " + scope.scope + " is not a case scope");
  }
  // The mentoring scope of the case moves with it: offered with it when registered in the
  // case's unit, accepted with it when it was offered with it.
  std::vector<std::string> scopes{scope.scope};
  const std::string mentoring = std::string(pr::kKindMentoring) + scope.scope.substr(4);
  if (auto m = store.GetScope(mentoring); m.ok()) {
    const bool moves =
        req.action == pr::kTransferAccept
            ? !m->transfer_unit_id.empty() && m->transfer_unit_id == scope.transfer_unit_id
            : m->unit_id == scope.unit_id;
    if (moves) scopes.push_back(mentoring);
  } else if (m.error().code != Errc::kNotFound) {
    return m.error();
  }

  if (req.action == pr::kTransferOffer) {
    if (!SupervisorOf(caller, scope.unit_id)) {
      return Forbidden("only a supervisor of unit " + scope.unit_id + " offers " + scope.scope);
    }
    if (scope.transfer_unit_id == req.unit_id) return scope;  // already offered
    if (!scope.transfer_unit_id.empty()) {
      return MakeError(Errc::kConflict, scope.scope + " is already offered to unit " +
                                            scope.transfer_unit_id + " (withdraw that first)");
    }
    if (req.unit_id == scope.unit_id) {
      return MakeError(Errc::kValidation, "scope transfer.unit_id: the case's own unit");
    }
    LV_ASSIGN(bool receiving, store.HasActiveUser(req.unit_id, pr::kRoleSupervisor));
    if (!receiving) {
      return MakeError(Errc::kValidation, "scope transfer.unit_id: unit " + req.unit_id +
                                              " has no active supervisor to accept");
    }
    LV_TRY(store.SetTransferOffer(scopes, req.unit_id, now));
    scope.transfer_unit_id = req.unit_id;
    return scope;
  }

  if (req.action == pr::kTransferWithdraw || req.action == pr::kTransferDecline) {
    const bool withdraw = req.action == pr::kTransferWithdraw;
    if (scope.transfer_unit_id.empty()) {
      // Nothing waits: a repeat, or the other side ended it first. Only a party may ask.
      if (!SupervisorOf(caller, scope.unit_id) && !SupervisorOf(caller, caller.unit_id)) {
        return Forbidden("no transfer of " + scope.scope + " waits");
      }
      return scope;
    }
    const std::string& side = withdraw ? scope.unit_id : scope.transfer_unit_id;
    if (!SupervisorOf(caller, side)) {
      return Forbidden("only a supervisor of unit " + side +
                       (withdraw ? " withdraws" : " declines") + " the transfer of " + scope.scope);
    }
    LV_TRY(store.SetTransferOffer(scopes, "", now));
    return store.GetScope(scope.scope);  // with the ended offer's unit in offer_unit_ids
  }

  // accept
  if (scope.transfer_unit_id.empty()) {
    if (SupervisorOf(caller, scope.unit_id) && scope.owner_user_id == req.owner_user_id) {
      return scope;  // accepted already (a retry)
    }
    return MakeError(Errc::kConflict, "no transfer of " + scope.scope + " waits");
  }
  if (!SupervisorOf(caller, scope.transfer_unit_id)) {
    return Forbidden("only a supervisor of unit " + scope.transfer_unit_id + " accepts " +
                     scope.scope);
  }
  LV_ASSIGN(User owner, store.GetUser(req.owner_user_id));
  if (!owner.active || owner.unit_id != scope.transfer_unit_id ||
      (owner.role != pr::kRoleOfficer && owner.role != pr::kRoleSupervisor)) {
    return MakeError(Errc::kValidation,
                     "scope transfer.owner_user_id: must be an active officer "
                     "of unit " +
                         scope.transfer_unit_id);
  }
  LV_TRY(store.AcceptTransfer(scopes, owner.user_id, now));
  return store.GetScope(scope.scope);
}

}  // namespace lietvedis::server
