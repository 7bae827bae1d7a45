// Case-file forms for decisions that change the file's state: closing the case (with the
// reason the open supervision section closes for). Each form shows the Workspace's
// kValidation message under the field it names and writes nothing when refused. Also: closing
// a case's tab while its forms hold unsaved text asks first (HasUnsavedText).
#include <imgui.h>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/theme.hpp"
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

// Typed text not yet saved in the forms of one case. Every form keeps its state per case id
// (CaseFileViewState), so switching tabs, cases or pages keeps it; only closing the tab may
// drop it. A form counts once opened (the open forms start from their defaults or the
// recorded values), the forms always shown on their tab once a text was typed.
bool App::HasUnsavedText(const std::string& case_id) const {
  const CaseFileViewState& st = case_state_;
  const auto at = [&case_id](const auto& map) {
    const auto it = map.find(case_id);
    return it == map.end() ? nullptr : &it->second;
  };
  if (const auto* f = at(st.contact_forms);
      f != nullptr && (!f->cmd.outcome.empty() || !f->cmd.note.empty()))
    return true;
  if (const auto* f = at(st.note_forms); f != nullptr && !f->body.empty()) return true;
  if (const auto* f = at(st.assessment_forms); f != nullptr && f->open) return true;
  if (const auto* f = at(st.plan_forms); f != nullptr && f->open) return true;
  if (const auto* f = at(st.close_forms); f != nullptr && f->open) return true;
  if (const auto* f = at(st.outcome_forms); f != nullptr && !f->contact_id.empty()) return true;
  if (const auto* f = at(st.decision_forms); f != nullptr && !f->contact_id.empty()) return true;
  if (const auto* f = at(st.section_forms); f != nullptr && f->kind != SectionForm::Kind::kNone)
    return true;
  if (const auto* f = at(st.violation_forms); f != nullptr && f->open) return true;
  if (const auto* f = at(st.court_forms); f != nullptr && f->open) return true;
  if (const auto* f = at(st.court_decision_forms); f != nullptr && !f->application_id.empty())
    return true;
  if (const auto* f = at(st.correction_forms); f != nullptr && !f->target_id.empty()) return true;
  if (const auto* f = at(st.community_forms); f != nullptr && f->kind != CommunityForm::Kind::kNone)
    return true;
  if (const auto* f = at(st.programme_forms);
      f != nullptr &&
      (f->consent.open || f->referral.open || f->action.kind != ReferralActionForm::Kind::kNone ||
       f->mentoring.kind != MentoringReferralForm::Kind::kNone))
    return true;
  if (const auto* f = at(st.client_forms);
      f != nullptr && (f->details.open || f->related.open || f->open_case.open ||
                       f->episode.kind != EpisodeForm::Kind::kNone || f->evaluation.open))
    return true;
  // The evaluation report editors of this case's requests.
  if (const auto file = case_files_.find(case_id); file != case_files_.end()) {
    for (const auto& r : file->second->file.evaluation_requests) {
      const auto e = st.evaluation_editors.find(r.id);
      if (e != st.evaluation_editors.end() && (e->second.dirty || !e->second.reason.empty()))
        return true;
    }
  }
  return false;
}

// Closing a tab whose forms hold unsaved text: the header says so until the officer discards
// the text with the tab (#close_tab_discard) or keeps editing (#close_tab_keep, Escape).
// Discarding drops the case's form state with the tab, so nothing typed lingers.
void App::DrawCloseTabConfirmation(const std::string& case_id) {
  if (case_state_.confirm_close_tab != case_id) return;
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
  ImGui::TextUnformatted(Tr(S::kUnsavedTabTitle));
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::TextUnformatted(Tr(S::kUnsavedTabText));
  if (Button(Id(S::kCloseTabDiscard, "close_tab_discard").c_str())) {
    case_state_.confirm_close_tab.clear();
    DiscardCaseForms(case_id);
    CloseCaseTab(case_id);
    return;
  }
  ImGui::SameLine();
  if (PrimaryButton(Id(S::kKeepEditing, "close_tab_keep").c_str()) || FormCancelPressed())
    case_state_.confirm_close_tab.clear();
}

void App::DiscardCaseForms(const std::string& case_id) {
  CaseFileViewState& st = case_state_;
  st.contact_forms.erase(case_id);
  st.note_forms.erase(case_id);
  st.assessment_forms.erase(case_id);
  st.close_forms.erase(case_id);
  st.outcome_forms.erase(case_id);
  st.decision_forms.erase(case_id);
  st.section_forms.erase(case_id);
  st.violation_forms.erase(case_id);
  st.court_forms.erase(case_id);
  st.programme_forms.erase(case_id);
  st.court_decision_forms.erase(case_id);
  st.plan_forms.erase(case_id);
  st.correction_forms.erase(case_id);
  st.community_forms.erase(case_id);
  st.client_forms.erase(case_id);
  if (const auto file = case_files_.find(case_id); file != case_files_.end()) {
    for (const auto& r : file->second->file.evaluation_requests) st.evaluation_editors.erase(r.id);
  }
}

}  // namespace lietvedis::ui
