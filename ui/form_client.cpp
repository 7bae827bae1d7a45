// The client on the Overview tab of the case file: the client's details and tags, edited in
// place (UpdateClientDetails), the family members and support persons, added
// (AddRelatedPerson) and removed (VoidRelatedPerson: the row stays, voided, in the history),
// and another case for the same client (OpenCase, the case kind chosen by its Latvian label),
// opened in its own tab once saved. Each form runs the Workspace command the CLI runs
// (`client update|related add|related void|open-case`), shows its kValidation message under
// the field it names and writes nothing when refused. Enter in a field saves, Escape cancels.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

bool BeginKeyValue(const char* id) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp)) return false;
  ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, Em(11));
  ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
  return true;
}

// The error when it names none of the fields the form draws (a refusal of the case itself,
// a field the form does not show, or none at all).
void OtherFieldError(const FieldError& error, std::initializer_list<std::string_view> shown) {
  if (error.message.empty()) return;
  for (std::string_view f : shown) {
    if (error.field == f) return;
  }
  FieldError any = error;
  if (!any.field.empty()) any.message = ColumnLabel(any.field) + ": " + any.message;
  any.field.clear();
  FieldErrorLine(any, "");
}

// A section heading with a small action button on its line (so the action costs no line of
// its own); `action` empty: the heading alone. Returns whether the button was clicked.
bool HeadingWithAction(const char* text, ImFont* bold, const std::string& action) {
  ImGui::Spacing();
  if (bold != nullptr) ImGui::PushFont(bold);
  ImGui::TextUnformatted(text);
  if (bold != nullptr) ImGui::PopFont();
  bool clicked = false;
  if (!action.empty()) {
    ImGui::SameLine(0, Em(1));
    clicked = SmallButton(action.c_str());
  }
  ImGui::Separator();
  return clicked;
}

bool CanWriteFile(const SessionView& session, const client::CaseFileView& f) {
  return session.actor.user_id == f.case_record.responsible_officer_id &&
         f.case_record.status == client::CaseStatus::kOpen;
}

}  // namespace

