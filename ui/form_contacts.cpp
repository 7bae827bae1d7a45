// Contacts tab of the case file: record a contact, record what happened to a planned one
// (held, missed or cancelled, with outcome and note), and the decision every missed contact
// takes (warning or justified absence) — the escalation ladder of client/workflows_casework.cpp.
// Each form runs the Workspace command the CLI runs (`contact outcome`, `contact decide`),
// shows its kValidation message under the field it names and writes nothing when refused; the
// list is read back from the case file snapshot the command's completion refreshes.
#include <imgui.h>

#include <map>
#include <set>
#include <utility>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr ImGuiTableFlags kListFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
    ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;

const client::Contact* FindContact(const client::CaseFileView& f, const std::string& id) {
  for (const auto& c : f.contacts) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

}  // namespace

void App::DrawContactOutcomeForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  ContactOutcomeForm& form = case_state_.outcome_forms[case_id];
  if (form.contact_id.empty()) return;
  const client::Contact* contact = FindContact(f, form.contact_id);
  if (contact == nullptr || contact->status != client::ContactStatus::kPlanned) {
    form = ContactOutcomeForm{};  // recorded meanwhile (another device, a sync)
    return;
  }
  SectionHeading((std::string(Tr(S::kContactOutcomeTitle)) + " — " +
                  FormatTimestamp(contact->planned_at) + ", " + Tr(contact->mode))
                     .c_str(),
                 fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("outcome_form", 4, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kStatus));
    ImGui::SetNextItemWidth(-1);
    // A planned contact becomes held, missed or cancelled; "planned" is not an outcome.
    if (BeginCombo("##outcome_status", Tr(form.status))) {
      for (const auto s : {client::ContactStatus::kHeld, client::ContactStatus::kMissed,
                           client::ContactStatus::kCancelled}) {
        ImGui::PushID(static_cast<int>(s));
        if (Selectable(Tr(s), form.status == s)) form.status = s;
        ImGui::PopID();
      }
      EndCombo();
    }
    FieldErrorLine(form.error, "status");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kHeldOn));
    ImGui::SetNextItemWidth(-1);
    if (form.status == client::ContactStatus::kHeld) {
      submit |= DateInput("##outcome_held_on", &form.held_on, ImGuiInputTextFlags_EnterReturnsTrue);
    } else {
      TextOrDash("");
    }
    FieldErrorLine(form.error, "held_on");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kOutcome));
    ImGui::SetNextItemWidth(-1);
    submit |= InputText("##outcome_text", &form.outcome, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "outcome");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kNote));
    ImGui::SetNextItemWidth(-1);
    submit |= InputText("##outcome_note", &form.note, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "note");
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "contact_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "outcome_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "outcome_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = ContactOutcomeForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::RecordContactOutcome cmd;
    cmd.contact_id = form.contact_id;
    cmd.status = form.status;
    cmd.held_on = form.status == client::ContactStatus::kHeld ? form.held_on : std::string();
    cmd.outcome = form.outcome;
    cmd.note = form.note;
    const std::string today = FormatDate(session_view_->today);
    Execute(cmd, [this, case_id, today](const Result<std::string>& r) {
      ContactOutcomeForm& done = case_state_.outcome_forms[case_id];
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      // A missed contact goes straight on to the decision it takes.
      if (done.status == client::ContactStatus::kMissed) {
        MissedDecisionForm& next = case_state_.decision_forms[case_id];
        next = MissedDecisionForm{};
        next.contact_id = *r;
        next.decided_on = today;
      }
      done = ContactOutcomeForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawMissedDecisions(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  if (f.missed_awaiting_decision.empty()) return;
  const std::string case_id = f.case_record.id;
  MissedDecisionForm& form = case_state_.decision_forms[case_id];
  SectionHeading(Tr(S::kMissedAwaiting), fonts_.bold);
  MutedText(Tr(S::kMissedAwaitingIntro));
  int index = 0;
  for (const auto& contact_id : f.missed_awaiting_decision) {
    const client::Contact* c = FindContact(f, contact_id);
    ImGui::PushID(contact_id.c_str());
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
    ImGui::Bullet();
    ImGui::SameLine();
    ImGui::TextUnformatted(
        (c != nullptr ? FormatTimestamp(c->planned_at) + " — " + Tr(c->status) : contact_id)
            .c_str());
    ImGui::PopStyleColor();
    const bool open_here = form.contact_id == contact_id;
    if (!open_here) {
      ImGui::SameLine();
      if (SmallButton(
              (std::string(Tr(S::kDecideEllipsis)) + "###decide_missed_" + std::to_string(index))
                  .c_str())) {
        form = MissedDecisionForm{};
        form.contact_id = contact_id;
        form.decided_on = FormatDate(session_view_->today);
      }
    }
    ++index;
    if (open_here) {
      bool submit = false;
      ImGui::Indent();
      ImGui::BeginDisabled(form.saving);
      if (ImGui::BeginTable("decision_form", 3, ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("decision", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("decided_on", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthStretch, 2.2f);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kDecision));
        EnumCombo("##missed_decision", &form.decision);
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kDecidedOn));
        ImGui::SetNextItemWidth(-1);
        submit |= DateInput("##decided_on", &form.decided_on, ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(form.error, "decided_on");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kReason));
        ImGui::SetNextItemWidth(-1);
        submit |=
            InputText("##decision_reason", &form.reason, ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(form.error, "reason");
        ImGui::EndTable();
      }
      FieldErrorLine(form.error, "contact_id");
      FieldErrorLine(form.error, "");
      submit |= PrimaryButton(Id(S::kSave, "decision_save").c_str());
      ImGui::SameLine();
      const bool cancel = Button(Id(S::kCancel, "decision_cancel").c_str()) || FormCancelPressed();
      ImGui::EndDisabled();
      ImGui::Unindent();
      if (cancel && !form.saving) {
        form = MissedDecisionForm{};
      } else if (submit && !form.saving) {
        form.saving = true;
        form.error.Clear();
        client::DecideMissedContact cmd;
        cmd.contact_id = form.contact_id;
        cmd.decision = form.decision;
        cmd.decided_on = form.decided_on;
        cmd.reason = form.reason;
        Execute(cmd, [this, case_id](const Result<std::string>& r) {
          MissedDecisionForm& done = case_state_.decision_forms[case_id];
          done.saving = false;
          if (!r.ok()) {
            done.error = ToFieldError(r.error());
            return;
          }
          done = MissedDecisionForm{};
        });
      }
    }
    ImGui::PopID();
  }
  ImGui::Spacing();
}

