#include "sync/server/server.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "sync/access_rules.hpp"
#include "sync/directory.hpp"
#include "sync/pull_codec.hpp"
#include "sync/push_proof.hpp"
#include "sync/server/admin_reads.hpp"
#include "sync/server/server_http.hpp"
#include "sync/server/transfers.hpp"

namespace lietvedis::server {
namespace {

namespace pr = protocol;
using nlohmann::json;

using sync::kOpenRequestLimits;

// Per-request log context; the logger runs on the worker thread that handled the request.
thread_local std::string t_log_device;
thread_local std::chrono::steady_clock::time_point t_started;

using namespace http;  // server_http.hpp: replies, the caller, pull cursors

// cpp-httplib 0.11 listens with a backlog of 5, so a burst of new connections (50 clients
// coming online together) gets dropped. Linux lets listen() be called again on a listening
// socket to change its backlog; the socket is a protected member, hence this shim.
template <class Base>
class WideBacklog : public Base {
 public:
  using Base::Base;
  void WidenBacklog(int backlog) {
    const auto sock = this->svr_sock_.load();
    if (sock != INVALID_SOCKET) ::listen(sock, backlog);
  }
};
using PlainHttpServer = WideBacklog<httplib::Server>;
using TlsHttpServer = WideBacklog<httplib::SSLServer>;
constexpr int kListenBacklog = 512;

}  // namespace

std::int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::string> CertificateFingerprint(const std::string& cert_file) {
  FILE* f = std::fopen(cert_file.c_str(), "r");
  if (f == nullptr) return MakeError(Errc::kIo, "cannot open certificate " + cert_file);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return MakeError(Errc::kValidation, cert_file + " is not a PEM certificate");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const int ok = X509_digest(cert, EVP_sha256(), md, &len);
  X509_free(cert);
  if (ok != 1) return MakeError(Errc::kInternal, "cannot hash certificate");
  return pr::HexEncode(std::span<const std::uint8_t>(md, len));
}

struct Server::Impl {
  ServerStore& store;
  ServerOptions options;
  std::unique_ptr<httplib::Server> http;
  std::thread thread;
  int port = 0;
  bool tls = false;

  Impl(ServerStore& s, ServerOptions o) : store(s), options(std::move(o)) {
    if (options.now_ms) store.SetClock(options.now_ms);  // today for rule R8
  }

  std::int64_t Now() const { return options.now_ms ? options.now_ms() : SystemNowMs(); }

