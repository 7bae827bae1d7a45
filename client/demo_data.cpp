// Demo data generator (contract in client/demo_data.hpp). Moved here from the desktop's
// ui/demo_seed.cpp so the CLI, the desktop and tests share it.
#include "client/demo_data.hpp"

#include <algorithm>
#include <cstdio>

namespace lietvedis::client {
namespace {

// Deterministic pseudo-random numbers (the demo must look the same on every run).
struct Lcg {
  std::uint64_t state;
  std::uint32_t Next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint32_t>(n)); }
};

template <size_t N>
const char* Pick(Lcg& rng, const char* const (&list)[N]) {
  return list[rng.Below(static_cast<int>(N))];
}

const char* const kMaleNames[] = {"Jānis",   "Andris", "Mārtiņš", "Edgars", "Kārlis",
                                  "Roberts", "Artūrs", "Raivis",  "Dāvis",  "Gints",
                                  "Ēriks",   "Oskars", "Uldis",   "Pēteris"};
const char* const kMaleSurnames[] = {"Bērziņš",   "Kalniņš", "Ozoliņš", "Jansons", "Liepiņš",
                                     "Krūmiņš",   "Zariņš",  "Vītols",  "Eglītis", "Pētersons",
                                     "Siliņš",    "Āboliņš", "Šmits",   "Ķeniņš",  "Lapiņš",
                                     "Grīnbergs", "Žagars",  "Ēcis",    "Čaks",    "Ņikitins"};
const char* const kFemaleNames[] = {"Anna",  "Līga",  "Ilze",   "Kristīne", "Dace",
                                    "Inese", "Evija", "Sanita", "Ieva",     "Agnese"};
const char* const kFemaleSurnames[] = {"Bērziņa", "Kalniņa", "Ozoliņa", "Jansone",
                                       "Liepiņa", "Krūmiņa", "Zariņa",  "Vītola",
                                       "Eglīte",  "Šmite",   "Ķeniņa",  "Āboliņa"};
const char* const kStreets[] = {"Graudu iela", "Lielā iela", "Peldu iela",    "Kuršu iela",
                                "Ganību iela", "Rīgas iela", "Jūrmalas iela", "Zivju iela"};
const char* const kMunicipalities[] = {"Liepāja", "Dienvidkurzemes novads", "Grobiņa", "Pāvilosta",
                                       "Aizpute"};
const char* const kSentences[] = {
    "Nosacīta notiesāšana, 2 gadi", "Probācijas uzraudzība, 18 mēneši",
    "Piespiedu darbs, 160 stundas", "Nosacīta pirmstermiņa atbrīvošana"};
const char* const kOutcomes[] = {"Ieradās laikā; pārrunāts darba meklēšanas plāns.",
                                 "Pienākumi izpildīti; nākamā tikšanās saskaņota.",
                                 "Klients informēja par jaunu dzīvesvietu.",
                                 "Pārrunāta dalība programmā un atkarību konsultācijas."};

