// The wire format: canonical signed bytes (golden vectors), strict JSON parsing, base64,
// enrolment codes and error bodies.
#include "sync/protocol.hpp"

#include <sodium.h>

#include <catch2/catch.hpp>

using namespace lietvedis;
namespace pr = lietvedis::sync::protocol;

namespace {

std::string Hex(const pr::Bytes& b) {
  return pr::HexEncode(b);
}
std::string HexOf(std::string_view s) {
  return pr::HexEncode(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

pr::Envelope Sample() {
  pr::Envelope e;
  e.scope = "case:1";
  e.batch_id = "0123456789abcdef0123456789abcdef";
  e.author_device = "dev";
  e.key_version = 258;  // 0x0102: checks little-endian order
  e.nonce = pr::Bytes(24, 0x01);
  e.ciphertext = {'a', 'b', 'c'};
  e.signature = pr::Bytes(64, 0x02);
  return e;
}

}  // namespace

TEST_CASE("signed bytes and associated data follow PROTOCOL.md byte for byte", "[sync][protocol]") {
  const pr::Envelope e = Sample();
  const std::string ad = HexOf("lietvedis-batch-v1") + "06000000" + HexOf("case:1") + "20000000" +
                         HexOf("0123456789abcdef0123456789abcdef") + "03000000" + HexOf("dev") +
                         "02010000";
  CHECK(Hex(pr::AssociatedData(e)) == ad);
  std::string nonce_hex;
  for (int i = 0; i < 24; ++i) nonce_hex += "01";
  CHECK(Hex(pr::SignedBytes(e)) == ad + "18000000" + nonce_hex + "03000000" + HexOf("abc"));
  CHECK(Hex(pr::SessionSignedBytes(pr::Bytes{0xff, 0x00})) ==
        HexOf("lietvedis-session-v1") + "ff00");
}

TEST_CASE("envelope signatures verify and fail when anything changes", "[sync][protocol]") {
  REQUIRE(sodium_init() >= 0);
  pr::Bytes pk(32), sk(64);
  crypto_sign_keypair(pk.data(), sk.data());
  pr::Envelope e = Sample();
  const pr::Bytes msg = pr::SignedBytes(e);
  crypto_sign_detached(e.signature.data(), nullptr, msg.data(), msg.size(), sk.data());
  CHECK(pr::VerifyEnvelopeSignature(e, pk).ok());
  auto tampered = e;
  tampered.key_version = 1;
  CHECK_FALSE(pr::VerifyEnvelopeSignature(tampered, pk).ok());
  tampered = e;
  tampered.scope = "case:2";
  CHECK_FALSE(pr::VerifyEnvelopeSignature(tampered, pk).ok());
  tampered = e;
  tampered.ciphertext.push_back(0);
  auto r = pr::VerifyEnvelopeSignature(tampered, pk);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kProtocol);
  // A shifted boundary (length prefixes) changes the bytes.
  pr::Envelope a = Sample(), b = Sample();
  a.scope = "case:1d";
  a.author_device = "ev";
  CHECK(pr::SignedBytes(a) != pr::SignedBytes(b));
}

TEST_CASE("JSON round trips and strict parsing names the field", "[sync][protocol]") {
  pr::Envelope e = Sample();
  e.seq = 42;
  e.created_at = 1700000000000;
  auto back = pr::FromJson<pr::Envelope>(pr::ToJson(e));
  REQUIRE(back.ok());
  CHECK(back->seq == 42);
  CHECK(back->created_at == 1700000000000);
  CHECK(back->nonce == e.nonce);
  CHECK(back->ciphertext == e.ciphertext);
  CHECK(back->key_version == 258);

  auto j = pr::ToJson(e);
  j.erase("nonce");
  auto missing = pr::FromJson<pr::Envelope>(j);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::kProtocol);
  CHECK(missing.error().message.find("nonce") != std::string::npos);

  j = pr::ToJson(e);
  j["key_version"] = "1";
  auto typed = pr::FromJson<pr::Envelope>(j);
  REQUIRE_FALSE(typed.ok());
  CHECK(typed.error().message.find("key_version") != std::string::npos);

  j = pr::ToJson(e);
  j["nonce"] = pr::Base64Encode(pr::Bytes(23, 1));
  CHECK_FALSE(pr::FromJson<pr::Envelope>(j).ok());
  j = pr::ToJson(e);
  j["ciphertext"] = "not base64!";
  CHECK_FALSE(pr::FromJson<pr::Envelope>(j).ok());
  j = pr::ToJson(e);
  j["key_version"] = -1;
  CHECK_FALSE(pr::FromJson<pr::Envelope>(j).ok());
  j = pr::ToJson(e);
  j["something_new"] = true;  // unknown fields are ignored
  CHECK(pr::FromJson<pr::Envelope>(j).ok());

