// The volunteer coordinator's workspace: the volunteer register with selection stages, the
// client cards (name, contacts, responsible officer — nothing else of the case), mentor
// assignments, session logs and sign-off. The *Reģistrēt sesiju* form is kept per card
// (SessionDraft by case id): another card shows its own form, the typed one waits on its card.
#include <imgui.h>

#include <algorithm>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {
constexpr ImGuiTableFlags kListFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                       ImGuiTableFlags_BordersOuter |
                                       ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
}

void App::DrawVolunteers() {
  VolunteersViewState& st = volunteers_state_;
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kVolunteerRegister));
  ImGui::PopFont();
  if (!volunteers_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const auto& reg = volunteers_->reg;
  const bool coordinator = session_view_->actor.role == client::Role::kVolunteerCoordinator;
  const float form_h = coordinator ? ImGui::GetFrameHeightWithSpacing() * 5 + Em(1) : 0;
  if (ImGui::BeginTable("volunteers", 5, kListFlags,
                        ImVec2(0, ImGui::GetContentRegionAvail().y * 0.55f - form_h * 0.0f))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(Tr(S::kVolunteer), 0, 1.8f);
    ImGui::TableSetupColumn(Tr(S::kKind), 0, 2.0f);
    ImGui::TableSetupColumn(Tr(S::kStage), 0, 1.2f);
    ImGui::TableSetupColumn(Tr(S::kPhone), 0, 1.2f);
    ImGui::TableSetupColumn("##advance", 0, 1.2f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(reg.volunteers.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const auto& v = reg.volunteers[static_cast<std::size_t>(i)];
        ImGui::PushID(v.id.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (Selectable(
                (v.surname + " " + v.name + "###volunteer" + std::to_string(i)).c_str(),
                st.selected_volunteer == v.id,
                ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
          st.selected_volunteer = v.id;
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(Tr(v.kind));
        ImGui::TableNextColumn();
        if (v.stage == client::VolunteerStage::kCertified)
          ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
        ImGui::TextUnformatted(Tr(v.stage));
        if (v.stage == client::VolunteerStage::kCertified) ImGui::PopStyleColor();
        ImGui::TableNextColumn();
        TextOrDash(v.phone);
        ImGui::TableNextColumn();
        if (coordinator && v.stage != client::VolunteerStage::kCertified &&
            v.stage != client::VolunteerStage::kWithdrawn) {
          const auto next = static_cast<client::VolunteerStage>(static_cast<int>(v.stage) + 1);
          const std::string label = std::string("→ ") + Tr(next) + "###advance";
          if (SmallButton(label.c_str())) {
            client::AdvanceVolunteerStage cmd;
            cmd.volunteer_id = v.id;
            cmd.stage = next;
            cmd.on_date = session_view_->today;
            Execute(cmd, [this](const Result<std::string>& r) {
              if (!r.ok()) ShowError(r.error());
            });
          }
        }
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
  if (!coordinator) return;
  SectionHeading(Tr(S::kRegisterVolunteer), fonts_.bold);
  if (ImGui::BeginTable("new_volunteer", 4, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kName));
    ImGui::SetNextItemWidth(-1);
    InputText("##v_name", &st.new_volunteer.name);
    FieldErrorLine(st.error, "name");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kSurname));
    ImGui::SetNextItemWidth(-1);
    InputText("##v_surname", &st.new_volunteer.surname);
    FieldErrorLine(st.error, "surname");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kPhone));
    ImGui::SetNextItemWidth(-1);
    InputText("##v_phone", &st.new_volunteer.phone);
    FieldErrorLine(st.error, "phone");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kKind));
    ImGui::SetNextItemWidth(-1);
    if (BeginCombo("##v_kind", Tr(static_cast<client::VolunteerKind>(st.new_kind)))) {
      for (int i = 0; i < 3; ++i) {
        ImGui::PushID(i);
        if (Selectable(Tr(static_cast<client::VolunteerKind>(i)), st.new_kind == i))
          st.new_kind = i;
        ImGui::PopID();
      }
      EndCombo();
    }
    ImGui::EndTable();
  }
  FieldErrorLine(st.error, "");
  if (PrimaryButton(Id(S::kRegister, "register_volunteer").c_str())) {
    st.error.Clear();
    client::RegisterVolunteer cmd = st.new_volunteer;
    cmd.kind = static_cast<client::VolunteerKind>(st.new_kind);
    cmd.registered_on = session_view_->today;
    Execute(cmd, [this](const Result<std::string>& r) {
      if (!r.ok()) {
        volunteers_state_.error = ToFieldError(r.error());
        return;
      }
      volunteers_state_.new_volunteer = client::RegisterVolunteer{};
    });
  }
}

