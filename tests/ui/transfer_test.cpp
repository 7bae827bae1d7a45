// A case's transfer between units in the real lietvedis-desktop under Xvfb (ui/form_transfer.cpp):
// Liepāja's supervisor offers the case to Jelgava (refused first without a unit), Jelgava's
// supervisor finds the offer on the agenda, opens the case, is refused without an officer and
// accepts it for one. Each run ends by reading the store back through the Workspace.
#include <catch2/catch.hpp>
#include <string>

#include "client/schema.hpp"
#include "client/workspace.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/ui/officer_store.hpp"
#include "ui/session.hpp"

using namespace lietvedis;
using namespace lietvedis::testing::desktop;

namespace {

constexpr const char* kOffer = R"lvs(expect "Vadītāja pārskats"
idle
click "#nav_caseload"
idle
click "#search"
type "@CODE@"
idle
click "#row0"
idle
click "#transfer_open"
expect "Lietas nodošana citai struktūrvienībai"
click "#transfer_reason"
type "Klients pārcēlās uz Jelgavu"
click "#transfer_send"
idle
expect "obligāts lauks"
screenshot "@OUT@/transfer-refused.png"
click "#transfer_unit"
click "Jelgavas struktūrvienība"
click "#transfer_send"
idle
wait 2
expect "Lieta piedāvāta struktūrvienībai Jelgavas struktūrvienība; gaida tās lēmumu."
screenshot "@OUT@/transfer-offered.png"
lang en
expect "The case is offered to Jelgavas struktūrvienība and awaits its decision."
lang lv
quit
)lvs";

constexpr const char* kAccept = R"lvs(expect "Vadītāja pārskats"
idle
click "#nav_agenda"
idle
expect "Piedāvāta lieta no citas struktūrvienības"
click "#agenda_this_week_0"
idle
wait 2
expect "Liepājas struktūrvienība piedāvā šo lietu jūsu struktūrvienībai."
expect "Iemesls: Klients pārcēlās uz Jelgavu"
click "#transfer_accept"
idle
expect "obligāts lauks"
click "#transfer_officer"
click "Pēteris Liepa"
click "#transfer_note"
type "Pieņemts"
click "#transfer_accept"
idle
wait 2
expect "Nodošana: Liepājas struktūrvienība → Jelgavas struktūrvienība, Pieņemta"
screenshot "@OUT@/transfer-accepted.png"
quit
)lvs";

}  // namespace

TEST_CASE("a case offered to another unit from the case file, accepted there from the agenda",
          "[ui][gl][slow][forms]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  const std::string case_id = PrepareOfficerStore(data);
  std::string jelgava, officer;
  {
    ui::Session s;
    SignInAs(s, data, "supervisor");
    storage::Database& db = *s.db();
    sync::Replica& rep = *s.replica();
    auto st = db.Prepare("SELECT region_id FROM org_unit LIMIT 1");
    REQUIRE(st.ok());
    REQUIRE(st->Step().value());
    const std::string region = st->Text(0);
    jelgava = client::BootstrapUnit(db, rep, region, "Jelgavas struktūrvienība").value();
    const std::string sup =
        client::BootstrapUser(db, rep, "Dace Kalna", client::Role::kSupervisor, jelgava).value();
    officer =
        client::BootstrapUser(db, rep, "Pēteris Liepa", client::Role::kOfficer, jelgava).value();
    auto profile = ui::LoadProfile(data);
    REQUIRE(profile.ok());
    profile->demo_users["jelgava_supervisor"] = sup;
    REQUIRE(ui::SaveProfile(data, *profile).ok());
    s.Lock();
  }

  RunScriptTextAs(dir, data, "transfer_offer.lvs", kOffer, {}, "supervisor");
  CheckScreenshot(dir / "transfer-offered.png");
  {
    ui::Session s;
    SignInAs(s, data, "supervisor");
    auto file = s.workspace()->CaseFile(case_id);
    REQUIRE(file.ok());
    REQUIRE(file->transfers.size() == 1);  // the refused attempt wrote nothing
    CHECK(file->transfers[0].to_unit_id == jelgava);
    CHECK(file->transfers[0].reason == "Klients pārcēlās uz Jelgavu");
    CHECK(file->transfers[0].status == client::TransferStatus::kOffered);
  }

  RunScriptTextAs(dir, data, "transfer_accept.lvs", kAccept, {}, "jelgava_supervisor");
  CheckScreenshot(dir / "transfer-accepted.png");
  KeepForDocs(dir / "transfer-offered.png", "screenshot-transfer-offered.png");
  KeepForDocs(dir / "transfer-accepted.png", "screenshot-transfer-accepted.png");
  ui::Session s;
  SignInAs(s, data, "jelgava_supervisor");
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->transfers.size() == 1);
  CHECK(file->transfers[0].status == client::TransferStatus::kAccepted);
  CHECK(file->transfers[0].new_officer_id == officer);
  CHECK(file->transfers[0].decision_note == "Pieņemts");
  CHECK(file->case_record.unit_id == jelgava);
  CHECK(file->case_record.responsible_officer_id == officer);
}
