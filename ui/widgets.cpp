#include "ui/widgets.hpp"

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "ui/script.hpp"
#include "ui/theme.hpp"

namespace lietvedis::ui {
namespace {

void SplitLabel(const char* label, std::string* visible, std::string* id) {
  std::string_view s(label);
  const auto pos = s.find("##");
  if (pos == std::string_view::npos) {
    *visible = std::string(s);
    id->clear();
    return;
  }
  *visible = std::string(s.substr(0, pos));
  std::string_view rest = s.substr(pos + 2);
  if (!rest.empty() && rest.front() == '#') rest.remove_prefix(1);
  *id = std::string(rest);
}

}  // namespace

ItemRegistry& Items() {
  static ItemRegistry registry;
  return registry;
}

void ItemRegistry::TrackLast(const char* label) {
  TrackedItem item;
  SplitLabel(label, &item.label, &item.id);
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  item.window = window != nullptr ? window->Name : "";
  item.min = ImGui::GetItemRectMin();
  item.max = ImGui::GetItemRectMax();
  item.imgui_id = ImGui::GetItemID();
  items_.push_back(std::move(item));
}

const TrackedItem* ItemRegistry::Find(std::string_view query) const {
  const TrackedItem* found = nullptr;
  if (!query.empty() && query.front() == '#') {
    std::string_view id = query.substr(1);
    for (const auto& item : items_) {
      if (item.id == id) found = &item;
    }
    return found;
  }
  std::string_view window_prefix;
  std::string_view label = query;
  const auto slash = query.rfind('/');
  if (slash != std::string_view::npos && slash > 0) {
    window_prefix = query.substr(0, slash);
    label = query.substr(slash + 1);
  }
  for (const auto& item : items_) {
    if (item.label != label) continue;
    if (!window_prefix.empty() && item.window.find(window_prefix) == std::string::npos) continue;
    found = &item;
  }
  return found;
}

bool Button(const char* label, const ImVec2& size) {
  const bool r = ImGui::Button(label, size);
  Items().TrackLast(label);
  return r;
}

bool SmallButton(const char* label) {
  const bool r = ImGui::SmallButton(label);
  Items().TrackLast(label);
  return r;
}

bool Checkbox(const char* label, bool* v) {
  const bool r = ImGui::Checkbox(label, v);
  Items().TrackLast(label);
  return r;
}

bool RadioButton(const char* label, bool active) {
  const bool r = ImGui::RadioButton(label, active);
  Items().TrackLast(label);
  return r;
}

bool Selectable(const char* label, bool selected, ImGuiSelectableFlags flags, const ImVec2& size) {
  const bool r = ImGui::Selectable(label, selected, flags, size);
  Items().TrackLast(label);
  return r;
}

bool InputText(const char* label, std::string* value, ImGuiInputTextFlags flags) {
  const bool r = ImGui::InputText(label, value, flags);
  Items().TrackLast(label);
  return r;
}

bool InputTextWithHint(const char* label, const char* hint, std::string* value,
                       ImGuiInputTextFlags flags) {
  const bool r = ImGui::InputTextWithHint(label, hint, value, flags);
  Items().TrackLast(label);
  return r;
}

bool InputTextMultiline(const char* label, std::string* value, const ImVec2& size) {
  const bool r = ImGui::InputTextMultiline(label, value, size);
  Items().TrackLast(label);
  return r;
}

bool BeginCombo(const char* label, const char* preview, ImGuiComboFlags flags) {
  const bool r = ImGui::BeginCombo(label, preview, flags);
  // BeginCombo leaves the combo frame as the last item only when closed; when open the popup
  // window is current, so track before the popup's items by using the stored rect of the frame.
  if (!r) Items().TrackLast(label);
  return r;
}

bool BeginTabItem(const char* label, bool* open, ImGuiTabItemFlags flags) {
  const bool r = ImGui::BeginTabItem(label, open, flags);
  Items().TrackLast(label);
  return r;
}

void EndCombo() {
  HarvestTextCapture();
  ImGui::EndCombo();
  ResumeTextCapture();
}

void EndPopup() {
  HarvestTextCapture();
  ImGui::EndPopup();
  ResumeTextCapture();
}

void Tooltip(const char* text) {
  HarvestTextCapture();
  ImGui::SetTooltip("%s", text);
  ResumeTextCapture();
}

bool PrimaryButton(const char* label, const ImVec2& size) {
  const Palette& p = Colors();
  ImGui::PushStyleColor(ImGuiCol_Button, p.accent);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                        ImVec4(p.accent.x * 1.15f, p.accent.y * 1.15f, p.accent.z * 1.15f, 1));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive,
                        ImVec4(p.accent.x * 0.9f, p.accent.y * 0.9f, p.accent.z * 0.9f, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const bool r = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  Items().TrackLast(label);
  return r;
}

}  // namespace lietvedis::ui
