// The protocol's JSON messages (sync/protocol.hpp, ParseBody with sync/json_limits.hpp): what
// the server parses of every request and a client of every answer. The first byte picks the
// message (its low 7 bits) and the limits (the high bit: a route without a session), the rest
// is the body. A message that parses serialises to JSON that parses to the same serialisation.
#include <string>
#include <string_view>

#include "sync/json_limits.hpp"
#include "sync/protocol.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace pr = lietvedis::sync::protocol;

namespace {

template <typename T>
void Parse(std::string_view body, const lietvedis::sync::JsonLimits& limits) {
  auto v = pr::ParseBody<T>(body, limits);
  if (!v.ok()) return;
  const std::string once = pr::ToJson(*v).dump();
  auto again = pr::ParseBody<T>(once, lietvedis::sync::JsonLimits{});
  LV_FUZZ_CHECK(again.ok());
  LV_FUZZ_CHECK(pr::ToJson(*again).dump() == once);
}

}  // namespace

LV_FUZZ_TARGET(protocol_json) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto limits =
      (data[0] & 0x80) != 0 ? lietvedis::sync::kOpenRequestLimits : lietvedis::sync::JsonLimits{};
  switch ((data[0] & 0x7f) % 12) {
    case 0:
      Parse<pr::EnrolRequest>(body, limits);
      break;
    case 1:
      Parse<pr::ChallengeRequest>(body, limits);
      break;
    case 2:
      Parse<pr::SessionRequest>(body, limits);
      break;
    case 3:
      Parse<pr::PushRequest>(body, limits);
      break;
    case 4:
      Parse<pr::PullResponse>(body, limits);
      break;
    case 5:
      Parse<pr::DirectoryResponse>(body, limits);
      break;
    case 6:
      Parse<pr::KeysResponse>(body, limits);
      break;
    case 7:
      Parse<pr::MissingKeysResponse>(body, limits);
      break;
    case 8:
      Parse<pr::PutKeysRequest>(body, limits);
      break;
    case 9:
      Parse<pr::ScopesResponse>(body, limits);
      break;
    case 10:
      Parse<pr::PushResponse>(body, limits);
      break;
    default:
      Parse<pr::SessionResponse>(body, limits);
      break;
  }
  return 0;
}
