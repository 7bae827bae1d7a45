// The transport's failures in words, against real sockets on loopback: a server that closes
// the connection before answering, and an address where nothing listens. The message says what
// happened and that local changes are kept, never a library enum name such as "(Read)".
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "sync/http_transport.hpp"

using namespace lietvedis;

namespace {

// Reads one whole request from `c`: its head, then Content-Length bytes of body. False when
// the peer closed first.
bool ReadRequest(int c) {
  std::string got;
  char buf[4096];
  auto complete = [&got] {
    const auto head_end = got.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    std::size_t body = 0;
    const auto cl = got.find("Content-Length: ");
    if (cl != std::string::npos && cl < head_end) body = std::stoul(got.substr(cl + 16));
    return got.size() >= head_end + 4 + body;
  };
  while (!complete()) {
    const ssize_t n = ::read(c, buf, sizeof buf);
    if (n <= 0) return false;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

// What a scripted connection does with each request it reads.
enum class Then { kAnswer, kClose };

// A listening socket on 127.0.0.1 that accepts one connection per script, in turn, and for
// each request read on it answers `200 {}` (keeping the connection) or closes without a byte
// of answer, as its script says; a connection closes when its script ends.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::vector<Then>> scripts) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    REQUIRE(::listen(fd_, 4) == 0);
    thread_ = std::thread([this, scripts = std::move(scripts)] {
      static constexpr char kAnswer[] =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
          "Connection: keep-alive\r\n\r\n{}";
      for (const auto& script : scripts) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        for (Then then : script) {
          if (!ReadRequest(c) || then == Then::kClose) break;
          if (::write(c, kAnswer, sizeof kAnswer - 1) < 0) break;
          ++answered_;
        }
        ::close(c);
      }
    });
  }
  ~ScriptedServer() {
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int answered() const { return answered_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> answered_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE("A connection closed before the answer is reported in words", "[sync][transport]") {
  ScriptedServer server({{Then::kClose}, {Then::kClose}});
  auto transport = sync::HttpTransport::Create(server.url(), "", 2000, 5000);
  REQUIRE(transport.ok());
  auto get = (*transport)->Get("/v1/health", "");
  REQUIRE(!get.ok());
  INFO(get.error().message);
  CHECK(get.error().code == Errc::kNetwork);
  CHECK(get.error().message.find("closed the connection before answering") != std::string::npos);
  CHECK(get.error().message.find("your changes are kept") != std::string::npos);
  CHECK(get.error().message.find("(Read)") == std::string::npos);
  auto post = (*transport)->Post("/v1/push", "{}", "");
  REQUIRE(!post.ok());
  INFO(post.error().message);
  CHECK(post.error().message.find("before answering") != std::string::npos);
}

TEST_CASE("An address where nothing listens is reported in words", "[sync][transport]") {
  // A port that was just free: bound, then closed.
  int port = 0;
  {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
    ::close(fd);
  }
  auto transport =
      sync::HttpTransport::Create("http://127.0.0.1:" + std::to_string(port), "", 2000, 2000);
  REQUIRE(transport.ok());
  auto get = (*transport)->Get("/v1/health", "");
  REQUIRE(!get.ok());
  INFO(get.error().message);
  CHECK(get.error().code == Errc::kNetwork);
  CHECK(get.error().message.find("cannot connect to the server") != std::string::npos);
  CHECK(get.error().message.find("(Connection)") == std::string::npos);
}

// The race a kept-alive connection runs: the server closes it after an idle spell just as the
// next request goes out (httplib's check that the socket is alive came a moment too early).
// The server here reads that request and closes, as such a server does; it never answered it.
TEST_CASE("A request on a connection closed while idle is sent once more, and only then",
          "[sync][transport]") {
  SECTION("after an idle spell: sent again on a new connection, and answered") {
    ScriptedServer server({{Then::kAnswer, Then::kClose}, {Then::kAnswer}});
    auto transport = sync::HttpTransport::Create(server.url(), "", 2000, 5000);
    REQUIRE(transport.ok());
    REQUIRE((*transport)->Get("/v1/health").ok());
    std::this_thread::sleep_for(sync::HttpTransport::kIdleRetryAfter +
                                std::chrono::milliseconds(100));
    auto post = (*transport)->Post("/v1/push", R"({"batches":[]})");
    INFO((post.ok() ? std::string("ok") : post.error().message));
    CHECK(post.ok());
    CHECK((*transport)->idle_retries() == 1);
    CHECK((*transport)->requests() == 3);  // the GET, the POST and its second sending
    CHECK(server.answered() == 2);
  }
  SECTION("busy: the failure is reported, not repeated") {
    ScriptedServer server({{Then::kAnswer, Then::kClose}, {Then::kAnswer}});
    auto transport = sync::HttpTransport::Create(server.url(), "", 2000, 5000);
    REQUIRE(transport.ok());
    REQUIRE((*transport)->Get("/v1/health").ok());
    auto post = (*transport)->Post("/v1/push", R"({"batches":[]})");
    REQUIRE(!post.ok());
    CHECK(post.error().message.find("closed the connection before answering") != std::string::npos);
    CHECK((*transport)->idle_retries() == 0);
    CHECK((*transport)->requests() == 2);
    // The next request connects anew and is answered: the second script.
    CHECK((*transport)->Get("/v1/health").ok());
  }
  SECTION("a second failure after the retry is reported") {
    ScriptedServer server({{Then::kAnswer, Then::kClose}, {Then::kClose}});
    auto transport = sync::HttpTransport::Create(server.url(), "", 2000, 5000);
    REQUIRE(transport.ok());
    REQUIRE((*transport)->Get("/v1/health").ok());
    std::this_thread::sleep_for(sync::HttpTransport::kIdleRetryAfter +
                                std::chrono::milliseconds(100));
    auto get = (*transport)->Get("/v1/health");
    REQUIRE(!get.ok());
    CHECK(get.error().message.find("your changes are kept") != std::string::npos);
    CHECK((*transport)->idle_retries() == 1);
  }
}
