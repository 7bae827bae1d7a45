// Randomised command sequences by random actors (the seed is printed): whatever the order,
//  - a refused command writes nothing (the outbox does not grow);
//  - a signed assessment and a closed supervision section never change afterwards;
//  - nothing a coordinator can be sent (mentoring and volunteers scopes) holds case-only tables.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// Snapshot of every replicated column of the rows that must no longer change.
std::map<std::string, std::string> FrozenRows(storage::Database& db) {
  std::map<std::string, std::string> out;
  auto st = db.Prepare(
      "SELECT 'a:' || id, coalesce(total_score,'') || '|' || coalesce(risk_level,'') || '|' ||"
      " coalesce(needs,'') || '|' || coalesce(signed_at,'') FROM assessment WHERE signed_at IS NOT "
      "NULL"
      " UNION ALL SELECT 's:' || id, coalesce(obligations,'') || '|' || "
      "coalesce(planned_end_on,'') || '|' ||"
      " coalesce(closed_on,'') || '|' || coalesce(outcome,'') FROM supervision_section WHERE "
      "status='closed'");
  REQUIRE(st.ok());
  while (*st->Step()) out[st->Text(0)] = st->Text(1);
  return out;
}

}  // namespace

TEST_CASE("random command sequences keep the rules", "[client][rules][random]") {
  // LIETVEDIS_SEED=<n> replays a printed run.
  const char* fixed = std::getenv("LIETVEDIS_SEED");
  const unsigned seed =
      fixed ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
  std::printf("invariants_test seed=%u\n", seed);
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };

  ModelFixture f;
  std::vector<std::unique_ptr<Workspace>> actors;
  for (const auto& u :
       {f.officer, f.officer2, f.supervisor, f.coordinator, f.admin, f.officer_other_unit}) {
    actors.push_back(f.As(u));
  }
  std::vector<std::string> cases, assessments, sections, volunteers, sessions;
  const char* codes[] = {testing::kCode1985, testing::kCode1990, testing::kCode1999,
                         testing::kCode2009, "bad"};
  const char* dates[] = {"01.03.2026", "2026-03-10", "31.02.2026", "", "15.03.2026"};
  auto any = [&](const std::vector<std::string>& v) {
    return v.empty() ? std::string("none") : v[pick(v.size())];
  };

  for (int step = 0; step < 400; ++step) {
    // Mostly the two officers of the unit (they own the cases), sometimes anyone else.
    const size_t who = pick(10);
    const size_t command = pick(13);
    // Volunteer and mentoring commands mostly by the coordinator.
    const bool mentoring = command >= 8 && command <= 11 && pick(4) != 0;
    Workspace& ws = *actors[mentoring ? 3 : who < 3 ? 0 : who < 6 ? 1 : who < 8 ? 3 : 2 + pick(4)];
    const auto frozen = FrozenRows(f.db);
    const auto outbox = f.Outbox();
    Result<std::string> r = MakeError(Errc::kInternal, "not run");
    switch (command) {
      case 0: {
        RegisterClient c;
        c.name = pick(5) ? "Anna" : "";
        c.surname = "Ābele";
        c.personal_code = codes[pick(5)];
        c.kind = static_cast<CaseKind>(pick(8));
        c.opened_on = dates[pick(5)];
        r = ws.Execute(c);
        if (r.ok()) {
          cases.push_back(*r);
          // Most clients are referred for peer mentoring, so mentors can be assigned.
          if (pick(4)) CHECK(ws.Execute(ReferToMentoring{*r, "05.03.2026", ""}).ok());
        }
        break;
      }
      case 1: {
        RecordAssessment a;
        a.case_id = any(cases);
        a.instrument = static_cast<Instrument>(pick(8));
        a.instrument_version = pick(6) ? "1" : "";
        a.total_score = static_cast<std::int64_t>(pick(50)) - 5;
        a.risk_level = static_cast<RiskLevel>(pick(4));
        if (!assessments.empty() && pick(3) == 0) a.supersedes_id = any(assessments);
        r = ws.Execute(a);
        if (r.ok()) assessments.push_back(*r);
        break;
      }
      case 2:
        r = ws.Execute(AmendAssessment{any(assessments),
                                       static_cast<std::int64_t>(pick(40)),
                                       "",
                                       static_cast<RiskLevel>(pick(4)),
                                       {NeedDomain::kAlcohol}});
        break;
      case 3:
        r = ws.Execute(SignAssessment{any(assessments)});
        break;
      case 4: {
        OpenSupervisionSection o;
        o.case_id = any(cases);
        o.sentence_type = "st";
        o.court_decision_ref = pick(5) ? "K1" : "";
        o.opened_on = dates[pick(5)];
        o.planned_end_on = "01.01.2028";
        r = ws.Execute(o);
        if (r.ok()) sections.push_back(*r);
        break;
      }
      case 5:
        r = ws.Execute(AmendSupervisionSection{any(sections), "jauni pienākumi", dates[pick(5)]});
        break;
      case 6:
        r = ws.Execute(CloseSupervisionSection{any(sections), dates[pick(5)],
                                               SectionOutcome::kCompleted,
                                               EmploymentStatus::kEmployed});
        break;
      case 7:
        r = ws.Execute(CorrectRecord{pick(2) ? "assessment" : "supervision_section",
                                     pick(2) ? any(assessments) : any(sections), "closed_on",
                                     "2026-01-01", pick(4) ? "kļūda" : ""});
        break;
      case 8: {
        r = ws.Execute(RegisterVolunteer{"", "Inese", pick(5) ? "Lāce" : "", "", "", "",
                                         VolunteerKind::kPeerMentor});
        if (r.ok()) volunteers.push_back(*r);
        break;
      }
      case 9: {
        // Usually the next stage, sometimes any stage.
        const std::string v = !volunteers.empty() && pick(4) ? volunteers.back() : any(volunteers);
        auto current = f.db.QueryInt(
            "SELECT CASE stage WHEN 'application' THEN 0 WHEN 'evaluation' THEN 1 WHEN 'interview' "
            "THEN 2"
            " WHEN 'training' THEN 3 WHEN 'certified' THEN 4 ELSE 5 END FROM volunteer WHERE id=?",
            v);
        const auto next =
            current.ok() && pick(4) ? static_cast<int>(*current) + 1 : static_cast<int>(pick(6));
        r = ws.Execute(
            AdvanceVolunteerStage{v, static_cast<VolunteerStage>(next > 5 ? 5 : next), "", ""});
        break;
      }
      case 10: {
        auto a = ws.Execute(AssignMentor{any(cases), any(volunteers), ""});
        if (a.ok()) {
          auto s = ws.Execute(LogMentoringSession{
              *a, "10.03.2026", static_cast<std::int64_t>(pick(90)), MentoringMode::kOnline, ""});
          if (s.ok()) sessions.push_back(*s);
        }
        r = a;
        break;
      }
      case 11:
        r = ws.Execute(SignOffMentoringSession{any(sessions), ""});
        break;
      default:
        r = ws.Execute(ReassignCase{any(cases), pick(2) ? f.officer : f.officer2});
        break;
    }
    if (!r.ok()) {
      INFO("step " << step << ": " << r.error().message);
      CHECK(f.Outbox() == outbox);
    }
    // Rows frozen before the step are unchanged after it.
    const auto after = FrozenRows(f.db);
    for (const auto& [key, value] : frozen) {
      INFO("step " << step << " row " << key);
      REQUIRE(after.count(key) == 1);
      CHECK(after.at(key) == value);
    }
  }
  CHECK(f.db.QueryInt(
                "SELECT count(*) FROM sync_outbox WHERE (scope LIKE 'mentoring:%' OR scope LIKE"
                " 'volunteers:%') AND tbl IN ('client','assessment','note','supervision_section',"
                "'probation_case','contact','referral','consent')")
            .value() == 0);
  // The run did something in each direction.
  CHECK_FALSE(cases.empty());
  std::printf(
      "invariants_test: %zu cases, %lld signed assessments, %lld closed sections, %zu sessions\n",
      cases.size(),
      static_cast<long long>(
          f.db.QueryInt("SELECT count(*) FROM assessment WHERE signed_at IS NOT NULL").value()),
      static_cast<long long>(
          f.db.QueryInt("SELECT count(*) FROM supervision_section WHERE status='closed'").value()),
      sessions.size());
}
