// Community work (piespiedu darbs) on the Supervision tab of a community_work or
// juvenile_community_work case: the order (OrderCommunityWork) with the hours ordered, done
// and remaining, the placements where they are worked (AddWorkPlacement, EndWorkPlacement) and
// the hours logged per day (LogCommunityHours). Each form runs the Workspace command the CLI
// runs (`community order|placement|end-placement|log`), shows its kValidation message under
// the field it names and writes nothing when refused. The totals are the core's
// (CommunityWorkOrder::minutes_done); the UI only formats them.
#include <imgui.h>

#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr ImGuiTableFlags kListFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
    ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;

bool BeginKeyValue(const char* id) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp)) return false;
  ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, Em(11));
  ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
  return true;
}

// "7 h 30 min" of a number of minutes.
std::string Hours(std::int64_t minutes) {
  std::string out = std::to_string(minutes / 60) + " h";
  if (minutes % 60 != 0) out += " " + std::to_string(minutes % 60) + " min";
  return out;
}

// A whole number typed in a form field (at most 6 digits), or -1.
long long WholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 6) return -1;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
  }
  return std::stoll(text);
}

const client::WorkPlacement* FindPlacement(const client::CaseFileView& f, const std::string& id) {
  for (const auto& p : f.work_placements) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace

void App::DrawCommunityWork(const CaseFileSnapshot& snap, bool can_write) {
  const auto& f = snap.file;
  const bool community_case = f.case_record.kind == client::CaseKind::kCommunityWork ||
                              f.case_record.kind == client::CaseKind::kJuvenileCommunityWork;
  if (!community_case && f.community_orders.empty()) return;
  const std::string case_id = f.case_record.id;
  CommunityForm& form = case_state_.community_forms[case_id];
  using Kind = CommunityForm::Kind;
  const client::CommunityWorkOrder* order =
      f.community_orders.empty() ? nullptr : &f.community_orders.front();
  if ((form.kind == Kind::kEndPlacement || form.kind == Kind::kLogHours)) {
    const client::WorkPlacement* p = FindPlacement(f, form.placement_id);
    if (p == nullptr || !p->ended_on.empty()) form = CommunityForm{};  // ended meanwhile
  }
  SectionHeading(Tr(S::kCommunityWork), fonts_.bold);
  if (order == nullptr) {
    MutedText(Tr(S::kNoCommunityOrder));
  } else if (BeginKeyValue("community_order_kv")) {
    KeyValueRow(Tr(S::kOrderedOn), FormatDate(order->ordered_on));
    KeyValueRow(Tr(S::kDeadline), FormatDate(order->deadline_on));
    KeyValueRow(Tr(S::kCourtDecision), order->court_decision_ref);
    KeyValueRow(Tr(S::kHoursOrdered), Hours(order->hours_ordered * 60));
    KeyValueRow(Tr(S::kHoursDone), Hours(order->minutes_done));
    KeyValueRow(Tr(S::kHoursLeft), Hours(order->MinutesRemaining()));
    ImGui::EndTable();
  }
  if (can_write && form.kind == Kind::kNone) {
    if (order == nullptr) {
      if (Button(Id(S::kOrderCommunityWork, "order_community_work").c_str())) {
        form = CommunityForm{};
        form.kind = Kind::kOrder;
        form.ordered_on = FormatDate(session_view_->today);
      }
    } else if (Button(Id(S::kAddPlacement, "add_placement").c_str())) {
      form = CommunityForm{};
      form.kind = Kind::kPlacement;
      form.started_on = FormatDate(session_view_->today);
    }
  }
  if (can_write && form.kind != Kind::kNone) {
    const client::WorkPlacement* placement = FindPlacement(f, form.placement_id);
    std::string title;
    switch (form.kind) {
      case Kind::kOrder:
        title = Tr(S::kOrderCommunityWork);
        break;
      case Kind::kPlacement:
        title = Tr(S::kAddPlacement);
        break;
      case Kind::kEndPlacement:
        title = std::string(Tr(S::kEndPlacement)) + " — " +
                (placement != nullptr ? placement->provider : std::string());
        break;
      case Kind::kLogHours:
        title = std::string(Tr(S::kLogHours)) + " — " +
                (placement != nullptr ? placement->provider : std::string());
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
    if (ImGui::BeginTable("community_form", 4, ImGuiTableFlags_SizingStretchSame)) {
      ImGui::TableNextRow();
      switch (form.kind) {
        case Kind::kOrder:
          field(S::kHoursOrdered, "##community_hours_ordered", &form.hours, "hours_ordered", false);
          field(S::kOrderedOn, "##community_ordered_on", &form.ordered_on, "ordered_on", true);
          field(S::kDeadline, "##community_deadline", &form.deadline_on, "deadline_on", true);
          field(S::kCourtDecision, "##community_court_ref", &form.court_ref, "court_decision_ref",
                false);
          break;
        case Kind::kPlacement:
          field(S::kProvider, "##placement_provider", &form.provider, "provider", false);
          field(S::kAddress, "##placement_address", &form.address, "address", false);
          field(S::kStart, "##placement_started_on", &form.started_on, "started_on", true);
          break;
        case Kind::kEndPlacement:
          field(S::kEndedOn, "##placement_ended_on", &form.ended_on, "ended_on", true);
          break;
        case Kind::kLogHours:
          field(S::kWorkedOn, "##hours_worked_on", &form.worked_on, "worked_on", true);
          field(S::kHoursShort, "##hours_hours", &form.hours, "minutes", false);
          // The core names "minutes" for the day's total: its message shows under the hours.
          field(S::kMinutesField, "##hours_minutes", &form.minutes, "-", false);
          field(S::kNote, "##hours_note", &form.note, "note", false);
          break;
        case Kind::kNone:
          break;
      }
      ImGui::EndTable();
    }
    FieldErrorLine(form.error, "case_id");
    FieldErrorLine(form.error, "order_id");
    FieldErrorLine(form.error, "placement_id");
    FieldErrorLine(form.error, "");
    submit |= PrimaryButton(Id(S::kSave, "community_save").c_str());
    ImGui::SameLine();
    const bool cancel = Button(Id(S::kCancel, "community_cancel").c_str()) || FormCancelPressed();
    ImGui::EndDisabled();
    if (cancel && !form.saving) {
      form = CommunityForm{};
    } else if (submit && !form.saving) {
      form.error.Clear();
      client::Command cmd;
      bool ok = true;
      if (form.kind == Kind::kOrder) {
        const long long hours = WholeNumber(form.hours);
        if (hours < 0) {
          form.error = FieldError{"hours_ordered", Tr(S::kWholeNumber)};
          ok = false;
        }
        cmd = client::OrderCommunityWork{case_id, hours, form.ordered_on, form.deadline_on,
                                         form.court_ref};
      } else if (form.kind == Kind::kPlacement) {
        cmd = client::AddWorkPlacement{order != nullptr ? order->id : std::string(), form.provider,
                                       form.address, form.started_on};
      } else if (form.kind == Kind::kEndPlacement) {
        cmd = client::EndWorkPlacement{form.placement_id, form.ended_on};
      } else {
        const long long hours = form.hours.empty() ? 0 : WholeNumber(form.hours);
        const long long minutes = form.minutes.empty() ? 0 : WholeNumber(form.minutes);
        if (hours < 0 || minutes < 0) {
          form.error = FieldError{hours < 0 ? "minutes" : "", Tr(S::kWholeNumber)};
          ok = false;
        }
        cmd = client::LogCommunityHours{form.placement_id, form.worked_on, hours * 60 + minutes,
                                        form.note};
      }
      if (ok) {
        form.saving = true;
        Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
          CommunityForm& done = case_state_.community_forms[case_id];
          done.saving = false;
          if (!r.ok()) {
            done.error = ToFieldError(r.error());
            return;
          }
          done = CommunityForm{};
        });
      }
    }
    ImGui::Spacing();
  }
  if (order == nullptr) return;
  SectionHeading(Tr(S::kPlacementsWork), fonts_.bold);
  if (f.work_placements.empty()) MutedText(Tr(S::kNone));
  int row = 0;
  for (const auto& p : f.work_placements) {
    ImGui::PushID(p.id.c_str());
    const std::string n = std::to_string(row++);
    ImGui::BulletText("%s, %s: %s – %s", p.provider.c_str(), p.address.c_str(),
                      FormatDate(p.started_on).c_str(), FormatDate(p.ended_on).c_str());
    if (can_write && p.ended_on.empty()) {
      ImGui::SameLine();
      ImGui::BeginDisabled(form.kind != Kind::kNone);
      if (SmallButton(Id(S::kLogHours, ("log_hours_" + n).c_str()).c_str())) {
        form = CommunityForm{};
        form.kind = Kind::kLogHours;
        form.placement_id = p.id;
        form.worked_on = FormatDate(session_view_->today);
      }
      ImGui::SameLine();
      if (SmallButton(Id(S::kEndPlacement, ("end_placement_" + n).c_str()).c_str())) {
        form = CommunityForm{};
        form.kind = Kind::kEndPlacement;
        form.placement_id = p.id;
        form.ended_on = FormatDate(session_view_->today);
      }
      ImGui::EndDisabled();
    }
    ImGui::PopID();
  }
  SectionHeading(Tr(S::kHoursLog), fonts_.bold);
  if (f.community_hours.empty()) {
    MutedText(Tr(S::kNone));
    return;
  }
  if (!ImGui::BeginTable("community_hours", 4, kListFlags)) return;
  ImGui::TableSetupColumn(Tr(S::kWorkedOn), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kProvider), 0, 2.0f);
  ImGui::TableSetupColumn(Tr(S::kHoursShort), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kNote), 0, 3.0f);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(f.community_hours.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& h = f.community_hours[static_cast<std::size_t>(i)];
      const client::WorkPlacement* p = FindPlacement(f, h.placement_id);
      ImGui::PushID(h.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(FormatDate(h.worked_on).c_str());
      ImGui::TableNextColumn();
      TextOrDash(p != nullptr ? p->provider : "");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Hours(h.minutes).c_str());
      ImGui::TableNextColumn();
      TextOrDash(h.note);
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

}  // namespace lietvedis::ui
