// Supervision tab of the case file: the sections, violations and applications to court, with
// the forms that record a violation and file an application. When the uncited warnings of a
// section reach the unit's threshold (client::SectionEscalation), the tab proposes the
// application and the form carries those warnings as its grounds. Each form runs the
// Workspace command the CLI runs (`violation add`, `court file`), shows its kValidation
// message under the field it names and writes nothing when refused.
#include <imgui.h>

#include <cstdio>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
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

// The escalation of the case's open section, or nullptr.
const client::SectionEscalation* OpenEscalation(const client::CaseFileView& f) {
  for (const auto& s : f.sections) {
    if (s.status != client::SectionStatus::kOpen) continue;
    for (const auto& e : f.section_escalation) {
      if (e.section_id == s.id) return &e;
    }
  }
  return nullptr;
}

}  // namespace

void App::DrawEscalationProposal(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const client::SectionEscalation* e = OpenEscalation(f);
  if (e == nullptr || !e->court_application_proposed) return;
  CourtApplicationForm& form = case_state_.court_forms[f.case_record.id];
  char text[256];
  std::snprintf(text, sizeof text, Tr(S::kProposalText),
                static_cast<long long>(e->uncited_warning_ids.size()),
                static_cast<long long>(e->threshold));
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
  if (!form.open && PrimaryButton(Id(S::kPrepareApplication, "prepare_application").c_str())) {
    form = CourtApplicationForm{};
    form.open = true;
    form.filed_on = FormatDate(session_view_->today);
    form.warning_ids = e->uncited_warning_ids;
  }
}

