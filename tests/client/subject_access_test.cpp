// Subject access (issue #15 item 6): the package for one person holds every record of that
// person across their cases and nothing of another client; what is withheld is listed by kind
// and ground without its content; a coordinator is refused with nothing written; the request
// is audited once per case; the files are 0600; the command's exit codes.
#include "client/documents/subject_access.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/client/documents_support.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;
using lietvedis::testing::PdfText;
using lietvedis::testing::Slurp;
using lietvedis::testing::TempDir;
using Json = nlohmann::json;

namespace {

const auto kOwnerOnly = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

std::string Squeeze(const std::string& s) {
  return std::regex_replace(s, std::regex("\\s+"), " ");
}

size_t Files(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

// Two clients of the same officer. A (Jānis Bērziņš) has two cases and a record of every
// kind; B (Marta Zvaigzne) has one case with her own markers and shares a MAPPA meeting with
// A. Markers are distinctive words the outputs are searched for.
struct TwoClients : ModelFixture {
  std::string a_case, a_case2, a_client, b_case, b_client;
  std::string meeting, draft_assessment, related;

  TwoClients() {
    auto ws = As(officer);
    a_case = RegisterBerzins(*ws);
    a_client = ws->CaseFile(a_case)->client.id;
    a_case2 = Must(ws->Execute(OpenCase{a_client, CaseKind::kCommunityWork, "02.03.2026", ""}));

    RegisterClient b;
    b.name = "Marta";
    b.surname = "Zvaigzne";
    b.personal_code = testing::kCode1990;
    b.birth_date = "01.01.1990";
    b.phone = "+371 29999999";
    b.opened_on = "01.03.2026";
    b_case = Must(ws->Execute(b));
    b_client = ws->CaseFile(b_case)->client.id;
    Must(ws->Execute(AddNote{b_case, "Zvaigznes piezīme BMARKERNOTE", "", ""}));
    Must(ws->Execute(RecordContact{b_case, "10.03.2026", ContactStatus::kHeld, ContactMode::kPhone,
                                   "10.03.2026", "BMARKEROUTCOME", ""}));

    related = Must(ws->Execute(AddRelatedPerson{a_case, Relation::kFamilyMember, "māte", "Ieva",
                                                "Bērziņa", "+371 26666666", "TREŠĀPIEZĪME"}));
    OpenSupervisionSection sec;
    sec.case_id = a_case;
    sec.sentence_type = "nosacīta notiesāšana";
    sec.court_decision_ref = "K-AMARKERCOURT";
    sec.obligations = "AMARKEROBLIGATION";
    sec.opened_on = "01.03.2026";
    sec.planned_end_on = "01.03.2027";
    Must(ws->Execute(sec));
    RecordAssessment as;
    as.case_id = a_case;
    as.instrument_version = "2.1";
    as.assessed_on = "05.03.2026";
    as.total_score = 37;
    as.item_scores = "q1=ITEMSECRET;q2=4";
    as.risk_level = RiskLevel::kMedium;
    as.needs = {NeedDomain::kAlcohol};
    const std::string signed_assessment = Must(ws->Execute(as));
    Must(ws->Execute(SignAssessment{signed_assessment}));
    as.assessed_on = "12.03.2026";
    as.total_score = 99;
    as.item_scores = "";
    draft_assessment = Must(ws->Execute(as));
    Must(ws->Execute(
        CreatePlan{a_case, "01.06.2026", {{"AMARKERGOAL", NeedDomain::kAlcohol, "AA grupa", ""}}}));
    Must(ws->Execute(RecordContact{a_case, "09.03.2026", ContactStatus::kHeld,
                                   ContactMode::kInPerson, "09.03.2026", "AMARKEROUTCOME",
                                   "AMARKERCONTACTNOTE"}));
    Must(ws->Execute(
        RecordViolation{a_case, ViolationKind::kViolation, "08.03.2026", "AMARKERVIOLATION"}));
    const std::string app = Must(ws->Execute(FileCourtApplication{
        a_case, CourtApplicationKind::kChangeObligations, "10.03.2026", "AMARKERREASON", {}}));
    Must(ws->Execute(RecordCourtDecision{app, "AMARKERDECISION", "14.03.2026"}));
    Must(ws->Execute(RecordConsent{a_case, "prog-equip", ConsentDecision::kGiven, ""}));
    ReferToProgramme refer;
    refer.case_id = a_case;
    refer.programme_id = "prog-equip";
    refer.need = NeedDomain::kAttitudes;
    const std::string referral = Must(ws->Execute(refer));
    Must(ws->Execute(EnrolInProgramme{referral, ""}));
    Must(ws->Execute(RecordAttendance{referral, "", true, "AMARKERATTENDANCE"}));
    Must(ws->Execute(RecordEvaluationRequest{a_case, Requester::kCourt, "Liepājas tiesa",
                                             "AMARKERREF", "02.03.2026", "01.04.2026"}));
    Must(ws->Execute(StartMonitoringEpisode{a_case, "03.03.2026", "03.06.2026"}));
    Must(ws->Execute(PlaceInRehabilitationCentre{a_case, "Centrs AMARKERCENTRE", "04.03.2026",
                                                 "04.04.2026", 2000}));
    const std::string order =
        Must(ws->Execute(OrderCommunityWork{a_case2, 40, "02.03.2026", "02.09.2026", "K-CW"}));
    const std::string place =
        Must(ws->Execute(AddWorkPlacement{order, "Dome AMARKERPROVIDER", "Rožu 5", "03.03.2026"}));
    Must(ws->Execute(LogCommunityHours{place, "04.03.2026", 240, "AMARKERHOURS"}));
    Must(ws->Execute(AddNote{a_case, "AMARKERNOTE par klientu", "", ""}));
    Must(ws->Execute(CorrectRecord{"contact", ws->CaseFile(a_case)->contacts.at(0).id, "outcome",
                                   "AMARKERCORRECTED", "kļūda ierakstā"}));
    ReferToMentoring(*ws, a_case);

    auto coord = As(coordinator);
    const std::string v = Must(coord->Execute(
        RegisterVolunteer{"", "Rūta", "Mentore", "", "", "", VolunteerKind::kPeerMentor}));
    for (auto s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview,
                   VolunteerStage::kTraining, VolunteerStage::kCertified}) {
      REQUIRE(coord->Execute(AdvanceVolunteerStage{v, s, "", ""}).ok());
    }
    const std::string assignment = Must(coord->Execute(AssignMentor{a_case, v, "10.03.2026"}));
    Must(coord->Execute(LogMentoringSession{assignment, "15.03.2026", 45, MentoringMode::kInPerson,
                                            "AMARKERSESSION"}));

    RecordMappaMeeting m;
    m.held_on = "11.03.2026";
    m.case_ids = {a_case, b_case};
    m.participants = {{Institution::kStatePolice, "Inspektors Policists"}};
    m.risk_decisions = "KOPĪGSLĒMUMS par abiem";
    m.victim_decisions = "CIETUŠĀSLĒPTS";
    m.actions = {{"KOPĪGSUZDEVUMS", Institution::kStatePolice, "20.03.2026"}};
    m.disclosures = {{"IZPAUSTSSATURS", "Valsts policija", "likuma 10. pants"}};
    meeting = Must(ws->Execute(m));
    Must(ws->Execute(SignMappaMinutes{meeting}));
    RecordMappaMeeting solo;
    solo.held_on = "12.03.2026";
    solo.case_ids = {a_case};
    solo.participants = {{Institution::kVpd, "Ilze Ozola"}};
    solo.risk_decisions = "AMARKERMAPPADECISION";
    solo.actions = {{"AMARKERMAPPAACTION", Institution::kVpd, "20.03.2026"}};
    Must(ws->Execute(SignMappaMinutes{Must(ws->Execute(solo))}));
  }

  std::int64_t AuditCount(const std::string& action) {
    return db.QueryInt("SELECT count(*) FROM audit WHERE action=?", action).value();
  }
};

}  // namespace

