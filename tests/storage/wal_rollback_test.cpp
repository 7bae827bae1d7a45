// Rollback of the write-ahead log (docs/STORAGE.md, "Rollback of the log"), on real files: an
// older -wal put back over a newer state is kTampered, a log cut or damaged inside the part
// the store had committed and synced is kTampered, and the honest crash case (a torn tail
// after the last commit) still opens with every committed row. A refused open writes nothing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/store.hpp"
#include "tests/storage/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;
using namespace lietvedis::storage::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPass = "wal rollback passphrase";
constexpr std::size_t kWalHeader = 32;
constexpr std::size_t kFrame = 24 + 4096;

void Insert(Database& db, int first, int rows) {
  auto tx = Transaction::Begin(db);
  REQUIRE(tx.ok());
  for (int i = first; i < first + rows; ++i) {
    REQUIRE(db.Run("INSERT INTO t(id, v) VALUES(?, ?)", i, std::string(700, 'a' + i % 26)).ok());
  }
  REQUIRE(tx->Commit().ok());
}

// An open store with automatic checkpoints off, so the test decides when the log restarts.
std::unique_ptr<Store> MakeStore(const std::string& dir) {
  auto created = Store::Create(dir, kPass, KdfParams::Interactive());
  REQUIRE(created.ok());
  Database& db = created->store->db();
  REQUIRE(db.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);"
                  "PRAGMA wal_autocheckpoint=0;")
              .ok());
  return std::move(created->store);
}

// Copies the store's files as they are on disk now (the store may be open).
void CopyStore(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  for (const char* name : {"keys.lvk", "store.db", "store.db.ledger", "store.db-wal"}) {
    if (fs::exists(from + "/" + name)) {
      fs::copy_file(from + "/" + name, to + "/" + name, fs::copy_options::overwrite_existing);
    }
  }
}

std::size_t Frames(const std::string& wal) {
  return (fs::file_size(wal) - kWalHeader) / kFrame;
}

// Opens the store and returns its row count after integrity_check passed, or the error.
Result<std::int64_t> OpenAndCount(const std::string& dir) {
  auto store = Store::Open(dir, kPass);
  if (!store.ok()) return store.error();
  Database& db = (*store)->db();
  auto check = db.Prepare("PRAGMA integrity_check");
  if (!check.ok()) return check.error();
  auto row = check->Step();
  if (!row.ok()) return row.error();
  if (!*row || check->Text(0) != "ok")
    return MakeError(Errc::kCorrupt, "integrity_check: " + check->Text(0));
  return db.QueryInt("SELECT count(*) FROM t");
}

// Opening must fail with kTampered naming `words`, and leave every file as it was.
void RequireRefused(const std::string& dir, const std::string& words) {
  const auto before = SnapshotDir(dir);
  auto r = OpenAndCount(dir);
  REQUIRE(!r.ok());
  INFO(r.error().message);
  CHECK(r.error().code == Errc::kTampered);
  CHECK(r.error().message.find(words) != std::string::npos);
  CHECK(SnapshotDir(dir) == before);
}

}  // namespace