  void Log(const std::string& line) const {
    if (options.log) {
      options.log(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------
  static void Send(httplib::Response& res, Reply r) {
    res.status = r.status;
    if (!r.accepts.empty()) res.set_header(pr::kAcceptsHeader, r.accepts);
    if (r.binary) {
      // What set_content does, without copying megabytes of ciphertext once more.
      res.body = std::move(r.bytes);
      res.set_header("Content-Type", pr::kBinaryContentType);
      return;
    }
    res.set_content(r.body.dump(), pr::kJsonContentType);
  }

  // Answers, then closes the connection. For a request whose body is left unread (chunked,
  // oversized, unframeable): the bytes after its headers must never be taken for another
  // request on the same connection. httplib closes a connection whose answer fails to write,
  // so the provider writes the whole answer and then reports a failure.
  static void SendAndClose(httplib::Response& res, const Reply& r) {
    res.status = r.status;
    auto body = std::make_shared<std::string>(r.body.dump());
    res.set_header("Connection", "close");
    res.set_content_provider(
        body->size(), pr::kJsonContentType,
        [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          sink.write(body->data() + offset, length);
          return false;
        });
  }

  // 426 unless the request speaks this protocol version.
  static std::optional<Reply> CheckProtocol(const httplib::Request& req) {
    const std::string version = req.get_header_value(pr::kProtocolHeader);
    if (version == std::to_string(pr::kProtocolVersion)) return std::nullopt;
    return Reply::Fail(
        MakeError(Errc::kUnsupported,
                  version.empty() ? "missing Lietvedis-Protocol header"
                                  : "unsupported protocol version " + EscapeForLog(version, 16)),
        426);
  }

  // The framing of a request's body, checked before any of it is read: a body only with one
  // plain Content-Length within the route's limit (kOpenRequestLimits.max_bytes for routes
  // without a session). Chunked bodies are refused: no client sends them, and they would
  // bypass the size limit.
  static std::optional<Reply> CheckFraming(const httplib::Request& req) {
    if (req.has_header("Transfer-Encoding")) {
      return Reply::Fail(
          MakeError(Errc::kProtocol, "Transfer-Encoding is not accepted: send Content-Length"),
          411);
    }
    const std::size_t lengths = req.get_header_value_count("Content-Length");
    if (lengths == 0) return std::nullopt;
    const std::string text = req.get_header_value("Content-Length");
    const bool digits = lengths == 1 && !text.empty() && text.size() <= 12 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) return Reply::Fail(MakeError(Errc::kProtocol, "bad Content-Length"), 400);
    const std::size_t length = std::stoull(text);
    // On a route without a session the limit is small and the connection closes at once. On
    // the others httplib reads and discards a body of up to four times the limit and answers
    // 413 itself, so a client that sent too much learns why; past that it closes at once.
    const bool open = IsOpenRoute(req.path);
    const std::size_t limit = open ? kOpenRequestLimits.max_bytes : pr::kMaxRequestBody;
    if (length > limit && (open || length > 4 * limit)) {
      return Reply::Fail(MakeError(Errc::kProtocol,
                                   "request body larger than " + std::to_string(limit) + " bytes"),
                         413);
    }
    return std::nullopt;
  }

  static bool IsOpenRoute(const std::string& path) {
    return path == "/v1/enrol" || path == "/v1/session/challenge" || path == "/v1/session";
  }

  Result<Caller> Authenticate(const httplib::Request& req) {
    const std::string auth = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) {
      return Forbidden("no session: send Authorization: Bearer <token>");
    }
    // One query for the session, its device, the device's user and the user's highest grant
    // (was four, the last on every pull).
    std::string device_id;
    auto caller = store.SessionCaller(HashSecret(auth.substr(kBearer.size())), Now(), &device_id);
    t_log_device = device_id;
    if (!caller) return caller.error();
    if (!caller->user.active) return Forbidden("user is not active");
    return Caller{std::move(caller->device), std::move(caller->user), caller->max_grant};
  }

  // Routes a session-authenticated handler: 401 for a missing, unknown or expired session.
  template <class F>
  httplib::Server::Handler Authed(F f) {
    return [this, f](const httplib::Request& req, httplib::Response& res) {
      if (auto refused = CheckProtocol(req)) return Send(res, std::move(*refused));
      auto caller = Authenticate(req);
      if (!caller) {
        // Unknown or expired session, vanished device or user: 401. A failing store: its code.
        const Errc code = caller.error().code;
        const bool unauthenticated = code == Errc::kNotPermitted || code == Errc::kNotFound;
        Send(res, Reply::Fail(caller.error(), unauthenticated ? 401 : 0));
        return;
      }
      Send(res, f(req, *caller));
    };
  }

  template <class F>
  httplib::Server::Handler Open(F f) {
    return [f](const httplib::Request& req, httplib::Response& res) {
      if (auto refused = CheckProtocol(req)) return Send(res, std::move(*refused));
      Send(res, f(req));
    };
  }

  // ---- enrolment and sessions ---------------------------------------------------------------
  // The device proves it holds the enrolment key of a root-signed enrolment statement by
  // signing its own id and keys with it (sync/directory.hpp); the server never sees the code's
  // secret. The code row (under "pk:" + the enrolment key) makes the enrolment single use.
  Reply Enrol(const httplib::Request& req) {
    auto body = pr::ParseBody<pr::EnrolRequest>(req.body, kOpenRequestLimits);
    if (!body) return Reply::Fail(body.error());
    t_log_device = body->device_id;
    if (body->device_id != sync::directory::DeviceIdForKey(body->sign_pk)) {
      return Reply::Fail(
          MakeError(Errc::kValidation, "enrol.device_id: not derived from the device's key"));
    }
    const pr::Bytes msg = sync::directory::BindingSignedBytes(body->device_id, body->enrol_pk,
                                                              body->sign_pk, body->box_pk);
    if (crypto_sign_verify_detached(body->binding_sig.data(), msg.data(), msg.size(),
                                    body->enrol_pk.data()) != 0) {
      return Reply::Fail(Forbidden("enrol: the binding is not signed with the enrolment key"));
    }
    Device device{body->device_id, "",    body->device_name, body->sign_pk,
                  body->box_pk,    Now(), body->enrol_pk,    body->binding_sig};
    auto user = store.RedeemEnrolmentCode("pk:" + pr::HexEncode(body->enrol_pk), Now(), device);
    if (!user) return Reply::Fail(user.error());
    pr::EnrolResponse out{user->user_id, device.device_id, user->display_name, user->role,
                          user->unit_id};
    return Reply{200, pr::ToJson(out)};
  }

  Reply Challenge(const httplib::Request& req) {
    auto body = pr::ParseBody<pr::ChallengeRequest>(req.body, kOpenRequestLimits);
    if (!body) return Reply::Fail(body.error());
    t_log_device = body->device_id;
    auto device = store.GetDevice(body->device_id);
    if (!device) return Reply::Fail(device.error());
    if (device->revoked) return Revoked(device->device_id);
    pr::ChallengeResponse out;
    out.challenge.resize(32);
    randombytes_buf(out.challenge.data(), out.challenge.size());
    out.expires_at = Now() + options.challenge_ttl_ms;
    auto added = store.AddChallenge(HashSecret(pr::HexEncode(out.challenge)), body->device_id,
                                    Now(), out.expires_at);
    if (!added) return Reply::Fail(added.error());
    return Reply{200, pr::ToJson(out)};
  }

  Reply OpenSession(const httplib::Request& req) {
    auto body = pr::ParseBody<pr::SessionRequest>(req.body, kOpenRequestLimits);
    if (!body) return Reply::Fail(body.error());
    t_log_device = body->device_id;
    auto consumed =
        store.ConsumeChallenge(HashSecret(pr::HexEncode(body->challenge)), body->device_id, Now());
    if (!consumed) return Reply::Fail(consumed.error(), 401);
    auto device = store.GetDevice(body->device_id);
    if (!device) return Reply::Fail(device.error(), 401);
    auto user = store.GetUser(device->user_id);
    if (!user) return Reply::Fail(user.error(), 401);
    if (!user->active) return Reply::Fail(Forbidden("user is not active"), 401);
    const pr::Bytes msg = pr::SessionSignedBytes(body->challenge);
    if (device->sign_pk.size() != crypto_sign_PUBLICKEYBYTES ||
        crypto_sign_verify_detached(body->signature.data(), msg.data(), msg.size(),
                                    device->sign_pk.data()) != 0) {
      return Reply::Fail(Forbidden("session: bad signature"), 401);
    }
    std::uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    pr::SessionResponse out{pr::HexEncode(raw), Now() + options.session_ttl_ms};
    sodium_memzero(raw, sizeof raw);
    auto added = store.AddSession(HashSecret(out.token), device->device_id, out.expires_at);
    if (!added) return Reply::Fail(added.error());
    return Reply{200, pr::ToJson(out)};
  }

  // ---- directory and scopes ------------------------------------------------------------------
  Reply GetDirectory(const httplib::Request&, const Caller& c) {
    // Every sync fetches the directory: the administrator's "last seen" of the device. A
    // failure to note it does not fail the sync.
    if (auto seen = store.TouchDevice(c.device.device_id, Now()); !seen) {
      std::fprintf(stderr, "lietvedis-server: device %s: last seen not noted: %s\n",
                   c.device.device_id.c_str(), seen.error().message.c_str());
    }
    auto dir = store.LoadDirectory();
    if (!dir) return Reply::Fail(dir.error());
    pr::DirectoryResponse out;
    for (const auto& u : dir->units) out.units.push_back({u.unit_id, u.region, u.name});
    for (const auto& u : dir->users) {
      out.users.push_back({u.user_id, u.display_name, u.role, u.unit_id, u.active});
    }
    // Revoked devices too: a client accepts what one pushed before its root-signed revocation
    // (directory::Statement::stored_until), so it needs the device's bound keys.
    for (const auto& d : dir->devices) {
      out.devices.push_back(
          {d.device_id, d.user_id, d.sign_pk, d.box_pk, d.enrol_pk, d.binding_sig});
    }
    out.log = std::move(dir->log);
    return Reply{200, pr::ToJson(out)};
  }

  // A revoked device's sign-in is refused with the root-signed statement that revoked it, so
  // the device can check that the organisation, not the central store, cut it off (only then
  // does it erase its case data).
  Reply Revoked(const std::string& device_id) {
    Reply r = Reply::Fail(Forbidden("this device has been revoked by the organisation"));
    auto dir = store.LoadDirectory();
    if (!dir) return r;
    for (const auto& st : dir->log) {
      auto parsed = sync::directory::ParseStatement(st.text);
      if (parsed && parsed->kind == sync::directory::kKindRevoke &&
          parsed->device_id == device_id) {
        r.body["revocation"] = {{"text", st.text}, {"signature", pr::Base64Encode(st.signature)}};
      }
    }
    return r;
  }

  static pr::ScopeInfo Info(const Scope& s) {
    return pr::ScopeInfo{s.scope,           s.kind,          s.unit_id,
                         s.owner_user_id,   s.key_version,   s.transfer_unit_id,
                         s.former_unit_ids, s.offer_unit_ids};
  }

  // The registration rules (docs/SERVER.md): who may register which kind of scope.
  Result<void> CheckRegistration(const Caller& c, const pr::ScopeInfo& s) {
    if (!pr::IsKnownScopeKind(s.kind)) return MakeError(Errc::kValidation, "scope.kind: unknown");
    const User& me = c.user;
    if (s.kind == pr::kKindOrg) {
      if (s.scope != "org" || !s.unit_id.empty() || !s.owner_user_id.empty()) {
        return MakeError(Errc::kValidation, "scope org: id must be \"org\" with no unit or owner");
      }
      if (me.role != pr::kRoleAdministrator)
        return Forbidden("only an administrator registers org");
      return Ok();
    }
    const std::string prefix = s.kind + ":";
    if (s.scope.size() <= prefix.size() || s.scope.compare(0, prefix.size(), prefix) != 0) {
      return MakeError(Errc::kValidation, "scope: id must be " + prefix + "<id>");
    }
    const std::string id = s.scope.substr(prefix.size());
    if (s.unit_id.empty()) return MakeError(Errc::kValidation, "scope.unit_id: missing");
    LV_ASSIGN(auto dir, store.LoadDirectory());
    bool unit_known = false;
    for (const auto& u : dir.units) unit_known = unit_known || u.unit_id == s.unit_id;
    if (!unit_known) return MakeError(Errc::kNotFound, "unit " + s.unit_id + " not found");
    const bool same_unit = me.unit_id == s.unit_id;
    if (s.kind == pr::kKindUnit || s.kind == pr::kKindVolunteers) {
      if (id != s.unit_id) return MakeError(Errc::kValidation, "scope: id must be the unit id");
      if (!s.owner_user_id.empty())
        return MakeError(Errc::kValidation, "scope: no owner for this kind");
      const bool ok =
          same_unit && (me.role == pr::kRoleSupervisor ||
                        (s.kind == pr::kKindUnit && me.role == pr::kRoleOfficer) ||
                        (s.kind == pr::kKindVolunteers && me.role == pr::kRoleCoordinator));
      if (!ok) return Forbidden("not permitted to register " + s.scope);
      return Ok();
    }
    // case and mentoring: an officer of the unit registers with self as owner; a supervisor
    // of the unit registers for any officer or supervisor of the unit.
    const User* owner = nullptr;
    for (const auto& u : dir.users) {
      if (u.user_id == s.owner_user_id) owner = &u;
    }
    if (owner == nullptr)
      return MakeError(Errc::kNotFound, "owner " + s.owner_user_id + " not found");
    if (!owner->active || owner->unit_id != s.unit_id ||
        (owner->role != pr::kRoleOfficer && owner->role != pr::kRoleSupervisor)) {
      return MakeError(Errc::kValidation,
                       "scope.owner_user_id: must be an active officer of the unit");
    }
    if (!same_unit) return Forbidden("not permitted to register a scope of another unit");
    if (s.kind == pr::kKindMentoring) {
      // A mentoring scope belongs to its case: same owner, registered by that owner or a
      // supervisor of the case's unit (sync::access::MentoringRegistrationRefusal).
      auto case_scope = store.GetScope(pr::kKindCase + (":" + id));
      if (!case_scope && case_scope.error().code != Errc::kNotFound) return case_scope.error();
      const sync::access::ScopeFacts case_facts =
          case_scope ? sync::access::FactsOf(*case_scope) : sync::access::ScopeFacts{};
      const std::string refusal = sync::access::MentoringRegistrationRefusal(
          sync::access::PersonOf(me), s.scope, sync::access::FactsOf(s),
          case_scope ? &case_facts : nullptr);
      if (!refusal.empty()) return Forbidden(refusal);
      return Ok();
    }
    if (me.role == pr::kRoleOfficer && owner->user_id == me.user_id) return Ok();
    if (me.role == pr::kRoleSupervisor) return Ok();
    return Forbidden("not permitted to register " + s.scope);
  }

  Reply RegisterScope(const httplib::Request& req, const Caller& c) {
    auto body = pr::ParseBody<pr::ScopeRegisterRequest>(req.body);
    if (!body) return Reply::Fail(body.error());
    auto existing = store.GetScope(body->scope);
    if (existing) {
      if (existing->kind == body->kind && existing->unit_id == body->unit_id &&
          existing->owner_user_id == body->owner_user_id && CanRead(c.user, *existing)) {
        return Reply{200, pr::ToJson(Info(*existing))};  // idempotent re-registration
      }
      return Reply::Fail(
          MakeError(Errc::kConflict, "scope " + body->scope + " is registered differently"));
    }
    if (auto ok = CheckRegistration(c, *body); !ok) return Reply::Fail(ok.error());
    Scope s{body->scope, body->kind, body->unit_id, body->owner_user_id, 0, "", "", "", ""};
    if (auto ins = store.InsertScope(s); !ins) {
      // A concurrent registration won: answer as for an existing scope.
      auto again = store.GetScope(body->scope);
      if (again && again->kind == s.kind && again->unit_id == s.unit_id &&
          again->owner_user_id == s.owner_user_id) {
        return Reply{200, pr::ToJson(Info(*again))};
      }
      return Reply::Fail(ins.error());
    }
    return Reply{200, pr::ToJson(Info(s))};
  }

  Reply ReassignScope(const httplib::Request& req, const Caller& c) {
    auto body = pr::ParseBody<pr::ScopeOwnerRequest>(req.body);
    if (!body) return Reply::Fail(body.error());
    auto scope = store.GetScope(body->scope);
    if (!scope) return Reply::Fail(scope.error());
    if (scope->kind != pr::kKindCase && scope->kind != pr::kKindMentoring) {
      return Reply::Fail(MakeError(Errc::kValidation, "scope " + scope->scope + " has no owner"));
    }
    if (c.user.role != pr::kRoleSupervisor || c.user.unit_id != scope->unit_id) {
      return Reply::Fail(Forbidden("only a supervisor of the unit reassigns " + scope->scope));
    }
    auto owner = store.GetUser(body->owner_user_id);
    if (!owner) return Reply::Fail(owner.error());
    if (!owner->active || owner->unit_id != scope->unit_id ||
        (owner->role != pr::kRoleOfficer && owner->role != pr::kRoleSupervisor)) {
      return Reply::Fail(
          MakeError(Errc::kValidation, "owner_user_id: must be an active officer of the unit"));
    }
    if (scope->owner_user_id != owner->user_id) {
      if (auto set = store.SetScopeOwner(scope->scope, owner->user_id, Now()); !set) {
        return Reply::Fail(set.error());
      }
      scope->owner_user_id = owner->user_id;
    }
    return Reply{200, pr::ToJson(Info(*scope))};
  }

  Reply TransferScope(const httplib::Request& req, const Caller& c) {
    auto body = pr::ParseBody<pr::ScopeTransferRequest>(req.body);
    if (!body) return Reply::Fail(body.error());
    auto scope = ApplyTransfer(store, c.user, *body, Now());  // transfers.cpp
    if (!scope) return Reply::Fail(scope.error());
    return Reply{200, pr::ToJson(Info(*scope))};
  }

  Reply ListScopes(const httplib::Request&, const Caller& c) {
    auto scopes = store.ReadableScopes(c.user);
    if (!scopes) return Reply::Fail(scopes.error());
    pr::ScopesResponse out;
    for (const auto& s : *scopes) out.scopes.push_back(Info(s));
    return Reply{200, pr::ToJson(out)};
  }

  // ---- keys ----------------------------------------------------------------------------------
  // A wrap per (scope, version, reader device); a joining reader's history is one request of
  // many wraps of few scopes and devices, so each scope, device and user is read once.
  Reply PutKeys(const httplib::Request& req, const Caller& c) {
    auto body = pr::ParseBody<pr::PutKeysRequest>(req.body);
    if (!body) return Reply::Fail(body.error());
    std::unordered_map<std::string, Scope> scopes;
    std::unordered_map<std::string, User> readers;  // by device id
    std::vector<StoredWrap> wraps;
    for (std::size_t i = 0; i < body->wraps.size(); ++i) {
      const auto& w = body->wraps[i];
      const std::string at = "wraps[" + std::to_string(i) + "]: ";
      auto sit = scopes.find(w.scope);
      if (sit == scopes.end()) {
        auto scope = store.GetScope(w.scope);
        if (!scope) return Reply::Fail(scope.error());
        sit = scopes.emplace(w.scope, *scope).first;
      }
      const Scope& scope = sit->second;
      if (!CanRead(c.user, scope))
        return Reply::Fail(Forbidden(at + "caller does not read " + w.scope));
      if (w.key_version < 1 || w.key_version > scope.key_version + 1) {
        return Reply::Fail(MakeError(Errc::kConflict, at + "key_version must be 1.." +
                                                          std::to_string(scope.key_version + 1)));
      }
      if (w.sealed.empty()) return Reply::Fail(MakeError(Errc::kProtocol, at + "sealed: empty"));
      auto rit = readers.find(w.device_id);
      if (rit == readers.end()) {
        auto device = store.GetDevice(w.device_id);
        if (!device) return Reply::Fail(device.error());
        auto user = store.GetUser(device->user_id);
        if (!user) return Reply::Fail(user.error());
        rit = readers.emplace(w.device_id, *user).first;
      }
      if (!CanRead(rit->second, scope)) {
        return Reply::Fail(Forbidden(at + "device " + w.device_id + " does not read " + w.scope));
      }
      wraps.push_back(StoredWrap{w.scope, w.key_version, w.device_id, w.sealed});
    }
    if (auto put = store.PutWraps(wraps, c.device.device_id); !put) {
      return Reply::Fail(put.error());
    }
    return Reply{200, json{{"stored", wraps.size()}}};
  }

  Reply GetKeys(const httplib::Request&, const Caller& c) {
    auto scopes = store.ReadableScopes(c.user);
    if (!scopes) return Reply::Fail(scopes.error());
    std::set<std::string> readable;
    for (const auto& s : *scopes) readable.insert(s.scope);
    auto wraps = store.WrapsForDevice(c.device.device_id);
    if (!wraps) return Reply::Fail(wraps.error());
    pr::KeysResponse out;
    for (const auto& w : *wraps) {
      if (readable.count(w.scope) != 0) out.wraps.push_back({w.scope, w.key_version, "", w.sealed});
    }
    return Reply{200, pr::ToJson(out)};
  }

  // Every wrap the caller could give: for each key version of a readable scope that the
  // caller holds a wrap of (older versions too, so a reader who joins later — a new owner, a
  // supervisor's new laptop — opens the scope's whole history), the devices that may read the
  // scope now and lack a wrap of that version. Newest versions first (writing waits on them),
  // at most kMaxMissingWraps entries. Queries: the readable scopes, the caller's wraps, the
  // directory, and the wraps of those scopes in chunks of 200 scopes.
  Reply MissingKeys(const httplib::Request&, const Caller& c) {
    auto scopes = store.ReadableScopes(c.user);
    if (!scopes) return Reply::Fail(scopes.error());
    auto mine = store.WrapsForDevice(c.device.device_id);
    if (!mine) return Reply::Fail(mine.error());
    std::unordered_map<std::string, const Scope*> readable;
    for (const auto& s : *scopes) readable.emplace(s.scope, &s);
    std::vector<std::pair<std::string, std::uint32_t>> keys;  // held here, of readable scopes
    for (const auto& w : *mine) {
      auto it = readable.find(w.scope);
      if (it != readable.end() && w.key_version <= it->second->key_version) {
        keys.emplace_back(w.scope, w.key_version);
      }
    }
    std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
      const bool a_newest = a.second == readable.at(a.first)->key_version;
      const bool b_newest = b.second == readable.at(b.first)->key_version;
      return a_newest && !b_newest;
    });
    auto dir = store.LoadDirectory();
    if (!dir) return Reply::Fail(dir.error());
    std::unordered_map<std::string, const User*> users;
    for (const auto& u : dir->users) users.emplace(u.user_id, &u);
    auto wrapped = store.WrappedDevices(keys);
    if (!wrapped) return Reply::Fail(wrapped.error());
    pr::MissingKeysResponse out;
    for (const auto& key : keys) {
      const Scope& s = *readable.at(key.first);
      const auto& devices = wrapped->at(key);
      const std::unordered_set<std::string> have(devices.begin(), devices.end());
      for (const auto& d : dir->devices) {
        if (d.revoked || have.count(d.device_id) != 0) continue;
        auto owner = users.find(d.user_id);
        if (owner == users.end() || !CanRead(*owner->second, s)) continue;
        if (out.missing.size() == pr::kMaxMissingWraps) {
          out.more = true;
          return Reply{200, pr::ToJson(out)};
        }
        out.missing.push_back({s.scope, key.second, d.device_id, d.box_pk});
      }
    }
    return Reply{200, pr::ToJson(out)};
  }

