#include "client/documents/builders.hpp"

#include <algorithm>
#include <map>

#include "client/columns.hpp"           // ColumnKindOf
#include "client/documents/tables.hpp"  // LatvianDate
#include "client/validation.hpp"        // AddDaysIso

namespace lietvedis::client::documents {

namespace {

const char* const kDash = "—";

std::string Or(const std::string& s) {
  return s.empty() ? kDash : s;
}
std::string Date(const std::string& iso) {
  return iso.empty() ? kDash : LatvianDate(iso);
}
// A planned contact's "YYYY-MM-DDTHH:MM" as "dd.mm.yyyy HH:MM".
std::string DateTime(const std::string& iso) {
  if (iso.size() >= 16 && iso[10] == 'T') return LatvianDate(iso) + " " + iso.substr(11, 5);
  return Date(iso);
}

template <class E>
std::string Label(E value, std::initializer_list<std::pair<E, const char*>> labels) {
  for (const auto& [v, text] : labels) {
    if (v == value) return text;
  }
  return std::string(Code(value));
}

std::string KindLabel(CaseKind k) {
  return Label(k, {{CaseKind::kConditionalSentence, "Nosacīti notiesātais"},
                   {CaseKind::kConditionalEarlyRelease, "Nosacīti pirms termiņa atbrīvotais"},
                   {CaseKind::kCommunityWork, "Piespiedu darbs"},
                   {CaseKind::kEvaluationReport, "Izvērtēšanas ziņojums"},
                   {CaseKind::kProbationSupervision, "Probācijas uzraudzība"},
                   {CaseKind::kConditionalReleaseFromLiability,
                    "Nosacīti atbrīvotais no kriminālatbildības"},
                   {CaseKind::kJuvenileCommunityWork, "Sabiedriskais darbs (nepilngadīgais)"},
                   {CaseKind::kMediation, "Izlīgums"}});
}
std::string RiskLabel(RiskLevel r) {
  return Label(r, {{RiskLevel::kLow, "zems"},
                   {RiskLevel::kMedium, "vidējs"},
                   {RiskLevel::kHigh, "augsts"},
                   {RiskLevel::kVeryHigh, "ļoti augsts"}});
}
std::string NeedLabel(NeedDomain n) {
  return Label(n, {{NeedDomain::kAccommodation, "mājoklis"},
                   {NeedDomain::kEducationEmployment, "izglītība un nodarbinātība"},
                   {NeedDomain::kFinances, "finanses"},
                   {NeedDomain::kRelationships, "attiecības"},
                   {NeedDomain::kLifestyle, "dzīvesveids"},
                   {NeedDomain::kSubstanceMisuse, "atkarību izraisošas vielas"},
                   {NeedDomain::kAlcohol, "alkohols"},
                   {NeedDomain::kEmotionalWellbeing, "emocionālā labklājība"},
                   {NeedDomain::kThinkingBehaviour, "domāšana un uzvedība"},
                   {NeedDomain::kAttitudes, "attieksmes"}});
}
std::string InstrumentLabel(Instrument i) {
  return Label(i, {{Instrument::kVpdRvn, "VPD RVN"},
                   {Instrument::kStatic99R, "Static-99R"},
                   {Instrument::kStable2007, "STABLE-2007"},
                   {Instrument::kVrs, "VRS"},
                   {Instrument::kVrsSo, "VRS-SO"},
                   {Instrument::kCans, "CANS"},
                   {Instrument::kDynamicRiskScale, "Dinamisko riska faktoru skala"},
                   {Instrument::kSecurityRisk, "Drošības riska instruments"}});
}
std::string ContactStatusLabel(ContactStatus s) {
  return Label(s, {{ContactStatus::kPlanned, "plānots"},
                   {ContactStatus::kHeld, "notika"},
                   {ContactStatus::kMissed, "neieradās"},
                   {ContactStatus::kCancelled, "atcelts"}});
}
std::string ContactModeLabel(ContactMode m) {
  return Label(m, {{ContactMode::kInPerson, "klātienē"},
                   {ContactMode::kPhone, "tālrunis"},
                   {ContactMode::kVideo, "video"}});
}
std::string ReferralLabel(ReferralStatus s) {
  return Label(s, {{ReferralStatus::kReferred, "nosūtīts"},
                   {ReferralStatus::kEnrolled, "uzsākts"},
                   {ReferralStatus::kCompleted, "pabeigts"},
                   {ReferralStatus::kDroppedOut, "pārtraukts"},
                   {ReferralStatus::kCancelled, "atcelts"}});
}
std::string CourtKindLabel(CourtApplicationKind k) {
  return Label(
      k, {{CourtApplicationKind::kReplaceUnservedSentence, "par neizciestās soda daļas aizstāšanu"},
          {CourtApplicationKind::kExtendProbation, "par probācijas termiņa pagarināšanu"},
          {CourtApplicationKind::kChangeObligations, "par pienākumu grozīšanu"},
          {CourtApplicationKind::kOther, "cits"}});
}
std::string ViolationLabel(ViolationKind k) {
  return Label(k, {{ViolationKind::kWarning, "brīdinājums"},
                   {ViolationKind::kViolation, "pārkāpums"},
                   {ViolationKind::kNewOffence, "jauns noziedzīgs nodarījums"}});
}
std::string ModeLabel(MeetingMode m) {
  return Label(m, {{MeetingMode::kInPerson, "klātienē"},
                   {MeetingMode::kRemote, "attālināti"},
                   {MeetingMode::kMixed, "jaukti"}});
}
std::string MediationMeetingLabel(MediationMeetingStatus s) {
  return Label(s, {{MediationMeetingStatus::kPlanned, "plānota"},
                   {MediationMeetingStatus::kHeld, "notika"},
                   {MediationMeetingStatus::kCancelled, "atcelta"}});
}
std::string MediationOutcomeLabel(MediationOutcome o) {
  return Label(o, {{MediationOutcome::kAgreement, "panākta vienošanās"},
                   {MediationOutcome::kNoAgreement, "vienošanās nav panākta"},
                   {MediationOutcome::kPartyWithdrew, "puse atteicās no izlīguma"},
                   {MediationOutcome::kNotSuitable, "lieta nav piemērota izlīgumam"}});
}
std::string FulfilmentLabel(AgreementFulfilment f) {
  return Label(f, {{AgreementFulfilment::kFulfilled, "izpildīta"},
                   {AgreementFulfilment::kNotFulfilled, "nav izpildīta"}});
}

std::vector<std::string> Letterhead(const DocumentContext& ctx) {
  std::vector<std::string> lines{"Valsts probācijas dienests"};
  if (!ctx.region_name.empty()) lines.push_back(ctx.region_name);
  if (!ctx.unit_name.empty()) lines.push_back(ctx.unit_name);
  return lines;
}
std::string UserName(const DocumentContext& ctx, const std::string& id) {
  if (id.empty()) return kDash;
  auto it = ctx.user_names.find(id);
  return it == ctx.user_names.end() ? id : it->second;
}
KeyValues ClientBlock(const CaseFileView& f) {
  const Client& c = f.client;
  return KeyValues{{{"Vārds, uzvārds", c.name + " " + c.surname},
                    {"Personas kods", Or(c.personal_code)},
                    {"Dzimšanas datums", Date(c.birth_date)},
                    {"Adrese", Or(c.address)},
                    {"Deklarētā pašvaldība", Or(c.municipality)},
                    {"Tālrunis", Or(c.phone)},
                    {"E-pasts", Or(c.email)}}};
}
KeyValues CaseBlock(const CaseFileView& f, const DocumentContext& ctx) {
  const Case& c = f.case_record;
  return KeyValues{{{"Lietas numurs", c.id},
                    {"Lietas veids", KindLabel(c.kind)},
                    {"Statuss", c.status == CaseStatus::kOpen ? "atvērta" : "slēgta"},
                    {"Atvērta", Date(c.opened_on)},
                    {"Slēgta", Date(c.closed_on)},
                    {"Atbildīgā amatpersona", Or(f.responsible_officer_name)},
                    {"Sagatavots", Date(ctx.today)}}};
}
Table SectionsTable(const CaseFileView& f) {
  Table t{{"Soda veids", "Tiesas nolēmums", "Pienākumi", "Atvērta", "Plānotās beigas", "Slēgta"},
          {2.0, 1.6, 2.8, 1.5, 1.5, 1.5},
          {},
          "Uzraudzības sekciju nav."};
  for (const auto& s : f.sections) {
    t.rows.push_back({Or(s.sentence_type), Or(s.court_decision_ref), Or(s.obligations),
                      Date(s.opened_on), Date(s.planned_end_on), Date(s.closed_on)});
  }
  return t;
}

}  // namespace

std::string InstitutionLabel(Institution institution) {
  return Label(
      institution,
      {{Institution::kVpd, "Valsts probācijas dienests"},
       {Institution::kIevp, "Ieslodzījuma vietu pārvalde"},
       {Institution::kStatePolice, "Valsts policija"},
       {Institution::kMunicipalSocialService, "Pašvaldības sociālais dienests"},
       {Institution::kChildRightsInspectorate, "Valsts bērnu tiesību aizsardzības inspekcija"},
       {Institution::kNgo, "Nevalstiskā organizācija"},
       {Institution::kCourt, "Tiesa"},
       {Institution::kProsecutor, "Prokuratūra"},
       {Institution::kOther, "Cita iestāde"}});
}

const std::vector<std::string> kCaseSummaryHeadings = {"Klients",
                                                       "Uzraudzības sekcijas",
                                                       "Risku un vajadzību novērtējums",
                                                       "Resocializācijas plāns",
                                                       "Kontakti",
                                                       "Programmas"};
const std::vector<std::string> kCourtApplicationHeadings = {
    "Klients", "Pamatojums", "Uzraudzības gaita", "Pārkāpumi", "Tiesas lēmums"};
const std::vector<std::string> kMappaMinutesHeadings = {"Dalībnieki", "Riska pārvaldības lēmumi",
                                                        "Cietušo aizsardzības lēmumi", "Uzdevumi",
                                                        "Informācijas izpaušana"};
const std::vector<std::string> kMappaPackHeadings = {"Lēmumi", "Iestādes uzdevumi",
                                                     "Iestādei izpaustā informācija"};

Document CaseSummaryDocument(const CaseFileView& f, const DocumentContext& ctx,
                             int contact_months) {
  Document d;
  d.title = "Lietas kopsavilkums";
  d.letterhead = Letterhead(ctx);
  d.record_id = f.case_record.id;
  d.blocks.push_back(CaseBlock(f, ctx));
  d.blocks.push_back(Heading{kCaseSummaryHeadings[0]});
  d.blocks.push_back(ClientBlock(f));

  d.blocks.push_back(Heading{kCaseSummaryHeadings[1]});
  d.blocks.push_back(SectionsTable(f));

  d.blocks.push_back(Heading{kCaseSummaryHeadings[2]});
  const Assessment* signed_one = nullptr;
  for (const auto& a : f.assessments) {  // newest first
    if (a.IsSigned()) {
      signed_one = &a;
      break;
    }
  }
  if (signed_one == nullptr) {
    d.blocks.push_back(Paragraph{"Parakstīta novērtējuma nav."});
  } else {
    const Assessment& a = *signed_one;
    std::string needs;
    for (auto n : a.needs) needs += (needs.empty() ? "" : ", ") + NeedLabel(n);
    d.blocks.push_back(
        KeyValues{{{"Instruments", InstrumentLabel(a.instrument) + " " + a.instrument_version},
                   {"Novērtēts", Date(a.assessed_on)},
                   {"Kopvērtējums", std::to_string(a.total_score)},
                   {"Riska līmenis", RiskLabel(a.risk_level)},
                   {"Vajadzības", Or(needs)},
                   {"Novērtētājs", UserName(ctx, a.assessor_id)},
                   {"Parakstīja", UserName(ctx, a.signed_by) + ", " + Date(a.signed_at)}}});
  }

  d.blocks.push_back(Heading{kCaseSummaryHeadings[3]});
  const Plan* active = nullptr;
  for (const auto& p : f.plans) {
    if (p.status == PlanStatus::kActive) {
      active = &p;
      break;
    }
  }
  if (active == nullptr) {
    d.blocks.push_back(Paragraph{"Aktīva plāna nav."});
  } else {
    d.blocks.push_back(KeyValues{{{"Versija", std::to_string(active->version)},
                                  {"Izveidots", Date(active->created_on)},
                                  {"Nākamā pārskatīšana", Date(active->next_review_on)}}});
    Table goals{{"Mērķis", "Vajadzība", "Intervences", "Pārskatīšana"}, {3, 1.6, 3, 1.6}, {}, {}};
    for (const auto& g : active->goals) {
      goals.rows.push_back(
          {g.goal, g.need ? NeedLabel(*g.need) : kDash, Or(g.interventions), Date(g.review_on)});
    }
    d.blocks.push_back(goals);
  }

  const std::string since = AddDaysIso(ctx.today, -30 * contact_months);
  d.blocks.push_back(Heading{kCaseSummaryHeadings[4] + " (kopš " + LatvianDate(since) + ")"});
  Table contacts{{"Datums", "Veids", "Statuss", "Rezultāts"},
                 {1.9, 1.3, 1.3, 4.0},
                 {},
                 "Šajā laikā kontaktu nav."};
  for (const auto& k : f.contacts) {  // newest first
    const std::string when = k.held_on.empty() ? k.planned_at : k.held_on;
    if (when.substr(0, 10) < since) continue;
    contacts.rows.push_back(
        {DateTime(when), ContactModeLabel(k.mode), ContactStatusLabel(k.status), Or(k.outcome)});
  }
  d.blocks.push_back(contacts);

  d.blocks.push_back(Heading{kCaseSummaryHeadings[5]});
  Table programmes{{"Programma", "Statuss", "Nosūtīts", "Uzsākts", "Beidzās", "Nodarbības"},
                   {3, 1.4, 1.5, 1.5, 1.5, 1.4},
                   {},
                   "Nosūtījumu uz programmām nav."};
  for (const auto& r : f.referrals) {
    programmes.rows.push_back({Or(r.programme_name), ReferralLabel(r.status), Date(r.referred_on),
                               Date(r.enrolled_on), Date(r.ended_on),
                               std::to_string(r.sessions_attended)});
  }
  d.blocks.push_back(programmes);
  return d;
}

Document CourtApplicationDocument(const CaseFileView& f, const CourtApplication& a,
                                  const DocumentContext& ctx) {
  Document d;
  d.title = "Iesniegums tiesai " + CourtKindLabel(a.kind);
  d.letterhead = Letterhead(ctx);
  d.record_id = a.id;
  d.blocks.push_back(KeyValues{{{"Iesniegums", a.id},
                                {"Iesniegts", Date(a.filed_on)},
                                {"Lieta", f.case_record.id},
                                {"Lietas veids", KindLabel(f.case_record.kind)},
                                {"Atbildīgā amatpersona", Or(f.responsible_officer_name)}}});
  d.blocks.push_back(Heading{kCourtApplicationHeadings[0]});
  d.blocks.push_back(ClientBlock(f));
  d.blocks.push_back(Heading{kCourtApplicationHeadings[1]});
  d.blocks.push_back(Paragraph{Or(a.reason)});
  d.blocks.push_back(Heading{kCourtApplicationHeadings[2]});
  d.blocks.push_back(SectionsTable(f));
  d.blocks.push_back(Heading{kCourtApplicationHeadings[3]});
  Table violations{{"Datums", "Veids", "Apraksts"}, {1.5, 1.8, 5}, {}, "Pārkāpumu nav."};
  for (const auto& v : f.violations) {
    violations.rows.push_back({Date(v.occurred_on), ViolationLabel(v.kind), Or(v.description)});
  }
  d.blocks.push_back(violations);
  d.blocks.push_back(Heading{kCourtApplicationHeadings[4]});
  if (a.decided_on.empty()) {
    d.blocks.push_back(Paragraph{"Lēmums vēl nav pieņemts."});
  } else {
    d.blocks.push_back(KeyValues{{{"Lēmums", Or(a.decision)}, {"Pieņemts", Date(a.decided_on)}}});
  }
  return d;
}

const std::vector<std::string> kEvaluationReportHeadings = {
    "Persona un tās dzīves apstākļi", "Noziedzīgais nodarījums", "Riski un vajadzības",
    "Personas attieksme un motivācija", "Secinājums un ieteikums"};

Document EvaluationReportDocument(const CaseFileView& f, const EvaluationRequest& q,
                                  const EvaluationReport& r, const DocumentContext& ctx) {
  Document d;
  d.title = r.IsSigned() ? "Izvērtēšanas ziņojums" : "Izvērtēšanas ziņojums (projekts)";
  d.letterhead = Letterhead(ctx);
  d.record_id = r.id;
  if (r.IsSigned()) {
    d.signer = UserName(ctx, r.signed_by);
    d.signed_on = Date(r.signed_at);
  }
  const std::string requester = Label(q.requester, {{Requester::kCourt, "tiesa"},
                                                    {Requester::kProsecutor, "prokuratūra"},
                                                    {Requester::kPrison, "ieslodzījuma vieta"}});
  d.blocks.push_back(KeyValues{{{"Pieprasītājs", Or(q.requester_name) + " (" + requester + ")"},
                                {"Pieprasījuma numurs", Or(q.reference)},
                                {"Pieprasījums saņemts", Date(q.received_on)},
                                {"Iesniegšanas termiņš", Date(q.deadline_on)},
                                {"Persona", f.client.name + " " + f.client.surname},
                                {"Personas kods", Or(f.client.personal_code)},
                                {"Lieta", f.case_record.id},
                                {"Sagatavoja", UserName(ctx, r.author_id)}}});
  for (size_t i = 0; i < std::size(kReportSections); ++i) {
    const ReportSection section = kReportSections[i];
    d.blocks.push_back(Heading{kEvaluationReportHeadings[i]});
    if (section == ReportSection::kRiskNeeds) {
      const Assessment* ground = nullptr;
      for (const auto& a : f.assessments) {
        if (a.id == r.assessment_id) ground = &a;
      }
      if (ground == nullptr) {
        d.blocks.push_back(Paragraph{"Novērtējums nav norādīts."});
      } else {
        std::string needs;
        for (auto n : ground->needs) needs += (needs.empty() ? "" : ", ") + NeedLabel(n);
        d.blocks.push_back(KeyValues{
            {{"Novērtējums", InstrumentLabel(ground->instrument) + " " +
                                 ground->instrument_version + ", " + Date(ground->assessed_on)},
             {"Riska līmenis", RiskLabel(ground->risk_level)},
             {"Vajadzības", Or(needs)},
             {"Parakstīja", ground->IsSigned()
                                ? UserName(ctx, ground->signed_by) + ", " + Date(ground->signed_at)
                                : std::string("nav parakstīts")}}});
      }
    }
    d.blocks.push_back(Paragraph{Or(r.Section(section))});
  }
  std::vector<const Correction*> fixes;
  for (const auto& c : f.corrections) {
    if (c.target_table == "evaluation_report" && c.target_id == r.id) fixes.push_back(&c);
  }
  if (!fixes.empty()) {
    d.blocks.push_back(Heading{"Labojumi pēc parakstīšanas"});
    for (const Correction* c : fixes) {
      std::string field = c->field;
      for (size_t i = 0; i < std::size(kReportSections); ++i) {
        if (field == Code(kReportSections[i])) field = kEvaluationReportHeadings[i];
      }
      d.blocks.push_back(
          Heading{field + ", " + Date(c->at) + " (" + UserName(ctx, c->author_id) + ")", 2});
      d.blocks.push_back(Paragraph{Or(c->value) + "\nIemesls: " + Or(c->reason)});
    }
  }
  return d;
}

const std::vector<std::string> kMediationReportHeadings = {
    "Cietušie (puses)", "Izlīguma tikšanās", "Izlīguma iznākums", "Vienošanās izpilde",
    "Labojumi pēc ierakstīšanas"};

namespace {

// A corrected field of the mediation's records (mediation, mediation_party, mediation_meeting)
// and its value as the report words them.
std::string MediationFieldLabel(std::string_view field) {
  static constexpr std::pair<std::string_view, std::string_view> kFields[] = {
      {"outcome", "Iznākums"},
      {"outcome_on", "Iznākuma datums"},
      {"agreement_terms", "Vienošanās noteikumi"},
      {"agreement_due_on", "Izpildes termiņš"},
      {"fulfilment", "Vienošanās izpilde"},
      {"fulfilment_on", "Izpildes datums"},
      {"mediator_name", "Starpnieks"},
      {"client_consent_on", "Personas piekrišana"},
      {"reported_on", "Ziņojuma datums"},
      {"report_to", "Adresāts"},
      {"name", "Vārds"},
      {"surname", "Uzvārds"},
      {"consent_on", "Piekrišana izlīgumam"},
      {"meeting_on", "Datums"},
      {"mode", "Norise"},
      {"status", "Statuss"},
      {"client_attended", "Persona piedalījās"}};
  for (const auto& [code, label] : kFields) {
    if (code == field) return std::string(label);
  }
  return std::string(field);
}

std::string MediationValueText(std::string_view table, std::string_view field,
                               const std::string& value) {
  if (value.empty()) return "—";
  // What the column holds, from the one table of column kinds (client/columns.hpp).
  const client::ColumnKind kind = ColumnKindOf(table, field);
  if (kind == client::ColumnKind::kDay) return Date(value);
  if (kind == client::ColumnKind::kFlag) return value == "1" ? "jā" : "nē";
  if (field == "outcome") {
    if (auto o = FromCode<MediationOutcome>(value)) return MediationOutcomeLabel(*o);
  } else if (field == "fulfilment") {
    if (auto v = FromCode<AgreementFulfilment>(value)) return FulfilmentLabel(*v);
  } else if (field == "mode") {
    if (auto v = FromCode<MeetingMode>(value)) return ModeLabel(*v);
  } else if (field == "status") {
    if (auto v = FromCode<MediationMeetingStatus>(value)) return MediationMeetingLabel(*v);
  }
  return value;
}

}  // namespace

Document MediationReportDocument(const CaseFileView& f, const DocumentContext& ctx) {
  const Mediation& m = f.mediation;
  const std::string client_name = f.client.name + " " + f.client.surname;
  Document d;
  d.title = "Ziņojums par izlīguma procesu";
  d.letterhead = Letterhead(ctx);
  d.record_id = f.case_record.id;
  // Signed by whoever reported the mediation to the authority, on that day; a report rendered
  // before then (or reported before schema step 14 recorded who) names no signer.
  if (!m.reported_on.empty() && !m.reported_by.empty()) {
    d.signer = UserName(ctx, m.reported_by);
    d.signed_on = Date(m.reported_on);
  }
  d.blocks.push_back(
      KeyValues{{{"Adresāts", Or(m.report_to)},
                 {"Lieta", f.case_record.id},
                 {"Persona", client_name},
                 {"Personas kods", Or(f.client.personal_code)},
                 {"Personas piekrišana izlīgumam",
                  m.client_consent_on.empty() ? "nav saņemta" : Date(m.client_consent_on)},
                 {"Starpnieks", Or(m.mediator_name)},
                 {"Atbildīgā amatpersona", Or(f.responsible_officer_name)},
                 {"Ziņojuma datums", Date(m.reported_on.empty() ? ctx.today : m.reported_on)}}});

  // The harmed persons: a name and the consent, nothing of how to reach them.
  d.blocks.push_back(Heading{kMediationReportHeadings[0]});
  Table parties{{"Vārds, uzvārds", "Piekrišana izlīgumam"}, {3, 2}, {}, "Cietušo nav."};
  std::map<std::string, std::string> party_names;
  for (const auto& p : m.parties) {
    const std::string name = p.surname.empty() ? p.name : p.name + " " + p.surname;
    party_names[p.id] = name;
    parties.rows.push_back({name, p.consent_on.empty() ? std::string("nav saņemta")
                                                       : "saņemta " + Date(p.consent_on)});
  }
  d.blocks.push_back(parties);

  // The meetings, without their notes (restricted to the case file's readers).
  d.blocks.push_back(Heading{kMediationReportHeadings[1]});
  Table meetings{{"Datums", "Norise", "Statuss", "Dalībnieki"},
                 {1.5, 1.4, 1.3, 4},
                 {},
                 "Tikšanās nav reģistrētas."};
  for (const auto& g : m.meetings) {
    std::string who;
    for (const auto& id : g.party_ids) {
      auto it = party_names.find(id);
      who += (who.empty() ? "" : ", ") + (it == party_names.end() ? id : it->second);
    }
    if (g.client_attended) who += (who.empty() ? "" : ", ") + client_name + " (persona)";
    meetings.rows.push_back(
        {Date(g.meeting_on), ModeLabel(g.mode), MediationMeetingLabel(g.status), Or(who)});
  }
  d.blocks.push_back(meetings);

  d.blocks.push_back(Heading{kMediationReportHeadings[2]});
  const bool agreement = m.outcome == MediationOutcome::kAgreement;
  if (!m.outcome) {
    d.blocks.push_back(Paragraph{"Iznākums vēl nav reģistrēts."});
  } else {
    KeyValues outcome{
        {{"Iznākums", MediationOutcomeLabel(*m.outcome)}, {"Datums", Date(m.outcome_on)}}};
    if (agreement) {
      outcome.items.push_back({"Vienošanās noteikumi", Or(m.agreement_terms)});
      outcome.items.push_back({"Izpildes termiņš", Date(m.agreement_due_on)});
    }
    d.blocks.push_back(outcome);
  }

  d.blocks.push_back(Heading{kMediationReportHeadings[3]});
  if (!agreement) {
    d.blocks.push_back(Paragraph{"Vienošanās netika noslēgta: izpilde nav vērtējama."});
  } else if (!m.fulfilment) {
    d.blocks.push_back(
        Paragraph{"Izpilde vēl nav reģistrēta (termiņš " + Date(m.agreement_due_on) + ")."});
  } else {
    d.blocks.push_back(KeyValues{
        {{"Vienošanās", FulfilmentLabel(*m.fulfilment)}, {"Datums", Date(m.fulfilment_on)}}});
  }

  // Corrections of what the report states, after it was recorded; never of a meeting's note
  // or a party's contact details, which the report leaves out.
  std::vector<std::pair<std::string, const Correction*>> fixes;
  for (const auto& c : f.corrections) {
    if (c.field == "note" || c.field == "contact") continue;
    std::string record;
    if (c.target_table == "mediation" && c.target_id == f.case_record.id) {
      record = "Izlīgums";
    } else if (c.target_table == "mediation_party" && party_names.count(c.target_id) != 0) {
      record = "Puse " + party_names[c.target_id];
    } else if (c.target_table == "mediation_meeting") {
      for (const auto& g : m.meetings) {
        if (g.id == c.target_id) record = "Tikšanās " + Date(g.meeting_on);
      }
    }
    if (!record.empty()) fixes.emplace_back(std::move(record), &c);
  }
  if (!fixes.empty()) {
    d.blocks.push_back(Heading{kMediationReportHeadings[4]});
    Table rows{{"Ieraksts", "Lauks", "Labotā vērtība", "Iemesls", "Labots"},
               {1.8, 1.6, 2.2, 2.6, 1.8},
               {},
               ""};
    for (const auto& [record, c] : fixes) {
      rows.rows.push_back({record, MediationFieldLabel(c->field),
                           MediationValueText(c->target_table, c->field, c->value), Or(c->reason),
                           Date(c->at) + ", " + UserName(ctx, c->author_id)});
    }
    d.blocks.push_back(rows);
  }
  return d;
}

Document MappaMinutesDocument(const MappaMeetingView& v, const DocumentContext& ctx,
                              const std::map<std::string, std::string>& case_labels) {
  const MappaMeeting& m = v.meeting;
  Document d;
  d.title = "Starpinstitucionālās sanāksmes protokols";
  d.letterhead = Letterhead(ctx);
  d.record_id = m.id;
  if (m.IsSigned()) {
    d.signer = UserName(ctx, m.signed_by);
    d.signed_on = Date(m.signed_at);
  }
  std::string cases;
  std::string_view ids = m.case_ids;
  while (!ids.empty()) {
    const auto comma = ids.find(',');
    const std::string id(ids.substr(0, comma));
    auto it = case_labels.find(id);
    cases +=
        (cases.empty() ? "" : "\n") + (it == case_labels.end() ? id : it->second + " (" + id + ")");
    if (comma == std::string_view::npos) break;
    ids.remove_prefix(comma + 1);
  }
  d.blocks.push_back(KeyValues{{{"Sanāksmes datums", Date(m.held_on)},
                                {"Norise", ModeLabel(m.mode)},
                                {"Sasaucēja", Or(ctx.unit_name)},
                                {"Apspriestās lietas", Or(cases)},
                                {"Protokols", m.IsSigned() ? "parakstīts" : "nav parakstīts"}}});
  d.blocks.push_back(Heading{kMappaMinutesHeadings[0]});
  Table people{{"Iestāde", "Pārstāvis"}, {1, 1}, {}, {}};
  for (const auto& p : m.participants) {
    people.rows.push_back({InstitutionLabel(p.institution), Or(p.name)});
  }
  d.blocks.push_back(people);
  d.blocks.push_back(Heading{kMappaMinutesHeadings[1]});
  d.blocks.push_back(Paragraph{Or(m.risk_decisions)});
  d.blocks.push_back(Heading{kMappaMinutesHeadings[2]});
  d.blocks.push_back(Paragraph{Or(m.victim_decisions)});
  d.blocks.push_back(Heading{kMappaMinutesHeadings[3]});
  Table actions{{"Uzdevums", "Atbildīgā iestāde", "Termiņš"}, {4, 2.4, 1.5}, {}, "Uzdevumu nav."};
  for (const auto& a : m.actions) {
    actions.rows.push_back({a.description, InstitutionLabel(a.owner), Date(a.due_on)});
  }
  d.blocks.push_back(actions);
  d.blocks.push_back(Heading{kMappaMinutesHeadings[4]});
  Table disclosures{{"Kas izpausts", "Kam", "Juridiskais pamats"},
                    {3.4, 2.2, 2.4},
                    {},
                    "Informācija netika izpausta."};
  for (const auto& x : m.disclosures) {
    const std::string label = x.recipient ? InstitutionLabel(*x.recipient) : std::string();
    const std::string to =
        label.empty() || label == x.to_whom ? x.to_whom : x.to_whom + " (" + label + ")";
    disclosures.rows.push_back({x.what, to, x.legal_basis});
  }
  d.blocks.push_back(disclosures);
  if (!v.corrections.empty()) {
    d.blocks.push_back(Heading{"Labojumi"});
    Table fixes{{"Lauks", "Labotā vērtība", "Iemesls", "Laiks"}, {1.4, 3, 2.4, 1.4}, {}, {}};
    for (const auto& c : v.corrections) {
      fixes.rows.push_back({c.field, c.value, c.reason, Date(c.at)});
    }
    d.blocks.push_back(fixes);
  }
  return d;
}

Document MappaPackDocument(const MappaPackView& p, const DocumentContext& ctx) {
  const MappaMeeting& m = p.meeting;
  Document d;
  d.title = "Izraksts no starpinstitucionālās sanāksmes protokola";
  d.letterhead = Letterhead(ctx);
  d.record_id = m.id;
  d.signer = Or(p.signer_name);
  d.signed_on = Date(m.signed_at);
  std::string representatives;
  for (const auto& x : m.participants) {
    representatives += (representatives.empty() ? "" : ", ") + x.name;
  }
  d.blocks.push_back(KeyValues{{{"Saņēmējs", InstitutionLabel(p.institution)},
                                {"Iestādes pārstāvji", Or(representatives)},
                                {"Sanāksmes datums", Date(m.held_on)},
                                {"Norise", ModeLabel(m.mode)},
                                {"Sasaucēja", Or(p.unit_name)},
                                {"Sagatavots", Date(p.generated_at)},
                                {"Izraksta numurs", p.pack_id}}});
  d.blocks.push_back(Paragraph{
      "Izraksts satur tikai sanāksmes lēmumus, šīs iestādes uzdevumus un šai iestādei izpausto "
      "informāciju ar tās juridisko pamatu. Tālāka izpaušana tikai saskaņā ar norādīto pamatu."});
  d.blocks.push_back(Heading{kMappaPackHeadings[0]});
  d.blocks.push_back(KeyValues{{{"Riska pārvaldība", Or(m.risk_decisions)},
                                {"Cietušo aizsardzība", Or(m.victim_decisions)}}});
  d.blocks.push_back(Heading{kMappaPackHeadings[1]});
  Table actions{{"Uzdevums", "Termiņš"}, {5, 1.5}, {}, "Šai iestādei uzdevumu nav."};
  for (const auto& a : m.actions) actions.rows.push_back({a.description, Date(a.due_on)});
  d.blocks.push_back(actions);
  d.blocks.push_back(Heading{kMappaPackHeadings[2]});
  Table disclosures{{"Kas izpausts", "Juridiskais pamats"},
                    {4, 2.4},
                    {},
                    "Šai iestādei informācija netika izpausta."};
  for (const auto& x : m.disclosures) disclosures.rows.push_back({x.what, x.legal_basis});
  d.blocks.push_back(disclosures);
  return d;
}

// The Latvian labels above, for the other documents (client/documents/subject_access.cpp).
std::string LabelLv(CaseKind v) {
  return KindLabel(v);
}
std::string LabelLv(RiskLevel v) {
  return RiskLabel(v);
}
std::string LabelLv(NeedDomain v) {
  return NeedLabel(v);
}
std::string LabelLv(Instrument v) {
  return InstrumentLabel(v);
}
std::string LabelLv(ContactStatus v) {
  return ContactStatusLabel(v);
}
std::string LabelLv(ContactMode v) {
  return ContactModeLabel(v);
}
std::string LabelLv(ReferralStatus v) {
  return ReferralLabel(v);
}
std::string LabelLv(CourtApplicationKind v) {
  return CourtKindLabel(v);
}
std::string LabelLv(ViolationKind v) {
  return ViolationLabel(v);
}
std::string LabelLv(MeetingMode v) {
  return ModeLabel(v);
}
std::string LabelLv(Institution v) {
  return InstitutionLabel(v);
}
std::string LabelLv(MediationMeetingStatus v) {
  return MediationMeetingLabel(v);
}
std::string LabelLv(MediationOutcome v) {
  return MediationOutcomeLabel(v);
}
std::string LabelLv(AgreementFulfilment v) {
  return FulfilmentLabel(v);
}

}  // namespace lietvedis::client::documents
