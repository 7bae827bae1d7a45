// Who reads what on the central store, over real HTTP on both back ends: the SQL reader rule
// against access::MayRead for every role and scope kind, and covers (rule R8, docs/PROTOCOL.md
// "Covers"): the administrator's tool records a deputy for an absent officer in the root-signed
// directory; the deputy then reads the officer's case scopes (history backfilled) until the
// cover's last day, and nothing of them after it.
#include <catch2/catch.hpp>
#include <set>
#include <vector>

#include "sync/access_rules.hpp"
#include "sync/directory.hpp"
#include "tests/sync/server_harness.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::server_harness;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

std::set<std::string> Listed(Harness& h, const TestDevice& d) {
  auto r = h.Get("/v1/scopes", d.token);
  REQUIRE(r.status == 200);
  auto list = pr::FromJson<pr::ScopesResponse>(r.body);
  REQUIRE(list.ok());
  std::set<std::string> out;
  for (const auto& s : list->scopes) out.insert(s.scope);
  return out;
}

std::set<std::string> MissingFor(Harness& h, const TestDevice& holder, const TestDevice& reader) {
  auto r = pr::FromJson<pr::MissingKeysResponse>(h.Get("/v1/keys/missing", holder.token).body);
  REQUIRE(r.ok());
  std::set<std::string> out;
  for (const auto& m : r->missing) {
    if (m.device_id == reader.device_id) out.insert(m.scope);
  }
  return out;
}

std::string Day(std::int64_t ms) {
  return sync::access::ServiceDay(ms);
}

}  // namespace

