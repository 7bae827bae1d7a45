// The central store's SQLite file and its -wal and -shm are owner-only (0600) whatever the
// umask, created so and, for a store made by an older version, narrowed on open.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "sync/server/server_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;

namespace {

unsigned Mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// Restores the process's umask on scope exit.
struct Umask {
  explicit Umask(mode_t m) : old(::umask(m)) {}
  ~Umask() { ::umask(old); }
  mode_t old;
};

}  // namespace

TEST_CASE("The server's SQLite store and its -wal and -shm are created 0600", "[server]") {
  testing::TempDir tmp;
  const std::string path = tmp / "central.db";
  Umask loose(022);
  auto store = server::ServerStore::Open("sqlite:" + path);
  REQUIRE(store.ok());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    INFO(path + suffix);
    REQUIRE(std::filesystem::exists(path + suffix));
    CHECK(Mode(path + suffix) == 0600);
  }
}

TEST_CASE("A server store file made readable by others is narrowed to 0600 on open", "[server]") {
  testing::TempDir tmp;
  const std::string path = tmp / "central.db";
  Umask loose(022);
  { std::ofstream(path).flush(); }  // an empty file: an empty SQLite database
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  REQUIRE(Mode(path) == 0644);
  auto store = server::ServerStore::Open("sqlite:" + path);
  REQUIRE(store.ok());
  CHECK(Mode(path) == 0600);
  CHECK(Mode(path + "-wal") == 0600);
}
