// `lietvedis`: the scriptable command line over the same core as the desktop client
// (docs/CLI.md). Commands live in client/cli_*.cpp and share client/cli.hpp.
#include <csignal>
#include <iostream>

#include "client/cli/cli.hpp"

int main(int argc, char** argv) {
  // A peer that closes its connection while TLS writes to it must fail that write, not end
  // the process: OpenSSL writes through the socket without MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  using namespace lietvedis::cli;
  CliContext ctx;
  CLI::App app{"lietvedis: the probation case-file command line"};
  app.require_subcommand(1);
  app.add_option("--data", ctx.data_dir, "Data directory holding the store")
      ->envname("LIETVEDIS_DATA");
  app.add_option("--passphrase-file", ctx.passphrase_file,
                 "File whose first line is the passphrase");
  app.add_flag("--json", ctx.json, "Machine-readable JSON output");
  app.footer(
      "Passphrase: --passphrase-file (/dev/stdin reads standard input), else a prompt; "
      "LIETVEDIS_PASSPHRASE opens an existing store, never sets a new passphrase.\n"
      "Exit codes: 0 ok, 1 other, 2 usage, 3 validation, 4 wrong passphrase or not permitted, 5 "
      "store damaged.");
  AddSetupCommands(app, ctx);
  AddCaseCommands(app, ctx);
  AddEvaluationCommands(app, ctx);
  AddProgrammeCommands(app, ctx);
  AddMentoringCommands(app, ctx);
  AddMappaCommands(app, ctx);
  AddAdminCommands(app, ctx);
  AddReportCommands(app, ctx);
  AddDataCommands(app, ctx);
  AddCommunityCommands(app, ctx);
  AddMediationCommands(app, ctx);
  AddDocumentCommands(app, ctx);  // adds `render` to the groups above
  AddSyncCommands(app, ctx);
  AddCheckCommands(app, ctx);
  AddSubjectAccessCommands(app, ctx);
  AddTransferCommands(app, ctx);
  AddBreakGlassCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  // With SIGPIPE ignored, a reader that went away (`lietvedis list | head`) or a full disk
  // fails the writes instead of ending the process: said, never exit 0 with output cut short.
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "error: the output could not be written in full (its reader closed it or the "
                 "disk is full); what the command changed in the store is kept\n";
    return ctx.exit_code == kExitOk ? kExitOther : ctx.exit_code;
  }
  return ctx.exit_code;
}
