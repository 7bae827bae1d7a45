// The supervisor's dashboard drills down from a measure's figure to the cases behind it
// (client::IndicatorCases): reoffending during supervision, its base (the persons supervised in
// the year) and the legal-employment S1 open
// the caseload filtered to those cases, open or closed. The script asserts that the number of
// cases listed is the figure, that each case of the measure is listed and that a case outside
// it is not, then goes back to the whole caseload. The reoffending drill-down then moves to the
// previous reporting year and back with the arrows above the list.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "client/indicators.hpp"
#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using testing::desktop::DaysFromToday;
using testing::desktop::PrepareOfficerStore;
using testing::desktop::RunScriptTextAs;
using testing::desktop::SignInAs;

namespace {

// The steps that check one drill-down: the figure's cases listed and counted, one other case
// not listed, then back to the whole caseload and the dashboard.
std::string DrillSteps(const std::string& target, const std::string& title,
                       const std::vector<std::string>& names, const std::string& absent) {
  std::string s = "click \"#" + target + "\"\nidle\nwait 2\n";
  s += "expect \"Rādītāja lietas: " + title + "\"\n";
  s += "expect \"Lietas: " + std::to_string(names.size()) + "\"\n";
  for (const auto& n : names) s += "expect \"" + n + "\"\n";
  if (!absent.empty()) s += "expect_not \"" + absent + "\"\n";
  s += "click \"#clear_indicator\"\nidle\nwait 2\nexpect_not \"Rādītāja lietas\"\n";
  if (!absent.empty()) s += "expect \"" + absent + "\"\n";
  s += "click \"#nav_dashboard\"\nidle\nwait 2\n";
  return s;
}

}  // namespace

