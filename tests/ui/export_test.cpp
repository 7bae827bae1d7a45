// The desktop's "Eksportēt…" dialog under Xvfb (tests/ui/scripts/export_caseload.lvs): the
// officer's caseload exported as CSV and as XLSX (to the default file in the home folder,
// with the "overdue only" filter on), both read back here and compared row by row with the
// Workspace's Caseload query in the screen's order; a folder that does not exist and a path
// the system will not write are refused in the dialog and leave no file; each export is in
// the audit trail. The case summary is rendered as PDF from the case file's header, the
// evaluation report from its editor, the mediation report from the Mediation tab, and a MAPPA
// meeting's minutes and one institution's pack from the MAPPA page.
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "client/agenda.hpp"
#include "client/indicators.hpp"
#include "client/workspace.hpp"
#include "storage/database.hpp"
#include "tests/client/documents_support.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/i18n.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassphrase = "demo-parole-2026";

// The demo store at `data`, reopened after the desktop closed it, signed in as `role`.
client::Workspace& SignedIn(ui::Session& s, const std::string& data, const std::string& role) {
  REQUIRE(s.Open(data, kPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users[role]).ok());
  return *s.workspace();
}

std::string LvDate(const std::string& iso) {
  if (iso.size() < 10) return iso;
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

// The caseload rows in the screen's default order: by the Latvian sort key of
// "surname name", ties kept in the query's order.
std::vector<client::CaseloadRow> ScreenOrder(std::vector<client::CaseloadRow> rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return client::LatvianSortKey(a.surname + " " + a.name) <
           client::LatvianSortKey(b.surname + " " + b.name);
  });
  return rows;
}

// The cells of one caseload row as the CSV shows them (dates dd.mm.yyyy).
std::vector<std::string> CsvCells(const client::CaseloadRow& r) {
  return {r.case_id,
          r.surname,
          r.name,
          r.personal_code,
          std::string(client::Code(r.kind)),
          std::string(client::Code(r.status)),
          r.responsible_officer_name,
          LvDate(r.opened_on),
          r.risk_level ? std::string(client::Code(*r.risk_level)) : std::string(),
          LvDate(r.last_contact_on),
          LvDate(r.next_contact_at),
          r.has_open_section ? "1" : "0",
          r.overdue ? "1" : "0"};
}

bool OwnerOnly(const std::string& path) {
  return (fs::status(path).permissions() & fs::perms::all) ==
         (fs::perms::owner_read | fs::perms::owner_write);
}

int RunDesktop(const TempDir& dir, const std::string& data, const std::string& script_name,
               const std::string& result, const std::string& role = "officer",
               const std::map<std::string, std::string>& fill = {}) {
  std::string script = Slurp(std::string(LV_TEST_SOURCE_DIR) + "/tests/ui/scripts/" + script_name);
  REQUIRE_FALSE(script.empty());
  std::map<std::string, std::string> all = fill;
  all["@OUT@"] = dir.path().string();
  for (const auto& [key, value] : all) {
    for (auto at = script.find(key); at != std::string::npos; at = script.find(key)) {
      script.replace(at, key.size(), value);
    }
  }
  const std::string script_path = dir / script_name;
  std::ofstream(script_path) << script;
  // HOME is the test's folder: the dialog's default file lands there.
  return desktop::RunDesktopAs(data, kPassphrase, role, script_path, result,
                               "HOME='" + dir.path().string() + "'");
}

// The details of the render audit entries of the record `table`/`id`, oldest first.
std::vector<std::string> RenderAudit(storage::Database& db, const std::string& table,
                                     const std::string& id) {
  std::vector<std::string> out;
  auto st = db.Prepare(
      "SELECT detail FROM audit WHERE action='render' AND target_table=? AND target_id=? "
      "ORDER BY at, rowid");
  REQUIRE(st.ok());
  st->Bind(1, table);
  st->Bind(2, id);
  for (;;) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    out.push_back(st->Text(0));
  }
  return out;
}

