// Caseload: filters, a sortable table of every case the actor may list (ImGuiListClipper, so
// 10,000 rows cost what the visible ones cost), and the "new client" form.
#include <imgui.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

enum Column {
  kColName,
  kColCode,
  kColKind,
  kColRisk,
  kColLast,
  kColNext,
  kColOverdue,
  kColOfficer
};

// A muted label in front of the next widget on the same line.
void InlineLabel(const char* text) {
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::SameLine();
}

template <class E>
bool EnumCombo(const char* label, int* value, int count, const char* any_label, float width) {
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  const char* preview = *value == 0 ? any_label : Tr(static_cast<E>(*value - 1));
  if (BeginCombo(label, preview)) {
    if (Selectable(any_label, *value == 0)) {
      *value = 0;
      changed = true;
    }
    for (int i = 0; i < count; ++i) {
      ImGui::PushID(i);
      if (Selectable(Tr(static_cast<E>(i)), *value == i + 1)) {
        *value = i + 1;
        changed = true;
      }
      ImGui::PopID();
    }
    EndCombo();
  }
  return changed;
}

}  // namespace

namespace {

// The name of a dashboard figure, in the current language.
std::string IndicatorDrillLabel(IndicatorDrill figure) {
  switch (figure) {
    case IndicatorDrill::kProgrammeCompleted:
      return std::string(Tr(S::kProgrammeCompletion)) + " — " +
             Tr(client::ReferralStatus::kCompleted);
    case IndicatorDrill::kProgrammeDroppedOut:
      return std::string(Tr(S::kProgrammeCompletion)) + " — " +
             Tr(client::ReferralStatus::kDroppedOut);
    case IndicatorDrill::kEsf:
      return Tr(S::kEsfClients);
    case IndicatorDrill::kEmploymentS1:
      return std::string(Tr(S::kEmploymentIndicator)) + " — S1";
    case IndicatorDrill::kEmploymentS2:
      return std::string(Tr(S::kEmploymentIndicator)) + " — S2";
    case IndicatorDrill::kNeedsAssessed:
      return Tr(S::kNeedsAddressed);
    case IndicatorDrill::kNeedsUnaddressed:
      return Tr(S::kNeedsUnaddressedCases);
    case IndicatorDrill::kReoffended:
      return Tr(S::kReoffending);
    case IndicatorDrill::kSupervised:
      return Tr(S::kSupervisedInYear);
    case IndicatorDrill::kNone:
      break;
  }
  return {};
}

}  // namespace

