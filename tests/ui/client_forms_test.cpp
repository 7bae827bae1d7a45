// The client's forms of the real lietvedis-desktop under Xvfb: client details and related
// persons, another case for the same client, electronic monitoring and rehabilitation-centre
// episodes, evaluation requests (the Overview tab), and the supervisor's unit settings (the
// dashboard). Each prepares a store through the Workspace, drives the forms with a script from
// tests/ui/scripts/ (each with refusals shown next to their fields) and reopens the store
// through the Workspace to assert what was written and that the refusals wrote nothing.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

using testing::desktop::ReplaceAll;
using testing::desktop::Slurp;

}  // namespace

TEST_CASE("the client's details and related persons are edited on the Overview tab",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id =
      PrepareOfficerStore(data, [](client::Workspace& ws, const std::string& id) {
        client::AddRelatedPerson p;
        p.case_id = id;
        p.relation = client::Relation::kFamilyMember;
        p.kind = "māte";
        p.name = "Anna";
        p.surname = "Ūdre";
        REQUIRE(ws.Execute(p).ok());
      });
  RunScriptAs(dir, data, "client_details.lvs");
  testing::desktop::CheckScreenshot(dir / "client-details-refused.png");
  testing::desktop::CheckScreenshot(dir / "client-details-form.png");
  testing::desktop::KeepForDocs(dir / "client-details-form.png", "screenshot-client-details.png");

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  const client::Client& c = file->client;
  CHECK(c.name == "Žanete");
  CHECK(c.surname == "Ūdre");
  CHECK(c.personal_code == kClientCode);
  // The refused save (e-mail without "@") changed the phone too: nothing of it was written.
  CHECK(c.phone == "20000000");
  CHECK(c.email == "zanete@example.lv");
  CHECK(c.address == "Rīgas iela 5");
  CHECK(c.municipality == "Liepāja");
  CHECK(c.tags ==
        std::vector<client::ClientTag>{client::ClientTag::kWoman, client::ClientTag::kAddiction});
  // The mother removed from the view, the brother added once (the nameless attempt refused).
  REQUIRE(file->related_persons.size() == 1);
  const client::RelatedPerson& p = file->related_persons[0];
  CHECK(p.name == "Jānis");
  CHECK(p.surname == "Ūdris");
  CHECK(p.kind == "brālis");
  CHECK(p.relation == client::Relation::kSupportPerson);
  // The search card the caseload reads follows the details.
  client::CaseloadFilter filter;
  filter.search = "zanete udre";
  auto rows = s.workspace()->Caseload(filter);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().case_id == case_id);
}

TEST_CASE("another case is opened for the same client from the case file",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareOfficerStore(data);
  RunScriptAs(dir, data, "another_case.lvs");
  testing::desktop::CheckScreenshot(dir / "another-case-refused.png");

  ui::Session s;
  SignInAs(s, data);
  client::CaseloadFilter filter;
  filter.search = kClientCode;
  auto rows = s.workspace()->Caseload(filter);
  REQUIRE(rows.ok());
  // The refused day (31.02.) wrote nothing: the first case and exactly one more.
  REQUIRE(rows->size() == 2);
  const client::CaseloadRow& added = rows->at(0).case_id == case_id ? rows->at(1) : rows->at(0);
  CHECK(added.case_id != case_id);
  CHECK(added.kind == client::CaseKind::kProbationSupervision);
  CHECK(added.opened_on == s.workspace()->Today());
  CHECK(added.status == client::CaseStatus::kOpen);
  auto first = s.workspace()->CaseFile(case_id);
  auto second = s.workspace()->CaseFile(added.case_id);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(second->client.id != first->client.id);
  CHECK(second->client.person_id == first->client.person_id);
  CHECK(second->client.phone == "20000000");
  CHECK(second->case_record.responsible_officer_id == first->case_record.responsible_officer_id);
}

TEST_CASE("monitoring episodes and rehabilitation-centre placements are recorded and ended",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareOfficerStore(data);
  RunScriptAs(dir, data, "episodes.lvs");
  testing::desktop::CheckScreenshot(dir / "monitoring-refused.png");
  testing::desktop::CheckScreenshot(dir / "episodes-done.png");
  testing::desktop::KeepForDocs(dir / "episodes-done.png", "screenshot-episodes.png");

  ui::Session s;
  SignInAs(s, data);
  const std::string today = s.workspace()->Today();
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  // The refused start (planned end before the start) wrote nothing: one episode.
  REQUIRE(file->monitoring.size() == 1);
  const client::EmEpisode& e = file->monitoring[0];
  CHECK(e.started_on == "2026-03-01");
  CHECK(e.planned_end_on == "2026-09-01");
  CHECK(e.ended_on == today);
  CHECK(e.outcome == client::EmOutcome::kCompleted);
  // The refused costs ("divpadsmit", 1500 EUR) and end (before the start) wrote nothing.
  REQUIRE(file->placements.size() == 1);
  const client::RehabilitationPlacement& p = file->placements[0];
  CHECK(p.centre == "Sociālās rehabilitācijas centrs “Ceļš”");
  CHECK(p.started_on == "2026-03-02");
  CHECK(p.planned_end_on.empty());
  CHECK(p.daily_cost_cents == 1250);
  CHECK(p.vpd_daily_share_cents == 875);
  CHECK(p.ended_on == today);
}

TEST_CASE("an evaluation request is recorded and withdrawn on the Overview tab",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareOfficerStore(data);
  RunScriptAs(dir, data, "evaluation_request.lvs");
  testing::desktop::CheckScreenshot(dir / "evaluation-request-refused.png");

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  // The refused deadline (before the day received) wrote nothing: one request.
  REQUIRE(file->evaluation_requests.size() == 1);
  const client::EvaluationRequest& r = file->evaluation_requests[0];
  CHECK(r.requester == client::Requester::kProsecutor);
  CHECK(r.requester_name == "Liepājas tiesu apgabala prokuratūra");
  CHECK(r.reference == "11816001234");
  CHECK(r.received_on == "2026-03-10");
  CHECK(r.deadline_on == "2026-04-10");
  // Withdrawn once, with the reason (the reasonless attempt refused).
  CHECK(r.status == client::EvaluationStatus::kWithdrawn);
  CHECK(r.withdrawn_on == s.workspace()->Today());
  CHECK(r.withdrawal_reason == "Prokurors atsauca pieprasījumu");
  CHECK(file->evaluation_reports.empty());
}

TEST_CASE("the supervisor sets the unit's contact interval and retention on the dashboard",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  PrepareOfficerStore(data);
  RunScriptAs(dir, data, "unit_settings.lvs", {}, "supervisor");
  testing::desktop::CheckScreenshot(dir / "unit-settings-refused.png");
  testing::desktop::KeepForDocs(dir / "unit-settings-refused.png", "screenshot-unit-settings.png");

  ui::Session s;
  SignInAs(s, data, "supervisor");
  client::Workspace& ws = *s.workspace();
  auto setting = [&](const std::string& name) {
    auto v = ws.UnitSetting(name);
    REQUIRE(v.ok());
    return *v;
  };
  CHECK(setting("contact_interval_days.high") == "10");
  CHECK(setting("retention.mediation_days") == "200");
  // The refused values (400 days, 20 days) wrote nothing.
  CHECK(setting("contact_interval_days.low").empty());
  CHECK(setting("retention.evaluation_report_days").empty());
  CHECK(setting("contact_interval_days.medium").empty());
}
