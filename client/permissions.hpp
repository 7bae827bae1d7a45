// Permissions: who may read or change what, decided in the core so that the CLI, the desktop
// UI and every test go through the same checks. Pure functions of the acting user and the
// record's ownership facts; no I/O. The Workspace calls them before every query and command
// and maps a refusal to Errc::kNotPermitted.
//
// The matrix (docs/DOMAIN.md has it as a table):
//   officer                own caseload: reads and writes its case files; reads (not writes)
//                          the mentoring view of its own cases; unit MAPPA meetings.
//   supervisor             reads every case file of its unit, reassigns cases within the
//                          unit, adds notes; reads volunteers and mentoring of its unit;
//                          unit MAPPA meetings and settings. Does not write case content.
//                          Offers a case to another unit; reads a case offered to its own
//                          unit and accepts (naming the new officer) or declines it.
//   volunteer_coordinator  volunteers of its unit, mentor assignments, mentoring logs and
//                          sign-offs; of a client only the card (name, contact details,
//                          responsible officer). Never a case file.
//   administrator          regions, units, users, programme catalogue. No case content, no
//                          mentoring, no volunteers.
// Inactive users may do nothing.
#pragma once

#include <string>
#include <string_view>

#include "client/model.hpp"

namespace lietvedis::client {

struct Actor {
  std::string user_id, unit_id, display_name;
  Role role = Role::kOfficer;
  bool active = true;
};

// Ownership facts of a case, read from probation_case (or client_card in a mentoring scope).
struct CaseOwnership {
  std::string unit_id, responsible_officer_id;
  std::string transfer_unit_id;  // the unit a transfer is offered to; "" when none waits
};

bool CanReadCaseFile(const Actor& a, const CaseOwnership& c);
bool CanWriteCaseFile(const Actor& a, const CaseOwnership& c);  // case content
bool CanAddCaseNote(const Actor& a, const CaseOwnership& c);    // owner or unit supervisor
bool CanReassignCase(const Actor& a, const CaseOwnership& c);   // unit supervisor
bool CanCountersign(const Actor& a, const CaseOwnership& c);    // unit supervisor
// Transfers between units: the case's unit supervisor offers or withdraws; a supervisor of
// the unit it is offered to reads the case file meanwhile and accepts or declines.
bool CanOfferTransfer(const Actor& a, const CaseOwnership& c);
bool CanDecideTransfer(const Actor& a, const CaseOwnership& c);
bool CanOpenCaseInUnit(const Actor& a, std::string_view unit_id);  // officer of the unit
bool CanListCaseload(const Actor& a);                              // officer or supervisor
bool CanReadMentoring(const Actor& a, const CaseOwnership& c);
bool CanWriteMentoring(const Actor& a, const CaseOwnership& c);  // coordinator of the unit
bool CanReadVolunteers(const Actor& a, std::string_view unit_id);
bool CanWriteVolunteers(const Actor& a, std::string_view unit_id);
bool CanReadUnitMeetings(const Actor& a, std::string_view unit_id);
bool CanWriteUnitMeetings(const Actor& a, std::string_view unit_id);
bool CanWriteUnitSettings(const Actor& a, std::string_view unit_id);  // unit supervisor
bool CanManageOrganisation(const Actor& a);                           // administrator

}  // namespace lietvedis::client
