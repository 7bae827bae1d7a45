// Mediation (izlīgums, mediation cases): party, consent, mediator, meeting, meeting-outcome,
// outcome, fulfilment, report, show. Each command runs one Workspace command; `show` is an
// audited read of the case.
#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

// The mediation part of a case file as JSON; shared by `show` and `mediation show`.
nlohmann::ordered_json MediationJson(const CaseFileView& v) {
  using Json = nlohmann::ordered_json;
  const Mediation& m = v.mediation;
  Json j{{"recorded", m.recorded},
         {"mediator_volunteer_id", m.mediator_volunteer_id},
         {"mediator_name", m.mediator_name},
         {"client_consent_on", m.client_consent_on},
         {"outcome", m.outcome ? Json(Code(*m.outcome)) : Json(nullptr)},
         {"outcome_on", m.outcome_on},
         {"agreement_terms", m.agreement_terms},
         {"agreement_due_on", m.agreement_due_on},
         {"fulfilment", m.fulfilment ? Json(Code(*m.fulfilment)) : Json(nullptr)},
         {"fulfilment_on", m.fulfilment_on},
         {"reported_on", m.reported_on},
         {"report_to", m.report_to},
         {"reported_by", m.reported_by},
         {"parties", Json::array()},
         {"meetings", Json::array()}};
  for (const auto& p : m.parties) {
    j["parties"].push_back({{"id", p.id},
                            {"name", p.name},
                            {"surname", p.surname},
                            {"contact", p.contact},
                            {"consent_on", p.consent_on}});
  }
  for (const auto& x : m.meetings) {
    j["meetings"].push_back({{"id", x.id},
                             {"meeting_on", x.meeting_on},
                             {"mode", Code(x.mode)},
                             {"status", Code(x.status)},
                             {"party_ids", x.party_ids},
                             {"client_attended", x.client_attended},
                             {"note", x.note}});
  }
  return j;
}

