// The binary pull page: the layout byte for byte, round trips, the same data and the same
// limits as the JSON form, and hostile input (every truncation, oversize lengths, bad magic,
// trailing bytes, random mutations) refused as kProtocol without a crash.
// LIETVEDIS_SEED=<n> replays the mutation run; the seed is printed on failure.
#include "sync/pull_codec.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>
#include <vector>

#include "sync/leb128.hpp"

using namespace lietvedis;
namespace pr = lietvedis::sync::protocol;

namespace {

pr::Envelope MakeEnvelope(std::int64_t seq, std::size_t ciphertext_bytes, std::uint8_t fill) {
  pr::Envelope e;
  e.seq = seq;
  e.scope = "case:" + std::to_string(seq);
  e.batch_id = "0123456789abcdef0123456789abcdef";
  e.author_device = "device-" + std::to_string(seq % 3);
  e.key_version = static_cast<std::uint32_t>(seq % 5 + 1);
  e.nonce = pr::Bytes(pr::kNonceBytes, fill);
  e.ciphertext.resize(ciphertext_bytes);
  for (std::size_t i = 0; i < ciphertext_bytes; ++i) {
    e.ciphertext[i] = static_cast<std::uint8_t>(fill + i * 7);
  }
  e.signature = pr::Bytes(pr::kSignatureBytes, static_cast<std::uint8_t>(fill ^ 0x5a));
  e.created_at = 1'700'000'000'000 + seq % 1'000'000;
  return e;
}

pr::PullResponse SamplePage() {
  pr::PullResponse p;
  p.cursor = "12.3.4.5";
  p.more = true;
  p.envelopes.push_back(MakeEnvelope(1, 40, 0x11));
  p.envelopes.push_back(MakeEnvelope(7, 0, 0x22));  // an empty ciphertext is a size, not an error
  p.envelopes.push_back(MakeEnvelope(INT64_MAX, 3, 0x33));
  p.envelopes.back().proof = pr::Bytes(8 + 32 * 3, 0x44);  // a push proof; the others have none
  p.envelopes.back().created_at = -1;
  p.envelopes.back().key_version = UINT32_MAX;
  return p;
}

void CheckSame(const pr::PullResponse& a, const pr::PullResponse& b) {
  CHECK(a.cursor == b.cursor);
  CHECK(a.more == b.more);
  REQUIRE(a.envelopes.size() == b.envelopes.size());
  for (std::size_t i = 0; i < a.envelopes.size(); ++i) {
    const pr::Envelope& x = a.envelopes[i];
    const pr::Envelope& y = b.envelopes[i];
    INFO("envelope " << i);
    CHECK(x.seq == y.seq);
    CHECK(x.scope == y.scope);
    CHECK(x.batch_id == y.batch_id);
    CHECK(x.author_device == y.author_device);
    CHECK(x.key_version == y.key_version);
    CHECK(x.nonce == y.nonce);
    CHECK(x.ciphertext == y.ciphertext);
    CHECK(x.signature == y.signature);
    CHECK(x.proof == y.proof);
    CHECK(x.created_at == y.created_at);
  }
}

std::string Hex(std::string_view s) {
  return pr::HexEncode(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

// The JSON form of the same page, parsed back.
Result<pr::PullResponse> ViaJson(const pr::PullResponse& p) {
  return pr::ParseBody<pr::PullResponse>(pr::ToJson(p).dump());
}

void CheckRefused(std::string_view body, std::string_view needle) {
  auto r = pr::DecodePullPage(body);
  INFO("expected an error containing: " << needle);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kProtocol);
  INFO(r.error().message);
  CHECK(r.error().message.find(needle) != std::string::npos);
}

// Little-endian u32, as the codec writes lengths.
std::string U32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

}  // namespace

TEST_CASE("a binary pull page follows PROTOCOL.md byte for byte", "[sync][protocol]") {
  pr::PullResponse p;
  p.cursor = "9.1";
  p.more = false;
  pr::Envelope e = MakeEnvelope(258, 2, 0x01);  // seq 0x0102: checks little-endian order
  e.scope = "s";
  e.batch_id = "b";
  e.author_device = "d";
  e.key_version = 3;
  e.ciphertext = {0xaa, 0xbb};
  e.proof = {0x0a, 0x0b, 0x0c};
  e.created_at = 5;
  p.envelopes.push_back(e);
  const std::string body = pr::EncodePullPage(p);
  const std::string expected =
      Hex("LVP2") + "00" + "03000000" + Hex("9.1") + "01000000" + "0201000000000000" + "01000000" +
      Hex("s") + "01000000" + Hex("b") + "01000000" + Hex("d") + "03000000" + "18000000" +
      pr::HexEncode(e.nonce) + "02000000" + "aabb" + "40000000" + pr::HexEncode(e.signature) +
      "03000000" + "0a0b0c" + "0500000000000000";
  CHECK(Hex(body) == expected);
}

TEST_CASE("a binary pull page round-trips and carries exactly the JSON form's data",
          "[sync][protocol]") {
  const pr::PullResponse page = SamplePage();
  const std::string body = pr::EncodePullPage(page);
  auto bin = pr::DecodePullPage(body);
  REQUIRE(bin.ok());
  CheckSame(*bin, page);
  auto json = ViaJson(page);
  REQUIRE(json.ok());
  CheckSame(*bin, *json);
  // Re-encoding what was decoded gives the same bytes: the encoding is canonical.
  CHECK(pr::EncodePullPage(*bin) == body);

  SECTION("an empty last page") {
    pr::PullResponse empty;
    empty.cursor = "40.2";
    auto r = pr::DecodePullPage(pr::EncodePullPage(empty));
    REQUIRE(r.ok());
    CheckSame(*r, empty);
    CheckSame(*r, ViaJson(empty).value());
  }
  SECTION("the largest fields either form accepts, and one byte more refused by both") {
    pr::PullResponse big;
    big.cursor = std::string(pr::kMaxPullCursor, '7');
    big.envelopes.push_back(MakeEnvelope(1, pr::kMaxCiphertext, 0x44));
    big.envelopes[0].scope = std::string(pr::kMaxIdLength, 's');
    big.envelopes[0].author_device = std::string(pr::kMaxIdLength, 'd');
    auto r = pr::DecodePullPage(pr::EncodePullPage(big));
    REQUIRE(r.ok());
    CheckSame(*r, big);
    CheckSame(*r, ViaJson(big).value());

    auto over = big;
    over.envelopes[0].ciphertext.push_back(0);
    CHECK_FALSE(ViaJson(over).ok());
    CheckRefused(pr::EncodePullPage(over), "envelope 0 ciphertext: length 4194305 exceeds");
    over = big;
    over.envelopes[0].scope.push_back('s');
    CHECK_FALSE(ViaJson(over).ok());
    CheckRefused(pr::EncodePullPage(over), "envelope 0 scope: length 201 exceeds");
    over = big;
    over.envelopes[0].batch_id = std::string(pr::kMaxIdLength + 1, 'b');
    CHECK_FALSE(ViaJson(over).ok());
    CheckRefused(pr::EncodePullPage(over), "envelope 0 batch_id: length 201 exceeds");
    over = big;
    over.cursor.push_back('7');
    CHECK_FALSE(ViaJson(over).ok());
    CheckRefused(pr::EncodePullPage(over), "cursor: length 4097 exceeds");
    over = big;
    over.envelopes[0].nonce.pop_back();
    CHECK_FALSE(ViaJson(over).ok());
    CheckRefused(pr::EncodePullPage(over), "envelope 0 nonce: length 23, expected 24");
    over = big;
    over.envelopes[0].signature.push_back(0);
    CHECK_FALSE(ViaJson(over).ok());
    CheckRefused(pr::EncodePullPage(over), "envelope 0 signature: length 65, expected 64");
  }
  SECTION("the most envelopes a page may hold, and one more refused") {
    pr::PullResponse full;
    for (std::size_t i = 0; i < pr::kMaxPullLimit; ++i) {
      full.envelopes.push_back(MakeEnvelope(static_cast<std::int64_t>(i + 1), 1, 0x55));
    }
    auto r = pr::DecodePullPage(pr::EncodePullPage(full));
    REQUIRE(r.ok());
    CHECK(r->envelopes.size() == pr::kMaxPullLimit);
    full.envelopes.push_back(MakeEnvelope(2000, 1, 0x55));
    CheckRefused(pr::EncodePullPage(full), "count: 1001 envelopes, more than the limit of 1000");
  }
}

TEST_CASE("a binary pull page cut at any byte is refused as a protocol error", "[sync][protocol]") {
  const std::string body = pr::EncodePullPage(SamplePage());
  REQUIRE(pr::DecodePullPage(body).ok());
  for (std::size_t n = 0; n < body.size(); ++n) {
    auto r = pr::DecodePullPage(std::string_view(body).substr(0, n));
    INFO("cut at " << n << " of " << body.size());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
    CHECK(r.error().message.rfind("binary pull page: ", 0) == 0);
  }
  // The error names where the body ended: inside the last envelope's proof, then signature.
  CheckRefused(std::string_view(body).substr(0, body.size() - 8 - 10),
               "envelope 2 proof: length 104 but only 94 bytes left (truncated)");
  CheckRefused(std::string_view(body).substr(0, body.size() - 8 - 108 - 10),
               "envelope 2 signature: length 64 but only 54 bytes left (truncated)");
  CheckRefused(std::string_view(body).substr(0, body.size() - 3),
               "envelope 2 created_at: truncated (5 bytes left)");
  // A cut that leaves too few bytes for the envelopes announced is refused before reading.
  CheckRefused(std::string_view(body).substr(0, 100), "count: 3 envelopes cannot fit in the");
}

TEST_CASE("a binary pull page with a bad header, oversize lengths or trailing bytes is refused",
          "[sync][protocol]") {
  const std::string body = pr::EncodePullPage(SamplePage());
  CheckRefused("", "bad magic");
  CheckRefused("{\"envelopes\":[]}", "bad magic");
  CheckRefused("LVP1" + body.substr(4), "bad magic");
  CheckRefused(body + '\0', "1 bytes after the last envelope");
  CheckRefused(body + "trailing", "8 bytes after the last envelope");
  std::string flag = body;
  flag[4] = 2;
  CheckRefused(flag, "more: expected 0 or 1, got 2");

  // Lengths that claim more than is there, up to 4 GiB, never allocate or read past the end.
  const std::string head = "LVP2" + std::string(1, '\1');
  CheckRefused(head + U32(UINT32_MAX), "cursor: length 4294967295 exceeds the limit");
  CheckRefused(head + U32(100) + "12.3", "cursor: length 100 but only 4 bytes left (truncated)");
  const std::string no_envelopes = head + U32(3) + "1.2";
  CheckRefused(no_envelopes + U32(UINT32_MAX), "count: 4294967295 envelopes, more than the limit");
  CheckRefused(no_envelopes + U32(1000), "count: 1000 envelopes cannot fit in the 0 bytes left");
  CheckRefused(no_envelopes + U32(0) + "x", "1 bytes after the last envelope");
  REQUIRE(pr::DecodePullPage(no_envelopes + U32(0)).ok());

  // A length field overwritten inside an envelope: the scope of envelope 0 claims 4 GiB.
  const std::size_t scope_len_at = 4 + 1 + 4 + 8 + 4 + 8;
  std::string huge = body;
  huge.replace(scope_len_at, 4, U32(UINT32_MAX));
  CheckRefused(huge, "envelope 0 scope: length 4294967295 exceeds the limit of 200 bytes");
  // The ciphertext of envelope 0 claims the limit exactly, which the body does not hold.
  const std::size_t ct_len_at = scope_len_at + 4 + 6 + 4 + 32 + 4 + 8 + 4 + 4 + 24;
  std::string claim = body;
  REQUIRE(claim.substr(ct_len_at, 4) == U32(40));
  claim.replace(ct_len_at, 4, U32(static_cast<std::uint32_t>(pr::kMaxCiphertext)));
  CheckRefused(claim, "envelope 0 ciphertext: length 4194304 but only");
}

TEST_CASE("random mutations of a binary pull page never crash the decoder", "[sync][protocol]") {
  const std::string body = pr::EncodePullPage(SamplePage());
  const char* env = std::getenv("LIETVEDIS_SEED");
  const std::uint32_t seed = env != nullptr && *env != '\0'
                                 ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10))
                                 : std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string m = body;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < edits; ++i) {
      const std::size_t at = rng() % m.size();
      switch (rng() % 3) {
        case 0:
          m[at] = static_cast<char>(rng());
          break;
        case 1:
          m.erase(at, 1 + rng() % 8);
          break;
        default:
          m.insert(at, std::string(1 + rng() % 8, static_cast<char>(rng())));
          break;
      }
      if (m.empty()) m = "L";
    }
    auto r = pr::DecodePullPage(m);
    if (r.ok()) {
      // Whatever decodes is canonical: it encodes back to the very same bytes.
      ++accepted;
      CHECK(pr::EncodePullPage(*r) == m);
    } else {
      CHECK(r.error().code == Errc::kProtocol);
    }
  }
  // Bytes inside the ciphertext or ids change data, not structure: some mutations decode.
  CHECK(accepted > 0);
}

