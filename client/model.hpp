// The domain model of Lietvedis: enums with stable string codes and the plain entity structs
// that queries return. These are values: they own their strings, carry no database handles
// and may be copied to any thread (the UI keeps them in immutable snapshots).
//
// Storage conventions (see client/schema.hpp): enums are stored as their TEXT code (never the
// integer value, so adding an enumerator cannot change the meaning of stored rows); dates are
// ISO 'YYYY-MM-DD' days in Latvia (sync::access::ServiceDay), timestamps ISO 'YYYY-MM-DDTHH:MM:SSZ'
// in UTC; money is integer cents; durations are integer minutes; an empty string means "not
// recorded".
//
// WARNING: the codes below travel between replicas and into exports. Never rename or reuse
// one; add a new enumerator instead and keep decoding the old code.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lietvedis::client {

// ---------------------------------------------------------------------------------------
// Enum <-> code mapping. Each enum specialises EnumCodes with a table of {value, code}.

template <class E>
struct EnumCodes;

#define LV_ENUM_CODES(E, ...)                                                 \
  template <>                                                                 \
  struct EnumCodes<E> {                                                       \
    static constexpr std::pair<E, std::string_view> kTable[] = {__VA_ARGS__}; \
  }

// The stable code of an enum value ("conditional_sentence").
template <class E>
constexpr std::string_view Code(E value) {
  for (const auto& [v, code] : EnumCodes<E>::kTable) {
    if (v == value) return code;
  }
  return {};
}

// Decodes a stored or typed code; std::nullopt for an unknown code (a newer replica's value
// or bad input: callers decide which).
template <class E>
constexpr std::optional<E> FromCode(std::string_view code) {
  for (const auto& [v, c] : EnumCodes<E>::kTable) {
    if (c == code) return v;
  }
  return std::nullopt;
}

// Every code of E, in declaration order (for pickers and validation messages).
template <class E>
std::vector<std::string_view> AllCodes() {
  std::vector<std::string_view> out;
  for (const auto& entry : EnumCodes<E>::kTable) out.push_back(entry.second);
  return out;
}

// ---------------------------------------------------------------------------------------
// Organisation

enum class Role { kOfficer, kVolunteerCoordinator, kSupervisor, kAdministrator };
LV_ENUM_CODES(Role, {Role::kOfficer, "officer"},
              {Role::kVolunteerCoordinator, "volunteer_coordinator"},
              {Role::kSupervisor, "supervisor"}, {Role::kAdministrator, "administrator"});

// ---------------------------------------------------------------------------------------
// Clients and cases

enum class ClientTag { kJuvenile, kYoungPerson, kWoman, kSexOffence, kViolence, kAddiction };
LV_ENUM_CODES(ClientTag, {ClientTag::kJuvenile, "juvenile"},
              {ClientTag::kYoungPerson, "young_person"}, {ClientTag::kWoman, "woman"},
              {ClientTag::kSexOffence, "sex_offence"}, {ClientTag::kViolence, "violence"},
              {ClientTag::kAddiction, "addiction"});

enum class Relation { kFamilyMember, kSupportPerson };
LV_ENUM_CODES(Relation, {Relation::kFamilyMember, "family_member"},
              {Relation::kSupportPerson, "support_person"});

enum class CaseKind {
  kConditionalSentence,
  kConditionalEarlyRelease,
  kCommunityWork,
  kEvaluationReport,
  kProbationSupervision,
  kConditionalReleaseFromLiability,
  kJuvenileCommunityWork,
  kMediation,
};
LV_ENUM_CODES(CaseKind, {CaseKind::kConditionalSentence, "conditional_sentence"},
              {CaseKind::kConditionalEarlyRelease, "conditional_early_release"},
              {CaseKind::kCommunityWork, "community_work"},
              {CaseKind::kEvaluationReport, "evaluation_report"},
              {CaseKind::kProbationSupervision, "probation_supervision"},
              {CaseKind::kConditionalReleaseFromLiability, "conditional_release_from_liability"},
              {CaseKind::kJuvenileCommunityWork, "juvenile_community_work"},
              {CaseKind::kMediation, "mediation"});

