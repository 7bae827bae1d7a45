// Store::Check (`lietvedis check`) on real damaged files: a byte flipped in a free page (which
// no query reads), in a used page, and in the log; each named by file and page or frame, and
// a sound store reports nothing. The check writes nothing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "storage/store.hpp"
#include "tests/storage/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::storage;
using namespace lietvedis::storage::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPass = "store check passphrase";
constexpr std::size_t kPage = 4096;

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("Store::Check names a damaged free page, used page and log frame", "[storage][crypto]") {
  testing::TempDir tmp;
  const std::string dir = tmp / "store";
  std::vector<std::int64_t> freed, used;
  {
    auto created = Store::Create(dir, kPass, KdfParams::Interactive());
    REQUIRE(created.ok());
    Database& db = created->store->db();
    REQUIRE(db.Exec("CREATE TABLE kept(id INTEGER PRIMARY KEY, v TEXT);"
                    "CREATE TABLE scratch(id INTEGER PRIMARY KEY, v TEXT);")
                .ok());
    for (int i = 0; i < 200; ++i) {
      REQUIRE(db.Run("INSERT INTO kept(id, v) VALUES(?, ?)", i, std::string(300, 'k')).ok());
      REQUIRE(db.Run("INSERT INTO scratch(id, v) VALUES(?, ?)", i, std::string(900, 's')).ok());
    }
    {
      auto pages = db.Prepare("SELECT name, pageno FROM dbstat WHERE name IN ('scratch', 'kept')");
      REQUIRE(pages.ok());
      while (pages->Step().value()) {
        (pages->Text(0) == "scratch" ? freed : used).push_back(pages->Int(1));
      }
    }
    REQUIRE(db.Exec("DROP TABLE scratch; PRAGMA wal_checkpoint(TRUNCATE);").ok());
    REQUIRE(db.QueryInt("PRAGMA freelist_count").value() > 10);
  }
  REQUIRE(freed.size() > 10);
  const std::string db_path = dir + "/store.db";

  auto check = [&]() {
    auto store = Store::Open(dir, kPass);
    REQUIRE(store.ok());
    const auto before = SnapshotDir(dir);
    auto report = (*store)->Check();
    REQUIRE(report.ok());
    CHECK(SnapshotDir(dir) == before);
    return std::move(report).value();
  };

  SECTION("a sound store") {
    Store::CheckReport report = check();
    INFO(Joined(report.files.damage) << Joined(report.integrity));
    CHECK(report.sound());
    CHECK(report.files.db_pages == fs::file_size(db_path) / kPage);
  }
  SECTION("a free page") {
    // A freelist leaf: no query and not integrity_check reads it; only the check does.
    const std::int64_t page = freed[freed.size() / 2];
    FlipByte(db_path, static_cast<std::size_t>(page - 1) * kPage + 200);
    Store::CheckReport report = check();
    CHECK_FALSE(report.sound());
    const std::string damage = Joined(report.files.damage);
    INFO(damage);
    CHECK(damage.find("page " + std::to_string(page) + " of store.db failed authentication") !=
          std::string::npos);
  }
  SECTION("a used page") {
    const std::int64_t page = used[used.size() / 2];  // a page of the table `kept`
    FlipByte(db_path, static_cast<std::size_t>(page - 1) * kPage + 300);
    Store::CheckReport report = check();
    CHECK_FALSE(report.sound());
    INFO(Joined(report.files.damage));
    CHECK(Joined(report.files.damage)
              .find("page " + std::to_string(page) + " of store.db failed authentication") !=
          std::string::npos);
    CHECK_FALSE(report.integrity.empty());  // and integrity_check could not read it
  }
  SECTION("a frame of the log") {
    auto store = Store::Open(dir, kPass);
    REQUIRE(store.ok());
    Database& db = (*store)->db();
    REQUIRE(db.Exec("PRAGMA wal_autocheckpoint=0").ok());
    for (int i = 1000; i < 1100; ++i) {
      REQUIRE(db.Run("INSERT INTO kept(id, v) VALUES(?, ?)", i, std::string(300, 'w')).ok());
    }
    FlipByte(dir + "/store.db-wal", 32 + 24 + 500);  // frame 1's page image
    auto report = (*store)->Check();
    REQUIRE(report.ok());
    CHECK_FALSE(report->sound());
    INFO(Joined(report->files.damage));
    CHECK(Joined(report->files.damage).find("frame 1 of store.db-wal failed authentication") !=
          std::string::npos);
    FlipByte(dir + "/store.db-wal", 32 + 24 + 500);
    auto again = (*store)->Check();
    REQUIRE(again.ok());
    CHECK(again->sound());
    CHECK(again->files.wal_frames > 0);
  }
}
