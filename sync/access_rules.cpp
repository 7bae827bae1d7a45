#include "sync/access_rules.hpp"

#include <chrono>
#include <cstdio>

#include "sync/protocol.hpp"

namespace lietvedis::sync::access {

namespace pr = protocol;

std::string_view ScopeKindOf(std::string_view scope) {
  if (scope == pr::kKindOrg) return scope;
  const std::size_t colon = scope.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == scope.size()) return {};
  return scope.substr(0, colon);
}

std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

bool InList(std::string_view list, std::string_view item) {
  for (std::string_view listed : SplitList(list)) {
    if (listed == item) return true;
  }
  return false;
}

// Readers (PROTOCOL.md, "Scopes and who reads them"):
//  R1. Inactive users read nothing.
//  R2. `org`: every user.
//  R3. `unit:U`: officers and supervisors of U.
//  R4. `volunteers:U`: coordinators and supervisors of U.
//  R5. `case:X` of unit U: its owner, supervisors of U.
//  R6. `mentoring:X` of unit U: its owner, supervisors and coordinators of U.
//  R7. `case:X` and `mentoring:X` offered to unit V (a transfer waits): supervisors of V too,
//      who decide on the offer from the case file and receive every key version of it, so
//      the history opens for the receiving unit once it accepts.
//  R8. `case:X` of unit U: an officer of U who covers for its owner today (a cover in the
//      root-signed directory, `deputy_user_ids`). The deputy's device holds the case file so
//      that it opens offline, by break-glass with a reason (client/permissions.hpp); not the
//      mentoring view.
//  Administrators read `org` only.
bool MayRead(const Person& p, const ScopeFacts& s) {
  if (!p.active) return false;
  if (p.role == pr::kRoleSupervisor && !p.unit_id.empty() && s.transfer_unit_id == p.unit_id &&
      (s.kind == pr::kKindCase || s.kind == pr::kKindMentoring)) {
    return true;
  }
  if (s.kind == pr::kKindOrg) return true;
  const bool same_unit = !p.unit_id.empty() && s.unit_id == p.unit_id;
  if (p.role == pr::kRoleOfficer) {
    if (s.kind == pr::kKindUnit) return same_unit;
    if (s.kind == pr::kKindCase && same_unit && !s.owner_user_id.empty() &&
        InList(s.deputy_user_ids, p.user_id)) {
      return true;
    }
    if (s.kind == pr::kKindCase || s.kind == pr::kKindMentoring) {
      return !s.owner_user_id.empty() && s.owner_user_id == p.user_id;
    }
    return false;
  }
  if (p.role == pr::kRoleSupervisor) {
    return (s.kind == pr::kKindUnit || s.kind == pr::kKindVolunteers || s.kind == pr::kKindCase ||
            s.kind == pr::kKindMentoring) &&
           same_unit;
  }
  if (p.role == pr::kRoleCoordinator) {
    return (s.kind == pr::kKindVolunteers || s.kind == pr::kKindMentoring) && same_unit;
  }
  return false;
}

// Writers: whose envelopes a client applies to a scope.
//  W1. `org`: nobody. Org rows are the directory, written only by the administrator's tool
//      under the root key; an envelope in `org` is refused whoever signed it.
//  W2. Every other scope: the readers of R3-R6, the active flag aside (W4).
//  W3. `case:X` and `mentoring:X` also accept officers of the scope's unit who are not its
//      owner now: a case reassigned within its unit keeps the history its former owner wrote,
//      and a new owner's device pulls that history from the beginning. What stops a former
//      owner from writing after a reassignment is the key: the next writer rotates it, and the
//      former owner never receives the new version.
//  W4. A user deactivated since stays a writer of what their devices signed before: the
//      server opens no session for them, so nothing new arrives; their history still syncs.
//      A revoked device is not in the verified directory at all.
//  W5. A case or mentoring scope transferred from unit U keeps U's writers of W2-W3 as
//      writers: the history the sending unit wrote stays with the case. As in W3, the key
//      stops new writing: the receiving unit's first writer rotates it, and U's devices never
//      receive the new version.
//  W6. Supervisors of a unit an ended offer named (declined or withdrawn) stay writers of
//      what they wrote while it stood (the decline itself); the sending unit's next writer
//      rotates the key.
namespace {

bool MayWriteInUnit(const Person& p, const ScopeFacts& s) {
  Person as_active = p;
  as_active.active = true;
  if (MayRead(as_active, s)) return true;
  return p.role == pr::kRoleOfficer && !p.unit_id.empty() && s.unit_id == p.unit_id &&
         (s.kind == pr::kKindCase || s.kind == pr::kKindMentoring);
}

}  // namespace

