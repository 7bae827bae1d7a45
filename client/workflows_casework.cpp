// Casework as the service practises it (issue 14): MAPPA action completion, community work
// (orders, placements, hours logged per day) and the escalation ladder (the officer's decision
// on each missed contact). Every command: validate fields, check permission, enforce the
// rule, write through the replica in one transaction (client/workspace.hpp has the contract).
//
// Rules (docs/DOMAIN.md, "Community work" and "Escalation"):
//  - a MAPPA action is done once, on or after the meeting that agreed it and not in the
//    future; completion is follow-up, so it is accepted after the minutes are signed;
//  - a community work order belongs to a community_work or juvenile_community_work case, one
//    per case, 1..280 hours (Criminal Law, section 40), a deadline after the order date;
//  - a placement starts on or after the order date; it ends once, not before its start, not
//    in the future and not before the last day logged at it;
//  - hours are logged per day at a placement: the day lies inside the placement, on or after
//    the order date and not after today; a day's total stays within the unit's daily limit
//    (community_work.max_hours_per_day, default 8) and the order's total within the hours
//    ordered. Logs are append-only: a wrong entry is corrected with CorrectRecord;
//  - a missed contact takes one decision, warning or justified absence (the latter with a
//    reason), dated not before the contact and not in the future; a warning is counted in
//    the case's open supervision section, so it needs one.
#include <algorithm>
#include <cstdlib>

#include "client/validation.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace detail {

Result<std::int64_t> UnitSettingInt(storage::Database& db, std::string_view unit_id,
                                    std::string_view name, std::int64_t fallback) {
  LV_ASSIGN(Statement st, db.Prepare("SELECT value FROM unit_setting WHERE unit_id=? AND name=?"));
  st.BindAll(unit_id, name);
  LV_ASSIGN(bool row, st.Step());
  if (!row || st.IsNull(0)) return fallback;
  const std::string value = st.Text(0);
  if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != value.npos)
    return fallback;
  return static_cast<std::int64_t>(std::stoll(value));
}

Result<void> CheckCaseworkSetting(std::string_view name, std::string_view value) {
  auto whole_in = [&](int lo, int hi) -> Result<void> {
    const bool digits = !value.empty() && value.size() <= 3 &&
                        value.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits || std::stoi(std::string(value)) < lo || std::stoi(std::string(value)) > hi) {
      return MakeError(Errc::kValidation, "value: a whole number between " + std::to_string(lo) +
                                              " and " + std::to_string(hi));
    }
    return Ok();
  };
  if (name == kMaxHoursPerDaySetting) return whole_in(1, 12);
  if (name == kWarningThresholdSetting) return whole_in(1, 10);
  return Ok();
}

std::int64_t DaysBetween(std::string_view from, std::string_view to) {
  // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
  auto days = [](std::string_view iso) -> std::int64_t {
    if (iso.size() < 10) return 0;
    std::int64_t y = std::atoi(std::string(iso.substr(0, 4)).c_str());
    const unsigned m = static_cast<unsigned>(std::atoi(std::string(iso.substr(5, 2)).c_str()));
    const unsigned d = static_cast<unsigned>(std::atoi(std::string(iso.substr(8, 2)).c_str()));
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
  };
  return days(to) - days(from);
}

}  // namespace detail