  // ---- push and pull -------------------------------------------------------------------------
  // A JSON PushRequest, or (Content-Type application/octet-stream) the same batches in the
  // binary pull page form with no cursor and `more` 0, compressed or not (docs/PROTOCOL.md
  // "Binary pushes").
  static Result<pr::PushRequest> PushBody(const httplib::Request& req) {
    if (req.get_header_value("Content-Type") != pr::kBinaryContentType) {
      return pr::ParseBody<pr::PushRequest>(req.body);
    }
    LV_ASSIGN(std::string bytes, pr::UncompressPushBody(req.body));
    LV_ASSIGN(pr::PullResponse page, pr::DecodePullPage(bytes));
    if (page.more || !page.cursor.empty()) {
      return MakeError(Errc::kProtocol, "push: a binary push carries no cursor and no more flag");
    }
    if (page.envelopes.size() > pr::kMaxBatchesPerPush) {
      return MakeError(Errc::kProtocol,
                       "push: more than " + std::to_string(pr::kMaxBatchesPerPush) + " batches");
    }
    return pr::PushRequest{std::move(page.envelopes)};
  }

  Reply Push(const httplib::Request& req, const Caller& c) {
    auto body = PushBody(req);
    if (!body) return Reply::Fail(body.error());
    std::unordered_map<std::string, Scope> scopes;
    pr::VerifiedPushes verified;  // the batches of one push share one signature check
    for (std::size_t i = 0; i < body->batches.size(); ++i) {
      const auto& e = body->batches[i];
      const std::string at = "batches[" + std::to_string(i) + "]: ";
      if (auto shape = pr::ValidateEnvelopeShape(e); !shape) {
        return Reply::Fail(MakeError(Errc::kProtocol, at + shape.error().message));
      }
      if (e.author_device != c.device.device_id) {
        return Reply::Fail(Forbidden(at + "author_device is not the session's device"));
      }
      auto it = scopes.find(e.scope);
      if (it == scopes.end()) {
        auto scope = store.GetScope(e.scope);
        if (!scope) return Reply::Fail(MakeError(scope.error().code, at + scope.error().message));
        it = scopes.emplace(e.scope, *scope).first;
      }
      if (!CanRead(c.user, it->second))
        return Reply::Fail(Forbidden(at + "caller does not read " + e.scope));
      if (e.key_version > it->second.key_version) {
        return Reply::Fail(MakeError(
            Errc::kConflict,
            at + "key version " + std::to_string(e.key_version) + " has no published wraps"));
      }
      if (auto sig = pr::VerifyEnvelopeSignature(e, c.device.sign_pk, &verified); !sig) {
        return Reply::Fail(MakeError(Errc::kProtocol, at + sig.error().message));
      }
    }
    auto stored = store.AppendEnvelopes(body->batches, Now());
    if (!stored) return Reply::Fail(stored.error());
    pr::PushResponse out;
    for (std::size_t i = 0; i < stored->size(); ++i) {
      out.results.push_back({body->batches[i].batch_id, (*stored)[i].seq, (*stored)[i].duplicate});
    }
    return Reply{200, pr::ToJson(out)};
  }

