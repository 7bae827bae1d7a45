// MAPPA minutes on the inter-agency meetings page: recording a meeting (RecordMappaMeeting:
// date, mode, the cases it discusses, participants by institution, decisions, actions with
// their owner and due date, disclosures with recipient and legal basis), amending unsigned
// minutes (AmendMappaMeeting: rows are added, a changed decision text replaces the recorded
// one) and signing them (SignMappaMinutes, after a second click). The forms run the Workspace
// commands the CLI runs (`mappa record|amend|sign`); a refusal shows the core's kValidation
// message beside the field or row it names ("actions[1].due_on") and writes nothing, since the
// core checks every row before its first write. Only roles that may write the unit's meetings
// (client::CanWriteUnitMeetings: officers and supervisors of the unit) see the buttons.
#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

#include "client/permissions.hpp"
#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {
namespace {

// "participants[2].name": the field the core names for one row of a list.
std::string RowField(const char* list, std::size_t i, const char* field) {
  return std::string(list) + "[" + std::to_string(i) + "]." + field;
}

std::string RowId(const char* prefix, std::size_t i) {
  return std::string(prefix) + std::to_string(i);
}

// A single-line input that submits the form on Enter.
bool FormInput(const std::string& id, std::string* value, const char* hint = nullptr) {
  ImGui::SetNextItemWidth(-1);
  const std::string label = "##" + id;
  if (hint != nullptr) {
    return InputTextWithHint(label.c_str(), hint, value, ImGuiInputTextFlags_EnterReturnsTrue);
  }
  return InputText(label.c_str(), value, ImGuiInputTextFlags_EnterReturnsTrue);
}

// A date input (typed or picked in its calendar) that submits the form on Enter.
bool FormDate(const std::string& id, std::string* value) {
  ImGui::SetNextItemWidth(-1);
  return DateInput(("##" + id).c_str(), value);
}

// Removes row `*remove` of `rows` when its button was pressed this frame (after the rows are
// drawn). A shown error names a row by its index, which no longer holds: it is cleared.
template <class Row>
void EraseRow(std::vector<Row>* rows, std::size_t* remove, FieldError* error) {
  if (*remove < rows->size()) {
    rows->erase(rows->begin() + static_cast<std::ptrdiff_t>(*remove));
    error->Clear();
  }
  *remove = static_cast<std::size_t>(-1);
}

}  // namespace

void App::LoadMappaCaseChoices() {
  Post("mappa-cases", [this](Session& s) -> TaskQueue::Completion {
    client::Workspace* ws = s.workspace();
    if (ws == nullptr) return {};
    auto rows = ws->Caseload({});
    if (!rows.ok()) {
      Error e = rows.error();
      return [this, e]() { ShowError(e); };
    }
    std::vector<MappaCaseChoice> choices;
    choices.reserve(rows->size());
    for (const auto& r : *rows) {
      MappaCaseChoice c;
      c.case_id = r.case_id;
      c.label = r.surname + " " + r.name + ", " + r.personal_code;
      c.folded = client::FoldForSearch(c.label);
      choices.push_back(std::move(c));
    }
    return [this, choices = std::move(choices)]() mutable {
      mappa_state_.case_choices = std::move(choices);
      mappa_state_.case_choices_loaded = true;
    };
  });
}

void App::DrawMappaRecordButton() {
  if (!session_view_ ||
      !client::CanWriteUnitMeetings(session_view_->actor, session_view_->actor.unit_id)) {
    return;
  }
  MappaMeetingForm& form = mappa_state_.form;
  ImGui::BeginDisabled(form.kind != MappaMeetingForm::Kind::kNone);
  if (PrimaryButton(Id(S::kRecordMeeting, "mappa_record").c_str())) {
    form = MappaMeetingForm{};
    form.kind = MappaMeetingForm::Kind::kRecord;
    form.held_on = FormatDate(session_view_->today);
    mappa_state_.sign = MappaSignForm{};
    mappa_state_.case_choices_loaded = false;
    LoadMappaCaseChoices();
  }
  ImGui::EndDisabled();
}

