// Batch codec: the compact binary plaintext of one envelope, a batch of Changes of one scope.
// The server never sees it (it is encrypted under the scope key, docs/PROTOCOL.md).
//
// Layout (all integers LEB128 varints unless noted; "str" = varint length + bytes):
//   "LVB1" | "LVB2"             magic and format version
//   str scope
//   varint push_no              LVB2 only, >= 1: the author device's number for this push in
//                               this scope (1, 2, 3, … per device and scope; a retried push
//                               keeps its number). Readers see a gap or a number used twice
//                               (SyncStatus::deliveries). LVB1 = unnumbered.
//   varint n_strings, n x str   string table: table and column names, row ids, site ids
//   varint n_changes, then per change:
//     varint table_ix, varint row_ix, varint column_ix      indexes into the string table
//     u8 tag, value   0 NULL | 1 INTEGER (zigzag varint) | 2 REAL (8 bytes, IEEE LE)
//                     3 TEXT (str) | 4 BLOB (str)
//     varint hlc (> 0), varint site_ix
//     varint prev_hlc (0 = no previous version), then varint prev_site_ix when non-zero
// Every change of the batch belongs to the batch's scope.
//
// Compressed (CompressBatch): "LVZ1" | varint n | a zstd frame of the n bytes of an LVB1 or
// LVB2 batch, whose header states n as its content size. Compression runs before encryption
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
  std::uint64_t push_no = 0;  // 0: an unnumbered (LVB1) batch
  std::vector<Change> changes;
};

// kInternal if a change names another scope than `scope`. push_no 0 writes LVB1.
Result<std::vector<std::uint8_t>> EncodeBatch(std::string_view scope,
                                              std::span<const Change> changes,
                                              std::uint64_t push_no = 0);
// Decodes LVB1, LVB2 and LVZ1.
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
