// Agenda and reminders: what is due for the acting user, bucketed into overdue / today /
// this week for a given date. Built over permission-checked Workspace queries: the cases are
// those Workspace::Caseload() lists for the actor (an officer's own open cases, a
// supervisor's unit), the MAPPA meetings those Workspace::MappaMeetings() returns; the dated
// rows of those cases are then read with one statement per kind (never per case). Building
// the agenda writes nothing (no audit entries: only dates and ids are read, and names from
// the caseload).
//
// Items:
//  - contact_due: for a case with an open supervision section, the next contact it needs by
//    the unit's contact interval for its latest signed risk level (unit settings
//    contact_interval_days.<low|medium|high|very_high| unassessed>, defaults 60/30/14/7/30),
//    counted from the last held contact or the opening; left out when a planned contact already
//    falls on or before that date;
//  - planned_contact: a planned contact (one not yet held, missed or cancelled);
//  - plan_review: the active resocialisation plan's next review;
//  - evaluation_deadline: an evaluation report request not yet submitted or withdrawn and
//    without an unsigned draft: not yet started, or signed and waiting to be submitted
//    (detail: the requester code);
//  - evaluation_draft: a request in progress whose report is not yet signed, due on the
//    request's deadline (record_id: the request, which is also the report's id; detail: the
//    requester code);
//  - mappa_action: an action item of a MAPPA meeting about a listed case, not done, due at
//    most 30 days ago (older ones are left to the meeting's own follow-up);
//  - programme_session: for an enrolled referral, the next session expected a week after
//    the last recorded one (or the enrolment) — an estimate: the catalogue has no timetable;
//  - missed_contact_decision: a missed contact on which the officer has not yet decided
//    warning or justified absence, due on the contact's date;
//  - community_deadline: the deadline of a community work order with hours remaining
//    (detail: the minutes remaining);
//  - community_behind: an order falling behind on `today`: the minutes worked are under the
//    pro-rata share of the hours ordered for the days elapsed since the order (ordered_on to
//    deadline_on), listed once, due today (detail: "done/expected" minutes).
//  - court_application_proposed: a supervision section whose uncited warnings reached the
//    unit's threshold (escalation.warnings_for_court_application), due on the latest
//    warning's decision date (record_id: the section).
// Buckets: overdue (due before `today`), today, this_week (the next seven days). Later items
// are not listed.
//
// Threading: the writer thread (as the Workspace). Errors: kNotPermitted for roles without a
// caseload (coordinator, administrator); storage errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/model.hpp"
#include "client/workspace.hpp"

namespace lietvedis::client {

enum class AgendaKind {
  kContactDue,
  kPlannedContact,
  kPlanReview,
  kEvaluationDeadline,
  kMappaAction,
  kProgrammeSession,
  kMissedContactDecision,
  kCommunityDeadline,
  kCommunityBehind,
  kCourtApplicationProposed,
  kEvaluationDraft
};
LV_ENUM_CODES(AgendaKind, {AgendaKind::kContactDue, "contact_due"},
              {AgendaKind::kPlannedContact, "planned_contact"},
              {AgendaKind::kPlanReview, "plan_review"},
              {AgendaKind::kEvaluationDeadline, "evaluation_deadline"},
              {AgendaKind::kMappaAction, "mappa_action"},
              {AgendaKind::kProgrammeSession, "programme_session"},
              {AgendaKind::kMissedContactDecision, "missed_contact_decision"},
              {AgendaKind::kCommunityDeadline, "community_deadline"},
              {AgendaKind::kCommunityBehind, "community_behind"},
              {AgendaKind::kCourtApplicationProposed, "court_application_proposed"},
              {AgendaKind::kEvaluationDraft, "evaluation_draft"});

enum class AgendaBucket { kOverdue, kToday, kThisWeek };
LV_ENUM_CODES(AgendaBucket, {AgendaBucket::kOverdue, "overdue"}, {AgendaBucket::kToday, "today"},
              {AgendaBucket::kThisWeek, "this_week"});

struct AgendaItem {
  AgendaKind kind = AgendaKind::kContactDue;
  AgendaBucket bucket = AgendaBucket::kToday;
  std::string due_on;     // ISO date
  std::string due_at;     // the planned date/time as recorded (planned contacts), else due_on
  std::string case_id;    // empty for a MAPPA action about several cases
  std::string record_id;  // contact, res_plan, evaluation_request, mappa_action, referral,
                          // community_order or supervision_section id
  std::string client_name, client_surname;
  std::string officer_id;
  std::string detail;  // risk level code, programme name or owner institution code
};

struct Agenda {
  std::string today;
  std::vector<AgendaItem> items;  // overdue first, then today, then this week; by date within
  size_t Count(AgendaBucket bucket) const;
};

// `today`: ISO or dd.mm.yyyy; empty = the workspace's Today().
Result<Agenda> BuildAgenda(Workspace& ws, storage::Database& db, std::string_view today = {});

}  // namespace lietvedis::client
