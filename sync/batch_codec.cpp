#include "sync/batch_codec.hpp"

#include <zstd.h>

#include <cstring>
#include <unordered_map>

#include "sync/leb128.hpp"

namespace lietvedis::sync {

namespace {

constexpr char kMagic[4] = {'L', 'V', 'B', '1'};
constexpr char kMagicNumbered[4] = {'L', 'V', 'B', '2'};    // LVB1 + the push number
constexpr char kMagicCompressed[4] = {'L', 'V', 'Z', '1'};  // zstd of an LVB1 or LVB2

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

}  // namespace

Result<std::vector<std::uint8_t>> EncodeBatch(std::string_view scope,
                                              std::span<const Change> changes,
                                              std::uint64_t push_no) {
  std::unordered_map<std::string_view, std::uint64_t> index;
  std::vector<std::string_view> strings;
  auto intern = [&](std::string_view s) {
    auto [it, added] = index.emplace(s, strings.size());
    if (added) strings.push_back(s);
    return it->second;
  };
  struct Ix {
    std::uint64_t table, row, column, site, prev_site;
  };
  std::vector<Ix> ixs;
  ixs.reserve(changes.size());
  for (const Change& c : changes) {
    if (c.scope != scope) {
      return MakeError(Errc::kInternal, "a change batch mixes scopes");
    }
    if (c.stamp.hlc <= 0 || c.prev.hlc < 0) {
      return MakeError(Errc::kInternal, "a change to encode has a malformed stamp");
    }
    Ix ix{intern(c.table), intern(c.row_id), intern(c.column), intern(c.stamp.site), 0};
    if (c.prev.hlc != 0) ix.prev_site = intern(c.prev.site);
    ixs.push_back(ix);
  }
  Writer w;
  w.out.reserve(64 + changes.size() * 24);
  const char* magic = push_no == 0 ? kMagic : kMagicNumbered;
  w.out.insert(w.out.end(), magic, magic + 4);
  w.Str(scope);
  if (push_no != 0) w.Varint(push_no);
  w.Varint(strings.size());
  for (std::string_view s : strings) w.Str(s);
  w.Varint(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const Change& c = changes[i];
    w.Varint(ixs[i].table);
    w.Varint(ixs[i].row);
    w.Varint(ixs[i].column);
    switch (c.value.index()) {
      case 0:
        w.out.push_back(0);
        break;
      case 1:
        w.out.push_back(1);
        w.Varint(ZigZag(std::get<1>(c.value)));
        break;
      case 2: {
        w.out.push_back(2);
        const double d = std::get<2>(c.value);
        std::uint64_t bits;
        std::memcpy(&bits, &d, sizeof bits);
        for (int b = 0; b < 8; ++b) w.out.push_back(static_cast<std::uint8_t>(bits >> (8 * b)));
        break;
      }
      case 3:
        w.out.push_back(3);
        w.Str(std::get<3>(c.value));
        break;
      default:
        w.out.push_back(4);
        w.Bytes(std::get<4>(c.value));
        break;
    }
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
    switch (tag) {
      case 0:
        c.value = std::monostate{};
        break;
      case 1: {
        std::uint64_t v = 0;
        if (!r.Varint(v)) return Malformed("truncated integer");
        c.value = UnZigZag(v);
        break;
      }
      case 2: {
        std::uint8_t b[8];
        if (!r.Raw(b, 8)) return Malformed("truncated real");
        std::uint64_t bits = 0;
        for (int k = 0; k < 8; ++k) bits |= static_cast<std::uint64_t>(b[k]) << (8 * k);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        c.value = d;
        break;
      }
      case 3: {
        std::string s;
        if (!r.Str(s)) return Malformed("truncated text");
        c.value = std::move(s);
        break;
      }
      case 4: {
        std::vector<std::uint8_t> b;
        if (!r.Bytes(b)) return Malformed("truncated blob");
        c.value = std::move(b);
        break;
      }
      default:
        return Malformed("unknown value tag");
    }
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

}  // namespace lietvedis::sync