void App::DrawCards() {
  VolunteersViewState& st = volunteers_state_;
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavCards));
  ImGui::PopFont();
  MutedText(Tr(S::kCoordinatorScope));
  if (!volunteers_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  ImGui::SetNextItemWidth(Em(20));
  InputTextWithHint("##card_search", Tr(S::kSearchNameHint), &st.card_search);
  const std::string needle = client::FoldForSearch(st.card_search);
  std::vector<const client::ClientCard*> cards;
  for (const auto& c : volunteers_->cards) {
    if (needle.empty() ||
        client::FoldForSearch(c.name + " " + c.surname).find(needle) != std::string::npos) {
      cards.push_back(&c);
    }
  }
  const float left_w = ImGui::GetContentRegionAvail().x * 0.42f;
  ImGui::BeginChild("cards_list", ImVec2(left_w, 0), true);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(cards.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& c = *cards[static_cast<std::size_t>(i)];
      ImGui::PushID(c.case_id.c_str());
      const std::string label = c.surname + " " + c.name + "###card" + std::to_string(i);
      if (Selectable(label.c_str(), st.selected_card == c.case_id)) {
        st.selected_card = c.case_id;
        st.signoff_session.clear();
        mentoring_.reset();
        RefreshMentoring(c.case_id);
      }
      ImGui::SameLine(left_w * 0.55f);
      MutedText(c.responsible_officer_name.c_str());
      // A card whose session form holds typed text says so in the list.
      if (const auto d = st.session_drafts.find(c.case_id);
          d != st.session_drafts.end() && d->second.HasText()) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
        ImGui::TextUnformatted(Tr(S::kSessionDraftUnsaved));
        ImGui::PopStyleColor();
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("card_detail", ImVec2(0, 0), true);
  if (st.selected_card.empty()) {
    MutedText(Tr(S::kNothingHere));
  } else if (!mentoring_ || mentoring_->card.case_id != st.selected_card) {
    Spinner(0.6f);
  } else {
    const auto& m = *mentoring_;
    ImGui::PushFont(fonts_.title);
    ImGui::Text("%s %s", m.card.name.c_str(), m.card.surname.c_str());
    ImGui::PopFont();
    ImGui::Text("%s: %s   %s: %s", Tr(S::kPhone), m.card.phone.c_str(), Tr(S::kOfficer),
                m.card.responsible_officer_name.c_str());
    SectionHeading(Tr(S::kAssignments), fonts_.bold);
    const client::MentorAssignment* active = nullptr;
    int active_count = 0;
    int assignment_row = 0;
    for (const auto& a : m.assignments) {
      ImGui::PushID(a.id.c_str());
      ImGui::BulletText("%s, %s – %s", a.volunteer_name.c_str(), FormatDate(a.started_on).c_str(),
                        FormatDate(a.ended_on).c_str());
      if (a.ended_on.empty()) {
        active = &a;
        ++active_count;
        DrawEndAssignment(a, st.selected_card, assignment_row);
      }
      ++assignment_row;
      ImGui::PopID();
    }
    // A circle of support takes up to five circle members at once; otherwise one mentor.
    if (m.card.circle) {
      MutedText(
          (std::string(Tr(S::kCircleOfSupport)) + ": " + std::to_string(active_count) + " / 5")
              .c_str());
    }
    const bool can_assign = m.card.circle ? active_count < 5 : active == nullptr;
    if (can_assign && volunteers_) {
      ImGui::SetNextItemWidth(Em(18));
      std::string preview = Tr(S::kChooseVolunteer);
      for (const auto& v : volunteers_->reg.volunteers) {
        if (v.id == st.assign_volunteer) preview = v.name + " " + v.surname;
      }
      if (BeginCombo("##assign_volunteer", preview.c_str())) {
        for (const auto& v : volunteers_->reg.volunteers) {
          if (v.stage != client::VolunteerStage::kCertified) continue;
          ImGui::PushID(v.id.c_str());
          if (Selectable((v.name + " " + v.surname).c_str(), st.assign_volunteer == v.id))
            st.assign_volunteer = v.id;
          ImGui::PopID();
        }
        EndCombo();
      }
      ImGui::SameLine();
      if (Button(Id(S::kAssignMentor, "assign_mentor").c_str())) {
        client::AssignMentor cmd;
        cmd.case_id = st.selected_card;
        cmd.volunteer_id = st.assign_volunteer;
        cmd.started_on = session_view_->today;
        const std::string case_id = st.selected_card;
        Execute(cmd, [this, case_id](const Result<std::string>& r) {
          if (!r.ok()) ShowError(r.error());
          RefreshMentoring(case_id);
        });
      }
    }
    SectionHeading(Tr(S::kSessions), fonts_.bold);
    if (m.sessions.empty()) MutedText(Tr(S::kNone));
    for (const auto& s : m.sessions) {
      ImGui::PushID(s.id.c_str());
      // The session an agenda row opened the card for: marked and scrolled to once.
      const bool focused = !st.signoff_session.empty() && s.id == st.signoff_session;
      if (focused) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().accent);
        ImGui::TextUnformatted(Tr(S::kSessionAwaitsYourSignOff));
        ImGui::PopStyleColor();
        if (st.scroll_to_session) {
          ImGui::SetScrollHereY(0.3f);
          st.scroll_to_session = false;
        }
      }
      ImGui::Text("%s  %lld min  %s", FormatDate(s.held_on).c_str(),
                  static_cast<long long>(s.duration_minutes), Tr(s.mode));
      ImGui::SameLine(Em(16));
      if (s.signed_off_at.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
        ImGui::TextUnformatted(Tr(S::kNotSignedOff));
        ImGui::PopStyleColor();
        ImGui::SameLine();
        // Another coordinator of the unit signs off: never the one who logged the session.
        if (s.logged_by != session_view_->actor.user_id &&
            SmallButton(Id(S::kSignOff, "sign_off").c_str())) {
          const std::string case_id = st.selected_card;
          Execute(client::SignOffMentoringSession{s.id, ""},
                  [this, case_id](const Result<std::string>& r) {
                    if (!r.ok()) ShowError(r.error());
                    if (r.ok()) volunteers_state_.signoff_session.clear();
                    RefreshMentoring(case_id);
                    RefreshAgenda();  // the backlog row goes
                  });
        }
      } else {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
        ImGui::Text("✓ %s", Tr(S::kSignedOff));
        ImGui::PopStyleColor();
      }
      if (!s.note.empty()) MutedText(s.note.c_str());
      ImGui::PopID();
    }
    // Signed-off sessions: corrections (ui/form_corrections.cpp).
    DrawMentoringCorrections(m, session_view_->actor.role == client::Role::kVolunteerCoordinator);
    if (active != nullptr) DrawSessionDraft(m, *active, active_count);
  }
  ImGui::EndChild();
}

