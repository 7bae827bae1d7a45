// Subject access: the data this store holds about one person, for that person's request
// (right of access: Directive 2016/680 art. 14, Latvian Law on the Processing of Personal Data
// by Competent Authorities; GDPR art. 15 for the rest). client/documents/subject_access.hpp
// turns the view into a PDF and a JSON file; docs/PRIVACY.md ("Subject access") describes it.
//
// Rules (what a data-protection officer of the service expects):
//  1. Who: the responsible officer of the case the request names, or the supervisor of its
//     unit — the people who already read that file. Coordinators and administrators never
//     read case files and are refused before anything is read or written.
//  2. The person, not the case: every case on this device whose client row shares the named
//     client's person_id is gathered. A case of the person the actor may not read (another
//     officer's, another unit's) is not read: it is listed as withheld, with where to ask.
//  3. Included: the person's details as recorded in each case; related persons as recorded
//     (relation, kind, name); supervision sections with obligations; SIGNED assessments (total,
//     risk level, needs); every plan version and its goals; contacts with outcome and note;
//     violations; decisions on missed contacts; court applications and decisions; consents,
//     referrals, attendance; evaluation requests and SIGNED reports; EM episodes,
//     rehabilitation placements; community work orders, placements and hours; mentoring
//     referrals, assignments and session logs; the mediation (the mediator, the client's
//     consent, the meetings' day, mode, status and the client's attendance, the outcome, the
//     agreement's terms, due date and fulfilment, the report); transfers of the case between
//     units (units, reason, status, who offered and decided, when, the decision's note, the
//     new officer); signed MAPPA minutes naming the case (their
//     date, mode, institutions taking part and, for a meeting about this person alone, the
//     risk-management decisions and actions); notes; corrections with the original value; the
//     reads, renders and exports of the file (who, role, unit, when).
//  4. Withheld, each listed by record kind, date and ground — the content is left out of the
//     view itself, so no output can show it:
//     - a related person's phone and note (third party's personal data);
//     - an assessment's item scores (the instrument's licence; the total and level are given);
//     - an unsigned assessment or evaluation report, and unsigned MAPPA minutes: a draft is not
//       yet a record of the service — it decides nothing and may change — so its existence
//       and date are given and its content is given once signed (a new request);
//     - in MAPPA minutes: the participants' names (officials of other institutions), the
//       victim-protection decisions (the victim's safety), every disclosure (information
//       shared between institutions: the person asks the institution concerned; the
//       recipient is named), the other persons the meeting considered (counted, not named),
//       and, for a meeting about several persons, its decisions and actions (the text may
//       name the others; given after an officer's review);
//     - in a mediation: the other party (the harmed person: name, contact and consent — a
//       third party's personal data; one entry per party) and each meeting's note (it records
//       what both sides said: given after an officer's review); the unit's list of mediators
//       to choose from is not about the person and is left out without an entry;
//     - a case or a meeting the actor may not read (asked through its unit).
//  5. Audited: every case file read is an audited read (CaseFile); the package handed over is
//     one `subject_access` entry in each case scope (RecordSubjectAccess), after the files
//     are complete.
#include <algorithm>
#include <string>

#include "client/history.hpp"
#include "client/queries_internal.hpp"
#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

const char* const kGroundThirdParty =
    "trešās personas personas dati — tiesības uz trešo personu datu aizsardzību";
const char* const kGroundLicence =
    "instrumenta licence neļauj izsniegt atsevišķu jautājumu vērtējumus; kopvērtējums un riska "
    "līmenis ir norādīti";
const char* const kGroundDraft =
    "nepabeigts darba projekts (nav parakstīts): tas vēl nav dienesta lēmums un var mainīties; "
    "saturu izsniedz pēc parakstīšanas";
const char* const kGroundOtherInstitution =
    "citas iestādes sniegta vai citai iestādei nodota informācija — jāprasa attiecīgajai iestādei";
const char* const kGroundVictim =
    "cietušā aizsardzība — tiesības uz trešo personu datu aizsardzību un drošību";
const char* const kGroundJointMeeting =
    "sanāksmē izskatītas vairākas personas: teksts var saturēt citu personu datus — izsniedz pēc "
    "amatpersonas pārskatīšanas";
const char* const kGroundMediationNote =
    "izlīguma tikšanās piezīmē ierakstīts abu pušu teiktais: tā satur otras puses personas datus "
    "— izsniedz pēc amatpersonas pārskatīšanas";
const char* const kGroundNotReadable =
    "lietu pārzina cita amatpersona vai struktūrvienība — pieprasījumu izskata tās vadītājs";

