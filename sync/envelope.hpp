// Keyring: this device's keys and the scope keys it holds, and the envelope crypto of
// docs/PROTOCOL.md ("Identity and keys", "Envelope", "Signature").
//
//  - Device keys: an Ed25519 signing pair and an X25519 pair for key wraps, generated
//    locally with libsodium, stored in the local table `sync_device` (the store is encrypted at
//    rest) and held in sodium_malloc'd memory (storage::SecretBytes) while the Keyring lives.
//  - Scope keys: 32 random bytes per (scope, key_version), table `sync_scope_keys`; cached in
//    guarded memory (sodium_malloc'd slabs of 64 keys) from first use, or from the import of
//    their wrap.
//  - Key wraps (protocol::KeyWrapBox): a scope key encrypted from this device to a reader
//    device under the pair's wrap key, bound to scope, version and sender. The wrap key comes
//    from one X25519 per peer device and is cached in the same guarded slabs, so a device
//    importing 200 keys from one colleague does one X25519, not 200 (crypto_box_seal needed
//    two per wrap to make and one to open). A wrap opens only with the key of the device it
//    names as sender, which the directory must list: unlike the anonymous sealed wraps of the
//    first version, the server cannot hand a device a key of its own making without also
//    listing a device of its own. The anonymous sealed wraps of the first version are
//    refused (kTampered): they name no sender, so any holder of this device's public key
//    (the central store included) could have made one.
//  - Seal: XChaCha20-Poly1305 IETF under the scope's newest key, random 24-byte nonce,
//    associated data = protocol::AssociatedData(...); signed alone (Ed25519 over
//    protocol::SignedBytes(...)), or with the rest of its push (SignPush: one signature over
//    the push's Merkle tree, a proof in each envelope; sync/push_proof.hpp).
//  - Open: shape check, then the signature (before any decryption), then decryption. The two
//    halves are also separate (VerifyEnvelope, Keyring::OpenVerified) so the engine can verify
//    a prefetched pull page on a helper thread while the writer decrypts the page before it.
//
// Errors, distinct on purpose (the engine reports them in plain words):
//   kProtocol  envelope shape is wrong (sizes, batch id, key version 0)
//   kTampered  "signature does not verify" (altered bytes or wrong author key), or
//              "does not decrypt" (signature fine but the key is wrong)
//   kNotFound  this device holds no key for that (scope, key_version)
//
// Threading: a Keyring belongs to the thread that owns the Database (the writer).
// VerifyEnvelope is a pure function and may run on any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "storage/secret.hpp"
#include "sync/protocol.hpp"
#include "sync/push_proof.hpp"

namespace lietvedis::sync {

inline constexpr std::size_t kScopeKeyBytes = 32;

// Public keys of the directory's devices, by device id.
using DeviceKeys = std::map<std::string, protocol::Bytes, std::less<>>;

class Keyring {
 public:
  // Creates the tables (migration component "sync_keys") and loads the device keys, if any.
  static Result<std::unique_ptr<Keyring>> Open(storage::Database& db);

  bool HasDeviceKeys() const { return !sign_sk_.empty(); }
  // Generates and stores a fresh device key pair set. kConflict when one exists already.
  Result<void> GenerateDeviceKeys();
  const protocol::Bytes& sign_pk() const { return sign_pk_; }
  const protocol::Bytes& box_pk() const { return box_pk_; }
  // Ed25519 detached signature with the device key.
  Result<protocol::Bytes> Sign(std::span<const std::uint8_t> message) const;

  // Newest key version held for `scope`; 0 when none.
  Result<std::uint32_t> LatestVersion(std::string_view scope);
  // Creates key version LatestVersion+1 for `scope` (first write, or rotation).
  Result<std::uint32_t> CreateScopeKey(std::string_view scope);
  // Opens a wrap addressed to this device and stores the key (idempotent). `box_keys`: the
  // directory's X25519 public keys by device id, where the sender's is found. kTampered when
  // the wrap does not open (another recipient, another sender's key, a relabelled scope or
  // version, altered bytes) and for an anonymous sealed wrap of the first version; kProtocol
  // for a malformed wrap or a sender the directory does not list. Whether that sender may hand
  // out this scope's key is the engine's decision (access::MayRead), made before.
  Result<void> ImportWrap(std::string_view scope, std::uint32_t version,
                          std::span<const std::uint8_t> wrap, const DeviceKeys& box_keys);
  // Wraps key (scope, version) from this device (`own_device`, named in the wrap) to a reader
  // device's X25519 public key. kNotFound if the key is not held.
  Result<protocol::Bytes> WrapFor(std::string_view scope, std::uint32_t version,
                                  std::string_view own_device,
                                  std::span<const std::uint8_t> reader_box_pk);
  // Every (scope, version) held, ordered.
  Result<std::vector<std::pair<std::string, std::uint32_t>>> HeldKeys();
  // Deletes every key version of `scope` from the store and wipes its cached copies (the
  // purge of a scope this device no longer reads, sync/purge.hpp); returns how many versions
  // were held. Call inside the caller's write transaction; the wiped slots are not reused.
  // WARNING: a pointer from Key() for this scope dangles afterwards (it reads zeros).
  Result<std::int64_t> ForgetScope(std::string_view scope);

