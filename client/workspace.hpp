// Workspace: the single API through which the CLI and the desktop UI read and change case
// data. It is constructed over the store's writer connection, the replica that stamps every
// write, and the acting user; every call checks that user's permissions
// (client/permissions.hpp) before touching data.
//
// Commands are plain structs named imperatively (RegisterClient, CloseSupervisionSection...;
// client/commands.hpp).
// Execute() validates the fields (kValidation, message naming the field), checks permission
// (kNotPermitted), enforces the domain rules, and writes through sync::Replica::Write inside
// one BEGIN IMMEDIATE transaction: a command writes everything or nothing. It returns the id
// of the record it created or changed. Dates in commands may be 'dd.mm.yyyy' or ISO; they are
// stored ISO.
//
// Queries return immutable view structs by value (copy them into a shared_ptr<const> for a
// UI snapshot). They are set-based: a caseload of 10,000 cases is one statement, never a
// statement per row from C++. Reading a case file or a mentoring view appends an audit entry,
// so CaseFile() and Mentoring() are writes too and need the writer connection.
//
// Rules enforced here (docs/DOMAIN.md):
//  - a signed assessment or signed MAPPA minutes, a closed supervision section, a held or
//    missed contact, a decided court application are immutable: changes are refused with
//    kNotPermitted; corrections are appended (CorrectRecord) or a new version is recorded
//    (RecordAssessment with supersedes_id, CreatePlan over an active plan); history stays
//    visible (History());
//  - an evaluation report (client/workflows_evaluation.cpp has the rules) is drafted while
//    its request is in progress, signed only with every section written and a signed
//    assessment named, then immutable; only a signed report is submitted;
//  - a programme referral needs recorded consent ("given", and not withdrawn since): refused
//    with kValidation naming `consent` otherwise;
//  - the volunteer coordinator never receives case scope rows: the coordinator's view of a
//    client is the card in mentoring:<case_id>, rewritten by the officer's workflows whenever
//    the client's name, contact details or responsible officer change;
//  - casework (client/workflows_casework.cpp has the rules): a MAPPA action is done once; a
//    community work order's hours are logged per day within the daily limit and the hours
//    ordered; every missed contact takes one decision (warning or justified absence) and the
//    n-th uncited warning of a section proposes a court application; a personal code already
//    on the device is refused at registration unless `same_person`.
//
// Threading: a Workspace belongs to the thread that owns the Database (the writer thread).
// The acting user is loaded once, at Open(): a role change or deactivation takes effect at the
// next Open(), so callers reopen their Workspace after syncing the directory.
// Errors: kValidation (bad field, message starts with the field's name), kNotPermitted (the
// actor may not, or the record is signed/closed), kNotFound (no such record on this device),
// kBusy (another writer holds the database), storage errors as they come.
//
// WARNING: the Workspace does not own the Database or the Replica; both must outlive it. Do
// not call it while a transaction is open on the same connection: each command begins its own.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "client/commands.hpp"
#include "client/model.hpp"
#include "client/permissions.hpp"
#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/replica.hpp"

