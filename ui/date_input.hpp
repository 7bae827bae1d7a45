// A date field: the officer types `dd.mm.yyyy` as in any text field, or presses the small
// calendar button beside it and picks the day in a popup (month and year navigation, weekday
// headers Monday first in the current language, today outlined, the field's date selected). A
// picked day is written into the field as `dd.mm.yyyy` and the field takes the keyboard focus
// again, so Enter saves the form as after typing. The field's value is never validated here:
// the Workspace's command refuses a bad date and the form shows it under the field.
//
// Scripted runs find the parts by id (ui/script.hpp): for a field "##held_on" the button is
// "#held_on_calendar"; inside the open popup "#cal_prev_month", "#cal_next_month",
// "#cal_prev_year", "#cal_next_year", "#cal_today" and "#cal_day_N" (N the day of the month
// shown, 1–31). Only one popup is open at a time, so those ids are unique on screen.
//
// Threading: main thread, inside a frame.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>

namespace lietvedis::ui {

// `label` is the field's "##id" (no visible text; the form draws its label above). The field
// takes the width set by SetNextItemWidth (or the default), the button included. Returns what
// the input returns (true on Enter with ImGuiInputTextFlags_EnterReturnsTrue); picking a day
// changes `*value` but returns false, so a pick never submits a form by itself. After the call
// the input is ImGui's last item again (IsItemDeactivated, FieldCancelPressed see the field,
// not the button). A value with a time after the date ("05.03.2026 10:00") keeps its time when
// a day is picked; `hint` replaces the "dd.mm.yyyy" hint for such fields.
bool DateInput(const char* label, std::string* value,
               ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue,
               const char* hint = nullptr);

// Calendar arithmetic (proleptic Gregorian), public for tests.
int DaysInMonth(int year, int month);
// 0 = Monday … 6 = Sunday.
int WeekdayMondayFirst(int year, int month, int day);
// Parses `dd.mm.yyyy` (one- or two-digit day and month) into a real date; false otherwise.
bool ParseDayMonthYear(std::string_view text, int* year, int* month, int* day);

}  // namespace lietvedis::ui
