#include "client/documents/tables.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

namespace lietvedis::client::documents {

namespace {

std::string Num(std::int64_t v) {
  return std::to_string(v);
}
std::string Percent(const std::optional<double>& v) {
  if (!v) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *v);
  return buf;
}
bool IsIsoDate(std::string_view s) {
  if (s.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

// Display width of a UTF-8 string in code points (one column per Latvian letter).
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string LatvianDate(std::string_view iso) {
  if (!IsIsoDate(iso)) return std::string(iso);
  std::string out;
  out.append(iso.substr(8, 2)).append(".").append(iso.substr(5, 2)).append(".");
  out.append(iso.substr(0, 4));
  return out;
}

DataTable CaseloadTable(const std::vector<CaseloadRow>& rows) {
  DataTable t;
  t.name = "caseload";
  t.columns = {{"Lieta", ColumnKind::kText},
               {"Uzvārds", ColumnKind::kText},
               {"Vārds", ColumnKind::kText},
               {"Personas kods", ColumnKind::kText},
               {"Lietas veids", ColumnKind::kText},
               {"Statuss", ColumnKind::kText},
               {"Atbildīgā amatpersona", ColumnKind::kText},
               {"Atvērta", ColumnKind::kDate},
               {"Risks", ColumnKind::kText},
               {"Pēdējais kontakts", ColumnKind::kDate},
               {"Nākamais kontakts", ColumnKind::kDate},
               {"Atvērta sekcija", ColumnKind::kInteger},
               {"Kavēts", ColumnKind::kInteger}};
  for (const auto& r : rows) {
    t.rows.push_back({r.case_id, r.surname, r.name, r.personal_code, std::string(Code(r.kind)),
                      std::string(Code(r.status)), r.responsible_officer_name, r.opened_on,
                      r.risk_level ? std::string(Code(*r.risk_level)) : std::string(),
                      r.last_contact_on, r.next_contact_at, r.has_open_section ? "1" : "0",
                      r.overdue ? "1" : "0"});
  }
  return t;
}

DataTable AgendaTable(const Agenda& agenda) {
  DataTable t;
  t.name = "agenda";
  t.columns = {{"Grupa", ColumnKind::kText},  {"Termiņš", ColumnKind::kDate},
               {"Laiks", ColumnKind::kText},  {"Kas", ColumnKind::kText},
               {"Vārds", ColumnKind::kText},  {"Uzvārds", ColumnKind::kText},
               {"Lieta", ColumnKind::kText},  {"Ieraksts", ColumnKind::kText},
               {"Detaļas", ColumnKind::kText}};
  for (const auto& i : agenda.items) {
    // due_at is the recorded time of a planned contact ("…THH:MM"), else the date again.
    const std::string time = i.due_at.size() > 11 ? i.due_at.substr(11, 5) : std::string();
    t.rows.push_back({std::string(Code(i.bucket)), i.due_on, time, std::string(Code(i.kind)),
                      i.client_name, i.client_surname, i.case_id, i.record_id, i.detail});
  }
  return t;
}

DataTable IndicatorsTable(const Indicators& ind) {
  DataTable t;
  t.name = "indicators";
  t.columns = {{"Gads", ColumnKind::kInteger},
               {"Rādītājs", ColumnKind::kText},
               {"Sadalījums", ColumnKind::kText},
               {"Vērtība", ColumnKind::kNumber}};
  const std::string year = std::to_string(ind.year);
  auto add = [&](std::string what, std::string by, std::string value) {
    t.rows.push_back({year, std::move(what), std::move(by), std::move(value)});
  };
  add("open_cases", "", Num(ind.open_cases));
  add("overdue_contacts", "", Num(ind.overdue_contacts));
  for (const auto& o : ind.caseload) {
    add("open_cases", o.officer_name, Num(o.open_cases));
    add("overdue_contacts", o.officer_name, Num(o.overdue));
  }
  for (const auto& [level, n] : ind.risk_mix) add("risk_mix", level, Num(n));
  add("programme_completed", "", Num(ind.referrals_completed));
  add("programme_dropped_out", "", Num(ind.referrals_dropped_out));
  add("programme_completion_percent", "", Percent(ind.completion_rate_percent));
  add("esf_unique_clients", "", Num(ind.esf_unique_clients));
  const auto& le = ind.legal_employment;
  add("legal_employment_s1", "", Num(le.s1));
  add("legal_employment_s2", "", Num(le.s2));
  add("legal_employment_percent", "", Percent(le.percent));
  add("legal_employment_excluded", "age", Num(le.excluded_age));
  add("legal_employment_excluded", "age_unknown", Num(le.excluded_age_unknown));
  add("legal_employment_excluded", "disability_group_1", Num(le.excluded_disability_group_1));
  add("legal_employment_excluded", "release_from_liability",
      Num(le.excluded_release_from_liability));
  add("needs_addressed_identified", "", Num(ind.needs_addressed.identified));
  add("needs_addressed_addressed", "", Num(ind.needs_addressed.addressed));
  add("needs_addressed_percent", "", Percent(ind.needs_addressed.percent));
  add("reoffending_supervised", "", Num(ind.reoffending.supervised));
  add("reoffending_reoffended", "", Num(ind.reoffending.reoffended));
  add("reoffending_percent", "", Percent(ind.reoffending.percent));
  return t;
}

Result<void> WriteCsv(const DataTable& table, std::ostream& out, char delimiter) {
  if (delimiter != ';' && delimiter != ',') {
    return MakeError(Errc::kValidation, "delimiter: ';' or ','");
  }
  auto field = [&](std::string_view v) {
    if (v.find_first_of(std::string{delimiter, '"', '\r', '\n'}) == std::string_view::npos) {
      out << v;
      return;
    }
    out << '"';
    for (char c : v) {
      if (c == '"') out << '"';
      out << c;
    }
    out << '"';
  };
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out << delimiter;
      const bool date = !header && table.columns[i].kind == ColumnKind::kDate;
      field(date ? LatvianDate(cells[i]) : cells[i]);
    }
    out << "\r\n";
  };
  out << "\xEF\xBB\xBF";
  std::vector<std::string> headers;
  for (const auto& c : table.columns) headers.push_back(c.header);
  line(headers, true);
  for (const auto& row : table.rows) line(row, false);
  out.flush();
  if (!out) return MakeError(Errc::kIo, "csv: cannot write");
  return Ok();
}

Result<void> WriteXlsx(const DataTable& table, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return MakeError(Errc::kIo, "xlsx: cannot create the workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, table.name.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd.mm.yyyy");
  lxw_error err = LXW_NO_ERROR;
  auto keep = [&](lxw_error e) {
    if (err == LXW_NO_ERROR) err = e;
  };
  std::vector<size_t> widths(table.columns.size(), 6);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    keep(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), table.columns[c].header.c_str(),
                                bold));
    widths[c] = std::max(widths[c], Width(table.columns[c].header));
  }
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const std::string& v = table.rows[r][c];
      const auto col = static_cast<lxw_col_t>(c);
      if (v.empty()) continue;
      switch (table.columns[c].kind) {
        case ColumnKind::kDate:
          if (IsIsoDate(v)) {
            lxw_datetime d{std::atoi(v.substr(0, 4).c_str()),
                           std::atoi(v.substr(5, 2).c_str()),
                           std::atoi(v.substr(8, 2).c_str()),
                           0,
                           0,
                           0.0};
            keep(worksheet_write_datetime(ws, row, col, &d, date));
            widths[c] = std::max<size_t>(widths[c], 10);
            continue;
          }
          break;
        case ColumnKind::kInteger:
        case ColumnKind::kNumber: {
          char* end = nullptr;
          const double n = std::strtod(v.c_str(), &end);
          if (end != nullptr && *end == '\0') {
            keep(worksheet_write_number(ws, row, col, n, nullptr));
            widths[c] = std::max(widths[c], v.size());
            continue;
          }
          break;
        }
        case ColumnKind::kText:
          break;
      }
      keep(worksheet_write_string(ws, row, col, v.c_str(), nullptr));
      widths[c] = std::max(widths[c], Width(v));
    }
  }
  for (size_t c = 0; c < widths.size(); ++c) {
    const double w = static_cast<double>(std::min<size_t>(widths[c], 60)) + 2;
    keep(
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr));
  }
  worksheet_freeze_panes(ws, 1, 0);
  const lxw_error closed = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return MakeError(Errc::kIo, std::string("xlsx: ") + lxw_strerror(err));
  }
  if (closed != LXW_NO_ERROR) {
    return MakeError(Errc::kIo, std::string("xlsx: ") + lxw_strerror(closed));
  }
  return Ok();
}

}  // namespace lietvedis::client::documents
