#include "tests/support/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <list>
#include <mutex>
#include <random>
#include <thread>

namespace lietvedis::testing {

FaultPlan FaultPlan::OneIn(int n) {
  const double p = 1.0 / n;
  FaultPlan plan;
  plan.drop = plan.reset_before_answer = plan.truncate_answer = plan.delay = plan.duplicate = p;
  return plan;
}

namespace {

enum class Fault { kNone, kDrop, kReset, kTruncate, kDelay, kDuplicate };

constexpr std::size_t kMaxHeaders = 64 * 1024;

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

// Reads more bytes into `buf`; false on EOF, error, or `stopping` (checked every 50 ms).
bool ReadMore(int fd, std::string& buf, const std::atomic<bool>& stopping) {
  char chunk[16 * 1024];
  for (;;) {
    if (stopping) return false;
    pollfd pfd{fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, 50);
    if (ready == 0) continue;
    if (ready < 0) return false;
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The value of header `name` (lower case) in `head`, or "" .
std::string Header(const std::string& head, const std::string& name) {
  const std::string lower = Lower(head);
  const std::size_t at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  std::size_t from = at + 3 + name.size();
  const std::size_t end = lower.find("\r\n", from);
  while (from < end && lower[from] == ' ') ++from;
  return lower.substr(from, end - from);
}

// One HTTP message (headers and a Content-Length body) from the front of `buf`, reading more
// from `fd` as needed; the rest stays in `buf`. `until_eof`: without Content-Length the body
// runs to the end of the stream (an answer); otherwise it is empty (a request). False when the
// stream ends or breaks first, or the message is chunked.
bool ReadMessage(int fd, std::string& buf, std::string& message, bool until_eof,
                 const std::atomic<bool>& stopping) {
  std::size_t head_end;
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (buf.size() > kMaxHeaders || !ReadMore(fd, buf, stopping)) return false;
  }
  head_end += 4;
  const std::string head = buf.substr(0, head_end);
  if (Header(head, "transfer-encoding").find("chunked") != std::string::npos) return false;
  const std::string length = Header(head, "content-length");
  if (length.empty() && until_eof) {
    while (ReadMore(fd, buf, stopping)) {
    }
    message = std::move(buf);
    buf.clear();
    return !stopping;
  }
  const std::size_t total = head_end + (length.empty() ? 0 : std::stoull(length));
  while (buf.size() < total) {
    if (!ReadMore(fd, buf, stopping)) return false;
  }
  message = buf.substr(0, total);
  buf.erase(0, total);
  return true;
}

}  // namespace

struct FaultProxy::Impl {
  std::string upstream_url;
  int upstream_port = 0;
  std::uint64_t seed = 0;
  int listen_fd = -1;
  int port = 0;
  std::thread acceptor;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;  // guards everything below
  FaultPlan plan;
  std::mt19937_64 rng;
  FaultCounters counters;
  struct Client {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  std::list<Client> clients;

