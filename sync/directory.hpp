// The organisation's directory as a root-signed log: what a client believes about units, users,
// roles and devices, without believing the central store (docs/PROTOCOL.md "Directory").
//
// Trust comes from one key the central store never holds: the organisation's root (Ed25519),
// created by the first administrator and kept in a passphrase-protected file
// (sync/root_key.hpp). Its public key travels in every enrolment code, so each device pins it
// when it enrols.
//
//  - Statements. Every directory fact is a statement in an append-only log, numbered 1, 2, 3...
//    and chained (each names the BLAKE2b-256 of the previous statement's text). The root signs
//    the exact JSON text: "lietvedis-directory-v1" || text. Kinds: `unit`, `user` (role, unit,
//    active; a later statement about the same user replaces the earlier), `enrolment` (a user
//    may enrol one device with the enrolment key derived from a one-time secret), `revoke`
//    (a device is cut off for good), `admin` (the root certifies, or withdraws, a day-to-day
//    administrator key), `cover` (a deputy for an absent officer), `programme` (an entry of the
//    service's resocialisation programme catalogue; a later statement about the same
//    programme replaces the earlier, `active` false retires it).
//  - Administrator keys. So that the root key can stay in the safe, the root certifies
//    administrator keys (Ed25519) with `admin` statements; every other statement may then be
//    signed by a certified administrator key instead of the root, and names it in `signer`
//    (absent: the root). Only the root certifies or withdraws an administrator key. A
//    statement signed by a key that is not certified at that point of the log, or withdrawn
//    before it, breaks the log there like any other bad signature.
//  - Devices. A device is not a statement: it proves itself. The enrolment code's secret gives
//    an Ed25519 key pair (DeriveEnrolKey); the root's `enrolment` statement names its public key
//    and the user; the new device signs its own keys and id with it (BindingSignedBytes). The
//    server sees only the public enrolment key, so it can neither make a device nor move one
//    to another user. An enrolment binds one device: two bindings of one enrolment are both
//    refused.
//  - Verification (VerifyDirectory) is the client's: signatures, numbering and chain from
//    statement 1; the head it saw before must still be in the log (no rollback, no fork); then
//    it folds the statements into units, users and devices. A statement that fails ends the
//    log there: what comes before it still holds (it was signed), what follows is refused and
//    reported in plain words, so a lie about one user does not stop every sync.
//
// Threading: pure functions, any thread. Errors: kTampered for a log that is not the root's
// (bad signature, a gap, a broken chain, a rollback below the known head); kProtocol for a
// statement that verifies but cannot be read.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"
#include "storage/secret.hpp"
#include "sync/protocol.hpp"

