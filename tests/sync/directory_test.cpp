// The root-signed directory (sync/directory.hpp) and the root key file (sync/root_key.hpp):
// what a client believes, and every way a central store could try to make it believe more.
#include "sync/directory.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>

#include "sync/root_key.hpp"
#include "tests/support/temp_dir.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
namespace dir = lietvedis::sync::directory;
namespace pr = lietvedis::sync::protocol;

namespace {

// A log written as the administrator's tool writes it (server/directory_admin.cpp).
struct Log {
  RootKey root = std::move(RootKey::Generate()).value();
  std::vector<pr::SignedStatement> entries;
  std::vector<pr::DirectoryDevice> devices;

  // Signed by `key` (the root when null); an administrator key names itself as the signer.
  const pr::SignedStatement& Append(dir::Statement s, const RootKey* key = nullptr) {
    if (key == nullptr) key = &root;
    s.n = static_cast<std::int64_t>(entries.size()) + 1;
    s.prev = entries.empty() ? std::string() : dir::StatementHash(entries.back().text);
    s.issued_at = 1'700'000'000'000;
    if (key->is_administrator()) s.signer = key->admin_id();
    const std::string text = dir::StatementText(s);
    entries.push_back({text, std::move(key->SignStatement(text)).value()});
    return entries.back();
  }
  // The root certifies (or withdraws) an administrator key.
  void Admin(const RootKey& admin, bool active = true, const RootKey* signer = nullptr) {
    dir::Statement s;
    s.kind = dir::kKindAdmin;
    s.admin_id = admin.admin_id();
    s.admin_pk = admin.public_key();
    s.name = "Jānis Ozoliņš";
    s.active = active;
    Append(s, signer);
  }
  dir::Statement UserStatement(const std::string& id, const std::string& role) {
    dir::Statement s;
    s.kind = dir::kKindUser;
    s.user_id = id;
    s.display_name = "Anna Bērziņa";
    s.role = role;
    s.unit_id = "u1";
    return s;
  }
  void Unit(const std::string& id) {
    dir::Statement s;
    s.kind = dir::kKindUnit;
    s.unit_id = id;
    s.region = "Kurzeme";
    s.name = "Liepāja";
    Append(s);
  }
  void User(const std::string& id, const std::string& role, bool active = true) {
    dir::Statement s;
    s.kind = dir::kKindUser;
    s.user_id = id;
    s.display_name = "Anna Bērziņa";
    s.role = role;
    s.unit_id = "u1";
    s.active = active;
    Append(s);
  }
  // An enrolment for `user` and the device that redeems it; returns the device id.
  std::string EnrolDevice(const std::string& user) {
    std::uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    auto key = dir::DeriveEnrolKey(pr::HexEncode(raw));
    REQUIRE(key.ok());
    dir::Statement s;
    s.kind = dir::kKindEnrolment;
    s.user_id = user;
    s.enrol_pk = key->public_key;
    s.expires_at = 1'800'000'000'000;
    Append(s);
    pr::DirectoryDevice d;
    d.sign_pk.resize(crypto_sign_PUBLICKEYBYTES);
    pr::Bytes sk(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(d.sign_pk.data(), sk.data());
    d.box_pk.resize(crypto_box_PUBLICKEYBYTES);
    pr::Bytes bsk(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(d.box_pk.data(), bsk.data());
    d.device_id = dir::DeviceIdForKey(d.sign_pk);
    d.user_id = user;
    d.enrol_pk = key->public_key;
    d.binding_sig = std::move(dir::SignBinding(*key, d.device_id, d.sign_pk, d.box_pk)).value();
    devices.push_back(d);
    return d.device_id;
  }
  Result<dir::VerifiedDirectory> Verify(dir::KnownHead known = {}) const {
    return dir::VerifyDirectory(root.public_key(), entries, devices, known);
  }
};

// Rewrites statement `i` (0-based) with `edit` applied to its JSON text, keeping its signature:
// what a server that edits its own table does.
void EditText(Log& log, std::size_t i, const std::string& from, const std::string& to) {
  std::string& text = log.entries[i].text;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

bool Mentions(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("directory: a log the root signed is believed, statement by statement",
          "[sync][directory]") {
  Log log;
  log.Unit("u1");
  log.User("officer1", "officer");
  log.User("sup1", "supervisor");
  const std::string dev = log.EnrolDevice("officer1");
  auto v = log.Verify();
  REQUIRE(v.ok());
  CHECK(v->refused.empty());
  CHECK(v->units.count("u1") == 1);
  REQUIRE(v->users.count("officer1") == 1);
  CHECK(v->users.at("officer1").role == "officer");
  CHECK(v->users.at("officer1").display_name == "Anna Bērziņa");
  REQUIRE(v->devices.count(dev) == 1);
  CHECK(v->devices.at(dev).user_id == "officer1");
  CHECK(v->head_n == 4);
  CHECK(v->head_hash == dir::StatementHash(log.entries.back().text));

  SECTION("a later statement about a user replaces the earlier (deactivation)") {
    log.User("officer1", "officer", false);
    auto w = log.Verify({v->head_n, v->head_hash});
    REQUIRE(w.ok());
    CHECK_FALSE(w->users.at("officer1").active);
  }
  SECTION("a revoked device is no longer a device") {
    dir::Statement s;
    s.kind = dir::kKindRevoke;
    s.device_id = dev;
    s.reason = "stolen laptop";
    log.Append(s);
    auto w = log.Verify();
    REQUIRE(w.ok());
    CHECK(w->devices.count(dev) == 0);
    CHECK(w->revoked.count(dev) == 1);
    // Retired, without a stored_until: none of its pushes counts.
    REQUIRE(w->retired.count(dev) == 1);
    CHECK(w->retired.at(dev).stored_until == 0);
    CHECK(w->retired.at(dev).device.user_id == "officer1");
  }
  SECTION("a revocation names how far the device's pushes count; a second cannot widen it") {
    dir::Statement s;
    s.kind = dir::kKindRevoke;
    s.device_id = dev;
    s.reason = "stolen laptop";
    s.stored_until = 41;
    log.Append(s);
    s.stored_until = 9000;
    log.Append(s);
    auto w = log.Verify();
    REQUIRE(w.ok());
    CHECK(w->devices.count(dev) == 0);
    REQUIRE(w->retired.count(dev) == 1);
    CHECK(w->retired.at(dev).stored_until == 41);
    // The field survives the signed text; a negative one is not a statement.
    auto parsed = dir::ParseStatement(log.entries[log.entries.size() - 2].text);
    REQUIRE(parsed.ok());
    CHECK(parsed->stored_until == 41);
    std::string text = log.entries.back().text;
    text.replace(text.find("9000"), 4, "-900");
    CHECK_FALSE(dir::ParseStatement(text).ok());
  }
}

TEST_CASE("directory: covers the organisation records, replaces and ends", "[sync][directory]") {
  Log log;
  log.Unit("u1");
  log.User("o1", "officer");
  log.User("o2", "officer");
  auto cover = [&](const std::string& from, const std::string& until, bool active) {
    dir::Statement s;
    s.kind = dir::kKindCover;
    s.user_id = "o1";
    s.deputy_user_id = "o2";
    s.from_day = from;
    s.until_day = until;
    s.active = active;
    return s;
  };
  log.Append(cover("2026-12-14", "2026-12-28", true));
  auto v = log.Verify();
  REQUIRE(v.ok());
  CHECK(v->refused.empty());
  REQUIRE(v->covers.size() == 1);
  const auto& c = v->covers.begin()->second;
  CHECK(c.user_id == "o1");
  CHECK(c.deputy_user_id == "o2");
  CHECK(c.from_day == "2026-12-14");
  CHECK(c.until_day == "2026-12-28");

  SECTION("a later statement for the pair replaces it; an ending one removes it") {
    log.Append(cover("2026-12-14", "2027-01-04", true));
    auto w = log.Verify();
    REQUIRE(w.ok());
    REQUIRE(w->covers.size() == 1);
    CHECK(w->covers.begin()->second.until_day == "2027-01-04");
    log.Append(cover("2026-12-14", "2027-01-04", false));
    w = log.Verify();
    REQUIRE(w.ok());
    CHECK(w->covers.empty());
  }
  SECTION("a cover a server edits breaks the log there; malformed covers are not statements") {
    EditText(log, 3, "2026-12-28", "2027-12-28");
    auto w = log.Verify();
    REQUIRE(w.ok());
    CHECK(w->covers.empty());
    CHECK(Mentions(w->refused, "statement 4"));
    for (const auto& [from, until] :
         std::vector<std::pair<std::string, std::string>>{{"14.12.2026", "2026-12-28"},
                                                          {"2026-12-14", "2026-13-01"},
                                                          {"2026-12-28", "2026-12-14"}}) {
      dir::Statement s = cover(from, until, true);
      s.n = 9;
      s.issued_at = 1;
      CHECK_FALSE(dir::ParseStatement(dir::StatementText(s)).ok());
    }
    dir::Statement self = cover("2026-12-14", "2026-12-28", true);
    self.deputy_user_id = "o1";
    self.n = 9;
    CHECK_FALSE(dir::ParseStatement(dir::StatementText(self)).ok());
  }
}

TEST_CASE("directory: the programme catalogue the organisation states, replaces and retires",
          "[sync][directory]") {
  Log log;
  log.Unit("u1");
  auto programme = [](const std::string& id, const std::string& name, bool active) {
    dir::Statement s;
    s.kind = dir::kKindProgramme;
    s.programme_id = id;
    s.name = name;
    s.target_group = "";  // may be empty, as may the provider's name
    s.provider = "ngo";
    s.provider_name = "Biedrība “Līdzās”";
    s.mode = "blended";
    s.accreditation = "pilot";
    s.active = active;
    return s;
  };
  log.Append(programme("prog-ieradumi", "Ieradumu maiņa", true));
  log.Append(programme("prog-equip", "EQUIP (jaunā redakcija)", true));
  auto v = log.Verify();
  REQUIRE(v.ok());
  CHECK(v->refused.empty());
  REQUIRE(v->programmes.size() == 2);
  const auto& p = v->programmes.at("prog-ieradumi");
  CHECK(p.name == "Ieradumu maiņa");
  CHECK(p.target_group.empty());
  CHECK(p.provider == "ngo");
  CHECK(p.provider_name == "Biedrība “Līdzās”");
  CHECK(p.mode == "blended");
  CHECK(p.accreditation == "pilot");
  CHECK(p.active);

  SECTION("a later statement replaces the entry; retiring keeps it, inactive") {
    log.Append(programme("prog-ieradumi", "Ieradumu maiņa II", true));
    log.Append(programme("prog-equip", "EQUIP (jaunā redakcija)", false));
    auto w = log.Verify();
    REQUIRE(w.ok());
    REQUIRE(w->programmes.size() == 2);
    CHECK(w->programmes.at("prog-ieradumi").name == "Ieradumu maiņa II");
    CHECK_FALSE(w->programmes.at("prog-equip").active);
  }
  SECTION("an entry a server edits breaks the log there; malformed entries are not statements") {
    EditText(log, 1, "Ieradumu", "Ieradumu un");
    auto w = log.Verify();
    REQUIRE(w.ok());
    CHECK(w->programmes.empty());
    CHECK(Mentions(w->refused, "statement 2"));
    for (const auto& edit : std::vector<std::function<void(dir::Statement&)>>{
             [](dir::Statement& s) { s.programme_id = "Prog Ieradumi"; },
             [](dir::Statement& s) { s.programme_id = "pr"; },
             [](dir::Statement& s) { s.name = ""; }, [](dir::Statement& s) { s.provider = "vpd "; },
             [](dir::Statement& s) { s.mode = "online"; },
             [](dir::Statement& s) { s.accreditation = "yes"; },
             [](dir::Statement& s) { s.name = std::string(201, 'a'); }}) {
      dir::Statement bad = programme("prog-x", "X", true);
      edit(bad);
      bad.n = 9;
      bad.issued_at = 1;
      CHECK_FALSE(dir::ParseStatement(dir::StatementText(bad)).ok());
    }
    // Without a field at all.
    dir::Statement whole = programme("prog-x", "X", true);
    whole.n = 9;
    std::string text = dir::StatementText(whole);
    const auto at = text.find("\"mode\":\"blended\",");
    REQUIRE(at != std::string::npos);
    text.erase(at, std::string("\"mode\":\"blended\",").size());
    CHECK_FALSE(dir::ParseStatement(text).ok());
  }
}

TEST_CASE("directory: what a central store cannot make a client believe", "[sync][directory]") {
  Log log;
  log.Unit("u1");
  log.User("officer1", "officer");
  const std::string dev = log.EnrolDevice("officer1");
  log.User("sup1", "supervisor");
  const auto good = log.Verify();
  REQUIRE(good.ok());
  const dir::KnownHead head{good->head_n, good->head_hash};

  SECTION("a role changed in a statement: it and what follows are refused, the rest holds") {
    EditText(log, 1, "\"role\":\"officer\"", "\"role\":\"supervisor\"");
    auto v = log.Verify();
    REQUIRE(v.ok());
    CHECK(v->users.empty());  // statement 2 and after are gone; nobody is made a supervisor
    CHECK(v->units.count("u1") == 1);
    CHECK(v->head_n == 1);
    CHECK(Mentions(v->refused, "statement 2 is not signed by the organisation's root key"));
  }
  SECTION("a supervisor added without the root: a statement signed by another key") {
    Log other;
    dir::Statement s;
    s.kind = dir::kKindUser;
    s.n = 5;
    s.prev = dir::StatementHash(log.entries.back().text);
    s.user_id = "intruder";
    s.display_name = "X";
    s.role = "supervisor";
    s.unit_id = "u1";
    const std::string text = dir::StatementText(s);
    log.entries.push_back({text, std::move(other.root.SignStatement(text)).value()});
    auto v = log.Verify(head);
    REQUIRE(v.ok());
    CHECK(v->users.count("intruder") == 0);
    CHECK(v->head_n == 4);
    CHECK(Mentions(v->refused, "statement 5 is not signed"));
  }
  SECTION("a statement dropped from the middle: a gap") {
    log.entries.erase(log.entries.begin() + 1);
    auto v = log.Verify();
    REQUIRE(v.ok());
    CHECK(v->head_n == 1);
    CHECK(Mentions(v->refused, "out of order"));
  }
  SECTION("a rollback below the head this device saw is tampering") {
    log.entries.pop_back();
    auto v = log.Verify(head);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code == Errc::kTampered);
    CHECK(v.error().message.find("before statement 4") != std::string::npos);
  }
  SECTION("a fork (another statement 4, also root-signed) is tampering") {
    log.entries.pop_back();
    log.User("sup1", "officer");  // a different statement 4
    auto v = log.Verify(head);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code == Errc::kTampered);
    CHECK(v.error().message.find("replaced") != std::string::npos);
  }
  SECTION("a device the server made up (no binding, or a binding of its own)") {
    pr::DirectoryDevice fake = log.devices[0];
    fake.sign_pk[0] ^= 1;
    fake.device_id = dir::DeviceIdForKey(fake.sign_pk);
    log.devices.push_back(fake);  // same enrolment twice: both refused
    auto v = log.Verify();
    REQUIRE(v.ok());
    CHECK(v->devices.empty());
    CHECK(Mentions(v->refused, "shares its enrolment"));
    log.devices.pop_back();
    pr::DirectoryDevice unbound = log.devices[0];
    unbound.binding_sig.clear();
    unbound.device_id = "f00d";
    log.devices.push_back(unbound);
    auto w = log.Verify();
    REQUIRE(w.ok());
    CHECK(w->devices.count(dev) == 1);
    CHECK(w->devices.count("f00d") == 0);
    CHECK(Mentions(w->refused, "device f00d has no enrolment binding"));
  }
  SECTION("a device moved to another user, or given another box key") {
    log.devices[0].user_id = "sup1";
    auto v = log.Verify();
    REQUIRE(v.ok());
    CHECK(v->devices.empty());
    log.devices[0].user_id = "officer1";
    log.devices[0].box_pk[3] ^= 0x10;  // the server's key, to receive wraps meant for the device
    auto w = log.Verify();
    REQUIRE(w.ok());
    CHECK(w->devices.empty());
    CHECK(Mentions(w->refused, "is not bound to its enrolment"));
  }
  SECTION("a device bound to an enrolment the root never signed") {
    Log other;
    other.Unit("u1");
    other.EnrolDevice("officer1");
    log.devices.push_back(other.devices[0]);
    auto v = log.Verify();
    REQUIRE(v.ok());
    CHECK(v->devices.size() == 1);
    CHECK(Mentions(v->refused, "names an enrolment the organisation did not sign"));
  }
  SECTION("a statement that verifies under another root is refused from the first") {
    Log other;
    auto v = dir::VerifyDirectory(other.root.public_key(), log.entries, log.devices, {});
    REQUIRE(v.ok());
    CHECK(v->head_n == 0);
    CHECK(v->devices.empty());
  }
}

TEST_CASE("root key file: passphrase, 0600, and tampering refused before Argon2id",
          "[sync][directory][crypto]") {
  testing::TempDir tmp;
  const std::string path = tmp / "root.key";
  auto key = RootKey::Generate();
  REQUIRE(key.ok());
  REQUIRE(key->Save(path, "a good root passphrase", true).ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(key->Save(path, "a good root passphrase", true).error().code == Errc::kConflict);
  CHECK(key->Save(tmp / "short.key", "short", true).error().code == Errc::kValidation);

  auto opened = RootKey::Open(path, "a good root passphrase");
  REQUIRE(opened.ok());
  CHECK(opened->public_key() == key->public_key());
  const std::string text = "{\"n\":1}";
  auto sig = opened->SignStatement(text);
  REQUIRE(sig.ok());
  const pr::Bytes msg = dir::StatementSignedBytes(text);
  CHECK(crypto_sign_verify_detached(sig->data(), msg.data(), msg.size(),
                                    key->public_key().data()) == 0);

  CHECK(RootKey::Open(path, "not the passphrase").error().code == Errc::kWrongPassphrase);
  CHECK(RootKey::Open(tmp / "missing.key", "x").error().code == Errc::kNotFound);

  auto bytes = [&] {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  auto write = [&](const std::string& name, const std::string& content) {
    std::ofstream(tmp / name, std::ios::binary) << content;
    return std::string(tmp / name);
  };
  SECTION("absurd Argon2id limits fail fast, without hashing") {
    std::string evil = bytes;
    for (int i = 8; i < 24; ++i) evil[i] = static_cast<char>(0xff);  // 2^64-1 ops and bytes
    const auto start = std::chrono::steady_clock::now();
    auto r = RootKey::Open(write("evil.key", evil), "a good root passphrase");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kTampered);
    CHECK(ms < 50);
  }
  SECTION("another public key in the header does not open") {
    std::string evil = bytes;
    evil[40] = static_cast<char>(evil[40] ^ 1);
    auto r = RootKey::Open(write("pk.key", evil), "a good root passphrase");
    REQUIRE_FALSE(r.ok());  // the header is the AEAD's associated data
    CHECK(r.error().code == Errc::kWrongPassphrase);
  }
  SECTION("a file that is not a root key") {
    CHECK(RootKey::Open(write("short.key", bytes.substr(0, 100)), "x").error().code ==
          Errc::kNotAStore);
  }
}

TEST_CASE("directory: administrator keys the root certifies sign for it, and only while certified",
          "[sync][directory]") {
  Log log;
  log.Unit("u1");
  RootKey admin = std::move(RootKey::GenerateAdministrator(log.root.public_key())).value();
  RootKey other = std::move(RootKey::GenerateAdministrator(log.root.public_key())).value();
  REQUIRE(admin.is_administrator());
  CHECK(admin.root_public_key() == log.root.public_key());
  log.Admin(admin);
  log.Append(log.UserStatement("o1", "officer"), &admin);
  const std::string device = log.EnrolDevice("o1");  // the root's, beside the admin's

  auto v = log.Verify();
  REQUIRE(v.ok());
  CHECK(v->refused.empty());
  CHECK(v->users.count("o1") == 1);
  CHECK(v->devices.count(device) == 1);
  REQUIRE(v->admins.count(admin.admin_id()) == 1);
  CHECK(v->admins.at(admin.admin_id()).active);
  CHECK(log.entries[2].text.find("\"signer\":\"" + admin.admin_id() + "\"") != std::string::npos);
  CHECK(log.entries[1].text.find("signer") == std::string::npos);  // the root's carry none

  SECTION("an administrator key cannot certify another, nor itself") {
    log.Admin(other, true, &admin);
    log.Append(log.UserStatement("o2", "officer"), &other);
    auto r = log.Verify();
    REQUIRE(r.ok());
    CHECK(Mentions(r->refused,
                   "certifies an administrator key but is signed by administrator "
                   "key " +
                       admin.admin_id() + ", not by the root"));
    CHECK(r->admins.count(other.admin_id()) == 0);
    CHECK(r->users.count("o2") == 0);
  }
  SECTION("a key the root never certified") {
    log.Append(log.UserStatement("o2", "supervisor"), &other);
    auto r = log.Verify();
    REQUIRE(r.ok());
    CHECK(Mentions(r->refused, "signed by administrator key " + other.admin_id() +
                                   ", which the root has not certified or has withdrawn"));
    CHECK(r->users.count("o2") == 0);
  }
  SECTION("after the root withdraws a key, what it signs is refused") {
    log.Admin(admin, false);
    log.Append(log.UserStatement("o1", "supervisor"), &admin);
    auto r = log.Verify();
    REQUIRE(r.ok());
    CHECK(Mentions(r->refused, "which the root has not certified or has withdrawn"));
    CHECK(r->users.at("o1").role == "officer");  // signed before the withdrawal: still holds
    CHECK_FALSE(r->admins.at(admin.admin_id()).active);
  }
  SECTION("a central store cannot move a statement between the root and an administrator") {
    // The root's statement relabelled as the administrator's, and the other way round: the
    // signer is inside the signed text.
    Log other_log;
    other_log.Unit("u1");
    RootKey a2 = std::move(RootKey::GenerateAdministrator(other_log.root.public_key())).value();
    other_log.Admin(a2);
    other_log.Append(other_log.UserStatement("o1", "officer"));
    EditText(other_log, 2, "\"prev\"", "\"signer\":\"" + a2.admin_id() + "\",\"prev\"");
    auto r = other_log.Verify();
    REQUIRE(r.ok());
    CHECK(Mentions(r->refused, "is not signed by administrator key " + a2.admin_id()));
    CHECK(r->users.count("o1") == 0);
    Log third;
    third.Unit("u1");
    RootKey a3 = std::move(RootKey::GenerateAdministrator(third.root.public_key())).value();
    third.Admin(a3);
    third.Append(third.UserStatement("o1", "supervisor"), &a3);
    EditText(third, 2, "\"signer\":\"" + a3.admin_id() + "\",", "");
    auto r3 = third.Verify();
    REQUIRE(r3.ok());
    CHECK(Mentions(r3->refused, "is not signed by the organisation's root key"));
    CHECK(r3->users.count("o1") == 0);
  }
  SECTION("a revocation met at sign-in counts when the root or a certified key signed it") {
    dir::Statement rev;
    rev.kind = dir::kKindRevoke;
    rev.device_id = device;
    rev.reason = "stolen";
    const pr::SignedStatement by_admin = log.Append(rev, &admin);
    const pr::SignedStatement by_root = log.Append(rev);
    const pr::SignedStatement by_other = log.Append(rev, &other);
    auto r = log.Verify();
    REQUIRE(r.ok());
    CHECK(dir::SignedByOrganisation(log.root.public_key(), r->admins, by_admin));
    CHECK(dir::SignedByOrganisation(log.root.public_key(), r->admins, by_root));
    CHECK_FALSE(dir::SignedByOrganisation(log.root.public_key(), r->admins, by_other));
    auto withdrawn = r->admins;
    withdrawn.at(admin.admin_id()).active = false;
    CHECK_FALSE(dir::SignedByOrganisation(log.root.public_key(), withdrawn, by_admin));
  }
}

TEST_CASE("administrator key file: the certifying root travels with it, authenticated",
          "[sync][directory][crypto]") {
  testing::TempDir tmp;
  RootKey root = std::move(RootKey::Generate()).value();
  auto admin = RootKey::GenerateAdministrator(root.public_key());
  REQUIRE(admin.ok());
  const std::string path = tmp / "admin.key";
  REQUIRE(admin->Save(path, "an administrator passphrase", true).ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK(st.st_size == static_cast<off_t>(kAdminKeyFileSize));
  CHECK((st.st_mode & 0777) == 0600);
  auto opened = RootKey::Open(path, "an administrator passphrase");
  REQUIRE(opened.ok());
  CHECK(opened->is_administrator());
  CHECK(opened->public_key() == admin->public_key());
  CHECK(opened->root_public_key() == root.public_key());
  CHECK(opened->admin_id() == dir::AdminIdForKey(admin->public_key()));
  // Another root's key put in the file: the seed no longer opens (the root key is in the AD).
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  bytes[kRootKeyFileSize] = static_cast<char>(bytes[kRootKeyFileSize] ^ 1);
  std::ofstream(tmp / "evil.key", std::ios::binary) << bytes;
  auto evil = RootKey::Open(tmp / "evil.key", "an administrator passphrase");
  REQUIRE_FALSE(evil.ok());
  CHECK(evil.error().code == Errc::kWrongPassphrase);
  // The root's own file still opens as the root.
  REQUIRE(root.Save(tmp / "root.key", "a good root passphrase", true).ok());
  auto r = RootKey::Open(tmp / "root.key", "a good root passphrase");
  REQUIRE(r.ok());
  CHECK_FALSE(r->is_administrator());
  CHECK(r->root_public_key() == root.public_key());
}
