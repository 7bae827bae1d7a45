#include "ui/session.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/schema.hpp"
#ifdef LV_HAVE_STORE
#include "storage/store.hpp"
#endif

namespace lietvedis::ui {
namespace fs = std::filesystem;

namespace {
constexpr const char* kProfileFile = client::kLocalProfileFile;
constexpr const char* kDevStoreFile = "dev-store.db";
}  // namespace

#ifdef LV_HAVE_STORE
struct Session::StoreHolder {
  std::unique_ptr<storage::Store> store;
};
bool Session::Encrypted() {
  return true;
}
bool Session::StoreExists(const std::string& dir) {
  return storage::Store::Exists(dir);
}
#else
struct Session::StoreHolder {
  storage::Database db;
};
bool Session::Encrypted() {
  return false;
}
bool Session::StoreExists(const std::string& dir) {
  return fs::exists(fs::path(dir) / kDevStoreFile);
}
#endif

Session::Session() = default;
Session::~Session() {
  Lock();
}

Result<std::string> Session::Create(const std::string& dir, std::string_view passphrase,
                                    bool fast_kdf) {
  Lock();
  if (StoreExists(dir))
    return MakeError(Errc::kValidation, "data directory: already holds a store");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return MakeError(Errc::kIo, "data directory: cannot create " + dir);
  std::string recovery_key;
#ifdef LV_HAVE_STORE
  LV_ASSIGN(auto created, storage::Store::Create(dir, passphrase,
                                                 fast_kdf ? storage::KdfParams::Interactive()
                                                          : storage::KdfParams::Moderate()));
  store_ = std::make_unique<StoreHolder>();
  store_->store = std::move(created.store);
  recovery_key = std::move(created.recovery_key);
  db_ = &store_->store->db();
#else
  (void)passphrase;
  (void)fast_kdf;
  LV_ASSIGN(auto db, storage::Database::Open((fs::path(dir) / kDevStoreFile).string()));
  store_ = std::make_unique<StoreHolder>();
  store_->db = std::move(db);
  db_ = &store_->db;
#endif
  dir_ = dir;
  DeviceProfile profile;
  profile.site_id = sync::Replica::NewId();
  if (auto existing = LoadProfile(dir); existing.ok()) profile = existing.value();
  if (profile.site_id.empty()) profile.site_id = sync::Replica::NewId();
  LV_TRY(SaveProfile(dir, profile));
  LV_TRY(AfterOpen());
  return recovery_key;
}

Result<void> Session::Open(const std::string& dir, std::string_view passphrase, bool fast_kdf) {
  Lock();
  if (!StoreExists(dir)) return MakeError(Errc::kNotAStore, "data directory: no store in " + dir);
#ifdef LV_HAVE_STORE
  // An enrolled directory has no device.json: open it as a client::Device.
  if (!fs::exists(fs::path(dir) / kProfileFile)) {
    client::DeviceOptions options;
    if (fast_kdf) options.kdf = storage::KdfParams::Interactive();
    LV_ASSIGN(device_, client::Device::Open(dir, passphrase, std::move(options)));
    db_ = &device_->db();
    dir_ = dir;
    return Ok();
  }
#else
  (void)fast_kdf;
#endif
#ifdef LV_HAVE_STORE
  LV_ASSIGN(auto store, storage::Store::Open(dir, passphrase));
  store_ = std::make_unique<StoreHolder>();
  store_->store = std::move(store);
  db_ = &store_->store->db();
#else
  (void)passphrase;
  LV_ASSIGN(auto db, storage::Database::Open((fs::path(dir) / kDevStoreFile).string()));
  store_ = std::make_unique<StoreHolder>();
  store_->db = std::move(db);
  db_ = &store_->db;
#endif
  dir_ = dir;
  return AfterOpen();
}

Result<void> Session::AfterOpen() {
  LV_ASSIGN(auto profile, LoadProfile(dir_));
  if (profile.site_id.empty()) return MakeError(Errc::kCorrupt, "device profile: no site id");
  auto replica = client::OpenClientReplica(*db_, profile.site_id);
  if (!replica.ok()) {
    Lock();
    return replica.error();
  }
  replica_ = std::move(replica).value();
  return Ok();
}

Result<Session::Enrolment> Session::Enrol(const std::string& dir, std::string_view passphrase,
                                          std::string_view code, std::string device_name,
                                          bool fast_kdf) {
  Lock();
#ifdef LV_HAVE_STORE
  client::DeviceOptions options;
  if (fast_kdf) options.kdf = storage::KdfParams::Interactive();
  LV_ASSIGN(
      client::Device::Enrolled enrolled,
      client::Device::Enrol(dir, passphrase, code, std::move(device_name), std::move(options)));
  Enrolment out;
  out.recovery_key = std::move(enrolled.recovery_key);
  if (!enrolled.first_sync.ok()) {
    out.first_sync_error = enrolled.first_sync.error();
    last_sync_error_ = enrolled.first_sync.error();
  } else {
    last_sync_report_ = enrolled.first_sync.value();
  }
  device_ = std::move(enrolled.device);
  db_ = &device_->db();
  dir_ = dir;
  out.user_id = device_->profile().user_id;
  return out;
#else
  (void)dir, (void)passphrase, (void)code, (void)device_name, (void)fast_kdf;
  return MakeError(Errc::kUnsupported, "enrolment needs the encrypted store");
#endif
}

std::string Session::EnrolledUserId() const {
  return device_ && device_->enrolled() ? device_->profile().user_id : std::string();
}

sync::SyncEngine* Session::engine() {
  return device_ ? &device_->engine() : nullptr;
}

Result<sync::SyncReport> Session::SyncOnce(const sync::Progress& progress) {
  if (!device_) return MakeError(Errc::kValidation, "sync: this store is not enrolled");
  // As the CLI does before every command: a card whose referral's grace period has passed
  // leaves the mentoring scope before anything is pushed (a desktop left open for days syncs
  // without signing in again).
  if (workspace_) {
    auto cards = workspace_->ApplyClientCardRules();
    if (!cards.ok()) {
      last_sync_error_ = cards.error();
      return cards.error();
    }
  }
  auto report = device_->engine().SyncOnce(progress);
  if (report.ok()) {
    last_sync_error_.reset();
    last_sync_report_ = report.value();
  } else {
    last_sync_error_ = report.error();
  }
  return report;
}

Result<void> Session::ResolveConflict(std::string_view conflict_id, const storage::Value& chosen) {
  if (!IsOpen() || replica() == nullptr)
    return MakeError(Errc::kLocked, "session: the store is locked");
  LV_ASSIGN(auto tx, storage::Transaction::Begin(*db_));
  LV_TRY(replica()->ResolveConflict(conflict_id, chosen));
  return tx.Commit();
}

Result<void> Session::SignIn(std::string_view user_id) {
  if (!IsOpen()) return MakeError(Errc::kLocked, "session: the store is locked");
  workspace_.reset();
  if (device_) {
    auto ws = device_->OpenWorkspace();
    if (!ws.ok() && ws.error().code == Errc::kNotFound && device_->enrolled()) {
      (void)SyncOnce({});  // the directory (and so the user) arrives with the first sync
      ws = device_->OpenWorkspace();
    }
    if (!ws.ok()) return ws.error();
    if (ws.value()->actor().user_id != user_id) {
      return MakeError(Errc::kNotPermitted, "session: this device is enrolled for another user");
    }
    workspace_ = std::move(ws).value();
  } else {
    LV_ASSIGN(auto ws, client::Workspace::Open(*db_, *replica_, user_id));
    workspace_ = std::move(ws);
  }
  // The client-card rules (rule 4 of docs/PRIVACY.md), as every CLI command starts with them:
  // a card whose referral ended more than the grace period ago is emptied in place.
  if (auto cards = workspace_->ApplyClientCardRules(); !cards.ok()) {
    workspace_.reset();
    return cards.error();
  }
  return Ok();
}

void Session::Lock() {
  workspace_.reset();
  device_.reset();
  last_sync_error_.reset();
  last_sync_report_.reset();
  replica_.reset();
  db_ = nullptr;
  store_.reset();
}

}  // namespace lietvedis::ui
