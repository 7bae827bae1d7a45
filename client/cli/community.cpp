// Community work (piespiedu darbs, adults and juveniles): order, placement, placement-end,
// log, show. Each command runs one Workspace command; `show` is an audited read of the case.
#include <cmath>

#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

namespace {

// "4", "4:30" or "4.5" hours -> minutes; -1 when malformed or not a whole minute.
std::int64_t ParseHours(const std::string& text) {
  if (text.empty()) return -1;
  const auto colon = text.find(':');
  try {
    if (colon != std::string::npos) {
      const std::string h = text.substr(0, colon), m = text.substr(colon + 1);
      if (h.empty() || m.size() != 2 || h.find_first_not_of("0123456789") != std::string::npos ||
          m.find_first_not_of("0123456789") != std::string::npos || std::stoi(m) > 59)
        return -1;
      return std::stoll(h) * 60 + std::stoll(m);
    }
    if (text.find_first_not_of("0123456789.") != std::string::npos) return -1;
    const double minutes = std::stod(text) * 60.0;
    const double whole = std::round(minutes);
    if (std::fabs(minutes - whole) > 1e-6) return -1;
    return static_cast<std::int64_t>(whole);
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

void AddCommunityCommands(CLI::App& app, CliContext& ctx) {
  auto* community = app.add_subcommand("community", "Community work: orders, placements, hours");
  community->require_subcommand(1);
  AddCommand<OrderCommunityWork>(
      community, ctx, "order", "Record the court's community work order (one per case)",
      [](CLI::App* s, OrderCommunityWork& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--hours", c.hours_ordered, "Hours ordered (1..280)")->required();
        s->add_option("--ordered", c.ordered_on, "dd.mm.yyyy (default today)");
        s->add_option("--deadline", c.deadline_on, "dd.mm.yyyy")->required();
        s->add_option("--court-decision", c.court_decision_ref, "Court decision reference");
      });
  AddCommand<AddWorkPlacement>(community, ctx, "placement", "Place the client with a provider",
                               [](CLI::App* s, AddWorkPlacement& c, auto&) {
                                 s->add_option("--order", c.order_id)->required();
                                 s->add_option("--provider", c.provider)->required();
                                 s->add_option("--address", c.address)->required();
                                 s->add_option("--started", c.started_on,
                                               "dd.mm.yyyy (default today)");
                               });
  AddCommand<EndWorkPlacement>(community, ctx, "placement-end", "End a placement",
                               [](CLI::App* s, EndWorkPlacement& c, auto&) {
                                 s->add_option("--placement", c.placement_id)->required();
                                 s->add_option("--ended", c.ended_on, "dd.mm.yyyy (default today)");
                               });
  AddCommand<LogCommunityHours>(
      community, ctx, "log", "Log the hours worked on one day (append-only)",
      [](CLI::App* s, LogCommunityHours& c, auto& finish) {
        s->add_option("--placement", c.placement_id)->required();
        s->add_option("--on", c.worked_on, "dd.mm.yyyy")->required();
        auto hours = Str();
        s->add_option("--hours", *hours, "Hours worked: 4, 4:30 or 4.5")->required();
        s->add_option("--note", c.note);
        // A malformed value becomes 0 minutes, which the core refuses naming `minutes`.
        finish = [hours](LogCommunityHours& c) {
          const std::int64_t m = ParseHours(*hours);
          c.minutes = m < 0 ? 0 : m;
        };
      });
  auto case_id = Str();
  auto* show = community->add_subcommand(
      "show", "A case's order, hours done and remaining, placements and hours (audited read)");
  show->add_option("case", *case_id, "Case id")->required();
  show->callback([&ctx, case_id] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto file, ctx.ws().CaseFile(*case_id));
      if (ctx.json) {
        ctx.PrintJson(CommunityWorkJson(file));
        return Ok();
      }
      auto hours = [](std::int64_t minutes) {
        std::string out = std::to_string(minutes / 60);
        if (minutes % 60)
          out += ":" + std::string(minutes % 60 < 10 ? "0" : "") + std::to_string(minutes % 60);
        return out;
      };
      std::vector<std::vector<std::string>> rows{
          {"ORDER", "ORDERED", "DEADLINE", "HOURS", "DONE", "REMAINING"}};
      for (const auto& o : file.community_orders) {
        rows.push_back({o.id, o.ordered_on, o.deadline_on, std::to_string(o.hours_ordered),
                        hours(o.minutes_done), hours(o.MinutesRemaining())});
      }
      ctx.PrintTable(rows);
      std::vector<std::vector<std::string>> places{
          {"PLACEMENT", "PROVIDER", "ADDRESS", "STARTED", "ENDED"}};
      for (const auto& p : file.work_placements)
        places.push_back({p.id, p.provider, p.address, p.started_on, p.ended_on});
      ctx.PrintTable(places);
      std::vector<std::vector<std::string>> days{{"DAY", "HOURS", "PLACEMENT", "NOTE"}};
      for (const auto& h : file.community_hours)
        days.push_back({h.worked_on, hours(h.minutes), h.placement_id, h.note});
      ctx.PrintTable(days);
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
