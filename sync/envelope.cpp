#include "sync/envelope.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace lietvedis::sync {

using storage::Database;
using storage::Migration;
using storage::SecretBytes;
using storage::Statement;

static constexpr Migration kKeyMigrations[] = {
    {1,
     "CREATE TABLE sync_device(id INTEGER PRIMARY KEY CHECK(id=1),"
     " sign_pk BLOB NOT NULL, sign_sk BLOB NOT NULL, box_pk BLOB NOT NULL, box_sk BLOB NOT NULL,"
     " created_at INTEGER NOT NULL) STRICT;"
     "CREATE TABLE sync_scope_keys(scope TEXT NOT NULL, key_version INTEGER NOT NULL,"
     " key BLOB NOT NULL, PRIMARY KEY(scope, key_version)) STRICT, WITHOUT ROWID;"},
};

// Copies a BLOB column straight into guarded memory, never through an ordinary buffer.
static Result<SecretBytes> SecretColumn(const Statement& st, int col, std::size_t expected) {
  const int n = sqlite3_column_bytes(st.handle(), col);
  const void* p = sqlite3_column_blob(st.handle(), col);
  if (p == nullptr || static_cast<std::size_t>(n) != expected) {
    return MakeError(Errc::kCorrupt, "a stored sync key has the wrong length");
  }
  LV_ASSIGN(SecretBytes s, SecretBytes::Allocate(expected));
  std::memcpy(s.data(), p, expected);
  return s;
}

Result<std::unique_ptr<Keyring>> Keyring::Open(Database& db) {
  LV_TRY(storage::EnsureSodium());
  LV_TRY(storage::Migrate(db, "sync_keys", kKeyMigrations));
  std::unique_ptr<Keyring> k(new Keyring(db));
  LV_ASSIGN(Statement st, db.Prepare("SELECT sign_pk, sign_sk, box_pk, box_sk FROM sync_device"));
  LV_ASSIGN(bool row, st.Step());
  if (row) {
    k->sign_pk_ = st.BlobAt(0);
    k->box_pk_ = st.BlobAt(2);
    if (k->sign_pk_.size() != crypto_sign_PUBLICKEYBYTES ||
        k->box_pk_.size() != crypto_box_PUBLICKEYBYTES) {
      return MakeError(Errc::kCorrupt, "the stored device public keys have the wrong length");
    }
    LV_ASSIGN(k->sign_sk_, SecretColumn(st, 1, crypto_sign_SECRETKEYBYTES));
    LV_ASSIGN(k->box_sk_, SecretColumn(st, 3, crypto_box_SECRETKEYBYTES));
  }
  return k;
}

Result<void> Keyring::GenerateDeviceKeys() {
  if (HasDeviceKeys()) return MakeError(Errc::kConflict, "this device already has keys");
  protocol::Bytes sign_pk(crypto_sign_PUBLICKEYBYTES), box_pk(crypto_box_PUBLICKEYBYTES);
  LV_ASSIGN(SecretBytes sign_sk, SecretBytes::Allocate(crypto_sign_SECRETKEYBYTES));
  LV_ASSIGN(SecretBytes box_sk, SecretBytes::Allocate(crypto_box_SECRETKEYBYTES));
  if (crypto_sign_keypair(sign_pk.data(), sign_sk.data()) != 0 ||
      crypto_box_keypair(box_pk.data(), box_sk.data()) != 0) {
    return MakeError(Errc::kInternal, "libsodium could not generate device keys");
  }
  LV_TRY(
      db_->Run("INSERT INTO sync_device(id, sign_pk, sign_sk, box_pk, box_sk, created_at)"
               " VALUES(1, ?, ?, ?, ?, strftime('%s','now') * 1000)",
               sign_pk, sign_sk.span(), box_pk, box_sk.span()));
  sign_pk_ = std::move(sign_pk);
  box_pk_ = std::move(box_pk);
  sign_sk_ = std::move(sign_sk);
  box_sk_ = std::move(box_sk);
  return Ok();
}

Result<protocol::Bytes> Keyring::Sign(std::span<const std::uint8_t> message) const {
  if (!HasDeviceKeys()) return MakeError(Errc::kNotFound, "this device has no keys; enrol first");
  protocol::Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sign_sk_.data());
  return sig;
}

Result<std::uint32_t> Keyring::LatestVersion(std::string_view scope) {
  LV_ASSIGN(std::int64_t v,
            db_->QueryInt("SELECT coalesce(max(key_version), 0) FROM sync_scope_keys WHERE scope=?",
                          scope));
  return static_cast<std::uint32_t>(v);
}

