// Evaluation reports in the case file: each request with its deadline in view (days left or
// overdue), and for a request in progress the report editor — the five sections with their
// word counts, the assessment the risk section rests on, save, sign, submit and withdraw.
// Commands go through the App's Execute (the worker thread); this file reads only the case
// file snapshot and keeps the editor's text buffers as widget state.
//
// Threading: main thread (ImGui). The texts being edited live here until saved; a buffer is
// reloaded from the snapshot when the stored draft changed and the buffer holds no unsaved
// edits.
#include <imgui.h>

#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <string>

#include "client/model.hpp"
#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "ui/draw_util.hpp"
#include "ui/i18n.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

// The hook the case file passes in (ui/screen_casefile.cpp): runs a command on the worker and
// calls `done` with its result on the main thread (errors are shown by the App).
using EvaluationExecute =
    std::function<void(client::Command, std::function<void(const Result<std::string>&)>)>;
// Opens the export dialog for the report of a request (App::OpenEvaluationReportExport).
using EvaluationOpenPdf = std::function<void(const std::string& request_id)>;
void DrawEvaluationReports(const client::CaseFileView& file, ImFont* bold,
                           const EvaluationExecute& execute, const EvaluationOpenPdf& open_pdf);

namespace {

// Today as ISO 'YYYY-MM-DD' (UTC, as the Workspace counts days).
std::string TodayIso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

struct Words {
  const char* lv;
  const char* en;
};
const char* T(const Words& w) {
  return Language() == Lang::kLv ? w.lv : w.en;
}

constexpr Words kSectionNames[] = {
    {"Persona un tās dzīves apstākļi", "The person and their circumstances"},
    {"Noziedzīgais nodarījums", "The offence"},
    {"Riski un vajadzības", "Risk and needs"},
    {"Personas attieksme un motivācija", "Attitude and motivation"},
    {"Secinājums un ieteikums", "Conclusion and recommendation"}};
constexpr Words kStart{"Sākt ziņojumu", "Start the report"};
constexpr Words kSave{"Saglabāt melnrakstu", "Save draft"};
constexpr Words kSign{"Parakstīt ziņojumu", "Sign the report"};
constexpr Words kSubmit{"Iesniegt", "Submit"};
constexpr Words kWithdraw{"Atsaukt pieprasījumu", "Withdraw the request"};
constexpr Words kReason{"Atsaukšanas iemesls", "Reason for withdrawal"};
constexpr Words kAssessment{"Novērtējums, uz kuru balstās", "Assessment it rests on"};
constexpr Words kNoAssessment{"— nav izvēlēts —", "— none chosen —"};
constexpr Words kWords{"vārdi", "words"};
constexpr Words kUnsaved{"Nesaglabātas izmaiņas", "Unsaved changes"};
constexpr Words kSignedBy{"Parakstīts", "Signed"};
constexpr Words kDeadline{"Termiņš", "Deadline"};
constexpr Words kOverdue{"nokavēts par %lld d.", "overdue by %lld days"};
constexpr Words kDueToday{"šodien", "today"};
constexpr Words kDueIn{"atlikušas %lld d.", "%lld days left"};
constexpr Words kWithdrawn{"Atsaukts %s: %s", "Withdrawn %s: %s"};
constexpr Words kSubmitted{"Iesniegts %s", "Submitted %s"};

// Days from ISO date `from` to ISO date `to` (civil-day arithmetic, Howard Hinnant).
long long DaysBetween(const std::string& from, const std::string& to) {
  auto days = [](const std::string& iso) -> long long {
    if (iso.size() < 10) return 0;
    long long y = std::stoll(iso.substr(0, 4));
    const long long m = std::stoll(iso.substr(5, 2)), d = std::stoll(iso.substr(8, 2));
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
  };
  return days(to) - days(from);
}

struct EditorState {
  std::string sections[5];
  std::string assessment_id;
  std::string loaded_at;  // drafted_at of the stored draft the buffers were loaded from
  bool dirty = false;
  std::string reason, withdrawn_on;  // withdrawal (withdrawn_on: default today)
  FieldError withdraw_error;         // the withdrawal's refusal, shown under its field
};

std::map<std::string, EditorState>& Editors() {
  static std::map<std::string, EditorState> editors;  // by request id
  return editors;
}

client::DraftEvaluationReport DraftOf(const std::string& request_id, const EditorState& e) {
  client::DraftEvaluationReport d;
  d.request_id = request_id;
  d.circumstances = e.sections[0];
  d.offence = e.sections[1];
  d.risk_needs = e.sections[2];
  d.attitude = e.sections[3];
  d.conclusion = e.sections[4];
  d.assessment_id = e.assessment_id;
  return d;
}

void DrawDeadline(const client::EvaluationRequest& r, const std::string& today) {
  ImGui::Text("%s: %s", T(kDeadline), FormatDate(r.deadline_on).c_str());
  const bool open = r.status == client::EvaluationStatus::kRequested ||
                    r.status == client::EvaluationStatus::kInProgress;
  if (!open || r.deadline_on.empty() || today.empty()) return;
  const long long left = DaysBetween(today, r.deadline_on);
  char buf[96];
  if (left < 0) {
    std::snprintf(buf, sizeof buf, T(kOverdue), -left);
  } else if (left == 0) {
    std::snprintf(buf, sizeof buf, "%s", T(kDueToday));
  } else {
    std::snprintf(buf, sizeof buf, T(kDueIn), left);
  }
  ImGui::SameLine();
  const ImVec4 colour = left < 0    ? Colors().danger
                        : left <= 7 ? Colors().warning
                                    : Colors().text_muted;
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::Text("(%s)", buf);
  ImGui::PopStyleColor();
}

void DrawEditor(const client::CaseFileView& file, const client::EvaluationRequest& request,
                const client::EvaluationReport& report, const EvaluationExecute& execute) {
  EditorState& e = Editors()[request.id];
  if (!e.dirty && e.loaded_at != report.drafted_at) {
    for (size_t i = 0; i < 5; ++i) e.sections[i] = report.Section(client::kReportSections[i]);
    e.assessment_id = report.assessment_id;
    e.loaded_at = report.drafted_at;
  }
  for (size_t i = 0; i < 5; ++i) {
    ImGui::PushID(static_cast<int>(i));
    const std::string code(client::Code(client::kReportSections[i]));
    ImGui::Text("%s", T(kSectionNames[i]));
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::Text("(%zu %s)", client::CountWords(e.sections[i]), T(kWords));
    ImGui::PopStyleColor();
    const std::string id = "##eval_" + code;
    if (InputTextMultiline(id.c_str(), &e.sections[i], ImVec2(-1, Em(3.0f)))) e.dirty = true;
    ImGui::PopID();
  }
  // The assessment the risk section rests on: the case's assessments, signed ones marked.
  const client::Assessment* chosen = nullptr;
  for (const auto& a : file.assessments) {
    if (a.id == e.assessment_id) chosen = &a;
  }
  auto label = [](const client::Assessment& a) {
    return FormatDate(a.assessed_on) + " " + Tr(a.instrument) + " " + a.instrument_version +
           (a.IsSigned() ? " ✓" : "");
  };
  ImGui::TextUnformatted(T(kAssessment));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(Em(22));
  const std::string preview = chosen ? label(*chosen) : std::string(T(kNoAssessment));
  if (BeginCombo("##eval_assessment", preview.c_str())) {
    int index = 0;
    for (const auto& a : file.assessments) {
      ImGui::PushID(a.id.c_str());
      // "###eval_assessment_N": scripts pick by position; the ImGui ID stays the record id.
      const std::string item = label(a) + "###eval_assessment_" + std::to_string(index++);
      if (Selectable(item.c_str(), a.id == e.assessment_id)) {
        e.assessment_id = a.id;
        e.dirty = true;
      }
      ImGui::PopID();
    }
    EndCombo();
  }
  if (e.dirty) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
    ImGui::TextUnformatted(T(kUnsaved));
    ImGui::PopStyleColor();
  }
  const std::string request_id = request.id;
  if (Button((std::string(T(kSave)) + "###eval_save").c_str())) {
    execute(DraftOf(request_id, e), [request_id](const Result<std::string>& r) {
      if (r.ok()) Editors()[request_id].dirty = false;
    });
  }
  ImGui::SameLine();
  if (PrimaryButton((std::string(T(kSign)) + "###eval_sign").c_str())) {
    // Saved first, so what is signed is what is on screen.
    execute(DraftOf(request_id, e), [request_id, execute](const Result<std::string>& r) {
      if (!r.ok()) return;
      Editors()[request_id].dirty = false;
      execute(client::SignEvaluationReport{request_id}, [](const Result<std::string>&) {});
    });
  }
}

