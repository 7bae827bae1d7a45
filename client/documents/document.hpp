// Documents that leave the office on paper (case summary, court application, MAPPA minutes
// and agency packs): a Document is a plain value — title, the unit's letterhead, a list of
// blocks (headings, paragraphs, key–value blocks, tables) and the footer facts — that the
// builders in client/documents/builders.hpp fill from permission-checked Workspace views, and
// RenderPdf lays out with Pango and draws with Cairo.
//
// The page (render.cpp): A4 portrait, 20 mm margins, "DejaVu Sans" through fontconfig (it
// covers ā č ē ģ ī ķ ļ ņ š ū ž and the punctuation used, – « » №), ligatures off so that text
// extracted from the PDF equals the text given. Text wraps at words (and inside a word
// longer than a line); a paragraph breaks across pages between lines, never losing one; a
// heading is never left alone at the foot of a page; a table breaks between rows and repeats
// its header row on each page. Every page carries the footer: the record id, "Parakstīja
// NAME, dd.mm.yyyy" where the record is signed, and "N. lapa no M" — the page count comes
// from a first layout pass that draws nothing.
//
// Threading: RenderPdf may run on any thread (a task, never the UI frame thread); it shares
// nothing but fontconfig's caches. Errors: kInternal when Cairo reports an error.
//
// WARNING: the rendered bytes are case data in plain text. Callers write them to a file
// created with mode 0600, and never to a log.
// WARNING: a table row taller than a whole page is drawn on one page and cut at its foot;
// the documents here have short cells (ids, dates, codes, a sentence), so none does.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "storage/result.hpp"

namespace lietvedis::client::documents {

struct Heading {
  std::string text;
  int level = 1;  // 1 section, 2 subsection
};
struct Paragraph {
  std::string text;  // may hold '\n' for line breaks
};
struct KeyValues {
  std::vector<std::pair<std::string, std::string>> items;
};
struct Table {
  std::vector<std::string> headers;
  std::vector<double> widths;  // relative column widths; empty = equal
  std::vector<std::vector<std::string>> rows;
  std::string empty_text = "Nav ierakstu.";  // printed instead of a table without rows
};
using Block = std::variant<Heading, Paragraph, KeyValues, Table>;

struct Document {
  std::string title;                    // printed under the letterhead; also the PDF title
  std::vector<std::string> letterhead;  // lines: service, region, unit (first line bold)
  std::vector<Block> blocks;
  std::string record_id;          // in every page's footer
  std::string signer, signed_on;  // footer "Parakstīja …" when both are set (dd.mm.yyyy)
};

struct RenderedPdf {
  std::string bytes;
  int pages = 0;
};

Result<RenderedPdf> RenderPdf(const Document& document);

}  // namespace lietvedis::client::documents
