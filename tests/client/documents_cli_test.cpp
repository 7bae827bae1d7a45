// Tables and documents through the real `lietvedis` binary: list/agenda/report as CSV and
// XLSX compared cell by cell with the same query's JSON, permissions, audit entries and file
// modes.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "tests/client/documents_support.hpp"

namespace {

using lietvedis::testing::ColumnName;
using lietvedis::testing::DocCli;
using lietvedis::testing::ParseCsvStrict;
using lietvedis::testing::ReadXlsx;
using lietvedis::testing::SerialToIso;
using lietvedis::testing::Slurp;
using Json = nlohmann::json;

std::string Str(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}
// dd.mm.yyyy of an ISO date or timestamp, "" for empty.
std::string Lv(const std::string& iso) {
  if (iso.size() < 10) return iso;
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

// The caseload's --json rows as the CSV should show them (dates dd.mm.yyyy).
std::vector<std::vector<std::string>> ExpectedCaseload(const Json& list, bool latvian_dates) {
  std::vector<std::vector<std::string>> rows;
  auto date = [&](const Json& v) { return latvian_dates ? Lv(Str(v)) : Str(v).substr(0, 10); };
  for (const auto& r : list) {
    rows.push_back({Str(r["case_id"]), Str(r["surname"]), Str(r["name"]), Str(r["personal_code"]),
                    Str(r["kind"]), Str(r["status"]), Str(r["responsible_officer_name"]),
                    date(r["opened_on"]), Str(r["risk_level"]), date(r["last_contact_on"]),
                    date(r["next_contact_at"]), Str(r["has_open_section"]), Str(r["overdue"])});
  }
  return rows;
}

bool HasLatvianLetter(const std::string& s) {
  for (const char* l : {"ā", "č", "ē", "ģ", "ī", "ķ", "ļ", "ņ", "š", "ū", "ž"}) {
    if (s.find(l) != std::string::npos) return true;
  }
  return false;
}

const auto kOwnerOnly = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

}  // namespace

TEST_CASE("tables: the caseload as CSV is the --json caseload cell by cell", "[documents][csv]") {
  DocCli cli;
  REQUIRE(cli.Run(cli.Data("d") + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(cli.Data("d") + " demo-data --cases 12") == 0);
  // A name that needs quoting under either delimiter.
  REQUIRE(cli.Run(cli.Data("d") + " client register --name 'Anna \"Ance\"' --surname "
                                  "'Žīgure;Ķēniņa,Ģērmane' --personal-code 150385-11001 "
                                  "--birth-date 15.03.1985 --kind community_work") == 0);
  REQUIRE(cli.Run(cli.Data("d") + " --json list --status any") == 0);
  const Json list = Json::parse(cli.out);
  REQUIRE(list.size() == 13);

  for (const char* delim : {";", ","}) {
    DYNAMIC_SECTION("delimiter " << delim) {
      const std::string file = cli.tmp / "caseload.csv";
      std::ofstream(file) << "stale";
      std::filesystem::permissions(file, std::filesystem::perms::all);
      REQUIRE(cli.Run(cli.Data("d") + " list --status any --format csv --delimiter '" + delim +
                      "' -o '" + file + "'") == 0);
      CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
            kOwnerOnly);
      const auto rows = ParseCsvStrict(Slurp(file), delim[0]);
      REQUIRE(rows.size() == list.size() + 1);
      CHECK(rows[0][0] == "Lieta");
      CHECK(rows[0][1] == "Uzvārds");
      const auto expected = ExpectedCaseload(list, true);
      bool diacritics = false, quoted = false;
      for (size_t r = 0; r < expected.size(); ++r) {
        REQUIRE(rows[r + 1].size() == expected[r].size());
        for (size_t c = 0; c < expected[r].size(); ++c) {
          INFO("row " << r << " column " << rows[0][c]);
          CHECK(rows[r + 1][c] == expected[r][c]);
        }
        diacritics = diacritics || HasLatvianLetter(rows[r + 1][1]);
        quoted = quoted || rows[r + 1][1] == "Žīgure;Ķēniņa,Ģērmane";
      }
      CHECK(diacritics);
      CHECK(quoted);
    }
  }

  SECTION("-o - writes the same bytes to stdout") {
    const std::string file = cli.tmp / "c.csv";
    REQUIRE(cli.Run(cli.Data("d") + " list --status any --format csv -o '" + file + "'") == 0);
    REQUIRE(cli.Run(cli.Data("d") + " list --status any --format csv -o -") == 0);
    CHECK(cli.out == Slurp(file));
    CHECK(cli.err.find("13 rows") != std::string::npos);
  }
  SECTION("filters apply: --risk high lists the same cases as the JSON with --risk high") {
    REQUIRE(cli.Run(cli.Data("d") + " --json list --risk high") == 0);
    const Json high = Json::parse(cli.out);
    REQUIRE(cli.Run(cli.Data("d") + " list --risk high --format csv -o -") == 0);
    const auto rows = ParseCsvStrict(cli.out, ';');
    REQUIRE(rows.size() == high.size() + 1);
    for (size_t r = 0; r < high.size(); ++r) CHECK(rows[r + 1][0] == Str(high[r]["case_id"]));
    CHECK(high.size() < list.size());
  }
  SECTION("usage: --format without -o, and an unknown format") {
    CHECK(cli.Run(cli.Data("d") + " list --format csv") == 2);
    CHECK(cli.Run(cli.Data("d") + " list --format ods -o x.ods") == 2);
    CHECK(cli.Run(cli.Data("d") + " list --format xlsx -o -") == 3);
  }
}

TEST_CASE("tables: the caseload as XLSX has typed cells equal to the --json caseload",
          "[documents][xlsx]") {
  DocCli cli;
  REQUIRE(cli.Run(cli.Data("d") + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(cli.Data("d") + " demo-data --cases 10") == 0);
  REQUIRE(cli.Run(cli.Data("d") + " --json list") == 0);
  const Json list = Json::parse(cli.out);
  const std::string file = cli.tmp / "caseload.xlsx";
  REQUIRE(cli.Run(cli.Data("d") + " list --format xlsx -o '" + file + "'") == 0);
  CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) == kOwnerOnly);
  std::string sheet;
  const auto cells = ReadXlsx(file, &sheet);
  // Frozen header row, column widths set, header cells in a style of their own (bold).
  CHECK(sheet.find("ySplit=\"1\"") != std::string::npos);
  CHECK(sheet.find("state=\"frozen\"") != std::string::npos);
  CHECK(sheet.find("<cols>") != std::string::npos);
  REQUIRE(cells.count("A1") == 1);
  CHECK(cells.at("A1").value == "Lieta");
  CHECK(!cells.at("A1").style.empty());
  const auto expected = ExpectedCaseload(list, false);
  const std::set<size_t> date_columns{7, 9, 10}, number_columns{11, 12};
  bool diacritics = false;
  for (size_t r = 0; r < expected.size(); ++r) {
    for (size_t c = 0; c < expected[r].size(); ++c) {
      const std::string ref = ColumnName(c) + std::to_string(r + 2);
      INFO("cell " << ref);
      if (expected[r][c].empty()) {
        CHECK(cells.count(ref) == 0);
        continue;
      }
      REQUIRE(cells.count(ref) == 1);
      const auto& cell = cells.at(ref);
      if (date_columns.count(c) != 0) {
        CHECK(cell.type.empty());  // a number: the date serial, shown by the date format
        CHECK(!cell.style.empty());
        CHECK(SerialToIso(std::stol(cell.value)) == expected[r][c]);
      } else if (number_columns.count(c) != 0) {
        CHECK(cell.type.empty());
        CHECK(cell.value == expected[r][c]);
      } else {
        CHECK(cell.type == "s");
        CHECK(cell.value == expected[r][c]);
      }
    }
    diacritics = diacritics || HasLatvianLetter(expected[r][1]);
  }
  CHECK(diacritics);
  CHECK(cells.count("A" + std::to_string(expected.size() + 2)) == 0);
}

