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

}  // namespace lietvedis::sync::protocol
