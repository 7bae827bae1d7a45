// Programmes tab of the case file: the client's consents, the programme referrals with their
// sessions, and the referral to peer mentoring, with the forms that write them: consent
// (RecordConsent), a referral (ReferToProgramme: it needs the consent in force and a need),
// enrolment, attendance per session and the end of a referral (EnrolInProgramme,
// RecordAttendance, EndReferral), and the officer's referral to peer mentoring with the
// client's consent (ReferToMentoring, EndMentoringReferral). Each form runs the Workspace
// command the CLI runs, shows its kValidation message under the field it names and writes
// nothing when refused; the lists are read back from the snapshot the completion refreshes.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "ui/app.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr ImGuiTableFlags kListFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
    ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;

const client::Referral* FindReferral(const client::CaseFileView& f, const std::string& id) {
  for (const auto& r : f.referrals) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const client::MentoringReferral* ActiveMentoringReferral(const client::CaseFileView& f) {
  for (const auto& r : f.mentoring_referrals) {
    if (r.ended_on.empty()) return &r;
  }
  return nullptr;
}

// A combo over the unit's active programmes; `id` is the widget's "##id".
void ProgrammeCombo(const char* id, const std::vector<client::Programme>& programmes,
                    std::string* programme_id) {
  const char* preview = Tr(S::kChooseProgramme);
  for (const auto& p : programmes) {
    if (p.id == *programme_id) preview = p.name.c_str();
  }
  ImGui::SetNextItemWidth(-1);
  if (BeginCombo(id, preview)) {
    for (const auto& p : programmes) {
      if (!p.active) continue;
      ImGui::PushID(p.id.c_str());
      if (Selectable(p.name.c_str(), *programme_id == p.id)) *programme_id = p.id;
      ImGui::PopID();
    }
    EndCombo();
  }
}

}  // namespace

