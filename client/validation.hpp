// Field validation for user input (CLI, desktop UI, import). Each function returns
// Errc::kValidation with a message that starts with the field's name, so the UI can point at
// the field and the CLI can print it as is. Messages never repeat the rejected value (it may
// be case data).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "storage/result.hpp"

namespace lietvedis::client {

// A Latvian personal code: `DDMMYY-CNNNN` with a valid date and check digit, or the newer
// form starting `32` (no birth date). Field name in messages: personal_code.
Result<void> ValidatePersonalCode(std::string_view code);

// A calendar date typed as `dd.mm.yyyy` or ISO `YYYY-MM-DD`; returns ISO.
Result<std::string> ParseDate(std::string_view ddmmyyyy_or_iso, std::string_view field);

// Well-formed UTF-8 of at most `max_bytes` bytes; non-empty when `required`.
Result<void> ValidateText(std::string_view value, std::string_view field, size_t max_bytes, bool required);

}  // namespace lietvedis::client
