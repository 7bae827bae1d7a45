// The frame's top level: the unlock / enrol / choose-user screens and the main shell (navigation
// column, page, status bar).
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstring>

#include "client/permissions.hpp"
#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/script.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {
constexpr ImGuiWindowFlags kRootFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus;
}

void App::DrawFrame() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("Lietvedis###root", nullptr, kRootFlags);
  switch (screen_) {
    case Screen::kStarting:
      DrawCentered(26, [this] {
        ImGui::PushFont(fonts_.title);
        ImGui::TextUnformatted(Tr(S::kAppName));
        ImGui::PopFont();
        Spinner(1.0f);
        ImGui::SameLine();
        ImGui::TextUnformatted(Tr(S::kLoading));
      });
      break;
    case Screen::kEnrol:
      DrawEnrol();
      break;
    case Screen::kUnlock:
      DrawUnlock();
      break;
    case Screen::kChooseUser:
      DrawChooseUser();
      break;
    case Screen::kRecoveryKit:
      DrawRecoveryKit();
      break;
    case Screen::kMain:
      DrawShell();
      break;
  }
  HarvestTextCapture();  // End() of a top-level window stops ImGui's logging
  ImGui::End();
}

void App::DrawCentered(float width_em, const std::function<void()>& body) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float w = std::min(Em(width_em), avail.x);
  ImGui::SetCursorPos(ImVec2((avail.x - w) * 0.5f, avail.y * 0.18f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(Em(1.6f), Em(1.3f)));
  // Height follows the content of the previous frame (ImGui 1.86 children cannot auto-size).
  const float h = centered_height_ > 0 ? std::min(centered_height_, avail.y * 0.8f) : 0.0f;
  ImGui::BeginChild("centered", ImVec2(w, h), true, ImGuiWindowFlags_AlwaysUseWindowPadding);
  body();
  centered_height_ = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  ImGui::EndChild();
  ImGui::PopStyleVar();
}

