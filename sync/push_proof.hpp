// Push signatures: one Ed25519 signature for all the batches a device pushes in one request
// (PROTOCOL.md "Signature").
//
// The batches of a push are the leaves of a Merkle tree of the shape of RFC 9162 section 2.1,
// hashed with BLAKE2b-256 (leaf: 0x00 ‖ SignedBytes(envelope); node: 0x01 ‖ left ‖ right).
// The author signs PushSignedBytes(author_device, leaf count, root) once; every envelope of the
// push carries that signature and its own inclusion proof (Envelope::proof):
//   u32le(index) ‖ u32le(count) ‖ the sibling hashes from the leaf up (32 bytes each)
// A reader recomputes the root from the envelope and its proof, and checks the signature once
// per push: VerifiedPushes remembers the pushes already checked. An envelope with an empty
// proof is of the first form: its signature signs SignedBytes(envelope) alone.
//
// What a proof shows a reader of other scopes' batches of the same push: their count and
// hashes of their ciphertext, never a scope, batch id or content.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <set>
#include <span>
#include <string_view>
#include <vector>

#include "storage/result.hpp"
#include "sync/protocol.hpp"

namespace lietvedis::sync::protocol {

inline constexpr std::size_t kHashBytes = 32;
inline constexpr std::string_view kPushSignaturePrefix = "lietvedis-push-v1";
using Hash = std::array<std::uint8_t, kHashBytes>;

// BLAKE2b-256(0x00 ‖ SignedBytes(e)): the envelope as a leaf of its push's tree.
Hash PushLeafHash(const Envelope& e);

// The tree over `leaves` (at least one): its root and each leaf's encoded inclusion proof.
struct PushTree {
  Hash root{};
  std::vector<Bytes> proofs;
};
PushTree BuildPushTree(std::span<const Hash> leaves);

// The root that `e`'s proof leads to, and the leaf count it names. kProtocol when the proof is
// malformed (length, index not below the count, a path of the wrong length for them).
struct PushRoot {
  Hash root{};
  std::uint32_t count = 0;
};
Result<PushRoot> PushRootOf(const Envelope& e);

// "lietvedis-push-v1" ‖ u32le(len) author_device ‖ u32le(count) ‖ root: what the author signs.
Bytes PushSignedBytes(std::string_view author_device, std::uint32_t count, const Hash& root);

// Push signatures already checked, by a digest of (public key, signed bytes, signature), for
// the threads that check one pull's envelopes: the 50 batches of a push cost one Ed25519
// check, not 50. Thread-safe.
class VerifiedPushes {
 public:
  bool Contains(const Hash& id) const {
    std::lock_guard<std::mutex> g(mu_);
    return ids_.count(id) != 0;
  }
  void Add(const Hash& id) {
    std::lock_guard<std::mutex> g(mu_);
    ids_.insert(id);
  }

 private:
  mutable std::mutex mu_;
  std::set<Hash> ids_;
};

// Checks `e`'s signature in either form with the author's Ed25519 public key: true when it
// verifies, false when not; kProtocol when the signature, key or proof is malformed. `cache`
// (may be null) skips push signatures checked before and remembers new ones.
Result<bool> CheckEnvelopeSignature(const Envelope& e, std::span<const std::uint8_t> sign_pk,
                                    VerifiedPushes* cache);

}  // namespace lietvedis::sync::protocol
