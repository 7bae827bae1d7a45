// What the central store tells an administrator's device beyond the signed directory: each
// device as the store saw it (GET /v1/devices/seen: enrolled, last seen, revoked). Routing facts
// only, the store's word, shown on the desktop's administrator screen and acted on by no client.
// Other roles are refused (403): when a colleague's laptop last synced is not theirs to know.
#pragma once

#include "sync/server/server_http.hpp"
#include "sync/server/server_store.hpp"

namespace lietvedis::server {

http::Reply DevicesSeen(ServerStore& store, const http::Caller& caller);

}  // namespace lietvedis::server
