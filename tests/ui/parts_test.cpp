// The desktop client's parts that run without a window: fonts and glyph coverage, the string
// table, the scripted-input parser, the widget registry, the task queue and the session.
#include <imgui.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "sync/engine.hpp"
#include "tests/support/temp_dir.hpp"
#include "ui/date_input.hpp"
#include "ui/draw_util.hpp"
#include "ui/fonts.hpp"
#include "ui/i18n.hpp"
#include "ui/script.hpp"
#include "ui/session.hpp"
#include "ui/tasks.hpp"
#include "ui/widgets.hpp"

using namespace lietvedis;
using namespace lietvedis::ui;
namespace fs = std::filesystem;

namespace {

// An ImGui context whose lifetime is the test's.
struct ImGuiContextGuard {
  ImGuiContextGuard() {
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini in the working directory
  }
  ~ImGuiContextGuard() { ImGui::DestroyContext(); }
};

}  // namespace

TEST_CASE("the loaded font has real glyphs for Latvian letters and the punctuation shown",
          "[ui][fonts]") {
  ImGuiContextGuard guard;
  auto fonts = LoadFonts(*ImGui::GetIO().Fonts, 1.0f);
  REQUIRE(fonts.ok());
  for (ImFont* font : {fonts->regular, fonts->bold, fonts->title}) {
    REQUIRE(font != nullptr);
    CHECK(FirstMissingGlyph(*font, "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ") == 0);
    CHECK(FirstMissingGlyph(*font, "– — “ ” „ € … • ✓ ▲ ▼ ◀ ▶ ■ ● « » § →") == 0);
  }
  // Every string of the table, in both languages, renders without a fallback glyph.
  for (Lang lang : {Lang::kLv, Lang::kEn}) {
    for (std::string_view s : AllStrings(lang)) {
      INFO(s);
      CHECK(FirstMissingGlyph(*fonts->regular, s) == 0);
    }
  }
}

TEST_CASE("a code point outside the glyph ranges is reported missing", "[ui][fonts]") {
  ImGuiContextGuard guard;
  auto fonts = LoadFonts(*ImGui::GetIO().Fonts, 1.0f);
  REQUIRE(fonts.ok());
  CHECK(FirstMissingGlyph(*fonts->regular, "Bērziņš Ж") == 0x0416);  // Cyrillic is not loaded
  CHECK(FirstMissingGlyph(*fonts->regular, "\xC4") == 0xFFFD);       // broken UTF-8
}

TEST_CASE("fonts follow the content scale and a missing font file is an error", "[ui][fonts]") {
  ImGuiContextGuard guard;
  auto big = LoadFonts(*ImGui::GetIO().Fonts, 2.0f, 15.0f);
  REQUIRE(big.ok());
  CHECK(big->size_px == Approx(30.0f));
  auto missing = LoadFonts(*ImGui::GetIO().Fonts, 1.0f, 15.0f, "/nonexistent/fonts");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::kNotFound);
}

TEST_CASE("the string table has both languages and stable widget ids", "[ui][i18n]") {
  const auto lv = AllStrings(Lang::kLv);
  const auto en = AllStrings(Lang::kEn);
  REQUIRE(lv.size() == en.size());
  for (std::size_t i = 0; i < lv.size(); ++i) {
    CHECK_FALSE(lv[i].empty());
    CHECK_FALSE(en[i].empty());
  }
  SetLanguage(Lang::kLv);
  CHECK(std::string(Tr(S::kSave)) == "Saglabāt");
  CHECK(Id(S::kSave, "save_contact") == "Saglabāt###save_contact");
  CHECK(std::string(Tr(client::RiskLevel::kVeryHigh)) == "Ļoti augsts");
  SetLanguage(Lang::kEn);
  CHECK(Id(S::kSave, "save_contact") == "Save###save_contact");
  CHECK(std::string(Tr(client::CaseKind::kMediation)) == "Mediation");
  SetLanguage(Lang::kLv);
  CHECK(std::string(Tr(static_cast<S>(static_cast<int>(S::kCount) + 3))) == "?");
}

