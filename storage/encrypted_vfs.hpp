// EncryptedVfs: an SQLite VFS shim that encrypts every page of one store's database file and
// every page image in its write-ahead log, and checks each page read against a page ledger.
//
// Page format (page size fixed at 4096, reserve bytes fixed at 40):
//   [0, 4056)     ciphertext of the page's usable bytes
//   [4056, 4072)  Poly1305 tag
//   [4072, 4096)  24-byte XChaCha20 nonce, fresh from randombytes_buf for every write
// SQLite never looks at a page's reserved bytes, so the nonce and tag live there (the
// reserved-bytes pattern of SQLite's cksumvfs). The database must be created with reserve 40
// (Store does so with SQLITE_FCNTL_RESERVE_BYTES before the first write); a page 1 whose
// header says otherwise is refused rather than overwritten.
//
// Associated data binds what a page may not change without detection:
//   database page: file identity (16 random bytes from keys.lvk) | 'D' | page number
//   WAL page image: file identity | 'W' | page number | salt-1 | salt-2 | frame index, the
//                   page number from the frame header and the salts from the WAL header
//                   (a spilled transaction's frame headers get their salts only at commit)
// so a page moved to another position, another store or another WAL generation fails to open.
// The WAL header, frame headers and the -shm index pass through in the clear: they hold page
// numbers, sizes, salts and checksums, never content.
//
// Rollback of the log: the ledger also names the current WAL generation (its salts) and how many
// of its frames were committed and synced; VerifyWal checks the log against it before SQLite
// opens the database (page_ledger.cpp, docs/STORAGE.md "Rollback of the log").
//
// Replay: the ledger (file "<db>.ledger" beside the database, MAC'd with a key derived from the
// database key) holds every database page's current tag. It is updated in memory on each page
// write and persisted atomically when SQLite syncs the database file (the end of a checkpoint,
// before the WAL may be reset). A read whose tag differs from the ledger is an older copy put
// back: kTampered. See docs/STORAGE.md for why a crash between the two is safe and for what
// the ledger cannot detect.
//
// Rollback journals are refused (the store always runs in WAL mode); temporary files (sorts,
// statement journals, temp tables) live in memory and never reach the disk.
//
// Errors: a failed authentication returns SQLITE_IOERR_AUTH and records a note (kTampered,
// "page N of store.db failed authentication: ...") that SqliteError() turns into the Error the
// caller sees. After Lock() every page operation fails with kLocked.
//
// Threading: one EncryptedVfs serves the writer and reader connections of one store from any
// threads; the key is guarded by a shared mutex, the ledger by its own mutex.
#pragma once

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"
#include "storage/secret.hpp"

namespace lietvedis::storage {

inline constexpr int kPageSize = 4096;
inline constexpr int kPageReserve = 40;  // 16-byte tag + 24-byte nonce
inline constexpr std::size_t kFileIdSize = 16;
using FileId = std::array<std::uint8_t, kFileIdSize>;

struct VfsStats {
  std::uint64_t pages_encrypted = 0;
  std::uint64_t pages_decrypted = 0;
  std::uint64_t memory_files_opened = 0;  // temp files kept in memory
  std::uint64_t journals_refused = 0;
  std::uint64_t ledger_writes = 0;
};

// What EncryptedVfs::CheckFiles found, reading store.db and store.db-wal directly.
struct FileCheck {
  std::uint64_t db_pages = 0;              // pages of store.db read (free pages included)
  std::uint64_t wal_frames = 0;            // frames of the current log that authenticate
  std::uint64_t wal_committed_frames = 0;  // frames SQLite's recovery would keep
  std::vector<std::string> damage;         // each names the file and the page or frame
  std::vector<std::string> notes;          // states an honest crash leaves; not damage
};

// What EncryptedVfs::CountPlaintext found: occurrences of a byte string in the decrypted
// content of every page of store.db (free pages included) and of every frame in
// store.db-wal that opens (the current log's and leftovers of earlier ones).
struct PlaintextCount {
  std::uint64_t db_hits = 0, wal_hits = 0;
  std::uint64_t db_pages = 0, wal_frames = 0;  // pages and frames decrypted
  std::uint64_t total() const { return db_hits + wal_hits; }
};

class EncryptedVfs : public std::enable_shared_from_this<EncryptedVfs> {
 public:
  enum class LedgerMode { kCreate, kLoad };

  // Registers a VFS named uniquely ("lv-enc-N") over SQLite's default VFS, serving exactly one
  // database file `db_path`. `page_key` and `ledger_key` are 32-byte keys derived from the
  // database key. kLoad reads and verifies "<db_path>.ledger" (missing or altered: kTampered);
  // kCreate starts an empty ledger.
  static Result<std::shared_ptr<EncryptedVfs>> Register(const std::string& db_path,
                                                        const FileId& file_id, SecretBytes page_key,
                                                        SecretBytes ledger_key, LedgerMode mode);
  ~EncryptedVfs();
  EncryptedVfs(const EncryptedVfs&) = delete;
  EncryptedVfs& operator=(const EncryptedVfs&) = delete;

  const std::string& name() const { return name_; }
  const std::string& db_path() const { return db_path_; }
  std::string ledger_path() const { return db_path_ + ".ledger"; }

  // Wipes the keys and unregisters the VFS. Connections still open fail every later read
  // or write with kLocked; close them. Idempotent.
  void Lock();
  bool locked() const;

  // Writes the ledger now if it changed since the last write.
  Result<void> FlushLedger();
  VfsStats stats() const;
  // Checks store.db-wal against the ledger's log generation before SQLite opens the database
  // (Store does so on every open and unlock): kTampered when the log is of an older
  // generation, has an altered frame before later ones, or was cut below the frames the
  // ledger knows were committed and synced. A torn tail after a crash passes. Writes nothing.
  Result<void> VerifyWal();
  // Authenticates every page of store.db (free pages included) and compares its tag with the
  // ledger (read again from disk and verified), authenticates every frame of the current log
  // and checks the log against the ledger as VerifyWal does. Damage is listed, not returned
  // as an error; kIo only when a file cannot be read. Writes nothing. For `lietvedis check`.
  Result<FileCheck> CheckFiles();
  // Decrypts every page of store.db and every frame of store.db-wal that opens with this
  // store's key and counts the occurrences of `needle` (not empty) in their content: what
  // someone holding the key could still recover from the files, deleted records included.
  // For proving a purge (sync/purge.hpp); writes nothing. kIo when a file cannot be read.
  Result<PlaintextCount> CountPlaintext(std::string_view needle);
  // The first authentication failure since the last call, if any. SQLite does not report
  // every failed read (WAL recovery treats an unreadable frame as the end of the log), so
  // Store checks this after opening.
  std::optional<Error> TakeTamperEvent();

  // ---- used by the sqlite3_io_methods callbacks (encrypted_vfs.cpp) ----
  struct Impl;
  Impl* impl() { return impl_.get(); }

 private:
  EncryptedVfs() = default;
  std::unique_ptr<Impl> impl_;
  std::string name_;
  std::string db_path_;
};

}  // namespace lietvedis::storage
