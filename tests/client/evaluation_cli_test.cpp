// The evaluation report through the real `lietvedis` binary: request, start, draft (text and
// files), refusals with their exit codes, sign, submit, show, and the PDF read back with
// Poppler's pdftotext/pdfinfo.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/client/documents_support.hpp"

namespace {

using lietvedis::testing::DocCli;
using lietvedis::testing::PdfPages;
using lietvedis::testing::PdfText;
using Json = nlohmann::json;

std::string Squeeze(const std::string& s) {
  return std::regex_replace(s, std::regex("\\s+"), " ");
}

struct Store {
  DocCli cli;
  Store() { REQUIRE(cli.Run(cli.Data("d") + " init --demo-org --role officer") == 0); }
  int Run(const std::string& args) { return cli.Run(cli.Data("d") + " " + args); }
  std::string Id(const std::string& args) {
    INFO(args);
    const int code = Run(args);
    INFO(cli.err);
    REQUIRE(code == 0);
    return cli.out.substr(0, cli.out.find('\n'));
  }
  Json RunJson(const std::string& args) {
    REQUIRE(Run("--json " + args) == 0);
    return Json::parse(cli.out);
  }
};

// About 19,000 bytes (of the 20,000 a section may hold) of Latvian text with every
// diacritic, 13 words an episode, so the report runs over pages.
constexpr int kEpisodes = 180;
std::string LongOffence() {
  std::string text;
  for (int i = 1; i <= kEpisodes; ++i) {
    text += "Epizode " + std::to_string(i) +
            ": ģimenes ķēķī žēli šķīda ļoti čaukstoši ūdeņi, ņemot vērā āra apstākļus. ";
  }
  return text;
}

}  // namespace

TEST_CASE("evaluation report: the whole life through the command line", "[evaluation][cli]") {
  Store s;
  const std::string case_id = s.Id(
      "client register --name Žanete --surname Ķēniņa-Ģērmane --personal-code 150385-11001 "
      "--birth-date 15.03.1985 --kind evaluation_report --opened 01.03.2026");
  const std::string request =
      s.Id("evaluation request --case " + case_id +
           " --requester court --requester-name 'Kurzemes rajona tiesa' --reference K-2026/117 "
           "--received 02.03.2026 --deadline 31.12.2030");
  REQUIRE(request.size() == 32);

  REQUIRE(s.Run("evaluation show --request " + request) == 0);
  CHECK(s.cli.out.find("report     not started") != std::string::npos);
  CHECK(s.cli.out.find("Žanete Ķēniņa-Ģērmane") != std::string::npos);
  CHECK(s.Run("evaluation draft --request " + request + " --offence x") == 3);
  CHECK(s.cli.err.find("is not started") != std::string::npos);

  CHECK(s.Id("evaluation start --request " + request) == request);
  CHECK(s.Run("evaluation start --request " + request) == 4);

  const std::string offence = LongOffence();
  const std::string offence_file = s.cli.tmp / "offence.txt";
  std::ofstream(offence_file) << offence;
  REQUIRE(s.Id("evaluation draft --request " + request +
               " --circumstances 'Dzīvo Liepājā pie mātes; strādā ostā.' --offence-file '" +
               offence_file + "'") == request);
  // Usage: a section from text and from a file at once.
  CHECK(s.Run("evaluation draft --request " + request + " --offence x --offence-file '" +
              offence_file + "'") == 2);
  // Bad input: a missing file, invalid UTF-8; nothing changes.
  CHECK(s.Run("evaluation draft --request " + request + " --attitude-file /nonexistent/x") == 1);
  const std::string bad_file = s.cli.tmp / "bad.txt";
  std::ofstream(bad_file) << std::string("Zādzība \xC3\x28");
  CHECK(s.Run("evaluation draft --request " + request + " --attitude-file '" + bad_file + "'") ==
        3);
  CHECK(s.cli.err.find("attitude: not valid UTF-8") != std::string::npos);

  REQUIRE(
      s.Id("evaluation draft --request " + request +
           " --risk-needs 'Vidējs risks; vajadzības: alkohols.' --attitude 'Motivēta mainīties.'"
           " --conclusion 'Ieteicams nosacīts sods ar probācijas uzraudzību.'") == request);
  // Signing needs the signed assessment the risk section rests on.
  CHECK(s.Run("evaluation sign --request " + request) == 3);
  CHECK(s.cli.err.find("assessment_id: required to sign") != std::string::npos);
  const std::string assessment =
      s.Id("assessment add --case " + case_id +
           " --instrument vpd_rvn --version 2.1 --assessed 05.03.2026 --risk medium "
           "--needs alcohol");
  REQUIRE(s.Id("evaluation draft --request " + request + " --assessment " + assessment) == request);
  CHECK(s.Run("evaluation sign --request " + request) == 3);
  CHECK(s.cli.err.find("is not signed; sign it before the report") != std::string::npos);
  CHECK(s.Run("evaluation submit --request " + request) == 3);
  REQUIRE(s.Run("assessment sign --assessment " + assessment) == 0);
  REQUIRE(s.Id("evaluation sign --request " + request) == request);
  CHECK(s.Run("evaluation draft --request " + request + " --conclusion x") == 4);

  // The show, as JSON: sections with word counts and the signature.
  const Json shown = s.RunJson("evaluation show --request " + request);
  CHECK(shown["status"] == "in_progress");
  CHECK(shown["report"]["sections"]["offence"]["text"] == offence);
  CHECK(shown["report"]["sections"]["offence"]["words"] == kEpisodes * 13);
  CHECK(shown["report"]["sections"]["attitude"]["words"] == 2);
  CHECK(shown["report"]["assessment_id"] == assessment);
  CHECK(!shown["report"]["signed_at"].get<std::string>().empty());
  REQUIRE(s.Id("evaluation submit --request " + request) == request);
  CHECK(s.RunJson("show " + case_id)["evaluation_requests"][0]["status"] == "submitted");
  CHECK(s.Run("evaluation withdraw --request " + request + " --reason 'par vēlu'") == 4);

  // The PDF: A4 pages numbered, every heading, the long text whole, signer, footer id.
  const std::string pdf = s.cli.tmp / "ziņojums.pdf";
  REQUIRE(s.Run("evaluation render --request " + request + " -o '" + pdf + "'") == 0);
  CHECK((std::filesystem::status(pdf).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  const int pages = PdfPages(pdf);
  CHECK(pages >= 2);
  CHECK(s.cli.err.find(std::to_string(pages) + " pages") != std::string::npos);
  const std::string raw = PdfText(pdf);
  for (int p = 1; p <= pages; ++p) {
    CHECK(raw.find(std::to_string(p) + ". lapa no " + std::to_string(pages)) != std::string::npos);
  }
  size_t footers = 0;
  for (size_t at = raw.find("Ieraksts " + request); at != std::string::npos;
       at = raw.find("Ieraksts " + request, at + 1)) {
    ++footers;
  }
  CHECK(footers == static_cast<size_t>(pages));
  const std::string text = Squeeze(raw);
  for (const char* expected :
       {"Valsts probācijas dienests", "Izvērtēšanas ziņojums", "Persona un tās dzīves apstākļi",
        "Noziedzīgais nodarījums", "Riski un vajadzības", "Personas attieksme un motivācija",
        "Secinājums un ieteikums", "Žanete Ķēniņa-Ģērmane", "Kurzemes rajona tiesa", "K-2026/117",
        "31.12.2030", "Parakstīja"}) {
    INFO(expected);
    CHECK(text.find(expected) != std::string::npos);
  }
  CHECK(text.find("(projekts)") == std::string::npos);
  // Every word of the long section, in order, across the page breaks: without the footer
  // lines the extracted text holds the section whole.
  std::string body;
  std::istringstream lines(raw);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("Ieraksts " + request) == std::string::npos) body += line + "\n";
  }
  CHECK(Squeeze(body).find(Squeeze(offence)) != std::string::npos);
  // The render is audited against the report, by kind and page count only.
  const Json history = s.RunJson("history evaluation_report " + request);
  size_t renders = 0;
  for (const auto& e : history) {
    if (e["kind"] == "render") {
      ++renders;
      CHECK(e["detail"] == "evaluation_report pdf " + std::to_string(pages) + " pages");
    }
  }
  CHECK(renders == 1);
  CHECK(s.Run("evaluation render --request 0123456789abcdef0123456789abcdef -o x.pdf") == 1);
}

