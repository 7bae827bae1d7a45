#include "tests/sync/server_harness.hpp"

#include <unistd.h>

#include <mutex>
#include <stdexcept>
#include <thread>

#include "sync/pull_codec.hpp"

namespace lietvedis::testing::server_harness {

PgCluster& SharedCluster() {
  static PgCluster cluster;  // stopped and removed at process exit
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    auto started = cluster.Start();
    if (!started) failure = started.error().message;
  });
  if (!failure.empty()) throw std::runtime_error("PostgreSQL test cluster: " + failure);
  return cluster;
}

std::string StoreSpec(const std::string& backend, const TempDir& dir) {
  if (backend == "sqlite") return "sqlite:" + (dir / "server.db");
  static std::atomic<int> counter{0};
  const std::string name = "lv_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  auto uri = SharedCluster().CreateDatabase(name);
  if (!uri) throw std::runtime_error(uri.error().message);
  return *uri;
}

Harness::Harness(const std::string& backend, srv::ServerOptions options)
    : Harness(backend, std::string(), std::move(options)) {}

Harness::Harness(const std::string& backend, const std::string& spec, srv::ServerOptions options)
    : backend_(backend) {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init");
  spec_ = spec.empty() ? StoreSpec(backend, dir_) : spec;
  now = srv::SystemNowMs();
  auto store = srv::ServerStore::Open(spec_);
  if (!store) throw std::runtime_error("open store: " + store.error().message);
  store_ = std::move(store).value();
  auto root = lietvedis::sync::RootKey::Generate();
  if (!root) throw std::runtime_error("root key: " + root.error().message);
  root_ = std::move(*root);
  admin_ = std::make_unique<srv::DirectoryAdmin>(*store_, root_);
  StartServer(std::move(options));
}

Harness::~Harness() {
  if (server_) server_->Stop();
}

void Harness::StartServer(srv::ServerOptions options) {
  if (!options.now_ms) options.now_ms = [this] { return now.load(); };
  if (!options.log)
    options.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> g(log_mu_);
      log_lines_.push_back(line);
    };
  const bool tls = !options.cert_file.empty();
  server_ = std::make_unique<srv::Server>(*store_, options);
  auto started = server_->Start();
  if (!started) throw std::runtime_error("start server: " + started.error().message);
  if (tls) {
    http_ =
        std::make_unique<httplib::Client>("https://127.0.0.1:" + std::to_string(server_->port()));
    http_->enable_server_certificate_verification(false);
  } else {
    http_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  http_->set_read_timeout(30, 0);
  http_->set_tcp_nodelay(true);
}

std::vector<std::string> Harness::LogLines() {
  std::lock_guard<std::mutex> g(log_mu_);
  return log_lines_;
}

