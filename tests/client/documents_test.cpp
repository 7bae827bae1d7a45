// The PDF renderer and the CSV writer in process: long text breaks across pages with no line
// lost, tables repeat their header on each page, every Latvian letter survives extraction,
// page numbers and the footer are on every page; RFC 4180 quoting.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "client/documents/document.hpp"
#include "client/documents/tables.hpp"
#include "client/jsonl.hpp"
#include "client/schema.hpp"
#include "client/workspace.hpp"
#include "tests/client/documents_support.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client::documents;
using lietvedis::testing::ParseCsvStrict;
using lietvedis::testing::PdfPages;
using lietvedis::testing::PdfText;
using lietvedis::testing::TempDir;

namespace {

const char* const kLetters =
    "Ābele Čakste Ērglis Ģirts Īvāns Ķēniņš Ļaudis Ņina Šņore Ūsiņš Žagata "
    "ābele čakste ērglis ģirts īvāns ķēniņš ļaudis ņina šņore ūsiņš žagata";

std::string Render(const Document& d, const TempDir& tmp, int* pages = nullptr) {
  auto pdf = RenderPdf(d);
  REQUIRE(pdf.ok());
  const std::string path = tmp / "doc.pdf";
  std::ofstream(path, std::ios::binary) << pdf->bytes;
  if (pages != nullptr) *pages = pdf->pages;
  CHECK(PdfPages(path) == pdf->pages);
  return path;
}

// The text of each page (pdftotext separates pages with form feeds).
std::vector<std::string> Pages(const std::string& text) {
  std::vector<std::string> pages;
  std::string page;
  for (char c : text) {
    if (c == '\f') {
      pages.push_back(page);
      page.clear();
    } else {
      page += c;
    }
  }
  if (!page.empty() && page.find_first_not_of(" \n") != std::string::npos) pages.push_back(page);
  return pages;
}

std::string Squeeze(const std::string& s) {
  return std::regex_replace(s, std::regex("\\s+"), " ");
}

Document Base() {
  Document d;
  d.title = "Pārbaudes dokuments";
  d.letterhead = {"Valsts probācijas dienests", "Kurzemes reģions", "Liepājas struktūrvienība"};
  d.record_id = "0123456789abcdef0123456789abcdef";
  return d;
}

}  // namespace

TEST_CASE("pdf: a long paragraph breaks across pages and no line is lost", "[documents][pdf]") {
  TempDir tmp;
  Document d = Base();
  d.blocks.push_back(Heading{"Ilgs teksts"});
  std::string text;
  for (int i = 1; i <= 400; ++i) {
    char n[8];
    std::snprintf(n, sizeof n, "%03d", i);
    text +=
        std::string("Teikums T") + n + " par " + (i % 2 ? "ķēniņu" : "šņori") + " un tā ģimeni. ";
  }
  d.blocks.push_back(Paragraph{text});
  int pages = 0;
  const std::string path = Render(d, tmp, &pages);
  CHECK(pages >= 3);
  const std::string extracted = PdfText(path);
  // Every sentence once, in order, whole (the squeezed text contains the squeezed original
  // once its page furniture is cut out page by page).
  size_t at = 0;
  for (int i = 1; i <= 400; ++i) {
    char n[8];
    std::snprintf(n, sizeof n, "T%03d", i);
    const size_t found = extracted.find(n, at);
    INFO("sentence " << n);
    REQUIRE(found != std::string::npos);
    CHECK(extracted.find(n, found + 1) == std::string::npos);
    at = found;
  }
  std::string body;
  const auto page_texts = Pages(extracted);
  REQUIRE(static_cast<int>(page_texts.size()) == pages);
  for (size_t p = 0; p < page_texts.size(); ++p) {
    std::string page = page_texts[p];
    const std::string number = std::to_string(p + 1) + ". lapa no " + std::to_string(pages);
    INFO("page " << p + 1);
    REQUIRE(page.find(number) != std::string::npos);
    REQUIRE(page.find("Ieraksts " + d.record_id) != std::string::npos);
    page.erase(page.find(number), number.size());
    page.erase(page.find("Ieraksts " + d.record_id), 9 + d.record_id.size());
    body += page + " ";
  }
  const std::string squeezed = Squeeze(body);
  CHECK(squeezed.find(Squeeze(text).substr(0, text.size() - 2)) != std::string::npos);
}

