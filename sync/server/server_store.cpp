// The store logic shared by both back ends: plain SQL over SqlBackend.
#include "sync/server/server_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "storage/secret.hpp"
#include "sync/access_rules.hpp"

namespace lietvedis::server {
namespace {

using storage::Value;
using Row = std::vector<Value>;
namespace pr = protocol;

std::string Text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}
std::int64_t Int(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  return 0;
}
Bytes Blob(const Value& v) {
  if (const auto* b = std::get_if<storage::Blob>(&v)) return *b;
  return {};
}

class SessionTransaction {
 public:
  explicit SessionTransaction(SqlSession& s) : s_(s) {}
  ~SessionTransaction() {
    if (open_) s_.Rollback();
  }
  Result<void> Begin(bool serialise) {
    LV_TRY(s_.Begin(serialise));
    open_ = true;
    return Ok();
  }
  Result<void> Commit() {
    open_ = false;
    return s_.Commit();
  }

 private:
  SqlSession& s_;
  bool open_ = false;
};

// The reader rule of PROTOCOL.md as an SQL condition over `scopes s`. Same rule as
// sync::access::MayRead (sync/access_rules.cpp, R1-R8): keep the two in step.
// `today`: an ISO day, for R8 (covers whose until_day is not past).
std::string ReaderPredicateSql(const User& u, const std::string& today,
                               std::vector<Value>& params) {
  if (!u.active) return "0=1";
  if (u.role == pr::kRoleAdministrator) return "s.kind = 'org'";
  if (u.role == pr::kRoleOfficer) {
    params.emplace_back(u.unit_id);
    params.emplace_back(u.user_id);
    params.emplace_back(u.unit_id);
    params.emplace_back(u.user_id);
    params.emplace_back(today);
    return "(s.kind = 'org' OR (s.kind = 'unit' AND s.unit_id = ?) OR "
           "(s.kind IN ('case','mentoring') AND s.owner_user_id = ?) OR "
           "(s.kind = 'case' AND s.unit_id = ? AND s.owner_user_id <> '' AND s.owner_user_id IN "
           "(SELECT c.user_id FROM covers c WHERE c.deputy_user_id = ? AND c.until_day >= ?)))";
  }
  if (u.role == pr::kRoleSupervisor) {
    params.emplace_back(u.unit_id);
    params.emplace_back(u.unit_id);
    return "(s.kind = 'org' OR (s.kind IN ('unit','volunteers','case','mentoring') AND "
           "s.unit_id = ?) OR (s.kind IN ('case','mentoring') AND s.transfer_unit_id = ?))";
  }
  if (u.role == pr::kRoleCoordinator) {
    params.emplace_back(u.unit_id);
    return "(s.kind = 'org' OR (s.kind IN ('volunteers','mentoring') AND s.unit_id = ?))";
  }
  return "0=1";
}

User UserFromRow(const Row& r) {
  return User{Text(r[0]), Text(r[1]), Text(r[2]), Text(r[3]), Int(r[4]) != 0};
}
Scope ScopeFromRow(const Row& r) {
  return Scope{
      Text(r[0]), Text(r[1]), Text(r[2]), Text(r[3]), static_cast<std::uint32_t>(Int(r[4])),
      Text(r[5]), Text(r[6]), Text(r[7]), ""};
}
Device DeviceFromRow(const Row& r) {
  return Device{Text(r[0]), Text(r[1]), Text(r[2]), Blob(r[3]),     Blob(r[4]),
                Int(r[5]),  Blob(r[6]), Blob(r[7]), Int(r[8]) != 0, Int(r[9])};
}

constexpr const char* kUserCols = "user_id, display_name, role, unit_id, active";
constexpr const char* kScopeCols =
    "scope, kind, unit_id, owner_user_id, key_version, transfer_unit_id, former_unit_ids,"
    " offer_unit_ids";
constexpr const char* kDeviceCols =
    "device_id, user_id, name, sign_pk, box_pk, created_at, enrol_pk, binding_sig, revoked,"
    " last_seen_at";

}  // namespace

bool CanRead(const User& u, const Scope& s) {
  return sync::access::MayRead(sync::access::PersonOf(u), sync::access::FactsOf(s));
}

std::string NewRandomId() {
  std::uint8_t raw[16];
  randombytes_buf(raw, sizeof raw);
  return pr::HexEncode(raw);
}

std::string HashSecret(std::string_view secret) {
  std::uint8_t out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return pr::HexEncode(out);
}

Result<std::unique_ptr<ServerStore>> ServerStore::Open(const std::string& spec) {
  LV_TRY(storage::EnsureSodium());
  if (spec.rfind("sqlite:", 0) == 0) {
    const std::string path = spec.substr(7);
    if (path.empty()) return MakeError(Errc::kValidation, "--store sqlite: needs a file path");
    LV_ASSIGN(auto backend, OpenSqliteBackend(path));
    return std::make_unique<ServerStore>(std::move(backend));
  }
  if (spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0) {
    LV_ASSIGN(auto backend, OpenPostgresBackend(spec));
    return std::make_unique<ServerStore>(std::move(backend));
  }
  return MakeError(Errc::kValidation,
                   "--store: expected sqlite:PATH or postgresql://... (got an unknown scheme)");
}

