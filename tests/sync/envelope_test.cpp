// Device keys, scope keys and envelopes: round trip, persistence, and every way an envelope can
// be wrong, each with its own error.
#include "sync/envelope.hpp"

#include <sodium.h>

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/sync/sync_test_support.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::TempDir;

namespace {

using Device = lietvedis::testing::KeyedDevice;
Device NewDevice(const std::string& path) {
  return lietvedis::testing::NewKeyedDevice(path);
}

protocol::Bytes Text(const std::string& s) {
  return protocol::Bytes(s.begin(), s.end());
}

// The directory's box keys of the test devices: the author is "dev-a", the outsider "dev-o".
DeviceKeys BoxKeys(const Device& author, const Device& outsider) {
  return {{"dev-a", author.keys->box_pk()}, {"dev-o", outsider.keys->box_pk()}};
}

// An author, a reader and an outsider in `dir`, and the directory's box keys of the author and
// the outsider.
struct Trio {
  Device author, reader, outsider;
  DeviceKeys dir_keys;
};
Trio NewTrio(TempDir& dir) {
  Trio t{NewDevice(dir / "author.db"),
         NewDevice(dir / "reader.db"),
         NewDevice(dir / "outsider.db"),
         {}};
  t.dir_keys = BoxKeys(t.author, t.outsider);
  return t;
}

}  // namespace

TEST_CASE("Device keys are generated once and survive a reopen", "[sync][crypto]") {
  TempDir dir;
  protocol::Bytes sign_pk, box_pk;
  {
    Device a = NewDevice(dir / "a.db");
    CHECK(a.keys->sign_pk().size() == crypto_sign_PUBLICKEYBYTES);
    CHECK(a.keys->box_pk().size() == crypto_box_PUBLICKEYBYTES);
    CHECK(a.keys->GenerateDeviceKeys().error().code == Errc::kConflict);
    sign_pk = a.keys->sign_pk();
    box_pk = a.keys->box_pk();
  }
  auto db = storage::Database::Open(dir / "a.db");
  REQUIRE(db.ok());
  auto k = Keyring::Open(*db);
  REQUIRE(k.ok());
  CHECK((*k)->HasDeviceKeys());
  CHECK((*k)->sign_pk() == sign_pk);
  CHECK((*k)->box_pk() == box_pk);
  auto sig = (*k)->Sign(Text("hello"));
  REQUIRE(sig.ok());
  const auto msg = Text("hello");
  CHECK(crypto_sign_verify_detached(sig->data(), msg.data(), msg.size(), sign_pk.data()) == 0);
}