bool ContainsCase(const std::string& case_ids, const std::string& case_id) {
  size_t start = 0;
  while (start <= case_ids.size()) {
    const size_t comma = case_ids.find(',', start);
    const size_t end = comma == std::string::npos ? case_ids.size() : comma;
    if (case_ids.compare(start, end - start, case_id) == 0 && end - start == case_id.size()) {
      return true;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

size_t CountCases(const std::string& case_ids) {
  if (case_ids.empty()) return 0;
  return static_cast<size_t>(std::count(case_ids.begin(), case_ids.end(), ',')) + 1;
}

}  // namespace

Result<SubjectAccessView> Workspace::SubjectAccess(std::string_view client_id) {
  LV_WORKSPACE_CTX;
  // Rule 1, before any read: nothing is audited for a refused request.
  if (actor_.role == Role::kVolunteerCoordinator || actor_.role == Role::kAdministrator ||
      !actor_.active) {
    return NotPermitted("answer a subject access request");
  }
  LV_TRY(RequireId(client_id, "client"));
  SubjectAccessView v;
  std::string named_case;
  {
    LV_ASSIGN(Statement st, db_.Prepare("SELECT person_id, case_id FROM client WHERE id=?"));
    st.Bind(1, client_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("client", client_id);
    v.person_id = st.Text(0);
    named_case = st.Text(1);
  }
  LV_ASSIGN(CaseFacts named, LoadCase(ctx, named_case));
  if (!CanReadCaseFile(actor_, named.owner)) {
    return NotPermitted("answer a subject access request for client " + std::string(client_id));
  }
  v.client_id = std::string(client_id);
  v.unit_id = named.owner.unit_id;
  v.prepared_at = ctx.now;
  v.prepared_on = ctx.today;
  v.requester_id = actor_.user_id;
  v.requester_name = actor_.display_name;

  // Rule 2: the person's cases on this device, oldest first.
  std::vector<std::string> case_ids;
  {
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT k.case_id FROM client k JOIN probation_case c ON c.id=k.case_id"
                          " WHERE k.id=?1 OR (k.person_id IS NOT NULL AND k.person_id<>''"
                          "  AND k.person_id=?2) ORDER BY c.opened_on, c.id"));
    st.Bind(1, client_id);
    st.Bind(2, v.person_id);
    LV_TRY(ForEach(st, [&](Statement& s) { case_ids.push_back(s.Text(0)); }));
  }
  case_ids.erase(std::unique(case_ids.begin(), case_ids.end()), case_ids.end());

  LV_ASSIGN(std::vector<MappaMeeting> unit_meetings, MappaMeetings());

  for (const std::string& case_id : case_ids) {
    LV_ASSIGN(CaseFacts facts, LoadCase(ctx, case_id));
    if (!CanReadCaseFile(actor_, facts.owner)) {
      v.withheld.push_back(
          {"Lieta", "probation_case", case_id, case_id, "", "", kGroundNotReadable, std::nullopt});
      continue;
    }
    SubjectCase sc;
    LV_ASSIGN(sc.file, CaseFile(case_id));
    if (case_id == named_case) v.client = sc.file.client;
    CaseFileView& f = sc.file;

    for (auto& p : f.related_persons) {
      if (!p.phone.empty() || !p.note.empty()) {
        v.withheld.push_back({"Saistītās personas tālrunis un piezīme", "related_person", case_id,
                              p.id, "", "", kGroundThirdParty, std::nullopt});
      }
      p.phone.clear();
      p.note.clear();
    }

    std::vector<Assessment> assessments;
    for (auto& a : f.assessments) {
      if (!a.IsSigned()) {
        v.withheld.push_back({"Risku un vajadzību novērtējums (projekts)", "assessment", case_id,
                              a.id, a.assessed_on, "", kGroundDraft, std::nullopt});
        continue;
      }
      if (!a.item_scores.empty()) {
        v.withheld.push_back({"Novērtējuma atsevišķu jautājumu vērtējumi", "assessment", case_id,
                              a.id, a.assessed_on, "", kGroundLicence, std::nullopt});
        a.item_scores.clear();
      }
      assessments.push_back(std::move(a));
    }
    f.assessments = std::move(assessments);

    std::vector<EvaluationReport> reports;
    for (auto& r : f.evaluation_reports) {
      if (!r.IsSigned()) {
        v.withheld.push_back({"Izvērtēšanas ziņojums (projekts)", "evaluation_report", case_id,
                              r.id, DayOfStamp(r.drafted_at), "", kGroundDraft, std::nullopt});
        continue;
      }
      reports.push_back(std::move(r));
    }
    f.evaluation_reports = std::move(reports);

    // Mediation: the other party and the meetings' notes withheld (rule 4).
    for (const MediationParty& p : f.mediation.parties) {
      v.withheld.push_back({"Izlīguma otrā puse (vārds, kontakti, piekrišana)", "mediation_party",
                            case_id, p.id, p.consent_on, "", kGroundThirdParty, std::nullopt});
    }
    f.mediation.parties.clear();
    f.mediation.mediator_choices.clear();
    for (MediationMeeting& m : f.mediation.meetings) {
      if (!m.note.empty()) {
        v.withheld.push_back({"Izlīguma tikšanās piezīme", "mediation_meeting", case_id, m.id,
                              m.meeting_on, "", kGroundMediationNote, std::nullopt});
      }
      m.note.clear();
      m.party_ids.clear();
    }

    // Mentoring: the case file's reader reads its mentoring scope (CanReadMentoring).
    LV_ASSIGN(sc.mentor_assignments,
              Collect<MentorAssignment>(
                  db_,
                  "SELECT id, case_id, volunteer_id, volunteer_name, started_on, ended_on,"
                  " assigned_by FROM mentor_assignment WHERE case_id=? ORDER BY started_on, id",
                  ReadMentorAssignment, case_id));
    LV_ASSIGN(sc.mentoring_sessions,
              Collect<MentoringSession>(
                  db_,
                  "SELECT m.id, m.assignment_id, m.case_id, m.held_on, m.note, m.logged_by,"
                  " m.logged_at, m.duration_minutes, m.mode,"
                  " (SELECT f.signed_by FROM mentoring_signoff f WHERE f.session_id=m.id"
                  "  ORDER BY f.signed_at, f.id LIMIT 1),"
                  " (SELECT f.signed_at FROM mentoring_signoff f WHERE f.session_id=m.id"
                  "  ORDER BY f.signed_at, f.id LIMIT 1)"
                  " FROM mentoring_session m WHERE m.case_id=? ORDER BY m.held_on DESC, m.id",
                  ReadMentoringSession, case_id));

    // Corrections of the case file and of its mentoring records, with the value corrected.
    std::vector<Correction> corrections = f.corrections;
    {
      LV_ASSIGN(auto mentoring_corrections,
                Collect<Correction>(db_,
                                    "SELECT id, target_table, target_id, field, value, reason,"
                                    " author_id, at FROM correction WHERE scope=? ORDER BY at, id",
                                    ReadCorrection, MentoringScope(case_id)));
      corrections.insert(corrections.end(), mentoring_corrections.begin(),
                         mentoring_corrections.end());
    }
    // A correction of something withheld (a draft, item scores, a related person's phone or
    // note) is withheld with it.
    auto withheld_ground = [&](const Correction& c) -> const char* {
      if (c.target_table == "assessment") {
        const bool given = std::any_of(f.assessments.begin(), f.assessments.end(),
                                       [&](const Assessment& a) { return a.id == c.target_id; });
        if (!given) return kGroundDraft;
        return c.field == "item_scores" ? kGroundLicence : nullptr;
      }
      if (c.target_table == "evaluation_report") {
        const bool given =
            std::any_of(f.evaluation_reports.begin(), f.evaluation_reports.end(),
                        [&](const EvaluationReport& r) { return r.id == c.target_id; });
        return given ? nullptr : kGroundDraft;
      }
      if (c.target_table == "related_person" && (c.field == "phone" || c.field == "note")) {
        return kGroundThirdParty;
      }
      if (c.target_table == "mediation_party") return kGroundThirdParty;
      if (c.target_table == "mediation_meeting" && c.field == "note") return kGroundMediationNote;
      return nullptr;
    };
    for (const Correction& c : corrections) {
      if (const char* ground = withheld_ground(c)) {
        v.withheld.push_back(
            {"Labojums", "correction", case_id, c.id, DayOfStamp(c.at), "", ground, std::nullopt});
        continue;
      }
      SubjectCorrection sc_corr{c, {}};
      const sync::TableSpec* spec = replica_.FindTable(c.target_table);
      if (spec != nullptr &&
          std::find(spec->columns.begin(), spec->columns.end(), c.field) != spec->columns.end()) {
        LV_ASSIGN(Statement st, db_.Prepare("SELECT CAST(" + c.field + " AS TEXT) FROM " +
                                            spec->name + " WHERE id=?"));
        st.Bind(1, c.target_id);
        LV_ASSIGN(bool row, st.Step());
        if (row) sc_corr.original = st.Text(0);
      }
      sc.corrections.push_back(std::move(sc_corr));
    }

    // MAPPA minutes naming the case (the actor's unit: the meetings it reads).
    for (const MappaMeeting& listed : unit_meetings) {
      if (!ContainsCase(listed.case_ids, case_id)) continue;
      const std::string day = listed.held_on;
      if (!listed.IsSigned()) {
        v.withheld.push_back({"MAPPA sanāksmes protokols (projekts)", "mappa_meeting", case_id,
                              listed.id, day, "", kGroundDraft, std::nullopt});
        continue;
      }
      LV_ASSIGN(MappaMeetingView detail, MappaMeetingDetail(listed.id));
      MappaMeeting m = std::move(detail.meeting);
      const size_t others = CountCases(m.case_ids) - 1;
      m.case_ids = case_id;
      for (auto& p : m.participants) {
        if (!p.name.empty()) {
          v.withheld.push_back({"MAPPA sanāksmes dalībnieka vārds", "mappa_participant", case_id,
                                p.id, day, "", kGroundThirdParty, p.institution});
        }
        p.name.clear();
      }
      if (!m.victim_decisions.empty()) {
        v.withheld.push_back({"MAPPA cietušo aizsardzības lēmumi", "mappa_meeting", case_id, m.id,
                              day, "", kGroundVictim, std::nullopt});
      }
      m.victim_decisions.clear();
      for (const auto& d : m.disclosures) {
        v.withheld.push_back({"MAPPA informācijas izpaušana", "mappa_disclosure", case_id, d.id,
                              day, "", kGroundOtherInstitution, d.recipient});
      }
      m.disclosures.clear();
      if (others > 0) {
        v.withheld.push_back({"Citas sanāksmē izskatītās personas", "mappa_meeting", case_id, m.id,
                              day, std::to_string(others) + " personas", kGroundThirdParty,
                              std::nullopt});
        if (!m.risk_decisions.empty() || !m.actions.empty()) {
          v.withheld.push_back({"MAPPA riska pārvaldības lēmumi un uzdevumi", "mappa_meeting",
                                case_id, m.id, day, "", kGroundJointMeeting, std::nullopt});
        }
        m.risk_decisions.clear();
        m.actions.clear();
      }
      sc.meetings.push_back(std::move(m));
    }
    v.cases.push_back(std::move(sc));
  }
  // Meetings of another unit that name the person's cases are not on the actor's list:
  // listed as withheld when this device holds them.
  {
    LV_ASSIGN(Statement st, db_.Prepare("SELECT id, held_on, case_ids, unit_id FROM mappa_meeting"
                                        " WHERE unit_id IS NOT ?"));
    st.Bind(1, actor_.unit_id);
    LV_TRY(ForEach(st, [&](Statement& s) {
      for (const auto& sc : v.cases) {
        if (ContainsCase(s.Text(2), sc.file.case_record.id)) {
          v.withheld.push_back({"MAPPA sanāksmes protokols", "mappa_meeting",
                                sc.file.case_record.id, s.Text(0), s.Text(1), "",
                                kGroundNotReadable, std::nullopt});
        }
      }
    }));
  }

  // Who read or handed on the file: reads, renders, exports and earlier subject access.
  for (const auto& sc : v.cases) {
    const std::string& case_id = sc.file.case_record.id;
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT a.at, a.action, u.display_name, u.role, n.name FROM audit a"
                          " LEFT JOIN org_user u ON u.id=a.user_id"
                          " LEFT JOIN org_unit n ON n.id=u.unit_id"
                          " WHERE a.scope IN (?1, ?2) AND a.action IN"
                          " ('read','render','export','subject_access') ORDER BY a.at, a.id"));
    st.Bind(1, CaseScope(case_id));
    st.Bind(2, MentoringScope(case_id));
    LV_TRY(ForEach(st, [&](Statement& s) {
      v.access_log.push_back({s.Text(0), case_id, s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
    }));
  }
  std::stable_sort(v.access_log.begin(), v.access_log.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  return v;
}

Result<std::string> Workspace::RecordSubjectAccess(const SubjectAccessView& view,
                                                   std::string_view formats) {
  LV_WORKSPACE_CTX;
  if (actor_.role == Role::kVolunteerCoordinator || actor_.role == Role::kAdministrator) {
    return NotPermitted("answer a subject access request");
  }
  std::vector<std::string> scopes;
  for (const auto& sc : view.cases) {
    LV_ASSIGN(CaseFacts facts, LoadCase(ctx, sc.file.case_record.id));
    if (!CanReadCaseFile(actor_, facts.owner)) {
      return NotPermitted("answer a subject access request for case " + sc.file.case_record.id);
    }
    scopes.push_back(CaseScope(sc.file.case_record.id));
  }
  const std::string detail =
      FormatSubjectAccessDetail(formats, view.cases.size(), view.withheld.size());
  return InTransaction(db_, [&]() -> Result<std::string> {
    for (const auto& scope : scopes) {
      LV_TRY(Audit(ctx, scope, "subject_access", "client", view.client_id, detail));
    }
    return view.client_id;
  });
}

}  // namespace lietvedis::client
