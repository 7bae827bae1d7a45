// LEB128 varints, as the batch codec and the row clock write them: 7 bits a byte, low bits
// first, the high bit set on every byte but the last.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lietvedis::sync {

inline void PutLeb128(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

// Reads one varint at `pos` and advances it. false for truncated input or a value of more than
// 64 bits (the input is untrusted).
inline bool ReadLeb128(std::span<const std::uint8_t> in, std::size_t& pos, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return false;
    const std::uint8_t b = in[pos++];
    if (shift == 63 && b > 1) return false;  // more than 64 bits
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace lietvedis::sync
