// The Mediation tab (izlīgums) of a mediation case: the mediator, the client's consent, the
// harmed persons as parties with their consent, the meetings planned and held, the outcome
// with the agreement's terms and due date, its fulfilment and the report to the requesting
// authority that closes the case. Each form runs the Workspace command the CLI runs
// (`mediation party|consent|mediator|meeting|meeting-outcome|outcome|fulfilment|report`),
// shows its kValidation message under the field it names and writes nothing when refused.
// The rules (consent before a meeting, the outcome once, terms and a due date for an
// agreement) are the core's; the form decides nothing. Once the outcome is recorded,
// "Ziņojums (PDF)" saves the report to the requesting authority through the export dialog
// (client/documents/export.hpp ExportMediationReportFile, as `lietvedis mediation render`).
// The outcome, the parties and the meetings held or cancelled take corrections with a reason
// (ui/form_corrections.cpp), which the report lists.
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

using Kind = MediationForm::Kind;

std::string PartyName(const client::MediationParty& p) {
  return p.surname.empty() ? p.name : p.name + " " + p.surname;
}

const client::MediationParty* FindParty(const client::Mediation& m, const std::string& id) {
  for (const auto& p : m.parties) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// A combo over the values of enum E (in declaration order) named `id`, `*index` the choice.
template <class E, std::size_t N>
void EnumCombo(const char* id, int* index, const E (&values)[N]) {
  ImGui::SetNextItemWidth(-1);
  if (BeginCombo(id, Tr(values[static_cast<std::size_t>(*index)]))) {
    for (std::size_t i = 0; i < N; ++i) {
      ImGui::PushID(static_cast<int>(i));
      if (Selectable(Tr(values[i]), *index == static_cast<int>(i))) *index = static_cast<int>(i);
      ImGui::PopID();
    }
    EndCombo();
  }
}

constexpr client::MediationMeetingStatus kMeetingStatuses[] = {
    client::MediationMeetingStatus::kPlanned, client::MediationMeetingStatus::kHeld};
constexpr client::MeetingMode kModes[] = {
    client::MeetingMode::kInPerson, client::MeetingMode::kRemote, client::MeetingMode::kMixed};
constexpr client::MediationOutcome kOutcomes[] = {
    client::MediationOutcome::kAgreement, client::MediationOutcome::kNoAgreement,
    client::MediationOutcome::kPartyWithdrew, client::MediationOutcome::kNotSuitable};
constexpr client::AgreementFulfilment kFulfilments[] = {client::AgreementFulfilment::kFulfilled,
                                                        client::AgreementFulfilment::kNotFulfilled};

}  // namespace

