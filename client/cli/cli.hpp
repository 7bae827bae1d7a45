// The `lietvedis` command line: shared context and output helpers for the command files
// (client/cli_*.cpp). Each file adds its subcommands to the CLI11 app with an Add...Commands
// function; a subcommand's callback runs the work through CliContext, which opens the store
// on first use, signs in the store's acting user and maps errors to exit codes.
//
// The acting user is not chosen on the command line: it is the user the store was
// initialised for (`lietvedis init`, recorded in the local profile DIR/device.json, which the
// desktop client reads too: site id, user id; no secrets, no case data) or enrolled as
// (`lietvedis enrol`: the store itself holds the device profile; such a directory has no
// device.json and is opened as a client::Device, with the site id the server issued).
//
// Exit codes (docs/CLI.md): 0 ok, 1 other failure, 2 usage, 3 validation, 4 wrong passphrase
// or not permitted, 5 store damaged or tampered.
//
// Threading: one thread; the CLI runs one command per process.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "client/documents/tables.hpp"
#include "client/local_profile.hpp"
#include "client/model.hpp"
#include "client/workspace.hpp"
#include "storage/result.hpp"

namespace lietvedis::storage {
class Store;
}
namespace lietvedis::client {
class Device;
}

namespace lietvedis::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitOther = 1,
  kExitUsage = 2,
  kExitValidation = 3,
  kExitDenied = 4,   // wrong passphrase or not permitted
  kExitDamaged = 5,  // store damaged or tampered
};
int ExitCodeFor(const Error& error);

// DIR/device.json of local-only stores (client/local_profile.hpp), shared with the desktop.
using client::LoadLocalProfile;
using client::LocalProfile;
using client::SaveLocalProfile;

// The Argon2id cost for new keys: KdfParams::Interactive() when LIETVEDIS_FAST_KDF=1 (tests,
// demos), else KdfParams::Moderate().
bool FastKdfRequested();

class CliContext {
 public:
  CliContext();
  ~CliContext();
  CliContext(const CliContext&) = delete;
  CliContext& operator=(const CliContext&) = delete;

  // Global options, filled by CLI11 before any callback runs.
  std::string data_dir = ".";
  std::string passphrase_file;
  bool json = false;  // --json: machine-readable output where a command supports it

  // The passphrase: --passphrase-file (first line), else LIETVEDIS_PASSPHRASE, else a prompt
  // without echo when stdin is a terminal; kValidation otherwise. `confirm` asks twice.
  Result<std::string> ReadPassphrase(std::string_view prompt, bool confirm = false);
  // Only the terminal prompt (a new passphrase must not silently come from the environment).
  static Result<std::string> PromptPassphrase(std::string_view prompt, bool confirm);

  // Opens the store in data_dir with the passphrase, opens the replica and signs in the
  // profile's user. Idempotent. WARNING: ws()/db()/replica() are valid only after it succeeded.
  Result<void> Open();
  // Opens the store and the replica, without signing anybody in (init, restore, enrol).
  Result<void> OpenStoreOnly();
  // Takes a store created by the caller (init) and opens the replica over it.
  Result<void> Adopt(std::unique_ptr<storage::Store> store, std::string site_id);
  // Signs `user_id` in (after OpenStoreOnly/Adopt).
  Result<void> SignIn(std::string_view user_id);

  client::Workspace& ws() { return *workspace_; }
  storage::Database& db();
  sync::Replica& replica();
  storage::Store& store();
  bool IsOpen() const { return replica_ != nullptr || device_ != nullptr; }
  // The enrolled device, or nullptr for a local-only store.
  client::Device* device() { return device_.get(); }

  // Runs `body` and records its exit code: 0 on success, else the error printed to stderr
  // as "error: MESSAGE" and mapped by ExitCodeFor. Callbacks use it for every command.
  void Run(const std::function<Result<void>()>& body);
  // Opens the store, executes one Workspace command and prints the resulting id (plain, or
  // {"id": ...} with --json).
  void RunCommand(const std::function<client::Command()>& make);

  // Output (stdout). Text output is for people and shell pipes; --json for programs.
  std::ostream& out();
  void PrintJson(const nlohmann::ordered_json& value);
  // Aligned columns; the first row is the header. UTF-8 aware widths.
  void PrintTable(const std::vector<std::vector<std::string>>& rows);

  int exit_code = kExitOk;

 private:
  // Local-only stores: the store and the replica; enrolled stores: the device owns both.
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<sync::Replica> replica_;
  std::unique_ptr<client::Device> device_;
  std::unique_ptr<client::Workspace> workspace_;
};

