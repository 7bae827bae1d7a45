// Theme: a calm, light, dense look for a tool kept open all day. Sizes scale with the font
// (style sizes are multiplied by the content scale); colours are named by meaning so screens
// never pick raw RGB.
#pragma once

#include <imgui.h>

namespace lietvedis::ui {

struct Palette {
  ImVec4 text, text_muted, accent, accent_soft, danger, warning, ok, surface, surface_alt, border;
  ImVec4 risk_low, risk_medium, risk_high, risk_very_high, risk_none;
  ImVec4 chart[6];
};

// Applies the style and colours to the current ImGui context. `scale` is the monitor's
// content scale (1.0 on a 96-dpi screen). Main thread.
void ApplyTheme(float scale);
// The palette ApplyTheme installed.
const Palette& Colors();

// The background the main window clears to (matches the window background).
ImVec4 ClearColor();

}  // namespace lietvedis::ui
