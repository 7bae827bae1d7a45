// JSON Lines export/import: exact round trip through an empty store, all-or-nothing import
// with the bad line named, writes through the replica (they reach the outbox).
#include "client/jsonl.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/audit_chain.hpp"
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
  auto imported = ImportJsonl(target.db, *target.replica, in, ImportMode::kRestore);
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

TEST_CASE("JSONL: restored audit entries verify as the original device's chains",
          "[client][jsonl][audit]") {
  ModelFixture f;  // its device is "test-site"
  auto officer = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*officer);
  REQUIRE(officer->CaseFile(case_id).ok());  // one more audited read in the chain
  const std::string backup = Export(f.db);
  const std::int64_t entries = f.db.QueryInt("SELECT count(*) FROM audit").value();
  REQUIRE(entries >= 2);
  REQUIRE(VerifyAuditChains(f.db).value().sound());

  SECTION("on another device: every entry is checked as test-site's chain, none is forged") {
    EmptyStore target;  // "other-site"
    std::istringstream in(backup);
    REQUIRE(ImportJsonl(target.db, *target.replica, in, ImportMode::kRestore).ok());
    auto report = VerifyAuditChains(target.db);
    REQUIRE(report.ok());
    for (const auto& finding : report->findings) INFO(finding.message);
    CHECK(report->sound());
    CHECK(report->restored == entries);
    CHECK(report->chained == entries);
    // The restoring device's own trail goes on in its own chain, and stays sound.
    {
      auto tx = storage::Transaction::Begin(target.db);
      REQUIRE(tx.ok());
      AuditChainEntry e;
      e.scope = CaseScope(case_id);
      e.user_id = f.officer;
      e.action = "read";
      e.target_table = "probation_case";
      e.target_id = case_id;
      e.at = "2026-03-16T12:00:00Z";
      REQUIRE(AppendAuditEntry(target.db, *target.replica, e).ok());
      REQUIRE(tx->Commit().ok());
    }
    CHECK(VerifyAuditChains(target.db).value().sound());

    SECTION("a restored entry changed after the restore is still found") {
      const std::string id = [&] {
        auto st = target.db.Prepare(
            "SELECT id FROM audit WHERE device_id='test-site' ORDER BY seq LIMIT 1");
        REQUIRE(st.ok());
        REQUIRE(st->Step().value());
        return st->Text(0);
      }();
      REQUIRE(target.db.Run("UPDATE audit SET action='export' WHERE id=?", id).ok());
      auto changed = VerifyAuditChains(target.db);
      REQUIRE(changed.ok());
      REQUIRE(changed->findings.size() == 1);
      CHECK(changed->findings[0].kind == AuditFindingKind::kRewritten);
      CHECK(changed->findings[0].entry_id == id);
    }
    SECTION("an entry the backup did not hold, placed in test-site's chain, is forged") {
      auto st = target.db.Prepare(
          "SELECT seq, hash FROM audit WHERE device_id='test-site' ORDER BY seq DESC LIMIT 1");
      REQUIRE(st.ok());
      REQUIRE(st->Step().value());
      AuditChainEntry e;
      e.id = sync::Replica::NewId();
      e.scope = CaseScope(case_id);
      e.user_id = f.officer;
      e.action = "read";
      e.target_table = "probation_case";
      e.target_id = case_id;
      e.at = "2026-03-16T12:00:00Z";
      e.device_id = "test-site";
      e.seq = st->Int(0) + 1;
      e.prev_hash = st->Text(1);
      e.hash = AuditEntryHash(e);
      auto tx = storage::Transaction::Begin(target.db);
      REQUIRE(tx.ok());
      REQUIRE(target.replica
                  ->Write("audit", e.id, e.scope,
                          {{"user_id", storage::Value{e.user_id}},
                           {"action", storage::Value{e.action}},
                           {"target_table", storage::Value{e.target_table}},
                           {"target_id", storage::Value{e.target_id}},
                           {"detail", storage::Value{}},
                           {"at", storage::Value{e.at}},
                           {"device_id", storage::Value{e.device_id}},
                           {"seq", storage::Value{e.seq}},
                           {"prev_hash", storage::Value{e.prev_hash}},
                           {"hash", storage::Value{e.hash}}})
                  .ok());
      REQUIRE(tx->Commit().ok());
      auto forged = VerifyAuditChains(target.db);
      REQUIRE(forged.ok());
      REQUIRE(forged->findings.size() == 1);
      CHECK(forged->findings[0].kind == AuditFindingKind::kForeign);
      CHECK(forged->findings[0].entry_id == e.id);
    }
  }

  SECTION("on the same device: its chain continues after the restored entries, no fork") {
    testing::TempDir dir;
    auto db = storage::Database::Open(dir / "same.db").value();
    auto replica = OpenClientReplica(db, "test-site").value();
    std::istringstream in(backup);
    REQUIRE(ImportJsonl(db, *replica, in, ImportMode::kRestore).ok());
    CHECK(db.QueryInt("SELECT count(*) FROM audit_restored").value() == 0);
    const std::int64_t last =
        db.QueryInt("SELECT max(seq) FROM audit WHERE scope=?", CaseScope(case_id)).value();
    CHECK(
        db.QueryInt("SELECT seq FROM audit_chain_head WHERE scope=?", CaseScope(case_id)).value() ==
        last);
    auto tx = storage::Transaction::Begin(db);
    REQUIRE(tx.ok());
    AuditChainEntry e;
    e.scope = CaseScope(case_id);
    e.user_id = f.officer;
    e.action = "read";
    e.target_table = "probation_case";
    e.target_id = case_id;
    e.at = "2026-03-16T12:00:00Z";
    REQUIRE(AppendAuditEntry(db, *replica, e).ok());
    REQUIRE(tx->Commit().ok());
    auto report = VerifyAuditChains(db);
    REQUIRE(report.ok());
    CHECK(report->sound());
    CHECK(report->restored == 0);
    CHECK(db.QueryInt("SELECT max(seq) FROM audit WHERE scope=?", CaseScope(case_id)).value() ==
          last + 1);
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
    REQUIRE(ImportJsonl(target.db, *target.replica, first_in, ImportMode::kRestore).ok());
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

namespace {

// The export of `db` with the record of (table, id) changed by `edit`.
std::string EditedExport(storage::Database& db, const std::string& table, const std::string& id,
                         const std::function<void(nlohmann::ordered_json&)>& edit) {
  std::istringstream lines(Export(db));
  std::string text, doc;
  while (std::getline(lines, text)) {
    auto j = nlohmann::ordered_json::parse(text);
    if (j["type"] == table && j["id"] == id) {
      edit(j);
      text = j.dump();
    }
    doc += text + "\n";
  }
  return doc;
}

}  // namespace

TEST_CASE("JSONL import applies the commands' rules: a wrong check digit is refused",
          "[client][jsonl][privacy]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*officer);
  const std::string client_id = officer->CaseFile(case_id)->client.id;
  const std::string doc = EditedExport(f.db, "client", client_id, [](auto& j) {
    j["fields"]["personal_code"] = "150385-11002";  // check digit should be 1
  });
  EmptyStore target;
  std::istringstream in(doc);
  auto r = ImportJsonl(target.db, *target.replica, in, ImportMode::kRestore);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kValidation);
  CHECK(r.error().message.find("fields.personal_code: wrong check digit") != std::string::npos);
  CHECK(r.error().message.find("150385") == std::string::npos);  // the value is not echoed
  CHECK(target.Rows() == 0);

  const std::string bad_date = EditedExport(
      f.db, "probation_case", case_id, [](auto& j) { j["fields"]["opened_on"] = "31.02.2026"; });
  std::istringstream in2(bad_date);
  auto r2 = ImportJsonl(target.db, *target.replica, in2, ImportMode::kRestore);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("fields.opened_on") != std::string::npos);
  CHECK(target.Rows() == 0);
}

