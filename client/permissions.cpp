#include "client/permissions.hpp"

namespace lietvedis::client {

static bool Is(const Actor& a, Role r) {
  return a.active && a.role == r;
}
static bool InUnit(const Actor& a, std::string_view unit_id) {
  return !unit_id.empty() && a.unit_id == unit_id;
}

static bool IsOwner(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kOfficer) && !c.responsible_officer_id.empty() &&
         a.user_id == c.responsible_officer_id;
}
static bool IsUnitSupervisor(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kSupervisor) && InUnit(a, c.unit_id);
}
// A deputy covering for the owner today (the facts say so), never the owner themself.
static bool IsDeputy(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kOfficer) && InUnit(a, c.unit_id) && c.actor_covers && !IsOwner(a, c);
}

bool CanReadCaseFile(const Actor& a, const CaseOwnership& c) {
  if (c.sealed) return c.actor_break_glass && (IsOwner(a, c) || IsUnitSupervisor(a, c));
  return IsOwner(a, c) || IsUnitSupervisor(a, c) || CanDecideTransfer(a, c) ||
         (IsDeputy(a, c) && c.actor_break_glass);
}

// Only the responsible officer writes case content. A supervisor who needs to act on a case
// reassigns it (to someone else or to an officer account of their own). A sealed case is
// read only for everyone.
bool CanWriteCaseFile(const Actor& a, const CaseOwnership& c) {
  return !c.sealed && IsOwner(a, c);
}

bool CanAddCaseNote(const Actor& a, const CaseOwnership& c) {
  return CanDoDailyWork(a, c) || (!c.sealed && IsUnitSupervisor(a, c));
}

bool CanDoDailyWork(const Actor& a, const CaseOwnership& c) {
  return CanWriteCaseFile(a, c) || (!c.sealed && IsDeputy(a, c) && c.actor_break_glass);
}

bool CanOpenBreakGlass(const Actor& a, const CaseOwnership& c) {
  if (c.sealed) return IsOwner(a, c) || IsUnitSupervisor(a, c);
  return IsDeputy(a, c);
}

bool NeedsBreakGlass(const Actor& a, const CaseOwnership& c) {
  return CanOpenBreakGlass(a, c) && !CanReadCaseFile(a, c);
}

bool CanOfferTransfer(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kSupervisor) && InUnit(a, c.unit_id);
}

bool CanDecideTransfer(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kSupervisor) && InUnit(a, c.transfer_unit_id);
}

bool CanReassignCase(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kSupervisor) && InUnit(a, c.unit_id);
}

bool CanCountersign(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kSupervisor) && InUnit(a, c.unit_id);
}

bool CanOpenCaseInUnit(const Actor& a, std::string_view unit_id) {
  return Is(a, Role::kOfficer) && InUnit(a, unit_id);
}

bool CanListCaseload(const Actor& a) {
  return Is(a, Role::kOfficer) || Is(a, Role::kSupervisor);
}

bool CanReadMentoring(const Actor& a, const CaseOwnership& c) {
  return CanReadCaseFile(a, c) || CanWriteMentoring(a, c);
}

bool CanWriteMentoring(const Actor& a, const CaseOwnership& c) {
  return Is(a, Role::kVolunteerCoordinator) && InUnit(a, c.unit_id);
}

bool CanReadVolunteers(const Actor& a, std::string_view unit_id) {
  return (Is(a, Role::kVolunteerCoordinator) || Is(a, Role::kSupervisor)) && InUnit(a, unit_id);
}

bool CanWriteVolunteers(const Actor& a, std::string_view unit_id) {
  return Is(a, Role::kVolunteerCoordinator) && InUnit(a, unit_id);
}

bool CanReadUnitMeetings(const Actor& a, std::string_view unit_id) {
  return (Is(a, Role::kOfficer) || Is(a, Role::kSupervisor)) && InUnit(a, unit_id);
}

bool CanWriteUnitMeetings(const Actor& a, std::string_view unit_id) {
  return CanReadUnitMeetings(a, unit_id);
}

bool CanWriteUnitSettings(const Actor& a, std::string_view unit_id) {
  return Is(a, Role::kSupervisor) && InUnit(a, unit_id);
}

bool CanManageOrganisation(const Actor& a) {
  return Is(a, Role::kAdministrator);
}

}  // namespace lietvedis::client
