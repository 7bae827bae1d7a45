// The local profile DIR/device.json of a local-only data directory (`lietvedis init`, the
// desktop's local demo): the replica's site id, the acting user and, for demo stores, the demo
// users per role. No secrets, no case data. Enrolled directories have no such file: their
// store holds the device profile (client/device.hpp). Read by the CLI and the desktop client.
#pragma once

#include <map>
#include <string>

#include "storage/result.hpp"

namespace lietvedis::client {

inline constexpr const char* kLocalProfileFile = "device.json";

struct LocalProfile {
  std::string site_id, user_id, server_url;
  std::map<std::string, std::string> demo_users;  // role code -> user id (demo data only)
};

// Reads DIR/device.json. Errors: kNotFound when absent, kCorrupt when malformed.
Result<LocalProfile> LoadLocalProfile(const std::string& dir);
// Writes DIR/device.json atomically (write, rename). Errors: kIo.
Result<void> SaveLocalProfile(const std::string& dir, const LocalProfile& profile);

}  // namespace lietvedis::client
