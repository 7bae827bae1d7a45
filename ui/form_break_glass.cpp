// Break-glass in the desktop (rules in client/workflows_break_glass.cpp and
// client/permissions.hpp): the cases an officer covers for an absent colleague and the sealed
// juvenile cases, listed above the caseload's table behind a lock; the modal asking for the
// reason (Piekļuve ārkārtas kārtā; Enter opens, Escape cancels, a refused reason under its
// field); and the case header's line while a break-glass is open.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "client/validation.hpp"
#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

// A padlock one line high, drawn (the fonts carry no icon glyphs).
void LockIcon() {
  const float h = ImGui::GetTextLineHeight();
  const float w = h * 0.7f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 col = ImGui::GetColorU32(Colors().warning);
  dl->AddRectFilled(ImVec2(p.x, p.y + h * 0.45f), ImVec2(p.x + w, p.y + h * 0.95f), col, h * 0.08f);
  constexpr float kPi = 3.14159265f;
  dl->PathArcTo(ImVec2(p.x + w * 0.5f, p.y + h * 0.45f), w * 0.3f, kPi, 2.0f * kPi, 12);
  dl->PathStroke(col, 0, h * 0.12f);
  ImGui::Dummy(ImVec2(w, h));
}

// HH:MM in Latvia's time of an ISO UTC timestamp ("2026-03-16T21:59:59Z" -> "23:59").
std::string LocalClock(const std::string& iso) {
  const auto ms = client::StampMs(iso);
  return ms ? client::ServiceDateTime(*ms).substr(11) : iso;
}

std::string Formatted(S format, const std::string& a, const std::string& b = {}) {
  char buf[400];
  std::snprintf(buf, sizeof buf, Tr(format), a.c_str(), b.c_str());
  return buf;
}

}  // namespace

void App::DrawLockedCases() {
  if (!caseload_) return;
  const CaseloadView& view = *caseload_;
  // The caseload's search narrows these lists too (name or surname, diacritics folded).
  const std::string search = client::FoldForSearch(caseload_state_.search);
  const auto matches = [&](const std::string& name, const std::string& surname) {
    return search.empty() ||
           client::FoldForSearch(name + " " + surname).find(search) != std::string::npos;
  };
  // One line per absent colleague, closed until the deputy opens it: an officer covering for
  // two colleagues on leave still sees her own caseload first.
  if (!view.covered.empty()) {
    SectionHeading(Tr(S::kCoveredCases), fonts_.bold);
    std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;  // officer -> rows
    for (std::size_t i = 0; i < view.covered.size(); ++i) {
      const client::CoveredCase& c = view.covered[i];
      if (!matches(c.client_name, c.client_surname)) continue;
      auto g = std::find_if(groups.begin(), groups.end(),
                            [&](const auto& e) { return e.first == c.officer_id; });
      if (g == groups.end()) g = groups.insert(groups.end(), {c.officer_id, {}});
      g->second.push_back(i);
    }
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      const auto& [officer_id, rows] = groups[gi];
      const client::CoveredCase& first = view.covered[rows.front()];
      // A search that finds a covered client opens the group.
      const bool expanded = !search.empty() || caseload_state_.covered_open.count(officer_id) != 0;
      char head[300];
      // Latvian counts ending in 1 (but not 11) take the singular: 1, 21 lieta; 11, 40 lietas.
      const bool singular = rows.size() % 10 == 1 && rows.size() % 100 != 11;
      std::snprintf(head, sizeof head, Tr(singular ? S::kCoverGroupOne : S::kCoverGroup),
                    expanded ? "▼" : "▶", first.officer_name.c_str(),
                    FormatDate(first.until_day).c_str(), rows.size());
      const std::string label = std::string(head) + "###covered_group" + std::to_string(gi);
      if (Selectable(label.c_str(), false) && search.empty()) {
        if (expanded) {
          caseload_state_.covered_open.erase(officer_id);
        } else {
          caseload_state_.covered_open.insert(officer_id);
        }
      }
      if (!expanded) continue;
      ImGui::Indent();
      for (const std::size_t i : rows) {
        const client::CoveredCase& c = view.covered[i];
        ImGui::PushID(c.case_id.c_str());
        const bool open = !c.break_glass_until.empty();
        if (!open) {
          LockIcon();
          ImGui::SameLine();
        }
        const std::string who = c.client_surname + " " + c.client_name;
        std::string label_row = who;
        if (open)
          label_row += " · " + Formatted(S::kBreakGlassUntil, LocalClock(c.break_glass_until));
        label_row += "###covered_row" + std::to_string(i);
        if (Selectable(label_row.c_str(), false)) {
          if (open) {
            OpenCase(c.case_id);
          } else {
            RequestBreakGlass(c.case_id, who);
          }
        }
        if (!open && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(S::kOpensByBreakGlass));
        ImGui::PopID();
      }
      ImGui::Unindent();
    }
  }
  if (!view.sealed.empty()) {
    SectionHeading(Tr(S::kSealedCases), fonts_.bold);
    for (std::size_t i = 0; i < view.sealed.size(); ++i) {
      const client::CaseloadRow& r = view.sealed[i];
      if (!matches(r.name, r.surname)) continue;
      ImGui::PushID(r.case_id.c_str());
      LockIcon();
      ImGui::SameLine();
      const std::string who = r.surname + " " + r.name;
      const std::string label = who + " — " + Tr(r.kind) + "###sealed_row" + std::to_string(i);
      if (Selectable(label.c_str(), false)) {
        // A file already read under an open break-glass opens again; otherwise ask the reason.
        if (case_files_.count(r.case_id) != 0) {
          OpenCase(r.case_id);
        } else {
          RequestBreakGlass(r.case_id, who);
        }
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(S::kOpensByBreakGlass));
      ImGui::PopID();
    }
  }
  if (!view.covered.empty() || !view.sealed.empty()) ImGui::Spacing();
}