  // Query parameters: cursor (opaque), limit (envelopes, 1..1000), max_bytes (ciphertext
  // budget of the page, 1..kMaxPullBytes; the page stops after the envelope that reaches it),
  // format (json, the default, or bin: the binary page of sync/pull_codec.hpp).
  Reply Pull(const httplib::Request& req, const Caller& c) {
    auto cursor = ParseCursor(req.get_param_value("cursor"));
    if (!cursor) return Reply::Fail(cursor.error());
    // A positive decimal of at most `digits` digits, at most `max`; 0 when malformed.
    auto count_param = [&](const char* name, std::size_t digits, std::size_t max) {
      const std::string v = req.get_param_value(name);
      if (v.empty() || v.size() > digits || v.find_first_not_of("0123456789") != std::string::npos)
        return std::size_t{0};
      const auto n = static_cast<std::size_t>(std::stoull(v));
      return n <= max ? n : std::size_t{0};
    };
    std::size_t limit = pr::kDefaultPullLimit;
    if (req.has_param("limit")) {
      limit = count_param("limit", 6, pr::kMaxPullLimit);
      if (limit == 0) return Reply::Fail(MakeError(Errc::kProtocol, "pull: limit must be 1..1000"));
    }
    std::size_t max_bytes = 0;
    if (req.has_param("max_bytes")) {
      max_bytes = count_param("max_bytes", 10, pr::kMaxPullBytes);
      if (max_bytes == 0) {
        return Reply::Fail(MakeError(
            Errc::kProtocol, "pull: max_bytes must be 1.." + std::to_string(pr::kMaxPullBytes)));
      }
    }
    bool binary = false;
    if (req.has_param("format")) {
      const std::string format = req.get_param_value("format");
      if (format != "json" && format != "bin") {
        return Reply::Fail(MakeError(Errc::kProtocol, "pull: format must be json or bin"));
      }
      binary = format == "bin";
    }
    // The user's highest grant, read with the session (Authenticate).
    const std::int64_t* max_grant = &c.max_grant;
    Cursor cur = *cursor;
    if (cur.fresh) {
      cur.g = *max_grant;  // everything readable comes from the start anyway
      cur.fresh = false;
    }
    if (!cur.backfilling && *max_grant > cur.g) {
      cur.backfilling = true;
      cur.g2 = *max_grant;
      cur.q = 0;
    }
    PullQuery q;
    q.limit = limit;
    q.max_bytes = max_bytes;
    if (cur.backfilling) {
      q.after_seq = cur.q;
      q.upto_seq = cur.p;
      q.only_granted = true;
      q.grant_after = cur.g;
      q.grant_upto = cur.g2;
    } else {
      q.after_seq = cur.p;
    }
    auto page = store.Pull(c.user, q);
    if (!page) return Reply::Fail(page.error());
    pr::PullResponse out;
    if (cur.backfilling) {
      if (page->more) {
        cur.q = page->covered_seq;
      } else {
        cur.backfilling = false;
        cur.g = cur.g2;
        cur.g2 = cur.q = 0;
      }
      out.more = true;  // the regular phase follows
    } else {
      if (page->covered_seq > 0) cur.p = page->covered_seq;
      out.more = page->more;
    }
    out.envelopes = std::move(page->envelopes);
    out.cursor = FormatCursor(cur);
    if (binary) return Reply::Binary(pr::EncodePullPage(out));
    return Reply{200, pr::ToJson(out)};
  }

