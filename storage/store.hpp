// Store: an encrypted Lietvedis data directory.
//
// A store directory holds
//   keys.lvk        the wrapped database key: a random 256-bit key, wrapped once under a key
//                   derived from the passphrase (Argon2id, parameters stored beside it) and
//                   once under the recovery key. No case data.
//   store.db        the SQLite database, every page encrypted by the encrypting VFS
//   store.db-wal    its write-ahead log, every frame's page encrypted the same way
// Nothing in the directory is readable without the key (see docs/STORAGE.md).
//
// Threading: a Store is created and unlocked on any thread (Argon2id takes ~0.5 s: never on
// the UI frame thread). Its writer Database belongs to one thread at a time; other threads
// use OpenReader() for their own read-only connections.
//
// Errors: kWrongPassphrase (passphrase or recovery key does not unwrap the key),
// kNotAStore (the directory has no keys.lvk / store.db of ours), kTampered (authenticated
// decryption of a page or of the key file failed), kIo. None of them alters any file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/database.hpp"
#include "storage/encrypted_vfs.hpp"
#include "storage/result.hpp"

namespace lietvedis::storage {

class EncryptedVfs;

// Argon2id cost. Stored in keys.lvk beside the wrapped key, so it can be raised later.
struct KdfParams {
  std::uint64_t ops_limit;
  std::size_t mem_limit;           // bytes
  static KdfParams Moderate();     // the default for real stores (near crypto_pwhash MODERATE)
  static KdfParams Interactive();  // faster, for tests and the demo
};

class Store {
 public:
  struct Created;

  // Creates a new store in `dir` (created if missing; must not already hold a store).
  // Returns the open store and the recovery key, a printable string shown to the user once.
  static Result<Created> Create(const std::string& dir, std::string_view passphrase,
                                const KdfParams& kdf = KdfParams::Moderate());
  // Opens and unlocks an existing store with the passphrase.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, std::string_view passphrase);
  // Opens and unlocks an existing store with the recovery key (as printed in the recovery kit;
  // spaces and dashes are ignored, letters case-insensitive).
  static Result<std::unique_ptr<Store>> OpenWithRecoveryKey(const std::string& dir,
                                                            std::string_view recovery_key);
  // True when `dir` holds a store (a keys.lvk file of ours), whatever its state.
  static bool Exists(const std::string& dir);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Re-wraps the database key under a new passphrase; data is not re-encrypted. The store
  // must be unlocked. The key file is replaced atomically (write, fsync, rename).
  Result<void> ChangePassphrase(std::string_view new_passphrase,
                                const KdfParams& kdf = KdfParams::Moderate());

  // Closes every connection and wipes the key from memory. db() is invalid until Unlock().
  void Lock();
  bool IsLocked() const;
  // Unlocks a locked store again with the passphrase (or kWrongPassphrase, store stays locked).
  Result<void> Unlock(std::string_view passphrase);

  // The one writer connection. WARNING: invalid after Lock(); do not keep the reference.
  Database& db();
  // A new read-only connection for another thread (same key, same VFS).
  Result<Database> OpenReader();

  // Copies the write-ahead log into the database file on a background thread, over a
  // connection of its own (a PASSIVE checkpoint: it never waits for the writer or readers,
  // and they never wait for it). For after a bulk write such as an initial pull, whose WAL the
  // writer's next commit would otherwise copy while its caller waits. Nothing starts when the
  // store is locked or a checkpoint still runs. Lock() and the destructor wait for it.
  void CheckpointInBackground();
  // Waits for the background checkpoint, if one was started since the last wait, and returns
  // its result: Ok, or why it could not run (the writer's next commits checkpoint anyway).
  Result<void> WaitForCheckpoint();

  // What Check() found. Damage is listed, each naming the file and the page or frame.
  struct CheckReport {
    FileCheck files;                     // every page and frame authenticated, the ledger
    std::vector<std::string> integrity;  // PRAGMA integrity_check's findings other than "ok"
    bool sound() const { return files.damage.empty() && integrity.empty(); }
  };
  // Authenticates every page of store.db (free pages included) and of its log against the
  // ledger, then runs PRAGMA integrity_check. Writes nothing. Errors only when the check
  // cannot run (locked, a file unreadable); damage is in the report.
  Result<CheckReport> Check();
  // EncryptedVfs::CountPlaintext for this store (after waiting for a background checkpoint).
  Result<PlaintextCount> CountPlaintext(std::string_view needle);

  const std::string& dir() const { return dir_; }
  // The encrypting VFS serving this store (its statistics, its ledger); nullptr while locked.
  EncryptedVfs* vfs();

 private:
  Store() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string dir_;
};

struct Store::Created {
  std::unique_ptr<Store> store;
  std::string recovery_key;  // e.g. "K7QX-...": shown once as a recovery kit, never stored
};

}  // namespace lietvedis::storage