bool MayWrite(const Person& p, const ScopeFacts& s) {
  if (s.kind == pr::kKindOrg || s.kind.empty()) return false;
  if (MayWriteInUnit(p, s)) return true;
  if (s.kind != pr::kKindCase && s.kind != pr::kKindMentoring) return false;
  if (p.role == pr::kRoleSupervisor && !p.unit_id.empty() && InList(s.offer_unit_ids, p.unit_id)) {
    return true;
  }
  for (std::string_view unit : SplitList(s.former_unit_ids)) {
    ScopeFacts before = s;
    before.unit_id = unit;
    before.transfer_unit_id = {};
    before.former_unit_ids = {};
    before.offer_unit_ids = {};
    // The owner then is unknown here: the former unit's officers count as W3 allows.
    before.owner_user_id = {};
    if (MayWriteInUnit(p, before)) return true;
  }
  return false;
}

std::string DeputiesOn(const std::vector<Cover>& covers, std::string_view owner_user_id,
                       std::string_view day) {
  std::string out;
  for (const Cover& c : covers) {
    if (owner_user_id.empty() || c.user_id != owner_user_id || day > c.until_day) continue;
    if (InList(out, c.deputy_user_id)) continue;
    if (!out.empty()) out += ',';
    out += c.deputy_user_id;
  }
  return out;
}

std::int64_t ServiceUtcOffsetMs(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> at{milliseconds(unix_ms)};
  const year y = year_month_day(floor<days>(at)).year();
  // EU summer time (Directive 2000/84/EC): from 01:00 UTC on the last Sunday of March to
  // 01:00 UTC on the last Sunday of October.
  const sys_time<milliseconds> starts = sys_days(y / March / Sunday[last]) + hours(1);
  const sys_time<milliseconds> ends = sys_days(y / October / Sunday[last]) + hours(1);
  const bool summer = at >= starts && at < ends;
  return (summer ? 3 : 2) * 3'600'000LL;
}

std::string ServiceDay(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> local{milliseconds(unix_ms + ServiceUtcOffsetMs(unix_ms))};
  const year_month_day ymd(floor<days>(local));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

ScopeFacts KeyFacts(const ScopeFacts& listed, const ScopeFacts& record) {
  if ((listed.kind != pr::kKindCase && listed.kind != pr::kKindMentoring) ||
      record.unit_id.empty()) {
    return listed;
  }
  // K2: moved to the unit the record offers it to.
  if (listed.unit_id != record.unit_id && !record.transfer_unit_id.empty() &&
      listed.unit_id == record.transfer_unit_id) {
    return listed;
  }
  // K1. The offer stays the listing's: the engine keeps it only where the record names the
  // same unit (TrustTransfers), and the lists only widen who may write, never who holds a key.
  ScopeFacts out = listed;
  out.unit_id = record.unit_id;
  if (!record.owner_user_id.empty()) out.owner_user_id = record.owner_user_id;
  return out;
}

std::string MentoringRegistrationRefusal(const Person& registrant, std::string_view mentoring_id,
                                         const ScopeFacts& mentoring,
                                         const ScopeFacts* case_scope) {
  const std::string id(mentoring_id);
  const std::string case_id = "case:" + id.substr(id.find(':') + 1);
  if (case_scope == nullptr) {
    return id + " refused: " + case_id + " is not registered (register the case first)";
  }
  if (mentoring.owner_user_id != case_scope->owner_user_id) {
    return id + " refused: its owner " + std::string(mentoring.owner_user_id) +
           " is not the owner " + std::string(case_scope->owner_user_id) + " of " + case_id;
  }
  if (mentoring.unit_id != case_scope->unit_id) {
    return id + " refused: its unit " + std::string(mentoring.unit_id) + " is not the unit " +
           std::string(case_scope->unit_id) + " of " + case_id;
  }
  const bool owner = registrant.user_id == case_scope->owner_user_id;
  const bool supervisor = registrant.role == pr::kRoleSupervisor &&
                          registrant.unit_id == case_scope->unit_id && registrant.active;
  if (!owner && !supervisor) {
    return id + " refused: user " + std::string(registrant.user_id) + " neither owns " + case_id +
           " nor supervises its unit";
  }
  return {};
}

}  // namespace lietvedis::sync::access
