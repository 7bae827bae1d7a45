#include "client/documents/subject_access.hpp"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "client/documents/export.hpp"
#include "client/documents/tables.hpp"  // LatvianDate

namespace lietvedis::client::documents {

namespace {

using nlohmann::json;

const char* const kDash = "—";

std::string Or(const std::string& s) {
  return s.empty() ? kDash : s;
}
std::string Date(const std::string& iso) {
  return iso.empty() ? kDash : LatvianDate(iso);
}
std::string DateTime(const std::string& iso) {
  if (iso.size() >= 16 && iso[10] == 'T') return LatvianDate(iso) + " " + iso.substr(11, 5);
  return Date(iso);
}
std::string UserName(const DocumentContext& ctx, const std::string& id) {
  if (id.empty()) return kDash;
  auto it = ctx.user_names.find(id);
  return it == ctx.user_names.end() ? id : it->second;
}
template <class E>
std::string Codes(const std::vector<E>& values) {
  std::string out;
  for (const E& v : values) {
    if (!out.empty()) out += ", ";
    out += LabelLv(v);
  }
  return out;
}
template <class E>
json CodeList(const std::vector<E>& values) {
  json out = json::array();
  for (const E& v : values) out.push_back(std::string(Code(v)));
  return out;
}
template <class E>
json OptCode(const std::optional<E>& v) {
  return v ? json(std::string(Code(*v))) : json(nullptr);
}
std::string Hours(std::int64_t minutes) {
  const std::int64_t h = minutes / 60, m = minutes % 60;
  return std::to_string(h) + " h" + (m != 0 ? " " + std::to_string(m) + " min" : "");
}
std::string RoleLv(const std::string& code) {
  if (code == "officer") return "probācijas amatpersona";
  if (code == "supervisor") return "struktūrvienības vadītājs";
  if (code == "volunteer_coordinator") return "brīvprātīgo koordinators";
  if (code == "administrator") return "administrators";
  return Or(code);
}
std::string ActionLv(const std::string& code) {
  if (code == "read") return "lasīja";
  if (code == "render") return "sagatavoja dokumentu";
  if (code == "export") return "eksportēja";
  if (code == "subject_access") return "izsniedza datu subjektam";
  return code;
}
std::string TableLv(const std::string& table) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"client", "personas dati"},
      {"supervision_section", "uzraudzības sekcija"},
      {"assessment", "novērtējums"},
      {"contact", "kontakts"},
      {"violation", "pārkāpums"},
      {"court_application", "pieteikums tiesai"},
      {"note", "piezīme"},
      {"plan", "plāns"},
      {"evaluation_report", "izvērtēšanas ziņojums"},
      {"mentoring_session", "mentoringa tikšanās"},
      {"related_person", "saistītā persona"},
  };
  for (const auto& [code, name] : kNames) {
    if (table == code) return name;
  }
  return table;
}

// Latvian words for the mediation's and the transfer's codes (as the desktop shows them).
std::string MeetingStatusLv(MediationMeetingStatus v) {
  switch (v) {
    case MediationMeetingStatus::kPlanned:
      return "plānota";
    case MediationMeetingStatus::kHeld:
      return "notika";
    case MediationMeetingStatus::kCancelled:
      return "atcelta";
  }
  return kDash;
}
std::string OutcomeLv(MediationOutcome v) {
  switch (v) {
    case MediationOutcome::kAgreement:
      return "panākta vienošanās";
    case MediationOutcome::kNoAgreement:
      return "vienošanās nav panākta";
    case MediationOutcome::kPartyWithdrew:
      return "puse atteicās";
    case MediationOutcome::kNotSuitable:
      return "nav piemērots izlīgumam";
  }
  return kDash;
}
std::string FulfilmentLv(AgreementFulfilment v) {
  return v == AgreementFulfilment::kFulfilled ? "izpildīta" : "nav izpildīta";
}
std::string TransferStatusLv(TransferStatus v) {
  switch (v) {
    case TransferStatus::kOffered:
      return "gaida lēmumu";
    case TransferStatus::kWithdrawn:
      return "atsaukta";
    case TransferStatus::kDeclined:
      return "atteikta";
    case TransferStatus::kAccepted:
      return "pieņemta";
  }
  return kDash;
}

json ClientJson(const Client& c) {
  return {{"name", c.name},
          {"surname", c.surname},
          {"personal_code", c.personal_code},
          {"birth_date", c.birth_date},
          {"phone", c.phone},
          {"email", c.email},
          {"address", c.address},
          {"municipality", c.municipality},
          {"tags", CodeList(c.tags)}};
}

