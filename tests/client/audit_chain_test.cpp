// The tamper-evident audit (client/audit_chain.hpp): each device's audit entries in a scope
// form a hash chain that every reader verifies. On a real SQLite store (the chain, a rewritten
// or deleted entry, legacy entries) and through the real central store with two enrolled
// devices (chains of both verified by both; an envelope the central store drops, a device
// that forks its chain, an entry forged under another device's chain, an envelope that
// rewrites an entry).
#include "client/audit_chain.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "client/device.hpp"
#include "tests/client/model_fixture.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_SERVER_BINARY
#error "LV_SERVER_BINARY must name the lietvedis-server binary"
#endif

using namespace lietvedis;
using client::AuditFindingKind;

namespace {

client::AuditVerifyReport Verify(storage::Database& db, const std::string& scope) {
  auto r = client::VerifyAuditChains(db, {scope});
  if (!r.ok()) FAIL(r.error().message);
  return std::move(r).value();
}

std::string Describe(const client::AuditVerifyReport& r) {
  std::string out;
  for (const auto& f : r.findings)
    out += std::string(client::AuditFindingName(f.kind)) + ": " + f.message + "\n";
  return out;
}

std::vector<client::AuditFinding> OfKind(const client::AuditVerifyReport& r, AuditFindingKind k) {
  std::vector<client::AuditFinding> out;
  for (const auto& f : r.findings) {
    if (f.kind == k) out.push_back(f);
  }
  return out;
}

// The first column of the first row as text (REQUIREs a row).
template <class... Args>
std::string QueryText(storage::Database& db, const std::string& sql, const Args&... args) {
  auto st = db.Prepare(sql);
  REQUIRE(st.ok());
  st->BindAll(args...);
  auto row = st->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return st->Text(0);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void Note(client::Workspace& ws, const std::string& case_id, int i) {
  client::AddNote n;
  n.case_id = case_id;
  n.body = "Piezīme " + std::to_string(i);
  auto id = ws.Execute(n);
  if (!id.ok()) FAIL(id.error().message);
}

std::string RegisterClient(client::Workspace& ws, const char* code, const char* birth) {
  client::RegisterClient c;
  c.name = "Jānis";
  c.surname = "Bērziņš";
  c.personal_code = code;
  c.birth_date = birth;
  c.kind = client::CaseKind::kConditionalSentence;
  auto id = ws.Execute(c);
  if (!id.ok()) FAIL(id.error().message);
  return std::move(id).value();
}

// A legacy entry as written before schema step 8: no chain fields.
void WriteLegacyEntry(testing::ModelFixture& f, const std::string& scope, const std::string& id) {
  auto tx = storage::Transaction::Begin(f.db);
  REQUIRE(tx.ok());
  REQUIRE(f.replica
              ->Write("audit", id, scope,
                      {{"user_id", storage::Value{f.officer}},
                       {"action", storage::Value{std::string("read")}},
                       {"target_table", storage::Value{std::string("probation_case")}},
                       {"target_id", storage::Value{std::string("c1")}},
                       {"at", storage::Value{std::string("2026-01-05T10:00:00Z")}}})
              .ok());
  REQUIRE(tx->Commit().ok());
}

}  // namespace

TEST_CASE("audit: one device's entries in a scope form a hash chain that verifies sound",
          "[client][audit]") {
  testing::ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  for (int i = 0; i < 30; ++i) Note(*ws, case_id, i);
  REQUIRE(ws->CaseFile(case_id).ok());
  const std::string scope = client::CaseScope(case_id);

  auto st = f.db.Prepare(
      "SELECT seq, prev_hash, hash, device_id FROM audit WHERE scope=?"
      " ORDER BY seq");
  REQUIRE(st.ok());
  st->Bind(1, scope);
  std::int64_t expect = 1;
  std::string prev;
  for (;;) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    CHECK(st->Int(0) == expect);
    CHECK(st->Text(1) == prev);
    CHECK(st->Text(2).size() == 64);
    CHECK(st->Text(3) == "test-site");
    prev = st->Text(2);
    ++expect;
  }
  REQUIRE(expect > 32);  // registration + 30 notes + the read, at least

  const auto report = Verify(f.db, scope);
  INFO(Describe(report));
  CHECK(report.sound());
  CHECK(report.scopes == 1);
  CHECK(report.chains == 1);
  CHECK(report.chained == expect - 1);
  CHECK(report.unchained == 0);
  // The whole store: every scope's chains verify too (org and unit scopes of the bootstrap).
  auto all = client::VerifyAuditChains(f.db);
  REQUIRE(all.ok());
  CHECK(all->sound());
  CHECK(all->scopes > 1);
}

