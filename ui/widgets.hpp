// Tracked widgets: thin wrappers over the ImGui widgets the scripted-input player needs to
// find by label. Each records the item's visible label, its "###id" (or "##id") part, the
// window it sits in and its screen rectangle into a per-frame registry; otherwise they behave
// exactly like the ImGui call they wrap.
//
// Labels follow ImGui's rules: "Saglabāt###save_contact" shows "Saglabāt" and keeps the ID
// stable when the language changes; scripts may name either the visible text or "#save_contact".
//
// Threading: main thread only (they call ImGui).
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

namespace lietvedis::ui {

struct TrackedItem {
  std::string window;    // name of the innermost window (child windows included)
  std::string label;     // the visible part of the label
  std::string id;        // the part after "##"/"###", or empty
  ImVec2 min, max;       // screen rectangle
  ImGuiID imgui_id = 0;  // ImGui's id of the item (expect_focus compares it with the active id)
};

class ItemRegistry {
 public:
  void BeginFrame() { items_.clear(); }
  // Records the last submitted ImGui item under `label`.
  void TrackLast(const char* label);
  // Finds an item: "#id" matches the id part; "Window/label" matches the window name prefix
  // and the visible label; otherwise the visible label must match exactly. Of several matches,
  // the last one drawn wins (the topmost popup or modal). nullptr when none.
  const TrackedItem* Find(std::string_view query) const;
  const std::vector<TrackedItem>& items() const { return items_; }

 private:
  std::vector<TrackedItem> items_;
};

// The registry of the current frame (process-wide; main thread).
ItemRegistry& Items();

bool Button(const char* label, const ImVec2& size = ImVec2(0, 0));
bool SmallButton(const char* label);
bool Checkbox(const char* label, bool* v);
bool RadioButton(const char* label, bool active);
bool Selectable(const char* label, bool selected, ImGuiSelectableFlags flags = 0,
                const ImVec2& size = ImVec2(0, 0));
bool InputText(const char* label, std::string* value, ImGuiInputTextFlags flags = 0);
bool InputTextWithHint(const char* label, const char* hint, std::string* value,
                       ImGuiInputTextFlags flags = 0);
bool InputTextMultiline(const char* label, std::string* value, const ImVec2& size);
bool BeginCombo(const char* label, const char* preview, ImGuiComboFlags flags = 0);
bool BeginTabItem(const char* label, bool* open = nullptr, ImGuiTabItemFlags flags = 0);
// Ends of top-level windows: they keep the scripted run's text capture going (ui/script.hpp).
void EndCombo();
void EndPopup();
void Tooltip(const char* text);

// A primary (accent-coloured) button.
bool PrimaryButton(const char* label, const ImVec2& size = ImVec2(0, 0));

}  // namespace lietvedis::ui