  // GET /v1/sync?<the pull's parameters>&directory=<digest>&scopes=<digest>: the directory and
  // the scope list, each only when its digest differs from the one named, and the first pull
  // page, in one answer (sync/pull_codec.hpp "sync head"; docs/PROTOCOL.md). A warm no-op sync
  // is this one request. Each part is exactly what its own route answers.
  Reply SyncHead(const httplib::Request& req, const Caller& c) {
    Reply dir = GetDirectory(req, c);
    if (dir.status != 200) return dir;
    Reply scopes = ListScopes(req, c);
    if (scopes.status != 200) return scopes;
    Reply page = Pull(req, c);
    if (page.status != 200) return page;
    pr::SyncHead head;
    std::string text = dir.body.dump();
    if (pr::BodyDigest(text) != req.get_param_value("directory")) head.directory = std::move(text);
    text = scopes.body.dump();
    if (pr::BodyDigest(text) != req.get_param_value("scopes")) head.scopes = std::move(text);
    head.page_binary = page.binary;
    head.page = page.binary ? std::move(page.bytes) : page.body.dump();
    Reply out = Reply::Binary(pr::EncodeSyncHead(head));
    out.accepts = std::string(pr::kAcceptsBinaryPush) + "," + pr::kAcceptsCompressedPush;
    return out;
  }

