// The sync commands: enrol this device with a one-time code, synchronise, show the sync
// status, and list and resolve the conflict inbox. They open the store through
// client::Device (store + replica + engine); see docs/CLI.md and docs/SYNC.md.
// Also `audit verify`: the audit hash chains held on this device (client/audit_chain.hpp),
// which `sync --status` summarises too.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

#include "client/audit_chain.hpp"
#include "client/cli/cli.hpp"
#include "client/cli/passphrase.hpp"
#include "client/device.hpp"
#include "client/schema.hpp"
#include "client/validation.hpp"
#include "storage/store.hpp"
#include "sync/engine.hpp"

namespace lietvedis::cli {
namespace {

client::DeviceOptions Options() {
  client::DeviceOptions o;
  o.kdf = FastKdfRequested() ? storage::KdfParams::Interactive() : storage::KdfParams::Moderate();
  return o;
}

std::string IsoTime(std::int64_t ms) {
  if (ms <= 0) return "never";
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ValueText(const storage::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "(empty)";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "(binary)";
}

nlohmann::ordered_json ValueJson(const storage::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "(binary)";
}

Result<std::unique_ptr<client::Device>> OpenDevice(CliContext& ctx) {
  if (!storage::Store::Exists(ctx.data_dir)) {
    return MakeError(Errc::kNotAStore,
                     "data directory: no store in " + ctx.data_dir + " (run `lietvedis enrol`)");
  }
  LV_ASSIGN(std::string passphrase, ctx.ReadPassphrase("passphrase"));
  LV_ASSIGN(auto device, client::Device::Open(ctx.data_dir, passphrase, Options()));
  if (!device->enrolled()) {
    return MakeError(Errc::kValidation,
                     "this store is not enrolled with a central server (run `lietvedis enrol`)");
  }
  return device;
}

// "wire: 2 requests, 1234 B sent (617 B per change), 456 B received": what a sync cost on
// the network (HTTP messages, both connections).
std::string WireLine(std::int64_t requests, std::int64_t sent, std::int64_t received,
                     std::int64_t pushed, std::int64_t pulled) {
  std::string line = "wire: " + std::to_string(requests) +
                     (requests == 1 ? " request, " : " requests, ") + std::to_string(sent) +
                     " B sent";
  if (pushed > 0) line += " (" + std::to_string(sent / pushed) + " B per change)";
  line += ", " + std::to_string(received) + " B received";
  if (pulled > 0) line += " (" + std::to_string(received / pulled) + " B per change)";
  return line;
}

void PrintReport(CliContext& ctx, const sync::SyncReport& r) {
  if (ctx.json) {
    ctx.PrintJson({{"pushed_changes", r.pushed_changes},
                   {"pushed_batches", r.pushed_batches},
                   {"duplicate_batches", r.duplicate_batches},
                   {"pulled_envelopes", r.pulled_envelopes},
                   {"pulled_changes", r.pulled_changes},
                   {"applied_changes", r.applied_changes},
                   {"new_conflicts", r.new_conflicts},
                   {"purged_scopes", r.purged_scopes},
                   {"requests", r.requests},
                   {"bytes_sent", r.bytes_sent},
                   {"bytes_received", r.bytes_received},
                   {"elapsed_ms", r.elapsed_ms}});
    return;
  }
  ctx.out() << "sent " << r.pushed_changes << " changes in " << r.pushed_batches << " batches";
  if (r.duplicate_batches > 0)
    ctx.out() << " (" << r.duplicate_batches << " already on the server)";
  ctx.out() << "; received " << r.pulled_envelopes << " batches, " << r.applied_changes
            << " changes applied";
  if (r.new_conflicts > 0)
    ctx.out() << "; " << r.new_conflicts << " new conflicts (see `lietvedis conflicts`)";
  if (r.purged_scopes > 0) {
    ctx.out() << "; " << r.purged_scopes
              << " scopes purged from this device (see `lietvedis sync --status`)";
  }
  ctx.out() << "; " << r.elapsed_ms << " ms\n";
  ctx.out() << WireLine(r.requests, r.bytes_sent, r.bytes_received, r.pushed_changes,
                        r.pulled_changes)
            << "\n";
}

nlohmann::ordered_json AuditJson(const client::AuditVerifyReport& r,
                                 const std::vector<sync::Refusal>& refused) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const auto& f : r.findings) {
    findings.push_back({{"kind", client::AuditFindingName(f.kind)},
                        {"scope", f.scope},
                        {"device_id", f.device_id},
                        {"entry_id", f.entry_id},
                        {"seq", f.seq},
                        {"message", f.message}});
  }
  nlohmann::ordered_json refusals = nlohmann::ordered_json::array();
  for (const auto& x : refused) {
    refusals.push_back({{"scope", x.scope},
                        {"batch_id", x.batch_id},
                        {"author_device", x.author_device},
                        {"reason", x.reason}});
  }
  return {{"sound", r.sound() && refused.empty()},
          {"scopes", r.scopes},
          {"chains", r.chains},
          {"chained", r.chained},
          {"unchained", r.unchained},
          {"restored", r.restored},
          {"findings", findings},
          {"refused", refusals}};
}

// Envelopes the engine refused because they would have changed an audit entry (an update of
// an append-only audit row): tampering the chain never saw, since the change was not applied.
std::vector<sync::Refusal> AuditRefusals(const std::vector<sync::Refusal>& all) {
  std::vector<sync::Refusal> out;
  for (const auto& r : all) {
    if (r.reason.find("of audit row") != std::string::npos) out.push_back(r);
  }
  return out;
}

// "audit: …" lines of the text output; at most `limit` problems, then a pointer to
// `lietvedis audit verify`.
void PrintAuditText(CliContext& ctx, const client::AuditVerifyReport& r,
                    const std::vector<sync::Refusal>& refused, std::size_t limit) {
  ctx.out() << "audit:         " << r.chained << " entries in " << r.chains << " chains ("
            << r.scopes << " scopes)";
  if (r.unchained > 0) ctx.out() << ", " << r.unchained << " earlier entries unchained";
  if (r.restored > 0) ctx.out() << ", " << r.restored << " restored from a backup";
  if (r.sound() && refused.empty()) {
    ctx.out() << ": sound\n";
    return;
  }
  const std::size_t problems = r.findings.size() + refused.size();
  ctx.out() << ": TAMPERED (" << problems << (problems == 1 ? " problem" : " problems") << ")\n";
  std::size_t shown = 0;
  for (const auto& f : r.findings) {
    if (shown++ == limit) break;
    ctx.out() << "  TAMPERED:    " << f.message << "\n";
  }
  for (const auto& x : refused) {
    if (shown++ == limit) break;
    ctx.out() << "  TAMPERED:    batch " << x.batch_id << " from device " << x.author_device
              << " in scope " << x.scope << " was refused: " << x.reason << "\n";
  }
  if (shown > limit) ctx.out() << "  … see `lietvedis audit verify`\n";
}

Result<void> PrintStatus(CliContext& ctx, client::Device& device) {
  LV_ASSIGN(sync::SyncStatus s, device.engine().Status());
  LV_ASSIGN(client::AuditVerifyReport audit, client::VerifyAuditChains(device.db()));
  const std::vector<sync::Refusal> audit_refused = AuditRefusals(s.refusals);
  const sync::DeviceProfile& p = device.profile();
  if (ctx.json) {
    nlohmann::ordered_json scopes = nlohmann::ordered_json::array();
    for (const auto& sc : s.scopes) {
      scopes.push_back({{"scope", sc.scope},
                        {"pending", sc.pending},
                        {"key_version", sc.key_version},
                        {"registered", sc.registered}});
    }
    nlohmann::ordered_json refusals = nlohmann::ordered_json::array();
    for (const auto& r : s.refusals) {
      refusals.push_back({{"what", r.what},
                          {"scope", r.scope},
                          {"batch_id", r.batch_id},
                          {"author_device", r.author_device},
                          {"seq", r.seq},
                          {"key_version", r.key_version},
                          {"ground", r.ground},
                          {"reason", r.reason},
                          {"at", IsoTime(r.at_ms)}});
    }
    nlohmann::ordered_json deliveries = nlohmann::ordered_json::array();
    for (const auto& g : s.deliveries) {
      deliveries.push_back({{"scope", g.scope},
                            {"author_device", g.author_device},
                            {"missing", g.missing},
                            {"numbers", g.numbers},
                            {"waiting_for_key", g.waiting},
                            {"reused_number", g.reused_no},
                            {"message", g.message}});
    }
    nlohmann::ordered_json purged = nlohmann::ordered_json::array();
    for (const auto& x : s.purged) {
      purged.push_back({{"scope", x.scope},
                        {"reason", x.reason},
                        {"at", IsoTime(x.at_ms)},
                        {"records", x.rows},
                        {"unsent_changes_discarded", x.unsent_changes},
                        {"key_versions_wiped", x.key_versions}});
    }
    ctx.PrintJson(
        {{"enrolled", s.enrolled},
         {"server_url", p.server_url},
         {"user_id", p.user_id},
         {"device_id", p.device_id},
         {"pending", s.pending},
         {"last_success",
          s.last_success_ms > 0 ? nlohmann::ordered_json(IsoTime(s.last_success_ms)) : nullptr},
         {"last_attempt",
          s.last_attempt_ms > 0 ? nlohmann::ordered_json(IsoTime(s.last_attempt_ms)) : nullptr},
         {"last_error", s.last_error},
         {"conflicts", s.conflicts},
         {"last_sync_wire",
          {{"requests", s.last_requests},
           {"bytes_sent", s.last_bytes_sent},
           {"bytes_received", s.last_bytes_received},
           {"pushed_changes", s.last_pushed_changes},
           {"pulled_changes", s.last_pulled_changes}}},
         {"revoked", s.revoked},
         {"directory_refusals", s.directory_refusals},
         {"refused", s.refused},
         {"refusals_not_itemised", s.refusals_not_itemised},
         {"refusals", refusals},
         {"deliveries", deliveries},
         {"audit", AuditJson(audit, audit_refused)},
         {"purged", purged},
         {"purge_scrub_pending", s.purge_scrub_pending},
         {"scopes", scopes}});
    return Ok();
  }
  ctx.out() << "server:        " << p.server_url << "\n"
            << "user:          " << p.display_name << " (" << p.role << ", " << p.user_id << ")\n"
            << "device:        " << p.device_id << "\n"
            << "pending:       " << s.pending << " changes\n"
            << "last sync:     " << IsoTime(s.last_success_ms) << "\n";
  if (s.last_attempt_ms > 0) {
    ctx.out() << "last sync's    "
              << WireLine(s.last_requests, s.last_bytes_sent, s.last_bytes_received,
                          s.last_pushed_changes, s.last_pulled_changes)
              << "\n";
  }
  if (!s.last_error.empty()) ctx.out() << "last error:    " << s.last_error << "\n";
  if (s.revoked) ctx.out() << "REVOKED:       the organisation has revoked this device\n";
  for (const auto& r : s.directory_refusals) {
    ctx.out() << "directory:     refused: " << r << "\n";
  }
  if (s.refused > 0) {
    // What the central store sent that this device did not believe (ids only, no content).
    ctx.out() << "refused:       " << s.refused << " (quarantined; newest first)\n";
    if (s.refusals_not_itemised > 0) {
      ctx.out() << "  " << s.refusals_not_itemised
                << " more refused after the quarantine was full: counted, not listed\n";
    }
    for (const auto& r : s.refusals) {
      ctx.out() << "  " << IsoTime(r.at_ms) << " " << r.what << " " << r.scope;
      if (r.seq > 0) ctx.out() << " seq " << r.seq;
      ctx.out() << ": " << r.reason << "\n";
    }
  }
  for (const auto& g : s.deliveries) {
    // Pushes of other devices the central store withheld (ids and numbers only).
    ctx.out() << "NOT DELIVERED: " << g.message << "\n";
  }
  PrintAuditText(ctx, audit, audit_refused, 10);
  // What left this device (scope ids and counts only, newest first).
  for (const auto& x : s.purged) {
    ctx.out() << "purged:        " << x.scope << " (" << x.reason << ", " << IsoTime(x.at_ms)
              << "): " << x.rows << " records, " << x.key_versions << " key versions";
    if (x.unsent_changes > 0) {
      ctx.out() << ", " << x.unsent_changes << " unsent changes discarded";
    }
    ctx.out() << "\n";
  }
  if (s.purge_scrub_pending) {
    ctx.out() << "purge:         the store's files are rewritten at the next sync\n";
  }
  ctx.out() << "conflicts:     " << s.conflicts << " unresolved\n";
  std::vector<std::vector<std::string>> rows = {{"scope", "pending", "key", "registered"}};
  for (const auto& sc : s.scopes) {
    rows.push_back({sc.scope, std::to_string(sc.pending),
                    sc.key_version > 0 ? "v" + std::to_string(sc.key_version) : "-",
                    sc.registered ? "yes" : "no"});
  }
  if (rows.size() > 1) ctx.PrintTable(rows);
  return Ok();
}

// The enrolment code from --code (the code itself, or "-": the first line of stdin) or from
// --code-file (its first line). Surrounding spaces and a trailing CR are dropped.
Result<std::string> ReadEnrolmentCode(const std::string& code, const std::string& code_file) {
  std::string line;
  if (!code_file.empty()) {
    std::ifstream in(code_file);
    if (!in) return MakeError(Errc::kIo, "code file: cannot read " + code_file);
    std::getline(in, line);
  } else if (code == "-") {
    std::getline(std::cin, line);
  } else {
    line = code;
  }
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  if (first == std::string::npos) {
    return MakeError(Errc::kValidation,
                     code.empty() && code_file.empty()
                         ? "enrolment code: give --code-file PATH or --code - (stdin)"
                         : "enrolment code: empty");
  }
  return line.substr(first, last - first + 1);
}

}  // namespace

