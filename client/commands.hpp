// The commands of the Workspace (client/workspace.hpp): plain structs named imperatively,
// one per change an officer, supervisor, coordinator or administrator makes, and the Command
// variant that holds any of them. Workspace::Execute validates, checks permission and writes
// each in one transaction; the rules are above each struct and in the workflows_*.cpp files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client/model.hpp"

namespace lietvedis::client {

// ---------------------------------------------------------------------------------------
// Commands. Optional fields: empty string / std::nullopt. Ids are from earlier results.

// Registers a client together with the first case (a client record lives in a case file).
// Returns the id of the new CASE; the client's id is CaseFileView::client.id.
//
// Duplicates: a personal code already held by a client on this device is refused
// (kValidation naming `personal_code`, the existing person and case), unless `same_person`
// says the officer means that person: the new case then shares the existing person_id. A
// birth date that contradicts the one recorded for that code is refused either way.
// WARNING: only the cases on this device are compared (an officer's device holds the
// officer's own cases); the central store never sees personal codes in clear.
struct RegisterClient {
  std::string name, surname, personal_code, birth_date, phone, email, address, municipality;
  std::vector<ClientTag> tags;
  CaseKind kind = CaseKind::kConditionalSentence;
  std::string opened_on;               // default: today
  std::string responsible_officer_id;  // default: the acting officer
  bool same_person = false;            // the personal code is that of an existing person
};
// Opens another case for a client already registered (copies the client record into the new
// case file, sharing person_id). Returns the new case id.
struct OpenCase {
  std::string client_id;
  CaseKind kind = CaseKind::kConditionalSentence;
  std::string opened_on, responsible_officer_id;
};
// Replaces the client's details in one case file and refreshes the mentoring card.
struct UpdateClientDetails {
  std::string case_id, name, surname, phone, email, address, municipality;
  std::vector<ClientTag> tags;
};
struct AddRelatedPerson {
  std::string case_id;
  Relation relation = Relation::kFamilyMember;
  std::string kind, name, surname, phone, note;
};
// Removes a related person from the case file's view (rows are never deleted: the row keeps
// its data with `voided_at` set, and History() shows when and by whom).
struct VoidRelatedPerson {
  std::string person_id;
};
struct CloseCase {
  std::string case_id, closed_on;
};
// Supervisor of the case's unit only; the new officer must be an active officer of the unit.
struct ReassignCase {
  std::string case_id, new_officer_id;
};
struct StartMonitoringEpisode {
  std::string case_id, started_on, planned_end_on;
};
struct EndMonitoringEpisode {
  std::string episode_id, ended_on;
  EmOutcome outcome = EmOutcome::kCompleted;
};
struct PlaceInRehabilitationCentre {
  std::string case_id, centre, started_on, planned_end_on;
  std::int64_t daily_cost_cents = 0;
};
struct EndRehabilitationPlacement {
  std::string placement_id, ended_on;
};
struct RecordEvaluationRequest {
  std::string case_id;
  Requester requester = Requester::kCourt;
  std::string requester_name, reference, received_on, deadline_on;
};
// Evaluation reports (client/workflows_evaluation.cpp has the rules). A request moves
// requested -> in_progress (StartEvaluationReport) -> submitted (SubmitEvaluationReport, only
// with the report signed), or to withdrawn (WithdrawEvaluationRequest) before submission.
// Submitted and withdrawn requests are final (kNotPermitted); so is a signed report.
struct SubmitEvaluationReport {
  std::string request_id, submitted_on;  // submitted_on: default today; not before signing
};
// Starts the report of a requested evaluation: the request goes in progress and an empty
// report (id = the request's id) is created. started_on: default today, not before the
// request was received, not in the future.
struct StartEvaluationReport {
  std::string request_id, started_on;
};
// Writes the sections given (std::nullopt: left as they are; "" empties a section) of an
// unsigned report whose request is in progress. Each section is well-formed UTF-8 of at most
// kEvaluationSectionMaxBytes; `assessment_id` must be an assessment of the same case (it may
// still be unsigned while drafting).
struct DraftEvaluationReport {
  std::string request_id;
  std::optional<std::string> circumstances, offence, risk_needs, attitude, conclusion;
  std::optional<std::string> assessment_id;
};
inline constexpr size_t kEvaluationSectionMaxBytes = 20000;
// Signs the report: every section written and the assessment named and signed, else
// kValidation naming the first field missing. The signer is the acting officer.
struct SignEvaluationReport {
  std::string request_id;
};
// The requester withdrew the request (or it lapsed) before submission; reason required.
struct WithdrawEvaluationRequest {
  std::string request_id, withdrawn_on, reason;
};
struct OpenSupervisionSection {
  std::string case_id, sentence_type, court_decision_ref, obligations, opened_on, planned_end_on;
  EmploymentStatus employment_at_opening = EmploymentStatus::kUnknown;
  DisabilityGroup disability_group = DisabilityGroup::kNone;
  bool no_employment_taxes_at_opening = false;
};
// Changes obligations / planned end of an OPEN section; a closed one is read-only.
struct AmendSupervisionSection {
  std::string section_id, obligations, planned_end_on;
};
struct CloseSupervisionSection {
  std::string section_id, closed_on;
  SectionOutcome outcome = SectionOutcome::kCompleted;
  EmploymentStatus employment_at_closure = EmploymentStatus::kUnknown;
};
// Appends a correction of one field of a signed, closed or append-only record, in a scope the
// actor writes (case file: the responsible officer; mentoring: the coordinator; unit: its
// officers and supervisors). `target_table` is the table name (supervision_section,
// assessment, contact, mappa_meeting, mentoring_session, note...), `field` one of its
// replicated columns. Audit entries and corrections themselves cannot be corrected, nor a
// column that links the record to another (`*_id`, `*_ids`: its case, meeting, referral,
// assignment or author). A reason is required (not blank); the value may be empty; a
// day (`*_on`) must be a date (dd.mm.yyyy or ISO) and is stored as ISO; an institution
// column takes an Institution code; `attended` takes 1 or 0.
// The records without a form of their own are corrected this way too: a MAPPA participant,
// action or disclosure row of signed minutes (unit scope), a mentor assignment (mentoring
// scope), a note and a programme attendance (case scope).
struct CorrectRecord {
  std::string target_table, target_id, field, value, reason;
};
struct RecordAssessment {
  std::string case_id;
  Instrument instrument = Instrument::kVpdRvn;
  std::string instrument_version, assessed_on;
  std::int64_t total_score = 0;
  std::string item_scores;  // only what the instrument's licence allows
  RiskLevel risk_level = RiskLevel::kLow;
  std::vector<NeedDomain> needs;
  std::string supersedes_id;  // a signed assessment this one corrects (same case)
};
// Changes an UNSIGNED assessment; refused once signed.
struct AmendAssessment {
  std::string assessment_id;
  std::int64_t total_score = 0;
  std::string item_scores;
  RiskLevel risk_level = RiskLevel::kLow;
  std::vector<NeedDomain> needs;
};
struct SignAssessment {
  std::string assessment_id;
};
struct PlanGoalInput {
  std::string goal;
  std::optional<NeedDomain> need;
  std::string interventions, review_on;
};
// Creates the case's resocialisation plan; over an active plan it records the next version
// (the old one becomes superseded and stays readable).
struct CreatePlan {
  std::string case_id, next_review_on;
  std::vector<PlanGoalInput> goals;
};
// Records a contact: planned (future) or already held/missed.
struct RecordContact {
  std::string case_id, planned_at;
  ContactStatus status = ContactStatus::kPlanned;
  ContactMode mode = ContactMode::kInPerson;
  std::string held_on, outcome, note;
};
// Records what happened to a PLANNED contact; held/missed contacts are immutable.
struct RecordContactOutcome {
  std::string contact_id;
  ContactStatus status = ContactStatus::kHeld;
  std::string held_on, outcome, note;
};
struct RecordViolation {
  std::string case_id;
  ViolationKind kind = ViolationKind::kWarning;
  std::string occurred_on, description;
};
// `warning_ids`: the escalation warnings (DecideMissedContact, decision warning) of this case
// the application rests on; each may ground one application only.
struct FileCourtApplication {
  std::string case_id;
  CourtApplicationKind kind = CourtApplicationKind::kReplaceUnservedSentence;
  std::string filed_on, reason;
  std::vector<std::string> warning_ids;
};
// The officer's decision on a MISSED contact: a warning (counted in the case's open
// supervision section; the unit setting escalation.warnings_for_court_application, default
// 2, is the count at which a court application is proposed) or a justified absence (reason
// required). One decision per contact, never changed (append-only; corrections appended).
struct DecideMissedContact {
  std::string contact_id;
  MissedContactDecision decision = MissedContactDecision::kWarning;
  std::string reason, decided_on;  // decided_on: default today; not before the contact
};
// Community work (case kinds community_work and juvenile_community_work): one order per
// case, hours ordered 1..280 and a deadline after the order date.
struct OrderCommunityWork {
  std::string case_id;
  std::int64_t hours_ordered = 0;
  std::string ordered_on, deadline_on, court_decision_ref;
};
// Where the hours are worked; starts on or after the order date.
struct AddWorkPlacement {
  std::string order_id, provider, address, started_on;
};
// Mediation (izlīgums; mediation cases only, client/workflows_mediation.cpp has the rules).
// A harmed person as a party: name required; consent_on (optional) the day they consented.
struct AddMediationParty {
  std::string case_id, name, surname, contact, consent_on;
};
// A consent to mediate, recorded once: a party's (`party_id`) or, with `party_id` empty, the
// client's. Not in the future, not before the case was opened.
struct RecordMediationConsent {
  std::string case_id, party_id, consent_on;
};
// The mediator: a certified volunteer of kind mediator of the case's unit (`volunteer_id`,
// checked in the unit's volunteer register held on this device), or with `volunteer_id`
// empty the responsible officer. Changeable until the outcome is recorded.
struct AssignMediator {
  std::string case_id, volunteer_id;
};
// A mediation meeting, planned (on or after today) or held (not in the future). Needs a
// mediator, the client's consent and each named party's consent dated on or before the
// meeting; at least one party. Refused once the outcome is recorded.
struct RecordMediationMeeting {
  std::string case_id, meeting_on;
  MeetingMode mode = MeetingMode::kInPerson;
  MediationMeetingStatus status = MediationMeetingStatus::kHeld;
  std::vector<std::string> party_ids;
  bool client_attended = true;
  std::string note;
};
// A planned meeting held (not before its day, i.e. the day has come) or cancelled; once.
struct RecordMediationMeetingOutcome {
  std::string meeting_id;
  MediationMeetingStatus status = MediationMeetingStatus::kHeld;
  std::string note;  // replaces the planned meeting's note when given
};
// The outcome, once. An agreement needs its terms and a due date after decided_on; an
// agreement or no agreement needs a held meeting; terms only with an agreement.
struct RecordMediationOutcome {
  std::string case_id;
  MediationOutcome outcome = MediationOutcome::kAgreement;
  std::string decided_on, agreement_terms, agreement_due_on;
};
// Whether the agreement was fulfilled, once; not before the outcome, not in the future.
struct RecordAgreementFulfilment {
  std::string case_id;
  AgreementFulfilment fulfilment = AgreementFulfilment::kFulfilled;
  std::string on;
};
// The report to the requesting authority, which ends the case: needs the outcome (and for an
// agreement its fulfilment); closes the case on reported_on (no open supervision section).
struct ReportMediation {
  std::string case_id, reported_on, report_to;
};
struct EndWorkPlacement {
  std::string placement_id, ended_on;
};
// One day's work at a placement (append-only). The day lies within the placement, on or
// after the order date and not after today; a day's total stays within the unit setting
// community_work.max_hours_per_day (default 8) and the order's total within the hours
// ordered.
struct LogCommunityHours {
  std::string placement_id, worked_on;
  std::int64_t minutes = 0;
  std::string note;
};
struct RecordCourtDecision {
  std::string application_id, decision, decided_on;
};
struct RecordConsent {
  std::string case_id, programme_id;
  ConsentDecision decision = ConsentDecision::kGiven;
  std::string given_on;
};
// Needs recorded consent for this programme, a need, and a risk level (given, or from the
// case's latest assessment).
struct ReferToProgramme {
  std::string case_id, programme_id;
  std::optional<NeedDomain> need;
  std::optional<RiskLevel> risk_level;
  std::string referred_on;
};
struct EnrolInProgramme {
  std::string referral_id, enrolled_on;
};
struct RecordAttendance {
  std::string referral_id, session_on;
  bool attended = true;
  std::string note;
};
// status: completed, dropped_out or cancelled.
struct EndReferral {
  std::string referral_id, ended_on;
  ReferralStatus status = ReferralStatus::kCompleted;
};
// The officer refers the client to peer mentoring (līdzgaitnieks) with the client's consent
// (consent_on: the date the client agreed; required). Only now does the client's card appear
// in mentoring:<case> for the unit's volunteer coordinators. One active referral per case;
// the case must be open.
//
// `circle`: a referral to a circle of support and accountability (atbildīguma un atbalsta
// aplis), only for a client tagged sex_offence (kValidation naming `circle` otherwise). The
// card carries the flag, and the coordinator may then assign up to 5 certified circle
// members at once instead of one mentor.
struct ReferToMentoring {
  std::string case_id, consent_on, referred_on;
  bool circle = false;
};
// Ends a referral to peer mentoring. The card stays in the mentoring scope for the unit's
// grace period (unit setting mentoring.card_grace_days, default 30 days) and is then voided
// by ApplyClientCardRules; logged sessions stay with the case.
struct EndMentoringReferral {
  std::string referral_id, ended_on;
};
struct AddNote {
  std::string case_id, body, subject_table, subject_id;
};
struct RegisterVolunteer {
  std::string unit_id;  // default: the coordinator's unit
  std::string name, surname, phone, email, registered_on;
  VolunteerKind kind = VolunteerKind::kPeerMentor;
};
// Moves one stage forward (application -> evaluation -> interview -> training -> certified),
// or to withdrawn from any stage.
struct AdvanceVolunteerStage {
  std::string volunteer_id;
  VolunteerStage stage = VolunteerStage::kEvaluation;
  std::string on_date, note;
};
// The volunteer must be certified; one active assignment per case, or, for a client referred
// to a circle of support, up to 5 active circle members (each once).
struct AssignMentor {
  std::string case_id, volunteer_id, started_on;
};
struct EndMentorAssignment {
  std::string assignment_id, ended_on;
};
// held_on must lie inside the assignment (not before started_on, not after ended_on): a
// session may be logged late for an ended assignment, dated before its end.
// The assignment is named by `assignment_id`, or chosen by `case_id` + `volunteer_id` among
// the client's ACTIVE assignments (a circle of support has several): a volunteer without an
// active assignment of that client is refused (kValidation naming volunteer_id); `case_id`
// alone picks the only active assignment and is refused when a circle has several
// (volunteer_id: choose one). With both an assignment and a case, the assignment must be the
// client's (assignment_id).
struct LogMentoringSession {
  std::string assignment_id, held_on;
  std::int64_t duration_minutes = 0;
  MentoringMode mode = MentoringMode::kInPerson;
  std::string note;
  std::string case_id = {};  // the choice by client and volunteer (see above)
  std::string volunteer_id = {};
};
// Signed off by a coordinator of the unit other than the one who logged the session.
struct SignOffMentoringSession {
  std::string session_id, remark;
};
// A supervisor of the case's unit countersigns a signed assessment (record_table
// "assessment"), a plan version ("res_plan") or a court application ("court_application").
// Refused for an unsigned draft (kValidation naming record_id), for the record's author or
// signer and for anyone but a supervisor of the unit (kNotPermitted), and a second time for
// the same record (kNotPermitted). Returns the countersignature's id.
struct Countersign {
  std::string record_table, record_id, remark;
};
struct MappaParticipantInput {
  Institution institution = Institution::kVpd;
  std::string name;
};
struct MappaActionInput {
  std::string description;
  Institution owner = Institution::kVpd;
  std::string due_on;
};
struct MappaDisclosureInput {
  std::string what, to_whom, legal_basis;
  // The recipient institution; when unset, taken from `to_whom` if that is an institution's
  // code or its Latvian name (InstitutionFromName), else left unset (the disclosure is then
  // in no agency pack).
  // (Initialised so that the three-field form {what, to_whom, legal_basis} stays valid.)
  std::optional<Institution> recipient = std::nullopt;
};
// The institution whose code or Latvian name `text` is ("state_police", "Valsts policija";
// case and diacritics folded); std::nullopt otherwise.
std::optional<Institution> InstitutionFromName(std::string_view text);
// Recorded in the actor's unit (unit:<unit_id> scope); case ids must be cases of that unit.
struct RecordMappaMeeting {
  std::string held_on;
  MeetingMode mode = MeetingMode::kRemote;
  std::vector<std::string> case_ids;
  std::vector<MappaParticipantInput> participants;
  std::string risk_decisions, victim_decisions;
  std::vector<MappaActionInput> actions;
  std::vector<MappaDisclosureInput> disclosures;
};
// Changes UNSIGNED minutes: non-empty decision texts replace the recorded ones; participants,
// actions and disclosures are added. Signed minutes take only corrections (CorrectRecord).
struct AmendMappaMeeting {
  std::string meeting_id, risk_decisions, victim_decisions;
  std::vector<MappaParticipantInput> add_participants;
  std::vector<MappaActionInput> add_actions;
  std::vector<MappaDisclosureInput> add_disclosures;
};
struct SignMappaMinutes {
  std::string meeting_id;
};
// Marks an action item of a MAPPA meeting done (also after the minutes are signed: doing the
// action is follow-up, not a change of what was agreed). done_on: not before the meeting
// that agreed the action, not in the future; an action is done once.
struct CompleteMappaAction {
  std::string action_id, done_on, note;
};
struct SetUnitSetting {
  std::string name, value;
};
// Administrator commands (scope org).
struct CreateRegion {
  std::string name;
};
struct CreateUnit {
  std::string region_id, name;
};
struct CreateUser {
  std::string display_name;
  Role role = Role::kOfficer;
  std::string unit_id;
};
struct SetUserActive {
  std::string user_id;
  bool active = true;
};
struct AddProgramme {
  std::string name, target_group;
  ProgrammeProvider provider = ProgrammeProvider::kVpd;
  std::string provider_name;
  ProgrammeMode mode = ProgrammeMode::kInPerson;
  Accreditation accreditation = Accreditation::kAccredited;
};

// Transfers between units (client/workflows_transfer.cpp): a supervisor of the case's unit
// offers an open case to another unit with a reason; a supervisor of that unit reads the case
// file meanwhile and accepts, naming an active officer of the receiving unit, or declines
// with a reason; the sending supervisor may withdraw a waiting offer. Refused: a closed case,
// the case's own unit or an unknown one, a second waiting offer, a case with an open
// mentoring referral (its volunteer belongs to the sending unit), an officer of another
// unit. Each returns the transfer's id.
struct OfferCaseTransfer {
  std::string case_id, to_unit_id, reason;
};
struct WithdrawCaseTransfer {
  std::string transfer_id, note;
};
struct AcceptCaseTransfer {
  std::string transfer_id, new_officer_id, note;
};
struct DeclineCaseTransfer {
  std::string transfer_id, reason;
};
// Break-glass (docs/PRIVACY.md "Break-glass"; who may, in client/permissions.hpp): opens the
// case file to the actor until midnight in Latvia (the service's day), offline too. The reason is
// required: trimmed, at least kBreakGlassReasonMinChars characters, well-formed UTF-8 of at most
// 4000 bytes (kValidation naming `reason`). Writes a break_glass row in the case's scope and
// a `break_glass` entry of the audit chain in the same transaction; the row syncs with the
// case to its owner and the unit's supervisors, whose agendas list it. kNotPermitted for
// anyone who may not (naming why), kNotFound for a case not on this device. Returns the
// break_glass row's id.
struct OpenBreakGlass {
  std::string case_id, reason;
};
inline constexpr size_t kBreakGlassReasonMinChars = 10;

using Command = std::variant<
    RegisterClient, OpenCase, UpdateClientDetails, AddRelatedPerson, VoidRelatedPerson, CloseCase,
    ReassignCase, StartMonitoringEpisode, EndMonitoringEpisode, PlaceInRehabilitationCentre,
    EndRehabilitationPlacement, RecordEvaluationRequest, SubmitEvaluationReport,
    OpenSupervisionSection, AmendSupervisionSection, CloseSupervisionSection, CorrectRecord,
    RecordAssessment, AmendAssessment, SignAssessment, CreatePlan, RecordContact,
    RecordContactOutcome, RecordViolation, FileCourtApplication, RecordCourtDecision, RecordConsent,
    ReferToProgramme, EnrolInProgramme, RecordAttendance, EndReferral, ReferToMentoring,
    EndMentoringReferral, AddNote, RegisterVolunteer, AdvanceVolunteerStage, AssignMentor,
    EndMentorAssignment, LogMentoringSession, SignOffMentoringSession, RecordMappaMeeting,
    AmendMappaMeeting, SignMappaMinutes, SetUnitSetting, CreateRegion, CreateUnit, CreateUser,
    SetUserActive, AddProgramme, CompleteMappaAction, DecideMissedContact, OrderCommunityWork,
    AddWorkPlacement, EndWorkPlacement, LogCommunityHours, StartEvaluationReport,
    DraftEvaluationReport, SignEvaluationReport, WithdrawEvaluationRequest, Countersign,
    AddMediationParty, RecordMediationConsent, AssignMediator, RecordMediationMeeting,
    RecordMediationMeetingOutcome, RecordMediationOutcome, RecordAgreementFulfilment,
    ReportMediation, OfferCaseTransfer, WithdrawCaseTransfer, AcceptCaseTransfer,
    DeclineCaseTransfer, OpenBreakGlass>;

}  // namespace lietvedis::client
