#include "sync/row_clock.hpp"

#include "sync/leb128.hpp"

namespace lietvedis::sync {

namespace {

constexpr std::uint8_t kVersion = 1;
// A row has a few dozen columns at most; the bounds only keep a damaged blob from asking
// for absurd allocations.
constexpr std::uint64_t kMaxEntries = 4096;
constexpr std::uint64_t kMaxString = 4096;

void PutVarint(storage::Blob& out, std::uint64_t v) {
  PutLeb128(out, v);
}

void PutString(storage::Blob& out, std::string_view s) {
  PutVarint(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  bool Varint(std::uint64_t& v) { return ReadLeb128(in_, pos_, v); }
  bool String(std::string& s) {
    std::uint64_t n = 0;
    if (!Varint(n) || n > kMaxString || n > in_.size() - pos_) return false;
    s.assign(reinterpret_cast<const char*>(in_.data() + pos_), static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return true;
  }
  bool Byte(std::uint8_t& b) {
    if (pos_ >= in_.size()) return false;
    b = in_[pos_++];
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

Error Damaged(const char* what) {
  return MakeError(Errc::kCorrupt, std::string("a row's field stamps are damaged: ") + what);
}

}  // namespace

const Stamp* RowClock::Find(std::string_view column) const {
  for (const FieldStamp& f : fields_) {
    if (f.column == column) return &f.stamp;
  }
  return nullptr;
}

void RowClock::Set(std::string_view column, const Stamp& stamp) {
  for (FieldStamp& f : fields_) {
    if (f.column == column) {
      f.stamp = stamp;
      return;
    }
  }
  fields_.push_back({std::string(column), stamp});
}

storage::Blob RowClock::Encode() const {
  std::vector<const std::string*> sites;
  auto site_index = [&](const std::string& site) -> std::size_t {
    for (std::size_t i = 0; i < sites.size(); ++i) {
      if (*sites[i] == site) return i;
    }
    sites.push_back(&site);
    return sites.size() - 1;
  };
  std::vector<std::size_t> ix;
  ix.reserve(fields_.size());
  for (const FieldStamp& f : fields_) ix.push_back(site_index(f.stamp.site));

  storage::Blob out;
  out.reserve(8 + fields_.size() * 16 + sites.size() * 40);
  out.push_back(kVersion);
  PutVarint(out, sites.size());
  for (const std::string* s : sites) PutString(out, *s);
  PutVarint(out, fields_.size());
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    PutString(out, fields_[i].column);
    PutVarint(out, static_cast<std::uint64_t>(fields_[i].stamp.hlc));
    PutVarint(out, ix[i]);
  }
  return out;
}

Result<RowClock> RowClock::Decode(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  std::uint8_t version = 0;
  if (!r.Byte(version)) return Damaged("empty");
  if (version != kVersion) return Damaged("unknown format version");
  std::uint64_t n_sites = 0;
  if (!r.Varint(n_sites) || n_sites > kMaxEntries) return Damaged("bad site count");
  std::vector<std::string> sites(static_cast<std::size_t>(n_sites));
  for (std::string& s : sites) {
    if (!r.String(s) || s.empty()) return Damaged("bad site id");
  }
  std::uint64_t n_fields = 0;
  if (!r.Varint(n_fields) || n_fields > kMaxEntries) return Damaged("bad field count");
  RowClock out;
  out.fields_.resize(static_cast<std::size_t>(n_fields));
  for (FieldStamp& f : out.fields_) {
    std::uint64_t hlc = 0, site = 0;
    if (!r.String(f.column) || f.column.empty()) return Damaged("bad column name");
    if (!r.Varint(hlc) || hlc == 0 || hlc > static_cast<std::uint64_t>(INT64_MAX)) {
      return Damaged("bad clock value");
    }
    if (!r.Varint(site) || site >= sites.size()) return Damaged("site index out of range");
    f.stamp = Stamp{static_cast<std::int64_t>(hlc), sites[static_cast<std::size_t>(site)]};
  }
  if (!r.AtEnd()) return Damaged("trailing bytes");
  for (std::size_t i = 0; i < out.fields_.size(); ++i) {
    for (std::size_t j = i + 1; j < out.fields_.size(); ++j) {
      if (out.fields_[i].column == out.fields_[j].column) return Damaged("a column repeats");
    }
  }
  return out;
}

}  // namespace lietvedis::sync