void App::DrawCaseMediation(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const client::Mediation& m = f.mediation;
  const bool can_write = session_view_->actor.user_id == f.case_record.responsible_officer_id &&
                         f.case_record.status == client::CaseStatus::kOpen;
  MediationForm& form = case_state_.mediation_forms[f.case_record.id];
  const std::string today = FormatDate(session_view_->today);
  const bool decided = m.outcome.has_value();
  const bool agreement = decided && *m.outcome == client::MediationOutcome::kAgreement;

  // The mediation at a glance.
  if (ImGui::BeginTable("mediation_kv", 2, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, Em(13));
    ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
    KeyValueRow(Tr(S::kMediator), m.mediator_name);
    KeyValueRow(Tr(S::kClientConsent), m.client_consent_on.empty()
                                           ? std::string(Tr(S::kNoConsentYet))
                                           : FormatDate(m.client_consent_on));
    KeyValueRow(Tr(S::kMediationOutcome),
                decided ? std::string(Tr(*m.outcome)) + ", " + FormatDate(m.outcome_on) : "");
    if (agreement) {
      KeyValueRow(Tr(S::kAgreementTerms), m.agreement_terms);
      KeyValueRow(Tr(S::kAgreementDue), FormatDate(m.agreement_due_on));
      KeyValueRow(
          Tr(S::kAgreementFulfilment),
          m.fulfilment ? std::string(Tr(*m.fulfilment)) + ", " + FormatDate(m.fulfilment_on) : "");
    }
    KeyValueRow(
        Tr(S::kReportedOn),
        m.reported_on.empty()
            ? std::string()
            : FormatDate(m.reported_on) + " — " + m.report_to +
                  (m.reported_by.empty() ? std::string()
                                         : " (" + session_view_->UserName(m.reported_by) + ")"));
    ImGui::EndTable();
  }
  // The report to the requesting authority as PDF, once there is an outcome to report: for
  // whoever reads the case file, rendered and saved by a job on the worker (the export dialog).
  if (decided) {
    if (Button(Id(S::kMediationReportPdf, "mediation_pdf").c_str())) {
      OpenMediationReportExport(f.case_record.id);
    }
  }

  // What the officer may do next; one form at a time.
  if (can_write && form.kind == Kind::kNone) {
    auto open = [&](Kind kind) {
      form = MediationForm{};
      form.kind = kind;
      form.on = today;
    };
    if (!decided) {
      if (Button(Id(S::kMediationAddParty, "mediation_add_party").c_str())) {
        open(Kind::kParty);
        form.on.clear();
      }
      ImGui::SameLine();
      if (Button(Id(S::kAssignMediator, "mediation_mediator").c_str())) {
        open(Kind::kMediator);
        form.volunteer_id = m.mediator_volunteer_id;
      }
      if (m.client_consent_on.empty()) {
        ImGui::SameLine();
        if (Button(Id(S::kClientConsent, "mediation_client_consent").c_str())) open(Kind::kConsent);
      }
      ImGui::SameLine();
      if (Button(Id(S::kRecordMediationMeeting, "mediation_meeting").c_str())) open(Kind::kMeeting);
      ImGui::SameLine();
      if (Button(Id(S::kRecordMediationOutcome, "mediation_outcome").c_str())) {
        open(Kind::kOutcome);
      }
    } else if (agreement && !m.fulfilment) {
      if (Button(Id(S::kRecordFulfilment, "mediation_fulfilment").c_str())) open(Kind::kFulfilment);
    }
    if (decided && (!agreement || m.fulfilment) && m.reported_on.empty()) {
      if (Button(Id(S::kReportMediation, "mediation_report").c_str())) open(Kind::kReport);
      ImGui::SameLine();
      MutedText(Tr(S::kMediationClosesCase));
    }
  }
  if (can_write && form.kind != Kind::kNone) DrawMediationForm(snap);
  // Records that no longer change take corrections, listed beside the originals.
  DrawMediationCorrections(snap, can_write && form.kind == Kind::kNone);

  // The parties with their consent.
  SectionHeading(Tr(S::kMediationParties), fonts_.bold);
  if (m.parties.empty()) MutedText(Tr(S::kNone));
  int row = 0;
  for (const auto& p : m.parties) {
    ImGui::PushID(p.id.c_str());
    const std::string n = std::to_string(row++);
    ImGui::BulletText(
        "%s%s%s — %s: %s", PartyName(p).c_str(), p.contact.empty() ? "" : ", ", p.contact.c_str(),
        Tr(S::kConsentToMediate),
        p.consent_on.empty() ? Tr(S::kNoConsentYet) : FormatDate(p.consent_on).c_str());
    if (can_write && !decided && p.consent_on.empty() && form.kind == Kind::kNone) {
      ImGui::SameLine();
      if (SmallButton(Id(S::kRecordConsentToMediate, ("party_consent_" + n).c_str()).c_str())) {
        form = MediationForm{};
        form.kind = Kind::kConsent;
        form.party_id = p.id;
        form.on = today;
      }
    }
    ImGui::PopID();
  }

  // The meetings, oldest first; a planned one is held or cancelled here.
  SectionHeading(Tr(S::kMediationMeetings), fonts_.bold);
  if (m.meetings.empty()) {
    MutedText(Tr(S::kNone));
    return;
  }
  if (!ImGui::BeginTable("mediation_meetings", 6, kListFlags)) return;
  ImGui::TableSetupColumn(Tr(S::kDate), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kMode), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kStatus), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kPartiesPresent), 0, 2.0f);
  ImGui::TableSetupColumn(Tr(S::kClientTookPart), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kNote), 0, 3.0f);
  ImGui::TableHeadersRow();
  row = 0;
  for (const auto& x : m.meetings) {
    ImGui::PushID(x.id.c_str());
    const std::string n = std::to_string(row++);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(FormatDate(x.meeting_on).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(Tr(x.mode));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(Tr(x.status));
    if (can_write && !decided && x.status == client::MediationMeetingStatus::kPlanned) {
      auto mark = [&](client::MediationMeetingStatus status) {
        Execute(client::RecordMediationMeetingOutcome{x.id, status, ""},
                [this](const Result<std::string>& r) {
                  if (!r.ok()) ShowError(r.error());
                });
      };
      if (SmallButton(Id(S::kMarkMeetingHeld, ("meeting_held_" + n).c_str()).c_str()))
        mark(client::MediationMeetingStatus::kHeld);
      ImGui::SameLine();
      if (SmallButton(Id(S::kCancelMeeting, ("meeting_cancel_" + n).c_str()).c_str()))
        mark(client::MediationMeetingStatus::kCancelled);
    }
    ImGui::TableNextColumn();
    std::string names;
    for (const auto& id : x.party_ids) {
      const client::MediationParty* p = FindParty(m, id);
      if (!names.empty()) names += ", ";
      names += p != nullptr ? PartyName(*p) : "?";
    }
    TextOrDash(names);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(x.client_attended ? Tr(S::kYes) : Tr(S::kNo));
    ImGui::TableNextColumn();
    TextOrDash(x.note);
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void App::DrawMediationForm(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const client::Mediation& m = f.mediation;
  const std::string case_id = f.case_record.id;
  MediationForm& form = case_state_.mediation_forms[case_id];
  std::string title;
  switch (form.kind) {
    case Kind::kParty:
      title = Tr(S::kMediationAddParty);
      break;
    case Kind::kConsent: {
      const client::MediationParty* p = FindParty(m, form.party_id);
      title = std::string(Tr(S::kConsentToMediate)) + " — " +
              (p != nullptr ? PartyName(*p) : std::string(Tr(S::kClientConsent)));
      break;
    }
    case Kind::kMediator:
      title = Tr(S::kAssignMediator);
      break;
    case Kind::kMeeting:
      title = Tr(S::kRecordMediationMeeting);
      break;
    case Kind::kOutcome:
      title = Tr(S::kRecordMediationOutcome);
      break;
    case Kind::kFulfilment:
      title = Tr(S::kRecordFulfilment);
      break;
    case Kind::kReport:
      title = Tr(S::kReportMediation);
      break;
    case Kind::kNone:
      return;
  }
  SectionHeading(title.c_str(), fonts_.bold);
  bool submit = false;
  ImGui::BeginDisabled(form.saving);
  const auto field = [&](S label, const char* id, std::string* value, const char* error_field,
                         bool date) {
    submit |= TableField(Tr(label), id, value, form.error, error_field,
                         date ? FieldKind::kDate : FieldKind::kText);
  };
  if (ImGui::BeginTable("mediation_form", 4, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    switch (form.kind) {
      case Kind::kParty:
        field(S::kName, "##med_party_name", &form.name, "name", false);
        field(S::kSurname, "##med_party_surname", &form.surname, "surname", false);
        field(S::kContactDetails, "##med_party_contact", &form.contact, "contact", false);
        field(S::kConsentToMediate, "##med_party_consent", &form.on, "consent_on", true);
        break;
      case Kind::kConsent:
        field(S::kConsentToMediate, "##med_consent_on", &form.on, "consent_on", true);
        break;
      case Kind::kMediator: {
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kMediator));
        ImGui::SetNextItemWidth(-1);
        std::string preview = Tr(S::kMediatorOfficer);
        for (const auto& c : m.mediator_choices) {
          if (c.volunteer_id == form.volunteer_id) preview = c.name;
        }
        if (BeginCombo("##med_mediator", preview.c_str())) {
          if (Selectable(Id(S::kMediatorOfficer, "med_mediator_officer").c_str(),
                         form.volunteer_id.empty()))
            form.volunteer_id.clear();
          for (const auto& c : m.mediator_choices) {
            ImGui::PushID(c.volunteer_id.c_str());
            if (Selectable(c.name.c_str(), form.volunteer_id == c.volunteer_id))
              form.volunteer_id = c.volunteer_id;
            ImGui::PopID();
          }
          EndCombo();
        }
        FieldErrorLine(form.error, "volunteer_id");
        break;
      }
      case Kind::kMeeting:
        field(S::kDate, "##med_meeting_on", &form.on, "meeting_on", true);
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kMeetingStatus));
        EnumCombo("##med_meeting_status", &form.status, kMeetingStatuses);
        FieldErrorLine(form.error, "status");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kMode));
        EnumCombo("##med_meeting_mode", &form.mode, kModes);
        ImGui::TableNextColumn();
        field(S::kNote, "##med_meeting_note", &form.note, "note", false);
        break;
      case Kind::kOutcome:
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kMediationOutcome));
        EnumCombo("##med_outcome", &form.outcome, kOutcomes);
        FieldErrorLine(form.error, "outcome");
        field(S::kDate, "##med_outcome_on", &form.on, "decided_on", true);
        field(S::kAgreementTerms, "##med_terms", &form.terms, "agreement_terms", false);
        field(S::kAgreementDue, "##med_due_on", &form.due_on, "agreement_due_on", true);
        break;
      case Kind::kFulfilment:
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kAgreementFulfilment));
        EnumCombo("##med_fulfilment", &form.fulfilment, kFulfilments);
        field(S::kDate, "##med_fulfilment_on", &form.on, "on", true);
        break;
      case Kind::kReport:
        field(S::kReportedOn, "##med_reported_on", &form.on, "reported_on", true);
        field(S::kReportTo, "##med_report_to", &form.report_to, "report_to", false);
        break;
      case Kind::kNone:
        break;
    }
    ImGui::EndTable();
  }
  if (form.kind == Kind::kMeeting) {
    // Who took part (held) or is invited (planned): the parties and the client.
    FieldLabel(Tr(S::kPartiesPresent));
    int row = 0;
    for (const auto& p : m.parties) {
      const std::string n = std::to_string(row++);
      auto at = std::find(form.party_ids.begin(), form.party_ids.end(), p.id);
      bool on = at != form.party_ids.end();
      const std::string label = PartyName(p) + "###med_party_" + n;
      if (Checkbox(label.c_str(), &on)) {
        if (on) {
          form.party_ids.push_back(p.id);
        } else {
          form.party_ids.erase(at);
        }
      }
      // The core names the party by its place among those chosen.
      auto chosen = std::find(form.party_ids.begin(), form.party_ids.end(), p.id);
      if (chosen != form.party_ids.end()) {
        FieldErrorLine(form.error,
                       "party_ids[" + std::to_string(chosen - form.party_ids.begin()) + "]");
      }
    }
    FieldErrorLine(form.error, "party_ids");
    Checkbox(Id(S::kClientTookPart, "med_client_attended").c_str(), &form.client_attended);
    FieldErrorLine(form.error, "client_consent");
    FieldErrorLine(form.error, "mediator");
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "party_id");
  FieldErrorLine(form.error, "");
  submit |= PrimaryButton(Id(S::kSave, "mediation_save").c_str());
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "mediation_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) {
    form = MediationForm{};
    return;
  }
  if (!submit || form.saving) return;
  form.error.Clear();
  client::Command cmd;
  switch (form.kind) {
    case Kind::kParty:
      cmd = client::AddMediationParty{case_id, form.name, form.surname, form.contact, form.on};
      break;
    case Kind::kConsent:
      cmd = client::RecordMediationConsent{case_id, form.party_id, form.on};
      break;
    case Kind::kMediator:
      cmd = client::AssignMediator{case_id, form.volunteer_id};
      break;
    case Kind::kMeeting: {
      client::RecordMediationMeeting c;
      c.case_id = case_id;
      c.meeting_on = form.on;
      c.status = kMeetingStatuses[static_cast<std::size_t>(form.status)];
      c.mode = kModes[static_cast<std::size_t>(form.mode)];
      c.party_ids = form.party_ids;
      c.client_attended = form.client_attended;
      c.note = form.note;
      cmd = c;
      break;
    }
    case Kind::kOutcome:
      cmd =
          client::RecordMediationOutcome{case_id, kOutcomes[static_cast<std::size_t>(form.outcome)],
                                         form.on, form.terms, form.due_on};
      break;
    case Kind::kFulfilment:
      cmd = client::RecordAgreementFulfilment{
          case_id, kFulfilments[static_cast<std::size_t>(form.fulfilment)], form.on};
      break;
    case Kind::kReport:
      cmd = client::ReportMediation{case_id, form.on, form.report_to};
      break;
    case Kind::kNone:
      return;
  }
  form.saving = true;
  Execute(std::move(cmd), [this, case_id](const Result<std::string>& r) {
    MediationForm& done = case_state_.mediation_forms[case_id];
    done.saving = false;
    if (!r.ok()) {
      done.error = ToFieldError(r.error());
      return;
    }
    done = MediationForm{};
  });
}

}  // namespace lietvedis::ui
