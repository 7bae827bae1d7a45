// The supervisor's unit settings, shown on the dashboard in place of the indicators
// (*Struktūrvienības iestatījumi*): the contact interval per risk level, how long a closed case
// of each kind stays on devices (`retention.<kind>_days`, client/retention.hpp) and the
// casework settings (warnings before a court application, community work hours a day, the
// coordinator's card grace period). Each row shows the stored value or the default the core
// applies, and saves one setting (SetUnitSetting, as `lietvedis unit set`); the core checks
// every value, its kValidation message shows under the row's field and nothing is written when
// refused. Enter in a field saves that row.
#include <imgui.h>

#include <cstdio>
#include <string>

#include "client/retention.hpp"
#include "client/unit_settings.hpp"
#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

enum class Group { kContact, kRetention, kOther };

struct Offered {
  Group group;
  std::string name;
  std::int64_t default_value;
};

// Every setting the screen offers with the default the core applies when it is unset:
// from client/unit_settings.hpp and client/retention.hpp.
std::vector<Offered> OfferedSettings() {
  std::vector<Offered> out;
  for (const auto& d : client::kContactIntervalDefaults) {
    out.push_back({Group::kContact,
                   std::string(client::kContactIntervalPrefix) + std::string(d.level), d.days});
  }
  for (const auto& [kind, code] : client::EnumCodes<client::CaseKind>::kTable) {
    out.push_back({Group::kRetention, client::RetentionSettingName(code),
                   client::DefaultRetentionDays(code)});
  }
  out.push_back({Group::kOther, std::string(client::kWarningThresholdSetting),
                 client::kDefaultWarningThreshold});
  out.push_back(
      {Group::kOther, std::string(client::kMaxHoursPerDaySetting), client::kDefaultMaxHoursPerDay});
  out.push_back(
      {Group::kOther, std::string(client::kCardGraceSetting), client::kDefaultCardGraceDays});
  return out;
}

Group GroupOf(const std::string& name) {
  if (name.rfind("contact_interval_days.", 0) == 0) return Group::kContact;
  if (name.rfind("retention.", 0) == 0) return Group::kRetention;
  return Group::kOther;
}

// A setting's name in words: the risk level, the case kind or the casework setting.
std::string SettingLabel(const std::string& name) {
  static constexpr std::pair<std::string_view, client::RiskLevel> kLevels[] = {
      {"contact_interval_days.low", client::RiskLevel::kLow},
      {"contact_interval_days.medium", client::RiskLevel::kMedium},
      {"contact_interval_days.high", client::RiskLevel::kHigh},
      {"contact_interval_days.very_high", client::RiskLevel::kVeryHigh},
  };
  for (const auto& [n, level] : kLevels) {
    if (name == n) return Tr(level);
  }
  if (name == "contact_interval_days.unassessed") return Tr(S::kNotAssessed);
  for (const auto& [kind, code] : client::EnumCodes<client::CaseKind>::kTable) {
    if (name == client::RetentionSettingName(code)) return Tr(kind);
  }
  if (name == client::kWarningThresholdSetting) return Tr(S::kWarningsForCourt);
  if (name == client::kMaxHoursPerDaySetting) return Tr(S::kMaxHoursPerDay);
  if (name == client::kCardGraceSetting) return Tr(S::kCardGraceDays);
  return name;
}

}  // namespace

Result<std::vector<UnitSettingRow>> ReadUnitSettings(client::Workspace& ws) {
  std::vector<UnitSettingRow> rows;
  for (const Offered& o : OfferedSettings()) {
    LV_ASSIGN(std::string value, ws.UnitSetting(o.name));
    rows.push_back({o.name, std::move(value), o.default_value});
  }
  return rows;
}

void App::DrawUnitSettings(const DashboardView& view) {
  UnitSettingsState& state = unit_settings_state_;
  ImGui::Spacing();
  static constexpr std::pair<Group, S> kGroups[] = {
      {Group::kContact, S::kContactIntervals},
      {Group::kRetention, S::kRetentionPeriods},
      {Group::kOther, S::kOtherSettings},
  };
  std::string save;  // the row whose save was asked this frame
  for (const auto& [group, heading] : kGroups) {
    SectionHeading(Tr(heading), fonts_.bold);
    const std::string table_id = "unit_settings_" + std::to_string(static_cast<int>(group));
    if (!ImGui::BeginTable(table_id.c_str(), 4,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                               ImGuiTableFlags_SizingStretchProp))
      continue;
    ImGui::TableSetupColumn(Tr(S::kSetting), 0, 3.0f);
    ImGui::TableSetupColumn(Tr(S::kCurrentValue), 0, 1.5f);
    ImGui::TableSetupColumn(Tr(S::kNewValue), 0, 2.0f);
    ImGui::TableSetupColumn("##save", 0, 1.0f);
    ImGui::TableHeadersRow();
    for (const UnitSettingRow& row : view.unit_settings) {
      if (GroupOf(row.name) != group) continue;
      ImGui::PushID(row.name.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(SettingLabel(row.name).c_str());
      ImGui::TableNextColumn();
      if (row.value.empty()) {
        char buf[96];
        std::snprintf(buf, sizeof buf, Tr(S::kDefaultValue),
                      static_cast<long long>(row.default_value));
        MutedText(buf);
      } else {
        ImGui::TextUnformatted(row.value.c_str());
      }
      ImGui::TableNextColumn();
      ImGui::BeginDisabled(!state.saving.empty());
      ImGui::SetNextItemWidth(-1);
      const std::string input_id = "##setting_" + row.name;
      if (InputText(input_id.c_str(), &state.typed[row.name], ImGuiInputTextFlags_EnterReturnsTrue))
        save = row.name;
      if (state.error_name == row.name) FieldErrorLine(state.error, state.error.field);
      ImGui::TableNextColumn();
      if (Button(Id(S::kSave, ("setting_save_" + row.name).c_str()).c_str())) save = row.name;
      ImGui::EndDisabled();
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (save.empty() || !state.saving.empty()) return;
  state.saving = save;
  state.error.Clear();
  state.error_name.clear();
  client::SetUnitSetting cmd{save, state.typed[save]};
  Execute(std::move(cmd), [this, save](const Result<std::string>& r) {
    UnitSettingsState& done = unit_settings_state_;
    done.saving.clear();
    if (!r.ok()) {
      done.error = ToFieldError(r.error());
      done.error_name = save;
      return;
    }
    done.typed.erase(save);
  });
}

}  // namespace lietvedis::ui
