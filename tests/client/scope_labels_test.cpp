// Scope labels (client/scope_labels.hpp): the scopes a real store holds named by the client,
// the card, the unit or the organisation, as far as the acting user may read them, and the
// short id for everything else.
#include "client/scope_labels.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "client/device.hpp"
#include "client/schema.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// The scopes the replica holds changes for: what the sync status lists.
std::vector<std::string> StoreScopes(ModelFixture& f) {
  std::vector<std::string> out;
  auto pending = f.replica->PendingByScope();
  REQUIRE(pending.ok());
  for (const auto& [scope, n] : pending.value()) out.push_back(scope);
  return out;
}

std::map<std::string, ScopeLabel> ByScope(const std::vector<ScopeLabel>& labels) {
  std::map<std::string, ScopeLabel> out;
  for (const auto& l : labels) out.emplace(l.scope, l);
  return out;
}

std::string RegisterKenina(Workspace& ws) {
  RegisterClient c;
  c.name = "Ērika";
  c.surname = "Ķēniņa";
  c.personal_code = testing::kCode1990;
  c.birth_date = "01.01.1990";
  c.kind = CaseKind::kProbationSupervision;
  c.opened_on = "02.03.2026";
  return ModelFixture::Must(ws.Execute(c));
}

}  // namespace

TEST_CASE("scope labels: short ids keep the kind and eight characters of the id", "[client]") {
  CHECK(ShortScopeId("case:03900ba1c2d34e5f") == "case:03900ba1…");
  CHECK(ShortScopeId("unit:abc") == "unit:abc");
  CHECK(ShortScopeId("org") == "org");
  // A multi-byte character is never cut in half.
  CHECK(ShortScopeId("case:abcdefgšxyz") == "case:abcdefg…");
  const ScopeLabel l = UnreadableScopeLabel("mentoring:0123456789");
  CHECK(l.kind == ScopeLabelKind::kUnreadable);
  CHECK(l.name.empty());
  CHECK(l.short_id == "mentoring:01234567…");
}

TEST_CASE("scope labels: the officer sees own clients by name and kind, others by short id",
          "[client]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string berzins = f.RegisterBerzins(*officer);
  const std::string kenina = RegisterKenina(*officer);
  f.ReferToMentoring(*officer, berzins);
  auto colleague = f.As(f.officer2);
  const std::string colleagues_case = f.RegisterBerzins(*colleague, testing::kCode1999);

  std::vector<std::string> scopes = StoreScopes(f);
  // The store really holds what the sync status would list.
  REQUIRE(std::count(scopes.begin(), scopes.end(), CaseScope(berzins)) == 1);
  REQUIRE(std::count(scopes.begin(), scopes.end(), MentoringScope(berzins)) == 1);
  REQUIRE(std::count(scopes.begin(), scopes.end(), CaseScope(kenina)) == 1);
  REQUIRE(std::count(scopes.begin(), scopes.end(), CaseScope(colleagues_case)) == 1);
  REQUIRE(std::count(scopes.begin(), scopes.end(), "org") == 1);
  scopes.push_back(UnitScope(f.unit));
  scopes.push_back(VolunteersScope(f.other_unit));
  scopes.push_back(UnitScope("ffffffffffffffffffff"));
  scopes.push_back(CaseScope("0123456789abcdef0123456789abcdef"));
  scopes.push_back("newkind:42");

  auto labels = LabelScopes(*officer, scopes);
  REQUIRE(labels.ok());
  REQUIRE(labels->size() == scopes.size());
  for (std::size_t i = 0; i < scopes.size(); ++i) CHECK((*labels)[i].scope == scopes[i]);
  auto by = ByScope(*labels);

  const ScopeLabel& b = by.at(CaseScope(berzins));
  CHECK(b.kind == ScopeLabelKind::kCase);
  CHECK(b.name == "Bērziņš Jānis");
  REQUIRE(b.case_kind.has_value());
  CHECK(*b.case_kind == CaseKind::kConditionalSentence);

  const ScopeLabel& k = by.at(CaseScope(kenina));
  CHECK(k.kind == ScopeLabelKind::kCase);
  CHECK(k.name == "Ķēniņa Ērika");
  REQUIRE(k.case_kind.has_value());
  CHECK(*k.case_kind == CaseKind::kProbationSupervision);

  const ScopeLabel& m = by.at(MentoringScope(berzins));
  CHECK(m.kind == ScopeLabelKind::kMentoring);
  CHECK(m.name == "Bērziņš Jānis");
  CHECK_FALSE(m.case_kind.has_value());

  // The colleague's case is on this store but not in this officer's caseload: no name.
  const ScopeLabel& c = by.at(CaseScope(colleagues_case));
  CHECK(c.kind == ScopeLabelKind::kUnreadable);
  CHECK(c.name.empty());
  CHECK(c.short_id == "case:" + colleagues_case.substr(0, 8) + "…");

  const ScopeLabel& unknown = by.at(CaseScope("0123456789abcdef0123456789abcdef"));
  CHECK(unknown.kind == ScopeLabelKind::kUnreadable);
  CHECK(unknown.short_id == "case:01234567…");

  CHECK(by.at("org").kind == ScopeLabelKind::kOrganisation);
  CHECK(by.at("org").name.empty());
  CHECK(by.at(UnitScope(f.unit)).kind == ScopeLabelKind::kUnit);
  CHECK(by.at(UnitScope(f.unit)).name == "Liepājas struktūrvienība");
  CHECK(by.at(VolunteersScope(f.other_unit)).kind == ScopeLabelKind::kVolunteers);
  CHECK(by.at(VolunteersScope(f.other_unit)).name == "Ventspils struktūrvienība");
  // A unit the directory has not brought yet keeps its short id as its name.
  CHECK(by.at(UnitScope("ffffffffffffffffffff")).kind == ScopeLabelKind::kUnit);
  CHECK(by.at(UnitScope("ffffffffffffffffffff")).name == "ffffffff…");
  CHECK(by.at("newkind:42").kind == ScopeLabelKind::kUnreadable);
  CHECK(by.at("newkind:42").short_id == "newkind:42");

  // The supervisor reads the whole unit's caseload: the colleague's client has a name too.
  auto supervisor = f.As(f.supervisor);
  auto sup_labels = LabelScopes(*supervisor, scopes);
  REQUIRE(sup_labels.ok());
  auto sup = ByScope(sup_labels.value());
  CHECK(sup.at(CaseScope(colleagues_case)).kind == ScopeLabelKind::kCase);
  CHECK(sup.at(CaseScope(colleagues_case)).name == "Bērziņš Jānis");
  CHECK(sup.at(CaseScope(kenina)).name == "Ķēniņa Ērika");
}

