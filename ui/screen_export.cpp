// The "Eksportēt…" dialog of the caseload, the agenda and the supervisor dashboard, and the
// case file's "Lietas kopsavilkums (PDF)" and "Datu subjekta pieprasījums…" (the person's
// subject access package, PDF and JSON, into a folder: client/documents/subject_access.hpp),
// the evaluation report's and a court application's "PDF", the Mediation tab's "Ziņojums
// (PDF)" (once the outcome is recorded), and the MAPPA page's "Protokols (PDF)" and "Pakete
// iestādei…" (signed minutes; the recipient chosen here among the
// institutions that took part): format (CSV / XLSX, or PDF for a document), the CSV delimiter,
// the output file (a default in the user's home), Saglabāt / Atcelt; Enter saves, Escape
// cancels.
//
// The export runs as a job on the worker through the same core functions the command line
// uses (client/documents/export.hpp): the rows come from the Workspace's own query, run again
// in the job for the acting user (an officer gets their own caseload, a supervisor the
// unit's), the file is created 0600, and the export is audited as the CLI's is. A refusal or
// an I/O error is shown in the dialog in plain words; success shows the path and the count.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "client/agenda.hpp"
#include "client/documents/export.hpp"
#include "client/documents/subject_access.hpp"
#include "client/indicators.hpp"
#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

namespace docs = client::documents;

constexpr const char* kPopup = "export_dialog";
constexpr int kSummaryContactMonths = 6;  // as `lietvedis case summary` without --months

std::string HomeDir() {
  const char* home = std::getenv("HOME");
  return home != nullptr && *home != '\0' ? home : ".";
}

// "~/x.csv" -> "$HOME/x.csv"; anything else unchanged.
std::string ExpandHome(const std::string& path) {
  if (path == "~") return HomeDir();
  if (path.rfind("~/", 0) == 0) return HomeDir() + path.substr(1);
  return path;
}

// Swaps a trailing .csv / .xlsx for the chosen format's extension (a name the user typed
// without one of those keeps its ending).
void SetExtension(std::string* path, bool xlsx) {
  for (const char* ext : {".csv", ".xlsx"}) {
    const std::string e = ext;
    if (path->size() > e.size() && path->compare(path->size() - e.size(), e.size(), e) == 0) {
      path->resize(path->size() - e.size());
      path->append(xlsx ? ".xlsx" : ".csv");
      return;
    }
  }
}

std::string Format(const char* format, const std::string& a, long long n) {
  char buf[1024];
  std::snprintf(buf, sizeof buf, format, a.c_str(), n);
  return buf;
}

// What a finished export counts: rows, pages of a document, or cases of a subject access
// package; and for a MAPPA pack the disclosures it carries (each logged).
struct ExportCounts {
  long long count = 0;
  long long disclosures = 0;
};

// What a finished job reports to the dialog.
struct ExportOutcome {
  std::optional<Error> error;
  ExportCounts counts;
};

bool IsPdfDocument(ExportDialog::Kind kind) {
  switch (kind) {
    case ExportDialog::Kind::kCaseSummary:
    case ExportDialog::Kind::kEvaluationReport:
    case ExportDialog::Kind::kCourtApplication:
    case ExportDialog::Kind::kMappaMinutes:
    case ExportDialog::Kind::kMappaPack:
    case ExportDialog::Kind::kMediationReport:
      return true;
    default:
      return false;
  }
}

// "mappas_pakete_state_police_2026-12-06": the pack's default file stem names its recipient.
std::string MappaPackStem(client::Institution institution, const std::string& today) {
  return "mappas_pakete_" + std::string(client::Code(institution)) + "_" + today;
}

// The caseload rows as the screen lists them: the query's rows for the same filter, the local
// "not assessed" filter, in the screen's display order (rows that arrived since the screen's
// snapshot follow in the query's order).
Result<std::vector<client::CaseloadRow>> CaseloadRowsInDisplayOrder(client::Workspace& ws,
                                                                    const ExportDialog& d) {
  LV_ASSIGN(auto rows, ws.Caseload(d.filter));
  if (d.not_assessed_only) {
    rows.erase(
        std::remove_if(rows.begin(), rows.end(),
                       [](const client::CaseloadRow& r) { return r.risk_level.has_value(); }),
        rows.end());
  }
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < d.ordered_case_ids.size(); ++i) position[d.ordered_case_ids[i]] = i;
  auto pos = [&](const client::CaseloadRow& r) {
    const auto it = position.find(r.case_id);
    return it == position.end() ? d.ordered_case_ids.size() : it->second;
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const auto& a, const auto& b) { return pos(a) < pos(b); });
  return rows;
}