TEST_CASE("audit: an entry rewritten or deleted in the store is named as tampering",
          "[client][audit]") {
  testing::ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  for (int i = 0; i < 10; ++i) Note(*ws, case_id, i);
  const std::string scope = client::CaseScope(case_id);
  auto id_at = [&](int seq) {
    auto st = f.db.Prepare("SELECT id FROM audit WHERE scope=? AND seq=?");
    REQUIRE(st.ok());
    st->BindAll(scope, seq);
    REQUIRE(st->Step().value());
    return st->Text(0);
  };
  const std::string fifth = id_at(5);
  const std::string detail_before = QueryText(f.db, "SELECT detail FROM audit WHERE id=?", fifth);

  SECTION("rewritten content") {
    REQUIRE(f.db.Run("UPDATE audit SET detail='body' WHERE id=?", fifth).ok());
    const auto report = Verify(f.db, scope);
    INFO(Describe(report));
    const auto rewritten = OfKind(report, AuditFindingKind::kRewritten);
    REQUIRE(rewritten.size() == 1);
    CHECK(rewritten[0].entry_id == fifth);
    CHECK(rewritten[0].seq == 5);
    CHECK(Contains(rewritten[0].message, "entry " + fifth + ", #5 of device test-site's chain"));
    CHECK(Contains(rewritten[0].message, "does not match its hash"));
    CHECK(report.findings.size() == 1);
    CHECK(detail_before != "body");
  }
  SECTION("rewritten with a fresh hash: the next entry no longer follows it") {
    auto entry_text = [&](const char* col) {
      return QueryText(f.db, std::string("SELECT ") + col + " FROM audit WHERE id=?", fifth);
    };
    client::AuditChainEntry e;
    e.id = fifth;
    e.scope = scope;
    e.user_id = entry_text("user_id");
    e.action = entry_text("action");
    e.target_table = entry_text("target_table");
    e.target_id = entry_text("target_id");
    e.detail = "body";
    e.at = entry_text("at");
    e.device_id = "test-site";
    e.seq = 5;
    e.prev_hash = entry_text("prev_hash");
    const std::string forged_hash = client::AuditEntryHash(e);
    REQUIRE(f.db.Run("UPDATE audit SET detail='body', hash=? WHERE id=?", forged_hash, fifth).ok());
    const auto report = Verify(f.db, scope);
    INFO(Describe(report));
    const auto rewritten = OfKind(report, AuditFindingKind::kRewritten);
    REQUIRE(rewritten.size() == 1);
    CHECK(rewritten[0].entry_id == id_at(6));
    CHECK(Contains(rewritten[0].message, "does not follow entry " + fifth + " at #5"));
  }
  SECTION("deleted entries") {
    const std::string ninth = id_at(9);
    REQUIRE(f.db.Run("DELETE FROM audit WHERE scope=? AND seq IN (7, 8)", scope).ok());
    const auto report = Verify(f.db, scope);
    INFO(Describe(report));
    const auto gaps = OfKind(report, AuditFindingKind::kGap);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].seq == 7);
    CHECK(Contains(gaps[0].message, "device test-site's chain in scope " + scope + " lacks #7–#8"));
    CHECK(Contains(gaps[0].message, "entry " + ninth + " at #9"));
    CHECK(report.findings.size() == 1);
  }
}

TEST_CASE("audit: entries written before the chain are legacy, one written outside it later is not",
          "[client][audit]") {
  testing::ModelFixture f;
  const std::string scope = "case:legacy";
  for (int i = 0; i < 3; ++i) WriteLegacyEntry(f, scope, "legacy" + std::to_string(i));
  auto report = Verify(f.db, scope);
  CHECK(report.sound());
  CHECK(report.unchained == 3);
  CHECK(report.chained == 0);

  auto tx = storage::Transaction::Begin(f.db);
  REQUIRE(tx.ok());
  for (int i = 0; i < 2; ++i) {
    client::AuditChainEntry e;
    e.scope = scope;
    e.user_id = f.officer;
    e.action = "read";
    e.target_table = "probation_case";
    e.target_id = "c1";
    e.detail = "case_file";
    e.at = "2026-03-16T12:00:00Z";
    REQUIRE(client::AppendAuditEntry(f.db, *f.replica, e).ok());
  }
  REQUIRE(tx->Commit().ok());
  report = Verify(f.db, scope);
  INFO(Describe(report));
  CHECK(report.sound());
  CHECK(report.unchained == 3);
  CHECK(report.chained == 2);

  WriteLegacyEntry(f, scope, "outside");
  report = Verify(f.db, scope);
  INFO(Describe(report));
  const auto unchained = OfKind(report, AuditFindingKind::kUnchained);
  REQUIRE(unchained.size() == 1);
  CHECK(unchained[0].entry_id == "outside");
  CHECK(Contains(unchained[0].message, "written outside the chain"));
  CHECK(report.findings.size() == 1);
  CHECK(report.unchained == 3);
}