bool Harness::WaitForLog(const std::string& needle, int timeout_ms) {
  for (int waited = 0; waited <= timeout_ms; waited += 10) {
    for (const auto& line : LogLines()) {
      if (line.find(needle) != std::string::npos) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string Harness::AddUnit(const std::string& name) {
  auto r = admin_->AddUnit("Kurzeme", name, now.load());
  if (!r) throw std::runtime_error(r.error().message);
  return r->unit_id;
}

std::string Harness::AddUser(const std::string& role, const std::string& unit_id,
                             const std::string& name) {
  auto r = admin_->AddUser(unit_id, role, name, now.load());
  if (!r) throw std::runtime_error(r.error().message);
  return r->user_id;
}

std::string Harness::IssueCode(const std::string& user_id, std::int64_t ttl_ms) {
  auto r = admin_->IssueEnrolmentCode(user_id, server_->base_url(), "", ttl_ms, now.load());
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

TestDevice Harness::NewDeviceKeys() {
  TestDevice d;
  d.sign_pk.resize(crypto_sign_PUBLICKEYBYTES);
  d.sign_sk.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(d.sign_pk.data(), d.sign_sk.data());
  d.box_pk.resize(crypto_box_PUBLICKEYBYTES);
  d.box_sk.resize(crypto_box_SECRETKEYBYTES);
  crypto_box_keypair(d.box_pk.data(), d.box_sk.data());
  return d;
}

pr::EnrolRequest Harness::EnrolRequestFor(const std::string& code, const TestDevice& d) {
  auto c = pr::DecodeEnrolmentCode(code);
  if (!c) throw std::runtime_error(c.error().message);
  auto key = lietvedis::sync::directory::DeriveEnrolKey(c->secret);
  if (!key) throw std::runtime_error(key.error().message);
  pr::EnrolRequest req;
  req.device_id = lietvedis::sync::directory::DeviceIdForKey(d.sign_pk);
  req.device_name = "laptop";
  req.enrol_pk = key->public_key;
  req.sign_pk = d.sign_pk;
  req.box_pk = d.box_pk;
  auto sig = lietvedis::sync::directory::SignBinding(*key, req.device_id, d.sign_pk, d.box_pk);
  if (!sig) throw std::runtime_error(sig.error().message);
  req.binding_sig = *sig;
  return req;
}

TestDevice Harness::Enrol(const std::string& user_id) {
  TestDevice d = NewDeviceKeys();
  pr::EnrolRequest req = EnrolRequestFor(IssueCode(user_id), d);
  auto r = Post("/v1/enrol", pr::ToJson(req));
  if (r.status != 200)
    throw std::runtime_error("enrol: HTTP " + std::to_string(r.status) + " " + r.raw);
  auto resp = pr::FromJson<pr::EnrolResponse>(r.body);
  if (!resp) throw std::runtime_error(resp.error().message);
  d.user_id = resp->user_id;
  d.device_id = resp->device_id;
  Login(d);
  return d;
}

void Harness::Login(TestDevice& d) {
  auto ch = Post("/v1/session/challenge", pr::ToJson(pr::ChallengeRequest{d.device_id}));
  if (ch.status != 200) throw std::runtime_error("challenge: HTTP " + std::to_string(ch.status));
  auto challenge = pr::FromJson<pr::ChallengeResponse>(ch.body);
  if (!challenge) throw std::runtime_error(challenge.error().message);
  const Bytes msg = pr::SessionSignedBytes(challenge->challenge);
  pr::SessionRequest req{d.device_id, challenge->challenge, Bytes(crypto_sign_BYTES)};
  crypto_sign_detached(req.signature.data(), nullptr, msg.data(), msg.size(), d.sign_sk.data());
  auto s = Post("/v1/session", pr::ToJson(req));
  if (s.status != 200)
    throw std::runtime_error("session: HTTP " + std::to_string(s.status) + " " + s.raw);
  d.token = s.body.at("token").get<std::string>();
}

static HttpReply ToReply(const httplib::Result& res) {
  HttpReply out;
  if (!res) return out;
  out.status = res->status;
  out.raw = res->body;
  out.content_type = res->get_header_value("Content-Type");
  out.body = nlohmann::json::parse(res->body, nullptr, false);
  return out;
}

HttpReply Harness::PostRaw(const std::string& path, const std::string& body,
                           const std::string& token, const std::string& protocol_version) {
  httplib::Headers headers;
  if (!protocol_version.empty()) headers.emplace(pr::kProtocolHeader, protocol_version);
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  std::lock_guard<std::mutex> g(http_mu_);
  return ToReply(http_->Post(path.c_str(), headers, body, pr::kJsonContentType));
}

HttpReply Harness::Post(const std::string& path, const nlohmann::json& body,
                        const std::string& token) {
  return PostRaw(path, body.dump(), token);
}

HttpReply Harness::Get(const std::string& path, const std::string& token) {
  httplib::Headers headers{{pr::kProtocolHeader, "1"}};
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  std::lock_guard<std::mutex> g(http_mu_);
  return ToReply(http_->Get(path.c_str(), headers));
}

int Harness::Register(const TestDevice& d, const std::string& scope, const std::string& kind,
                      const std::string& unit_id, const std::string& owner) {
  pr::ScopeInfo s{scope, kind, unit_id, owner, 0, "", "", ""};
  return Post("/v1/scopes", pr::ToJson(s), d.token).status;
}

int Harness::PublishKey(const TestDevice& by, const std::string& scope, std::uint32_t version,
                        const Bytes& key, const std::vector<const TestDevice*>& to) {
  pr::PutKeysRequest req;
  for (const auto* d : to) {
    pr::KeyWrap w{scope, version, d->device_id, Bytes(crypto_box_SEALBYTES + key.size())};
    crypto_box_seal(w.sealed.data(), key.data(), key.size(), d->box_pk.data());
    req.wraps.push_back(std::move(w));
  }
  return Post("/v1/keys", pr::ToJson(req), by.token).status;
}

Bytes Harness::NewScopeKey() {
  Bytes k(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  crypto_aead_xchacha20poly1305_ietf_keygen(k.data());
  return k;
}

std::string Harness::NewBatchId() {
  return srv::NewRandomId();
}

pr::Envelope Harness::Seal(const TestDevice& d, const std::string& scope, std::uint32_t version,
                           const Bytes& key, const std::string& plaintext,
                           const std::string& batch_id) {
  pr::Envelope e;
  e.scope = scope;
  e.batch_id = batch_id;
  e.author_device = d.device_id;
  e.key_version = version;
  e.nonce.resize(pr::kNonceBytes);
  randombytes_buf(e.nonce.data(), e.nonce.size());
  const Bytes ad = pr::AssociatedData(e);
  e.ciphertext.resize(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      e.ciphertext.data(), &clen, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), ad.data(), ad.size(), nullptr, e.nonce.data(), key.data());
  e.ciphertext.resize(clen);
  const Bytes msg = pr::SignedBytes(e);
  e.signature.resize(crypto_sign_BYTES);
  crypto_sign_detached(e.signature.data(), nullptr, msg.data(), msg.size(), d.sign_sk.data());
  return e;
}

HttpReply Harness::Push(const TestDevice& d, const std::vector<pr::Envelope>& envelopes) {
  pr::PushRequest req{envelopes};
  return Post("/v1/push", pr::ToJson(req), d.token);
}

std::vector<pr::Envelope> Harness::PullAll(const TestDevice& d, std::string& cursor, int limit,
                                           const std::string& query) {
  std::vector<pr::Envelope> out;
  for (int page = 0; page < 10000; ++page) {
    auto r = Get("/v1/pull?cursor=" + cursor + "&limit=" + std::to_string(limit) + query, d.token);
    if (r.status != 200)
      throw std::runtime_error("pull: HTTP " + std::to_string(r.status) + " " + r.raw);
    auto resp = r.content_type == pr::kBinaryContentType ? pr::DecodePullPage(r.raw)
                                                         : pr::FromJson<pr::PullResponse>(r.body);
    if (!resp) throw std::runtime_error(resp.error().message);
    for (auto& e : resp->envelopes) out.push_back(std::move(e));
    cursor = resp->cursor;
    if (!resp->more) break;
  }
  return out;
}

}  // namespace lietvedis::testing::server_harness