// Registration of the command groups. Each adds its subcommands to `app`.
void AddSetupCommands(CLI::App& app, CliContext& ctx);      // init, passphrase, demo-data
void AddCaseCommands(CLI::App& app, CliContext& ctx);       // client, case, section, ... note
void AddProgrammeCommands(CLI::App& app, CliContext& ctx);  // programme, consent, referral
void AddMentoringCommands(CLI::App& app, CliContext& ctx);  // volunteer, mentor, mentoring
void AddMappaCommands(CLI::App& app, CliContext& ctx);      // mappa
void AddAdminCommands(CLI::App& app, CliContext& ctx);      // region, unit, user, setting
void AddReportCommands(CLI::App& app, CliContext& ctx);     // list, show, search, agenda, report
void AddDataCommands(CLI::App& app, CliContext& ctx);       // import, export
// Defined in client/cli/documents.cpp: `case summary`, `court render`, `mappa render` and
// `mappa pack` (PDF), added to the groups above; call after them.
void AddDocumentCommands(CLI::App& app, CliContext& ctx);
void AddCommunityCommands(CLI::App& app, CliContext& ctx);  // community (work orders, hours)
// Defined in client/cli/evaluation.cpp: evaluation request|start|draft|sign|submit|withdraw|
// show (`evaluation render` is added by AddDocumentCommands; call this before it).
void AddEvaluationCommands(CLI::App& app, CliContext& ctx);
// A request with its report (sections with word counts), or "report": null, as JSON.
nlohmann::ordered_json EvaluationJson(const client::EvaluationRequest& request,
                                      const client::EvaluationReport* report);
// Defined in client/cli/mediation.cpp: mediation party|consent|mediator|meeting|
// meeting-outcome|outcome|fulfilment|report|show.
void AddMediationCommands(CLI::App& app, CliContext& ctx);
// The mediation part of a case file as JSON (client/cli/mediation.cpp).
nlohmann::ordered_json MediationJson(const client::CaseFileView& v);
// The community-work part of a case file as JSON (client/cli/reports.cpp).
nlohmann::ordered_json CommunityWorkJson(const client::CaseFileView& v);
// Defined in client/cli_sync.cpp: enrol and sync.
void AddSyncCommands(CLI::App& app, CliContext& ctx);
void AddCheckCommands(CLI::App& app, CliContext& ctx);  // check (store integrity)
// Defined in client/cli/subject_access.cpp: `subject-access --client ID -o DIR` (a person's
// data as PDF and JSON, what is withheld and why; audited).
void AddSubjectAccessCommands(CLI::App& app, CliContext& ctx);
// Defined in client/cli/transfers.cpp: `transfer offer|withdraw|accept|decline|list`.
void AddTransferCommands(CLI::App& app, CliContext& ctx);
// Defined in client/cli/break_glass.cpp: `break-glass --case ID --reason TEXT` and `covers`.
void AddBreakGlassCommands(CLI::App& app, CliContext& ctx);

// Table output of list, agenda and report (cli/documents.cpp): --format csv|xlsx with
// -o FILE (`-o -`: stdout, CSV only) and --delimiter for CSV. Without --format the command
// prints as before.
struct TableOutput {
  std::string format, output, delimiter = ";";
  bool requested() const { return !format.empty(); }
};
void AddTableOutputOptions(CLI::App* sub, TableOutput& out);
// Writes `table` as asked (a file is created with mode 0600) and appends the export's audit
// entry (Workspace::RecordTableExport). Prints "N rows" to stderr.
Result<void> WriteTable(CliContext& ctx, const TableOutput& out,
                        const client::documents::DataTable& table);
// Creates or truncates `path` with mode 0600 (also narrowing an existing file) and writes
// `bytes`; kIo on failure.
Result<void> WritePrivateFile(const std::string& path, std::string_view bytes);

// Option helpers shared by the command files.
// An option taking an enum code (`--kind conditional_sentence`), checked against its codes.
template <class E>
CLI::Option* AddEnumOption(CLI::App* sub, const std::string& name, std::string& target,
                           const std::string& help) {
  std::vector<std::string> codes;
  for (auto c : client::AllCodes<E>()) codes.emplace_back(c);
  return sub->add_option(name, target, help)->check(CLI::IsMember(codes));
}
template <class E>
E EnumOr(const std::string& code, E fallback) {
  auto e = client::FromCode<E>(code);
  return e ? *e : fallback;
}
template <class E>
std::optional<E> EnumOpt(const std::string& code) {
  if (code.empty()) return std::nullopt;
  return client::FromCode<E>(code);
}
// "a,b,c" -> codes of E (already checked by the option's validator).
template <class E>
std::vector<E> EnumList(const std::string& joined) {
  std::vector<E> out;
  std::string_view text = joined;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (auto e = client::FromCode<E>(text.substr(0, comma))) out.push_back(*e);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// Adds a subcommand that executes one Workspace command of type C. `setup(sub, c, finish)`
// binds options to the fields of `c` and may set `finish` to complete the command from
// option values that need converting (enum codes, lists) just before it runs.
template <class C, class Setup>
CLI::App* AddCommand(CLI::App* parent, CliContext& ctx, const std::string& name,
                     const std::string& help, Setup setup) {
  auto cmd = std::make_shared<C>();
  auto finish = std::make_shared<std::function<void(C&)>>();
  auto* sub = parent->add_subcommand(name, help);
  setup(sub, *cmd, *finish);
  sub->callback([&ctx, cmd, finish] {
    ctx.RunCommand([&] {
      C c = *cmd;
      if (*finish) (*finish)(c);
      return client::Command(c);
    });
  });
  return sub;
}
inline std::shared_ptr<std::string> Str() {
  return std::make_shared<std::string>();
}

}  // namespace lietvedis::cli
