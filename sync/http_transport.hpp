// HttpTransport: the engine's HTTP(S) client for the sync protocol, over httplib::Client.
//
// Every request carries `Lietvedis-Protocol: 1` and, when given, `Authorization: Bearer`.
// A non-2xx answer becomes the Error of the server's error body (protocol::ErrorFromResponse);
// a failed connection, timeout or TLS failure becomes kNetwork in plain words.
//
// Which addresses it accepts is CheckServerAddress's rule (sync/server_address.hpp): http://
// only to loopback and without a pin, https:// only with a pin. TLS: the pin is the lowercase
// hex SHA-256 of the server certificate's DER encoding, carried in the enrolment code; the
// handshake succeeds only when the leaf certificate matches it (the CA chain and host name are
// not consulted). A certificate that does not match fails the request as kTampered, naming the
// URL and both fingerprints.
//
// A kept-alive connection that sat idle may be closed by the server (httplib closes one idle
// for 5 s) just as the next request goes out on it: such a request fails with a read or write
// error although the server never saw it. So a request that fails that way on a connection
// idle for kIdleRetryAfter or longer is sent once more on a new connection. Repeating is
// harmless even when the server did see the first: GETs read; the server takes a push, a scope
// registration or a key wrap it already has as done (by batch id, scope, wrap); a second
// sign-in answer to a used challenge is refused. A cancelled request is not repeated.
//
// Threading: a transport is used by one thread at a time (httplib's client is not thread-safe);
// the engine has one for its own thread and one for its pull prefetch thread. Only Cancel()
// may be called from another thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "sync/protocol.hpp"

namespace lietvedis::sync {

struct HttpReplyBody {
  int status = 0;
  std::string body;
};

class HttpTransport {
 public:
  // kValidation, with CheckServerAddress's message, for an address the rule refuses.
  static Result<std::unique_ptr<HttpTransport>> Create(const std::string& base_url,
                                                       const std::string& cert_fingerprint,
                                                       int connect_timeout_ms, int read_timeout_ms);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // The body of a 2xx answer, or the error.
  Result<std::string> Get(const std::string& path_and_query, const std::string& token = {});
  // `content_type`: kJsonContentType, or kBinaryContentType for a binary push.
  Result<std::string> Post(const std::string& path, const std::string& body,
                           const std::string& token = {},
                           const char* content_type = protocol::kJsonContentType);

  // Aborts the request in flight, if any (it fails as kNetwork); the next request connects
  // anew. The one call that may come from another thread than the transport's user.
  void Cancel();

  // How long a connection sits idle before a read or write failure on it is taken as the
  // server having closed it (see above).
  static constexpr std::chrono::milliseconds kIdleRetryAfter{1000};

  // Counters, for SyncReport, tests and benchmarks. Bytes are HTTP messages as this transport
  // wrote and read them (request and status lines, headers, bodies; inside TLS, without its
  // records): sent counts every request attempted, received every answer that came.
  std::int64_t requests() const { return requests_; }
  // Requests sent again after the server closed their idle connection (see above).
  std::int64_t idle_retries() const { return idle_retries_; }
  std::int64_t bytes_sent() const { return bytes_sent_; }
  std::int64_t bytes_received() const { return bytes_received_; }
  // HTTP status of the last answer; 0 when none came (network failure).
  int last_status() const { return last_status_; }
  // Content-Type of the last answer ("" when none came): tells a binary pull page from JSON.
  const std::string& last_content_type() const { return last_content_type_; }
  // The server's Lietvedis-Accepts header on the last answer ("" when none came or it had none).
  const std::string& last_accepts() const { return last_accepts_; }
  // The body of the last error answer ("" after a 2xx): a refused sign-in carries the
  // root-signed revocation there (docs/PROTOCOL.md "Revocation").
  const std::string& last_error_body() const { return last_error_body_; }

 private:
  struct Impl;
  explicit HttpTransport(std::unique_ptr<Impl> impl);
  template <typename Send>
  Result<std::string> Exchange(const char* method, const std::string& path, std::size_t body_size,
                               const char* content_type, const std::string& token, Send send);
  std::unique_ptr<Impl> impl_;
  std::int64_t requests_ = 0;
  std::int64_t idle_retries_ = 0;
  std::optional<std::chrono::steady_clock::time_point> last_done_;  // the last answer or failure
  std::atomic<bool> cancelled_{false};
  std::int64_t bytes_sent_ = 0;
  std::int64_t bytes_received_ = 0;
  int last_status_ = 0;
  std::string last_content_type_;
  std::string last_accepts_;
  std::string last_error_body_;
};

}  // namespace lietvedis::sync
