// Immutable snapshots the screens draw from. Each is built by a job on the worker thread from
// Workspace queries and handed to the main thread as std::shared_ptr<const ...>; the main
// thread swaps its pointer in a completion and never mutates a snapshot.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/agenda.hpp"
#include "client/indicators.hpp"
#include "client/scope_labels.hpp"
#include "client/workspace.hpp"
#include "storage/result.hpp"
#include "sync/engine.hpp"

namespace lietvedis::ui {

struct SessionView {
  client::Actor actor;
  std::string unit_name, today;
  std::vector<client::User> users;
  std::vector<client::Unit> units;  // the organisation's units (transfers name the receiving one)
  std::vector<client::Programme> programmes;
  bool encrypted = false;
  // Display name of a user id ("" when unknown).
  std::string UserName(const std::string& id) const {
    for (const auto& u : users) {
      if (u.id == id) return u.display_name;
    }
    return {};
  }
};

struct CaseloadView {
  client::CaseloadFilter filter;
  std::vector<client::CaseloadRow> rows;
  std::vector<std::string> sort_keys;  // LatvianSortKey of "surname name", per row
  std::uint64_t generation = 0;
  // Listed apart, each behind a lock (ui/form_break_glass.cpp): the cases the officer covers
  // today (client::Workspace::CoveredCases) and the sealed cases matching the search (closed
  // juvenile cases, from Caseload with status closed).
  std::vector<client::CoveredCase> covered;
  std::vector<client::CaseloadRow> sealed;
};

struct CaseFileSnapshot {
  client::CaseFileView file;
  std::optional<client::MentoringView> mentoring;  // when the actor may read it
  std::vector<client::MappaMeeting> meetings;      // unit meetings that discuss this case
  client::CaseHistoryView history;                 // every record of the case, newest first
  std::vector<std::string> history_kinds;          // record kinds (tables) in it, for the filter
  // The header's facts the file itself does not carry: the caseload row (overdue, next
  // planned contact) and the contact the unit's interval asks for when the agenda lists it
  // (overdue or within the week; the agenda computes the date, the UI none).
  std::optional<client::CaseloadRow> row;
  std::optional<client::AgendaItem> contact_due;
};

// The acting user's agenda as client::BuildAgenda computed it, with the items of each bucket
// indexed once (overdue, today, this week) so a frame only walks its own column.
struct AgendaView {
  client::Agenda agenda;
  std::array<std::vector<std::size_t>, 3> by_bucket;  // indices into agenda.items, by AgendaBucket
};

struct VolunteersView {
  client::VolunteerRegisterView reg;
  std::vector<client::ClientCard> cards;
};

// Supervisor dashboard: the indicators as client::ComputeIndicators computed them for `year`,
// and the open cases grouped by the month they were opened (the line chart; a grouping of the
// caseload rows, not an indicator).
// --- Unit settings (ui/form_unit_settings.cpp) ---
// One unit setting the supervisor's dashboard offers: its name, the value stored for the unit
// ("" when unset) and the default the core applies when unset.
struct UnitSettingRow {
  std::string name, value;
  std::int64_t default_value = 0;
};
// Every setting the dashboard offers, read through Workspace::UnitSetting (worker thread; a
// supervisor's Workspace). Stops at the first error.
Result<std::vector<UnitSettingRow>> ReadUnitSettings(client::Workspace& ws);
// --- end of unit settings ---

struct DashboardView {
  client::Indicators indicators;
  std::vector<std::pair<std::string, int>> opened_per_month;  // "2026-03" -> open cases opened
  std::vector<UnitSettingRow> unit_settings;  // the supervisor's only; empty for others
};

struct MappaView {
  std::vector<client::MappaMeeting> meetings;
  // Signed meetings' disclosure logs (one entry per disclosure per agency pack generated),
  // by meeting id, oldest first.
  std::map<std::string, std::vector<client::DisclosureLogEntry>> disclosure_logs;
  // Corrections of signed minutes (Workspace::MappaMinutesCorrections), by meeting id.
  std::map<std::string, std::vector<client::Correction>> corrections;
};

// The administrator's screen (ui/screen_admin.cpp): the organisation's directory as this device
// last verified it under the root key (sync::SyncEngine::LastDirectory), read on the worker.
struct AdminView {
  bool enrolled = false;
  std::optional<Errc> error;  // kNotFound: not synced yet; kTampered: the copy does not verify
  struct UserRow {
    std::string user_id, name, unit, unit_id;
    std::optional<client::Role> role;
    bool active = true;
    int devices = 0;  // certified devices in service
  };
  struct DeviceRow {
    std::string device_id, user_name, reason;
    std::string name;  // as enrolled (the central store's record)
    bool revoked = false, this_device = false;
    std::int64_t revoked_at_ms = 0;
    std::int64_t last_seen_ms = 0;  // the central store's word; 0 = never or not known
  };
  struct CoverRow {
    std::string user_id, deputy_user_id, user_name, deputy_name;
    std::string from_day, until_day;  // ISO days, inclusive
  };
  std::vector<UserRow> users;      // by name
  std::vector<DeviceRow> devices;  // in service first, then revoked; by user
  std::vector<CoverRow> covers;    // by first day
  std::vector<std::pair<std::string, std::string>> units;  // (unit id, name), by name
  // The programme catalogue on this device (the one it starts with, as the directory changed
  // it), by name: what `programme set` commands change.
  std::vector<client::Programme> programmes;
  std::string server_url;          // this device's central store, for the enrolment-code command
  std::int64_t statements = 0;     // the directory log's length
  std::int64_t seen_as_of_ms = 0;  // when the store's last-contact times were read; 0 = never
};
struct AdminState {
  std::string revoke_device;  // the device whose revocation command is shown; "" = none
  std::string end_cover;      // "user deputy" of the cover whose end command is shown
  std::string revoke_reason;
  // The directory change being composed (ui/screen_admin.cpp): its fields, then its command.
  enum class Change {
    kNone,
    kUnit,
    kUser,
    kEnrolCode,
    kDeactivate,
    kReactivate,
    kCover,
    kProgramme
  };
  Change change = Change::kNone;
  std::string region, name;  // a new unit: region and name; a new user: name
  std::string unit_id;       // a new user's unit
  int role = 0;              // a new user's role (client::Role)
  std::string user_id;       // enrolment code, deactivation, reactivation; a cover's absent officer
  std::string deputy_id;     // a cover's deputy
  std::string from, until;   // a cover's days as typed, dd.mm.yyyy
  // A programme (name in `name`): its id ("" = a new one), texts, the indexes of its codes in
  // client::EnumCodes<...>::kTable, and whether the command retires it.
  std::string programme_id, target_group, provider_name;
  int provider = 0, mode = 0, accreditation = 0;
  bool retire = false;
};

// One conflict inbox entry, ready to draw: both values as text, which one this device wrote.
struct ConflictRow {
  std::string id, scope, table, column, row_id;
  std::string current_text, other_text;  // the value the field holds now, the overwritten one
  storage::Value current_value, other_value;
  std::string current_site, other_site;                 // writer device ids
  std::int64_t current_ms = 0, other_ms = 0;            // wall clock of each write (from the HLC)
  bool current_is_mine = false, other_is_mine = false;  // written on this device
  // Each writer's user as the directory this device verified names the device: display name
  // and role (client::Role); name "" when the device is not in it (the panel says so in words).
  std::string current_user, other_user;
  std::optional<client::Role> current_role, other_role;
};

// Sync status for the status bar and the sync panel. `enrolled` false: a local-only store
// (demo data, tests); then only `pending` is meaningful.
struct SyncView {
  bool enrolled = false;
  std::string server_url, device_id, site_id;
  std::int64_t pending = 0, conflicts = 0;
  std::int64_t last_success_ms = 0, last_attempt_ms = 0;
  std::string last_error;               // the engine's words (English), for unknown codes
  std::optional<Errc> last_error_code;  // of this session's last attempt, for our own words
  bool offline = false;                 // the last attempt failed with kNetwork
  std::vector<sync::ScopeStatus> scopes;
  // One per entry of `scopes`, same order: the client's name and case kind, the unit... as far
  // as the acting user reads them (client/scope_labels.hpp), read on the worker with the rest.
  // Empty when the snapshot was posted for the status bar only (App::MakeSyncView).
  std::vector<client::ScopeLabel> scope_labels;
  // Labels of the scopes named by `deliveries`, `refusals` and `purged` that `scopes` does not
  // list (a purged case is named only while this device still knows it, else its short id).
  std::vector<client::ScopeLabel> note_labels;
  // Device id -> its user's name, from the directory this device verified (revoked devices
  // too), for the lines about withheld pushes and refusals. Empty when not read.
  std::map<std::string, std::string> device_users;
  std::vector<sync::DeliveryGap> deliveries;  // withheld pushes, numbers used twice
  std::int64_t refused = 0;                   // the quarantine's size
  std::vector<sync::Refusal> refusals;        // its newest entries (ids and reasons only)
  std::vector<sync::PurgedScope> purged;      // what this device purged, newest first
  std::vector<ConflictRow> conflict_rows;
  std::optional<sync::SyncReport> last_report;  // of this session's last successful sync
};

}  // namespace lietvedis::ui
