// Benchmark: CPU time per frame of the desktop's caseload (scrolling, searching, filtering) and
// of the supervisor's dashboard, for caseloads of several sizes, and the desktop's peak
// resident memory. Runs the real lietvedis-desktop (needs an X display: xvfb-run) with a
// scripted session per screen, reads the figures it writes to --result-json (the frame
// thread's CPU time per frame, wall time, ru_maxrss), and prints a table of medians over the
// runs with the ratio to the smallest caseload measured in the same run. Seeding a caseload
// (through the Workspace commands) is done once per size and is not timed.
//
// usage: lv_ui_caseload_bench [--desktop PATH] [--sizes 100,10000] [--runs 5] [--json]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/ui/bench_args.hpp"

namespace bench = lietvedis::testing::bench;

namespace fs = std::filesystem;

namespace {

// The dashboard: the charts are redrawn every frame from the indicator snapshot.
const char* kDashboardScript = R"(expect "Vadītāja pārskats"
idle
measure
wait 100
scroll 5
wait 100
scroll -5
wait 100
quit
)";

const char* kScript = R"(expect "Klientu lietas"
idle
measure
hover "#row2"
scroll 10
wait 1
scroll 10
wait 1
scroll 10
wait 1
scroll 10
wait 1
scroll -40
wait 1
click "#search"
type "be"
idle
wait 5
key Backspace
key Backspace
idle
wait 5
click "#overdue_only"
idle
wait 5
click "#overdue_only"
idle
wait 30
quit
)";

int Run(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  bench::BenchArgs args;
  args.sizes = {100, 10000};
  if (!bench::ParseBenchArgs(argc, argv, "sizes", 1, {},
                             "usage: %s [--desktop PATH] [--sizes 100,10000] [--runs 5] [--json]\n",
                             args)) {
    return 2;
  }
  const std::string desktop = args.desktop;
  const std::vector<int> sizes = args.sizes;
  const int runs = args.runs;
  const bool json = args.json;
  if (desktop.empty() || !fs::exists(desktop)) {
    std::fprintf(stderr, "lv_ui_caseload_bench: lietvedis-desktop not found (--desktop PATH)\n");
    return 2;
  }
  const fs::path work = fs::temp_directory_path() / ("lv-ui-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  struct Screen {
    const char* name;
    const char* page;
    fs::path script;
  };
  std::vector<Screen> screens = {{"caseload", "caseload", work / "caseload.lvs"},
                                 {"dashboard", "dashboard", work / "dashboard.lvs"}};
  std::ofstream(screens[0].script) << kScript;
  std::ofstream(screens[1].script) << kDashboardScript;

  struct Row {
    std::string screen;
    int size;
    double median, p99, max, wall_median, rss_mib;
  };
  std::vector<Row> rows;
  int rc = 0;
  for (int size : sizes) {
    const fs::path data = work / ("data-" + std::to_string(size));
    const std::string base =
        "ASAN_OPTIONS=detect_leaks=0 '" + desktop + "' --data '" + data.string() +
        "' --passphrase bench-parole-123 --as supervisor --width 1440 --height 900";
    // Seed once (not timed): the demo unit with `size` cases spread over four officers.
    if (Run(base + " --page caseload --demo --demo-cases " + std::to_string(size) +
            " --screenshot '" + (work / "seed.png").string() + "' --after-frames 2") != 0) {
      std::fprintf(stderr, "lv_ui_caseload_bench: seeding %d cases failed\n", size);
      rc = 1;
      continue;
    }
    for (const Screen& screen : screens) {
      std::vector<double> med, p99, mx, wall, rss;
      for (int r = 0; r < runs; ++r) {
        const fs::path result = work / "result.json";
        fs::remove(result);
        if (Run(base + " --page " + screen.page + " --script '" + screen.script.string() +
                "' --result-json '" + result.string() + "'") != 0) {
          std::fprintf(stderr, "lv_ui_caseload_bench: %s run %d at %d cases failed\n", screen.name,
                       r, size);
          rc = 1;
          break;
        }
        std::ifstream in(result);
        auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.contains("frame_cpu_ms_median")) {
          rc = 1;
          break;
        }
        // The supervisor's caseload must list the whole unit, or the figures are not for `size`.
        if (std::string(screen.name) == "caseload" && j.value("cases_shown", 0) != size) {
          std::fprintf(stderr, "lv_ui_caseload_bench: the caseload showed %d rows, not %d\n",
                       j.value("cases_shown", 0), size);
          rc = 1;
          break;
        }
        med.push_back(j["frame_cpu_ms_median"].get<double>());
        p99.push_back(j["frame_cpu_ms_p99"].get<double>());
        mx.push_back(j["frame_cpu_ms_max"].get<double>());
        wall.push_back(j["frame_ms_median"].get<double>());
        rss.push_back(j.value("peak_rss_kib", 0.0) / 1024.0);
      }
      if (!med.empty()) {
        rows.push_back(
            {screen.name, size, Median(med), Median(p99), Median(mx), Median(wall), Median(rss)});
      }
    }
  }
  // Ratio to the same screen at the smallest size measured in this run.
  auto baseline = [&rows](const std::string& screen) {
    for (const auto& r : rows) {
      if (r.screen == screen) return r.median;
    }
    return 0.0;
  };
  if (json) {
    nlohmann::json out = {{"runs", runs}, {"results", nlohmann::json::array()}};
    for (const auto& r : rows) {
      const double base = baseline(r.screen);
      out["results"].push_back({{"screen", r.screen},
                                {"cases", r.size},
                                {"median_ms", r.median},
                                {"p99_ms", r.p99},
                                {"max_ms", r.max},
                                {"wall_median_ms", r.wall_median},
                                {"ratio", base > 0 ? r.median / base : 0.0},
                                {"peak_rss_mib", r.rss_mib}});
    }
    std::printf("%s\n", out.dump().c_str());
  } else {
    // The supervisor's caseload lists every case of the unit.
    std::printf(
        "Desktop CPU time per frame (median of %d runs; caseload: scroll, search, filter; "
        "dashboard)\n\n",
        runs);
    std::printf(
        "| screen | cases | median ms | p99 ms | max ms | wall median ms | vs smallest | peak RSS "
        "MiB |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& r : rows) {
      const double base = baseline(r.screen);
      std::printf("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2fx | %.0f |\n", r.screen.c_str(),
                  r.size, r.median, r.p99, r.max, r.wall_median, base > 0 ? r.median / base : 0.0,
                  r.rss_mib);
    }
  }
  std::error_code ec;
  fs::remove_all(work, ec);
  return rc;
}
