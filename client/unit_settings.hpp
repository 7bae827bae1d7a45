// The unit settings a supervisor may change (SetUnitSetting, `lietvedis unit set`, the
// desktop's *Struktūrvienības iestatījumi*) and the defaults the core applies while one is
// unset. One place for both, so the screens that show a default and the rules that apply it
// cannot drift apart. Retention periods (retention.<kind>_days) are in client/retention.hpp.
//
// Threading: constants and pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace lietvedis::client {

// Days until the next contact is due, per risk level of the latest signed assessment
// (contact_interval_days.<level>; "unassessed" for a case without one). Whole days 1..366.
inline constexpr std::string_view kContactIntervalPrefix = "contact_interval_days.";
struct ContactIntervalDefault {
  std::string_view level;  // low, medium, high, very_high, unassessed
  std::int64_t days;
};
inline constexpr ContactIntervalDefault kContactIntervalDefaults[] = {
    {"very_high", 7}, {"high", 14}, {"medium", 30}, {"low", 60}, {"unassessed", 30}};

// The grace period, in whole days (0..366), during which a client's card stays in the
// mentoring scope after the referral to peer mentoring ended.
inline constexpr std::string_view kCardGraceSetting = "mentoring.card_grace_days";
inline constexpr std::int64_t kDefaultCardGraceDays = 30;

// Casework settings (client/workflows_casework.cpp checks their values): the most hours of
// community work a client may log for one day (whole hours 1..12), and the number of uncited
// warnings in a supervision section at which a court application is proposed (1..10).
inline constexpr std::string_view kMaxHoursPerDaySetting = "community_work.max_hours_per_day";
inline constexpr std::int64_t kDefaultMaxHoursPerDay = 8;
inline constexpr std::string_view kWarningThresholdSetting =
    "escalation.warnings_for_court_application";
inline constexpr std::int64_t kDefaultWarningThreshold = 2;

}  // namespace lietvedis::client
