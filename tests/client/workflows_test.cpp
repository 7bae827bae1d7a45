// Workflows on a real SQLite file: registration, case file, supervision sections, assessments,
// plans, contacts, programmes, MAPPA meetings; the rules (immutability after signing, closed
// section read-only, corrections as appended versions with history visible, consent); bad
// input naming the field and writing nothing.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

bool HasKind(const HistoryView& h, std::string_view kind) {
  return std::any_of(h.entries.begin(), h.entries.end(),
                     [&](const HistoryEntry& e) { return e.kind == kind; });
}

}  // namespace

TEST_CASE("registering a client opens a case file with a client, a card and audit entries",
          "[client][workflow]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);

  auto file = ws->CaseFile(case_id);
  REQUIRE(file.ok());
  CHECK(file->case_record.kind == CaseKind::kConditionalSentence);
  CHECK(file->case_record.status == CaseStatus::kOpen);
  CHECK(file->case_record.responsible_officer_id == f.officer);
  CHECK(file->case_record.opened_on == "2026-03-01");
  CHECK(file->client.surname == "Bērziņš");
  CHECK(file->client.birth_date == "1985-03-15");
  CHECK(file->client.case_id == case_id);
  CHECK(file->responsible_officer_name == "Ilze Ozola");

  // Rows live in the case scope; a client not referred for peer mentoring has no card.
  CHECK(f.db.QueryInt("SELECT count(*) FROM client WHERE scope=?", CaseScope(case_id)).value() ==
        1);
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card").value() == 0);
  // Once referred, the card lives in the mentoring scope of the same case.
  f.ReferToMentoring(*ws, case_id);
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card WHERE id=? AND scope=?", case_id,
                      MentoringScope(case_id))
            .value() == 1);
  // The read itself was audited, naming ids only.
  CHECK(
      f.db.QueryInt("SELECT count(*) FROM audit WHERE action='read' AND target_id=? AND user_id=?",
                    case_id, f.officer)
          .value() == 1);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE detail LIKE '%Bērziņš%'").value() == 0);
}

TEST_CASE("a second case for the same client shares the person id in a new scope",
          "[client][workflow]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string first = f.RegisterBerzins(*ws);
  const std::string client_id = ws->CaseFile(first)->client.id;
  OpenCase oc;
  oc.client_id = client_id;
  oc.kind = CaseKind::kEvaluationReport;
  const std::string second = f.Must(ws->Execute(oc));
  f.ReferToMentoring(*ws, first);
  f.ReferToMentoring(*ws, second);
  auto file = ws->CaseFile(second);
  REQUIRE(file.ok());
  CHECK(file->client.id != client_id);
  CHECK(file->client.person_id == client_id);
  CHECK(file->client.personal_code == testing::kCode1985);
  CHECK(file->case_record.opened_on == "2026-03-16");  // defaults to today

  // New contact details recorded in one case reach the person's other case and both cards.
  UpdateClientDetails upd;
  upd.case_id = first;
  upd.name = "Jānis";
  upd.surname = "Bērziņš";
  upd.phone = "+371 22222222";
  REQUIRE(ws->Execute(upd).ok());
  CHECK(ws->CaseFile(second)->client.phone == "+371 22222222");
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card WHERE phone='+371 22222222'").value() == 2);
}

