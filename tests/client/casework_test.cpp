// Casework as the service practises it (issue 14): MAPPA action completion, community work,
// the escalation ladder, duplicates at registration, risk from signed assessments and the
// indicators' definitions. The fixture's clock: Monday 16.03.2026.
#include <algorithm>
#include <catch2/catch.hpp>

#include "client/agenda.hpp"
#include "client/indicators.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// A refusal with `code` whose message starts with `prefix`, and nothing written.
void CheckRefused(ModelFixture& f, const Result<std::string>& r, Errc code,
                  const std::string& prefix, std::int64_t outbox_before) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  CHECK(r.error().message.rfind(prefix, 0) == 0);
  if (r.error().message.rfind(prefix, 0) != 0) UNSCOPED_INFO(r.error().message);
  CHECK(f.Outbox() == outbox_before);
}

std::string Register(ModelFixture& f, Workspace& ws, const char* code, const char* surname,
                     CaseKind kind, const char* opened) {
  RegisterClient c;
  c.name = "Anna";
  c.surname = surname;
  c.personal_code = code;
  c.kind = kind;
  c.opened_on = opened;
  return f.Must(ws.Execute(c));
}

std::string OpenSection(ModelFixture& f, Workspace& ws, const std::string& case_id,
                        const char* opened) {
  OpenSupervisionSection s;
  s.case_id = case_id;
  s.sentence_type = "Nosacīta notiesāšana";
  s.court_decision_ref = "K-1";
  s.opened_on = opened;
  s.planned_end_on = "01.01.2028";
  return f.Must(ws.Execute(s));
}

std::string Missed(ModelFixture& f, Workspace& ws, const std::string& case_id, const char* on) {
  RecordContact c;
  c.case_id = case_id;
  c.planned_at = on;
  c.status = ContactStatus::kMissed;
  return f.Must(ws.Execute(c));
}

size_t CountItems(const Agenda& a, AgendaKind kind, const std::string& case_id) {
  return static_cast<size_t>(std::count_if(a.items.begin(), a.items.end(), [&](const auto& i) {
    return i.kind == kind && i.case_id == case_id;
  }));
}
const AgendaItem* Find(const Agenda& a, AgendaKind kind, const std::string& case_id) {
  for (const auto& i : a.items)
    if (i.kind == kind && i.case_id == case_id) return &i;
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// MAPPA action completion

TEST_CASE(
    "a MAPPA action is done once, not before the meeting nor in the future, and leaves "
    "the agenda",
    "[client][casework][mappa]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string a = f.RegisterBerzins(*ws);
  RecordMappaMeeting mm;
  mm.held_on = "10.03.2026";
  mm.case_ids = {a};
  mm.participants = {{Institution::kVpd, "Ilze Ozola"}};
  mm.actions = {{"Pārbaudīt dzīvesvietu", Institution::kStatePolice, "18.03.2026"}};
  const std::string meeting = f.Must(ws->Execute(mm));
  auto detail = ws->MappaMeetingDetail(meeting);
  REQUIRE(detail.ok());
  REQUIRE(detail->meeting.actions.size() == 1);
  const std::string action = detail->meeting.actions[0].id;
  CHECK_FALSE(detail->meeting.actions[0].IsDone());
  auto before = BuildAgenda(*ws, f.db);
  REQUIRE(before.ok());
  CHECK(CountItems(*before, AgendaKind::kMappaAction, a) == 1);

  const auto outbox = f.Outbox();
  CheckRefused(f, ws->Execute(CompleteMappaAction{action, "17.03.2026", ""}), Errc::kValidation,
               "done_on: in the future", outbox);
  CheckRefused(f, ws->Execute(CompleteMappaAction{action, "09.03.2026", ""}), Errc::kValidation,
               "done_on: before the meeting of 2026-03-10", outbox);
  CheckRefused(f, ws->Execute(CompleteMappaAction{"no-such-action", "15.03.2026", ""}),
               Errc::kNotFound, "", outbox);
  auto other_unit = f.As(f.officer_other_unit);
  CheckRefused(f, other_unit->Execute(CompleteMappaAction{action, "15.03.2026", ""}),
               Errc::kNotPermitted, "", outbox);

  // Signed minutes do not stop the follow-up.
  f.Must(ws->Execute(SignMappaMinutes{meeting}));
  CHECK(f.Must(ws->Execute(CompleteMappaAction{action, "15.03.2026", "Policija apmeklēja"})) ==
        action);
  auto after = ws->MappaMeetingDetail(meeting);
  REQUIRE(after.ok());
  CHECK(after->meeting.actions[0].done_on == "2026-03-15");
  CHECK(after->meeting.actions[0].done_note == "Policija apmeklēja");
  CHECK(after->meeting.actions[0].done_by == f.officer);
  auto agenda = BuildAgenda(*ws, f.db);
  REQUIRE(agenda.ok());
  CHECK(CountItems(*agenda, AgendaKind::kMappaAction, a) == 0);

  const auto outbox_done = f.Outbox();
  CheckRefused(f, ws->Execute(CompleteMappaAction{action, "16.03.2026", ""}), Errc::kNotPermitted,
               "", outbox_done);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE target_table='mappa_action' AND "
                      "target_id=? AND action='updated'",
                      action)
            .value() == 1);
}

