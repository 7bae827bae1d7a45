// The exports shared by the CLI and the desktop (client/documents/export.hpp), in process:
// files are 0600 (an existing wider file is narrowed), a refused or failed export leaves no
// file and no audit entry, bad paths are refused before any work, the case summary of a case
// the actor may not read is refused and writes nothing.
#include "client/documents/export.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/client/documents_support.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client::documents;
using lietvedis::testing::ParseCsvStrict;
using lietvedis::testing::PdfText;
using lietvedis::testing::Slurp;
using lietvedis::testing::TempDir;
namespace fs = std::filesystem;

namespace {

bool OwnerOnly(const std::string& path) {
  return (fs::status(path).permissions() & fs::perms::all) ==
         (fs::perms::owner_read | fs::perms::owner_write);
}

std::int64_t ExportAuditCount(storage::Database& db) {
  auto st = db.Prepare("SELECT count(*) FROM audit WHERE action='export'");
  REQUIRE(st.ok());
  auto row = st->Step();
  REQUIRE(row.ok());
  return st->Int(0);
}

}  // namespace

TEST_CASE("export: a table file is 0600, complete and audited once", "[documents][export]") {
  lietvedis::testing::ModelFixture f;
  auto ws = f.As(f.officer);
  f.RegisterBerzins(*ws);
  auto rows = ws->Caseload(client::CaseloadFilter{});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  TempDir tmp;
  const std::string csv = tmp / "lietas.csv";
  std::ofstream(csv) << "old";
  fs::permissions(csv, fs::perms::all);  // an existing world-readable file is narrowed
  const auto before = ExportAuditCount(f.db);
  auto n = ExportTable(*ws, CaseloadTable(*rows), TableFormat::kCsv, ',', csv);
  REQUIRE(n.ok());
  CHECK(*n == 1);
  CHECK(OwnerOnly(csv));
  const auto cells = ParseCsvStrict(Slurp(csv), ',');
  REQUIRE(cells.size() == 2);
  CHECK(cells[1][1] == "Bērziņš");
  CHECK(ExportAuditCount(f.db) == before + 1);

  const std::string xlsx = tmp / "lietas.xlsx";
  REQUIRE(ExportTable(*ws, CaseloadTable(*rows), TableFormat::kXlsx, ';', xlsx).ok());
  CHECK(OwnerOnly(xlsx));
  CHECK(fs::file_size(xlsx) > 1000);
  CHECK(ExportAuditCount(f.db) == before + 2);
}

TEST_CASE("export: bad paths and refusals leave no file and no audit entry",
          "[documents][export]") {
  lietvedis::testing::ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  auto rows = ws->Caseload(client::CaseloadFilter{});
  REQUIRE(rows.ok());
  const DataTable table = CaseloadTable(*rows);
  TempDir tmp;
  const auto before = ExportAuditCount(f.db);

  SECTION("paths") {
    auto empty = ExportTable(*ws, table, TableFormat::kCsv, ';', "");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().code == Errc::kValidation);
    CHECK(empty.error().message == "output: required");
    auto folder = ExportTable(*ws, table, TableFormat::kXlsx, ';', tmp.path().string());
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.error().message == "output: is a folder, not a file");
    const std::string missing = tmp / "nav/lietas.csv";
    auto nowhere = ExportTable(*ws, table, TableFormat::kCsv, ';', missing);
    REQUIRE_FALSE(nowhere.ok());
    CHECK(nowhere.error().message == "output: the folder does not exist");
    for (auto format : {TableFormat::kCsv, TableFormat::kXlsx}) {
      auto io = ExportTable(*ws, table, format, ';', "/proc/lietvedis_export_test");
      REQUIRE_FALSE(io.ok());
      CHECK(io.error().code == Errc::kIo);
    }
    CHECK_FALSE(fs::exists("/proc/lietvedis_export_test"));
    CHECK(fs::is_empty(tmp.path()));
  }
  SECTION("a role without a caseload may not export: the written file is removed again") {
    auto coordinator = f.As(f.coordinator);
    const std::string path = tmp / "lietas.csv";
    auto refused = ExportTable(*coordinator, table, TableFormat::kCsv, ';', path);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == Errc::kNotPermitted);
    CHECK_FALSE(fs::exists(path));
  }
  SECTION("the case summary of a case the actor may not read") {
    auto other = f.As(f.officer_other_unit);
    const std::string path = tmp / "kopsavilkums.pdf";
    auto refused = ExportCaseSummaryFile(*other, case_id, 6, path);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == Errc::kNotPermitted);
    CHECK_FALSE(fs::exists(path));
  }
  CHECK(ExportAuditCount(f.db) == before);
}

TEST_CASE("export: the case summary file is 0600 and holds the client", "[documents][export]") {
  lietvedis::testing::ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  TempDir tmp;
  const std::string path = tmp / "kopsavilkums.pdf";
  auto pages = ExportCaseSummaryFile(*ws, case_id, 6, path);
  REQUIRE(pages.ok());
  CHECK(*pages >= 1);
  CHECK(OwnerOnly(path));
  CHECK(PdfText(path).find("Bērziņš") != std::string::npos);
}
