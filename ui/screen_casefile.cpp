// Case file: one open case at a time on screen (several may be open in the navigation), with
// tabs for every part of the file. Lists are newest first as the Workspace returns them.
#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

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

}  // namespace

void App::DrawCaseFilePage() {
  if (case_state_.active_case.empty()) {
    MutedText(Tr(S::kNothingHere));
    return;
  }
  auto it = case_files_.find(case_state_.active_case);
  if (it == case_files_.end()) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  DrawCaseFile(*it->second);
}

void App::DrawCaseFile(const CaseFileSnapshot& snap) {
  const auto& file = snap.file;
  ImGui::PushID(file.case_record.id.c_str());
  // Header: name and personal code, the tab and case buttons, then the case at a glance.
  ImGui::PushFont(fonts_.title);
  ImGui::Text("%s %s", file.client.name.c_str(), file.client.surname.c_str());
  ImGui::PopFont();
  ImGui::SameLine(0, Em(1));
  ImGui::AlignTextToFramePadding();
  MutedText(file.client.personal_code.c_str());
  // Two different things: closing the tab only takes the case off the screen; closing the case
  // is a decision recorded in the file (a form with its reason, below the header).
  const bool can_close_case =
      session_view_->actor.user_id == file.case_record.responsible_officer_id &&
      file.case_record.status == client::CaseStatus::kOpen;
  const auto button_w = [](S label) {
    return ImGui::CalcTextSize(Tr(label)).x + ImGui::GetStyle().FramePadding.x * 2;
  };
  const float buttons_w = button_w(S::kSubjectAccess) + Em(0.5f) + button_w(S::kCaseSummaryPdf) +
                          Em(0.5f) + button_w(S::kCloseTab) + Em(0.5f) +
                          (can_close_case ? button_w(S::kCloseCase) + Em(0.5f) : 0.0f);
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - buttons_w);
  // The person's subject access package (client/documents/subject_access.hpp), as the CLI's.
  if (Button(Id(S::kSubjectAccess, "subject_access").c_str()))
    OpenSubjectAccessExport(file.client.id);
  ImGui::SameLine(0, Em(0.5f));
  // The case summary as PDF (client/documents: an audited read of the case, as the CLI's).
  if (Button(Id(S::kCaseSummaryPdf, "export_case_summary").c_str())) {
    OpenCaseSummaryExport(file.case_record.id);
  }
  ImGui::SameLine(0, Em(0.5f));
  if (can_close_case) {
    CloseCaseForm& close_form = case_state_.close_forms[file.case_record.id];
    ImGui::BeginDisabled(close_form.open);
    if (Button(Id(S::kCloseCase, "close_case").c_str())) {
      close_form = CloseCaseForm{};
      close_form.open = true;
      close_form.closed_on = FormatDate(session_view_->today);
    }
    ImGui::EndDisabled();
    ImGui::SameLine(0, Em(0.5f));
  }
  if (Button(Id(S::kCloseTab, "close_tab").c_str())) {
    const std::string id = file.case_record.id;
    if (HasUnsavedText(id)) {
      case_state_.confirm_close_tab = id;  // asked below the header (DrawCloseTabConfirmation)
    } else {
      ImGui::PopID();
      CloseCaseTab(id);
      return;
    }
  }
  if (case_state_.confirm_close_tab == file.case_record.id) {
    const std::string id = file.case_record.id;
    DrawCloseTabConfirmation(id);
    if (case_files_.find(id) == case_files_.end()) {  // discarded and closed
      ImGui::PopID();
      return;
    }
  }
  DrawBreakGlassBanner(snap);
  DrawCaseGlance(snap);
  // A supervisor of the case's unit reassigns (a receiving unit's supervisor reads a case
  // offered to it, but reassigns nothing until it is the unit's).
  if (session_view_->actor.role == client::Role::kSupervisor &&
      session_view_->actor.unit_id == file.case_record.unit_id &&
      file.case_record.status == client::CaseStatus::kOpen) {
    ImGui::AlignTextToFramePadding();
    FieldLabel(Tr(S::kReassignTo));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(Em(12));
    const std::string who = session_view_->UserName(case_state_.reassign_to);
    if (BeginCombo("##reassign_to", who.c_str())) {
      for (const auto& u : session_view_->users) {
        if (u.role != client::Role::kOfficer || !u.active || u.unit_id != file.case_record.unit_id)
          continue;
        if (u.id == file.case_record.responsible_officer_id) continue;
        ImGui::PushID(u.id.c_str());
        if (Selectable(u.display_name.c_str(), case_state_.reassign_to == u.id))
          case_state_.reassign_to = u.id;
        ImGui::PopID();
      }
      EndCombo();
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(case_state_.reassign_to.empty());
    if (Button(Id(S::kReassign, "reassign").c_str())) {
      client::ReassignCase cmd{file.case_record.id, case_state_.reassign_to};
      Execute(cmd, [this](const Result<std::string>& r) {
        if (!r.ok()) ShowError(r.error());
        case_state_.reassign_to.clear();
      });
    }
    ImGui::EndDisabled();
  }
  DrawCaseTransfer(snap);  // form_transfer.cpp
  if (can_close_case) DrawCloseCaseForm(snap);
  ImGui::Spacing();

  struct Tab {
    S label;
    const char* id;
    void (App::*draw)(const CaseFileSnapshot&);
  };
  static const Tab kTabs[] = {
      {S::kTabOverview, "overview", &App::DrawCaseOverview},
      {S::kTabSupervision, "supervision", &App::DrawCaseSupervision},
      {S::kTabAssessments, "assessments", &App::DrawCaseAssessments},
      {S::kTabPlan, "plan", &App::DrawCasePlan},
      {S::kTabContacts, "contacts", &App::DrawCaseContacts},
      {S::kTabProgrammes, "programmes", &App::DrawCaseProgrammes},
      {S::kTabMentoring, "mentoring", &App::DrawCaseMentoring},
      {S::kTabMappa, "mappa", &App::DrawCaseMappa},
      {S::kTabMediation, "mediation", &App::DrawCaseMediation},
      {S::kTabNotes, "notes", &App::DrawCaseNotes},
      {S::kTabHistory, "history", &App::DrawCaseHistory},
  };
  if (ImGui::BeginTabBar("case_tabs")) {
    for (const auto& tab : kTabs) {
      if (tab.draw == &App::DrawCaseMediation &&
          file.case_record.kind != client::CaseKind::kMediation)
        continue;  // the Mediation tab belongs to mediation cases
      ImGuiTabItemFlags flags = 0;
      if (case_state_.select_tab == tab.id) flags |= ImGuiTabItemFlags_SetSelected;
      const std::string label = Id(tab.label, (std::string("tab_") + tab.id).c_str());
      if (BeginTabItem(label.c_str(), nullptr, flags)) {
        ImGui::BeginChild("tab_body", ImVec2(0, 0), false);
        (this->*tab.draw)(snap);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    case_state_.select_tab.clear();
    ImGui::EndTabBar();
  }
  ImGui::PopID();
}

namespace {

// One cell of the header: a muted label over its value.
void GlanceLabel(const char* label) {
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(label);
  ImGui::PopStyleColor();
}

void GlanceValue(const std::string& text, bool danger = false) {
  if (text.empty()) {
    TextOrDash("");
    return;
  }
  if (danger) ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
  ImGui::TextWrapped("%s", text.c_str());
  if (danger) ImGui::PopStyleColor();
}

}  // namespace

void App::DrawCaseGlance(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  // Facts an officer reads in five seconds; every one comes from the snapshot (the file, its
  // caseload row and the agenda's contact due), none is computed here.
  const client::Assessment* risk = nullptr;  // the latest signed assessment decides the risk
  int unsigned_assessments = 0;
  for (const auto& a : f.assessments) {
    if (a.IsSigned() && risk == nullptr) risk = &a;
    if (!a.IsSigned()) ++unsigned_assessments;
  }
  int unsigned_reports = 0;  // evaluation reports started and not yet signed
  for (const auto& r : f.evaluation_reports) {
    if (!r.IsSigned()) ++unsigned_reports;
  }
  const client::SupervisionSection* section = nullptr;
  for (const auto& sct : f.sections) {
    if (sct.status == client::SectionStatus::kOpen) section = &sct;
  }
  const client::Referral* programme = nullptr;
  for (const auto& r : f.referrals) {
    if (r.status == client::ReferralStatus::kEnrolled) programme = &r;
  }
  if (programme == nullptr) {
    for (const auto& r : f.referrals) {
      if (r.status == client::ReferralStatus::kReferred) programme = &r;
    }
  }
  std::string mentor;
  if (snap.mentoring) {
    for (const auto& a : snap.mentoring->assignments) {
      if (a.ended_on.empty()) mentor = a.volunteer_name;
    }
  }
  int open_actions = 0, unsigned_minutes = 0;
  std::string nearest_action;
  for (const auto& m : snap.meetings) {
    if (!m.IsSigned()) ++unsigned_minutes;
    for (const auto& a : m.actions) {
      if (a.IsDone()) continue;
      ++open_actions;
      if (nearest_action.empty() || a.due_on < nearest_action) nearest_action = a.due_on;
    }
  }

  if (!ImGui::BeginTable("glance", 5,
                         ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_BordersInnerV))
    return;
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kCaseKind));
  GlanceValue(std::string(Tr(f.case_record.kind)) +
              (f.case_record.status == client::CaseStatus::kClosed
                   ? std::string(" · ") + Tr(f.case_record.status) + " " +
                         FormatDate(f.case_record.closed_on)
                   : std::string()));
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kRisk));
  RiskBadge(risk != nullptr ? std::optional<client::RiskLevel>(risk->risk_level) : std::nullopt);
  if (risk != nullptr) {
    ImGui::SameLine();
    MutedText((std::string(Tr(S::kAssessedOn)) + " " + FormatDate(risk->assessed_on)).c_str());
  }
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kOfficer));
  GlanceValue(f.responsible_officer_name);
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kNextContact));
  {
    const bool overdue = snap.row && snap.row->overdue;
    std::string text;
    if (snap.contact_due) {
      text = std::string(Tr(S::kContactDueBy)) + " " + FormatDate(snap.contact_due->due_on);
    }
    if (snap.row && !snap.row->next_contact_at.empty()) {
      if (!text.empty()) text += "; ";
      text += std::string(Tr(S::kPlannedShort)) + " " + FormatTimestamp(snap.row->next_contact_at);
    }
    if (text.empty() && f.case_record.status == client::CaseStatus::kOpen)
      text = Tr(S::kNoneScheduled);
    if (overdue) text = std::string(Tr(S::kOverdue)) + (text.empty() ? "" : " · " + text);
    GlanceValue(text, overdue);
  }
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kUnsignedDrafts));
  {
    std::string text;
    if (unsigned_assessments > 0)
      text = std::string(Tr(S::kAssessmentsShort)) + ": " + std::to_string(unsigned_assessments);
    if (unsigned_minutes > 0) {
      if (!text.empty()) text += ", ";
      text += std::string(Tr(S::kMinutesShort)) + ": " + std::to_string(unsigned_minutes);
    }
    if (unsigned_reports > 0) {
      if (!text.empty()) text += ", ";
      text += std::string(Tr(S::kReportsShort)) + ": " + std::to_string(unsigned_reports);
    }
    GlanceValue(text.empty() ? std::string(Tr(S::kNone)) : text);
  }
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kObligations));
  GlanceValue(section != nullptr ? section->obligations : std::string(Tr(S::kNoOpenSection)));
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kProgramme));
  GlanceValue(programme != nullptr ? programme->programme_name + " (" + Tr(programme->status) + ")"
                                   : std::string(Tr(S::kNone)));
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kMentor));
  GlanceValue(mentor.empty() ? std::string(Tr(S::kNone)) : mentor);
  ImGui::TableNextColumn();
  GlanceLabel(Tr(S::kOpenMappaActions));
  GlanceValue(open_actions == 0
                  ? std::string(Tr(S::kNone))
                  : std::string(Tr(S::kOpenCount)) + ": " + std::to_string(open_actions) + ", " +
                        Tr(S::kNearestDue) + " " + FormatDate(nearest_action));
  ImGui::TableNextColumn();
  // The escalation ladder of the open section: the warnings no application cites yet against
  // the unit's threshold, and the court application proposed once they reach it.
  GlanceLabel(Tr(S::kWarnings));
  {
    const client::SectionEscalation* esc = nullptr;
    for (const auto& e : f.section_escalation) {
      if (section != nullptr && e.section_id == section->id) esc = &e;
    }
    if (esc == nullptr) {
      GlanceValue(Tr(S::kNone));
    } else {
      char count[64];
      std::snprintf(count, sizeof count, Tr(S::kCountOf),
                    static_cast<long long>(esc->uncited_warning_ids.size()),
                    static_cast<long long>(esc->threshold));
      std::string text = count;
      if (!f.missed_awaiting_decision.empty())
        text += std::string("; ") + Tr(S::kMissedAwaiting) + ": " +
                std::to_string(f.missed_awaiting_decision.size());
      if (esc->court_application_proposed) text += std::string(" · ") + Tr(S::kApplicationProposed);
      GlanceValue(text, esc->court_application_proposed);
    }
  }
  ImGui::EndTable();
  ImGui::Separator();
}

