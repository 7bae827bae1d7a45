// Pull codec: the binary body of one pull page (GET /v1/pull?...&format=bin, docs/PROTOCOL.md
// "Binary pull pages"). It carries exactly what the JSON PullResponse carries, without JSON
// parsing and without base64 (a third more bytes): the ciphertext travels raw.
//
// Layout (integers little-endian; "bytes" = u32le length, then that many bytes):
//   "LVP2"                     magic and format version (4 bytes)
//   u8 more                    0 or 1
//   bytes cursor               at most kMaxPullCursor bytes
//   u32le count                envelopes that follow, at most kMaxPullLimit
//   count x envelope:
//     i64le seq
//     bytes scope              at most kMaxIdLength
//     bytes batch_id           at most kMaxIdLength
//     bytes author_device      at most kMaxIdLength
//     u32le key_version
//     bytes nonce              exactly kNonceBytes (24)
//     bytes ciphertext         at most kMaxCiphertext
//     bytes signature          exactly kSignatureBytes (64)
//     bytes proof              at most kMaxProofBytes (empty: signed alone)
//     i64le created_at
//   nothing after the last envelope
// The limits are those FromJson<PullResponse> applies to the same fields, so a page decodes
// from one form exactly when it parses from the other. Like the JSON parser, the decoder
// checks sizes only; ValidateEnvelopeShape and the signature are the caller's next steps.
//
// DecodePullPage treats its input as hostile: every length is checked against the bytes left
// and against its limit before anything is allocated; truncated input, a bad magic, a more
// flag other than 0/1, too many envelopes and trailing bytes are Errc::kProtocol with a message
// naming the envelope and field. It never aborts.
//
// Threading: pure functions, any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "sync/protocol.hpp"

namespace lietvedis::sync::protocol {

// Version 2 added the proof; nothing ever stored or cached a version 1 page.
inline constexpr std::string_view kPullPageMagic = "LVP2";

// The whole body of a binary pull page. Never fails; fields beyond the limits above are
// encoded as they are (and refused by the decoder), as ToJson does.
std::string EncodePullPage(const PullResponse& page);
Result<PullResponse> DecodePullPage(std::span<const std::uint8_t> body);
Result<PullResponse> DecodePullPage(std::string_view body);

// ---- a binary push compressed for the wire ("push-zstd", docs/PROTOCOL.md "Binary pushes") ----
// "LVZ1" | varint n (LEB128) | a zstd frame of the n bytes of an LVP2 page, whose header states
// n. The ciphertext inside does not compress, but what a push repeats does: one signature for
// all its envelopes, the author's device id, the proof's shared nodes, scope prefixes.
inline constexpr std::string_view kCompressedPushMagic = "LVZ1";
// `page` (EncodePullPage's output) compressed at `level` when that makes it smaller, else
// unchanged.
std::string CompressPushBody(std::string page, int level);
// The LVP2 page of a binary push body, compressed or not. kProtocol for a compressed body
// that states more than kMaxRequestBody bytes (checked before anything is allocated), a frame
// that does not state its size or does not decompress to it, and a compressed page inside.
Result<std::string> UncompressPushBody(std::string body);

// ---- the sync head (GET /v1/sync, docs/PROTOCOL.md "One request for a sync") -----------------
// What a sync needs before it pushes, in one answer: the directory and the scope list, each
// only when it differs from the one the client holds (named by its digest), and the first pull
// page. Layout ("bytes" as above):
//   "LVS1"                     magic and format version
//   bytes directory            the body GET /v1/directory would answer; empty = unchanged
//   bytes scopes               the body GET /v1/scopes would answer; empty = unchanged
//   u8 page_format             0 = JSON, 1 = binary ("LVP2" above)
//   the rest                   the body GET /v1/pull would answer for the same parameters
// A client holds a directory or scope list only after verifying it; "unchanged" makes it
// verify its stored copy again, so the answer can save bytes but never vouch for anything.
inline constexpr std::string_view kSyncHeadMagic = "LVS1";

struct SyncHead {
  std::string directory;  // empty: the client's copy is current
  std::string scopes;     // empty: the client's copy is current
  bool page_binary = false;
  std::string page;  // a pull page body, in the format above
};

std::string EncodeSyncHead(const SyncHead& head);
// kProtocol for a bad magic, truncated parts, a directory or scope list over kMaxRequestBody,
// or a page format other than 0/1.
Result<SyncHead> DecodeSyncHead(std::string_view body);

// The digest by which a client names the directory or scope list it holds: lowercase hex of
// the 16-byte BLAKE2b of the body's text.
std::string BodyDigest(std::string_view body);

}  // namespace lietvedis::sync::protocol
