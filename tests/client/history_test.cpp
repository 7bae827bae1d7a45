// A case's history (client/history.cpp): every change of every record of the case with the
// values before and after, signatures, corrections with their reasons, newest first.
#include "client/history.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "client/audit_chain.hpp"
#include "client/schema.hpp"
#include "client/workspace.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// A workspace whose clock moves one minute per reading, so that every act has its own time
// and "newest first" is decided by the clock, not by the order of insertion alone.
std::unique_ptr<Workspace> Ticking(ModelFixture& f, const std::string& user,
                                   std::shared_ptr<std::int64_t> clock) {
  WorkspaceOptions o;
  o.now_ms = [clock] { return *clock += 60'000; };
  auto ws = Workspace::Open(f.db, *f.replica, user, o);
  if (!ws.ok()) FAIL(ws.error().message);
  return std::move(ws).value();
}

const CaseHistoryEntry* Find(const CaseHistoryView& h, std::string_view action,
                             std::string_view record_id) {
  for (const auto& e : h.entries) {
    if (e.action == action && e.record_id == record_id) return &e;
  }
  return nullptr;
}

const HistoryFieldChange* Field(const CaseHistoryEntry& e, std::string_view column) {
  for (const auto& c : e.fields) {
    if (c.column == column) return &c;
  }
  return nullptr;
}

void CheckNewestFirst(const CaseHistoryView& h) {
  for (size_t i = 1; i < h.entries.size(); ++i) {
    INFO(i);
    CHECK(h.entries[i - 1].at >= h.entries[i].at);
  }
}

}  // namespace

