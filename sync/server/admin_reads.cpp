#include "sync/server/admin_reads.hpp"

namespace lietvedis::server {

namespace pr = protocol;

http::Reply DevicesSeen(ServerStore& store, const http::Caller& caller) {
  if (caller.user.role != pr::kRoleAdministrator) {
    return http::Reply::Fail(http::Forbidden("devices seen: for administrators only"));
  }
  auto d = store.LoadDirectory();
  if (!d.ok()) return http::Reply::Fail(d.error());
  pr::DevicesSeenResponse out;
  out.devices.reserve(d->devices.size());
  for (const Device& dv : d->devices) {
    out.devices.push_back(
        {dv.device_id, dv.user_id, dv.name, dv.created_at, dv.last_seen_at, dv.revoked});
  }
  return http::Reply(200, pr::ToJson(out));
}

}  // namespace lietvedis::server