// Runs on the worker.
Result<ExportCounts> RunExport(Session& s, const ExportDialog& d, const std::string& path) {
  client::Workspace* ws = s.workspace();
  if (ws == nullptr || s.db() == nullptr) return MakeError(Errc::kLocked, "the store is locked");
  const auto format = d.xlsx ? docs::TableFormat::kXlsx : docs::TableFormat::kCsv;
  const char delimiter = d.comma ? ',' : ';';
  switch (d.kind) {
    case ExportDialog::Kind::kCaseload: {
      LV_ASSIGN(auto rows, CaseloadRowsInDisplayOrder(*ws, d));
      LV_ASSIGN(std::int64_t n,
                docs::ExportTable(*ws, docs::CaseloadTable(rows), format, delimiter, path));
      return ExportCounts{static_cast<long long>(n), 0};
    }
    case ExportDialog::Kind::kAgenda: {
      LV_ASSIGN(client::Agenda agenda, client::BuildAgenda(*ws, *s.db()));
      LV_ASSIGN(std::int64_t n,
                docs::ExportTable(*ws, docs::AgendaTable(agenda), format, delimiter, path));
      return ExportCounts{static_cast<long long>(n), 0};
    }
    case ExportDialog::Kind::kIndicators: {
      LV_ASSIGN(client::Indicators ind, client::ComputeIndicators(*ws, *s.db(), d.year));
      LV_ASSIGN(std::int64_t n,
                docs::ExportTable(*ws, docs::IndicatorsTable(ind), format, delimiter, path));
      return ExportCounts{static_cast<long long>(n), 0};
    }
    case ExportDialog::Kind::kCaseSummary: {
      LV_ASSIGN(int pages,
                docs::ExportCaseSummaryFile(*ws, d.case_id, kSummaryContactMonths, path));
      return ExportCounts{pages, 0};
    }
    case ExportDialog::Kind::kSubjectAccess: {
      LV_ASSIGN(
          docs::SubjectAccessFiles files,
          docs::ExportSubjectAccess(*ws, d.client_id, path, docs::SubjectAccessFormat::kBoth));
      return ExportCounts{static_cast<long long>(files.cases), 0};
    }
    case ExportDialog::Kind::kEvaluationReport: {
      LV_ASSIGN(int pages, docs::ExportEvaluationReportFile(*ws, d.record_id, path));
      return ExportCounts{pages, 0};
    }
    case ExportDialog::Kind::kCourtApplication: {
      LV_ASSIGN(int pages, docs::ExportCourtApplicationFile(*ws, d.record_id, path));
      return ExportCounts{pages, 0};
    }
    case ExportDialog::Kind::kMappaMinutes: {
      LV_ASSIGN(int pages, docs::ExportMappaMinutesFile(*ws, d.record_id, path));
      return ExportCounts{pages, 0};
    }
    case ExportDialog::Kind::kMediationReport: {
      LV_ASSIGN(int pages, docs::ExportMediationReportFile(*ws, d.record_id, path));
      return ExportCounts{pages, 0};
    }
    case ExportDialog::Kind::kMappaPack: {
      if (d.institution >= d.institutions.size()) {
        return MakeError(Errc::kValidation, "institution: required");
      }
      LV_ASSIGN(docs::MappaPackExport pack,
                docs::ExportMappaPackFile(*ws, d.record_id, d.institutions[d.institution], path));
      return ExportCounts{pack.pages, static_cast<long long>(pack.disclosures)};
    }
  }
  return MakeError(Errc::kInternal, "export: unknown kind");
}