json CaseJson(const SubjectCase& sc, const DocumentContext& ctx) {
  const CaseFileView& f = sc.file;
  json j;
  j["case"] = {{"id", f.case_record.id},
               {"kind", std::string(Code(f.case_record.kind))},
               {"status", std::string(Code(f.case_record.status))},
               {"opened_on", f.case_record.opened_on},
               {"closed_on", f.case_record.closed_on},
               {"unit_id", f.case_record.unit_id},
               {"responsible_officer", f.responsible_officer_name}};
  j["client_as_recorded"] = ClientJson(f.client);
  auto& rp = j["related_persons"] = json::array();
  for (const auto& p : f.related_persons) {
    rp.push_back({{"id", p.id},
                  {"relation", std::string(Code(p.relation))},
                  {"kind", p.kind},
                  {"name", p.name},
                  {"surname", p.surname}});
  }
  auto& sections = j["supervision_sections"] = json::array();
  for (const auto& s : f.sections) {
    sections.push_back({{"id", s.id},
                        {"sentence_type", s.sentence_type},
                        {"court_decision_ref", s.court_decision_ref},
                        {"obligations", s.obligations},
                        {"opened_on", s.opened_on},
                        {"planned_end_on", s.planned_end_on},
                        {"closed_on", s.closed_on},
                        {"status", std::string(Code(s.status))},
                        {"outcome", OptCode(s.outcome)}});
  }
  auto& assessments = j["assessments"] = json::array();
  for (const auto& a : f.assessments) {
    assessments.push_back({{"id", a.id},
                           {"instrument", std::string(Code(a.instrument))},
                           {"instrument_version", a.instrument_version},
                           {"assessed_on", a.assessed_on},
                           {"assessor", UserName(ctx, a.assessor_id)},
                           {"total_score", a.total_score},
                           {"risk_level", std::string(Code(a.risk_level))},
                           {"needs", CodeList(a.needs)},
                           {"signed_at", a.signed_at},
                           {"supersedes_id", a.supersedes_id}});
  }
  auto& plans = j["plans"] = json::array();
  for (const auto& p : f.plans) {
    json goals = json::array();
    for (const auto& g : p.goals) {
      goals.push_back({{"goal", g.goal},
                       {"need", OptCode(g.need)},
                       {"interventions", g.interventions},
                       {"review_on", g.review_on}});
    }
    plans.push_back({{"id", p.id},
                     {"version", p.version},
                     {"status", std::string(Code(p.status))},
                     {"created_on", p.created_on},
                     {"next_review_on", p.next_review_on},
                     {"goals", goals}});
  }
  auto& contacts = j["contacts"] = json::array();
  for (const auto& c : f.contacts) {
    contacts.push_back({{"id", c.id},
                        {"planned_at", c.planned_at},
                        {"status", std::string(Code(c.status))},
                        {"mode", std::string(Code(c.mode))},
                        {"held_on", c.held_on},
                        {"outcome", c.outcome},
                        {"note", c.note}});
  }
  auto& violations = j["violations"] = json::array();
  for (const auto& v : f.violations) {
    violations.push_back({{"id", v.id},
                          {"kind", std::string(Code(v.kind))},
                          {"occurred_on", v.occurred_on},
                          {"description", v.description}});
  }
  auto& decisions = j["missed_contact_decisions"] = json::array();
  for (const auto& d : f.escalation) {
    decisions.push_back({{"id", d.id},
                         {"contact_id", d.contact_id},
                         {"decision", std::string(Code(d.decision))},
                         {"reason", d.reason},
                         {"decided_on", d.decided_on}});
  }
  auto& court = j["court_applications"] = json::array();
  for (const auto& a : f.court_applications) {
    court.push_back({{"id", a.id},
                     {"kind", std::string(Code(a.kind))},
                     {"filed_on", a.filed_on},
                     {"reason", a.reason},
                     {"decision", a.decision},
                     {"decided_on", a.decided_on}});
  }
  auto& consents = j["consents"] = json::array();
  for (const auto& c : f.consents) {
    consents.push_back({{"id", c.id},
                        {"programme", c.programme_name},
                        {"decision", std::string(Code(c.decision))},
                        {"given_on", c.given_on}});
  }
  auto& referrals = j["programme_referrals"] = json::array();
  for (const auto& r : f.referrals) {
    referrals.push_back({{"id", r.id},
                         {"programme", r.programme_name},
                         {"status", std::string(Code(r.status))},
                         {"referred_on", r.referred_on},
                         {"enrolled_on", r.enrolled_on},
                         {"ended_on", r.ended_on},
                         {"sessions_attended", r.sessions_attended}});
  }
  auto& attendance = j["attendance"] = json::array();
  for (const auto& a : f.attendance) {
    attendance.push_back({{"id", a.id},
                          {"referral_id", a.referral_id},
                          {"session_on", a.session_on},
                          {"attended", a.attended},
                          {"note", a.note}});
  }
  auto& requests = j["evaluation_requests"] = json::array();
  for (const auto& r : f.evaluation_requests) {
    requests.push_back({{"id", r.id},
                        {"requester", std::string(Code(r.requester))},
                        {"requester_name", r.requester_name},
                        {"reference", r.reference},
                        {"received_on", r.received_on},
                        {"deadline_on", r.deadline_on},
                        {"status", std::string(Code(r.status))},
                        {"submitted_on", r.submitted_on},
                        {"withdrawn_on", r.withdrawn_on},
                        {"withdrawal_reason", r.withdrawal_reason}});
  }
  auto& reports = j["evaluation_reports"] = json::array();
  for (const auto& r : f.evaluation_reports) {
    reports.push_back({{"id", r.id},
                       {"request_id", r.request_id},
                       {"circumstances", r.circumstances},
                       {"offence", r.offence},
                       {"risk_needs", r.risk_needs},
                       {"attitude", r.attitude},
                       {"conclusion", r.conclusion},
                       {"signed_at", r.signed_at},
                       {"signed_by", UserName(ctx, r.signed_by)}});
  }
  auto& em = j["em_episodes"] = json::array();
  for (const auto& e : f.monitoring) {
    em.push_back({{"id", e.id},
                  {"started_on", e.started_on},
                  {"planned_end_on", e.planned_end_on},
                  {"ended_on", e.ended_on},
                  {"outcome", std::string(Code(e.outcome))}});
  }
  auto& rehab = j["rehabilitation_placements"] = json::array();
  for (const auto& p : f.placements) {
    rehab.push_back({{"id", p.id},
                     {"centre", p.centre},
                     {"started_on", p.started_on},
                     {"planned_end_on", p.planned_end_on},
                     {"ended_on", p.ended_on}});
  }
  auto& orders = j["community_work_orders"] = json::array();
  for (const auto& o : f.community_orders) {
    orders.push_back({{"id", o.id},
                      {"hours_ordered", o.hours_ordered},
                      {"minutes_done", o.minutes_done},
                      {"ordered_on", o.ordered_on},
                      {"deadline_on", o.deadline_on},
                      {"court_decision_ref", o.court_decision_ref}});
  }
  auto& work = j["work_placements"] = json::array();
  for (const auto& p : f.work_placements) {
    work.push_back({{"id", p.id},
                    {"provider", p.provider},
                    {"address", p.address},
                    {"started_on", p.started_on},
                    {"ended_on", p.ended_on}});
  }
  auto& hours = j["community_hours"] = json::array();
  for (const auto& h : f.community_hours) {
    hours.push_back(
        {{"id", h.id}, {"worked_on", h.worked_on}, {"minutes", h.minutes}, {"note", h.note}});
  }
  auto& mref = j["mentoring_referrals"] = json::array();
  for (const auto& r : f.mentoring_referrals) {
    mref.push_back({{"id", r.id},
                    {"consent_on", r.consent_on},
                    {"referred_on", r.referred_on},
                    {"ended_on", r.ended_on}});
  }
  auto& assignments = j["mentor_assignments"] = json::array();
  for (const auto& a : sc.mentor_assignments) {
    assignments.push_back({{"id", a.id},
                           {"mentor", a.volunteer_name},
                           {"started_on", a.started_on},
                           {"ended_on", a.ended_on}});
  }
  auto& sessions = j["mentoring_sessions"] = json::array();
  for (const auto& s : sc.mentoring_sessions) {
    sessions.push_back({{"id", s.id},
                        {"held_on", s.held_on},
                        {"duration_minutes", s.duration_minutes},
                        {"mode", std::string(Code(s.mode))},
                        {"note", s.note},
                        {"signed_off_at", s.signed_off_at}});
  }
  // The mediation (withheld parts already removed from the view: the other party, the notes).
  const Mediation& med = f.mediation;
  j["mediation"] = med.recorded || med.outcome || !med.meetings.empty()
                       ? json{{"mediator", med.mediator_name},
                              {"client_consent_on", med.client_consent_on},
                              {"outcome", OptCode(med.outcome)},
                              {"outcome_on", med.outcome_on},
                              {"agreement_terms", med.agreement_terms},
                              {"agreement_due_on", med.agreement_due_on},
                              {"fulfilment", OptCode(med.fulfilment)},
                              {"fulfilment_on", med.fulfilment_on},
                              {"reported_on", med.reported_on},
                              {"report_to", med.report_to}}
                       : json(nullptr);
  auto& med_meetings = j["mediation_meetings"] = json::array();
  for (const auto& m : med.meetings) {
    med_meetings.push_back({{"id", m.id},
                            {"meeting_on", m.meeting_on},
                            {"mode", std::string(Code(m.mode))},
                            {"status", std::string(Code(m.status))},
                            {"client_attended", m.client_attended}});
  }
  auto& transfers = j["transfers"] = json::array();
  for (const auto& t : f.transfers) {
    transfers.push_back({{"id", t.id},
                         {"from_unit", t.from_unit_name},
                         {"to_unit", t.to_unit_name},
                         {"reason", t.reason},
                         {"status", std::string(Code(t.status))},
                         {"offered_by", t.offered_by_name},
                         {"offered_at", t.offered_at},
                         {"decided_by", t.decided_by_name},
                         {"decided_at", t.decided_at},
                         {"decision_note", t.decision_note},
                         {"new_officer", t.new_officer_name}});
  }
  auto& meetings = j["mappa_meetings"] = json::array();
  for (const auto& m : sc.meetings) {
    json institutions = json::array();
    for (const auto& p : m.participants) institutions.push_back(std::string(Code(p.institution)));
    json actions = json::array();
    for (const auto& a : m.actions) {
      actions.push_back({{"description", a.description},
                         {"owner", std::string(Code(a.owner))},
                         {"due_on", a.due_on},
                         {"done_on", a.done_on}});
    }
    meetings.push_back({{"id", m.id},
                        {"held_on", m.held_on},
                        {"mode", std::string(Code(m.mode))},
                        {"institutions", institutions},
                        {"risk_decisions", m.risk_decisions},
                        {"actions", actions},
                        {"signed_at", m.signed_at}});
  }
  auto& notes = j["notes"] = json::array();
  for (const auto& n : f.notes) {
    notes.push_back({{"id", n.id},
                     {"written_at", n.written_at},
                     {"author", UserName(ctx, n.author_id)},
                     {"subject_table", n.subject_table},
                     {"body", n.body}});
  }
  auto& corrections = j["corrections"] = json::array();
  for (const auto& c : sc.corrections) {
    corrections.push_back({{"id", c.correction.id},
                           {"target_table", c.correction.target_table},
                           {"target_id", c.correction.target_id},
                           {"field", c.correction.field},
                           {"original", c.original},
                           {"corrected", c.correction.value},
                           {"reason", c.correction.reason},
                           {"at", c.correction.at},
                           {"author", UserName(ctx, c.correction.author_id)}});
  }
  return j;
}