  // Encrypts a batch plaintext under the newest key of `scope` (kNotFound if none), unsigned:
  // SignPush signs it with the rest of its push.
  Result<protocol::Envelope> Encrypt(std::string_view scope, std::string_view batch_id,
                                     std::string_view author_device,
                                     std::span<const std::uint8_t> plaintext);
  // Encrypt, then sign the envelope alone (the first signature form: no proof).
  Result<protocol::Envelope> Seal(std::string_view scope, std::string_view batch_id,
                                  std::string_view author_device,
                                  std::span<const std::uint8_t> plaintext);
  // Signs the envelopes of one push (one author device) with ONE Ed25519 signature over their
  // Merkle tree, and gives each its inclusion proof (sync/push_proof.hpp).
  Result<void> SignPush(std::span<protocol::Envelope> push);
  // Verifies the author's signature, then decrypts. See the error list above.
  // Same as VerifyEnvelope followed by OpenVerified.
  Result<protocol::Bytes> Open(const protocol::Envelope& envelope,
                               std::span<const std::uint8_t> author_sign_pk);
  // Decrypts an envelope that VerifyEnvelope accepted: kNotFound when no key is held for its
  // (scope, key_version), kTampered "does not decrypt" when the key does not open it.
  // WARNING: never call it on an envelope whose signature was not verified (or that changed
  // since): the signature is what ties the ciphertext to its author; the AEAD tag only proves
  // that some holder of the scope key wrote it. Use Open() unless the verification happened
  // elsewhere (the engine's prefetch thread).
  Result<protocol::Bytes> OpenVerified(const protocol::Envelope& envelope);
  // The key of (scope, version), loaded into the cache if need be: kNotFound when not held.
  // The pointer stays valid, and its 32 bytes unchanged, for the Keyring's lifetime (the
  // guarded slabs never move), so another thread may decrypt with it (DecryptEnvelope) while
  // this one goes on using the Keyring; the Keyring must outlive that thread's use.
  Result<const std::uint8_t*> HeldKey(std::string_view scope, std::uint32_t version) {
    return Key(scope, version);
  }

 private:
  explicit Keyring(storage::Database& db) : db_(&db) {}
  // The kScopeKeyBytes of (scope, version), from the cache or the store; kNotFound if not held.
  Result<const std::uint8_t*> Key(std::string_view scope, std::uint32_t version);
  // The next free kScopeKeyBytes in guarded memory (a new slab when the last one is full);
  // nothing is cached until CacheKey, so a key that fails to store can be wiped there.
  Result<std::uint8_t*> FreeKeySlot();
  // Marks the slot FreeKeySlot() returned as used and returns it.
  std::uint8_t* TakeSlot();
  // Caches the key just written to FreeKeySlot() as (scope, version).
  const std::uint8_t* CacheKey(std::string_view scope, std::uint32_t version);
  // The wrap key shared with the device whose X25519 public key is `peer_box_pk`: computed
  // once (X25519, then BLAKE2b), then cached. kTampered when the public key is unusable.
  Result<const std::uint8_t*> PairKey(std::span<const std::uint8_t> peer_box_pk);

  storage::Database* db_;
  protocol::Bytes sign_pk_, box_pk_;
  storage::SecretBytes sign_sk_, box_sk_;
  // Scope keys in guarded memory, kKeysPerSlab to one sodium_malloc'd slab: one allocation,
  // guard pages and mlock per 64 keys instead of per key. An initial pull opens envelopes of
  // hundreds of scopes, and every mprotect in a process with several threads costs a TLB
  // shootdown (about 90 us a key measured during a pull, 13 ms for 200 scopes).
  static constexpr std::size_t kKeysPerSlab = 64;
  std::vector<storage::SecretBytes> key_slabs_;
  std::size_t slab_used_ = 0;  // keys in key_slabs_.back()
  std::map<std::pair<std::string, std::uint32_t>, const std::uint8_t*, std::less<>> keys_;
  std::map<protocol::Bytes, const std::uint8_t*> pair_keys_;  // by the peer's box public key
};

// The first half of Keyring::Open: the envelope's shape (kProtocol), then the author's Ed25519
// signature over protocol::SignedBytes (kTampered "the signature of batch ... does not verify
// for device ..."). Pure: needs no key of this device, safe on any thread.
// `verified` (may be null): push signatures checked before, shared by the threads checking one
// pull; a push's batches then cost one Ed25519 check between them.
Result<void> VerifyEnvelope(const protocol::Envelope& envelope,
                            std::span<const std::uint8_t> author_sign_pk,
                            protocol::VerifiedPushes* verified = nullptr);

// The second half of Keyring::Open, given the key (Keyring::HeldKey): the envelope's shape,
// then XChaCha20-Poly1305 decryption (kTampered "does not decrypt under key version N"). Pure:
// safe on any thread. The same WARNING as OpenVerified: only for a verified envelope.
Result<protocol::Bytes> DecryptEnvelope(const protocol::Envelope& envelope,
                                        const std::uint8_t* scope_key);

// A fresh batch id: 32 lowercase hex characters.
std::string NewBatchId();

}  // namespace lietvedis::sync
