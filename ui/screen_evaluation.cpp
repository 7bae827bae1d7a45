// Evaluation reports in the case file: each request with its deadline in view (days left or
// overdue), and for a request in progress the report editor — the five sections with their
// word counts, the assessment the risk section rests on, save, sign, submit and withdraw.
// Commands go through the App's Execute (the worker thread); this file reads only the case
// file snapshot. A signed report takes corrections of its sections (ui/form_corrections.cpp).
//
// Threading: main thread (ImGui). The texts being edited live in CaseFileViewState's
// evaluation_editors (by request id) until saved; a buffer is reloaded from the snapshot when
// the stored draft changed and the buffer holds no unsaved edits.
#include <imgui.h>

#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <string>

#include "client/model.hpp"
#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/i18n.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr S kSectionNames[] = {S::kEvalCircumstances, S::kEvalOffence, S::kEvalRiskNeeds,
                               S::kEvalAttitude, S::kEvalConclusion};

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

client::DraftEvaluationReport DraftOf(const std::string& request_id, const EvaluationEditor& e) {
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
  ImGui::Text("%s: %s", Tr(S::kDeadline), FormatDate(r.deadline_on).c_str());
  const bool open = r.status == client::EvaluationStatus::kRequested ||
                    r.status == client::EvaluationStatus::kInProgress;
  if (!open || r.deadline_on.empty() || today.empty()) return;
  const long long left = DaysBetween(today, r.deadline_on);
  char buf[96];
  if (left < 0) {
    std::snprintf(buf, sizeof buf, Tr(S::kEvalOverdueBy), -left);
  } else if (left == 0) {
    std::snprintf(buf, sizeof buf, "%s", Tr(S::kEvalDueToday));
  } else {
    std::snprintf(buf, sizeof buf, Tr(S::kEvalDaysLeft), left);
  }
  ImGui::SameLine();
  const ImVec4 colour = left < 0    ? Colors().danger
                        : left <= 7 ? Colors().warning
                                    : Colors().text_muted;
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::Text("(%s)", buf);
  ImGui::PopStyleColor();
}

// The hook the editor runs commands through (App::Execute, errors shown by the App).
using EvaluationExecute =
    std::function<void(client::Command, std::function<void(const Result<std::string>&)>)>;

void DrawEditor(const client::CaseFileView& file, const client::EvaluationRequest& request,
                const client::EvaluationReport& report, EvaluationEditor& e,
                std::map<std::string, EvaluationEditor>* editors,
                const EvaluationExecute& execute) {
  if (!e.dirty && e.loaded_at != report.drafted_at) {
    for (size_t i = 0; i < 5; ++i) e.sections[i] = report.Section(client::kReportSections[i]);
    e.assessment_id = report.assessment_id;
    e.loaded_at = report.drafted_at;
  }
  for (size_t i = 0; i < 5; ++i) {
    ImGui::PushID(static_cast<int>(i));
    const std::string code(client::Code(client::kReportSections[i]));
    ImGui::Text("%s", Tr(kSectionNames[i]));
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::Text("(%zu %s)", client::CountWords(e.sections[i]), Tr(S::kEvalWords));
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
  ImGui::TextUnformatted(Tr(S::kEvalAssessment));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(Em(22));
  const std::string preview = chosen ? label(*chosen) : std::string(Tr(S::kEvalNoAssessment));
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
    ImGui::TextUnformatted(Tr(S::kEvalUnsaved));
    ImGui::PopStyleColor();
  }
  const std::string request_id = request.id;
  if (Button(Id(S::kEvalSaveDraft, "eval_save").c_str())) {
    execute(DraftOf(request_id, e), [editors, request_id](const Result<std::string>& r) {
      if (r.ok()) (*editors)[request_id].dirty = false;
    });
  }
  ImGui::SameLine();
  if (PrimaryButton(Id(S::kEvalSign, "eval_sign").c_str())) {
    // Saved first, so what is signed is what is on screen.
    execute(DraftOf(request_id, e), [editors, request_id, execute](const Result<std::string>& r) {
      if (!r.ok()) return;
      (*editors)[request_id].dirty = false;
      execute(client::SignEvaluationReport{request_id}, [](const Result<std::string>&) {});
    });
  }
}

void DrawSignedReport(const client::EvaluationReport& report, ImFont* bold) {
  for (size_t i = 0; i < 5; ++i) {
    const std::string& text = report.Section(client::kReportSections[i]);
    ImGui::PushFont(bold);
    ImGui::Text("%s", Tr(kSectionNames[i]));
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::Text("(%zu %s)", client::CountWords(text), Tr(S::kEvalWords));
    ImGui::PopStyleColor();
    ImGui::TextWrapped("%s", text.c_str());
  }
}

