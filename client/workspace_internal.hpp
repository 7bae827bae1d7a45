// Helpers shared by the Workspace's translation units (workspace.cpp, workflows_*.cpp,
// queries.cpp). Not part of the public API: include only from client/*.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/model.hpp"
#include "client/permissions.hpp"
#include "client/schema.hpp"
#include "client/unit_settings.hpp"
#include "storage/database.hpp"
#include "storage/result.hpp"
#include "sync/replica.hpp"

namespace lietvedis::client::detail {

// Everything a workflow step needs: the connection, the replica, the actor and the clock
// reading taken once per command (so one command's rows share one timestamp).
struct Ctx {
  storage::Database& db;
  sync::Replica& rep;
  const Actor& actor;
  std::string now;    // ISO timestamp, UTC
  std::string today;  // ISO date: the day in Latvia (sync::access::ServiceDay)
};

using Fields = std::vector<sync::FieldValue>;

// Field-length limits, in bytes of UTF-8, shared by every workflow: a name or a reference
// (kName), a short free text such as an address or a centre (kShort), and a note, reason or
// description (kLong). One set, so a field means the same limit in every command.
inline constexpr size_t kName = 100;
inline constexpr size_t kShort = 200;
inline constexpr size_t kLong = 4000;

// Empty string -> NULL, so "not recorded" compares as NULL in SQL.
storage::Value Opt(std::string_view s);
storage::Value Str(std::string_view s);
storage::Value Int(std::int64_t v);
template <class E>
storage::Value Enum(E e) {
  return std::string(Code(e));
}
template <class E>
storage::Value OptEnum(const std::optional<E>& e) {
  return e ? Enum(*e) : storage::Value{};
}
// Comma-joined codes ("juvenile,woman") and back; unknown codes are skipped on decode.
template <class E>
std::string JoinCodes(const std::vector<E>& values) {
  std::string out;
  for (const E& v : values) {
    if (!out.empty()) out += ',';
    out += Code(v);
  }
  return out;
}
template <class E>
std::vector<E> SplitCodes(std::string_view text) {
  std::vector<E> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = text.substr(0, comma);
    if (auto e = FromCode<E>(part)) out.push_back(*e);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}
template <class E>
E DecodeOr(std::string_view code, E fallback) {
  auto e = FromCode<E>(code);
  return e ? *e : fallback;
}
template <class E>
std::optional<E> DecodeOpt(std::string_view code) {
  return FromCode<E>(code);
}

// Writes one row through the replica and appends an audit entry ("created" or "updated",
// detail = the column names written) in the same scope. Must run inside the command's
// transaction.
Result<void> WriteRow(Ctx& ctx, std::string_view table, std::string_view id, std::string_view scope,
                      const Fields& fields);
// Appends an audit entry (append-only row) in `scope`, as the next link of this device's
// hash chain in that scope (client/audit_chain.hpp).
Result<void> Audit(Ctx& ctx, std::string_view scope, std::string_view action,
                   std::string_view table, std::string_view target_id, std::string_view detail);

// Field checks: required/optional text with a byte limit, dates (dd.mm.yyyy or ISO) -> ISO.
Result<std::string> Text(std::string_view value, std::string_view field, size_t max_bytes,
                         bool required);
Result<std::string> Date(std::string_view value, std::string_view field, bool required);
// A date, or `fallback` (usually today) when empty.
Result<std::string> DateOr(std::string_view value, std::string_view field,
                           const std::string& fallback);
Result<void> RequireId(std::string_view id, std::string_view field);
// kValidation naming `field` unless a row with this id exists in `table`.
Result<void> RequireRow(Ctx& ctx, std::string_view table, std::string_view id,
                        std::string_view field);

// Runs `body` (returning Result<std::string>) in one BEGIN IMMEDIATE transaction; commits on
// success, rolls back on any error.
template <class F>
Result<std::string> InTransaction(storage::Database& db, F&& body) {
  LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(db));
  LV_ASSIGN(std::string id, body());
  LV_TRY(tx.Commit());
  return id;
}

Error NotPermitted(std::string_view what);
Error NotFound(std::string_view table, std::string_view id);
Error Immutable(std::string_view table, std::string_view id, std::string_view why);

// kValidation naming `field` unless `user_id` is an active officer of unit `unit_id`.
Result<void> RequireOfficerOfUnit(Ctx& ctx, std::string_view user_id, std::string_view unit_id,
                                  std::string_view field);

