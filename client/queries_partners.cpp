// Workspace queries for the partners of a case: the volunteer register, client cards and
// mentoring (what a coordinator reads), and MAPPA meetings. Set-based reads into immutable view
// structs, as in queries.cpp.
#include <algorithm>
#include <map>

#include "client/queries_internal.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

MentorAssignment detail::ReadMentorAssignment(Statement& s) {
  MentorAssignment x;
  x.id = s.Text(0);
  x.case_id = s.Text(1);
  x.volunteer_id = s.Text(2);
  x.volunteer_name = s.Text(3);
  x.started_on = s.Text(4);
  x.ended_on = s.Text(5);
  x.assigned_by = s.Text(6);
  return x;
}

DisclosureLogEntry detail::ReadDisclosureLogEntry(Statement& s) {
  DisclosureLogEntry e;
  e.id = s.Text(0);
  e.meeting_id = s.Text(1);
  e.disclosure_id = s.Text(2);
  e.pack_id = s.Text(3);
  e.what = s.Text(4);
  e.to_whom = s.Text(5);
  e.legal_basis = s.Text(6);
  e.recipient = DecodeOr(s.Text(7), Institution::kOther);
  e.disclosed_by = s.Text(8);
  e.disclosed_at = s.Text(9);
  return e;
}

MentoringSession detail::ReadMentoringSession(Statement& s) {
  MentoringSession x;
  x.id = s.Text(0);
  x.assignment_id = s.Text(1);
  x.case_id = s.Text(2);
  x.held_on = s.Text(3);
  x.note = s.Text(4);
  x.logged_by = s.Text(5);
  x.logged_at = s.Text(6);
  x.duration_minutes = s.Int(7);
  x.mode = DecodeOr(s.Text(8), MentoringMode::kInPerson);
  x.signed_off_by = s.Text(9);
  x.signed_off_at = s.Text(10);
  return x;
}

// ---------------------------------------------------------------------------------------
// Volunteers and mentoring

Result<VolunteerRegisterView> Workspace::VolunteerRegister(std::string_view unit_id_in) {
  const std::string unit_id = unit_id_in.empty() ? actor_.unit_id : std::string(unit_id_in);
  if (!CanReadVolunteers(actor_, unit_id)) return NotPermitted("read the volunteer register");
  VolunteerRegisterView v;
  v.unit_id = unit_id;
  LV_ASSIGN(v.volunteers,
            Collect<Volunteer>(
                db_,
                "SELECT id, unit_id, name, surname, phone, email, registered_on, kind,"
                " stage FROM volunteer WHERE unit_id=?",
                [](Statement& s) {
                  Volunteer x;
                  x.id = s.Text(0);
                  x.unit_id = s.Text(1);
                  x.name = s.Text(2);
                  x.surname = s.Text(3);
                  x.phone = s.Text(4);
                  x.email = s.Text(5);
                  x.registered_on = s.Text(6);
                  x.kind = DecodeOr(s.Text(7), VolunteerKind::kPeerMentor);
                  x.stage = DecodeOr(s.Text(8), VolunteerStage::kApplication);
                  return x;
                },
                unit_id));
  SortLatvian(v.volunteers, [](const Volunteer& x) { return std::tie(x.surname, x.name, x.id); });
  LV_ASSIGN(v.stage_events,
            Collect<VolunteerStageEvent>(
                db_,
                "SELECT e.id, e.volunteer_id, e.on_date, e.by_user_id, e.note, e.stage"
                " FROM volunteer_stage e JOIN volunteer v ON v.id=e.volunteer_id"
                " WHERE v.unit_id=? ORDER BY e.on_date, e.rowid",
                [](Statement& s) {
                  VolunteerStageEvent x;
                  x.id = s.Text(0);
                  x.volunteer_id = s.Text(1);
                  x.on_date = s.Text(2);
                  x.by_user_id = s.Text(3);
                  x.note = s.Text(4);
                  x.stage = DecodeOr(s.Text(5), VolunteerStage::kApplication);
                  return x;
                },
                unit_id));
  LV_ASSIGN(v.active_assignments,
            Collect<MentorAssignment>(
                db_,
                "SELECT a.id, a.case_id, a.volunteer_id, a.volunteer_name, a.started_on,"
                " a.ended_on, a.assigned_by FROM mentor_assignment a"
                " JOIN volunteer v ON v.id=a.volunteer_id"
                " WHERE v.unit_id=? AND a.ended_on IS NULL ORDER BY a.started_on",
                ReadMentorAssignment, unit_id));
  return v;
}

