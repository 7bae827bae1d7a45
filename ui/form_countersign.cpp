// Countersignatures in the case file (client::Countersign): beside a signed assessment, a plan
// version and a court application, the mark "✓ Kontrasignēts <name> <date>" once a supervisor
// has countersigned it, or, for an active supervisor of the case's unit who did not write the
// record, the small button "Kontrasignēt". The Workspace decides (drafts, authors, others and a
// second countersignature are refused there); a refusal shows in the toast.
#include <imgui.h>

#include <string>

#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

void App::DrawCountersignature(const CaseFileSnapshot& snap, const char* table,
                               const std::string& record_id, bool countersignable,
                               const std::string& author_id, const std::string& script_id) {
  const auto& f = snap.file;
  for (const auto& c : f.countersignatures) {
    if (c.record_table != table || c.record_id != record_id) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
    ImGui::Text("✓ %s: %s, %s", Tr(S::kCountersigned),
                c.signed_by_name.empty() ? c.signed_by.c_str() : c.signed_by_name.c_str(),
                FormatDate(c.signed_at).c_str());
    ImGui::PopStyleColor();
    if (!c.remark.empty()) MutedText(c.remark.c_str());
    return;
  }
  const auto& actor = session_view_->actor;
  if (!countersignable || !actor.active || actor.role != client::Role::kSupervisor ||
      actor.unit_id != f.case_record.unit_id || actor.user_id == author_id) {
    return;
  }
  if (SmallButton(Id(S::kCountersign, ("countersign_" + script_id).c_str()).c_str())) {
    Execute(client::Countersign{table, record_id, ""}, [this](const Result<std::string>& r) {
      if (!r.ok()) ShowError(r.error());
    });
  }
}

}  // namespace lietvedis::ui