enum class CaseStatus { kOpen, kClosed };
LV_ENUM_CODES(CaseStatus, {CaseStatus::kOpen, "open"}, {CaseStatus::kClosed, "closed"});

// A transfer of a case to another unit (client/workflows_transfer.cpp).
enum class TransferStatus { kOffered, kWithdrawn, kDeclined, kAccepted };
LV_ENUM_CODES(TransferStatus, {TransferStatus::kOffered, "offered"},
              {TransferStatus::kWithdrawn, "withdrawn"}, {TransferStatus::kDeclined, "declined"},
              {TransferStatus::kAccepted, "accepted"});

enum class EmOutcome { kOngoing, kCompleted, kRevoked };
LV_ENUM_CODES(EmOutcome, {EmOutcome::kOngoing, "ongoing"}, {EmOutcome::kCompleted, "completed"},
              {EmOutcome::kRevoked, "revoked"});

enum class Requester { kCourt, kProsecutor, kPrison };
LV_ENUM_CODES(Requester, {Requester::kCourt, "court"}, {Requester::kProsecutor, "prosecutor"},
              {Requester::kPrison, "prison"});

enum class EvaluationStatus { kRequested, kInProgress, kSubmitted, kWithdrawn };
LV_ENUM_CODES(EvaluationStatus, {EvaluationStatus::kRequested, "requested"},
              {EvaluationStatus::kInProgress, "in_progress"},
              {EvaluationStatus::kSubmitted, "submitted"},
              {EvaluationStatus::kWithdrawn, "withdrawn"});

enum class SectionStatus { kOpen, kClosed };
LV_ENUM_CODES(SectionStatus, {SectionStatus::kOpen, "open"}, {SectionStatus::kClosed, "closed"});

enum class SectionOutcome {
  kCompleted,
  kRevokedViolation,
  kRevokedNewOffence,
  kSentenceReplaced,
  kTransferred,
  kDeceased,
  kOther,
};
LV_ENUM_CODES(SectionOutcome, {SectionOutcome::kCompleted, "completed"},
              {SectionOutcome::kRevokedViolation, "revoked_violation"},
              {SectionOutcome::kRevokedNewOffence, "revoked_new_offence"},
              {SectionOutcome::kSentenceReplaced, "sentence_replaced"},
              {SectionOutcome::kTransferred, "transferred"},
              {SectionOutcome::kDeceased, "deceased"}, {SectionOutcome::kOther, "other"});

enum class EmploymentStatus {
  kEmployed,
  kSelfEmployed,
  kUnemployed,
  kStudent,
  kNotInLabourForce,
  kUnknown
};
LV_ENUM_CODES(EmploymentStatus, {EmploymentStatus::kEmployed, "employed"},
              {EmploymentStatus::kSelfEmployed, "self_employed"},
              {EmploymentStatus::kUnemployed, "unemployed"},
              {EmploymentStatus::kStudent, "student"},
              {EmploymentStatus::kNotInLabourForce, "not_in_labour_force"},
              {EmploymentStatus::kUnknown, "unknown"});

enum class DisabilityGroup { kNone, kGroup1, kGroup2, kGroup3 };
LV_ENUM_CODES(DisabilityGroup, {DisabilityGroup::kNone, "none"},
              {DisabilityGroup::kGroup1, "group_1"}, {DisabilityGroup::kGroup2, "group_2"},
              {DisabilityGroup::kGroup3, "group_3"});

// ---------------------------------------------------------------------------------------
// Assessment and planning

