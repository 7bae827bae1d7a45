// A small world for engine tests and the sync benchmark: a real central store (Server over a
// ServerStore, SQLite or PostgreSQL back end) on loopback, and client devices, each with its own
// SQLite store, Replica and SyncEngine over two tiny replicated tables standing in for the
// client layer: `kase` (scope case:<id>) and `card` (scope mentoring:<id>), and `org_user`
// (scope org) for rows that must stay out of case batches.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "sync/engine.hpp"
#include "sync/replica.hpp"
#include "sync/root_key.hpp"
#include "sync/server/directory_admin.hpp"
#include "sync/server/server.hpp"
#include "sync/server/server_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace lietvedis::testing {

struct EngineDevice {
  std::string name;
  storage::Database db;
  std::unique_ptr<sync::Replica> replica;
  std::unique_ptr<sync::SyncEngine> engine;
  sync::EngineOptions options;
  // What the engine's checkpoint_wal hook does (after a sync that pulled changes); a device
  // of this world has a plain Database, so by default nothing.
  std::function<void()> on_checkpoint_wal;
  // How often the engine's on_revoked hook ran (it also deletes every kase and card row).
  int revocations_seen = 0;

  // Writes case `id` (title, owner officer) in scope case:<id>, in its own transaction.
  void WriteCase(const std::string& id, const std::string& title, const std::string& officer,
                 const std::string& unit);
  void WriteCard(const std::string& id, const std::string& name, const std::string& officer,
                 const std::string& unit);
  std::int64_t Count(const std::string& sql);
  std::string Text(const std::string& sql);
  // Reopens the engine (e.g. with other options), as after a restart.
  void Reopen();
};

// Syncs until one succeeds (the network or the server is back by now); REQUIREs success
// within `tries`.
sync::SyncReport SyncUntilOk(EngineDevice& d, int tries = 4);
// id -> title of every case the device holds.
std::map<std::string, std::string> Cases(EngineDevice& d);
// A number from the environment (a seed, a number of rounds), else `fixed`.
std::uint64_t EnvNumber(const char* name, std::uint64_t fixed);

class EngineWorld {
 public:
  // backend: "sqlite" (a file in the world's TempDir) or a PostgreSQL URI.
  // tls: the server gets a fresh self-signed certificate (openssl CLI) and enrolment codes
  // carry its fingerprint, so devices pin it.
  explicit EngineWorld(const std::string& store_spec = {}, bool tls = false);
  ~EngineWorld();

  std::string AddUser(const std::string& role, const std::string& name);
  // Creates a device store for `user_id`, enrols it with a fresh code; REQUIREs success.
  // `via_url`: the address the code names instead of the server's own (a LinkProxy's, so the
  // device syncs over a simulated link).
  EngineDevice& Enrol(const std::string& user_id, sync::EngineOptions options = {},
                      const std::string& via_url = {});

  // Server log lines ("GET /v1/pull 200 device=<id> ...") containing `needle` so far. The
  // server logs a request after answering it.
  std::int64_t CountLog(const std::string& needle);
  // Waits until CountLog(needle) >= count; false after `timeout_ms`.
  bool WaitForLog(const std::string& needle, std::int64_t count, int timeout_ms = 5000);

  // Stops the in-process server and closes its store, so that another process (the real
  // lietvedis-server, tests/sync/kill_test.cpp) can serve the same file on the same port.
  // After it, store(), admin() and Enrol() must not be used; the devices stay.
  void StopServer();
  // The loopback port the devices' enrolment codes name.
  int port() const;

  server::ServerStore& store() { return *store_; }
  const std::string& url() const { return url_; }
  const std::string& unit() const { return unit_; }
  const std::string& server_db_path() const { return server_db_; }
  const std::string& fingerprint() const { return fingerprint_; }
  // The organisation's root key and the administrator's tool over this world's store.
  const sync::RootKey& root() const { return root_; }
  server::DirectoryAdmin& admin() { return *admin_; }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
  std::string server_db_;
  std::unique_ptr<server::ServerStore> store_;
  sync::RootKey root_;
  std::unique_ptr<server::DirectoryAdmin> admin_;
  std::unique_ptr<server::Server> server_;
  std::string url_, unit_, fingerprint_;
  std::vector<std::unique_ptr<EngineDevice>> devices_;
};

}  // namespace lietvedis::testing
