// The command line every desktop benchmark takes: `--desktop PATH`, a list of sizes
// (`--<sizes_flag> a,b,…`), `--runs N`, `--json`, and the extra `--name VALUE` options a
// benchmark names (e.g. `--server PATH`). Header-only, for the benchmark programs.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace lietvedis::testing::bench {

// The non-empty comma-separated parts of `text`, in order.
inline std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

struct BenchArgs {
  std::string desktop;
  std::vector<int> sizes;  // the defaults as given, replaced by the sizes option
  int runs = 5;
  bool json = false;
  std::map<std::string, std::string> extra;  // by option name, without "--"
};

// Parses argv into `args` (whose fields hold the defaults). A size below `min_size` counts as
// `min_size`. False, with `usage` printed to stderr (its %s is argv[0]), for an unknown option
// or one without its value.
inline bool ParseBenchArgs(int argc, char** argv, const std::string& sizes_flag, int min_size,
                           const std::vector<std::string>& extra, const char* usage,
                           BenchArgs& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json") {
      args.json = true;
      continue;
    }
    const bool has_value = i + 1 < argc && a.rfind("--", 0) == 0;
    const std::string name = has_value ? a.substr(2) : std::string();
    if (name == "desktop") {
      args.desktop = argv[++i];
    } else if (name == "runs") {
      args.runs = std::max(1, std::atoi(argv[++i]));
    } else if (!name.empty() && name == sizes_flag) {
      args.sizes.clear();
      for (const std::string& part : SplitCommas(argv[++i])) {
        args.sizes.push_back(std::max(min_size, std::atoi(part.c_str())));
      }
    } else if (!name.empty() && std::find(extra.begin(), extra.end(), name) != extra.end()) {
      args.extra[name] = argv[++i];
    } else {
      std::fprintf(stderr, usage, argv[0]);
      return false;
    }
  }
  return true;
}

}  // namespace lietvedis::testing::bench