TEST_CASE("dates are shown as dd.mm.yyyy and odd input passes through", "[ui][i18n]") {
  CHECK(FormatDate("2026-03-16") == "16.03.2026");
  CHECK(FormatDate("2026-03-16T09:30") == "16.03.2026");
  CHECK(FormatTimestamp("2026-03-16") == "16.03.2026");
  // Stamped times (UTC) are shown in Latvia's time whatever zone the device is set to (a
  // laptop left on UTC shows the same clock as one set to Riga); planned times as written.
  const char* tz = std::getenv("TZ");
  const std::string saved = tz != nullptr ? tz : "";
  for (const char* zone : {"UTC0", "EET-2EEST,M3.5.0/3,M10.5.0/4", "EST5EDT,M3.2.0,M11.1.0"}) {
    CAPTURE(zone);
    setenv("TZ", zone, 1);
    tzset();
    CHECK(FormatTimestamp("2026-03-16T09:30:00Z") == "16.03.2026 11:30");      // winter, +2
    CHECK(FormatTimestamp("2026-12-07T21:59:59Z") == "07.12.2026 23:59");      // winter, +2
    CHECK(FormatTimestamp("2026-12-07T22:00:00Z") == "08.12.2026 00:00");      // the next day
    CHECK(FormatTimestamp("2026-07-01T21:30:00.123Z") == "02.07.2026 00:30");  // summer, +3
    CHECK(FormatDate("2026-07-01T21:30:00.123Z") == "02.07.2026");             // the day in Latvia
    CHECK(FormatTimestamp("2026-03-16T09:30") == "16.03.2026 09:30");          // planned
  }
  // Out of range: not converted, shown as the stored text reads.
  CHECK(FormatTimestamp("2026-13-45T99:99:00Z") == FormatDate("2026-13-45T99:99:00Z") + " 99:99");
  if (tz != nullptr) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  CHECK(FormatDate("") == "");
  CHECK(FormatDate("16.03.2026") == "16.03.2026");
  CHECK(FormatDate("garbage") == "garbage");
}

TEST_CASE("the calendar knows month lengths, weekdays and typed dates", "[ui][calendar]") {
  CHECK(ui::DaysInMonth(2026, 2) == 28);
  CHECK(ui::DaysInMonth(2028, 2) == 29);
  CHECK(ui::DaysInMonth(2100, 2) == 28);
  CHECK(ui::DaysInMonth(2000, 2) == 29);
  CHECK(ui::DaysInMonth(2026, 4) == 30);
  CHECK(ui::DaysInMonth(2026, 12) == 31);
  CHECK(ui::WeekdayMondayFirst(2026, 12, 7) == 0);  // a Monday
  CHECK(ui::WeekdayMondayFirst(2026, 3, 1) == 6);   // a Sunday
  CHECK(ui::WeekdayMondayFirst(2024, 2, 29) == 3);  // a Thursday
  CHECK(ui::WeekdayMondayFirst(1970, 1, 1) == 3);
  int y = 0, m = 0, d = 0;
  REQUIRE(ui::ParseDayMonthYear("05.03.2026", &y, &m, &d));
  CHECK((y == 2026 && m == 3 && d == 5));
  REQUIRE(ui::ParseDayMonthYear("5.3.2026", &y, &m, &d));
  CHECK((y == 2026 && m == 3 && d == 5));
  CHECK_FALSE(ui::ParseDayMonthYear("31.02.2026", &y, &m, &d));
  CHECK_FALSE(ui::ParseDayMonthYear("29.02.2026", &y, &m, &d));
  CHECK(ui::ParseDayMonthYear("29.02.2028", &y, &m, &d));
  CHECK_FALSE(ui::ParseDayMonthYear("2026-03-05", &y, &m, &d));
  CHECK_FALSE(ui::ParseDayMonthYear("05.03.26", &y, &m, &d));
  CHECK_FALSE(ui::ParseDayMonthYear("05.13.2026", &y, &m, &d));
  CHECK_FALSE(ui::ParseDayMonthYear("", &y, &m, &d));
  CHECK_FALSE(ui::ParseDayMonthYear("05.03.2026.", &y, &m, &d));
}

