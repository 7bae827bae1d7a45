// Agenda and reminders (contract in client/agenda.hpp).
#include "client/agenda.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "client/validation.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {
namespace {

Result<std::int64_t> Interval(Workspace& ws, std::string_view level, std::int64_t fallback) {
  LV_ASSIGN(std::string value, ws.UnitSetting("contact_interval_days." + std::string(level)));
  if (value.empty()) return fallback;
  try {
    const long long v = std::stoll(value);
    return v > 0 ? static_cast<std::int64_t>(v) : fallback;
  } catch (const std::exception&) {
    return fallback;
  }
}

// Overdue first, then today, then this week; by date within a bucket.
void SortAgenda(Agenda& agenda) {
  std::stable_sort(agenda.items.begin(), agenda.items.end(),
                   [](const AgendaItem& a, const AgendaItem& b) {
                     if (a.bucket != b.bucket) return a.bucket < b.bucket;
                     if (a.due_at != b.due_at) return a.due_at < b.due_at;
                     if (a.kind != b.kind) return a.kind < b.kind;
                     return a.record_id < b.record_id;
                   });
}

// The coordinator's agenda: her sign-off backlog (mentoring_signoff in client/agenda.hpp).
// The cards come permission-checked from ClientCards; of a session only its day, who logged
// it and when, and the assignment's volunteer name are read — never the note.
Result<void> AddMentoringSignoffs(Workspace& ws, storage::Database& db, Agenda& agenda) {
  LV_ASSIGN(std::vector<ClientCard> cards, ws.ClientCards());
  std::unordered_map<std::string, const ClientCard*> by_case;
  for (const auto& c : cards) by_case.emplace(c.case_id, &c);
  LV_ASSIGN(storage::Statement st,
            db.Prepare("SELECT m.id, m.case_id, m.held_on, coalesce(a.volunteer_name, ''),"
                       " coalesce(m.logged_at, '') FROM mentoring_session m"
                       " LEFT JOIN mentor_assignment a ON a.id = m.assignment_id"
                       " WHERE coalesce(m.logged_by, '') <> ? AND NOT EXISTS"
                       " (SELECT 1 FROM mentoring_signoff s WHERE s.session_id = m.id)"
                       " ORDER BY m.held_on, m.rowid"));
  st.Bind(1, ws.actor().user_id);
  while (true) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    const auto card = by_case.find(st.Text(1));
    const std::string held = st.Text(2);
    if (card == by_case.end() || held.size() < 10) continue;
    AgendaItem item;
    item.kind = AgendaKind::kMentoringSignoff;
    item.bucket = AgendaBucket::kThisWeek;  // waiting: no period is set for the sign-off
    item.due_on = DayOfStamp(held);
    item.due_at = item.due_on;
    item.case_id = card->first;
    item.record_id = st.Text(0);
    item.client_name = card->second->name;
    item.client_surname = card->second->surname;
    item.officer_id = card->second->responsible_officer_id;
    item.detail = st.Text(3);
    const std::string logged = st.Text(4);
    const std::string since = logged.size() >= 10 ? DayOfStamp(logged) : item.due_on;
    item.days_waiting = std::max<std::int64_t>(0, detail::DaysBetween(since, agenda.today));
    agenda.items.push_back(std::move(item));
  }
  return Ok();
}