// ---------------------------------------------------------------------------------------
// Community work

TEST_CASE("community work: an order per community-work case, placements and hours per day",
          "[client][casework][community]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string plain = f.RegisterBerzins(*ws);
  const std::string cw =
      Register(f, *ws, testing::kCode1990, "Kalna", CaseKind::kCommunityWork, "01.02.2026");
  const auto outbox = f.Outbox();

  OrderCommunityWork order;
  order.case_id = plain;
  order.hours_ordered = 40;
  order.ordered_on = "02.02.2026";
  order.deadline_on = "02.06.2026";
  CheckRefused(f, ws->Execute(order), Errc::kValidation, "case_id: community work orders belong",
               outbox);
  order.case_id = cw;
  order.hours_ordered = 0;
  CheckRefused(f, ws->Execute(order), Errc::kValidation, "hours_ordered:", outbox);
  order.hours_ordered = 281;
  CheckRefused(f, ws->Execute(order), Errc::kValidation, "hours_ordered:", outbox);
  order.hours_ordered = 40;
  order.deadline_on = "01.02.2026";
  CheckRefused(f, ws->Execute(order), Errc::kValidation, "deadline_on:", outbox);
  order.deadline_on = "02.06.2026";
  order.ordered_on = "17.03.2026";
  CheckRefused(f, ws->Execute(order), Errc::kValidation, "ordered_on: in the future", outbox);
  order.ordered_on = "02.02.2026";
  auto colleague = f.As(f.officer2);
  CheckRefused(f, colleague->Execute(order), Errc::kNotPermitted, "", outbox);
  const std::string order_id = f.Must(ws->Execute(order));
  const auto outbox_order = f.Outbox();
  CheckRefused(f, ws->Execute(order), Errc::kValidation, "case_id: the case already has",
               outbox_order);

  AddWorkPlacement place{order_id, "Liepājas pilsētas dome", "Rožu laukums 5", "01.02.2026"};
  CheckRefused(f, ws->Execute(place), Errc::kValidation, "started_on: before the order",
               outbox_order);
  place.started_on = "09.02.2026";
  place.provider = "";
  CheckRefused(f, ws->Execute(place), Errc::kValidation, "provider:", outbox_order);
  place.provider = "Liepājas pilsētas dome";
  const std::string placement = f.Must(ws->Execute(place));

  const auto outbox_place = f.Outbox();
  auto log = [&](const char* day, std::int64_t minutes) {
    return ws->Execute(LogCommunityHours{placement, day, minutes, ""});
  };
  CheckRefused(f, log("17.03.2026", 60), Errc::kValidation, "worked_on: in the future",
               outbox_place);
  CheckRefused(f, log("01.02.2026", 60), Errc::kValidation, "worked_on: before the order",
               outbox_place);
  CheckRefused(f, log("05.02.2026", 60), Errc::kValidation, "worked_on: outside the placement",
               outbox_place);
  CheckRefused(f, log("10.02.2026", 0), Errc::kValidation, "minutes:", outbox_place);
  CheckRefused(f, log("10.02.2026", 9 * 60), Errc::kValidation, "minutes:", outbox_place);
  f.Must(log("10.02.2026", 6 * 60));
  const auto outbox_day = f.Outbox();
  auto over = log("10.02.2026", 3 * 60);  // 9 h on one day: over the default 8
  CheckRefused(f, over, Errc::kValidation, "minutes: 9 h on 2026-02-10 exceed the daily limit of 8",
               outbox_day);
  f.Must(log("10.02.2026", 2 * 60));  // exactly 8 h
  CHECK(f.Count("community_hours") == 2);

  SECTION("the unit's daily limit is a setting") {
    auto sup = f.As(f.supervisor);
    const auto o = f.Outbox();
    CheckRefused(f, sup->Execute(SetUnitSetting{"community_work.max_hours_per_day", "0"}),
                 Errc::kValidation, "value:", o);
    f.Must(sup->Execute(SetUnitSetting{"community_work.max_hours_per_day", "10"}));
    f.Must(log("10.02.2026", 2 * 60));  // 10 h now allowed
    CHECK_FALSE(log("10.02.2026", 1).ok());
  }
  SECTION("the order's total caps the hours; remaining hours in the case file") {
    for (const char* day : {"11.02.2026", "12.02.2026", "13.02.2026", "16.02.2026"})
      f.Must(log(day, 8 * 60));
    // 40 h of 40 done: one more minute is refused.
    const auto o = f.Outbox();
    CheckRefused(f, log("17.02.2026", 30), Errc::kValidation,
                 "minutes: more than the 0 h that remain", o);
    auto file = ws->CaseFile(cw);
    REQUIRE(file.ok());
    REQUIRE(file->community_orders.size() == 1);
    CHECK(file->community_orders[0].minutes_done == 40 * 60);
    CHECK(file->community_orders[0].MinutesRemaining() == 0);
  }
  SECTION("ending a placement: not before its last logged day; no hours after it ends") {
    const auto o = f.Outbox();
    CheckRefused(f, ws->Execute(EndWorkPlacement{placement, "09.02.2026"}), Errc::kValidation,
                 "ended_on: hours are logged at this placement on 2026-02-10", o);
    CheckRefused(f, ws->Execute(EndWorkPlacement{placement, "08.02.2026"}), Errc::kValidation,
                 "ended_on: before the start", o);
    f.Must(ws->Execute(EndWorkPlacement{placement, "20.02.2026"}));
    const auto o2 = f.Outbox();
    CheckRefused(f, log("21.02.2026", 60), Errc::kValidation, "worked_on: outside the placement",
                 o2);
    CheckRefused(f, ws->Execute(EndWorkPlacement{placement, "21.02.2026"}), Errc::kNotPermitted, "",
                 o2);
    auto file = ws->CaseFile(cw);
    REQUIRE(file.ok());
    REQUIRE(file->work_placements.size() == 1);
    CHECK(file->work_placements[0].ended_on == "2026-02-20");
    CHECK(file->community_orders[0].minutes_done == 8 * 60);
    CHECK(file->community_orders[0].MinutesRemaining() == 32 * 60);
    CHECK(file->community_hours.size() == 2);
  }
}

