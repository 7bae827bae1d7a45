// Documents handed to others: tables of list/agenda/report as CSV or XLSX, and the PDF
// documents (case summary, court application, evaluation report, mediation report, MAPPA
// minutes and agency packs).

#include <iostream>
#include <sstream>

#include "client/cli/cli.hpp"
#include "client/documents/export.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

Result<void> WritePrivateFile(const std::string& path, std::string_view bytes) {
  return documents::WritePrivateFile(path, bytes);
}

void AddTableOutputOptions(CLI::App* sub, TableOutput& out) {
  auto* format = sub->add_option("--format", out.format, "Write a table: csv or xlsx")
                     ->check(CLI::IsMember({"csv", "xlsx"}));
  auto* output = sub->add_option("--output,-o", out.output, "Output file; - for stdout (csv)");
  format->needs(output);
  output->needs(format);
  sub->add_option("--delimiter", out.delimiter, "CSV delimiter: ; (default) or ,")
      ->check(CLI::IsMember({";", ","}));
}

Result<void> WriteTable(CliContext& ctx, const TableOutput& out,
                        const documents::DataTable& table) {
  const char delimiter = out.delimiter.at(0);
  if (out.output == "-") {
    if (out.format != "csv") {
      return MakeError(Errc::kValidation, "output: an XLSX workbook goes to a file, not stdout");
    }
    std::ostringstream csv;
    LV_TRY(documents::WriteCsv(table, csv, delimiter));
    ctx.out() << csv.str();
    ctx.out().flush();
    if (!ctx.out()) return MakeError(Errc::kIo, "output: cannot write to stdout");
    LV_ASSIGN(std::string audited,
              ctx.ws().RecordTableExport(table.name, static_cast<std::int64_t>(table.rows.size()),
                                         out.format));
    (void)audited;
  } else {
    const auto format = documents::TableFormatFromCode(out.format);
    if (!format) return MakeError(Errc::kValidation, "format: csv or xlsx");
    // The same audited export as the desktop's (client/documents/export.hpp).
    LV_ASSIGN(std::int64_t rows,
              documents::ExportTable(ctx.ws(), table, *format, delimiter, out.output));
    (void)rows;
  }
  std::cerr << table.rows.size() << " rows\n";
  return Ok();
}

namespace {

// Delivers a PDF's bytes to stdout (`-o -`).
documents::DeliverBytes ToStdout(CliContext& ctx) {
  return [&ctx](std::string_view bytes) -> Result<void> {
    ctx.out().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ctx.out().flush();
    if (!ctx.out()) return MakeError(Errc::kIo, "output: cannot write to stdout");
    return Ok();
  };
}

CLI::App* Group(CLI::App& app, const std::string& name) {
  // The groups exist: AddDocumentCommands runs after AddCaseCommands, AddEvaluationCommands,
  // AddMappaCommands and AddMediationCommands (client/cli/main.cpp).
  return app.get_subcommand(name);
}

}  // namespace