TEST_CASE("subject access: the package holds every record of the person and nothing of another",
          "[documents][subject_access]") {
  TwoClients f;
  auto ws = f.As(f.officer);
  TempDir out;
  auto files = documents::ExportSubjectAccess(*ws, f.a_client, out.path(),
                                              documents::SubjectAccessFormat::kBoth);
  REQUIRE(files.ok());
  CHECK(files->cases == 2);
  REQUIRE(std::filesystem::exists(files->pdf_path));
  REQUIRE(std::filesystem::exists(files->json_path));
  CHECK(Files(out.path()) == 2);
  for (const auto& p : {files->pdf_path, files->json_path}) {
    CHECK((std::filesystem::status(p).permissions() & std::filesystem::perms::all) == kOwnerOnly);
  }

  const std::string json_text = Slurp(files->json_path);
  const Json j = Json::parse(json_text);
  CHECK(j["person"]["surname"] == "Bērziņš");
  CHECK(j["person"]["personal_code"] == testing::kCode1985);
  REQUIRE(j["cases"].size() == 2);
  const Json& counts = j["counts"];
  CHECK(counts["cases"] == 2);
  CHECK(counts["related_persons"] == 1);
  CHECK(counts["supervision_sections"] == 1);
  CHECK(counts["assessments"] == 1);  // the signed one; the draft is listed as withheld
  CHECK(counts["plans"] == 1);
  CHECK(counts["contacts"] == 1);
  CHECK(counts["violations"] == 1);
  CHECK(counts["court_applications"] == 1);
  CHECK(counts["consents"] == 1);
  CHECK(counts["programme_referrals"] == 1);
  CHECK(counts["attendance"] == 1);
  CHECK(counts["evaluation_requests"] == 1);
  CHECK(counts["em_episodes"] == 1);
  CHECK(counts["rehabilitation_placements"] == 1);
  CHECK(counts["community_work_orders"] == 1);
  CHECK(counts["work_placements"] == 1);
  CHECK(counts["community_hours"] == 1);
  CHECK(counts["mentoring_referrals"] == 1);
  CHECK(counts["mentor_assignments"] == 1);
  CHECK(counts["mentoring_sessions"] == 1);
  CHECK(counts["mappa_meetings"] == 2);
  CHECK(counts["notes"] == 1);
  CHECK(counts["corrections"] == 1);
  const Json& correction = j["cases"][0]["corrections"][0];
  CHECK(correction["original"] == "AMARKEROUTCOME");
  CHECK(correction["corrected"] == "AMARKERCORRECTED");
  CHECK(j["cases"][0]["related_persons"][0]["name"] == "Ieva");
  CHECK(j["access_log"].size() >= 2);  // the reads of this request, by name and role
  CHECK(j["access_log"][0]["user"] == "Ilze Ozola");
  CHECK(j["access_log"][0]["role"] == "officer");

  const std::string pdf = Squeeze(PdfText(files->pdf_path));
  // Narrow table cells break a long word across lines: markers are also looked for in the
  // text without any white space.
  const std::string pdf_joined = std::regex_replace(pdf, std::regex("\\s+"), "");
  for (const auto& h : documents::kSubjectAccessHeadings) CHECK(pdf.find(h) != std::string::npos);
  for (const char* marker :
       {"Bērziņš",         testing::kCode1985,     "AMARKERCOURT",       "AMARKEROBLIGATION",
        "AMARKERGOAL",     "AMARKERCONTACTNOTE",   "AMARKERVIOLATION",   "AMARKERREASON",
        "AMARKERDECISION", "AMARKERATTENDANCE",    "AMARKERREF",         "AMARKERCENTRE",
        "AMARKERPROVIDER", "AMARKERHOURS",         "AMARKERNOTE",        "AMARKERCORRECTED",
        "AMARKERSESSION",  "AMARKERMAPPADECISION", "AMARKERMAPPAACTION", "Rūta Mentore",
        "Ieva Bērziņa",    "Ilze Ozola",           "1. lapa no"}) {
    INFO(marker);
    CHECK((pdf.find(marker) != std::string::npos || pdf_joined.find(marker) != std::string::npos));
    if (std::string(marker) != "1. lapa no" && std::string(marker) != "Rūta Mentore" &&
        std::string(marker) != "Ieva Bērziņa" && std::string(marker) != "Ilze Ozola") {
      CHECK(json_text.find(marker) != std::string::npos);
    }
  }
  // Nothing of client B, nothing withheld: in neither file.
  for (const char* absent : {"Zvaigzne", testing::kCode1990, "29999999", "BMARKERNOTE",
                             "BMARKEROUTCOME", f.b_case.c_str(), f.b_client.c_str(), "26666666",
                             "TREŠĀPIEZĪME", "ITEMSECRET", "CIETUŠĀSLĒPTS", "IZPAUSTSSATURS",
                             "Inspektors Policists", "KOPĪGSLĒMUMS", "KOPĪGSUZDEVUMS"}) {
    INFO(absent);
    CHECK(pdf.find(absent) == std::string::npos);
    CHECK(pdf_joined.find(absent) == std::string::npos);
    CHECK(json_text.find(absent) == std::string::npos);
  }

  // The withheld list names each item's kind, date and ground.
  auto withheld = [&](const std::string& table, const std::string& record_id) {
    for (const auto& w : j["withheld"]) {
      if (w["table"] == table && (record_id.empty() || w["record_id"] == record_id)) return w;
    }
    return Json();
  };
  const Json third = withheld("related_person", f.related);
  REQUIRE(third.is_object());
  CHECK(third["ground"].get<std::string>().find("trešo personu") != std::string::npos);
  const Json draft = withheld("assessment", f.draft_assessment);
  REQUIRE(draft.is_object());
  CHECK(draft["date"] == "2026-03-12");
  CHECK(draft["ground"].get<std::string>().find("projekts") != std::string::npos);
  const Json disclosure = withheld("mappa_disclosure", "");
  REQUIRE(disclosure.is_object());
  CHECK(disclosure["institution"] == "state_police");
  CHECK(disclosure["ground"].get<std::string>().find("iestāde") != std::string::npos);
  CHECK(withheld("mappa_participant", "").is_object());
  const Json others = withheld("mappa_meeting", f.meeting);
  REQUIRE(others.is_object());
  CHECK(pdf.find("Neizsniegtā informācija") != std::string::npos);
  CHECK(pdf.find("tiesības uz trešo personu datu aizsardzību") != std::string::npos);
  CHECK(pdf.find("jāprasa attiecīgajai iestādei") != std::string::npos);

  // Audited once per case scope, naming the client, never a file name.
  CHECK(f.AuditCount("subject_access") == 2);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE action='subject_access' AND scope IN "
                      "(?, ?) AND target_id=?",
                      CaseScope(f.a_case), CaseScope(f.a_case2), f.a_client)
            .value() == 2);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE action='subject_access' AND detail LIKE "
                      "'%subject-access%'")
            .value() == 0);

  SECTION("the unit's supervisor may answer it too") {
    auto sup = f.As(f.supervisor);
    TempDir out2;
    auto again = documents::ExportSubjectAccess(*sup, f.a_client, out2.path(),
                                                documents::SubjectAccessFormat::kJson);
    REQUIRE(again.ok());
    CHECK(again->pdf_path.empty());
    CHECK(Files(out2.path()) == 1);
    CHECK(f.AuditCount("subject_access") == 4);
    // The first package is in the log of who handed on the file.
    const Json j2 = Json::parse(Slurp(again->json_path));
    bool seen = false;
    for (const auto& e : j2["access_log"]) seen = seen || e["action"] == "subject_access";
    CHECK(seen);
  }
}