  // ---- setup ---------------------------------------------------------------------------------
  void Routes() {
    auto& s = *http;
    s.set_payload_max_length(pr::kMaxRequestBody);
    s.set_keep_alive_max_count(1000);
    s.set_tcp_nodelay(true);
    const int threads = options.worker_threads;
    s.new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<std::size_t>(threads));
    };
    // Before any byte of a body is read. A request with a body of the wrong protocol version
    // is answered by its route, after httplib has read the body (at most the limit), so the
    // connection stays in step; one without a body is answered here.
    s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      t_started = std::chrono::steady_clock::now();
      t_log_device.clear();
      if (auto refused = CheckFraming(req)) {
        SendAndClose(res, *refused);
        return httplib::Server::HandlerResponse::Handled;
      }
      const bool has_body =
          req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0";
      if (!has_body) {
        if (auto refused = CheckProtocol(req)) {
          Send(res, std::move(*refused));
          return httplib::Server::HandlerResponse::Handled;
        }
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    s.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
          if (!res.body.empty() || res.content_provider_) {
            return httplib::Server::HandlerResponse::Unhandled;
          }
          Errc code = Errc::kProtocol;
          std::string message = "bad request";
          if (res.status == 413) message = "request body larger than 16 MiB";
          if (res.status == 404) {
            code = Errc::kNotFound;
            message = "no such endpoint";
          }
          if (res.status >= 500) {
            code = Errc::kInternal;
            message = "internal error";
          }
          res.set_content(pr::ErrorBody(MakeError(code, message)), pr::kJsonContentType);
          return httplib::Server::HandlerResponse::Handled;
        }));
    s.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          Send(res, Reply::Fail(MakeError(Errc::kInternal, "internal error"), 500));
        });
    s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - t_started)
                          .count();
      char line[512];
      // Path and device id come from the peer: escaped, so a request cannot forge log lines.
      std::snprintf(line, sizeof line, "%s %s %d device=%s in=%zu out=%zu ms=%.1f",
                    EscapeForLog(req.method, 16).c_str(), EscapeForLog(req.path, 64).c_str(),
                    res.status, t_log_device.empty() ? "-" : EscapeForLog(t_log_device, 64).c_str(),
                    req.body.size(), res.body.size(), static_cast<double>(ms) / 1000.0);
      Log(line);
    });

    s.Post("/v1/enrol", Open([this](const httplib::Request& r) { return Enrol(r); }));
    s.Post("/v1/session/challenge",
           Open([this](const httplib::Request& r) { return Challenge(r); }));
    s.Post("/v1/session", Open([this](const httplib::Request& r) { return OpenSession(r); }));
    s.Get("/v1/directory", Authed([this](const httplib::Request& r, const Caller& c) {
            return GetDirectory(r, c);
          }));
    s.Post("/v1/scopes", Authed([this](const httplib::Request& r, const Caller& c) {
             return RegisterScope(r, c);
           }));
    s.Post("/v1/scopes/owner", Authed([this](const httplib::Request& r, const Caller& c) {
             return ReassignScope(r, c);
           }));
    s.Post("/v1/scopes/transfer", Authed([this](const httplib::Request& r, const Caller& c) {
             return TransferScope(r, c);
           }));
    s.Get("/v1/scopes",
          Authed([this](const httplib::Request& r, const Caller& c) { return ListScopes(r, c); }));
    s.Post("/v1/keys",
           Authed([this](const httplib::Request& r, const Caller& c) { return PutKeys(r, c); }));
    s.Get("/v1/keys",
          Authed([this](const httplib::Request& r, const Caller& c) { return GetKeys(r, c); }));
    s.Get("/v1/keys/missing",
          Authed([this](const httplib::Request& r, const Caller& c) { return MissingKeys(r, c); }));
    s.Post("/v1/push",
           Authed([this](const httplib::Request& r, const Caller& c) { return Push(r, c); }));
    s.Get("/v1/pull",
          Authed([this](const httplib::Request& r, const Caller& c) { return Pull(r, c); }));
    s.Get("/v1/sync",
          Authed([this](const httplib::Request& r, const Caller& c) { return SyncHead(r, c); }));
    s.Get("/v1/devices/seen", Authed([this](const httplib::Request&, const Caller& c) {
            return DevicesSeen(store, c);  // admin_reads.cpp
          }));
  }
};

