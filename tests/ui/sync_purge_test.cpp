// The sync panel shows what the device purged (issue #15): an officer's case reassigned by the
// supervisor leaves the officer's device at its next sync (sync/purge.hpp), and the desktop's
// sync panel names it in words, when and why, as `lietvedis sync --status` lists it. The
// supervisor's and the officer's devices are driven with the CLI against the real server; the
// officer's data directory is then opened by the desktop.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sync/engine.hpp"
#include "sync/purge.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

TEST_CASE("the sync panel names a case purged from the device after its reassignment",
          "[ui][gl][slow][purge]") {
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
  const std::string officer =
      admin("user add --unit " + unit + " --role officer --name 'Ilze Ozola'");
  const std::string officer2 =
      admin("user add --unit " + unit + " --role officer --name 'Jānis Kalniņš'");
  const std::string supervisor =
      admin("user add --unit " + unit + " --role supervisor --name 'Anna Vītola'");
  testing::ServerProcess server(LV_SERVER_BINARY, store);

  // A new passphrase (enrol) never comes from the environment: from a file.
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
  cli("supervisor", "enrol --code '" +
                        admin("enrol-code --user " + supervisor + " " + server.EnrolCodeArgs()) +
                        "' --device-name vaditaja");
  cli("officer", "enrol --code '" +
                     admin("enrol-code --user " + officer + " " + server.EnrolCodeArgs()) +
                     "' --device-name klepjdators");
  const std::string case_id =
      cli("officer",
          "client register --name Pēteris --surname Ozoliņš --personal-code "
          "150385-11001 --birth-date 15.03.1985 --kind conditional_sentence "
          "--opened 01.03.2026");
  REQUIRE(case_id.size() == 32);
  cli("officer", "sync --quiet");
  cli("supervisor", "sync --quiet");
  cli("supervisor", "reassign --case " + case_id + " --officer " + officer2);
  cli("supervisor", "sync --quiet");

  std::string text = Slurp(ScriptDir() + "/sync_purged.lvs");
  ReplaceAll(text, "@SHORT@", case_id.substr(0, 8) + "…");
  ReplaceAll(text, "@OUT@", dir.path().string());
  const std::string script = dir / "sync_purged.lvs";
  std::ofstream(script) << text;
  const std::string result = dir / "result.json";
  const std::string data = dir / "officer";
  const int rc = RunDesktop("--data '" + data +
                            "' --passphrase gara-parole-viens --sync-interval 3600 --page sync "
                            "--width 1440 --height 900 --script '" +
                            script + "' --result-json '" + result + "'");
  INFO(Slurp(result));
  REQUIRE(rc == 0);
  CheckScreenshot(dir / "sync-purged.png");
  KeepForDocs(dir / "sync-purged.png", "screenshot-sync-purged.png");

  // What the panel said is the engine's record: the case purged as no longer read, and gone.
  ui::Session session;
  REQUIRE(session.Open(data, "gara-parole-viens").ok());
  REQUIRE(session.SignIn(officer).ok());
  REQUIRE(session.engine() != nullptr);
  auto status = session.engine()->Status();
  REQUIRE(status.ok());
  REQUIRE(status->purged.size() == 1);
  CHECK(status->purged[0].scope == "case:" + case_id);
  CHECK(status->purged[0].reason == sync::kPurgeNoLongerRead);
  CHECK_FALSE(session.workspace()->CaseFile(case_id).ok());
}