TEST_CASE("supervision section: open, amend, close, a closed section is read-only but correctable",
          "[client][workflow][rules]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);

  OpenSupervisionSection open;
  open.case_id = case_id;
  open.sentence_type = "nosacīta notiesāšana";
  open.court_decision_ref = "K12-0345-25";
  open.obligations = "ierasties VPD reizi mēnesī";
  open.opened_on = "02.03.2026";
  open.planned_end_on = "02.03.2028";
  open.employment_at_opening = EmploymentStatus::kUnemployed;
  open.no_employment_taxes_at_opening = true;
  const std::string section = f.Must(ws->Execute(open));

  // One open section per case.
  auto second = ws->Execute(open);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == Errc::kValidation);

  AmendSupervisionSection amend{section, "ierasties VPD divreiz mēnesī", ""};
  REQUIRE(ws->Execute(amend).ok());
  CHECK(ws->Execute(AmendSupervisionSection{section, "", "01.01.2020"})
            .error()
            .message.find("planned_end_on") == 0);
  CHECK(ws->Execute(AmendSupervisionSection{section, "", ""}).error().code == Errc::kValidation);

  CloseSupervisionSection close{section, "01.03.2027", SectionOutcome::kCompleted,
                                EmploymentStatus::kEmployed};
  REQUIRE(ws->Execute(close).ok());

  // Closed: amending and closing again are refused, nothing written.
  const auto before = f.Outbox();
  auto again = ws->Execute(amend);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == Errc::kNotPermitted);
  CHECK(ws->Execute(close).error().code == Errc::kNotPermitted);
  CHECK(f.Outbox() == before);

  // A correction is appended; the original value stays, the history shows both.
  CorrectRecord fix{"supervision_section", section, "closed_on", "2027-02-28",
                    "tiesas lēmumā cits datums"};
  const std::string correction = f.Must(ws->Execute(fix));
  auto file = ws->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->sections.size() == 1);
  CHECK(file->sections[0].closed_on == "2027-03-01");
  CHECK(file->sections[0].status == SectionStatus::kClosed);
  CHECK(file->sections[0].employment_at_closure == EmploymentStatus::kEmployed);
  CHECK(file->sections[0].no_employment_taxes_at_opening);
  CHECK(file->sections[0].obligations == "ierasties VPD divreiz mēnesī");
  REQUIRE(file->corrections.size() == 1);
  CHECK(file->corrections[0].id == correction);
  CHECK(file->corrections[0].value == "2027-02-28");

  auto history = ws->History("supervision_section", section);
  REQUIRE(history.ok());
  CHECK(HasKind(*history, "created"));
  CHECK(HasKind(*history, "updated"));
  CHECK(HasKind(*history, "correction"));

  // A correction must name a real field and give a reason.
  CHECK(
      ws->Execute(CorrectRecord{"supervision_section", section, "secret", "x", "y"}).error().code ==
      Errc::kValidation);
  auto no_reason =
      ws->Execute(CorrectRecord{"supervision_section", section, "outcome", "other", ""});
  REQUIRE_FALSE(no_reason.ok());
  CHECK(no_reason.error().message.find("reason") != std::string::npos);
}

TEST_CASE("a signed assessment is immutable, a correction is a new version and history keeps both",
          "[client][workflow][rules]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);

  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument = Instrument::kVpdRvn;
  ra.instrument_version = "2.1";
  ra.assessed_on = "05.03.2026";
  ra.total_score = 31;
  ra.risk_level = RiskLevel::kMedium;
  ra.needs = {NeedDomain::kEducationEmployment, NeedDomain::kAlcohol};
  const std::string first = f.Must(ws->Execute(ra));

  AmendAssessment amend{first, 34, "", RiskLevel::kHigh, {NeedDomain::kAlcohol}};
  REQUIRE(ws->Execute(amend).ok());
  REQUIRE(ws->Execute(SignAssessment{first}).ok());

  const auto before = f.Outbox();
  auto refused = ws->Execute(amend);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::kNotPermitted);
  CHECK(ws->Execute(SignAssessment{first}).error().code == Errc::kNotPermitted);
  CHECK(f.Outbox() == before);

  // Superseding an unsigned assessment is refused: amend it instead.
  ra.supersedes_id = first;
  ra.assessed_on = "10.03.2026";
  ra.total_score = 29;
  ra.risk_level = RiskLevel::kMedium;
  const std::string second = f.Must(ws->Execute(ra));
  RecordAssessment bad = ra;
  bad.supersedes_id = second;
  CHECK(ws->Execute(bad).error().code == Errc::kValidation);

  auto file = ws->CaseFile(case_id);
  REQUIRE(file->assessments.size() == 2);
  CHECK(file->assessments[0].id == second);  // newest first
  CHECK(file->assessments[0].supersedes_id == first);
  CHECK(file->assessments[1].total_score == 34);
  CHECK(file->assessments[1].risk_level == RiskLevel::kHigh);
  CHECK(file->assessments[1].IsSigned());
  CHECK(file->assessments[1].signed_by == f.officer);

  auto history = ws->History("assessment", first);
  REQUIRE(history.ok());
  CHECK(HasKind(*history, "created"));
  CHECK(HasKind(*history, "version"));  // the superseding assessment shows in the old one's history

  // The caseload shows the latest SIGNED assessment's risk level: the unsigned correction
  // decides nothing until it is signed.
  auto rows = ws->Caseload();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().risk_level == RiskLevel::kHigh);
  REQUIRE(ws->Execute(SignAssessment{second}).ok());
  CHECK(ws->Caseload()->front().risk_level == RiskLevel::kMedium);
}

