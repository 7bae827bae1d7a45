// RenderPdf: the layout rules are in document.hpp. Two passes over the same Cairo context:
// the first measures and counts pages (draws nothing), the second draws with "N. lapa no M".
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <numeric>

#include "client/documents/document.hpp"

namespace lietvedis::client::documents {

namespace {

// A4 in points, 20 mm margins; the footer sits in the bottom margin's lower part.
constexpr double kPageWidth = 595.2756;
constexpr double kPageHeight = 841.8898;
constexpr double kMargin = 56.6929;
constexpr double kBottom = kPageHeight - kMargin - 14.0;  // body ends above the footer
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kCellPad = 3.0;

constexpr const char* kBodyFont = "DejaVu Sans 10.5";
constexpr const char* kBoldFont = "DejaVu Sans Bold 10.5";
constexpr const char* kSmallFont = "DejaVu Sans 8";
constexpr const char* kCellFont = "DejaVu Sans 9.5";
constexpr const char* kCellBoldFont = "DejaVu Sans Bold 9.5";
constexpr const char* kTitleFont = "DejaVu Sans Bold 17";
constexpr const char* kHeading1Font = "DejaVu Sans Bold 13";
constexpr const char* kHeading2Font = "DejaVu Sans Bold 11.5";

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

double Pt(int pango_units) {
  return static_cast<double>(pango_units) / PANGO_SCALE;
}

class Painter {
 public:
  Painter(cairo_t* cr, const Document& doc, bool draw, int total_pages)
      : cr_(cr), doc_(doc), draw_(draw), total_(total_pages) {}
  ~Painter() {
    if (context_ != nullptr) g_object_unref(context_);
  }
  Painter(const Painter&) = delete;
  Painter& operator=(const Painter&) = delete;

  int Run() {
    page_ = 1;
    y_ = kMargin;
    Letterhead();
    for (const Block& b : doc_.blocks) {
      std::visit([this](const auto& block) { Emit(block); }, b);
    }
    Footer();
    if (draw_) cairo_show_page(cr_);
    return page_;
  }

