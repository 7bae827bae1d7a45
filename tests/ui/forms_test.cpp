// The case file's forms of the real lietvedis-desktop under Xvfb, one workflow per family of
// Workspace commands: a store prepared through the client API, the forms filled in by
// scripted input (the scripts are below, each with one refusal shown next to its field), and
// the store reopened through the Workspace to assert what was written and that a refused form
// wrote nothing.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

using testing::desktop::Slurp;

using testing::desktop::ReplaceAll;

// dd.mm.yyyy of an ISO date.
std::string DdMmYyyy(const std::string& iso) {
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

std::string TodayOf(const std::string& data) {
  ui::Session s;
  SignInAs(s, data);
  return s.workspace()->Today();
}

constexpr const char* kOpenCase = R"(expect "Klientu lietas"
idle
click "#search"
type "@CODE@"
idle
click "#row0"
idle
)";

// Consent, a referral (refused first: no consent yet), enrolment, two sessions (one missed),
// the end of the referral, and the referral to peer mentoring (refused first: a consent day
// that does not exist) ended again from the Mentoring tab.
constexpr const char* kProgrammesScript = R"(click "#tab_programmes"
wait 2
click "#refer_programme"
click "#referral_programme"
click "Motivācija izmaiņām"
click "#referral_need"
click "Alkohols"
click "#referral_save"
idle
expect "klienta piekrišana šai programmai nav reģistrēta"
screenshot "@OUT@/referral-refused.png"
click "#referral_cancel"
click "#record_consent"
click "#consent_programme"
click "Motivācija izmaiņām"
click "#consent_given_on"
key ctrl+a
type "02.03.2026"
click "#consent_save"
idle
wait 2
expect "Motivācija izmaiņām — Dota, 02.03.2026"
click "#refer_programme"
click "#referral_programme"
click "Motivācija izmaiņām"
click "#referral_need"
click "Alkohols"
click "#referral_referred_on"
key ctrl+a
type "03.03.2026"
key Enter
idle
wait 2
click "#enrol_0"
click "#referral_action_on"
key ctrl+a
type "04.03.2026"
click "#referral_action_save"
idle
wait 2
click "#attendance_0"
click "#referral_action_on"
key ctrl+a
type "05.03.2026"
click "#attendance_note"
type "Aktīvi piedalījās"
key Enter
idle
wait 2
click "#attendance_0"
click "#referral_action_on"
key ctrl+a
type "12.03.2026"
click "#attendance_attended"
click "#referral_action_save"
idle
wait 2
expect "neapmeklēja"
click "#end_referral_0"
click "#referral_end_status"
click "Pabeigts"
click "#referral_action_on"
key ctrl+a
type "20.03.2026"
click "#referral_action_save"
idle
wait 2
expect "Pabeigts"
click "#refer_mentoring"
click "#mentoring_consent_on"
type "31.02.2026"
click "#mentoring_save"
idle
expect "šāda datuma nav"
screenshot "@OUT@/mentoring-refused.png"
click "#mentoring_consent_on"
key ctrl+a
type "@TODAY@"
click "#mentoring_save"
idle
wait 2
click "#tab_mentoring"
wait 2
click "#end_mentoring"
key Escape
wait 2
click "#end_mentoring"
click "#mentoring_save"
idle
wait 2
expect "Nosūtīt pie līdzgaitnieka"
quit
)";

}  // namespace

