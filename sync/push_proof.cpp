#include "sync/push_proof.hpp"

#include <sodium.h>

#include <map>
#include <utility>

namespace lietvedis::sync::protocol {
namespace {

void PutU32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xffu));
}
std::uint32_t GetU32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

Hash NodeHash(const Hash& left, const Hash& right) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kHashBytes);
  const std::uint8_t node = 0x01;
  crypto_generichash_update(&st, &node, 1);
  crypto_generichash_update(&st, left.data(), left.size());
  crypto_generichash_update(&st, right.data(), right.size());
  Hash out;
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

// The largest power of two below n (n >= 2).
std::size_t SplitPoint(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// Hashes of the subtrees of RFC 9162's tree, each computed once.
class Tree {
 public:
  explicit Tree(std::span<const Hash> leaves) : leaves_(leaves) {}

  // MTH(leaves[begin, end)).
  const Hash& Root(std::size_t begin, std::size_t end) {
    if (end - begin == 1) return leaves_[begin];
    auto it = memo_.find({begin, end});
    if (it != memo_.end()) return it->second;
    const std::size_t k = SplitPoint(end - begin);
    Hash h = NodeHash(Root(begin, begin + k), Root(begin + k, end));
    return memo_.emplace(std::make_pair(begin, end), h).first->second;
  }

  // PATH(m, leaves[begin, end)), the sibling hashes from the leaf up, appended to `out`.
  void Path(std::size_t m, std::size_t begin, std::size_t end, Bytes& out) {
    if (end - begin == 1) return;
    const std::size_t k = SplitPoint(end - begin);
    if (m < begin + k) {
      Path(m, begin, begin + k, out);
      const Hash& sibling = Root(begin + k, end);
      out.insert(out.end(), sibling.begin(), sibling.end());
    } else {
      Path(m, begin + k, end, out);
      const Hash& sibling = Root(begin, begin + k);
      out.insert(out.end(), sibling.begin(), sibling.end());
    }
  }

 private:
  std::span<const Hash> leaves_;
  std::map<std::pair<std::size_t, std::size_t>, Hash> memo_;
};

}  // namespace

Hash PushLeafHash(const Envelope& e) {
  const Bytes signed_bytes = SignedBytes(e);
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kHashBytes);
  const std::uint8_t leaf = 0x00;
  crypto_generichash_update(&st, &leaf, 1);
  crypto_generichash_update(&st, signed_bytes.data(), signed_bytes.size());
  Hash out;
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

PushTree BuildPushTree(std::span<const Hash> leaves) {
  PushTree t;
  if (leaves.empty()) return t;
  Tree tree(leaves);
  t.root = tree.Root(0, leaves.size());
  t.proofs.resize(leaves.size());
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    Bytes& p = t.proofs[i];
    PutU32(p, static_cast<std::uint32_t>(i));
    PutU32(p, static_cast<std::uint32_t>(leaves.size()));
    tree.Path(i, 0, leaves.size(), p);
  }
  return t;
}

Result<PushRoot> PushRootOf(const Envelope& e) {
  const Bytes& p = e.proof;
  if (p.size() < 8 || p.size() > kMaxProofBytes || (p.size() - 8) % kHashBytes != 0) {
    return MakeError(Errc::kProtocol, "envelope " + e.batch_id + ": malformed push proof");
  }
  const std::uint32_t index = GetU32(p.data());
  const std::uint32_t count = GetU32(p.data() + 4);
  if (index >= count) {
    return MakeError(Errc::kProtocol, "envelope " + e.batch_id + ": push proof index " +
                                          std::to_string(index) + " is not below its count " +
                                          std::to_string(count));
  }
  // RFC 9162 section 2.1.3.2: the path must be exactly as long as (index, count) needs.
  std::uint64_t fn = index, sn = count - 1u;
  Hash r = PushLeafHash(e);
  for (std::size_t off = 8; off < p.size(); off += kHashBytes) {
    if (sn == 0) {
      return MakeError(Errc::kProtocol, "envelope " + e.batch_id + ": push proof too long");
    }
    Hash sibling;
    std::copy(p.begin() + static_cast<std::ptrdiff_t>(off),
              p.begin() + static_cast<std::ptrdiff_t>(off + kHashBytes), sibling.begin());
    if ((fn & 1u) != 0 || fn == sn) {
      r = NodeHash(sibling, r);
      if ((fn & 1u) == 0) {
        while ((fn & 1u) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, sibling);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return MakeError(Errc::kProtocol, "envelope " + e.batch_id + ": push proof too short");
  }
  return PushRoot{r, count};
}

Bytes PushSignedBytes(std::string_view author_device, std::uint32_t count, const Hash& root) {
  Bytes out(kPushSignaturePrefix.begin(), kPushSignaturePrefix.end());
  PutU32(out, static_cast<std::uint32_t>(author_device.size()));
  for (char c : author_device) out.push_back(static_cast<std::uint8_t>(c));
  PutU32(out, count);
  out.insert(out.end(), root.begin(), root.end());
  return out;
}

Result<bool> CheckEnvelopeSignature(const Envelope& e, std::span<const std::uint8_t> sign_pk,
                                    VerifiedPushes* cache) {
  if (sign_pk.size() != kSignPublicKeyBytes) {
    return MakeError(Errc::kProtocol, "the author's signing key has the wrong length");
  }
  if (e.signature.size() != kSignatureBytes) {
    return MakeError(Errc::kProtocol, "envelope " + e.batch_id + ": malformed signature");
  }
  if (e.proof.empty()) {  // the first form: one signature a batch
    const Bytes msg = SignedBytes(e);
    return crypto_sign_verify_detached(e.signature.data(), msg.data(), msg.size(),
                                       sign_pk.data()) == 0;
  }
  LV_ASSIGN(PushRoot root, PushRootOf(e));
  const Bytes msg = PushSignedBytes(e.author_device, root.count, root.root);
  Hash id;
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, id.size());
  crypto_generichash_update(&st, sign_pk.data(), sign_pk.size());
  crypto_generichash_update(&st, msg.data(), msg.size());
  crypto_generichash_update(&st, e.signature.data(), e.signature.size());
  crypto_generichash_final(&st, id.data(), id.size());
  if (cache != nullptr && cache->Contains(id)) return true;
  if (crypto_sign_verify_detached(e.signature.data(), msg.data(), msg.size(), sign_pk.data()) !=
      0) {
    return false;
  }
  if (cache != nullptr) cache->Add(id);
  return true;
}

}  // namespace lietvedis::sync::protocol
