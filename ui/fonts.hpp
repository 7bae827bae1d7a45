// Fonts: DejaVu Sans (fonts-dejavu-core) at a size that follows the monitor's content scale.
//
// Dear ImGui 1.86 rasterises only the glyph ranges it is given, so the ranges are explicit:
// Basic Latin, Latin-1, Latin Extended-A (U+0100-017F: ā č ē ģ ī ķ ļ ņ š ū ž) and the
// punctuation and symbols the UI shows (– — ‘ ’ “ ” „ • … € ✓ ▲ ▼ ■ ●). A glyph outside them
// renders as '?'.
//
// Threading: main thread, before the first NewFrame() or between frames (the backend must
// re-upload the atlas after a change: ImGui_ImplOpenGL3_DestroyFontsTexture()).
#pragma once

#include <string>
#include <string_view>

#include "storage/result.hpp"

struct ImFont;
struct ImFontAtlas;

namespace lietvedis::ui {

struct Fonts {
  ImFont* regular = nullptr;  // body text, tables, forms
  ImFont* bold = nullptr;     // headings inside panels, selected values
  ImFont* title = nullptr;    // screen titles (1.35x)
  float size_px = 0;          // pixel size of `regular`
};

// The glyph ranges above, zero-terminated (static storage, as ImFontAtlas requires).
const unsigned short* GlyphRanges();

// Adds the three fonts to `atlas` at `base_px * content_scale` and builds it. Looks for the
// files under `font_dir` (default /usr/share/fonts/truetype/dejavu). Errors: kNotFound when a
// font file is missing, kInternal when the atlas cannot be built.
Result<Fonts> LoadFonts(ImFontAtlas& atlas, float content_scale, float base_px = 15.0f,
                        const std::string& font_dir = "/usr/share/fonts/truetype/dejavu");

// The first code point of `utf8` that `font` has no real glyph for (FindGlyphNoFallback), or 0
// when every code point is present. Spaces count as present.
unsigned int FirstMissingGlyph(const ImFont& font, std::string_view utf8);

}  // namespace lietvedis::ui