TEST_CASE("a plan revision is a new version, the old one stays readable as superseded",
          "[client][workflow]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  CreatePlan plan{
      case_id, "16.06.2026", {{"atrast darbu", NeedDomain::kEducationEmployment, "NVA kursi", ""}}};
  const std::string v1 = f.Must(ws->Execute(plan));
  plan.goals.push_back(
      {"atturēties no alkohola", NeedDomain::kAlcohol, "Minesotas programma", "01.05.2026"});
  const std::string v2 = f.Must(ws->Execute(plan));
  auto file = ws->CaseFile(case_id);
  REQUIRE(file->plans.size() == 2);
  CHECK(file->plans[0].id == v2);
  CHECK(file->plans[0].version == 2);
  CHECK(file->plans[0].supersedes_id == v1);
  CHECK(file->plans[0].goals.size() == 2);
  CHECK(file->plans[0].goals[1].review_on == "2026-05-01");
  CHECK(file->plans[1].status == PlanStatus::kSuperseded);
  CHECK(file->plans[1].goals.size() == 1);

  CreatePlan empty{case_id, "16.06.2026", {}};
  CHECK(ws->Execute(empty).error().message.find("goals") != std::string::npos);
}

TEST_CASE("contacts: planned then held, a held contact is immutable, overdue in the caseload",
          "[client][workflow]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);  // opened 2026-03-01, unassessed: 30 days
  // The contact interval applies to cases under supervision (an open section).
  OpenSupervisionSection section;
  section.case_id = case_id;
  section.sentence_type = "Nosacīta notiesāšana";
  section.court_decision_ref = "K-1";
  section.opened_on = "01.03.2026";
  section.planned_end_on = "01.03.2027";
  f.Must(ws->Execute(section));

  auto rows = ws->Caseload();
  REQUIRE(rows->size() == 1);
  CHECK_FALSE(rows->front().overdue);

  RecordContact planned{
      case_id, "10.03.2026 10:30", ContactStatus::kPlanned, ContactMode::kInPerson, "", "", ""};
  const std::string contact = f.Must(ws->Execute(planned));
  // A planned contact whose date passed makes the case overdue.
  rows = ws->Caseload();
  CHECK(rows->front().overdue);
  CHECK(rows->front().next_contact_at == "2026-03-10T10:30");
  CaseloadFilter overdue;
  overdue.overdue_only = true;
  CHECK(ws->Caseload(overdue)->size() == 1);

  REQUIRE(
      ws->Execute(RecordContactOutcome{contact, ContactStatus::kHeld, "10.03.2026", "ieradās", ""})
          .ok());
  rows = ws->Caseload();
  CHECK_FALSE(rows->front().overdue);
  CHECK(rows->front().last_contact_on == "2026-03-10");
  CHECK(ws->Caseload(overdue)->empty());

  auto again = ws->Execute(RecordContactOutcome{contact, ContactStatus::kMissed, "", "", ""});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == Errc::kNotPermitted);

  // A supervisor shortens the interval for unassessed clients: the case becomes overdue.
  auto sup = f.As(f.supervisor);
  REQUIRE(sup->Execute(SetUnitSetting{"contact_interval_days.unassessed", "3"}).ok());
  CHECK(ws->Caseload()->front().overdue);

  auto future = ws->Execute(
      RecordContact{case_id, "20.03.2026", ContactStatus::kHeld, ContactMode::kPhone, "", "", ""});
  REQUIRE_FALSE(future.ok());
  CHECK(future.error().message.find("planned_at") == 0);

  auto bad_time = ws->Execute(RecordContact{case_id, "10.03.2026 25:00", ContactStatus::kPlanned,
                                            ContactMode::kPhone, "", "", ""});
  REQUIRE_FALSE(bad_time.ok());
  CHECK(bad_time.error().message.find("planned_at") != std::string::npos);
}

TEST_CASE("caseload filters by kind, risk and a diacritic-folding search",
          "[client][workflow][query]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string a = f.RegisterBerzins(*ws);
  RegisterClient other;
  other.name = "Līga";
  other.surname = "Šņepste";
  other.personal_code = testing::kCode1990;
  other.kind = CaseKind::kCommunityWork;
  f.Must(ws->Execute(other));

  CHECK(ws->Caseload()->size() == 2);
  CaseloadFilter search;
  search.search = "berzins";
  auto found = ws->Caseload(search);
  REQUIRE(found->size() == 1);
  CHECK(found->front().case_id == a);
  search.search = "SNEP";
  CHECK(ws->Caseload(search)->size() == 1);
  search.search = "ŠŅEPSTE";
  CHECK(ws->Caseload(search)->size() == 1);
  search.search = "150385";
  CHECK(ws->Caseload(search)->size() == 1);
  search.search = "%";
  CHECK(ws->Caseload(search)->empty());  // LIKE wildcards are escaped

  CaseloadFilter kind;
  kind.kind = CaseKind::kCommunityWork;
  CHECK(ws->Caseload(kind)->front().surname == "Šņepste");

  RecordAssessment ra;
  ra.case_id = a;
  ra.instrument_version = "1";
  ra.risk_level = RiskLevel::kHigh;
  f.Must(ws->Execute(SignAssessment{f.Must(ws->Execute(ra))}));
  CaseloadFilter risk;
  risk.risk_level = RiskLevel::kHigh;
  auto high = ws->Caseload(risk);
  REQUIRE(high->size() == 1);
  CHECK(high->front().case_id == a);
  CHECK(FoldForSearch("Ģirts Ķēniņš Ūdris Žūrija Čakste") == "girts kenins udris zurija cakste");
}

