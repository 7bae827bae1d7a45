// Volunteers and peer mentoring: selection stages, assignment, session logs, sign-off; the
// coordinator's card kept current by the officer's workflows.
#include <catch2/catch.hpp>

#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

std::string CertifiedMentor(ModelFixture& f, Workspace& coord) {
  const std::string v = f.Must(
      coord.Execute(RegisterVolunteer{"", "Inese", "Lāce", "+371 29999999", "inese@example.lv",
                                      "01.02.2026", VolunteerKind::kPeerMentor}));
  for (VolunteerStage s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                           VolunteerStage::kTraining, VolunteerStage::kCertified}) {
    REQUIRE(coord.Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
  }
  return v;
}

}  // namespace

TEST_CASE("volunteer selection advances one stage at a time and keeps its history",
          "[client][mentoring]") {
  ModelFixture f;
  auto coord = f.As(f.coordinator);
  const std::string v = f.Must(coord->Execute(
      RegisterVolunteer{"", "Inese", "Lāce", "", "", "01.02.2026", VolunteerKind::kCircleMember}));
  auto skip = coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kTraining, "", ""});
  REQUIRE_FALSE(skip.ok());
  CHECK(skip.error().code == Errc::kValidation);
  CHECK(skip.error().message.find("stage") != std::string::npos);
  REQUIRE(
      coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kEvaluation, "05.02.2026", ""}).ok());
  REQUIRE(
      coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kWithdrawn, "06.02.2026", "pārcēlās"})
          .ok());
  CHECK(coord->Execute(AdvanceVolunteerStage{v, VolunteerStage::kInterview, "", ""}).error().code ==
        Errc::kNotPermitted);

  auto reg = coord->VolunteerRegister();
  REQUIRE(reg.ok());
  REQUIRE(reg->volunteers.size() == 1);
  CHECK(reg->volunteers[0].stage == VolunteerStage::kWithdrawn);
  CHECK(reg->volunteers[0].kind == VolunteerKind::kCircleMember);
  REQUIRE(reg->stage_events.size() == 3);
  CHECK(reg->stage_events[0].stage == VolunteerStage::kApplication);
  CHECK(reg->stage_events[2].note == "pārcēlās");
  CHECK(f.db.QueryInt("SELECT count(*) FROM volunteer WHERE scope=?", VolunteersScope(f.unit))
            .value() == 1);

  auto bad =
      coord->Execute(RegisterVolunteer{"", "", "Lāce", "", "", "", VolunteerKind::kPeerMentor});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("name") != std::string::npos);
}