namespace lietvedis::client {

// ---------------------------------------------------------------------------------------
// Organisation bootstrap (scope `org`). On the real system these rows come from the central
// store's directory; these functions are for local use, demo data and tests. They check
// fields but not permissions. An empty `id` means "generate one". Each runs its own
// transaction.

Result<std::string> BootstrapRegion(storage::Database& db, sync::Replica& replica,
                                    std::string_view name, std::string id = {});
Result<std::string> BootstrapUnit(storage::Database& db, sync::Replica& replica,
                                  std::string_view region_id, std::string_view name,
                                  std::string id = {});
Result<std::string> BootstrapUser(storage::Database& db, sync::Replica& replica,
                                  std::string_view display_name, Role role,
                                  std::string_view unit_id, std::string id = {});
// Adds the programmes named in the seeds (Motivācija izmaiņām, Pārmaiņām Jā!, EQUIP...) once;
// returns how many were added (0 when the catalogue already has them).
Result<int> SeedProgrammeCatalogue(storage::Database& db, sync::Replica& replica);
// The same catalogue written as local reference rows (no stamps, no outbox): on synced devices,
// where only an administrator may write the org scope and every device seeds the same fixed
// ids. Returns the number of programmes added.
Result<int> SeedProgrammeCatalogueLocally(storage::Database& db);

// Lower-case ASCII form of a UTF-8 string for search: Latvian and other Latin letters lose
// their diacritics ("Bērziņš" -> "berzins"); other characters pass through lower-cased.
std::string FoldForSearch(std::string_view utf8);

// A byte string whose order is Latvian alphabetical order, case-insensitive: each letter
// with a diacritic sorts right after its base letter as a letter of its own
// (a < ā < b < c < č ... s < š ... z < ž), so "Apinis" < "Ābele" < "Cīrulis" < "Čakste".
// Lists (caseload, cards, volunteers) are sorted by it; the UI may use it for its own lists.
std::string LatvianSortKey(std::string_view utf8);

// ---------------------------------------------------------------------------------------
// Views

struct CaseloadFilter {
  std::string officer_id;               // supervisors: one officer of the unit; empty = all
  std::optional<RiskLevel> risk_level;  // latest assessment's level
  std::optional<CaseKind> kind;
  std::optional<CaseStatus> status = CaseStatus::kOpen;  // nullopt = any
  bool overdue_only = false;
  std::string search;  // folded substring of name, surname or personal code
};

struct CaseloadRow {
  std::string case_id, client_id, name, surname, personal_code;
  CaseKind kind = CaseKind::kConditionalSentence;
  CaseStatus status = CaseStatus::kOpen;
  std::string unit_id, responsible_officer_id, responsible_officer_name, opened_on;
  std::optional<RiskLevel> risk_level;  // latest SIGNED assessment (a draft decides nothing)
  std::string last_contact_on;          // last held contact
  std::string next_contact_at;          // earliest planned contact
  bool has_open_section = false;
  // Overdue: a planned contact whose date has passed, or, for a case with an open
  // supervision section, no held contact within the unit's contact interval for the risk
  // level (unit setting contact_interval_days.<risk>; defaults low 60, medium 30, high 14,
  // very_high 7, unassessed 30) counted from the last held contact or, without one, from the
  // case's opening. Cases without an open section (evaluation, mediation, community work
  // before supervision) have no contact interval.
  bool overdue = false;
  // A closed juvenile case: listed without details (personal code, risk, contacts and the
  // overdue flag are left empty); its file opens only by break-glass.
  bool sealed = false;
};

// A case the actor covers for an absent colleague today (org_cover): listed apart from the
// actor's caseload, with the client's name and the case only. `break_glass_until` is the end
// of the actor's open break-glass on it (ISO UTC), empty when none is open.
struct CoveredCase {
  std::string case_id, client_name, client_surname;
  std::string officer_id, officer_name;  // the absent officer
  std::string until_day;                 // the cover's last day (ISO)
  std::string break_glass_until;
};

// A break-glass as recorded in a case (table break_glass).
struct BreakGlassEntry {
  std::string id, case_id, user_id, user_name, reason, opened_at, until;
};

// A cover this device knows from the directory (org_cover), with the users' names.
struct CoverView {
  std::string user_id, user_name, deputy_user_id, deputy_name, from_day, until_day;
  bool current = false;  // from_day <= today <= until_day
};

// Warnings counted in one supervision section. A court application is proposed when the
// warnings not yet cited by an application reach the unit's threshold.
struct SectionEscalation {
  std::string section_id;
  std::int64_t warnings = 0, justified_absences = 0;
  std::int64_t threshold = 2;
  std::vector<std::string> uncited_warning_ids;  // oldest first
  bool court_application_proposed = false;
};

// One transfer of a case between units, as recorded in the case.
struct CaseTransfer {
  std::string id, case_id, from_unit_id, to_unit_id, reason;
  TransferStatus status = TransferStatus::kOffered;
  std::string offered_by, offered_at, decided_by, decided_at, new_officer_id, decision_note;
  std::string from_unit_name, to_unit_name, offered_by_name, decided_by_name, new_officer_name;
};

struct CaseFileView {
  Case case_record;
  Client client;
  std::vector<RelatedPerson> related_persons;
  std::vector<EmEpisode> monitoring;
  std::vector<RehabilitationPlacement> placements;
  std::vector<EvaluationRequest> evaluation_requests;
  std::vector<EvaluationReport> evaluation_reports;  // one per started request
  std::vector<SupervisionSection> sections;
  std::vector<Assessment> assessments;  // newest first; superseded ones included
  std::vector<Plan> plans;              // newest version first
  std::vector<Contact> contacts;        // newest first
  std::vector<Violation> violations;
  std::vector<CourtApplication> court_applications;
  std::vector<Consent> consents;
  std::vector<Referral> referrals;
  std::vector<MentoringReferral> mentoring_referrals;  // newest first
  std::vector<Attendance> attendance;
  std::vector<CommunityWorkOrder> community_orders;   // with minutes_done
  std::vector<WorkPlacement> work_placements;         // newest first
  std::vector<CommunityHours> community_hours;        // newest first
  std::vector<EscalationDecision> escalation;         // oldest first
  std::vector<SectionEscalation> section_escalation;  // the open and closed sections
  std::vector<std::string> missed_awaiting_decision;  // missed contacts without a decision
  std::vector<Note> notes;                            // oldest first
  std::vector<Correction> corrections;              // of any record in this case file, oldest first
  std::vector<Countersignature> countersignatures;  // oldest first
  Mediation mediation;  // mediation cases: parties, meetings, outcome (empty otherwise)
  std::vector<CaseTransfer> transfers;  // oldest first
  std::string responsible_officer_name;
  bool sealed = false;            // a closed juvenile case, read under break-glass
  std::string break_glass_until;  // the actor's open break-glass on the case (ISO UTC), or ""
};

struct VolunteerRegisterView {
  std::string unit_id;
  std::vector<Volunteer> volunteers;
  std::vector<VolunteerStageEvent> stage_events;  // oldest first
  std::vector<MentorAssignment> active_assignments;
};

struct MentoringView {
  ClientCard card;
  std::vector<MentorAssignment> assignments;
  std::vector<MentoringSession> sessions;  // newest first, with sign-off filled in
  std::vector<Correction> corrections;     // of session logs and assignments, oldest first
};

struct MappaMeetingView {
  MappaMeeting meeting;
  std::vector<Correction> corrections;
  std::vector<DisclosureLogEntry> disclosure_log;  // oldest first
};

// What one institution receives of signed minutes (MAPPA agency pack): the meeting's facts
// and decisions, that institution's participants, the actions it owns and the disclosures
// addressed to it — built from those rows only, so nothing else can leak into the pack.
struct MappaPackView {
  MappaMeeting meeting;  // participants, actions, disclosures: the institution's only
  Institution institution = Institution::kOther;
  std::string pack_id, generated_at;
  std::string signer_name, unit_name;
};

// The history of one record: its creation and changes (audit), its appended corrections and,
// for versioned records, the versions it supersedes or that supersede it.
struct HistoryEntry {
  std::string at, user_id,
      kind;            // kind: created, updated, read, signed, closed, correction, version
  std::string detail;  // columns or ids; for corrections "field=value (reason)"
  std::string record_id;
};
struct HistoryView {
  std::string target_table, target_id;
  std::vector<HistoryEntry> entries;  // oldest first
};

// A person's request for the data held about them (right of access, Directive 2016/680 art.
// 14, GDPR art. 15): every record this store holds about the person, across all their cases
// the actor may read, with what is withheld listed by kind, date and ground — never its
// content. Built from rows (client/subject_access.cpp has the rules): a withheld field is
// left out of the view, so no output made from it can show it.
struct SubjectWithheld {
  std::string kind;   // the record kind in words ("Saistītās personas kontaktinformācija")
  std::string table;  // the record's table ("related_person"), for machines
  std::string case_id, record_id;
  std::string date;                        // ISO date of the record, empty when it has none
  std::string detail;                      // non-content facts ("2 personas"), may be empty
  std::string ground;                      // why, in words
  std::optional<Institution> institution;  // the recipient or participant's institution
};
// A correction with the value it corrects (the original stays in the record).
struct SubjectCorrection {
  Correction correction;
  std::string original;
};
// One read or hand-over of the person's file: who (name, role, unit) and when.
struct SubjectAccessLogEntry {
  std::string at, case_id, action, user_name, role, unit_name;
};
struct SubjectCase {
  CaseFileView file;  // withheld fields emptied; unsigned drafts left out
  std::vector<MentorAssignment> mentor_assignments;
  std::vector<MentoringSession> mentoring_sessions;  // newest first
  std::vector<MappaMeeting> meetings;  // signed minutes naming the case; withheld parts removed
  std::vector<SubjectCorrection> corrections;  // of this case's and its mentoring records
};
struct SubjectAccessView {
  std::string client_id, person_id;
  Client client;                         // the details as recorded in the case the request names
  std::string unit_id;                   // that case's unit: the letterhead
  std::string prepared_at, prepared_on;  // ISO timestamp and date
  std::string requester_id, requester_name;
  std::vector<SubjectCase> cases;                 // oldest case first
  std::vector<SubjectAccessLogEntry> access_log;  // oldest first
  std::vector<SubjectWithheld> withheld;
};

// One field of a change in a case's history, with the values as stored (enum codes, ISO dates,
// user ids, "0"/"1"): the UI puts them in words. `values_known` is false for entries written
// before the audit kept values (their detail named the columns only) and for creations, whose
// audit names the columns written (the record's first values are the `from` of its first
// change, or the record itself). A value the audit kept only the first
// kAuditValueBytes of has its `*_cut` flag set.
struct HistoryFieldChange {
  std::string column;
  std::string from, to;  // empty = not recorded (NULL)
  bool values_known = true;
  bool from_cut = false, to_cut = false;
};
// One entry of a case's history: an act on one record of the case scope.
//   action: created, updated, signed (an update that sets signed_at), closed (an update that
//           sets status to closed), correction, read, render, export, or any other audited
//           action as written.
//   record_label: a short label of the record when one is cheap (a contact's day, a
//           section's opening day, a related person's name; ISO dates as stored), else empty.
//   fields: what changed (updates: the columns whose value changed, then those written with
//           the value they already had, values_known false; creations: the columns written,
//           values_known false; corrections: the corrected field with the value it showed
//           before (`from`) and the corrected one (`to`)).
//   reason: a correction's reason. detail: the audit detail when it is not a change (e.g. a
//           render's "case_summary pdf 3 pages").
struct CaseHistoryEntry {
  std::string at, user_id, action;
  std::string table, record_id, record_label;
  std::vector<HistoryFieldChange> fields;
  std::string reason, detail;
};
struct CaseHistoryView {
  std::string case_id;
  std::vector<CaseHistoryEntry> entries;  // newest first
};

struct WorkspaceOptions {
  // Milliseconds since the Unix epoch; tests pin it. Default: the system clock.
  std::function<std::int64_t()> now_ms;
};

class Workspace {
 public:
  // Loads the acting user from org_user: kNotFound for an unknown id, kNotPermitted for an
  // inactive account. The client schema must already be migrated.
  static Result<std::unique_ptr<Workspace>> Open(storage::Database& db, sync::Replica& replica,
                                                 std::string_view user_id,
                                                 WorkspaceOptions options = {});

