// Store: create, unlock, lock, passphrase change, recovery key, and the key file's failures.
#include "storage/store.hpp"

#include <sodium.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "storage/encrypted_vfs.hpp"
#include "storage/keyfile.hpp"
#include "tests/storage/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;
using namespace lietvedis::storage::test;

TEST_CASE("A created store reopens with its passphrase and keeps its rows", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  {
    auto created = Store::Create(dir, "correct horse", KdfParams::Interactive());
    REQUIRE(created.ok());
    CHECK(!created->recovery_key.empty());
    Database& db = created->store->db();
    REQUIRE(db.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)").ok());
    REQUIRE(db.Run("INSERT INTO t(name) VALUES(?)", "Jānis Bērziņš").ok());
    auto reserve = db.Prepare("PRAGMA page_size");
    REQUIRE(reserve.ok());
    REQUIRE(*reserve->Step());
    CHECK(reserve->Int(0) == 4096);
  }
  CHECK(Store::Exists(dir));
  auto store = Store::Open(dir, "correct horse");
  REQUIRE(store.ok());
  auto st = (*store)->db().Prepare("SELECT name FROM t");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  CHECK(st->Text(0) == "Jānis Bērziņš");
  auto mode = (*store)->db().Prepare("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  REQUIRE(*mode->Step());
  CHECK(mode->Text(0) == "wal");
  // Nothing but our files, and no rollback journal was ever asked for.
  REQUIRE((*store)->vfs() != nullptr);
  CHECK((*store)->vfs()->stats().journals_refused == 0);
}

TEST_CASE("Creating over an existing store is refused", "[storage]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  REQUIRE(Store::Create(dir, "one", KdfParams::Interactive()).ok());
  auto again = Store::Create(dir, "two", KdfParams::Interactive());
  REQUIRE(!again.ok());
  CHECK(again.error().code == Errc::kValidation);
  CHECK(Store::Open(dir, "one").ok());
}

TEST_CASE(
    "Wrong passphrase, altered key file and a foreign directory are three errors that change "
    "nothing",
    "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  {
    auto created = Store::Create(dir, "right", KdfParams::Interactive());
    REQUIRE(created.ok());
    REQUIRE(created->store->db().Exec("CREATE TABLE t(x); INSERT INTO t VALUES(1);").ok());
  }
  const auto before = SnapshotDir(dir);

  SECTION("wrong passphrase") {
    auto store = Store::Open(dir, "wrong");
    REQUIRE(!store.ok());
    CHECK(store.error().code == Errc::kWrongPassphrase);
    CHECK(SnapshotDir(dir) == before);
  }
  SECTION("one flipped byte in keys.lvk") {
    for (std::size_t offset : {std::size_t{9}, std::size_t{20}, std::size_t{70}, std::size_t{150},
                               std::size_t{210}, std::size_t{250}}) {
      FlipByte(dir + "/keys.lvk", offset);
      auto store = Store::Open(dir, "right");
      REQUIRE(!store.ok());
      INFO("offset " << offset << ": " << store.error().message);
      CHECK(store.error().code == Errc::kTampered);
      FlipByte(dir + "/keys.lvk", offset);
    }
    CHECK(SnapshotDir(dir) == before);
    CHECK(Store::Open(dir, "right").ok());
  }
  SECTION("an altered wrap with a recomputed checksum fails the MAC once unwrapped") {
    auto bytes = ReadFileBytes(dir + "/keys.lvk");
    bytes[150] ^= 1;  // the recovery wrap, outside the passphrase wrap's reach
    auto parsed = KeyFile::Parse(bytes);
    REQUIRE(!parsed.ok());  // checksum catches it first
    CHECK(parsed.error().code == Errc::kTampered);
  }
  SECTION("not a store") {
    const std::string other = tmp / "other";
    std::filesystem::create_directories(other);
    WriteFileBytes(other + "/keys.lvk",
                   {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'});
    CHECK(!Store::Exists(other));
    auto store = Store::Open(other, "right");
    REQUIRE(!store.ok());
    CHECK(store.error().code == Errc::kNotAStore);
    auto empty = Store::Open(tmp / "nowhere", "right");
    REQUIRE(!empty.ok());
    CHECK(empty.error().code == Errc::kNotAStore);
    CHECK(!std::filesystem::exists(tmp / "nowhere"));
    CHECK(SnapshotDir(dir) == before);
  }
  SECTION("a plain SQLite file in place of store.db") {
    std::filesystem::remove(dir + "/store.db");
    {
      OpenOptions plain_options;
      plain_options.wal = false;
      auto plain = Database::Open(dir + "/store.db", plain_options);
      REQUIRE(plain.ok());
      REQUIRE(plain->Exec("CREATE TABLE t(x)").ok());
    }
    auto store = Store::Open(dir, "right");
    REQUIRE(!store.ok());
    INFO(store.error().message);
    CHECK(store.error().code == Errc::kNotAStore);
  }
}

TEST_CASE("A key file of a newer version is unsupported, not damaged", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  REQUIRE(Store::Create(dir, "p", KdfParams::Interactive()).ok());
  auto bytes = ReadFileBytes(dir + "/keys.lvk");
  bytes[8] = 9;
  auto damaged = KeyFile::Parse(bytes);
  REQUIRE(!damaged.ok());
  CHECK(damaged.error().code == Errc::kTampered);
  // A well-formed file of version 9 ends with its own checksum.
  crypto_generichash(bytes.data() + bytes.size() - 32, 32, bytes.data(), bytes.size() - 32, nullptr,
                     0);
  auto parsed = KeyFile::Parse(bytes);
  REQUIRE(!parsed.ok());
  CHECK(parsed.error().code == Errc::kUnsupported);
}

TEST_CASE("Argon2id parameters an edit made absurd are refused before Argon2id runs",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  REQUIRE(Store::Create(dir, "p", KdfParams::Interactive()).ok());
  const auto original = ReadFileBytes(dir + "/keys.lvk");
  // Rewrites ops (offset 32) or memory (offset 40) and recomputes the unkeyed checksum, as an
  // attacker with the file would; the MAC would catch it only after Argon2id ran.
  const auto with = [&](std::size_t offset, std::uint64_t value) {
    auto bytes = original;
    for (int i = 0; i < 8; ++i) bytes[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
    crypto_generichash(bytes.data() + bytes.size() - 32, 32, bytes.data(), bytes.size() - 32,
                       nullptr, 0);
    return bytes;
  };
  for (const auto& [offset, value] : {std::pair<std::size_t, std::uint64_t>{32, 0xFFFFFFFFu},
                                      {32, 9},
                                      {32, 0},
                                      {40, std::uint64_t{4} << 30},
                                      {40, (std::uint64_t{1} << 30) + 1024},
                                      {40, 1024}}) {
    INFO("offset " << offset << " value " << value);
    auto parsed = KeyFile::Parse(with(offset, value));
    REQUIRE(!parsed.ok());
    CHECK(parsed.error().code == Errc::kTampered);
    WriteFileBytes(dir + "/keys.lvk", with(offset, value));
    auto store = Store::Open(dir, "p");  // would hang or allocate gigabytes if it ran Argon2id
    REQUIRE(!store.ok());
    CHECK(store.error().code == Errc::kTampered);
  }
  // The bounds themselves still parse (a stronger setting than the default stays possible).
  CHECK(KeyFile::Parse(with(32, 8)).ok());
  CHECK(KeyFile::Parse(with(40, std::uint64_t{1} << 30)).ok());
  // An edit within the bounds is caught by the MAC once the key is unwrapped.
  WriteFileBytes(dir + "/keys.lvk", with(32, 1));
  auto edited = Store::Open(dir, "p");
  REQUIRE(!edited.ok());
  CHECK((edited.error().code == Errc::kTampered || edited.error().code == Errc::kWrongPassphrase));
  WriteFileBytes(dir + "/keys.lvk", original);
  CHECK(Store::Open(dir, "p").ok());
}

TEST_CASE("ChangePassphrase re-wraps the key without touching the database", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  std::string recovery;
  {
    auto created = Store::Create(dir, "old phrase", KdfParams::Interactive());
    REQUIRE(created.ok());
    recovery = created->recovery_key;
    REQUIRE(created->store->db().Exec("CREATE TABLE t(x); INSERT INTO t VALUES(42);").ok());
  }
  auto store = Store::Open(dir, "old phrase");
  REQUIRE(store.ok());
  REQUIRE((*store)->db().Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  const auto db_before = ReadFileBytes(dir + "/store.db");
  REQUIRE((*store)->ChangePassphrase("new phrase", KdfParams::Interactive()).ok());
  CHECK(ReadFileBytes(dir + "/store.db") == db_before);
  CHECK(!std::filesystem::exists(dir + "/keys.lvk.tmp"));
  store->reset();

  auto old_open = Store::Open(dir, "old phrase");
  REQUIRE(!old_open.ok());
  CHECK(old_open.error().code == Errc::kWrongPassphrase);
  auto reopened = Store::Open(dir, "new phrase");
  REQUIRE(reopened.ok());
  CHECK((*reopened)->db().QueryInt("SELECT x FROM t").value() == 42);
  reopened->reset();
  // The recovery key still unlocks after the change.
  CHECK(Store::OpenWithRecoveryKey(dir, recovery).ok());
}

TEST_CASE("The recovery key unlocks in its printed form, any case, with or without dashes",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  std::string recovery;
  {
    auto created = Store::Create(dir, "phrase", KdfParams::Interactive());
    REQUIRE(created.ok());
    recovery = created->recovery_key;
    REQUIRE(created->store->db().Exec("CREATE TABLE t(x); INSERT INTO t VALUES(7);").ok());
  }
  CHECK(recovery.size() == 52 + 12);
  CHECK(recovery[4] == '-');
  {
    auto store = Store::OpenWithRecoveryKey(dir, recovery);
    REQUIRE(store.ok());
    CHECK((*store)->db().QueryInt("SELECT x FROM t").value() == 7);
  }
  std::string relaxed;
  for (char c : recovery) {
    if (c == '-')
      relaxed += ' ';
    else
      relaxed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  CHECK(Store::OpenWithRecoveryKey(dir, relaxed).ok());

  std::string wrong = recovery;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  auto bad = Store::OpenWithRecoveryKey(dir, wrong);
  REQUIRE(!bad.ok());
  CHECK(bad.error().code == Errc::kWrongPassphrase);
  auto garbage = Store::OpenWithRecoveryKey(dir, "not-a-key-at-all-0189");
  REQUIRE(!garbage.ok());
  CHECK(garbage.error().code == Errc::kWrongPassphrase);
  auto short_key = Store::OpenWithRecoveryKey(dir, recovery.substr(0, recovery.size() - 1));
  REQUIRE(!short_key.ok());
  CHECK(short_key.error().code == Errc::kWrongPassphrase);
}

TEST_CASE("Recovery keys round-trip through their printed form", "[storage][crypto]") {
  for (int i = 0; i < 50; ++i) {
    auto key = SecretBytes::Random(32);
    REQUIRE(key.ok());
    const std::string text = FormatRecoveryKey(*key);
    auto parsed = ParseRecoveryKey(text);
    REQUIRE(parsed.ok());
    CHECK(std::equal(parsed->data(), parsed->data() + 32, key->data()));
  }
}

TEST_CASE("Lock closes the store and wipes the key, Unlock needs the passphrase again",
          "[storage]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  auto created = Store::Create(dir, "phrase", KdfParams::Interactive());
  REQUIRE(created.ok());
  Store& store = *created->store;
  REQUIRE(store.db().Exec("CREATE TABLE t(x); INSERT INTO t VALUES(1);").ok());
  auto reader = store.OpenReader();  // opened, nothing read yet: its cache is empty
  REQUIRE(reader.ok());

  store.Lock();
  CHECK(store.IsLocked());
  CHECK(store.vfs() == nullptr);
  auto locked_reader = store.OpenReader();
  REQUIRE(!locked_reader.ok());
  CHECK(locked_reader.error().code == Errc::kLocked);
  CHECK(store.ChangePassphrase("x", KdfParams::Interactive()).error().code == Errc::kLocked);
  // A reader left open from before the lock can no longer decrypt anything.
  auto after = reader->QueryInt("SELECT count(*) FROM t");
  REQUIRE(!after.ok());
  CHECK(after.error().code == Errc::kLocked);
  reader->Close();

  auto wrong = store.Unlock("nope");
  REQUIRE(!wrong.ok());
  CHECK(wrong.error().code == Errc::kWrongPassphrase);
  CHECK(store.IsLocked());
  REQUIRE(store.Unlock("phrase").ok());
  CHECK(!store.IsLocked());
  CHECK(store.db().QueryInt("SELECT count(*) FROM t").value() == 1);
}

TEST_CASE(
    "A background checkpoint copies the WAL while the writer goes on, the store reopens whole",
    "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  const std::string db_file = dir + "/store.db";
  auto created = Store::Create(dir, "phrase", KdfParams::Interactive());
  REQUIRE(created.ok());
  Store& store = *created->store;
  Database& db = store.db();
  // No automatic checkpoint: the WAL holds everything written below until someone copies it.
  REQUIRE(db.Exec("PRAGMA wal_autocheckpoint=0;"
                  "CREATE TABLE t(id INTEGER PRIMARY KEY, note TEXT NOT NULL);")
              .ok());
  auto write = [&](int from, int to) {
    auto tx = Transaction::Begin(db);
    REQUIRE(tx.ok());
    for (int i = from; i < to; ++i) {
      REQUIRE(db.Run("INSERT INTO t(id, note) VALUES(?, ?)", std::int64_t{i},
                     "MARKER-note " + std::to_string(i) + std::string(200, 'x'))
                  .ok());
    }
    REQUIRE(tx->Commit().ok());
  };
  for (int k = 0; k < 6; ++k) write(k * 1000, (k + 1) * 1000);
  const auto file_before = std::filesystem::file_size(db_file);

  store.CheckpointInBackground();
  store.CheckpointInBackground();  // one runs at a time: a no-op
  // The writer commits while the checkpoint runs; neither waits for the other.
  for (int k = 6; k < 26; ++k) write(k * 100 + 5400, (k + 1) * 100 + 5400);
  REQUIRE(store.WaitForCheckpoint().ok());
  CHECK(store.WaitForCheckpoint().ok());  // nothing left to wait for

  // The pages went into the database file, encrypted like every other page.
  CHECK(std::filesystem::file_size(db_file) > file_before + 1'000'000);
  for (const auto& [path, bytes] : SnapshotDir(dir)) {
    const std::string text(bytes.begin(), bytes.end());
    INFO(path);
    CHECK(text.find("MARKER-note") == std::string::npos);
  }
  CHECK(db.QueryInt("SELECT count(*) FROM t").value() == 8000);

  // Reopened, every page passes authentication against the ledger the checkpoint updated.
  store.Lock();
  REQUIRE(store.Unlock("phrase").ok());
  CHECK(store.db().QueryInt("SELECT count(*) FROM t").value() == 8000);
  CHECK(store.db().QueryInt("SELECT sum(length(note)) FROM t").value() > 8000 * 200);
  auto check = store.db().Prepare("PRAGMA integrity_check");
  REQUIRE(check.ok());
  REQUIRE(check->Step().value());
  CHECK(check->Text(0) == "ok");

  SECTION("a store locked while a checkpoint runs waits for it, then reopens whole") {
    REQUIRE(store.db().Exec("PRAGMA wal_autocheckpoint=0").ok());
    auto tx = Transaction::Begin(store.db());
    REQUIRE(tx.ok());
    REQUIRE(store.db().Exec("UPDATE t SET note = note || '!'").ok());
    REQUIRE(tx->Commit().ok());
    store.CheckpointInBackground();
    store.Lock();
    CHECK(store.WaitForCheckpoint().ok());
    store.CheckpointInBackground();  // locked: nothing starts
    CHECK(store.WaitForCheckpoint().ok());
    REQUIRE(store.Unlock("phrase").ok());
    CHECK(store.db().QueryInt("SELECT count(*) FROM t WHERE note LIKE '%!'").value() == 8000);
  }
}