TEST_CASE("mentor assignment, session log and coordinator sign-off", "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string case_id = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, case_id);

  const std::string applicant = f.Must(coord->Execute(
      RegisterVolunteer{"", "Ojārs", "Egle", "", "", "", VolunteerKind::kPeerMentor}));
  auto uncertified = coord->Execute(AssignMentor{case_id, applicant, ""});
  REQUIRE_FALSE(uncertified.ok());
  CHECK(uncertified.error().message.find("certified") != std::string::npos);

  const std::string mentor = CertifiedMentor(f, *coord);
  const std::string assignment =
      f.Must(coord->Execute(AssignMentor{case_id, mentor, "02.03.2026"}));
  CHECK(coord->Execute(AssignMentor{case_id, mentor, ""}).error().code ==
        Errc::kValidation);  // one at a time

  LogMentoringSession log{assignment, "10.03.2026", 45, MentoringMode::kOnline,
                          "runājām par darba meklēšanu"};
  const std::string session = f.Must(coord->Execute(log));
  LogMentoringSession zero = log;
  zero.duration_minutes = 0;
  CHECK(coord->Execute(zero).error().message.find("duration_minutes") != std::string::npos);
  LogMentoringSession future = log;
  future.held_on = "01.04.2026";
  CHECK(coord->Execute(future).error().message.find("held_on") != std::string::npos);

  // The officer reads the mentoring view (own case) but cannot log or sign off.
  CHECK(officer->Execute(log).error().code == Errc::kNotPermitted);
  CHECK(officer->Execute(SignOffMentoringSession{session, ""}).error().code == Errc::kNotPermitted);

  // Another coordinator of the unit signs off (the one who logged it may not).
  const std::string coordinator2 =
      f.Must(BootstrapUser(f.db, *f.replica, "Laura Zariņa", Role::kVolunteerCoordinator, f.unit));
  auto coord2 = f.As(coordinator2);
  REQUIRE(coord2->Execute(SignOffMentoringSession{session, "apstiprināts"}).ok());
  CHECK(coord2->Execute(SignOffMentoringSession{session, ""}).error().code == Errc::kNotPermitted);
  {
    // A second sign-off arriving from another device (written as sync would: straight
    // through the replica) does not list the session twice; the earlier one counts.
    auto tx = storage::Transaction::Begin(f.db);
    REQUIRE(tx.ok());
    REQUIRE(f.replica
                ->Write("mentoring_signoff", "remote-signoff", MentoringScope(case_id),
                        {{"session_id", session},
                         {"signed_by", std::string("other-coordinator")},
                         {"signed_at", std::string("2099-01-01T00:00:00Z")}})
                .ok());
    REQUIRE(tx->Commit().ok());
  }

  auto view = officer->Mentoring(case_id);
  REQUIRE(view.ok());
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE action='read' AND scope=? AND user_id=?",
                      MentoringScope(case_id), f.officer)
            .value() == 1);
  REQUIRE(view->assignments.size() == 1);
  CHECK(view->assignments[0].volunteer_name == "Inese Lāce");
  REQUIRE(view->sessions.size() == 1);
  CHECK(view->sessions[0].duration_minutes == 45);
  CHECK(view->sessions[0].mode == MentoringMode::kOnline);
  CHECK(view->sessions[0].signed_off_by == coordinator2);
  // Logs and sign-offs live in the mentoring scope, never in the case scope.
  CHECK(
      f.db.QueryInt("SELECT count(*) FROM mentoring_session WHERE scope=?", MentoringScope(case_id))
          .value() == 1);
  CHECK(
      f.db.QueryInt("SELECT count(*) FROM mentoring_signoff WHERE scope=?", MentoringScope(case_id))
          .value() == 2);

  // A wrong duration in a (append-only) session log is corrected by an appended entry.
  const std::string fix = f.Must(coord->Execute(
      CorrectRecord{"mentoring_session", session, "duration_minutes", "60", "pārrakstīšanās"}));
  view = officer->Mentoring(case_id);
  CHECK(view->sessions[0].duration_minutes == 45);
  REQUIRE(view->corrections.size() == 1);
  CHECK(view->corrections[0].id == fix);
  CHECK(view->corrections[0].value == "60");
  CHECK(officer->Execute(CorrectRecord{"mentoring_session", session, "duration_minutes", "30", "x"})
            .error()
            .code == Errc::kNotPermitted);
  CHECK(coord->Execute(CorrectRecord{"audit", "x", "action", "y", "z"}).error().code ==
        Errc::kValidation);

  REQUIRE(coord->Execute(EndMentorAssignment{assignment, "15.03.2026"}).ok());
  CHECK(coord->Execute(EndMentorAssignment{assignment, ""}).error().code ==
        Errc::kNotPermitted);  // already ended
  LogMentoringSession after_end = log;
  after_end.held_on = "16.03.2026";
  auto late = coord->Execute(after_end);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == Errc::kValidation);
  CHECK(late.error().message == "held_on: after the assignment ended on 15.03.2026");
  CHECK(coord->VolunteerRegister()->active_assignments.empty());
}

TEST_CASE("the coordinator's card follows the client's details and the responsible officer",
          "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  auto sup = f.As(f.supervisor);
  const std::string case_id = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, case_id);

  UpdateClientDetails upd;
  upd.case_id = case_id;
  upd.name = "Jānis";
  upd.surname = "Bērziņš-Kalns";
  upd.phone = "+371 21111111";
  upd.email = "";
  upd.address = "Liepāja, Jūras iela 2";
  REQUIRE(officer->Execute(upd).ok());
  auto view = coord->Mentoring(case_id);
  REQUIRE(view.ok());
  CHECK(view->card.surname == "Bērziņš-Kalns");
  CHECK(view->card.phone == "+371 21111111");
  CHECK(view->card.email.empty());
  CHECK(coord->ClientCards("kalns")->size() == 1);

  REQUIRE(sup->Execute(ReassignCase{case_id, f.officer2}).ok());
  // The scope list the sync layer registers follows the new owner for both scopes.
  auto scopes = LocalScopes(f.db);
  REQUIRE(scopes.ok());
  int owned = 0;
  for (const auto& s : *scopes) {
    if (s.scope == CaseScope(case_id) || s.scope == MentoringScope(case_id)) {
      CHECK(s.owner_user_id == f.officer2);
      CHECK(s.unit_id == f.unit);
      ++owned;
    }
  }
  CHECK(owned == 2);
  CHECK(scopes->front().scope == "case:" + case_id);
  view = coord->Mentoring(case_id);
  CHECK(view->card.responsible_officer_id == f.officer2);
  CHECK(view->card.responsible_officer_name == "Jānis Kalniņš");

  // The card carries no case content: only these columns replicate in the mentoring scope.
  for (const auto& t : ReplicatedTables()) {
    if (t.name != "client_card") continue;
    CHECK(t.columns == std::vector<std::string>{"case_id", "unit_id", "name", "surname", "phone",
                                                "email", "responsible_officer_id", "name_fold",
                                                "voided_at", "circle"});
  }
  // Nothing the coordinator may read (mentoring and volunteers scopes) holds case-only tables.
  CHECK(f.db.QueryInt(
                "SELECT count(*) FROM sync_outbox WHERE scope LIKE 'mentoring:%' AND tbl IN "
                "('client','assessment','note','supervision_section','probation_case','contact')")
            .value() == 0);
}

