// The change batch codec: round trip, compactness, and hostile input (truncations, random bytes,
// trailing bytes) that must give kProtocol and never crash.
#include "sync/batch_codec.hpp"

#include <zstd.h>

#include <catch2/catch.hpp>
#include <random>

#include "sync/leb128.hpp"
#include "tests/support/realistic_changes.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::RealisticChanges;

namespace {

std::vector<Change> SampleChanges() {
  std::vector<Change> out;
  const std::vector<storage::Value> values = {storage::Value{},
                                              storage::Value{std::int64_t{0}},
                                              storage::Value{std::int64_t{-1}},
                                              storage::Value{INT64_MIN},
                                              storage::Value{INT64_MAX},
                                              storage::Value{3.25},
                                              storage::Value{std::string("Bērziņš – “ā č ē”")},
                                              storage::Value{std::string()},
                                              storage::Value{storage::Blob{0, 1, 2, 255}}};
  for (std::size_t i = 0; i < values.size(); ++i) {
    Change c;
    c.scope = "case:0123456789abcdef0123456789abcdef";
    c.table = i % 2 ? "contact" : "supervision_section";
    c.row_id = "row" + std::to_string(i / 3);
    c.column = "col" + std::to_string(i % 4);
    c.value = values[i];
    c.stamp = Stamp{HlcPack(1'700'000'000'000 + static_cast<std::int64_t>(i), 3),
                    "site-" + std::to_string(i % 2)};
    if (i % 3 == 1) c.prev = Stamp{HlcPack(1'600'000'000'000, 0), "site-9"};
    out.push_back(c);
  }
  return out;
}

bool Same(const Change& a, const Change& b) {
  return a.scope == b.scope && a.table == b.table && a.row_id == b.row_id && a.column == b.column &&
         a.value == b.value && a.stamp == b.stamp && a.prev == b.prev;
}

}  // namespace

TEST_CASE("A numbered batch carries its push number, an unnumbered one has none", "[sync][codec]") {
  const auto changes = SampleChanges();
  auto plain = EncodeBatch(changes[0].scope, changes);
  auto numbered = EncodeBatch(changes[0].scope, changes, 300);
  REQUIRE(plain.ok());
  REQUIRE(numbered.ok());
  CHECK(std::string(plain->begin(), plain->begin() + 4) == "LVB1");
  CHECK(std::string(numbered->begin(), numbered->begin() + 4) == "LVB2");
  auto a = DecodeBatch(*plain);
  auto b = DecodeBatch(*numbered);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->push_no == 0);
  CHECK(b->push_no == 300);
  REQUIRE(b->changes.size() == changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) CHECK(Same(b->changes[i], changes[i]));
  // "LVB2" with the number 0 is not a numbered batch: refused, not read as unnumbered.
  auto zero = *plain;
  zero[3] = '2';
  const std::size_t after_scope = 4 + 1 + changes[0].scope.size();
  zero.insert(zero.begin() + static_cast<std::ptrdiff_t>(after_scope), 0);
  auto refused = DecodeBatch(zero);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::kProtocol);
  CHECK(refused.error().message.find("bad push number") != std::string::npos);
  // Cut right after the scope: the number is missing.
  auto cut = *numbered;
  cut.resize(4 + 1 + changes[0].scope.size());
  CHECK_FALSE(DecodeBatch(cut).ok());
}

TEST_CASE("A change batch survives encoding and decoding unchanged", "[sync][codec]") {
  const auto changes = SampleChanges();
  auto bytes = EncodeBatch(changes[0].scope, changes);
  REQUIRE(bytes.ok());
  auto back = DecodeBatch(*bytes);
  REQUIRE(back.ok());
  CHECK(back->scope == changes[0].scope);
  REQUIRE(back->changes.size() == changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) CHECK(Same(back->changes[i], changes[i]));

  auto empty = EncodeBatch("org", {});
  REQUIRE(empty.ok());
  auto empty_back = DecodeBatch(*empty);
  REQUIRE(empty_back.ok());
  CHECK(empty_back->changes.empty());

  // Mixed scopes are a caller bug.
  auto mixed = changes;
  mixed[1].scope = "case:other";
  CHECK(EncodeBatch(changes[0].scope, mixed).error().code == Errc::kInternal);
}

