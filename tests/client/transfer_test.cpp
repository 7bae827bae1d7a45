// Transfers of a case between units (client/workflows_transfer.cpp), rules X1-X4, on one store
// that holds every user's rows (the model fixture); the sync side is tests/client/
// cli_transfer_test.cpp.
#include <catch2/catch.hpp>

#include "client/agenda.hpp"
#include "client/schema.hpp"
#include "tests/client/model_fixture.hpp"

using namespace lietvedis;
using namespace lietvedis::client;

namespace {

void CheckCode(const Result<std::string>& r, Errc code, const std::string& field = {}) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  if (!field.empty()) CHECK(r.error().message.rfind(field + ":", 0) == 0);
}

std::string TransferUnitOf(storage::Database& db, const std::string& scope) {
  auto scopes = LocalScopes(db);
  REQUIRE(scopes.ok());
  for (const auto& s : *scopes) {
    if (s.scope == scope) return s.transfer_unit_id;
  }
  FAIL("no local scope " << scope);
  return {};
}

}  // namespace

TEST_CASE("transfer: offer, read by the receiving supervisor, accept with a new officer",
          "[client][transfer]") {
  testing::ModelFixture f;
  const std::string receiving_sup = testing::ModelFixture::Must(
      BootstrapUser(f.db, *f.replica, "Dace Kalna", Role::kSupervisor, f.other_unit));
  auto officer = f.As(f.officer);
  auto sup = f.As(f.supervisor);
  auto recv = f.As(receiving_sup);
  auto new_officer = f.As(f.officer_other_unit);
  const std::string case_id = f.RegisterBerzins(*officer);
  const auto outbox = f.Outbox();

  // X1 refusals, nothing written.
  CheckCode(officer->Execute(OfferCaseTransfer{case_id, f.other_unit, "pārcēlās"}),
            Errc::kNotPermitted);
  CheckCode(recv->Execute(OfferCaseTransfer{case_id, f.other_unit, "pārcēlās"}),
            Errc::kNotPermitted);
  CheckCode(sup->Execute(OfferCaseTransfer{case_id, f.unit, "pārcēlās"}), Errc::kValidation,
            "to_unit_id");
  CheckCode(sup->Execute(OfferCaseTransfer{case_id, "nav-tādas", "pārcēlās"}), Errc::kValidation,
            "to_unit_id");
  CheckCode(sup->Execute(OfferCaseTransfer{case_id, f.other_unit, ""}), Errc::kValidation,
            "reason");
  const std::string referral = f.ReferToMentoring(*officer, case_id);
  const auto with_referral = f.Outbox();
  CheckCode(sup->Execute(OfferCaseTransfer{case_id, f.other_unit, "pārcēlās"}), Errc::kValidation,
            "case_id");
  CHECK(f.Outbox() == with_referral);
  REQUIRE(officer->Execute(EndMentoringReferral{referral, "07.03.2026"}).ok());
  CHECK(f.Outbox() > outbox);

  // The receiving supervisor reads nothing before the offer.
  auto before = recv->CaseFile(case_id);
  REQUIRE_FALSE(before.ok());
  CHECK(before.error().code == Errc::kNotPermitted);
  const std::string t = testing::ModelFixture::Must(
      sup->Execute(OfferCaseTransfer{case_id, f.other_unit, "Klients pārcēlās uz Ventspili"}));
  CHECK(TransferUnitOf(f.db, CaseScope(case_id)) == f.other_unit);
  CheckCode(sup->Execute(OfferCaseTransfer{case_id, f.other_unit, "vēlreiz"}), Errc::kValidation,
            "case_id");
  CheckCode(officer->Execute(ReferToMentoring{case_id, "05.03.2026", "06.03.2026"}),
            Errc::kValidation, "case_id");

  // X2: the receiving supervisor reads the file and sees the offer; nobody else there does;
  // the sending unit works on.
  auto file = recv->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->transfers.size() == 1);
  CHECK(file->transfers[0].status == TransferStatus::kOffered);
  CHECK(file->transfers[0].reason == "Klients pārcēlās uz Ventspili");
  CHECK(file->transfers[0].to_unit_name == "Ventspils struktūrvienība");
  auto incoming = recv->Transfers(true);
  REQUIRE(incoming.ok());
  REQUIRE(incoming->size() == 1);
  CHECK(incoming->at(0).id == t);
  CHECK(sup->Transfers(true)->empty());
  CHECK(sup->Transfers(false)->size() == 1);
  CHECK_FALSE(officer->Transfers(false).ok());
  // The receiving supervisor's agenda lists the offer as waiting, with the client's name.
  auto agenda = BuildAgenda(*recv, f.db);
  REQUIRE(agenda.ok());
  int offers = 0;
  for (const auto& item : agenda->items) {
    if (item.kind != AgendaKind::kTransferOffered) continue;
    ++offers;
    CHECK(item.record_id == t);
    CHECK(item.case_id == case_id);
    CHECK(item.bucket == AgendaBucket::kThisWeek);
    CHECK(item.client_surname == "Bērziņš");
    CHECK(item.detail == "Liepājas struktūrvienība");
  }
  CHECK(offers == 1);
  CHECK_FALSE(new_officer->CaseFile(case_id).ok());
  CHECK_FALSE(recv->Execute(AddNote{case_id, "piezīme", "", ""}).ok());
  CHECK(officer->Execute(AddNote{case_id, "vēl Liepājā", "", ""}).ok());

  // X3: who takes which step.
  CheckCode(sup->Execute(DeclineCaseTransfer{t, "nē"}), Errc::kNotPermitted);
  CheckCode(sup->Execute(AcceptCaseTransfer{t, f.officer2, ""}), Errc::kNotPermitted);
  CheckCode(recv->Execute(WithdrawCaseTransfer{t, ""}), Errc::kNotPermitted);
  CheckCode(recv->Execute(AcceptCaseTransfer{t, f.officer2, ""}), Errc::kValidation,
            "new_officer_id");
  CheckCode(recv->Execute(DeclineCaseTransfer{t, ""}), Errc::kValidation, "reason");
  REQUIRE(recv->Execute(AcceptCaseTransfer{t, f.officer_other_unit, "Pieņemts"}).ok());
  CheckCode(recv->Execute(DeclineCaseTransfer{t, "vēlu"}), Errc::kNotPermitted);
  CheckCode(sup->Execute(WithdrawCaseTransfer{t, ""}), Errc::kNotPermitted);

  // X4: the case is the receiving unit's, with its history.
  CHECK(f.db.QueryInt("SELECT count(*) FROM probation_case WHERE id=? AND unit_id=? AND "
                      "responsible_officer_id=?",
                      case_id, f.other_unit, f.officer_other_unit)
            .value() == 1);
  CHECK(TransferUnitOf(f.db, CaseScope(case_id)).empty());
  auto moved = new_officer->CaseFile(case_id);
  REQUIRE(moved.ok());
  CHECK(moved->notes.size() == 1);
  REQUIRE(moved->transfers.size() == 1);
  CHECK(moved->transfers[0].status == TransferStatus::kAccepted);
  CHECK(moved->transfers[0].new_officer_name == "Pēteris Liepa");
  CHECK(recv->CaseFile(case_id).ok());
  auto after = BuildAgenda(*recv, f.db);
  REQUIRE(after.ok());
  for (const auto& item : after->items) CHECK(item.kind != AgendaKind::kTransferOffered);
  CHECK_FALSE(officer->CaseFile(case_id).ok());
  CHECK_FALSE(sup->CaseFile(case_id).ok());
}

