// JSON Lines export/import (contract in client/jsonl.hpp).
#include "client/jsonl.hpp"

#include <cctype>
#include <istream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "client/audit_chain.hpp"
#include "client/schema.hpp"
#include "client/validation.hpp"
#include "client/workspace.hpp"  // FoldForSearch
#include "sync/json_limits.hpp"

namespace lietvedis::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kMaxLineBytes = 16 * 1024 * 1024;
// A record is {"type","id","scope","fields":{column: value or {"hex": …}}}: three levels.
constexpr sync::JsonLimits kRecordLimits{4, 4096, kMaxLineBytes};

// What a column takes, from its declared type (SQLite's affinity rules, simplified): a value
// of another JSON type is refused rather than converted by SQLite on the way in.
enum class ColumnKind { kInteger, kText, kReal, kBlob, kAny };
using ColumnKinds =
    std::map<std::string, std::map<std::string, ColumnKind, std::less<>>, std::less<>>;

ColumnKind KindOfDeclared(std::string type) {
  for (auto& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (type.find("INT") != std::string::npos) return ColumnKind::kInteger;
  if (type.find("CHAR") != std::string::npos || type.find("CLOB") != std::string::npos ||
      type.find("TEXT") != std::string::npos) {
    return ColumnKind::kText;
  }
  if (type.find("BLOB") != std::string::npos) return ColumnKind::kBlob;
  if (type.find("REAL") != std::string::npos || type.find("FLOA") != std::string::npos ||
      type.find("DOUB") != std::string::npos) {
    return ColumnKind::kReal;
  }
  return ColumnKind::kAny;
}

Result<ColumnKinds> ReadColumnKinds(storage::Database& db) {
  ColumnKinds kinds;
  for (const auto& t : ReplicatedTables()) {
    LV_ASSIGN(storage::Statement st, db.Prepare("PRAGMA table_info(\"" + t.name + "\")"));
    auto& table = kinds[t.name];
    for (;;) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      table[st.Text(1)] = KindOfDeclared(st.Text(2));
    }
  }
  return kinds;
}

// Whether `v` may be stored in a column of `kind` as it is; a message for the refusal.
const char* TypeProblem(const storage::Value& v, ColumnKind kind) {
  if (std::holds_alternative<std::monostate>(v) || kind == ColumnKind::kAny) return nullptr;
  switch (kind) {
    case ColumnKind::kInteger:
      return std::holds_alternative<std::int64_t>(v) ? nullptr : "expected an integer";
    case ColumnKind::kText:
      return std::holds_alternative<std::string>(v) ? nullptr : "expected a string";
    case ColumnKind::kReal:
      return std::holds_alternative<double>(v) || std::holds_alternative<std::int64_t>(v)
                 ? nullptr
                 : "expected a number";
    case ColumnKind::kBlob:
      return std::holds_alternative<storage::Blob>(v) ? nullptr : "expected {\"hex\": …}";
    case ColumnKind::kAny:
      break;
  }
  return nullptr;
}

