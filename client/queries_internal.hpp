// Helpers shared by the query files (queries.cpp: caseload, case file, history, directory;
// queries_partners.cpp: volunteers, mentoring, MAPPA). Internal to client/.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/workspace.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client::detail {

// Steps `st` to the end, calling `row(st)` for each row.
template <class F>
Result<void> ForEach(storage::Statement& st, F&& row) {
  for (;;) {
    LV_ASSIGN(bool more, st.Step());
    if (!more) return Ok();
    row(st);
  }
}

// Runs `sql` bound to `args` and collects one T per row.
template <class T, class F, class... Args>
Result<std::vector<T>> Collect(storage::Database& db, std::string_view sql, F&& read,
                               const Args&... args) {
  LV_ASSIGN(storage::Statement st, db.Prepare(sql));
  st.BindAll(args...);
  std::vector<T> out;
  LV_TRY(ForEach(st, [&](storage::Statement& s) { out.push_back(read(s)); }));
  return out;
}

// A LIKE pattern matching `search` folded for search, with LIKE's own characters escaped.
std::string LikePattern(std::string_view search);

// Sorts `rows` in Latvian alphabetical order of the (surname, name, tie-break) strings that
// `fields(row)` returns as a tuple of references; keys are computed once per row.
template <class Row, class F>
void SortLatvian(std::vector<Row>& rows, F&& fields) {
  std::vector<std::pair<std::string, size_t>> keys;
  keys.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& [surname, name, tie] = fields(rows[i]);
    keys.emplace_back(LatvianSortKey(surname) + std::string(1, '\0') + LatvianSortKey(name) +
                          std::string(1, '\0') + tie,
                      i);
  }
  std::sort(keys.begin(), keys.end());
  std::vector<Row> sorted;
  sorted.reserve(rows.size());
  for (const auto& k : keys) sorted.push_back(std::move(rows[k.second]));
  rows = std::move(sorted);
}

Correction ReadCorrection(storage::Statement& s);
// The transfers of a case between units, oldest first (workflows_transfer.cpp).
Result<std::vector<CaseTransfer>> ReadCaseTransfers(storage::Database& db,
                                                    const std::string& case_id);
// A mentoring session from columns id, assignment_id, case_id, held_on, note, logged_by,
// logged_at, duration_minutes, mode, signed_off_by, signed_off_at (in that order).
MentoringSession ReadMentoringSession(storage::Statement& s);
// A mentor assignment from columns id, case_id, volunteer_id, volunteer_name, started_on,
// ended_on, assigned_by.
MentorAssignment ReadMentorAssignment(storage::Statement& s);
// A disclosure-log entry from columns id, meeting_id, disclosure_id, pack_id, what, to_whom,
// legal_basis, recipient_institution, disclosed_by, disclosed_at.
DisclosureLogEntry ReadDisclosureLogEntry(storage::Statement& s);

}  // namespace lietvedis::client::detail