TEST_CASE("A scope key wrapped for a reader opens the author's envelopes", "[sync][crypto]") {
  TempDir dir;
  Trio trio = NewTrio(dir);
  auto& [author, reader, outsider, dir_keys] = trio;

  CHECK(author.keys->LatestVersion("case:1").value() == 0);
  CHECK(author.keys->Seal("case:1", NewBatchId(), "dev-a", Text("x")).error().code ==
        Errc::kNotFound);
  REQUIRE(author.keys->CreateScopeKey("case:1").value() == 1);
  auto wrap = author.keys->WrapFor("case:1", 1, "dev-a", reader.keys->box_pk());
  REQUIRE(wrap.ok());
  REQUIRE(reader.keys->ImportWrap("case:1", 1, *wrap, dir_keys).ok());
  REQUIRE(reader.keys->ImportWrap("case:1", 1, *wrap, dir_keys).ok());  // idempotent
  // A wrap made for someone else does not open.
  auto stolen = outsider.keys->ImportWrap("case:1", 1, *wrap, dir_keys);
  REQUIRE_FALSE(stolen.ok());
  CHECK(stolen.error().code == Errc::kTampered);

  const protocol::Bytes plain = Text("batch plaintext with a MARKER-ā");
  auto env = author.keys->Seal("case:1", NewBatchId(), "dev-a", plain);
  REQUIRE(env.ok());
  CHECK(env->key_version == 1);
  CHECK(env->nonce.size() == 24);
  // The ciphertext does not contain the plaintext.
  const std::string ct(env->ciphertext.begin(), env->ciphertext.end());
  CHECK(ct.find("MARKER") == std::string::npos);
  auto opened = reader.keys->Open(*env, author.keys->sign_pk());
  REQUIRE(opened.ok());
  CHECK(*opened == plain);
  // The server's signature check (protocol helper) agrees.
  CHECK(protocol::VerifyEnvelopeSignature(*env, author.keys->sign_pk()).ok());

  SECTION("a flipped ciphertext byte fails the signature") {
    auto bad = *env;
    bad.ciphertext[3] ^= 0x01;
    auto r = reader.keys->Open(bad, author.keys->sign_pk());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("signature") != std::string::npos);
  }
  SECTION("a re-routed envelope (other scope) fails the signature") {
    auto bad = *env;
    bad.scope = "case:2";
    auto r = reader.keys->Open(bad, author.keys->sign_pk());
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("signature") != std::string::npos);
  }
  SECTION("a signature by another device does not verify") {
    auto r = reader.keys->Open(*env, outsider.keys->sign_pk());
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("signature") != std::string::npos);
  }
  SECTION("a validly signed envelope under the wrong key does not decrypt") {
    // The outsider has its own key version 1 for case:1 and signs correctly.
    REQUIRE(outsider.keys->CreateScopeKey("case:1").value() == 1);
    auto forged = outsider.keys->Seal("case:1", NewBatchId(), "dev-o", plain);
    REQUIRE(forged.ok());
    auto r = reader.keys->Open(*forged, outsider.keys->sign_pk());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("does not decrypt") != std::string::npos);
  }
  SECTION("an unknown key version is reported as such") {
    REQUIRE(author.keys->CreateScopeKey("case:1").value() == 2);
    auto v2 = author.keys->Seal("case:1", NewBatchId(), "dev-a", plain);
    REQUIRE(v2.ok());
    CHECK(v2->key_version == 2);
    auto r = reader.keys->Open(*v2, author.keys->sign_pk());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kNotFound);
    CHECK(r.error().message.find("key version 2") != std::string::npos);
  }
  SECTION("a malformed envelope is a protocol error") {
    auto bad = *env;
    bad.nonce.pop_back();
    CHECK(reader.keys->Open(bad, author.keys->sign_pk()).error().code == Errc::kProtocol);
    auto bad_wrap = *wrap;
    bad_wrap.pop_back();
    CHECK(reader.keys->ImportWrap("case:1", 1, bad_wrap, dir_keys).error().code == Errc::kProtocol);
  }
}

TEST_CASE("Scope keys are kept in the store between sessions", "[sync][crypto]") {
  TempDir dir;
  Device author = NewDevice(dir / "author.db");
  REQUIRE(author.keys->CreateScopeKey("unit:1").ok());
  auto env = author.keys->Seal("unit:1", NewBatchId(), "dev-a", Text("payload"));
  REQUIRE(env.ok());
  auto db = storage::Database::Open(dir / "author.db");
  REQUIRE(db.ok());
  auto again = Keyring::Open(*db);
  REQUIRE(again.ok());
  CHECK((*again)->HeldKeys().value().size() == 1);
  auto opened = (*again)->Open(*env, author.keys->sign_pk());
  REQUIRE(opened.ok());
  CHECK(*opened == Text("payload"));
}

