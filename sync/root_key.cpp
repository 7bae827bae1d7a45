#include "sync/root_key.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lietvedis::sync {
namespace {

constexpr std::string_view kMagic = "LVROOT01";
constexpr std::string_view kAdminMagic = "LVADMK01";
constexpr std::size_t kHeaderBytes = 72;  // magic, KDF parameters, salt, public key
// The most the tool will spend on a key file: libsodium's SENSITIVE cost and 1 GiB. A file
// asking for more is not ours (or was altered) and is refused before hashing.
constexpr std::uint64_t kMaxOps = crypto_pwhash_OPSLIMIT_SENSITIVE;
constexpr std::uint64_t kMaxMem = 1ull << 30;

void PutU64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint64_t GetU64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

Result<storage::SecretBytes> PassphraseKey(std::string_view passphrase, const std::uint8_t* salt,
                                           std::uint64_t ops, std::uint64_t mem) {
  LV_ASSIGN(storage::SecretBytes key,
            storage::SecretBytes::Allocate(crypto_aead_xchacha20poly1305_ietf_KEYBYTES));
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt, ops,
                    static_cast<std::size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(Errc::kInternal, "root key: out of memory for Argon2id");
  }
  return key;
}

// What the seed's encryption authenticates besides itself: the header, and for an
// administrator key the root's public key after the ciphertext.
protocol::Bytes AssociatedData(const std::uint8_t* file, std::size_t size) {
  // Sized once and copied with memcpy: GCC 12 at -O2 reports a false array-bounds error for
  // inserting after the 72 header bytes (as in directory::StatementSignedBytes).
  const std::size_t tail = size == kAdminKeyFileSize ? kAdminKeyFileSize - kRootKeyFileSize : 0;
  protocol::Bytes ad(kHeaderBytes + tail);
  std::memcpy(ad.data(), file, kHeaderBytes);
  if (tail != 0) std::memcpy(ad.data() + kHeaderBytes, file + kRootKeyFileSize, tail);
  return ad;
}

}  // namespace

Result<RootKey> RootKey::FromSeed(std::span<const std::uint8_t> seed) {
  LV_TRY(storage::EnsureSodium());
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return MakeError(Errc::kValidation, "root key: the seed must be 32 bytes");
  }
  RootKey k;
  LV_ASSIGN(k.seed_, storage::SecretBytes::Allocate(crypto_sign_SEEDBYTES));
  std::memcpy(k.seed_.data(), seed.data(), seed.size());
  LV_ASSIGN(k.sk_, storage::SecretBytes::Allocate(crypto_sign_SECRETKEYBYTES));
  k.pk_.resize(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_seed_keypair(k.pk_.data(), k.sk_.data(), k.seed_.data());
  return k;
}

Result<RootKey> RootKey::GenerateAdministrator(std::span<const std::uint8_t> root_pk) {
  if (root_pk.size() != crypto_sign_PUBLICKEYBYTES) {
    return MakeError(Errc::kValidation, "administrator key: the root public key must be 32 bytes");
  }
  LV_ASSIGN(RootKey k, Generate());
  k.root_pk_.assign(root_pk.begin(), root_pk.end());
  return k;
}

Result<RootKey> RootKey::Generate() {
  LV_TRY(storage::EnsureSodium());
  LV_ASSIGN(storage::SecretBytes seed, storage::SecretBytes::Random(crypto_sign_SEEDBYTES));
  return FromSeed(seed.span());
}