TEST_CASE("community work: a juvenile case takes an order too, a closed case takes no hours",
          "[client][casework][community]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string juvenile =
      Register(f, *ws, testing::kCode2009, "Jaunā", CaseKind::kJuvenileCommunityWork, "01.03.2026");
  const std::string order =
      f.Must(ws->Execute(OrderCommunityWork{juvenile, 20, "02.03.2026", "02.05.2026", "K-JUV-7"}));
  const std::string placement =
      f.Must(ws->Execute(AddWorkPlacement{order, "Biedrība Zaļā", "Ostas iela 2", "03.03.2026"}));
  f.Must(ws->Execute(CloseCase{juvenile, "15.03.2026"}));
  const auto o = f.Outbox();
  CheckRefused(f, ws->Execute(LogCommunityHours{placement, "04.03.2026", 120, ""}),
               Errc::kNotPermitted, "", o);
}

// ---------------------------------------------------------------------------------------
// Escalation ladder

TEST_CASE(
    "escalation: a missed contact takes one decision, the n-th warning proposes a court "
    "application that cites them",
    "[client][casework][escalation]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string a = f.RegisterBerzins(*ws);
  const std::string section = OpenSection(f, *ws, a, "01.03.2026");
  const std::string m1 = Missed(f, *ws, a, "05.03.2026");
  const std::string m2 = Missed(f, *ws, a, "09.03.2026");
  const std::string m3 = Missed(f, *ws, a, "12.03.2026");
  RecordContact planned;
  planned.case_id = a;
  planned.planned_at = "20.03.2026";
  const std::string future = f.Must(ws->Execute(planned));
  const auto outbox = f.Outbox();

  DecideMissedContact d;
  d.contact_id = future;
  CheckRefused(f, ws->Execute(d), Errc::kValidation, "contact_id: only a missed contact", outbox);
  d.contact_id = m1;
  d.decision = MissedContactDecision::kJustifiedAbsence;
  CheckRefused(f, ws->Execute(d), Errc::kValidation, "reason:", outbox);
  d.reason = "Slimības lapa";
  d.decided_on = "04.03.2026";
  CheckRefused(f, ws->Execute(d), Errc::kValidation, "decided_on: before the missed contact",
               outbox);
  d.decided_on = "17.03.2026";
  CheckRefused(f, ws->Execute(d), Errc::kValidation, "decided_on: in the future", outbox);
  d.decided_on = "06.03.2026";
  f.Must(ws->Execute(d));
  const auto outbox_m1 = f.Outbox();
  d.decision = MissedContactDecision::kWarning;
  CheckRefused(f, ws->Execute(d), Errc::kNotPermitted, "", outbox_m1);

  auto file = ws->CaseFile(a);
  REQUIRE(file.ok());
  REQUIRE(file->section_escalation.size() == 1);
  CHECK(file->section_escalation[0].justified_absences == 1);
  CHECK(file->section_escalation[0].warnings == 0);
  CHECK(file->missed_awaiting_decision == std::vector<std::string>{m2, m3});

  const std::string w1 = f.Must(ws->Execute(
      DecideMissedContact{m2, MissedContactDecision::kWarning, "Neieradās", "10.03.2026"}));
  file = ws->CaseFile(a);
  REQUIRE(file.ok());
  CHECK(file->section_escalation[0].warnings == 1);
  CHECK_FALSE(file->section_escalation[0].court_application_proposed);
  const std::string w2 = f.Must(
      ws->Execute(DecideMissedContact{m3, MissedContactDecision::kWarning, "", "13.03.2026"}));
  file = ws->CaseFile(a);
  REQUIRE(file.ok());
  const auto& e = file->section_escalation[0];
  CHECK(e.section_id == section);
  CHECK(e.warnings == 2);
  CHECK(e.threshold == 2);
  CHECK(e.uncited_warning_ids == std::vector<std::string>{w1, w2});
  CHECK(e.court_application_proposed);
  CHECK(file->missed_awaiting_decision.empty());

  SECTION("the application cites the warnings; each grounds one application") {
    const auto o = f.Outbox();
    FileCourtApplication app;
    app.case_id = a;
    app.reason = "Izvairās no uzraudzības";
    app.filed_on = "16.03.2026";
    app.warning_ids = {w1, w1};
    CheckRefused(f, ws->Execute(app), Errc::kValidation, "warning_ids[1]: given twice", o);
    const std::string justified = file->escalation[0].id;
    app.warning_ids = {w1, justified};
    CheckRefused(f, ws->Execute(app), Errc::kValidation, "warning_ids[1]: not a warning of case",
                 o);
    app.warning_ids = {w1, w2};
    const std::string application = f.Must(ws->Execute(app));
    auto after = ws->CaseFile(a);
    REQUIRE(after.ok());
    REQUIRE(after->court_applications.size() == 1);
    CHECK(after->court_applications[0].warning_ids == std::vector<std::string>{w1, w2});
    CHECK(after->section_escalation[0].warnings == 2);
    CHECK(after->section_escalation[0].uncited_warning_ids.empty());
    CHECK_FALSE(after->section_escalation[0].court_application_proposed);
    const auto o2 = f.Outbox();
    app.warning_ids = {w2};
    CheckRefused(f, ws->Execute(app), Errc::kValidation,
                 "warning_ids[0]: already grounds court application " + application, o2);
  }
  SECTION("the threshold is the unit's setting") {
    auto sup = f.As(f.supervisor);
    const auto o = f.Outbox();
    CheckRefused(f, sup->Execute(SetUnitSetting{"escalation.warnings_for_court_application", "0"}),
                 Errc::kValidation, "value:", o);
    f.Must(sup->Execute(SetUnitSetting{"escalation.warnings_for_court_application", "3"}));
    auto again = ws->CaseFile(a);
    REQUIRE(again.ok());
    CHECK(again->section_escalation[0].threshold == 3);
    CHECK_FALSE(again->section_escalation[0].court_application_proposed);
  }
}

