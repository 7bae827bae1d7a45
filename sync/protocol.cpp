#include "sync/protocol.hpp"

#include <sodium.h>

#include <limits>

#include "sync/push_proof.hpp"

namespace lietvedis::sync::protocol {
namespace {

using nlohmann::json;

void AppendU32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xffu));
}
void AppendRaw(Bytes& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}
void AppendField(Bytes& out, std::string_view s) {
  AppendU32(out, static_cast<std::uint32_t>(s.size()));
  AppendRaw(out, s);
}
void AppendField(Bytes& out, std::span<const std::uint8_t> b) {
  AppendU32(out, static_cast<std::uint32_t>(b.size()));
  out.insert(out.end(), b.begin(), b.end());
}

Error FieldError(std::string_view ctx, std::string_view field, std::string_view problem) {
  return MakeError(Errc::kProtocol,
                   std::string(ctx) + "." + std::string(field) + ": " + std::string(problem));
}

// Strict field readers. `ctx` names the message for error texts.
class Reader {
 public:
  Reader(const json& j, std::string_view ctx) : j_(j), ctx_(ctx) {}
  bool IsObject() const { return j_.is_object(); }
  Error NotObject() const {
    return MakeError(Errc::kProtocol, std::string(ctx_) + ": expected a JSON object");
  }

  Result<std::string> Str(std::string_view f, std::size_t max_len = kMaxIdLength * 50) const {
    auto it = j_.find(f);
    if (it == j_.end()) return FieldError(ctx_, f, "missing");
    if (!it->is_string()) return FieldError(ctx_, f, "expected a string");
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max_len) return FieldError(ctx_, f, "too long");
    return s;
  }
  Result<std::int64_t> Int(std::string_view f) const {
    auto it = j_.find(f);
    if (it == j_.end()) return FieldError(ctx_, f, "missing");
    if (!it->is_number_integer()) return FieldError(ctx_, f, "expected an integer");
    return it->get<std::int64_t>();
  }
  Result<std::uint32_t> U32(std::string_view f) const {
    LV_ASSIGN(std::int64_t v, Int(f));
    if (v < 0 || v > std::numeric_limits<std::uint32_t>::max()) {
      return FieldError(ctx_, f, "out of range");
    }
    return static_cast<std::uint32_t>(v);
  }
  Result<bool> Bool(std::string_view f) const {
    auto it = j_.find(f);
    if (it == j_.end()) return FieldError(ctx_, f, "missing");
    if (!it->is_boolean()) return FieldError(ctx_, f, "expected true or false");
    return it->get<bool>();
  }
  // Base64 field; `exact` > 0 demands that many bytes, else at most `max` bytes.
  Result<Bytes> B64(std::string_view f, std::size_t exact, std::size_t max = 0) const {
    auto it = j_.find(f);
    if (it == j_.end()) return FieldError(ctx_, f, "missing");
    if (!it->is_string()) return FieldError(ctx_, f, "expected a base64 string");
    auto decoded = Base64Decode(it->get_ref<const std::string&>());
    if (!decoded) return FieldError(ctx_, f, "invalid base64");
    if (exact > 0 && decoded->size() != exact) {
      return FieldError(ctx_, f, "expected " + std::to_string(exact) + " bytes");
    }
    if (max > 0 && decoded->size() > max) return FieldError(ctx_, f, "too large");
    return std::move(decoded).value();
  }
  Result<const json*> Array(std::string_view f) const {
    auto it = j_.find(f);
    if (it == j_.end()) return FieldError(ctx_, f, "missing");
    if (!it->is_array()) return FieldError(ctx_, f, "expected an array");
    return &*it;
  }
  bool Has(std::string_view f) const { return j_.contains(f); }

 private:
  const json& j_;
  std::string_view ctx_;
};

template <class T>
Result<std::vector<T>> ParseArray(const json& arr, std::string_view ctx) {
  std::vector<T> out;
  out.reserve(arr.size());
  std::size_t i = 0;
  for (const auto& item : arr) {
    auto parsed = FromJson<T>(item);
    if (!parsed) {
      return MakeError(Errc::kProtocol,
                       std::string(ctx) + "[" + std::to_string(i) + "]: " + parsed.error().message);
    }
    out.push_back(std::move(parsed).value());
    ++i;
  }
  return out;
}

template <class T>
json ArrayJson(const std::vector<T>& items) {
  json arr = json::array();
  for (const auto& item : items) arr.push_back(ToJson(item));
  return arr;
}

}  // namespace

