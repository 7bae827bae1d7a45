// caseload_bench: how fast the Workspace lists a unit's caseload, searches it and opens a case
// file, against a baseline that builds the same rows with a query per case (the N+1 pattern
// the set-based queries avoid). Both run in the same process on the same file.
//
//   lv_caseload_bench [--cases N] [--officers K] [--runs R] [--plain] [--json]
//
// Prints a table: operation, rows returned, median milliseconds of R runs, ratio to the
// per-row baseline. The store is the encrypted one (storage::Store, Argon2id MODERATE) unless
// --plain; with it the last figure is "unlock -> caseload": open the store with the passphrase,
// open the replica and the supervisor's Workspace, list the unit's caseload. --json adds one
// JSON line with the figures. Registered as a ctest smoke test with tiny sizes (no timing
// checked).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "client/schema.hpp"
#include "client/workspace.hpp"
#include "storage/database.hpp"
#include "storage/store.hpp"
#include "sync/replica.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::client;

namespace {

[[noreturn]] void Die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "caseload_bench: %s: %s\n", what.c_str(), e.message.c_str());
  std::exit(1);
}

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(what, r.error());
  return std::move(r).value();
}

double MedianMs(int runs, const std::function<size_t()>& body, size_t* rows) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    *rows = body();
    const auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

const char* kNames[] = {"Jānis", "Līga",  "Pēteris", "Ilze",  "Andris",
                        "Dace",  "Māris", "Inese",   "Ģirts", "Ērika"};
const char* kSurnames[] = {"Bērziņš", "Kalniņa", "Ozols", "Liepa",  "Šņepsts", "Krūmiņa",
                           "Vītols",  "Žagars",  "Ābele", "Čakste", "Ūdre",    "Egle"};

