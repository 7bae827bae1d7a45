// The address rule (sync/server_address.hpp): http:// only to loopback and without a pin,
// https:// only with a pin; and the transport applies it before it connects.
#include "sync/server_address.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "sync/http_transport.hpp"

using namespace lietvedis;
using sync::CheckServerAddress;

namespace {

const std::string kPin(64, 'a');

// The refusal's message, or "" when the address is accepted.
std::string Refusal(const std::string& url, const std::string& pin) {
  auto r = CheckServerAddress(url, pin);
  if (r.ok()) return {};
  CHECK(r.error().code == Errc::kValidation);
  return r.error().message;
}

}  // namespace

TEST_CASE("Loopback hosts are 127.0.0.0/8, ::1 and localhost, by what the URL says",
          "[sync][tls]") {
  for (const char* host : {"127.0.0.1", "127.255.0.9", "::1", "[::1]", "localhost", "LocalHost"}) {
    INFO(host);
    CHECK(sync::IsLoopbackHost(host));
  }
  for (const char* host : {"128.0.0.1", "10.0.0.1", "0.0.0.0", "::", "::2", "::ffff:127.0.0.1",
                           "127.0.0.1.evil.lv", "localhost.lv", "lv.example", "127.1", "", "[]"}) {
    INFO(host);
    CHECK_FALSE(sync::IsLoopbackHost(host));
  }
}

TEST_CASE("Plain http is refused beyond loopback, with the URL and the reason", "[sync][tls]") {
  const std::string m = Refusal("http://lv.example:8443", "");
  CHECK(m.find("server address http://lv.example:8443 is refused") != std::string::npos);
  CHECK(m.find("only to this computer") != std::string::npos);
  CHECK(m.find("https://") != std::string::npos);
  CHECK_FALSE(Refusal("http://10.1.2.3:8443", "").empty());
  CHECK_FALSE(Refusal("http://0.0.0.0:8443", "").empty());
  CHECK_FALSE(Refusal("http://127.0.0.1.nip.io:8443", "").empty());
  CHECK_FALSE(Refusal("http://[2001:db8::1]:8443", "").empty());
  // A pin changes nothing for a remote host over http.
  CHECK_FALSE(Refusal("http://lv.example:8443", kPin).empty());
}

TEST_CASE("Plain http to loopback is accepted, without a pin", "[sync][tls]") {
  for (const char* url : {"http://127.0.0.1:8443", "http://127.0.0.1:8443/", "http://localhost:1",
                          "http://[::1]:8443", "http://127.3.2.1"}) {
    INFO(url);
    CHECK(Refusal(url, "").empty());
  }
  auto a = CheckServerAddress("http://[::1]:8443", "");
  REQUIRE(a.ok());
  CHECK_FALSE(a->tls);
  CHECK(a->host == "::1");
  CHECK(a->port == 8443);
  // A pin with http would protect nothing: refused rather than silently ignored.
  const std::string m = Refusal("http://127.0.0.1:8443", kPin);
  CHECK(m.find("http:// has no certificate") != std::string::npos);
}

TEST_CASE("https needs the certificate pin", "[sync][tls]") {
  auto a = CheckServerAddress("https://lv.example:8443", kPin);
  REQUIRE(a.ok());
  CHECK(a->tls);
  CHECK(a->host == "lv.example");
  CHECK(a->port == 8443);
  const std::string none = Refusal("https://lv.example:8443", "");
  CHECK(none.find("https://lv.example:8443 is refused") != std::string::npos);
  CHECK(none.find("SHA-256 pin") != std::string::npos);
  CHECK(Refusal("https://lv.example", std::string(63, 'a')).find("not a SHA-256") !=
        std::string::npos);
  CHECK_FALSE(Refusal("https://lv.example", std::string(64, 'A')).empty());  // lowercase only
  CHECK_FALSE(Refusal("https://lv.example", std::string(64, 'g')).empty());
  CHECK(Refusal("https://127.0.0.1:8443", kPin).empty());  // loopback over TLS: pinned too
  CHECK_FALSE(Refusal("https://127.0.0.1:8443", "").empty());
}

TEST_CASE("What is not scheme://host[:port] is not an address", "[sync][tls]") {
  for (const char* url :
       {"", "lv.example:8443", "ftp://lv.example", "HTTPS://lv.example", "https://", "https:///v1",
        "https://lv.example/v1", "https://lv.example:8443/v1/pull", "https://lv.example?x=1",
        "https://user:pw@lv.example", "https://lv.example:", "https://lv.example:0",
        "https://lv.example:65536", "https://lv.example:84x3", "https://[::1", "https://[nope]:1",
        "https://lv example", "https://:8443"}) {
    INFO(url);
    const std::string m = Refusal(url, kPin);
    CHECK_FALSE(m.empty());
    CHECK(m.find("is refused") != std::string::npos);
  }
}

TEST_CASE("The transport refuses what the rule refuses, before connecting", "[sync][tls]") {
  auto remote = sync::HttpTransport::Create("http://lv.example:8443", "", 100, 100);
  REQUIRE_FALSE(remote.ok());
  CHECK(remote.error().code == Errc::kValidation);
  CHECK(remote.error().message == Refusal("http://lv.example:8443", ""));
  auto unpinned = sync::HttpTransport::Create("https://lv.example:8443", "", 100, 100);
  REQUIRE_FALSE(unpinned.ok());
  CHECK(unpinned.error().message.find("SHA-256 pin") != std::string::npos);
  CHECK(sync::HttpTransport::Create("http://127.0.0.1:1", "", 100, 100).ok());
  CHECK(sync::HttpTransport::Create("https://lv.example:8443", kPin, 100, 100).ok());
  // Accepted but nobody listens: a network error naming the address.
  auto local = sync::HttpTransport::Create("http://127.0.0.1:1", "", 200, 200);
  REQUIRE(local.ok());
  auto got = (*local)->Get("/v1/health");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code == Errc::kNetwork);
  CHECK(got.error().message.find("http://127.0.0.1:1") != std::string::npos);
}
