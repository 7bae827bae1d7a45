// JSON Lines export/import: exact round trip through an empty store, all-or-nothing import
// with the bad line named, writes through the replica (they reach the outbox).
#include "client/jsonl.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "client/demo_data.hpp"
#include "client/schema.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

struct EmptyStore {
  testing::TempDir dir;
  storage::Database db;
  std::unique_ptr<sync::Replica> replica;
  EmptyStore() {
    db = storage::Database::Open(dir / "empty.db").value();
    replica = OpenClientReplica(db, "other-site").value();
  }
  std::int64_t Rows() {
    std::int64_t n = 0;
    for (const auto& t : ReplicatedTables())
      n += db.QueryInt("SELECT count(*) FROM " + t.name).value();
    return n;
  }
};

std::string Export(storage::Database& db) {
  std::ostringstream out;
  auto r = ExportJsonl(db, out);
  REQUIRE(r.ok());
  return out.str();
}

}  // namespace

TEST_CASE("JSONL: export, import into an empty store, export again gives identical bytes",
          "[client][jsonl]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  DemoOptions opts;
  opts.cases = 6;
  auto caseload = SeedDemoCaseload(*officer, opts);
  REQUIRE(caseload.ok());
  auto coord = f.As(f.coordinator);
  REQUIRE(SeedDemoVolunteers(*coord, caseload->case_ids, opts).ok());
  REQUIRE(officer->CaseFile(caseload->case_ids[0]).ok());  // an audited read: audit rows travel too

  const std::string first = Export(f.db);
  // Every replicated table with rows appears, one record per line.
  std::int64_t lines = 0;
  for (char c : first) lines += c == '\n';
  std::int64_t rows = 0;
  for (const auto& t : ReplicatedTables())
    rows += f.db.QueryInt("SELECT count(*) FROM " + t.name).value();
  CHECK(lines == rows);
  CHECK(first.find("{\"type\":\"probation_case\",\"id\":") != std::string::npos);
  CHECK(first.find("\"type\":\"mentoring_session\"") != std::string::npos);
  CHECK(first.find("\"type\":\"mappa_action\"") != std::string::npos);

  EmptyStore target;
  std::istringstream in(first);
  auto imported = ImportJsonl(target.db, *target.replica, in);
  REQUIRE(imported.ok());
  CHECK(imported->records == rows);
  CHECK(target.replica->PendingCount().value() > 0);  // the import went through the replica
  const std::string second = Export(target.db);
  CHECK(second.size() == first.size());
  CHECK(second == first);

  SECTION("importing the same file again changes nothing visible") {
    std::istringstream again(first);
    auto re = ImportJsonl(target.db, *target.replica, again);
    REQUIRE(re.ok());
    CHECK(re->skipped > 0);  // append-only rows are left as they were
    CHECK(Export(target.db) == first);
  }
}

TEST_CASE("JSONL: a bad line fails the whole import and names the line", "[client][jsonl]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  f.RegisterBerzins(*officer);
  const std::string good = Export(f.db);
  std::int64_t good_lines = 0;
  for (char c : good) good_lines += c == '\n';
  REQUIRE(good_lines > 5);

  struct Bad {
    std::string line, expect;
  };
  const Bad kBad[] = {
      {"not json", "not a JSON object"},
      {R"({"type":"no_such_table","id":"x","scope":"org","fields":{}})",
       "type: not a replicated table"},
      {R"({"type":"note","id":"x","scope":"case:x","fields":{"password":"x"}})",
       "fields.password: not a column"},
      {R"({"type":"note","scope":"case:x","fields":{}})", "id: required string"},
      {R"({"type":"note","id":"x","scope":"case:x","fields":{"body":[1,2]}})",
       "fields.body: unsupported value"},
      {R"({"type":"note","id":"x","scope":"case:x","fields":{},"extra":1})", "unknown key extra"},
      // Hostile values: none is converted into another value on the way in.
      {R"({"type":"org_user","id":"x","scope":"org","fields":{"active":9223372036854775808}})",
       "fields.active: unsupported value"},
      {R"({"type":"org_user","id":"x","scope":"org","fields":{"active":18446744073709551615}})",
       "fields.active: unsupported value"},
      {R"({"type":"org_user","id":"x","scope":"org","fields":{"active":100000000000000000000000000000}})",
       "fields.active: expected an integer"},
      {R"({"type":"org_user","id":"x","scope":"org","fields":{"active":1.5}})",
       "fields.active: expected an integer"},
      {R"({"type":"note","id":"x","scope":"case:x","fields":{"body":18446744073709551615}})",
       "fields.body: unsupported value"},
      {R"({"type":"note","id":"x","scope":"case:x","fields":{"body":12}})",
       "fields.body: expected a string"},
      {R"({"type":"note","id":"x","scope":"case:x","fields":{"body":{"hex":"00"}}})",
       "fields.body: expected a string"},
      // A value nested 100,000 deep, followed by another field, once crashed the import.
      {R"({"type":"note","id":"x","scope":"case:x","fields":{"body":)" + std::string(100000, '[') +
           std::string(100000, ']') + R"(,"author_id":"a"}})",
       "nested deeper than 4 levels"},
  };
  for (const auto& bad : kBad) {
    INFO(bad.line.substr(0, 200));
    // The bad record goes in the middle: line good_lines/2 + 1.
    std::istringstream lines(good);
    std::string text, doc;
    std::int64_t n = 0;
    while (std::getline(lines, text)) {
      if (++n == good_lines / 2 + 1) doc += bad.line + "\n";
      doc += text + "\n";
    }
    EmptyStore target;
    std::istringstream in(doc);
    auto r = ImportJsonl(target.db, *target.replica, in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kValidation);
    CHECK(r.error().message.rfind("line " + std::to_string(good_lines / 2 + 1) + ": ", 0) == 0);
    CHECK(r.error().message.find(bad.expect) != std::string::npos);
    CHECK(target.Rows() == 0);
    CHECK(target.replica->PendingCount().value() == 0);
  }

  SECTION("a record that conflicts with the store rolls back every earlier record") {
    // The same row id in another scope: the replica refuses it at write time.
    EmptyStore target;
    std::istringstream first_in(good);
    REQUIRE(ImportJsonl(target.db, *target.replica, first_in).ok());
    const auto before = target.Rows();
    const auto pending = target.replica->PendingCount().value();
    const std::string case_line = good.substr(good.find("{\"type\":\"probation_case\""));
    const std::string id = case_line.substr(case_line.find("\"id\":\"") + 6, 32);
    std::string doc =
        R"({"type":"org_region","id":"r-new","scope":"org","fields":{"name":"Zemgale"}})"
        "\n";
    doc += R"({"type":"probation_case","id":")" + id +
           R"(","scope":"case:elsewhere","fields":{}})"
           "\n";
    std::istringstream in(doc);
    auto r = ImportJsonl(target.db, *target.replica, in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kValidation);  // the file's fault: exit 3, not 1
    CHECK(r.error().message.rfind("record 2: ", 0) == 0);
    CHECK(target.Rows() == before);
    CHECK(target.replica->PendingCount().value() == pending);
  }
}
