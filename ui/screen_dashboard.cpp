// Supervisor dashboard: the indicators of client::ComputeIndicators for a reporting year —
// per-officer caseload with overdue contacts (bars), the risk mix (stacked bar), programme
// completion, ESF+ unique clients and the legal-employment indicator with S1, S2 and the
// exclusions — plus open cases by month opened (line). Figures that the caseload filter can
// express drill down to the cases behind them. Charts are drawn with ImGui draw lists; nothing
// is computed here beyond layout.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/i18n.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

ImU32 U32(const ImVec4& c) {
  return ImGui::GetColorU32(c);
}

std::string Percent(const std::optional<double>& v) {
  if (!v) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", *v);
  return buf;
}

std::int64_t RiskCount(const client::Indicators& ind, std::string_view code) {
  auto it = ind.risk_mix.find(std::string(code));
  return it == ind.risk_mix.end() ? 0 : it->second;
}

}  // namespace

const std::vector<std::string>& DrillCases(const client::IndicatorCases& cases,
                                           IndicatorDrill figure) {
  static const std::vector<std::string> kNoCases;
  switch (figure) {
    case IndicatorDrill::kProgrammeCompleted:
      return cases.programme_completed;
    case IndicatorDrill::kProgrammeDroppedOut:
      return cases.programme_dropped_out;
    case IndicatorDrill::kEsf:
      return cases.esf;
    case IndicatorDrill::kEmploymentS1:
      return cases.employment_s1;
    case IndicatorDrill::kEmploymentS2:
      return cases.employment_s2;
    case IndicatorDrill::kNeedsAssessed:
      return cases.needs_assessed;
    case IndicatorDrill::kNeedsUnaddressed:
      return cases.needs_unaddressed;
    case IndicatorDrill::kReoffended:
      return cases.reoffended;
    case IndicatorDrill::kSupervised:
      return cases.supervised;
    case IndicatorDrill::kNone:
      break;
  }
  return kNoCases;
}

