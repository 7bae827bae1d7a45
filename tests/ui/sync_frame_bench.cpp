// Benchmark: frame-thread CPU time of the desktop while a sync runs. The real
// lietvedis-desktop (an X display: xvfb-run) against the real lietvedis-server (started here
// on a temp directory, SQLite back end, a fresh self-signed certificate): the unit
// supervisor's device does its initial pull of the unit's cases, `CHANGES` changes written by
// an officer's device (seeded once per size through that device's Workspace with the demo
// caseload generator and pushed, not timed), and, as the baseline in the same run, a no-op
// sync of the same device right after (the pulled store opened again; its sign-in sync
// finds nothing new).
//
// The desktop syncs once right after sign-in; the script waits for that sync (`sync_done`)
// and reads nothing from the screen before it (an `expect` turns on text capture, which
// costs frame time). The desktop writes each sync's window of frames to --result-json (from
// the frame that posts the sync to the first frame after it with the refreshed views
// arrived): the sync's wall time and every frame's thread CPU time. Each run starts from a
// copy of the enrolled, not yet pulled, device. Prints a table of medians over the runs with
// the ratio to the no-op sync; --json for lv_bench_report.
//
// usage: lv_ui_sync_bench --desktop PATH --server PATH [--changes 2000,20000]
//                         [--pages caseload,sync] [--runs 5] [--json]
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "client/demo_data.hpp"
#include "tests/ui/bench_args.hpp"
#include "ui/session.hpp"

namespace fs = std::filesystem;
using namespace lietvedis;
namespace bench = lietvedis::testing::bench;

