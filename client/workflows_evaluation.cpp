// Evaluation reports (izvērtēšanas ziņojums, issue 13): the request a court, prosecutor or
// prison sends with a deadline, and the report the officer drafts over days and signs.
//
// Rules (docs/DOMAIN.md):
//  1. A request moves requested -> in_progress -> submitted, or to withdrawn from requested
//     or in_progress. Submitted and withdrawn are final: any further step is kNotPermitted.
//  2. Starting creates the report with the request's id, so a request has one report and two
//     devices that start it offline converge on one row (fields merged by the sync rules).
//  3. A report is drafted section by section while unsigned and its request in progress;
//     a draft writes only the sections it carries, so edits of different sections made on
//     two devices both survive the merge.
//  4. Signing needs every section written and a SIGNED assessment of the same case named as
//     the ground of the risk section (kValidation naming the first field that is not ready).
//     A signed report is immutable; corrections are appended (CorrectRecord).
//  5. Only a signed report is submitted, on or after the day it was signed and never in the
//     future. A withdrawal records the date and the reason.
//  6. Dates are checked against the request: nothing happens before it was received.
// Every refusal is decided before the first write, inside the command's transaction: a
// refused command writes nothing.
#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

struct RequestFacts {
  std::string case_id, received_on;
  EvaluationStatus status = EvaluationStatus::kRequested;
};

// The request and its case, for an actor who writes that case file.
Result<RequestFacts> LoadRequest(Ctx& ctx, std::string_view request_id) {
  LV_TRY(RequireId(request_id, "request_id"));
  LV_ASSIGN(Statement st,
            ctx.db.Prepare("SELECT case_id, received_on, coalesce(status, 'requested') FROM "
                           "evaluation_request WHERE id=?"));
  st.Bind(1, request_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("evaluation_request", request_id);
  RequestFacts f;
  f.case_id = st.Text(0);
  f.received_on = st.Text(1);
  f.status = DecodeOr(st.Text(2), EvaluationStatus::kRequested);
  LV_TRY(RequireCaseWrite(ctx, f.case_id));
  return f;
}

Result<void> RequireNotFinal(const RequestFacts& f, std::string_view request_id) {
  if (f.status == EvaluationStatus::kSubmitted)
    return Immutable("evaluation_request", request_id, "already submitted");
  if (f.status == EvaluationStatus::kWithdrawn)
    return Immutable("evaluation_request", request_id, "withdrawn");
  return Ok();
}

// An in-progress request with its report not yet signed.
Result<RequestFacts> LoadDraftable(Ctx& ctx, std::string_view request_id) {
  LV_ASSIGN(RequestFacts f, LoadRequest(ctx, request_id));
  LV_TRY(RequireNotFinal(f, request_id));
  if (f.status != EvaluationStatus::kInProgress) {
    return MakeError(Errc::kValidation,
                     "request_id: the report is not started (evaluation start --request " +
                         std::string(request_id) + ")");
  }
  LV_ASSIGN(std::int64_t signed_,
            ctx.db.QueryInt("SELECT count(*) FROM evaluation_report WHERE id=? AND signed_at IS "
                            "NOT NULL",
                            request_id));
  if (signed_ != 0) return Immutable("evaluation_report", request_id, "signed");
  return f;
}

// A date on or after the request was received and not after today.
Result<std::string> RequestDate(Ctx& ctx, const RequestFacts& f, std::string_view value,
                                std::string_view field) {
  LV_ASSIGN(std::string date, DateOr(value, field, ctx.today));
  if (!f.received_on.empty() && date < f.received_on)
    return MakeError(Errc::kValidation, std::string(field) + ": before the request was received");
  if (date > ctx.today) return MakeError(Errc::kValidation, std::string(field) + ": in the future");
  return date;
}

}  // namespace

Result<std::string> Workspace::Execute(const RecordEvaluationRequest& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(auto requester_name, Text(c.requester_name, "requester_name", kShort, true));
    LV_ASSIGN(auto reference, Text(c.reference, "reference", kName, true));
    LV_ASSIGN(auto received, DateOr(c.received_on, "received_on", ctx.today));
    LV_ASSIGN(auto deadline, Date(c.deadline_on, "deadline_on", true));
    if (deadline < received) return MakeError(Errc::kValidation, "deadline_on: before received_on");
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "evaluation_request", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"requester", Enum(c.requester)},
                     {"requester_name", Str(requester_name)},
                     {"reference", Str(reference)},
                     {"received_on", Str(received)},
                     {"deadline_on", Str(deadline)},
                     {"status", Enum(EvaluationStatus::kRequested)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const StartEvaluationReport& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(RequestFacts f, LoadRequest(ctx, c.request_id));
    LV_TRY(RequireNotFinal(f, c.request_id));
    if (f.status != EvaluationStatus::kRequested) {
      return MakeError(Errc::kNotPermitted,
                       "evaluation_request " + c.request_id + " is already in progress");
    }
    LV_ASSIGN(CaseFacts kase, LoadCase(ctx, f.case_id));
    if (kase.status != CaseStatus::kOpen) return Immutable("probation_case", f.case_id, "closed");
    LV_ASSIGN(std::string started, RequestDate(ctx, f, c.started_on, "started_on"));
    LV_TRY(
        WriteRow(ctx, "evaluation_request", c.request_id, CaseScope(f.case_id),
                 {{"status", Enum(EvaluationStatus::kInProgress)}, {"started_on", Str(started)}}));
    LV_TRY(WriteRow(ctx, "evaluation_report", c.request_id, CaseScope(f.case_id),
                    {{"case_id", Str(f.case_id)},
                     {"request_id", Str(c.request_id)},
                     {"author_id", Str(actor_.user_id)},
                     {"drafted_at", Str(ctx.now)}}));
    return c.request_id;
  });
}