// Break-glasses by others on the owner's cases or, for a supervisor, the unit's (break_glass
// in client/agenda.hpp). Read straight from break_glass and probation_case: a sealed or
// closed case is not in the open caseload, and its owner must still hear of the access.
Result<void> AddBreakGlasses(Workspace& ws, storage::Database& db, Agenda& agenda) {
  const Actor& a = ws.actor();
  if (!a.active || (a.role != Role::kOfficer && a.role != Role::kSupervisor)) return Ok();
  LV_ASSIGN(storage::Statement st,
            db.Prepare("SELECT b.id, b.case_id, b.opened_at, coalesce(b.reason, ''), b.user_id,"
                       " coalesce(u.display_name, ''), coalesce(cl.name, ''),"
                       " coalesce(cl.surname, ''), p.responsible_officer_id"
                       " FROM break_glass b JOIN probation_case p ON p.id=b.case_id"
                       " LEFT JOIN client cl ON cl.id=p.client_id"
                       " LEFT JOIN org_user u ON u.id=b.user_id"
                       " WHERE b.user_id<>?1 AND substr(b.opened_at, 1, 10)>=?2"
                       " AND substr(b.opened_at, 1, 10)<=?3"
                       " AND ((?4='officer' AND p.responsible_officer_id=?1)"
                       "  OR (?4='supervisor' AND p.unit_id=?5))"
                       " ORDER BY b.opened_at, b.rowid"));
  st.BindAll(a.user_id, AddDaysIso(agenda.today, -30), agenda.today, std::string(Code(a.role)),
             a.unit_id);
  while (true) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    const std::string opened = st.Text(2);
    if (opened.size() < 10) continue;
    AgendaItem item;
    item.kind = AgendaKind::kBreakGlass;
    item.bucket = AgendaBucket::kThisWeek;  // a notice: nothing falls due
    item.due_on = DayOfStamp(opened);
    item.due_at = opened;
    item.case_id = st.Text(1);
    item.record_id = st.Text(0);
    item.detail = st.Text(3);
    item.by_user_id = st.Text(4);
    item.by_user_name = st.Text(5);
    item.client_name = st.Text(6);
    item.client_surname = st.Text(7);
    item.officer_id = st.Text(8);
    agenda.items.push_back(std::move(item));
  }
  return Ok();
}

}  // namespace

size_t Agenda::Count(AgendaBucket bucket) const {
  return static_cast<size_t>(std::count_if(
      items.begin(), items.end(), [&](const AgendaItem& i) { return i.bucket == bucket; }));
}