TEST_CASE("transfer: withdrawn by the sender or declined by the receiver, the case stays",
          "[client][transfer]") {
  testing::ModelFixture f;
  const std::string receiving_sup = testing::ModelFixture::Must(
      BootstrapUser(f.db, *f.replica, "Dace Kalna", Role::kSupervisor, f.other_unit));
  auto officer = f.As(f.officer);
  auto sup = f.As(f.supervisor);
  auto recv = f.As(receiving_sup);
  const std::string case_id = f.RegisterBerzins(*officer);
  const std::string t1 = testing::ModelFixture::Must(
      sup->Execute(OfferCaseTransfer{case_id, f.other_unit, "pārcēlās"}));
  REQUIRE(sup->Execute(WithdrawCaseTransfer{t1, "Klients paliek"}).ok());
  CHECK(TransferUnitOf(f.db, CaseScope(case_id)).empty());
  CHECK_FALSE(recv->CaseFile(case_id).ok());
  const std::string t2 = testing::ModelFixture::Must(
      sup->Execute(OfferCaseTransfer{case_id, f.other_unit, "tomēr pārcēlās"}));
  REQUIRE(recv->Execute(DeclineCaseTransfer{t2, "Nav brīvu amatpersonu"}).ok());
  CHECK_FALSE(recv->CaseFile(case_id).ok());
  auto file = officer->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->transfers.size() == 2);
  CHECK(file->transfers[0].status == TransferStatus::kWithdrawn);
  CHECK(file->transfers[0].decision_note == "Klients paliek");
  CHECK(file->transfers[1].status == TransferStatus::kDeclined);
  CHECK(file->transfers[1].decision_note == "Nav brīvu amatpersonu");
  CHECK(file->transfers[1].decided_by_name == "Dace Kalna");
  CHECK(
      f.db.QueryInt("SELECT count(*) FROM probation_case WHERE id=? AND unit_id=?", case_id, f.unit)
          .value() == 1);
}
