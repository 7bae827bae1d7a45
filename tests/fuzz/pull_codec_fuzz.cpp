// The binary pull page (sync/pull_codec.hpp): what the central store sends every device.
// A page that decodes re-encodes to one that decodes the same.
#include <string_view>

#include "sync/pull_codec.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace pr = lietvedis::sync::protocol;

LV_FUZZ_TARGET(pull_codec) {
  auto page = pr::DecodePullPage(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!page.ok()) return 0;
  const std::string again = pr::EncodePullPage(*page);
  auto back = pr::DecodePullPage(std::string_view(again));
  LV_FUZZ_CHECK(back.ok());
  LV_FUZZ_CHECK(back->cursor == page->cursor && back->more == page->more);
  LV_FUZZ_CHECK(back->envelopes.size() == page->envelopes.size());
  for (std::size_t i = 0; i < back->envelopes.size(); ++i) {
    const pr::Envelope& a = page->envelopes[i];
    const pr::Envelope& b = back->envelopes[i];
    LV_FUZZ_CHECK(a.seq == b.seq && a.scope == b.scope && a.batch_id == b.batch_id);
    LV_FUZZ_CHECK(a.author_device == b.author_device && a.key_version == b.key_version);
    LV_FUZZ_CHECK(a.nonce == b.nonce && a.ciphertext == b.ciphertext);
    LV_FUZZ_CHECK(a.signature == b.signature && a.proof == b.proof);
  }
  return 0;
}
