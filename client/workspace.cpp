// Workspace core: opening, shared helpers (writes with audit, field checks, permission by
// scope), the command dispatcher, organisation commands and bootstrap, search folding.
#include "client/workspace.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>
#include <utility>

#include "client/audit_chain.hpp"
#include "client/history.hpp"
#include "client/retention.hpp"
#include "client/validation.hpp"
#include "client/workspace_internal.hpp"
#include "sync/access_rules.hpp"

namespace lietvedis::client {

using storage::Database;
using storage::Statement;
using storage::Transaction;
using storage::Value;

namespace detail {

Value Opt(std::string_view s) {
  return s.empty() ? Value{} : Value{std::string(s)};
}
Value Str(std::string_view s) {
  return Value{std::string(s)};
}
Value Int(std::int64_t v) {
  return Value{v};
}

std::string IsoNow(std::int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
std::string IsoDay(std::int64_t ms) {
  return sync::access::ServiceDay(ms);
}

Result<void> Audit(Ctx& ctx, std::string_view scope, std::string_view action,
                   std::string_view table, std::string_view target_id, std::string_view detail) {
  AuditChainEntry entry;
  entry.scope = std::string(scope);
  entry.user_id = ctx.actor.user_id;
  entry.action = std::string(action);
  entry.target_table = std::string(table);
  entry.target_id = std::string(target_id);
  if (!detail.empty()) entry.detail = std::string(detail);
  entry.at = ctx.now;
  return AppendAuditEntry(ctx.db, ctx.rep, std::move(entry));
}

// An update's audit entry in a case scope keeps each written column's value before and after
// (client/history.hpp), read here with one cached statement that also tells an update from a
// creation. A creation's entry names the written columns only: the record holds its first
// values, and the first change keeps them as its "from". Entries in other scopes name the
// columns only: the case history reads case scopes, and a mentoring card is emptied in
// place when its client leaves peer mentoring (RefreshClientCard, rule 4) so that the
// coordinators who keep the scope no longer read the name and phone; an audit entry that
// kept them would undo that.
Result<void> WriteRow(Ctx& ctx, std::string_view table, std::string_view id, std::string_view scope,
                      const Fields& fields) {
  std::string sql = "SELECT 1";
  for (const auto& f : fields) sql += ", " + f.column;
  sql += " FROM " + std::string(table) + " WHERE id=?";
  LV_ASSIGN(Statement * find, ctx.db.Cached(sql));
  find->Bind(1, id);
  LV_ASSIGN(bool exists, find->Step());
  std::vector<AuditValueChange> changed;
  std::vector<std::string> unchanged;
  if (exists) {
    for (size_t i = 0; i < fields.size(); ++i) {
      Value before = find->ValueAt(static_cast<int>(i) + 1);
      if (SameAuditValue(before, fields[i].value)) {
        unchanged.push_back(fields[i].column);
      } else {
        changed.push_back({fields[i].column, std::move(before), fields[i].value});
      }
    }
  }
  find->Reset();
  LV_TRY(ctx.rep.Write(table, id, scope, std::span<const sync::FieldValue>(fields)));
  if (exists && scope.rfind(CaseScope(""), 0) == 0)
    return Audit(ctx, scope, "updated", table, id, EncodeAuditChanges(changed, unchanged));
  std::string columns;
  for (const auto& f : fields) {
    if (!columns.empty()) columns += ',';
    columns += f.column;
  }
  return Audit(ctx, scope, exists ? "updated" : "created", table, id, columns);
}

Result<std::string> Text(std::string_view value, std::string_view field, size_t max_bytes,
                         bool required) {
  LV_TRY(ValidateText(value, field, max_bytes, required));
  return std::string(value);
}

Result<std::string> Date(std::string_view value, std::string_view field, bool required) {
  if (value.empty()) {
    if (required) return MakeError(Errc::kValidation, std::string(field) + ": required");
    return std::string();
  }
  return ParseDate(value, field);
}

Result<std::string> DateOr(std::string_view value, std::string_view field,
                           const std::string& fallback) {
  if (value.empty()) return fallback;
  return ParseDate(value, field);
}

Result<void> RequireRow(Ctx& ctx, std::string_view table, std::string_view id,
                        std::string_view field) {
  LV_TRY(RequireId(id, field));
  LV_ASSIGN(Statement * st, ctx.db.Cached("SELECT 1 FROM " + std::string(table) + " WHERE id=?"));
  st->Bind(1, id);
  LV_ASSIGN(bool row, st->Step());
  st->Reset();
  if (!row)
    return MakeError(Errc::kValidation, std::string(field) + ": no such record " + std::string(id));
  return Ok();
}

Result<void> RequireId(std::string_view id, std::string_view field) {
  if (id.empty()) return MakeError(Errc::kValidation, std::string(field) + ": required");
  if (id.size() > 128) return MakeError(Errc::kValidation, std::string(field) + ": too long");
  return Ok();
}

Error NotPermitted(std::string_view what) {
  return MakeError(Errc::kNotPermitted, "not permitted: " + std::string(what));
}
Error NotFound(std::string_view table, std::string_view id) {
  return MakeError(Errc::kNotFound, std::string(table) + " " + std::string(id) + " not found");
}
Error Immutable(std::string_view table, std::string_view id, std::string_view why) {
  return MakeError(Errc::kNotPermitted, std::string(table) + " " + std::string(id) + " is " +
                                            std::string(why) + ": append a correction instead");
}

Result<void> RequireOfficerOfUnit(Ctx& ctx, std::string_view user_id, std::string_view unit_id,
                                  std::string_view field) {
  LV_TRY(RequireId(user_id, field));
  LV_ASSIGN(Statement * st, ctx.db.Cached("SELECT role, unit_id, active FROM org_user WHERE id=?"));
  st->Bind(1, user_id);
  LV_ASSIGN(bool row, st->Step());
  const bool ok = row && st->Text(0) == Code(Role::kOfficer) && st->Text(1) == unit_id &&
                  (st->IsNull(2) || st->Int(2) != 0);
  st->Reset();
  if (!ok) {
    return MakeError(Errc::kValidation, std::string(field) + ": not an active officer of unit " +
                                            std::string(unit_id));
  }
  return Ok();
}

// The facts of a case and of the actor on it. Sealed: closed and juvenile (the juvenile
// community-work kind, or a client tagged juvenile). Covers: an org_cover row names the actor
// deputy of the case's responsible officer on ctx.today (from_day..until_day inclusive), both
// users of the case's unit. Break-glass: a break_glass row of the actor on the case with
// opened_at <= now < until.
Result<CaseFacts> LoadCase(Ctx& ctx, std::string_view case_id) {
  LV_TRY(RequireId(case_id, "case_id"));
  LV_ASSIGN(Statement * st,
            ctx.db.Cached("SELECT unit_id, responsible_officer_id, status, client_id,"
                          " coalesce((SELECT t.to_unit_id FROM case_transfer t WHERE"
                          " t.case_id=probation_case.id AND t.status='offered'"
                          " ORDER BY t.offered_at DESC LIMIT 1), ''), " +
                          std::string(kSealedCaseSql) +
                          ", EXISTS (SELECT 1 FROM org_cover v"
                          "  JOIN org_user d ON d.id=v.deputy_user_id"
                          "  JOIN org_user o ON o.id=v.user_id"
                          "  WHERE v.deputy_user_id=?2 AND v.user_id=probation_case."
                          "responsible_officer_id AND v.from_day<=?3 AND ?3<=v.until_day"
                          "  AND d.unit_id=probation_case.unit_id AND o.unit_id=probation_case."
                          "unit_id),"
                          " EXISTS (SELECT 1 FROM break_glass b WHERE b.case_id=probation_case.id"
                          "  AND b.user_id=?2 AND b.opened_at<=?4 AND ?4<b.until)"
                          " FROM probation_case WHERE id=?1"));
  st->Bind(1, case_id);
  st->Bind(2, ctx.actor.user_id);
  st->Bind(3, ctx.today);
  st->Bind(4, ctx.now);
  LV_ASSIGN(bool row, st->Step());
  if (!row) return NotFound("case", case_id);
  CaseFacts f;
  f.owner.unit_id = st->Text(0);
  f.owner.responsible_officer_id = st->Text(1);
  f.status = DecodeOr(st->Text(2), CaseStatus::kOpen);
  f.client_id = st->Text(3);
  f.owner.transfer_unit_id = st->Text(4);
  f.owner.sealed = st->Int(5) != 0;
  f.owner.actor_covers = st->Int(6) != 0;
  f.owner.actor_break_glass = st->Int(7) != 0;
  st->Reset();
  return f;
}

Result<CaseOwnership> LoadMentoringOwner(Ctx& ctx, std::string_view case_id) {
  LV_TRY(RequireId(case_id, "case_id"));
  LV_ASSIGN(Statement * st,
            ctx.db.Cached("SELECT unit_id, responsible_officer_id FROM client_card WHERE id=?"));
  st->Bind(1, case_id);
  LV_ASSIGN(bool row, st->Step());
  if (!row) return NotFound("client card", case_id);
  CaseOwnership o{st->Text(0), st->Text(1), ""};
  st->Reset();
  return o;
}

static bool IsKnownTable(std::string_view table) {
  for (const auto& t : ReplicatedTables()) {
    if (t.name == table) return true;
  }
  return false;
}

Result<std::string> CaseOfRow(Ctx& ctx, std::string_view table, std::string_view id) {
  LV_TRY(RequireId(id, std::string(table) + "_id"));
  if (!IsKnownTable(table))
    return MakeError(Errc::kInternal, "unknown table " + std::string(table));
  LV_ASSIGN(Statement * st,
            ctx.db.Cached("SELECT case_id FROM " + std::string(table) + " WHERE id=?"));
  st->Bind(1, id);
  LV_ASSIGN(bool row, st->Step());
  if (!row) return NotFound(table, id);
  std::string case_id = st->Text(0);
  st->Reset();
  return case_id;
}

Result<CaseFacts> RequireCaseWrite(Ctx& ctx, std::string_view case_id) {
  LV_ASSIGN(CaseFacts f, LoadCase(ctx, case_id));
  if (!CanWriteCaseFile(ctx.actor, f.owner))
    return NotPermitted("change case " + std::string(case_id));
  return f;
}

Result<CaseFacts> RequireOpenCaseWrite(Ctx& ctx, std::string_view case_id) {
  LV_ASSIGN(CaseFacts f, RequireCaseWrite(ctx, case_id));
  if (f.status == CaseStatus::kClosed) return Immutable("case", case_id, "closed");
  return f;
}

Result<CaseFacts> RequireCaseFileRead(Ctx& ctx, std::string_view case_id) {
  if (ctx.actor.role == Role::kVolunteerCoordinator || ctx.actor.role == Role::kAdministrator) {
    return NotPermitted("read case " + std::string(case_id));
  }
  LV_ASSIGN(CaseFacts cf, LoadCase(ctx, case_id));
  if (!CanReadCaseFile(ctx.actor, cf.owner)) return ReadRefused(ctx.actor, cf, case_id);
  return cf;
}

Error ReadRefused(const Actor& a, const CaseFacts& f, std::string_view case_id) {
  if (NeedsBreakGlass(a, f.owner)) {
    return NotPermitted("case " + std::string(case_id) + (f.owner.sealed ? " is sealed: it" : "") +
                        " opens only by break-glass with a reason");
  }
  return NotPermitted("read case " + std::string(case_id));
}

Result<CaseFacts> RequireDailyWork(Ctx& ctx, std::string_view case_id, bool open_case) {
  LV_ASSIGN(CaseFacts f, LoadCase(ctx, case_id));
  if (!CanDoDailyWork(ctx.actor, f.owner)) {
    if (NeedsBreakGlass(ctx.actor, f.owner)) return ReadRefused(ctx.actor, f, case_id);
    return NotPermitted("change case " + std::string(case_id));
  }
  if (open_case && f.status == CaseStatus::kClosed) return Immutable("case", case_id, "closed");
  return f;
}

static std::pair<std::string_view, std::string_view> SplitScope(std::string_view scope) {
  const auto colon = scope.find(':');
  if (colon == std::string_view::npos) return {scope, {}};
  return {scope.substr(0, colon), scope.substr(colon + 1)};
}

static Result<void> ScopeAccess(Ctx& ctx, std::string_view scope, bool write) {
  const auto [kind, id] = SplitScope(scope);
  const Actor& a = ctx.actor;
  bool ok = false;
  if (kind == "org") {
    ok = write ? CanManageOrganisation(a) : a.active;
  } else if (kind == "case") {
    auto c = LoadCase(ctx, id);
    if (!c.ok()) return c.error();
    ok = write ? CanWriteCaseFile(a, c->owner) : CanReadCaseFile(a, c->owner);
  } else if (kind == "mentoring") {
    auto o = LoadMentoringOwner(ctx, id);
    if (!o.ok()) return o.error();
    ok = write ? CanWriteMentoring(a, *o) : CanReadMentoring(a, *o);
  } else if (kind == "unit") {
    ok = write ? CanWriteUnitMeetings(a, id) : CanReadUnitMeetings(a, id);
  } else if (kind == "volunteers") {
    ok = write ? CanWriteVolunteers(a, id) : CanReadVolunteers(a, id);
  }
  if (!ok) return NotPermitted(std::string(write ? "change " : "read ") + std::string(scope));
  return Ok();
}

Result<void> RequireScopeRead(Ctx& ctx, std::string_view scope) {
  return ScopeAccess(ctx, scope, false);
}
Result<void> RequireScopeWrite(Ctx& ctx, std::string_view scope) {
  return ScopeAccess(ctx, scope, true);
}

// Rules of the client card (what the volunteer coordinator may know of a client), applied by
// RefreshClientCard on the device that holds the case file, i.e. the responsible officer's:
//  1. The card exists in mentoring:<case> only while the client is referred for peer
//     mentoring: the case has a mentoring_referral with no ended_on. Without a referral the
//     card is never written, so the scope does not exist and no coordinator receives it.
//  2. When the last referral ends, the card stays for the unit's grace period (unit setting
//     mentoring.card_grace_days, default 30, counted from the referral's ended_on) so that the
//     coordinator can end the assignment and log the last sessions.
//  3. Stores from before schema step 4 knew no referrals: a case with no referral recorded
//     at all and an active mentor assignment counts as referred (mentoring under way).
//  4. Otherwise an existing card is voided through the replica: name, surname, phone, e-mail
//     and fold become NULL on every device holding the scope; case, unit and responsible
//     officer stay, because the logged sessions stay with the case and the scope keeps its
//     owner.
//  5. The card carries name, surname, phone, e-mail and responsible officer only. Its fold is
//     "name surname": never the personal code, which stays in the case file.
//  6. It also carries whether the referral is to a circle of support (schema step 10), so
//     the coordinator may assign several circle members; the sex-offence tag itself stays
//     in the case file.

Result<CardState> ClientCardState(Ctx& ctx, std::string_view case_id, std::string_view unit_id) {
  LV_ASSIGN(Statement * st,
            ctx.db.Cached("SELECT count(*), count(CASE WHEN ended_on IS NULL THEN 1 END),"
                          " max(ended_on) FROM mentoring_referral WHERE case_id=?"));
  st->Bind(1, case_id);
  LV_ASSIGN(bool row, st->Step());
  (void)row;  // an aggregate always has a row
  const std::int64_t referrals = st->Int(0), active = st->Int(1);
  const std::string last_end = st->Text(2);
  st->Reset();
  if (active > 0) return CardState::kReferred;
  if (referrals == 0) {
    LV_ASSIGN(std::int64_t mentored,
              ctx.db.QueryInt("SELECT count(*) FROM mentor_assignment WHERE case_id=? AND "
                              "ended_on IS NULL",
                              case_id));
    return mentored > 0 ? CardState::kReferred : CardState::kNotReferred;
  }
  std::int64_t grace = kDefaultCardGraceDays;
  {
    LV_ASSIGN(Statement * g,
              ctx.db.Cached("SELECT value FROM unit_setting WHERE unit_id=? AND name=?"));
    g->BindAll(unit_id, std::string(kCardGraceSetting));
    LV_ASSIGN(bool found, g->Step());
    if (found && !g->Text(0).empty()) {
      const std::string v = g->Text(0);
      if (v.find_first_not_of("0123456789") == std::string::npos && v.size() <= 3)
        grace = std::stoll(v);
    }
    g->Reset();
  }
  LV_ASSIGN(
      std::int64_t days,
      ctx.db.QueryInt("SELECT CAST(julianday(?) - julianday(?) AS INTEGER)", ctx.today, last_end));
  return days < grace ? CardState::kInGrace : CardState::kNotReferred;
}

Result<void> RefreshClientCard(Ctx& ctx, std::string_view case_id) {
  LV_ASSIGN(Statement * st,
            ctx.db.Cached("SELECT cl.name, cl.surname, cl.phone, cl.email, c.unit_id,"
                          " c.responsible_officer_id, k.id IS NOT NULL, k.voided_at"
                          " FROM probation_case c JOIN client cl ON cl.id=c.client_id"
                          " LEFT JOIN client_card k ON k.id=c.id WHERE c.id=?"));
  st->Bind(1, case_id);
  LV_ASSIGN(bool row, st->Step());
  if (!row) return NotFound("case", case_id);
  const std::string name = st->Text(0), surname = st->Text(1), phone = st->Text(2),
                    email = st->Text(3), unit_id = st->Text(4), officer = st->Text(5);
  const bool has_card = st->Int(6) != 0;
  const std::string voided_at = st->Text(7);
  st->Reset();
  LV_ASSIGN(CardState state, ClientCardState(ctx, case_id, unit_id));
  Fields f{{"case_id", Str(case_id)},
           {"unit_id", Str(unit_id)},
           {"responsible_officer_id", Str(officer)}};
  if (state == CardState::kNotReferred) {
    if (!has_card) return Ok();  // rule 1: the scope never existed
    // Rule 4. Rewritten even when already void, so that a reassignment moves the owner and
    // a card voided in place by schema step 4 is voided on every device too.
    f.insert(f.end(), {{"name", {}},
                       {"surname", {}},
                       {"phone", {}},
                       {"email", {}},
                       {"name_fold", {}},
                       {"voided_at", Str(voided_at.empty() ? ctx.now : voided_at)}});
  } else {
    // The circle flag of the referral in force (or, in grace, the last one).
    LV_ASSIGN(Statement * circle,
              ctx.db.Cached("SELECT coalesce(circle, 0) FROM mentoring_referral WHERE case_id=?"
                            " ORDER BY ended_on IS NULL DESC, referred_on DESC, rowid DESC"
                            " LIMIT 1"));
    circle->Bind(1, case_id);
    LV_ASSIGN(bool has_referral, circle->Step());
    const std::int64_t in_circle = has_referral ? circle->Int(0) : 0;
    circle->Reset();
    f.push_back({"circle", Int(in_circle)});
    f.insert(f.end(), {{"name", Str(name)},
                       {"surname", Str(surname)},
                       {"phone", Opt(phone)},
                       {"email", Opt(email)},
                       {"name_fold", Str(FoldForSearch(name + " " + surname))}});
    if (!voided_at.empty()) f.push_back({"voided_at", {}});
  }
  // The card's id is the case id: one card per case, found without a lookup.
  return WriteRow(ctx, "client_card", case_id, MentoringScope(case_id), f);
}

}  // namespace detail

using namespace detail;

// ---------------------------------------------------------------------------------------
// Search folding

std::string FoldForSearch(std::string_view s) {
  // Two-byte UTF-8 sequences of Latin-1 Supplement and Latin Extended-A (U+00C0..U+017F)
  // map to their base letter; everything else passes through (ASCII lower-cased).
  static constexpr char kLatin1[] =  // U+00C0..U+00FF
      "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
  static constexpr char kExtA[] =  // U+0100..U+017F
      "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllllllln"
      "nnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
  static_assert(sizeof kLatin1 == 0x40 + 1 && sizeof kExtA == 0x80 + 1);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      continue;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
      const auto c2 = static_cast<unsigned char>(s[i + 1]);
      const unsigned cp = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
      if (cp >= 0xC0 && cp <= 0xFF) {
        out += kLatin1[cp - 0xC0];
        ++i;
        continue;
      }
      if (cp >= 0x100 && cp <= 0x17F) {
        out += kExtA[cp - 0x100];
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string LatvianSortKey(std::string_view s) {
  // Per character two bytes: the folded base letter, then 0 for the plain letter or 1 for a
  // letter with a diacritic. Characters outside U+0000..U+017F keep their UTF-8 bytes after
  // a 0xFF marker, so they sort after every Latin letter, in code point order.
  const std::string folded = FoldForSearch(s);
  std::string key;
  key.reserve(folded.size() * 2);
  size_t fi = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      key += folded[fi++];
      key += '\0';
      continue;
    }
    const bool two_byte_latin = (c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < s.size();
    if (two_byte_latin) {
      key += folded[fi++];
      key += '\1';
      ++i;
      continue;
    }
    // Bytes FoldForSearch passed through unchanged.
    key += '\xFF';
    key += static_cast<char>(c);
    ++fi;
  }
  return key;
}

// ---------------------------------------------------------------------------------------
// Opening

static std::int64_t SystemNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Workspace::Workspace(Database& db, sync::Replica& replica, Actor actor, WorkspaceOptions options)
    : db_(db), replica_(replica), actor_(std::move(actor)), options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = SystemNowMs;
}

Workspace::~Workspace() = default;

Result<std::unique_ptr<Workspace>> Workspace::Open(Database& db, sync::Replica& replica,
                                                   std::string_view user_id,
                                                   WorkspaceOptions options) {
  LV_TRY(RequireId(user_id, "user_id"));
  LV_ASSIGN(Statement st,
            db.Prepare("SELECT display_name, role, unit_id, active FROM org_user WHERE id=?"));
  st.Bind(1, user_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("user", user_id);
  Actor a;
  a.user_id = std::string(user_id);
  a.display_name = st.Text(0);
  auto role = FromCode<Role>(st.Text(1));
  if (!role) return MakeError(Errc::kCorrupt, "user " + a.user_id + " has an unknown role");
  a.role = *role;
  a.unit_id = st.Text(2);
  a.active = st.IsNull(3) || st.Int(3) != 0;
  if (!a.active) return NotPermitted("user " + a.user_id + " is inactive");
  return std::unique_ptr<Workspace>(new Workspace(db, replica, std::move(a), std::move(options)));
}

std::string Workspace::Today() const {
  return IsoDay(options_.now_ms());
}

Result<std::string> Workspace::Execute(const Command& command) {
  return std::visit([this](const auto& c) { return Execute(c); }, command);
}

// ---------------------------------------------------------------------------------------
// Organisation

namespace {

struct BootstrapCtx {
  Actor system{"system", "", "system", Role::kAdministrator, true};
};

Result<std::string> WriteOrg(Ctx& ctx, std::string_view table, std::string id, const Fields& f) {
  if (id.empty()) id = sync::Replica::NewId();
  LV_TRY(WriteRow(ctx, table, id, kOrgScope, f));
  return id;
}

Result<std::string> DoCreateRegion(Ctx& ctx, std::string_view name, std::string id) {
  LV_ASSIGN(auto n, Text(name, "name", 200, true));
  return WriteOrg(ctx, "org_region", std::move(id), {{"name", Str(n)}});
}
Result<std::string> DoCreateUnit(Ctx& ctx, std::string_view region_id, std::string_view name,
                                 std::string id) {
  LV_ASSIGN(auto n, Text(name, "name", 200, true));
  LV_TRY(RequireRow(ctx, "org_region", region_id, "region_id"));
  return WriteOrg(ctx, "org_unit", std::move(id),
                  {{"region_id", Str(region_id)}, {"name", Str(n)}});
}
Result<std::string> DoCreateUser(Ctx& ctx, std::string_view display_name, Role role,
                                 std::string_view unit_id, std::string id) {
  LV_ASSIGN(auto n, Text(display_name, "display_name", 200, true));
  if (role != Role::kAdministrator || !unit_id.empty())
    LV_TRY(RequireRow(ctx, "org_unit", unit_id, "unit_id"));
  return WriteOrg(ctx, "org_user", std::move(id),
                  {{"display_name", Str(n)},
                   {"role", Enum(role)},
                   {"unit_id", Opt(unit_id)},
                   {"active", Int(1)}});
}

}  // namespace

Result<std::string> BootstrapRegion(Database& db, sync::Replica& replica, std::string_view name,
                                    std::string id) {
  BootstrapCtx b;
  Ctx ctx{db, replica, b.system, IsoNow(SystemNowMs()), IsoDay(SystemNowMs())};
  return InTransaction(db, [&] { return DoCreateRegion(ctx, name, std::move(id)); });
}

Result<std::string> BootstrapUnit(Database& db, sync::Replica& replica, std::string_view region_id,
                                  std::string_view name, std::string id) {
  BootstrapCtx b;
  Ctx ctx{db, replica, b.system, IsoNow(SystemNowMs()), IsoDay(SystemNowMs())};
  return InTransaction(db, [&] { return DoCreateUnit(ctx, region_id, name, std::move(id)); });
}

Result<std::string> BootstrapUser(Database& db, sync::Replica& replica,
                                  std::string_view display_name, Role role,
                                  std::string_view unit_id, std::string id) {
  BootstrapCtx b;
  Ctx ctx{db, replica, b.system, IsoNow(SystemNowMs()), IsoDay(SystemNowMs())};
  return InTransaction(
      db, [&] { return DoCreateUser(ctx, display_name, role, unit_id, std::move(id)); });
}

namespace {
struct SeedProgramme {
  const char* id;
  const char* name;
  const char* target_group;
  ProgrammeProvider provider;
  const char* provider_name;
  ProgrammeMode mode;
  Accreditation accreditation;
};
// The programmes named in the Resocialisation Policy Guidelines 2022-2027. Stable ids so
// that two devices seeding independently converge on one catalogue.
constexpr SeedProgramme kSeedProgrammes[] = {
    {"prog-motivacija", "Motivācija izmaiņām", "pieaugušie klienti", ProgrammeProvider::kVpd, "VPD",
     ProgrammeMode::kInPerson, Accreditation::kAccredited},
    {"prog-parmainam-ja", "Pārmaiņām Jā!", "pieaugušie klienti", ProgrammeProvider::kVpd, "VPD",
     ProgrammeMode::kInPerson, Accreditation::kAccredited},
    {"prog-dzimumnoziegumi", "Sociālās uzvedības korekcijas programma dzimumnoziedzniekiem",
     "dzimumnoziegumus izdarījušie", ProgrammeProvider::kVpd, "VPD", ProgrammeMode::kInPerson,
     Accreditation::kAccredited},
    {"prog-thames-valley", "Thames Valley programma dzimumnoziedzniekiem",
     "dzimumnoziegumus izdarījušie", ProgrammeProvider::kVpd, "VPD", ProgrammeMode::kInPerson,
     Accreditation::kPilot},
    {"prog-vardarbiba", "Programma vardarbīgiem likumpārkāpējiem", "vardarbīgi likumpārkāpēji",
     ProgrammeProvider::kVpd, "VPD", ProgrammeMode::kInPerson, Accreditation::kAccredited},
    {"prog-minnesota", "Minesotas programma (28 dienas, brīvprātīga)", "atkarīgie",
     ProgrammeProvider::kNgo, "NVO", ProgrammeMode::kInPerson, Accreditation::kAccredited},
    {"prog-konsultacijas", "Psihologa / speciālista konsultācijas", "visi klienti",
     ProgrammeProvider::kOther, "speciālists", ProgrammeMode::kBlended,
     Accreditation::kNotAccredited},
    {"prog-equip", "EQUIP", "jaunieši", ProgrammeProvider::kVpd, "VPD", ProgrammeMode::kInPerson,
     Accreditation::kAccredited},
    {"prog-atlantis", "Atlantis / Pathfinder (Olaines atkarību centrs)", "atkarīgie",
     ProgrammeProvider::kIevp, "IeVP Olaines cietums", ProgrammeMode::kInPerson,
     Accreditation::kAccredited},
    {"prog-vecaku-prasmes", "Vecāku prasmes", "vecāki", ProgrammeProvider::kVpd, "VPD",
     ProgrammeMode::kEEnvironment, Accreditation::kAccredited},
    {"prog-mdft", "MDFT (multidimensionālā ģimenes terapija)", "jaunieši un ģimenes",
     ProgrammeProvider::kNgo, "NVO", ProgrammeMode::kInPerson, Accreditation::kPilot},
    {"prog-gobeyond", "GoBeyond", "jaunieši", ProgrammeProvider::kNgo, "NVO",
     ProgrammeMode::kEEnvironment, Accreditation::kPilot},
};
}  // namespace

Result<int> SeedProgrammeCatalogue(Database& db, sync::Replica& replica) {
  BootstrapCtx b;
  Ctx ctx{db, replica, b.system, IsoNow(SystemNowMs()), IsoDay(SystemNowMs())};
  LV_ASSIGN(Transaction tx, Transaction::Begin(db));
  int added = 0;
  for (const SeedProgramme& p : kSeedProgrammes) {
    LV_ASSIGN(std::int64_t n,
              db.QueryInt("SELECT count(*) FROM programme WHERE id=?", std::string(p.id)));
    if (n > 0) continue;
    LV_TRY(WriteRow(ctx, "programme", p.id, kOrgScope,
                    {{"name", Str(p.name)},
                     {"target_group", Str(p.target_group)},
                     {"provider", Enum(p.provider)},
                     {"provider_name", Str(p.provider_name)},
                     {"mode", Enum(p.mode)},
                     {"accreditation", Enum(p.accreditation)},
                     {"active", Int(1)}}));
    ++added;
  }
  LV_TRY(tx.Commit());
  return added;
}

Result<int> SeedProgrammeCatalogueLocally(Database& db) {
  LV_ASSIGN(Transaction tx, Transaction::Begin(db));
  int added = 0;
  for (const SeedProgramme& p : kSeedProgrammes) {
    LV_ASSIGN(std::int64_t n,
              db.QueryInt("SELECT count(*) FROM programme WHERE id=?", std::string(p.id)));
    if (n > 0) continue;
    LV_TRY(
        db.Run("INSERT INTO programme(id, scope, name, target_group, provider, provider_name, mode,"
               " accreditation, active) VALUES(?,?,?,?,?,?,?,?,1)",
               std::string(p.id), std::string(kOrgScope), Str(p.name), Str(p.target_group),
               Enum(p.provider), Str(p.provider_name), Enum(p.mode), Enum(p.accreditation)));
    ++added;
  }
  LV_TRY(tx.Commit());
  return added;
}

Result<std::string> Workspace::Execute(const CreateRegion& c) {
  LV_WORKSPACE_CTX;
  if (!CanManageOrganisation(actor_)) return NotPermitted("create regions");
  return InTransaction(db_, [&] { return DoCreateRegion(ctx, c.name, {}); });
}

Result<std::string> Workspace::Execute(const CreateUnit& c) {
  LV_WORKSPACE_CTX;
  if (!CanManageOrganisation(actor_)) return NotPermitted("create units");
  return InTransaction(db_, [&] { return DoCreateUnit(ctx, c.region_id, c.name, {}); });
}

Result<std::string> Workspace::Execute(const CreateUser& c) {
  LV_WORKSPACE_CTX;
  if (!CanManageOrganisation(actor_)) return NotPermitted("create users");
  return InTransaction(db_,
                       [&] { return DoCreateUser(ctx, c.display_name, c.role, c.unit_id, {}); });
}

Result<std::string> Workspace::Execute(const SetUserActive& c) {
  LV_WORKSPACE_CTX;
  if (!CanManageOrganisation(actor_)) return NotPermitted("change users");
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireRow(ctx, "org_user", c.user_id, "user_id"));
    LV_TRY(WriteRow(ctx, "org_user", c.user_id, kOrgScope, {{"active", Int(c.active ? 1 : 0)}}));
    return c.user_id;
  });
}