Result<void> RootKey::Save(const std::string& path, std::string_view passphrase,
                           bool fast_kdf) const {
  if (passphrase.size() < 8) {
    return MakeError(Errc::kValidation, "root key passphrase: at least 8 characters");
  }
  const std::uint64_t ops =
      fast_kdf ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MODERATE;
  const std::uint64_t mem =
      fast_kdf ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MODERATE;
  std::uint8_t file[kAdminKeyFileSize] = {};
  const std::size_t size = is_administrator() ? kAdminKeyFileSize : kRootKeyFileSize;
  std::memcpy(file, (is_administrator() ? kAdminMagic : kMagic).data(), kMagic.size());
  if (is_administrator()) std::memcpy(file + kRootKeyFileSize, root_pk_.data(), root_pk_.size());
  PutU64(file + 8, ops);
  PutU64(file + 16, mem);
  randombytes_buf(file + 24, crypto_pwhash_SALTBYTES);
  std::memcpy(file + 40, pk_.data(), pk_.size());
  randombytes_buf(file + 72, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  LV_ASSIGN(storage::SecretBytes key, PassphraseKey(passphrase, file + 24, ops, mem));
  const protocol::Bytes ad = AssociatedData(file, size);
  crypto_aead_xchacha20poly1305_ietf_encrypt(file + 96, nullptr, seed_.data(), seed_.size(),
                                             ad.data(), ad.size(), nullptr, file + 72, key.data());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return MakeError(errno == EEXIST ? Errc::kConflict : Errc::kIo,
                     "root key file " + path + ": " + std::strerror(errno));
  }
  const bool written = ::write(fd, file, size) == static_cast<ssize_t>(size) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return MakeError(Errc::kIo, "root key file " + path + ": write failed");
  return Ok();
}

Result<RootKey> RootKey::Open(const std::string& path, std::string_view passphrase) {
  LV_TRY(storage::EnsureSodium());
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(errno == ENOENT ? Errc::kNotFound : Errc::kIo,
                     "root key file " + path + ": " + std::strerror(errno));
  }
  std::uint8_t file[kAdminKeyFileSize + 1];
  const ssize_t got = ::read(fd, file, sizeof file);
  ::close(fd);
  const bool admin = got == static_cast<ssize_t>(kAdminKeyFileSize) &&
                     std::memcmp(file, kAdminMagic.data(), kAdminMagic.size()) == 0;
  if (!admin && (got != static_cast<ssize_t>(kRootKeyFileSize) ||
                 std::memcmp(file, kMagic.data(), kMagic.size()) != 0)) {
    return MakeError(Errc::kNotAStore,
                     "root key file " + path + ": not a Lietvedis root or administrator key");
  }
  const std::size_t size = admin ? kAdminKeyFileSize : kRootKeyFileSize;
  const std::uint64_t ops = GetU64(file + 8), mem = GetU64(file + 16);
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > kMaxOps || mem < crypto_pwhash_MEMLIMIT_MIN ||
      mem > kMaxMem) {
    return MakeError(Errc::kTampered,
                     "root key file " + path + ": key derivation parameters out of range");
  }
  LV_ASSIGN(storage::SecretBytes key, PassphraseKey(passphrase, file + 24, ops, mem));
  LV_ASSIGN(storage::SecretBytes seed, storage::SecretBytes::Allocate(crypto_sign_SEEDBYTES));
  const protocol::Bytes ad = AssociatedData(file, size);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(seed.data(), nullptr, nullptr, file + 96,
                                                 crypto_sign_SEEDBYTES + 16, ad.data(), ad.size(),
                                                 file + 72, key.data()) != 0) {
    return MakeError(Errc::kWrongPassphrase,
                     "root key file " + path + ": wrong passphrase (or the file was altered)");
  }
  LV_ASSIGN(RootKey k, FromSeed(seed.span()));
  if (sodium_memcmp(k.pk_.data(), file + 40, crypto_sign_PUBLICKEYBYTES) != 0) {
    return MakeError(Errc::kTampered, "root key file " + path + ": public key does not match");
  }
  if (admin) k.root_pk_.assign(file + kRootKeyFileSize, file + kAdminKeyFileSize);
  return k;
}

Result<protocol::Bytes> RootKey::SignStatement(std::string_view text) const {
  const protocol::Bytes msg = directory::StatementSignedBytes(text);
  protocol::Bytes sig(crypto_sign_BYTES);
  if (crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sk_.data()) != 0) {
    return MakeError(Errc::kInternal, "root key: libsodium could not sign");
  }
  return sig;
}

}  // namespace lietvedis::sync