// The *Reģistrēt sesiju* form of the selected card, drawn from its own draft (SessionDraft,
// by case id). A save clears that card's draft only; *Atcelt* drops it as the case file's
// cancel buttons drop theirs.
void App::DrawSessionDraft(const client::MentoringView& m, const client::MentorAssignment& active,
                           int active_count) {
  VolunteersViewState& st = volunteers_state_;
  const std::string case_id = m.card.case_id;
  SessionDraft& d = st.session_drafts[case_id];
  SectionHeading(Tr(S::kLogSession), fonts_.bold);
  // A circle of support has several active members: the coordinator chooses whose session it
  // was; the core refuses a volunteer without an active assignment.
  if (active_count > 1) {
    FieldLabel(Tr(S::kSessionOfVolunteer));
    ImGui::SetNextItemWidth(Em(18));
    std::string preview = Tr(S::kChooseVolunteer);
    for (const auto& a : m.assignments) {
      if (a.ended_on.empty() && a.volunteer_id == d.volunteer) preview = a.volunteer_name;
    }
    if (BeginCombo("##s_volunteer", preview.c_str())) {
      for (const auto& a : m.assignments) {
        if (!a.ended_on.empty()) continue;
        ImGui::PushID(a.id.c_str());
        if (Selectable(a.volunteer_name.c_str(), d.volunteer == a.volunteer_id))
          d.volunteer = a.volunteer_id;
        ImGui::PopID();
      }
      EndCombo();
    }
    FieldErrorLine(d.error, "volunteer_id");
  }
  if (ImGui::BeginTable("log_session", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kDate));
    ImGui::SetNextItemWidth(-1);
    DateInput("##s_held_on", &d.cmd.held_on, 0);
    FieldErrorLine(d.error, "held_on");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kDurationMin));
    ImGui::SetNextItemWidth(-1);
    int minutes = static_cast<int>(d.cmd.duration_minutes);
    if (ImGui::InputInt("##s_minutes", &minutes, 15, 60))
      d.cmd.duration_minutes = std::max(0, minutes);
    FieldErrorLine(d.error, "duration_minutes");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kMode));
    ImGui::SetNextItemWidth(-1);
    if (BeginCombo("##s_mode", Tr(static_cast<client::MentoringMode>(d.mode)))) {
      for (int i = 0; i < 2; ++i) {
        ImGui::PushID(i);
        if (Selectable(Tr(static_cast<client::MentoringMode>(i)), d.mode == i)) d.mode = i;
        ImGui::PopID();
      }
      EndCombo();
    }
    ImGui::EndTable();
  }
  FieldLabel(Tr(S::kNote));
  InputTextMultiline("##s_note", &d.cmd.note, ImVec2(-1, ImGui::GetTextLineHeight() * 3));
  FieldErrorLine(d.error, "note");
  FieldErrorLine(d.error, "");
  ImGui::BeginDisabled(d.saving);
  const bool save = PrimaryButton(Id(S::kLogSession, "log_session").c_str());
  ImGui::SameLine();
  const bool cancel = d.HasText() && Button(Id(S::kCancel, "log_session_cancel").c_str());
  ImGui::EndDisabled();
  if (cancel && !d.saving) {
    st.session_drafts.erase(case_id);
    return;
  }
  if (!save || d.saving) return;
  d.error.Clear();
  client::LogMentoringSession cmd = d.cmd;
  cmd.case_id = case_id;
  if (active_count > 1) {
    cmd.volunteer_id = d.volunteer;  // chosen above; empty is refused
  } else {
    cmd.assignment_id = active.id;
  }
  cmd.mode = static_cast<client::MentoringMode>(d.mode);
  d.saving = true;
  Execute(cmd, [this, case_id](const Result<std::string>& r) {
    auto& drafts = volunteers_state_.session_drafts;
    const auto it = drafts.find(case_id);  // gone when the session was locked meanwhile
    if (!r.ok()) {
      if (it != drafts.end()) {
        it->second.saving = false;
        it->second.error = ToFieldError(r.error());
      }
      return;
    }
    if (it != drafts.end()) drafts.erase(it);  // saved: this card's form starts empty again
    RefreshMentoring(case_id);
    RefreshAgenda();
  });
}

