// CliDevice: one device driven through the real `lietvedis` binary, as an officer's scripts or
// a support engineer would: `lietvedis --data DIR --passphrase-file F ARGS`, run to completion
// with stdout and stderr kept. The passphrase comes from a file (a new one may not come from
// the environment). Header-only; the test target defines LV_LIETVEDIS_BIN.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "tests/support/temp_dir.hpp"

#ifndef LV_LIETVEDIS_BIN
#error "LV_LIETVEDIS_BIN must name the lietvedis binary"
#endif

namespace lietvedis::testing {

inline constexpr const char* kCliPassphrase = "ļoti-slepena-parole";

inline std::string SlurpFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CliDevice {
  CliDevice(TempDir& t, std::string n) : tmp(t), name(std::move(n)) {
    std::ofstream(passphrase_file) << kCliPassphrase << "\n";
  }
  TempDir& tmp;
  std::string name;
  std::string out, err;
  std::string passphrase_file = tmp / (name + ".passphrase");
  std::string dir() const { return tmp / name; }

  // The shell command that runs `lietvedis ARGS` on this device, output to its files.
  std::string Command(const std::string& args, const std::string& stdin_file = "/dev/null") const {
    return std::string("'") + LV_LIETVEDIS_BIN + "' --data '" + dir() + "' --passphrase-file '" +
           passphrase_file + "' " + args + " >'" + (tmp / (name + ".out")) + "' 2>'" +
           (tmp / (name + ".err")) + "' <'" + stdin_file + "'";
  }
  // Runs `lietvedis ARGS` with stdin from `stdin_file`; returns the exit code (-1 when a
  // signal ended it) and keeps stdout/stderr in out/err.
  int Run(const std::string& args, const std::string& stdin_file = "/dev/null") {
    const int status = std::system(Command(args, stdin_file).c_str());
    Collect();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // Reads what the last command wrote to stdout and stderr.
  void Collect() {
    out = SlurpFile(tmp / (name + ".out"));
    err = SlurpFile(tmp / (name + ".err"));
  }
  // The new record's id printed on stdout.
  std::string Id() const {
    std::string id = out;
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    return id;
  }
};

}  // namespace lietvedis::testing
