#include "ui/date_input.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "client/validation.hpp"
#include "ui/i18n.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {
namespace {

constexpr S kMonthNames[12] = {S::kMonthJanuary, S::kMonthFebruary, S::kMonthMarch,
                               S::kMonthApril,   S::kMonthMay,      S::kMonthJune,
                               S::kMonthJuly,    S::kMonthAugust,   S::kMonthSeptember,
                               S::kMonthOctober, S::kMonthNovember, S::kMonthDecember};
constexpr S kWeekdays[7] = {S::kWeekdayMon, S::kWeekdayTue, S::kWeekdayWed, S::kWeekdayThu,
                            S::kWeekdayFri, S::kWeekdaySat, S::kWeekdaySun};

// Today as the Workspace counts it (the day in Latvia), so the outlined day is the day the
// agenda calls today.
void Today(int* year, int* month, int* day) {
  const std::string today = client::TodayIso();
  *year = std::stoi(today.substr(0, 4));
  *month = std::stoi(today.substr(5, 2));
  *day = std::stoi(today.substr(8, 2));
}

std::string DayMonthYear(int year, int month, int day) {
  char buf[40];  // room for any int: GCC -O2 checks the worst case (-Wformat-truncation)
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", day, month, year);
  return buf;
}

// A small calendar drawn with the draw list inside the button's rectangle (no icon glyph is
// loaded): a frame, its top bar and two rows of day dots.
void DrawCalendarIcon(ImVec2 min, ImVec2 max, ImU32 color) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float w = max.x - min.x, h = max.y - min.y;
  const ImVec2 a(min.x + w * 0.24f, min.y + h * 0.26f), b(max.x - w * 0.24f, max.y - h * 0.22f);
  dl->AddRect(a, b, color, 0.0f, 0, 1.0f);
  dl->AddRectFilled(a, ImVec2(b.x, a.y + (b.y - a.y) * 0.28f), color);
  const float cw = (b.x - a.x) / 4.0f, ch = (b.y - a.y) * 0.72f / 3.0f;
  for (int r = 1; r <= 2; ++r) {
    for (int c = 1; c <= 3; ++c) {
      const ImVec2 p(a.x + cw * static_cast<float>(c),
                     a.y + (b.y - a.y) * 0.28f + ch * static_cast<float>(r));
      dl->AddRectFilled(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + 1, p.y + 1), color);
    }
  }
}

}  // namespace

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

