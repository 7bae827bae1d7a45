// lv_server_bench: N concurrent clients (threads, each an enrolled officer device with its own
// case scope and its own keep-alive connection) push one small signed envelope and then pull
// from their cursor, in a loop, against the real server on loopback, over SQLite and over
// PostgreSQL (a throwaway cluster). The time is split into --runs windows; batches/s is the
// median over windows, latencies are percentiles over every request. The PostgreSQL column is
// also given as a ratio to SQLite measured in the same run.
//
//   lv_server_bench [--clients 50] [--seconds 30] [--runs 5] [--backend sqlite|postgresql|both]
//                   [--payload 512] [--json]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "tests/sync/server_harness.hpp"

using namespace lietvedis::testing::server_harness;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int clients = 50;
  double seconds = 30;
  int runs = 5;
  std::string backend = "both";
  std::size_t payload = 512;
  bool json = false;
};

struct Figures {
  std::string backend;
  double batches_per_s = 0;  // median over windows
  double push_p50_ms = 0, push_p99_ms = 0, pull_p50_ms = 0, pull_p99_ms = 0;
  std::int64_t pushed = 0, pulled = 0, errors = 0, warm_up_errors = 0;
  std::vector<double> window_rates;
};

// Counts an error and prints the first few (status or transport error), for diagnosis.
void NoteError(std::atomic<std::int64_t>& errors, const char* what, const httplib::Result& r) {
  if (errors.fetch_add(1) < 5) {
    if (r) {
      std::fprintf(stderr, "%s: HTTP %d %s\n", what, r->status, r->body.substr(0, 200).c_str());
    } else {
      std::fprintf(stderr, "%s: %s\n", what, httplib::to_string(r.error()).c_str());
    }
  }
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i =
      std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

double Median(std::vector<double> v) {
  return Percentile(std::move(v), 0.5);
}

Figures RunBackend(const std::string& backend, const Options& o) {
  Figures f;
  f.backend = backend;
  srv::ServerOptions so;
  so.worker_threads = std::max(64, o.clients + 8);
  so.log = [](const std::string&) {};  // the request log would dominate; measured separately
  Harness h(backend, so);
  const std::string unit = h.AddUnit();
  const Bytes key = Harness::NewScopeKey();
  std::vector<TestDevice> devices;
  for (int i = 0; i < o.clients; ++i) {
    devices.push_back(h.Enrol(h.AddUser("officer", unit)));
    const std::string scope = "case:bench" + std::to_string(i);
    if (h.Register(devices.back(), scope, "case", unit, devices.back().user_id) != 200 ||
        h.PublishKey(devices.back(), scope, 1, key, {&devices.back()}) != 200) {
      std::fprintf(stderr, "setup failed\n");
      std::exit(1);
    }
  }
  const std::string payload(o.payload, 'p');
  const int windows = std::max(1, o.runs);
  const auto window_len = std::chrono::duration<double>(o.seconds / windows);
  std::atomic<int> window{-1};
  std::atomic<bool> stop{false};
  std::vector<std::atomic<std::int64_t>> window_batches(static_cast<std::size_t>(windows));
  std::vector<std::vector<double>> push_ms(static_cast<std::size_t>(o.clients)),
      pull_ms(static_cast<std::size_t>(o.clients));
  std::atomic<std::int64_t> errors{0}, pulled{0};
  std::atomic<int> ready{0};
  std::atomic<std::int64_t> warm_up_errors{0};

  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", h.server().port());
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(30, 0);
      const httplib::Headers headers{
          {pr::kProtocolHeader, "1"},
          {"Authorization", "Bearer " + devices[static_cast<std::size_t>(i)].token}};
      const std::string scope = "case:bench" + std::to_string(i);
      std::string cursor;
      // Warm-up: open the keep-alive connection before measuring; failures here are counted
      // apart (warm_up_errors) and retried.
      for (int attempt = 0; attempt < 20; ++attempt) {
        auto w = c.Get("/v1/scopes", headers);
        if (w && w->status == 200) break;
        ++warm_up_errors;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      ++ready;
      while (window.load() < 0) std::this_thread::yield();
      while (!stop.load()) {
        const int w = window.load();
        const std::string body =
            pr::ToJson(pr::PushRequest{{Harness::Seal(devices[static_cast<std::size_t>(i)], scope,
                                                      1, key, payload)}})
                .dump();
        auto t0 = Clock::now();
        auto r = c.Post("/v1/push", headers, body, pr::kJsonContentType);
        auto t1 = Clock::now();
        if (!r || r->status != 200) {
          NoteError(errors, "push", r);
          continue;
        }
        push_ms[static_cast<std::size_t>(i)].push_back(
            std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (w >= 0 && w < windows) ++window_batches[static_cast<std::size_t>(w)];
        t0 = Clock::now();
        auto p = c.Get(("/v1/pull?limit=100&cursor=" + cursor).c_str(), headers);
        t1 = Clock::now();
        if (!p || p->status != 200) {
          NoteError(errors, "pull", p);
          continue;
        }
        auto page = pr::ParseBody<pr::PullResponse>(p->body);
        if (!page) {
          ++errors;
          continue;
        }
        cursor = page->cursor;
        pulled += static_cast<std::int64_t>(page->envelopes.size());
        pull_ms[static_cast<std::size_t>(i)].push_back(
            std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    });
  }
  while (ready.load() < o.clients) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  for (int w = 0; w < windows; ++w) {
    window = w;
    std::this_thread::sleep_for(window_len);
  }
  window = windows;
  stop = true;
  for (auto& t : threads) t.join();

  std::vector<double> all_push, all_pull;
  for (const auto& v : push_ms) all_push.insert(all_push.end(), v.begin(), v.end());
  for (const auto& v : pull_ms) all_pull.insert(all_pull.end(), v.begin(), v.end());
  for (int w = 0; w < windows; ++w) {
    f.window_rates.push_back(
        static_cast<double>(window_batches[static_cast<std::size_t>(w)].load()) /
        window_len.count());
  }
  f.batches_per_s = Median(f.window_rates);
  f.push_p50_ms = Percentile(all_push, 0.5);
  f.push_p99_ms = Percentile(all_push, 0.99);
  f.pull_p50_ms = Percentile(all_pull, 0.5);
  f.pull_p99_ms = Percentile(all_pull, 0.99);
  f.pushed = static_cast<std::int64_t>(all_push.size());
  f.pulled = pulled.load();
  f.errors = errors.load();
  f.warm_up_errors = warm_up_errors.load();
  auto counts = h.store().Counts(h.now.load());
  if (!counts || counts->envelopes != f.pushed) {
    std::fprintf(stderr, "%s: stored envelopes differ from acknowledged pushes\n", backend.c_str());
    ++f.errors;
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--clients")
      o.clients = std::stoi(next());
    else if (a == "--seconds")
      o.seconds = std::stod(next());
    else if (a == "--runs")
      o.runs = std::stoi(next());
    else if (a == "--backend")
      o.backend = next();
    else if (a == "--payload")
      o.payload = static_cast<std::size_t>(std::stoul(next()));
    else if (a == "--json")
      o.json = true;
    else {
      std::fprintf(stderr,
                   "usage: lv_server_bench [--clients N] [--seconds S] [--runs R] "
                   "[--backend sqlite|postgresql|both] [--payload BYTES] [--json]\n");
      return 2;
    }
  }
  if (o.clients < 1 || o.seconds <= 0) return 2;
  std::vector<Figures> results;
  try {
    if (o.backend == "sqlite" || o.backend == "both") results.push_back(RunBackend("sqlite", o));
    if (o.backend == "postgresql" || o.backend == "both")
      results.push_back(RunBackend("postgresql", o));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lv_server_bench: %s\n", e.what());
    return 1;
  }
  const double base = results.empty() ? 0 : results[0].batches_per_s;
  std::int64_t errors = 0;
  for (const auto& f : results) errors += f.errors + f.warm_up_errors;
  if (o.json) {
    nlohmann::json out = {{"clients", o.clients},
                          {"seconds", o.seconds},
                          {"runs", o.runs},
                          {"payload_bytes", o.payload},
                          {"results", nlohmann::json::array()}};
    for (const auto& f : results) {
      out["results"].push_back({{"backend", f.backend},
                                {"batches_per_s_median", f.batches_per_s},
                                {"window_batches_per_s", f.window_rates},
                                {"ratio_to_sqlite", base > 0 ? f.batches_per_s / base : 0.0},
                                {"push_p50_ms", f.push_p50_ms},
                                {"push_p99_ms", f.push_p99_ms},
                                {"pull_p50_ms", f.pull_p50_ms},
                                {"pull_p99_ms", f.pull_p99_ms},
                                {"pushed", f.pushed},
                                {"pulled", f.pulled},
                                {"errors", f.errors},
                                {"warm_up_errors", f.warm_up_errors}});
    }
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf(
        "central store: %d clients, push 1 envelope (%zu B plaintext) + pull, %.0f s in %d "
        "windows\n",
        o.clients, o.payload, o.seconds, o.runs);
    std::printf("%-11s %12s %9s %10s %10s %10s %10s %9s %7s\n", "backend", "batches/s", "vs sqlite",
                "push p50", "push p99", "pull p50", "pull p99", "pushed", "errors");
    // errors = failed requests while measuring + failed warm-up connects
    for (const auto& f : results) {
      std::printf("%-11s %12.0f %8.2fx %8.2fms %8.2fms %8.2fms %8.2fms %9lld %7lld\n",
                  f.backend.c_str(), f.batches_per_s, base > 0 ? f.batches_per_s / base : 0.0,
                  f.push_p50_ms, f.push_p99_ms, f.pull_p50_ms, f.pull_p99_ms,
                  static_cast<long long>(f.pushed),
                  static_cast<long long>(f.errors + f.warm_up_errors));
    }
  }
  return errors == 0 ? 0 : 1;
}
