// Transfers of a case between units (a client moves from Liepāja to Jelgava). The record is a
// case_transfer row in the case scope; the sync engine reports each step to the central store
// and wraps the case's keys for the receiving unit only while this record names it (sync/
// engine_transfer.cpp, docs/PROTOCOL.md "Transfers").
//
// Rules:
//  X1. An active supervisor of the case's unit offers an open case to another known unit, with
//      a reason. One offer waits at a time. Not while the client has an open mentoring
//      referral: the mentor is a volunteer of the sending unit (end the referral first).
//  X2. While the offer waits, supervisors of the receiving unit read the case file (to decide)
//      and nobody else of that unit does; the sending unit keeps working on the case.
//  X3. A supervisor of the receiving unit accepts, naming an active officer of that unit as
//      the responsible officer, or declines with a reason; the sending supervisor may withdraw
//      a waiting offer. Each decides once: a decided transfer is immutable.
//  X4. On acceptance the case's unit and responsible officer change in the case record; the
//      history stays with the case. The sending unit's devices lose the case at their next
//      sync (purge), and the receiving unit's first writer rotates the case key.
#include "client/queries_internal.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;

namespace {

struct TransferFacts {
  std::string case_id, from_unit_id, to_unit_id;
  TransferStatus status = TransferStatus::kOffered;
};

Result<TransferFacts> LoadTransfer(Ctx& ctx, std::string_view id) {
  LV_TRY(RequireId(id, "transfer_id"));
  LV_ASSIGN(Statement * st,
            ctx.db.Cached("SELECT case_id, from_unit_id, to_unit_id, status FROM case_transfer "
                          "WHERE id=?"));
  st->Bind(1, id);
  LV_ASSIGN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return NotFound("case_transfer", id);
  }
  TransferFacts f{st->Text(0), st->Text(1), st->Text(2),
                  DecodeOr(st->Text(3), TransferStatus::kOffered)};
  st->Reset();
  return f;
}

// The waiting transfer `id`, with its case's facts; kNotPermitted unless `allowed` says the
// actor may take this step, Immutable once decided.
template <class Allowed>
Result<std::pair<TransferFacts, CaseFacts>> LoadWaiting(Ctx& ctx, std::string_view id,
                                                        std::string_view step, Allowed allowed) {
  LV_ASSIGN(TransferFacts t, LoadTransfer(ctx, id));
  LV_ASSIGN(CaseFacts cf, LoadCase(ctx, t.case_id));
  if (!allowed(ctx.actor, cf.owner, t)) {
    return NotPermitted(std::string(step) + " the transfer of case " + t.case_id);
  }
  if (t.status != TransferStatus::kOffered) {
    return MakeError(Errc::kNotPermitted,
                     "transfer " + std::string(id) + " is already " + std::string(Code(t.status)));
  }
  return std::pair{std::move(t), std::move(cf)};
}

Fields Decision(Ctx& ctx, TransferStatus status, const std::string& note) {
  return {{"status", Enum(status)},
          {"decided_by", Str(ctx.actor.user_id)},
          {"decided_at", Str(ctx.now)},
          {"decision_note", Opt(note)}};
}

CaseTransfer ReadTransfer(Statement& s) {
  CaseTransfer t;
  t.id = s.Text(0);
  t.case_id = s.Text(1);
  t.from_unit_id = s.Text(2);
  t.to_unit_id = s.Text(3);
  t.reason = s.Text(4);
  t.status = DecodeOr(s.Text(5), TransferStatus::kOffered);
  t.offered_by = s.Text(6);
  t.offered_at = s.Text(7);
  t.decided_by = s.Text(8);
  t.decided_at = s.Text(9);
  t.new_officer_id = s.Text(10);
  t.decision_note = s.Text(11);
  t.from_unit_name = s.Text(12);
  t.to_unit_name = s.Text(13);
  t.offered_by_name = s.Text(14);
  t.decided_by_name = s.Text(15);
  t.new_officer_name = s.Text(16);
  return t;
}

constexpr const char* kTransferSelect =
    "SELECT t.id, t.case_id, t.from_unit_id, t.to_unit_id, coalesce(t.reason, ''),"
    " t.status, t.offered_by, t.offered_at, coalesce(t.decided_by, ''),"
    " coalesce(t.decided_at, ''), coalesce(t.new_officer_id, ''),"
    " coalesce(t.decision_note, ''), coalesce(fu.name, ''), coalesce(tu.name, ''),"
    " coalesce(ob.display_name, ''), coalesce(db.display_name, ''),"
    " coalesce(no.display_name, '') FROM case_transfer t"
    " LEFT JOIN org_unit fu ON fu.id=t.from_unit_id LEFT JOIN org_unit tu ON tu.id=t.to_unit_id"
    " LEFT JOIN org_user ob ON ob.id=t.offered_by LEFT JOIN org_user db ON db.id=t.decided_by"
    " LEFT JOIN org_user no ON no.id=t.new_officer_id";

}  // namespace

namespace detail {

Result<std::vector<CaseTransfer>> ReadCaseTransfers(storage::Database& db,
                                                    const std::string& case_id) {
  return Collect<CaseTransfer>(
      db, std::string(kTransferSelect) + " WHERE t.case_id=? ORDER BY t.offered_at, t.rowid",
      ReadTransfer, case_id);
}

}  // namespace detail

