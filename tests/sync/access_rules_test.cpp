// The reader and writer rules (sync/access_rules.cpp) for scopes moved between units: R7 (the
// receiving unit's supervisors read a case offered to it) and W5 (the sending unit's writers
// stay writers of the history after the move), W6 (a declining unit's supervisors stay writers
// of their decline).
#include "sync/access_rules.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>

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
  rules::ScopeFacts offered{"case", "liepaja", "o1", "jelgava", "", "", ""};
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
  rules::ScopeFacts unit{"unit", "liepaja", "", "jelgava", "", "", ""};
  CHECK_FALSE(rules::MayRead(receiving, unit));

  // After the move: Jelgava owns it; Liepāja reads it no more but stays a writer of what it
  // wrote (W5), as its coordinator of the mentoring scope; Valmiera never.
  rules::ScopeFacts moved{"case", "jelgava", "o2", "", "liepaja", "", ""};
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
  rules::ScopeFacts twice{"case", "valmiera", "o3", "", "liepaja,jelgava", "", ""};
  CHECK(rules::MayWrite(officer, twice));
  CHECK(rules::MayWrite(receiving_officer, twice));
  const rules::Person lookalike{"o9", "officer", "liepa", true};
  CHECK_FALSE(rules::MayWrite(lookalike, twice));
  // Without a move the sending unit's rule is the old one: another unit never writes.
  rules::ScopeFacts home{"case", "jelgava", "o2", "", "", "", ""};
  CHECK_FALSE(rules::MayWrite(officer, home));

  // W6: Jelgava declined an offer of a Liepāja case: its supervisors stay writers (their
  // decline), never readers; its officers neither.
  rules::ScopeFacts declined{"case", "liepaja", "o1", "", "", "valmiera,jelgava", ""};
  CHECK(rules::MayWrite(receiving, declined));
  CHECK_FALSE(rules::MayRead(receiving, declined));
  CHECK_FALSE(rules::MayWrite(receiving_officer, declined));
  CHECK(rules::MayWrite(elsewhere, declined));
  const rules::Person other{"s4", "supervisor", "jelgav", true};
  CHECK_FALSE(rules::MayWrite(other, declined));
}

TEST_CASE("keys follow a case's own record, not the server's listing (K1-K2)", "[sync][access]") {
  const rules::Person owner{"o1", "officer", "liepaja", true};
  const rules::Person named{"o2", "officer", "liepaja", true};
  const rules::Person receiving{"s2", "supervisor", "jelgava", true};
  const rules::Person supervisor{"s1", "supervisor", "liepaja", true};
  const rules::ScopeFacts record{"case", "liepaja", "o1", "", "", "", ""};

  // K1: the listing names another owner; the record's owner reads, the named one does not.
  const rules::ScopeFacts renamed{"case", "liepaja", "o2", "", "", "", ""};
  rules::ScopeFacts k = rules::KeyFacts(renamed, record);
  CHECK(k.owner_user_id == "o1");
  CHECK(rules::MayRead(owner, k));
  CHECK_FALSE(rules::MayRead(named, k));
  CHECK(rules::MayRead(supervisor, k));
  // K1: moved to another unit that no offer here names: the record's unit keeps the keys.
  const rules::ScopeFacts moved{"case", "jelgava", "o3", "", "liepaja", "", ""};
  k = rules::KeyFacts(moved, record);
  CHECK(k.unit_id == "liepaja");
  CHECK(k.owner_user_id == "o1");
  CHECK_FALSE(rules::MayRead(receiving, k));
  CHECK(rules::MayRead(supervisor, k));
  // K2: moved to the unit the record offers it to (accepted there): the listing stands.
  const rules::ScopeFacts offered_here{"case", "liepaja", "o1", "jelgava", "", "", ""};
  k = rules::KeyFacts(moved, offered_here);
  CHECK(k.unit_id == "jelgava");
  CHECK(k.owner_user_id == "o3");
  CHECK(rules::MayRead(receiving, k));
  CHECK_FALSE(rules::MayRead(supervisor, k));
  // ...but not to a third unit.
  const rules::ScopeFacts elsewhere{"case", "valmiera", "o4", "", "liepaja", "", ""};
  CHECK(rules::KeyFacts(elsewhere, offered_here).unit_id == "liepaja");
  // The listing's offer and lists stay (the engine vets the offer; the lists widen writers).
  k = rules::KeyFacts(offered_here, record);
  CHECK(k.transfer_unit_id == "jelgava");
  CHECK(rules::MayRead(receiving, k));
  // No record here, or a kind without an owner: the listing.
  const rules::ScopeFacts none{"case", "", "", "", "", "", ""};
  CHECK(rules::KeyFacts(renamed, none).owner_user_id == "o2");
  const rules::ScopeFacts unit_scope{"unit", "jelgava", "", "", "", "", ""};
  CHECK(rules::KeyFacts(unit_scope, record).unit_id == "jelgava");
  // A mentoring log follows its card's record the same way.
  rules::ScopeFacts log = renamed;
  log.kind = "mentoring";
  rules::ScopeFacts card = record;
  card.kind = "mentoring";
  CHECK(rules::KeyFacts(log, card).owner_user_id == "o1");
}

