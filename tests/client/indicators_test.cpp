// Supervisor indicators, with the legal-employment indicator checked against a
// hand-computed example (the fixture's clock: 16.03.2026; the period: 2026).
#include "client/indicators.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "client/demo_data.hpp"
#include "client/validation.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

struct Person {
  const char* surname;
  int day, month, year;  // birth date
  CaseKind kind;
  bool no_taxes_at_opening;
  DisabilityGroup disability;
  const char* closed_on;  // nullptr: section stays open
  EmploymentStatus at_closure;
};

std::string Code(int day, int month, int year) {
  for (int serial = 100;; ++serial) {
    std::string code = MakePersonalCode(day, month, year, serial);
    if (!code.empty()) return code;
  }
}

// `ids` sorted, as IndicatorCases lists them.
std::vector<std::string> Sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

TEST_CASE("AgeOn counts whole years and the birthday itself", "[client][indicators]") {
  CHECK(AgeOn("1961-05-20", "2026-03-01") == 64);
  CHECK(AgeOn("1961-03-01", "2026-03-01") == 65);
  CHECK(AgeOn("2006-03-02", "2026-03-01") == 19);
  CHECK(AgeOn("2000-02-29", "2026-02-28") == 25);
}

TEST_CASE("indicators: legal employment S2/S1 x 100 with its exclusions, a hand-computed example",
          "[client][indicators]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  // Sections closed in 2026 (period 01.01.2026-31.12.2026). Hand computation:
  //   P1 born 15.03.1985, age 40, no taxes at opening, employed at closure  -> S1, S2
  //   P2 born 01.01.1990, age 36, no taxes, unemployed                      -> S1
  //   P3 born 31.12.1999, age 26, no taxes, self-employed (legal work)      -> S1, S2
  //   P4 born 12.07.2009, age 16 on closure: under 20                       -> excluded (age)
  //   P5 born 05.05.1980, group I disability                                -> excluded
  //   (disability) P6 born 07.07.1975, conditionally released from criminal liability    ->
  //   excluded (kind) P7 born 03.03.1970, HAD employment taxes at opening                   -> not
  //   in the population P8 born 08.08.1988, section still open                                ->
  //   not in the population P9 born 20.05.1961, closed 01.03.2026: 64 (65 only on 20.05.2026) -> S1
  //   (unemployed) P10 born 01.02.1961, closed 01.03.2026: 65                            ->
  //   excluded (age)
  // S1 = {P1, P2, P3, P9} = 4; S2 = {P1, P3} = 2; indicator = 2 / 4 x 100 = 50.0 %.
  const Person kPeople[] = {
      {"Pirmais", 15, 3, 1985, CaseKind::kConditionalSentence, true, DisabilityGroup::kNone,
       "01.02.2026", EmploymentStatus::kEmployed},
      {"Otrais", 1, 1, 1990, CaseKind::kProbationSupervision, true, DisabilityGroup::kNone,
       "10.02.2026", EmploymentStatus::kUnemployed},
      {"Trešais", 31, 12, 1999, CaseKind::kConditionalEarlyRelease, true, DisabilityGroup::kGroup3,
       "15.02.2026", EmploymentStatus::kSelfEmployed},
      {"Ceturtais", 12, 7, 2009, CaseKind::kJuvenileCommunityWork, true, DisabilityGroup::kNone,
       "20.02.2026", EmploymentStatus::kEmployed},
      {"Piektais", 5, 5, 1980, CaseKind::kConditionalSentence, true, DisabilityGroup::kGroup1,
       "21.02.2026", EmploymentStatus::kEmployed},
      {"Sestais", 7, 7, 1975, CaseKind::kConditionalReleaseFromLiability, true,
       DisabilityGroup::kNone, "22.02.2026", EmploymentStatus::kEmployed},
      {"Septītais", 3, 3, 1970, CaseKind::kConditionalSentence, false, DisabilityGroup::kNone,
       "23.02.2026", EmploymentStatus::kEmployed},
      {"Astotais", 8, 8, 1988, CaseKind::kConditionalSentence, true, DisabilityGroup::kNone,
       nullptr, EmploymentStatus::kEmployed},
      {"Devītais", 20, 5, 1961, CaseKind::kConditionalSentence, true, DisabilityGroup::kNone,
       "01.03.2026", EmploymentStatus::kUnemployed},
      {"Desmitais", 1, 2, 1961, CaseKind::kConditionalSentence, true, DisabilityGroup::kNone,
       "01.03.2026", EmploymentStatus::kEmployed},
  };
  std::vector<std::string> cases;
  for (const auto& p : kPeople) {
    RegisterClient rc;
    rc.name = "Jānis";
    rc.surname = p.surname;
    rc.personal_code = Code(p.day, p.month, p.year);
    REQUIRE(ValidatePersonalCode(rc.personal_code).ok());
    char birth[16];
    std::snprintf(birth, sizeof birth, "%02d.%02d.%04d", p.day, p.month, p.year);
    rc.birth_date = birth;
    rc.kind = p.kind;
    rc.opened_on = "05.01.2025";
    const std::string case_id = f.Must(ws->Execute(rc));
    cases.push_back(case_id);
    OpenSupervisionSection os;
    os.case_id = case_id;
    os.sentence_type = "Nosacīta notiesāšana";
    os.court_decision_ref = "K-1";
    os.opened_on = "05.01.2025";
    os.planned_end_on = "05.01.2027";
    os.employment_at_opening = EmploymentStatus::kUnemployed;
    os.no_employment_taxes_at_opening = p.no_taxes_at_opening;
    os.disability_group = p.disability;
    const std::string section = f.Must(ws->Execute(os));
    if (p.closed_on != nullptr) {
      CloseSupervisionSection cs;
      cs.section_id = section;
      cs.closed_on = p.closed_on;
      cs.outcome = SectionOutcome::kCompleted;
      cs.employment_at_closure = p.at_closure;
      f.Must(ws->Execute(cs));
    }
  }
  // A section closed in 2025 is outside the 2026 period.
  {
    RegisterClient rc;
    rc.name = "Ilze";
    rc.surname = "Vecā";
    rc.personal_code = Code(2, 2, 1982);
    rc.birth_date = "02.02.1982";
    rc.opened_on = "05.01.2025";
    const std::string case_id = f.Must(ws->Execute(rc));
    OpenSupervisionSection os;
    os.case_id = case_id;
    os.sentence_type = "Probācijas uzraudzība";
    os.court_decision_ref = "K-2";
    os.opened_on = "05.01.2025";
    os.planned_end_on = "05.01.2027";
    os.no_employment_taxes_at_opening = true;
    const std::string section = f.Must(ws->Execute(os));
    f.Must(ws->Execute(CloseSupervisionSection{section, "20.12.2025", SectionOutcome::kCompleted,
                                               EmploymentStatus::kEmployed}));
  }

  // Programme completion: P1 and P3 completed, P2 dropped out -> 2 / 3 x 100 = 66.67 %.
  // ESF+: held contacts in 2026 for P1 and P2 are supervision, not support in the measure's
  // sense; the session P3 attended is -> 1 person.
  const auto programmes = ws->Programmes().value();
  const std::pair<int, ReferralStatus> kEnded[] = {{0, ReferralStatus::kCompleted},
                                                   {2, ReferralStatus::kCompleted},
                                                   {1, ReferralStatus::kDroppedOut}};
  for (const auto& [who, status] : kEnded) {
    const std::string& case_id = cases[static_cast<size_t>(who)];
    f.Must(ws->Execute(
        RecordConsent{case_id, programmes[0].id, ConsentDecision::kGiven, "10.01.2026"}));
    ReferToProgramme ref;
    ref.case_id = case_id;
    ref.programme_id = programmes[0].id;
    ref.need = NeedDomain::kThinkingBehaviour;
    ref.risk_level = RiskLevel::kMedium;
    ref.referred_on = "10.01.2026";
    const std::string referral = f.Must(ws->Execute(ref));
    f.Must(ws->Execute(EnrolInProgramme{referral, "12.01.2026"}));
    if (who == 2) f.Must(ws->Execute(RecordAttendance{referral, "14.01.2026", true, ""}));
    f.Must(ws->Execute(EndReferral{referral, "30.01.2026", status}));
  }
  for (int who : {0, 1}) {
    RecordContact c;
    c.case_id = cases[static_cast<size_t>(who)];
    c.planned_at = "20.01.2026";
    c.status = ContactStatus::kHeld;
    f.Must(ws->Execute(c));
  }
  // Risk mix: P1 high, P2 low, the other nine open cases unassessed.
  for (const auto& [who, level] : {std::pair{0, RiskLevel::kHigh}, std::pair{1, RiskLevel::kLow}}) {
    RecordAssessment ra;
    ra.case_id = cases[static_cast<size_t>(who)];
    ra.instrument_version = "2023";
    ra.assessed_on = "06.01.2025";
    ra.risk_level = level;
    f.Must(ws->Execute(SignAssessment{f.Must(ws->Execute(ra))}));  // drafts do not count
  }

  // Another officer's client: counted for the supervisor, never in this officer's figures.
  auto ws2 = f.As(f.officer2);
  RegisterClient other;
  other.name = "Pēteris";
  other.surname = "Citādais";
  other.personal_code = Code(4, 4, 1984);
  other.birth_date = "04.04.1984";
  other.opened_on = "05.01.2025";
  const std::string other_case = f.Must(ws2->Execute(other));
  OpenSupervisionSection os2;
  os2.case_id = other_case;
  os2.sentence_type = "Nosacīta notiesāšana";
  os2.court_decision_ref = "K-3";
  os2.opened_on = "05.01.2025";
  os2.planned_end_on = "05.01.2027";
  os2.no_employment_taxes_at_opening = true;
  const std::string other_section = f.Must(ws2->Execute(os2));
  f.Must(ws2->Execute(CloseSupervisionSection{
      other_section, "02.03.2026", SectionOutcome::kCompleted, EmploymentStatus::kEmployed}));

  SECTION("the officer's own caseload") {
    auto ind = ComputeIndicators(*ws, f.db, 2026);
    REQUIRE(ind.ok());
    const auto& le = ind->legal_employment;
    CHECK(le.s1 == 4);
    CHECK(le.s2 == 2);
    REQUIRE(le.percent.has_value());
    CHECK(*le.percent == Approx(50.0));
    CHECK(le.excluded_age == 2);  // P4, P10
    CHECK(le.excluded_disability_group_1 == 1);
    CHECK(le.excluded_release_from_liability == 1);
    CHECK(le.excluded_age_unknown == 0);

    CHECK(ind->referrals_completed == 2);
    CHECK(ind->referrals_dropped_out == 1);
    REQUIRE(ind->completion_rate_percent.has_value());
    CHECK(*ind->completion_rate_percent == Approx(200.0 / 3.0));
    CHECK(ind->esf_unique_clients == 1);
    // The cases behind the figures (the drill-down): P1-P3 and P9 in S1, P1 and P3 in S2.
    const auto& ic = ind->cases;
    CHECK(ic.employment_s1 == Sorted({cases[0], cases[1], cases[2], cases[8]}));
    CHECK(ic.employment_s2 == Sorted({cases[0], cases[2]}));
    CHECK(ic.programme_completed == Sorted({cases[0], cases[2]}));
    CHECK(ic.programme_dropped_out == std::vector<std::string>{cases[1]});
    CHECK(ic.esf == std::vector<std::string>{cases[2]});

    CHECK(ind->open_cases == 11);
    REQUIRE(ind->caseload.size() == 1);
    CHECK(ind->caseload[0].officer_id == f.officer);
    CHECK(ind->risk_mix.at("high") == 1);
    CHECK(ind->risk_mix.at("low") == 1);
    CHECK(ind->risk_mix.at("unassessed") == 9);
  }
  SECTION("the supervisor's unit adds the other officer's client") {
    auto sup = f.As(f.supervisor);
    auto ind = ComputeIndicators(*sup, f.db, 2026);
    REQUIRE(ind.ok());
    CHECK(ind->legal_employment.s1 == 5);  // + Citādais, employed at closure
    CHECK(ind->legal_employment.s2 == 3);
    CHECK(*ind->legal_employment.percent == Approx(60.0));
    CHECK(ind->cases.employment_s1 == Sorted({cases[0], cases[1], cases[2], cases[8], other_case}));
    CHECK(ind->cases.employment_s2 == Sorted({cases[0], cases[2], other_case}));
    CHECK(ind->open_cases == 12);
    CHECK(ind->caseload.size() == 2);
  }
  SECTION("2025 has one section closed: S1 = S2 = 1") {
    auto ind = ComputeIndicators(*ws, f.db, 2025);
    REQUIRE(ind.ok());
    CHECK(ind->legal_employment.s1 == 1);
    CHECK(ind->legal_employment.s2 == 1);
    CHECK(ind->esf_unique_clients == 0);
  }
  SECTION("coordinators and administrators get no indicators") {
    auto coord = f.As(f.coordinator);
    auto refused = ComputeIndicators(*coord, f.db, 2026);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == Errc::kNotPermitted);
    auto admin = f.As(f.admin);
    CHECK(ComputeIndicators(*admin, f.db, 2026).error().code == Errc::kNotPermitted);
  }
}

