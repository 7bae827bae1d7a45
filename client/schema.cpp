#include "client/schema.hpp"

#include <utility>

namespace lietvedis::client {

// The client schema, step by step. Never edit a shipped step: add a new one.
// No NOT NULL/CHECK/FK on data columns of replicated tables (see schema.hpp).
static constexpr storage::Migration kClientMigrations[] = {
    {1,
     // --- org ---
     "CREATE TABLE org_region(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT);"
     "CREATE TABLE org_unit(id TEXT PRIMARY KEY, scope TEXT NOT NULL, region_id TEXT, name TEXT);"
     "CREATE TABLE org_user(id TEXT PRIMARY KEY, scope TEXT NOT NULL, display_name TEXT,"
     " role TEXT, unit_id TEXT, active INTEGER);"
     "CREATE TABLE programme(id TEXT PRIMARY KEY, scope TEXT NOT NULL, name TEXT, target_group "
     "TEXT,"
     " provider TEXT, provider_name TEXT, mode TEXT, accreditation TEXT, active INTEGER);"
     // --- unit:<unit_id> ---
     "CREATE TABLE unit_setting(id TEXT PRIMARY KEY, scope TEXT NOT NULL, unit_id TEXT, name TEXT,"
     " value TEXT);"
     "CREATE TABLE mappa_meeting(id TEXT PRIMARY KEY, scope TEXT NOT NULL, unit_id TEXT,"
     " held_on TEXT, mode TEXT, case_ids TEXT, risk_decisions TEXT, victim_decisions TEXT,"
     " signed_at TEXT, signed_by TEXT, supersedes_id TEXT, created_by TEXT, created_at TEXT);"
     "CREATE INDEX mappa_meeting_unit ON mappa_meeting(unit_id, held_on);"
     "CREATE TABLE mappa_participant(id TEXT PRIMARY KEY, scope TEXT NOT NULL, meeting_id TEXT,"
     " institution TEXT, name TEXT, voided_at TEXT);"
     "CREATE INDEX mappa_participant_meeting ON mappa_participant(meeting_id);"
     "CREATE TABLE mappa_action(id TEXT PRIMARY KEY, scope TEXT NOT NULL, meeting_id TEXT,"
     " description TEXT, owner_institution TEXT, due_on TEXT, done_on TEXT, voided_at TEXT);"
     "CREATE INDEX mappa_action_meeting ON mappa_action(meeting_id);"
     "CREATE TABLE mappa_disclosure(id TEXT PRIMARY KEY, scope TEXT NOT NULL, meeting_id TEXT,"
     " what TEXT, to_whom TEXT, legal_basis TEXT, voided_at TEXT);"
     "CREATE INDEX mappa_disclosure_meeting ON mappa_disclosure(meeting_id);"
     // --- volunteers:<unit_id> ---
     "CREATE TABLE volunteer(id TEXT PRIMARY KEY, scope TEXT NOT NULL, unit_id TEXT, name TEXT,"
     " surname TEXT, phone TEXT, email TEXT, kind TEXT, stage TEXT, registered_on TEXT);"
     "CREATE INDEX volunteer_unit ON volunteer(unit_id);"
     "CREATE TABLE volunteer_stage(id TEXT PRIMARY KEY, scope TEXT NOT NULL, volunteer_id TEXT,"
     " stage TEXT, on_date TEXT, by_user_id TEXT, note TEXT);"
     "CREATE INDEX volunteer_stage_volunteer ON volunteer_stage(volunteer_id);"
     // --- case:<case_id> ---
     // name_fold: lower-case, diacritics folded "name surname personal_code" for search.
     "CREATE TABLE client(id TEXT PRIMARY KEY, scope TEXT NOT NULL, person_id TEXT, case_id TEXT,"
     " name TEXT, surname TEXT, personal_code TEXT, birth_date TEXT, phone TEXT, email TEXT,"
     " address TEXT, municipality TEXT, tags TEXT, name_fold TEXT);"
     "CREATE INDEX client_case ON client(case_id);"
     "CREATE INDEX client_person ON client(person_id);"
     "CREATE TABLE related_person(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " relation TEXT, kind TEXT, name TEXT, surname TEXT, phone TEXT, note TEXT, voided_at TEXT);"
     "CREATE INDEX related_person_case ON related_person(case_id);"
     "CREATE TABLE probation_case(id TEXT PRIMARY KEY, scope TEXT NOT NULL, client_id TEXT,"
     " kind TEXT, status TEXT, unit_id TEXT, responsible_officer_id TEXT, opened_on TEXT,"
     " closed_on TEXT);"
     "CREATE INDEX probation_case_officer ON probation_case(responsible_officer_id, status);"
     "CREATE INDEX probation_case_unit ON probation_case(unit_id, status);"
     "CREATE TABLE em_episode(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " started_on TEXT, planned_end_on TEXT, ended_on TEXT, outcome TEXT);"
     "CREATE INDEX em_episode_case ON em_episode(case_id);"
     "CREATE TABLE evaluation_request(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " requester TEXT, requester_name TEXT, reference TEXT, received_on TEXT, deadline_on TEXT,"
     " status TEXT, submitted_on TEXT);"
     "CREATE INDEX evaluation_request_case ON evaluation_request(case_id);"
     "CREATE TABLE supervision_section(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " sentence_type TEXT, court_decision_ref TEXT, obligations TEXT, opened_on TEXT,"
     " planned_end_on TEXT, closed_on TEXT, status TEXT, outcome TEXT,"
     " employment_at_opening TEXT, employment_at_closure TEXT, disability_group TEXT,"
     " no_employment_taxes_at_opening INTEGER);"
     "CREATE INDEX supervision_section_case ON supervision_section(case_id);"
     "CREATE TABLE assessment(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " instrument TEXT, instrument_version TEXT, assessed_on TEXT, assessor_id TEXT,"
     " total_score INTEGER, item_scores TEXT, risk_level TEXT, needs TEXT, signed_at TEXT,"
     " signed_by TEXT, supersedes_id TEXT);"
     "CREATE INDEX assessment_case ON assessment(case_id, assessed_on);"
     "CREATE TABLE res_plan(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " version INTEGER, status TEXT, created_on TEXT, next_review_on TEXT, author_id TEXT,"
     " supersedes_id TEXT);"
     "CREATE INDEX res_plan_case ON res_plan(case_id);"
     "CREATE TABLE plan_goal(id TEXT PRIMARY KEY, scope TEXT NOT NULL, plan_id TEXT, goal TEXT,"
     " need TEXT, interventions TEXT, review_on TEXT);"
     "CREATE INDEX plan_goal_plan ON plan_goal(plan_id);"
     "CREATE TABLE contact(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " officer_id TEXT, planned_at TEXT, status TEXT, mode TEXT, held_on TEXT, outcome TEXT,"
     " note TEXT);"
     "CREATE INDEX contact_case ON contact(case_id, status, held_on);"
     "CREATE TABLE violation(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT, kind TEXT,"
     " occurred_on TEXT, description TEXT, recorded_by TEXT);"
     "CREATE INDEX violation_case ON violation(case_id);"
     "CREATE TABLE court_application(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " kind TEXT, filed_on TEXT, reason TEXT, decision TEXT, decided_on TEXT);"
     "CREATE INDEX court_application_case ON court_application(case_id);"
     "CREATE TABLE consent(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " programme_id TEXT, decision TEXT, given_on TEXT, recorded_by TEXT, recorded_at TEXT);"
     "CREATE INDEX consent_case ON consent(case_id, programme_id);"
     "CREATE TABLE referral(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " programme_id TEXT, consent_id TEXT, need TEXT, risk_level TEXT, status TEXT,"
     " referred_on TEXT, enrolled_on TEXT, ended_on TEXT);"
     "CREATE INDEX referral_case ON referral(case_id);"
     "CREATE TABLE attendance(id TEXT PRIMARY KEY, scope TEXT NOT NULL, referral_id TEXT,"
     " case_id TEXT, session_on TEXT, attended INTEGER, note TEXT);"
     "CREATE INDEX attendance_referral ON attendance(referral_id);"
     "CREATE TABLE note(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " subject_table TEXT, subject_id TEXT, body TEXT, author_id TEXT, written_at TEXT);"
     "CREATE INDEX note_case ON note(case_id, written_at);"
     // audit.detail names columns and ids; since the case history (client/history.hpp) an
     // update's detail also keeps each changed column's value before and after, capped.
     "CREATE TABLE audit(id TEXT PRIMARY KEY, scope TEXT NOT NULL, user_id TEXT, action TEXT,"
     " target_table TEXT, target_id TEXT, detail TEXT, at TEXT);"
     "CREATE INDEX audit_target ON audit(target_table, target_id);"
     "CREATE INDEX audit_scope ON audit(scope, at);"
     "CREATE TABLE correction(id TEXT PRIMARY KEY, scope TEXT NOT NULL, target_table TEXT,"
     " target_id TEXT, field TEXT, value TEXT, reason TEXT, author_id TEXT, at TEXT);"
     "CREATE INDEX correction_target ON correction(target_table, target_id, at);"
     // --- mentoring:<case_id> ---
     "CREATE TABLE client_card(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " unit_id TEXT, name TEXT, surname TEXT, phone TEXT, email TEXT,"
     " responsible_officer_id TEXT, name_fold TEXT);"
     "CREATE INDEX client_card_unit ON client_card(unit_id);"
     "CREATE TABLE mentor_assignment(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " volunteer_id TEXT, volunteer_name TEXT, started_on TEXT, ended_on TEXT, assigned_by TEXT);"
     "CREATE INDEX mentor_assignment_case ON mentor_assignment(case_id);"
     "CREATE INDEX mentor_assignment_volunteer ON mentor_assignment(volunteer_id);"
     "CREATE TABLE mentoring_session(id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
     " assignment_id TEXT, case_id TEXT, held_on TEXT, duration_minutes INTEGER, mode TEXT,"
     " note TEXT, logged_by TEXT, logged_at TEXT);"
     "CREATE INDEX mentoring_session_case ON mentoring_session(case_id, held_on);"
     "CREATE TABLE mentoring_signoff(id TEXT PRIMARY KEY, scope TEXT NOT NULL, session_id TEXT,"
     " signed_by TEXT, signed_at TEXT, remark TEXT);"
     "CREATE INDEX mentoring_signoff_session ON mentoring_signoff(session_id);"},
    // The caseload's "next planned contact" reads (case_id, status, planned_at).
    {2, "CREATE INDEX contact_case_planned ON contact(case_id, status, planned_at);"},
    // Placements in social-rehabilitation centres (VPD co-finances 70%, at most 15 EUR/day).
    {3,
     "CREATE TABLE src_placement(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT, centre "
     "TEXT,"
     " started_on TEXT, planned_end_on TEXT, ended_on TEXT, daily_cost_cents INTEGER,"
     " vpd_daily_share_cents INTEGER);"
     "CREATE INDEX src_placement_case ON src_placement(case_id);"},
    // Least privilege for coordinators: a client card lives in mentoring:<case> only while the
    // client is referred for peer mentoring (mentoring_referral, case scope), and its search
    // fold no longer carries the personal code. Cards written before this step are fixed in
    // place: the trailing personal code is cut from the fold (a code is always DDMMYY-CNNNN,
    // 12 characters after one space), and the cards of clients without an active mentor
    // assignment (step 3 knew no referrals) lose name, surname, phone, email and fold and are
    // voided. client_card_rewrite is local only: it lists the cards this step changed, so
    // that the owner's device rewrites them through the replica (Workspace::
    // ApplyClientCardRules) and the central store and other devices receive the fix too.
    {4,
     "ALTER TABLE client_card ADD COLUMN voided_at TEXT;"
     "CREATE TABLE mentoring_referral(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " consent_on TEXT, referred_on TEXT, referred_by TEXT, ended_on TEXT, ended_by TEXT);"
     "CREATE INDEX mentoring_referral_case ON mentoring_referral(case_id, ended_on);"
     "CREATE TABLE client_card_rewrite(case_id TEXT PRIMARY KEY);"
     "INSERT INTO client_card_rewrite(case_id) SELECT id FROM client_card;"
     "UPDATE client_card SET name_fold = substr(name_fold, 1, length(name_fold) - 13)"
     " WHERE name_fold GLOB '* [0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]';"
     "UPDATE client_card SET name = NULL, surname = NULL, phone = NULL, email = NULL,"
     " name_fold = NULL, voided_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
     " WHERE NOT EXISTS (SELECT 1 FROM mentor_assignment a"
     "  WHERE a.case_id = client_card.id AND a.ended_on IS NULL);"},
    // MAPPA agency packs (issue 13): a disclosure names its recipient institution by code, so
    // a pack for one institution is built from that institution's rows only; the disclosure
    // log (unit scope, append-only) holds one row per disclosure per pack generated: what,
    // to whom, on which legal basis, by whom, when. Disclosures recorded before this step
    // have no recipient code and go into no pack.
    {5,
     "ALTER TABLE mappa_disclosure ADD COLUMN recipient_institution TEXT;"
     "CREATE TABLE mappa_disclosure_log(id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
     " meeting_id TEXT, disclosure_id TEXT, pack_id TEXT, what TEXT, recipient_institution TEXT,"
     " to_whom TEXT, legal_basis TEXT, disclosed_by TEXT, disclosed_at TEXT);"
     "CREATE INDEX mappa_disclosure_log_meeting ON mappa_disclosure_log(meeting_id, "
     "disclosed_at);"},
    // Casework as the service practises it (issue 14): a MAPPA action's completion (who, and
    // what was done), community work orders with placements and hours logged per day, the
    // officer's decision on each missed contact (warning or justified absence), and the
    // warnings a court application rests on. Hours and decisions are append-only.
    {6,
     "ALTER TABLE mappa_action ADD COLUMN done_by TEXT;"
     "ALTER TABLE mappa_action ADD COLUMN done_note TEXT;"
     "CREATE TABLE community_order(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " hours_ordered INTEGER, ordered_on TEXT, deadline_on TEXT, court_decision_ref TEXT,"
     " created_by TEXT);"
     "CREATE INDEX community_order_case ON community_order(case_id);"
     "CREATE TABLE work_placement(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " order_id TEXT, provider TEXT, address TEXT, started_on TEXT, ended_on TEXT);"
     "CREATE INDEX work_placement_order ON work_placement(order_id);"
     "CREATE TABLE community_hours(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " order_id TEXT, placement_id TEXT, worked_on TEXT, minutes INTEGER, note TEXT,"
     " logged_by TEXT, logged_at TEXT);"
     "CREATE INDEX community_hours_order ON community_hours(order_id, worked_on);"
     "CREATE TABLE escalation_decision(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " contact_id TEXT, section_id TEXT, decision TEXT, reason TEXT, decided_on TEXT,"
     " decided_by TEXT);"
     "CREATE INDEX escalation_decision_case ON escalation_decision(case_id, section_id);"
     "CREATE INDEX escalation_decision_contact ON escalation_decision(contact_id);"
     "CREATE TABLE court_application_ground(id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
     " case_id TEXT, application_id TEXT, decision_id TEXT);"
     "CREATE INDEX court_application_ground_case ON court_application_ground(case_id);"},
    // Evaluation report authoring (issue 13): a request is started (in progress) and may be
    // withdrawn with a reason; the report is a case record with one row per request (its id
    // is the request's id) holding the five sections, the assessment the risk section rests
    // on, and the signature. Drafts change per field; signed reports are corrected by
    // appended corrections.
    {7,
     "ALTER TABLE evaluation_request ADD COLUMN started_on TEXT;"
     "ALTER TABLE evaluation_request ADD COLUMN withdrawn_on TEXT;"
     "ALTER TABLE evaluation_request ADD COLUMN withdrawal_reason TEXT;"
     "CREATE TABLE evaluation_report(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " request_id TEXT, circumstances TEXT, offence TEXT, risk_needs TEXT, attitude TEXT,"
     " conclusion TEXT, assessment_id TEXT, author_id TEXT, drafted_at TEXT, signed_at TEXT,"
     " signed_by TEXT);"
     "CREATE INDEX evaluation_report_case ON evaluation_report(case_id);"},
    // The tamper-evident audit (issue 15, client/audit_chain.hpp): each device's entries in a
    // scope form a hash chain. device_id, seq, prev_hash and hash replicate with the entry
    // (inside its signed envelope); audit_chain_head is local only: where this device's
    // chain in each scope stands, so the chain continues from what this device wrote.
    // Entries written before this step keep NULL chain fields: verification lists them as
    // unchained (legacy), not as tampering.
    {8,
     "ALTER TABLE audit ADD COLUMN device_id TEXT;"
     "ALTER TABLE audit ADD COLUMN seq INTEGER;"
     "ALTER TABLE audit ADD COLUMN prev_hash TEXT;"
     "ALTER TABLE audit ADD COLUMN hash TEXT;"
     "CREATE INDEX audit_chain ON audit(scope, device_id, seq);"
     "CREATE TABLE audit_chain_head(scope TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
     " hash TEXT NOT NULL);"},
    // Restored audit entries (`init --restore`, client/audit_chain.hpp): a backup's chained
    // entries are written again by the restoring device, so their stamps name it, not the
    // chain's device. audit_restored is local only: the entries this device took from a
    // backup, with the hash each carried then, so verification checks them as the original
    // device's chain instead of calling them forged.
    {9,
     "CREATE TABLE audit_restored(id TEXT PRIMARY KEY, scope TEXT NOT NULL,"
     " device_id TEXT NOT NULL, hash TEXT NOT NULL);"},
    // Mentoring governance and countersignatures (issue 14): a referral to a circle of
    // support (several volunteers at once, for a sex-offence client) is marked on the referral
    // and on the client card, so the coordinator, who reads no case scope, knows it; a unit
    // supervisor's countersignature of a signed assessment, a plan version or a court
    // application is an append-only case record.
    {10,
     "ALTER TABLE mentoring_referral ADD COLUMN circle INTEGER;"
     "ALTER TABLE client_card ADD COLUMN circle INTEGER;"
     "CREATE TABLE countersignature(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " record_table TEXT, record_id TEXT, remark TEXT, signed_by TEXT, signed_at TEXT);"
     "CREATE INDEX countersignature_record ON countersignature(record_table, record_id);"
     "CREATE INDEX countersignature_case ON countersignature(case_id);"},
    // Victim-offender mediation (izlīgums): one mediation row per mediation case (its id the
    // case's id, so two devices recording it offline merge into one row) with the mediator,
    // the client's consent, the outcome, the agreement's terms and due date, its fulfilment
    // and the report to the requesting authority; the harmed persons as parties with their
    // consent; meetings planned or held with who attended and a restricted note.
    {11,
     "CREATE TABLE mediation(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " mediator_volunteer_id TEXT, mediator_name TEXT, client_consent_on TEXT, outcome TEXT,"
     " outcome_on TEXT, agreement_terms TEXT, agreement_due_on TEXT, fulfilment TEXT,"
     " fulfilment_on TEXT, reported_on TEXT, report_to TEXT, created_by TEXT);"
     "CREATE INDEX mediation_case ON mediation(case_id);"
     "CREATE TABLE mediation_party(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " name TEXT, surname TEXT, contact TEXT, consent_on TEXT, voided_at TEXT);"
     "CREATE INDEX mediation_party_case ON mediation_party(case_id);"
     "CREATE TABLE mediation_meeting(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " meeting_on TEXT, mode TEXT, status TEXT, party_ids TEXT, client_attended INTEGER,"
     " note TEXT, recorded_by TEXT);"
     "CREATE INDEX mediation_meeting_case ON mediation_meeting(case_id, meeting_on);"},
    // Step 12: transfers of a case between units (client/workflows_transfer.cpp). The record
    // lives in the case scope: the sending supervisor's offer, then the receiving
    // supervisor's acceptance (with the new officer) or decline, or the sender's withdrawal.
    {12,
     "CREATE TABLE case_transfer(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " from_unit_id TEXT, to_unit_id TEXT, reason TEXT, status TEXT, offered_by TEXT,"
     " offered_at TEXT, decided_by TEXT, decided_at TEXT, new_officer_id TEXT,"
     " decision_note TEXT);"
     "CREATE INDEX case_transfer_case ON case_transfer(case_id, status);"},
    // Step 13: break-glass (docs/PRIVACY.md "Break-glass"). org_cover is local reference data
    // like the materialised directory: the covers of the root-signed directory (deputy for an
    // absent officer, ISO days inclusive), replaced whole at every directory sync. It has no
    // `scope` column, is not a replicated table and is never pushed. break_glass is an
    // append-only case record: who opened the case file by break-glass, why, when, until when.
    {13,
     "CREATE TABLE org_cover(user_id TEXT NOT NULL, deputy_user_id TEXT NOT NULL,"
     " from_day TEXT NOT NULL, until_day TEXT NOT NULL);"
     "CREATE INDEX org_cover_deputy ON org_cover(deputy_user_id, user_id);"
     "CREATE TABLE break_glass(id TEXT PRIMARY KEY, scope TEXT NOT NULL, case_id TEXT,"
     " user_id TEXT, reason TEXT, opened_at TEXT, until TEXT);"
     "CREATE INDEX break_glass_case ON break_glass(case_id, user_id, until);"},
    // Step 14: who reported a mediation to the requesting authority (ReportMediation), the
    // signer of the mediation report.
    {14, "ALTER TABLE mediation ADD COLUMN reported_by TEXT;"},
};