TEST_CASE("programme referral is refused without consent and tracked to completion",
          "[client][workflow][rules]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  const std::string programme = "prog-motivacija";

  ReferToProgramme refer;
  refer.case_id = case_id;
  refer.programme_id = programme;
  refer.need = NeedDomain::kThinkingBehaviour;
  refer.risk_level = RiskLevel::kMedium;

  auto without = ws->Execute(refer);
  REQUIRE_FALSE(without.ok());
  CHECK(without.error().code == Errc::kValidation);
  CHECK(without.error().message.find("consent") != std::string::npos);
  CHECK(f.Count("referral") == 0);

  // Refused consent is also no consent.
  f.Must(ws->Execute(RecordConsent{case_id, programme, ConsentDecision::kRefused, "05.03.2026"}));
  CHECK(ws->Execute(refer).error().message.find("consent") != std::string::npos);
  // Consent to another programme does not count.
  f.Must(ws->Execute(RecordConsent{case_id, "prog-equip", ConsentDecision::kGiven, "06.03.2026"}));
  CHECK_FALSE(ws->Execute(refer).ok());

  const std::string consent =
      f.Must(ws->Execute(RecordConsent{case_id, programme, ConsentDecision::kGiven, "07.03.2026"}));
  // Without a need, or without any risk level, still refused.
  ReferToProgramme no_need = refer;
  no_need.need.reset();
  CHECK(ws->Execute(no_need).error().message.find("need") != std::string::npos);
  ReferToProgramme no_risk = refer;
  no_risk.risk_level.reset();
  CHECK(ws->Execute(no_risk).error().message.find("risk_level") != std::string::npos);

  const std::string referral = f.Must(ws->Execute(refer));
  // Attendance before enrolment is refused.
  CHECK_FALSE(ws->Execute(RecordAttendance{referral, "10.03.2026", true, ""}).ok());
  REQUIRE(ws->Execute(EnrolInProgramme{referral, "09.03.2026"}).ok());
  f.Must(ws->Execute(RecordAttendance{referral, "10.03.2026", true, ""}));
  f.Must(ws->Execute(RecordAttendance{referral, "12.03.2026", false, "slims"}));
  f.Must(ws->Execute(RecordAttendance{referral, "14.03.2026", true, ""}));
  REQUIRE(ws->Execute(EndReferral{referral, "15.03.2026", ReferralStatus::kCompleted}).ok());
  CHECK(
      ws->Execute(EndReferral{referral, "15.03.2026", ReferralStatus::kDroppedOut}).error().code ==
      Errc::kNotPermitted);

  auto file = ws->CaseFile(case_id);
  REQUIRE(file->referrals.size() == 1);
  CHECK(file->referrals[0].consent_id == consent);
  CHECK(file->referrals[0].status == ReferralStatus::kCompleted);
  CHECK(file->referrals[0].sessions_attended == 2);
  CHECK(file->referrals[0].programme_name == "Motivācija izmaiņām");
  CHECK(file->consents[1].programme_name == "EQUIP");
  CHECK(file->attendance.size() == 3);
  CHECK(file->consents.size() == 3);

  // Withdrawn consent blocks a new referral.
  f.Must(ws->Execute(RecordConsent{case_id, programme, ConsentDecision::kWithdrawn, "16.03.2026"}));
  CHECK_FALSE(ws->Execute(refer).ok());
}