TEST_CASE("covers: the deputy reads the absent officer's case files until the last day",
          "[sync][server][cover]") {
  const std::string backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Harness h(backend);
  const std::string unit = h.AddUnit();
  const std::string other_unit = h.AddUnit("Ventspils");
  TestDevice away = h.Enrol(h.AddUser("officer", unit));
  TestDevice deputy = h.Enrol(h.AddUser("officer", unit));
  TestDevice colleague = h.Enrol(h.AddUser("officer", unit));
  TestDevice supervisor = h.Enrol(h.AddUser("supervisor", unit));
  TestDevice stranger = h.Enrol(h.AddUser("officer", other_unit));
  REQUIRE(h.Register(away, "case:c1", "case", unit, away.user_id) == 200);
  REQUIRE(h.Register(away, "mentoring:c1", "mentoring", unit, away.user_id) == 200);
  REQUIRE(h.Register(colleague, "case:c2", "case", unit, colleague.user_id) == 200);
  const Bytes key = Harness::NewScopeKey();
  REQUIRE(h.PublishKey(away, "case:c1", 1, key, {&away, &supervisor}) == 200);
  REQUIRE(h.Push(away, {Harness::Seal(away, "case:c1", 1, key, "contact 1"),
                        Harness::Seal(away, "case:c1", 1, key, "contact 2")})
              .status == 200);

  // Before any cover the colleague reads nothing of it and gets no wrap of it.
  std::string cursor;
  CHECK(h.PullAll(deputy, cursor).empty());
  CHECK(Listed(h, deputy).count("case:c1") == 0);
  CHECK(h.PublishKey(away, "case:c1", 1, key, {&deputy}) == 403);
  CHECK(MissingFor(h, away, deputy).empty());

  const std::int64_t now = h.now.load();
  const std::string from = Day(now + 7 * kDayMs), until = Day(now + 14 * kDayMs);
  auto& admin = h.admin();

  SECTION("what the administrator's tool refuses, writing nothing") {
    // kInternal stands for "not refused" (the tool never answers it for these).
    auto code = [&](Result<void> r) { return r.ok() ? Errc::kInternal : r.error().code; };
    CHECK(code(admin.SetCover(away.user_id, deputy.user_id, "14.12.2026", until, now)) ==
          Errc::kValidation);
    CHECK(code(admin.SetCover(away.user_id, deputy.user_id, "2026-02-30", until, now)) ==
          Errc::kValidation);
    CHECK(code(admin.SetCover(away.user_id, deputy.user_id, until, from, now)) ==
          Errc::kValidation);
    CHECK(code(admin.SetCover(away.user_id, deputy.user_id, Day(now - 9 * kDayMs),
                              Day(now - 2 * kDayMs), now)) == Errc::kValidation);
    CHECK(code(admin.SetCover(away.user_id, away.user_id, from, until, now)) == Errc::kValidation);
    CHECK(code(admin.SetCover(away.user_id, stranger.user_id, from, until, now)) ==
          Errc::kValidation);
    CHECK(code(admin.SetCover(away.user_id, supervisor.user_id, from, until, now)) ==
          Errc::kValidation);
    CHECK(code(admin.SetCover(away.user_id, "nobody", from, until, now)) == Errc::kNotFound);
    CHECK(code(admin.EndCover(away.user_id, deputy.user_id, now)) == Errc::kNotFound);
    auto covers = admin.Covers();
    REQUIRE(covers.ok());
    CHECK(covers->empty());
    CHECK(Listed(h, deputy).count("case:c1") == 0);
  }

  SECTION("recorded: keys and history reach the deputy before the absence, for its case only") {
    auto head_before = h.store().DirectoryHead();
    REQUIRE(head_before.ok());
    REQUIRE(admin.SetCover(away.user_id, deputy.user_id, from, until, now).ok());
    // The cover is a root-signed statement of the directory log.
    auto d = h.store().LoadDirectory();
    REQUIRE(d.ok());
    REQUIRE(static_cast<std::int64_t>(d->log.size()) == head_before->first + 1);
    auto st = sync::directory::ParseStatement(d->log.back().text);
    REQUIRE(st.ok());
    CHECK(st->kind == "cover");
    CHECK(st->deputy_user_id == deputy.user_id);
    CHECK(st->until_day == until);

    const auto listed = Listed(h, deputy);
    CHECK(listed.count("case:c1") == 1);
    CHECK(listed.count("mentoring:c1") == 0);  // the case file only
    CHECK(listed.count("case:c2") == 0);
    CHECK(Listed(h, colleague).count("case:c1") == 0);
    // The holder is asked for the deputy's wrap, and the server accepts it.
    CHECK(MissingFor(h, away, deputy) == std::set<std::string>{"case:c1"});
    REQUIRE(h.PublishKey(away, "case:c1", 1, key, {&deputy}) == 200);
    // The history arrives on the deputy's next pull, once.
    auto backfill = h.PullAll(deputy, cursor);
    CHECK(backfill.size() == 2);
    CHECK(h.PullAll(deputy, cursor).empty());
    // The deputy writes into the case (a contact held while covering).
    CHECK(h.Push(deputy, {Harness::Seal(deputy, "case:c1", 1, key, "covered")}).status == 200);
    std::string owners;
    CHECK(h.PullAll(away, owners).size() == 3);

    SECTION("a case reassigned to the absent officer reaches the deputy too") {
      auto moved =
          h.Post("/v1/scopes/owner", pr::ToJson(pr::ScopeOwnerRequest{"case:c2", away.user_id}),
                 supervisor.token);
      REQUIRE(moved.status == 200);
      CHECK(Listed(h, deputy).count("case:c2") == 1);
    }
    SECTION("after the last day the deputy reads nothing of it and gets no new key") {
      h.now = now + 15 * kDayMs;
      for (TestDevice* d : {&away, &deputy}) h.Login(*d);  // the sessions expired meanwhile
      CHECK(Listed(h, deputy).count("case:c1") == 0);
      CHECK(h.PublishKey(away, "case:c1", 2, key, {&away, &deputy}) == 403);
      CHECK(h.Push(deputy, {Harness::Seal(deputy, "case:c1", 1, key, "late")}).status == 403);
      std::string fresh;
      CHECK(h.PullAll(deputy, fresh).empty());
      CHECK(MissingFor(h, away, deputy).empty());
    }
    SECTION("on its last day it still holds") {
      h.now = now + 14 * kDayMs;
      h.Login(deputy);
      CHECK(Listed(h, deputy).count("case:c1") == 1);
    }
    SECTION("ended early, it stops at once and the directory says so") {
      REQUIRE(admin.EndCover(away.user_id, deputy.user_id, now).ok());
      CHECK(Listed(h, deputy).count("case:c1") == 0);
      auto covers = admin.Covers();
      REQUIRE(covers.ok());
      CHECK(covers->empty());
      auto d2 = h.store().LoadDirectory();
      REQUIRE(d2.ok());
      auto ended = sync::directory::ParseStatement(d2->log.back().text);
      REQUIRE(ended.ok());
      CHECK(ended->kind == "cover");
      CHECK_FALSE(ended->active);
    }
  }
}