void App::DrawCaseload() {
  CaseloadViewState& st = caseload_state_;
  const bool supervisor = session_view_->actor.role == client::Role::kSupervisor;
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavCaseload));
  ImGui::PopFont();
  {
    // Right-aligned: "Eksportēt…" (the rows shown, as filtered and sorted) and, for officers,
    // "Jauns klients".
    const auto button_w = [](S label) {
      return ImGui::CalcTextSize(Tr(label)).x + ImGui::GetStyle().FramePadding.x * 2;
    };
    ImGui::SameLine();
    const float w = button_w(S::kExport) + (supervisor ? 0.0f : Em(0.5f) + button_w(S::kNewClient));
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - w);
    ImGui::BeginDisabled(!caseload_ || caseload_state_.query_pending);
    if (Button(Id(S::kExport, "export_caseload").c_str())) OpenCaseloadExport();
    ImGui::EndDisabled();
  }
  if (!supervisor) {
    ImGui::SameLine(0, Em(0.5f));
    if (PrimaryButton(Id(S::kNewClient, "new_client").c_str())) {
      register_form_ = RegisterClientForm{};
      register_form_.open = true;
      ImGui::OpenPopup("register_client");
    }
  }
  DrawRegisterClient();
  DrawBreakGlass();

  // Filters
  bool changed = false;
  ImGui::SetNextItemWidth(Em(22));
  // Ctrl+F (from any page, App::HandleShortcuts) puts the cursor in the search field.
  if (std::exchange(focus_search_, false)) ImGui::SetKeyboardFocusHere();
  if (InputTextWithHint("##search", Tr(S::kSearchHint), &st.search)) changed = true;
  ImGui::SameLine(0, Em(1.2f));
  InlineLabel(Tr(S::kRisk));
  {
    ImGui::SetNextItemWidth(Em(9));
    const char* preview = st.risk == 0   ? Tr(S::kAll)
                          : st.risk == 5 ? Tr(S::kNotAssessed)
                                         : Tr(static_cast<client::RiskLevel>(st.risk - 1));
    const std::string label = "###risk_filter";
    if (BeginCombo(label.c_str(), preview)) {
      if (Selectable(Tr(S::kAll), st.risk == 0)) st.risk = 0, changed = true;
      for (int i = 0; i < 4; ++i) {
        ImGui::PushID(i);
        if (Selectable(Tr(static_cast<client::RiskLevel>(i)), st.risk == i + 1))
          st.risk = i + 1, changed = true;
        ImGui::PopID();
      }
      if (Selectable(Tr(S::kNotAssessed), st.risk == 5)) st.risk = 5, changed = true;
      EndCombo();
    }
  }
  ImGui::SameLine(0, Em(1.2f));
  InlineLabel(Tr(S::kCaseKind));
  changed |= EnumCombo<client::CaseKind>("###kind_filter", &st.kind, 8, Tr(S::kAll), Em(15));
  if (supervisor) {
    ImGui::SameLine(0, Em(1.2f));
    InlineLabel(Tr(S::kOfficer));
    ImGui::SetNextItemWidth(Em(11));
    const std::string who =
        st.officer_id.empty() ? Tr(S::kAll) : session_view_->UserName(st.officer_id);
    if (BeginCombo("###officer_filter", who.c_str())) {
      if (Selectable(Tr(S::kAll), st.officer_id.empty())) st.officer_id.clear(), changed = true;
      for (const auto& u : session_view_->users) {
        if (u.role != client::Role::kOfficer || u.unit_id != session_view_->actor.unit_id) continue;
        ImGui::PushID(u.id.c_str());
        if (Selectable(u.display_name.c_str(), st.officer_id == u.id))
          st.officer_id = u.id, changed = true;
        ImGui::PopID();
      }
      EndCombo();
    }
  }
  ImGui::SameLine(0, Em(1.2f));
  changed |= Checkbox(Id(S::kOverdueOnly, "overdue_only").c_str(), &st.overdue_only);
  if (changed) RefreshCaseload();

  if (!caseload_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const CaseloadView& view = *caseload_;
  if (st.only_cases) {
    // The cases behind a dashboard figure: its name, and the way back to the whole caseload.
    ImGui::AlignTextToFramePadding();
    ImGui::PushFont(fonts_.bold);
    ImGui::Text("%s: %s", Tr(S::kIndicatorCases), IndicatorDrillLabel(st.only_figure).c_str());
    ImGui::PopFont();
    if (st.only_year > 0) {
      // The figure's reporting year; the arrows move the dashboard and this list together.
      ImGui::SameLine(0, Em(1));
      if (SmallButton("◀###drill_year_prev")) {
        dashboard_state_.year = st.only_year - 1;
        RefreshDashboard();
      }
      ImGui::SameLine();
      ImGui::Text("%s %d", Tr(S::kReportingYear), st.only_year);
      ImGui::SameLine();
      if (SmallButton("▶###drill_year_next")) {
        dashboard_state_.year = st.only_year + 1;
        RefreshDashboard();
      }
    }
    ImGui::SameLine(0, Em(1));
    if (SmallButton(Id(S::kShowAllCases, "clear_indicator").c_str())) {
      st.only_cases.reset();
      st.only_figure = IndicatorDrill::kNone;
      st.only_year = 0;
      RefreshCaseload();
    }
  }
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::Text("%s: %zu", Tr(S::kCasesShown), view.rows.size());
  ImGui::PopStyleColor();
  if (st.query_pending) {
    ImGui::SameLine();
    Spinner(0.4f);
  }
  DrawLockedCases();
  if (view.rows.empty()) {
    ImGui::Spacing();
    MutedText(Tr(S::kNoCases));
    return;
  }

  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                                ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Hideable;
  if (!ImGui::BeginTable("caseload_table", supervisor ? 8 : 7, flags, ImVec2(0, 0))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(Tr(S::kClient), ImGuiTableColumnFlags_DefaultSort, 2.2f, kColName);
  ImGui::TableSetupColumn(Tr(S::kPersonalCode), 0, 1.2f, kColCode);
  ImGui::TableSetupColumn(Tr(S::kCaseKind), 0, 2.0f, kColKind);
  ImGui::TableSetupColumn(Tr(S::kRisk), 0, 1.1f, kColRisk);
  ImGui::TableSetupColumn(Tr(S::kLastContact), 0, 1.25f, kColLast);
  ImGui::TableSetupColumn(Tr(S::kNextContact), 0, 1.5f, kColNext);
  ImGui::TableSetupColumn(Tr(S::kStatus), 0, 0.9f, kColOverdue);
  if (supervisor) ImGui::TableSetupColumn(Tr(S::kOfficer), 0, 1.4f, kColOfficer);
  ImGui::TableHeadersRow();

  // Sort order: recomputed only when the snapshot or the sort specs change.
  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  if (specs != nullptr && specs->SpecsDirty) {
    st.ordered_generation = ~0ull;
    specs->SpecsDirty = false;
  }
  if (st.ordered_generation != view.generation) {
    st.order.resize(view.rows.size());
    std::iota(st.order.begin(), st.order.end(), 0);
    const int column = specs != nullptr && specs->SpecsCount > 0
                           ? static_cast<int>(specs->Specs[0].ColumnUserID)
                           : kColName;
    const bool asc = specs == nullptr || specs->SpecsCount == 0 ||
                     specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
    auto key_less = [&](int a, int b) {
      const auto& ra = view.rows[static_cast<std::size_t>(a)];
      const auto& rb = view.rows[static_cast<std::size_t>(b)];
      switch (column) {
        case kColCode:
          return ra.personal_code < rb.personal_code;
        case kColKind:
          return ra.kind < rb.kind;
        case kColRisk: {
          const int qa = ra.risk_level ? static_cast<int>(*ra.risk_level) : -1;
          const int qb = rb.risk_level ? static_cast<int>(*rb.risk_level) : -1;
          return qa < qb;
        }
        case kColLast:
          return ra.last_contact_on < rb.last_contact_on;
        case kColNext:
          return ra.next_contact_at < rb.next_contact_at;
        case kColOverdue:
          return ra.overdue < rb.overdue;
        case kColOfficer:
          return ra.responsible_officer_name < rb.responsible_officer_name;
        default:
          return view.sort_keys[static_cast<std::size_t>(a)] <
                 view.sort_keys[static_cast<std::size_t>(b)];
      }
    };
    std::stable_sort(st.order.begin(), st.order.end(),
                     [&](int a, int b) { return asc ? key_less(a, b) : key_less(b, a); });
    st.ordered_generation = view.generation;
  }

  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(st.order.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& row = view.rows[static_cast<std::size_t>(st.order[static_cast<std::size_t>(i)])];
      ImGui::PushID(row.case_id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      // "###rowN": scripts address rows by display position; the ImGui ID stays the case id.
      const std::string name = row.surname + " " + row.name + "###row" + std::to_string(i);
      if (Selectable(name.c_str(), st.selected_case == row.case_id,
                     ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
        st.selected_case = row.case_id;
        OpenCase(row.case_id);
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.personal_code.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(row.kind));
      ImGui::TableNextColumn();
      RiskBadge(row.risk_level);
      ImGui::TableNextColumn();
      TextOrDash(FormatDate(row.last_contact_on));
      ImGui::TableNextColumn();
      {
        const bool past = !row.next_contact_at.empty() &&
                          row.next_contact_at.substr(0, 10) < session_view_->today;
        if (past) ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
        TextOrDash(FormatTimestamp(row.next_contact_at));
        if (past) ImGui::PopStyleColor();
      }
      ImGui::TableNextColumn();
      if (row.overdue) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
        ImGui::TextUnformatted(Tr(S::kOverdue));
        ImGui::PopStyleColor();
      }
      if (supervisor) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(row.responsible_officer_name.c_str());
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

void App::DrawRegisterClient() {
  RegisterClientForm& f = register_form_;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(Em(34), 0));
  if (!ImGui::BeginPopupModal("register_client", nullptr,
                              ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize))
    return;
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kRegisterClientTitle));
  ImGui::PopFont();
  ImGui::Spacing();
  // Enter in a text field registers, Escape cancels (a combo's own Escape only closes it).
  bool submit = false;
  auto text_field = [&](S label, const char* field, std::string* value,
                        const char* hint = nullptr) {
    FieldLabel(Tr(label));
    ImGui::SetNextItemWidth(-1);
    const std::string id = std::string("##") + field;
    constexpr ImGuiInputTextFlags kEnter = ImGuiInputTextFlags_EnterReturnsTrue;
    if (hint != nullptr) {
      submit |= InputTextWithHint(id.c_str(), hint, value, kEnter);
    } else {
      submit |= InputText(id.c_str(), value, kEnter);
    }
    FieldErrorLine(f.error, field);
  };
  auto date_field = [&](S label, const char* field, std::string* value) {
    FieldLabel(Tr(label));
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput((std::string("##") + field).c_str(), value);
    FieldErrorLine(f.error, field);
  };
  ImGui::BeginDisabled(f.saving);
  if (ImGui::BeginTable("reg_grid", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    text_field(S::kName, "name", &f.cmd.name);
    ImGui::TableNextColumn();
    text_field(S::kSurname, "surname", &f.cmd.surname);
    ImGui::TableNextColumn();
    text_field(S::kPersonalCode, "personal_code", &f.cmd.personal_code, "DDMMGG-XNNNN");
    ImGui::TableNextColumn();
    date_field(S::kBirthDate, "birth_date", &f.cmd.birth_date);
    ImGui::TableNextColumn();
    text_field(S::kPhone, "phone", &f.cmd.phone);
    ImGui::TableNextColumn();
    text_field(S::kEmail, "email", &f.cmd.email);
    ImGui::TableNextColumn();
    text_field(S::kAddress, "address", &f.cmd.address);
    ImGui::TableNextColumn();
    text_field(S::kMunicipality, "municipality", &f.cmd.municipality);
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kCaseKind));
    ImGui::SetNextItemWidth(-1);
    if (BeginCombo("##case_kind", Tr(static_cast<client::CaseKind>(f.kind)))) {
      for (int i = 0; i < 8; ++i) {
        ImGui::PushID(i);
        if (Selectable(Tr(static_cast<client::CaseKind>(i)), f.kind == i)) f.kind = i;
        ImGui::PopID();
      }
      EndCombo();
    }
    ImGui::TableNextColumn();
    date_field(S::kOpenedOn, "opened_on", &f.cmd.opened_on);
    ImGui::EndTable();
  }
  FieldErrorLine(f.error, "");
  if (!f.error.field.empty() && f.error.field != "name" && f.error.field != "surname" &&
      f.error.field != "personal_code" && f.error.field != "birth_date" &&
      f.error.field != "phone" && f.error.field != "email" && f.error.field != "address" &&
      f.error.field != "municipality" && f.error.field != "opened_on") {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
    ImGui::TextWrapped("%s: %s", f.error.field.c_str(), f.error.message.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  submit |= PrimaryButton(Id(S::kRegister, "register_client_save").c_str());
  if (submit && !f.saving) {
    f.saving = true;
    f.error.Clear();
    client::RegisterClient cmd = f.cmd;
    cmd.kind = static_cast<client::CaseKind>(f.kind);
    Execute(cmd, [this](const Result<std::string>& r) {
      register_form_.saving = false;
      if (!r.ok()) {
        register_form_.error = ToFieldError(r.error());
        return;
      }
      register_form_.open = false;
      OpenCase(r.value());
      case_state_.select_tab = "contacts";
    });
  }
  ImGui::SameLine();
  if (Button(Id(S::kCancel, "register_client_cancel").c_str())) register_form_.open = false;
  ImGui::EndDisabled();
  if (!f.saving && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    register_form_.open = false;
  }
  if (f.saving) {
    ImGui::SameLine();
    Spinner(0.5f);
  }
  if (!register_form_.open) ImGui::CloseCurrentPopup();
  EndPopup();
}

}  // namespace lietvedis::ui