TEST_CASE(
    "MAPPA minutes: recorded with participants, actions, disclosures, signed minutes take only "
    "corrections",
    "[client][workflow][rules]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  RecordMappaMeeting m;
  m.held_on = "12.03.2026";
  m.mode = MeetingMode::kRemote;
  m.case_ids = {case_id};
  m.participants = {{Institution::kVpd, "I. Ozola"},
                    {Institution::kStatePolice, "inspektors"},
                    {Institution::kMunicipalSocialService, ""}};
  m.risk_decisions = "pastiprināta uzraudzība";
  m.victim_decisions = "informēt cietušo";
  m.actions = {{"pārbaudīt dzīvesvietu", Institution::kStatePolice, "20.03.2026"}};
  m.disclosures = {{"dzīvesvietas adrese", "Valsts policija", "Probācijas likums"}};
  const std::string meeting = f.Must(ws->Execute(m));

  // Before signing the minutes can still change.
  AmendMappaMeeting amend;
  amend.meeting_id = meeting;
  amend.add_actions = {
      {"sazināties ar bāriņtiesu", Institution::kMunicipalSocialService, "25.03.2026"}};
  REQUIRE(ws->Execute(amend).ok());
  CHECK(ws->Execute(AmendMappaMeeting{meeting, "", "", {}, {}, {}}).error().code ==
        Errc::kValidation);

  REQUIRE(ws->Execute(SignMappaMinutes{meeting}).ok());
  CHECK(ws->Execute(SignMappaMinutes{meeting}).error().code == Errc::kNotPermitted);
  const auto after_sign = f.Outbox();
  CHECK(ws->Execute(amend).error().code == Errc::kNotPermitted);
  CHECK(f.Outbox() == after_sign);
  f.Must(ws->Execute(CorrectRecord{"mappa_meeting", meeting, "victim_decisions",
                                   "informēt cietušo rakstiski", "precizējums"}));

  auto detail = ws->MappaMeetingDetail(meeting);
  REQUIRE(detail.ok());
  CHECK(detail->meeting.IsSigned());
  CHECK(detail->meeting.victim_decisions == "informēt cietušo");
  CHECK(detail->meeting.participants.size() == 3);
  REQUIRE(detail->meeting.actions.size() == 2);
  CHECK(detail->meeting.actions[0].due_on == "2026-03-20");
  CHECK(detail->meeting.actions[1].owner == Institution::kMunicipalSocialService);
  CHECK(detail->meeting.disclosures.size() == 1);
  REQUIRE(detail->corrections.size() == 1);
  CHECK(detail->corrections[0].value == "informēt cietušo rakstiski");
  CHECK(ws->MappaMeetings()->size() == 1);
  // Stored in the unit scope.
  CHECK(f.db.QueryInt("SELECT count(*) FROM mappa_meeting WHERE scope=?", UnitScope(f.unit))
            .value() == 1);

  // A disclosure without a legal basis is refused and nothing of the meeting is written.
  const auto meetings = f.Count("mappa_meeting");
  const auto outbox = f.Outbox();
  m.disclosures = {{"adrese", "NVO", ""}};
  auto bad = ws->Execute(m);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("disclosures[0].legal_basis") != std::string::npos);
  CHECK(f.Count("mappa_meeting") == meetings);
  CHECK(f.Outbox() == outbox);
}

TEST_CASE("bad input is refused with the field named and nothing written",
          "[client][workflow][validation]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const auto clients = f.Count("client");
  const auto cases = f.Count("probation_case");
  const auto outbox = f.Outbox();
  const auto audits = f.Count("audit");

  auto expect_field = [&](const RegisterClient& c, const std::string& field) {
    auto r = ws->Execute(c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kValidation);
    INFO(r.error().message);
    CHECK(r.error().message.find(field) != std::string::npos);
  };
  RegisterClient good;
  good.name = "Jānis";
  good.surname = "Bērziņš";
  good.personal_code = testing::kCode1985;

  RegisterClient c = good;
  c.name = "";
  expect_field(c, "name");
  c = good;
  c.surname = std::string(500, 'x');
  expect_field(c, "surname");
  c = good;
  c.personal_code = "150385-11002";  // wrong check digit
  {
    auto r = ws->Execute(c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kValidation);
  }
  c.personal_code = "";
  CHECK(ws->Execute(c).error().code == Errc::kValidation);
  c = good;
  c.birth_date = "31.02.1985";
  expect_field(c, "birth_date");
  c = good;
  c.email = "not-an-address";
  expect_field(c, "email");
  c = good;
  c.name = std::string("J\xC3\x28nis");  // invalid UTF-8
  expect_field(c, "name");
  c = good;
  c.responsible_officer_id = f.officer_other_unit;
  expect_field(c, "responsible_officer_id");

  CHECK(f.Count("client") == clients);
  CHECK(f.Count("probation_case") == cases);
  CHECK(f.Count("audit") == audits);
  CHECK(f.Outbox() == outbox);

  // Unknown ids are reported, not crashed on.
  CHECK(ws->CaseFile("no-such-case").error().code == Errc::kNotFound);
  CHECK(ws->Execute(SignAssessment{"nope"}).error().code == Errc::kNotFound);
  CHECK(ws->Execute(SignAssessment{""}).error().code == Errc::kValidation);
  CHECK(ws->History("no_such_table", "x").error().code == Errc::kValidation);
  CHECK(f.Outbox() == outbox);
}

