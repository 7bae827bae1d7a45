// client::Device against the real central store: the offline lock (a device that has not
// synced for too long opens no case file until it syncs) and a revoked device's refusal.
#include "client/device.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>

#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server binary"
#endif

using namespace lietvedis;

namespace {

std::int64_t SystemMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("A device offline for more than 14 days opens no case file until it syncs",
          "[client][device][sync]") {
  testing::TempDir tmp;
  const std::string store = "sqlite:" + (tmp / "central.db");
  auto admin = [&](const std::string& args) {
    return testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string user = admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  testing::ServerProcess server(LV_SERVER_BINARY, store);
  const std::string code = admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());

  auto clock = std::make_shared<std::atomic<std::int64_t>>(SystemMs());
  client::DeviceOptions options;
  options.kdf = storage::KdfParams::Interactive();
  options.engine.wall_ms = [clock] { return clock->load(); };
  auto enrolled = client::Device::Enrol(tmp / "laptop", "a passphrase for tests", code, "laptop",
                                        std::move(options));
  REQUIRE(enrolled.ok());
  REQUIRE(enrolled->first_sync.ok());
  client::Device& d = *enrolled->device;
  REQUIRE(d.OpenWorkspace().ok());

  *clock += 14LL * 24 * 3600 * 1000;  // 14 days: still allowed
  REQUIRE(d.OpenWorkspace().ok());
  *clock += 2LL * 24 * 3600 * 1000;  // 16 days
  auto locked = d.OpenWorkspace();
  REQUIRE_FALSE(locked.ok());
  CHECK(locked.error().code == Errc::kNotPermitted);
  CHECK(locked.error().message.find("16 days") != std::string::npos);
  CHECK(locked.error().message.find("synchronise") != std::string::npos);

  // The sync itself needs no Workspace; once it succeeds the case files open again.
  auto synced = d.engine().SyncOnce();
  INFO((synced.ok() ? std::string() : synced.error().message));
  REQUIRE(synced.ok());
  CHECK(d.OpenWorkspace().ok());
}
