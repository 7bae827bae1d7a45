// Scope labels: what a replication scope ("case:03900ba1-…", "mentoring:…", "unit:…") is, in
// the words an officer looks for on the sync screen — the client's name and case kind, the
// mentored client's card, the unit — read from this device's rows through the acting user's
// Workspace queries, so a label shows only what that user may already read.
//
// Rules (one place; the desktop's sync screen and any other caller get the same answer):
//  1. case:<id> — the case is in the actor's caseload (Workspace::Caseload, any status:
//     officers their own cases, supervisors the unit's): the client's surname and name and the
//     case kind. Otherwise the short id (rule 5).
//  1b. case:<id> not in the caseload but covered today by the actor as the absent officer's
//     deputy (Workspace::CoveredCases, the list the deputy opens break-glass from): the
//     client's surname and name and the absent officer's name (kCovered). Nothing of the case
//     file is read.
//  2. mentoring:<case> — the client card of that case among the actor's cards
//     (Workspace::ClientCards: coordinators and supervisors the unit's, officers their own):
//     the card's surname and name. Without a live card (the referral ended and the card was
//     voided) but with the case in the actor's caseload: the client's name from the case.
//     Otherwise the short id.
//  3. unit:<id> and volunteers:<id> — the unit's meetings and settings, or its volunteer
//     register: the unit's name from the directory (Workspace::Units), or the short unit id
//     when the directory has not brought the unit yet.
//  4. org — the organisation's directory and programme catalogue.
//  5. Anything else, and any scope rules 1–3 do not name (another officer's case after a
//     reassignment, a scope kind this version does not know): kUnreadable with the short id
//     ("case:03900ba1…") and nothing read from the rows.
// Names and kinds only: never a personal code, a note or an address.
//
// Cost: at most four statements (caseload, covered cases, cards, units) whatever the number of
// scopes, and only those the scope kinds present need; nothing is audited (neither query appends a
// `read` entry). Threading: the thread that owns the Workspace (the desktop's worker), never a
// frame. Errors: storage errors of the queries; a query the actor may not run (kNotPermitted) is
// not an error, its scopes fall back to the short id.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/model.hpp"
#include "client/workspace.hpp"
#include "storage/result.hpp"

namespace lietvedis::client {

enum class ScopeLabelKind {
  kCase,
  kCovered,
  kMentoring,
  kUnit,
  kVolunteers,
  kOrganisation,
  kUnreadable
};

struct ScopeLabel {
  std::string scope;  // the id as given
  ScopeLabelKind kind = ScopeLabelKind::kUnreadable;
  // kCase, kCovered, kMentoring: the client's "Surname Name"; kUnit, kVolunteers: the unit's
  // name (or its short id); empty for kOrganisation and kUnreadable.
  std::string name;
  std::string absent_officer;         // kCovered only: the display name of the officer covered for
  std::optional<CaseKind> case_kind;  // kCase only
  std::string short_id;               // ShortScopeId(scope)
};

// The scope's kind and the first 8 characters of its id, with "…" when cut:
// "case:03900ba1-5c2e-…" -> "case:03900ba1…"; "org" -> "org".
std::string ShortScopeId(std::string_view scope);

// A label that reads nothing: kUnreadable with the short id (rule 5). For callers whose
// LabelScopes failed.
ScopeLabel UnreadableScopeLabel(std::string_view scope);

// One label per scope, in the order given (duplicates answered twice). See the rules above.
Result<std::vector<ScopeLabel>> LabelScopes(Workspace& workspace,
                                            const std::vector<std::string>& scopes);

}  // namespace lietvedis::client
