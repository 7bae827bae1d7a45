// The mediation report to the requesting authority (client/documents/builders.hpp
// MediationReportDocument, export.hpp ExportMediationReport): a mediation built through the
// Workspace's commands, rendered to a real PDF and read back with Poppler's pdftotext; the
// refusals (not a mediation case, no outcome yet) render, write and audit nothing; the file is
// 0600 and the render is audited against the mediation row; corrections of the outcome, a party
// and a meeting are listed, those of a note, a contact or another case's record are not. The
// fixture's clock: Monday
// 16.03.2026.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "client/documents/export.hpp"
#include "tests/client/documents_support.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using namespace lietvedis::client::documents;
using lietvedis::testing::ModelFixture;
using lietvedis::testing::PdfText;
using lietvedis::testing::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr const char* kRestrictedNote = "Piezīme tikai lietas lasītājiem: Ābola raudāja";

bool OwnerOnly(const std::string& path) {
  return (fs::status(path).permissions() & fs::perms::all) ==
         (fs::perms::owner_read | fs::perms::owner_write);
}

std::int64_t AuditRows(storage::Database& db, const std::string& where = "1") {
  auto st = db.Prepare("SELECT count(*) FROM audit WHERE " + where);
  REQUIRE(st.ok());
  auto row = st->Step();
  REQUIRE(row.ok());
  return st->Int(0);
}

// The text of a PDF with every run of white space (line and page breaks included) as one
// space: a table cell may wrap.
std::string FlatText(const std::string& path) {
  return std::regex_replace(PdfText(path), std::regex("\\s+"), " ");
}

struct MediationCase {
  std::string case_id, liga, janis;
};

// A mediation case of the fixture's officer with a certified volunteer mediator, the client's
// and one party's consent (the second party never consents), one meeting held with a
// restricted note and one planned then cancelled; no outcome yet.
MediationCase BuildMediation(ModelFixture& f, Workspace& officer) {
  auto coord = f.As(f.coordinator);
  RegisterClient c;
  c.name = "Roberts";
  c.surname = "Zariņš";
  c.personal_code = testing::kCode1990;
  c.kind = CaseKind::kMediation;
  c.opened_on = "02.03.2026";
  MediationCase mc;
  mc.case_id = f.Must(officer.Execute(c));
  mc.liga =
      f.Must(officer.Execute(AddMediationParty{mc.case_id, "Līga", "Ābola", "+371 26000000", ""}));
  mc.janis = f.Must(
      officer.Execute(AddMediationParty{mc.case_id, "Jānis", "Kalniņš", "janis@example.lv", ""}));
  const std::string v = f.Must(coord->Execute(
      RegisterVolunteer{"", "Sarmīte", "Strazda", "", "", "01.02.2026", VolunteerKind::kMediator}));
  for (VolunteerStage s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                           VolunteerStage::kTraining, VolunteerStage::kCertified}) {
    REQUIRE(coord->Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
  }
  f.Must(officer.Execute(AssignMediator{mc.case_id, v}));
  f.Must(officer.Execute(RecordMediationConsent{mc.case_id, "", "04.03.2026"}));
  f.Must(officer.Execute(RecordMediationConsent{mc.case_id, mc.liga, "05.03.2026"}));

  RecordMediationMeeting held;
  held.case_id = mc.case_id;
  held.meeting_on = "10.03.2026";
  held.mode = MeetingMode::kInPerson;
  held.status = MediationMeetingStatus::kHeld;
  held.party_ids = {mc.liga};
  held.client_attended = true;
  held.note = kRestrictedNote;
  f.Must(officer.Execute(held));
  RecordMediationMeeting planned = held;
  planned.meeting_on = "18.03.2026";
  planned.status = MediationMeetingStatus::kPlanned;
  planned.mode = MeetingMode::kRemote;
  planned.client_attended = false;
  planned.note = kRestrictedNote;
  const std::string pl = f.Must(officer.Execute(planned));
  f.Must(officer.Execute(
      RecordMediationMeetingOutcome{pl, MediationMeetingStatus::kCancelled, kRestrictedNote}));
  return mc;
}

}  // namespace