void App::CloseCaseTab(const std::string& case_id) {
  auto& open = case_state_.open_cases;
  open.erase(std::remove(open.begin(), open.end(), case_id), open.end());
  case_files_.erase(case_id);
  case_state_.active_case = open.empty() ? std::string() : open.back();
  if (open.empty()) page_ = Page::kCaseload;
}

void App::DrawCaseOverview(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  if (ImGui::BeginTable("overview_cols", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    DrawClientDetails(snap);  // ui/form_client.cpp, with its form
    ImGui::TableNextColumn();
    SectionHeading(Tr(S::kCaseDetails), fonts_.bold);
    if (BeginKeyValue("case_kv")) {
      KeyValueRow(Tr(S::kCaseKind), Tr(f.case_record.kind));
      KeyValueRow(Tr(S::kStatus), Tr(f.case_record.status));
      KeyValueRow(Tr(S::kOpenedOn), FormatDate(f.case_record.opened_on));
      KeyValueRow(Tr(S::kClosedOn), FormatDate(f.case_record.closed_on));
      KeyValueRow(Tr(S::kOfficer), f.responsible_officer_name);
      ImGui::EndTable();
    }
    DrawOpenAnotherCase(snap);
    ImGui::EndTable();
  }
  DrawRelatedPersons(snap);
  DrawEvaluationReports(snap);      // ui/screen_evaluation.cpp
  DrawEvaluationRequestForm(snap);  // ui/form_evaluation_request.cpp
  DrawEpisodes(snap);               // ui/form_episodes.cpp: EM and rehabilitation centres
}

// DrawCaseAssessments: ui/form_assessments.cpp; DrawCasePlan: ui/form_plan.cpp (the tabs with
// their forms).
// DrawCaseProgrammes: ui/form_programmes.cpp (the Programmes tab with its forms).

void App::DrawCaseMentoring(const CaseFileSnapshot& snap) {
  // The officer's referral with the client's consent first (ui/form_programmes.cpp, also on
  // the Programmes tab), then what the coordinator records.
  const auto& f = snap.file;
  DrawMentoringReferral(snap,
                        session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                            f.case_record.status == client::CaseStatus::kOpen);
  if (!snap.mentoring) return;
  const auto& m = *snap.mentoring;
  SectionHeading(Tr(S::kAssignments), fonts_.bold);
  if (m.assignments.empty()) MutedText(Tr(S::kNone));
  for (const auto& a : m.assignments) {
    ImGui::PushID(a.id.c_str());
    ImGui::BulletText("%s, %s – %s", a.volunteer_name.c_str(), FormatDate(a.started_on).c_str(),
                      FormatDate(a.ended_on).c_str());
    ImGui::PopID();
  }
  SectionHeading(Tr(S::kSessions), fonts_.bold);
  if (m.sessions.empty()) MutedText(Tr(S::kNone));
  for (const auto& s : m.sessions) {
    ImGui::PushID(s.id.c_str());
    ImGui::BulletText("%s, %lld min, %s — %s", FormatDate(s.held_on).c_str(),
                      static_cast<long long>(s.duration_minutes), Tr(s.mode),
                      s.signed_off_at.empty() ? Tr(S::kNotSignedOff) : Tr(S::kSignedOff));
    ImGui::PopID();
  }
  // Corrections of signed-off sessions, written by the coordinator (ui/form_corrections.cpp).
  DrawMentoringCorrections(m, false);
}

void App::DrawCaseMappa(const CaseFileSnapshot& snap) {
  if (snap.meetings.empty()) {
    MutedText(Tr(S::kNone));
    return;
  }
  for (const auto& m : snap.meetings) {
    ImGui::PushID(m.id.c_str());
    SectionHeading((FormatDate(m.held_on) + " — " + Tr(m.mode)).c_str(), fonts_.bold);
    if (BeginKeyValue("meeting_kv")) {
      KeyValueRow(Tr(S::kRiskDecisions), m.risk_decisions);
      KeyValueRow(Tr(S::kVictimDecisions), m.victim_decisions);
      ImGui::EndTable();
    }
    ImGui::PopID();
  }
}

void App::DrawCaseNotes(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string& case_id = f.case_record.id;
  NoteForm& form = case_state_.note_forms[case_id];
  for (const auto& n : f.notes) {
    ImGui::PushID(n.id.c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::Text("%s — %s", FormatTimestamp(n.written_at).c_str(),
                session_view_->UserName(n.author_id).c_str());
    ImGui::PopStyleColor();
    ImGui::TextWrapped("%s", n.body.c_str());
    ImGui::Spacing();
    ImGui::PopID();
  }
  if (f.notes.empty()) MutedText(Tr(S::kNone));
  // A note is never edited: its corrections (ui/form_corrections.cpp).
  DrawNoteCorrections(snap, session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                                f.case_record.status == client::CaseStatus::kOpen);
  if (f.sealed) return;  // read only, even under break-glass
  SectionHeading(Tr(S::kAddNote), fonts_.bold);
  ImGui::BeginDisabled(form.saving);
  InputTextMultiline("##note_body", &form.body, ImVec2(-1, ImGui::GetTextLineHeight() * 4));
  // Ctrl+Enter in the note saves it (Enter starts a new line); Escape in it clears it.
  const bool submit = FieldCtrlEnterPressed();
  if (FieldCancelPressed() && !form.saving) form = NoteForm{};
  FieldErrorLine(form.error, "body");
  FieldErrorLine(form.error, "");
  if ((PrimaryButton(Id(S::kAddNote, "save_note").c_str()) || submit) && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::AddNote cmd;
    cmd.case_id = case_id;
    cmd.body = form.body;
    Execute(cmd, [this, case_id](const Result<std::string>& r) {
      NoteForm& done = case_state_.note_forms[case_id];
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = NoteForm{};
    });
  }
  ImGui::EndDisabled();
}

namespace {

// One drawn line of the history: an entry's first line carries its time, user, record and
// action; each shown field of a change takes a line of its own (so every row has one height
// and the clipper can skip what is off screen).
struct HistoryLine {
  std::uint32_t entry;
  std::int32_t field;  // index into entry.fields; -1: the entry's summary (creation, read...);
                       // -2: a correction's reason
};

// Fields of an update worth a line: those whose values changed; when the entry names columns
// only (written before values were kept), every column.
bool ShownField(const client::CaseHistoryEntry& e, const client::HistoryFieldChange& f) {
  if (f.column == "name_fold") return false;  // the search key, derived from the name
  if (e.action == "created") return false;    // one summary line lists the columns
  if (f.values_known) return true;
  return std::none_of(e.fields.begin(), e.fields.end(),
                      [](const client::HistoryFieldChange& x) { return x.values_known; });
}

void AddHistoryLines(const client::CaseHistoryEntry& e, std::uint32_t index,
                     std::vector<HistoryLine>* out) {
  const size_t before = out->size();
  for (size_t f = 0; f < e.fields.size(); ++f) {
    if (ShownField(e, e.fields[f])) out->push_back({index, static_cast<std::int32_t>(f)});
  }
  if (out->size() == before) out->push_back({index, -1});
  if (!e.reason.empty()) out->push_back({index, -2});
}

// At most `max` bytes of `text` on a UTF-8 boundary, "…" when cut.
std::string Shorten(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

}  // namespace

void App::DrawCaseHistory(const CaseFileSnapshot& snap) {
  const auto& h = snap.history;
  if (h.entries.empty()) {
    MutedText(Tr(S::kNone));
    return;
  }
  // The record-kind filter (a table name; empty: every record).
  std::string& kind = case_state_.history_kind[h.case_id];
  {
    ImGui::AlignTextToFramePadding();
    MutedText(Tr(S::kHistoryKindFilter));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(Em(16));
    const std::string preview = kind.empty() ? Tr(S::kHistoryAllKinds) : TableLabel(kind);
    if (BeginCombo("###history_kind", preview.c_str())) {
      if (Selectable(Tr(S::kHistoryAllKinds), kind.empty())) kind.clear();
      for (const auto& k : snap.history_kinds) {
        ImGui::PushID(k.c_str());
        if (Selectable(TableLabel(k).c_str(), kind == k)) kind = k;
        ImGui::PopID();
      }
      EndCombo();
    }
  }
  // The lines of the entries kept: a pass over the snapshot, no query, no formatting (values
  // are put in words for the visible lines only).
  std::vector<HistoryLine> lines;
  lines.reserve(h.entries.size() + h.entries.size() / 2);
  for (std::uint32_t i = 0; i < h.entries.size(); ++i) {
    if (!kind.empty() && h.entries[i].table != kind) continue;
    AddHistoryLines(h.entries[i], i, &lines);
  }
  if (!ImGui::BeginTable("history", 5, kListFlags | ImGuiTableFlags_ScrollY)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(Tr(S::kTime), 0, 1.1f);
  ImGui::TableSetupColumn(Tr(S::kUser), 0, 1.2f);
  ImGui::TableSetupColumn(Tr(S::kHistoryRecord), 0, 2.0f);
  ImGui::TableSetupColumn(Tr(S::kAction), 0, 0.9f);
  ImGui::TableSetupColumn(Tr(S::kHistoryChange), 0, 4.0f);
  ImGui::TableHeadersRow();
  const auto value_text = [this](const client::CaseHistoryEntry& e,
                                 const client::HistoryFieldChange& f, bool to) {
    const std::string& raw = to ? f.to : f.from;
    if (raw.empty()) return std::string(Tr(S::kHistoryNoValue));
    std::string text;
    if (IsUserColumn(f.column)) {
      text = session_view_->UserName(raw);
      if (text.empty()) text = raw;
    } else {
      text = HistoryValueText(e.table, f.column, raw);
    }
    text = Shorten(text, 160);
    if (to ? f.to_cut : f.from_cut) text += Tr(S::kHistoryCut);
    return text;
  };
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(lines.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const HistoryLine& line = lines[static_cast<std::size_t>(i)];
      const auto& e = h.entries[line.entry];
      const bool first = i == 0 || lines[static_cast<std::size_t>(i - 1)].entry != line.entry;
      ImGui::PushID(i);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (first) {
        ImGui::TextUnformatted(FormatTimestamp(e.at).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(session_view_->UserName(e.user_id).c_str());
        ImGui::TableNextColumn();
        std::string record = TableLabel(e.table);
        if (!e.record_label.empty()) record += " " + Shorten(FormatDate(e.record_label), 60);
        ImGui::TextUnformatted(record.c_str());
        ImGui::TableNextColumn();
        const char* action = HistoryKindLabel(e.action);
        ImGui::TextUnformatted(action != nullptr ? action : e.action.c_str());
      } else {
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
      }
      ImGui::TableNextColumn();
      std::string change;
      if (line.field == -2) {
        change = std::string(Tr(S::kHistoryReason)) + ": " + e.reason;
      } else if (line.field == -1) {
        if (e.action == "created") {
          for (const auto& f : e.fields) {
            if (f.column == "name_fold") continue;
            if (!change.empty()) change += ", ";
            change += HistoryFieldLabel(e.table, f.column);
          }
        } else if (e.action == "read" && e.detail == "case_file") {
          change = Tr(S::kHistoryCaseRead);
        } else if (e.action == "render" || e.action == "subject_access" ||
                   e.action == "break_glass") {
          change = AccessDetailText(e.action, e.detail);
        }
      } else {
        const auto& f = e.fields[static_cast<std::size_t>(line.field)];
        change = HistoryFieldLabel(e.table, f.column);
        if (f.values_known) {
          change += ": " + value_text(e, f, false) + " → " + value_text(e, f, true);
        }
      }
      ImGui::TextUnformatted(change.c_str());
      if (change.size() > 80 && ImGui::IsItemHovered()) Tooltip(change.c_str());
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

}  // namespace lietvedis::ui