// A signed report as the correction form offers it: its five sections, each with its text.
CorrectableRecord CorrectableReport(const client::EvaluationRequest& r,
                                    const client::EvaluationReport& report) {
  CorrectableRecord c;
  c.id = report.id;
  c.label =
      std::string(Tr(S::kEvaluationReportRecord)) + " — " + r.requester_name + ", " + r.reference;
  for (size_t i = 0; i < 5; ++i) {
    c.fields.push_back({std::string(client::Code(client::kReportSections[i])), Tr(kSectionNames[i]),
                        report.Section(client::kReportSections[i])});
  }
  return c;
}

}  // namespace

void App::DrawEvaluationReports(const CaseFileSnapshot& snap) {
  const client::CaseFileView& file = snap.file;
  ImFont* bold = fonts_.bold;
  const std::string case_id = file.case_record.id;
  const EvaluationExecute execute = [this](client::Command c,
                                           std::function<void(const Result<std::string>&)> done) {
    Execute(std::move(c), [this, done](const Result<std::string>& r) {
      if (!r.ok()) ShowError(r.error());
      done(r);
    });
  };
  auto* editors = &case_state_.evaluation_editors;
  // Corrections go into the case's scope: the responsible officer writes them.
  const bool can_correct = session_view_->actor.user_id == file.case_record.responsible_officer_id;
  const bool correcting = !case_state_.correction_forms[case_id].target_id.empty();
  std::vector<CorrectableRecord> signed_reports;
  const std::string today = client::TodayIso();
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
      std::snprintf(buf, sizeof buf, Tr(S::kEvalSubmitted), FormatDate(r.submitted_on).c_str());
      MutedText(buf);
    } else if (r.status == client::EvaluationStatus::kWithdrawn) {
      std::snprintf(buf, sizeof buf, Tr(S::kEvalWithdrawn), FormatDate(r.withdrawn_on).c_str(),
                    r.withdrawal_reason.c_str());
      MutedText(buf);
    }
    const bool open = r.status == client::EvaluationStatus::kRequested ||
                      r.status == client::EvaluationStatus::kInProgress;
    if (r.status == client::EvaluationStatus::kRequested) {
      if (PrimaryButton(Id(S::kEvalStart, "eval_start").c_str())) {
        execute(client::StartEvaluationReport{r.id, ""}, [](const Result<std::string>&) {});
      }
    }
    if (report != nullptr) {
      // The report as the court reads it (a draft is marked so in the PDF).
      if (Button(Id(S::kPdfButton, "eval_pdf").c_str())) OpenEvaluationReportExport(r.id);
      if (report->IsSigned()) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
        ImGui::Text("✓ %s %s", Tr(S::kEvalSigned), FormatDate(report->signed_at).c_str());
        ImGui::PopStyleColor();
        // A signed report never changes: its corrections are appended (below the list).
        signed_reports.push_back(CorrectableReport(r, *report));
        if (can_correct) {
          ImGui::SameLine();
          ImGui::BeginDisabled(correcting);
          if (SmallButton(Id(S::kCorrectReport, "eval_correct").c_str()))
            OpenCorrection(case_id, "evaluation_report", signed_reports.back());
          ImGui::EndDisabled();
        }
        DrawSignedReport(*report, bold);
        if (r.status == client::EvaluationStatus::kInProgress &&
            PrimaryButton(Id(S::kEvalSubmit, "eval_submit").c_str())) {
          execute(client::SubmitEvaluationReport{r.id, ""}, [](const Result<std::string>&) {});
        }
      } else if (r.status == client::EvaluationStatus::kInProgress) {
        DrawEditor(file, r, *report, (*editors)[r.id], editors, execute);
      } else {
        DrawSignedReport(*report, bold);  // a withdrawn draft stays readable
      }
    }
    if (open) {
      // Withdrawal: the day (default today, typed or picked in the calendar) and the reason,
      // each refusal under its field; Enter in either field withdraws.
      EvaluationEditor& e = (*editors)[r.id];
      bool withdraw = false;
      if (ImGui::BeginTable("eval_withdraw_form", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kWithdrawnOn));
        ImGui::SetNextItemWidth(Em(10));
        withdraw |= DateInput("##eval_withdrawn_on", &e.withdrawn_on);
        FieldErrorLine(e.withdraw_error, "withdrawn_on");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kEvalWithdrawalReason));
        ImGui::SetNextItemWidth(Em(22));
        withdraw |= InputText("##eval_reason", &e.reason, ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(e.withdraw_error, "reason");
        ImGui::EndTable();
      }
      if (e.withdraw_error.field != "withdrawn_on" && e.withdraw_error.field != "reason")
        FieldErrorLine(e.withdraw_error, e.withdraw_error.field);
      withdraw |= Button(Id(S::kEvalWithdraw, "eval_withdraw").c_str());
      if (withdraw) {
        e.withdraw_error.Clear();
        const std::string request_id = r.id;
        execute(client::WithdrawEvaluationRequest{r.id, e.withdrawn_on, e.reason},
                [editors, request_id](const Result<std::string>& result) {
                  EvaluationEditor& done = (*editors)[request_id];
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
  // The form for a signed report's correction and the corrections beside the originals.
  if (!signed_reports.empty()) DrawCorrections(snap, "evaluation_report", signed_reports);
}

}  // namespace lietvedis::ui
