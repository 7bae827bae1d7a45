// The reader and writer rules (sync/access_rules.cpp) for scopes moved between units: R7 (the
// receiving unit's supervisors read a case offered to it) and W5 (the sending unit's writers
// stay writers of the history after the move), W6 (a declining unit's supervisors stay writers
// of their decline).
#include "sync/access_rules.hpp"

#include <catch2/catch.hpp>

namespace rules = lietvedis::sync::access;

TEST_CASE("transfers: who reads an offered case, who wrote a moved one", "[sync][access]") {
  const rules::Person officer{"o1", "officer", "liepaja", true};
  const rules::Person supervisor{"s1", "supervisor", "liepaja", true};
  const rules::Person receiving{"s2", "supervisor", "jelgava", true};
  const rules::Person receiving_officer{"o2", "officer", "jelgava", true};
  const rules::Person coordinator{"k1", "volunteer_coordinator", "liepaja", true};
  const rules::Person elsewhere{"s3", "supervisor", "valmiera", true};
  rules::Person inactive = receiving;
  inactive.active = false;

  // R7: offered to Jelgava, the case is read by Jelgava's supervisors, not its officers.
  rules::ScopeFacts offered{"case", "liepaja", "o1", "jelgava", "", ""};
  CHECK(rules::MayRead(officer, offered));
  CHECK(rules::MayRead(supervisor, offered));
  CHECK(rules::MayRead(receiving, offered));
  CHECK_FALSE(rules::MayRead(receiving_officer, offered));
  CHECK_FALSE(rules::MayRead(elsewhere, offered));
  CHECK_FALSE(rules::MayRead(inactive, offered));
  rules::ScopeFacts offered_mentoring = offered;
  offered_mentoring.kind = "mentoring";
  CHECK(rules::MayRead(receiving, offered_mentoring));
  // Never for other kinds of scope.
  rules::ScopeFacts unit{"unit", "liepaja", "", "jelgava", "", ""};
  CHECK_FALSE(rules::MayRead(receiving, unit));

  // After the move: Jelgava owns it; Liepāja reads it no more but stays a writer of what it
  // wrote (W5), as its coordinator of the mentoring scope; Valmiera never.
  rules::ScopeFacts moved{"case", "jelgava", "o2", "", "liepaja", ""};
  CHECK(rules::MayRead(receiving_officer, moved));
  CHECK_FALSE(rules::MayRead(officer, moved));
  CHECK_FALSE(rules::MayRead(supervisor, moved));
  CHECK(rules::MayWrite(officer, moved));
  CHECK(rules::MayWrite(supervisor, moved));
  CHECK(rules::MayWrite(receiving_officer, moved));
  CHECK_FALSE(rules::MayWrite(elsewhere, moved));
  CHECK_FALSE(rules::MayWrite(coordinator, moved));
  rules::ScopeFacts moved_mentoring = moved;
  moved_mentoring.kind = "mentoring";
  CHECK(rules::MayWrite(coordinator, moved_mentoring));
  // Moved twice: both former units count; a unit named only as a substring does not.
  rules::ScopeFacts twice{"case", "valmiera", "o3", "", "liepaja,jelgava", ""};
  CHECK(rules::MayWrite(officer, twice));
  CHECK(rules::MayWrite(receiving_officer, twice));
  const rules::Person lookalike{"o9", "officer", "liepa", true};
  CHECK_FALSE(rules::MayWrite(lookalike, twice));
  // Without a move the sending unit's rule is the old one: another unit never writes.
  rules::ScopeFacts home{"case", "jelgava", "o2", "", "", ""};
  CHECK_FALSE(rules::MayWrite(officer, home));

  // W6: Jelgava declined an offer of a Liepāja case: its supervisors stay writers (their
  // decline), never readers; its officers neither.
  rules::ScopeFacts declined{"case", "liepaja", "o1", "", "", "valmiera,jelgava"};
  CHECK(rules::MayWrite(receiving, declined));
  CHECK_FALSE(rules::MayRead(receiving, declined));
  CHECK_FALSE(rules::MayWrite(receiving_officer, declined));
  CHECK(rules::MayWrite(elsewhere, declined));
  const rules::Person other{"s4", "supervisor", "jelgav", true};
  CHECK_FALSE(rules::MayWrite(other, declined));
}