// The assignment ends on the day given (today unless changed): the core refuses a day before
// its start or before a session already logged for it, and the refusal shows under the day.
// Sessions stay with the case; the mentoring referral is the officer's to end.
void App::DrawEndAssignment(const client::MentorAssignment& a, const std::string& case_id,
                            int row) {
  VolunteersViewState& st = volunteers_state_;
  if (st.end_assignment_id != a.id) {
    ImGui::SameLine();
    const std::string id = "end_assignment_" + std::to_string(row);
    ImGui::BeginDisabled(!st.end_assignment_id.empty());
    if (SmallButton(Id(S::kEndAssignment, id.c_str()).c_str())) {
      st.end_assignment_id = a.id;
      st.end_assignment_on = FormatDate(session_view_->today);
      st.end_assignment_error.Clear();
    }
    ImGui::EndDisabled();
    return;
  }
  ImGui::Indent();
  ImGui::BeginDisabled(st.end_assignment_saving);
  FieldLabel(Tr(S::kEndedOn));
  ImGui::SetNextItemWidth(Em(9));
  bool save = DateInput("##end_assignment_on", &st.end_assignment_on);
  const bool cancel = FieldCancelPressed();
  FieldErrorLine(st.end_assignment_error, "ended_on");
  FieldErrorLine(st.end_assignment_error, "");
  FieldErrorLine(st.end_assignment_error, "assignment_id");
  save |= PrimaryButton(Id(S::kSave, "end_assignment_save").c_str());
  ImGui::SameLine();
  if (Button(Id(S::kCancel, "end_assignment_cancel").c_str()) || cancel) {
    st.end_assignment_id.clear();
    st.end_assignment_error.Clear();
    save = false;
  }
  ImGui::EndDisabled();
  ImGui::Unindent();
  if (save && !st.end_assignment_saving) {
    st.end_assignment_saving = true;
    st.end_assignment_error.Clear();
    Execute(client::EndMentorAssignment{a.id, st.end_assignment_on},
            [this, case_id](const Result<std::string>& r) {
              VolunteersViewState& s = volunteers_state_;
              s.end_assignment_saving = false;
              if (!r.ok()) {
                s.end_assignment_error = ToFieldError(r.error());
                return;
              }
              s.end_assignment_id.clear();
              RefreshMentoring(case_id);
            });
  }
}

void App::OpenCardSession(const std::string& case_id, const std::string& session_id) {
  VolunteersViewState& st = volunteers_state_;
  page_ = Page::kCards;
  st.selected_card = case_id;
  st.signoff_session = session_id;
  st.scroll_to_session = true;
  mentoring_.reset();
  RefreshVolunteers();
  RefreshMentoring(case_id);
}

}  // namespace lietvedis::ui