TEST_CASE("closing a case needs the section closed, a closed case takes notes but no new content",
          "[client][workflow][rules]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  OpenSupervisionSection open;
  open.case_id = case_id;
  open.sentence_type = "probācijas uzraudzība";
  open.court_decision_ref = "K1";
  open.planned_end_on = "01.01.2027";
  const std::string section = f.Must(ws->Execute(open));
  CHECK(ws->Execute(CloseCase{case_id, ""}).error().code == Errc::kValidation);
  REQUIRE(ws->Execute(CloseSupervisionSection{section, "", SectionOutcome::kCompleted,
                                              EmploymentStatus::kEmployed})
              .ok());
  REQUIRE(ws->Execute(CloseCase{case_id, ""}).ok());
  CHECK(ws->Execute(RecordViolation{case_id, ViolationKind::kWarning, "", "x"}).error().code ==
        Errc::kNotPermitted);
  f.Must(ws->Execute(AddNote{case_id, "lieta nodota arhīvā", "", ""}));
  auto file = ws->CaseFile(case_id);
  CHECK(file->case_record.status == CaseStatus::kClosed);
  CHECK(file->notes.size() == 1);
  // Notes are append-only at the replica: a second write of the same row is refused.
  auto tx = storage::Transaction::Begin(f.db);
  REQUIRE(tx.ok());
  auto rewrite = f.replica->Write("note", file->notes[0].id, CaseScope(case_id),
                                  {{"body", std::string("changed")}});
  CHECK(rewrite.error().code == Errc::kConstraint);
}

TEST_CASE("monitoring episodes, evaluation requests, related persons, court applications",
          "[client][workflow]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  const std::string em =
      f.Must(ws->Execute(StartMonitoringEpisode{case_id, "01.03.2026", "01.09.2026"}));
  REQUIRE(ws->Execute(EndMonitoringEpisode{em, "15.03.2026", EmOutcome::kCompleted}).ok());
  CHECK(ws->Execute(EndMonitoringEpisode{em, "16.03.2026", EmOutcome::kRevoked}).error().code ==
        Errc::kNotPermitted);

  RecordEvaluationRequest req{case_id, Requester::kProsecutor, "Liepājas prokuratūra",
                              "11-22", "02.03.2026",           ""};
  CHECK(ws->Execute(req).error().message.find("deadline_on") != std::string::npos);
  req.deadline_on = "01.04.2026";
  const std::string request = f.Must(ws->Execute(req));
  // Only a signed report is submitted (the report's rules: tests/client/evaluation_test.cpp).
  CHECK(ws->Execute(SubmitEvaluationReport{request, ""}).error().code == Errc::kValidation);
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument_version = "1";
  const std::string assessment = f.Must(ws->Execute(ra));
  REQUIRE(ws->Execute(SignAssessment{assessment}).ok());
  REQUIRE(ws->Execute(StartEvaluationReport{request, ""}).ok());
  REQUIRE(ws->Execute(DraftEvaluationReport{request, "a", "b", "c", "d", "e", assessment}).ok());
  REQUIRE(ws->Execute(SignEvaluationReport{request}).ok());
  REQUIRE(ws->Execute(SubmitEvaluationReport{request, ""}).ok());

  const std::string support = f.Must(ws->Execute(AddRelatedPerson{
      case_id, Relation::kSupportPerson, "NVO mentors", "Rita", "Zariņa", "", ""}));
  const std::string mother = f.Must(ws->Execute(
      AddRelatedPerson{case_id, Relation::kFamilyMember, "māte", "Ieva", "Bērziņa", "", ""}));
  REQUIRE(ws->Execute(VoidRelatedPerson{mother}).ok());
  CHECK(ws->Execute(VoidRelatedPerson{mother}).error().code == Errc::kNotPermitted);
  CHECK(f.db.QueryInt("SELECT count(*) FROM related_person WHERE id=? AND name='Ieva'", mother)
            .value() == 1);
  const std::string app = f.Must(ws->Execute(FileCourtApplication{
      case_id, CourtApplicationKind::kReplaceUnservedSentence, "", "izvairās no uzraudzības", {}}));
  REQUIRE(ws->Execute(RecordCourtDecision{app, "apmierināts", "30.03.2026"}).ok());
  CHECK(ws->Execute(RecordCourtDecision{app, "x", ""}).error().code == Errc::kNotPermitted);

  auto file = ws->CaseFile(case_id);
  CHECK(file->monitoring.at(0).outcome == EmOutcome::kCompleted);
  CHECK(file->evaluation_requests.at(0).status == EvaluationStatus::kSubmitted);
  CHECK(file->evaluation_requests.at(0).deadline_on == "2026-04-01");
  REQUIRE(file->related_persons.size() == 1);  // the voided one is kept but not listed
  CHECK(file->related_persons.at(0).id == support);
  CHECK(file->related_persons.at(0).relation == Relation::kSupportPerson);
  CHECK(file->court_applications.at(0).decision == "apmierināts");
}

