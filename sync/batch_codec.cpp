#include "sync/batch_codec.hpp"

#include <zstd.h>

#include <cstring>
#include <unordered_map>

#include "sync/leb128.hpp"

namespace lietvedis::sync {

namespace {

constexpr char kMagic[4] = {'L', 'V', 'B', '1'};
constexpr char kMagicNumbered[4] = {'L', 'V', 'B', '2'};    // LVB1 + the push number
constexpr char kMagicColumns[4] = {'L', 'V', 'B', '3'};     // the columnar layout
constexpr char kMagicCompressed[4] = {'L', 'V', 'Z', '1'};  // zstd of an LVB1, LVB2 or LVB3

class Writer {
 public:
  void Varint(std::uint64_t v) { PutLeb128(out, v); }
  void Str(std::string_view s) {
    Varint(s.size());
    out.insert(out.end(), s.begin(), s.end());
  }
  void Bytes(std::span<const std::uint8_t> b) {
    Varint(b.size());
    out.insert(out.end(), b.begin(), b.end());
  }
  std::vector<std::uint8_t> out;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  bool Varint(std::uint64_t& v) { return ReadLeb128(in_, pos_, v); }
  bool Str(std::string& s) {
    std::uint64_t n = 0;
    if (!Varint(n) || n > left()) return false;
    s.assign(reinterpret_cast<const char*>(in_.data() + pos_), static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return true;
  }
  bool Bytes(std::vector<std::uint8_t>& b) {
    std::uint64_t n = 0;
    if (!Varint(n) || n > left()) return false;
    b.assign(in_.begin() + static_cast<std::ptrdiff_t>(pos_),
             in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += static_cast<std::size_t>(n);
    return true;
  }
  bool Byte(std::uint8_t& b) {
    if (pos_ >= in_.size()) return false;
    b = in_[pos_++];
    return true;
  }
  bool Raw(void* dst, std::size_t n) {
    if (n > left()) return false;
    std::memcpy(dst, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::size_t left() const { return in_.size() - pos_; }
  bool Signed(std::int64_t& v);

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t UnZigZag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

Error Malformed(const char* what) {
  return MakeError(Errc::kProtocol, std::string("malformed change batch: ") + what);
}

bool Reader::Signed(std::int64_t& v) {
  std::uint64_t u = 0;
  if (!Varint(u)) return false;
  v = UnZigZag(u);
  return true;
}

// A row or site id as the replica makes them: lowercase hex of an even length, sent as the
// bytes it spells (half the size, and bytes that zstd need not model as text).
bool PackableHex(std::string_view s) {
  if (s.empty() || s.size() % 2 != 0) return false;
  for (char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}
std::uint8_t HexNibble(char ch) {
  return static_cast<std::uint8_t>(ch <= '9' ? ch - '0' : ch - 'a' + 10);
}

// The string table of both layouts: the distinct table and column names, row ids and sites of
// a batch, in order of first use.
struct StringTable {
  std::unordered_map<std::string_view, std::uint64_t> index;
  std::vector<std::string_view> strings;
  std::uint64_t Intern(std::string_view s) {
    auto [it, added] = index.emplace(s, strings.size());
    if (added) strings.push_back(s);
    return it->second;
  }
};

struct Ix {
  std::uint64_t table, row, column, site, prev_site;
};

void WriteValue(Writer& w, const storage::Value& value) {
  switch (value.index()) {
    case 1:
      w.Varint(ZigZag(std::get<1>(value)));
      break;
    case 2: {
      const double d = std::get<2>(value);
      std::uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      for (int b = 0; b < 8; ++b) w.out.push_back(static_cast<std::uint8_t>(bits >> (8 * b)));
      break;
    }
    case 3:
      w.Str(std::get<3>(value));
      break;
    case 4:
      w.Bytes(std::get<4>(value));
      break;
    default:  // NULL: the tag says it all
      break;
  }
}

// The value of `tag` (0 NULL, 1 INTEGER, 2 REAL, 3 TEXT, 4 BLOB); nullptr on success, else
// what is wrong.
const char* ReadValue(Reader& r, std::uint8_t tag, storage::Value& value) {
  switch (tag) {
    case 0:
      value = std::monostate{};
      return nullptr;
    case 1: {
      std::int64_t v = 0;
      if (!r.Signed(v)) return "truncated integer";
      value = v;
      return nullptr;
    }
    case 2: {
      std::uint8_t b[8];
      if (!r.Raw(b, 8)) return "truncated real";
      std::uint64_t bits = 0;
      for (int k = 0; k < 8; ++k) bits |= static_cast<std::uint64_t>(b[k]) << (8 * k);
      double d;
      std::memcpy(&d, &bits, sizeof d);
      value = d;
      return nullptr;
    }
    case 3: {
      std::string s;
      if (!r.Str(s)) return "truncated text";
      value = std::move(s);
      return nullptr;
    }
    case 4: {
      std::vector<std::uint8_t> b;
      if (!r.Bytes(b)) return "truncated blob";
      value = std::move(b);
      return nullptr;
    }
    default:
      return "unknown value tag";
  }
}

// LVB3: the string table (hex ids packed), then each field of the changes as one column.
std::vector<std::uint8_t> EncodeColumns(std::string_view scope, std::span<const Change> changes,
                                        std::uint64_t push_no, const StringTable& table,
                                        const std::vector<Ix>& ixs) {
  Writer w;
  w.out.reserve(64 + changes.size() * 16);
  w.out.insert(w.out.end(), kMagicColumns, kMagicColumns + 4);
  w.Str(scope);
  w.Varint(push_no);
  w.Varint(table.strings.size());
  for (std::string_view s : table.strings) {
    if (PackableHex(s)) {
      w.Varint((static_cast<std::uint64_t>(s.size()) << 1) | 1);
      for (std::size_t k = 0; k < s.size(); k += 2) {
        w.out.push_back(static_cast<std::uint8_t>(HexNibble(s[k]) << 4 | HexNibble(s[k + 1])));
      }
    } else {
      w.Varint(static_cast<std::uint64_t>(s.size()) << 1);
      w.out.insert(w.out.end(), s.begin(), s.end());
    }
  }
  const std::size_t n = changes.size();
  w.Varint(n);
  for (std::size_t i = 0; i < n; ++i) w.Varint(ixs[i].table);
  std::int64_t last_row = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::int64_t>(ixs[i].row);
    w.Varint(ZigZag(row - last_row));
    last_row = row;
  }
  for (std::size_t i = 0; i < n; ++i) w.Varint(ixs[i].column);
  for (const Change& c : changes) w.out.push_back(static_cast<std::uint8_t>(c.value.index()));
  for (const Change& c : changes) WriteValue(w, c.value);
  std::int64_t last_hlc = 0;
  for (const Change& c : changes) {
    w.Varint(ZigZag(c.stamp.hlc - last_hlc));  // both in [0, INT64_MAX]: no overflow
    last_hlc = c.stamp.hlc;
  }
  for (std::size_t i = 0; i < n; ++i) w.Varint(ixs[i].site);
  for (const Change& c : changes)
    w.Varint(c.prev.hlc == 0 ? 0 : 1 + ZigZag(c.stamp.hlc - c.prev.hlc));
  for (std::size_t i = 0; i < n; ++i) {
    if (changes[i].prev.hlc != 0) w.Varint(ixs[i].prev_site);
  }
  return std::move(w.out);
}

}  // namespace

Result<std::vector<std::uint8_t>> EncodeBatch(std::string_view scope,
                                              std::span<const Change> changes,
                                              std::uint64_t push_no, BatchLayout layout) {
  StringTable table;
  std::vector<Ix> ixs;
  ixs.reserve(changes.size());
  for (const Change& c : changes) {
    if (c.scope != scope) {
      return MakeError(Errc::kInternal, "a change batch mixes scopes");
    }
    if (c.stamp.hlc <= 0 || c.prev.hlc < 0) {
      return MakeError(Errc::kInternal, "a change to encode has a malformed stamp");
    }
    Ix ix{table.Intern(c.table), table.Intern(c.row_id), table.Intern(c.column),
          table.Intern(c.stamp.site), 0};
    if (c.prev.hlc != 0) ix.prev_site = table.Intern(c.prev.site);
    ixs.push_back(ix);
  }
  if (layout == BatchLayout::kColumns) return EncodeColumns(scope, changes, push_no, table, ixs);
  Writer w;
  w.out.reserve(64 + changes.size() * 24);
  const char* magic = push_no == 0 ? kMagic : kMagicNumbered;
  w.out.insert(w.out.end(), magic, magic + 4);
  w.Str(scope);
  if (push_no != 0) w.Varint(push_no);
  w.Varint(table.strings.size());
  for (std::string_view s : table.strings) w.Str(s);
  w.Varint(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const Change& c = changes[i];
    w.Varint(ixs[i].table);
    w.Varint(ixs[i].row);
    w.Varint(ixs[i].column);
    w.out.push_back(static_cast<std::uint8_t>(c.value.index()));
    WriteValue(w, c.value);
    w.Varint(static_cast<std::uint64_t>(c.stamp.hlc));
    w.Varint(ixs[i].site);
    w.Varint(static_cast<std::uint64_t>(c.prev.hlc));
    if (c.prev.hlc != 0) w.Varint(ixs[i].prev_site);
  }
  return std::move(w.out);
}

Result<std::vector<std::uint8_t>> CompressBatch(std::vector<std::uint8_t> encoded, int level) {
  if (encoded.size() < 64 || encoded.size() > kMaxBatchBytes) return encoded;
  Writer w;
  w.out.insert(w.out.end(), kMagicCompressed, kMagicCompressed + 4);
  w.Varint(encoded.size());
  const std::size_t head = w.out.size();
  w.out.resize(head + ZSTD_compressBound(encoded.size()));
  const std::size_t n = ZSTD_compress(w.out.data() + head, w.out.size() - head, encoded.data(),
                                      encoded.size(), level);
  if (ZSTD_isError(n) != 0) {
    return MakeError(Errc::kInternal,
                     std::string("compressing a change batch: ") + ZSTD_getErrorName(n));
  }
  if (head + n >= encoded.size()) return encoded;  // it does not pay
  w.out.resize(head + n);
  return std::move(w.out);
}

static Result<DecodedBatch> DecodePlain(std::span<const std::uint8_t> bytes);
static Result<DecodedBatch> DecodeColumns(std::span<const std::uint8_t> bytes);

Result<DecodedBatch> DecodeBatch(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagicCompressed, 4) != 0) {
    return DecodePlain(bytes);
  }
  Reader r(bytes.subspan(4));
  std::uint64_t n = 0;
  if (!r.Varint(n) || n < 4 || n > kMaxBatchBytes) return Malformed("bad compressed size");
  const std::span<const std::uint8_t> frame = bytes.subspan(bytes.size() - r.left());
  // The frame states its size: checked before anything is allocated.
  if (ZSTD_getFrameContentSize(frame.data(), frame.size()) != n) {
    return Malformed("compressed frame does not state its size");
  }
  std::vector<std::uint8_t> plain(static_cast<std::size_t>(n));
  const std::size_t got = ZSTD_decompress(plain.data(), plain.size(), frame.data(), frame.size());
  if (ZSTD_isError(got) != 0 || got != plain.size()) {
    return Malformed("compressed frame does not decompress");
  }
  if (std::memcmp(plain.data(), kMagicCompressed, 4) == 0) return Malformed("nested compression");
  return DecodePlain(plain);
}

static Result<DecodedBatch> DecodePlain(std::span<const std::uint8_t> bytes) {
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), kMagicColumns, 4) == 0) {
    return DecodeColumns(bytes);
  }
  Reader r(bytes);
  char magic[4];
  if (!r.Raw(magic, 4)) return Malformed("truncated header");
  const bool numbered = std::memcmp(magic, kMagicNumbered, 4) == 0;
  if (!numbered && std::memcmp(magic, kMagic, 4) != 0) return Malformed("unknown format");
  DecodedBatch out;
  if (!r.Str(out.scope) || out.scope.empty()) return Malformed("bad scope");
  if (numbered && (!r.Varint(out.push_no) || out.push_no == 0)) {
    return Malformed("bad push number");
  }
  std::uint64_t n_strings = 0;
  // Each string costs at least its length byte, so a count beyond the bytes left is a lie.
  if (!r.Varint(n_strings) || n_strings > r.left()) return Malformed("bad string count");
  std::vector<std::string> strings(static_cast<std::size_t>(n_strings));
  for (std::string& s : strings) {
    if (!r.Str(s)) return Malformed("truncated string table");
  }
  std::uint64_t n_changes = 0;
  // A change is at least 7 bytes.
  if (!r.Varint(n_changes) || n_changes > r.left() / 7) return Malformed("bad change count");
  out.changes.reserve(static_cast<std::size_t>(n_changes));
  auto str_at = [&](std::string& dst) {
    std::uint64_t ix = 0;
    if (!r.Varint(ix) || ix >= strings.size()) return false;
    dst = strings[static_cast<std::size_t>(ix)];
    return true;
  };
  for (std::uint64_t i = 0; i < n_changes; ++i) {
    Change c;
    c.scope = out.scope;
    if (!str_at(c.table) || !str_at(c.row_id) || !str_at(c.column)) {
      return Malformed("bad name index");
    }
    std::uint8_t tag = 0;
    if (!r.Byte(tag)) return Malformed("truncated value");
    if (const char* bad = ReadValue(r, tag, c.value)) return Malformed(bad);
    std::uint64_t hlc = 0, prev_hlc = 0;
    if (!r.Varint(hlc) || hlc == 0 || hlc > static_cast<std::uint64_t>(INT64_MAX)) {
      return Malformed("bad stamp");
    }
    c.stamp.hlc = static_cast<std::int64_t>(hlc);
    if (!str_at(c.stamp.site)) return Malformed("bad site index");
    if (!r.Varint(prev_hlc) || prev_hlc > static_cast<std::uint64_t>(INT64_MAX)) {
      return Malformed("bad previous stamp");
    }
    if (prev_hlc != 0) {
      c.prev.hlc = static_cast<std::int64_t>(prev_hlc);
      if (!str_at(c.prev.site)) return Malformed("bad previous site index");
    }
    out.changes.push_back(std::move(c));
  }
  if (r.left() != 0) return Malformed("trailing bytes");
  return out;
}

static Result<DecodedBatch> DecodeColumns(std::span<const std::uint8_t> bytes) {
  Reader r(bytes.subspan(4));
  DecodedBatch out;
  if (!r.Str(out.scope) || out.scope.empty()) return Malformed("bad scope");
  if (!r.Varint(out.push_no)) return Malformed("bad push number");
  std::uint64_t n_strings = 0;
  // Each string costs at least its header byte, so a count beyond the bytes left is a lie.
  if (!r.Varint(n_strings) || n_strings > r.left()) return Malformed("bad string count");
  std::vector<std::string> strings(static_cast<std::size_t>(n_strings));
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::string& s : strings) {
    std::uint64_t head = 0;
    if (!r.Varint(head)) return Malformed("truncated string table");
    const std::uint64_t len = head >> 1;
    if ((head & 1) == 0) {
      if (len > r.left()) return Malformed("truncated string table");
      s.resize(static_cast<std::size_t>(len));
      r.Raw(s.data(), s.size());
      continue;
    }
    // Packed hex: an even, non-zero number of digits, two to a byte.
    if (len == 0 || len % 2 != 0 || len / 2 > r.left()) return Malformed("bad packed id");
    s.resize(static_cast<std::size_t>(len));
    for (std::size_t k = 0; k < s.size(); k += 2) {
      std::uint8_t b = 0;
      r.Byte(b);
      s[k] = kHex[b >> 4];
      s[k + 1] = kHex[b & 15];
    }
  }
  std::uint64_t n_changes = 0;
  // A change is at least 7 bytes: one in each of the seven per-change columns.
  if (!r.Varint(n_changes) || n_changes > r.left() / 7) return Malformed("bad change count");
  const auto n = static_cast<std::size_t>(n_changes);
  out.changes.resize(n);
  auto str_at = [&](std::uint64_t ix, std::string& dst) {
    if (ix >= strings.size()) return false;
    dst = strings[static_cast<std::size_t>(ix)];
    return true;
  };
  for (Change& c : out.changes) {
    c.scope = out.scope;
    std::uint64_t ix = 0;
    if (!r.Varint(ix) || !str_at(ix, c.table)) return Malformed("bad name index");
  }
  std::int64_t row = 0;
  for (Change& c : out.changes) {
    std::int64_t delta = 0;
    if (!r.Signed(delta) || __builtin_add_overflow(row, delta, &row) || row < 0 ||
        !str_at(static_cast<std::uint64_t>(row), c.row_id)) {
      return Malformed("bad name index");
    }
  }
  for (Change& c : out.changes) {
    std::uint64_t ix = 0;
    if (!r.Varint(ix) || !str_at(ix, c.column)) return Malformed("bad name index");
  }
  std::vector<std::uint8_t> tags(n);
  for (std::uint8_t& tag : tags) {
    if (!r.Byte(tag)) return Malformed("truncated value");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (const char* bad = ReadValue(r, tags[i], out.changes[i].value)) return Malformed(bad);
  }
  std::int64_t hlc = 0;
  for (Change& c : out.changes) {
    std::int64_t delta = 0;
    if (!r.Signed(delta) || __builtin_add_overflow(hlc, delta, &hlc) || hlc <= 0) {
      return Malformed("bad stamp");
    }
    c.stamp.hlc = hlc;
  }
  for (Change& c : out.changes) {
    std::uint64_t ix = 0;
    if (!r.Varint(ix) || !str_at(ix, c.stamp.site)) return Malformed("bad site index");
  }
  for (Change& c : out.changes) {
    std::uint64_t coded = 0;
    if (!r.Varint(coded)) return Malformed("bad previous stamp");
    if (coded == 0) continue;
    std::int64_t prev = 0;
    if (__builtin_sub_overflow(c.stamp.hlc, UnZigZag(coded - 1), &prev) || prev <= 0) {
      return Malformed("bad previous stamp");
    }
    c.prev.hlc = prev;
  }
  for (Change& c : out.changes) {
    if (c.prev.hlc == 0) continue;
    std::uint64_t ix = 0;
    if (!r.Varint(ix) || !str_at(ix, c.prev.site)) return Malformed("bad previous site index");
  }
  if (r.left() != 0) return Malformed("trailing bytes");
  return out;
}

}  // namespace lietvedis::sync
