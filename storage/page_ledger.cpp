// The page ledger of the encrypting VFS, the log generation it records, and the checks of
// whole files (store.db, store.db-wal) that do not go through SQLite. See vfs_internal.hpp
// for the shared state and docs/STORAGE.md ("Replay" and "Rollback of the log") for the
// design.
//
// Ledger file, format 2 (all integers little-endian):
//   "LVLEDGR2" | file identity (16) | generation (8) | page count N (8) | flags (8, bit 0: a
//   log generation is recorded) | WAL salts (8) | durable WAL frames (8) | N tags of 16 bytes
//   | keyed BLAKE2b-256 MAC over everything before it
// Format 1 ("LVLEDGR1") lacks the flags, salts and frame count; it is read (no log generation
// recorded yet) and replaced by format 2 at the next write.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "storage/files.hpp"
#include "storage/vfs_internal.hpp"

namespace lietvedis::storage {

using namespace vfs_detail;

namespace {

constexpr std::size_t kLedgerMacSize = 32;
constexpr char kLedgerMagic1[8] = {'L', 'V', 'L', 'E', 'D', 'G', 'R', '1'};
constexpr char kLedgerMagic2[8] = {'L', 'V', 'L', 'E', 'D', 'G', 'R', '2'};
constexpr std::size_t kLedgerFixed1 = 8 + kFileIdSize + 16;
constexpr std::size_t kLedgerFixed2 = kLedgerFixed1 + 24;
constexpr std::uint32_t kWalMagicLe = 0x377f0682;  // checksums over little-endian words
constexpr std::uint32_t kWalMagicBe = 0x377f0683;  // checksums over big-endian words
constexpr std::uint32_t kWalVersion = 3007000;

// A file read with pread, closed on scope exit.
class RawFile {
 public:
  explicit RawFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~RawFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;
  bool open() const { return fd_ >= 0; }
  sqlite3_int64 Size() const {
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    return end < 0 ? 0 : static_cast<sqlite3_int64>(end);
  }
  // True when all `n` bytes were read.
  bool ReadAt(std::uint8_t* out, std::size_t n, sqlite3_int64 off) const {
    std::size_t done = 0;
    while (done < n) {
      const ssize_t r = ::pread(fd_, out + done, n - done, static_cast<off_t>(off + done));
      if (r <= 0) return false;
      done += static_cast<std::size_t>(r);
    }
    return true;
  }