TEST_CASE("pdf: every Latvian letter is extracted intact, signer in the footer when signed",
          "[documents][pdf]") {
  TempDir tmp;
  Document d = Base();
  d.blocks.push_back(Heading{"Klients"});
  d.blocks.push_back(KeyValues{{{"Vārds, uzvārds", kLetters}}});
  d.blocks.push_back(Paragraph{std::string("Teksts: ") + kLetters + " – «pēdiņas» №"});
  std::string path = Render(d, tmp);
  std::string text = Squeeze(PdfText(path));
  CHECK(text.find(kLetters) != std::string::npos);
  CHECK(text.find("«pēdiņas» №") != std::string::npos);
  CHECK(text.find("Pārbaudes dokuments") != std::string::npos);
  CHECK(text.find("Liepājas struktūrvienība") != std::string::npos);
  CHECK(text.find("Parakstīja") == std::string::npos);

  d.signer = "Ilze Ozola";
  d.signed_on = "14.03.2026";
  path = Render(d, tmp);
  text = Squeeze(PdfText(path));
  CHECK(text.find("Parakstīja Ilze Ozola, 14.03.2026") != std::string::npos);
  CHECK(text.find("1. lapa no 1") != std::string::npos);
}

TEST_CASE("pdf: a table breaks between rows and repeats its header row on every page",
          "[documents][pdf]") {
  TempDir tmp;
  Document d = Base();
  d.blocks.push_back(Heading{"Kontakti"});
  Table t{{"Datums", "Veids", "Rezultāts"}, {1, 1, 3}, {}, {}};
  for (int i = 1; i <= 150; ++i) {
    char n[8];
    std::snprintf(n, sizeof n, "R%03d", i);
    t.rows.push_back(
        {"16.03.2026", "klātienē", std::string(n) + " ieradās laikā; ģimene atbalsta"});
  }
  d.blocks.push_back(t);
  int pages = 0;
  const std::string path = Render(d, tmp, &pages);
  CHECK(pages >= 3);
  const auto page_texts = Pages(PdfText(path));
  REQUIRE(static_cast<int>(page_texts.size()) == pages);
  int next = 1;
  for (const auto& page : page_texts) {
    CHECK(page.find("Rezultāts") != std::string::npos);  // the header row, again
    // Rows continue where the previous page stopped.
    for (;;) {
      char n[8];
      std::snprintf(n, sizeof n, "R%03d", next);
      if (page.find(n) == std::string::npos) break;
      ++next;
    }
  }
  CHECK(next == 151);

  SECTION("a table without rows prints its empty text") {
    Document e = Base();
    e.blocks.push_back(Table{{"A", "B"}, {}, {}, "Nav ierakstu šajā laikā."});
    CHECK(Squeeze(PdfText(Render(e, tmp))).find("Nav ierakstu šajā laikā.") != std::string::npos);
  }
}

TEST_CASE("csv: RFC 4180 quoting of delimiters, quotes and line breaks, dates dd.mm.yyyy",
          "[documents][csv]") {
  DataTable t;
  t.name = "caseload";
  t.columns = {{"Teksts", ColumnKind::kText}, {"Datums", ColumnKind::kDate}};
  t.rows = {{"vienkāršs", "2026-03-16"},
            {"ar ; semikolu", "2026-12-01"},
            {"ar , komatu", ""},
            {"ar \"pēdiņām\"", "2026-01-02"},
            {"divas\nrindas\r\nun CRLF", "2026-02-03T10:00:00Z"}};
  for (char delim : {';', ','}) {
    std::ostringstream out;
    REQUIRE(WriteCsv(t, out, delim).ok());
    const auto rows = ParseCsvStrict(out.str(), delim);
    REQUIRE(rows.size() == 6);
    CHECK(rows[0] == std::vector<std::string>{"Teksts", "Datums"});
    for (size_t r = 0; r < t.rows.size(); ++r) CHECK(rows[r + 1][0] == t.rows[r][0]);
    CHECK(rows[1][1] == "16.03.2026");
    CHECK(rows[3][1].empty());
    CHECK(rows[5][1] == "03.02.2026");
    // Only fields that need it are quoted.
    CHECK(out.str().find("\"vienkāršs\"") == std::string::npos);
  }
  std::ostringstream out;
  CHECK(WriteCsv(t, out, '\t').error().code == Errc::kValidation);
}

