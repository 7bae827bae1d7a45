// Field validation for user input (CLI, desktop UI, import). Each function returns
// Errc::kValidation with a message that starts with the field's name, so the UI can point at
// the field and the CLI can print it as is. Messages never repeat the rejected value (it may
// be case data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/result.hpp"

namespace lietvedis::client {

// A Latvian personal code: `DDMMYY-CNNNN` with a valid date and check digit, or the newer
// form starting `32` (no birth date). Field name in messages: personal_code.
Result<void> ValidatePersonalCode(std::string_view code);

// A calendar date typed as `dd.mm.yyyy` or ISO `YYYY-MM-DD`; returns ISO. Years 1900-2199;
// the day must exist (29.02 only in leap years).
Result<std::string> ParseDate(std::string_view ddmmyyyy_or_iso, std::string_view field);

// A day, or a day with a time of day: `dd.mm.yyyy`, `dd.mm.yyyy HH:MM`, ISO `YYYY-MM-DD` or
// `YYYY-MM-DDTHH:MM` (a planned contact's local time); returns `YYYY-MM-DD[THH:MM]`.
Result<std::string> ParseDayTime(std::string_view value, std::string_view field);

// ISO date `YYYY-MM-DD` -> `dd.mm.yyyy` for display. A stamped time (UTC, ending in Z) is
// shown in the service's time, Latvia's, like every day the rules count
// ("2026-03-16T09:30:00Z" -> "16.03.2026 11:30"); a planned local time keeps its time as
// written ("2026-03-16 14:00" -> "16.03.2026 14:00"). Anything else is returned unchanged.
std::string FormatDate(std::string_view iso);

// A Unix time in milliseconds as the time in Latvia, "dd.mm.yyyy HH:MM" (EET/EEST by
// sync::access::ServiceUtcOffsetMs), whatever time zone the device is set to: the clock the
// service's days are counted by, so a stamp's time and its day never disagree.
std::string ServiceDateTime(std::int64_t unix_ms);

// An ISO date plus `days` (may be negative), ISO. `iso` must be a valid ISO date (from
// ParseDate or storage); anything else is returned unchanged.
std::string AddDaysIso(std::string_view iso, int days);

// Today as ISO `YYYY-MM-DD` by the system clock, in the service's day (the day in Latvia, as
// Workspace::Today counts it; sync::access::ServiceDay): for widgets without a workspace.
std::string TodayIso();

// The service's day of a stored time: an ISO UTC stamp `YYYY-MM-DDTHH:MM:SS[.fff]Z` (when a
// record was written, signed, offered) becomes the day in Latvia at that moment; a day, or a
// planned local `YYYY-MM-DDTHH:MM`, keeps its first ten characters; anything shorter is
// returned unchanged.
std::string DayOfStamp(std::string_view stamp);

// The Unix time in milliseconds (whole seconds) of an ISO UTC stamp
// `YYYY-MM-DDTHH:MM:SS[.fff]Z` with a real date and time; std::nullopt for anything else (a
// day, a planned local time, malformed text).
std::optional<std::int64_t> StampMs(std::string_view stamp);

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) of at most
// `max_bytes` bytes, without control characters other than tab and line breaks; non-empty
// when `required`.
Result<void> ValidateText(std::string_view value, std::string_view field, size_t max_bytes,
                          bool required);

// Words in a text: runs of characters between spaces, tabs and line breaks (an editor's
// and the PDF's word count of a report section).
size_t CountWords(std::string_view text);

}  // namespace lietvedis::client