// ---------------------------------------------------------------------------------------
// Least privilege: the card reaches the coordinator only for clients referred for peer
// mentoring, never carries the personal code, and leaves after the referral's grace period.

namespace {

// Ships every change of the scopes a coordinator receives (org, volunteers:, mentoring:) from
// one device's outbox to another store, as the central store would after a sync. Re-delivery
// is a no-op, so it may run again after more writes.
void ShipToCoordinator(sync::Replica& from, storage::Database& to_db, sync::Replica& to) {
  auto batches = from.ReadOutbox(1'000'000, 1'000'000);
  REQUIRE(batches.ok());
  auto tx = storage::Transaction::Begin(to_db);
  REQUIRE(tx.ok());
  for (const auto& b : *batches) {
    const bool readable = b.scope == "org" || b.scope.rfind("mentoring:", 0) == 0 ||
                          b.scope.rfind("volunteers:", 0) == 0;
    if (!readable) continue;
    auto applied = to.ApplyRemote(b.changes);
    INFO((applied.ok() ? std::string() : applied.error().message));
    REQUIRE(applied.ok());
  }
  REQUIRE(tx->Commit().ok());
}

std::string RegisterClient2(ModelFixture& f, Workspace& ws, const char* name, const char* surname,
                            const char* code) {
  RegisterClient c;
  c.name = name;
  c.surname = surname;
  c.personal_code = code;
  c.phone = "+371 26000000";
  c.kind = CaseKind::kConditionalSentence;
  c.opened_on = "01.02.2026";
  return f.Must(ws.Execute(c));
}

}  // namespace

TEST_CASE("a client card exists only for clients referred for peer mentoring",
          "[client][mentoring][privacy]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string referred = f.RegisterBerzins(*officer);
  const std::string other = RegisterClient2(f, *officer, "Anna", "Ozola", testing::kCode1990);

  // Registered, not referred: no card, no mentoring scope, nothing queued for one.
  CHECK(f.Count("client_card") == 0);
  CHECK(coord->ClientCards()->empty());
  CHECK(coord->Mentoring(referred).error().code == Errc::kNotFound);
  CHECK(f.db.QueryInt("SELECT count(*) FROM sync_outbox WHERE scope LIKE 'mentoring:%'").value() ==
        0);

  // The referral needs the client's consent date; bad input writes nothing.
  const auto outbox = f.Outbox();
  auto no_consent = officer->Execute(ReferToMentoring{referred, "", ""});
  REQUIRE_FALSE(no_consent.ok());
  CHECK(no_consent.error().code == Errc::kValidation);
  CHECK(no_consent.error().message.rfind("consent_on", 0) == 0);
  CHECK(officer->Execute(ReferToMentoring{referred, "10.03.2026", "09.03.2026"}).error().code ==
        Errc::kValidation);  // referred before consenting
  CHECK(officer->Execute(ReferToMentoring{referred, "17.03.2026", ""}).error().code ==
        Errc::kValidation);  // consent in the future
  CHECK(f.Outbox() == outbox);
  // Only the case's officer refers; the coordinator and the supervisor cannot.
  CHECK(coord->Execute(ReferToMentoring{referred, "05.03.2026", ""}).error().code ==
        Errc::kNotPermitted);
  CHECK(f.As(f.supervisor)->Execute(ReferToMentoring{referred, "05.03.2026", ""}).error().code ==
        Errc::kNotPermitted);

  const std::string referral = f.ReferToMentoring(*officer, referred);
  CHECK(officer->Execute(ReferToMentoring{referred, "05.03.2026", ""}).error().code ==
        Errc::kValidation);  // one active referral per case
  auto file = officer->CaseFile(referred);
  REQUIRE(file->mentoring_referrals.size() == 1);
  CHECK(file->mentoring_referrals[0].id == referral);
  CHECK(file->mentoring_referrals[0].consent_on == "2026-03-05");

  // The card: the documented fields only; its fold is the name, never the personal code.
  CHECK(f.Count("client_card") == 1);
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card WHERE id=? AND name_fold='janis berzins'",
                      referred)
            .value() == 1);
  CHECK(f.db.QueryInt("SELECT count(*) FROM sync_outbox WHERE scope LIKE 'mentoring:%' AND "
                      "CAST(value AS TEXT) LIKE '%11001%'")
            .value() == 0);
  auto cards = coord->ClientCards();
  REQUIRE(cards->size() == 1);
  CHECK(cards->front().case_id == referred);
  CHECK(coord->ClientCards(testing::kCode1985)->empty());
  CHECK(coord->ClientCards("150385")->empty());
  CHECK(coord->ClientCards("berzins")->size() == 1);
  CHECK(coord->ClientCards("ozola")->empty());
  // The officer's own caseload search still finds the personal code (case scope).
  CaseloadFilter by_code;
  by_code.search = testing::kCode1985;
  CHECK(officer->Caseload(by_code)->size() == 1);

  // The scopes this device registers: a mentoring scope for the referred client only.
  auto scopes = LocalScopes(f.db);
  REQUIRE(scopes.ok());
  int mentoring_scopes = 0;
  for (const auto& s : *scopes) {
    if (s.kind == "mentoring") {
      ++mentoring_scopes;
      CHECK(s.scope == MentoringScope(referred));
    }
  }
  CHECK(mentoring_scopes == 1);
  // Updating the other client's details writes no card for it either.
  UpdateClientDetails upd;
  upd.case_id = other;
  upd.name = "Anna";
  upd.surname = "Ozola";
  upd.phone = "+371 26111111";
  REQUIRE(officer->Execute(upd).ok());
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card WHERE id=?", other).value() == 0);
}

