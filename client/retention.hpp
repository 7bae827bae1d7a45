// Retention: how long a closed case stays on the devices of the officers and supervisors who
// read it (docs/PRIVACY.md, "Retention"). The central store keeps its (encrypted) copy; this
// is about the field devices, which hold case files only while the work needs them.
//
// Rules:
//  T1. A case's period is the unit setting `retention.<kind>_days` of the case's unit (kind as
//      in CaseKind codes, e.g. retention.conditional_sentence_days), else the default for its
//      kind (DefaultRetentionDays). Whole days, 30..3650 (CheckRetentionSetting).
//  T2. A closed case whose closing day plus its period is before today is expired: its case
//      scope and, when held here, its mentoring scope are purged at the next sync and kept
//      out (sync/purge.hpp, rule P2). An open case, or a closed one without a closing day,
//      never expires.
//
// Threading: the writer's thread (the engine's hook). Errors: storage errors only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/result.hpp"

namespace lietvedis::client {

// The unit setting name that holds `kind_code`'s period ("retention.<kind>_days").
std::string RetentionSettingName(std::string_view kind_code);

// Default days a closed case of `kind_code` stays on devices (see docs/PRIVACY.md for why).
std::int64_t DefaultRetentionDays(std::string_view kind_code);

// For SetUnitSetting: kValidation when `name` starts with "retention." but names no case kind
// or `value` is not a whole number of days in 30..3650; Ok for every other name.
Result<void> CheckRetentionSetting(std::string_view name, std::string_view value);

// The scopes to purge under T2 as of `today` (YYYY-MM-DD), ordered.
Result<std::vector<std::string>> ExpiredScopes(storage::Database& db, std::string_view today);

}  // namespace lietvedis::client