TEST_CASE("mediation report: parties, meetings, outcome and addressee, never the meeting note",
          "[documents][pdf][mediation]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const MediationCase mc = BuildMediation(f, *officer);
  f.Must(officer->Execute(RecordMediationOutcome{mc.case_id, MediationOutcome::kAgreement,
                                                 "12.03.2026", "Atlīdzināt 300 EUR līdz termiņam",
                                                 "20.03.2026"}));
  TempDir tmp;

  // Before the fulfilment: the agreement and that its fulfilment is not recorded yet.
  const std::string draft = tmp / "pirms.pdf";
  REQUIRE(ExportMediationReportFile(*officer, mc.case_id, draft).ok());
  CHECK(FlatText(draft).find("Izpilde vēl nav reģistrēta (termiņš 20.03.2026)") !=
        std::string::npos);

  f.Must(officer->Execute(
      RecordAgreementFulfilment{mc.case_id, AgreementFulfilment::kFulfilled, "14.03.2026"}));
  f.Must(officer->Execute(ReportMediation{mc.case_id, "16.03.2026", "Liepājas tiesa"}));

  const std::string path = tmp / "izligums.pdf";
  const std::string this_render = "action='render' AND target_table='mediation' AND target_id='" +
                                  mc.case_id + "' AND scope='case:" + mc.case_id +
                                  "' AND detail LIKE 'mediation_report pdf %'";
  const auto renders_before = AuditRows(f.db, "action='render'");
  CHECK(AuditRows(f.db, this_render) == 1);  // the render before the fulfilment
  auto pages = ExportMediationReportFile(*officer, mc.case_id, path);
  REQUIRE(pages.ok());
  CHECK(*pages >= 1);
  CHECK(lietvedis::testing::PdfPages(path) == *pages);
  CHECK(OwnerOnly(path));

  const std::string text = FlatText(path);
  INFO(text);
  for (const std::string& s : {
           std::string("Ziņojums par izlīguma procesu"),
           std::string("Valsts probācijas dienests"),
           std::string("Adresāts Liepājas tiesa"),
           "Lieta " + mc.case_id,
           std::string("Persona Roberts Zariņš"),
           std::string("Personas kods ") + testing::kCode1990,
           std::string("Personas piekrišana izlīgumam 04.03.2026"),
           std::string("Starpnieks Sarmīte Strazda"),
           std::string("Ziņojuma datums 16.03.2026"),
           // The parties with their consent.
           std::string("Līga Ābola saņemta 05.03.2026"),
           std::string("Jānis Kalniņš nav saņemta"),
           // The meetings: day, mode, status, who took part.
           std::string("10.03.2026 klātienē notika Līga Ābola, Roberts Zariņš (persona)"),
           std::string("18.03.2026 attālināti atcelta Līga Ābola"),
           // The outcome and the fulfilment.
           std::string("Iznākums panākta vienošanās"),
           std::string("Vienošanās noteikumi Atlīdzināt 300 EUR līdz termiņam"),
           std::string("Izpildes termiņš 20.03.2026"),
           std::string("Vienošanās izpildīta Datums 14.03.2026"),
       }) {
    CHECK(text.find(s) != std::string::npos);
  }
  // Every heading but the corrections', which only a corrected mediation has.
  for (std::size_t i = 0; i + 1 < kMediationReportHeadings.size(); ++i) {
    CHECK(text.find(kMediationReportHeadings[i]) != std::string::npos);
  }
  CHECK(text.find(kMediationReportHeadings.back()) == std::string::npos);
  // The restricted meeting note and the parties' contact details stay in the case file.
  CHECK(text.find("Piezīme tikai") == std::string::npos);
  CHECK(text.find("raudāja") == std::string::npos);
  CHECK(text.find("26000000") == std::string::npos);
  CHECK(text.find("janis@example.lv") == std::string::npos);
  // The footer: signed by who reported it, on that day; before the report, no signer.
  CHECK(text.find("Parakstīja Ilze Ozola, 16.03.2026") != std::string::npos);
  CHECK(FlatText(draft).find("Parakstīja") == std::string::npos);

  // The render is audited against the mediation row, in the case's scope.
  CHECK(AuditRows(f.db, "action='render'") == renders_before + 1);
  CHECK(AuditRows(f.db, this_render) == 2);
}

