#include "client/local_profile.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lietvedis::client {

namespace fs = std::filesystem;

Result<LocalProfile> LoadLocalProfile(const std::string& dir) {
  const fs::path path = fs::path(dir) / kLocalProfileFile;
  std::ifstream in(path);
  if (!in) return MakeError(Errc::kNotFound, "device profile: no " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto j = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return MakeError(Errc::kCorrupt, "device profile: not a JSON object");
  LocalProfile p;
  try {
    p.site_id = j.value("site_id", "");
    p.user_id = j.value("user_id", "");
    p.server_url = j.value("server_url", "");
    if (j.contains("demo_users") && j["demo_users"].is_object()) {
      for (auto& [role, id] : j["demo_users"].items()) {
        if (id.is_string()) p.demo_users[role] = id.get<std::string>();
      }
    }
  } catch (const nlohmann::json::exception&) {
    return MakeError(Errc::kCorrupt, "device profile: a field has the wrong type");
  }
  return p;
}

Result<void> SaveLocalProfile(const std::string& dir, const LocalProfile& profile) {
  nlohmann::json j;
  j["site_id"] = profile.site_id;
  j["user_id"] = profile.user_id;
  j["server_url"] = profile.server_url;
  j["demo_users"] = profile.demo_users;
  const fs::path path = fs::path(dir) / kLocalProfileFile;
  const fs::path tmp = fs::path(dir) / (std::string(kLocalProfileFile) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out) return MakeError(Errc::kIo, "device profile: cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return MakeError(Errc::kIo, "device profile: cannot replace " + path.string());
  return Ok();
}

}  // namespace lietvedis::client
