// The audit detail of a change: what WriteRow stores in `audit.detail` for an update and what
// Workspace::CaseHistory reads back (client/history.cpp).
//
// Format of the detail of an update in a case scope (entries in other scopes name the columns
// only, see WriteRow), a small JSON object:
//   {"f":{"outcome":[null,"ieradās"],"status":["planned","held"]},"u":["mode"]}
//   "f": each written column whose value changed, [from, to]; a value is null (not recorded),
//        a string, a number, or {"cut":"…"} when only its first kAuditValueBytes were kept
//        (cut on a UTF-8 boundary) so that a long note does not double the store.
//   "u": the columns written with the value they already had.
// Creations keep the older form, the written columns comma-joined ("status,mode,note"): the
// record itself holds its first values until they change, and the first change keeps them as
// its "from", so writing them again would only double every record. Entries written before
// values were kept use that form too and stay readable (values unknown).
//
// The detail travels inside the audit entry, so the hash chain covers it like every other
// column (client/audit_chain.hpp). It lives in the record's case scope: only the readers of
// the case file read it, and a purge of the scope removes it with the record.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace lietvedis::client {

// Bytes of one value an audit entry keeps.
inline constexpr std::size_t kAuditValueBytes = 400;

struct AuditValueChange {
  std::string column;
  storage::Value from, to;
};

// The detail of an update: `changed` in the order written, `unchanged` the columns written
// with the value they had.
std::string EncodeAuditChanges(const std::vector<AuditValueChange>& changed,
                               const std::vector<std::string>& unchanged);

// Equal as the history shows them: both NULL, or both the same text (an integer written to a
// TEXT column reads back as text).
bool SameAuditValue(const storage::Value& a, const storage::Value& b);

struct DecodedAuditValue {
  std::optional<std::string> text;  // nullopt: NULL
  bool cut = false;
};
struct DecodedAuditField {
  std::string column;
  bool values_known = false;
  DecodedAuditValue from, to;
};
// Either form; a JSON detail that does not parse, or a column list, gives the columns with
// values unknown. Unchanged columns come last with from == to only when values are known.
struct DecodedAuditDetail {
  bool with_values = false;
  std::vector<DecodedAuditField> changed;
  std::vector<std::string> unchanged;
};
DecodedAuditDetail DecodeAuditDetail(std::string_view detail);

// The written columns of a detail in either form, comma-joined ("status,held_on").
std::string AuditDetailColumns(std::string_view detail);

// The detail of an access entry (a document, a subject access answer, a break-glass opening):
// short English words with figures, which the workflows write with the Format* functions
// below and ParseAccessDetail reads back, so that the desktop words them in its language.
//   render            "<document> pdf <pages> pages"          (FormatRenderDetail)
//   render (MAPPA)    "agency pack <institution>, <n> disclosures, pack <pack id>"
//   subject_access    "<format>, <cases> cases, <withheld> withheld"
//   break_glass       "until <timestamp>"
// A detail in none of these forms parses to nullopt (shown as written).
struct AccessDetail {
  // render: case_summary, court_application, evaluation_report, mediation_report, minutes, or
  // agency_pack; subject_access: pdf, json or both.
  std::string document, format;
  int pages = 0;
  std::string institution, pack_id;  // agency pack: the recipient's code and the pack
  int disclosures = 0;
  int cases = 0, withheld = 0;  // subject access
  std::string until;            // break-glass
};
std::string FormatRenderDetail(std::string_view document, int pages);
std::string FormatAgencyPackDetail(std::string_view institution, std::size_t disclosures,
                                   std::string_view pack_id);
std::string FormatSubjectAccessDetail(std::string_view format, std::size_t cases,
                                      std::size_t withheld);
std::string FormatBreakGlassDetail(std::string_view until);
std::optional<AccessDetail> ParseAccessDetail(std::string_view action, std::string_view detail);

}  // namespace lietvedis::client
