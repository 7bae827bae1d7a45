// Agenda and reminders: what is due for the acting user, bucketed into overdue / today /
// this week for a given date. Built over permission-checked Workspace queries: the cases are
// those Workspace::Caseload() lists for the actor (an officer's own open cases, a
// supervisor's unit), the MAPPA meetings those Workspace::MappaMeetings() returns; the dated
// rows of those cases are then read with one statement per kind (never per case). Building
// the agenda writes nothing (no audit entries: only dates and ids are read, and names from
// the caseload).
//
// Items:
//  - contact_due: the next contact a case needs by the unit's contact interval for its
//    latest risk level (unit settings contact_interval_days.<low|medium|high|very_high|
//    unassessed>, defaults 60/30/14/7/30), counted from the last held contact or the
//    opening; left out when a planned contact already falls on or before that date;
//  - planned_contact: a planned contact (one not yet held, missed or cancelled);
//  - plan_review: the active resocialisation plan's next review;
//  - evaluation_deadline: an evaluation report request not yet submitted or withdrawn;
//  - mappa_action: an action item of a MAPPA meeting about a listed case, not done, due at
//    most 30 days ago (older ones are left to the meeting's own follow-up);
//  - programme_session: for an enrolled referral, the next session expected a week after
//    the last recorded one (or the enrolment) — an estimate: the catalogue has no timetable.
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
  kProgrammeSession
};
LV_ENUM_CODES(AgendaKind, {AgendaKind::kContactDue, "contact_due"},
              {AgendaKind::kPlannedContact, "planned_contact"},
              {AgendaKind::kPlanReview, "plan_review"},
              {AgendaKind::kEvaluationDeadline, "evaluation_deadline"},
              {AgendaKind::kMappaAction, "mappa_action"},
              {AgendaKind::kProgrammeSession, "programme_session"});

enum class AgendaBucket { kOverdue, kToday, kThisWeek };
LV_ENUM_CODES(AgendaBucket, {AgendaBucket::kOverdue, "overdue"}, {AgendaBucket::kToday, "today"},
              {AgendaBucket::kThisWeek, "this_week"});

struct AgendaItem {
  AgendaKind kind = AgendaKind::kContactDue;
  AgendaBucket bucket = AgendaBucket::kToday;
  std::string due_on;     // ISO date
  std::string due_at;     // the planned date/time as recorded (planned contacts), else due_on
  std::string case_id;    // empty for a MAPPA action about several cases
  std::string record_id;  // contact, res_plan, evaluation_request, mappa_action or referral id
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