  const Actor& actor() const { return actor_; }
  // Today as ISO 'YYYY-MM-DD' by the workspace clock: the day in Latvia
  // (sync::access::ServiceDay), whatever time zone the device is set to.
  std::string Today() const;

  // --- commands (each one transaction; returns the created or changed record's id) ---
  Result<std::string> Execute(const Command& command);
  Result<std::string> Execute(const RegisterClient& c);
  Result<std::string> Execute(const OpenCase& c);
  Result<std::string> Execute(const UpdateClientDetails& c);
  Result<std::string> Execute(const AddRelatedPerson& c);
  Result<std::string> Execute(const VoidRelatedPerson& c);
  Result<std::string> Execute(const CloseCase& c);
  Result<std::string> Execute(const ReassignCase& c);
  Result<std::string> Execute(const StartMonitoringEpisode& c);
  Result<std::string> Execute(const EndMonitoringEpisode& c);
  Result<std::string> Execute(const PlaceInRehabilitationCentre& c);
  Result<std::string> Execute(const EndRehabilitationPlacement& c);
  Result<std::string> Execute(const RecordEvaluationRequest& c);
  Result<std::string> Execute(const SubmitEvaluationReport& c);
  Result<std::string> Execute(const OpenSupervisionSection& c);
  Result<std::string> Execute(const AmendSupervisionSection& c);
  Result<std::string> Execute(const CloseSupervisionSection& c);
  Result<std::string> Execute(const CorrectRecord& c);
  Result<std::string> Execute(const RecordAssessment& c);
  Result<std::string> Execute(const AmendAssessment& c);
  Result<std::string> Execute(const SignAssessment& c);
  Result<std::string> Execute(const CreatePlan& c);
  Result<std::string> Execute(const RecordContact& c);
  Result<std::string> Execute(const RecordContactOutcome& c);
  Result<std::string> Execute(const RecordViolation& c);
  Result<std::string> Execute(const FileCourtApplication& c);
  Result<std::string> Execute(const RecordCourtDecision& c);
  Result<std::string> Execute(const RecordConsent& c);
  Result<std::string> Execute(const ReferToProgramme& c);
  Result<std::string> Execute(const EnrolInProgramme& c);
  Result<std::string> Execute(const RecordAttendance& c);
  Result<std::string> Execute(const EndReferral& c);
  Result<std::string> Execute(const ReferToMentoring& c);
  Result<std::string> Execute(const EndMentoringReferral& c);
  Result<std::string> Execute(const AddNote& c);
  Result<std::string> Execute(const RegisterVolunteer& c);
  Result<std::string> Execute(const AdvanceVolunteerStage& c);
  Result<std::string> Execute(const AssignMentor& c);
  Result<std::string> Execute(const EndMentorAssignment& c);
  Result<std::string> Execute(const LogMentoringSession& c);
  Result<std::string> Execute(const SignOffMentoringSession& c);
  Result<std::string> Execute(const RecordMappaMeeting& c);
  Result<std::string> Execute(const AmendMappaMeeting& c);
  Result<std::string> Execute(const SignMappaMinutes& c);
  Result<std::string> Execute(const SetUnitSetting& c);
  Result<std::string> Execute(const CreateRegion& c);
  Result<std::string> Execute(const CreateUnit& c);
  Result<std::string> Execute(const CreateUser& c);
  Result<std::string> Execute(const SetUserActive& c);
  Result<std::string> Execute(const AddProgramme& c);
  Result<std::string> Execute(const CompleteMappaAction& c);
  Result<std::string> Execute(const DecideMissedContact& c);
  Result<std::string> Execute(const OrderCommunityWork& c);
  Result<std::string> Execute(const AddWorkPlacement& c);
  Result<std::string> Execute(const EndWorkPlacement& c);
  Result<std::string> Execute(const LogCommunityHours& c);
  Result<std::string> Execute(const StartEvaluationReport& c);
  Result<std::string> Execute(const DraftEvaluationReport& c);
  Result<std::string> Execute(const SignEvaluationReport& c);
  Result<std::string> Execute(const WithdrawEvaluationRequest& c);
  Result<std::string> Execute(const Countersign& c);
  Result<std::string> Execute(const AddMediationParty& c);
  Result<std::string> Execute(const RecordMediationConsent& c);
  Result<std::string> Execute(const AssignMediator& c);
  Result<std::string> Execute(const RecordMediationMeeting& c);
  Result<std::string> Execute(const RecordMediationMeetingOutcome& c);
  Result<std::string> Execute(const RecordMediationOutcome& c);
  Result<std::string> Execute(const RecordAgreementFulfilment& c);
  Result<std::string> Execute(const ReportMediation& c);
  Result<std::string> Execute(const OfferCaseTransfer& c);
  Result<std::string> Execute(const WithdrawCaseTransfer& c);
  Result<std::string> Execute(const AcceptCaseTransfer& c);
  Result<std::string> Execute(const DeclineCaseTransfer& c);
  Result<std::string> Execute(const OpenBreakGlass& c);