Server::Server(ServerStore& store, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}

Server::~Server() {
  Stop();
}

Result<void> Server::Start() {
  auto& im = *impl_;
  if (im.http) return MakeError(Errc::kInternal, "server already started");
  if (!im.options.cert_file.empty() || !im.options.key_file.empty()) {
    if (im.options.cert_file.empty() || im.options.key_file.empty()) {
      return MakeError(Errc::kValidation, "TLS needs both --cert and --key");
    }
    auto ssl =
        std::make_unique<TlsHttpServer>(im.options.cert_file.c_str(), im.options.key_file.c_str());
    if (!ssl->is_valid()) return MakeError(Errc::kIo, "cannot load the TLS certificate or key");
    im.http = std::move(ssl);
    im.tls = true;
  } else {
    im.http = std::make_unique<PlainHttpServer>();
  }
  im.Routes();
  if (im.options.port == 0) {
    im.port = im.http->bind_to_any_port(im.options.host);
  } else {
    im.port = im.http->bind_to_port(im.options.host, im.options.port) ? im.options.port : -1;
  }
  if (im.port <= 0) {
    im.http.reset();
    return MakeError(Errc::kIo,
                     "cannot listen on " + im.options.host + ":" + std::to_string(im.options.port));
  }
  if (im.tls) {
    static_cast<TlsHttpServer*>(im.http.get())->WidenBacklog(kListenBacklog);
  } else {
    static_cast<PlainHttpServer*>(im.http.get())->WidenBacklog(kListenBacklog);
  }
  im.thread = std::thread([&im] { im.http->listen_after_bind(); });
  // Stop() before the listener runs would not wake it; wait until it accepts.
  while (!im.http->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Ok();
}

void Server::Stop() {
  auto& im = *impl_;
  if (!im.http) return;
  im.http->stop();
  if (im.thread.joinable()) im.thread.join();
  im.http.reset();
}

int Server::port() const {
  return impl_->port;
}
bool Server::tls() const {
  return impl_->tls;
}
std::string Server::base_url() const {
  return std::string(impl_->tls ? "https://" : "http://") + impl_->options.host + ":" +
         std::to_string(impl_->port);
}

}  // namespace lietvedis::server
