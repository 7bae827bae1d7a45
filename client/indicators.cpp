// Supervisor indicators (definitions in client/indicators.hpp).
#include "client/indicators.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "client/validation.hpp"
#include "client/workspace_internal.hpp"

namespace lietvedis::client {
namespace {

// Birth date from an old-form personal code (DDMMYY-C...), or empty.
std::string BirthFromCode(const std::string& code) {
  if (code.size() != 12 || code[6] != '-' || (code[0] == '3' && code[1] == '2')) return {};
  if (!ValidatePersonalCode(code).ok()) return {};
  const int century = 1800 + 100 * (code[7] - '0');
  const int year = century + (code[4] - '0') * 10 + (code[5] - '0');
  return std::to_string(year) + "-" + code.substr(2, 2) + "-" + code.substr(0, 2);
}

// The ids of a set or map's values, sorted and each once.
template <class Range, class Get>
std::vector<std::string> SortedIds(const Range& range, Get get) {
  std::set<std::string> ids;
  for (const auto& e : range) ids.insert(get(e));
  return {ids.begin(), ids.end()};
}

}  // namespace

int AgeOn(const std::string& birth, const std::string& on) {
  const int by = std::stoi(birth.substr(0, 4)), oy = std::stoi(on.substr(0, 4));
  int age = oy - by;
  if (on.substr(5, 5) < birth.substr(5, 5)) --age;  // birthday (MM-DD) not yet reached
  return age;
}

Result<Indicators> ComputeIndicators(Workspace& ws, storage::Database& db, int year) {
  if (year < 1900 || year > 2199)
    return MakeError(Errc::kValidation, "year: out of range (1900-2199)");
  Indicators ind;
  ind.year = year;
  const std::string from = std::to_string(year) + "-01-01";
  const std::string to = std::to_string(year) + "-12-31";

  CaseloadFilter all;
  all.status = std::nullopt;  // open and closed: the period's indicators need closed cases too
  LV_ASSIGN(std::vector<CaseloadRow> rows, ws.Caseload(all));
  std::unordered_set<std::string> listed;
  std::map<std::string, OfficerCaseload> by_officer;
  for (const auto& level : {"low", "medium", "high", "very_high", "unassessed"})
    ind.risk_mix[level] = 0;
  for (const auto& r : rows) {
    listed.insert(r.case_id);
    if (r.status != CaseStatus::kOpen) continue;
    ++ind.open_cases;
    auto& o = by_officer[r.responsible_officer_id];
    o.officer_id = r.responsible_officer_id;
    o.officer_name = r.responsible_officer_name;
    ++o.open_cases;
    if (r.overdue) {
      ++o.overdue;
      ++ind.overdue_contacts;
    }
    ++ind.risk_mix[r.risk_level ? std::string(Code(*r.risk_level)) : "unassessed"];
  }
  for (auto& [id, o] : by_officer) ind.caseload.push_back(o);
  std::sort(ind.caseload.begin(), ind.caseload.end(),
            [](const OfficerCaseload& a, const OfficerCaseload& b) {
              return LatvianSortKey(a.officer_name) < LatvianSortKey(b.officer_name);
            });

  // Programme completion.
  {
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT case_id, status FROM referral WHERE ended_on BETWEEN ? AND ?"));
    st.BindAll(from, to);
    std::set<std::string> completed, dropped_out;
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (!listed.count(st.Text(0))) continue;
      const std::string status = st.Text(1);
      if (status == "completed") {
        ++ind.referrals_completed;
        completed.insert(st.Text(0));
      }
      if (status == "dropped_out") {
        ++ind.referrals_dropped_out;
        dropped_out.insert(st.Text(0));
      }
    }
    ind.cases.programme_completed.assign(completed.begin(), completed.end());
    ind.cases.programme_dropped_out.assign(dropped_out.begin(), dropped_out.end());
    const auto ended = ind.referrals_completed + ind.referrals_dropped_out;
    if (ended > 0)
      ind.completion_rate_percent = 100.0 * static_cast<double>(ind.referrals_completed) / ended;
  }

