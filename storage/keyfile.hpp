// keys.lvk: the wrapped database key of a store, and the recovery-key text form.
//
// Layout (version 1, 272 bytes, integers little-endian):
//   0   "LIETVKEY"            magic: anything else is "not a Lietvedis store"
//   8   u32 version (1)       a newer version is kUnsupported
//   12  u32 KDF algorithm     crypto_pwhash_ALG_ARGON2ID13
//   16  file identity[16]     random per store; bound into every page's associated data
//   32  u64 opslimit, 40 u64 memlimit, 48 salt[16]          Argon2id parameters
//   64  nonce[24], 88 wrapped key + tag[48]                  under the passphrase key,
//                                                            AD = bytes [0, 64)
//   136 nonce[24], 160 wrapped key + tag[48]                 under the recovery key,
//                                                            AD = bytes [0, 32)
//   208 MAC[32]       keyed BLAKE2b of [0, 208) under a key derived from the database key
//   240 checksum[32]  unkeyed BLAKE2b of [0, 240); every later version also ends with the
//                     checksum of all bytes before it, so damage is never read as "newer"
//
// Three failures stay distinct: wrong magic or size is kNotAStore; a checksum or MAC mismatch
// (or absurd KDF parameters) is kTampered; a wrap that does not open under the given secret is
// kWrongPassphrase. KDF parameters past what a store may use (at most 8 passes and 1 GiB) are
// kTampered before Argon2id runs: the parameters are authenticated only after it, so only
// these bounds stop an edited file from making unlock hang or exhaust memory.
// The checksum catches damage and naive edits before the (slow) KDF runs;
// the MAC, checked once the key is unwrapped, catches an edit whose author recomputed the
// checksum. An attacker who rewrites the passphrase wrap and the checksum makes the file
// refuse every passphrase: that reads as kWrongPassphrase, and is detectable only by the
// recovery key still working (docs/STORAGE.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/encrypted_vfs.hpp"
#include "storage/result.hpp"
#include "storage/secret.hpp"
#include "storage/store.hpp"

namespace lietvedis::storage {

inline constexpr std::size_t kDbKeySize = 32;
inline constexpr std::size_t kRecoveryKeySize = 32;
inline constexpr std::size_t kKeyFileSize = 272;

class KeyFile {
 public:
  // Builds a new key file: wraps `db_key` under Argon2id(passphrase) and under `recovery_key`.
  static Result<KeyFile> Create(const FileId& file_id, const SecretBytes& db_key,
                                std::string_view passphrase, const KdfParams& kdf,
                                const SecretBytes& recovery_key);
  // Parses and checks magic, version, size, parameters and checksum (no secret needed).
  static Result<KeyFile> Parse(std::span<const std::uint8_t> bytes);
  // Reads and parses `path`; a missing file is kNotAStore.
  static Result<KeyFile> Read(const std::string& path);

  // Unwraps the database key (kWrongPassphrase) and verifies the MAC (kTampered).
  Result<SecretBytes> UnwrapWithPassphrase(std::string_view passphrase) const;
  Result<SecretBytes> UnwrapWithRecoveryKey(const SecretBytes& recovery_key) const;

  // Replaces the passphrase wrap (new salt, new parameters); the recovery wrap is kept.
  Result<void> Rewrap(const SecretBytes& db_key, std::string_view new_passphrase,
                      const KdfParams& kdf);

  // The file's bytes with MAC and checksum recomputed under `db_key`.
  std::vector<std::uint8_t> Serialise(const SecretBytes& db_key) const;

  const FileId& file_id() const { return file_id_; }
  KdfParams kdf() const { return {ops_limit_, static_cast<std::size_t>(mem_limit_)}; }

 private:
  Result<SecretBytes> VerifyMac(SecretBytes db_key) const;
  std::vector<std::uint8_t> bytes_;  // as read or as last built; MAC/checksum may be stale
  FileId file_id_{};
  std::uint64_t ops_limit_ = 0;
  std::uint64_t mem_limit_ = 0;
};

// Derives one of the store's 32-byte subkeys from the database key (crypto_kdf, context
// "LVstore1"): 1 = page key, 2 = ledger key, 3 = key-file MAC key.
Result<SecretBytes> DeriveSubkey(const SecretBytes& db_key, std::uint64_t id);

// Recovery key text: 32 bytes as RFC 4648 base32 (52 letters and digits 2-7), in 13 groups of
// four joined by '-'. Parsing ignores spaces and dashes and letter case; anything else, or a
// wrong length, is kWrongPassphrase ("not a recovery key").
std::string FormatRecoveryKey(const SecretBytes& key);
Result<SecretBytes> ParseRecoveryKey(std::string_view text);

}  // namespace lietvedis::storage