TEST_CASE("The string table keeps repeated names and ids small", "[sync][codec]") {
  std::vector<Change> changes;
  const std::string row = "0123456789abcdef0123456789abcdef";
  for (int i = 0; i < 1000; ++i) {
    Change c;
    c.scope = "case:x";
    c.table = "contact";
    c.row_id = row;
    c.column = "outcome";
    c.value = std::int64_t{i};
    c.stamp = Stamp{HlcPack(1'700'000'000'000 + i, 0), "0123456789abcdef0123456789abcdef"};
    changes.push_back(c);
  }
  auto bytes = EncodeBatch("case:x", changes);
  REQUIRE(bytes.ok());
  // table, row, column, tag, value, hlc (8 bytes), site, prev: ~16 bytes a change.
  CHECK(bytes->size() < changes.size() * 20);
}

TEST_CASE("Truncated, extended and random batches are refused without crashing",
          "[sync][codec][fuzz]") {
  const auto changes = SampleChanges();
  auto good = EncodeBatch(changes[0].scope, changes);
  REQUIRE(good.ok());
  // Every truncation.
  for (std::size_t n = 0; n < good->size(); ++n) {
    auto r = DecodeBatch(std::span<const std::uint8_t>(good->data(), n));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
  }
  // Trailing bytes.
  auto longer = *good;
  longer.push_back(0);
  auto trailing = DecodeBatch(longer);
  REQUIRE_FALSE(trailing.ok());
  CHECK(trailing.error().message.find("trailing") != std::string::npos);

  // Random mutations of a valid batch and pure random bytes: any outcome but a crash, and
  // whatever decodes re-encodes to a batch that decodes the same.
  std::mt19937_64 rng(20240601);
  int decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::uint8_t> input;
    if (i % 2 == 0) {
      input = *good;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f)
        input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    } else {
      input.resize(rng() % 64);
      for (auto& b : input) b = static_cast<std::uint8_t>(rng());
      if (input.size() >= 4 && rng() % 2 == 0) std::copy_n("LVB1", 4, input.begin());
    }
    auto r = DecodeBatch(input);
    if (r.ok()) {
      ++decoded;
      auto again = EncodeBatch(r->scope, r->changes);
      REQUIRE(again.ok());
      auto back = DecodeBatch(*again);
      REQUIRE(back.ok());
      REQUIRE(back->changes.size() == r->changes.size());
    } else {
      CHECK(r.error().code == Errc::kProtocol);
    }
  }
  INFO("decoded " << decoded << " of 20000 mutated inputs");
  CHECK(decoded < 20000);
}

TEST_CASE("A compressed batch is smaller and decodes to the same changes", "[sync][codec]") {
  const auto changes = RealisticChanges(400);
  auto plain = EncodeBatch(changes[0].scope, changes, 7);
  REQUIRE(plain.ok());
  auto packed = CompressBatch(*plain);
  REQUIRE(packed.ok());
  CHECK(std::string(packed->begin(), packed->begin() + 4) == "LVZ1");
  INFO(plain->size() << " bytes plain, " << packed->size() << " compressed");
  CHECK(packed->size() * 2 < plain->size());
  auto back = DecodeBatch(*packed);
  REQUIRE(back.ok());
  CHECK(back->scope == changes[0].scope);
  CHECK(back->push_no == 7);
  REQUIRE(back->changes.size() == changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) CHECK(Same(back->changes[i], changes[i]));

  // Small batches, and batches compression does not shrink, go as they are.
  const auto one = SampleChanges();
  auto small = EncodeBatch(one[0].scope, std::span<const Change>(one.data(), 1));
  REQUIRE(small.ok());
  auto small_packed = CompressBatch(*small);
  REQUIRE(small_packed.ok());
  CHECK(*small_packed == *small);
  std::vector<std::uint8_t> noise(4096);
  std::mt19937_64 rng(7);
  for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
  Change blob = one[0];
  blob.value = storage::Blob(noise.begin(), noise.end());
  auto random = EncodeBatch(blob.scope, std::span<const Change>(&blob, 1));
  REQUIRE(random.ok());
  auto random_packed = CompressBatch(*random);
  REQUIRE(random_packed.ok());
  CHECK(*random_packed == *random);
}