TEST_CASE("Verification and decryption split in two give Open's results and errors",
          "[sync][crypto]") {
  TempDir dir;
  Device author = NewDevice(dir / "author.db");
  Device reader = NewDevice(dir / "reader.db");
  REQUIRE(author.keys->CreateScopeKey("case:1").value() == 1);
  auto wrap = author.keys->WrapFor("case:1", 1, "dev-a", reader.keys->box_pk());
  REQUIRE(wrap.ok());
  REQUIRE(reader.keys->ImportWrap("case:1", 1, *wrap, {{"dev-a", author.keys->box_pk()}}).ok());
  auto env = author.keys->Seal("case:1", NewBatchId(), "dev-a", Text("payload"));
  REQUIRE(env.ok());

  REQUIRE(VerifyEnvelope(*env, author.keys->sign_pk()).ok());
  auto opened = reader.keys->OpenVerified(*env);
  REQUIRE(opened.ok());
  CHECK(*opened == Text("payload"));

  // A tampered envelope: VerifyEnvelope gives exactly Open's error, before any key is needed.
  auto bad = *env;
  bad.ciphertext[0] ^= 0x01;
  auto verified = VerifyEnvelope(bad, author.keys->sign_pk());
  auto full = reader.keys->Open(bad, author.keys->sign_pk());
  REQUIRE_FALSE(verified.ok());
  REQUIRE_FALSE(full.ok());
  CHECK(verified.error().code == Errc::kTampered);
  CHECK(verified.error().message == full.error().message);
  CHECK(verified.error().message.find("does not verify for device dev-a") != std::string::npos);
  // Shape errors come first, as in Open.
  bad = *env;
  bad.signature.pop_back();
  CHECK(VerifyEnvelope(bad, author.keys->sign_pk()).error().code == Errc::kProtocol);
  CHECK(VerifyEnvelope(*env, protocol::Bytes(31, 0)).error().code == Errc::kProtocol);

  // Decryption keeps its own errors: no key held, and a key that does not open it.
  REQUIRE(author.keys->CreateScopeKey("case:1").value() == 2);
  auto v2 = author.keys->Seal("case:1", NewBatchId(), "dev-a", Text("later"));
  REQUIRE(v2.ok());
  CHECK(reader.keys->OpenVerified(*v2).error().code == Errc::kNotFound);
  auto rekeyed = *env;
  rekeyed.ciphertext[0] ^= 0x01;  // as if it had verified: the AEAD tag still refuses it
  auto r = reader.keys->OpenVerified(rekeyed);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kTampered);
  CHECK(r.error().message.find("does not decrypt under key version 1") != std::string::npos);
}

TEST_CASE("Keys of many scopes, imported or loaded from the store, open their envelopes",
          "[sync][crypto]") {
  TempDir dir;
  Trio trio = NewTrio(dir);
  auto& [author, reader, outsider, dir_keys] = trio;
  // More scopes than one slab of cached keys holds, two key versions for some.
  std::vector<protocol::Envelope> sealed;
  for (int i = 0; i < 150; ++i) {
    const std::string scope = "case:" + std::to_string(i);
    REQUIRE(author.keys->CreateScopeKey(scope).value() == 1);
    if (i % 10 == 0) REQUIRE(author.keys->CreateScopeKey(scope).value() == 2);
    const std::uint32_t newest = i % 10 == 0 ? 2 : 1;
    for (std::uint32_t v = 1; v <= newest; ++v) {
      auto wrap = author.keys->WrapFor(scope, v, "dev-a", reader.keys->box_pk());
      REQUIRE(wrap.ok());
      // A wrap that does not open here leaves nothing behind; the real one then imports.
      CHECK(outsider.keys->ImportWrap(scope, v, *wrap, dir_keys).error().code == Errc::kTampered);
      REQUIRE(reader.keys->ImportWrap(scope, v, *wrap, dir_keys).ok());
      REQUIRE(reader.keys->ImportWrap(scope, v, *wrap, dir_keys).ok());  // again: a no-op
    }
    auto env = author.keys->Seal(scope, NewBatchId(), "dev-a", Text("payload " + scope));
    REQUIRE(env.ok());
    CHECK(env->key_version == newest);
    sealed.push_back(std::move(*env));
  }
  CHECK(outsider.keys->HeldKeys().value().empty());
  CHECK(reader.keys->HeldKeys().value().size() == 165);
  auto check_all = [&](Keyring& keys) {
    for (std::size_t i = 0; i < sealed.size(); ++i) {
      auto opened = keys.Open(sealed[i], author.keys->sign_pk());
      INFO("scope " << sealed[i].scope);
      REQUIRE(opened.ok());
      CHECK(*opened == Text("payload case:" + std::to_string(i)));
    }
  };
  check_all(*reader.keys);  // keys cached when imported
  auto again = Keyring::Open(reader.db);
  REQUIRE(again.ok());
  check_all(**again);  // keys loaded from the store on first use
  // A key version made after the imports is not held here: deferred, as before.
  REQUIRE(author.keys->CreateScopeKey("case:1").value() == 2);
  auto v2 = author.keys->Seal("case:1", NewBatchId(), "dev-a", Text("later"));
  REQUIRE(v2.ok());
  CHECK((*again)->Open(*v2, author.keys->sign_pk()).error().code == Errc::kNotFound);
}