TEST_CASE("the coordinator's device holds only referred clients' cards, without personal codes",
          "[client][mentoring][privacy]") {
  ModelFixture f;  // the officer's device
  auto officer = f.As(f.officer);
  const std::string referred = f.RegisterBerzins(*officer);
  const std::string other = RegisterClient2(f, *officer, "Anna", "Ozola", testing::kCode1990);
  f.ReferToMentoring(*officer, referred);

  testing::TempDir dir;  // the coordinator's device: receives org and mentoring scopes
  auto opened = storage::Database::Open(dir / "coordinator.db");
  REQUIRE(opened.ok());
  storage::Database cdb = std::move(opened).value();
  auto crep = OpenClientReplica(cdb, "coordinator-site");
  REQUIRE(crep.ok());
  ShipToCoordinator(*f.replica, cdb, **crep);

  WorkspaceOptions o;
  o.now_ms = [] { return testing::kPinnedNowMs; };
  auto coord = Workspace::Open(cdb, **crep, f.coordinator, o);
  REQUIRE(coord.ok());
  CHECK(cdb.QueryInt("SELECT count(*) FROM client").value() == 0);
  CHECK(cdb.QueryInt("SELECT count(*) FROM client_card").value() == 1);
  CHECK(cdb.QueryInt("SELECT count(*) FROM client_card WHERE id=?", other).value() == 0);
  CHECK(cdb.QueryInt("SELECT count(*) FROM client_card WHERE name_fold LIKE '%1%'").value() == 0);
  CHECK((*coord)->ClientCards()->size() == 1);
  CHECK((*coord)->ClientCards(testing::kCode1985)->empty());
  CHECK((*coord)->ClientCards(testing::kCode1990)->empty());
  CHECK((*coord)->ClientCards("bērziņš")->size() == 1);

  // The referral ends; after the grace period the officer's device voids the card and the
  // coordinator's copy loses the name and phone with the next sync.
  auto file = officer->CaseFile(referred);
  REQUIRE(officer->Execute(EndMentoringReferral{file->mentoring_referrals.at(0).id, "10.03.2026"})
              .ok());
  ShipToCoordinator(*f.replica, cdb, **crep);
  CHECK((*coord)->ClientCards()->size() == 1);  // in grace
  WorkspaceOptions later;
  later.now_ms = [] { return testing::kPinnedNowMs + std::int64_t{30} * 86400000; };
  auto officer_later = Workspace::Open(f.db, *f.replica, f.officer, later);
  REQUIRE(officer_later.ok());
  CHECK((*officer_later)->ApplyClientCardRules().value() == 1);
  ShipToCoordinator(*f.replica, cdb, **crep);
  CHECK((*coord)->ClientCards()->empty());
  CHECK(cdb.QueryInt("SELECT count(*) FROM client_card WHERE name IS NOT NULL OR phone IS NOT "
                     "NULL OR name_fold IS NOT NULL OR voided_at IS NULL")
            .value() == 0);
  CHECK(cdb.QueryInt("SELECT count(*) FROM client_card WHERE id=? AND responsible_officer_id=?",
                     referred, f.officer)
            .value() == 1);
}

