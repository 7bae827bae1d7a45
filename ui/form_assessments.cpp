// Assessments tab of the case file: the assessments newest first, with the form that records a
// draft (RecordAssessment), amends a draft (AmendAssessment: score, risk, needs; refused once
// signed) and supersedes a signed one (RecordAssessment with supersedes_id: a new draft that
// replaces it once signed; the signed one stays readable). The form runs the Workspace command
// the CLI runs (`assessment record|amend`), shows its kValidation message under the field it
// names and writes nothing when refused.
#include <imgui.h>

#include <string>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr ImGuiTableFlags kListFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
    ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;

std::string Needs(const std::vector<client::NeedDomain>& needs) {
  std::string out;
  for (const auto n : needs) {
    if (!out.empty()) out += ", ";
    out += Tr(n);
  }
  return out;
}

const client::Assessment* FindAssessment(const client::CaseFileView& f, const std::string& id) {
  for (const auto& a : f.assessments) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

// The assessment that supersedes `id`, or nullptr.
const client::Assessment* SupersededBy(const client::CaseFileView& f, const std::string& id) {
  for (const auto& a : f.assessments) {
    if (a.supersedes_id == id) return &a;
  }
  return nullptr;
}

// The form filled from an existing assessment (amend: the draft itself; supersede: the signed
// one the new draft replaces, dated today).
AssessmentForm FormFrom(const client::Assessment& a) {
  AssessmentForm form;
  form.open = true;
  form.instrument = static_cast<int>(a.instrument);
  form.version = a.instrument_version;
  form.assessed_on = FormatDate(a.assessed_on);
  form.score = std::to_string(a.total_score);
  form.risk = static_cast<int>(a.risk_level);
  for (const auto n : a.needs) form.needs[static_cast<std::size_t>(n)] = true;
  return form;
}

}  // namespace