TEST_CASE("a validation message becomes an inline error on the named field", "[ui][forms]") {
  SetLanguage(Lang::kLv);
  auto fe = ToFieldError(MakeError(Errc::kValidation, "personal_code: wrong check digit"));
  CHECK(fe.field == "personal_code");
  CHECK(fe.message == "nepareizs kontrolcipars");
  auto other = ToFieldError(MakeError(Errc::kValidation, "planned_at: something new"));
  CHECK(other.field == "planned_at");
  CHECK(other.message == "something new");
  auto denied = ToFieldError(MakeError(Errc::kNotPermitted, "case: not yours"));
  CHECK(denied.field.empty());
  CHECK(denied.message == Tr(S::kNotPermitted));
  // The message without a wording is kept for the scripted runs to fail on, once.
  const auto untranslated = TakeUntranslatedMessages();
  REQUIRE(untranslated.size() == 1);
  CHECK(untranslated[0] == "planned_at: something new");
  CHECK(TakeUntranslatedMessages().empty());
  // The personal-code shape message is the one the core produces.
  CHECK(ToFieldError(MakeError(Errc::kValidation,
                               "personal_code: must look like DDMMYY-CNNNN or 32NNNN-NNNNN"))
            .message == "jānorāda formā DDMMGG-CNNNN vai 32NNNN-NNNNN");
  CHECK(ToFieldError(MakeError(Errc::kValidation, "note: too long (at most 4000 bytes)")).message ==
        "pārāk garš (ne vairāk kā 4000 baiti)");
  SetLanguage(Lang::kEn);
  CHECK(ToFieldError(MakeError(Errc::kValidation, "planned_at: something new")).message ==
        "something new");
  CHECK(TakeUntranslatedMessages().empty());  // English needs no wording
  SetLanguage(Lang::kLv);
}