ExportDialog FreshDialog(ExportDialog::Kind kind, const std::string& file_stem) {
  ExportDialog d;
  d.kind = kind;
  d.open = true;
  d.open_requested = true;
  d.xlsx = true;
  d.path = HomeDir() + "/" + file_stem + (IsPdfDocument(kind) ? ".pdf" : ".xlsx");
  if (IsPdfDocument(kind)) d.xlsx = false;
  if (kind == ExportDialog::Kind::kSubjectAccess) d.path = HomeDir();  // a folder
  return d;
}

}  // namespace

void App::OpenCaseloadExport() {
  if (!caseload_ || !session_view_) return;
  ExportDialog d =
      FreshDialog(ExportDialog::Kind::kCaseload, "klientu_lietas_" + session_view_->today);
  const CaseloadView& view = *caseload_;
  d.filter = view.filter;
  d.not_assessed_only = caseload_state_.risk == 5;
  d.rows_shown = view.rows.size();
  const auto& order = caseload_state_.order;
  const bool ordered =
      caseload_state_.ordered_generation == view.generation && order.size() == view.rows.size();
  for (std::size_t i = 0; i < view.rows.size(); ++i) {
    const std::size_t row = ordered ? static_cast<std::size_t>(order[i]) : i;
    d.ordered_case_ids.push_back(view.rows[row].case_id);
  }
  export_ = std::move(d);
}

void App::OpenAgendaExport() {
  if (!agenda_ || !session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kAgenda, "darba_kartiba_" + session_view_->today);
  export_.rows_shown = agenda_->agenda.items.size();
}

void App::OpenIndicatorsExport(int year) {
  if (!session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kIndicators,
                        "raditaji_" + std::to_string(year) + "_" + session_view_->today);
  export_.year = year;
}

void App::OpenCaseSummaryExport(const std::string& case_id) {
  if (!session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kCaseSummary,
                        "lietas_kopsavilkums_" + case_id + "_" + session_view_->today);
  export_.case_id = case_id;
  export_.xlsx = false;
}

void App::OpenSubjectAccessExport(const std::string& client_id) {
  if (!session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kSubjectAccess, "");
  export_.client_id = client_id;
  export_.xlsx = false;
}

void App::OpenEvaluationReportExport(const std::string& request_id) {
  if (!session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kEvaluationReport,
                        "izvertesanas_zinojums_" + session_view_->today);
  export_.record_id = request_id;
}

void App::OpenCourtApplicationExport(const std::string& application_id) {
  if (!session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kCourtApplication,
                        "pieteikums_tiesai_" + session_view_->today);
  export_.record_id = application_id;
}

void App::OpenMediationReportExport(const std::string& case_id) {
  if (!session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kMediationReport,
                        "izliguma_zinojums_" + session_view_->today);
  export_.record_id = case_id;
}

void App::OpenMappaMinutesExport(const client::MappaMeeting& meeting) {
  if (!session_view_) return;
  export_ = FreshDialog(ExportDialog::Kind::kMappaMinutes,
                        "mappas_protokols_" + meeting.held_on.substr(0, 10));
  export_.record_id = meeting.id;
}

void App::OpenMappaPackExport(const client::MappaMeeting& meeting) {
  if (!session_view_) return;
  std::vector<client::Institution> institutions;
  for (const auto& p : meeting.participants) {
    if (std::find(institutions.begin(), institutions.end(), p.institution) == institutions.end())
      institutions.push_back(p.institution);
  }
  if (institutions.empty()) return;
  // The first other institution is the likelier recipient than the service itself.
  std::size_t first = 0;
  while (first + 1 < institutions.size() && institutions[first] == client::Institution::kVpd)
    ++first;
  export_ = FreshDialog(ExportDialog::Kind::kMappaPack,
                        MappaPackStem(institutions[first], session_view_->today));
  export_.record_id = meeting.id;
  export_.institutions = std::move(institutions);
  export_.institution = first;
}