TEST_CASE("JSONL import into a working store never rewrites signed records or forges audit",
          "[client][jsonl][privacy]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*officer);
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument_version = "1";
  ra.total_score = 12;
  ra.risk_level = RiskLevel::kMedium;
  const std::string assessment = f.Must(officer->Execute(ra));
  f.Must(officer->Execute(SignAssessment{assessment}));
  const auto rows_before = f.db.QueryInt("SELECT count(*) FROM audit").value();
  const auto pending = f.Outbox();

  SECTION("a changed signed assessment") {
    const std::string doc = EditedExport(f.db, "assessment", assessment, [](auto& j) {
      j["fields"]["risk_level"] = "low";
      j["fields"]["total_score"] = 3;
    });
    std::istringstream in(doc);
    auto r = ImportJsonl(f.db, *f.replica, in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kNotPermitted);
    CHECK(r.error().message.find("assessment " + assessment + " is signed") != std::string::npos);
    CHECK(f.db.QueryInt("SELECT total_score FROM assessment WHERE id=?", assessment).value() == 12);
    CHECK(f.Outbox() == pending);
  }
  SECTION("the same signed assessment unchanged is fine") {
    std::istringstream in(Export(f.db));
    REQUIRE(ImportJsonl(f.db, *f.replica, in).ok());
  }
  SECTION("a forged audit row") {
    std::string doc = Export(f.db);
    doc += R"({"type":"audit","id":"forged","scope":"case:)" + case_id +
           R"(","fields":{"user_id":"someone","action":"read","target_table":"probation_case",)"
           R"("target_id":")" +
           case_id +
           R"(","detail":"case_file","at":"2026-03-01T00:00:00Z"}})"
           "\n";
    std::istringstream in(doc);
    auto r = ImportJsonl(f.db, *f.replica, in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kNotPermitted);
    CHECK(r.error().message.find("audit: ") != std::string::npos);
    CHECK(f.db.QueryInt("SELECT count(*) FROM audit").value() == rows_before);
    CHECK(f.Outbox() == pending);
  }
  SECTION("a restore into a store that holds records") {
    std::istringstream in(Export(f.db));
    auto r = ImportJsonl(f.db, *f.replica, in, ImportMode::kRestore);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kValidation);
    CHECK(f.Outbox() == pending);
  }
}

