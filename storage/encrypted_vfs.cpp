#include "storage/encrypted_vfs.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <new>
#include <utility>

#include "storage/database.hpp"
#include "storage/files.hpp"
#include "storage/vfs_internal.hpp"

namespace lietvedis::storage {

using namespace vfs_detail;

namespace {

std::atomic<std::uint64_t> g_vfs_counter{0};

enum class FileKind { kMainDb, kWal, kMemory };

// One open file. SQLite allocates szOsFile bytes; the underlying file follows this struct.
struct EncFile {
  sqlite3_file base;
  FileKind kind;
  std::shared_ptr<EncryptedVfs>* vfs;  // heap-held so SQLite's raw block can own a reference
  sqlite3_file* real;                  // the root VFS's file (kMainDb, kWal)
  std::vector<std::uint8_t>* memory;   // kMemory contents
  // The last WAL frame header written through this handle: SQLite writes a frame's header
  // and its page in two calls, and the page's associated data needs the header.
  sqlite3_int64 last_header_offset;
  std::uint8_t last_header[kFrameHeaderSize];
};

EncryptedVfs::Impl* ImplOf(EncFile* f) {
  return (*f->vfs)->impl();
}

int Note(Errc code, std::string message, int rc) {
  NoteVfsFailure(MakeError(code, std::move(message)));
  return rc;
}

// An authentication failure: noted for the caller's thread and remembered by the VFS, since
// SQLite swallows some read errors (WAL recovery stops at an unreadable frame as if the log
// ended there) and Store must still learn of them.
int Tampered(EncryptedVfs::Impl* impl, Errc code, std::string message) {
  {
    std::lock_guard lock(impl->event_mu);
    if (!impl->has_tamper_event) {
      impl->has_tamper_event = true;
      impl->tamper_event = MakeError(code, message);
    }
  }
  return Note(code, std::move(message), SQLITE_IOERR_AUTH);
}

int LockedError() {
  return Note(Errc::kLocked, "the store is locked; unlock it first", SQLITE_IOERR);
}

std::string PageFailure(const EncryptedVfs::Impl* impl, std::uint32_t pgno) {
  return "page " + std::to_string(pgno) + " of " + impl->db_file_name +
         " failed authentication: the file was altered or damaged";
}

bool AllZero(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// Page 1 carries the database header; refuse to write one whose reserve is not ours (the
// nonce and tag would overwrite the page's content).
bool HeaderIsOurs(const std::uint8_t* page1) {
  return page1[16] == (kPageSize >> 8) && page1[17] == (kPageSize & 0xff) &&
         page1[20] == kPageReserve;
}

// ---- main database file ----

int MainRead(EncFile* f, std::uint8_t* out, int amt, sqlite3_int64 off) {
  EncryptedVfs::Impl* impl = ImplOf(f);
  std::shared_lock key_lock(impl->key_mu);
  if (impl->locked) return LockedError();
  const sqlite3_int64 end = off + amt;
  std::uint8_t page[kPageSize];
  bool short_read = false;
  for (sqlite3_int64 page_off = (off / kPageSize) * kPageSize; page_off < end;
       page_off += kPageSize) {
    const auto pgno = static_cast<std::uint32_t>(page_off / kPageSize + 1);
    const sqlite3_int64 from = std::max(off, page_off);
    const sqlite3_int64 to = std::min(end, page_off + kPageSize);
    const bool whole = from == page_off && to == page_off + kPageSize;
    std::uint8_t* buf = whole ? out + (page_off - off) : page;
    const int rc = f->real->pMethods->xRead(f->real, buf, kPageSize, page_off);
    if (rc == SQLITE_IOERR_SHORT_READ) {
      if (!AllZero(buf, kPageSize)) {
        return Tampered(impl, Errc::kTampered,
                        "page " + std::to_string(pgno) + " of " + impl->db_file_name +
                            " is cut short: the file was truncated or damaged");
      }
      std::memset(out + (from - off), 0, static_cast<std::size_t>(to - from));
      short_read = true;
      continue;
    }
    if (rc != SQLITE_OK) return rc;
    // Checked before decryption, which zeroes the buffer when it fails.
    if (pgno == 1 && std::memcmp(buf, "SQLite format 3", 16) == 0) {
      return Tampered(impl, Errc::kNotAStore,
                      impl->db_file_name + " is a plain SQLite file, not an encrypted store");
    }
    Tag tag;
    std::memcpy(tag.data(), buf + kUsable, kTagSize);  // OpenPage zeroes the reserved bytes
    if (!OpenPage(impl, buf, DbPageAd(impl->file_id, pgno))) {
      return Tampered(impl, Errc::kTampered, PageFailure(impl, pgno));
    }
    // The ledger is checked on whole-page reads, which is how SQLite reads every page it
    // uses. Partial reads are its header probes of page 1 (change counter, schema cookie),
    // made from the database file even when the WAL holds a newer page 1; after a crash in
    // the middle of a checkpoint that page can be newer than the ledger (docs/STORAGE.md).
    if (whole && !impl->TagIsCurrent(pgno, tag.data())) {
      return Tampered(impl, Errc::kTampered,
                      "page " + std::to_string(pgno) + " of " + impl->db_file_name +
                          " is an older copy than the store last wrote: the file was altered "
                          "(a page was put back)");
    }
    if (!whole)
      std::memcpy(out + (from - off), page + (from - page_off),
                  static_cast<std::size_t>(to - from));
  }
  return short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

int MainWrite(EncFile* f, const std::uint8_t* in, int amt, sqlite3_int64 off) {
  EncryptedVfs::Impl* impl = ImplOf(f);
  std::shared_lock key_lock(impl->key_mu);
  if (impl->locked) return LockedError();
  if (off % kPageSize != 0 || amt % kPageSize != 0) {
    return Note(Errc::kInternal,
                impl->db_file_name + ": a write that is not whole pages was refused",
                SQLITE_IOERR_WRITE);
  }
  std::uint8_t sealed[kPageSize];
  for (int done = 0; done < amt; done += kPageSize) {
    const sqlite3_int64 page_off = off + done;
    const auto pgno = static_cast<std::uint32_t>(page_off / kPageSize + 1);
    if (pgno == 1 && !HeaderIsOurs(in + done)) {
      return Note(Errc::kInternal,
                  impl->db_file_name + ": page 1 without 40 reserved bytes was refused",
                  SQLITE_IOERR_WRITE);
    }
    SealPage(impl, in + done, sealed, DbPageAd(impl->file_id, pgno));
    const int rc = f->real->pMethods->xWrite(f->real, sealed, kPageSize, page_off);
    if (rc != SQLITE_OK) return rc;
    impl->RecordTag(pgno, sealed + kUsable);
  }
  return SQLITE_OK;
}

// ---- write-ahead log ----
// Layout: 32-byte header, then frames of (24-byte header, 4096-byte page). Headers are clear.

struct WalPiece {
  sqlite3_int64 from, to;  // file offsets
  bool page;               // inside a frame's page image
  sqlite3_int64 frame_start;
  std::uint32_t frame_index;
};

WalPiece NextWalPiece(sqlite3_int64 pos, sqlite3_int64 end) {
  if (pos < kWalHeaderSize) return {pos, std::min(end, kWalHeaderSize), false, 0, 0};
  const sqlite3_int64 rel = pos - kWalHeaderSize;
  const sqlite3_int64 index = rel / kFrameSize;
  const sqlite3_int64 start = kWalHeaderSize + index * kFrameSize;
  const auto frame_index = static_cast<std::uint32_t>(index);
  if (pos < start + kFrameHeaderSize) {
    return {pos, std::min(end, start + kFrameHeaderSize), false, start, frame_index};
  }
  return {pos, std::min(end, start + kFrameSize), true, start, frame_index};
}

// The salts of the log generation, from the WAL header (bytes 16..24). Read from the file on
// each call that needs them: another connection may have restarted the log since.
bool ReadWalSalts(EncFile* f, std::uint8_t salts[8]) {
  return f->real->pMethods->xRead(f->real, salts, 8, 16) == SQLITE_OK;
}

// True when a frame after `frame_start` carries this log's salts (from the WAL header) and
// authenticates: then the frame at `frame_start` was not the log's torn tail.
bool LaterFrameOfThisLogAuthenticates(EncFile* f, sqlite3_int64 frame_start) {
  EncryptedVfs::Impl* impl = ImplOf(f);
  std::uint8_t header[kWalHeaderSize];
  if (f->real->pMethods->xRead(f->real, header, kWalHeaderSize, 0) != SQLITE_OK) return false;
  sqlite3_int64 size = 0;
  if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK) return false;
  std::uint8_t frame[kFrameSize];
  for (sqlite3_int64 start = frame_start + kFrameSize; start + kFrameSize <= size;
       start += kFrameSize) {
    if (f->real->pMethods->xRead(f->real, frame, kFrameSize, start) != SQLITE_OK) return false;
    if (std::memcmp(frame + 8, header + 16, 8) != 0) continue;  // an older log's leftover
    const auto index = static_cast<std::uint32_t>((start - kWalHeaderSize) / kFrameSize);
    if (OpenPage(impl, frame + kFrameHeaderSize,
                 WalPageAd(impl->file_id, frame, header + 16, index))) {
      return true;
    }
  }
  return false;
}

int WalRead(EncFile* f, std::uint8_t* out, int amt, sqlite3_int64 off) {
  EncryptedVfs::Impl* impl = ImplOf(f);
  const sqlite3_int64 end = off + amt;
  std::uint8_t frame[kFrameSize];
  bool short_read = false;
  for (sqlite3_int64 pos = off; pos < end;) {
    const WalPiece piece = NextWalPiece(pos, end);
    std::uint8_t* dst = out + (piece.from - off);
    const auto len = static_cast<int>(piece.to - piece.from);
    if (!piece.page) {
      const int rc = f->real->pMethods->xRead(f->real, dst, len, piece.from);
      if (rc == SQLITE_IOERR_SHORT_READ)
        short_read = true;
      else if (rc != SQLITE_OK)
        return rc;
      pos = piece.to;
      continue;
    }
    std::shared_lock key_lock(impl->key_mu);
    if (impl->locked) return LockedError();
    const int rc = f->real->pMethods->xRead(f->real, frame, kFrameSize, piece.frame_start);
    if (rc == SQLITE_IOERR_SHORT_READ) {
      // A frame cut short is a torn append after a crash: SQLite's checksums reject it.
      std::memset(dst, 0, static_cast<std::size_t>(len));
      short_read = true;
      pos = piece.to;
      continue;
    }
    if (rc != SQLITE_OK) return rc;
    std::uint8_t* page = frame + kFrameHeaderSize;
    std::uint8_t salts[8];
    if (!ReadWalSalts(f, salts)) std::memset(salts, 0, sizeof salts);  // then the page fails below
    if (!OpenPage(impl, page, WalPageAd(impl->file_id, frame, salts, piece.frame_index))) {
      // Only recovery reads whole frames. There a frame that does not authenticate is either
      // the torn tail of a crashed write (legitimate: SQLite's checksum rejects the zeroes we
      // return and recovery stops there) or an altered frame before later committed frames.
      if (off <= piece.frame_start && !LaterFrameOfThisLogAuthenticates(f, piece.frame_start)) {
        std::memset(dst, 0, static_cast<std::size_t>(len));
      } else {
        return Tampered(impl, Errc::kTampered,
                        "page " + std::to_string(GetBe32(frame)) + " in frame " +
                            std::to_string(piece.frame_index + 1) + " of " + impl->db_file_name +
                            "-wal failed authentication: the file was altered or damaged");
      }
    } else {
      std::memcpy(dst, page + (piece.from - piece.frame_start - kFrameHeaderSize),
                  static_cast<std::size_t>(len));
    }
    pos = piece.to;
  }
  return short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

int WalWrite(EncFile* f, const std::uint8_t* in, int amt, sqlite3_int64 off) {
  EncryptedVfs::Impl* impl = ImplOf(f);
  const sqlite3_int64 end = off + amt;
  for (sqlite3_int64 pos = off; pos < end;) {
    const WalPiece piece = NextWalPiece(pos, end);
    const std::uint8_t* src = in + (piece.from - off);
    const auto len = static_cast<int>(piece.to - piece.from);
    if (!piece.page) {
      const int rc = f->real->pMethods->xWrite(f->real, src, len, piece.from);
      if (rc != SQLITE_OK) return rc;
      if (piece.from == 0 && len == kWalHeaderSize) {
        // A new log generation (SQLite writes the header only when it starts the log). The
        // header is synced and the ledger records its salts before any frame of this log is
        // written, so a log whose generation the ledger does not name holds no frame the store
        // committed (docs/STORAGE.md, "Rollback of the log").
        const int synced = f->real->pMethods->xSync(f->real, SQLITE_SYNC_NORMAL);
        if (synced != SQLITE_OK) return synced;
        std::shared_lock key_lock(impl->key_mu);
        if (impl->locked) return LockedError();
        std::lock_guard lock(impl->ledger_mu);
        Result<void> saved = impl->StartWalGenerationLocked(src + 16);
        if (!saved.ok()) return Note(saved.error().code, saved.error().message, SQLITE_IOERR_WRITE);
      }
      if (piece.frame_start > 0 && piece.from == piece.frame_start && len == kFrameHeaderSize) {
        f->last_header_offset = piece.frame_start;
        std::memcpy(f->last_header, src, kFrameHeaderSize);
      }
      pos = piece.to;
      continue;
    }
    if (piece.from != piece.frame_start + kFrameHeaderSize || len != kPageSize) {
      return Note(Errc::kInternal,
                  impl->db_file_name + "-wal: a write of part of a page image was refused",
                  SQLITE_IOERR_WRITE);
    }
    std::uint8_t header[kFrameHeaderSize];
    if (f->last_header_offset == piece.frame_start) {
      std::memcpy(header, f->last_header, kFrameHeaderSize);
    } else {
      const int rc = f->real->pMethods->xRead(f->real, header, kFrameHeaderSize, piece.frame_start);
      if (rc != SQLITE_OK) {
        return Note(Errc::kInternal,
                    impl->db_file_name + "-wal: a page image was written before its frame header",
                    SQLITE_IOERR_WRITE);
      }
    }
    const std::uint32_t pgno = GetBe32(header);
    std::shared_lock key_lock(impl->key_mu);
    if (impl->locked) return LockedError();
    if (pgno == 1 && !HeaderIsOurs(src)) {
      return Note(Errc::kInternal,
                  impl->db_file_name + ": page 1 without 40 reserved bytes was refused",
                  SQLITE_IOERR_WRITE);
    }
    if (!AllZero(src + kUsable, kPageReserve)) {
      // Its frame checksum (already written) covers bytes a read cannot give back: after a
      // crash, recovery would drop this frame and every later one. Refuse instead.
      return Note(Errc::kInternal,
                  impl->db_file_name + "-wal: page " + std::to_string(pgno) +
                      " has data in its reserved bytes; refused",
                  SQLITE_IOERR_WRITE);
    }
    std::uint8_t salts[8];
    if (!ReadWalSalts(f, salts)) {
      return Note(Errc::kInternal,
                  impl->db_file_name + "-wal: a page image was written before the log header",
                  SQLITE_IOERR_WRITE);
    }
    std::uint8_t sealed[kPageSize];
    SealPage(impl, src, sealed, WalPageAd(impl->file_id, header, salts, piece.frame_index));
    const int rc = f->real->pMethods->xWrite(f->real, sealed, kPageSize, piece.from);
    if (rc != SQLITE_OK) return rc;
    pos = piece.to;
  }
  return SQLITE_OK;
}

// ---- sqlite3_io_methods ----

int IoClose(sqlite3_file* file) {
  auto* f = reinterpret_cast<EncFile*>(file);
  int rc = SQLITE_OK;
  if (f->kind == FileKind::kMemory) {
    delete f->memory;
  } else {
    if (f->kind == FileKind::kMainDb) {
      EncryptedVfs::Impl* impl = ImplOf(f);
      std::shared_lock key_lock(impl->key_mu);
      std::lock_guard lock(impl->ledger_mu);
      if (impl->ledger_dirty && !impl->locked) (void)impl->PersistLedgerLocked();
    }
    rc = f->real->pMethods->xClose(f->real);
  }
  delete f->vfs;
  f->vfs = nullptr;
  return rc;
}

int IoRead(sqlite3_file* file, void* buf, int amt, sqlite3_int64 off) {
  auto* f = reinterpret_cast<EncFile*>(file);
  auto* out = static_cast<std::uint8_t*>(buf);
  switch (f->kind) {
    case FileKind::kMainDb:
      return MainRead(f, out, amt, off);
    case FileKind::kWal:
      return WalRead(f, out, amt, off);
    case FileKind::kMemory: {
      const auto size = static_cast<sqlite3_int64>(f->memory->size());
      const sqlite3_int64 have = std::clamp<sqlite3_int64>(size - off, 0, amt);
      if (have > 0) std::memcpy(out, f->memory->data() + off, static_cast<std::size_t>(have));
      if (have < amt) {
        std::memset(out + have, 0, static_cast<std::size_t>(amt - have));
        return SQLITE_IOERR_SHORT_READ;
      }
      return SQLITE_OK;
    }
  }
  return SQLITE_IOERR_READ;
}

int IoWrite(sqlite3_file* file, const void* buf, int amt, sqlite3_int64 off) {
  auto* f = reinterpret_cast<EncFile*>(file);
  const auto* in = static_cast<const std::uint8_t*>(buf);
  switch (f->kind) {
    case FileKind::kMainDb:
      return MainWrite(f, in, amt, off);
    case FileKind::kWal:
      return WalWrite(f, in, amt, off);
    case FileKind::kMemory: {
      const auto need = static_cast<std::size_t>(off + amt);
      if (f->memory->size() < need) f->memory->resize(need, 0);
      std::memcpy(f->memory->data() + off, in, static_cast<std::size_t>(amt));
      return SQLITE_OK;
    }
  }
  return SQLITE_IOERR_WRITE;
}

int IoTruncate(sqlite3_file* file, sqlite3_int64 size) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind == FileKind::kMemory) {
    if (static_cast<std::size_t>(size) < f->memory->size())
      f->memory->resize(static_cast<std::size_t>(size));
    return SQLITE_OK;
  }
  if (f->kind == FileKind::kMainDb) {
    if (size % kPageSize != 0) return SQLITE_IOERR_TRUNCATE;
    ImplOf(f)->TruncateLedger(size);
  }
  f->last_header_offset = -1;
  return f->real->pMethods->xTruncate(f->real, size);
}

int IoSync(sqlite3_file* file, int flags) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind == FileKind::kMemory) return SQLITE_OK;
  EncryptedVfs::Impl* impl = ImplOf(f);
  if (f->kind == FileKind::kWal) {
    // Reads SQLite's committed frame count before the sync, which then covers those frames.
    const std::uint64_t committed = impl->CommittedWalFrames();
    const int rc = f->real->pMethods->xSync(f->real, flags);
    if (rc == SQLITE_OK) impl->NoteWalSynced(committed);
    return rc;
  }
  const int rc = f->real->pMethods->xSync(f->real, flags);
  if (rc != SQLITE_OK) return rc;
  // The database file is durable; now make the ledger match it, before SQLite records the
  // checkpoint as done and may reset the WAL. It also records how much of the log was
  // committed and synced by then: a later log shorter than that was cut.
  std::lock_guard lock(impl->ledger_mu);
  if (impl->wal_known && impl->wal_synced_frames > impl->wal_durable_frames) {
    impl->wal_durable_frames = impl->wal_synced_frames;
    impl->ledger_dirty = true;
  }
  if (!impl->ledger_dirty) return SQLITE_OK;
  Result<void> saved = impl->PersistLedgerLocked();
  if (!saved.ok()) return Note(saved.error().code, saved.error().message, SQLITE_IOERR_FSYNC);
  return SQLITE_OK;
}

