// The sync panel: online / offline, pending changes, last sync, per-scope state, a progress bar
// while a sync runs, the last error in plain words, and the conflict inbox with both values
// side by side and "Keep mine" / "Take theirs". MakeSyncView builds its snapshot on the worker,
// scope labels included (client/scope_labels.hpp): the frame thread only words them.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <string>

#include "client/validation.hpp"
#include "sync/hlc.hpp"
#include "ui/app.hpp"
#include "ui/draw_util.hpp"
#include "ui/i18n.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ValueText(const storage::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return Tr(S::kEmptyValue);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%g", *d);
    return buf;
  }
  if (const auto* text = std::get_if<std::string>(&v))
    return text->empty() ? std::string(Tr(S::kEmptyValue)) : *text;
  return Tr(S::kBinaryValue);
}

// Wall-clock milliseconds as "dd.mm.yyyy HH:MM" in Latvia's time (the service's clock).
std::string LocalTime(std::int64_t ms) {
  return ms <= 0 ? std::string(Tr(S::kNever)) : client::ServiceDateTime(ms);
}

const char* PhaseText(int phase) {
  switch (static_cast<sync::SyncPhase>(phase)) {
    case sync::SyncPhase::kSession:
      return Tr(S::kPhaseSession);
    case sync::SyncPhase::kDirectory:
      return Tr(S::kPhaseDirectory);
    case sync::SyncPhase::kScopes:
      return Tr(S::kPhaseScopes);
    case sync::SyncPhase::kKeys:
      return Tr(S::kPhaseKeys);
    case sync::SyncPhase::kPush:
      return Tr(S::kPhasePush);
    case sync::SyncPhase::kPull:
      return Tr(S::kPhasePull);
    case sync::SyncPhase::kDone:
      return Tr(S::kPhaseDone);
  }
  return "";
}

// A scope in words, current language: "Bērziņš Jānis — probācijas uzraudzība", "Bērziņš Jānis —
// līdzgaitnieku atbalsts", "Struktūrvienība: Liepāja"; the short id when it has no name here.
std::string ScopeLabelText(const client::ScopeLabel& l) {
  char buf[512];
  switch (l.kind) {
    case client::ScopeLabelKind::kCase: {
      if (!l.case_kind) return l.name;
      std::string kind = Tr(*l.case_kind);
      // Inside the label the kind reads as a phrase: "— probācijas uzraudzība". Every kind label
      // starts with an ASCII capital (ui/i18n.cpp), so lower-casing one byte is enough.
      if (!kind.empty() && kind[0] >= 'A' && kind[0] <= 'Z')
        kind[0] = static_cast<char>(kind[0] + 32);
      return l.name + " — " + kind;
    }
    case client::ScopeLabelKind::kCovered:
      std::snprintf(buf, sizeof buf, Tr(S::kScopeCovered), l.name.c_str(),
                    l.absent_officer.c_str());
      return buf;
    case client::ScopeLabelKind::kMentoring:
      return l.name + " — " + Tr(S::kScopeMentoring);
    case client::ScopeLabelKind::kUnit:
      std::snprintf(buf, sizeof buf, Tr(S::kScopeUnit), l.name.c_str());
      return buf;
    case client::ScopeLabelKind::kVolunteers:
      std::snprintf(buf, sizeof buf, Tr(S::kScopeVolunteers), l.name.c_str());
      return buf;
    case client::ScopeLabelKind::kOrganisation:
      return Tr(S::kScopeOrganisation);
    case client::ScopeLabelKind::kUnreadable:
      break;
  }
  return l.short_id;
}

// Whether a scope's changes are safe on the server, in plain words: not known to the server
// yet, N changes waiting, or saved. Rank orders the column (most urgent first).
int ScopeStateRank(const sync::ScopeStatus& sc) {
  if (!sc.registered) return 0;
  return sc.pending > 0 ? 1 : 2;
}
std::string ScopeStateText(const sync::ScopeStatus& sc) {
  switch (ScopeStateRank(sc)) {
    case 0:
      return Tr(S::kScopeNotOnServer);
    case 1: {
      const long long n = static_cast<long long>(sc.pending);
      // Latvian agrees with the last digit (1, 21, 31 … but not 11); English with 1 only.
      const bool one = Language() == Lang::kLv ? (n % 10 == 1 && n % 100 != 11) : n == 1;
      char buf[160];
      std::snprintf(buf, sizeof buf, Tr(one ? S::kScopeWaitingOne : S::kScopeWaitingMany), n);
      return buf;
    }
    default:
      return Tr(S::kScopeSaved);
  }
}