void App::DrawMappaDraftActions(const client::MappaMeeting& meeting) {
  if (meeting.IsSigned() || !session_view_ ||
      !client::CanWriteUnitMeetings(session_view_->actor, meeting.unit_id)) {
    return;
  }
  MappaMeetingForm& form = mappa_state_.form;
  MappaSignForm& sign = mappa_state_.sign;
  if (sign.meeting_id != meeting.id) {
    if (Button(Id(S::kAmendMeeting, "mappa_amend").c_str())) {
      form = MappaMeetingForm{};
      form.kind = MappaMeetingForm::Kind::kAmend;
      form.meeting_id = meeting.id;
      form.risk_decisions = form.recorded_risk = meeting.risk_decisions;
      form.victim_decisions = form.recorded_victim = meeting.victim_decisions;
    }
    ImGui::SameLine();
    if (Button(Id(S::kSignMinutes, "mappa_sign").c_str())) {
      sign = MappaSignForm{};
      sign.meeting_id = meeting.id;
    }
    return;
  }
  ImGui::BeginDisabled(sign.saving);
  ImGui::TextWrapped("%s", Tr(S::kSignMinutesNote));
  FieldErrorLine(sign.error, "");
  FieldErrorLine(sign.error, "meeting_id");
  const bool confirm = PrimaryButton(Id(S::kSignMinutesConfirm, "mappa_sign_confirm").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "mappa_sign_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !sign.saving) {
    sign = MappaSignForm{};
    return;
  }
  if (confirm && !sign.saving) {
    sign.saving = true;
    sign.error.Clear();
    Execute(client::SignMappaMinutes{meeting.id}, [this](const Result<std::string>& r) {
      MappaSignForm& done = mappa_state_.sign;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = MappaSignForm{};
    });
  }
}

