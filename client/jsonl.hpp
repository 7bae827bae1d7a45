// JSON Lines export and import of every replicated table (docs/CLI.md has the format).
//
// One record per line, in ReplicatedTables() order, rows ordered by id:
//   {"type":"probation_case","id":"…","scope":"case:…","fields":{"client_id":"…",…}}
// `fields` holds every data column of the table in its TableSpec order; NULL is JSON null,
// INTEGER a number, TEXT a string, a BLOB {"hex":"…"}. The output is deterministic, so an
// export imported into an empty store and exported again gives identical bytes.
//
// Import is all-or-nothing: every line is parsed and checked first, then all records are
// written through sync::Replica::Write in one BEGIN IMMEDIATE transaction (so they sync
// like local edits). A bad line N fails with kValidation "line N: …" and nothing is
// written. Rows of append-only tables that already exist are skipped (they cannot change);
// other existing rows take the imported values.
//
// Every record is checked with the rules the commands apply before anything is written
// (CheckImportRecord in jsonl.cpp): text is well-formed UTF-8 within the commands' limits, a
// client's personal code has a valid date and check digit, columns ending in `_on` hold ISO
// calendar dates, e-mail addresses contain '@'. A client card's search fold is recomputed from
// name and surname (an export written before schema step 4 carried the personal code).
//
// Two modes:
//  - kRestore (`init --restore`): the store must hold no replicated rows; the backup is taken
//    as it is, its audit trail included.
//  - kMerge (`import`): into a working store. Audit entries are the client's own trail and
//    are never taken from a file (kNotPermitted, "record N: audit: ..."), and a record that
//    is signed, closed or ended in this store is never rewritten (kNotPermitted naming the
//    record; a file that repeats it unchanged is fine). Append-only rows already present are
//    skipped as before.
//
// Permissions are the caller's: a whole-store export is for administrators and supervisors
// (CanExportWholeStore); the CLI checks it, and records the transfer in the audit trail
// (Workspace::RecordDataTransfer).
//
// Threading: the writer thread. WARNING: do not call inside an open transaction.
#pragma once

#include <cstdint>
#include <iosfwd>

#include "client/permissions.hpp"
#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/replica.hpp"

namespace lietvedis::client {

struct JsonlReport {
  std::int64_t records = 0;  // lines written / records written (export / import)
  std::int64_t skipped = 0;  // import: existing append-only rows left as they were
};

bool CanExportWholeStore(const Actor& actor);

Result<JsonlReport> ExportJsonl(storage::Database& db, std::ostream& out);
enum class ImportMode { kMerge, kRestore };
Result<JsonlReport> ImportJsonl(storage::Database& db, sync::Replica& replica, std::istream& in,
                                ImportMode mode = ImportMode::kMerge);

}  // namespace lietvedis::client