// ---------------------------------------------------------------------------------------
// Needs addressed by the plan and reoffending during supervision (period 2026, clock
// 16.03.2026), each against a hand-computed fixture.

namespace {

std::string Register(ModelFixture& f, Workspace& ws, const char* surname, int day, int month,
                     int year, CaseKind kind = CaseKind::kConditionalSentence) {
  RegisterClient rc;
  rc.name = "Anna";
  rc.surname = surname;
  rc.personal_code = Code(day, month, year);
  rc.kind = kind;
  rc.opened_on = "05.01.2025";
  return f.Must(ws.Execute(rc));
}

std::string Assess(ModelFixture& f, Workspace& ws, const std::string& case_id, const char* on,
                   std::vector<NeedDomain> needs, bool sign) {
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument_version = "2023";
  ra.assessed_on = on;
  ra.risk_level = RiskLevel::kMedium;
  ra.needs = std::move(needs);
  const std::string id = f.Must(ws.Execute(ra));
  if (sign) f.Must(ws.Execute(SignAssessment{id}));
  return id;
}

std::string Section(ModelFixture& f, Workspace& ws, const std::string& case_id, const char* opened,
                    const char* closed = nullptr) {
  OpenSupervisionSection os;
  os.case_id = case_id;
  os.sentence_type = "Nosacīta notiesāšana";
  os.court_decision_ref = "K-9";
  os.opened_on = opened;
  os.planned_end_on = "05.01.2028";
  const std::string id = f.Must(ws.Execute(os));
  if (closed != nullptr) {
    f.Must(ws.Execute(CloseSupervisionSection{id, closed, SectionOutcome::kCompleted,
                                              EmploymentStatus::kUnknown}));
  }
  return id;
}

void Offence(ModelFixture& f, Workspace& ws, const std::string& case_id, ViolationKind kind,
             const char* on) {
  f.Must(ws.Execute(RecordViolation{case_id, kind, on, "reģistrēts"}));
}

}  // namespace

