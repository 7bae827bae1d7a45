// Break-glass in the real lietvedis-desktop under Xvfb (ui/form_break_glass.cpp): the demo
// officer is away and the directory names the second demo officer as her deputy (the cover
// arrives as the engine hands it over, through MaterialiseDirectory). The deputy finds the
// case under "Lietas, kurās aizvietojat kolēģi" (one line per absent colleague, unfolded by a
// click), is refused without a reason (the error beside
// the field, nothing written), gives one, and the case file opens with "Atvērts ārkārtas kārtā
// līdz …". The run ends by reading the store back through the Workspace.
#include <catch2/catch.hpp>
#include <string>

#include "client/audit_chain.hpp"
#include "client/device.hpp"
#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

constexpr const char* kReason = "Klients ieradās ārpus grafika";

constexpr const char* kScript = R"lvs(expect "Klientu lietas"
idle
expect "Lietas, kurās aizvietojat kolēģi"
expect "prombūtnē līdz"
click "#covered_group0"
idle
click "#covered_row0"
idle
expect "Piekļuve ārkārtas kārtā"
click "#break_glass_save"
idle
wait 2
expect "obligāts lauks"
expect "Piekļuve ārkārtas kārtā"
click "#break_glass_reason"
type "īss"
key Enter
idle
wait 2
expect "vismaz 10 rakstzīmes"
screenshot "@OUT@/break-glass-refused.png"
click "#break_glass_reason"
key ctrl+a
type "@REASON@"
key Enter
idle
wait 3
expect_not "Piekļuve ārkārtas kārtā"
expect "Atvērts ārkārtas kārtā līdz"
expect_not "Lietas, kurās aizvietojat kolēģi"
screenshot "@OUT@/break-glass-open.png"
lang en
expect "Opened by break-glass until"
lang lv
quit
)lvs";

std::int64_t Count(storage::Database& db, const std::string& sql, const std::string& arg) {
  auto n = db.QueryInt(sql, arg);
  REQUIRE(n.ok());
  return *n;
}

}  // namespace

TEST_CASE(
    "a deputy opens a covered case file by break-glass with a reason, an empty or short "
    "reason is refused beside the field",
    "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareOfficerStore(data);
  std::string officer, deputy;
  {
    ui::Session s;
    SignInAs(s, data, "officer");
    auto profile = ui::LoadProfile(data);
    REQUIRE(profile.ok());
    officer = profile->demo_users["officer"];
    deputy = profile->demo_users["officer_2"];
    sync::EngineDirectory d;
    d.covers.push_back({officer, deputy, s.workspace()->Today(), "2099-12-31"});
    REQUIRE(client::MaterialiseDirectory(*s.db(), d).ok());
    s.Lock();
  }
  RunScriptTextAs(dir, data, "break_glass.lvs", kScript, {{"@REASON@", kReason}}, "officer_2");
  CheckScreenshot(dir / "break-glass-open.png");

  ui::Session s;
  SignInAs(s, data, "officer_2");
  storage::Database& db = *s.db();
  // Exactly one row (the refused attempts wrote nothing), on the first covered case: one of
  // the absent officer's.
  CHECK(Count(db, "SELECT count(*) FROM break_glass WHERE user_id=?", deputy) == 1);
  auto st = db.Prepare(
      "SELECT b.case_id, b.reason, b.scope, p.responsible_officer_id FROM break_glass b"
      " JOIN probation_case p ON p.id=b.case_id");
  REQUIRE(st.ok());
  REQUIRE(st->Step().value());
  const std::string opened = st->Text(0);
  CHECK(st->Text(1) == kReason);
  CHECK(st->Text(2) == "case:" + opened);
  CHECK(st->Text(3) == officer);
  st->Reset();
  CHECK(Count(db,
              "SELECT count(*) FROM audit WHERE action='break_glass' AND target_table="
              "'break_glass' AND user_id=?",
              deputy) == 1);
  CHECK(Count(db, "SELECT count(*) FROM audit WHERE action='read' AND user_id=?", deputy) >= 1);
  auto report = client::VerifyAuditChains(db);
  REQUIRE(report.ok());
  CHECK(report->sound());
  // The deputy reads the file now through the Workspace too; the owner's agenda lists it.
  auto file = s.workspace()->CaseFile(opened);
  REQUIRE(file.ok());
  CHECK_FALSE(file->break_glass_until.empty());
  // Another covered case stays locked.
  auto other = s.workspace()->CaseFile(case_id == opened ? std::string() : case_id);
  if (case_id != opened) CHECK_FALSE(other.ok());
}
