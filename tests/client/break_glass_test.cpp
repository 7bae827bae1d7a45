// Break-glass and sealing (client/workflows_break_glass.cpp, client/permissions.hpp) on one
// store that holds every user's rows (the model fixture). The covers come in as the engine
// hands them over: through MaterialiseDirectory with a synthetic directory.
#include <catch2/catch.hpp>

#include "client/agenda.hpp"
#include "client/audit_chain.hpp"
#include "client/device.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

void CheckCode(const Result<std::string>& r, Errc code, const std::string& text = {}) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  if (!text.empty()) CHECK_THAT(r.error().message, Catch::Contains(text));
}

template <class T>
void CheckRefused(const Result<T>& r, Errc code, const std::string& text = {}) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  if (!text.empty()) CHECK_THAT(r.error().message, Catch::Contains(text));
}

void SetCover(storage::Database& db, const std::string& user, const std::string& deputy,
              const std::string& from, const std::string& until) {
  sync::EngineDirectory d;
  d.covers.push_back({user, deputy, from, until});
  REQUIRE(MaterialiseDirectory(db, d).ok());
}

std::unique_ptr<Workspace> AsAt(testing::ModelFixture& f, const std::string& user,
                                std::int64_t now_ms) {
  WorkspaceOptions o;
  o.now_ms = [now_ms] { return now_ms; };
  auto ws = Workspace::Open(f.db, *f.replica, user, o);
  REQUIRE(ws.ok());
  return std::move(ws).value();
}

std::int64_t AuditCount(testing::ModelFixture& f, const std::string& user,
                        const std::string& action) {
  return f.db.QueryInt("SELECT count(*) FROM audit WHERE user_id=? AND action=?", user, action)
      .value();
}

RecordContact PlannedContact(const std::string& case_id) {
  return RecordContact{
      case_id, "18.03.2026 10:00", ContactStatus::kPlanned, ContactMode::kInPerson, "", "", ""};
}

}  // namespace