void AddMediationCommands(CLI::App& app, CliContext& ctx) {
  auto* med = app.add_subcommand("mediation", "Victim-offender mediation (mediation cases)");
  med->require_subcommand(1);
  AddCommand<AddMediationParty>(med, ctx, "party", "Add a harmed person as a party",
                                [](CLI::App* s, AddMediationParty& c, auto&) {
                                  s->add_option("--case", c.case_id)->required();
                                  s->add_option("--name", c.name)->required();
                                  s->add_option("--surname", c.surname);
                                  s->add_option("--contact", c.contact, "Phone, e-mail, address");
                                  s->add_option("--consent", c.consent_on,
                                                "Day the party consented (dd.mm.yyyy)");
                                });
  AddCommand<RecordMediationConsent>(
      med, ctx, "consent", "Record a party's (--party) or the client's consent to mediate",
      [](CLI::App* s, RecordMediationConsent& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--party", c.party_id, "The party; without it the client");
        s->add_option("--on", c.consent_on, "dd.mm.yyyy (default today)");
      });
  AddCommand<AssignMediator>(
      med, ctx, "mediator",
      "Name the mediator: a certified volunteer mediator, or without --volunteer the officer",
      [](CLI::App* s, AssignMediator& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--volunteer", c.volunteer_id, "Volunteer id (kind mediator)");
      });
  AddCommand<RecordMediationMeeting>(
      med, ctx, "meeting", "Record a mediation meeting, planned or held",
      [](CLI::App* s, RecordMediationMeeting& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--on", c.meeting_on, "dd.mm.yyyy")->required();
        auto mode = Str(), status = Str();
        AddEnumOption<MeetingMode>(s, "--mode", *mode, "in_person, remote or mixed");
        AddEnumOption<MediationMeetingStatus>(s, "--status", *status,
                                              "planned or held (default held)");
        s->add_option("--party", c.party_ids, "A party present or invited (repeatable)");
        auto absent = std::make_shared<bool>(false);
        s->add_flag("--client-absent", *absent, "The client did not take part");
        s->add_option("--note", c.note, "Short note (restricted)");
        finish = [mode, status, absent](RecordMediationMeeting& c) {
          c.mode = EnumOr(*mode, MeetingMode::kInPerson);
          c.status = EnumOr(*status, MediationMeetingStatus::kHeld);
          c.client_attended = !*absent;
        };
      });
  AddCommand<RecordMediationMeetingOutcome>(
      med, ctx, "meeting-outcome", "A planned meeting held or cancelled",
      [](CLI::App* s, RecordMediationMeetingOutcome& c, auto& finish) {
        s->add_option("--meeting", c.meeting_id)->required();
        auto status = Str();
        AddEnumOption<MediationMeetingStatus>(s, "--status", *status, "held or cancelled")
            ->required();
        s->add_option("--note", c.note);
        finish = [status](RecordMediationMeetingOutcome& c) {
          c.status = EnumOr(*status, MediationMeetingStatus::kHeld);
        };
      });
  AddCommand<RecordMediationOutcome>(
      med, ctx, "outcome", "Record the mediation's outcome (once)",
      [](CLI::App* s, RecordMediationOutcome& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        auto outcome = Str();
        AddEnumOption<MediationOutcome>(s, "--outcome", *outcome,
                                        "agreement, no_agreement, party_withdrew, not_suitable")
            ->required();
        s->add_option("--on", c.decided_on, "dd.mm.yyyy (default today)");
        s->add_option("--terms", c.agreement_terms, "The agreement's terms");
        s->add_option("--due", c.agreement_due_on, "The agreement's due date (dd.mm.yyyy)");
        finish = [outcome](RecordMediationOutcome& c) {
          c.outcome = EnumOr(*outcome, MediationOutcome::kAgreement);
        };
      });
  AddCommand<RecordAgreementFulfilment>(
      med, ctx, "fulfilment", "Record whether the agreement was fulfilled (once)",
      [](CLI::App* s, RecordAgreementFulfilment& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        auto f = Str();
        AddEnumOption<AgreementFulfilment>(s, "--fulfilment", *f, "fulfilled or not_fulfilled")
            ->required();
        s->add_option("--on", c.on, "dd.mm.yyyy (default today)");
        finish = [f](RecordAgreementFulfilment& c) {
          c.fulfilment = EnumOr(*f, AgreementFulfilment::kFulfilled);
        };
      });
  AddCommand<ReportMediation>(med, ctx, "report",
                              "Report to the requesting authority; closes the case",
                              [](CLI::App* s, ReportMediation& c, auto&) {
                                s->add_option("--case", c.case_id)->required();
                                s->add_option("--on", c.reported_on, "dd.mm.yyyy (default today)");
                                s->add_option("--to", c.report_to, "The requesting authority");
                              });
  auto case_id = Str();
  auto* show = med->add_subcommand("show", "A case's mediation (audited read)");
  show->add_option("case", *case_id, "Case id")->required();
  show->callback([&ctx, case_id] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto file, ctx.ws().CaseFile(*case_id));
      if (ctx.json) {
        ctx.PrintJson(MediationJson(file));
        return Ok();
      }
      const Mediation& m = file.mediation;
      std::vector<std::vector<std::string>> head{
          {"MEDIATOR", "CLIENT CONSENT", "OUTCOME", "ON", "DUE", "FULFILMENT", "REPORTED"}};
      head.push_back({m.mediator_name, m.client_consent_on,
                      m.outcome ? std::string(Code(*m.outcome)) : "", m.outcome_on,
                      m.agreement_due_on, m.fulfilment ? std::string(Code(*m.fulfilment)) : "",
                      m.reported_on});
      ctx.PrintTable(head);
      std::vector<std::vector<std::string>> parties{{"PARTY", "NAME", "CONTACT", "CONSENT"}};
      for (const auto& p : m.parties)
        parties.push_back(
            {p.id, p.name + (p.surname.empty() ? "" : " " + p.surname), p.contact, p.consent_on});
      ctx.PrintTable(parties);
      std::vector<std::vector<std::string>> meetings{
          {"MEETING", "ON", "MODE", "STATUS", "PARTIES", "CLIENT"}};
      for (const auto& x : m.meetings)
        meetings.push_back({x.id, x.meeting_on, std::string(Code(x.mode)),
                            std::string(Code(x.status)), std::to_string(x.party_ids.size()),
                            x.client_attended ? "yes" : "no"});
      ctx.PrintTable(meetings);
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