TEST_CASE("tables: agenda and report as CSV match their --json output", "[documents][csv]") {
  DocCli cli;
  REQUIRE(cli.Run(cli.Data("s") + " init --demo-org --role supervisor") == 0);
  REQUIRE(cli.Run(cli.Data("s") + " demo-data --cases 15") == 0);
  REQUIRE(cli.Run(cli.Data("s") + " --json agenda") == 0);
  const Json agenda = Json::parse(cli.out);
  REQUIRE(agenda["items"].size() > 0);
  REQUIRE(cli.Run(cli.Data("s") + " agenda --format csv -o -") == 0);
  const auto rows = ParseCsvStrict(cli.out, ';');
  REQUIRE(rows.size() == agenda["items"].size() + 1);
  for (size_t r = 0; r < agenda["items"].size(); ++r) {
    const Json& i = agenda["items"][r];
    const std::string due_at = Str(i["due_at"]);
    const std::vector<std::string> want{
        Str(i["bucket"]),  Lv(Str(i["due_on"])), due_at.size() > 11 ? due_at.substr(11, 5) : "",
        Str(i["kind"]),    Str(i["name"]),       Str(i["surname"]),
        Str(i["case_id"]), Str(i["record_id"]),  Str(i["detail"])};
    CHECK(rows[r + 1] == want);
  }

  REQUIRE(cli.Run(cli.Data("s") + " report --year 2026") == 0);
  const Json report = Json::parse(cli.out);
  REQUIRE(cli.Run(cli.Data("s") + " report --year 2026 --format csv --delimiter , -o -") == 0);
  const auto figures = ParseCsvStrict(cli.out, ',');
  std::map<std::string, std::string> by_key;
  for (size_t r = 1; r < figures.size(); ++r) {
    CHECK(figures[r][0] == "2026");
    by_key[figures[r][1] + "/" + figures[r][2]] = figures[r][3];
  }
  CHECK(by_key.at("open_cases/") == Str(report["open_cases"]));
  CHECK(by_key.at("overdue_contacts/") == Str(report["overdue_contacts"]));
  for (const auto& o : report["caseload"]) {
    CHECK(by_key.at("open_cases/" + Str(o["officer_name"])) == Str(o["open_cases"]));
    CHECK(by_key.at("overdue_contacts/" + Str(o["officer_name"])) == Str(o["overdue"]));
  }
  for (const auto& [level, n] : report["risk_mix"].items()) {
    CHECK(by_key.at("risk_mix/" + level) == Str(n));
  }
  CHECK(by_key.at("esf_unique_clients/") == Str(report["esf_unique_clients"]));
  CHECK(by_key.at("legal_employment_s1/") == Str(report["legal_employment"]["s1"]));
  CHECK(by_key.at("legal_employment_s2/") == Str(report["legal_employment"]["s2"]));
  CHECK(by_key.at("needs_addressed_identified/") == Str(report["needs_addressed"]["identified"]));
  CHECK(by_key.at("needs_addressed_addressed/") == Str(report["needs_addressed"]["addressed"]));
  CHECK(by_key.at("reoffending_supervised/") == Str(report["reoffending"]["supervised"]));
  CHECK(by_key.at("reoffending_reoffended/") == Str(report["reoffending"]["reoffended"]));

  SECTION("each export is in the unit's audit trail: table, row count and format, no values") {
    const std::string jsonl = cli.tmp / "all.jsonl";
    REQUIRE(cli.Run(cli.Data("s") + " export -o '" + jsonl + "'") == 0);
    const std::string all = Slurp(jsonl);
    int agenda_rows = 0, report_rows = 0;
    std::istringstream lines(all);
    for (std::string line; std::getline(lines, line);) {
      const Json rec = Json::parse(line);
      if (rec["type"] != "audit" || rec["fields"]["action"] != "export") continue;
      CHECK(rec["scope"].get<std::string>().rfind("unit:", 0) == 0);
      const std::string table = rec["fields"]["target_table"];
      const std::string detail = rec["fields"]["detail"];
      if (table == "agenda") {
        ++agenda_rows;
        CHECK(detail == std::to_string(agenda["items"].size()) + " rows csv");
      }
      if (table == "indicators") {
        ++report_rows;
        CHECK(detail == std::to_string(figures.size() - 1) + " rows csv");
      }
    }
    CHECK(agenda_rows == 1);
    CHECK(report_rows == 1);
  }
}