// One community work order with a placement and the hours logged so far (see the caller).
Result<void> SeedCommunityWork(Workspace& ws, const std::string& case_id,
                               const std::string& opened_on, const std::string& today, int i) {
  static const char* const kProviders[][2] = {
      {"Liepājas pilsētas pašvaldības Komunālā pārvalde", "Liepāja, Rožu laukums 5"},
      {"Biedrība \"Latvijas Sarkanais Krusts\" Kurzemes komiteja", "Liepāja, Peldu iela 9"},
      {"Grobiņas novada sociālais dienests", "Grobiņa, Lielā iela 54"}};
  static const std::int64_t kHours[] = {80, 120, 160, 200, 240};
  Lcg rng{0xc0ffee00ULL + static_cast<std::uint64_t>(i)};
  OrderCommunityWork order;
  order.case_id = case_id;
  order.hours_ordered = kHours[rng.Below(5)];
  order.ordered_on = AddDaysIso(opened_on, 3);
  if (order.ordered_on > today) order.ordered_on = today;
  order.deadline_on = AddDaysIso(order.ordered_on, 240 + rng.Below(125));
  order.court_decision_ref = "Lieta Nr. K" + std::to_string(30000 + i * 7);
  LV_ASSIGN(auto order_id, ws.Execute(order));
  const auto& provider = kProviders[rng.Below(3)];
  const std::string started = AddDaysIso(order.ordered_on, 7);
  if (started >= today) return Ok();
  LV_ASSIGN(auto placement_id,
            ws.Execute(AddWorkPlacement{order_id, provider[0], provider[1], started}));
  // 4 hours a week, 4 hours a fortnight, or a client who stopped coming after five days.
  const int pace = rng.Below(3);
  const int every = pace == 1 ? 14 : 7;
  const int max_days = pace == 2 ? 5 : 1000;
  std::int64_t left = order.hours_ordered * 60;
  int days = 0;
  for (std::string day = AddDaysIso(started, 1); day < today && left > 0 && days < max_days;
       day = AddDaysIso(day, every), ++days) {
    const std::int64_t m = std::min<std::int64_t>(240, left);
    LV_TRY(ws.Execute(LogCommunityHours{placement_id, day, m, ""}));
    left -= m;
  }
  return Ok();
}

}  // namespace

std::string MakePersonalCode(int day, int month, int year, int serial) {
  int d[11];
  d[0] = day / 10;
  d[1] = day % 10;
  d[2] = month / 10;
  d[3] = month % 10;
  d[4] = (year % 100) / 10;
  d[5] = year % 10;
  d[6] = (year / 100) - 18;  // 0: 1800s, 1: 1900s, 2: 2000s
  d[7] = (serial / 100) % 10;
  d[8] = (serial / 10) % 10;
  d[9] = serial % 10;
  static constexpr int kWeights[] = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += kWeights[i] * d[i];
  const int check = (1101 - sum) % 11;
  if (check > 9) return {};
  d[10] = check;
  std::string s;
  for (int i = 0; i < 11; ++i) {
    if (i == 6) s.push_back('-');
    s.push_back(static_cast<char>('0' + d[i]));
  }
  return s;
}

std::map<std::string, std::string> DemoUsersByRole(const DemoOrg& org) {
  return {{"officer", org.officers[0]},
          {"officer_2", org.officers[1]},
          {"officer_3", org.officers[2]},
          {"supervisor", org.supervisor},
          {"volunteer_coordinator", org.coordinator},
          {"administrator", org.administrator}};
}

Result<DemoOrg> BootstrapDemoOrg(storage::Database& db, sync::Replica& replica) {
  DemoOrg org;
  LV_ASSIGN(org.region_id, BootstrapRegion(db, replica, "Kurzemes reģions"));
  LV_ASSIGN(org.unit_id, BootstrapUnit(db, replica, org.region_id, "Liepājas struktūrvienība"));
  for (const char* name : {"Ilze Ozola", "Jānis Kalniņš", "Gunta Vītoliņa"}) {
    LV_ASSIGN(auto id, BootstrapUser(db, replica, name, Role::kOfficer, org.unit_id));
    org.officers.push_back(id);
  }
  LV_ASSIGN(org.supervisor,
            BootstrapUser(db, replica, "Anna Vītola", Role::kSupervisor, org.unit_id));
  LV_ASSIGN(org.coordinator,
            BootstrapUser(db, replica, "Dace Krūmiņa", Role::kVolunteerCoordinator, org.unit_id));
  LV_ASSIGN(org.administrator,
            BootstrapUser(db, replica, "Mārcis Ēķis", Role::kAdministrator, org.unit_id));
  LV_ASSIGN(int added, SeedProgrammeCatalogue(db, replica));
  (void)added;
  return org;
}