void App::DrawDashboard() {
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavDashboard));
  ImGui::PopFont();
  if (!dashboard_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const DashboardView& d = *dashboard_;
  const client::Indicators& ind = d.indicators;
  const Palette& p = Colors();
  auto drill = [this](const std::string& officer, int risk, bool overdue) {
    caseload_state_ = CaseloadViewState{};
    caseload_state_.officer_id = officer;
    caseload_state_.risk = risk;
    caseload_state_.overdue_only = overdue;
    caseload_.reset();
    page_ = Page::kCaseload;
    RefreshCaseload();
  };
  // A measure's figure drills down to the cases behind it (client::IndicatorCases).
  auto drill_cases = [this, &ind](IndicatorDrill figure, const std::vector<std::string>& cases) {
    caseload_state_ = CaseloadViewState{};
    caseload_state_.only_cases = cases;
    caseload_state_.only_figure = figure;
    caseload_state_.only_year = ind.year;
    caseload_.reset();
    page_ = Page::kCaseload;
    RefreshCaseload();
  };

  // Reporting year (the period of completion, ESF+ and employment).
  ImGui::SameLine(0, Em(2));
  ImGui::AlignTextToFramePadding();
  MutedText(Tr(S::kYear));
  ImGui::SameLine();
  if (SmallButton("◀###year_prev")) {
    dashboard_state_.year = ind.year - 1;
    RefreshDashboard();
  }
  ImGui::SameLine();
  ImGui::Text("%d", ind.year);
  ImGui::SameLine();
  if (SmallButton("▶###year_next")) {
    dashboard_state_.year = ind.year + 1;
    RefreshDashboard();
  }
  {
    // The indicators of the year shown, as a table (the figures of `lietvedis report`).
    ImGui::SameLine();
    const auto button_w = [](S label) {
      return ImGui::CalcTextSize(Tr(label)).x + ImGui::GetStyle().FramePadding.x * 2;
    };
    // The unit's settings (ui/form_unit_settings.cpp), the supervisor's only, in place of
    // the indicators while shown.
    const bool settings = !d.unit_settings.empty();
    const S settings_label = unit_settings_state_.shown ? S::kClose : S::kUnitSettings;
    const float w = button_w(S::kExport) +
                    (settings ? button_w(settings_label) + ImGui::GetStyle().ItemSpacing.x : 0);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - w);
    if (settings) {
      if (Button(Id(settings_label, "unit_settings").c_str())) {
        unit_settings_state_ = UnitSettingsState{};
        unit_settings_state_.shown = settings_label == S::kUnitSettings;
      }
      ImGui::SameLine();
    }
    if (Button(Id(S::kExport, "export_indicators").c_str())) OpenIndicatorsExport(ind.year);
  }
  if (unit_settings_state_.shown && !d.unit_settings.empty()) {
    DrawUnitSettings(d);
    return;
  }

  // Headline numbers; the overdue figure drills down to the overdue cases.
  if (ImGui::BeginTable("headline", 4, ImGuiTableFlags_SizingStretchSame)) {
    auto figure = [this](const char* label, const std::string& value, const ImVec4& color,
                         const char* id) {
      ImGui::TableNextColumn();
      ImGui::BeginChild(id, ImVec2(0, Em(4.2f)), true);
      MutedText(label);
      ImGui::PushFont(fonts_.title);
      ImGui::PushStyleColor(ImGuiCol_Text, color);
      ImGui::TextUnformatted(value.c_str());
      ImGui::PopStyleColor();
      ImGui::PopFont();
      const bool clicked = ImGui::IsWindowHovered() && ImGui::IsMouseClicked(0);
      ImGui::EndChild();
      return clicked;
    };
    figure(Tr(S::kOpenCases), std::to_string(ind.open_cases), p.text, "fig_open");
    if (figure(Tr(S::kOverdueContacts), std::to_string(ind.overdue_contacts),
               ind.overdue_contacts > 0 ? p.danger : p.ok, "fig_overdue")) {
      drill({}, 0, true);
    }
    Items().TrackLast("###drill_overdue");
    const bool esf =
        figure(Tr(S::kEsfClients), std::to_string(ind.esf_unique_clients), p.text, "fig_esf");
    Items().TrackLast("###drill_esf");
    if (ImGui::IsItemHovered()) Tooltip(Tr(S::kEsfMeasure));
    if (esf) drill_cases(IndicatorDrill::kEsf, ind.cases.esf);
    if (figure(Tr(S::kEmploymentIndicator), Percent(ind.legal_employment.percent), p.text,
               "fig_employment")) {
      drill_cases(IndicatorDrill::kEmploymentS1, ind.cases.employment_s1);
    }
    Items().TrackLast("###drill_employment");
    // The plan's reach and reoffending (client::Indicators, as `lietvedis report` prints
    // them): the percentage with its two counts; each drills down to the cases counted (the
    // needs: the open cases with a signed assessment; reoffending: those who reoffended).
    const auto& na = ind.needs_addressed;
    const bool needs = figure(Tr(S::kNeedsAddressed),
                              Percent(na.percent) + "  (" + std::to_string(na.addressed) + " / " +
                                  std::to_string(na.identified) + ")",
                              p.text, "fig_needs_addressed");
    Items().TrackLast("###drill_needs");
    if (needs) drill_cases(IndicatorDrill::kNeedsAssessed, ind.cases.needs_assessed);
    if (ImGui::IsItemHovered()) {
      char hint[512];
      std::snprintf(hint, sizeof hint, Tr(S::kNeedsAddressedHint),
                    static_cast<long long>(na.addressed), static_cast<long long>(na.identified),
                    static_cast<long long>(na.cases));
      Tooltip(hint);
    }
    const auto& ro = ind.reoffending;
    const bool reoffended = figure(Tr(S::kReoffending),
                                   Percent(ro.percent) + "  (" + std::to_string(ro.reoffended) +
                                       " / " + std::to_string(ro.supervised) + ")",
                                   ro.reoffended > 0 ? p.danger : p.text, "fig_reoffending");
    Items().TrackLast("###drill_reoffending");
    if (reoffended) drill_cases(IndicatorDrill::kReoffended, ind.cases.reoffended);
    // The cases behind the two measures' other counts: the needs no goal of the plan names, and
    // the persons supervised in the year (reoffending's base), one case each.
    const std::size_t missed = ind.cases.needs_unaddressed.size();
    if (figure(Tr(S::kNeedsUnaddressedCases), std::to_string(missed),
               missed > 0 ? p.warning : p.text, "fig_needs_unaddressed"))
      drill_cases(IndicatorDrill::kNeedsUnaddressed, ind.cases.needs_unaddressed);
    Items().TrackLast("###drill_needs_unaddressed");
    if (figure(Tr(S::kSupervisedInYear), std::to_string(ind.cases.supervised.size()), p.text,
               "fig_supervised"))
      drill_cases(IndicatorDrill::kSupervised, ind.cases.supervised);
    Items().TrackLast("###drill_supervised");
    if (ImGui::IsItemHovered()) {
      char hint[512];
      std::snprintf(hint, sizeof hint, Tr(S::kReoffendingHint),
                    static_cast<long long>(ro.reoffended), static_cast<long long>(ro.supervised));
      Tooltip(hint);
    }
    ImGui::EndTable();
  }

  const float third = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
  const float chart_h = Em(15);

  // Per-officer bars: open cases (accent) with the overdue part (red) at the base.
  ImGui::BeginChild("chart_officers", ImVec2(third * 2 + ImGui::GetStyle().ItemSpacing.x, chart_h),
                    true);
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(Tr(S::kCaseloadPerOfficer));
  ImGui::PopFont();
  {
    std::int64_t max_cases = 1;
    for (const auto& o : ind.caseload) max_cases = std::max(max_cases, o.open_cases);
    const float label_w = Em(9);
    const float bar_h = ImGui::GetFrameHeight() * 0.8f;
    const float row_h = ImGui::GetFrameHeightWithSpacing();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (const auto& o : ind.caseload) {
      ImGui::PushID(o.officer_id.c_str());
      const ImVec2 pos = ImGui::GetCursorScreenPos();
      const float avail = ImGui::GetContentRegionAvail().x - label_w - Em(4);
      const float w = avail * static_cast<float>(o.open_cases) / static_cast<float>(max_cases);
      const float w_over = avail * static_cast<float>(o.overdue) / static_cast<float>(max_cases);
      ImGui::TextUnformatted(o.officer_name.c_str());
      const ImVec2 bar_min(pos.x + label_w,
                           pos.y + (row_h - bar_h) * 0.5f - ImGui::GetStyle().ItemSpacing.y * 0.5f);
      dl->AddRectFilled(bar_min, ImVec2(bar_min.x + w, bar_min.y + bar_h), U32(p.chart[0]),
                        Em(0.15f));
      dl->AddRectFilled(bar_min, ImVec2(bar_min.x + w_over, bar_min.y + bar_h), U32(p.danger),
                        Em(0.15f));
      char n[48];
      std::snprintf(n, sizeof n, "%lld / %lld", static_cast<long long>(o.open_cases),
                    static_cast<long long>(o.overdue));
      dl->AddText(
          ImVec2(bar_min.x + w + Em(0.4f), bar_min.y + (bar_h - ImGui::GetFontSize()) * 0.5f),
          U32(p.text), n);
      // The open part drills to the officer's cases, the red part to the overdue ones.
      ImGui::SetCursorScreenPos(pos);
      if (ImGui::InvisibleButton("drill", ImVec2(label_w + std::max(w, Em(1)),
                                                 row_h - ImGui::GetStyle().ItemSpacing.y))) {
        drill(o.officer_id, 0, false);
      }
      Items().TrackLast((o.officer_name + "###drill_officer").c_str());
      if (ImGui::IsItemHovered()) Tooltip(Tr(S::kShowCases));
      if (o.overdue > 0) {
        ImGui::SetCursorScreenPos(bar_min);
        if (ImGui::InvisibleButton("drill_over", ImVec2(std::max(w_over, Em(0.6f)), bar_h)))
          drill(o.officer_id, 0, true);
        Items().TrackLast((o.officer_name + "###drill_officer_overdue").c_str());
        if (ImGui::IsItemHovered()) Tooltip(Tr(S::kOverdueContacts));
      }
      ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + row_h));
      ImGui::Dummy(ImVec2(0, 0));
      ImGui::PopID();
    }
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    ImGui::TextColored(p.chart[0], "■");
    ImGui::SameLine();
    ImGui::Text("%s   ", Tr(S::kOpenCases));
    ImGui::SameLine();
    ImGui::TextColored(p.danger, "■");
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kOverdueContacts));
    ImGui::PopStyleColor();
  }
  ImGui::EndChild();
  ImGui::SameLine();

  // Risk mix: one stacked bar with a legend; each legend entry drills down.
  ImGui::BeginChild("chart_risk", ImVec2(0, chart_h), true);
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(Tr(S::kRiskMix));
  ImGui::PopFont();
  {
    const std::optional<client::RiskLevel> levels[5] = {
        client::RiskLevel::kLow, client::RiskLevel::kMedium, client::RiskLevel::kHigh,
        client::RiskLevel::kVeryHigh, std::nullopt};
    const char* codes[5] = {"low", "medium", "high", "very_high", "unassessed"};
    const double total = static_cast<double>(std::max<std::int64_t>(1, ind.open_cases));
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = ImGui::GetFrameHeight() * 1.4f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float x = pos.x;
    for (int i = 0; i < 5; ++i) {
      const float seg =
          w * static_cast<float>(static_cast<double>(RiskCount(ind, codes[i])) / total);
      dl->AddRectFilled(ImVec2(x, pos.y), ImVec2(x + seg, pos.y + h), U32(RiskColor(levels[i])));
      x += seg;
    }
    ImGui::Dummy(ImVec2(w, h));
    ImGui::Spacing();
    for (int i = 0; i < 5; ++i) {
      ImGui::PushID(i);
      const std::int64_t n = RiskCount(ind, codes[i]);
      RiskBadge(levels[i]);
      ImGui::SameLine(Em(9));
      char label[64];
      std::snprintf(label, sizeof label, "%lld (%.0f%%)###risk_%d", static_cast<long long>(n),
                    100.0 * static_cast<double>(n) / total, i);
      if (SmallButton(label)) drill({}, i < 4 ? i + 1 : 5, false);
      ImGui::PopID();
    }
  }
  ImGui::EndChild();

  // Programme completion: completed vs dropped out, one bar, and the rate.
  ImGui::BeginChild("programmes", ImVec2(third, 0), true);
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(Tr(S::kProgrammeCompletion));
  ImGui::PopFont();
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Percent(ind.completion_rate_percent).c_str());
  ImGui::PopFont();
  {
    const std::int64_t ended = ind.referrals_completed + ind.referrals_dropped_out;
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = ImGui::GetFrameHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), U32(p.surface_alt), Em(0.15f));
    if (ended > 0) {
      const float done_w =
          w * static_cast<float>(ind.referrals_completed) / static_cast<float>(ended);
      dl->AddRectFilled(pos, ImVec2(pos.x + done_w, pos.y + h), U32(p.ok), Em(0.15f));
      dl->AddRectFilled(ImVec2(pos.x + done_w, pos.y), ImVec2(pos.x + w, pos.y + h), U32(p.warning),
                        Em(0.15f));
    }
    ImGui::Dummy(ImVec2(w, h));
    ImGui::TextColored(p.ok, "■");
    ImGui::SameLine();
    char line[128];
    std::snprintf(line, sizeof line, "%s: %lld###drill_completed",
                  Tr(client::ReferralStatus::kCompleted),
                  static_cast<long long>(ind.referrals_completed));
    if (SmallButton(line))
      drill_cases(IndicatorDrill::kProgrammeCompleted, ind.cases.programme_completed);
    ImGui::TextColored(p.warning, "■");
    ImGui::SameLine();
    std::snprintf(line, sizeof line, "%s: %lld###drill_dropped_out",
                  Tr(client::ReferralStatus::kDroppedOut),
                  static_cast<long long>(ind.referrals_dropped_out));
    if (SmallButton(line))
      drill_cases(IndicatorDrill::kProgrammeDroppedOut, ind.cases.programme_dropped_out);
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0);
    MutedText(Tr(S::kCompletionRule));
    ImGui::PopTextWrapPos();
  }
  ImGui::EndChild();
  ImGui::SameLine();

  // Legal employment: S2 / S1 x 100 with both counts and every exclusion shown.
  ImGui::BeginChild("employment", ImVec2(third, 0), true);
  ImGui::PushFont(fonts_.bold);
  ImGui::TextWrapped("%s", Tr(S::kEmploymentIndicator));
  ImGui::PopFont();
  {
    const client::LegalEmploymentIndicator& e = ind.legal_employment;
    ImGui::PushFont(fonts_.title);
    ImGui::Text("%s", Percent(e.percent).c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    MutedText(
        ("= S2 / S1 × 100 = " + std::to_string(e.s2) + " / " + std::to_string(e.s1) + " × 100")
            .c_str());
    ImGui::PushTextWrapPos(0);
    char line[64];
    std::snprintf(line, sizeof line, "S1 = %lld###drill_s1", static_cast<long long>(e.s1));
    if (SmallButton(line)) drill_cases(IndicatorDrill::kEmploymentS1, ind.cases.employment_s1);
    MutedText(Tr(S::kS1));
    std::snprintf(line, sizeof line, "S2 = %lld###drill_s2", static_cast<long long>(e.s2));
    if (SmallButton(line)) drill_cases(IndicatorDrill::kEmploymentS2, ind.cases.employment_s2);
    MutedText(Tr(S::kS2));
    ImGui::PopTextWrapPos();
    if (e.s1 == 0) MutedText(Tr(S::kNoDataForYear));
    ImGui::Spacing();
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted(Tr(S::kLeftOut));
    ImGui::PopFont();
    ImGui::BulletText("%s: %lld", Tr(S::kExclAge), static_cast<long long>(e.excluded_age));
    ImGui::BulletText("%s: %lld", Tr(S::kExclAgeUnknown),
                      static_cast<long long>(e.excluded_age_unknown));
    ImGui::BulletText("%s: %lld", Tr(S::kExclDisability),
                      static_cast<long long>(e.excluded_disability_group_1));
    ImGui::BulletText("%s: %lld", Tr(S::kExclRelease),
                      static_cast<long long>(e.excluded_release_from_liability));
    ImGui::Spacing();
    MutedText(Tr(S::kEmploymentTarget));
  }
  ImGui::EndChild();
  ImGui::SameLine();

  // Open cases by month opened: a line chart.
  ImGui::BeginChild("chart_months", ImVec2(0, 0), true);
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(Tr(S::kOpenedPerMonth));
  ImGui::PopFont();
  if (d.opened_per_month.size() >= 2) {
    int max_n = 1;
    for (const auto& [m, n] : d.opened_per_month) max_n = std::max(max_n, n);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size(ImGui::GetContentRegionAvail().x,
                      std::max(Em(5), ImGui::GetContentRegionAvail().y - Em(1.6f)));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float n_pts = static_cast<float>(d.opened_per_month.size() - 1);
    dl->AddLine(ImVec2(pos.x, pos.y + size.y), ImVec2(pos.x + size.x, pos.y + size.y),
                U32(p.border));
    // Scale: the top gridline is the busiest month, the baseline zero.
    const float top = pos.y + Em(1);
    dl->AddLine(ImVec2(pos.x, top), ImVec2(pos.x + size.x, top), U32(p.surface_alt));
    const std::string max_label = std::to_string(max_n);
    dl->AddText(ImVec2(pos.x, top - ImGui::GetFontSize()), U32(p.text_muted), max_label.c_str());
    dl->AddText(ImVec2(pos.x, pos.y + size.y - ImGui::GetFontSize()), U32(p.text_muted), "0");
    ImVec2 prev;
    for (std::size_t i = 0; i < d.opened_per_month.size(); ++i) {
      const float fx = pos.x + Em(1) + (size.x - Em(2)) * static_cast<float>(i) / n_pts;
      const float fy = pos.y + size.y -
                       (size.y - Em(1)) * static_cast<float>(d.opened_per_month[i].second) /
                           static_cast<float>(max_n);
      const ImVec2 pt(fx, fy);
      if (i > 0) dl->AddLine(prev, pt, U32(p.chart[0]), Em(0.12f));
      dl->AddCircleFilled(pt, Em(0.22f), U32(p.chart[0]));
      if (i % 3 == 0 || i + 1 == d.opened_per_month.size()) {
        const std::string& m = d.opened_per_month[i].first;
        const std::string label = m.substr(5, 2) + "." + m.substr(2, 2);
        dl->AddText(
            ImVec2(fx - ImGui::CalcTextSize(label.c_str()).x * 0.5f, pos.y + size.y + Em(0.15f)),
            U32(p.text_muted), label.c_str());
      }
      prev = pt;
    }
    ImGui::Dummy(ImVec2(size.x, size.y + Em(1.4f)));
  } else {
    MutedText(Tr(S::kNothingHere));
  }
  ImGui::EndChild();
}

