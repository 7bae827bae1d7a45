// lv_sync_bench: end-to-end sync speed against a real central store on loopback (SQLite back
// end, in process): an officer's device writes and pushes N changes; a fresh device of the
// unit's supervisor then pulls them all (initial pull, changes/s); and a device holding N
// changes syncs with nothing new (no-op sync, ms). Medians of --runs runs. Devices keep their
// data in encrypted stores (storage::Store), as the client does.
//
// Baselines measured in the same run: for the initial pull, Replica::ApplyRemote of the same
// changes into an empty local store (merge alone, no network or crypto); for the no-op sync,
// the smallest size (the ratio shows whether the cost grows with the stored history).
//
// Over simulated links (tests/support/link_proxy.hpp, the profiles of issue 17): a warm no-op
// sync at the mobile and poor profiles (requests, bytes on the wire, ms), and a day's work (200
// changes in 20 cases) pushed by the officer and pulled by the supervisor at mobile, and an
// initial pull of --link-pull changes (100,000; 0 = none) by a fresh supervisor device at mobile
// (bytes counted by the proxy, for the PouchDB baseline through the same link).
//
//   lv_sync_bench [--pull 10000,100000] [--noop 1000,1000000] [--runs 5] [--scopes 200] [--json]
//                 [--no-links] [--link-pull 100000]
//   lv_sync_bench --smoke      tiny sizes, for ctest
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/store.hpp"
#include "sync/engine.hpp"
#include "sync/protocol.hpp"
#include "sync/replica.hpp"
#include "sync/root_key.hpp"
#include "sync/server/directory_admin.hpp"
#include "sync/server/server.hpp"
#include "sync/server/server_store.hpp"
#include "tests/support/link_proxy.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
namespace pr = lietvedis::sync::protocol;

namespace {

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "lv_sync_bench: %s: %s\n", what, r.error().message.c_str());
    std::exit(2);
  }
  return std::move(r).value();
}
void Must(Result<void> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "lv_sync_bench: %s: %s\n", what, r.error().message.c_str());
    std::exit(2);
  }
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// CPU seconds of the whole process (client, server threads and the store), which a loaded
// machine distorts much less than wall time.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::unique_ptr<storage::Store> OpenStore(const std::string& dir) {
  return std::move(
      Must(storage::Store::Create(dir, "bench passphrase", storage::KdfParams::Interactive()),
           "create store")
          .store);
}

// With LV_BENCH_TRACE set, a sync prints each phase with the milliseconds since `t0`.
sync::Progress TraceIfAsked(std::chrono::steady_clock::time_point t0) {
  if (std::getenv("LV_BENCH_TRACE") == nullptr) return {};
  return [t0](sync::SyncPhase p, std::int64_t done, std::int64_t total) {
    std::fprintf(stderr, "  %8.2f ms %s %lld/%lld\n", Seconds(t0) * 1000, sync::SyncPhaseName(p),
                 static_cast<long long>(done), static_cast<long long>(total));
  };
}

