// Corrections of kept records (CorrectRecord): a record that is signed, held, closed or decided
// (an assessment, a contact, a note, a closed section, signed minutes) never changes; a
// correction of one of its fields is appended with its reason, and the file shows the original
// beside the correction. The form's title says "correct a record", not "a signed record", since
// most of them were never signed. The tab that lists such records passes them here with the fields
// an officer may correct and their recorded values; the form runs the Workspace command the CLI
// runs
// (`correct`), shows its kValidation message under the field it names and writes nothing when
// refused. Signed MAPPA minutes (the MAPPA page) and signed-off mentoring sessions (the
// coordinator's card) take corrections the same way, in the scope that holds them: the unit's
// for minutes (its officers and supervisors write it), the mentoring scope for sessions (the
// unit's volunteer coordinators). Signed evaluation reports: ui/screen_evaluation.cpp. The
// records without a form of their own take corrections the same way: the participant, action
// and disclosure rows of signed minutes (MAPPA page), mentor assignments (coordinator's card),
// notes (Piezīmes tab) and programme attendance (Programmas tab).
#include <imgui.h>

#include <functional>
#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

constexpr ImGuiTableFlags kListFlags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
    ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;

const CorrectableRecord* FindRecord(const std::vector<CorrectableRecord>& records,
                                    const std::string& id) {
  for (const auto& r : records) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const CorrectableRecord* FindRecord(const std::vector<CorrectableTable>& tables,
                                    const std::string& table, const std::string& id) {
  for (const auto& t : tables) {
    if (t.table == table) return FindRecord(t.records, id);
  }
  return nullptr;
}

const CorrectableField* FindField(const CorrectableRecord& record, const std::string& field) {
  for (const auto& f : record.fields) {
    if (f.field == field) return &f;
  }
  return nullptr;
}

// Texts of the list wrap in their column (a corrected decision or note is a sentence or more).
void WrappedOrDash(const std::string& text) {
  if (text.empty()) {
    TextOrDash("");
  } else {
    ImGui::TextWrapped("%s", text.c_str());
  }
}

bool IsDayField(const std::string& field) {
  return field.size() > 3 && field.compare(field.size() - 3, 3, "_on") == 0;
}

// A stored or typed value as the list shows it: a code by its label, a day as dd.mm.yyyy.
std::string ShownValue(const CorrectableField* field, const std::string& value) {
  if (field != nullptr) {
    for (const auto& [code, label] : field->choices) {
      if (code == value) return label;
    }
    if (IsDayField(field->field)) return FormatDate(value);
  }
  return value;
}

// The choices of an enum column (code, label), in declaration order.
template <class E>
std::vector<std::pair<std::string, std::string>> EnumChoices() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [v, code] : client::EnumCodes<E>::kTable)
    out.emplace_back(std::string(code), Tr(v));
  return out;
}

std::vector<std::pair<std::string, std::string>> InstitutionChoices() {
  return EnumChoices<client::Institution>();
}

// The value a field's form starts from: its recorded value (for a choice: its code).
std::string StartValue(const CorrectableField& f) {
  for (const auto& [code, label] : f.choices) {
    if (label == f.original) return code;
  }
  return f.original;
}

std::vector<std::pair<std::string, std::string>> YesNoChoices() {
  return {{"1", Tr(S::kYes)}, {"0", Tr(S::kNo)}};
}

}  // namespace

void App::OpenCorrection(const std::string& form_key, const std::string& table,
                         const CorrectableRecord& record) {
  CorrectionForm& form = case_state_.correction_forms[form_key];
  form = CorrectionForm{};
  form.target_table = table;
  form.target_id = record.id;
  if (!record.fields.empty()) {
    form.field = record.fields.front().field;
    form.value = StartValue(record.fields.front());
  }
}

void App::DrawCorrections(const CaseFileSnapshot& snap, const std::string& table,
                          const std::vector<CorrectableRecord>& records) {
  DrawRecordCorrections(snap.file.case_record.id, snap.file.corrections, table, records);
}

void App::DrawRecordCorrections(const std::string& form_key,
                                const std::vector<client::Correction>& corrections,
                                const std::string& table,
                                const std::vector<CorrectableRecord>& records,
                                const std::function<void()>& after_save) {
  DrawRecordCorrections(form_key, corrections, {CorrectableTable{table, records}}, after_save);
}

