// Benchmark: frame time of the desktop's caseload while scrolling and filtering, for caseloads
// of several sizes. Runs the real lietvedis-desktop (needs an X display: xvfb-run) with a
// scripted session, reads the frame-time figures it writes to --result-json, and prints a
// table of medians over the runs with the ratio to the smallest caseload measured in the same
// run. Seeding a caseload (through the Workspace commands) is done once per size and is not
// timed.
//
// usage: lv_ui_caseload_bench [--desktop PATH] [--sizes 100,10000] [--runs 5]
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const char* kScript = R"(expect "Klientu lietas"
idle
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
  std::string desktop;
  if (const char* b = std::getenv("LIETVEDIS_BUILD_DIR")) desktop = std::string(b) + "/ui/lietvedis-desktop";
  std::vector<int> sizes = {100, 10000};
  int runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const std::string v = argv[i + 1];
    if (a == "--desktop") {
      desktop = v;
    } else if (a == "--runs") {
      runs = std::max(1, std::atoi(v.c_str()));
    } else if (a == "--sizes") {
      sizes.clear();
      std::stringstream ss(v);
      std::string part;
      while (std::getline(ss, part, ',')) sizes.push_back(std::max(1, std::atoi(part.c_str())));
    } else {
      std::fprintf(stderr, "usage: %s [--desktop PATH] [--sizes 100,10000] [--runs 5]\n", argv[0]);
      return 2;
    }
  }
  if (desktop.empty() || !fs::exists(desktop)) {
    std::fprintf(stderr, "lv_ui_caseload_bench: lietvedis-desktop not found (--desktop PATH)\n");
    return 2;
  }
  const fs::path work = fs::temp_directory_path() / ("lv-ui-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  const fs::path script = work / "bench.lvs";
  std::ofstream(script) << kScript;

  struct Row {
    int size;
    double median, p95, max;
  };
  std::vector<Row> rows;
  int rc = 0;
  for (int size : sizes) {
    const fs::path data = work / ("data-" + std::to_string(size));
    const std::string base = "ASAN_OPTIONS=detect_leaks=0 '" + desktop + "' --data '" + data.string() +
                             "' --passphrase bench-parole-123 --as supervisor --page caseload --width 1440 --height 900";
    // Seed once (not timed): the demo unit with `size` cases spread over four officers.
    if (Run(base + " --demo --demo-cases " + std::to_string(size) + " --screenshot '" + (work / "seed.png").string() +
            "' --after-frames 2") != 0) {
      std::fprintf(stderr, "lv_ui_caseload_bench: seeding %d cases failed\n", size);
      rc = 1;
      continue;
    }
    std::vector<double> med, p95, mx;
    for (int r = 0; r < runs; ++r) {
      const fs::path result = work / "result.json";
      fs::remove(result);
      if (Run(base + " --script '" + script.string() + "' --result-json '" + result.string() + "'") != 0) {
        std::fprintf(stderr, "lv_ui_caseload_bench: run %d at %d cases failed\n", r, size);
        rc = 1;
        break;
      }
      std::ifstream in(result);
      auto j = nlohmann::json::parse(in, nullptr, false);
      if (j.is_discarded() || !j.contains("frame_ms_median")) {
        rc = 1;
        break;
      }
      med.push_back(j["frame_ms_median"].get<double>());
      p95.push_back(j["frame_ms_p95"].get<double>());
      mx.push_back(j["frame_ms_max"].get<double>());
    }
    if (!med.empty()) rows.push_back({size, Median(med), Median(p95), Median(mx)});
  }
  // The supervisor's caseload lists every case of the unit.
  std::printf("Desktop caseload frame time (CPU ms per frame; median of %d runs; scroll, search, filter)\n\n", runs);
  std::printf("| caseload rows | median ms | p95 ms | max ms | median / baseline |\n");
  std::printf("|---:|---:|---:|---:|---:|\n");
  for (const auto& r : rows) {
    std::printf("| %d | %.2f | %.2f | %.2f | %.2fx |\n", r.size, r.median, r.p95, r.max,
                rows.front().median > 0 ? r.median / rows.front().median : 0.0);
  }
  std::error_code ec;
  fs::remove_all(work, ec);
  return rc;
}
