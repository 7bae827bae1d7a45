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
  // The columnar layout every push writes.
  for (const std::uint64_t push_no : {std::uint64_t{0}, std::uint64_t{300}}) {
    auto columns = EncodeBatch(changes[0].scope, changes, push_no);
    REQUIRE(columns.ok());
    CHECK(std::string(columns->begin(), columns->begin() + 4) == "LVB3");
    auto back = DecodeBatch(*columns);
    REQUIRE(back.ok());
    CHECK(back->push_no == push_no);
    REQUIRE(back->changes.size() == changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i) CHECK(Same(back->changes[i], changes[i]));
  }
  // The row layout of batches written before it, still read.
  auto plain = EncodeBatch(changes[0].scope, changes, 0, BatchLayout::kRows);
  auto numbered = EncodeBatch(changes[0].scope, changes, 300, BatchLayout::kRows);
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
  // Extremes the columns code as differences: the largest stamps, a previous stamp later than
  // the change's own (a hostile writer may send it; it must come back as sent), rows revisited.
  auto changes = SampleChanges();
  changes[4].stamp.hlc = INT64_MAX;
  changes[4].prev = Stamp{1, "site-1"};
  changes[5].stamp.hlc = 1;
  changes[5].prev = Stamp{INT64_MAX, "site-2"};
  changes[6].row_id = changes[0].row_id;
  changes[7].row_id = "0123456789abcdef";  // packed hex
  changes[8].row_id = "0123456789ABCDEF";  // upper case: sent as text
  changes[8].stamp.site = "abc";           // odd length: sent as text
  for (const BatchLayout layout : {BatchLayout::kColumns, BatchLayout::kRows}) {
    auto bytes = EncodeBatch(changes[0].scope, changes, 0, layout);
    REQUIRE(bytes.ok());
    auto back = DecodeBatch(*bytes);
    REQUIRE(back.ok());
    CHECK(back->scope == changes[0].scope);
    REQUIRE(back->changes.size() == changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i) CHECK(Same(back->changes[i], changes[i]));

    auto empty = EncodeBatch("org", {}, 0, layout);
    REQUIRE(empty.ok());
    auto empty_back = DecodeBatch(*empty);
    REQUIRE(empty_back.ok());
    CHECK(empty_back->changes.empty());
  }

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
  auto rows = EncodeBatch("case:x", changes, 0, BatchLayout::kRows);
  REQUIRE(rows.ok());
  // table, row, column, tag, value, hlc (8 bytes), site, prev: ~16 bytes a change.
  CHECK(rows->size() < changes.size() * 20);
  // Columns: the stamp is a difference of one millisecond (3 bytes), the row a difference of
  // 0, the ids are packed once: 11 bytes a change at most (table, row, column, tag, value up
  // to 2, stamp 3, site, prev).
  auto columns = EncodeBatch("case:x", changes);
  REQUIRE(columns.ok());
  INFO(rows->size() << " bytes in rows, " << columns->size() << " in columns");
  CHECK(columns->size() <= changes.size() * 11 + 64);
  CHECK(columns->size() < rows->size());
}

TEST_CASE("Columns compress to fewer bytes than rows for the changes officers write",
          "[sync][codec]") {
  // A day's contacts of one case (40 changes) and a large envelope (5,000): compressed as
  // pushes send them, the columnar batch must be clearly smaller than the row batch, and both
  // decode to the same changes.
  for (const std::size_t n : {std::size_t{40}, std::size_t{5000}}) {
    const auto changes = RealisticChanges(n);
    auto rows =
        CompressBatch(EncodeBatch(changes[0].scope, changes, 3, BatchLayout::kRows).value());
    auto columns = CompressBatch(EncodeBatch(changes[0].scope, changes, 3).value());
    REQUIRE(rows.ok());
    REQUIRE(columns.ok());
    INFO(n << " changes: " << rows->size() << " bytes in rows, " << columns->size()
           << " in columns (compressed)");
    CHECK(columns->size() * 10 < rows->size() * 9);
    for (const auto* bytes : {&*rows, &*columns}) {
      auto back = DecodeBatch(*bytes);
      REQUIRE(back.ok());
      CHECK(back->push_no == 3);
      REQUIRE(back->changes.size() == changes.size());
      for (std::size_t i = 0; i < changes.size(); ++i) CHECK(Same(back->changes[i], changes[i]));
    }
  }
}

