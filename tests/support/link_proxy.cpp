#include "tests/support/link_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace lietvedis::testing {

using Clock = std::chrono::steady_clock;

LinkProfile LinkProfile::Office() {
  return {"office", 20'000'000, 20'000'000, 30, 0.0};
}
LinkProfile LinkProfile::Mobile() {
  return {"mobile", 2'000'000, 2'000'000, 150, 0.0};
}
LinkProfile LinkProfile::Poor() {
  return {"poor", 256'000, 256'000, 400, 0.01};
}
LinkProfile LinkProfile::Named(const std::string& name) {
  if (name == "mobile") return Mobile();
  if (name == "poor") return Poor();
  return Office();
}

namespace {

// Small chunks keep the pacing smooth: at 256 kbit/s, 4 KiB is 128 ms of the link.
constexpr std::size_t kChunk = 4096;

// One direction of the link, shared by every connection: when it is free again.
struct Lane {
  std::mutex mu;
  Clock::time_point free_at{};
  std::int64_t bits_per_s = 0;

  // When `n` bytes handed over now have crossed the lane (before the latency).
  Clock::time_point Occupy(std::size_t n) {
    std::lock_guard<std::mutex> g(mu);
    const auto now = Clock::now();
    if (free_at < now) free_at = now;
    if (bits_per_s > 0) {
      free_at +=
          std::chrono::microseconds(static_cast<std::int64_t>(n) * 8 * 1'000'000 / bits_per_s);
    }
    return free_at;
  }
};

struct Piece {
  Clock::time_point at;
  std::string bytes;
  bool reset_after = false;  // the connection is reset once these bytes are written
  bool eof = false;          // the source closed: shut the destination's write side
};

void ResetSocket(int fd) {
  linger l{1, 0};  // close with RST
  (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  (void)shutdown(fd, SHUT_RDWR);
}

bool WriteAll(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

struct Connection;

struct LinkProxy::Impl {
  std::string upstream_url, scheme;
  int upstream_port = 0;
  LinkProfile profile;
  std::mt19937_64 rng;
  Lane up, down;
  int listen_fd = -1;
  int port = 0;
  std::thread acceptor;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;  // the fields below
  std::list<std::unique_ptr<Connection>> connections;
  std::string cut_prefix;
  CutPoint cut_where = CutPoint::kMidRequest;
  bool cut_armed = false, cut_done = false;
  LinkCounters counters;

  void Accept();
  void Reap(bool all);
  // The armed cut, when `chunk` holds the start of its request; consumes it.
  bool TakeCut(std::string_view chunk, std::size_t* at, CutPoint* where) {
    std::lock_guard<std::mutex> g(mu);
    for (std::size_t p = chunk.find("/v1/"); p != std::string_view::npos;
         p = chunk.find("/v1/", p + 1)) {
      ++counters.request_lines;
    }
    if (!cut_armed) return false;
    const std::size_t p = chunk.find(cut_prefix);
    if (p == std::string_view::npos) return false;
    cut_armed = false;
    cut_done = true;
    *at = p;
    *where = cut_where;
    return true;
  }
  void Count(bool upward, std::size_t n, bool reset) {
    std::lock_guard<std::mutex> g(mu);
    (upward ? counters.bytes_up : counters.bytes_down) += static_cast<std::int64_t>(n);
    if (reset) ++counters.resets;
  }
};

// One relayed connection: for each direction a reader (paces the bytes onto the lane) and a
// writer (delivers each piece when it is due).
struct Connection {
  LinkProxy::Impl* proxy = nullptr;
  int client_fd = -1, server_fd = -1;
  std::atomic<bool> dead{false};
  std::atomic<bool> cut_answer{false};  // the next answer bytes are cut in half
  std::int64_t reset_after_down = -1;   // random reset: after this many answer bytes
  std::int64_t down_seen = 0;

  struct Queue {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Piece> pieces;
    void Push(Piece p) {
      {
        std::lock_guard<std::mutex> g(mu);
        pieces.push_back(std::move(p));
      }
      cv.notify_all();
    }
  } up_q, down_q;
  std::thread threads[4];
  std::atomic<int> finished{0};

  void Reset() {
    if (dead.exchange(true)) return;
    ResetSocket(client_fd);
    ResetSocket(server_fd);
    for (Queue* q : {&up_q, &down_q}) {
      { std::lock_guard<std::mutex> g(q->mu); }  // a writer between its check and its wait
      q->cv.notify_all();
    }
  }

  void Read(bool upward) {
    const int src = upward ? client_fd : server_fd;
    Lane& lane = upward ? proxy->up : proxy->down;
    Queue& q = upward ? up_q : down_q;
    const auto half_rtt = std::chrono::microseconds(proxy->profile.rtt_ms * 500);
    std::string buf(kChunk, '\0');
    while (!dead) {
      const ssize_t n = recv(src, buf.data(), buf.size(), 0);
      if (n <= 0) {
        q.Push(Piece{Clock::now(), {}, false, true});
        break;
      }
      Piece p{{}, buf.substr(0, static_cast<std::size_t>(n)), false, false};
      if (upward) {
        std::size_t at = 0;
        CutPoint where{};
        if (proxy->TakeCut(p.bytes, &at, &where)) {
          if (where == CutPoint::kMidRequest) {
            p.bytes.resize(at + std::max<std::size_t>(1, (p.bytes.size() - at) / 2));
            p.reset_after = true;
          } else {
            cut_answer = true;
          }
        }
      } else {
        if (cut_answer.exchange(false)) {
          p.bytes.resize(std::max<std::size_t>(1, p.bytes.size() / 2));
          p.reset_after = true;
        } else if (reset_after_down >= 0 &&
                   down_seen + static_cast<std::int64_t>(p.bytes.size()) > reset_after_down) {
          p.bytes.resize(
              static_cast<std::size_t>(std::max<std::int64_t>(1, reset_after_down - down_seen)));
          p.reset_after = true;
        }
        down_seen += static_cast<std::int64_t>(p.bytes.size());
      }
      p.at = lane.Occupy(p.bytes.size()) + half_rtt;
      const bool last = p.reset_after;
      q.Push(std::move(p));
      if (last) break;
    }
    ++finished;
  }

  void Write(bool upward) {
    const int dst = upward ? server_fd : client_fd;
    Queue& q = upward ? up_q : down_q;
    for (;;) {
      Piece p;
      {
        std::unique_lock<std::mutex> g(q.mu);
        q.cv.wait(g, [&] { return dead || !q.pieces.empty(); });
        if (dead) break;
        p = std::move(q.pieces.front());
        q.pieces.pop_front();
      }
      {
        // Wait until the piece is due (or the connection dies).
        std::unique_lock<std::mutex> g(q.mu);
        q.cv.wait_until(g, p.at, [&] { return dead.load(); });
        if (dead) break;
      }
      if (p.eof) {
        (void)shutdown(dst, SHUT_WR);
        break;
      }
      // Counted before the write: the reader may act on these bytes (and a test read the
      // counters) before this thread would get to count them after it.
      proxy->Count(upward, p.bytes.size(), p.reset_after);
      const bool ok = WriteAll(dst, p.bytes.data(), p.bytes.size());
      if (p.reset_after || !ok) {
        Reset();
        break;
      }
    }
    ++finished;
  }

  void Start() {
    threads[0] = std::thread([this] { Read(true); });
    threads[1] = std::thread([this] { Read(false); });
    threads[2] = std::thread([this] { Write(true); });
    threads[3] = std::thread([this] { Write(false); });
  }
  void Join() {
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
    ::close(client_fd);
    ::close(server_fd);
  }
};

void LinkProxy::Impl::Reap(bool all) {
  std::list<std::unique_ptr<Connection>> done;
  {
    std::lock_guard<std::mutex> g(mu);
    for (auto it = connections.begin(); it != connections.end();) {
      if (all || (*it)->finished == 4) {
        done.push_back(std::move(*it));
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : done) {
    if (all) c->Reset();
    c->Join();
  }
}

void LinkProxy::Impl::Accept() {
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<std::int64_t> where(1, 64 * 1024);
  while (!stopping) {
    pollfd pfd{listen_fd, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0) continue;
    const int cfd = accept(listen_fd, nullptr, nullptr);
    if (cfd < 0) continue;
    Reap(false);
    const int sfd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(upstream_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (sfd < 0 || connect(sfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ResetSocket(cfd);
      ::close(cfd);
      if (sfd >= 0) ::close(sfd);
      continue;
    }
    const int one = 1;
    (void)setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    (void)setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->proxy = this;
    c->client_fd = cfd;
    c->server_fd = sfd;
    if (profile.reset_per_connection > 0 && coin(rng) < profile.reset_per_connection) {
      c->reset_after_down = where(rng);
    }
    Connection* raw = c.get();
    {
      std::lock_guard<std::mutex> g(mu);
      ++counters.connections;
      connections.push_back(std::move(c));
    }
    raw->Start();
  }
}

LinkProxy::LinkProxy(std::string upstream_url, LinkProfile profile, std::uint64_t seed)
    : impl_(std::make_unique<Impl>()) {
  impl_->upstream_url = std::move(upstream_url);
  impl_->profile = std::move(profile);
  impl_->rng.seed(seed);
  impl_->up.bits_per_s = impl_->profile.up_bits_per_s;
  impl_->down.bits_per_s = impl_->profile.down_bits_per_s;
}

LinkProxy::~LinkProxy() {
  Stop();
}

Result<void> LinkProxy::Start() {
  Impl& m = *impl_;
  const std::size_t colon = m.upstream_url.rfind(':');
  const std::size_t scheme_end = m.upstream_url.find("://");
  if (colon == std::string::npos || scheme_end == std::string::npos || colon < scheme_end + 3) {
    return MakeError(Errc::kValidation, "upstream " + m.upstream_url + " has no port");
  }
  m.scheme = m.upstream_url.substr(0, scheme_end);
  m.upstream_port = std::atoi(m.upstream_url.c_str() + colon + 1);
  m.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (m.listen_fd < 0) return MakeError(Errc::kIo, "link proxy: no socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(m.listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(m.listen_fd, 64) != 0 ||
      getsockname(m.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(m.listen_fd);
    m.listen_fd = -1;
    return MakeError(Errc::kIo, "link proxy: cannot listen on loopback");
  }
  m.port = ntohs(addr.sin_port);
  m.acceptor = std::thread([&m] { m.Accept(); });
  return Ok();
}

void LinkProxy::Stop() {
  Impl& m = *impl_;
  if (m.listen_fd < 0) return;
  m.stopping = true;
  if (m.acceptor.joinable()) m.acceptor.join();
  ::close(m.listen_fd);
  m.listen_fd = -1;
  m.Reap(true);
}

std::string LinkProxy::url() const {
  return impl_->scheme + "://127.0.0.1:" + std::to_string(impl_->port);
}

void LinkProxy::CutNext(const std::string& request_prefix, CutPoint where) {
  std::lock_guard<std::mutex> g(impl_->mu);
  impl_->cut_prefix = request_prefix;
  impl_->cut_where = where;
  impl_->cut_armed = true;
  impl_->cut_done = false;
}

bool LinkProxy::CutDone() const {
  std::lock_guard<std::mutex> g(impl_->mu);
  return impl_->cut_done;
}

LinkCounters LinkProxy::counters() const {
  std::lock_guard<std::mutex> g(impl_->mu);
  return impl_->counters;
}

const LinkProfile& LinkProxy::profile() const {
  return impl_->profile;
}

}  // namespace lietvedis::testing