enum class Instrument {
  kVpdRvn,
  kStatic99R,
  kStable2007,
  kVrs,
  kVrsSo,
  kCans,
  kDynamicRiskScale,
  kSecurityRisk,
};
LV_ENUM_CODES(Instrument, {Instrument::kVpdRvn, "vpd_rvn"}, {Instrument::kStatic99R, "static_99r"},
              {Instrument::kStable2007, "stable_2007"}, {Instrument::kVrs, "vrs"},
              {Instrument::kVrsSo, "vrs_so"}, {Instrument::kCans, "cans"},
              {Instrument::kDynamicRiskScale, "dynamic_risk_scale"},
              {Instrument::kSecurityRisk, "security_risk"});

enum class RiskLevel { kLow, kMedium, kHigh, kVeryHigh };
LV_ENUM_CODES(RiskLevel, {RiskLevel::kLow, "low"}, {RiskLevel::kMedium, "medium"},
              {RiskLevel::kHigh, "high"}, {RiskLevel::kVeryHigh, "very_high"});

enum class NeedDomain {
  kAccommodation,
  kEducationEmployment,
  kFinances,
  kRelationships,
  kLifestyle,
  kSubstanceMisuse,
  kAlcohol,
  kEmotionalWellbeing,
  kThinkingBehaviour,
  kAttitudes,
};
LV_ENUM_CODES(NeedDomain, {NeedDomain::kAccommodation, "accommodation"},
              {NeedDomain::kEducationEmployment, "education_employment"},
              {NeedDomain::kFinances, "finances"}, {NeedDomain::kRelationships, "relationships"},
              {NeedDomain::kLifestyle, "lifestyle"},
              {NeedDomain::kSubstanceMisuse, "substance_misuse"}, {NeedDomain::kAlcohol, "alcohol"},
              {NeedDomain::kEmotionalWellbeing, "emotional_wellbeing"},
              {NeedDomain::kThinkingBehaviour, "thinking_behaviour"},
              {NeedDomain::kAttitudes, "attitudes"});

enum class PlanStatus { kActive, kSuperseded, kClosed };
LV_ENUM_CODES(PlanStatus, {PlanStatus::kActive, "active"}, {PlanStatus::kSuperseded, "superseded"},
              {PlanStatus::kClosed, "closed"});

// ---------------------------------------------------------------------------------------
// Supervision work

enum class ContactStatus { kPlanned, kHeld, kMissed, kCancelled };
LV_ENUM_CODES(ContactStatus, {ContactStatus::kPlanned, "planned"}, {ContactStatus::kHeld, "held"},
              {ContactStatus::kMissed, "missed"}, {ContactStatus::kCancelled, "cancelled"});

enum class ContactMode { kInPerson, kPhone, kVideo };
LV_ENUM_CODES(ContactMode, {ContactMode::kInPerson, "in_person"}, {ContactMode::kPhone, "phone"},
              {ContactMode::kVideo, "video"});

enum class ViolationKind { kWarning, kViolation, kNewOffence };
LV_ENUM_CODES(ViolationKind, {ViolationKind::kWarning, "warning"},
              {ViolationKind::kViolation, "violation"},
              {ViolationKind::kNewOffence, "new_offence"});

enum class CourtApplicationKind {
  kReplaceUnservedSentence,
  kExtendProbation,
  kChangeObligations,
  kOther
};
LV_ENUM_CODES(CourtApplicationKind,
              {CourtApplicationKind::kReplaceUnservedSentence, "replace_unserved_sentence"},
              {CourtApplicationKind::kExtendProbation, "extend_probation"},
              {CourtApplicationKind::kChangeObligations, "change_obligations"},
              {CourtApplicationKind::kOther, "other"});

// ---------------------------------------------------------------------------------------
// Programmes

enum class ProgrammeProvider { kVpd, kIevp, kNgo, kOther };
LV_ENUM_CODES(ProgrammeProvider, {ProgrammeProvider::kVpd, "vpd"},
              {ProgrammeProvider::kIevp, "ievp"}, {ProgrammeProvider::kNgo, "ngo"},
              {ProgrammeProvider::kOther, "other"});