// The record kinds counted in "counts": every array of a case's JSON object.
const char* const kCountedKinds[] = {"related_persons",
                                     "supervision_sections",
                                     "assessments",
                                     "plans",
                                     "contacts",
                                     "violations",
                                     "missed_contact_decisions",
                                     "court_applications",
                                     "consents",
                                     "programme_referrals",
                                     "attendance",
                                     "evaluation_requests",
                                     "evaluation_reports",
                                     "em_episodes",
                                     "rehabilitation_placements",
                                     "community_work_orders",
                                     "work_placements",
                                     "community_hours",
                                     "mentoring_referrals",
                                     "mentor_assignments",
                                     "mentoring_sessions",
                                     "mediation_meetings",
                                     "transfers",
                                     "mappa_meetings",
                                     "notes",
                                     "corrections"};

std::string WithheldWhat(const SubjectWithheld& w) {
  std::string what = w.kind;
  if (w.institution) what += " (" + InstitutionLabel(*w.institution) + ")";
  if (!w.detail.empty()) what += " (" + w.detail + ")";
  return what;
}

}  // namespace

std::optional<SubjectAccessFormat> SubjectAccessFormatFromCode(std::string_view code) {
  if (code == "pdf") return SubjectAccessFormat::kPdf;
  if (code == "json") return SubjectAccessFormat::kJson;
  if (code == "both") return SubjectAccessFormat::kBoth;
  return std::nullopt;
}