static ClientCard ReadCard(Statement& s) {
  ClientCard c;
  c.case_id = s.Text(0);
  c.unit_id = s.Text(1);
  c.name = s.Text(2);
  c.surname = s.Text(3);
  c.phone = s.Text(4);
  c.email = s.Text(5);
  c.responsible_officer_id = s.Text(6);
  c.responsible_officer_name = s.Text(7);
  c.voided_at = s.Text(8);
  c.circle = s.Int(9) != 0;
  return c;
}

static constexpr std::string_view kCardColumns =
    "SELECT c.case_id, c.unit_id, c.name, c.surname, c.phone, c.email, c.responsible_officer_id,"
    " u.display_name, c.voided_at, coalesce(c.circle, 0) FROM client_card c"
    " LEFT JOIN org_user u ON u.id=c.responsible_officer_id ";

Result<std::vector<ClientCard>> Workspace::ClientCards(std::string_view search) {
  if (!actor_.active) return NotPermitted("read client cards");
  const bool whole_unit =
      actor_.role == Role::kVolunteerCoordinator || actor_.role == Role::kSupervisor;
  if (!whole_unit && actor_.role != Role::kOfficer) return NotPermitted("read client cards");
  const std::string sql = std::string(kCardColumns) +
                          "WHERE c.unit_id=?1 AND (?2 = '' OR c.responsible_officer_id=?2)"
                          " AND c.voided_at IS NULL AND c.name_fold LIKE ?3 ESCAPE '\\'";
  LV_ASSIGN(auto cards,
            Collect<ClientCard>(db_, sql, ReadCard, actor_.unit_id,
                                whole_unit ? std::string() : actor_.user_id, LikePattern(search)));
  SortLatvian(cards, [](const ClientCard& c) { return std::tie(c.surname, c.name, c.case_id); });
  return cards;
}

Result<MentoringView> Workspace::Mentoring(std::string_view case_id) {
  LV_WORKSPACE_CTX;
  LV_ASSIGN(CaseOwnership owner, LoadMentoringOwner(ctx, case_id));
  if (!CanReadMentoring(actor_, owner))
    return NotPermitted("read mentoring of case " + std::string(case_id));
  MentoringView v;
  const std::string id(case_id);
  {
    LV_ASSIGN(auto cards,
              Collect<ClientCard>(db_, std::string(kCardColumns) + "WHERE c.id=?", ReadCard, id));
    if (cards.empty()) return NotFound("client card", case_id);
    v.card = std::move(cards.front());
  }
  LV_ASSIGN(v.assignments, Collect<MentorAssignment>(
                               db_,
                               "SELECT id, case_id, volunteer_id, volunteer_name, started_on,"
                               " ended_on, assigned_by FROM mentor_assignment WHERE case_id=?"
                               " ORDER BY started_on DESC",
                               ReadMentorAssignment, id));
  LV_ASSIGN(v.sessions,
            Collect<MentoringSession>(
                db_,
                "SELECT m.id, m.assignment_id, m.case_id, m.held_on, m.note, m.logged_by,"
                " m.logged_at, m.duration_minutes, m.mode, s.signed_by, s.signed_at"
                // Two coordinators offline may both sign off one session;
                // the first sign-off counts and the session is listed once.
                " FROM mentoring_session m LEFT JOIN mentoring_signoff s ON s.id ="
                " (SELECT f.id FROM mentoring_signoff f WHERE f.session_id=m.id"
                "  ORDER BY f.signed_at, f.id LIMIT 1)"
                " WHERE m.case_id=? ORDER BY m.held_on DESC, m.rowid DESC",
                ReadMentoringSession, id));
  LV_ASSIGN(
      v.corrections,
      Collect<Correction>(db_,
                          "SELECT id, target_table, target_id, field, value, reason, author_id, at"
                          " FROM correction WHERE scope=? ORDER BY at, rowid",
                          ReadCorrection, MentoringScope(case_id)));
  // Session notes are restricted: reads of the mentoring view are audited like case files.
  LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(db_));
  LV_TRY(Audit(ctx, MentoringScope(case_id), "read", "client_card", case_id, "mentoring"));
  LV_TRY(tx.Commit());
  return v;
}

