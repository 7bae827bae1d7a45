// The central store's request plumbing, shared by the files that answer requests (server.cpp,
// admin_reads.cpp): the authenticated caller, a handler's reply, the pull cursor, and text made
// safe for the one-line request log. Internal to sync/server.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "sync/protocol.hpp"
#include "sync/server/server_store.hpp"

namespace lietvedis::server::http {

// Text from a peer made safe for a one-line log: printable ASCII kept, every other byte as
// \xHH, at most `max` bytes of input (then "...").
std::string EscapeForLog(std::string_view text, std::size_t max);

// The authenticated caller of a request.
struct Caller {
  Device device;
  User user;
  std::int64_t max_grant = 0;  // the user's highest grant id when the request was authenticated
};

// A handler's answer: a JSON body (200), a binary body (a pull page in the binary form), or an
// error (status from its code, or explicit; always a JSON error body).
struct Reply {
  Reply() = default;
  Reply(int s, nlohmann::json b) : status(s), body(std::move(b)) {}
  int status = 200;
  nlohmann::json body;
  bool binary = false;  // send `bytes` as application/octet-stream instead of `body`
  std::string bytes;
  std::string accepts;  // a Lietvedis-Accepts header (GET /v1/sync), when not empty
  static Reply Binary(std::string bytes);
  static Reply Fail(const Error& e, int status = 0);
};

Error Forbidden(std::string message);

// Pull cursor: "P.G" (position P in the global sequence, grants up to G already served) or
// "P.G.G2.Q" (backfilling scopes granted in (G, G2], envelopes with seq in (Q, P]).
struct Cursor {
  std::int64_t p = 0, g = 0, g2 = 0, q = 0;
  bool backfilling = false;
  bool fresh = true;
};
Result<Cursor> ParseCursor(const std::string& text);
std::string FormatCursor(const Cursor& c);

}  // namespace lietvedis::server::http
