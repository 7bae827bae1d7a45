// Exports to a file, one function per kind, shared by the command line (`lietvedis list|agenda|
// report --format csv|xlsx -o FILE`, `lietvedis case summary|court render|evaluation render|
// mediation render|mappa render|mappa pack -o FILE.pdf`) and the desktop's "Eksportēt…"
// dialog, so both write the same bytes under the same rules:
//
//  - The content comes from the permission-checked Workspace query the caller ran (Caseload,
//    BuildAgenda, ComputeIndicators) or, for the case summary, from Workspace::CaseFile, an
//    audited read: an export never shows more than the same screen or command shows.
//  - The file is case data in plain text: created with mode 0600 (an existing file is narrowed
//    to 0600 too) before a byte is written.
//  - A failed export leaves no file behind: what was created for it is removed again.
//  - A table export is audited (Workspace::RecordTableExport: table, row count and format,
//    never a file name or a value) after the file is complete; a PDF document records its
//    render (Workspace::RecordDocumentRender) after the bytes were delivered, and a MAPPA pack
//    logs each disclosure it carries (Workspace::GenerateMappaPack). A file whose render or
//    pack cannot be recorded is removed again: a document is never delivered unlogged.
//
// Threading: the calling thread must own the Workspace (the CLI's main thread, the desktop's
// worker), never the desktop's frame thread: writing a workbook or rendering a PDF takes time.
// Errors: kValidation for an empty or unusable output path ("output: ..."), kIo when the file
// cannot be written ("output: cannot write PATH"), kNotPermitted from the Workspace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "client/documents/builders.hpp"
#include "client/documents/tables.hpp"
#include "client/workspace.hpp"
#include "storage/result.hpp"

namespace lietvedis::client::documents {

enum class TableFormat { kCsv, kXlsx };
std::string_view FormatCode(TableFormat format);  // "csv", "xlsx"
std::optional<TableFormat> TableFormatFromCode(std::string_view code);

// Creates or truncates `path` with mode 0600 (also narrowing an existing file) and writes
// `bytes`. kIo on failure.
Result<void> WritePrivateFile(const std::string& path, std::string_view bytes);

// Checks an output path before any work: not empty, not an existing directory, its folder
// exists. kValidation "output: ..." otherwise.
Result<void> CheckOutputPath(const std::string& path);

// Writes `table` to `path` (0600) as CSV (`delimiter` ';' or ',') or XLSX. On failure the file
// is removed. Not audited: ExportTable is the audited export.
Result<void> WriteTableFile(const DataTable& table, TableFormat format, char delimiter,
                            const std::string& path);

// The audited table export: WriteTableFile, then Workspace::RecordTableExport. When the audit
// entry cannot be written the file is removed again and the error returned (an export is
// never delivered unlogged). Returns the number of rows written.
Result<std::int64_t> ExportTable(Workspace& ws, const DataTable& table, TableFormat format,
                                 char delimiter, const std::string& path);

// Letterhead names of `unit_id` and every user's display name, from the directory (org scope,
// readable by every active user), with the Workspace's today.
Result<DocumentContext> MakeDocumentContext(Workspace& ws, const std::string& unit_id);

// The case summary as PDF: reads the case file (an audited read; kNotPermitted for a case the
// actor may not read), renders it, hands the bytes to `deliver` (write a file or stdout), then
// records the render. Returns the page count. Nothing is recorded when `deliver` fails.
using DeliverBytes = std::function<Result<void>(std::string_view bytes)>;
Result<int> ExportCaseSummary(Workspace& ws, const std::string& case_id, int contact_months,
                              const DeliverBytes& deliver);
// The same, delivered to the file `path` (0600; removed again when the render cannot be
// recorded).
Result<int> ExportCaseSummaryFile(Workspace& ws, const std::string& case_id, int contact_months,
                                  const std::string& path);

// The PDF documents below follow ExportCaseSummary: `…(ws, id, deliver)` builds the document
// from an audited read, hands the bytes to `deliver` (the CLI's stdout) and records the render;
// `…File(ws, id, path)` checks the path first (CheckOutputPath), writes it 0600 and removes it
// again when the render cannot be recorded. They return the page count.

// An application to court (client/documents/builders.hpp CourtApplicationDocument) from the
// case file of its case. kNotFound "court application ID: not found".
Result<int> ExportCourtApplication(Workspace& ws, const std::string& application_id,
                                   const DeliverBytes& deliver);
Result<int> ExportCourtApplicationFile(Workspace& ws, const std::string& application_id,
                                       const std::string& path);

// The evaluation report of the request `request_id` (a draft is marked so). kValidation
// "request: the report of ID is not started (evaluation start)" before the audited read when
// there is no report yet; kNotFound for an unknown request.
Result<int> ExportEvaluationReport(Workspace& ws, const std::string& request_id,
                                   const DeliverBytes& deliver);
Result<int> ExportEvaluationReportFile(Workspace& ws, const std::string& request_id,
                                       const std::string& path);

// The report of a mediation to the requesting authority (MediationReportDocument) from the
// case file of the mediation case `case_id`; the render is recorded against the mediation
// row (table "mediation", id the case's). Refused before the audited read of the case file,
// with nothing rendered or recorded (Workspace::CheckMediationReportable): kValidation
// "case_id: mediation records belong to mediation cases, not KIND" and "case_id: record the
// mediation's outcome first"; kNotPermitted for a case the actor may not read.
Result<int> ExportMediationReport(Workspace& ws, const std::string& case_id,
                                  const DeliverBytes& deliver);
Result<int> ExportMediationReportFile(Workspace& ws, const std::string& case_id,
                                      const std::string& path);

// The minutes of a MAPPA meeting, with the names of the cases discussed the actor may list.
Result<int> ExportMappaMinutes(Workspace& ws, const std::string& meeting_id,
                               const DeliverBytes& deliver);
Result<int> ExportMappaMinutesFile(Workspace& ws, const std::string& meeting_id,
                                   const std::string& path);

// One institution's pack of signed minutes: its actions and the disclosures addressed to it,
// each disclosure logged by Workspace::GenerateMappaPack (which refuses unsigned minutes and an
// institution that took no part). Nothing is logged when `deliver` fails.
struct MappaPackExport {
  std::string pack_id;
  int pages = 0;
  std::size_t disclosures = 0;  // disclosures in the pack (each logged)
};
Result<MappaPackExport> ExportMappaPack(Workspace& ws, const std::string& meeting_id,
                                        Institution institution, const DeliverBytes& deliver);
Result<MappaPackExport> ExportMappaPackFile(Workspace& ws, const std::string& meeting_id,
                                            Institution institution, const std::string& path);

}  // namespace lietvedis::client::documents
