#include "sync/server/server_http.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace lietvedis::server::http {

namespace pr = protocol;

std::string EscapeForLog(std::string_view text, std::size_t max) {
  std::string out;
  const std::size_t n = std::min(text.size(), max);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (text.size() > max) out += "...";
  return out;
}

Reply Reply::Binary(std::string bytes) {
  Reply r;
  r.binary = true;
  r.bytes = std::move(bytes);
  return r;
}

Reply Reply::Fail(const Error& e, int status) {
  Reply r;
  r.status = status != 0 ? status : pr::HttpStatusFor(e.code);
  r.body = nlohmann::json::parse(pr::ErrorBody(e));
  return r;
}

Error Forbidden(std::string message) {
  return MakeError(Errc::kNotPermitted, std::move(message));
}

Result<Cursor> ParseCursor(const std::string& text) {
  Cursor c;
  if (text.empty()) return c;
  std::vector<std::int64_t> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t dot = text.find('.', start);
    const std::string part =
        text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.size() > 18 ||
        part.find_first_not_of("0123456789") != std::string::npos) {
      return MakeError(Errc::kProtocol, "pull: malformed cursor");
    }
    parts.push_back(std::stoll(part));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 2 && parts.size() != 4)
    return MakeError(Errc::kProtocol, "pull: malformed cursor");
  c.fresh = false;
  c.p = parts[0];
  c.g = parts[1];
  if (parts.size() == 4) {
    c.backfilling = true;
    c.g2 = parts[2];
    c.q = parts[3];
    if (c.g2 < c.g || c.q > c.p) return MakeError(Errc::kProtocol, "pull: malformed cursor");
  }
  return c;
}

std::string FormatCursor(const Cursor& c) {
  std::string s = std::to_string(c.p) + "." + std::to_string(c.g);
  if (c.backfilling) s += "." + std::to_string(c.g2) + "." + std::to_string(c.q);
  return s;
}

}  // namespace lietvedis::server::http