Json ToJson(const storage::Value& v) {
  switch (v.index()) {
    case 1:
      return std::get<std::int64_t>(v);
    case 2:
      return std::get<double>(v);
    case 3:
      return std::get<std::string>(v);
    case 4: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string hex;
      for (std::uint8_t b : std::get<storage::Blob>(v)) {
        hex += kHex[b >> 4];
        hex += kHex[b & 15];
      }
      return Json{{"hex", hex}};
    }
    default:
      return nullptr;
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes one field value; false for a shape the export never writes.
bool FromJson(const Json& j, storage::Value& out) {
  if (j.is_null()) {
    out = std::monostate{};
  } else if (j.is_number_unsigned()) {
    // Past INT64_MAX it would wrap to a negative number.
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    out = static_cast<std::int64_t>(u);
  } else if (j.is_number_integer()) {
    out = j.get<std::int64_t>();
  } else if (j.is_number_float()) {
    out = j.get<double>();
  } else if (j.is_string()) {
    out = j.get<std::string>();
  } else if (j.is_object() && j.size() == 1 && j.contains("hex") && j["hex"].is_string()) {
    const std::string& hex = j["hex"].get_ref<const std::string&>();
    if (hex.size() % 2 != 0) return false;
    storage::Blob blob;
    for (size_t i = 0; i < hex.size(); i += 2) {
      const int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
      if (hi < 0 || lo < 0) return false;
      blob.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    out = std::move(blob);
  } else {
    return false;
  }
  return true;
}

struct Record {
  const sync::TableSpec* table = nullptr;
  std::string id, scope;
  std::vector<sync::FieldValue> fields;
};

Error LineError(std::int64_t line, const std::string& problem) {
  return MakeError(Errc::kValidation, "line " + std::to_string(line) + ": " + problem);
}

const sync::TableSpec* FindSpec(std::string_view name) {
  for (const auto& t : ReplicatedTables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Result<Record> ParseLine(const std::string& text, std::int64_t line, const ColumnKinds& kinds) {
  // Bounded before any DOM is built: a value nested 100,000 deep once crashed the import.
  auto shape = sync::CheckJsonShape(text, kRecordLimits);
  if (!shape) return LineError(line, shape.error().message);
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return LineError(line, "not a JSON object");
  for (const char* key : {"type", "id", "scope"}) {
    if (!j.contains(key) || !j[key].is_string() || j[key].get_ref<const std::string&>().empty()) {
      return LineError(line, std::string(key) + ": required string");
    }
  }
  if (!j.contains("fields") || !j["fields"].is_object())
    return LineError(line, "fields: required object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "type" && it.key() != "id" && it.key() != "scope" && it.key() != "fields") {
      return LineError(line, "unknown key " + it.key());
    }
  }
  Record r;
  r.table = FindSpec(j["type"].get_ref<const std::string&>());
  if (r.table == nullptr) return LineError(line, "type: not a replicated table");
  r.id = j["id"].get<std::string>();
  r.scope = j["scope"].get<std::string>();
  if (r.id.size() > 128) return LineError(line, "id: too long");
  for (auto it = j["fields"].begin(); it != j["fields"].end(); ++it) {
    bool known = false;
    for (const auto& c : r.table->columns) known = known || c == it.key();
    if (!known) return LineError(line, "fields." + it.key() + ": not a column of " + r.table->name);
    storage::Value v;
    if (!FromJson(it.value(), v)) {
      return LineError(line, "fields." + it.key() + ": unsupported value (" +
                                 it.value().dump().substr(0, 40) + ")");
    }
    const auto table_kinds = kinds.find(r.table->name);
    if (table_kinds != kinds.end()) {
      const auto kind = table_kinds->second.find(it.key());
      if (kind != table_kinds->second.end()) {
        if (const char* problem = TypeProblem(v, kind->second)) {
          return LineError(line, "fields." + it.key() + ": " + problem);
        }
      }
    }
    r.fields.push_back({it.key(), std::move(v)});
  }
  return r;
}

const storage::Value* FieldOf(const Record& r, std::string_view column) {
  for (const auto& f : r.fields) {
    if (f.column == column) return &f.value;
  }
  return nullptr;
}

const std::string* TextOf(const Record& r, std::string_view column) {
  const storage::Value* v = FieldOf(r, column);
  return v != nullptr && v->index() == 3 ? &std::get<std::string>(*v) : nullptr;
}

// The commands' field rules, applied to one parsed record (messages name the field, never
// the value). Returns the record with its derived columns recomputed.
Result<void> CheckImportRecord(Record& r, std::int64_t line) {
  const std::string& table = r.table->name;
  for (const auto& f : r.fields) {
    const std::string field = "fields." + f.column;
    if (f.value.index() != 3) continue;
    const std::string& text = std::get<std::string>(f.value);
    auto ok = ValidateText(text, field, 64 * 1024, false);
    if (!ok.ok()) return LineError(line, ok.error().message);
    const bool date_column = f.column.size() > 3 && f.column.ends_with("_on");
    if (date_column && !text.empty()) {
      auto iso = ParseDate(text, field);
      if (!iso.ok()) return LineError(line, iso.error().message);
      if (*iso != text) return LineError(line, field + ": must be an ISO date YYYY-MM-DD");
    }
    if (f.column == "email" && !text.empty() && text.find('@') == std::string::npos) {
      return LineError(line, field + ": not an e-mail address");
    }
  }
  if (table == "client") {
    if (const std::string* code = TextOf(r, "personal_code")) {
      auto ok = ValidatePersonalCode(*code);
      if (!ok.ok()) return LineError(line, "fields." + ok.error().message);
    }
  }
  if (table == "client_card") {
    const std::string* name = TextOf(r, "name");
    const std::string* surname = TextOf(r, "surname");
    for (auto& f : r.fields) {
      if (f.column != "name_fold") continue;
      if (name != nullptr && surname != nullptr) {
        f.value = FoldForSearch(*name + " " + *surname);
      } else {
        f.value = std::monostate{};  // a void card has no fold
      }
    }
  }
  return Ok();
}

// When an existing row of `table` is signed, closed or ended (the records DOMAIN.md calls
// immutable): the SQL condition, and the word for the message.
struct FrozenRule {
  std::string_view table, condition, why;
};
constexpr FrozenRule kFrozen[] = {
    {"assessment", "signed_at IS NOT NULL", "signed"},
    {"mappa_meeting", "signed_at IS NOT NULL", "signed"},
    {"supervision_section", "status='closed'", "closed"},
    {"probation_case", "status='closed'", "closed"},
    {"contact", "status IN ('held','missed')", "held or missed"},
    {"court_application", "decision IS NOT NULL", "decided"},
    {"referral", "ended_on IS NOT NULL", "ended"},
    {"mentoring_referral", "ended_on IS NOT NULL", "ended"},
    {"em_episode", "ended_on IS NOT NULL", "ended"},
    {"src_placement", "ended_on IS NOT NULL", "ended"},
    {"mentor_assignment", "ended_on IS NOT NULL", "ended"},
    {"mappa_action", "done_on IS NOT NULL", "done"},
    {"work_placement", "ended_on IS NOT NULL", "ended"},
};

// kNotPermitted when `r` would change a frozen row of this store.
Result<void> CheckNotFrozen(storage::Database& db, const Record& r, std::int64_t record) {
  for (const FrozenRule& rule : kFrozen) {
    if (rule.table != r.table->name) continue;
    std::string sql = "SELECT " + std::string(rule.condition);
    for (const auto& f : r.fields) sql += ", \"" + f.column + "\"";
    sql += " FROM \"" + r.table->name + "\" WHERE id=?";
    LV_ASSIGN(storage::Statement st, db.Prepare(sql));
    st.Bind(1, r.id);
    LV_ASSIGN(bool exists, st.Step());
    if (!exists || st.Int(0) == 0) return Ok();
    for (size_t i = 0; i < r.fields.size(); ++i) {
      if (st.ValueAt(static_cast<int>(i) + 1) != r.fields[i].value) {
        return MakeError(Errc::kNotPermitted, "record " + std::to_string(record) + ": " +
                                                  r.table->name + " " + r.id + " is " +
                                                  std::string(rule.why) +
                                                  " in this store: append a correction instead");
      }
    }
  }
  return Ok();
}

// A client record whose birth date contradicts another client's recorded under the same
// personal code (two registrations of one code with different birth dates are two claims
// about one person, and one of them is wrong): kValidation naming the other client row. The
// same code with the same or an unknown birth date is one person's several cases.
Result<void> CheckSamePersonBirthDate(storage::Database& db, const Record& r, std::int64_t record) {
  if (r.table->name != "client") return Ok();
  const std::string* code = TextOf(r, "personal_code");
  const std::string* birth = TextOf(r, "birth_date");
  if (code == nullptr || birth == nullptr || code->empty() || birth->empty()) return Ok();
  LV_ASSIGN(storage::Statement st,
            db.Prepare("SELECT id FROM client WHERE personal_code=? AND id<>? AND birth_date IS "
                       "NOT NULL AND birth_date<>'' AND birth_date<>? LIMIT 1"));
  st.BindAll(*code, r.id, *birth);
  LV_ASSIGN(bool row, st.Step());
  if (!row) return Ok();
  return MakeError(Errc::kValidation, "record " + std::to_string(record) + ": client " + r.id +
                                          ": fields.birth_date contradicts client " + st.Text(0) +
                                          " recorded under the same personal code");
}

Result<bool> StoreIsEmpty(storage::Database& db) {
  for (const auto& t : ReplicatedTables()) {
    LV_ASSIGN(std::int64_t n, db.QueryInt("SELECT count(*) FROM \"" + t.name + "\""));
    if (n > 0) return false;
  }
  return true;
}

}  // namespace

bool CanExportWholeStore(const Actor& actor) {
  return actor.active && (actor.role == Role::kAdministrator || actor.role == Role::kSupervisor);
}

Result<JsonlReport> ExportJsonl(storage::Database& db, std::ostream& out) {
  JsonlReport report;
  // One read transaction: a consistent snapshot across tables.
  LV_ASSIGN(storage::Transaction tx,
            storage::Transaction::Begin(db, storage::Transaction::Mode::kDeferred));
  for (const auto& table : ReplicatedTables()) {
    std::string sql = "SELECT id, scope";
    for (const auto& c : table.columns) sql += ", \"" + c + "\"";
    sql += " FROM \"" + table.name + "\" ORDER BY id";
    LV_ASSIGN(storage::Statement st, db.Prepare(sql));
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      Json line;
      line["type"] = table.name;
      line["id"] = st.Text(0);
      line["scope"] = st.Text(1);
      Json fields = Json::object();
      for (size_t i = 0; i < table.columns.size(); ++i) {
        fields[table.columns[i]] = ToJson(st.ValueAt(static_cast<int>(i) + 2));
      }
      line["fields"] = std::move(fields);
      out << line.dump() << '\n';
      ++report.records;
    }
  }
  LV_TRY(tx.Commit());
  if (!out) return MakeError(Errc::kIo, "export: cannot write the output");
  return report;
}

Result<JsonlReport> ImportJsonl(storage::Database& db, sync::Replica& replica, std::istream& in,
                                ImportMode mode) {
  // Parse and check everything first: a bad line fails before anything is written.
  LV_ASSIGN(const ColumnKinds kinds, ReadColumnKinds(db));
  std::vector<Record> records;
  std::string text;
  std::int64_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty()) continue;
    if (text.size() > kMaxLineBytes) return LineError(line, "longer than 16 MiB");
    LV_ASSIGN(Record r, ParseLine(text, line, kinds));
    LV_TRY(CheckImportRecord(r, line));
    records.push_back(std::move(r));
  }
  if (in.bad()) return MakeError(Errc::kIo, "import: cannot read the input");

  JsonlReport report;
  // One transaction however large: the encrypting VFS handles SQLite's spilled and rewritten
  // WAL frames (tests/storage/spill_test.cpp), so the import stays all-or-nothing.
  LV_ASSIGN(storage::Transaction tx, storage::Transaction::Begin(db));
  if (mode == ImportMode::kRestore) {
    LV_ASSIGN(bool empty, StoreIsEmpty(db));
    if (!empty) {
      return MakeError(Errc::kValidation, "restore: the store already holds records");
    }
  }
  line = 0;
  for (const auto& r : records) {
    ++line;
    if (mode == ImportMode::kMerge) LV_TRY(CheckNotFrozen(db, r, line));
    LV_TRY(CheckSamePersonBirthDate(db, r, line));
    if (r.table->append_only) {
      LV_ASSIGN(storage::Statement st,
                db.Prepare("SELECT 1 FROM \"" + r.table->name + "\" WHERE id=?"));
      st.Bind(1, r.id);
      LV_ASSIGN(bool exists, st.Step());
      if (exists) {
        ++report.skipped;
        continue;
      }
      if (mode == ImportMode::kMerge && r.table->name == "audit") {
        return MakeError(Errc::kNotPermitted,
                         "record " + std::to_string(line) +
                             ": audit: audit entries are written by the client itself, never "
                             "imported");
      }
      // The disclosure log is evidence of what left the service: only generating a pack
      // writes it (Workspace::GenerateMappaPack), never a file.
      if (mode == ImportMode::kMerge && r.table->name == "mappa_disclosure_log") {
        return MakeError(Errc::kNotPermitted,
                         "record " + std::to_string(line) +
                             ": mappa_disclosure_log: written when a pack is generated, never "
                             "imported");
      }
    }
    auto written =
        replica.Write(r.table->name, r.id, r.scope, std::span<const sync::FieldValue>(r.fields));
    if (!written.ok()) {
      // Report the record's line among the non-empty lines (record number).
      // A row of another scope, a change to an append-only row or a value the schema refuses
      // is the file's fault: a validation error (exit 3), not a failure of the store.
      const Errc code = written.error().code;
      const bool files_fault =
          code == Errc::kValidation || code == Errc::kConflict || code == Errc::kConstraint;
      return MakeError(files_fault ? Errc::kValidation : code,
                       "record " + std::to_string(line) + ": " + written.error().message);
    }
    if (mode == ImportMode::kRestore && r.table->name == "audit") {
      LV_TRY(NoteRestoredAuditEntry(db, replica.site_id(), r.id, r.scope,
                                    std::span<const sync::FieldValue>(r.fields)));
    }
    ++report.records;
  }
  LV_TRY(tx.Commit());
  return report;
}

}  // namespace lietvedis::client
