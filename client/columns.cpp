#include "client/columns.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "client/validation.hpp"

namespace lietvedis::client {
namespace {

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

template <size_t N>
bool OneOf(std::string_view value, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

// Yes/no columns (INTEGER 1 or 0).
constexpr std::array<std::string_view, 5> kFlags = {
    "active", "attended", "no_employment_taxes_at_opening", "client_attended", "circle"};
// Whole numbers that are neither flags nor money.
constexpr std::array<std::string_view, 6> kIntegers = {
    "total_score", "version", "duration_minutes", "hours_ordered", "minutes", "seq"};
// Times the core stamps when a record is written, signed, decided or voided.
constexpr std::array<std::string_view, 13> kStampedTimes = {
    "at",         "created_at", "signed_at",  "recorded_at", "logged_at",
    "written_at", "drafted_at", "offered_at", "decided_at",  "disclosed_at",
    "opened_at",  "voided_at",  "until"};
// Records beyond correction: the audit trail and its bookkeeping, corrections, signatures, the
// access and disclosure logs, and what a device keeps for itself.
constexpr std::array<std::string_view, 10> kUncorrectable = {
    "audit",       "correction",         "audit_chain_head",  "audit_restored",
    "break_glass", "countersignature",   "mentoring_signoff", "mappa_disclosure_log",
    "org_cover",   "client_card_rewrite"};

// 0..1,000,000: no stored count, score, duration or amount is negative or anywhere near.
bool WholeNumber(std::string_view v) {
  return !v.empty() && v.size() <= 7 &&
         std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         std::stol(std::string(v)) <= 1000000;
}

}  // namespace

ColumnKind ColumnKindOf(std::string_view table, std::string_view column) {
  const ColumnKind e = VisitColumnEnum(table, column, [](auto) {});
  if (e != ColumnKind::kText) return e;
  if (OneOf(column, kFlags)) return ColumnKind::kFlag;
  if (OneOf(column, kIntegers)) return ColumnKind::kInteger;
  if (EndsWith(column, "_cents")) return ColumnKind::kCents;
  if (EndsWith(column, "_on") || column == "birth_date" || column == "from_day" ||
      column == "until_day")
    return ColumnKind::kDay;
  if (column == "planned_at") return ColumnKind::kDayTime;
  if (EndsWith(column, "_at") || column == "until") return ColumnKind::kTimestamp;
  return ColumnKind::kText;
}

bool IsLinkColumn(std::string_view column) {
  return EndsWith(column, "_id") || EndsWith(column, "_ids");
}

bool IsProvenanceColumn(std::string_view column) {
  return EndsWith(column, "_by") || OneOf(column, kStampedTimes);
}

bool IsCorrectableTable(std::string_view table) {
  return !OneOf(table, kUncorrectable);
}

Result<std::string> ValidateColumnValue(std::string_view table, std::string_view column,
                                        std::string_view value) {
  if (value.empty()) return std::string();
  bool known = true;  // every code of an enum column is one of its codes
  std::set<std::string_view> seen;
  bool repeated = false;
  const ColumnKind kind = VisitColumnEnum(table, column, [&](auto tag) {
    using E = typename decltype(tag)::type;
    std::string_view rest = value;
    for (;;) {
      const auto comma = rest.find(',');
      const std::string_view code = rest.substr(0, comma);
      known &= FromCode<E>(code).has_value();
      repeated |= !seen.insert(code).second;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  });
  switch (kind == ColumnKind::kText ? ColumnKindOf(table, column) : kind) {
    case ColumnKind::kEnum:
      if (!known || value.find(',') != std::string_view::npos)
        return MakeError(Errc::kValidation, "value: not one of the field's codes");
      return std::string(value);
    case ColumnKind::kEnumList:
      if (!known) return MakeError(Errc::kValidation, "value: not one of the field's codes");
      if (repeated) return MakeError(Errc::kValidation, "value: a code is repeated");
      return std::string(value);
    case ColumnKind::kFlag:
      if (value != "0" && value != "1")
        return MakeError(Errc::kValidation, "value: must be 1 (yes) or 0 (no)");
      return std::string(value);
    case ColumnKind::kInteger:
    case ColumnKind::kCents:
      if (!WholeNumber(value))
        return MakeError(Errc::kValidation, "value: must be a whole number from 0 to 1000000");
      return std::string(value);
    case ColumnKind::kDay:
      return ParseDate(value, "value");
    case ColumnKind::kDayTime:
      return ParseDayTime(value, "value");
    case ColumnKind::kTimestamp:
      // Only stamped times are timestamps, and those are provenance: never corrected.
      return MakeError(Errc::kValidation, "value: a recorded time is not corrected");
    case ColumnKind::kText:
      return std::string(value);
  }
  return std::string(value);
}

}  // namespace lietvedis::client