void App::DrawAssessmentForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  AssessmentForm& form = case_state_.assessment_forms[case_id];
  if (!form.open) {
    if (Button(Id(S::kNewAssessment, "new_assessment").c_str())) {
      form = AssessmentForm{};
      form.open = true;
      form.assessed_on = FormatDate(session_view_->today);
    }
    return;
  }
  const bool amend = !form.amend_id.empty();
  if (amend) {
    const client::Assessment* draft = FindAssessment(f, form.amend_id);
    if (draft == nullptr || draft->IsSigned()) {
      form = AssessmentForm{};  // signed meanwhile (another device, a sync)
      return;
    }
  }
  std::string title = Tr(amend ? S::kAmendAssessment : S::kNewAssessment);
  if (!form.supersedes_id.empty()) {
    const client::Assessment* old = FindAssessment(f, form.supersedes_id);
    title = std::string(Tr(S::kSupersedeAssessment)) + " " +
            (old != nullptr ? FormatDate(old->assessed_on) : std::string());
  }
  SectionHeading(title.c_str(), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("assessment_form", 5, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    // A draft keeps its instrument, version and day; amending changes the findings only.
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kInstrument));
    ImGui::BeginDisabled(amend);
    ImGui::SetNextItemWidth(-1);
    if (BeginCombo("##instrument", Tr(static_cast<client::Instrument>(form.instrument)))) {
      const int n = static_cast<int>(client::AllCodes<client::Instrument>().size());
      for (int i = 0; i < n; ++i) {
        ImGui::PushID(i);
        if (Selectable(Tr(static_cast<client::Instrument>(i)), form.instrument == i))
          form.instrument = i;
        ImGui::PopID();
      }
      EndCombo();
    }
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kInstrumentVersion));
    ImGui::SetNextItemWidth(-1);
    submit |=
        InputText("##instrument_version", &form.version, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "instrument_version");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kDate));
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput("##assessed_on", &form.assessed_on, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "assessed_on");
    ImGui::EndDisabled();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kTotalScore));
    ImGui::SetNextItemWidth(-1);
    submit |= InputText("##total_score", &form.score,
                        ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "total_score");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kRiskLevel));
    ImGui::SetNextItemWidth(-1);
    if (BeginCombo("##risk_level", Tr(static_cast<client::RiskLevel>(form.risk)))) {
      const int n = static_cast<int>(client::AllCodes<client::RiskLevel>().size());
      for (int i = 0; i < n; ++i) {
        ImGui::PushID(i);
        if (Selectable(Tr(static_cast<client::RiskLevel>(i)), form.risk == i)) form.risk = i;
        ImGui::PopID();
      }
      EndCombo();
    }
    FieldErrorLine(form.error, "risk_level");
    ImGui::EndTable();
  }
  FieldLabel(Tr(S::kNeeds));
  if (ImGui::BeginTable("needs", 5, ImGuiTableFlags_SizingStretchSame)) {
    for (std::size_t i = 0; i < form.needs.size(); ++i) {
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(i));
      bool on = form.needs[i];
      if (Checkbox(Tr(static_cast<client::NeedDomain>(i)), &on)) form.needs[i] = on;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "needs");
  FieldErrorLine(form.error, "supersedes_id");
  FieldErrorLine(form.error, "assessment_id");
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "save_assessment").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "cancel_assessment").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = AssessmentForm{};
    return;
  }
  if (!submit || form.saving) {
    ImGui::Spacing();
    return;
  }
  form.error.Clear();
  bool score_ok = !form.score.empty() && form.score.size() < 9;
  for (char c : form.score) score_ok = score_ok && c >= '0' && c <= '9';
  if (!score_ok) {
    form.error = FieldError{"total_score", Tr(S::kWholeNumber)};
    return;
  }
  std::vector<client::NeedDomain> needs;
  for (std::size_t i = 0; i < form.needs.size(); ++i) {
    if (form.needs[i]) needs.push_back(static_cast<client::NeedDomain>(i));
  }
  client::Command cmd;
  if (amend) {
    client::AmendAssessment c;
    c.assessment_id = form.amend_id;
    c.total_score = std::stoll(form.score);
    c.risk_level = static_cast<client::RiskLevel>(form.risk);
    c.needs = needs;
    // item_scores stay as recorded: the desktop does not edit them.
    if (const client::Assessment* draft = FindAssessment(f, form.amend_id))
      c.item_scores = draft->item_scores;
    cmd = c;
  } else {
    client::RecordAssessment c;
    c.case_id = case_id;
    c.instrument = static_cast<client::Instrument>(form.instrument);
    c.instrument_version = form.version;
    c.assessed_on = form.assessed_on;
    c.total_score = std::stoll(form.score);
    c.risk_level = static_cast<client::RiskLevel>(form.risk);
    c.needs = needs;
    c.supersedes_id = form.supersedes_id;
    cmd = c;
  }
  form.saving = true;
  Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
    AssessmentForm& done = case_state_.assessment_forms[case_id];
    done.saving = false;
    if (!r.ok()) {
      done.error = ToFieldError(r.error());
      return;
    }
    done = AssessmentForm{};
  });
  ImGui::Spacing();
}