  void Accept();
  void Serve(Client& c);
  // The fault for the next request and, for a truncation, the fraction of the answer kept;
  // for a delay, the milliseconds.
  Fault Draw(double& fraction, int& delay_ms);
  // One request to the server on a connection of its own; its whole answer, or false.
  bool Forward(const std::string& request, std::string& answer);
  void Reap(bool all);
};

Fault FaultProxy::Impl::Draw(double& fraction, int& delay_ms) {
  std::lock_guard<std::mutex> g(mu);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  const double x = coin(rng);
  fraction = coin(rng);
  delay_ms = 1 + static_cast<int>(coin(rng) * std::max(1, plan.max_delay_ms));
  double edge = plan.drop;
  if (x < edge) return Fault::kDrop;
  if (x < (edge += plan.reset_before_answer)) return Fault::kReset;
  if (x < (edge += plan.truncate_answer)) return Fault::kTruncate;
  if (x < (edge += plan.delay)) return Fault::kDelay;
  if (x < (edge += plan.duplicate)) return Fault::kDuplicate;
  return Fault::kNone;
}

bool FaultProxy::Impl::Forward(const std::string& request, std::string& answer) {
  const int sfd = socket(AF_INET, SOCK_STREAM, 0);
  if (sfd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(upstream_port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(sfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (ok) {
    const int one = 1;
    (void)setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ok = WriteAll(sfd, request.data(), request.size());
  }
  if (ok) {
    {
      std::lock_guard<std::mutex> g(mu);
      ++counters.forwarded;
    }
    std::string buf;
    ok = ReadMessage(sfd, buf, answer, /*until_eof=*/true, stopping);
  }
  ::close(sfd);
  return ok;
}

void FaultProxy::Impl::Serve(Client& c) {
  std::string buf, request, answer;
  while (!stopping) {
    if (!ReadMessage(c.fd, buf, request, /*until_eof=*/false, stopping)) break;
    double fraction = 0;
    int delay_ms = 0;
    const Fault fault = Draw(fraction, delay_ms);
    {
      std::lock_guard<std::mutex> g(mu);
      ++counters.requests;
      switch (fault) {
        case Fault::kDrop:
          ++counters.drops;
          break;
        case Fault::kReset:
          ++counters.resets;
          break;
        case Fault::kTruncate:
          ++counters.truncations;
          break;
        case Fault::kDelay:
          ++counters.delays;
          break;
        case Fault::kDuplicate:
          ++counters.duplicates;
          break;
        case Fault::kNone:
          break;
      }
    }
    if (fault == Fault::kDrop) break;
    if (fault == Fault::kDelay) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    if (!Forward(request, answer)) break;
    if (fault == Fault::kDuplicate) {
      std::string second;
      (void)Forward(request, second);  // the server acts twice; the client sees the first
    }
    if (fault == Fault::kReset) break;
    if (fault == Fault::kTruncate) {
      const auto keep = static_cast<std::size_t>(fraction * static_cast<double>(answer.size()));
      (void)WriteAll(c.fd, answer.data(), std::min(keep, answer.size() - 1));
      break;
    }
    if (!WriteAll(c.fd, answer.data(), answer.size())) break;
    const std::size_t head_end = answer.find("\r\n\r\n");
    if (head_end != std::string::npos &&
        Header(answer.substr(0, head_end + 4), "connection") == "close") {
      shutdown(c.fd, SHUT_RDWR);
      break;
    }
  }
  // Whatever ended the exchange, the client learns it from a reset (or the server's close).
  ResetSocket(c.fd);
  c.done = true;
}

void FaultProxy::Impl::Reap(bool all) {
  std::list<Client> finished;
  {
    std::lock_guard<std::mutex> g(mu);
    for (auto it = clients.begin(); it != clients.end();) {
      if (all || it->done) {
        auto next = std::next(it);
        finished.splice(finished.end(), clients, it);
        it = next;
      } else {
        ++it;
      }
    }
  }
  for (auto& c : finished) {
    if (c.thread.joinable()) c.thread.join();
    ::close(c.fd);
  }
}

void FaultProxy::Impl::Accept() {
  while (!stopping) {
    pollfd pfd{listen_fd, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0) continue;
    const int cfd = accept(listen_fd, nullptr, nullptr);
    if (cfd < 0) continue;
    Reap(false);
    const int one = 1;
    (void)setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard<std::mutex> g(mu);
    ++counters.connections;
    Client& c = clients.emplace_back();
    c.fd = cfd;
    c.thread = std::thread([this, &c] { Serve(c); });
  }
}

FaultProxy::FaultProxy(std::string upstream_url, FaultPlan plan, std::uint64_t seed)
    : impl_(std::make_unique<Impl>()) {
  impl_->upstream_url = std::move(upstream_url);
  impl_->plan = plan;
  impl_->seed = seed;
  impl_->rng.seed(seed);
}

FaultProxy::~FaultProxy() {
  Stop();
}

Result<void> FaultProxy::Start() {
  Impl& m = *impl_;
  const std::string prefix = "http://";
  const std::size_t colon = m.upstream_url.rfind(':');
  if (m.upstream_url.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size()) {
    return MakeError(Errc::kValidation,
                     "fault proxy: upstream " + m.upstream_url + " is not http://host:port");
  }
  m.upstream_port = std::atoi(m.upstream_url.c_str() + colon + 1);
  m.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (m.listen_fd < 0) return MakeError(Errc::kIo, "fault proxy: no socket");
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
    return MakeError(Errc::kIo, "fault proxy: cannot listen on loopback");
  }
  m.port = ntohs(addr.sin_port);
  m.acceptor = std::thread([&m] { m.Accept(); });
  return Ok();
}

void FaultProxy::Stop() {
  Impl& m = *impl_;
  if (m.listen_fd < 0) return;
  m.stopping = true;
  if (m.acceptor.joinable()) m.acceptor.join();
  ::close(m.listen_fd);
  m.listen_fd = -1;
  m.Reap(true);
}

std::string FaultProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::uint64_t FaultProxy::seed() const {
  return impl_->seed;
}

void FaultProxy::SetPlan(const FaultPlan& plan) {
  std::lock_guard<std::mutex> g(impl_->mu);
  impl_->plan = plan;
}

FaultCounters FaultProxy::counters() const {
  std::lock_guard<std::mutex> g(impl_->mu);
  return impl_->counters;
}

}  // namespace lietvedis::testing