void App::DrawSectionForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  SectionForm& form = case_state_.section_forms[case_id];
  const client::SupervisionSection* open_section = nullptr;
  for (const auto& s : f.sections) {
    if (s.status == client::SectionStatus::kOpen) open_section = &s;
  }
  using Kind = SectionForm::Kind;
  if (form.kind != Kind::kNone && form.kind != Kind::kOpen &&
      (open_section == nullptr || open_section->id != form.section_id)) {
    form = SectionForm{};  // closed meanwhile (the case closure form, another device)
  }
  if (form.kind == Kind::kNone) {
    if (open_section == nullptr) {
      if (Button(Id(S::kOpenSection, "open_section").c_str())) {
        form = SectionForm{};
        form.kind = Kind::kOpen;
        form.opened_on = FormatDate(session_view_->today);
      }
    } else {
      if (Button(Id(S::kAmendSection, "amend_section").c_str())) {
        form = SectionForm{};
        form.kind = Kind::kAmend;
        form.section_id = open_section->id;
        form.obligations = open_section->obligations;
        form.planned_end_on = FormatDate(open_section->planned_end_on);
      }
      ImGui::SameLine();
      if (Button(Id(S::kCloseSection, "close_section").c_str())) {
        form = SectionForm{};
        form.kind = Kind::kClose;
        form.section_id = open_section->id;
        form.closed_on = FormatDate(session_view_->today);
      }
    }
    ImGui::SameLine();
    return;
  }
  bool submit = false;
  const float lines3 = ImGui::GetTextLineHeight() * 3 + ImGui::GetStyle().FramePadding.y * 2;
  ImGui::BeginDisabled(form.saving);
  switch (form.kind) {
    case Kind::kOpen:
      SectionHeading(Tr(S::kOpenSection), fonts_.bold);
      if (ImGui::BeginTable("section_open_form", 4, ImGuiTableFlags_SizingStretchSame)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kSentenceType));
        ImGui::SetNextItemWidth(-1);
        submit |=
            InputText("##sentence_type", &form.sentence_type, ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(form.error, "sentence_type");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kCourtDecision));
        ImGui::SetNextItemWidth(-1);
        submit |= InputText("##court_decision_ref", &form.court_decision_ref,
                            ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(form.error, "court_decision_ref");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kStart));
        ImGui::SetNextItemWidth(-1);
        submit |=
            DateInput("##section_opened_on", &form.opened_on, ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(form.error, "opened_on");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kPlannedEnd));
        ImGui::SetNextItemWidth(-1);
        submit |= DateInput("##section_planned_end", &form.planned_end_on,
                            ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(form.error, "planned_end_on");
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kEmploymentAtOpening));
        EnumCombo("##employment_at_opening", &form.employment_at_opening);
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kDisabilityGroup));
        EnumCombo("##disability_group", &form.disability_group);
        ImGui::TableNextColumn();
        ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));
        Checkbox(Id(S::kNoEmploymentTaxes, "no_employment_taxes").c_str(),
                 &form.no_employment_taxes);
        ImGui::EndTable();
      }
      FieldLabel(Tr(S::kObligations));
      InputTextMultiline("##section_obligations", &form.obligations, ImVec2(-1, lines3));
      FieldErrorLine(form.error, "obligations");
      break;
    case Kind::kAmend:
      SectionHeading(Tr(S::kAmendSection), fonts_.bold);
      FieldLabel(Tr(S::kObligations));
      InputTextMultiline("##section_obligations", &form.obligations, ImVec2(-1, lines3));
      FieldErrorLine(form.error, "obligations");
      FieldLabel(Tr(S::kPlannedEnd));
      ImGui::SetNextItemWidth(Em(10));
      submit |= DateInput("##section_planned_end", &form.planned_end_on,
                          ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "planned_end_on");
      break;
    case Kind::kClose:
      SectionHeading(Tr(S::kCloseSection), fonts_.bold);
      MutedText(Tr(S::kCloseSectionIntro));
      if (ImGui::BeginTable("section_close_form", 3, ImGuiTableFlags_SizingStretchSame)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        FieldLabel(ColumnLabel("closed_on").c_str());
        ImGui::SetNextItemWidth(-1);
        submit |=
            DateInput("##section_closed_on", &form.closed_on, ImGuiInputTextFlags_EnterReturnsTrue);
        FieldErrorLine(form.error, "closed_on");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kSectionOutcome));
        EnumCombo("##section_outcome", &form.outcome);
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kEmploymentAtClosure));
        EnumCombo("##section_employment", &form.employment_at_closure);
        ImGui::EndTable();
      }
      break;
    case Kind::kNone:
      break;
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "section_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "section_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "section_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = SectionForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::Command cmd;
    if (form.kind == Kind::kOpen) {
      client::OpenSupervisionSection c;
      c.case_id = case_id;
      c.sentence_type = form.sentence_type;
      c.court_decision_ref = form.court_decision_ref;
      c.obligations = form.obligations;
      c.opened_on = form.opened_on;
      c.planned_end_on = form.planned_end_on;
      c.employment_at_opening = form.employment_at_opening;
      c.disability_group = form.disability_group;
      c.no_employment_taxes_at_opening = form.no_employment_taxes;
      cmd = c;
    } else if (form.kind == Kind::kAmend) {
      cmd = client::AmendSupervisionSection{form.section_id, form.obligations, form.planned_end_on};
    } else {
      client::CloseSupervisionSection c;
      c.section_id = form.section_id;
      c.closed_on = form.closed_on;
      c.outcome = form.outcome;
      c.employment_at_closure = form.employment_at_closure;
      cmd = c;
    }
    Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
      SectionForm& done = case_state_.section_forms[case_id];
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = SectionForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawViolationForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  ViolationForm& form = case_state_.violation_forms[case_id];
  if (!form.open) {
    if (Button(Id(S::kRecordViolation, "record_violation").c_str())) {
      form = ViolationForm{};
      form.open = true;
      form.occurred_on = FormatDate(session_view_->today);
    }
    // The application's button (or form) follows on the same line when both are closed.
    if (!case_state_.court_forms[case_id].open) ImGui::SameLine();
    return;
  }
  SectionHeading(Tr(S::kRecordViolation), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("violation_form", 3, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("kind", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("occurred_on", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableSetupColumn("description", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kKind));
    EnumCombo("##violation_kind", &form.kind);
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kDate));
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput("##occurred_on", &form.occurred_on, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "occurred_on");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kDescription));
    ImGui::SetNextItemWidth(-1);
    submit |= InputText("##violation_description", &form.description,
                        ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "description");
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSaveViolation, "violation_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "violation_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = ViolationForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::RecordViolation cmd;
    cmd.case_id = case_id;
    cmd.kind = form.kind;
    cmd.occurred_on = form.occurred_on;
    cmd.description = form.description;
    Execute(cmd, [this, case_id](const Result<std::string>& r) {
      ViolationForm& done = case_state_.violation_forms[case_id];
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = ViolationForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawCourtApplicationForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  CourtApplicationForm& form = case_state_.court_forms[case_id];
  if (!form.open) {
    if (Button(Id(S::kNewApplication, "new_application").c_str())) {
      form = CourtApplicationForm{};
      form.open = true;
      form.filed_on = FormatDate(session_view_->today);
    }
    return;
  }
  SectionHeading(Tr(S::kNewApplication), fonts_.bold);
  if (!form.warning_ids.empty()) {
    char text[128];
    std::snprintf(text, sizeof text, Tr(S::kRestsOnWarnings),
                  static_cast<int>(form.warning_ids.size()));
    MutedText(text);
  }
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("application_form", 3, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("kind", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn("filed_on", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthStretch, 2.7f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kApplicationKind));
    EnumCombo("##application_kind", &form.kind);
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kFiledOn));
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput("##filed_on", &form.filed_on, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "filed_on");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kReason));
    ImGui::SetNextItemWidth(-1);
    submit |= InputText("##application_reason", &form.reason, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "reason");
    ImGui::EndTable();
  }
  // A refused ground ("warning_ids[1]: ...") shows above the buttons.
  if (form.error.field.rfind("warning_ids", 0) == 0) {
    FieldErrorLine(form.error, form.error.field);
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kFileApplication, "application_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "application_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = CourtApplicationForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::FileCourtApplication cmd;
    cmd.case_id = case_id;
    cmd.kind = form.kind;
    cmd.filed_on = form.filed_on;
    cmd.reason = form.reason;
    cmd.warning_ids = form.warning_ids;
    Execute(cmd, [this, case_id](const Result<std::string>& r) {
      CourtApplicationForm& done = case_state_.court_forms[case_id];
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = CourtApplicationForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawCaseSupervision(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const bool can_write = session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                         f.case_record.status == client::CaseStatus::kOpen;
  // What the officer does here comes first: the proposal, then the two forms; the lists follow.
  if (can_write) {
    DrawEscalationProposal(snap);
    DrawSectionForm(snap);
    DrawViolationForm(snap);
    DrawCourtApplicationForm(snap);
    ImGui::Spacing();
  }
  DrawCommunityWork(snap, can_write);
  // Closed sections and decided applications are not changed; their corrections are appended
  // (ui/form_corrections.cpp), the form and the corrections after each list.
  const std::string case_id = f.case_record.id;
  const bool correcting = !case_state_.correction_forms[case_id].target_id.empty();
  std::vector<CorrectableRecord> closed_sections, decided_applications;
  for (const auto& s : f.sections) {
    if (s.status != client::SectionStatus::kClosed) continue;
    closed_sections.push_back(
        {s.id,
         (s.sentence_type.empty() ? std::string(Tr(S::kTabSupervision)) : s.sentence_type) + ", " +
             FormatDate(s.opened_on) + " – " + FormatDate(s.closed_on),
         {{"obligations", Tr(S::kObligations), s.obligations},
          {"court_decision_ref", Tr(S::kCourtDecision), s.court_decision_ref},
          {"sentence_type", Tr(S::kSentenceType), s.sentence_type}}});
  }
  for (const auto& a : f.court_applications) {
    if (a.decided_on.empty()) continue;
    decided_applications.push_back({a.id,
                                    FormatDate(a.filed_on) + " " + Tr(a.kind),
                                    {{"decision", Tr(S::kCourtDecisionText), a.decision},
                                     {"reason", Tr(S::kReason), a.reason}}});
  }
  const auto correct_button = [&](const std::vector<CorrectableRecord>& records,
                                  const std::string& id, const char* table,
                                  const std::string& button_id) {
    if (!can_write) return;
    for (const auto& r : records) {
      if (r.id != id) continue;
      ImGui::BeginDisabled(correcting);
      if (SmallButton(Id(S::kCorrect, button_id.c_str()).c_str()))
        OpenCorrection(case_id, table, r);
      ImGui::EndDisabled();
    }
  };
  if (f.sections.empty()) MutedText(Tr(S::kNone));
  int section_row = 0;
  for (const auto& s : f.sections) {
    ImGui::PushID(s.id.c_str());
    SectionHeading(
        (std::string(s.sentence_type.empty() ? Tr(S::kTabSupervision) : s.sentence_type.c_str()) +
         " — " + Tr(s.status))
            .c_str(),
        fonts_.bold);
    if (BeginKeyValue("section_kv")) {
      KeyValueRow(Tr(S::kCourtDecision), s.court_decision_ref);
      KeyValueRow(Tr(S::kObligations), s.obligations);
      KeyValueRow(Tr(S::kStart), FormatDate(s.opened_on));
      KeyValueRow(Tr(S::kPlannedEnd), FormatDate(s.planned_end_on));
      KeyValueRow(Tr(S::kClosedOn), FormatDate(s.closed_on));
      KeyValueRow(Tr(S::kEmploymentAtOpening), Tr(s.employment_at_opening));
      if (s.outcome) KeyValueRow(Tr(S::kSectionOutcome), Tr(*s.outcome));
      if (s.employment_at_closure)
        KeyValueRow(Tr(S::kEmploymentAtClosure), Tr(*s.employment_at_closure));
      ImGui::EndTable();
    }
    correct_button(closed_sections, s.id, "supervision_section",
                   "correct_section_" + std::to_string(section_row++));
    ImGui::PopID();
  }
  DrawCorrections(snap, "supervision_section", closed_sections);
  SectionHeading(Tr(S::kViolations), fonts_.bold);
  if (f.violations.empty()) MutedText(Tr(S::kNone));
  for (const auto& v : f.violations) {
    ImGui::PushID(v.id.c_str());
    ImGui::BulletText("%s — %s: %s", FormatDate(v.occurred_on).c_str(), Tr(v.kind),
                      v.description.c_str());
    ImGui::PopID();
  }
  SectionHeading(Tr(S::kCourtApplications), fonts_.bold);
  if (f.court_applications.empty()) MutedText(Tr(S::kNone));
  int application_row = 0;
  for (const auto& a : f.court_applications) {
    ImGui::PushID(a.id.c_str());
    ImGui::BulletText("%s — %s: %s", FormatDate(a.filed_on).c_str(), Tr(a.kind), a.reason.c_str());
    if (!a.warning_ids.empty()) {
      char grounds[128];
      std::snprintf(grounds, sizeof grounds, Tr(S::kRestsOnWarnings),
                    static_cast<int>(a.warning_ids.size()));
      ImGui::Indent();
      MutedText(grounds);
      ImGui::Unindent();
    }
    DrawCourtDecision(snap, a, application_row, can_write);
    ImGui::Indent();
    DrawCountersignature(snap, "court_application", a.id, true, "",
                         "application_" + std::to_string(application_row));
    correct_button(decided_applications, a.id, "court_application",
                   "correct_application_" + std::to_string(application_row++));
    ImGui::Unindent();
    ImGui::PopID();
  }
  DrawCorrections(snap, "court_application", decided_applications);
}

}  // namespace lietvedis::ui
