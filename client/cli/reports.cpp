// Reading commands (list, show, search, history, agenda, report) and the JSON Lines
// import/export.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "client/agenda.hpp"
#include "client/cli/cli.hpp"
#include "client/indicators.hpp"
#include "client/jsonl.hpp"
#include "client/validation.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;
using Json = nlohmann::ordered_json;

namespace {

Json RowJson(const CaseloadRow& r) {
  return Json{{"case_id", r.case_id},
              {"client_id", r.client_id},
              {"name", r.name},
              {"surname", r.surname},
              {"personal_code", r.personal_code},
              {"kind", Code(r.kind)},
              {"status", Code(r.status)},
              {"unit_id", r.unit_id},
              {"responsible_officer_id", r.responsible_officer_id},
              {"responsible_officer_name", r.responsible_officer_name},
              {"opened_on", r.opened_on},
              {"risk_level", r.risk_level ? Json(Code(*r.risk_level)) : Json(nullptr)},
              {"last_contact_on", r.last_contact_on},
              {"next_contact_at", r.next_contact_at},
              {"has_open_section", r.has_open_section},
              {"overdue", r.overdue}};
}

template <class E>
Json Codes(const std::vector<E>& values) {
  Json a = Json::array();
  for (auto v : values) a.push_back(Code(v));
  return a;
}

}  // namespace

// Community work of a case file: orders (hours ordered, done, remaining, in minutes too),
// placements and the hours logged; shared by `show` and `community show`.
Json CommunityWorkJson(const CaseFileView& v) {
  Json j{{"orders", Json::array()}, {"placements", Json::array()}, {"hours", Json::array()}};
  for (const auto& o : v.community_orders) {
    j["orders"].push_back({{"id", o.id},
                           {"hours_ordered", o.hours_ordered},
                           {"ordered_on", o.ordered_on},
                           {"deadline_on", o.deadline_on},
                           {"court_decision_ref", o.court_decision_ref},
                           {"minutes_done", o.minutes_done},
                           {"minutes_remaining", o.MinutesRemaining()}});
  }
  for (const auto& p : v.work_placements) {
    j["placements"].push_back({{"id", p.id},
                               {"order_id", p.order_id},
                               {"provider", p.provider},
                               {"address", p.address},
                               {"started_on", p.started_on},
                               {"ended_on", p.ended_on}});
  }
  for (const auto& h : v.community_hours) {
    j["hours"].push_back({{"id", h.id},
                          {"placement_id", h.placement_id},
                          {"worked_on", h.worked_on},
                          {"minutes", h.minutes},
                          {"note", h.note}});
  }
  return j;
}