int IoFileSize(sqlite3_file* file, sqlite3_int64* size) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind == FileKind::kMemory) {
    *size = static_cast<sqlite3_int64>(f->memory->size());
    return SQLITE_OK;
  }
  return f->real->pMethods->xFileSize(f->real, size);
}

int IoLock(sqlite3_file* file, int level) {
  auto* f = reinterpret_cast<EncFile*>(file);
  return f->kind == FileKind::kMemory ? SQLITE_OK : f->real->pMethods->xLock(f->real, level);
}
int IoUnlock(sqlite3_file* file, int level) {
  auto* f = reinterpret_cast<EncFile*>(file);
  return f->kind == FileKind::kMemory ? SQLITE_OK : f->real->pMethods->xUnlock(f->real, level);
}
int IoCheckReservedLock(sqlite3_file* file, int* out) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind == FileKind::kMemory) {
    *out = 0;
    return SQLITE_OK;
  }
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}

int IoFileControl(sqlite3_file* file, int op, void* arg) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind == FileKind::kMemory) return SQLITE_NOTFOUND;
  if (op == SQLITE_FCNTL_MMAP_SIZE) {
    // Memory-mapped reads would bypass decryption: mmap stays off.
    if (arg != nullptr) *static_cast<sqlite3_int64*>(arg) = 0;
    return SQLITE_OK;
  }
  if (op == SQLITE_FCNTL_VFSNAME && arg != nullptr) {
    *static_cast<char**>(arg) = sqlite3_mprintf("%s", ImplOf(f)->vfs.zName);
    return SQLITE_OK;
  }
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int IoSectorSize(sqlite3_file* file) {
  auto* f = reinterpret_cast<EncFile*>(file);
  return f->kind == FileKind::kMemory ? 4096 : f->real->pMethods->xSectorSize(f->real);
}

