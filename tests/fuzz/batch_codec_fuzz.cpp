// The change batch codec: what a co-reader seals is decoded by every reader
// (sync/batch_codec.hpp). A batch that decodes re-encodes to one that decodes the same.
#include <cstring>
#include <span>
#include <string>

#include "sync/batch_codec.hpp"
#include "tests/fuzz/fuzz_target.hpp"

using namespace lietvedis::sync;

LV_FUZZ_TARGET(batch_codec) {
  auto batch = DecodeBatch(std::span<const std::uint8_t>(data, size));
  if (!batch.ok()) return 0;
  for (const Change& c : batch->changes) LV_FUZZ_CHECK(c.scope == batch->scope);
  // Stamps the encoder refuses (hlc <= 0) are the reader's to refuse later; skip those.
  for (const Change& c : batch->changes) {
    if (c.stamp.hlc <= 0 || c.prev.hlc < 0) return 0;
  }
  auto again = EncodeBatch(batch->scope, batch->changes, batch->push_no);
  LV_FUZZ_CHECK(again.ok());
  auto back = DecodeBatch(*again);
  LV_FUZZ_CHECK(back.ok());
  LV_FUZZ_CHECK(back->scope == batch->scope && back->push_no == batch->push_no);
  LV_FUZZ_CHECK(back->changes.size() == batch->changes.size());
  for (std::size_t i = 0; i < back->changes.size(); ++i) {
    const Change& a = batch->changes[i];
    const Change& b = back->changes[i];
    LV_FUZZ_CHECK(a.table == b.table && a.row_id == b.row_id && a.column == b.column);
    LV_FUZZ_CHECK(a.stamp == b.stamp && a.prev == b.prev);
    // NaN != NaN: compare reals by their bits.
    if (a.value.index() == 2 && b.value.index() == 2) {
      const double x = std::get<2>(a.value), y = std::get<2>(b.value);
      LV_FUZZ_CHECK(std::memcmp(&x, &y, sizeof x) == 0);
    } else {
      LV_FUZZ_CHECK(a.value == b.value);
    }
  }
  return 0;
}
