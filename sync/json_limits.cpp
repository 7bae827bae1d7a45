#include "sync/json_limits.hpp"

#include <string>

namespace lietvedis::sync {

Result<JsonShape> CheckJsonShape(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return MakeError(Errc::kProtocol,
                     "longer than " + std::to_string(limits.max_bytes) + " bytes of JSON");
  }
  JsonShape shape;
  std::size_t depth = 0;
  std::size_t values = 1;  // the top-level value
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > limits.max_depth) {
          return MakeError(Errc::kProtocol,
                           "nested deeper than " + std::to_string(limits.max_depth) + " levels");
        }
        if (depth > shape.depth) shape.depth = depth;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      case ',':
        if (++values > limits.max_values) {
          return MakeError(Errc::kProtocol,
                           "more than " + std::to_string(limits.max_values) + " values");
        }
        break;
      default:
        break;
    }
  }
  shape.values = values;
  return shape;
}

Result<nlohmann::json> ParseJsonBounded(std::string_view text, const JsonLimits& limits,
                                        std::string_view what) {
  auto shape = CheckJsonShape(text, limits);
  if (!shape) {
    return MakeError(Errc::kProtocol, std::string(what) + " is " + shape.error().message);
  }
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return MakeError(Errc::kProtocol, std::string(what) + " is not valid JSON");
  return j;
}

}  // namespace lietvedis::sync
