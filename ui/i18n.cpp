#include "ui/i18n.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "client/columns.hpp"
#include "client/history.hpp"
#include "client/validation.hpp"

namespace lietvedis::ui {
namespace {

struct Pair {
  const char* lv;
  const char* en;
};

constexpr Pair kStrings[] = {
#define LV_UI_STRING_ROW(key, lv, en) {lv, en},
    LV_UI_STRINGS(LV_UI_STRING_ROW)
#undef LV_UI_STRING_ROW
};
static_assert(sizeof(kStrings) / sizeof(kStrings[0]) == static_cast<std::size_t>(S::kCount));

std::atomic<Lang> g_lang{Lang::kLv};

const char* Pick(const Pair& p) {
  return g_lang.load() == Lang::kLv ? p.lv : p.en;
}

// Enum labels, in the enum's declaration order (client/model.hpp).
constexpr Pair kRole[] = {{"Klientu lietu vadītājs", "Probation officer"},
                          {"Līdzgaitnieku darba koordinators", "Volunteer coordinator"},
                          {"Struktūrvienības vadītājs", "Supervisor"},
                          {"Administrators", "Administrator"}};
constexpr Pair kCaseKind[] = {
    {"Nosacīti notiesātais", "Conditional sentence"},
    {"Nosacīti pirms termiņa atbrīvotais", "Conditional early release"},
    {"Piespiedu darbs", "Community work"},
    {"Izvērtēšanas ziņojums", "Evaluation report"},
    {"Probācijas uzraudzība", "Probation supervision"},
    {"Nosacīti atbrīvots no kriminālatbildības", "Released from criminal liability"},
    {"Nepilngadīgā piespiedu darbs", "Juvenile community work"},
    {"Izlīgums", "Mediation"}};
constexpr Pair kCaseStatus[] = {{"Atvērta", "Open"}, {"Slēgta", "Closed"}};
constexpr Pair kRisk[] = {
    {"Zems", "Low"}, {"Vidējs", "Medium"}, {"Augsts", "High"}, {"Ļoti augsts", "Very high"}};
constexpr Pair kInstrument[] = {{"VPD RVN", "VPD RNA"},
                                {"Static-99R", "Static-99R"},
                                {"STABLE-2007", "STABLE-2007"},
                                {"VRS", "VRS"},
                                {"VRS-SO", "VRS-SO"},
                                {"CANS", "CANS"},
                                {"Dinamisko riska faktoru skala", "Dynamic risk factor scale"},
                                {"Drošības riska rīks", "Security-risk tool"}};
constexpr Pair kNeed[] = {{"Mājoklis", "Accommodation"},
                          {"Izglītība un nodarbinātība", "Education and employment"},
                          {"Finanses", "Finances"},
                          {"Attiecības", "Relationships"},
                          {"Dzīvesveids", "Lifestyle"},
                          {"Atkarību izraisošās vielas", "Substance misuse"},
                          {"Alkohols", "Alcohol"},
                          {"Emocionālā labklājība", "Emotional wellbeing"},
                          {"Domāšana un uzvedība", "Thinking and behaviour"},
                          {"Attieksmes", "Attitudes"}};
constexpr Pair kContactStatus[] = {
    {"Plānots", "Planned"}, {"Notika", "Held"}, {"Neieradās", "Missed"}, {"Atcelts", "Cancelled"}};
constexpr Pair kContactMode[] = {
    {"Klātienē", "In person"}, {"Pa tālruni", "Phone"}, {"Video", "Video"}};
constexpr Pair kSectionStatus[] = {{"Atvērta", "Open"}, {"Slēgta", "Closed"}};
constexpr Pair kReferral[] = {{"Nosūtīts", "Referred"},
                              {"Uzsākts", "Enrolled"},
                              {"Pabeigts", "Completed"},
                              {"Pārtraucis", "Dropped out"},
                              {"Atcelts", "Cancelled"}};
constexpr Pair kConsent[] = {{"Dota", "Given"}, {"Atteikta", "Refused"}, {"Atsaukta", "Withdrawn"}};
constexpr Pair kVolunteerKind[] = {{"Līdzgaitnieks", "Peer mentor"},
                                   {"Atbalsta un atbildīguma apļa dalībnieks", "Circle member"},
                                   {"Starpnieks", "Mediator"}};
constexpr Pair kStage[] = {{"Pieteikums", "Application"}, {"Izvērtēšana", "Evaluation"},
                           {"Intervija", "Interview"},    {"Apmācība", "Training"},
                           {"Sertificēts", "Certified"},  {"Izstājies", "Withdrawn"}};
constexpr Pair kMentoringMode[] = {{"Klātienē", "In person"}, {"Tiešsaistē", "Online"}};
constexpr Pair kMeetingMode[] = {
    {"Klātienē", "In person"}, {"Attālināti", "Remote"}, {"Jaukts", "Mixed"}};
constexpr Pair kInstitution[] = {
    {"VPD", "VPD"},
    {"IeVP", "Prison Administration"},
    {"Valsts policija", "State Police"},
    {"Pašvaldības sociālais dienests", "Municipal social service"},
    {"Bērnu tiesību aizsardzības inspekcija", "Child-rights inspectorate"},
    {"NVO", "NGO"},
    {"Tiesa", "Court"},
    {"Prokuratūra", "Prosecutor"},
    {"Cita", "Other"}};
constexpr Pair kViolation[] = {{"Brīdinājums", "Warning"},
                               {"Pārkāpums", "Violation"},
                               {"Jauns noziedzīgs nodarījums", "New offence"}};
constexpr Pair kAgendaKind[] = {
    {"Jāsatiekas", "Contact due"},
    {"Plānots kontakts", "Planned contact"},
    {"Plāna pārskatīšana", "Plan review"},
    {"Izvērtēšanas ziņojuma termiņš", "Evaluation report deadline"},
    {"Sanāksmes uzdevums", "Meeting action"},
    {"Programmas nodarbība", "Programme session"},
    {"Neieradās: jāizlemj", "Missed contact: decide"},
    {"Piespiedu darba termiņš", "Community work deadline"},
    {"Piespiedu darbs atpaliek", "Community work behind"},
    {"Ierosināms pieteikums tiesai", "Court application proposed"},
    {"Nepabeigts izvērtēšanas ziņojums", "Unsigned evaluation report"},
    {"Jāveic atkārtots novērtējums", "Reassessment due"},
    {"Uzraudzības sekcijas plānotās beigas", "Supervision section ends"},
    {"Elektroniskās uzraudzības beigas", "Electronic monitoring ends"},
    {"Ievietošanas rehabilitācijas centrā beigas", "Rehabilitation-centre placement ends"},
    {"Gaida tiesas lēmumu", "Awaiting the court's decision"},
    {"Neparakstīts novērtējums", "Unsigned assessment"},
    {"Neparakstīts sanāksmes protokols", "Unsigned meeting minutes"},
    {"Izlīguma tikšanās", "Mediation meeting"},
    {"Izlīguma vienošanās izpildes termiņš", "Mediation agreement due"},
    {"Piedāvāta lieta no citas struktūrvienības", "Case offered by another unit"},
    {"Sesija gaida apstiprinājumu", "Session awaiting sign-off"},
    {"Lieta atvērta ārkārtas kārtā", "Case file opened by break-glass"}};
constexpr Pair kMediationMeetingStatus[] = {
    {"Plānota", "Planned"}, {"Notika", "Held"}, {"Atcelta", "Cancelled"}};
constexpr Pair kMediationOutcome[] = {{"Panākta vienošanās", "Agreement reached"},
                                      {"Vienošanās nav panākta", "No agreement"},
                                      {"Puse atteicās", "A party withdrew"},
                                      {"Nav piemērots izlīgumam", "Not suitable"}};
constexpr Pair kAgreementFulfilment[] = {{"Izpildīta", "Fulfilled"},
                                         {"Nav izpildīta", "Not fulfilled"}};
constexpr Pair kEvaluation[] = {{"Pieprasīts", "Requested"},
                                {"Tiek gatavots", "In progress"},
                                {"Iesniegts", "Submitted"},
                                {"Atsaukts", "Withdrawn"}};

constexpr Pair kClientTag[] = {
    {"Nepilngadīgais", "Juvenile"}, {"Jaunietis", "Young person"},
    {"Sieviete", "Woman"},          {"Dzimumnoziegums", "Sexual offence"},
    {"Vardarbība", "Violence"},     {"Atkarība", "Addiction"}};
constexpr Pair kRelation[] = {{"Ģimenes loceklis", "Family member"},
                              {"Atbalsta persona", "Support person"}};
constexpr Pair kEmOutcome[] = {
    {"Turpinās", "Ongoing"}, {"Pabeigta", "Completed"}, {"Atcelta", "Revoked"}};
constexpr Pair kRequester[] = {
    {"Tiesa", "Court"}, {"Prokuratūra", "Prosecutor"}, {"Ieslodzījuma vieta", "Prison"}};
constexpr Pair kSectionOutcome[] = {
    {"Termiņš noslēdzies sekmīgi", "Completed"},
    {"Atcelta pārkāpumu dēļ", "Revoked for violations"},
    {"Atcelta jauna noziedzīga nodarījuma dēļ", "Revoked for a new offence"},
    {"Sods aizstāts", "Sentence replaced"},
    {"Nodota citai struktūrvienībai", "Transferred"},
    {"Klients miris", "Client deceased"},
    {"Cits iemesls", "Other reason"}};
constexpr Pair kEmployment[] = {{"Strādā", "Employed"},
                                {"Pašnodarbināts", "Self-employed"},
                                {"Bezdarbnieks", "Unemployed"},
                                {"Mācās", "Student"},
                                {"Ārpus darbaspēka", "Not in the labour force"},
                                {"Nav zināms", "Unknown"}};
constexpr Pair kDisability[] = {{"Nav invaliditātes", "No disability"},
                                {"I grupa", "Group I"},
                                {"II grupa", "Group II"},
                                {"III grupa", "Group III"}};
constexpr Pair kCourtApplicationKind[] = {
    {"Aizstāt neizciesto sodu", "Replace the unserved sentence"},
    {"Pagarināt probācijas uzraudzību", "Extend probation supervision"},
    {"Mainīt pienākumus", "Change obligations"},
    {"Cits", "Other"}};
constexpr Pair kMissedDecision[] = {{"Brīdinājums", "Warning"},
                                    {"Attaisnots kavējums", "Justified absence"}};
constexpr Pair kProvider[] = {
    {"VPD", "VPD"}, {"IeVP", "Prison Administration"}, {"NVO", "NGO"}, {"Cits", "Other"}};
constexpr Pair kProgrammeMode[] = {
    {"Klātienē", "In person"}, {"E-vidē", "Online"}, {"Jaukti", "Blended"}};
constexpr Pair kAccreditation[] = {{"Akreditēta", "Accredited"},
                                   {"Nav akreditēta", "Not accredited"},
                                   {"Pilotprogramma", "Pilot"}};
constexpr Pair kPlanStatus[] = {
    {"Spēkā", "Active"}, {"Aizstāts", "Superseded"}, {"Slēgts", "Closed"}};
constexpr Pair kTransferStatus[] = {{"Gaida lēmumu", "Awaiting decision"},
                                    {"Atsaukta", "Withdrawn"},
                                    {"Atteikta", "Declined"},
                                    {"Pieņemta", "Accepted"}};

struct Named {
  const char* name;
  Pair label;
};
constexpr Named kTables[] = {
    {"client", {"Klients", "Client"}},
    {"probation_case", {"Lieta", "Case"}},
    {"contact", {"Kontakts", "Contact"}},
    {"assessment", {"Novērtējums", "Assessment"}},
    {"res_plan", {"Resocializācijas plāns", "Resocialisation plan"}},
    {"plan_goal", {"Plāna mērķis", "Plan goal"}},
    {"supervision_section", {"Uzraudzības sekcija", "Supervision section"}},
    {"referral", {"Programmas nosūtījums", "Programme referral"}},
    {"attendance", {"Nodarbības apmeklējums", "Session attendance"}},
    {"consent", {"Piekrišana", "Consent"}},
    {"note", {"Piezīme", "Note"}},
    {"related_person", {"Saistītā persona", "Related person"}},
    {"em_episode", {"Elektroniskā uzraudzība", "Electronic monitoring"}},
    {"src_placement", {"Sociālās rehabilitācijas centrs", "Rehabilitation centre"}},
    {"evaluation_request", {"Izvērtēšanas ziņojums", "Evaluation report"}},
    {"violation", {"Pārkāpums", "Violation"}},
    {"court_application", {"Iesniegums tiesai", "Application to court"}},
    {"client_card", {"Klienta kartīte", "Client card"}},
    {"mentor_assignment", {"Līdzgaitnieka piesaiste", "Mentor assignment"}},
    {"mentoring_session", {"Līdzgaitnieka sesija", "Mentoring session"}},
    {"volunteer", {"Brīvprātīgais", "Volunteer"}},
    {"volunteer_stage", {"Atlases posms", "Selection stage"}},
    {"mappa_meeting", {"Starpinstitūciju sanāksme", "Inter-agency meeting"}},
    {"mappa_action", {"Sanāksmes uzdevums", "Meeting action"}},
    {"mappa_participant", {"Sanāksmes dalībnieks", "Meeting participant"}},
    {"mappa_disclosure", {"Izpaustā informācija", "Disclosure"}},
    {"unit_setting", {"Struktūrvienības iestatījums", "Unit setting"}},
    {"correction", {"Labojums", "Correction"}},
    {"programme", {"Programma", "Programme"}},
    {"evaluation_report", {"Izvērtēšanas ziņojuma teksts", "Evaluation report text"}},
    {"community_order", {"Piespiedu darbs", "Community work order"}},
    {"work_placement", {"Piespiedu darba vieta", "Work placement"}},
    {"community_hours", {"Nostrādātās stundas", "Hours worked"}},
    {"escalation_decision", {"Lēmums par neierašanos", "Decision on a missed contact"}},
    {"court_application_ground", {"Iesnieguma pamats", "Ground of an application"}},
    {"mentoring_referral", {"Nosūtījums pie līdzgaitnieka", "Referral to peer mentoring"}},
    // Countersignatures (client::Countersign).
    {"countersignature", {"Kontrasignējums", "Countersignature"}},
    // Mediation (schema step 11).
    {"mediation", {"Izlīgums", "Mediation"}},
    {"mediation_party", {"Izlīguma puse", "Mediation party"}},
    {"mediation_meeting", {"Izlīguma tikšanās", "Mediation meeting"}},
    {"case_transfer", {"Lietas nodošana", "Case transfer"}},
};
constexpr Named kColumns[] = {
    {"from_unit_id", {"No struktūrvienības", "From unit"}},
    {"to_unit_id", {"Uz struktūrvienību", "To unit"}},
    {"offered_by", {"Piedāvāja", "Offered by"}},
    {"offered_at", {"Piedāvāts", "Offered at"}},
    {"decided_at", {"Lēmuma laiks", "Decided at"}},
    {"new_officer_id", {"Jaunais atbildīgais darbinieks", "New responsible officer"}},
    {"decision_note", {"Lēmuma piezīme", "Decision note"}},
    {"name", {"Vārds", "Name"}},
    {"surname", {"Uzvārds", "Surname"}},
    {"personal_code", {"Personas kods", "Personal code"}},
    {"birth_date", {"Dzimšanas datums", "Date of birth"}},
    {"phone", {"Tālrunis", "Phone"}},
    {"email", {"E-pasts", "E-mail"}},
    {"address", {"Adrese", "Address"}},
    {"municipality", {"Pašvaldība", "Municipality"}},
    {"status", {"Statuss", "Status"}},
    {"planned_at", {"Plānotais laiks", "Planned for"}},
    {"held_on", {"Notikšanas datums", "Held on"}},
    {"mode", {"Veids", "Mode"}},
    {"outcome", {"Iznākums", "Outcome"}},
    {"note", {"Piezīme", "Note"}},
    {"body", {"Teksts", "Text"}},
    {"risk_level", {"Riska līmenis", "Risk level"}},
    {"responsible_officer_id", {"Atbildīgais darbinieks", "Responsible officer"}},
    {"officer_id", {"Darbinieks", "Officer"}},
    {"goal", {"Mērķis", "Goal"}},
    {"review_on", {"Pārskatīšanas datums", "Review date"}},
    {"description", {"Apraksts", "Description"}},
    {"due_on", {"Termiņš", "Due"}},
    {"deadline_on", {"Termiņš", "Deadline"}},
    {"value", {"Vērtība", "Value"}},
    {"kind", {"Veids", "Kind"}},
    {"closed_on", {"Slēgšanas datums", "Closed on"}},
    {"opened_on", {"Atvēršanas datums", "Opened on"}},
    {"ended_on", {"Beigu datums", "Ended on"}},
    {"decision", {"Lēmums", "Decision"}},
    // The fields of the case records, for the case history (HistoryFieldLabel).
    {"person_id", {"Persona", "Person"}},
    {"case_id", {"Lieta", "Case"}},
    {"client_id", {"Klients", "Client"}},
    {"unit_id", {"Struktūrvienība", "Unit"}},
    {"tags", {"Pazīmes", "Tags"}},
    {"relation", {"Saistība", "Relation"}},
    {"voided_at", {"Anulēts", "Voided"}},
    {"planned_end_on", {"Plānotās beigas", "Planned end"}},
    {"started_on", {"Sākuma datums", "Started on"}},
    {"requester", {"Pieprasītājs", "Requester"}},
    {"requester_name", {"Pieprasītāja nosaukums", "Requester's name"}},
    {"reference", {"Numurs", "Reference"}},
    {"received_on", {"Saņemšanas datums", "Received on"}},
    {"submitted_on", {"Iesniegšanas datums", "Submitted on"}},
    {"withdrawn_on", {"Atsaukšanas datums", "Withdrawn on"}},
    {"withdrawal_reason", {"Atsaukšanas pamatojums", "Reason for withdrawal"}},
    {"sentence_type", {"Soda veids", "Sentence"}},
    {"court_decision_ref", {"Tiesas nolēmums", "Court decision"}},
    {"obligations", {"Pienākumi", "Obligations"}},
    {"employment_at_opening", {"Nodarbinātība sākumā", "Employment at opening"}},
    {"employment_at_closure", {"Nodarbinātība beigās", "Employment at closure"}},
    {"disability_group", {"Invaliditāte", "Disability"}},
    {"no_employment_taxes_at_opening",
     {"Sākumā bez darba nodokļu iemaksām", "No employment taxes at opening"}},
    {"instrument", {"Instruments", "Instrument"}},
    {"instrument_version", {"Instrumenta versija", "Instrument version"}},
    {"assessed_on", {"Novērtēšanas datums", "Assessed on"}},
    {"assessor_id", {"Novērtētājs", "Assessor"}},
    {"total_score", {"Kopvērtējums", "Total score"}},
    {"item_scores", {"Vērtējumi pa jautājumiem", "Item scores"}},
    {"needs", {"Vajadzības", "Needs"}},
    {"need", {"Vajadzība", "Need"}},
    {"signed_at", {"Parakstīts", "Signed"}},
    {"signed_by", {"Parakstītājs", "Signed by"}},
    {"supersedes_id", {"Aizstāj", "Supersedes"}},
    {"version", {"Versija", "Version"}},
    {"created_on", {"Izveides datums", "Created on"}},
    {"next_review_on", {"Nākamā pārskatīšana", "Next review"}},
    {"author_id", {"Autors", "Author"}},
    {"plan_id", {"Plāns", "Plan"}},
    {"interventions", {"Intervences", "Interventions"}},
    {"occurred_on", {"Notikuma datums", "Occurred on"}},
    {"recorded_by", {"Reģistrēja", "Recorded by"}},
    {"recorded_at", {"Reģistrēts", "Recorded"}},
    {"filed_on", {"Iesniegšanas datums", "Filed on"}},
    {"reason", {"Pamatojums", "Reason"}},
    {"decided_on", {"Lēmuma datums", "Decided on"}},
    {"decided_by", {"Lēma", "Decided by"}},
    {"programme_id", {"Programma", "Programme"}},
    {"consent_id", {"Piekrišana", "Consent"}},
    {"given_on", {"Piekrišanas datums", "Given on"}},
    {"referred_on", {"Nosūtīšanas datums", "Referred on"}},
    {"referred_by", {"Nosūtīja", "Referred by"}},
    {"enrolled_on", {"Uzņemšanas datums", "Enrolled on"}},
    {"ended_by", {"Pārtrauca", "Ended by"}},
    {"referral_id", {"Nosūtījums", "Referral"}},
    {"session_on", {"Nodarbības datums", "Session on"}},
    {"attended", {"Apmeklēja", "Attended"}},
    {"subject_table", {"Attiecas uz", "Concerns"}},
    {"subject_id", {"Attiecas uz ierakstu", "Concerns record"}},
    {"written_at", {"Rakstīts", "Written"}},
    {"circumstances", {"Apstākļi", "Circumstances"}},
    {"offence", {"Nodarījums", "Offence"}},
    {"risk_needs", {"Riski un vajadzības", "Risks and needs"}},
    {"attitude", {"Attieksme", "Attitude"}},
    {"conclusion", {"Secinājums", "Conclusion"}},
    {"assessment_id", {"Novērtējums", "Assessment"}},
    {"request_id", {"Pieprasījums", "Request"}},
    {"drafted_at", {"Sagatavots", "Drafted"}},
    {"centre", {"Centrs", "Centre"}},
    {"daily_cost_cents", {"Dienas izmaksas", "Daily cost"}},
    {"vpd_daily_share_cents", {"VPD dienas daļa", "VPD daily share"}},
    {"hours_ordered", {"Noteiktās stundas", "Hours ordered"}},
    {"ordered_on", {"Noteikšanas datums", "Ordered on"}},
    {"created_by", {"Izveidoja", "Created by"}},
    {"order_id", {"Piespiedu darbs", "Community work order"}},
    {"provider", {"Darba vieta", "Placement provider"}},
    {"placement_id", {"Darba vieta", "Placement"}},
    {"worked_on", {"Darba datums", "Worked on"}},
    {"minutes", {"Minūtes", "Minutes"}},
    {"logged_by", {"Reģistrēja", "Logged by"}},
    {"logged_at", {"Reģistrēts", "Logged"}},
    {"contact_id", {"Kontakts", "Contact"}},
    {"section_id", {"Uzraudzības sekcija", "Supervision section"}},
    {"application_id", {"Iesniegums tiesai", "Application to court"}},
    {"decision_id", {"Lēmums", "Decision"}},
    {"consent_on", {"Piekrišanas datums", "Consent on"}},
    {"field", {"Lauks", "Field"}},
    // Countersignatures and circles of support (schema step 10).
    {"circle", {"Atbalsta un atbildīguma aplis", "Circle of support"}},
    {"record_table", {"Ieraksta veids", "Record kind"}},
    {"record_id", {"Ieraksts", "Record"}},
    {"remark", {"Piezīme", "Remark"}},
    // Mediation (schema step 11).
    {"mediator_volunteer_id", {"Starpnieks (brīvprātīgais)", "Mediator (volunteer)"}},
    {"mediator_name", {"Starpnieks", "Mediator"}},
    {"client_consent_on", {"Klienta piekrišana", "Client's consent"}},
    {"outcome_on", {"Iznākuma datums", "Outcome on"}},
    {"agreement_terms", {"Vienošanās noteikumi", "Terms of the agreement"}},
    {"agreement_due_on", {"Izpildes termiņš", "Due for fulfilment"}},
    {"fulfilment", {"Vienošanās izpilde", "Fulfilment"}},
    {"fulfilment_on", {"Izpildes datums", "Fulfilment recorded on"}},
    {"reported_on", {"Ziņots", "Reported on"}},
    {"report_to", {"Adresāts", "Reported to"}},
    {"reported_by", {"Ziņoja", "Reported by"}},
    {"contact", {"Kontaktinformācija", "Contact details"}},
    {"meeting_on", {"Tikšanās datums", "Meeting on"}},
    {"party_ids", {"Puses", "Parties"}},
    {"client_attended", {"Klients piedalījās", "Client took part"}},
};

template <std::size_t N>
std::string LookUp(const Named (&table)[N], std::string_view name) {
  for (const auto& n : table) {
    if (name == n.name) return Pick(n.label);
  }
  std::string out(name);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

template <class E, std::size_t N>
const char* Label(const Pair (&table)[N], E v) {
  const auto i = static_cast<std::size_t>(v);
  return i < N ? Pick(table[i]) : "?";
}

template <std::size_t N>
void Append(std::vector<std::string_view>* out, const Pair (&table)[N], Lang lang) {
  for (const auto& p : table) out->push_back(lang == Lang::kLv ? p.lv : p.en);
}

}  // namespace

void SetLanguage(Lang lang) {
  g_lang.store(lang);
}
Lang Language() {
  return g_lang.load();
}

const char* Tr(S s) {
  return TrIn(s, g_lang.load());
}

const char* TrIn(S s, Lang lang) {
  const auto i = static_cast<std::size_t>(s);
  if (i >= static_cast<std::size_t>(S::kCount)) return "?";
  return lang == Lang::kLv ? kStrings[i].lv : kStrings[i].en;
}

std::string Id(S s, const char* stable_id) {
  return std::string(Tr(s)) + "###" + stable_id;
}

const char* Tr(client::Role v) {
  return Label(kRole, v);
}
const char* Tr(client::CaseKind v) {
  return Label(kCaseKind, v);
}
const char* Tr(client::CaseStatus v) {
  return Label(kCaseStatus, v);
}
const char* Tr(client::RiskLevel v) {
  return Label(kRisk, v);
}
const char* Tr(client::Instrument v) {
  return Label(kInstrument, v);
}
const char* Tr(client::NeedDomain v) {
  return Label(kNeed, v);
}
const char* Tr(client::ContactStatus v) {
  return Label(kContactStatus, v);
}
const char* Tr(client::ContactMode v) {
  return Label(kContactMode, v);
}
const char* Tr(client::SectionStatus v) {
  return Label(kSectionStatus, v);
}
const char* Tr(client::ReferralStatus v) {
  return Label(kReferral, v);
}
const char* Tr(client::ConsentDecision v) {
  return Label(kConsent, v);
}
const char* Tr(client::VolunteerKind v) {
  return Label(kVolunteerKind, v);
}
const char* Tr(client::VolunteerStage v) {
  return Label(kStage, v);
}
const char* Tr(client::MentoringMode v) {
  return Label(kMentoringMode, v);
}
const char* Tr(client::MeetingMode v) {
  return Label(kMeetingMode, v);
}
const char* Tr(client::Institution v) {
  return Label(kInstitution, v);
}
const char* Tr(client::ViolationKind v) {
  return Label(kViolation, v);
}
const char* Tr(client::EvaluationStatus v) {
  return Label(kEvaluation, v);
}
const char* Tr(client::AgendaKind v) {
  return Label(kAgendaKind, v);
}
const char* Tr(client::ClientTag v) {
  return Label(kClientTag, v);
}
const char* Tr(client::Relation v) {
  return Label(kRelation, v);
}
const char* Tr(client::EmOutcome v) {
  return Label(kEmOutcome, v);
}
const char* Tr(client::Requester v) {
  return Label(kRequester, v);
}
const char* Tr(client::SectionOutcome v) {
  return Label(kSectionOutcome, v);
}
const char* Tr(client::EmploymentStatus v) {
  return Label(kEmployment, v);
}
const char* Tr(client::DisabilityGroup v) {
  return Label(kDisability, v);
}
const char* Tr(client::CourtApplicationKind v) {
  return Label(kCourtApplicationKind, v);
}
const char* Tr(client::MediationMeetingStatus v) {
  return Label(kMediationMeetingStatus, v);
}
const char* Tr(client::MediationOutcome v) {
  return Label(kMediationOutcome, v);
}
const char* Tr(client::AgreementFulfilment v) {
  return Label(kAgreementFulfilment, v);
}
const char* Tr(client::TransferStatus v) {
  return Label(kTransferStatus, v);
}
const char* Tr(client::MissedContactDecision v) {
  return Label(kMissedDecision, v);
}
const char* Tr(client::ProgrammeProvider v) {
  return Label(kProvider, v);
}
const char* Tr(client::ProgrammeMode v) {
  return Label(kProgrammeMode, v);
}
const char* Tr(client::Accreditation v) {
  return Label(kAccreditation, v);
}
const char* Tr(client::PlanStatus v) {
  return Label(kPlanStatus, v);
}
const char* HistoryKindLabel(std::string_view kind) {
  static constexpr std::pair<std::string_view, S> kKinds[] = {
      {"created", S::kHistoryCreated},
      {"updated", S::kHistoryUpdated},
      {"read", S::kHistoryRead},
      {"signed", S::kHistorySigned},
      {"closed", S::kHistoryClosed},
      {"correction", S::kHistoryCorrection},
      {"version", S::kHistoryVersion},
      {"corrected", S::kHistoryCorrection},
      {"render", S::kHistoryRender},
      {"export", S::kHistoryExport},
      {"import", S::kHistoryImport},
      {"countersigned", S::kHistoryCountersigned},
      {"break_glass", S::kHistoryBreakGlass},
      {"subject_access", S::kHistorySubjectAccess}};
  for (const auto& [code, label] : kKinds) {
    if (code == kind) return Tr(label);
  }
  return nullptr;
}

std::string AccessDetailText(std::string_view action, std::string_view detail) {
  const auto d = client::ParseAccessDetail(action, detail);
  if (!d) return std::string(detail);
  char buf[512];
  if (action == "render") {
    static constexpr std::pair<std::string_view, S> kDocuments[] = {
        {"case_summary", S::kDocCaseSummary},
        {"court_application", S::kDocCourtApplication},
        {"evaluation_report", S::kDocEvaluationReport},
        {"mediation_report", S::kDocMediationReport},
        {"minutes", S::kDocMinutes},
        {"agency_pack", S::kDocAgencyPack}};
    const char* document = nullptr;
    for (const auto& [code, label] : kDocuments) {
      if (code == d->document) document = Tr(label);
    }
    if (document == nullptr) return std::string(detail);
    if (d->document == "agency_pack") {
      const auto institution = client::FromCode<client::Institution>(d->institution);
      std::snprintf(buf, sizeof buf, Tr(S::kDocAgencyPackDetail), document,
                    institution ? Tr(*institution) : d->institution.c_str(), d->disclosures);
    } else {
      std::snprintf(buf, sizeof buf, Tr(S::kDocPages), document, d->pages);
    }
    return buf;
  }
  if (action == "subject_access") {
    const char* format = d->format == "pdf"    ? "PDF"
                         : d->format == "json" ? "JSON"
                         : d->format == "both" ? Tr(S::kSubjectAccessBoth)
                                               : nullptr;
    if (format == nullptr) return std::string(detail);
    std::snprintf(buf, sizeof buf, Tr(S::kSubjectAccessDetail), format, d->cases, d->withheld);
    return buf;
  }
  // break_glass
  std::snprintf(buf, sizeof buf, Tr(S::kBreakGlassHistoryUntil), FormatTimestamp(d->until).c_str());
  return buf;
}

namespace {

template <class E>
void AddCodes(std::vector<std::string_view>* out) {
  for (const auto code : client::AllCodes<E>()) out->push_back(code);
}

// Every enum code of the domain model, once.
const std::vector<std::string_view>& AllEnumCodes() {
  static const std::vector<std::string_view> codes = [] {
    std::vector<std::string_view> out;
    using namespace client;
    AddCodes<Role>(&out);
    AddCodes<ClientTag>(&out);
    AddCodes<Relation>(&out);
    AddCodes<CaseKind>(&out);
    AddCodes<CaseStatus>(&out);
    AddCodes<EmOutcome>(&out);
    AddCodes<Requester>(&out);
    AddCodes<EvaluationStatus>(&out);
    AddCodes<SectionStatus>(&out);
    AddCodes<SectionOutcome>(&out);
    AddCodes<EmploymentStatus>(&out);
    AddCodes<DisabilityGroup>(&out);
    AddCodes<Instrument>(&out);
    AddCodes<RiskLevel>(&out);
    AddCodes<NeedDomain>(&out);
    AddCodes<PlanStatus>(&out);
    AddCodes<ContactStatus>(&out);
    AddCodes<ContactMode>(&out);
    AddCodes<ViolationKind>(&out);
    AddCodes<CourtApplicationKind>(&out);
    AddCodes<ProgrammeProvider>(&out);
    AddCodes<ProgrammeMode>(&out);
    AddCodes<Accreditation>(&out);
    AddCodes<ConsentDecision>(&out);
    AddCodes<ReferralStatus>(&out);
    AddCodes<VolunteerKind>(&out);
    AddCodes<VolunteerStage>(&out);
    AddCodes<MentoringMode>(&out);
    AddCodes<MeetingMode>(&out);
    AddCodes<Institution>(&out);
    AddCodes<MissedContactDecision>(&out);
    AddCodes<MediationMeetingStatus>(&out);
    AddCodes<MediationOutcome>(&out);
    AddCodes<AgreementFulfilment>(&out);
    AddCodes<TransferStatus>(&out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }();
  return codes;
}

bool WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

}  // namespace

namespace {

// Columns HistoryFieldLabel drew by their own name for want of a label: raw codes on screen.
std::mutex g_unlabelled_mutex;
std::set<std::string, std::less<>> g_unlabelled;

bool DrawnUnlabelled(std::string_view word) {
  std::lock_guard lock(g_unlabelled_mutex);
  return g_unlabelled.find(word) != g_unlabelled.end();
}

}  // namespace

std::vector<std::string> RawCodesIn(std::string_view text, Lang lang) {
  std::vector<std::string> found;
  const auto& codes = AllEnumCodes();
  std::size_t i = 0;
  while (i < text.size()) {
    if (!WordChar(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && WordChar(text[j])) ++j;
    const std::string_view word = text.substr(i, j - i);
    // The value of a command-line option ("--role officer" in a command the administrator's
    // screen hands over) is a code on purpose: the command is to be run, not read.
    std::size_t k = i;
    while (k > 0 && text[k - 1] == ' ') --k;
    std::size_t option = k;
    while (option > 0 && text[option - 1] != ' ' && text[option - 1] != '\n') --option;
    const bool option_value = k > option && text.substr(option, 2) == "--";
    i = j;
    if (option_value) continue;
    const bool compound = word.find('_') != std::string_view::npos;
    if (DrawnUnlabelled(word)) {
      if (std::find(found.begin(), found.end(), word) == found.end()) found.emplace_back(word);
      continue;
    }
    if (!compound && lang != Lang::kLv) continue;
    if (!std::binary_search(codes.begin(), codes.end(), word)) continue;
    if (std::find(found.begin(), found.end(), word) == found.end()) found.emplace_back(word);
  }
  return found;
}

std::string TableLabel(std::string_view table) {
  return LookUp(kTables, table);
}
std::string ColumnLabel(std::string_view column) {
  return LookUp(kColumns, column);
}

const char* RefusalGroundText(std::string_view ground) {
  static constexpr struct {
    std::string_view ground;
    S text;
  } kGrounds[] = {{"forged", S::kRefusalForged},        {"not_permitted", S::kRefusalNotPermitted},
                  {"malformed", S::kRefusalMalformed},  {"unlisted_device", S::kRefusalUnlisted},
                  {"not_reader", S::kRefusalNotReader}, {"scope", S::kRefusalScope},
                  {"revoked", S::kRefusalRevoked}};
  for (const auto& g : kGrounds) {
    if (g.ground == ground) return Tr(g.text);
  }
  return Tr(S::kRefusalOther);
}

bool HasHistoryFieldLabel(std::string_view /*table*/, std::string_view column) {
  return std::any_of(std::begin(kColumns), std::end(kColumns),
                     [&](const Named& n) { return column == n.name; });
}

std::string HistoryFieldLabel(std::string_view table, std::string_view column) {
  if (HasHistoryFieldLabel(table, column)) return LookUp(kColumns, column);
  {
    std::lock_guard lock(g_unlabelled_mutex);
    g_unlabelled.emplace(column);
  }
  return std::string(column);
}

bool IsUserColumn(std::string_view column) {
  static constexpr std::string_view kUserColumns[] = {"responsible_officer_id",
                                                      "officer_id",
                                                      "assessor_id",
                                                      "signed_by",
                                                      "author_id",
                                                      "recorded_by",
                                                      "decided_by",
                                                      "referred_by",
                                                      "ended_by",
                                                      "logged_by",
                                                      "created_by",
                                                      "done_by",
                                                      "disclosed_by",
                                                      "offered_by",
                                                      "reported_by",
                                                      "new_officer_id"};
  return std::find(std::begin(kUserColumns), std::end(kUserColumns), column) !=
         std::end(kUserColumns);
}

namespace {

// A comma-joined list of codes ("alcohol,education_employment") as labels; nullopt when any
// part is not a code of E.
template <class E>
std::optional<std::string> EnumListText(std::string_view value) {
  std::string out;
  while (!value.empty()) {
    const auto comma = value.find(',');
    auto e = client::FromCode<E>(value.substr(0, comma));
    if (!e) return std::nullopt;
    if (!out.empty()) out += ", ";
    out += Tr(*e);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<std::string> EnumValueText(std::string_view t, std::string_view c,
                                         std::string_view v) {
  if (c == "subject_table" || c == "target_table" || c == "record_table") return TableLabel(v);
  std::optional<std::string> out;
  const client::ColumnKind kind = client::VisitColumnEnum(t, c, [&](auto tag) {
    using E = typename decltype(tag)::type;
    out = EnumListText<E>(v);  // one code is a list of one
  });
  return kind == client::ColumnKind::kText ? std::nullopt : out;
}

}  // namespace

std::string HistoryValueText(std::string_view table, std::string_view column,
                             std::string_view value) {
  if (value.empty()) return {};
  if (auto text = EnumValueText(table, column, value)) return *text;
  // How the value is said follows what the column holds (client/columns.hpp).
  switch (client::ColumnKindOf(table, column)) {
    case client::ColumnKind::kFlag:
      if (value == "1") return Tr(S::kYes);
      if (value == "0") return Tr(S::kNo);
      break;
    case client::ColumnKind::kCents: {
      const bool digits =
          std::all_of(value.begin(), value.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (digits && value.size() < 15) {
        const long long cents = std::stoll(std::string(value));
        char buf[32];
        std::snprintf(buf, sizeof buf, "%lld,%02lld €", cents / 100, cents % 100);
        return buf;
      }
      break;
    }
    case client::ColumnKind::kDay:
      return FormatDate(value);
    case client::ColumnKind::kDayTime:
    case client::ColumnKind::kTimestamp:
      return FormatTimestamp(value);
    case client::ColumnKind::kText:
    case client::ColumnKind::kEnum:
    case client::ColumnKind::kEnumList:
    case client::ColumnKind::kInteger:
      break;
  }
  return std::string(value);
}

std::vector<std::string_view> AllStrings(Lang lang) {
  std::vector<std::string_view> out;
  for (const auto& p : kStrings) out.push_back(lang == Lang::kLv ? p.lv : p.en);
  Append(&out, kRole, lang);
  Append(&out, kCaseKind, lang);
  Append(&out, kCaseStatus, lang);
  Append(&out, kRisk, lang);
  Append(&out, kInstrument, lang);
  Append(&out, kNeed, lang);
  Append(&out, kContactStatus, lang);
  Append(&out, kContactMode, lang);
  Append(&out, kSectionStatus, lang);
  Append(&out, kReferral, lang);
  Append(&out, kConsent, lang);
  Append(&out, kVolunteerKind, lang);
  Append(&out, kStage, lang);
  Append(&out, kMentoringMode, lang);
  Append(&out, kMeetingMode, lang);
  Append(&out, kInstitution, lang);
  Append(&out, kViolation, lang);
  Append(&out, kEvaluation, lang);
  Append(&out, kAgendaKind, lang);
  Append(&out, kClientTag, lang);
  Append(&out, kRelation, lang);
  Append(&out, kEmOutcome, lang);
  Append(&out, kRequester, lang);
  Append(&out, kSectionOutcome, lang);
  Append(&out, kEmployment, lang);
  Append(&out, kDisability, lang);
  Append(&out, kCourtApplicationKind, lang);
  Append(&out, kMissedDecision, lang);
  Append(&out, kMediationMeetingStatus, lang);
  Append(&out, kMediationOutcome, lang);
  Append(&out, kAgreementFulfilment, lang);
  Append(&out, kProvider, lang);
  Append(&out, kProgrammeMode, lang);
  Append(&out, kAccreditation, lang);
  Append(&out, kPlanStatus, lang);
  Append(&out, kTransferStatus, lang);
  for (const auto& n : kTables) out.push_back(lang == Lang::kLv ? n.label.lv : n.label.en);
  for (const auto& n : kColumns) out.push_back(lang == Lang::kLv ? n.label.lv : n.label.en);
  return out;
}

std::string FormatDate(std::string_view iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
  // A stamp's day is the day in Latvia at that moment, not its UTC date.
  if (const auto ms = client::StampMs(iso)) return client::ServiceDateTime(*ms).substr(0, 10);
  std::string out;
  out.reserve(10);
  out.append(iso.substr(8, 2)).push_back('.');
  out.append(iso.substr(5, 2)).push_back('.');
  out.append(iso.substr(0, 4));
  return out;
}

std::string FormatTimestamp(std::string_view iso) {
  // A stamped time (UTC, ending in Z: who recorded what, when) in Latvia's time, the clock the
  // service's days are counted by, whatever zone the device is set to; a planned time (no
  // zone, as typed) as written.
  if (const auto ms = client::StampMs(iso)) return client::ServiceDateTime(*ms);
  std::string out = FormatDate(iso);
  if (iso.size() < 16 || iso[10] != 'T') return out;
  out.append(" ").append(iso.substr(11, 5));
  return out;
}

}  // namespace lietvedis::ui
