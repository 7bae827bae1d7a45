// Bounded JSON parsing for text that arrives from the network or from files.
//
// A JSON document is cheap to send and dear to hold: 16 MiB of "[" is 16 million nested
// arrays, and "[{},{},...]" is five million objects, each a heap node of nlohmann::json. Both
// once took the central store above a gigabyte for one unauthenticated request. So before a
// DOM is built, one linear scan (no allocation) bounds the nesting depth and the number of
// values; text past either bound is refused with a message naming the bound, and only text
// within them reaches nlohmann::json::parse.
//
// The scan does not validate JSON (the parser does); it counts containers and separators
// outside strings, which bounds the values the parser can create (values <= containers +
// commas + 1), so its count never undercounts what the DOM would hold.
//
// Threading: pure functions, any thread.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "storage/result.hpp"

namespace lietvedis::sync {

struct JsonLimits {
  std::size_t max_depth = 32;         // nesting of arrays and objects
  std::size_t max_values = 1u << 18;  // values of every kind, containers included
  std::size_t max_bytes = 1u << 30;   // length of the text
};

// Limits for what an unauthenticated peer may send (enrolment, session challenge, sign-in):
// small, flat messages.
inline constexpr JsonLimits kOpenRequestLimits{8, 256, 64u * 1024u};

// Within the limits: the number of values and the deepest nesting the text would produce.
struct JsonShape {
  std::size_t depth = 0;
  std::size_t values = 0;
};

// kProtocol when the text passes a limit ("nested deeper than 32 levels", "more than 262144
// values", "longer than ..."); otherwise its shape. What is not JSON passes the scan and is
// left to the parser to refuse.
[[nodiscard]] Result<JsonShape> CheckJsonShape(std::string_view text, const JsonLimits& limits);

// CheckJsonShape, then parse without exceptions: kProtocol "not valid JSON" for a syntax
// error. `what` prefixes messages ("body", "enrolment code").
[[nodiscard]] Result<nlohmann::json> ParseJsonBounded(std::string_view text,
                                                      const JsonLimits& limits,
                                                      std::string_view what = "body");

}  // namespace lietvedis::sync