enum ScopeColumn { kColScopeLabel, kColScopePending, kColScopeState };

}  // namespace

std::string App::Ago(std::int64_t then_ms) {
  const std::int64_t minutes = (NowMs() - then_ms) / 60000;
  char buf[64];
  if (minutes < 1) return Tr(S::kJustNow);
  if (minutes < 120) {
    std::snprintf(buf, sizeof buf, Tr(S::kMinutesAgo), static_cast<long long>(minutes));
  } else if (minutes < 48 * 60) {
    std::snprintf(buf, sizeof buf, Tr(S::kHoursAgo), static_cast<long long>(minutes / 60));
  } else {
    return LocalTime(then_ms);
  }
  return buf;
}

std::shared_ptr<const SyncView> App::MakeSyncView(Session& s, bool with_labels) {
  auto view = std::make_shared<SyncView>();
  if (s.replica() != nullptr) {
    view->site_id = s.replica()->site_id();
    if (auto pending = s.replica()->PendingCount(); pending.ok()) view->pending = pending.value();
  }
  sync::SyncEngine* engine = s.engine();
  if (engine == nullptr || !engine->IsEnrolled()) return view;
  view->enrolled = true;
  view->server_url = engine->Profile().server_url;
  view->device_id = engine->Profile().device_id;
  if (auto status = engine->Status(); status.ok()) {
    view->pending = status.value().pending;
    view->conflicts = status.value().conflicts;
    view->last_success_ms = status.value().last_success_ms;
    view->last_attempt_ms = status.value().last_attempt_ms;
    view->last_error = status.value().last_error;
    view->scopes = std::move(status.value().scopes);
    view->deliveries = std::move(status.value().deliveries);
    view->refused = status.value().refused;
    view->refusals = std::move(status.value().refusals);
    view->purged = std::move(status.value().purged);
  }
  // Labels are read here, on the worker, with the rest of the snapshot; a failed read leaves
  // short ids (no name is worth failing the sync screen for).
  if (with_labels && !view->scopes.empty()) {
    std::vector<std::string> ids;
    ids.reserve(view->scopes.size());
    for (const auto& sc : view->scopes) ids.push_back(sc.scope);
    client::Workspace* ws = s.workspace();
    auto labels = ws != nullptr ? client::LabelScopes(*ws, ids)
                                : Result<std::vector<client::ScopeLabel>>(
                                      MakeError(Errc::kLocked, "the store is locked"));
    if (labels.ok() && labels.value().size() == ids.size()) {
      view->scope_labels = std::move(labels).value();
    } else {
      for (const auto& id : ids) view->scope_labels.push_back(client::UnreadableScopeLabel(id));
    }
  }
  // The scopes and devices the withheld-push and refusal lines name, in words.
  if (with_labels &&
      (!view->deliveries.empty() || !view->refusals.empty() || !view->purged.empty())) {
    std::set<std::string> listed, named;
    for (const auto& sc : view->scopes) listed.insert(sc.scope);
    for (const auto& g : view->deliveries) named.insert(g.scope);
    for (const auto& r : view->refusals) named.insert(r.scope);
    for (const auto& x : view->purged) named.insert(x.scope);
    std::vector<std::string> extra;
    for (const auto& id : named) {
      if (!id.empty() && listed.count(id) == 0) extra.push_back(id);
    }
    client::Workspace* ws = s.workspace();
    if (!extra.empty() && ws != nullptr) {
      auto labels = client::LabelScopes(*ws, extra);
      if (labels.ok()) view->note_labels = std::move(labels).value();
    }
  }
  // The devices' users (withheld pushes, refusals, conflicts) from the directory this device
  // verified: read when any of those is to be named.
  std::map<std::string, std::optional<client::Role>> device_roles;
  auto conflicts = s.replica()->Conflicts();
  const bool name_devices = (with_labels && (!view->deliveries.empty() || !view->refusals.empty() ||
                                             !view->purged.empty())) ||
                            (conflicts.ok() && !conflicts.value().empty());
  if (name_devices) {
    if (auto known = engine->LastDirectory(); known.ok()) {
      std::map<std::string, const sync::EngineDirectory::User*> users;
      for (const auto& u : known->current.users) users[u.user_id] = &u;
      auto bind = [&](const std::string& device_id, const std::string& user_id) {
        const auto u = users.find(user_id);
        if (u == users.end()) return;
        view->device_users[device_id] = u->second->display_name;
        device_roles[device_id] = client::FromCode<client::Role>(u->second->role);
      };
      for (const auto& d : known->current.devices) bind(d.device_id, d.user_id);
      for (const auto& r : known->revoked) bind(r.device_id, r.user_id);
    }
  }
  if (s.last_sync_error()) {
    view->last_error_code = s.last_sync_error()->code;
    view->offline = s.last_sync_error()->code == Errc::kNetwork;
  }
  view->last_report = s.last_sync_report();
  if (conflicts.ok()) {
    auto user_of = [&](const std::string& site, std::string* name,
                       std::optional<client::Role>* role) {
      const auto u = view->device_users.find(site);
      if (u != view->device_users.end()) *name = u->second;
      const auto r = device_roles.find(site);
      if (r != device_roles.end()) *role = r->second;
    };
    for (const auto& c : conflicts.value()) {
      ConflictRow row;
      row.id = c.id;
      row.scope = c.scope;
      row.table = c.table;
      row.column = c.column;
      row.row_id = c.row_id;
      row.current_value = c.winner_value;
      row.other_value = c.loser_value;
      row.current_text = ValueText(c.winner_value);
      row.other_text = ValueText(c.loser_value);
      row.current_site = c.winner.site;
      row.other_site = c.loser.site;
      row.current_ms = sync::HlcPhysicalMs(c.winner.hlc);
      row.other_ms = sync::HlcPhysicalMs(c.loser.hlc);
      row.current_is_mine = c.winner.site == view->site_id;
      row.other_is_mine = c.loser.site == view->site_id;
      user_of(row.current_site, &row.current_user, &row.current_role);
      user_of(row.other_site, &row.other_user, &row.other_role);
      view->conflict_rows.push_back(std::move(row));
    }
    view->conflicts = static_cast<std::int64_t>(view->conflict_rows.size());
  }
  return view;
}

