// Tables officers and supervisors hand on: the caseload, the agenda and the indicators of a
// year as CSV (RFC 4180) or XLSX (libxlsxwriter). A DataTable is a plain value built from a
// query the Workspace already permission-checked (Caseload, BuildAgenda, ComputeIndicators),
// so an export can never show more than the same command prints; the writers only format.
//
// Cells are strings as the query returns them; the column's kind decides how a cell is
// written: kDate cells hold ISO 'YYYY-MM-DD' (or a timestamp, whose date part is used) and
// become 'dd.mm.yyyy' in CSV and date cells in XLSX; kInteger / kNumber cells hold decimal
// text and become numbers in XLSX; an empty cell is an empty field / a blank cell.
//
// CSV: UTF-8 with a byte-order mark (so Excel opens Latvian letters right), CRLF line ends,
// the delimiter ';' (Latvian Excel) or ','; a field containing the delimiter, '"', CR or LF
// is quoted and its '"' doubled (RFC 4180 section 2).
// XLSX: one sheet, a bold header row, frozen under the header, column widths from the
// longest cell (bounded), dates as date cells formatted dd.mm.yyyy.
//
// Threading: pure functions; any thread. Errors: kIo when the file cannot be written,
// kValidation for a bad delimiter. WARNING: the output is case data in plain text: callers
// create the file with mode 0600 (cli: WritePrivateFile) before writing into it.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "client/agenda.hpp"
#include "client/indicators.hpp"
#include "client/workspace.hpp"
#include "storage/result.hpp"

namespace lietvedis::client::documents {

enum class ColumnKind { kText, kDate, kInteger, kNumber };

struct TableColumn {
  std::string header;  // Latvian
  ColumnKind kind = ColumnKind::kText;
};

struct DataTable {
  std::string name;  // sheet name and audit detail: "caseload", "agenda", "indicators"
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
};

// The tables of the three reading commands, cell by cell what their --json output holds
// (codes stay codes, ids stay ids; dates ISO until written).
DataTable CaseloadTable(const std::vector<CaseloadRow>& rows);
DataTable AgendaTable(const Agenda& agenda);
// One row per figure: year, indicator, breakdown (officer or risk level), value.
DataTable IndicatorsTable(const Indicators& indicators);

// 'YYYY-MM-DD...' -> 'dd.mm.yyyy'; anything else unchanged.
std::string LatvianDate(std::string_view iso);

Result<void> WriteCsv(const DataTable& table, std::ostream& out, char delimiter = ';');
// Writes the workbook to `path` (overwriting it; an existing file keeps its mode).
Result<void> WriteXlsx(const DataTable& table, const std::string& path);

}  // namespace lietvedis::client::documents
