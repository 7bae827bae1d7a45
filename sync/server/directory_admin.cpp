#include "sync/server/directory_admin.hpp"

#include <sodium.h>

#include <ctime>
#include <map>
#include <utility>

#include "sync/access_rules.hpp"
#include "sync/server/server.hpp"
#include "sync/server_address.hpp"

namespace lietvedis::server {

namespace dir = sync::directory;
namespace pr = sync::protocol;

Result<void> DirectoryAdmin::CheckSigner() {
  if (!root_.is_administrator()) return Ok();
  // A statement signed by a key the log does not certify would break the log for every
  // client from that statement on: refuse before writing anything.
  LV_ASSIGN(Directory d, store_.LoadDirectory());
  LV_ASSIGN(dir::VerifiedDirectory v,
            dir::VerifyDirectory(root_.root_public_key(), d.log, {}, dir::KnownHead{}));
  auto a = v.admins.find(root_.admin_id());
  if (a == v.admins.end() || !a->second.active) {
    return MakeError(Errc::kNotPermitted,
                     "administrator key " + root_.admin_id() +
                         (a == v.admins.end() ? " is not certified by the organisation's root"
                                              : " was withdrawn by the organisation's root") +
                         "; nothing was changed");
  }
  return Ok();
}

Result<void> DirectoryAdmin::Append(dir::Statement s, std::int64_t now) {
  if (root_.is_administrator()) s.signer = root_.admin_id();
  // Two administrators appending at once: the loser reads the new head and signs again.
  for (int attempt = 0;; ++attempt) {
    LV_ASSIGN(auto head, store_.DirectoryHead());
    s.n = head.first + 1;
    s.prev = head.first == 0 ? std::string() : dir::StatementHash(head.second);
    s.issued_at = now;
    const std::string text = dir::StatementText(s);
    LV_ASSIGN(pr::Bytes sig, root_.SignStatement(text));
    auto r = store_.AppendStatement(s.n, text, sig);
    if (r.ok() || r.error().code != Errc::kConflict || attempt == 1) return r;
  }
}

Result<Unit> DirectoryAdmin::AddUnit(const std::string& region, const std::string& name,
                                     std::int64_t now) {
  if (region.empty() || name.empty()) {
    return MakeError(Errc::kValidation, "a unit needs a region and a name");
  }
  LV_TRY(CheckSigner());
  Unit u{NewRandomId(), region, name};
  LV_TRY(store_.AddUnit(u));
  dir::Statement s;
  s.kind = dir::kKindUnit;
  s.unit_id = u.unit_id;
  s.region = region;
  s.name = name;
  LV_TRY(Append(std::move(s), now));
  return u;
}

Result<User> DirectoryAdmin::AddUser(const std::string& unit_id, const std::string& role,
                                     const std::string& display_name, std::int64_t now) {
  if (!pr::IsKnownRole(role)) {
    return MakeError(Errc::kValidation,
                     "role: expected officer, supervisor, volunteer_coordinator or administrator");
  }
  if (display_name.empty()) return MakeError(Errc::kValidation, "a user needs a display name");
  LV_TRY(CheckSigner());
  User u{NewRandomId(), display_name, role, unit_id, true};
  LV_TRY(store_.AddUser(u));
  dir::Statement s;
  s.kind = dir::kKindUser;
  s.user_id = u.user_id;
  s.display_name = display_name;
  s.role = role;
  s.unit_id = unit_id;
  s.active = true;
  LV_TRY(Append(std::move(s), now));
  return u;
}

namespace {

// A real calendar day in the form YYYY-MM-DD (31.02 is refused).
bool IsCalendarDay(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(d.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(d.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(d.substr(8, 2));
  const std::tm asked = tm;
  const std::time_t t = timegm(&tm);
  std::tm back{};
  gmtime_r(&t, &back);
  return back.tm_year == asked.tm_year && back.tm_mon == asked.tm_mon &&
         back.tm_mday == asked.tm_mday;
}

}  // namespace

Result<void> DirectoryAdmin::SetCover(const std::string& user_id, const std::string& deputy_user_id,
                                      const std::string& from_day, const std::string& until_day,
                                      std::int64_t now) {
  if (!IsCalendarDay(from_day)) {
    return MakeError(Errc::kValidation,
                     "--from: expected a day YYYY-MM-DD, got '" + from_day + "'");
  }
  if (!IsCalendarDay(until_day)) {
    return MakeError(Errc::kValidation,
                     "--until: expected a day YYYY-MM-DD, got '" + until_day + "'");
  }
  if (until_day < from_day) {
    return MakeError(Errc::kValidation,
                     "the cover ends (" + until_day + ") before it starts (" + from_day + ")");
  }
  if (until_day < sync::access::ServiceDay(now)) {
    return MakeError(Errc::kValidation, "the cover ended on " + until_day + ", before today");
  }
  if (user_id == deputy_user_id) {
    return MakeError(Errc::kValidation, "an officer cannot cover for themselves");
  }
  LV_ASSIGN(User away, store_.GetUser(user_id));
  LV_ASSIGN(User deputy, store_.GetUser(deputy_user_id));
  for (const User* u : {&away, &deputy}) {
    if (u->role != pr::kRoleOfficer || !u->active) {
      return MakeError(Errc::kValidation,
                       "user " + u->user_id + " is not an active officer (" + u->role + ")");
    }
  }
  if (away.unit_id != deputy.unit_id) {
    return MakeError(Errc::kValidation, "user " + deputy_user_id + " works in unit " +
                                            deputy.unit_id + ", not in unit " + away.unit_id +
                                            " of user " + user_id);
  }
  LV_TRY(CheckSigner());
  LV_TRY(store_.SetCover(Cover{user_id, deputy_user_id, from_day, until_day}, true, now));
  dir::Statement s;
  s.kind = dir::kKindCover;
  s.user_id = user_id;
  s.deputy_user_id = deputy_user_id;
  s.from_day = from_day;
  s.until_day = until_day;
  s.active = true;
  return Append(std::move(s), now);
}

Result<void> DirectoryAdmin::EndCover(const std::string& user_id, const std::string& deputy_user_id,
                                      std::int64_t now) {
  LV_ASSIGN(std::vector<Cover> covers, store_.Covers());
  const Cover* found = nullptr;
  for (const Cover& c : covers) {
    if (c.user_id == user_id && c.deputy_user_id == deputy_user_id) found = &c;
  }
  if (found == nullptr) {
    return MakeError(Errc::kNotFound,
                     "no cover of user " + user_id + " by user " + deputy_user_id + " to end");
  }
  LV_TRY(CheckSigner());
  const Cover ended = *found;
  LV_TRY(store_.SetCover(ended, false, now));
  dir::Statement s;
  s.kind = dir::kKindCover;
  s.user_id = ended.user_id;
  s.deputy_user_id = ended.deputy_user_id;
  s.from_day = ended.from_day;
  s.until_day = ended.until_day;
  s.active = false;
  return Append(std::move(s), now);
}

namespace {

template <std::size_t N>
std::string Joined(const char* const (&codes)[N]) {
  std::string out;
  for (const char* c : codes) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

}  // namespace

Result<std::string> DirectoryAdmin::SetProgramme(dir::VerifiedDirectory::Programme p,
                                                 std::int64_t now) {
  if (p.programme_id.empty()) p.programme_id = "prog-" + NewRandomId().substr(0, 12);
  if (!dir::IsProgrammeId(p.programme_id)) {
    return MakeError(Errc::kValidation,
                     "--id: 3 to 64 characters of a-z, 0-9 and '-', got '" + p.programme_id + "'");
  }
  if (p.name.empty()) return MakeError(Errc::kValidation, "--name: a programme needs a name");
  for (const auto& [text, option] :
       {std::pair{&p.name, "--name"}, std::pair{&p.target_group, "--target-group"},
        std::pair{&p.provider_name, "--provider-name"}}) {
    if (text->size() > 200) {
      return MakeError(Errc::kValidation, std::string(option) + ": at most 200 bytes");
    }
  }
  if (!dir::IsListedCode(p.provider, dir::kProgrammeProviders)) {
    return MakeError(Errc::kValidation, "--provider: expected " + Joined(dir::kProgrammeProviders) +
                                            ", got '" + p.provider + "'");
  }
  if (!dir::IsListedCode(p.mode, dir::kProgrammeModes)) {
    return MakeError(Errc::kValidation,
                     "--mode: expected " + Joined(dir::kProgrammeModes) + ", got '" + p.mode + "'");
  }
  if (!dir::IsListedCode(p.accreditation, dir::kProgrammeAccreditations)) {
    return MakeError(Errc::kValidation, "--accreditation: expected " +
                                            Joined(dir::kProgrammeAccreditations) + ", got '" +
                                            p.accreditation + "'");
  }
  LV_TRY(CheckSigner());
  dir::Statement s;
  s.kind = dir::kKindProgramme;
  s.programme_id = p.programme_id;
  s.name = p.name;
  s.target_group = p.target_group;
  s.provider = p.provider;
  s.provider_name = p.provider_name;
  s.mode = p.mode;
  s.accreditation = p.accreditation;
  s.active = p.active;
  LV_TRY(Append(std::move(s), now));
  return p.programme_id;
}

Result<std::vector<dir::VerifiedDirectory::Programme>> DirectoryAdmin::Programmes(
    ServerStore& store) {
  LV_ASSIGN(Directory d, store.LoadDirectory());
  std::map<std::string, dir::VerifiedDirectory::Programme> by_id;
  for (const pr::SignedStatement& st : d.log) {
    auto s = dir::ParseStatement(st.text);
    if (!s || s->kind != dir::kKindProgramme) continue;
    by_id[s->programme_id] = dir::ProgrammeOf(*s);
  }
  std::vector<dir::VerifiedDirectory::Programme> out;
  for (auto& [id, p] : by_id) out.push_back(std::move(p));
  return out;
}

Result<void> DirectoryAdmin::SetUserActive(const std::string& user_id, bool active,
                                           std::int64_t now) {
  LV_TRY(CheckSigner());
  LV_ASSIGN(User u, store_.GetUser(user_id));
  LV_TRY(store_.SetUserActive(user_id, active));
  dir::Statement s;
  s.kind = dir::kKindUser;
  s.user_id = u.user_id;
  s.display_name = u.display_name;
  s.role = u.role;
  s.unit_id = u.unit_id;
  s.active = active;
  return Append(std::move(s), now);
}

Result<std::string> DirectoryAdmin::IssueEnrolmentCode(const std::string& user_id,
                                                       const std::string& server_url,
                                                       const std::string& cert_fingerprint,
                                                       std::int64_t ttl_ms, std::int64_t now) {
  LV_TRY(CheckSigner());
  if (ttl_ms <= 0) return MakeError(Errc::kValidation, "the code's lifetime must be positive");
  LV_ASSIGN(User u, store_.GetUser(user_id));
  if (!u.active) return MakeError(Errc::kValidation, "user is not active");
  pr::EnrolmentCode c;
  c.server_url = server_url;
  c.cert_fingerprint = cert_fingerprint;
  c.root_pk = pr::HexEncode(root_.root_public_key());
  std::uint8_t raw[32];
  randombytes_buf(raw, sizeof raw);
  c.secret = pr::HexEncode(raw);
  sodium_memzero(raw, sizeof raw);
  LV_ASSIGN(dir::EnrolKey key, dir::DeriveEnrolKey(c.secret));
  dir::Statement s;
  s.kind = dir::kKindEnrolment;
  s.user_id = user_id;
  s.enrol_pk = key.public_key;
  s.expires_at = now + ttl_ms;
  LV_TRY(store_.AddEnrolmentCode("pk:" + pr::HexEncode(key.public_key), user_id, s.expires_at));
  LV_TRY(Append(std::move(s), now));
  return pr::EncodeEnrolmentCode(c);
}

Result<std::string> DirectoryAdmin::EnrolCodePin(const std::string& server_url,
                                                 const std::string& cert_file) {
  std::string fingerprint;
  if (server_url.rfind("https://", 0) == 0) {
    if (cert_file.empty()) {
      return MakeError(Errc::kValidation,
                       "--server-url " + server_url +
                           ": an https:// code carries the certificate's pin; give the "
                           "server's certificate with --cert");
    }
    LV_ASSIGN(fingerprint, CertificateFingerprint(cert_file));
  } else if (!cert_file.empty()) {
    return MakeError(Errc::kValidation, "--cert: only an https:// --server-url is pinned");
  }
  LV_TRY(sync::CheckServerAddress(server_url, fingerprint));
  return fingerprint;
}

Result<void> DirectoryAdmin::RevokeDevice(const std::string& device_id, const std::string& reason,
                                          std::int64_t now) {
  LV_TRY(CheckSigner());
  LV_TRY(store_.RevokeDevice(device_id));  // its sessions end here: nothing more is stored
  LV_ASSIGN(std::int64_t stored_until, store_.MaxSeq());
  dir::Statement s;
  s.kind = dir::kKindRevoke;
  s.device_id = device_id;
  s.reason = reason;
  s.stored_until = stored_until;
  return Append(std::move(s), now);
}

Result<void> DirectoryAdmin::SetAdministrator(const pr::Bytes& admin_pk, const std::string& name,
                                              bool active, std::int64_t now) {
  if (root_.is_administrator()) {
    return MakeError(Errc::kNotPermitted,
                     "only the organisation's root key certifies or withdraws an administrator "
                     "key; this is administrator key " +
                         root_.admin_id());
  }
  if (admin_pk.size() != crypto_sign_PUBLICKEYBYTES) {
    return MakeError(Errc::kValidation, "an administrator key is a 32-byte Ed25519 public key");
  }
  if (name.empty()) return MakeError(Errc::kValidation, "an administrator key needs a name");
  dir::Statement s;
  s.kind = dir::kKindAdmin;
  s.admin_id = dir::AdminIdForKey(admin_pk);
  s.admin_pk = admin_pk;
  s.name = name;
  s.active = active;
  return Append(std::move(s), now);
}

Result<std::vector<dir::VerifiedDirectory::Admin>> DirectoryAdmin::Administrators() {
  LV_ASSIGN(Directory d, store_.LoadDirectory());
  LV_ASSIGN(dir::VerifiedDirectory v,
            dir::VerifyDirectory(root_.root_public_key(), d.log, {}, dir::KnownHead{}));
  std::vector<dir::VerifiedDirectory::Admin> out;
  for (auto& [id, a] : v.admins) out.push_back(std::move(a));
  return out;
}

}  // namespace lietvedis::server