TEST_CASE("escalation: a warning needs an open supervision section, a justified absence does not",
          "[client][casework][escalation]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string evaluation =
      Register(f, *ws, testing::kCode1999, "Cīrule", CaseKind::kEvaluationReport, "01.03.2026");
  const std::string missed = Missed(f, *ws, evaluation, "10.03.2026");
  const auto o = f.Outbox();
  CheckRefused(f, ws->Execute(DecideMissedContact{missed, MissedContactDecision::kWarning, "", ""}),
               Errc::kValidation, "contact_id: the case has no open supervision section", o);
  f.Must(ws->Execute(
      DecideMissedContact{missed, MissedContactDecision::kJustifiedAbsence, "Tiesas sēde", ""}));
  auto file = ws->CaseFile(evaluation);
  REQUIRE(file.ok());
  REQUIRE(file->escalation.size() == 1);
  CHECK(file->escalation[0].section_id.empty());
  CHECK(file->escalation[0].decided_on == "2026-03-16");
}

// ---------------------------------------------------------------------------------------
// Duplicates at registration

TEST_CASE(
    "registration: a known personal code is refused naming the person, or opens a new "
    "case for that person, a contradicting birth date is refused",
    "[client][casework][duplicates]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string first = f.RegisterBerzins(*ws);
  const std::string person = ws->CaseFile(first).value().client.person_id;
  REQUIRE_FALSE(person.empty());
  const auto o = f.Outbox();

  RegisterClient again;
  again.name = "Jānis";
  again.surname = "Bērziņš";
  again.personal_code = testing::kCode1985;
  again.birth_date = "15.03.1985";
  again.kind = CaseKind::kCommunityWork;
  auto refused = ws->Execute(again);
  CheckRefused(f, refused, Errc::kValidation,
               "personal_code: already registered for Jānis Bērziņš (person " + person + ", case " +
                   first + ")",
               o);
  again.birth_date = "16.03.1985";
  again.same_person = true;
  CheckRefused(f, ws->Execute(again), Errc::kValidation,
               "birth_date: contradicts the birth date recorded for Jānis Bērziņš (person " +
                   person + ", case " + first + ")",
               o);
  RegisterClient unknown = again;
  unknown.personal_code = testing::kCode1990;
  unknown.birth_date = "";
  CheckRefused(f, ws->Execute(unknown), Errc::kValidation,
               "personal_code: no person registered with this code", o);

  again.birth_date = "";  // not given: nothing to contradict
  const std::string second = f.Must(ws->Execute(again));
  CHECK(second != first);
  auto file = ws->CaseFile(second);
  REQUIRE(file.ok());
  CHECK(file->client.person_id == person);
  CHECK(file->case_record.kind == CaseKind::kCommunityWork);
  CHECK(f.Count("probation_case") == 2);
}

