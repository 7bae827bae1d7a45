// The Workspace's part in documents handed to others (client/documents/): audit entries for
// exported tables and rendered documents, and MAPPA agency packs with their disclosure log.
//
// Rules of the agency packs (issue 13, docs/DOMAIN.md):
//  1. Only signed minutes are handed on: a pack of unsigned minutes is refused.
//  2. A pack for institution X is built from rows, never by hiding text: X's participants,
//     the actions X owns, the disclosures whose recipient institution is X (by code, fixed
//     when the disclosure was recorded) and the meeting's decisions. A disclosure without a
//     recipient code is in no pack.
//  3. Every pack generated appends one mappa_disclosure_log row per disclosure in it, in the
//     meeting's unit scope, in the same transaction as delivering the pack: a copy of what,
//     to whom and on which legal basis, by whom and when, and the pack's id. A pack with no
//     disclosures appends no log row but still an audit entry.
#include <string>

#include "client/history.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

std::optional<Institution> InstitutionFromName(std::string_view text) {
  const std::string folded = FoldForSearch(text);
  if (auto code = FromCode<Institution>(folded)) return code;
  static constexpr std::pair<std::string_view, Institution> kNames[] = {
      {"vpd", Institution::kVpd},
      {"valsts probacijas dienests", Institution::kVpd},
      {"ievp", Institution::kIevp},
      {"ieslodzijuma vietu parvalde", Institution::kIevp},
      {"valsts policija", Institution::kStatePolice},
      {"pasvaldibas socialais dienests", Institution::kMunicipalSocialService},
      {"socialais dienests", Institution::kMunicipalSocialService},
      {"valsts bernu tiesibu aizsardzibas inspekcija", Institution::kChildRightsInspectorate},
      {"vbtai", Institution::kChildRightsInspectorate},
      {"nvo", Institution::kNgo},
      {"tiesa", Institution::kCourt},
      {"prokuratura", Institution::kProsecutor},
  };
  for (const auto& [name, institution] : kNames) {
    if (folded == name) return institution;
  }
  return std::nullopt;
}

Result<std::string> Workspace::RecordTableExport(std::string_view table, std::int64_t rows,
                                                 std::string_view format) {
  LV_WORKSPACE_CTX;
  if (!actor_.active || (actor_.role != Role::kOfficer && actor_.role != Role::kSupervisor)) {
    return NotPermitted("export tables");
  }
  if (table != "caseload" && table != "agenda" && table != "indicators") {
    return MakeError(Errc::kInternal, "table export: unknown table");
  }
  if (format != "csv" && format != "xlsx" && format != "pdf") {
    return MakeError(Errc::kInternal, "table export: unknown format");
  }
  const std::string scope = UnitScope(actor_.unit_id);
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(Audit(ctx, scope, "export", table, "",
                 std::to_string(rows) + " rows " + std::string(format)));
    return scope;
  });
}

// The scope of one row of a replicated table, checked readable by the actor.
static Result<std::string> ReadableScopeOf(Ctx& ctx, sync::Replica& replica, std::string_view table,
                                           std::string_view id) {
  const sync::TableSpec* spec = replica.FindTable(table);
  if (spec == nullptr) return MakeError(Errc::kValidation, "table: unknown record kind");
  LV_TRY(RequireId(id, "id"));
  LV_ASSIGN(Statement st, ctx.db.Prepare("SELECT scope FROM " + spec->name + " WHERE id=?"));
  st.Bind(1, id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound(table, id);
  std::string scope = st.Text(0);
  // Coordinators and administrators never read case files, whatever the device holds.
  if (scope.rfind("case:", 0) == 0 &&
      (ctx.actor.role == Role::kVolunteerCoordinator || ctx.actor.role == Role::kAdministrator)) {
    return NotPermitted("read " + std::string(table) + " " + std::string(id));
  }
  LV_TRY(RequireScopeRead(ctx, scope));
  return scope;
}

Result<std::string> Workspace::CaseOfRecord(std::string_view table, std::string_view id) {
  LV_WORKSPACE_CTX;
  LV_ASSIGN(std::string scope, ReadableScopeOf(ctx, replica_, table, id));
  if (scope.rfind("case:", 0) != 0) {
    return MakeError(Errc::kValidation, "table: not a record of a case file");
  }
  return scope.substr(5);
}

Result<std::string> Workspace::RecordDocumentRender(std::string_view table, std::string_view id,
                                                    std::string_view document, int pages) {
  LV_WORKSPACE_CTX;
  LV_ASSIGN(std::string scope, ReadableScopeOf(ctx, replica_, table, id));
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(Audit(ctx, scope, "render", table, id, FormatRenderDetail(document, pages)));
    return scope;
  });
}