TEST_CASE(
    "A key wrap opens only for its reader, from the sender it names, for its scope and "
    "version",
    "[sync][crypto]") {
  TempDir dir;
  Trio trio = NewTrio(dir);
  auto& [author, reader, outsider, dir_keys] = trio;
  REQUIRE(author.keys->CreateScopeKey("case:1").value() == 1);
  REQUIRE(author.keys->CreateScopeKey("case:2").value() == 1);
  auto wrap = author.keys->WrapFor("case:1", 1, "dev-a", reader.keys->box_pk());
  REQUIRE(wrap.ok());
  auto box = protocol::DecodeKeyWrap(*wrap);
  REQUIRE(box.ok());
  CHECK(box->from_device == "dev-a");
  // Nothing of the key shows in the wrap, and two wraps of one key differ (fresh nonce).
  CHECK(*author.keys->WrapFor("case:1", 1, "dev-a", reader.keys->box_pk()) != *wrap);
  auto fails = [&](std::string_view scope, std::uint32_t version, const protocol::Bytes& w,
                   const DeviceKeys& keys, Errc code, std::string_view says) {
    auto r = reader.keys->ImportWrap(scope, version, w, keys);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == code);
    INFO(r.error().message);
    CHECK(r.error().message.find(says) != std::string::npos);
    CHECK(reader.keys->HeldKeys().value().empty());  // nothing stored
  };

  SECTION("relabelled for another scope or key version, it does not open") {
    fails("case:2", 1, *wrap, dir_keys, Errc::kTampered, "a key wrap for case:2 v1 does not open");
    fails("case:1", 2, *wrap, dir_keys, Errc::kTampered, "does not open");
  }
  SECTION("naming another sender, it does not open with that sender's key") {
    auto forged = *box;
    forged.from_device = "dev-o";
    fails("case:1", 1, protocol::EncodeKeyWrap(forged), dir_keys, Errc::kTampered,
          "and the key of device dev-o");
  }
  SECTION("a sender the directory does not list is named in the error") {
    fails("case:1", 1, *wrap, {{"dev-o", outsider.keys->box_pk()}}, Errc::kProtocol,
          "comes from device dev-a, which the directory does not list");
  }
  SECTION("a sender whose listed box key is not a usable X25519 key") {
    fails("case:1", 1, *wrap, {{"dev-a", protocol::Bytes(32, 0)}}, Errc::kTampered,
          "not a usable X25519 key");
    fails("case:1", 1, *wrap, {{"dev-a", protocol::Bytes(31, 7)}}, Errc::kProtocol, "wrong length");
  }
  SECTION("altered bytes do not open; malformed bytes are a protocol error") {
    for (std::size_t i = wrap->size() - 48; i < wrap->size(); i += 7) {
      auto bad = *wrap;
      bad[i] ^= 0x20;
      fails("case:1", 1, bad, dir_keys, Errc::kTampered, "does not open");
    }
    auto bad_nonce = *wrap;
    bad_nonce[wrap->size() - 50] ^= 0x01;
    fails("case:1", 1, bad_nonce, dir_keys, Errc::kTampered, "does not open");
    auto bad_magic = *wrap;
    bad_magic[0] = 'X';
    fails("case:1", 1, bad_magic, dir_keys, Errc::kProtocol, "not in a known form");
    for (std::size_t n = 0; n < wrap->size(); ++n) {  // every truncation
      fails("case:1", 1, protocol::Bytes(wrap->begin(), wrap->begin() + n), dir_keys,
            Errc::kProtocol, "case:1 v1");
    }
    auto longer = *wrap;
    longer.push_back(0);
    fails("case:1", 1, longer, dir_keys, Errc::kProtocol, "wrong length");
    auto no_sender =
        protocol::Bytes(protocol::kKeyWrapMagic.begin(), protocol::kKeyWrapMagic.end());
    no_sender.resize(4 + 1 + 24 + 48);  // id length 0
    fails("case:1", 1, no_sender, dir_keys, Errc::kProtocol, "wrong length");
  }
  SECTION("the right wrap opens after all the wrong ones, and the key is the author's") {
    auto bad = *wrap;
    bad.back() ^= 1;
    REQUIRE_FALSE(reader.keys->ImportWrap("case:1", 1, bad, dir_keys).ok());
    REQUIRE(reader.keys->ImportWrap("case:1", 1, *wrap, dir_keys).ok());
    auto env = author.keys->Seal("case:1", NewBatchId(), "dev-a", Text("after"));
    REQUIRE(env.ok());
    CHECK(reader.keys->Open(*env, author.keys->sign_pk()).value() == Text("after"));
  }
}

