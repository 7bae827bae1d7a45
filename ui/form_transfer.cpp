// A case's transfer to another unit in the case file's header (client/workflows_transfer.cpp):
//  - the sending unit's supervisor: "Nodot citai struktūrvienībai" opens the offer (the
//    receiving unit and the reason); while it waits, a line says so with "Atsaukt piedāvājumu";
//  - the receiving unit's supervisor, who reads the case while the offer waits: the offer and
//    its reason, the new responsible officer (the unit's active officers) with a note and
//    "Pieņemt lietu", or a reason and "Atteikt";
//  - everyone who reads the file: one muted line per decided transfer.
// Each step runs the Workspace command the CLI runs (`transfer ...`); a kValidation message
// shows under the field it names and nothing is written. The next sync reports the step.
#include <imgui.h>

#include <cstdio>
#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

std::string Printf(S format, const std::string& a) {
  char buf[400];
  std::snprintf(buf, sizeof buf, Tr(format), a.c_str());
  return buf;
}

std::string UnitName(const SessionView& s, const std::string& id, const std::string& known) {
  if (!known.empty()) return known;
  for (const auto& u : s.units) {
    if (u.id == id) return u.name;
  }
  return id;
}

}  // namespace

void App::DrawCaseTransfer(const CaseFileSnapshot& snap) {
  const auto& f = snap.file;
  const std::string case_id = f.case_record.id;
  const SessionView& session = *session_view_;
  const auto& actor = session.actor;
  const bool supervisor = actor.active && actor.role == client::Role::kSupervisor;
  const client::CaseTransfer* waiting = nullptr;
  for (const auto& t : f.transfers) {
    if (t.status == client::TransferStatus::kOffered) {
      waiting = &t;
    } else {
      char line[600];
      std::snprintf(line, sizeof line, Tr(S::kTransferPast),
                    UnitName(session, t.from_unit_id, t.from_unit_name).c_str(),
                    UnitName(session, t.to_unit_id, t.to_unit_name).c_str(), Tr(t.status));
      std::string text = line;
      if (!t.decided_at.empty()) text += " (" + FormatTimestamp(t.decided_at) + ")";
      MutedText(text.c_str());
    }
  }
  const bool sending = supervisor && actor.unit_id == f.case_record.unit_id;
  const bool receiving = supervisor && waiting != nullptr && actor.unit_id == waiting->to_unit_id;
  TransferForm& form = case_state_.transfer_forms[case_id];
  auto done = [this, case_id](const Result<std::string>& r) {
    TransferForm& after = case_state_.transfer_forms[case_id];
    after.saving = false;
    if (!r.ok()) {
      after.error = ToFieldError(r.error());
      return;
    }
    after = TransferForm{};
  };

  if (waiting != nullptr) {
    const std::string to = UnitName(session, waiting->to_unit_id, waiting->to_unit_name);
    const std::string from = UnitName(session, waiting->from_unit_id, waiting->from_unit_name);
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
    ImGui::TextWrapped("%s", receiving ? Printf(S::kTransferWaitingIn, from).c_str()
                                       : Printf(S::kTransferWaitingOut, to).c_str());
    ImGui::PopStyleColor();
    if (!waiting->reason.empty()) {
      MutedText((std::string(Tr(S::kTransferReason)) + ": " + waiting->reason).c_str());
    }
    ImGui::BeginDisabled(form.saving);
    if (sending) {
      if (SmallButton(Id(S::kTransferWithdraw, "transfer_withdraw").c_str()) && !form.saving) {
        form.saving = true;
        form.error.Clear();
        Execute(client::WithdrawCaseTransfer{waiting->id, ""}, done);
      }
    }
    if (receiving) {
      if (ImGui::BeginTable("transfer_decide", 3, ImGuiTableFlags_SizingStretchSame)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kTransferNewOfficer));
        ImGui::SetNextItemWidth(-1);
        const std::string who = session.UserName(form.new_officer_id);
        if (BeginCombo("##transfer_officer", who.c_str())) {
          for (const auto& u : session.users) {
            if (u.role != client::Role::kOfficer || !u.active || u.unit_id != actor.unit_id)
              continue;
            ImGui::PushID(u.id.c_str());
            if (Selectable(u.display_name.c_str(), form.new_officer_id == u.id))
              form.new_officer_id = u.id;
            ImGui::PopID();
          }
          EndCombo();
        }
        FieldErrorLine(form.error, "new_officer_id");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kTransferNote));
        ImGui::SetNextItemWidth(-1);
        InputText("##transfer_note", &form.note);
        FieldErrorLine(form.error, "note");
        ImGui::TableNextColumn();
        FieldLabel(Tr(S::kTransferDeclineReason));
        ImGui::SetNextItemWidth(-1);
        InputText("##transfer_decline_reason", &form.decline_reason);
        FieldErrorLine(form.error, "reason");
        ImGui::EndTable();
      }
      if (PrimaryButton(Id(S::kTransferAccept, "transfer_accept").c_str()) && !form.saving) {
        form.saving = true;
        form.error.Clear();
        Execute(client::AcceptCaseTransfer{waiting->id, form.new_officer_id, form.note}, done);
      }
      ImGui::SameLine();
      if (Button(Id(S::kTransferDecline, "transfer_decline").c_str()) && !form.saving) {
        form.saving = true;
        form.error.Clear();
        Execute(client::DeclineCaseTransfer{waiting->id, form.decline_reason}, done);
      }
    }
    FieldErrorLine(form.error, "transfer_id");
    FieldErrorLine(form.error, "");
    ImGui::EndDisabled();
    return;
  }

  if (!sending || f.case_record.status != client::CaseStatus::kOpen) return;
  if (!form.open) {
    if (SmallButton(Id(S::kTransferOffer, "transfer_open").c_str())) {
      form = TransferForm{};
      form.open = true;
    }
    return;
  }
  ImGui::Spacing();
  SectionHeading(Tr(S::kTransferOfferTitle), fonts_.bold);
  MutedText(Tr(S::kTransferOfferIntro));
  ImGui::BeginDisabled(form.saving);
  if (ImGui::BeginTable("transfer_offer", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kTransferUnit));
    ImGui::SetNextItemWidth(-1);
    const std::string unit =
        form.to_unit_id.empty() ? std::string() : UnitName(session, form.to_unit_id, "");
    if (BeginCombo("##transfer_unit", unit.c_str())) {
      for (const auto& u : session.units) {
        if (u.id == f.case_record.unit_id) continue;
        ImGui::PushID(u.id.c_str());
        if (Selectable(u.name.c_str(), form.to_unit_id == u.id)) form.to_unit_id = u.id;
        ImGui::PopID();
      }
      EndCombo();
    }
    FieldErrorLine(form.error, "to_unit_id");
    ImGui::TableNextColumn();
    FieldLabel(Tr(S::kTransferReason));
    ImGui::SetNextItemWidth(-1);
    InputText("##transfer_reason", &form.reason);
    FieldErrorLine(form.error, "reason");
    ImGui::EndTable();
  }
  FieldErrorLine(form.error, "case_id");
  FieldErrorLine(form.error, "");
  if (PrimaryButton(Id(S::kTransferSend, "transfer_send").c_str()) && !form.saving) {
    form.saving = true;
    form.error.Clear();
    Execute(client::OfferCaseTransfer{case_id, form.to_unit_id, form.reason}, done);
  }
  ImGui::SameLine();
  const bool cancel = Button(Id(S::kCancel, "transfer_cancel").c_str()) || FormCancelPressed();
  ImGui::EndDisabled();
  if (cancel && !form.saving) form = TransferForm{};
  ImGui::Separator();
}

}  // namespace lietvedis::ui