TEST_CASE("consent, referral, sessions and peer mentoring are recorded on the Programmes tab",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id =
      PrepareOfficerStore(data, [](client::Workspace& ws, const std::string& id) {
        // The referral's risk level comes from the case's latest assessment.
        client::RecordAssessment a;
        a.case_id = id;
        a.instrument_version = "2.1";
        a.assessed_on = "02.03.2026";
        a.risk_level = client::RiskLevel::kMedium;
        auto recorded = ws.Execute(a);
        REQUIRE(recorded.ok());
        REQUIRE(ws.Execute(client::SignAssessment{*recorded}).ok());
      });
  const std::string today = TodayOf(data);
  RunScriptTextAs(dir, data, "forms.lvs", std::string(kOpenCase) + kProgrammesScript,
                  {{"@TODAY@", DdMmYyyy(today)}});
  CHECK(std::filesystem::file_size(dir / "referral-refused.png") > 10000);
  CHECK(std::filesystem::file_size(dir / "mentoring-refused.png") > 10000);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->consents.size() == 1);
  CHECK(file->consents[0].programme_id == "prog-motivacija");
  CHECK(file->consents[0].decision == client::ConsentDecision::kGiven);
  CHECK(file->consents[0].given_on == "2026-03-02");
  // The refused referral (no consent) wrote nothing: one referral, the second attempt.
  REQUIRE(file->referrals.size() == 1);
  const client::Referral& r = file->referrals[0];
  CHECK(r.programme_id == "prog-motivacija");
  CHECK(r.consent_id == file->consents[0].id);
  CHECK(r.need == client::NeedDomain::kAlcohol);
  CHECK(r.risk_level == client::RiskLevel::kMedium);
  CHECK(r.referred_on == "2026-03-03");
  CHECK(r.enrolled_on == "2026-03-04");
  CHECK(r.status == client::ReferralStatus::kCompleted);
  CHECK(r.ended_on == "2026-03-20");
  CHECK(r.sessions_attended == 1);
  REQUIRE(file->attendance.size() == 2);
  int attended = 0, missed = 0;
  for (const auto& a : file->attendance) {
    CHECK(a.referral_id == r.id);
    if (a.attended) {
      ++attended;
      CHECK(a.session_on == "2026-03-05");
      CHECK(a.note == "Aktīvi piedalījās");
    } else {
      ++missed;
      CHECK(a.session_on == "2026-03-12");
    }
  }
  CHECK(attended == 1);
  CHECK(missed == 1);
  // The refused referral to peer mentoring (31.02.) wrote nothing: one referral, ended today.
  REQUIRE(file->mentoring_referrals.size() == 1);
  CHECK(file->mentoring_referrals[0].consent_on == today);
  CHECK(file->mentoring_referrals[0].referred_on == today);
  CHECK(file->mentoring_referrals[0].ended_on == today);
}

namespace {

// The decision is refused without its text under the field (and the form cancelled with
// Escape), then recorded for the other application and corrected (a decided application is
// not changed; the correction is shown beside it).
constexpr const char* kCourtScript = R"lvs(click "#tab_supervision"
wait 2
click "#decide_application_@UNDECIDED@"
click "#court_decision_save"
idle
expect "obligāts lauks"
screenshot "@OUT@/court-decision-refused.png"
key Escape
wait 2
click "#decide_application_@DECIDED@"
click "#court_decision_text"
type "Aizstāt neizpildīto sodu ar brīvības atņemšanu uz diviem mēnešiem"
click "#court_decided_on"
key ctrl+a
type "15.03.2026"
key Enter
idle
wait 2
expect "Aizstāt neizpildīto sodu"
click "#correct_application_@DECIDED@"
click "#correction_field"
click "Tiesas lēmums (saturs)"
click "#correction_value"
key ctrl+a
type "Aizstāt neizpildīto sodu ar brīvības atņemšanu uz vienu mēnesi"
click "#correction_reason"
type "Pārrakstīšanās kļūda"
key Enter
idle
wait 2
expect "Pārrakstīšanās kļūda"
quit
)lvs";

}  // namespace

