#include "sync/pull_codec.hpp"

#include <sodium.h>
#include <zstd.h>

#include <cstring>

#include "sync/leb128.hpp"

namespace lietvedis::sync::protocol {

namespace {

void PutU32(std::string& out, std::uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xffu);
  out.append(b, 4);
}
void PutI64(std::string& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((u >> (8 * i)) & 0xffu);
  out.append(b, 8);
}
void PutBytes(std::string& out, const void* data, std::size_t size) {
  PutU32(out, static_cast<std::uint32_t>(size));
  if (size > 0) out.append(static_cast<const char*>(data), size);
}

// Reads fields off the body; every read checks the bytes left first. `where_` names the part
// being read for the error message ("envelope 3").
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}

  void At(std::string where) { where_ = std::move(where); }
  std::size_t left() const { return in_.size() - pos_; }

  Result<std::uint8_t> U8(std::string_view field) {
    if (left() < 1) return Truncated(field);
    return in_[pos_++];
  }
  Result<std::uint32_t> U32(std::string_view field) {
    if (left() < 4) return Truncated(field);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(in_[pos_ + i]) << (8 * i);
    pos_ += 4;
    return v;
  }
  Result<std::int64_t> I64(std::string_view field) {
    if (left() < 8) return Truncated(field);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += 8;
    return static_cast<std::int64_t>(v);
  }
  // A length-prefixed field of at most `max` bytes (exactly `max` when `exact`).
  Result<std::span<const std::uint8_t>> Field(std::string_view field, std::size_t max,
                                              bool exact = false) {
    LV_ASSIGN(std::uint32_t n, U32(field));
    if (exact && n != max) {
      return Bad(field, "length " + std::to_string(n) + ", expected " + std::to_string(max));
    }
    if (n > max) {
      return Bad(field, "length " + std::to_string(n) + " exceeds the limit of " +
                            std::to_string(max) + " bytes");
    }
    if (n > left()) {
      return Bad(field, "length " + std::to_string(n) + " but only " + std::to_string(left()) +
                            " bytes left (truncated)");
    }
    auto out = in_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  Result<std::string> Text(std::string_view field, std::size_t max) {
    LV_ASSIGN(auto b, Field(field, max));
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  Result<Bytes> Blob(std::string_view field, std::size_t max, bool exact = false) {
    LV_ASSIGN(auto b, Field(field, max, exact));
    return Bytes(b.begin(), b.end());
  }

  Error Bad(std::string_view field, const std::string& problem) const {
    return MakeError(Errc::kProtocol,
                     "binary pull page: " + where_ + std::string(field) + ": " + problem);
  }

 private:
  Error Truncated(std::string_view field) const {
    return Bad(field, "truncated (" + std::to_string(left()) + " bytes left)");
  }

  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  std::string where_;
};

// The smallest encoded envelope: seq, seven length prefixes, key version, created_at, and the
// fixed-size nonce and signature. Lets a hostile count be refused before anything is read.
constexpr std::size_t kMinEnvelopeBytes = 8 + 7 * 4 + 4 + 8 + kNonceBytes + kSignatureBytes;

}  // namespace

std::string EncodePullPage(const PullResponse& page) {
  std::size_t size = kPullPageMagic.size() + 1 + 4 + page.cursor.size() + 4;
  for (const Envelope& e : page.envelopes) {
    size += kMinEnvelopeBytes + e.scope.size() + e.batch_id.size() + e.author_device.size() +
            e.ciphertext.size() + e.proof.size();
  }
  std::string out;
  out.reserve(size);
  out.append(kPullPageMagic);
  out.push_back(page.more ? '\1' : '\0');
  PutBytes(out, page.cursor.data(), page.cursor.size());
  PutU32(out, static_cast<std::uint32_t>(page.envelopes.size()));
  for (const Envelope& e : page.envelopes) {
    PutI64(out, e.seq);
    PutBytes(out, e.scope.data(), e.scope.size());
    PutBytes(out, e.batch_id.data(), e.batch_id.size());
    PutBytes(out, e.author_device.data(), e.author_device.size());
    PutU32(out, e.key_version);
    PutBytes(out, e.nonce.data(), e.nonce.size());
    PutBytes(out, e.ciphertext.data(), e.ciphertext.size());
    PutBytes(out, e.signature.data(), e.signature.size());
    PutBytes(out, e.proof.data(), e.proof.size());
    PutI64(out, e.created_at);
  }
  return out;
}