TEST_CASE("a card leaves the mentoring scope when the referral's grace period has passed",
          "[client][mentoring][privacy]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string case_id = f.RegisterBerzins(*officer);
  const std::string referral = f.ReferToMentoring(*officer, case_id);
  const std::string mentor = CertifiedMentor(f, *coord);
  const std::string assignment =
      f.Must(coord->Execute(AssignMentor{case_id, mentor, "07.03.2026"}));
  const std::string session = f.Must(coord->Execute(
      LogMentoringSession{assignment, "09.03.2026", 60, MentoringMode::kInPerson, "tikšanās"}));

  auto end_in_future = officer->Execute(EndMentoringReferral{referral, "20.03.2026"});
  CHECK(end_in_future.error().code == Errc::kValidation);
  CHECK(coord->Execute(EndMentoringReferral{referral, ""}).error().code == Errc::kNotPermitted);
  REQUIRE(officer->Execute(EndMentoringReferral{referral, "10.03.2026"}).ok());
  CHECK(officer->Execute(EndMentoringReferral{referral, ""}).error().code ==
        Errc::kNotPermitted);  // already ended

  auto at = [&](int days_after_pin) {
    WorkspaceOptions o;
    o.now_ms = [days_after_pin] {
      return testing::kPinnedNowMs + std::int64_t{days_after_pin} * 86400000;
    };
    auto ws = Workspace::Open(f.db, *f.replica, f.officer, o);
    REQUIRE(ws.ok());
    return std::move(ws).value();
  };
  // Ended on 10.03; the default grace is 30 days: the card stays through 08.04.2026.
  CHECK(officer->ApplyClientCardRules().value() == 0);
  CHECK(at(23)->ApplyClientCardRules().value() == 0);  // 08.04: day 29
  CHECK(coord->ClientCards()->size() == 1);
  CHECK(coord->ApplyClientCardRules().value() == 0);   // only the officer's device writes cards
  CHECK(at(24)->ApplyClientCardRules().value() == 1);  // 09.04: day 30
  CHECK(at(25)->ApplyClientCardRules().value() == 0);  // already void: nothing more to write

  CHECK(coord->ClientCards()->empty());
  CHECK(f.db.QueryInt("SELECT count(*) FROM client_card WHERE id=? AND name IS NULL AND surname "
                      "IS NULL AND phone IS NULL AND email IS NULL AND name_fold IS NULL AND "
                      "voided_at IS NOT NULL",
                      case_id)
            .value() == 1);
  // The blanking travels: the outbox carries NULLs for the card's personal fields.
  CHECK(f.db.QueryInt("SELECT count(*) FROM sync_outbox WHERE tbl='client_card' AND col='name' "
                      "AND value IS NULL")
            .value() == 1);
  // Logged sessions stay with the case; the mentoring view still opens for the coordinator.
  auto view = coord->Mentoring(case_id);
  REQUIRE(view.ok());
  CHECK(view->card.name.empty());
  CHECK_FALSE(view->card.voided_at.empty());
  REQUIRE(view->sessions.size() == 1);
  CHECK(view->sessions[0].id == session);
  // No new sessions or mentors for a client no longer referred; the assignment can be ended.
  auto late =
      coord->Execute(LogMentoringSession{assignment, "12.03.2026", 30, MentoringMode::kOnline, ""});
  CHECK(late.error().code == Errc::kValidation);
  REQUIRE(coord->Execute(EndMentorAssignment{assignment, "12.03.2026"}).ok());
  CHECK(coord->Execute(AssignMentor{case_id, mentor, ""}).error().code == Errc::kValidation);

  // A new referral brings the card back.
  REQUIRE(officer->Execute(ReferToMentoring{case_id, "15.03.2026", ""}).ok());
  REQUIRE(coord->ClientCards()->size() == 1);
  CHECK(coord->ClientCards()->front().phone == "+371 20000000");
}

