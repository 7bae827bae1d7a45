// The client layer's schema: the SQLite tables of the domain model and the list of those
// that replicate.
//
// Every replicated table obeys the contract in sync/replica.hpp: `id TEXT PRIMARY KEY`,
// `scope TEXT NOT NULL`, and data columns without NOT NULL, CHECK or FOREIGN KEY (rows arrive
// field by field, out of order, from other replicas; the client validates instead). Enums are
// TEXT codes (client/model.hpp), dates ISO 'YYYY-MM-DD', timestamps ISO UTC, money in cents,
// durations in minutes, booleans 0/1. Rows are never deleted: removal is `voided_at`.
//
// Scope of each table (docs/PROTOCOL.md, docs/DOMAIN.md):
//   org                  org_region, org_unit, org_user, programme
//   unit:<unit_id>       unit_setting, mappa_meeting, mappa_participant, mappa_action,
//                        mappa_disclosure, mappa_disclosure_log (+ correction rows of
//                        signed minutes)
//   volunteers:<unit_id> volunteer, volunteer_stage
//   case:<case_id>       client, related_person, probation_case, em_episode, src_placement,
//                        evaluation_request, evaluation_report, supervision_section,
//                        assessment, res_plan,
//                        plan_goal, contact, violation, court_application, consent, referral,
//                        mentoring_referral, attendance, note, audit, correction,
//                        community_order, work_placement, community_hours,
//                        escalation_decision, court_application_ground, break_glass
//   mentoring:<case_id>  client_card, mentor_assignment, mentoring_session, mentoring_signoff
//                        (+ audit rows of coordinator reads)
// `audit` and `correction` rows live in the scope of the record they concern.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/replica.hpp"

namespace lietvedis::client {

// Brings the client tables up to date (migration component "client"). Idempotent. Run on
// the writer connection before sync::Replica::Open with ReplicatedTables().
Result<void> MigrateClientSchema(storage::Database& db);

// Every shipped step of the client schema, oldest first. Tests use a prefix of it to write a
// store as an earlier version did (tests/client/fixtures).
std::span<const storage::Migration> ClientMigrations();

// Migrates the client schema and opens the replica over every client table: the one call the
// CLI, the desktop client and tests make on a freshly opened writer connection. `site_id` is
// the enrolled device id.
Result<std::unique_ptr<sync::Replica>> OpenClientReplica(storage::Database& db,
                                                         std::string site_id);

// The replicated tables with their data columns; append-only for notes, audit, corrections,
// consents, attendance, stage events, mentoring session logs and sign-offs.
const std::vector<sync::TableSpec>& ReplicatedTables();

// Scope names. The scope of a row is fixed when the row is created.
inline constexpr std::string_view kOrgScope = "org";
inline std::string CaseScope(std::string_view case_id) {
  return "case:" + std::string(case_id);
}
inline std::string MentoringScope(std::string_view case_id) {
  return "mentoring:" + std::string(case_id);
}
inline std::string UnitScope(std::string_view unit_id) {
  return "unit:" + std::string(unit_id);
}
inline std::string VolunteersScope(std::string_view unit_id) {
  return "volunteers:" + std::string(unit_id);
}

// What the sync layer needs to register a scope with the central store (POST /v1/scopes):
// its kind, the unit whose staff read it and, for case and mentoring scopes, the owner (the
// responsible officer). Built from the rows on this device.
struct ScopeRegistration {
  std::string scope, kind, unit_id, owner_user_id;
  std::string transfer_unit_id;  // case and mentoring scopes: the unit an offer waits for
};
// Every scope that has rows locally, with its current unit and owner; after a reassignment
// the owner differs from the one registered, which is how the caller finds reassignments to
// report (POST /v1/scopes/owner). One statement; ordered by scope.
Result<std::vector<ScopeRegistration>> LocalScopes(storage::Database& db);

}  // namespace lietvedis::client