// ---------------------------------------------------------------------------------------
// MAPPA meetings

static MappaMeeting ReadMeeting(Statement& s) {
  MappaMeeting m;
  m.id = s.Text(0);
  m.unit_id = s.Text(1);
  m.held_on = s.Text(2);
  m.case_ids = s.Text(3);
  m.mode = DecodeOr(s.Text(4), MeetingMode::kRemote);
  m.risk_decisions = s.Text(5);
  m.victim_decisions = s.Text(6);
  m.signed_at = s.Text(7);
  m.signed_by = s.Text(8);
  m.supersedes_id = s.Text(9);
  return m;
}
static constexpr std::string_view kMeetingColumns =
    "SELECT id, unit_id, held_on, case_ids, mode, risk_decisions, victim_decisions, signed_at, "
    "signed_by,"
    " supersedes_id FROM mappa_meeting ";

// A meeting's live participants, actions and disclosures (voided rows left out), the same for
// the unit's list and one meeting's detail.
static Result<void> LoadMeetingParts(storage::Database& db, MappaMeeting& m) {
  LV_ASSIGN(m.participants, Collect<MappaParticipant>(
                                db,
                                "SELECT id, meeting_id, name, institution FROM mappa_participant"
                                " WHERE meeting_id=? AND voided_at IS NULL ORDER BY rowid",
                                [](Statement& s) {
                                  MappaParticipant p;
                                  p.id = s.Text(0);
                                  p.meeting_id = s.Text(1);
                                  p.name = s.Text(2);
                                  p.institution = DecodeOr(s.Text(3), Institution::kOther);
                                  return p;
                                },
                                m.id));
  LV_ASSIGN(
      m.actions,
      Collect<MappaAction>(
          db,
          "SELECT id, meeting_id, description, due_on, owner_institution,"
          " done_on, done_by, done_note FROM mappa_action WHERE meeting_id=? AND voided_at IS NULL"
          " ORDER BY due_on, rowid",
          [](Statement& s) {
            MappaAction a;
            a.id = s.Text(0);
            a.meeting_id = s.Text(1);
            a.description = s.Text(2);
            a.due_on = s.Text(3);
            a.owner = DecodeOr(s.Text(4), Institution::kOther);
            a.done_on = s.Text(5);
            a.done_by = s.Text(6);
            a.done_note = s.Text(7);
            return a;
          },
          m.id));
  LV_ASSIGN(m.disclosures, Collect<MappaDisclosure>(
                               db,
                               "SELECT id, meeting_id, what, to_whom, legal_basis,"
                               " recipient_institution"
                               " FROM mappa_disclosure WHERE meeting_id=? AND"
                               " voided_at IS NULL ORDER BY rowid",
                               [](Statement& s) {
                                 MappaDisclosure d;
                                 d.id = s.Text(0);
                                 d.meeting_id = s.Text(1);
                                 d.what = s.Text(2);
                                 d.to_whom = s.Text(3);
                                 d.legal_basis = s.Text(4);
                                 d.recipient = DecodeOpt<Institution>(s.Text(5));
                                 return d;
                               },
                               m.id));
  return Ok();
}

Result<std::vector<MappaMeeting>> Workspace::MappaMeetings() {
  if (!CanReadUnitMeetings(actor_, actor_.unit_id))
    return NotPermitted("read inter-institutional meetings");
  LV_ASSIGN(
      auto meetings,
      Collect<MappaMeeting>(
          db_, std::string(kMeetingColumns) + "WHERE unit_id=? ORDER BY held_on DESC, rowid DESC",
          ReadMeeting, actor_.unit_id));
  for (auto& m : meetings) LV_TRY(LoadMeetingParts(db_, m));
  return meetings;
}