enum class ProgrammeMode { kInPerson, kEEnvironment, kBlended };
LV_ENUM_CODES(ProgrammeMode, {ProgrammeMode::kInPerson, "in_person"},
              {ProgrammeMode::kEEnvironment, "e_environment"},
              {ProgrammeMode::kBlended, "blended"});

enum class Accreditation { kAccredited, kNotAccredited, kPilot };
LV_ENUM_CODES(Accreditation, {Accreditation::kAccredited, "accredited"},
              {Accreditation::kNotAccredited, "not_accredited"}, {Accreditation::kPilot, "pilot"});

enum class ConsentDecision { kGiven, kRefused, kWithdrawn };
LV_ENUM_CODES(ConsentDecision, {ConsentDecision::kGiven, "given"},
              {ConsentDecision::kRefused, "refused"}, {ConsentDecision::kWithdrawn, "withdrawn"});

enum class ReferralStatus { kReferred, kEnrolled, kCompleted, kDroppedOut, kCancelled };
LV_ENUM_CODES(ReferralStatus, {ReferralStatus::kReferred, "referred"},
              {ReferralStatus::kEnrolled, "enrolled"}, {ReferralStatus::kCompleted, "completed"},
              {ReferralStatus::kDroppedOut, "dropped_out"},
              {ReferralStatus::kCancelled, "cancelled"});

// ---------------------------------------------------------------------------------------
// Volunteers and mentoring

enum class VolunteerKind { kPeerMentor, kCircleMember, kMediator };
LV_ENUM_CODES(VolunteerKind, {VolunteerKind::kPeerMentor, "peer_mentor"},
              {VolunteerKind::kCircleMember, "circle_member"},
              {VolunteerKind::kMediator, "mediator"});

// Selection stages in order; a volunteer advances one stage at a time, or withdraws.
enum class VolunteerStage {
  kApplication,
  kEvaluation,
  kInterview,
  kTraining,
  kCertified,
  kWithdrawn
};
LV_ENUM_CODES(VolunteerStage, {VolunteerStage::kApplication, "application"},
              {VolunteerStage::kEvaluation, "evaluation"},
              {VolunteerStage::kInterview, "interview"}, {VolunteerStage::kTraining, "training"},
              {VolunteerStage::kCertified, "certified"}, {VolunteerStage::kWithdrawn, "withdrawn"});

enum class MentoringMode { kInPerson, kOnline };
LV_ENUM_CODES(MentoringMode, {MentoringMode::kInPerson, "in_person"},
              {MentoringMode::kOnline, "online"});

// ---------------------------------------------------------------------------------------
// Inter-institutional (MAPPA) meetings

enum class MeetingMode { kInPerson, kRemote, kMixed };
LV_ENUM_CODES(MeetingMode, {MeetingMode::kInPerson, "in_person"}, {MeetingMode::kRemote, "remote"},
              {MeetingMode::kMixed, "mixed"});

enum class Institution {
  kVpd,
  kIevp,
  kStatePolice,
  kMunicipalSocialService,
  kChildRightsInspectorate,
  kNgo,
  kCourt,
  kProsecutor,
  kOther,
};
LV_ENUM_CODES(Institution, {Institution::kVpd, "vpd"}, {Institution::kIevp, "ievp"},
              {Institution::kStatePolice, "state_police"},
              {Institution::kMunicipalSocialService, "municipal_social_service"},
              {Institution::kChildRightsInspectorate, "child_rights_inspectorate"},
              {Institution::kNgo, "ngo"}, {Institution::kCourt, "court"},
              {Institution::kProsecutor, "prosecutor"}, {Institution::kOther, "other"});

// ---------------------------------------------------------------------------------------
// Entities as queries return them. Ids are 32-hex strings from sync::Replica::NewId().

struct Region {
  std::string id, name;
};
struct Unit {
  std::string id, region_id, name;
};
struct User {
  std::string id, display_name, unit_id;
  Role role = Role::kOfficer;
  bool active = true;
};