TEST_CASE("Execute(Command) dispatches the variant", "[client][workflow]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  Command cmd = AddNote{case_id, "piezīme", "", ""};
  auto r = ws->Execute(cmd);
  REQUIRE(r.ok());
  CHECK(f.db.QueryInt("SELECT count(*) FROM note WHERE id=?", *r).value() == 1);
}

TEST_CASE("every row a workflow writes sits in the scope the protocol table names",
          "[client][workflow][scope]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  auto sup = f.As(f.supervisor);
  const std::string case_id = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, case_id);
  OpenSupervisionSection open;
  open.case_id = case_id;
  open.sentence_type = "nosacīta notiesāšana";
  open.court_decision_ref = "K1";
  open.planned_end_on = "01.01.2028";
  f.Must(officer->Execute(open));
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument_version = "1";
  f.Must(officer->Execute(ra));
  const std::string plan = f.Must(
      officer->Execute(CreatePlan{case_id, "01.06.2026", {{"mērķis", std::nullopt, "", ""}}}));
  f.Must(sup->Execute(Countersign{"res_plan", plan, ""}));
  f.Must(officer->Execute(RecordConsent{case_id, "prog-equip", ConsentDecision::kGiven, ""}));
  ReferToProgramme refer;
  refer.case_id = case_id;
  refer.programme_id = "prog-equip";
  refer.need = NeedDomain::kAttitudes;
  const std::string referral = f.Must(officer->Execute(refer));
  f.Must(officer->Execute(EnrolInProgramme{referral, ""}));
  f.Must(officer->Execute(RecordAttendance{referral, "", true, ""}));
  f.Must(officer->Execute(AddNote{case_id, "n", "", ""}));
  const std::string v = f.Must(
      coord->Execute(RegisterVolunteer{"", "A", "B", "", "", "", VolunteerKind::kPeerMentor}));
  for (auto s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview, VolunteerStage::kTraining,
                 VolunteerStage::kCertified}) {
    REQUIRE(coord->Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
  }
  const std::string a = f.Must(coord->Execute(AssignMentor{case_id, v, "10.03.2026"}));
  const std::string s =
      f.Must(coord->Execute(LogMentoringSession{a, "15.03.2026", 30, MentoringMode::kOnline, ""}));
  // Signed off by another coordinator of the unit than the one who logged it.
  const std::string coordinator2 =
      f.Must(BootstrapUser(f.db, *f.replica, "Laura Zariņa", Role::kVolunteerCoordinator, f.unit));
  f.Must(f.As(coordinator2)->Execute(SignOffMentoringSession{s, ""}));
  RecordMappaMeeting m;
  m.held_on = "12.03.2026";
  m.case_ids = {case_id};
  m.participants = {{Institution::kIevp, ""}};
  f.Must(officer->Execute(m));
  REQUIRE(sup->Execute(SetUnitSetting{"contact_interval_days.high", "10"}).ok());

  const std::string cs = CaseScope(case_id), ms = MentoringScope(case_id), us = UnitScope(f.unit),
                    vs = VolunteersScope(f.unit);
  auto scopes_of = [&](const std::string& table) {
    auto st = f.db.Prepare("SELECT DISTINCT scope FROM " + table);
    REQUIRE(st.ok());
    std::vector<std::string> out;
    while (*st->Step()) out.push_back(st->Text(0));
    return out;
  };
  for (const char* t : {"probation_case", "client", "supervision_section", "assessment", "res_plan",
                        "plan_goal", "consent", "referral", "mentoring_referral", "attendance",
                        "note", "correction", "countersignature"}) {
    INFO(t);
    for (const auto& scope : scopes_of(t)) CHECK(scope == cs);
  }
  for (const char* t :
       {"client_card", "mentor_assignment", "mentoring_session", "mentoring_signoff"}) {
    INFO(t);
    CHECK(scopes_of(t) == std::vector<std::string>{ms});
  }
  for (const char* t : {"volunteer", "volunteer_stage"})
    CHECK(scopes_of(t) == std::vector<std::string>{vs});
  for (const char* t : {"mappa_meeting", "mappa_participant", "unit_setting"}) {
    CHECK(scopes_of(t) == std::vector<std::string>{us});
  }
  for (const char* t : {"org_region", "org_unit", "org_user", "programme"}) {
    CHECK(scopes_of(t) == std::vector<std::string>{"org"});
  }
  // Audit rows follow the record they concern, so a reader of a scope sees its trail.
  CHECK(
      f.db.QueryInt(
              "SELECT count(*) FROM audit WHERE target_table='mentoring_session' AND scope<>?", ms)
          .value() == 0);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE target_table='volunteer' AND scope<>?", vs)
            .value() == 0);
  // Every outbox entry carries the scope of its row.
  CHECK(f.db.QueryInt("SELECT count(*) FROM sync_outbox o JOIN probation_case c ON c.id=o.row_id "
                      "WHERE o.tbl='probation_case' AND o.scope<>'case:'||c.id")
            .value() == 0);

  // Unit setting values are checked.
  CHECK(sup->Execute(SetUnitSetting{"contact_interval_days.high", "0"})
            .error()
            .message.find("value") == 0);
  CHECK(sup->Execute(SetUnitSetting{"contact_interval_days.urgent", "5"})
            .error()
            .message.find("name") == 0);
}