void AddSyncCommands(CLI::App& app, CliContext& ctx) {
  // ---- enrol ----
  struct EnrolArgs {
    std::string code, code_file, device_name = "lietvedis-cli";
  };
  auto enrol_args = std::make_shared<EnrolArgs>();
  auto* enrol = app.add_subcommand(
      "enrol",
      "Create a new store in --data and enrol it with a one-time code from the administrator");
  auto* code_opt = enrol->add_option(
      "--code", enrol_args->code,
      "The enrolment code (LV1-...), or - to read it from stdin; prefer --code-file or -, "
      "since a code on the command line is visible to other users in the process list");
  auto* code_file_opt = enrol->add_option("--code-file", enrol_args->code_file,
                                          "File whose first line is the enrolment code");
  code_opt->excludes(code_file_opt);
  code_file_opt->excludes(code_opt);
  enrol->add_option("--device-name", enrol_args->device_name, "A name for this device")
      ->capture_default_str();
  enrol->callback([&ctx, enrol_args] {
    ctx.Run([&]() -> Result<void> {
      if (storage::Store::Exists(ctx.data_dir)) {
        return MakeError(Errc::kValidation, "data directory: already holds a store");
      }
      LV_ASSIGN(std::string code, ReadEnrolmentCode(enrol_args->code, enrol_args->code_file));
      LV_ASSIGN(std::string passphrase, ReadNewPassphrase(ctx, "new passphrase"));
      if (passphrase.size() < 8)
        return MakeError(Errc::kValidation, "passphrase: at least 8 characters");
      LV_ASSIGN(client::Device::Enrolled e,
                client::Device::Enrol(ctx.data_dir, passphrase, code, enrol_args->device_name,
                                      Options()));
      // The store holds the device profile; no device.json is written (its absence is what
      // tells the other commands and the desktop client that this directory is enrolled).
      const sync::DeviceProfile& p = e.device->profile();
      if (ctx.json) {
        ctx.PrintJson({{"user_id", p.user_id},
                       {"device_id", p.device_id},
                       {"display_name", p.display_name},
                       {"role", p.role},
                       {"unit_id", p.unit_id},
                       {"recovery_key", e.recovery_key},
                       {"first_sync", e.first_sync.ok() ? "ok" : e.first_sync.error().message}});
      } else {
        ctx.out()
            << "enrolled " << p.display_name << " (" << p.role << ") on " << p.server_url << "\n"
            << "device id: " << p.device_id << "\n\n"
            << "RECOVERY KIT — write this down and keep it apart from the laptop.\n"
            << "It unlocks this store if the passphrase is forgotten. It is shown only now.\n\n"
            << "    " << e.recovery_key << "\n\n";
        if (e.first_sync.ok()) {
          ctx.out() << "first sync: ";
          PrintReport(ctx, *e.first_sync);
        } else {
          ctx.out() << "first sync failed: " << e.first_sync.error().message
                    << " (run `lietvedis sync`)\n";
        }
      }
      return Ok();
    });
  });

  // ---- sync ----
  auto status_only = std::make_shared<bool>(false);
  auto quiet = std::make_shared<bool>(false);
  auto retry = std::make_shared<bool>(false);
  auto* sync_cmd =
      app.add_subcommand("sync", "Send local changes to the central server and receive others'");
  sync_cmd->add_flag("--status", *status_only, "Only show the sync status (no network)");
  sync_cmd->add_flag("--quiet", *quiet, "No progress lines on stderr");
  sync_cmd->add_flag("--retry-quarantined", *retry,
                     "Judge the refused changes kept in quarantine again in this sync");
  sync_cmd->callback([&ctx, status_only, quiet, retry] {
    ctx.Run([&]() -> Result<void> {
      LV_ASSIGN(auto device, OpenDevice(ctx));
      if (*status_only) return PrintStatus(ctx, *device);
      if (*retry) {
        LV_ASSIGN(std::int64_t moved, device->engine().RetryQuarantined());
        if (!ctx.json) std::cerr << moved << " quarantined changes will be judged again\n";
      }
      sync::Progress progress;
      if (!*quiet && !ctx.json) {
        progress = [last = sync::SyncPhase::kDone, last_done = std::int64_t{-1}](
                       sync::SyncPhase phase, std::int64_t done, std::int64_t total) mutable {
          if (phase == last && done - last_done < 1000 && done != total) return;
          last = phase;
          last_done = done;
          std::cerr << "  " << sync::SyncPhaseName(phase) << " " << done;
          if (total > 0) std::cerr << "/" << total;
          std::cerr << "\n";
        };
      }
      auto report = device->engine().SyncOnce(progress);
      if (!report.ok()) {
        // The status keeps the error in plain words; say what is still waiting.
        auto status = device->engine().Status();
        if (status.ok() && status->pending > 0) {
          std::cerr << status->pending
                    << " local changes are kept and will be sent by the next sync\n";
        }
        return report.error();
      }
      PrintReport(ctx, *report);
      return Ok();
    });
  });

  // ---- conflicts ----
  auto* conflicts =
      app.add_subcommand("conflicts", "The conflict inbox: concurrent edits of one field");
  auto show_all = std::make_shared<bool>(false);
  conflicts->add_flag("--all", *show_all, "Include resolved entries");
  conflicts->callback([&ctx, show_all, conflicts] {
    if (!conflicts->get_subcommands().empty()) return;
    ctx.Run([&]() -> Result<void> {
      LV_ASSIGN(auto device, OpenDevice(ctx));
      LV_ASSIGN(auto list, device->replica().Conflicts({}, *show_all));
      if (ctx.json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto& c : list) {
          out.push_back({{"id", c.id},
                         {"scope", c.scope},
                         {"table", c.table},
                         {"row_id", c.row_id},
                         {"column", c.column},
                         {"kept", ValueJson(c.winner_value)},
                         {"overwritten", ValueJson(c.loser_value)},
                         {"kept_by", c.winner.site},
                         {"overwritten_by", c.loser.site},
                         {"resolved", c.resolved}});
        }
        ctx.PrintJson(out);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows = {
          {"id", "record", "field", "kept", "overwritten", "resolved"}};
      for (const auto& c : list) {
        rows.push_back({c.id, c.table + " " + c.row_id.substr(0, 8), c.column,
                        ValueText(c.winner_value), ValueText(c.loser_value),
                        c.resolved ? "yes" : "no"});
      }
      ctx.PrintTable(rows);
      return Ok();
    });
  });
  struct ResolveArgs {
    std::string id, keep;
  };
  auto resolve_args = std::make_shared<ResolveArgs>();
  auto* resolve = conflicts->add_subcommand(
      "resolve", "Resolve one entry: keep the current value or take the overwritten one");
  resolve->add_option("id", resolve_args->id, "Conflict id")->required();
  resolve->add_option("--keep", resolve_args->keep, "kept (the current value) or overwritten")
      ->required()
      ->check(CLI::IsMember({"kept", "overwritten"}));
  resolve->callback([&ctx, resolve_args] {
    ctx.Run([&]() -> Result<void> {
      LV_ASSIGN(auto device, OpenDevice(ctx));
      LV_ASSIGN(auto list, device->replica().Conflicts({}, /*include_resolved=*/true));
      const sync::ConflictEntry* entry = nullptr;
      for (const auto& c : list) {
        if (c.id == resolve_args->id) entry = &c;
      }
      if (entry == nullptr)
        return MakeError(Errc::kNotFound, "conflict " + resolve_args->id + " not found");
      const storage::Value chosen =
          resolve_args->keep == "kept" ? entry->winner_value : entry->loser_value;
      LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(device->db()));
      LV_TRY(device->replica().ResolveConflict(resolve_args->id, chosen));
      LV_TRY(tx.Commit());
      ctx.out() << "resolved; the choice is sent with the next sync\n";
      return Ok();
    });
  });

  // ---- audit verify ----
  auto* audit = app.add_subcommand("audit", "The audit trail held on this device");
  audit->require_subcommand(1);
  auto verify_case = Str();
  auto* verify = audit->add_subcommand(
      "verify",
      "Verify the audit hash chains (exit 0 sound, 5 tampered: a gap, a fork, a rewritten or "
      "forged entry)");
  verify->add_option("--case", *verify_case,
                     "Only the audit entries of this case (case and "
                     "mentoring scopes)");
  verify->callback([&ctx, verify_case] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.OpenStoreOnly());
      std::vector<std::string> scopes;
      if (!verify_case->empty()) {
        LV_TRY(client::ValidateText(*verify_case, "case", 64, true));
        scopes = {client::CaseScope(*verify_case), client::MentoringScope(*verify_case)};
      }
      LV_ASSIGN(client::AuditVerifyReport report, client::VerifyAuditChains(ctx.db(), scopes));
      if (!verify_case->empty() && report.scopes == 0) {
        return MakeError(Errc::kNotFound,
                         "case " + *verify_case + ": no audit entries on this device");
      }
      std::vector<sync::Refusal> refused;
      if (ctx.device() != nullptr) {
        LV_ASSIGN(sync::SyncStatus status, ctx.device()->engine().Status());
        for (auto& r : AuditRefusals(status.refusals)) {
          if (scopes.empty() || std::find(scopes.begin(), scopes.end(), r.scope) != scopes.end())
            refused.push_back(std::move(r));
        }
      }
      if (ctx.json) {
        ctx.PrintJson(AuditJson(report, refused));
      } else {
        PrintAuditText(ctx, report, refused, static_cast<std::size_t>(-1));
      }
      if (report.sound() && refused.empty()) return Ok();
      const std::size_t problems = report.findings.size() + refused.size();
      return MakeError(Errc::kTampered, "audit: " + std::to_string(problems) +
                                            (problems == 1 ? " problem" : " problems") +
                                            ": the audit trail held here was tampered with");
    });
  });
}

}  // namespace lietvedis::cli
