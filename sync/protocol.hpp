// Protocol: the wire format of docs/PROTOCOL.md (version 1), shared by the central store
// (sync/server/) and the client's SyncEngine. Message structs for every endpoint, their JSON
// form, the canonical bytes that envelopes sign and authenticate, base64, limits and error
// bodies. No HTTP library types here: the transport is the caller's business.
//
// Parsing is strict: a missing field or a field of the wrong JSON type (or a base64 field that
// does not decode, or a key of the wrong length) gives Errc::kProtocol with a message naming
// the field ("enrol.sign_pk: expected 32 bytes"). Unknown extra fields are ignored so a newer
// peer can add fields within one protocol version.
//
// Conventions: times are Unix milliseconds (int64, UTC); binary fields travel as standard
// padded base64; ids are opaque strings (the server uses 32 lowercase hex characters).
//
// Threading: every function here is pure (or only reads libsodium's constant tables) and may
// be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"
#include "sync/json_limits.hpp"

namespace lietvedis::sync::protocol {

using Bytes = std::vector<std::uint8_t>;

inline constexpr int kProtocolVersion = 1;
inline constexpr const char* kProtocolHeader = "Lietvedis-Protocol";
inline constexpr const char* kJsonContentType = "application/json";
inline constexpr const char* kBinaryContentType = "application/octet-stream";  // binary pull page
// What a server takes beyond JSON, named on its GET /v1/sync answers (comma-separated):
// "push-bin" = POST /v1/push with a binary body (the pull page form, sync/pull_codec.hpp);
// "push-zstd" = that body may come compressed (sync/pull_codec.hpp CompressPushBody).
// A client sends a binary push only to a server that named it, so older servers get JSON, and
// compresses it only for a server that named "push-zstd" too.
inline constexpr const char* kAcceptsHeader = "Lietvedis-Accepts";
inline constexpr const char* kAcceptsBinaryPush = "push-bin";
inline constexpr const char* kAcceptsCompressedPush = "push-zstd";

// Limits (PROTOCOL.md "Transport").
inline constexpr std::size_t kMaxRequestBody = 16u * 1024u * 1024u;
inline constexpr std::size_t kMaxCiphertext = 4u * 1024u * 1024u;
inline constexpr std::size_t kMaxBatchesPerPush = 1000;
inline constexpr std::size_t kMaxPullLimit = 1000;
inline constexpr std::size_t kDefaultPullLimit = 200;
inline constexpr std::size_t kMaxPullCursor = 4096;     // bytes of an opaque pull cursor
inline constexpr std::size_t kMaxPullBytes = 1u << 30;  // largest max_bytes a pull may ask
inline constexpr std::size_t kMaxIdLength = 200;        // scope ids, user/device/unit ids
inline constexpr std::size_t kMaxSealedKey = 4096;      // one key wrap ("Key wraps" below)
inline constexpr std::size_t kMaxMissingWraps = 2000;   // entries of one GET /v1/keys/missing
inline constexpr std::size_t kMaxStatementText = 4096;  // one directory statement's JSON text

// Key and signature sizes (libsodium's constants, fixed here so parsing needs no sodium call).
inline constexpr std::size_t kSignPublicKeyBytes = 32;  // crypto_sign_PUBLICKEYBYTES
inline constexpr std::size_t kSignatureBytes = 64;      // crypto_sign_BYTES
inline constexpr std::size_t kBoxPublicKeyBytes = 32;   // crypto_box_PUBLICKEYBYTES
inline constexpr std::size_t kNonceBytes = 24;    // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
inline constexpr std::size_t kBatchIdChars = 32;  // lowercase hex
inline constexpr std::size_t kMaxProofBytes = 8 + 32 * 32;  // a push proof (push_proof.hpp)

// Domain-separation prefixes of the signed byte strings.
inline constexpr std::string_view kBatchSignaturePrefix = "lietvedis-batch-v1";
inline constexpr std::string_view kSessionSignaturePrefix = "lietvedis-session-v1";
inline constexpr std::string_view kKeyWrapPrefix = "lietvedis-keywrap-v2";

// Scope kinds and roles, as spelled on the wire.
inline constexpr const char* kKindOrg = "org";
inline constexpr const char* kKindUnit = "unit";
inline constexpr const char* kKindVolunteers = "volunteers";
inline constexpr const char* kKindCase = "case";
inline constexpr const char* kKindMentoring = "mentoring";
inline constexpr const char* kRoleOfficer = "officer";
inline constexpr const char* kRoleSupervisor = "supervisor";
inline constexpr const char* kRoleCoordinator = "volunteer_coordinator";
inline constexpr const char* kRoleAdministrator = "administrator";
bool IsKnownRole(std::string_view role);
bool IsKnownScopeKind(std::string_view kind);

// ---- base64 and hex -------------------------------------------------------------------------
std::string Base64Encode(std::span<const std::uint8_t> bytes);     // standard, padded
Result<Bytes> Base64Decode(std::string_view text);                 // kProtocol if invalid
std::string Base64UrlEncode(std::span<const std::uint8_t> bytes);  // URL-safe, no padding
Result<Bytes> Base64UrlDecode(std::string_view text);
std::string HexEncode(std::span<const std::uint8_t> bytes);  // lowercase
bool IsLowerHex(std::string_view text, std::size_t length);

// ---- envelopes ------------------------------------------------------------------------------
struct Envelope {
  std::int64_t seq = 0;  // 0 when pushing; the server's global sequence number when pulled
  std::string scope;
  std::string batch_id;  // 32 lowercase hex chars, chosen by the client
  std::string author_device;
  std::uint32_t key_version = 0;
  Bytes nonce;       // 24 bytes
  Bytes ciphertext;  // crypto_aead_xchacha20poly1305_ietf, at most kMaxCiphertext bytes
  Bytes signature;   // 64 bytes, Ed25519: the push's signature (proof set), or over SignedBytes()
  // The envelope's inclusion proof in the push it came with (sync/push_proof.hpp); empty for
  // an envelope signed alone.
  Bytes proof;
  std::int64_t created_at = 0;  // set by the server when stored (ms); ignored on push
};

// "lietvedis-batch-v1" ‖ u32le(len) scope ‖ u32le(len) batch_id ‖ u32le(len) author_device ‖
// u32le(key_version): the associated data of the envelope's AEAD.
Bytes AssociatedData(std::string_view scope, std::string_view batch_id,
                     std::string_view author_device, std::uint32_t key_version);
Bytes AssociatedData(const Envelope& e);
// AssociatedData ‖ u32le(len) nonce ‖ u32le(len) ciphertext: what the author device signs.
Bytes SignedBytes(const Envelope& e);
// "lietvedis-session-v1" ‖ challenge: what a device signs to open a session.
Bytes SessionSignedBytes(std::span<const std::uint8_t> challenge);

// Checks an envelope's shape (sizes, batch id form, key version >= 1), not its signature.
Result<void> ValidateEnvelopeShape(const Envelope& e);
// The author's signature of `e`, either form (push_proof.hpp), with the author's public key.
// kProtocol "bad signature" when it does not verify; kProtocol naming the fault for a malformed
// signature, key or proof. `cache` (may be null): push signatures checked before.
class VerifiedPushes;
Result<void> VerifyEnvelopeSignature(const Envelope& e, std::span<const std::uint8_t> sign_pk,
                                     VerifiedPushes* cache = nullptr);

// ---- key wraps ------------------------------------------------------------------------------
// A scope key encrypted from one device to another (PROTOCOL.md "Key wraps"). On the wire it is
// the `sealed` bytes of a KeyWrap:
//   "LVW2" ‖ u8(len) from_device ‖ nonce (24) ‖ ciphertext (48: the 32-byte key and its tag)
// The ciphertext is XChaCha20-Poly1305 IETF under the pair's wrap key (BLAKE2b-256 keyed with
// crypto_box_beforenm(peer box key, own box secret), message kKeyWrapPrefix) with associated
// data KeyWrapAssociatedData(...). Wraps of the first version were anonymous crypto_box_seal
// output (kSealedKeyWrapBytes, no magic); a device refuses those and never writes them.
inline constexpr std::string_view kKeyWrapMagic = "LVW2";
inline constexpr std::size_t kSealedKeyWrapBytes = 80;  // 32 + crypto_box_SEALBYTES
struct KeyWrapBox {
  std::string from_device;  // the device that made the wrap: its box key opens it
  Bytes nonce;              // kNonceBytes
  Bytes ciphertext;         // 48 bytes
};
Bytes EncodeKeyWrap(const KeyWrapBox& w);
// kProtocol when the bytes are not a wrap of this form (magic, lengths, empty device id).
Result<KeyWrapBox> DecodeKeyWrap(std::span<const std::uint8_t> wrap);
// kKeyWrapPrefix ‖ u32le(len) scope ‖ u32le(key_version) ‖ u32le(len) from_device: binds a
// wrap to its scope and version, so a relabelled wrap does not open.
Bytes KeyWrapAssociatedData(std::string_view scope, std::uint32_t key_version,
                            std::string_view from_device);

// ---- enrolment code -------------------------------------------------------------------------
// The one-time code an administrator hands to a new user: "LV1-" + base64url(JSON
// {"u": server_url, "c": secret, "f": cert_fingerprint_hex_or_empty, "r": root_pk_hex}). The
// secret never reaches the server: the device derives the enrolment key from it
// (sync/directory.hpp) and proves it by signing its own keys. A code without "r" (made before
// the organisation had a root key) is refused.
struct EnrolmentCode {
  std::string server_url;
  std::string secret;            // 64 lowercase hex chars
  std::string cert_fingerprint;  // lowercase hex SHA-256 of the server certificate; may be empty
  std::string root_pk;           // the organisation's root key (Ed25519, 64 lowercase hex chars)
};
std::string EncodeEnrolmentCode(const EnrolmentCode& code);
Result<EnrolmentCode> DecodeEnrolmentCode(std::string_view text);  // kValidation if malformed

// ---- messages -------------------------------------------------------------------------------
// POST /v1/enrol. The device names itself (device_id = directory::DeviceIdForKey(sign_pk)) and
// binds its keys to the enrolment the root signed: binding_sig is the enrolment key's Ed25519
// signature over directory::BindingSignedBytes (docs/PROTOCOL.md "Directory").
struct EnrolRequest {
  std::string device_id, device_name;
  Bytes enrol_pk, sign_pk, box_pk, binding_sig;
};
struct EnrolResponse {
  std::string user_id, device_id, display_name, role, unit_id;
};
struct ChallengeRequest {
  std::string device_id;
};
struct ChallengeResponse {
  Bytes challenge;  // 32 random bytes
  std::int64_t expires_at = 0;
};
struct SessionRequest {
  std::string device_id;
  Bytes challenge, signature;
};
struct SessionResponse {
  std::string token;
  std::int64_t expires_at = 0;
};

struct DirectoryUnit {
  std::string unit_id, region, name;
};
struct DirectoryUser {
  std::string user_id, display_name, role, unit_id;
  bool active = true;
};
struct DirectoryDevice {
  std::string device_id, user_id;
  Bytes sign_pk, box_pk;
  // The device's binding to a root-signed enrolment (empty for devices enrolled before).
  Bytes enrol_pk, binding_sig;
};
// One root-signed statement of the directory log: the exact JSON text and the root's Ed25519
// signature over directory::StatementSignedBytes(text).
struct SignedStatement {
  std::string text;
  Bytes signature;
};
// GET /v1/directory. units/users are the server's own view (what it enforces); a client acts
// only on `log` and on devices whose binding verifies against it (sync/directory.hpp).
struct DirectoryResponse {
  std::vector<DirectoryUnit> units;
  std::vector<DirectoryUser> users;
  std::vector<DirectoryDevice> devices;
  std::vector<SignedStatement> log;
};

// POST /v1/scopes body, and one entry of GET /v1/scopes (key_version only in the latter; the
// registration answer is a ScopeInfo too). unit_id/owner_user_id are "" where not applicable
// ("org" has neither; unit and volunteers scopes have no owner).
// A case or mentoring scope moved between units (docs/PROTOCOL.md, "Transfers") also names
// the unit it is offered to while a transfer waits (`transfer_unit_id`), the units it was
// transferred from (`former_unit_ids`, comma-separated, oldest first) and the units an offer
// of it named that ended without a move (`offer_unit_ids`: declined or withdrawn); each ""
// otherwise and left out of the JSON then.
struct ScopeInfo {
  std::string scope, kind, unit_id, owner_user_id;
  std::uint32_t key_version = 0;  // newest key version with a wrap on the server; 0 = none yet
  std::string transfer_unit_id, former_unit_ids, offer_unit_ids;
};
using ScopeRegisterRequest = ScopeInfo;  // key_version and the transfer fields are not read
struct ScopeOwnerRequest {
  std::string scope, owner_user_id;
};
// POST /v1/scopes/transfer: a case (and its mentoring scope, when registered) offered to
// another unit by a supervisor of its unit ("offer", unit_id = the receiving unit), the offer
// withdrawn by one ("withdraw"), accepted by a supervisor of the receiving unit with the new
// owner ("accept", owner_user_id) or declined by one ("decline").
inline constexpr std::string_view kTransferOffer = "offer", kTransferWithdraw = "withdraw",
                                  kTransferAccept = "accept", kTransferDecline = "decline";
struct ScopeTransferRequest {
  std::string scope, action, unit_id, owner_user_id;
};
inline constexpr std::size_t kMaxFormerUnits = 4096;  // bytes of former_unit_ids
struct ScopesResponse {
  std::vector<ScopeInfo> scopes;
};

// GET /v1/devices/seen (administrators only): each device as the central store saw it. The
// store's word, for the administrator's screen; no client acts on it.
struct DeviceSeen {
  std::string device_id, user_id, name;
  std::int64_t enrolled_at = 0, last_seen_at = 0;  // ms since the epoch; 0 = never
  bool revoked = false;
};
struct DevicesSeenResponse {
  std::vector<DeviceSeen> devices;
};
inline constexpr std::size_t kMaxDevicesSeen = 100000;

// POST /v1/keys: wraps for reader devices. A wrap at scope key_version + 1 rotates the scope.
struct KeyWrap {
  std::string scope;
  std::uint32_t key_version = 0;
  std::string device_id;  // the device the key is sealed to (omitted in GET /v1/keys)
  Bytes sealed;
};
struct PutKeysRequest {
  std::vector<KeyWrap> wraps;
};
struct KeysResponse {  // GET /v1/keys: wraps sealed to the caller's device
  std::vector<KeyWrap> wraps;
};
struct MissingWrap {
  std::string scope;
  std::uint32_t key_version = 0;
  std::string device_id;
  Bytes box_pk;
};
// GET /v1/keys/missing: at most kMaxMissingWraps entries, every scope's newest key version
// before the older ones; `more` when the server left some out (the caller asks again after
// posting what it could wrap).
struct MissingKeysResponse {
  std::vector<MissingWrap> missing;
  bool more = false;
};

struct PushRequest {
  std::vector<Envelope> batches;  // seq and created_at are not read
};
struct PushResult {
  std::string batch_id;
  std::int64_t seq = 0;
  bool duplicate = false;
};
struct PushResponse {
  std::vector<PushResult> results;
};
struct PullResponse {
  std::vector<Envelope> envelopes;
  std::string cursor;  // opaque; send it back as ?cursor=
  bool more = false;
};

// JSON mapping. ToJson never fails; FromJson<T> is strict (see the header comment).
nlohmann::json ToJson(const Envelope& v);
nlohmann::json ToJson(const EnrolRequest& v);
nlohmann::json ToJson(const EnrolResponse& v);
nlohmann::json ToJson(const ChallengeRequest& v);
nlohmann::json ToJson(const ChallengeResponse& v);
nlohmann::json ToJson(const SessionRequest& v);
nlohmann::json ToJson(const SessionResponse& v);
nlohmann::json ToJson(const DirectoryResponse& v);
nlohmann::json ToJson(const ScopeInfo& v);
nlohmann::json ToJson(const ScopeOwnerRequest& v);
nlohmann::json ToJson(const ScopeTransferRequest& v);
nlohmann::json ToJson(const ScopesResponse& v);
nlohmann::json ToJson(const DevicesSeenResponse& v);
nlohmann::json ToJson(const PutKeysRequest& v);
nlohmann::json ToJson(const KeysResponse& v);
nlohmann::json ToJson(const MissingKeysResponse& v);
nlohmann::json ToJson(const PushRequest& v);
nlohmann::json ToJson(const PushResponse& v);
nlohmann::json ToJson(const PullResponse& v);

template <class T>
Result<T> FromJson(const nlohmann::json& j);
// Parses JSON text within `limits` (sync/json_limits.hpp: depth, number of values, length)
// then FromJson<T>; kProtocol for text past a limit or not JSON.
template <class T>
Result<T> ParseBody(std::string_view body, const JsonLimits& limits = JsonLimits{}) {
  LV_ASSIGN(nlohmann::json j, ParseJsonBounded(body, limits, "body"));
  return FromJson<T>(j);
}

// ---- errors ---------------------------------------------------------------------------------
// {"error": {"code": "<errc name>", "message": "..."}}
std::string ErrorBody(const Error& error);
// The HTTP status the server answers for an error code (400, 401, 403, 404, 409, 413, 426, 500).
int HttpStatusFor(Errc code);
// The error a client reports for a non-2xx answer: the body's code and message when the body
// is an error body, else a kProtocol error naming the status.
Error ErrorFromResponse(int status, std::string_view body);
// Inverse of ErrcName; kInternal for an unknown name.
Errc ErrcFromName(std::string_view name);

}  // namespace lietvedis::sync::protocol