TEST_CASE("comma lists: items in order, empty items skipped", "[sync][access]") {
  CHECK(rules::SplitList("").empty());
  CHECK(rules::SplitList("a,,b,") == std::vector<std::string_view>{"a", "b"});
  CHECK(rules::InList("liepaja,jelgava", "jelgava"));
  CHECK_FALSE(rules::InList("liepaja,jelgava", "jelga"));
  CHECK_FALSE(rules::InList("", ""));
}

TEST_CASE("covers: a deputy reads the absent officer's case files, not the mentoring view (R8)",
          "[sync][access]") {
  const rules::Person deputy{"o2", "officer", "liepaja", true};
  const rules::Person other{"o3", "officer", "liepaja", true};
  const rules::Person elsewhere{"o2", "officer", "jelgava", true};
  const std::vector<rules::Cover> covers{{"o1", "o2", "2026-12-14", "2026-12-28"},
                                         {"o9", "o3", "2026-12-01", "2026-12-02"}};
  // The keys arrive before the absence starts and stay until its last day, inclusive.
  CHECK(rules::DeputiesOn(covers, "o1", "2026-12-07") == "o2");
  CHECK(rules::DeputiesOn(covers, "o1", "2026-12-28") == "o2");
  CHECK(rules::DeputiesOn(covers, "o1", "2026-12-29").empty());
  CHECK(rules::DeputiesOn(covers, "o9", "2026-12-07").empty());  // over
  CHECK(rules::DeputiesOn(covers, "", "2026-12-07").empty());

  const std::string deputies = rules::DeputiesOn(covers, "o1", "2026-12-20");
  const rules::ScopeFacts case_file{"case", "liepaja", "o1", "", "", "", deputies};
  CHECK(rules::MayRead(deputy, case_file));
  CHECK(rules::MayWrite(deputy, case_file));
  CHECK_FALSE(rules::MayRead(other, case_file));
  // The same user id in another unit (moved since): the unit must match.
  CHECK_FALSE(rules::MayRead(elsewhere, case_file));
  // Not the mentoring view, not another officer's case, not once inactive.
  rules::ScopeFacts mentoring = case_file;
  mentoring.kind = "mentoring";
  CHECK_FALSE(rules::MayRead(deputy, mentoring));
  const rules::ScopeFacts others_case{"case", "liepaja", "o4", "", "", "", deputies};
  CHECK(rules::MayRead(deputy, others_case));  // the list is computed per owner by the caller
  const rules::ScopeFacts o4_case{
      "case", "liepaja", "o4", "", "", "", rules::DeputiesOn(covers, "o4", "2026-12-20")};
  CHECK_FALSE(rules::MayRead(deputy, o4_case));
  rules::Person gone = deputy;
  gone.active = false;
  CHECK_FALSE(rules::MayRead(gone, case_file));
  // A supervisor or coordinator named in the list gains nothing by it.
  const rules::Person coordinator{"o2", "volunteer_coordinator", "liepaja", true};
  CHECK_FALSE(rules::MayRead(coordinator, case_file));
}