Result<void> ServerStore::AddUnit(const Unit& unit) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {unit.unit_id, unit.region, unit.name};
  LV_ASSIGN(auto rows, s->Query("INSERT INTO units(unit_id, region, name) VALUES (?, ?, ?) "
                                "ON CONFLICT DO NOTHING RETURNING unit_id",
                                p));
  if (rows.empty()) return MakeError(Errc::kConflict, "unit " + unit.unit_id + " exists");
  return Ok();
}

Result<void> ServerStore::AddUser(const User& user) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value pu[] = {user.unit_id};
  LV_ASSIGN(auto unit, s->Query("SELECT unit_id FROM units WHERE unit_id = ?", pu));
  if (unit.empty()) return MakeError(Errc::kNotFound, "unit " + user.unit_id + " not found");
  const Value p[] = {user.user_id, user.display_name, user.role, user.unit_id,
                     std::int64_t{user.active ? 1 : 0}};
  LV_ASSIGN(auto rows, s->Query("INSERT INTO users(user_id, display_name, role, unit_id, active) "
                                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING user_id",
                                p));
  if (rows.empty()) return MakeError(Errc::kConflict, "user " + user.user_id + " exists");
  return Ok();
}

Result<User> ServerStore::GetUser(const std::string& user_id) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {user_id};
  LV_ASSIGN(auto rows,
            s->Query(std::string("SELECT ") + kUserCols + " FROM users WHERE user_id = ?", p));
  if (rows.empty()) return MakeError(Errc::kNotFound, "user " + user_id + " not found");
  return UserFromRow(rows[0]);
}

Result<Device> ServerStore::GetDevice(const std::string& device_id) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {device_id};
  LV_ASSIGN(
      auto rows,
      s->Query(std::string("SELECT ") + kDeviceCols + " FROM devices WHERE device_id = ?", p));
  if (rows.empty()) return MakeError(Errc::kNotFound, "device " + device_id + " not found");
  return DeviceFromRow(rows[0]);
}

Result<Directory> ServerStore::LoadDirectory() {
  LV_ASSIGN(auto s, backend_->Acquire());
  Directory d;
  LV_ASSIGN(auto units, s->Query("SELECT unit_id, region, name FROM units ORDER BY unit_id", {}));
  for (const auto& r : units) d.units.push_back(Unit{Text(r[0]), Text(r[1]), Text(r[2])});
  LV_ASSIGN(auto users,
            s->Query(std::string("SELECT ") + kUserCols + " FROM users ORDER BY user_id", {}));
  for (const auto& r : users) d.users.push_back(UserFromRow(r));
  LV_ASSIGN(
      auto devices,
      s->Query(std::string("SELECT ") + kDeviceCols + " FROM devices ORDER BY device_id", {}));
  for (const auto& r : devices) d.devices.push_back(DeviceFromRow(r));
  LV_ASSIGN(auto log, s->Query("SELECT text, signature FROM directory_log ORDER BY n", {}));
  for (const auto& r : log) d.log.push_back({Text(r[0]), Blob(r[1])});
  return d;
}

Result<void> ServerStore::TouchDevice(const std::string& device_id, std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {now, device_id, now};
  LV_ASSIGN(auto rows, s->Query("UPDATE devices SET last_seen_at = ? WHERE device_id = ? AND "
                                "last_seen_at < ? RETURNING 1",
                                p));
  (void)rows;
  return Ok();
}

Result<void> ServerStore::SetUserActive(const std::string& user_id, bool active) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {std::int64_t{active ? 1 : 0}, user_id};
  LV_ASSIGN(auto rows,
            s->Query("UPDATE users SET active = ? WHERE user_id = ? RETURNING user_id", p));
  if (rows.empty()) return MakeError(Errc::kNotFound, "user " + user_id + " not found");
  return Ok();
}

Result<void> ServerStore::RevokeDevice(const std::string& device_id) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  const Value p[] = {device_id};
  LV_ASSIGN(auto rows,
            s->Query("UPDATE devices SET revoked = 1 WHERE device_id = ? RETURNING device_id", p));
  if (rows.empty()) return MakeError(Errc::kNotFound, "device " + device_id + " not found");
  LV_ASSIGN(auto gone, s->Query("DELETE FROM sessions WHERE device_id = ? RETURNING 1", p));
  (void)gone;
  LV_ASSIGN(auto gone2, s->Query("DELETE FROM challenges WHERE device_id = ? RETURNING 1", p));
  (void)gone2;
  // The wraps this device made go too. Readers refuse them once their verified directory no
  // longer lists the sender, and while one is stored its reader is not listed as lacking that
  // key version (GET /v1/keys/missing), so no other holder would wrap it again. The sender is
  // named inside the wrap (protocol::DecodeKeyWrap); revocation is rare, so all are read.
  LV_ASSIGN(auto wraps, s->Query("SELECT scope, key_version, device_id, sealed FROM key_wraps",
                                 std::span<const Value>()));
  for (const auto& r : wraps) {
    auto box = pr::DecodeKeyWrap(Blob(r[3]));
    if (!box.ok() || box->from_device != device_id) continue;
    const Value k[] = {r[0], r[1], r[2]};
    LV_ASSIGN(auto dropped, s->Query("DELETE FROM key_wraps WHERE scope = ? AND key_version = ? AND"
                                     " device_id = ? RETURNING 1",
                                     k));
    (void)dropped;
  }
  return tx.Commit();
}

