// The real lietvedis-desktop under the X server that ./run test provides (xvfb-run): every
// screen opened with demo data and saved as a screenshot, and one workflow driven through
// input events whose result is then read back from the store through the client API.
#include <catch2/catch.hpp>

#include <stb_image.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
namespace fs = std::filesystem;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string Desktop() { return std::string(LV_TEST_BUILD_DIR) + "/ui/lietvedis-desktop"; }
std::string ScriptDir() { return std::string(LV_TEST_SOURCE_DIR) + "/tests/ui/scripts"; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// Today in UTC as dd.mm.yyyy, the date the Workspace uses for "today".
std::string TodayDdMmYyyy() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%d.%m.%Y", &tm);
  return buf;
}

// Copies tests/ui/scripts/NAME into DIR with @OUT@ and @TODAY@ filled in.
std::string PrepareScript(const testing::TempDir& dir, const std::string& name) {
  std::string text = Slurp(ScriptDir() + "/" + name);
  REQUIRE_FALSE(text.empty());
  ReplaceAll(text, "@OUT@", dir.path().string());
  ReplaceAll(text, "@TODAY@", TodayDdMmYyyy());
  const std::string path = dir / name;
  std::ofstream(path) << text;
  return path;
}

// Runs the desktop with `args`; returns its exit status. Leak checks are off for the GL
// process only (see tests/ui/CMakeLists.txt); ASan and UBSan stay on.
int RunDesktop(const std::string& args) {
  REQUIRE_FALSE(Env("DISPLAY").empty());  // run under xvfb-run (./run test does)
  const std::string cmd = "ASAN_OPTIONS=abort_on_error=1:detect_leaks=0 '" + Desktop() + "' " + args;
  INFO(cmd);
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A screenshot exists, has the window's size and is not one flat colour.
void CheckScreenshot(const std::string& path) {
  INFO(path);
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 4);
  REQUIRE(px != nullptr);
  CHECK(w == 1440);
  CHECK(h == 900);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(w) * static_cast<std::size_t>(h); i += 97) {
    if (px[i * 4] != px[0] || px[i * 4 + 1] != px[1] || px[i * 4 + 2] != px[2]) ++differing;
  }
  stbi_image_free(px);
  CHECK(differing > 100);
}

}  // namespace

TEST_CASE("every screen opens with demo data and is saved as a screenshot", "[ui][gl][slow]") {
  testing::TempDir dir;
  struct Tour {
    const char* script;
    const char* role;
    std::vector<const char*> shots;
  };
  const Tour tours[] = {
      {"tour_officer.lvs", "officer",
       {"officer-caseload.png", "officer-agenda.png", "officer-mappa.png", "officer-sync.png", "officer-casefile-overview.png",
        "officer-casefile-contacts.png", "officer-casefile-assessments.png", "officer-casefile-plan.png",
        "officer-casefile-programmes.png", "officer-casefile-history.png", "officer-register-client.png",
        "officer-english.png"}},
      {"tour_supervisor.lvs", "supervisor", {"supervisor-dashboard.png", "supervisor-drilldown.png", "supervisor-casefile.png"}},
      {"tour_coordinator.lvs", "volunteer_coordinator", {"coordinator-volunteers.png", "coordinator-cards.png"}},
  };
  const std::string data = dir / "data";
  for (const auto& tour : tours) {
    INFO(tour.script);
    const std::string script = PrepareScript(dir, tour.script);
    const std::string result = dir / (std::string(tour.role) + ".json");
    const int rc = RunDesktop("--data '" + data + "' --demo --demo-cases 40 --passphrase demo-parole-2026 --as " + tour.role + " --script '" + script +
                              "' --result-json '" + result + "'");
    if (rc != 0) FAIL(Slurp(result));
    for (const char* shot : tour.shots) CheckScreenshot(dir / shot);
  }
}

