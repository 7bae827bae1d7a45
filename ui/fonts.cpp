#include "ui/fonts.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <filesystem>

namespace lietvedis::ui {

const unsigned short* GlyphRanges() {
  static const ImWchar kRanges[] = {
      0x0020, 0x007E,  // Basic Latin
      0x00A0, 0x00FF,  // Latin-1 Supplement (« » ° § ×)
      0x0100, 0x017F,  // Latin Extended-A
      0x2013, 0x2014,  // – —
      0x2018, 0x201E,  // ‘ ’ ‚ “ ” „
      0x2022, 0x2022,  // •
      0x2026, 0x2026,  // …
      0x20AC, 0x20AC,  // €
      0x2190, 0x2193,  // ← ↑ → ↓
      0x2713, 0x2713,  // ✓
      0x25A0, 0x25A0,  // ■ (chart legends)
      0x25B2, 0x25B2,  // ▲
      0x25B6, 0x25B6,  // ▶ (next year)
      0x25BC, 0x25BC,  // ▼
      0x25C0, 0x25C0,  // ◀ (previous year)
      0x25CF, 0x25CF,  // ● (online / offline)
      0,
  };
  return kRanges;
}

Result<Fonts> LoadFonts(ImFontAtlas& atlas, float content_scale, float base_px,
                        const std::string& font_dir) {
  if (content_scale < 0.5f || content_scale > 4.0f) content_scale = 1.0f;
  const std::string regular_path = font_dir + "/DejaVuSans.ttf";
  const std::string bold_path = font_dir + "/DejaVuSans-Bold.ttf";
  for (const auto& p : {regular_path, bold_path}) {
    if (!std::filesystem::exists(p)) {
      return MakeError(Errc::kNotFound, "fonts: missing " + p + " (install fonts-dejavu-core)");
    }
  }
  atlas.Clear();
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  Fonts fonts;
  fonts.size_px = base_px * content_scale;
  fonts.regular =
      atlas.AddFontFromFileTTF(regular_path.c_str(), fonts.size_px, &config, GlyphRanges());
  fonts.bold = atlas.AddFontFromFileTTF(bold_path.c_str(), fonts.size_px, &config, GlyphRanges());
  fonts.title =
      atlas.AddFontFromFileTTF(bold_path.c_str(), fonts.size_px * 1.35f, &config, GlyphRanges());
  if (fonts.regular == nullptr || fonts.bold == nullptr || fonts.title == nullptr ||
      !atlas.Build()) {
    return MakeError(Errc::kInternal, "fonts: the font atlas could not be built");
  }
  return fonts;
}

unsigned int FirstMissingGlyph(const ImFont& font, std::string_view utf8) {
  const char* p = utf8.data();
  const char* end = utf8.data() + utf8.size();
  while (p < end) {
    unsigned int c = 0;
    const int len = ImTextCharFromUtf8(&c, p, end);
    if (len <= 0) return 0xFFFD;
    p += len;
    if (c == ' ') continue;
    if (c > 0xFFFF || font.FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr) return c;
  }
  return 0;
}

}  // namespace lietvedis::ui
