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
//
// Break-glass and sealing (docs/PRIVACY.md "Break-glass"; the facts come from LoadCase):
//   sealed case            a CLOSED juvenile case (kind juvenile_community_work, or a client
//                          tagged juvenile). Nobody reads it by role alone: its responsible
//                          officer and the supervisors of its unit may open it by
//                          break-glass, and then READ it only (no notes, no corrections).
//   deputy                 an officer of the case's unit named in the directory as covering
//                          for the case's responsible officer (org_cover), on a day from
//                          from_day to until_day. Without an open break-glass the deputy
//                          reads nothing of the case; with one (until the end of the local
//                          day it was opened) the deputy reads the case file and does the
//                          owner's daily work: records contacts and their outcomes and adds
//                          notes. Nothing else: no assessments, plans, sections, violations,
//                          decisions on missed contacts, court applications, referrals,
//                          closure or client details — those wait for the owner or go
//                          through the supervisor (reassignment).
//   break-glass            opened by a deputy of a case that is not sealed, or by the owner
//                          or a unit supervisor of a sealed case; anyone else is refused.
//                          The owner of a case that is not sealed reads it already.
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
  bool sealed = false;           // a closed juvenile case
  // Facts of the ACTING user on this case, at the workspace clock (LoadCase fills them):
  bool actor_covers = false;       // deputy of the responsible officer today, same unit
  bool actor_break_glass = false;  // a break-glass of the actor on this case is open now
};

bool CanReadCaseFile(const Actor& a, const CaseOwnership& c);
bool CanWriteCaseFile(const Actor& a, const CaseOwnership& c);  // case content
bool CanAddCaseNote(const Actor& a, const CaseOwnership& c);    // owner or unit supervisor
// The owner's daily work (contacts, their outcomes, notes): the owner, or a deputy under an
// open break-glass on a case that is not sealed.
bool CanDoDailyWork(const Actor& a, const CaseOwnership& c);
// May open a break-glass on the case (see above): a deputy covering today (not sealed), or
// the owner or a unit supervisor (sealed).
bool CanOpenBreakGlass(const Actor& a, const CaseOwnership& c);
// The actor could read the case file after opening a break-glass, and has none open now.
bool NeedsBreakGlass(const Actor& a, const CaseOwnership& c);
bool CanReassignCase(const Actor& a, const CaseOwnership& c);  // unit supervisor
bool CanCountersign(const Actor& a, const CaseOwnership& c);   // unit supervisor
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
