// The encrypting VFS on real files: no readable case data on disk in any state, and every kind
// of alteration (flipped byte, swapped pages, a page put back, a damaged WAL) is kTampered.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/encrypted_vfs.hpp"
#include "storage/fold.hpp"
#include "storage/store.hpp"
#include "tests/storage/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;
using namespace lietvedis::storage::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPass = "test passphrase";
constexpr std::size_t kPage = 4096;

const std::vector<std::string>& Secrets() {
  static const std::vector<std::string> s = {
      "LVMARK-q7Zp3x-Bērziņš-Ģirts", "Jānis Bērziņš", "Līga Ozoliņa", "Ķēniņš", "Žūriņa Čakste",
  };
  return s;
}

// Fails the test naming the file and the encoding if any secret is readable in `dir`.
void CheckNoPlaintext(const std::string& dir, const std::string& state) {
  for (const auto& [path, bytes] : SnapshotDir(dir)) {
    for (const std::string& secret : Secrets()) {
      INFO(state << ": " << path << " holds \"" << secret << "\"");
      CHECK_FALSE(Contains(bytes, secret));
      CHECK_FALSE(Contains(bytes, Utf16(secret, false)));
      CHECK_FALSE(Contains(bytes, Utf16(secret, true)));
      CHECK_FALSE(Contains(bytes, FoldForSearch(secret)));
    }
  }
}

void FillTable(Database& db, int rows, int first = 0) {
  auto tx = Transaction::Begin(db);
  REQUIRE(tx.ok());
  for (int i = first; i < first + rows; ++i) {
    const std::string& secret = Secrets()[static_cast<std::size_t>(i) % Secrets().size()];
    const std::string u16 = Utf16(secret, false);
    REQUIRE(db.Run("INSERT INTO person(id, name, note, raw) VALUES(?, ?, ?, ?)", i, secret,
                   secret + " note " + std::string(200, 'x') + std::to_string(i),
                   Blob(u16.begin(), u16.end()))
                .ok());
  }
  REQUIRE(tx->Commit().ok());
}

constexpr const char* kSchema =
    "CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, raw BLOB);"
    "CREATE INDEX person_name ON person(name);"
    "CREATE VIRTUAL TABLE person_fts USING fts5(name, content='person', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2');"
    "CREATE TRIGGER person_ai AFTER INSERT ON person BEGIN"
    " INSERT INTO person_fts(rowid, name) VALUES(new.id, new.name); END;"
    "CREATE TRIGGER person_au AFTER UPDATE ON person BEGIN"
    " INSERT INTO person_fts(person_fts, rowid, name) VALUES('delete', old.id, old.name);"
    " INSERT INTO person_fts(rowid, name) VALUES(new.id, new.name); END;";

// A closed store with `rows` rows, everything checkpointed into store.db.
std::string MakeStore(const testing::TempDir& tmp, int rows) {
  const std::string dir = tmp / "store";
  auto created = Store::Create(dir, kPass, KdfParams::Interactive());
  REQUIRE(created.ok());
  REQUIRE(created->store->db().Exec(kSchema).ok());
  FillTable(created->store->db(), rows);
  return dir;
}

Result<std::int64_t> ReadEverything(Database& db) {
  // dbstat reads every page and reports a failed read as an error (integrity_check would
  // only list it as a finding).
  auto pages = db.QueryInt("SELECT count(*) FROM dbstat");
  if (!pages.ok()) return pages.error();
  auto check = db.Prepare("PRAGMA integrity_check");
  if (!check.ok()) return check.error();
  auto row = check->Step();
  if (!row.ok()) return row.error();
  if (!*row || check->Text(0) != "ok")
    return MakeError(Errc::kCorrupt, "integrity_check: " + check->Text(0));
  return db.QueryInt("SELECT sum(length(note)) FROM person");
}

Result<std::int64_t> OpenAndReadEverything(const std::string& dir) {
  auto store = Store::Open(dir, kPass);
  if (!store.ok()) return store.error();
  return ReadEverything((*store)->db());
}

void SwapPages(const std::string& path, std::size_t a, std::size_t b) {
  auto bytes = ReadFileBytes(path);
  REQUIRE(bytes.size() >= (std::max(a, b) + 1) * kPage);
  std::swap_ranges(bytes.begin() + static_cast<std::ptrdiff_t>(a * kPage),
                   bytes.begin() + static_cast<std::ptrdiff_t>((a + 1) * kPage),
                   bytes.begin() + static_cast<std::ptrdiff_t>(b * kPage));
  WriteFileBytes(path, bytes);
}

}  // namespace

