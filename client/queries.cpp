// Workspace queries: set-based reads into immutable view structs. One statement per table
// per view (never a statement per row), so a caseload of 10,000 cases costs a handful of
// index scans.
#include <algorithm>
#include <map>
#include <tuple>

#include "client/history.hpp"
#include "client/queries_internal.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

// ---- helpers declared in queries_internal.hpp -----------------------------------------------

std::string detail::LikePattern(std::string_view search) {
  std::string folded = FoldForSearch(search);
  std::string out = "%";
  for (char c : folded) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

Correction detail::ReadCorrection(Statement& s) {
  Correction c;
  c.id = s.Text(0);
  c.target_table = s.Text(1);
  c.target_id = s.Text(2);
  c.field = s.Text(3);
  c.value = s.Text(4);
  c.reason = s.Text(5);
  c.author_id = s.Text(6);
  c.at = s.Text(7);
  return c;
}

namespace {

// Contact interval in days per risk level, from unit settings with defaults.
Result<std::map<std::string, std::int64_t>> ContactIntervals(Ctx& ctx, std::string_view unit_id) {
  std::map<std::string, std::int64_t> out;
  for (const auto& d : kContactIntervalDefaults) {
    out[d.level == "unassessed" ? std::string() : std::string(d.level)] = d.days;
  }
  LV_ASSIGN(Statement st,
            ctx.db.Prepare("SELECT name, value FROM unit_setting WHERE unit_id=? AND name LIKE "
                           "'contact_interval_days.%'"));
  st.Bind(1, unit_id);
  LV_TRY(ForEach(st, [&](Statement& s) {
    std::string key = s.Text(0).substr(std::string("contact_interval_days.").size());
    if (key == "unassessed") key.clear();
    try {
      const long long v = std::stoll(s.Text(1));
      if (v > 0 && out.count(key)) out[key] = v;
    } catch (const std::exception&) {
      // A malformed setting keeps the default.
    }
  }));
  return out;
}

Client ReadClient(Statement& s, int i) {
  Client c;
  c.id = s.Text(i++);
  c.person_id = s.Text(i++);
  c.case_id = s.Text(i++);
  c.name = s.Text(i++);
  c.surname = s.Text(i++);
  c.personal_code = s.Text(i++);
  c.birth_date = s.Text(i++);
  c.phone = s.Text(i++);
  c.email = s.Text(i++);
  c.address = s.Text(i++);
  c.municipality = s.Text(i++);
  c.tags = SplitCodes<ClientTag>(s.Text(i++));
  return c;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Caseload

Result<std::vector<CaseloadRow>> Workspace::Caseload(const CaseloadFilter& filter) {
  LV_WORKSPACE_CTX;
  if (!CanListCaseload(actor_)) return NotPermitted("list caseloads");
  std::string officer = filter.officer_id;
  std::string unit;  // supervisors: the unit
  if (actor_.role == Role::kOfficer) {
    if (!officer.empty() && officer != actor_.user_id)
      return NotPermitted("list another officer's caseload");
    officer = actor_.user_id;
  } else {
    unit = actor_.unit_id;
  }
  LV_ASSIGN(auto intervals, ContactIntervals(ctx, actor_.unit_id));
  // One statement. The per-case facts are correlated subqueries answered from the
  // (case_id, ...) indexes, so the cost follows the rows listed, not the whole store.
  // MATERIALIZED keeps SQLite from flattening the subquery into the outer one, which would
  // re-run each correlated subquery once per reference (select list, overdue, risk filter).
  static constexpr std::string_view kSql = R"sql(
WITH listed AS MATERIALIZED (
  SELECT c.id, c.client_id, cl.name, cl.surname, cl.personal_code, c.kind, c.status, c.unit_id,
         c.responsible_officer_id, u.display_name AS officer_name, c.opened_on,
         (SELECT a.risk_level FROM assessment a WHERE a.case_id = c.id
           AND a.signed_at IS NOT NULL
           ORDER BY a.assessed_on DESC, a.rowid DESC LIMIT 1) AS risk_level,
         (SELECT max(k.held_on) FROM contact k WHERE k.case_id = c.id AND k.status = 'held') AS last_held,
         (SELECT min(k.planned_at) FROM contact k WHERE k.case_id = c.id AND k.status = 'planned')
           AS next_planned,
         EXISTS (SELECT 1 FROM supervision_section s WHERE s.case_id = c.id AND s.status = 'open')
           AS open_section,
         (c.status = 'closed' AND (c.kind = 'juvenile_community_work' OR
           ',' || coalesce(cl.tags, '') || ',' LIKE '%,juvenile,%')) AS sealed
  FROM probation_case c
  LEFT JOIN client cl ON cl.id = c.client_id
  LEFT JOIN org_user u ON u.id = c.responsible_officer_id
  WHERE (?7 = '' OR c.unit_id = ?7)
    AND (?8 = '' OR c.responsible_officer_id = ?8)
    AND (?9 = '' OR c.kind = ?9)
    AND (?10 = '' OR c.status = ?10)
    AND (?12 = '%%' OR cl.name_fold LIKE ?12 ESCAPE '\'))
SELECT id, client_id, name, surname, personal_code, kind, status, unit_id, responsible_officer_id,
       officer_name, opened_on, risk_level, last_held, next_planned, open_section,
       status = 'open' AND (
         (next_planned IS NOT NULL AND substr(next_planned, 1, 10) < ?1) OR
         (open_section AND julianday(?1) - julianday(coalesce(last_held, opened_on)) >
            CASE risk_level WHEN 'low' THEN ?2 WHEN 'medium' THEN ?3 WHEN 'high' THEN ?4
                            WHEN 'very_high' THEN ?5 ELSE ?6 END)) AS overdue,
       sealed
FROM listed
WHERE (?11 = '' OR risk_level = ?11)
)sql";
  LV_ASSIGN(Statement st, db_.Prepare(kSql));
  st.Bind(1, ctx.today);
  st.Bind(2, intervals["low"]);
  st.Bind(3, intervals["medium"]);
  st.Bind(4, intervals["high"]);
  st.Bind(5, intervals["very_high"]);
  st.Bind(6, intervals[""]);
  st.Bind(7, unit);
  st.Bind(8, officer);
  st.Bind(9, filter.kind ? std::string(Code(*filter.kind)) : std::string());
  st.Bind(10, filter.status ? std::string(Code(*filter.status)) : std::string());
  st.Bind(11, filter.risk_level ? std::string(Code(*filter.risk_level)) : std::string());
  st.Bind(12, LikePattern(filter.search));
  std::vector<CaseloadRow> rows;
  LV_TRY(ForEach(st, [&](Statement& s) {
    CaseloadRow r;
    r.case_id = s.Text(0);
    r.client_id = s.Text(1);
    r.name = s.Text(2);
    r.surname = s.Text(3);
    r.personal_code = s.Text(4);
    r.kind = DecodeOr(s.Text(5), CaseKind::kConditionalSentence);
    r.status = DecodeOr(s.Text(6), CaseStatus::kOpen);
    r.unit_id = s.Text(7);
    r.responsible_officer_id = s.Text(8);
    r.responsible_officer_name = s.Text(9);
    r.opened_on = s.Text(10);
    r.risk_level = DecodeOpt<RiskLevel>(s.Text(11));
    r.last_contact_on = s.Text(12);
    r.next_contact_at = s.Text(13);
    r.has_open_section = s.Int(14) != 0;
    r.overdue = s.Int(15) != 0;
    r.sealed = s.Int(16) != 0;
    if (r.sealed) {  // listed as sealed, without details
      r.personal_code.clear();
      r.risk_level.reset();
      r.last_contact_on.clear();
      r.next_contact_at.clear();
      r.overdue = false;
    }
    if (!filter.overdue_only || r.overdue) rows.push_back(std::move(r));
  }));
  SortLatvian(rows, [](const CaseloadRow& r) { return std::tie(r.surname, r.name, r.opened_on); });
  return rows;
}

// ---------------------------------------------------------------------------------------
// Case file

// Community work and the escalation ladder of one case file (issue 14): the order with its
// minutes done, placements, hours, the decisions on missed contacts, the warnings each court
// application rests on, and per supervision section the warnings counted against the unit's
// threshold (escalation.warnings_for_court_application).
static Result<void> ReadCasework(storage::Database& db, const std::string& id, CaseFileView& v) {
  LV_ASSIGN(v.community_orders,
            Collect<CommunityWorkOrder>(
                db,
                "SELECT o.id, o.case_id, o.ordered_on, o.deadline_on, o.court_decision_ref,"
                " o.created_by, o.hours_ordered, (SELECT coalesce(sum(h.minutes), 0) FROM"
                " community_hours h WHERE h.order_id = o.id)"
                " FROM community_order o WHERE o.case_id=? ORDER BY o.ordered_on, o.rowid",
                [](Statement& s) {
                  CommunityWorkOrder o;
                  o.id = s.Text(0);
                  o.case_id = s.Text(1);
                  o.ordered_on = s.Text(2);
                  o.deadline_on = s.Text(3);
                  o.court_decision_ref = s.Text(4);
                  o.created_by = s.Text(5);
                  o.hours_ordered = s.Int(6);
                  o.minutes_done = s.Int(7);
                  return o;
                },
                id));
  LV_ASSIGN(v.work_placements,
            Collect<WorkPlacement>(
                db,
                "SELECT id, case_id, order_id, provider, address, started_on, ended_on"
                " FROM work_placement WHERE case_id=? ORDER BY started_on DESC, rowid DESC",
                [](Statement& s) {
                  WorkPlacement p;
                  p.id = s.Text(0);
                  p.case_id = s.Text(1);
                  p.order_id = s.Text(2);
                  p.provider = s.Text(3);
                  p.address = s.Text(4);
                  p.started_on = s.Text(5);
                  p.ended_on = s.Text(6);
                  return p;
                },
                id));
  LV_ASSIGN(v.community_hours,
            Collect<CommunityHours>(
                db,
                "SELECT id, case_id, order_id, placement_id, worked_on, note, logged_by,"
                " logged_at, minutes FROM community_hours WHERE case_id=?"
                " ORDER BY worked_on DESC, rowid DESC",
                [](Statement& s) {
                  CommunityHours h;
                  h.id = s.Text(0);
                  h.case_id = s.Text(1);
                  h.order_id = s.Text(2);
                  h.placement_id = s.Text(3);
                  h.worked_on = s.Text(4);
                  h.note = s.Text(5);
                  h.logged_by = s.Text(6);
                  h.logged_at = s.Text(7);
                  h.minutes = s.Int(8);
                  return h;
                },
                id));
  LV_ASSIGN(v.escalation,
            Collect<EscalationDecision>(
                db,
                "SELECT id, case_id, contact_id, section_id, reason, decided_on, decided_by,"
                " decision FROM escalation_decision WHERE case_id=? ORDER BY decided_on, rowid",
                [](Statement& s) {
                  EscalationDecision d;
                  d.id = s.Text(0);
                  d.case_id = s.Text(1);
                  d.contact_id = s.Text(2);
                  d.section_id = s.Text(3);
                  d.reason = s.Text(4);
                  d.decided_on = s.Text(5);
                  d.decided_by = s.Text(6);
                  d.decision = DecodeOr(s.Text(7), MissedContactDecision::kWarning);
                  return d;
                },
                id));
  std::map<std::string, std::string> cited;  // warning -> application
  {
    LV_ASSIGN(Statement st, db.Prepare("SELECT decision_id, application_id FROM"
                                       " court_application_ground WHERE case_id=? ORDER BY rowid"));
    st.Bind(1, id);
    LV_TRY(ForEach(st, [&](Statement& s) {
      cited.emplace(s.Text(0), s.Text(1));
      for (auto& a : v.court_applications)
        if (a.id == s.Text(1)) a.warning_ids.push_back(s.Text(0));
    }));
  }
  LV_ASSIGN(std::int64_t threshold,
            UnitSettingInt(db, v.case_record.unit_id, kWarningThresholdSetting,
                           kDefaultWarningThreshold));
  for (const auto& section : v.sections) {
    SectionEscalation e;
    e.section_id = section.id;
    e.threshold = threshold;
    for (const auto& d : v.escalation) {
      if (d.section_id != section.id) continue;
      if (d.decision == MissedContactDecision::kJustifiedAbsence) {
        ++e.justified_absences;
        continue;
      }
      ++e.warnings;
      if (!cited.count(d.id)) e.uncited_warning_ids.push_back(d.id);
    }
    e.court_application_proposed =
        static_cast<std::int64_t>(e.uncited_warning_ids.size()) >= e.threshold;
    v.section_escalation.push_back(std::move(e));
  }
  {
    LV_ASSIGN(Statement st,
              db.Prepare("SELECT k.id FROM contact k WHERE k.case_id=? AND k.status='missed'"
                         " AND NOT EXISTS (SELECT 1 FROM escalation_decision d"
                         "  WHERE d.contact_id = k.id) ORDER BY k.planned_at, k.rowid"));
    st.Bind(1, id);
    LV_TRY(ForEach(st, [&](Statement& s) { v.missed_awaiting_decision.push_back(s.Text(0)); }));
  }
  return Ok();
}

Result<CaseFileView> Workspace::CaseFile(std::string_view case_id) {
  LV_WORKSPACE_CTX;
  // Coordinators and administrators never read case files: said whether or not this device
  // holds the case (a synced coordinator's device never receives it).
  LV_ASSIGN(CaseFacts cf, RequireCaseFileRead(ctx, case_id));

  CaseFileView v;
  {
    LV_ASSIGN(Statement st,
              db_.Prepare(
                  "SELECT c.id, c.client_id, c.unit_id, c.responsible_officer_id, c.kind, c.status,"
                  " c.opened_on, c.closed_on, u.display_name FROM probation_case c"
                  " LEFT JOIN org_user u ON u.id=c.responsible_officer_id WHERE c.id=?"));
    st.Bind(1, case_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("case", case_id);
    Case& c = v.case_record;
    c.id = st.Text(0);
    c.client_id = st.Text(1);
    c.unit_id = st.Text(2);
    c.responsible_officer_id = st.Text(3);
    c.kind = DecodeOr(st.Text(4), CaseKind::kConditionalSentence);
    c.status = DecodeOr(st.Text(5), CaseStatus::kOpen);
    c.opened_on = st.Text(6);
    c.closed_on = st.Text(7);
    v.responsible_officer_name = st.Text(8);
    v.sealed = cf.owner.sealed;
    if (cf.owner.actor_break_glass) {
      LV_ASSIGN(Statement bg,
                db_.Prepare("SELECT coalesce(max(until), '') FROM break_glass WHERE case_id=?1"
                            " AND user_id=?2 AND opened_at<=?3 AND ?3<until"));
      bg.BindAll(case_id, actor_.user_id, ctx.now);
      LV_ASSIGN(bool bg_row, bg.Step());
      if (bg_row) v.break_glass_until = bg.Text(0);
    }
  }
  {
    LV_ASSIGN(Statement st,
              db_.Prepare(
                  "SELECT id, person_id, case_id, name, surname, personal_code, birth_date, phone,"
                  " email, address, municipality, tags FROM client WHERE id=?"));
    st.Bind(1, v.case_record.client_id);
    LV_ASSIGN(bool row, st.Step());
    if (row) v.client = ReadClient(st, 0);
  }
  const std::string id(case_id);
  LV_ASSIGN(v.related_persons,
            Collect<RelatedPerson>(
                db_,
                "SELECT id, case_id, relation, kind, name, surname, phone, note FROM related_person"
                " WHERE case_id=? AND voided_at IS NULL ORDER BY rowid",
                [](Statement& s) {
                  RelatedPerson p;
                  p.id = s.Text(0);
                  p.case_id = s.Text(1);
                  p.relation = DecodeOr(s.Text(2), Relation::kFamilyMember);
                  p.kind = s.Text(3);
                  p.name = s.Text(4);
                  p.surname = s.Text(5);
                  p.phone = s.Text(6);
                  p.note = s.Text(7);
                  return p;
                },
                id));
  LV_ASSIGN(v.monitoring,
            Collect<EmEpisode>(
                db_,
                "SELECT id, case_id, started_on, planned_end_on, ended_on, outcome FROM em_episode"
                " WHERE case_id=? ORDER BY started_on DESC",
                [](Statement& s) {
                  EmEpisode e;
                  e.id = s.Text(0);
                  e.case_id = s.Text(1);
                  e.started_on = s.Text(2);
                  e.planned_end_on = s.Text(3);
                  e.ended_on = s.Text(4);
                  e.outcome = DecodeOr(s.Text(5), EmOutcome::kOngoing);
                  return e;
                },
                id));
  LV_ASSIGN(
      v.placements,
      Collect<RehabilitationPlacement>(
          db_,
          "SELECT id, case_id, centre, started_on, planned_end_on, ended_on, daily_cost_cents,"
          " vpd_daily_share_cents FROM src_placement WHERE case_id=? ORDER BY started_on DESC",
          [](Statement& s) {
            RehabilitationPlacement p;
            p.id = s.Text(0);
            p.case_id = s.Text(1);
            p.centre = s.Text(2);
            p.started_on = s.Text(3);
            p.planned_end_on = s.Text(4);
            p.ended_on = s.Text(5);
            p.daily_cost_cents = s.Int(6);
            p.vpd_daily_share_cents = s.Int(7);
            return p;
          },
          id));
  LV_ASSIGN(
      v.evaluation_requests,
      Collect<EvaluationRequest>(
          db_,
          "SELECT id, case_id, requester, requester_name, reference, received_on, deadline_on,"
          " submitted_on, status, started_on, withdrawn_on, withdrawal_reason"
          " FROM evaluation_request WHERE case_id=? ORDER BY received_on DESC",
          [](Statement& s) {
            EvaluationRequest e;
            e.id = s.Text(0);
            e.case_id = s.Text(1);
            e.requester = DecodeOr(s.Text(2), Requester::kCourt);
            e.requester_name = s.Text(3);
            e.reference = s.Text(4);
            e.received_on = s.Text(5);
            e.deadline_on = s.Text(6);
            e.submitted_on = s.Text(7);
            e.status = DecodeOr(s.Text(8), EvaluationStatus::kRequested);
            e.started_on = s.Text(9);
            e.withdrawn_on = s.Text(10);
            e.withdrawal_reason = s.Text(11);
            return e;
          },
          id));
  LV_ASSIGN(v.evaluation_reports,
            Collect<EvaluationReport>(
                db_,
                "SELECT id, case_id, request_id, circumstances, offence, risk_needs, attitude,"
                " conclusion, assessment_id, author_id, drafted_at, signed_at, signed_by"
                " FROM evaluation_report WHERE case_id=? ORDER BY drafted_at DESC",
                [](Statement& s) {
                  EvaluationReport r;
                  r.id = s.Text(0);
                  r.case_id = s.Text(1);
                  r.request_id = s.Text(2);
                  r.circumstances = s.Text(3);
                  r.offence = s.Text(4);
                  r.risk_needs = s.Text(5);
                  r.attitude = s.Text(6);
                  r.conclusion = s.Text(7);
                  r.assessment_id = s.Text(8);
                  r.author_id = s.Text(9);
                  r.drafted_at = s.Text(10);
                  r.signed_at = s.Text(11);
                  r.signed_by = s.Text(12);
                  return r;
                },
                id));
  LV_ASSIGN(v.sections,
            Collect<SupervisionSection>(
                db_,
                "SELECT id, case_id, sentence_type, court_decision_ref, obligations, opened_on,"
                " planned_end_on, closed_on, status, outcome, employment_at_opening,"
                " employment_at_closure, disability_group, no_employment_taxes_at_opening"
                " FROM supervision_section WHERE case_id=? ORDER BY opened_on DESC",
                [](Statement& s) {
                  SupervisionSection x;
                  x.id = s.Text(0);
                  x.case_id = s.Text(1);
                  x.sentence_type = s.Text(2);
                  x.court_decision_ref = s.Text(3);
                  x.obligations = s.Text(4);
                  x.opened_on = s.Text(5);
                  x.planned_end_on = s.Text(6);
                  x.closed_on = s.Text(7);
                  x.status = DecodeOr(s.Text(8), SectionStatus::kOpen);
                  x.outcome = DecodeOpt<SectionOutcome>(s.Text(9));
                  x.employment_at_opening = DecodeOr(s.Text(10), EmploymentStatus::kUnknown);
                  x.employment_at_closure = DecodeOpt<EmploymentStatus>(s.Text(11));
                  x.disability_group = DecodeOr(s.Text(12), DisabilityGroup::kNone);
                  x.no_employment_taxes_at_opening = !s.IsNull(13) && s.Int(13) != 0;
                  return x;
                },
                id));
  LV_ASSIGN(v.assessments,
            Collect<Assessment>(
                db_,
                "SELECT id, case_id, instrument, instrument_version, assessed_on, assessor_id,"
                " total_score, item_scores, risk_level, needs, signed_at, signed_by, supersedes_id"
                " FROM assessment WHERE case_id=? ORDER BY assessed_on DESC, rowid DESC",
                [](Statement& s) {
                  Assessment a;
                  a.id = s.Text(0);
                  a.case_id = s.Text(1);
                  a.instrument = DecodeOr(s.Text(2), Instrument::kVpdRvn);
                  a.instrument_version = s.Text(3);
                  a.assessed_on = s.Text(4);
                  a.assessor_id = s.Text(5);
                  a.total_score = s.Int(6);
                  a.item_scores = s.Text(7);
                  a.risk_level = DecodeOr(s.Text(8), RiskLevel::kLow);
                  a.needs = SplitCodes<NeedDomain>(s.Text(9));
                  a.signed_at = s.Text(10);
                  a.signed_by = s.Text(11);
                  a.supersedes_id = s.Text(12);
                  return a;
                },
                id));
  LV_ASSIGN(v.plans, Collect<Plan>(
                         db_,
                         "SELECT id, case_id, created_on, next_review_on, author_id, "
                         "supersedes_id, version, status"
                         " FROM res_plan WHERE case_id=? ORDER BY version DESC",
                         [](Statement& s) {
                           Plan p;
                           p.id = s.Text(0);
                           p.case_id = s.Text(1);
                           p.created_on = s.Text(2);
                           p.next_review_on = s.Text(3);
                           p.author_id = s.Text(4);
                           p.supersedes_id = s.Text(5);
                           p.version = s.Int(6);
                           p.status = DecodeOr(s.Text(7), PlanStatus::kActive);
                           return p;
                         },
                         id));
  {
    LV_ASSIGN(
        auto goals,
        Collect<PlanGoal>(
            db_,
            "SELECT g.id, g.plan_id, g.goal, g.need, g.interventions, g.review_on FROM plan_goal g"
            " JOIN res_plan p ON p.id=g.plan_id WHERE p.case_id=? ORDER BY g.rowid",
            [](Statement& s) {
              PlanGoal g;
              g.id = s.Text(0);
              g.plan_id = s.Text(1);
              g.goal = s.Text(2);
              g.need = DecodeOpt<NeedDomain>(s.Text(3));
              g.interventions = s.Text(4);
              g.review_on = s.Text(5);
              return g;
            },
            id));
    for (PlanGoal& g : goals) {
      for (Plan& p : v.plans) {
        if (p.id == g.plan_id) p.goals.push_back(std::move(g));
      }
    }
  }
  LV_ASSIGN(v.contacts,
            Collect<Contact>(
                db_,
                "SELECT id, case_id, officer_id, planned_at, status, mode, held_on, outcome, note"
                " FROM contact WHERE case_id=? ORDER BY planned_at DESC",
                [](Statement& s) {
                  Contact c;
                  c.id = s.Text(0);
                  c.case_id = s.Text(1);
                  c.officer_id = s.Text(2);
                  c.planned_at = s.Text(3);
                  c.status = DecodeOr(s.Text(4), ContactStatus::kPlanned);
                  c.mode = DecodeOr(s.Text(5), ContactMode::kInPerson);
                  c.held_on = s.Text(6);
                  c.outcome = s.Text(7);
                  c.note = s.Text(8);
                  return c;
                },
                id));
  LV_ASSIGN(v.violations,
            Collect<Violation>(
                db_,
                "SELECT id, case_id, occurred_on, description, recorded_by, kind FROM violation"
                " WHERE case_id=? ORDER BY occurred_on DESC",
                [](Statement& s) {
                  Violation x;
                  x.id = s.Text(0);
                  x.case_id = s.Text(1);
                  x.occurred_on = s.Text(2);
                  x.description = s.Text(3);
                  x.recorded_by = s.Text(4);
                  x.kind = DecodeOr(s.Text(5), ViolationKind::kWarning);
                  return x;
                },
                id));
  LV_ASSIGN(v.court_applications,
            Collect<CourtApplication>(
                db_,
                "SELECT id, case_id, filed_on, reason, decision, decided_on, kind"
                " FROM court_application WHERE case_id=? ORDER BY filed_on DESC",
                [](Statement& s) {
                  CourtApplication x;
                  x.id = s.Text(0);
                  x.case_id = s.Text(1);
                  x.filed_on = s.Text(2);
                  x.reason = s.Text(3);
                  x.decision = s.Text(4);
                  x.decided_on = s.Text(5);
                  x.kind = DecodeOr(s.Text(6), CourtApplicationKind::kOther);
                  return x;
                },
                id));
  LV_ASSIGN(v.consents, Collect<Consent>(
                            db_,
                            "SELECT c.id, c.case_id, c.programme_id, c.given_on, c.recorded_by,"
                            " c.decision, p.name FROM consent c"
                            " LEFT JOIN programme p ON p.id=c.programme_id"
                            " WHERE c.case_id=? ORDER BY c.given_on, c.rowid",
                            [](Statement& s) {
                              Consent x;
                              x.id = s.Text(0);
                              x.case_id = s.Text(1);
                              x.programme_id = s.Text(2);
                              x.given_on = s.Text(3);
                              x.recorded_by = s.Text(4);
                              x.decision = DecodeOr(s.Text(5), ConsentDecision::kGiven);
                              x.programme_name = s.Text(6);
                              return x;
                            },
                            id));
  LV_ASSIGN(v.mentoring_referrals,
            Collect<MentoringReferral>(
                db_,
                "SELECT id, case_id, consent_on, referred_on, referred_by, ended_on, ended_by,"
                " coalesce(circle, 0) FROM mentoring_referral WHERE case_id=?"
                " ORDER BY referred_on DESC, id",
                [](Statement& s) {
                  MentoringReferral x;
                  x.id = s.Text(0);
                  x.case_id = s.Text(1);
                  x.consent_on = s.Text(2);
                  x.referred_on = s.Text(3);
                  x.referred_by = s.Text(4);
                  x.ended_on = s.Text(5);
                  x.ended_by = s.Text(6);
                  x.circle = s.Int(7) != 0;
                  return x;
                },
                id));
  LV_ASSIGN(
      v.referrals,
      Collect<Referral>(
          db_,
          "SELECT r.id, r.case_id, r.programme_id, r.consent_id, r.referred_on, r.enrolled_on,"
          " r.ended_on, r.need, r.risk_level, r.status,"
          " (SELECT count(*) FROM attendance a WHERE a.referral_id=r.id AND a.attended=1),"
          " p.name FROM referral r LEFT JOIN programme p ON p.id=r.programme_id"
          " WHERE r.case_id=? ORDER BY r.referred_on DESC",
          [](Statement& s) {
            Referral x;
            x.id = s.Text(0);
            x.case_id = s.Text(1);
            x.programme_id = s.Text(2);
            x.consent_id = s.Text(3);
            x.referred_on = s.Text(4);
            x.enrolled_on = s.Text(5);
            x.ended_on = s.Text(6);
            x.need = DecodeOpt<NeedDomain>(s.Text(7));
            x.risk_level = DecodeOr(s.Text(8), RiskLevel::kLow);
            x.status = DecodeOr(s.Text(9), ReferralStatus::kReferred);
            x.sessions_attended = s.Int(10);
            x.programme_name = s.Text(11);
            return x;
          },
          id));
  LV_ASSIGN(v.attendance, Collect<Attendance>(
                              db_,
                              "SELECT id, referral_id, session_on, note, attended FROM attendance"
                              " WHERE case_id=? ORDER BY session_on",
                              [](Statement& s) {
                                Attendance x;
                                x.id = s.Text(0);
                                x.referral_id = s.Text(1);
                                x.session_on = s.Text(2);
                                x.note = s.Text(3);
                                x.attended = s.Int(4) != 0;
                                return x;
                              },
                              id));
  LV_ASSIGN(v.notes,
            Collect<Note>(
                db_,
                "SELECT id, case_id, subject_table, subject_id, body, author_id, written_at"
                " FROM note WHERE case_id=? ORDER BY written_at, rowid",
                [](Statement& s) {
                  Note n;
                  n.id = s.Text(0);
                  n.case_id = s.Text(1);
                  n.subject_table = s.Text(2);
                  n.subject_id = s.Text(3);
                  n.body = s.Text(4);
                  n.author_id = s.Text(5);
                  n.written_at = s.Text(6);
                  return n;
                },
                id));
  LV_TRY(ReadCasework(db_, id, v));
  if (v.case_record.kind == CaseKind::kMediation)
    LV_TRY(ReadMediation(db_, id, v.case_record.unit_id, v.mediation));
  const std::string scope = CaseScope(case_id);
  LV_ASSIGN(
      v.corrections,
      Collect<Correction>(db_,
                          "SELECT id, target_table, target_id, field, value, reason, author_id, at"
                          " FROM correction WHERE scope=? ORDER BY at, rowid",
                          ReadCorrection, scope));
  // Countersignatures, oldest first; two supervisors offline may both countersign one record:
  // the first counts and the record is listed once.
  LV_ASSIGN(v.countersignatures,
            Collect<Countersignature>(
                db_,
                "SELECT c.id, c.case_id, c.record_table, c.record_id, c.remark, c.signed_by,"
                " c.signed_at, coalesce(u.display_name, '') FROM countersignature c"
                " LEFT JOIN org_user u ON u.id=c.signed_by"
                " WHERE c.case_id=?1 AND c.id = (SELECT f.id FROM countersignature f"
                "  WHERE f.case_id=?1 AND f.record_table=c.record_table"
                "  AND f.record_id=c.record_id ORDER BY f.signed_at, f.id LIMIT 1)"
                " ORDER BY c.signed_at, c.rowid",
                [](Statement& s) {
                  Countersignature x;
                  x.id = s.Text(0);
                  x.case_id = s.Text(1);
                  x.record_table = s.Text(2);
                  x.record_id = s.Text(3);
                  x.remark = s.Text(4);
                  x.signed_by = s.Text(5);
                  x.signed_at = s.Text(6);
                  x.signed_by_name = s.Text(7);
                  return x;
                },
                id));
  LV_ASSIGN(v.transfers, ReadCaseTransfers(db_, id));
  // Reads of a case file are audited (the entry replicates with the case).
  LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(db_));
  LV_TRY(Audit(ctx, scope, "read", "probation_case", case_id, "case_file"));
  LV_TRY(tx.Commit());
  return v;
}

// ---------------------------------------------------------------------------------------
// History

Result<HistoryView> Workspace::History(std::string_view target_table, std::string_view target_id) {
  LV_WORKSPACE_CTX;
  const sync::TableSpec* spec = replica_.FindTable(target_table);
  if (spec == nullptr) return MakeError(Errc::kValidation, "target_table: unknown record kind");
  LV_TRY(RequireId(target_id, "target_id"));
  std::string scope;
  {
    LV_ASSIGN(Statement st, db_.Prepare("SELECT scope FROM " + spec->name + " WHERE id=?"));
    st.Bind(1, target_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound(target_table, target_id);
    scope = st.Text(0);
  }
  LV_TRY(RequireScopeRead(ctx, scope));
  HistoryView h;
  h.target_table = spec->name;
  h.target_id = std::string(target_id);
  const std::string id(target_id);
  // Audit entries of the record and of any version in its supersedes chain, plus corrections.
  std::vector<std::string> chain{id};
  const bool versioned =
      spec->name == "assessment" || spec->name == "res_plan" || spec->name == "mappa_meeting";
  if (versioned) {
    // Walk both directions; chains are short (a handful of versions).
    for (size_t i = 0; i < chain.size() && chain.size() < 64; ++i) {
      LV_ASSIGN(Statement st, db_.Prepare("SELECT supersedes_id FROM " + spec->name +
                                          " WHERE id=?1 AND "
                                          "supersedes_id IS NOT NULL UNION SELECT id FROM " +
                                          spec->name + " WHERE supersedes_id=?1"));
      st.Bind(1, chain[i]);
      LV_TRY(ForEach(st, [&](Statement& s) {
        std::string other = s.Text(0);
        if (std::find(chain.begin(), chain.end(), other) == chain.end()) chain.push_back(other);
      }));
    }
  }
  for (const std::string& rec : chain) {
    LV_ASSIGN(auto audits, Collect<HistoryEntry>(
                               db_,
                               "SELECT at, user_id, action, detail, target_id FROM audit"
                               " WHERE target_table=? AND target_id=? ORDER BY at, rowid",
                               [&](Statement& s) {
                                 HistoryEntry e;
                                 e.at = s.Text(0);
                                 e.user_id = s.Text(1);
                                 e.kind = s.Text(2);
                                 e.detail = AuditDetailColumns(s.Text(3));
                                 e.record_id = s.Text(4);
                                 if (e.record_id != id && e.kind == "created") e.kind = "version";
                                 return e;
                               },
                               spec->name, rec));
    for (auto& e : audits) h.entries.push_back(std::move(e));
    LV_ASSIGN(auto fixes,
              Collect<HistoryEntry>(
                  db_,
                  "SELECT at, author_id, field, value, reason, target_id FROM correction"
                  " WHERE target_table=? AND target_id=? ORDER BY at, rowid",
                  [](Statement& s) {
                    HistoryEntry e;
                    e.at = s.Text(0);
                    e.user_id = s.Text(1);
                    e.kind = "correction";
                    e.detail = s.Text(2) + "=" + s.Text(3) + " (" + s.Text(4) + ")";
                    e.record_id = s.Text(5);
                    return e;
                  },
                  spec->name, rec));
    for (auto& e : fixes) h.entries.push_back(std::move(e));
  }
  std::stable_sort(h.entries.begin(), h.entries.end(),
                   [](const HistoryEntry& a, const HistoryEntry& b) { return a.at < b.at; });
  return h;
}

// ---------------------------------------------------------------------------------------
// Directory and catalogue

Result<std::vector<Region>> Workspace::Regions() {
  if (!actor_.active) return NotPermitted("read the directory");
  return Collect<Region>(db_, "SELECT id, name FROM org_region ORDER BY name", [](Statement& s) {
    return Region{s.Text(0), s.Text(1)};
  });
}

Result<std::vector<Unit>> Workspace::Units() {
  if (!actor_.active) return NotPermitted("read the directory");
  return Collect<Unit>(db_, "SELECT id, region_id, name FROM org_unit ORDER BY name",
                       [](Statement& s) {
                         return Unit{s.Text(0), s.Text(1), s.Text(2)};
                       });
}

Result<std::vector<User>> Workspace::Users() {
  if (!actor_.active) return NotPermitted("read the directory");
  return Collect<User>(
      db_, "SELECT id, display_name, unit_id, role, active FROM org_user ORDER BY display_name",
      [](Statement& s) {
        User u;
        u.id = s.Text(0);
        u.display_name = s.Text(1);
        u.unit_id = s.Text(2);
        u.role = DecodeOr(s.Text(3), Role::kOfficer);
        u.active = s.IsNull(4) || s.Int(4) != 0;
        return u;
      });
}

Result<std::vector<Programme>> Workspace::Programmes() {
  if (!actor_.active) return NotPermitted("read the programme catalogue");
  return Collect<Programme>(
      db_,
      "SELECT id, name, target_group, provider, provider_name, mode, accreditation, active"
      " FROM programme ORDER BY name",
      [](Statement& s) {
        Programme p;
        p.id = s.Text(0);
        p.name = s.Text(1);
        p.target_group = s.Text(2);
        p.provider = DecodeOr(s.Text(3), ProgrammeProvider::kOther);
        p.provider_name = s.Text(4);
        p.mode = DecodeOr(s.Text(5), ProgrammeMode::kInPerson);
        p.accreditation = DecodeOr(s.Text(6), Accreditation::kNotAccredited);
        p.active = s.IsNull(7) || s.Int(7) != 0;
        return p;
      });
}

Result<std::string> Workspace::UnitSetting(std::string_view name) {
  if (!CanReadUnitMeetings(actor_, actor_.unit_id)) return NotPermitted("read unit settings");
  LV_ASSIGN(auto values,
            Collect<std::string>(
                db_, "SELECT value FROM unit_setting WHERE unit_id=? AND name=?",
                [](Statement& s) { return s.Text(0); }, actor_.unit_id, std::string(name)));
  return values.empty() ? std::string() : values.front();
}

}  // namespace lietvedis::client