// ---------------------------------------------------------------------------------------
// Agenda: every new dated obligation once, on the right day, in the right bucket

TEST_CASE(
    "agenda: missed contacts awaiting a decision, community work deadlines and arrears, "
    "proposed court applications",
    "[client][casework][agenda]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  // A: supervision with an undecided missed contact (09.03) and two warnings (10.03, 12.03).
  const std::string a = f.RegisterBerzins(*ws);
  OpenSection(f, *ws, a, "01.03.2026");
  const std::string undecided = Missed(f, *ws, a, "09.03.2026");
  const std::string m1 = Missed(f, *ws, a, "02.03.2026");
  const std::string m2 = Missed(f, *ws, a, "04.03.2026");
  const std::string w1 = f.Must(
      ws->Execute(DecideMissedContact{m1, MissedContactDecision::kWarning, "", "10.03.2026"}));
  const std::string w2 = f.Must(
      ws->Execute(DecideMissedContact{m2, MissedContactDecision::kWarning, "", "12.03.2026"}));

  // B: 40 hours ordered 16.02, deadline 20.03 (32 days); 10 h done by 16.03 (28 days
  // elapsed): expected 40 x 60 x 28 / 32 = 2100 minutes, done 600 -> behind.
  const std::string b =
      Register(f, *ws, testing::kCode1990, "Kalna", CaseKind::kCommunityWork, "10.02.2026");
  const std::string order_b =
      f.Must(ws->Execute(OrderCommunityWork{b, 40, "16.02.2026", "20.03.2026", ""}));
  const std::string place_b =
      f.Must(ws->Execute(AddWorkPlacement{order_b, "Dome", "Rožu laukums 5", "16.02.2026"}));
  f.Must(ws->Execute(LogCommunityHours{place_b, "20.02.2026", 300, ""}));
  f.Must(ws->Execute(LogCommunityHours{place_b, "27.02.2026", 300, ""}));

  // C: 10 hours ordered 02.03, deadline 02.09; 10 h done: nothing remains, no item.
  const std::string c =
      Register(f, *ws, testing::kCode1999, "Cīrule", CaseKind::kCommunityWork, "01.03.2026");
  const std::string order_c =
      f.Must(ws->Execute(OrderCommunityWork{c, 10, "02.03.2026", "02.09.2026", ""}));
  const std::string place_c =
      f.Must(ws->Execute(AddWorkPlacement{order_c, "Dome", "Rožu laukums 5", "02.03.2026"}));
  f.Must(ws->Execute(LogCommunityHours{place_c, "03.03.2026", 480, ""}));
  f.Must(ws->Execute(LogCommunityHours{place_c, "04.03.2026", 120, ""}));

  // D: 100 hours ordered 01.03, deadline 01.12 (275 days); 15 days elapsed: expected
  // 6000 x 15 / 275 = 327 minutes; 6 h = 360 done: on track, deadline beyond the week.
  const std::string d = Register(f, *ws, testing::kCode2009, "Dārziņa",
                                 CaseKind::kJuvenileCommunityWork, "01.03.2026");
  const std::string order_d =
      f.Must(ws->Execute(OrderCommunityWork{d, 100, "01.03.2026", "01.12.2026", ""}));
  const std::string place_d =
      f.Must(ws->Execute(AddWorkPlacement{order_d, "Biedrība", "Ostas iela 2", "01.03.2026"}));
  f.Must(ws->Execute(LogCommunityHours{place_d, "07.03.2026", 360, ""}));

  auto agenda = BuildAgenda(*ws, f.db);
  REQUIRE(agenda.ok());

  CHECK(CountItems(*agenda, AgendaKind::kMissedContactDecision, a) == 1);
  const AgendaItem* missed = Find(*agenda, AgendaKind::kMissedContactDecision, a);
  REQUIRE(missed != nullptr);
  CHECK(missed->record_id == undecided);
  CHECK(missed->due_on == "2026-03-09");
  CHECK(missed->bucket == AgendaBucket::kOverdue);

  CHECK(CountItems(*agenda, AgendaKind::kCourtApplicationProposed, a) == 1);
  const AgendaItem* proposed = Find(*agenda, AgendaKind::kCourtApplicationProposed, a);
  REQUIRE(proposed != nullptr);
  CHECK(proposed->due_on == "2026-03-12");
  CHECK(proposed->bucket == AgendaBucket::kOverdue);
  CHECK(proposed->detail == "2");

  CHECK(CountItems(*agenda, AgendaKind::kCommunityDeadline, b) == 1);
  const AgendaItem* deadline = Find(*agenda, AgendaKind::kCommunityDeadline, b);
  REQUIRE(deadline != nullptr);
  CHECK(deadline->due_on == "2026-03-20");
  CHECK(deadline->bucket == AgendaBucket::kThisWeek);
  CHECK(deadline->record_id == order_b);
  CHECK(deadline->detail == "1800");  // 30 h remaining

  CHECK(CountItems(*agenda, AgendaKind::kCommunityBehind, b) == 1);
  const AgendaItem* behind = Find(*agenda, AgendaKind::kCommunityBehind, b);
  REQUIRE(behind != nullptr);
  CHECK(behind->due_on == "2026-03-16");
  CHECK(behind->bucket == AgendaBucket::kToday);
  CHECK(behind->detail == "600/2100");

  CHECK(CountItems(*agenda, AgendaKind::kCommunityDeadline, c) == 0);
  CHECK(CountItems(*agenda, AgendaKind::kCommunityBehind, c) == 0);
  CHECK(CountItems(*agenda, AgendaKind::kCommunityDeadline, d) == 0);
  CHECK(CountItems(*agenda, AgendaKind::kCommunityBehind, d) == 0);
  // No supervision section, no contact interval: B, C and D have no contact_due.
  CHECK(CountItems(*agenda, AgendaKind::kContactDue, b) == 0);

  SECTION("decisions and the application take the items off") {
    f.Must(ws->Execute(DecideMissedContact{undecided, MissedContactDecision::kJustifiedAbsence,
                                           "Slimība", "16.03.2026"}));
    FileCourtApplication app;
    app.case_id = a;
    app.reason = "Izvairās";
    app.warning_ids = {w1, w2};
    f.Must(ws->Execute(app));
    auto later = BuildAgenda(*ws, f.db);
    REQUIRE(later.ok());
    CHECK(CountItems(*later, AgendaKind::kMissedContactDecision, a) == 0);
    CHECK(CountItems(*later, AgendaKind::kCourtApplicationProposed, a) == 0);
  }
  SECTION("past the deadline with hours left: overdue, and no longer 'behind'") {
    auto later = BuildAgenda(*ws, f.db, "23.03.2026");
    REQUIRE(later.ok());
    const AgendaItem* late = Find(*later, AgendaKind::kCommunityDeadline, b);
    REQUIRE(late != nullptr);
    CHECK(late->bucket == AgendaBucket::kOverdue);
    CHECK(CountItems(*later, AgendaKind::kCommunityBehind, b) == 0);
  }
}