Result<void> ServerStore::AppendStatement(std::int64_t n, const std::string& text,
                                          const Bytes& signature) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {n, text, signature};
  LV_ASSIGN(auto rows, s->Query("INSERT INTO directory_log(n, text, signature) VALUES (?, ?, ?) "
                                "ON CONFLICT DO NOTHING RETURNING n",
                                p));
  if (rows.empty()) {
    return MakeError(Errc::kConflict, "directory statement " + std::to_string(n) + " exists");
  }
  return Ok();
}

Result<std::pair<std::int64_t, std::string>> ServerStore::DirectoryHead() {
  LV_ASSIGN(auto s, backend_->Acquire());
  LV_ASSIGN(auto rows, s->Query("SELECT n, text FROM directory_log ORDER BY n DESC LIMIT 1", {}));
  if (rows.empty()) return std::pair<std::int64_t, std::string>{0, ""};
  return std::pair<std::int64_t, std::string>{Int(rows[0][0]), Text(rows[0][1])};
}

Result<std::vector<Device>> ServerStore::DevicesOfUsers(std::span<const std::string> user_ids) {
  LV_ASSIGN(auto s, backend_->Acquire());
  std::vector<Device> out;
  for (const auto& id : user_ids) {
    const Value p[] = {id};
    LV_ASSIGN(auto rows, s->Query(std::string("SELECT ") + kDeviceCols +
                                      " FROM devices WHERE user_id = ? ORDER BY device_id",
                                  p));
    for (const auto& r : rows) out.push_back(DeviceFromRow(r));
  }
  return out;
}

Result<void> ServerStore::AddEnrolmentCode(const std::string& code_hash, const std::string& user_id,
                                           std::int64_t expires_at) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {code_hash, user_id, expires_at};
  LV_ASSIGN(auto rows, s->Query("INSERT INTO enrolment_codes(code_hash, user_id, expires_at) "
                                "VALUES (?, ?, ?) RETURNING code_hash",
                                p));
  (void)rows;
  return Ok();
}

Result<User> ServerStore::RedeemEnrolmentCode(const std::string& code_hash, std::int64_t now,
                                              const Device& device) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  const Value p[] = {now, code_hash, now};
  LV_ASSIGN(auto rows, s->Query("UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ? AND "
                                "used_at IS NULL AND expires_at > ? RETURNING user_id",
                                p));
  if (rows.empty()) {
    return MakeError(Errc::kNotPermitted, "enrolment code unknown, already used or expired");
  }
  const std::string user_id = Text(rows[0][0]);
  const Value pu[] = {user_id};
  LV_ASSIGN(auto users,
            s->Query(std::string("SELECT ") + kUserCols + " FROM users WHERE user_id = ?", pu));
  if (users.empty() || Int(users[0][4]) == 0) {
    return MakeError(Errc::kNotPermitted, "enrolment code belongs to an inactive user");
  }
  const Value pd[] = {device.device_id, user_id,           device.name,     device.sign_pk,
                      device.box_pk,    device.created_at, device.enrol_pk, device.binding_sig};
  LV_ASSIGN(auto ins, s->Query("INSERT INTO devices(device_id, user_id, name, sign_pk, box_pk, "
                               "created_at, enrol_pk, binding_sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT DO NOTHING RETURNING device_id",
                               pd));
  if (ins.empty()) {
    return MakeError(Errc::kConflict, "device " + device.device_id + " is enrolled already");
  }
  LV_TRY(tx.Commit());
  return UserFromRow(users[0]);
}

Result<void> ServerStore::AddChallenge(const std::string& challenge_hash,
                                       const std::string& device_id, std::int64_t now,
                                       std::int64_t expires_at) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  const Value p0[] = {now};
  LV_ASSIGN(auto gone, s->Query("DELETE FROM challenges WHERE expires_at < ? RETURNING 1", p0));
  (void)gone;
  const Value p[] = {challenge_hash, device_id, expires_at};
  LV_ASSIGN(auto rows, s->Query("INSERT INTO challenges(challenge_hash, device_id, expires_at) "
                                "VALUES (?, ?, ?) RETURNING 1",
                                p));
  (void)rows;
  const Value p2[] = {device_id, device_id, std::int64_t{kMaxChallengesPerDevice}};
  LV_ASSIGN(auto dropped,
            s->Query("DELETE FROM challenges WHERE device_id = ? AND challenge_hash NOT IN "
                     "(SELECT challenge_hash FROM challenges WHERE device_id = ? "
                     "ORDER BY expires_at DESC, challenge_hash LIMIT ?) RETURNING 1",
                     p2));
  (void)dropped;
  return tx.Commit();
}

