// lv_server_bench: N concurrent clients (threads, each an enrolled officer device with its own
// case scope and its own keep-alive connection) push one small signed envelope and then pull
// from their cursor, in a loop, against the real server on loopback, over SQLite and over
// PostgreSQL (a throwaway cluster). The time is split into --runs windows; batches/s is the
// median over windows, latencies are percentiles over every request. The PostgreSQL column is
// also given as a ratio to SQLite measured in the same run.
//
// --instances 2 adds a row "postgresql x2": two server processes (this one and a forked child,
// each with its own store and connection pool, on its own port) over one PostgreSQL database;
// client i pushes to instance i % 2 and pulls from the other one.
//
// Every row is checked, not only timed: after the run each client drains its pull, and its
// envelopes must come back exactly once each, with the seq its push was acknowledged with
// (`missing` counts acknowledged ones never pulled, `extra` ones pulled twice or never
// acknowledged), and no seq may have been acknowledged twice (`dup seq`). Any of these is an
// error and fails the run.
//
// --db-cpus LIST (e.g. 1) runs the PostgreSQL cluster on those CPUs only and this process (the
// server, its SQLite store and the clients) on the others, as a deployment with the database on
// its own machine would; without it, every process shares every CPU.
//
//   lv_server_bench [--clients 50] [--seconds 30] [--runs 5] [--backend sqlite|postgresql|both]
//                   [--instances 1|2] [--payload 512] [--db-cpus LIST] [--json]
#include <httplib.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
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
  int instances = 1;
  std::size_t payload = 512;
  std::string db_cpus;  // "" = shared
  bool json = false;
};

// The CPUs of `list` ("1", "0,2", "2-3"); empty when malformed.
std::set<int> ParseCpuList(const std::string& list) {
  std::set<int> out;
  std::size_t at = 0;
  while (at < list.size()) {
    const std::size_t end = std::min(list.find(',', at), list.size());
    const std::string part = list.substr(at, end - at);
    const std::size_t dash = part.find('-');
    try {
      const int lo = std::stoi(part.substr(0, dash));
      const int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
      if (lo < 0 || hi < lo || hi >= CPU_SETSIZE) return {};
      for (int c = lo; c <= hi; ++c) out.insert(c);
    } catch (const std::exception&) {
      return {};
    }
    at = end + 1;
  }
  return out;
}

// Pins this process (and the threads and children it starts later) to the CPUs it may run on
// that are not in `db`, and has the PostgreSQL cluster started on `db` (LIETVEDIS_PG_CPUS).
bool SplitCpus(const std::string& db) {
  const std::set<int> db_cpus = ParseCpuList(db);
  cpu_set_t allowed;
  if (db_cpus.empty() || ::sched_getaffinity(0, sizeof allowed, &allowed) != 0) return false;
  cpu_set_t rest;
  CPU_ZERO(&rest);
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &allowed) && db_cpus.count(c) == 0) CPU_SET(c, &rest);
  }
  for (int c : db_cpus) {
    if (!CPU_ISSET(c, &allowed)) return false;
  }
  if (CPU_COUNT(&rest) == 0 || ::sched_setaffinity(0, sizeof rest, &rest) != 0) return false;
  return ::setenv("LIETVEDIS_PG_CPUS", db.c_str(), 1) == 0;
}

