// Agenda and reminders over a fixed date (the fixture's clock: Monday 16.03.2026).
#include "client/agenda.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

const AgendaItem* Find(const Agenda& a, AgendaKind kind, const std::string& case_id) {
  for (const auto& i : a.items) {
    if (i.kind == kind && i.case_id == case_id) return &i;
  }
  return nullptr;
}

std::string RegisterOpenedOn(ModelFixture& f, Workspace& ws, const char* code, const char* surname,
                             const char* opened) {
  RegisterClient c;
  c.name = "Anna";
  c.surname = surname;
  c.personal_code = code;
  c.kind = CaseKind::kConditionalSentence;
  c.opened_on = opened;
  return f.Must(ws.Execute(c));
}

void OpenSection(ModelFixture& f, Workspace& ws, const std::string& case_id, const char* opened) {
  OpenSupervisionSection s;
  s.case_id = case_id;
  s.sentence_type = "Nosacīta notiesāšana";
  s.court_decision_ref = "K-1";
  s.opened_on = opened;
  s.planned_end_on = "01.01.2028";
  f.Must(ws.Execute(s));
}

}  // namespace

TEST_CASE(
    "agenda buckets contacts, reviews, deadlines, MAPPA actions and sessions for a fixed date",
    "[client][agenda]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  auto sup = f.As(f.supervisor);

  // A: high risk, last held contact 01.03 -> due 15.03 with the default 14 days: overdue.
  const std::string a = RegisterOpenedOn(f, *ws, testing::kCode1985, "Ābele", "02.01.2026");
  RecordAssessment ra;
  ra.case_id = a;
  ra.instrument_version = "2023";
  ra.assessed_on = "05.01.2026";
  ra.risk_level = RiskLevel::kHigh;
  f.Must(ws->Execute(SignAssessment{f.Must(ws->Execute(ra))}));  // a draft would not count
  OpenSection(f, *ws, a, "02.01.2026");  // the contact interval applies under supervision
  RecordContact held;
  held.case_id = a;
  held.planned_at = "01.03.2026";
  held.status = ContactStatus::kHeld;
  f.Must(ws->Execute(held));

  // B: opened 10.03, a contact planned today at 10:00 -> today; its interval due date
  // (unassessed: 30 days -> 09.04) is covered by the planned contact and beyond the week.
  const std::string b = RegisterOpenedOn(f, *ws, testing::kCode1990, "Bērziņa", "10.03.2026");
  RecordContact planned;
  planned.case_id = b;
  planned.planned_at = "16.03.2026 10:00";
  f.Must(ws->Execute(planned));

  // C: evaluation deadline 20.03 (this week), plan review 23.03 (the seventh day: this week),
  // an enrolled programme with its last session on 12.03 (next expected 19.03).
  const std::string c = RegisterOpenedOn(f, *ws, testing::kCode1999, "Cīrule", "14.03.2026");
  RecordEvaluationRequest er;
  er.case_id = c;
  er.requester_name = "Kurzemes rajona tiesa";
  er.reference = "ZN-1";
  er.received_on = "14.03.2026";
  er.deadline_on = "20.03.2026";
  f.Must(ws->Execute(er));
  CreatePlan plan;
  plan.case_id = c;
  plan.next_review_on = "23.03.2026";
  plan.goals = {
      PlanGoalInput{"Atrast darbu", NeedDomain::kEducationEmployment, "NVA", "23.03.2026"}};
  f.Must(ws->Execute(plan));
  auto programmes = ws->Programmes().value();
  REQUIRE_FALSE(programmes.empty());
  f.Must(ws->Execute(RecordConsent{c, programmes[0].id, ConsentDecision::kGiven, "14.03.2026"}));
  ReferToProgramme ref;
  ref.case_id = c;
  ref.programme_id = programmes[0].id;
  ref.need = NeedDomain::kThinkingBehaviour;
  ref.risk_level = RiskLevel::kMedium;
  ref.referred_on = "14.03.2026";
  const std::string referral = f.Must(ws->Execute(ref));
  f.Must(ws->Execute(EnrolInProgramme{referral, "14.03.2026"}));
  f.Must(ws->Execute(RecordAttendance{referral, "12.03.2026", true, ""}));

  // D: a plan review on 24.03 is beyond the week and not listed.
  const std::string d = RegisterOpenedOn(f, *ws, testing::kCode2009, "Dārziņa", "15.03.2026");
  CreatePlan later;
  later.case_id = d;
  later.next_review_on = "24.03.2026";
  later.goals = {PlanGoalInput{"Mācības", NeedDomain::kEducationEmployment, "", "24.03.2026"}};
  f.Must(ws->Execute(later));

  // A MAPPA meeting about A with an action due 18.03.
  RecordMappaMeeting mm;
  mm.held_on = "10.03.2026";
  mm.case_ids = {a};
  mm.participants = {{Institution::kVpd, "Ilze Ozola"},
                     {Institution::kStatePolice, "Liepājas iecirknis"}};
  mm.actions = {{"Pārbaudīt dzīvesvietu", Institution::kStatePolice, "18.03.2026"}};
  f.Must(ws->Execute(mm));

  // Another officer's case: never on this officer's agenda.
  auto ws2 = f.As(f.officer2);
  const std::string other = RegisterOpenedOn(f, *ws2, "010101-01230", "Ozola", "01.01.2026");
  OpenSection(f, *ws2, other, "01.01.2026");

  const auto outbox_before = f.Outbox();
  auto agenda = BuildAgenda(*ws, f.db);
  REQUIRE(agenda.ok());
  CHECK(agenda->today == "2026-03-16");
  CHECK(f.Outbox() == outbox_before);  // building the agenda writes nothing

  const AgendaItem* due_a = Find(*agenda, AgendaKind::kContactDue, a);
  REQUIRE(due_a != nullptr);
  CHECK(due_a->due_on == "2026-03-15");
  CHECK(due_a->bucket == AgendaBucket::kOverdue);
  CHECK(due_a->detail == "high");
  CHECK(due_a->client_surname == "Ābele");

  const AgendaItem* planned_b = Find(*agenda, AgendaKind::kPlannedContact, b);
  REQUIRE(planned_b != nullptr);
  CHECK(planned_b->bucket == AgendaBucket::kToday);
  CHECK(planned_b->due_at == "2026-03-16T10:00");
  CHECK(Find(*agenda, AgendaKind::kContactDue, b) == nullptr);

  const AgendaItem* deadline = Find(*agenda, AgendaKind::kEvaluationDeadline, c);
  REQUIRE(deadline != nullptr);
  CHECK(deadline->bucket == AgendaBucket::kThisWeek);
  CHECK(deadline->due_on == "2026-03-20");
  const AgendaItem* review = Find(*agenda, AgendaKind::kPlanReview, c);
  REQUIRE(review != nullptr);
  CHECK(review->due_on == "2026-03-23");
  CHECK(review->bucket == AgendaBucket::kThisWeek);
  const AgendaItem* session = Find(*agenda, AgendaKind::kProgrammeSession, c);
  REQUIRE(session != nullptr);
  CHECK(session->due_on == "2026-03-19");
  CHECK(Find(*agenda, AgendaKind::kPlanReview, d) == nullptr);

  const AgendaItem* action = Find(*agenda, AgendaKind::kMappaAction, a);
  REQUIRE(action != nullptr);
  CHECK(action->due_on == "2026-03-18");
  CHECK(action->detail == "state_police");

  for (const auto& i : agenda->items) CHECK(i.case_id != other);
  // Order: overdue, then today, then this week; by date within a bucket.
  CHECK(std::is_sorted(agenda->items.begin(), agenda->items.end(),
                       [](const AgendaItem& x, const AgendaItem& y) {
                         return x.bucket != y.bucket ? x.bucket < y.bucket : x.due_at < y.due_at;
                       }));
  CHECK(agenda->Count(AgendaBucket::kOverdue) >= 1);
  CHECK(agenda->Count(AgendaBucket::kToday) == 1);

  SECTION("the unit's contact interval moves the due date") {
    f.Must(sup->Execute(SetUnitSetting{"contact_interval_days.high", "10"}));
    auto again = BuildAgenda(*ws, f.db);
    REQUIRE(again.ok());
    const AgendaItem* moved = Find(*again, AgendaKind::kContactDue, a);
    REQUIRE(moved != nullptr);
    CHECK(moved->due_on == "2026-03-11");
  }
  SECTION("another date rebuckets the same items") {
    auto next_week = BuildAgenda(*ws, f.db, "20.03.2026");
    REQUIRE(next_week.ok());
    const AgendaItem* d2 = Find(*next_week, AgendaKind::kEvaluationDeadline, c);
    REQUIRE(d2 != nullptr);
    CHECK(d2->bucket == AgendaBucket::kToday);
    const AgendaItem* p2 = Find(*next_week, AgendaKind::kPlannedContact, b);
    REQUIRE(p2 != nullptr);
    CHECK(p2->bucket == AgendaBucket::kOverdue);
    REQUIRE(Find(*next_week, AgendaKind::kPlanReview, d) !=
            nullptr);  // 24.03 is now within the week
  }
  SECTION("the supervisor sees the unit; the coordinator's agenda holds none of the cases") {
    auto unit = BuildAgenda(*sup, f.db);
    REQUIRE(unit.ok());
    CHECK(Find(*unit, AgendaKind::kContactDue, other) != nullptr);
    // Her agenda is her sign-off backlog (mentoring_signoff_agenda_test.cpp); none waits here.
    auto coord = f.As(f.coordinator);
    auto backlog = BuildAgenda(*coord, f.db);
    REQUIRE(backlog.ok());
    CHECK(backlog->items.empty());
    auto refused = BuildAgenda(*f.As(f.admin), f.db);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == Errc::kNotPermitted);
  }
  SECTION("a bad date is a validation error naming the field") {
    auto bad = BuildAgenda(*ws, f.db, "31.02.2026");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == Errc::kValidation);
    CHECK(bad.error().message.rfind("date: ", 0) == 0);
  }
}

