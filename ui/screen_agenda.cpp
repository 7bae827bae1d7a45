// Agenda: today's and this week's planned contacts and the overdue cases, each row opening the
// case file.
#include <imgui.h>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

void App::DrawAgenda() {
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavAgenda));
  ImGui::PopFont();
  if (!agenda_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const AgendaView& a = *agenda_;
  auto list = [this](const char* id, const char* title, const std::vector<AgendaItem>& items, bool red) {
    ImGui::BeginChild(id, ImVec2(0, 0), true);
    ImGui::PushFont(fonts_.bold);
    ImGui::Text("%s  (%zu)", title, items.size());
    ImGui::PopFont();
    ImGui::Separator();
    if (items.empty()) MutedText(Tr(S::kNothingHere));
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(items.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const auto& item = items[static_cast<std::size_t>(i)];
        ImGui::PushID(item.case_id.c_str());
        const std::string when = item.when.empty() ? std::string("—") : FormatTimestamp(item.when);
        const std::string label = item.surname + " " + item.name;
        if (red) ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
        if (Selectable((when + "   " + label).c_str(), false)) OpenCase(item.case_id);
        if (red) ImGui::PopStyleColor();
        ImGui::PopID();
      }
    }
    ImGui::EndChild();
  };
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float col_w = (ImGui::GetContentRegionAvail().x - spacing * 2) / 3;
  ImGui::BeginGroup();
  ImGui::PushItemWidth(col_w);
  ImGui::BeginChild("today_col", ImVec2(col_w, 0), false);
  list("today", (std::string(Tr(S::kToday)) + " " + FormatDate(a.today)).c_str(), a.today_items, false);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("week_col", ImVec2(col_w, 0), false);
  list("week", Tr(S::kThisWeek), a.week_items, false);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("overdue_col", ImVec2(0, 0), false);
  list("overdue", Tr(S::kOverdueContacts), a.overdue_items, true);
  ImGui::EndChild();
  ImGui::PopItemWidth();
  ImGui::EndGroup();
}

}  // namespace lietvedis::ui