namespace {

constexpr const char* kPassphrase = "bench-parole-123";

int Run(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// Runs `cmd`; its stdout trimmed, or nullopt when it fails.
std::optional<std::string> Output(const std::string& cmd) {
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return std::nullopt;
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  if (::pclose(p) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// `lietvedis-server serve` on a free loopback port with a fresh certificate, stopped with
// SIGTERM when the object goes away; `admin` subcommands with the store's root key.
class Server {
 public:
  Server(std::string binary, const fs::path& dir)
      : binary_(std::move(binary)),
        store_("sqlite:" + (dir / "server.db").string()),
        root_key_((dir / "server.root.key").string()),
        cert_((dir / "server.cert.pem").string()),
        key_((dir / "server.key.pem").string()) {
    ::setenv("LIETVEDIS_ROOT_PASSPHRASE", "root passphrase for the benchmark", 1);
    const std::string openssl =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
        " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key_ + "' -out '" + cert_ + "' > /dev/null 2>&1";
    const std::string init =
        "'" + binary_ + "' admin --root-key '" + root_key_ + "' root init --fast-kdf > /dev/null";
    if (Run(openssl) != 0 || Run(init) != 0) return;
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      const int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) ::dup2(null, STDERR_FILENO);  // request log lines
      ::execl(binary_.c_str(), binary_.c_str(), "serve", "--store", store_.c_str(), "--listen",
              "127.0.0.1:0", "--cert", cert_.c_str(), "--key", key_.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
    char line[256] = {};
    if (pid_ < 0 || out_ == nullptr || std::fgets(line, sizeof line, out_) == nullptr) return;
    const std::string text(line);
    const auto at = text.find("listening on ");
    if (at == std::string::npos) return;
    address_ = text.substr(at + 13);
    while (!address_.empty() && (address_.back() == '\n' || address_.back() == '\r'))
      address_.pop_back();
  }
  ~Server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  bool ok() const { return !address_.empty(); }
  std::optional<std::string> Admin(const std::string& args) const {
    return Output("'" + binary_ + "' admin --store '" + store_ + "' --root-key '" + root_key_ +
                  "' " + args + " 2>/dev/null");
  }
  std::optional<std::string> EnrolCode(const std::string& user) const {
    return Admin("enrol-code --user " + user + " --server-url https://" + address_ + " --cert '" +
                 cert_ + "'");
  }

 private:
  std::string binary_, store_, root_key_, cert_, key_;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string address_;
};

// The supervisor's device enrolled in `device` (its first sync finds nothing: it enrols
// before the officer writes, so the officer's case keys are wrapped for it), then an
// officer's device writes at least `changes` changes (whole demo cases) and pushes them.
// Returns the number of changes pushed, or -1.
long long Seed(const Server& server, const fs::path& work, const fs::path& device, int changes) {
  auto unit = server.Admin("unit add --region Kurzeme --name Liepāja");
  if (!unit) return -1;
  auto officer = server.Admin("user add --unit " + *unit + " --role officer --name 'Ilze Ozola'");
  auto supervisor =
      server.Admin("user add --unit " + *unit + " --role supervisor --name 'Anna Vītola'");
  if (!officer || !supervisor) return -1;
  {
    auto code = server.EnrolCode(*supervisor);
    ui::Session s;
    if (!code) return -1;
    auto enrolled = s.Enrol(device.string(), kPassphrase, *code, "Vadītājas dators", true);
    if (!enrolled.ok() || enrolled->first_sync_error) {
      std::fprintf(stderr, "lv_ui_sync_bench: the supervisor's enrolment failed: %s\n",
                   enrolled.ok() ? enrolled->first_sync_error->message.c_str()
                                 : enrolled.error().message.c_str());
      return -1;
    }
    s.Lock();
  }
  auto code = server.EnrolCode(*officer);
  ui::Session s;
  if (!code) return -1;
  auto enrolled =
      s.Enrol((work / "officer").string(), kPassphrase, *code, "Inspektores dators", true);
  if (!enrolled.ok() || !s.SignIn(enrolled->user_id).ok()) {
    std::fprintf(stderr, "lv_ui_sync_bench: the officer's enrolment failed\n");
    return -1;
  }
  // One case first, to learn how many changes a demo case writes; then the rest at once.
  client::DemoOptions one;
  one.cases = 1;
  one.mappa_meetings = 0;
  if (!client::SeedDemoCaseload(*s.workspace(), one).ok()) return -1;
  auto per_case = s.replica()->PendingCount();
  if (!per_case.ok() || *per_case <= 0) return -1;
  if (*per_case < changes) {
    client::DemoOptions rest;
    rest.cases = static_cast<int>((changes - *per_case + *per_case - 1) / *per_case);
    rest.seed = 2;
    rest.mappa_meetings = 0;
    if (!client::SeedDemoCaseload(*s.workspace(), rest).ok()) return -1;
  }
  auto pending = s.replica()->PendingCount();
  if (!pending.ok()) return -1;
  for (int i = 0; i < 5; ++i) {
    auto report = s.SyncOnce({});
    auto left = s.replica()->PendingCount();
    if (!report.ok() || !left.ok()) {
      std::fprintf(stderr, "lv_ui_sync_bench: the officer's push failed: %s\n",
                   report.ok() ? "" : report.error().message.c_str());
      return -1;
    }
    if (*left == 0) return *pending;
  }
  return -1;
}

struct SyncFigures {
  double wall_ms = 0, frames = 0, cpu_max_ms = 0, cpu_p99_ms = 0, cpu_median_ms = 0;
  long long applied = 0;
};

// One desktop run on `data` starting on `page`: the figures of its sign-in sync.
std::optional<SyncFigures> RunDesktop(const std::string& desktop, const fs::path& work,
                                      const fs::path& data, const std::string& page) {
  const fs::path script = work / "sync.lvs";
  const fs::path result = work / "result.json";
  fs::remove(result);
  const std::string cmd = "ASAN_OPTIONS=detect_leaks=0 '" + desktop + "' --data '" + data.string() +
                          "' --passphrase " + kPassphrase + " --sync-interval 3600 --page " + page +
                          " --width 1440 --height 900 --script '" + script.string() +
                          "' --result-json '" + result.string() + "' > /dev/null";
  if (Run(cmd) != 0) return std::nullopt;
  std::ifstream in(result);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("syncs") || j["syncs"].empty()) return std::nullopt;
  const auto& s = j["syncs"].front();
  if (!s.value("ok", false)) return std::nullopt;
  SyncFigures f;
  f.wall_ms = s.value("wall_ms", 0.0);
  f.frames = s.value("frames", 0.0);
  f.cpu_max_ms = s.value("frame_cpu_ms_max", 0.0);
  f.cpu_p99_ms = s.value("frame_cpu_ms_p99", 0.0);
  f.cpu_median_ms = s.value("frame_cpu_ms_median", 0.0);
  f.applied = s.value("applied_changes", 0LL);
  return f;
}

SyncFigures Medians(const std::vector<SyncFigures>& v) {
  auto m = [&v](double SyncFigures::*field) {
    std::vector<double> x;
    for (const auto& f : v) x.push_back(f.*field);
    return Median(x);
  };
  SyncFigures out;
  out.wall_ms = m(&SyncFigures::wall_ms);
  out.frames = m(&SyncFigures::frames);
  out.cpu_max_ms = m(&SyncFigures::cpu_max_ms);
  out.cpu_p99_ms = m(&SyncFigures::cpu_p99_ms);
  out.cpu_median_ms = m(&SyncFigures::cpu_median_ms);
  out.applied = v.empty() ? 0 : v.front().applied;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  // A server that closes a connection while TLS writes to it must fail that write, not end
  // the benchmark (OpenSSL writes through the socket without MSG_NOSIGNAL; as the desktop).
  std::signal(SIGPIPE, SIG_IGN);
  bench::BenchArgs args;
  args.sizes = {2000, 20000};
  if (!bench::ParseBenchArgs(argc, argv, "changes", 1, {"server", "pages"},
                             "usage: %s --desktop PATH --server PATH [--changes 2000,20000] "
                             "[--pages caseload,sync] [--runs 5] [--json]\n",
                             args)) {
    return 2;
  }
  const std::string desktop = args.desktop, server_bin = args.extra["server"];
  const std::vector<int> sizes = args.sizes;
  const std::vector<std::string> pages = args.extra.count("pages") != 0
                                             ? bench::SplitCommas(args.extra["pages"])
                                             : std::vector<std::string>{"caseload", "sync"};
  const int runs = args.runs;
  const bool json = args.json;
  if (desktop.empty() || !fs::exists(desktop) || server_bin.empty() || !fs::exists(server_bin)) {
    std::fprintf(stderr,
                 "lv_ui_sync_bench: lietvedis-desktop or lietvedis-server not found "
                 "(--desktop PATH --server PATH)\n");
    return 2;
  }
  const fs::path work =
      fs::temp_directory_path() / ("lv-ui-sync-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  std::ofstream(work / "sync.lvs") << "sync_done\nquit\n";

  struct Row {
    std::string page;
    long long changes;
    SyncFigures pull, noop;
  };
  std::vector<Row> rows;
  int rc = 0;
  for (int size : sizes) {
    const fs::path dir = work / ("size-" + std::to_string(size));
    fs::create_directories(dir);
    Server server(server_bin, dir);
    if (!server.ok()) {
      std::fprintf(stderr, "lv_ui_sync_bench: the server did not start\n");
      rc = 1;
      break;
    }
    const fs::path enrolled = dir / "supervisor-enrolled";
    const long long changes = Seed(server, dir, enrolled, size);
    if (changes < 0) {
      std::fprintf(stderr, "lv_ui_sync_bench: seeding %d changes failed\n", size);
      rc = 1;
      continue;
    }
    for (const std::string& page : pages) {
      std::vector<SyncFigures> pulls, noops;
      for (int r = 0; r < runs && rc == 0; ++r) {
        const fs::path data = dir / "supervisor";
        std::error_code ec;
        fs::remove_all(data, ec);
        fs::copy(enrolled, data, fs::copy_options::recursive);
        auto pull = RunDesktop(desktop, work, data, page);
        auto noop = pull ? RunDesktop(desktop, work, data, page) : std::nullopt;
        if (!pull || !noop || pull->applied < changes || noop->applied != 0) {
          std::fprintf(stderr,
                       "lv_ui_sync_bench: run %d at %lld changes (%s) failed or pulled %lld "
                       "changes\n",
                       r, changes, page.c_str(), pull ? pull->applied : -1LL);
          rc = 1;
          break;
        }
        pulls.push_back(*pull);
        noops.push_back(*noop);
      }
      if (!pulls.empty()) rows.push_back({page, changes, Medians(pulls), Medians(noops)});
    }
  }
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  if (json) {
    nlohmann::json out = {{"runs", runs}, {"results", nlohmann::json::array()}};
    for (const auto& r : rows) {
      auto figures = [](const SyncFigures& f) {
        return nlohmann::json{{"wall_ms", f.wall_ms},
                              {"frames", f.frames},
                              {"frame_cpu_max_ms", f.cpu_max_ms},
                              {"frame_cpu_p99_ms", f.cpu_p99_ms},
                              {"frame_cpu_median_ms", f.cpu_median_ms},
                              {"applied_changes", f.applied}};
      };
      out["results"].push_back({{"page", r.page},
                                {"changes", r.changes},
                                {"pull", figures(r.pull)},
                                {"noop", figures(r.noop)},
                                {"max_ratio", ratio(r.pull.cpu_max_ms, r.noop.cpu_max_ms)}});
    }
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf(
        "Desktop: frame-thread CPU time while the sign-in sync runs, initial pull vs a no-op "
        "sync of the same device (median of %d runs)\n\n",
        runs);
    std::printf(
        "| page | sync | changes applied | sync wall ms | frames | max frame CPU ms | p99 | median "
        "| max "
        "vs no-op |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& r : rows) {
      for (const auto* f : {&r.noop, &r.pull}) {
        std::printf("| %s | %s | %lld | %.1f | %.0f | %.2f | %.2f | %.2f | %.2fx |\n",
                    r.page.c_str(), f == &r.pull ? "initial pull" : "no-op", f->applied, f->wall_ms,
                    f->frames, f->cpu_max_ms, f->cpu_p99_ms, f->cpu_median_ms,
                    ratio(f->cpu_max_ms, r.noop.cpu_max_ms));
      }
    }
  }
  std::error_code ec;
  fs::remove_all(work, ec);
  return rc;
}
