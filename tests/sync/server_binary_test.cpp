// The real lietvedis-server program: admin subcommands, exit codes, and serve.
#include <httplib.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "sync/directory.hpp"
#include "sync/protocol.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/sync/server_harness.hpp"

#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server executable"
#endif

namespace pr = lietvedis::sync::protocol;
using lietvedis::testing::TempDir;
using namespace lietvedis::testing::server_harness;

namespace {

struct Run {
  int rc = -1;
  std::string out;
};

// Runs the program; `out` is its stdout, or stdout and stderr with `with_stderr`.
Run RunServer(const std::string& args, bool with_stderr = false) {
  const std::string cmd =
      std::string(LV_SERVER_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  Run r;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r;
}

}  // namespace

// The organisation's root key for a test: created with the admin tool (interactive KDF cost);
// its passphrase travels in the environment, as in scripts.
std::string MakeRootKey(const TempDir& tmp) {
  ::setenv("LIETVEDIS_ROOT_PASSPHRASE", "root passphrase for tests", 1);
  const std::string file = tmp / "root.key";
  const Run init = RunServer("admin --root-key " + file + " root init --fast-kdf");
  REQUIRE(init.rc == 0);
  REQUIRE(pr::IsLowerHex(init.out, 64));
  return file;
}

TEST_CASE("lietvedis-server: admin subcommands, exit codes and serve", "[sync][server][binary]") {
  TempDir tmp;
  const std::string root_key = MakeRootKey(tmp);
  const std::string unsigned_store = "--store sqlite:" + (tmp / "central.db");
  const std::string store = unsigned_store + " --root-key " + root_key;
  // Directory changes need the root key, and its passphrase.
  CHECK(RunServer("admin " + unsigned_store + " unit add --region Kurzeme --name X").rc == 3);
  CHECK(RunServer("admin --root-key " + root_key + " root init").rc == 3);  // never overwritten
  {
    ::setenv("LIETVEDIS_ROOT_PASSPHRASE", "not the passphrase", 1);
    const Run wrong = RunServer("admin " + store + " unit add --region Kurzeme --name X");
    CHECK(wrong.rc == 5);
    ::setenv("LIETVEDIS_ROOT_PASSPHRASE", "root passphrase for tests", 1);
  }

  const Run unit = RunServer("admin " + store + " unit add --region Kurzeme --name 'Liepāja'");
  REQUIRE(unit.rc == 0);
  CHECK(pr::IsLowerHex(unit.out, 32));
  const Run user = RunServer("admin " + store + " user add --unit " + unit.out +
                             " --role officer --name 'Anna Bērziņa'");
  REQUIRE(user.rc == 0);
  CHECK(pr::IsLowerHex(user.out, 32));

  CHECK(RunServer("admin " + store + " user add --unit nope --role officer --name X").rc == 4);
  CHECK(RunServer("admin " + store + " user add --unit " + unit.out + " --role boss --name X").rc ==
        3);
  CHECK(
      RunServer("admin " + store + " enrol-code --user nope --server-url http://127.0.0.1:1").rc ==
      4);
  // A cover: a second officer covers for the first; the tool refuses what is not one.
  const Run deputy = RunServer("admin " + store + " user add --unit " + unit.out +
                               " --role officer --name 'Ilze Ozola'");
  REQUIRE(deputy.rc == 0);
  const std::string pair = " --user " + user.out + " --deputy " + deputy.out;
  CHECK(RunServer("admin " + store + " cover set" + pair + " --from 2099-02-01 --until 2099-02-30")
            .rc == 3);
  CHECK(RunServer("admin " + store + " cover set --user " + user.out + " --deputy nope" +
                  " --from 2099-02-01 --until 2099-02-14")
            .rc == 4);
  CHECK(RunServer("admin " + store + " cover set" + pair + " --from 2099-02-01").rc == 2);
  CHECK(RunServer("admin " + unsigned_store + " cover set" + pair +
                  " --from 2099-02-01 --until 2099-02-14")
            .rc == 3);  // no key
  REQUIRE(
      RunServer("admin " + store + " cover set" + pair + " --from 2099-02-01 --until 2099-02-14")
          .rc == 0);
  CHECK(RunServer("admin " + unsigned_store + " cover list").out ==
        user.out + "\t" + deputy.out + "\t2099-02-01\t2099-02-14");
  REQUIRE(RunServer("admin " + store + " cover end" + pair).rc == 0);
  CHECK(RunServer("admin " + store + " cover end" + pair).rc == 4);
  CHECK(RunServer("admin " + unsigned_store + " cover list").out.empty());
  CHECK(RunServer("admin " + store + " frobnicate").rc == 2);
  CHECK(RunServer("serve").rc == 2);
  CHECK(RunServer("admin --store mysql://x status").rc == 3);

  // serve on a free port; the first line names it.
  const std::string log = tmp / "serve.log";
  const std::string cmd =
      std::string(LV_SERVER_BINARY) + " serve " + unsigned_store + " --listen 127.0.0.1:0 2>" + log;
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  std::string line;
  char c = 0;
  while (::read(pipefd[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(pipefd[0]);
  REQUIRE(line.rfind("listening on 127.0.0.1:", 0) == 0);
  const int port = std::stoi(line.substr(std::string("listening on 127.0.0.1:").size()));
  CHECK(port > 0);

  const Run code = RunServer("admin " + store + " enrol-code --user " + user.out +
                             " --server-url http://127.0.0.1:" + std::to_string(port));
  REQUIRE(code.rc == 0);
  auto decoded = pr::DecodeEnrolmentCode(code.out);
  REQUIRE(decoded.ok());
  CHECK(decoded->server_url == "http://127.0.0.1:" + std::to_string(port));
  CHECK(decoded->cert_fingerprint.empty());

  TestDevice d = Harness::NewDeviceKeys();
  httplib::Client client("127.0.0.1", port);
  auto r =
      client.Post("/v1/enrol", {{pr::kProtocolHeader, "1"}},
                  pr::ToJson(Harness::EnrolRequestFor(code.out, d)).dump(), pr::kJsonContentType);
  REQUIRE(r);
  CHECK(r->status == 200);
  auto enrolled = pr::ParseBody<pr::EnrolResponse>(r->body);
  REQUIRE(enrolled.ok());
  CHECK(enrolled->user_id == user.out);
  CHECK(enrolled->display_name == "Anna Bērziņa");

  const Run status = RunServer("admin " + unsigned_store + " status");
  CHECK(status.rc == 0);
  CHECK(status.out.find("devices 1") != std::string::npos);
  CHECK(status.out.find("open_enrolment_codes 0") != std::string::npos);
  // unit, two users, the cover and its end, the code
  CHECK(status.out.find("directory_statements 6") != std::string::npos);

  // A lost laptop: revoked with the root key; its next sign-in is refused with the signed
  // revocation, which verifies under the root key the code carried.
  const Run listed = RunServer("admin " + unsigned_store + " device list");
  CHECK(listed.out.find(enrolled->device_id) != std::string::npos);
  CHECK(listed.out.find("active") != std::string::npos);
  CHECK(RunServer("admin " + store + " device revoke --device nope").rc == 4);
  REQUIRE(RunServer("admin " + store + " device revoke --device " + enrolled->device_id +
                    " --reason 'stolen laptop'")
              .rc == 0);
  CHECK(RunServer("admin " + unsigned_store + " device list").out.find("revoked") !=
        std::string::npos);
  auto refused = client.Post("/v1/session/challenge", {{pr::kProtocolHeader, "1"}},
                             pr::ToJson(pr::ChallengeRequest{enrolled->device_id}).dump(),
                             pr::kJsonContentType);
  REQUIRE(refused);
  CHECK(refused->status == 403);
  {
    const auto j = nlohmann::json::parse(refused->body);
    REQUIRE(j.contains("revocation"));
    auto st = pr::FromJson<pr::SignedStatement>(j["revocation"]);
    REQUIRE(st.ok());
    pr::Bytes root_pk(32);
    REQUIRE(sodium_hex2bin(root_pk.data(), root_pk.size(), decoded->root_pk.data(),
                           decoded->root_pk.size(), nullptr, nullptr, nullptr) == 0);
    const pr::Bytes msg = lietvedis::sync::directory::StatementSignedBytes(st->text);
    CHECK(crypto_sign_verify_detached(st->signature.data(), msg.data(), msg.size(),
                                      root_pk.data()) == 0);
    CHECK(st->text.find("stolen laptop") != std::string::npos);
  }

  ::kill(pid, SIGTERM);
  int wstatus = 0;
  REQUIRE(::waitpid(pid, &wstatus, 0) == pid);
  CHECK(WIFEXITED(wstatus));
  CHECK(WEXITSTATUS(wstatus) == 0);
  // The request log names the endpoint and device, never the display name or the code.
  std::FILE* f = std::fopen(log.c_str(), "r");
  REQUIRE(f != nullptr);
  std::string text;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) text.append(buf.data(), n);
  std::fclose(f);
  CHECK(text.find("POST /v1/enrol 200 device=" + enrolled->device_id) != std::string::npos);
  CHECK(text.find("Bērziņa") == std::string::npos);
  CHECK(text.find(decoded->secret) == std::string::npos);
}

TEST_CASE("lietvedis-server: TLS serve and a code that pins the certificate",
          "[sync][server][binary]") {
  TempDir tmp;
  const std::string root_key = MakeRootKey(tmp);
  const std::string cert = tmp / "cert.pem", key = tmp / "key.pem";
  const std::string gen = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " +
                          cert + " -days 2 -subj /CN=127.0.0.1 > " + (tmp / "openssl.log") +
                          " 2>&1";
  REQUIRE(std::system(gen.c_str()) == 0);
  const std::string serve_store = "--store sqlite:" + (tmp / "central.db");
  const std::string store = serve_store + " --root-key " + root_key;
  const Run unit = RunServer("admin " + store + " unit add --region Kurzeme --name Liepāja");
  REQUIRE(unit.rc == 0);
  const Run user =
      RunServer("admin " + store + " user add --unit " + unit.out + " --role supervisor --name S");
  REQUIRE(user.rc == 0);
  const Run code = RunServer("admin " + store + " enrol-code --user " + user.out +
                             " --server-url https://127.0.0.1:1 --cert " + cert + " --ttl-hours 1");
  REQUIRE(code.rc == 0);
  auto decoded = pr::DecodeEnrolmentCode(code.out);
  REQUIRE(decoded.ok());
  auto fp = lietvedis::server::CertificateFingerprint(cert);
  REQUIRE(fp.ok());
  CHECK(decoded->cert_fingerprint == *fp);
  CHECK(RunServer("admin " + store + " enrol-code --user " + user.out +
                  " --server-url https://127.0.0.1:1 --cert " + (tmp / "none.pem"))
            .rc == 5);

  // serve over HTTPS; the certificate it presents has the fingerprint the code carries.
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    const std::string cmd = "exec " + std::string(LV_SERVER_BINARY) + " serve " + serve_store +
                            " --listen 127.0.0.1:0 --cert " + cert + " --key " + key +
                            " 2>/dev/null";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  std::string line;
  char c = 0;
  while (::read(pipefd[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(pipefd[0]);
  REQUIRE(line.rfind("listening on 127.0.0.1:", 0) == 0);
  const int port = std::stoi(line.substr(std::string("listening on 127.0.0.1:").size()));
  const std::string served = tmp / "served.txt";
  const std::string probe = "openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                            " </dev/null 2>/dev/null | openssl x509 -outform DER 2>/dev/null | "
                            "sha256sum > " +
                            served;
  REQUIRE(std::system(probe.c_str()) == 0);
  {
    std::FILE* f = std::fopen(served.c_str(), "r");
    REQUIRE(f != nullptr);
    char hex[65] = {};
    REQUIRE(std::fread(hex, 1, 64, f) == 64);
    std::fclose(f);
    CHECK(std::string(hex) == decoded->cert_fingerprint);
  }
  httplib::Client client("https://127.0.0.1:" + std::to_string(port));
  client.enable_server_certificate_verification(false);
  TestDevice d = Harness::NewDeviceKeys();
  auto r =
      client.Post("/v1/enrol", {{pr::kProtocolHeader, "1"}},
                  pr::ToJson(Harness::EnrolRequestFor(code.out, d)).dump(), pr::kJsonContentType);
  REQUIRE(r);
  CHECK(r->status == 200);
  ::kill(pid, SIGTERM);
  int wstatus = 0;
  REQUIRE(::waitpid(pid, &wstatus, 0) == pid);
  CHECK(WIFEXITED(wstatus));
}

TEST_CASE("lietvedis-server: serve beyond loopback only with a certificate",
          "[sync][server][tls]") {
  TempDir tmp;
  const std::string store = "--store sqlite:" + (tmp / "central.db");
  for (const std::string listen : {"0.0.0.0:0", "192.0.2.7:8443", "lv.example:8443"}) {
    const Run r = RunServer("serve " + store + " --listen " + listen, /*with_stderr=*/true);
    INFO(r.out);
    CHECK(r.rc == 3);
    CHECK(r.out.find("--listen " + listen) != std::string::npos);
    CHECK(r.out.find("only on loopback") != std::string::npos);
    CHECK(r.out.find("--cert and --key") != std::string::npos);
    CHECK(r.out.find("listening on") == std::string::npos);
  }
  // Half a certificate is refused too, on any address.
  const Run half = RunServer("serve " + store + " --listen 127.0.0.1:0 --cert " + (tmp / "c.pem"),
                             /*with_stderr=*/true);
  CHECK(half.rc == 3);
  CHECK(half.out.find("--cert and --key go together") != std::string::npos);
  // Nothing was created for a refused serve.
  CHECK_FALSE(std::ifstream(tmp / "central.db").good());
}

TEST_CASE("lietvedis-server: enrol-code needs the server's URL, and https needs its certificate",
          "[sync][server][tls]") {
  TempDir tmp;
  const std::string root_key = MakeRootKey(tmp);
  const std::string store = "--store sqlite:" + (tmp / "central.db") + " --root-key " + root_key;
  const Run unit = RunServer("admin " + store + " unit add --region Kurzeme --name Liepāja");
  REQUIRE(unit.rc == 0);
  const Run user =
      RunServer("admin " + store + " user add --unit " + unit.out + " --role officer --name O");
  REQUIRE(user.rc == 0);
  const std::string issue = "admin " + store + " enrol-code --user " + user.out;

  const Run no_url = RunServer(issue, /*with_stderr=*/true);
  INFO(no_url.out);
  CHECK(no_url.rc == 2);
  CHECK(no_url.out.find("--server-url") != std::string::npos);
  CHECK(no_url.out.find("LV1-") == std::string::npos);

  const Run https_no_cert =
      RunServer(issue + " --server-url https://lv.example:8443", /*with_stderr=*/true);
  INFO(https_no_cert.out);
  CHECK(https_no_cert.rc == 3);
  CHECK(https_no_cert.out.find("give the server's certificate with --cert") != std::string::npos);

  const Run http_remote =
      RunServer(issue + " --server-url http://lv.example:8443", /*with_stderr=*/true);
  INFO(http_remote.out);
  CHECK(http_remote.rc == 3);
  CHECK(http_remote.out.find("http://lv.example:8443 is refused") != std::string::npos);
  CHECK(http_remote.out.find("only to this computer") != std::string::npos);

  const Run bad_scheme = RunServer(issue + " --server-url ftp://lv.example", /*with_stderr=*/true);
  CHECK(bad_scheme.rc == 3);
  CHECK(bad_scheme.out.find("must start with https://") != std::string::npos);

  // Plain http to loopback (a demo, a proxy on the same machine) is still possible.
  const Run local = RunServer(issue + " --server-url http://localhost:8443");
  REQUIRE(local.rc == 0);
  auto decoded = pr::DecodeEnrolmentCode(local.out);
  REQUIRE(decoded.ok());
  CHECK(decoded->server_url == "http://localhost:8443");
  CHECK(decoded->cert_fingerprint.empty());
  // No open code was left behind by the refusals: only the loopback one.
  const Run status = RunServer("admin " + store + " status");
  REQUIRE(status.rc == 0);
  CHECK(status.out.find("open_enrolment_codes 1\n") != std::string::npos);
}

TEST_CASE("lietvedis-server: the root certifies an administrator key, which signs until withdrawn",
          "[sync][server][binary]") {
  TempDir tmp;
  const std::string root_key = MakeRootKey(tmp);
  const std::string root_pk = RunServer("admin --root-key " + root_key + " root show").out;
  const std::string store = "--store sqlite:" + (tmp / "central.db");
  const std::string as_root = "admin " + store + " --root-key " + root_key;
  const std::string admin_file = tmp / "admin.key";
  const std::string as_admin = "admin " + store + " --admin-key " + admin_file;
  ::setenv("LIETVEDIS_ADMIN_PASSPHRASE", "administrator passphrase", 1);

  const Run unit = RunServer(as_root + " unit add --region Zemgale --name Jelgava");
  REQUIRE(unit.rc == 0);
  const Run certified = RunServer(as_root + " root certify-admin --out " + admin_file +
                                  " --name 'Ilze Kalniņa'" + " --fast-kdf");
  REQUIRE(certified.rc == 0);
  CHECK(pr::IsLowerHex(certified.out, 32));
  CHECK(RunServer(as_root + " root admins").out == certified.out + "\tactive\tIlze Kalniņa");

  // The administrator key does the day's work, and its codes pin the root, not itself.
  const Run user =
      RunServer(as_admin + " user add --unit " + unit.out + " --role officer --name 'Anna'");
  REQUIRE(user.rc == 0);
  const Run code =
      RunServer(as_admin + " enrol-code --user " + user.out + " --server-url http://127.0.0.1:1");
  REQUIRE(code.rc == 0);
  auto decoded = pr::DecodeEnrolmentCode(code.out);
  REQUIRE(decoded.ok());
  CHECK(decoded->root_pk == root_pk);
  // It cannot certify another administrator, and neither key passes for the other.
  const Run second = RunServer(
      as_admin + " root certify-admin --out " + (tmp / "b.key") + " --name B --fast-kdf", true);
  CHECK(second.rc == 5);
  CHECK(second.out.find("only the root key certifies administrator keys") != std::string::npos);
  {
    ::setenv("LIETVEDIS_ROOT_PASSPHRASE", "administrator passphrase", 1);
    const Run swapped = RunServer(
        "admin " + store + " --root-key " + admin_file + " unit add --region R --name N", true);
    ::setenv("LIETVEDIS_ROOT_PASSPHRASE", "root passphrase for tests", 1);
    CHECK(swapped.rc == 3);
    CHECK(swapped.out.find("is an administrator key; give it as --admin-key") != std::string::npos);
  }

  // Withdrawn (a lost key): it signs nothing more, and nothing is written.
  REQUIRE(RunServer(as_root + " root withdraw-admin --admin " + certified.out).rc == 0);
  CHECK(RunServer(as_root + " root admins").out == certified.out + "\twithdrawn\tIlze Kalniņa");
  const std::string users_before = RunServer("admin " + store + " user list").out;
  const Run refused =
      RunServer(as_admin + " user add --unit " + unit.out + " --role supervisor --name Z", true);
  CHECK(refused.rc == 5);
  CHECK(refused.out.find("was withdrawn by the organisation's root; nothing was changed") !=
        std::string::npos);
  CHECK(RunServer("admin " + store + " user list").out == users_before);
  CHECK(RunServer(as_root + " root withdraw-admin --admin " + std::string(32, 'a')).rc == 4);
}