Result<void> ServerStore::ConsumeChallenge(const std::string& challenge_hash,
                                           const std::string& device_id, std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {challenge_hash, device_id};
  LV_ASSIGN(auto rows, s->Query("DELETE FROM challenges WHERE challenge_hash = ? AND "
                                "device_id = ? RETURNING expires_at",
                                p));
  if (rows.empty()) return MakeError(Errc::kNotPermitted, "unknown challenge");
  if (Int(rows[0][0]) <= now) return MakeError(Errc::kNotPermitted, "challenge expired");
  return Ok();
}

Result<void> ServerStore::AddSession(const std::string& token_hash, const std::string& device_id,
                                     std::int64_t expires_at) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p0[] = {expires_at - 7LL * 24 * 3600 * 1000};  // long-expired sessions
  LV_ASSIGN(auto gone, s->Query("DELETE FROM sessions WHERE expires_at < ? RETURNING 1", p0));
  (void)gone;
  const Value p[] = {token_hash, device_id, expires_at};
  LV_ASSIGN(auto rows, s->Query("INSERT INTO sessions(token_hash, device_id, expires_at) "
                                "VALUES (?, ?, ?) RETURNING 1",
                                p));
  (void)rows;
  return Ok();
}

Result<std::string> ServerStore::SessionDevice(const std::string& token_hash, std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {token_hash};
  LV_ASSIGN(auto rows, s->Query("SELECT s.device_id, s.expires_at FROM sessions s JOIN devices d "
                                "ON d.device_id = s.device_id WHERE s.token_hash = ? AND "
                                "d.revoked = 0",
                                p));
  if (rows.empty()) return MakeError(Errc::kNotPermitted, "unknown session");
  if (Int(rows[0][1]) <= now) return MakeError(Errc::kNotPermitted, "session expired");
  return Text(rows[0][0]);
}

Result<ServerStore::SessionIdentity> ServerStore::SessionCaller(const std::string& token_hash,
                                                                std::int64_t now,
                                                                std::string* device_id) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {token_hash};
  // d.* (kDeviceCols), u.* (kUserCols, NULL when the user is gone), the expiry, the max grant.
  LV_ASSIGN(auto rows,
            s->Query("SELECT d.device_id, d.user_id, d.name, d.sign_pk, d.box_pk, d.created_at, "
                     "d.enrol_pk, d.binding_sig, d.revoked, d.last_seen_at, u.user_id, "
                     "u.display_name, u.role, u.unit_id, u.active, s.expires_at, (SELECT "
                     "COALESCE(MAX(g.gid), 0) FROM grants g WHERE g.user_id = d.user_id) FROM "
                     "sessions s JOIN devices d ON d.device_id = s.device_id LEFT JOIN users u ON "
                     "u.user_id = d.user_id WHERE s.token_hash = ? AND d.revoked = 0",
                     p));
  if (rows.empty()) return MakeError(Errc::kNotPermitted, "unknown session");
  const Row& r = rows[0];
  if (Int(r[15]) <= now) return MakeError(Errc::kNotPermitted, "session expired");
  SessionIdentity out;
  out.device = DeviceFromRow(r);
  if (device_id != nullptr) *device_id = out.device.device_id;
  if (std::holds_alternative<std::monostate>(r[10])) {
    return MakeError(Errc::kNotFound, "user " + out.device.user_id + " not found");
  }
  out.user = UserFromRow(Row(r.begin() + 10, r.begin() + 15));
  out.max_grant = Int(r[16]);
  return out;
}

Result<Scope> ServerStore::GetScope(const std::string& scope) {
  LV_ASSIGN(auto s, backend_->Acquire());
  // The scope and, for a case, its owner's deputies today (rule R8) in one query: a row per
  // deputy, or one row with NULL. Every push asks this of each scope it writes, so it is one
  // round trip to the database, not two (the scope, then every cover of the day).
  const Value p[] = {Today(), scope};
  LV_ASSIGN(auto rows, s->Query("SELECT s.scope, s.kind, s.unit_id, s.owner_user_id, "
                                "s.key_version, s.transfer_unit_id, s.former_unit_ids, "
                                "s.offer_unit_ids, c.deputy_user_id FROM scopes s LEFT JOIN "
                                "covers c ON s.kind = 'case' AND c.user_id = s.owner_user_id AND "
                                "c.until_day >= ? WHERE s.scope = ? ORDER BY c.deputy_user_id",
                                p));
  if (rows.empty()) return MakeError(Errc::kNotFound, "scope " + scope + " not registered");
  Scope out = ScopeFromRow(rows[0]);
  for (const auto& r : rows) {
    if (std::holds_alternative<std::monostate>(r[8])) continue;
    if (!out.deputy_user_ids.empty()) out.deputy_user_ids += ',';
    out.deputy_user_ids += Text(r[8]);
  }
  return out;
}