Result<std::string> Workspace::Execute(const DraftEvaluationReport& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(RequestFacts f, LoadDraftable(ctx, c.request_id));
    Fields fields;
    const std::pair<const std::optional<std::string>*, ReportSection> sections[] = {
        {&c.circumstances, ReportSection::kCircumstances},
        {&c.offence, ReportSection::kOffence},
        {&c.risk_needs, ReportSection::kRiskNeeds},
        {&c.attitude, ReportSection::kAttitude},
        {&c.conclusion, ReportSection::kConclusion}};
    for (const auto& [text, section] : sections) {
      if (!text->has_value()) continue;
      LV_ASSIGN(auto checked, Text(**text, Code(section), kEvaluationSectionMaxBytes, false));
      fields.push_back({std::string(Code(section)), Opt(checked)});
    }
    if (c.assessment_id && !c.assessment_id->empty()) {
      LV_TRY(RequireId(*c.assessment_id, "assessment_id"));
      LV_ASSIGN(std::int64_t same_case,
                db_.QueryInt("SELECT count(*) FROM assessment WHERE id=? AND case_id=?",
                             *c.assessment_id, f.case_id));
      if (same_case == 0) {
        return MakeError(Errc::kValidation, "assessment_id: not an assessment of this case (" +
                                                *c.assessment_id + ")");
      }
    }
    if (c.assessment_id) fields.push_back({"assessment_id", Opt(*c.assessment_id)});
    if (fields.empty()) {
      return MakeError(Errc::kValidation, "sections: nothing to draft (give a section's text)");
    }
    fields.push_back({"drafted_at", Str(ctx.now)});
    LV_TRY(WriteRow(ctx, "evaluation_report", c.request_id, CaseScope(f.case_id), fields));
    return c.request_id;
  });
}

Result<std::string> Workspace::Execute(const SignEvaluationReport& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(RequestFacts f, LoadDraftable(ctx, c.request_id));
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT circumstances, offence, risk_needs, attitude, conclusion,"
                          " assessment_id FROM evaluation_report WHERE id=?"));
    st.Bind(1, c.request_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("evaluation_report", c.request_id);
    std::string empty;
    for (int i = 0; i < 5; ++i) {
      std::string text = st.Text(i);
      if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        empty += (empty.empty() ? "" : ", ") + std::string(Code(kReportSections[i]));
    }
    const std::string assessment_id = st.Text(5);
    if (!empty.empty()) {
      return MakeError(Errc::kValidation,
                       empty.substr(0, empty.find(',')) +
                           ": required to sign the report (sections still empty: " + empty + ")");
    }
    if (assessment_id.empty()) {
      return MakeError(Errc::kValidation,
                       "assessment_id: required to sign the report (the signed assessment the "
                       "risk and needs section rests on)");
    }
    LV_ASSIGN(std::int64_t assessment_signed,
              db_.QueryInt("SELECT count(*) FROM assessment WHERE id=? AND case_id=? AND "
                           "signed_at IS NOT NULL",
                           assessment_id, f.case_id));
    if (assessment_signed == 0) {
      return MakeError(
          Errc::kValidation,
          "assessment_id: the assessment is not signed; sign it before the report (assessment " +
              assessment_id + ")");
    }
    LV_TRY(WriteRow(ctx, "evaluation_report", c.request_id, CaseScope(f.case_id),
                    {{"signed_at", Str(ctx.now)}, {"signed_by", Str(actor_.user_id)}}));
    return c.request_id;
  });
}

Result<std::string> Workspace::Execute(const SubmitEvaluationReport& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(RequestFacts f, LoadRequest(ctx, c.request_id));
    LV_TRY(RequireNotFinal(f, c.request_id));
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT signed_at FROM evaluation_report WHERE id=? AND signed_at IS "
                          "NOT NULL"));
    st.Bind(1, c.request_id);
    LV_ASSIGN(bool signed_, st.Step());
    if (!signed_) {
      return MakeError(Errc::kValidation,
                       "request_id: the report is not signed; sign it before submitting (request " +
                           c.request_id + ")");
    }
    const std::string signed_on = DayOfStamp(st.Text(0));
    LV_ASSIGN(std::string submitted, RequestDate(ctx, f, c.submitted_on, "submitted_on"));
    if (submitted < signed_on)
      return MakeError(Errc::kValidation, "submitted_on: before the report was signed");
    LV_TRY(WriteRow(
        ctx, "evaluation_request", c.request_id, CaseScope(f.case_id),
        {{"status", Enum(EvaluationStatus::kSubmitted)}, {"submitted_on", Str(submitted)}}));
    return c.request_id;
  });
}

Result<std::string> Workspace::Execute(const WithdrawEvaluationRequest& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(RequestFacts f, LoadRequest(ctx, c.request_id));
    LV_TRY(RequireNotFinal(f, c.request_id));
    LV_ASSIGN(std::string withdrawn, RequestDate(ctx, f, c.withdrawn_on, "withdrawn_on"));
    LV_ASSIGN(auto reason, Text(c.reason, "reason", kLong, true));
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
      return MakeError(Errc::kValidation, "reason: required");
    LV_TRY(WriteRow(ctx, "evaluation_request", c.request_id, CaseScope(f.case_id),
                    {{"status", Enum(EvaluationStatus::kWithdrawn)},
                     {"withdrawn_on", Str(withdrawn)},
                     {"withdrawal_reason", Str(reason)}}));
    return c.request_id;
  });
}

}  // namespace lietvedis::client
