// lv_fuzz_seeds DIR: writes the seed corpus of every fuzz target (tests/fuzz/seeds.hpp) as
// DIR/<target>/seed-<n>. `./run fuzz` runs it into tests/fuzz/corpus before fuzzing.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/fuzz/seeds.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: lv_fuzz_seeds DIR\n");
    return 2;
  }
  namespace fs = std::filesystem;
  int written = 0;
  for (const auto& [name, inputs] : lietvedis::fuzz::Seeds()) {
    const fs::path dir = fs::path(argv[1]) / name;
    fs::create_directories(dir);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      std::ofstream out(dir / ("seed-" + std::to_string(i)), std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(inputs[i].data()),
                static_cast<std::streamsize>(inputs[i].size()));
      if (!out) {
        std::fprintf(stderr, "lv_fuzz_seeds: cannot write %s\n", dir.c_str());
        return 1;
      }
      ++written;
    }
  }
  std::printf("%d seeds written to %s\n", written, argv[1]);
  return 0;
}
