#include "client/retention.hpp"

#include <algorithm>
#include <set>

#include "client/schema.hpp"
#include "client/validation.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using storage::Statement;

namespace {

constexpr std::string_view kPrefix = "retention.";
constexpr std::string_view kSuffix = "_days";
constexpr std::int64_t kMinDays = 30, kMaxDays = 3650;

// Defaults, in days after closure (an assumption of this product, documented in
// docs/PRIVACY.md "Retention"; no Latvian rule fixes how long a field device may keep a file):
// supervision kinds stay a reporting year and a quarter, so the year's indicators and the
// annual report can still be drawn from the device; reports to a court, mediation and
// juvenile community work, which need no follow-up once delivered, half a year.
struct KindDefault {
  std::string_view kind;
  std::int64_t days;
};
constexpr KindDefault kDefaults[] = {
    {"conditional_sentence", 400},
    {"conditional_early_release", 400},
    {"community_work", 400},
    {"probation_supervision", 400},
    {"conditional_release_from_liability", 400},
    {"evaluation_report", 180},
    {"juvenile_community_work", 180},
    {"mediation", 180},
};

}  // namespace

std::string RetentionSettingName(std::string_view kind_code) {
  return std::string(kPrefix) + std::string(kind_code) + std::string(kSuffix);
}

std::int64_t DefaultRetentionDays(std::string_view kind_code) {
  for (const auto& d : kDefaults) {
    if (d.kind == kind_code) return d.days;
  }
  return 400;
}

Result<void> CheckRetentionSetting(std::string_view name, std::string_view value) {
  if (!name.starts_with(kPrefix)) return Ok();
  const bool known = std::any_of(std::begin(kDefaults), std::end(kDefaults), [&](const auto& d) {
    return name == RetentionSettingName(d.kind);
  });
  if (!known) {
    return MakeError(Errc::kValidation,
                     "name: unknown case kind in the retention setting " + std::string(name));
  }
  const bool digits = !value.empty() && value.size() <= 4 &&
                      value.find_first_not_of("0123456789") == std::string_view::npos;
  const std::int64_t days = digits ? std::stoll(std::string(value)) : -1;
  if (days < kMinDays || days > kMaxDays) {
    return MakeError(Errc::kValidation, "value: a whole number between " +
                                            std::to_string(kMinDays) + " and " +
                                            std::to_string(kMaxDays));
  }
  return Ok();
}

Result<std::vector<std::string>> ExpiredScopes(storage::Database& db, std::string_view today) {
  std::set<std::string> held;  // scopes with rows here
  {
    LV_ASSIGN(std::vector<ScopeRegistration> local, LocalScopes(db));
    for (auto& s : local) held.insert(std::move(s.scope));
  }
  std::vector<std::string> out;
  LV_ASSIGN(Statement st, db.Prepare("SELECT id, kind, unit_id, closed_on FROM probation_case"
                                     " WHERE status='closed' AND closed_on IS NOT NULL"
                                     " AND closed_on<>'' ORDER BY id"));
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    const std::string id = st.Text(0), kind = st.Text(1), unit = st.Text(2), closed = st.Text(3);
    LV_ASSIGN(std::int64_t days, detail::UnitSettingInt(db, unit, RetentionSettingName(kind),
                                                        DefaultRetentionDays(kind)));
    if (days < kMinDays) days = DefaultRetentionDays(kind);
    if (AddDaysIso(closed, static_cast<int>(days)) >= today) continue;
    for (std::string scope : {CaseScope(id), MentoringScope(id)}) {
      if (held.count(scope) != 0) out.push_back(std::move(scope));
    }
  }
  return out;
}

}  // namespace lietvedis::client