TEST_CASE("indicators: needs addressed by the plan, a hand-computed example",
          "[client][indicators]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  using N = NeedDomain;
  // A (open): older signed assessment {finances}; the latest signed one {education_employment,
  //   alcohol, accommodation}; a newer unsigned draft {relationships} decides nothing. Plan v1
  //   (superseded) aims at finances; the active v2 at education_employment and alcohol
  //   -> identified 3, addressed 2.
  const std::string a = Register(f, *ws, "Ābola", 1, 1, 1980);
  Assess(f, *ws, a, "01.02.2026", {N::kFinances}, true);
  Assess(f, *ws, a, "01.03.2026", {N::kEducationEmployment, N::kAlcohol, N::kAccommodation}, true);
  Assess(f, *ws, a, "10.03.2026", {N::kRelationships}, false);
  f.Must(ws->Execute(CreatePlan{a, "01.06.2026", {{"budžets", N::kFinances, "", ""}}}));
  f.Must(ws->Execute(CreatePlan{a,
                                "01.06.2026",
                                {{"darbs", N::kEducationEmployment, "NVA", ""},
                                 {"alkohols", N::kAlcohol, "", ""},
                                 {"bez vajadzības", std::nullopt, "", ""}}}));
  // B (open): signed {substance_misuse, relationships}, no plan -> identified 2, addressed 0.
  const std::string b = Register(f, *ws, "Bērza", 2, 2, 1981);
  Assess(f, *ws, b, "01.03.2026", {N::kSubstanceMisuse, N::kRelationships}, true);
  // C (open): only an unsigned draft -> not counted.
  const std::string c = Register(f, *ws, "Cīrule", 3, 3, 1982);
  Assess(f, *ws, c, "01.03.2026", {N::kAlcohol}, false);
  // D (closed): signed {alcohol} with a plan on alcohol -> not counted (not open).
  const std::string d = Register(f, *ws, "Dārza", 4, 4, 1983);
  Assess(f, *ws, d, "01.03.2026", {N::kAlcohol}, true);
  f.Must(ws->Execute(CreatePlan{d, "01.06.2026", {{"alkohols", N::kAlcohol, "", ""}}}));
  f.Must(ws->Execute(CloseCase{d, "10.03.2026"}));
  // Totals: cases 2 (A, B); identified 3 + 2 = 5; addressed 2; 2 / 5 x 100 = 40 %.
  auto ind = ComputeIndicators(*ws, f.db, 2026);
  REQUIRE(ind.ok());
  const auto& na = ind->needs_addressed;
  CHECK(na.cases == 2);
  CHECK(na.identified == 5);
  CHECK(na.addressed == 2);
  REQUIRE(na.percent.has_value());
  CHECK(*na.percent == Approx(40.0));
  CHECK(ind->cases.needs_assessed == Sorted({a, b}));
  CHECK(ind->cases.needs_unaddressed == Sorted({a, b}));  // A's accommodation, all of B's

  // An officer of the unit without these cases sees none of them.
  auto other = ComputeIndicators(*f.As(f.officer2), f.db, 2026);
  REQUIRE(other.ok());
  CHECK(other->needs_addressed.cases == 0);
  CHECK_FALSE(other->needs_addressed.percent.has_value());
}