void App::DrawCaseContacts(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string& case_id = f.case_record.id;
  ContactForm& form = case_state_.contact_forms[case_id];
  const bool owner = session_view_->actor.user_id == f.case_record.responsible_officer_id;
  // A deputy under an open break-glass records contacts and their outcomes; the decisions on
  // missed contacts stay with the owner (client/permissions.hpp).
  const bool deputy = !owner && !f.break_glass_until.empty() && !f.sealed;
  const bool can_write = (owner || deputy) && f.case_record.status == client::CaseStatus::kOpen;
  if (can_write) {
    DrawContactOutcomeForm(snap);
    if (owner) DrawMissedDecisions(snap);
    SectionHeading(Tr(S::kRecordContact), fonts_.bold);
    // Enter in a text field saves, Escape in one clears the form; Ctrl+N lands here.
    bool submit = false, cancel = false;
    ImGui::BeginDisabled(form.saving);
    if (ImGui::BeginTable("contact_form", 4, ImGuiTableFlags_SizingStretchSame)) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kPlannedAt));
      ImGui::SetNextItemWidth(-1);
      if (std::exchange(focus_contact_form_, false)) ImGui::SetKeyboardFocusHere();
      submit |= DateInput("##planned_at", &form.cmd.planned_at,
                          ImGuiInputTextFlags_EnterReturnsTrue, Tr(S::kDateTimeHint));
      cancel |= FieldCancelPressed();
      FieldErrorLine(form.error, "planned_at");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kStatus));
      ImGui::SetNextItemWidth(-1);
      if (BeginCombo("##contact_status", Tr(static_cast<client::ContactStatus>(form.status)))) {
        for (int i = 0; i < 4; ++i) {
          ImGui::PushID(i);
          if (Selectable(Tr(static_cast<client::ContactStatus>(i)), form.status == i))
            form.status = i;
          ImGui::PopID();
        }
        EndCombo();
      }
      FieldErrorLine(form.error, "held_on");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kMode));
      ImGui::SetNextItemWidth(-1);
      if (BeginCombo("##contact_mode", Tr(static_cast<client::ContactMode>(form.mode)))) {
        for (int i = 0; i < 3; ++i) {
          ImGui::PushID(i);
          if (Selectable(Tr(static_cast<client::ContactMode>(i)), form.mode == i)) form.mode = i;
          ImGui::PopID();
        }
        EndCombo();
      }
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kOutcome));
      ImGui::SetNextItemWidth(-1);
      submit |=
          InputText("##contact_outcome", &form.cmd.outcome, ImGuiInputTextFlags_EnterReturnsTrue);
      cancel |= FieldCancelPressed();
      FieldErrorLine(form.error, "outcome");
      ImGui::EndTable();
    }
    FieldErrorLine(form.error, "");
    if (cancel && !form.saving) form = ContactForm{};
    if ((PrimaryButton(Id(S::kSave, "save_contact").c_str()) || submit) && !form.saving) {
      form.saving = true;
      form.error.Clear();
      client::RecordContact cmd = form.cmd;
      cmd.case_id = case_id;
      cmd.status = static_cast<client::ContactStatus>(form.status);
      cmd.mode = static_cast<client::ContactMode>(form.mode);
      Execute(cmd, [this, case_id](const Result<std::string>& r) {
        ContactForm& done = case_state_.contact_forms[case_id];
        done.saving = false;
        if (!r.ok()) {
          done.error = ToFieldError(r.error());
          return;
        }
        done = ContactForm{};
      });
    }
    ImGui::EndDisabled();
    ImGui::Spacing();
  }
  SectionHeading(Tr(S::kTabContacts), fonts_.bold);
  if (f.contacts.empty()) {
    MutedText(Tr(S::kNone));
    return;
  }
  // Held and missed contacts are not changed; their corrections are appended
  // (ui/form_corrections.cpp). The form and the corrections come before the list, which takes
  // the rest of the tab; only the contacts corrected or being corrected are offered to them.
  const auto correctable = [](const client::Contact& c) {
    return CorrectableRecord{
        c.id,
        FormatTimestamp(c.planned_at) + ", " + Tr(c.status),
        {{"outcome", Tr(S::kOutcome), c.outcome}, {"note", Tr(S::kNote), c.note}}};
  };
  const CorrectionForm& correction = case_state_.correction_forms[case_id];
  {
    std::set<std::string> corrected;
    for (const auto& k : f.corrections) {
      if (k.target_table == "contact") corrected.insert(k.target_id);
    }
    if (correction.target_table == "contact") corrected.insert(correction.target_id);
    std::vector<CorrectableRecord> records;
    if (!corrected.empty()) {
      for (const auto& c : f.contacts) {
        if (corrected.count(c.id) != 0) records.push_back(correctable(c));
      }
    }
    DrawCorrections(snap, "contact", records);
  }
  // The decision each missed contact took, by contact.
  std::map<std::string, client::MissedContactDecision> decided;
  for (const auto& d : f.escalation) decided[d.contact_id] = d.decision;
  if (!ImGui::BeginTable("contacts", can_write ? 6 : 5, kListFlags | ImGuiTableFlags_ScrollY))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(Tr(S::kPlannedAt), 0, 1.2f);
  ImGui::TableSetupColumn(Tr(S::kStatus), 0, 1.3f);
  ImGui::TableSetupColumn(Tr(S::kMode), 0, 0.8f);
  ImGui::TableSetupColumn(Tr(S::kHeldOn), 0, 0.9f);
  ImGui::TableSetupColumn(Tr(S::kOutcome), 0, 3.0f);
  if (can_write) ImGui::TableSetupColumn(Tr(S::kRecordOutcome), 0, 1.0f);
  ImGui::TableHeadersRow();
  const ContactOutcomeForm& outcome_form = case_state_.outcome_forms[case_id];
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(f.contacts.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& c = f.contacts[static_cast<std::size_t>(i)];
      ImGui::PushID(c.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(FormatTimestamp(c.planned_at).c_str());
      ImGui::TableNextColumn();
      if (c.status == client::ContactStatus::kMissed) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
        const auto d = decided.find(c.id);
        ImGui::TextUnformatted(Tr(c.status));
        ImGui::TextWrapped("%s", d != decided.end() ? Tr(d->second) : Tr(S::kNoDecisionYet));
        ImGui::PopStyleColor();
      } else {
        ImGui::TextUnformatted(Tr(c.status));
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(c.mode));
      ImGui::TableNextColumn();
      TextOrDash(FormatDate(c.held_on));
      ImGui::TableNextColumn();
      if (c.outcome.empty() && c.note.empty()) {
        TextOrDash("");
      } else {
        if (!c.outcome.empty()) ImGui::TextWrapped("%s", c.outcome.c_str());
        if (!c.note.empty()) MutedText(c.note.c_str());
      }
      if (can_write) {
        ImGui::TableNextColumn();
        // A planned contact whose day has come takes its outcome; held, missed and cancelled
        // contacts are immutable (corrections are appended).
        if (c.status == client::ContactStatus::kPlanned &&
            c.planned_at.substr(0, 10) <= session_view_->today && outcome_form.contact_id != c.id) {
          if (SmallButton(
                  (std::string(Tr(S::kOutcomeEllipsis)) + "###contact_outcome_" + std::to_string(i))
                      .c_str())) {
            ContactOutcomeForm& open = case_state_.outcome_forms[case_id];
            open = ContactOutcomeForm{};
            open.contact_id = c.id;
            open.held_on = FormatDate(session_view_->today);
          }
        }
        if (c.status == client::ContactStatus::kHeld ||
            c.status == client::ContactStatus::kMissed) {
          ImGui::BeginDisabled(!correction.target_id.empty());
          if (SmallButton(
                  Id(S::kCorrect, ("correct_contact_" + std::to_string(i)).c_str()).c_str()))
            OpenCorrection(case_id, "contact", correctable(c));
          ImGui::EndDisabled();
        }
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

}  // namespace lietvedis::ui