  // ESF+ unique clients supported (measure 4.3.4.6: persons who received support for equal
  // opportunities, participation and employability): a resocialisation service in the
  // period, i.e. an attended programme session, a logged peer-mentoring session or a day in
  // a social-rehabilitation centre. Routine supervision contacts are not support in this
  // sense. A person counts once: by personal code, else by person_id.
  {
    LV_ASSIGN(
        storage::Statement st,
        db.Prepare(
            "SELECT c.case_id, coalesce(nullif(cl.personal_code, ''), cl.person_id) FROM ("
            " SELECT case_id FROM attendance WHERE attended=1 AND session_on BETWEEN ?1 AND ?2"
            " UNION SELECT case_id FROM mentoring_session WHERE held_on BETWEEN ?1 AND ?2"
            " UNION SELECT case_id FROM src_placement WHERE started_on <= ?2"
            "  AND coalesce(ended_on, ?2) >= ?1) c"
            " JOIN probation_case pc ON pc.id = c.case_id JOIN client cl ON cl.id = pc.client_id"));
    st.BindAll(from, to);
    std::map<std::string, std::string> persons;  // person -> first qualifying case (by id)
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string case_id = st.Text(0);
      if (!listed.count(case_id)) continue;
      auto [it, added] = persons.emplace(st.IsNull(1) ? "case:" + case_id : st.Text(1), case_id);
      if (!added && case_id < it->second) it->second = case_id;
    }
    ind.esf_unique_clients = static_cast<std::int64_t>(persons.size());
    ind.cases.esf = SortedIds(persons, [](const auto& e) { return e.second; });
  }

  // Legal employment.
  {
    LV_ASSIGN(
        storage::Statement st,
        db.Prepare(
            "SELECT s.case_id, s.closed_on, s.employment_at_closure, s.disability_group, pc.kind,"
            " cl.person_id, cl.birth_date, cl.personal_code"
            " FROM supervision_section s JOIN probation_case pc ON pc.id = s.case_id"
            " JOIN client cl ON cl.id = pc.client_id"
            " WHERE s.status='closed' AND s.closed_on BETWEEN ? AND ?"
            " AND s.no_employment_taxes_at_opening = 1"
            " ORDER BY s.closed_on, s.id"));
    st.BindAll(from, to);
    // The latest qualifying section wins: whether employed, and its case.
    std::unordered_map<std::string, std::pair<bool, std::string>> employed_by_person;
    auto& le = ind.legal_employment;
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string case_id = st.Text(0);
      if (!listed.count(case_id)) continue;
      const std::string closed_on = st.Text(1);
      std::string birth = st.Text(6);
      if (birth.size() < 10) birth = BirthFromCode(st.Text(7));
      if (birth.size() < 10) {
        ++le.excluded_age_unknown;
        continue;
      }
      const int age = AgeOn(birth, closed_on);
      if (age < 20 || age > 64) {
        ++le.excluded_age;
        continue;
      }
      if (st.Text(3) == Code(DisabilityGroup::kGroup1)) {
        ++le.excluded_disability_group_1;
        continue;
      }
      if (st.Text(4) == Code(CaseKind::kConditionalReleaseFromLiability)) {
        ++le.excluded_release_from_liability;
        continue;
      }
      const std::string status = st.Text(2);
      const std::string person = st.IsNull(5) ? "case:" + case_id : st.Text(5);
      employed_by_person[person] = {status == Code(EmploymentStatus::kEmployed) ||
                                        status == Code(EmploymentStatus::kSelfEmployed),
                                    case_id};
    }
    le.s1 = static_cast<std::int64_t>(employed_by_person.size());
    std::set<std::string> s1_cases, s2_cases;
    for (const auto& [person, decided] : employed_by_person) {
      le.s2 += decided.first ? 1 : 0;
      s1_cases.insert(decided.second);
      if (decided.first) s2_cases.insert(decided.second);
    }
    ind.cases.employment_s1.assign(s1_cases.begin(), s1_cases.end());
    ind.cases.employment_s2.assign(s2_cases.begin(), s2_cases.end());
    if (le.s1 > 0) le.percent = 100.0 * static_cast<double>(le.s2) / static_cast<double>(le.s1);
  }

  // Needs addressed by the plan: each open case's latest signed assessment against the goals
  // of its active plan.
  {
    std::unordered_set<std::string> open_cases;
    for (const auto& r : rows) {
      if (r.status == CaseStatus::kOpen) open_cases.insert(r.case_id);
    }
    LV_ASSIGN(storage::Statement st,
              db.Prepare("SELECT a.case_id, a.needs, (SELECT group_concat(g.need) FROM res_plan p"
                         "  JOIN plan_goal g ON g.plan_id = p.id"
                         "  WHERE p.case_id = a.case_id AND p.status = 'active') FROM assessment a"
                         " WHERE a.signed_at IS NOT NULL AND a.id = (SELECT b.id FROM assessment b"
                         "  WHERE b.case_id = a.case_id AND b.signed_at IS NOT NULL"
                         "  ORDER BY b.assessed_on DESC, b.signed_at DESC, b.id DESC LIMIT 1)"));
    auto& na = ind.needs_addressed;
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (!open_cases.count(st.Text(0))) continue;
      ++na.cases;
      std::set<std::string> needs, goals;
      for (NeedDomain n : detail::SplitCodes<NeedDomain>(st.Text(1)))
        needs.insert(std::string(Code(n)));
      for (NeedDomain n : detail::SplitCodes<NeedDomain>(st.Text(2)))
        goals.insert(std::string(Code(n)));
      na.identified += static_cast<std::int64_t>(needs.size());
      bool unaddressed = false;
      for (const auto& n : needs) {
        na.addressed += goals.count(n) ? 1 : 0;
        unaddressed |= goals.count(n) == 0;
      }
      ind.cases.needs_assessed.push_back(st.Text(0));
      if (unaddressed) ind.cases.needs_unaddressed.push_back(st.Text(0));
    }
    std::sort(ind.cases.needs_assessed.begin(), ind.cases.needs_assessed.end());
    std::sort(ind.cases.needs_unaddressed.begin(), ind.cases.needs_unaddressed.end());
    if (na.identified > 0)
      na.percent = 100.0 * static_cast<double>(na.addressed) / static_cast<double>(na.identified);
  }

  // Reoffending during supervision: persons supervised in the period, and those of them with a
  // new offence dated in the period inside one of their sections.
  {
    LV_ASSIGN(
        storage::Statement st,
        db.Prepare("SELECT s.case_id, coalesce(nullif(cl.personal_code, ''), cl.person_id),"
                   " EXISTS (SELECT 1 FROM violation v WHERE v.case_id = s.case_id"
                   "  AND v.kind = 'new_offence' AND v.occurred_on BETWEEN ?1 AND ?2"
                   "  AND v.occurred_on >= s.opened_on"
                   "  AND (s.closed_on IS NULL OR v.occurred_on <= s.closed_on))"
                   " FROM supervision_section s JOIN probation_case pc ON pc.id = s.case_id"
                   " JOIN client cl ON cl.id = pc.client_id"
                   " WHERE s.opened_on <= ?2 AND (s.closed_on IS NULL OR s.closed_on >= ?1)"));
    st.BindAll(from, to);
    // Per person: whether a new offence was recorded, and the case that shows it (else the
    // first supervised case by id).
    std::unordered_map<std::string, std::pair<bool, std::string>> reoffended_by_person;
    while (true) {
      LV_ASSIGN(bool row, st.Step());
      if (!row) break;
      const std::string case_id = st.Text(0);
      if (!listed.count(case_id)) continue;
      const std::string person = st.IsNull(1) ? "case:" + case_id : st.Text(1);
      const bool again = st.Int(2) != 0;
      auto [it, added] = reoffended_by_person.emplace(person, std::make_pair(again, case_id));
      if (added) continue;
      auto& [was, decided] = it->second;
      if ((again && !was) || (again == was && case_id < decided)) decided = case_id;
      was = was || again;
    }
    auto& ro = ind.reoffending;
    ro.supervised = static_cast<std::int64_t>(reoffended_by_person.size());
    std::set<std::string> supervised_cases, reoffended_cases;
    for (const auto& [person, decided] : reoffended_by_person) {
      ro.reoffended += decided.first ? 1 : 0;
      supervised_cases.insert(decided.second);
      if (decided.first) reoffended_cases.insert(decided.second);
    }
    ind.cases.supervised.assign(supervised_cases.begin(), supervised_cases.end());
    ind.cases.reoffended.assign(reoffended_cases.begin(), reoffended_cases.end());
    if (ro.supervised > 0)
      ro.percent = 100.0 * static_cast<double>(ro.reoffended) / static_cast<double>(ro.supervised);
  }
  return ind;
}

}  // namespace lietvedis::client