TEST_CASE(
    "break-glass: a deputy opens a covered case with a reason, reads it and does the "
    "daily work, refusals write nothing",
    "[client][break_glass]") {
  testing::ModelFixture f;
  auto owner = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*owner);
  SetCover(f.db, f.officer, f.officer2, "2026-03-10", "2026-03-20");
  auto deputy = f.As(f.officer2);

  // Listed apart from the deputy's own caseload, name and case only.
  auto covered = deputy->CoveredCases();
  REQUIRE(covered.ok());
  REQUIRE(covered->size() == 1);
  CHECK((*covered)[0].case_id == case_id);
  CHECK((*covered)[0].client_surname == "Bērziņš");
  CHECK((*covered)[0].officer_name == "Ilze Ozola");
  CHECK((*covered)[0].until_day == "2026-03-20");
  CHECK((*covered)[0].break_glass_until.empty());
  CHECK(deputy->Caseload()->empty());

  // Before break-glass: every read and write of the case is refused, saying how it opens.
  const auto outbox = f.Outbox();
  const auto reads = AuditCount(f, f.officer2, "read");
  CheckRefused(deputy->CaseFile(case_id), Errc::kNotPermitted,
               "opens only by break-glass with a reason");
  CheckCode(deputy->Execute(PlannedContact(case_id)), Errc::kNotPermitted,
            "opens only by break-glass");
  CheckCode(deputy->Execute(AddNote{case_id, "Klients zvanīja.", "", ""}), Errc::kNotPermitted);
  CheckRefused(deputy->CaseHistory(case_id), Errc::kNotPermitted);

  // Bad reasons: kValidation naming `reason`, nothing written.
  CheckCode(deputy->Execute(OpenBreakGlass{case_id, ""}), Errc::kValidation, "reason:");
  CheckCode(deputy->Execute(OpenBreakGlass{case_id, "   \t  "}), Errc::kValidation, "reason:");
  CheckCode(deputy->Execute(OpenBreakGlass{case_id, "  steidzami  "}), Errc::kValidation,
            "reason: at least 10");
  CheckCode(deputy->Execute(OpenBreakGlass{case_id, std::string("bad \xC3\x28 utf-8 text")}),
            Errc::kValidation, "reason:");
  CHECK(f.Count("break_glass") == 0);
  CHECK(AuditCount(f, f.officer2, "break_glass") == 0);
  CHECK(AuditCount(f, f.officer2, "read") == reads);
  CHECK(f.Outbox() == outbox);

  // With a reason (trimmed; 10 characters with diacritics count as characters).
  auto id = deputy->Execute(OpenBreakGlass{case_id, "  Klients ieradās ārpus grafika  "});
  REQUIRE(id.ok());
  {
    auto st = f.db.Prepare(
        "SELECT case_id, user_id, reason, opened_at, until, scope"
        " FROM break_glass WHERE id=?");
    REQUIRE(st.ok());
    st->Bind(1, *id);
    REQUIRE(st->Step().value());
    CHECK(st->Text(0) == case_id);
    CHECK(st->Text(1) == f.officer2);
    CHECK(st->Text(2) == "Klients ieradās ārpus grafika");
    CHECK(st->Text(3) == "2026-03-16T12:00:00Z");
    CHECK(st->Text(4) == "2026-03-16T21:59:59Z");  // midnight in Riga (winter time, UTC+2)
    CHECK(st->Text(5) == "case:" + case_id);
  }
  CHECK(AuditCount(f, f.officer2, "break_glass") == 1);
  CHECK(f.Outbox() > outbox);  // the row and its audit entry go to the owner and supervisors

  auto file = deputy->CaseFile(case_id);
  REQUIRE(file.ok());
  CHECK(file->client.surname == "Bērziņš");
  CHECK_FALSE(file->break_glass_until.empty());
  CHECK_FALSE(file->sealed);
  CHECK(AuditCount(f, f.officer2, "read") == reads + 1);  // the read is audited as every read
  CHECK((*deputy->CoveredCases())[0].break_glass_until == file->break_glass_until);

  // The daily work: contacts, their outcomes, notes.
  auto contact = deputy->Execute(PlannedContact(case_id));
  REQUIRE(contact.ok());
  REQUIRE(deputy
              ->Execute(
                  RecordContactOutcome{*contact, ContactStatus::kHeld, "16.03.2026", "Ieradās", ""})
              .ok());
  REQUIRE(deputy->Execute(AddNote{case_id, "Aizvietoju kolēģi.", "", ""}).ok());
  CHECK(f.db.QueryInt("SELECT count(*) FROM contact WHERE case_id=? AND officer_id=?", case_id,
                      f.officer2)
            .value() == 1);
  // Not the owner's decisions.
  CheckCode(deputy->Execute(RecordViolation{case_id, ViolationKind::kWarning, "16.03.2026",
                                            "Nokavēja tikšanos"}),
            Errc::kNotPermitted);
  CheckCode(deputy->Execute(CloseCase{case_id, "16.03.2026"}), Errc::kNotPermitted);

  // The next day (cover still on) the break-glass has ended: refused again.
  auto tomorrow = AsAt(f, f.officer2, testing::kPinnedNowMs + kDayMs);
  CheckRefused(tomorrow->CaseFile(case_id), Errc::kNotPermitted, "opens only by break-glass");

  // The audit chains verify after the break-glass.
  auto report = VerifyAuditChains(f.db);
  REQUIRE(report.ok());
  CHECK(report->sound());
}

TEST_CASE(
    "break-glass: refused outside the cover's days and for an officer who does not "
    "cover",
    "[client][break_glass]") {
  testing::ModelFixture f;
  auto owner = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*owner);
  const std::string reason = "Klients zvanīja, steidzami";

  // Before the cover starts (keys arrive early; the case is on the device).
  SetCover(f.db, f.officer, f.officer2, "2026-03-17", "2026-03-20");
  auto deputy = f.As(f.officer2);
  CHECK(deputy->CoveredCases()->empty());
  CheckCode(deputy->Execute(OpenBreakGlass{case_id, reason}), Errc::kNotPermitted,
            "covering today");
  CheckRefused(deputy->CaseFile(case_id), Errc::kNotPermitted, "read case");

  // During: opens; after the cover's last day it reads nothing, break-glass or not.
  SetCover(f.db, f.officer, f.officer2, "2026-03-10", "2026-03-16");
  REQUIRE(deputy->Execute(OpenBreakGlass{case_id, reason}).ok());
  REQUIRE(deputy->CaseFile(case_id).ok());
  SetCover(f.db, f.officer, f.officer2, "2026-03-10", "2026-03-15");  // the cover was ended
  CheckRefused(deputy->CaseFile(case_id), Errc::kNotPermitted, "read case");
  CheckCode(deputy->Execute(AddNote{case_id, "Vēl viena piezīme.", "", ""}), Errc::kNotPermitted);
  CHECK(f.Count("break_glass") == 1);

  // An officer no cover names: the other unit's officer, and a cover for someone else.
  SetCover(f.db, f.officer, f.officer2, "2026-03-10", "2026-03-20");
  auto stranger = f.As(f.officer_other_unit);
  CheckCode(stranger->Execute(OpenBreakGlass{case_id, reason}), Errc::kNotPermitted);
  CheckRefused(stranger->CaseFile(case_id), Errc::kNotPermitted);
  // A cover across units grants nothing.
  SetCover(f.db, f.officer, f.officer_other_unit, "2026-03-10", "2026-03-20");
  CheckCode(stranger->Execute(OpenBreakGlass{case_id, reason}), Errc::kNotPermitted);
  CHECK(stranger->CoveredCases()->empty());
  // The owner reads the case already; a supervisor reads it by role.
  CheckCode(owner->Execute(OpenBreakGlass{case_id, reason}), Errc::kNotPermitted, "read it");
  CheckCode(f.As(f.supervisor)->Execute(OpenBreakGlass{case_id, reason}), Errc::kNotPermitted);
  CheckCode(f.As(f.coordinator)->Execute(OpenBreakGlass{case_id, reason}), Errc::kNotPermitted);
  CHECK(f.Count("break_glass") == 1);

  // The directory replaces the covers whole.
  REQUIRE(MaterialiseDirectory(f.db, sync::EngineDirectory{}).ok());
  CHECK(f.Count("org_cover") == 0);
}