// A client as recorded in one case file. A person with two cases has two client rows (one
// per case scope, because scopes are the unit of encryption) sharing `person_id`.
struct Client {
  std::string id, person_id, case_id;
  std::string name, surname, personal_code, birth_date, phone, email, address, municipality;
  std::vector<ClientTag> tags;
};

struct RelatedPerson {
  std::string id, case_id;
  Relation relation = Relation::kFamilyMember;
  std::string kind;  // free text: "māte", "partneris", "NVO darbinieks"...
  std::string name, surname, phone, note;
};

struct Case {
  std::string id, client_id, unit_id, responsible_officer_id;
  CaseKind kind = CaseKind::kConditionalSentence;
  CaseStatus status = CaseStatus::kOpen;
  std::string opened_on, closed_on;
};

struct EmEpisode {
  std::string id, case_id, started_on, planned_end_on, ended_on;
  EmOutcome outcome = EmOutcome::kOngoing;
};

// A placement in a social-rehabilitation centre. VPD co-finances 70% of the daily cost, at
// most 15 EUR a day; the share is fixed when the placement is recorded.
struct RehabilitationPlacement {
  std::string id, case_id, centre, started_on, planned_end_on, ended_on;
  std::int64_t daily_cost_cents = 0;
  std::int64_t vpd_daily_share_cents = 0;
};

// VPD's daily share of a centre's daily cost: 70%, rounded down to the cent, capped at 1500.
constexpr std::int64_t VpdDailyShareCents(std::int64_t daily_cost_cents) {
  const std::int64_t share = daily_cost_cents * 70 / 100;
  return share < 1500 ? share : 1500;
}

// A request for an evaluation report: requested -> in_progress (the officer started the
// report) -> submitted (the signed report went to the requester), or withdrawn (with a
// reason) before submission.
struct EvaluationRequest {
  std::string id, case_id;
  Requester requester = Requester::kCourt;
  std::string requester_name, reference, received_on, deadline_on, submitted_on;
  EvaluationStatus status = EvaluationStatus::kRequested;
  std::string started_on, withdrawn_on, withdrawal_reason;
};

// The sections of an evaluation report (izvērtēšanas ziņojums), in the order printed; the
// code is the evaluation_report column that holds the section's text.
enum class ReportSection { kCircumstances, kOffence, kRiskNeeds, kAttitude, kConclusion };
LV_ENUM_CODES(ReportSection, {ReportSection::kCircumstances, "circumstances"},
              {ReportSection::kOffence, "offence"}, {ReportSection::kRiskNeeds, "risk_needs"},
              {ReportSection::kAttitude, "attitude"}, {ReportSection::kConclusion, "conclusion"});
inline constexpr ReportSection kReportSections[] = {
    ReportSection::kCircumstances, ReportSection::kOffence, ReportSection::kRiskNeeds,
    ReportSection::kAttitude, ReportSection::kConclusion};

// The report answering one request. Its id is the request's id: one report per request, and
// two devices that start the same request offline write the same row (merged per field).
// Drafted over days; once signed it is immutable and corrections are appended
// (CorrectRecord on table evaluation_report).
struct EvaluationReport {
  std::string id, case_id, request_id;
  std::string circumstances;  // the person and their circumstances
  std::string offence;        // the offence as the officer understands it
  std::string risk_needs;     // risk and needs, resting on assessment_id
  std::string attitude;       // the person's attitude and motivation
  std::string conclusion;     // the conclusion and recommendation to the requester
  std::string assessment_id;  // the signed assessment the risk section rests on
  std::string author_id, drafted_at, signed_at, signed_by;
  bool IsSigned() const { return !signed_at.empty(); }
  const std::string& Section(ReportSection s) const {
    switch (s) {
      case ReportSection::kCircumstances:
        return circumstances;
      case ReportSection::kOffence:
        return offence;
      case ReportSection::kRiskNeeds:
        return risk_needs;
      case ReportSection::kAttitude:
        return attitude;
      case ReportSection::kConclusion:
        break;
    }
    return conclusion;
  }
};