std::string Squeeze(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    const bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The details of the export audit entries of `table`, oldest first.
std::vector<std::string> ExportAudit(storage::Database& db, const std::string& table) {
  std::vector<std::string> out;
  auto st = db.Prepare(
      "SELECT detail FROM audit WHERE action='export' AND target_table=? ORDER BY at, rowid");
  REQUIRE(st.ok());
  st->Bind(1, table);
  for (;;) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    out.push_back(st->Text(0));
  }
  return out;
}

// A demo officer's store at `data` with one more client, Žanete Ūdre, whose first case is of
// `kind` (opened 01.03.2026); returns the new case's id.
std::string CreateWithUdre(ui::Session& s, const std::string& data, client::CaseKind kind) {
  REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
  REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
  client::RegisterClient c;
  c.name = "Žanete";
  c.surname = "Ūdre";
  c.personal_code = "010190-11004";
  c.kind = kind;
  c.opened_on = "01.03.2026";
  auto registered = s.workspace()->Execute(c);
  REQUIRE(registered.ok());
  return *registered;
}

}  // namespace

TEST_CASE("the caseload is exported from the desktop as CSV and XLSX equal to the Caseload query",
          "[ui][gl][slow][export]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);  // run under xvfb-run (./run test does)
  TempDir dir;
  const std::string data = dir / "data";
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 12, "officer").ok());
    // Names with Latvian letters, one holding both delimiters (quoted in the CSV).
    for (auto [name, surname, code] :
         {std::tuple{"Žanete", "Ūdre", "010190-11004"},
          std::tuple{"Ģirts", "Žīgure;Ķēniņa,Ģērmane", "150385-11001"}}) {
      client::RegisterClient c;
      c.name = name;
      c.surname = surname;
      c.personal_code = code;
      c.kind = client::CaseKind::kConditionalSentence;
      c.opened_on = "01.03.2026";
      auto registered = s.workspace()->Execute(c);
      INFO((registered.ok() ? std::string() : registered.error().message));
      REQUIRE(registered.ok());
    }
    s.Lock();
  }

  const std::string result = dir / "result.json";
  const int rc = RunDesktop(dir, data, "export_caseload.lvs", result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  client::Workspace& ws = SignedIn(s, data, "officer");

  // CSV, ';', every open case of the officer, in the screen's order.
  auto all = ws.Caseload(client::CaseloadFilter{});
  REQUIRE(all.ok());
  const auto expected = ScreenOrder(*all);
  const std::string csv_path = dir / "lietas.csv";
  REQUIRE(fs::exists(csv_path));
  CHECK(OwnerOnly(csv_path));
  const auto csv = ParseCsvStrict(Slurp(csv_path), ';');
  REQUIRE(csv.size() == expected.size() + 1);
  CHECK(csv[0][0] == "Lieta");
  CHECK(csv[0][1] == "Uzvārds");
  bool udre = false, quoted = false;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    INFO("row " << r);
    CHECK(csv[r + 1] == CsvCells(expected[r]));
    udre = udre || (csv[r + 1][1] == "Ūdre" && csv[r + 1][2] == "Žanete");
    quoted = quoted || csv[r + 1][1] == "Žīgure;Ķēniņa,Ģērmane";
  }
  CHECK(udre);
  CHECK(quoted);

  // XLSX, the default file in the home folder, the overdue cases only.
  client::CaseloadFilter overdue;
  overdue.overdue_only = true;
  auto late = ws.Caseload(overdue);
  REQUIRE(late.ok());
  const auto expected_late = ScreenOrder(*late);
  REQUIRE_FALSE(expected_late.empty());
  REQUIRE(expected_late.size() < expected.size());  // the filter mattered
  const std::string xlsx_path = dir / ("klientu_lietas_" + ws.Today() + ".xlsx");
  REQUIRE(fs::exists(xlsx_path));
  CHECK(OwnerOnly(xlsx_path));
  const auto cells = ReadXlsx(xlsx_path);
  CHECK(cells.at("A1").value == "Lieta");
  CHECK(cells.at("B1").value == "Uzvārds");
  CHECK(cells.count("A" + std::to_string(expected_late.size() + 2)) == 0);  // no extra row
  for (std::size_t r = 0; r < expected_late.size(); ++r) {
    const auto& row = expected_late[r];
    const std::string n = std::to_string(r + 2);
    INFO("row " << n);
    CHECK(cells.at("A" + n).value == row.case_id);
    CHECK(cells.at("B" + n).value == row.surname);
    CHECK(cells.at("C" + n).value == row.name);
    CHECK(cells.at("D" + n).value == row.personal_code);
    CHECK(cells.at("E" + n).value == client::Code(row.kind));
    CHECK(cells.at("G" + n).value == row.responsible_officer_name);
    CHECK(SerialToIso(std::stol(cells.at("H" + n).value)) == row.opened_on.substr(0, 10));
    CHECK(cells.at("M" + n).value == "1");  // overdue, as a number
  }

  // The refusals wrote nothing.
  CHECK_FALSE(fs::exists(dir / "nav_tadas_mapes"));
  CHECK_FALSE(fs::exists("/proc/lietvedis_lietas.csv"));

  // The case summary of Žanete Ūdre as PDF, from the case file's header.
  const std::string pdf_path = dir / "kopsavilkums.pdf";
  REQUIRE(fs::exists(pdf_path));
  CHECK(OwnerOnly(pdf_path));
  CHECK(PdfPages(pdf_path) >= 1);
  CHECK(PdfText(pdf_path).find("Ūdre") != std::string::npos);

  // Each export is audited as the command line's: table, row count and format.
  CHECK(ExportAudit(*s.db(), "caseload") ==
        std::vector<std::string>{std::to_string(expected.size()) + " rows csv",
                                 std::to_string(expected_late.size()) + " rows xlsx"});
}