int IoDeviceCharacteristics(sqlite3_file* file) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind == FileKind::kMemory)
    return SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_POWERSAFE_OVERWRITE;
  const int caps = f->real->pMethods->xDeviceCharacteristics(f->real);
  // Page writes are whole-page rewrites with fresh nonces; never promise atomic batches.
  return caps & ~(SQLITE_IOCAP_BATCH_ATOMIC | SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_ATOMIC512 |
                  SQLITE_IOCAP_ATOMIC1K | SQLITE_IOCAP_ATOMIC2K | SQLITE_IOCAP_ATOMIC4K |
                  SQLITE_IOCAP_ATOMIC8K | SQLITE_IOCAP_ATOMIC16K | SQLITE_IOCAP_ATOMIC32K |
                  SQLITE_IOCAP_ATOMIC64K);
}

int IoShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind != FileKind::kMainDb) return SQLITE_IOERR_SHMMAP;
  return f->real->pMethods->xShmMap(f->real, region, size, extend, out);
}
int IoShmLock(sqlite3_file* file, int offset, int n, int flags) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind != FileKind::kMainDb) return SQLITE_IOERR_SHMLOCK;
  return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}
void IoShmBarrier(sqlite3_file* file) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind == FileKind::kMainDb) f->real->pMethods->xShmBarrier(f->real);
}
int IoShmUnmap(sqlite3_file* file, int delete_flag) {
  auto* f = reinterpret_cast<EncFile*>(file);
  if (f->kind != FileKind::kMainDb) return SQLITE_OK;
  return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

// Version 2: shared memory for WAL, no xFetch, so SQLite never memory-maps pages.
const sqlite3_io_methods kIoMethods = {
    2,
    IoClose,
    IoRead,
    IoWrite,
    IoTruncate,
    IoSync,
    IoFileSize,
    IoLock,
    IoUnlock,
    IoCheckReservedLock,
    IoFileControl,
    IoSectorSize,
    IoDeviceCharacteristics,
    IoShmMap,
    IoShmLock,
    IoShmBarrier,
    IoShmUnmap,
    nullptr,
    nullptr,
};

// ---- sqlite3_vfs ----

EncryptedVfs::Impl* ImplOfVfs(sqlite3_vfs* vfs) {
  return static_cast<EncryptedVfs::Impl*>(vfs->pAppData);
}

int VfsOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  EncryptedVfs::Impl* impl = ImplOfVfs(vfs);
  auto* f = reinterpret_cast<EncFile*>(file);
  std::memset(f, 0, sizeof(EncFile));
  f->last_header_offset = -1;
  const int kind_flags = flags;
  if (kind_flags & (SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_TRANSIENT_DB |
                    SQLITE_OPEN_SUBJOURNAL)) {
    f->kind = FileKind::kMemory;
    f->memory = new (std::nothrow) std::vector<std::uint8_t>();
    if (f->memory == nullptr) return SQLITE_NOMEM;
    f->vfs = new (std::nothrow) std::shared_ptr<EncryptedVfs>(impl->owner->shared_from_this());
    if (f->vfs == nullptr) {
      delete f->memory;
      return SQLITE_NOMEM;
    }
    ++impl->memory_files_opened;
    if (out_flags != nullptr) *out_flags = flags;
    f->base.pMethods = &kIoMethods;
    return SQLITE_OK;
  }
  if (kind_flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL)) {
    ++impl->journals_refused;
    return Note(
        Errc::kInternal,
        impl->db_file_name + ": a rollback journal was refused (the store runs in WAL mode)",
        SQLITE_CANTOPEN);
  }
  if (!(kind_flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) || name == nullptr) {
    return Note(Errc::kInternal, impl->db_file_name + ": an unexpected file kind was refused",
                SQLITE_CANTOPEN);
  }
  const bool wal = (kind_flags & SQLITE_OPEN_WAL) != 0;
  std::error_code ec;
  const std::string canonical = std::filesystem::weakly_canonical(name, ec).string();
  if (ec || canonical != (wal ? impl->db_path + "-wal" : impl->db_path)) {
    return Note(Errc::kInternal, "the store's VFS serves only " + impl->db_file_name,
                SQLITE_CANTOPEN);
  }
  {
    std::shared_lock key_lock(impl->key_mu);
    if (impl->locked) {
      NoteVfsFailure(MakeError(Errc::kLocked, "the store is locked; unlock it first"));
      return SQLITE_CANTOPEN;
    }
  }
  f->kind = wal ? FileKind::kWal : FileKind::kMainDb;
  f->real =
      reinterpret_cast<sqlite3_file*>(reinterpret_cast<std::uint8_t*>(file) + sizeof(EncFile));
  const int rc = impl->root->xOpen(impl->root, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    return rc;
  }
  f->vfs = new (std::nothrow) std::shared_ptr<EncryptedVfs>(impl->owner->shared_from_this());
  if (f->vfs == nullptr) {
    f->real->pMethods->xClose(f->real);
    return SQLITE_NOMEM;
  }
  f->base.pMethods = &kIoMethods;
  return SQLITE_OK;
}