Result<std::uint8_t*> Keyring::FreeKeySlot() {
  if (key_slabs_.empty() || slab_used_ == kKeysPerSlab) {
    LV_ASSIGN(SecretBytes slab, SecretBytes::Allocate(kKeysPerSlab * kScopeKeyBytes));
    key_slabs_.push_back(std::move(slab));
    slab_used_ = 0;
  }
  return key_slabs_.back().data() + slab_used_ * kScopeKeyBytes;
}

std::uint8_t* Keyring::TakeSlot() {
  std::uint8_t* slot = key_slabs_.back().data() + slab_used_ * kScopeKeyBytes;
  ++slab_used_;
  return slot;
}

const std::uint8_t* Keyring::CacheKey(std::string_view scope, std::uint32_t version) {
  const std::uint8_t* key = TakeSlot();
  keys_.emplace(std::make_pair(std::string(scope), version), key);
  return key;
}

Result<const std::uint8_t*> Keyring::PairKey(std::span<const std::uint8_t> peer_box_pk) {
  if (peer_box_pk.size() != crypto_box_PUBLICKEYBYTES) {
    return MakeError(Errc::kProtocol, "a device's box key has the wrong length");
  }
  protocol::Bytes peer(peer_box_pk.begin(), peer_box_pk.end());
  auto it = pair_keys_.find(peer);
  if (it != pair_keys_.end()) return it->second;
  LV_ASSIGN(SecretBytes shared, SecretBytes::Allocate(crypto_box_BEFORENMBYTES));
  if (crypto_box_beforenm(shared.data(), peer.data(), box_sk_.data()) != 0) {
    return MakeError(Errc::kTampered, "a device's box key is not a usable X25519 key");
  }
  LV_ASSIGN(std::uint8_t * slot, FreeKeySlot());
  crypto_generichash(slot, kScopeKeyBytes,
                     reinterpret_cast<const unsigned char*>(protocol::kKeyWrapPrefix.data()),
                     protocol::kKeyWrapPrefix.size(), shared.data(), shared.size());
  TakeSlot();
  pair_keys_.emplace(std::move(peer), slot);
  return slot;
}

Result<std::uint32_t> Keyring::CreateScopeKey(std::string_view scope) {
  LV_ASSIGN(std::uint32_t latest, LatestVersion(scope));
  const std::uint32_t version = latest + 1;
  LV_ASSIGN(std::uint8_t * key, FreeKeySlot());
  randombytes_buf(key, kScopeKeyBytes);
  auto stored = db_->Run("INSERT INTO sync_scope_keys(scope, key_version, key) VALUES(?, ?, ?)",
                         scope, static_cast<std::int64_t>(version),
                         std::span<const std::uint8_t>(key, kScopeKeyBytes));
  if (!stored.ok()) {
    sodium_memzero(key, kScopeKeyBytes);
    return stored.error();
  }
  CacheKey(scope, version);
  return version;
}

Result<void> Keyring::ImportWrap(std::string_view scope, std::uint32_t version,
                                 std::span<const std::uint8_t> wrap, const DeviceKeys& box_keys) {
  if (!HasDeviceKeys()) return MakeError(Errc::kNotFound, "this device has no keys; enrol first");
  if (version == 0) return MakeError(Errc::kProtocol, "a key wrap has key version 0");
  const std::string at = "a key wrap for " + std::string(scope) + " v" + std::to_string(version);
  // An anonymous crypto_box_seal wrap of the first version (exactly 80 bytes, no magic) says
  // nothing of who made it: a central store could hand this device a key of its own making
  // under a raised key version. Refused, never opened.
  if (wrap.size() == protocol::kSealedKeyWrapBytes &&
      !std::equal(protocol::kKeyWrapMagic.begin(), protocol::kKeyWrapMagic.end(), wrap.begin())) {
    return MakeError(Errc::kTampered,
                     at + " is an anonymous sealed wrap that names no sending device: refused");
  }
  auto decoded = protocol::DecodeKeyWrap(wrap);
  if (!decoded.ok()) return MakeError(Errc::kProtocol, at + ": " + decoded.error().message);
  const protocol::KeyWrapBox box = std::move(decoded).value();
  auto peer = box_keys.find(box.from_device);
  if (peer == box_keys.end()) {
    return MakeError(Errc::kProtocol, at + " comes from device " + box.from_device +
                                          ", which the directory does not list");
  }
  // The wrap key first: PairKey may take a slot, so the key's slot is taken after it.
  LV_ASSIGN(const std::uint8_t* pair, PairKey(peer->second));
  // Opened straight into the key cache's guarded memory, and cached once stored: the pull
  // that follows an import opens envelopes under exactly these keys.
  LV_ASSIGN(std::uint8_t * key, FreeKeySlot());
  const protocol::Bytes ad = protocol::KeyWrapAssociatedData(scope, version, box.from_device);
  unsigned long long len = 0;
  const bool opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
                          key, &len, nullptr, box.ciphertext.data(), box.ciphertext.size(),
                          ad.data(), ad.size(), box.nonce.data(), pair) == 0 &&
                      len == kScopeKeyBytes;
  if (!opened) {
    sodium_memzero(key, kScopeKeyBytes);
    return MakeError(
        Errc::kTampered,
        at + " does not open with this device's key and the key of device " + box.from_device);
  }
  auto stored = db_->Run(
      "INSERT OR IGNORE INTO sync_scope_keys(scope, key_version, key) VALUES(?, ?, ?)", scope,
      static_cast<std::int64_t>(version), std::span<const std::uint8_t>(key, kScopeKeyBytes));
  // Cached only when new here: a key held already stays as stored (INSERT OR IGNORE).
  if (!stored.ok() || db_->Changes() == 0 ||
      keys_.count(std::make_pair(std::string(scope), version)) != 0) {
    sodium_memzero(key, kScopeKeyBytes);
    return stored;
  }
  CacheKey(scope, version);
  return Ok();
}

