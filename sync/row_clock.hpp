// RowClock: the stamps of the fields of one replicated row, as the replica keeps them: one
// blob per row in the table sync_rows (docs/SYNC.md, "Local tables"). One row per record
// rather than one per field keeps the clock small (a first pull inserts one clock entry per
// record, not four or ten) and lets a merge read and write a row's stamps once.
//
// Blob layout (integers are LEB128 varints; "str" = varint length + bytes):
//   u8 version (1)
//   varint n_sites, n x str site            the writers of this row, each listed once
//   varint n_fields, n x (str column, varint hlc (> 0), varint site index)
//
// Decode treats the blob as untrusted (it is local, but a damaged store must give an error,
// not a crash): truncation, trailing bytes, a zero hlc, an index out of range, a repeated
// column or an unknown version are kCorrupt.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "sync/hlc.hpp"

namespace lietvedis::sync {

struct FieldStamp {
  std::string column;
  Stamp stamp;
};

class RowClock {
 public:
  // The stamp of the value `column` holds, or nullptr when the field was never written.
  const Stamp* Find(std::string_view column) const;
  // Records that `column` now holds the value written at `stamp`.
  void Set(std::string_view column, const Stamp& stamp);
  bool empty() const { return fields_.empty(); }
  const std::vector<FieldStamp>& fields() const { return fields_; }

  storage::Blob Encode() const;
  static Result<RowClock> Decode(std::span<const std::uint8_t> bytes);

 private:
  std::vector<FieldStamp> fields_;
};

}  // namespace lietvedis::sync