TEST_CASE("a sync head round-trips, and a cut, oversized or unknown one is refused",
          "[sync][protocol]") {
  pr::PullResponse page;
  page.cursor = "p=7";
  page.envelopes.push_back(MakeEnvelope(7, 40, 3));
  pr::SyncHead head{"{\"log\":[]}", "", true, pr::EncodePullPage(page)};
  const std::string body = pr::EncodeSyncHead(head);
  CHECK(body.substr(0, 4) == "LVS1");
  auto back = pr::DecodeSyncHead(body);
  REQUIRE(back.ok());
  CHECK(back->directory == head.directory);
  CHECK(back->scopes.empty());  // unchanged
  CHECK(back->page_binary);
  auto decoded = pr::DecodePullPage(back->page);
  REQUIRE(decoded.ok());
  CHECK(decoded->cursor == "p=7");
  CHECK(decoded->envelopes.size() == 1);

  // Cut before the page format byte: refused, never read past the end.
  const std::size_t head_bytes = 4 + 4 + head.directory.size() + 4 + 1;
  for (std::size_t n = 0; n < head_bytes; ++n) {
    auto r = pr::DecodeSyncHead(std::string_view(body).substr(0, n));
    INFO("cut at " << n);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
  }
  std::string bad = body;
  bad[0] = 'X';
  CHECK(pr::DecodeSyncHead(bad).error().message.find("bad magic") != std::string::npos);
  bad = body;
  bad[head_bytes - 1] = 2;  // page format
  CHECK(pr::DecodeSyncHead(bad).error().message.find("page format") != std::string::npos);
  // A directory length over the 16 MiB limit is refused before anything is read or allocated.
  bad = std::string("LVS1") + std::string("\xff\xff\xff\x7f", 4);
  CHECK(pr::DecodeSyncHead(bad).error().message.find("larger than the limit") != std::string::npos);
  // The digest names a body: 32 lowercase hex characters, the same for the same text.
  CHECK(pr::BodyDigest("abc").size() == 32);
  CHECK(pr::BodyDigest("abc") == pr::BodyDigest("abc"));
  CHECK(pr::BodyDigest("abc") != pr::BodyDigest("abd"));
}

