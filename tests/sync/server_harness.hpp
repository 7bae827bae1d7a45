// Test and benchmark harness for the central store: a real Server on loopback over either back
// end (a SQLite file in a TempDir, or a fresh database in a throwaway PostgreSQL cluster shared
// by the process), and a small protocol client with real device keys (Ed25519 + X25519).
#pragma once

#include <httplib.h>
#include <sodium.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sync/protocol.hpp"
#include "sync/root_key.hpp"
#include "sync/server/directory_admin.hpp"
#include "sync/server/server.hpp"
#include "sync/server/server_store.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/temp_dir.hpp"

namespace lietvedis::testing::server_harness {

namespace pr = lietvedis::sync::protocol;
namespace srv = lietvedis::server;
using Bytes = pr::Bytes;

// The process-wide PostgreSQL cluster (started on first use; stopped at exit). Throws with the
// cluster's message if it cannot start: PostgreSQL tests fail, never skip.
PgCluster& SharedCluster();

// "sqlite" -> "sqlite:<dir>/server.db"; "postgresql" -> a fresh database's URI.
std::string StoreSpec(const std::string& backend, const TempDir& dir);

struct TestDevice {
  std::string user_id, device_id, token;
  Bytes sign_pk, sign_sk, box_pk, box_sk;
};

struct HttpReply {
  int status = 0;  // 0 = no answer (connection failed)
  nlohmann::json body;
  std::string raw;
  std::string content_type;
};

class Harness {
 public:
  explicit Harness(const std::string& backend, srv::ServerOptions options = {});
  // A second server instance over the same store spec (PostgreSQL: another stateless node).
  Harness(const std::string& backend, const std::string& spec, srv::ServerOptions options = {});
  ~Harness();

  srv::ServerStore& store() { return *store_; }
  // The organisation's root key and the administrator's tool (every unit, user and code of the
  // harness is signed into the directory log).
  const lietvedis::sync::RootKey& root() const { return root_; }
  srv::DirectoryAdmin& admin() { return *admin_; }
  // An enrolment request for `code` and the device's keys, bound as a client binds it.
  static pr::EnrolRequest EnrolRequestFor(const std::string& code, const TestDevice& d);
  srv::Server& server() { return *server_; }
  const std::string& spec() const { return spec_; }
  const std::string& backend() const { return backend_; }
  TempDir& dir() { return dir_; }

  std::atomic<std::int64_t> now{0};  // the server's clock (ms); starts at the real time
  // The server's request log so far. The logger runs after the response is sent, so a
  // caller waits for the line it expects.
  std::vector<std::string> LogLines();
  bool WaitForLog(const std::string& needle, int timeout_ms = 3000);

  std::string AddUnit(const std::string& name = "Liepāja");
  std::string AddUser(const std::string& role, const std::string& unit_id,
                      const std::string& name = "Test User");
  std::string IssueCode(const std::string& user_id, std::int64_t ttl_ms = 3600 * 1000);
  static TestDevice NewDeviceKeys();
  // Enrols a fresh device for `user_id` and opens a session; throws on failure.
  TestDevice Enrol(const std::string& user_id);
  void Login(TestDevice& d);

  HttpReply Post(const std::string& path, const nlohmann::json& body,
                 const std::string& token = {});
  HttpReply PostRaw(const std::string& path, const std::string& body, const std::string& token = {},
                    const std::string& protocol_version = "1");
  HttpReply Get(const std::string& path, const std::string& token = {});

  // Registers a scope as `d`; returns the HTTP status.
  int Register(const TestDevice& d, const std::string& scope, const std::string& kind,
               const std::string& unit_id, const std::string& owner);
  // Publishes a wrap of `key` at `version` for the listed devices (sealed to their box keys).
  int PublishKey(const TestDevice& by, const std::string& scope, std::uint32_t version,
                 const Bytes& key, const std::vector<const TestDevice*>& to);

  static Bytes NewScopeKey();
  static std::string NewBatchId();
  // Encrypts `plaintext` under `key` and signs it as `d`.
  static pr::Envelope Seal(const TestDevice& d, const std::string& scope, std::uint32_t version,
                           const Bytes& key, const std::string& plaintext,
                           const std::string& batch_id = NewBatchId());
  HttpReply Push(const TestDevice& d, const std::vector<pr::Envelope>& envelopes);
  // Pulls every page from `cursor`; returns the envelopes and updates `cursor`. `query` is
  // appended to each request ("&max_bytes=500&format=bin"); binary pages are decoded.
  std::vector<pr::Envelope> PullAll(const TestDevice& d, std::string& cursor, int limit = 100,
                                    const std::string& query = {});

 private:
  void StartServer(srv::ServerOptions options);
  std::string backend_;
  TempDir dir_;
  std::string spec_;
  std::unique_ptr<srv::ServerStore> store_;
  lietvedis::sync::RootKey root_;
  std::unique_ptr<srv::DirectoryAdmin> admin_;
  std::unique_ptr<srv::Server> server_;
  std::unique_ptr<httplib::Client> http_;
  std::mutex http_mu_;
  std::mutex log_mu_;
  std::vector<std::string> log_lines_;
};

}  // namespace lietvedis::testing::server_harness
