// lietvedis-server: the central store (docs/SERVER.md).
//   serve  --store sqlite:PATH|postgresql://... --listen HOST:PORT [--cert F --key F]
//          (without --cert/--key only a loopback --listen: plain HTTP never leaves the machine)
//   admin  root init --root-key F [--fast-kdf]               the organisation's root key
//   admin  --store S --root-key F unit add --region R --name N
//   admin  --store S --root-key F user add --unit ID --role ROLE --name "Display Name"
//   admin  --store S --root-key F user deactivate|reactivate --user ID
//   admin  --store S --root-key F enrol-code --user ID --server-url URL [--cert F] [--ttl-hours]
//          (https:// needs --cert, whose pin the code carries; http:// only for loopback)
//   admin  --store S --root-key F device revoke --device ID [--reason TEXT]
//   admin  --store S --root-key F cover set --user ID --deputy ID --from DAY --until DAY
//   admin  --store S --root-key F cover end --user ID --deputy ID
//   admin  --store S cover list
//   admin  --store S --root-key F programme set [--id ID] --name N --provider P --mode M
//          --accreditation A [--target-group G] [--provider-name N] [--retire]
//   admin  --store S programme list
//   admin  --store S user list | device list | status
//   admin  --store S --root-key F root certify-admin --out F --name N [--fast-kdf]
//   admin  --store S --root-key F root withdraw-admin --admin ID
//   admin  --store S --root-key F|--admin-key F root admins
// Directory changes are signed with the root key (sync/directory.hpp), or with an
// administrator key the root certified (--admin-key instead of --root-key, for everything but
// certifying and withdrawing administrator keys), so the root can stay in the safe. The
// passphrases come from LIETVEDIS_ROOT_PASSPHRASE / LIETVEDIS_ADMIN_PASSPHRASE or
// --root-passphrase-file / --admin-passphrase-file. `serve` never opens either key.
// Exit codes: 0 ok, 2 usage, 3 validation, 4 not found, 5 other (a wrong root passphrase too).
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sync/root_key.hpp"
#include "sync/server/directory_admin.hpp"
#include "sync/server/server.hpp"
#include "sync/server/server_store.hpp"
#include "sync/server_address.hpp"

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
  if (cert.empty() != key.empty()) {
    return Fail(MakeError(Errc::kValidation, "--cert and --key go together (HTTPS needs both)"));
  }
  if (cert.empty() && !sync::IsLoopbackHost(host)) {
    return Fail(MakeError(
        Errc::kValidation,
        "--listen " + listen +
            ": plain HTTP is served only on loopback (127.0.0.0/8, ::1, localhost); on any "
            "other address give --cert and --key, so clients can pin the certificate"));
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
               server.tls() ? "TLS" : "plain HTTP on loopback (no certificate given)");
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.Stop();
  std::fprintf(stderr, "lietvedis-server: stopped\n");
  return 0;
}