std::string ServerStore::Today() const {
  const std::int64_t now = now_ms_ ? now_ms_()
                                   : std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
  return sync::access::ServiceDay(now);
}

Result<std::map<std::string, std::string>> ServerStore::DeputiesToday(SqlSession& s) {
  const Value p[] = {Today()};
  LV_ASSIGN(auto rows, s.Query("SELECT user_id, deputy_user_id FROM covers WHERE until_day >= ? "
                               "ORDER BY user_id, deputy_user_id",
                               p));
  std::map<std::string, std::string> out;
  for (const auto& r : rows) {
    std::string& list = out[Text(r[0])];
    list += (list.empty() ? "" : ",") + Text(r[1]);
  }
  return out;
}

void ServerStore::FillDeputies(const std::map<std::string, std::string>& deputies,
                               Scope& scope) const {
  if (scope.kind != pr::kKindCase) return;
  auto it = deputies.find(scope.owner_user_id);
  scope.deputy_user_ids = it == deputies.end() ? std::string() : it->second;
}

Result<void> ServerStore::SetCover(const Cover& cover, bool active, std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  const Value pk[] = {cover.user_id, cover.deputy_user_id};
  LV_ASSIGN(auto gone,
            s->Query("DELETE FROM covers WHERE user_id = ? AND deputy_user_id = ? RETURNING "
                     "user_id",
                     pk));
  (void)gone;
  if (active) {
    const Value p[] = {cover.user_id, cover.deputy_user_id, cover.from_day, cover.until_day};
    LV_ASSIGN(auto rows, s->Query("INSERT INTO covers(user_id, deputy_user_id, from_day, "
                                  "until_day) VALUES (?, ?, ?, ?) RETURNING user_id",
                                  p));
    (void)rows;
    // The deputy gains the officer's case scopes: their next pull backfills the history.
    const Value pg[] = {cover.deputy_user_id, now, cover.user_id};
    LV_ASSIGN(auto g, s->Query("INSERT INTO grants(user_id, scope, granted_at) SELECT ?, scope, ? "
                               "FROM scopes WHERE kind = 'case' AND owner_user_id = ? "
                               "RETURNING gid",
                               pg));
    (void)g;
  }
  return tx.Commit();
}

Result<std::vector<Cover>> ServerStore::Covers() {
  LV_ASSIGN(auto s, backend_->Acquire());
  LV_ASSIGN(auto rows, s->Query("SELECT user_id, deputy_user_id, from_day, until_day FROM covers "
                                "ORDER BY user_id, deputy_user_id",
                                {}));
  std::vector<Cover> out;
  for (const auto& r : rows) out.push_back({Text(r[0]), Text(r[1]), Text(r[2]), Text(r[3])});
  return out;
}

Result<void> ServerStore::InsertScope(const Scope& scope) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {scope.scope, scope.kind, scope.unit_id, scope.owner_user_id};
  LV_ASSIGN(auto rows, s->Query("INSERT INTO scopes(scope, kind, unit_id, owner_user_id, "
                                "key_version) VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING "
                                "RETURNING scope",
                                p));
  if (rows.empty()) return MakeError(Errc::kConflict, "scope " + scope.scope + " exists");
  return Ok();
}

Result<void> ServerStore::SetScopeOwner(const std::string& scope, const std::string& owner,
                                        std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  const Value p[] = {owner, scope};
  LV_ASSIGN(auto rows,
            s->Query("UPDATE scopes SET owner_user_id = ? WHERE scope = ? RETURNING scope", p));
  if (rows.empty()) return MakeError(Errc::kNotFound, "scope " + scope + " not registered");
  const Value pg[] = {owner, scope, now};
  LV_ASSIGN(auto g, s->Query("INSERT INTO grants(user_id, scope, granted_at) VALUES (?, ?, ?) "
                             "RETURNING gid",
                             pg));
  (void)g;
  // Whoever covers for the new owner gains the case too (R8).
  const Value pd[] = {scope, now, owner, Today()};
  LV_ASSIGN(auto d, s->Query("INSERT INTO grants(user_id, scope, granted_at) SELECT "
                             "deputy_user_id, ?, ? FROM covers WHERE user_id = ? AND until_day >= "
                             "? RETURNING gid",
                             pd));
  (void)d;
  return tx.Commit();
}

Result<bool> ServerStore::HasActiveUser(const std::string& unit_id, std::string_view role) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {unit_id, std::string(role)};
  LV_ASSIGN(auto rows, s->Query("SELECT user_id FROM users WHERE unit_id = ? AND role = ? AND "
                                "active = 1 LIMIT 1",
                                p));
  return !rows.empty();
}