TEST_CASE("sealing: a closed juvenile case opens only by break-glass, read only",
          "[client][break_glass][sealing]") {
  testing::ModelFixture f;
  auto owner = f.As(f.officer);
  RegisterClient r;
  r.name = "Roberts";
  r.surname = "Kļaviņš";
  r.personal_code = testing::kCode2009;
  r.birth_date = "12.07.2009";
  r.tags = {ClientTag::kJuvenile};
  r.opened_on = "01.02.2026";
  const std::string case_id = f.Must(owner->Execute(r));
  const std::string adult = f.RegisterBerzins(*owner);
  REQUIRE(owner->CaseFile(case_id).ok());  // open: not sealed
  f.Must(owner->Execute(CloseCase{case_id, "15.03.2026"}));
  f.Must(owner->Execute(CloseCase{adult, "15.03.2026"}));
  REQUIRE(owner->CaseFile(adult).ok());  // an adult's closed case is not sealed

  // Listed as sealed, without details.
  CaseloadFilter all;
  all.status.reset();
  auto rows = owner->Caseload(all);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  for (const auto& row : *rows) {
    CHECK(row.sealed == (row.case_id == case_id));
    if (row.sealed) {
      CHECK(row.surname == "Kļaviņš");
      CHECK(row.personal_code.empty());
    }
  }

  auto sup = f.As(f.supervisor);
  CheckRefused(owner->CaseFile(case_id), Errc::kNotPermitted,
               "is sealed: it opens only by break-glass");
  CheckRefused(sup->CaseFile(case_id), Errc::kNotPermitted, "sealed");
  CheckCode(owner->Execute(AddNote{case_id, "Piezīme.", "", ""}), Errc::kNotPermitted);
  CheckCode(owner->Execute(OpenBreakGlass{case_id, "īss"}), Errc::kValidation, "reason:");
  CHECK(f.Count("break_glass") == 0);
  // Nobody else may open it, not even a deputy.
  SetCover(f.db, f.officer, f.officer2, "2026-03-10", "2026-03-20");
  CheckCode(f.As(f.officer2)->Execute(OpenBreakGlass{case_id, "Tiesa pieprasa lietu"}),
            Errc::kNotPermitted, "sealed");

  REQUIRE(owner->Execute(OpenBreakGlass{case_id, "Tiesa pieprasa izziņu"}).ok());
  auto file = owner->CaseFile(case_id);
  REQUIRE(file.ok());
  CHECK(file->sealed);
  CHECK(file->client.surname == "Kļaviņš");
  // Read only, for the owner too.
  CheckCode(owner->Execute(AddNote{case_id, "Piezīme.", "", ""}), Errc::kNotPermitted);
  CheckCode(owner->Execute(CorrectRecord{"probation_case", case_id, "closed_on", "14.03.2026",
                                         "Kļūda datumā"}),
            Errc::kNotPermitted);
  // The supervisor still needs their own.
  CheckRefused(sup->CaseFile(case_id), Errc::kNotPermitted, "sealed");
  REQUIRE(sup->Execute(OpenBreakGlass{case_id, "Pārskats pēc iesnieguma"}).ok());
  REQUIRE(sup->CaseFile(case_id).ok());
  CHECK(AuditCount(f, f.supervisor, "break_glass") == 1);

  // The owner's agenda shows the supervisor's break-glass, not the owner's own.
  auto agenda = BuildAgenda(*owner, f.db);
  REQUIRE(agenda.ok());
  int seen = 0;
  for (const auto& i : agenda->items) {
    if (i.kind != AgendaKind::kBreakGlass) continue;
    ++seen;
    CHECK(i.by_user_id == f.supervisor);
    CHECK(i.by_user_name == "Anna Vītola");
    CHECK(i.detail == "Pārskats pēc iesnieguma");
    CHECK(i.client_surname == "Kļaviņš");
    CHECK(i.due_on == "2026-03-16");
  }
  CHECK(seen == 1);

  auto report = VerifyAuditChains(f.db);
  REQUIRE(report.ok());
  CHECK(report->sound());
}

