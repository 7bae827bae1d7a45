// Placeholder for the sync commands (`enrol`, `sync`). The sync layer replaces this file.
#include "client/cli.hpp"

#include <iostream>

namespace lietvedis::cli {

void AddSyncCommands(CLI::App& app, CliContext& ctx) {
  auto not_built = [&ctx] {
    std::cerr << "sync is not built into this version yet\n";
    ctx.exit_code = kExitOther;
  };
  auto* enrol = app.add_subcommand("enrol", "Enrol this device with the central server");
  enrol->allow_extras();
  enrol->callback(not_built);
  auto* sync = app.add_subcommand("sync", "Synchronise with the central server");
  sync->allow_extras();
  sync->callback(not_built);
}

}  // namespace lietvedis::cli