// ---------------------------------------------------------------------------------------
// Caseload risk and indicators

TEST_CASE(
    "caseload: risk from the latest signed assessment, no contact interval without an "
    "open section",
    "[client][casework][caseload]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string a = f.RegisterBerzins(*ws);  // opened 01.03.2026
  RecordAssessment ra;
  ra.case_id = a;
  ra.instrument_version = "2023";
  ra.assessed_on = "02.03.2026";
  ra.risk_level = RiskLevel::kLow;
  const std::string signed_one = f.Must(ws->Execute(ra));
  auto row = [&](const std::string& id) {
    CaseloadFilter all;
    auto rows = ws->Caseload(all).value();
    for (const auto& r : rows)
      if (r.case_id == id) return r;
    FAIL("case not listed");
    return CaseloadRow{};
  };
  CHECK_FALSE(row(a).risk_level.has_value());  // an unsigned draft decides nothing
  f.Must(ws->Execute(SignAssessment{signed_one}));
  REQUIRE(row(a).risk_level.has_value());
  CHECK(*row(a).risk_level == RiskLevel::kLow);
  ra.assessed_on = "10.03.2026";
  ra.risk_level = RiskLevel::kVeryHigh;
  const std::string draft = f.Must(ws->Execute(ra));
  CHECK(*row(a).risk_level == RiskLevel::kLow);  // the newer draft is not signed
  f.Must(ws->Execute(SignAssessment{draft}));
  CHECK(*row(a).risk_level == RiskLevel::kVeryHigh);

  // An evaluation case opened 01.01.2026 without contacts: 74 days, beyond the 30-day
  // unassessed interval, but it has no section, so it is not overdue; with one, it is.
  const std::string e =
      Register(f, *ws, testing::kCode1999, "Cīrule", CaseKind::kEvaluationReport, "01.01.2026");
  CHECK_FALSE(row(e).overdue);
  OpenSection(f, *ws, e, "01.01.2026");
  CHECK(row(e).overdue);
  // A planned contact whose date has passed is overdue with or without a section.
  const std::string m =
      Register(f, *ws, testing::kCode2009, "Dārziņa", CaseKind::kMediation, "01.03.2026");
  CHECK_FALSE(row(m).overdue);
  RecordContact planned;
  planned.case_id = m;
  planned.planned_at = "13.03.2026";
  f.Must(ws->Execute(planned));
  CHECK(row(m).overdue);
}

