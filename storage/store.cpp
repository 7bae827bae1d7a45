#include "storage/store.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "storage/encrypted_vfs.hpp"
#include "storage/files.hpp"
#include "storage/keyfile.hpp"
#include "storage/secret.hpp"

namespace lietvedis::storage {

namespace fs = std::filesystem;

namespace {

constexpr const char* kKeyFileName = "keys.lvk";
constexpr const char* kDbFileName = "store.db";

std::string KeyPath(const std::string& dir) {
  return (fs::path(dir) / kKeyFileName).string();
}
std::string DbPath(const std::string& dir) {
  return (fs::path(dir) / kDbFileName).string();
}

Error Locked() {
  return MakeError(Errc::kLocked, "the store is locked; unlock it first");
}

}  // namespace

KdfParams KdfParams::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfParams KdfParams::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

struct Store::Impl {
  KeyFile key_file;
  SecretBytes db_key;
  std::shared_ptr<EncryptedVfs> vfs;
  Database writer;
  bool locked = true;
  // The background checkpoint (CheckpointInBackground): `checkpoint_result` is written by its
  // thread and read only after the join; `checkpoint_running` says whether it has finished.
  std::thread checkpointer;
  std::atomic<bool> checkpoint_running{false};
  std::optional<Result<void>> checkpoint_result;

  Result<void> JoinCheckpoint() {
    if (!checkpointer.joinable()) return Ok();
    checkpointer.join();
    Result<void> r = checkpoint_result.value_or(Ok());
    checkpoint_result.reset();
    return r;
  }