Result<void> ServerStore::SetTransferOffer(const std::vector<std::string>& scopes,
                                           const std::string& to_unit, std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  for (const std::string& scope : scopes) {
    const Value p[] = {to_unit, scope};
    // An offer that ends without a move keeps its unit in offer_unit_ids (rule W6).
    LV_ASSIGN(auto rows,
              s->Query("UPDATE scopes SET offer_unit_ids = CASE WHEN transfer_unit_id = '' THEN "
                       "offer_unit_ids WHEN offer_unit_ids = '' THEN transfer_unit_id ELSE "
                       "offer_unit_ids || ',' || transfer_unit_id END, transfer_unit_id = ? WHERE "
                       "scope = ? RETURNING scope",
                       p));
    if (rows.empty()) return MakeError(Errc::kNotFound, "scope " + scope + " not registered");
    if (to_unit.empty()) continue;
    const Value pg[] = {scope, now, to_unit, std::string(pr::kRoleSupervisor)};
    LV_ASSIGN(auto g, s->Query("INSERT INTO grants(user_id, scope, granted_at) SELECT user_id, ?, "
                               "? FROM users WHERE unit_id = ? AND role = ? AND active = 1 "
                               "RETURNING gid",
                               pg));
    (void)g;
  }
  return tx.Commit();
}

Result<void> ServerStore::AcceptTransfer(const std::vector<std::string>& scopes,
                                         const std::string& owner, std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  for (const std::string& scope : scopes) {
    const Value p[] = {owner, scope};
    LV_ASSIGN(auto rows,
              s->Query("UPDATE scopes SET former_unit_ids = CASE WHEN former_unit_ids = '' THEN "
                       "unit_id ELSE former_unit_ids || ',' || unit_id END, unit_id = "
                       "transfer_unit_id, owner_user_id = ?, transfer_unit_id = '' WHERE scope = "
                       "? AND transfer_unit_id <> '' RETURNING kind, unit_id",
                       p));
    if (rows.empty()) return MakeError(Errc::kConflict, "scope " + scope + " has no open offer");
    const Value po[] = {owner, scope, now};
    LV_ASSIGN(auto g, s->Query("INSERT INTO grants(user_id, scope, granted_at) VALUES (?, ?, ?) "
                               "RETURNING gid",
                               po));
    (void)g;
    if (Text(rows[0][0]) != pr::kKindMentoring) continue;
    const Value pc[] = {scope, now, Text(rows[0][1]), std::string(pr::kRoleCoordinator)};
    LV_ASSIGN(auto c, s->Query("INSERT INTO grants(user_id, scope, granted_at) SELECT user_id, ?, "
                               "? FROM users WHERE unit_id = ? AND role = ? AND active = 1 "
                               "RETURNING gid",
                               pc));
    (void)c;
  }
  return tx.Commit();
}

Result<std::vector<Scope>> ServerStore::ReadableScopes(const User& reader) {
  LV_ASSIGN(auto s, backend_->Acquire());
  std::vector<Value> params;
  const std::string pred = ReaderPredicateSql(reader, Today(), params);
  LV_ASSIGN(auto rows, s->Query(std::string("SELECT ") + kScopeCols + " FROM scopes s WHERE " +
                                    pred + " ORDER BY scope",
                                params));
  LV_ASSIGN(auto deputies, DeputiesToday(*s));
  std::vector<Scope> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(ScopeFromRow(r));
    FillDeputies(deputies, out.back());
  }
  return out;
}

Result<std::int64_t> ServerStore::MaxGrant(const std::string& user_id) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {user_id};
  LV_ASSIGN(auto rows, s->Query("SELECT COALESCE(MAX(gid), 0) FROM grants WHERE user_id = ?", p));
  return rows.empty() ? std::int64_t{0} : Int(rows[0][0]);
}

Result<void> ServerStore::PutWraps(std::span<const StoredWrap> wraps, std::string_view own_device) {
  LV_ASSIGN(auto s, backend_->Acquire());
  SessionTransaction tx(*s);
  LV_TRY(tx.Begin(false));
  for (const auto& w : wraps) {
    const Value p[] = {w.scope, std::int64_t{w.key_version}, w.device_id, w.sealed};
    // The first wrap for a device stays, except that a device may replace the wrap it holds
    // with one it made itself (so it stays a holder when the wrap's maker is revoked).
    const bool own = !own_device.empty() && w.device_id == own_device;
    LV_ASSIGN(auto rows, s->Query(own ? "INSERT INTO key_wraps(scope, key_version, device_id, "
                                        "sealed) VALUES (?, ?, ?, ?) ON CONFLICT (scope, "
                                        "key_version, device_id) DO UPDATE SET sealed = "
                                        "excluded.sealed RETURNING 1"
                                      : "INSERT INTO key_wraps(scope, key_version, device_id, "
                                        "sealed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING "
                                        "RETURNING 1",
                                  p));
    (void)rows;
    const Value pv[] = {std::int64_t{w.key_version}, w.scope, std::int64_t{w.key_version}};
    LV_ASSIGN(auto up, s->Query("UPDATE scopes SET key_version = ? WHERE scope = ? AND "
                                "key_version < ? RETURNING 1",
                                pv));
    (void)up;
  }
  return tx.Commit();
}

