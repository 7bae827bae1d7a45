// Transfers of a case between units: `transfer offer|withdraw|accept|decline|list`. Each step
// is one Workspace command (client/workflows_transfer.cpp); the next sync reports it.
#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

namespace {

nlohmann::ordered_json TransferJson(const CaseTransfer& t) {
  return {{"id", t.id},
          {"case_id", t.case_id},
          {"from_unit_id", t.from_unit_id},
          {"to_unit_id", t.to_unit_id},
          {"reason", t.reason},
          {"status", Code(t.status)},
          {"offered_by", t.offered_by},
          {"offered_at", t.offered_at},
          {"decided_by", t.decided_by},
          {"decided_at", t.decided_at},
          {"new_officer_id", t.new_officer_id},
          {"decision_note", t.decision_note}};
}

}  // namespace

void AddTransferCommands(CLI::App& app, CliContext& ctx) {
  auto* transfer =
      app.add_subcommand("transfer", "Transfers of a case to another unit (supervisors)");
  transfer->require_subcommand(1);
  AddCommand<OfferCaseTransfer>(
      transfer, ctx, "offer", "Offer an open case to another unit; prints the transfer id",
      [](CLI::App* s, OfferCaseTransfer& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--to-unit", c.to_unit_id, "The receiving unit's id")->required();
        s->add_option("--reason", c.reason, "Why (the client moved, ...)")->required();
      });
  AddCommand<WithdrawCaseTransfer>(transfer, ctx, "withdraw", "Withdraw a waiting offer",
                                   [](CLI::App* s, WithdrawCaseTransfer& c, auto&) {
                                     s->add_option("--transfer", c.transfer_id)->required();
                                     s->add_option("--note", c.note);
                                   });
  AddCommand<AcceptCaseTransfer>(
      transfer, ctx, "accept", "Accept a case offered to your unit, naming its new officer",
      [](CLI::App* s, AcceptCaseTransfer& c, auto&) {
        s->add_option("--transfer", c.transfer_id)->required();
        s->add_option("--officer", c.new_officer_id, "An officer of your unit")->required();
        s->add_option("--note", c.note);
      });
  AddCommand<DeclineCaseTransfer>(transfer, ctx, "decline",
                                  "Decline a case offered to your unit, with a reason",
                                  [](CLI::App* s, DeclineCaseTransfer& c, auto&) {
                                    s->add_option("--transfer", c.transfer_id)->required();
                                    s->add_option("--reason", c.reason)->required();
                                  });
  auto* list = transfer->add_subcommand(
      "list", "Transfers of your unit's cases, newest first (--incoming: offers waiting for you)");
  auto incoming = std::make_shared<bool>(false);
  list->add_flag("--incoming", *incoming, "Only offers to your unit that wait for a decision");
  list->callback([&ctx, incoming] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto transfers, ctx.ws().Transfers(*incoming));
      if (ctx.json) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const auto& t : transfers) a.push_back(TransferJson(t));
        ctx.PrintJson(a);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows{{"ID", "CASE", "FROM", "TO", "STATUS", "OFFERED"}};
      for (const auto& t : transfers) {
        rows.push_back({t.id, t.case_id, t.from_unit_id, t.to_unit_id, std::string(Code(t.status)),
                        t.offered_at});
      }
      ctx.PrintTable(rows);
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