namespace {

Json CaseFileJson(const CaseFileView& v) {
  Json j;
  const auto& c = v.case_record;
  j["case"] = {{"id", c.id},
               {"kind", Code(c.kind)},
               {"status", Code(c.status)},
               {"unit_id", c.unit_id},
               {"responsible_officer_id", c.responsible_officer_id},
               {"responsible_officer_name", v.responsible_officer_name},
               {"opened_on", c.opened_on},
               {"closed_on", c.closed_on}};
  const auto& cl = v.client;
  j["client"] = {{"id", cl.id},
                 {"person_id", cl.person_id},
                 {"name", cl.name},
                 {"surname", cl.surname},
                 {"personal_code", cl.personal_code},
                 {"birth_date", cl.birth_date},
                 {"phone", cl.phone},
                 {"email", cl.email},
                 {"address", cl.address},
                 {"municipality", cl.municipality},
                 {"tags", Codes(cl.tags)}};
  j["related_persons"] = Json::array();
  for (const auto& p : v.related_persons) {
    j["related_persons"].push_back({{"id", p.id},
                                    {"relation", Code(p.relation)},
                                    {"kind", p.kind},
                                    {"name", p.name},
                                    {"surname", p.surname},
                                    {"phone", p.phone}});
  }
  j["monitoring"] = Json::array();
  for (const auto& e : v.monitoring) {
    j["monitoring"].push_back({{"id", e.id},
                               {"started_on", e.started_on},
                               {"planned_end_on", e.planned_end_on},
                               {"ended_on", e.ended_on},
                               {"outcome", Code(e.outcome)}});
  }
  j["placements"] = Json::array();
  for (const auto& p : v.placements) {
    j["placements"].push_back({{"id", p.id},
                               {"centre", p.centre},
                               {"started_on", p.started_on},
                               {"ended_on", p.ended_on},
                               {"daily_cost_cents", p.daily_cost_cents},
                               {"vpd_daily_share_cents", p.vpd_daily_share_cents}});
  }
  j["evaluation_requests"] = Json::array();
  for (const auto& e : v.evaluation_requests) {
    const EvaluationReport* report = nullptr;
    for (const auto& r : v.evaluation_reports) {
      if (r.id == e.id) report = &r;
    }
    j["evaluation_requests"].push_back(EvaluationJson(e, report));
  }
  j["sections"] = Json::array();
  for (const auto& s : v.sections) {
    j["sections"].push_back(
        {{"id", s.id},
         {"sentence_type", s.sentence_type},
         {"court_decision_ref", s.court_decision_ref},
         {"obligations", s.obligations},
         {"opened_on", s.opened_on},
         {"planned_end_on", s.planned_end_on},
         {"closed_on", s.closed_on},
         {"status", Code(s.status)},
         {"outcome", s.outcome ? Json(Code(*s.outcome)) : Json(nullptr)},
         {"employment_at_opening", Code(s.employment_at_opening)},
         {"employment_at_closure",
          s.employment_at_closure ? Json(Code(*s.employment_at_closure)) : Json(nullptr)},
         {"disability_group", Code(s.disability_group)},
         {"no_employment_taxes_at_opening", s.no_employment_taxes_at_opening}});
  }
  j["assessments"] = Json::array();
  for (const auto& a : v.assessments) {
    j["assessments"].push_back({{"id", a.id},
                                {"instrument", Code(a.instrument)},
                                {"version", a.instrument_version},
                                {"assessed_on", a.assessed_on},
                                {"total_score", a.total_score},
                                {"risk_level", Code(a.risk_level)},
                                {"needs", Codes(a.needs)},
                                {"signed_at", a.signed_at},
                                {"supersedes_id", a.supersedes_id}});
  }
  j["plans"] = Json::array();
  for (const auto& p : v.plans) {
    Json goals = Json::array();
    for (const auto& g : p.goals) {
      goals.push_back({{"goal", g.goal},
                       {"need", g.need ? Json(Code(*g.need)) : Json(nullptr)},
                       {"interventions", g.interventions},
                       {"review_on", g.review_on}});
    }
    j["plans"].push_back({{"id", p.id},
                          {"version", p.version},
                          {"status", Code(p.status)},
                          {"next_review_on", p.next_review_on},
                          {"goals", goals}});
  }
  j["contacts"] = Json::array();
  for (const auto& k : v.contacts) {
    j["contacts"].push_back({{"id", k.id},
                             {"planned_at", k.planned_at},
                             {"status", Code(k.status)},
                             {"mode", Code(k.mode)},
                             {"held_on", k.held_on},
                             {"outcome", k.outcome},
                             {"note", k.note}});
  }
  j["violations"] = Json::array();
  for (const auto& x : v.violations) {
    j["violations"].push_back({{"id", x.id},
                               {"kind", Code(x.kind)},
                               {"occurred_on", x.occurred_on},
                               {"description", x.description}});
  }
  j["court_applications"] = Json::array();
  for (const auto& x : v.court_applications) {
    j["court_applications"].push_back({{"id", x.id},
                                       {"kind", Code(x.kind)},
                                       {"filed_on", x.filed_on},
                                       {"reason", x.reason},
                                       {"decision", x.decision},
                                       {"decided_on", x.decided_on},
                                       {"warning_ids", x.warning_ids}});
  }
  // The escalation ladder: decisions on missed contacts and, per section, the warnings
  // counted against the unit's threshold.
  j["escalation"] = {{"decisions", Json::array()},
                     {"sections", Json::array()},
                     {"missed_awaiting_decision", v.missed_awaiting_decision}};
  for (const auto& d : v.escalation) {
    j["escalation"]["decisions"].push_back({{"id", d.id},
                                            {"contact_id", d.contact_id},
                                            {"section_id", d.section_id},
                                            {"decision", Code(d.decision)},
                                            {"reason", d.reason},
                                            {"decided_on", d.decided_on}});
  }
  for (const auto& e : v.section_escalation) {
    j["escalation"]["sections"].push_back(
        {{"section_id", e.section_id},
         {"warnings", e.warnings},
         {"justified_absences", e.justified_absences},
         {"threshold", e.threshold},
         {"uncited_warning_ids", e.uncited_warning_ids},
         {"court_application_proposed", e.court_application_proposed}});
  }
  j["community_work"] = CommunityWorkJson(v);
  if (v.case_record.kind == CaseKind::kMediation) j["mediation"] = MediationJson(v);
  j["consents"] = Json::array();
  for (const auto& x : v.consents) {
    j["consents"].push_back({{"id", x.id},
                             {"programme_id", x.programme_id},
                             {"programme_name", x.programme_name},
                             {"decision", Code(x.decision)},
                             {"given_on", x.given_on}});
  }
  j["referrals"] = Json::array();
  for (const auto& x : v.referrals) {
    j["referrals"].push_back({{"id", x.id},
                              {"programme_id", x.programme_id},
                              {"programme_name", x.programme_name},
                              {"status", Code(x.status)},
                              {"referred_on", x.referred_on},
                              {"enrolled_on", x.enrolled_on},
                              {"ended_on", x.ended_on},
                              {"sessions_attended", x.sessions_attended}});
  }
  j["notes"] = Json::array();
  for (const auto& n : v.notes) {
    j["notes"].push_back(
        {{"id", n.id}, {"written_at", n.written_at}, {"author_id", n.author_id}, {"body", n.body}});
  }
  j["corrections"] = Json::array();
  for (const auto& c2 : v.corrections) {
    j["corrections"].push_back({{"id", c2.id},
                                {"target_table", c2.target_table},
                                {"target_id", c2.target_id},
                                {"field", c2.field},
                                {"value", c2.value},
                                {"reason", c2.reason},
                                {"at", c2.at}});
  }
  j["countersignatures"] = Json::array();
  for (const auto& c2 : v.countersignatures) {
    j["countersignatures"].push_back({{"id", c2.id},
                                      {"record_table", c2.record_table},
                                      {"record_id", c2.record_id},
                                      {"signed_by", c2.signed_by},
                                      {"signed_by_name", c2.signed_by_name},
                                      {"signed_at", c2.signed_at},
                                      {"remark", c2.remark}});
  }
  j["transfers"] = Json::array();
  for (const auto& t : v.transfers) {
    j["transfers"].push_back({{"id", t.id},
                              {"from_unit_id", t.from_unit_id},
                              {"to_unit_id", t.to_unit_id},
                              {"reason", t.reason},
                              {"status", Code(t.status)},
                              {"offered_by", t.offered_by},
                              {"offered_at", t.offered_at},
                              {"decided_by", t.decided_by},
                              {"decided_at", t.decided_at},
                              {"new_officer_id", t.new_officer_id},
                              {"decision_note", t.decision_note}});
  }
  return j;
}

void PrintCaseload(CliContext& ctx, const std::vector<CaseloadRow>& rows) {
  if (ctx.json) {
    Json a = Json::array();
    for (const auto& r : rows) a.push_back(RowJson(r));
    ctx.PrintJson(a);
    return;
  }
  std::vector<std::vector<std::string>> table{
      {"CASE", "SURNAME", "NAME", "KIND", "RISK", "LAST CONTACT", "OVERDUE"}};
  for (const auto& r : rows) {
    table.push_back({r.case_id, r.surname, r.name, std::string(Code(r.kind)),
                     r.risk_level ? std::string(Code(*r.risk_level)) : "-",
                     FormatDate(r.last_contact_on), r.overdue ? "yes" : ""});
  }
  ctx.PrintTable(table);
}

struct ListArgs {
  std::string officer, risk, kind, status = "open", search;
  bool overdue = false;
};

}  // namespace

