// Evaluation reports through the Workspace on real SQLite stores: the life of a request and
// its report, every refusal leaving the store untouched, the agenda's deadline and draft
// items, and a draft written on two devices converging.
#include <catch2/catch.hpp>

#include "client/agenda.hpp"
#include "client/validation.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;
using lietvedis::testing::ModelFixture;

namespace {

// Registers "Līga Cīrule" with an evaluation-report case (opened 01.03.2026) and records a
// court's request received 02.03.2026, due 31.03.2026; returns {case id, request id}.
std::pair<std::string, std::string> EvaluationCase(ModelFixture& f, Workspace& ws,
                                                   const char* deadline = "31.03.2026") {
  RegisterClient c;
  c.name = "Līga";
  c.surname = "Cīrule";
  c.personal_code = testing::kCode1990;
  c.kind = CaseKind::kEvaluationReport;
  c.opened_on = "01.03.2026";
  const std::string case_id = f.Must(ws.Execute(c));
  RecordEvaluationRequest r{case_id,      Requester::kCourt, "Kurzemes rajona tiesa",
                            "K-2026/117", "02.03.2026",      deadline};
  return {case_id, f.Must(ws.Execute(r))};
}

std::string SignedAssessment(ModelFixture& f, Workspace& ws, const std::string& case_id) {
  RecordAssessment a;
  a.case_id = case_id;
  a.instrument_version = "2.1";
  a.assessed_on = "05.03.2026";
  a.total_score = 23;
  a.risk_level = RiskLevel::kMedium;
  a.needs = {NeedDomain::kAlcohol, NeedDomain::kEducationEmployment};
  const std::string id = f.Must(ws.Execute(a));
  REQUIRE(ws.Execute(SignAssessment{id}).ok());
  return id;
}

DraftEvaluationReport AllSections(const std::string& request, const std::string& assessment) {
  DraftEvaluationReport d;
  d.request_id = request;
  d.circumstances = "Dzīvo Liepājā pie mātes; strādā gadījuma darbus ostā.";
  d.offence = "Zādzība no veikala; atzīst vainu.";
  d.risk_needs = "Vidējs risks; vajadzības: alkohols, nodarbinātība.";
  d.attitude = "Motivēts mainīties, piekrīt programmai.";
  d.conclusion = "Ieteicams nosacīts sods ar probācijas uzraudzību.";
  d.assessment_id = assessment;
  return d;
}

const EvaluationReport* ReportOf(const CaseFileView& f, const std::string& id) {
  for (const auto& r : f.evaluation_reports) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// Everything a refused command might have touched, to compare before and after.
struct Snapshot {
  std::int64_t outbox, audit, reports, corrections;
  std::string request, report;
  bool operator==(const Snapshot&) const = default;
};
Snapshot Take(ModelFixture& f, const std::string& request) {
  Snapshot s;
  s.outbox = f.Outbox();
  s.audit = f.Count("audit");
  s.reports = f.Count("evaluation_report");
  s.corrections = f.Count("correction");
  auto st = f.db.Prepare(
      "SELECT coalesce(status,'') || '|' || coalesce(started_on,'') || '|' || "
      "coalesce(submitted_on,'') || '|' || coalesce(withdrawn_on,'') FROM evaluation_request "
      "WHERE id=?");
  REQUIRE(st.ok());
  st->Bind(1, request);
  REQUIRE(st->Step().ok());
  s.request = st->Text(0);
  auto rt = f.db.Prepare(
      "SELECT coalesce(circumstances,'') || '|' || coalesce(offence,'') || '|' || "
      "coalesce(risk_needs,'') || '|' || coalesce(attitude,'') || '|' || "
      "coalesce(conclusion,'') || '|' || coalesce(assessment_id,'') || '|' || "
      "coalesce(signed_at,'') FROM evaluation_report WHERE id=?");
  REQUIRE(rt.ok());
  rt->Bind(1, request);
  auto row = rt->Step();
  REQUIRE(row.ok());
  s.report = *row ? rt->Text(0) : "(none)";
  return s;
}

}  // namespace

TEST_CASE("an evaluation report from the request to its submission", "[client][evaluation]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const auto ids = EvaluationCase(f, *ws);
  const std::string case_id = ids.first, request = ids.second;
  const std::string assessment = SignedAssessment(f, *ws, case_id);

  REQUIRE(f.Must(ws->Execute(StartEvaluationReport{request, "04.03.2026"})) == request);
  {
    auto file = ws->CaseFile(case_id);
    REQUIRE(file.ok());
    CHECK(file->evaluation_requests.at(0).status == EvaluationStatus::kInProgress);
    CHECK(file->evaluation_requests.at(0).started_on == "2026-03-04");
    const EvaluationReport* r = ReportOf(*file, request);
    REQUIRE(r != nullptr);
    CHECK(r->request_id == request);
    CHECK(r->author_id == f.officer);
    CHECK(!r->IsSigned());
    for (ReportSection s : kReportSections) CHECK(r->Section(s).empty());
  }

  // Drafted over days: each draft writes only the sections it carries.
  DraftEvaluationReport day1;
  day1.request_id = request;
  day1.circumstances = "Dzīvo Liepājā pie mātes; strādā gadījuma darbus ostā.";
  day1.offence = "Zādzība no veikala.";
  REQUIRE(ws->Execute(day1).ok());
  DraftEvaluationReport day2;
  day2.request_id = request;
  day2.offence = "Zādzība no veikala; atzīst vainu un atlīdzināja zaudējumus.";
  day2.risk_needs = "Vidējs risks; vajadzības: alkohols, nodarbinātība.";
  day2.attitude = "Motivēts mainīties.";
  day2.conclusion = "Ieteicams nosacīts sods ar probācijas uzraudzību.";
  day2.assessment_id = assessment;
  REQUIRE(ws->Execute(day2).ok());
  {
    auto file = ws->CaseFile(case_id);
    const EvaluationReport* r = ReportOf(*file, request);
    REQUIRE(r != nullptr);
    CHECK(r->circumstances == *day1.circumstances);  // kept from day 1
    CHECK(r->offence == *day2.offence);              // replaced on day 2
    CHECK(r->assessment_id == assessment);
    CHECK(CountWords(r->offence) == 8);
  }

  REQUIRE(f.Must(ws->Execute(SignEvaluationReport{request})) == request);
  auto file = ws->CaseFile(case_id);
  const EvaluationReport* r = ReportOf(*file, request);
  REQUIRE(r != nullptr);
  CHECK(r->IsSigned());
  CHECK(r->signed_by == f.officer);
  CHECK(r->signed_at.substr(0, 10) == "2026-03-16");

  // Signed: immutable; a correction is appended and the text stays as signed.
  const Snapshot before = Take(f, request);
  DraftEvaluationReport late;
  late.request_id = request;
  late.conclusion = "Cits ieteikums.";
  auto refused = ws->Execute(late);
  REQUIRE(!refused.ok());
  CHECK(refused.error().code == Errc::kNotPermitted);
  CHECK(ws->Execute(SignEvaluationReport{request}).error().code == Errc::kNotPermitted);
  CHECK(Take(f, request) == before);
  REQUIRE(ws->Execute(CorrectRecord{"evaluation_report", request, "offence",
                                    "Zādzība no veikala (divas epizodes).",
                                    "tiesas materiālos divas epizodes"})
              .ok());
  file = ws->CaseFile(case_id);
  CHECK(ReportOf(*file, request)->offence == *day2.offence);
  bool corrected = false;
  for (const auto& c : file->corrections) {
    corrected = corrected || (c.target_table == "evaluation_report" && c.target_id == request &&
                              c.field == "offence");
  }
  CHECK(corrected);

  // Submission: not before signing, not in the future; then final.
  CHECK(ws->Execute(SubmitEvaluationReport{request, "15.03.2026"}).error().message ==
        "submitted_on: before the report was signed");
  CHECK(ws->Execute(SubmitEvaluationReport{request, "17.03.2026"}).error().message ==
        "submitted_on: in the future");
  REQUIRE(ws->Execute(SubmitEvaluationReport{request, ""}).ok());
  file = ws->CaseFile(case_id);
  CHECK(file->evaluation_requests.at(0).status == EvaluationStatus::kSubmitted);
  CHECK(file->evaluation_requests.at(0).submitted_on == "2026-03-16");
  CHECK(ws->Execute(SubmitEvaluationReport{request, ""}).error().code == Errc::kNotPermitted);
  CHECK(ws->Execute(WithdrawEvaluationRequest{request, "", "atsaukts"}).error().code ==
        Errc::kNotPermitted);

  // The history of the report names its creation, drafts and signature by columns only.
  auto history = ws->History("evaluation_report", request);
  REQUIRE(history.ok());
  CHECK(history->entries.size() >= 4);
  for (const auto& e : history->entries) {
    // History() of one record names the fields written, not their text (the case history,
    // CaseHistory, shows values to the case's readers).
    CHECK(e.detail.find("Liepājā") == std::string::npos);
  }
}

TEST_CASE("evaluation reports: refusals name the field and write nothing",
          "[client][evaluation][validation]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const auto ids = EvaluationCase(f, *ws);
  const std::string case_id = ids.first, request = ids.second;
  auto expect_refused = [&](const Command& c, Errc code, const std::string& message) {
    const Snapshot before = Take(f, request);
    auto r = ws->Execute(c);
    REQUIRE(!r.ok());
    CHECK(r.error().code == code);
    CHECK(r.error().message == message);
    CHECK(Take(f, request) == before);
  };

  // Before the start.
  DraftEvaluationReport early;
  early.request_id = request;
  early.offence = "x";
  expect_refused(
      early, Errc::kValidation,
      "request_id: the report is not started (evaluation start --request " + request + ")");
  expect_refused(
      SubmitEvaluationReport{request, ""}, Errc::kValidation,
      "request_id: the report is not signed; sign it before submitting (request " + request + ")");
  expect_refused(StartEvaluationReport{request, "01.03.2026"}, Errc::kValidation,
                 "started_on: before the request was received");
  expect_refused(StartEvaluationReport{request, "17.03.2026"}, Errc::kValidation,
                 "started_on: in the future");
  expect_refused(StartEvaluationReport{request, "31.02.2026"}, Errc::kValidation,
                 "started_on: not a calendar date");
  expect_refused(StartEvaluationReport{"", ""}, Errc::kValidation, "request_id: required");
  {
    // Another officer of the unit does not write this case file.
    auto other = f.As(f.officer2);
    const Snapshot before = Take(f, request);
    CHECK(other->Execute(StartEvaluationReport{request, ""}).error().code == Errc::kNotPermitted);
    CHECK(Take(f, request) == before);
  }
  REQUIRE(ws->Execute(StartEvaluationReport{request, ""}).ok());
  expect_refused(StartEvaluationReport{request, ""}, Errc::kNotPermitted,
                 "evaluation_request " + request + " is already in progress");

  // Drafting: valid UTF-8, bounded, an assessment of this case.
  DraftEvaluationReport bad = early;
  bad.offence = std::string("Zādzība \xC3\x28");
  expect_refused(bad, Errc::kValidation, "offence: not valid UTF-8");
  bad.offence = std::string(kEvaluationSectionMaxBytes + 1, 'a');
  expect_refused(
      bad, Errc::kValidation,
      "offence: too long (at most " + std::to_string(kEvaluationSectionMaxBytes) + " bytes)");
  DraftEvaluationReport nothing;
  nothing.request_id = request;
  expect_refused(nothing, Errc::kValidation, "sections: nothing to draft (give a section's text)");
  const std::string other_case = f.RegisterBerzins(*ws);
  const std::string foreign = SignedAssessment(f, *ws, other_case);
  DraftEvaluationReport wrong_case = early;
  wrong_case.assessment_id = foreign;
  expect_refused(wrong_case, Errc::kValidation,
                 "assessment_id: not an assessment of this case (" + foreign + ")");

  // Signing: every section, and a signed assessment of this case.
  expect_refused(SignEvaluationReport{request}, Errc::kValidation,
                 "circumstances: required to sign the report (sections still empty: "
                 "circumstances, offence, risk_needs, attitude, conclusion)");
  RecordAssessment draft_assessment;
  draft_assessment.case_id = case_id;
  draft_assessment.instrument_version = "2.1";
  draft_assessment.risk_level = RiskLevel::kHigh;
  const std::string unsigned_assessment = f.Must(ws->Execute(draft_assessment));
  DraftEvaluationReport most = AllSections(request, unsigned_assessment);
  most.attitude = "  \n ";  // blanks only: still empty
  REQUIRE(ws->Execute(most).ok());
  expect_refused(SignEvaluationReport{request}, Errc::kValidation,
                 "attitude: required to sign the report (sections still empty: attitude)");
  DraftEvaluationReport attitude;
  attitude.request_id = request;
  attitude.attitude = "Motivēts.";
  attitude.assessment_id = "";  // cleared
  REQUIRE(ws->Execute(attitude).ok());
  expect_refused(SignEvaluationReport{request}, Errc::kValidation,
                 "assessment_id: required to sign the report (the signed assessment the risk "
                 "and needs section rests on)");
  attitude.attitude.reset();
  attitude.assessment_id = unsigned_assessment;
  REQUIRE(ws->Execute(attitude).ok());
  expect_refused(
      SignEvaluationReport{request}, Errc::kValidation,
      "assessment_id: the assessment is not signed; sign it before the report (assessment " +
          unsigned_assessment + ")");
  expect_refused(
      SubmitEvaluationReport{request, ""}, Errc::kValidation,
      "request_id: the report is not signed; sign it before submitting (request " + request + ")");
  // Withdrawal needs a reason.
  expect_refused(WithdrawEvaluationRequest{request, "", " "}, Errc::kValidation,
                 "reason: required");
  expect_refused(WithdrawEvaluationRequest{request, "", ""}, Errc::kValidation, "reason: required");

  REQUIRE(ws->Execute(SignAssessment{unsigned_assessment}).ok());
  REQUIRE(ws->Execute(SignEvaluationReport{request}).ok());
}

TEST_CASE("evaluation requests are withdrawn with a reason, before or during drafting",
          "[client][evaluation]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  const auto ids = EvaluationCase(f, *ws);
  const std::string case_id = ids.first, first = ids.second;
  RecordEvaluationRequest again{case_id,   Requester::kProsecutor, "Liepājas prokuratūra",
                                "11-22/5", "03.03.2026",           "20.03.2026"};
  const std::string second = f.Must(ws->Execute(again));

  // Requested, never started.
  REQUIRE(ws->Execute(WithdrawEvaluationRequest{first, "10.03.2026", "tiesa atsauca pieprasījumu"})
              .ok());
  // In progress with a draft.
  REQUIRE(ws->Execute(StartEvaluationReport{second, ""}).ok());
  DraftEvaluationReport d;
  d.request_id = second;
  d.offence = "Nav zināms.";
  REQUIRE(ws->Execute(d).ok());
  REQUIRE(ws->Execute(WithdrawEvaluationRequest{second, "", "lieta izbeigta"}).ok());

  auto file = ws->CaseFile(case_id);
  REQUIRE(file.ok());
  for (const auto& q : file->evaluation_requests) {
    CHECK(q.status == EvaluationStatus::kWithdrawn);
    CHECK(!q.withdrawal_reason.empty());
  }
  const Snapshot before = Take(f, second);
  CHECK(ws->Execute(d).error().code == Errc::kNotPermitted);
  CHECK(ws->Execute(SignEvaluationReport{second}).error().code == Errc::kNotPermitted);
  CHECK(ws->Execute(StartEvaluationReport{first, ""}).error().code == Errc::kNotPermitted);
  CHECK(ws->Execute(WithdrawEvaluationRequest{first, "", "vēlreiz"}).error().code ==
        Errc::kNotPermitted);
  CHECK(Take(f, second) == before);
  // The draft of a withdrawn request stays readable.
  CHECK(ReportOf(*file, second)->offence == "Nav zināms.");
}

TEST_CASE("the agenda lists evaluation deadlines and unsigned drafts", "[client][evaluation]") {
  ModelFixture f;
  auto ws = f.As(f.officer);
  // Due 20.03.2026: four days after the pinned today, within the week.
  const auto ids = EvaluationCase(f, *ws, "20.03.2026");
  const std::string case_id = ids.first, request = ids.second;
  auto items = [&](const std::string& today) {
    auto agenda = BuildAgenda(*ws, f.db, today);
    REQUIRE(agenda.ok());
    std::vector<AgendaItem> out;
    for (const auto& i : agenda->items) {
      if (i.record_id == request) out.push_back(i);
    }
    return out;
  };
  auto one = items("16.03.2026");
  REQUIRE(one.size() == 1);
  CHECK(one[0].kind == AgendaKind::kEvaluationDeadline);
  CHECK(one[0].bucket == AgendaBucket::kThisWeek);
  CHECK(one[0].due_on == "2026-03-20");
  CHECK(one[0].detail == "court");
  CHECK(one[0].client_surname == "Cīrule");
  CHECK(items("05.03.2026").empty());  // more than a week ahead

  const std::string assessment = SignedAssessment(f, *ws, case_id);
  REQUIRE(ws->Execute(StartEvaluationReport{request, ""}).ok());
  auto draft = items("16.03.2026");
  REQUIRE(draft.size() == 1);  // the draft replaces the bare deadline
  CHECK(draft[0].kind == AgendaKind::kEvaluationDraft);
  CHECK(draft[0].due_on == "2026-03-20");
  auto late = items("23.03.2026");
  REQUIRE(late.size() == 1);
  CHECK(late[0].bucket == AgendaBucket::kOverdue);
  CHECK(late[0].kind == AgendaKind::kEvaluationDraft);

  REQUIRE(ws->Execute(AllSections(request, assessment)).ok());
  REQUIRE(ws->Execute(SignEvaluationReport{request}).ok());
  auto waiting = items("16.03.2026");
  REQUIRE(waiting.size() == 1);  // signed, not yet submitted: the deadline again
  CHECK(waiting[0].kind == AgendaKind::kEvaluationDeadline);
  REQUIRE(ws->Execute(SubmitEvaluationReport{request, ""}).ok());
  CHECK(items("16.03.2026").empty());
}

namespace {

// Ships every change in `from`'s outbox to `to` (as the central store would relay them) and
// marks them pushed.
void Ship(sync::Replica& from, storage::Database& to_db, sync::Replica& to) {
  auto batches = from.ReadOutbox(1'000'000, 1'000'000);
  REQUIRE(batches.ok());
  auto tx = storage::Transaction::Begin(to_db);
  REQUIRE(tx.ok());
  for (const auto& b : *batches) {
    auto applied = to.ApplyRemote(b.changes);
    INFO((applied.ok() ? std::string() : applied.error().message));
    REQUIRE(applied.ok());
  }
  REQUIRE(tx->Commit().ok());
  for (const auto& b : *batches) REQUIRE(from.MarkPushed(b.scope, b.first_seq, b.last_seq).ok());
}

}  // namespace

TEST_CASE("a report drafted on two devices converges, sections from both kept",
          "[client][evaluation][sync]") {
  ModelFixture a;  // the officer's laptop
  testing::TempDir dir_b;
  auto opened = storage::Database::Open(dir_b / "b.db");
  REQUIRE(opened.ok());
  storage::Database db_b = std::move(opened).value();
  auto rep_b = OpenClientReplica(db_b, "site-b");
  REQUIRE(rep_b.ok());

  auto ws_a = a.As(a.officer);
  const auto ids = EvaluationCase(a, *ws_a);
  const std::string case_id = ids.first, request = ids.second;
  const std::string assessment = SignedAssessment(a, *ws_a, case_id);
  Ship(*a.replica, db_b, **rep_b);  // the office desktop receives the case

  WorkspaceOptions pinned;
  pinned.now_ms = [] { return testing::kPinnedNowMs; };
  auto opened_ws = Workspace::Open(db_b, **rep_b, a.officer, pinned);
  REQUIRE(opened_ws.ok());
  auto ws_b = std::move(opened_ws).value();

  // Both start the same request offline: one report row (the request's id) on each.
  REQUIRE(ws_a->Execute(StartEvaluationReport{request, ""}).ok());
  REQUIRE(ws_b->Execute(StartEvaluationReport{request, ""}).ok());
  DraftEvaluationReport on_a;
  on_a.request_id = request;
  on_a.circumstances = "Strādā ostā; dzīvo pie mātes Liepājā.";
  on_a.assessment_id = assessment;
  REQUIRE(ws_a->Execute(on_a).ok());
  DraftEvaluationReport on_b;
  on_b.request_id = request;
  on_b.conclusion = "Ieteicama probācijas uzraudzība ar programmu «Pārmaiņām Jā!».";
  REQUIRE(ws_b->Execute(on_b).ok());

  Ship(*a.replica, db_b, **rep_b);
  Ship(**rep_b, a.db, *a.replica);

  for (Workspace* ws : {ws_a.get(), ws_b.get()}) {
    auto file = ws->CaseFile(case_id);
    REQUIRE(file.ok());
    REQUIRE(file->evaluation_reports.size() == 1);
    const EvaluationReport& r = file->evaluation_reports[0];
    CHECK(r.circumstances == *on_a.circumstances);
    CHECK(r.conclusion == *on_b.conclusion);
    CHECK(r.assessment_id == assessment);
    CHECK(file->evaluation_requests.at(0).status == EvaluationStatus::kInProgress);
  }
  CHECK(db_b.QueryInt("SELECT count(*) FROM evaluation_report").value() == 1);
  CHECK(a.Count("evaluation_report") == 1);

  // Finished and signed on the desktop; the laptop receives the signature and refuses edits.
  auto rest = AllSections(request, assessment);
  rest.circumstances.reset();
  rest.conclusion.reset();
  REQUIRE(ws_b->Execute(rest).ok());
  REQUIRE(ws_b->Execute(SignEvaluationReport{request}).ok());
  Ship(**rep_b, a.db, *a.replica);
  auto file = ws_a->CaseFile(case_id);
  REQUIRE(file.ok());
  CHECK(file->evaluation_reports.at(0).IsSigned());
  CHECK(ws_a->Execute(on_a).error().code == Errc::kNotPermitted);
  CHECK(ws_a->Execute(SubmitEvaluationReport{request, ""}).ok());
}