TEST_CASE("break-glass and covers count days in Latvia: after midnight in Riga the day is over",
          "[client][break_glass]") {
  testing::ModelFixture f;
  auto owner = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*owner);
  SetCover(f.db, f.officer, f.officer2, "2026-03-10", "2026-03-16");
  const std::int64_t noon = testing::kPinnedNowMs;  // 2026-03-16T12:00:00Z, 14:00 in Riga

  // 23:30 in Riga on 16.03 (21:30 UTC): the cover's last day; the grant ends at midnight there.
  auto late = AsAt(f, f.officer2, noon + 9 * 3'600'000 + 1'800'000);
  CHECK(late->Today() == "2026-03-16");
  auto id = late->Execute(OpenBreakGlass{case_id, "Klients zvanīja vēlu vakarā"});
  REQUIRE(id.ok());
  CHECK(f.db.QueryInt("SELECT count(*) FROM break_glass WHERE id=? AND until=?", *id,
                      "2026-03-16T21:59:59Z")
            .value() == 1);
  CHECK(late->CaseFile(case_id).ok());

  // 00:30 in Riga on 17.03 (22:30 UTC, still the 16th in UTC): a new day in Latvia, so the
  // grant has ended and the cover is over; nothing opens and nothing is written.
  auto after = AsAt(f, f.officer2, noon + 10 * 3'600'000 + 1'800'000);
  CHECK(after->Today() == "2026-03-17");
  CheckRefused(after->CaseFile(case_id), Errc::kNotPermitted);
  const auto rows = f.Count("break_glass");
  CheckCode(after->Execute(OpenBreakGlass{case_id, "Klients zvanīja pēc pusnakts"}),
            Errc::kNotPermitted);
  CHECK(f.Count("break_glass") == rows);
}

TEST_CASE("break-glass: the owner's and the supervisors' agendas list it for 30 days",
          "[client][break_glass][agenda]") {
  testing::ModelFixture f;
  auto owner = f.As(f.officer);
  const std::string case_id = f.RegisterBerzins(*owner);
  SetCover(f.db, f.officer, f.officer2, "2026-03-10", "2026-03-20");
  auto deputy = f.As(f.officer2);
  REQUIRE(deputy->Execute(OpenBreakGlass{case_id, "Klients ieradās ārpus grafika"}).ok());

  auto count = [&](Workspace& ws, const std::string& day) {
    auto a = BuildAgenda(ws, f.db, day);
    REQUIRE(a.ok());
    int n = 0;
    for (const auto& i : a->items) {
      if (i.kind != AgendaKind::kBreakGlass) continue;
      ++n;
      CHECK(i.case_id == case_id);
      CHECK(i.by_user_name == "Jānis Kalniņš");
      CHECK(i.detail == "Klients ieradās ārpus grafika");
      CHECK(i.client_name == "Jānis");
      CHECK(i.bucket == AgendaBucket::kThisWeek);
    }
    return n;
  };
  CHECK(count(*owner, "2026-03-16") == 1);
  CHECK(count(*f.As(f.supervisor), "2026-03-16") == 1);
  CHECK(count(*owner, "2026-04-15") == 1);   // 30 days on
  CHECK(count(*owner, "2026-04-16") == 0);   // older: gone
  CHECK(count(*deputy, "2026-03-16") == 0);  // not the one who opened it
  CHECK(count(*f.As(f.officer_other_unit), "2026-03-16") == 0);
}
