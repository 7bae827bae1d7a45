#include "client/documents/export.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <system_error>

#include "client/documents/document.hpp"

namespace lietvedis::client::documents {

namespace {

Error CannotWrite(const std::string& path) {
  return Error{Errc::kIo, "output: cannot write " + path};
}

}  // namespace

std::string_view FormatCode(TableFormat format) {
  return format == TableFormat::kXlsx ? "xlsx" : "csv";
}

std::optional<TableFormat> TableFormatFromCode(std::string_view code) {
  if (code == "csv") return TableFormat::kCsv;
  if (code == "xlsx") return TableFormat::kXlsx;
  return std::nullopt;
}

Result<void> WritePrivateFile(const std::string& path, std::string_view bytes) {
  // Case data in plain text: readable by this user only (0600), also when the file existed
  // before with a wider mode.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return CannotWrite(path);
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    // Opened and truncated by us: a part of the bytes is no use to anyone.
    ::unlink(path.c_str());
    return CannotWrite(path);
  }
  return Ok();
}

Result<void> CheckOutputPath(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return MakeError(Errc::kValidation, "output: required");
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return MakeError(Errc::kValidation, "output: is a folder, not a file");
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return MakeError(Errc::kValidation, "output: the folder does not exist");
  }
  return Ok();
}

Result<void> WriteTableFile(const DataTable& table, TableFormat format, char delimiter,
                            const std::string& path) {
  LV_TRY(CheckOutputPath(path));
  if (format == TableFormat::kCsv) {
    std::ostringstream csv;
    LV_TRY(WriteCsv(table, csv, delimiter));
    return WritePrivateFile(path, csv.str());
  }
  // Created 0600 first: libxlsxwriter truncates the file and keeps its mode.
  LV_TRY(WritePrivateFile(path, {}));
  if (auto written = WriteXlsx(table, path); !written.ok()) {
    ::unlink(path.c_str());
    return written.error();
  }
  return Ok();
}

Result<std::int64_t> ExportTable(Workspace& ws, const DataTable& table, TableFormat format,
                                 char delimiter, const std::string& path) {
  LV_TRY(WriteTableFile(table, format, delimiter, path));
  const auto rows = static_cast<std::int64_t>(table.rows.size());
  if (auto audited = ws.RecordTableExport(table.name, rows, FormatCode(format)); !audited.ok()) {
    ::unlink(path.c_str());
    return audited.error();
  }
  return rows;
}

Result<DocumentContext> MakeDocumentContext(Workspace& ws, const std::string& unit_id) {
  DocumentContext dc;
  dc.today = ws.Today();
  LV_ASSIGN(auto units, ws.Units());
  LV_ASSIGN(auto regions, ws.Regions());
  LV_ASSIGN(auto users, ws.Users());
  for (const auto& u : units) {
    if (u.id != unit_id) continue;
    dc.unit_name = u.name;
    for (const auto& r : regions) {
      if (r.id == u.region_id) dc.region_name = r.name;
    }
  }
  for (const auto& u : users) dc.user_names[u.id] = u.display_name;
  return dc;
}

Result<int> ExportCaseSummary(Workspace& ws, const std::string& case_id, int contact_months,
                              const DeliverBytes& deliver) {
  LV_ASSIGN(CaseFileView file, ws.CaseFile(case_id));
  LV_ASSIGN(DocumentContext dc, MakeDocumentContext(ws, file.case_record.unit_id));
  LV_ASSIGN(RenderedPdf pdf, RenderPdf(CaseSummaryDocument(file, dc, contact_months)));
  LV_TRY(deliver(pdf.bytes));
  LV_ASSIGN(std::string audited, ws.RecordDocumentRender("probation_case", file.case_record.id,
                                                         "case_summary", pdf.pages));
  (void)audited;
  return pdf.pages;
}