// An SQL expression, true for a sealed case, over a row of `probation_case` (named so): the
// case is closed and juvenile (kind juvenile_community_work or its client tagged juvenile).
inline constexpr std::string_view kSealedCaseSql =
    "(probation_case.status='closed' AND (probation_case.kind='juvenile_community_work' OR"
    " EXISTS (SELECT 1 FROM client sc WHERE sc.id=probation_case.client_id AND"
    " ','||coalesce(sc.tags,'')||',' LIKE '%,juvenile,%')))";

// Case ownership from probation_case, with the actor's cover and break-glass on it (rules in
// client/permissions.hpp); kNotFound when the case is not on this device.
struct CaseFacts {
  CaseOwnership owner;
  CaseStatus status = CaseStatus::kOpen;
  std::string client_id;
};
Result<CaseFacts> LoadCase(Ctx& ctx, std::string_view case_id);
// Ownership of a mentoring scope, from the client card (coordinators have no case rows).
Result<CaseOwnership> LoadMentoringOwner(Ctx& ctx, std::string_view case_id);

// The case a case-scope row belongs to (`SELECT case_id FROM table WHERE id=?`).
Result<std::string> CaseOfRow(Ctx& ctx, std::string_view table, std::string_view id);
// Loads the case of a row and checks that the actor writes its case file.
Result<CaseFacts> RequireCaseWrite(Ctx& ctx, std::string_view case_id);
// RequireCaseWrite, and the case still open (closed cases take only notes and corrections).
Result<CaseFacts> RequireOpenCaseWrite(Ctx& ctx, std::string_view case_id);
// The owner's daily work (contacts and their outcomes): the owner, or a deputy under an open
// break-glass (CanDoDailyWork). The refusal says when a break-glass would allow it.
Result<CaseFacts> RequireDailyWork(Ctx& ctx, std::string_view case_id, bool open_case);
// kNotPermitted for reading the case file, worded for a deputy or a sealed case ("opens only
// by break-glass with a reason") when a break-glass would allow the read.
Error ReadRefused(const Actor& a, const CaseFacts& f, std::string_view case_id);
// Loads the case and checks that the actor reads its case file: coordinators and
// administrators never do (said whether or not the case is on this device), others as
// CanReadCaseFile allows (ReadRefused otherwise).
Result<CaseFacts> RequireCaseFileRead(Ctx& ctx, std::string_view case_id);

// Closes an open case on `closed_on` inside the caller's transaction (CloseCase's rules: no
// open supervision section, kValidation naming case_id otherwise; an open referral to peer
// mentoring ends and the client card follows).
Result<void> CloseCaseInTransaction(Ctx& ctx, std::string_view case_id,
                                    const std::string& closed_on);
// The mediation of a case (client/workflows_mediation.cpp): row, parties, meetings.
Result<void> ReadMediation(storage::Database& db, std::string_view case_id,
                           std::string_view unit_id, Mediation& out);

// Permission to read / write rows of a scope, decided by the scope's kind.
Result<void> RequireScopeRead(Ctx& ctx, std::string_view scope);
Result<void> RequireScopeWrite(Ctx& ctx, std::string_view scope);

// The settings' names and defaults (kCardGraceSetting, kMaxHoursPerDaySetting, ...) are in
// client/unit_settings.hpp.
// A whole-number unit setting, or `fallback` when unset or malformed.
Result<std::int64_t> UnitSettingInt(storage::Database& db, std::string_view unit_id,
                                    std::string_view name, std::int64_t fallback);
// kValidation naming `value` unless `value` is a whole number in [lo, hi]; used by
// SetUnitSetting for the casework settings above. Ok for other names.
Result<void> CheckCaseworkSetting(std::string_view name, std::string_view value);
// Days from ISO date `from` to ISO date `to` (negative when `to` is earlier).
std::int64_t DaysBetween(std::string_view from, std::string_view to);

// Where a case stands for its client card (rules above RefreshClientCard in workspace.cpp).
enum class CardState { kReferred, kInGrace, kNotReferred };
Result<CardState> ClientCardState(Ctx& ctx, std::string_view case_id, std::string_view unit_id);

// Brings the coordinator's card of a case in mentoring:<case_id> in line with the case file
// and the card rules: writes it while the client is referred (or in grace), voids an existing
// card otherwise, writes nothing for a client never referred. Needs the case file locally
// (kNotFound otherwise); runs inside the command's transaction.
Result<void> RefreshClientCard(Ctx& ctx, std::string_view case_id);

// Declares `ctx` inside a Workspace member: one clock reading per command.
#define LV_WORKSPACE_CTX                                                        \
  ::lietvedis::client::detail::Ctx ctx {                                        \
    db_, replica_, actor_, IsoNow(options_.now_ms()), IsoDay(options_.now_ms()) \
  }

std::string IsoNow(std::int64_t ms);
std::string IsoDay(std::int64_t ms);

}  // namespace lietvedis::client::detail
