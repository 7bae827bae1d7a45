// Evaluation reports: `evaluation request|start|draft|sign|submit|withdraw|show` (the PDF,
// `evaluation render`, is in cli/documents.cpp with the other documents). Each command but
// `show` runs one Workspace command and prints the request's id (also the report's id).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "client/cli/cli.hpp"
#include "client/validation.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;
using Json = nlohmann::ordered_json;

namespace {

// A section's text from `--SECTION TEXT` or `--SECTION-file PATH` (`-`: stdin).
Result<std::optional<std::string>> SectionInput(std::string_view section, const std::string& text,
                                                const std::string& path, bool text_given) {
  if (!path.empty()) {
    std::string bytes;
    if (path == "-") {
      bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        return MakeError(Errc::kIo, std::string(section) + "-file: cannot read " + path);
      }
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return std::optional<std::string>(std::move(bytes));
  }
  if (text_given) return std::optional<std::string>(text);
  return std::optional<std::string>();
}

std::string DueText(const std::string& today, const std::string& deadline) {
  if (deadline.empty() || today.empty()) return {};
  const auto days = [](const std::string& iso) {
    // Days from the civil date (Howard Hinnant's algorithm); ISO dates from storage.
    int y = std::stoi(iso.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(iso.substr(5, 2)));
    const unsigned d = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe);
  };
  const int left = days(deadline) - days(today);
  if (left < 0) return "overdue by " + std::to_string(-left) + " days";
  if (left == 0) return "due today";
  return "due in " + std::to_string(left) + " days";
}

}  // namespace

Json EvaluationJson(const EvaluationRequest& q, const EvaluationReport* r) {
  Json j{{"id", q.id},
         {"case_id", q.case_id},
         {"requester", Code(q.requester)},
         {"requester_name", q.requester_name},
         {"reference", q.reference},
         {"received_on", q.received_on},
         {"deadline_on", q.deadline_on},
         {"status", Code(q.status)},
         {"started_on", q.started_on},
         {"submitted_on", q.submitted_on},
         {"withdrawn_on", q.withdrawn_on},
         {"withdrawal_reason", q.withdrawal_reason}};
  if (r == nullptr) {
    j["report"] = nullptr;
    return j;
  }
  Json report{{"id", r->id},
              {"assessment_id", r->assessment_id},
              {"author_id", r->author_id},
              {"drafted_at", r->drafted_at},
              {"signed_at", r->signed_at},
              {"signed_by", r->signed_by}};
  Json sections = Json::object();
  for (ReportSection s : kReportSections) {
    sections[std::string(Code(s))] = {{"text", r->Section(s)},
                                      {"words", CountWords(r->Section(s))}};
  }
  report["sections"] = std::move(sections);
  j["report"] = std::move(report);
  return j;
}