TEST_CASE("A columnar batch with lying differences or ids is refused", "[sync][codec][fuzz]") {
  auto refused = [](const std::vector<std::uint8_t>& bytes, const std::string& phrase) {
    auto r = DecodeBatch(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kProtocol);
    INFO(r.error().message);
    CHECK(r.error().message.find(phrase) != std::string::npos);
  };
  // Hand-built: scope "s", unnumbered, strings {"t", "ab" packed, "c"}, then one change.
  auto batch = [](std::vector<std::uint8_t> strings, std::vector<std::uint8_t> columns) {
    std::vector<std::uint8_t> out = {'L', 'V', 'B', '3', 1, 's', 0};
    out.insert(out.end(), strings.begin(), strings.end());
    PutLeb128(out, 1);
    out.insert(out.end(), columns.begin(), columns.end());
    return out;
  };
  const std::vector<std::uint8_t> strings = {3, 2, 't', 5, 0xab, 2, 'c'};
  // table 0, row +1, column 2, tag NULL, hlc +10 (zz 20), site 1, no previous version.
  const std::vector<std::uint8_t> good = {0, 2, 2, 0, 20, 1, 0};
  auto ok = DecodeBatch(batch(strings, good));
  REQUIRE(ok.ok());
  REQUIRE(ok->changes.size() == 1);
  CHECK(ok->changes[0].table == "t");
  CHECK(ok->changes[0].row_id == "ab");
  CHECK(ok->changes[0].column == "c");
  CHECK(ok->changes[0].stamp == Stamp{10, "ab"});
  CHECK(ok->changes[0].prev.hlc == 0);

  refused(batch({3, 2, 't', 3, 0xab, 2, 'c'}, good), "bad packed id");           // odd digit count
  refused(batch({3, 2, 't', 1, 2, 'c'}, good), "bad packed id");                 // no digits
  refused(batch({3, 2, 't', 0x91, 0x03, 0xab, 2, 'c'}, good), "bad packed id");  // 200 digits
  refused(batch(strings, {0, 1, 2, 0, 20, 1, 0}), "bad name index");             // row -1
  refused(batch(strings, {0, 6, 2, 0, 20, 1, 0}), "bad name index");             // row 3 of 3
  refused(batch(strings, {0, 2, 2, 0, 0, 1, 0}), "bad stamp");                   // hlc 0
  refused(batch(strings, {0, 2, 2, 0, 19, 1, 0}), "bad stamp");                  // hlc -10
  refused(batch(strings, {0, 2, 2, 0, 20, 1, 21, 1}), "bad previous stamp");     // prev 0
  refused(batch(strings, {0, 2, 2, 0, 20, 1, 1}), "bad previous site");          // prev 10, no site
  refused(batch(strings, {0, 2, 2, 7, 20, 1, 0}), "unknown value tag");
  // A row difference of INT64_MAX.
  {
    std::vector<std::uint8_t> cols = {0};
    PutLeb128(cols, ~std::uint64_t{0} - 1);
    cols.insert(cols.end(), {2, 0, 20, 1, 0});
    refused(batch(strings, cols), "bad name index");
  }
  // A stamp difference that overflows past INT64_MAX.
  {
    auto two = std::vector<std::uint8_t>{'L', 'V', 'B', '3', 1, 's', 0};
    two.insert(two.end(), strings.begin(), strings.end());
    PutLeb128(two, 2);
    two.insert(two.end(), {0, 0, 2, 0, 2, 2, 0, 0, 20});
    PutLeb128(two, ~std::uint64_t{0} - 1);  // +INT64_MAX after +10
    two.insert(two.end(), {1, 1, 0, 0});
    refused(two, "bad stamp");
  }
}

TEST_CASE("Truncated, extended and random batches are refused without crashing",
          "[sync][codec][fuzz]") {
  const auto changes = SampleChanges();
  const BatchLayout layout = GENERATE(BatchLayout::kColumns, BatchLayout::kRows);
  auto good = EncodeBatch(changes[0].scope, changes, 0, layout);
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
      if (input.size() >= 4 && rng() % 2 == 0) {
        std::copy_n(layout == BatchLayout::kRows ? "LVB1" : "LVB3", 4, input.begin());
      }
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