 private:
  LayoutPtr Make(const std::string& text, const char* font, double width,
                 PangoAlignment align = PANGO_ALIGN_LEFT) {
    if (context_ == nullptr) {
      // One context for every layout, at 72 dpi so that a font's size in points is its size
      // on the page (Pango's default of 96 dpi would print 10 pt text at 13.3 pt).
      context_ = pango_cairo_create_context(cr_);
      pango_cairo_context_set_resolution(context_, 72.0);
    }
    LayoutPtr layout(pango_layout_new(context_));
    PangoFontDescription* fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout.get(), fd);
    pango_font_description_free(fd);
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    // Ligatures off: "fi" stays two glyphs, so the PDF's text is the text given.
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_font_features_new("liga=0, clig=0, dlig=0"));
    // No hyphens where a word wraps: a name or a date breaks without an added "-".
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout.get(), attrs);
    pango_attr_list_unref(attrs);
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
  }

  static double Height(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return Pt(h);
  }

  void NewPage() {
    Footer();
    if (draw_) cairo_show_page(cr_);
    ++page_;
    y_ = kMargin;
  }

  // Flows a layout line by line from y_, breaking pages between lines.
  void Flow(PangoLayout* layout, double x) {
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double h = Pt(logical.height);
      if (y_ + h > kBottom && y_ > kMargin) NewPage();
      if (draw_) {
        const double baseline = Pt(pango_layout_iter_get_baseline(it) - logical.y);
        cairo_move_to(cr_, x + Pt(logical.x), y_ + baseline);
        pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
      }
      y_ += h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  void Letterhead() {
    for (size_t i = 0; i < doc_.letterhead.size(); ++i) {
      auto l = Make(doc_.letterhead[i], i == 0 ? kBoldFont : kBodyFont, kContentWidth,
                    PANGO_ALIGN_CENTER);
      Flow(l.get(), kMargin);
    }
    if (!doc_.letterhead.empty()) {
      y_ += 4;
      if (draw_) {
        cairo_set_line_width(cr_, 0.8);
        cairo_move_to(cr_, kMargin, y_);
        cairo_line_to(cr_, kMargin + kContentWidth, y_);
        cairo_stroke(cr_);
      }
      y_ += 14;
    }
    auto t = Make(doc_.title, kTitleFont, kContentWidth, PANGO_ALIGN_CENTER);
    Flow(t.get(), kMargin);
    y_ += 10;
  }

  void Footer() {
    if (!draw_) return;
    const double top = kPageHeight - kMargin + 6;
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, kMargin, top - 4);
    cairo_line_to(cr_, kMargin + kContentWidth, top - 4);
    cairo_stroke(cr_);
    std::string left = "Ieraksts " + doc_.record_id;
    if (!doc_.signer.empty() && !doc_.signed_on.empty()) {
      left += " · Parakstīja " + doc_.signer + ", " + doc_.signed_on;
    }
    auto l = Make(left, kSmallFont, kContentWidth * 0.8);
    cairo_move_to(cr_, kMargin, top);
    pango_cairo_show_layout(cr_, l.get());
    auto r = Make(std::to_string(page_) + ". lapa no " + std::to_string(total_), kSmallFont,
                  kContentWidth * 0.2, PANGO_ALIGN_RIGHT);
    cairo_move_to(cr_, kMargin + kContentWidth * 0.8, top);
    pango_cairo_show_layout(cr_, r.get());
  }

  void Emit(const Heading& h) {
    auto l = Make(h.text, h.level <= 1 ? kHeading1Font : kHeading2Font, kContentWidth);
    // Keep with next: a heading needs room for itself and about three lines under it.
    const double need = Height(l.get()) + 6 + 3 * 13.0;
    if (y_ + need > kBottom && y_ > kMargin) NewPage();
    y_ += h.level <= 1 ? 8 : 4;
    Flow(l.get(), kMargin);
    y_ += 4;
  }

  void Emit(const Paragraph& p) {
    auto l = Make(p.text, kBodyFont, kContentWidth);
    Flow(l.get(), kMargin);
    y_ += 6;
  }

  // One row of cells at x positions `xs`/widths `ws`; breaks the page before the row when it
  // does not fit (and then calls `on_new_page`, which repeats a table's header).
  template <class OnNewPage>
  void Row(const std::vector<std::string>& cells, const std::vector<double>& ws, const char* font,
           bool borders, bool shaded, OnNewPage on_new_page) {
    std::vector<LayoutPtr> layouts;
    double h = 0;
    for (size_t c = 0; c < ws.size(); ++c) {
      const std::string& text = c < cells.size() ? cells[c] : std::string();
      const char* f = font;
      if (!borders && c == 0) f = kBoldFont;  // key of a key–value block
      layouts.push_back(Make(text, f, ws[c] - 2 * kCellPad));
      h = std::max(h, Height(layouts.back().get()) + 2 * kCellPad);
    }
    if (y_ + h > kBottom && y_ > kMargin) {
      NewPage();
      on_new_page();
    }
    if (draw_) {
      double x = kMargin;
      for (size_t c = 0; c < ws.size(); ++c) {
        if (shaded) {
          cairo_set_source_rgb(cr_, 0.90, 0.90, 0.90);
          cairo_rectangle(cr_, x, y_, ws[c], h);
          cairo_fill(cr_);
          cairo_set_source_rgb(cr_, 0, 0, 0);
        }
        if (borders) {
          cairo_set_line_width(cr_, 0.4);
          cairo_rectangle(cr_, x, y_, ws[c], h);
          cairo_stroke(cr_);
        }
        cairo_move_to(cr_, x + kCellPad, y_ + kCellPad);
        pango_cairo_show_layout(cr_, layouts[c].get());
        x += ws[c];
      }
    }
    y_ += h;
  }

  void Emit(const KeyValues& kv) {
    const std::vector<double> ws{kContentWidth * 0.34, kContentWidth * 0.66};
    for (const auto& [key, value] : kv.items) {
      Row({key, value}, ws, kBodyFont, false, false, [] {});
    }
    y_ += 6;
  }

  void Emit(const Table& t) {
    if (t.rows.empty()) {
      Emit(Paragraph{t.empty_text});
      return;
    }
    std::vector<double> rel = t.widths;
    rel.resize(t.headers.size(), 1.0);
    const double sum = std::accumulate(rel.begin(), rel.end(), 0.0);
    std::vector<double> ws;
    for (double r : rel) ws.push_back(kContentWidth * r / sum);
    auto header = [&] { Row(t.headers, ws, kCellBoldFont, true, true, [] {}); };
    // The header row with at least one data row under it.
    if (y_ + 3 * 16.0 > kBottom && y_ > kMargin) NewPage();
    header();
    for (const auto& row : t.rows) Row(row, ws, kCellFont, true, false, header);
    y_ += 8;
  }

  cairo_t* cr_;
  PangoContext* context_ = nullptr;
  const Document& doc_;
  bool draw_;
  int total_;
  int page_ = 1;
  double y_ = kMargin;
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<RenderedPdf> RenderPdf(const Document& document) {
  RenderedPdf out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(Append, &out.bytes, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Lietvedis");
  cairo_t* cr = cairo_create(surface);
  const int pages = Painter(cr, document, false, 0).Run();
  out.pages = Painter(cr, document, true, pages).Run();
  const cairo_status_t drawn = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t finished = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (drawn != CAIRO_STATUS_SUCCESS || finished != CAIRO_STATUS_SUCCESS) {
    return MakeError(Errc::kInternal,
                     std::string("pdf: ") +
                         cairo_status_to_string(drawn != CAIRO_STATUS_SUCCESS ? drawn : finished));
  }
  if (out.pages != pages) return MakeError(Errc::kInternal, "pdf: the two layout passes differ");
  return out;
}

}  // namespace lietvedis::client::documents
