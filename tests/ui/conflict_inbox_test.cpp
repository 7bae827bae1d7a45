// The conflict inbox through the desktop (docs/UI.md): two officers of one unit, each on an
// enrolled device, amend the same unsigned MAPPA minutes' risk decision offline; both sync with
// the real lietvedis-server. The second device's desktop shows the conflict with the other
// writer named by user and role (from the directory the device verified, never a device id),
// the officer takes the other value, and the test reads back through the Workspace that the
// chosen value won on this device and, after another sync, on the other device too. The first
// device is driven with the CLI.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sync/engine.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

constexpr const char* kScript =
    R"lvs(# The second officer's device: sync, see the conflict, take the other value, sync again.
expect "Sinhronizācija"
click "#sync_now"
idle
wait 3
expect "Konflikti (1)"
expect "Ilze Ozola (Klientu lietu vadītājs)"
expect "šī ierīce"
expect "Pastiprināta uzraudzība, reizi nedēļā"
expect "Pastiprināta uzraudzība, divreiz nedēļā"
screenshot "@OUT@/conflict-inbox.png"
lang en
wait 2
expect "Ilze Ozola (Probation officer)"
lang lv
wait 2
click "#take_theirs_0"
idle
wait 3
expect "Konfliktu nav."
click "#sync_now"
idle
wait 3
expect "Nesinhronizētas izmaiņas: 0"
quit
)lvs";

}  // namespace

TEST_CASE("a conflict between two devices is shown by its writer and resolved in the desktop",
          "[ui][gl][slow][conflict]") {
  if (!ui::Session::Encrypted()) {
    WARN("this build keeps an unencrypted development store; enrolment needs the encrypted one");
    return;
  }
  testing::TempDir dir;
  const std::string store = "sqlite:" + std::string(dir / "server.db");
  auto admin = [&store](const std::string& args) {
    return testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string first =
      admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  const std::string second =
      admin("user add --unit " + unit + " --role officer --name 'Jānis Kalniņš'");
  testing::ServerProcess server(LV_SERVER_BINARY, store);

  const std::string passphrase_file = dir / "device.passphrase";
  std::ofstream(passphrase_file) << "gara-parole-viens\n";
  auto cli = [&](const std::string& device, const std::string& args) {
    const std::string out = dir / "cli.out", err = dir / "cli.err";
    const std::string cmd = "LIETVEDIS_FAST_KDF=1 '" + std::string(LV_LIETVEDIS_BIN) +
                            "' --data '" + (dir / device) + "' --passphrase-file '" +
                            passphrase_file + "' " + args + " >'" + out + "' 2>'" + err +
                            "' </dev/null";
    const int status = std::system(cmd.c_str());
    INFO(device << " " << args << ": " << Slurp(err));
    REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    std::string text = Slurp(out);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  };
  cli("first", "enrol --code '" +
                   admin("enrol-code --user " + first + " " + server.EnrolCodeArgs()) +
                   "' --device-name klepjdators");
  cli("second", "enrol --code '" +
                    admin("enrol-code --user " + second + " " + server.EnrolCodeArgs()) +
                    "' --device-name darba-dators");
  const std::string case_id =
      cli("first",
          "client register --name Pēteris --surname Ozoliņš --personal-code "
          "150385-11001 --birth-date 15.03.1985 --kind conditional_sentence "
          "--opened 01.03.2026");
  REQUIRE(case_id.size() == 32);
  const std::string meeting = cli("first", "mappa record --held 10.03.2026 --case " + case_id +
                                               " --participant 'vpd|Ilze Ozola'"
                                               " --risk-decisions 'Pastiprināta uzraudzība'");
  REQUIRE(meeting.size() == 32);
  cli("first", "sync --quiet");
  cli("second", "sync --quiet");
  // Both amend the same field offline; the first device's change reaches the server first.
  const std::string theirs = "Pastiprināta uzraudzība, reizi nedēļā";
  const std::string mine = "Pastiprināta uzraudzība, divreiz nedēļā";
  cli("first", "mappa amend --meeting " + meeting + " --risk-decisions '" + theirs + "'");
  cli("second", "mappa amend --meeting " + meeting + " --risk-decisions '" + mine + "'");
  cli("first", "sync --quiet");

  std::string text = kScript;
  ReplaceAll(text, "@OUT@", dir.path().string());
  const std::string script = dir / "conflict_inbox.lvs";
  std::ofstream(script) << text;
  const std::string result = dir / "result.json";
  const int rc = RunDesktop("--data '" + std::string(dir / "second") +
                            "' --passphrase gara-parole-viens --sync-interval 3600 --page sync "
                            "--width 1440 --height 900 --script '" +
                            script + "' --result-json '" + result + "'");
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CheckScreenshot(dir / "conflict-inbox.png");

  // This device: the value taken won, no conflict is left, nothing waits to be pushed.
  {
    ui::Session session;
    REQUIRE(session.Open(dir / "second", "gara-parole-viens").ok());
    REQUIRE(session.SignIn(second).ok());
    auto detail = session.workspace()->MappaMeetingDetail(meeting);
    REQUIRE(detail.ok());
    CHECK(detail->meeting.risk_decisions == theirs);
    auto conflicts = session.replica()->Conflicts();
    REQUIRE(conflicts.ok());
    CHECK(conflicts->empty());
    auto status = session.engine()->Status();
    REQUIRE(status.ok());
    CHECK(status->pending == 0);
  }
  // The other device, after its next sync, holds the chosen value too: the second device's own
  // (later) amendment alone would have replaced it, so only the resolution brings it back.
  cli("first", "sync --quiet");
  ui::Session session;
  REQUIRE(session.Open(dir / "first", "gara-parole-viens").ok());
  REQUIRE(session.SignIn(first).ok());
  auto detail = session.workspace()->MappaMeetingDetail(meeting);
  REQUIRE(detail.ok());
  CHECK(detail->meeting.risk_decisions == theirs);
}