std::string App::SyncErrorText(const SyncView& view) const {
  if (view.last_error_code) {
    switch (*view.last_error_code) {
      case Errc::kNetwork:
        return Tr(S::kErrNetwork);
      case Errc::kProtocol:
        return Tr(S::kErrProtocol);
      case Errc::kNotPermitted:
        return Tr(S::kErrRefused);
      case Errc::kTampered:
        return Tr(S::kErrCertificate);
      default:
        break;
    }
  }
  return view.last_error;
}

void App::DrawSync() {
  ImGui::PushFont(fonts_.title);
  ImGui::TextUnformatted(Tr(S::kNavSync));
  ImGui::PopFont();
  const Palette& p = Colors();
  if (!sync_) {
    Spinner(0.7f);
    ImGui::SameLine();
    ImGui::TextUnformatted(Tr(S::kLoading));
    return;
  }
  const SyncView& v = *sync_;
  ImGui::BeginChild("sync_status", ImVec2(0, Em(v.enrolled ? 15 : 8)), true);
  if (v.enrolled) {
    ImGui::TextColored(v.offline ? p.warning : p.ok, "●");
    ImGui::SameLine();
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted(Tr(v.offline ? S::kOffline : S::kOnline));
    ImGui::PopFont();
  } else {
    ImGui::TextColored(p.text_muted, "●");
    ImGui::SameLine();
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted(Tr(S::kLocalOnly));
    ImGui::PopFont();
  }
  if (ImGui::BeginTable("sync_kv", 2, ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, Em(15));
    ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
    KeyValueRow(Tr(S::kPendingChanges), std::to_string(v.pending));
    if (v.enrolled) {
      KeyValueRow(Tr(S::kLastSync), v.last_success_ms > 0 ? Ago(v.last_success_ms) + " (" +
                                                                LocalTime(v.last_success_ms) + ")"
                                                          : std::string(Tr(S::kNever)));
      KeyValueRow(Tr(S::kLastAttempt), LocalTime(v.last_attempt_ms));
      KeyValueRow(Tr(S::kConflicts), std::to_string(v.conflicts));
      KeyValueRow(Tr(S::kServerUrl), v.server_url);
      KeyValueRow(Tr(S::kDevice), v.device_id);
    }
    ImGui::EndTable();
  }
  if (!v.enrolled) {
    ImGui::PushTextWrapPos(0);
    MutedText(Tr(S::kNotEnrolledSync));
    ImGui::PopTextWrapPos();
  }
  const std::string error = SyncErrorText(v);
  if (v.enrolled && !error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, p.danger);
    ImGui::TextWrapped("%s", error.c_str());
    ImGui::PopStyleColor();
  }
  // Progress of a running sync: the phase in words, and done / total when the engine knows it.
  const int phase = sync_phase_.load();
  if (sync_queued_ && phase >= 0) {
    const std::int64_t done = sync_done_.load(), total = sync_total_.load();
    char overlay[160];
    if (total > 0) {
      std::snprintf(overlay, sizeof overlay, "%s %lld / %lld", PhaseText(phase),
                    static_cast<long long>(done), static_cast<long long>(total));
    } else {
      std::snprintf(overlay, sizeof overlay, "%s %lld", PhaseText(phase),
                    static_cast<long long>(done));
    }
    const float fraction =
        total > 0 ? static_cast<float>(done) / static_cast<float>(total)
                  : static_cast<float>(phase) / static_cast<float>(sync::SyncPhase::kDone);
    ImGui::ProgressBar(fraction, ImVec2(Em(24), 0), overlay);
  } else {
    ImGui::ProgressBar(v.enrolled && v.last_success_ms > 0 ? 1.0f : 0.0f, ImVec2(Em(24), 0), "");
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!v.enrolled || sync_queued_);
  if (Button(Id(S::kSyncNow, "sync_now").c_str())) PostSync();
  ImGui::EndDisabled();
  ImGui::EndChild();

  // What the central store withheld, and what this device refused to believe from it: scopes
  // by what they hold, devices by their user (the raw ids in the tooltip of the table below).
  auto scope_words = [&v](const std::string& scope) {
    for (const auto* labels : {&v.scope_labels, &v.note_labels}) {
      for (const auto& l : *labels) {
        if (l.scope == scope) return ScopeLabelText(l);
      }
    }
    return client::UnreadableScopeLabel(scope).short_id;
  };
  auto device_words = [&v](const std::string& device) {
    const std::string short_id = device.substr(0, 8) + "…";
    const auto it = v.device_users.find(device);
    if (it == v.device_users.end() || it->second.empty()) return short_id;
    return it->second + " (" + short_id + ")";
  };
  if (v.enrolled && (!v.deliveries.empty() || v.refused > 0)) {
    char line[768];
    ImGui::PushTextWrapPos(0);
    if (!v.deliveries.empty()) {
      SectionHeading(Tr(S::kDeliveryHeading), fonts_.bold);
      ImGui::PushStyleColor(ImGuiCol_Text, p.warning);
      for (const sync::DeliveryGap& g : v.deliveries) {
        if (g.reused_no > 0) {
          std::snprintf(line, sizeof line, Tr(S::kDeliveryReused),
                        device_words(g.author_device).c_str(), scope_words(g.scope).c_str(),
                        static_cast<long long>(g.reused_no));
        } else {
          std::snprintf(line, sizeof line, Tr(S::kDeliveryGap), static_cast<long long>(g.missing),
                        device_words(g.author_device).c_str(), scope_words(g.scope).c_str(),
                        g.numbers.c_str());
        }
        ImGui::TextWrapped("%s", line);
        if (g.waiting > 0) {
          std::snprintf(line, sizeof line, Tr(S::kDeliveryWaiting),
                        static_cast<long long>(g.waiting));
          ImGui::TextWrapped("  %s", line);
        }
      }
      ImGui::PopStyleColor();
      MutedText(Tr(S::kDeliveryNote));
    }
    if (v.refused > 0) {
      std::snprintf(line, sizeof line, Tr(S::kRefusedHeading), static_cast<long long>(v.refused));
      SectionHeading(line, fonts_.bold);
      for (std::size_t i = 0; i < v.refusals.size() && i < 5; ++i) {
        const sync::Refusal& r = v.refusals[i];
        std::string who = r.scope.empty() ? std::string() : scope_words(r.scope);
        if (!r.author_device.empty()) {
          who += (who.empty() ? "" : ", ") + device_words(r.author_device);
        }
        // In words by its ground; the engine's detail (English, with the ids) on hover.
        MutedText((LocalTime(r.at_ms) + "  " + who + ": " + RefusalGroundText(r.ground)).c_str());
        if (ImGui::IsItemHovered()) Tooltip(r.reason.c_str());
      }
    }
    ImGui::PopTextWrapPos();
  }

  // What this device purged: a case in words (the client while this device still knows the
  // name, else "lieta" and its short id), when, and why; the counts on hover.
  if (v.enrolled && !v.purged.empty()) {
    char line[768];
    ImGui::PushTextWrapPos(0);
    std::snprintf(line, sizeof line, Tr(S::kPurgedHeading),
                  static_cast<long long>(v.purged.size()));
    SectionHeading(line, fonts_.bold);
    for (std::size_t i = 0; i < v.purged.size() && i < 5; ++i) {
      const sync::PurgedScope& x = v.purged[i];
      std::string what = scope_words(x.scope);
      if (x.scope.rfind("case:", 0) == 0 &&
          what == client::UnreadableScopeLabel(x.scope).short_id) {
        std::snprintf(line, sizeof line, Tr(S::kPurgedCase), what.substr(5).c_str());
        what = line;
      }
      const char* why = x.reason == sync::kPurgeNoLongerRead ? Tr(S::kPurgeNoLongerRead)
                        : x.reason == sync::kPurgeRetention  ? Tr(S::kPurgeRetention)
                                                             : Tr(S::kPurgeOther);
      MutedText((LocalTime(x.at_ms) + "  " + what + ": " + why).c_str());
      if (ImGui::IsItemHovered()) {
        std::snprintf(line, sizeof line, Tr(S::kPurgedCounts), static_cast<long long>(x.rows),
                      static_cast<long long>(x.unsent_changes));
        Tooltip((std::string(line) + "\n" + Tr(S::kScopeId) + ": " + x.scope).c_str());
      }
    }
    ImGui::PopTextWrapPos();
  }

  // Per-scope state.
  if (v.enrolled && !v.scopes.empty()) DrawSyncScopes(v);

  // Conflict inbox.
  SectionHeading(
      (std::string(Tr(S::kConflicts)) + " (" + std::to_string(v.conflict_rows.size()) + ")")
          .c_str(),
      fonts_.bold);
  if (v.conflict_rows.empty()) {
    MutedText(Tr(S::kNoConflicts));
    return;
  }
  MutedText(Tr(S::kConflictIntro));
  ImGui::BeginChild("conflicts", ImVec2(0, 0), false);
  for (std::size_t i = 0; i < v.conflict_rows.size(); ++i)
    DrawConflict(v.conflict_rows[i], static_cast<int>(i));
  ImGui::EndChild();
}