TEST_CASE("the court's decision is recorded beside its application on the Supervision tab",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string decided, undecided;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        client::FileCourtApplication a;
        a.case_id = id;
        a.filed_on = "10.03.2026";
        a.reason = "Izvairās no probācijas uzraudzības";
        auto first = ws.Execute(a);
        REQUIRE(first.ok());
        a.kind = client::CourtApplicationKind::kExtendProbation;
        a.reason = "Pārbaudes laika pagarināšana";
        auto second = ws.Execute(a);
        REQUIRE(second.ok());
        decided = *first;
        undecided = *second;
      });
  std::string row_decided, row_undecided;
  {
    ui::Session s;
    SignInAs(s, data);
    auto file = s.workspace()->CaseFile(case_id);
    REQUIRE(file.ok());
    REQUIRE(file->court_applications.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      if (file->court_applications[i].id == decided) row_decided = std::to_string(i);
      if (file->court_applications[i].id == undecided) row_undecided = std::to_string(i);
    }
  }
  std::string script = std::string(kOpenCase) + kCourtScript;
  ReplaceAll(script, "@DECIDED@", row_decided);
  ReplaceAll(script, "@UNDECIDED@", row_undecided);
  RunScriptTextAs(dir, data, "forms.lvs", script, {{"@TODAY@", DdMmYyyy(TodayOf(data))}});
  CHECK(std::filesystem::file_size(dir / "court-decision-refused.png") > 10000);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->court_applications.size() == 2);
  for (const auto& a : file->court_applications) {
    if (a.id == decided) {
      CHECK(a.decision == "Aizstāt neizpildīto sodu ar brīvības atņemšanu uz diviem mēnešiem");
      CHECK(a.decided_on == "2026-03-15");
      REQUIRE(file->corrections.size() == 1);
      CHECK(file->corrections[0].target_table == "court_application");
      CHECK(file->corrections[0].target_id == decided);
      CHECK(file->corrections[0].field == "decision");
      CHECK(file->corrections[0].value ==
            "Aizstāt neizpildīto sodu ar brīvības atņemšanu uz vienu mēnesi");
      CHECK(file->corrections[0].reason == "Pārrakstīšanās kļūda");
    } else {
      // The refused decision wrote nothing.
      CHECK(a.id == undecided);
      CHECK(a.decision.empty());
      CHECK(a.decided_on.empty());
    }
  }
}

namespace {

// The draft is amended (a score out of range refused under its field first), the signed
// assessment superseded by a new draft; the plan's next version is refused with an emptied
// goal (cancelled with Escape), then written from the previous version with one goal changed
// and one added.
constexpr const char* kAssessmentsScript = R"(click "#tab_assessments"
wait 2
click "#amend_assessment_@DRAFT@"
click "#total_score"
key ctrl+a
type "1500"
click "#save_assessment"
idle
expect "ārpus pieļaujamā diapazona"
screenshot "@OUT@/assessment-refused.png"
click "#total_score"
key ctrl+a
type "12"
click "#risk_level"
click "Augsts"
click "#save_assessment"
idle
wait 2
click "#supersede_assessment_@SIGNED@"
click "Alkohols"
click "#total_score"
key ctrl+a
type "25"
key Enter
idle
wait 2
expect "aizstāts ar @TODAY@"
click "#tab_plan"
wait 2
click "#new_plan_version"
click "#plan_goal_0"
key ctrl+a
key Backspace
click "#plan_save"
idle
expect "obligāts lauks"
screenshot "@OUT@/plan-refused.png"
key Escape
wait 2
click "#new_plan_version"
click "#plan_interventions_1"
key ctrl+a
type "Narkologa konsultācijas"
click "#plan_add_goal"
click "#plan_goal_2"
type "Sakārtot parādus"
click "#plan_need_2"
click "Finanses"
click "#plan_review_2"
type "01.09.2026"
click "#plan_next_review"
key ctrl+a
type "01.07.2026"
click "#plan_save"
idle
wait 2
expect "Versija 2"
quit
)";

}  // namespace