void App::DrawClientDetails(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  ClientDetailsForm& form = case_state_.client_forms[case_id].details;
  const bool can_write = CanWriteFile(*session_view_, f);
  const bool edit = HeadingWithAction(
      Tr(S::kClientDetails), fonts_.bold,
      can_write && !form.open ? Id(S::kEditClientDetails, "edit_client") : std::string());
  if (edit) {
    form = ClientDetailsForm{};
    form.open = true;
    form.name = f.client.name;
    form.surname = f.client.surname;
    form.phone = f.client.phone;
    form.email = f.client.email;
    form.address = f.client.address;
    form.municipality = f.client.municipality;
    form.tags = f.client.tags;
  }
  if (!form.open || !can_write) {
    if (BeginKeyValue("client_kv")) {
      KeyValueRow(Tr(S::kName), f.client.name);
      KeyValueRow(Tr(S::kSurname), f.client.surname);
      KeyValueRow(Tr(S::kPersonalCode), f.client.personal_code);
      KeyValueRow(Tr(S::kBirthDate), FormatDate(f.client.birth_date));
      KeyValueRow(Tr(S::kPhone), f.client.phone);
      KeyValueRow(Tr(S::kEmail), f.client.email);
      KeyValueRow(Tr(S::kAddress), f.client.address);
      KeyValueRow(Tr(S::kMunicipality), f.client.municipality);
      std::string tags;
      for (const auto t : f.client.tags) tags += (tags.empty() ? "" : ", ") + std::string(Tr(t));
      KeyValueRow(Tr(S::kTags), tags);
      ImGui::EndTable();
    }
    return;
  }
  // The personal code and the birth date are not details: they identify the person.
  ImGui::AlignTextToFramePadding();
  MutedText((std::string(Tr(S::kPersonalCode)) + ": " + f.client.personal_code).c_str());
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("client_details_form", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    submit |= TableField(Tr(S::kName), "##client_name", &form.name, form.error, "name");
    submit |= TableField(Tr(S::kSurname), "##client_surname", &form.surname, form.error, "surname");
    submit |= TableField(Tr(S::kPhone), "##client_phone", &form.phone, form.error, "phone");
    submit |= TableField(Tr(S::kEmail), "##client_email", &form.email, form.error, "email");
    submit |= TableField(Tr(S::kAddress), "##client_address", &form.address, form.error, "address");
    submit |= TableField(Tr(S::kMunicipality), "##client_municipality", &form.municipality,
                         form.error, "municipality");
    ImGui::EndTable();
  }
  FieldLabel(Tr(S::kTags));
  // The tags as checkboxes, wrapped to the column's width.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first = true;
  for (const auto& [tag, code] : client::EnumCodes<client::ClientTag>::kTable) {
    const auto at = std::find(form.tags.begin(), form.tags.end(), tag);
    bool on = at != form.tags.end();
    const std::string label = std::string(Tr(tag)) + "###client_tag_" + std::string(code);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float w =
        ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(Tr(tag)).x;
    if (!first && ImGui::GetItemRectMax().x + style.ItemSpacing.x + w <= right) ImGui::SameLine();
    first = false;
    if (Checkbox(label.c_str(), &on)) {
      if (on) {
        form.tags.push_back(tag);
      } else {
        form.tags.erase(at);
      }
    }
  }
  FieldErrorLine(form.error, "tags");
  OtherFieldError(form.error,
                  {"name", "surname", "phone", "email", "address", "municipality", "tags"});
  MutedText(Tr(S::kClientDetailsNote));
  submit |= PrimaryButton(Id(S::kSave, "client_details_save").c_str());
  ImGui::SameLine();
  const bool cancel =
      Button(Id(S::kCancel, "client_details_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = ClientDetailsForm{};
  } else if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    // Tags in the order of the code list, so the stored value does not depend on clicks.
    std::vector<client::ClientTag> tags;
    for (const auto& entry : client::EnumCodes<client::ClientTag>::kTable) {
      const client::ClientTag tag = entry.first;
      if (std::find(form.tags.begin(), form.tags.end(), tag) != form.tags.end())
        tags.push_back(tag);
    }
    client::UpdateClientDetails cmd{case_id,    form.name,    form.surname,      form.phone,
                                    form.email, form.address, form.municipality, tags};
    Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
      ClientDetailsForm& done = case_state_.client_forms[case_id].details;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = ClientDetailsForm{};
    });
  }
}

