// Break-glass and covers (issue #15 item 5; docs/PRIVACY.md "Break-glass").
//
// Rules (who may is decided in client/permissions.hpp, from the facts LoadCase reads):
//  B1. A cover comes only from the organisation's directory (org_cover, replaced at every
//      directory sync): a deputy and an absent officer of the same unit, from_day..until_day
//      inclusive, compared with the workspace's day. Nothing on the device creates one.
//  B2. Opening needs a reason: trimmed, at least kBreakGlassReasonMinChars characters, at most
//      kLong bytes of well-formed UTF-8. A bad reason writes nothing.
//  B3. It works offline and writes, in one transaction, a break_glass row in the case's scope
//      (case, user, reason, opened_at, until) and a `break_glass` entry of the actor's audit
//      chain in that scope (detail: the `until`, never the reason: the reason is in the row,
//      which only the case's readers hold). The row replicates with the case to its owner
//      and the unit's supervisors.
//  B4. `until` is the end of the day in Latvia the break-glass is opened on (midnight in Riga,
//      whatever the device's time zone), as an ISO UTC timestamp: the access lasts the working day,
//      not beyond. Opening again the same day writes another row (each reason is kept).
//  B5. While it is open a deputy reads the case file (each read audited as every read) and
//      does the owner's daily work; on a sealed case everyone reads only. When the cover ends,
//      the deputy's break-glass grants nothing more (the cover is checked at every call).
#include <chrono>
#include <span>
#include <string>
#include <tuple>

#include "client/history.hpp"
#include "client/queries_internal.hpp"
#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"
#include "sync/access_rules.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

// The last second of the service's day (the day in Latvia) holding `ms`, as an ISO UTC stamp
// (rule B4): the grant ends at midnight in Riga, whatever time zone the device is set to.
std::string EndOfServiceDay(std::int64_t ms) {
  using namespace std::chrono;
  const std::string day = sync::access::ServiceDay(ms);
  const year_month_day ymd(year(std::stoi(day.substr(0, 4))),
                           month(static_cast<unsigned>(std::stoi(day.substr(5, 2)))),
                           std::chrono::day(static_cast<unsigned>(std::stoi(day.substr(8, 2)))));
  const std::int64_t next_utc_midnight =
      duration_cast<milliseconds>((sys_days(ymd) + days(1)).time_since_epoch()).count();
  // Latvia's offset changes at 01:00 UTC, so the offset four hours before the UTC midnight is
  // the offset at the local one.
  const std::int64_t local_midnight =
      next_utc_midnight - sync::access::ServiceUtcOffsetMs(next_utc_midnight - 4 * 3'600'000LL);
  return IsoNow(local_midnight - 1000);
}

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

size_t Utf8Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

Result<std::string> Workspace::Execute(const OpenBreakGlass& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts f, LoadCase(ctx, c.case_id));
    if (!CanOpenBreakGlass(actor_, f.owner)) {
      if (f.owner.sealed)
        return NotPermitted("break-glass on sealed case " + c.case_id +
                            ": only its responsible officer and the unit's supervisors");
      if (CanReadCaseFile(actor_, f.owner))
        return NotPermitted("break-glass on case " + c.case_id + ": you read it already");
      return NotPermitted("break-glass on case " + c.case_id +
                          ": only an officer the directory names as covering today for its "
                          "responsible officer");
    }
    const std::string_view reason = Trim(c.reason);
    LV_TRY(ValidateText(reason, "reason", kLong, true));
    if (Utf8Chars(reason) < kBreakGlassReasonMinChars) {
      static_assert(kBreakGlassReasonMinChars == 10, "the message below names the minimum");
      return MakeError(Errc::kValidation, "reason: at least 10 characters");
    }
    const std::string until = EndOfServiceDay(options_.now_ms());
    const std::string id = sync::Replica::NewId();
    const std::string scope = CaseScope(c.case_id);
    const Fields fields = {{"case_id", Str(c.case_id)},
                           {"user_id", Str(actor_.user_id)},
                           {"reason", Str(reason)},
                           {"opened_at", Str(ctx.now)},
                           {"until", Str(until)}};
    LV_TRY(replica_.Write("break_glass", id, scope, std::span<const sync::FieldValue>(fields)));
    LV_TRY(Audit(ctx, scope, "break_glass", "break_glass", id, FormatBreakGlassDetail(until)));
    return id;
  });
}

