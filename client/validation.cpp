// Field validation (contract in client/validation.hpp).
//
// Personal codes (personas kods):
//  - old form `DDMMYY-CNNNN`: DDMMYY is the birth date, C the century (0: 1800s, 1: 1900s,
//    2: 2000s), NNN a serial and the last digit a check digit: with the weights
//    1,6,3,7,9,10,5,8,4,2 over the first ten digits, check = (1101 - sum) mod 11; a result of
//    10 cannot be written as one digit, so no valid code has it;
//  - new form `32NNNN-NNNNN` (issued since 1 July 2017): it carries no birth date and, for our
//    purposes, no check digit; we check only the shape: twelve characters, `32` then four
//    digits, a dash, five digits.
#include "client/validation.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "sync/access_rules.hpp"

namespace lietvedis::client {

namespace {

Error Invalid(std::string_view field, std::string_view problem) {
  std::string message(field);
  message += ": ";
  message += problem;
  return MakeError(Errc::kValidation, std::move(message));
}

bool AllDigits(std::string_view s, int& out) {
  out = 0;
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool IsLeapYear(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
}

bool IsCalendarDate(int y, int m, int d) {
  return m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when it is not one
// (stray continuation byte, overlong form, UTF-16 surrogate, beyond U+10FFFF, truncated).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c == 0xE0) {
    n = 3, lo = 0xA0;  // below: overlong
  } else if (c == 0xED) {
    n = 3, hi = 0x9F;  // above: surrogates U+D800..U+DFFF
  } else if (c >= 0xE1 && c <= 0xEF) {
    n = 3;
  } else if (c == 0xF0) {
    n = 4, lo = 0x90;  // below: overlong
  } else if (c >= 0xF1 && c <= 0xF3) {
    n = 4;
  } else if (c == 0xF4) {
    n = 4, hi = 0x8F;  // above: beyond U+10FFFF
  } else {
    return 0;  // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

Result<void> ValidatePersonalCode(std::string_view code) {
  constexpr std::string_view kField = "personal_code";
  if (code.empty()) return Invalid(kField, "required");
  if (code.size() != 12 || code[6] != '-')
    return Invalid(kField, "must look like DDMMYY-CNNNN or 32NNNN-NNNNN");
  int d[11];
  for (size_t i = 0, j = 0; i < code.size(); ++i) {
    if (i == 6) continue;
    if (code[i] < '0' || code[i] > '9')
      return Invalid(kField, "must look like DDMMYY-CNNNN or 32NNNN-NNNNN");
    d[j++] = code[i] - '0';
  }
  if (d[0] == 3 && d[1] == 2) return Ok();  // new form: shape only (see the file comment)
  if (d[6] > 2) return Invalid(kField, "the century digit (7th) must be 0, 1 or 2");
  const int day = d[0] * 10 + d[1], month = d[2] * 10 + d[3];
  const int year = 1800 + 100 * d[6] + d[4] * 10 + d[5];
  if (!IsCalendarDate(year, month, day))
    return Invalid(kField, "the birth date part is not a calendar date");
  static constexpr int kWeights[] = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += kWeights[i] * d[i];
  const int check = (1101 - sum) % 11;  // sum <= 495, so never negative
  if (check == 10 || check != d[10]) return Invalid(kField, "wrong check digit");
  return Ok();
}

Result<std::string> ParseDate(std::string_view v, std::string_view field) {
  int y = 0, m = 0, d = 0;
  bool shaped = false;
  if (v.size() == 10 && v[2] == '.' && v[5] == '.') {
    shaped = AllDigits(v.substr(0, 2), d) && AllDigits(v.substr(3, 2), m) &&
             AllDigits(v.substr(6, 4), y);
  } else if (v.size() == 10 && v[4] == '-' && v[7] == '-') {
    shaped = AllDigits(v.substr(0, 4), y) && AllDigits(v.substr(5, 2), m) &&
             AllDigits(v.substr(8, 2), d);
  }
  if (!shaped) return Invalid(field, "must be a date dd.mm.yyyy");
  if (y < 1900 || y > 2199) return Invalid(field, "year out of range (1900-2199)");
  if (!IsCalendarDate(y, m, d)) return Invalid(field, "not a calendar date");
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
  return std::string(iso);
}

Result<std::string> ParseDayTime(std::string_view value, std::string_view field) {
  const auto sep = value.find_first_of(" T");
  LV_ASSIGN(std::string date, ParseDate(value.substr(0, sep), field));
  if (sep == std::string_view::npos) return date;
  const std::string_view time = value.substr(sep + 1);
  const bool ok = time.size() == 5 && time[2] == ':' && time[0] >= '0' && time[0] <= '2' &&
                  time[1] >= '0' && time[1] <= '9' && time[3] >= '0' && time[3] <= '5' &&
                  time[4] >= '0' && time[4] <= '9' && (time[0] < '2' || time[1] <= '3');
  if (!ok) return Invalid(field, "time must be HH:MM");
  return date + "T" + std::string(time);
}

std::string FormatDate(std::string_view iso) {
  if (const auto ms = StampMs(iso)) return ServiceDateTime(*ms);
  int y = 0, m = 0, d = 0;
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-' || !AllDigits(iso.substr(0, 4), y) ||
      !AllDigits(iso.substr(5, 2), m) || !AllDigits(iso.substr(8, 2), d)) {
    return std::string(iso);
  }
  std::string out;
  out.reserve(iso.size());
  out.append(iso.substr(8, 2))
      .append(".")
      .append(iso.substr(5, 2))
      .append(".")
      .append(iso.substr(0, 4));
  if (iso.size() > 10) {
    // "2026-03-16 09:30" / "2026-03-16T09:30" (planned, as typed) -> "16.03.2026 09:30"
    std::string_view rest = iso.substr(11);
    out += ' ';
    out.append(rest.substr(0, rest.size() >= 5 ? 5 : rest.size()));
  }
  return out;
}

std::string AddDaysIso(std::string_view iso, int days) {
  int y = 0, m = 0, d = 0;
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-' || !AllDigits(iso.substr(0, 4), y) ||
      !AllDigits(iso.substr(5, 2), m) || !AllDigits(iso.substr(8, 2), d) ||
      !IsCalendarDate(y, m, d)) {
    return std::string(iso);
  }
  using namespace std::chrono;
  const year_month_day ymd{sys_days(year_month_day(year(y), month(static_cast<unsigned>(m)),
                                                   day(static_cast<unsigned>(d)))) +
                           std::chrono::days(days)};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

std::string TodayIso() {
  using namespace std::chrono;
  return sync::access::ServiceDay(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::optional<std::int64_t> StampMs(std::string_view stamp) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  const bool utc = stamp.size() >= 20 && stamp.back() == 'Z' && stamp[10] == 'T' &&
                   stamp[4] == '-' && stamp[7] == '-' && stamp[13] == ':' && stamp[16] == ':' &&
                   AllDigits(stamp.substr(0, 4), y) && AllDigits(stamp.substr(5, 2), mo) &&
                   AllDigits(stamp.substr(8, 2), d) && AllDigits(stamp.substr(11, 2), h) &&
                   AllDigits(stamp.substr(14, 2), mi) && AllDigits(stamp.substr(17, 2), sec) &&
                   IsCalendarDate(y, mo, d) && h < 24 && mi < 60 && sec < 61;
  if (!utc) return std::nullopt;
  using namespace std::chrono;
  const sys_seconds at = sys_days(year_month_day(year(y), month(static_cast<unsigned>(mo)),
                                                 day(static_cast<unsigned>(d)))) +
                         hours(h) + minutes(mi) + seconds(sec);
  return duration_cast<milliseconds>(at.time_since_epoch()).count();
}

std::string ServiceDateTime(std::int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> local{
      milliseconds(unix_ms + sync::access::ServiceUtcOffsetMs(unix_ms))};
  const auto day = floor<days>(local);
  const year_month_day ymd(day);
  const hh_mm_ss<milliseconds> time(local - day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u.%02u.%04d %02d:%02d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()));
  return buf;
}

std::string DayOfStamp(std::string_view stamp) {
  if (const auto ms = StampMs(stamp)) return sync::access::ServiceDay(*ms);
  return std::string(stamp.substr(0, std::min<std::size_t>(stamp.size(), 10)));
}

Result<void> ValidateText(std::string_view value, std::string_view field, size_t max_bytes,
                          bool required) {
  if (required && value.empty()) return Invalid(field, "required");
  if (value.size() > max_bytes) {
    return Invalid(field, "too long (at most " + std::to_string(max_bytes) + " bytes)");
  }
  for (size_t i = 0; i < value.size();) {
    const size_t n = Utf8SequenceLength(value, i);
    if (n == 0) return Invalid(field, "not valid UTF-8");
    const auto c = static_cast<unsigned char>(value[i]);
    if (n == 1 && (c < 0x20 || c == 0x7F) && c != '\n' && c != '\t' && c != '\r') {
      return Invalid(field, "contains a control character");
    }
    i += n;
  }
  return Ok();
}

size_t CountWords(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace lietvedis::client