 private:
  int fd_;
};

// SQLite's WAL checksum (wal.c walChecksumBytes): pairs of 32-bit words, in the byte order
// the log's magic number names.
void WalChecksum(bool big_endian, const std::uint8_t* data, std::size_t n, std::uint32_t s[2]) {
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    const std::uint32_t a = big_endian ? GetBe32(data + i) : GetLe32(data + i);
    const std::uint32_t b = big_endian ? GetBe32(data + i + 4) : GetLe32(data + i + 4);
    s[0] += a + s[1];
    s[1] += b + s[0];
  }
}

std::string FrameName(const std::string& db_file_name, std::uint32_t pgno, std::uint64_t index) {
  return "page " + std::to_string(pgno) + " in frame " + std::to_string(index + 1) + " of " +
         db_file_name + "-wal";
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Pages

namespace vfs_detail {

void SealPage(EncryptedVfs::Impl* impl, const std::uint8_t* plain, std::uint8_t* out,
              const Ad& ad) {
  std::uint8_t* tag = out + kUsable;
  std::uint8_t* nonce = out + kUsable + kTagSize;
  randombytes_buf(nonce, kNonceSize);
  unsigned long long tag_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
      out, tag, &tag_len, plain, kUsable, ad.bytes, ad.size, nullptr, nonce, impl->page_key.data());
  ++impl->pages_encrypted;
}

bool OpenPage(EncryptedVfs::Impl* impl, std::uint8_t* page, const Ad& ad) {
  const std::uint8_t* tag = page + kUsable;
  const std::uint8_t* nonce = page + kUsable + kTagSize;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
      page, nullptr, page, kUsable, tag, ad.bytes, ad.size, nonce, impl->page_key.data());
  if (rc != 0) return false;
  // SQLite's WAL checksums cover the whole page, reserved bytes included, as SQLite wrote it.
  // Returning the reserved bytes as zeroes on every read keeps them zero in SQLite's page
  // cache, so what it writes (and checksums) is what a later read returns.
  std::memset(page + kUsable, 0, kPageReserve);
  ++impl->pages_decrypted;
  return true;
}

// What a scan of store.db-wal found: the log as SQLite's recovery would read it (frames in
// order while their salts, authentication and checksums hold), and every frame of the log's
// generation that fails authentication.
struct WalScan {
  bool present = false;  // a WAL header SQLite would accept
  WalSalts salts{};
  std::uint64_t valid_frames = 0;      // frames recovery accepts, in order from the first
  std::uint64_t committed_frames = 0;  // up to the last commit frame among them
  std::uint64_t frames_in_file = 0;
  std::uint64_t authenticated_frames = 0;  // frames of this log that authenticate
  std::string end;                         // why recovery stops where it does
  struct Damaged {
    std::uint64_t index;
    std::uint32_t pgno;
    bool before_good;  // a later frame of the same log authenticates
  };
  std::vector<Damaged> damaged;
  std::vector<std::uint32_t> committed_pages;  // page numbers in the committed frames
};

// Caller holds key_mu (shared). kIo when the file exists but cannot be read.
Result<WalScan> ScanWal(EncryptedVfs::Impl* impl) {
  WalScan scan;
  RawFile file(impl->WalPath());
  if (!file.open()) {
    if (errno == ENOENT) return scan;
    return MakeError(Errc::kIo, "opening " + impl->db_file_name + "-wal: " + std::strerror(errno));
  }
  const sqlite3_int64 size = file.Size();
  std::uint8_t header[kWalHeaderSize];
  if (size < kWalHeaderSize || !file.ReadAt(header, sizeof header, 0)) return scan;
  const std::uint32_t magic = GetBe32(header);
  if ((magic != kWalMagicLe && magic != kWalMagicBe) || GetBe32(header + 4) != kWalVersion) {
    return scan;  // SQLite ignores such a log
  }
  const bool big = magic == kWalMagicBe;
  std::uint32_t sum[2] = {0, 0};
  WalChecksum(big, header, 24, sum);
  if (sum[0] != GetBe32(header + 24) || sum[1] != GetBe32(header + 28)) return scan;
  if (GetBe32(header + 8) != static_cast<std::uint32_t>(kPageSize)) {
    return MakeError(Errc::kTampered, impl->db_file_name +
                                          "-wal has a header for another page size: the file "
                                          "was altered");
  }
  scan.present = true;
  std::memcpy(scan.salts.data(), header + 16, kWalSaltSize);
  scan.frames_in_file = static_cast<std::uint64_t>((size - kWalHeaderSize) / kFrameSize);
  bool stopped = false;
  std::uint64_t last_good = 0;  // 1 + index of the last frame of this log that authenticates
  std::vector<std::uint32_t> pages;
  std::uint8_t frame[kFrameSize];
  for (std::uint64_t i = 0; i < scan.frames_in_file; ++i) {
    const sqlite3_int64 off = kWalHeaderSize + static_cast<sqlite3_int64>(i) * kFrameSize;
    if (!file.ReadAt(frame, sizeof frame, off)) {
      return MakeError(Errc::kIo, "reading " + impl->db_file_name + "-wal");
    }
    const std::uint32_t pgno = GetBe32(frame);
    const bool of_this_log = std::memcmp(frame + 8, scan.salts.data(), kWalSaltSize) == 0;
    if (!of_this_log || pgno == 0) {
      if (!stopped) scan.end = "frame " + std::to_string(i + 1) + " is not part of this log";
      stopped = true;
      continue;  // a leftover of an earlier log, or a frame whose commit never happened
    }
    std::uint8_t* page = frame + kFrameHeaderSize;
    if (!OpenPage(
            impl, page,
            WalPageAd(impl->file_id, frame, scan.salts.data(), static_cast<std::uint32_t>(i)))) {
      scan.damaged.push_back({i, pgno, false});
      if (!stopped) scan.end = FrameName(impl->db_file_name, pgno, i) + " fails authentication";
      stopped = true;
      continue;
    }
    last_good = i + 1;
    ++scan.authenticated_frames;
    if (stopped) continue;
    WalChecksum(big, frame, 8, sum);
    WalChecksum(big, page, kPageSize, sum);
    if (sum[0] != GetBe32(frame + 16) || sum[1] != GetBe32(frame + 20)) {
      scan.end = "frame " + std::to_string(i + 1) + " fails its checksum";
      stopped = true;
      continue;
    }
    scan.valid_frames = i + 1;
    pages.push_back(pgno);
    if (GetBe32(frame + 4) != 0) {
      scan.committed_frames = i + 1;
      scan.committed_pages.insert(scan.committed_pages.end(), pages.begin(), pages.end());
      pages.clear();
    }
  }
  if (!stopped) scan.end = "the file ends";
  for (WalScan::Damaged& d : scan.damaged) d.before_good = d.index + 1 < last_good;
  return scan;
}

// The verdict on a scanned log, given what the ledger records of the current generation.
Result<void> JudgeWal(const std::string& db_file_name, const WalScan& scan, bool known,
                      const WalSalts& salts, std::uint64_t durable) {
  for (const WalScan::Damaged& d : scan.damaged) {
    if (d.before_good) {
      return MakeError(Errc::kTampered, FrameName(db_file_name, d.pgno, d.index) +
                                            " failed authentication: the file was altered or "
                                            "damaged");
    }
  }
  if (!scan.present || !known) return Ok();
  if (scan.salts != salts && scan.committed_frames > 0) {
    return MakeError(Errc::kTampered, db_file_name +
                                          "-wal is a log of an earlier generation than the "
                                          "store last started: an older log was put back");
  }
  if (scan.salts == salts && scan.committed_frames < durable) {
    return MakeError(Errc::kTampered,
                     db_file_name + "-wal holds " + std::to_string(scan.committed_frames) +
                         " committed frames, but the store had committed and synced " +
                         std::to_string(durable) + " (" + scan.end +
                         "): the log was cut or damaged inside its committed part");
  }
  return Ok();
}

}  // namespace vfs_detail

