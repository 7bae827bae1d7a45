#include "sync/http_transport.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstring>

#include "sync/protocol.hpp"
#include "sync/server_address.hpp"

namespace lietvedis::sync {

namespace {

// Lowercase hex SHA-256 of the certificate's DER encoding.
std::string Fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return {};
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

// What the handshake saw, for the error message: the pin and the leaf the server presented.
struct PinCheck {
  std::string expected;
  std::string presented;  // "" until a handshake reached the certificate
};

// Replaces OpenSSL's chain verification: the leaf must be the pinned certificate.
int VerifyPinned(X509_STORE_CTX* ctx, void* arg) {
  PinCheck* pin = static_cast<PinCheck*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(ctx);
  pin->presented = leaf == nullptr ? std::string("none") : Fingerprint(leaf);
  if (leaf == nullptr || pin->presented != pin->expected) {
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_CERT_REJECTED);
    return 0;
  }
  return 1;
}

}  // namespace

struct HttpTransport::Impl {
  std::string url;
  std::string host;  // "host:port" as the Host header names it
  PinCheck pin;
  bool tls = false;
  std::unique_ptr<httplib::Client> client;
};

HttpTransport::HttpTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpTransport::~HttpTransport() = default;

Result<std::unique_ptr<HttpTransport>> HttpTransport::Create(const std::string& base_url,
                                                             const std::string& cert_fingerprint,
                                                             int connect_timeout_ms,
                                                             int read_timeout_ms) {
  LV_ASSIGN(ServerAddress address, CheckServerAddress(base_url, cert_fingerprint));
  auto impl = std::make_unique<Impl>();
  impl->url = base_url;
  while (!impl->url.empty() && impl->url.back() == '/') impl->url.pop_back();
  impl->tls = address.tls;
  impl->host = impl->url.substr(impl->url.find("://") + 3);
  impl->pin.expected = cert_fingerprint;
  impl->client = std::make_unique<httplib::Client>(impl->url);
  if (!impl->client->is_valid()) {
    return MakeError(Errc::kValidation, "server address " + base_url + " is not usable");
  }
  impl->client->set_connection_timeout(std::chrono::milliseconds(connect_timeout_ms));
  impl->client->set_read_timeout(std::chrono::milliseconds(read_timeout_ms));
  impl->client->set_write_timeout(std::chrono::milliseconds(read_timeout_ms));
  impl->client->set_keep_alive(true);
  impl->client->set_tcp_nodelay(true);  // a POST goes out as two writes: no Nagle stall
  if (impl->tls) {                      // CheckServerAddress: https always comes with a pin
    impl->client->enable_server_certificate_verification(false);
    SSL_CTX* ctx = impl->client->ssl_context();
    if (ctx == nullptr) return MakeError(Errc::kInternal, "no TLS context for " + base_url);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_cert_verify_callback(ctx, VerifyPinned, &impl->pin);  // Impl outlives ctx
  }
  return std::unique_ptr<HttpTransport>(new HttpTransport(std::move(impl)));
}

static Result<std::string> Answer(httplib::Result& res, const std::string& url, PinCheck* pin) {
  if (!res) {
    const auto err = res.error();
    if (pin != nullptr && !pin->presented.empty() && pin->presented != pin->expected) {
      const std::string seen = pin->presented;
      pin->presented.clear();  // the next connection is judged afresh
      return MakeError(Errc::kTampered, "the server at " + url +
                                            " presented a certificate (SHA-256 " + seen +
                                            ") that does not match the one pinned at enrolment (" +
                                            pin->expected + "); refusing to talk to it");
    }
    if (pin != nullptr &&
        (err == httplib::Error::SSLConnection || err == httplib::Error::SSLServerVerification)) {
      return MakeError(Errc::kNetwork, "the TLS handshake with " + url + " failed (" +
                                           httplib::to_string(err) +
                                           "); is it an https:// server?");
    }
    // In words, for the officer: what happened to the request, and that nothing local was
    // lost (a sync keeps every unsent change queued; the engine may add the count).
    switch (err) {
      case httplib::Error::Connection:
        return MakeError(Errc::kNetwork, "cannot connect to the server at " + url +
                                             ": nothing answered there (is the network up and "
                                             "the address right?); your changes are kept");
      case httplib::Error::ConnectionTimeout:
        return MakeError(Errc::kNetwork, "the server at " + url +
                                             " did not accept the connection in time; your "
                                             "changes are kept");
      case httplib::Error::Read:
        return MakeError(Errc::kNetwork, "the server at " + url +
                                             " closed the connection before answering, or "
                                             "stopped answering; your changes are kept");
      case httplib::Error::Write:
        return MakeError(Errc::kNetwork, "the connection to the server at " + url +
                                             " broke while the request was being sent; your "
                                             "changes are kept");
      case httplib::Error::Canceled:
        return MakeError(Errc::kNetwork,
                         "the request to " + url + " was cancelled; your changes are kept");
      default:
        return MakeError(Errc::kNetwork, "cannot reach the server at " + url + " (" +
                                             httplib::to_string(err) + "); your changes are kept");
    }
  }
  if (res->status < 200 || res->status >= 300) {
    return protocol::ErrorFromResponse(res->status, res->body);
  }
  return std::move(res->body);  // a pull page is megabytes: moved, not copied
}