Result<DemoCaseload> SeedDemoCaseload(Workspace& ws, const DemoOptions& options) {
  if (ws.actor().role != Role::kOfficer) {
    return MakeError(Errc::kNotPermitted, "demo data: a caseload is written by an officer");
  }
  LV_ASSIGN(auto programmes, ws.Programmes());
  const std::string today = ws.Today();
  Lcg rng{0x5EEDu + options.seed * 7919u + static_cast<std::uint64_t>(options.cases)};
  DemoCaseload result;
  // The first case whose supervision section stays open gets an application to court (below).
  std::string court_case_id, court_section_opened_on;
  int serial = 100 + rng.Below(400);
  for (int i = 0; i < options.cases; ++i) {
    const bool female = rng.Below(5) == 0;
    RegisterClient rc;
    rc.name = female ? Pick(rng, kFemaleNames) : Pick(rng, kMaleNames);
    rc.surname = female ? Pick(rng, kFemaleSurnames) : Pick(rng, kMaleSurnames);
    const int year = 1965 + rng.Below(42);
    const int month = 1 + rng.Below(12);
    const int day = 1 + rng.Below(28);
    std::string code;
    while (code.empty()) code = MakePersonalCode(day, month, year, serial++ % 1000);
    rc.personal_code = code;
    char birth[48];
    std::snprintf(birth, sizeof birth, "%02d.%02d.%04d", day, month, year);
    rc.birth_date = birth;
    rc.phone = "+371 2" + std::to_string(1000000 + rng.Below(8999999));
    rc.address =
        std::string("Liepāja, ") + Pick(rng, kStreets) + " " + std::to_string(1 + rng.Below(80));
    rc.municipality = Pick(rng, kMunicipalities);
    if (female) rc.tags.push_back(ClientTag::kWoman);
    if (year >= 2001) rc.tags.push_back(ClientTag::kYoungPerson);
    static const CaseKind kKinds[] = {
        CaseKind::kConditionalSentence,     CaseKind::kConditionalSentence,
        CaseKind::kConditionalEarlyRelease, CaseKind::kCommunityWork,
        CaseKind::kProbationSupervision,    CaseKind::kConditionalReleaseFromLiability,
        CaseKind::kEvaluationReport,        CaseKind::kMediation};
    rc.kind = kKinds[rng.Below(8)];
    // About a year of history: cases opened up to 20 months ago.
    const int age_days = 20 + rng.Below(600);
    rc.opened_on = AddDaysIso(today, -age_days);
    LV_ASSIGN(auto case_id, ws.Execute(rc));
    result.case_ids.push_back(case_id);
    bool section_open = false;
    Lcg escalation{0x5eed0000ULL + static_cast<std::uint64_t>(i)};

    // A few supervised clients agree to a peer mentor (VPD 2020: 49 of about 6,200 clients;
    // a demo unit shows a handful). Only these clients' cards reach the coordinator; one
    // referral ended long enough ago that its card has already left the mentoring scope.
    const bool supervised =
        rc.kind != CaseKind::kEvaluationReport && rc.kind != CaseKind::kMediation;
    if (supervised && i % 7 == 3) {
      ReferToMentoring refer;
      refer.case_id = case_id;
      refer.consent_on = AddDaysIso(rc.opened_on, 18);
      refer.referred_on = AddDaysIso(rc.opened_on, 20);
      LV_ASSIGN(auto mentoring_referral, ws.Execute(refer));
      if (i == 10 && age_days > 120) {
        LV_TRY(ws.Execute(EndMentoringReferral{mentoring_referral, AddDaysIso(today, -45)}));
      } else {
        result.mentoring_case_ids.push_back(case_id);
      }
    }

    if (rc.kind == CaseKind::kEvaluationReport) {
      RecordEvaluationRequest er;
      er.case_id = case_id;
      er.requester = rng.Below(2) == 0 ? Requester::kCourt : Requester::kProsecutor;
      er.requester_name =
          er.requester == Requester::kCourt ? "Kurzemes rajona tiesa" : "Liepājas prokuratūra";
      er.reference = "ZN-" + std::to_string(2000 + i);
      er.received_on = rc.opened_on;
      er.deadline_on = AddDaysIso(rc.opened_on, 30);
      LV_TRY(ws.Execute(er));
    } else if (rc.kind != CaseKind::kMediation) {
      OpenSupervisionSection os;
      os.case_id = case_id;
      os.sentence_type = Pick(rng, kSentences);
      os.court_decision_ref = "Lieta Nr. K" + std::to_string(30000 + i * 7);
      os.obligations =
          "Ierasties pie probācijas darbinieka; nemainīt dzīvesvietu bez saskaņošanas.";
      os.opened_on = rc.opened_on;
      os.planned_end_on = AddDaysIso(rc.opened_on, 365 + rng.Below(700));
      os.employment_at_opening =
          rng.Below(3) == 0 ? EmploymentStatus::kEmployed : EmploymentStatus::kUnemployed;
      os.no_employment_taxes_at_opening = os.employment_at_opening != EmploymentStatus::kEmployed;
      LV_ASSIGN(const std::string section_id, ws.Execute(os));
      section_open = true;
      // About a third of the sections ended in the last two months of this year, so the
      // supervisor's legal-employment indicator (S2/S1 over sections closed in the year) and
      // the closed-section views have something to show.
      const std::string closed_on = AddDaysIso(today, -1 - rng.Below(60));
      const bool closes = rng.Below(3) == 0 && rc.opened_on < closed_on &&
                          closed_on.compare(0, 4, today, 0, 4) == 0;
      if (!closes && court_case_id.empty()) {
        court_case_id = case_id;
        court_section_opened_on = rc.opened_on;
      }
      if (closes) {
        CloseSupervisionSection cs;
        cs.section_id = section_id;
        cs.closed_on = closed_on;
        cs.outcome = SectionOutcome::kCompleted;
        cs.employment_at_closure =
            rng.Below(2) == 0 ? EmploymentStatus::kEmployed : EmploymentStatus::kUnemployed;
        LV_TRY(ws.Execute(cs));
        section_open = false;
      }
    }
    // Community work: the order, a placement and hours logged about weekly, at a pace of its
    // own per client (some on track, some behind). A generator of its own keeps the rest of
    // the demo as it was.
    if (rc.kind == CaseKind::kCommunityWork) {
      LV_TRY(SeedCommunityWork(ws, case_id, rc.opened_on, today, i));
    }
    // Mediation: the harmed person as a party, the officer as mediator, both consents and a
    // meeting held ten days after the opening (no draws from `rng`: the rest stays as it was).
    if (rc.kind == CaseKind::kMediation) {
      static const char* const kHarmed[][2] = {
          {"Līga", "Ābola"}, {"Andris", "Krūmiņš"}, {"Inga", "Siliņa"}, {"Oskars", "Ērglis"}};
      const auto& who = kHarmed[static_cast<std::size_t>(i) % 4];
      LV_ASSIGN(auto party, ws.Execute(AddMediationParty{case_id, who[0], who[1],
                                                         "+371 26" + std::to_string(100000 + i),
                                                         AddDaysIso(rc.opened_on, 3)}));
      LV_TRY(ws.Execute(AssignMediator{case_id, ""}));
      LV_TRY(ws.Execute(RecordMediationConsent{case_id, "", AddDaysIso(rc.opened_on, 2)}));
      RecordMediationMeeting meeting;
      meeting.case_id = case_id;
      meeting.meeting_on = AddDaysIso(rc.opened_on, 10);
      meeting.status = MediationMeetingStatus::kHeld;
      meeting.party_ids = {party};
      meeting.note = "Puses izklāstīja notikušo; turpināsim.";
      LV_TRY(ws.Execute(meeting));
    }
    if (rng.Below(10) < 8) {
      RecordAssessment ra;
      ra.case_id = case_id;
      ra.instrument = Instrument::kVpdRvn;
      ra.instrument_version = "2023";
      ra.assessed_on = AddDaysIso(rc.opened_on, 7);
      ra.total_score = 5 + rng.Below(40);
      ra.risk_level = static_cast<RiskLevel>(rng.Below(4));
      ra.needs = {static_cast<NeedDomain>(rng.Below(10)), static_cast<NeedDomain>(rng.Below(10))};
      if (ra.needs[0] == ra.needs[1]) ra.needs.pop_back();
      LV_ASSIGN(auto assessment_id, ws.Execute(ra));
      if (rng.Below(3) != 0) LV_TRY(ws.Execute(SignAssessment{assessment_id}));
      CreatePlan plan;
      plan.case_id = case_id;
      plan.next_review_on = AddDaysIso(today, 10 + rng.Below(80));
      PlanGoalInput g1;
      g1.goal = "Atrast pastāvīgu darbu";
      g1.need = NeedDomain::kEducationEmployment;
      g1.interventions = "Sadarbība ar NVA; CV sagatavošana";
      g1.review_on = plan.next_review_on;
      PlanGoalInput g2;
      g2.goal = "Mazināt alkohola lietošanu";
      g2.need = NeedDomain::kAlcohol;
      g2.interventions = "Programma \"Motivācija izmaiņām\"; narkologa konsultācijas";
      g2.review_on = plan.next_review_on;
      plan.goals = {g1, g2};
      LV_TRY(ws.Execute(plan));
    }
    // Contacts: some held in the past, one planned; about one case in six is overdue.
    const int held = 1 + rng.Below(4);
    const int recent = rng.Below(10) < 8 ? 1 + rng.Below(6) : 10 + rng.Below(50);
    for (int k = 0; k < held; ++k) {
      RecordContact c;
      c.case_id = case_id;
      const int back = recent + (age_days - recent) * k / held;
      c.planned_at = AddDaysIso(today, -back);
      if (c.planned_at <= rc.opened_on) c.planned_at = AddDaysIso(rc.opened_on, 1);
      if (c.planned_at > today) c.planned_at = today;
      c.status = rng.Below(8) == 0 ? ContactStatus::kMissed : ContactStatus::kHeld;
      c.mode = static_cast<ContactMode>(rng.Below(3));
      c.outcome = c.status == ContactStatus::kHeld ? Pick(rng, kOutcomes) : "";
      LV_ASSIGN(auto contact_id, ws.Execute(c));
      // The officer decides on most missed contacts within a few days: a warning under
      // supervision, or an absence accepted as justified; some still await a decision.
      if (c.status == ContactStatus::kMissed && escalation.Below(3) != 0) {
        DecideMissedContact decide;
        decide.contact_id = contact_id;
        decide.decided_on = AddDaysIso(c.planned_at.substr(0, 10), 2);
        if (decide.decided_on > today) decide.decided_on = today;
        if (section_open && escalation.Below(3) != 0) {
          decide.decision = MissedContactDecision::kWarning;
          decide.reason = "Neieradās bez attaisnojoša iemesla; rakstisks brīdinājums.";
        } else {
          decide.decision = MissedContactDecision::kJustifiedAbsence;
          decide.reason = "Iesniegta darbnespējas lapa.";
        }
        LV_TRY(ws.Execute(decide));
      }
    }
    RecordContact next;
    next.case_id = case_id;
    const int offset = rng.Below(6) == 0 ? -(1 + rng.Below(10)) : rng.Below(12);
    char time[32];
    std::snprintf(time, sizeof time, "%02d:%02d", 9 + rng.Below(8), rng.Below(2) * 30);
    next.planned_at = AddDaysIso(today, offset) + " " + time;
    next.mode = ContactMode::kInPerson;
    LV_TRY(ws.Execute(next));
    if (rng.Below(3) == 0) {
      AddNote note;
      note.case_id = case_id;
      note.body =
          "Klients motivēts; ģimene atbalsta. Nākamajā tikšanās reizē pārrunāt mājokļa jautājumu.";
      LV_TRY(ws.Execute(note));
    }
    if (!programmes.empty() && rng.Below(3) == 0) {
      const auto& programme =
          programmes[static_cast<size_t>(rng.Below(static_cast<int>(programmes.size())))];
      RecordConsent consent;
      consent.case_id = case_id;
      consent.programme_id = programme.id;
      consent.given_on = AddDaysIso(rc.opened_on, 10);
      LV_TRY(ws.Execute(consent));
      ReferToProgramme ref;
      ref.case_id = case_id;
      ref.programme_id = programme.id;
      ref.need = NeedDomain::kThinkingBehaviour;
      ref.risk_level = RiskLevel::kMedium;
      ref.referred_on = AddDaysIso(rc.opened_on, 12);
      LV_ASSIGN(auto referral_id, ws.Execute(ref));
      if (rng.Below(2) == 0) {
        LV_TRY(ws.Execute(EnrolInProgramme{referral_id, AddDaysIso(rc.opened_on, 14)}));
        for (int k = 0; k < 3; ++k) {
          RecordAttendance at;
          at.referral_id = referral_id;
          at.session_on = AddDaysIso(rc.opened_on, 15 + 3 * k);
          if (at.session_on > today) break;
          at.attended = rng.Below(5) != 0;
          LV_TRY(ws.Execute(at));
        }
        if (rng.Below(2) == 0 && AddDaysIso(rc.opened_on, 19) <= today) {
          EndReferral end;
          end.referral_id = referral_id;
          end.ended_on = AddDaysIso(rc.opened_on, 19);
          end.status = rng.Below(4) == 0 ? ReferralStatus::kDroppedOut : ReferralStatus::kCompleted;
          LV_TRY(ws.Execute(end));
        }
      }
    }
  }

  // Inter-institutional meetings convened by this officer about some of the cases.
  for (int m = 0; m < options.mappa_meetings && !result.case_ids.empty(); ++m) {
    RecordMappaMeeting mm;
    mm.held_on = AddDaysIso(today, -40 + m * 15);
    mm.mode = MeetingMode::kRemote;
    mm.case_ids = {result.case_ids[static_cast<size_t>(m) * 4 % result.case_ids.size()]};
    mm.participants = {{Institution::kVpd, ws.actor().display_name},
                       {Institution::kStatePolice, "Liepājas iecirknis"},
                       {Institution::kMunicipalSocialService, "Liepājas Sociālais dienests"}};
    mm.risk_decisions = "Stiprināt uzraudzību: kontakti reizi nedēļā.";
    mm.victim_decisions = "Informēt cietušo par klienta dzīvesvietas maiņu.";
    mm.actions = {{"Pārbaudīt dzīvesvietu", Institution::kStatePolice, AddDaysIso(today, 7 + m)},
                  {"Piedāvāt sociālā darbinieka konsultāciju", Institution::kMunicipalSocialService,
                   AddDaysIso(today, 14 + m)}};
    // What was disclosed to whom, each with its recipient institution: the agency packs are
    // built from these rows (lietvedis mappa pack).
    mm.disclosures = {
        {"Klienta dzīvesvietas adrese un kontakttālrunis", "Valsts policija",
         "Probācijas likuma 11. pants", Institution::kStatePolice},
        {"Ziņas par klienta ģimenes situāciju un nepilngadīgiem bērniem",
         "Liepājas Sociālais dienests", "Sociālo pakalpojumu un sociālās palīdzības likums",
         Institution::kMunicipalSocialService}};
    if (m == 1) {
      mm.disclosures.push_back({"Uzraudzības pienākumu pārkāpumi pēdējos trīs mēnešos",
                                "Valsts policija", "Kriminālprocesa likuma 12. pants",
                                Institution::kStatePolice});
    }
    LV_ASSIGN(const std::string meeting_id, ws.Execute(mm));
    // The older meetings' minutes are signed (only signed minutes are handed on in packs);
    // the newest stays a draft.
    if (m + 1 < options.mappa_meetings) LV_TRY(ws.Execute(SignMappaMinutes{meeting_id}));
  }

  // An application to court about repeated violations in the first case with a section,
  // written after the loop so the seeded data before it stays as it was.
  if (!court_case_id.empty()) {
    const std::string& case_id = court_case_id;
    const std::string& opened = court_section_opened_on;
    RecordViolation v;
    v.case_id = case_id;
    v.kind = ViolationKind::kViolation;
    v.occurred_on = AddDaysIso(today, -20) > opened ? AddDaysIso(today, -20) : opened;
    v.description =
        "Bez attaisnojoša iemesla neieradās uz norunāto tikšanos; nepaziņoja par "
        "dzīvesvietas maiņu.";
    LV_TRY(ws.Execute(v));
    FileCourtApplication app;
    app.case_id = case_id;
    app.kind = CourtApplicationKind::kChangeObligations;
    app.filed_on = AddDaysIso(today, -5) > opened ? AddDaysIso(today, -5) : opened;
    app.reason =
        "Klients atkārtoti nepilda probācijas uzraudzības pienākumus: divas reizes neieradās uz "
        "norunāto tikšanos un nepaziņoja par dzīvesvietas maiņu. Lūdzam papildināt pienākumus "
        "ar ierašanos pie probācijas darbinieka reizi nedēļā.";
    LV_TRY(ws.Execute(app));
  }
  return result;
}