// ---------------------------------------------------------------------------------------
// MAPPA agency packs in the Workspace: built from the institution's rows, logged with the
// delivery in one transaction.

namespace {

std::string RecordSignedMeeting(lietvedis::testing::ModelFixture& f, client::Workspace& ws,
                                const std::string& case_id) {
  client::RecordMappaMeeting m;
  m.held_on = "10.03.2026";
  m.case_ids = {case_id};
  m.participants = {{client::Institution::kVpd, "Ilze Ozola"},
                    {client::Institution::kStatePolice, "Liepājas iecirknis"}};
  m.risk_decisions = "Kontakti reizi nedēļā.";
  m.actions = {{"Pārbaudīt dzīvesvietu", client::Institution::kStatePolice, "20.03.2026"}};
  // The recipient from the text (an institution's Latvian name), from an explicit code, and
  // none (free text naming no institution).
  m.disclosures = {{"dzīvesvieta", "Valsts policija", "Probācijas likums", std::nullopt},
                   {"ģimenes situācija", "Sociālais dienests Liepājā", "Sociālo pakalpojumu likums",
                    client::Institution::kMunicipalSocialService},
                   {"veselības ziņas", "ārsts", "Pacientu tiesību likums", std::nullopt}};
  const std::string id = f.Must(ws.Execute(m));
  f.Must(ws.Execute(client::SignMappaMinutes{id}));
  return id;
}

}  // namespace

TEST_CASE("mappa pack: only the institution's rows, the log is written with the delivery",
          "[documents][mappa]") {
  lietvedis::testing::ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  const std::string meeting = RecordSignedMeeting(f, *ws, case_id);

  client::MappaPackView seen;
  auto capture = [&](const client::MappaPackView& v) -> Result<void> {
    seen = v;
    return Ok();
  };
  auto pack = ws->GenerateMappaPack(meeting, client::Institution::kStatePolice, capture);
  REQUIRE(pack.ok());
  REQUIRE(seen.meeting.disclosures.size() == 1);
  CHECK(seen.meeting.disclosures[0].what == "dzīvesvieta");
  REQUIRE(seen.meeting.actions.size() == 1);
  REQUIRE(seen.meeting.participants.size() == 1);
  CHECK(seen.meeting.participants[0].name == "Liepājas iecirknis");
  CHECK(seen.signer_name == "Ilze Ozola");
  CHECK(seen.unit_name == "Liepājas struktūrvienība");
  CHECK(f.Count("mappa_disclosure_log") == 1);
  CHECK(f.db.QueryInt("SELECT count(*) FROM mappa_disclosure_log WHERE pack_id='" + *pack +
                      "' AND recipient_institution='state_police' AND what='dzīvesvieta' AND "
                      "legal_basis='Probācijas likums' AND disclosed_by='" +
                      f.officer + "' AND scope='unit:" + f.unit + "'")
            .value() == 1);

  SECTION("the social service gets its own disclosure only; a free-text recipient goes nowhere") {
    REQUIRE(
        ws->GenerateMappaPack(meeting, client::Institution::kMunicipalSocialService, capture).ok());
    REQUIRE(seen.meeting.disclosures.size() == 1);
    CHECK(seen.meeting.disclosures[0].what == "ģimenes situācija");
    CHECK(seen.meeting.actions.empty());
    CHECK(seen.meeting.participants.empty());
    CHECK(f.Count("mappa_disclosure_log") == 2);
    CHECK(f.db.QueryInt("SELECT count(*) FROM mappa_disclosure WHERE what='veselības ziņas' AND "
                        "recipient_institution IS NULL")
              .value() == 1);
  }
  SECTION("a failed delivery logs nothing") {
    auto failed = ws->GenerateMappaPack(meeting, client::Institution::kStatePolice,
                                        [](const client::MappaPackView&) -> Result<void> {
                                          return MakeError(Errc::kIo, "disk full");
                                        });
    REQUIRE(!failed.ok());
    CHECK(failed.error().code == Errc::kIo);
    CHECK(f.Count("mappa_disclosure_log") == 1);
  }
  SECTION("who may: another unit's officer and the coordinator may not; nothing logged") {
    for (const std::string& user : {f.officer_other_unit, f.coordinator}) {
      auto other = f.As(user);
      auto refused = other->GenerateMappaPack(meeting, client::Institution::kStatePolice, capture);
      REQUIRE(!refused.ok());
      CHECK(refused.error().code == Errc::kNotPermitted);
    }
    CHECK(f.Count("mappa_disclosure_log") == 1);
  }
}