// A valid personal code for serial n (old format, 1900s births).
std::string PersonalCode(int n) {
  static const int w[] = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  for (int tail = n % 900;; ++tail) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%02d%02d%02d1%03d", 1 + n % 28, 1 + n % 12, 50 + n % 49,
                  tail % 1000);
    int s = 0;
    for (int i = 0; i < 10; ++i) s += w[i] * (digits[i] - '0');
    const int check = (1101 - s) % 11;
    if (check < 10) {
      return std::string(digits, 6) + "-" + std::string(digits + 6, 4) +
             static_cast<char>('0' + check);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int cases = 10000, officers = 20, runs = 5;
  bool plain = false, json = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--plain"))
      plain = true;
    else if (!std::strcmp(argv[i], "--json"))
      json = true;
    else if (i + 1 < argc && !std::strcmp(argv[i], "--cases"))
      cases = std::atoi(argv[++i]);
    else if (i + 1 < argc && !std::strcmp(argv[i], "--officers"))
      officers = std::atoi(argv[++i]);
    else if (i + 1 < argc && !std::strcmp(argv[i], "--runs"))
      runs = std::atoi(argv[++i]);
    else
      cases = 0;
  }
  if (cases < 1 || officers < 1 || runs < 1) {
    std::fprintf(
        stderr,
        "usage: lv_caseload_bench [--cases N] [--officers K] [--runs R] [--plain] [--json]\n");
    return 2;
  }

  testing::TempDir dir;
  constexpr const char* kPassphrase = "caseload bench passphrase";
  std::unique_ptr<storage::Store> store;
  storage::Database plain_db;
  if (plain) {
    plain_db = Must(storage::Database::Open(dir / "bench.db"), "open");
  } else {
    auto created =
        Must(storage::Store::Create(dir / "store", kPassphrase, storage::KdfParams::Moderate()),
             "create");
    store = std::move(created.store);
  }
  storage::Database& db = plain ? plain_db : store->db();
  // Seeding only: the measured reads do not depend on durability settings.
  if (auto r = db.Exec("PRAGMA synchronous=OFF"); !r.ok()) Die("pragma", r.error());
  auto replica = Must(OpenClientReplica(db, "bench-site"), "replica");
  const std::string region = Must(BootstrapRegion(db, *replica, "Kurzeme"), "region");
  const std::string unit = Must(BootstrapUnit(db, *replica, region, "Liepāja"), "unit");
  const std::string supervisor =
      Must(BootstrapUser(db, *replica, "Vadītāja", Role::kSupervisor, unit), "sup");
  std::vector<std::string> officer_ids;
  for (int i = 0; i < officers; ++i) {
    officer_ids.push_back(
        Must(BootstrapUser(db, *replica, "Inspektors " + std::to_string(i), Role::kOfficer, unit),
             "officer"));
  }

  WorkspaceOptions fixed;
  fixed.now_ms = [] { return std::int64_t{1773662400000}; };  // 2026-03-16
  const auto seed_t0 = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<Workspace>> ws;
  for (const auto& id : officer_ids)
    ws.push_back(Must(Workspace::Open(db, *replica, id, fixed), "workspace"));
  std::string some_case;
  for (int n = 0; n < cases; ++n) {
    Workspace& w = *ws[static_cast<size_t>(n % officers)];
    RegisterClient rc;
    rc.name = kNames[n % 10];
    rc.surname = kSurnames[(n / 10) % 12];
    rc.personal_code = PersonalCode(n);
    rc.kind = static_cast<CaseKind>(n % 8);
    rc.opened_on =
        "2025-" + std::string(n % 12 < 9 ? "0" : "") + std::to_string(1 + n % 12) + "-15";
    const std::string case_id = Must(w.Execute(rc), "register");
    if (n == cases / 2) some_case = case_id;
    RecordAssessment ra;
    ra.case_id = case_id;
    ra.instrument_version = "2.1";
    ra.assessed_on = "2026-01-10";
    ra.total_score = n % 40;
    ra.risk_level = static_cast<RiskLevel>(n % 4);
    ra.needs = {NeedDomain::kEducationEmployment};
    Must(w.Execute(ra), "assessment");
    RecordContact held{case_id,
                       "2026-02-" + std::to_string(10 + n % 18),
                       ContactStatus::kHeld,
                       ContactMode::kInPerson,
                       "",
                       "",
                       ""};
    Must(w.Execute(held), "contact");
    RecordContact planned{case_id,
                          "2026-03-" + std::to_string(10 + n % 18),
                          ContactStatus::kPlanned,
                          ContactMode::kPhone,
                          "",
                          "",
                          ""};
    Must(w.Execute(planned), "contact");
  }
  const double seed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - seed_t0).count();
  ws.clear();
  auto sup = Must(Workspace::Open(db, *replica, supervisor, fixed), "supervisor");
  auto officer = Must(Workspace::Open(db, *replica, officer_ids[0], fixed), "officer");

  // Baseline: the same rows built with the case list first and then a query per case for
  // risk, last contact, next contact and open section (the N+1 pattern), sorted in C++.
  auto per_row_caseload = [&]() -> size_t {
    auto list = Must(
        db.Prepare("SELECT c.id, c.client_id, cl.name, cl.surname, cl.personal_code, c.kind,"
                   " c.status, c.unit_id, c.responsible_officer_id, u.display_name, c.opened_on"
                   " FROM probation_case c JOIN client cl ON cl.id=c.client_id"
                   " LEFT JOIN org_user u ON u.id=c.responsible_officer_id"
                   " WHERE c.unit_id=? AND c.status='open'"),
        "prepare");
    list.Bind(1, unit);
    std::vector<CaseloadRow> out;
    auto text_of = [&](const char* sql, const std::string& id) {
      auto* st = Must(db.Cached(sql), "cached");
      st->Bind(1, id);
      const bool row = Must(st->Step(), "step");
      std::string v = row ? st->Text(0) : std::string();
      st->Reset();
      return v;
    };
    for (;;) {
      if (!Must(list.Step(), "step")) break;
      CaseloadRow r;
      r.case_id = list.Text(0);
      r.client_id = list.Text(1);
      r.name = list.Text(2);
      r.surname = list.Text(3);
      r.personal_code = list.Text(4);
      r.kind = FromCode<CaseKind>(list.Text(5)).value_or(CaseKind::kMediation);
      r.status = FromCode<CaseStatus>(list.Text(6)).value_or(CaseStatus::kOpen);
      r.unit_id = list.Text(7);
      r.responsible_officer_id = list.Text(8);
      r.responsible_officer_name = list.Text(9);
      r.opened_on = list.Text(10);
      r.risk_level =
          FromCode<RiskLevel>(text_of("SELECT risk_level FROM assessment WHERE case_id=? ORDER BY "
                                      "assessed_on DESC, rowid DESC LIMIT 1",
                                      r.case_id));
      r.last_contact_on =
          text_of("SELECT max(held_on) FROM contact WHERE case_id=? AND status='held'", r.case_id);
      r.next_contact_at = text_of(
          "SELECT min(planned_at) FROM contact WHERE case_id=? AND status='planned'", r.case_id);
      r.has_open_section =
          text_of("SELECT count(*) FROM supervision_section WHERE case_id=? AND status='open'",
                  r.case_id) != "0";
      out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const CaseloadRow& a, const CaseloadRow& b) {
      return a.surname != b.surname ? a.surname < b.surname : a.name < b.name;
    });
    return out.size();
  };

  struct Row {
    const char* name;
    size_t rows;
    double ms;
  };
  std::vector<Row> table;
  size_t rows = 0;
  const double baseline = MedianMs(runs, per_row_caseload, &rows);
  table.push_back({"unit caseload, query per case (baseline)", rows, baseline});
  double ms = MedianMs(
      runs, [&] { return Must(sup->Caseload(), "caseload").size(); }, &rows);
  table.push_back({"unit caseload, Workspace::Caseload", rows, ms});
  ms = MedianMs(
      runs, [&] { return Must(officer->Caseload(), "caseload").size(); }, &rows);
  table.push_back({"one officer's caseload", rows, ms});
  CaseloadFilter search;
  search.search = "berzins";
  ms = MedianMs(
      runs, [&] { return Must(sup->Caseload(search), "search").size(); }, &rows);
  table.push_back({"search 'berzins' (diacritics folded)", rows, ms});
  CaseloadFilter overdue;
  overdue.overdue_only = true;
  ms = MedianMs(
      runs, [&] { return Must(sup->Caseload(overdue), "overdue").size(); }, &rows);
  table.push_back({"overdue only", rows, ms});
  CaseloadFilter high;
  high.risk_level = RiskLevel::kHigh;
  ms = MedianMs(
      runs, [&] { return Must(sup->Caseload(high), "risk").size(); }, &rows);
  table.push_back({"risk level high", rows, ms});
  ms = MedianMs(
      runs, [&] { return Must(sup->CaseFile(some_case), "case file").contacts.size(); }, &rows);
  table.push_back({"open one case file (audited read)", rows, ms});

  std::printf("caseload_bench: %d cases, %d officers, median of %d runs (seeded in %.1f s)\n",
              cases, officers, runs, seed_s);
  std::printf("%-44s %8s %12s %10s\n", "operation", "rows", "median ms", "vs base");
  for (const Row& r : table) {
    std::printf("%-44s %8zu %12.2f %9.2fx\n", r.name, r.rows, r.ms,
                baseline > 0 ? r.ms / baseline : 0.0);
  }

  // Writes, durable (synchronous=FULL, the store's setting): one RecordContact command against
  // the same fields written straight through the replica in one transaction, without field
  // checks, permission checks or the audit entry.
  if (auto r = db.Exec("PRAGMA synchronous=FULL"); !r.ok()) Die("pragma", r.error());
  auto own = Must(Workspace::Open(db, *replica,
                                  officer_ids[static_cast<size_t>((cases / 2) % officers)], fixed),
                  "owner");
  constexpr int kWrites = 20;
  auto raw_writes = [&]() -> size_t {
    for (int i = 0; i < kWrites; ++i) {
      auto tx = Must(storage::Transaction::Begin(db), "begin");
      const std::string id = sync::Replica::NewId();
      auto w = replica->Write("contact", id, CaseScope(some_case),
                              {{"case_id", some_case},
                               {"officer_id", officer_ids[0]},
                               {"planned_at", std::string("2026-03-20")},
                               {"status", std::string("planned")},
                               {"mode", std::string("phone")}});
      if (!w.ok()) Die("raw write", w.error());
      if (auto c = tx.Commit(); !c.ok()) Die("commit", c.error());
    }
    return kWrites;
  };
  auto command_writes = [&]() -> size_t {
    for (int i = 0; i < kWrites; ++i) {
      Must(own->Execute(RecordContact{some_case, "20.03.2026", ContactStatus::kPlanned,
                                      ContactMode::kPhone, "", "", ""}),
           "command");
    }
    return kWrites;
  };
  const double raw_ms = MedianMs(runs, raw_writes, &rows) / kWrites;
  const double cmd_ms = MedianMs(runs, command_writes, &rows) / kWrites;
  std::printf("\n%-44s %8s %12s %10s\n", "write (one transaction each, synchronous=FULL)", "",
              "ms/write", "vs base");
  std::printf("%-44s %8s %12.3f %9.2fx\n", "Replica::Write of 5 fields (baseline)", "", raw_ms,
              1.0);
  std::printf("%-44s %8s %12.3f %9.2fx\n", "Workspace RecordContact (checks + audit)", "", cmd_ms,
              raw_ms > 0 ? cmd_ms / raw_ms : 0.0);

  // Unlock -> caseload: what an officer waits for between typing the passphrase and seeing
  // the unit's caseload (the desktop adds one frame). Everything is closed first.
  double unlock_ms = 0;
  if (!plain) {
    own.reset();
    officer.reset();
    sup.reset();
    replica.reset();
    store.reset();
    size_t unlock_rows = 0;
    unlock_ms = MedianMs(
        std::min(runs, 5),
        [&]() -> size_t {
          auto opened = Must(storage::Store::Open(dir / "store", kPassphrase), "unlock");
          auto rep = Must(OpenClientReplica(opened->db(), "bench-site"), "replica");
          auto w = Must(Workspace::Open(opened->db(), *rep, supervisor, fixed), "workspace");
          const size_t n = Must(w->Caseload(), "caseload").size();
          w.reset();
          rep.reset();
          return n;
        },
        &unlock_rows);
    std::printf("\n%-44s %8zu %12.1f\n", "unlock (Argon2id MODERATE) -> unit caseload", unlock_rows,
                unlock_ms);
  }
  if (json) {
    std::printf(
        "{\"cases\": %d, \"caseload_ms\": %.3f, \"baseline_ms\": %.3f, \"unlock_to_caseload_ms\": "
        "%.1f,"
        " \"command_write_ms\": %.3f}\n",
        cases, table[1].ms, baseline, unlock_ms, cmd_ms);
  }
  return 0;
}
