// A case's history in words: every act on every record of the case scope, read from the audit
// entries (with the values an update's entry keeps, client/history.hpp) and the corrections.
//
// Rules, applied below:
//  H1. Entries come from the audit of the case scope, newest first (at, then the order this
//      device stored them). A `corrected` audit entry becomes the correction it announces
//      (same record, field, author and time), with its value and reason; a correction without
//      such an entry (one restored from an older export) is placed by its time.
//  H2. An update that sets signed_at is `signed`; one that sets status to closed is `closed`.
//  H3. A correction's `from` is the value the field showed before it: the previous
//      correction of the same field, else the record's value then — the `from` of the first
//      later update that changed the field, else the record's value now.
//  H4. Labels: one statement per record kind present (never one per entry), reading the
//      case's rows by their indexed case_id; a kind without a cheap label has none.
//  H5. The creation of a countersignature is told as `countersigned` on the record it
//      approves (an assessment, a plan version, a court application), so the entry reads
//      "countersigned · assessment of <date>" with the supervisor as its author and the
//      remark among its fields.
#include "client/history.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "client/queries_internal.hpp"
#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {

using namespace detail;
using storage::Statement;
using storage::Value;
using Json = nlohmann::ordered_json;

namespace {

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence.
std::string CutUtf8(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::optional<std::string> ValueText(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return Json(*d).dump();
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::to_string(std::get<storage::Blob>(v).size()) + " bytes";
}

Json ValueJson(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  const std::string text = *ValueText(v);
  if (text.size() <= kAuditValueBytes) return text;
  return Json{{"cut", CutUtf8(text, kAuditValueBytes)}};
}

DecodedAuditValue FromJson(const Json& j) {
  DecodedAuditValue out;
  if (j.is_null()) return out;
  if (j.is_string()) {
    out.text = j.get<std::string>();
  } else if (j.is_number_integer()) {
    out.text = std::to_string(j.get<std::int64_t>());
  } else if (j.is_number()) {
    out.text = j.dump();
  } else if (j.is_object() && j.contains("cut") && j["cut"].is_string()) {
    out.text = j["cut"].get<std::string>();
    out.cut = true;
  } else {
    out.text = j.dump();
  }
  return out;
}

std::vector<std::string> SplitColumns(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

bool SameAuditValue(const Value& a, const Value& b) {
  return ValueText(a) == ValueText(b);
}

std::string EncodeAuditChanges(const std::vector<AuditValueChange>& changed,
                               const std::vector<std::string>& unchanged) {
  Json f = Json::object();
  for (const auto& c : changed) f[c.column] = Json::array({ValueJson(c.from), ValueJson(c.to)});
  Json out{{"f", std::move(f)}};
  if (!unchanged.empty()) out["u"] = unchanged;
  return out.dump();
}

DecodedAuditDetail DecodeAuditDetail(std::string_view detail) {
  DecodedAuditDetail out;
  if (!detail.empty() && detail.front() == '{') {
    Json j = Json::parse(detail.begin(), detail.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("f") && j["f"].is_object()) {
      out.with_values = true;
      for (const auto& [column, pair] : j["f"].items()) {
        DecodedAuditField field;
        field.column = column;
        if (pair.is_array() && pair.size() == 2) {
          field.values_known = true;
          field.from = FromJson(pair[0]);
          field.to = FromJson(pair[1]);
        }
        out.changed.push_back(std::move(field));
      }
      if (j.contains("u") && j["u"].is_array()) {
        for (const auto& c : j["u"]) {
          if (c.is_string()) out.unchanged.push_back(c.get<std::string>());
        }
      }
      return out;
    }
  }
  for (auto& column : SplitColumns(detail)) {
    DecodedAuditField field;
    field.column = std::move(column);
    out.changed.push_back(std::move(field));
  }
  return out;
}

std::string AuditDetailColumns(std::string_view detail) {
  if (detail.empty() || detail.front() != '{') return std::string(detail);
  const DecodedAuditDetail d = DecodeAuditDetail(detail);
  std::string out;
  auto add = [&](const std::string& c) {
    if (!out.empty()) out += ',';
    out += c;
  };
  for (const auto& f : d.changed) add(f.column);
  for (const auto& c : d.unchanged) add(c);
  return out;
}

std::string FormatRenderDetail(std::string_view document, int pages) {
  return std::string(document) + " pdf " + std::to_string(pages) + " pages";
}

std::string FormatAgencyPackDetail(std::string_view institution, std::size_t disclosures,
                                   std::string_view pack_id) {
  return "agency pack " + std::string(institution) + ", " + std::to_string(disclosures) +
         " disclosures, pack " + std::string(pack_id);
}

std::string FormatSubjectAccessDetail(std::string_view format, std::size_t cases,
                                      std::size_t withheld) {
  return std::string(format) + ", " + std::to_string(cases) + " cases, " +
         std::to_string(withheld) + " withheld";
}

std::string FormatBreakGlassDetail(std::string_view until) {
  return "until " + std::string(until);
}

namespace {

// Reads the access details' words left to right; every step fails on anything unexpected.
class DetailReader {
 public:
  explicit DetailReader(std::string_view in) : in_(in) {}
  bool Literal(std::string_view word) {
    if (in_.substr(0, word.size()) != word) return false;
    in_.remove_prefix(word.size());
    return true;
  }
  // A non-empty run of letters, digits, `_` and `-` up to `stop` (not consumed).
  bool Word(std::string* out, char stop) {
    const std::size_t end = std::min(in_.find(stop), in_.size());
    if (end == 0) return false;
    for (char c : in_.substr(0, end)) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
      if (!ok) return false;
    }
    out->assign(in_.substr(0, end));
    in_.remove_prefix(end);
    return true;
  }
  bool Count(int* out) {
    std::size_t n = 0;
    long long v = 0;
    while (n < in_.size() && n < 7 && in_[n] >= '0' && in_[n] <= '9') {
      v = v * 10 + (in_[n] - '0');
      ++n;
    }
    if (n == 0 || (n < in_.size() && in_[n] >= '0' && in_[n] <= '9')) return false;
    in_.remove_prefix(n);
    *out = static_cast<int>(v);
    return true;
  }
  bool Rest(std::string* out) {
    if (in_.empty()) return false;
    out->assign(in_);
    in_ = {};
    return true;
  }
  bool Done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace

std::optional<AccessDetail> ParseAccessDetail(std::string_view action, std::string_view detail) {
  AccessDetail d;
  DetailReader r(detail);
  bool ok = false;
  if (action == "render" && detail.rfind("agency pack ", 0) == 0) {
    d.document = "agency_pack";
    d.format = "pdf";
    ok = r.Literal("agency pack ") && r.Word(&d.institution, ',') && r.Literal(", ") &&
         r.Count(&d.disclosures) && r.Literal(" disclosures, pack ") && r.Word(&d.pack_id, ' ') &&
         r.Done();
  } else if (action == "render") {
    ok = r.Word(&d.document, ' ') && r.Literal(" ") && r.Word(&d.format, ' ') && r.Literal(" ") &&
         r.Count(&d.pages) && r.Literal(" pages") && r.Done();
  } else if (action == "subject_access") {
    ok = r.Word(&d.format, ',') && r.Literal(", ") && r.Count(&d.cases) && r.Literal(" cases, ") &&
         r.Count(&d.withheld) && r.Literal(" withheld") && r.Done();
  } else if (action == "break_glass") {
    ok = r.Literal("until ") && r.Rest(&d.until);
  }
  if (!ok) return std::nullopt;
  return d;
}

namespace {

// H4: the short label of each record kind, an SQL expression over its own row, and the rows
// of the case by an index (`case_id`, indexed on the case tables; ?1 the case id).
struct LabelQuery {
  std::string_view table, label, rows;
};
constexpr LabelQuery kLabels[] = {
    {"probation_case", "opened_on", "id=?1"},
    {"client", "trim(coalesce(name,'') || ' ' || coalesce(surname,''))", "case_id=?1"},
    {"related_person", "trim(coalesce(name,'') || ' ' || coalesce(surname,''))", "case_id=?1"},
    {"contact", "coalesce(held_on, planned_at)", "case_id=?1"},
    {"supervision_section", "opened_on", "case_id=?1"},
    {"assessment", "assessed_on", "case_id=?1"},
    {"res_plan", "created_on", "case_id=?1"},
    {"plan_goal", "substr(goal, 1, 60)", "plan_id IN (SELECT id FROM res_plan WHERE case_id=?1)"},
    {"violation", "occurred_on", "case_id=?1"},
    {"court_application", "filed_on", "case_id=?1"},
    {"consent", "given_on", "case_id=?1"},
    {"referral", "referred_on", "case_id=?1"},
    {"attendance", "session_on", "case_id=?1"},
    {"note", "written_at", "case_id=?1"},
    {"em_episode", "started_on", "case_id=?1"},
    {"src_placement", "started_on", "case_id=?1"},
    {"evaluation_request", "received_on", "case_id=?1"},
    {"evaluation_report", "drafted_at", "case_id=?1"},
    {"community_order", "ordered_on", "case_id=?1"},
    {"work_placement", "substr(provider, 1, 60)", "case_id=?1"},
    {"community_hours", "worked_on", "case_id=?1"},
    {"escalation_decision", "decided_on", "case_id=?1"},
    {"mentoring_referral", "referred_on", "case_id=?1"},
    {"mediation", "coalesce(outcome_on, client_consent_on, '')", "case_id=?1"},
    {"mediation_party", "trim(coalesce(name,'') || ' ' || coalesce(surname,''))", "case_id=?1"},
    {"mediation_meeting", "meeting_on", "case_id=?1"},
};

// The rows of one case in `spec`'s table, as an SQL condition (?1 the case id, ?2 its scope).
std::string CaseRows(const sync::TableSpec& spec) {
  if (spec.name == "probation_case") return "id=?1 AND scope=?2";
  if (std::find(spec.columns.begin(), spec.columns.end(), "case_id") != spec.columns.end())
    return "case_id=?1 AND scope=?2";
  return "scope=?2";
}

HistoryFieldChange ToChange(const DecodedAuditField& f) {
  HistoryFieldChange c;
  c.column = f.column;
  c.values_known = f.values_known;
  c.from = f.from.text.value_or(std::string());
  c.to = f.to.text.value_or(std::string());
  c.from_cut = f.from.cut;
  c.to_cut = f.to.cut;
  return c;
}

struct CorrectionRow {
  std::string table, record_id, field, value, reason, author_id, at;
  bool placed = false;
};

}  // namespace

Result<CaseHistoryView> Workspace::CaseHistory(std::string_view case_id, std::string_view table) {
  LV_WORKSPACE_CTX;
  if (actor_.role == Role::kVolunteerCoordinator || actor_.role == Role::kAdministrator) {
    return NotPermitted("read case " + std::string(case_id));
  }
  LV_TRY(RequireId(case_id, "case_id"));
  LV_ASSIGN(CaseFacts cf, LoadCase(ctx, case_id));
  if (!CanReadCaseFile(actor_, cf.owner)) return NotPermitted("read case " + std::string(case_id));
  if (!table.empty() && replica_.FindTable(table) == nullptr)
    return MakeError(Errc::kValidation, "table: unknown record kind");
  const std::string scope = CaseScope(case_id);
  const std::string kind(table);

  CaseHistoryView view;
  view.case_id = std::string(case_id);

  // The corrections, oldest first, keyed for H1's matching.
  std::vector<CorrectionRow> fixes;
  {
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT target_table, target_id, field, coalesce(value,''), reason,"
                          " author_id, at FROM correction WHERE scope=?1"
                          " AND (?2='' OR target_table=?2) ORDER BY at, rowid"));
    st.Bind(1, scope);
    st.Bind(2, kind);
    LV_TRY(ForEach(st, [&](Statement& s) {
      fixes.push_back(
          {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6)});
    }));
  }
  std::multimap<std::tuple<std::string, std::string, std::string, std::string, std::string>, size_t>
      fix_by_key;
  for (size_t i = 0; i < fixes.size(); ++i) {
    const auto& x = fixes[i];
    fix_by_key.emplace(std::tuple{x.table, x.record_id, x.field, x.author_id, x.at}, i);
  }
  // Index of the entry each correction became, to fill its `from` (H3) afterwards.
  std::vector<std::pair<size_t, size_t>> fix_entries;  // (correction, entry)

  auto correction_entry = [&](size_t i) {
    CorrectionRow& x = fixes[i];
    x.placed = true;
    CaseHistoryEntry e;
    e.at = x.at;
    e.user_id = x.author_id;
    e.action = "correction";
    e.table = x.table;
    e.record_id = x.record_id;
    HistoryFieldChange c;
    c.column = x.field;
    c.to = x.value;
    e.fields.push_back(std::move(c));
    e.reason = x.reason;
    return e;
  };

  {
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT at, user_id, action, target_table, target_id, detail FROM audit"
                          " WHERE scope=?1 AND (?2='' OR target_table=?2)"
                          " ORDER BY at DESC, rowid DESC"));
    st.Bind(1, scope);
    st.Bind(2, kind);
    LV_TRY(ForEach(st, [&](Statement& s) {
      CaseHistoryEntry e;
      e.at = s.Text(0);
      e.user_id = s.Text(1);
      e.action = s.Text(2);
      e.table = s.Text(3);
      e.record_id = s.Text(4);
      const std::string detail = s.Text(5);
      if (e.action == "corrected") {
        // H1: the correction itself; newest first, so the last of equal keys.
        auto [lo, hi] =
            fix_by_key.equal_range(std::tuple{e.table, e.record_id, detail, e.user_id, e.at});
        for (auto it = hi; it != lo;) {
          --it;
          if (fixes[it->second].placed) continue;
          fix_entries.emplace_back(it->second, view.entries.size());
          view.entries.push_back(correction_entry(it->second));
          return;
        }
        // The correction row has not arrived (yet): the audit names the field only.
        e.action = "correction";
        HistoryFieldChange c;
        c.column = detail;
        c.values_known = false;
        e.fields.push_back(std::move(c));
        view.entries.push_back(std::move(e));
        return;
      }
      if (e.action == "created" || e.action == "updated") {
        const DecodedAuditDetail d = DecodeAuditDetail(detail);
        for (const auto& f : d.changed) e.fields.push_back(ToChange(f));
        for (const auto& c : d.unchanged) {
          HistoryFieldChange u;
          u.column = c;
          u.values_known = false;
          e.fields.push_back(std::move(u));
        }
        if (e.action == "updated") {
          for (const auto& f : e.fields) {
            if (!f.values_known) continue;
            if (f.column == "signed_at" && !f.to.empty() && f.from.empty()) e.action = "signed";
            if (f.column == "status" && f.to == "closed" && e.action == "updated")
              e.action = "closed";
          }
        }
      } else {
        e.detail = detail;
      }
      view.entries.push_back(std::move(e));
    }));
  }
  // H1: corrections without their audit entry, placed by time (newest first, stable).
  for (size_t i = 0; i < fixes.size(); ++i) {
    if (fixes[i].placed) continue;
    CaseHistoryEntry e = correction_entry(i);
    auto at = std::find_if(view.entries.begin(), view.entries.end(),
                           [&](const CaseHistoryEntry& x) { return x.at <= e.at; });
    const size_t pos = static_cast<size_t>(at - view.entries.begin());
    for (auto& fe : fix_entries) {
      if (fe.second >= pos) ++fe.second;
    }
    fix_entries.emplace_back(i, pos);
    view.entries.insert(at, std::move(e));
  }

  // H3: the value each correction replaced.
  if (!fix_entries.empty()) {
    // The record's value now, one statement per (kind, field) corrected.
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> now;
    for (const auto& x : fixes) now[{x.table, x.field}];
    for (auto& [key, values] : now) {
      const sync::TableSpec* spec = replica_.FindTable(key.first);
      if (spec == nullptr) continue;
      if (std::find(spec->columns.begin(), spec->columns.end(), key.second) == spec->columns.end())
        continue;
      LV_ASSIGN(Statement st, db_.Prepare("SELECT id, " + key.second + " FROM " + spec->name +
                                          " WHERE " + CaseRows(*spec)));
      st.Bind(1, view.case_id);
      st.Bind(2, scope);
      LV_TRY(ForEach(st, [&](Statement& s) {
        values[s.Text(0)] = ValueText(s.ValueAt(1)).value_or(std::string());
      }));
    }
    for (const auto& [fix, entry] : fix_entries) {
      const CorrectionRow& x = fixes[fix];
      std::optional<std::string> before;
      // The previous correction of the same field (older entries sit after this one).
      for (size_t j = entry + 1; j < view.entries.size() && !before; ++j) {
        const auto& o = view.entries[j];
        if (o.action == "correction" && o.table == x.table && o.record_id == x.record_id &&
            !o.fields.empty() && o.fields[0].column == x.field && o.fields[0].values_known)
          before = o.fields[0].to;
      }
      // Else the record's value then: the `from` of the first later change of the field.
      for (size_t j = entry; j-- > 0 && !before;) {
        const auto& o = view.entries[j];
        if (o.action == "correction" || o.table != x.table || o.record_id != x.record_id) continue;
        for (const auto& f : o.fields) {
          if (f.column == x.field && f.values_known && f.from != f.to) {
            before = f.from;
            break;
          }
        }
      }
      if (!before) {
        const auto& values = now[{x.table, x.field}];
        if (auto it = values.find(x.record_id); it != values.end()) before = it->second;
      }
      view.entries[entry].fields[0].from = before.value_or(std::string());
    }
  }

  // H5: countersignatures told on the record they approve, with the remark from the row (a
  // creation's audit entry names the columns only).
  if (std::any_of(view.entries.begin(), view.entries.end(), [](const CaseHistoryEntry& e) {
        return e.table == "countersignature" && e.action == "created";
      })) {
    struct Approved {
      std::string table, record_id, remark;
    };
    std::map<std::string, Approved> approved;
    LV_ASSIGN(Statement st, db_.Prepare("SELECT id, record_table, record_id, coalesce(remark, '')"
                                        " FROM countersignature WHERE case_id=?1 AND scope=?2"));
    st.Bind(1, view.case_id);
    st.Bind(2, scope);
    LV_TRY(ForEach(st, [&](Statement& s) {
      approved[s.Text(0)] = {s.Text(1), s.Text(2), s.Text(3)};
    }));
    for (auto& e : view.entries) {
      if (e.table != "countersignature" || e.action != "created") continue;
      auto it = approved.find(e.record_id);
      if (it == approved.end()) continue;
      e.action = "countersigned";
      e.table = it->second.table;
      e.record_id = it->second.record_id;
      e.fields.clear();
      if (!it->second.remark.empty()) {
        HistoryFieldChange remark;
        remark.column = "remark";
        remark.to = it->second.remark;
        e.fields.push_back(std::move(remark));
      }
    }
  }

  // H4: labels, one statement per record kind present.
  std::set<std::string> kinds;
  for (const auto& e : view.entries) kinds.insert(e.table);
  for (const auto& [name, expr, rows] : kLabels) {
    if (kinds.count(std::string(name)) == 0) continue;
    std::map<std::string, std::string> labels;
    LV_ASSIGN(Statement st,
              db_.Prepare("SELECT id, " + std::string(expr) + " FROM " + std::string(name) +
                          " WHERE " + std::string(rows) + " AND scope=?2"));
    st.Bind(1, view.case_id);
    st.Bind(2, scope);
    LV_TRY(ForEach(st, [&](Statement& s) { labels[s.Text(0)] = s.Text(1); }));
    for (auto& e : view.entries) {
      if (e.table != name) continue;
      if (auto it = labels.find(e.record_id); it != labels.end()) e.record_label = it->second;
    }
  }
  return view;
}

}  // namespace lietvedis::client
