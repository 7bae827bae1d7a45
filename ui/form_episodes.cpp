// Episodes on the Overview tab of the case file: electronic monitoring (StartMonitoringEpisode,
// EndMonitoringEpisode with its outcome) and placements in a social-rehabilitation centre
// (PlaceInRehabilitationCentre with the daily cost, EndRehabilitationPlacement), each listed
// with its dates. VPD's daily share is the core's (fixed when the placement is recorded); the
// UI only formats cents. Each form runs the Workspace command the CLI runs (`em start|end`,
// `src place|end`), shows its kValidation message under the field it names and writes nothing
// when refused. Enter in a field saves, Escape cancels; one form at a time per case.
#include <imgui.h>

#include <cstdint>
#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr ImGuiTableFlags kListFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                       ImGuiTableFlags_BordersOuter |
                                       ImGuiTableFlags_SizingStretchProp;

// "12,50 €" of a number of cents.
std::string Euros(std::int64_t cents) {
  std::string c = std::to_string(cents % 100);
  if (c.size() < 2) c.insert(0, "0");
  return std::to_string(cents / 100) + "," + c + " €";
}

// An amount in euros as typed ("12", "12,5", "12.50"): cents, or -1 when it is not one.
std::int64_t CentsOf(const std::string& text) {
  const auto sep = text.find_first_of(",.");
  const std::string whole = text.substr(0, sep);
  const std::string frac = sep == std::string::npos ? std::string() : text.substr(sep + 1);
  const auto digits = [](const std::string& s) {
    return s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (whole.empty() || whole.size() > 7 || !digits(whole)) return -1;
  if (sep != std::string::npos && (frac.empty() || frac.size() > 2 || !digits(frac))) return -1;
  std::int64_t cents = std::stoll(whole) * 100;
  if (!frac.empty()) cents += std::stoll(frac) * (frac.size() == 1 ? 10 : 1);
  return cents;
}

void DateCell(const std::string& iso) {
  ImGui::TableNextColumn();
  TextOrDash(FormatDate(iso));
}

}  // namespace