struct SupervisionSection {
  std::string id, case_id, sentence_type, court_decision_ref, obligations;
  std::string opened_on, planned_end_on, closed_on;
  SectionStatus status = SectionStatus::kOpen;
  std::optional<SectionOutcome> outcome;
  EmploymentStatus employment_at_opening = EmploymentStatus::kUnknown;
  std::optional<EmploymentStatus> employment_at_closure;
  DisabilityGroup disability_group = DisabilityGroup::kNone;
  bool no_employment_taxes_at_opening = false;
};

struct Assessment {
  std::string id, case_id;
  Instrument instrument = Instrument::kVpdRvn;
  std::string instrument_version, assessed_on, assessor_id;
  std::int64_t total_score = 0;
  std::string item_scores;  // "item=score;..." as the licence allows; may be empty
  RiskLevel risk_level = RiskLevel::kLow;
  std::vector<NeedDomain> needs;
  std::string signed_at, signed_by;  // empty until signed; then the row is immutable
  std::string supersedes_id;         // a correction is a new assessment superseding a signed one
  bool IsSigned() const { return !signed_at.empty(); }
};

struct PlanGoal {
  std::string id, plan_id, goal;
  std::optional<NeedDomain> need;
  std::string interventions, review_on;
};

struct Plan {
  std::string id, case_id, created_on, next_review_on, author_id, supersedes_id;
  std::int64_t version = 1;
  PlanStatus status = PlanStatus::kActive;
  std::vector<PlanGoal> goals;
};

struct Contact {
  std::string id, case_id, officer_id, planned_at;  // planned_at: ISO date or timestamp
  ContactStatus status = ContactStatus::kPlanned;
  ContactMode mode = ContactMode::kInPerson;
  std::string held_on, outcome, note;
};

struct Violation {
  std::string id, case_id, occurred_on, description, recorded_by;
  ViolationKind kind = ViolationKind::kWarning;
};

struct CourtApplication {
  std::string id, case_id, filed_on, reason, decision, decided_on;
  CourtApplicationKind kind = CourtApplicationKind::kReplaceUnservedSentence;
  std::vector<std::string> warning_ids;  // the escalation warnings it rests on
};

// ---------------------------------------------------------------------------------------
// Community work (piespiedu darbs; adults and juveniles) and the escalation ladder

// The order of a community_work or juvenile_community_work case: hours ordered by the court
// and the date by which they must be worked. Hours worked are kept in minutes.
struct CommunityWorkOrder {
  std::string id, case_id, ordered_on, deadline_on, court_decision_ref, created_by;
  std::int64_t hours_ordered = 0;
  std::int64_t minutes_done = 0;  // sum of the logged hours (computed)
  std::int64_t MinutesRemaining() const {
    const std::int64_t left = hours_ordered * 60 - minutes_done;
    return left > 0 ? left : 0;
  }
};
// Where the client works off the hours: provider (a municipality, an NGO) and the address.
struct WorkPlacement {
  std::string id, case_id, order_id, provider, address, started_on, ended_on;
};
// One day's work at a placement (append-only).
struct CommunityHours {
  std::string id, case_id, order_id, placement_id, worked_on, note, logged_by, logged_at;
  std::int64_t minutes = 0;
};

enum class MissedContactDecision { kWarning, kJustifiedAbsence };
LV_ENUM_CODES(MissedContactDecision, {MissedContactDecision::kWarning, "warning"},
              {MissedContactDecision::kJustifiedAbsence, "justified_absence"});

// The officer's decision on a missed contact (append-only): a warning counted in the
// supervision section, or an absence accepted as justified, with the reason.
struct EscalationDecision {
  std::string id, case_id, contact_id, section_id, reason, decided_on, decided_by;
  MissedContactDecision decision = MissedContactDecision::kWarning;
};

