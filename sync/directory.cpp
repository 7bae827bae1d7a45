#include "sync/directory.hpp"

#include <sodium.h>

#include <cstring>
#include <nlohmann/json.hpp>

namespace lietvedis::sync::directory {
namespace {

using nlohmann::json;

void AppendField(Bytes& out, std::span<const std::uint8_t> b) {
  const auto n = static_cast<std::uint32_t>(b.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>((n >> (8 * i)) & 0xffu));
  out.insert(out.end(), b.begin(), b.end());
}
void AppendField(Bytes& out, std::string_view s) {
  AppendField(out, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()),
                                                 s.size()));
}

Result<Bytes> HexDecode(std::string_view hex, std::size_t bytes) {
  if (!protocol::IsLowerHex(hex, bytes * 2)) {
    return MakeError(Errc::kProtocol, "expected " + std::to_string(bytes * 2) + " hex characters");
  }
  Bytes out(bytes);
  size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != bytes) {
    return MakeError(Errc::kProtocol, "bad hex");
  }
  return out;
}

// YYYY-MM-DD with a month 01-12 and a day 01-31 (the calendar's finer rules are the
// administrator tool's; here only the form, so days compare as text).
bool IsIsoDay(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = (d[5] - '0') * 10 + (d[6] - '0');
  const int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Error Bad(std::int64_t n, std::string_view what) {
  return MakeError(Errc::kProtocol,
                   "directory statement " + std::to_string(n) + ": " + std::string(what));
}

}  // namespace