TEST_CASE("the supervisor exports the indicators, the agenda and the unit's caseload",
          "[ui][gl][slow][export]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);
  TempDir dir;
  const std::string data = dir / "data";
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 12, "supervisor").ok());
    s.Lock();
  }
  const std::string result = dir / "result.json";
  const int rc = RunDesktop(dir, data, "export_supervisor.lvs", result, "supervisor");
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  client::Workspace& ws = SignedIn(s, data, "supervisor");

  // The unit's caseload (every officer's cases), ',' as the delimiter.
  auto unit = ws.Caseload(client::CaseloadFilter{});
  REQUIRE(unit.ok());
  const auto expected = ScreenOrder(*unit);
  const auto csv = ParseCsvStrict(Slurp(dir / "unit.csv"), ',');
  REQUIRE(csv.size() == expected.size() + 1);
  std::set<std::string> officers;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    INFO("row " << r);
    CHECK(csv[r + 1] == CsvCells(expected[r]));
    officers.insert(csv[r + 1][6]);
  }
  CHECK(officers.size() > 1);  // not one officer's caseload

  // The agenda as BuildAgenda lists it for the supervisor.
  auto agenda = client::BuildAgenda(ws, *s.db());
  REQUIRE(agenda.ok());
  const auto items = ParseCsvStrict(Slurp(dir / "agenda.csv"), ';');
  REQUIRE(items.size() == agenda->items.size() + 1);
  CHECK(items[0][0] == "Grupa");
  for (std::size_t r = 0; r < agenda->items.size(); ++r) {
    const auto& i = agenda->items[r];
    INFO("item " << r);
    CHECK(items[r + 1][0] == client::Code(i.bucket));
    CHECK(items[r + 1][1] == LvDate(i.due_on));
    CHECK(items[r + 1][3] == client::Code(i.kind));
    CHECK(items[r + 1][6] == i.case_id);
    CHECK(items[r + 1][7] == i.record_id);
  }

  // The indicators of the year the dashboard showed (this year), XLSX in the home folder.
  const int year = std::stoi(ws.Today().substr(0, 4));
  auto ind = client::ComputeIndicators(ws, *s.db(), year);
  REQUIRE(ind.ok());
  const std::string xlsx = dir / ("raditaji_" + std::to_string(year) + "_" + ws.Today() + ".xlsx");
  REQUIRE(fs::exists(xlsx));
  CHECK(OwnerOnly(xlsx));
  const auto cells = ReadXlsx(xlsx);
  CHECK(cells.at("B1").value == "Rādītājs");
  CHECK(cells.at("A2").value == std::to_string(year));
  CHECK(cells.at("B2").value == "open_cases");
  CHECK(cells.at("D2").value == std::to_string(ind->open_cases));
  CHECK(cells.at("B3").value == "overdue_contacts");
  CHECK(cells.at("D3").value == std::to_string(ind->overdue_contacts));

  CHECK(ExportAudit(*s.db(), "caseload") ==
        std::vector<std::string>{std::to_string(expected.size()) + " rows csv"});
  CHECK(ExportAudit(*s.db(), "agenda") ==
        std::vector<std::string>{std::to_string(agenda->items.size()) + " rows csv"});
  REQUIRE(ExportAudit(*s.db(), "indicators").size() == 1);
  CHECK(ExportAudit(*s.db(), "indicators")[0].find(" rows xlsx") != std::string::npos);
}

