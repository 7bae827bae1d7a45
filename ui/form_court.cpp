// The court's decision on an application filed from the Supervision tab (RecordCourtDecision):
// drawn beside each application, the decision with its day once recorded (then immutable), a
// button and a small form for an undecided one. The form runs the Workspace command the CLI
// runs (`court decide`), shows its kValidation message under the field it names and writes
// nothing when refused.
#include <imgui.h>

#include <string>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

void App::DrawCourtDecision(const CaseFileSnapshot& snap, const client::CourtApplication& a,
                            int row, bool can_write) {
  const std::string case_id = snap.file.case_record.id;
  ImGui::Indent();
  // The application as PDF, decided or not (an audited read of the case).
  if (SmallButton(Id(S::kPdfButton, ("court_pdf_" + std::to_string(row)).c_str()).c_str())) {
    OpenCourtApplicationExport(a.id);
  }
  if (!a.decided_on.empty()) {
    ImGui::TextWrapped("%s (%s): %s", Tr(S::kCourtDecisionOn), FormatDate(a.decided_on).c_str(),
                       a.decision.c_str());
    ImGui::Unindent();
    return;
  }
  CourtDecisionForm& form = case_state_.court_decision_forms[case_id];
  const std::string n = std::to_string(row);
  if (form.application_id != a.id) {
    MutedText(Tr(S::kNoDecisionYet));
    if (can_write) {
      ImGui::SameLine();
      ImGui::BeginDisabled(!form.application_id.empty());
      if (SmallButton(Id(S::kRecordCourtDecision, ("decide_application_" + n).c_str()).c_str())) {
        form = CourtDecisionForm{};
        form.application_id = a.id;
        form.decided_on = FormatDate(session_view_->today);
      }
      ImGui::EndDisabled();
    }
    ImGui::Unindent();
    return;
  }
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("court_decision_form", 2, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("decision", ImGuiTableColumnFlags_WidthStretch, 4.0f);
    ImGui::TableSetupColumn("decided_on", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kCourtDecisionText));
    ImGui::SetNextItemWidth(-1);
    submit |=
        InputText("##court_decision_text", &form.decision, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "decision");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kDecidedOn));
    ImGui::SetNextItemWidth(-1);
    submit |=
        DateInput("##court_decided_on", &form.decided_on, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "decided_on");
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "application_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSaveCourtDecision, "court_decision_save").c_str());
  ImGui::SameLine();
  const bool cancel =
      Button(Id(S::kCancel, "court_decision_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  ImGui::Unindent();
  if (cancel && !form.saving) {
    form = CourtDecisionForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::RecordCourtDecision cmd{form.application_id, form.decision, form.decided_on};
    Execute(cmd, [this, case_id](const Result<std::string>& r) {
      CourtDecisionForm& done = case_state_.court_decision_forms[case_id];
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = CourtDecisionForm{};
    });
  }
}

}  // namespace lietvedis::ui
