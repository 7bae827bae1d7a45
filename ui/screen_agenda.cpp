// Agenda: what client::BuildAgenda lists for the acting user — overdue, today, the next seven
// days — every item kind with its date, client and detail; a row opens its case file (a MAPPA
// action about several cases opens the meetings page). A coordinator's agenda is her sign-off
// backlog: a row opens the client card with the session ready to sign off. No dates are
// computed here.
#include <imgui.h>

#include <cstdio>
#include <exception>
#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/i18n.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

// "dd.mm.yyyy" or "dd.mm.yyyy HH:MM" from an ISO date or a recorded date/time.
std::string FormatDue(const std::string& due) {
  std::string out = FormatDate(due);
  if (due.size() >= 16 && (due[10] == 'T' || due[10] == ' '))
    out.append(" ").append(due.substr(11, 5));
  return out;
}

// Minutes as hours for a reader: "30 h", "4 h 30 min".
std::string Hours(const std::string& minutes_text) {
  long long minutes = 0;
  try {
    minutes = std::stoll(minutes_text);
  } catch (const std::exception&) {
    return minutes_text;
  }
  std::string out = std::to_string(minutes / 60) + " h";
  if (minutes % 60 != 0) out += " " + std::to_string(minutes % 60) + " min";
  return out;
}

std::string Formatted(S format, const std::string& value) {
  char buf[200];
  std::snprintf(buf, sizeof buf, Tr(format), value.c_str());
  return buf;
}

// The item's detail in words: a risk level, an institution, hours of community work, a date
// (drafts, the last assessment, a filing), or free text as stored (programme, sentence type,
// centre).
std::string DetailText(const client::AgendaItem& item) {
  if (item.detail.empty()) return {};
  switch (item.kind) {
    case client::AgendaKind::kContactDue:
      if (auto r = client::FromCode<client::RiskLevel>(item.detail)) return Tr(*r);
      return Tr(S::kNotAssessed);
    case client::AgendaKind::kEvaluationDeadline:
    case client::AgendaKind::kEvaluationDraft:
      // The requester: court, prosecutor or prison (the prison administration, IeVP).
      if (item.detail == "prison") return Tr(client::Institution::kIevp);
      [[fallthrough]];
    case client::AgendaKind::kMappaAction:
      if (auto i = client::FromCode<client::Institution>(item.detail)) return Tr(*i);
      return item.detail;
    case client::AgendaKind::kCommunityDeadline: {  // minutes still to work
      char buf[128];
      std::snprintf(buf, sizeof buf, Tr(S::kHoursRemaining), Hours(item.detail).c_str());
      return buf;
    }
    case client::AgendaKind::kCommunityBehind: {  // "done/expected by today", in minutes
      const auto slash = item.detail.find('/');
      if (slash == std::string::npos) return item.detail;
      char buf[160];
      std::snprintf(buf, sizeof buf, Tr(S::kHoursBehind),
                    Hours(item.detail.substr(0, slash)).c_str(),
                    Hours(item.detail.substr(slash + 1)).c_str());
      return buf;
    }
    case client::AgendaKind::kReassessmentDue:  // the latest signed assessment's date
      return Formatted(S::kAgendaLastAssessed, FormatDate(item.detail));
    case client::AgendaKind::kAssessmentDraft:  // the draft's date
    case client::AgendaKind::kMappaMinutesDraft:
      return Formatted(S::kAgendaDraftedOn, FormatDate(item.detail));
    case client::AgendaKind::kCourtDecisionPending: {  // the application kind; due on its filing
      const std::string filed = Formatted(S::kAgendaFiledOn, FormatDate(item.due_on));
      if (auto k = client::FromCode<client::CourtApplicationKind>(item.detail))
        return std::string(Tr(*k)) + " · " + filed;
      return filed;
    }
    case client::AgendaKind::kMediationMeeting:  // the planned meeting's mode
      if (auto m = client::FromCode<client::MeetingMode>(item.detail)) return Tr(*m);
      return {};
    case client::AgendaKind::kMediationAgreementDue:  // the day the agreement was reached
      return FormatDate(item.detail);
    case client::AgendaKind::kMentoringSignoff: {  // the volunteer; days since it was logged
      char buf[200];
      std::snprintf(buf, sizeof buf, Tr(S::kAgendaSignoffDetail), item.detail.c_str(),
                    static_cast<long long>(item.days_waiting));
      return buf;
    }
    case client::AgendaKind::kBreakGlass: {  // who, on which day, and the reason given
      char buf[600];
      std::snprintf(buf, sizeof buf, Tr(S::kBreakGlassAgendaDetail), item.by_user_name.c_str(),
                    FormatDate(item.due_on).c_str(), item.detail.c_str());
      return buf;
    }
    default:  // free text as recorded: programme, sentence type, centre
      return item.detail;
  }
}

}  // namespace