TEST_CASE(
    "subject access: a coordinator, an administrator and another unit's officer are "
    "refused with nothing written",
    "[documents][subject_access]") {
  TwoClients f;
  for (const std::string& user : {f.coordinator, f.admin, f.officer_other_unit}) {
    auto ws = f.As(user);
    TempDir out;
    const auto audits = f.db.QueryInt("SELECT count(*) FROM audit").value();
    const auto outbox = f.Outbox();
    auto r = documents::ExportSubjectAccess(*ws, f.a_client, out.path(),
                                            documents::SubjectAccessFormat::kBoth);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kNotPermitted);
    CHECK(Files(out.path()) == 0);
    CHECK(f.db.QueryInt("SELECT count(*) FROM audit").value() == audits);
    CHECK(f.Outbox() == outbox);
  }
  auto ws = f.As(f.officer);
  TempDir out;
  auto missing = documents::ExportSubjectAccess(*ws, "no-such-client", out.path(),
                                                documents::SubjectAccessFormat::kBoth);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::kNotFound);
  auto no_dir = documents::ExportSubjectAccess(*ws, f.a_client, out / "nope",
                                               documents::SubjectAccessFormat::kBoth);
  REQUIRE_FALSE(no_dir.ok());
  CHECK(no_dir.error().code == Errc::kValidation);
  CHECK(f.AuditCount("subject_access") == 0);
}