void AddReportCommands(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<ListArgs>();
  auto* list =
      app.add_subcommand("list", "The caseload (officer: own cases; supervisor: the unit)");
  list->add_option("--officer", args->officer, "Supervisors: one officer's caseload");
  AddEnumOption<RiskLevel>(list, "--risk", args->risk, "Latest risk level");
  AddEnumOption<CaseKind>(list, "--kind", args->kind, "Case kind");
  list->add_option("--status", args->status, "open, closed or any")
      ->check(CLI::IsMember({"open", "closed", "any"}));
  list->add_flag("--overdue", args->overdue, "Only overdue cases");
  list->add_option("--search", args->search, "Name, surname or personal code (diacritics folded)");
  auto list_out = std::make_shared<TableOutput>();
  AddTableOutputOptions(list, *list_out);
  list->callback([&ctx, args, list_out] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      CaseloadFilter f;
      f.officer_id = args->officer;
      f.risk_level = EnumOpt<RiskLevel>(args->risk);
      f.kind = EnumOpt<CaseKind>(args->kind);
      f.status = args->status == "any" ? std::nullopt : EnumOpt<CaseStatus>(args->status);
      f.overdue_only = args->overdue;
      f.search = args->search;
      LV_ASSIGN(auto rows, ctx.ws().Caseload(f));
      if (list_out->requested()) return WriteTable(ctx, *list_out, documents::CaseloadTable(rows));
      PrintCaseload(ctx, rows);
      return Ok();
    });
  });

  auto query = Str();
  auto* search = app.add_subcommand(
      "search",
      "Search cases by name, surname or personal code (berzins finds Bērziņš); a coordinator "
      "searches the cards of clients referred for peer mentoring by name and surname only");
  search->add_option("text", *query)->required();
  search->callback([&ctx, query] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      if (ctx.ws().actor().role == Role::kVolunteerCoordinator) {
        LV_ASSIGN(auto cards, ctx.ws().ClientCards(*query));
        Json a = Json::array();
        for (const auto& c : cards) {
          a.push_back({{"case_id", c.case_id},
                       {"name", c.name},
                       {"surname", c.surname},
                       {"phone", c.phone},
                       {"email", c.email},
                       {"responsible_officer_name", c.responsible_officer_name}});
        }
        ctx.PrintJson(a);
        return Ok();
      }
      CaseloadFilter f;
      f.status = std::nullopt;
      f.search = *query;
      LV_ASSIGN(auto rows, ctx.ws().Caseload(f));
      PrintCaseload(ctx, rows);
      return Ok();
    });
  });

  auto case_id = Str();
  auto* show = app.add_subcommand("show", "Show a case file (an audited read); always JSON");
  show->add_option("case", *case_id, "Case id")->required();
  show->callback([&ctx, case_id] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto file, ctx.ws().CaseFile(*case_id));
      ctx.PrintJson(CaseFileJson(file));
      return Ok();
    });
  });

  auto table = Str(), record = Str();
  auto* history = app.add_subcommand(
      "history", "The history of one record (creation, changes, reads, corrections)");
  history->add_option("table", *table)->required();
  history->add_option("id", *record)->required();
  history->callback([&ctx, table, record] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto h, ctx.ws().History(*table, *record));
      Json a = Json::array();
      for (const auto& e : h.entries) {
        a.push_back({{"at", e.at},
                     {"user_id", e.user_id},
                     {"kind", e.kind},
                     {"detail", e.detail},
                     {"record_id", e.record_id}});
      }
      ctx.PrintJson(a);
      return Ok();
    });
  });

  auto date = Str();
  auto* agenda = app.add_subcommand("agenda", "What is due: overdue, today, this week");
  agenda->add_option("--date", *date, "dd.mm.yyyy (default today)");
  auto agenda_out = std::make_shared<TableOutput>();
  AddTableOutputOptions(agenda, *agenda_out);
  agenda->callback([&ctx, date, agenda_out] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(Agenda a, BuildAgenda(ctx.ws(), ctx.db(), *date));
      if (agenda_out->requested()) return WriteTable(ctx, *agenda_out, documents::AgendaTable(a));
      if (ctx.json) {
        Json j{{"date", a.today}, {"items", Json::array()}};
        for (const auto& i : a.items) {
          j["items"].push_back({{"bucket", Code(i.bucket)},
                                {"kind", Code(i.kind)},
                                {"due_on", i.due_on},
                                {"due_at", i.due_at},
                                {"case_id", i.case_id},
                                {"record_id", i.record_id},
                                {"name", i.client_name},
                                {"surname", i.client_surname},
                                {"detail", i.detail}});
          // The coordinator's sign-off backlog: days since the session was logged.
          if (i.kind == AgendaKind::kMentoringSignoff)
            j["items"].back()["days_waiting"] = i.days_waiting;
          if (i.kind == AgendaKind::kBreakGlass) {  // who opened the case file
            j["items"].back()["by_user_id"] = i.by_user_id;
            j["items"].back()["by_user_name"] = i.by_user_name;
          }
        }
        ctx.PrintJson(j);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows{
          {"WHEN", "DUE", "WHAT", "CLIENT", "CASE", "DETAIL"}};
      for (const auto& i : a.items) {
        rows.push_back(
            {std::string(Code(i.bucket)), FormatDate(i.due_at), std::string(Code(i.kind)),
             i.client_surname.empty() ? "" : i.client_name + " " + i.client_surname, i.case_id,
             i.kind == AgendaKind::kMentoringSignoff
                 ? i.detail + ", waiting " + std::to_string(i.days_waiting) + " days"
             : i.kind == AgendaKind::kBreakGlass
                 ? i.by_user_name + " opened the case file by break-glass on " +
                       FormatDate(i.due_on) + ": " + i.detail
                 : i.detail});
      }
      ctx.PrintTable(rows);
      return Ok();
    });
  });

  auto year = std::make_shared<int>(0);
  auto* report =
      app.add_subcommand("report", "Indicators (supervisor: unit; officer: own caseload)");
  report->add_option("--year", *year, "Calendar year (default this year)");
  auto report_out = std::make_shared<TableOutput>();
  AddTableOutputOptions(report, *report_out);
  report->callback([&ctx, year, report_out] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      const int y = *year != 0 ? *year : std::stoi(ctx.ws().Today().substr(0, 4));
      LV_ASSIGN(Indicators ind, ComputeIndicators(ctx.ws(), ctx.db(), y));
      if (report_out->requested()) {
        return WriteTable(ctx, *report_out, documents::IndicatorsTable(ind));
      }
      auto pct = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
      Json j;
      j["year"] = ind.year;
      j["open_cases"] = ind.open_cases;
      j["overdue_contacts"] = ind.overdue_contacts;
      j["caseload"] = Json::array();
      for (const auto& o : ind.caseload) {
        j["caseload"].push_back({{"officer_id", o.officer_id},
                                 {"officer_name", o.officer_name},
                                 {"open_cases", o.open_cases},
                                 {"overdue", o.overdue}});
      }
      j["risk_mix"] = ind.risk_mix;
      j["programme_completion"] = {{"completed", ind.referrals_completed},
                                   {"dropped_out", ind.referrals_dropped_out},
                                   {"rate_percent", pct(ind.completion_rate_percent)}};
      j["esf_unique_clients"] = ind.esf_unique_clients;
      const auto& le = ind.legal_employment;
      j["legal_employment"] = {
          {"s1", le.s1},
          {"s2", le.s2},
          {"percent", pct(le.percent)},
          {"excluded_age", le.excluded_age},
          {"excluded_age_unknown", le.excluded_age_unknown},
          {"excluded_disability_group_1", le.excluded_disability_group_1},
          {"excluded_release_from_liability", le.excluded_release_from_liability}};
      j["needs_addressed"] = {{"cases", ind.needs_addressed.cases},
                              {"identified", ind.needs_addressed.identified},
                              {"addressed", ind.needs_addressed.addressed},
                              {"percent", pct(ind.needs_addressed.percent)}};
      j["reoffending"] = {{"supervised", ind.reoffending.supervised},
                          {"reoffended", ind.reoffending.reoffended},
                          {"percent", pct(ind.reoffending.percent)}};
      ctx.PrintJson(j);
      return Ok();
    });
  });
}

