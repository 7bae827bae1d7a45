// Case-file forms for decisions that change the file's state: closing the case (with the
// reason the open supervision section closes for). Each form shows the Workspace's
// kValidation message under the field it names and writes nothing when refused.
#include <imgui.h>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

const client::SupervisionSection* OpenSection(const client::CaseFileView& file) {
  for (const auto& s : file.sections) {
    if (s.status == client::SectionStatus::kOpen) return &s;
  }
  return nullptr;
}

}  // namespace

void App::DrawCloseCaseForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  CloseCaseForm& form = case_state_.close_forms[case_id];
  if (!form.open) return;
  const client::SupervisionSection* section = OpenSection(f);
  ImGui::Spacing();
  SectionHeading(Tr(S::kCloseCaseTitle), fonts_.bold);
  MutedText(Tr(S::kCloseCaseIntro));
  bool submit = false;  // Enter in the date saves, Escape cancels
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("close_case_form", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(ColumnLabel("closed_on").c_str());
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput("##closed_on", &form.closed_on, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "closed_on");
    if (section != nullptr) {
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kClosureReason));
      EnumCombo("##closure_outcome", &form.outcome);
      FieldErrorLine(form.error, "outcome");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kEmploymentAtClosure));
      EnumCombo("##employment_at_closure", &form.employment);
      FieldErrorLine(form.error, "employment_at_closure");
    } else {
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kClosureReason));
      ImGui::TextWrapped("%s", Tr(S::kNoReasonWithoutSection));
    }
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "section_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSaveCloseCase, "close_case_save").c_str());
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::CloseCase close{case_id, form.closed_on};
    // The case refuses to close over an open section, so the section closes first, with the
    // same date; a refusal of either shows under its field. Both parse the date alike, so a
    // bad date stops the first step and nothing is written.
    auto close_case = [this, case_id, close]() {
      Execute(close, [this, case_id](const Result<std::string>& r) {
        CloseCaseForm& done = case_state_.close_forms[case_id];
        done.saving = false;
        if (!r.ok()) {
          done.error = ToFieldError(r.error());
          return;
        }
        done = CloseCaseForm{};
      });
    };
    if (section != nullptr) {
      client::CloseSupervisionSection cs;
      cs.section_id = section->id;
      cs.closed_on = form.closed_on;
      cs.outcome = form.outcome;
      cs.employment_at_closure = form.employment;
      Execute(cs, [this, case_id, close_case](const Result<std::string>& r) {
        if (!r.ok()) {
          CloseCaseForm& done = case_state_.close_forms[case_id];
          done.saving = false;
          done.error = ToFieldError(r.error());
          return;
        }
        close_case();
      });
    } else {
      close_case();
    }
  }
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "close_case_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = CloseCaseForm{};
    return;
  }
  ImGui::Separator();
}

}  // namespace lietvedis::ui
