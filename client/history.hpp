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

}  // namespace lietvedis::client