namespace lietvedis::sync::directory {

using protocol::Bytes;

inline constexpr std::string_view kStatementPrefix = "lietvedis-directory-v1";
inline constexpr std::string_view kBindingPrefix = "lietvedis-device-v1";
inline constexpr std::string_view kEnrolKeyContext = "lietvedis-enrol-v1";

inline constexpr const char* kKindUnit = "unit";
inline constexpr const char* kKindUser = "user";
inline constexpr const char* kKindEnrolment = "enrolment";
inline constexpr const char* kKindRevoke = "revoke";
inline constexpr const char* kKindAdmin = "admin";
inline constexpr const char* kKindCover = "cover";
inline constexpr const char* kKindProgramme = "programme";

// The codes a programme statement's fields take: the client's ProgrammeProvider,
// ProgrammeMode and Accreditation (client/model.hpp; a client test checks both lists agree).
inline constexpr const char* kProgrammeProviders[] = {"vpd", "ievp", "ngo", "other"};
inline constexpr const char* kProgrammeModes[] = {"in_person", "e_environment", "blended"};
inline constexpr const char* kProgrammeAccreditations[] = {"accredited", "not_accredited", "pilot"};
// Whether `code` is one of `codes` (the lists above).
template <std::size_t N>
bool IsListedCode(std::string_view code, const char* const (&codes)[N]) {
  for (const char* c : codes) {
    if (code == c) return true;
  }
  return false;
}
// A programme id: 3 to 64 characters of a-z, 0-9 and '-' (the catalogue's own ids read
// "prog-equip"; the administrator's tool makes "prog-" and 12 hex digits for a new one).
bool IsProgrammeId(std::string_view id);

// One statement, parsed. Which fields are set depends on `kind`.
struct Statement {
  std::int64_t n = 0;  // position in the log, from 1
  std::string prev;    // StatementHash of statement n-1; "" for n = 1
  std::string kind;    // kKind*
  std::int64_t issued_at = 0;
  // Who signed: "" for the root, else the admin_id of an administrator key the root certified.
  std::string signer;
  std::string unit_id, region, name;        // unit
  std::string user_id, display_name, role;  // user (unit_id too); enrolment (user_id)
  bool active = true;                       // user
  Bytes enrol_pk;                           // enrolment
  std::int64_t expires_at = 0;              // enrolment
  std::string device_id, reason;            // revoke
  // revoke: the highest envelope sequence the central store held when the device was cut off
  // (its sessions end first). Its pushes stored up to there stay readable, later ones are
  // refused; 0 (and revocations written before this field) = none of its pushes is accepted.
  std::int64_t stored_until = 0;
  // admin: the key the root certifies (admin_id = AdminIdForKey(admin_pk)), its holder's name
  // and `active` (false withdraws it: statements it signs after this one are refused).
  std::string admin_id;
  Bytes admin_pk;
  // cover: while officer `user_id` is away, officer `deputy_user_id` of the same unit covers
  // for them from `from_day` to `until_day` (ISO days, inclusive); `active` false ends it early.
  // A later cover statement for the same pair replaces the earlier.
  std::string deputy_user_id, from_day, until_day;
  // programme: the catalogue entry `programme_id` (name above; target_group and provider_name
  // may be empty; provider, mode and accreditation are codes of the lists above); `active`
  // false retires it (a referral already made keeps it).
  std::string programme_id, target_group, provider, provider_name, mode, accreditation;
};

// The statement's canonical text (JSON with sorted keys): what the root signs.
std::string StatementText(const Statement& s);
// Parses a statement text (kProtocol when a field is missing or of the wrong type).
Result<Statement> ParseStatement(std::string_view text);
// Hex BLAKE2b-256 of a statement text: the next statement's `prev`.
std::string StatementHash(std::string_view text);
Bytes StatementSignedBytes(std::string_view text);

// A device's id is derived from its signing key, so the binding names it and nobody can give
// the same id to other keys: 32 lowercase hex characters of BLAKE2b-128(sign_pk).
std::string DeviceIdForKey(std::span<const std::uint8_t> sign_pk);
// An administrator key's id, derived the same way from its public key.
std::string AdminIdForKey(std::span<const std::uint8_t> admin_pk);
// "lietvedis-device-v1" || each u32le-length-prefixed: device_id, enrol_pk, sign_pk, box_pk.
// The user is not in it: the enrolment key names exactly one root-signed enrolment, and that
// statement names the user.
Bytes BindingSignedBytes(std::string_view device_id, std::span<const std::uint8_t> enrol_pk,
                         std::span<const std::uint8_t> sign_pk,
                         std::span<const std::uint8_t> box_pk);

// The enrolment key pair from a code's secret (64 hex characters): the Ed25519 key pair whose
// seed is BLAKE2b-256 keyed with "lietvedis-enrol-v1" over the secret's bytes.
struct EnrolKey {
  Bytes public_key;
  storage::SecretBytes secret_key;  // 64 bytes (libsodium's Ed25519 secret key)
};
Result<EnrolKey> DeriveEnrolKey(std::string_view secret_hex);
// The binding signature of a new device (see BindingSignedBytes).
Result<Bytes> SignBinding(const EnrolKey& key, std::string_view device_id,
                          std::span<const std::uint8_t> sign_pk,
                          std::span<const std::uint8_t> box_pk);

// What a client acts on, folded from a verified log.
struct VerifiedDirectory {
  struct Unit {
    std::string unit_id, region, name;
  };
  struct User {
    std::string user_id, display_name, role, unit_id;
    bool active = true;
  };
  struct Device {
    std::string device_id, user_id;
    Bytes sign_pk, box_pk;
  };
  std::map<std::string, Unit> units;
  std::map<std::string, User> users;
  std::map<std::string, Device> devices;  // bound and not revoked
  std::set<std::string> revoked;          // device ids the root revoked
  // Revoked devices that were bound, with the revocation's stored_until: readers still accept
  // what they pushed before it (Statement::stored_until), and nothing else from them.
  struct Retired {
    Device device;
    std::int64_t stored_until = 0;
  };
  std::map<std::string, Retired> retired;
  // Administrator keys the root certified, withdrawn ones included (active = false).
  struct Admin {
    std::string admin_id, name;
    Bytes admin_pk;
    bool active = true;
  };
  std::map<std::string, Admin> admins;
  // Covers the organisation recorded and has not ended, keyed by (user_id, deputy_user_id).
  // Whether one holds on a given day, and whether the two are still officers of one unit, is
  // the reader's check (access::MayRead, rule R8).
  struct Cover {
    std::string user_id, deputy_user_id, from_day, until_day;
  };
  std::map<std::pair<std::string, std::string>, Cover> covers;
  // The programme catalogue as the organisation stated it, retired entries included
  // (active = false), by programme_id.
  struct Programme {
    std::string programme_id, name, target_group, provider, provider_name, mode, accreditation;
    bool active = true;
  };
  std::map<std::string, Programme> programmes;
  std::int64_t head_n = 0;  // the last statement accepted
  std::string head_hash;    // its StatementHash
  // Plain words for each thing refused (a statement that breaks the log, a device whose
  // binding does not verify); empty when everything the server sent verified.
  std::vector<std::string> refused;
};

// The catalogue entry a `programme` statement states.
VerifiedDirectory::Programme ProgrammeOf(const Statement& s);

// The head a device saw before (stored locally); {0, ""} for a new device.
struct KnownHead {
  std::int64_t n = 0;
  std::string hash;
};

// Verifies `log` (statements in order) with `root_pk` and folds it, with the devices whose
// binding verifies. Fails (kTampered) only when the log does not reach `known` with the same
// statement there: a rollback or a fork. A broken statement after that ends the log; see above.
Result<VerifiedDirectory> VerifyDirectory(std::span<const std::uint8_t> root_pk,
                                          std::span<const protocol::SignedStatement> log,
                                          std::span<const protocol::DirectoryDevice> devices,
                                          const KnownHead& known);

// Whether `st` is signed by the root or by an administrator key active in `admins` (as folded
// from a verified log). For a statement met outside the log (a revocation shown at sign-in).
bool SignedByOrganisation(std::span<const std::uint8_t> root_pk,
                          const std::map<std::string, VerifiedDirectory::Admin>& admins,
                          const protocol::SignedStatement& st);

}  // namespace lietvedis::sync::directory
