// Small drawing helpers shared by the screens (main thread, inside a frame).
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <string_view>

#include "client/model.hpp"
#include "ui/app.hpp"
#include "ui/i18n.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

// em(x): x times the current font size (every size on screen is a multiple of it).
inline float Em(float x) {
  return x * ImGui::GetFontSize();
}

// A heading inside a panel: bold text and a thin separator below.
void SectionHeading(const char* text, ImFont* bold);
// A "label: value" row of a two-column key/value table (call between BeginTable/EndTable).
void KeyValueRow(const char* key, std::string_view value);
// A coloured risk chip ("Augsts"); "Nav novērtēts" when absent.
void RiskBadge(const std::optional<client::RiskLevel>& risk);
ImVec4 RiskColor(const std::optional<client::RiskLevel>& risk);
// A muted line of text.
void MutedText(const char* text);
// A form field label above its input, with the inline error under it when `error.field`
// equals `field` (the Workspace names fields in its kValidation messages).
void FieldLabel(const char* label);
void FieldErrorLine(const FieldError& error, std::string_view field);
// A labelled one-line field in a form table's next column, its inline error under it: text,
// or a date (typed dd.mm.yyyy or picked in the calendar, ui/date_input.hpp). True when Enter
// was pressed in it.
enum class FieldKind { kText, kDate };
bool TableField(const char* label, const char* id, std::string* value, const FieldError& error,
                std::string_view field, FieldKind kind = FieldKind::kText);
// Splits "field: problem" into a FieldError (the problem worded in the current language when
// known); a message without a field gives field "".
FieldError ToFieldError(const Error& error);
// The Latvian wording of a kValidation problem (the part after "field: "), or nullopt when the
// table has none.
std::optional<std::string> ValidationWordingLv(std::string_view problem);
// kValidation messages ToFieldError met in Latvian mode without a wording, since the last call
// (main thread). Scripted runs fail on any (tests/ui).
std::vector<std::string> TakeUntranslatedMessages();
// Keyboard paths of a form (main thread, inside a frame): Escape pressed this frame while no
// popup or combo is open cancels the form that asks. Enter submits through the form's inputs
// (ImGuiInputTextFlags_EnterReturnsTrue), so it needs no helper.
bool FormCancelPressed();
// Escape pressed in the text field just drawn (ImGui leaves the field on Escape): forms that
// stay open on their tab (contact, note) clear on it rather than on any Escape of the page.
bool FieldCancelPressed();
// Ctrl+Enter pressed in the multi-line field just drawn (Enter alone starts a new line).
bool FieldCtrlEnterPressed();
// A spinner drawn with the draw list (radius in ems), for jobs of unknown length.
void Spinner(float radius_em);
// Text, or a muted dash when empty.
void TextOrDash(std::string_view text);

// A combo over every value of a domain enum, labelled in the current language; `id` is the
// widget's "##id". Returns true when the value changed.
template <class E>
bool EnumCombo(const char* id, E* value) {
  bool changed = false;
  ImGui::SetNextItemWidth(-1);
  if (BeginCombo(id, Tr(*value))) {
    const int n = static_cast<int>(client::AllCodes<E>().size());
    for (int i = 0; i < n; ++i) {
      ImGui::PushID(i);
      const E v = static_cast<E>(i);
      if (Selectable(Tr(v), *value == v)) {
        *value = v;
        changed = true;
      }
      ImGui::PopID();
    }
    EndCombo();
  }
  return changed;
}

}  // namespace lietvedis::ui
