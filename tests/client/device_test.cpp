// client::Device against the real central store: the offline lock (a device that has not
// synced for too long opens no case file until it syncs) and a revoked device's refusal.
#include "client/device.hpp"

#include <sys/wait.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <iterator>
#include <string_view>
#include <vector>

#include "client/model.hpp"
#include "sync/directory.hpp"
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

// A real central store on loopback with one unit and its officer; Admin runs the
// administrator's tool on it (with the store's root key).
struct OneOfficer {
  testing::TempDir tmp;
  const std::string store = "sqlite:" + (tmp / "central.db");
  std::string Admin(const std::string& args) {
    return testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  }
  const std::string unit = Admin("unit add --region Kurzeme --name Liepāja");
  const std::string user = Admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  testing::ServerProcess server{LV_SERVER_BINARY, store};
  std::string EnrolmentCode() {
    return Admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
  }
};

}  // namespace

TEST_CASE("A device offline for more than 14 days opens no case file until it syncs",
          "[client][device][sync]") {
  OneOfficer world;
  testing::TempDir& tmp = world.tmp;
  const std::string code = world.EnrolmentCode();

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

namespace {

template <std::size_t N>
std::vector<std::string_view> Codes(const char* const (&codes)[N]) {
  return std::vector<std::string_view>(std::begin(codes), std::end(codes));
}

const client::Programme* Find(const std::vector<client::Programme>& list, const std::string& id) {
  for (const auto& p : list) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("The programme catalogue the organisation states reaches every device by its directory",
          "[client][device][sync][programmes]") {
  // The directory's codes are the client's enums, one for one.
  CHECK(Codes(sync::directory::kProgrammeProviders) ==
        client::AllCodes<client::ProgrammeProvider>());
  CHECK(Codes(sync::directory::kProgrammeModes) == client::AllCodes<client::ProgrammeMode>());
  CHECK(Codes(sync::directory::kProgrammeAccreditations) ==
        client::AllCodes<client::Accreditation>());

  OneOfficer world;
  const std::string& store = world.store;
  auto admin = [&world](const std::string& args) { return world.Admin(args); };
  client::DeviceOptions options;
  options.kdf = storage::KdfParams::Interactive();
  auto enrolled = client::Device::Enrol(world.tmp / "laptop", "a passphrase for tests",
                                        world.EnrolmentCode(), "laptop", options);
  REQUIRE(enrolled.ok());
  REQUIRE(enrolled->first_sync.ok());
  client::Device& d = *enrolled->device;
  const auto before = d.OpenWorkspace().value()->Programmes().value();
  REQUIRE(Find(before, "prog-equip") != nullptr);  // the catalogue every device starts with
  CHECK(Find(before, "prog-equip")->active);

  // A new programme, and a change to one of the catalogue's own: both arrive with a sync.
  const std::string id = admin(
      "programme set --name 'Ieradumu maiņa' --target-group 'jaunieši' --provider ngo"
      " --provider-name 'Biedrība Līdzās' --mode blended --accreditation pilot");
  CHECK(id.rfind("prog-", 0) == 0);
  CHECK(id.size() == 17);
  admin(
      "programme set --id prog-equip --name EQUIP --target-group jaunieši --provider vpd"
      " --provider-name VPD --mode in_person --accreditation accredited --retire");
  REQUIRE(d.engine().SyncOnce().ok());
  const auto after = d.OpenWorkspace().value()->Programmes().value();
  CHECK(after.size() == before.size() + 1);
  const client::Programme* added = Find(after, id);
  REQUIRE(added != nullptr);
  CHECK(added->name == "Ieradumu maiņa");
  CHECK(added->target_group == "jaunieši");
  CHECK(added->provider == client::ProgrammeProvider::kNgo);
  CHECK(added->provider_name == "Biedrība Līdzās");
  CHECK(added->mode == client::ProgrammeMode::kBlended);
  CHECK(added->accreditation == client::Accreditation::kPilot);
  CHECK(added->active);
  REQUIRE(Find(after, "prog-equip") != nullptr);
  CHECK_FALSE(Find(after, "prog-equip")->active);  // retired: kept for referrals made

  // The administrator's tool refuses what is not a programme, naming the option, and writes
  // nothing; the list shows what the directory states.
  const std::string listed = admin("programme list");
  CHECK(listed.find(id + "\tactive\tngo\tblended\tpilot\tIeradumu maiņa\tjaunieši") !=
        std::string::npos);
  CHECK(listed.find("prog-equip\tretired\tvpd") != std::string::npos);
  for (const std::string& bad :
       {std::string("--name X --provider church --mode blended --accreditation pilot"),
        std::string("--name X --provider ngo --mode online --accreditation pilot"),
        std::string(
            "--id 'Not An Id' --name X --provider ngo --mode blended --accreditation pilot"),
        std::string("--name '' --provider ngo --mode blended --accreditation pilot")}) {
    INFO(bad);
    const std::string cmd = std::string("'") + LV_SERVER_BINARY + "' admin --store '" + store +
                            "' --root-key '" + testing::RootKeyFileFor(store) + "' programme set " +
                            bad + " > /dev/null 2>&1";
    const int rc = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(rc));
    CHECK(WEXITSTATUS(rc) == 3);
  }
  CHECK(admin("programme list") == listed);
}