TEST_CASE("An older WAL put back over a newer state is refused as tampering", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  std::unique_ptr<Store> store = MakeStore(dir);
  Database& db = store->db();
  Insert(db, 1, 40);
  const std::string wal = dir + "/store.db-wal";
  REQUIRE(Frames(wal) > 3);
  const auto old_wal = ReadFileBytes(wal);  // generation A: the first 40 rows

  // The log is checkpointed and emptied; the next commit starts generation B.
  REQUIRE(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  Insert(db, 41, 40);
  db.Run("UPDATE t SET v = 'changed' WHERE id <= 20").value();
  REQUIRE(Frames(wal) > 3);

  SECTION("over a copy whose own log is generation B") {
    const std::string copy = tmp / "copy";
    CopyStore(dir, copy);
    const std::string control = tmp / "control";
    fs::copy(copy, control);
    auto rows = OpenAndCount(control);  // the copy as it is opens whole
    REQUIRE(rows.ok());
    CHECK(*rows == 80);
    WriteFileBytes(copy + "/store.db-wal", old_wal);
    RequireRefused(copy, "earlier generation");
  }
  SECTION("after the store closed and removed its log") {
    store.reset();
    REQUIRE(!fs::exists(wal));
    WriteFileBytes(wal, old_wal);
    RequireRefused(dir, "earlier generation");
    fs::remove(wal);
    auto rows = OpenAndCount(dir);
    REQUIRE(rows.ok());
    CHECK(*rows == 80);
  }
}

TEST_CASE("A WAL cut or damaged inside its committed and synced part is reported",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  std::unique_ptr<Store> store = MakeStore(dir);
  Database& db = store->db();
  Insert(db, 1, 60);
  const std::string wal = dir + "/store.db-wal";
  const std::size_t synced = Frames(wal);
  REQUIRE(synced > 6);
  // A reader in a transaction keeps the log from restarting at the next commit.
  auto reader = store->OpenReader();
  REQUIRE(reader.ok());
  REQUIRE(reader->Exec("BEGIN").ok());
  REQUIRE(reader->QueryInt("SELECT count(*) FROM t").value() == 60);
  // A checkpoint syncs the log and then the database; the ledger records the synced frames.
  REQUIRE(db.Exec("PRAGMA wal_checkpoint(PASSIVE)").ok());
  Insert(db, 61, 30);  // committed after the last sync of the log
  REQUIRE(Frames(wal) > synced + 3);
  const std::string copy = tmp / "copy";
  CopyStore(dir, copy);
  REQUIRE(reader->Exec("COMMIT").ok());
  const std::string copy_wal = copy + "/store.db-wal";
  auto bytes = ReadFileBytes(copy_wal);

  SECTION("cut at a frame boundary inside the synced frames") {
    bytes.resize(kWalHeader + (synced / 2) * kFrame);
    WriteFileBytes(copy_wal, bytes);
    RequireRefused(copy, "cut or damaged inside its committed part");
  }
  SECTION("cut in the middle of a synced frame") {
    bytes.resize(kWalHeader + (synced - 1) * kFrame + 1000);
    WriteFileBytes(copy_wal, bytes);
    RequireRefused(copy, "cut or damaged inside its committed part");
  }
  SECTION("the last synced frame damaged, the frames after it removed") {
    bytes.resize(kWalHeader + synced * kFrame);
    bytes[kWalHeader + (synced - 1) * kFrame + 24 + 100] ^= 1;
    WriteFileBytes(copy_wal, bytes);
    RequireRefused(copy, "cut or damaged inside its committed part");
  }
  SECTION("a frame damaged before later frames of its log") {
    bytes[kWalHeader + (synced + 1) * kFrame + 24 + 100] ^= 1;
    WriteFileBytes(copy_wal, bytes);
    RequireRefused(copy, "failed authentication");
  }
  SECTION("known limit: a cut after the last sync reads as a torn tail (docs/STORAGE.md)") {
    bytes.resize(kWalHeader + synced * kFrame + kFrame / 2);
    WriteFileBytes(copy_wal, bytes);
    auto rows = OpenAndCount(copy);
    REQUIRE(rows.ok());
    CHECK(*rows == 60);
  }
  SECTION("control: the copy as it is opens with every row") {
    auto rows = OpenAndCount(copy);
    REQUIRE(rows.ok());
    CHECK(*rows == 90);
  }
}

TEST_CASE("A torn uncommitted tail opens with the committed data", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  std::unique_ptr<Store> store = MakeStore(dir);
  Database& db = store->db();
  Insert(db, 1, 50);
  REQUIRE(db.Exec("PRAGMA wal_checkpoint(PASSIVE)").ok());
  Insert(db, 51, 10);
  REQUIRE(db.Exec("PRAGMA cache_size=10").ok());  // the open transaction spills to the log
  const std::string wal = dir + "/store.db-wal";
  const std::size_t committed = Frames(wal);
  auto tx = Transaction::Begin(db);
  REQUIRE(tx.ok());
  for (int i = 1000; i < 1400; ++i) {
    REQUIRE(db.Run("INSERT INTO t(id, v) VALUES(?, ?)", i, std::string(900, 'z')).ok());
  }
  REQUIRE(Frames(wal) > committed + 10);  // uncommitted frames on disk
  const std::string copy = tmp / "copy";
  CopyStore(dir, copy);  // as a crash in the middle of the transaction would leave it
  tx->Rollback();

  SECTION("whole uncommitted frames") {
    auto rows = OpenAndCount(copy);
    REQUIRE(rows.ok());
    CHECK(*rows == 60);
  }
  SECTION("and half a frame written at the kill") {
    auto bytes = ReadFileBytes(copy + "/store.db-wal");
    bytes.resize(bytes.size() - kFrame / 2);
    WriteFileBytes(copy + "/store.db-wal", bytes);
    auto rows = OpenAndCount(copy);
    REQUIRE(rows.ok());
    CHECK(*rows == 60);
  }
  SECTION("and an uncommitted frame damaged at the end") {
    auto bytes = ReadFileBytes(copy + "/store.db-wal");
    bytes[bytes.size() - 2000] ^= 1;
    WriteFileBytes(copy + "/store.db-wal", bytes);
    auto rows = OpenAndCount(copy);
    REQUIRE(rows.ok());
    CHECK(*rows == 60);
  }
}
