// Typed, unsaved text across tab, case and page switches in the real lietvedis-desktop under
// Xvfb: a contact outcome and a note typed in one case stay when the officer goes to another
// tab, another case, the agenda and back, and never show in the other case's forms; MAPPA
// minutes typed on the meetings page stay across pages. Closing a case's tab with unsaved text
// asks first; keeping edits keeps the text, discarding drops it with the tab. The store is
// reopened through the Workspace: only the note saved at the end was written.
#include <catch2/catch.hpp>
#include <string>

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

constexpr const char* kScript = R"(expect "Klientu lietas"
idle
click "#search"
type "udre"
wait 3
idle
click "#row0"
idle
click "#tab_contacts"
wait 2
click "#contact_outcome"
type "Runājām par darbu ostā"
click "#tab_notes"
wait 2
click "#note_body"
type "Piezīme par Ūdri"
click "#tab_plan"
wait 2
# Another case: its forms are its own.
click "#nav_caseload"
idle
click "#search"
key ctrl+a
type "kalnins"
wait 3
idle
click "#row0"
idle
expect "Pēteris Kalniņš"
click "#tab_contacts"
wait 2
expect_not "Runājām par darbu ostā"
click "#tab_notes"
wait 2
expect_not "Piezīme par Ūdri"
click "#note_body"
type "Kalniņa piezīme"
# MAPPA minutes typed on the meetings page.
click "#nav_mappa"
idle
click "#mappa_record"
wait 2
click "#mappa_risk"
type "Neparasts lēmums 42"
click "#nav_agenda"
idle
click "#nav_mappa"
idle
wait 2
expect "Neparasts lēmums 42"
# Back to the first case from the agenda: both texts where they were typed.
click "#nav_agenda"
idle
click "Žanete Ūdre"
idle
wait 2
click "#tab_notes"
wait 2
expect "Piezīme par Ūdri"
expect_not "Kalniņa piezīme"
click "#tab_contacts"
wait 2
expect "Runājām par darbu ostā"
click "Pēteris Kalniņš"
wait 2
click "#tab_notes"
wait 2
expect "Kalniņa piezīme"
expect_not "Piezīme par Ūdri"
# The first case's note saved; its contact outcome is still typed.
click "Žanete Ūdre"
wait 2
click "#tab_notes"
wait 2
click "#save_note"
idle
wait 2
click "#tab_contacts"
wait 2
# Closing the tab asks; keeping edits keeps the text.
click "#close_tab"
wait 2
expect "Aizverot cilni, tas tiks zaudēts"
screenshot "@OUT@/close-tab-unsaved.png"
click "#close_tab_keep"
wait 2
expect_not "Aizverot cilni, tas tiks zaudēts"
expect "Runājām par darbu ostā"
# Escape keeps editing as well; then the text is discarded with the tab.
click "#close_tab"
wait 2
key Escape
wait 2
expect_not "Aizverot cilni, tas tiks zaudēts"
click "#close_tab"
wait 2
click "#close_tab_discard"
idle
wait 2
expect "Pēteris Kalniņš"
click "#nav_caseload"
idle
click "#search"
key ctrl+a
type "udre"
wait 3
idle
click "#row0"
idle
click "#tab_contacts"
wait 2
expect_not "Runājām par darbu ostā"
quit
)";

}  // namespace

TEST_CASE("typed text stays with its case across tab, case and page switches",
          "[ui][gl][slow][forms][unsaved]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  std::string other_case;
  std::size_t meetings_before = 0;
  const std::string case_id =
      PrepareOfficerStore(data, [&](client::Workspace& ws, const std::string&) {
        client::RegisterClient c;
        c.name = "Pēteris";
        c.surname = "Kalniņš";
        c.personal_code = "150385-11001";
        c.kind = client::CaseKind::kConditionalSentence;
        c.opened_on = "01.03.2026";
        auto registered = ws.Execute(c);
        REQUIRE(registered.ok());
        other_case = *registered;
        auto meetings = ws.MappaMeetings();
        REQUIRE(meetings.ok());
        meetings_before = meetings->size();
      });
  RunScriptTextAs(dir, data, "unsaved_text.lvs", kScript);
  testing::desktop::CheckScreenshot(dir / "close-tab-unsaved.png");

  ui::Session s;
  SignInAs(s, data);
  auto file = s.workspace()->CaseFile(case_id);
  REQUIRE(file.ok());
  REQUIRE(file->notes.size() == 1);
  CHECK(file->notes[0].body == "Piezīme par Ūdri");
  CHECK(file->contacts.empty());  // the typed outcome was discarded, never saved
  auto other = s.workspace()->CaseFile(other_case);
  REQUIRE(other.ok());
  CHECK(other->notes.empty());
  CHECK(other->contacts.empty());
  auto meetings = s.workspace()->MappaMeetings();
  REQUIRE(meetings.ok());
  CHECK(meetings->size() == meetings_before);
}
