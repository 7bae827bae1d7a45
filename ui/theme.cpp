#include "ui/theme.hpp"

namespace lietvedis::ui {
namespace {

ImVec4 Rgb(int r, int g, int b, float a = 1.0f) {
  return ImVec4(static_cast<float>(r) / 255.0f, static_cast<float>(g) / 255.0f,
                static_cast<float>(b) / 255.0f, a);
}

Palette MakePalette() {
  Palette p{};
  p.text = Rgb(0x1F, 0x29, 0x33);
  p.text_muted = Rgb(0x5F, 0x6B, 0x7A);
  p.accent = Rgb(0x1F, 0x5F, 0x8B);
  p.accent_soft = Rgb(0xDC, 0xE8, 0xF2);
  p.danger = Rgb(0xB0, 0x2A, 0x2A);
  p.warning = Rgb(0xA8, 0x6A, 0x00);
  p.ok = Rgb(0x2E, 0x7D, 0x32);
  p.surface = Rgb(0xFA, 0xFB, 0xFC);
  p.surface_alt = Rgb(0xEE, 0xF1, 0xF4);
  p.border = Rgb(0xC9, 0xD1, 0xDA);
  p.risk_low = Rgb(0x5B, 0x9A, 0x68);
  p.risk_medium = Rgb(0xD6, 0xA3, 0x2E);
  p.risk_high = Rgb(0xD9, 0x6C, 0x2F);
  p.risk_very_high = Rgb(0xB0, 0x2A, 0x2A);
  p.risk_none = Rgb(0x9A, 0xA5, 0xB1);
  p.chart[0] = Rgb(0x1F, 0x5F, 0x8B);
  p.chart[1] = Rgb(0x4F, 0x9D, 0xA6);
  p.chart[2] = Rgb(0xD6, 0xA3, 0x2E);
  p.chart[3] = Rgb(0xB0, 0x2A, 0x2A);
  p.chart[4] = Rgb(0x7A, 0x6F, 0xAE);
  p.chart[5] = Rgb(0x5B, 0x9A, 0x68);
  return p;
}

Palette g_palette = MakePalette();

}  // namespace

const Palette& Colors() {
  return g_palette;
}

ImVec4 ClearColor() {
  return Rgb(0xE9, 0xED, 0xF1);
}

void ApplyTheme(float scale) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(12, 10);
  style.FramePadding = ImVec2(7, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.ItemInnerSpacing = ImVec2(6, 4);
  style.CellPadding = ImVec2(6, 3);
  style.IndentSpacing = 18;
  style.ScrollbarSize = 13;
  style.GrabMinSize = 10;
  style.WindowRounding = 0;
  style.ChildRounding = 3;
  style.FrameRounding = 3;
  style.PopupRounding = 3;
  style.ScrollbarRounding = 3;
  style.GrabRounding = 3;
  style.TabRounding = 3;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 1;
  style.FrameBorderSize = 1;
  style.PopupBorderSize = 1;
  style.TabBorderSize = 0;
  style.ScaleAllSizes(scale);

  const Palette& p = g_palette;
  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = p.text;
  c[ImGuiCol_TextDisabled] = p.text_muted;
  c[ImGuiCol_WindowBg] = ClearColor();
  c[ImGuiCol_ChildBg] = p.surface;
  c[ImGuiCol_PopupBg] = p.surface;
  c[ImGuiCol_Border] = p.border;
  c[ImGuiCol_FrameBg] = Rgb(0xFF, 0xFF, 0xFF);
  c[ImGuiCol_FrameBgHovered] = Rgb(0xF2, 0xF7, 0xFB);
  c[ImGuiCol_FrameBgActive] = Rgb(0xE6, 0xF0, 0xF7);
  c[ImGuiCol_TitleBg] = p.surface_alt;
  c[ImGuiCol_TitleBgActive] = p.accent_soft;
  c[ImGuiCol_MenuBarBg] = p.surface;
  c[ImGuiCol_ScrollbarBg] = Rgb(0, 0, 0, 0.02f);
  c[ImGuiCol_CheckMark] = p.accent;
  c[ImGuiCol_SliderGrab] = p.accent;
  c[ImGuiCol_Button] = Rgb(0xF4, 0xF6, 0xF8);
  c[ImGuiCol_ButtonHovered] = p.accent_soft;
  c[ImGuiCol_ButtonActive] = Rgb(0xC4, 0xD8, 0xE8);
  c[ImGuiCol_Header] = p.accent_soft;
  c[ImGuiCol_HeaderHovered] = Rgb(0xE4, 0xEE, 0xF6);
  c[ImGuiCol_HeaderActive] = Rgb(0xC4, 0xD8, 0xE8);
  c[ImGuiCol_Separator] = p.border;
  c[ImGuiCol_Tab] = p.surface_alt;
  c[ImGuiCol_TabHovered] = p.accent_soft;
  c[ImGuiCol_TabActive] = p.surface;
  c[ImGuiCol_TabUnfocused] = p.surface_alt;
  c[ImGuiCol_TabUnfocusedActive] = p.surface;
  c[ImGuiCol_TableHeaderBg] = p.surface_alt;
  c[ImGuiCol_TableBorderStrong] = p.border;
  c[ImGuiCol_TableBorderLight] = Rgb(0xE1, 0xE6, 0xEB);
  c[ImGuiCol_TableRowBg] = Rgb(0xFF, 0xFF, 0xFF);
  c[ImGuiCol_TableRowBgAlt] = Rgb(0xF6, 0xF8, 0xFA);
  c[ImGuiCol_PlotHistogram] = p.accent;
  c[ImGuiCol_NavHighlight] = p.accent;
  c[ImGuiCol_ModalWindowDimBg] = Rgb(0x20, 0x28, 0x30, 0.35f);
  ImGui::GetStyle() = style;
}

}  // namespace lietvedis::ui