Result<std::string> Workspace::Execute(const AddProgramme& c) {
  LV_WORKSPACE_CTX;
  if (!CanManageOrganisation(actor_)) return NotPermitted("change the programme catalogue");
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(auto name, Text(c.name, "name", 200, true));
    LV_ASSIGN(auto group, Text(c.target_group, "target_group", 200, false));
    LV_ASSIGN(auto provider_name, Text(c.provider_name, "provider_name", 200, false));
    return WriteOrg(ctx, "programme", {},
                    {{"name", Str(name)},
                     {"target_group", Opt(group)},
                     {"provider", Enum(c.provider)},
                     {"provider_name", Opt(provider_name)},
                     {"mode", Enum(c.mode)},
                     {"accreditation", Enum(c.accreditation)},
                     {"active", Int(1)}});
  });
}

Result<std::string> Workspace::RecordDataTransfer(std::string_view action, std::int64_t records) {
  LV_WORKSPACE_CTX;
  if (!actor_.active || (actor_.role != Role::kAdministrator && actor_.role != Role::kSupervisor)) {
    return NotPermitted("export or import the store");
  }
  if (action != "export" && action != "import") {
    return MakeError(Errc::kInternal, "data transfer: unknown action");
  }
  const std::string scope =
      actor_.role == Role::kAdministrator ? std::string(kOrgScope) : UnitScope(actor_.unit_id);
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(Audit(ctx, scope, action, "store", "", std::to_string(records) + " records"));
    return std::string(scope);
  });
}