Result<std::map<std::string, std::vector<DisclosureLogEntry>>> Workspace::MappaDisclosureLogs() {
  if (!CanReadUnitMeetings(actor_, actor_.unit_id))
    return NotPermitted("read inter-institutional meetings");
  LV_ASSIGN(auto entries,
            Collect<DisclosureLogEntry>(
                db_,
                "SELECT l.id, l.meeting_id, l.disclosure_id, l.pack_id, l.what, l.to_whom,"
                " l.legal_basis, l.recipient_institution, l.disclosed_by, l.disclosed_at"
                " FROM mappa_disclosure_log l JOIN mappa_meeting m ON m.id=l.meeting_id"
                " WHERE m.unit_id=? ORDER BY l.disclosed_at, l.rowid",
                ReadDisclosureLogEntry, actor_.unit_id));
  std::map<std::string, std::vector<DisclosureLogEntry>> out;
  for (auto& e : entries) out[e.meeting_id].push_back(std::move(e));
  return out;
}

Result<std::map<std::string, std::vector<Correction>>> Workspace::MappaMinutesCorrections() {
  if (!CanReadUnitMeetings(actor_, actor_.unit_id)) return NotPermitted("read meetings");
  // The meeting a corrected row belongs to rides along as a ninth column.
  LV_ASSIGN(Statement st,
            db_.Prepare("SELECT c.id, c.target_table, c.target_id, c.field, c.value, c.reason,"
                        " c.author_id, c.at, CASE c.target_table"
                        "  WHEN 'mappa_meeting' THEN c.target_id"
                        "  WHEN 'mappa_participant' THEN"
                        "   (SELECT meeting_id FROM mappa_participant WHERE id=c.target_id)"
                        "  WHEN 'mappa_action' THEN"
                        "   (SELECT meeting_id FROM mappa_action WHERE id=c.target_id)"
                        "  ELSE (SELECT meeting_id FROM mappa_disclosure WHERE id=c.target_id) END"
                        " FROM correction c WHERE c.scope=? AND c.target_table IN"
                        " ('mappa_meeting','mappa_participant','mappa_action','mappa_disclosure')"
                        " ORDER BY c.at, c.rowid"));
  st.Bind(1, UnitScope(actor_.unit_id));
  std::map<std::string, std::vector<Correction>> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    const std::string meeting = st.Text(8);
    if (meeting.empty()) continue;  // a row not (yet) on this device
    out[meeting].push_back(ReadCorrection(st));
  }
  return out;
}

Result<MappaMeetingView> Workspace::MappaMeetingDetail(std::string_view meeting_id) {
  const std::string id(meeting_id);
  LV_ASSIGN(auto found, Collect<MappaMeeting>(db_, std::string(kMeetingColumns) + "WHERE id=?",
                                              ReadMeeting, id));
  if (found.empty()) return NotFound("mappa_meeting", meeting_id);
  MappaMeetingView v;
  v.meeting = std::move(found.front());
  if (!CanReadUnitMeetings(actor_, v.meeting.unit_id)) return NotPermitted("read meeting " + id);
  LV_TRY(LoadMeetingParts(db_, v.meeting));
  LV_ASSIGN(v.disclosure_log,
            Collect<DisclosureLogEntry>(
                db_,
                "SELECT id, meeting_id, disclosure_id, pack_id, what, to_whom, legal_basis,"
                " recipient_institution, disclosed_by, disclosed_at FROM mappa_disclosure_log"
                " WHERE meeting_id=? ORDER BY disclosed_at, rowid",
                ReadDisclosureLogEntry, id));
  LV_ASSIGN(
      v.corrections,
      Collect<Correction>(db_,
                          "SELECT id, target_table, target_id, field, value, reason, author_id, at"
                          " FROM correction WHERE scope=? AND (target_id=?2 OR target_id IN"
                          " (SELECT id FROM mappa_action WHERE meeting_id=?2 UNION ALL"
                          "  SELECT id FROM mappa_participant WHERE meeting_id=?2 UNION ALL"
                          "  SELECT id FROM mappa_disclosure WHERE meeting_id=?2))"
                          " ORDER BY at, rowid",
                          ReadCorrection, UnitScope(v.meeting.unit_id), id));
  return v;
}

}  // namespace lietvedis::client
