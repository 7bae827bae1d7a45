// The seed corpus of each fuzz target, made with the real encoders (so it stays valid as the
// formats change): written to tests/fuzz/corpus/ by lv_fuzz_seeds (`./run fuzz` runs it first)
// and replayed, with the committed files, by lv_fuzz_tests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lietvedis::fuzz {

using Input = std::vector<std::uint8_t>;
// Target name -> valid inputs of that target (each with the target's selector byte first where
// the target has one).
std::map<std::string, std::vector<Input>> Seeds();

}  // namespace lietvedis::fuzz
