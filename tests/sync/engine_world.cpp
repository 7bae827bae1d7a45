#include "tests/sync/engine_world.hpp"

#include <sodium.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "sync/protocol.hpp"

namespace lietvedis::testing {

namespace pr = sync::protocol;

static const char* kDeviceSchema =
    "CREATE TABLE IF NOT EXISTS kase(id TEXT PRIMARY KEY, scope TEXT NOT NULL, title TEXT,"
    " officer TEXT, unit TEXT);"
    "CREATE TABLE IF NOT EXISTS card(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT,"
    " officer TEXT, unit TEXT);"
    "CREATE TABLE IF NOT EXISTS org_user(id TEXT PRIMARY KEY, scope TEXT NOT NULL, role TEXT);";

static sync::EngineHooks Hooks(EngineDevice& device) {
  storage::Database& db = device.db;
  sync::EngineHooks h;
  h.checkpoint_wal = [&device] {
    if (device.on_checkpoint_wal) device.on_checkpoint_wal();
  };
  h.on_revoked = [&device]() -> Result<void> {
    ++device.revocations_seen;
    // As the client erases a revoked device's case data (client/device.cpp).
    LV_TRY(device.db.Exec("DELETE FROM kase; DELETE FROM card"));
    return Ok();
  };
  h.local_scopes = [&db]() -> Result<std::vector<sync::LocalScope>> {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT scope, 'case', unit, officer FROM kase UNION ALL "
                         "SELECT scope, 'mentoring', unit, officer FROM card ORDER BY 1"));
    std::vector<sync::LocalScope> out;
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3), ""});
    }
    return out;
  };
  return h;
}

void EngineDevice::WriteCase(const std::string& id, const std::string& title,
                             const std::string& officer, const std::string& unit) {
  auto tx = storage::Transaction::Begin(db);
  REQUIRE(tx.ok());
  REQUIRE(replica
              ->Write("kase", id, "case:" + id,
                      {{"title", title}, {"officer", officer}, {"unit", unit}})
              .ok());
  REQUIRE(tx->Commit().ok());
}

void EngineDevice::WriteCard(const std::string& id, const std::string& name,
                             const std::string& officer, const std::string& unit) {
  auto tx = storage::Transaction::Begin(db);
  REQUIRE(tx.ok());
  REQUIRE(replica
              ->Write("card", id, "mentoring:" + id,
                      {{"name", name}, {"officer", officer}, {"unit", unit}})
              .ok());
  REQUIRE(tx->Commit().ok());
}

std::int64_t EngineDevice::Count(const std::string& sql) {
  auto n = db.QueryInt(sql);
  REQUIRE(n.ok());
  return *n;
}

std::string EngineDevice::Text(const std::string& sql) {
  auto st = db.Prepare(sql);
  REQUIRE(st.ok());
  auto row = st->Step();
  REQUIRE(row.ok());
  if (!*row) return "<none>";
  return st->Text(0);
}

void EngineDevice::Reopen() {
  engine.reset();
  auto e = sync::SyncEngine::Open(db, *replica, Hooks(*this), options);
  REQUIRE(e.ok());
  engine = std::move(*e);
}

EngineWorld::EngineWorld(const std::string& store_spec, bool tls) {
  REQUIRE(sodium_init() >= 0);
  server_db_ = dir_ / "server.db";
  auto store = server::ServerStore::Open(store_spec.empty() ? "sqlite:" + server_db_ : store_spec);
  INFO((store.ok() ? std::string() : store.error().message));
  REQUIRE(store.ok());
  store_ = std::move(*store);
  server::ServerOptions opts;
  opts.worker_threads = 8;
  opts.log = [this](const std::string& line) {
    std::lock_guard<std::mutex> g(log_mu_);
    log_.push_back(line);
  };
  if (tls) {
    opts.cert_file = dir_ / "cert.pem";
    opts.key_file = dir_ / "key.pem";
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
        " -nodes -days 2 -subj /CN=127.0.0.1 -keyout " +
        opts.key_file + " -out " + opts.cert_file + " > " + (dir_ / "openssl.log") + " 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    auto fp = server::CertificateFingerprint(opts.cert_file);
    REQUIRE(fp.ok());
    fingerprint_ = *fp;
  }
  server_ = std::make_unique<server::Server>(*store_, opts);
  REQUIRE(server_->Start().ok());
  url_ = server_->base_url();
  auto root = sync::RootKey::Generate();
  REQUIRE(root.ok());
  root_ = std::move(*root);
  admin_ = std::make_unique<server::DirectoryAdmin>(*store_, root_);
  auto unit = admin_->AddUnit("Kurzeme", "Liepāja", server::SystemNowMs());
  REQUIRE(unit.ok());
  unit_ = unit->unit_id;
}

