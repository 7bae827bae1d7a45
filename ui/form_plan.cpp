// Plan tab of the case file: the resocialisation plan's versions, newest first, and the form
// that records the next version (CreatePlan): it starts from the active version's goals, each
// goal editable (text, need, interventions, review day), goals added and removed, and the next
// review day. Over an active plan the Workspace supersedes it (it stays readable below). The
// form runs the Workspace command the CLI runs (`plan create`), shows its kValidation message
// under the field it names ("goals[1].goal" under that goal) and writes nothing when refused.
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

const client::Plan* ActivePlan(const client::CaseFileView& f) {
  for (const auto& p : f.plans) {
    if (p.status == client::PlanStatus::kActive) return &p;
  }
  return nullptr;
}

}  // namespace

void App::DrawPlanForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  PlanForm& form = case_state_.plan_forms[case_id];
  const client::Plan* active = ActivePlan(f);
  if (!form.open) {
    const S label = active != nullptr ? S::kNewPlanVersion : S::kCreatePlan;
    if (Button(Id(label, "new_plan_version").c_str())) {
      form = PlanForm{};
      form.open = true;
      if (active != nullptr) {
        form.next_review_on = FormatDate(active->next_review_on);
        for (const auto& g : active->goals) {
          form.goals.push_back({g.goal, g.interventions, FormatDate(g.review_on), g.need});
        }
      }
      if (form.goals.empty()) form.goals.emplace_back();
    }
    return;
  }
  SectionHeading(Tr(active != nullptr ? S::kNewPlanVersion : S::kCreatePlan), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  FieldLabel(Tr(S::kNextReview));
  ImGui::SetNextItemWidth(Em(10));
  submit |=
      DateInput("##plan_next_review", &form.next_review_on, ImGuiInputTextFlags_EnterReturnsTrue);
  FieldErrorLine(form.error, "next_review_on");
  int remove = -1;
  if (ImGui::BeginTable("plan_goals_form", 5, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(Tr(S::kGoal), ImGuiTableColumnFlags_WidthStretch, 2.4f);
    ImGui::TableSetupColumn(Tr(S::kNeed), ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn(Tr(S::kInterventions), ImGuiTableColumnFlags_WidthStretch, 2.4f);
    ImGui::TableSetupColumn(Tr(S::kReviewOn), ImGuiTableColumnFlags_WidthStretch, 0.9f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 0.6f);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < form.goals.size(); ++i) {
      PlanGoalRow& g = form.goals[i];
      const std::string n = std::to_string(i);
      const std::string field = "goals[" + n + "]";
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1);
      submit |=
          InputText(("##plan_goal_" + n).c_str(), &g.goal, ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, field + ".goal");
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1);
      if (BeginCombo(("##plan_need_" + n).c_str(), g.need ? Tr(*g.need) : "—")) {
        if (Selectable("—", !g.need)) g.need.reset();
        const int count = static_cast<int>(client::AllCodes<client::NeedDomain>().size());
        for (int k = 0; k < count; ++k) {
          const auto v = static_cast<client::NeedDomain>(k);
          ImGui::PushID(k);
          if (Selectable(Tr(v), g.need == v)) g.need = v;
          ImGui::PopID();
        }
        EndCombo();
      }
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1);
      submit |= InputText(("##plan_interventions_" + n).c_str(), &g.interventions,
                          ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, field + ".interventions");
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1);
      submit |= DateInput(("##plan_review_" + n).c_str(), &g.review_on,
                          ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, field + ".review_on");
      ImGui::TableNextColumn();
      if (SmallButton(Id(S::kRemove, ("plan_remove_goal_" + n).c_str()).c_str()))
        remove = static_cast<int>(i);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (remove >= 0) {
    form.goals.erase(form.goals.begin() + remove);
    form.error.Clear();  // the goals' numbers in the message no longer match
  }
  if (SmallButton(Id(S::kAddGoal, "plan_add_goal").c_str())) form.goals.emplace_back();
  FieldErrorLine(form.error, "goals");
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "plan_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "plan_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = PlanForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::CreatePlan cmd;
    cmd.case_id = case_id;
    cmd.next_review_on = form.next_review_on;
    for (const auto& g : form.goals) {
      cmd.goals.push_back({g.goal, g.need, g.interventions, g.review_on});
    }
    Execute(cmd, [this, case_id](const Result<std::string>& r) {
      PlanForm& done = case_state_.plan_forms[case_id];
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = PlanForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawCasePlan(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const bool can_write = session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                         f.case_record.status == client::CaseStatus::kOpen;
  if (can_write) DrawPlanForm(snap);
  if (f.plans.empty()) {
    MutedText(Tr(S::kNoPlan));
    return;
  }
  for (const auto& plan : f.plans) {
    ImGui::PushID(plan.id.c_str());
    SectionHeading((std::string(Tr(S::kVersion)) + " " + std::to_string(plan.version) + " — " +
                    FormatDate(plan.created_on) + " (" + Tr(plan.status) + ")")
                       .c_str(),
                   fonts_.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::Text("%s: %s", Tr(S::kNextReview), FormatDate(plan.next_review_on).c_str());
    ImGui::PopStyleColor();
    DrawCountersignature(snap, "res_plan", plan.id, plan.status != client::PlanStatus::kSuperseded,
                         plan.author_id, "plan_" + std::to_string(plan.version));
    if (ImGui::BeginTable("goals", 4, kListFlags)) {
      ImGui::TableSetupColumn(Tr(S::kGoal), 0, 2.0f);
      ImGui::TableSetupColumn(Tr(S::kNeeds), 0, 1.3f);
      ImGui::TableSetupColumn(Tr(S::kInterventions), 0, 2.5f);
      ImGui::TableSetupColumn(Tr(S::kReviewOn), 0, 0.9f);
      ImGui::TableHeadersRow();
      for (const auto& g : plan.goals) {
        ImGui::PushID(g.id.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", g.goal.c_str());
        ImGui::TableNextColumn();
        TextOrDash(g.need ? Tr(*g.need) : "");
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", g.interventions.c_str());
        ImGui::TableNextColumn();
        TextOrDash(FormatDate(g.review_on));
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
    ImGui::PopID();
  }
}

}  // namespace lietvedis::ui
