// Helpers of the documents tests: the real `lietvedis` binary on a temporary store, a strict
// RFC 4180 reader, an XLSX sheet reader over `unzip -p`, and Poppler's pdftotext/pdfinfo.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace lietvedis::testing {

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a shell command and returns its stdout; `status` gets the exit code.
inline std::string Capture(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed: " + command);
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int st = ::pclose(p);
  if (status != nullptr) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

#ifdef LV_LIETVEDIS_BIN
struct DocCli {
  TempDir tmp;
  std::string out_file = tmp / "out.txt", err_file = tmp / "err.txt";
  std::string out, err;

  std::string passphrase_file = tmp / "passphrase";  // a new passphrase: never the environment

  DocCli() {
    setenv("LIETVEDIS_FAST_KDF", "1", 1);
    unsetenv("LIETVEDIS_PASSPHRASE");
    std::ofstream(passphrase_file) << "ļoti-slepena-parole\n";
  }
  int Run(const std::string& args) {
    const std::string cmd = std::string("'") + LV_LIETVEDIS_BIN + "' --passphrase-file '" +
                            passphrase_file + "' " + args + " >'" + out_file + "' 2>'" + err_file +
                            "' </dev/null";
    const int status = std::system(cmd.c_str());
    out = Slurp(out_file);
    err = Slurp(err_file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Data(const std::string& name) { return "--data '" + (tmp / name) + "'"; }
};
#endif

// A strict RFC 4180 reader: the file must start with the UTF-8 BOM, every record ends with
// CRLF, a quoted field may hold the delimiter, CR, LF and doubled quotes, an unquoted field
// may hold none of them, and every record has as many fields as the header. Throws on any
// breach, naming it.
inline std::vector<std::vector<std::string>> ParseCsvStrict(const std::string& text, char delim) {
  if (text.rfind("\xEF\xBB\xBF", 0) != 0) throw std::runtime_error("csv: no BOM");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  size_t i = 3;
  bool field_started = false;
  while (i < text.size()) {
    const char c = text[i];
    if (!field_started && c == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) throw std::runtime_error("csv: unterminated quote");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < text.size() && text[i] != delim && text[i] != '\r')
        throw std::runtime_error("csv: text after a closing quote");
      field_started = true;
      continue;
    }
    if (c == delim) {
      row.push_back(field);
      field.clear();
      field_started = false;
      ++i;
      continue;
    }
    if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') throw std::runtime_error("csv: bare CR");
      row.push_back(field);
      field.clear();
      field_started = false;
      rows.push_back(row);
      row.clear();
      i += 2;
      continue;
    }
    if (c == '\n') throw std::runtime_error("csv: bare LF");
    if (c == '"') throw std::runtime_error("csv: quote inside an unquoted field");
    field += c;
    field_started = true;
    ++i;
  }
  if (!row.empty() || field_started) throw std::runtime_error("csv: last record without CRLF");
  for (const auto& r : rows) {
    if (r.size() != rows.front().size()) throw std::runtime_error("csv: ragged record");
  }
  return rows;
}

inline std::string XmlUnescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
      s.replace(at, std::string(from).size(), to);
    }
  }
  return s;
}

// One cell of sheet1.xml: its type attribute ("s" shared string, "" number), style index and
// the value (shared strings resolved).
struct XlsxCell {
  std::string type, style, value;
};
// Cells by reference ("A1"), from `unzip -p FILE xl/worksheets/sheet1.xml` and the shared
// strings. `sheet_xml` receives the raw sheet for further checks.
inline std::map<std::string, XlsxCell> ReadXlsx(const std::string& path,
                                                std::string* sheet_xml = nullptr) {
  const std::string sheet = Capture("unzip -p '" + path + "' xl/worksheets/sheet1.xml");
  const std::string shared = Capture("unzip -p '" + path + "' xl/sharedStrings.xml");
  if (sheet_xml != nullptr) *sheet_xml = sheet;
  std::vector<std::string> strings;
  const std::regex si("<si>(.*?)</si>");
  const std::regex t("<t[^>]*>([^<]*)</t>");
  for (auto it = std::sregex_iterator(shared.begin(), shared.end(), si);
       it != std::sregex_iterator(); ++it) {
    const std::string inner = (*it)[1];
    std::string text;
    for (auto jt = std::sregex_iterator(inner.begin(), inner.end(), t);
         jt != std::sregex_iterator(); ++jt) {
      text += XmlUnescape((*jt)[1]);
    }
    strings.push_back(text);
  }
  std::map<std::string, XlsxCell> cells;
  const std::regex c("<c r=\"([A-Z]+[0-9]+)\"([^>]*?)(/>|>(.*?)</c>)");
  const std::regex type_attr("t=\"([a-z]+)\"");
  const std::regex style_attr("s=\"([0-9]+)\"");
  const std::regex v("<v>([^<]*)</v>");
  for (auto it = std::sregex_iterator(sheet.begin(), sheet.end(), c); it != std::sregex_iterator();
       ++it) {
    XlsxCell cell;
    const std::string attrs = (*it)[2], body = (*it)[4];
    std::smatch m;
    if (std::regex_search(attrs, m, type_attr)) cell.type = m[1];
    if (std::regex_search(attrs, m, style_attr)) cell.style = m[1];
    if (std::regex_search(body, m, v)) cell.value = m[1];
    if (cell.type == "s") cell.value = strings.at(static_cast<size_t>(std::stoul(cell.value)));
    cells[(*it)[1]] = cell;
  }
  return cells;
}

// "A".."Z" then "AA": the column letters of a zero-based index.
inline std::string ColumnName(size_t index) {
  std::string s;
  for (size_t n = index + 1; n > 0; n = (n - 1) / 26) s.insert(s.begin(), char('A' + (n - 1) % 26));
  return s;
}

// An Excel date serial (days since 1899-12-30) as ISO 'YYYY-MM-DD'.
inline std::string SerialToIso(long serial) {
  // Civil-from-days (Howard Hinnant), with day 0 = 1899-12-30 = -25569 days from 1970-01-01.
  long z = serial - 25569 + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, m, d);
  return buf;
}

// pdftotext of a PDF file (UTF-8, page breaks as form feeds), in content-stream order (-raw):
// the renderer draws a table cell by cell, so a cell's lines stay together instead of being
// interleaved with its neighbours' as pdftotext's reading-order mode would.
inline std::string PdfText(const std::string& path) {
  return Capture("pdftotext -raw -enc UTF-8 '" + path + "' -");
}
inline int PdfPages(const std::string& path) {
  const std::string info = Capture("pdfinfo '" + path + "'");
  std::smatch m;
  static const std::regex pages("Pages:\\s+([0-9]+)");
  if (!std::regex_search(info, m, pages)) return -1;
  return std::stoi(m[1]);
}

}  // namespace lietvedis::testing