std::span<const storage::Migration> ClientMigrations() {
  return kClientMigrations;
}

Result<void> MigrateClientSchema(storage::Database& db) {
  return storage::Migrate(db, "client", kClientMigrations);
}

Result<std::unique_ptr<sync::Replica>> OpenClientReplica(storage::Database& db,
                                                         std::string site_id) {
  LV_TRY(MigrateClientSchema(db));
  return sync::Replica::Open(db, std::move(site_id), ReplicatedTables());
}

Result<std::vector<ScopeRegistration>> LocalScopes(storage::Database& db) {
  LV_ASSIGN(
      storage::Statement st,
      db.Prepare(
          "SELECT 'org', 'org', '', '', '' WHERE EXISTS (SELECT 1 FROM org_user)"
          " UNION SELECT 'case:' || id, 'case', unit_id, responsible_officer_id,"
          "  coalesce((SELECT t.to_unit_id FROM case_transfer t WHERE t.case_id=probation_case.id"
          "   AND t.status='offered' ORDER BY t.offered_at DESC LIMIT 1), '') FROM probation_case"
          " UNION SELECT 'mentoring:' || id, 'mentoring', unit_id, responsible_officer_id,"
          "  coalesce((SELECT t.to_unit_id FROM case_transfer t WHERE t.case_id=client_card.id"
          "   AND t.status='offered' ORDER BY t.offered_at DESC LIMIT 1), '') FROM client_card"
          " UNION SELECT 'unit:' || unit_id, 'unit', unit_id, '', '' FROM mappa_meeting"
          " UNION SELECT 'unit:' || unit_id, 'unit', unit_id, '', '' FROM unit_setting"
          " UNION SELECT 'volunteers:' || unit_id, 'volunteers', unit_id, '', '' FROM volunteer"
          " ORDER BY 1"));
  std::vector<ScopeRegistration> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4)});
  }
  return out;
}

