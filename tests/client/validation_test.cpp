// Field validation: personal codes, dates, UTF-8 text. Table-driven; every personal code
// below was checked by hand with the rule in client/validation.cpp (weights
// 1,6,3,7,9,10,5,8,4,2 over the first ten digits, check = (1101 - sum) mod 11).
#include "client/validation.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace lietvedis;
using namespace lietvedis::client;

namespace {

struct CodeCase {
  const char* code;
  bool valid;
  const char* why;
};

}  // namespace

TEST_CASE("personal codes: old form with date and check digit, new 32 form by shape",
          "[client][validation]") {
  static const CodeCase kCases[] = {
      // 1*1+5*6+0*3+3*7+8*9+5*10+1*5+1*8+0*4+0*2 = 187; 1101-187 = 914 = 83*11+1 -> 1
      {"150385-11001", true, "born 15.03.1985"},
      // 0+6+0+7+81+0+5+8+0+0 = 107; 994 = 90*11+4 -> 4
      {"010190-11004", true, "born 01.01.1990"},
      // 3+6+3+14+81+90+5+8+0+0 = 210; 891 = 81*11 -> 0
      {"311299-11000", true, "born 31.12.1999"},
      // 2+54+0+14+0+0+10+8+8+6 = 102; 999 = 90*11+9 -> 9; 2000 is a leap year
      {"290200-21239", true, "29 February 2000 (leap: divisible by 400)"},
      // 2+54+0+14+81+60+5+16+12+8 = 252; 849 = 77*11+2 -> 2; 1996 is a leap year
      {"290296-12342", true, "29 February 1996"},
      // 0+6+0+7+0+10+0+8+8+6 = 45; 1056 = 96*11 -> 0
      {"010101-01230", true, "born 01.01.1801 (century digit 0)"},
      // 1+12+0+49+0+90+10+8+0+0 = 170; 931 = 84*11+7 -> 7
      {"120709-21007", true, "born 12.07.2009"},
      {"320517-12345", true, "new form: shape only"},
      {"329999-00000", true, "new form: no date inside"},
      {"150385-11002", false, "check digit off by one"},
      {"150385-11000", false, "check digit off by one (other side)"},
      // 1+30+0+21+72+50+5+0+0+10 = 189; 912 = 82*11+10 -> 10: no digit can be right
      {"150385-10050", false, "check result 10 is invalid"},
      {"150385-10051", false, "check result 10 is invalid"},
      // 2+54+0+14+0+0+5+8+8+6 = 97 -> 1004 = 91*11+3 -> 3, but 1900 was not a leap year
      {"290200-11233", false, "29 February 1900"},
      {"310485-11001", false, "31 April"},
      {"000185-11001", false, "day 0"},
      {"151385-11001", false, "month 13"},
      {"150385-31001", false, "century digit 3"},
      {"15038511001", false, "no dash"},
      {"150385 11001", false, "space instead of dash"},
      {"150385-1100", false, "too short"},
      {"150385-110011", false, "too long"},
      {"15O385-11001", false, "letter O"},
      {"32O517-12345", false, "new form with a letter"},
      {"", false, "empty"},
  };
  for (const auto& c : kCases) {
    INFO(c.why);
    auto r = ValidatePersonalCode(c.code);
    CHECK(r.ok() == c.valid);
    if (!r.ok()) {
      CHECK(r.error().code == Errc::kValidation);
      CHECK(r.error().message.rfind("personal_code: ", 0) == 0);
      if (std::string(c.code).size() > 0)
        CHECK(r.error().message.find(c.code) == std::string::npos);
    }
  }
}

TEST_CASE("dates: dd.mm.yyyy and ISO to ISO with real calendar checks", "[client][validation]") {
  struct DateCase {
    const char* in;
    const char* iso;  // nullptr: rejected
  };
  static const DateCase kCases[] = {
      {"16.03.2026", "2026-03-16"}, {"2026-03-16", "2026-03-16"}, {"29.02.2024", "2024-02-29"},
      {"29.02.2000", "2000-02-29"}, {"29.02.2026", nullptr},      {"29.02.2100", nullptr},
      {"31.04.2026", nullptr},      {"31.12.2026", "2026-12-31"}, {"00.01.2026", nullptr},
      {"01.13.2026", nullptr},      {"1.3.2026", nullptr},        {"16/03/2026", nullptr},
      {"2026-3-16", nullptr},       {"16.03.26", nullptr},        {"", nullptr},
      {"16.03.1899", nullptr},      {"2026-02-30", nullptr},      {"aa.bb.cccc", nullptr},
  };
  for (const auto& c : kCases) {
    INFO(c.in);
    auto r = ParseDate(c.in, "opened_on");
    REQUIRE(r.ok() == (c.iso != nullptr));
    if (c.iso) {
      CHECK(r.value() == c.iso);
    } else {
      CHECK(r.error().code == Errc::kValidation);
      CHECK(r.error().message.rfind("opened_on: ", 0) == 0);
    }
  }
}

TEST_CASE("FormatDate shows ISO dates the Latvian way", "[client][validation]") {
  CHECK(FormatDate("2026-03-16") == "16.03.2026");
  // A stamp (UTC) in Latvia's time: +2 in winter, +3 in summer, the day turning at 22:00/21:00.
  CHECK(FormatDate("2026-03-16T09:30:00Z") == "16.03.2026 11:30");
  CHECK(FormatDate("2026-07-01T21:30:00.123Z") == "02.07.2026 00:30");
  CHECK(FormatDate("2026-12-31T22:00:00Z") == "01.01.2027 00:00");
  CHECK(FormatDate("2026-03-29T00:59:59Z") ==
        "29.03.2026 02:59");  // summer time starts at 01:00 UTC
  CHECK(FormatDate("2026-03-29T01:00:00Z") == "29.03.2026 04:00");
  CHECK(ServiceDateTime(0) == "01.01.1970 02:00");
  CHECK(FormatDate("2026-03-16 14:00") == "16.03.2026 14:00");
  CHECK(FormatDate("") == "");
  CHECK(FormatDate("not a date") == "not a date");
  // Round trip through the parser.
  CHECK(ParseDate(FormatDate("2024-02-29"), "d").value() == "2024-02-29");
}

