// FaultProxy: an unlucky network between sync clients and a central store, on loopback. An
// HTTP/1.1 proxy that reads each request whole (headers and a Content-Length body), then, as a
// seeded draw decides, does one of:
//   drop       reset the client's connection before forwarding (the server never sees it)
//   reset      forward, let the server answer in full, reset the client before any byte of
//              the answer (the server acted; the client does not know)
//   truncate   forward, pass on a uniformly drawn prefix of the answer, then reset
//   delay      wait 1..max_delay_ms before forwarding, then behave
//   duplicate  forward the request twice (two connections, one after the other) and pass on
//              the first answer (the server acts twice; the client sees once)
//   none       forward and pass on the answer
// Each request goes to the server on its own connection; the client's connection is kept
// alive between requests as the server would. Plain http only (no TLS).
//
// Reproducibility: the draws come from one mt19937_64 seeded with `seed`, taken in the order
// requests arrive, so one client at a time sees the same faults on every run with that seed;
// several clients at once interleave differently. Tests print the seed.
//
// Threading: Start/Stop/SetPlan/counters from any thread; an accept thread and one thread per
// client connection. Stop resets every open connection and joins them all.
// WARNING: for tests only: it trusts both ends and keeps no limits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/result.hpp"

namespace lietvedis::testing {

// Probabilities per request, checked in this order; what is left is "none".
struct FaultPlan {
  double drop = 0;
  double reset_before_answer = 0;
  double truncate_answer = 0;
  double delay = 0;
  double duplicate = 0;
  int max_delay_ms = 40;

  static FaultPlan Calm() { return {}; }
  // Each fault on roughly one request in `n` (and a delay on one in n as well).
  static FaultPlan OneIn(int n);
};

struct FaultCounters {
  std::int64_t connections = 0;
  std::int64_t requests = 0;   // read whole from a client
  std::int64_t forwarded = 0;  // requests the server received (duplicates count twice)
  std::int64_t drops = 0;
  std::int64_t resets = 0;
  std::int64_t truncations = 0;
  std::int64_t delays = 0;
  std::int64_t duplicates = 0;
  std::int64_t Faults() const { return drops + resets + truncations + delays + duplicates; }
};

class FaultProxy {
 public:
  // `upstream_url`: "http://127.0.0.1:<port>".
  FaultProxy(std::string upstream_url, FaultPlan plan, std::uint64_t seed);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // Listens on 127.0.0.1:<ephemeral>. kIo when it cannot; kValidation for an upstream that is
  // not http://host:port.
  Result<void> Start();
  void Stop();

  std::string url() const;  // "http://127.0.0.1:<port>"
  std::uint64_t seed() const;
  // Takes effect from the next request.
  void SetPlan(const FaultPlan& plan);
  FaultCounters counters() const;

  struct Impl;  // fault_proxy.cpp only

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lietvedis::testing