int VfsDelete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xDelete(root, name, sync_dir);
}
int VfsAccess(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xAccess(root, name, flags, out);
}
int VfsFullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xFullPathname(root, name, n, out);
}
void* VfsDlOpen(sqlite3_vfs* vfs, const char* name) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xDlOpen(root, name);
}
void VfsDlError(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  root->xDlError(root, n, out);
}
void (*VfsDlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xDlSym(root, handle, symbol);
}
void VfsDlClose(sqlite3_vfs* vfs, void* handle) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  root->xDlClose(root, handle);
}
int VfsRandomness(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs;
  randombytes_buf(out, static_cast<std::size_t>(n));
  return n;
}
int VfsSleep(sqlite3_vfs* vfs, int micros) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xSleep(root, micros);
}
int VfsCurrentTime(sqlite3_vfs* vfs, double* out) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xCurrentTime(root, out);
}
int VfsGetLastError(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  return root->xGetLastError != nullptr ? root->xGetLastError(root, n, out) : 0;
}
int VfsCurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  sqlite3_vfs* root = ImplOfVfs(vfs)->root;
  if (root->iVersion >= 2 && root->xCurrentTimeInt64 != nullptr)
    return root->xCurrentTimeInt64(root, out);
  double now = 0;
  const int rc = root->xCurrentTime(root, &now);
  *out = static_cast<sqlite3_int64>(now * 86400000.0);
  return rc;
}

}  // namespace