TEST_CASE("the subject access package is saved from the case file's header",
          "[ui][gl][slow][export]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);
  TempDir dir;
  const std::string data = dir / "data";
  std::string client_id;
  {
    ui::Session s;
    const std::string registered = CreateWithUdre(s, data, client::CaseKind::kConditionalSentence);
    client_id = s.workspace()->CaseFile(registered)->client.id;
    s.Lock();
  }
  fs::create_directory(dir / "pakete");
  const std::string result = dir / "result.json";
  const int rc = RunDesktop(dir, data, "export_subject_access.lvs", result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  client::Workspace& ws = SignedIn(s, data, "officer");
  const std::string stem = dir / ("pakete/subject-access-" + client_id + "-" + ws.Today());
  REQUIRE(fs::exists(stem + ".pdf"));
  REQUIRE(fs::exists(stem + ".json"));
  CHECK(OwnerOnly(stem + ".pdf"));
  CHECK(OwnerOnly(stem + ".json"));
  CHECK(PdfText(stem + ".pdf").find("Ūdre") != std::string::npos);
  CHECK(Slurp(stem + ".json").find("\"surname\": \"Ūdre\"") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "nav_tadas_mapes"));
  CHECK(s.db()->QueryInt("SELECT count(*) FROM audit WHERE action='subject_access'").value() == 1);
}