TEST_CASE("assessments are amended and superseded and the plan gets its next version",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string signed_id, draft_id;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        client::RecordAssessment a;
        a.case_id = id;
        a.instrument_version = "2.1";
        a.assessed_on = "02.03.2026";
        a.total_score = 20;
        a.risk_level = client::RiskLevel::kMedium;
        auto first = ws.Execute(a);
        REQUIRE(first.ok());
        signed_id = *first;
        REQUIRE(ws.Execute(client::SignAssessment{signed_id}).ok());
        a.assessed_on = "05.03.2026";
        a.total_score = 10;
        a.risk_level = client::RiskLevel::kLow;
        auto second = ws.Execute(a);
        REQUIRE(second.ok());
        draft_id = *second;
        client::CreatePlan p;
        p.case_id = id;
        p.next_review_on = "01.06.2026";
        p.goals = {
            {"Atrast darbu", client::NeedDomain::kEducationEmployment, "NVA kursi", "01.06.2026"},
            {"Atturēties no alkohola", client::NeedDomain::kAlcohol, "", ""}};
        REQUIRE(ws.Execute(p).ok());
      });
  std::string row_signed, row_draft;
  {
    ui::Session s;
    SignInAs(s, data);
    auto file = s.workspace()->CaseFile(case_id);
    REQUIRE(file.ok());
    for (std::size_t i = 0; i < file->assessments.size(); ++i) {
      if (file->assessments[i].id == signed_id) row_signed = std::to_string(i);
      if (file->assessments[i].id == draft_id) row_draft = std::to_string(i);
    }
  }
  std::string script = std::string(kOpenCase) + kAssessmentsScript;
  ReplaceAll(script, "@SIGNED@", row_signed);
  ReplaceAll(script, "@DRAFT@", row_draft);
  const std::string today = TodayOf(data);
  RunScriptTextAs(dir, data, "forms.lvs", script, {{"@TODAY@", DdMmYyyy(today)}});
  CHECK(std::filesystem::file_size(dir / "assessment-refused.png") > 10000);
  CHECK(std::filesystem::file_size(dir / "plan-refused.png") > 10000);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->assessments.size() == 3);
  int superseding = 0;
  for (const auto& a : file->assessments) {
    if (a.id == signed_id) {
      CHECK(a.IsSigned());
      CHECK(a.total_score == 20);
    } else if (a.id == draft_id) {
      CHECK_FALSE(a.IsSigned());
      CHECK(a.total_score == 12);  // never the refused 1500
      CHECK(a.risk_level == client::RiskLevel::kHigh);
    } else {
      ++superseding;
      CHECK(a.supersedes_id == signed_id);
      CHECK_FALSE(a.IsSigned());
      CHECK(a.assessed_on == today);
      CHECK(a.instrument_version == "2.1");
      CHECK(a.total_score == 25);
      CHECK(a.risk_level == client::RiskLevel::kMedium);
      CHECK(a.needs == std::vector<client::NeedDomain>{client::NeedDomain::kAlcohol});
    }
  }
  CHECK(superseding == 1);
  // The refused version wrote nothing: two versions, the second from the first.
  REQUIRE(file->plans.size() == 2);
  const client::Plan& v2 = file->plans[0];
  CHECK(v2.version == 2);
  CHECK(v2.status == client::PlanStatus::kActive);
  CHECK(v2.next_review_on == "2026-07-01");
  CHECK(v2.supersedes_id == file->plans[1].id);
  CHECK(file->plans[1].status == client::PlanStatus::kSuperseded);
  REQUIRE(v2.goals.size() == 3);
  CHECK(v2.goals[0].goal == "Atrast darbu");
  CHECK(v2.goals[0].need == client::NeedDomain::kEducationEmployment);
  CHECK(v2.goals[0].interventions == "NVA kursi");
  CHECK(v2.goals[0].review_on == "2026-06-01");
  CHECK(v2.goals[1].goal == "Atturēties no alkohola");
  CHECK(v2.goals[1].interventions == "Narkologa konsultācijas");
  CHECK(v2.goals[2].goal == "Sakārtot parādus");
  CHECK(v2.goals[2].need == client::NeedDomain::kFinances);
  CHECK(v2.goals[2].review_on == "2026-09-01");
}

namespace {

// A signed assessment's total score corrected: refused without a reason under that field,
// then saved; the list shows the original beside the correction with its reason. Then the
// obligations of a closed supervision section corrected on the Supervision tab, and a held
// contact's outcome on the Contacts tab.
constexpr const char* kCorrectionScript = R"(click "#tab_assessments"
wait 2
click "#correct_assessment_0"
click "#correction_value"
key ctrl+a
type "22"
click "#correction_save"
idle
expect "obligāts lauks"
screenshot "@OUT@/correction-refused.png"
click "#correction_reason"
type "Pārrēķināts 4. punkts"
key Enter
idle
wait 2
expect "Pārrēķināts 4. punkts"
screenshot "@OUT@/correction-shown.png"
click "#tab_supervision"
wait 2
click "#correct_section_0"
click "#correction_value"
key ctrl+a
type "Reizi mēnesī ierasties probācijas dienestā"
click "#correction_reason"
type "Tiesas nolēmumā pienākums ir reizi mēnesī"
key Enter
idle
wait 2
expect "Tiesas nolēmumā pienākums ir reizi mēnesī"
click "#tab_contacts"
wait 2
click "#correct_contact_0"
click "#correction_value"
key ctrl+a
type "Pārrunāts darba meklēšanas plāns un NVA kursi"
click "#correction_reason"
type "Ierakstā trūka kursu"
key Enter
idle
wait 2
expect "Ierakstā trūka kursu"
quit
)";

}  // namespace

