// Interim definitions of the three client/validation.hpp checks the model calls, so the
// Workspace links before the full validation module lands with the tools.
//
// WARNING: these are weak symbols. When the tools' validation.cpp is linked, its (strong)
// definitions replace these without a duplicate-symbol error; delete this file then.
#include <cstdio>

#include "client/validation.hpp"

namespace lietvedis::client {

namespace {

Error Invalid(std::string_view field, const char* problem) {
  return MakeError(Errc::kValidation, std::string(field) + ": " + problem);
}

bool Digits(std::string_view s, int& out) {
  out = 0;
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
}

}  // namespace

[[gnu::weak]] Result<void> ValidatePersonalCode(std::string_view code) {
  constexpr std::string_view kField = "personal_code";
  if (code.empty()) return Invalid(kField, "required");
  if (code.size() != 12 || code[6] != '-') return Invalid(kField, "must look like DDMMYY-XNNNN");
  int d[11];
  for (size_t i = 0, j = 0; i < code.size(); ++i) {
    if (i == 6) continue;
    if (code[i] < '0' || code[i] > '9') return Invalid(kField, "must look like DDMMYY-XNNNN");
    d[j++] = code[i] - '0';
  }
  if (d[0] == 3 && d[1] == 2) return Ok();  // the newer form carries no birth date
  const int day = d[0] * 10 + d[1], month = d[2] * 10 + d[3], yy = d[4] * 10 + d[5];
  if (d[6] > 2) return Invalid(kField, "unknown century digit");
  const int year = 1800 + 100 * d[6] + yy;
  if (month < 1 || month > 12 || day < 1 || day > DaysIn(year, month)) {
    return Invalid(kField, "the birth date part is not a date");
  }
  static constexpr int kWeights[] = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += kWeights[i] * d[i];
  if ((1101 - sum) % 11 != d[10]) return Invalid(kField, "wrong check digit");
  return Ok();
}

[[gnu::weak]] Result<std::string> ParseDate(std::string_view v, std::string_view field) {
  int y = 0, m = 0, d = 0;
  bool ok = false;
  if (v.size() == 10 && v[2] == '.' && v[5] == '.') {
    ok = Digits(v.substr(0, 2), d) && Digits(v.substr(3, 2), m) && Digits(v.substr(6, 4), y);
  } else if (v.size() == 10 && v[4] == '-' && v[7] == '-') {
    ok = Digits(v.substr(0, 4), y) && Digits(v.substr(5, 2), m) && Digits(v.substr(8, 2), d);
  }
  if (!ok) return Invalid(field, "must be a date dd.mm.yyyy");
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, m)) {
    return Invalid(field, "not a calendar date");
  }
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
  return std::string(iso);
}

[[gnu::weak]] Result<void> ValidateText(std::string_view value, std::string_view field, size_t max_bytes,
                                        bool required) {
  if (required && value.empty()) return Invalid(field, "required");
  if (value.size() > max_bytes) return Invalid(field, "too long");
  for (size_t i = 0; i < value.size();) {
    const auto c = static_cast<unsigned char>(value[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > value.size()) return Invalid(field, "not valid UTF-8");
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(value[i + k]) & 0xC0) != 0x80) return Invalid(field, "not valid UTF-8");
    }
    if (n == 1 && c < 0x20 && c != '\n' && c != '\t' && c != '\r') return Invalid(field, "control character");
    i += n;
  }
  return Ok();
}

}  // namespace lietvedis::client
