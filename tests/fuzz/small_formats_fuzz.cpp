// The small formats a device reads from outside: the enrolment code an administrator hands
// over, a key wrap from another device, a directory statement and a push's inclusion proof.
// The first byte picks one, the rest is the input.
#include <string>
#include <string_view>

#include "sync/directory.hpp"
#include "sync/protocol.hpp"
#include "sync/push_proof.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace pr = lietvedis::sync::protocol;
namespace dir = lietvedis::sync::directory;

LV_FUZZ_TARGET(small_formats) {
  if (size == 0) return 0;
  const std::uint8_t* in = data + 1;
  const std::size_t n = size - 1;
  const std::string_view text(reinterpret_cast<const char*>(in), n);
  switch (data[0] % 4) {
    case 0: {
      auto code = pr::DecodeEnrolmentCode(text);
      if (code.ok()) {
        auto again = pr::DecodeEnrolmentCode(pr::EncodeEnrolmentCode(*code));
        LV_FUZZ_CHECK(again.ok());
        LV_FUZZ_CHECK(again->server_url == code->server_url && again->secret == code->secret);
        LV_FUZZ_CHECK(again->cert_fingerprint == code->cert_fingerprint);
        LV_FUZZ_CHECK(again->root_pk == code->root_pk);
      }
      break;
    }
    case 1: {
      auto box = pr::DecodeKeyWrap(std::span<const std::uint8_t>(in, n));
      if (box.ok()) LV_FUZZ_CHECK(!box->from_device.empty());
      break;
    }
    case 2: {
      auto s = dir::ParseStatement(text);
      if (s.ok()) {
        // The canonical text of what was read reads back as the same statement.
        const std::string canonical = dir::StatementText(*s);
        auto again = dir::ParseStatement(canonical);
        LV_FUZZ_CHECK(again.ok());
        LV_FUZZ_CHECK(dir::StatementText(*again) == canonical);
      }
      break;
    }
    default: {
      pr::Envelope e;
      e.scope = "case:0123456789abcdef0123456789abcdef";
      e.batch_id = "0123456789abcdef0123456789abcdef";
      e.author_device = "fedcba9876543210fedcba9876543210";
      e.key_version = 1;
      e.nonce.assign(24, 7);
      e.ciphertext.assign(40, 9);
      e.signature.assign(64, 1);
      e.proof.assign(in, in + n);
      auto root = pr::PushRootOf(e);
      (void)root;
      break;
    }
  }
  return 0;
}