namespace {

size_t CountOf(const Agenda& a, AgendaKind kind, const std::string& case_id) {
  return static_cast<size_t>(
      std::count_if(a.items.begin(), a.items.end(),
                    [&](const AgendaItem& i) { return i.kind == kind && i.case_id == case_id; }));
}

// The one item of `kind` for `case_id`, checked to be listed exactly once.
const AgendaItem& Once(const Agenda& a, AgendaKind kind, const std::string& case_id) {
  INFO(Code(kind));
  REQUIRE(CountOf(a, kind, case_id) == 1);
  return *Find(a, kind, case_id);
}

}  // namespace

TEST_CASE("every dated obligation of a case is on the agenda once, and leaves it when done",
          "[client][agenda]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  // X: assessed and signed 05.01, a plan made on 01.03 (reviewed 20.03), an open section
  // ending 18.03, monitoring ending today, a placement ending 22.03, an application filed
  // 09.03 without a decision, an assessment draft of 12.03 and one of today, MAPPA minutes of
  // 15.03 and of today unsigned.
  const std::string x = RegisterOpenedOn(f, *ws, testing::kCode1985, "Ābele", "01.01.2026");
  RecordAssessment first;
  first.case_id = x;
  first.instrument_version = "2023";
  first.assessed_on = "05.01.2026";
  first.risk_level = RiskLevel::kMedium;
  const std::string signed_first = f.Must(ws->Execute(first));
  f.Must(ws->Execute(SignAssessment{signed_first}));
  {
    WorkspaceOptions o;  // the plan version made on 01.03
    o.now_ms = [] { return testing::kPinnedNowMs - 15 * 86400000LL; };
    auto earlier = Workspace::Open(f.db, *f.replica, f.officer, o);
    REQUIRE(earlier.ok());
    CreatePlan plan;
    plan.case_id = x;
    plan.next_review_on = "20.03.2026";
    plan.goals = {PlanGoalInput{"Darbs", NeedDomain::kEducationEmployment, "NVA", "20.03.2026"}};
    f.Must((*earlier)->Execute(plan));
  }
  OpenSupervisionSection section;
  section.case_id = x;
  section.sentence_type = "Nosacīta notiesāšana";
  section.court_decision_ref = "K-1";
  section.opened_on = "02.01.2026";
  section.planned_end_on = "18.03.2026";
  f.Must(ws->Execute(section));
  const std::string episode =
      f.Must(ws->Execute(StartMonitoringEpisode{x, "01.03.2026", "16.03.2026"}));
  const std::string placement = f.Must(ws->Execute(PlaceInRehabilitationCentre{
      x, "Sociālās rehabilitācijas centrs", "01.03.2026", "22.03.2026", 1000}));
  const std::string application = f.Must(ws->Execute(FileCourtApplication{
      x, CourtApplicationKind::kChangeObligations, "09.03.2026", "maina dzīvesvietu", {}}));
  RecordAssessment draft = first;
  draft.assessed_on = "12.03.2026";
  draft.risk_level = RiskLevel::kHigh;
  const std::string old_draft = f.Must(ws->Execute(draft));
  RecordAssessment fresh = first;
  fresh.instrument = Instrument::kCans;
  fresh.assessed_on = "16.03.2026";
  f.Must(ws->Execute(fresh));  // a draft of today is not yet a day old
  RecordMappaMeeting mm;
  mm.held_on = "15.03.2026";
  mm.case_ids = {x};
  mm.participants = {{Institution::kVpd, "Ilze Ozola"}};
  const std::string minutes = f.Must(ws->Execute(mm));
  mm.held_on = "16.03.2026";
  f.Must(ws->Execute(mm));  // today's minutes: not yet a day old

  // Y: a section whose planned end (10.03) has passed while it is open, monitoring that
  // should have ended 14.03, a placement ending 30.03 (beyond the week).
  const std::string y = RegisterOpenedOn(f, *ws, testing::kCode1990, "Bērziņa", "01.01.2026");
  section.case_id = y;
  section.planned_end_on = "10.03.2026";
  const std::string overdue_section = f.Must(ws->Execute(section));
  f.Must(ws->Execute(StartMonitoringEpisode{y, "01.02.2026", "14.03.2026"}));
  f.Must(ws->Execute(PlaceInRehabilitationCentre{y, "Centrs", "01.03.2026", "30.03.2026", 1500}));

  // Another officer's case with the same obligations never shows.
  auto ws2 = f.As(f.officer2);
  const std::string other = RegisterOpenedOn(f, *ws2, "010101-01230", "Ozola", "01.01.2026");
  section.case_id = other;
  f.Must(ws2->Execute(section));
  f.Must(ws2->Execute(FileCourtApplication{
      other, CourtApplicationKind::kChangeObligations, "09.03.2026", "iemesls", {}}));

  auto agenda = BuildAgenda(*ws, f.db);
  REQUIRE(agenda.ok());

  const AgendaItem& reassess = Once(*agenda, AgendaKind::kReassessmentDue, x);
  CHECK(reassess.due_on == "2026-03-20");
  CHECK(reassess.bucket == AgendaBucket::kThisWeek);
  CHECK(reassess.detail == "2026-01-05");  // the latest signed one; the drafts decide nothing
  CHECK(reassess.record_id == signed_first);
  CHECK(CountOf(*agenda, AgendaKind::kReassessmentDue, y) == 0);  // never assessed

  const AgendaItem& ends = Once(*agenda, AgendaKind::kSectionEnd, x);
  CHECK(ends.due_on == "2026-03-18");
  CHECK(ends.bucket == AgendaBucket::kThisWeek);
  CHECK(ends.detail == "Nosacīta notiesāšana");
  const AgendaItem& late = Once(*agenda, AgendaKind::kSectionEnd, y);
  CHECK(late.due_on == "2026-03-10");
  CHECK(late.bucket == AgendaBucket::kOverdue);
  CHECK(late.record_id == overdue_section);

  const AgendaItem& em = Once(*agenda, AgendaKind::kEmEpisodeEnd, x);
  CHECK(em.due_on == "2026-03-16");
  CHECK(em.bucket == AgendaBucket::kToday);
  CHECK(em.record_id == episode);
  CHECK(Once(*agenda, AgendaKind::kEmEpisodeEnd, y).bucket == AgendaBucket::kOverdue);

  const AgendaItem& src = Once(*agenda, AgendaKind::kSrcPlacementEnd, x);
  CHECK(src.due_on == "2026-03-22");
  CHECK(src.bucket == AgendaBucket::kThisWeek);
  CHECK(src.detail == "Sociālās rehabilitācijas centrs");
  CHECK(CountOf(*agenda, AgendaKind::kSrcPlacementEnd, y) == 0);  // 30.03: beyond the week

  const AgendaItem& court = Once(*agenda, AgendaKind::kCourtDecisionPending, x);
  CHECK(court.due_on == "2026-03-09");  // its filing date, waiting rather than overdue
  CHECK(court.bucket == AgendaBucket::kThisWeek);
  CHECK(court.detail == "change_obligations");
  CHECK(court.record_id == application);

  const AgendaItem& draft_item = Once(*agenda, AgendaKind::kAssessmentDraft, x);
  CHECK(draft_item.due_on == "2026-03-13");
  CHECK(draft_item.bucket == AgendaBucket::kOverdue);
  CHECK(draft_item.detail == "2026-03-12");
  CHECK(draft_item.record_id == old_draft);

  const AgendaItem& minutes_item = Once(*agenda, AgendaKind::kMappaMinutesDraft, x);
  CHECK(minutes_item.due_on == "2026-03-16");
  CHECK(minutes_item.bucket == AgendaBucket::kToday);
  CHECK(minutes_item.detail == "2026-03-15");
  CHECK(minutes_item.record_id == minutes);

  for (const auto& i : agenda->items) CHECK(i.case_id != other);
  CHECK(
      std::is_sorted(agenda->items.begin(), agenda->items.end(),
                     [](const AgendaItem& p, const AgendaItem& q) { return p.bucket < q.bucket; }));

  SECTION("the supervisor sees the unit's items but not the officer's unsigned minutes") {
    auto sup = f.As(f.supervisor);
    auto unit = BuildAgenda(*sup, f.db);
    REQUIRE(unit.ok());
    CHECK(CountOf(*unit, AgendaKind::kCourtDecisionPending, other) == 1);
    CHECK(CountOf(*unit, AgendaKind::kSectionEnd, x) == 1);
    CHECK(CountOf(*unit, AgendaKind::kMappaMinutesDraft, x) == 0);
  }
  SECTION("a later date moves the items to their buckets") {
    auto later = BuildAgenda(*ws, f.db, "23.03.2026");
    REQUIRE(later.ok());
    CHECK(Once(*later, AgendaKind::kSectionEnd, x).bucket == AgendaBucket::kOverdue);
    CHECK(Once(*later, AgendaKind::kReassessmentDue, x).bucket == AgendaBucket::kOverdue);
    CHECK(Once(*later, AgendaKind::kCourtDecisionPending, x).bucket == AgendaBucket::kThisWeek);
    CHECK(Once(*later, AgendaKind::kSrcPlacementEnd, y).due_on == "2026-03-30");  // the 7th day
    CHECK(Find(*later, AgendaKind::kAssessmentDraft, x)->bucket == AgendaBucket::kOverdue);
    CHECK(CountOf(*later, AgendaKind::kAssessmentDraft, x) == 2);  // today's draft too, by then
  }
  SECTION("closed, ended, decided and signed things drop out") {
    f.Must(ws->Execute(CloseSupervisionSection{overdue_section, "16.03.2026"}));
    f.Must(ws->Execute(EndMonitoringEpisode{episode, "16.03.2026"}));
    f.Must(ws->Execute(EndRehabilitationPlacement{placement, "16.03.2026"}));
    f.Must(ws->Execute(RecordCourtDecision{application, "apmierināts", "16.03.2026"}));
    f.Must(ws->Execute(SignAssessment{old_draft}));  // signed 12.03, after the plan of 01.03
    f.Must(ws->Execute(SignMappaMinutes{minutes}));
    auto after = BuildAgenda(*ws, f.db);
    REQUIRE(after.ok());
    CHECK(CountOf(*after, AgendaKind::kSectionEnd, y) == 0);
    CHECK(CountOf(*after, AgendaKind::kSectionEnd, x) == 1);  // still open
    CHECK(CountOf(*after, AgendaKind::kEmEpisodeEnd, x) == 0);
    CHECK(CountOf(*after, AgendaKind::kEmEpisodeEnd, y) == 1);
    CHECK(CountOf(*after, AgendaKind::kSrcPlacementEnd, x) == 0);
    CHECK(CountOf(*after, AgendaKind::kCourtDecisionPending, x) == 0);
    CHECK(CountOf(*after, AgendaKind::kAssessmentDraft, x) == 0);
    CHECK(CountOf(*after, AgendaKind::kReassessmentDue, x) == 0);  // a newer signed assessment
    CHECK(CountOf(*after, AgendaKind::kMappaMinutesDraft, x) == 0);
  }
}