void App::StartExport() {
  ExportDialog& d = export_;
  if (d.running) return;
  d.error.clear();
  d.done.clear();
  const std::string path = ExpandHome(d.path);
  const ExportDialog request = d;  // a copy for the worker
  d.running = true;
  Post("export", [this, request, path](Session& s) -> TaskQueue::Completion {
    Result<ExportCounts> result = RunExport(s, request, path);
    ExportOutcome outcome;
    if (result.ok()) {
      outcome.counts = *result;
    } else {
      outcome.error = result.error();
    }
    const ExportDialog::Kind kind = request.kind;
    return [this, outcome, path, kind]() {
      export_.running = false;
      if (!outcome.error) {
        const ExportCounts& c = outcome.counts;
        if (kind == ExportDialog::Kind::kMappaPack) {
          char buf[1200];
          std::snprintf(buf, sizeof buf, Tr(S::kMappaPackDone), path.c_str(), c.count,
                        c.disclosures);
          export_.done = buf;
          RefreshMappa();  // the meeting's disclosure log grew
        } else {
          const S done_text = kind == ExportDialog::Kind::kSubjectAccess ? S::kSubjectAccessDone
                              : IsPdfDocument(kind)                      ? S::kExportDonePages
                                                                         : S::kExportDoneRows;
          export_.done = Format(Tr(done_text), path, c.count);
        }
        if (kind == ExportDialog::Kind::kSubjectAccess || IsPdfDocument(kind)) {
          // The render is in the case's history now.
          for (const auto& id : case_state_.open_cases) RefreshCaseFile(id);
        }
        toast_ = export_.done;
        toast_at_ = std::chrono::steady_clock::now();
        return;
      }
      const Error& e = *outcome.error;
      switch (e.code) {
        case Errc::kIo:
          export_.error = Format(Tr(S::kExportCannotWrite), path, 0);
          break;
        case Errc::kNotPermitted:
          export_.error = Tr(S::kNotPermitted);
          break;
        case Errc::kValidation: {
          const FieldError fe = ToFieldError(e);
          const S label = export_.kind == ExportDialog::Kind::kSubjectAccess ? S::kOutputFolder
                                                                             : S::kOutputFile;
          export_.error =
              fe.field == "output" ? std::string(Tr(label)) + ": " + fe.message : ErrorText(e);
          break;
        }
        default:
          export_.error = Format(Tr(S::kExportFailed), ErrorText(e), 0);
          break;
      }
    };
  });
}