TEST_CASE("text: well-formed UTF-8 within a byte limit", "[client][validation]") {
  struct TextCase {
    std::string value;
    bool valid;
    const char* why;
  };
  const TextCase kCases[] = {
      {"Bērziņš Ķēniņš ŽŪŅĢ", true, "Latvian letters"},
      {"Ilze – “pēdiņas” €", true, "punctuation"},
      {"line\nbreak\ttab", true, "tab and newline"},
      {"\xF0\x9F\x98\x80", true, "U+1F600, 4 bytes"},
      {"\xF4\x8F\xBF\xBF", true, "U+10FFFF, the last code point"},
      {"J\xC3\x28nis", false, "bad continuation byte"},
      {"\xC0\xAF", false, "overlong '/' (2 bytes)"},
      {"\xC1\xBF", false, "overlong (C1 lead)"},
      {"\xE0\x80\xAF", false, "overlong '/' (3 bytes)"},
      {"\xF0\x80\x80\xAF", false, "overlong '/' (4 bytes)"},
      {"\xED\xA0\x80", false, "surrogate U+D800"},
      {"\xED\xBF\xBF", false, "surrogate U+DFFF"},
      {"\xF4\x90\x80\x80", false, "U+110000, beyond Unicode"},
      {"\xF5\x80\x80\x80", false, "F5 lead byte"},
      {"\xFF", false, "FF byte"},
      {"\x80", false, "stray continuation byte"},
      {"abc\xC4", false, "truncated sequence at the end"},
      {std::string("a\0b", 3), false, "NUL"},
      {"bell\x07", false, "control character"},
  };
  for (const auto& c : kCases) {
    INFO(c.why);
    auto r = ValidateText(c.value, "note", 100, false);
    CHECK(r.ok() == c.valid);
    if (!r.ok()) CHECK(r.error().message.rfind("note: ", 0) == 0);
  }
  // Byte limits count bytes, not letters: "ā" is two bytes.
  CHECK(ValidateText("āāā", "name", 6, true).ok());
  auto too_long = ValidateText("āāāā", "name", 6, true);
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().message.rfind("name: too long", 0) == 0);
  auto empty = ValidateText("", "surname", 10, true);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "surname: required");
  CHECK(ValidateText("", "phone", 10, false).ok());
}

TEST_CASE("DayOfStamp gives the day in Latvia of a stamped time and keeps days as they are",
          "[client][validation]") {
  // Stamped (UTC) times: the day turns at 22:00 UTC in winter, at 21:00 UTC in summer.
  CHECK(DayOfStamp("2026-12-06T21:59:59Z") == "2026-12-06");
  CHECK(DayOfStamp("2026-12-06T22:00:00Z") == "2026-12-07");
  CHECK(DayOfStamp("2026-12-31T23:30:00.250Z") == "2027-01-01");
  CHECK(DayOfStamp("2026-07-01T20:59:59Z") == "2026-07-01");
  CHECK(DayOfStamp("2026-07-01T21:00:00Z") == "2026-07-02");
  // Days and planned local times are already days in Latvia.
  CHECK(DayOfStamp("2026-12-06") == "2026-12-06");
  CHECK(DayOfStamp("2026-12-06T23:30") == "2026-12-06");
  // Not a stamp: the first ten characters, or the text itself when shorter.
  CHECK(DayOfStamp("2026-13-06T22:00:00Z") == "2026-13-06");
  CHECK(DayOfStamp("") == "");
  CHECK(DayOfStamp("2026-12") == "2026-12");
}

TEST_CASE("StampMs reads a UTC stamp and nothing else", "[client][validation]") {
  CHECK(StampMs("2026-12-06T22:00:00Z") == 1'796'594'400'000);
  CHECK(StampMs("2026-12-06T22:00:00.999Z") == 1'796'594'400'000);  // whole seconds
  CHECK(StampMs("2024-02-29T00:00:00Z") == 1'709'164'800'000);
  for (const char* bad : {"2026-12-06", "2026-12-06T22:00", "2026-12-06T22:00:00",
                          "2026-02-30T10:00:00Z", "2026-12-06T24:00:00Z", "2026-12-06T22:60:00Z",
                          "2026-12-06 22:00:00Z", "2026-12-06T2a:00:00Z", ""}) {
    INFO(bad);
    CHECK_FALSE(StampMs(bad).has_value());
  }
}

TEST_CASE("AddDaysIso crosses months, years and leap days", "[client][validation]") {
  CHECK(AddDaysIso("2026-03-16", 7) == "2026-03-23");
  CHECK(AddDaysIso("2026-03-16", -30) == "2026-02-14");
  CHECK(AddDaysIso("2024-02-28", 1) == "2024-02-29");
  CHECK(AddDaysIso("2026-02-28", 1) == "2026-03-01");
  CHECK(AddDaysIso("2025-12-31", 1) == "2026-01-01");
  CHECK(AddDaysIso("2026-03-16T10:00", 0) == "2026-03-16");
  CHECK(AddDaysIso("not a date", 3) == "not a date");
}