  // Applies the client-card rules (workspace.cpp, above RefreshClientCard) to every case
  // file on this device the actor writes: voids the cards whose referral ended more than the
  // grace period ago, and rewrites through the replica the cards schema step 4 fixed in place
  // (so the fix reaches the central store and the coordinators' devices). Returns the number
  // of cards written; 0 for actors who write no case files. One transaction. Run it when an
  // officer's workspace opens and before a sync (the CLI does both).
  Result<std::int64_t> ApplyClientCardRules();

  // Appends an audit entry for a whole-store transfer: `action` "export" or "import",
  // detail the record count (never a file name or content). Administrators audit in the org
  // scope, supervisors in their unit's scope; kNotPermitted for anyone who may not export
  // (CanExportWholeStore). One transaction.
  Result<std::string> RecordDataTransfer(std::string_view action, std::int64_t records);

  // Appends an audit entry for a table handed on as a file (CSV, XLSX): action `export`,
  // target table `table` ("caseload", "agenda", "indicators"), detail "<rows> rows <format>"
  // (never a file name or a value), in the actor's unit scope. For the roles with a caseload
  // (officers, supervisors); kNotPermitted otherwise. One transaction. The rows themselves
  // come from Caseload(), BuildAgenda() or ComputeIndicators(), which decide what the actor
  // may see.
  Result<std::string> RecordTableExport(std::string_view table, std::int64_t rows,
                                        std::string_view format);