TEST_CASE("the evaluation report is saved as PDF from its editor", "[ui][gl][slow][export]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);
  TempDir dir;
  const std::string data = dir / "data";
  std::string request;
  {
    ui::Session s;
    const std::string registered = CreateWithUdre(s, data, client::CaseKind::kEvaluationReport);
    client::Workspace& ws = *s.workspace();
    auto requested = ws.Execute(client::RecordEvaluationRequest{
        registered, client::Requester::kCourt, "Kurzemes rajona tiesa", "K-2026/117", "02.03.2026",
        "31.12.2030"});
    REQUIRE(requested.ok());
    request = *requested;
    REQUIRE(ws.Execute(client::StartEvaluationReport{request, ""}).ok());
    client::DraftEvaluationReport d;
    d.request_id = request;
    d.circumstances = "Dzīvo Liepājā pie mātes; strādā ostā.";
    d.conclusion = "Ieteicams nosacīts sods ar probācijas uzraudzību.";
    REQUIRE(ws.Execute(d).ok());
    s.Lock();
  }
  const std::string result = dir / "result.json";
  const int rc = RunDesktop(dir, data, "export_evaluation_report.lvs", result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  client::Workspace& ws = SignedIn(s, data, "officer");
  const std::string pdf = dir / ("izvertesanas_zinojums_" + ws.Today() + ".pdf");
  REQUIRE(fs::exists(pdf));
  CHECK(OwnerOnly(pdf));
  const int pages = PdfPages(pdf);
  CHECK(pages >= 1);
  const std::string text = Squeeze(PdfText(pdf));
  CHECK(text.find("Kurzemes rajona tiesa") != std::string::npos);
  CHECK(text.find("Ieteicams nosacīts sods ar probācijas uzraudzību.") != std::string::npos);
  CHECK(RenderAudit(*s.db(), "evaluation_report", request) ==
        std::vector<std::string>{"evaluation_report pdf " + std::to_string(pages) + " pages"});
}

TEST_CASE("the mediation report is saved as PDF from the Mediation tab once decided",
          "[ui][gl][slow][export][mediation]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);
  TempDir dir;
  const std::string data = dir / "data";
  std::string mediation;
  {
    ui::Session s;
    const std::string registered = CreateWithUdre(s, data, client::CaseKind::kMediation);
    client::Workspace& ws = *s.workspace();
    mediation = registered;
    auto party = ws.Execute(
        client::AddMediationParty{mediation, "Līga", "Ābola", "+371 26000000", "02.03.2026"});
    REQUIRE(party.ok());
    REQUIRE(ws.Execute(client::AssignMediator{mediation, ""}).ok());
    REQUIRE(ws.Execute(client::RecordMediationConsent{mediation, "", "02.03.2026"}).ok());
    client::RecordMediationMeeting held;
    held.case_id = mediation;
    held.meeting_on = "05.03.2026";
    held.status = client::MediationMeetingStatus::kHeld;
    held.party_ids = {*party};
    held.note = "Ierobežota piezīme";
    REQUIRE(ws.Execute(held).ok());
    REQUIRE(ws.Execute(client::RecordMediationOutcome{
                           mediation, client::MediationOutcome::kNoAgreement, "06.03.2026", "", ""})
                .ok());
    s.Lock();
  }
  const std::string result = dir / "result.json";
  const int rc = RunDesktop(dir, data, "export_mediation_report.lvs", result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  client::Workspace& ws = SignedIn(s, data, "officer");
  const std::string pdf = dir / ("izliguma_zinojums_" + ws.Today() + ".pdf");
  REQUIRE(fs::exists(pdf));
  CHECK(OwnerOnly(pdf));
  const int pages = PdfPages(pdf);
  CHECK(pages >= 1);
  const std::string text = Squeeze(PdfText(pdf));
  CHECK(text.find("Ziņojums par izlīguma procesu") != std::string::npos);
  CHECK(text.find("Līga Ābola") != std::string::npos);
  CHECK(text.find("vienošanās nav panākta") != std::string::npos);
  CHECK(text.find("Ierobežota piezīme") == std::string::npos);
  CHECK(RenderAudit(*s.db(), "mediation", mediation) ==
        std::vector<std::string>{"mediation_report pdf " + std::to_string(pages) + " pages"});
}

TEST_CASE("the minutes and one institution's pack are saved from the MAPPA page",
          "[ui][gl][slow][export]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);
  TempDir dir;
  const std::string data = dir / "data";
  client::MappaMeeting meeting;
  std::size_t logged_before = 0;
  {
    ui::Session s;
    REQUIRE(s.Create(data, kPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 8, "officer").ok());
    auto meetings = s.workspace()->MappaMeetings();
    REQUIRE(meetings.ok());
    // The signed meeting with disclosures to both the police and the social service.
    bool found = false;
    for (const auto& m : *meetings) {
      if (m.IsSigned() && m.disclosures.size() == 3) {
        meeting = m;
        found = true;
      }
    }
    REQUIRE(found);
    auto view = s.workspace()->MappaMeetingDetail(meeting.id);
    REQUIRE(view.ok());
    logged_before = view->disclosure_log.size();
    s.Lock();
  }
  REQUIRE(meeting.participants.size() == 3);
  REQUIRE(meeting.participants[2].institution == client::Institution::kMunicipalSocialService);
  std::vector<const client::MappaDisclosure*> social, others;
  for (const auto& d : meeting.disclosures) {
    (d.recipient == client::Institution::kMunicipalSocialService ? social : others).push_back(&d);
  }
  REQUIRE(social.size() == 1);
  REQUIRE_FALSE(others.empty());

  ui::SetLanguage(ui::Lang::kLv);
  const std::string row = ui::FormatDate(meeting.held_on) + "  " + ui::Tr(meeting.mode) + "  ✓";
  const std::string result = dir / "result.json";
  const int rc = RunDesktop(dir, data, "export_mappa.lvs", result, "officer",
                            {{"@MEETING@", row}, {"@DISCLOSURES@", std::to_string(social.size())}});
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  client::Workspace& ws = SignedIn(s, data, "officer");
  // The minutes: the whole protocol, every disclosure in it.
  const std::string minutes = dir / "protokols.pdf";
  REQUIRE(fs::exists(minutes));
  CHECK(OwnerOnly(minutes));
  const std::string minutes_text = Squeeze(PdfText(minutes));
  for (const auto& d : meeting.disclosures) CHECK(minutes_text.find(d.what) != std::string::npos);

  // The pack for the social service: its disclosure, not the police's.
  const std::string pack = dir / ("mappas_pakete_municipal_social_service_" + ws.Today() + ".pdf");
  REQUIRE(fs::exists(pack));
  CHECK(OwnerOnly(pack));
  const std::string pack_text = Squeeze(PdfText(pack));
  CHECK(pack_text.find(social[0]->what) != std::string::npos);
  for (const auto* d : others) {
    INFO(d->what);
    CHECK(pack_text.find(d->what) == std::string::npos);
  }

  // The disclosure log grew by the social service's disclosures only.
  auto view = ws.MappaMeetingDetail(meeting.id);
  REQUIRE(view.ok());
  REQUIRE(view->disclosure_log.size() == logged_before + social.size());
  for (std::size_t i = logged_before; i < view->disclosure_log.size(); ++i) {
    CHECK(view->disclosure_log[i].recipient == client::Institution::kMunicipalSocialService);
  }
  // One render of the minutes and one of the pack, nothing else.
  const auto renders = RenderAudit(*s.db(), "mappa_meeting", meeting.id);
  REQUIRE(renders.size() == 2);
  CHECK(renders[0].rfind("minutes pdf ", 0) == 0);
  CHECK(renders[1].rfind("agency pack municipal_social_service, 1 disclosures, pack ", 0) == 0);
}

TEST_CASE("a court application is saved as PDF from the Supervision tab",
          "[ui][gl][slow][export]") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);
  TempDir dir;
  const std::string data = dir / "data";
  std::string application;
  {
    ui::Session s;
    const std::string registered = CreateWithUdre(s, data, client::CaseKind::kConditionalSentence);
    client::Workspace& ws = *s.workspace();
    client::FileCourtApplication a;
    a.case_id = registered;
    a.filed_on = "10.03.2026";
    a.reason = "Izvairās no probācijas uzraudzības";
    auto filed = ws.Execute(a);
    REQUIRE(filed.ok());
    application = *filed;
    s.Lock();
  }
  const std::string result = dir / "result.json";
  const int rc = RunDesktop(dir, data, "export_court_application.lvs", result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);

  ui::Session s;
  client::Workspace& ws = SignedIn(s, data, "officer");
  const std::string pdf = dir / ("pieteikums_tiesai_" + ws.Today() + ".pdf");
  REQUIRE(fs::exists(pdf));
  CHECK(OwnerOnly(pdf));
  const int pages = PdfPages(pdf);
  CHECK(pages >= 1);
  const std::string text = Squeeze(PdfText(pdf));
  CHECK(text.find("Ūdre") != std::string::npos);
  CHECK(text.find("Izvairās no probācijas uzraudzības") != std::string::npos);
  CHECK(RenderAudit(*s.db(), "court_application", application) ==
        std::vector<std::string>{"court_application pdf " + std::to_string(pages) + " pages"});
}
