// App: the desktop client's main-thread object. It owns the window loop, the snapshots the
// screens draw from, the widget state of every screen, and the TaskQueue whose worker owns the
// Session (store + Workspace).
//
// Frame order (main thread): poll events -> drain task completions (swap snapshots) ->
// scripted input -> NewFrame -> draw the current screen from snapshots -> Render -> optional
// screenshot -> swap. Screens never wait: they post jobs (App::Post / App::Execute) and show a
// spinner or "Ielādē…" until the completion arrives.
//
// WARNING: `session_` is touched only inside jobs (worker thread). Completions copy results
// into snapshots; they never keep references into the Session.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "client/workspace.hpp"
#include "storage/result.hpp"
#include "ui/fonts.hpp"
#include "ui/i18n.hpp"
#include "ui/script.hpp"
#include "ui/session.hpp"
#include "ui/tasks.hpp"
#include "ui/views.hpp"

struct GLFWwindow;

namespace lietvedis::ui {

struct AppOptions {
  std::string data_dir = "lietvedis-data";
  std::string server_url;
  std::string screenshot;  // save after `after_frames` frames, then exit
  int after_frames = 3;
  std::string script;        // scripted-input file
  std::string result_json;   // test mode: write a JSON summary here at exit
  std::string passphrase;    // test/demo: unlock (or create) without typing
                             // (--passphrase, or the first line of --passphrase-file)
  bool fast_kdf = false;     // interactive Argon2id cost for new stores (LIETVEDIS_FAST_KDF=1)
  int sync_interval_s = 30;  // background sync period of an enrolled device
  bool demo = false;         // create the store with demo data when it does not exist
  int demo_cases = 120;
  std::string role = "officer";  // demo user to sign in as
  std::string page;              // start page: caseload, agenda, casefile, volunteers, ...
  double auto_lock_minutes = 15;
  int width = 1440, height = 900;
};

enum class Screen { kStarting, kEnrol, kUnlock, kChooseUser, kRecoveryKit, kMain };
enum class Page {
  kCaseload,
  kAgenda,
  kCaseFile,
  kVolunteers,
  kCards,
  kDashboard,
  kMappa,
  kSync,
  kAdmin
};

// A form's inline error: the field named by a kValidation message ("personal_code: ...").
struct FieldError {
  std::string field, message;
  void Clear() { field.clear(), message.clear(); }
};

struct UnlockViewState {
  std::string passphrase, passphrase_repeat, enrolment_code, server_url, device_name;
  std::string error;  // plain words, current language
  bool working = false;
  bool auto_locked = false;
};

// The dashboard figure whose cases the caseload lists (client::IndicatorCases).
enum class IndicatorDrill {
  kNone,
  kProgrammeCompleted,
  kProgrammeDroppedOut,
  kEsf,
  kEmploymentS1,
  kEmploymentS2,
  kNeedsAssessed,
  kNeedsUnaddressed,
  kReoffended,
  kSupervised,
};

// The cases behind `figure` in `cases` (empty for kNone).
const std::vector<std::string>& DrillCases(const client::IndicatorCases& cases,
                                           IndicatorDrill figure);

struct CaseloadViewState {
  std::string search;
  int risk = 0;  // 0 any, 1..4 RiskLevel+1, 5 not assessed (filtered locally)
  int kind = 0;  // 0 any, else CaseKind+1
  std::string officer_id;
  bool overdue_only = false;
  std::vector<int> order;  // row indices in display order
  std::uint64_t ordered_generation = ~0ull;
  int sort_column = 0;
  bool sort_ascending = true;
  std::string selected_case;
  bool query_pending = false, query_dirty = false;
  // A drill-down from a dashboard figure (client::IndicatorCases): only these cases, open or
  // closed, with the figure's name above the list and a way back to the whole caseload.
  std::optional<std::vector<std::string>> only_cases;
  IndicatorDrill only_figure = IndicatorDrill::kNone;
  // The reporting year of the figure. When the dashboard's year changes (on the dashboard or
  // with the arrows above the list), the drill-down follows it to the same figure of that year.
  int only_year = 0;
  // The absent colleagues whose covered cases are unfolded (ui/form_break_glass.cpp).
  std::set<std::string> covered_open;
};

// The sync screen's scope table: the search, and the rows shown in display order, recomputed
// only when the snapshot, the language, the search or the sort specification changes.
struct SyncViewState {
  std::string search;
  std::weak_ptr<const SyncView> ordered_for;  // the snapshot `order` was computed from
  Lang ordered_lang = Lang::kLv;
  std::string ordered_search;
  bool sort_dirty = true;
  std::map<std::string, client::ScopeLabel> known;  // the last labels read, by scope id
  std::vector<client::ScopeLabel> labels;           // per scope of the snapshot
  std::vector<std::string> label_text;              // the same in `ordered_lang`
  std::vector<int> order;                           // indices of the scopes shown, in display order
};

struct RegisterClientForm {
  bool open = false, saving = false;
  client::RegisterClient cmd;
  int kind = 0;
  FieldError error;
};

// Break-glass (ui/form_break_glass.cpp): the reason asked before a covered or sealed case
// file opens (client::OpenBreakGlass).
struct BreakGlassForm {
  bool open = false, saving = false;
  std::string case_id, client_label, reason;
  FieldError error;
};

struct ContactForm {
  client::RecordContact cmd;
  int status = 0, mode = 0;
  FieldError error;
  bool saving = false;
};

// An assessment (ui/form_assessments.cpp): a new draft (RecordAssessment), the amendment of a
// draft (AmendAssessment; `amend_id`) or a new draft superseding a signed one
// (RecordAssessment with `supersedes_id`).
struct AssessmentForm {
  int instrument = 0, risk = 0;
  std::string assessed_on, version, score;
  std::vector<bool> needs = std::vector<bool>(10, false);
  std::string amend_id, supersedes_id;
  FieldError error;
  bool saving = false, open = false;
};

// The next version of the resocialisation plan (CreatePlan), started from the active one's
// goals (ui/form_plan.cpp).
struct PlanGoalRow {
  std::string goal, interventions, review_on;
  std::optional<client::NeedDomain> need;
};
struct PlanForm {
  bool open = false, saving = false;
  std::string next_review_on;
  std::vector<PlanGoalRow> goals;
  FieldError error;
};

struct NoteForm {
  std::string body;
  FieldError error;
  bool saving = false;
};

// Closing a case: the open supervision section closes first with its outcome (the reason for
// closure) and the employment at closure, then the case.
struct CloseCaseForm {
  bool open = false, saving = false;
  std::string closed_on;
  client::SectionOutcome outcome = client::SectionOutcome::kCompleted;
  client::EmploymentStatus employment = client::EmploymentStatus::kUnknown;
  FieldError error;
};

// A case's transfer to another unit (ui/form_transfer.cpp): the sending supervisor's offer
// (unit, reason), the receiving supervisor's acceptance (officer, note) or decline (reason).
struct TransferForm {
  bool open = false, saving = false;
  std::string to_unit_id, reason;
  std::string new_officer_id, note, decline_reason;
  FieldError error;
};

// What happened to a planned contact (RecordContactOutcome): held, missed or cancelled, with
// the day it was held, the outcome and a note. Open for one contact at a time.
struct ContactOutcomeForm {
  std::string contact_id;  // empty = closed
  client::ContactStatus status = client::ContactStatus::kHeld;
  std::string held_on, outcome, note;
  FieldError error;
  bool saving = false;
};

// The decision a missed contact takes (DecideMissedContact): a warning, counted in the open
// supervision section, or a justified absence with its reason.
struct MissedDecisionForm {
  std::string contact_id;  // empty = closed
  client::MissedContactDecision decision = client::MissedContactDecision::kWarning;
  std::string decided_on, reason;
  FieldError error;
  bool saving = false;
};

// The supervision section's own forms: open one (OpenSupervisionSection), amend the open one's
// obligations and planned end (AmendSupervisionSection), close it with its outcome and the
// employment at closure (CloseSupervisionSection) without closing the case.
struct SectionForm {
  enum class Kind { kNone, kOpen, kAmend, kClose };
  Kind kind = Kind::kNone;
  bool saving = false;
  std::string section_id;  // amend and close
  std::string sentence_type, court_decision_ref, obligations, opened_on, planned_end_on, closed_on;
  client::EmploymentStatus employment_at_opening = client::EmploymentStatus::kUnknown;
  client::DisabilityGroup disability_group = client::DisabilityGroup::kNone;
  bool no_employment_taxes = false;
  client::SectionOutcome outcome = client::SectionOutcome::kCompleted;
  client::EmploymentStatus employment_at_closure = client::EmploymentStatus::kUnknown;
  FieldError error;
};

// A violation recorded in the case (RecordViolation).
struct ViolationForm {
  bool open = false, saving = false;
  client::ViolationKind kind = client::ViolationKind::kViolation;
  std::string occurred_on, description;
  FieldError error;
};

// An application to court (FileCourtApplication); opened from the escalation proposal it
// carries the uncited warnings it rests on.
struct CourtApplicationForm {
  bool open = false, saving = false;
  client::CourtApplicationKind kind = client::CourtApplicationKind::kReplaceUnservedSentence;
  std::string filed_on, reason;
  std::vector<std::string> warning_ids;
  FieldError error;
};

// The court's decision on a filed application (RecordCourtDecision), recorded beside the
// application; open for one application at a time.
struct CourtDecisionForm {
  std::string application_id;  // empty = closed
  std::string decision, decided_on;
  FieldError error;
  bool saving = false;
};

// A kept (signed, held, closed or decided) record as the correction form offers it
// (ui/form_corrections.cpp): its label in the list and the fields an officer may correct, each with
// its label and recorded value. A field whose column holds a code (an institution, yes/no) lists
// its `choices` (code, label) in a combo instead of a text field; a day (`*_on`) is typed
// dd.mm.yyyy.
struct CorrectableField {
  std::string field, label, original;
  std::vector<std::pair<std::string, std::string>> choices = {};
};
struct CorrectableRecord {
  std::string id, label;
  std::vector<CorrectableField> fields;
};
// The records of one table a correction list covers (several tables share one form key).
struct CorrectableTable {
  std::string table;
  std::vector<CorrectableRecord> records;
};
// A correction of one field of a kept record (CorrectRecord); open for one record at a time.
struct CorrectionForm {
  std::string target_table, target_id;  // empty = closed
  std::string field, value, reason;
  FieldError error;
  bool saving = false;
};

// The evaluation report editor of one request (ui/screen_evaluation.cpp): the five sections'
// texts being edited until saved, the assessment chosen, and the withdrawal's day and reason.
// Kept per request id in CaseFileViewState, so the text survives tab and page switches and goes
// with the session on lock.
struct EvaluationEditor {
  std::string sections[5];
  std::string assessment_id;
  std::string loaded_at;  // drafted_at of the stored draft the buffers were loaded from
  bool dirty = false;
  std::string reason, withdrawn_on;  // withdrawal (withdrawn_on: default today)
  FieldError withdraw_error;         // the withdrawal's refusal, shown under its field
};

// Community work on the Supervision tab (ui/form_community.cpp): the order
// (OrderCommunityWork), a placement (AddWorkPlacement), its end (EndWorkPlacement) or a day's
// hours at it (LogCommunityHours, hours and minutes); one form at a time per case.
struct CommunityForm {
  enum class Kind { kNone, kOrder, kPlacement, kEndPlacement, kLogHours };
  Kind kind = Kind::kNone;
  bool saving = false;
  std::string placement_id;                               // kEndPlacement, kLogHours
  std::string hours, ordered_on, deadline_on, court_ref;  // kOrder (hours: hours ordered)
  std::string provider, address, started_on;              // kPlacement
  std::string ended_on;                                   // kEndPlacement
  std::string worked_on, minutes, note;                   // kLogHours (with hours)
  FieldError error;
};

// The Mediation tab of a mediation case (ui/form_mediation.cpp): one form at a time per case
// — a harmed person as a party (AddMediationParty), a consent (RecordMediationConsent; the
// client's when party_id is empty), the mediator (AssignMediator), a meeting
// (RecordMediationMeeting), the outcome (RecordMediationOutcome), the agreement's
// fulfilment (RecordAgreementFulfilment) and the report (ReportMediation).
struct MediationForm {
  enum class Kind { kNone, kParty, kConsent, kMediator, kMeeting, kOutcome, kFulfilment, kReport };
  Kind kind = Kind::kNone;
  bool saving = false;
  std::string name, surname, contact, on, party_id;  // kParty, kConsent (on: the day)
  std::string volunteer_id;                          // kMediator ("" = the officer)
  int status = 1, mode = 0, outcome = 0, fulfilment = 0;
  std::vector<std::string> party_ids;  // kMeeting: the parties present or invited
  bool client_attended = true;
  std::string note, terms, due_on, report_to;
  FieldError error;
};

// The Programmes tab's forms (ui/form_programmes.cpp), one set per case: the client's
// consent to a programme (RecordConsent), a referral (ReferToProgramme), one action on a
// referral at a time (EnrolInProgramme, RecordAttendance per session, EndReferral) and the
// referral to peer mentoring with the client's consent (ReferToMentoring, EndMentoringReferral).
struct ConsentForm {
  bool open = false, saving = false;
  std::string programme_id, given_on;
  client::ConsentDecision decision = client::ConsentDecision::kGiven;
  FieldError error;
};
struct ProgrammeReferralForm {
  bool open = false, saving = false;
  std::string programme_id, referred_on;
  std::optional<client::NeedDomain> need;
  std::optional<client::RiskLevel> risk_level;  // none: the case's latest assessment decides
  FieldError error;
};
struct ReferralActionForm {
  enum class Kind { kNone, kEnrol, kAttendance, kEnd };
  Kind kind = Kind::kNone;
  bool saving = false;
  std::string referral_id, on, note;  // on: enrolled_on, session_on or ended_on
  bool attended = true;
  client::ReferralStatus status = client::ReferralStatus::kCompleted;
  FieldError error;
};
struct MentoringReferralForm {
  enum class Kind { kNone, kRefer, kEnd };
  Kind kind = Kind::kNone;
  bool saving = false;
  std::string referral_id;  // kEnd
  std::string consent_on, referred_on, ended_on;
  bool circle = false;  // a circle of support (only offered for a client tagged sex_offence)
  FieldError error;
};
struct ProgrammeForms {
  ConsentForm consent;
  ProgrammeReferralForm referral;
  ReferralActionForm action;
  MentoringReferralForm mentoring;
};

// --- Client details, related persons, another case, EM and rehabilitation-centre episodes,
// evaluation requests, unit settings (ui/form_client.cpp, ui/form_episodes.cpp,
// ui/form_evaluation_request.cpp, ui/form_unit_settings.cpp) ---
// The client's details edited in place of the list on the Overview tab (UpdateClientDetails).
struct ClientDetailsForm {
  bool open = false, saving = false;
  std::string name, surname, phone, email, address, municipality;
  std::vector<client::ClientTag> tags;
  FieldError error;
};
// A related person added (AddRelatedPerson), or one person's removal confirmed
// (VoidRelatedPerson, `void_id`).
struct RelatedPersonForm {
  bool open = false, saving = false;
  client::Relation relation = client::Relation::kFamilyMember;
  std::string kind, name, surname, phone, note;
  std::string void_id;  // the person whose removal is asked; empty = none
  FieldError error;
};
// Another case for the same client (OpenCase), opened in its own tab when saved.
struct OpenCaseForm {
  bool open = false, saving = false;
  client::CaseKind kind = client::CaseKind::kConditionalSentence;
  std::string opened_on;
  FieldError error;
};
// Electronic monitoring (StartMonitoringEpisode, EndMonitoringEpisode) and placements in a
// social-rehabilitation centre (PlaceInRehabilitationCentre, EndRehabilitationPlacement): one
// form at a time per case.
struct EpisodeForm {
  enum class Kind { kNone, kStartMonitoring, kEndMonitoring, kPlace, kEndPlacement };
  Kind kind = Kind::kNone;
  bool saving = false;
  std::string record_id;  // kEndMonitoring, kEndPlacement
  std::string started_on, planned_end_on, ended_on, centre, daily_cost;  // daily_cost: euros
  client::EmOutcome outcome = client::EmOutcome::kCompleted;
  FieldError error;
  bool scroll = false;  // bring the form's buttons into view next frame (opened, refused)
};
// An evaluation request as received from a court, prosecutor or prison
// (RecordEvaluationRequest).
struct EvaluationRequestForm {
  bool open = false, saving = false;
  client::Requester requester = client::Requester::kCourt;
  std::string requester_name, reference, received_on, deadline_on;
  FieldError error;
};
struct ClientForms {
  ClientDetailsForm details;
  RelatedPersonForm related;
  OpenCaseForm open_case;
  EpisodeForm episode;
  EvaluationRequestForm evaluation;
};
// The supervisor's unit settings on the dashboard (SetUnitSetting): the text typed per
// setting name, and the error of the row last saved.
struct UnitSettingsState {
  bool shown = false;
  std::map<std::string, std::string> typed;
  std::string saving, error_name;
  FieldError error;
};
// --- end of client details ... unit settings ---

struct CaseFileViewState {
  std::vector<std::string> open_cases;  // tabs, in opening order
  std::string active_case;
  std::string select_tab;  // one-shot: tab to select ("contacts")
  std::map<std::string, ContactForm> contact_forms;
  std::map<std::string, NoteForm> note_forms;
  std::map<std::string, AssessmentForm> assessment_forms;
  std::map<std::string, CloseCaseForm> close_forms;
  std::map<std::string, TransferForm> transfer_forms;
  std::map<std::string, ContactOutcomeForm> outcome_forms;
  std::map<std::string, MissedDecisionForm> decision_forms;
  std::map<std::string, SectionForm> section_forms;
  std::map<std::string, ViolationForm> violation_forms;
  std::map<std::string, CourtApplicationForm> court_forms;
  std::map<std::string, ProgrammeForms> programme_forms;
  std::map<std::string, CourtDecisionForm> court_decision_forms;
  std::map<std::string, PlanForm> plan_forms;
  // Correction forms: by case id on the case file's tabs; "mappa:<meeting id>" on the MAPPA
  // page and "mentoring:<case id>" on the coordinator's card (ui/form_corrections.cpp).
  std::map<std::string, CorrectionForm> correction_forms;
  std::map<std::string, EvaluationEditor> evaluation_editors;  // by request id
  std::string confirm_close_tab;  // the case whose tab closing waits for a confirmation
  std::map<std::string, CommunityForm> community_forms;
  std::map<std::string, MediationForm> mediation_forms;
  // Client details, related persons, another case, episodes, evaluation requests.
  std::map<std::string, ClientForms> client_forms;
  // Vēsture: the record kind kept per case (a table name; empty: every record).
  std::map<std::string, std::string> history_kind;
  std::string reassign_to;  // supervisor: officer chosen for the active case
  std::string message;
};

// The coordinator's *Reģistrēt sesiju* form on one client card (LogMentoringSession), kept
// per card's case id in VolunteersViewState like the case file's forms per case: choosing
// another card, page or agenda row keeps it; a save or *Atcelt* drops it, so does a lock.
struct SessionDraft {
  client::LogMentoringSession cmd;
  int mode = 0;
  std::string volunteer;  // whose session, in a circle of support (volunteer id)
  FieldError error;
  bool saving = false;
  // Typed and not yet saved: a day, a duration, a note or a chosen volunteer.
  bool HasText() const {
    return !cmd.held_on.empty() || cmd.duration_minutes != 0 || !cmd.note.empty() ||
           !volunteer.empty();
  }
};

struct VolunteersViewState {
  std::string selected_volunteer, selected_card, card_search;
  client::RegisterVolunteer new_volunteer;
  int new_kind = 0;
  bool register_open = false;
  FieldError error;                                    // the volunteer registration's refusal
  std::map<std::string, SessionDraft> session_drafts;  // by the card's case id
  // The session an agenda row opened the card for (mentoring_signoff): shown ready to sign
  // off; scrolled to once (`scroll_to_session`).
  std::string signoff_session;
  bool scroll_to_session = false;
  std::string assign_volunteer;
  // Ending one mentor assignment (EndMentorAssignment): the assignment the form is open for
  // (empty = closed) and its last day.
  std::string end_assignment_id, end_assignment_on;
  FieldError end_assignment_error;
  bool end_assignment_saving = false;
  std::string message;
};

struct DashboardViewState {
  int year = 0;  // reporting year of the indicators; 0 = the workspace's current year
};

// Marking one MAPPA action done: the day and what was done (CompleteMappaAction).
struct MappaActionDoneForm {
  std::string action_id;  // the action the form is open for; empty = closed
  std::string done_on, note;
  FieldError error;
  bool saving = false;
};

// The "Eksportēt…" dialog (ui/screen_export.cpp): a table (caseload, agenda, indicators) as
// CSV or XLSX, or a PDF document (case summary, evaluation report, court application, mediation
// report, MAPPA minutes or one institution's MAPPA pack), written by a job on the worker
// through the core's export functions (client/documents/export.hpp). One dialog at a time.
struct ExportDialog {
  // kSubjectAccess: a person's subject access package (PDF and JSON) into a folder.
  enum class Kind {
    kCaseload,
    kAgenda,
    kIndicators,
    kCaseSummary,
    kSubjectAccess,
    kEvaluationReport,
    kCourtApplication,
    kMappaMinutes,
    kMappaPack,
    kMediationReport
  };
  Kind kind = Kind::kCaseload;
  bool open = false, open_requested = false, running = false;
  bool xlsx = true;       // tables: XLSX (default) or CSV; the summary is always PDF
  bool comma = false;     // CSV delimiter ',' instead of ';'
  std::string path;       // output file, default in the user's home
  std::string case_id;    // kCaseSummary
  std::string client_id;  // kSubjectAccess (path is then the folder)
  // kEvaluationReport: the request id; kCourtApplication: the application id; kMappaMinutes,
  // kMappaPack: the meeting id; kMediationReport: the mediation case's id.
  std::string record_id;
  std::vector<client::Institution> institutions;  // kMappaPack: those that took part
  std::size_t institution = 0;                    // kMappaPack: index into institutions
  int year = 0;                                   // kIndicators
  client::CaseloadFilter filter;                  // kCaseload: the screen's filters
  bool not_assessed_only = false;                 // kCaseload: the local "not assessed" filter
  std::vector<std::string> ordered_case_ids;      // kCaseload: the rows in display order
  std::size_t rows_shown = 0;                     // rows the screen shows (for the note)
  std::string error, done;                        // plain words, current language
};

// MAPPA minutes forms (ui/form_mappa.cpp): recording a meeting (RecordMappaMeeting), amending
// unsigned minutes (AmendMappaMeeting: new rows only, decision texts replace the recorded ones
// when changed) and signing them (SignMappaMinutes). Rows are added and removed one by one.
struct MappaParticipantRow {
  client::Institution institution = client::Institution::kVpd;
  std::string name;  // name, surname and role, as one text
};
struct MappaActionRow {
  std::string description, due_on;
  client::Institution owner = client::Institution::kVpd;
};
struct MappaDisclosureRow {
  std::string what, to_whom, legal_basis;
  client::Institution recipient = client::Institution::kStatePolice;
};
// A case the meeting may discuss: the officer's or the unit's open cases, read once when the
// record form opens (the label is "Surname Name, personal code"; `folded` for the search).
struct MappaCaseChoice {
  std::string case_id, label, folded;
};
struct MappaMeetingForm {
  enum class Kind { kNone, kRecord, kAmend };
  Kind kind = Kind::kNone;
  bool saving = false;
  std::string meeting_id;  // kAmend
  std::string held_on;     // kRecord
  client::MeetingMode mode = client::MeetingMode::kInPerson;
  std::vector<std::string> case_ids;  // kRecord, in the order chosen
  std::string case_search;
  std::string risk_decisions, victim_decisions;
  std::string recorded_risk, recorded_victim;  // kAmend: the texts as recorded
  std::vector<MappaParticipantRow> participants;
  std::vector<MappaActionRow> actions;
  std::vector<MappaDisclosureRow> disclosures;
  FieldError error;
};
// Signing the selected unsigned minutes: the button asks once more before the command runs.
struct MappaSignForm {
  std::string meeting_id;  // the meeting being confirmed; empty = closed
  FieldError error;
  bool saving = false;
};

struct MappaViewState {
  std::string selected;
  MappaActionDoneForm done;
  // MAPPA minutes forms (ui/form_mappa.cpp)
  MappaMeetingForm form;
  MappaSignForm sign;
  std::vector<MappaCaseChoice> case_choices;
  bool case_choices_loaded = false;
};

class App {
 public:
  explicit App(AppOptions options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Opens the window and runs until it closes, the script ends or the screenshot is taken.
  // Returns the process exit code (non-zero when the script or the screenshot failed).
  int Run();

 private:
  using Job = std::function<TaskQueue::Completion(Session&)>;
  void Post(std::string label, Job job);
  // Runs a command on the worker, then refreshes the snapshots it may change; `done` runs on
  // the main thread with the command's result.
  void Execute(client::Command command, std::function<void(const Result<std::string>&)> done);

  // Startup / unlock
  void Start();
  void SubmitUnlock();
  void SubmitEnrol();
  void SignIn(const std::string& user_id);
  void LockNow(bool automatic);
  void AfterSignIn();

  // Refresh jobs
  void RefreshSession();
  void RefreshCaseload();
  void RefreshCaseFile(const std::string& case_id);
  void RefreshAgenda();
  void RefreshVolunteers();
  void RefreshMentoring(const std::string& case_id);
  void RefreshDashboard();
  void RefreshMappa();
  void RefreshAdmin();
  void RefreshSync();
  void RefreshPage(Page page);
  // After a pull applied changes or a conflict was resolved: the snapshots on screen again.
  void RefreshVisible();

  // Sync (enrolled devices only). PostSync queues one SyncOnce on the worker unless one is
  // queued or running; the frame loop calls it every `sync_interval_s`, "Sync now" at once.
  void PostSync();
  void ResolveConflict(const std::string& conflict_id, storage::Value chosen);
  // Built on the worker: the engine's status, the conflict inbox in words, this session's
  // last sync outcome. Local-only stores get pending changes only. `with_labels`: also the
  // scope labels (client::LabelScopes: a caseload query, ~180 ms at 10,000 cases), wanted only
  // when the snapshot is posted for the sync page; the status bar needs none.
  static std::shared_ptr<const SyncView> MakeSyncView(Session& session, bool with_labels);
  std::string SyncErrorText(const SyncView& view) const;
  static std::string Ago(std::int64_t then_ms);

  // Drawing
  void DrawFrame();
  void DrawCentered(float width_em, const std::function<void()>& body);
  void DrawUnlock();
  void DrawEnrol();
  void DrawChooseUser();
  void DrawRecoveryKit();
  void DrawShell();
  void DrawNav();
  void DrawStatusBar();
  void DrawCaseload();
  void DrawRegisterClient();
  // Break-glass (ui/form_break_glass.cpp): the covered and sealed cases above the caseload's
  // table, the reason modal, and the case header's line while one is open.
  void DrawLockedCases();
  void RequestBreakGlass(const std::string& case_id, std::string client_label);
  void DrawBreakGlass();
  void DrawBreakGlassBanner(const CaseFileSnapshot& snap);
  void DrawCaseFilePage();
  void DrawCaseFile(const CaseFileSnapshot& snap);
  void DrawCaseGlance(const CaseFileSnapshot& snap);
  void DrawCloseCaseForm(const CaseFileSnapshot& snap);
  // The case's transfer to another unit: offer, withdraw, accept, decline (form_transfer.cpp).
  void DrawCaseTransfer(const CaseFileSnapshot& snap);
  // Contacts tab forms (ui/form_contacts.cpp).
  void DrawContactOutcomeForm(const CaseFileSnapshot& snap);
  void DrawMissedDecisions(const CaseFileSnapshot& snap);
  // Supervision tab forms (ui/form_supervision.cpp).
  void DrawEscalationProposal(const CaseFileSnapshot& snap);
  void DrawSectionForm(const CaseFileSnapshot& snap);
  void DrawViolationForm(const CaseFileSnapshot& snap);
  void DrawCourtApplicationForm(const CaseFileSnapshot& snap);
  // The court's decision beside one application (ui/form_court.cpp); `row` numbers the ids.
  void DrawCourtDecision(const CaseFileSnapshot& snap, const client::CourtApplication& a, int row,
                         bool can_write);
  // Assessments and Plan tab forms (ui/form_assessments.cpp, ui/form_plan.cpp).
  void DrawAssessmentForm(const CaseFileSnapshot& snap);
  void DrawPlanForm(const CaseFileSnapshot& snap);
  // Corrections of kept records (ui/form_corrections.cpp): the form for `records` of
  // `table` (opened by OpenCorrection) and their corrections beside the originals.
  void OpenCorrection(const std::string& form_key, const std::string& table,
                      const CorrectableRecord& record);
  void DrawCorrections(const CaseFileSnapshot& snap, const std::string& table,
                       const std::vector<CorrectableRecord>& records);
  // The same for any form key (see CaseFileViewState::correction_forms) and corrections list;
  // `after_save` runs on the main thread once a correction is saved.
  void DrawRecordCorrections(const std::string& form_key,
                             const std::vector<client::Correction>& corrections,
                             const std::string& table,
                             const std::vector<CorrectableRecord>& records,
                             const std::function<void()>& after_save = {});
  // The same over several tables: one form, one list of corrections.
  void DrawRecordCorrections(const std::string& form_key,
                             const std::vector<client::Correction>& corrections,
                             const std::vector<CorrectableTable>& tables,
                             const std::function<void()>& after_save = {});
  // Each record of `tables` with a *Labot* button (#correct_<prefix>_N, N its row in its
  // table; prefix per table), disabled while a correction of `form_key` is open.
  void DrawCorrectButtons(const std::string& form_key, const std::vector<CorrectableTable>& tables,
                          const std::vector<const char*>& prefixes);
  // Notes (Piezīmes tab) and programme attendance (Programmas tab) of the case file.
  void DrawNoteCorrections(const CaseFileSnapshot& snap, bool can_write);
  void DrawAttendanceCorrections(const CaseFileSnapshot& snap, bool can_write);
  // The Mediation tab's final records (ui/form_corrections.cpp).
  void DrawMediationCorrections(const CaseFileSnapshot& snap, bool can_write);
  // Signed MAPPA minutes with their participant, action and disclosure rows (MAPPA page),
  // signed evaluation reports (case file), signed-off mentoring sessions and mentor
  // assignments (the coordinator's card; read-only on the case file's mentoring tab).
  void DrawMappaCorrections(const client::MappaMeeting& meeting);
  void DrawMentoringCorrections(const client::MentoringView& mentoring, bool can_write);
  // Evaluation requests with the report editor (ui/screen_evaluation.cpp).
  void DrawEvaluationReports(const CaseFileSnapshot& snap);
  // Whether a case's forms hold typed text not yet saved (closing its tab asks first).
  bool HasUnsavedText(const std::string& case_id) const;
  // The header's question when a tab with unsaved text is being closed, and what discarding
  // drops (ui/screen_casefile_forms.cpp).
  void DrawCloseTabConfirmation(const std::string& case_id);
  void DiscardCaseForms(const std::string& case_id);
  // Community work on the Supervision tab (ui/form_community.cpp).
  void DrawCommunityWork(const CaseFileSnapshot& snap, bool can_write);
  // Programmes tab forms (ui/form_programmes.cpp).
  void DrawConsentForm(const CaseFileSnapshot& snap);
  void DrawProgrammeReferralForm(const CaseFileSnapshot& snap);
  void DrawReferralActionForm(const CaseFileSnapshot& snap);
  void DrawMentoringReferral(const CaseFileSnapshot& snap, bool can_write);
  // --- Client details, related persons, another case (ui/form_client.cpp), EM and
  // rehabilitation-centre episodes (ui/form_episodes.cpp), evaluation requests
  // (ui/form_evaluation_request.cpp), unit settings (ui/form_unit_settings.cpp) ---
  void DrawClientDetails(const CaseFileSnapshot& snap);
  void DrawRelatedPersons(const CaseFileSnapshot& snap);
  void DrawOpenAnotherCase(const CaseFileSnapshot& snap);
  void DrawEpisodes(const CaseFileSnapshot& snap);
  void DrawEvaluationRequestForm(const CaseFileSnapshot& snap);
  void DrawUnitSettings(const DashboardView& view);
  // --- end ---
  void CloseCaseTab(const std::string& case_id);
  void DrawCaseOverview(const CaseFileSnapshot& snap);
  void DrawCaseSupervision(const CaseFileSnapshot& snap);
  void DrawCaseAssessments(const CaseFileSnapshot& snap);
  void DrawCasePlan(const CaseFileSnapshot& snap);
  void DrawCaseContacts(const CaseFileSnapshot& snap);
  void DrawCaseProgrammes(const CaseFileSnapshot& snap);
  void DrawCaseMentoring(const CaseFileSnapshot& snap);
  void DrawCaseMappa(const CaseFileSnapshot& snap);
  // The Mediation tab, shown for mediation cases only (ui/form_mediation.cpp).
  void DrawCaseMediation(const CaseFileSnapshot& snap);
  void DrawMediationForm(const CaseFileSnapshot& snap);
  void DrawCaseNotes(const CaseFileSnapshot& snap);
  void DrawCaseHistory(const CaseFileSnapshot& snap);
  // Countersignature of a record (ui/form_countersign.cpp): its mark, or the unit supervisor's
  // "Kontrasignēt" button (#countersign_<script_id>) when `countersignable`.
  void DrawCountersignature(const CaseFileSnapshot& snap, const char* table,
                            const std::string& record_id, bool countersignable,
                            const std::string& author_id, const std::string& script_id);
  void DrawAgenda();
  void DrawVolunteers();
  void DrawCards();
  void DrawSessionDraft(const client::MentoringView& m, const client::MentorAssignment& active,
                        int active_count);
  // *Beigt piesaisti* beside an active assignment (#end_assignment_N, N its row), then its
  // last day (#end_assignment_on), #end_assignment_save / #end_assignment_cancel.
  void DrawEndAssignment(const client::MentorAssignment& a, const std::string& case_id, int row);
  void DrawDashboard();
  void DrawMappa();
  // MAPPA minutes forms (ui/form_mappa.cpp): the record button above the meeting list, the
  // record/amend form in the detail pane, and an unsigned meeting's amend and sign buttons.
  void DrawMappaRecordButton();
  void DrawMappaMeetingForm();
  void DrawMappaDraftActions(const client::MappaMeeting& meeting);
  void LoadMappaCaseChoices();
  // Keyboard paths from every page (ui/screen_shell.cpp): Ctrl+F focuses the caseload search,
  // Ctrl+N the record-contact form of the open case.
  void HandleShortcuts();
  void DrawAdmin();  // ui/screen_admin.cpp
  void DrawAdminCovers(const AdminView& v);
  void DrawAdminProgrammes(const AdminView& v);
  // The directory change being composed (a unit, a user, an enrolment code, a deactivation or
  // reactivation, a cover): its fields, checked, and the command to run where the key is.
  void DrawAdminChange(const AdminView& v);
  // Export dialog (ui/screen_export.cpp): Open… fill the dialog and ask for the popup; the
  // dialog is drawn once per frame by DrawExportDialog (inside the page).
  void OpenCaseloadExport();
  void OpenAgendaExport();
  void OpenIndicatorsExport(int year);
  void OpenCaseSummaryExport(const std::string& case_id);
  void OpenSubjectAccessExport(const std::string& client_id);
  void OpenEvaluationReportExport(const std::string& request_id);
  void OpenCourtApplicationExport(const std::string& application_id);
  void OpenMediationReportExport(const std::string& case_id);
  void OpenMappaMinutesExport(const client::MappaMeeting& meeting);
  void OpenMappaPackExport(const client::MappaMeeting& meeting);
  void DrawExportDialog();
  void StartExport();
  void DrawSync();
  void DrawSyncScopes(const SyncView& view);  // the per-scope table with its search
  void DrawConflict(const ConflictRow& row, int index);
  void OpenCase(const std::string& case_id);
  // The coordinator's agenda row (mentoring_signoff): the card of `case_id` with the session
  // `session_id` ready to sign off (ui/screen_coordinator.cpp).
  void OpenCardSession(const std::string& case_id, const std::string& session_id);
  void ShowError(const Error& error);
  std::string ErrorText(const Error& error) const;
  void WriteResultJson(int exit_code);

  AppOptions options_;
  GLFWwindow* window_ = nullptr;
  Fonts fonts_;
  float scale_ = 1.0f;
  float centered_height_ = 0;  // content height of the centred panel last frame

  // Worker side. Declared before tasks_ so the worker is joined before the Session dies.
  std::unique_ptr<Session> session_;
  // Sync progress, written by the sync job's Progress callback on the worker, read by frames.
  std::atomic<int> sync_phase_{-1};  // sync::SyncPhase while a sync runs, else -1
  std::atomic<std::int64_t> sync_done_{0}, sync_total_{0};
  TaskQueue tasks_;

  Screen screen_ = Screen::kStarting;
  Page page_ = Page::kCaseload;
  std::optional<DeviceProfile> profile_;
  std::string recovery_key_;   // shown once on kRecoveryKit, then wiped
  std::string enrolled_user_;  // the enrolled device's user, signed in after the recovery kit
  bool sync_queued_ = false;   // a sync job is queued or running
  std::chrono::steady_clock::time_point next_sync_{};

  std::shared_ptr<const SessionView> session_view_;
  std::shared_ptr<const CaseloadView> caseload_;
  std::map<std::string, std::shared_ptr<const CaseFileSnapshot>> case_files_;
  std::shared_ptr<const AgendaView> agenda_;
  std::shared_ptr<const VolunteersView> volunteers_;
  std::shared_ptr<const client::MentoringView> mentoring_;
  std::shared_ptr<const DashboardView> dashboard_;
  std::shared_ptr<const MappaView> mappa_;
  std::shared_ptr<const AdminView> admin_;
  AdminState admin_state_;
  std::shared_ptr<const SyncView> sync_;

  UnlockViewState unlock_;
  CaseloadViewState caseload_state_;
  RegisterClientForm register_form_;
  BreakGlassForm break_glass_form_;
  CaseFileViewState case_state_;
  VolunteersViewState volunteers_state_;
  DashboardViewState dashboard_state_;
  MappaViewState mappa_state_;
  SyncViewState sync_state_;
  UnitSettingsState unit_settings_state_;  // ui/form_unit_settings.cpp
  ExportDialog export_;
  std::string toast_;  // last status line message
  std::chrono::steady_clock::time_point toast_at_{};
  std::chrono::steady_clock::time_point last_input_ = std::chrono::steady_clock::now();

  std::vector<float> frame_ms_;      // wall time of each frame (events to draw submission)
  std::vector<float> frame_cpu_ms_;  // CPU time of the frame thread over the same span
  // Each sync's window of frames, from the frame that posts it until the first frame after its
  // completion with no background job left (the views it refreshed have arrived): the sync's
  // wall time (post to completion) and the frame-thread CPU time of every frame in the window.
  struct SyncFrames {
    double wall_ms = 0;
    bool ok = false;
    std::int64_t applied_changes = 0;
    std::vector<float> frame_cpu_ms;
  };
  std::vector<SyncFrames> sync_frames_;
  bool sync_window_ = false;  // frames count into sync_frames_.back()
  std::chrono::steady_clock::time_point sync_posted_at_{};
  int syncs_finished_ = 0;  // windows closed (the script's `sync_done`)
  std::unique_ptr<ScriptPlayer> script_;
  std::string script_error_;
  int frame_ = 0;
  // Keyboard paths: one-shot focus requests, taken by the field they name when it is drawn.
  bool focus_search_ = false;        // caseload search (Ctrl+F)
  bool focus_contact_form_ = false;  // the open case's record-contact form (Ctrl+N)
};

}  // namespace lietvedis::ui
