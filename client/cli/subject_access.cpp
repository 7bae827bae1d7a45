// `lietvedis subject-access --client ID -o DIR [--format pdf|json|both]`: a person's request
// for the data held about them, answered with the same package as the desktop's
// (client/documents/subject_access.hpp): the files' paths on stdout (or JSON with --json),
// exit 3 for a missing folder or an unknown format, 4 for an actor who may not answer it.
#include "client/documents/subject_access.hpp"

#include <iostream>

#include "client/cli/cli.hpp"

namespace lietvedis::cli {

void AddSubjectAccessCommands(CLI::App& app, CliContext& ctx) {
  struct Args {
    std::string client_id, dir, format = "both";
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand(
      "subject-access",
      "A person's data held in this store as PDF and JSON, with what is withheld and why "
      "(audited)");
  sub->add_option("--client", args->client_id, "Client id")->required();
  sub->add_option("--output,-o", args->dir, "Folder the files are written to")->required();
  sub->add_option("--format", args->format, "pdf, json or both (default)");
  sub->callback([&ctx, args] {
    ctx.Run([&]() -> Result<void> {
      const auto format = client::documents::SubjectAccessFormatFromCode(args->format);
      if (!format) return MakeError(Errc::kValidation, "format: pdf, json or both");
      LV_TRY(ctx.Open());
      LV_ASSIGN(
          client::documents::SubjectAccessFiles files,
          client::documents::ExportSubjectAccess(ctx.ws(), args->client_id, args->dir, *format));
      if (ctx.json) {
        ctx.PrintJson({{"pdf", files.pdf_path},
                       {"json", files.json_path},
                       {"pages", files.pages},
                       {"cases", files.cases},
                       {"withheld", files.withheld}});
      } else {
        if (!files.pdf_path.empty()) ctx.out() << files.pdf_path << "\n";
        if (!files.json_path.empty()) ctx.out() << files.json_path << "\n";
      }
      std::cerr << files.cases << " cases, " << files.withheld << " items withheld";
      if (files.pages > 0) std::cerr << ", " << files.pages << " pages";
      std::cerr << "\n";
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
