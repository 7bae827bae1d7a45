// Victim-offender mediation (izlīgums): parties and their consent, the mediator, meetings,
// the outcome, the agreement's fulfilment and the report that ends the case; every refusal
// writes nothing. The fixture's clock: Monday 16.03.2026.
#include <catch2/catch.hpp>

#include "client/agenda.hpp"
#include "client/history.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// A refusal with `code` whose message starts with `prefix`, and nothing written.
void CheckRefused(ModelFixture& f, const Result<std::string>& r, Errc code,
                  const std::string& prefix, std::int64_t outbox_before) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  if (r.error().message.rfind(prefix, 0) != 0) UNSCOPED_INFO(r.error().message);
  CHECK(r.error().message.rfind(prefix, 0) == 0);
  CHECK(f.Outbox() == outbox_before);
}

std::string RegisterMediation(ModelFixture& f, Workspace& ws) {
  RegisterClient c;
  c.name = "Roberts";
  c.surname = "Zariņš";
  c.personal_code = testing::kCode1990;
  c.kind = CaseKind::kMediation;
  c.opened_on = "02.03.2026";
  return f.Must(ws.Execute(c));
}

std::string Mediator(ModelFixture& f, Workspace& coord, const char* name, VolunteerKind kind,
                     bool certify = true) {
  const std::string v =
      f.Must(coord.Execute(RegisterVolunteer{"", name, "Strazda", "", "", "01.02.2026", kind}));
  if (!certify) return v;
  for (VolunteerStage s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                           VolunteerStage::kTraining, VolunteerStage::kCertified}) {
    REQUIRE(coord.Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
  }
  return v;
}

size_t CountKind(const Agenda& a, AgendaKind kind, const std::string& case_id) {
  size_t n = 0;
  for (const auto& i : a.items) n += i.kind == kind && i.case_id == case_id;
  return n;
}

}  // namespace