TEST_CASE(
    "mappa pack: the disclosure log travels in exports but is never imported into a "
    "working store",
    "[documents][mappa][jsonl]") {
  lietvedis::testing::ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string meeting = RecordSignedMeeting(f, *ws, f.RegisterBerzins(*ws));
  REQUIRE(ws->GenerateMappaPack(meeting, client::Institution::kStatePolice,
                                [](const client::MappaPackView&) -> Result<void> { return Ok(); })
              .ok());
  std::ostringstream exported;
  REQUIRE(client::ExportJsonl(f.db, exported).ok());
  CHECK(exported.str().find("\"type\":\"mappa_disclosure_log\"") != std::string::npos);
  // The same file again: the existing log row is skipped, fine.
  {
    std::istringstream in(exported.str());
    REQUIRE(client::ImportJsonl(f.db, *f.replica, in, client::ImportMode::kMerge).ok());
  }
  // A log row the store does not have: refused, nothing written.
  std::string doc = exported.str();
  doc += R"({"type":"mappa_disclosure_log","id":"forged","scope":"unit:)" + f.unit +
         R"(","fields":{"meeting_id":")" + meeting +
         R"(","disclosure_id":null,"pack_id":null,"what":"x","recipient_institution":"court",)"
         R"("to_whom":"x","legal_basis":"x","disclosed_by":"someone",)"
         R"("disclosed_at":"2026-03-01T00:00:00Z"}})"
         "\n";
  std::istringstream in(doc);
  auto r = client::ImportJsonl(f.db, *f.replica, in, client::ImportMode::kMerge);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kNotPermitted);
  CHECK(f.Count("mappa_disclosure_log") == 1);
}

TEST_CASE("schema step 5: disclosures recorded before it have no recipient and go into no pack",
          "[documents][mappa][migration]") {
  TempDir tmp;
  auto opened = storage::Database::Open(tmp / "v4.db");
  REQUIRE(opened.ok());
  storage::Database db = std::move(opened).value();
  REQUIRE(storage::Migrate(db, "client", client::ClientMigrations().first(4)).ok());
  REQUIRE(db.Exec("INSERT INTO org_user VALUES('u-off','org','Ilze Ozola','officer','unit-1',1);"
                  "INSERT INTO mappa_meeting(id, scope, unit_id, held_on, mode, case_ids,"
                  " signed_at, signed_by) VALUES('m-1','unit:unit-1','unit-1','2026-03-10',"
                  " 'remote','case-a','2026-03-10T12:00:00Z','u-off');"
                  "INSERT INTO mappa_participant VALUES('p-1','unit:unit-1','m-1','state_police',"
                  " 'Liepājas iecirknis',NULL);"
                  "INSERT INTO mappa_disclosure VALUES('d-1','unit:unit-1','m-1','dzīvesvieta',"
                  " 'Valsts policija','Probācijas likums',NULL);")
              .ok());
  auto replica = client::OpenClientReplica(db, "officer-site");
  REQUIRE(replica.ok());
  CHECK(storage::SchemaVersion(db, "client").value() >= 5);
  auto ws = client::Workspace::Open(db, **replica, "u-off");
  REQUIRE(ws.ok());
  client::MappaPackView seen;
  REQUIRE((*ws)
              ->GenerateMappaPack("m-1", client::Institution::kStatePolice,
                                  [&](const client::MappaPackView& v) -> Result<void> {
                                    seen = v;
                                    return Ok();
                                  })
              .ok());
  CHECK(seen.meeting.participants.size() == 1);
  CHECK(seen.meeting.disclosures.empty());
  CHECK(db.QueryInt("SELECT count(*) FROM mappa_disclosure_log").value() == 0);
}