namespace {

// Runs `render` (one of the exports above) delivering to `path` (0600); removes the file again
// when it was written but the export failed afterwards (the render could not be recorded).
template <typename T, typename Render>
Result<T> ExportToFile(const std::string& path, const Render& render) {
  LV_TRY(CheckOutputPath(path));
  bool written = false;
  Result<T> result = render([&](std::string_view bytes) -> Result<void> {
    LV_TRY(WritePrivateFile(path, bytes));
    written = true;
    return Ok();
  });
  if (!result.ok() && written) ::unlink(path.c_str());
  return result;
}

// Renders `doc`, delivers the bytes; returns the page count.
Result<int> RenderAndDeliver(const Document& doc, const DeliverBytes& deliver) {
  LV_ASSIGN(RenderedPdf pdf, RenderPdf(doc));
  LV_TRY(deliver(pdf.bytes));
  return pdf.pages;
}

}  // namespace

Result<int> ExportCaseSummaryFile(Workspace& ws, const std::string& case_id, int contact_months,
                                  const std::string& path) {
  return ExportToFile<int>(path, [&](const DeliverBytes& deliver) {
    return ExportCaseSummary(ws, case_id, contact_months, deliver);
  });
}

Result<int> ExportCourtApplication(Workspace& ws, const std::string& application_id,
                                   const DeliverBytes& deliver) {
  LV_ASSIGN(std::string case_id, ws.CaseOfRecord("court_application", application_id));
  LV_ASSIGN(CaseFileView file, ws.CaseFile(case_id));
  const CourtApplication* application = nullptr;
  for (const auto& a : file.court_applications) {
    if (a.id == application_id) application = &a;
  }
  if (application == nullptr) {
    return MakeError(Errc::kNotFound, "court application " + application_id + ": not found");
  }
  LV_ASSIGN(DocumentContext dc, MakeDocumentContext(ws, file.case_record.unit_id));
  LV_ASSIGN(int pages, RenderAndDeliver(CourtApplicationDocument(file, *application, dc), deliver));
  LV_ASSIGN(std::string audited, ws.RecordDocumentRender("court_application", application->id,
                                                         "court_application", pages));
  (void)audited;
  return pages;
}

Result<int> ExportCourtApplicationFile(Workspace& ws, const std::string& application_id,
                                       const std::string& path) {
  return ExportToFile<int>(path, [&](const DeliverBytes& deliver) {
    return ExportCourtApplication(ws, application_id, deliver);
  });
}

Result<int> ExportEvaluationReport(Workspace& ws, const std::string& request_id,
                                   const DeliverBytes& deliver) {
  LV_ASSIGN(std::string case_id, ws.CaseOfRecord("evaluation_request", request_id));
  // Refused before the audited read when there is nothing to render.
  if (auto report_case = ws.CaseOfRecord("evaluation_report", request_id); !report_case.ok()) {
    if (report_case.error().code != Errc::kNotFound) return report_case.error();
    return MakeError(Errc::kValidation,
                     "request: the report of " + request_id + " is not started (evaluation start)");
  }
  LV_ASSIGN(CaseFileView file, ws.CaseFile(case_id));
  const EvaluationRequest* request = nullptr;
  const EvaluationReport* report = nullptr;
  for (const auto& q : file.evaluation_requests) {
    if (q.id == request_id) request = &q;
  }
  for (const auto& r : file.evaluation_reports) {
    if (r.id == request_id) report = &r;
  }
  if (request == nullptr) {
    return MakeError(Errc::kNotFound, "evaluation request " + request_id + ": not found");
  }
  if (report == nullptr) {
    return MakeError(Errc::kValidation,
                     "request: the report of " + request_id + " is not started (evaluation start)");
  }
  LV_ASSIGN(DocumentContext dc, MakeDocumentContext(ws, file.case_record.unit_id));
  LV_ASSIGN(int pages,
            RenderAndDeliver(EvaluationReportDocument(file, *request, *report, dc), deliver));
  LV_ASSIGN(std::string audited,
            ws.RecordDocumentRender("evaluation_report", report->id, "evaluation_report", pages));
  (void)audited;
  return pages;
}