namespace {

// Every "field: problem" literal and every Invalid(field, "problem") in the core's sources
// (client/*.cpp): the problems a form can be shown.
std::vector<std::string> CoreValidationProblems() {
  std::vector<std::string> problems;
  const fs::path dir = fs::path(LV_TEST_SOURCE_DIR) / "client";
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".cpp") continue;
    // Import and restore (client/jsonl.cpp) run from the CLI only; no form shows their errors.
    if (entry.path().filename() == "jsonl.cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    // MakeError(Errc::kValidation, "field: problem..." and Invalid(field, "problem...".
    static const std::regex kLiteral(R"re("([a-z_]+): ([^"]+)")re");
    static const std::regex kInvalid(R"re(Invalid\([^,()]+, *"([^"]+)")re");
    for (std::sregex_iterator it(text.begin(), text.end(), kLiteral), end; it != end; ++it) {
      problems.push_back((*it)[2]);
    }
    for (std::sregex_iterator it(text.begin(), text.end(), kInvalid), end; it != end; ++it)
      problems.push_back((*it)[1]);
  }
  return problems;
}

}  // namespace

TEST_CASE("every validation problem the core reports has a Latvian wording", "[ui][forms]") {
  const auto problems = CoreValidationProblems();
  REQUIRE(problems.size() > 60);  // the scan found the core's messages
  for (const auto& problem : problems) {
    INFO(problem);
    CHECK(ValidationWordingLv(problem).has_value());
  }
  CHECK_FALSE(ValidationWordingLv("something the core never says").has_value());
}

TEST_CASE("every value of every domain enum has a label in both languages", "[ui][i18n]") {
  auto check = [](auto sample) {
    using E = decltype(sample);
    const auto codes = client::AllCodes<E>();
    for (std::size_t i = 0; i < codes.size(); ++i) {
      INFO(codes[i]);
      for (const Lang lang : {Lang::kLv, Lang::kEn}) {
        SetLanguage(lang);
        const std::string label = Tr(static_cast<E>(i));
        CHECK(label != "?");
        CHECK(label != codes[i]);  // a label, not the code again
        CHECK(RawCodesIn(label, lang).empty());
      }
    }
    SetLanguage(Lang::kLv);
  };
  using namespace client;
  check(Role{});
  check(ClientTag{});
  check(Relation{});
  check(CaseKind{});
  check(CaseStatus{});
  check(EmOutcome{});
  check(Requester{});
  check(EvaluationStatus{});
  check(SectionStatus{});
  check(SectionOutcome{});
  check(EmploymentStatus{});
  check(DisabilityGroup{});
  check(Instrument{});
  check(RiskLevel{});
  check(NeedDomain{});
  check(PlanStatus{});
  check(ContactStatus{});
  check(ContactMode{});
  check(ViolationKind{});
  check(CourtApplicationKind{});
  check(ProgrammeProvider{});
  check(ProgrammeMode{});
  check(Accreditation{});
  check(ConsentDecision{});
  check(ReferralStatus{});
  check(VolunteerKind{});
  check(VolunteerStage{});
  check(MentoringMode{});
  check(MeetingMode{});
  check(Institution{});
  check(MissedContactDecision{});
  check(MediationMeetingStatus{});
  check(MediationOutcome{});
  check(AgreementFulfilment{});
}

TEST_CASE("raw enum codes are found in drawn text, labels are not", "[ui][i18n]") {
  CHECK(RawCodesIn("Iznākums: revoked_violation", Lang::kLv) ==
        std::vector<std::string>{"revoked_violation"});
  CHECK(RawCodesIn("Outcome: revoked_violation", Lang::kEn) ==
        std::vector<std::string>{"revoked_violation"});
  // One-word codes count in Latvian, where an English word is a code; not in English text.
  CHECK(RawCodesIn("Statuss: open", Lang::kLv) == std::vector<std::string>{"open"});
  CHECK(RawCodesIn("Open cases: 12", Lang::kEn).empty());
  CHECK(RawCodesIn("the case is open", Lang::kEn).empty());
  // Whole words only, case-sensitive; Latvian letters are part of words.
  CHECK(RawCodesIn("Atvērta · Video · opened · in_personal", Lang::kLv).empty());
  CHECK(RawCodesIn("Uzraudzība — Atcelta pārkāpumu dēļ", Lang::kLv).empty());
  // The value of a command-line option is a code on purpose; the same word elsewhere is not.
  CHECK(RawCodesIn("user add --unit U1 --role volunteer_coordinator --name 'A B'", Lang::kLv)
            .empty());
  CHECK(RawCodesIn("--role officer", Lang::kLv).empty());
  CHECK(RawCodesIn("Loma: officer --role officer", Lang::kLv) ==
        std::vector<std::string>{"officer"});
}

TEST_CASE("scripts parse into steps", "[ui][script]") {
  auto steps = ParseScript(
      "# comment\n"
      "wait 3\n"
      "click \"Jauns klients\"\n"
      "click #save_contact\n"
      "type \"Bērziņš \\\"B\\\"\"\n"
      "key ctrl+a\n"
      "expect \"Klientu lietas\"\n"
      "expect_not Kļūda\n"
      "\n"
      "screenshot \"/tmp/x.png\"\n"
      "lang en\n"
      "idle\n"
      "hover #row3\n"
      "scroll -4\n"
      "sync_done\n"
      "quit");
  REQUIRE(steps.ok());
  REQUIRE(steps->size() == 14);
  CHECK(steps->at(0).kind == ScriptStep::Kind::kWait);
  CHECK(steps->at(0).frames == 3);
  CHECK(steps->at(1).arg == "Jauns klients");
  CHECK(steps->at(2).arg == "#save_contact");
  CHECK(steps->at(3).arg == "Bērziņš \"B\"");
  CHECK(steps->at(4).kind == ScriptStep::Kind::kKey);
  CHECK(steps->at(5).line == 7);
  CHECK(steps->at(10).kind == ScriptStep::Kind::kHover);
  CHECK(steps->at(11).kind == ScriptStep::Kind::kScroll);
  CHECK(steps->at(11).frames == -4);
  CHECK(steps->at(12).kind == ScriptStep::Kind::kSyncDone);
  CHECK(steps->at(13).kind == ScriptStep::Kind::kQuit);
}

TEST_CASE("bad scripts are refused with the line named", "[ui][script]") {
  auto check_bad = [](const char* text, const char* fragment) {
    auto r = ParseScript(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kValidation);
    CHECK_THAT(r.error().message, Catch::Contains(fragment));
  };
  check_bad("wait 1\nfly away", "line 2: unknown step");
  check_bad("type \"unclosed", "line 1: unclosed quote");
  check_bad("wait soon", "frame count");
  check_bad("wait -1", "frame count");
  check_bad("scroll lots", "notch count");
  check_bad("scroll 5000", "notch count");
  check_bad("hover", "one argument");
  check_bad("key Hyper", "unknown key");
  check_bad("lang de", "lang is lv or en");
  check_bad("click", "one argument");
  check_bad("quit now", "no argument");
  check_bad("sync_done 3", "no argument");
  check_bad("expect_focus", "one argument");
  check_bad("expect_focus #a #b", "one argument");
}

TEST_CASE("expect_focus parses and names the focused widget when it fails", "[ui][script]") {
  auto steps = ParseScript("expect_focus #planned_at\nexpect_focus \"#contact_note\"");
  REQUIRE(steps.ok());
  REQUIRE(steps->size() == 2);
  CHECK(steps->at(0).kind == ScriptStep::Kind::kExpectFocus);
  CHECK(steps->at(0).arg == "#planned_at");
  CHECK(steps->at(1).arg == "#contact_note");

  ImGuiContextGuard guard;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(800, 600);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  std::string first = "a", second = "b";
  ScriptPlayer player(std::move(*steps), {}, /*timeout_frames=*/3);
  for (int frame = 0; frame < 30 && !player.finished(); ++frame) {
    player.BeforeNewFrame(io);
    ImGui::NewFrame();
    Items().BeginFrame();
    ImGui::Begin("Form");
    if (frame == 0) ImGui::SetKeyboardFocusHere();
    InputText("##planned_at", &first);
    InputText("##contact_note", &second);
    ImGui::End();
    ImGui::Render();
    player.AfterFrame(Items(), "");
  }
  // The first field took the focus and the step passed; the second never did.
  REQUIRE(player.failed());
  CHECK_THAT(player.error(),
             Catch::Contains("line 2: focus not on #contact_note but on #planned_at"));
}

TEST_CASE("key chords name GLFW keys and modifiers", "[ui][script]") {
  KeyChord chord;
  REQUIRE(ParseKeyChord("Enter", &chord));
  CHECK_FALSE(chord.ctrl);
  REQUIRE(ParseKeyChord("ctrl+shift+a", &chord));
  CHECK(chord.ctrl);
  CHECK(chord.shift);
  CHECK_FALSE(ParseKeyChord("ctrl+", &chord));
  CHECK_FALSE(ParseKeyChord("F13", &chord));
}

TEST_CASE("tracked widgets are found by id, label and window", "[ui][script]") {
  ImGuiContextGuard guard;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(800, 600);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  ImGui::NewFrame();
  Items().BeginFrame();
  ImGui::Begin("Caseload");
  Button("Saglabāt###save_contact");
  Button("Atcelt");
  ImGui::End();
  ImGui::Begin("Modal");
  Button("Atcelt");
  ImGui::End();
  ImGui::Render();
  CHECK(Items().Find("#save_contact") != nullptr);
  CHECK(Items().Find("Saglabāt") != nullptr);
  CHECK(Items().Find("save_contact") == nullptr);  // an id needs its '#'
  REQUIRE(Items().Find("Atcelt") != nullptr);
  CHECK(Items().Find("Atcelt")->window == "Modal");  // the last drawn wins
  REQUIRE(Items().Find("Caseload/Atcelt") != nullptr);
  CHECK(Items().Find("Caseload/Atcelt")->window == "Caseload");
  CHECK(Items().Find("Nav tāda") == nullptr);
  CHECK(Items().Find("#missing") == nullptr);
}

TEST_CASE("the task queue runs jobs in order on one worker and completions on the caller",
          "[ui][tasks]") {
  TaskQueue tasks;
  const auto main_id = std::this_thread::get_id();
  std::vector<int> order;  // touched by completions only (main thread)
  std::atomic<int> ran_on_main{0};
  for (int i = 0; i < 20; ++i) {
    tasks.Post("job", [&, i]() -> TaskQueue::Completion {
      if (std::this_thread::get_id() == main_id) ran_on_main++;
      return [&, i]() {
        CHECK(std::this_thread::get_id() == main_id);
        order.push_back(i);
      };
    });
  }
  CHECK(tasks.Busy());
  tasks.WaitIdle();
  CHECK_FALSE(tasks.Busy());
  CHECK(ran_on_main == 0);
  REQUIRE(order.size() == 20);
  for (int i = 0; i < 20; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
  CHECK(tasks.DrainCompletions() == 0);
}

TEST_CASE("destroying the task queue drops jobs that have not started", "[ui][tasks]") {
  std::atomic<int> started{0};
  {
    TaskQueue tasks;
    tasks.Post("block", [&]() -> TaskQueue::Completion {
      started++;
      // Runs until the destructor has cleared the queue and asks running jobs to stop.
      while (!tasks.StopRequested()) std::this_thread::yield();
      return {};
    });
    for (int i = 0; i < 5; ++i) {
      tasks.Post("later", [&]() -> TaskQueue::Completion {
        started++;
        return {};
      });
    }
    while (started == 0) std::this_thread::yield();
  }
  CHECK(started == 1);
}

TEST_CASE("a session creates, seeds, locks and reopens a data directory", "[ui][session]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  {
    Session s;
    auto created = s.Create(data, "pareiza-parole-123", /*fast_kdf=*/true);
    REQUIRE(created.ok());
    if (Session::Encrypted()) CHECK_FALSE(created.value().empty());
    REQUIRE(SeedDemoData(s, 12, "officer").ok());
    REQUIRE(s.workspace() != nullptr);
    auto rows = s.workspace()->Caseload({});
    REQUIRE(rows.ok());
    CHECK_FALSE(rows->empty());
    s.Lock();
    CHECK_FALSE(s.IsOpen());
    CHECK(s.workspace() == nullptr);
  }
  CHECK(Session::StoreExists(data));
  auto profile = LoadProfile(data);
  REQUIRE(profile.ok());
  CHECK(profile->demo_users.count("supervisor") == 1);
  CHECK(profile->demo_users.count("volunteer_coordinator") == 1);
  Session again;
  REQUIRE(again.Open(data, "pareiza-parole-123").ok());
  REQUIRE(again.SignIn(profile->demo_users["supervisor"]).ok());
  auto unit_rows = again.workspace()->Caseload({});
  REQUIRE(unit_rows.ok());
  CHECK(unit_rows->size() == 12);  // the supervisor sees the whole unit
  if (Session::Encrypted()) {
    Session wrong;
    auto r = wrong.Open(data, "nepareiza-parole");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kWrongPassphrase);
  }
}

TEST_CASE("a session refuses a second store, a missing store and unknown users", "[ui][session]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  Session s;
  auto missing = s.Open(data, "x");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::kNotAStore);
  REQUIRE(s.Create(data, "pareiza-parole-123", true).ok());
  Session other;
  auto twice = other.Create(data, "pareiza-parole-123", true);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == Errc::kValidation);
  auto nobody = s.SignIn("00000000000000000000000000000000");
  REQUIRE_FALSE(nobody.ok());
  CHECK(nobody.error().code == Errc::kNotFound);
  s.Lock();
  auto locked = s.SignIn("anyone");
  REQUIRE_FALSE(locked.ok());
  CHECK(locked.error().code == Errc::kLocked);
}