TEST_CASE("case history: changes in words with from and to, corrections with reasons",
          "[client][history]") {
  ModelFixture f;
  auto clock = std::make_shared<std::int64_t>(testing::kPinnedNowMs - 24LL * 3600 * 1000);
  auto ws = Ticking(f, f.officer, clock);
  const std::string case_id = f.RegisterBerzins(*ws);
  const std::string other_case = f.RegisterBerzins(*ws, testing::kCode1990);

  // A contact planned, then its outcome recorded.
  RecordContact plan;
  plan.case_id = case_id;
  plan.planned_at = "15.03.2026";
  const std::string contact = f.Must(ws->Execute(plan));
  REQUIRE(ws->Execute(RecordContactOutcome{contact, ContactStatus::kHeld, "15.03.2026",
                                           "ieradās, pārrunāts darba meklējums", ""})
              .ok());

  // A section's obligations amended, once with a text longer than the audit keeps.
  OpenSupervisionSection open;
  open.case_id = case_id;
  open.sentence_type = "nosacīta notiesāšana";
  open.court_decision_ref = "K12-0345-25";
  open.obligations = "ierasties VPD reizi mēnesī";
  open.opened_on = "02.03.2026";
  open.planned_end_on = "02.03.2028";
  const std::string section = f.Must(ws->Execute(open));
  REQUIRE(ws->Execute(AmendSupervisionSection{section, "ierasties VPD divreiz mēnesī", ""}).ok());
  std::string long_text;
  while (long_text.size() < 1000) long_text += "ierasties VPD katru nedēļu; ";
  REQUIRE(ws->Execute(AmendSupervisionSection{section, long_text, ""}).ok());

  // An assessment signed, then corrected.
  RecordAssessment ra;
  ra.case_id = case_id;
  ra.instrument_version = "2.1";
  ra.assessed_on = "05.03.2026";
  ra.total_score = 31;
  ra.risk_level = RiskLevel::kMedium;
  const std::string assessment = f.Must(ws->Execute(ra));
  REQUIRE(ws->Execute(SignAssessment{assessment}).ok());
  REQUIRE(ws->Execute(CorrectRecord{"assessment", assessment, "risk_level", "high",
                                    "kļūdaini ievadīts līmenis"})
              .ok());

  // Another case's contact: never in this case's history.
  RecordContact other;
  other.case_id = other_case;
  other.planned_at = "16.03.2026";
  const std::string other_contact = f.Must(ws->Execute(other));

  auto h = ws->CaseHistory(case_id);
  REQUIRE(h.ok());
  CheckNewestFirst(*h);
  REQUIRE_FALSE(h->entries.empty());
  for (const auto& e : h->entries) {
    CHECK(e.record_id != other_case);
    CHECK(e.record_id != other_contact);
  }

  // Newest first: the correction is the last act on this case.
  const CaseHistoryEntry& newest = h->entries.front();
  CHECK(newest.action == "correction");
  CHECK(newest.table == "assessment");
  CHECK(newest.record_id == assessment);
  CHECK(newest.record_label == "2026-03-05");
  REQUIRE(newest.fields.size() == 1);
  CHECK(newest.fields[0].column == "risk_level");
  CHECK(newest.fields[0].from == "medium");
  CHECK(newest.fields[0].to == "high");
  CHECK(newest.reason == "kļūdaini ievadīts līmenis");
  CHECK(newest.user_id == f.officer);
  // The correction is one entry (not also its audit line).
  CHECK(std::count_if(h->entries.begin(), h->entries.end(), [](const CaseHistoryEntry& e) {
          return e.action == "correction" || e.action == "corrected";
        }) == 1);

  const CaseHistoryEntry* signed_entry = Find(*h, "signed", assessment);
  REQUIRE(signed_entry != nullptr);
  REQUIRE(Field(*signed_entry, "signed_by") != nullptr);
  CHECK(Field(*signed_entry, "signed_by")->to == f.officer);
  CHECK(Field(*signed_entry, "signed_by")->from.empty());

  // The contact's outcome: status, day and outcome from nothing to what was recorded; the note
  // written empty again is listed as unchanged.
  const CaseHistoryEntry* outcome = Find(*h, "updated", contact);
  REQUIRE(outcome != nullptr);
  CHECK(outcome->record_label == "2026-03-15");
  REQUIRE(Field(*outcome, "status") != nullptr);
  CHECK(Field(*outcome, "status")->from == "planned");
  CHECK(Field(*outcome, "status")->to == "held");
  REQUIRE(Field(*outcome, "outcome") != nullptr);
  CHECK(Field(*outcome, "outcome")->values_known);
  CHECK(Field(*outcome, "outcome")->from.empty());
  CHECK(Field(*outcome, "outcome")->to == "ieradās, pārrunāts darba meklējums");
  CHECK(Field(*outcome, "held_on")->to == "2026-03-15");
  REQUIRE(Field(*outcome, "note") != nullptr);
  CHECK_FALSE(Field(*outcome, "note")->values_known);
  REQUIRE(Find(*h, "created", contact) != nullptr);

  // The section's two amendments, newest first; the long text kept cut at 400 bytes.
  std::vector<const CaseHistoryEntry*> amendments;
  for (const auto& e : h->entries) {
    if (e.record_id == section && e.action == "updated") amendments.push_back(&e);
  }
  REQUIRE(amendments.size() == 2);
  const HistoryFieldChange* later = Field(*amendments[0], "obligations");
  const HistoryFieldChange* earlier = Field(*amendments[1], "obligations");
  REQUIRE(later != nullptr);
  REQUIRE(earlier != nullptr);
  CHECK(earlier->from == "ierasties VPD reizi mēnesī");
  CHECK(earlier->to == "ierasties VPD divreiz mēnesī");
  CHECK_FALSE(earlier->to_cut);
  CHECK(later->from == "ierasties VPD divreiz mēnesī");
  CHECK(later->to_cut);
  CHECK(later->to.size() <= kAuditValueBytes);
  CHECK(later->to.size() > kAuditValueBytes - 4);
  CHECK(long_text.rfind(later->to, 0) == 0);
  CHECK(amendments[0]->record_label == "2026-03-02");

  // Reads of the case file are in the history, the history itself is not audited.
  REQUIRE(ws->CaseFile(case_id).ok());
  const auto audits_before = f.Count("audit");
  auto again = ws->CaseHistory(case_id);
  REQUIRE(again.ok());
  CHECK(f.Count("audit") == audits_before);
  CHECK(again->entries.front().action == "read");
  CHECK(again->entries.size() == h->entries.size() + 1);

  // Filtered by record kind: the contact's two entries only.
  auto contacts = ws->CaseHistory(case_id, "contact");
  REQUIRE(contacts.ok());
  REQUIRE(contacts->entries.size() == 2);
  CHECK(contacts->entries[0].action == "updated");
  CHECK(contacts->entries[1].action == "created");
  for (const auto& e : contacts->entries) CHECK(e.table == "contact");
  auto sections = ws->CaseHistory(case_id, "supervision_section");
  REQUIRE(sections.ok());
  CHECK(sections->entries.size() == 3);
  CHECK(ws->CaseHistory(case_id, "no_such_table").error().code == Errc::kValidation);

  // The one-record history still names columns only.
  auto section_history = ws->History("supervision_section", section);
  REQUIRE(section_history.ok());
  bool amended = false;
  for (const auto& e : section_history->entries) {
    if (e.kind == "updated") {
      CHECK(e.detail == "obligations");
      amended = true;
    }
  }
  CHECK(amended);

  // Every chain still verifies with the values in the entries.
  auto report = VerifyAuditChains(f.db, {CaseScope(case_id)});
  REQUIRE(report.ok());
  CHECK(report->sound());

  // Who may not read the case file may not read its history.
  CHECK(f.As(f.coordinator)->CaseHistory(case_id).error().code == Errc::kNotPermitted);
  CHECK(f.As(f.officer_other_unit)->CaseHistory(case_id).error().code == Errc::kNotPermitted);
}