Result<std::string> Workspace::GenerateMappaPack(
    std::string_view meeting_id, Institution institution,
    const std::function<Result<void>(const MappaPackView&)>& deliver) {
  LV_WORKSPACE_CTX;
  LV_TRY(RequireId(meeting_id, "meeting_id"));
  LV_ASSIGN(MappaMeetingView full, MappaMeetingDetail(meeting_id));
  if (!CanWriteUnitMeetings(actor_, full.meeting.unit_id)) {
    return NotPermitted("hand on minutes of meeting " + std::string(meeting_id));
  }
  if (!full.meeting.IsSigned()) {
    return NotPermitted("hand on meeting " + std::string(meeting_id) +
                        ": the minutes are not signed");
  }
  MappaPackView pack;
  pack.institution = institution;
  pack.pack_id = sync::Replica::NewId();
  pack.generated_at = ctx.now;
  pack.meeting = full.meeting;
  pack.meeting.participants.clear();
  pack.meeting.actions.clear();
  pack.meeting.disclosures.clear();
  for (const auto& p : full.meeting.participants) {
    if (p.institution == institution) pack.meeting.participants.push_back(p);
  }
  for (const auto& a : full.meeting.actions) {
    if (a.owner == institution) pack.meeting.actions.push_back(a);
  }
  for (const auto& d : full.meeting.disclosures) {
    if (d.recipient && *d.recipient == institution) pack.meeting.disclosures.push_back(d);
  }
  if (pack.meeting.participants.empty() && pack.meeting.actions.empty() &&
      pack.meeting.disclosures.empty()) {
    return MakeError(Errc::kValidation,
                     "institution: took no part in the meeting and receives nothing from it");
  }
  {
    LV_ASSIGN(Statement st, db_.Prepare("SELECT (SELECT display_name FROM org_user WHERE id=?1),"
                                        " (SELECT name FROM org_unit WHERE id=?2)"));
    st.Bind(1, full.meeting.signed_by);
    st.Bind(2, full.meeting.unit_id);
    LV_ASSIGN(bool row, st.Step());
    if (row) {
      pack.signer_name = st.Text(0);
      pack.unit_name = st.Text(1);
    }
  }
  const std::string scope = UnitScope(full.meeting.unit_id);
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(deliver(pack));
    for (const auto& d : pack.meeting.disclosures) {
      LV_TRY(replica_.Write("mappa_disclosure_log", sync::Replica::NewId(), scope,
                            {{"meeting_id", Str(full.meeting.id)},
                             {"disclosure_id", Str(d.id)},
                             {"pack_id", Str(pack.pack_id)},
                             {"what", Str(d.what)},
                             {"recipient_institution", Enum(institution)},
                             {"to_whom", Str(d.to_whom)},
                             {"legal_basis", Str(d.legal_basis)},
                             {"disclosed_by", Str(actor_.user_id)},
                             {"disclosed_at", Str(ctx.now)}}));
    }
    LV_TRY(Audit(
        ctx, scope, "render", "mappa_meeting", full.meeting.id,
        FormatAgencyPackDetail(Code(institution), pack.meeting.disclosures.size(), pack.pack_id)));
    return pack.pack_id;
  });
}

}  // namespace lietvedis::client
