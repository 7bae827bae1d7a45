// `lietvedis check` through the real binary: exit 0 on a sound store, exit 5 naming the page
// and file when a byte of store.db was flipped, the same in --json.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/temp_dir.hpp"

#ifndef LV_LIETVEDIS_BIN
#error "LV_LIETVEDIS_BIN must name the lietvedis binary"
#endif

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CheckCli {
  lietvedis::testing::TempDir tmp;
  std::string data = tmp / "d";
  std::string out, err;
  std::string passphrase_file = tmp / "passphrase";  // a new passphrase: never the environment
  CheckCli() {
    setenv("LIETVEDIS_FAST_KDF", "1", 1);
    unsetenv("LIETVEDIS_PASSPHRASE");
    std::ofstream(passphrase_file) << "ļoti-slepena-parole\n";
  }
  int Run(const std::string& args) {
    const std::string out_file = tmp / "out.txt", err_file = tmp / "err.txt";
    const std::string cmd = std::string("'") + LV_LIETVEDIS_BIN + "' --data '" + data +
                            "' --passphrase-file '" + passphrase_file + "' " + args + " >'" +
                            out_file + "' 2>'" + err_file + "' </dev/null";
    const int status = std::system(cmd.c_str());
    out = Slurp(out_file);
    err = Slurp(err_file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

void FlipByte(const std::string& path, std::size_t offset) {
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 1));
}

}  // namespace

TEST_CASE("cli: check is 0 on a sound store and 5 naming a damaged page", "[client][cli]") {
  CheckCli cli;
  REQUIRE(cli.Run("init --demo-org --role officer") == 0);
  REQUIRE(cli.Run("demo-data --cases 4") == 0);
  INFO(cli.out << cli.err);
  REQUIRE(cli.Run("check") == 0);
  CHECK(cli.out.find("pages authenticated (free pages included)") != std::string::npos);
  CHECK(cli.out.find("the store is sound") != std::string::npos);

  const std::string db = cli.data + "/store.db";
  const std::size_t pages = std::filesystem::file_size(db) / 4096;
  REQUIRE(pages > 4);
  const std::size_t page = pages - 1;  // 1-based page number of the second-to-last page
  FlipByte(db, (page - 1) * 4096 + 1234);
  CHECK(cli.Run("check") == 5);
  const std::string named = "page " + std::to_string(page) + " of store.db failed authentication";
  CHECK(cli.out.find("damaged: " + named) != std::string::npos);
  CHECK(cli.err.find("error: the store is damaged") != std::string::npos);

  CHECK(cli.Run("--json check") == 5);
  auto report = nlohmann::json::parse(cli.out);
  CHECK(report["sound"] == false);
  CHECK(report["db_pages"] == pages);
  REQUIRE(report["damage"].is_array());
  CHECK(report["damage"][0].get<std::string>().find(named) != std::string::npos);

  FlipByte(db, (page - 1) * 4096 + 1234);
  CHECK(cli.Run("check") == 0);
}
