// Push signatures: the Merkle tree of a push against an independent computation, every proof
// of trees of 1 to 40 batches, every way a proof or an envelope can be wrong, and the cache of
// checked pushes never accepting what it did not check.
#include "sync/push_proof.hpp"

#include <sodium.h>

#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "sync/envelope.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/sync/sync_test_support.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
namespace pr = lietvedis::sync::protocol;

namespace {

pr::Envelope RandomEnvelope(int i) {
  pr::Envelope e;
  e.scope = "case:" + std::to_string(i % 7);
  e.batch_id = NewBatchId();
  e.author_device = "dev-a";
  e.key_version = 1;
  e.nonce.resize(pr::kNonceBytes);
  randombytes_buf(e.nonce.data(), e.nonce.size());
  e.ciphertext.resize(static_cast<std::size_t>(20 + i));
  randombytes_buf(e.ciphertext.data(), e.ciphertext.size());
  e.signature.assign(pr::kSignatureBytes, 0);
  return e;
}

// RFC 9162's MTH written out directly, apart from the code under test.
pr::Hash Reference(const std::vector<pr::Hash>& d, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return d[begin];
  std::size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  const pr::Hash l = Reference(d, begin, begin + k), r = Reference(d, begin + k, end);
  std::uint8_t buf[1 + 64];
  buf[0] = 1;
  std::copy(l.begin(), l.end(), buf + 1);
  std::copy(r.begin(), r.end(), buf + 33);
  pr::Hash out;
  crypto_generichash(out.data(), out.size(), buf, sizeof buf, nullptr, 0);
  return out;
}

std::vector<pr::Hash> Leaves(const std::vector<pr::Envelope>& push) {
  std::vector<pr::Hash> leaves;
  for (const auto& e : push) leaves.push_back(pr::PushLeafHash(e));
  return leaves;
}

void PutU32(pr::Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

TEST_CASE("Every batch's proof leads to its push's root, for pushes of 1 to 40 batches",
          "[sync][crypto]") {
  REQUIRE(sodium_init() >= 0);
  for (int n = 1; n <= 40; ++n) {
    std::vector<pr::Envelope> push;
    for (int i = 0; i < n; ++i) push.push_back(RandomEnvelope(i));
    const auto leaves = Leaves(push);
    const pr::PushTree tree = pr::BuildPushTree(leaves);
    INFO("push of " << n);
    REQUIRE(tree.proofs.size() == static_cast<std::size_t>(n));
    CHECK(tree.root == Reference(leaves, 0, leaves.size()));
    for (int i = 0; i < n; ++i) {
      push[i].proof = tree.proofs[i];
      auto root = pr::PushRootOf(push[i]);
      INFO("batch " << i);
      REQUIRE(root.ok());
      CHECK(root->root == tree.root);
      CHECK(root->count == static_cast<std::uint32_t>(n));
      // Another batch's proof leads elsewhere, or is refused.
      auto swapped = push[i];
      swapped.proof = tree.proofs[(i + 1) % n];
      auto other = pr::PushRootOf(swapped);
      if (n > 1) CHECK((!other.ok() || other->root != tree.root));
    }
  }
}

TEST_CASE("A malformed proof is a protocol error, an altered one leads to another root",
          "[sync][crypto]") {
  REQUIRE(sodium_init() >= 0);
  std::vector<pr::Envelope> push;
  for (int i = 0; i < 11; ++i) push.push_back(RandomEnvelope(i));
  const pr::PushTree tree = pr::BuildPushTree(Leaves(push));
  pr::Envelope e = push[6];
  e.proof = tree.proofs[6];
  REQUIRE(pr::PushRootOf(e).value().root == tree.root);
  auto refused = [&](const pr::Bytes& proof, std::string_view says) {
    pr::Envelope bad = e;
    bad.proof = proof;
    auto r = pr::PushRootOf(bad);
    INFO(says);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
    CHECK(r.error().message.find(says) != std::string::npos);
  };
  // The signature covers the root and the count: an altered proof must change either.
  auto leads_elsewhere = [&](const pr::Bytes& proof) {
    pr::Envelope bad = e;
    bad.proof = proof;
    auto r = pr::PushRootOf(bad);
    CHECK((!r.ok() || r->root != tree.root || r->count != 11));
  };
  for (std::size_t n = 0; n < tree.proofs[6].size(); ++n) {  // every truncation
    refused(pr::Bytes(tree.proofs[6].begin(), tree.proofs[6].begin() + n),
            n < 8 || (n - 8) % 32 != 0 ? "malformed push proof" : "push proof too short");
  }
  auto longer = tree.proofs[6];
  longer.insert(longer.end(), 32, 0x00);
  refused(longer, "push proof too long");
  auto big = pr::Bytes(8 + 32 * 33, 0);
  PutU32(big, 4, 1);
  refused(big, "malformed push proof");
  auto index_past = tree.proofs[6];
  PutU32(index_past, 0, 11);
  refused(index_past, "push proof index 11 is not below its count 11");
  auto zero_count = tree.proofs[6];
  PutU32(zero_count, 0, 0);
  PutU32(zero_count, 4, 0);
  refused(zero_count, "is not below its count 0");
  // Each sibling byte, another index, another count: never the same root and count.
  for (std::size_t at = 8; at < tree.proofs[6].size(); at += 5) {
    auto flipped = tree.proofs[6];
    flipped[at] ^= 0x01;
    leads_elsewhere(flipped);
  }
  for (std::uint32_t index : {0u, 5u, 7u, 10u}) {
    auto moved = tree.proofs[6];
    PutU32(moved, 0, index);
    leads_elsewhere(moved);
  }
  for (std::uint32_t count : {7u, 10u, 12u, 16u}) {
    auto recounted = tree.proofs[6];
    PutU32(recounted, 4, count);
    leads_elsewhere(recounted);
  }
  // The envelope itself altered: its leaf, so the root, changes.
  for (auto alter :
       {+[](pr::Envelope& x) { x.ciphertext[0] ^= 1; },
        +[](pr::Envelope& x) { x.scope = "case:other"; },
        +[](pr::Envelope& x) { x.key_version = 2; }, +[](pr::Envelope& x) { x.nonce[3] ^= 1; }}) {
    pr::Envelope bad = e;
    alter(bad);
    CHECK(pr::PushRootOf(bad).value().root != tree.root);
  }
}

TEST_CASE("One signature signs a whole push, the cache of checked pushes accepts nothing else",
          "[sync][crypto]") {
  lietvedis::testing::TempDir dir;
  lietvedis::testing::KeyedDevice device = lietvedis::testing::NewKeyedDevice(dir / "a.db");
  Keyring& k = *device.keys;
  const pr::Bytes pk = k.sign_pk();
  std::vector<pr::Envelope> push, other;
  for (int i = 0; i < 9; ++i) {
    const std::string scope = "case:" + std::to_string(i % 3);
    if (k.LatestVersion(scope).value() == 0) REQUIRE(k.CreateScopeKey(scope).ok());
    const pr::Bytes plain(10, static_cast<std::uint8_t>(i));
    push.push_back(k.Encrypt(scope, NewBatchId(), "dev-a", plain).value());
    other.push_back(k.Encrypt(scope, NewBatchId(), "dev-a", plain).value());
  }
  REQUIRE(k.SignPush(push).ok());
  REQUIRE(k.SignPush(other).ok());
  for (const auto& e : push) {
    CHECK(e.signature == push[0].signature);  // one signature for the push
    // 9 leaves: the first eight sit four levels deep, the ninth one level.
    CHECK(e.proof.size() == (&e == &push.back() ? 8u + 32u : 8u + 32u * 4u));
  }
  CHECK(other[0].signature != push[0].signature);

  pr::VerifiedPushes cache;
  for (const auto& e : push) {
    CHECK(VerifyEnvelope(e, pk, &cache).ok());
    CHECK(VerifyEnvelope(e, pk).ok());  // without the cache, the same answer
    CHECK(pr::VerifyEnvelopeSignature(e, pk, &cache).ok());
    auto opened = k.OpenVerified(e);
    REQUIRE(opened.ok());
    CHECK(opened->size() == 10);
  }
  auto tampered = [&](const pr::Envelope& bad) {
    for (pr::VerifiedPushes* c : {&cache, static_cast<pr::VerifiedPushes*>(nullptr)}) {
      auto r = VerifyEnvelope(bad, pk, c);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == Errc::kTampered);
      CHECK(r.error().message.find("does not verify for device " + bad.author_device) !=
            std::string::npos);
      CHECK(pr::VerifyEnvelopeSignature(bad, pk, c).error().code == Errc::kProtocol);
    }
  };
  // With the push's signature cached: altered content, another push's signature on this
  // push's proof, this push's signature on another push's batch, another author's key.
  auto altered = push[4];
  altered.ciphertext[0] ^= 1;
  tampered(altered);
  auto resigned = push[4];
  resigned.signature = other[4].signature;
  tampered(resigned);
  auto borrowed = other[4];
  borrowed.signature = push[4].signature;
  tampered(borrowed);
  auto renamed = push[4];
  renamed.author_device = "dev-b";  // the signed bytes name the author
  tampered(renamed);
  for (std::uint32_t count : {10u, 12u, 16u}) {  // same path, same root: the count is signed
    auto recounted = push[4];
    PutU32(recounted.proof, 4, count);
    REQUIRE(pr::PushRootOf(recounted).ok());
    CHECK(pr::PushRootOf(recounted)->root == pr::PushRootOf(push[4])->root);
    tampered(recounted);
  }
  auto flipped_sig = push[4];
  flipped_sig.signature[10] ^= 1;
  tampered(flipped_sig);
  lietvedis::testing::TempDir dir2;
  lietvedis::testing::KeyedDevice stranger = lietvedis::testing::NewKeyedDevice(dir2 / "b.db");
  auto r = VerifyEnvelope(push[4], stranger.keys->sign_pk(), &cache);
  CHECK(r.error().code == Errc::kTampered);
  // A malformed proof is a protocol error, before any signature is looked at.
  auto cut = push[4];
  cut.proof.pop_back();
  CHECK(VerifyEnvelope(cut, pk, &cache).error().code == Errc::kProtocol);
  // Envelopes signed alone (Seal) still verify, with or without the cache.
  auto alone = k.Seal("case:0", NewBatchId(), "dev-a", pr::Bytes(3, 1));
  REQUIRE(alone.ok());
  CHECK(alone->proof.empty());
  CHECK(VerifyEnvelope(*alone, pk, &cache).ok());
  // A push of one batch, and a push mixing two authors, which SignPush refuses.
  std::vector<pr::Envelope> single{push[0]};
  REQUIRE(k.SignPush(single).ok());
  CHECK(single[0].proof.size() == 8);
  CHECK(VerifyEnvelope(single[0], pk).ok());
  std::vector<pr::Envelope> mixed{push[0], push[1]};
  mixed[1].author_device = "dev-b";
  CHECK(k.SignPush(mixed).error().code == Errc::kInternal);
}
