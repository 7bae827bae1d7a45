// RootKey: the organisation's root signing key (Ed25519), the one key that every client trusts
// and the central store never holds (sync/directory.hpp, docs/SERVER.md "The root key").
//
// The administrator creates it once (`lietvedis-server admin root init`) and keeps its file
// off the server, protected by a passphrase. Every directory statement (a unit, a user, an
// enrolment, a revocation) is signed with it by the administrator's tool; `serve` never opens
// it.
//
// File layout (144 bytes, integers little-endian):
//   0   "LVROOT01"        magic and version
//   8   u64 opslimit, 16 u64 memlimit, 24 salt[16]         Argon2id parameters
//   40  public key[32]
//   72  nonce[24], 96 the 32-byte seed + tag[16]            XChaCha20-Poly1305 under
//                                                           Argon2id(passphrase), AD = [0, 72)
// An administrator key (a day-to-day signing key the root certifies, sync/directory.hpp) is a
// RootKey with the root's public key beside its own; its file (176 bytes) has the magic
// "LVADMK01" and the root's public key at 144, authenticated with the header (AD = [0, 72) ||
// [144, 176)), so the administrator's tool puts the true root in every enrolment code.
// The KDF parameters are checked against the limits below BEFORE Argon2id runs, so a tampered
// file cannot make the tool hash for hours or allocate gigabytes. A wrong passphrase and an
// altered file both fail to open the seed: kWrongPassphrase, and the public key must then
// match the seed's (kTampered otherwise).
//
// Threading: a RootKey is a value; Sign may be called from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "storage/secret.hpp"
#include "sync/directory.hpp"

namespace lietvedis::sync {

inline constexpr std::size_t kRootKeyFileSize = 144;
inline constexpr std::size_t kAdminKeyFileSize = 176;

class RootKey {
 public:
  // A fresh key (random seed).
  static Result<RootKey> Generate();
  // The key of a given 32-byte seed (tests make reproducible keys this way).
  static Result<RootKey> FromSeed(std::span<const std::uint8_t> seed);
  // A fresh administrator key, to be certified by the root whose public key is `root_pk`.
  static Result<RootKey> GenerateAdministrator(std::span<const std::uint8_t> root_pk);
  // Reads and opens a key file. kNotFound for a missing file, kNotAStore for a file that is not
  // a root key, kTampered for parameters out of range or a public key that does not match,
  // kWrongPassphrase when the seed does not open.
  static Result<RootKey> Open(const std::string& path, std::string_view passphrase);

  // Writes the key file (mode 0600, refusing to overwrite). `fast_kdf`: Argon2id at libsodium's
  // INTERACTIVE cost (demo and tests) instead of MODERATE.
  Result<void> Save(const std::string& path, std::string_view passphrase, bool fast_kdf) const;

  const protocol::Bytes& public_key() const { return pk_; }
  std::string public_key_hex() const { return protocol::HexEncode(pk_); }
  // An administrator key: statements it signs name it as their signer.
  bool is_administrator() const { return !root_pk_.empty(); }
  std::string admin_id() const { return directory::AdminIdForKey(pk_); }
  // The organisation's root public key: this key's own for the root, the certifying root's
  // for an administrator key (what enrolment codes pin).
  const protocol::Bytes& root_public_key() const { return root_pk_.empty() ? pk_ : root_pk_; }
  // Ed25519 over directory::StatementSignedBytes(text).
  Result<protocol::Bytes> SignStatement(std::string_view text) const;

 private:
  protocol::Bytes pk_;
  protocol::Bytes root_pk_;  // administrator keys only
  storage::SecretBytes seed_, sk_;
};

}  // namespace lietvedis::sync