Result<std::vector<StoredWrap>> ServerStore::WrapsForDevice(const std::string& device_id) {
  LV_ASSIGN(auto s, backend_->Acquire());
  const Value p[] = {device_id};
  LV_ASSIGN(auto rows, s->Query("SELECT scope, key_version, device_id, sealed FROM key_wraps "
                                "WHERE device_id = ? ORDER BY scope, key_version",
                                p));
  std::vector<StoredWrap> out;
  for (const auto& r : rows) {
    out.push_back(
        StoredWrap{Text(r[0]), static_cast<std::uint32_t>(Int(r[1])), Text(r[2]), Blob(r[3])});
  }
  return out;
}

Result<std::map<std::pair<std::string, std::uint32_t>, std::vector<std::string>>>
ServerStore::WrappedDevices(std::span<const std::pair<std::string, std::uint32_t>> keys) {
  constexpr std::size_t kScopesPerQuery = 200;
  std::map<std::pair<std::string, std::uint32_t>, std::vector<std::string>> out;
  for (const auto& k : keys) out[k];  // every key asked for has an entry, maybe empty
  // One query per 200 distinct scopes: it returns the wraps of every version of those scopes
  // (the primary key's prefix), and the versions not asked for are dropped here. A scope is
  // asked once however many of its versions are.
  std::vector<std::string> scopes;
  for (const auto& k : keys) scopes.push_back(k.first);
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  LV_ASSIGN(auto s, backend_->Acquire());
  for (std::size_t begin = 0; begin < scopes.size(); begin += kScopesPerQuery) {
    const std::size_t end = std::min(scopes.size(), begin + kScopesPerQuery);
    std::string sql = "SELECT scope, key_version, device_id FROM key_wraps WHERE scope IN (";
    std::vector<Value> params;
    params.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      sql += i == begin ? "?" : ", ?";
      params.emplace_back(scopes[i]);
    }
    sql += ")";
    LV_ASSIGN(auto rows, s->Query(sql, params));
    for (const auto& r : rows) {
      auto it = out.find({Text(r[0]), static_cast<std::uint32_t>(Int(r[1]))});
      if (it != out.end()) it->second.push_back(Text(r[2]));  // other versions are not asked
    }
  }
  return out;
}

Result<std::vector<PushOutcome>> SqlSession::AppendEnvelopes(
    std::span<const pr::Envelope> envelopes, std::int64_t now) {
  SessionTransaction tx(*this);
  LV_TRY(tx.Begin(true));
  std::vector<PushOutcome> out;
  out.reserve(envelopes.size());
  for (const auto& e : envelopes) {
    const Value p[] = {e.scope, e.batch_id,   e.author_device, std::int64_t{e.key_version},
                       e.nonce, e.ciphertext, e.signature,     e.proof,
                       now};
    LV_ASSIGN(auto rows, Query("INSERT INTO envelopes(scope, batch_id, author_device, "
                               "key_version, nonce, ciphertext, signature, proof, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (batch_id) DO "
                               "NOTHING RETURNING seq",
                               p));
    if (!rows.empty()) {
      out.push_back(PushOutcome{Int(rows[0][0]), false});
      continue;
    }
    const Value pb[] = {e.batch_id};
    LV_ASSIGN(auto dup, Query("SELECT seq, author_device FROM envelopes WHERE batch_id = ?", pb));
    if (dup.empty()) return MakeError(Errc::kInternal, "batch " + e.batch_id + " vanished");
    if (Text(dup[0][1]) != e.author_device) {
      return MakeError(Errc::kConflict, "batch " + e.batch_id + " was stored by another device");
    }
    out.push_back(PushOutcome{Int(dup[0][0]), true});
  }
  LV_TRY(tx.Commit());
  return out;
}

Result<std::vector<PushOutcome>> ServerStore::AppendEnvelopes(
    std::span<const pr::Envelope> envelopes, std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  return s->AppendEnvelopes(envelopes, now);
}