Result<std::string> Workspace::Execute(const OfferCaseTransfer& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(CaseFacts cf, LoadCase(ctx, c.case_id));
    if (!CanOfferTransfer(actor_, cf.owner)) {
      return NotPermitted("offer case " + c.case_id + " to another unit");
    }
    if (cf.status != CaseStatus::kOpen) {
      return MakeError(Errc::kValidation, "case_id: a closed case is not transferred");
    }
    LV_TRY(RequireId(c.to_unit_id, "to_unit_id"));
    if (c.to_unit_id == cf.owner.unit_id) {
      return MakeError(Errc::kValidation, "to_unit_id: the case's own unit");
    }
    LV_TRY(RequireRow(ctx, "org_unit", c.to_unit_id, "to_unit_id"));
    LV_ASSIGN(auto reason, Text(c.reason, "reason", kLong, true));
    if (!cf.owner.transfer_unit_id.empty()) {
      return MakeError(Errc::kValidation, "case_id: a transfer to unit " +
                                              cf.owner.transfer_unit_id +
                                              " waits (withdraw it first)");
    }
    LV_ASSIGN(std::int64_t referrals,
              db_.QueryInt("SELECT count(*) FROM mentoring_referral WHERE case_id=? AND "
                           "ended_on IS NULL",
                           c.case_id));
    if (referrals > 0) {
      return MakeError(Errc::kValidation,
                       "case_id: the client has an open mentoring referral (end it first: the "
                       "mentor belongs to this unit)");
    }
    const std::string id = sync::Replica::NewId();
    LV_TRY(WriteRow(ctx, "case_transfer", id, CaseScope(c.case_id),
                    {{"case_id", Str(c.case_id)},
                     {"from_unit_id", Str(cf.owner.unit_id)},
                     {"to_unit_id", Str(c.to_unit_id)},
                     {"reason", Str(reason)},
                     {"status", Enum(TransferStatus::kOffered)},
                     {"offered_by", Str(actor_.user_id)},
                     {"offered_at", Str(ctx.now)}}));
    return id;
  });
}

Result<std::string> Workspace::Execute(const WithdrawCaseTransfer& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(auto waiting,
              LoadWaiting(ctx, c.transfer_id, "withdraw",
                          [](const Actor& a, const CaseOwnership& o, const TransferFacts& t) {
                            return CanOfferTransfer(a, o) && o.unit_id == t.from_unit_id;
                          }));
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    LV_TRY(WriteRow(ctx, "case_transfer", c.transfer_id, CaseScope(waiting.first.case_id),
                    Decision(ctx, TransferStatus::kWithdrawn, note)));
    return c.transfer_id;
  });
}

Result<std::string> Workspace::Execute(const DeclineCaseTransfer& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(auto waiting,
              LoadWaiting(ctx, c.transfer_id, "decline",
                          [](const Actor& a, const CaseOwnership& o, const TransferFacts& t) {
                            return CanDecideTransfer(a, o) && o.transfer_unit_id == t.to_unit_id;
                          }));
    LV_ASSIGN(auto reason, Text(c.reason, "reason", kLong, true));
    LV_TRY(WriteRow(ctx, "case_transfer", c.transfer_id, CaseScope(waiting.first.case_id),
                    Decision(ctx, TransferStatus::kDeclined, reason)));
    return c.transfer_id;
  });
}

Result<std::string> Workspace::Execute(const AcceptCaseTransfer& c) {
  LV_WORKSPACE_CTX;
  return InTransaction(db_, [&]() -> Result<std::string> {
    LV_ASSIGN(auto waiting,
              LoadWaiting(ctx, c.transfer_id, "accept",
                          [](const Actor& a, const CaseOwnership& o, const TransferFacts& t) {
                            return CanDecideTransfer(a, o) && o.transfer_unit_id == t.to_unit_id;
                          }));
    const TransferFacts& t = waiting.first;
    LV_TRY(RequireOfficerOfUnit(ctx, c.new_officer_id, t.to_unit_id, "new_officer_id"));
    LV_ASSIGN(auto note, Text(c.note, "note", kLong, false));
    Fields decision = Decision(ctx, TransferStatus::kAccepted, note);
    decision.push_back({"new_officer_id", Str(c.new_officer_id)});
    LV_TRY(WriteRow(ctx, "case_transfer", c.transfer_id, CaseScope(t.case_id), decision));
    LV_TRY(WriteRow(
        ctx, "probation_case", t.case_id, CaseScope(t.case_id),
        {{"unit_id", Str(t.to_unit_id)}, {"responsible_officer_id", Str(c.new_officer_id)}}));
    return c.transfer_id;
  });
}

Result<std::vector<CaseTransfer>> Workspace::Transfers(bool incoming) {
  LV_WORKSPACE_CTX;
  (void)ctx;
  if (!actor_.active || actor_.role != Role::kSupervisor) return NotPermitted("list transfers");
  if (incoming) {
    return Collect<CaseTransfer>(db_,
                                 std::string(kTransferSelect) +
                                     " WHERE t.to_unit_id=? AND t.status='offered'"
                                     " ORDER BY t.offered_at DESC, t.rowid DESC",
                                 ReadTransfer, actor_.unit_id);
  }
  return Collect<CaseTransfer>(
      db_,
      std::string(kTransferSelect) +
          " WHERE t.from_unit_id=?1 OR t.to_unit_id=?1 ORDER BY t.offered_at DESC, t.rowid DESC",
      ReadTransfer, actor_.unit_id);
}

}  // namespace lietvedis::client