TEST_CASE("mediation report: corrections of the outcome, a party and a meeting are listed",
          "[documents][pdf][mediation]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const MediationCase mc = BuildMediation(f, *officer);
  f.Must(officer->Execute(
      RecordMediationOutcome{mc.case_id, MediationOutcome::kNoAgreement, "12.03.2026", "", ""}));
  auto meeting = officer->CaseFile(mc.case_id);
  REQUIRE(meeting.ok());
  REQUIRE(meeting->mediation.meetings.size() == 2);
  const std::string held = meeting->mediation.meetings.front().id;
  // The outcome, a party's surname, a meeting's mode; a note and a contact, which the report
  // leaves out.
  f.Must(officer->Execute(CorrectRecord{"mediation", mc.case_id, "outcome", "party_withdrew",
                                        "Cietusī atsauca piekrišanu 11.03.2026"}));
  f.Must(officer->Execute(
      CorrectRecord{"mediation_party", mc.liga, "surname", "Ābola-Liepa", "Uzvārds pēc laulības"}));
  f.Must(officer->Execute(
      CorrectRecord{"mediation_meeting", held, "mode", "remote", "Tikšanās notika video zvanā"}));
  f.Must(officer->Execute(
      CorrectRecord{"mediation_meeting", held, "note", "Labota piezīme: raudāja", "Precizēts"}));
  // A day and a yes/no field, worded by what the column holds.
  f.Must(officer->Execute(CorrectRecord{"mediation_party", mc.liga, "consent_on", "06.03.2026",
                                        "Piekrišana saņemta dienu vēlāk"}));
  f.Must(officer->Execute(
      CorrectRecord{"mediation_meeting", held, "client_attended", "0", "Persona nepiedalījās"}));
  f.Must(officer->Execute(
      CorrectRecord{"mediation_party", mc.janis, "contact", "+371 29999999", "Jauns tālrunis"}));
  // A correction of another case's record is not this report's.
  RegisterClient other;
  other.name = "Anna";
  other.surname = "Liepa";
  other.personal_code = testing::kCode1985;
  other.kind = CaseKind::kMediation;
  const std::string other_case = f.Must(officer->Execute(other));
  const std::string other_party =
      f.Must(officer->Execute(AddMediationParty{other_case, "Pēteris", "Ozols", "", ""}));
  f.Must(officer->Execute(
      CorrectRecord{"mediation_party", other_party, "surname", "Ozoliņš", "Cita lieta"}));

  TempDir tmp;
  const std::string path = tmp / "labots.pdf";
  REQUIRE(ExportMediationReportFile(*officer, mc.case_id, path).ok());
  const std::string text = FlatText(path);
  INFO(text);
  CHECK(text.find(kMediationReportHeadings.back()) != std::string::npos);
  for (const std::string& s : {
           std::string("Izlīgums Iznākums puse atteicās no izlīguma Cietusī atsauca piekrišanu "
                       "11.03.2026"),
           std::string("Puse Līga Ābola Uzvārds Ābola-Liepa Uzvārds pēc laulības"),
           std::string("Tikšanās 10.03.2026 Norise attālināti Tikšanās notika video zvanā"),
           std::string("Puse Līga Ābola Piekrišana izlīgumam 06.03.2026 Piekrišana saņemta"),
           std::string("Tikšanās 10.03.2026 Persona piedalījās nē Persona nepiedalījās"),
       }) {
    CHECK(text.find(s) != std::string::npos);
  }
  CHECK(text.find("raudāja") == std::string::npos);
  CHECK(text.find("29999999") == std::string::npos);
  CHECK(text.find("Ozoliņš") == std::string::npos);
  CHECK(text.find("Cita lieta") == std::string::npos);
}

