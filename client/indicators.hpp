// Indicators a supervisor reports on (docs/DOMAIN.md, /work/shared/domain.md), computed over
// the cases Workspace::Caseload() lets the actor list: a supervisor gets the unit, an
// officer only their own caseload; other roles get kNotPermitted. The per-case rows of those
// cases are read with one statement per indicator; nothing is written. Each measure also
// names the cases behind it (IndicatorCases), for a drill-down to them.
//
// Definitions (period = calendar `year`, 1 January to 31 December):
//  - caseload per officer: open cases by responsible officer, with how many are overdue
//    (the caseload's overdue rule: a planned contact in the past, or no held contact within
//    the unit's interval for the risk level);
//  - risk mix: open cases by latest assessed risk level ("unassessed" without one);
//  - programme completion: referrals ended in the period, completed / (completed +
//    dropped_out) x 100; cancelled referrals are not counted;
//  - ESF+ unique clients supported (measure 4.3.4.6, seeds L344: persons who received
//    support towards equal opportunities, participation and employability): distinct
//    persons (by personal code, else client.person_id) with a resocialisation service in the
//    period: an attended programme session, a logged peer-mentoring session, or a
//    social-rehabilitation-centre placement overlapping the period. A held supervision
//    contact alone is not support in the measure's sense;
//  - overdue: only cases with an open supervision section have a contact interval;
//  - risk: the latest SIGNED assessment (an unsigned draft decides nothing);
//  - legal employment (L2863-2890): S1 = clients whose supervision section closed in the
//    period, who had no employment taxes when it opened and were aged 20-64 on the closing
//    date, EXCLUDING people with group I disability and people conditionally released from
//    criminal liability (case kind conditional_release_from_liability); S2 = those of S1
//    employed (employed or self_employed) at closure; indicator = S2 / S1 x 100. A person
//    counts once: with several qualifying sections closed in the year, the latest closed
//    decides. Age comes from the client's birth date (or an old-form personal code); a client
//    whose age cannot be known is left out and counted in `excluded_age_unknown`;
//  - needs addressed by the plan (a snapshot, not a period measure): over the OPEN cases, the
//    needs identified by each case's latest SIGNED assessment (by assessed_on; unsigned
//    drafts and superseded versions decide nothing), and of those the needs that a goal of
//    the case's ACTIVE plan names (plan_goal.need). percent = addressed / identified x 100;
//    a case with a signed assessment and no active plan counts its needs as unaddressed; a
//    case without a signed assessment is not counted;
//  - reoffending during supervision: persons with a supervision section that was open on
//    some day of the period (opened on or before 31 December, not closed before 1 January),
//    and of those the persons with a NEW OFFENCE recorded (violation kind new_offence)
//    dated inside the period and inside one of their sections (opened_on <= occurred_on <=
//    closed_on, or the section still open). percent = reoffended / supervised x 100. The
//    model records new offences reported to the officer, not court convictions: the figure
//    counts recorded new offences, and an offence later acquitted stays counted unless the
//    violation is corrected.
//
// Threading: the writer thread (as the Workspace).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/workspace.hpp"

namespace lietvedis::client {

struct OfficerCaseload {
  std::string officer_id, officer_name;
  std::int64_t open_cases = 0, overdue = 0;
};

struct LegalEmploymentIndicator {
  std::int64_t s1 = 0, s2 = 0;
  std::optional<double> percent;  // nullopt when S1 = 0
  // Sections closed in the period without taxes at opening that were left out, by reason.
  std::int64_t excluded_age = 0, excluded_age_unknown = 0, excluded_disability_group_1 = 0,
               excluded_release_from_liability = 0;
};

struct NeedsAddressedIndicator {
  std::int64_t cases = 0;         // open cases with a signed assessment
  std::int64_t identified = 0;    // needs of those assessments (each case's need once)
  std::int64_t addressed = 0;     // of those, named by a goal of the case's active plan
  std::optional<double> percent;  // nullopt when nothing is identified
};

struct ReoffendingIndicator {
  std::int64_t supervised = 0;    // persons under supervision on some day of the period
  std::int64_t reoffended = 0;    // of those, with a new offence recorded during supervision
  std::optional<double> percent;  // nullopt when no one was supervised
};

// The cases behind the figures, for the dashboard's drill-down: case ids, sorted, each once.
// A person measure keeps, per person counted, the one case that decided, so its size is the
// figure: ESF+ the person's first qualifying case (by id); employment the case of the latest
// qualifying closed section; reoffending a case with the new offence, else the person's first
// supervised case. Programme completion lists the cases of the referrals counted (a case with
// two counted referrals once, so its size may be below the referral count).
struct IndicatorCases {
  std::vector<std::string> programme_completed, programme_dropped_out;
  std::vector<std::string> esf;                           // size: esf_unique_clients
  std::vector<std::string> employment_s1, employment_s2;  // sizes: s1, s2
  std::vector<std::string> needs_assessed;                // size: needs_addressed.cases
  std::vector<std::string> needs_unaddressed;       // of those, a need no goal of the plan names
  std::vector<std::string> supervised, reoffended;  // sizes: reoffending's two counts
};

struct Indicators {
  int year = 0;
  std::vector<OfficerCaseload> caseload;  // by officer name
  std::int64_t open_cases = 0, overdue_contacts = 0;
  std::map<std::string, std::int64_t> risk_mix;  // low, medium, high, very_high, unassessed
  std::int64_t referrals_completed = 0, referrals_dropped_out = 0;
  std::optional<double> completion_rate_percent;
  std::int64_t esf_unique_clients = 0;
  LegalEmploymentIndicator legal_employment;
  NeedsAddressedIndicator needs_addressed;
  ReoffendingIndicator reoffending;
  IndicatorCases cases;
};

Result<Indicators> ComputeIndicators(Workspace& ws, storage::Database& db, int year);

// Age in whole years on `on_iso` of someone born on `birth_iso` (both ISO dates).
int AgeOn(const std::string& birth_iso, const std::string& on_iso);

}  // namespace lietvedis::client