TEST_CASE(
    "audit: through the central store every reader verifies two devices' chains and names a "
    "dropped, forked, forged or rewritten entry",
    "[client][audit][sync]") {
  testing::TempDir tmp;
  const std::string central = tmp / "central.db";
  const std::string store = "sqlite:" + central;
  auto admin = [&](const std::string& args) {
    return testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer =
      admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  const std::string supervisor =
      admin("user add --unit " + unit + " --role supervisor --name 'Anna Vītola'");
  testing::ServerProcess server(LV_SERVER_BINARY, store);
  auto enrol = [&](const std::string& user, const std::string& name) {
    const std::string code = admin("enrol-code --user " + user + " " + server.EnrolCodeArgs());
    client::DeviceOptions options;
    options.kdf = storage::KdfParams::Interactive();
    auto e =
        client::Device::Enrol(tmp / name, "a passphrase for tests", code, name, std::move(options));
    if (!e.ok()) FAIL(e.error().message);
    REQUIRE(e->first_sync.ok());
    return std::move(e->device);
  };
  auto sync = [](client::Device& d) {
    auto r = d.engine().SyncOnce();
    if (!r.ok()) FAIL(r.error().message);
  };
  auto o = enrol(officer, "officer");
  auto s = enrol(supervisor, "supervisor");
  auto ows = o->OpenWorkspace();
  REQUIRE(ows.ok());
  auto sws = s->OpenWorkspace();
  REQUIRE(sws.ok());
  const std::string o_dev = o->profile().device_id, s_dev = s->profile().device_id;

  // Two devices' chains in one scope: the officer writes, the supervisor reads the case file.
  const std::string a = RegisterClient(**ows, testing::kCode1985, "15.03.1985");
  const std::string sa = client::CaseScope(a);
  for (int i = 0; i < 15; ++i) Note(**ows, a, i);
  sync(*o);
  sync(*s);
  for (int i = 0; i < 8; ++i) REQUIRE((*sws)->CaseFile(a).ok());
  sync(*s);
  sync(*o);
  std::int64_t chained = 0;
  for (client::Device* d : {o.get(), s.get()}) {
    const auto report = Verify(d->db(), sa);
    INFO(Describe(report));
    CHECK(report.sound());
    CHECK(report.chains == 2);
    CHECK(report.unchained == 0);
    CHECK(report.chained > 23);
    if (chained == 0) chained = report.chained;
    CHECK(report.chained == chained);
    CHECK(d->db()
              .QueryInt("SELECT count(*) FROM audit WHERE scope=? AND device_id=?", sa, s_dev)
              .value() == 8);
  }

  SECTION("the central store drops an envelope: the reader names the gap") {
    const std::string b = RegisterClient(**ows, testing::kCode1990, "01.01.1990");
    sync(*o);
    for (int i = 0; i < 3; ++i) {
      Note(**ows, b, i);
      sync(*o);
    }
    {
      auto db = storage::Database::Open(central);
      REQUIRE(db.ok());
      REQUIRE(db->QueryInt("SELECT count(*) FROM envelopes WHERE scope=?", client::CaseScope(b))
                  .value() >= 4);
      REQUIRE(db->Run("DELETE FROM envelopes WHERE seq = (SELECT seq FROM envelopes WHERE"
                      " scope=? ORDER BY seq LIMIT 1 OFFSET 2)",
                      client::CaseScope(b))
                  .ok());
    }
    sync(*s);
    const auto report = Verify(s->db(), client::CaseScope(b));
    INFO(Describe(report));
    const auto gaps = OfKind(report, AuditFindingKind::kGap);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].device_id == o_dev);
    CHECK(Contains(gaps[0].message,
                   "device " + o_dev + "'s chain in scope " + client::CaseScope(b) + " lacks #"));
    CHECK(Contains(gaps[0].message, "dropped or withheld"));
    CHECK(report.findings.size() == 1);
    // The author's own store still holds the entry: its chain there is whole.
    CHECK(Verify(o->db(), client::CaseScope(b)).sound());
  }

  SECTION("a device forks its chain: every reader names the fork") {
    const std::string c = RegisterClient(**ows, testing::kCode1999, "31.12.1999");
    const std::string sc = client::CaseScope(c);
    const std::int64_t head_seq =
        o->db().QueryInt("SELECT seq FROM audit_chain_head WHERE scope=?", sc).value();
    const std::string head_hash =
        QueryText(o->db(), "SELECT hash FROM audit_chain_head WHERE scope=?", sc);
    Note(**ows, c, 1);
    // As a device restored from a copy of itself would: the chain continues from an older head.
    REQUIRE(
        o->db()
            .Run("UPDATE audit_chain_head SET seq=?, hash=? WHERE scope=?", head_seq, head_hash, sc)
            .ok());
    Note(**ows, c, 2);
    sync(*o);
    sync(*s);
    for (client::Device* d : {o.get(), s.get()}) {
      const auto report = Verify(d->db(), sc);
      INFO(Describe(report));
      const auto forks = OfKind(report, AuditFindingKind::kFork);
      REQUIRE(forks.size() == 1);
      CHECK(forks[0].seq == head_seq + 1);
      CHECK(Contains(forks[0].message, "device " + o_dev + "'s chain in scope " + sc +
                                           " forks at #" + std::to_string(head_seq + 1)));
      CHECK(report.findings.size() == 1);
    }
  }

  SECTION("an entry forged under another device's chain: every reader names its author") {
    auto last = s->db().Prepare(
        "SELECT seq, hash FROM audit WHERE scope=? AND device_id=? ORDER BY seq DESC LIMIT 1");
    REQUIRE(last.ok());
    last->BindAll(sa, o_dev);
    REQUIRE(last->Step().value());
    client::AuditChainEntry e;
    e.id = sync::Replica::NewId();
    e.scope = sa;
    e.user_id = officer;
    e.action = "read";
    e.target_table = "probation_case";
    e.target_id = a;
    e.detail = "case_file";
    e.at = "2026-03-16T12:00:00Z";
    e.device_id = o_dev;
    e.seq = last->Int(0) + 1;
    e.prev_hash = last->Text(1);
    e.hash = client::AuditEntryHash(e);
    {
      auto tx = storage::Transaction::Begin(s->db());
      REQUIRE(tx.ok());
      REQUIRE(s->replica()
                  .Write("audit", e.id, sa,
                         {{"user_id", storage::Value{e.user_id}},
                          {"action", storage::Value{e.action}},
                          {"target_table", storage::Value{e.target_table}},
                          {"target_id", storage::Value{e.target_id}},
                          {"detail", storage::Value{*e.detail}},
                          {"at", storage::Value{e.at}},
                          {"device_id", storage::Value{e.device_id}},
                          {"seq", storage::Value{e.seq}},
                          {"prev_hash", storage::Value{e.prev_hash}},
                          {"hash", storage::Value{e.hash}}})
                  .ok());
      REQUIRE(tx->Commit().ok());
    }
    sync(*s);
    sync(*o);
    for (client::Device* d : {o.get(), s.get()}) {
      const auto report = Verify(d->db(), sa);
      INFO(Describe(report));
      const auto forged = OfKind(report, AuditFindingKind::kForeign);
      REQUIRE(forged.size() == 1);
      CHECK(forged[0].entry_id == e.id);
      CHECK(Contains(forged[0].message, "claims place #" + std::to_string(e.seq) + " of device " +
                                            o_dev + "'s chain but was written by device " + s_dev));
      CHECK(report.findings.size() == 1);
    }
  }

  SECTION("an envelope that rewrites an entry is refused by the reader, which keeps the entry") {
    const std::string first = QueryText(
        o->db(), "SELECT id FROM audit WHERE scope=? AND seq=1 AND device_id=?", sa, o_dev);
    const std::string detail = QueryText(o->db(), "SELECT detail FROM audit WHERE id=?", first);
    auto stamp = o->replica().StampOf("audit", first, "detail");
    REQUIRE(stamp.ok());
    REQUIRE(stamp->has_value());
    // A device with its keys can push anything: here a change of its own append-only entry.
    REQUIRE(o->db()
                .Run("INSERT INTO sync_outbox(scope, tbl, row_id, col, value, hlc, site, prev_hlc,"
                     " prev_site) VALUES(?, 'audit', ?, 'detail', 'rewritten', ?, ?, ?, ?)",
                     sa, first, (*stamp)->hlc + 1, o_dev, (*stamp)->hlc, o_dev)
                .ok());
    sync(*o);
    sync(*s);
    auto status = s->engine().Status();
    REQUIRE(status.ok());
    bool refused = false;
    for (const auto& r : status->refusals) {
      INFO(r.reason);
      refused = refused || (r.scope == sa && Contains(r.reason, "of audit row " + first));
    }
    CHECK(refused);
    CHECK(QueryText(s->db(), "SELECT detail FROM audit WHERE id=?", first) == detail);
    CHECK(Verify(s->db(), sa).sound());
  }
}