Result<void> SeedDemoVolunteers(Workspace& coord, const std::vector<std::string>& case_ids,
                                const DemoOptions& options) {
  if (coord.actor().role != Role::kVolunteerCoordinator) {
    return MakeError(Errc::kNotPermitted,
                     "demo data: volunteers are written by a volunteer coordinator");
  }
  (void)options;
  const std::string today = coord.Today();
  static const char* const kVolunteers[][2] = {
      {"Laura", "Sprūde"}, {"Toms", "Āboltiņš"}, {"Zane", "Ķirse"},       {"Valdis", "Ērglis"},
      {"Ginta", "Lūse"},   {"Aivars", "Čudars"}, {"Maija", "Strēlniece"}, {"Edīte", "Ņemce"}};
  std::vector<std::string> certified;
  for (int v = 0; v < 8; ++v) {
    RegisterVolunteer rv;
    rv.name = kVolunteers[v][0];
    rv.surname = kVolunteers[v][1];
    rv.phone = "+371 29" + std::to_string(100000 + v * 7919);
    rv.registered_on = AddDaysIso(today, -200 + v * 10);
    rv.kind = v == 6 ? VolunteerKind::kMediator
                     : (v == 7 ? VolunteerKind::kCircleMember : VolunteerKind::kPeerMentor);
    LV_ASSIGN(auto vid, coord.Execute(rv));
    const int stages = v < 4 ? 4 : v - 4;  // four certified, the rest part-way
    static const VolunteerStage kOrder[] = {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                                            VolunteerStage::kTraining, VolunteerStage::kCertified};
    for (int k = 0; k < stages; ++k) {
      AdvanceVolunteerStage adv;
      adv.volunteer_id = vid;
      adv.stage = kOrder[k];
      adv.on_date = AddDaysIso(rv.registered_on, 14 * (k + 1));
      LV_TRY(coord.Execute(adv));
    }
    if (stages == 4) certified.push_back(vid);
  }
  // Mentors go to the clients whose cards the coordinator holds, i.e. those referred for
  // peer mentoring; the other case ids are not the coordinator's business.
  LV_ASSIGN(std::vector<ClientCard> cards, coord.ClientCards());
  std::vector<std::string> referred;
  for (const std::string& id : case_ids) {
    for (const ClientCard& card : cards) {
      if (card.case_id == id) referred.push_back(id);
    }
  }
  for (size_t k = 0; k < certified.size() && k < referred.size(); ++k) {
    AssignMentor am;
    am.case_id = referred[k];
    am.volunteer_id = certified[k];
    am.started_on = AddDaysIso(today, -60);
    LV_ASSIGN(auto assignment, coord.Execute(am));
    for (int s = 0; s < 3; ++s) {
      LogMentoringSession log;
      log.assignment_id = assignment;
      log.held_on = AddDaysIso(today, -50 + s * 14);
      log.duration_minutes = 45 + 15 * s;
      log.mode = s == 1 ? MentoringMode::kOnline : MentoringMode::kInPerson;
      log.note = "Sarunā pārrunāti ikdienas mērķi un darba meklēšana.";
      // The sessions wait for sign-off: another coordinator of the unit signs them off, never
      // the one who logged them, and the demo unit has one coordinator.
      LV_TRY(coord.Execute(log));
    }
  }
  return Ok();
}

}  // namespace lietvedis::client
