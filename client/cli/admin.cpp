// Organisation commands (administrator: regions, units, users) and unit settings
// (supervisor: contact intervals).
#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

void AddAdminCommands(CLI::App& app, CliContext& ctx) {
  auto* region = app.add_subcommand("region", "Regions (administrator)");
  region->require_subcommand(1);
  AddCommand<CreateRegion>(
      region, ctx, "add", "Create a region",
      [](CLI::App* s, CreateRegion& c, auto&) { s->add_option("--name", c.name)->required(); });
  auto* unit = app.add_subcommand("unit", "Territorial units (administrator)");
  unit->require_subcommand(1);
  AddCommand<CreateUnit>(unit, ctx, "add", "Create a unit", [](CLI::App* s, CreateUnit& c, auto&) {
    s->add_option("--region", c.region_id)->required();
    s->add_option("--name", c.name)->required();
  });
  auto* ulist = unit->add_subcommand("list", "List regions and units");
  ulist->callback([&ctx] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto regions, ctx.ws().Regions());
      LV_ASSIGN(auto units, ctx.ws().Units());
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const auto& r : regions) {
        nlohmann::ordered_json jr{
            {"id", r.id}, {"name", r.name}, {"units", nlohmann::ordered_json::array()}};
        for (const auto& u : units) {
          if (u.region_id == r.id) jr["units"].push_back({{"id", u.id}, {"name", u.name}});
        }
        a.push_back(jr);
      }
      ctx.PrintJson(a);
      return Ok();
    });
  });

  auto* user = app.add_subcommand("user", "Users (administrator)");
  user->require_subcommand(1);
  AddCommand<CreateUser>(
      user, ctx, "add", "Create a user", [](CLI::App* s, CreateUser& c, auto& finish) {
        s->add_option("--name", c.display_name, "Display name")->required();
        auto role = Str();
        AddEnumOption<Role>(s, "--role", *role,
                            "officer, volunteer_coordinator, supervisor, administrator")
            ->required();
        s->add_option("--unit", c.unit_id, "Unit id")->required();
        finish = [role](CreateUser& c) { c.role = EnumOr(*role, Role::kOfficer); };
      });
  AddCommand<SetUserActive>(user, ctx, "deactivate", "Deactivate a user",
                            [](CLI::App* s, SetUserActive& c, auto& finish) {
                              s->add_option("--user", c.user_id)->required();
                              finish = [](SetUserActive& c) { c.active = false; };
                            });
  AddCommand<SetUserActive>(user, ctx, "activate", "Activate a user again",
                            [](CLI::App* s, SetUserActive& c, auto& finish) {
                              s->add_option("--user", c.user_id)->required();
                              finish = [](SetUserActive& c) { c.active = true; };
                            });
  auto* list = user->add_subcommand("list", "List users");
  list->callback([&ctx] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto users, ctx.ws().Users());
      if (ctx.json) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const auto& u : users) {
          a.push_back({{"id", u.id},
                       {"display_name", u.display_name},
                       {"role", Code(u.role)},
                       {"unit_id", u.unit_id},
                       {"active", u.active}});
        }
        ctx.PrintJson(a);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows{{"ID", "NAME", "ROLE", "ACTIVE"}};
      for (const auto& u : users)
        rows.push_back({u.id, u.display_name, std::string(Code(u.role)), u.active ? "yes" : "no"});
      ctx.PrintTable(rows);
      return Ok();
    });
  });
  auto* whoami = app.add_subcommand("whoami", "Show this device's user");
  whoami->callback([&ctx] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const Actor& a = ctx.ws().actor();
      ctx.PrintJson({{"user_id", a.user_id},
                     {"display_name", a.display_name},
                     {"role", Code(a.role)},
                     {"unit_id", a.unit_id}});
      return Ok();
    });
  });

  auto* setting =
      app.add_subcommand("setting", "Unit settings (contact_interval_days.<risk level>)");
  setting->require_subcommand(1);
  AddCommand<SetUnitSetting>(
      setting, ctx, "set", "Set a unit setting (supervisor)",
      [](CLI::App* s, SetUnitSetting& c, auto&) {
        s->add_option("name", c.name, "e.g. contact_interval_days.high")->required();
        s->add_option("value", c.value)->required();
      });
  auto name = Str();
  auto* get = setting->add_subcommand("get", "Read a unit setting");
  get->add_option("name", *name)->required();
  get->callback([&ctx, name] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto value, ctx.ws().UnitSetting(*name));
      ctx.out() << value << "\n";
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