void AddDataCommands(CLI::App& app, CliContext& ctx) {
  auto file = Str();
  auto* exp = app.add_subcommand(
      "export", "Export every replicated record as JSON Lines (administrator, supervisor)");
  exp->add_option("--output,-o", *file, "Output file (default stdout)");
  exp->callback([&ctx, file] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      if (!CanExportWholeStore(ctx.ws().actor())) {
        return MakeError(Errc::kNotPermitted,
                         "export: a whole-store export is for administrators and supervisors");
      }
      if (file->empty()) {
        LV_ASSIGN(auto report, ExportJsonl(ctx.db(), std::cout));
        LV_ASSIGN(std::string audited, ctx.ws().RecordDataTransfer("export", report.records));
        (void)audited;
        std::cerr << report.records << " records\n";
        return Ok();
      }
      // The export is case data in plain text: readable by this user only (0600), also when
      // the file existed before with a wider mode.
      {
        const int fd = ::open(file->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) return MakeError(Errc::kIo, "export: cannot write " + *file);
        const bool narrowed = ::fchmod(fd, 0600) == 0;
        ::close(fd);
        if (!narrowed) return MakeError(Errc::kIo, "export: cannot restrict the mode of " + *file);
      }
      std::ofstream out(*file, std::ios::binary | std::ios::trunc);
      if (!out) return MakeError(Errc::kIo, "export: cannot write " + *file);
      LV_ASSIGN(auto report, ExportJsonl(ctx.db(), out));
      out.flush();
      if (!out) return MakeError(Errc::kIo, "export: cannot write " + *file);
      LV_ASSIGN(std::string audited, ctx.ws().RecordDataTransfer("export", report.records));
      (void)audited;
      std::cerr << report.records << " records\n";
      return Ok();
    });
  });
  auto in_file = Str();
  auto* imp = app.add_subcommand(
      "import", "Import a JSON Lines file, all or nothing (administrator, supervisor)");
  imp->add_option("file", *in_file, "FILE.jsonl")->required();
  imp->callback([&ctx, in_file] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      if (!CanExportWholeStore(ctx.ws().actor())) {
        return MakeError(Errc::kNotPermitted, "import: for administrators and supervisors");
      }
      std::ifstream in(*in_file, std::ios::binary);
      if (!in) return MakeError(Errc::kIo, "import: cannot read " + *in_file);
      LV_ASSIGN(auto report, ImportJsonl(ctx.db(), ctx.replica(), in, ImportMode::kMerge));
      LV_ASSIGN(std::string audited, ctx.ws().RecordDataTransfer("import", report.records));
      (void)audited;
      ctx.out() << report.records << " records imported, " << report.skipped
                << " already present\n";
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