TEST_CASE("signed and closed records are corrected with a reason and shown beside the original",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string signed_id, section_id, contact_id;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        client::RecordAssessment a;
        a.case_id = id;
        a.instrument_version = "2.1";
        a.assessed_on = "02.03.2026";
        a.total_score = 20;
        a.risk_level = client::RiskLevel::kMedium;
        auto recorded = ws.Execute(a);
        REQUIRE(recorded.ok());
        signed_id = *recorded;
        REQUIRE(ws.Execute(client::SignAssessment{signed_id}).ok());
        client::OpenSupervisionSection o;
        o.case_id = id;
        o.sentence_type = "Nosacīta notiesāšana";
        o.court_decision_ref = "K12-0345-26";
        o.obligations = "Reizi divās nedēļās ierasties probācijas dienestā";
        o.opened_on = "01.03.2026";
        o.planned_end_on = "01.03.2027";
        auto opened = ws.Execute(o);
        REQUIRE(opened.ok());
        section_id = *opened;
        REQUIRE(ws.Execute(client::CloseSupervisionSection{section_id, "10.03.2026"}).ok());
        client::RecordContact c;
        c.case_id = id;
        c.planned_at = "05.03.2026 10:00";
        c.status = client::ContactStatus::kHeld;
        c.held_on = "05.03.2026";
        c.outcome = "Pārrunāts darba meklēšanas plāns";
        auto held = ws.Execute(c);
        REQUIRE(held.ok());
        contact_id = *held;
      });
  RunScriptTextAs(dir, data, "forms.lvs", std::string(kOpenCase) + kCorrectionScript,
                  {{"@TODAY@", DdMmYyyy(TodayOf(data))}});
  CHECK(std::filesystem::file_size(dir / "correction-refused.png") > 10000);
  CHECK(std::filesystem::file_size(dir / "correction-shown.png") > 10000);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  // The refused correction (no reason) wrote nothing: one correction of each record (oldest
  // first); the records are unchanged.
  REQUIRE(file->corrections.size() == 3);
  const client::Correction& c = file->corrections[0];
  CHECK(c.target_table == "assessment");
  CHECK(c.target_id == signed_id);
  CHECK(c.field == "total_score");
  CHECK(c.value == "22");
  CHECK(c.reason == "Pārrēķināts 4. punkts");
  REQUIRE(file->assessments.size() == 1);
  CHECK(file->assessments[0].total_score == 20);
  CHECK(file->assessments[0].IsSigned());
  const client::Correction& o = file->corrections[1];
  CHECK(o.target_table == "supervision_section");
  CHECK(o.target_id == section_id);
  CHECK(o.field == "obligations");
  CHECK(o.value == "Reizi mēnesī ierasties probācijas dienestā");
  CHECK(o.reason == "Tiesas nolēmumā pienākums ir reizi mēnesī");
  REQUIRE(file->sections.size() == 1);
  CHECK(file->sections[0].obligations == "Reizi divās nedēļās ierasties probācijas dienestā");
  const client::Correction& k = file->corrections[2];
  CHECK(k.target_table == "contact");
  CHECK(k.target_id == contact_id);
  CHECK(k.field == "outcome");
  CHECK(k.value == "Pārrunāts darba meklēšanas plāns un NVA kursi");
  CHECK(k.reason == "Ierakstā trūka kursu");
  REQUIRE(file->contacts.size() == 1);
  CHECK(file->contacts[0].outcome == "Pārrunāts darba meklēšanas plāns");
}

