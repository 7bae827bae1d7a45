// The documents of issue 13 built from permission-checked Workspace views: the caller reads
// the view (CaseFile, MappaMeetingDetail, GenerateMappaPack's MappaPackView), which decides
// what the actor may see and audits the read; these functions only arrange what they are
// given into a Document (client/documents/document.hpp). Latvian labels for the codes.
//
// Threading: pure functions. Errors: none (missing facts print as "—").
#pragma once

#include <map>
#include <string>

#include "client/documents/document.hpp"
#include "client/workspace.hpp"

namespace lietvedis::client::documents {

// Names the documents need besides the view: the unit's letterhead and users' names.
struct DocumentContext {
  std::string region_name, unit_name;
  std::map<std::string, std::string> user_names;  // user id -> display name
  std::string today;                              // ISO date the document is made
};

// The section headings of each document, in order (tests check every one is printed).
extern const std::vector<std::string> kCaseSummaryHeadings;
extern const std::vector<std::string> kCourtApplicationHeadings;
extern const std::vector<std::string> kMappaMinutesHeadings;
extern const std::vector<std::string> kMappaPackHeadings;
extern const std::vector<std::string> kEvaluationReportHeadings;  // one per ReportSection
extern const std::vector<std::string> kMediationReportHeadings;

// The case summary: the client, supervision sections, the latest signed assessment, the
// active plan, contacts of the last `contact_months` months, programmes.
Document CaseSummaryDocument(const CaseFileView& file, const DocumentContext& ctx,
                             int contact_months = 6);
// An application to court (`application` is one of file.court_applications).
Document CourtApplicationDocument(const CaseFileView& file, const CourtApplication& application,
                                  const DocumentContext& ctx);
// The full minutes. `case_labels`: case id -> "Name Surname" for the cases the actor may
// list (others print by id only).
Document MappaMinutesDocument(const MappaMeetingView& view, const DocumentContext& ctx,
                              const std::map<std::string, std::string>& case_labels);
// One institution's pack, from the filtered view only.
Document MappaPackDocument(const MappaPackView& pack, const DocumentContext& ctx);

// The evaluation report answering `request` (one of file.evaluation_requests; `report` the
// report with the request's id). The five sections in order, the signed assessment the risk
// section rests on (from file.assessments), the corrections appended to a signed report, and
// the signer in the footer. An unsigned report prints as a draft ("projekts").
Document EvaluationReportDocument(const CaseFileView& file, const EvaluationRequest& request,
                                  const EvaluationReport& report, const DocumentContext& ctx);

// The report of a mediation (izlīgums) to the requesting authority, from the case file of a
// mediation case: the addressee (file.mediation.report_to once reported), the case, the
// person, the mediator; the harmed persons with the day each consented (never their contact
// details); the meetings with their day, mode, status and who took part or was invited —
// never a meeting's note, which is restricted to the case file's readers; the outcome with
// the agreement's terms and due date; the fulfilment; the report's day (reported_on, or
// ctx.today before the report is recorded); then the corrections of these records, each with
// its field, corrected value, reason, day and author (not of a note or a contact, which the
// report leaves out). The footer's record id is the case's. Nothing is
// signed until the mediation is reported: then the footer names who reported it, on that day.
Document MediationReportDocument(const CaseFileView& file, const DocumentContext& ctx);

// Latvian name of an institution ("Valsts policija").
std::string InstitutionLabel(Institution institution);

// Latvian labels of the codes printed in documents ("vidējs", "klātienē"...).
std::string LabelLv(CaseKind v);
std::string LabelLv(RiskLevel v);
std::string LabelLv(NeedDomain v);
std::string LabelLv(Instrument v);
std::string LabelLv(ContactStatus v);
std::string LabelLv(ContactMode v);
std::string LabelLv(ReferralStatus v);
std::string LabelLv(CourtApplicationKind v);
std::string LabelLv(ViolationKind v);
std::string LabelLv(MeetingMode v);
std::string LabelLv(Institution v);
std::string LabelLv(MediationMeetingStatus v);
std::string LabelLv(MediationOutcome v);
std::string LabelLv(AgreementFulfilment v);

}  // namespace lietvedis::client::documents