// ---------------------------------------------------------------------------------------

Result<std::shared_ptr<EncryptedVfs>> EncryptedVfs::Register(const std::string& db_path,
                                                             const FileId& file_id,
                                                             SecretBytes page_key,
                                                             SecretBytes ledger_key,
                                                             LedgerMode mode) {
  LV_TRY(EnsureSodium());
  LV_TRY(InitializeSqlite());
  sqlite3_vfs* root = sqlite3_vfs_find(nullptr);
  if (root == nullptr) return MakeError(Errc::kInternal, "SQLite has no default VFS");
  if (page_key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES || ledger_key.size() != 32) {
    return MakeError(Errc::kInternal, "encrypting VFS: keys of the wrong size");
  }
  std::shared_ptr<EncryptedVfs> self(new EncryptedVfs());
  self->impl_ = std::make_unique<Impl>();
  Impl* impl = self->impl_.get();
  std::error_code ec;
  impl->db_path = std::filesystem::weakly_canonical(db_path, ec).string();
  if (ec) return MakeError(Errc::kIo, "resolving " + db_path + ": " + ec.message());
  impl->db_file_name = std::filesystem::path(impl->db_path).filename().string();
  impl->root = root;
  impl->owner = self.get();
  impl->file_id = file_id;
  impl->page_key = std::move(page_key);
  impl->ledger_key = std::move(ledger_key);
  if (mode == LedgerMode::kLoad) {
    std::lock_guard lock(impl->ledger_mu);
    LV_TRY(impl->LoadLedgerLocked());
  } else {
    impl->ledger_dirty = true;
  }
  self->db_path_ = impl->db_path;
  self->name_ = "lv-enc-" + std::to_string(++g_vfs_counter);
  sqlite3_vfs& v = impl->vfs;
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(EncFile)) + root->szOsFile;
  v.mxPathname = root->mxPathname;
  v.zName = self->name_.c_str();
  v.pAppData = impl;
  v.xOpen = VfsOpen;
  v.xDelete = VfsDelete;
  v.xAccess = VfsAccess;
  v.xFullPathname = VfsFullPathname;
  v.xDlOpen = VfsDlOpen;
  v.xDlError = VfsDlError;
  v.xDlSym = VfsDlSym;
  v.xDlClose = VfsDlClose;
  v.xRandomness = VfsRandomness;
  v.xSleep = VfsSleep;
  v.xCurrentTime = VfsCurrentTime;
  v.xGetLastError = VfsGetLastError;
  v.xCurrentTimeInt64 = VfsCurrentTimeInt64;
  if (sqlite3_vfs_register(&v, 0) != SQLITE_OK) {
    return MakeError(Errc::kInternal, "encrypting VFS could not be registered");
  }
  return self;
}