TEST_CASE("The service's day is the civil day in Latvia, winter and summer time alike",
          "[access]") {
  // Winter (EET, UTC+2): the day turns at 22:00 UTC.
  CHECK(rules::ServiceDay(1'796'594'399'999) == "2026-12-06");  // 2026-12-06T21:59:59.999Z
  CHECK(rules::ServiceDay(1'796'594'400'000) == "2026-12-07");  // 2026-12-06T22:00:00Z
  CHECK(rules::ServiceDay(1'830'290'400'000) == "2028-01-01");  // 2027-12-31T22:00:00Z
  CHECK(rules::ServiceDay(1'709'157'600'000) == "2024-02-29");  // 2024-02-28T22:00:00Z
  // Summer time starts at 01:00 UTC on the last Sunday of March (29.03.2026) ...
  CHECK(rules::ServiceDay(1'774'735'199'999) == "2026-03-28");
  CHECK(rules::ServiceDay(1'774'735'200'000) == "2026-03-29");
  CHECK(rules::ServiceUtcOffsetMs(1'774'745'999'999) == 2 * 3'600'000);
  CHECK(rules::ServiceUtcOffsetMs(1'774'746'000'000) == 3 * 3'600'000);
  CHECK(rules::ServiceDay(1'774'817'999'999) == "2026-03-29");  // 2026-03-29T20:59:59.999Z
  CHECK(rules::ServiceDay(1'774'818'000'000) == "2026-03-30");  // 21:00 UTC in summer
  // ... and ends at 01:00 UTC on the last Sunday of October (25.10.2026).
  CHECK(rules::ServiceDay(1'792'875'599'999) == "2026-10-24");
  CHECK(rules::ServiceDay(1'792'875'600'000) == "2026-10-25");
  CHECK(rules::ServiceUtcOffsetMs(1'792'889'999'999) == 3 * 3'600'000);
  CHECK(rules::ServiceUtcOffsetMs(1'792'890'000'000) == 2 * 3'600'000);
  CHECK(rules::ServiceDay(1'792'965'599'999) == "2026-10-25");
  CHECK(rules::ServiceDay(1'792'965'600'000) == "2026-10-26");
}

TEST_CASE("The service's day agrees with the system's Europe/Riga zone every hour of a decade",
          "[access]") {
  // Debian's tzdata (priority: required) holds Latvia's rules; the rule in the code must give
  // the same day at every hour and at each side of every change of offset.
  const char* before = std::getenv("TZ");
  const std::string saved = before ? before : "";
  REQUIRE(setenv("TZ", "Europe/Riga", 1) == 0);
  tzset();
  int hours = 0, mismatches = 0;
  std::string first_mismatch;
  for (std::int64_t s = 1'577'836'800; s < 1'893'456'000; s += 1800) {  // 2020-2030, half-hours
    for (const std::int64_t at : {s, s + 1799}) {
      const std::time_t t = static_cast<std::time_t>(at);
      std::tm tm{};
      REQUIRE(localtime_r(&t, &tm) != nullptr);
      char day[16];
      std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
      ++hours;
      if (rules::ServiceDay(at * 1000 + 999) != day ||
          rules::ServiceUtcOffsetMs(at * 1000) != tm.tm_gmtoff * 1000) {
        if (mismatches++ == 0) first_mismatch = std::to_string(at);
      }
    }
  }
  if (before) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  INFO("first mismatch at Unix second " << first_mismatch);
  CHECK(hours > 300'000);
  CHECK(mismatches == 0);
}