int WeekdayMondayFirst(int year, int month, int day) {
  // Days from 1970-01-01 (H. Hinnant's days_from_civil); 1970-01-01 was a Thursday.
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long days = static_cast<long>(era) * 146097 + doe - 719468;
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

bool ParseDayMonthYear(std::string_view text, int* year, int* month, int* day) {
  int parts[3] = {0, 0, 0};
  int digits[3] = {0, 0, 0};
  int part = 0;
  for (char c : text) {
    if (c == '.') {
      if (++part > 2) return false;
    } else if (c >= '0' && c <= '9') {
      parts[part] = parts[part] * 10 + (c - '0');
      if (++digits[part] > 4) return false;
    } else {
      return false;
    }
  }
  if (part != 2 || digits[0] == 0 || digits[0] > 2 || digits[1] == 0 || digits[1] > 2 ||
      digits[2] != 4)
    return false;
  if (parts[1] < 1 || parts[1] > 12 || parts[0] < 1 || parts[0] > DaysInMonth(parts[2], parts[1]))
    return false;
  *day = parts[0];
  *month = parts[1];
  *year = parts[2];
  return true;
}

bool DateInput(const char* label, std::string* value, ImGuiInputTextFlags flags, const char* hint) {
  std::string_view label_view(label);
  std::string id(label_view.substr(label_view.rfind('#') + 1));
  const ImGuiStyle& style = ImGui::GetStyle();
  const float button_w = ImGui::GetFrameHeight();
  const float spacing = style.ItemInnerSpacing.x;
  const float width = ImGui::CalcItemWidth();  // honours the caller's SetNextItemWidth

  // The parent window's storage keeps the month shown while the popup is open and whether the
  // field takes the focus back after a pick (next frame, before the field is drawn).
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const std::string popup_name = "##calendar_" + id;
  const ImGuiID shown_key = ImGui::GetID((popup_name + "_shown").c_str());
  const ImGuiID refocus_key = ImGui::GetID((popup_name + "_refocus").c_str());
  if (storage->GetBool(refocus_key)) {
    storage->SetBool(refocus_key, false);
    ImGui::SetKeyboardFocusHere();
  }
  ImGui::SetNextItemWidth(std::max(width - button_w - spacing, button_w * 3.0f));
  const bool result =
      InputTextWithHint(label, hint != nullptr ? hint : Tr(S::kDateHint), value, flags);
  ImGuiContext& g = *GImGui;
  const ImGuiLastItemData field_item = g.LastItemData;
  const ImVec2 field_min = ImGui::GetItemRectMin();
  const ImVec2 field_max = ImGui::GetItemRectMax();
  // The date part of the value (a time may follow after a space).
  const std::size_t date_end = std::min(value->find(' '), value->size());
  const std::string_view date_part(value->data(), date_end);

  ImGui::SameLine(0, spacing);
  const std::string button_label = "##" + id + "_calendar";
  if (Button(button_label.c_str(), ImVec2(button_w, button_w))) {
    int y = 0, m = 0, d = 0;
    if (!ParseDayMonthYear(date_part, &y, &m, &d)) Today(&y, &m, &d);
    storage->SetInt(shown_key, y * 12 + (m - 1));
    ImGui::OpenPopup(popup_name.c_str());
  }
  DrawCalendarIcon(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                   ImGui::GetColorU32(ImGuiCol_Text));
  if (ImGui::IsItemHovered()) Tooltip(Tr(S::kCalendarOpen));

  ImGui::SetNextWindowPos(ImVec2(field_min.x, field_max.y + style.ItemSpacing.y),
                          ImGuiCond_Appearing);
  if (!ImGui::BeginPopup(popup_name.c_str())) {
    g.LastItemData = field_item;
    return result;
  }

  int shown = storage->GetInt(shown_key, 0);
  int selected_y = 0, selected_m = 0, selected_d = 0;
  const bool has_value = ParseDayMonthYear(date_part, &selected_y, &selected_m, &selected_d);
  int today_y = 0, today_m = 0, today_d = 0;
  Today(&today_y, &today_m, &today_d);

  // Navigation: « ‹ month year › ».
  const float cell = ImGui::GetFontSize() * 2.2f;
  const float grid_w = cell * 7.0f + style.CellPadding.x * 14.0f;
  if (Button("«##cal_prev_year")) shown -= 12;
  ImGui::SameLine();
  if (ImGui::ArrowButton("##cal_prev_month", ImGuiDir_Left)) shown -= 1;
  Items().TrackLast("##cal_prev_month");
  const int year = shown / 12, month = shown % 12 + 1;
  char title[64];
  if (Language() == Lang::kLv) {
    std::snprintf(title, sizeof title, "%d. gada %s", year, Tr(kMonthNames[month - 1]));
  } else {
    std::snprintf(title, sizeof title, "%s %d", Tr(kMonthNames[month - 1]), year);
  }
  const float nav_w = button_w * 2.0f + style.ItemSpacing.x * 2.0f;
  const float title_w = ImGui::CalcTextSize(title).x;
  ImGui::SameLine(std::max(nav_w, (grid_w - title_w) * 0.5f));
  ImGui::TextUnformatted(title);
  ImGui::SameLine(std::max(nav_w + title_w + style.ItemSpacing.x, grid_w - nav_w));
  if (ImGui::ArrowButton("##cal_next_month", ImGuiDir_Right)) shown += 1;
  Items().TrackLast("##cal_next_month");
  ImGui::SameLine();
  if (Button("»##cal_next_year")) shown += 12;
  storage->SetInt(shown_key, shown);

  // The month's days, Monday first; the field's day selected, today outlined.
  bool picked = false;
  int pick_y = 0, pick_m = 0, pick_d = 0;
  ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.5f, 0.5f));
  if (ImGui::BeginTable("##cal_days", 7, ImGuiTableFlags_SizingFixedSame)) {
    for (int c = 0; c < 7; ++c) ImGui::TableSetupColumn(nullptr, 0, cell);
    ImGui::TableNextRow();
    for (int c = 0; c < 7; ++c) {
      ImGui::TableNextColumn();
      const char* name = Tr(kWeekdays[c]);
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (cell - ImGui::CalcTextSize(name).x) * 0.5f);
      ImGui::TextDisabled("%s", name);
    }
    const int first = WeekdayMondayFirst(year, month, 1);
    const int days = DaysInMonth(year, month);
    ImGui::TableNextRow();
    for (int c = 0; c < first; ++c) ImGui::TableNextColumn();
    for (int d = 1; d <= days; ++d) {
      ImGui::TableNextColumn();
      const std::string day_label = std::to_string(d) + "##cal_day_" + std::to_string(d);
      const bool selected =
          has_value && selected_y == year && selected_m == month && selected_d == d;
      if (Selectable(day_label.c_str(), selected, 0, ImVec2(cell, 0))) {
        picked = true;
        pick_y = year;
        pick_m = month;
        pick_d = d;
      }
      if (today_y == year && today_m == month && today_d == d) {
        ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                            ImGui::GetColorU32(Colors().accent), 2.0f, 0, 1.5f);
      }
    }
    ImGui::EndTable();
  }
  ImGui::PopStyleVar();
  if (Button(Id(S::kToday, "cal_today").c_str())) {
    picked = true;
    pick_y = today_y;
    pick_m = today_m;
    pick_d = today_d;
  }
  if (picked) {
    *value = DayMonthYear(pick_y, pick_m, pick_d) + value->substr(date_end);
    storage->SetBool(refocus_key, true);
    ImGui::CloseCurrentPopup();
  }
  EndPopup();
  g.LastItemData = field_item;
  return result;
}

}  // namespace lietvedis::ui
