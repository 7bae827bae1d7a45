// The real lietvedis-server for tests that drive clients as separate programs (the CLI, the
// desktop): `serve` over HTTPS on a free loopback port in a child process, stopped with SIGTERM
// when the object goes away, and `admin` subcommands run to completion.
//
// Every run is TLS with a pinned certificate, as in production: the process generates a fresh
// self-signed certificate (the `openssl` command line, EC P-256, CN and subjectAltName
// 127.0.0.1) in a directory of its own, serves with it, and hands out the enrol-code arguments
// (`EnrolCodeArgs()`) that make codes carry its pin.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <memory>
#include <string>

namespace lietvedis::testing {

class TempDir;

// A self-signed certificate and its key, written as PEM files; `fingerprint` is the pin
// (lowercase hex SHA-256 of the certificate's DER encoding). REQUIREs that openssl succeeds.
struct TestCertificate {
  std::string cert_file, key_file, fingerprint;
};
TestCertificate MakeTestCertificate(const std::string& dir, const std::string& name);

class ServerProcess {
 public:
  // Starts `BINARY serve --store STORE --listen 127.0.0.1:0 --cert C --key K` with a fresh
  // certificate and waits for "listening on".
  ServerProcess(const std::string& binary, const std::string& store);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  std::string url() const { return "https://" + address_; }
  const TestCertificate& certificate() const { return cert_; }
  // "--server-url https://127.0.0.1:PORT --cert 'PATH'": for `admin enrol-code`.
  std::string EnrolCodeArgs() const;

 private:
  std::unique_ptr<TempDir> dir_;
  TestCertificate cert_;
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