TEST_CASE("a mediation runs from parties and consent through meetings to the report",
          "[client][mediation]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string m = RegisterMediation(f, *officer);

  // The harmed person, without consent yet.
  const std::string p =
      f.Must(officer->Execute(AddMediationParty{m, "Līga", "Ābola", "+371 26000000", ""}));
  // The mediator: a certified volunteer mediator of the unit.
  const std::string mediator = Mediator(f, *coord, "Sarmīte", VolunteerKind::kMediator);
  f.Must(officer->Execute(AssignMediator{m, mediator}));
  // Consents: the client's, then the party's.
  f.Must(officer->Execute(RecordMediationConsent{m, "", "04.03.2026"}));
  f.Must(officer->Execute(RecordMediationConsent{m, p, "05.03.2026"}));

  // A meeting held on 10.03, and one planned for 18.03.
  RecordMediationMeeting held;
  held.case_id = m;
  held.meeting_on = "10.03.2026";
  held.mode = MeetingMode::kInPerson;
  held.status = MediationMeetingStatus::kHeld;
  held.party_ids = {p};
  held.note = "Puses izteicās";
  const std::string h = f.Must(officer->Execute(held));
  RecordMediationMeeting planned = held;
  planned.meeting_on = "18.03.2026";
  planned.status = MediationMeetingStatus::kPlanned;
  planned.mode = MeetingMode::kRemote;
  planned.note = "";
  const std::string pl = f.Must(officer->Execute(planned));

  auto agenda = BuildAgenda(*officer, f.db);
  REQUIRE(agenda.ok());
  CHECK(CountKind(*agenda, AgendaKind::kMediationMeeting, m) == 1);
  CHECK(CountKind(*agenda, AgendaKind::kMediationAgreementDue, m) == 0);

  // The planned meeting is cancelled; the outcome: an agreement due 30.04.
  f.Must(
      officer->Execute(RecordMediationMeetingOutcome{pl, MediationMeetingStatus::kCancelled, ""}));
  f.Must(officer->Execute(RecordMediationOutcome{m, MediationOutcome::kAgreement, "12.03.2026",
                                                 "Atlīdzināt 300 EUR", "20.03.2026"}));
  agenda = BuildAgenda(*officer, f.db);
  CHECK(CountKind(*agenda, AgendaKind::kMediationMeeting, m) == 0);
  REQUIRE(CountKind(*agenda, AgendaKind::kMediationAgreementDue, m) == 1);
  for (const auto& i : agenda->items) {
    if (i.kind != AgendaKind::kMediationAgreementDue) continue;
    CHECK(i.due_on == "2026-03-20");
    CHECK(i.bucket == AgendaBucket::kThisWeek);
  }

  auto file = officer->CaseFile(m);
  REQUIRE(file.ok());
  const Mediation& med = file->mediation;
  CHECK(med.recorded);
  CHECK(med.mediator_volunteer_id == mediator);
  CHECK(med.mediator_name == "Sarmīte Strazda");
  REQUIRE(med.mediator_choices.size() == 1);
  CHECK(med.mediator_choices[0].volunteer_id == mediator);
  CHECK(med.client_consent_on == "2026-03-04");
  REQUIRE(med.parties.size() == 1);
  CHECK(med.parties[0].name == "Līga");
  CHECK(med.parties[0].contact == "+371 26000000");
  CHECK(med.parties[0].consent_on == "2026-03-05");
  REQUIRE(med.meetings.size() == 2);
  CHECK(med.meetings[0].id == h);
  CHECK(med.meetings[0].status == MediationMeetingStatus::kHeld);
  CHECK(med.meetings[0].party_ids == std::vector<std::string>{p});
  CHECK(med.meetings[0].client_attended);
  CHECK(med.meetings[0].note == "Puses izteicās");
  CHECK(med.meetings[1].status == MediationMeetingStatus::kCancelled);
  CHECK(med.meetings[1].mode == MeetingMode::kRemote);
  REQUIRE(med.outcome);
  CHECK(*med.outcome == MediationOutcome::kAgreement);
  CHECK(med.agreement_terms == "Atlīdzināt 300 EUR");
  CHECK(med.agreement_due_on == "2026-03-20");

  // The fulfilment leaves the agenda; the report closes the case.
  f.Must(officer->Execute(
      RecordAgreementFulfilment{m, AgreementFulfilment::kFulfilled, "14.03.2026"}));
  agenda = BuildAgenda(*officer, f.db);
  CHECK(CountKind(*agenda, AgendaKind::kMediationAgreementDue, m) == 0);
  f.Must(officer->Execute(ReportMediation{m, "16.03.2026", "Liepājas tiesa"}));
  file = officer->CaseFile(m);
  CHECK(file->case_record.status == CaseStatus::kClosed);
  CHECK(file->case_record.closed_on == "2026-03-16");
  CHECK(file->mediation.reported_on == "2026-03-16");
  CHECK(file->mediation.report_to == "Liepājas tiesa");
  CHECK(file->mediation.reported_by == f.officer);  // the report's signer
  REQUIRE(file->mediation.fulfilment);
  CHECK(*file->mediation.fulfilment == AgreementFulfilment::kFulfilled);

  // The history tells the mediation's records by their labels.
  auto hist = officer->CaseHistory(m, "mediation_party");
  REQUIRE(hist.ok());
  REQUIRE_FALSE(hist->entries.empty());
  CHECK(hist->entries.back().record_label == "Līga Ābola");
}