// Victim-offender mediation (izlīgums; schema step 11, client/workflows_mediation.cpp has
// the rules). A mediation case's client is the offender; the harmed persons are parties.
enum class MediationMeetingStatus { kPlanned, kHeld, kCancelled };
LV_ENUM_CODES(MediationMeetingStatus, {MediationMeetingStatus::kPlanned, "planned"},
              {MediationMeetingStatus::kHeld, "held"},
              {MediationMeetingStatus::kCancelled, "cancelled"});

enum class MediationOutcome { kAgreement, kNoAgreement, kPartyWithdrew, kNotSuitable };
LV_ENUM_CODES(MediationOutcome, {MediationOutcome::kAgreement, "agreement"},
              {MediationOutcome::kNoAgreement, "no_agreement"},
              {MediationOutcome::kPartyWithdrew, "party_withdrew"},
              {MediationOutcome::kNotSuitable, "not_suitable"});

enum class AgreementFulfilment { kFulfilled, kNotFulfilled };
LV_ENUM_CODES(AgreementFulfilment, {AgreementFulfilment::kFulfilled, "fulfilled"},
              {AgreementFulfilment::kNotFulfilled, "not_fulfilled"});

// A harmed person taking part in a mediation: name, how to reach them, the day they consented
// to mediate (empty until they do).
struct MediationParty {
  std::string id, case_id, name, surname, contact, consent_on;
};
// A mediation meeting, planned or held: the parties invited (planned) or present (held), and
// whether the client took part; the note is restricted to the case file's readers.
struct MediationMeeting {
  std::string id, case_id, meeting_on, note, recorded_by;
  MeetingMode mode = MeetingMode::kInPerson;
  MediationMeetingStatus status = MediationMeetingStatus::kPlanned;
  std::vector<std::string> party_ids;
  bool client_attended = false;
};
// The mediation of one case (one row per case, its id the case's id): the mediator (a
// certified volunteer mediator of the unit, or the responsible officer when no volunteer is
// named), the client's consent, the outcome with the agreement's terms and due date, its
// fulfilment and the report to the requesting authority, which ends the case.
struct Mediation {
  std::string case_id, mediator_volunteer_id, mediator_name, client_consent_on;
  bool recorded = false;  // a mediation row exists (a mediator or the client's consent)
  std::optional<MediationOutcome> outcome;
  std::string outcome_on, agreement_terms, agreement_due_on;
  std::optional<AgreementFulfilment> fulfilment;
  std::string fulfilment_on, reported_on, report_to;
  std::string reported_by;  // who reported it (the report's signer); empty before schema step 14
  std::vector<MediationParty> parties;     // oldest first
  std::vector<MediationMeeting> meetings;  // by date, oldest first
  // Whom AssignMediator accepts: the certified volunteer mediators of the case's unit in the
  // register held on this device (id and name only), in Latvian order of the name.
  struct Choice {
    std::string volunteer_id, name;
  };
  std::vector<Choice> mediator_choices;
};

struct Programme {
  std::string id, name, target_group;
  ProgrammeProvider provider = ProgrammeProvider::kVpd;
  std::string provider_name;
  ProgrammeMode mode = ProgrammeMode::kInPerson;
  Accreditation accreditation = Accreditation::kAccredited;
  bool active = true;
};

struct Consent {
  std::string id, case_id, programme_id, given_on, recorded_by;
  std::string programme_name;  // filled by queries from the catalogue
  ConsentDecision decision = ConsentDecision::kGiven;
};

struct Referral {
  std::string id, case_id, programme_id, consent_id, referred_on, enrolled_on, ended_on;
  std::string programme_name;  // filled by queries from the catalogue
  std::optional<NeedDomain> need;
  RiskLevel risk_level = RiskLevel::kLow;
  ReferralStatus status = ReferralStatus::kReferred;
  std::int64_t sessions_attended = 0;  // filled by queries from attendance rows
};

struct Attendance {
  std::string id, referral_id, session_on, note;
  bool attended = true;
};

