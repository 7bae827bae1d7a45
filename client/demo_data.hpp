// Demo data: a realistic Liepāja unit, written only through the public bootstrap functions
// and Workspace commands (no SQL), so every row is stamped by the replica and can sync.
//
// Split in two so that a synced demo can use the ids the central server issues:
//  (a) BootstrapDemoOrg: the organisation (Kurzeme region, Liepāja unit, three officers, a
//      supervisor, a volunteer coordinator, an administrator) and the programme catalogue —
//      on a real system these rows come from the central directory;
//  (b) SeedDemoCaseload: the caseload of ONE acting officer through that officer's own
//      Workspace (clients with Latvian names and valid personal codes, a year of history:
//      sections, assessments, plans, contacts, notes, consents and referrals, a few referrals
//      to peer mentoring, MAPPA meetings), and SeedDemoVolunteers through a volunteer coordinator's
//      Workspace (volunteers at every stage, mentor assignments, session logs and sign-offs).
// Deterministic for a given seed and workspace clock (dates are relative to Today()); record
// ids are random.
//
// Threading: the writer thread (as the Workspace). Errors: as the commands they run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "client/validation.hpp"  // AddDaysIso
#include "client/workspace.hpp"

namespace lietvedis::client {

struct DemoOrg {
  std::string region_id, unit_id;
  std::vector<std::string> officers;  // three
  std::string supervisor, coordinator, administrator;
};
// Creates the demo organisation and seeds the programme catalogue. Run once per store.
Result<DemoOrg> BootstrapDemoOrg(storage::Database& db, sync::Replica& replica);
// The demo users by role code ("officer", "officer_2", "officer_3", "supervisor",
// "volunteer_coordinator", "administrator"), as the local profile records them.
std::map<std::string, std::string> DemoUsersByRole(const DemoOrg& org);

struct DemoOptions {
  int cases = 30;
  std::uint64_t seed = 1;
  int mappa_meetings = 3;
};
struct DemoCaseload {
  std::vector<std::string> case_ids;
  // The few cases referred for peer mentoring (with the client's consent) at the end of the
  // seeding: the only ones whose client cards the coordinator receives.
  std::vector<std::string> mentoring_case_ids;
};
// The acting officer's caseload (`officer` must be an officer's Workspace).
Result<DemoCaseload> SeedDemoCaseload(Workspace& officer, const DemoOptions& options);
// Volunteers of the coordinator's unit; certified mentors are assigned to those of `case_ids`
// whose clients are referred for peer mentoring (the cards the coordinator holds), with
// logged and signed-off sessions.
Result<void> SeedDemoVolunteers(Workspace& coordinator, const std::vector<std::string>& case_ids,
                                const DemoOptions& options);

// A valid old-form personal code (DDMMYY-CNNNN) for a birth date and serial 0..999, or an
// empty string when that serial gives check result 10 (no valid code; try the next serial).
std::string MakePersonalCode(int day, int month, int year, int serial);

}  // namespace lietvedis::client