// ---------------------------------------------------------------------------------------
// The ledger

std::vector<std::uint8_t> EncryptedVfs::Impl::SerialiseLedger() const {
  std::vector<std::uint8_t> out(kLedgerFixed2 + tags.size() * kTagSize + kLedgerMacSize);
  std::uint8_t* p = out.data();
  std::memcpy(p, kLedgerMagic2, 8);
  std::memcpy(p + 8, file_id.data(), kFileIdSize);
  p += 8 + kFileIdSize;
  PutLe64(p, generation);
  PutLe64(p + 8, tags.size());
  PutLe64(p + 16, wal_known ? 1 : 0);
  std::memcpy(p + 24, wal_salts.data(), kWalSaltSize);
  PutLe64(p + 32, wal_durable_frames);
  std::uint8_t* t = out.data() + kLedgerFixed2;
  for (const Tag& tag : tags) {
    std::memcpy(t, tag.data(), kTagSize);
    t += kTagSize;
  }
  crypto_generichash(t, kLedgerMacSize, out.data(), out.size() - kLedgerMacSize, ledger_key.data(),
                     ledger_key.size());
  return out;
}

Result<void> EncryptedVfs::Impl::PersistLedgerLocked() {
  if (ledger_key.empty()) return MakeError(Errc::kLocked, "the store is locked; unlock it first");
  ++generation;
  std::vector<std::uint8_t> bytes = SerialiseLedger();
  Result<void> r = WriteFileAtomically(LedgerPath(), bytes);
  if (!r.ok()) {
    --generation;
    return r;
  }
  ledger_dirty = false;
  ++ledger_writes;
  return Ok();
}