namespace {

constexpr std::int64_t kMaxHoursOrdered = 280;

// The first column of the first row as text ("" for NULL or no row).
template <class... Args>
Result<std::string> QueryText(storage::Database& db, std::string_view sql, const Args&... args) {
  LV_ASSIGN(Statement st, db.Prepare(sql));
  st.BindAll(args...);
  LV_ASSIGN(bool row, st.Step());
  return row ? st.Text(0) : std::string();
}

struct OrderFacts {
  std::string case_id, ordered_on, deadline_on;
  std::int64_t hours_ordered = 0;
};

Result<OrderFacts> LoadOrder(Ctx& ctx, std::string_view order_id) {
  LV_TRY(RequireId(order_id, "order_id"));
  LV_ASSIGN(Statement st, ctx.db.Prepare("SELECT case_id, ordered_on, deadline_on, hours_ordered"
                                         " FROM community_order WHERE id=?"));
  st.Bind(1, order_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("community_order", order_id);
  return OrderFacts{st.Text(0), st.Text(1), st.Text(2), st.Int(3)};
}

struct PlacementFacts {
  std::string case_id, order_id, started_on, ended_on;
};

Result<PlacementFacts> LoadPlacement(Ctx& ctx, std::string_view placement_id) {
  LV_TRY(RequireId(placement_id, "placement_id"));
  LV_ASSIGN(Statement st, ctx.db.Prepare("SELECT case_id, order_id, started_on, ended_on"
                                         " FROM work_placement WHERE id=?"));
  st.Bind(1, placement_id);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return NotFound("work_placement", placement_id);
  return PlacementFacts{st.Text(0), st.Text(1), st.Text(2), st.Text(3)};
}

std::string Hours(std::int64_t minutes) {
  std::string out = std::to_string(minutes / 60);
  if (minutes % 60 != 0) {
    const std::int64_t m = minutes % 60;
    out += (m < 10 ? ":0" : ":") + std::to_string(m);
  }
  return out + " h";
}

}  // namespace

// ---------------------------------------------------------------------------------------
// MAPPA action completion

Result<std::string> Workspace::Execute(const CompleteMappaAction& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireId(c.action_id, "action_id"));
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT m.unit_id, m.held_on, a.done_on, a.voided_at IS NOT NULL"
                          " FROM mappa_action a JOIN mappa_meeting m ON m.id = a.meeting_id"
                          " WHERE a.id=?"));
    st.Bind(1, c.action_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("mappa_action", c.action_id);
    const std::string unit_id = st.Text(0), held_on = st.Text(1), done_on = st.Text(2);
    const bool voided = st.Int(3) != 0;
    if (!CanWriteUnitMeetings(actor_, unit_id))
      return NotPermitted("complete actions of unit " + unit_id + "'s meetings");
    if (voided) return Immutable("mappa_action", c.action_id, "voided");
    if (!done_on.empty()) return Immutable("mappa_action", c.action_id, "done on " + done_on);
    LV_ASSIGN(auto done, DateOr(c.done_on, "done_on", ctx.today));
    if (done > ctx.today) return MakeError(Errc::kValidation, "done_on: in the future");
    if (done < held_on) {
      return MakeError(Errc::kValidation,
                       "done_on: before the meeting of " + held_on + " that agreed the action");
    }
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    LV_TRY(WriteRow(
        ctx, "mappa_action", c.action_id, UnitScope(unit_id),
        {{"done_on", Str(done)}, {"done_by", Str(actor_.user_id)}, {"done_note", Opt(note)}}));
    return c.action_id;
  });
}

// ---------------------------------------------------------------------------------------
// Community work