TEST_CASE("mediation refusals write nothing", "[client][mediation]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto coord = f.As(f.coordinator);
  const std::string m = RegisterMediation(f, *officer);
  const std::string plain = f.RegisterBerzins(*officer);
  auto before = f.Outbox();

  SECTION("only on a mediation case, of the officer's own") {
    CheckRefused(f, officer->Execute(AddMediationParty{plain, "Līga", "", "", ""}),
                 Errc::kValidation, "case_id: mediation records belong to mediation cases", before);
    auto other = f.As(f.officer2);
    CheckRefused(f, other->Execute(AddMediationParty{m, "Līga", "", "", ""}), Errc::kNotPermitted,
                 "", before);
    CheckRefused(f, officer->Execute(AddMediationParty{m, "", "Ābola", "", ""}), Errc::kValidation,
                 "name: required", before);
    CheckRefused(f, officer->Execute(AddMediationParty{m, "Līga", "", "", "31.02.2026"}),
                 Errc::kValidation, "consent_on:", before);
    CheckRefused(f, officer->Execute(AddMediationParty{m, "Līga", "", "", "01.01.2030"}),
                 Errc::kValidation, "consent_on: in the future", before);
  }

  SECTION("the mediator is a certified mediator of the unit") {
    const std::string mentor = Mediator(f, *coord, "Inese", VolunteerKind::kPeerMentor);
    const std::string trainee = Mediator(f, *coord, "Ieva", VolunteerKind::kMediator, false);
    before = f.Outbox();
    CheckRefused(f, officer->Execute(AssignMediator{m, mentor}), Errc::kValidation,
                 "volunteer_id: the volunteer is not a mediator", before);
    CheckRefused(f, officer->Execute(AssignMediator{m, trainee}), Errc::kValidation,
                 "volunteer_id: the volunteer is not certified", before);
    CheckRefused(f, officer->Execute(AssignMediator{m, "0123456789abcdef0123456789abcdef"}),
                 Errc::kValidation, "volunteer_id: not in the unit's volunteer register", before);
    // The officer mediates when no volunteer is named.
    f.Must(officer->Execute(AssignMediator{m, ""}));
    CHECK(officer->CaseFile(m)->mediation.mediator_name == "Ilze Ozola");
  }

  SECTION("a meeting needs a mediator and every named person's consent by its day") {
    const std::string p = f.Must(officer->Execute(AddMediationParty{m, "Līga", "", "", ""}));
    RecordMediationMeeting mt;
    mt.case_id = m;
    mt.meeting_on = "10.03.2026";
    mt.party_ids = {p};
    before = f.Outbox();
    CheckRefused(f, officer->Execute(mt), Errc::kValidation, "mediator: no mediator is assigned",
                 before);
    f.Must(officer->Execute(AssignMediator{m, ""}));
    before = f.Outbox();
    CheckRefused(f, officer->Execute(mt), Errc::kValidation,
                 "client_consent: the client has not consented", before);
    f.Must(officer->Execute(RecordMediationConsent{m, "", "04.03.2026"}));
    CheckRefused(f, officer->Execute(RecordMediationConsent{m, "", "05.03.2026"}),
                 Errc::kNotPermitted, "", f.Outbox());
    f.Must(officer->Execute(RecordMediationConsent{m, p, "11.03.2026"}));
    before = f.Outbox();
    // The party consented after the meeting's day.
    CheckRefused(f, officer->Execute(mt), Errc::kValidation,
                 "party_ids[0]: the party has not consented to mediate by 2026-03-10", before);
    mt.meeting_on = "12.03.2026";
    mt.party_ids = {};
    CheckRefused(f, officer->Execute(mt), Errc::kValidation, "party_ids: at least one party",
                 before);
    mt.party_ids = {p, p};
    CheckRefused(f, officer->Execute(mt), Errc::kValidation, "party_ids[1]: given twice", before);
    mt.party_ids = {p};
    mt.meeting_on = "20.03.2026";  // held in the future
    CheckRefused(f, officer->Execute(mt), Errc::kValidation, "meeting_on: in the future", before);
    mt.status = MediationMeetingStatus::kPlanned;
    mt.meeting_on = "12.03.2026";  // planned in the past
    CheckRefused(f, officer->Execute(mt), Errc::kValidation,
                 "meeting_on: a planned meeting cannot be in the past", before);
    mt.meeting_on = "20.03.2026";
    const std::string planned = f.Must(officer->Execute(mt));
    before = f.Outbox();
    CheckRefused(
        f,
        officer->Execute(RecordMediationMeetingOutcome{planned, MediationMeetingStatus::kHeld, ""}),
        Errc::kValidation, "status: the meeting's day has not come", before);
    f.Must(officer->Execute(
        RecordMediationMeetingOutcome{planned, MediationMeetingStatus::kCancelled, ""}));
    CheckRefused(
        f,
        officer->Execute(RecordMediationMeetingOutcome{planned, MediationMeetingStatus::kHeld, ""}),
        Errc::kNotPermitted, "", f.Outbox());
  }

  SECTION("the outcome once; an agreement needs terms, a due date and a held meeting") {
    before = f.Outbox();
    CheckRefused(f,
                 officer->Execute(RecordMediationOutcome{m, MediationOutcome::kAgreement,
                                                         "12.03.2026", "Atlīdzināt", "30.04.2026"}),
                 Errc::kValidation, "outcome: no mediation meeting was held", before);
    const std::string p =
        f.Must(officer->Execute(AddMediationParty{m, "Līga", "", "", "05.03.2026"}));
    f.Must(officer->Execute(AssignMediator{m, ""}));
    f.Must(officer->Execute(RecordMediationConsent{m, "", "05.03.2026"}));
    RecordMediationMeeting mt;
    mt.case_id = m;
    mt.meeting_on = "10.03.2026";
    mt.party_ids = {p};
    f.Must(officer->Execute(mt));
    before = f.Outbox();
    CheckRefused(f,
                 officer->Execute(RecordMediationOutcome{m, MediationOutcome::kAgreement,
                                                         "12.03.2026", "", "30.04.2026"}),
                 Errc::kValidation, "agreement_terms: required for an agreement", before);
    CheckRefused(f,
                 officer->Execute(RecordMediationOutcome{m, MediationOutcome::kAgreement,
                                                         "12.03.2026", "Atlīdzināt", ""}),
                 Errc::kValidation, "agreement_due_on: required for an agreement", before);
    CheckRefused(f,
                 officer->Execute(RecordMediationOutcome{m, MediationOutcome::kAgreement,
                                                         "12.03.2026", "Atlīdzināt", "11.03.2026"}),
                 Errc::kValidation, "agreement_due_on: must be after the outcome's day", before);
    CheckRefused(f,
                 officer->Execute(RecordMediationOutcome{m, MediationOutcome::kNoAgreement,
                                                         "12.03.2026", "Atlīdzināt", ""}),
                 Errc::kValidation, "agreement_terms: only with an agreement", before);
    CheckRefused(f,
                 officer->Execute(
                     RecordAgreementFulfilment{m, AgreementFulfilment::kFulfilled, "14.03.2026"}),
                 Errc::kValidation, "case_id: no agreement was reached", before);
    CheckRefused(f, officer->Execute(ReportMediation{m, "", ""}), Errc::kValidation,
                 "case_id: record the mediation's outcome first", before);
    f.Must(officer->Execute(RecordMediationOutcome{m, MediationOutcome::kAgreement, "12.03.2026",
                                                   "Atlīdzināt", "30.04.2026"}));
    before = f.Outbox();
    CheckRefused(f,
                 officer->Execute(RecordMediationOutcome{m, MediationOutcome::kNoAgreement,
                                                         "13.03.2026", "", ""}),
                 Errc::kNotPermitted, "", before);
    CheckRefused(f, officer->Execute(mt), Errc::kNotPermitted, "", before);
    CheckRefused(f, officer->Execute(ReportMediation{m, "", ""}), Errc::kValidation,
                 "case_id: record whether the agreement was fulfilled first", before);
    CheckRefused(f,
                 officer->Execute(RecordAgreementFulfilment{m, AgreementFulfilment::kNotFulfilled,
                                                            "11.03.2026"}),
                 Errc::kValidation, "on: before the outcome", before);
    f.Must(officer->Execute(
        RecordAgreementFulfilment{m, AgreementFulfilment::kNotFulfilled, "15.03.2026"}));
    CheckRefused(f,
                 officer->Execute(
                     RecordAgreementFulfilment{m, AgreementFulfilment::kFulfilled, "15.03.2026"}),
                 Errc::kNotPermitted, "", f.Outbox());
    f.Must(officer->Execute(ReportMediation{m, "", ""}));
    CHECK(officer->CaseFile(m)->case_record.status == CaseStatus::kClosed);
    CheckRefused(f, officer->Execute(ReportMediation{m, "", ""}), Errc::kNotPermitted, "",
                 f.Outbox());
  }

  SECTION("not suitable needs no meeting and ends the case when reported") {
    f.Must(officer->Execute(
        RecordMediationOutcome{m, MediationOutcome::kNotSuitable, "10.03.2026", "", ""}));
    f.Must(officer->Execute(ReportMediation{m, "11.03.2026", ""}));
    auto file = officer->CaseFile(m);
    CHECK(file->case_record.status == CaseStatus::kClosed);
    CHECK(*file->mediation.outcome == MediationOutcome::kNotSuitable);
  }
}