TEST_CASE("A hostile compressed batch is refused before it costs memory", "[sync][codec][fuzz]") {
  const auto changes = RealisticChanges(200);
  auto packed = CompressBatch(EncodeBatch(changes[0].scope, changes).value());
  REQUIRE(packed.ok());
  REQUIRE(std::string(packed->begin(), packed->begin() + 4) == "LVZ1");
  auto refused = [](const std::vector<std::uint8_t>& bytes, const std::string& phrase) {
    auto r = DecodeBatch(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
    INFO(r.error().message);
    CHECK(r.error().message.find(phrase) != std::string::npos);
  };
  // Every truncation.
  for (std::size_t n = 0; n < packed->size(); ++n) {
    auto r = DecodeBatch(std::span<const std::uint8_t>(packed->data(), n));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
  }
  // A stated size over the bound: refused before anything is allocated.
  {
    std::vector<std::uint8_t> huge = {'L', 'V', 'Z', '1'};
    PutLeb128(huge, kMaxBatchBytes + 1);
    huge.insert(huge.end(), packed->end() - 32, packed->end());
    refused(huge, "bad compressed size");
  }
  // A stated size that is not the frame's.
  {
    auto lie = *packed;
    lie[4] ^= 1;  // the varint's low bits
    refused(lie, "does not state its size");
  }
  // A frame that does not state its size (a stream, as a decompression bomb would be sent).
  auto raw = EncodeBatch(changes[0].scope, changes).value();
  {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    REQUIRE(cctx != nullptr);
    REQUIRE(ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0)) == 0);
    std::vector<std::uint8_t> frame(ZSTD_compressBound(raw.size()));
    const std::size_t n = ZSTD_compress2(cctx, frame.data(), frame.size(), raw.data(), raw.size());
    ZSTD_freeCCtx(cctx);
    REQUIRE(ZSTD_isError(n) == 0);
    frame.resize(n);
    std::vector<std::uint8_t> unsized = {'L', 'V', 'Z', '1'};
    PutLeb128(unsized, raw.size());
    unsized.insert(unsized.end(), frame.begin(), frame.end());
    refused(unsized, "does not state its size");
  }
  // An LVZ1 inside an LVZ1.
  {
    std::vector<std::uint8_t> inner = *packed;
    inner.resize(inner.size() + 64, 0);  // so that compressing it pays
    std::vector<std::uint8_t> outer = {'L', 'V', 'Z', '1'};
    PutLeb128(outer, inner.size());
    std::vector<std::uint8_t> frame(ZSTD_compressBound(inner.size()));
    const std::size_t n = ZSTD_compress(frame.data(), frame.size(), inner.data(), inner.size(), 3);
    REQUIRE(ZSTD_isError(n) == 0);
    outer.insert(outer.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
    refused(outer, "nested compression");
  }
  // Trailing bytes after the frame.
  {
    auto longer = *packed;
    longer.push_back(0);
    CHECK_FALSE(DecodeBatch(longer).ok());
  }
  // Random mutations: any outcome but a crash, and what decodes decodes the changes it says.
  std::mt19937_64 rng(20261206);
  int decoded = 0;
  for (int i = 0; i < 5000; ++i) {
    auto input = *packed;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    auto r = DecodeBatch(input);
    if (r.ok()) {
      ++decoded;
    } else {
      CHECK(r.error().code == Errc::kProtocol);
    }
  }
  INFO("decoded " << decoded << " of 5000 mutated inputs");
  CHECK(decoded < 5000);
}