Result<void> EncryptedVfs::Impl::LoadLedgerLocked() {
  auto bytes = ReadWholeFile(LedgerPath(), std::size_t{1} << 32);
  if (!bytes.ok()) {
    if (bytes.error().code == Errc::kNotFound) {
      return MakeError(Errc::kTampered, db_file_name +
                                            ".ledger is missing: the store's page ledger "
                                            "was removed, so old pages could be put back");
    }
    return bytes.error();
  }
  const std::vector<std::uint8_t>& b = *bytes;
  const Error altered = MakeError(
      Errc::kTampered, db_file_name + ".ledger failed authentication: the file was altered");
  if (b.size() < kLedgerFixed1 + kLedgerMacSize) return altered;
  const bool v2 = std::memcmp(b.data(), kLedgerMagic2, 8) == 0;
  if (!v2 && std::memcmp(b.data(), kLedgerMagic1, 8) != 0) return altered;
  const std::size_t fixed = (v2 ? kLedgerFixed2 : kLedgerFixed1) + kLedgerMacSize;
  if (b.size() < fixed) return altered;
  const std::uint64_t count = GetLe64(b.data() + 16 + kFileIdSize);
  if (count > (b.size() - fixed) / kTagSize || b.size() != fixed + count * kTagSize) {
    return altered;
  }
  std::uint8_t mac[kLedgerMacSize];
  crypto_generichash(mac, sizeof(mac), b.data(), b.size() - kLedgerMacSize, ledger_key.data(),
                     ledger_key.size());
  if (sodium_memcmp(mac, b.data() + b.size() - kLedgerMacSize, kLedgerMacSize) != 0) {
    return altered;
  }
  if (std::memcmp(b.data() + 8, file_id.data(), kFileIdSize) != 0) {
    return MakeError(Errc::kTampered,
                     db_file_name + ".ledger belongs to another store: the file was swapped");
  }
  const std::uint8_t* p = b.data() + 8 + kFileIdSize;
  generation = GetLe64(p);
  if (v2) {
    wal_known = (GetLe64(p + 16) & 1) != 0;
    std::memcpy(wal_salts.data(), p + 24, kWalSaltSize);
    wal_durable_frames = GetLe64(p + 32);
  } else {
    wal_known = false;
    wal_salts = {};
    wal_durable_frames = 0;
  }
  tags.assign(count, Tag{});
  const std::uint8_t* t = b.data() + (v2 ? kLedgerFixed2 : kLedgerFixed1);
  for (Tag& tag : tags) {
    std::memcpy(tag.data(), t, kTagSize);
    t += kTagSize;
  }
  ledger_dirty = false;
  return Ok();
}

void EncryptedVfs::Impl::RecordTag(std::uint32_t pgno, const std::uint8_t* tag) {
  std::lock_guard lock(ledger_mu);
  if (tags.size() < pgno) tags.resize(pgno, Tag{});
  std::memcpy(tags[pgno - 1].data(), tag, kTagSize);
  ledger_dirty = true;
}

void EncryptedVfs::Impl::TruncateLedger(sqlite3_int64 size) {
  std::lock_guard lock(ledger_mu);
  const auto pages = static_cast<std::size_t>(size / kPageSize);
  if (pages < tags.size()) {
    tags.resize(pages);
    ledger_dirty = true;
  }
}

bool EncryptedVfs::Impl::TagIsCurrent(std::uint32_t pgno, const std::uint8_t* tag) {
  std::lock_guard lock(ledger_mu);
  auto matches = [&] {
    return pgno <= tags.size() && sodium_memcmp(tags[pgno - 1].data(), tag, kTagSize) == 0;
  };
  if (matches()) return true;
  if (ledger_dirty) return false;
  if (!LoadLedgerLocked().ok()) return false;
  return matches();
}

// ---------------------------------------------------------------------------------------
// The log generation

Result<void> EncryptedVfs::Impl::StartWalGenerationLocked(const std::uint8_t* salts) {
  const bool known = wal_known;
  const WalSalts old_salts = wal_salts;
  const std::uint64_t durable = wal_durable_frames, synced = wal_synced_frames;
  wal_known = true;
  std::memcpy(wal_salts.data(), salts, kWalSaltSize);
  wal_durable_frames = 0;
  wal_synced_frames = 0;
  Result<void> saved = PersistLedgerLocked();
  if (!saved.ok()) {
    wal_known = known;
    wal_salts = old_salts;
    wal_durable_frames = durable;
    wal_synced_frames = synced;
  }
  return saved;
}

std::uint64_t EncryptedVfs::Impl::CommittedWalFrames() {
  // SQLite's wal-index header (wal.c WalIndexHdr), twice at the start of the -shm file: a copy
  // that differs from the other is being written, and is not used. mxFrame at byte 16 is the
  // last committed frame, in native byte order; aSalt at byte 32 the log's salts as in the
  // WAL header.
  std::uint8_t hdr[96];
  RawFile shm(db_path + "-shm");
  if (!shm.open() || !shm.ReadAt(hdr, sizeof hdr, 0)) return 0;
  if (std::memcmp(hdr, hdr + 48, 48) != 0 || hdr[12] == 0) return 0;
  std::uint32_t max_frame = 0;
  std::memcpy(&max_frame, hdr + 16, sizeof max_frame);
  std::lock_guard lock(ledger_mu);
  if (!wal_known || std::memcmp(hdr + 32, wal_salts.data(), kWalSaltSize) != 0) return 0;
  return max_frame;
}