void App::DrawAgenda() {
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavAgenda));
  ImGui::PopFont();
  if (agenda_) {
    ImGui::SameLine();
    const float w = ImGui::CalcTextSize(Tr(S::kExport)).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - w);
    if (Button(Id(S::kExport, "export_agenda").c_str())) OpenAgendaExport();
  }
  if (!agenda_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const AgendaView& a = *agenda_;
  const bool coordinator = session_view_->actor.role == client::Role::kVolunteerCoordinator;
  MutedText(Tr(coordinator ? S::kAgendaIntroCoordinator : S::kAgendaIntro));
  auto column = [this, &a](const char* id, const std::string& title, client::AgendaBucket bucket) {
    const auto& indices = a.by_bucket[static_cast<std::size_t>(bucket)];
    const bool red = bucket == client::AgendaBucket::kOverdue;
    ImGui::BeginChild(id, ImVec2(0, 0), true);
    ImGui::PushFont(fonts_.bold);
    ImGui::Text("%s  (%zu)", title.c_str(), indices.size());
    ImGui::PopFont();
    ImGui::Separator();
    if (indices.empty()) MutedText(Tr(S::kNothingHere));
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(indices.size()), ImGui::GetTextLineHeightWithSpacing() * 2);
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const client::AgendaItem& item = a.agenda.items[indices[static_cast<std::size_t>(i)]];
        ImGui::PushID(static_cast<int>(item.kind));
        ImGui::PushID(item.record_id.c_str());
        const std::string who = item.case_id.empty() ? std::string(Tr(S::kSeveralCases))
                                                     : item.client_surname + " " + item.client_name;
        const std::string detail = DetailText(item);
        const std::string line1 =
            FormatDue(item.due_at.empty() ? item.due_on : item.due_at) + "   " + who;
        const std::string line2 =
            std::string(Tr(item.kind)) + (detail.empty() ? "" : " · " + detail);
        if (red) ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
        const std::string label =
            line1 + "###agenda_" + std::string(client::Code(bucket)) + "_" + std::to_string(i);
        const bool clicked = Selectable(label.c_str(), false);
        if (red) ImGui::PopStyleColor();
        ImGui::Indent(Em(1));
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
        ImGui::TextUnformatted(line2.c_str());  // one line: the clipper counts fixed heights
        ImGui::PopStyleColor();
        ImGui::Unindent(Em(1));
        if (clicked) {
          if (item.kind == client::AgendaKind::kMentoringSignoff) {
            OpenCardSession(item.case_id, item.record_id);
          } else if (item.case_id.empty()) {
            page_ = Page::kMappa;
            RefreshMappa();
          } else {
            OpenCase(item.case_id);
          }
        }
        ImGui::PopID();
        ImGui::PopID();
      }
    }
    ImGui::EndChild();
  };
  // The coordinator's backlog waits without a period: one column, the full width, so each row
  // reads whole (the volunteer and the days waiting).
  if (coordinator) {
    column("week", Tr(S::kSessionAwaitsYourSignOff), client::AgendaBucket::kThisWeek);
    return;
  }
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float col_w = (ImGui::GetContentRegionAvail().x - spacing * 2) / 3;
  ImGui::BeginChild("overdue_col", ImVec2(col_w, 0), false);
  column("overdue", Tr(S::kAgendaOverdue), client::AgendaBucket::kOverdue);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("today_col", ImVec2(col_w, 0), false);
  column("today", std::string(Tr(S::kToday)) + " " + FormatDate(a.agenda.today),
         client::AgendaBucket::kToday);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("week_col", ImVec2(0, 0), false);
  column("week", Tr(S::kNextSevenDays), client::AgendaBucket::kThisWeek);
  ImGui::EndChild();
}

}  // namespace lietvedis::ui