  // Appends an audit entry for a document rendered from a record (action `render`, detail
  // the document kind and page count) in the record's scope, after checking that the actor
  // may read that scope (kNotPermitted otherwise; kNotFound for no such record).
  Result<std::string> RecordDocumentRender(std::string_view table, std::string_view id,
                                           std::string_view document, int pages);
  // Subject access (client/subject_access.cpp has the rules): gathers everything this store
  // holds about the person of client `client_id` (the client row's id) across all their cases,
  // reading each case file the actor may read (audited reads); cases, meetings the actor may
  // not read are listed as withheld. The responsible officer of the named case and the
  // supervisor of its unit may; kNotPermitted for anyone else (volunteer coordinators,
  // administrators) before anything is read or written; kNotFound for an unknown client.
  Result<SubjectAccessView> SubjectAccess(std::string_view client_id);
  // Records a package handed to the person: one `subject_access` audit entry in each case
  // scope of `view` (detail: formats, cases, withheld count; never content). One transaction;
  // kNotPermitted when the actor no longer reads one of the cases.
  Result<std::string> RecordSubjectAccess(const SubjectAccessView& view, std::string_view formats);
  // The case a case-file record belongs to (court_application, assessment...), for an actor
  // who may read that case file: kNotPermitted otherwise, kNotFound for no such record.
  Result<std::string> CaseOfRecord(std::string_view table, std::string_view id);
  // Whether the mediation report of `case_id` (client/documents/export.hpp
  // ExportMediationReport) has something to say, checked before the audited read of the case
  // file: the actor may read the case (kNotPermitted otherwise, kNotFound for no such case), it
  // is a mediation case (kValidation "case_id: mediation records belong to mediation cases,
  // not KIND") and its outcome is recorded (kValidation "case_id: record the mediation's
  // outcome first"). Reads the case's kind and the outcome only; writes nothing.
  Result<void> CheckMediationReportable(std::string_view case_id);