TEST_CASE(
    "subject access: the person's case with another officer is listed as withheld, and the "
    "supervisor's package holds both cases",
    "[documents][subject_access]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  const std::string mine = f.RegisterBerzins(*officer);
  const std::string client_id = officer->CaseFile(mine)->client.id;
  auto colleague = f.As(f.officer2);
  RegisterClient again;
  again.name = "Jānis";
  again.surname = "Bērziņš";
  again.personal_code = testing::kCode1985;
  again.birth_date = "15.03.1985";
  again.kind = CaseKind::kCommunityWork;
  again.opened_on = "05.03.2026";
  again.same_person = true;
  const std::string theirs = f.Must(colleague->Execute(again));
  f.Must(colleague->Execute(AddNote{theirs, "KOLĒĢASPIEZĪME", "", ""}));

  auto view = officer->SubjectAccess(client_id);
  REQUIRE(view.ok());
  REQUIRE(view->cases.size() == 1);
  CHECK(view->cases[0].file.case_record.id == mine);
  bool listed = false;
  for (const auto& w : view->withheld) {
    listed = listed || (w.table == "probation_case" && w.record_id == theirs &&
                        w.ground.find("cita amatpersona") != std::string::npos);
  }
  CHECK(listed);
  // The colleague's case was not read for it.
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE scope=? AND action='read' AND user_id=?",
                      CaseScope(theirs), f.officer)
            .value() == 0);

  auto sup = f.As(f.supervisor);
  TempDir out;
  auto files = documents::ExportSubjectAccess(*sup, client_id, out.path(),
                                              documents::SubjectAccessFormat::kJson);
  REQUIRE(files.ok());
  CHECK(files->cases == 2);
  const Json j = Json::parse(Slurp(files->json_path));
  CHECK(j["counts"]["notes"] == 1);
  CHECK(Slurp(files->json_path).find("KOLĒĢASPIEZĪME") != std::string::npos);
  CHECK(f.db.QueryInt("SELECT count(*) FROM audit WHERE action='subject_access' AND user_id=?",
                      f.supervisor)
            .value() == 2);
}