Result<int> ExportEvaluationReportFile(Workspace& ws, const std::string& request_id,
                                       const std::string& path) {
  return ExportToFile<int>(path, [&](const DeliverBytes& deliver) {
    return ExportEvaluationReport(ws, request_id, deliver);
  });
}

Result<int> ExportMediationReport(Workspace& ws, const std::string& case_id,
                                  const DeliverBytes& deliver) {
  // Refused before the audited read when the case has no mediation report to give.
  LV_TRY(ws.CheckMediationReportable(case_id));
  LV_ASSIGN(CaseFileView file, ws.CaseFile(case_id));
  LV_ASSIGN(DocumentContext dc, MakeDocumentContext(ws, file.case_record.unit_id));
  LV_ASSIGN(int pages, RenderAndDeliver(MediationReportDocument(file, dc), deliver));
  LV_ASSIGN(std::string audited,
            ws.RecordDocumentRender("mediation", file.case_record.id, "mediation_report", pages));
  (void)audited;
  return pages;
}

Result<int> ExportMediationReportFile(Workspace& ws, const std::string& case_id,
                                      const std::string& path) {
  return ExportToFile<int>(path, [&](const DeliverBytes& deliver) {
    return ExportMediationReport(ws, case_id, deliver);
  });
}

Result<int> ExportMappaMinutes(Workspace& ws, const std::string& meeting_id,
                               const DeliverBytes& deliver) {
  LV_ASSIGN(MappaMeetingView view, ws.MappaMeetingDetail(meeting_id));
  // Names of the cases discussed, for those the actor may list (own or the unit's).
  std::map<std::string, std::string> labels;
  CaseloadFilter all;
  all.status = std::nullopt;
  if (auto rows = ws.Caseload(all); rows.ok()) {
    for (const auto& r : *rows) labels[r.case_id] = r.name + " " + r.surname;
  }
  LV_ASSIGN(DocumentContext dc, MakeDocumentContext(ws, view.meeting.unit_id));
  LV_ASSIGN(int pages, RenderAndDeliver(MappaMinutesDocument(view, dc, labels), deliver));
  LV_ASSIGN(std::string audited,
            ws.RecordDocumentRender("mappa_meeting", view.meeting.id, "minutes", pages));
  (void)audited;
  return pages;
}

Result<int> ExportMappaMinutesFile(Workspace& ws, const std::string& meeting_id,
                                   const std::string& path) {
  return ExportToFile<int>(path, [&](const DeliverBytes& deliver) {
    return ExportMappaMinutes(ws, meeting_id, deliver);
  });
}

Result<MappaPackExport> ExportMappaPack(Workspace& ws, const std::string& meeting_id,
                                        Institution institution, const DeliverBytes& deliver) {
  MappaPackExport out;
  auto generated =
      ws.GenerateMappaPack(meeting_id, institution, [&](const MappaPackView& view) -> Result<void> {
        LV_ASSIGN(DocumentContext dc, MakeDocumentContext(ws, view.meeting.unit_id));
        LV_ASSIGN(out.pages, RenderAndDeliver(MappaPackDocument(view, dc), deliver));
        out.disclosures = view.meeting.disclosures.size();
        return Ok();
      });
  if (!generated.ok()) return generated.error();
  out.pack_id = *generated;
  return out;
}

Result<MappaPackExport> ExportMappaPackFile(Workspace& ws, const std::string& meeting_id,
                                            Institution institution, const std::string& path) {
  return ExportToFile<MappaPackExport>(path, [&](const DeliverBytes& deliver) {
    return ExportMappaPack(ws, meeting_id, institution, deliver);
  });
}

}  // namespace lietvedis::client::documents