// With LV_PERF_CTL naming perf's control FIFO (perf record --control=fifo:PATH -D -1 ...),
// the profile covers only the timed initial pulls: "enable" before each, "disable" after.
void PerfControl(const char* command) {
  static const char* path = std::getenv("LV_PERF_CTL");
  if (path == nullptr) return;
  if (FILE* f = std::fopen(path, "w")) {
    std::fprintf(f, "%s\n", command);
    std::fclose(f);
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS kase(id TEXT PRIMARY KEY, scope TEXT NOT NULL, officer TEXT, unit "
    "TEXT);"
    "CREATE TABLE IF NOT EXISTS entry(id TEXT PRIMARY KEY, scope TEXT NOT NULL, a TEXT, b INTEGER,"
    " c TEXT, d INTEGER);";

std::vector<sync::TableSpec> Tables() {
  return {{"kase", {"officer", "unit"}, false}, {"entry", {"a", "b", "c", "d"}, false}};
}

// Every device keeps its data in an encrypted store, as the client does (storage::Store: the
// encrypting VFS, the writer's page cache). Argon2id runs at the interactive cost: unlocking is
// not what this benchmark measures.
struct Device {
  std::unique_ptr<storage::Store> store;
  storage::Database& db() { return store->db(); }
  std::unique_ptr<sync::Replica> replica;
  std::unique_ptr<sync::SyncEngine> engine;
};

class World {
 public:
  World() {
    store_ = Must(server::ServerStore::Open("sqlite:" + (dir_ / "server.db")), "open server store");
    server::ServerOptions o;
    o.worker_threads = 8;
    o.log = [](const std::string&) {};
    server_ = std::make_unique<server::Server>(*store_, o);
    Must(server_->Start(), "start server");
    root_ = Must(sync::RootKey::Generate(), "root key");
    admin_ = std::make_unique<server::DirectoryAdmin>(*store_, root_);
    unit_ = Must(admin_->AddUnit("Kurzeme", "Liepāja", server::SystemNowMs()), "add unit").unit_id;
    officer_ = AddUser("officer");
    supervisor_ = AddUser("supervisor");
  }
  ~World() {
    devices_.clear();
    server_->Stop();
  }
  std::string AddUser(const std::string& role) {
    return Must(admin_->AddUser(unit_, role, "Bench " + role, server::SystemNowMs()), "add user")
        .user_id;
  }
  // `via`: the address the enrolment code names instead of the server's (a LinkProxy's).
  Device& Enrol(const std::string& user, const std::string& via = {}) {
    auto d = std::make_unique<Device>();
    d->store = OpenStore(dir_ / ("dev" + std::to_string(devices_.size())));
    Must(d->db().Exec(kSchema), "device schema");
    d->replica = Must(sync::Replica::Open(d->db(), "unenrolled", Tables()), "open replica");
    sync::EngineHooks hooks;
    storage::Database* db = &d->db();
    hooks.local_scopes = [db]() -> Result<std::vector<sync::LocalScope>> {
      LV_ASSIGN(storage::Statement st,
                db->Prepare("SELECT scope, 'case', unit, officer FROM kase"));
      std::vector<sync::LocalScope> out;
      for (;;) {
        LV_ASSIGN(bool row, st.Step());
        if (!row) break;
        out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3), ""});
      }
      return out;
    };
    // As the client does (client/device.cpp): the pull's WAL is checkpointed in the background.
    storage::Store* store = d->store.get();
    hooks.checkpoint_wal = [store] { store->CheckpointInBackground(); };
    d->engine = Must(sync::SyncEngine::Open(d->db(), *d->replica, hooks), "open engine");
    const std::string code =
        Must(admin_->IssueEnrolmentCode(user, via.empty() ? server_->base_url() : via, "", 3600'000,
                                        server::SystemNowMs()),
             "enrolment code");
    const std::string device_id = Must(d->engine->Enrol("", code, "bench"), "enrol").device_id;
    // Enrolled, the replica's site becomes the device id, as in client/device.cpp: a device's
    // envelopes carry only changes stamped by itself.
    d->engine.reset();
    d->replica.reset();
    d->replica = Must(sync::Replica::Open(d->db(), device_id, Tables()), "reopen replica");
    d->engine = Must(sync::SyncEngine::Open(d->db(), *d->replica, hooks), "reopen engine");
    devices_.push_back(std::move(d));
    return *devices_.back();
  }
  // The officer writes `changes` changes (4 fields a row) spread over `scopes` cases; first
  // the cases themselves unless `cases_exist`.
  void Write(Device& d, std::int64_t changes, int scopes, bool cases_exist = false) {
    std::int64_t written = 0;
    int row = 0;
    if (!cases_exist) {
      auto tx = Must(storage::Transaction::Begin(d.db()), "begin");
      for (int s = 0; s < scopes; ++s) {
        const std::string id = "case" + std::to_string(s);
        Must(d.replica->Write("kase", id, "case:" + id, {{"officer", officer_}, {"unit", unit_}}),
             "write case");
      }
      Must(tx.Commit(), "commit");
    }
    while (written < changes) {
      auto tx = Must(storage::Transaction::Begin(d.db()), "begin");
      for (int i = 0; i < 2500 && written < changes; ++i, ++row) {
        const std::string scope = "case:case" + std::to_string(row % scopes);
        Must(d.replica->Write("entry", sync::Replica::NewId(), scope,
                              {{"a", std::string("contact note text ") + std::to_string(row)},
                               {"b", std::int64_t{row}},
                               {"c", std::string("2024-05-01")},
                               {"d", std::int64_t{row % 7}}}),
             "write entry");
        written += 4;
      }
      Must(tx.Commit(), "commit");
    }
  }
  std::string url() const { return server_->base_url(); }
  const std::string& officer() const { return officer_; }
  const std::string& supervisor() const { return supervisor_; }
  testing::TempDir& dir() { return dir_; }

 private:
  testing::TempDir dir_;
  std::unique_ptr<server::ServerStore> store_;
  sync::RootKey root_;
  std::unique_ptr<server::DirectoryAdmin> admin_;
  std::unique_ptr<server::Server> server_;
  std::string unit_, officer_, supervisor_;
  std::vector<std::unique_ptr<Device>> devices_;
};

