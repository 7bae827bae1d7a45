// The administrator's screen against the real central store: the directory a device verified
// under the organisation's root key, shown as users and devices, a revoked laptop with the
// reason the root signed, and the revocation command for a laptop in service.
#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <string>

#include "tests/support/cli_device.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/service_day.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
namespace desk = lietvedis::testing::desktop;

TEST_CASE("the administrator's screen shows the verified directory and a revocation's words",
          "[ui][gl][slow]") {
  if (!ui::Session::Encrypted()) {
    WARN("this build keeps an unencrypted development store; enrolment needs the encrypted one");
    return;
  }
  setenv("LIETVEDIS_FAST_KDF", "1", 1);
  testing::TempDir dir;
  const std::string store = "sqlite:" + (dir / "server.db");
  auto admin = [&](const std::string& args) {
    return testing::ServerAdmin(LV_SERVER_BINARY, store, args);
  };
  const std::string unit = admin("unit add --region Kurzeme --name Liepāja");
  const std::string officer =
      admin("user add --unit " + unit + " --role officer --name 'Anna Bērziņa'");
  const std::string deputy =
      admin("user add --unit " + unit + " --role officer --name 'Jānis Kalniņš'");
  const std::string administrator =
      admin("user add --unit " + unit + " --role administrator --name 'Ilze Administratore'");
  testing::ServerProcess server(LV_SERVER_BINARY, store);

  // The officer has two laptops; one is stolen and revoked by the organisation.
  testing::CliDevice stolen{dir, "stolen"}, laptop{dir, "laptop"};
  std::string ids[2];
  int i = 0;
  for (testing::CliDevice* d : {&stolen, &laptop}) {
    const std::string code_file = dir / (d->name + ".code");
    std::ofstream(code_file) << admin("enrol-code --user " + officer + " " + server.EnrolCodeArgs())
                             << "\n";
    INFO(d->err);
    REQUIRE(d->Run("enrol --code-file '" + code_file + "' --device-name " + d->name) == 0);
    REQUIRE(d->Run("--json sync --status") == 0);
    const auto at = d->out.find("\"device_id\":");
    REQUIRE(at != std::string::npos);
    const auto start = d->out.find('"', at + 12) + 1;
    ids[i++] = d->out.substr(start, d->out.find('"', start) - start);
  }
  REQUIRE(ids[0].size() == 32);
  admin("device revoke --device " + ids[0] + " --reason 'ukradīts vilcienā (stolen)'");
  // Anna is away from today for ten days; Jānis covers for her.
  const std::string from = testing::ServiceDayIso(), until = testing::ServiceDayIso(10);
  admin("cover set --user " + officer + " --deputy " + deputy + " --from " + from + " --until " +
        until);

  // A programme the organisation added to the catalogue.
  const std::string programme = admin(
      "programme set --name 'Ieradumu maiņa' --target-group jaunieši --provider ngo"
      " --provider-name 'Biedrība Līdzās' --mode blended --accreditation pilot");
  REQUIRE(programme.rfind("prog-", 0) == 0);

  std::string text = desk::Slurp(desk::ScriptDir() + "/admin_directory.lvs");
  desk::ReplaceAll(text, "@CODE@",
                   admin("enrol-code --user " + administrator + " " + server.EnrolCodeArgs()));
  desk::ReplaceAll(text, "@OUT@", dir.path().string());
  desk::ReplaceAll(text, "@DEVICE8@", ids[1].substr(0, 8));
  desk::ReplaceAll(text, "@DEVICE@", ids[1]);
  desk::ReplaceAll(text, "@USER8@", officer.substr(0, 8));
  desk::ReplaceAll(text, "@USER@", officer);
  desk::ReplaceAll(text, "@DEPUTY@", deputy);
  auto lv_day = [](const std::string& iso) {
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
  };
  desk::ReplaceAll(text, "@PERIOD@", lv_day(from) + "–" + lv_day(until));
  desk::ReplaceAll(text, "@UNIT@", unit);
  desk::ReplaceAll(text, "@FROMISO@", from);
  desk::ReplaceAll(text, "@UNTILISO@", until);
  desk::ReplaceAll(text, "@FROM@", lv_day(from));
  desk::ReplaceAll(text, "@UNTIL@", lv_day(until));
  desk::ReplaceAll(text, "@TODAY@", testing::ServiceDayLv());
  const std::string script = dir / "admin_directory.lvs";
  std::ofstream(script) << text;
  const std::string result = dir / "result.json";
  const int rc =
      desk::RunDesktop("--data '" + (dir / "data") + "' --sync-interval 3600 --script '" + script +
                       "' --result-json '" + result + "'");
  INFO(desk::Slurp(result));
  REQUIRE(rc == 0);
  desk::CheckScreenshot(dir / "admin.png");
  desk::KeepForDocs(dir / "admin.png", "screenshot-admin.png");
  desk::CheckScreenshot(dir / "admin-cover.png");
  desk::CheckScreenshot(dir / "admin-programmes.png");
  desk::KeepForDocs(dir / "admin-cover.png", "screenshot-admin-cover.png");

  // The commands the screen handed over (the script saw them drawn, word for word) run as they
  // are where the root key is: the new user is in the directory, the cover recorded again.
  const std::string added =
      admin("user add --unit " + unit + " --role officer --name 'Līga Ozola'");
  CHECK(added.size() == 32);
  CHECK(admin("user list").find("Līga Ozola") != std::string::npos);
  admin("cover set --user " + officer + " --deputy " + deputy + " --from " + from + " --until " +
        until);
  CHECK(admin("cover list").find(deputy) != std::string::npos);
  const std::string retired = admin(
      "programme set --id prog-equip --name 'EQUIP' --target-group 'jaunieši' --provider vpd"
      " --provider-name 'VPD' --mode in_person --accreditation accredited --retire");
  CHECK(retired == "prog-equip");
  CHECK(admin("programme list").find("prog-equip\tretired\tvpd\tin_person\taccredited\tEQUIP") !=
        std::string::npos);
}
