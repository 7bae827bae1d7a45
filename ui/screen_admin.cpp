// The administrator's screen (*Administrēšana*): the organisation's users and devices as this
// device last verified them under the root key (sync::SyncEngine::LastDirectory, read on the
// worker), every revoked device with the signed reason and day, and for a device in service the
// command that revokes it. The revocation itself is signed with the organisation's root key,
// which the desktop never holds (docs/SERVER.md): the screen hands over the exact command. So
// for every other change of the directory: a unit, a user, a device's enrolment code, a user's
// deactivation or reactivation, a cover. Each is composed in a form whose fields are checked
// (units and officers picked from the verified directory; a cover's deputy an officer of the
// same unit, its days real days, the last not before the first nor past), and only a complete
// form shows its command.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "client/model.hpp"
#include "client/validation.hpp"
#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/i18n.hpp"
#include "ui/session.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {
namespace {

constexpr ImGuiTableFlags kAdminTableFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;

// A device silent this long is highlighted: the offline lock's default (docs/THREATS.md), after
// which an enrolled device stops opening case files until it syncs.
constexpr int kSilentDays = 14;

// `ms` since the epoch in Latvia's time (the service's clock); "—" for 0 (never).
std::string DayTime(std::int64_t ms) {
  return ms <= 0 ? "—" : client::ServiceDateTime(ms);
}
std::string Day(std::int64_t ms) {
  return ms <= 0 ? "—" : client::ServiceDateTime(ms).substr(0, 10);
}

// "2026-12-14" -> "14.12.2026".
std::string LatvianDay(const std::string& iso) {
  if (iso.size() != 10) return iso;
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

// The shell-quoted form of `text` (single quotes; an embedded quote closed and escaped).
std::string ShellQuoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::shared_ptr<const AdminView> MakeAdminView(Session& s) {
  auto view = std::make_shared<AdminView>();
  sync::SyncEngine* engine = s.engine();
  if (engine == nullptr || !engine->IsEnrolled()) return view;
  view->enrolled = true;
  auto known = engine->LastDirectory();
  if (!known.ok()) {
    view->error = known.error().code;
    return view;
  }
  const std::string self = engine->Profile().device_id;
  std::map<std::string, std::string> unit_names, user_names;
  for (const auto& u : known->current.units) unit_names[u.unit_id] = u.name;
  std::map<std::string, int> devices_of;
  for (const auto& d : known->current.devices) ++devices_of[d.user_id];
  for (const auto& u : known->current.users) {
    user_names[u.user_id] = u.display_name;
    AdminView::UserRow row;
    row.user_id = u.user_id;
    row.name = u.display_name;
    row.role = client::FromCode<client::Role>(u.role);
    const auto unit = unit_names.find(u.unit_id);
    row.unit = unit != unit_names.end() ? unit->second : std::string();
    row.unit_id = u.unit_id;
    row.active = u.active;
    row.devices = devices_of[u.user_id];
    view->users.push_back(std::move(row));
  }
  std::sort(view->users.begin(), view->users.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  auto name_of = [&](const std::string& user_id) {
    const auto it = user_names.find(user_id);
    return it != user_names.end() ? it->second : user_id;
  };
  for (const auto& d : known->current.devices) {
    AdminView::DeviceRow row;
    row.device_id = d.device_id;
    row.user_name = name_of(d.user_id);
    row.this_device = d.device_id == self;
    if (auto seen = known->seen.find(d.device_id); seen != known->seen.end()) {
      row.name = seen->second.name;
      row.last_seen_ms = seen->second.last_seen_ms;
    }
    view->devices.push_back(std::move(row));
  }
  std::sort(view->devices.begin(), view->devices.end(),
            [](const auto& a, const auto& b) { return a.user_name < b.user_name; });
  const std::size_t in_service = view->devices.size();
  for (const auto& r : known->revoked) {
    AdminView::DeviceRow row;
    row.device_id = r.device_id;
    row.user_name = r.user_id.empty() ? std::string("—") : name_of(r.user_id);
    row.revoked = true;
    row.reason = r.reason;
    row.revoked_at_ms = r.issued_at_ms;
    if (auto seen = known->seen.find(r.device_id); seen != known->seen.end()) {
      row.name = seen->second.name;
      row.last_seen_ms = seen->second.last_seen_ms;
    }
    view->devices.push_back(std::move(row));
  }
  std::sort(view->devices.begin() + static_cast<std::ptrdiff_t>(in_service), view->devices.end(),
            [](const auto& a, const auto& b) { return a.revoked_at_ms > b.revoked_at_ms; });
  for (const auto& c : known->current.covers) {
    view->covers.push_back({c.user_id, c.deputy_user_id, name_of(c.user_id),
                            name_of(c.deputy_user_id), c.from_day, c.until_day});
  }
  std::sort(view->covers.begin(), view->covers.end(),
            [](const auto& a, const auto& b) { return a.from_day < b.from_day; });
  for (const auto& [id, name] : unit_names) view->units.emplace_back(id, name);
  std::sort(view->units.begin(), view->units.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  if (client::Workspace* ws = s.workspace()) {
    auto programmes = ws->Programmes();
    if (programmes.ok()) view->programmes = std::move(*programmes);
  }
  view->server_url = engine->Profile().server_url;
  view->statements = known->head_n;
  view->seen_as_of_ms = known->seen_as_of_ms;
  return view;
}

}  // namespace

void App::RefreshAdmin() {
  Post("admin", [this](Session& s) -> TaskQueue::Completion {
    std::shared_ptr<const AdminView> snap = MakeAdminView(s);
    return [this, snap]() { admin_ = snap; };
  });
}

void App::DrawAdmin() {
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavAdmin));
  ImGui::PopFont();
  if (!admin_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const AdminView& v = *admin_;
  const Palette& p = Colors();
  ImGui::PushTextWrapPos(0);
  if (!v.enrolled) {
    MutedText(Tr(S::kAdminLocalOnly));
    ImGui::PopTextWrapPos();
    return;
  }
  if (v.error) {
    ImGui::PushStyleColor(ImGuiCol_Text, *v.error == Errc::kTampered ? p.danger : p.text_muted);
    ImGui::TextWrapped("%s",
                       Tr(*v.error == Errc::kTampered ? S::kAdminTampered : S::kAdminNotSynced));
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    return;
  }
  char line[1024];
  std::snprintf(line, sizeof line, Tr(S::kAdminIntro), static_cast<long long>(v.statements));
  MutedText(line);
  ImGui::PopTextWrapPos();

  SectionHeading(Tr(S::kAdminUsers), fonts_.bold);
  using Change = AdminState::Change;
  const auto begin_change = [this](Change change, const std::string& user_id) {
    const Change was = admin_state_.change;
    admin_state_ = AdminState{};
    admin_state_.change = was == change && user_id.empty() ? Change::kNone : change;
    admin_state_.user_id = user_id;
  };
  if (SmallButton(Id(S::kAdminNewUnit, "admin_new_unit").c_str())) begin_change(Change::kUnit, {});
  ImGui::SameLine();
  if (SmallButton(Id(S::kAdminNewUser, "admin_new_user").c_str())) begin_change(Change::kUser, {});
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  if (ImGui::BeginTable(
          "admin_users", 6, kAdminTableFlags | ImGuiTableFlags_ScrollY,
          ImVec2(0, std::min(Em(14), row_h * static_cast<float>(v.users.size() + 2))))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(Tr(S::kUser), 0, 2.0f);
    ImGui::TableSetupColumn(Tr(S::kAdminRole), 0, 1.4f);
    ImGui::TableSetupColumn(Tr(S::kAdminUnit), 0, 1.6f);
    ImGui::TableSetupColumn(Tr(S::kAdminState), 0, 1.0f);
    ImGui::TableSetupColumn(Tr(S::kAdminDeviceCount), 0, 0.7f);
    ImGui::TableSetupColumn(Tr(S::kAdminActions), 0, 2.0f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(v.users.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const auto& u = v.users[static_cast<std::size_t>(i)];
        ImGui::PushID(u.user_id.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(u.name.c_str());
        ImGui::TableNextColumn();
        TextOrDash(u.role ? Tr(*u.role) : "");
        ImGui::TableNextColumn();
        TextOrDash(u.unit);
        ImGui::TableNextColumn();
        if (u.active) {
          ImGui::TextUnformatted(Tr(S::kAdminUserActive));
        } else {
          ImGui::TextColored(p.warning, "%s", Tr(S::kAdminUserInactive));
        }
        ImGui::TableNextColumn();
        ImGui::Text("%d", u.devices);
        ImGui::TableNextColumn();
        const std::string short_id = u.user_id.substr(0, 8);
        if (u.active) {
          if (SmallButton(Id(S::kAdminEnrolCode, ("enrol_" + short_id).c_str()).c_str()))
            begin_change(Change::kEnrolCode, u.user_id);
          ImGui::SameLine();
          if (SmallButton(Id(S::kAdminDeactivate, ("deactivate_" + short_id).c_str()).c_str()))
            begin_change(Change::kDeactivate, u.user_id);
        } else if (SmallButton(
                       Id(S::kAdminReactivate, ("reactivate_" + short_id).c_str()).c_str())) {
          begin_change(Change::kReactivate, u.user_id);
        }
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }

  if (admin_state_.change != Change::kNone && admin_state_.change != Change::kCover &&
      admin_state_.change != Change::kProgramme) {
    DrawAdminChange(v);
  }

  DrawAdminCovers(v);

  SectionHeading(Tr(S::kAdminDevices), fonts_.bold);
  ImGui::PushTextWrapPos(0);
  if (v.seen_as_of_ms > 0) {
    std::snprintf(line, sizeof line, Tr(S::kAdminSeenCaption), DayTime(v.seen_as_of_ms).c_str(),
                  kSilentDays);
    MutedText(line);
  } else {
    MutedText(Tr(S::kAdminSeenUnknown));
  }
  ImGui::PopTextWrapPos();
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  if (ImGui::BeginTable(
          "admin_devices", 5, kAdminTableFlags | ImGuiTableFlags_ScrollY,
          ImVec2(0, std::min(Em(14), row_h * 1.3f * static_cast<float>(v.devices.size() + 2))))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(Tr(S::kAdminDevice), 0, 1.6f);
    ImGui::TableSetupColumn(Tr(S::kUser), 0, 1.5f);
    ImGui::TableSetupColumn(Tr(S::kAdminLastSeen), 0, 1.3f);
    ImGui::TableSetupColumn(Tr(S::kAdminState), 0, 2.2f);
    ImGui::TableSetupColumn("", 0, 0.8f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(v.devices.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const auto& d = v.devices[static_cast<std::size_t>(i)];
        ImGui::PushID(d.device_id.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted((d.device_id.substr(0, 8) + "…").c_str());
        if (ImGui::IsItemHovered()) Tooltip(d.device_id.c_str());
        if (!d.name.empty()) {
          ImGui::SameLine();
          ImGui::TextUnformatted(d.name.c_str());
        }
        if (d.this_device) {
          ImGui::SameLine();
          // Not wrapped: after the name, the cell's rest is too narrow to wrap in.
          ImGui::TextColored(Colors().text_muted, "%s", Tr(S::kAdminThisDevice));
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.user_name.c_str());
        ImGui::TableNextColumn();
        if (v.seen_as_of_ms == 0) {
          MutedText("—");
        } else if (d.last_seen_ms <= 0) {
          MutedText(Tr(S::kAdminNeverSeen));
        } else {
          const int days = static_cast<int>((now_ms - d.last_seen_ms) / 86'400'000);
          ImGui::TextUnformatted(DayTime(d.last_seen_ms).c_str());
          if (days > kSilentDays && !d.revoked) {
            ImGui::SameLine();
            std::snprintf(line, sizeof line, Tr(S::kAdminDaysAgo), days);
            ImGui::TextColored(p.warning, "%s", line);
          }
        }
        ImGui::TableNextColumn();
        if (d.revoked) {
          std::snprintf(line, sizeof line, Tr(S::kAdminDeviceRevoked), Day(d.revoked_at_ms).c_str(),
                        d.reason.empty() ? "—" : d.reason.c_str());
          ImGui::TextColored(p.danger, "%s", line);
        } else {
          ImGui::TextColored(p.ok, "%s", Tr(S::kAdminDeviceInService));
        }
        ImGui::TableNextColumn();
        if (!d.revoked && !d.this_device &&
            SmallButton(
                Id(S::kAdminRevoke, ("revoke_" + d.device_id.substr(0, 8)).c_str()).c_str())) {
          admin_state_.revoke_device = d.device_id;
          admin_state_.revoke_reason.clear();
        }
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }

  // The revocation command for the chosen device, with its reason, ready to copy.
  if (!admin_state_.revoke_device.empty()) {
    ImGui::Dummy(ImVec2(0, Em(0.5f)));
    ImGui::BeginChild("admin_revoke", ImVec2(0, Em(14)), true);
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted(Tr(S::kAdminRevokeTitle));
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0);
    ImGui::TextWrapped("%s", Tr(S::kAdminRevokeIntro));
    FieldLabel(Tr(S::kAdminRevokeReason));
    ImGui::SetNextItemWidth(Em(24));
    InputText("##revoke_reason", &admin_state_.revoke_reason);
    const std::string command =
        "lietvedis-server admin --store STORE --root-key ROOT_KEY_FILE device revoke --device " +
        admin_state_.revoke_device + " --reason " +
        ShellQuoted(admin_state_.revoke_reason.empty() ? "-" : admin_state_.revoke_reason);
    ImGui::TextWrapped("%s", command.c_str());
    ImGui::PopTextWrapPos();
    if (Button(Id(S::kAdminCopy, "revoke_copy").c_str())) ImGui::SetClipboardText(command.c_str());
    ImGui::SameLine();
    if (Button(Id(S::kAdminClose, "revoke_close").c_str()) || FormCancelPressed()) {
      admin_state_.revoke_device.clear();
    }
    ImGui::EndChild();
  }

  DrawAdminProgrammes(v);
}

// Covers (docs/PROTOCOL.md "Covers"): who covers for whom and when, as the directory this
// device verified records them, with the commands that record or end one (signed where the root
// or an administrator key is kept).
void App::DrawAdminCovers(const AdminView& v) {
  const Palette& p = Colors();
  SectionHeading(Tr(S::kAdminCovers), fonts_.bold);
  char line[1024];
  ImGui::PushTextWrapPos(0);
  std::snprintf(line, sizeof line, Tr(S::kAdminCoversIntro),
                "lietvedis-server admin --store STORE --root-key ROOT_KEY_FILE cover set --user "
                "USER --deputy USER --from YYYY-MM-DD --until YYYY-MM-DD");
  MutedText(line);
  ImGui::PopTextWrapPos();
  if (SmallButton(Id(S::kAdminNewCover, "admin_new_cover").c_str())) {
    const bool open = admin_state_.change == AdminState::Change::kCover;
    admin_state_ = AdminState{};
    if (!open) admin_state_.change = AdminState::Change::kCover;
  }
  if (admin_state_.change == AdminState::Change::kCover) DrawAdminChange(v);
  if (v.covers.empty()) {
    MutedText(Tr(S::kAdminCoversNone));
    return;
  }
  const std::string today = client::TodayIso();
  if (ImGui::BeginTable("admin_covers", 5, kAdminTableFlags)) {
    ImGui::TableSetupColumn(Tr(S::kAdminCoverAway), 0, 1.5f);
    ImGui::TableSetupColumn(Tr(S::kAdminCoverDeputy), 0, 1.5f);
    ImGui::TableSetupColumn(Tr(S::kAdminCoverPeriod), 0, 1.6f);
    ImGui::TableSetupColumn(Tr(S::kAdminState), 0, 0.9f);
    ImGui::TableSetupColumn("", 0, 0.7f);
    ImGui::TableHeadersRow();
    for (const auto& c : v.covers) {
      const std::string key = c.user_id + " " + c.deputy_user_id;
      ImGui::PushID(key.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.user_name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.deputy_name.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s–%s", LatvianDay(c.from_day).c_str(), LatvianDay(c.until_day).c_str());
      ImGui::TableNextColumn();
      if (today > c.until_day) {
        MutedText(Tr(S::kAdminCoverOver));
      } else if (today < c.from_day) {
        ImGui::TextUnformatted(Tr(S::kAdminCoverUpcoming));
      } else {
        ImGui::TextColored(p.ok, "%s", Tr(S::kAdminCoverCurrent));
      }
      ImGui::TableNextColumn();
      if (today <= c.until_day &&
          SmallButton(
              Id(S::kAdminCoverEnd, ("cover_end_" + c.user_id.substr(0, 8)).c_str()).c_str())) {
        admin_state_.end_cover = key;
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (!admin_state_.end_cover.empty()) {
    const std::size_t space = admin_state_.end_cover.find(' ');
    const std::string command =
        "lietvedis-server admin --store STORE --root-key ROOT_KEY_FILE cover end --user " +
        admin_state_.end_cover.substr(0, space) + " --deputy " +
        admin_state_.end_cover.substr(space + 1);
    ImGui::PushTextWrapPos(0);
    ImGui::TextWrapped("%s", command.c_str());
    ImGui::PopTextWrapPos();
    if (Button(Id(S::kAdminCopy, "cover_copy").c_str())) ImGui::SetClipboardText(command.c_str());
    ImGui::SameLine();
    if (Button(Id(S::kAdminClose, "cover_close").c_str())) admin_state_.end_cover.clear();
  }
}

void App::DrawAdminChange(const AdminView& v) {
  using Change = AdminState::Change;
  AdminState& st = admin_state_;
  const auto user_name = [&](const std::string& id) -> std::string {
    for (const auto& u : v.users) {
      if (u.user_id == id) return u.name;
    }
    return id;
  };
  const auto user_row = [&](const std::string& id) -> const AdminView::UserRow* {
    for (const auto& u : v.users) {
      if (u.user_id == id) return &u;
    }
    return nullptr;
  };
  // A text field is filled when it holds more than blanks and is text the core would take.
  const auto filled = [](const std::string& text) {
    return text.find_first_not_of(" \t") != std::string::npos &&
           client::ValidateText(text, "text", 200, true).ok();
  };
  const std::string prefix = "lietvedis-server admin --store STORE --root-key ROOT_KEY_FILE ";
  std::string title, intro, command;
  FieldError error;
  char line[512];

  ImGui::Dummy(ImVec2(0, Em(0.5f)));
  // The programme form has two rows of fields and a checkbox: a taller frame.
  ImGui::BeginChild("admin_change", ImVec2(0, Em(st.change == Change::kProgramme ? 19 : 14)), true);
  ImGui::PushTextWrapPos(0);
  switch (st.change) {
    case Change::kUnit:
      title = Tr(S::kAdminNewUnitTitle);
      break;
    case Change::kUser:
      title = Tr(S::kAdminNewUserTitle);
      break;
    case Change::kEnrolCode:
      std::snprintf(line, sizeof line, Tr(S::kAdminEnrolTitle), user_name(st.user_id).c_str());
      title = line;
      intro = Tr(S::kAdminEnrolIntro);
      break;
    case Change::kDeactivate:
      std::snprintf(line, sizeof line, Tr(S::kAdminDeactivateTitle), user_name(st.user_id).c_str());
      title = line;
      intro = Tr(S::kAdminDeactivateIntro);
      break;
    case Change::kReactivate:
      std::snprintf(line, sizeof line, Tr(S::kAdminReactivateTitle), user_name(st.user_id).c_str());
      title = line;
      break;
    case Change::kCover:
      title = Tr(S::kAdminNewCoverTitle);
      break;
    case Change::kProgramme:
      if (st.programme_id.empty()) {
        title = Tr(S::kAdminNewProgrammeTitle);
      } else {
        const std::string named = st.name + " (" + st.programme_id + ")";
        std::snprintf(line, sizeof line, Tr(S::kAdminEditProgrammeTitle), named.c_str());
        title = line;
      }
      break;
    case Change::kNone:
      break;
  }
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopFont();
  if (!intro.empty()) MutedText(intro.c_str());

  // The fields side by side, each with its label above.
  const float field_w = Em(15);
  int cells = 0;
  const auto cell = [&](const char* label, float width) {
    if (cells++ > 0) ImGui::SameLine(0, Em(1));
    ImGui::BeginGroup();
    FieldLabel(label);
    ImGui::SetNextItemWidth(width);
  };
  const auto end_cell = [] { ImGui::EndGroup(); };
  if (st.change == Change::kUnit) {
    cell(Tr(S::kAdminRegion), field_w);
    InputText("##admin_region", &st.region);
    end_cell();
    cell(Tr(S::kAdminUnitName), field_w);
    InputText("##admin_unit_name", &st.name);
    end_cell();
    if (filled(st.region) && filled(st.name))
      command = "unit add --region " + ShellQuoted(st.region) + " --name " + ShellQuoted(st.name);
  } else if (st.change == Change::kUser) {
    cell(Tr(S::kAdminUnit), field_w);
    std::string unit_label = Tr(S::kAdminPick);
    for (const auto& [id, name] : v.units) {
      if (id == st.unit_id) unit_label = name;
    }
    if (BeginCombo("##admin_user_unit", unit_label.c_str())) {
      for (const auto& [id, name] : v.units) {
        ImGui::PushID(id.c_str());
        if (Selectable(name.c_str(), id == st.unit_id)) st.unit_id = id;
        ImGui::PopID();
      }
      EndCombo();
    }
    end_cell();
    cell(Tr(S::kAdminRole), field_w);
    const auto& roles = client::EnumCodes<client::Role>::kTable;
    if (BeginCombo("##admin_user_role", Tr(roles[st.role].first))) {
      for (int i = 0; i < static_cast<int>(std::size(roles)); ++i) {
        ImGui::PushID(i);
        if (Selectable(Tr(roles[i].first), i == st.role)) st.role = i;
        ImGui::PopID();
      }
      EndCombo();
    }
    end_cell();
    cell(Tr(S::kAdminUserName), field_w);
    InputText("##admin_user_name", &st.name);
    end_cell();
    if (!st.unit_id.empty() && filled(st.name)) {
      command = "user add --unit " + st.unit_id + " --role " + std::string(roles[st.role].second) +
                " --name " + ShellQuoted(st.name);
    }
  } else if (st.change == Change::kEnrolCode) {
    command = "enrol-code --user " + st.user_id + " --server-url " + v.server_url;
    if (v.server_url.rfind("https://", 0) == 0) command += " --cert SERVER_CERT.pem";
  } else if (st.change == Change::kDeactivate) {
    command = "user deactivate --user " + st.user_id;
  } else if (st.change == Change::kReactivate) {
    command = "user reactivate --user " + st.user_id;
  } else if (st.change == Change::kCover) {
    // Active officers: the absent one, then a deputy of the same unit.
    const auto officer_combo = [&](const char* id, std::string* value) {
      const std::string shown = value->empty() ? Tr(S::kAdminPick) : user_name(*value);
      if (BeginCombo(id, shown.c_str())) {
        for (const auto& u : v.users) {
          if (!u.active || u.role != client::Role::kOfficer) continue;
          ImGui::PushID(u.user_id.c_str());
          if (Selectable((u.name + " · " + u.unit).c_str(), u.user_id == *value))
            *value = u.user_id;
          ImGui::PopID();
        }
        EndCombo();
      }
    };
    cell(Tr(S::kAdminCoverAway), field_w);
    officer_combo("##admin_cover_user", &st.user_id);
    end_cell();
    cell(Tr(S::kAdminCoverDeputy), field_w);
    officer_combo("##admin_cover_deputy", &st.deputy_id);
    end_cell();
    cell(Tr(S::kAdminCoverFrom), Em(9));
    DateInput("##admin_cover_from", &st.from);
    end_cell();
    cell(Tr(S::kAdminCoverUntil), Em(9));
    DateInput("##admin_cover_until", &st.until);
    end_cell();
    const AdminView::UserRow* away = user_row(st.user_id);
    const AdminView::UserRow* deputy = user_row(st.deputy_id);
    if (away != nullptr && deputy != nullptr) {
      if (away == deputy) {
        error = {"deputy", Tr(S::kAdminCoverSelf)};
      } else if (away->unit_id != deputy->unit_id) {
        error = {"deputy", Tr(S::kAdminCoverOtherUnit)};
      }
    }
    // A typed day as ISO; the first problem found is said under its field.
    const auto day = [&](const std::string& typed, const char* field) -> std::string {
      if (!error.field.empty() || typed.empty()) return {};
      auto iso = client::ParseDate(typed, field);
      if (iso.ok()) return *iso;
      error = ToFieldError(iso.error());
      return {};
    };
    const std::string from = day(st.from, "from");
    const std::string until = day(st.until, "until");
    if (error.field.empty() && !from.empty() && !until.empty()) {
      const std::string today = client::TodayIso();
      if (until < from) {
        error = {"until", Tr(S::kAdminCoverBackwards)};
      } else if (until < today) {
        error = {"until", Tr(S::kAdminCoverPast)};
      }
    }
    FieldErrorLine(error, "deputy");
    FieldErrorLine(error, "from");
    FieldErrorLine(error, "until");
    if (error.field.empty() && away != nullptr && deputy != nullptr && !from.empty() &&
        !until.empty()) {
      command = "cover set --user " + st.user_id + " --deputy " + st.deputy_id + " --from " + from +
                " --until " + until;
    }
  } else if (st.change == Change::kProgramme) {
    // A code picked from the client's table, shown in words.
    const auto code_combo = [&](const char* id, int* index, const auto& table) {
      if (BeginCombo(id, Tr(table[*index].first))) {
        for (int i = 0; i < static_cast<int>(std::size(table)); ++i) {
          ImGui::PushID(i);
          if (Selectable(Tr(table[i].first), i == *index)) *index = i;
          ImGui::PopID();
        }
        EndCombo();
      }
    };
    const auto& providers = client::EnumCodes<client::ProgrammeProvider>::kTable;
    const auto& modes = client::EnumCodes<client::ProgrammeMode>::kTable;
    const auto& accreditations = client::EnumCodes<client::Accreditation>::kTable;
    cell(Tr(S::kAdminProgrammeName), Em(20));
    InputText("##admin_programme_name", &st.name);
    end_cell();
    cell(Tr(S::kAdminProgrammeTarget), Em(12));
    InputText("##admin_programme_target", &st.target_group);
    end_cell();
    cell(Tr(S::kAdminProgrammeProvider), Em(10));
    code_combo("##admin_programme_provider", &st.provider, providers);
    end_cell();
    cell(Tr(S::kAdminProgrammeProviderName), Em(12));
    InputText("##admin_programme_provider_name", &st.provider_name);
    end_cell();
    cells = 0;  // the codes on a second row
    cell(Tr(S::kAdminProgrammeMode), Em(10));
    code_combo("##admin_programme_mode", &st.mode, modes);
    end_cell();
    cell(Tr(S::kAdminProgrammeAccreditation), Em(12));
    code_combo("##admin_programme_accreditation", &st.accreditation, accreditations);
    end_cell();
    Checkbox(Id(S::kAdminProgrammeRetire, "admin_programme_retire").c_str(), &st.retire);
    // The core's text rules; an optional text may be empty.
    const auto optional_ok = [](const std::string& text) {
      return client::ValidateText(text, "text", 200, false).ok();
    };
    if (filled(st.name) && optional_ok(st.target_group) && optional_ok(st.provider_name)) {
      command = "programme set";
      if (!st.programme_id.empty()) command += " --id " + st.programme_id;
      command += " --name " + ShellQuoted(st.name);
      if (!st.target_group.empty()) command += " --target-group " + ShellQuoted(st.target_group);
      command += " --provider " + std::string(providers[st.provider].second);
      if (!st.provider_name.empty()) command += " --provider-name " + ShellQuoted(st.provider_name);
      command += " --mode " + std::string(modes[st.mode].second) + " --accreditation " +
                 std::string(accreditations[st.accreditation].second);
      if (st.retire) command += " --retire";
    }
  }

  ImGui::Spacing();
  MutedText(Tr(S::kAdminChangeIntro));
  if (command.empty()) {
    MutedText(Tr(S::kAdminFillFields));
  } else {
    command = prefix + command;
    ImGui::TextWrapped("%s", command.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::BeginDisabled(command.empty());
  if (Button(Id(S::kAdminCopy, "admin_change_copy").c_str()))
    ImGui::SetClipboardText(command.c_str());
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (Button(Id(S::kAdminClose, "admin_change_close").c_str()) || FormCancelPressed())
    st = AdminState{};
  ImGui::EndChild();
}

// The programme catalogue (docs/PROTOCOL.md "Programmes"): the entries this device holds, with
// the `programme set` command that adds one, changes one or retires it (signed where the root
// or an administrator key is kept).
void App::DrawAdminProgrammes(const AdminView& v) {
  const Palette& p = Colors();
  using Change = AdminState::Change;
  SectionHeading(Tr(S::kAdminProgrammes), fonts_.bold);
  char line[1024];
  ImGui::PushTextWrapPos(0);
  std::snprintf(line, sizeof line, Tr(S::kAdminProgrammesIntro),
                "lietvedis-server admin --store STORE --root-key ROOT_KEY_FILE programme set …");
  MutedText(line);
  ImGui::PopTextWrapPos();
  // Opens the form for `programme` (null: a new one), or closes it when it shows that one.
  const auto begin = [this](const client::Programme* programme) {
    const std::string id = programme != nullptr ? programme->id : std::string();
    const bool open = admin_state_.change == Change::kProgramme && admin_state_.programme_id == id;
    admin_state_ = AdminState{};
    if (open) return;
    admin_state_.change = Change::kProgramme;
    if (programme == nullptr) return;
    const auto index = [](const auto& table, auto value) {
      for (int i = 0; i < static_cast<int>(std::size(table)); ++i) {
        if (table[i].first == value) return i;
      }
      return 0;
    };
    admin_state_.programme_id = programme->id;
    admin_state_.name = programme->name;
    admin_state_.target_group = programme->target_group;
    admin_state_.provider_name = programme->provider_name;
    admin_state_.provider =
        index(client::EnumCodes<client::ProgrammeProvider>::kTable, programme->provider);
    admin_state_.mode = index(client::EnumCodes<client::ProgrammeMode>::kTable, programme->mode);
    admin_state_.accreditation =
        index(client::EnumCodes<client::Accreditation>::kTable, programme->accreditation);
    admin_state_.retire = !programme->active;
  };
  if (SmallButton(Id(S::kAdminNewProgramme, "admin_new_programme").c_str())) begin(nullptr);
  if (admin_state_.change == Change::kProgramme) DrawAdminChange(v);
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  if (ImGui::BeginTable(
          "admin_programmes", 7, kAdminTableFlags | ImGuiTableFlags_ScrollY,
          ImVec2(0,
                 std::min(Em(16), row_h * 1.3f * static_cast<float>(v.programmes.size() + 2))))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(Tr(S::kAdminProgrammeName), 0, 2.6f);
    ImGui::TableSetupColumn(Tr(S::kAdminProgrammeTarget), 0, 1.4f);
    ImGui::TableSetupColumn(Tr(S::kAdminProgrammeProvider), 0, 1.3f);
    ImGui::TableSetupColumn(Tr(S::kAdminProgrammeMode), 0, 1.0f);
    ImGui::TableSetupColumn(Tr(S::kAdminProgrammeAccreditation), 0, 1.0f);
    ImGui::TableSetupColumn(Tr(S::kAdminState), 0, 0.8f);
    ImGui::TableSetupColumn("", 0, 0.7f);
    ImGui::TableHeadersRow();
    for (const auto& prog : v.programmes) {
      ImGui::PushID(prog.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(prog.name.c_str());
      ImGui::TableNextColumn();
      TextOrDash(prog.target_group);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(prog.provider_name.empty() ? Tr(prog.provider)
                                                        : prog.provider_name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(prog.mode));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(prog.accreditation));
      ImGui::TableNextColumn();
      if (prog.active) {
        ImGui::TextColored(p.ok, "%s", Tr(S::kAdminProgrammeActive));
      } else {
        MutedText(Tr(S::kAdminProgrammeRetired));
      }
      ImGui::TableNextColumn();
      if (SmallButton(Id(S::kAdminProgrammeEdit, ("programme_" + prog.id).c_str()).c_str()))
        begin(&prog);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
}

}  // namespace lietvedis::ui