Result<PulledPage> ServerStore::Pull(const User& reader, const PullQuery& q) {
  LV_ASSIGN(auto s, backend_->Acquire());
  // The envelopes readable by `reader` with seq in (after_seq, upto), in seq order.
  auto matching = [&](const char* columns, std::int64_t upto, std::size_t limit) {
    std::vector<Value> params{q.after_seq, upto};
    std::string sql = std::string("SELECT ") + columns +
                      " FROM envelopes e JOIN scopes s ON s.scope = e.scope"
                      " WHERE e.seq > ? AND e.seq <= ? AND ";
    sql += ReaderPredicateSql(reader, Today(), params);
    if (q.only_granted) {
      sql +=
          " AND e.scope IN (SELECT g.scope FROM grants g WHERE g.user_id = ? AND g.gid > ? AND "
          "g.gid <= ?)";
      params.emplace_back(reader.user_id);
      params.emplace_back(q.grant_after);
      params.emplace_back(q.grant_upto);
    }
    sql += " ORDER BY e.seq LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(limit));
    return s->Query(sql, params);
  };
  constexpr const char* kEnvelopeCols =
      "e.seq, e.scope, e.batch_id, e.author_device, e.key_version, e.nonce, e.ciphertext, "
      "e.signature, e.created_at, e.proof";

  PulledPage page;
  std::int64_t upto = q.upto_seq;
  std::size_t limit = q.limit + 1;  // one more than the page tells whether more follow
  if (q.max_bytes > 0) {
    // Plan the page on sizes alone (length() reads no blob content in either back end), so
    // the rows beyond the byte budget are never loaded: seq and size of up to limit+1 rows.
    LV_ASSIGN(auto sizes, matching("e.seq, length(e.ciphertext)", upto, q.limit + 1));
    std::size_t take = 0, bytes = 0;
    while (take < sizes.size() && take < q.limit && bytes < q.max_bytes) {
      bytes += static_cast<std::size_t>(Int(sizes[take][1]));
      ++take;
    }
    if (take == 0) return page;
    page.more = sizes.size() > take;
    upto = Int(sizes[take - 1][0]);
    limit = take;
  }
  LV_ASSIGN(auto rows, matching(kEnvelopeCols, upto, limit));
  if (q.max_bytes == 0) {
    page.more = rows.size() > q.limit;
    if (page.more) rows.resize(q.limit);
    if (!rows.empty()) page.covered_seq = Int(rows.back()[0]);
  } else if (rows.size() == limit && Int(rows.back()[0]) < upto) {
    // Between the two queries a grant made older envelopes readable, and they took the
    // places of planned ones: the page covers only what it holds, the rest comes next.
    page.covered_seq = Int(rows.back()[0]);
    page.more = true;
  } else {
    page.covered_seq = upto;  // everything matching up to the planned end is in the page
  }
  // Moved out of the rows: a page carries megabytes of ciphertext.
  auto take_blob = [](Value& v) {
    auto* b = std::get_if<storage::Blob>(&v);
    return b != nullptr ? std::move(*b) : Bytes{};
  };
  page.envelopes.reserve(rows.size());
  for (auto& r : rows) {
    pr::Envelope e;
    e.seq = Int(r[0]);
    e.scope = Text(r[1]);
    e.batch_id = Text(r[2]);
    e.author_device = Text(r[3]);
    e.key_version = static_cast<std::uint32_t>(Int(r[4]));
    e.nonce = take_blob(r[5]);
    e.ciphertext = take_blob(r[6]);
    e.signature = take_blob(r[7]);
    e.created_at = Int(r[8]);
    e.proof = take_blob(r[9]);
    page.envelopes.push_back(std::move(e));
  }
  return page;
}

Result<std::int64_t> ServerStore::MaxSeq() {
  LV_ASSIGN(auto s, backend_->Acquire());
  LV_ASSIGN(auto rows, s->Query("SELECT COALESCE(MAX(seq), 0) FROM envelopes", {}));
  return rows.empty() ? std::int64_t{0} : Int(rows[0][0]);
}

Result<StoreCounts> ServerStore::Counts(std::int64_t now) {
  LV_ASSIGN(auto s, backend_->Acquire());
  StoreCounts c;
  auto count = [&](const char* sql, std::span<const Value> p) -> Result<std::int64_t> {
    LV_ASSIGN(auto rows, s->Query(sql, p));
    return rows.empty() ? std::int64_t{0} : Int(rows[0][0]);
  };
  LV_ASSIGN(c.units, count("SELECT COUNT(*) FROM units", {}));
  LV_ASSIGN(c.users, count("SELECT COUNT(*) FROM users", {}));
  LV_ASSIGN(c.devices, count("SELECT COUNT(*) FROM devices", {}));
  LV_ASSIGN(c.scopes, count("SELECT COUNT(*) FROM scopes", {}));
  LV_ASSIGN(c.wraps, count("SELECT COUNT(*) FROM key_wraps", {}));
  LV_ASSIGN(c.envelopes, count("SELECT COUNT(*) FROM envelopes", {}));
  const Value p[] = {now};
  LV_ASSIGN(c.sessions, count("SELECT COUNT(*) FROM sessions WHERE expires_at > ?", p));
  const Value p2[] = {now};
  LV_ASSIGN(c.open_codes, count("SELECT COUNT(*) FROM enrolment_codes WHERE used_at IS NULL AND "
                                "expires_at > ?",
                                p2));
  LV_ASSIGN(c.challenges, count("SELECT COUNT(*) FROM challenges", {}));
  return c;
}

}  // namespace lietvedis::server
