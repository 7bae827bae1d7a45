// The volunteer coordinator's desktop in the real lietvedis-desktop under Xvfb: the
// *Reģistrēt sesiju* form kept per client card (typed text stays with its card, a refusal
// shows beside its field, a lock drops the drafts), and the sign-off backlog on her agenda
// (a row opens the card with the session ready to sign off). Each reads back through the
// Workspace what the screen wrote.
#include <catch2/catch.hpp>
#include <string>

#include "client/agenda.hpp"
#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/desktop_support.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using testing::desktop::PrepareOfficerStore;
using testing::desktop::RunScriptTextAs;
using testing::desktop::SignInAs;

namespace {

// Card A is Žanete Ūdre (the officer store's client), card B Pēteris Kalniņš; both referred
// for peer mentoring, Inese Lāce (certified) their mentor from 02.03.2026.
struct TwoCards {
  std::string a, b, assignment_a, assignment_b;
};

TwoCards PrepareTwoCards(const std::string& data) {
  TwoCards t;
  t.a = PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
    client::RegisterClient c;
    c.name = "Pēteris";
    c.surname = "Kalniņš";
    c.personal_code = "150385-11001";
    c.kind = client::CaseKind::kConditionalSentence;
    c.opened_on = "01.03.2026";
    auto registered = ws.Execute(c);
    REQUIRE(registered.ok());
    t.b = *registered;
    REQUIRE(ws.Execute(client::ReferToMentoring{id, "02.03.2026", "02.03.2026"}).ok());
    REQUIRE(ws.Execute(client::ReferToMentoring{t.b, "02.03.2026", "02.03.2026"}).ok());
  });
  ui::Session s;
  SignInAs(s, data, "volunteer_coordinator");
  client::Workspace& coord = *s.workspace();
  auto mentor = coord.Execute(client::RegisterVolunteer{"", "Inese", "Lāce", "", "", "01.02.2026",
                                                        client::VolunteerKind::kPeerMentor});
  REQUIRE(mentor.ok());
  for (auto stage : {client::VolunteerStage::kEvaluation, client::VolunteerStage::kInterview,
                     client::VolunteerStage::kTraining, client::VolunteerStage::kCertified}) {
    REQUIRE(coord.Execute(client::AdvanceVolunteerStage{*mentor, stage, "", ""}).ok());
  }
  auto on_a = coord.Execute(client::AssignMentor{t.a, *mentor, "02.03.2026"});
  auto on_b = coord.Execute(client::AssignMentor{t.b, *mentor, "02.03.2026"});
  REQUIRE(on_a.ok());
  REQUIRE(on_b.ok());
  t.assignment_a = *on_a;
  t.assignment_b = *on_b;
  s.Lock();
  return t;
}

constexpr const char* kDraftsScript = R"(expect "Gaida jūsu apstiprinājumu"
expect_not "Brīvprātīgo reģistrs"
idle
click "#nav_cards"
idle
click "#card_search"
type "udre"
wait 2
click "#card0"
idle
wait 2
click "#s_held_on"
type "@TODAY@"
key Tab
key ctrl+a
type "45"
click "#s_note"
type "Sesija ar Ūdri par darbu"
wait 1
expect "nesaglabāta sesija"
# Card B: its own form, empty.
click "#card_search"
key ctrl+a
type "kalni"
wait 2
click "#card0"
idle
wait 2
expect "Pēteris Kalniņš"
expect_not "Sesija ar Ūdri par darbu"
expect_not "nesaglabāta sesija"
# A refusal on B: a note without a day is shown beside the day, nothing written.
click "#s_note"
type "Kalniņa piezīme"
click "#log_session"
idle
wait 2
expect "obligāts lauks"
screenshot "@OUT@/card-session-refused.png"
# Back to A: its note is where it was typed; B's is not there.
click "#card_search"
key ctrl+a
type "udre"
wait 2
click "#card0"
idle
wait 2
expect "Sesija ar Ūdri par darbu"
expect_not "Kalniņa piezīme"
expect_not "obligāts lauks"
click "#log_session"
idle
wait 2
expect "45 min"
# Saved: A's form is empty again (the note shows once, in the session list).
expect_not "nesaglabāta sesija"
# B still holds its typed note; a lock drops it with the session.
click "#card_search"
key ctrl+a
type "kalni"
wait 2
click "#card0"
idle
wait 2
expect "Kalniņa piezīme"
click "#lock"
idle
expect "Atbloķēt datu krātuvi"
click "#passphrase"
type "demo-parole-2026"
click "#unlock"
idle
wait 2
expect "Gaida jūsu apstiprinājumu"
click "#nav_cards"
idle
click "#card_search"
type "kalni"
wait 2
click "#card0"
idle
wait 2
expect "Pēteris Kalniņš"
expect_not "Kalniņa piezīme"
quit
)";