bool IsKnownRole(std::string_view role) {
  return role == kRoleOfficer || role == kRoleSupervisor || role == kRoleCoordinator ||
         role == kRoleAdministrator;
}
bool IsKnownScopeKind(std::string_view kind) {
  return kind == kKindOrg || kind == kKindUnit || kind == kKindVolunteers || kind == kKindCase ||
         kind == kKindMentoring;
}

// ---- base64 and hex -------------------------------------------------------------------------
std::string Base64Encode(std::span<const std::uint8_t> bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

static Result<Bytes> DecodeVariant(std::string_view text, int variant) {
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        variant) != 0 ||
      end != text.data() + text.size()) {
    return MakeError(Errc::kProtocol, "invalid base64");
  }
  out.resize(len);
  return out;
}

Result<Bytes> Base64Decode(std::string_view text) {
  return DecodeVariant(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string Base64UrlEncode(std::span<const std::uint8_t> bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text) {
  return DecodeVariant(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

bool IsLowerHex(std::string_view text, std::size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// ---- envelopes ------------------------------------------------------------------------------
Bytes AssociatedData(std::string_view scope, std::string_view batch_id,
                     std::string_view author_device, std::uint32_t key_version) {
  Bytes out;
  out.reserve(kBatchSignaturePrefix.size() + 16 + scope.size() + batch_id.size() +
              author_device.size());
  AppendRaw(out, kBatchSignaturePrefix);
  AppendField(out, scope);
  AppendField(out, batch_id);
  AppendField(out, author_device);
  AppendU32(out, key_version);
  return out;
}

Bytes AssociatedData(const Envelope& e) {
  return AssociatedData(e.scope, e.batch_id, e.author_device, e.key_version);
}

Bytes SignedBytes(const Envelope& e) {
  Bytes out = AssociatedData(e);
  out.reserve(out.size() + 8 + e.nonce.size() + e.ciphertext.size());
  AppendField(out, e.nonce);
  AppendField(out, e.ciphertext);
  return out;
}

Bytes EncodeKeyWrap(const KeyWrapBox& w) {
  Bytes out;
  out.reserve(kKeyWrapMagic.size() + 1 + w.from_device.size() + w.nonce.size() +
              w.ciphertext.size());
  AppendRaw(out, kKeyWrapMagic);
  out.push_back(static_cast<std::uint8_t>(w.from_device.size()));
  AppendRaw(out, w.from_device);
  out.insert(out.end(), w.nonce.begin(), w.nonce.end());
  out.insert(out.end(), w.ciphertext.begin(), w.ciphertext.end());
  return out;
}

Result<KeyWrapBox> DecodeKeyWrap(std::span<const std::uint8_t> wrap) {
  constexpr std::size_t kCipherBytes = 32 + 16;  // the key and the Poly1305 tag
  const std::size_t magic = kKeyWrapMagic.size();
  if (wrap.size() < magic + 1 ||
      std::string_view(reinterpret_cast<const char*>(wrap.data()), magic) != kKeyWrapMagic) {
    return MakeError(Errc::kProtocol, "a key wrap is not in a known form");
  }
  const std::size_t id_len = wrap[magic];
  if (id_len == 0 || wrap.size() != magic + 1 + id_len + kNonceBytes + kCipherBytes) {
    return MakeError(Errc::kProtocol, "a key wrap has the wrong length");
  }
  KeyWrapBox w;
  const auto* p = wrap.data() + magic + 1;
  w.from_device.assign(reinterpret_cast<const char*>(p), id_len);
  p += id_len;
  w.nonce.assign(p, p + kNonceBytes);
  w.ciphertext.assign(p + kNonceBytes, p + kNonceBytes + kCipherBytes);
  return w;
}

Bytes KeyWrapAssociatedData(std::string_view scope, std::uint32_t key_version,
                            std::string_view from_device) {
  Bytes out;
  out.reserve(kKeyWrapPrefix.size() + 12 + scope.size() + from_device.size());
  AppendRaw(out, kKeyWrapPrefix);
  AppendField(out, scope);
  AppendU32(out, key_version);
  AppendField(out, from_device);
  return out;
}

Bytes SessionSignedBytes(std::span<const std::uint8_t> challenge) {
  Bytes out;
  AppendRaw(out, kSessionSignaturePrefix);
  out.insert(out.end(), challenge.begin(), challenge.end());
  return out;
}

Result<void> ValidateEnvelopeShape(const Envelope& e) {
  if (e.scope.empty() || e.scope.size() > kMaxIdLength) {
    return MakeError(Errc::kProtocol, "envelope.scope: empty or too long");
  }
  if (!IsLowerHex(e.batch_id, kBatchIdChars)) {
    return MakeError(Errc::kProtocol, "envelope.batch_id: expected 32 lowercase hex characters");
  }
  if (e.author_device.empty() || e.author_device.size() > kMaxIdLength) {
    return MakeError(Errc::kProtocol, "envelope.author_device: empty or too long");
  }
  if (e.key_version == 0) return MakeError(Errc::kProtocol, "envelope.key_version: must be >= 1");
  if (e.nonce.size() != kNonceBytes) {
    return MakeError(Errc::kProtocol, "envelope.nonce: expected 24 bytes");
  }
  if (e.ciphertext.size() > kMaxCiphertext) {
    return MakeError(Errc::kProtocol, "envelope.ciphertext: larger than 4 MiB");
  }
  if (e.signature.size() != kSignatureBytes) {
    return MakeError(Errc::kProtocol, "envelope.signature: expected 64 bytes");
  }
  if (e.proof.size() > kMaxProofBytes) {
    return MakeError(Errc::kProtocol, "envelope.proof: longer than a push proof can be");
  }
  return Ok();
}

Result<void> VerifyEnvelopeSignature(const Envelope& e, std::span<const std::uint8_t> sign_pk,
                                     VerifiedPushes* cache) {
  LV_ASSIGN(bool verified, CheckEnvelopeSignature(e, sign_pk, cache));  // malformed: says what
  if (!verified) return MakeError(Errc::kProtocol, "envelope " + e.batch_id + ": bad signature");
  return Ok();
}

// ---- enrolment code -------------------------------------------------------------------------
std::string EncodeEnrolmentCode(const EnrolmentCode& code) {
  json j = {{"u", code.server_url},
            {"c", code.secret},
            {"f", code.cert_fingerprint},
            {"r", code.root_pk}};
  const std::string text = j.dump();
  return "LV1-" + Base64UrlEncode(std::span<const std::uint8_t>(
                      reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Result<EnrolmentCode> DecodeEnrolmentCode(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.substr(0, 4) != "LV1-") {
    return MakeError(Errc::kValidation, "enrolment code: expected it to start with LV1-");
  }
  auto raw = Base64UrlDecode(text.substr(4));
  if (!raw) return MakeError(Errc::kValidation, "enrolment code: damaged (not base64url)");
  auto j = json::parse(raw->begin(), raw->end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(Errc::kValidation, "enrolment code: damaged (not JSON)");
  }
  Reader r(j, "enrolment code");
  auto u = r.Str("u");
  auto c = r.Str("c");
  auto f = r.Str("f");
  if (!u || !c || !f) return MakeError(Errc::kValidation, "enrolment code: a field is missing");
  if (!IsLowerHex(*c, 64)) return MakeError(Errc::kValidation, "enrolment code: bad secret");
  if (!f->empty() && !IsLowerHex(*f, 64)) {
    return MakeError(Errc::kValidation, "enrolment code: bad certificate fingerprint");
  }
  if (!r.Has("r")) {
    return MakeError(Errc::kValidation,
                     "enrolment code: made before the organisation's root key existed; ask the "
                     "administrator for a new code");
  }
  auto root = r.Str("r");
  if (!root || !IsLowerHex(*root, 64)) {
    return MakeError(Errc::kValidation, "enrolment code: bad organisation root key");
  }
  return EnrolmentCode{*u, *c, *f, *root};
}

// ---- JSON -----------------------------------------------------------------------------------

json ToJson(const Envelope& v) {
  json j{{"seq", v.seq},
         {"scope", v.scope},
         {"batch_id", v.batch_id},
         {"author_device", v.author_device},
         {"key_version", v.key_version},
         {"nonce", Base64Encode(v.nonce)},
         {"ciphertext", Base64Encode(v.ciphertext)},
         {"signature", Base64Encode(v.signature)},
         {"created_at", v.created_at}};
  if (!v.proof.empty()) j["proof"] = Base64Encode(v.proof);
  return j;
}

template <>
Result<Envelope> FromJson<Envelope>(const json& j) {
  Reader r(j, "envelope");
  if (!r.IsObject()) return r.NotObject();
  Envelope e;
  if (r.Has("seq")) {
    LV_ASSIGN(e.seq, r.Int("seq"));
  }
  LV_ASSIGN(e.scope, r.Str("scope", kMaxIdLength));
  LV_ASSIGN(e.batch_id, r.Str("batch_id", kMaxIdLength));
  LV_ASSIGN(e.author_device, r.Str("author_device", kMaxIdLength));
  LV_ASSIGN(e.key_version, r.U32("key_version"));
  LV_ASSIGN(e.nonce, r.B64("nonce", kNonceBytes));
  LV_ASSIGN(e.ciphertext, r.B64("ciphertext", 0, kMaxCiphertext));
  LV_ASSIGN(e.signature, r.B64("signature", kSignatureBytes));
  if (r.Has("proof")) {
    LV_ASSIGN(e.proof, r.B64("proof", 0, kMaxProofBytes));
  }
  if (r.Has("created_at")) {
    LV_ASSIGN(e.created_at, r.Int("created_at"));
  }
  return e;
}

json ToJson(const EnrolRequest& v) {
  return json{{"device_id", v.device_id},
              {"device_name", v.device_name},
              {"enrol_pk", Base64Encode(v.enrol_pk)},
              {"sign_pk", Base64Encode(v.sign_pk)},
              {"box_pk", Base64Encode(v.box_pk)},
              {"binding_sig", Base64Encode(v.binding_sig)}};
}
template <>
Result<EnrolRequest> FromJson<EnrolRequest>(const json& j) {
  Reader r(j, "enrol");
  if (!r.IsObject()) return r.NotObject();
  EnrolRequest v;
  LV_ASSIGN(v.device_id, r.Str("device_id", kMaxIdLength));
  LV_ASSIGN(v.device_name, r.Str("device_name", kMaxIdLength));
  LV_ASSIGN(v.enrol_pk, r.B64("enrol_pk", kSignPublicKeyBytes));
  LV_ASSIGN(v.sign_pk, r.B64("sign_pk", kSignPublicKeyBytes));
  LV_ASSIGN(v.box_pk, r.B64("box_pk", kBoxPublicKeyBytes));
  LV_ASSIGN(v.binding_sig, r.B64("binding_sig", kSignatureBytes));
  return v;
}

json ToJson(const EnrolResponse& v) {
  return json{{"user_id", v.user_id},
              {"device_id", v.device_id},
              {"display_name", v.display_name},
              {"role", v.role},
              {"unit_id", v.unit_id}};
}
template <>
Result<EnrolResponse> FromJson<EnrolResponse>(const json& j) {
  Reader r(j, "enrol response");
  if (!r.IsObject()) return r.NotObject();
  EnrolResponse v;
  LV_ASSIGN(v.user_id, r.Str("user_id"));
  LV_ASSIGN(v.device_id, r.Str("device_id"));
  LV_ASSIGN(v.display_name, r.Str("display_name"));
  LV_ASSIGN(v.role, r.Str("role"));
  LV_ASSIGN(v.unit_id, r.Str("unit_id"));
  return v;
}

json ToJson(const ChallengeRequest& v) {
  return json{{"device_id", v.device_id}};
}
template <>
Result<ChallengeRequest> FromJson<ChallengeRequest>(const json& j) {
  Reader r(j, "challenge");
  if (!r.IsObject()) return r.NotObject();
  ChallengeRequest v;
  LV_ASSIGN(v.device_id, r.Str("device_id", kMaxIdLength));
  return v;
}

json ToJson(const ChallengeResponse& v) {
  return json{{"challenge", Base64Encode(v.challenge)}, {"expires_at", v.expires_at}};
}
template <>
Result<ChallengeResponse> FromJson<ChallengeResponse>(const json& j) {
  Reader r(j, "challenge response");
  if (!r.IsObject()) return r.NotObject();
  ChallengeResponse v;
  LV_ASSIGN(v.challenge, r.B64("challenge", 0, 1024));
  LV_ASSIGN(v.expires_at, r.Int("expires_at"));
  return v;
}

json ToJson(const SessionRequest& v) {
  return json{{"device_id", v.device_id},
              {"challenge", Base64Encode(v.challenge)},
              {"signature", Base64Encode(v.signature)}};
}
template <>
Result<SessionRequest> FromJson<SessionRequest>(const json& j) {
  Reader r(j, "session");
  if (!r.IsObject()) return r.NotObject();
  SessionRequest v;
  LV_ASSIGN(v.device_id, r.Str("device_id", kMaxIdLength));
  LV_ASSIGN(v.challenge, r.B64("challenge", 0, 1024));
  LV_ASSIGN(v.signature, r.B64("signature", kSignatureBytes));
  return v;
}

json ToJson(const SessionResponse& v) {
  return json{{"token", v.token}, {"expires_at", v.expires_at}};
}
template <>
Result<SessionResponse> FromJson<SessionResponse>(const json& j) {
  Reader r(j, "session response");
  if (!r.IsObject()) return r.NotObject();
  SessionResponse v;
  LV_ASSIGN(v.token, r.Str("token", 1024));
  LV_ASSIGN(v.expires_at, r.Int("expires_at"));
  return v;
}

static json ToJson(const DirectoryUnit& v) {
  return json{{"unit_id", v.unit_id}, {"region", v.region}, {"name", v.name}};
}
static json ToJson(const DirectoryUser& v) {
  return json{{"user_id", v.user_id},
              {"display_name", v.display_name},
              {"role", v.role},
              {"unit_id", v.unit_id},
              {"active", v.active}};
}
static json ToJson(const DirectoryDevice& v) {
  json j{{"device_id", v.device_id},
         {"user_id", v.user_id},
         {"sign_pk", Base64Encode(v.sign_pk)},
         {"box_pk", Base64Encode(v.box_pk)}};
  if (!v.binding_sig.empty()) {
    j["enrol_pk"] = Base64Encode(v.enrol_pk);
    j["binding_sig"] = Base64Encode(v.binding_sig);
  }
  return j;
}
static json ToJson(const SignedStatement& v) {
  return json{{"text", v.text}, {"signature", Base64Encode(v.signature)}};
}
template <>
Result<DirectoryUnit> FromJson<DirectoryUnit>(const json& j) {
  Reader r(j, "unit");
  if (!r.IsObject()) return r.NotObject();
  DirectoryUnit v;
  LV_ASSIGN(v.unit_id, r.Str("unit_id"));
  LV_ASSIGN(v.region, r.Str("region"));
  LV_ASSIGN(v.name, r.Str("name"));
  return v;
}
template <>
Result<DirectoryUser> FromJson<DirectoryUser>(const json& j) {
  Reader r(j, "user");
  if (!r.IsObject()) return r.NotObject();
  DirectoryUser v;
  LV_ASSIGN(v.user_id, r.Str("user_id"));
  LV_ASSIGN(v.display_name, r.Str("display_name"));
  LV_ASSIGN(v.role, r.Str("role"));
  LV_ASSIGN(v.unit_id, r.Str("unit_id"));
  LV_ASSIGN(v.active, r.Bool("active"));
  return v;
}
template <>
Result<DirectoryDevice> FromJson<DirectoryDevice>(const json& j) {
  Reader r(j, "device");
  if (!r.IsObject()) return r.NotObject();
  DirectoryDevice v;
  LV_ASSIGN(v.device_id, r.Str("device_id"));
  LV_ASSIGN(v.user_id, r.Str("user_id"));
  LV_ASSIGN(v.sign_pk, r.B64("sign_pk", kSignPublicKeyBytes));
  LV_ASSIGN(v.box_pk, r.B64("box_pk", kBoxPublicKeyBytes));
  if (r.Has("binding_sig")) {
    LV_ASSIGN(v.enrol_pk, r.B64("enrol_pk", kSignPublicKeyBytes));
    LV_ASSIGN(v.binding_sig, r.B64("binding_sig", kSignatureBytes));
  }
  return v;
}
template <>
Result<SignedStatement> FromJson<SignedStatement>(const json& j) {
  Reader r(j, "statement");
  if (!r.IsObject()) return r.NotObject();
  SignedStatement v;
  LV_ASSIGN(v.text, r.Str("text", kMaxStatementText));
  LV_ASSIGN(v.signature, r.B64("signature", kSignatureBytes));
  return v;
}

json ToJson(const DirectoryResponse& v) {
  return json{{"units", ArrayJson(v.units)},
              {"users", ArrayJson(v.users)},
              {"devices", ArrayJson(v.devices)},
              {"log", ArrayJson(v.log)}};
}
template <>
Result<DirectoryResponse> FromJson<DirectoryResponse>(const json& j) {
  Reader r(j, "directory");
  if (!r.IsObject()) return r.NotObject();
  DirectoryResponse v;
  LV_ASSIGN(const json* units, r.Array("units"));
  LV_ASSIGN(v.units, ParseArray<DirectoryUnit>(*units, "directory.units"));
  LV_ASSIGN(const json* users, r.Array("users"));
  LV_ASSIGN(v.users, ParseArray<DirectoryUser>(*users, "directory.users"));
  LV_ASSIGN(const json* devices, r.Array("devices"));
  LV_ASSIGN(v.devices, ParseArray<DirectoryDevice>(*devices, "directory.devices"));
  if (r.Has("log")) {
    LV_ASSIGN(const json* log, r.Array("log"));
    LV_ASSIGN(v.log, ParseArray<SignedStatement>(*log, "directory.log"));
  }
  return v;
}

json ToJson(const ScopeInfo& v) {
  json j{{"scope", v.scope},
         {"kind", v.kind},
         {"unit_id", v.unit_id},
         {"owner_user_id", v.owner_user_id},
         {"key_version", v.key_version}};
  if (!v.transfer_unit_id.empty()) j["transfer_unit_id"] = v.transfer_unit_id;
  if (!v.former_unit_ids.empty()) j["former_unit_ids"] = v.former_unit_ids;
  if (!v.offer_unit_ids.empty()) j["offer_unit_ids"] = v.offer_unit_ids;
  return j;
}
template <>
Result<ScopeInfo> FromJson<ScopeInfo>(const json& j) {
  Reader r(j, "scope");
  if (!r.IsObject()) return r.NotObject();
  ScopeInfo v;
  LV_ASSIGN(v.scope, r.Str("scope", kMaxIdLength));
  LV_ASSIGN(v.kind, r.Str("kind", kMaxIdLength));
  LV_ASSIGN(v.unit_id, r.Str("unit_id", kMaxIdLength));
  LV_ASSIGN(v.owner_user_id, r.Str("owner_user_id", kMaxIdLength));
  if (r.Has("key_version")) {
    LV_ASSIGN(v.key_version, r.U32("key_version"));
  }
  if (r.Has("transfer_unit_id")) {
    LV_ASSIGN(v.transfer_unit_id, r.Str("transfer_unit_id", kMaxIdLength));
  }
  if (r.Has("former_unit_ids")) {
    LV_ASSIGN(v.former_unit_ids, r.Str("former_unit_ids", kMaxFormerUnits));
  }
  if (r.Has("offer_unit_ids")) {
    LV_ASSIGN(v.offer_unit_ids, r.Str("offer_unit_ids", kMaxFormerUnits));
  }
  return v;
}

json ToJson(const ScopeOwnerRequest& v) {
  return json{{"scope", v.scope}, {"owner_user_id", v.owner_user_id}};
}
template <>
Result<ScopeOwnerRequest> FromJson<ScopeOwnerRequest>(const json& j) {
  Reader r(j, "scope owner");
  if (!r.IsObject()) return r.NotObject();
  ScopeOwnerRequest v;
  LV_ASSIGN(v.scope, r.Str("scope", kMaxIdLength));
  LV_ASSIGN(v.owner_user_id, r.Str("owner_user_id", kMaxIdLength));
  return v;
}

json ToJson(const ScopeTransferRequest& v) {
  json j{{"scope", v.scope}, {"action", v.action}};
  if (!v.unit_id.empty()) j["unit_id"] = v.unit_id;
  if (!v.owner_user_id.empty()) j["owner_user_id"] = v.owner_user_id;
  return j;
}
template <>
Result<ScopeTransferRequest> FromJson<ScopeTransferRequest>(const json& j) {
  Reader r(j, "scope transfer");
  if (!r.IsObject()) return r.NotObject();
  ScopeTransferRequest v;
  LV_ASSIGN(v.scope, r.Str("scope", kMaxIdLength));
  LV_ASSIGN(v.action, r.Str("action", kMaxIdLength));
  if (v.action != kTransferOffer && v.action != kTransferWithdraw && v.action != kTransferAccept &&
      v.action != kTransferDecline) {
    return MakeError(Errc::kValidation,
                     "scope transfer.action: expected offer, withdraw, accept or decline");
  }
  if (r.Has("unit_id")) {
    LV_ASSIGN(v.unit_id, r.Str("unit_id", kMaxIdLength));
  }
  if (r.Has("owner_user_id")) {
    LV_ASSIGN(v.owner_user_id, r.Str("owner_user_id", kMaxIdLength));
  }
  if (v.action == kTransferOffer && v.unit_id.empty()) {
    return MakeError(Errc::kValidation, "scope transfer.unit_id: an offer names the unit");
  }
  if (v.action == kTransferAccept && v.owner_user_id.empty()) {
    return MakeError(Errc::kValidation,
                     "scope transfer.owner_user_id: an acceptance names the owner");
  }
  return v;
}

json ToJson(const ScopesResponse& v) {
  return json{{"scopes", ArrayJson(v.scopes)}};
}
template <>
Result<ScopesResponse> FromJson<ScopesResponse>(const json& j) {
  Reader r(j, "scopes");
  if (!r.IsObject()) return r.NotObject();
  ScopesResponse v;
  LV_ASSIGN(const json* arr, r.Array("scopes"));
  LV_ASSIGN(v.scopes, ParseArray<ScopeInfo>(*arr, "scopes"));
  return v;
}

static json ToJson(const DeviceSeen& v) {
  return json{
      {"device_id", v.device_id},     {"user_id", v.user_id},           {"name", v.name},
      {"enrolled_at", v.enrolled_at}, {"last_seen_at", v.last_seen_at}, {"revoked", v.revoked}};
}
template <>
Result<DeviceSeen> FromJson<DeviceSeen>(const json& j) {
  Reader r(j, "device seen");
  if (!r.IsObject()) return r.NotObject();
  DeviceSeen v;
  LV_ASSIGN(v.device_id, r.Str("device_id", kMaxIdLength));
  LV_ASSIGN(v.user_id, r.Str("user_id", kMaxIdLength));
  LV_ASSIGN(v.name, r.Str("name", kMaxIdLength));
  LV_ASSIGN(v.enrolled_at, r.Int("enrolled_at"));
  LV_ASSIGN(v.last_seen_at, r.Int("last_seen_at"));
  LV_ASSIGN(v.revoked, r.Bool("revoked"));
  return v;
}
json ToJson(const DevicesSeenResponse& v) {
  return json{{"devices", ArrayJson(v.devices)}};
}
template <>
Result<DevicesSeenResponse> FromJson<DevicesSeenResponse>(const json& j) {
  Reader r(j, "devices seen");
  if (!r.IsObject()) return r.NotObject();
  DevicesSeenResponse v;
  LV_ASSIGN(const json* arr, r.Array("devices"));
  if (arr->size() > kMaxDevicesSeen) {
    return MakeError(Errc::kProtocol, "devices seen: more devices than any organisation has");
  }
  LV_ASSIGN(v.devices, ParseArray<DeviceSeen>(*arr, "devices"));
  return v;
}

static json ToJson(const KeyWrap& v) {
  json j{{"scope", v.scope}, {"key_version", v.key_version}, {"sealed", Base64Encode(v.sealed)}};
  if (!v.device_id.empty()) j["device_id"] = v.device_id;
  return j;
}
template <>
Result<KeyWrap> FromJson<KeyWrap>(const json& j) {
  Reader r(j, "wrap");
  if (!r.IsObject()) return r.NotObject();
  KeyWrap v;
  LV_ASSIGN(v.scope, r.Str("scope", kMaxIdLength));
  LV_ASSIGN(v.key_version, r.U32("key_version"));
  if (r.Has("device_id")) {
    LV_ASSIGN(v.device_id, r.Str("device_id", kMaxIdLength));
  }
  LV_ASSIGN(v.sealed, r.B64("sealed", 0, kMaxSealedKey));
  return v;
}

json ToJson(const PutKeysRequest& v) {
  return json{{"wraps", ArrayJson(v.wraps)}};
}
template <>
Result<PutKeysRequest> FromJson<PutKeysRequest>(const json& j) {
  Reader r(j, "keys");
  if (!r.IsObject()) return r.NotObject();
  PutKeysRequest v;
  LV_ASSIGN(const json* arr, r.Array("wraps"));
  LV_ASSIGN(v.wraps, ParseArray<KeyWrap>(*arr, "wraps"));
  for (std::size_t i = 0; i < v.wraps.size(); ++i) {
    if (v.wraps[i].device_id.empty()) {
      return MakeError(Errc::kProtocol, "wraps[" + std::to_string(i) + "].device_id: missing");
    }
  }
  return v;
}

json ToJson(const KeysResponse& v) {
  json arr = json::array();
  for (const auto& w : v.wraps) {
    arr.push_back(json{
        {"scope", w.scope}, {"key_version", w.key_version}, {"sealed", Base64Encode(w.sealed)}});
  }
  return json{{"wraps", arr}};
}
template <>
Result<KeysResponse> FromJson<KeysResponse>(const json& j) {
  Reader r(j, "keys");
  if (!r.IsObject()) return r.NotObject();
  KeysResponse v;
  LV_ASSIGN(const json* arr, r.Array("wraps"));
  LV_ASSIGN(v.wraps, ParseArray<KeyWrap>(*arr, "wraps"));
  return v;
}

static json ToJson(const MissingWrap& v) {
  return json{{"scope", v.scope},
              {"key_version", v.key_version},
              {"device_id", v.device_id},
              {"box_pk", Base64Encode(v.box_pk)}};
}
template <>
Result<MissingWrap> FromJson<MissingWrap>(const json& j) {
  Reader r(j, "missing");
  if (!r.IsObject()) return r.NotObject();
  MissingWrap v;
  LV_ASSIGN(v.scope, r.Str("scope", kMaxIdLength));
  LV_ASSIGN(v.key_version, r.U32("key_version"));
  LV_ASSIGN(v.device_id, r.Str("device_id", kMaxIdLength));
  LV_ASSIGN(v.box_pk, r.B64("box_pk", kBoxPublicKeyBytes));
  return v;
}
json ToJson(const MissingKeysResponse& v) {
  return json{{"missing", ArrayJson(v.missing)}, {"more", v.more}};
}
template <>
Result<MissingKeysResponse> FromJson<MissingKeysResponse>(const json& j) {
  Reader r(j, "missing keys");
  if (!r.IsObject()) return r.NotObject();
  MissingKeysResponse v;
  LV_ASSIGN(const json* arr, r.Array("missing"));
  LV_ASSIGN(v.missing, ParseArray<MissingWrap>(*arr, "missing"));
  if (r.Has("more")) {  // absent from servers that listed only the newest key versions
    LV_ASSIGN(v.more, r.Bool("more"));
  }
  return v;
}

json ToJson(const PushRequest& v) {
  json arr = json::array();
  for (const auto& e : v.batches) {
    json j = ToJson(e);
    j.erase("seq");
    j.erase("created_at");
    arr.push_back(std::move(j));
  }
  return json{{"batches", arr}};
}
template <>
Result<PushRequest> FromJson<PushRequest>(const json& j) {
  Reader r(j, "push");
  if (!r.IsObject()) return r.NotObject();
  PushRequest v;
  LV_ASSIGN(const json* arr, r.Array("batches"));
  if (arr->size() > kMaxBatchesPerPush) {
    return MakeError(Errc::kProtocol, "push.batches: more than 1000 envelopes");
  }
  LV_ASSIGN(v.batches, ParseArray<Envelope>(*arr, "push.batches"));
  return v;
}

static json ToJson(const PushResult& v) {
  return json{{"batch_id", v.batch_id}, {"seq", v.seq}, {"duplicate", v.duplicate}};
}
template <>
Result<PushResult> FromJson<PushResult>(const json& j) {
  Reader r(j, "push result");
  if (!r.IsObject()) return r.NotObject();
  PushResult v;
  LV_ASSIGN(v.batch_id, r.Str("batch_id", kMaxIdLength));
  LV_ASSIGN(v.seq, r.Int("seq"));
  LV_ASSIGN(v.duplicate, r.Bool("duplicate"));
  return v;
}
json ToJson(const PushResponse& v) {
  return json{{"results", ArrayJson(v.results)}};
}
template <>
Result<PushResponse> FromJson<PushResponse>(const json& j) {
  Reader r(j, "push response");
  if (!r.IsObject()) return r.NotObject();
  PushResponse v;
  LV_ASSIGN(const json* arr, r.Array("results"));
  LV_ASSIGN(v.results, ParseArray<PushResult>(*arr, "results"));
  return v;
}

json ToJson(const PullResponse& v) {
  return json{{"envelopes", ArrayJson(v.envelopes)}, {"cursor", v.cursor}, {"more", v.more}};
}
template <>
Result<PullResponse> FromJson<PullResponse>(const json& j) {
  Reader r(j, "pull");
  if (!r.IsObject()) return r.NotObject();
  PullResponse v;
  LV_ASSIGN(const json* arr, r.Array("envelopes"));
  LV_ASSIGN(v.envelopes, ParseArray<Envelope>(*arr, "pull.envelopes"));
  LV_ASSIGN(v.cursor, r.Str("cursor", kMaxPullCursor));
  LV_ASSIGN(v.more, r.Bool("more"));
  return v;
}

// ---- errors ---------------------------------------------------------------------------------
std::string ErrorBody(const Error& error) {
  json j{{"error", {{"code", ErrcName(error.code)}, {"message", error.message}}}};
  return j.dump();
}

int HttpStatusFor(Errc code) {
  switch (code) {
    case Errc::kValidation:
    case Errc::kProtocol:
      return 400;
    case Errc::kWrongPassphrase:
    case Errc::kLocked:
      return 401;
    case Errc::kNotPermitted:
      return 403;
    case Errc::kNotFound:
      return 404;
    case Errc::kConflict:
    case Errc::kConstraint:
      return 409;
    case Errc::kUnsupported:
      return 426;
    default:
      return 500;
  }
}

Errc ErrcFromName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Errc::kInternal); ++i) {
    const auto code = static_cast<Errc>(i);
    if (name == ErrcName(code)) return code;
  }
  return Errc::kInternal;
}

Error ErrorFromResponse(int status, std::string_view body) {
  auto j = json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object()) {
    const json& e = j["error"];
    if (e.contains("code") && e["code"].is_string() && e.contains("message") &&
        e["message"].is_string()) {
      return MakeError(ErrcFromName(e["code"].get<std::string>()),
                       e["message"].get<std::string>() + " (HTTP " + std::to_string(status) + ")");
    }
  }
  return MakeError(Errc::kProtocol, "server answered HTTP " + std::to_string(status));
}

}  // namespace lietvedis::sync::protocol
