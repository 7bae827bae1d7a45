// What the tests that run the real lietvedis-desktop share: where the program and the scripts
// are, reading and filling in a script, running the program under the X server ./run test
// provides (xvfb-run), and checking a screenshot it saved. Header-only; the test target
// defines LV_TEST_BUILD_DIR and LV_TEST_SOURCE_DIR (lv_add_test_executable does).
#pragma once

#include <stb_image.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/service_day.hpp"
#include "tests/support/temp_dir.hpp"

namespace lietvedis::testing::desktop {

inline std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

inline std::string Desktop() {
  return std::string(LV_TEST_BUILD_DIR) + "/ui/lietvedis-desktop";
}
inline std::string ScriptDir() {
  return std::string(LV_TEST_SOURCE_DIR) + "/tests/ui/scripts";
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// Today in Latvia as dd.mm.yyyy, the date the Workspace uses for "today".
inline std::string TodayDdMmYyyy() {
  return testing::ServiceDayLv();
}

// Copies tests/ui/scripts/NAME into DIR with @OUT@ and @TODAY@ filled in.
inline std::string PrepareScript(const TempDir& dir, const std::string& name) {
  std::string text = Slurp(ScriptDir() + "/" + name);
  REQUIRE_FALSE(text.empty());
  ReplaceAll(text, "@OUT@", dir.path().string());
  ReplaceAll(text, "@TODAY@", TodayDdMmYyyy());
  const std::string path = dir / name;
  std::ofstream(path) << text;
  return path;
}

// Runs the desktop with `args` (and `env`, "NAME=value …", before it); returns its exit status
// (128 + the signal when one ended it). Leak checks are off for the GL process only (see
// tests/ui/CMakeLists.txt); ASan and UBSan stay on.
inline int RunDesktop(const std::string& args, const std::string& env = {}) {
  REQUIRE_FALSE(Env("DISPLAY").empty());  // run under xvfb-run (./run test does)
  const std::string cmd = env +
                          " LIETVEDIS_FAST_KDF=1 ASAN_OPTIONS=abort_on_error=1:detect_leaks=0 '" +
                          Desktop() + "' " + args;
  INFO(cmd);
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs the desktop over a local-only store `data` as the demo user of `role`, with `script`;
// its result is written to `result`. Returns the exit status.
inline int RunDesktopAs(const std::string& data, const std::string& passphrase,
                        const std::string& role, const std::string& script,
                        const std::string& result, const std::string& env = {}) {
  return RunDesktop("--data '" + data + "' --passphrase " + passphrase + " --as " + role +
                        " --script '" + script + "' --result-json '" + result + "'",
                    env);
}

// A screenshot exists, has the window's size and is not one flat colour.
inline void CheckScreenshot(const std::string& path) {
  INFO(path);
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 4);
  REQUIRE(px != nullptr);
  CHECK(w == 1440);
  CHECK(h == 900);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(w) * static_cast<std::size_t>(h); i += 97) {
    if (px[i * 4] != px[0] || px[i * 4 + 1] != px[1] || px[i * 4 + 2] != px[2]) ++differing;
  }
  stbi_image_free(px);
  CHECK(differing > 100);
}

// With LV_DOCS_SCREENSHOTS=DIR set, copies the screenshot at `path` to DIR/`name` (how the
// screenshots in docs/ are made again: run the test with DIR=docs).
inline void KeepForDocs(const std::string& path, const std::string& name) {
  const std::string dir = Env("LV_DOCS_SCREENSHOTS");
  if (dir.empty()) return;
  std::ifstream in(path, std::ios::binary);
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out << in.rdbuf();
  CHECK(out.good());
}

}  // namespace lietvedis::testing::desktop
