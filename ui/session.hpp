// Session: the data side of the desktop client — the open store, its replica and the acting
// user's Workspace. It lives on the TaskQueue's worker thread: every method is called from a
// job, never from a frame, because opening derives a key with Argon2id and every Workspace
// call touches the database.
//
// The data directory (--data DIR) holds the store and `device.json`, the device profile:
// site id, server address, the enrolled user's id and (demo data only) the ids of the demo
// users per role. The profile holds no case data and no secrets.
//
// Two kinds of data directory:
//  - enrolled (no device.json): a client::Device — encrypted store, replica under the device id
//    the server issued, sync engine. Created by Enrol() with a one-time code; Open() unlocks
//    it and the acting user is the enrolled user (EnrolledUserId()).
//  - local-only (device.json present): demo data and tests. The replica's site id and the
//    users come from device.json; there is no sync engine (engine() == nullptr).
//
// Builds without the encrypted store (storage/store.cpp not yet in the tree) fall back to an
// unencrypted SQLite file `dev-store.db` and say so on screen (Encrypted() == false); in that
// build any passphrase opens the directory.
//
// WARNING: workspace() is valid only between Open()/Create() and Lock(); never hand the
// pointer, or anything borrowed from it, to the main thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/device.hpp"
#include "client/local_profile.hpp"
#include "client/workspace.hpp"
#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/engine.hpp"
#include "sync/replica.hpp"

namespace lietvedis::ui {

// The local profile of a local-only directory (client/local_profile.hpp).
using DeviceProfile = client::LocalProfile;
inline Result<DeviceProfile> LoadProfile(const std::string& dir) {
  return client::LoadLocalProfile(dir);
}
inline Result<void> SaveProfile(const std::string& dir, const DeviceProfile& profile) {
  return client::SaveLocalProfile(dir, profile);
}

class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Whether this build keeps data in the encrypted store.
  static bool Encrypted();
  // True when DIR already holds a store (encrypted or development file).
  static bool StoreExists(const std::string& dir);

  // Creates a store in DIR protected by `passphrase` and opens it. Returns the recovery key
  // to show once (empty in the development build). `fast_kdf` selects the interactive
  // Argon2id cost (tests, demo). Errors: as storage::Store::Create; kValidation when DIR
  // already holds a store.
  Result<std::string> Create(const std::string& dir, std::string_view passphrase, bool fast_kdf);
  // Opens and unlocks DIR (enrolled or local-only). Errors: kWrongPassphrase, kNotAStore,
  // kTampered, kIo. `fast_kdf` only matters to stores created later (none here).
  Result<void> Open(const std::string& dir, std::string_view passphrase, bool fast_kdf = false);

  // Enrols a new device in DIR (missing or empty) with a one-time enrolment code
  // (client::Device::Enrol: creates the encrypted store, enrols, runs a first sync) and keeps
  // it open. `recovery_key` is shown once; `first_sync_error` is set when the enrolment stood
  // but the first sync failed (the next sync retries). Errors: kValidation (malformed code,
  // DIR not empty), kNotPermitted (code refused), kNetwork, kTampered (certificate pin).
  struct Enrolment {
    std::string recovery_key, user_id;
    std::optional<Error> first_sync_error;
  };
  Result<Enrolment> Enrol(const std::string& dir, std::string_view passphrase,
                          std::string_view code, std::string device_name, bool fast_kdf);
  // The enrolled user's id; "" for a local-only store or when locked.
  std::string EnrolledUserId() const;
  // The sync engine of an enrolled device; nullptr for a local-only store or when locked.
  sync::SyncEngine* engine();
  // One SyncOnce (blocks on the network); remembers its outcome for the status snapshot.
  // kValidation for a local-only store.
  Result<sync::SyncReport> SyncOnce(const sync::Progress& progress);
  const std::optional<Error>& last_sync_error() const { return last_sync_error_; }
  const std::optional<sync::SyncReport>& last_sync_report() const { return last_sync_report_; }
  // Resolves a conflict inbox entry with `chosen` in one write transaction (it syncs).
  Result<void> ResolveConflict(std::string_view conflict_id, const storage::Value& chosen);
  // Opens the acting user's Workspace (after Open/Create). On an enrolled device whose
  // directory has not arrived yet (kNotFound), one sync is run and the open retried.
  // Errors: as Workspace::Open.
  Result<void> SignIn(std::string_view user_id);
  // Closes the workspace and the store; the key is wiped by the store.
  void Lock();

  bool IsOpen() const { return db_ != nullptr; }
  client::Workspace* workspace() { return workspace_.get(); }
  sync::Replica* replica() { return device_ ? &device_->replica() : replica_.get(); }
  storage::Database* db() { return db_; }
  const std::string& dir() const { return dir_; }

 private:
  Result<void> AfterOpen();

  struct StoreHolder;
  std::unique_ptr<StoreHolder> store_;
  storage::Database* db_ = nullptr;
  std::unique_ptr<sync::Replica> replica_;
  std::unique_ptr<client::Workspace> workspace_;
  std::unique_ptr<client::Device> device_;  // enrolled directories only
  std::optional<Error> last_sync_error_;
  std::optional<sync::SyncReport> last_sync_report_;
  std::string dir_;
};

// Fills an open session with the demo unit of client/demo_data.hpp (Kurzeme region, Liepāja
// unit: three officers, a supervisor, a volunteer coordinator, an administrator): `cases`
// clients spread over the officers, each written through its officer's own Workspace, with
// assessments, plans, contacts, programme referrals and MAPPA meetings; volunteers with
// mentoring logs through the coordinator's. Records the demo users in the device profile and
// signs in as `role` ("officer", "supervisor", "volunteer_coordinator", "administrator").
// Deterministic for a given `cases`.
Result<void> SeedDemoData(Session& session, int cases, std::string_view role);

}  // namespace lietvedis::ui