void App::DrawExportDialog() {
  ExportDialog& d = export_;
  if (d.open_requested) {
    ImGui::OpenPopup(kPopup);
    d.open_requested = false;
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(Em(38), 0));
  if (!ImGui::BeginPopupModal(kPopup, nullptr,
                              ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize))
    return;
  const bool pdf = IsPdfDocument(d.kind);
  const bool subject = d.kind == ExportDialog::Kind::kSubjectAccess;
  ImGui::PushFont(fonts_.title);
  switch (d.kind) {
    case ExportDialog::Kind::kCaseload:
      ImGui::TextUnformatted(Tr(S::kExportCaseloadTitle));
      break;
    case ExportDialog::Kind::kAgenda:
      ImGui::TextUnformatted(Tr(S::kExportAgendaTitle));
      break;
    case ExportDialog::Kind::kIndicators:
      ImGui::Text(Tr(S::kExportIndicatorsTitle), d.year);
      break;
    case ExportDialog::Kind::kCaseSummary:
      ImGui::TextUnformatted(Tr(S::kCaseSummaryPdf));
      break;
    case ExportDialog::Kind::kSubjectAccess:
      ImGui::TextUnformatted(Tr(S::kSubjectAccess));
      break;
    case ExportDialog::Kind::kEvaluationReport:
      ImGui::TextUnformatted(Tr(S::kEvaluationReportPdf));
      break;
    case ExportDialog::Kind::kCourtApplication:
      ImGui::TextUnformatted(Tr(S::kCourtApplicationPdf));
      break;
    case ExportDialog::Kind::kMappaMinutes:
      ImGui::TextUnformatted(Tr(S::kMappaMinutesPdf));
      break;
    case ExportDialog::Kind::kMappaPack:
      ImGui::TextUnformatted(Tr(S::kMappaPack));
      break;
    case ExportDialog::Kind::kMediationReport:
      ImGui::TextUnformatted(Tr(S::kMediationReportTitle));
      break;
  }
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  if (d.kind == ExportDialog::Kind::kCaseload) {
    ImGui::TextWrapped(Tr(S::kExportCaseloadNote), d.rows_shown);
  } else if (d.kind == ExportDialog::Kind::kAgenda) {
    ImGui::TextWrapped(Tr(S::kExportAgendaNote), d.rows_shown);
  } else if (subject) {
    ImGui::TextWrapped("%s", Tr(S::kSubjectAccessNote));
  } else if (d.kind == ExportDialog::Kind::kMappaPack) {
    ImGui::TextWrapped("%s", Tr(S::kMappaPackNote));
  }
  ImGui::TextWrapped("%s", Tr(S::kExportAuditNote));
  ImGui::PopStyleColor();
  ImGui::Spacing();

  bool save = false;
  ImGui::BeginDisabled(d.running);
  FieldLabel(Tr(S::kFormat));
  if (pdf || subject) {
    ImGui::TextUnformatted(subject ? "PDF + JSON" : "PDF");
  } else {
    if (RadioButton("CSV###export_csv", !d.xlsx) && d.xlsx) {
      d.xlsx = false;
      SetExtension(&d.path, false);
    }
    ImGui::SameLine(0, Em(1.5f));
    if (RadioButton("XLSX###export_xlsx", d.xlsx) && !d.xlsx) {
      d.xlsx = true;
      SetExtension(&d.path, true);
    }
    if (!d.xlsx) {
      FieldLabel(Tr(S::kCsvDelimiter));
      const std::string semicolon = std::string(Tr(S::kDelimiterSemicolon)) + "###export_semicolon";
      const std::string comma = std::string(Tr(S::kDelimiterComma)) + "###export_comma";
      if (RadioButton(semicolon.c_str(), !d.comma)) d.comma = false;
      ImGui::SameLine(0, Em(1.5f));
      if (RadioButton(comma.c_str(), d.comma)) d.comma = true;
    }
  }
  if (d.kind == ExportDialog::Kind::kMappaPack && !d.institutions.empty()) {
    // Only the institutions that took part: a pack for any other is refused by the core.
    FieldLabel(Tr(S::kRecipientInstitution));
    ImGui::SetNextItemWidth(-1);
    const std::size_t current = std::min(d.institution, d.institutions.size() - 1);
    if (BeginCombo("##export_institution", Tr(d.institutions[current]))) {
      for (std::size_t i = 0; i < d.institutions.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        const std::string label =
            std::string(Tr(d.institutions[i])) + "###institution_" + std::to_string(i);
        if (Selectable(label.c_str(), i == current) && i != current) {
          // A default name follows the recipient; a name the user typed is kept.
          const std::string today = session_view_ ? session_view_->today : std::string();
          const std::string old_default =
              HomeDir() + "/" + MappaPackStem(d.institutions[current], today) + ".pdf";
          if (d.path == old_default) {
            d.path = HomeDir() + "/" + MappaPackStem(d.institutions[i], today) + ".pdf";
          }
          d.institution = i;
        }
        ImGui::PopID();
      }
      EndCombo();
    }
  }
  FieldLabel(Tr(subject ? S::kOutputFolder : S::kOutputFile));
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  if (InputText("##export_path", &d.path, ImGuiInputTextFlags_EnterReturnsTrue)) save = true;
  ImGui::EndDisabled();

  if (!d.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
    ImGui::TextWrapped("%s", d.error.c_str());
    ImGui::PopStyleColor();
  }
  if (!d.done.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
    ImGui::TextWrapped("%s", d.done.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  ImGui::BeginDisabled(d.running);
  if (PrimaryButton(Id(S::kSave, "export_save").c_str())) save = true;
  ImGui::SameLine();
  const bool finished = !d.done.empty();
  bool close = Button(Id(finished ? S::kClose : S::kCancel, "export_cancel").c_str());
  ImGui::EndDisabled();
  if (d.running) {
    ImGui::SameLine();
    Spinner(0.5f);
    ImGui::SameLine();
    MutedText(Tr(S::kExporting));
  }
  // Keyboard: Enter saves (also when the path field is not focused), Escape cancels.
  if (!d.running && !ImGui::IsAnyItemActive() &&
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false)) {
    save = true;
  }
  if (!d.running && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) close = true;
  if (save && !d.running) StartExport();
  if (close && !d.running) d.open = false;
  if (!d.open) ImGui::CloseCurrentPopup();
  EndPopup();
}

}  // namespace lietvedis::ui