TEST_CASE("scope labels: the coordinator names the mentoring scope by the card only", "[client]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string berzins = f.RegisterBerzins(*officer);
  const std::string kenina = RegisterKenina(*officer);
  f.ReferToMentoring(*officer, berzins);
  // The card carries the name the officer last wrote: a rename reaches the card and the label.
  UpdateClientDetails rename;
  rename.case_id = berzins;
  rename.name = "Jānis";
  rename.surname = "Bērziņš-Ozols";
  REQUIRE(officer->Execute(rename).ok());

  auto coordinator = f.As(f.coordinator);
  const std::vector<std::string> scopes = {CaseScope(berzins), MentoringScope(berzins),
                                           MentoringScope(kenina)};
  auto labels = LabelScopes(*coordinator, scopes);
  REQUIRE(labels.ok());
  auto by = ByScope(*labels);
  const ScopeLabel& m = by.at(MentoringScope(berzins));
  CHECK(m.kind == ScopeLabelKind::kMentoring);
  CHECK(m.name == "Bērziņš-Ozols Jānis");
  // The coordinator has no caseload: the case scope and a client never referred stay ids.
  CHECK(by.at(CaseScope(berzins)).kind == ScopeLabelKind::kUnreadable);
  CHECK(by.at(CaseScope(berzins)).name.empty());
  CHECK(by.at(MentoringScope(kenina)).kind == ScopeLabelKind::kUnreadable);
  CHECK(by.at(MentoringScope(kenina)).short_id == "mentoring:" + kenina.substr(0, 8) + "…");
}

TEST_CASE("scope labels: an administrator without a caseload reads no client names", "[client]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string berzins = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, berzins);
  auto admin = f.As(f.admin);
  auto labels = LabelScopes(*admin, {CaseScope(berzins), MentoringScope(berzins), "org"});
  REQUIRE(labels.ok());
  CHECK((*labels)[0].kind == ScopeLabelKind::kUnreadable);
  CHECK((*labels)[1].kind == ScopeLabelKind::kUnreadable);
  CHECK((*labels)[1].name.empty());
  CHECK((*labels)[2].kind == ScopeLabelKind::kOrganisation);
}

TEST_CASE("scope labels: a deputy sees a covered case by the client's name and the absent officer",
          "[client][break_glass]") {
  ModelFixture f;
  auto owner = f.As(f.officer);
  const std::string berzins = f.RegisterBerzins(*owner);
  // Without a cover the other officer reads nothing of the case: a short id.
  {
    auto other = f.As(f.officer2);
    auto labels = LabelScopes(*other, {CaseScope(berzins)});
    REQUIRE(labels.ok());
    CHECK((*labels)[0].kind == ScopeLabelKind::kUnreadable);
    CHECK((*labels)[0].name.empty());
  }
  // The directory's cover (as the engine hands it over) makes officer2 the deputy today.
  sync::EngineDirectory d;
  d.covers.push_back({f.officer, f.officer2, "2026-03-10", "2026-03-20"});
  REQUIRE(MaterialiseDirectory(f.db, d).ok());
  auto deputy = f.As(f.officer2);
  const std::int64_t reads_before =
      f.db.QueryInt("SELECT count(*) FROM audit WHERE action='read'").value();
  auto labels = LabelScopes(*deputy, {CaseScope(berzins)});
  REQUIRE(labels.ok());
  const ScopeLabel& l = (*labels)[0];
  CHECK(l.kind == ScopeLabelKind::kCovered);
  CHECK(l.name == "Bērziņš Jānis");
  CHECK(l.absent_officer == "Ilze Ozola");
  CHECK_FALSE(l.case_kind.has_value());  // nothing of the case file: no break-glass was opened
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE action='read'").value() == reads_before);
  // The owner still sees her own case as hers.
  auto own = LabelScopes(*owner, {CaseScope(berzins)});
  REQUIRE(own.ok());
  CHECK((*own)[0].kind == ScopeLabelKind::kCase);
}