Result<const std::uint8_t*> Keyring::Key(std::string_view scope, std::uint32_t version) {
  auto it = keys_.find(std::make_pair(std::string(scope), version));
  if (it != keys_.end()) return it->second;
  LV_ASSIGN(Statement * st,
            db_->Cached("SELECT key FROM sync_scope_keys WHERE scope=? AND key_version=?"));
  st->BindAll(scope, static_cast<std::int64_t>(version));
  LV_ASSIGN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return MakeError(Errc::kNotFound, "this device holds no key version " +
                                          std::to_string(version) + " for scope " +
                                          std::string(scope));
  }
  // Copied from SQLite's buffer straight into guarded memory, never through an ordinary one.
  const int n = sqlite3_column_bytes(st->handle(), 0);
  const void* p = sqlite3_column_blob(st->handle(), 0);
  if (p == nullptr || static_cast<std::size_t>(n) != kScopeKeyBytes) {
    st->Reset();
    return MakeError(Errc::kCorrupt, "a stored sync key has the wrong length");
  }
  auto slot = FreeKeySlot();
  if (!slot.ok()) {
    st->Reset();
    return slot.error();
  }
  std::memcpy(*slot, p, kScopeKeyBytes);
  st->Reset();
  return CacheKey(scope, version);
}

Result<protocol::Bytes> Keyring::WrapFor(std::string_view scope, std::uint32_t version,
                                         std::string_view own_device,
                                         std::span<const std::uint8_t> reader_box_pk) {
  if (!HasDeviceKeys()) return MakeError(Errc::kNotFound, "this device has no keys; enrol first");
  if (own_device.empty() || own_device.size() > protocol::kMaxIdLength) {
    return MakeError(Errc::kProtocol, "a key wrap needs this device's id");
  }
  if (reader_box_pk.size() != crypto_box_PUBLICKEYBYTES) {
    return MakeError(Errc::kProtocol, "a reader device's box key has the wrong length");
  }
  LV_ASSIGN(const std::uint8_t* pair, PairKey(reader_box_pk));
  LV_ASSIGN(const std::uint8_t* key, Key(scope, version));
  protocol::KeyWrapBox box;
  box.from_device = std::string(own_device);
  box.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  randombytes_buf(box.nonce.data(), box.nonce.size());
  box.ciphertext.resize(kScopeKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  const protocol::Bytes ad = protocol::KeyWrapAssociatedData(scope, version, own_device);
  crypto_aead_xchacha20poly1305_ietf_encrypt(box.ciphertext.data(), nullptr, key, kScopeKeyBytes,
                                             ad.data(), ad.size(), nullptr, box.nonce.data(), pair);
  return protocol::EncodeKeyWrap(box);
}

Result<std::int64_t> Keyring::ForgetScope(std::string_view scope) {
  LV_ASSIGN(std::int64_t held,
            db_->QueryInt("SELECT count(*) FROM sync_scope_keys WHERE scope=?", scope));
  LV_TRY(db_->Run("DELETE FROM sync_scope_keys WHERE scope=?", scope));
  for (auto it = keys_.begin(); it != keys_.end();) {
    if (it->first.first != scope) {
      ++it;
      continue;
    }
    sodium_memzero(const_cast<std::uint8_t*>(it->second), kScopeKeyBytes);
    it = keys_.erase(it);
  }
  return held;
}

Result<std::vector<std::pair<std::string, std::uint32_t>>> Keyring::HeldKeys() {
  LV_ASSIGN(Statement st,
            db_->Prepare("SELECT scope, key_version FROM sync_scope_keys ORDER BY 1, 2"));
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.emplace_back(st.Text(0), static_cast<std::uint32_t>(st.Int(1)));
  }
  return out;
}