struct Figures {
  std::string backend;
  double batches_per_s = 0;  // median over windows
  double push_p50_ms = 0, push_p99_ms = 0, pull_p50_ms = 0, pull_p99_ms = 0;
  std::int64_t pushed = 0, pulled = 0, errors = 0, warm_up_errors = 0;
  std::int64_t missing = 0, extra = 0, duplicate_seqs = 0;  // the exactly-once check
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

// A second server process over `spec`: forked before this process starts any thread, it opens
// its own store and serves on a free port, which it writes to `port_fd`; it stops when
// `stop_fd` reaches end of file (the parent closed it or died).
pid_t StartSecondInstance(const std::string& spec, const srv::ServerOptions& so, int* port_out,
                          int* stop_write_fd) {
  int port_pipe[2], stop_pipe[2];
  if (::pipe(port_pipe) != 0 || ::pipe(stop_pipe) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::close(port_pipe[0]);
    ::close(stop_pipe[1]);
    int status = 1;
    auto store = srv::ServerStore::Open(spec);
    if (store) {
      srv::Server server(**store, so);
      if (server.Start()) {
        const int port = server.port();
        if (::write(port_pipe[1], &port, sizeof port) == sizeof port) {
          char c = 0;
          while (::read(stop_pipe[0], &c, 1) > 0) {
          }
          status = 0;
        }
        server.Stop();
      } else {
        std::fprintf(stderr, "second instance: cannot start\n");
      }
    } else {
      std::fprintf(stderr, "second instance: %s\n", store.error().message.c_str());
    }
    ::_exit(status);  // no static destructors: the cluster belongs to the parent
  }
  ::close(port_pipe[1]);
  ::close(stop_pipe[0]);
  int port = 0;
  if (::read(port_pipe[0], &port, sizeof port) != sizeof port) port = 0;
  ::close(port_pipe[0]);
  *port_out = port;
  *stop_write_fd = stop_pipe[1];
  return pid;
}

Figures RunBackend(const std::string& backend, int instances, const Options& o) {
  Figures f;
  f.backend = instances > 1 ? backend + " x" + std::to_string(instances) : backend;
  srv::ServerOptions so;
  so.worker_threads = std::max(64, o.clients + 8);
  so.log = [](const std::string&) {};  // the request log would dominate; measured separately
  lietvedis::testing::TempDir spec_dir;
  const std::string spec = StoreSpec(backend, spec_dir);
  int second_port = 0, stop_fd = -1;
  pid_t second = -1;
  if (instances > 1) {
    second = StartSecondInstance(spec, so, &second_port, &stop_fd);
    if (second < 0 || second_port <= 0) {
      std::fprintf(stderr, "second instance failed to start\n");
      std::exit(1);
    }
  }
  Harness h(backend, spec, so);
  const int ports[2] = {h.server().port(), instances > 1 ? second_port : h.server().port()};
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
  // Per client: batch id -> acknowledged seq, and the (batch id, seq) pairs pulled.
  std::vector<std::map<std::string, std::int64_t>> acked(static_cast<std::size_t>(o.clients));
  std::vector<std::vector<std::pair<std::string, std::int64_t>>> seen(
      static_cast<std::size_t>(o.clients));

  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      // Pushes go to instance i % 2, pulls to the other (one instance: both to it).
      // One keep-alive connection holds one server worker thread: with one instance, pushes
      // and pulls share one connection, as before.
      httplib::Client c("127.0.0.1", ports[i % 2]);
      httplib::Client other("127.0.0.1", ports[(i + 1) % 2]);
      httplib::Client& pc = instances > 1 ? other : c;
      for (httplib::Client* x : {&c, &other}) {
        x->set_keep_alive(true);
        x->set_tcp_nodelay(true);
        x->set_read_timeout(30, 0);
      }
      auto& my_acked = acked[static_cast<std::size_t>(i)];
      auto& my_seen = seen[static_cast<std::size_t>(i)];
      const httplib::Headers headers{
          {pr::kProtocolHeader, "1"},
          {"Authorization", "Bearer " + devices[static_cast<std::size_t>(i)].token}};
      const std::string scope = "case:bench" + std::to_string(i);
      std::string cursor;
      // Warm-up: open the keep-alive connection before measuring; failures here are counted
      // apart (warm_up_errors) and retried.
      for (int attempt = 0; attempt < 20; ++attempt) {
        auto w = c.Get("/v1/scopes", headers);
        auto wp = pc.Get("/v1/scopes", headers);
        if (w && w->status == 200 && wp && wp->status == 200) break;
        ++warm_up_errors;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      ++ready;
      while (window.load() < 0) std::this_thread::yield();
      while (!stop.load()) {
        const int w = window.load();
        const pr::Envelope sealed =
            Harness::Seal(devices[static_cast<std::size_t>(i)], scope, 1, key, payload);
        const std::string body = pr::ToJson(pr::PushRequest{{sealed}}).dump();
        auto t0 = Clock::now();
        auto r = c.Post("/v1/push", headers, body, pr::kJsonContentType);
        auto t1 = Clock::now();
        if (!r || r->status != 200) {
          NoteError(errors, "push", r);
          continue;
        }
        push_ms[static_cast<std::size_t>(i)].push_back(
            std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (auto ack = pr::ParseBody<pr::PushResponse>(r->body); ack && ack->results.size() == 1) {
          my_acked[sealed.batch_id] = ack->results[0].seq;
        } else {
          ++errors;
        }
        if (w >= 0 && w < windows) ++window_batches[static_cast<std::size_t>(w)];
        t0 = Clock::now();
        auto p = pc.Get(("/v1/pull?limit=100&cursor=" + cursor).c_str(), headers);
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
        for (const auto& e : page->envelopes) my_seen.emplace_back(e.batch_id, e.seq);
        pull_ms[static_cast<std::size_t>(i)].push_back(
            std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      // Not timed: drain the pull, so every acknowledged envelope should have come back.
      for (int page_no = 0; page_no < 100000; ++page_no) {
        auto p = pc.Get(("/v1/pull?limit=1000&cursor=" + cursor).c_str(), headers);
        auto page = p && p->status == 200 ? pr::ParseBody<pr::PullResponse>(p->body)
                                          : pr::ParseBody<pr::PullResponse>("");
        if (!page) {
          NoteError(errors, "final pull", p);
          break;
        }
        cursor = page->cursor;
        for (const auto& e : page->envelopes) my_seen.emplace_back(e.batch_id, e.seq);
        if (!page->more) break;
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
  // Exactly once, with the acknowledged seq; no seq acknowledged twice.
  std::set<std::int64_t> seqs;
  std::int64_t acked_total = 0;
  for (int i = 0; i < o.clients; ++i) {
    const auto& mine = acked[static_cast<std::size_t>(i)];
    std::set<std::string> got;
    for (const auto& [batch, seq] : seen[static_cast<std::size_t>(i)]) {
      auto it = mine.find(batch);
      if (it == mine.end() || it->second != seq || !got.insert(batch).second) ++f.extra;
    }
    for (const auto& [batch, seq] : mine) {
      if (got.count(batch) == 0) ++f.missing;
      seqs.insert(seq);
      ++acked_total;
    }
  }
  f.duplicate_seqs = acked_total - static_cast<std::int64_t>(seqs.size());
  if (f.missing + f.extra + f.duplicate_seqs > 0) {
    std::fprintf(stderr, "%s: %lld missing, %lld extra, %lld duplicate seqs\n", f.backend.c_str(),
                 static_cast<long long>(f.missing), static_cast<long long>(f.extra),
                 static_cast<long long>(f.duplicate_seqs));
    f.errors += f.missing + f.extra + f.duplicate_seqs;
  }
  if (second > 0) {
    ::close(stop_fd);
    int status = 0;
    ::waitpid(second, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "%s: the second instance did not stop cleanly\n", f.backend.c_str());
      ++f.errors;
    }
  }
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
    else if (a == "--instances")
      o.instances = std::stoi(next());
    else if (a == "--payload")
      o.payload = static_cast<std::size_t>(std::stoul(next()));
    else if (a == "--db-cpus")
      o.db_cpus = next();
    else if (a == "--json")
      o.json = true;
    else {
      std::fprintf(stderr,
                   "usage: lv_server_bench [--clients N] [--seconds S] [--runs R] "
                   "[--backend sqlite|postgresql|both] [--instances 1|2] [--payload BYTES] "
                   "[--db-cpus LIST] [--json]\n");
      return 2;
    }
  }
  if (o.clients < 1 || o.seconds <= 0 || o.instances < 1 || o.instances > 2) return 2;
  if (!o.db_cpus.empty() && !SplitCpus(o.db_cpus)) {
    std::fprintf(stderr,
                 "lv_server_bench: --db-cpus %s: not a list of this machine's CPUs that leaves "
                 "one for the server\n",
                 o.db_cpus.c_str());
    return 2;
  }
  std::vector<Figures> results;
  try {
    if (o.backend == "sqlite" || o.backend == "both") results.push_back(RunBackend("sqlite", 1, o));
    if (o.backend == "postgresql" || o.backend == "both")
      results.push_back(RunBackend("postgresql", 1, o));
    if (o.instances > 1 && o.backend != "sqlite")
      results.push_back(RunBackend("postgresql", o.instances, o));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lv_server_bench: %s\n", e.what());
    return 1;
  }
  const double base = results.empty() ? 0 : results[0].batches_per_s;
  std::int64_t errors = 0;
  for (const auto& f : results) errors += f.errors + f.warm_up_errors;
  if (o.json) {
    nlohmann::json out = {{"clients", o.clients}, {"seconds", o.seconds},
                          {"runs", o.runs},       {"payload_bytes", o.payload},
                          {"db_cpus", o.db_cpus}, {"results", nlohmann::json::array()}};
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
                                {"missing", f.missing},
                                {"extra", f.extra},
                                {"duplicate_seqs", f.duplicate_seqs},
                                {"warm_up_errors", f.warm_up_errors}});
    }
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf(
        "central store: %d clients, push 1 envelope (%zu B plaintext) + pull, %.0f s in %d "
        "windows%s%s\n",
        o.clients, o.payload, o.seconds, o.runs, o.db_cpus.empty() ? "" : "; PostgreSQL on CPUs ",
        o.db_cpus.c_str());
    std::printf("%-14s %10s %9s %10s %10s %10s %10s %9s %7s %s\n", "backend", "batches/s",
                "vs sqlite", "push p50", "push p99", "pull p50", "pull p99", "pushed", "errors",
                "missing/extra/dup seq");
    // errors = failed requests while measuring + failed warm-up connects
    for (const auto& f : results) {
      std::printf(
          "%-14s %10.0f %8.2fx %8.2fms %8.2fms %8.2fms %8.2fms %9lld %7lld %lld/%lld/%lld\n",
          f.backend.c_str(), f.batches_per_s, base > 0 ? f.batches_per_s / base : 0.0,
          f.push_p50_ms, f.push_p99_ms, f.pull_p50_ms, f.pull_p99_ms,
          static_cast<long long>(f.pushed), static_cast<long long>(f.errors + f.warm_up_errors),
          static_cast<long long>(f.missing), static_cast<long long>(f.extra),
          static_cast<long long>(f.duplicate_seqs));
    }
  }
  return errors == 0 ? 0 : 1;
}
