// Who may read, write and register a scope: the reader/writer rules of docs/PROTOCOL.md
// ("Scopes and who reads them", "What a client refuses"), in ONE place. The central store
// (sync/server: CanRead, scope registration) and the client engine (which devices get a key,
// whose wraps and envelopes it accepts) both evaluate these functions; neither keeps a copy.
//
// The functions are pure and take plain facts (`Person`, `ScopeFacts`), so each side passes
// its own records through the adapters at the bottom. Any thread may call them.
//
// WARNING: the facts must come from what the caller believes. The client passes users and
// devices of the root-verified directory (sync/directory.hpp) only; a user the server lists
// but the root never signed must not reach these functions as a Person.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lietvedis::sync::access {

struct Person {
  std::string_view user_id, role, unit_id;
  bool active = true;
};

struct ScopeFacts {
  std::string_view kind, unit_id, owner_user_id;  // owner: case and mentoring scopes only
  // Case and mentoring scopes only: the unit a transfer is offered to ("" when none waits),
  // the units the scope was transferred from, and the units an ended offer named (both
  // comma-separated, "" when none).
  std::string_view transfer_unit_id, former_unit_ids, offer_unit_ids;
  // Case scopes only: the officers who cover for the owner today (comma-separated, "" when
  // none), from covers the organisation recorded in its root-signed directory. The server
  // fills it from its copy of the directory; a client from the directory it verified, never
  // from the server's listing.
  std::string_view deputy_user_ids;
};

// The kind of a scope id: the text before ':' ("case:42" -> "case"), "org" for "org", empty
// for an id without a kind.
std::string_view ScopeKindOf(std::string_view scope);

// May `p` read the scope (hold its key, pull its envelopes)? Inactive users read nothing.
bool MayRead(const Person& p, const ScopeFacts& s);

// May an envelope authored by a device of `p` be applied to the scope? See the rules above
// the definition; unlike MayRead, the user's active flag does not count (history written
// before a deactivation stays valid).
bool MayWrite(const Person& p, const ScopeFacts& s);

// Registration of `mentoring:X` next to its case `case:X` (`case_scope`, null when the case is
// not registered): empty when allowed, else the refusal in plain words (ids only). The
// mentoring scope's owner must be the case's owner, and the registrant the case's owner or a
// supervisor of the case's unit.
std::string MentoringRegistrationRefusal(const Person& registrant, std::string_view mentoring_id,
                                         const ScopeFacts& mentoring, const ScopeFacts* case_scope);

// The non-empty items of a comma-separated list (the unit lists above, the engine's reader
// sets), in order; views into `list`.
std::vector<std::string_view> SplitList(std::string_view list);
bool InList(std::string_view list, std::string_view item);

// The facts a client acts on for keys (who gets a wrap from it, whose wrap it accepts, whether
// it still reads): the server's listing of a case or mentoring scope, corrected by the scope's
// own signed record on the device (`record`: its unit, owner and the unit an open offer names;
// empty unit when the device holds no record). K1: the record decides the unit and the owner.
// K2: the listing is believed where the record cannot know better: the scope moved to the unit
// the record here offers it to (accepted there; this device stops reading it). Other kinds,
// and scopes without a record, keep the listing.
ScopeFacts KeyFacts(const ScopeFacts& listed, const ScopeFacts& record);

// A cover in the verified directory (sync/directory.hpp): `deputy_user_id` covers for
// `user_id` from `from_day` to `until_day` (ISO days, inclusive).
struct Cover {
  std::string_view user_id, deputy_user_id, from_day, until_day;
};
// R8's list for a case scope owned by `owner_user_id` on `day` (a ServiceDay): the deputies
// of covers not yet over, comma-separated in the order given. The keys go to a deputy from the
// moment the cover is recorded, before `from_day`, so the files are on the deputy's device when
// the absence starts; break-glass opens them only from `from_day` (client/permissions.hpp).
std::string DeputiesOn(const std::vector<Cover>& covers, std::string_view owner_user_id,
                       std::string_view day);
// The service's day: the ISO day (YYYY-MM-DD) in Latvia at a Unix time in milliseconds. Every
// day a rule counts in (today's agenda, a cover's first and last day, a deadline, a retention
// period) is a Latvian civil day, whatever time zone a device or the server is set to, so a
// laptop and the central store agree on "today" and a day does not end at 02:00 or 03:00 in
// Riga, as a UTC day would.
std::string ServiceDay(std::int64_t unix_ms);
// Latvia's offset from UTC at that time, in milliseconds: EET (+2 h), and EEST (+3 h) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
std::int64_t ServiceUtcOffsetMs(std::int64_t unix_ms);

// Adapters for records with the usual field names (server::User, EngineDirectory::User;
// server::Scope, the engine's ServerScope).
template <class User>
Person PersonOf(const User& u) {
  return Person{u.user_id, u.role, u.unit_id, u.active};
}
template <class Scope>
ScopeFacts FactsOf(const Scope& s) {
  std::string_view deputies;  // R8: only records that carry them (never the wire's ScopeInfo)
  if constexpr (requires { s.deputy_user_ids; }) deputies = s.deputy_user_ids;
  return ScopeFacts{
      s.kind,           s.unit_id, s.owner_user_id, s.transfer_unit_id, s.former_unit_ids,
      s.offer_unit_ids, deputies};
}

}  // namespace lietvedis::sync::access