namespace {

// The order (refused first: the deadline before the order date), a placement (refused first:
// no provider), two days of hours (refused first: no time given, then nine hours in a day of
// at most eight) with the remaining hours on screen, and the placement's end (refused first:
// before its start).
constexpr const char* kCommunityScript = R"(click "#tab_supervision"
wait 2
click "#order_community_work"
click "#community_hours_ordered"
type "40"
click "#community_ordered_on"
key ctrl+a
type "02.03.2026"
click "#community_deadline"
type "01.03.2026"
click "#community_court_ref"
type "K12-0456-26"
click "#community_save"
idle
expect "jābūt vēlākam par rīkojuma datumu"
screenshot "@OUT@/community-order-refused.png"
click "#community_deadline"
key ctrl+a
type "02.09.2026"
key Enter
idle
wait 2
expect "K12-0456-26"
click "#add_placement"
click "#placement_address"
type "Rožu iela 6, Liepāja"
click "#placement_started_on"
key ctrl+a
type "03.03.2026"
click "#community_save"
idle
expect "obligāts lauks"
click "#placement_provider"
type "Liepājas pilsētas dome"
click "#community_save"
idle
wait 2
click "#log_hours_0"
click "#hours_worked_on"
key ctrl+a
type "05.03.2026"
click "#community_save"
idle
expect "vismaz viena minūte"
click "#hours_hours"
type "4"
click "#hours_note"
type "Parka sakopšana"
key Enter
idle
wait 2
click "#log_hours_0"
click "#hours_worked_on"
key ctrl+a
type "06.03.2026"
click "#hours_hours"
type "9"
key Enter
idle
expect "pārsniedz dienā atļauto stundu skaitu"
click "#hours_hours"
key ctrl+a
type "3"
click "#hours_minutes"
type "30"
key Enter
idle
wait 2
expect "32 h 30 min"
screenshot "@OUT@/community-hours.png"
click "#end_placement_0"
click "#placement_ended_on"
key ctrl+a
type "01.03.2026"
click "#community_save"
idle
expect "agrāk par sākumu"
click "#placement_ended_on"
key ctrl+a
type "06.03.2026"
key Enter
idle
wait 2
expect "06.03.2026"
expect "Pievienot darba vietu"
quit
)";

}  // namespace

TEST_CASE("a community work order, its placement and the hours worked are recorded",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  // A community work case (the register form's kind is the CLI's).
  std::string case_id;
  {
    ui::Session s;
    REQUIRE(s.Create(data, kDemoPassphrase, /*fast_kdf=*/true).ok());
    REQUIRE(ui::SeedDemoData(s, 4, "officer").ok());
    client::RegisterClient c;
    c.name = "Žanete";
    c.surname = "Ūdre";
    c.personal_code = kClientCode;
    c.kind = client::CaseKind::kCommunityWork;
    c.opened_on = "01.03.2026";
    auto registered = s.workspace()->Execute(c);
    REQUIRE(registered.ok());
    case_id = *registered;
    s.Lock();
  }
  RunScriptTextAs(dir, data, "forms.lvs", std::string(kOpenCase) + kCommunityScript,
                  {{"@TODAY@", DdMmYyyy(TodayOf(data))}});
  CHECK(std::filesystem::file_size(dir / "community-order-refused.png") > 10000);
  CHECK(std::filesystem::file_size(dir / "community-hours.png") > 10000);

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  // Every refusal wrote nothing: one order, one placement, two days of hours.
  REQUIRE(file->community_orders.size() == 1);
  const client::CommunityWorkOrder& o = file->community_orders[0];
  CHECK(o.hours_ordered == 40);
  CHECK(o.ordered_on == "2026-03-02");
  CHECK(o.deadline_on == "2026-09-02");
  CHECK(o.court_decision_ref == "K12-0456-26");
  CHECK(o.minutes_done == 7 * 60 + 30);
  REQUIRE(file->work_placements.size() == 1);
  const client::WorkPlacement& p = file->work_placements[0];
  CHECK(p.provider == "Liepājas pilsētas dome");
  CHECK(p.address == "Rožu iela 6, Liepāja");
  CHECK(p.started_on == "2026-03-03");
  CHECK(p.ended_on == "2026-03-06");
  REQUIRE(file->community_hours.size() == 2);
  for (const auto& h : file->community_hours) {
    CHECK(h.placement_id == p.id);
    if (h.worked_on == "2026-03-05") {
      CHECK(h.minutes == 240);
      CHECK(h.note == "Parka sakopšana");
    } else {
      CHECK(h.worked_on == "2026-03-06");
      CHECK(h.minutes == 210);
    }
  }
}
