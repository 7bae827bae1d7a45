// Scope labels for the sync screen; the rules are in client/scope_labels.hpp.
#include "client/scope_labels.hpp"

#include <cstddef>
#include <map>
#include <utility>

namespace lietvedis::client {

namespace {

constexpr std::size_t kShortIdBytes = 8;

std::pair<std::string_view, std::string_view> SplitScope(std::string_view scope) {
  const auto colon = scope.find(':');
  if (colon == std::string_view::npos) return {scope, {}};
  return {scope.substr(0, colon), scope.substr(colon + 1)};
}

// The first `n` bytes of `id`, not cutting a UTF-8 sequence, with "…" when anything was cut.
std::string Shorten(std::string_view id, std::size_t n) {
  if (id.size() <= n) return std::string(id);
  std::size_t end = n;
  while (end > 0 && (static_cast<unsigned char>(id[end]) & 0xC0) == 0x80) --end;
  return std::string(id.substr(0, end)) + "…";
}

std::string FullName(const std::string& surname, const std::string& name) {
  if (surname.empty()) return name;
  if (name.empty()) return surname;
  return surname + " " + name;
}

// A query the actor may not run answers "nothing readable"; other errors are errors.
template <class T>
Result<std::vector<T>> OrNothingIfNotPermitted(Result<std::vector<T>> r) {
  if (!r.ok() && r.error().code == Errc::kNotPermitted) return std::vector<T>{};
  return r;
}

}  // namespace

std::string ShortScopeId(std::string_view scope) {
  const auto [kind, id] = SplitScope(scope);
  if (id.empty()) return Shorten(scope, kShortIdBytes * 2);
  return std::string(kind) + ":" + Shorten(id, kShortIdBytes);
}

ScopeLabel UnreadableScopeLabel(std::string_view scope) {
  ScopeLabel l;
  l.scope = std::string(scope);
  l.kind = ScopeLabelKind::kUnreadable;
  l.short_id = ShortScopeId(scope);
  return l;
}

Result<std::vector<ScopeLabel>> LabelScopes(Workspace& workspace,
                                            const std::vector<std::string>& scopes) {
  bool want_cases = false, want_cards = false, want_units = false;
  for (const std::string& s : scopes) {
    const std::string_view kind = SplitScope(s).first;
    want_cases = want_cases || kind == "case" || kind == "mentoring";
    want_cards = want_cards || kind == "mentoring";
    want_units = want_units || kind == "unit" || kind == "volunteers";
  }

  // Rule 1 (and the fallback of rule 2): the actor's caseload, any status, by case id.
  std::map<std::string, CaseloadRow, std::less<>> cases;
  if (want_cases && CanListCaseload(workspace.actor())) {
    CaseloadFilter any;
    any.status = std::nullopt;
    LV_ASSIGN(auto rows, OrNothingIfNotPermitted(workspace.Caseload(any)));
    for (auto& row : rows) {
      std::string id = row.case_id;
      cases.emplace(std::move(id), std::move(row));
    }
  }
  // Rule 1b: the cases the actor covers today as a deputy, by case id.
  std::map<std::string, CoveredCase, std::less<>> covered;
  if (want_cases) {
    LV_ASSIGN(auto rows, OrNothingIfNotPermitted(workspace.CoveredCases()));
    for (auto& row : rows) {
      std::string id = row.case_id;
      covered.emplace(std::move(id), std::move(row));
    }
  }
  // Rule 2: the actor's live client cards, by case id.
  std::map<std::string, ClientCard, std::less<>> cards;
  if (want_cards) {
    LV_ASSIGN(auto rows, OrNothingIfNotPermitted(workspace.ClientCards()));
    for (auto& card : rows) {
      std::string id = card.case_id;
      cards.emplace(std::move(id), std::move(card));
    }
  }
  // Rule 3: unit names from the directory.
  std::map<std::string, std::string, std::less<>> units;
  if (want_units) {
    LV_ASSIGN(auto rows, OrNothingIfNotPermitted(workspace.Units()));
    for (auto& unit : rows) units.emplace(std::move(unit.id), std::move(unit.name));
  }

  std::vector<ScopeLabel> out;
  out.reserve(scopes.size());
  for (const std::string& scope : scopes) {
    ScopeLabel l = UnreadableScopeLabel(scope);
    const auto [kind, id] = SplitScope(scope);
    if (kind == "case" && !id.empty()) {
      if (auto c = cases.find(id); c != cases.end()) {
        l.kind = ScopeLabelKind::kCase;
        l.name = FullName(c->second.surname, c->second.name);
        l.case_kind = c->second.kind;
      } else if (auto v = covered.find(id); v != covered.end()) {
        l.kind = ScopeLabelKind::kCovered;
        l.name = FullName(v->second.client_surname, v->second.client_name);
        l.absent_officer = v->second.officer_name;
      }
    } else if (kind == "mentoring" && !id.empty()) {
      if (auto card = cards.find(id); card != cards.end()) {
        l.kind = ScopeLabelKind::kMentoring;
        l.name = FullName(card->second.surname, card->second.name);
      } else if (auto c = cases.find(id); c != cases.end()) {
        l.kind = ScopeLabelKind::kMentoring;
        l.name = FullName(c->second.surname, c->second.name);
      }
    } else if ((kind == "unit" || kind == "volunteers") && !id.empty()) {
      l.kind = kind == "unit" ? ScopeLabelKind::kUnit : ScopeLabelKind::kVolunteers;
      auto u = units.find(id);
      l.name = u != units.end() && !u->second.empty() ? u->second : Shorten(id, kShortIdBytes);
    } else if (scope == "org") {
      l.kind = ScopeLabelKind::kOrganisation;
    }
    // A name that came back empty (a row without surname and name) says nothing: short id.
    if ((l.kind == ScopeLabelKind::kCase || l.kind == ScopeLabelKind::kCovered ||
         l.kind == ScopeLabelKind::kMentoring) &&
        l.name.empty()) {
      l = UnreadableScopeLabel(scope);
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace lietvedis::client