void App::DrawSyncScopes(const SyncView& v) {
  const Palette& p = Colors();
  SyncViewState& st = sync_state_;
  SectionHeading(
      (std::string(Tr(S::kScopes)) + " (" + std::to_string(v.scopes.size()) + ")").c_str(),
      fonts_.bold);
  ImGui::SetNextItemWidth(Em(24));
  InputTextWithHint("###sync_search", Tr(S::kScopeSearchHint), &st.search);

  // The label texts follow the snapshot and the language; the shown rows also the search.
  const bool same_snapshot = !st.ordered_for.owner_before(sync_) &&
                             !sync_.owner_before(st.ordered_for) && !st.ordered_for.expired();
  if (!same_snapshot || st.ordered_lang != Language()) {
    // A snapshot posted from another page carries no labels (App::MakeSyncView): the labels
    // of an earlier snapshot stand in for it until the sync page's own refresh arrives.
    const bool labelled = v.scope_labels.size() == v.scopes.size();
    if (labelled) {
      st.known.clear();
      for (const auto& l : v.scope_labels) st.known.emplace(l.scope, l);
    }
    st.labels.clear();
    st.labels.reserve(v.scopes.size());
    st.label_text.clear();
    st.label_text.reserve(v.scopes.size());
    for (std::size_t i = 0; i < v.scopes.size(); ++i) {
      const auto known = st.known.find(v.scopes[i].scope);
      st.labels.push_back(known != st.known.end()
                              ? known->second
                              : client::UnreadableScopeLabel(v.scopes[i].scope));
      st.label_text.push_back(ScopeLabelText(st.labels.back()));
    }
    st.ordered_for = sync_;
    st.ordered_lang = Language();
    st.sort_dirty = true;
  }
  if (st.ordered_search != st.search) {
    st.ordered_search = st.search;
    st.sort_dirty = true;
  }

  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const float rows_h = std::min(Em(16), row_h * static_cast<float>(v.scopes.size() + 1) + Em(0.5f));
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("scopes", 3, flags, ImVec2(0, rows_h))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(Tr(S::kScopeLabelColumn),
                          ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_DefaultSort,
                          2.0f, kColScopeLabel);
  ImGui::TableSetupColumn(Tr(S::kPendingChanges), ImGuiTableColumnFlags_WidthFixed, Em(15),
                          kColScopePending);
  ImGui::TableSetupColumn(Tr(S::kStatus), ImGuiTableColumnFlags_WidthStretch, 1.4f, kColScopeState);
  ImGui::TableHeadersRow();

  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  if (specs != nullptr && specs->SpecsDirty) {
    st.sort_dirty = true;
    specs->SpecsDirty = false;
  }
  if (st.sort_dirty) {
    st.sort_dirty = false;
    // Folded the way the caseload search folds: "berzins" finds "Bērziņš"; the raw id matches
    // too. Both sides are folded once per change, never per frame.
    const std::string needle = client::FoldForSearch(st.search);
    st.order.clear();
    std::vector<std::string> keys(v.scopes.size());
    for (std::size_t i = 0; i < v.scopes.size(); ++i) {
      if (!needle.empty() &&
          client::FoldForSearch(st.label_text[i] + " " + v.scopes[i].scope).find(needle) ==
              std::string::npos) {
        continue;
      }
      keys[i] = client::LatvianSortKey(st.label_text[i]);
      st.order.push_back(static_cast<int>(i));
    }
    const int column = specs != nullptr && specs->SpecsCount > 0
                           ? static_cast<int>(specs->Specs[0].ColumnUserID)
                           : kColScopeLabel;
    const bool asc = specs == nullptr || specs->SpecsCount == 0 ||
                     specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
    auto less = [&](int a, int b) {
      const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
      const sync::ScopeStatus& sa = v.scopes[ua];
      const sync::ScopeStatus& sb = v.scopes[ub];
      switch (column) {
        case kColScopePending:
          if (sa.pending != sb.pending) return sa.pending < sb.pending;
          break;
        case kColScopeState:
          if (ScopeStateRank(sa) != ScopeStateRank(sb))
            return ScopeStateRank(sa) < ScopeStateRank(sb);
          if (sa.pending != sb.pending) return sa.pending > sb.pending;
          break;
        default:
          break;
      }
      if (keys[ua] != keys[ub]) return keys[ua] < keys[ub];
      return sa.scope < sb.scope;
    };
    std::stable_sort(st.order.begin(), st.order.end(),
                     [&](int a, int b) { return asc ? less(a, b) : less(b, a); });
  }

  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(st.order.size()));
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const auto i = static_cast<std::size_t>(st.order[static_cast<std::size_t>(r)]);
      const sync::ScopeStatus& sc = v.scopes[i];
      const bool named = st.labels[i].kind != client::ScopeLabelKind::kUnreadable;
      ImGui::PushID(sc.scope.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (named) {
        ImGui::TextUnformatted(st.label_text[i].c_str());
      } else {
        MutedText(st.label_text[i].c_str());
      }
      if (ImGui::IsItemHovered()) {
        std::string tip = std::string(Tr(S::kScopeId)) + ": " + sc.scope + "\n" +
                          Tr(S::kKeyVersion) + ": " + std::to_string(sc.key_version);
        if (!named) tip += std::string("\n") + Tr(S::kScopeNoName);
        Tooltip(tip.c_str());
      }
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(sc.pending));
      ImGui::TableNextColumn();
      const std::string state = ScopeStateText(sc);
      const int rank = ScopeStateRank(sc);
      ImGui::TextColored(rank == 2 ? p.ok : p.warning, "%s", state.c_str());
      // What the engine says when the scope cannot sync now (waiting for its key...).
      if (!sc.state.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(p.warning, "— %s", sc.state.c_str());
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
  if (st.order.empty()) MutedText(Tr(S::kNoScopesMatch));
}