void App::DrawCaseAssessments(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string& case_id = f.case_record.id;
  const bool can_write = session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                         f.case_record.status == client::CaseStatus::kOpen;
  if (can_write) DrawAssessmentForm(snap);
  if (f.assessments.empty()) {
    MutedText(Tr(S::kNone));
    return;
  }
  AssessmentForm& form = case_state_.assessment_forms[case_id];
  // Signed assessments take corrections of their findings (the form and the corrections follow
  // the list).
  std::vector<CorrectableRecord> signed_records;
  for (const auto& a : f.assessments) {
    if (!a.IsSigned()) continue;
    CorrectableRecord r;
    r.id = a.id;
    r.label = FormatDate(a.assessed_on) + " " + Tr(a.instrument) + " " + a.instrument_version;
    r.fields = {{"total_score", Tr(S::kTotalScore), std::to_string(a.total_score)},
                {"instrument_version", Tr(S::kInstrumentVersion), a.instrument_version}};
    signed_records.push_back(std::move(r));
  }
  const bool correcting = !case_state_.correction_forms[case_id].target_id.empty();
  if (!ImGui::BeginTable("assessments", 6, kListFlags)) return;
  ImGui::TableSetupColumn(Tr(S::kDate), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kInstrument), 0, 1.4f);
  ImGui::TableSetupColumn(Tr(S::kTotalScore), 0, 0.8f);
  ImGui::TableSetupColumn(Tr(S::kRiskLevel), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kNeeds), 0, 2.4f);
  ImGui::TableSetupColumn(Tr(S::kStatus), 0, 1.8f);
  ImGui::TableHeadersRow();
  int row = 0;
  for (const auto& a : f.assessments) {
    ImGui::PushID(a.id.c_str());
    const std::string n = std::to_string(row++);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(FormatDate(a.assessed_on).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%s %s", Tr(a.instrument), a.instrument_version.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%lld", static_cast<long long>(a.total_score));
    ImGui::TableNextColumn();
    RiskBadge(a.risk_level);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", Needs(a.needs).c_str());
    ImGui::TableNextColumn();
    const client::Assessment* newer = SupersededBy(f, a.id);
    if (a.IsSigned()) {
      ImGui::PushStyleColor(ImGuiCol_Text, newer != nullptr ? Colors().text_muted : Colors().ok);
      ImGui::Text("✓ %s", Tr(S::kSigned));
      ImGui::PopStyleColor();
      if (can_write) {
        ImGui::SameLine();
        ImGui::BeginDisabled(correcting);
        if (SmallButton(Id(S::kCorrect, ("correct_assessment_" + n).c_str()).c_str())) {
          for (const auto& r : signed_records) {
            if (r.id == a.id) OpenCorrection(case_id, "assessment", r);
          }
        }
        ImGui::EndDisabled();
      }
      DrawCountersignature(snap, "assessment", a.id, newer == nullptr,
                           a.signed_by.empty() ? a.assessor_id : a.signed_by, "assessment_" + n);
      if (newer != nullptr) {
        MutedText(
            (std::string(Tr(S::kSupersededBy)) + " " + FormatDate(newer->assessed_on)).c_str());
      } else if (can_write) {
        ImGui::SameLine();
        ImGui::BeginDisabled(form.open);
        if (SmallButton(Id(S::kSupersede, ("supersede_assessment_" + n).c_str()).c_str())) {
          form = FormFrom(a);
          form.assessed_on = FormatDate(session_view_->today);
          form.supersedes_id = a.id;
        }
        ImGui::EndDisabled();
      }
    } else {
      ImGui::TextUnformatted(Tr(S::kUnsigned));
      ImGui::SameLine();
      if (SmallButton(Id(S::kSign, "sign_assessment").c_str())) {
        Execute(client::SignAssessment{a.id}, [this](const Result<std::string>& r) {
          if (!r.ok()) ShowError(r.error());
        });
      }
      if (can_write) {
        ImGui::SameLine();
        ImGui::BeginDisabled(form.open);
        if (SmallButton(Id(S::kAmend, ("amend_assessment_" + n).c_str()).c_str())) {
          form = FormFrom(a);
          form.amend_id = a.id;
        }
        ImGui::EndDisabled();
      }
    }
    if (!a.supersedes_id.empty()) {
      const client::Assessment* old = FindAssessment(f, a.supersedes_id);
      MutedText((std::string(Tr(S::kSupersedes)) + " " +
                 (old != nullptr ? FormatDate(old->assessed_on) : std::string()))
                    .c_str());
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  DrawCorrections(snap, "assessment", signed_records);
}

}  // namespace lietvedis::ui
