#include "client/device.hpp"

#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <utility>

#include "client/retention.hpp"
#include "client/schema.hpp"
#include "client/workspace_internal.hpp"
#include "sync/protocol.hpp"
#include "sync/server_address.hpp"

namespace lietvedis::client {

namespace fs = std::filesystem;
using storage::Database;
using storage::Value;

namespace {

constexpr const char* kUnenrolledSite = "unenrolled";

Value TextOrNull(const std::string& s) {
  return s.empty() ? Value{} : Value{s};
}

// A stable id for a region named only by the directory: "region-" + 24 hex chars of BLAKE2b.
std::string RegionId(const std::string& name) {
  unsigned char h[12];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(name.data()), name.size(),
                     nullptr, 0);
  char hex[sizeof h * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return std::string("region-") + hex;
}

}  // namespace

Result<void> MaterialiseDirectory(Database& db, const sync::EngineDirectory& directory) {
  std::set<std::string> regions;
  for (const auto& u : directory.units) {
    if (!u.region.empty() && regions.insert(u.region).second) {
      LV_TRY(
          db.Run("INSERT INTO org_region(id, scope, name) VALUES(?, 'org', ?)"
                 " ON CONFLICT(id) DO UPDATE SET name=excluded.name",
                 RegionId(u.region), u.region));
    }
    LV_TRY(
        db.Run("INSERT INTO org_unit(id, scope, region_id, name) VALUES(?, 'org', ?, ?)"
               " ON CONFLICT(id) DO UPDATE SET region_id=excluded.region_id, name=excluded.name",
               u.unit_id, u.region.empty() ? Value{} : Value{RegionId(u.region)}, u.name));
  }
  for (const auto& u : directory.users) {
    LV_TRY(
        db.Run("INSERT INTO org_user(id, scope, display_name, role, unit_id, active)"
               " VALUES(?, 'org', ?, ?, ?, ?)"
               " ON CONFLICT(id) DO UPDATE SET display_name=excluded.display_name,"
               " role=excluded.role, unit_id=excluded.unit_id, active=excluded.active",
               u.user_id, u.display_name, u.role, TextOrNull(u.unit_id), u.active ? 1 : 0));
  }
  // Covers are replaced whole: a cover the organisation ended is gone from the next
  // directory and so from this device. Local rows only (org_cover is never replicated).
  LV_TRY(db.Exec("DELETE FROM org_cover"));
  for (const auto& c : directory.covers) {
    if (c.user_id.empty() || c.deputy_user_id.empty() || c.from_day.size() != 10 ||
        c.until_day.size() != 10) {
      continue;  // the engine verified the statement; a malformed cover grants nothing
    }
    LV_TRY(
        db.Run("INSERT INTO org_cover(user_id, deputy_user_id, from_day, until_day)"
               " VALUES(?, ?, ?, ?)",
               c.user_id, c.deputy_user_id, c.from_day, c.until_day));
  }
  // The programme catalogue: each entry the organisation stated, inserted or replaced by id,
  // over the catalogue every device starts with (SeedProgrammeCatalogueLocally). A retired
  // entry stays, inactive, so referrals that name it still read it. Local rows: the org scope
  // never syncs; every device builds the catalogue from the directory it verified.
  // The codes and the name were checked when the statement was parsed (sync/directory.cpp, whose
  // code lists a client test holds equal to the client's enums).
  for (const auto& p : directory.programmes) {
    LV_TRY(db.Run(
        "INSERT INTO programme(id, scope, name, target_group, provider, provider_name, mode,"
        " accreditation, active) VALUES(?, 'org', ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET name=excluded.name, target_group=excluded.target_group,"
        " provider=excluded.provider, provider_name=excluded.provider_name, mode=excluded.mode,"
        " accreditation=excluded.accreditation, active=excluded.active",
        p.programme_id, p.name, TextOrNull(p.target_group), p.provider, TextOrNull(p.provider_name),
        p.mode, p.accreditation, p.active ? 1 : 0));
  }
  return Ok();
}

Result<std::vector<sync::LocalScope>> SyncableScopes(Database& db) {
  LV_ASSIGN(std::vector<ScopeRegistration> local, LocalScopes(db));
  std::vector<sync::LocalScope> out;
  out.reserve(local.size());
  for (ScopeRegistration& s : local) {
    if (s.kind == "org") continue;
    out.push_back({std::move(s.scope), std::move(s.kind), std::move(s.unit_id),
                   std::move(s.owner_user_id), std::move(s.transfer_unit_id)});
  }
  return out;
}

Device::~Device() {
  // The engine and the replica refer to the store's connection: close them first.
  engine_.reset();
  replica_.reset();
}

// The organisation revoked this device (a lost or stolen laptop that connected again): every
// row of every case, mentoring log and register goes, with the scope keys and what waited to
// be sent; then the WAL is truncated and the file rebuilt so the freed pages are gone too. The
// store stays (its passphrase still opens it) holding only the device profile and the
// revocation, so the officer sees why it is empty.
static Result<void> EraseCaseData(storage::Database& db) {
  {
    LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(db));
    for (const auto& t : ReplicatedTables()) LV_TRY(db.Exec("DELETE FROM " + t.name));
    for (const char* table : {"sync_scope_keys", "sync_outbox", "sync_versions", "sync_conflicts",
                              "sync_deferred", "sync_push_pending", "sync_scope_state"}) {
      LV_TRY(db.Exec(std::string("DELETE FROM ") + table));
    }
    LV_TRY(tx.Commit());
  }
  LV_TRY(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  return db.Exec("VACUUM");
}

Result<void> Device::OpenLayers() {
  Database& db = store_->db();
  LV_TRY(MigrateClientSchema(db));
  sync::EngineHooks hooks;
  hooks.on_directory = [&db](const sync::EngineDirectory& d) {
    return MaterialiseDirectory(db, d);
  };
  hooks.local_scopes = [&db] { return SyncableScopes(db); };
  hooks.on_applied = options_.on_applied;
  storage::Store* store = store_.get();
  hooks.checkpoint_wal = [store] { store->CheckpointInBackground(); };
  hooks.on_revoked = [&db] { return EraseCaseData(db); };
  hooks.expired_scopes = [&db, wall = options_.engine.wall_ms] {
    const std::int64_t now = wall ? wall()
                                  : std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
    return ExpiredScopes(db, detail::IsoDay(now));
  };

  engine_.reset();
  replica_.reset();
  LV_ASSIGN(replica_, sync::Replica::Open(db, kUnenrolledSite, ReplicatedTables()));
  LV_ASSIGN(engine_, sync::SyncEngine::Open(db, *replica_, hooks, options_.engine));
  if (engine_->IsEnrolled() && engine_->Profile().device_id != replica_->site_id()) {
    const std::string device_id = engine_->Profile().device_id;
    engine_.reset();
    replica_.reset();
    LV_ASSIGN(replica_, sync::Replica::Open(db, device_id, ReplicatedTables()));
    LV_ASSIGN(engine_, sync::SyncEngine::Open(db, *replica_, std::move(hooks), options_.engine));
  }
  LV_TRY(SeedProgrammeCatalogueLocally(db));
  return Ok();
}

Result<std::unique_ptr<Device>> Device::Adopt(std::unique_ptr<storage::Store> store,
                                              DeviceOptions options) {
  std::unique_ptr<Device> d(new Device());
  d->store_ = std::move(store);
  d->options_ = std::move(options);
  LV_TRY(d->OpenLayers());
  return d;
}

Result<std::unique_ptr<Device>> Device::Open(const std::string& dir, std::string_view passphrase,
                                             DeviceOptions options) {
  LV_ASSIGN(std::unique_ptr<storage::Store> store, storage::Store::Open(dir, passphrase));
  return Adopt(std::move(store), std::move(options));
}

Result<Device::Enrolled> Device::Enrol(const std::string& dir, std::string_view passphrase,
                                       std::string_view code_text, std::string device_name,
                                       DeviceOptions options) {
  LV_ASSIGN(sync::protocol::EnrolmentCode code, sync::protocol::DecodeEnrolmentCode(code_text));
  // Refused before any file or key is made: plain http beyond loopback, https without a pin.
  LV_TRY(sync::CheckServerAddress(code.server_url, code.cert_fingerprint));
  std::error_code ec;
  const bool existed = fs::exists(dir, ec);
  if (existed && !fs::is_empty(dir, ec)) {
    return MakeError(Errc::kValidation, "data directory: must be new or empty to enrol a device");
  }
  // Anything created here is removed again if the enrolment does not go through.
  struct Cleanup {
    std::string dir;
    bool existed;
    bool armed = true;
    ~Cleanup() {
      if (!armed) return;
      std::error_code e;
      if (existed) {
        for (const auto& entry : fs::directory_iterator(dir, e)) fs::remove_all(entry.path(), e);
      } else {
        fs::remove_all(dir, e);
      }
    }
  } cleanup{dir, existed};

  Enrolled out;
  {
    LV_ASSIGN(storage::Store::Created created,
              storage::Store::Create(dir, passphrase, options.kdf));
    out.recovery_key = std::move(created.recovery_key);
    std::unique_ptr<Device> d(new Device());
    d->store_ = std::move(created.store);
    d->options_ = std::move(options);
    LV_TRY(d->OpenLayers());
    LV_TRY(d->engine_->Enrol(code.server_url, std::string(code_text), std::move(device_name),
                             code.cert_fingerprint));
    LV_TRY(d->OpenLayers());  // reopen the replica under the issued device id
    out.device = std::move(d);
  }
  cleanup.armed = false;
  out.first_sync = out.device->engine_->SyncOnce();
  return out;
}

Result<std::unique_ptr<Workspace>> Device::OpenWorkspace(WorkspaceOptions options) {
  if (!enrolled()) {
    return MakeError(Errc::kNotFound, "this device is not enrolled: enrol it with a code first");
  }
  LV_ASSIGN(sync::SyncStatus status, engine_->Status());
  if (status.revoked) {
    return MakeError(Errc::kNotPermitted,
                     "the organisation has revoked this device; its case data was erased");
  }
  if (options_.max_offline_days > 0 && status.last_success_ms > 0) {
    const std::int64_t now = options_.engine.wall_ms
                                 ? options_.engine.wall_ms()
                                 : std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
    const std::int64_t days = (now - status.last_success_ms) / (24 * 3600 * 1000LL);
    if (days > options_.max_offline_days) {
      return MakeError(Errc::kNotPermitted, "this device has not reached the central store for " +
                                                std::to_string(days) + " days (the limit is " +
                                                std::to_string(options_.max_offline_days) +
                                                "): synchronise before opening case files");
    }
  }
  return Workspace::Open(store_->db(), *replica_, profile().user_id, std::move(options));
}

}  // namespace lietvedis::client