Result<protocol::Envelope> Keyring::Encrypt(std::string_view scope, std::string_view batch_id,
                                            std::string_view author_device,
                                            std::span<const std::uint8_t> plaintext) {
  if (!HasDeviceKeys()) return MakeError(Errc::kNotFound, "this device has no keys; enrol first");
  LV_ASSIGN(std::uint32_t version, LatestVersion(scope));
  if (version == 0) {
    return MakeError(Errc::kNotFound, "this device holds no key for scope " + std::string(scope));
  }
  LV_ASSIGN(const std::uint8_t* key, Key(scope, version));
  protocol::Envelope e;
  e.scope = std::string(scope);
  e.batch_id = std::string(batch_id);
  e.author_device = std::string(author_device);
  e.key_version = version;
  e.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  randombytes_buf(e.nonce.data(), e.nonce.size());
  const protocol::Bytes ad = protocol::AssociatedData(e);
  e.ciphertext.resize(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(e.ciphertext.data(), &clen, plaintext.data(),
                                             plaintext.size(), ad.data(), ad.size(), nullptr,
                                             e.nonce.data(), key);
  e.ciphertext.resize(static_cast<std::size_t>(clen));
  if (e.ciphertext.size() > protocol::kMaxCiphertext) {
    return MakeError(Errc::kProtocol, "a change batch is larger than one envelope may carry");
  }
  return e;
}

Result<protocol::Envelope> Keyring::Seal(std::string_view scope, std::string_view batch_id,
                                         std::string_view author_device,
                                         std::span<const std::uint8_t> plaintext) {
  LV_ASSIGN(protocol::Envelope e, Encrypt(scope, batch_id, author_device, plaintext));
  LV_ASSIGN(e.signature, Sign(protocol::SignedBytes(e)));
  return e;
}

Result<void> Keyring::SignPush(std::span<protocol::Envelope> push) {
  if (push.empty()) return Ok();
  const std::string& author = push.front().author_device;
  std::vector<protocol::Hash> leaves;
  leaves.reserve(push.size());
  for (protocol::Envelope& e : push) {
    if (e.author_device != author) {
      return MakeError(Errc::kInternal, "a push holds batches of two author devices");
    }
    leaves.push_back(protocol::PushLeafHash(e));  // the signed bytes: no signature, no proof
  }
  protocol::PushTree tree = protocol::BuildPushTree(leaves);
  LV_ASSIGN(
      protocol::Bytes signature,
      Sign(protocol::PushSignedBytes(author, static_cast<std::uint32_t>(push.size()), tree.root)));
  for (std::size_t i = 0; i < push.size(); ++i) {
    push[i].signature = signature;
    push[i].proof = std::move(tree.proofs[i]);
  }
  return Ok();
}

Result<void> VerifyEnvelope(const protocol::Envelope& e,
                            std::span<const std::uint8_t> author_sign_pk,
                            protocol::VerifiedPushes* verified) {
  LV_TRY(protocol::ValidateEnvelopeShape(e));
  LV_ASSIGN(bool ok, protocol::CheckEnvelopeSignature(e, author_sign_pk, verified));
  if (!ok) {
    return MakeError(Errc::kTampered, "the signature of batch " + e.batch_id + " in scope " +
                                          e.scope + " does not verify for device " +
                                          e.author_device);
  }
  return Ok();
}

Result<protocol::Bytes> Keyring::Open(const protocol::Envelope& e,
                                      std::span<const std::uint8_t> author_sign_pk) {
  LV_TRY(VerifyEnvelope(e, author_sign_pk));
  return OpenVerified(e);
}

Result<protocol::Bytes> Keyring::OpenVerified(const protocol::Envelope& e) {
  // The shape first (cheap): the nonce length must hold even if a caller broke the contract.
  LV_TRY(protocol::ValidateEnvelopeShape(e));
  LV_ASSIGN(const std::uint8_t* key, Key(e.scope, e.key_version));
  return DecryptEnvelope(e, key);
}

Result<protocol::Bytes> DecryptEnvelope(const protocol::Envelope& e, const std::uint8_t* key) {
  LV_TRY(protocol::ValidateEnvelopeShape(e));
  if (e.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return MakeError(Errc::kProtocol, "batch " + e.batch_id + " is too short to decrypt");
  }
  const protocol::Bytes ad = protocol::AssociatedData(e);
  protocol::Bytes plain(e.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plen, nullptr, e.ciphertext.data(),
                                                 e.ciphertext.size(), ad.data(), ad.size(),
                                                 e.nonce.data(), key) != 0) {
    return MakeError(Errc::kTampered, "batch " + e.batch_id + " in scope " + e.scope +
                                          " does not decrypt under key version " +
                                          std::to_string(e.key_version));
  }
  plain.resize(static_cast<std::size_t>(plen));
  return plain;
}

std::string NewBatchId() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return std::string(hex);
}

}  // namespace lietvedis::sync
