// Benchmark: opening a case file in the desktop, from the click on its caseload row to the
// first frame that shows the case file's header, for a case with two years of history (about
// 500 records: contacts held and missed with their outcome and note, and notes) beside a
// case of ten records as the baseline, measured in the same run. Also the worst frame-thread
// CPU time in that window: the case file is read on the worker, so no frame should wait for it
// (budget 16 ms).
//
// Runs the real lietvedis-desktop (an X display: xvfb-run) with a scripted session: search the
// client, `measure`, click the row, wait for the header's "unsigned drafts" line (drawn only
// once the case file is read; the caseload has no such text, checked before `measure`). The desktop
// writes the frames of that window to --result-json (measured_wall_ms = the sum of their wall
// times; frame_cpu_ms_max). The stores are seeded once per size through the Workspace, not
// timed. Prints a table of medians over the runs with the ratio to the small case.
//
// usage: lv_ui_casefile_bench [--desktop PATH] [--records 10,500] [--runs 7] [--json]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "client/workspace.hpp"
#include "tests/ui/bench_args.hpp"
#include "ui/session.hpp"

namespace fs = std::filesystem;
using namespace lietvedis;
namespace bench = lietvedis::testing::bench;

namespace {

constexpr const char* kPassphrase = "bench-parole-123";

// The client searched and opened: a personal code with a valid check digit.
constexpr const char* kCode = "010190-11004";

const char* kScript = R"(expect "Klientu lietas"
idle
click "#search"
type "010190-11004"
idle
wait 5
expect_not "Neparakstīti melnraksti"
measure
click "#row0"
expect "Neparakstīti melnraksti"
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

// Days of history: two years of 28-day months from December 2024 (the last in November 2026).
constexpr int kSpan = 24 * 28;

// dd.mm.yyyy of day `i` (0..kSpan-1) since 01.12.2024.
std::string Day(int i) {
  const int month0 = 11 + i / 28;  // from December 2024
  const int year = 2024 + month0 / 12;
  const int month = month0 % 12 + 1;
  const int day = 1 + i % 28;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", day, month, year);
  return buf;
}

// A store at `data` with the demo officer's unit (4 other cases) and the client's case with
// `records` records besides its registration: two thirds contacts (held or missed, with their
// outcome and note), one third notes, dated over two years. Returns false on any refusal.
bool Seed(const fs::path& data, int records) {
  ui::Session s;
  if (!s.Create(data.string(), kPassphrase, /*fast_kdf=*/true).ok()) return false;
  if (!ui::SeedDemoData(s, 4, "officer").ok()) return false;
  client::Workspace& ws = *s.workspace();
  client::RegisterClient c;
  c.name = "Žanete";
  c.surname = "Ūdre";
  c.personal_code = kCode;
  c.kind = client::CaseKind::kConditionalSentence;
  c.opened_on = "01.12.2024";
  auto case_id = ws.Execute(c);
  if (!case_id.ok()) return false;
  const int contacts = records * 2 / 3, notes = records - contacts;
  for (int i = 0; i < contacts; ++i) {
    client::RecordContact k;
    k.case_id = *case_id;
    k.planned_at = Day(i * kSpan / std::max(1, contacts)) + " 10:00";
    auto id = ws.Execute(k);
    if (!id.ok()) return false;
    const bool held = i % 5 != 0;
    client::RecordContactOutcome o{
        *id, held ? client::ContactStatus::kHeld : client::ContactStatus::kMissed,
        held ? Day(i * kSpan / std::max(1, contacts)) : "",
        held ? "Pārrunāts darba meklēšanas plāns un reģistrēšanās NVA." : "",
        "Klients ieradās laikā; nākamā tikšanās pēc divām nedēļām."};
    if (!ws.Execute(o).ok()) return false;
  }
  for (int i = 0; i < notes; ++i) {
    client::AddNote n;
    n.case_id = *case_id;
    n.body = "Piezīme " + std::to_string(i + 1) + ": sazinājās ar darba devēju par grafiku.";
    if (!ws.Execute(n).ok()) return false;
  }
  s.Lock();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  bench::BenchArgs args;
  args.sizes = {10, 500};
  args.runs = 7;
  if (!bench::ParseBenchArgs(argc, argv, "records", 0, {},
                             "usage: %s [--desktop PATH] [--records 10,500] [--runs 7] [--json]\n",
                             args)) {
    return 2;
  }
  const std::string desktop = args.desktop;
  const std::vector<int> sizes = args.sizes;
  const int runs = args.runs;
  const bool json = args.json;
  if (desktop.empty() || !fs::exists(desktop)) {
    std::fprintf(stderr, "lv_ui_casefile_bench: lietvedis-desktop not found (--desktop PATH)\n");
    return 2;
  }
  const fs::path work =
      fs::temp_directory_path() / ("lv-ui-casefile-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  const fs::path script = work / "open.lvs";
  std::ofstream(script) << kScript;

  struct Row {
    int records;
    double open_ms, frames, cpu_max_ms, cpu_median_ms;
  };
  std::vector<Row> rows;
  int rc = 0;
  for (int records : sizes) {
    const fs::path data = work / ("data-" + std::to_string(records));
    if (!Seed(data, records)) {
      std::fprintf(stderr, "lv_ui_casefile_bench: seeding a case of %d records failed\n", records);
      rc = 1;
      continue;
    }
    std::vector<double> open, frames, cpu_max, cpu_median;
    for (int r = 0; r < runs; ++r) {
      const fs::path result = work / "result.json";
      fs::remove(result);
      const std::string cmd = "ASAN_OPTIONS=detect_leaks=0 '" + desktop + "' --data '" +
                              data.string() + "' --passphrase " + kPassphrase +
                              " --as officer --width 1440 --height 900 --script '" +
                              script.string() + "' --result-json '" + result.string() + "'";
      if (Run(cmd) != 0) {
        std::fprintf(stderr, "lv_ui_casefile_bench: run %d at %d records failed\n", r, records);
        rc = 1;
        break;
      }
      std::ifstream in(result);
      auto j = nlohmann::json::parse(in, nullptr, false);
      if (j.is_discarded() || !j.contains("measured_wall_ms")) {
        rc = 1;
        break;
      }
      open.push_back(j["measured_wall_ms"].get<double>());
      frames.push_back(j["measured_frames"].get<double>());
      cpu_max.push_back(j["frame_cpu_ms_max"].get<double>());
      cpu_median.push_back(j["frame_cpu_ms_median"].get<double>());
    }
    if (!open.empty()) {
      rows.push_back({records, Median(open), Median(frames), Median(cpu_max), Median(cpu_median)});
    }
  }
  const double base = rows.empty() ? 0.0 : rows.front().open_ms;
  if (json) {
    nlohmann::json out = {{"runs", runs}, {"results", nlohmann::json::array()}};
    for (const auto& r : rows) {
      out["results"].push_back({{"records", r.records},
                                {"open_ms", r.open_ms},
                                {"frames", r.frames},
                                {"frame_cpu_max_ms", r.cpu_max_ms},
                                {"frame_cpu_median_ms", r.cpu_median_ms},
                                {"ratio", base > 0 ? r.open_ms / base : 0.0}});
    }
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf(
        "Desktop: click on a caseload row to the first frame showing the case file's header "
        "(median of %d runs)\n\n",
        runs);
    std::printf(
        "| records in the case | click to header ms | frames | worst frame CPU ms | median "
        "frame CPU ms | vs smallest |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& r : rows) {
      std::printf("| %d | %.1f | %.0f | %.2f | %.2f | %.2fx |\n", r.records, r.open_ms, r.frames,
                  r.cpu_max_ms, r.cpu_median_ms, base > 0 ? r.open_ms / base : 0.0);
    }
  }
  std::error_code ec;
  fs::remove_all(work, ec);
  return rc;
}
