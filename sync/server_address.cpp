#include "sync/server_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace lietvedis::sync {

namespace {

constexpr std::string_view kLoopbackWords = "127.0.0.0/8, ::1 or localhost";

Error Refused(std::string_view url, const std::string& why) {
  return MakeError(Errc::kValidation, "server address " + std::string(url) + " is refused: " + why);
}

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.size() == 9) {
    std::string lower(host);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "localhost") return true;
  }
  if (host.empty() || host.size() > 45) return false;
  const std::string text(host);
  in_addr v4{};
  // inet_pton takes only the four-part dotted form: "127.1" or "0x7f.1" are not addresses here.
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  return false;
}

bool IsCertificatePin(std::string_view pin) {
  if (pin.size() != 64) return false;
  for (char c : pin) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<ServerAddress> CheckServerAddress(std::string_view url, std::string_view pin) {
  ServerAddress a;
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    a.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return Refused(url, "it must start with https:// (or http:// to this computer)");
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return Refused(url, "it names no host");
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return Refused(url, "it must be scheme://host[:port], without a path");
  }
  if (rest.find('@') != std::string_view::npos) {
    return Refused(url, "it must not carry a user name or password");
  }

  std::string_view port_text;
  if (rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return Refused(url, "an IPv6 address lacks its ']'");
    a.host = std::string(rest.substr(1, close - 1));
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Refused(url, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) return Refused(url, "the port is empty");
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, a.host.c_str(), &v6) != 1) {
      return Refused(url, "[" + a.host + "] is not an IPv6 address");
    }
  } else {
    const auto colon = rest.find(':');
    a.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return Refused(url, "the port is empty");
    }
    if (a.host.empty()) return Refused(url, "it names no host");
    for (char c : a.host) {
      if (!IsHostNameChar(c)) {
        return Refused(url,
                       "the host may hold only letters, digits, '-' and '.' (an IPv6 "
                       "address goes in brackets)");
      }
    }
  }
  if (!port_text.empty()) {
    if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) {
      return Refused(url, "the port must be a number from 1 to 65535");
    }
    a.port = std::stoi(std::string(port_text));
    if (a.port < 1 || a.port > 65535) {
      return Refused(url, "the port must be a number from 1 to 65535");
    }
  }

  if (!a.tls) {
    if (!IsLoopbackHost(a.host)) {
      return Refused(url, "plain http:// is allowed only to this computer (" +
                              std::string(kLoopbackWords) +
                              "); anyone on the network between could read the session and "
                              "pose as the central store. Use https:// with the certificate pin "
                              "from the enrolment code");
    }
    if (!pin.empty()) {
      return Refused(url,
                     "a certificate pin was given, but http:// has no certificate to check "
                     "it against; use https://");
    }
    return a;
  }
  if (pin.empty()) {
    return Refused(url,
                   "https:// needs the server certificate's SHA-256 pin (from the enrolment "
                   "code, made with `lietvedis-server admin enrol-code --cert`), and there "
                   "is none");
  }
  if (!IsCertificatePin(pin)) {
    return Refused(url, "the certificate pin '" + std::string(pin) +
                            "' is not a SHA-256 fingerprint (64 lowercase hex characters)");
  }
  return a;
}

}  // namespace lietvedis::sync