Result<std::string> Workspace::Execute(const SetUnitSetting& c) {
  LV_WORKSPACE_CTX;
  if (!CanWriteUnitSettings(actor_, actor_.unit_id)) return NotPermitted("change unit settings");
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(auto name, Text(c.name, "name", 100, true));
    LV_ASSIGN(auto value, Text(c.value, "value", 1000, false));
    // How long a closed case of a kind stays on devices (client/retention.hpp).
    LV_TRY(CheckRetentionSetting(name, value));
    // Contact intervals feed the caseload's overdue rule: whole days, 1..366.
    if (name.rfind(kContactIntervalPrefix, 0) == 0) {
      const std::string level = name.substr(kContactIntervalPrefix.size());
      if (std::none_of(std::begin(kContactIntervalDefaults), std::end(kContactIntervalDefaults),
                       [&](const ContactIntervalDefault& d) { return d.level == level; })) {
        return MakeError(Errc::kValidation, "name: unknown risk level in " + name);
      }
      const bool digits = !value.empty() && value.size() <= 3 &&
                          value.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || std::stoi(value) < 1 || std::stoi(value) > 366) {
        return MakeError(Errc::kValidation, "value: whole days between 1 and 366");
      }
    }
    // The card grace period (days a client's card stays with the coordinator after the
    // referral to peer mentoring ended): whole days, 0..366.
    if (name == kCardGraceSetting) {
      const bool digits = !value.empty() && value.size() <= 3 &&
                          value.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || std::stoi(value) > 366) {
        return MakeError(Errc::kValidation, "value: whole days between 0 and 366");
      }
    }
    LV_TRY(CheckCaseworkSetting(name, value));
    const std::string id = actor_.unit_id + ":" + name;
    LV_TRY(
        WriteRow(ctx, "unit_setting", id, UnitScope(actor_.unit_id),
                 {{"unit_id", Str(actor_.unit_id)}, {"name", Str(name)}, {"value", Opt(value)}}));
    return id;
  });
}

}  // namespace lietvedis::client