TEST_CASE("the card grace period is a unit setting, closing a case ends the referral",
          "[client][mentoring][privacy]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto sup = f.As(f.supervisor);
  auto coord = f.As(f.coordinator);
  CHECK(sup->Execute(SetUnitSetting{"mentoring.card_grace_days", "abc"}).error().code ==
        Errc::kValidation);
  CHECK(sup->Execute(SetUnitSetting{"mentoring.card_grace_days", "400"}).error().code ==
        Errc::kValidation);
  REQUIRE(sup->Execute(SetUnitSetting{"mentoring.card_grace_days", "0"}).ok());

  RegisterClient c;
  c.name = "Anna";
  c.surname = "Ozola";
  c.personal_code = testing::kCode1990;
  c.kind = CaseKind::kMediation;
  c.opened_on = "01.03.2026";
  const std::string case_id = f.Must(officer->Execute(c));
  f.ReferToMentoring(*officer, case_id);
  CHECK(coord->ClientCards()->size() == 1);
  REQUIRE(officer->Execute(CloseCase{case_id, "16.03.2026"}).ok());
  // Grace 0: the card is voided in the same command that ended the referral.
  CHECK(coord->ClientCards()->empty());
  auto file = officer->CaseFile(case_id);
  REQUIRE(file->mentoring_referrals.size() == 1);
  CHECK(file->mentoring_referrals[0].ended_on == "2026-03-16");
  // A closed case takes no new referral.
  CHECK(officer->Execute(ReferToMentoring{case_id, "16.03.2026", ""}).error().code ==
        Errc::kNotPermitted);
}

// ---------------------------------------------------------------------------------------
// Governance: sessions dated inside their assignment, four-eyes sign-off, circles of support.

namespace {

std::string CertifiedVolunteer(ModelFixture& f, Workspace& coord, const char* name,
                               VolunteerKind kind) {
  const std::string v =
      f.Must(coord.Execute(RegisterVolunteer{"", name, "Kalna", "", "", "01.02.2026", kind}));
  for (VolunteerStage s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                           VolunteerStage::kTraining, VolunteerStage::kCertified}) {
    REQUIRE(coord.Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
  }
  return v;
}

}  // namespace

TEST_CASE("a mentoring session is dated inside its assignment", "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string case_id = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, case_id);
  const std::string mentor = CertifiedMentor(f, *coord);
  const std::string assignment =
      f.Must(coord->Execute(AssignMentor{case_id, mentor, "07.03.2026"}));

  // Years before the assignment, and the day before it: refused, naming held_on, nothing
  // written.
  const auto outbox = f.Outbox();
  for (const char* day : {"12.05.2019", "06.03.2026"}) {
    auto early =
        coord->Execute(LogMentoringSession{assignment, day, 60, MentoringMode::kInPerson, ""});
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().code == Errc::kValidation);
    CHECK(early.error().message == "held_on: before the assignment started on 07.03.2026");
  }
  CHECK(f.Outbox() == outbox);
  CHECK(f.Count("mentoring_session") == 0);

  // The first day of the assignment is inside it.
  f.Must(coord->Execute(
      LogMentoringSession{assignment, "07.03.2026", 60, MentoringMode::kInPerson, ""}));
  // The end cannot precede the start or a logged session.
  auto before_start = coord->Execute(EndMentorAssignment{assignment, "01.03.2026"});
  CHECK(before_start.error().message == "ended_on: before started_on");
  f.Must(coord->Execute(
      LogMentoringSession{assignment, "12.03.2026", 45, MentoringMode::kOnline, ""}));
  auto before_session = coord->Execute(EndMentorAssignment{assignment, "10.03.2026"});
  REQUIRE_FALSE(before_session.ok());
  CHECK(before_session.error().code == Errc::kValidation);
  CHECK(before_session.error().message == "ended_on: before a logged session of 12.03.2026");
  CHECK(
      f.db.QueryInt("SELECT count(*) FROM mentor_assignment WHERE ended_on IS NOT NULL").value() ==
      0);

  REQUIRE(coord->Execute(EndMentorAssignment{assignment, "13.03.2026"}).ok());
  // A session held before the end may still be logged late; one after it may not.
  f.Must(coord->Execute(
      LogMentoringSession{assignment, "13.03.2026", 30, MentoringMode::kInPerson, "noslēgums"}));
  const auto before_late = f.Outbox();
  auto after = coord->Execute(
      LogMentoringSession{assignment, "14.03.2026", 30, MentoringMode::kInPerson, ""});
  REQUIRE_FALSE(after.ok());
  CHECK(after.error().code == Errc::kValidation);
  CHECK(after.error().message.rfind("held_on: after the assignment ended on 13.03.2026", 0) == 0);
  CHECK(f.Outbox() == before_late);
  CHECK(f.Count("mentoring_session") == 3);
}