Result<PullResponse> DecodePullPage(std::span<const std::uint8_t> body) {
  if (body.size() < kPullPageMagic.size() ||
      std::memcmp(body.data(), kPullPageMagic.data(), kPullPageMagic.size()) != 0) {
    return MakeError(Errc::kProtocol, "binary pull page: bad magic (expected \"LVP2\")");
  }
  Reader r(body.subspan(kPullPageMagic.size()));
  PullResponse page;
  LV_ASSIGN(std::uint8_t more, r.U8("more"));
  if (more > 1) return r.Bad("more", "expected 0 or 1, got " + std::to_string(more));
  page.more = more == 1;
  LV_ASSIGN(page.cursor, r.Text("cursor", kMaxPullCursor));
  LV_ASSIGN(std::uint32_t count, r.U32("count"));
  if (count > kMaxPullLimit) {
    return r.Bad("count", std::to_string(count) + " envelopes, more than the limit of " +
                              std::to_string(kMaxPullLimit));
  }
  if (count > r.left() / kMinEnvelopeBytes) {
    return r.Bad("count", std::to_string(count) + " envelopes cannot fit in the " +
                              std::to_string(r.left()) + " bytes left (truncated)");
  }
  page.envelopes.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    Envelope& e = page.envelopes[i];
    r.At("envelope " + std::to_string(i) + " ");
    LV_ASSIGN(e.seq, r.I64("seq"));
    LV_ASSIGN(e.scope, r.Text("scope", kMaxIdLength));
    LV_ASSIGN(e.batch_id, r.Text("batch_id", kMaxIdLength));
    LV_ASSIGN(e.author_device, r.Text("author_device", kMaxIdLength));
    LV_ASSIGN(e.key_version, r.U32("key_version"));
    LV_ASSIGN(e.nonce, r.Blob("nonce", kNonceBytes, /*exact=*/true));
    LV_ASSIGN(e.ciphertext, r.Blob("ciphertext", kMaxCiphertext));
    LV_ASSIGN(e.signature, r.Blob("signature", kSignatureBytes, /*exact=*/true));
    LV_ASSIGN(e.proof, r.Blob("proof", kMaxProofBytes));
    LV_ASSIGN(e.created_at, r.I64("created_at"));
  }
  r.At({});
  if (r.left() != 0) {
    return MakeError(Errc::kProtocol, "binary pull page: " + std::to_string(r.left()) +
                                          " bytes after the last envelope");
  }
  return page;
}

Result<PullResponse> DecodePullPage(std::string_view body) {
  return DecodePullPage(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
}

std::string EncodeSyncHead(const SyncHead& head) {
  std::string out;
  out.reserve(kSyncHeadMagic.size() + 9 + head.directory.size() + head.scopes.size() +
              head.page.size());
  out.append(kSyncHeadMagic);
  PutBytes(out, head.directory.data(), head.directory.size());
  PutBytes(out, head.scopes.data(), head.scopes.size());
  out.push_back(head.page_binary ? '\1' : '\0');
  out.append(head.page);
  return out;
}

Result<SyncHead> DecodeSyncHead(std::string_view body) {
  auto fail = [](const std::string& what) {
    return MakeError(Errc::kProtocol, "sync head: " + what);
  };
  if (body.size() < kSyncHeadMagic.size() ||
      body.substr(0, kSyncHeadMagic.size()) != kSyncHeadMagic)
    return fail("not a sync head (bad magic)");
  std::size_t pos = kSyncHeadMagic.size();
  auto part = [&](const char* name) -> Result<std::string> {
    if (body.size() - pos < 4) return fail(std::string(name) + ": truncated");
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) {
      n |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(body[pos + i])) << (8 * i);
    }
    pos += 4;
    if (n > kMaxRequestBody) return fail(std::string(name) + ": larger than the limit");
    if (body.size() - pos < n) return fail(std::string(name) + ": truncated");
    std::string out(body.substr(pos, n));
    pos += n;
    return out;
  };
  SyncHead head;
  LV_ASSIGN(head.directory, part("directory"));
  LV_ASSIGN(head.scopes, part("scopes"));
  if (body.size() - pos < 1) return fail("page format: truncated");
  const auto format = static_cast<std::uint8_t>(body[pos++]);
  if (format > 1) return fail("page format must be 0 or 1");
  head.page_binary = format == 1;
  head.page = std::string(body.substr(pos));
  return head;
}

std::string BodyDigest(std::string_view body) {
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  return HexEncode(out);
}

std::string CompressPushBody(std::string page, int level) {
  if (page.size() < 256 || page.size() > kMaxRequestBody) return page;
  std::vector<std::uint8_t> head(kCompressedPushMagic.begin(), kCompressedPushMagic.end());
  PutLeb128(head, page.size());
  std::string out(head.begin(), head.end());
  out.resize(head.size() + ZSTD_compressBound(page.size()));
  const std::size_t n = ZSTD_compress(out.data() + head.size(), out.size() - head.size(),
                                      page.data(), page.size(), level);
  if (ZSTD_isError(n) != 0 || head.size() + n >= page.size()) return page;
  out.resize(head.size() + n);
  return out;
}

Result<std::string> UncompressPushBody(std::string body) {
  if (body.compare(0, kCompressedPushMagic.size(), kCompressedPushMagic) != 0) return body;
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(body.data()),
                                            body.size());
  std::size_t pos = kCompressedPushMagic.size();
  std::uint64_t n = 0;
  if (!ReadLeb128(bytes, pos, n) || n < kPullPageMagic.size() || n > kMaxRequestBody) {
    return MakeError(Errc::kProtocol, "push: bad compressed size");
  }
  const std::span<const std::uint8_t> frame = bytes.subspan(pos);
  if (ZSTD_getFrameContentSize(frame.data(), frame.size()) != n) {
    return MakeError(Errc::kProtocol, "push: the compressed frame does not state its size");
  }
  std::string page(static_cast<std::size_t>(n), '\0');
  const std::size_t got = ZSTD_decompress(page.data(), page.size(), frame.data(), frame.size());
  if (ZSTD_isError(got) != 0 || got != page.size()) {
    return MakeError(Errc::kProtocol, "push: the compressed frame does not decompress");
  }
  if (page.compare(0, kCompressedPushMagic.size(), kCompressedPushMagic) == 0) {
    return MakeError(Errc::kProtocol, "push: nested compression");
  }
  return page;
}

}  // namespace lietvedis::sync::protocol