// The coordinator's desktop starts on her agenda: the backlog is the first thing she sees.
constexpr const char* kBacklogScript = R"(idle
wait 2
expect "Gaida jūsu apstiprinājumu"
expect "Sesija gaida apstiprinājumu"
expect_not "Brīvprātīgo reģistrs"
expect "Inese Lāce"
expect "Ūdre Žanete"
screenshot "@OUT@/coordinator-agenda.png"
click "#agenda_this_week_0"
idle
wait 2
expect "Žanete Ūdre"
expect "Gaida jūsu apstiprinājumu"
click "#sign_off"
idle
wait 2
expect "Apstiprināta"
click "#nav_agenda"
idle
wait 2
expect_not "Sesija gaida apstiprinājumu"
quit
)";

}  // namespace

TEST_CASE("the coordinator's session form is kept per client card",
          "[ui][gl][slow][mentoring][unsaved]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const TwoCards t = PrepareTwoCards(data);
  RunScriptTextAs(dir, data, "card_session_drafts.lvs", kDraftsScript, {}, "volunteer_coordinator");
  testing::desktop::CheckScreenshot(dir / "card-session-refused.png");

  ui::Session s;
  SignInAs(s, data, "volunteer_coordinator");
  auto a = s.workspace()->Mentoring(t.a);
  REQUIRE(a.ok());
  REQUIRE(a->sessions.size() == 1);
  CHECK(a->sessions[0].note == "Sesija ar Ūdri par darbu");
  CHECK(a->sessions[0].duration_minutes == 45);
  CHECK(a->sessions[0].assignment_id == t.assignment_a);
  CHECK(a->sessions[0].held_on == s.workspace()->Today());
  auto b = s.workspace()->Mentoring(t.b);
  REQUIRE(b.ok());
  CHECK(b->sessions.empty());  // the refused log and the typed note wrote nothing
}

TEST_CASE("the coordinator signs off a session from her agenda's backlog",
          "[ui][gl][slow][mentoring][agenda]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const TwoCards t = PrepareTwoCards(data);
  std::string session_id;
  {
    // Another coordinator of the unit logs a session on card A.
    ui::Session s;
    SignInAs(s, data, "volunteer_coordinator");
    const std::string unit = s.workspace()->actor().unit_id;
    auto laura = client::BootstrapUser(*s.db(), *s.replica(), "Laura Zariņa",
                                       client::Role::kVolunteerCoordinator, unit);
    REQUIRE(laura.ok());
    REQUIRE(s.SignIn(*laura).ok());
    auto logged = s.workspace()->Execute(client::LogMentoringSession{
        t.assignment_a, "10.03.2026", 60, client::MentoringMode::kInPerson, "Piezīme"});
    REQUIRE(logged.ok());
    session_id = *logged;
    s.Lock();
  }
  RunScriptTextAs(dir, data, "coordinator_backlog.lvs", kBacklogScript, {},
                  "volunteer_coordinator");
  testing::desktop::CheckScreenshot(dir / "coordinator-agenda.png");
  testing::desktop::KeepForDocs(dir / "coordinator-agenda.png",
                                "screenshot-coordinator-agenda.png");

  ui::Session s;
  SignInAs(s, data, "volunteer_coordinator");
  auto a = s.workspace()->Mentoring(t.a);
  REQUIRE(a.ok());
  REQUIRE(a->sessions.size() == 1);
  CHECK(a->sessions[0].id == session_id);
  CHECK(a->sessions[0].signed_off_by == s.workspace()->actor().user_id);
  CHECK_FALSE(a->sessions[0].signed_off_at.empty());
  auto agenda = client::BuildAgenda(*s.workspace(), *s.db());
  REQUIRE(agenda.ok());
  for (const auto& item : agenda->items) CHECK(item.kind != client::AgendaKind::kMentoringSignoff);
}