void EncryptedVfs::Impl::NoteWalSynced(std::uint64_t committed_frames) {
  std::lock_guard lock(ledger_mu);
  wal_synced_frames = std::max(wal_synced_frames, committed_frames);
}

Result<void> EncryptedVfs::Impl::VerifyWal() {
  std::shared_lock key_lock(key_mu);
  if (locked) return MakeError(Errc::kLocked, "the store is locked; unlock it first");
  Result<void> verdict = Ok();
  // A second pass after reloading the ledger: another process may have started a new log
  // (and written the ledger) since this one loaded it.
  for (int pass = 0; pass < 2; ++pass) {
    bool known = false;
    WalSalts salts{};
    std::uint64_t durable = 0;
    {
      std::lock_guard lock(ledger_mu);
      if (pass == 1) {
        if (ledger_dirty) break;
        LV_TRY(LoadLedgerLocked());
      }
      known = wal_known;
      salts = wal_salts;
      durable = wal_durable_frames;
    }
    LV_ASSIGN(WalScan scan, ScanWal(this));
    verdict = JudgeWal(db_file_name, scan, known, salts, durable);
    if (verdict.ok()) return verdict;
  }
  return verdict;
}

Result<FileCheck> EncryptedVfs::Impl::CheckFiles() {
  std::shared_lock key_lock(key_mu);
  if (locked) return MakeError(Errc::kLocked, "the store is locked; unlock it first");
  FileCheck check;
  std::vector<Tag> ledger_tags;
  bool known = false;
  WalSalts salts{};
  std::uint64_t durable = 0;
  {
    std::lock_guard lock(ledger_mu);
    if (!ledger_dirty) {  // unsaved changes would differ from the file; verify it otherwise
      Result<void> loaded = LoadLedgerLocked();
      if (!loaded.ok()) check.damage.push_back(loaded.error().message);
    }
    ledger_tags = tags;
    known = wal_known;
    salts = wal_salts;
    durable = wal_durable_frames;
  }

  LV_ASSIGN(WalScan scan, ScanWal(this));
  check.wal_frames = scan.authenticated_frames;
  check.wal_committed_frames = scan.committed_frames;
  if (Result<void> log = JudgeWal(db_file_name, scan, known, salts, durable); !log.ok()) {
    check.damage.push_back(log.error().message);
  }
  for (const WalScan::Damaged& d : scan.damaged) {
    if (d.before_good) continue;  // named by JudgeWal
    const std::string frame = FrameName(db_file_name, d.pgno, d.index);
    if (d.index < scan.committed_frames) {
      check.damage.push_back(frame + " failed authentication");
    } else {
      check.notes.push_back(frame +
                            ", after the last commit, does not authenticate: a write "
                            "torn by a crash, which the log ignores");
    }
  }
  std::vector<bool> in_log;  // pages the committed log holds: their file copy may lag
  for (std::uint32_t pgno : scan.committed_pages) {
    if (in_log.size() <= pgno) in_log.resize(pgno + 1, false);
    in_log[pgno] = true;
  }
  auto pending = [&](std::uint64_t pgno) { return pgno < in_log.size() && in_log[pgno]; };

  RawFile db(db_path);
  if (!db.open()) {
    return MakeError(Errc::kIo, "opening " + db_file_name + ": " + std::strerror(errno));
  }
  const sqlite3_int64 size = db.Size();
  if (size % kPageSize != 0) {
    check.damage.push_back(db_file_name + " is cut mid-page (" + std::to_string(size) + " bytes)");
  }
  const auto pages = static_cast<std::uint64_t>(size / kPageSize);
  std::uint8_t page[kPageSize];
  for (std::uint64_t pgno = 1; pgno <= pages; ++pgno) {
    if (!db.ReadAt(page, sizeof page, static_cast<sqlite3_int64>(pgno - 1) * kPageSize)) {
      return MakeError(Errc::kIo, "reading " + db_file_name);
    }
    ++check.db_pages;
    const std::string name = "page " + std::to_string(pgno) + " of " + db_file_name;
    Tag tag;
    std::memcpy(tag.data(), page + kUsable, kTagSize);
    if (!OpenPage(this, page, DbPageAd(file_id, static_cast<std::uint32_t>(pgno)))) {
      check.damage.push_back(name + " failed authentication");
      continue;
    }
    const bool current = pgno <= ledger_tags.size() &&
                         sodium_memcmp(ledger_tags[pgno - 1].data(), tag.data(), kTagSize) == 0;
    if (current) continue;
    if (pending(pgno)) {
      check.notes.push_back(name +
                            " differs from the ledger; the log holds a newer copy, "
                            "which the next checkpoint writes");
    } else if (pgno > ledger_tags.size()) {
      check.damage.push_back(name + " is not in the ledger");
    } else {
      check.damage.push_back(name + " is an older copy than the ledger records");
    }
  }
  if (ledger_tags.size() > pages && scan.committed_frames == 0) {
    check.damage.push_back(db_file_name + " ends at page " + std::to_string(pages) +
                           ", but the ledger records " + std::to_string(ledger_tags.size()) +
                           " pages: the file was cut");
  }
  return check;
}

