// `lietvedis check`: is the store sound? Authenticates every page of store.db (free pages
// included) and every frame of its write-ahead log against the page ledger, then runs SQLite's
// integrity_check (storage::Store::Check). Exit 0 when sound; exit 5 with each damaged page or
// frame named (file and number) otherwise, also when the store refuses to open as tampered.
// Opens only the encrypted store: no replica, no migration, nothing written.
#include <filesystem>

#include "client/cli/cli.hpp"
#include "storage/store.hpp"

namespace lietvedis::cli {

namespace {

Result<void> CheckStore(CliContext& ctx) {
  if (!storage::Store::Exists(ctx.data_dir)) {
    return MakeError(Errc::kNotAStore, "data directory: no store in " + ctx.data_dir);
  }
  LV_ASSIGN(std::string passphrase, ctx.ReadPassphrase("passphrase"));
  LV_ASSIGN(auto store, storage::Store::Open(ctx.data_dir, passphrase));
  LV_ASSIGN(storage::Store::CheckReport report, store->Check());
  const storage::FileCheck& f = report.files;
  if (ctx.json) {
    nlohmann::ordered_json damage = nlohmann::ordered_json::array();
    for (const std::string& d : f.damage) damage.push_back(d);
    for (const std::string& d : report.integrity) damage.push_back("integrity_check: " + d);
    ctx.PrintJson({{"sound", report.sound()},
                   {"db_pages", f.db_pages},
                   {"wal_frames", f.wal_frames},
                   {"wal_committed_frames", f.wal_committed_frames},
                   {"damage", damage},
                   {"notes", f.notes}});
  } else {
    ctx.out() << "store.db: " << f.db_pages << " pages authenticated (free pages included)\n"
              << "store.db-wal: " << f.wal_frames << " frames authenticated, "
              << f.wal_committed_frames << " committed\n";
    for (const std::string& n : f.notes) ctx.out() << "note: " << n << "\n";
    for (const std::string& d : f.damage) ctx.out() << "damaged: " << d << "\n";
    for (const std::string& d : report.integrity) ctx.out() << "integrity_check: " << d << "\n";
    if (report.sound()) ctx.out() << "integrity_check: ok\nthe store is sound\n";
  }
  if (report.sound()) return Ok();
  const std::size_t findings = f.damage.size() + report.integrity.size();
  return MakeError(Errc::kTampered, "the store is damaged: " + std::to_string(findings) +
                                        (findings == 1 ? " finding" : " findings") +
                                        " (listed above)");
}

}  // namespace

void AddCheckCommands(CLI::App& app, CliContext& ctx) {
  auto* check = app.add_subcommand(
      "check", "Authenticate every page of the store and its log, check its structure");
  check->callback([&ctx] { ctx.Run([&ctx] { return CheckStore(ctx); }); });
}

}  // namespace lietvedis::cli
