// Server: the central store's HTTP(S) front (cpp-httplib) over a ServerStore, implementing every
// endpoint of docs/PROTOCOL.md: enrolment, challenge/response sessions, the directory, scope
// registration and reassignment, key wraps, push and pull.
//
// Access control is the scope table of PROTOCOL.md (CanRead in server_store.hpp), derived from
// the directory and each scope's registration at the time of the request: a reassigned scope
// stops being served to its old owner at once (403 on push, nothing on pull) and is backfilled
// to the new owner on the next pull. The server never decrypts anything; it checks envelope
// shape, author == session device, that the author reads the scope, the key version, and the
// Ed25519 signature, and rejects a whole push on the first bad envelope.
//
// Logs: one line per request: method, path (no query), status, device id, request and response
// sizes, milliseconds. Never names, codes, tokens or content.
//
// Threading: Start() runs the listener on its own thread with a pool of worker threads; Stop()
// (or the destructor) stops it and joins. The ServerStore must outlive the Server.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "storage/result.hpp"
#include "sync/server/server_store.hpp"

namespace lietvedis::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;           // 0 = any free port (see Server::port())
  std::string cert_file;  // PEM; with key_file: HTTPS
  std::string key_file;
  int worker_threads = 64;  // keep-alive connections each hold a worker
  std::int64_t session_ttl_ms = 12LL * 3600 * 1000;
  std::int64_t challenge_ttl_ms = 2LL * 60 * 1000;
  std::function<std::int64_t()> now_ms;         // empty = system clock (Unix ms)
  std::function<void(const std::string&)> log;  // empty = one line to stderr per request
};

class Server {
 public:
  Server(ServerStore& store, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on a background thread. kIo if the address cannot be bound or
  // the certificate/key cannot be loaded.
  Result<void> Start();
  void Stop();
  int port() const;
  bool tls() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT" or "https://..."

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Lowercase hex SHA-256 of a PEM certificate's DER encoding (what clients pin). kIo / kValidation.
Result<std::string> CertificateFingerprint(const std::string& cert_file);

// Milliseconds since the Unix epoch.
std::int64_t SystemNowMs();

}  // namespace lietvedis::server
