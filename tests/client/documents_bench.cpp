// Documents: how long an officer waits for what leaves the office. A 20-page evaluation report
// rendered to PDF (Pango + Cairo, client/documents/render.cpp) against a one-page report in the
// same process (the baseline: what a page costs beyond the fixed work), and the unit's caseload
// of 10,000 rows written as XLSX against the same rows as CSV (the baseline). The documents are
// built from view structs, as the Workspace hands them to the builders; the text is Latvian
// with every diacritic. Medians of --runs runs. Targets (issue #13): ≤ 300 ms for the report,
// ≤ 1 s for the XLSX.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "client/documents/builders.hpp"
#include "client/documents/document.hpp"
#include "client/documents/export.hpp"
#include "client/documents/tables.hpp"

using namespace lietvedis;
using namespace lietvedis::client;

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

template <typename F>
double MedianMs(int runs, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
  }
  return Median(t);
}

// About `words` words of report prose, sentence by sentence.
std::string Prose(int words, int seed) {
  static const char* kWords[] = {
      "klients",  "ieradās", "laikā",      "pārrunājām", "darba", "meklēšanu", "ģimenes",
      "atbalstu", "ķīmisko", "vielu",      "lietošanu",  "ņemot", "vērā",      "šķēršļus",
      "ūdens",    "žurnālā", "motivāciju", "attieksmi",  "riska", "vajadzības"};
  std::string out;
  for (int i = 0; i < words; ++i) {
    out += kWords[(i * 7 + seed) % 20];
    out += (i % 14 == 13) ? ". " : " ";
    if (i % 140 == 139) out += "\n\n";
  }
  return out;
}

documents::Document Report(int words_per_section, const documents::DocumentContext& dc) {
  CaseFileView file;
  file.client.name = "Jānis";
  file.client.surname = "Bērziņš";
  file.client.personal_code = "150385-11001";
  file.case_record.id = "case-1";
  file.case_record.unit_id = "unit-1";
  EvaluationRequest request;
  request.id = "request-1";
  request.case_id = "case-1";
  request.reference = "Nr. 11-22/2026";
  request.requester_name = "Liepājas tiesa";
  request.received_on = "2026-12-01";
  request.deadline_on = "2026-12-20";
  EvaluationReport report;
  report.id = "request-1";
  report.case_id = "case-1";
  report.request_id = "request-1";
  report.circumstances = Prose(words_per_section, 1);
  report.offence = Prose(words_per_section, 2);
  report.risk_needs = Prose(words_per_section, 3);
  report.attitude = Prose(words_per_section, 4);
  report.conclusion = Prose(words_per_section, 5);
  report.author_id = "officer-1";
  report.drafted_at = "2026-12-04T10:00:00Z";
  return documents::EvaluationReportDocument(file, request, report, dc);
}