void App::RequestBreakGlass(const std::string& case_id, std::string client_label) {
  break_glass_form_ = BreakGlassForm{};
  break_glass_form_.open = true;
  break_glass_form_.case_id = case_id;
  break_glass_form_.client_label = std::move(client_label);
}

void App::DrawBreakGlass() {
  BreakGlassForm& f = break_glass_form_;
  // Opened here, at the caseload window's ID level, whichever row asked for it.
  if (f.open && !ImGui::IsPopupOpen("break_glass")) ImGui::OpenPopup("break_glass");
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(Em(32), 0));
  if (!ImGui::BeginPopupModal("break_glass", nullptr,
                              ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize))
    return;
  const bool appearing = ImGui::IsWindowAppearing();
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kBreakGlassTitle));
  ImGui::PopFont();
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(f.client_label.c_str());
  ImGui::PopFont();
  MutedText(Tr(S::kBreakGlassIntro));
  ImGui::Spacing();
  bool submit = false;
  ImGui::BeginDisabled(f.saving);
  FieldLabel(Tr(S::kBreakGlassReason));
  ImGui::SetNextItemWidth(-1);
  if (appearing) ImGui::SetKeyboardFocusHere();
  submit |= InputText("##break_glass_reason", &f.reason, ImGuiInputTextFlags_EnterReturnsTrue);
  FieldErrorLine(f.error, "reason");
  FieldErrorLine(f.error, "");
  ImGui::Spacing();
  submit |= PrimaryButton(Id(S::kBreakGlassOpen, "break_glass_save").c_str());
  ImGui::SameLine();
  if (Button(Id(S::kCancel, "break_glass_cancel").c_str())) f.open = false;
  ImGui::EndDisabled();
  if (submit && !f.saving) {
    f.saving = true;
    f.error.Clear();
    const std::string case_id = f.case_id;
    Execute(client::OpenBreakGlass{case_id, f.reason},
            [this, case_id](const Result<std::string>& r) {
              BreakGlassForm& form = break_glass_form_;
              form.saving = false;
              if (!r.ok()) {
                form.error = ToFieldError(r.error());
                if (r.error().code == Errc::kNotPermitted) {
                  form.error.field.clear();
                  form.error.message = Tr(S::kBreakGlassRefused);
                }
                return;
              }
              form.open = false;
              OpenCase(case_id);
            });
  }
  if (!f.saving && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    f.open = false;
  }
  if (f.saving) {
    ImGui::SameLine();
    Spinner(0.5f);
  }
  if (!f.open) ImGui::CloseCurrentPopup();
  EndPopup();
}

void App::DrawBreakGlassBanner(const CaseFileSnapshot& snap) {
  const client::CaseFileView& f = snap.file;
  if (f.break_glass_until.empty() && !f.sealed) return;
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
  if (!f.break_glass_until.empty()) {
    LockIcon();
    ImGui::SameLine();
    ImGui::TextUnformatted(Formatted(S::kBreakGlassUntil, LocalClock(f.break_glass_until)).c_str());
    if (f.sealed) ImGui::SameLine(0, Em(1));
  }
  if (f.sealed) ImGui::TextUnformatted(Tr(S::kSealedReadOnly));
  ImGui::PopStyleColor();
}

}  // namespace lietvedis::ui