struct Volunteer {
  std::string id, unit_id, name, surname, phone, email, registered_on;
  VolunteerKind kind = VolunteerKind::kPeerMentor;
  VolunteerStage stage = VolunteerStage::kApplication;
};

struct VolunteerStageEvent {
  std::string id, volunteer_id, on_date, by_user_id, note;
  VolunteerStage stage = VolunteerStage::kApplication;
};

// What a volunteer coordinator may know of a client: name, surname, contact details and the
// responsible officer (never the personal code). Lives in the mentoring:<case_id> scope only
// while the client is referred for peer mentoring (and for the unit's grace period after the
// referral ends); kept current by the officer's workflows. A voided card (voided_at set)
// keeps case, unit and officer only: its client is no longer referred.
struct ClientCard {
  std::string case_id, unit_id, name, surname, phone, email, responsible_officer_id;
  std::string responsible_officer_name;
  std::string voided_at;
  bool circle = false;  // referred to a circle of support: up to 5 volunteers at once
};

// The officer's referral of a client to peer mentoring (case scope), with the date of the
// client's consent.
struct MentoringReferral {
  std::string id, case_id, consent_on, referred_on, referred_by, ended_on, ended_by;
  bool circle = false;  // a circle of support (sex-offence case): several volunteers
};

// A unit supervisor's countersignature of a signed assessment, a plan version or a court
// application (case scope, append-only; one per record).
struct Countersignature {
  std::string id, case_id, record_table, record_id, remark, signed_by, signed_at;
  std::string signed_by_name;  // filled by queries from the directory
};

struct MentorAssignment {
  std::string id, case_id, volunteer_id, volunteer_name, started_on, ended_on, assigned_by;
};

struct MentoringSession {
  std::string id, assignment_id, case_id, held_on, note, logged_by, logged_at;
  std::int64_t duration_minutes = 0;
  MentoringMode mode = MentoringMode::kInPerson;
  std::string signed_off_by, signed_off_at;  // filled by queries from sign-off rows
};

struct MappaParticipant {
  std::string id, meeting_id, name;
  Institution institution = Institution::kVpd;
};
struct MappaAction {
  std::string id, meeting_id, description, due_on;
  Institution owner = Institution::kVpd;
  std::string done_on, done_by, done_note;  // empty until CompleteMappaAction
  bool IsDone() const { return !done_on.empty(); }
};
struct MappaDisclosure {
  std::string id, meeting_id, what, to_whom, legal_basis;
  // The recipient institution by code: the key of the agency packs. Unset for disclosures
  // recorded before schema step 5 whose recipient text named no institution.
  std::optional<Institution> recipient;
};
// One disclosure handed on in one agency pack (append-only, unit scope): a copy of what was
// disclosed, to whom and on which legal basis at the time, by whom and when.
struct DisclosureLogEntry {
  std::string id, meeting_id, disclosure_id, pack_id, what, to_whom, legal_basis;
  Institution recipient = Institution::kOther;
  std::string disclosed_by, disclosed_at;
};
struct MappaMeeting {
  std::string id, unit_id, held_on, case_ids;  // case_ids: comma-separated case ids
  MeetingMode mode = MeetingMode::kRemote;
  std::string risk_decisions, victim_decisions, signed_at, signed_by, supersedes_id;
  std::vector<MappaParticipant> participants;
  std::vector<MappaAction> actions;
  std::vector<MappaDisclosure> disclosures;
  bool IsSigned() const { return !signed_at.empty(); }
};

struct Note {
  std::string id, case_id, subject_table, subject_id, body, author_id, written_at;
};

struct AuditEntry {
  std::string id, user_id, action, target_table, target_id, detail, at;
};

// An appended correction of a signed or closed record: the field, the corrected value and
// why. The original value stays in the record; views show both.
struct Correction {
  std::string id, target_table, target_id, field, value, reason, author_id, at;
};

}  // namespace lietvedis::client
