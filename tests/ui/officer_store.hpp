// What the scripted desktop tests of the case-file forms share: a store with demo data and one
// client of the demo officer's, signing in to it through the Session to read back what a
// script wrote, and playing a script from tests/ui/scripts/ as a demo user.
#pragma once

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "client/workspace.hpp"
#include "tests/support/service_day.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "ui/session.hpp"

namespace lietvedis::testing::desktop {

inline constexpr const char* kDemoPassphrase = "demo-parole-2026";
// The personal code of the client PrepareOfficerStore registers (@CODE@ in scripts).
inline constexpr const char* kClientCode = "010190-11004";

using PrepareCase = std::function<void(client::Workspace&, const std::string& case_id)>;

// A new store at `data` (fast KDF) with 4 demo cases of the demo officer and one client of the
// officer's: Žanete Ūdre, personal code `code`, phone 20000000, a conditional sentence opened
// on 01.03.2026. `prepare` adds to the case through the Workspace. Returns the case id.
inline std::string PrepareOfficerStore(const std::string& data, const PrepareCase& prepare = {},
                                       const std::string& code = kClientCode) {
  ui::Session s;
  REQUIRE(s.Create(data, kDemoPassphrase, /*fast_kdf=*/true).ok());
  REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
  client::Workspace& ws = *s.workspace();
  client::RegisterClient c;
  c.name = "Žanete";
  c.surname = "Ūdre";
  c.personal_code = code;
  c.phone = "20000000";
  c.kind = client::CaseKind::kConditionalSentence;
  c.opened_on = "01.03.2026";
  auto registered = ws.Execute(c);
  REQUIRE(registered.ok());
  if (prepare) prepare(ws, *registered);
  s.Lock();
  return *registered;
}

// The store at `data` reopened and signed in as the demo user of `role`.
inline void SignInAs(ui::Session& s, const std::string& data, const std::string& role = "officer") {
  REQUIRE(s.Open(data, kDemoPassphrase, /*fast_kdf=*/true).ok());
  auto profile = ui::LoadProfile(data);
  REQUIRE(profile.ok());
  REQUIRE(s.SignIn(profile->demo_users[role]).ok());
}

// dd.mm.yyyy of `days` days from today (the day in Latvia, as the Workspace counts days).
inline std::string DaysFromToday(int days) {
  return testing::ServiceDayLv(days);
}

using Fill = std::vector<std::pair<std::string, std::string>>;

// Plays `script` (saved as DIR/`file_name`) as the demo user `role` over `data`: `fill` first,
// then @OUT@ (DIR), @TODAY@ (today, UTC) and @CODE@ (kClientCode) filled in. The run must end
// with exit code 0; its result JSON is shown when it does not.
inline void RunScriptTextAs(const TempDir& dir, const std::string& data,
                            const std::string& file_name, std::string script, const Fill& fill = {},
                            const std::string& role = "officer") {
  REQUIRE(std::getenv("DISPLAY") != nullptr);  // run under xvfb-run (./run test does)
  REQUIRE_FALSE(script.empty());
  for (const auto& [from, to] : fill) ReplaceAll(script, from, to);
  ReplaceAll(script, "@OUT@", dir.path().string());
  ReplaceAll(script, "@TODAY@", DaysFromToday(0));
  ReplaceAll(script, "@CODE@", kClientCode);
  const std::string path = dir / file_name;
  std::ofstream(path) << script;
  const std::string result = dir / "result.json";
  const int rc = RunDesktopAs(data, kDemoPassphrase, role, path, result);
  INFO(Slurp(result));
  REQUIRE(rc == 0);
}

// RunScriptTextAs with the script tests/ui/scripts/`name`.
inline void RunScriptAs(const TempDir& dir, const std::string& data, const std::string& name,
                        const Fill& fill = {}, const std::string& role = "officer") {
  RunScriptTextAs(dir, data, name, Slurp(ScriptDir() + "/" + name), fill, role);
}

}  // namespace lietvedis::testing::desktop