Result<Agenda> BuildAgenda(Workspace& ws, storage::Database& db, std::string_view today_in) {
  Agenda agenda;
  if (today_in.empty()) {
    agenda.today = ws.Today();
  } else {
    LV_ASSIGN(agenda.today, ParseDate(today_in, "date"));
  }
  const std::string& today = agenda.today;
  if (ws.actor().role == Role::kVolunteerCoordinator) {  // no caseload: the sign-off backlog
    LV_TRY(AddMentoringSignoffs(ws, db, agenda));
    SortAgenda(agenda);
    return agenda;
  }
  const std::string horizon = AddDaysIso(today, 7);
  const std::string mappa_from = AddDaysIso(today, -30);

  CaseloadFilter filter;  // open cases the actor may list (permission-checked)
  LV_ASSIGN(std::vector<CaseloadRow> caseload, ws.Caseload(filter));
  std::unordered_map<std::string, const CaseloadRow*> cases;
  for (const auto& r : caseload) cases.emplace(r.case_id, &r);

  std::map<std::string, std::int64_t> interval;
  {
    for (const auto& d : kContactIntervalDefaults) {
      LV_ASSIGN(interval[std::string(d.level)], Interval(ws, d.level, d.days));
    }
  }

  // `waiting`: listed under this week whatever its date (a pending court decision).
  auto add = [&](AgendaKind kind, std::string due_at, const std::string& case_id,
                 std::string record_id, std::string detail, bool waiting = false) {
    AgendaItem item;
    item.kind = kind;
    item.due_on = DayOfStamp(due_at);
    item.due_at = std::move(due_at);
    if (item.due_on > horizon) return;
    item.bucket = waiting                ? AgendaBucket::kThisWeek
                  : item.due_on < today  ? AgendaBucket::kOverdue
                  : item.due_on == today ? AgendaBucket::kToday
                                         : AgendaBucket::kThisWeek;
    item.case_id = case_id;
    if (auto it = cases.find(case_id); it != cases.end()) {
      item.client_name = it->second->name;
      item.client_surname = it->second->surname;
      item.officer_id = it->second->responsible_officer_id;
    }
    item.record_id = std::move(record_id);
    item.detail = std::move(detail);
    agenda.items.push_back(std::move(item));
  };

  // Planned contacts (every case at once; filtered to the listed cases).
  std::unordered_map<std::string, std::string> earliest_planned;
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, case_id, planned_at FROM contact WHERE status='planned' "
                         "AND planned_at IS NOT NULL ORDER BY planned_at"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string case_id = st.Text(1);
      if (!cases.count(case_id)) continue;
      const std::string at = st.Text(2);
      earliest_planned.emplace(case_id, at.substr(0, 10));
      add(AgendaKind::kPlannedContact, at, case_id, st.Text(0), "");
    }
  }
  // Next contact due by the interval.
  for (const auto& r : caseload) {
    if (!r.has_open_section) continue;  // no contact interval outside supervision
    const std::string level = r.risk_level ? std::string(Code(*r.risk_level)) : "unassessed";
    const std::string& from = r.last_contact_on.empty() ? r.opened_on : r.last_contact_on;
    if (from.size() < 10) continue;
    const std::string due = AddDaysIso(from.substr(0, 10), static_cast<int>(interval[level]));
    if (auto p = earliest_planned.find(r.case_id); p != earliest_planned.end() && p->second <= due)
      continue;
    add(AgendaKind::kContactDue, due, r.case_id, r.case_id, level);
  }
  // Plan reviews of active plans.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, case_id, next_review_on FROM res_plan WHERE "
                         "status='active' AND next_review_on IS NOT NULL"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(1)))
        add(AgendaKind::kPlanReview, st.Text(2), st.Text(1), st.Text(0), "");
    }
  }
  // Evaluation report deadlines; a request in progress with an unsigned report is listed as
  // a draft instead.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT q.id, q.case_id, q.deadline_on, q.requester,"
                         " q.status = 'in_progress' AND r.signed_at IS NULL"
                         " FROM evaluation_request q LEFT JOIN evaluation_report r ON r.id = q.id"
                         " WHERE q.deadline_on IS NOT NULL"
                         " AND coalesce(q.status,'requested') NOT IN ('submitted','withdrawn')"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (!cases.count(st.Text(1))) continue;
      const AgendaKind kind =
          st.Int(4) != 0 ? AgendaKind::kEvaluationDraft : AgendaKind::kEvaluationDeadline;
      add(kind, st.Text(2), st.Text(1), st.Text(0), st.Text(3));
    }
  }
  // Programme sessions of enrolled referrals: a week after the last recorded session.
  {
    LV_ASSIGN(
        storage::Statement st,
        db.Prepare(
            "SELECT r.id, r.case_id, coalesce((SELECT max(a.session_on) FROM attendance a WHERE "
            "a.referral_id = r.id), r.enrolled_on), p.name FROM referral r LEFT JOIN programme p "
            "ON "
            "p.id = r.programme_id WHERE r.status='enrolled'"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string last = st.Text(2);
      if (!cases.count(st.Text(1)) || last.size() < 10) continue;
      add(AgendaKind::kProgrammeSession, AddDaysIso(last.substr(0, 10), 7), st.Text(1), st.Text(0),
          st.Text(3));
    }
  }
  // MAPPA action items of meetings about listed cases.
  std::unordered_map<std::string, std::string>
      meeting_case;  // meeting -> a listed case ("" if several)
  {
    LV_ASSIGN(std::vector<MappaMeeting> meetings, ws.MappaMeetings());
    for (const auto& m : meetings) {
      std::vector<std::string> listed;
      std::string_view ids = m.case_ids;
      while (!ids.empty()) {
        const auto comma = ids.find(',');
        std::string id(ids.substr(0, comma));
        if (cases.count(id)) listed.push_back(id);
        if (comma == std::string_view::npos) break;
        ids.remove_prefix(comma + 1);
      }
      if (!listed.empty()) meeting_case[m.id] = listed.size() == 1 ? listed[0] : std::string();
    }
    LV_ASSIGN(storage::Statement st, db.Prepare("SELECT id, meeting_id, due_on, owner_institution "
                                                "FROM mappa_action WHERE done_on IS NULL "
                                                "AND voided_at IS NULL AND due_on >= ?"));
    st.Bind(1, mappa_from);
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      auto it = meeting_case.find(st.Text(1));
      if (it != meeting_case.end())
        add(AgendaKind::kMappaAction, st.Text(2), it->second, st.Text(0), st.Text(3));
    }
  }
  // Missed contacts awaiting the officer's decision (warning or justified absence).
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT k.id, k.case_id, substr(k.planned_at, 1, 10) FROM contact k"
                         " WHERE k.status='missed' AND NOT EXISTS (SELECT 1 FROM"
                         " escalation_decision d WHERE d.contact_id = k.id)"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(1)))
        add(AgendaKind::kMissedContactDecision, st.Text(2), st.Text(1), st.Text(0), "");
    }
  }
  // Community work orders: the deadline while hours remain, and falling behind the pro-rata
  // share of the hours for the days elapsed.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT o.id, o.case_id, o.ordered_on, o.deadline_on, o.hours_ordered,"
                         " (SELECT coalesce(sum(h.minutes), 0) FROM community_hours h"
                         "  WHERE h.order_id = o.id) FROM community_order o"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string case_id = st.Text(1), ordered = st.Text(2), deadline = st.Text(3);
      if (!cases.count(case_id)) continue;
      const std::int64_t ordered_minutes = st.Int(4) * 60, done = st.Int(5);
      if (done >= ordered_minutes || deadline.size() < 10) continue;
      add(AgendaKind::kCommunityDeadline, deadline, case_id, st.Text(0),
          std::to_string(ordered_minutes - done));
      const std::int64_t span = detail::DaysBetween(ordered, deadline);
      const std::int64_t elapsed = detail::DaysBetween(ordered, today);
      if (span <= 0 || elapsed <= 0 || today > deadline) continue;
      // Expected minutes by today, rounded down: ordered x elapsed / span.
      const std::int64_t expected = ordered_minutes * elapsed / span;
      if (done < expected) {
        add(AgendaKind::kCommunityBehind, today, case_id, st.Text(0),
            std::to_string(done) + "/" + std::to_string(expected));
      }
    }
  }
  // Court applications proposed by the escalation ladder: per open section, the warnings not
  // cited by an application against the unit's threshold.
  {
    LV_ASSIGN(std::int64_t threshold,
              detail::UnitSettingInt(db, ws.actor().unit_id, kWarningThresholdSetting,
                                     kDefaultWarningThreshold));
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT s.id, s.case_id, count(*), max(d.decided_on)"
                         " FROM supervision_section s JOIN escalation_decision d"
                         "  ON d.section_id = s.id AND d.decision = 'warning'"
                         " WHERE s.status = 'open' AND NOT EXISTS (SELECT 1 FROM"
                         "  court_application_ground g WHERE g.decision_id = d.id)"
                         " GROUP BY s.id, s.case_id"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(1)) && st.Int(2) >= threshold) {
        add(AgendaKind::kCourtApplicationProposed, st.Text(3), st.Text(1), st.Text(0),
            std::to_string(st.Int(2)));
      }
    }
  }
  // Reassessment due on the active plan's next review when the latest signed assessment
  // (by assessed_on) is not newer than the plan version.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT p.case_id, p.next_review_on, a.id, a.assessed_on"
                         " FROM res_plan p JOIN assessment a ON a.id = (SELECT x.id FROM"
                         "  assessment x WHERE x.case_id = p.case_id AND x.signed_at IS NOT NULL"
                         "  ORDER BY x.assessed_on DESC, x.signed_at DESC LIMIT 1)"
                         " WHERE p.status = 'active' AND p.next_review_on IS NOT NULL"
                         " AND a.assessed_on <= p.created_on"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(0)))
        add(AgendaKind::kReassessmentDue, st.Text(1), st.Text(0), st.Text(2), st.Text(3));
    }
  }
  // Open supervision sections reaching (or past) their planned end.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, case_id, planned_end_on, sentence_type FROM"
                         " supervision_section WHERE status = 'open' AND closed_on IS NULL"
                         " AND planned_end_on IS NOT NULL AND planned_end_on <= ?"));
    st.Bind(1, horizon);
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(1)))
        add(AgendaKind::kSectionEnd, st.Text(2), st.Text(1), st.Text(0), st.Text(3));
    }
  }
  // Electronic monitoring and rehabilitation-centre placements not yet ended: planned end.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT 0, id, case_id, planned_end_on, '' FROM em_episode"
                         " WHERE ended_on IS NULL AND planned_end_on IS NOT NULL"
                         " AND planned_end_on <= ?1"
                         " UNION ALL SELECT 1, id, case_id, planned_end_on, coalesce(centre, '')"
                         " FROM src_placement WHERE ended_on IS NULL"
                         " AND planned_end_on IS NOT NULL AND planned_end_on <= ?1"));
    st.Bind(1, horizon);
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (!cases.count(st.Text(2))) continue;
      add(st.Int(0) == 0 ? AgendaKind::kEmEpisodeEnd : AgendaKind::kSrcPlacementEnd, st.Text(3),
          st.Text(2), st.Text(1), st.Text(4));
    }
  }
  // Court applications filed and still without the court's decision: waiting, this week.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, case_id, filed_on, kind FROM court_application"
                         " WHERE coalesce(decision, '') = '' AND decided_on IS NULL"
                         " AND filed_on IS NOT NULL"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(1)))
        add(AgendaKind::kCourtDecisionPending, st.Text(2), st.Text(1), st.Text(0), st.Text(3),
            /*waiting=*/true);
    }
  }
  // Unsigned drafts older than a day, due the day after their date: assessments of the listed
  // cases and MAPPA minutes the acting user recorded (a superseded version is not a draft).
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, case_id, assessed_on FROM assessment a"
                         " WHERE signed_at IS NULL AND assessed_on < ? AND NOT EXISTS"
                         " (SELECT 1 FROM assessment n WHERE n.supersedes_id = a.id)"));
    st.Bind(1, today);
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string drafted = st.Text(2);
      if (cases.count(st.Text(1)) && drafted.size() >= 10)
        add(AgendaKind::kAssessmentDraft, AddDaysIso(DayOfStamp(drafted), 1), st.Text(1),
            st.Text(0), DayOfStamp(drafted));
    }
  }
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, held_on FROM mappa_meeting m WHERE signed_at IS NULL"
                         " AND created_by = ? AND held_on < ? AND NOT EXISTS"
                         " (SELECT 1 FROM mappa_meeting n WHERE n.supersedes_id = m.id)"));
    st.Bind(1, ws.actor().user_id);
    st.Bind(2, today);
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string held = st.Text(1);
      if (held.size() < 10) continue;
      auto it = meeting_case.find(st.Text(0));
      add(AgendaKind::kMappaMinutesDraft, AddDaysIso(held.substr(0, 10), 1),
          it != meeting_case.end() ? it->second : std::string(), st.Text(0), held.substr(0, 10));
    }
  }
  // Mediation: planned meetings, and agreements waiting for their fulfilment.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, case_id, meeting_on, mode FROM mediation_meeting"
                         " WHERE status='planned' AND meeting_on IS NOT NULL"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(1)))
        add(AgendaKind::kMediationMeeting, st.Text(2), st.Text(1), st.Text(0), st.Text(3));
    }
  }
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT id, agreement_due_on, outcome_on FROM mediation"
                         " WHERE outcome='agreement' AND agreement_due_on IS NOT NULL"
                         " AND fulfilment IS NULL"));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (cases.count(st.Text(0)))
        add(AgendaKind::kMediationAgreementDue, st.Text(1), st.Text(0), st.Text(0), st.Text(2));
    }
  }
  // Cases offered to a supervisor's unit, waiting for the decision.
  if (ws.actor().role == Role::kSupervisor) {
    LV_ASSIGN(std::vector<CaseTransfer> offers, ws.Transfers(/*incoming=*/true));
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT c.name, c.surname FROM probation_case p JOIN client c"
                         " ON c.id=p.client_id WHERE p.id=?"));
    for (const CaseTransfer& t : offers) {
      if (t.offered_at.size() < 10) continue;
      add(AgendaKind::kTransferOffered, DayOfStamp(t.offered_at), t.case_id, t.id,
          t.from_unit_name.empty() ? t.from_unit_id : t.from_unit_name, /*waiting=*/true);
      st.Bind(1, t.case_id);
      LV_ASSIGN(bool row, st.Step());
      if (row) {
        agenda.items.back().client_name = st.Text(0);
        agenda.items.back().client_surname = st.Text(1);
      }
      st.Reset();
    }
  }
  LV_TRY(AddBreakGlasses(ws, db, agenda));
  SortAgenda(agenda);
  return agenda;
}

}  // namespace lietvedis::client