EncryptedVfs::~EncryptedVfs() {
  Lock();
}

void EncryptedVfs::Lock() {
  if (!impl_) return;
  std::unique_lock key_lock(impl_->key_mu);
  if (impl_->locked) return;
  {
    std::lock_guard lock(impl_->ledger_mu);
    if (impl_->ledger_dirty) (void)impl_->PersistLedgerLocked();
    impl_->ledger_key.Wipe();
    impl_->tags.clear();
  }
  impl_->page_key.Wipe();
  impl_->locked = true;
  sqlite3_vfs_unregister(&impl_->vfs);
}

bool EncryptedVfs::locked() const {
  std::shared_lock key_lock(impl_->key_mu);
  return impl_->locked;
}

Result<void> EncryptedVfs::FlushLedger() {
  std::shared_lock key_lock(impl_->key_mu);
  if (impl_->locked) return MakeError(Errc::kLocked, "the store is locked; unlock it first");
  std::lock_guard lock(impl_->ledger_mu);
  if (!impl_->ledger_dirty) return Ok();
  return impl_->PersistLedgerLocked();
}

Result<void> EncryptedVfs::VerifyWal() {
  return impl_->VerifyWal();
}

Result<FileCheck> EncryptedVfs::CheckFiles() {
  return impl_->CheckFiles();
}

Result<PlaintextCount> EncryptedVfs::CountPlaintext(std::string_view needle) {
  return impl_->CountPlaintext(needle);
}

std::optional<Error> EncryptedVfs::TakeTamperEvent() {
  std::lock_guard lock(impl_->event_mu);
  if (!impl_->has_tamper_event) return std::nullopt;
  impl_->has_tamper_event = false;
  return std::move(impl_->tamper_event);
}

VfsStats EncryptedVfs::stats() const {
  VfsStats s;
  s.pages_encrypted = impl_->pages_encrypted.load();
  s.pages_decrypted = impl_->pages_decrypted.load();
  s.memory_files_opened = impl_->memory_files_opened.load();
  s.journals_refused = impl_->journals_refused.load();
  s.ledger_writes = impl_->ledger_writes.load();
  return s;
}

}  // namespace lietvedis::storage