TEST_CASE(
    "indicators: ESF+ counts persons given a resocialisation service, once each, not "
    "anyone with a held contact (hand-computed)",
    "[client][casework][indicators]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  auto programmes = ws->Programmes().value();
  REQUIRE_FALSE(programmes.empty());
  const std::string programme = programmes[0].id;
  auto enrol = [&](const std::string& case_id, bool attended, const char* session) {
    f.Must(ws->Execute(RecordConsent{case_id, programme, ConsentDecision::kGiven, "02.03.2026"}));
    ReferToProgramme ref;
    ref.case_id = case_id;
    ref.programme_id = programme;
    ref.need = NeedDomain::kThinkingBehaviour;
    ref.risk_level = RiskLevel::kMedium;
    ref.referred_on = "02.03.2026";
    const std::string referral = f.Must(ws->Execute(ref));
    f.Must(ws->Execute(EnrolInProgramme{referral, "03.03.2026"}));
    f.Must(ws->Execute(RecordAttendance{referral, session, attended, ""}));
  };
  // P1: a held contact only -> not supported in the measure's sense.
  const std::string p1 = f.RegisterBerzins(*ws);
  RecordContact held;
  held.case_id = p1;
  held.planned_at = "05.03.2026";
  held.status = ContactStatus::kHeld;
  f.Must(ws->Execute(held));
  // P2: attended a programme session -> 1.
  const std::string p2 =
      Register(f, *ws, testing::kCode1990, "Kalna", CaseKind::kConditionalSentence, "01.03.2026");
  enrol(p2, true, "04.03.2026");
  // P3: two cases of one person, a session attended in each -> 1 more (once).
  const std::string p3 =
      Register(f, *ws, testing::kCode1999, "Cīrule", CaseKind::kConditionalSentence, "01.03.2026");
  RegisterClient again;
  again.name = "Anna";
  again.surname = "Cīrule";
  again.personal_code = testing::kCode1999;
  again.kind = CaseKind::kCommunityWork;
  again.opened_on = "02.03.2026";
  again.same_person = true;
  const std::string p3b = f.Must(ws->Execute(again));
  enrol(p3, true, "05.03.2026");
  enrol(p3b, true, "06.03.2026");
  // P4: a rehabilitation-centre placement from 10.03.2026 -> 1 more.
  const std::string p4 =
      Register(f, *ws, testing::kCode2009, "Dārziņa", CaseKind::kConditionalSentence, "01.03.2026");
  f.Must(ws->Execute(PlaceInRehabilitationCentre{p4, "Sociālās rehabilitācijas centrs Ozoli",
                                                 "10.03.2026", "10.06.2026", 2000}));
  // P5: referred and enrolled, but absent from the session -> not counted.
  const std::string p5 =
      Register(f, *ws, "010101-01230", "Ozola", CaseKind::kConditionalSentence, "01.03.2026");
  enrol(p5, false, "05.03.2026");

  auto ind = ComputeIndicators(*ws, f.db, 2026);
  REQUIRE(ind.ok());
  CHECK(ind->esf_unique_clients == 3);  // P2, P3, P4
  auto previous = ComputeIndicators(*ws, f.db, 2025);
  REQUIRE(previous.ok());
  CHECK(previous->esf_unique_clients == 0);
}