TEST_CASE("mediation report: without an agreement the fulfilment is not assessed",
          "[documents][pdf][mediation]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const MediationCase mc = BuildMediation(f, *officer);
  f.Must(officer->Execute(
      RecordMediationOutcome{mc.case_id, MediationOutcome::kNoAgreement, "12.03.2026", "", ""}));
  TempDir tmp;
  const std::string path = tmp / "izligums.pdf";
  REQUIRE(ExportMediationReportFile(*officer, mc.case_id, path).ok());
  const std::string text = FlatText(path);
  CHECK(text.find("Iznākums vienošanās nav panākta") != std::string::npos);
  CHECK(text.find("Vienošanās netika noslēgta: izpilde nav vērtējama.") != std::string::npos);
  CHECK(text.find("Vienošanās noteikumi") == std::string::npos);
  // Not reported yet: no addressee, the report's day is today.
  CHECK(text.find("Adresāts —") != std::string::npos);
  CHECK(text.find("Ziņojuma datums 16.03.2026") != std::string::npos);
}

TEST_CASE("mediation report: refusals render, write and audit nothing",
          "[documents][pdf][mediation]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  TempDir tmp;
  const std::string path = tmp / "izligums.pdf";

  SECTION("not a mediation case") {
    const std::string plain = f.RegisterBerzins(*officer);
    const auto audit_before = AuditRows(f.db);
    auto refused = ExportMediationReportFile(*officer, plain, path);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == Errc::kValidation);
    CHECK(refused.error().message.rfind(
              "case_id: mediation records belong to mediation cases, not ", 0) == 0);
    CHECK_FALSE(fs::exists(path));
    CHECK(AuditRows(f.db) == audit_before);
  }
  SECTION("no outcome yet, also with nothing recorded at all") {
    const MediationCase mc = BuildMediation(f, *officer);
    RegisterClient bare;
    bare.name = "Anna";
    bare.surname = "Liepa";
    bare.personal_code = testing::kCode1999;
    bare.kind = CaseKind::kMediation;
    bare.opened_on = "02.03.2026";
    const std::string empty_case = f.Must(officer->Execute(bare));
    const auto audit_before = AuditRows(f.db);
    for (const std::string& id : {mc.case_id, empty_case}) {
      auto refused = ExportMediationReportFile(*officer, id, path);
      REQUIRE_FALSE(refused.ok());
      CHECK(refused.error().code == Errc::kValidation);
      CHECK(refused.error().message == "case_id: record the mediation's outcome first");
      // To stdout: nothing delivered either.
      bool delivered = false;
      auto to_stdout = ExportMediationReport(*officer, id, [&](std::string_view) -> Result<void> {
        delivered = true;
        return Ok();
      });
      CHECK_FALSE(to_stdout.ok());
      CHECK_FALSE(delivered);
    }
    CHECK_FALSE(fs::exists(path));
    CHECK(AuditRows(f.db) == audit_before);
  }
  SECTION("a case the actor may not read, and a coordinator") {
    const MediationCase mc = BuildMediation(f, *officer);
    f.Must(officer->Execute(
        RecordMediationOutcome{mc.case_id, MediationOutcome::kNotSuitable, "12.03.2026", "", ""}));
    for (const std::string& user : {f.officer_other_unit, f.coordinator}) {
      auto other = f.As(user);
      auto refused = ExportMediationReportFile(*other, mc.case_id, path);
      REQUIRE_FALSE(refused.ok());
      CHECK(refused.error().code == Errc::kNotPermitted);
    }
    CHECK_FALSE(fs::exists(path));
    CHECK(AuditRows(f.db, "action='render'") == 0);
  }
}

TEST_CASE("mediation report: Latvian labels of the mediation codes", "[documents][mediation]") {
  CHECK(LabelLv(MediationOutcome::kAgreement) == "panākta vienošanās");
  CHECK(LabelLv(MediationOutcome::kNotSuitable) == "lieta nav piemērota izlīgumam");
  CHECK(LabelLv(MediationMeetingStatus::kCancelled) == "atcelta");
  CHECK(LabelLv(AgreementFulfilment::kNotFulfilled) == "nav izpildīta");
}
