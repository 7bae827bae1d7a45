// What each stored column of the client schema holds (client/schema.cpp): the enum whose codes
// it stores — one code, or a comma-joined list — a yes/no flag, a whole number, money in cents,
// a day, a time, or text. One table for the core and the desktop: a correction must give a value
// of the column's kind (Workspace::Execute(CorrectRecord)), and the desktop says a stored value
// in words (ui/i18n.cpp HistoryValueText) and offers an enum column's labels in a list.
//
// A column that stores an enum is named here by table and column, because the same column name
// holds different enums in different tables (`status`, `kind`, `outcome`, `mode`, `decision`).
// tests/client/columns_test.cpp checks the table against the demo unit's stored values.
#pragma once

#include <string>
#include <string_view>

#include "client/model.hpp"
#include "storage/result.hpp"

namespace lietvedis::client {

enum class ColumnKind {
  kText,
  kEnum,       // one code of an enum
  kEnumList,   // codes of an enum joined by ','
  kFlag,       // 1 or 0
  kInteger,    // a whole number (INTEGER in the schema)
  kCents,      // money, integer cents
  kDay,        // ISO YYYY-MM-DD (`*_on`, birth_date)
  kDayTime,    // YYYY-MM-DD or YYYY-MM-DDTHH:MM, local (a planned contact's `planned_at`)
  kTimestamp,  // ISO YYYY-MM-DDTHH:MM:SSZ (`*_at`): stamped by the core, provenance
};

// Names an enum type for VisitColumnEnum's callback: `f(EnumTag<RiskLevel>{})`.
template <class E>
struct EnumTag {
  using type = E;
};

// Calls `f(EnumTag<E>{})` when `table.column` stores codes of an enum E and returns kEnum or
// kEnumList; returns kText without calling `f` for any other column.
template <class F>
ColumnKind VisitColumnEnum(std::string_view t, std::string_view c, F&& f) {
  const auto one = [&](auto tag) {
    f(tag);
    return ColumnKind::kEnum;
  };
  const auto list = [&](auto tag) {
    f(tag);
    return ColumnKind::kEnumList;
  };
  if (c == "status") {
    if (t == "probation_case") return one(EnumTag<CaseStatus>{});
    if (t == "contact") return one(EnumTag<ContactStatus>{});
    if (t == "supervision_section") return one(EnumTag<SectionStatus>{});
    if (t == "referral") return one(EnumTag<ReferralStatus>{});
    if (t == "res_plan") return one(EnumTag<PlanStatus>{});
    if (t == "evaluation_request") return one(EnumTag<EvaluationStatus>{});
    if (t == "case_transfer") return one(EnumTag<TransferStatus>{});
    if (t == "mediation_meeting") return one(EnumTag<MediationMeetingStatus>{});
  }
  if (c == "kind") {
    if (t == "probation_case") return one(EnumTag<CaseKind>{});
    if (t == "violation") return one(EnumTag<ViolationKind>{});
    if (t == "court_application") return one(EnumTag<CourtApplicationKind>{});
    if (t == "volunteer") return one(EnumTag<VolunteerKind>{});
  }
  if (c == "outcome") {
    if (t == "em_episode") return one(EnumTag<EmOutcome>{});
    if (t == "supervision_section") return one(EnumTag<SectionOutcome>{});
    if (t == "mediation") return one(EnumTag<MediationOutcome>{});
  }
  if (c == "mode") {
    if (t == "contact") return one(EnumTag<ContactMode>{});
    if (t == "mappa_meeting" || t == "mediation_meeting") return one(EnumTag<MeetingMode>{});
    if (t == "mentoring_session") return one(EnumTag<MentoringMode>{});
    if (t == "programme") return one(EnumTag<ProgrammeMode>{});
  }
  if (c == "decision") {
    if (t == "consent") return one(EnumTag<ConsentDecision>{});
    if (t == "escalation_decision") return one(EnumTag<MissedContactDecision>{});
  }
  if (c == "stage" && (t == "volunteer" || t == "volunteer_stage"))
    return one(EnumTag<VolunteerStage>{});
  if (c == "provider" && t == "programme") return one(EnumTag<ProgrammeProvider>{});
  if (c == "accreditation" && t == "programme") return one(EnumTag<Accreditation>{});
  if (c == "role" && t == "org_user") return one(EnumTag<Role>{});
  if (c == "fulfilment" && t == "mediation") return one(EnumTag<AgreementFulfilment>{});
  if (c == "relation" && t == "related_person") return one(EnumTag<Relation>{});
  if (c == "requester" && t == "evaluation_request") return one(EnumTag<Requester>{});
  if (c == "instrument" && t == "assessment") return one(EnumTag<Instrument>{});
  if (c == "risk_level" && (t == "assessment" || t == "referral")) return one(EnumTag<RiskLevel>{});
  if (c == "need" && (t == "plan_goal" || t == "referral")) return one(EnumTag<NeedDomain>{});
  if (c == "needs" && t == "assessment") return list(EnumTag<NeedDomain>{});
  if (c == "tags" && t == "client") return list(EnumTag<ClientTag>{});
  if ((c == "employment_at_opening" || c == "employment_at_closure") && t == "supervision_section")
    return one(EnumTag<EmploymentStatus>{});
  if (c == "disability_group" && t == "supervision_section") return one(EnumTag<DisabilityGroup>{});
  if (c == "institution" || c == "owner_institution" || c == "recipient_institution")
    return one(EnumTag<Institution>{});
  return ColumnKind::kText;
}

// What `table.column` holds. Columns not named by VisitColumnEnum are told by their name
// (`*_on` a day, `*_at` a time, `*_cents` money, the yes/no columns) and otherwise are text;
// an INTEGER column of the schema that is none of these is kInteger.
ColumnKind ColumnKindOf(std::string_view table, std::string_view column);

// True for a column that links the record to another (`*_id`, `*_ids`: its case, meeting,
// author...): not a fact the record states, so never corrected (the record is voided or
// recorded anew instead).
bool IsLinkColumn(std::string_view column);

// True for a column that records who wrote, signed or voided a record and when (`*_by`,
// `signed_at`, `voided_at`, `logged_at`...): provenance a correction never changes.
bool IsProvenanceColumn(std::string_view column);

// True for a table whose records take corrections: every replicated record but the audit
// trail, corrections themselves, signatures (countersignature, mentoring sign-off), the
// break-glass and disclosure logs, and the device's local bookkeeping.
bool IsCorrectableTable(std::string_view table);

// `value` checked as a value of `table.column` (empty: the field is cleared): a code of the
// column's enum (every part of a list, each once), 1 or 0, a whole number, cents (a
// non-negative whole number), a day typed dd.mm.yyyy or ISO (returned as ISO), a day with a
// time; text is returned as given; a stamped time (kTimestamp) is refused. Errc::kValidation with a
// message on the field `value`.
Result<std::string> ValidateColumnValue(std::string_view table, std::string_view column,
                                        std::string_view value);

}  // namespace lietvedis::client