void AddDocumentCommands(CLI::App& app, CliContext& ctx) {
  struct Args {
    std::string id, output, institution;
    int months = 6;
  };

  auto summary_args = std::make_shared<Args>();
  auto* summary =
      Group(app, "case")
          ->add_subcommand("summary", "The case summary as PDF (an audited read of the case)");
  summary->add_option("--case", summary_args->id, "Case id")->required();
  summary->add_option("--output,-o", summary_args->output, "FILE.pdf, or - for stdout")->required();
  summary->add_option("--months", summary_args->months, "Contacts of the last N months (6)")
      ->check(CLI::Range(1, 120));
  summary->callback([&ctx, summary_args] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const std::string& output = summary_args->output;
      // The same audited render as the desktop's (client/documents/export.hpp).
      const Result<int> pages =
          output == "-" ? documents::ExportCaseSummary(ctx.ws(), summary_args->id,
                                                       summary_args->months, ToStdout(ctx))
                        : documents::ExportCaseSummaryFile(ctx.ws(), summary_args->id,
                                                           summary_args->months, output);
      if (!pages.ok()) return pages.error();
      std::cerr << *pages << " pages\n";
      return Ok();
    });
  });

  auto court_args = std::make_shared<Args>();
  auto* court = Group(app, "court")
                    ->add_subcommand(
                        "render", "An application to court as PDF (an audited read of the case)");
  court->add_option("--application", court_args->id, "Court application id")->required();
  court->add_option("--output,-o", court_args->output, "FILE.pdf, or - for stdout")->required();
  court->callback([&ctx, court_args] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const std::string& output = court_args->output;
      LV_ASSIGN(int pages,
                output == "-"
                    ? documents::ExportCourtApplication(ctx.ws(), court_args->id, ToStdout(ctx))
                    : documents::ExportCourtApplicationFile(ctx.ws(), court_args->id, output));
      std::cerr << pages << " pages\n";
      return Ok();
    });
  });

  auto evaluation_args = std::make_shared<Args>();
  auto* evaluation =
      Group(app, "evaluation")
          ->add_subcommand("render",
                           "The evaluation report as PDF (a draft is marked so; an audited read)");
  evaluation->add_option("--request", evaluation_args->id, "Evaluation request id")->required();
  evaluation->add_option("--output,-o", evaluation_args->output, "FILE.pdf, or - for stdout")
      ->required();
  evaluation->callback([&ctx, evaluation_args] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const std::string& output = evaluation_args->output;
      LV_ASSIGN(int pages, output == "-" ? documents::ExportEvaluationReport(
                                               ctx.ws(), evaluation_args->id, ToStdout(ctx))
                                         : documents::ExportEvaluationReportFile(
                                               ctx.ws(), evaluation_args->id, output));
      std::cerr << pages << " pages\n";
      return Ok();
    });
  });

  auto mediation_args = std::make_shared<Args>();
  auto* mediation = Group(app, "mediation")
                        ->add_subcommand("render",
                                         "The mediation report to the requesting authority as "
                                         "PDF, once the outcome is recorded (an audited read)");
  mediation->add_option("--case", mediation_args->id, "Mediation case id")->required();
  mediation->add_option("--output,-o", mediation_args->output, "FILE.pdf, or - for stdout")
      ->required();
  mediation->callback([&ctx, mediation_args] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const std::string& output = mediation_args->output;
      LV_ASSIGN(int pages,
                output == "-"
                    ? documents::ExportMediationReport(ctx.ws(), mediation_args->id, ToStdout(ctx))
                    : documents::ExportMediationReportFile(ctx.ws(), mediation_args->id, output));
      std::cerr << pages << " pages\n";
      return Ok();
    });
  });

  CLI::App* mappa = Group(app, "mappa");
  auto minutes_args = std::make_shared<Args>();
  auto* minutes = mappa->add_subcommand("render", "The minutes of a meeting as PDF (audited)");
  minutes->add_option("--meeting", minutes_args->id, "Meeting id")->required();
  minutes->add_option("--output,-o", minutes_args->output, "FILE.pdf, or - for stdout")->required();
  minutes->callback([&ctx, minutes_args] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const std::string& output = minutes_args->output;
      LV_ASSIGN(int pages,
                output == "-"
                    ? documents::ExportMappaMinutes(ctx.ws(), minutes_args->id, ToStdout(ctx))
                    : documents::ExportMappaMinutesFile(ctx.ws(), minutes_args->id, output));
      std::cerr << pages << " pages\n";
      return Ok();
    });
  });

  auto pack_args = std::make_shared<Args>();
  auto* pack = mappa->add_subcommand(
      "pack",
      "One institution's pack of signed minutes as PDF: its actions and the disclosures "
      "addressed to it; each disclosure included is logged");
  pack->add_option("--meeting", pack_args->id, "Meeting id")->required();
  AddEnumOption<Institution>(pack, "--institution", pack_args->institution, "Recipient institution")
      ->required();
  pack->add_option("--output,-o", pack_args->output, "FILE.pdf, or - for stdout")->required();
  pack->callback([&ctx, pack_args] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const auto institution = EnumOr(pack_args->institution, Institution::kOther);
      const std::string& output = pack_args->output;
      // Logged or not delivered: a pack written but not logged is removed again.
      LV_ASSIGN(
          documents::MappaPackExport pack,
          output == "-"
              ? documents::ExportMappaPack(ctx.ws(), pack_args->id, institution, ToStdout(ctx))
              : documents::ExportMappaPackFile(ctx.ws(), pack_args->id, institution, output));
      std::cerr << "pack " << pack.pack_id << ": " << pack.pages << " pages, " << pack.disclosures
                << " disclosures logged\n";
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
