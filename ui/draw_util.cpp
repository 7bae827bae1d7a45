#include "ui/draw_util.hpp"

#include <cmath>

namespace lietvedis::ui {

void SectionHeading(const char* text, ImFont* bold) {
  ImGui::Spacing();
  if (bold != nullptr) ImGui::PushFont(bold);
  ImGui::TextUnformatted(text);
  if (bold != nullptr) ImGui::PopFont();
  ImGui::Separator();
}

void KeyValueRow(const char* key, std::string_view value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(key);
  ImGui::PopStyleColor();
  ImGui::TableNextColumn();
  TextOrDash(value);
}

ImVec4 RiskColor(const std::optional<client::RiskLevel>& risk) {
  const Palette& p = Colors();
  if (!risk) return p.risk_none;
  switch (*risk) {
    case client::RiskLevel::kLow:
      return p.risk_low;
    case client::RiskLevel::kMedium:
      return p.risk_medium;
    case client::RiskLevel::kHigh:
      return p.risk_high;
    case client::RiskLevel::kVeryHigh:
      return p.risk_very_high;
  }
  return p.risk_none;
}

void RiskBadge(const std::optional<client::RiskLevel>& risk) {
  const char* label = risk ? Tr(*risk) : Tr(S::kNotAssessed);
  const ImVec4 color = RiskColor(risk);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  const float dot = h * 0.32f;
  dl->AddCircleFilled(ImVec2(pos.x + dot, pos.y + h * 0.5f), dot, ImGui::GetColorU32(color));
  ImGui::SetCursorScreenPos(ImVec2(pos.x + dot * 2 + ImGui::GetStyle().ItemInnerSpacing.x, pos.y));
  if (!risk) ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(label);
  if (!risk) ImGui::PopStyleColor();
}

void MutedText(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

void FieldLabel(const char* label) {
  // Table rows carry the text baseline of the tallest widget before them across columns;
  // aligning every label to frame padding keeps a form row's labels on one line.
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(label);
  ImGui::PopStyleColor();
}

void FieldErrorLine(const FieldError& error, std::string_view field) {
  if (error.message.empty()) return;
  const bool match = error.field == field || (field.empty() && error.field.empty());
  if (!match) return;
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
  ImGui::TextWrapped("%s", error.message.c_str());
  ImGui::PopStyleColor();
}

FieldError ToFieldError(const Error& error) {
  FieldError fe;
  if (error.code != Errc::kValidation) {
    fe.message = error.code == Errc::kNotPermitted ? Tr(S::kNotPermitted) : error.message;
    return fe;
  }
  const std::string& m = error.message;
  const auto colon = m.find(": ");
  std::string problem = m;
  if (colon != std::string::npos && m.find(' ') > colon) {
    fe.field = m.substr(0, colon);
    // "goals[0].goal" and similar: keep the leading field name.
    problem = m.substr(colon + 2);
  }
  const bool lv = Language() == Lang::kLv;
  struct Wording {
    const char* en;
    const char* lv;
  };
  static const Wording kWordings[] = {
      {"required", "obligāts lauks"},
      {"must be a date dd.mm.yyyy", "datums jānorāda formā dd.mm.gggg"},
      {"not a calendar date", "šāda datuma nav"},
      {"check digit", "nepareizs kontrolcipars"},
      {"must look like DDMMYY-XNNNN", "jānorāda formā DDMMGG-XNNNN"},
      {"the birth date part is not a date", "dzimšanas datuma daļa nav derīgs datums"},
      {"in the future", "datums ir nākotnē"},
      {"time must be HH:MM", "laiks jānorāda formā HH:MM"},
  };
  fe.message = problem;
  if (lv) {
    for (const auto& w : kWordings) {
      if (problem.find(w.en) != std::string::npos) fe.message = w.lv;
    }
  }
  return fe;
}

void Spinner(float radius_em) {
  const float r = Em(radius_em);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(r * 2, r * 2));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float t = static_cast<float>(ImGui::GetTime());
  const ImVec2 c(pos.x + r, pos.y + r);
  const int n = 24;
  const float start = t * 6.0f;
  dl->PathClear();
  for (int i = 0; i <= n; ++i) {
    const float a = start + static_cast<float>(i) / static_cast<float>(n) * 4.5f;
    dl->PathLineTo(ImVec2(c.x + std::cos(a) * r * 0.8f, c.y + std::sin(a) * r * 0.8f));
  }
  dl->PathStroke(ImGui::GetColorU32(Colors().accent), 0, r * 0.25f);
}

void TextOrDash(std::string_view text) {
  if (text.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::TextUnformatted("—");
    ImGui::PopStyleColor();
  } else {
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
  }
}

}  // namespace lietvedis::ui