void App::DrawConsentForm(const CaseFileSnapshot& snap) {
  const std::string case_id = snap.file.case_record.id;
  ConsentForm& form = case_state_.programme_forms[case_id].consent;
  if (!form.open) {
    if (Button(Id(S::kRecordConsent, "record_consent").c_str())) {
      form = ConsentForm{};
      form.open = true;
      form.given_on = FormatDate(session_view_->today);
    }
    ImGui::SameLine();
    return;
  }
  SectionHeading(Tr(S::kRecordConsent), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("consent_form", 3, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("programme", ImGuiTableColumnFlags_WidthStretch, 2.5f);
    ImGui::TableSetupColumn("decision", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("given_on", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kProgramme));
    ProgrammeCombo("##consent_programme", session_view_->programmes, &form.programme_id);
    FieldErrorLine(form.error, "programme_id");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kDecision));
    EnumCombo("##consent_decision", &form.decision);
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kConsentGivenOn));
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput("##consent_given_on", &form.given_on, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "given_on");
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "consent_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "consent_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = ConsentForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::RecordConsent cmd;
    cmd.case_id = case_id;
    cmd.programme_id = form.programme_id;
    cmd.decision = form.decision;
    cmd.given_on = form.given_on;
    Execute(cmd, [this, case_id](const Result<std::string>& r) {
      ConsentForm& done = case_state_.programme_forms[case_id].consent;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = ConsentForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawProgrammeReferralForm(const CaseFileSnapshot& snap) {
  const std::string case_id = snap.file.case_record.id;
  ProgrammeReferralForm& form = case_state_.programme_forms[case_id].referral;
  if (!form.open) {
    if (Button(Id(S::kReferToProgramme, "refer_programme").c_str())) {
      form = ProgrammeReferralForm{};
      form.open = true;
      form.referred_on = FormatDate(session_view_->today);
    }
    return;
  }
  SectionHeading(Tr(S::kReferToProgramme), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("referral_form", 4, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("programme", ImGuiTableColumnFlags_WidthStretch, 2.5f);
    ImGui::TableSetupColumn("need", ImGuiTableColumnFlags_WidthStretch, 1.8f);
    ImGui::TableSetupColumn("risk", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("referred_on", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kProgramme));
    ProgrammeCombo("##referral_programme", session_view_->programmes, &form.programme_id);
    FieldErrorLine(form.error, "programme_id");
    // The consent in force is the programme's: its refusal shows under the programme.
    FieldErrorLine(form.error, "consent");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kNeed));
    ImGui::SetNextItemWidth(-1);
    if (BeginCombo("##referral_need", form.need ? Tr(*form.need) : Tr(S::kChooseNeed))) {
      const int n = static_cast<int>(client::AllCodes<client::NeedDomain>().size());
      for (int i = 0; i < n; ++i) {
        const auto v = static_cast<client::NeedDomain>(i);
        ImGui::PushID(i);
        if (Selectable(Tr(v), form.need == v)) form.need = v;
        ImGui::PopID();
      }
      EndCombo();
    }
    FieldErrorLine(form.error, "need");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kRiskLevel));
    ImGui::SetNextItemWidth(-1);
    if (BeginCombo("##referral_risk",
                   form.risk_level ? Tr(*form.risk_level) : Tr(S::kRiskFromAssessment))) {
      if (Selectable(Tr(S::kRiskFromAssessment), !form.risk_level)) form.risk_level.reset();
      const int n = static_cast<int>(client::AllCodes<client::RiskLevel>().size());
      for (int i = 0; i < n; ++i) {
        const auto v = static_cast<client::RiskLevel>(i);
        ImGui::PushID(i);
        if (Selectable(Tr(v), form.risk_level == v)) form.risk_level = v;
        ImGui::PopID();
      }
      EndCombo();
    }
    FieldErrorLine(form.error, "risk_level");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kReferredOn));
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput("##referral_referred_on", &form.referred_on,
                        ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, "referred_on");
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSaveReferral, "referral_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "referral_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = ProgrammeReferralForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::ReferToProgramme cmd;
    cmd.case_id = case_id;
    cmd.programme_id = form.programme_id;
    cmd.need = form.need;
    cmd.risk_level = form.risk_level;
    cmd.referred_on = form.referred_on;
    Execute(cmd, [this, case_id](const Result<std::string>& r) {
      ProgrammeReferralForm& done = case_state_.programme_forms[case_id].referral;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = ProgrammeReferralForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawReferralActionForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  ReferralActionForm& form = case_state_.programme_forms[case_id].action;
  using Kind = ReferralActionForm::Kind;
  if (form.kind == Kind::kNone) return;
  const client::Referral* referral = FindReferral(f, form.referral_id);
  if (referral == nullptr || (referral->status != client::ReferralStatus::kReferred &&
                              referral->status != client::ReferralStatus::kEnrolled)) {
    form = ReferralActionForm{};  // ended meanwhile (another device, a sync)
    return;
  }
  const S title = form.kind == Kind::kEnrol        ? S::kEnrolmentTitle
                  : form.kind == Kind::kAttendance ? S::kAttendanceTitle
                                                   : S::kEndReferralTitle;
  SectionHeading((std::string(Tr(title)) + " — " + referral->programme_name).c_str(), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("referral_action_form", 3, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("on", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("second", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("third", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const char* field = form.kind == Kind::kEnrol        ? "enrolled_on"
                        : form.kind == Kind::kAttendance ? "session_on"
                                                         : "ended_on";
    FieldLabel(Tr(form.kind == Kind::kEnrol        ? S::kEnrolledOn
                  : form.kind == Kind::kAttendance ? S::kSessionOn
                                                   : S::kEndedOn));
    ImGui::SetNextItemWidth(-1);
    submit |= DateInput("##referral_action_on", &form.on, ImGuiInputTextFlags_EnterReturnsTrue);
    FieldErrorLine(form.error, field);
    if (form.kind == Kind::kAttendance) {
      ImGui::TableNextColumn();
      ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));
      Checkbox(Id(S::kAttended, "attendance_attended").c_str(), &form.attended);
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kNote));
      ImGui::SetNextItemWidth(-1);
      submit |= InputText("##attendance_note", &form.note, ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "note");
    } else if (form.kind == Kind::kEnd) {
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kReferralEnd));
      ImGui::SetNextItemWidth(-1);
      // A referral ends completed, dropped out or cancelled; the other two are not an end.
      if (BeginCombo("##referral_end_status", Tr(form.status))) {
        for (const auto s :
             {client::ReferralStatus::kCompleted, client::ReferralStatus::kDroppedOut,
              client::ReferralStatus::kCancelled}) {
          ImGui::PushID(static_cast<int>(s));
          if (Selectable(Tr(s), form.status == s)) form.status = s;
          ImGui::PopID();
        }
        EndCombo();
      }
      FieldErrorLine(form.error, "status");
    }
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "referral_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "referral_action_save").c_str());
  ImGui::SameLine();
  const bool cancel =
      Button(Id(S::kCancel, "referral_action_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = ReferralActionForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::Command cmd;
    if (form.kind == Kind::kEnrol) {
      cmd = client::EnrolInProgramme{form.referral_id, form.on};
    } else if (form.kind == Kind::kAttendance) {
      cmd = client::RecordAttendance{form.referral_id, form.on, form.attended, form.note};
    } else {
      cmd = client::EndReferral{form.referral_id, form.on, form.status};
    }
    Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
      ReferralActionForm& done = case_state_.programme_forms[case_id].action;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = ReferralActionForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawMentoringReferral(const CaseFileSnapshot& snap, bool can_write) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  SectionHeading(Tr(S::kMentoringReferral), fonts_.bold);
  const client::MentoringReferral* active = ActiveMentoringReferral(f);
  if (f.mentoring_referrals.empty()) MutedText(Tr(S::kNotReferredToMentoring));
  for (const auto& r : f.mentoring_referrals) {
    ImGui::PushID(r.id.c_str());
    ImGui::BulletText(
        "%s %s, %s %s%s%s", Tr(S::kReferredOn), FormatDate(r.referred_on).c_str(),
        Tr(S::kConsentOn), FormatDate(r.consent_on).c_str(), r.ended_on.empty() ? "" : " — ",
        r.ended_on.empty() ? ""
                           : (std::string(Tr(S::kEndedOn)) + " " + FormatDate(r.ended_on)).c_str());
    if (r.circle) {
      ImGui::SameLine();
      MutedText((std::string("(") + Tr(S::kCircleOfSupport) + ")").c_str());
    }
    ImGui::PopID();
  }
  if (!can_write) return;
  MentoringReferralForm& form = case_state_.programme_forms[case_id].mentoring;
  using Kind = MentoringReferralForm::Kind;
  if (form.kind == Kind::kEnd && (active == nullptr || active->id != form.referral_id)) {
    form = MentoringReferralForm{};  // ended meanwhile
  }
  if (form.kind == Kind::kNone) {
    if (active == nullptr) {
      MutedText(Tr(S::kMentoringConsentNote));
      if (Button(Id(S::kReferToMentoring, "refer_mentoring").c_str())) {
        form = MentoringReferralForm{};
        form.kind = Kind::kRefer;
        form.referred_on = FormatDate(session_view_->today);
      }
    } else if (Button(Id(S::kEndMentoringReferral, "end_mentoring").c_str())) {
      form = MentoringReferralForm{};
      form.kind = Kind::kEnd;
      form.referral_id = active->id;
      form.ended_on = FormatDate(session_view_->today);
    }
    return;
  }
  SectionHeading(Tr(form.kind == Kind::kRefer ? S::kReferToMentoring : S::kEndMentoringReferral),
                 fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("mentoring_referral_form", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    if (form.kind == Kind::kRefer) {
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kConsentOn));
      ImGui::SetNextItemWidth(-1);
      submit |= DateInput("##mentoring_consent_on", &form.consent_on,
                          ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "consent_on");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kReferredOn));
      ImGui::SetNextItemWidth(-1);
      submit |= DateInput("##mentoring_referred_on", &form.referred_on,
                          ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "referred_on");
      // A circle of support is for a sex-offence case: offered only for a client so tagged.
      const auto& tags = f.client.tags;
      if (std::find(tags.begin(), tags.end(), client::ClientTag::kSexOffence) != tags.end()) {
        ImGui::TableNextColumn();
        FieldLabel(" ");
        Checkbox(Id(S::kCircleOfSupport, "mentoring_circle").c_str(), &form.circle);
        FieldErrorLine(form.error, "circle");
      }
    } else {
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kEndedOn));
      ImGui::SetNextItemWidth(-1);
      submit |=
          DateInput("##mentoring_ended_on", &form.ended_on, ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "ended_on");
    }
    ImGui::TableNextColumn();
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "referral_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "mentoring_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "mentoring_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = MentoringReferralForm{};
    return;
  }
  if (submit && !form.saving) {
    form.saving = true;
    form.error.Clear();
    client::Command cmd;
    if (form.kind == Kind::kRefer) {
      cmd = client::ReferToMentoring{case_id, form.consent_on, form.referred_on, form.circle};
    } else {
      cmd = client::EndMentoringReferral{form.referral_id, form.ended_on};
    }
    Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
      MentoringReferralForm& done = case_state_.programme_forms[case_id].mentoring;
      done.saving = false;
      if (!r.ok()) {
        done.error = ToFieldError(r.error());
        return;
      }
      done = MentoringReferralForm{};
    });
  }
  ImGui::Spacing();
}