  // Registers the VFS for the unwrapped key and opens the writer connection.
  Result<void> Attach(const std::string& dir, EncryptedVfs::LedgerMode mode) {
    LV_ASSIGN(SecretBytes page_key, DeriveSubkey(db_key, 1));
    LV_ASSIGN(SecretBytes ledger_key, DeriveSubkey(db_key, 2));
    LV_ASSIGN(vfs, EncryptedVfs::Register(DbPath(dir), key_file.file_id(), std::move(page_key),
                                          std::move(ledger_key), mode));
    // Before SQLite opens the database: its WAL recovery would serve the log's pages.
    if (mode == EncryptedVfs::LedgerMode::kLoad) {
      Result<void> log = vfs->VerifyWal();
      if (!log.ok())
        return MakeError(log.error().code, "opening the store: " + log.error().message);
    }
    OpenOptions options;
    options.vfs = vfs->name();
    options.create = mode == EncryptedVfs::LedgerMode::kCreate;
    if (mode == EncryptedVfs::LedgerMode::kCreate) {
      // Page size and the 40 reserved bytes must be fixed before page 1 is first written, and
      // the switch to WAL must not leave a rollback journal on disk: journal in memory first.
      options.wal = false;
      LV_ASSIGN(writer, Database::Open(DbPath(dir), options));
      int reserve = kPageReserve;
      if (sqlite3_file_control(writer.handle(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) !=
          SQLITE_OK) {
        return MakeError(Errc::kInternal, "could not reserve page bytes for encryption");
      }
      LV_TRY(writer.Exec("PRAGMA page_size=4096; PRAGMA journal_mode=MEMORY;"));
      LV_ASSIGN(Statement st, writer.Prepare("PRAGMA journal_mode=WAL"));
      LV_ASSIGN(bool row, st.Step());
      if (!row || st.Text(0) != "wal")
        return MakeError(Errc::kIo, "could not switch the store to WAL");
      st = Statement();
      LV_TRY(writer.Exec("PRAGMA synchronous=NORMAL;"));
    } else {
      LV_ASSIGN(writer, Database::Open(DbPath(dir), options));
    }
    // Reads page 1 (and the schema) now, so a wrong or altered file fails here, not later.
    auto tables = writer.QueryInt("SELECT count(*) FROM sqlite_schema");
    if (auto event = vfs->TakeTamperEvent()) {
      // Consume this thread's pending VFS note so it cannot label a later unrelated error.
      (void)SqliteError(SQLITE_IOERR_AUTH, nullptr, "");
      return MakeError(event->code, "opening the store: " + event->message);
    }
    if (!tables.ok()) return tables.error();
    locked = false;
    return Ok();
  }

  void Detach() {
    (void)JoinCheckpoint();  // it uses the VFS and the key: finished before they go
    writer.Close();
    if (vfs) vfs->Lock();
    vfs.reset();
    db_key.Wipe();
    locked = true;
  }
};

Result<Store::Created> Store::Create(const std::string& dir, std::string_view passphrase,
                                     const KdfParams& kdf) {
  LV_TRY(EnsureSodium());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return MakeError(Errc::kIo, "creating " + dir + ": " + ec.message());
  if (fs::exists(KeyPath(dir), ec)) {
    return MakeError(Errc::kValidation, dir + " already holds a store");
  }
  if (fs::exists(DbPath(dir), ec)) {
    return MakeError(
        Errc::kValidation,
        dir + " holds a store.db without keys.lvk; move it away before creating a store");
  }
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->impl_ = std::make_unique<Impl>();
  Impl& impl = *store->impl_;
  LV_ASSIGN(impl.db_key, SecretBytes::Random(kDbKeySize));
  LV_ASSIGN(SecretBytes recovery, SecretBytes::Random(kRecoveryKeySize));
  FileId file_id{};
  randombytes_buf(file_id.data(), file_id.size());
  LV_ASSIGN(impl.key_file, KeyFile::Create(file_id, impl.db_key, passphrase, kdf, recovery));
  Result<void> attached = impl.Attach(dir, EncryptedVfs::LedgerMode::kCreate);
  if (attached.ok()) attached = impl.vfs->FlushLedger();
  // keys.lvk is written last: a directory holds a store once it exists.
  if (attached.ok())
    attached = WriteFileAtomically(KeyPath(dir), impl.key_file.Serialise(impl.db_key));
  if (!attached.ok()) {
    impl.Detach();
    for (const char* suffix : {"", "-wal", "-shm", ".ledger", ".ledger.tmp"}) {
      fs::remove(DbPath(dir) + suffix, ec);
    }
    return attached.error();
  }
  Created created;
  created.recovery_key = FormatRecoveryKey(recovery);
  created.store = std::move(store);
  return created;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, std::string_view passphrase) {
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->impl_ = std::make_unique<Impl>();
  LV_TRY(store->Unlock(passphrase));
  return store;
}

Result<std::unique_ptr<Store>> Store::OpenWithRecoveryKey(const std::string& dir,
                                                          std::string_view recovery_key) {
  LV_TRY(EnsureSodium());
  LV_ASSIGN(SecretBytes recovery, ParseRecoveryKey(recovery_key));
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->impl_ = std::make_unique<Impl>();
  Impl& impl = *store->impl_;
  LV_ASSIGN(impl.key_file, KeyFile::Read(KeyPath(dir)));
  std::error_code ec;
  if (!fs::exists(DbPath(dir), ec)) {
    return MakeError(Errc::kNotAStore, dir + " has keys.lvk but no store.db");
  }
  LV_ASSIGN(impl.db_key, impl.key_file.UnwrapWithRecoveryKey(recovery));
  Result<void> attached = impl.Attach(dir, EncryptedVfs::LedgerMode::kLoad);
  if (!attached.ok()) {
    impl.Detach();
    return attached.error();
  }
  return store;
}

bool Store::Exists(const std::string& dir) {
  auto bytes = ReadWholeFile(KeyPath(dir), 1 << 16);
  return bytes.ok() && bytes->size() >= 8 &&
         std::equal(bytes->begin(), bytes->begin() + 8, "LIETVKEY");
}

Store::~Store() {
  Lock();
}

Result<void> Store::ChangePassphrase(std::string_view new_passphrase, const KdfParams& kdf) {
  if (IsLocked()) return Locked();
  KeyFile next = impl_->key_file;
  LV_TRY(next.Rewrap(impl_->db_key, new_passphrase, kdf));
  LV_TRY(WriteFileAtomically(KeyPath(dir_), next.Serialise(impl_->db_key)));
  impl_->key_file = std::move(next);
  return Ok();
}

void Store::Lock() {
  if (impl_) impl_->Detach();
}

bool Store::IsLocked() const {
  return !impl_ || impl_->locked;
}

Result<void> Store::Unlock(std::string_view passphrase) {
  LV_TRY(EnsureSodium());
  if (!IsLocked()) return Ok();
  Impl& impl = *impl_;
  LV_ASSIGN(KeyFile key_file, KeyFile::Read(KeyPath(dir_)));
  std::error_code ec;
  if (!fs::exists(DbPath(dir_), ec)) {
    return MakeError(Errc::kNotAStore, dir_ + " has keys.lvk but no store.db");
  }
  LV_ASSIGN(impl.db_key, key_file.UnwrapWithPassphrase(passphrase));
  impl.key_file = std::move(key_file);
  Result<void> attached = impl.Attach(dir_, EncryptedVfs::LedgerMode::kLoad);
  if (!attached.ok()) {
    impl.Detach();
    return attached.error();
  }
  return Ok();
}

Database& Store::db() {
  return impl_->writer;
}

EncryptedVfs* Store::vfs() {
  return IsLocked() ? nullptr : impl_->vfs.get();
}

Result<Database> Store::OpenReader() {
  if (IsLocked()) return Locked();
  OpenOptions options;
  options.read_only = true;
  options.create = false;
  options.vfs = impl_->vfs->name();
  options.busy_timeout_ms = 5000;  // readers run off the UI thread
  return Database::Open(DbPath(dir_), options);
}

Result<Store::CheckReport> Store::Check() {
  if (IsLocked()) return Locked();
  LV_TRY(WaitForCheckpoint());
  CheckReport report;
  LV_ASSIGN(report.files, impl_->vfs->CheckFiles());
  LV_ASSIGN(Statement st, impl_->writer.Prepare("PRAGMA integrity_check"));
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) {  // a page that fails authentication stops the check: named here
      report.integrity.push_back(row.error().message);
      break;
    }
    if (!*row) break;
    if (st.Text(0) != "ok") report.integrity.push_back(st.Text(0));
  }
  (void)impl_->vfs->TakeTamperEvent();  // reported above
  return report;
}

