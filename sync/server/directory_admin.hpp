// DirectoryAdmin: the administrator's side of the root-signed directory (sync/directory.hpp).
// Each change is signed with the organisation's root key, or with an administrator key the
// root certified (then every change first checks, against the log, that the key is still
// certified: a statement it could not sign would break the log), and written twice: as a statement
// appended to the store's directory log (what every client verifies and acts on) and as the
// store's own rows (what the central store enforces: sessions, scope registration, pulls).
//
// Owner: the administrator's tool (`lietvedis-server admin ...`) and test harnesses; never
// `serve`, which must not hold the root key. The RootKey and ServerStore must outlive it.
// Threading: one thread at a time. Errors: the store's (kNotFound for an unknown unit, user or
// device; kConflict when another administrator appended the same statement number at the same
// moment and a second attempt also lost), kValidation for bad arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/result.hpp"
#include "sync/directory.hpp"
#include "sync/root_key.hpp"
#include "sync/server/server_store.hpp"

namespace lietvedis::server {

class DirectoryAdmin {
 public:
  DirectoryAdmin(ServerStore& store, const sync::RootKey& root) : store_(store), root_(root) {}

  Result<Unit> AddUnit(const std::string& region, const std::string& name, std::int64_t now);
  Result<User> AddUser(const std::string& unit_id, const std::string& role,
                       const std::string& display_name, std::int64_t now);
  // A later statement about the user (same id) with `active` changed: deactivation cuts every
  // device of the user off at the server and, once synced, at every client.
  // Covers (rule R8, docs/PROTOCOL.md "Covers"): while officer `user_id` is away, officer
  // `deputy_user_id` of the same unit holds the keys of user_id's case files and opens one by
  // break-glass from `from_day` to `until_day` (YYYY-MM-DD, inclusive). A cover for the same
  // pair replaces the earlier; EndCover ends one before its day. kValidation for days that are
  // not real days, a range that ends before it starts or is already over, users who are not
  // active officers of one unit; kNotFound for an unknown user or a cover that does not exist.
  Result<void> SetCover(const std::string& user_id, const std::string& deputy_user_id,
                        const std::string& from_day, const std::string& until_day,
                        std::int64_t now);
  Result<void> EndCover(const std::string& user_id, const std::string& deputy_user_id,
                        std::int64_t now);
  Result<std::vector<Cover>> Covers() { return store_.Covers(); }
  // The programme catalogue (docs/PROTOCOL.md "Programmes"): adds the entry, or replaces the
  // one with the same id (`active` false retires it; referrals made keep it). An empty id
  // makes a new one ("prog-" and 12 hex digits). kValidation, naming the option, for an id
  // that is not 3-64 characters of a-z, 0-9 and '-', an empty name, a text over 200 bytes and
  // a provider, mode or accreditation that is not one of sync/directory.hpp's codes. Returns
  // the programme id.
  Result<std::string> SetProgramme(sync::directory::VerifiedDirectory::Programme p,
                                   std::int64_t now);
  // The catalogue as the directory log of `store` states it (retired entries included), by id;
  // needs no key.
  static Result<std::vector<sync::directory::VerifiedDirectory::Programme>> Programmes(
      ServerStore& store);
  Result<void> SetUserActive(const std::string& user_id, bool active, std::int64_t now);
  // A one-time enrolment code for `user_id`: a fresh secret, its enrolment key signed into the
  // log, the code row for single use. Returns the code text (LV1-...) carrying the server URL,
  // the certificate pin (may be empty for a loopback http URL) and the root public key.
  Result<std::string> IssueEnrolmentCode(const std::string& user_id, const std::string& server_url,
                                         const std::string& cert_fingerprint, std::int64_t ttl_ms,
                                         std::int64_t now);
  // The certificate pin an enrolment code for `server_url` carries: the fingerprint of
  // `cert_file` for an https:// URL (which needs it), "" for a loopback http:// URL (which may
  // not have one). kValidation naming the option at fault; checked before any key is opened,
  // by `lietvedis-server admin enrol-code` and the desktop's administrator screen alike.
  static Result<std::string> EnrolCodePin(const std::string& server_url,
                                          const std::string& cert_file);
  // A lost or stolen laptop: the root-signed revocation, and the server refuses it at once.
  Result<void> RevokeDevice(const std::string& device_id, const std::string& reason,
                            std::int64_t now);
  // The root certifies an administrator key (active) or withdraws it (not active): statements
  // the key signs after a withdrawal are refused by every client. kNotPermitted when this
  // DirectoryAdmin signs with an administrator key.
  Result<void> SetAdministrator(const sync::protocol::Bytes& admin_pk, const std::string& name,
                                bool active, std::int64_t now);
  // The administrator keys the verified log names, withdrawn ones included.
  Result<std::vector<sync::directory::VerifiedDirectory::Admin>> Administrators();

 private:
  // kNotPermitted unless the signing key is the root or an administrator key the log certifies.
  Result<void> CheckSigner();
  // Numbers, chains, signs and appends `s` (n, prev, signer and issued_at are set here).
  Result<void> Append(sync::directory::Statement s, std::int64_t now);

  ServerStore& store_;
  const sync::RootKey& root_;
};

}  // namespace lietvedis::server