// Occurrences of `needle` in `hay` (overlapping ones counted once each start).
static std::uint64_t CountIn(const std::uint8_t* hay, std::size_t size, std::string_view needle) {
  std::uint64_t n = 0;
  const std::string_view text(reinterpret_cast<const char*>(hay), size);
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

Result<PlaintextCount> EncryptedVfs::Impl::CountPlaintext(std::string_view needle) {
  if (needle.empty()) return MakeError(Errc::kValidation, "plaintext scan: empty needle");
  std::shared_lock key_lock(key_mu);
  if (locked) return MakeError(Errc::kLocked, "the store is locked; unlock it first");
  PlaintextCount count;
  std::uint8_t page[kPageSize];
  {
    RawFile db(db_path);
    if (!db.open()) {
      return MakeError(Errc::kIo, "opening " + db_file_name + ": " + std::strerror(errno));
    }
    const auto pages = static_cast<std::uint64_t>(db.Size() / kPageSize);
    for (std::uint64_t pgno = 1; pgno <= pages; ++pgno) {
      if (!db.ReadAt(page, sizeof page, static_cast<sqlite3_int64>(pgno - 1) * kPageSize)) {
        return MakeError(Errc::kIo, "reading " + db_file_name);
      }
      if (!OpenPage(this, page, DbPageAd(file_id, static_cast<std::uint32_t>(pgno)))) continue;
      ++count.db_pages;
      count.db_hits += CountIn(page, kUsable, needle);
    }
  }
  RawFile wal(WalPath());
  if (!wal.open()) {
    if (errno == ENOENT) return count;
    return MakeError(Errc::kIo, "opening " + db_file_name + "-wal: " + std::strerror(errno));
  }
  const sqlite3_int64 size = wal.Size();
  std::uint8_t header[kWalHeaderSize] = {};
  if (size >= kWalHeaderSize && !wal.ReadAt(header, sizeof header, 0)) {
    return MakeError(Errc::kIo, "reading " + db_file_name + "-wal");
  }
  std::uint8_t frame[kFrameSize], copy[kPageSize];
  for (sqlite3_int64 off = kWalHeaderSize, i = 0; off + kFrameSize <= size;
       off += kFrameSize, ++i) {
    if (!wal.ReadAt(frame, sizeof frame, off)) {
      return MakeError(Errc::kIo, "reading " + db_file_name + "-wal");
    }
    // Under the log's salts, else under the frame's own: a leftover of an earlier log is as
    // readable to whoever holds the key as a frame of the current one.
    std::uint8_t* body = frame + kFrameHeaderSize;
    std::memcpy(copy, body, kPageSize);
    const auto index = static_cast<std::uint32_t>(i);
    if (!OpenPage(this, body, WalPageAd(file_id, frame, header + 16, index))) {
      std::memcpy(body, copy, kPageSize);
      if (!OpenPage(this, body, WalPageAd(file_id, frame, frame + 8, index))) continue;
    }
    ++count.wal_frames;
    count.wal_hits += CountIn(body, kUsable, needle);
  }
  return count;
}

}  // namespace lietvedis::storage
