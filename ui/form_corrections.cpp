// Corrections of signed records (CorrectRecord): a signed record never changes; a correction
// of one of its fields is appended with its reason, and the file shows the original beside the
// correction. The tab that lists signed records passes them here with the fields an officer
// may correct and their recorded values; the form runs the Workspace command the CLI runs
// (`correct`), shows its kValidation message under the field it names and writes nothing when
// refused.
#include <imgui.h>

#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr ImGuiTableFlags kListFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
    ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;

const CorrectableRecord* FindRecord(const std::vector<CorrectableRecord>& records,
                                    const std::string& id) {
  for (const auto& r : records) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const CorrectableField* FindField(const CorrectableRecord& record, const std::string& field) {
  for (const auto& f : record.fields) {
    if (f.field == field) return &f;
  }
  return nullptr;
}

}  // namespace

void App::OpenCorrection(const std::string& case_id, const std::string& table,
                         const CorrectableRecord& record) {
  CorrectionForm& form = case_state_.correction_forms[case_id];
  form = CorrectionForm{};
  form.target_table = table;
  form.target_id = record.id;
  if (!record.fields.empty()) {
    form.field = record.fields.front().field;
    form.value = record.fields.front().original;
  }
}

void App::DrawCorrections(const CaseFileSnapshot& snap, const std::string& table,
                          const std::vector<CorrectableRecord>& records) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  CorrectionForm& form = case_state_.correction_forms[case_id];
  const CorrectableRecord* target =
      form.target_table == table ? FindRecord(records, form.target_id) : nullptr;
  if (form.target_table == table && target == nullptr) form = CorrectionForm{};
  if (target != nullptr) {
    SectionHeading((std::string(Tr(S::kCorrectRecord)) + " — " + target->label).c_str(),
                   fonts_.bold);
    MutedText(Tr(S::kCorrectionIntro));
    bool submit = false;
    ImGui::BeginDisabled(form.saving);
    const CorrectableField* field = FindField(*target, form.field);
    if (ImGui::BeginTable("correction_form", 4, ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch, 1.2f);
      ImGui::TableSetupColumn("original", ImGuiTableColumnFlags_WidthStretch, 1.2f);
      ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 1.6f);
      ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthStretch, 2.6f);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kField));
      ImGui::SetNextItemWidth(-1);
      if (BeginCombo("##correction_field", field != nullptr ? field->label.c_str() : "")) {
        for (const auto& c : target->fields) {
          ImGui::PushID(c.field.c_str());
          if (Selectable(c.label.c_str(), form.field == c.field)) {
            form.field = c.field;
            form.value = c.original;
          }
          ImGui::PopID();
        }
        EndCombo();
      }
      FieldErrorLine(form.error, "field");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kOriginal));
      TextOrDash(field != nullptr ? field->original : "");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kCorrectedValue));
      ImGui::SetNextItemWidth(-1);
      submit |= InputText("##correction_value", &form.value, ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "value");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kReason));
      ImGui::SetNextItemWidth(-1);
      submit |=
          InputText("##correction_reason", &form.reason, ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "reason");
      ImGui::EndTable();
    }
    FieldErrorLine(form.error, "target_id");
    FieldErrorLine(form.error, "target_table");
    FieldErrorLine(form.error, "");
    submit |= PrimaryButton(Id(S::kSaveCorrection, "correction_save").c_str());
    ImGui::SameLine();
    const bool cancel = Button(Id(S::kCancel, "correction_cancel").c_str()) || FormCancelPressed();
    ImGui::EndDisabled();
    if (cancel && !form.saving) {
      form = CorrectionForm{};
    } else if (submit && !form.saving) {
      form.saving = true;
      form.error.Clear();
      client::CorrectRecord cmd{form.target_table, form.target_id, form.field, form.value,
                                form.reason};
      Execute(cmd, [this, case_id](const Result<std::string>& r) {
        CorrectionForm& done = case_state_.correction_forms[case_id];
        done.saving = false;
        if (!r.ok()) {
          done.error = ToFieldError(r.error());
          return;
        }
        done = CorrectionForm{};
      });
    }
    ImGui::Spacing();
  }
  // The corrections of these records, oldest first: the original beside each correction.
  std::vector<const client::Correction*> shown;
  for (const auto& c : f.corrections) {
    if (c.target_table == table && FindRecord(records, c.target_id) != nullptr) shown.push_back(&c);
  }
  if (shown.empty()) return;
  SectionHeading(Tr(S::kCorrections), fonts_.bold);
  if (!ImGui::BeginTable("corrections", 6, kListFlags)) return;
  ImGui::TableSetupColumn(Tr(S::kRecord), 0, 1.4f);
  ImGui::TableSetupColumn(Tr(S::kField), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kOriginal), 0, 1.2f);
  ImGui::TableSetupColumn(Tr(S::kCorrectedValue), 0, 1.2f);
  ImGui::TableSetupColumn(Tr(S::kReason), 0, 2.2f);
  ImGui::TableSetupColumn(Tr(S::kCorrectedBy), 0, 1.4f);
  ImGui::TableHeadersRow();
  for (const client::Correction* c : shown) {
    const CorrectableRecord* record = FindRecord(records, c->target_id);
    const CorrectableField* field = FindField(*record, c->field);
    ImGui::PushID(c->id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", record->label.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", field != nullptr ? field->label.c_str() : c->field.c_str());
    ImGui::TableNextColumn();
    TextOrDash(field != nullptr ? field->original : "");
    ImGui::TableNextColumn();
    TextOrDash(c->value);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", c->reason.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s, %s", session_view_->UserName(c->author_id).c_str(),
                       FormatTimestamp(c->at).c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace lietvedis::ui
