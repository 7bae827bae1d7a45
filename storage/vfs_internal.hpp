// Internals of the encrypting VFS shared by its two source files: encrypted_vfs.cpp (the
// sqlite3_io_methods and sqlite3_vfs callbacks) and page_ledger.cpp (the page ledger, the log
// generation it records, and the whole-file checks of store.db and store.db-wal). Not part of
// storage/'s interface: include only from those files.
//
// Threading: EncryptedVfs::Impl is shared by every connection of one store. `key_mu` guards
// the page key (shared for page work, exclusive for Lock()); `ledger_mu` guards the ledger
// and the log-generation fields below it. Lock order: key_mu, then ledger_mu.
#pragma once

#include <sodium.h>
#include <sqlite3.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "storage/encrypted_vfs.hpp"

namespace lietvedis::storage::vfs_detail {

constexpr int kUsable = kPageSize - kPageReserve;  // 4056 bytes of ciphertext per page
constexpr int kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr int kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
static_assert(kTagSize + kNonceSize == kPageReserve);
constexpr sqlite3_int64 kWalHeaderSize = 32;
constexpr sqlite3_int64 kFrameHeaderSize = 24;
constexpr sqlite3_int64 kFrameSize = kFrameHeaderSize + kPageSize;
constexpr std::size_t kWalSaltSize = 8;
using Tag = std::array<std::uint8_t, kTagSize>;
using WalSalts = std::array<std::uint8_t, kWalSaltSize>;

inline std::uint32_t GetBe32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
inline std::uint32_t GetLe32(const std::uint8_t* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
         std::uint32_t{p[0]};
}
inline void PutBe32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
inline void PutLe64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline std::uint64_t GetLe64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Associated data: file identity | kind | page number [| salts | frame index].
struct Ad {
  std::uint8_t bytes[kFileIdSize + 1 + 4 + 8 + 4];
  std::size_t size;
};

inline Ad DbPageAd(const FileId& id, std::uint32_t pgno) {
  Ad ad{};
  std::memcpy(ad.bytes, id.data(), kFileIdSize);
  ad.bytes[kFileIdSize] = 'D';
  PutBe32(ad.bytes + kFileIdSize + 1, pgno);
  ad.size = kFileIdSize + 1 + 4;
  return ad;
}

// The salts come from the WAL header, not the frame header: after SQLite rewrites a spilled
// frame in place within a transaction, it writes the later frames of that transaction with
// zeroed salts and checksums and fills them in only at the commit (wal.c, iReCksum), so a
// frame header's salts can change after its page was sealed. The WAL header's salts name the
// log generation and do not change while its frames are written.
inline Ad WalPageAd(const FileId& id, const std::uint8_t* frame_header,
                    const std::uint8_t* wal_salts, std::uint32_t frame_index) {
  Ad ad{};
  std::memcpy(ad.bytes, id.data(), kFileIdSize);
  ad.bytes[kFileIdSize] = 'W';
  std::memcpy(ad.bytes + kFileIdSize + 1, frame_header, 4);  // page number
  std::memcpy(ad.bytes + kFileIdSize + 5, wal_salts, 8);     // salt-1, salt-2 of the log
  PutBe32(ad.bytes + kFileIdSize + 13, frame_index);
  ad.size = sizeof(ad.bytes);
  return ad;
}

}  // namespace lietvedis::storage::vfs_detail

namespace lietvedis::storage {

// Shared state of one store's VFS.
struct EncryptedVfs::Impl {
  sqlite3_vfs vfs{};
  sqlite3_vfs* root = nullptr;
  EncryptedVfs* owner = nullptr;
  FileId file_id{};
  std::string db_path;       // canonical
  std::string db_file_name;  // "store.db", for messages

  mutable std::shared_mutex key_mu;  // shared for page work, exclusive for Lock()
  SecretBytes page_key;
  bool locked = false;

  std::mutex ledger_mu;
  SecretBytes ledger_key;
  std::vector<vfs_detail::Tag> tags;  // index = page number - 1
  std::uint64_t generation = 0;
  bool ledger_dirty = false;
  // The log generation the ledger vouches for (page_ledger.cpp): the salts of the WAL header
  // SQLite last wrote, and how many frames of that log were committed and synced before the
  // ledger was last written. `wal_known` is false for a ledger of format 1 and for a new
  // store until its first log header. `wal_synced_frames` is SQLite's committed frame count
  // (its wal-index header) at the last sync of the log, not yet in the ledger.
  bool wal_known = false;
  vfs_detail::WalSalts wal_salts{};
  std::uint64_t wal_durable_frames = 0;
  std::uint64_t wal_synced_frames = 0;

  std::mutex event_mu;
  bool has_tamper_event = false;
  Error tamper_event;

  std::atomic<std::uint64_t> pages_encrypted{0};
  std::atomic<std::uint64_t> pages_decrypted{0};
  std::atomic<std::uint64_t> memory_files_opened{0};
  std::atomic<std::uint64_t> journals_refused{0};
  std::atomic<std::uint64_t> ledger_writes{0};

  std::string LedgerPath() const { return db_path + ".ledger"; }
  std::string WalPath() const { return db_path + "-wal"; }

  // ---- page_ledger.cpp; "Locked" functions need ledger_mu held ----
  std::vector<std::uint8_t> SerialiseLedger() const;
  Result<void> PersistLedgerLocked();
  Result<void> LoadLedgerLocked();
  void RecordTag(std::uint32_t pgno, const std::uint8_t* tag);
  void TruncateLedger(sqlite3_int64 size);
  // True when `tag` is the ledger's current tag for `pgno`. When it is not and this process
  // has no unsaved ledger changes, the ledger is reloaded once: another process may have
  // checkpointed since.
  bool TagIsCurrent(std::uint32_t pgno, const std::uint8_t* tag);
  // SQLite wrote a new WAL header (a new log generation, `salts`): record it and write the
  // ledger before the first frame of that log is written.
  Result<void> StartWalGenerationLocked(const std::uint8_t* salts);
  // SQLite's committed frame count of the current log generation, from its wal-index header
  // (the -shm file); 0 when unknown. Read before a sync of the log, which then covers them.
  std::uint64_t CommittedWalFrames();
  // The log was synced with `committed_frames` committed: the ledger's next write records it.
  void NoteWalSynced(std::uint64_t committed_frames);
  // Checks store.db-wal against the ledger before SQLite opens the database (which would run
  // WAL recovery and serve the log's pages): a log of another generation, a frame that fails
  // authentication before later frames of its log, or a log cut below the frames the ledger
  // knows were committed is kTampered. Nothing is written. Called with ledger_mu not held.
  Result<void> VerifyWal();
  // EncryptedVfs::CheckFiles.
  Result<FileCheck> CheckFiles();
  // EncryptedVfs::CountPlaintext.
  Result<PlaintextCount> CountPlaintext(std::string_view needle);
};

namespace vfs_detail {

// Encrypts `plain` (kPageSize bytes, reserved tail ignored) into `out` under `ad`.
void SealPage(EncryptedVfs::Impl* impl, const std::uint8_t* plain, std::uint8_t* out, const Ad& ad);
// Decrypts a page in place. False when authentication fails. Caller holds key_mu (shared).
bool OpenPage(EncryptedVfs::Impl* impl, std::uint8_t* page, const Ad& ad);

}  // namespace vfs_detail

}  // namespace lietvedis::storage