  // Generates the agency pack of signed minutes for one institution, in one transaction:
  // builds the MappaPackView, calls `deliver` with it (render and write the PDF), then
  // appends one mappa_disclosure_log row per disclosure in the pack and a `render` audit
  // entry in the meeting's scope. If `deliver` fails nothing is logged; the log never misses
  // a pack that was delivered. Officers and supervisors of the meeting's unit; kNotPermitted
  // otherwise and for unsigned minutes; kValidation when the institution neither took part
  // nor receives a disclosure or an action. Returns the pack id.
  Result<std::string> GenerateMappaPack(
      std::string_view meeting_id, Institution institution,
      const std::function<Result<void>(const MappaPackView&)>& deliver);

  // --- queries ---
  // Officer: own cases only (filter.officer_id must be empty or self). Supervisor: the unit.
  Result<std::vector<CaseloadRow>> Caseload(const CaseloadFilter& filter = {});
  // Every tab of a case file; appends a `read` audit entry. A deputy without an open
  // break-glass, and everyone for a sealed case without one, is refused with kNotPermitted
  // "... opens only by break-glass with a reason" (client/permissions.hpp).
  Result<CaseFileView> CaseFile(std::string_view case_id);
  // Officers: the cases on this device the actor covers today for an absent colleague
  // (apart from Caseload(), which lists the actor's own). Empty for other roles. Not
  // audited: names and ids only, as the caseload.
  Result<std::vector<CoveredCase>> CoveredCases();
  // The covers this device knows from the directory, current and future ones (any active
  // user may list them: they are directory data), by from_day.
  Result<std::vector<CoverView>> Covers();
  // The break-glasses of one case, newest first, for a reader of the case file or one who
  // may open a break-glass on it (kNotPermitted otherwise). Not audited (no case content).
  Result<std::vector<BreakGlassEntry>> BreakGlasses(std::string_view case_id);
  // Supervisors: the transfers offered to their unit and waiting (`incoming`), or every
  // transfer of their unit's cases held here, newest first. Others: kNotPermitted.
  Result<std::vector<CaseTransfer>> Transfers(bool incoming);
  Result<VolunteerRegisterView> VolunteerRegister(std::string_view unit_id = {});
  // Cards of the unit's clients (coordinator, supervisor; officers see their own).
  Result<std::vector<ClientCard>> ClientCards(std::string_view search = {});
  // The mentoring scope of a case; appends a `read` audit entry (session notes are restricted).
  Result<MentoringView> Mentoring(std::string_view case_id);
  Result<std::vector<MappaMeeting>> MappaMeetings();  // the actor's unit, newest first
  Result<MappaMeetingView> MappaMeetingDetail(std::string_view meeting_id);
  // Every disclosure-log entry of the actor's unit's meetings (one query), by meeting id,
  // oldest first; the MAPPA page's log. Read without an audit row, as the meetings are.
  Result<std::map<std::string, std::vector<DisclosureLogEntry>>> MappaDisclosureLogs();
  // The corrections of the actor's unit's meetings' minutes and of their participant, action
  // and disclosure rows (one query), by meeting id, oldest first; the MAPPA page's corrections
  // beside the originals.
  Result<std::map<std::string, std::vector<Correction>>> MappaMinutesCorrections();
  // One record's history. Entries written with values (see CaseHistory) show here by their
  // column names, as they always did.
  Result<HistoryView> History(std::string_view target_table, std::string_view target_id);
  // Every act on every record of the case's scope (client/history.cpp), newest first:
  // creations, changes with each field's value before and after, signatures, closings,
  // corrections with the value corrected, its new value and the reason, reads, renders.
  // `table` keeps one record kind (a table name, e.g. "contact"); empty keeps all. Readers of
  // the case file only (kNotPermitted otherwise, kNotFound for a case not on this device).
  // Not audited itself: the desktop loads it with CaseFile, whose read is. A fixed number of
  // statements per call (the audit, the corrections, one label query per record kind shown),
  // never one per entry.
  Result<CaseHistoryView> CaseHistory(std::string_view case_id, std::string_view table = {});
  // Directory and catalogue (scope org): every active user may read them.
  Result<std::vector<Region>> Regions();
  Result<std::vector<Unit>> Units();
  Result<std::vector<User>> Users();
  Result<std::vector<Programme>> Programmes();
  Result<std::string> UnitSetting(std::string_view name);  // empty when unset

  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  ~Workspace();

 private:
  Workspace(storage::Database& db, sync::Replica& replica, Actor actor, WorkspaceOptions options);
  storage::Database& db_;
  sync::Replica& replica_;
  Actor actor_;
  WorkspaceOptions options_;
};

}  // namespace lietvedis::client