Result<PlaintextCount> Store::CountPlaintext(std::string_view needle) {
  if (IsLocked()) return Locked();
  LV_TRY(WaitForCheckpoint());
  return impl_->vfs->CountPlaintext(needle);
}

void Store::CheckpointInBackground() {
  if (IsLocked() || impl_->checkpoint_running.load()) return;
  Impl& impl = *impl_;
  (void)impl.JoinCheckpoint();  // the previous one, finished
  OpenOptions options;
  options.create = false;
  options.vfs = impl.vfs->name();
  impl.checkpoint_running.store(true);
  try {
    impl.checkpointer = std::thread([&impl, path = DbPath(dir_), options] {
      try {
        auto db = Database::Open(path, options);
        impl.checkpoint_result.emplace(db.ok() ? db->Exec("PRAGMA wal_checkpoint(PASSIVE)")
                                               : Result<void>(db.error()));
      } catch (const std::exception& e) {  // e.g. bad_alloc: reported, never terminate()
        impl.checkpoint_result.emplace(
            MakeError(Errc::kInternal, std::string("background checkpoint: ") + e.what()));
      }
      impl.checkpoint_running.store(false);
    });
  } catch (const std::system_error&) {
    impl.checkpoint_running.store(false);  // no thread: the writer's commits checkpoint
  }
}

Result<void> Store::WaitForCheckpoint() {
  if (!impl_) return Ok();
  return impl_->JoinCheckpoint();
}

}  // namespace lietvedis::storage