TEST_CASE("a missing or malformed device profile is reported, not trusted", "[ui][session]") {
  testing::TempDir dir;
  auto none = LoadProfile(dir.path().string());
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == Errc::kNotFound);
  {
    std::ofstream out(dir / "device.json");
    out << "{ not json";
  }
  auto bad = LoadProfile(dir.path().string());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::kCorrupt);
  {
    std::ofstream out(dir / "device.json", std::ios::trunc);
    out << R"({"site_id": 42})";
  }
  auto wrong_type = LoadProfile(dir.path().string());
  REQUIRE_FALSE(wrong_type.ok());
  CHECK(wrong_type.error().code == Errc::kCorrupt);
  DeviceProfile p;
  p.site_id = "abc";
  p.demo_users["officer"] = "u1";
  REQUIRE(SaveProfile(dir.path().string(), p).ok());
  auto back = LoadProfile(dir.path().string());
  REQUIRE(back.ok());
  CHECK(back->site_id == "abc");
  CHECK(back->demo_users["officer"] == "u1");
}

TEST_CASE(
    "a local-only session has no sync engine and refuses to sync, enrolment refuses a bad code",
    "[ui][session]") {
  testing::TempDir dir;
  const std::string data = dir / "data";
  Session s;
  REQUIRE(s.Create(data, "pareiza-parole-123", true).ok());
  CHECK(s.engine() == nullptr);
  CHECK(s.EnrolledUserId().empty());
  auto synced = s.SyncOnce({});
  REQUIRE_FALSE(synced.ok());
  CHECK(synced.error().code == Errc::kValidation);
  auto unknown =
      s.ResolveConflict("00000000000000000000000000000000", storage::Value{std::string("x")});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == Errc::kNotFound);
  s.Lock();
  if (Session::Encrypted()) {
    const std::string fresh = dir / "fresh";
    Session e;
    auto enrolled = e.Enrol(fresh, "pareiza-parole-123", "LV-DEMO-0001", "test", true);
    REQUIRE_FALSE(enrolled.ok());
    CHECK_FALSE(Session::StoreExists(fresh));  // nothing left behind
    CHECK_FALSE(e.IsOpen());
  }
}

TEST_CASE("every ground of a sync refusal has its own words in both languages", "[ui][i18n]") {
  for (Lang lang : {Lang::kLv, Lang::kEn}) {
    SetLanguage(lang);
    const std::string other = RefusalGroundText("");
    std::set<std::string> seen;
    for (const char* ground : sync::kRefusalGrounds) {
      INFO(ground);
      const std::string text = RefusalGroundText(ground);
      CHECK(text != other);
      CHECK(seen.insert(text).second);  // no two grounds share words
      CHECK(RawCodesIn(text, lang).empty());
    }
    CHECK(RefusalGroundText("a_ground_from_a_newer_build") == other);
  }
  SetLanguage(Lang::kLv);
}

TEST_CASE("tables and fields of the conflict inbox are named in words in both languages",
          "[ui][i18n]") {
  SetLanguage(Lang::kLv);
  CHECK(TableLabel("contact") == "Kontakts");
  CHECK(ColumnLabel("planned_at") == "Plānotais laiks");
  CHECK(TableLabel("some_new_table") == "some new table");
  SetLanguage(Lang::kEn);
  CHECK(TableLabel("probation_case") == "Case");
  CHECK(ColumnLabel("surname") == "Surname");
  SetLanguage(Lang::kLv);
}