// The scope kinds of each table are what the sync engine accepts from others: a row of a
// table in a scope of another kind (an org_user inside a case batch) is refused on arrival.
const std::vector<sync::TableSpec>& ReplicatedTables() {
  static const std::vector<sync::TableSpec> kTables = {
      {"org_region", {"name"}, false, {"org"}},
      {"org_unit", {"region_id", "name"}, false, {"org"}},
      {"org_user", {"display_name", "role", "unit_id", "active"}, false, {"org"}},
      {"programme",
       {"name", "target_group", "provider", "provider_name", "mode", "accreditation", "active"},
       false,
       {"org"}},
      {"unit_setting", {"unit_id", "name", "value"}, false, {"unit"}},
      {"mappa_meeting",
       {"unit_id", "held_on", "mode", "case_ids", "risk_decisions", "victim_decisions", "signed_at",
        "signed_by", "supersedes_id", "created_by", "created_at"},
       false,
       {"unit"}},
      {"mappa_participant", {"meeting_id", "institution", "name", "voided_at"}, false, {"unit"}},
      {"mappa_action",
       {"meeting_id", "description", "owner_institution", "due_on", "done_on", "voided_at",
        "done_by", "done_note"},
       false,
       {"unit"}},
      {"mappa_disclosure",
       {"meeting_id", "what", "to_whom", "legal_basis", "voided_at", "recipient_institution"},
       false,
       {"unit"}},
      {"mappa_disclosure_log",
       {"meeting_id", "disclosure_id", "pack_id", "what", "recipient_institution", "to_whom",
        "legal_basis", "disclosed_by", "disclosed_at"},
       true,
       {"unit"}},
      {"volunteer",
       {"unit_id", "name", "surname", "phone", "email", "kind", "stage", "registered_on"},
       false,
       {"volunteers"}},
      {"volunteer_stage",
       {"volunteer_id", "stage", "on_date", "by_user_id", "note"},
       true,
       {"volunteers"}},
      {"client",
       {"person_id", "case_id", "name", "surname", "personal_code", "birth_date", "phone", "email",
        "address", "municipality", "tags", "name_fold"},
       false,
       {"case"}},
      {"related_person",
       {"case_id", "relation", "kind", "name", "surname", "phone", "note", "voided_at"},
       false,
       {"case"}},
      {"probation_case",
       {"client_id", "kind", "status", "unit_id", "responsible_officer_id", "opened_on",
        "closed_on"},
       false,
       {"case"}},
      {"em_episode",
       {"case_id", "started_on", "planned_end_on", "ended_on", "outcome"},
       false,
       {"case"}},
      {"src_placement",
       {"case_id", "centre", "started_on", "planned_end_on", "ended_on", "daily_cost_cents",
        "vpd_daily_share_cents"},
       false,
       {"case"}},
      {"evaluation_request",
       {"case_id", "requester", "requester_name", "reference", "received_on", "deadline_on",
        "status", "submitted_on", "started_on", "withdrawn_on", "withdrawal_reason"},
       false,
       {"case"}},
      {"evaluation_report",
       {"case_id", "request_id", "circumstances", "offence", "risk_needs", "attitude", "conclusion",
        "assessment_id", "author_id", "drafted_at", "signed_at", "signed_by"},
       false,
       {"case"}},
      {"supervision_section",
       {"case_id", "sentence_type", "court_decision_ref", "obligations", "opened_on",
        "planned_end_on", "closed_on", "status", "outcome", "employment_at_opening",
        "employment_at_closure", "disability_group", "no_employment_taxes_at_opening"},
       false,
       {"case"}},
      {"assessment",
       {"case_id", "instrument", "instrument_version", "assessed_on", "assessor_id", "total_score",
        "item_scores", "risk_level", "needs", "signed_at", "signed_by", "supersedes_id"},
       false,
       {"case"}},
      {"res_plan",
       {"case_id", "version", "status", "created_on", "next_review_on", "author_id",
        "supersedes_id"},
       false,
       {"case"}},
      {"plan_goal", {"plan_id", "goal", "need", "interventions", "review_on"}, false, {"case"}},
      {"contact",
       {"case_id", "officer_id", "planned_at", "status", "mode", "held_on", "outcome", "note"},
       false,
       {"case"}},
      {"violation",
       {"case_id", "kind", "occurred_on", "description", "recorded_by"},
       false,
       {"case"}},
      {"court_application",
       {"case_id", "kind", "filed_on", "reason", "decision", "decided_on"},
       false,
       {"case"}},
      {"consent",
       {"case_id", "programme_id", "decision", "given_on", "recorded_by", "recorded_at"},
       true,
       {"case"}},
      {"referral",
       {"case_id", "programme_id", "consent_id", "need", "risk_level", "status", "referred_on",
        "enrolled_on", "ended_on"},
       false,
       {"case"}},
      {"attendance", {"referral_id", "case_id", "session_on", "attended", "note"}, true, {"case"}},
      {"note",
       {"case_id", "subject_table", "subject_id", "body", "author_id", "written_at"},
       true,
       {"case"}},
      // org: an administrator's export and import are audited there (local, never pushed).
      {"audit",
       {"user_id", "action", "target_table", "target_id", "detail", "at", "device_id", "seq",
        "prev_hash", "hash"},
       true,
       {"org", "unit", "volunteers", "case", "mentoring"}},
      {"correction",
       {"target_table", "target_id", "field", "value", "reason", "author_id", "at"},
       true,
       {"unit", "volunteers", "case", "mentoring"}},
      {"client_card",
       {"case_id", "unit_id", "name", "surname", "phone", "email", "responsible_officer_id",
        "name_fold", "voided_at", "circle"},
       false,
       {"mentoring"}},
      {"community_order",
       {"case_id", "hours_ordered", "ordered_on", "deadline_on", "court_decision_ref",
        "created_by"},
       false,
       {"case"}},
      {"work_placement",
       {"case_id", "order_id", "provider", "address", "started_on", "ended_on"},
       false,
       {"case"}},
      {"community_hours",
       {"case_id", "order_id", "placement_id", "worked_on", "minutes", "note", "logged_by",
        "logged_at"},
       true,
       {"case"}},
      {"escalation_decision",
       {"case_id", "contact_id", "section_id", "decision", "reason", "decided_on", "decided_by"},
       true,
       {"case"}},
      {"court_application_ground", {"case_id", "application_id", "decision_id"}, true, {"case"}},
      {"mentoring_referral",
       {"case_id", "consent_on", "referred_on", "referred_by", "ended_on", "ended_by", "circle"},
       false,
       {"case"}},
      {"countersignature",
       {"case_id", "record_table", "record_id", "remark", "signed_by", "signed_at"},
       true,
       {"case"}},
      {"mediation",
       {"case_id", "mediator_volunteer_id", "mediator_name", "client_consent_on", "outcome",
        "outcome_on", "agreement_terms", "agreement_due_on", "fulfilment", "fulfilment_on",
        "reported_on", "report_to", "created_by", "reported_by"},
       false,
       {"case"}},
      {"mediation_party",
       {"case_id", "name", "surname", "contact", "consent_on", "voided_at"},
       false,
       {"case"}},
      {"mediation_meeting",
       {"case_id", "meeting_on", "mode", "status", "party_ids", "client_attended", "note",
        "recorded_by"},
       false,
       {"case"}},
      {"case_transfer",
       {"case_id", "from_unit_id", "to_unit_id", "reason", "status", "offered_by", "offered_at",
        "decided_by", "decided_at", "new_officer_id", "decision_note"},
       false,
       {"case"}},
      {"break_glass", {"case_id", "user_id", "reason", "opened_at", "until"}, true, {"case"}},
      {"mentor_assignment",
       {"case_id", "volunteer_id", "volunteer_name", "started_on", "ended_on", "assigned_by"},
       false,
       {"mentoring"}},
      {"mentoring_session",
       {"assignment_id", "case_id", "held_on", "duration_minutes", "mode", "note", "logged_by",
        "logged_at"},
       true,
       {"mentoring"}},
      {"mentoring_signoff",
       {"session_id", "signed_by", "signed_at", "remark"},
       true,
       {"mentoring"}},
  };
  return kTables;
}

}  // namespace lietvedis::client