  pr::PushRequest push{{e, e}};
  auto pj = pr::ToJson(push);
  CHECK_FALSE(pj["batches"][0].contains("seq"));
  auto pushed = pr::FromJson<pr::PushRequest>(pj);
  REQUIRE(pushed.ok());
  CHECK(pushed->batches.size() == 2);
  pj["batches"][1].erase("signature");
  auto bad = pr::FromJson<pr::PushRequest>(pj);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("batches[1]") != std::string::npos);

  CHECK_FALSE(pr::ParseBody<pr::PullResponse>("{\"envelopes\": [").ok());
  CHECK_FALSE(pr::ParseBody<pr::PullResponse>("[]").ok());
  pr::PullResponse pull{{e}, "3.0", true};
  auto pulled = pr::ParseBody<pr::PullResponse>(pr::ToJson(pull).dump());
  REQUIRE(pulled.ok());
  CHECK(pulled->cursor == "3.0");
  CHECK(pulled->more);

  pr::DirectoryResponse dir;
  dir.units.push_back({"u1", "Kurzeme", "Liepāja"});
  dir.users.push_back({"p1", "Jānis Bērziņš", "officer", "u1", false});
  dir.devices.push_back({"d1", "p1", pr::Bytes(32, 3), pr::Bytes(32, 4), {}, {}});
  auto dback = pr::FromJson<pr::DirectoryResponse>(pr::ToJson(dir));
  REQUIRE(dback.ok());
  CHECK(dback->units[0].name == "Liepāja");
  CHECK(dback->users[0].display_name == "Jānis Bērziņš");
  CHECK_FALSE(dback->users[0].active);
  CHECK(dback->devices[0].box_pk == pr::Bytes(32, 4));
}

TEST_CASE("base64, enrolment codes and error bodies", "[sync][protocol]") {
  CHECK(pr::Base64Encode(pr::Bytes{'f', 'o', 'o', 'b'}) == "Zm9vYg==");
  auto d = pr::Base64Decode("Zm9vYg==");
  REQUIRE(d.ok());
  CHECK(*d == pr::Bytes{'f', 'o', 'o', 'b'});
  CHECK_FALSE(pr::Base64Decode("Zm9vYg=").ok());
  CHECK(pr::Base64Encode({}).empty());
  CHECK(pr::Base64Decode("").ok());

  pr::EnrolmentCode code{"https://lv.example:8443", std::string(64, 'a'), std::string(64, 'b'),
                         std::string(64, 'c')};
  const std::string text = pr::EncodeEnrolmentCode(code);
  CHECK(text.rfind("LV1-", 0) == 0);
  CHECK(text.find_first_of("+/=") == std::string::npos);
  auto back = pr::DecodeEnrolmentCode(text + "\n");
  REQUIRE(back.ok());
  CHECK(back->server_url == code.server_url);
  CHECK(back->secret == code.secret);
  CHECK(back->cert_fingerprint == code.cert_fingerprint);
  CHECK(back->root_pk == code.root_pk);
  CHECK(pr::DecodeEnrolmentCode("LV2-abc").error().code == Errc::kValidation);
  {
    // A code made before the organisation's root key: refused with words that say so.
    const std::string old =
        "{\"u\":\"https://lv.example\",\"c\":\"" + std::string(64, 'a') + "\",\"f\":\"\"}";
    auto refused = pr::DecodeEnrolmentCode(
        "LV1-" + pr::Base64UrlEncode(std::span<const std::uint8_t>(
                     reinterpret_cast<const std::uint8_t*>(old.data()), old.size())));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("root key") != std::string::npos);
  }
  CHECK_FALSE(pr::DecodeEnrolmentCode(text.substr(0, text.size() - 3)).ok());

  const std::string body = pr::ErrorBody(MakeError(Errc::kNotPermitted, "no"));
  const Error e = pr::ErrorFromResponse(403, body);
  CHECK(e.code == Errc::kNotPermitted);
  CHECK(e.message.find("no") == 0);
  CHECK(pr::ErrorFromResponse(502, "<html>").code == Errc::kProtocol);
  CHECK(pr::HttpStatusFor(Errc::kUnsupported) == 426);
  CHECK(pr::HttpStatusFor(Errc::kConflict) == 409);
  CHECK(pr::ErrcFromName("tampered") == Errc::kTampered);
}