void App::DrawConflict(const ConflictRow& row, int index) {
  const Palette& p = Colors();
  // "Mine" is the value this device wrote; when neither side is ours, the one shown now.
  const bool mine_is_current = row.current_is_mine || !row.other_is_mine;
  const std::string& mine_text = mine_is_current ? row.current_text : row.other_text;
  const std::string& theirs_text = mine_is_current ? row.other_text : row.current_text;
  const std::int64_t mine_ms = mine_is_current ? row.current_ms : row.other_ms;
  const std::int64_t theirs_ms = mine_is_current ? row.other_ms : row.current_ms;
  const bool mine_here = mine_is_current ? row.current_is_mine : row.other_is_mine;
  // A writer by user and role; a device the verified directory does not list is said to be
  // unknown, never shown by its id.
  auto who = [](const std::string& user, const std::optional<client::Role>& role) {
    if (user.empty()) return std::string(Tr(S::kConflictUnknownWriter));
    return role ? user + " (" + Tr(*role) + ")" : user;
  };
  const std::string mine_who = mine_here         ? Tr(S::kThisDevice)
                               : mine_is_current ? who(row.current_user, row.current_role)
                                                 : who(row.other_user, row.other_role);
  const std::string theirs_who = mine_is_current ? who(row.other_user, row.other_role)
                                                 : who(row.current_user, row.current_role);
  ImGui::PushID(row.id.c_str());
  ImGui::PushFont(fonts_.bold);
  ImGui::Text("%s — %s", TableLabel(row.table).c_str(), ColumnLabel(row.column).c_str());
  ImGui::PopFont();
  if (ImGui::BeginTable("sides", 2,
                        ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersInnerV |
                            ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableSetupColumn(Tr(S::kMine));
    ImGui::TableSetupColumn(Tr(S::kTheirs));
    ImGui::TableHeadersRow();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", mine_text.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", theirs_text.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    MutedText((mine_who + ", " + LocalTime(mine_ms)).c_str());
    ImGui::TableNextColumn();
    MutedText((theirs_who + ", " + LocalTime(theirs_ms)).c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string idx = std::to_string(index);
    if (Button((std::string(Tr(S::kKeepMine)) + "###keep_mine_" + idx).c_str())) {
      ResolveConflict(row.id, mine_is_current ? row.current_value : row.other_value);
    }
    ImGui::TableNextColumn();
    ImGui::PushStyleColor(ImGuiCol_Text, p.text);
    if (Button((std::string(Tr(S::kTakeTheirs)) + "###take_theirs_" + idx).c_str())) {
      ResolveConflict(row.id, mine_is_current ? row.other_value : row.current_value);
    }
    ImGui::PopStyleColor();
    ImGui::EndTable();
  }
  ImGui::Spacing();
  ImGui::PopID();
}

}  // namespace lietvedis::ui