TEST_CASE("subject access: the command writes PDF and JSON and maps refusals to exit codes",
          "[documents][subject_access][cli]") {
  testing::DocCli cli;
  REQUIRE(cli.Run(cli.Data("d") + " init --demo-org --role officer") == 0);
  REQUIRE(cli.Run(cli.Data("d") +
                  " --json client register --name Anna --surname Kļaviņa --personal-code "
                  "150385-11001 --birth-date 15.03.1985 --kind community_work") == 0);
  const std::string case_id = Json::parse(cli.out)["id"];
  REQUIRE(cli.Run(cli.Data("d") + " show " + case_id) == 0);
  const std::string client_id = Json::parse(cli.out)["client"]["id"];
  const std::string dir = cli.tmp / "package";
  std::filesystem::create_directory(dir);

  CHECK(cli.Run(cli.Data("d") + " subject-access --client " + client_id + " -o '" + dir +
                "' --format xml") == 3);
  CHECK(cli.Run(cli.Data("d") + " subject-access --client " + client_id + " -o '" + dir +
                "/missing'") == 3);
  CHECK(cli.Run(cli.Data("d") + " subject-access --client no-such-client -o '" + dir + "'") == 1);
  CHECK(Files(dir) == 0);
  REQUIRE(cli.Run(cli.Data("d") + " --json subject-access --client " + client_id + " -o '" + dir +
                  "'") == 0);
  const Json r = Json::parse(cli.out);
  CHECK(r["cases"] == 1);
  CHECK(r["pages"].get<int>() >= 1);
  CHECK(Files(dir) == 2);
  CHECK((std::filesystem::status(r["pdf"].get<std::string>()).permissions() &
         std::filesystem::perms::all) == kOwnerOnly);
  CHECK(Squeeze(PdfText(r["pdf"])).find("Kļaviņa") != std::string::npos);
  CHECK(Json::parse(Slurp(r["json"]))["person"]["surname"] == "Kļaviņa");

  // A volunteer coordinator's store: refused, exit 4, nothing written.
  REQUIRE(cli.Run(cli.Data("c") + " init --demo-org --role volunteer_coordinator") == 0);
  const std::string dir2 = cli.tmp / "package2";
  std::filesystem::create_directory(dir2);
  CHECK(cli.Run(cli.Data("c") + " subject-access --client " + client_id + " -o '" + dir2 + "'") ==
        4);
  CHECK(Files(dir2) == 0);
}