TEST_CASE("evaluation report: a draft renders as a draft, a withdrawal needs a reason",
          "[evaluation][cli]") {
  Store s;
  const std::string case_id = s.Id(
      "client register --name Līga --surname Cīrule --personal-code 010190-11004 "
      "--kind evaluation_report --opened 01.03.2026");
  const std::string request = s.Id("evaluation request --case " + case_id +
                                   " --requester prosecutor --requester-name 'Liepājas "
                                   "prokuratūra' --reference 11-22 --received 02.03.2026 "
                                   "--deadline 20.03.2026");
  const std::string pdf = s.cli.tmp / "draft.pdf";
  CHECK(s.Run("evaluation render --request " + request + " -o '" + pdf + "'") == 3);
  CHECK(!std::filesystem::exists(pdf));
  REQUIRE(s.Run("evaluation start --request " + request + " --started 03.03.2026") == 0);
  REQUIRE(s.Run("evaluation draft --request " + request + " --offence 'Nav zināms.'") == 0);
  REQUIRE(s.Run("evaluation render --request " + request + " -o '" + pdf + "'") == 0);
  const std::string text = Squeeze(PdfText(pdf));
  CHECK(text.find("Izvērtēšanas ziņojums (projekts)") != std::string::npos);
  CHECK(text.find("Nav zināms.") != std::string::npos);
  CHECK(text.find("Parakstīja") == std::string::npos);

  CHECK(s.Run("evaluation withdraw --request " + request) == 2);  // --reason is required
  CHECK(s.Run("evaluation withdraw --request " + request + " --reason ''") == 3);
  REQUIRE(s.Run("evaluation withdraw --request " + request +
                " --reason 'prokuratūra atsauca pieprasījumu' --withdrawn 10.03.2026") == 0);
  const Json shown = s.RunJson("evaluation show --request " + request);
  CHECK(shown["status"] == "withdrawn");
  CHECK(shown["withdrawn_on"] == "2026-03-10");
  CHECK(shown["withdrawal_reason"] == "prokuratūra atsauca pieprasījumu");
  CHECK(shown["report"]["sections"]["offence"]["text"] == "Nav zināms.");
  CHECK(s.Run("evaluation draft --request " + request + " --offence x") == 4);
  // The agenda no longer lists it.
  const Json agenda = s.RunJson("agenda --date 16.03.2026");
  CHECK(agenda.dump().find(request) == std::string::npos);
}
