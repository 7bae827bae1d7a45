// Batch codec: the compact binary plaintext of one envelope, a batch of Changes of one scope.
// The server never sees it (it is encrypted under the scope key, docs/PROTOCOL.md).
//
// Layouts (all integers LEB128 varints unless noted; "str" = varint length + bytes; "zz" =
// zigzag-coded signed varint). The string table holds the batch's distinct table and column
// names, row ids and site ids, in order of first use; changes refer to them by index.
//
// "LVB3", the columnar layout, written since 2026-12 (BatchLayout::kColumns):
//   "LVB3" | str scope | varint push_no (0 = unnumbered, else as LVB2 below)
//   varint n_strings, then per string: varint h, and
//       h even: h/2 bytes of text;
//       h odd:  (h/2)/2 bytes, each two lowercase hex digits of the string (a row or site id;
//               h/2 even and > 0): half the bytes, and bytes zstd need not model as text
//   varint n, then each field of the n changes as a column, one column after another:
//     n x varint table_ix | n x zz row_ix minus the previous change's (the first: minus 0)
//     n x varint column_ix | n x u8 tag | the values in change order (by tag, as below)
//     n x zz hlc minus the previous change's (the first: minus 0; every hlc > 0)
//     n x varint site_ix
//     n x varint prev: 0 = no previous version, else 1 + zz (hlc - prev_hlc) (prev_hlc > 0)
//     varint prev_site_ix for each change with a previous version, in change order
//   A batch's changes share tables, rows, writers and clock readings, so the columns repeat
//   themselves and compress to a fraction of the rows they describe (docs/BENCHMARKS.md §14).
//
// "LVB1" | "LVB2", the row layout of batches written before (read for those, BatchLayout::kRows):
//   str scope
//   varint push_no              LVB2 only, >= 1: the author device's number for this push in
//                               this scope (1, 2, 3, … per device and scope; a retried push
//                               keeps its number). Readers see a gap or a number used twice
//                               (SyncStatus::deliveries). LVB1 = unnumbered.
//   varint n_strings, n x str   the string table
//   varint n_changes, then per change:
//     varint table_ix, varint row_ix, varint column_ix      indexes into the string table
//     u8 tag, value   0 NULL | 1 INTEGER (zigzag varint) | 2 REAL (8 bytes, IEEE LE)
//                     3 TEXT (str) | 4 BLOB (str)
//     varint hlc (> 0), varint site_ix
//     varint prev_hlc (0 = no previous version), then varint prev_site_ix when non-zero
// Every change of the batch belongs to the batch's scope.
//
// Compressed (CompressBatch): "LVZ1" | varint n | a zstd frame of the n bytes of an LVB1,
// LVB2 or LVB3 batch, whose header states n as its content size. Compression runs before encryption
// (ciphertext does not compress); it is used only when it makes the batch smaller. A reader
// refuses n over kMaxBatchBytes before allocating anything, a frame whose content size is not
// n, one that decompresses to other than n bytes, and an LVZ1 inside an LVZ1.
//
// DecodeBatch treats its input as hostile: every length and index is checked against the
// bytes left; truncated input, trailing bytes, unknown tags, out-of-range indexes and
// oversized counts are kProtocol. It never aborts.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"
#include "sync/replica.hpp"

namespace lietvedis::sync {

struct DecodedBatch {
  std::string scope;
  std::uint64_t push_no = 0;  // 0: an unnumbered batch
  std::vector<Change> changes;
};

enum class BatchLayout {
  kColumns,  // LVB3: what every push writes
  kRows,     // LVB1 (push_no 0) or LVB2: what builds before LVB3 wrote; for tests and benchmarks
};

// kInternal if a change names another scope than `scope`.
Result<std::vector<std::uint8_t>> EncodeBatch(std::string_view scope,
                                              std::span<const Change> changes,
                                              std::uint64_t push_no = 0,
                                              BatchLayout layout = BatchLayout::kColumns);
// Decodes LVB1, LVB2, LVB3 and LVZ1.
Result<DecodedBatch> DecodeBatch(std::span<const std::uint8_t> bytes);

// The zstd level batches are compressed at, chosen with lv_codec_bench (docs/BENCHMARKS.md §8)
// by encode + send at 2 Mbit/s + decode: on 2026-12-06 (release, idle 2-core machine) level 6
// was the fastest for a day's 40 changes (5.35 ms against 5.49 at level 3) and within 2 % of
// level 9 for a 5,000-change envelope (489 ms against 480, at two thirds of its encode time);
// level 3 was 7 % slower there, level 19 spent 127 ms encoding.
inline constexpr int kBatchZstdLevel = 6;
// The largest batch a reader decompresses (64 MiB; an envelope's ciphertext is at most 4 MiB).
inline constexpr std::size_t kMaxBatchBytes = std::size_t{64} << 20;

// `encoded` (EncodeBatch's output) as LVZ1 at `level` when that is smaller, else unchanged.
Result<std::vector<std::uint8_t>> CompressBatch(std::vector<std::uint8_t> encoded,
                                                int level = kBatchZstdLevel);

}  // namespace lietvedis::sync