TEST_CASE("dashboard figures drill down to exactly the cases behind them",
          "[ui][gl][slow][indicators]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string udre =
      PrepareOfficerStore(data, [](client::Workspace& ws, const std::string& id) {
        // A section opened this year without employment taxes, a new offence inside it, and
        // the section closed today unemployed: the client is in reoffending and in S1.
        client::OpenSupervisionSection sec;
        sec.case_id = id;
        sec.sentence_type = "Nosacīta notiesāšana";
        sec.court_decision_ref = "K-1";
        sec.opened_on = DaysFromToday(-30);
        sec.planned_end_on = DaysFromToday(700);
        sec.no_employment_taxes_at_opening = true;
        auto section = ws.Execute(sec);
        REQUIRE(section.ok());
        client::RecordViolation v;
        v.case_id = id;
        v.kind = client::ViolationKind::kNewOffence;
        v.occurred_on = DaysFromToday(-1);
        v.description = "Jauns nodarījums";
        REQUIRE(ws.Execute(v).ok());
        REQUIRE(ws.Execute(client::CloseSupervisionSection{*section, "",
                                                           client::SectionOutcome::kCompleted,
                                                           client::EmploymentStatus::kUnemployed})
                    .ok());
      });

  // The figures and their cases as the Workspace computes them for the supervisor.
  std::string script = "expect \"Klientu lietas\"\nidle\nclick \"#nav_dashboard\"\nidle\n";
  std::vector<std::string> reoffended_names, s1_names, supervised_names;
  {
    ui::Session s;
    SignInAs(s, data, "supervisor");
    const int year = std::stoi(s.workspace()->Today().substr(0, 4));
    auto ind = client::ComputeIndicators(*s.workspace(), *s.db(), year);
    REQUIRE(ind.ok());
    CHECK(static_cast<std::int64_t>(ind->cases.reoffended.size()) == ind->reoffending.reoffended);
    CHECK(static_cast<std::int64_t>(ind->cases.employment_s1.size()) == ind->legal_employment.s1);
    CHECK(static_cast<std::int64_t>(ind->cases.supervised.size()) == ind->reoffending.supervised);
    const std::set<std::string> reoffended(ind->cases.reoffended.begin(),
                                           ind->cases.reoffended.end());
    const std::set<std::string> s1(ind->cases.employment_s1.begin(),
                                   ind->cases.employment_s1.end());
    REQUIRE(reoffended.count(udre) == 1);
    REQUIRE(s1.count(udre) == 1);
    const std::set<std::string> supervised(ind->cases.supervised.begin(),
                                           ind->cases.supervised.end());
    REQUIRE(supervised.count(udre) == 1);
    client::CaseloadFilter all;
    all.status = std::nullopt;
    auto rows = s.workspace()->Caseload(all);
    REQUIRE(rows.ok());
    std::string outside_reoffended, outside_s1, outside_supervised;
    for (const auto& r : *rows) {
      const std::string name = r.surname + " " + r.name;
      if (reoffended.count(r.case_id)) reoffended_names.push_back(name);
      if (s1.count(r.case_id)) s1_names.push_back(name);
      if (supervised.count(r.case_id)) supervised_names.push_back(name);
      // A case outside the measure that the whole (open) caseload lists.
      if (r.status != client::CaseStatus::kOpen) continue;
      if (!reoffended.count(r.case_id) && outside_reoffended.empty()) outside_reoffended = name;
      if (!s1.count(r.case_id) && outside_s1.empty()) outside_s1 = name;
      if (!supervised.count(r.case_id) && outside_supervised.empty()) outside_supervised = name;
    }
    // Every case of a measure is in the supervisor's caseload.
    REQUIRE(reoffended_names.size() == reoffended.size());
    REQUIRE(s1_names.size() == s1.size());
    REQUIRE(supervised_names.size() == supervised.size());
    REQUIRE_FALSE(outside_reoffended.empty());
    script += DrillSteps("drill_reoffending", "Jauni nodarījumi uzraudzībā", reoffended_names,
                         outside_reoffended);
    script +=
        DrillSteps("drill_s1", "Legāli nodarbināto klientu īpatsvars — S1", s1_names, outside_s1);
    // The reoffending measure's base: every person supervised in the year, one case each.
    script += DrillSteps("drill_supervised", "Gadā uzraudzītās personas", supervised_names,
                         outside_supervised);

    // The drill-down follows the year: the previous year's reoffending cases (the new offence
    // is this year's, so the client is not among them), then back to this year's.
    auto before = client::ComputeIndicators(*s.workspace(), *s.db(), year - 1);
    REQUIRE(before.ok());
    REQUIRE(std::count(before->cases.reoffended.begin(), before->cases.reoffended.end(), udre) ==
            0);
    std::string udre_name;
    for (const auto& r : *rows) {
      if (r.case_id == udre) udre_name = r.surname + " " + r.name;
    }
    REQUIRE_FALSE(udre_name.empty());
    script += "click \"#drill_reoffending\"\nidle\nwait 2\n";
    script += "expect \"Pārskata gads " + std::to_string(year) + "\"\n";
    script += "expect \"" + udre_name + "\"\n";
    script += "click \"#drill_year_prev\"\nidle\nwait 3\n";
    script += "expect \"Rādītāja lietas: Jauni nodarījumi uzraudzībā\"\n";
    script += "expect \"Pārskata gads " + std::to_string(year - 1) + "\"\n";
    script += "expect \"Lietas: " + std::to_string(before->cases.reoffended.size()) + "\"\n";
    script += "expect_not \"" + udre_name + "\"\n";
    script += "click \"#drill_year_next\"\nidle\nwait 3\n";
    script += "expect \"Pārskata gads " + std::to_string(year) + "\"\n";
    script += "expect \"Lietas: " + std::to_string(reoffended_names.size()) + "\"\n";
    script += "expect \"" + udre_name + "\"\n";
  }
  script += "quit\n";
  RunScriptTextAs(dir, data, "dashboard_drill.lvs", script, {}, "supervisor");
}