Result<std::vector<CoveredCase>> Workspace::CoveredCases() {
  LV_WORKSPACE_CTX;
  std::vector<CoveredCase> out;
  if (!actor_.active || actor_.role != Role::kOfficer) return out;
  LV_ASSIGN(Statement st,
            db_.Prepare("SELECT p.id, coalesce(cl.name, ''), coalesce(cl.surname, ''),"
                        " p.responsible_officer_id, coalesce(o.display_name, ''), v.until_day,"
                        " coalesce((SELECT max(b.until) FROM break_glass b WHERE b.case_id=p.id"
                        "  AND b.user_id=?1 AND b.opened_at<=?3 AND ?3<b.until), '')"
                        " FROM org_cover v"
                        " JOIN org_user o ON o.id=v.user_id"
                        " JOIN org_user d ON d.id=v.deputy_user_id"
                        " JOIN probation_case p ON p.responsible_officer_id=v.user_id"
                        "  AND p.unit_id=o.unit_id AND p.unit_id=d.unit_id"
                        " LEFT JOIN client cl ON cl.id=p.client_id"
                        " WHERE v.deputy_user_id=?1 AND v.user_id<>?1 AND v.from_day<=?2"
                        "  AND ?2<=v.until_day AND p.status='open'"));
  st.Bind(1, actor_.user_id);
  st.Bind(2, ctx.today);
  st.Bind(3, ctx.now);
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(
        {st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6)});
  }
  SortLatvian(out, [](const CoveredCase& r) {
    return std::tie(r.client_surname, r.client_name, r.case_id);
  });
  return out;
}

Result<std::vector<CoverView>> Workspace::Covers() {
  LV_WORKSPACE_CTX;
  if (!actor_.active) return NotPermitted("list covers");
  LV_ASSIGN(Statement st,
            db_.Prepare("SELECT v.user_id, coalesce(o.display_name, ''), v.deputy_user_id,"
                        " coalesce(d.display_name, ''), v.from_day, v.until_day,"
                        " v.from_day<=?1 AND ?1<=v.until_day FROM org_cover v"
                        " LEFT JOIN org_user o ON o.id=v.user_id"
                        " LEFT JOIN org_user d ON d.id=v.deputy_user_id"
                        " WHERE v.until_day>=?1 ORDER BY v.from_day, v.user_id"));
  st.Bind(1, ctx.today);
  std::vector<CoverView> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(
        {st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Int(6) != 0});
  }
  return out;
}

Result<std::vector<BreakGlassEntry>> Workspace::BreakGlasses(std::string_view case_id) {
  LV_WORKSPACE_CTX;
  LV_ASSIGN(CaseFacts f, LoadCase(ctx, case_id));
  if (!CanReadCaseFile(actor_, f.owner) && !CanOpenBreakGlass(actor_, f.owner))
    return NotPermitted("read case " + std::string(case_id));
  LV_ASSIGN(Statement st,
            db_.Prepare("SELECT b.id, b.case_id, b.user_id, coalesce(u.display_name, ''),"
                        " b.reason, b.opened_at, b.until FROM break_glass b"
                        " LEFT JOIN org_user u ON u.id=b.user_id WHERE b.case_id=?"
                        " ORDER BY b.opened_at DESC, b.rowid DESC"));
  st.Bind(1, case_id);
  std::vector<BreakGlassEntry> out;
  for (;;) {
    LV_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(
        {st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6)});
  }
  return out;
}

}  // namespace lietvedis::client
