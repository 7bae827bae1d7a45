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

class RootKey {
 public:
  // A fresh key (random seed).
  static Result<RootKey> Generate();
  // The key of a given 32-byte seed (tests make reproducible keys this way).
  static Result<RootKey> FromSeed(std::span<const std::uint8_t> seed);
  // Reads and opens a key file. kNotFound for a missing file, kNotAStore for a file that is not
  // a root key, kTampered for parameters out of range or a public key that does not match,
  // kWrongPassphrase when the seed does not open.
  static Result<RootKey> Open(const std::string& path, std::string_view passphrase);

  // Writes the key file (mode 0600, refusing to overwrite). `fast_kdf`: Argon2id at libsodium's
  // INTERACTIVE cost (demo and tests) instead of MODERATE.
  Result<void> Save(const std::string& path, std::string_view passphrase, bool fast_kdf) const;

  const protocol::Bytes& public_key() const { return pk_; }
  std::string public_key_hex() const { return protocol::HexEncode(pk_); }
  // Ed25519 over directory::StatementSignedBytes(text).
  Result<protocol::Bytes> SignStatement(std::string_view text) const;

 private:
  protocol::Bytes pk_;
  storage::SecretBytes seed_, sk_;
};

}  // namespace lietvedis::sync
