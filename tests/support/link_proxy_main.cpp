// lv_link_proxy: the LinkProxy of tests/support/link_proxy.hpp as a program, so that a baseline
// written in another language (the PouchDB replication of bench/pouchdb_pull.js) crosses the
// same simulated link as the Lietvedis sync benchmark.
//
//   lv_link_proxy --upstream http://127.0.0.1:PORT [--profile office|mobile|poor] [--seed N]
//
// Prints the proxy's address ("http://127.0.0.1:PORT") on the first line of stdout, then
// answers each line "counters" on stdin with one JSON line of the link's counters
// ({"connections":…,"resets":…,"bytes_up":…,"bytes_down":…,"requests":…}); stops at end of
// input. Exit codes: 0 done, 2 usage, 1 the proxy could not start.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "tests/support/link_proxy.hpp"

int main(int argc, char** argv) {
  std::string upstream, profile = "mobile";
  std::uint64_t seed = 42;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--upstream" && i + 1 < argc) {
      upstream = argv[++i];
    } else if (a == "--profile" && i + 1 < argc) {
      profile = argv[++i];
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      upstream.clear();
      break;
    }
  }
  if (upstream.empty() || (profile != "office" && profile != "mobile" && profile != "poor")) {
    std::fprintf(stderr,
                 "usage: lv_link_proxy --upstream http://127.0.0.1:PORT "
                 "[--profile office|mobile|poor] [--seed N]\n");
    return 2;
  }
  lietvedis::testing::LinkProxy proxy(upstream, lietvedis::testing::LinkProfile::Named(profile),
                                      seed);
  if (auto r = proxy.Start(); !r.ok()) {
    std::fprintf(stderr, "lv_link_proxy: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", proxy.url().c_str());
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line != "counters") continue;
    const lietvedis::testing::LinkCounters c = proxy.counters();
    std::printf(
        "{\"connections\":%lld,\"resets\":%lld,\"bytes_up\":%lld,\"bytes_down\":%lld,"
        "\"requests\":%lld}\n",
        static_cast<long long>(c.connections), static_cast<long long>(c.resets),
        static_cast<long long>(c.bytes_up), static_cast<long long>(c.bytes_down),
        static_cast<long long>(c.request_lines));
    std::fflush(stdout);
  }
  proxy.Stop();
  return 0;
}