std::string_view FormatCode(SubjectAccessFormat format) {
  switch (format) {
    case SubjectAccessFormat::kPdf:
      return "pdf";
    case SubjectAccessFormat::kJson:
      return "json";
    case SubjectAccessFormat::kBoth:
      break;
  }
  return "both";
}

const std::vector<std::string> kSubjectAccessHeadings = {
    "Pieprasījums", "Persona", "Lietas", "Neizsniegtā informācija", "Piekļuve lietai"};

json SubjectAccessJson(const SubjectAccessView& view, const DocumentContext& ctx) {
  json j;
  j["format"] = "lietvedis.subject_access/1";
  j["prepared_at"] = view.prepared_at;
  j["prepared_by"] = {{"id", view.requester_id}, {"name", view.requester_name}};
  j["controller"] = {{"service", "Valsts probācijas dienests"},
                     {"region", ctx.region_name},
                     {"unit", ctx.unit_name}};
  j["client_id"] = view.client_id;
  j["person"] = ClientJson(view.client);
  json cases = json::array();
  json counts = json::object();
  for (const char* kind : kCountedKinds) counts[kind] = 0;
  for (const auto& sc : view.cases) {
    json c = CaseJson(sc, ctx);
    for (const char* kind : kCountedKinds) {
      counts[kind] = counts[kind].get<std::int64_t>() + static_cast<std::int64_t>(c[kind].size());
    }
    cases.push_back(std::move(c));
  }
  counts["cases"] = view.cases.size();
  j["counts"] = counts;
  j["cases"] = cases;
  json withheld = json::array();
  for (const auto& w : view.withheld) {
    withheld.push_back({{"kind", w.kind},
                        {"table", w.table},
                        {"case_id", w.case_id},
                        {"record_id", w.record_id},
                        {"date", w.date},
                        {"institution", OptCode(w.institution)},
                        {"detail", w.detail},
                        {"ground", w.ground}});
  }
  j["withheld"] = withheld;
  json log = json::array();
  for (const auto& e : view.access_log) {
    log.push_back({{"at", e.at},
                   {"case_id", e.case_id},
                   {"action", e.action},
                   {"user", e.user_name},
                   {"role", e.role},
                   {"unit", e.unit_name}});
  }
  j["access_log"] = log;
  return j;
}