void App::DrawMappa() {
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavMappa));
  ImGui::PopFont();
  DrawMappaRecordButton();
  if (!mappa_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const auto& meetings = mappa_->meetings;
  const float left_w = Em(16);
  ImGui::BeginChild("meetings", ImVec2(left_w, 0), true);
  if (meetings.empty()) MutedText(Tr(S::kNothingHere));
  for (const auto& m : meetings) {
    ImGui::PushID(m.id.c_str());
    const std::string label =
        FormatDate(m.held_on) + "  " + Tr(m.mode) + (m.IsSigned() ? "  ✓" : "");
    if (Selectable(label.c_str(), mappa_state_.selected == m.id)) mappa_state_.selected = m.id;
    ImGui::PopID();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("meeting_detail", ImVec2(0, 0), true);
  if (mappa_state_.form.kind != MappaMeetingForm::Kind::kNone) {
    DrawMappaMeetingForm();  // ui/form_mappa.cpp
    ImGui::EndChild();
    return;
  }
  const client::MappaMeeting* sel = nullptr;
  for (const auto& m : meetings) {
    if (m.id == mappa_state_.selected) sel = &m;
  }
  if (sel == nullptr && !meetings.empty()) sel = &meetings.front();
  if (sel == nullptr) {
    MutedText(Tr(S::kNothingHere));
  } else {
    ImGui::PushFont(fonts_.title);
    ImGui::Text("%s — %s", FormatDate(sel->held_on).c_str(), Tr(sel->mode));
    ImGui::PopFont();
    ImGui::TextUnformatted(sel->IsSigned() ? Tr(S::kSigned) : Tr(S::kUnsigned));
    DrawMappaDraftActions(*sel);  // unsigned minutes: amend, sign (ui/form_mappa.cpp)
    if (sel->IsSigned()) {
      // Signed minutes are handed on: the whole protocol, or one institution's pack.
      if (Button(Id(S::kMappaMinutesPdf, "mappa_minutes_pdf").c_str()))
        OpenMappaMinutesExport(*sel);
      ImGui::SameLine();
      if (Button(Id(S::kMappaPack, "mappa_pack").c_str())) OpenMappaPackExport(*sel);
    }
    SectionHeading(Tr(S::kParticipants), fonts_.bold);
    for (const auto& p : sel->participants) {
      ImGui::PushID(p.id.c_str());
      ImGui::BulletText("%s — %s", Tr(p.institution), p.name.c_str());
      ImGui::PopID();
    }
    SectionHeading(Tr(S::kRiskDecisions), fonts_.bold);
    ImGui::TextWrapped("%s", sel->risk_decisions.c_str());
    SectionHeading(Tr(S::kVictimDecisions), fonts_.bold);
    ImGui::TextWrapped("%s", sel->victim_decisions.c_str());
    SectionHeading(Tr(S::kActions), fonts_.bold);
    int action_index = 0;
    for (const auto& a : sel->actions) {
      ImGui::PushID(a.id.c_str());
      ImGui::Bullet();
      ImGui::TextWrapped("%s — %s, %s %s", a.description.c_str(), Tr(a.owner), Tr(S::kDeadline),
                         FormatDate(a.due_on).c_str());
      ImGui::Indent();
      auto& form = mappa_state_.done;
      if (a.IsDone()) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
        ImGui::Text("✓ %s %s", Tr(S::kDone), FormatDate(a.done_on).c_str());
        ImGui::PopStyleColor();
        if (!a.done_note.empty()) {
          ImGui::SameLine();
          MutedText(a.done_note.c_str());
        }
      } else if (form.action_id != a.id) {
        const std::string id = "action_done_" + std::to_string(action_index);
        if (SmallButton(Id(S::kMarkDone, id.c_str()).c_str())) {
          form = MappaActionDoneForm{};
          form.action_id = a.id;
          form.done_on = FormatDate(session_view_->today);
        }
      } else {
        // Doing an action is follow-up, allowed after the minutes are signed; the core checks
        // the day (not before the meeting, not in the future) and that it is done once.
        ImGui::BeginDisabled(form.saving);
        if (ImGui::BeginTable("done_form", 2, ImGuiTableFlags_SizingStretchProp)) {
          ImGui::TableSetupColumn("d", ImGuiTableColumnFlags_WidthFixed, Em(9));
          ImGui::TableSetupColumn("n", ImGuiTableColumnFlags_WidthStretch);
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          FieldLabel(Tr(S::kDoneOn));
          ImGui::SetNextItemWidth(-1);
          DateInput("##done_on", &form.done_on, 0);
          FieldErrorLine(form.error, "done_on");
          ImGui::TableNextColumn();
          FieldLabel(Tr(S::kNote));
          ImGui::SetNextItemWidth(-1);
          InputText("##done_note", &form.note);
          FieldErrorLine(form.error, "note");
          ImGui::EndTable();
        }
        FieldErrorLine(form.error, "");
        FieldErrorLine(form.error, "action_id");
        if (PrimaryButton(Id(S::kSave, "action_done_save").c_str())) {
          form.saving = true;
          form.error.Clear();
          client::CompleteMappaAction cmd{a.id, form.done_on, form.note};
          Execute(cmd, [this](const Result<std::string>& r) {
            auto& done = mappa_state_.done;
            done.saving = false;
            if (!r.ok()) {
              done.error = ToFieldError(r.error());
              return;
            }
            done = MappaActionDoneForm{};
          });
        }
        ImGui::SameLine();
        if (Button(Id(S::kCancel, "action_done_cancel").c_str())) form = MappaActionDoneForm{};
        ImGui::EndDisabled();
      }
      ImGui::Unindent();
      ++action_index;
      ImGui::PopID();
    }
    SectionHeading(Tr(S::kDisclosures), fonts_.bold);
    if (sel->disclosures.empty()) MutedText(Tr(S::kNone));
    for (const auto& x : sel->disclosures) {
      ImGui::PushID(x.id.c_str());
      ImGui::Bullet();
      ImGui::TextWrapped("%s → %s (%s)", x.what.c_str(), x.to_whom.c_str(), x.legal_basis.c_str());
      ImGui::PopID();
    }
    // What the agency packs handed on: when, by whom, to which institution, on which basis.
    if (!sel->signed_at.empty()) {
      SectionHeading(Tr(S::kDisclosureLog), fonts_.bold);
      const auto log = mappa_->disclosure_logs.find(sel->id);
      if (log == mappa_->disclosure_logs.end() || log->second.empty()) {
        MutedText(Tr(S::kDisclosureLogEmpty));
      } else {
        for (const auto& e : log->second) {
          ImGui::PushID(e.id.c_str());
          ImGui::Bullet();
          ImGui::TextWrapped("%s · %s → %s: %s (%s)", FormatTimestamp(e.disclosed_at).c_str(),
                             session_view_->UserName(e.disclosed_by).c_str(), Tr(e.recipient),
                             e.what.c_str(), e.legal_basis.c_str());
          ImGui::PopID();
        }
      }
    }
    DrawMappaCorrections(*sel);  // signed minutes: corrections (ui/form_corrections.cpp)
  }
  ImGui::EndChild();
}

}  // namespace lietvedis::ui
