// FoldForSearch: the text form used for diacritic- and case-insensitive matching outside FTS5
// (LIKE filters, in-memory filters of a loaded list). It lowercases ASCII, Latin-1 and Latin
// Extended-A (U+00C0-U+017F) letters and folds them to their base letters ("Bērziņš" ->
// "berzins", "Ģirts" -> "girts", "ß" -> "ss", "Œ" -> "oe"), lowercases basic Cyrillic
// (U+0400-U+042F) and leaves every other character as it is. Invalid UTF-8 bytes pass through
// unchanged. The result matches what FTS5's tokenize="unicode61 remove_diacritics 2" does for
// these letters, so a word typed without diacritics finds the same rows both ways.
//
// WARNING: this is for matching, never for display or sorting (Latvian sorts ā after a and
// š after s: use a collation for order).
#pragma once

#include <string>
#include <string_view>

namespace lietvedis::storage {

std::string FoldForSearch(std::string_view utf8);

// The FTS5 tokenizer clause every full-text table of the store uses.
inline constexpr std::string_view kFoldingTokenizer = "unicode61 remove_diacritics 2";

}  // namespace lietvedis::storage
