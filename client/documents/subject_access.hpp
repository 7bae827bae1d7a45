// The subject access package: what the service holds about one person, handed to that person
// (`lietvedis subject-access --client ID -o DIR`, the desktop's "Datu subjekta pieprasījums…").
// The content comes from Workspace::SubjectAccess (client/subject_access.cpp has the rules:
// who may, what is included, what is withheld and on which ground); these functions only
// arrange the view as JSON (stable keys, codes stay codes, dates ISO, UTF-8) and as a PDF
// (client/documents/document.hpp: A4, letterhead, headings per record kind, tables, the
// withheld list as its own section, "N. lapa no M").
//
// The files: DIR/subject-access-<client id>-<yyyy-mm-dd>.pdf and .json, mode 0600, written
// only when the whole package is made; a failure removes what was written for it. After the
// files are complete the request is audited (Workspace::RecordSubjectAccess: one entry per
// case scope); when that fails the files are removed again — a package is never handed over
// unlogged.
//
// Threading: the calling thread must own the Workspace (the CLI's main thread, the desktop's
// worker). Errors: kValidation "output: ..." for a missing or unusable folder (before any
// read), kNotPermitted / kNotFound from the Workspace (nothing written), kIo when a file
// cannot be written.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "client/documents/builders.hpp"
#include "client/documents/document.hpp"
#include "client/workspace.hpp"
#include "storage/result.hpp"

namespace lietvedis::client::documents {

enum class SubjectAccessFormat { kPdf, kJson, kBoth };
std::optional<SubjectAccessFormat> SubjectAccessFormatFromCode(std::string_view code);
std::string_view FormatCode(SubjectAccessFormat format);  // "pdf", "json", "both"

// The section headings of the PDF, in order (tests check every one is printed).
extern const std::vector<std::string> kSubjectAccessHeadings;

nlohmann::json SubjectAccessJson(const SubjectAccessView& view, const DocumentContext& ctx);
Document SubjectAccessDocument(const SubjectAccessView& view, const DocumentContext& ctx);

struct SubjectAccessFiles {
  std::string pdf_path, json_path;  // empty for a format not written
  int pages = 0;
  int cases = 0;
  int withheld = 0;
};
// The file names the package is written under in `dir`.
std::string SubjectAccessFileStem(const std::string& client_id, const std::string& today);

Result<SubjectAccessFiles> ExportSubjectAccess(Workspace& ws, const std::string& client_id,
                                               const std::string& dir, SubjectAccessFormat format);

}  // namespace lietvedis::client::documents