void AddEvaluationCommands(CLI::App& app, CliContext& ctx) {
  auto* eval = app.add_subcommand(
      "evaluation", "Evaluation reports: requests, drafting, signing, submission (and render)");
  eval->require_subcommand(1);
  AddCommand<RecordEvaluationRequest>(
      eval, ctx, "request", "Record a request with its deadline; prints the request id",
      [](CLI::App* s, RecordEvaluationRequest& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        auto req = Str();
        AddEnumOption<Requester>(s, "--requester", *req, "court, prosecutor or prison")->required();
        s->add_option("--requester-name", c.requester_name);
        s->add_option("--reference", c.reference);
        s->add_option("--received", c.received_on);
        s->add_option("--deadline", c.deadline_on)->required();
        finish = [req](RecordEvaluationRequest& c) {
          c.requester = EnumOr(*req, Requester::kCourt);
        };
      });
  AddCommand<StartEvaluationReport>(
      eval, ctx, "start", "Start the report: the request goes in progress",
      [](CLI::App* s, StartEvaluationReport& c, auto&) {
        s->add_option("--request", c.request_id, "Request id")->required();
        s->add_option("--started", c.started_on, "dd.mm.yyyy (default today)");
      });

  // draft: each section from --SECTION TEXT or --SECTION-file PATH; sections not given stay.
  struct DraftArgs {
    std::string request, assessment;
    std::map<std::string, std::string> text, file;
    std::map<std::string, CLI::Option*> text_opts;
    CLI::Option* assessment_opt = nullptr;
  };
  auto draft_args = std::make_shared<DraftArgs>();
  auto* draft = eval->add_subcommand(
      "draft", "Write sections of an unsigned report (sections not given are kept)");
  draft->add_option("--request", draft_args->request, "Request id")->required();
  for (ReportSection s : kReportSections) {
    const std::string name(Code(s));
    std::string flag = name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    auto* text = draft->add_option("--" + flag, draft_args->text[name], "Text of " + name);
    auto* file = draft->add_option("--" + flag + "-file", draft_args->file[name],
                                   "Read " + name + " from a UTF-8 file (- for stdin)");
    text->excludes(file);
    draft_args->text_opts[name] = text;
  }
  draft_args->assessment_opt =
      draft->add_option("--assessment", draft_args->assessment,
                        "The assessment the risk and needs section rests on (\"\" clears it)");
  draft->callback([&ctx, draft_args] {
    ctx.Run([&]() -> Result<void> {
      DraftEvaluationReport c;
      c.request_id = draft_args->request;
      std::optional<std::string>* targets[] = {&c.circumstances, &c.offence, &c.risk_needs,
                                               &c.attitude, &c.conclusion};
      for (size_t i = 0; i < std::size(kReportSections); ++i) {
        const std::string name(Code(kReportSections[i]));
        LV_ASSIGN(*targets[i], SectionInput(name, draft_args->text[name], draft_args->file[name],
                                            draft_args->text_opts[name]->count() > 0));
      }
      if (draft_args->assessment_opt->count() > 0) c.assessment_id = draft_args->assessment;
      LV_TRY(ctx.Open());
      LV_ASSIGN(std::string id, ctx.ws().Execute(c));
      if (ctx.json) {
        ctx.PrintJson({{"id", id}});
      } else {
        ctx.out() << id << "\n";
      }
      return Ok();
    });
  });

  AddCommand<SignEvaluationReport>(
      eval, ctx, "sign", "Sign the report (every section written, the assessment signed)",
      [](CLI::App* s, SignEvaluationReport& c, auto&) {
        s->add_option("--request", c.request_id, "Request id")->required();
      });
  AddCommand<SubmitEvaluationReport>(
      eval, ctx, "submit", "Record the signed report's submission to the requester",
      [](CLI::App* s, SubmitEvaluationReport& c, auto&) {
        s->add_option("--request", c.request_id, "Request id")->required();
        s->add_option("--submitted", c.submitted_on, "dd.mm.yyyy (default today)");
      });
  AddCommand<WithdrawEvaluationRequest>(
      eval, ctx, "withdraw", "Record that the request was withdrawn, with the reason",
      [](CLI::App* s, WithdrawEvaluationRequest& c, auto&) {
        s->add_option("--request", c.request_id, "Request id")->required();
        s->add_option("--reason", c.reason, "Why (e.g. the court withdrew the request)")
            ->required();
        s->add_option("--withdrawn", c.withdrawn_on, "dd.mm.yyyy (default today)");
      });

  auto show_id = Str();
  auto* show = eval->add_subcommand(
      "show", "The request and its report with word counts (an audited read of the case)");
  show->add_option("--request", *show_id, "Request id")->required();
  show->callback([&ctx, show_id] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(std::string case_id, ctx.ws().CaseOfRecord("evaluation_request", *show_id));
      LV_ASSIGN(CaseFileView file, ctx.ws().CaseFile(case_id));
      const EvaluationRequest* request = nullptr;
      const EvaluationReport* report = nullptr;
      for (const auto& q : file.evaluation_requests) {
        if (q.id == *show_id) request = &q;
      }
      for (const auto& r : file.evaluation_reports) {
        if (r.id == *show_id) report = &r;
      }
      if (request == nullptr) {
        return MakeError(Errc::kNotFound, "evaluation request " + *show_id + ": not found");
      }
      if (ctx.json) {
        ctx.PrintJson(EvaluationJson(*request, report));
        return Ok();
      }
      std::ostream& out = ctx.out();
      out << "request    " << request->id << "\n"
          << "client     " << file.client.name << " " << file.client.surname << "\n"
          << "requester  " << Code(request->requester) << ": " << request->requester_name << " ("
          << request->reference << ")\n"
          << "received   " << FormatDate(request->received_on) << "\n"
          << "deadline   " << FormatDate(request->deadline_on);
      const bool open = request->status == EvaluationStatus::kRequested ||
                        request->status == EvaluationStatus::kInProgress;
      if (open) out << " (" << DueText(ctx.ws().Today(), request->deadline_on) << ")";
      out << "\nstatus     " << Code(request->status);
      if (!request->started_on.empty()) out << ", started " << FormatDate(request->started_on);
      if (!request->submitted_on.empty())
        out << ", submitted " << FormatDate(request->submitted_on);
      if (!request->withdrawn_on.empty()) {
        out << ", withdrawn " << FormatDate(request->withdrawn_on) << ": "
            << request->withdrawal_reason;
      }
      out << "\n";
      if (report == nullptr) {
        out << "report     not started\n";
        return Ok();
      }
      out << "assessment " << (report->assessment_id.empty() ? "-" : report->assessment_id) << "\n"
          << "signed     "
          << (report->IsSigned() ? FormatDate(report->signed_at) + " by " + report->signed_by
                                 : std::string("no (draft)"))
          << "\n";
      for (ReportSection s : kReportSections) {
        const std::string& text = report->Section(s);
        out << "\n== " << Code(s) << " (" << CountWords(text) << " words) ==\n"
            << (text.empty() ? "(empty)" : text) << "\n";
      }
      for (const auto& c : file.corrections) {
        if (c.target_table != "evaluation_report" || c.target_id != report->id) continue;
        out << "\n== correction of " << c.field << ", " << FormatDate(c.at) << " ==\n"
            << c.value << "\n(" << c.reason << ")\n";
      }
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
