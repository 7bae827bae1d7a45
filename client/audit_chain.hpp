// The tamper-evident audit trail: each device's audit entries in a scope form a hash chain,
// and every reader can verify the chains it holds.
//
// Writing (AppendAuditEntry, called by every workflow through detail::Audit): an entry names
// the device that wrote it (`device_id`, the replica's site id = the enrolled device id), its
// place in that device's chain in the scope (`seq`: 1, 2, 3, …), the hash of the device's
// previous entry in the scope (`prev_hash`; empty for #1) and its own hash (`hash`), a
// BLAKE2b-256 over every field of the entry, chain fields included (AuditEntryHash). The
// chain fields are ordinary replicated columns, so they travel inside the envelope the author
// device signs, and the sync engine refuses an envelope holding a change stamped by any site
// but the envelope's author (sync/engine_pull.cpp). The stamp site of an audit row is
// therefore its author device, whoever relayed it.
//
// Verifying (VerifyAuditChains): per scope, per chain device, the entries must run #1..#n
// without a hole, one entry per place, each naming its predecessor's hash, each matching its
// own hash, each written (stamped) by the chain's device, or restored from a backup by this
// device with the hash it carries (NoteRestoredAuditEntry). What it reports, in plain words
// naming ids only (never a value of the entry):
//  - kGap        places missing from a chain (dropped or withheld entries);
//  - kFork       two entries claiming one place of a chain;
//  - kRewritten  an entry whose content no longer matches its hash, an entry that does not
//                name its predecessor's hash, or fields of one entry written by different
//                devices (an update of an append-only row);
//  - kForeign    an entry placed in a device's chain but written by another device;
//  - kUnchained  an entry without chain fields written by a device after it began chaining
//                in that scope (an attempt to write outside the chain).
// Entries written before schema step 8 carry no chain fields: they are counted as unchained
// (legacy) and are not tampering, as long as their author had not yet chained in that scope.
//
// What a chain cannot show: a device that drops its own newest entries before pushing them
// (tail truncation) leaves a shorter chain that is still sound, and a device holding its own
// keys can write any entry it likes into its own chain; see docs/THREATS.md.
//
// Threading: the writer connection's thread (AppendAuditEntry writes; verification only
// reads and may run on any connection of the store).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/replica.hpp"

namespace lietvedis::client {

// One audit entry as stored (table audit). `detail` may be NULL (empty); `seq` 0 and the
// other chain fields empty for an unchained (legacy) entry.
struct AuditChainEntry {
  std::string id, scope;
  std::string user_id, action, target_table, target_id;
  std::optional<std::string> detail;
  std::string at;
  std::string device_id;
  std::int64_t seq = 0;
  std::string prev_hash, hash;
};

// The hash of an entry: 64 lowercase hex characters, BLAKE2b-256 over a domain tag and every
// field except `hash` (each length-prefixed; NULL detail distinct from empty).
std::string AuditEntryHash(const AuditChainEntry& e);

// Appends one entry to this device's chain in `scope` through the replica: finds the
// device's latest entry in the scope, fills device_id, seq, prev_hash and hash, writes the
// row. Must run inside the caller's write transaction. `entry.id` is created when empty.
Result<void> AppendAuditEntry(storage::Database& db, sync::Replica& replica, AuditChainEntry entry);

// `init --restore` (client/jsonl.hpp, kRestore) writes a backup's audit rows through this
// device's replica, so their stamps name this device whatever chain they belong to. Called for
// each restored audit row inside the restore's transaction: an entry of this device's own chain
// (a device restored from its own backup) moves audit_chain_head forward, so the chain
// continues after it instead of forking; an entry of another device's chain is noted in
// audit_restored (local only) with the hash it carried, and VerifyAuditChains then checks it as
// that device's chain (a gap, a fork, a changed entry are still found) and counts it as
// restored instead of forged. Unchained (legacy) rows are left alone.
// WARNING: for the restore only. An entry noted here is believed to be another device's
// because the backup says so; never call it for rows that did not come from a backup.
Result<void> NoteRestoredAuditEntry(storage::Database& db, const std::string& site_id,
                                    const std::string& id, const std::string& scope,
                                    std::span<const sync::FieldValue> fields);

enum class AuditFindingKind { kGap, kFork, kRewritten, kForeign, kUnchained };
// Stable lower-case name: "gap", "fork", "rewritten", "foreign_author", "unchained".
const char* AuditFindingName(AuditFindingKind kind);

struct AuditFinding {
  AuditFindingKind kind;
  std::string scope, device_id;  // the chain concerned
  std::string entry_id;          // the entry at fault; empty for a gap
  std::int64_t seq = 0;          // the place in the chain (first missing place for a gap)
  std::string message;           // plain words, ids only
};

struct AuditVerifyReport {
  std::int64_t scopes = 0;             // scopes holding audit entries
  std::int64_t chains = 0;             // (scope, device) chains
  std::int64_t chained = 0;            // entries with chain fields
  std::int64_t unchained = 0;          // legacy entries without chain fields (not tampering)
  std::int64_t restored = 0;           // chained entries taken from a backup by this device
                                       // (NoteRestoredAuditEntry), verified as their chain's
  std::vector<AuditFinding> findings;  // ordered by scope, device, place
  bool sound() const { return findings.empty(); }
};

// Verifies the audit chains held in `db`, in the given scopes (empty: every scope). Read
// only; one statement over the audit table. Errors: storage errors; a damaged stamp blob of
// an audit row is reported as a finding (kRewritten), not as an error.
Result<AuditVerifyReport> VerifyAuditChains(storage::Database& db,
                                            const std::vector<std::string>& scopes = {});

}  // namespace lietvedis::client