// The root key's passphrase: LIETVEDIS_ROOT_PASSPHRASE, else the first line of `file`.
// A key file's passphrase: from `file` (its first line) or the environment variable `env`.
// `who` is "root" or "admin".
Result<std::string> KeyPassphrase(const std::string& file, const std::string& who) {
  const std::string option = "--" + who + "-passphrase-file";
  const std::string env =
      who == "root" ? "LIETVEDIS_ROOT_PASSPHRASE" : "LIETVEDIS_ADMIN_PASSPHRASE";
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return MakeError(Errc::kValidation, option + ": cannot read " + file);
    }
    return line;
  }
  if (const char* value = std::getenv(env.c_str()); value != nullptr && *value != 0) {
    return std::string(value);
  }
  return MakeError(Errc::kValidation,
                   "the " + who + " key's passphrase: set " + env + " or give " + option);
}
Result<std::string> RootPassphrase(const std::string& file) {
  return KeyPassphrase(file, "root");
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that closes its connection while TLS writes to it must fail that write, not end
  // the process: OpenSSL writes through the socket without MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
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
  serve->add_option("--listen", listen,
                    "HOST:PORT (port 0 picks a free port); beyond loopback only with --cert/--key");
  serve->add_option("--cert", cert, "PEM certificate (with --key: HTTPS)");
  serve->add_option("--key", key, "PEM private key");
  serve->add_option("--session-hours", session_hours, "session token lifetime");

  std::string root_key_file, root_pass_file;
  auto* admin = app.add_subcommand("admin",
                                   "administer the directory: root key, units, users, "
                                   "enrolment codes, devices");
  admin->add_option("--store", store_spec, "sqlite:PATH or postgresql://...");
  admin->add_option("--root-key", root_key_file,
                    "the organisation's root key file (for every change of the directory)");
  admin->add_option("--root-passphrase-file", root_pass_file,
                    "file holding the root key's passphrase (else LIETVEDIS_ROOT_PASSPHRASE)");
  std::string admin_key_file, admin_pass_file;
  admin->add_option("--admin-key", admin_key_file,
                    "an administrator key the root certified (instead of --root-key)");
  admin->add_option("--admin-passphrase-file", admin_pass_file,
                    "file holding the administrator key's passphrase (else "
                    "LIETVEDIS_ADMIN_PASSPHRASE)");
  admin->require_subcommand(1);

  bool fast_kdf = false;
  auto* root = admin->add_subcommand("root", "the organisation's root key");
  root->require_subcommand(1);
  auto* root_init = root->add_subcommand("init", "create the root key file; prints its public key");
  root_init->add_flag("--fast-kdf", fast_kdf, "interactive Argon2id cost (demo and tests only)");
  auto* root_show = root->add_subcommand("show", "print the root key's public key");
  std::string admin_out, admin_name, admin_id;
  auto* root_certify = root->add_subcommand(
      "certify-admin", "create an administrator key file and certify it; prints its id");
  root_certify->add_option("--out", admin_out, "the new administrator key file")->required();
  root_certify->add_option("--name", admin_name, "who holds it")->required();
  root_certify->add_flag("--fast-kdf", fast_kdf, "interactive Argon2id cost (demo and tests only)");
  auto* root_withdraw =
      root->add_subcommand("withdraw-admin", "withdraw an administrator key (a lost key too)");
  root_withdraw->add_option("--admin", admin_id, "administrator key id")->required();
  auto* root_admins =
      root->add_subcommand("admins", "administrator keys: id, active or withdrawn, name");

  std::string region, unit_name;
  auto* unit = admin->add_subcommand("unit", "units");
  unit->require_subcommand(1);
  auto* unit_add = unit->add_subcommand("add", "add a unit; prints its id");
  unit_add->add_option("--region", region, "region name")->required();
  unit_add->add_option("--name", unit_name, "unit name")->required();

  std::string user_unit, role, display_name, user_id;
  auto* user = admin->add_subcommand("user", "users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a user; prints its id");
  user_add->add_option("--unit", user_unit, "unit id")->required();
  user_add->add_option("--role", role, "officer|supervisor|volunteer_coordinator|administrator")
      ->required();
  user_add->add_option("--name", display_name, "display name")->required();
  auto* user_off = user->add_subcommand("deactivate", "cut a user off (every device)");
  user_off->add_option("--user", user_id, "user id")->required();
  auto* user_on = user->add_subcommand("reactivate", "let a deactivated user back in");
  user_on->add_option("--user", user_id, "user id")->required();
  auto* user_list = user->add_subcommand("list", "users: id, role, unit, active, name");

  std::string code_user, server_url, code_cert;
  double ttl_hours = 72;
  auto* code = admin->add_subcommand("enrol-code", "issue a one-time enrolment code");
  code->add_option("--user", code_user, "user id")->required();
  code->add_option("--server-url", server_url,
                   "https://HOST[:PORT] the client will use (http:// only for loopback)")
      ->required();
  code->add_option("--cert", code_cert,
                   "the server's PEM certificate (pinned by the client; needed for https://)");
  code->add_option("--ttl-hours", ttl_hours, "validity in hours");

  std::string device_id, reason = "revoked by the administrator";
  auto* device = admin->add_subcommand("device", "enrolled devices");
  device->require_subcommand(1);
  auto* device_list =
      device->add_subcommand("list", "devices: id, user, enrolled, revoked, last seen, name");
  auto* device_revoke = device->add_subcommand("revoke", "cut a lost or stolen device off");
  device_revoke->add_option("--device", device_id, "device id")->required();
  device_revoke->add_option("--reason", reason, "why (kept in the signed statement)");

  std::string cover_user, cover_deputy, cover_from, cover_until;
  auto* cover = admin->add_subcommand("cover", "a deputy for an absent officer (break-glass)");
  cover->require_subcommand(1);
  auto* cover_set = cover->add_subcommand(
      "set", "officer --user is away; officer --deputy of the same unit covers from..until");
  cover_set->add_option("--user", cover_user, "the absent officer's user id")->required();
  cover_set->add_option("--deputy", cover_deputy, "the covering officer's user id")->required();
  cover_set->add_option("--from", cover_from, "first day, YYYY-MM-DD")->required();
  cover_set->add_option("--until", cover_until, "last day, YYYY-MM-DD")->required();
  auto* cover_end = cover->add_subcommand("end", "end a cover before its last day");
  cover_end->add_option("--user", cover_user, "the absent officer's user id")->required();
  cover_end->add_option("--deputy", cover_deputy, "the covering officer's user id")->required();
  auto* cover_list = cover->add_subcommand("list", "covers: user, deputy, from, until");

  sync::directory::VerifiedDirectory::Programme programme;
  bool programme_retire = false;
  auto* prog = admin->add_subcommand("programme", "the resocialisation programme catalogue");
  prog->require_subcommand(1);
  auto* prog_set = prog->add_subcommand(
      "set", "add a programme, or replace the one with --id (every device's catalogue follows)");
  prog_set->add_option("--id", programme.programme_id,
                       "the programme's id (a-z, 0-9, '-'); omitted: a new programme");
  prog_set->add_option("--name", programme.name, "the programme's name")->required();
  prog_set->add_option("--target-group", programme.target_group, "whom it is for");
  prog_set->add_option("--provider", programme.provider, "vpd, ievp, ngo or other")->required();
  prog_set->add_option("--provider-name", programme.provider_name, "who runs it");
  prog_set->add_option("--mode", programme.mode, "in_person, e_environment or blended")->required();
  prog_set
      ->add_option("--accreditation", programme.accreditation,
                   "accredited, not_accredited or pilot")
      ->required();
  prog_set->add_flag("--retire", programme_retire,
                     "no new referrals to it (referrals made keep it)");
  auto* prog_list = prog->add_subcommand(
      "list", "programmes: id, active, provider, mode, accreditation, name, target group");

  auto* status = admin->add_subcommand("status", "counts only");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (serve->parsed()) return Serve(store_spec, listen, cert, key, session_hours);

  // enrol-code's address and pin are checked before the store or the root key is opened.
  std::string fingerprint;
  if (code->parsed()) {
    if (ttl_hours <= 0) return Fail(MakeError(Errc::kValidation, "--ttl-hours must be positive"));
    auto pin = srv::DirectoryAdmin::EnrolCodePin(server_url, code_cert);
    if (!pin) return Fail(pin.error());
    fingerprint = *pin;
  }

  if (!root_key_file.empty() && !admin_key_file.empty()) {
    return Fail(MakeError(Errc::kValidation, "--root-key and --admin-key: give one of them"));
  }
  // The key that signs: the root's, or an administrator key's.
  auto open_root = [&]() -> Result<sync::RootKey> {
    if (!admin_key_file.empty()) {
      LV_ASSIGN(std::string pass, KeyPassphrase(admin_pass_file, "admin"));
      LV_ASSIGN(sync::RootKey k, sync::RootKey::Open(admin_key_file, pass));
      if (!k.is_administrator()) {
        return MakeError(Errc::kValidation, "--admin-key " + admin_key_file +
                                                " is the root key itself; give it as --root-key");
      }
      return k;
    }
    if (root_key_file.empty()) {
      return MakeError(Errc::kValidation,
                       "--root-key: the organisation's root key file (or --admin-key) is needed");
    }
    LV_ASSIGN(std::string pass, RootPassphrase(root_pass_file));
    LV_ASSIGN(sync::RootKey k, sync::RootKey::Open(root_key_file, pass));
    if (k.is_administrator()) {
      return MakeError(Errc::kValidation, "--root-key " + root_key_file +
                                              " is an administrator key; give it as --admin-key");
    }
    return k;
  };
  if (root_init->parsed()) {
    if (root_key_file.empty()) return Fail(MakeError(Errc::kValidation, "--root-key: missing"));
    auto pass = RootPassphrase(root_pass_file);
    if (!pass) return Fail(pass.error());
    auto k = sync::RootKey::Generate();
    if (!k) return Fail(k.error());
    if (auto r = k->Save(root_key_file, *pass, fast_kdf); !r) return Fail(r.error());
    std::printf("%s\n", k->public_key_hex().c_str());
    return 0;
  }
  if (root_show->parsed()) {
    auto k = open_root();
    if (!k) return Fail(k.error());
    std::printf("%s\n", k->public_key_hex().c_str());
    return 0;
  }

  if (store_spec.empty()) return Fail(MakeError(Errc::kValidation, "--store: missing"));
  auto store = srv::ServerStore::Open(store_spec);
  if (!store) return Fail(store.error());
  srv::ServerStore& st = **store;
  const std::int64_t now = srv::SystemNowMs();

  if (user_list->parsed() || device_list->parsed()) {
    auto d = st.LoadDirectory();
    if (!d) return Fail(d.error());
    if (user_list->parsed()) {
      for (const auto& u : d->users) {
        std::printf("%s\t%s\t%s\t%s\t%s\n", u.user_id.c_str(), u.role.c_str(), u.unit_id.c_str(),
                    u.active ? "active" : "inactive", u.display_name.c_str());
      }
    } else {
      for (const auto& dv : d->devices) {
        std::printf("%s\t%s\t%lld\t%s\t%lld\t%s\n", dv.device_id.c_str(), dv.user_id.c_str(),
                    static_cast<long long>(dv.created_at), dv.revoked ? "revoked" : "active",
                    static_cast<long long>(dv.last_seen_at), dv.name.c_str());
      }
    }
    return 0;
  }
  if (cover_list->parsed()) {
    auto covers = st.Covers();
    if (!covers) return Fail(covers.error());
    for (const auto& c : *covers) {
      std::printf("%s\t%s\t%s\t%s\n", c.user_id.c_str(), c.deputy_user_id.c_str(),
                  c.from_day.c_str(), c.until_day.c_str());
    }
    return 0;
  }
  if (prog_list->parsed()) {
    auto list = srv::DirectoryAdmin::Programmes(st);
    if (!list) return Fail(list.error());
    for (const auto& p : *list) {
      std::printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.programme_id.c_str(),
                  p.active ? "active" : "retired", p.provider.c_str(), p.mode.c_str(),
                  p.accreditation.c_str(), p.name.c_str(), p.target_group.c_str());
    }
    return 0;
  }
  if (status->parsed()) {
    auto c = st.Counts(now);
    if (!c) return Fail(c.error());
    auto head = st.DirectoryHead();
    if (!head) return Fail(head.error());
    std::printf(
        "backend %s\nunits %lld\nusers %lld\ndevices %lld\nscopes %lld\nkey_wraps %lld\n"
        "envelopes %lld\nactive_sessions %lld\nopen_enrolment_codes %lld\n"
        "directory_statements %lld\n",
        st.BackendName(), static_cast<long long>(c->units), static_cast<long long>(c->users),
        static_cast<long long>(c->devices), static_cast<long long>(c->scopes),
        static_cast<long long>(c->wraps), static_cast<long long>(c->envelopes),
        static_cast<long long>(c->sessions), static_cast<long long>(c->open_codes),
        static_cast<long long>(head->first));
    return 0;
  }

  // Everything below changes or reads the verified directory: signed with the root key or an
  // administrator key it certified.
  auto root_key = open_root();
  if (!root_key) return Fail(root_key.error());
  srv::DirectoryAdmin dir(st, *root_key);

  if (root_certify->parsed()) {
    if (root_key->is_administrator()) {
      return Fail(MakeError(Errc::kNotPermitted,
                            "only the root key certifies administrator keys: give --root-key"));
    }
    auto pass = KeyPassphrase(admin_pass_file, "admin");
    if (!pass) return Fail(pass.error());
    auto k = sync::RootKey::GenerateAdministrator(root_key->public_key());
    if (!k) return Fail(k.error());
    if (auto r = k->Save(admin_out, *pass, fast_kdf); !r) return Fail(r.error());
    if (auto r = dir.SetAdministrator(k->public_key(), admin_name, true, now); !r) {
      std::filesystem::remove(admin_out);  // a key the log does not certify is of no use
      return Fail(r.error());
    }
    std::printf("%s\n", k->admin_id().c_str());
    return 0;
  }
  if (root_withdraw->parsed() || root_admins->parsed()) {
    auto admins = dir.Administrators();
    if (!admins) return Fail(admins.error());
    if (root_admins->parsed()) {
      for (const auto& a : *admins) {
        std::printf("%s\t%s\t%s\n", a.admin_id.c_str(), a.active ? "active" : "withdrawn",
                    a.name.c_str());
      }
      return 0;
    }
    for (const auto& a : *admins) {
      if (a.admin_id != admin_id) continue;
      if (auto r = dir.SetAdministrator(a.admin_pk, a.name, false, now); !r) return Fail(r.error());
      return 0;
    }
    return Fail(
        MakeError(Errc::kNotFound, "no administrator key " + admin_id + " in the directory"));
  }
  if (unit_add->parsed()) {
    auto u = dir.AddUnit(region, unit_name, now);
    if (!u) return Fail(u.error());
    std::printf("%s\n", u->unit_id.c_str());
    return 0;
  }
  if (user_add->parsed()) {
    auto u = dir.AddUser(user_unit, role, display_name, now);
    if (!u) return Fail(u.error());
    std::printf("%s\n", u->user_id.c_str());
    return 0;
  }
  if (user_off->parsed() || user_on->parsed()) {
    if (auto r = dir.SetUserActive(user_id, user_on->parsed(), now); !r) return Fail(r.error());
    return 0;
  }
  if (code->parsed()) {
    auto text = dir.IssueEnrolmentCode(code_user, server_url, fingerprint,
                                       static_cast<std::int64_t>(ttl_hours * 3600.0 * 1000.0), now);
    if (!text) return Fail(text.error());
    std::printf("%s\n", text->c_str());
    return 0;
  }
  if (cover_set->parsed()) {
    if (auto r = dir.SetCover(cover_user, cover_deputy, cover_from, cover_until, now); !r) {
      return Fail(r.error());
    }
    return 0;
  }
  if (prog_set->parsed()) {
    programme.active = !programme_retire;
    auto id = dir.SetProgramme(programme, now);
    if (!id) return Fail(id.error());
    std::printf("%s\n", id->c_str());
    return 0;
  }
  if (cover_end->parsed()) {
    if (auto r = dir.EndCover(cover_user, cover_deputy, now); !r) return Fail(r.error());
    return 0;
  }
  if (device_revoke->parsed()) {
    if (auto r = dir.RevokeDevice(device_id, reason, now); !r) return Fail(r.error());
    return 0;
  }
  return 2;
}