TEST_CASE("No case text reaches the disk: open, mid-transaction, after checkpoint, after close",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  auto created = Store::Create(dir, kPass, KdfParams::Interactive());
  REQUIRE(created.ok());
  Database& db = created->store->db();
  REQUIRE(db.Exec(kSchema).ok());
  REQUIRE(db.Exec("PRAGMA cache_size=20").ok());  // small cache: pages spill to the WAL early
  FillTable(db, 300);
  REQUIRE(fs::exists(dir + "/store.db-wal"));
  CHECK(fs::file_size(dir + "/store.db-wal") > 0);
  CheckNoPlaintext(dir, "open, committed");

  {
    auto tx = Transaction::Begin(db);
    REQUIRE(tx.ok());
    for (int i = 1000; i < 1600; ++i) {
      REQUIRE(db.Run("INSERT INTO person(id, name, note) VALUES(?, ?, ?)", i, Secrets()[0],
                     std::string(500, 'y') + Secrets()[1])
                  .ok());
    }
    CheckNoPlaintext(dir, "mid-transaction");
    REQUIRE(tx->Commit().ok());
  }
  // A large sort and a temp table: their scratch space stays in memory.
  REQUIRE(db.Exec("CREATE TEMP TABLE scratch AS SELECT name, note FROM person ORDER BY note DESC")
              .ok());
  CheckNoPlaintext(dir, "after a sort into a temp table");
  REQUIRE(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  CheckNoPlaintext(dir, "after checkpoint");
  CHECK(created->store->vfs()->stats().journals_refused == 0);
  created->store.reset();
  CheckNoPlaintext(dir, "after close");
  CHECK(!fs::exists(dir + "/store.db-wal"));
  // The header is encrypted too: nothing says "SQLite format 3".
  CHECK_FALSE(Contains(ReadFileBytes(dir + "/store.db"), "SQLite format 3"));
}

TEST_CASE("FTS5 with remove_diacritics 2 finds Latvian names typed without diacritics",
          "[storage][crypto]") {
  testing::TempDir tmp;
  auto created = Store::Create(tmp / "store", kPass, KdfParams::Interactive());
  REQUIRE(created.ok());
  Database& db = created->store->db();
  REQUIRE(db.Exec(kSchema).ok());
  const std::vector<std::pair<std::string, std::string>> names = {
      {"Jānis Bērziņš", "berzins"}, {"Čakste", "cakste"}, {"Ēvalds", "evalds"},
      {"Ģirts", "girts"},           {"Īrisa", "irisa"},   {"Ķēniņš", "kenins"},
      {"Ļaudona", "laudona"},       {"Ņina", "nina"},     {"Šteins", "steins"},
      {"Ūdris", "udris"},           {"Žanis", "zanis"},   {"Āboliņa", "abolina"},
  };
  int id = 1;
  for (const auto& [name, query] : names) {
    REQUIRE(db.Run("INSERT INTO person(id, name) VALUES(?, ?)", id++, name).ok());
  }
  for (const auto& [name, query] : names) {
    INFO(name << " by " << query);
    auto found = db.QueryInt(
        "SELECT count(*) FROM person WHERE id IN (SELECT rowid FROM person_fts WHERE person_fts "
        "MATCH ?)",
        query);
    REQUIRE(found.ok());
    CHECK(*found == 1);
    // The same word with its diacritics and in capitals finds the same row.
    auto exact = db.QueryInt("SELECT count(*) FROM person_fts WHERE person_fts MATCH ?",
                             "\"" + FoldForSearch(name) + "\"");
    REQUIRE(exact.ok());
    CHECK(*exact == 1);
    CHECK(FoldForSearch(name).find(query) != std::string::npos);
  }
  // A prefix query over the folded form: "berz*" finds Bērziņš.
  CHECK(db.QueryInt("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'berz*'").value() == 1);
  CHECK(db.QueryInt("SELECT count(*) FROM person_fts WHERE person_fts MATCH 'BĒRZIŅŠ'").value() ==
        1);
}

TEST_CASE("FoldForSearch lowercases and strips Latvian and other Latin diacritics", "[storage]") {
  CHECK(FoldForSearch("Bērziņš") == "berzins");
  CHECK(FoldForSearch("ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž") == "acegiklnsuz acegiklnsuz");
  CHECK(FoldForSearch("Õun Ölü Ääre Straße Œuvre Łódź") == "oun olu aare strasse oeuvre lodz");
  CHECK(FoldForSearch("ПЕТРОВ Пётр") == "петров пётр");
  CHECK(FoldForSearch("12 × 3 ÷ 4 – ok") == "12 × 3 ÷ 4 – ok");
  CHECK(FoldForSearch("").empty());
  // Invalid UTF-8 passes through byte for byte.
  CHECK(FoldForSearch(std::string("a\xC4", 2)) == std::string("a\xC4", 2));
  CHECK(FoldForSearch(std::string("\xFF\xFEZ", 3)) == std::string("\xFF\xFEz", 3));
}

TEST_CASE("A flipped byte in a database page is kTampered naming the page, and changes nothing",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = MakeStore(tmp, 200);
  const std::string db_path = dir + "/store.db";
  REQUIRE(OpenAndReadEverything(dir).ok());
  const std::size_t pages = fs::file_size(db_path) / kPage;
  REQUIRE(pages > 6);
  // Inside the ciphertext, inside the tag and inside the nonce of page 5.
  for (std::size_t in_page : {std::size_t{123}, std::size_t{4060}, std::size_t{4090}}) {
    FlipByte(db_path, 4 * kPage + in_page);
    const auto before = SnapshotDir(dir);
    auto r = OpenAndReadEverything(dir);
    REQUIRE(!r.ok());
    INFO(r.error().message);
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("page 5 of store.db failed authentication") != std::string::npos);
    CHECK(SnapshotDir(dir) == before);
    FlipByte(db_path, 4 * kPage + in_page);
  }
  // Page 1 holds the header: the store does not open at all.
  FlipByte(db_path, 50);
  auto first = Store::Open(dir, kPass);
  REQUIRE(!first.ok());
  CHECK(first.error().code == Errc::kTampered);
  CHECK(first.error().message.find("page 1 of store.db") != std::string::npos);
  FlipByte(db_path, 50);
  CHECK(OpenAndReadEverything(dir).ok());
}