Result<std::string> Workspace::Execute(const OrderCommunityWork& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireOpenCaseWrite(ctx, c.case_id));
    LV_ASSIGN(std::string kind,
              QueryText(db_, "SELECT kind FROM probation_case WHERE id=?", c.case_id));
    if (kind != Code(CaseKind::kCommunityWork) && kind != Code(CaseKind::kJuvenileCommunityWork)) {
      return MakeError(Errc::kValidation,
                       "case_id: community work orders belong to community_work and "
                       "juvenile_community_work cases, not " +
                           kind);
    }
    LV_ASSIGN(std::string existing,
              QueryText(db_, "SELECT coalesce(max(id), '') FROM community_order WHERE case_id=?",
                        c.case_id));
    if (!existing.empty()) {
      return MakeError(Errc::kValidation,
                       "case_id: the case already has a community work order (" + existing + ")");
    }
    if (c.hours_ordered < 1 || c.hours_ordered > kMaxHoursOrdered) {
      return MakeError(Errc::kValidation, "hours_ordered: whole hours between 1 and " +
                                              std::to_string(kMaxHoursOrdered));
    }
    LV_ASSIGN(auto ordered, DateOr(c.ordered_on, "ordered_on", ctx.today));
    if (ordered > ctx.today) return MakeError(Errc::kValidation, "ordered_on: in the future");
    LV_ASSIGN(auto deadline, Date(c.deadline_on, "deadline_on", true));
    if (deadline <= ordered)
      return MakeError(Errc::kValidation, "deadline_on: must be after the order date " + ordered);
    LV_ASSIGN(auto ref, Text(c.court_decision_ref, "court_decision_ref", kShort, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "community_order", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"hours_ordered", Int(c.hours_ordered)},
                     {"ordered_on", Str(ordered)},
                     {"deadline_on", Str(deadline)},
                     {"court_decision_ref", Opt(ref)},
                     {"created_by", Str(actor_.user_id)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const AddWorkPlacement& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(OrderFacts order, LoadOrder(ctx, c.order_id));
    LV_TRY(RequireOpenCaseWrite(ctx, order.case_id));
    LV_ASSIGN(auto provider, Text(c.provider, "provider", kShort, true));
    LV_ASSIGN(auto address, Text(c.address, "address", kShort, true));
    LV_ASSIGN(auto started, DateOr(c.started_on, "started_on", ctx.today));
    if (started < order.ordered_on) {
      return MakeError(Errc::kValidation, "started_on: before the order of " + order.ordered_on);
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "work_placement", id, CaseScope(order.case_id),
                    {{"case_id", Str(order.case_id)},
                     {"order_id", Str(c.order_id)},
                     {"provider", Str(provider)},
                     {"address", Str(address)},
                     {"started_on", Str(started)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const EndWorkPlacement& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(PlacementFacts p, LoadPlacement(ctx, c.placement_id));
    LV_TRY(RequireOpenCaseWrite(ctx, p.case_id));
    if (!p.ended_on.empty())
      return Immutable("work_placement", c.placement_id, "ended on " + p.ended_on);
    LV_ASSIGN(auto ended, DateOr(c.ended_on, "ended_on", ctx.today));
    if (ended > ctx.today) return MakeError(Errc::kValidation, "ended_on: in the future");
    if (ended < p.started_on)
      return MakeError(Errc::kValidation, "ended_on: before the start " + p.started_on);
    LV_ASSIGN(std::string last, QueryText(db_,
                                          "SELECT coalesce(max(worked_on), '') FROM community_hours"
                                          " WHERE placement_id=?",
                                          c.placement_id));
    if (!last.empty() && ended < last) {
      return MakeError(Errc::kValidation,
                       "ended_on: hours are logged at this placement on " + last);
    }
    LV_TRY(WriteRow(ctx, "work_placement", c.placement_id, CaseScope(p.case_id),
                    {{"ended_on", Str(ended)}}));
    return c.placement_id;
  });
}

Result<std::string> Workspace::Execute(const LogCommunityHours& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(PlacementFacts p, LoadPlacement(ctx, c.placement_id));
    LV_ASSIGN(CaseFacts cf, RequireOpenCaseWrite(ctx, p.case_id));
    LV_ASSIGN(OrderFacts order, LoadOrder(ctx, p.order_id));
    LV_ASSIGN(auto day, Date(c.worked_on, "worked_on", true));
    if (day > ctx.today) return MakeError(Errc::kValidation, "worked_on: in the future");
    if (day < order.ordered_on)
      return MakeError(Errc::kValidation, "worked_on: before the order of " + order.ordered_on);
    if (day < p.started_on || (!p.ended_on.empty() && day > p.ended_on)) {
      return MakeError(Errc::kValidation, "worked_on: outside the placement (" + p.started_on +
                                              " to " + (p.ended_on.empty() ? "now" : p.ended_on) +
                                              ")");
    }
    if (c.minutes < 1) return MakeError(Errc::kValidation, "minutes: at least one minute");
    LV_ASSIGN(std::int64_t max_hours, UnitSettingInt(db_, cf.owner.unit_id, kMaxHoursPerDaySetting,
                                                     kDefaultMaxHoursPerDay));
    LV_ASSIGN(std::int64_t that_day,
              db_.QueryInt("SELECT coalesce(sum(minutes), 0) FROM community_hours"
                           " WHERE order_id=? AND worked_on=?",
                           p.order_id, day));
    if (that_day + c.minutes > max_hours * 60) {
      return MakeError(Errc::kValidation, "minutes: " + Hours(that_day + c.minutes) + " on " + day +
                                              " exceed the daily limit of " +
                                              std::to_string(max_hours) + " h (" + Hours(that_day) +
                                              " already logged)");
    }
    LV_ASSIGN(std::int64_t done,
              db_.QueryInt("SELECT coalesce(sum(minutes), 0) FROM community_hours"
                           " WHERE order_id=?",
                           p.order_id));
    if (done + c.minutes > order.hours_ordered * 60) {
      return MakeError(Errc::kValidation, "minutes: more than the " +
                                              Hours(order.hours_ordered * 60 - done) +
                                              " that remain of the order");
    }
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "community_hours", id, CaseScope(p.case_id),
                    {{"case_id", Str(p.case_id)},
                     {"order_id", Str(p.order_id)},
                     {"placement_id", Str(c.placement_id)},
                     {"worked_on", Str(day)},
                     {"minutes", Int(c.minutes)},
                     {"note", Opt(note)},
                     {"logged_by", Str(actor_.user_id)},
                     {"logged_at", Str(ctx.now)}}));
    return id;
  });
}

