// The transport's failures in words, against real sockets on loopback: a server that closes
// the connection before answering, and an address where nothing listens. The message says what
// happened and that local changes are kept, never a library enum name such as "(Read)".
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "sync/http_transport.hpp"

using namespace lietvedis;

namespace {

// A listening socket on 127.0.0.1 that accepts `connections` connections, reads each whole
// request, then closes without a byte of answer.
class ClosingServer {
 public:
  explicit ClosingServer(int connections) {
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
    thread_ = std::thread([this, connections] {
      for (int i = 0; i < connections; ++i) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::string got;
        char buf[4096];
        // The whole request: its head, then Content-Length bytes of body.
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
          if (n <= 0) break;
          got.append(buf, static_cast<std::size_t>(n));
        }
        ::close(c);
      }
    });
  }
  ~ClosingServer() {
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("A connection closed before the answer is reported in words", "[sync][transport]") {
  ClosingServer server(2);
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
