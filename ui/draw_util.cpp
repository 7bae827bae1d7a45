#include "ui/draw_util.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "ui/date_input.hpp"

namespace lietvedis::ui {

void SectionHeading(const char* text, ImFont* bold) {
  ImGui::Spacing();
  if (bold != nullptr) ImGui::PushFont(bold);
  ImGui::TextUnformatted(text);
  if (bold != nullptr) ImGui::PopFont();
  ImGui::Separator();
}

void KeyValueRow(const char* key, std::string_view value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(key);
  ImGui::PopStyleColor();
  ImGui::TableNextColumn();
  TextOrDash(value);
}

ImVec4 RiskColor(const std::optional<client::RiskLevel>& risk) {
  const Palette& p = Colors();
  if (!risk) return p.risk_none;
  switch (*risk) {
    case client::RiskLevel::kLow:
      return p.risk_low;
    case client::RiskLevel::kMedium:
      return p.risk_medium;
    case client::RiskLevel::kHigh:
      return p.risk_high;
    case client::RiskLevel::kVeryHigh:
      return p.risk_very_high;
  }
  return p.risk_none;
}

void RiskBadge(const std::optional<client::RiskLevel>& risk) {
  const char* label = risk ? Tr(*risk) : Tr(S::kNotAssessed);
  const ImVec4 color = RiskColor(risk);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  const float dot = h * 0.32f;
  dl->AddCircleFilled(ImVec2(pos.x + dot, pos.y + h * 0.5f), dot, ImGui::GetColorU32(color));
  ImGui::SetCursorScreenPos(ImVec2(pos.x + dot * 2 + ImGui::GetStyle().ItemInnerSpacing.x, pos.y));
  if (!risk) ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(label);
  if (!risk) ImGui::PopStyleColor();
}

void MutedText(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

void FieldLabel(const char* label) {
  // Table rows carry the text baseline of the tallest widget before them across columns;
  // aligning every label to frame padding keeps a form row's labels on one line.
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
  ImGui::TextUnformatted(label);
  ImGui::PopStyleColor();
}

void FieldErrorLine(const FieldError& error, std::string_view field) {
  if (error.message.empty()) return;
  const bool match = error.field == field || (field.empty() && error.field.empty());
  if (!match) return;
  ImGui::PushStyleColor(ImGuiCol_Text, Colors().danger);
  ImGui::TextWrapped("%s", error.message.c_str());
  ImGui::PopStyleColor();
}

namespace {

// kValidation messages that reached a form without a Latvian wording (main thread only).
std::vector<std::string>& Untranslated() {
  static std::vector<std::string> messages;
  return messages;
}

void NoteUntranslated(const std::string& message) {
  Untranslated().push_back(message);
}

// The first run of digits in `s` ("at most 200 bytes" -> "200"), or "" when there is none.
std::string FirstNumber(std::string_view s) {
  const auto start = s.find_first_of("0123456789");
  if (start == std::string_view::npos) return {};
  const auto end = s.find_first_not_of("0123456789", start);
  return std::string(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
}

}  // namespace

std::optional<std::string> ValidationWordingLv(std::string_view problem) {
  // The problems client::Workspace and client/validation.cpp report after "field: ", matched
  // by their beginning (several end with ids or dates); "{n}" takes the problem's first number.
  struct Wording {
    std::string_view en;
    std::string_view lv;
  };
  static constexpr Wording kWordings[] = {
      // Mediation and the choice of a circle member's session (before "required").
      {"required for an agreement", "obligāts, ja panākta vienošanās"},
      {"required to choose by volunteer", "jānorāda, lai izvēlētos brīvprātīgo"},
      {"mediation records belong to mediation cases", "izlīguma ieraksti ir tikai izlīguma lietām"},
      {"not in the unit's volunteer register on this device",
       "nav struktūrvienības brīvprātīgo reģistrā šajā ierīcē"},
      {"the volunteer is not a mediator", "brīvprātīgais nav starpnieks"},
      {"no mediator is assigned", "starpnieks nav noteikts"},
      {"the client has not consented to mediate by",
       "klients līdz tikšanās dienai nav piekritis izlīgumam"},
      {"the party has not consented to mediate by",
       "puse līdz tikšanās dienai nav piekritusi izlīgumam"},
      {"at least one party", "jānorāda vismaz viena puse"},
      {"a planned meeting cannot be in the past", "plānota tikšanās nevar būt pagātnē"},
      {"a meeting is recorded planned or held", "tikšanos reģistrē kā plānotu vai notikušu"},
      {"held or cancelled", "jānorāda: notika vai atcelta"},
      {"the meeting's day has not come", "tikšanās diena vēl nav pienākusi"},
      {"not a party of this mediation", "nav šī izlīguma puse"},
      {"no mediation meeting was held by",
       "līdz šai dienai nav notikusi neviena izlīguma tikšanās"},
      {"must be after the outcome's day", "jābūt vēlākam par iznākuma datumu"},
      {"only with an agreement", "norāda tikai, ja panākta vienošanās"},
      {"no agreement was reached to fulfil", "vienošanās nav panākta: nav ko izpildīt"},
      {"record the mediation's outcome first", "vispirms jāreģistrē izlīguma iznākums"},
      {"record whether the agreement was fulfilled first",
       "vispirms jāreģistrē, vai vienošanās izpildīta"},
      {"before the outcome of", "agrāk par iznākuma datumu"},
      {"the client has no active mentor assignment", "klientam nav aktīva līdzgaitnieka"},
      {"choose whose session it was",
       "klientam ir vairāki brīvprātīgie: izvēlies, kura brīvprātīgā sesija tā bija"},
      {"not an active assignment of this client", "nav šī klienta aktīvs brīvprātīgais"},
      {"not an assignment of this client", "nav šī klienta līdzgaitnieka piesaiste"},
      {"required to sign the report", "obligāts, lai parakstītu ziņojumu"},
      {"the report is not started", "ziņojuma sagatavošana vēl nav sākta"},
      {"the report of", "ziņojuma sagatavošana vēl nav sākta"},
      {"the report is not signed", "ziņojums vēl nav parakstīts; vispirms to paraksti"},
      {"the assessment is not signed", "novērtējums nav parakstīts; vispirms paraksti to"},
      {"not an assessment of this case", "nav šīs lietas novērtējums"},
      {"nothing to draft", "nav ko saglabāt: ieraksti kādas sadaļas tekstu"},
      {"before the report was signed", "agrāk par ziņojuma parakstīšanu"},
      {"before the request was received", "agrāk par pieprasījuma saņemšanu"},
      {"required for a held contact", "obligāts notikušam kontaktam"},
      {"required for a referral", "obligāts nosūtījumam"},
      {"required", "obligāts lauks"},
      {"must be a date dd.mm.yyyy", "datums jānorāda formā dd.mm.gggg"},
      {"not a calendar date", "šāda datuma nav"},
      {"year out of range", "gadam jābūt no 1900 līdz 2199"},
      {"out of range (1900-2199)", "gadam jābūt no 1900 līdz 2199"},
      {"wrong check digit", "nepareizs kontrolcipars"},
      {"must look like DDMMYY-CNNNN or 32NNNN-NNNNN",
       "jānorāda formā DDMMGG-CNNNN vai 32NNNN-NNNNN"},
      {"the century digit (7th) must be 0, 1 or 2", "gadsimta ciparam (7.) jābūt 0, 1 vai 2"},
      {"the birth date part is not a calendar date", "dzimšanas datuma daļa nav derīgs datums"},
      {"already registered for", "šāds personas kods jau reģistrēts citai personai"},
      {"no person registered with this code", "ar šo personas kodu neviens nav reģistrēts"},
      {"contradicts the birth date recorded",
       "nesakrīt ar šai personai reģistrēto dzimšanas datumu"},
      {"in the future", "datums ir nākotnē"},
      {"a held or missed contact cannot be in the future",
       "notikušu vai nenotikušu kontaktu nevar reģistrēt nākotnē"},
      {"time must be HH:MM", "laiks jānorāda formā HH:MM"},
      {"too long", "pārāk garš (ne vairāk kā {n} baiti)"},
      {"is a folder, not a file", "tā ir mape, nevis fails"},
      {"the folder does not exist", "šādas mapes nav"},
      {"not valid UTF-8", "nederīgs teksta kodējums"},
      {"contains a control character", "satur vadības rakstzīmi"},
      {"not an e-mail address", "nav e-pasta adrese"},
      {"not an active officer of unit", "nav šīs struktūrvienības aktīvs darbinieks"},
      {"before opened_on", "agrāk par atvēršanas datumu"},
      {"before started_on", "agrāk par sākuma datumu"},
      {"before received_on", "agrāk par saņemšanas datumu"},
      {"before the referral", "agrāk par nosūtījumu"},
      {"before the start", "agrāk par sākumu"},
      {"before the order of", "agrāk par rīkojuma datumu"},
      {"before the missed contact of", "agrāk par nenotikušo kontaktu"},
      {"before the meeting of", "agrāk par sanāksmi"},
      {"before the client's consent", "agrāk par klienta piekrišanu"},
      {"must be after the order date", "jābūt vēlākam par rīkojuma datumu"},
      {"a supervision section is already open", "lietai jau ir atvērta uzraudzības sekcija"},
      {"close the open supervision section first", "vispirms jāslēdz atvērtā uzraudzības sekcija"},
      {"the client already has a mentor", "klientam jau ir līdzgaitnieks"},
      {"the client is already referred for peer mentoring",
       "klients jau ir nosūtīts pie līdzgaitnieka"},
      {"the client is no longer referred for peer mentoring",
       "klients vairs nav nosūtīts pie līdzgaitnieka"},
      {"community work orders belong to",
       "piespiedu darba rīkojums ir tikai piespiedu darba lietām"},
      {"the case already has a community work order", "lietai jau ir piespiedu darba rīkojums"},
      {"a case of another unit", "citas struktūrvienības lieta"},
      {"at least one case", "jānorāda vismaz viena lieta"},
      {"malformed id", "nederīgs identifikators"},
      {"the client's consent to this programme is not recorded",
       "klienta piekrišana šai programmai nav reģistrēta"},
      {"only a missed contact takes a decision", "lēmumu pieņem tikai par nenotikušu kontaktu"},
      {"the case has no open supervision section", "lietai nav atvērtas uzraudzības sekcijas"},
      {"between 1 cent and 1000 EUR", "no 0,01 līdz 1000 EUR"},
      {"between 1 and 1440", "no 1 līdz 1440 minūtēm"},
      {"hours are logged at this placement on",
       "šajā darba vietā pēc šī datuma ir reģistrētas stundas"},
      {"at least one goal", "jānorāda vismaz viens mērķis"},
      {"whole hours between 1 and", "veselas stundas no 1 līdz {n}"},
      {"took no part in the meeting", "iestāde sanāksmē nepiedalījās"},
      {"nothing to change", "nav ko mainīt"},
      {"at least one minute", "vismaz viena minūte"},
      {"at least 10 characters", "vismaz 10 rakstzīmes"},
      {"more than the", "vairāk nekā atļauts"},
      {"unknown risk level", "nezināms riska līmenis"},
      {"must end the episode", "jānorāda epizodes iznākums"},
      {"at least one participant", "jānorāda vismaz viens dalībnieks"},
      {"attendance needs an enrolment in progress",
       "apmeklējumu reģistrē tikai uzsāktai programmai"},
      {"only a referred client can be enrolled", "uzsākt var tikai nosūtītam klientam"},
      {"no assessment records a risk level", "neviens novērtējums nenosaka riska līmeni"},
      {"the next stage after", "var pāriet tikai uz nākamo posmu"},
      {"the volunteer is already certified", "brīvprātīgais jau ir sertificēts"},
      {"completed, dropped_out or cancelled", "jānorāda: pabeigts, pārtraucis vai atcelts"},
      {"must record an outcome", "jānorāda iznākums"},
      {"only an enrolled client can complete a programme",
       "programmu pabeigt var tikai klients, kas to uzsācis"},
      {"unknown record kind", "nezināms ieraksta veids"},
      {"amend an unsigned assessment instead", "neparakstītu novērtējumu labo, to grozot"},
      {"another case's assessment", "citas lietas novērtējums"},
      {"not a record of a case file", "nav lietas ieraksts"},
      {"not a correctable record", "šo ierakstu nevar labot"},
      {"a link to another record cannot be corrected", "saiti ar citu ierakstu nevar labot"},
      {"must be 1 (yes) or 0 (no)", "jānorāda 1 (jā) vai 0 (nē)"},
      // A corrected value of the column's kind (client/columns.hpp).
      {"not one of the field's codes", "nav neviena no šim laukam atļautajām vērtībām"},
      {"a code is repeated", "vērtība norādīta atkārtoti"},
      {"must be a whole number from 0 to 1000000", "jānorāda vesels skaitlis no 0 līdz 1 000 000"},
      {"a recorded time is not corrected", "reģistrēšanas laiku nelabo"},
      {"who recorded or signed a record, and when, is not corrected",
       "kas un kad ierakstu reģistrēja vai parakstīja, netiek labots"},
      {"out of range", "ārpus pieļaujamā diapazona"},
      // Retention periods (client/retention.hpp), before the general wording.
      {"a whole number between 30 and 3650", "veselas dienas no 30 līdz 3650"},
      {"a whole number between", "vesels skaitlis robežās"},
      {"unknown case kind in the retention setting",
       "glabāšanas termiņa iestatījumā norādīts nezināms lietas veids"},
      {"whole days between 0 and 366", "veselas dienas no 0 līdz 366"},
      {"whole days between 1 and 366", "veselas dienas no 1 līdz 366"},
      {"a mediator is not a peer mentor", "starpnieks nav līdzgaitnieks"},
      {"a volunteer of another unit", "citas struktūrvienības brīvprātīgais"},
      {"the volunteer is not certified", "brīvprātīgais nav sertificēts"},
      {"outside the placement", "ārpus darba vietas perioda"},
      {"given twice", "norādīts divreiz"},
      {"not a warning of case", "nav šīs lietas brīdinājums"},
      {"already grounds court application", "jau ir pamatā citam pieteikumam tiesai"},
      // Mentoring governance and countersignatures.
      {"before the assignment started on", "agrāk par līdzgaitnieka piesaistes sākumu"},
      {"after the assignment ended on", "vēlāk par līdzgaitnieka piesaistes beigām"},
      {"before a logged session of", "agrāk par jau reģistrētu sesiju"},
      {"a circle of support is for a sex-offence case only",
       "atbalsta un atbildīguma aplis paredzēts tikai lietām par dzimumnoziegumiem"},
      {"a circle of support takes circle members only",
       "atbalsta un atbildīguma aplī piesaista tikai apļa dalībniekus"},
      {"a circle of support has at most", "aplī var būt ne vairāk kā {n} brīvprātīgie"},
      {"the volunteer is already in the client's circle", "brīvprātīgais jau ir klienta aplī"},
      {"the assessment is an unsigned draft",
       "novērtējums vēl nav parakstīts; kontrasignē to pēc parakstīšanas"},
      {"only an assessment, a plan version or a court application",
       "kontrasignē tikai novērtējumu, plāna versiju vai pieteikumu tiesai"},
      // Transfers between units (client/workflows_transfer.cpp).
      {"the case's own unit", "tā ir pašas lietas struktūrvienība"},
      {"a closed case is not transferred", "slēgtu lietu citai struktūrvienībai nenodod"},
      {"a transfer to unit", "lieta jau piedāvāta citai struktūrvienībai"},
      {"the client has an open mentoring referral",
       "klients nosūtīts pie līdzgaitnieka; vispirms jāizbeidz nosūtījums"},
      {"no such record", "šāda ieraksta nav"},
  };
  // Problems that begin with a figure ("7 h 30 min on 2026-03-05 exceed the daily limit of
  // 8 h ..."), found by a phrase they contain.
  static constexpr Wording kContained[] = {
      {"exceed the daily limit of", "pārsniedz dienā atļauto stundu skaitu"},
  };
  for (const auto& w : kContained) {
    if (problem.find(w.en) != std::string_view::npos) return std::string(w.lv);
  }
  for (const auto& w : kWordings) {
    if (problem.substr(0, w.en.size()) != w.en) continue;
    std::string out(w.lv);
    if (const auto at = out.find("{n}"); at != std::string::npos)
      out.replace(at, 3, FirstNumber(problem));
    return out;
  }
  return std::nullopt;
}

std::vector<std::string> TakeUntranslatedMessages() {
  std::vector<std::string> out;
  out.swap(Untranslated());
  return out;
}

FieldError ToFieldError(const Error& error) {
  FieldError fe;
  if (error.code != Errc::kValidation) {
    fe.message = error.code == Errc::kNotPermitted ? Tr(S::kNotPermitted) : error.message;
    return fe;
  }
  const std::string& m = error.message;
  const auto colon = m.find(": ");
  std::string problem = m;
  if (colon != std::string::npos && m.find(' ') > colon) {
    fe.field = m.substr(0, colon);
    // "goals[0].goal" and similar: keep the leading field name.
    problem = m.substr(colon + 2);
  }
  fe.message = problem;
  if (Language() == Lang::kLv) {
    if (auto lv = ValidationWordingLv(problem)) {
      fe.message = *lv;
    } else {
      NoteUntranslated(m);
    }
  }
  return fe;
}

bool TableField(const char* label, const char* id, std::string* value, const FieldError& error,
                std::string_view field, FieldKind kind) {
  ImGui::TableNextColumn();
  FieldLabel(label);
  ImGui::SetNextItemWidth(-1);
  const bool enter = kind == FieldKind::kDate
                         ? DateInput(id, value, ImGuiInputTextFlags_EnterReturnsTrue)
                         : InputText(id, value, ImGuiInputTextFlags_EnterReturnsTrue);
  FieldErrorLine(error, field);
  return enter;
}

bool FormCancelPressed() {
  if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return false;
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
}

bool FieldCancelPressed() {
  return ImGui::IsItemDeactivated() &&
         ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
}

bool FieldCtrlEnterPressed() {
  return ImGui::IsItemDeactivated() && ImGui::GetIO().KeyCtrl &&
         ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
}

void Spinner(float radius_em) {
  const float r = Em(radius_em);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(r * 2, r * 2));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float t = static_cast<float>(ImGui::GetTime());
  const ImVec2 c(pos.x + r, pos.y + r);
  const int n = 24;
  const float start = t * 6.0f;
  dl->PathClear();
  for (int i = 0; i <= n; ++i) {
    const float a = start + static_cast<float>(i) / static_cast<float>(n) * 4.5f;
    dl->PathLineTo(ImVec2(c.x + std::cos(a) * r * 0.8f, c.y + std::sin(a) * r * 0.8f));
  }
  dl->PathStroke(ImGui::GetColorU32(Colors().accent), 0, r * 0.25f);
}

void TextOrDash(std::string_view text) {
  if (text.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().text_muted);
    ImGui::TextUnformatted("—");
    ImGui::PopStyleColor();
  } else {
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
  }
}

}  // namespace lietvedis::ui