void App::DrawRelatedPersons(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  RelatedPersonForm& form = case_state_.client_forms[case_id].related;
  const bool can_write = CanWriteFile(*session_view_, f);
  if (!form.void_id.empty() && !form.saving) {  // the person asked about is gone meanwhile
    bool present = false;
    for (const auto& p : f.related_persons) present |= p.id == form.void_id;
    if (!present) form = RelatedPersonForm{};
  }
  const bool offer_add = can_write && !form.open && form.void_id.empty();
  if (HeadingWithAction(
          Tr(S::kRelatedPersons), fonts_.bold,
          offer_add ? Id(S::kAddRelatedPerson, "add_related_person") : std::string())) {
    form = RelatedPersonForm{};
    form.open = true;
  }
  if (f.related_persons.empty()) MutedText(Tr(S::kNone));
  const client::RelatedPerson* to_void = nullptr;
  int row = 0;
  for (const auto& p : f.related_persons) {
    ImGui::PushID(p.id.c_str());
    const std::string n = std::to_string(row++);
    std::string line = p.name + (p.surname.empty() ? "" : " " + p.surname) + " — " + Tr(p.relation);
    if (!p.kind.empty()) line += ", " + p.kind;
    if (!p.phone.empty()) line += ", " + p.phone;
    ImGui::Bullet();
    ImGui::TextWrapped("%s", line.c_str());
    if (!p.note.empty()) {
      ImGui::Indent();
      MutedText(p.note.c_str());
      ImGui::Unindent();
    }
    if (can_write) {
      ImGui::SameLine();
      ImGui::BeginDisabled(!form.void_id.empty() || form.open);
      if (SmallButton(Id(S::kRemove, ("void_related_" + n).c_str()).c_str())) {
        form = RelatedPersonForm{};
        form.void_id = p.id;
      }
      ImGui::EndDisabled();
    }
    if (p.id == form.void_id) to_void = &p;
    ImGui::PopID();
  }
  if (!can_write) return;
  if (to_void != nullptr) {
    // Removal asks once: the person leaves the case file's view, the row stays in its history.
    char buf[512];
    const std::string who =
        to_void->name + (to_void->surname.empty() ? "" : " " + to_void->surname);
    std::snprintf(buf, sizeof buf, Tr(S::kRemoveRelatedConfirm), who.c_str());
    ImGui::TextWrapped("%s", buf);
    FieldErrorLine(form.error, "");
    OtherFieldError(form.error, {""});
    ImGui::BeginDisabled(form.saving);
    const bool confirm = PrimaryButton(Id(S::kRemove, "void_related_confirm").c_str());
    ImGui::SameLine();
    const bool cancel =
        Button(Id(S::kCancel, "void_related_cancel").c_str()) || FormCancelPressed();
    ImGui::EndDisabled();
    if (cancel && !form.saving) {
      form = RelatedPersonForm{};
    } else if (confirm && !form.saving) {
      form.saving = true;
      form.error.Clear();
      Execute(client::VoidRelatedPerson{form.void_id},
              [this, case_id](const Result<std::string>& r) {
                RelatedPersonForm& done = case_state_.client_forms[case_id].related;
                done.saving = false;
                if (!r.ok()) {
                  done.error = ToFieldError(r.error());
                  return;
                }
                done = RelatedPersonForm{};
              });
    }
    return;
  }
  if (!form.open) return;
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("related_person_form", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kRelation));
    EnumCombo("##related_relation", &form.relation);
    FieldErrorLine(form.error, "relation");
    submit |= TableField(Tr(S::kRelatedKind), "##related_kind", &form.kind, form.error, "kind");
    submit |= TableField(Tr(S::kPhone), "##related_phone", &form.phone, form.error, "phone");
    submit |= TableField(Tr(S::kName), "##related_name", &form.name, form.error, "name");
    submit |=
        TableField(Tr(S::kSurname), "##related_surname", &form.surname, form.error, "surname");
    submit |= TableField(Tr(S::kNote), "##related_note", &form.note, form.error, "note");
    ImGui::EndTable();
  }
  OtherFieldError(form.error, {"relation", "kind", "phone", "name", "surname", "note"});
  submit |= PrimaryButton(Id(S::kSave, "related_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "related_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = RelatedPersonForm{};
  } else if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::AddRelatedPerson cmd{case_id,      form.relation, form.kind, form.name,
                                 form.surname, form.phone,    form.note};
    Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
      RelatedPersonForm& done = case_state_.client_forms[case_id].related;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = RelatedPersonForm{};
    });
  }
}

void App::DrawOpenAnotherCase(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  OpenCaseForm& form = case_state_.client_forms[case_id].open_case;
  // Any officer who reads the client's file may open a case in their own unit (the core
  // decides; a refusal shows in the form). A closed case is where a returning client is found.
  if (session_view_->actor.role != client::Role::kOfficer) return;
  if (!form.open) {
    if (Button(Id(S::kOpenAnotherCase, "open_another_case").c_str())) {
      form = OpenCaseForm{};
      form.open = true;
      form.kind = f.case_record.kind;
      form.opened_on = FormatDate(session_view_->today);
    }
    return;
  }
  SectionHeading(Tr(S::kOpenAnotherCaseTitle), fonts_.bold);
  MutedText(Tr(S::kOpenAnotherCaseNote));
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("another_case_form", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kCaseKind));
    EnumCombo("##another_case_kind", &form.kind);
    FieldErrorLine(form.error, "kind");
    submit |= TableField(Tr(S::kOpenedOn), "##another_case_opened_on", &form.opened_on, form.error,
                         "opened_on", FieldKind::kDate);
    ImGui::EndTable();
  }
  OtherFieldError(form.error, {"kind", "opened_on"});
  submit |= PrimaryButton(Id(S::kOpenCaseFile, "another_case_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "another_case_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = OpenCaseForm{};
  } else if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::OpenCase cmd{f.client.id, form.kind, form.opened_on, {}};
    Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
      OpenCaseForm& done = case_state_.client_forms[case_id].open_case;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = OpenCaseForm{};
      OpenCase(r.value());
    });
  }
}

}  // namespace lietvedis::ui