void App::DrawUnlock() {
  DrawCentered(28, [this] {
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted(Tr(S::kUnlockTitle));
    ImGui::PopFont();
    MutedText(Tr(S::kUnlockIntro));
    if (!Session::Encrypted()) {
      ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
      ImGui::TextWrapped("%s", Tr(S::kDevMode));
      ImGui::PopStyleColor();
    }
    if (unlock_.auto_locked) {
      ImGui::PushStyleColor(ImGuiCol_Text, Colors().accent);
      ImGui::TextWrapped("%s", Tr(S::kAutoLocked));
      ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    FieldLabel(Tr(S::kPassphrase));
    ImGui::SetNextItemWidth(-1);
    if (!unlock_.working && ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::BeginDisabled(unlock_.working);
    const bool enter =
        InputText("##passphrase", &unlock_.passphrase,
                  ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    if (!unlock_.error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
      ImGui::TextWrapped("%s", unlock_.error.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    if (PrimaryButton(Id(S::kUnlock, "unlock").c_str(), ImVec2(Em(8), 0)) || enter) SubmitUnlock();
    ImGui::EndDisabled();
    if (unlock_.working) {
      ImGui::SameLine();
      Spinner(0.6f);
      ImGui::SameLine();
      MutedText(Tr(S::kUnlocking));
    }
  });
}

void App::DrawEnrol() {
  DrawCentered(30, [this] {
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted(Tr(S::kEnrolTitle));
    ImGui::PopFont();
    MutedText(Tr(S::kEnrolIntro));
    if (!Session::Encrypted()) {
      ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
      ImGui::TextWrapped("%s", Tr(S::kDevMode));
      ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    ImGui::BeginDisabled(unlock_.working);
    FieldLabel(Tr(S::kEnrolmentCode));
    ImGui::SetNextItemWidth(-1);
    InputText("##enrolment_code", &unlock_.enrolment_code);  // base64url: case matters
    // The code carries the server's address and certificate fingerprint.
    FieldLabel(Tr(S::kDeviceName));
    ImGui::SetNextItemWidth(-1);
    InputTextWithHint("##device_name", Tr(S::kDefaultDeviceName), &unlock_.device_name);
    FieldLabel(Tr(S::kPassphrase));
    ImGui::SetNextItemWidth(-1);
    InputText("##new_passphrase", &unlock_.passphrase, ImGuiInputTextFlags_Password);
    FieldLabel(Tr(S::kPassphraseRepeat));
    ImGui::SetNextItemWidth(-1);
    InputText("##new_passphrase_repeat", &unlock_.passphrase_repeat, ImGuiInputTextFlags_Password);
    if (!unlock_.error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
      ImGui::TextWrapped("%s", unlock_.error.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::Spacing();
    if (PrimaryButton(Id(S::kEnrol, "enrol").c_str())) SubmitEnrol();
    ImGui::EndDisabled();
    if (unlock_.working) {
      ImGui::SameLine();
      Spinner(0.6f);
      ImGui::SameLine();
      MutedText(Tr(S::kEnrolling));
    }
  });
}

void App::DrawRecoveryKit() {
  DrawCentered(30, [this] {
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted(Tr(S::kRecoveryTitle));
    ImGui::PopFont();
    ImGui::TextWrapped("%s", Tr(S::kRecoveryText));
    ImGui::Spacing();
    // Groups on wrapping lines; the store ignores spaces and dashes when the key is typed.
    std::string grouped = recovery_key_;
    for (auto& c : grouped) {
      if (c == '-') c = ' ';
    }
    ImGui::PushFont(fonts_.title);
    ImGui::TextWrapped("%s", grouped.c_str());
    ImGui::PopFont();
    ImGui::Spacing();
    if (PrimaryButton(Id(S::kRecoveryDone, "recovery_done").c_str())) {
      std::fill(recovery_key_.begin(), recovery_key_.end(), '\0');
      recovery_key_.clear();
      if (enrolled_user_.empty()) {
        screen_ = Screen::kChooseUser;
      } else {
        SignIn(enrolled_user_);
      }
    }
  });
}

void App::DrawChooseUser() {
  DrawCentered(28, [this] {
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted(Tr(S::kChooseUser));
    ImGui::PopFont();
    MutedText(Tr(S::kChooseUserIntro));
    ImGui::Spacing();
    if (!profile_ || profile_->demo_users.empty()) {
      MutedText(Tr(S::kNothingHere));
    } else {
      for (const auto& [role, id] : profile_->demo_users) {
        ImGui::PushID(id.c_str());
        const auto r = client::FromCode<client::Role>(role);
        std::string label = r ? Tr(*r) : role;
        if (role == "officer_2") label += " (2)";
        if (Selectable((label + "###user_" + role).c_str(), false)) SignIn(id);
        ImGui::PopID();
      }
    }
    if (!unlock_.error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
      ImGui::TextWrapped("%s", unlock_.error.c_str());
      ImGui::PopStyleColor();
    }
  });
}

// Ctrl+F and Ctrl+N work from every page of a role that has a caseload; not while a modal or
// combo is open (its own keys win there).
void App::HandleShortcuts() {
  if (!session_view_ || !ImGui::GetIO().KeyCtrl || !client::CanListCaseload(session_view_->actor) ||
      ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    return;
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_F, false)) {
    if (page_ != Page::kCaseload) {
      page_ = Page::kCaseload;
      RefreshPage(page_);
    }
    focus_search_ = true;
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_N, false) && !case_state_.active_case.empty() &&
      (page_ == Page::kCaseFile || page_ == Page::kCaseload)) {
    page_ = Page::kCaseFile;
    case_state_.select_tab = "contacts";
    focus_contact_form_ = true;
  }
}

void App::DrawShell() {
  HandleShortcuts();
  const float nav_w = Em(15);
  const float status_h = ImGui::GetFrameHeightWithSpacing();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, Colors().surface_alt);
  ImGui::BeginChild("nav", ImVec2(nav_w, -status_h), false,
                    ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PopStyleVar();
  DrawNav();
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::SameLine(0, Em(0.6f));
  ImGui::BeginChild("page", ImVec2(0, -status_h), false);
  if (!session_view_) {
    Spinner(0.8f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
  } else {
    switch (page_) {
      case Page::kCaseload:
        DrawCaseload();
        break;
      case Page::kAgenda:
        DrawAgenda();
        break;
      case Page::kCaseFile:
        DrawCaseFilePage();
        break;
      case Page::kVolunteers:
        DrawVolunteers();
        break;
      case Page::kCards:
        DrawCards();
        break;
      case Page::kDashboard:
        DrawDashboard();
        break;
      case Page::kMappa:
        DrawMappa();
        break;
      case Page::kSync:
        DrawSync();
        break;
      case Page::kAdmin:
        DrawAdmin();
        break;
    }
    DrawExportDialog();
  }
  ImGui::EndChild();
  DrawStatusBar();
}

void App::DrawNav() {
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kAppName));
  ImGui::PopFont();
  MutedText(Tr(S::kAppSubtitle));
  ImGui::Dummy(ImVec2(0, Em(0.6f)));
  if (session_view_) {
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted(session_view_->actor.display_name.c_str());
    ImGui::PopFont();
    MutedText(Tr(session_view_->actor.role));
    MutedText(session_view_->unit_name.c_str());
  }
  ImGui::Dummy(ImVec2(0, Em(0.8f)));
  if (!session_view_) return;
  const client::Role role = session_view_->actor.role;
  struct Item {
    Page page;
    S label;
    const char* id;
  };
  std::vector<Item> items;
  if (role == client::Role::kOfficer || role == client::Role::kSupervisor) {
    if (role == client::Role::kSupervisor)
      items.push_back({Page::kDashboard, S::kNavDashboard, "nav_dashboard"});
    items.push_back({Page::kCaseload, S::kNavCaseload, "nav_caseload"});
    items.push_back({Page::kAgenda, S::kNavAgenda, "nav_agenda"});
    items.push_back({Page::kMappa, S::kNavMappa, "nav_mappa"});
  }
  if (role == client::Role::kVolunteerCoordinator) {
    items.push_back({Page::kVolunteers, S::kNavVolunteers, "nav_volunteers"});
    items.push_back({Page::kCards, S::kNavCards, "nav_cards"});
    items.push_back({Page::kAgenda, S::kNavAgenda, "nav_agenda"});  // the sign-off backlog
  }
  if (role == client::Role::kAdministrator)
    items.push_back({Page::kAdmin, S::kNavAdmin, "nav_admin"});
  items.push_back({Page::kSync, S::kNavSync, "nav_sync"});
  const float row_h = ImGui::GetFrameHeight() * 1.15f;
  for (const auto& item : items) {
    const bool selected = page_ == item.page;
    if (selected) ImGui::PushFont(fonts_.bold);
    if (Selectable(Id(item.label, item.id).c_str(), selected, 0, ImVec2(0, row_h))) {
      page_ = item.page;
      RefreshPage(page_);
    }
    if (selected) ImGui::PopFont();
  }
  // Open case files, one entry each, below the pages.
  if (!case_state_.open_cases.empty()) {
    ImGui::Dummy(ImVec2(0, Em(0.6f)));
    MutedText(Tr(S::kCasesInView));
    for (const auto& id : case_state_.open_cases) {
      auto it = case_files_.find(id);
      std::string name = it != case_files_.end()
                             ? it->second->file.client.name + " " + it->second->file.client.surname
                             : std::string(Tr(S::kLoading));
      const bool selected = page_ == Page::kCaseFile && case_state_.active_case == id;
      ImGui::PushID(id.c_str());
      if (Selectable((name + "###nav_case").c_str(), selected, 0, ImVec2(0, row_h))) {
        page_ = Page::kCaseFile;
        case_state_.active_case = id;
      }
      ImGui::PopID();
    }
  }
  // Bottom: language and lock.
  const float bottom = ImGui::GetWindowHeight() - ImGui::GetFrameHeightWithSpacing() * 2 - Em(0.8f);
  if (ImGui::GetCursorPosY() < bottom) ImGui::SetCursorPosY(bottom);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(Em(0.4f), Em(0.4f)));
  if (Button(Id(S::kOtherLanguage, "language").c_str(), ImVec2(-1, 0))) {
    SetLanguage(Language() == Lang::kLv ? Lang::kEn : Lang::kLv);
  }
  if (Button(Id(S::kLock, "lock").c_str(), ImVec2(-1, 0))) LockNow(false);
  ImGui::PopStyleVar();
}

void App::DrawStatusBar() {
  ImGui::Separator();
  ImGui::AlignTextToFramePadding();
  const Palette& p = Colors();
  // Connection: online / offline for an enrolled device, "this computer only" otherwise.
  if (sync_ && sync_->enrolled) {
    const bool offline = sync_->offline;
    ImGui::TextColored(offline ? p.warning : p.ok, "●");
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(offline ? S::kOffline : S::kOnline));
  } else {
    ImGui::TextColored(p.text_muted, "●");
    ImGui::SameLine();
    MutedText(Tr(S::kLocalOnly));
  }
  if (sync_queued_ && sync_phase_.load() >= 0) {
    ImGui::SameLine(0, Em(1.5f));
    Spinner(0.45f);
    ImGui::SameLine();
    MutedText(Tr(S::kSyncing));
  } else if (tasks_.Busy()) {
    ImGui::SameLine(0, Em(1.5f));
    Spinner(0.45f);
    ImGui::SameLine();
    MutedText(Tr(S::kBusy));
  }
  if (sync_) {
    ImGui::SameLine(0, Em(2));
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    ImGui::Text("%s: %lld", Tr(S::kPendingChanges), static_cast<long long>(sync_->pending));
    if (sync_->enrolled) {
      ImGui::SameLine(0, Em(2));
      ImGui::Text("%s: %s", Tr(S::kLastSync),
                  sync_->last_success_ms > 0 ? Ago(sync_->last_success_ms).c_str() : Tr(S::kNever));
    }
    ImGui::PopStyleColor();
    if (sync_->conflicts > 0) {
      ImGui::SameLine(0, Em(2));
      ImGui::PushStyleColor(ImGuiCol_Text, p.warning);
      const std::string label = std::string(Tr(S::kConflicts)) + ": " +
                                std::to_string(sync_->conflicts) + "###status_conflicts";
      if (Selectable(label.c_str(), false, 0,
                     ImVec2(ImGui::CalcTextSize(label.c_str(), nullptr, true).x, 0))) {
        page_ = Page::kSync;
        RefreshSync();
      }
      ImGui::PopStyleColor();
    }
  }
  if (session_view_ && !session_view_->encrypted) {
    ImGui::SameLine(0, Em(2));
    ImGui::PushStyleColor(ImGuiCol_Text, p.warning);
    ImGui::TextUnformatted(Tr(S::kDevMode));
    ImGui::PopStyleColor();
  }
  const double age =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - toast_at_).count();
  if (!toast_.empty() && age < 8.0) {
    const float w = ImGui::CalcTextSize(toast_.c_str()).x;
    ImGui::SameLine(
        std::max(ImGui::GetCursorPosX() + Em(2), ImGui::GetWindowWidth() - w - Em(1.5f)));
    ImGui::TextUnformatted(toast_.c_str());
  }
}

}  // namespace lietvedis::ui