// The assignment on card A ends: first on a day before its logged session (refused under the
// day, nothing written), then on a day after it, with Enter; the card then offers a new mentor.
constexpr const char* kEndAssignmentScript = R"(idle
click "#nav_cards"
idle
click "#card_search"
type "udre"
wait 2
click "#card0"
idle
wait 2
expect_not "Piesaistīt līdzgaitnieku"
click "#end_assignment_0"
wait 2
click "#end_assignment_on"
key ctrl+a
type "05.03.2026"
click "#end_assignment_save"
idle
wait 2
expect "agrāk par jau reģistrētu sesiju"
click "#end_assignment_on"
key ctrl+a
type "12.03.2026"
key Enter
idle
wait 3
expect "Inese Lāce, 02.03.2026 – 12.03.2026"
expect "Piesaistīt līdzgaitnieku"
expect_not "Beigt piesaisti"
quit
)";

TEST_CASE("the coordinator ends a mentor assignment on the client's card",
          "[ui][gl][slow][mentoring]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const TwoCards t = PrepareTwoCards(data);
  {
    ui::Session s;
    SignInAs(s, data, "volunteer_coordinator");
    REQUIRE(s.workspace()
                ->Execute(client::LogMentoringSession{t.assignment_a, "10.03.2026", 60,
                                                      client::MentoringMode::kInPerson, "Piezīme"})
                .ok());
    s.Lock();
  }
  RunScriptTextAs(dir, data, "end_assignment.lvs", kEndAssignmentScript, {},
                  "volunteer_coordinator");

  ui::Session s;
  SignInAs(s, data, "volunteer_coordinator");
  auto a = s.workspace()->Mentoring(t.a);
  REQUIRE(a.ok());
  REQUIRE(a->assignments.size() == 1);
  CHECK(a->assignments[0].ended_on == "2026-03-12");
  CHECK(a->sessions.size() == 1);  // the session stays with the case
  auto b = s.workspace()->Mentoring(t.b);
  REQUIRE(b.ok());
  REQUIRE(b->assignments.size() == 1);
  CHECK(b->assignments[0].ended_on.empty());  // the other card's assignment is untouched
}

// The desktop applies the client-card rules as the CLI does before every command: a card whose
// referral ended longer ago than the unit's grace period loses the client's name and phone at
// the officer's next sign-in (and before every sync), so a coordinator does not keep them
// because the officer works only in the desktop.
TEST_CASE("the desktop empties a card past its grace period at the officer's sign-in",
          "[ui][mentoring][privacy]") {
  testing::TempDir dir;
  const std::string data = dir / "store";
  const std::string ended_on = testing::desktop::DaysFromToday(-10);
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string& id) {
        auto referral = ws.Execute(client::ReferToMentoring{id, "02.03.2026", "02.03.2026"});
        REQUIRE(referral.ok());
        REQUIRE(ws.Execute(client::EndMentoringReferral{*referral, ended_on}).ok());
      });
  auto card_named = [&](ui::Session& s) {
    return s.db()
        ->QueryInt(
            "SELECT count(*) FROM client_card WHERE id=? AND name IS NOT NULL AND "
            "voided_at IS NULL",
            case_id)
        .value();
  };
  {
    // Ten days after the end, within the default 30: the card keeps the name. The supervisor
    // shortens the grace period to 5 days; a setting voids nothing by itself.
    ui::Session s;
    SignInAs(s, data, "supervisor");
    CHECK(card_named(s) == 1);
    REQUIRE(s.workspace()->Execute(client::SetUnitSetting{"mentoring.card_grace_days", "5"}).ok());
    CHECK(card_named(s) == 1);
    s.Lock();
  }
  ui::Session s;
  SignInAs(s, data, "officer");
  CHECK(card_named(s) == 0);
  CHECK(s.db()
            ->QueryInt("SELECT count(*) FROM client_card WHERE id=? AND voided_at IS NOT NULL AND "
                       "name IS NULL AND phone IS NULL AND name_fold IS NULL",
                       case_id)
            .value() == 1);
  auto cards = s.workspace()->ClientCards();
  REQUIRE(cards.ok());
  for (const auto& card : *cards) CHECK(card.case_id != case_id);
}
