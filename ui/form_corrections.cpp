// Corrections of signed records (CorrectRecord): a signed record never changes; a correction
// of one of its fields is appended with its reason, and the file shows the original beside the
// correction. The tab that lists signed records passes them here with the fields an officer
// may correct and their recorded values; the form runs the Workspace command the CLI runs
// (`correct`), shows its kValidation message under the field it names and writes nothing when
// refused. Signed MAPPA minutes (the MAPPA page) and signed-off mentoring sessions (the
// coordinator's card) take corrections the same way, in the scope that holds them: the unit's
// for minutes (its officers and supervisors write it), the mentoring scope for sessions (the
// unit's volunteer coordinators). Signed evaluation reports: ui/screen_evaluation.cpp.
#include <imgui.h>

#include <functional>
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

// Texts of the list wrap in their column (a corrected decision or note is a sentence or more).
void WrappedOrDash(const std::string& text) {
  if (text.empty()) {
    TextOrDash("");
  } else {
    ImGui::TextWrapped("%s", text.c_str());
  }
}

}  // namespace

void App::OpenCorrection(const std::string& form_key, const std::string& table,
                         const CorrectableRecord& record) {
  CorrectionForm& form = case_state_.correction_forms[form_key];
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
  DrawRecordCorrections(snap.file.case_record.id, snap.file.corrections, table, records);
}

void App::DrawRecordCorrections(const std::string& form_key,
                                const std::vector<client::Correction>& corrections,
                                const std::string& table,
                                const std::vector<CorrectableRecord>& records,
                                const std::function<void()>& after_save) {
  CorrectionForm& form = case_state_.correction_forms[form_key];
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
      Execute(cmd, [this, form_key, after_save](const Result<std::string>& r) {
        CorrectionForm& done = case_state_.correction_forms[form_key];
        done.saving = false;
        if (!r.ok()) {
          done.error = ToFieldError(r.error());
          return;
        }
        done = CorrectionForm{};
        if (after_save) after_save();
      });
    }
    ImGui::Spacing();
  }
  // The corrections of these records, oldest first: the original beside each correction.
  std::vector<const client::Correction*> shown;
  for (const auto& c : corrections) {
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
    WrappedOrDash(field != nullptr ? field->original : "");
    ImGui::TableNextColumn();
    WrappedOrDash(c->value);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", c->reason.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s, %s", session_view_->UserName(c->author_id).c_str(),
                       FormatTimestamp(c->at).c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// Signed minutes: the two decision texts are corrected; the participants, actions and
// disclosures keep their own rows (an action is done by CompleteMappaAction).
void App::DrawMappaCorrections(const client::MappaMeeting& meeting) {
  if (!meeting.IsSigned() || !mappa_) return;
  const std::string key = "mappa:" + meeting.id;
  CorrectableRecord record;
  record.id = meeting.id;
  record.label = TableLabel("mappa_meeting") + " " + FormatDate(meeting.held_on);
  record.fields = {{"risk_decisions", Tr(S::kRiskDecisions), meeting.risk_decisions},
                   {"victim_decisions", Tr(S::kVictimDecisions), meeting.victim_decisions}};
  const std::vector<CorrectableRecord> records{record};
  const auto found = mappa_->corrections.find(meeting.id);
  static const std::vector<client::Correction> kNone;
  const auto& corrections = found != mappa_->corrections.end() ? found->second : kNone;
  // The unit's officers and supervisors write its scope (client::CanWriteUnitMeetings).
  const client::Actor& actor = session_view_->actor;
  const bool can_write =
      (actor.role == client::Role::kOfficer || actor.role == client::Role::kSupervisor) &&
      actor.unit_id == meeting.unit_id;
  if (can_write && case_state_.correction_forms[key].target_id.empty()) {
    if (Button(Id(S::kCorrectMinutes, "mappa_correct").c_str()))
      OpenCorrection(key, "mappa_meeting", record);
  }
  DrawRecordCorrections(key, corrections, "mappa_meeting", records);
}

// Signed-off sessions: the day, the duration and the note are corrected. The coordinator's
// card offers the form (#correct_session_N, N the signed-off session's row); the case file's
// mentoring tab lists the corrections only.
void App::DrawMentoringCorrections(const client::MentoringView& m, bool can_write) {
  const std::string key = "mentoring:" + m.card.case_id;
  std::vector<CorrectableRecord> records;
  for (const auto& s : m.sessions) {
    if (s.signed_off_at.empty()) continue;
    CorrectableRecord r;
    r.id = s.id;
    r.label = std::string(Tr(S::kMentoringSessionRecord)) + " " + FormatDate(s.held_on);
    r.fields = {{"note", Tr(S::kNote), s.note},
                {"held_on", Tr(S::kDate), FormatDate(s.held_on)},
                {"duration_minutes", Tr(S::kDurationMin), std::to_string(s.duration_minutes)}};
    records.push_back(std::move(r));
  }
  if (records.empty()) return;
  if (can_write) {
    SectionHeading(Tr(S::kSessionCorrections), fonts_.bold);
    const bool correcting = !case_state_.correction_forms[key].target_id.empty();
    ImGui::BeginDisabled(correcting);
    for (std::size_t i = 0; i < records.size(); ++i) {
      ImGui::PushID(records[i].id.c_str());
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(records[i].label.c_str());
      ImGui::SameLine();
      const std::string id = "correct_session_" + std::to_string(i);
      if (SmallButton(Id(S::kCorrect, id.c_str()).c_str()))
        OpenCorrection(key, "mentoring_session", records[i]);
      ImGui::PopID();
    }
    ImGui::EndDisabled();
  }
  const std::string case_id = m.card.case_id;
  DrawRecordCorrections(key, m.corrections, "mentoring_session", records,
                        [this, case_id]() { RefreshMentoring(case_id); });
}

}  // namespace lietvedis::ui