bool IsProgrammeId(std::string_view id) {
  if (id.size() < 3 || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

VerifiedDirectory::Programme ProgrammeOf(const Statement& s) {
  return {s.programme_id,  s.name, s.target_group,  s.provider,
          s.provider_name, s.mode, s.accreditation, s.active};
}

std::string StatementText(const Statement& s) {
  json j{{"n", s.n}, {"prev", s.prev}, {"kind", s.kind}, {"issued_at", s.issued_at}};
  if (!s.signer.empty()) j["signer"] = s.signer;  // absent for the root: old texts unchanged
  if (s.kind == kKindUnit) {
    j["unit_id"] = s.unit_id;
    j["region"] = s.region;
    j["name"] = s.name;
  } else if (s.kind == kKindUser) {
    j["user_id"] = s.user_id;
    j["display_name"] = s.display_name;
    j["role"] = s.role;
    j["unit_id"] = s.unit_id;
    j["active"] = s.active;
  } else if (s.kind == kKindEnrolment) {
    j["user_id"] = s.user_id;
    j["enrol_pk"] = protocol::HexEncode(s.enrol_pk);
    j["expires_at"] = s.expires_at;
  } else if (s.kind == kKindRevoke) {
    j["device_id"] = s.device_id;
    j["reason"] = s.reason;
    if (s.stored_until > 0) j["stored_until"] = s.stored_until;
  } else if (s.kind == kKindCover) {
    j["user_id"] = s.user_id;
    j["deputy_user_id"] = s.deputy_user_id;
    j["from_day"] = s.from_day;
    j["until_day"] = s.until_day;
    j["active"] = s.active;
  } else if (s.kind == kKindProgramme) {
    j["programme_id"] = s.programme_id;
    j["name"] = s.name;
    j["target_group"] = s.target_group;
    j["provider"] = s.provider;
    j["provider_name"] = s.provider_name;
    j["mode"] = s.mode;
    j["accreditation"] = s.accreditation;
    j["active"] = s.active;
  } else if (s.kind == kKindAdmin) {
    j["admin_id"] = s.admin_id;
    j["admin_pk"] = protocol::HexEncode(s.admin_pk);
    j["name"] = s.name;
    j["active"] = s.active;
  }
  return j.dump();  // nlohmann's object keys are sorted: one text for one statement
}

Result<Statement> ParseStatement(std::string_view text) {
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Bad(0, "not a JSON object");
  Statement s;
  auto num = [&](const char* f, std::int64_t& out) -> bool {
    auto it = j.find(f);
    if (it == j.end() || !it->is_number_integer()) return false;
    out = it->get<std::int64_t>();
    return true;
  };
  auto str = [&](const char* f, std::string& out) -> bool {
    auto it = j.find(f);
    if (it == j.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    const std::string_view field(f);
    return !out.empty() || field == "prev" || field == "reason" || field == "target_group" ||
           field == "provider_name";
  };
  if (!num("n", s.n) || s.n < 1) return Bad(0, "no number");
  if (!str("prev", s.prev) || !str("kind", s.kind) || !num("issued_at", s.issued_at)) {
    return Bad(s.n, "a field is missing");
  }
  if (j.contains("signer") && (!str("signer", s.signer) || !protocol::IsLowerHex(s.signer, 32))) {
    return Bad(s.n, "signer is not an administrator key id");
  }
  if (s.kind == kKindUnit) {
    if (!str("unit_id", s.unit_id) || !str("region", s.region) || !str("name", s.name)) {
      return Bad(s.n, "a unit field is missing");
    }
  } else if (s.kind == kKindUser) {
    auto active = j.find("active");
    if (!str("user_id", s.user_id) || !str("display_name", s.display_name) ||
        !str("role", s.role) || !str("unit_id", s.unit_id) || active == j.end() ||
        !active->is_boolean()) {
      return Bad(s.n, "a user field is missing");
    }
    if (!protocol::IsKnownRole(s.role)) return Bad(s.n, "unknown role");
    s.active = active->get<bool>();
  } else if (s.kind == kKindEnrolment) {
    std::string pk;
    if (!str("user_id", s.user_id) || !str("enrol_pk", pk) || !num("expires_at", s.expires_at)) {
      return Bad(s.n, "an enrolment field is missing");
    }
    auto key = HexDecode(pk, crypto_sign_PUBLICKEYBYTES);
    if (!key) return Bad(s.n, "enrol_pk: " + key.error().message);
    s.enrol_pk = std::move(*key);
  } else if (s.kind == kKindRevoke) {
    if (!str("device_id", s.device_id) || !str("reason", s.reason)) {
      return Bad(s.n, "a revocation field is missing");
    }
    if (j.contains("stored_until") &&
        (!num("stored_until", s.stored_until) || s.stored_until < 0)) {
      return Bad(s.n, "stored_until is not a sequence number");
    }
  } else if (s.kind == kKindAdmin) {
    std::string pk;
    auto active = j.find("active");
    if (!str("admin_id", s.admin_id) || !str("admin_pk", pk) || !str("name", s.name) ||
        active == j.end() || !active->is_boolean()) {
      return Bad(s.n, "an administrator field is missing");
    }
    auto key = HexDecode(pk, crypto_sign_PUBLICKEYBYTES);
    if (!key) return Bad(s.n, "admin_pk: " + key.error().message);
    s.admin_pk = std::move(*key);
    if (s.admin_id != AdminIdForKey(s.admin_pk)) return Bad(s.n, "admin_id is not its key's");
    s.active = active->get<bool>();
  } else if (s.kind == kKindCover) {
    auto active = j.find("active");
    if (!str("user_id", s.user_id) || !str("deputy_user_id", s.deputy_user_id) ||
        !str("from_day", s.from_day) || !str("until_day", s.until_day) || active == j.end() ||
        !active->is_boolean()) {
      return Bad(s.n, "a cover field is missing");
    }
    if (!IsIsoDay(s.from_day) || !IsIsoDay(s.until_day)) {
      return Bad(s.n, "a cover's days are not YYYY-MM-DD");
    }
    if (s.until_day < s.from_day) return Bad(s.n, "a cover ends before it starts");
    if (s.user_id == s.deputy_user_id) return Bad(s.n, "an officer cannot cover for themselves");
    s.active = active->get<bool>();
  } else if (s.kind == kKindProgramme) {
    auto active = j.find("active");
    if (!str("programme_id", s.programme_id) || !str("name", s.name) ||
        !str("target_group", s.target_group) || !str("provider", s.provider) ||
        !str("provider_name", s.provider_name) || !str("mode", s.mode) ||
        !str("accreditation", s.accreditation) || active == j.end() || !active->is_boolean()) {
      return Bad(s.n, "a programme field is missing");
    }
    if (!IsProgrammeId(s.programme_id)) return Bad(s.n, "a programme id is not a-z, 0-9 and '-'");
    if (!IsListedCode(s.provider, kProgrammeProviders) || !IsListedCode(s.mode, kProgrammeModes) ||
        !IsListedCode(s.accreditation, kProgrammeAccreditations)) {
      return Bad(s.n, "a programme's provider, mode or accreditation is not a known code");
    }
    if (s.name.size() > 200 || s.target_group.size() > 200 || s.provider_name.size() > 200) {
      return Bad(s.n, "a programme's text is over 200 bytes");
    }
    s.active = active->get<bool>();
  } else {
    return Bad(s.n, "unknown kind '" + s.kind + "'");
  }
  return s;
}

std::string StatementHash(std::string_view text) {
  std::uint8_t out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  return protocol::HexEncode(out);
}

Bytes StatementSignedBytes(std::string_view text) {
  // Sized once and copied with memcpy: GCC 12 at -O2 reports a false array-bounds error for
  // inserting after the 22-byte prefix (the bug the top CMakeLists.txt names for -O3).
  Bytes out(kStatementPrefix.size() + text.size());
  std::memcpy(out.data(), kStatementPrefix.data(), kStatementPrefix.size());
  if (!text.empty()) std::memcpy(out.data() + kStatementPrefix.size(), text.data(), text.size());
  return out;
}

std::string DeviceIdForKey(std::span<const std::uint8_t> sign_pk) {
  std::uint8_t out[16];
  crypto_generichash(out, sizeof out, sign_pk.data(), sign_pk.size(), nullptr, 0);
  return protocol::HexEncode(out);
}

Bytes BindingSignedBytes(std::string_view device_id, std::span<const std::uint8_t> enrol_pk,
                         std::span<const std::uint8_t> sign_pk,
                         std::span<const std::uint8_t> box_pk) {
  Bytes out(kBindingPrefix.begin(), kBindingPrefix.end());
  AppendField(out, device_id);
  AppendField(out, enrol_pk);
  AppendField(out, sign_pk);
  AppendField(out, box_pk);
  return out;
}

Result<EnrolKey> DeriveEnrolKey(std::string_view secret_hex) {
  LV_ASSIGN(Bytes secret, HexDecode(secret_hex, 32));
  LV_ASSIGN(storage::SecretBytes seed, storage::SecretBytes::Allocate(crypto_sign_SEEDBYTES));
  crypto_generichash(seed.data(), seed.size(), secret.data(), secret.size(),
                     reinterpret_cast<const unsigned char*>(kEnrolKeyContext.data()),
                     kEnrolKeyContext.size());
  sodium_memzero(secret.data(), secret.size());
  EnrolKey key;
  key.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  LV_ASSIGN(key.secret_key, storage::SecretBytes::Allocate(crypto_sign_SECRETKEYBYTES));
  if (crypto_sign_seed_keypair(key.public_key.data(), key.secret_key.data(), seed.data()) != 0) {
    return MakeError(Errc::kInternal, "enrolment key: libsodium refused the seed");
  }
  return key;
}

Result<Bytes> SignBinding(const EnrolKey& key, std::string_view device_id,
                          std::span<const std::uint8_t> sign_pk,
                          std::span<const std::uint8_t> box_pk) {
  const Bytes msg = BindingSignedBytes(device_id, key.public_key, sign_pk, box_pk);
  Bytes sig(crypto_sign_BYTES);
  if (crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), key.secret_key.data()) !=
      0) {
    return MakeError(Errc::kInternal, "binding: libsodium could not sign");
  }
  return sig;
}

std::string AdminIdForKey(std::span<const std::uint8_t> admin_pk) {
  return DeviceIdForKey(admin_pk);
}

namespace {

bool Verifies(const protocol::SignedStatement& st, std::span<const std::uint8_t> pk) {
  const Bytes signed_bytes = StatementSignedBytes(st.text);
  return st.signature.size() == crypto_sign_BYTES && pk.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(st.signature.data(), signed_bytes.data(), signed_bytes.size(),
                                     pk.data()) == 0;
}

// The key `signer` names, if it is an active certified administrator key; else empty.
std::span<const std::uint8_t> AdminKey(
    const std::map<std::string, VerifiedDirectory::Admin>& admins, const std::string& signer) {
  auto a = admins.find(signer);
  if (a == admins.end() || !a->second.active) return {};
  return a->second.admin_pk;
}

}  // namespace

bool SignedByOrganisation(std::span<const std::uint8_t> root_pk,
                          const std::map<std::string, VerifiedDirectory::Admin>& admins,
                          const protocol::SignedStatement& st) {
  auto parsed = ParseStatement(st.text);
  if (!parsed) return false;
  if (parsed->signer.empty()) return Verifies(st, root_pk);
  return parsed->kind != kKindAdmin && Verifies(st, AdminKey(admins, parsed->signer));
}

Result<VerifiedDirectory> VerifyDirectory(std::span<const std::uint8_t> root_pk,
                                          std::span<const protocol::SignedStatement> log,
                                          std::span<const protocol::DirectoryDevice> devices,
                                          const KnownHead& known) {
  if (root_pk.size() != crypto_sign_PUBLICKEYBYTES) {
    return MakeError(Errc::kValidation, "the organisation's root key is not an Ed25519 key");
  }
  VerifiedDirectory out;
  std::map<std::int64_t, Statement> enrolments;   // by statement number
  std::map<std::int64_t, Statement> revocations;  // by statement number
  std::string prev;
  bool known_seen = known.n == 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto n = static_cast<std::int64_t>(i) + 1;
    const protocol::SignedStatement& st = log[i];
    auto refuse = [&](const std::string& why) {
      out.refused.push_back("directory statement " + std::to_string(n) + " " + why +
                            "; it and the " + std::to_string(log.size() - i - 1) +
                            " after it are ignored");
    };
    // The signer is read from the text before the signature is checked, but nothing of the
    // text counts unless the key it names (the root's when none) signed it.
    auto parsed = ParseStatement(st.text);
    const std::string signer = parsed ? parsed->signer : std::string();
    if (signer.empty()) {
      if (!Verifies(st, root_pk)) {
        refuse("is not signed by the organisation's root key");
        break;
      }
    } else if (parsed->kind == kKindAdmin) {
      refuse("certifies an administrator key but is signed by administrator key " + signer +
             ", not by the root");
      break;
    } else if (AdminKey(out.admins, signer).empty()) {
      refuse("is signed by administrator key " + signer +
             ", which the root has not certified or has withdrawn");
      break;
    } else if (!Verifies(st, AdminKey(out.admins, signer))) {
      refuse("is not signed by administrator key " + signer + " that it names");
      break;
    }
    if (!parsed) {
      refuse("cannot be read (" + parsed.error().message + ")");
      break;
    }
    Statement& s = *parsed;
    if (s.n != n || s.prev != prev) {
      refuse("is out of order (the log has a gap or was reordered)");
      break;
    }
    const std::string hash = StatementHash(st.text);
    if (n == known.n) {
      if (hash != known.hash) {
        return MakeError(Errc::kTampered,
                         "the central store's directory differs from the one this device "
                         "verified before (statement " +
                             std::to_string(n) + " was replaced)");
      }
      known_seen = true;
    }
    if (s.kind == kKindUnit) {
      out.units[s.unit_id] = {s.unit_id, s.region, s.name};
    } else if (s.kind == kKindUser) {
      out.users[s.user_id] = {s.user_id, s.display_name, s.role, s.unit_id, s.active};
    } else if (s.kind == kKindEnrolment) {
      enrolments[s.n] = s;
    } else if (s.kind == kKindRevoke) {
      out.revoked.insert(s.device_id);
      revocations[s.n] = s;
    } else if (s.kind == kKindAdmin) {
      out.admins[s.admin_id] = {s.admin_id, s.name, s.admin_pk, s.active};
    } else if (s.kind == kKindCover) {
      const std::pair<std::string, std::string> key{s.user_id, s.deputy_user_id};
      if (s.active) {
        out.covers[key] = {s.user_id, s.deputy_user_id, s.from_day, s.until_day};
      } else {
        out.covers.erase(key);
      }
    } else if (s.kind == kKindProgramme) {
      out.programmes[s.programme_id] = ProgrammeOf(s);
    }
    prev = hash;
    out.head_n = n;
    out.head_hash = hash;
  }
  if (!known_seen) {
    return MakeError(Errc::kTampered, "the central store's directory ends at statement " +
                                          std::to_string(out.head_n) + ", before statement " +
                                          std::to_string(known.n) +
                                          " that this device verified earlier");
  }
  // Devices: bound by an enrolment the root signed, for that enrolment's user, one device an
  // enrolment, not revoked.
  std::map<std::string, std::vector<const protocol::DirectoryDevice*>> by_enrolment;
  for (const auto& d : devices) {
    if (d.binding_sig.empty()) {
      out.refused.push_back("device " + d.device_id + " has no enrolment binding");
      continue;
    }
    by_enrolment[protocol::HexEncode(d.enrol_pk)].push_back(&d);
  }
  std::map<std::string, std::int64_t> stored_until;
  for (const auto& [n, st] : revocations) stored_until.emplace(st.device_id, st.stored_until);
  std::map<std::string, const Statement*> enrolment_by_pk;
  for (const auto& [n, s] : enrolments) enrolment_by_pk[protocol::HexEncode(s.enrol_pk)] = &s;
  for (const auto& [pk, list] : by_enrolment) {
    auto e = enrolment_by_pk.find(pk);
    if (e == enrolment_by_pk.end()) {
      for (const auto* d : list) {
        out.refused.push_back("device " + d->device_id +
                              " names an enrolment the organisation did not sign");
      }
      continue;
    }
    if (list.size() > 1) {
      for (const auto* d : list) {
        out.refused.push_back("device " + d->device_id + " shares its enrolment with " +
                              std::to_string(list.size() - 1) + " other device(s)");
      }
      continue;
    }
    const protocol::DirectoryDevice& d = *list.front();
    const Statement& en = *e->second;
    const Bytes msg = BindingSignedBytes(d.device_id, en.enrol_pk, d.sign_pk, d.box_pk);
    const bool signature_ok = d.binding_sig.size() == crypto_sign_BYTES &&
                              d.sign_pk.size() == crypto_sign_PUBLICKEYBYTES &&
                              crypto_sign_verify_detached(d.binding_sig.data(), msg.data(),
                                                          msg.size(), en.enrol_pk.data()) == 0;
    if (!signature_ok || d.user_id != en.user_id || d.device_id != DeviceIdForKey(d.sign_pk)) {
      out.refused.push_back("device " + d.device_id +
                            " is not bound to its enrolment (its keys or user were changed)");
      continue;
    }
    if (out.revoked.count(d.device_id) != 0) {
      // The first revocation counts: a later one cannot widen what was accepted.
      out.retired[d.device_id] = {{d.device_id, d.user_id, d.sign_pk, d.box_pk},
                                  stored_until[d.device_id]};
      continue;
    }
    out.devices[d.device_id] = {d.device_id, d.user_id, d.sign_pk, d.box_pk};
  }
  return out;
}

}  // namespace lietvedis::sync::directory