std::vector<CaseloadRow> Caseload(int n) {
  std::vector<CaseloadRow> rows(static_cast<std::size_t>(n));
  static const char* kSurnames[] = {"Bērziņš", "Kalniņa", "Ozols", "Liepiņa",
                                    "Krūmiņš", "Žagata",  "Ūdre",  "Čakste"};
  for (int i = 0; i < n; ++i) {
    CaseloadRow& r = rows[static_cast<std::size_t>(i)];
    r.case_id = "case-" + std::to_string(i);
    r.name = i % 2 ? "Anna" : "Jānis";
    r.surname = kSurnames[i % 8];
    r.personal_code = "150385-1" + std::to_string(1000 + i % 9000);
    r.kind = i % 3 ? CaseKind::kConditionalSentence : CaseKind::kConditionalEarlyRelease;
    r.responsible_officer_name = "Ilze Ozola";
    r.opened_on = "2026-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
    if (i % 4) r.risk_level = static_cast<RiskLevel>(i % 4);
    r.last_contact_on = "2026-11-2" + std::to_string(i % 10);
    r.overdue = i % 7 == 0;
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  bool smoke = false, json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--smoke") {
      smoke = true;
    } else if (a == "--json") {
      json = true;
    } else {
      std::fprintf(stderr, "usage: lv_documents_bench [--runs R] [--smoke] [--json]\n");
      return 2;
    }
  }
  documents::DocumentContext dc;
  dc.region_name = "Kurzemes reģions";
  dc.unit_name = "Liepājas struktūrvienība";
  dc.user_names["officer-1"] = "Ilze Ozola";
  dc.today = "2026-12-06";

  // Words per section for about one page, and for about twenty (measured below, printed).
  const int small_words = 60, large_words = smoke ? 300 : 2200;
  const documents::Document one_page = Report(small_words, dc),
                            long_report = Report(large_words, dc);
  int pages_small = 0, pages_large = 0;
  const double small_ms = MedianMs(runs, [&] {
    auto pdf = documents::RenderPdf(one_page);
    if (!pdf.ok()) std::abort();
    pages_small = pdf->pages;
  });
  const double large_ms = MedianMs(runs, [&] {
    auto pdf = documents::RenderPdf(long_report);
    if (!pdf.ok()) std::abort();
    pages_large = pdf->pages;
  });

  const int rows = smoke ? 500 : 10'000;
  const documents::DataTable table = documents::CaseloadTable(Caseload(rows));
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("lv-documents-bench-" + std::to_string(::getpid())))
                              .string();
  std::filesystem::create_directories(dir);
  const double csv_ms = MedianMs(runs, [&] {
    if (!documents::WriteTableFile(table, documents::TableFormat::kCsv, ';', dir + "/c.csv").ok())
      std::abort();
  });
  const double xlsx_ms = MedianMs(runs, [&] {
    if (!documents::WriteTableFile(table, documents::TableFormat::kXlsx, ';', dir + "/c.xlsx").ok())
      std::abort();
  });
  const auto csv_bytes = std::filesystem::file_size(dir + "/c.csv");
  const auto xlsx_bytes = std::filesystem::file_size(dir + "/c.xlsx");
  std::filesystem::remove_all(dir);

  std::printf("documents: medians of %d runs\n", runs);
  std::printf("%-44s %10s %10s %8s\n", "what", "ms", "size", "ratio");
  std::printf("%-44s %10.1f %7d pp %8s\n", "evaluation report PDF, baseline", small_ms, pages_small,
              "1.00");
  std::printf("%-44s %10.1f %7d pp %8.2f\n", "evaluation report PDF, long", large_ms, pages_large,
              large_ms / small_ms);
  std::printf("%-44s %10.1f %7.0f kB %7s\n",
              ("caseload CSV, " + std::to_string(rows) + " rows, baseline").c_str(), csv_ms,
              static_cast<double>(csv_bytes) / 1024, "1.00");
  std::printf("%-44s %10.1f %7.0f kB %8.2f\n",
              ("caseload XLSX, " + std::to_string(rows) + " rows").c_str(), xlsx_ms,
              static_cast<double>(xlsx_bytes) / 1024, xlsx_ms / csv_ms);
  std::printf("per page of the long report: %.1f ms\n", large_ms / std::max(1, pages_large));
  if (json) {  // after the table, for lv_bench_report (one line, the last JSON object printed)
    std::printf(
        "{\"runs\": %d, \"report_small_ms\": %.3f, \"report_small_pages\": %d, "
        "\"report_large_ms\": %.3f, \"report_large_pages\": %d, \"rows\": %d, \"csv_ms\": %.3f, "
        "\"csv_kib\": %.1f, \"xlsx_ms\": %.3f, \"xlsx_kib\": %.1f}\n",
        runs, small_ms, pages_small, large_ms, pages_large, rows, csv_ms,
        static_cast<double>(csv_bytes) / 1024, xlsx_ms, static_cast<double>(xlsx_bytes) / 1024);
  }
  return 0;
}