// Mediation and transfer records (issue: missing from the package): one client's package holds
// their mediation — mediator, consent, meetings, outcome and agreement — and the case's
// transfers, with the other party and the meetings' notes withheld by kind and ground; none of
// another client's mediation or transfers.
TEST_CASE("subject access: a client's mediation and transfers, and none of another client's",
          "[documents][subject_access][mediation]") {
  ModelFixture f;
  auto officer = f.As(f.officer);
  auto sup = f.As(f.supervisor);
  auto coord = f.As(f.coordinator);
  const std::string mediator = f.Must(coord->Execute(
      RegisterVolunteer{"", "Sarmīte", "Strazda", "", "", "01.02.2026", VolunteerKind::kMediator}));
  for (auto s : {VolunteerStage::kEvaluation, VolunteerStage::kInterview, VolunteerStage::kTraining,
                 VolunteerStage::kCertified}) {
    REQUIRE(coord->Execute(AdvanceVolunteerStage{mediator, s, "", ""}).ok());
  }
  // Two mediation clients, each with a harmed person, a held meeting with a note, an outcome
  // and a transfer offered to the other unit; markers tell A's from B's.
  auto mediation = [&](const char* surname, const char* code, const std::string& tag) {
    RegisterClient c;
    c.name = "Roberts";
    c.surname = surname;
    c.personal_code = code;
    c.kind = CaseKind::kMediation;
    c.opened_on = "02.03.2026";
    const std::string m = f.Must(officer->Execute(c));
    const std::string party = f.Must(
        officer->Execute(AddMediationParty{m, "Līga" + tag, "Ābola", "+371 2600" + tag, ""}));
    f.Must(officer->Execute(AssignMediator{m, mediator}));
    f.Must(officer->Execute(RecordMediationConsent{m, "", "04.03.2026"}));
    f.Must(officer->Execute(RecordMediationConsent{m, party, "05.03.2026"}));
    RecordMediationMeeting held;
    held.case_id = m;
    held.meeting_on = "10.03.2026";
    held.status = MediationMeetingStatus::kHeld;
    held.party_ids = {party};
    held.client_attended = true;
    held.note = "MEDNOTE" + tag;
    f.Must(officer->Execute(held));
    f.Must(officer->Execute(RecordMediationOutcome{m, MediationOutcome::kAgreement, "12.03.2026",
                                                   "MEDTERMS" + tag, "30.04.2026"}));
    f.Must(sup->Execute(OfferCaseTransfer{m, f.other_unit, "pārceļas uz Ventspili " + tag}));
    return m;
  };
  const std::string a = mediation("Zariņš", testing::kCode1990, "AAA");
  const std::string b = mediation("Kalns", testing::kCode1999, "BBB");
  const std::string a_client = officer->CaseFile(a)->client.id;

  TempDir out;
  auto files = documents::ExportSubjectAccess(*officer, a_client, out.path(),
                                              documents::SubjectAccessFormat::kBoth);
  REQUIRE(files.ok());
  const std::string json_text = Slurp(files->json_path);
  const Json j = Json::parse(json_text);
  REQUIRE(j["cases"].size() == 1);
  const Json& c = j["cases"][0];
  REQUIRE(c["mediation"].is_object());
  CHECK(c["mediation"]["mediator"] == "Sarmīte Strazda");
  CHECK(c["mediation"]["client_consent_on"] == "2026-03-04");
  CHECK(c["mediation"]["outcome"] == "agreement");
  CHECK(c["mediation"]["agreement_terms"] == "MEDTERMSAAA");
  CHECK(c["mediation"]["agreement_due_on"] == "2026-04-30");
  REQUIRE(c["mediation_meetings"].size() == 1);
  CHECK(c["mediation_meetings"][0]["meeting_on"] == "2026-03-10");
  CHECK(c["mediation_meetings"][0]["status"] == "held");
  CHECK(c["mediation_meetings"][0]["client_attended"] == true);
  REQUIRE(c["transfers"].size() == 1);
  CHECK(c["transfers"][0]["reason"] == "pārceļas uz Ventspili AAA");
  CHECK(c["transfers"][0]["status"] == "offered");
  CHECK(c["transfers"][0]["to_unit"] == "Ventspils struktūrvienība");
  CHECK(j["counts"]["mediation_meetings"] == 1);
  CHECK(j["counts"]["transfers"] == 1);
  // Withheld: the other party and the meeting's note, by kind and ground, never the content.
  size_t party_rows = 0, note_rows = 0;
  for (const auto& w : j["withheld"]) {
    party_rows += w["table"] == "mediation_party";
    note_rows += w["table"] == "mediation_meeting";
  }
  CHECK(party_rows == 1);
  CHECK(note_rows == 1);
  for (const char* hidden : {"LīgaAAA", "+371 2600AAA", "MEDNOTEAAA"})
    CHECK(json_text.find(hidden) == std::string::npos);
  // Nothing of B's.
  for (const char* other : {"BBB", "Kalns"}) CHECK(json_text.find(other) == std::string::npos);
  CHECK(json_text.find(b) == std::string::npos);

  const std::string pdf = Squeeze(PdfText(files->pdf_path));
  CHECK(pdf.find("Izlīgums") != std::string::npos);
  CHECK(pdf.find("MEDTERMSAAA") != std::string::npos);
  CHECK(pdf.find("Sarmīte Strazda") != std::string::npos);
  CHECK(pdf.find("pārceļas uz Ventspili AAA") != std::string::npos);
  CHECK(pdf.find("16.03.2026 no: Liepājas struktūrvienība uz: Ventspils struktūrvienība") !=
        std::string::npos);
  CHECK(pdf.find("Izlīguma otrā puse") != std::string::npos);
  for (const char* hidden : {"LīgaAAA", "MEDNOTEAAA", "BBB", "Kalns"})
    CHECK(pdf.find(hidden) == std::string::npos);
}
