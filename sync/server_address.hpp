// The rule for a central store's address: which URLs a client may talk to, and with what.
//
// Case files travel end to end encrypted, but the session token, the directory, the metadata of
// every envelope (scope, author, sizes) and the enrolment itself do not: a man in the middle on
// plain HTTP reads and replays them, and would be the server a new device trusts. So:
//
//   - `http://` only to this computer: 127.0.0.0/8, ::1 (`[::1]` in a URL) or `localhost`
//     (the demo, tests, a reverse proxy on the same machine). Never with a pin: the pin would
//     protect nothing.
//   - `https://` only with the pin: the lowercase hex SHA-256 of the server certificate's DER
//     encoding, carried in the enrolment code (docs/SERVER.md "Enrolment code format"). The
//     client then accepts exactly that certificate, whatever CA signed it (sync/http_transport).
//   - Anything else (another scheme, a path, user info, a bad port) is not an address.
//
// CheckServerAddress applies the rule. The client calls it for every transport it opens (so a
// profile stored before the rule existed is refused too), `lietvedis-server admin enrol-code`
// calls it before issuing a code, and `serve` uses IsLoopbackHost for `--listen`.
//
// Errors: kValidation, with a message naming the URL and why it is refused.
// Threading: pure functions, any thread.
#pragma once

#include <string>
#include <string_view>

#include "storage/result.hpp"

namespace lietvedis::sync {

struct ServerAddress {
  bool tls = false;
  std::string host;  // without the brackets of an IPv6 literal
  int port = 0;      // 0 when the URL gives none (the scheme's default)
};

// True for `localhost` (any case), a dotted IPv4 address in 127.0.0.0/8 and the IPv6 loopback
// (`::1`, with or without brackets). A name that merely resolves to loopback is not enough:
// only what the URL says is judged, nothing is looked up.
bool IsLoopbackHost(std::string_view host);

// True for a lowercase hex SHA-256 (64 characters of 0-9a-f).
bool IsCertificatePin(std::string_view pin);

// The parsed address when `url` may be used with `pin` (empty = no pin), else kValidation.
Result<ServerAddress> CheckServerAddress(std::string_view url, std::string_view pin);

}  // namespace lietvedis::sync