// The size of a request as httplib writes it: request line, the headers it adds to ours
// (Host, Accept, User-Agent, Content-Type and Content-Length for a body), ours, blank line,
// body.
static std::int64_t RequestBytes(const char* method, const std::string& path,
                                 const std::string& host, const httplib::Headers& headers,
                                 std::size_t body,
                                 const char* content_type = protocol::kJsonContentType) {
  std::size_t n = std::strlen(method) + 1 + path.size() + sizeof(" HTTP/1.1\r\n") - 1;
  auto header = [&n](std::string_view k, std::string_view v) { n += k.size() + v.size() + 4; };
  for (const auto& [k, v] : headers) header(k, v);
  header("Host", host);
  header("Accept", "*/*");
  header("User-Agent", "cpp-httplib/" CPPHTTPLIB_VERSION);
  if (body > 0 || std::strcmp(method, "POST") == 0) {
    header("Content-Type", content_type);
    header("Content-Length", std::to_string(body));
  }
  return static_cast<std::int64_t>(n + 2 + body);
}

// The size of an answer as it came: status line, headers, blank line, body.
static std::int64_t AnswerBytes(const httplib::Result& res) {
  if (!res) return 0;
  std::size_t n = sizeof("HTTP/1.1 200 \r\n") - 1 + res->reason.size();
  for (const auto& [k, v] : res->headers) n += k.size() + v.size() + 4;
  return static_cast<std::int64_t>(n + 2 + res->body.size());
}

static httplib::Headers Headers(const std::string& token) {
  httplib::Headers h{{protocol::kProtocolHeader, std::to_string(protocol::kProtocolVersion)}};
  if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
  return h;
}

// One request, sent again once when it failed on a connection the server may have closed
// while it sat idle (see the header). `send` performs the httplib call.
template <typename Send>
Result<std::string> HttpTransport::Exchange(const char* method, const std::string& path,
                                            std::size_t body_size, const char* content_type,
                                            const std::string& token, Send send) {
  const httplib::Headers headers = Headers(token);
  const std::int64_t request_bytes =
      RequestBytes(method, path, impl_->host, headers, body_size, content_type);
  cancelled_ = false;
  const auto started = std::chrono::steady_clock::now();
  const bool was_idle = last_done_ && started - *last_done_ >= kIdleRetryAfter;
  httplib::Result res = [&] {
    ++requests_;
    bytes_sent_ += request_bytes;
    return send(headers);
  }();
  if (!res && was_idle && !cancelled_ &&
      (res.error() == httplib::Error::Read || res.error() == httplib::Error::Write)) {
    ++idle_retries_;
    ++requests_;
    bytes_sent_ += request_bytes;
    res = send(headers);  // httplib closed the dead socket: this one connects anew
  }
  last_done_ = std::chrono::steady_clock::now();
  bytes_received_ += AnswerBytes(res);
  last_status_ = res ? res->status : 0;
  last_content_type_ = res ? res->get_header_value("Content-Type") : std::string();
  last_accepts_ = res ? res->get_header_value(protocol::kAcceptsHeader) : std::string();
  last_error_body_ = res && (res->status < 200 || res->status >= 300) ? res->body : std::string();
  return Answer(res, impl_->url, impl_->tls ? &impl_->pin : nullptr);
}

Result<std::string> HttpTransport::Get(const std::string& path_and_query,
                                       const std::string& token) {
  return Exchange("GET", path_and_query, 0, protocol::kJsonContentType, token,
                  [&](const httplib::Headers& h) { return impl_->client->Get(path_and_query, h); });
}

Result<std::string> HttpTransport::Post(const std::string& path, const std::string& body,
                                        const std::string& token, const char* content_type) {
  return Exchange("POST", path, body.size(), content_type, token, [&](const httplib::Headers& h) {
    return impl_->client->Post(path, h, body, content_type);
  });
}

void HttpTransport::Cancel() {
  // httplib's stop() is meant for this: it shuts the socket of a request in flight down under
  // the client's socket mutex, so the blocked read on the other thread returns.
  cancelled_ = true;
  impl_->client->stop();
}

}  // namespace lietvedis::sync