TEST_CASE("Two swapped pages and a truncated file are detected", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = MakeStore(tmp, 200);
  const std::string db_path = dir + "/store.db";
  SECTION("swap") {
    SwapPages(db_path, 2, 3);
    auto r = OpenAndReadEverything(dir);
    REQUIRE(!r.ok());
    INFO(r.error().message);
    CHECK(r.error().code == Errc::kTampered);
  }
  SECTION("cut mid-page") {
    auto bytes = ReadFileBytes(db_path);
    bytes.resize(bytes.size() - kPage / 2);
    WriteFileBytes(db_path, bytes);
    auto r = OpenAndReadEverything(dir);
    REQUIRE(!r.ok());
    INFO(r.error().message);
    CHECK((r.error().code == Errc::kTampered || r.error().code == Errc::kCorrupt));
  }
}

TEST_CASE("A page of another store with the same passphrase does not open here",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string a = MakeStore(tmp, 100);
  const std::string b = tmp / "b";
  {
    auto created = Store::Create(b, kPass, KdfParams::Interactive());
    REQUIRE(created.ok());
    REQUIRE(created->store->db().Exec(kSchema).ok());
    FillTable(created->store->db(), 100);
  }
  auto bytes_a = ReadFileBytes(a + "/store.db");
  auto bytes_b = ReadFileBytes(b + "/store.db");
  std::copy(bytes_a.begin() + 3 * kPage, bytes_a.begin() + 4 * kPage, bytes_b.begin() + 3 * kPage);
  WriteFileBytes(b + "/store.db", bytes_b);
  auto r = OpenAndReadEverything(b);
  REQUIRE(!r.ok());
  CHECK(r.error().code == Errc::kTampered);
}

