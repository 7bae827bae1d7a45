// lietvedis-server: the central store (docs/SERVER.md).
//   lietvedis-server serve --store sqlite:PATH|postgresql://... --listen HOST:PORT [--cert F --key
//   F] lietvedis-server admin --store S unit add --region NAME --name NAME lietvedis-server admin
//   --store S user add --unit ID --role ROLE --name "Display Name" lietvedis-server admin --store S
//   enrol-code --user ID [--server-url URL] [--cert F] [--ttl-hours 72] lietvedis-server admin
//   --store S status
// Exit codes: 0 ok, 2 usage, 3 validation, 4 not found, 5 other.
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "sync/server/server.hpp"
#include "sync/server/server_store.hpp"

namespace {

using namespace lietvedis;
namespace srv = lietvedis::server;
namespace pr = lietvedis::sync::protocol;

int ExitCodeFor(const Error& e) {
  switch (e.code) {
    case Errc::kValidation:
    case Errc::kConflict:
    case Errc::kConstraint:
      return 3;
    case Errc::kNotFound:
      return 4;
    default:
      return 5;
  }
}

int Fail(const Error& e) {
  std::fprintf(stderr, "lietvedis-server: %s (%s)\n", e.message.c_str(), ErrcName(e.code));
  return ExitCodeFor(e);
}

int Serve(const std::string& store_spec, const std::string& listen, const std::string& cert,
          const std::string& key, double session_hours) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Fail(MakeError(Errc::kValidation, "--listen: expected HOST:PORT"));
  }
  const std::string host = listen.substr(0, colon);
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port_text) > 65535) {
    return Fail(MakeError(Errc::kValidation, "--listen: bad port"));
  }
  auto store = srv::ServerStore::Open(store_spec);
  if (!store) return Fail(store.error());

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  srv::ServerOptions options;
  options.host = host;
  options.port = std::stoi(port_text);
  options.cert_file = cert;
  options.key_file = key;
  options.session_ttl_ms = static_cast<std::int64_t>(session_hours * 3600.0 * 1000.0);
  srv::Server server(**store, options);
  if (auto started = server.Start(); !started) return Fail(started.error());
  std::printf("listening on %s:%d\n", host.c_str(), server.port());
  std::fflush(stdout);
  std::fprintf(stderr, "lietvedis-server: %s back end, %s\n", (*store)->BackendName(),
               server.tls() ? "TLS" : "plain HTTP (no certificate given)");
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.Stop();
  std::fprintf(stderr, "lietvedis-server: stopped\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::fprintf(stderr, "lietvedis-server: libsodium cannot start\n");
    return 5;
  }
  CLI::App app{"lietvedis-server: the Lietvedis central store"};
  app.require_subcommand(1);

  std::string store_spec, listen = "127.0.0.1:8443", cert, key;
  double session_hours = 12;
  auto* serve = app.add_subcommand("serve", "serve the sync protocol");
  serve->add_option("--store", store_spec, "sqlite:PATH or postgresql://...")->required();
  serve->add_option("--listen", listen, "HOST:PORT (port 0 picks a free port)");
  serve->add_option("--cert", cert, "PEM certificate (with --key: HTTPS)");
  serve->add_option("--key", key, "PEM private key");
  serve->add_option("--session-hours", session_hours, "session token lifetime");

  auto* admin = app.add_subcommand("admin", "administer units, users and enrolment codes");
  admin->add_option("--store", store_spec, "sqlite:PATH or postgresql://...")->required();
  admin->require_subcommand(1);

  std::string region, unit_name;
  auto* unit = admin->add_subcommand("unit", "units");
  unit->require_subcommand(1);
  auto* unit_add = unit->add_subcommand("add", "add a unit; prints its id");
  unit_add->add_option("--region", region, "region name")->required();
  unit_add->add_option("--name", unit_name, "unit name")->required();

  std::string user_unit, role, display_name;
  auto* user = admin->add_subcommand("user", "users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a user; prints its id");
  user_add->add_option("--unit", user_unit, "unit id")->required();
  user_add->add_option("--role", role, "officer|supervisor|volunteer_coordinator|administrator")
      ->required();
  user_add->add_option("--name", display_name, "display name")->required();

  std::string code_user, server_url = "http://127.0.0.1:8443", code_cert;
  double ttl_hours = 72;
  auto* code = admin->add_subcommand("enrol-code", "issue a one-time enrolment code");
  code->add_option("--user", code_user, "user id")->required();
  code->add_option("--server-url", server_url, "URL the client will use");
  code->add_option("--cert", code_cert, "the server's PEM certificate (pinned by the client)");
  code->add_option("--ttl-hours", ttl_hours, "validity in hours");

  auto* status = admin->add_subcommand("status", "counts only");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (serve->parsed()) return Serve(store_spec, listen, cert, key, session_hours);

  auto store = srv::ServerStore::Open(store_spec);
  if (!store) return Fail(store.error());
  srv::ServerStore& st = **store;

  if (unit_add->parsed()) {
    if (region.empty() || unit_name.empty()) {
      return Fail(MakeError(Errc::kValidation, "--region and --name must not be empty"));
    }
    srv::Unit u{srv::NewRandomId(), region, unit_name};
    if (auto r = st.AddUnit(u); !r) return Fail(r.error());
    std::printf("%s\n", u.unit_id.c_str());
    return 0;
  }
  if (user_add->parsed()) {
    if (!pr::IsKnownRole(role)) {
      return Fail(MakeError(Errc::kValidation,
                            "--role: expected officer, supervisor, volunteer_coordinator or "
                            "administrator"));
    }
    if (display_name.empty()) return Fail(MakeError(Errc::kValidation, "--name must not be empty"));
    srv::User u{srv::NewRandomId(), display_name, role, user_unit, true};
    if (auto r = st.AddUser(u); !r) return Fail(r.error());
    std::printf("%s\n", u.user_id.c_str());
    return 0;
  }
  if (code->parsed()) {
    if (ttl_hours <= 0) return Fail(MakeError(Errc::kValidation, "--ttl-hours must be positive"));
    auto u = st.GetUser(code_user);
    if (!u) return Fail(u.error());
    if (!u->active) return Fail(MakeError(Errc::kValidation, "user is not active"));
    pr::EnrolmentCode c;
    c.server_url = server_url;
    std::uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    c.secret = pr::HexEncode(raw);
    sodium_memzero(raw, sizeof raw);
    if (!code_cert.empty()) {
      auto fp = srv::CertificateFingerprint(code_cert);
      if (!fp) return Fail(fp.error());
      c.cert_fingerprint = *fp;
    }
    const auto expires =
        srv::SystemNowMs() + static_cast<std::int64_t>(ttl_hours * 3600.0 * 1000.0);
    if (auto r = st.AddEnrolmentCode(srv::HashSecret(c.secret), u->user_id, expires); !r) {
      return Fail(r.error());
    }
    std::printf("%s\n", pr::EncodeEnrolmentCode(c).c_str());
    return 0;
  }
  if (status->parsed()) {
    auto c = st.Counts(srv::SystemNowMs());
    if (!c) return Fail(c.error());
    std::printf(
        "backend %s\nunits %lld\nusers %lld\ndevices %lld\nscopes %lld\nkey_wraps %lld\n"
        "envelopes %lld\nactive_sessions %lld\nopen_enrolment_codes %lld\n",
        st.BackendName(), static_cast<long long>(c->units), static_cast<long long>(c->users),
        static_cast<long long>(c->devices), static_cast<long long>(c->scopes),
        static_cast<long long>(c->wraps), static_cast<long long>(c->envelopes),
        static_cast<long long>(c->sessions), static_cast<long long>(c->open_codes));
    return 0;
  }
  return 2;
}