EngineWorld::~EngineWorld() {
  devices_.clear();
  if (server_) server_->Stop();
}

sync::SyncReport SyncUntilOk(EngineDevice& d, int tries) {
  for (int i = 1;; ++i) {
    auto r = d.engine->SyncOnce();
    if (r.ok()) return *r;
    INFO(d.name << " attempt " << i << ": " << r.error().message);
    REQUIRE(i < tries);
  }
}

std::map<std::string, std::string> Cases(EngineDevice& d) {
  std::map<std::string, std::string> out;
  auto st = d.db.Prepare("SELECT id, title FROM kase ORDER BY id");
  REQUIRE(st.ok());
  for (;;) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    out[st->Text(0)] = st->Text(1);
  }
  return out;
}

std::uint64_t EnvNumber(const char* name, std::uint64_t fixed) {
  if (const char* env = std::getenv(name); env != nullptr && *env != '\0')
    return std::strtoull(env, nullptr, 10);
  return fixed;
}

void EngineWorld::StopServer() {
  if (server_) server_->Stop();
  server_.reset();
  admin_.reset();
  store_.reset();
}

int EngineWorld::port() const {
  return std::stoi(url_.substr(url_.rfind(':') + 1));
}

std::int64_t EngineWorld::CountLog(const std::string& needle) {
  std::lock_guard<std::mutex> g(log_mu_);
  std::int64_t n = 0;
  for (const auto& line : log_) n += line.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

bool EngineWorld::WaitForLog(const std::string& needle, std::int64_t count, int timeout_ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (CountLog(needle) < count) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

std::string EngineWorld::AddUser(const std::string& role, const std::string& name) {
  auto u = admin_->AddUser(unit_, role, name, server::SystemNowMs());
  REQUIRE(u.ok());
  return u->user_id;
}

EngineDevice& EngineWorld::Enrol(const std::string& user_id, sync::EngineOptions options,
                                 const std::string& via_url) {
  auto d = std::make_unique<EngineDevice>();
  d->name = "device-" + std::to_string(devices_.size());
  auto db = storage::Database::Open(dir_ / (d->name + ".db"));
  REQUIRE(db.ok());
  d->db = std::move(*db);
  REQUIRE(d->db.Exec(kDeviceSchema).ok());
  // Until enrolment the replica's site is a placeholder; then it is the device id, as in
  // client/device.cpp (a device's envelopes carry only changes stamped by itself).
  const std::vector<sync::TableSpec> tables = {
      {"kase", {"title", "officer", "unit"}, false, {"case"}},
      {"card", {"name", "officer", "unit"}, false, {"mentoring"}},
      {"org_user", {"role"}, false, {"org"}}};
  auto r = sync::Replica::Open(d->db, "unenrolled", tables);
  REQUIRE(r.ok());
  d->replica = std::move(*r);
  d->options = std::move(options);
  d->Reopen();

  auto code = admin_->IssueEnrolmentCode(user_id, via_url.empty() ? url_ : via_url, fingerprint_,
                                         3600'000, server::SystemNowMs());
  REQUIRE(code.ok());
  auto p = d->engine->Enrol("", *code, d->name);
  INFO((p.ok() ? std::string() : p.error().message));
  REQUIRE(p.ok());
  REQUIRE(p->user_id == user_id);
  d->engine.reset();
  d->replica.reset();
  r = sync::Replica::Open(d->db, p->device_id, tables);
  REQUIRE(r.ok());
  d->replica = std::move(*r);
  d->Reopen();
  devices_.push_back(std::move(d));
  return *devices_.back();
}

}  // namespace lietvedis::testing
