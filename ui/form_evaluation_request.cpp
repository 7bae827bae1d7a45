// Recording an evaluation request on the Overview tab of the case file, as it arrives from a
// court, a prosecutor or a prison (RecordEvaluationRequest): the requester, its name, the
// reference, the day received and the deadline. The request is then listed with the report
// editor (ui/screen_evaluation.cpp: start, draft, sign, submit, withdraw). The form runs the
// Workspace command the CLI runs (`evaluation request`), shows its kValidation message under
// the field it names and writes nothing when refused. Enter in a field saves, Escape cancels.
#include <imgui.h>

#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

void App::DrawEvaluationRequestForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  EvaluationRequestForm& form = case_state_.client_forms[case_id].evaluation;
  if (session_view_->actor.user_id != f.case_record.responsible_officer_id ||
      f.case_record.status != client::CaseStatus::kOpen)
    return;
  if (!form.open) {
    if (Button(Id(S::kRecordEvaluationRequest, "record_evaluation_request").c_str())) {
      form = EvaluationRequestForm{};
      form.open = true;
      form.received_on = FormatDate(session_view_->today);
    }
    return;
  }
  SectionHeading(Tr(S::kRecordEvaluationRequest), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  const auto field = [&](S label, const char* id, std::string* value, const char* error_field,
                         bool date) {
    submit |= TableField(Tr(label), id, value, form.error, error_field,
                         date ? FieldKind::kDate : FieldKind::kText);
  };
  if (ImGui::BeginTable("evaluation_request_form", 5, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kRequester));
    EnumCombo("##evaluation_requester", &form.requester);
    FieldErrorLine(form.error, "requester");
    field(S::kRequesterName, "##evaluation_requester_name", &form.requester_name, "requester_name",
          false);
    field(S::kReference, "##evaluation_reference", &form.reference, "reference", false);
    field(S::kReceivedOn, "##evaluation_received_on", &form.received_on, "received_on", true);
    field(S::kDeadline, "##evaluation_deadline", &form.deadline_on, "deadline_on", true);
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "evaluation_request_save").c_str());
  ImGui::SameLine();
  const bool cancel =
      Button(Id(S::kCancel, "evaluation_request_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = EvaluationRequestForm{};
  } else if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::RecordEvaluationRequest cmd{case_id,        form.requester,   form.requester_name,
                                        form.reference, form.received_on, form.deadline_on};
    Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
      EvaluationRequestForm& done = case_state_.client_forms[case_id].evaluation;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = EvaluationRequestForm{};
    });
  }
}

}  // namespace lietvedis::ui
