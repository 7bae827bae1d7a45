// Setup commands: init (create a store, print the recovery kit once, bootstrap the
// organisation or restore an export), passphrase change, demo-data.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "client/cli/cli.hpp"
#include "client/cli/passphrase.hpp"
#include "client/demo_data.hpp"
#include "client/device.hpp"
#include "client/jsonl.hpp"
#include "client/schema.hpp"
#include "client/validation.hpp"
#include "storage/store.hpp"

namespace lietvedis::cli {
namespace {

storage::KdfParams Kdf() {
  return FastKdfRequested() ? storage::KdfParams::Interactive() : storage::KdfParams::Moderate();
}

struct InitArgs {
  std::string user_name, role = "officer", region = "Kurzemes reģions",
                         unit = "Liepājas struktūrvienība";
  std::string restore, user_id;
  bool demo_org = false;
};

Result<void> Init(CliContext& ctx, const InitArgs& a) {
  if (storage::Store::Exists(ctx.data_dir)) {
    return MakeError(Errc::kValidation, "data directory: already holds a store");
  }
  const auto role = client::FromCode<client::Role>(a.role);
  if (!role) return MakeError(Errc::kValidation, "role: unknown");
  if (a.restore.empty() && !a.demo_org && a.user_name.empty()) {
    return MakeError(Errc::kValidation, "user-name: required (or --demo-org, or --restore)");
  }
  if (!a.restore.empty() && a.user_id.empty()) {
    return MakeError(Errc::kValidation, "user-id: required with --restore");
  }
  if (!a.user_name.empty()) LV_TRY(client::ValidateText(a.user_name, "user-name", 200, true));
  LV_ASSIGN(std::string passphrase, ReadNewPassphrase(ctx, "new passphrase"));
  if (passphrase.size() < 8)
    return MakeError(Errc::kValidation, "passphrase: at least 8 characters");
  std::error_code ec;
  std::filesystem::create_directories(ctx.data_dir, ec);
  LV_ASSIGN(auto created, storage::Store::Create(ctx.data_dir, passphrase, Kdf()));
  LocalProfile profile;
  profile.site_id = sync::Replica::NewId();
  LV_TRY(ctx.Adopt(std::move(created.store), profile.site_id));
  // The recovery kit: shown once, never stored.
  std::cerr
      << "RECOVERY KIT: keep this key offline; it opens the store if the passphrase is lost.\n";
  ctx.out() << "recovery key: " << created.recovery_key << "\n";

  std::int64_t restored_records = 0;
  if (!a.restore.empty()) {
    std::ifstream in(a.restore, std::ios::binary);
    if (!in) return MakeError(Errc::kIo, "restore: cannot read " + a.restore);
    LV_ASSIGN(auto report,
              client::ImportJsonl(ctx.db(), ctx.replica(), in, client::ImportMode::kRestore));
    profile.user_id = a.user_id;
    std::cerr << "restored " << report.records << " records\n";
    restored_records = report.records;
  } else if (a.demo_org) {
    LV_ASSIGN(client::DemoOrg org, client::BootstrapDemoOrg(ctx.db(), ctx.replica()));
    profile.demo_users = client::DemoUsersByRole(org);
    profile.user_id = profile.demo_users[a.role];
  } else {
    LV_ASSIGN(std::string region, client::BootstrapRegion(ctx.db(), ctx.replica(), a.region));
    LV_ASSIGN(std::string unit, client::BootstrapUnit(ctx.db(), ctx.replica(), region, a.unit));
    LV_ASSIGN(profile.user_id,
              client::BootstrapUser(ctx.db(), ctx.replica(), a.user_name, *role, unit));
    LV_ASSIGN(int added, client::SeedProgrammeCatalogue(ctx.db(), ctx.replica()));
    (void)added;
  }
  LV_TRY(SaveLocalProfile(ctx.data_dir, profile));
  LV_TRY(ctx.SignIn(profile.user_id));
  if (!a.restore.empty() && client::CanExportWholeStore(ctx.ws().actor())) {
    // A restore is an import: audited like `import` (the first entry of the new store's chain
    // in the actor's org or unit scope). RecordDataTransfer refuses the roles that may not
    // import a whole store; their restore is not recorded here.
    LV_ASSIGN(std::string audited, ctx.ws().RecordDataTransfer("import", restored_records));
    (void)audited;
  }
  ctx.out() << "user: " << profile.user_id << " (" << client::Code(ctx.ws().actor().role) << ")\n";
  return Ok();
}

}  // namespace

void AddSetupCommands(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<InitArgs>();
  auto* init = app.add_subcommand("init", "Create an encrypted store in --data and bootstrap it");
  init->add_option("--user-name", args->user_name, "Display name of this device's user");
  AddEnumOption<client::Role>(init, "--role", args->role, "Role of this device's user")
      ->capture_default_str();
  init->add_option("--region", args->region, "Region name")->capture_default_str();
  init->add_option("--unit", args->unit, "Territorial unit name")->capture_default_str();
  init->add_flag(
      "--demo-org", args->demo_org,
      "Create the demo organisation (Kurzeme / Liepāja, staff); act as its user of --role");
  init->add_option("--restore", args->restore,
                   "Restore a JSON Lines export instead of bootstrapping");
  init->add_option("--user-id", args->user_id,
                   "With --restore: the id of this device's user in the export");
  init->callback([&ctx, args] { ctx.Run([&] { return Init(ctx, *args); }); });

  auto* pass = app.add_subcommand("passphrase", "Passphrase management");
  pass->require_subcommand(1);
  auto new_file = std::make_shared<std::string>();
  auto* change = pass->add_subcommand("change", "Re-wrap the store key under a new passphrase");
  change->add_option("--new-passphrase-file", *new_file,
                     "File whose first line is the new passphrase");
  change->callback([&ctx, new_file] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.OpenStoreOnly());
      std::string fresh;
      if (!new_file->empty()) {
        std::ifstream in(*new_file);
        std::getline(in, fresh);
        if (!fresh.empty() && fresh.back() == '\r') fresh.pop_back();
      } else {
        LV_ASSIGN(fresh, CliContext::PromptPassphrase("new passphrase", true));
      }
      if (fresh.size() < 8)
        return MakeError(Errc::kValidation, "new passphrase: at least 8 characters");
      LV_TRY(ctx.store().ChangePassphrase(fresh, Kdf()));
      ctx.out() << "passphrase changed\n";
      return Ok();
    });
  });

  auto opts = std::make_shared<client::DemoOptions>();
  auto* demo = app.add_subcommand("demo-data", "Generate a demo caseload for this device's user");
  demo->add_option("--cases", opts->cases, "Number of cases")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  demo->add_option("--seed", opts->seed, "Random seed (same seed, same data)")
      ->capture_default_str();
  demo->callback([&ctx, opts] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      // A coordinator's enrolled device: volunteers, and mentors for the cards it can see.
      if (ctx.device() != nullptr && ctx.ws().actor().role == client::Role::kVolunteerCoordinator) {
        LV_ASSIGN(std::vector<client::ClientCard> cards, ctx.ws().ClientCards());
        std::vector<std::string> case_ids;
        for (const auto& card : cards) case_ids.push_back(card.case_id);
        LV_TRY(client::SeedDemoVolunteers(ctx.ws(), case_ids, *opts));
        ctx.out() << "volunteers added; mentors for " << case_ids.size() << " clients considered\n";
        return Ok();
      }
      LocalProfile profile;
      if (ctx.device() == nullptr) {
        LV_ASSIGN(profile, LoadLocalProfile(ctx.data_dir));
      }
      // The caseload is written by an officer: this device's user, or, in a local demo store
      // (init --demo-org), the demo officer; volunteers likewise by the coordinator.
      auto as = [&](client::Role role,
                    const char* demo_role) -> Result<std::unique_ptr<client::Workspace>> {
        if (ctx.ws().actor().role == role) return std::unique_ptr<client::Workspace>();
        auto it = profile.demo_users.find(demo_role);
        if (it == profile.demo_users.end()) {
          return MakeError(Errc::kNotPermitted, std::string("demo-data: needs an ") + demo_role);
        }
        return client::Workspace::Open(ctx.db(), ctx.replica(), it->second);
      };
      LV_ASSIGN(auto officer_ws, as(client::Role::kOfficer, "officer"));
      client::Workspace& officer = officer_ws ? *officer_ws : ctx.ws();
      LV_ASSIGN(client::DemoCaseload caseload, client::SeedDemoCaseload(officer, *opts));
      auto coord_ws = as(client::Role::kVolunteerCoordinator, "volunteer_coordinator");
      if (coord_ws.ok()) {
        client::Workspace& coord = coord_ws.value() ? *coord_ws.value() : ctx.ws();
        LV_TRY(client::SeedDemoVolunteers(coord, caseload.case_ids, *opts));
      }
      ctx.out() << caseload.case_ids.size() << " cases added\n";
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