void App::DrawRecordCorrections(const std::string& form_key,
                                const std::vector<client::Correction>& corrections,
                                const std::vector<CorrectableTable>& tables,
                                const std::function<void()>& after_save) {
  CorrectionForm& form = case_state_.correction_forms[form_key];
  bool covered = false;  // the open form's table is one of these
  for (const auto& t : tables) covered |= t.table == form.target_table;
  const CorrectableRecord* target =
      covered ? FindRecord(tables, form.target_table, form.target_id) : nullptr;
  if (covered && target == nullptr) form = CorrectionForm{};
  if (target != nullptr) {
    SectionHeading((std::string(Tr(S::kCorrectRecord)) + " — " + target->label).c_str(),
                   fonts_.bold);
    MutedText(Tr(S::kCorrectionIntro));
    bool submit = false;
    ImGui::BeginDisabled(form.saving);
    const CorrectableField* field = FindField(*target, form.field);
    if (ImGui::BeginTable("correction_form", 4, ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch, 1.2f);
      ImGui::TableSetupColumn("original", ImGuiTableColumnFlags_WidthStretch, 1.2f);
      ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 1.6f);
      ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthStretch, 2.6f);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kField));
      ImGui::SetNextItemWidth(-1);
      if (BeginCombo("##correction_field", field != nullptr ? field->label.c_str() : "")) {
        for (const auto& c : target->fields) {
          ImGui::PushID(c.field.c_str());
          if (Selectable(c.label.c_str(), form.field == c.field)) {
            form.field = c.field;
            form.value = StartValue(c);
          }
          ImGui::PopID();
        }
        EndCombo();
      }
      FieldErrorLine(form.error, "field");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kOriginal));
      TextOrDash(field != nullptr ? field->original : "");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kCorrectedValue));
      ImGui::SetNextItemWidth(-1);
      if (field != nullptr && !field->choices.empty()) {
        if (BeginCombo("##correction_value", ShownValue(field, form.value).c_str())) {
          for (const auto& [code, label] : field->choices) {
            ImGui::PushID(code.c_str());
            if (Selectable(label.c_str(), form.value == code)) form.value = code;
            ImGui::PopID();
          }
          EndCombo();
        }
      } else {
        submit |=
            InputText("##correction_value", &form.value, ImGuiInputTextFlags_EnterReturnsTrue);
      }
      FieldErrorLine(form.error, "value");
      ImGui::TableNextColumn();
      FieldLabel(Tr(S::kReason));
      ImGui::SetNextItemWidth(-1);
      submit |=
          InputText("##correction_reason", &form.reason, ImGuiInputTextFlags_EnterReturnsTrue);
      FieldErrorLine(form.error, "reason");
      ImGui::EndTable();
    }
    FieldErrorLine(form.error, "target_id");
    FieldErrorLine(form.error, "target_table");
    FieldErrorLine(form.error, "");
    submit |= PrimaryButton(Id(S::kSaveCorrection, "correction_save").c_str());
    ImGui::SameLine();
    const bool cancel = Button(Id(S::kCancel, "correction_cancel").c_str()) || FormCancelPressed();
    ImGui::EndDisabled();
    if (cancel && !form.saving) {
      form = CorrectionForm{};
    } else if (submit && !form.saving) {
      form.saving = true;
      form.error.Clear();
      client::CorrectRecord cmd{form.target_table, form.target_id, form.field, form.value,
                                form.reason};
      Execute(cmd, [this, form_key, after_save](const Result<std::string>& r) {
        CorrectionForm& done = case_state_.correction_forms[form_key];
        done.saving = false;
        if (!r.ok()) {
          done.error = ToFieldError(r.error());
          return;
        }
        done = CorrectionForm{};
        if (after_save) after_save();
      });
    }
    ImGui::Spacing();
  }
  // The corrections of these records, oldest first: the original beside each correction.
  std::vector<std::pair<const client::Correction*, const CorrectableRecord*>> shown;
  for (const auto& c : corrections) {
    const CorrectableRecord* record = FindRecord(tables, c.target_table, c.target_id);
    if (record != nullptr) shown.emplace_back(&c, record);
  }
  if (shown.empty()) return;
  SectionHeading(Tr(S::kCorrections), fonts_.bold);
  if (!ImGui::BeginTable("corrections", 6, kListFlags)) return;
  ImGui::TableSetupColumn(Tr(S::kRecord), 0, 1.4f);
  ImGui::TableSetupColumn(Tr(S::kField), 0, 1.0f);
  ImGui::TableSetupColumn(Tr(S::kOriginal), 0, 1.2f);
  ImGui::TableSetupColumn(Tr(S::kCorrectedValue), 0, 1.2f);
  ImGui::TableSetupColumn(Tr(S::kReason), 0, 2.2f);
  ImGui::TableSetupColumn(Tr(S::kCorrectedBy), 0, 1.4f);
  ImGui::TableHeadersRow();
  for (const auto& [c, record] : shown) {
    const CorrectableField* field = FindField(*record, c->field);
    ImGui::PushID(c->id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", record->label.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", field != nullptr ? field->label.c_str() : c->field.c_str());
    ImGui::TableNextColumn();
    WrappedOrDash(field != nullptr ? field->original : "");
    ImGui::TableNextColumn();
    WrappedOrDash(ShownValue(field, c->value));
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", c->reason.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s, %s", session_view_->UserName(c->author_id).c_str(),
                       FormatTimestamp(c->at).c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void App::DrawCorrectButtons(const std::string& form_key,
                             const std::vector<CorrectableTable>& tables,
                             const std::vector<const char*>& prefixes) {
  const bool correcting = !case_state_.correction_forms[form_key].target_id.empty();
  ImGui::BeginDisabled(correcting);
  for (std::size_t t = 0; t < tables.size() && t < prefixes.size(); ++t) {
    const auto& records = tables[t].records;
    for (std::size_t i = 0; i < records.size(); ++i) {
      ImGui::PushID(records[i].id.c_str());
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(records[i].label.c_str());
      ImGui::SameLine();
      const std::string id = std::string("correct_") + prefixes[t] + "_" + std::to_string(i);
      if (SmallButton(Id(S::kCorrect, id.c_str()).c_str()))
        OpenCorrection(form_key, tables[t].table, records[i]);
      ImGui::PopID();
    }
  }
  ImGui::EndDisabled();
}

// Signed minutes: the two decision texts, and the rows of participants, actions and
// disclosures (#correct_participant_N, #correct_action_N, #correct_disclosure_N). An action's
// completion is CompleteMappaAction, not a correction.
void App::DrawMappaCorrections(const client::MappaMeeting& meeting) {
  if (!meeting.IsSigned() || !mappa_) return;
  const std::string key = "mappa:" + meeting.id;
  CorrectableRecord record;
  record.id = meeting.id;
  record.label = TableLabel("mappa_meeting") + " " + FormatDate(meeting.held_on);
  record.fields = {{"risk_decisions", Tr(S::kRiskDecisions), meeting.risk_decisions},
                   {"victim_decisions", Tr(S::kVictimDecisions), meeting.victim_decisions}};
  std::vector<CorrectableTable> rows{
      {"mappa_participant", {}}, {"mappa_action", {}}, {"mappa_disclosure", {}}};
  for (const auto& p : meeting.participants) {
    CorrectableRecord r;
    r.id = p.id;
    r.label = std::string(Tr(S::kMappaParticipantRecord)) + ": " + p.name;
    r.fields = {
        {"name", Tr(S::kParticipantNameRole), p.name},
        {"institution", Tr(S::kMeetingInstitution), Tr(p.institution), InstitutionChoices()}};
    rows[0].records.push_back(std::move(r));
  }
  for (const auto& a : meeting.actions) {
    CorrectableRecord r;
    r.id = a.id;
    r.label = std::string(Tr(S::kMappaActionRecord)) + ": " + a.description;
    r.fields = {{"description", Tr(S::kDescription), a.description},
                {"due_on", Tr(S::kDueOn), FormatDate(a.due_on)},
                {"owner_institution", Tr(S::kActionOwner), Tr(a.owner), InstitutionChoices()}};
    rows[1].records.push_back(std::move(r));
  }
  for (const auto& d : meeting.disclosures) {
    CorrectableRecord r;
    r.id = d.id;
    r.label = std::string(Tr(S::kMappaDisclosureRecord)) + ": " + d.what;
    r.fields = {{"what", Tr(S::kDisclosureWhat), d.what},
                {"to_whom", Tr(S::kDisclosureToWhom), d.to_whom},
                {"legal_basis", Tr(S::kLegalBasis), d.legal_basis},
                {"recipient_institution", Tr(S::kRecipientInstitution),
                 d.recipient ? Tr(*d.recipient) : "", InstitutionChoices()}};
    rows[2].records.push_back(std::move(r));
  }
  const auto found = mappa_->corrections.find(meeting.id);
  static const std::vector<client::Correction> kNone;
  const auto& corrections = found != mappa_->corrections.end() ? found->second : kNone;
  // The unit's officers and supervisors write its scope (client::CanWriteUnitMeetings).
  const client::Actor& actor = session_view_->actor;
  const bool can_write =
      (actor.role == client::Role::kOfficer || actor.role == client::Role::kSupervisor) &&
      actor.unit_id == meeting.unit_id;
  if (can_write && case_state_.correction_forms[key].target_id.empty()) {
    if (Button(Id(S::kCorrectMinutes, "mappa_correct").c_str()))
      OpenCorrection(key, "mappa_meeting", record);
  }
  if (can_write &&
      !(rows[0].records.empty() && rows[1].records.empty() && rows[2].records.empty())) {
    SectionHeading(Tr(S::kMinutesRowCorrections), fonts_.bold);
    DrawCorrectButtons(key, rows, {"participant", "action", "disclosure"});
  }
  std::vector<CorrectableTable> tables{{"mappa_meeting", {record}}};
  tables.insert(tables.end(), rows.begin(), rows.end());
  DrawRecordCorrections(key, corrections, tables);
}

// Signed-off sessions (the day, the duration, the note) and mentor assignments (the start and
// end days). The coordinator's card offers the forms (#correct_session_N,
// #correct_assignment_N); the case file's mentoring tab lists the corrections only.
void App::DrawMentoringCorrections(const client::MentoringView& m, bool can_write) {
  const std::string key = "mentoring:" + m.card.case_id;
  CorrectableTable sessions{"mentoring_session", {}};
  for (const auto& s : m.sessions) {
    if (s.signed_off_at.empty()) continue;
    CorrectableRecord r;
    r.id = s.id;
    r.label = std::string(Tr(S::kMentoringSessionRecord)) + " " + FormatDate(s.held_on);
    r.fields = {{"note", Tr(S::kNote), s.note},
                {"held_on", Tr(S::kDate), FormatDate(s.held_on)},
                {"duration_minutes", Tr(S::kDurationMin), std::to_string(s.duration_minutes)}};
    sessions.records.push_back(std::move(r));
  }
  CorrectableTable assignments{"mentor_assignment", {}};
  for (const auto& a : m.assignments) {
    CorrectableRecord r;
    r.id = a.id;
    r.label = std::string(Tr(S::kMentorAssignmentRecord)) + ": " + a.volunteer_name + ", " +
              FormatDate(a.started_on);
    r.fields = {{"started_on", Tr(S::kStartedOn), FormatDate(a.started_on)},
                {"ended_on", Tr(S::kEndedOn), FormatDate(a.ended_on)}};
    assignments.records.push_back(std::move(r));
  }
  if (can_write && !sessions.records.empty()) {
    SectionHeading(Tr(S::kSessionCorrections), fonts_.bold);
    DrawCorrectButtons(key, {sessions}, {"session"});
  }
  if (can_write && !assignments.records.empty()) {
    SectionHeading(Tr(S::kAssignmentCorrections), fonts_.bold);
    DrawCorrectButtons(key, {assignments}, {"assignment"});
  }
  const std::string case_id = m.card.case_id;
  DrawRecordCorrections(key, m.corrections, {sessions, assignments},
                        [this, case_id]() { RefreshMentoring(case_id); });
}

// Notes are append-only: a wrong note is corrected, never edited (the Piezīmes tab).
void App::DrawNoteCorrections(const CaseFileSnapshot& snap, bool can_write) {
  const auto& f = snap.file;
  CorrectableTable notes{"note", {}};
  for (const auto& n : f.notes) {
    CorrectableRecord r;
    r.id = n.id;
    r.label = std::string(Tr(S::kNoteRecord)) + " " + FormatTimestamp(n.written_at);
    r.fields = {{"body", Tr(S::kNote), n.body}};
    notes.records.push_back(std::move(r));
  }
  if (notes.records.empty()) return;
  if (can_write) {
    SectionHeading(Tr(S::kNoteCorrections), fonts_.bold);
    DrawCorrectButtons(f.case_record.id, {notes}, {"note"});
  }
  DrawRecordCorrections(f.case_record.id, f.corrections, {notes});
}

// A programme session's attendance (append-only): attended or not, the day, the note.
void App::DrawAttendanceCorrections(const CaseFileSnapshot& snap, bool can_write) {
  const auto& f = snap.file;
  CorrectableTable attendance{"attendance", {}};
  for (const auto& a : f.attendance) {
    std::string programme;
    for (const auto& r : f.referrals) {
      if (r.id == a.referral_id) programme = r.programme_name;
    }
    CorrectableRecord r;
    r.id = a.id;
    r.label = std::string(Tr(S::kAttendanceRecord)) + " " + FormatDate(a.session_on) +
              (programme.empty() ? "" : " — " + programme);
    r.fields = {
        {"attended", Tr(S::kAttended), a.attended ? Tr(S::kYes) : Tr(S::kNo), YesNoChoices()},
        {"session_on", Tr(S::kSessionOn), FormatDate(a.session_on)},
        {"note", Tr(S::kNote), a.note}};
    attendance.records.push_back(std::move(r));
  }
  if (attendance.records.empty()) return;
  if (can_write) {
    SectionHeading(Tr(S::kAttendanceCorrections), fonts_.bold);
    DrawCorrectButtons(f.case_record.id, {attendance}, {"attendance"});
  }
  DrawRecordCorrections(f.case_record.id, f.corrections, {attendance});
}

// The mediation's records once they are final (client/workflows_mediation.cpp): the outcome,
// the agreement and its fulfilment once the outcome is recorded, the parties (their names and
// consent), and meetings held or cancelled (#correct_mediation_0, #correct_party_N,
// #correct_meeting_N). Planned meetings are held or cancelled, not corrected.
void App::DrawMediationCorrections(const CaseFileSnapshot& snap, bool can_write) {
  const auto& f = snap.file;
  const client::Mediation& m = f.mediation;
  const auto field = [](const char* table, const char* column, std::string original,
                        std::vector<std::pair<std::string, std::string>> choices = {}) {
    return CorrectableField{column, HistoryFieldLabel(table, column), std::move(original),
                            std::move(choices)};
  };
  CorrectableTable mediation{"mediation", {}};
  if (m.outcome) {
    CorrectableRecord r;
    r.id = f.case_record.id;  // the mediation row's id is the case's
    r.label = std::string(Tr(S::kMediationOutcome)) + ": " + Tr(*m.outcome);
    r.fields = {
        field("mediation", "outcome", Tr(*m.outcome), EnumChoices<client::MediationOutcome>()),
        field("mediation", "outcome_on", FormatDate(m.outcome_on)),
        field("mediation", "agreement_terms", m.agreement_terms),
        field("mediation", "agreement_due_on", FormatDate(m.agreement_due_on))};
    if (m.fulfilment) {
      r.fields.push_back(field("mediation", "fulfilment", Tr(*m.fulfilment),
                               EnumChoices<client::AgreementFulfilment>()));
      r.fields.push_back(field("mediation", "fulfilment_on", FormatDate(m.fulfilment_on)));
    }
    mediation.records.push_back(std::move(r));
  }
  CorrectableTable parties{"mediation_party", {}};
  for (const auto& p : m.parties) {
    CorrectableRecord r;
    r.id = p.id;
    r.label = TableLabel("mediation_party") + " " + p.name + " " + p.surname;
    r.fields = {field("mediation_party", "name", p.name),
                field("mediation_party", "surname", p.surname),
                field("mediation_party", "contact", p.contact),
                field("mediation_party", "consent_on", FormatDate(p.consent_on))};
    parties.records.push_back(std::move(r));
  }
  CorrectableTable meetings{"mediation_meeting", {}};
  for (const auto& x : m.meetings) {
    if (x.status == client::MediationMeetingStatus::kPlanned) continue;
    CorrectableRecord r;
    r.id = x.id;
    r.label =
        TableLabel("mediation_meeting") + " " + FormatDate(x.meeting_on) + ", " + Tr(x.status);
    r.fields = {field("mediation_meeting", "meeting_on", FormatDate(x.meeting_on)),
                field("mediation_meeting", "status", Tr(x.status),
                      EnumChoices<client::MediationMeetingStatus>()),
                field("mediation_meeting", "mode", Tr(x.mode), EnumChoices<client::MeetingMode>()),
                field("mediation_meeting", "client_attended",
                      x.client_attended ? Tr(S::kYes) : Tr(S::kNo), YesNoChoices()),
                field("mediation_meeting", "note", x.note)};
    meetings.records.push_back(std::move(r));
  }
  if (mediation.records.empty() && parties.records.empty() && meetings.records.empty()) return;
  if (can_write) {
    SectionHeading(Tr(S::kMediationCorrections), fonts_.bold);
    DrawCorrectButtons(f.case_record.id, {mediation, parties, meetings},
                       {"mediation", "party", "meeting"});
  }
  DrawRecordCorrections(f.case_record.id, f.corrections, {mediation, parties, meetings});
}

}  // namespace lietvedis::ui