void App::DrawEpisodes(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  EpisodeForm& form = case_state_.client_forms[case_id].episode;
  using Kind = EpisodeForm::Kind;
  const bool can_write = session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                         f.case_record.status == client::CaseStatus::kOpen;
  const client::EmEpisode* episode = nullptr;
  for (const auto& e : f.monitoring) {
    if (e.id == form.record_id) episode = &e;
  }
  const client::RehabilitationPlacement* placement = nullptr;
  for (const auto& p : f.placements) {
    if (p.id == form.record_id) placement = &p;
  }
  if (!form.saving && ((form.kind == Kind::kEndMonitoring && episode == nullptr) ||
                       (form.kind == Kind::kEndPlacement && placement == nullptr))) {
    form = EpisodeForm{};  // gone meanwhile
  }
  auto open = [&](Kind kind, const std::string& record_id) {
    form = EpisodeForm{};
    form.kind = kind;
    form.record_id = record_id;
    form.scroll = true;  // the form opens under both lists, often below the tab's fold
    const std::string today = FormatDate(session_view_->today);
    if (kind == Kind::kStartMonitoring || kind == Kind::kPlace) form.started_on = today;
    if (kind == Kind::kEndMonitoring || kind == Kind::kEndPlacement) form.ended_on = today;
  };

  // Electronic monitoring.
  SectionHeading(Tr(S::kMonitoring), fonts_.bold);
  if (f.monitoring.empty()) {
    MutedText(Tr(S::kNone));
  } else if (ImGui::BeginTable("monitoring_list", 5, kListFlags)) {
    ImGui::TableSetupColumn(Tr(S::kStart));
    ImGui::TableSetupColumn(Tr(S::kPlannedEnd));
    ImGui::TableSetupColumn(Tr(S::kEndedOn));
    ImGui::TableSetupColumn(Tr(S::kOutcome));
    ImGui::TableSetupColumn("##em_actions");
    ImGui::TableHeadersRow();
    int row = 0;
    for (const auto& e : f.monitoring) {
      ImGui::PushID(e.id.c_str());
      const std::string n = std::to_string(row++);
      ImGui::TableNextRow();
      DateCell(e.started_on);
      DateCell(e.planned_end_on);
      DateCell(e.ended_on);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(e.outcome));
      ImGui::TableNextColumn();
      if (can_write && e.ended_on.empty()) {
        ImGui::BeginDisabled(form.kind != Kind::kNone);
        if (SmallButton(Id(S::kEndMonitoring, ("end_monitoring_" + n).c_str()).c_str()))
          open(Kind::kEndMonitoring, e.id);
        ImGui::EndDisabled();
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (can_write && form.kind == Kind::kNone &&
      Button(Id(S::kStartMonitoring, "start_monitoring").c_str())) {
    open(Kind::kStartMonitoring, "");
  }

  // Social-rehabilitation centres.
  SectionHeading(Tr(S::kPlacements), fonts_.bold);
  if (f.placements.empty()) {
    MutedText(Tr(S::kNone));
  } else if (ImGui::BeginTable("centre_list", 7, kListFlags)) {
    ImGui::TableSetupColumn(Tr(S::kCentre), 0, 2.0f);
    ImGui::TableSetupColumn(Tr(S::kStart));
    ImGui::TableSetupColumn(Tr(S::kPlannedEnd));
    ImGui::TableSetupColumn(Tr(S::kEndedOn));
    ImGui::TableSetupColumn(Tr(S::kDailyCost));
    ImGui::TableSetupColumn(Tr(S::kVpdDailyShare));
    ImGui::TableSetupColumn("##centre_actions");
    ImGui::TableHeadersRow();
    int row = 0;
    for (const auto& p : f.placements) {
      ImGui::PushID(p.id.c_str());
      const std::string n = std::to_string(row++);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", p.centre.c_str());
      DateCell(p.started_on);
      DateCell(p.planned_end_on);
      DateCell(p.ended_on);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Euros(p.daily_cost_cents).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Euros(p.vpd_daily_share_cents).c_str());
      ImGui::TableNextColumn();
      if (can_write && p.ended_on.empty()) {
        ImGui::BeginDisabled(form.kind != Kind::kNone);
        if (SmallButton(Id(S::kEndCentrePlacement, ("end_centre_" + n).c_str()).c_str()))
          open(Kind::kEndPlacement, p.id);
        ImGui::EndDisabled();
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (can_write && form.kind == Kind::kNone &&
      Button(Id(S::kPlaceInCentre, "place_in_centre").c_str())) {
    open(Kind::kPlace, "");
  }
  if (!can_write || form.kind == Kind::kNone) return;

  // The open form, under both lists.
  std::string title;
  switch (form.kind) {
    case Kind::kStartMonitoring:
      title = Tr(S::kStartMonitoring);
      break;
    case Kind::kEndMonitoring:
      title = std::string(Tr(S::kEndMonitoring)) + " — " +
              (episode != nullptr ? FormatDate(episode->started_on) : std::string());
      break;
    case Kind::kPlace:
      title = Tr(S::kPlaceInCentre);
      break;
    case Kind::kEndPlacement:
      title = std::string(Tr(S::kEndCentrePlacement)) + " — " +
              (placement != nullptr ? placement->centre : std::string());
      break;
    case Kind::kNone:
      break;
  }
  SectionHeading(title.c_str(), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  const auto field = [&](S label, const char* id, std::string* value, const char* error_field,
                         bool date) {
    submit |= TableField(Tr(label), id, value, form.error, error_field,
                         date ? FieldKind::kDate : FieldKind::kText);
  };
  if (ImGui::BeginTable("episode_form", 4, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    switch (form.kind) {
      case Kind::kStartMonitoring:
        field(S::kStart, "##em_started_on", &form.started_on, "started_on", true);
        field(S::kPlannedEnd, "##em_planned_end", &form.planned_end_on, "planned_end_on", true);
        break;
      case Kind::kEndMonitoring: {
        field(S::kEndedOn, "##em_ended_on", &form.ended_on, "ended_on", true);
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kOutcome));
        // An episode ends completed or revoked; "ongoing" is not an end.
        ImGui::SetNextItemWidth(-1);
        if (BeginCombo("##em_outcome", Tr(form.outcome))) {
          for (const auto o : {client::EmOutcome::kCompleted, client::EmOutcome::kRevoked}) {
            ImGui::PushID(static_cast<int>(o));
            if (Selectable(Tr(o), form.outcome == o)) form.outcome = o;
            ImGui::PopID();
          }
          EndCombo();
        }
        FieldErrorLine(form.error, "outcome");
        break;
      }
      case Kind::kPlace:
        field(S::kCentre, "##centre_name", &form.centre, "centre", false);
        field(S::kStart, "##centre_started_on", &form.started_on, "started_on", true);
        field(S::kPlannedEnd, "##centre_planned_end", &form.planned_end_on, "planned_end_on", true);
        field(S::kDailyCost, "##centre_daily_cost", &form.daily_cost, "daily_cost_cents", false);
        break;
      case Kind::kEndPlacement:
        field(S::kEndedOn, "##centre_ended_on", &form.ended_on, "ended_on", true);
        break;
      case Kind::kNone:
        break;
    }
    ImGui::EndTable();
  }
  for (const char* other : {"case_id", "episode_id", "placement_id", ""})
    FieldErrorLine(form.error, other);
  submit |= PrimaryButton(Id(S::kSave, "episode_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "episode_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (form.scroll) {
    ImGui::SetScrollHereY(1.0f);
    form.scroll = false;
  }
  if (cancel && !form.saving) {
    form = EpisodeForm{};
    return;
  }
  if (!submit || form.saving) return;
  form.error.Clear();
  client::Command cmd;
  switch (form.kind) {
    case Kind::kStartMonitoring:
      cmd = client::StartMonitoringEpisode{case_id, form.started_on, form.planned_end_on};
      break;
    case Kind::kEndMonitoring:
      cmd = client::EndMonitoringEpisode{form.record_id, form.ended_on, form.outcome};
      break;
    case Kind::kPlace: {
      const std::int64_t cents = CentsOf(form.daily_cost);
      if (cents < 0) {
        form.error = FieldError{"daily_cost_cents", Tr(S::kAmountInEuros)};
        form.scroll = true;
        return;
      }
      cmd = client::PlaceInRehabilitationCentre{case_id, form.centre, form.started_on,
                                                form.planned_end_on, cents};
      break;
    }
    case Kind::kEndPlacement:
      cmd = client::EndRehabilitationPlacement{form.record_id, form.ended_on};
      break;
    case Kind::kNone:
      return;
  }
  form.saving = true;
  Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
    EpisodeForm& done = case_state_.client_forms[case_id].episode;
    done.saving = false;
    if (!r.ok()) {
      done.error = ToFieldError(r.error());
      done.scroll = true;
      return;
    }
    done = EpisodeForm{};
  });
}

}  // namespace lietvedis::ui