TEST_CASE("indicators: reoffending during supervision, a hand-computed example",
          "[client][indicators]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  // P1 section open since 05.01.2025, new offence 10.02.2026     -> supervised, reoffended
  // P2 section open, a violation (not an offence) 10.02.2026     -> supervised
  // P3 section closed 20.12.2025, new offence 10.01.2026 after it -> not supervised in 2026
  // P4 section open, new offence 10.06.2025 (before the period)  -> supervised
  // P5 section opened 01.02.2026, new offence 15.01.2026 before it -> supervised
  // P6 evaluation case without a section, new offence 01.02.2026 -> not supervised
  // P7 section open, two new offences in 2026                    -> supervised, reoffended once
  // Supervised = {P1, P2, P4, P5, P7} = 5; reoffended = {P1, P7} = 2; 2 / 5 x 100 = 40 %.
  const std::string p1 = Register(f, *ws, "Pirmā", 1, 1, 1980);
  Section(f, *ws, p1, "05.01.2025");
  Offence(f, *ws, p1, ViolationKind::kNewOffence, "10.02.2026");
  const std::string p2 = Register(f, *ws, "Otrā", 2, 2, 1981);
  Section(f, *ws, p2, "05.01.2025");
  Offence(f, *ws, p2, ViolationKind::kViolation, "10.02.2026");
  const std::string p3 = Register(f, *ws, "Trešā", 3, 3, 1982);
  Section(f, *ws, p3, "05.01.2025", "20.12.2025");
  Offence(f, *ws, p3, ViolationKind::kNewOffence, "10.01.2026");
  const std::string p4 = Register(f, *ws, "Ceturtā", 4, 4, 1983);
  Section(f, *ws, p4, "05.01.2025");
  Offence(f, *ws, p4, ViolationKind::kNewOffence, "10.06.2025");
  const std::string p5 = Register(f, *ws, "Piektā", 5, 5, 1984);
  Section(f, *ws, p5, "01.02.2026");
  Offence(f, *ws, p5, ViolationKind::kNewOffence, "15.01.2026");
  const std::string p6 = Register(f, *ws, "Sestā", 6, 6, 1985, CaseKind::kEvaluationReport);
  Offence(f, *ws, p6, ViolationKind::kNewOffence, "01.02.2026");
  const std::string p7 = Register(f, *ws, "Septītā", 7, 7, 1986);
  Section(f, *ws, p7, "05.01.2025");
  Offence(f, *ws, p7, ViolationKind::kNewOffence, "03.02.2026");
  Offence(f, *ws, p7, ViolationKind::kNewOffence, "03.03.2026");

  auto ind = ComputeIndicators(*ws, f.db, 2026);
  REQUIRE(ind.ok());
  CHECK(ind->reoffending.supervised == 5);
  CHECK(ind->reoffending.reoffended == 2);
  REQUIRE(ind->reoffending.percent.has_value());
  CHECK(*ind->reoffending.percent == Approx(40.0));
  CHECK(ind->cases.supervised == Sorted({p1, p2, p4, p5, p7}));
  CHECK(ind->cases.reoffended == Sorted({p1, p7}));
  // 2025: P1-P4 and P7 supervised (P5 opened in 2026); P4's offence of 10.06.2025 counts.
  auto last_year = ComputeIndicators(*ws, f.db, 2025);
  REQUIRE(last_year.ok());
  CHECK(last_year->reoffending.supervised == 5);
  CHECK(last_year->reoffending.reoffended == 1);
  CHECK(last_year->cases.reoffended == std::vector<std::string>{p4});
}