TEST_CASE("a session is signed off by a coordinator other than the one who logged it",
          "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string case_id = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, case_id);
  const std::string assignment =
      f.Must(coord->Execute(AssignMentor{case_id, CertifiedMentor(f, *coord), "07.03.2026"}));
  const std::string session = f.Must(coord->Execute(
      LogMentoringSession{assignment, "10.03.2026", 60, MentoringMode::kInPerson, ""}));

  const auto outbox = f.Outbox();
  auto own = coord->Execute(SignOffMentoringSession{session, "labi"});
  REQUIRE_FALSE(own.ok());
  CHECK(own.error().code == Errc::kNotPermitted);
  CHECK(own.error().message.find("logged yourself") != std::string::npos);
  CHECK(f.Outbox() == outbox);
  CHECK(f.Count("mentoring_signoff") == 0);

  // A coordinator of another unit may not either; one of this unit may.
  const std::string elsewhere = f.Must(
      BootstrapUser(f.db, *f.replica, "Ieva Sila", Role::kVolunteerCoordinator, f.other_unit));
  CHECK(f.As(elsewhere)->Execute(SignOffMentoringSession{session, ""}).error().code ==
        Errc::kNotPermitted);
  const std::string second =
      f.Must(BootstrapUser(f.db, *f.replica, "Laura Zariņa", Role::kVolunteerCoordinator, f.unit));
  f.Must(f.As(second)->Execute(SignOffMentoringSession{session, "labi"}));
  auto view = coord->Mentoring(case_id);
  REQUIRE(view.ok());
  REQUIRE(view->sessions.size() == 1);
  CHECK(view->sessions[0].logged_by == f.coordinator);
  CHECK(view->sessions[0].signed_off_by == second);
}

TEST_CASE("a circle of support takes up to five circle members, for a sex-offence case only",
          "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);

  // Bērziņš carries no sex-offence tag: no circle for him, nothing written.
  const std::string plain = f.RegisterBerzins(*officer);
  const auto outbox = f.Outbox();
  ReferToMentoring circle_for_plain{plain, "05.03.2026", "06.03.2026", true};
  auto refused = officer->Execute(circle_for_plain);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::kValidation);
  CHECK(refused.error().message.rfind("circle:", 0) == 0);
  CHECK(f.Outbox() == outbox);
  CHECK(f.Count("mentoring_referral") == 0);
  CHECK(f.Count("client_card") == 0);

  RegisterClient rc;
  rc.name = "Valdis";
  rc.surname = "Krūze";
  rc.personal_code = testing::kCode1990;
  rc.tags = {ClientTag::kSexOffence};
  rc.kind = CaseKind::kConditionalEarlyRelease;
  rc.opened_on = "01.02.2026";
  const std::string circle_case = f.Must(officer->Execute(rc));
  f.Must(officer->Execute(ReferToMentoring{circle_case, "05.03.2026", "06.03.2026", true}));
  auto file = officer->CaseFile(circle_case);
  REQUIRE(file->mentoring_referrals.size() == 1);
  CHECK(file->mentoring_referrals[0].circle);
  auto view = coord->Mentoring(circle_case);
  REQUIRE(view.ok());
  CHECK(view->card.circle);
  // The tag itself stays in the case file: the mentoring scope carries only the flag.
  CHECK(f.db.QueryInt("SELECT count(*) FROM sync_outbox WHERE scope LIKE 'mentoring:%' AND "
                      "CAST(value AS TEXT) LIKE '%sex_offence%'")
            .value() == 0);

  // Peer mentors are not circle members.
  const std::string peer = CertifiedMentor(f, *coord);
  CHECK(coord->Execute(AssignMentor{circle_case, peer, "07.03.2026"}).error().message ==
        "volunteer_id: a circle of support takes circle members only");

  std::vector<std::string> members;
  for (const char* name : {"Anna", "Baiba", "Dace", "Elza", "Ilga", "Māra"})
    members.push_back(CertifiedVolunteer(f, *coord, name, VolunteerKind::kCircleMember));
  for (int i = 0; i < 5; ++i)
    f.Must(coord->Execute(AssignMentor{circle_case, members[i], "07.03.2026"}));
  CHECK(coord->VolunteerRegister()->active_assignments.size() == 5);
  const auto before = f.Outbox();
  auto sixth = coord->Execute(AssignMentor{circle_case, members[5], "07.03.2026"});
  REQUIRE_FALSE(sixth.ok());
  CHECK(sixth.error().code == Errc::kValidation);
  CHECK(sixth.error().message == "case_id: a circle of support has at most 5 volunteers");
  CHECK(f.Outbox() == before);

  // One member leaves: a place opens, but not for a member already in the circle.
  view = coord->Mentoring(circle_case);
  REQUIRE(view->assignments.size() == 5);
  std::string leaving;
  for (const auto& a : view->assignments)
    if (a.volunteer_id == members[0]) leaving = a.id;
  REQUIRE(coord->Execute(EndMentorAssignment{leaving, "10.03.2026"}).ok());
  CHECK(coord->Execute(AssignMentor{circle_case, members[1], ""}).error().message ==
        "volunteer_id: the volunteer is already in the client's circle");
  f.Must(coord->Execute(AssignMentor{circle_case, members[5], "11.03.2026"}));
  CHECK(f.db.QueryInt("SELECT count(*) FROM mentor_assignment WHERE case_id=? AND ended_on IS "
                      "NULL",
                      circle_case)
            .value() == 5);

  // Without a circle, still one mentor at a time (a circle member included).
  f.ReferToMentoring(*officer, plain);
  CHECK_FALSE(coord->Mentoring(plain)->card.circle);
  f.Must(coord->Execute(AssignMentor{plain, peer, "07.03.2026"}));
  CHECK(coord->Execute(AssignMentor{plain, members[0], "07.03.2026"}).error().message ==
        "case_id: the client already has a mentor");
}

