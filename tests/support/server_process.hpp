// The real lietvedis-server for tests that drive clients as separate programs (the CLI, the
// desktop): `serve` on a free loopback port in a child process, stopped with SIGTERM when the
// object goes away, and `admin` subcommands run to completion.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <string>

namespace lietvedis::testing {

class ServerProcess {
 public:
  // Starts `BINARY serve --store STORE --listen 127.0.0.1:0` and waits for "listening on".
  ServerProcess(const std::string& binary, const std::string& store);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string address_;
};

// Runs `BINARY admin --store STORE --root-key KEY ARGS` (REQUIREs exit 0); returns its stdout,
// trimmed. KEY is the organisation's root key of that store (RootKeyFileFor), created on first
// use with the passphrase in LIETVEDIS_ROOT_PASSPHRASE.
std::string RootKeyFileFor(const std::string& store);  // "sqlite:PATH" -> PATH.root.key
std::string ServerAdmin(const std::string& binary, const std::string& store,
                        const std::string& args);

}  // namespace lietvedis::testing
