// Transfers of a case between units on the central store (POST /v1/scopes/transfer; the rules
// are docs/PROTOCOL.md, "Transfers"). The store moves routing facts only: which unit a case
// and its mentoring scope belong to, who owns them, which unit an offer waits for. The case's
// own record of the transfer (who offered, why, who accepted) is sealed in the case scope, and
// a client wraps keys for the receiving unit only when that record agrees with the store.
#pragma once

#include <cstdint>

#include "storage/result.hpp"
#include "sync/protocol.hpp"
#include "sync/server/server_store.hpp"

namespace lietvedis::server {

// Applies `req` for `caller` at `now` (ms): the case scope as it stands afterwards. A repeated
// request that is already in effect answers as if applied (a client retries after a lost
// answer). Errors: kValidation (not a case scope, unknown unit, an owner who may not own),
// kNotPermitted (not a supervisor of the sending or the receiving unit), kConflict (another
// offer waits, or none does), kNotFound (scope not registered).
Result<Scope> ApplyTransfer(ServerStore& store, const User& caller,
                            const protocol::ScopeTransferRequest& req, std::int64_t now);

}  // namespace lietvedis::server
