// "Today" as the product counts it, for tests that type or expect a day: the day in Latvia
// (sync::access::ServiceDay), not the UTC day, which differs from 22:00 (21:00 in summer) to
// midnight UTC.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "sync/access_rules.hpp"

namespace lietvedis::testing {

// ISO `YYYY-MM-DD` of today in Latvia plus `days` calendar days (may be negative).
inline std::string ServiceDayIso(int days = 0) {
  using namespace std::chrono;
  const std::string today = sync::access::ServiceDay(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  const year_month_day ymd{
      sys_days(year_month_day(year(std::stoi(today.substr(0, 4))),
                              month(static_cast<unsigned>(std::stoi(today.substr(5, 2)))),
                              day(static_cast<unsigned>(std::stoi(today.substr(8, 2)))))) +
      std::chrono::days(days)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// The same day as `dd.mm.yyyy`, as officers type it.
inline std::string ServiceDayLv(int days = 0) {
  const std::string iso = ServiceDayIso(days);
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

}  // namespace lietvedis::testing
