#include "tests/fuzz/seeds.hpp"

#include <string>

#include "sync/batch_codec.hpp"
#include "sync/directory.hpp"
#include "sync/hlc.hpp"
#include "sync/protocol.hpp"
#include "sync/pull_codec.hpp"

namespace lietvedis::fuzz {
namespace {

namespace pr = sync::protocol;
namespace dir = sync::directory;

const std::string kScope = "case:0123456789abcdef0123456789abcdef";
const std::string kBatch = "00112233445566778899aabbccddeeff";
const std::string kDevice = "fedcba9876543210fedcba9876543210";

Input Of(const std::string& s) {
  return Input(s.begin(), s.end());
}
// Sized once and filled by index: GCC 12 at -O2 reports a false array-bounds error for an
// insert after a one-element vector (the release build treats warnings as errors).
Input Selected(std::uint8_t selector, const std::string& body) {
  Input out(body.size() + 1);
  out[0] = selector;
  for (std::size_t i = 0; i < body.size(); ++i) out[i + 1] = static_cast<std::uint8_t>(body[i]);
  return out;
}
pr::Bytes Filled(std::size_t n, std::uint8_t v) {
  return pr::Bytes(n, v);
}

std::vector<sync::Change> SampleChanges() {
  std::vector<sync::Change> out;
  const std::vector<storage::Value> values = {
      storage::Value{}, storage::Value{std::int64_t{-7}}, storage::Value{2.5},
      storage::Value{std::string("Bērziņš ā č ē ģ")}, storage::Value{storage::Blob{0, 1, 255}}};
  for (std::size_t i = 0; i < values.size(); ++i) {
    sync::Change c;
    c.scope = kScope;
    c.table = i % 2 ? "contact" : "note";
    c.row_id = "row" + std::to_string(i / 2);
    c.column = "col" + std::to_string(i);
    c.value = values[i];
    c.stamp =
        sync::Stamp{sync::HlcPack(1'760'000'000'000 + static_cast<std::int64_t>(i), 1), kDevice};
    if (i == 2) c.prev = sync::Stamp{sync::HlcPack(1'750'000'000'000, 0), kDevice};
    out.push_back(c);
  }
  return out;
}

pr::Envelope SampleEnvelope(std::int64_t seq) {
  pr::Envelope e;
  e.seq = seq;
  e.scope = kScope;
  e.batch_id = kBatch;
  e.author_device = kDevice;
  e.key_version = 1;
  e.nonce = Filled(24, 3);
  e.ciphertext = Filled(64, 5);
  e.signature = Filled(64, 7);
  e.proof = Filled(8 + 32, 9);
  e.proof[0] = 1;  // index 1 of 2
  e.proof[4] = 2;
  e.created_at = 1'760'000'000'000;
  return e;
}

}  // namespace

std::map<std::string, std::vector<Input>> Seeds() {
  std::map<std::string, std::vector<Input>> out;
  const auto changes = SampleChanges();
  constexpr auto kRows = sync::BatchLayout::kRows;
  out["batch_codec"] = {
      sync::EncodeBatch(kScope, changes).value(),
      sync::EncodeBatch(kScope, changes, 42).value(),
      sync::CompressBatch(sync::EncodeBatch(kScope, changes, 42).value()).value(),
      sync::EncodeBatch("org", {}).value(),
      sync::EncodeBatch(kScope, changes, 0, kRows).value(),
      sync::EncodeBatch(kScope, changes, 42, kRows).value(),
      sync::CompressBatch(sync::EncodeBatch(kScope, changes, 42, kRows).value()).value()};

  pr::PullResponse page;
  page.envelopes = {SampleEnvelope(10), SampleEnvelope(11)};
  page.envelopes[1].proof.clear();
  page.cursor = "11.3";
  page.more = true;
  pr::PullResponse empty_page;
  empty_page.cursor = "0.0";
  out["pull_codec"] = {Of(pr::EncodePullPage(page)), Of(pr::EncodePullPage(empty_page))};

  pr::EnrolRequest enrol{kDevice,       "laptop",      Filled(32, 1),
                         Filled(32, 2), Filled(32, 3), Filled(64, 4)};
  pr::SessionRequest session{kDevice, Filled(32, 1), Filled(64, 2)};
  pr::PushRequest push;
  push.batches = {SampleEnvelope(0)};
  pr::DirectoryResponse directory;
  directory.units = {{"unit1", "Kurzeme", "Liepāja"}};
  directory.users = {{"user1", "Ilze Ozola", "officer", "unit1", true}};
  directory.devices = {
      {kDevice, "user1", Filled(32, 1), Filled(32, 2), Filled(32, 3), Filled(64, 4)}};
  dir::Statement unit;
  unit.n = 1;
  unit.kind = dir::kKindUnit;
  unit.issued_at = 1'760'000'000'000;
  unit.unit_id = "unit1";
  unit.region = "Kurzeme";
  unit.name = "Liepāja";
  directory.log = {{dir::StatementText(unit), Filled(64, 6)}};
  pr::KeysResponse keys;
  keys.wraps = {{kScope, 1, "", Filled(80, 2)}};
  pr::PutKeysRequest put;
  put.wraps = {{kScope, 2, kDevice, Filled(80, 2)}};
  pr::MissingKeysResponse missing;
  missing.missing = {{kScope, 1, kDevice, Filled(32, 3)}};
  missing.more = true;
  pr::ScopesResponse scopes;
  scopes.scopes = {{kScope, "case", "unit1", "user1", 2, "", "", ""}};
  pr::PushResponse pushed;
  pushed.results = {{kBatch, 12, false}};
  pr::SessionResponse token{"0123456789abcdef", 1'760'000'000'000};
  auto json = [](const auto& v) { return pr::ToJson(v).dump(); };
  out["protocol_json"] = {Selected(0, json(enrol)),
                          Selected(0x80, json(enrol)),
                          Selected(1, json(pr::ChallengeRequest{kDevice})),
                          Selected(2, json(session)),
                          Selected(3, json(push)),
                          Selected(4, json(page)),
                          Selected(5, json(directory)),
                          Selected(6, json(keys)),
                          Selected(7, json(missing)),
                          Selected(8, json(put)),
                          Selected(9, json(scopes)),
                          Selected(10, json(pushed)),
                          Selected(11, json(token))};

  pr::EnrolmentCode code{"https://127.0.0.1:8443", std::string(64, 'a'), std::string(64, 'b'),
                         std::string(64, 'c')};
  std::string wrap = "LVW2";
  wrap.push_back(static_cast<char>(kDevice.size()));
  wrap += kDevice;
  wrap += std::string(24, '\x01') + std::string(48, '\x02');
  dir::Statement revoke;
  revoke.n = 7;
  revoke.prev = std::string(64, 'd');
  revoke.kind = dir::kKindRevoke;
  revoke.issued_at = 1'760'000'000'000;
  revoke.device_id = kDevice;
  revoke.reason = "zagts klēpjdators";
  revoke.stored_until = 1234;
  dir::Statement user;
  user.n = 2;
  user.prev = std::string(64, 'e');
  user.kind = dir::kKindUser;
  user.issued_at = 1'760'000'000'000;
  user.user_id = "user1";
  user.display_name = "Ilze Ozola";
  user.role = "officer";
  user.unit_id = "unit1";
  const pr::Envelope proved = SampleEnvelope(0);
  out["small_formats"] = {Selected(0, pr::EncodeEnrolmentCode(code)), Selected(1, wrap),
                          Selected(2, dir::StatementText(revoke)),
                          Selected(2, dir::StatementText(user)),
                          Selected(3, std::string(proved.proof.begin(), proved.proof.end()))};
  // JSON Lines as `lietvedis export` writes them (docs/CLI.md): one record per line.
  auto text = [](std::string_view s) { return Input(s.begin(), s.end()); };
  out["jsonl_import"] = {
      text(R"({"type":"org_region","id":"r1","scope":"org","fields":{"name":"Zemgale"}})"
           "\n"),
      text(R"({"type":"org_user","id":"u1","scope":"org","fields":{"display_name":"Ilze Ozola",)"
           R"("role":"officer","unit_id":"unit1","active":1}})"
           "\n"),
      text(
          R"({"type":"note","id":"n1","scope":"case:k1","fields":{"case_id":"k1",)"
          R"("subject_table":null,"subject_id":null,"body":"Klients ieradās; ā č ē ģ ī ķ ļ ņ š ū ž",)"
          R"("author_id":"u1","written_at":"2026-12-01T10:00:00Z"}})"
          "\n"
          R"({"type":"org_region","id":"r2","scope":"org","fields":{"name":"Kurzeme"}})"
          "\n")};
  // Edits of a store's files (vfs_pages_fuzz.cpp): an op byte (file in bits 0-1: store.db,
  // the log, the ledger; kind in bits 2-3: overwrite, cut, copy within, copy from the older
  // generation), then little-endian offsets. The empty input is the store as written.
  auto le = [](Input& in, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) in.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  auto overwrite = [&](std::uint8_t file, std::uint32_t at, const Input& bytes) {
    Input in{file};
    le(in, at, 3);
    le(in, static_cast<std::uint32_t>(bytes.size()), 1);
    in.insert(in.end(), bytes.begin(), bytes.end());
    return in;
  };
  auto cut = [&](std::uint8_t file, std::uint32_t to) {
    Input in{static_cast<std::uint8_t>(file | 4)};
    le(in, to, 3);
    return in;
  };
  auto copy = [&](std::uint8_t file, bool older, std::uint32_t from, std::uint32_t to,
                  std::uint32_t n) {
    Input in{static_cast<std::uint8_t>(file | (older ? 12 : 8))};
    le(in, from, 3);
    le(in, to, 3);
    le(in, n, 2);
    return in;
  };
  constexpr std::uint32_t kPage = 4096, kWalHeader = 32, kFrame = 24 + 4096;
  out["vfs_pages"] = {Input{},
                      overwrite(0, kPage + 100, {0x55}),
                      overwrite(1, kWalHeader + kFrame + 8, {1, 2, 3, 4}),
                      overwrite(2, 10, {0xff}),
                      cut(1, kWalHeader + 2 * kFrame),
                      cut(1, kWalHeader + kFrame + 1000),
                      copy(0, false, 0, kPage, kPage),
                      copy(1, false, kWalHeader, kWalHeader + kFrame, kFrame),
                      copy(0, true, 0, 0, 0xffff),
                      copy(1, true, kWalHeader, kWalHeader, kFrame),
                      copy(2, true, 0, 0, 0xffff)};
  return out;
}

}  // namespace lietvedis::fuzz