void App::DrawCaseProgrammes(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  const bool can_write = session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                         f.case_record.status == client::CaseStatus::kOpen;
  // What the officer does here comes first: consent, then the referral; the lists follow, each
  // open referral with its actions (enrol, a session, the end).
  if (can_write) {
    DrawConsentForm(snap);
    DrawProgrammeReferralForm(snap);
    DrawReferralActionForm(snap);
  }
  ReferralActionForm& action = case_state_.programme_forms[case_id].action;
  SectionHeading(Tr(S::kReferrals), fonts_.bold);
  if (f.referrals.empty()) {
    MutedText(Tr(S::kNone));
  } else if (ImGui::BeginTable("referrals", can_write ? 6 : 5, kListFlags)) {
    ImGui::TableSetupColumn(Tr(S::kProgramme), 0, 2.2f);
    ImGui::TableSetupColumn(Tr(S::kNeed), 0, 1.4f);
    ImGui::TableSetupColumn(Tr(S::kDate), 0, 1.0f);
    ImGui::TableSetupColumn(Tr(S::kStatus), 0, 1.2f);
    ImGui::TableSetupColumn(Tr(S::kSessionsAttended), 0, 1.0f);
    if (can_write) ImGui::TableSetupColumn("", 0, 2.2f);
    ImGui::TableHeadersRow();
    int row = 0;
    for (const auto& r : f.referrals) {
      ImGui::PushID(r.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.programme_name.c_str());
      ImGui::TableNextColumn();
      TextOrDash(r.need ? Tr(*r.need) : "");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(FormatDate(r.referred_on).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(r.status));
      if (!r.ended_on.empty()) {
        ImGui::SameLine();
        MutedText(FormatDate(r.ended_on).c_str());
      }
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(r.sessions_attended));
      if (can_write) {
        ImGui::TableNextColumn();
        const bool open = r.status == client::ReferralStatus::kReferred ||
                          r.status == client::ReferralStatus::kEnrolled;
        const std::string n = std::to_string(row);
        auto open_action = [&](ReferralActionForm::Kind kind) {
          action = ReferralActionForm{};
          action.kind = kind;
          action.referral_id = r.id;
          action.on = FormatDate(session_view_->today);
        };
        ImGui::BeginDisabled(action.kind != ReferralActionForm::Kind::kNone);
        if (r.status == client::ReferralStatus::kReferred &&
            SmallButton(Id(S::kEnrolInProgramme, ("enrol_" + n).c_str()).c_str())) {
          open_action(ReferralActionForm::Kind::kEnrol);
        }
        if (r.status == client::ReferralStatus::kEnrolled &&
            SmallButton(Id(S::kRecordAttendance, ("attendance_" + n).c_str()).c_str())) {
          open_action(ReferralActionForm::Kind::kAttendance);
        }
        if (open) {
          ImGui::SameLine();
          if (SmallButton(Id(S::kEndReferral, ("end_referral_" + n).c_str()).c_str()))
            open_action(ReferralActionForm::Kind::kEnd);
        }
        ImGui::EndDisabled();
      }
      ImGui::PopID();
      ++row;
    }
    ImGui::EndTable();
  }
  // The sessions of every referral, in the order the file lists them.
  if (!f.attendance.empty()) {
    SectionHeading(Tr(S::kAttendanceList), fonts_.bold);
    for (const auto& a : f.attendance) {
      const client::Referral* r = FindReferral(f, a.referral_id);
      ImGui::PushID(a.id.c_str());
      ImGui::BulletText("%s — %s: %s%s%s", FormatDate(a.session_on).c_str(),
                        r != nullptr ? r->programme_name.c_str() : "",
                        a.attended ? Tr(S::kAttended) : Tr(S::kMissedSession),
                        a.note.empty() ? "" : "; ", a.note.c_str());
      ImGui::PopID();
    }
    DrawAttendanceCorrections(snap, can_write);  // ui/form_corrections.cpp
  }
  SectionHeading(Tr(S::kConsents), fonts_.bold);
  if (f.consents.empty()) MutedText(Tr(S::kNone));
  for (const auto& c : f.consents) {
    ImGui::PushID(c.id.c_str());
    ImGui::BulletText("%s — %s, %s", c.programme_name.c_str(), Tr(c.decision),
                      FormatDate(c.given_on).c_str());
    ImGui::PopID();
  }
  DrawMentoringReferral(snap, can_write);
}

}  // namespace lietvedis::ui