TEST_CASE("a circle's session log goes to the volunteer the coordinator chooses",
          "[client][mentoring]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  RegisterClient rc;
  rc.name = "Valdis";
  rc.surname = "Krūze";
  rc.personal_code = testing::kCode1990;
  rc.tags = {ClientTag::kSexOffence};
  rc.kind = CaseKind::kConditionalEarlyRelease;
  rc.opened_on = "01.02.2026";
  const std::string circle = f.Must(officer->Execute(rc));
  f.Must(officer->Execute(ReferToMentoring{circle, "05.03.2026", "06.03.2026", true}));
  const std::string anna = CertifiedVolunteer(f, *coord, "Anna", VolunteerKind::kCircleMember);
  const std::string baiba = CertifiedVolunteer(f, *coord, "Baiba", VolunteerKind::kCircleMember);
  const std::string dace = CertifiedVolunteer(f, *coord, "Dace", VolunteerKind::kCircleMember);
  const std::string a_anna = f.Must(coord->Execute(AssignMentor{circle, anna, "07.03.2026"}));
  const std::string a_baiba = f.Must(coord->Execute(AssignMentor{circle, baiba, "07.03.2026"}));
  const std::string a_dace = f.Must(coord->Execute(AssignMentor{circle, dace, "07.03.2026"}));
  REQUIRE(coord->Execute(EndMentorAssignment{a_dace, "09.03.2026"}).ok());

  LogMentoringSession log;
  log.held_on = "10.03.2026";
  log.duration_minutes = 60;
  log.case_id = circle;
  const auto before = f.Outbox();
  // Two volunteers are active: the coordinator must choose.
  auto unchosen = coord->Execute(log);
  REQUIRE_FALSE(unchosen.ok());
  CHECK(unchosen.error().code == Errc::kValidation);
  CHECK(unchosen.error().message.rfind(
            "volunteer_id: choose whose session it was (the client has 2", 0) == 0);
  // Dace's assignment has ended; a peer of no assignment is no choice either.
  log.volunteer_id = dace;
  CHECK(coord->Execute(log).error().message ==
        "volunteer_id: not an active assignment of this client");
  log.volunteer_id = "0123456789abcdef0123456789abcdef";
  CHECK(coord->Execute(log).error().message ==
        "volunteer_id: not an active assignment of this client");
  // An assignment of another client is refused when the client is named.
  const std::string plain = f.RegisterBerzins(*officer);
  f.ReferToMentoring(*officer, plain);
  const std::string peer = CertifiedMentor(f, *coord);
  const std::string a_peer = f.Must(coord->Execute(AssignMentor{plain, peer, "07.03.2026"}));
  const auto before_other = f.Outbox();
  log.volunteer_id.clear();
  log.assignment_id = a_peer;
  CHECK(coord->Execute(log).error().message == "assignment_id: not an assignment of this client");
  CHECK(f.Outbox() == before_other);
  CHECK(f.db.QueryInt("SELECT count(*) FROM mentoring_session").value() == 0);
  (void)before;

  // Baiba chosen: the session is hers.
  log.assignment_id.clear();
  log.volunteer_id = baiba;
  const std::string s = f.Must(coord->Execute(log));
  auto view = coord->Mentoring(circle);
  REQUIRE(view.ok());
  REQUIRE(view->sessions.size() == 1);
  CHECK(view->sessions[0].id == s);
  CHECK(view->sessions[0].assignment_id == a_baiba);
  CHECK(view->sessions[0].assignment_id != a_anna);
  // A client with one active mentor needs no choice.
  LogMentoringSession single;
  single.case_id = plain;
  single.held_on = "10.03.2026";
  single.duration_minutes = 30;
  const std::string s2 = f.Must(coord->Execute(single));
  CHECK(f.db.QueryInt("SELECT count(*) FROM mentoring_session WHERE id=? AND assignment_id=?", s2,
                      a_peer)
            .value() == 1);
}