std::vector<std::int64_t> ParseSizes(const std::string& s) {
  std::vector<std::int64_t> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(std::stoll(s.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

struct Row {
  std::string what;
  std::int64_t size;
  double value, baseline;
  std::string unit;
  double push_rate;
  double cpu_rate;      // changes per CPU-second of the process (initial pull only)
  double settled_rate;  // changes/s until the pull's background checkpoint finished too
};

// A sync over a simulated link: medians of the runs.
struct LinkRow {
  std::string what, profile;
  std::int64_t changes = 0;  // per run (0 for a no-op sync)
  double ms = 0, requests = 0, bytes_sent = 0, bytes_received = 0;
  double sent_per_change = 0, received_per_change = 0;
  // Counted by the link proxy (HTTP messages with headers, as for the PouchDB baseline).
  double wire_sent_per_change = 0, wire_received_per_change = 0;
  int retries = 0;  // syncs cut by the link's resets and run again (counted in ms)
};

// A sync that the link may reset (the poor profile resets 1 % of connections): run again, as
// the client's next sync would, up to five times.
sync::SyncReport SyncOverLink(Device& d, int* retries) {
  for (int i = 0;; ++i) {
    auto r = d.engine->SyncOnce();
    if (r.ok()) return *r;
    if (r.error().code != Errc::kNetwork || i >= 5) Must(std::move(r), "sync over the link");
    ++*retries;
  }
}

// An initial pull of `changes` changes (in `scopes` cases) by a fresh supervisor device over the
// mobile link, the officer's push on loopback. Bytes are counted by the proxy (HTTP messages with
// headers, as for the PouchDB baseline through lv_link_proxy); requests by the engine.
LinkRow MeasureLinkPull(std::int64_t changes, int scopes, int runs) {
  World w;
  testing::LinkProxy link(w.url(), testing::LinkProfile::Mobile(), 42);
  Must(link.Start(), "start the link proxy");
  Device& off = w.Enrol(w.officer());
  w.Write(off, changes, scopes);
  Must(off.engine->SyncOnce(), "officer push");
  LinkRow row{"initial pull", "mobile", changes};
  std::vector<double> ms, requests, sent, received;
  for (int r = 0; r < runs; ++r) {
    Device& fresh = w.Enrol(w.supervisor(), link.url());
    Must(off.engine->SyncOnce(), "officer fulfils wraps");
    const testing::LinkCounters before = link.counters();
    const auto t0 = std::chrono::steady_clock::now();
    const sync::SyncReport rep = SyncOverLink(fresh, &row.retries);
    ms.push_back(Seconds(t0) * 1000.0);
    const testing::LinkCounters after = link.counters();
    if (rep.applied_changes < changes) {
      std::fprintf(stderr, "lv_sync_bench: the pull over the link applied %lld of %lld\n",
                   static_cast<long long>(rep.applied_changes), static_cast<long long>(changes));
      std::exit(1);
    }
    requests.push_back(static_cast<double>(rep.requests));
    sent.push_back(static_cast<double>(after.bytes_up - before.bytes_up));
    received.push_back(static_cast<double>(after.bytes_down - before.bytes_down));
  }
  row.ms = Median(ms);
  row.requests = Median(requests);
  row.bytes_sent = Median(sent);
  row.bytes_received = Median(received);
  row.sent_per_change = row.bytes_sent / static_cast<double>(changes);
  row.received_per_change = row.bytes_received / static_cast<double>(changes);
  row.wire_sent_per_change = row.sent_per_change;
  row.wire_received_per_change = row.received_per_change;
  return row;
}

std::vector<LinkRow> MeasureLinks(int runs, bool smoke, std::int64_t link_pull) {
  std::vector<LinkRow> rows;
  for (const char* name : {"mobile", "poor"}) {
    World w;
    testing::LinkProxy link(w.url(), testing::LinkProfile::Named(name), 42);
    Must(link.Start(), "start the link proxy");
    Device& off = w.Enrol(w.officer(), link.url());
    Device& sup = w.Enrol(w.supervisor(), link.url());
    w.Write(off, 200, 20);
    int retries = 0;
    // Keys made and wrapped, the supervisor has everything, both sessions warm.
    for (Device* d : {&off, &sup, &off, &sup}) SyncOverLink(*d, &retries);
    LinkRow noop{"no-op sync", name};
    std::vector<double> ms, requests, sent, received;
    const int noop_runs = smoke ? 2 : std::max(runs * 2, 10);
    for (int r = 0; r < noop_runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const sync::SyncReport rep = SyncOverLink(sup, &noop.retries);
      ms.push_back(Seconds(t0) * 1000.0);
      requests.push_back(static_cast<double>(rep.requests));
      sent.push_back(static_cast<double>(rep.bytes_sent));
      received.push_back(static_cast<double>(rep.bytes_received));
      if (rep.pulled_envelopes != 0 || rep.pushed_changes != 0) {
        std::fprintf(stderr, "lv_sync_bench: the no-op sync moved data\n");
        std::exit(1);
      }
    }
    noop.ms = Median(ms);
    noop.requests = Median(requests);
    noop.bytes_sent = Median(sent);
    noop.bytes_received = Median(received);
    rows.push_back(noop);
    if (std::string(name) != "mobile") continue;
    // A day's work: 200 changes in the 20 cases, pushed, then pulled by the supervisor.
    LinkRow day{"day's work", name, 200};
    ms.clear(), requests.clear(), sent.clear(), received.clear();
    std::vector<double> sent_pc, received_pc, wire_up, wire_down;
    for (int r = 0; r < (smoke ? 1 : runs); ++r) {
      w.Write(off, 200, 20, true);
      const testing::LinkCounters c0 = link.counters();
      const auto t0 = std::chrono::steady_clock::now();
      const sync::SyncReport up = SyncOverLink(off, &day.retries);
      const testing::LinkCounters c1 = link.counters();
      const sync::SyncReport down = SyncOverLink(sup, &day.retries);
      ms.push_back(Seconds(t0) * 1000.0);
      const testing::LinkCounters c2 = link.counters();
      wire_up.push_back(static_cast<double>(c1.bytes_up - c0.bytes_up) / 200.0);
      wire_down.push_back(static_cast<double>(c2.bytes_down - c1.bytes_down) / 200.0);
      if (up.pushed_changes != 200 || down.applied_changes != 200) {
        std::fprintf(stderr, "lv_sync_bench: a day's work moved %lld up and %lld down\n",
                     static_cast<long long>(up.pushed_changes),
                     static_cast<long long>(down.applied_changes));
        std::exit(1);
      }
      requests.push_back(static_cast<double>(up.requests + down.requests));
      sent.push_back(static_cast<double>(up.bytes_sent));
      received.push_back(static_cast<double>(down.bytes_received));
      sent_pc.push_back(static_cast<double>(up.bytes_sent) / 200.0);
      received_pc.push_back(static_cast<double>(down.bytes_received) / 200.0);
    }
    day.ms = Median(ms);
    day.requests = Median(requests);
    day.bytes_sent = Median(sent);
    day.bytes_received = Median(received);
    day.sent_per_change = Median(sent_pc);
    day.received_per_change = Median(received_pc);
    day.wire_sent_per_change = Median(wire_up);
    day.wire_received_per_change = Median(wire_down);
    rows.push_back(day);
  }
  if (link_pull > 0) {
    rows.push_back(MeasureLinkPull(link_pull, smoke ? 10 : 200, smoke ? 1 : std::min(runs, 3)));
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 2;
  std::vector<std::int64_t> pull_sizes = {10'000, 100'000}, noop_sizes = {1'000, 1'000'000};
  int runs = 5, scopes = 200;
  bool json = false, links = true, smoke = false;
  std::int64_t link_pull = 100'000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "lv_sync_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--pull")
      pull_sizes = ParseSizes(next());
    else if (a == "--noop")
      noop_sizes = ParseSizes(next());
    else if (a == "--runs")
      runs = std::max(1, std::atoi(next().c_str()));
    else if (a == "--scopes")
      scopes = std::max(1, std::atoi(next().c_str()));
    else if (a == "--json")
      json = true;
    else if (a == "--no-links")
      links = false;
    else if (a == "--link-pull")
      link_pull = std::max<std::int64_t>(0, std::atoll(next().c_str()));
    else if (a == "--smoke") {
      smoke = true;
      pull_sizes = {400};
      noop_sizes = {100, 800};
      scopes = 10;
      link_pull = 800;
    } else {
      std::fprintf(stderr,
                   "usage: lv_sync_bench [--pull N,N] [--noop N,N] [--runs R] [--scopes S] "
                   "[--json] [--no-links] [--link-pull N] [--smoke]\n");
      return 2;
    }
  }

  std::vector<Row> rows;
  // Initial pull into an empty device.
  for (std::int64_t n : pull_sizes) {
    World w;
    Device& off = w.Enrol(w.officer());
    w.Write(off, n, scopes);
    const auto t_push = std::chrono::steady_clock::now();
    Must(off.engine->SyncOnce(), "officer push");
    const double push_rate = static_cast<double>(n) / Seconds(t_push);
    // Baseline: merge alone, the same changes from the officer's outbox into an empty store.
    std::vector<sync::Change> all;
    {
      Device& probe = w.Enrol(w.supervisor());
      Must(off.engine->SyncOnce(), "officer fulfils wraps");
      Must(probe.engine->SyncOnce(), "probe pull");
      // Read the probe's rows back as changes with the stamps it holds, in the order a pull
      // delivers them: envelopes by scope, changes in write (stamp) order inside each.
      auto st = Must(probe.db().Prepare("SELECT scope, id, a, b, c, d FROM entry"), "read probe");
      const char* cols[] = {"a", "b", "c", "d"};
      for (;;) {
        if (!Must(st.Step(), "step")) break;
        for (int k = 0; k < 4; ++k) {
          sync::Change c;
          c.scope = st.Text(0);
          c.table = "entry";
          c.row_id = st.Text(1);
          c.column = cols[k];
          c.value = st.ValueAt(2 + k);
          auto stamp = Must(probe.replica->StampOf("entry", c.row_id, c.column), "stamp");
          if (!stamp) {
            std::fprintf(stderr, "lv_sync_bench: the probe holds no stamp for a field\n");
            std::exit(2);
          }
          c.stamp = *stamp;
          all.push_back(std::move(c));
        }
      }
      std::stable_sort(all.begin(), all.end(), [](const sync::Change& x, const sync::Change& y) {
        if (x.scope != y.scope) return x.scope < y.scope;
        return x.stamp < y.stamp;
      });
    }
    std::vector<double> base, e2e, cpu, settled;
    for (int r = 0; r < runs; ++r) {
      {
        auto store = OpenStore(w.dir() / ("base" + std::to_string(r)));
        storage::Database& db = store->db();
        Must(db.Exec(kSchema), "schema");
        // The page cache a pull runs with (the engine raises it for the pull's length).
        Must(db.Exec("PRAGMA cache_size=-32768"), "cache size");
        auto rep = Must(sync::Replica::Open(db, "base", Tables()), "replica");
        const auto t0 = std::chrono::steady_clock::now();
        auto tx = Must(storage::Transaction::Begin(db), "begin");
        for (std::size_t i = 0; i < all.size(); i += 5000) {
          const std::size_t len = std::min<std::size_t>(5000, all.size() - i);
          Must(rep->ApplyRemote(std::span<const sync::Change>(all.data() + i, len)), "apply");
        }
        Must(tx.Commit(), "commit");
        base.push_back(static_cast<double>(all.size()) / Seconds(t0));
      }
      Device& fresh = w.Enrol(w.supervisor());
      Must(off.engine->SyncOnce(), "officer fulfils wraps");
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = CpuSeconds();
      const sync::Progress trace = TraceIfAsked(t0);
      PerfControl("enable");
      auto rep = Must(fresh.engine->SyncOnce(trace), "initial pull");
      const double secs = Seconds(t0);
      PerfControl("disable");
      // Settled: the background checkpoint of the pull's WAL has finished too. The CPU figure
      // counts it.
      Must(fresh.store->WaitForCheckpoint(), "background checkpoint");
      settled.push_back(static_cast<double>(rep.applied_changes) / Seconds(t0));
      cpu.push_back(static_cast<double>(rep.applied_changes) / (CpuSeconds() - c0));
      if (rep.applied_changes < n) {
        std::fprintf(stderr, "lv_sync_bench: pulled %lld of %lld changes\n",
                     static_cast<long long>(rep.applied_changes), static_cast<long long>(n));
        // Why, in ids and reasons: the device's quarantine and what waits for a key.
        if (auto st = fresh.engine->Status(); st.ok()) {
          std::fprintf(stderr, "  %lld refused, last error: %s\n",
                       static_cast<long long>(st->refused), st->last_error.c_str());
          for (std::size_t i = 0; i < st->refusals.size() && i < 3; ++i) {
            std::fprintf(stderr, "  refused %s %s: %s\n", st->refusals[i].what.c_str(),
                         st->refusals[i].scope.c_str(), st->refusals[i].reason.c_str());
          }
          for (const auto& sc : st->scopes) {
            if (!sc.state.empty()) {
              std::fprintf(stderr, "  %s: %s\n", sc.scope.c_str(), sc.state.c_str());
            }
          }
        }
        return 1;
      }
      e2e.push_back(static_cast<double>(rep.applied_changes) / secs);
    }
    rows.push_back({"initial pull", n, Median(e2e), Median(base), "changes/s", push_rate,
                    Median(cpu), Median(settled)});
  }
  // No-op sync of a device holding N changes.
  double noop_base = 0;
  for (std::int64_t n : noop_sizes) {
    World w;
    Device& off = w.Enrol(w.officer());
    Device& sup = w.Enrol(w.supervisor());
    w.Write(off, n, scopes);
    Must(off.engine->SyncOnce(), "officer push");
    Must(sup.engine->SyncOnce(), "supervisor pull");
    Must(sup.engine->SyncOnce(), "supervisor settle");
    std::vector<double> ms;
    // A no-op sync takes milliseconds: take more samples so scheduler noise on a shared
    // machine does not decide the median.
    const int noop_runs = std::max(runs * 3, 15);
    for (int r = 0; r < noop_runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const sync::Progress trace = TraceIfAsked(t0);
      auto rep = Must(sup.engine->SyncOnce(trace), "no-op sync");
      ms.push_back(Seconds(t0) * 1000.0);
      if (rep.pulled_envelopes != 0 || rep.pushed_changes != 0) {
        std::fprintf(stderr, "lv_sync_bench: the no-op sync moved data\n");
        return 1;
      }
    }
    const double med = Median(ms);
    if (noop_base == 0) noop_base = med;
    rows.push_back({"no-op sync", n, med, noop_base, "ms", 0, 0, 0});
  }

  const std::vector<LinkRow> link_rows =
      links ? MeasureLinks(runs, smoke, link_pull) : std::vector<LinkRow>{};

  if (json) {
    std::printf("{\"runs\": %d, \"scopes\": %d, \"links\": [", runs, scopes);
    for (std::size_t i = 0; i < link_rows.size(); ++i) {
      const LinkRow& l = link_rows[i];
      std::printf(
          "%s{\"what\": \"%s\", \"profile\": \"%s\", \"changes\": %lld, \"median_ms\": %.1f,"
          " \"requests\": %.0f, \"bytes_sent\": %.0f, \"bytes_received\": %.0f,"
          " \"sent_per_change\": %.1f, \"received_per_change\": %.1f,"
          " \"wire_sent_per_change\": %.1f, \"wire_received_per_change\": %.1f, \"retries\": %d}",
          i ? ", " : "", l.what.c_str(), l.profile.c_str(), static_cast<long long>(l.changes), l.ms,
          l.requests, l.bytes_sent, l.bytes_received, l.sent_per_change, l.received_per_change,
          l.wire_sent_per_change, l.wire_received_per_change, l.retries);
    }
    std::printf("], \"results\": [");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      std::string extra;
      if (r.push_rate > 0) extra += ", \"push_changes_per_s\": " + std::to_string(r.push_rate);
      if (r.cpu_rate > 0) extra += ", \"changes_per_cpu_s\": " + std::to_string(r.cpu_rate);
      if (r.settled_rate > 0) {
        extra += ", \"settled_changes_per_s\": " + std::to_string(r.settled_rate);
      }
      std::printf(
          "%s{\"what\": \"%s\", \"stored_changes\": %lld, \"median\": %.3f, \"unit\": \"%s\","
          " \"baseline\": %.3f, \"ratio\": %.3f%s}",
          i ? ", " : "", r.what.c_str(), static_cast<long long>(r.size), r.value, r.unit.c_str(),
          r.baseline, r.value / r.baseline, extra.c_str());
    }
    std::printf("]}\n");
  } else {
    std::printf(
        "sync benchmark: medians of %d runs (no-op: %d), %d case scopes, SQLite central store on "
        "loopback\n",
        runs, std::max(runs * 3, 15), scopes);
    std::printf("%-14s %12s %16s %16s %8s  %s\n", "what", "changes", "median", "baseline", "ratio",
                "baseline is");
    for (const Row& r : rows) {
      std::printf(
          "%-14s %12lld %12.1f %-3s %12.1f %-3s %7.2fx  %s\n", r.what.c_str(),
          static_cast<long long>(r.size), r.value, r.unit == "ms" ? "ms" : "/s", r.baseline,
          r.unit == "ms" ? "ms" : "/s", r.value / r.baseline,
          r.unit == "ms" ? "no-op sync at the smallest size" : "local merge only (ApplyRemote)");
      if (r.settled_rate > 0)
        std::printf("%-14s %12lld %12.1f /s   (until the background WAL checkpoint finished)\n",
                    "  settled", static_cast<long long>(r.size), r.settled_rate);
      if (r.cpu_rate > 0)
        std::printf("%-14s %12lld %12.1f /s   (per CPU-second of the process: client + server)\n",
                    "  cpu", static_cast<long long>(r.size), r.cpu_rate);
      if (r.push_rate > 0)
        std::printf("%-14s %12lld %12.1f /s   (officer's push: encode, seal, upload)\n", "  push",
                    static_cast<long long>(r.size), r.push_rate);
    }
    if (!link_rows.empty()) {
      std::printf(
          "\nover simulated links (LinkProxy; medians; time includes syncs run again "
          "after a reset)\n");
      std::printf("%-12s %-7s %8s %9s %10s %10s %10s %10s %8s\n", "what", "link", "ms", "requests",
                  "sent B", "recv B", "sent B/ch", "recv B/ch", "retries");
      for (const LinkRow& l : link_rows) {
        std::printf("%-12s %-7s %8.1f %9.0f %10.0f %10.0f %10.1f %10.1f %8d\n", l.what.c_str(),
                    l.profile.c_str(), l.ms, l.requests, l.bytes_sent, l.bytes_received,
                    l.sent_per_change, l.received_per_change, l.retries);
      }
    }
  }
  return 0;
}
