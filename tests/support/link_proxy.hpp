// LinkProxy: the links officers really have, on loopback. A TCP proxy between a sync client and
// a central store that imposes a bandwidth in each direction, a round-trip latency, and seeded
// connection resets, for the tests (tests/sync/link_test.cpp) and the sync benchmark.
//
// Model: one link shared by every connection through the proxy (as a laptop's one uplink).
// Each direction has its own rate; a chunk of n bytes occupies that direction for n*8/rate
// seconds after the previous chunk, then arrives half a round trip later. Data is relayed as
// it comes (no buffering of whole requests), so a request and its answer cost one round trip
// plus their bytes over the rate, as on a real link. TCP itself runs over loopback; only the
// proxy's relaying is slowed.
//
// Resets: with probability `reset_per_connection` (seeded), a new connection is reset (RST to
// both ends) after a uniformly drawn number of bytes in its first 64 KiB of answers. Tests
// that need a reset at one exact place arm it with CutNext: the next request whose first line
// starts with a given text ("POST /v1/push") is cut in the middle of the request (the server
// sees half of it) or in the middle of its answer (the server answered; the client gets half).
//
// Threading: Start/Stop/CutNext/counters from any thread; the proxy runs an accept thread and
// four threads per connection (reader and delayed writer per direction). Stop joins them all.
// WARNING: for tests and benchmarks only: it trusts both ends and keeps no limits.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "storage/result.hpp"

namespace lietvedis::testing {

struct LinkProfile {
  std::string name;
  std::int64_t down_bits_per_s = 0;  // server -> client; 0 = unlimited
  std::int64_t up_bits_per_s = 0;    // client -> server; 0 = unlimited
  int rtt_ms = 0;
  double reset_per_connection = 0.0;  // probability that a connection is reset once

  // The profiles of issue 17: symmetric rates, round trip as given.
  static LinkProfile Office();  // 20 Mbit/s, 30 ms
  static LinkProfile Mobile();  // 2 Mbit/s, 150 ms
  static LinkProfile Poor();    // 256 kbit/s, 400 ms, 1 % of connections reset
  // By name ("office", "mobile", "poor"); Office() for anything else.
  static LinkProfile Named(const std::string& name);
};

enum class CutPoint {
  kMidRequest,  // half of the request reaches the server, then both ends get a reset
  kMidAnswer,   // the request reaches the server whole; half of its answer reaches the client
};

struct LinkCounters {
  std::int64_t connections = 0;
  std::int64_t resets = 0;         // random and armed together
  std::int64_t bytes_up = 0;       // client -> server, relayed
  std::int64_t bytes_down = 0;     // server -> client, relayed
  std::int64_t request_lines = 0;  // "GET /v1/" and "POST /v1/" seen in the client's bytes
};

class LinkProxy {
 public:
  // Relays 127.0.0.1:<ephemeral> to `upstream_url` ("http://127.0.0.1:port"; plain TCP, so
  // https works too, end to end).
  LinkProxy(std::string upstream_url, LinkProfile profile, std::uint64_t seed);
  ~LinkProxy();
  LinkProxy(const LinkProxy&) = delete;
  LinkProxy& operator=(const LinkProxy&) = delete;

  // Listens on loopback. kIo when it cannot.
  Result<void> Start();
  void Stop();

  // "http://127.0.0.1:<port>" (or https:// when the upstream is https).
  std::string url() const;

  // Arms one cut: the next request whose first line starts with `request_prefix`
  // ("POST /v1/push", "GET /v1/pull") is cut at `where`. Replaces an armed cut not yet used.
  void CutNext(const std::string& request_prefix, CutPoint where);
  // Whether the armed cut has happened.
  bool CutDone() const;

  LinkCounters counters() const;
  const LinkProfile& profile() const;

  struct Impl;  // link_proxy.cpp only (its connections reach it)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lietvedis::testing
