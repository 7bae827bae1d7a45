// Hostile input at the central store's front door: request framing (chunked bodies, bad or
// oversized Content-Length, bodies of the wrong protocol version), JSON that is cheap to send
// and dear to hold, unauthenticated challenges, and log lines forged through the path. Each
// runs against the real server over a raw socket, so the bytes are exactly what an attacker
// would send.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
// From ASan's runtime (sanitizer/allocator_interface.h, which GCC does not install).
extern "C" unsigned long __sanitizer_get_current_allocated_bytes(void);  // NOLINT
#else
#include <malloc.h>
#endif

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "sync/json_limits.hpp"
#include "tests/sync/server_harness.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::server_harness;

namespace {

// A raw connection to the harness's server.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends what the peer takes; a server that closed early may take less (that is fine).
  void Send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads until the peer closes or `quiet_ms` pass without a byte.
  std::string ReadUntilQuiet(int quiet_ms = 1500) {
    std::string got;
    char buf[4096];
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, quiet_ms) <= 0) break;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
};

int CountOf(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

bool LogHas(Harness& h, const std::string& needle) {
  for (const auto& line : h.LogLines()) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Bytes the process's heap holds now. Under ASan, the allocator's own count (freed blocks kept
// in its quarantine are not held by the program, and RSS would count them).
std::int64_t HeapInUse() {
#if defined(__SANITIZE_ADDRESS__)
  return static_cast<std::int64_t>(__sanitizer_get_current_allocated_bytes());
#else
  const struct mallinfo2 m = mallinfo2();
  return static_cast<std::int64_t>(m.uordblks + m.hblkhd);
#endif
}

const std::string kSmuggled =
    "GET /v1/smuggled HTTP/1.1\r\nHost: x\r\nLietvedis-Protocol: 1\r\n\r\n";

}  // namespace

TEST_CASE("json limits: depth and value counts are bounded before a DOM is built",
          "[sync][server][input]") {
  using sync::CheckJsonShape;
  using sync::JsonLimits;
  const JsonLimits limits{4, 10, 1000};
  auto ok = CheckJsonShape(R"({"a":[1,2,{"b":"[[[[[[,,,,,,,"}]})", limits);
  REQUIRE(ok.ok());  // brackets and commas inside strings do not count
  CHECK(ok->depth == 3);
  CHECK(ok->values == 3);
  auto deep = CheckJsonShape("[[[[[1]]]]]", limits);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().message == "nested deeper than 4 levels");
  auto many = CheckJsonShape("[1,2,3,4,5,6,7,8,9,10,11]", limits);
  REQUIRE_FALSE(many.ok());
  CHECK(many.error().message == "more than 10 values");
  CHECK_FALSE(CheckJsonShape(std::string(1001, ' '), limits).ok());
  // An escaped quote does not end a string.
  CHECK(CheckJsonShape(R"(["\"[[[[[[[[", 1])", limits).ok());

  auto parsed = sync::ParseJsonBounded(std::string(100000, '['), JsonLimits{}, "body");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code == Errc::kProtocol);
  CHECK(parsed.error().message == "body is nested deeper than 32 levels");
  auto syntax = sync::ParseJsonBounded("{\"a\":", JsonLimits{}, "body");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().message == "body is not valid JSON");
}

TEST_CASE("request framing: nothing after a refused body is taken for another request",
          "[sync][server][input]") {
  Harness h("sqlite");
  const std::string head = "POST /v1/enrol HTTP/1.1\r\nHost: x\r\nLietvedis-Protocol: 1\r\n";

  SECTION("a chunked body is refused with 411 and the connection closes") {
    RawConnection c(h.server().port());
    c.Send(head + "Transfer-Encoding: chunked\r\n\r\n1000\r\n" + std::string(4096, '[') + "\r\n" +
           "40\r\n" + kSmuggled);
    const std::string got = c.ReadUntilQuiet();
    CHECK(got.rfind("HTTP/1.1 411", 0) == 0);
    CHECK(got.find("Transfer-Encoding is not accepted") != std::string::npos);
    CHECK(CountOf(got, "HTTP/1.1 ") == 1);
    CHECK(c.closed());
  }
  SECTION("a Content-Length far past the route's limit: 413 at once, without reading the body") {
    struct Case {
      std::string path, length, limit;
    };
    for (const Case& k :
         {Case{"/v1/enrol", "100000000", "65536"}, Case{"/v1/push", "1073741824", "16777216"}}) {
      RawConnection c(h.server().port());
      const auto started = std::chrono::steady_clock::now();
      c.Send("POST " + k.path + " HTTP/1.1\r\nHost: x\r\nLietvedis-Protocol: 1\r\n" +
             "Content-Length: " + k.length + "\r\n\r\n" + std::string(1000, '[') + kSmuggled);
      const std::string got = c.ReadUntilQuiet();
      INFO(k.path);
      CHECK(got.rfind("HTTP/1.1 413", 0) == 0);
      CHECK(got.find("larger than " + k.limit + " bytes") != std::string::npos);
      CHECK(CountOf(got, "HTTP/1.1 ") == 1);
      CHECK(c.closed());
      CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }
  }
  SECTION("two Content-Length headers, or one that is not a number: 400 and close") {
    for (const std::string bad : {"Content-Length: 5\r\nContent-Length: 70\r\n",
                                  "Content-Length: -1\r\n", "Content-Length: 0x10\r\n"}) {
      RawConnection c(h.server().port());
      c.Send(head + bad + "\r\n{}   " + kSmuggled);
      const std::string got = c.ReadUntilQuiet();
      CHECK(got.rfind("HTTP/1.1 400", 0) == 0);
      CHECK(CountOf(got, "HTTP/1.1 ") == 1);
      CHECK(c.closed());
    }
  }
  SECTION("a body without the protocol header is read whole before the 426") {
    // A request placed at byte 4,096 of the body once ran as a request of its own; place one
    // at several offsets around httplib's 4 KiB read buffer.
    std::string body;
    for (const std::size_t at : {1000u, 3900u, 4096u, 8192u, 12000u}) {
      body += std::string(at - std::min<std::size_t>(at, body.size()), ' ') + kSmuggled;
    }
    RawConnection c(h.server().port());
    c.Send("POST /v1/session/challenge HTTP/1.1\r\nHost: x\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    const std::string first = c.ReadUntilQuiet();
    INFO(first);
    CHECK(first.rfind("HTTP/1.1 426", 0) == 0);
    CHECK(CountOf(first, "HTTP/1.1 ") == 1);
    // The same connection is still in step: the next request is answered as itself.
    c.Send(
        "POST /v1/session/challenge HTTP/1.1\r\nHost: x\r\nLietvedis-Protocol: 1\r\n"
        "Content-Length: 22\r\n\r\n{\"device_id\":\"nobody\"}");
    const std::string second = c.ReadUntilQuiet();
    CHECK(second.rfind("HTTP/1.1 404", 0) == 0);
    CHECK(CountOf(second, "HTTP/1.1 ") == 1);
    CHECK_FALSE(c.closed());
  }
  // No smuggled request ever reached a route.
  CHECK(h.WaitForLog("POST /v1/", 3000));
  CHECK_FALSE(LogHas(h, "/v1/smuggled"));
  // And the server keeps serving.
  CHECK(h.PostRaw("/v1/session/challenge", R"({"device_id":"nobody"})").status == 404);
}

TEST_CASE("JSON bodies that are cheap to send and dear to hold are refused before parsing",
          "[sync][server][input]") {
  Harness h("sqlite");
  const std::string unit = h.AddUnit();
  TestDevice officer = h.Enrol(h.AddUser("officer", unit));

  SECTION("routes without a session take small, flat bodies") {
    auto deep = h.PostRaw("/v1/enrol", std::string(60000, '['));
    CHECK(deep.status == 400);
    CHECK(deep.raw.find("nested deeper than 8 levels") != std::string::npos);
    std::string wide = "[";
    for (int i = 0; i < 2000; ++i) wide += "{},";
    wide += "{}]";
    auto many = h.PostRaw("/v1/session/challenge", wide);
    CHECK(many.status == 400);
    CHECK(many.raw.find("more than 256 values") != std::string::npos);
    CHECK(h.PostRaw("/v1/session", std::string(70000, ' ')).status == 413);
  }
  SECTION("16 MiB of '[' or of '{},' to an authenticated route: a 400, not a gigabyte") {
    const long before = PeakRssKb();
    auto deep = h.PostRaw("/v1/push", std::string(pr::kMaxRequestBody - 16, '['), officer.token);
    CHECK(deep.status == 400);
    CHECK(deep.raw.find("nested deeper than 32 levels") != std::string::npos);
    std::string wide = "[";
    while (wide.size() < pr::kMaxRequestBody - 16) wide += "{},";
    wide += "{}]";
    auto many = h.PostRaw("/v1/push", wide, officer.token);
    CHECK(many.status == 400);
    CHECK(many.raw.find("values") != std::string::npos);
    // The bodies themselves are 16 MiB each (client and server copies); a DOM of either was
    // over a gigabyte.
    CHECK(PeakRssKb() - before < 400 * 1024);
  }
  CHECK(h.Get("/v1/scopes", officer.token).status == 200);
}

// Issue 16's bound: what anyone who reaches the server can make it hold at once. 64 clients
// without a session send worst-case bodies at the same moment (64 KiB of '[', 64 KiB of '{},',
// and Content-Length claims of 16 MiB that are never read), each of them four times, while a
// signed-in officer keeps asking for its scopes: the heap of the process (server and the 64
// clients' own buffers), sampled every millisecond, never holds 64 MiB more than before, and
// every one of the officer's requests is answered.
TEST_CASE("64 concurrent worst-case bodies without a session: bounded memory, service goes on",
          "[sync][server][input]") {
  Harness h("sqlite");
  const std::string unit = h.AddUnit();
  TestDevice officer = h.Enrol(h.AddUser("officer", unit));
  const int port = h.server().port();
  const std::string deep(64 * 1024 - 64, '[');
  std::string wide = "[";
  while (wide.size() < 64 * 1024 - 64) wide += "{},";
  wide += "{}]";
  const char* routes[] = {"/v1/enrol", "/v1/session/challenge", "/v1/session"};
  const std::int64_t heap_before = HeapInUse();
  std::atomic<int> answered_400{0}, answered_413{0}, other{0};
  std::atomic<bool> attack_done{false};
  std::int64_t heap_peak = heap_before;
  std::thread sampler([&] {
    while (!attack_done.load()) {
      heap_peak = std::max(heap_peak, HeapInUse());
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::vector<std::thread> attackers;
  for (int t = 0; t < 64; ++t) {
    attackers.emplace_back([&, t] {
      for (int round = 0; round < 4; ++round) {
        const std::string route = routes[(t + round) % 3];
        std::string request =
            "POST " + route +
            " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nLietvedis-Protocol: 1\r\n"
            "Content-Type: application/json\r\n";
        const int kind = (t + 2 * round) % 3;
        if (kind == 2) {
          request += "Content-Length: " + std::to_string(pr::kMaxRequestBody) + "\r\n\r\n";
        } else {
          const std::string& body = kind == 0 ? deep : wide;
          request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        }
        RawConnection c(port);
        c.Send(request);
        const std::string got = c.ReadUntilQuiet(5000);
        if (got.rfind("HTTP/1.1 400", 0) == 0) {
          ++answered_400;
        } else if (got.rfind("HTTP/1.1 413", 0) == 0) {
          ++answered_413;
        } else {
          ++other;
        }
      }
    });
  }
  int served = 0, refused = 0;
  std::thread officer_thread([&] {
    while (!attack_done.load()) {
      (h.Get("/v1/scopes", officer.token).status == 200 ? served : refused)++;
    }
  });
  for (auto& t : attackers) t.join();
  attack_done = true;
  officer_thread.join();
  sampler.join();
  const std::int64_t grown_kb = (heap_peak - heap_before) / 1024;
  INFO("heap peak " << grown_kb / 1024 << " MiB above idle; officer served " << served);
  CHECK(answered_400 + answered_413 == 64 * 4);
  CHECK(answered_413 > 0);
  CHECK(other == 0);
  CHECK(served > 0);
  CHECK(refused == 0);
  CHECK(grown_kb < 64 * 1024);
}

TEST_CASE("unauthenticated challenges cannot grow the store", "[sync][server][input]") {
  Harness h("sqlite");
  const std::string unit = h.AddUnit();
  TestDevice officer = h.Enrol(h.AddUser("officer", unit));
  const auto counts = [&] {
    auto c = h.store().Counts(h.now.load());
    REQUIRE(c.ok());
    return *c;
  };
  const std::int64_t before = counts().challenges;
  nlohmann::json last;
  for (int i = 0; i < 50; ++i) {
    auto r = h.Post("/v1/session/challenge", {{"device_id", officer.device_id}});
    REQUIRE(r.status == 200);
    last = r.body;
  }
  CHECK(counts().challenges <= before + srv::ServerStore::kMaxChallengesPerDevice);
  // Unknown devices add nothing.
  for (int i = 0; i < 20; ++i) {
    CHECK(h.Post("/v1/session/challenge", {{"device_id", "nobody" + std::to_string(i)}}).status ==
          404);
  }
  CHECK(counts().challenges <= before + srv::ServerStore::kMaxChallengesPerDevice);
  // Expired challenges leave with the next one.
  h.now += 10LL * 60 * 1000;
  REQUIRE(h.Post("/v1/session/challenge", {{"device_id", officer.device_id}}).status == 200);
  CHECK(counts().challenges == 1);
  // The device still signs in.
  h.Login(officer);
  CHECK(h.Get("/v1/scopes", officer.token).status == 200);
}

TEST_CASE("a path cannot forge a line of the server's log", "[sync][server][input]") {
  Harness h("sqlite");
  auto r = h.Get("/v1/x%0aPOST%20/v1/push%20200%20device=forged");
  CHECK(r.status == 404);
  REQUIRE(h.WaitForLog("/v1/x\\x0aPOST"));
  for (const auto& line : h.LogLines()) {
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.rfind("POST /v1/push 200 device=forged", 0) != 0);
  }
}