TEST_CASE("a compressed binary push round-trips, and a lying or nested one is refused",
          "[sync][protocol]") {
  // A push of 20 envelopes as a device sends them: one signature for all, one author device,
  // sealed (incompressible) ciphertext.
  pr::PullResponse push;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20; ++i) {
    pr::Envelope e = MakeEnvelope(0, 0, 0x10);
    e.scope = "case:" + std::to_string(1000 + i);
    e.author_device = "5f0c2a7e9b1d4c3a8e6f0b2d1c9a7e5f";
    e.ciphertext.resize(300);
    for (auto& b : e.ciphertext) b = static_cast<std::uint8_t>(rng());
    for (auto& b : e.nonce) b = static_cast<std::uint8_t>(rng());
    e.proof = pr::Bytes(8 + 32 * 5, 0x44);
    push.envelopes.push_back(std::move(e));
  }
  const std::string page = pr::EncodePullPage(push);
  const std::string packed = pr::CompressPushBody(page, 3);
  INFO(page.size() << " bytes as a page, " << packed.size() << " compressed");
  REQUIRE(packed.compare(0, 4, "LVZ1") == 0);
  // What repeats (the signature, the device, the proof) is more than a tenth of the push.
  CHECK(packed.size() * 10 < page.size() * 9);
  auto back = pr::UncompressPushBody(packed);
  REQUIRE(back.ok());
  CHECK(*back == page);
  auto decoded = pr::DecodePullPage(*back);
  REQUIRE(decoded.ok());
  CheckSame(*decoded, push);
  // An uncompressed page passes as it is; a small one (a push of one short batch) is sent as
  // it is.
  CHECK(pr::UncompressPushBody(page).value() == page);
  pr::PullResponse one;
  one.envelopes.push_back(MakeEnvelope(1, 10, 0x11));
  const std::string small = pr::EncodePullPage(one);
  REQUIRE(small.size() < 256);
  CHECK(pr::CompressPushBody(small, 3) == small);

  auto refused = [](const std::string& body, const std::string& phrase) {
    auto r = pr::UncompressPushBody(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
    INFO(r.error().message);
    CHECK(r.error().message.find(phrase) != std::string::npos);
  };
  // Every cut.
  for (std::size_t n = 4; n < packed.size(); ++n) {
    auto r = pr::UncompressPushBody(packed.substr(0, n));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
  }
  // A stated size over the request limit: refused before anything is allocated.
  {
    std::vector<std::uint8_t> head = {'L', 'V', 'Z', '1'};
    sync::PutLeb128(head, pr::kMaxRequestBody + 1);
    refused(std::string(head.begin(), head.end()) + packed.substr(6), "bad compressed size");
  }
  // A size that is not the frame's.
  {
    std::string lie = packed;
    lie[4] = static_cast<char>(lie[4] ^ 1);
    refused(lie, "does not state its size");
  }
  // A compressed push inside a compressed push.
  {
    std::string inner = packed + std::string(600, '\0');
    std::string outer = pr::CompressPushBody(inner, 3);
    REQUIRE(outer.compare(0, 4, "LVZ1") == 0);
    refused(outer, "nested compression");
  }
}