Document SubjectAccessDocument(const SubjectAccessView& view, const DocumentContext& ctx) {
  Document d;
  d.title = "Izraksts par personas datiem (datu subjekta piekļuves pieprasījums)";
  d.letterhead = {"Valsts probācijas dienests"};
  if (!ctx.region_name.empty()) d.letterhead.push_back(ctx.region_name);
  if (!ctx.unit_name.empty()) d.letterhead.push_back(ctx.unit_name);
  d.record_id = view.client_id;
  auto& b = d.blocks;
  auto h1 = [&](const std::string& t) { b.push_back(Heading{t, 1}); };
  auto h2 = [&](const std::string& t) { b.push_back(Heading{t, 2}); };

  h1(kSubjectAccessHeadings[0]);
  b.push_back(KeyValues{{{"Sagatavots", DateTime(view.prepared_at)},
                         {"Sagatavoja", Or(view.requester_name)},
                         {"Lietu skaits", std::to_string(view.cases.size())},
                         {"Neizsniegto ierakstu skaits", std::to_string(view.withheld.size())}}});
  b.push_back(Paragraph{
      "Šajā izrakstā ir visi dati, ko šajā ierīcē Valsts probācijas dienests glabā par personu, "
      "visās tās lietās. Informācija, kas netiek izsniegta, ir uzskaitīta sadaļā "
      "«Neizsniegtā informācija» ar ieraksta veidu, datumu un pamatojumu, bez tās satura."});

  h1(kSubjectAccessHeadings[1]);
  const Client& c = view.client;
  b.push_back(KeyValues{{{"Vārds, uzvārds", c.name + " " + c.surname},
                         {"Personas kods", Or(c.personal_code)},
                         {"Dzimšanas datums", Date(c.birth_date)},
                         {"Adrese", Or(c.address)},
                         {"Deklarētā pašvaldība", Or(c.municipality)},
                         {"Tālrunis", Or(c.phone)},
                         {"E-pasts", Or(c.email)}}});

  h1(kSubjectAccessHeadings[2]);
  for (const auto& sc : view.cases) {
    const CaseFileView& f = sc.file;
    h2("Lieta " + f.case_record.id + " — " + LabelLv(f.case_record.kind));
    b.push_back(
        KeyValues{{{"Statuss", f.case_record.status == CaseStatus::kOpen ? "atvērta" : "slēgta"},
                   {"Atvērta", Date(f.case_record.opened_on)},
                   {"Slēgta", Date(f.case_record.closed_on)},
                   {"Atbildīgā amatpersona", Or(f.responsible_officer_name)},
                   {"Personas dati lietā", f.client.name + " " + f.client.surname + ", " +
                                               Or(f.client.phone) + ", " + Or(f.client.address)}}});

    h2("Saistītās personas");
    Table rp{{"Saikne", "Veids", "Vārds, uzvārds"}, {1.5, 2, 3}, {}, "Nav ierakstu."};
    for (const auto& p : f.related_persons) {
      rp.rows.push_back(
          {p.relation == Relation::kFamilyMember ? "ģimenes loceklis" : "atbalsta persona",
           Or(p.kind), p.name + " " + p.surname});
    }
    b.push_back(rp);

    h2("Uzraudzības sekcijas");
    Table st{{"Soda veids", "Tiesas nolēmums", "Pienākumi", "Atvērta", "Plānotās beigas", "Slēgta"},
             {2, 1.6, 2.8, 1.5, 1.5, 1.5},
             {},
             "Nav ierakstu."};
    for (const auto& s : f.sections) {
      st.rows.push_back({Or(s.sentence_type), Or(s.court_decision_ref), Or(s.obligations),
                         Date(s.opened_on), Date(s.planned_end_on), Date(s.closed_on)});
    }
    b.push_back(st);

    h2("Risku un vajadzību novērtējumi");
    Table at{{"Datums", "Instruments", "Kopvērtējums", "Riska līmenis", "Vajadzības", "Novērtēja"},
             {1.3, 1.6, 1.2, 1.2, 3, 1.7},
             {},
             "Nav parakstītu novērtējumu."};
    for (const auto& a : f.assessments) {
      at.rows.push_back({Date(a.assessed_on), LabelLv(a.instrument), std::to_string(a.total_score),
                         LabelLv(a.risk_level), Or(Codes(a.needs)), UserName(ctx, a.assessor_id)});
    }
    b.push_back(at);

    h2("Resocializācijas plāni");
    Table pt{{"Versija", "Izveidots", "Statuss", "Mērķis", "Intervences", "Pārskatīšana"},
             {0.8, 1.3, 1.2, 3, 3, 1.3},
             {},
             "Nav ierakstu."};
    for (const auto& p : f.plans) {
      for (const auto& g : p.goals) {
        pt.rows.push_back({std::to_string(p.version), Date(p.created_on),
                           p.status == PlanStatus::kActive ? "spēkā" : "aizstāts/slēgts", g.goal,
                           Or(g.interventions), Date(g.review_on)});
      }
      if (p.goals.empty()) {
        pt.rows.push_back({std::to_string(p.version), Date(p.created_on), kDash, kDash, kDash,
                           Date(p.next_review_on)});
      }
    }
    b.push_back(pt);

    h2("Kontakti");
    Table ct{{"Plānots", "Veids", "Statuss", "Notika", "Rezultāts", "Piezīme"},
             {1.6, 1.1, 1.1, 1.3, 2.5, 2.5},
             {},
             "Nav ierakstu."};
    for (const auto& k : f.contacts) {
      ct.rows.push_back({DateTime(k.planned_at), LabelLv(k.mode), LabelLv(k.status),
                         Date(k.held_on), Or(k.outcome), Or(k.note)});
    }
    b.push_back(ct);

    h2("Pārkāpumi un lēmumi par neierašanos");
    Table vt{{"Datums", "Veids", "Apraksts"}, {1.3, 2, 5}, {}, "Nav ierakstu."};
    for (const auto& v : f.violations) {
      vt.rows.push_back({Date(v.occurred_on), LabelLv(v.kind), Or(v.description)});
    }
    for (const auto& e : f.escalation) {
      vt.rows.push_back({Date(e.decided_on),
                         e.decision == MissedContactDecision::kWarning
                             ? "brīdinājums par neierašanos"
                             : "attaisnots kavējums",
                         Or(e.reason)});
    }
    b.push_back(vt);

    h2("Pieteikumi tiesai un tiesas lēmumi");
    Table ca{{"Iesniegts", "Pieteikums", "Pamatojums", "Lēmums", "Lēmuma datums"},
             {1.3, 2.2, 3, 2, 1.3},
             {},
             "Nav ierakstu."};
    for (const auto& a : f.court_applications) {
      ca.rows.push_back(
          {Date(a.filed_on), LabelLv(a.kind), Or(a.reason), Or(a.decision), Date(a.decided_on)});
    }
    b.push_back(ca);

    h2("Programmas: piekrišanas, nosūtījumi, apmeklējums");
    Table prt{{"Programma", "Ieraksts", "Datums", "Statuss / piezīme"},
              {3, 1.6, 1.3, 3},
              {},
              "Nav ierakstu."};
    for (const auto& k : f.consents) {
      prt.rows.push_back(
          {Or(k.programme_name), "piekrišana", Date(k.given_on), std::string(Code(k.decision))});
    }
    for (const auto& r : f.referrals) {
      prt.rows.push_back({Or(r.programme_name), "nosūtījums", Date(r.referred_on),
                          LabelLv(r.status) + ", apmeklētas " +
                              std::to_string(r.sessions_attended) + " nodarbības"});
    }
    for (const auto& a : f.attendance) {
      std::string programme = kDash;
      for (const auto& r : f.referrals) {
        if (r.id == a.referral_id) programme = r.programme_name;
      }
      prt.rows.push_back(
          {programme, a.attended ? "apmeklēja" : "neapmeklēja", Date(a.session_on), Or(a.note)});
    }
    b.push_back(prt);

    h2("Izvērtēšanas pieprasījumi un ziņojumi");
    Table et{{"Saņemts", "Pieprasītājs", "Atsauce", "Termiņš", "Statuss", "Iesniegts"},
             {1.3, 2.5, 1.6, 1.3, 1.3, 1.3},
             {},
             "Nav ierakstu."};
    for (const auto& r : f.evaluation_requests) {
      et.rows.push_back({Date(r.received_on), Or(r.requester_name), Or(r.reference),
                         Date(r.deadline_on), std::string(Code(r.status)), Date(r.submitted_on)});
    }
    b.push_back(et);
    for (const auto& r : f.evaluation_reports) {
      b.push_back(Paragraph{"Izvērtēšanas ziņojums (parakstīts " + DateTime(r.signed_at) + ", " +
                            UserName(ctx, r.signed_by) + ")"});
      b.push_back(KeyValues{{{"Persona un apstākļi", Or(r.circumstances)},
                             {"Noziedzīgais nodarījums", Or(r.offence)},
                             {"Riski un vajadzības", Or(r.risk_needs)},
                             {"Attieksme un motivācija", Or(r.attitude)},
                             {"Secinājums", Or(r.conclusion)}}});
    }

    h2("Elektroniskā uzraudzība un sociālās rehabilitācijas centri");
    Table em{{"Pasākums", "Sākums", "Plānotās beigas", "Beigas"},
             {3, 1.5, 1.5, 1.5},
             {},
             "Nav ierakstu."};
    for (const auto& e : f.monitoring) {
      em.rows.push_back({"elektroniskā uzraudzība", Date(e.started_on), Date(e.planned_end_on),
                         Date(e.ended_on)});
    }
    for (const auto& p : f.placements) {
      em.rows.push_back({"centrs: " + Or(p.centre), Date(p.started_on), Date(p.planned_end_on),
                         Date(p.ended_on)});
    }
    b.push_back(em);

    h2("Piespiedu darbs");
    Table cw{{"Ieraksts", "Datums", "Apjoms", "Vieta / piezīme"},
             {2, 1.4, 1.6, 3.5},
             {},
             "Nav ierakstu."};
    for (const auto& o : f.community_orders) {
      cw.rows.push_back(
          {"rīkojums, termiņš " + Date(o.deadline_on), Date(o.ordered_on),
           std::to_string(o.hours_ordered) + " h (nostrādātas " + Hours(o.minutes_done) + ")",
           Or(o.court_decision_ref)});
    }
    for (const auto& p : f.work_placements) {
      cw.rows.push_back({"darba vieta", Date(p.started_on), kDash, p.provider + ", " + p.address});
    }
    for (const auto& hrs : f.community_hours) {
      cw.rows.push_back({"nostrādāts", Date(hrs.worked_on), Hours(hrs.minutes), Or(hrs.note)});
    }
    b.push_back(cw);

    h2("Mentorings");
    Table mt{{"Ieraksts", "Datums", "Ilgums", "Piezīme"}, {2.2, 1.4, 1.2, 4}, {}, "Nav ierakstu."};
    for (const auto& r : f.mentoring_referrals) {
      mt.rows.push_back({"nosūtījums (piekrišana " + Date(r.consent_on) + ")", Date(r.referred_on),
                         kDash, r.ended_on.empty() ? "spēkā" : "beidzās " + Date(r.ended_on)});
    }
    for (const auto& a : sc.mentor_assignments) {
      mt.rows.push_back({"mentors: " + Or(a.volunteer_name), Date(a.started_on), kDash,
                         a.ended_on.empty() ? "spēkā" : "beidzās " + Date(a.ended_on)});
    }
    for (const auto& s : sc.mentoring_sessions) {
      mt.rows.push_back(
          {"tikšanās", Date(s.held_on), std::to_string(s.duration_minutes) + " min", Or(s.note)});
    }
    b.push_back(mt);

    h2("Izlīgums");
    const Mediation& med = f.mediation;
    Table iz{{"Ieraksts", "Datums", "Saturs"}, {2.2, 1.4, 5}, {}, "Nav ierakstu."};
    if (med.recorded || med.outcome) {
      iz.rows.push_back({"starpnieks", kDash, Or(med.mediator_name)});
      iz.rows.push_back({"klienta piekrišana", Date(med.client_consent_on), kDash});
    }
    for (const auto& m : med.meetings) {
      iz.rows.push_back(
          {"tikšanās (" + LabelLv(m.mode) + ")", Date(m.meeting_on),
           MeetingStatusLv(m.status) +
               (m.status == MediationMeetingStatus::kHeld
                    ? (m.client_attended ? ", klients piedalījās" : ", klients nepiedalījās")
                    : std::string())});
    }
    if (med.outcome) {
      iz.rows.push_back({"iznākums", Date(med.outcome_on), OutcomeLv(*med.outcome)});
      if (!med.agreement_terms.empty()) {
        iz.rows.push_back({"vienošanās (izpildes termiņš " + Date(med.agreement_due_on) + ")",
                           Date(med.outcome_on), med.agreement_terms});
      }
    }
    if (med.fulfilment) {
      iz.rows.push_back(
          {"vienošanās izpilde", Date(med.fulfilment_on), FulfilmentLv(*med.fulfilment)});
    }
    if (!med.reported_on.empty()) {
      iz.rows.push_back({"ziņojums", Date(med.reported_on), Or(med.report_to)});
    }
    b.push_back(iz);

    h2("Lietas nodošana citai struktūrvienībai");
    Table tr{{"Piedāvāts", "Struktūrvienības", "Iemesls", "Statuss", "Lēmums"},
             {1.8, 3.6, 2.4, 1.5, 2.6},
             {},
             "Nav ierakstu."};
    for (const auto& t : f.transfers) {
      std::string decision = t.decided_at.empty() ? kDash : Date(t.decided_at);
      if (!t.decided_by_name.empty()) decision += ", " + t.decided_by_name;
      if (!t.decision_note.empty()) decision += ": " + t.decision_note;
      if (!t.new_officer_name.empty()) decision += " (lietu vada " + t.new_officer_name + ")";
      tr.rows.push_back({Date(t.offered_at),
                         "no: " + Or(t.from_unit_name) + "\nuz: " + Or(t.to_unit_name),
                         Or(t.reason), TransferStatusLv(t.status), decision});
    }
    b.push_back(tr);

    h2("MAPPA sanāksmes");
    Table mm{{"Datums", "Norise", "Iestādes", "Riska pārvaldības lēmumi", "Uzdevumi"},
             {1.3, 1.2, 2.5, 3, 3},
             {},
             "Nav ierakstu."};
    for (const auto& m : sc.meetings) {
      std::string institutions, actions;
      for (const auto& p : m.participants) {
        if (!institutions.empty()) institutions += ", ";
        institutions += InstitutionLabel(p.institution);
      }
      for (const auto& a : m.actions) {
        if (!actions.empty()) actions += "\n";
        actions +=
            a.description + " (" + InstitutionLabel(a.owner) + ", līdz " + Date(a.due_on) + ")";
      }
      mm.rows.push_back(
          {Date(m.held_on), LabelLv(m.mode), Or(institutions), Or(m.risk_decisions), Or(actions)});
    }
    b.push_back(mm);

    h2("Piezīmes");
    Table nt{{"Datums", "Autors", "Piezīme"}, {1.6, 2, 5}, {}, "Nav ierakstu."};
    for (const auto& n : f.notes) {
      nt.rows.push_back({DateTime(n.written_at), UserName(ctx, n.author_id), Or(n.body)});
    }
    b.push_back(nt);

    h2("Labojumi");
    Table lt{{"Datums", "Ieraksts", "Lauks", "Sākotnēji", "Labots uz", "Iemesls"},
             {1.3, 1.6, 1.3, 2, 2, 2},
             {},
             "Nav ierakstu."};
    for (const auto& k : sc.corrections) {
      lt.rows.push_back({Date(k.correction.at), TableLv(k.correction.target_table),
                         k.correction.field, Or(k.original), Or(k.correction.value),
                         Or(k.correction.reason)});
    }
    b.push_back(lt);
  }
  if (view.cases.empty()) b.push_back(Paragraph{"Nav lietu, ko pieprasītājs drīkst lasīt."});

  h1(kSubjectAccessHeadings[3]);
  b.push_back(Paragraph{
      "Šie ieraksti ir lietā, bet to saturs netiek izsniegts. Katram norādīts pamatojums."});
  Table wt{{"Ieraksts", "Lieta", "Datums", "Pamatojums"},
           {2.6, 1.6, 1.2, 3.6},
           {},
           "Nekas netiek ieturēts."};
  for (const auto& w : view.withheld) {
    wt.rows.push_back({WithheldWhat(w), w.case_id, Date(w.date), w.ground});
  }
  b.push_back(wt);

  h1(kSubjectAccessHeadings[4]);
  Table lg{{"Laiks", "Lieta", "Darbība", "Lietotājs", "Loma", "Struktūrvienība"},
           {1.5, 1.7, 1.6, 1.8, 1.8, 2.3},
           {},
           "Nav ierakstu."};
  for (const auto& e : view.access_log) {
    lg.rows.push_back({DateTime(e.at), e.case_id, ActionLv(e.action), Or(e.user_name),
                       RoleLv(e.role), Or(e.unit_name)});
  }
  b.push_back(lg);
  return d;
}