void DrawSignedReport(const client::EvaluationReport& report, ImFont* bold) {
  for (size_t i = 0; i < 5; ++i) {
    const std::string& text = report.Section(client::kReportSections[i]);
    ImGui::PushFont(bold);
    ImGui::Text("%s", T(kSectionNames[i]));
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::Text("(%zu %s)", client::CountWords(text), T(kWords));
    ImGui::PopStyleColor();
    ImGui::TextWrapped("%s", text.c_str());
  }
}

}  // namespace

void DrawEvaluationReports(const client::CaseFileView& file, ImFont* bold,
                           const EvaluationExecute& execute, const EvaluationOpenPdf& open_pdf) {
  const std::string today = TodayIso();
  SectionHeading(Tr(S::kEvaluationRequests), bold);
  if (file.evaluation_requests.empty()) MutedText(Tr(S::kNone));
  for (const auto& r : file.evaluation_requests) {
    ImGui::PushID(r.id.c_str());
    const client::EvaluationReport* report = nullptr;
    for (const auto& x : file.evaluation_reports) {
      if (x.id == r.id) report = &x;
    }
    ImGui::PushFont(bold);
    ImGui::Text("%s, %s", r.requester_name.c_str(), r.reference.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::Text("— %s", Tr(r.status));
    DrawDeadline(r, today);
    char buf[512];
    if (r.status == client::EvaluationStatus::kSubmitted) {
      std::snprintf(buf, sizeof buf, T(kSubmitted), FormatDate(r.submitted_on).c_str());
      MutedText(buf);
    } else if (r.status == client::EvaluationStatus::kWithdrawn) {
      std::snprintf(buf, sizeof buf, T(kWithdrawn), FormatDate(r.withdrawn_on).c_str(),
                    r.withdrawal_reason.c_str());
      MutedText(buf);
    }
    const bool open = r.status == client::EvaluationStatus::kRequested ||
                      r.status == client::EvaluationStatus::kInProgress;
    if (r.status == client::EvaluationStatus::kRequested) {
      if (PrimaryButton((std::string(T(kStart)) + "###eval_start").c_str())) {
        execute(client::StartEvaluationReport{r.id, ""}, [](const Result<std::string>&) {});
      }
    }
    if (report != nullptr) {
      // The report as the court reads it (a draft is marked so in the PDF).
      if (Button((std::string(Tr(S::kPdfButton)) + "###eval_pdf").c_str())) open_pdf(r.id);
      if (report->IsSigned()) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
        ImGui::Text("✓ %s %s", T(kSignedBy), FormatDate(report->signed_at).c_str());
        ImGui::PopStyleColor();
        DrawSignedReport(*report, bold);
        if (r.status == client::EvaluationStatus::kInProgress &&
            PrimaryButton((std::string(T(kSubmit)) + "###eval_submit").c_str())) {
          execute(client::SubmitEvaluationReport{r.id, ""}, [](const Result<std::string>&) {});
        }
      } else if (r.status == client::EvaluationStatus::kInProgress) {
        DrawEditor(file, r, *report, execute);
      } else {
        DrawSignedReport(*report, bold);  // a withdrawn draft stays readable
      }
    }
    if (open) {
      // Withdrawal: the day (default today) and the reason, each refusal under its field;
      // Enter in either field withdraws.
      EditorState& e = Editors()[r.id];
      bool withdraw = false;
      if (ImGui::BeginTable("eval_withdraw_form", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(Em(9));
        withdraw |= InputTextWithHint("##eval_withdrawn_on", Tr(S::kWithdrawnOn), &e.withdrawn_on,
                                      ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(e.withdraw_error, "withdrawn_on");
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(Em(22));
        withdraw |= InputTextWithHint("##eval_reason", T(kReason), &e.reason,
                                      ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(e.withdraw_error, "reason");
        ImGui::EndTable();
      }
      if (e.withdraw_error.field != "withdrawn_on" && e.withdraw_error.field != "reason")
        FieldErrorLine(e.withdraw_error, e.withdraw_error.field);
      withdraw |= Button((std::string(T(kWithdraw)) + "###eval_withdraw").c_str());
      if (withdraw) {
        e.withdraw_error.Clear();
        const std::string request_id = r.id;
        execute(client::WithdrawEvaluationRequest{r.id, e.withdrawn_on, e.reason},
                [request_id](const Result<std::string>& result) {
                  EditorState& done = Editors()[request_id];
                  if (!result.ok()) {
                    done.withdraw_error = ToFieldError(result.error());
                    return;
                  }
                  done.reason.clear();
                  done.withdrawn_on.clear();
                });
      }
    }
    ImGui::Separator();
    ImGui::PopID();
  }
}

}  // namespace lietvedis::ui