TEST_CASE("case history: entries that name columns only stay readable", "[client][history]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  RecordContact plan;
  plan.case_id = case_id;
  plan.planned_at = "15.03.2026";
  const std::string contact = f.Must(ws->Execute(plan));
  // An update's entry as written before values were kept.
  AuditChainEntry legacy;
  legacy.scope = CaseScope(case_id);
  legacy.user_id = f.officer;
  legacy.action = "updated";
  legacy.target_table = "contact";
  legacy.target_id = contact;
  legacy.detail = "status,held_on";
  legacy.at = "2026-03-17T09:00:00Z";
  {
    auto tx = storage::Transaction::Begin(f.db);
    REQUIRE(tx.ok());
    REQUIRE(AppendAuditEntry(f.db, *f.replica, legacy).ok());
    REQUIRE(tx->Commit().ok());
  }

  auto h = ws->CaseHistory(case_id, "contact");
  REQUIRE(h.ok());
  REQUIRE(h->entries.size() == 2);
  const auto& e = h->entries.front();
  CHECK(e.action == "updated");
  REQUIRE(e.fields.size() == 2);
  CHECK(e.fields[0].column == "status");
  CHECK(e.fields[1].column == "held_on");
  CHECK_FALSE(e.fields[0].values_known);
  CHECK(AuditDetailColumns("status,held_on") == "status,held_on");
  CHECK(AuditDetailColumns(R"({"f":{"status":["planned","held"]},"u":["note"]})") == "status,note");
  // A detail that is not what it claims decodes as columns, never throws.
  CHECK(DecodeAuditDetail("{not json").changed.size() == 1);
}

TEST_CASE("case history: about 500 records in one call, newest first", "[client][history]") {
  ModelFixture f;
  auto clock = std::make_shared<std::int64_t>(testing::kPinnedNowMs - 48LL * 3600 * 1000);
  auto ws = Ticking(f, f.officer, clock);
  const std::string case_id = f.RegisterBerzins(*ws);
  constexpr int kContacts = 500;
  constexpr int kRecorded = 100;
  std::vector<std::string> contacts;
  for (int i = 0; i < kContacts; ++i) {
    RecordContact c;
    c.case_id = case_id;
    c.planned_at = "2026-03-" + std::string(i % 2 == 0 ? "10" : "12");
    contacts.push_back(f.Must(ws->Execute(c)));
  }
  for (int i = 0; i < kRecorded; ++i) {
    REQUIRE(ws->Execute(RecordContactOutcome{contacts[static_cast<size_t>(i)],
                                             ContactStatus::kMissed, "", "", ""})
                .ok());
  }
  auto h = ws->CaseHistory(case_id, "contact");
  REQUIRE(h.ok());
  CHECK(h->entries.size() == static_cast<size_t>(kContacts + kRecorded));
  CheckNewestFirst(*h);
  // The newest is the last outcome recorded, the oldest the first contact planned.
  CHECK(h->entries.front().action == "updated");
  CHECK(h->entries.front().record_id == contacts[kRecorded - 1]);
  CHECK(h->entries.back().action == "created");
  CHECK(h->entries.back().record_id == contacts.front());
  for (const auto& e : h->entries) CHECK_FALSE(e.record_label.empty());

  auto all = ws->CaseHistory(case_id);
  REQUIRE(all.ok());
  CHECK(all->entries.size() > h->entries.size());
  CheckNewestFirst(*all);
}