void App::DrawMappaMeetingForm() {
  MappaMeetingForm& form = mappa_state_.form;
  const bool record = form.kind == MappaMeetingForm::Kind::kRecord;
  const client::MappaMeeting* amended = nullptr;
  if (!record && mappa_) {
    for (const auto& m : mappa_->meetings) {
      if (m.id == form.meeting_id) amended = &m;
    }
  }
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(record ? S::kRecordMeeting : S::kAmendMeeting));
  ImGui::PopFont();
  bool submit = false;
  ImGui::BeginDisabled(form.saving);

  if (record) {
    if (ImGui::BeginTable("mappa_meeting_head", 2, ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("held_on", ImGuiTableColumnFlags_WidthFixed, Em(10));
      ImGui::TableSetupColumn("mode", ImGuiTableColumnFlags_WidthFixed, Em(12));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kMeetingDate));
      submit |= FormDate("mappa_held_on", &form.held_on);
      FieldErrorLine(form.error, "held_on");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kMode));
      EnumCombo("##mappa_mode", &form.mode);
      ImGui::EndTable();
    }
    // The cases discussed: chosen from the actor's open cases by name or personal code.
    SectionHeading(Tr(S::kMeetingCases), fonts_.bold);
    FieldErrorLine(form.error, "case_ids");
    if (form.case_ids.empty()) MutedText(Tr(S::kMeetingNoCases));
    std::size_t remove_case = static_cast<std::size_t>(-1);
    for (std::size_t i = 0; i < form.case_ids.size(); ++i) {
      std::string label = form.case_ids[i];
      for (const auto& c : mappa_state_.case_choices) {
        if (c.case_id == form.case_ids[i]) label = c.label;
      }
      ImGui::PushID(form.case_ids[i].c_str());
      ImGui::Bullet();
      ImGui::TextUnformatted(label.c_str());
      ImGui::SameLine();
      if (SmallButton(Id(S::kRemove, RowId("mappa_case_remove_", i).c_str()).c_str()))
        remove_case = i;
      ImGui::PopID();
    }
    if (remove_case < form.case_ids.size())
      form.case_ids.erase(form.case_ids.begin() + static_cast<std::ptrdiff_t>(remove_case));
    ImGui::SetNextItemWidth(Em(24));
    InputTextWithHint("##mappa_case_search", Tr(S::kMeetingCaseSearch), &form.case_search);
    if (!form.case_search.empty()) {
      if (!mappa_state_.case_choices_loaded) {
        Spinner(0.5f);
      } else {
        const std::string needle = client::FoldForSearch(form.case_search);
        int shown = 0;
        for (const auto& c : mappa_state_.case_choices) {
          if (c.folded.find(needle) == std::string::npos) continue;
          bool chosen = false;
          for (const auto& id : form.case_ids) chosen |= id == c.case_id;
          if (chosen) continue;
          ImGui::PushID(c.case_id.c_str());
          const std::string item = c.label + "###" + RowId("mappa_case_pick_", shown);
          if (Selectable(item.c_str(), false)) {
            form.case_ids.push_back(c.case_id);
            form.case_search.clear();
          }
          ImGui::PopID();
          if (++shown == 6) break;
        }
        if (shown == 0) MutedText(Tr(S::kMeetingNoMatch));
      }
    }
  } else {
    if (amended != nullptr) {
      ImGui::Text("%s — %s", FormatDate(amended->held_on).c_str(), Tr(amended->mode));
    }
    MutedText(Tr(S::kAmendIntro));
  }

  SectionHeading(Tr(S::kRiskDecisions), fonts_.bold);
  InputTextMultiline("##mappa_risk", &form.risk_decisions, ImVec2(-1, Em(3.5f)));
  FieldErrorLine(form.error, "risk_decisions");
  SectionHeading(Tr(S::kVictimDecisions), fonts_.bold);
  InputTextMultiline("##mappa_victim", &form.victim_decisions, ImVec2(-1, Em(3.5f)));
  FieldErrorLine(form.error, "victim_decisions");

  // Participants: institution and the person (name, surname, role).
  SectionHeading(Tr(S::kParticipants), fonts_.bold);
  if (amended != nullptr) {
    for (const auto& p : amended->participants) {
      ImGui::PushID(p.id.c_str());
      ImGui::BulletText("%s — %s", Tr(p.institution), p.name.c_str());
      ImGui::PopID();
    }
  }
  FieldErrorLine(form.error, "participants");
  std::size_t remove = static_cast<std::size_t>(-1);
  if (!form.participants.empty() &&
      ImGui::BeginTable("mappa_participants", 3, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("institution", ImGuiTableColumnFlags_WidthFixed, Em(15));
    ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("remove", ImGuiTableColumnFlags_WidthFixed, Em(5));
    for (std::size_t i = 0; i < form.participants.size(); ++i) {
      MappaParticipantRow& row = form.participants[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kMeetingInstitution));
      EnumCombo(("##" + RowId("mappa_participant_institution_", i)).c_str(), &row.institution);
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kParticipantNameRole));
      submit |= FormInput(RowId("mappa_participant_name_", i), &row.name);
      FieldErrorLine(form.error, RowField("participants", i, "name"));
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(" ");
      if (SmallButton(Id(S::kRemove, RowId("mappa_participant_remove_", i).c_str()).c_str()))
        remove = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  EraseRow(&form.participants, &remove, &form.error);
  if (SmallButton(Id(S::kAddParticipant, "mappa_add_participant").c_str()))
    form.participants.push_back({});

  // Actions: what, the owner institution, the due date.
  SectionHeading(Tr(S::kActions), fonts_.bold);
  if (amended != nullptr) {
    for (const auto& a : amended->actions) {
      ImGui::PushID(a.id.c_str());
      ImGui::BulletText("%s — %s, %s %s", a.description.c_str(), Tr(a.owner), Tr(S::kDeadline),
                        FormatDate(a.due_on).c_str());
      ImGui::PopID();
    }
  }
  if (!form.actions.empty() &&
      ImGui::BeginTable("mappa_actions", 4, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("description", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("owner", ImGuiTableColumnFlags_WidthFixed, Em(15));
    ImGui::TableSetupColumn("due_on", ImGuiTableColumnFlags_WidthFixed, Em(9));
    ImGui::TableSetupColumn("remove", ImGuiTableColumnFlags_WidthFixed, Em(5));
    for (std::size_t i = 0; i < form.actions.size(); ++i) {
      MappaActionRow& row = form.actions[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kDescription));
      submit |= FormInput(RowId("mappa_action_description_", i), &row.description);
      FieldErrorLine(form.error, RowField("actions", i, "description"));
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kActionOwner));
      EnumCombo(("##" + RowId("mappa_action_owner_", i)).c_str(), &row.owner);
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kDueOn));
      submit |= FormDate(RowId("mappa_action_due_", i), &row.due_on);
      FieldErrorLine(form.error, RowField("actions", i, "due_on"));
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(" ");
      if (SmallButton(Id(S::kRemove, RowId("mappa_action_remove_", i).c_str()).c_str())) remove = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  EraseRow(&form.actions, &remove, &form.error);
  if (SmallButton(Id(S::kAddAction, "mappa_add_action").c_str())) form.actions.push_back({});

  // Disclosures: what, to whom, the recipient institution (the key of its agency pack) and
  // the legal basis.
  SectionHeading(Tr(S::kDisclosures), fonts_.bold);
  if (amended != nullptr) {
    for (const auto& x : amended->disclosures) {
      ImGui::PushID(x.id.c_str());
      ImGui::Bullet();
      ImGui::TextWrapped("%s → %s (%s)", x.what.c_str(), x.to_whom.c_str(), x.legal_basis.c_str());
      ImGui::PopID();
    }
  }
  if (!form.disclosures.empty() &&
      ImGui::BeginTable("mappa_disclosures", 5, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("recipient", ImGuiTableColumnFlags_WidthFixed, Em(13));
    ImGui::TableSetupColumn("to_whom", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("legal_basis", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("remove", ImGuiTableColumnFlags_WidthFixed, Em(5));
    for (std::size_t i = 0; i < form.disclosures.size(); ++i) {
      MappaDisclosureRow& row = form.disclosures[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kDisclosureWhat));
      submit |= FormInput(RowId("mappa_disclosure_what_", i), &row.what);
      FieldErrorLine(form.error, RowField("disclosures", i, "what"));
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kMeetingInstitution));
      EnumCombo(("##" + RowId("mappa_disclosure_recipient_", i)).c_str(), &row.recipient);
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kDisclosureToWhom));
      submit |= FormInput(RowId("mappa_disclosure_to_", i), &row.to_whom);
      FieldErrorLine(form.error, RowField("disclosures", i, "to_whom"));
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(Tr(S::kLegalBasis));
      submit |= FormInput(RowId("mappa_disclosure_basis_", i), &row.legal_basis);
      FieldErrorLine(form.error, RowField("disclosures", i, "legal_basis"));
      ImGui::TableNextColumn();
      if (i == 0) FieldLabel(" ");
      if (SmallButton(Id(S::kRemove, RowId("mappa_disclosure_remove_", i).c_str()).c_str()))
        remove = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  EraseRow(&form.disclosures, &remove, &form.error);
  if (SmallButton(Id(S::kAddDisclosure, "mappa_add_disclosure").c_str()))
    form.disclosures.push_back({});

  ImGui::Spacing();
  FieldErrorLine(form.error, "meeting_id");
  FieldErrorLine(form.error, "");
  submit |=
      PrimaryButton(Id(record ? S::kSaveMeeting : S::kSaveAmendment, "mappa_meeting_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "mappa_meeting_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = MappaMeetingForm{};
    return;
  }
  if (!submit || form.saving) return;

  std::vector<client::MappaParticipantInput> participants;
  for (const auto& p : form.participants) participants.push_back({p.institution, p.name});
  std::vector<client::MappaActionInput> actions;
  for (const auto& a : form.actions) actions.push_back({a.description, a.owner, a.due_on});
  std::vector<client::MappaDisclosureInput> disclosures;
  for (const auto& d : form.disclosures)
    disclosures.push_back({d.what, d.to_whom, d.legal_basis, d.recipient});
  client::Command cmd;
  if (record) {
    client::RecordMappaMeeting c;
    c.held_on = form.held_on;
    c.mode = form.mode;
    c.case_ids = form.case_ids;
    c.participants = std::move(participants);
    c.risk_decisions = form.risk_decisions;
    c.victim_decisions = form.victim_decisions;
    c.actions = std::move(actions);
    c.disclosures = std::move(disclosures);
    cmd = std::move(c);
  } else {
    client::AmendMappaMeeting c;
    c.meeting_id = form.meeting_id;
    // Only a changed text replaces the recorded one (an empty text keeps it).
    if (form.risk_decisions != form.recorded_risk) c.risk_decisions = form.risk_decisions;
    if (form.victim_decisions != form.recorded_victim) c.victim_decisions = form.victim_decisions;
    c.add_participants = std::move(participants);
    c.add_actions = std::move(actions);
    c.add_disclosures = std::move(disclosures);
    cmd = std::move(c);
  }
  form.saving = true;
  form.error.Clear();
  Execute(std::move(cmd), [this](const Result<std::string>& r) {
    MappaMeetingForm& done = mappa_state_.form;
    done.saving = false;
    if (!r.ok()) {
      done.error = ToFieldError(r.error());
      return;
    }
    mappa_state_.selected = r.value();
    done = MappaMeetingForm{};
  });
}

}  // namespace lietvedis::ui