TEST_CASE("An older copy of a page put back is detected by the page ledger", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = MakeStore(tmp, 300);
  const std::string db_path = dir + "/store.db";
  const auto old_db = ReadFileBytes(db_path);
  const auto old_ledger = ReadFileBytes(db_path + ".ledger");
  {
    auto store = Store::Open(dir, kPass);
    REQUIRE(store.ok());
    REQUIRE(
        (*store)->db().Exec("UPDATE person SET note = note || ' amended' WHERE id % 7 = 0").ok());
  }
  const auto new_db = ReadFileBytes(db_path);
  REQUIRE(new_db.size() >= old_db.size());
  REQUIRE(OpenAndReadEverything(dir).ok());

  SECTION("one page") {
    // The last page that differs (not page 1, so the store opens and the read finds it).
    std::size_t changed = 0;
    for (std::size_t p = 1; p < old_db.size() / kPage; ++p) {
      if (!std::equal(old_db.begin() + static_cast<std::ptrdiff_t>(p * kPage),
                      old_db.begin() + static_cast<std::ptrdiff_t>((p + 1) * kPage),
                      new_db.begin() + static_cast<std::ptrdiff_t>(p * kPage))) {
        changed = p;
      }
    }
    REQUIRE(changed > 0);
    auto bytes = new_db;
    std::copy(old_db.begin() + static_cast<std::ptrdiff_t>(changed * kPage),
              old_db.begin() + static_cast<std::ptrdiff_t>((changed + 1) * kPage),
              bytes.begin() + static_cast<std::ptrdiff_t>(changed * kPage));
    WriteFileBytes(db_path, bytes);
    auto r = OpenAndReadEverything(dir);
    REQUIRE(!r.ok());
    INFO(r.error().message);
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("older copy") != std::string::npos);
  }
  SECTION("the whole database file") {
    WriteFileBytes(db_path, old_db);
    auto r = OpenAndReadEverything(dir);
    REQUIRE(!r.ok());
    CHECK(r.error().code == Errc::kTampered);
  }
  SECTION("the ledger removed or altered") {
    fs::remove(db_path + ".ledger");
    auto missing = Store::Open(dir, kPass);
    REQUIRE(!missing.ok());
    CHECK(missing.error().code == Errc::kTampered);
    auto ledger = old_ledger;
    ledger[40] ^= 1;
    WriteFileBytes(db_path + ".ledger", ledger);
    auto altered = Store::Open(dir, kPass);
    REQUIRE(!altered.ok());
    CHECK(altered.error().code == Errc::kTampered);
  }
  SECTION("known limit: database and ledger rolled back together open (docs/STORAGE.md)") {
    WriteFileBytes(db_path, old_db);
    WriteFileBytes(db_path + ".ledger", old_ledger);
    CHECK(OpenAndReadEverything(dir).ok());
  }
}

TEST_CASE("A flipped byte in a WAL page image is kTampered, on reads and on recovery",
          "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = MakeStore(tmp, 100);
  auto store = Store::Open(dir, kPass);
  REQUIRE(store.ok());
  Database& db = (*store)->db();
  REQUIRE(db.Exec("PRAGMA wal_autocheckpoint=0").ok());
  REQUIRE(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  // One transaction after an emptied WAL: each changed page is in exactly one frame.
  FillTable(db, 150, 1000);
  const std::string wal = dir + "/store.db-wal";
  const std::size_t frames = (fs::file_size(wal) - 32) / (24 + kPage);
  REQUIRE(frames > 3);

  // A copy of the directory taken now carries the WAL; opening it runs WAL recovery, which
  // reads whole frames.
  const std::string copy = tmp / "copy";
  fs::create_directories(copy);
  for (const char* name : {"keys.lvk", "store.db", "store.db.ledger", "store.db-wal"}) {
    fs::copy_file(dir + "/" + name, copy + "/" + name);
  }
  const std::string copy2 = tmp / "copy2";
  fs::copy(copy, copy2);
  {
    auto recovered = OpenAndReadEverything(copy2);
    REQUIRE(recovered.ok());
  }

  SECTION("a reader reading the page from the WAL") {
    FlipByte(wal, 32 + 24 + 777);  // frame 1's page image
    auto reader = (*store).get()->OpenReader();
    REQUIRE(reader.ok());
    auto r = ReadEverything(*reader);
    REQUIRE(!r.ok());
    INFO(r.error().message);
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("frame 1 of store.db-wal failed authentication") !=
          std::string::npos);
    FlipByte(wal, 32 + 24 + 777);
  }
  SECTION("recovery of a copied WAL") {
    FlipByte(copy + "/store.db-wal", 32 + 2 * (24 + kPage) + 24 + 100);  // frame 3
    auto r = OpenAndReadEverything(copy);
    REQUIRE(!r.ok());
    INFO(r.error().message);
    CHECK(r.error().code == Errc::kTampered);
    CHECK(r.error().message.find("store.db-wal") != std::string::npos);
  }
  SECTION("two frames' page images swapped") {
    auto bytes = ReadFileBytes(copy + "/store.db-wal");
    const std::size_t a = 32 + 24, b = 32 + (24 + kPage) + 24;
    std::swap_ranges(bytes.begin() + static_cast<std::ptrdiff_t>(a),
                     bytes.begin() + static_cast<std::ptrdiff_t>(a + kPage),
                     bytes.begin() + static_cast<std::ptrdiff_t>(b));
    WriteFileBytes(copy + "/store.db-wal", bytes);
    auto r = OpenAndReadEverything(copy);
    REQUIRE(!r.ok());
    CHECK(r.error().code == Errc::kTampered);
  }
}