TEST_CASE("case history: values are kept for case records only, never on a mentoring card",
          "[client][history][privacy]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  const std::string referral = f.ReferToMentoring(*ws, case_id);
  UpdateClientDetails upd;
  upd.case_id = case_id;
  upd.name = "Jānis";
  upd.surname = "Bērziņš-Kalns";
  upd.phone = "+371 21111111";
  upd.address = "Liepāja, Jūras iela 2";
  REQUIRE(ws->Execute(upd).ok());
  // The referral ends without a grace period: the card is emptied in place (rule 4).
  REQUIRE(f.As(f.supervisor)->Execute(SetUnitSetting{"mentoring.card_grace_days", "0"}).ok());
  REQUIRE(ws->Execute(EndMentoringReferral{referral, ""}).ok());
  REQUIRE(f.db.QueryInt("SELECT count(*) FROM client_card WHERE id=? AND phone IS NULL"
                        " AND voided_at IS NOT NULL",
                        case_id)
              .value() == 1);

  // The case record's change says from → to ...
  auto h = ws->CaseHistory(case_id, "client");
  REQUIRE(h.ok());
  const CaseHistoryEntry* changed = nullptr;
  for (const auto& e : h->entries) {
    if (e.action == "updated" && Field(e, "phone") != nullptr) changed = &e;
  }
  REQUIRE(changed != nullptr);
  CHECK(Field(*changed, "phone")->from == "+371 20000000");
  CHECK(Field(*changed, "phone")->to == "+371 21111111");
  // ... while the mentoring scope's audit, which coordinators keep, names columns only.
  const std::string mentoring = MentoringScope(case_id);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE scope=? AND action='updated'", mentoring)
            .value() >= 2);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE scope=? AND (detail LIKE '%+371%'"
                      " OR detail LIKE '%Bērziņš%' OR detail LIKE '{%')",
                      mentoring)
            .value() == 0);
}

TEST_CASE("case history: a document's entry is read back as the document and its pages",
          "[client][history]") {
  // What the workflows write, read back field by field.
  auto render = ParseAccessDetail("render", FormatRenderDetail("mediation_report", 3));
  REQUIRE(render);
  CHECK(render->document == "mediation_report");
  CHECK(render->format == "pdf");
  CHECK(render->pages == 3);
  auto pack = ParseAccessDetail(
      "render", FormatAgencyPackDetail("municipal_social_service", 2, "0f3a9c-pack"));
  REQUIRE(pack);
  CHECK(pack->document == "agency_pack");
  CHECK(pack->institution == "municipal_social_service");
  CHECK(pack->disclosures == 2);
  CHECK(pack->pack_id == "0f3a9c-pack");
  auto answer = ParseAccessDetail("subject_access", FormatSubjectAccessDetail("both", 2, 5));
  REQUIRE(answer);
  CHECK(answer->format == "both");
  CHECK(answer->cases == 2);
  CHECK(answer->withheld == 5);
  auto glass = ParseAccessDetail("break_glass", FormatBreakGlassDetail("2026-03-17T21:59:59Z"));
  REQUIRE(glass);
  CHECK(glass->until == "2026-03-17T21:59:59Z");

  // Anything else is not guessed at: the desktop shows it as written.
  for (const auto& [action, detail] : std::vector<std::pair<std::string, std::string>>{
           {"render", ""},
           {"render", "case_summary pdf pages"},
           {"render", "case_summary pdf 3 pages extra"},
           {"render", "case summary pdf 3 pages"},
           {"render", "case_summary pdf 99999999 pages"},
           {"render", "agency pack vp, x disclosures, pack p"},
           {"subject_access", "pdf, 2 cases"},
           {"break_glass", "until "},
           {"export", "12 rows csv"},
       }) {
    INFO(action << ": " << detail);
    CHECK_FALSE(ParseAccessDetail(action, detail));
  }

  // A render recorded by the Workspace reaches the history in that form.
  ModelFixture f;
  auto ws = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*ws);
  REQUIRE(ws->RecordDocumentRender("probation_case", case_id, "case_summary", 4).ok());
  auto h = ws->CaseHistory(case_id, "");
  REQUIRE(h.ok());
  const CaseHistoryEntry* e = Find(*h, "render", case_id);
  REQUIRE(e != nullptr);
  auto read = ParseAccessDetail(e->action, e->detail);
  REQUIRE(read);
  CHECK(read->document == "case_summary");
  CHECK(read->pages == 4);
}