TEST_CASE("the SQL reader rule and CanRead agree for every role and scope kind", "[sync][server]") {
  const std::string backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  Harness h(backend);
  const std::string u1 = h.AddUnit(), u2 = h.AddUnit("Ventspils");
  std::vector<srv::User> users;
  for (const char* role : {"officer", "supervisor", "volunteer_coordinator", "administrator"}) {
    for (const std::string& unit : {u1, u2}) {
      const std::string id = h.AddUser(role, unit);
      auto user = h.store().GetUser(id);
      REQUIRE(user.ok());
      users.push_back(*user);
    }
  }
  // A second officer of u1 covers for the first (R8), as the directory's cover records it.
  const std::string deputy_id = h.AddUser("officer", u1);
  auto deputy = h.store().GetUser(deputy_id);
  REQUIRE(deputy.ok());
  users.push_back(*deputy);
  const std::string covered = users[0].user_id;  // the first officer of u1
  REQUIRE(users[0].role == "officer");
  REQUIRE(users[0].unit_id == u1);
  const std::string today = sync::access::ServiceDay(h.now.load());
  REQUIRE(h.store().SetCover({covered, deputy_id, today, today}, true, h.now.load()).ok());
  srv::User inactive{srv::NewRandomId(), "Gone", "supervisor", u1, false};
  REQUIRE(h.store().AddUser(inactive).ok());
  users.push_back(inactive);
  std::vector<srv::Scope> scopes{{"org", "org", "", "", 0, "", "", "", ""}};
  int n = 0;
  for (const std::string& unit : {u1, u2}) {
    scopes.push_back({"unit:" + unit, "unit", unit, "", 0, "", "", "", ""});
    scopes.push_back({"volunteers:" + unit, "volunteers", unit, "", 0, "", "", "", ""});
    for (const auto& owner : users) {
      if (owner.unit_id != unit || owner.role != "officer") continue;
      const std::string id = std::to_string(n++);
      scopes.push_back({"case:" + id, "case", unit, owner.user_id, 0, "", "", "", ""});
      scopes.push_back({"mentoring:" + id, "mentoring", unit, owner.user_id, 0, "", "", "", ""});
    }
  }
  for (const auto& s : scopes) REQUIRE(h.store().InsertScope(s).ok());
  // A case of u1 (and its mentoring scope) offered to u2: u2's supervisors read both (R7).
  REQUIRE(scopes[3].scope == "case:0");
  REQUIRE(h.store().SetTransferOffer({"case:0", "mentoring:0"}, u2, 1).ok());
  scopes[3].transfer_unit_id = scopes[4].transfer_unit_id = u2;
  for (auto& s : scopes) {
    if (s.kind == "case" && s.owner_user_id == covered) s.deputy_user_ids = deputy_id;
  }
  for (const auto& user : users) {
    std::set<std::string> by_rule, by_sql;
    for (const auto& s : scopes) {
      if (srv::CanRead(user, s)) by_rule.insert(s.scope);
    }
    auto readable = h.store().ReadableScopes(user);
    REQUIRE(readable.ok());
    for (const auto& s : *readable) by_sql.insert(s.scope);
    INFO(user.role << " of " << (user.unit_id == u1 ? "u1" : "u2")
                   << (user.active ? "" : " (inactive)"));
    CHECK(by_sql == by_rule);
    if (user.role == "administrator") CHECK(by_rule == std::set<std::string>{"org"});
    if (!user.active) CHECK(by_rule.empty());
    // The deputy reads the covered officer's case, not its mentoring view.
    if (user.user_id == deputy_id) {
      CHECK(by_rule.count("case:0") == 1);
      CHECK(by_rule.count("mentoring:0") == 0);
    }
  }
}
