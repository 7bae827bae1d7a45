// Device: one enrolled installation of the client — the encrypted store, the replica that
// stamps every write, and the sync engine — opened from a data directory. The CLI, the desktop
// client and the scenario tests open case data through it.
//
// What the client layer adds to the sync engine (sync/engine.hpp):
//  - the directory: units and users come from the central store's directory (GET
//    /v1/directory) and are written into org_region / org_unit / org_user as local reference
//    rows on every sync (no stamps, no outbox: on a synced device only the server's
//    administrators change the organisation, with `lietvedis-server admin`);
//  - the programme catalogue is seeded locally with its fixed ids, the same on every device;
//  - the scopes to register: every scope with rows on this device except `org`, with its unit
//    and owner (LocalScopes), so a reassignment is reported to the server by the next sync.
//
// Site id: the replica's site id is the device id the server issued at enrolment. Before
// enrolment nothing is written to case tables, so the replica starts under a placeholder and
// is reopened under the device id as soon as the engine knows it.
//
// Threading: a Device and everything it hands out belong to one thread (the writer).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "client/workspace.hpp"
#include "storage/store.hpp"
#include "sync/engine.hpp"
#include "sync/replica.hpp"

namespace lietvedis::client {

// Writes the directory's regions, units and users as local org rows (upserts); called by the
// engine inside its transaction. Region ids are derived from the region's name. The covers
// (deputy for an absent officer) replace every row of the local table org_cover; a cover with
// an empty user or a day that is not ISO is skipped. Nothing here is replicated or pushed.
Result<void> MaterialiseDirectory(storage::Database& db, const sync::EngineDirectory& directory);

// Every scope with rows on this device except `org`, as the engine registers them.
Result<std::vector<sync::LocalScope>> SyncableScopes(storage::Database& db);

struct DeviceOptions {
  storage::KdfParams kdf = storage::KdfParams::Moderate();  // for Enrol (a new store)
  sync::EngineOptions engine;
  std::function<void(std::int64_t applied)> on_applied;  // after a pull page committed rows
  // An enrolled device that has not completed a sync for this many days opens no case file
  // until it syncs again (a laptop lost offline stops showing cases by itself); 0 = never.
  // The clock is the engine's (EngineOptions::wall_ms, else the system clock).
  int max_offline_days = 14;
};

class Device {
 public:
  struct Enrolled;

  // Creates a new encrypted store in `dir` (missing or empty), enrols it with the one-time
  // `code` (the "LV1-..." text from `lietvedis-server admin enrol-code`, which carries the
  // server's address and certificate fingerprint), and runs a first sync so the directory is
  // known. On a refused or unreachable enrolment nothing is left in `dir`. A code whose address
  // sync::CheckServerAddress refuses (http:// beyond loopback, https:// without a pin) fails as
  // kValidation before anything is created.
  static Result<Enrolled> Enrol(const std::string& dir, std::string_view passphrase,
                                std::string_view code, std::string device_name,
                                DeviceOptions options = {});
  // Opens and unlocks an existing store (enrolled or not).
  static Result<std::unique_ptr<Device>> Open(const std::string& dir, std::string_view passphrase,
                                              DeviceOptions options = {});
  // Takes over an already unlocked store (e.g. opened with the recovery key).
  static Result<std::unique_ptr<Device>> Adopt(std::unique_ptr<storage::Store> store,
                                               DeviceOptions options = {});
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  storage::Store& store() { return *store_; }
  storage::Database& db() { return store_->db(); }
  sync::Replica& replica() { return *replica_; }
  sync::SyncEngine& engine() { return *engine_; }
  bool enrolled() const { return engine_->IsEnrolled(); }
  const sync::DeviceProfile& profile() const { return engine_->Profile(); }

  // The enrolled user's Workspace. kNotFound until the first sync brought the directory;
  // kNotPermitted when the organisation revoked this device, or when it has not synced for
  // more than DeviceOptions::max_offline_days (sync first: the engine needs no Workspace).
  Result<std::unique_ptr<Workspace>> OpenWorkspace(WorkspaceOptions options = {});

 private:
  Device() = default;
  Result<void> OpenLayers();

  std::unique_ptr<storage::Store> store_;
  DeviceOptions options_;
  std::unique_ptr<sync::Replica> replica_;
  std::unique_ptr<sync::SyncEngine> engine_;
};

struct Device::Enrolled {
  std::unique_ptr<Device> device;
  std::string recovery_key;                       // shown once as the recovery kit, never stored
  Result<sync::SyncReport> first_sync = Error{};  // the enrolment stands even if this failed
};

}  // namespace lietvedis::client
