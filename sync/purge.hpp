// Purge: a device removes every scope its user no longer reads (docs/PRIVACY.md, "Purge").
//
// Rules (evaluated by the engine at each sync, SyncEngine::Impl::PurgeScopes: P1 after the
// pull, before scopes are registered, so nothing is registered, keyed or pushed for a scope no
// longer read; P2 after the push, so the last audit entries written here reach the store):
//  P1. A scope the central store listed to this device before (sync_scope_state.registered=1)
//      and does not list any more is no longer read here: the case was reassigned or
//      transferred, the mentoring referral's grace period ended, the user changed unit or role.
//      The store lists exactly what access::MayRead grants, so this follows the one rule.
//  P2. A scope the client layer names as past its retention period (EngineHooks::
//      expired_scopes: a closed case after its kind's period) is removed too, and stays out:
//      it is dropped from the listing on every later sync, so its keys are not fetched again
//      and its envelopes are not kept.
//  P3. `org` is never purged. A scope written here and not yet registered is never purged by
//      P1 (the server has not listed it yet).
//  P4. Everything of the scope goes in ONE transaction: its rows in every table with a
//      `scope` column (replicated rows, the outbox of unsent changes, conflicts, push numbers,
//      local derived tables), the field versions of those rows, deferred envelopes, the scope
//      state and every key version (stored and cached). Unsent changes are discarded and
//      counted: an unlisted scope could not be registered or pushed from here either.
//      The quarantine keeps its entries (ids and reasons, never content).
//  P5. After the sync's last commit the files are rewritten without freed pages
//      (storage::RewriteWithoutFreedPages: WAL checkpointed and truncated, VACUUM). When a
//      reader keeps the log busy it is retried at the next sync (meta purge_scrub_pending).
//  P6. Each purge is recorded in sync_purged (scope id, reason, counts, time; never a name),
//      shown by `sync --status` (SyncStatus::purged).
//
// Threading: the engine's thread (the writer). Errors: storage errors as they come; the
// transaction of a failed purge rolls back and nothing of that scope is gone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/envelope.hpp"

namespace lietvedis::sync {

// One purge as recorded (sync_purged) and shown.
struct PurgedScope {
  std::string scope;
  std::string reason;  // kPurgeNoLongerRead or kPurgeRetention
  std::int64_t at_ms = 0;
  std::int64_t rows = 0;            // records deleted (every table with a scope column)
  std::int64_t unsent_changes = 0;  // of those, changes in the outbox never accepted
  std::int64_t key_versions = 0;    // scope key versions wiped
};

inline constexpr std::string_view kPurgeNoLongerRead = "no longer read";
inline constexpr std::string_view kPurgeRetention = "retention period over";

// Creates the purge's local table (migration component "sync_purge").
Result<void> MigratePurge(storage::Database& db);

// Deletes everything of `scope` here (rule P4) inside a transaction it opens, records it and
// returns what went. Secure delete is on for the transaction. kValidation for `org`.
Result<PurgedScope> PurgeScope(storage::Database& db, Keyring& keyring, std::string_view scope,
                               std::string_view reason, std::int64_t now_ms);

// Scopes purged for retention (rule P2): kept out of every later listing.
Result<std::vector<std::string>> RetainedOutScopes(storage::Database& db);

// The newest `limit` purges, newest first.
Result<std::vector<PurgedScope>> PurgeLog(storage::Database& db, int limit = 50);

}  // namespace lietvedis::sync
