// The real `lietvedis` binary on temporary stores: init, demo data, JSON output, exit codes
// (usage 2, validation 3, wrong passphrase / not permitted 4), export/import round trip.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/service_day.hpp"
#include "tests/support/temp_dir.hpp"

#ifndef LV_LIETVEDIS_BIN
#error "LV_LIETVEDIS_BIN must name the lietvedis binary"
#endif

namespace {

using lietvedis::testing::TempDir;

struct Cli {
  TempDir tmp;
  std::string out_file = tmp / "out.txt", err_file = tmp / "err.txt";
  std::string out, err;

  // The passphrase comes from a file (a new one may not come from the environment), unless
  // the test gives its own --passphrase-file or turns this off.
  std::string passphrase_file = tmp / "passphrase";
  bool give_passphrase = true;

  Cli() {
    setenv("LIETVEDIS_FAST_KDF", "1", 1);
    unsetenv("LIETVEDIS_PASSPHRASE");
    std::ofstream(passphrase_file) << "ļoti-slepena-parole\n";
  }
  // Runs `lietvedis ARGS`; returns the exit code and keeps stdout/stderr.
  int Run(const std::string& args, const std::string& stdin_file = "/dev/null") {
    const bool own = !give_passphrase || args.find("--passphrase-file") != std::string::npos;
    const std::string pass = own ? "" : "--passphrase-file '" + passphrase_file + "' ";
    const std::string cmd = std::string("'") + LV_LIETVEDIS_BIN + "' " + pass + args + " >'" +
                            out_file + "' 2>'" + err_file + "' <'" + stdin_file + "'";
    const int status = std::system(cmd.c_str());
    out = Slurp(out_file);
    err = Slurp(err_file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string Data(const std::string& name) { return "--data '" + (tmp / name) + "'"; }
};

}  // namespace

TEST_CASE("cli: init, demo data, list --json, show, agenda and report", "[client][cli]") {
  Cli cli;
  REQUIRE(cli.Run(cli.Data("d") + " init --demo-org --role officer") == 0);
  CHECK(cli.out.find("recovery key: ") != std::string::npos);
  REQUIRE(cli.Run(cli.Data("d") + " demo-data --cases 6") == 0);
  REQUIRE(cli.Run(cli.Data("d") + " --json list") == 0);
  auto list = nlohmann::json::parse(cli.out);
  REQUIRE(list.is_array());
  REQUIRE(list.size() == 6);
  for (const auto& row : list) {
    CHECK(row["case_id"].get<std::string>().size() == 32);
    CHECK(row["personal_code"].get<std::string>().size() == 12);
    CHECK(row["status"] == "open");
  }
  const std::string case_id = list[0]["case_id"];
  REQUIRE(cli.Run(cli.Data("d") + " show " + case_id) == 0);
  auto file = nlohmann::json::parse(cli.out);
  CHECK(file["case"]["id"] == case_id);
  CHECK(file["client"]["surname"] == list[0]["surname"]);
  REQUIRE(cli.Run(cli.Data("d") + " --json agenda --date 16.03.2026") == 0);
  CHECK(nlohmann::json::parse(cli.out)["date"] == "2026-03-16");
  REQUIRE(cli.Run(cli.Data("d") + " report --year 2026") == 0);
  CHECK(nlohmann::json::parse(cli.out)["open_cases"] == 6);

  SECTION("a command prints the new record's id and the record is there") {
    REQUIRE(cli.Run(cli.Data("d") + " contact add --case " + case_id +
                    " --at '20.03.2026 10:30' --mode phone") == 0);
    const std::string contact_id = cli.out.substr(0, 32);
    REQUIRE(cli.Run(cli.Data("d") + " show " + case_id) == 0);
    CHECK(cli.out.find(contact_id) != std::string::npos);
  }
  SECTION("a validation error exits 3, names the field and writes nothing") {
    REQUIRE(cli.Run(cli.Data("d") +
                    " client register --name Jānis --surname Bērziņš --personal-code 150385-11002"
                    " --kind conditional_sentence") == 3);
    CHECK(cli.err.find("personal_code: ") != std::string::npos);
    CHECK(cli.err.find("150385-11002") == std::string::npos);  // the value is never repeated
    REQUIRE(cli.Run(cli.Data("d") + " contact add --case " + case_id + " --at 31.02.2026") == 3);
    CHECK(cli.err.find("planned_at: ") != std::string::npos);
    REQUIRE(cli.Run(cli.Data("d") + " --json list") == 0);
    CHECK(nlohmann::json::parse(cli.out).size() == 6);
    REQUIRE(cli.Run(cli.Data("d") + " show " + case_id) == 0);
    CHECK(nlohmann::json::parse(cli.out)["contacts"].size() == file["contacts"].size());
  }
  SECTION("a wrong passphrase exits 4") {
    std::ofstream(cli.tmp / "wrong") << "nav-tā-parole\n";
    CHECK(cli.Run(cli.Data("d") + " --passphrase-file '" + (cli.tmp / "wrong") + "' list") == 4);
    CHECK(cli.err.find("error: ") != std::string::npos);
  }
  SECTION("usage errors exit 2; help exits 0") {
    CHECK(cli.Run(cli.Data("d") + " list --no-such-option") == 2);
    CHECK(cli.Run(cli.Data("d") + " contact add --case x --at 01.01.2026 --mode pigeon") == 2);
    CHECK(cli.Run("--help") == 0);
    CHECK(cli.out.find("Exit codes") != std::string::npos);
    CHECK(cli.Run("contact add --help") == 0);
    CHECK(cli.out.find("--case") != std::string::npos);
  }
  SECTION("an officer may not export the whole store") {
    CHECK(cli.Run(cli.Data("d") + " export -o '" + (cli.tmp / "x.jsonl") + "'") == 4);
  }
}

// SIGPIPE is ignored (a TLS peer closing its connection must not end the process), so a
// reader that goes away early fails the writes: the command says so and exits 1, never 0 with
// its output cut short, and is not killed by the signal (exit 141).
TEST_CASE("cli: a reader that closes the output early gets exit 1, not a signal or a false 0",
          "[client][cli]") {
  Cli cli;
  REQUIRE(cli.Run(cli.Data("d") + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(cli.Data("d") + " demo-data --cases 400") == 0);
  REQUIRE(cli.Run(cli.Data("d") + " --json list") == 0);
  REQUIRE(cli.out.size() > 200'000);  // well past a pipe's 64 KiB
  const std::string rc_file = cli.tmp / "rc";
  const std::string cmd = std::string("('") + LV_LIETVEDIS_BIN + "' --passphrase-file '" +
                          cli.passphrase_file + "' " + cli.Data("d") + " --json list 2>'" +
                          cli.err_file + "'; echo $? >'" + rc_file + "') | head -c 100 >/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(Cli::Slurp(rc_file) == "1\n");
  CHECK(Cli::Slurp(cli.err_file).find("the output could not be written in full") !=
        std::string::npos);
}

TEST_CASE("cli: export, restore into a new store, export again: identical files", "[client][cli]") {
  Cli cli;
  REQUIRE(cli.Run(cli.Data("s") + " init --demo-org --role supervisor") == 0);
  // 40 cases: the restore is one transaction of ~1,200 records, large enough for SQLite to
  // spill pages to the WAL mid-transaction (the case jsonl.cpp guards against).
  REQUIRE(cli.Run(cli.Data("s") + " demo-data --cases 40") == 0);
  REQUIRE(cli.Run(cli.Data("s") + " whoami") == 0);
  const std::string supervisor = nlohmann::json::parse(cli.out)["user_id"];
  const std::string a = cli.tmp / "a.jsonl", b = cli.tmp / "b.jsonl";
  std::ofstream(a) << "stale";  // an existing file with the default (wider) mode
  std::filesystem::permissions(
      a, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
             std::filesystem::perms::group_read | std::filesystem::perms::others_read);
  REQUIRE(cli.Run(cli.Data("s") + " export -o '" + a + "'") == 0);
  // Plain-text case data: readable by this user only.
  CHECK((std::filesystem::status(a).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  REQUIRE(cli.Run(cli.Data("r") + " init --restore '" + a + "' --user-id " + supervisor) == 0);
  REQUIRE(cli.Run(cli.Data("r") + " export -o '" + b + "'") == 0);
  const std::string first = Cli::Slurp(a), second = Cli::Slurp(b);
  CHECK(first.size() > 1000);
  // The restore is audited as an import: the one line the copy adds.
  const std::string import_entry = R"("action":"import","target_table":"store")";
  CHECK(first.find(import_entry) == std::string::npos);
  std::string restored;
  int import_lines = 0;
  {
    std::istringstream lines(second);
    for (std::string line; std::getline(lines, line);) {
      if (line.find(import_entry) != std::string::npos) {
        ++import_lines;
        continue;
      }
      restored += line + "\n";
    }
  }
  CHECK(import_lines == 1);
  CHECK(first == restored);
  REQUIRE(cli.Run(cli.Data("r") + " --json list") == 0);
  CHECK(nlohmann::json::parse(cli.out).size() == 40);
  // The restored audit trail is the original device's chains, not forged entries.
  REQUIRE(cli.Run(cli.Data("s") + " audit verify") == 0);
  CHECK(cli.Run(cli.Data("r") + " audit verify") == 0);
  CHECK(cli.out.find(": sound") != std::string::npos);
  CHECK(cli.out.find("restored from a backup") != std::string::npos);

  SECTION("the export is in the audit trail: action and record count, no values") {
    const std::string c = cli.tmp / "c.jsonl";
    REQUIRE(cli.Run(cli.Data("s") + " export -o '" + c + "'") == 0);
    const std::string third = Cli::Slurp(c);
    CHECK(third.find(R"("action":"export","target_table":"store")") != std::string::npos);
    CHECK(third.find(R"("action":"export","target_table":"store")") ==
          third.rfind(R"("action":"export","target_table":"store")"));  // one export before
  }

  SECTION("an import that forges an audit row: exit 4, nothing imported") {
    std::ofstream(cli.tmp / "forged.jsonl")
        << R"({"type":"org_region","id":"r1","scope":"org","fields":{"name":"Zemgale"}})"
        << "\n"
        << R"({"type":"audit","id":"forged","scope":"org","fields":{"user_id":"x",)"
        << R"("action":"read","target_table":"store","target_id":"","detail":null,)"
        << R"("at":"2026-01-01T00:00:00Z"}})"
        << "\n";
    CHECK(cli.Run(cli.Data("r") + " import '" + (cli.tmp / "forged.jsonl") + "'") == 4);
    CHECK(cli.err.find("audit: ") != std::string::npos);
    REQUIRE(cli.Run(cli.Data("r") + " unit list") == 0);
    CHECK(cli.out.find("Zemgale") == std::string::npos);
  }

  SECTION("an import with a wrong personal-code check digit: exit 3") {
    std::ofstream(cli.tmp / "code.jsonl")
        << R"({"type":"client","id":"c1","scope":"case:k1","fields":{"name":"A","surname":"B",)"
        << R"("personal_code":"150385-11002"}})"
        << "\n";
    CHECK(cli.Run(cli.Data("r") + " import '" + (cli.tmp / "code.jsonl") + "'") == 3);
    CHECK(cli.err.find("personal_code: wrong check digit") != std::string::npos);
  }

  SECTION("a bad line: exit 3 naming the line, nothing imported") {
    std::ofstream(cli.tmp / "bad.jsonl")
        << R"({"type":"org_region","id":"r1","scope":"org","fields":{"name":"Zemgale"}})"
        << "\n{broken\n";
    CHECK(cli.Run(cli.Data("r") + " import '" + (cli.tmp / "bad.jsonl") + "'") == 3);
    CHECK(cli.err.find("line 2: ") != std::string::npos);
    REQUIRE(cli.Run(cli.Data("r") + " unit list") == 0);
    CHECK(cli.out.find("Zemgale") == std::string::npos);
  }
}

TEST_CASE("cli: a volunteer coordinator's store cannot show a case file", "[client][cli]") {
  Cli cli;
  REQUIRE(cli.Run(cli.Data("c") + " init --demo-org --role volunteer_coordinator") == 0);
  REQUIRE(cli.Run(cli.Data("c") + " demo-data --cases 12") == 0);
  REQUIRE(cli.Run(cli.Data("c") + " search a") == 0);  // the coordinator's client cards
  auto cards = nlohmann::json::parse(cli.out);
  REQUIRE_FALSE(cards.empty());
  const std::string case_id = cards[0]["case_id"];
  CHECK(cli.Run(cli.Data("c") + " show " + case_id) == 4);
  CHECK(cli.err.find("error: ") != std::string::npos);
  CHECK(cli.Run(cli.Data("c") + " list") == 4);
  // Nor render a case's document: not permitted (4), no file.
  const std::string pdf = cli.tmp / "izligums.pdf";
  CHECK(cli.Run(cli.Data("c") + " mediation render --case " + case_id + " -o '" + pdf + "'") == 4);
  CHECK(cli.err.find("not permitted") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(pdf));
  CHECK(cli.Run(cli.Data("c") + " case summary --case " + case_id + " -o '" + pdf + "'") == 4);
  CHECK_FALSE(std::filesystem::exists(pdf));
  REQUIRE(cli.Run(cli.Data("c") + " --json volunteer list") == 0);
  CHECK(nlohmann::json::parse(cli.out).size() == 8);
}

// The coordinator's agenda is her sign-off backlog. The demo coordinator logs the demo sessions
// herself; a second coordinator of the unit (added by the administrator, the device profile then
// pointed at her) finds them waiting, the first finds none of her own, an officer none at all.
TEST_CASE("cli: a coordinator's agenda lists the sessions waiting for her sign-off",
          "[client][cli][mentoring]") {
  Cli cli;
  const std::string d = cli.Data("a");
  REQUIRE(cli.Run(d + " init --demo-org --role administrator") == 0);
  REQUIRE(cli.Run(d + " demo-data --cases 24") == 0);
  CHECK(cli.Run(d + " agenda") == 4);  // an administrator has no agenda
  REQUIRE(cli.Run(d + " --json user list") == 0);
  std::string unit;
  for (const auto& u : nlohmann::json::parse(cli.out)) {
    if (u["role"] == "volunteer_coordinator") unit = u["unit_id"];
  }
  REQUIRE_FALSE(unit.empty());
  REQUIRE(cli.Run(d + " user add --unit " + unit +
                  " --role volunteer_coordinator --name 'Laura Zariņa'") == 0);
  const std::string laura = cli.out.substr(0, 32);
  const std::string profile_path = cli.tmp / "a/device.json";
  auto profile = nlohmann::json::parse(Cli::Slurp(profile_path));
  auto act_as = [&](const std::string& user) {
    profile["user_id"] = user;
    std::ofstream(profile_path, std::ios::trunc) << profile.dump();
  };

  act_as(laura);
  REQUIRE(cli.Run(d + " --json agenda") == 0);
  const auto backlog = nlohmann::json::parse(cli.out);
  const auto& items = backlog["items"];
  REQUIRE_FALSE(items.empty());
  std::string previous;
  for (const auto& i : items) {
    CHECK(i["kind"] == "mentoring_signoff");
    CHECK(i["bucket"] == "this_week");
    CHECK(i["days_waiting"].get<std::int64_t>() >= 0);
    CHECK_FALSE(i["detail"].get<std::string>().empty());   // the volunteer
    CHECK_FALSE(i["surname"].get<std::string>().empty());  // the card's client
    CHECK(i["due_on"].get<std::string>() >= previous);     // oldest first
    previous = i["due_on"];
  }
  CHECK(cli.out.find("Sarunā") == std::string::npos);  // no session note
  REQUIRE(cli.Run(d + " agenda") == 0);
  CHECK(cli.out.find("mentoring_signoff") != std::string::npos);
  CHECK(cli.out.find(", waiting ") != std::string::npos);

  // The demo coordinator logged them: none waits for her; an officer's agenda lists none.
  act_as(profile["demo_users"]["volunteer_coordinator"]);
  REQUIRE(cli.Run(d + " --json agenda") == 0);
  CHECK(nlohmann::json::parse(cli.out)["items"].empty());
  act_as(profile["demo_users"]["officer"]);
  REQUIRE(cli.Run(d + " --json agenda") == 0);
  const auto officers = nlohmann::json::parse(cli.out);  // kept: the loop reads into it
  for (const auto& i : officers["items"]) CHECK(i["kind"] != "mentoring_signoff");
}

TEST_CASE("cli: init without a passphrase source and a second init are refused", "[client][cli]") {
  Cli cli;
  cli.give_passphrase = false;
  CHECK(cli.Run(cli.Data("n") + " init --user-name 'Ilze Ozola' --role officer") == 3);
  CHECK_FALSE(std::filesystem::exists(cli.tmp / "n/store.db"));
  cli.give_passphrase = true;
  REQUIRE(cli.Run(cli.Data("n") + " init --user-name 'Ilze Ozola' --role officer") == 0);
  CHECK(cli.Run(cli.Data("n") + " init --user-name 'Ilze Ozola' --role officer") == 3);
  REQUIRE(cli.Run(cli.Data("n") + " whoami") == 0);
  CHECK(nlohmann::json::parse(cli.out)["display_name"] == "Ilze Ozola");
  CHECK(cli.Run(cli.Data("missing") + " list") == 1);
}

TEST_CASE("cli: LIETVEDIS_PASSPHRASE opens an existing store but never sets a new one",
          "[client][cli]") {
  Cli cli;
  cli.give_passphrase = false;
  setenv("LIETVEDIS_PASSPHRASE", "ļoti-slepena-parole", 1);
  // A new passphrase from the environment: refused, in words, and nothing is created.
  CHECK(cli.Run(cli.Data("e") + " init --user-name 'Ilze Ozola' --role officer") == 3);
  CHECK(cli.err.find("LIETVEDIS_PASSPHRASE is not accepted for a new passphrase") !=
        std::string::npos);
  CHECK(cli.err.find("--passphrase-file") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(cli.tmp / "e/store.db"));
  // The same from standard input (a pipe, not argv, not the environment) creates it.
  REQUIRE(cli.Run(cli.Data("e") +
                      " --passphrase-file /dev/stdin init --user-name 'Ilze Ozola' --role officer",
                  cli.passphrase_file) == 0);
  CHECK(cli.out.find("recovery key: ") != std::string::npos);
  // The environment still opens the existing store; a wrong value in it is a wrong passphrase.
  REQUIRE(cli.Run(cli.Data("e") + " whoami") == 0);
  CHECK(nlohmann::json::parse(cli.out)["display_name"] == "Ilze Ozola");
  setenv("LIETVEDIS_PASSPHRASE", "nepareiza parole", 1);
  CHECK(cli.Run(cli.Data("e") + " whoami") == 4);
  unsetenv("LIETVEDIS_PASSPHRASE");
  // The file's passphrase is the one the store was created with.
  cli.give_passphrase = true;
  REQUIRE(cli.Run(cli.Data("e") + " whoami") == 0);
}

TEST_CASE("cli: passphrase change, a damaged store exits 5", "[client][cli]") {
  Cli cli;
  REQUIRE(cli.Run(cli.Data("p") + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(cli.Data("p") + " demo-data --cases 3") == 0);
  std::ofstream(cli.tmp / "new") << "jaunā-parole-2026\n";
  REQUIRE(cli.Run(cli.Data("p") + " passphrase change --new-passphrase-file '" + (cli.tmp / "new") +
                  "'") == 0);
  CHECK(cli.Run(cli.Data("p") + " list") ==
        4);  // the old passphrase (environment) no longer opens it
  REQUIRE(cli.Run(cli.Data("p") + " --passphrase-file '" + (cli.tmp / "new") + "' --json list") ==
          0);
  CHECK(nlohmann::json::parse(cli.out).size() == 3);

  // Flip bytes inside every page of the database file: reading it must fail authentication.
  {
    std::fstream db(cli.tmp / "p/store.db", std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(db.good());
    db.seekg(0, std::ios::end);
    const std::streamoff size = db.tellg();
    REQUIRE(size > 4096 * 4);
    for (std::streamoff page = 1; page * 4096 < size; ++page) {
      db.seekp(page * 4096 + 200);
      db.put('\x5a');
    }
  }
  CHECK(cli.Run(cli.Data("p") + " --passphrase-file '" + (cli.tmp / "new") + "' list") == 5);
  CHECK(cli.err.find("error: ") != std::string::npos);
}

TEST_CASE("cli: community work, the escalation ladder, MAPPA action done, duplicate codes",
          "[client][cli][casework]") {
  // The binary reads the system clock: every date here is at least a few days in the past
  // (orders and hours) or far in the future (a refused completion date).
  Cli cli;
  auto day = [](int days_ago) { return lietvedis::testing::ServiceDayLv(-days_ago); };
  auto id = [&] { return cli.out.substr(0, 32); };
  const std::string d = cli.Data("d");
  REQUIRE(cli.Run(d + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(d +
                  " client register --name Līga --surname Kalna --personal-code 010190-11004"
                  " --birth-date 01.01.1990 --kind community_work --opened " +
                  day(40)) == 0);
  const std::string cw = id();

  // Duplicates: the same code is refused naming the case; a contradicting birth date too.
  REQUIRE(cli.Run(d + " client register --name Līga --surname Kalna --personal-code 010190-11004"
                      " --kind conditional_sentence") == 3);
  CHECK(cli.err.find("personal_code: already registered for Līga Kalna") != std::string::npos);
  CHECK(cli.err.find(cw) != std::string::npos);
  REQUIRE(cli.Run(d + " client register --name Līga --surname Kalna --personal-code 010190-11004"
                      " --birth-date 02.01.1990 --same-person --kind conditional_sentence") == 3);
  CHECK(cli.err.find("birth_date: contradicts") != std::string::npos);
  REQUIRE(cli.Run(d +
                  " client register --name Līga --surname Kalna --personal-code 010190-11004"
                  " --same-person --kind conditional_sentence --opened " +
                  day(30)) == 0);
  const std::string supervised = id();
  REQUIRE(cli.Run(d + " --json list") == 0);
  CHECK(nlohmann::json::parse(cli.out).size() == 2);

  // Community work: order, placement, hours; 9 h on one day is refused (exit 3).
  REQUIRE(cli.Run(d + " community order --case " + cw + " --hours 40 --ordered " + day(35) +
                  " --deadline " + day(-100)) == 0);
  const std::string order = id();
  REQUIRE(cli.Run(d + " community placement --order " + order +
                  " --provider 'Liepājas dome' --address 'Rožu laukums 5' --started " + day(30)) ==
          0);
  const std::string placement = id();
  REQUIRE(cli.Run(d + " community log --placement " + placement + " --on " + day(20) +
                  " --hours 4:30") == 0);
  REQUIRE(cli.Run(d + " community log --placement " + placement + " --on " + day(20) +
                  " --hours 4") == 3);
  CHECK(cli.err.find("daily limit of 8") != std::string::npos);
  REQUIRE(cli.Run(d + " community log --placement " + placement + " --on " + day(-1) +
                  " --hours 1") == 3);
  CHECK(cli.err.find("worked_on: in the future") != std::string::npos);
  REQUIRE(cli.Run(d + " --json community show " + cw) == 0);
  auto work = nlohmann::json::parse(cli.out);
  REQUIRE(work["orders"].size() == 1);
  CHECK(work["orders"][0]["minutes_done"] == 270);
  CHECK(work["orders"][0]["minutes_remaining"] == 40 * 60 - 270);
  CHECK(work["hours"].size() == 1);

  // Escalation: a missed contact, decided as a warning; the second warning proposes a court
  // application, which cites both.
  REQUIRE(cli.Run(d + " section open --case " + supervised +
                  " --sentence-type 'Nosacīta notiesāšana' --court-decision K-1 --opened " +
                  day(30) + " --planned-end " + day(-300)) == 0);
  std::vector<std::string> warnings;
  for (int ago : {20, 10}) {
    REQUIRE(cli.Run(d + " contact add --case " + supervised + " --at " + day(ago) +
                    " --status missed") == 0);
    const std::string contact = id();
    REQUIRE(cli.Run(d + " --json agenda") == 0);
    CHECK(cli.out.find("missed_contact_decision") != std::string::npos);
    REQUIRE(cli.Run(d + " contact decide --contact " + contact + " --decision justified_absence") ==
            3);
    CHECK(cli.err.find("reason: required") != std::string::npos);
    REQUIRE(cli.Run(d + " contact decide --contact " + contact + " --decision warning") == 0);
    warnings.push_back(id());
    REQUIRE(cli.Run(d + " contact decide --contact " + contact + " --decision warning") == 4);
  }
  REQUIRE(cli.Run(d + " show " + supervised) == 0);
  auto file = nlohmann::json::parse(cli.out);
  REQUIRE(file["escalation"]["sections"].size() == 1);
  CHECK(file["escalation"]["sections"][0]["warnings"] == 2);
  CHECK(file["escalation"]["sections"][0]["court_application_proposed"] == true);
  REQUIRE(cli.Run(d + " court file --case " + supervised + " --reason 'Izvairās' --warning " +
                  warnings[0] + " --warning " + warnings[1]) == 0);
  REQUIRE(cli.Run(d + " show " + supervised) == 0);
  file = nlohmann::json::parse(cli.out);
  CHECK(file["escalation"]["sections"][0]["court_application_proposed"] == false);
  CHECK(file["court_applications"][0]["warning_ids"].size() == 2);

  // MAPPA: an action is done once, not in the future; then it leaves the agenda.
  REQUIRE(cli.Run(d + " mappa record --held " + day(5) + " --case " + supervised +
                  " --participant 'vpd|Ilze Ozola' --action 'Pārbaudīt dzīvesvietu|state_police|" +
                  day(-3) + "'") == 0);
  const std::string meeting = id();
  REQUIRE(cli.Run(d + " mappa show " + meeting) == 0);
  const std::string action = nlohmann::json::parse(cli.out)["actions"][0]["id"];
  REQUIRE(cli.Run(d + " --json agenda") == 0);
  CHECK(cli.out.find(action) != std::string::npos);
  REQUIRE(cli.Run(d + " mappa action-done --action " + action + " --on " + day(-2)) == 3);
  CHECK(cli.err.find("done_on: in the future") != std::string::npos);
  REQUIRE(cli.Run(d + " mappa action-done --action " + action + " --on " + day(6)) == 3);
  CHECK(cli.err.find("done_on: before the meeting") != std::string::npos);
  REQUIRE(cli.Run(d + " mappa action-done --action " + action + " --on " + day(1) +
                  " --note 'Policija apmeklēja'") == 0);
  REQUIRE(cli.Run(d + " mappa action-done --action " + action + " --on " + day(1)) == 4);
  REQUIRE(cli.Run(d + " mappa show " + meeting) == 0);
  CHECK(nlohmann::json::parse(cli.out)["actions"][0]["done_on"].get<std::string>().size() == 10);
  REQUIRE(cli.Run(d + " --json agenda") == 0);
  CHECK(cli.out.find(action) == std::string::npos);
}

TEST_CASE(
    "cli: a supervisor countersigns a signed assessment once with exit codes for the refusals",
    "[client][cli][approvals]") {
  Cli cli;
  REQUIRE(cli.Run(cli.Data("s") + " init --demo-org --role supervisor") == 0);
  REQUIRE(cli.Run(cli.Data("s") + " demo-data --cases 6") == 0);
  REQUIRE(cli.Run(cli.Data("s") + " --json list") == 0);
  std::string case_id, signed_id, draft_id;
  for (const auto& row : nlohmann::json::parse(cli.out)) {
    REQUIRE(cli.Run(cli.Data("s") + " show " + row["case_id"].get<std::string>()) == 0);
    const auto file = nlohmann::json::parse(cli.out);
    for (const auto& a : file["assessments"]) {
      const bool is_signed = !a["signed_at"].get<std::string>().empty();
      if (is_signed && signed_id.empty()) {
        signed_id = a["id"];
        case_id = row["case_id"];
      }
      if (!is_signed && draft_id.empty()) draft_id = a["id"];
    }
  }
  REQUIRE_FALSE(signed_id.empty());
  CHECK(cli.Run(cli.Data("s") + " countersign --table contact --id " + signed_id) == 3);
  CHECK(cli.err.find("record_table") != std::string::npos);
  if (!draft_id.empty()) {
    CHECK(cli.Run(cli.Data("s") + " countersign --table assessment --id " + draft_id) == 3);
  }
  REQUIRE(cli.Run(cli.Data("s") + " countersign --table assessment --id " + signed_id +
                  " --remark 'Saskaņots'") == 0);
  const std::string countersignature = cli.out.substr(0, cli.out.find('\n'));
  CHECK(cli.Run(cli.Data("s") + " countersign --table assessment --id " + signed_id) == 4);
  REQUIRE(cli.Run(cli.Data("s") + " show " + case_id) == 0);
  const auto file = nlohmann::json::parse(cli.out);
  REQUIRE(file["countersignatures"].size() == 1);
  CHECK(file["countersignatures"][0]["id"] == countersignature);
  CHECK(file["countersignatures"][0]["record_id"] == signed_id);
  CHECK(file["countersignatures"][0]["remark"] == "Saskaņots");
}

TEST_CASE("cli: a mediation from party and consent to the report that closes the case",
          "[client][cli][mediation]") {
  Cli cli;
  auto day = [](int days_ago) { return lietvedis::testing::ServiceDayLv(-days_ago); };
  auto id = [&] { return cli.out.substr(0, 32); };
  const std::string d = cli.Data("d");
  REQUIRE(cli.Run(d + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(d +
                  " client register --name Roberts --surname Zariņš --personal-code 010190-11004"
                  " --kind mediation --opened " +
                  day(30)) == 0);
  const std::string m = id();
  REQUIRE(cli.Run(d +
                  " client register --name Līga --surname Kalna --personal-code 150385-11001"
                  " --kind conditional_sentence --opened " +
                  day(30)) == 0);
  const std::string plain = id();

  // Only on a mediation case; a bad outcome code is usage (2).
  REQUIRE(cli.Run(d + " mediation party --case " + plain + " --name Anna") == 3);
  CHECK(cli.err.find("case_id: mediation records belong to mediation cases") != std::string::npos);
  REQUIRE(cli.Run(d + " mediation outcome --case " + m + " --outcome peace") == 2);

  REQUIRE(cli.Run(d + " --json mediation party --case " + m +
                  " --name Anna --surname Ābola --contact '+371 26000000'") == 0);
  const std::string p = nlohmann::json::parse(cli.out)["id"];
  REQUIRE(cli.Run(d + " mediation mediator --case " + m) == 0);
  REQUIRE(cli.Run(d + " mediation consent --case " + m + " --on " + day(20)) == 0);
  // The party has not consented yet: the meeting is refused, nothing written.
  REQUIRE(cli.Run(d + " mediation meeting --case " + m + " --on " + day(10) + " --party " + p) ==
          3);
  CHECK(cli.err.find("party_ids[0]: the party has not consented") != std::string::npos);
  REQUIRE(cli.Run(d + " mediation consent --case " + m + " --party " + p + " --on " + day(15)) ==
          0);
  REQUIRE(cli.Run(d + " mediation meeting --case " + m + " --on " + day(10) + " --party " + p +
                  " --mode remote --note 'Puses izteicās'") == 0);
  // The report as PDF: not before the outcome, not for another kind of case (exit 3), not
  // for an unknown case (exit 1), not without --case (usage, 2); no file written.
  const std::string pdf = cli.tmp / "izligums.pdf";
  REQUIRE(cli.Run(d + " mediation render --case " + m + " -o '" + pdf + "'") == 3);
  CHECK(cli.err.find("case_id: record the mediation's outcome first") != std::string::npos);
  REQUIRE(cli.Run(d + " mediation render --case " + plain + " -o '" + pdf + "'") == 3);
  CHECK(cli.err.find("case_id: mediation records belong to mediation cases") != std::string::npos);
  REQUIRE(cli.Run(d + " mediation render --case 0123456789abcdef0123456789abcdef -o '" + pdf +
                  "'") == 1);
  REQUIRE(cli.Run(d + " mediation render -o '" + pdf + "'") == 2);
  CHECK_FALSE(std::filesystem::exists(pdf));
  // An agreement without terms is refused; then recorded once.
  REQUIRE(cli.Run(d + " mediation outcome --case " + m + " --outcome agreement --on " + day(5) +
                  " --due " + day(-5)) == 3);
  CHECK(cli.err.find("agreement_terms: required for an agreement") != std::string::npos);
  REQUIRE(cli.Run(d + " mediation outcome --case " + m + " --outcome agreement --on " + day(5) +
                  " --terms 'Atlīdzināt 300 EUR' --due " + day(-5)) == 0);
  REQUIRE(cli.Run(d + " mediation outcome --case " + m + " --outcome no_agreement") == 4);
  REQUIRE(cli.Run(d + " --json agenda") == 0);
  CHECK(cli.out.find("mediation_agreement_due") != std::string::npos);

  REQUIRE(cli.Run(d + " --json mediation show " + m) == 0);
  auto j = nlohmann::json::parse(cli.out);
  CHECK(j["outcome"] == "agreement");
  CHECK(j["agreement_terms"] == "Atlīdzināt 300 EUR");
  CHECK(j["mediator_name"] != "");
  REQUIRE(j["parties"].size() == 1);
  CHECK(j["parties"][0]["surname"] == "Ābola");
  REQUIRE(j["meetings"].size() == 1);
  CHECK(j["meetings"][0]["mode"] == "remote");
  CHECK(j["meetings"][0]["status"] == "held");
  CHECK(j["meetings"][0]["note"] == "Puses izteicās");

  REQUIRE(cli.Run(d + " mediation report --case " + m) == 3);  // fulfilment first
  REQUIRE(cli.Run(d + " mediation fulfilment --case " + m + " --fulfilment fulfilled") == 0);
  REQUIRE(cli.Run(d + " mediation report --case " + m + " --to 'Liepājas tiesa'") == 0);
  REQUIRE(cli.Run(d + " show " + m) == 0);
  j = nlohmann::json::parse(cli.out);
  CHECK(j["case"]["status"] == "closed");
  CHECK(j["mediation"]["report_to"] == "Liepājas tiesa");
  CHECK(j["mediation"]["fulfilment"] == "fulfilled");

  // Once decided (here reported and closed): a PDF file 0600, or the bytes to stdout.
  REQUIRE(cli.Run(d + " mediation render --case " + m + " -o '" + pdf + "'") == 0);
  CHECK(cli.err.find("1 pages") != std::string::npos);
  CHECK((std::filesystem::status(pdf).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  std::ifstream in(pdf, std::ios::binary);
  std::string magic(5, '\0');
  in.read(magic.data(), 5);
  CHECK(magic == "%PDF-");
  REQUIRE(cli.Run(d + " mediation render --case " + m + " -o -") == 0);
  CHECK(cli.out.rfind("%PDF-", 0) == 0);
  REQUIRE(cli.Run(d + " history mediation " + m) == 0);
  CHECK(cli.out.find("mediation_report pdf") != std::string::npos);
}

// Break-glass from the CLI on a sealed case (a closed juvenile case): refused to `show`,
// exit 3 for a short reason (nothing written), then opened and shown; the owner of a case
// that is not sealed is refused (exit 4); `covers` lists none on a store without a directory.
TEST_CASE("cli: break-glass opens a sealed juvenile case with a reason, exit codes 3 and 4",
          "[client][cli][break_glass]") {
  Cli cli;
  REQUIRE(cli.Run(cli.Data("b") + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(cli.Data("b") +
                  " client register --name Roberts --surname Kļaviņš --personal-code "
                  "120709-21007 --birth-date 12.07.2009 --tags juvenile --kind "
                  "conditional_sentence --opened 01.02.2026") == 0);
  const std::string sealed = cli.out.substr(0, cli.out.find_first_of("\r\n"));
  REQUIRE(sealed.size() == 32);
  REQUIRE(cli.Run(cli.Data("b") +
                  " client register --name Jānis --surname Bērziņš --personal-code 150385-11001 "
                  "--kind conditional_sentence --opened 01.02.2026") == 0);
  const std::string adult = cli.out.substr(0, cli.out.find_first_of("\r\n"));
  REQUIRE(cli.Run(cli.Data("b") + " show " + sealed) == 0);  // open: not sealed yet
  REQUIRE(cli.Run(cli.Data("b") + " case close --case " + sealed + " --closed 01.03.2026") == 0);

  CHECK(cli.Run(cli.Data("b") + " show " + sealed) == 4);
  CHECK(cli.err.find("opens only by break-glass with a reason") != std::string::npos);
  CHECK(cli.Run(cli.Data("b") + " break-glass --case " + sealed + " --reason 'par īsu'") == 3);
  CHECK(cli.err.find("reason") != std::string::npos);
  CHECK(cli.Run(cli.Data("b") + " break-glass --case " + adult +
                " --reason 'Tiesa pieprasa izziņu'") == 4);
  REQUIRE(cli.Run(cli.Data("b") + " break-glass --case " + sealed +
                  " --reason 'Tiesa pieprasa izziņu'") == 0);
  REQUIRE(cli.Run(cli.Data("b") + " show " + sealed) == 0);
  auto file = nlohmann::json::parse(cli.out);
  CHECK(file["client"]["surname"] == "Kļaviņš");
  REQUIRE(cli.Run(cli.Data("b") + " --json covers") == 0);
  auto covers = nlohmann::json::parse(cli.out);
  CHECK(covers["covers"].empty());
  CHECK(covers["covered_cases"].empty());
}

TEST_CASE("cli: correct puts right a note and refuses a link field or a day that is no date",
          "[client][cli][corrections]") {
  Cli cli;
  auto id = [&] { return cli.out.substr(0, 32); };
  const std::string d = cli.Data("d");
  REQUIRE(cli.Run(d + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(d + " client register --name Līga --surname Kalna --personal-code 010190-11004"
                      " --birth-date 01.01.1990 --kind conditional_sentence --opened 01.03.2026") ==
          0);
  const std::string case_id = id();
  REQUIRE(cli.Run(d + " note add --case " + case_id + " --body 'Ieradās laikā'") == 0);
  const std::string note = id();

  REQUIRE(cli.Run(d + " correct --table note --id " + note + " --field case_id --value x" +
                  " --reason 'kļūda'") == 3);
  CHECK(cli.err.find("field: a link to another record cannot be corrected") != std::string::npos);
  REQUIRE(cli.Run(d + " correct --table note --id " + note + " --field body --value x" +
                  " --reason ' '") == 3);
  CHECK(cli.err.find("reason:") != std::string::npos);
  REQUIRE(cli.Run(d + " --json history note " + note) == 0);
  CHECK(cli.out.find("correction") == std::string::npos);  // the refusals wrote nothing

  REQUIRE(
      cli.Run(d + " correct --table note --id " + note +
              " --field body --value 'Ieradās ar nokavēšanos' --reason 'Ierakstīts nepareizi'") ==
      0);
  REQUIRE(cli.Run(d + " --json show " + case_id) == 0);
  const auto file = nlohmann::json::parse(cli.out);
  REQUIRE(file["corrections"].size() == 1);
  CHECK(file["corrections"][0]["value"] == "Ieradās ar nokavēšanos");
  CHECK(file["corrections"][0]["reason"] == "Ierakstīts nepareizi");
}
