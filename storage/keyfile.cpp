#include "storage/keyfile.hpp"

#include <sodium.h>

#include <cstring>

#include "storage/files.hpp"

namespace lietvedis::storage {

namespace {

constexpr char kMagic[8] = {'L', 'I', 'E', 'T', 'V', 'K', 'E', 'Y'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kOffVersion = 8, kOffAlg = 12, kOffFileId = 16, kOffOps = 32, kOffMem = 40,
                      kOffSalt = 48, kOffPassNonce = 64, kOffPassBox = 88, kOffRecNonce = 136,
                      kOffRecBox = 160, kOffMac = 208, kOffChecksum = 240;
constexpr std::size_t kBoxSize = kDbKeySize + crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kOffChecksum + 32 == kKeyFileSize);
static_assert(kOffPassBox - kOffPassNonce == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kOffSalt + crypto_pwhash_SALTBYTES == kOffPassNonce);
// Past what this program writes (Moderate: 3 passes, 256 MiB) with room for a stronger setting,
// but bounded: the parameters are read before Argon2id runs and only authenticated after it,
// so these bounds are what stops an edited file from making unlock hang or take gigabytes.
constexpr std::uint64_t kMaxOpsLimit = 8;
constexpr std::uint64_t kMaxMemLimit = std::uint64_t{1} << 30;

void PutLe32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void PutLe64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t GetLe32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
std::uint64_t GetLe64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

Error Altered() {
  return MakeError(Errc::kTampered,
                   "keys.lvk failed its integrity check: the file was altered or damaged");
}

Result<SecretBytes> PassphraseKey(std::string_view passphrase, const std::uint8_t* salt,
                                  std::uint64_t ops, std::uint64_t mem) {
  LV_ASSIGN(SecretBytes kek, SecretBytes::Allocate(kDbKeySize));
  if (crypto_pwhash(kek.data(), kek.size(), passphrase.data(), passphrase.size(), salt, ops,
                    static_cast<std::size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(Errc::kInternal, "Argon2id could not run (out of memory for its parameters)");
  }
  return kek;
}

Result<SecretBytes> RecoveryWrapKey(const SecretBytes& recovery_key) {
  LV_ASSIGN(SecretBytes k, SecretBytes::Allocate(kDbKeySize));
  if (crypto_kdf_derive_from_key(k.data(), k.size(), 1, "LVrecov1", recovery_key.data()) != 0) {
    return MakeError(Errc::kInternal, "deriving the recovery wrapping key failed");
  }
  return k;
}

void Wrap(const SecretBytes& kek, const SecretBytes& db_key, std::uint8_t* nonce, std::uint8_t* box,
          const std::uint8_t* ad, std::size_t ad_len) {
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(box, &len, db_key.data(), db_key.size(), ad, ad_len,
                                             nullptr, nonce, kek.data());
}

Result<SecretBytes> Unwrap(const SecretBytes& kek, const std::uint8_t* nonce,
                           const std::uint8_t* box, const std::uint8_t* ad, std::size_t ad_len,
                           std::string_view what) {
  LV_ASSIGN(SecretBytes db_key, SecretBytes::Allocate(kDbKeySize));
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(db_key.data(), &len, nullptr, box, kBoxSize, ad,
                                                 ad_len, nonce, kek.data()) != 0 ||
      len != kDbKeySize) {
    return MakeError(Errc::kWrongPassphrase, std::string(what) + " does not unlock this store");
  }
  return db_key;
}

constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

Result<SecretBytes> DeriveSubkey(const SecretBytes& db_key, std::uint64_t id) {
  LV_ASSIGN(SecretBytes k, SecretBytes::Allocate(32));
  if (db_key.size() != kDbKeySize ||
      crypto_kdf_derive_from_key(k.data(), k.size(), id, "LVstore1", db_key.data()) != 0) {
    return MakeError(Errc::kInternal, "deriving a store subkey failed");
  }
  return k;
}

Result<KeyFile> KeyFile::Create(const FileId& file_id, const SecretBytes& db_key,
                                std::string_view passphrase, const KdfParams& kdf,
                                const SecretBytes& recovery_key) {
  LV_TRY(EnsureSodium());
  KeyFile f;
  f.bytes_.assign(kKeyFileSize, 0);
  std::uint8_t* b = f.bytes_.data();
  std::memcpy(b, kMagic, 8);
  PutLe32(b + kOffVersion, kVersion);
  PutLe32(b + kOffAlg, static_cast<std::uint32_t>(crypto_pwhash_ALG_ARGON2ID13));
  std::memcpy(b + kOffFileId, file_id.data(), kFileIdSize);
  f.file_id_ = file_id;
  LV_ASSIGN(SecretBytes rec_kek, RecoveryWrapKey(recovery_key));
  Wrap(rec_kek, db_key, b + kOffRecNonce, b + kOffRecBox, b, kOffFileId + kFileIdSize);
  LV_TRY(f.Rewrap(db_key, passphrase, kdf));
  return f;
}

Result<void> KeyFile::Rewrap(const SecretBytes& db_key, std::string_view new_passphrase,
                             const KdfParams& kdf) {
  if (kdf.ops_limit < crypto_pwhash_OPSLIMIT_MIN || kdf.ops_limit > kMaxOpsLimit ||
      kdf.mem_limit < crypto_pwhash_MEMLIMIT_MIN || kdf.mem_limit > kMaxMemLimit) {
    return MakeError(Errc::kValidation, "Argon2id parameters out of range");
  }
  std::vector<std::uint8_t> next = bytes_;
  std::uint8_t* b = next.data();
  PutLe64(b + kOffOps, kdf.ops_limit);
  PutLe64(b + kOffMem, kdf.mem_limit);
  randombytes_buf(b + kOffSalt, crypto_pwhash_SALTBYTES);
  LV_ASSIGN(SecretBytes kek,
            PassphraseKey(new_passphrase, b + kOffSalt, kdf.ops_limit, kdf.mem_limit));
  Wrap(kek, db_key, b + kOffPassNonce, b + kOffPassBox, b, kOffPassNonce);
  bytes_ = std::move(next);
  ops_limit_ = kdf.ops_limit;
  mem_limit_ = kdf.mem_limit;
  return Ok();
}

Result<KeyFile> KeyFile::Parse(std::span<const std::uint8_t> bytes) {
  LV_TRY(EnsureSodium());
  if (bytes.size() < 12 || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return MakeError(Errc::kNotAStore, "keys.lvk is not a Lietvedis key file");
  }
  // Every version ends with the checksum of everything before it, so damage is told apart
  // from a newer version before the version is believed.
  if (bytes.size() < 12 + 32) return Altered();
  std::uint8_t sum[32];
  crypto_generichash(sum, sizeof(sum), bytes.data(), bytes.size() - 32, nullptr, 0);
  if (sodium_memcmp(sum, bytes.data() + bytes.size() - 32, sizeof(sum)) != 0) return Altered();
  const std::uint32_t version = GetLe32(bytes.data() + kOffVersion);
  if (version > kVersion) {
    return MakeError(Errc::kUnsupported, "keys.lvk is version " + std::to_string(version) +
                                             ", newer than this program knows; update Lietvedis");
  }
  if (version != kVersion || bytes.size() != kKeyFileSize) return Altered();
  KeyFile f;
  f.bytes_.assign(bytes.begin(), bytes.end());
  std::memcpy(f.file_id_.data(), bytes.data() + kOffFileId, kFileIdSize);
  f.ops_limit_ = GetLe64(bytes.data() + kOffOps);
  f.mem_limit_ = GetLe64(bytes.data() + kOffMem);
  if (GetLe32(bytes.data() + kOffAlg) != static_cast<std::uint32_t>(crypto_pwhash_ALG_ARGON2ID13) ||
      f.ops_limit_ < crypto_pwhash_OPSLIMIT_MIN || f.ops_limit_ > kMaxOpsLimit ||
      f.mem_limit_ < crypto_pwhash_MEMLIMIT_MIN || f.mem_limit_ > kMaxMemLimit) {
    return Altered();
  }
  return f;
}

Result<KeyFile> KeyFile::Read(const std::string& path) {
  auto bytes = ReadWholeFile(path, 1 << 16);
  if (!bytes.ok()) {
    if (bytes.error().code == Errc::kNotFound) {
      return MakeError(Errc::kNotAStore, "no keys.lvk: the directory is not a Lietvedis store");
    }
    return bytes.error();
  }
  return Parse(*bytes);
}

Result<SecretBytes> KeyFile::VerifyMac(SecretBytes db_key) const {
  LV_ASSIGN(SecretBytes mac_key, DeriveSubkey(db_key, 3));
  std::uint8_t mac[32];
  crypto_generichash(mac, sizeof(mac), bytes_.data(), kOffMac, mac_key.data(), mac_key.size());
  if (sodium_memcmp(mac, bytes_.data() + kOffMac, sizeof(mac)) != 0) {
    return MakeError(Errc::kTampered,
                     "keys.lvk failed authentication: the file was altered (its key wraps or "
                     "parameters were changed)");
  }
  return db_key;
}

Result<SecretBytes> KeyFile::UnwrapWithPassphrase(std::string_view passphrase) const {
  const std::uint8_t* b = bytes_.data();
  LV_ASSIGN(SecretBytes kek, PassphraseKey(passphrase, b + kOffSalt, ops_limit_, mem_limit_));
  LV_ASSIGN(SecretBytes db_key,
            Unwrap(kek, b + kOffPassNonce, b + kOffPassBox, b, kOffPassNonce, "the passphrase"));
  return VerifyMac(std::move(db_key));
}

Result<SecretBytes> KeyFile::UnwrapWithRecoveryKey(const SecretBytes& recovery_key) const {
  const std::uint8_t* b = bytes_.data();
  LV_ASSIGN(SecretBytes kek, RecoveryWrapKey(recovery_key));
  LV_ASSIGN(SecretBytes db_key, Unwrap(kek, b + kOffRecNonce, b + kOffRecBox, b,
                                       kOffFileId + kFileIdSize, "the recovery key"));
  return VerifyMac(std::move(db_key));
}

std::vector<std::uint8_t> KeyFile::Serialise(const SecretBytes& db_key) const {
  std::vector<std::uint8_t> out = bytes_;
  auto mac_key = DeriveSubkey(db_key, 3);
  if (mac_key.ok()) {
    crypto_generichash(out.data() + kOffMac, 32, out.data(), kOffMac, mac_key->data(),
                       mac_key->size());
  }
  crypto_generichash(out.data() + kOffChecksum, 32, out.data(), kOffChecksum, nullptr, 0);
  return out;
}

std::string FormatRecoveryKey(const SecretBytes& key) {
  std::string letters;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < key.size(); ++i) {
    buffer = (buffer << 8) | key.data()[i];
    bits += 8;
    while (bits >= 5) {
      letters += kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) letters += kBase32[(buffer << (5 - bits)) & 31];
  std::string out;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += letters[i];
  }
  sodium_memzero(letters.data(), letters.size());
  return out;
}

Result<SecretBytes> ParseRecoveryKey(std::string_view text) {
  const Error not_a_key =
      MakeError(Errc::kWrongPassphrase,
                "the recovery key is not in its printed form (52 letters A-Z and digits 2-7)");
  LV_ASSIGN(SecretBytes key, SecretBytes::Allocate(kRecoveryKeySize));
  unsigned buffer = 0;
  int bits = 0;
  std::size_t out = 0;
  std::size_t letters = 0;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const char* pos = std::strchr(kBase32, c);
    if (c == '\0' || pos == nullptr) return not_a_key;
    ++letters;
    buffer = ((buffer << 5) | static_cast<unsigned>(pos - kBase32)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      if (out >= kRecoveryKeySize) return not_a_key;
      key.data()[out++] = static_cast<std::uint8_t>(buffer >> (bits - 8));
      bits -= 8;
    }
  }
  // 52 letters carry 260 bits: 256 of key and 4 zero bits of padding.
  if (letters != 52 || out != kRecoveryKeySize || (buffer & ((1u << bits) - 1)) != 0)
    return not_a_key;
  return key;
}

}  // namespace lietvedis::storage
