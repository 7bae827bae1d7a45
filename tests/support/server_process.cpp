#include "tests/support/server_process.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "tests/support/temp_dir.hpp"

namespace lietvedis::testing {

TestCertificate MakeTestCertificate(const std::string& dir, const std::string& name) {
  TestCertificate c;
  c.cert_file = dir + "/" + name + ".cert.pem";
  c.key_file = dir + "/" + name + ".key.pem";
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      c.key_file + "' -out '" + c.cert_file + "' > '" + dir + "/" + name + ".openssl.log' 2>&1";
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
  FILE* f = std::fopen(c.cert_file.c_str(), "r");
  REQUIRE(f != nullptr);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  REQUIRE(cert != nullptr);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  const int digested = X509_digest(cert, EVP_sha256(), md, &n);
  X509_free(cert);
  REQUIRE(digested == 1);
  static const char* kHex = "0123456789abcdef";
  for (unsigned int i = 0; i < n; ++i) {
    c.fingerprint += kHex[md[i] >> 4];
    c.fingerprint += kHex[md[i] & 15];
  }
  return c;
}

ServerProcess::ServerProcess(const std::string& binary, const std::string& store)
    : dir_(std::make_unique<TempDir>()) {
  cert_ = MakeTestCertificate(dir_->path().string(), "server");
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDERR_FILENO);  // request log lines
    execl(binary.c_str(), binary.c_str(), "serve", "--store", store.c_str(), "--listen",
          "127.0.0.1:0", "--cert", cert_.cert_file.c_str(), "--key", cert_.key_file.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  out_ = fdopen(fds[0], "r");
  char line[256] = {};
  REQUIRE(std::fgets(line, sizeof line, out_) != nullptr);  // "listening on HOST:PORT"
  const std::string text(line);
  const auto at = text.find("listening on ");
  REQUIRE(at != std::string::npos);
  address_ = text.substr(at + 13);
  while (!address_.empty() && (address_.back() == '\n' || address_.back() == '\r'))
    address_.pop_back();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (out_ != nullptr) std::fclose(out_);
}

std::string ServerProcess::EnrolCodeArgs() const {
  return "--server-url " + url() + " --cert '" + cert_.cert_file + "'";
}

std::string RootKeyFileFor(const std::string& store) {
  REQUIRE(store.rfind("sqlite:", 0) == 0);  // tests over PostgreSQL sign through the harness
  return store.substr(7) + ".root.key";
}

std::string ServerAdmin(const std::string& binary, const std::string& store,
                        const std::string& args) {
  ::setenv("LIETVEDIS_ROOT_PASSPHRASE", "root passphrase for tests", 1);
  const std::string root_key = RootKeyFileFor(store);
  if (::access(root_key.c_str(), F_OK) != 0) {
    const std::string init =
        "'" + binary + "' admin --root-key '" + root_key + "' root init --fast-kdf > /dev/null";
    INFO(init);
    REQUIRE(std::system(init.c_str()) == 0);
  }
  const std::string cmd =
      "'" + binary + "' admin --store '" + store + "' --root-key '" + root_key + "' " + args;
  INFO(cmd);
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  REQUIRE(pclose(p) == 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace lietvedis::testing