TEST_CASE("a client registered and a contact planned through the UI reach the store and the agenda", "[ui][gl][slow]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string script = PrepareScript(dir, "workflow_new_client.lvs");
  const std::string result = dir / "result.json";
  const int rc = RunDesktop("--data '" + data + "' --demo --demo-cases 10 --script '" + script + "' --result-json '" +
                            result + "'");
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CheckScreenshot(dir / "workflow-agenda.png");

  // Read the result back through the client API, as the officer.
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  ui::Session session;
  REQUIRE(session.Open(data, "demo-parole-2026").ok());
  REQUIRE(session.SignIn(profile->demo_users["officer"]).ok());
  client::CaseloadFilter filter;
  filter.search = "udre";
  auto rows = session.workspace()->Caseload(filter);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().name == "Žanete");
  CHECK(rows->front().surname == "Ūdre");
  CHECK(rows->front().personal_code == "010190-11004");
  auto file = session.workspace()->CaseFile(rows->front().case_id);
  REQUIRE(file.ok());
  REQUIRE(file->contacts.size() == 1);
  const auto& contact = file->contacts.front();
  CHECK(contact.status == client::ContactStatus::kPlanned);
  CHECK(contact.planned_at.substr(0, 10) == session.workspace()->Today());
  CHECK(contact.planned_at.substr(11, 5) == "23:30");
}

TEST_CASE("a script that names a missing widget fails the run with its line", "[ui][gl]") {
  testing::TempDir dir;
  const std::string script = dir / "bad.lvs";
  std::ofstream(script) << "expect \"Klientu lietas\"\nclick \"#no_such_widget\"\n";
  const std::string result = dir / "result.json";
  const int rc = RunDesktop("--data '" + (dir / "data") + "' --demo --demo-cases 3 --script '" + script +
                            "' --result-json '" + result + "'");
  CHECK(rc == 3);
  CHECK_THAT(Slurp(result), Catch::Contains("script line 2: no widget #no_such_widget"));
}

TEST_CASE("a malformed script is refused before the first frame", "[ui][gl]") {
  testing::TempDir dir;
  const std::string script = dir / "bad.lvs";
  std::ofstream(script) << "wait 1\nteleport home\n";
  const int rc = RunDesktop("--data '" + (dir / "data") + "' --script '" + script + "'");
  CHECK(rc == 2);
  CHECK_FALSE(fs::exists(dir / "data"));  // nothing was created
}

TEST_CASE("validation errors are shown next to the field and nothing is stored", "[ui][gl][slow]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string script = PrepareScript(dir, "workflow_bad_code.lvs");
  const std::string result = dir / "result.json";
  const int rc = RunDesktop("--data '" + data + "' --demo --demo-cases 5 --script '" + script + "' --result-json '" +
                            result + "'");
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  ui::Session session;
  REQUIRE(session.Open(data, "demo-parole-2026").ok());
  REQUIRE(session.SignIn(profile->demo_users["officer"]).ok());
  client::CaseloadFilter filter;
  filter.search = "udre";
  auto rows = session.workspace()->Caseload(filter);
  REQUIRE(rows.ok());
  CHECK(rows->empty());
}

TEST_CASE("a wrong passphrase is refused in plain words and the right one unlocks", "[ui][gl][slow]") {
  if (!ui::Session::Encrypted()) {
    WARN("this build keeps an unencrypted development store; there is no passphrase to get wrong");
    return;
  }
  testing::TempDir dir;
  const std::string data = dir / "data";
  REQUIRE(RunDesktop("--data '" + data + "' --demo --demo-cases 3 --screenshot '" + (dir / "seed.png") +
                     "' --after-frames 2") == 0);
  const std::string script = PrepareScript(dir, "unlock_wrong_then_right.lvs");
  const std::string result = dir / "result.json";
  const int rc = RunDesktop("--data '" + data + "' --script '" + script + "' --result-json '" + result + "'");
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CheckScreenshot(dir / "unlock-wrong.png");
}

TEST_CASE("enrolment refuses mismatched passphrases, creates the store and shows the recovery kit once", "[ui][gl][slow]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string script = PrepareScript(dir, "enrol_and_recovery_kit.lvs");
  const std::string result = dir / "result.json";
  const int rc = RunDesktop("--data '" + data + "' --script '" + script + "' --result-json '" + result + "'");
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CHECK(ui::Session::StoreExists(data));
  CheckScreenshot(dir / "recovery-kit.png");
  // The passphrase chosen on screen opens the store; another does not.
  ui::Session session;
  CHECK(session.Open(data, "gara-parole-viens").ok());
  if (ui::Session::Encrypted()) {
    ui::Session wrong;
    auto r = wrong.Open(data, "gara-parole-divi");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kWrongPassphrase);
  }
}
