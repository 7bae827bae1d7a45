// Batch layout and compression: the size and speed of the columnar layout (LVB3) at each zstd
// level on realistic change batches (tests/support/realistic_changes.hpp), and of the row
// layout (LVB2) uncompressed (the baseline) and at the chosen level, in the same process. It
// chose sync::kBatchZstdLevel: the level past which the bytes saved stop paying for the time
// spent on an officer's laptop. Medians of --runs runs; --json for lv_bench_report.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "sync/batch_codec.hpp"
#include "tests/support/realistic_changes.hpp"

using namespace lietvedis;

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

template <typename F>
double MedianUs(int runs, int reps, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (int k = 0; k < reps; ++k) f();
    t.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                    .count() /
                reps);
  }
  return Median(t);
}

struct Level {
  const char* layout;
  int level;
  std::size_t bytes;
  double encode_us, decode_us;
  // Encode, send at the mobile profile's 2 Mbit/s (tests/support/link_proxy.hpp), decode: what
  // the level costs an officer on a hotspot, the figure the level was chosen by.
  double MobileMs() const {
    return (encode_us + decode_us) / 1000.0 + static_cast<double>(bytes) * 8.0 / 2e6 * 1000.0;
  }
};

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  bool json = false, smoke = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--json") {
      json = true;
    } else if (a == "--smoke") {
      smoke = true;
    } else {
      std::fprintf(stderr, "usage: lv_codec_bench [--runs R] [--json] [--smoke]\n");
      return 2;
    }
  }
  // A day's contacts in one case (40 changes), and an initial push's envelope (5,000 changes).
  const std::vector<std::size_t> sizes =
      smoke ? std::vector<std::size_t>{40, 400} : std::vector<std::size_t>{40, 5000};
  const std::vector<int> levels =
      smoke ? std::vector<int>{0, 1, 3} : std::vector<int>{0, 1, 3, 6, 9, 19};
  if (json)
    std::printf("{\"runs\": %d, \"chosen\": %d, \"batches\": [", runs, sync::kBatchZstdLevel);
  if (!json) {
    std::printf(
        "batch layout and compression: medians of %d runs; rows at level 0 = uncompressed LVB2 "
        "(baseline)\n",
        runs);
    std::printf("%8s %8s %6s %10s %8s %8s %12s %12s %14s\n", "changes", "layout", "level", "bytes",
                "B/change", "ratio", "encode us", "decode us", "2 Mbit/s ms");
  }
  for (std::size_t si = 0; si < sizes.size(); ++si) {
    const std::size_t n = sizes[si];
    const auto changes = testing::RealisticChanges(n);
    const int reps = std::max<int>(1, static_cast<int>(20000 / n));
    std::vector<std::pair<sync::BatchLayout, int>> variants = {
        {sync::BatchLayout::kRows, 0}, {sync::BatchLayout::kRows, sync::kBatchZstdLevel}};
    for (int level : levels) variants.emplace_back(sync::BatchLayout::kColumns, level);
    std::vector<Level> rows;
    for (const auto& [layout, level] : variants) {
      std::vector<std::uint8_t> out;
      auto encode = [&] {
        auto plain = sync::EncodeBatch(changes[0].scope, changes, 1, layout);
        out = level == 0 ? std::move(*plain) : *sync::CompressBatch(std::move(*plain), level);
      };
      const double enc = MedianUs(runs, reps, encode);
      auto check = sync::DecodeBatch(out);
      if (!check.ok() || check->changes.size() != n) {
        std::fprintf(stderr, "lv_codec_bench: level %d did not round-trip\n", level);
        return 1;
      }
      const double dec = MedianUs(runs, reps, [&] { (void)sync::DecodeBatch(out); });
      rows.push_back(
          {layout == sync::BatchLayout::kRows ? "rows" : "columns", level, out.size(), enc, dec});
    }
    const double base = static_cast<double>(rows[0].bytes);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const Level& l = rows[k];
      if (json) {
        std::printf(
            "%s{\"changes\": %zu, \"layout\": \"%s\", \"level\": %d, \"bytes\": %zu,"
            " \"ratio\": %.4f, \"encode_us\": %.1f, \"decode_us\": %.1f, \"mobile_ms\": %.2f}",
            si + k ? ", " : "", n, l.layout, l.level, l.bytes, l.bytes / base, l.encode_us,
            l.decode_us, l.MobileMs());
      } else {
        std::printf("%8zu %8s %6d %10zu %8.1f %7.3fx %12.1f %12.1f %14.2f\n", n, l.layout, l.level,
                    l.bytes, static_cast<double>(l.bytes) / static_cast<double>(n), l.bytes / base,
                    l.encode_us, l.decode_us, l.MobileMs());
      }
    }
  }
  if (json) std::printf("]}\n");
  return 0;
}