TEST_CASE("A device opens its own wraps, anonymous sealed wraps are refused", "[sync][crypto]") {
  TempDir dir;
  Trio trio = NewTrio(dir);
  auto& [author, reader, outsider, dir_keys] = trio;
  REQUIRE(author.keys->CreateScopeKey("case:1").value() == 1);
  auto env = author.keys->Seal("case:1", NewBatchId(), "dev-a", Text("payload"));
  REQUIRE(env.ok());

  // A wrap to itself (how a device publishes a key it created) opens on a fresh keyring of the
  // same store.
  auto own = author.keys->WrapFor("case:1", 1, "dev-a", author.keys->box_pk());
  REQUIRE(own.ok());
  auto reopened = Keyring::Open(author.db);
  REQUIRE(reopened.ok());
  REQUIRE((*reopened)->ImportWrap("case:1", 1, *own, dir_keys).ok());

  // The first version's anonymous sealed wrap: it names no sender, so the server could have
  // made it. Refused even by its true recipient, and nothing is stored.
  auto st = author.db.Prepare("SELECT key FROM sync_scope_keys WHERE scope='case:1'");
  REQUIRE(st.ok());
  REQUIRE(st->Step().value());
  const auto key = st->BlobAt(0);
  REQUIRE(key.size() == kScopeKeyBytes);
  protocol::Bytes sealed(protocol::kSealedKeyWrapBytes);
  REQUIRE(crypto_box_seal(sealed.data(), key.data(), key.size(), reader.keys->box_pk().data()) ==
          0);
  auto stolen = outsider.keys->ImportWrap("case:1", 1, sealed, dir_keys);
  REQUIRE_FALSE(stolen.ok());
  CHECK(stolen.error().code == Errc::kTampered);
  CHECK(outsider.keys->HeldKeys().value().empty());
  auto refused = reader.keys->ImportWrap("case:1", 1, sealed, dir_keys);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::kTampered);
  CHECK(refused.error().message.find("anonymous sealed wrap") != std::string::npos);
  CHECK(reader.keys->HeldKeys().value().empty());
  CHECK(reader.keys->Open(*env, author.keys->sign_pk()).error().code == Errc::kNotFound);
}