TEST_CASE("rows with codes this build does not know are read, not crashed on",
          "[client][workflow][sync]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument_version = "1";
  const std::string a = f.Must(ws->Execute(ra));
  // As if a newer replica had written new codes (replicated rows bypass the client's checks).
  REQUIRE(f.db.Run("UPDATE assessment SET risk_level='extreme', "
                   "needs='accommodation,teleportation' WHERE id=?",
                   a)
              .ok());
  REQUIRE(f.db.Run("UPDATE probation_case SET kind='future_kind' WHERE id=?", case_id).ok());
  auto file = ws->CaseFile(case_id);
  REQUIRE(file.ok());
  CHECK(file->assessments.at(0).needs == std::vector<NeedDomain>{NeedDomain::kAccommodation});
  auto rows = ws->Caseload();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK_FALSE(rows->front().risk_level.has_value());
}

TEST_CASE("rehabilitation-centre placements: VPD's share is 70% capped at 15 EUR a day, in cents",
          "[client][workflow]") {
  static_assert(VpdDailyShareCents(1000) == 700);
  static_assert(VpdDailyShareCents(2142) == 1499);  // rounded down to the cent
  static_assert(VpdDailyShareCents(2500) == 1500);  // capped
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  const std::string p = f.Must(
      ws->Execute(PlaceInRehabilitationCentre{case_id, "SRC Ozoli", "01.03.2026", "", 2500}));
  CHECK(ws->Execute(PlaceInRehabilitationCentre{case_id, "SRC", "", "", 0})
            .error()
            .message.find("daily_cost_cents") == 0);
  CHECK(ws->Execute(EndRehabilitationPlacement{p, "28.02.2026"}).error().message.find("ended_on") ==
        0);
  REQUIRE(ws->Execute(EndRehabilitationPlacement{p, "15.03.2026"}).ok());
  CHECK(ws->Execute(EndRehabilitationPlacement{p, "16.03.2026"}).error().code ==
        Errc::kNotPermitted);
  auto file = ws->CaseFile(case_id);
  REQUIRE(file->placements.size() == 1);
  CHECK(file->placements[0].daily_cost_cents == 2500);
  CHECK(file->placements[0].vpd_daily_share_cents == 1500);
  CHECK(file->placements[0].ended_on == "2026-03-15");
}

TEST_CASE("lists sort in Latvian alphabetical order", "[client][query]") {
  std::vector<std::string> names{"Zariņa", "Šņepste", "sils",   "Ābele", "Apinis",
                                 "Čakste", "Cīrulis", "Žagars", "Ēce",   "Egle"};
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return LatvianSortKey(a) < LatvianSortKey(b);
  });
  CHECK(names == std::vector<std::string>{"Apinis", "Ābele", "Cīrulis", "Čakste", "Egle", "Ēce",
                                          "sils", "Šņepste", "Zariņa", "Žagars"});

  ModelFixture f;
  auto ws = f.As(f.officer);
  for (auto [surname, code] :
       {std::pair{"Čakste", testing::kCode1985}, std::pair{"Zariņa", testing::kCode1990},
        std::pair{"Cīrulis", testing::kCode1999}, std::pair{"Ābele", testing::kCode2009}}) {
    RegisterClient c;
    c.name = "Anna";
    c.surname = surname;
    c.personal_code = code;
    f.ReferToMentoring(*ws, f.Must(ws->Execute(c)));
  }
  auto rows = ws->Caseload();
  REQUIRE(rows->size() == 4);
  CHECK(rows->at(0).surname == "Ābele");
  CHECK(rows->at(1).surname == "Cīrulis");
  CHECK(rows->at(2).surname == "Čakste");
  CHECK(rows->at(3).surname == "Zariņa");
  auto cards = f.As(f.coordinator)->ClientCards();
  REQUIRE(cards->size() == 4);
  CHECK(cards->at(2).surname == "Čakste");
}