TEST_CASE("JSONL import refuses a client whose birth date contradicts the same personal code",
          "[client][jsonl][casework]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*officer);  // born 15.03.1985
  const std::string client_id = officer->CaseFile(case_id).value().client.id;
  const auto pending = f.Outbox();
  auto doc_with = [&](const char* birth) {
    // The same client row under another id: a second registration of the code.
    return EditedExport(f.db, "client", client_id, [&](auto& j) {
      j["id"] = "second-registration";
      j["fields"]["birth_date"] = birth;
    });
  };
  {
    std::istringstream in(doc_with("1985-03-16"));
    auto r = ImportJsonl(f.db, *f.replica, in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kValidation);
    CHECK(r.error().message.find("client second-registration: fields.birth_date contradicts "
                                 "client " +
                                 client_id) != std::string::npos);
    CHECK(f.db.QueryInt("SELECT count(*) FROM client").value() == 1);
    CHECK(f.Outbox() == pending);
  }
  {
    std::istringstream in(doc_with("1985-03-15"));  // the same person's second case row
    REQUIRE(ImportJsonl(f.db, *f.replica, in).ok());
    CHECK(f.db.QueryInt("SELECT count(*) FROM client").value() == 2);
  }
}

TEST_CASE("JSONL import recomputes a client card's fold without the personal code",
          "[client][jsonl][privacy]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, case_id);
  const std::string doc = EditedExport(f.db, "client_card", case_id, [](auto& j) {
    j["fields"]["name_fold"] = "janis berzins 150385-11001";  // as written before step 4
  });
  EmptyStore target;
  std::istringstream in(doc);
  REQUIRE(ImportJsonl(target.db, *target.replica, in, ImportMode::kRestore).ok());
  CHECK(target.db.QueryInt("SELECT count(*) FROM client_card WHERE name_fold='janis berzins'")
            .value() == 1);
}
