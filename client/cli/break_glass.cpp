// Break-glass and covers: `break-glass --case ID --reason TEXT` (client/workflows_break_glass.cpp
// has the rules) and `covers`, the covers this device knows from the directory and, for an
// officer, the cases covered today.
#include "client/cli/cli.hpp"
#include "client/validation.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

void AddBreakGlassCommands(CLI::App& app, CliContext& ctx) {
  AddCommand<OpenBreakGlass>(
      &app, ctx, "break-glass",
      "Open a case file by break-glass until the end of today (a deputy covering for its "
      "officer, or the owner or a unit supervisor of a sealed case); audited, and the owner "
      "and the unit's supervisors see it in their agenda. Prints the record id",
      [](CLI::App* s, OpenBreakGlass& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--reason", c.reason, "Why (at least 10 characters)")->required();
      });

  auto* covers = app.add_subcommand(
      "covers", "Covers this device knows (deputy for an absent officer) and the cases you cover");
  covers->callback([&ctx] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(std::vector<CoverView> list, ctx.ws().Covers());
      LV_ASSIGN(std::vector<CoveredCase> cases, ctx.ws().CoveredCases());
      if (ctx.json) {
        nlohmann::ordered_json j{{"covers", nlohmann::ordered_json::array()},
                                 {"covered_cases", nlohmann::ordered_json::array()}};
        for (const auto& c : list) {
          j["covers"].push_back({{"user_id", c.user_id},
                                 {"user_name", c.user_name},
                                 {"deputy_user_id", c.deputy_user_id},
                                 {"deputy_name", c.deputy_name},
                                 {"from", c.from_day},
                                 {"until", c.until_day},
                                 {"current", c.current}});
        }
        for (const auto& c : cases) {
          j["covered_cases"].push_back({{"case_id", c.case_id},
                                        {"name", c.client_name},
                                        {"surname", c.client_surname},
                                        {"officer_id", c.officer_id},
                                        {"until", c.until_day},
                                        {"break_glass_until", c.break_glass_until}});
        }
        ctx.PrintJson(j);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows{{"ABSENT", "DEPUTY", "FROM", "UNTIL", "NOW"}};
      for (const auto& c : list) {
        rows.push_back({c.user_name.empty() ? c.user_id : c.user_name,
                        c.deputy_name.empty() ? c.deputy_user_id : c.deputy_name,
                        FormatDate(c.from_day), FormatDate(c.until_day), c.current ? "yes" : ""});
      }
      ctx.PrintTable(rows);
      if (!cases.empty()) {
        ctx.out() << "\nCases you cover today (open one with break-glass):\n";
        std::vector<std::vector<std::string>> crows{{"CASE", "CLIENT", "FOR", "UNTIL", "OPEN"}};
        for (const auto& c : cases) {
          crows.push_back({c.case_id, c.client_name + " " + c.client_surname, c.officer_name,
                           FormatDate(c.until_day),
                           c.break_glass_until.empty() ? "" : "until " + c.break_glass_until});
        }
        ctx.PrintTable(crows);
      }
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
