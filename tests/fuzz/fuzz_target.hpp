// One fuzz target, two drivers (docs/RELIABILITY.md):
//  - libFuzzer (`./run fuzz [SECONDS]`, clang with -fsanitize=fuzzer, LV_LIBFUZZER defined): each
//    target file is its own program, LV_FUZZ_TARGET defines LLVMFuzzerTestOneInput;
//  - the replay test (`lv_fuzz_tests`, part of `./run test` under ASan and UBSan): every target
//    registers itself, and the test runs the committed corpus, every regression input, then a
//    fixed number of seeded mutations of the corpus.
// A target returns 0 and must not crash, leak or trip a sanitizer on any input; where a decoder
// has an encoder, it also checks that what decodes re-encodes to something that decodes the
// same (LV_FUZZ_CHECK aborts, so both drivers report it as a crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace lietvedis::fuzz {

using Target = int (*)(const std::uint8_t* data, std::size_t size);

// Adds a target to the replay test's registry (tests/fuzz/replay_test.cpp).
struct Registration {
  Registration(const char* name, Target target);
};

}  // namespace lietvedis::fuzz

#define LV_FUZZ_CHECK(cond)                                                                   \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

#ifdef LV_LIBFUZZER
#define LV_FUZZ_TARGET(name) \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#else
#define LV_FUZZ_TARGET(name)                                                                       \
  static int LvFuzz_##name(const std::uint8_t* data, std::size_t size);                            \
  static const ::lietvedis::fuzz::Registration lv_fuzz_registration_##name(#name, &LvFuzz_##name); \
  static int LvFuzz_##name(const std::uint8_t* data, std::size_t size)
#endif