TEST_CASE("tables: who may export what", "[documents][csv]") {
  DocCli cli;
  REQUIRE(cli.Run(cli.Data("o") + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(cli.Data("o") + " --json user list") == 0);
  std::string other_officer;
  REQUIRE(cli.Run(cli.Data("o") + " whoami") == 0);
  const std::string me = Json::parse(cli.out)["user_id"];
  REQUIRE(cli.Run(cli.Data("o") + " --json user list") == 0);
  for (const auto& u : Json::parse(cli.out)) {
    if (u["role"] == "officer" && u["id"] != me) other_officer = u["id"];
  }
  REQUIRE(!other_officer.empty());
  const std::string file = cli.tmp / "x.csv";
  // An officer exports their own caseload only: another officer's is refused, nothing written.
  CHECK(cli.Run(cli.Data("o") + " list --officer " + other_officer + " --format csv -o '" + file +
                "'") == 4);
  CHECK(!std::filesystem::exists(file));
  REQUIRE(cli.Run(cli.Data("c") + " init --demo-org --role volunteer_coordinator") == 0);
  CHECK(cli.Run(cli.Data("c") + " list --format csv -o '" + file + "'") == 4);
  CHECK(cli.Run(cli.Data("c") + " agenda --format xlsx -o '" + file + "'") == 4);
  CHECK(!std::filesystem::exists(file));
}

// ---------------------------------------------------------------------------------------
// PDF documents from the demo unit.

namespace {

using lietvedis::testing::PdfPages;
using lietvedis::testing::PdfText;

std::string Squeeze(const std::string& s) {
  return std::regex_replace(s, std::regex("\\s+"), " ");
}

// Page count, "N. lapa no M" on every page and the footer id on every page.
void CheckPages(const std::string& pdf, const std::string& record_id) {
  const int pages = PdfPages(pdf);
  REQUIRE(pages >= 1);
  const std::string text = PdfText(pdf);
  CHECK(text.find("1. lapa no " + std::to_string(pages)) != std::string::npos);
  CHECK(text.find(std::to_string(pages) + ". lapa no " + std::to_string(pages)) !=
        std::string::npos);
  size_t footers = 0;
  for (size_t at = text.find("Ieraksts " + record_id); at != std::string::npos;
       at = text.find("Ieraksts " + record_id, at + 1)) {
    ++footers;
  }
  CHECK(footers == static_cast<size_t>(pages));
}

// A demo store with officer 1's caseload, acting as `role`.
struct DemoStore {
  DocCli cli;
  std::string officer;
  explicit DemoStore(const std::string& role, int cases = 12) {
    REQUIRE(cli.Run(cli.Data("d") + " init --demo-org --role " + role) == 0);
    REQUIRE(cli.Run(cli.Data("d") + " demo-data --cases " + std::to_string(cases)) == 0);
  }
  int Run(const std::string& args) { return cli.Run(cli.Data("d") + " " + args); }
  Json RunJson(const std::string& args) {
    REQUIRE(Run("--json " + args) == 0);
    return Json::parse(cli.out);
  }
};

size_t Count(const Json& history, const std::string& kind) {
  size_t n = 0;
  for (const auto& e : history) n += e["kind"] == kind;
  return n;
}

}  // namespace

TEST_CASE("documents: the case summary of a demo case", "[documents][pdf][cli]") {
  DemoStore demo("officer");
  const Json list = demo.RunJson("list");
  // A client whose surname carries a Latvian letter.
  std::string case_id;
  for (const auto& r : list) {
    if (HasLatvianLetter(Str(r["surname"])) && case_id.empty()) case_id = Str(r["case_id"]);
  }
  REQUIRE(!case_id.empty());
  const Json file = demo.RunJson("show " + case_id);
  const std::string pdf = demo.cli.tmp / "summary.pdf";
  REQUIRE(demo.Run("case summary --case " + case_id + " -o '" + pdf + "'") == 0);
  CHECK((std::filesystem::status(pdf).permissions() & std::filesystem::perms::all) == kOwnerOnly);
  CheckPages(pdf, case_id);
  const std::string text = Squeeze(PdfText(pdf));
  for (const char* heading :
       {"Lietas kopsavilkums", "Klients", "Uzraudzības sekcijas", "Risku un vajadzību novērtējums",
        "Resocializācijas plāns", "Kontakti", "Programmas", "Valsts probācijas dienests",
        "Liepājas struktūrvienība"}) {
    CHECK(text.find(heading) != std::string::npos);
  }
  const std::string name = Str(file["client"]["name"]) + " " + Str(file["client"]["surname"]);
  CHECK(text.find(name) != std::string::npos);
  CHECK(text.find(Str(file["client"]["personal_code"])) != std::string::npos);
  // The latest signed assessment, or the words that say there is none.
  std::string signed_on;
  for (const auto& a : file["assessments"]) {
    if (!a["signed_at"].is_null() && signed_on.empty()) signed_on = Str(a["assessed_on"]);
  }
  if (signed_on.empty()) {
    CHECK(text.find("Parakstīta novērtējuma nav.") != std::string::npos);
  } else {
    CHECK(text.find(Lv(signed_on)) != std::string::npos);
  }
  // Rendering is an audited read of the case.
  const Json history = demo.RunJson("history probation_case " + case_id);
  CHECK(Count(history, "render") == 1);

  SECTION("-o - writes the PDF to stdout") {
    REQUIRE(demo.Run("case summary --case " + case_id + " -o -") == 0);
    CHECK(demo.cli.out.rfind("%PDF-", 0) == 0);
    CHECK(Count(demo.RunJson("history probation_case " + case_id), "render") == 2);
  }
  SECTION("no such case: exit 1 and no file") {
    const std::string none = demo.cli.tmp / "none.pdf";
    CHECK(demo.Run("case summary --case 0123456789abcdef0123456789abcdef -o '" + none + "'") == 1);
    CHECK(!std::filesystem::exists(none));
  }
}

TEST_CASE("documents: another officer and a coordinator may not render the case (exit 4)",
          "[documents][pdf][cli]") {
  DemoStore demo("supervisor", 6);
  const std::string backup = demo.cli.tmp / "unit.jsonl";
  REQUIRE(demo.Run("export -o '" + backup + "'") == 0);
  const Json list = demo.RunJson("list");
  const std::string case_id = Str(list[0]["case_id"]);
  const Json show = demo.RunJson("show " + case_id);
  REQUIRE(show["court_applications"].is_array());
  std::string other_officer, coordinator;
  for (const auto& u : demo.RunJson("user list")) {
    if (u["role"] == "officer" && u["id"] != list[0]["responsible_officer_id"])
      other_officer = Str(u["id"]);
    if (u["role"] == "volunteer_coordinator") coordinator = Str(u["id"]);
  }
  REQUIRE(!other_officer.empty());
  // The supervisor of the unit may.
  const std::string pdf = demo.cli.tmp / "s.pdf";
  CHECK(demo.Run("case summary --case " + case_id + " -o '" + pdf + "'") == 0);
  for (const std::string& user : {other_officer, coordinator}) {
    DocCli& cli = demo.cli;
    const std::string dir = "r" + user.substr(0, 6);
    REQUIRE(cli.Run(cli.Data(dir) + " init --restore '" + backup + "' --user-id " + user) == 0);
    const std::string denied = cli.tmp / (dir + ".pdf");
    CHECK(cli.Run(cli.Data(dir) + " case summary --case " + case_id + " -o '" + denied + "'") == 4);
    CHECK(!std::filesystem::exists(denied));
  }
}

TEST_CASE("documents: the court application and the MAPPA minutes of the demo unit",
          "[documents][pdf][cli]") {
  DemoStore demo("officer");
  std::string application_id, case_id, reason;
  for (const auto& r : demo.RunJson("list")) {
    const Json file = demo.RunJson("show " + Str(r["case_id"]));
    for (const auto& a : file["court_applications"]) {
      application_id = Str(a["id"]);
      case_id = Str(r["case_id"]);
      reason = Str(a["reason"]);
    }
  }
  REQUIRE(!application_id.empty());
  const std::string court_pdf = demo.cli.tmp / "court.pdf";
  REQUIRE(demo.Run("court render --application " + application_id + " -o '" + court_pdf + "'") ==
          0);
  CheckPages(court_pdf, application_id);
  std::string text = Squeeze(PdfText(court_pdf));
  CHECK(text.find("Iesniegums tiesai") != std::string::npos);
  for (const char* heading :
       {"Klients", "Pamatojums", "Uzraudzības gaita", "Pārkāpumi", "Tiesas lēmums"}) {
    CHECK(text.find(heading) != std::string::npos);
  }
  CHECK(text.find(Squeeze(reason)) != std::string::npos);  // the whole reason, every word
  CHECK(Count(demo.RunJson("history court_application " + application_id), "render") == 1);
  CHECK(demo.Run("court render --application 0123456789abcdef0123456789abcdef -o '" + court_pdf +
                 "'") == 1);

  const Json meetings = demo.RunJson("mappa list");
  REQUIRE(meetings.size() == 3);
  for (const auto& listed : meetings) {
    const std::string id = Str(listed["id"]);
    const Json m = demo.RunJson("mappa show " + id);
    REQUIRE(m["disclosures"].size() >= 2);
    const std::string pdf = demo.cli.tmp / ("minutes-" + id + ".pdf");
    REQUIRE(demo.Run("mappa render --meeting " + id + " -o '" + pdf + "'") == 0);
    CheckPages(pdf, id);
    text = Squeeze(PdfText(pdf));
    for (const char* heading :
         {"Starpinstitucionālās sanāksmes protokols", "Dalībnieki", "Riska pārvaldības lēmumi",
          "Cietušo aizsardzības lēmumi", "Uzdevumi", "Informācijas izpaušana"}) {
      CHECK(text.find(heading) != std::string::npos);
    }
    for (const auto& d : m["disclosures"])
      CHECK(text.find(Squeeze(Str(d["what"]))) != std::string::npos);
    CHECK((text.find("Parakstīja") != std::string::npos) == !Str(m["signed_at"]).empty());
    CHECK(Count(demo.RunJson("history mappa_meeting " + id), "render") == 1);
  }
}

TEST_CASE(
    "documents: each institution's pack holds its own disclosures and no other's, each "
    "generation is logged",
    "[documents][pdf][cli][mappa]") {
  DemoStore demo("officer");
  const Json meetings = demo.RunJson("mappa list");
  REQUIRE(meetings.size() == 3);
  std::map<std::string, std::string> signer_names;
  for (const auto& u : demo.RunJson("user list"))
    signer_names[Str(u["id"])] = Str(u["display_name"]);
  int signed_meetings = 0, packs = 0;
  for (const auto& listed : meetings) {
    const std::string id = Str(listed["id"]);
    const Json m = demo.RunJson("mappa show " + id);
    std::set<std::string> institutions;
    for (const auto& p : m["participants"]) institutions.insert(Str(p["institution"]));
    for (const auto& d : m["disclosures"]) {
      REQUIRE(!d["recipient"].is_null());
      institutions.insert(Str(d["recipient"]));
    }
    for (const auto& a : m["actions"]) institutions.insert(Str(a["owner"]));
    REQUIRE(institutions.size() >= 3);
    if (Str(m["signed_at"]).empty()) {
      // Draft minutes are not handed on: refused, nothing logged.
      const std::string pdf = demo.cli.tmp / "draft.pdf";
      CHECK(demo.Run("mappa pack --meeting " + id + " --institution state_police -o '" + pdf +
                     "'") == 4);
      CHECK(!std::filesystem::exists(pdf));
      CHECK(demo.RunJson("mappa show " + id)["disclosure_log"].empty());
      continue;
    }
    ++signed_meetings;
    size_t logged = 0;
    for (const std::string& institution : institutions) {
      const std::string pdf = demo.cli.tmp / ("pack-" + institution + ".pdf");
      REQUIRE(demo.Run("mappa pack --meeting " + id + " --institution " + institution + " -o '" +
                       pdf + "'") == 0);
      const std::string pack_err = demo.cli.err;
      ++packs;
      CheckPages(pdf, id);
      const std::string text = Squeeze(PdfText(pdf));
      for (const char* heading : {"Lēmumi", "Iestādes uzdevumi", "Iestādei izpaustā informācija"}) {
        CHECK(text.find(heading) != std::string::npos);
      }
      size_t own = 0;
      for (const auto& d : m["disclosures"]) {
        const bool mine = d["recipient"] == institution;
        INFO(institution << " / " << Str(d["what"]));
        CHECK((text.find(Squeeze(Str(d["what"]))) != std::string::npos) == mine);
        CHECK((text.find(Squeeze(Str(d["legal_basis"]))) != std::string::npos) == mine);
        own += mine;
      }
      for (const auto& a : m["actions"]) {
        const bool mine = a["owner"] == institution;
        CHECK((text.find(Squeeze(Str(a["description"]))) != std::string::npos) == mine);
      }
      // Other institutions' representatives are not named (the signer of the minutes is, in
      // the footer, as the one who answers for them).
      for (const auto& p : m["participants"]) {
        if (p["institution"] != institution && !Str(p["name"]).empty() &&
            Str(p["name"]) != signer_names.at(Str(m["signed_by"]))) {
          CHECK(text.find(Str(p["name"])) == std::string::npos);
        }
      }
      // One log row per disclosure in this pack, naming this institution and this pack.
      const Json log = demo.RunJson("mappa show " + id)["disclosure_log"];
      REQUIRE(log.size() == logged + own);
      std::set<std::string> pack_ids;
      for (size_t i = logged; i < log.size(); ++i) {
        CHECK(log[i]["recipient"] == institution);
        CHECK(!Str(log[i]["what"]).empty());
        CHECK(!Str(log[i]["legal_basis"]).empty());
        CHECK(Str(log[i]["disclosed_by"]).size() == 32);
        CHECK(Str(log[i]["disclosed_at"]).size() == 20);
        pack_ids.insert(Str(log[i]["pack_id"]));
      }
      CHECK(pack_ids.size() <= 1);
      if (own > 0) CHECK(pack_err.find(*pack_ids.begin()) != std::string::npos);
      logged = log.size();
    }
    // A second pack for the police is a second disclosure: logged again.
    const std::string again = demo.cli.tmp / "again.pdf";
    size_t police = 0;
    for (const auto& d : m["disclosures"]) police += d["recipient"] == "state_police";
    REQUIRE(demo.Run("mappa pack --meeting " + id + " --institution state_police -o '" + again +
                     "'") == 0);
    CHECK(demo.RunJson("mappa show " + id)["disclosure_log"].size() == logged + police);
    // An institution with nothing in the meeting: refused, nothing logged.
    CHECK(demo.Run("mappa pack --meeting " + id + " --institution court -o '" + again + "'") == 3);
    CHECK(demo.RunJson("mappa show " + id)["disclosure_log"].size() == logged + police);
  }
  CHECK(signed_meetings == 2);
  CHECK(packs >= 6);
}