std::string SubjectAccessFileStem(const std::string& client_id, const std::string& today) {
  return "subject-access-" + client_id + "-" + today;
}

Result<SubjectAccessFiles> ExportSubjectAccess(Workspace& ws, const std::string& client_id,
                                               const std::string& dir, SubjectAccessFormat format) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (dir.empty()) return MakeError(Errc::kValidation, "output: required");
  if (!fs::is_directory(dir, ec)) {
    return MakeError(Errc::kValidation, "output: the folder does not exist");
  }
  LV_ASSIGN(SubjectAccessView view, ws.SubjectAccess(client_id));
  LV_ASSIGN(DocumentContext dc, MakeDocumentContext(ws, view.unit_id));

  SubjectAccessFiles files;
  files.cases = static_cast<int>(view.cases.size());
  files.withheld = static_cast<int>(view.withheld.size());
  const fs::path stem = fs::path(dir) / SubjectAccessFileStem(client_id, dc.today);
  const bool pdf = format != SubjectAccessFormat::kJson;
  const bool js = format != SubjectAccessFormat::kPdf;
  // Everything is made before the first byte is written: a render failure leaves no file.
  RenderedPdf rendered;
  if (pdf) {
    LV_ASSIGN(rendered, RenderPdf(SubjectAccessDocument(view, dc)));
  }
  const std::string json_text =
      js ? SubjectAccessJson(view, dc).dump(2, ' ', false, json::error_handler_t::replace) + "\n"
         : std::string();

  std::vector<std::string> written;
  auto remove_written = [&] {
    for (const auto& p : written) ::unlink(p.c_str());
  };
  if (pdf) {
    files.pdf_path = stem.string() + ".pdf";
    if (auto w = WritePrivateFile(files.pdf_path, rendered.bytes); !w.ok()) return w.error();
    written.push_back(files.pdf_path);
    files.pages = rendered.pages;
  }
  if (js) {
    files.json_path = stem.string() + ".json";
    if (auto w = WritePrivateFile(files.json_path, json_text); !w.ok()) {
      remove_written();
      return w.error();
    }
    written.push_back(files.json_path);
  }
  if (auto audited = ws.RecordSubjectAccess(view, FormatCode(format)); !audited.ok()) {
    remove_written();
    return audited.error();
  }
  return files;
}

}  // namespace lietvedis::client::documents
