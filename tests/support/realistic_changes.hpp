// Change batches as officers write them, for the codec's tests and its benchmark: contacts
// with a note of Latvian prose, a date, an outcome and a kind; random 32-hex row ids (seeded).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sync/hlc.hpp"
#include "sync/replica.hpp"

namespace lietvedis::testing {

// A case's worth of field changes as officers write them: Latvian prose in notes, random
// row ids, dates and small integers (seeded).
inline std::vector<sync::Change> RealisticChanges(std::size_t n, std::uint64_t seed = 20261205) {
  static const char* kWords[] = {"klients",      "ieradās",       "uz",        "konsultāciju",
                                 "laikā",        "pārrunājām",    "darba",     "meklējumus",
                                 "un",           "pienākumu",     "izpildi",   "atzīmēja",
                                 "ka",           "ģimenes",       "situācija", "ir",
                                 "uzlabojusies", "nākamā",        "tikšanās",  "norunāta",
                                 "pēc",          "divām",         "nedēļām",   "programmas",
                                 "nodarbības",   "apmeklē",       "regulāri",  "riska",
                                 "faktori",      "alkohola",      "lietošana", "nav",
                                 "novērota",     "līdzgaitnieks", "ziņo",      "par"};
  std::mt19937_64 rng(seed);
  std::vector<sync::Change> out;
  const char* columns[] = {"note", "held_on", "outcome", "kind"};
  std::string row;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 4 == 0) {
      static const char* hex = "0123456789abcdef";
      row.clear();
      for (int k = 0; k < 32; ++k) row.push_back(hex[rng() % 16]);
    }
    sync::Change c;
    c.scope = "case:5f0c2a7e9b1d4c3a8e6f0b2d1c9a7e5f";
    c.table = "contact";
    c.row_id = row;
    c.column = columns[i % 4];
    switch (i % 4) {
      case 0: {
        std::string note;
        const std::size_t words = 12 + rng() % 40;
        for (std::size_t w = 0; w < words; ++w) {
          if (w) note.push_back(' ');
          note += kWords[rng() % (sizeof kWords / sizeof *kWords)];
        }
        c.value = note + ".";
        break;
      }
      case 1:
        c.value = "2026-" + std::to_string(10 + rng() % 3) + "-" + std::to_string(10 + rng() % 18);
        break;
      default:
        c.value = static_cast<std::int64_t>(rng() % 5);
    }
    c.stamp = sync::Stamp{sync::HlcPack(1'764'900'000'000 + static_cast<std::int64_t>(i) * 17, 0),
                          "3b9f1e0c7a2d4f6e8c0b1a3d5e7f9a2c"};
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace lietvedis::testing