// ---------------------------------------------------------------------------------------
// Escalation ladder

Result<std::string> Workspace::Execute(const DecideMissedContact& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_TRY(RequireId(c.contact_id, "contact_id"));
    LV_ASSIGN(std::string case_id, CaseOfRow(ctx, "contact", c.contact_id));
    LV_TRY(RequireOpenCaseWrite(ctx, case_id));
    LV_ASSIGN(Statement st, db_.Prepare("SELECT status, substr(planned_at, 1, 10),"
                                        " (SELECT decision FROM escalation_decision d"
                                        "   WHERE d.contact_id = contact.id LIMIT 1)"
                                        " FROM contact WHERE id=?"));
    st.Bind(1, c.contact_id);
    LV_ASSIGN(bool row, st.Step());
    if (!row) return NotFound("contact", c.contact_id);
    const std::string status = st.Text(0), contact_on = st.Text(1), decided = st.Text(2);
    if (status != Code(ContactStatus::kMissed)) {
      return MakeError(
          Errc::kValidation,
          "contact_id: only a missed contact takes a decision (this one is " + status + ")");
    }
    if (!decided.empty()) return Immutable("contact", c.contact_id, "already decided: " + decided);
    LV_ASSIGN(auto decided_on, DateOr(c.decided_on, "decided_on", ctx.today));
    if (decided_on > ctx.today) return MakeError(Errc::kValidation, "decided_on: in the future");
    if (decided_on < contact_on) {
      return MakeError(Errc::kValidation, "decided_on: before the missed contact of " + contact_on);
    }
    const bool justified = c.decision == MissedContactDecision::kJustifiedAbsence;
    LV_ASSIGN(auto reason, Text(c.reason, "reason", kLong, justified));
    LV_ASSIGN(std::string section, QueryText(db_,
                                             "SELECT coalesce(max(id), '') FROM supervision_section"
                                             " WHERE case_id=? AND status='open'",
                                             case_id));
    if (!justified && section.empty()) {
      return MakeError(Errc::kValidation,
                       "contact_id: the case has no open supervision section to count a "
                       "warning in");
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "escalation_decision", id, CaseScope(case_id),
                    {{"case_id", Str(case_id)},
                     {"contact_id", Str(c.contact_id)},
                     {"section_id", Opt(section)},
                     {"decision", Enum(c.decision)},
                     {"reason", Opt(reason)},
                     {"decided_on", Str(decided_on)},
                     {"decided_by", Str(actor_.user_id)}}));
    return id;
  });
}

}  // namespace lietvedis::client
