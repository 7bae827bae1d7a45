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
//  - reassessment_due: the model holds no reassessment interval (neither the seeds nor the
//    domain brief give one), so the review date the model has is used: for a case with an
//    active plan whose latest *signed* assessment is dated on or before the plan version's
//    creation, a new assessment is due on the plan's next review (the review should rest on
//    a fresh assessment). A signed assessment dated after the plan was created drops it;
//    a draft does not. Cases without any signed assessment are not listed (there is nothing
//    to reassess). Detail: the date of the latest signed assessment (record_id: it).
//  - section_end: an open supervision section's planned end (record_id: the section; detail:
//    the sentence type as recorded); overdue while it stays open after that day, gone once
//    the section is closed;
//  - em_episode_end: an electronic-monitoring episode not yet ended, on its planned end;
//  - src_placement_end: a rehabilitation-centre placement not yet ended, on its planned end
//    (detail: the centre);
//  - court_decision_pending: a court application filed without the court's decision. The
//    domain gives no period in which the court must decide, so nothing makes it overdue: it
//    is listed under this week as waiting, dated with its filing date (due_on = due_at =
//    filed_on; detail: the application kind code); recording the decision drops it;
//  - assessment_draft: an unsigned assessment dated before `today`, due the day after its
//    date (a draft older than a day; detail: its date);
//  - mappa_minutes_draft: unsigned minutes of a MAPPA meeting recorded by the acting user,
//    held before `today`, due the day after the meeting (case_id: the listed case when the
//    meeting is about one of them, else empty; detail: the meeting's date).
//  - mediation_meeting: a planned mediation meeting on its day, overdue while it is neither
//    marked held nor cancelled (record_id: the meeting; detail: its mode code);
//  - mediation_agreement_due: a mediation agreement's due date while its fulfilment is not
//    recorded (record_id: the case, whose id is the mediation's; detail: the outcome's day).
//  - transfer_offered (supervisors): a case another unit offers to the actor's unit, waiting
//    for the decision (client/workflows_transfer.cpp). No period is set for deciding, so it
//    is listed under this week as waiting, dated with the offer's day (record_id: the
//    transfer; detail: the sending unit's name; the client's name from the case, which the
//    receiving supervisor reads while the offer waits); accepting or declining drops it.
//  - mentoring_signoff (volunteer coordinators, the only kind on their agenda): a peer-mentoring
//    session on one of the client cards the coordinator reads (Workspace::ClientCards: her
//    unit's cards in force) that waits for a sign-off and that another coordinator logged —
//    her own entries wait for a colleague (SignOffMentoringSession's four-eyes rule) and are
//    not listed. No period is set for the sign-off, so it is listed under this week as
//    waiting, dated with the session's day, oldest first (record_id: the session; detail: the
//    volunteer's name as on the assignment; days_waiting: days since the session was logged;
//    the client's name from the card). Nothing of the case beyond the card is read: no note,
//    no duration, no mode. A sign-off drops it. Mentor assignments carry no review or planned
//    end date in the model (started_on, ended_on only), so no assignment is listed.
//  - break_glass (officers, supervisors): a case file opened by break-glass (client/
//    workflows_break_glass.cpp) in the last 30 days by someone other than the agenda's owner,
//    on a case the owner is responsible for or, for a supervisor, of the unit — sealed and
//    closed cases included. Listed under this week as a notice, dated with the day it was
//    opened, newest last (record_id: the break_glass row; detail: the reason; by_user_id and
//    by_user_name: who opened it; the client's name from the case).
// A coordinator's agenda reads no caseload; an officer's or a supervisor's lists no
// mentoring_signoff.
// Buckets: overdue (due before `today`), today, this_week (the next seven days); a pending
// court decision is always this_week. Later items are not listed.
//
// Threading: the writer thread (as the Workspace). Errors: kNotPermitted for an administrator
// (no caseload, no cards); storage errors.
#pragma once

#include <cstdint>
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
  kEvaluationDraft,
  kReassessmentDue,
  kSectionEnd,
  kEmEpisodeEnd,
  kSrcPlacementEnd,
  kCourtDecisionPending,
  kAssessmentDraft,
  kMappaMinutesDraft,
  kMediationMeeting,
  kMediationAgreementDue,
  kTransferOffered,
  kMentoringSignoff,
  kBreakGlass
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
              {AgendaKind::kEvaluationDraft, "evaluation_draft"},
              {AgendaKind::kReassessmentDue, "reassessment_due"},
              {AgendaKind::kSectionEnd, "section_end"},
              {AgendaKind::kEmEpisodeEnd, "em_episode_end"},
              {AgendaKind::kSrcPlacementEnd, "src_placement_end"},
              {AgendaKind::kCourtDecisionPending, "court_decision_pending"},
              {AgendaKind::kAssessmentDraft, "assessment_draft"},
              {AgendaKind::kMappaMinutesDraft, "mappa_minutes_draft"},
              {AgendaKind::kMediationMeeting, "mediation_meeting"},
              {AgendaKind::kMediationAgreementDue, "mediation_agreement_due"},
              {AgendaKind::kTransferOffered, "transfer_offered"},
              {AgendaKind::kMentoringSignoff, "mentoring_signoff"},
              {AgendaKind::kBreakGlass, "break_glass"});

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
                          // community_order, supervision_section, assessment, em_episode,
                          // src_placement, court_application, mappa_meeting,
                          // mediation_meeting or mentoring_session id
  std::string client_name, client_surname;
  std::string officer_id;
  std::string detail;  // risk level code, programme name, owner institution code, a date,
                       // an application kind code, a volunteer's name… (per kind, above)
  std::int64_t days_waiting = 0;         // mentoring_signoff: days since the session was logged
  std::string by_user_id, by_user_name;  // break_glass: who opened the case file
};

struct Agenda {
  std::string today;
  std::vector<AgendaItem> items;  // overdue first, then today, then this week; by date within
  size_t Count(AgendaBucket bucket) const;
};

// `today`: ISO or dd.mm.yyyy; empty = the workspace's Today().
Result<Agenda> BuildAgenda(Workspace& ws, storage::Database& db, std::string_view today = {});

}  // namespace lietvedis::client
