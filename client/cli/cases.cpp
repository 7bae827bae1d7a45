// Case-file commands: client, case, section, assessment, plan, contact,
// violation, court, note, correct, reassign. Each runs one Workspace command.
#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

void AddCaseCommands(CLI::App& app, CliContext& ctx) {
  // --- client ---
  auto* client = app.add_subcommand("client", "Register clients and keep their details");
  client->require_subcommand(1);
  AddCommand<RegisterClient>(
      client, ctx, "register", "Register a client with a first case; prints the case id",
      [](CLI::App* s, RegisterClient& c, auto& finish) {
        s->add_option("--name", c.name, "Given name")->required();
        s->add_option("--surname", c.surname, "Surname")->required();
        s->add_option("--personal-code", c.personal_code, "DDMMYY-CNNNN or 32NNNN-NNNNN")
            ->required();
        s->add_option("--birth-date", c.birth_date, "dd.mm.yyyy");
        s->add_option("--phone", c.phone);
        s->add_option("--email", c.email);
        s->add_option("--address", c.address);
        s->add_option("--municipality", c.municipality, "Declared municipality");
        auto tags = Str(), kind = Str();
        s->add_option("--tags", *tags, "Comma-separated: juvenile,young_person,woman,...");
        AddEnumOption<CaseKind>(s, "--kind", *kind, "Case kind")->required();
        s->add_option("--opened", c.opened_on, "dd.mm.yyyy (default today)");
        s->add_flag("--same-person", c.same_person,
                    "The personal code is an existing person's: open a new case for them");
        finish = [tags, kind](RegisterClient& c) {
          c.tags = EnumList<ClientTag>(*tags);
          c.kind = EnumOr(*kind, CaseKind::kConditionalSentence);
        };
      });
  AddCommand<UpdateClientDetails>(
      client, ctx, "update", "Replace the client's details in a case file",
      [](CLI::App* s, UpdateClientDetails& c, auto& finish) {
        s->add_option("--case", c.case_id, "Case id")->required();
        s->add_option("--name", c.name)->required();
        s->add_option("--surname", c.surname)->required();
        s->add_option("--phone", c.phone);
        s->add_option("--email", c.email);
        s->add_option("--address", c.address);
        s->add_option("--municipality", c.municipality);
        auto tags = Str();
        s->add_option("--tags", *tags, "Comma-separated tag codes");
        finish = [tags](UpdateClientDetails& c) { c.tags = EnumList<ClientTag>(*tags); };
      });
  AddCommand<AddRelatedPerson>(
      client, ctx, "related-add", "Add a family member or support person",
      [](CLI::App* s, AddRelatedPerson& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        auto rel = Str();
        AddEnumOption<Relation>(s, "--relation", *rel, "family_member or support_person");
        s->add_option("--kind", c.kind, "e.g. māte, partneris");
        s->add_option("--name", c.name)->required();
        s->add_option("--surname", c.surname);
        s->add_option("--phone", c.phone);
        s->add_option("--note", c.note);
        finish = [rel](AddRelatedPerson& c) { c.relation = EnumOr(*rel, Relation::kFamilyMember); };
      });
  AddCommand<VoidRelatedPerson>(
      client, ctx, "related-void", "Remove a related person from the view",
      [](CLI::App* s, VoidRelatedPerson& c, auto&) {
        s->add_option("--person", c.person_id, "Related person id")->required();
      });

  // --- case ---
  auto* kase =
      app.add_subcommand("case", "Open and close cases, monitoring, rehabilitation placements");
  kase->require_subcommand(1);
  AddCommand<OpenCase>(kase, ctx, "open", "Open another case for a registered client",
                       [](CLI::App* s, OpenCase& c, auto& finish) {
                         s->add_option("--client", c.client_id, "Client id")->required();
                         auto kind = Str();
                         AddEnumOption<CaseKind>(s, "--kind", *kind, "Case kind")->required();
                         s->add_option("--opened", c.opened_on, "dd.mm.yyyy");
                         finish = [kind](OpenCase& c) {
                           c.kind = EnumOr(*kind, CaseKind::kConditionalSentence);
                         };
                       });
  AddCommand<CloseCase>(kase, ctx, "close", "Close a case (no open section)",
                        [](CLI::App* s, CloseCase& c, auto&) {
                          s->add_option("--case", c.case_id)->required();
                          s->add_option("--closed", c.closed_on, "dd.mm.yyyy");
                        });
  AddCommand<StartMonitoringEpisode>(kase, ctx, "em-start",
                                     "Start an electronic-monitoring episode",
                                     [](CLI::App* s, StartMonitoringEpisode& c, auto&) {
                                       s->add_option("--case", c.case_id)->required();
                                       s->add_option("--started", c.started_on)->required();
                                       s->add_option("--planned-end", c.planned_end_on);
                                     });
  AddCommand<EndMonitoringEpisode>(kase, ctx, "em-end", "End a monitoring episode",
                                   [](CLI::App* s, EndMonitoringEpisode& c, auto& finish) {
                                     s->add_option("--episode", c.episode_id)->required();
                                     s->add_option("--ended", c.ended_on)->required();
                                     auto outcome = Str();
                                     AddEnumOption<EmOutcome>(s, "--outcome", *outcome,
                                                              "completed or revoked");
                                     finish = [outcome](EndMonitoringEpisode& c) {
                                       c.outcome = EnumOr(*outcome, EmOutcome::kCompleted);
                                     };
                                   });
  AddCommand<PlaceInRehabilitationCentre>(
      kase, ctx, "src-place", "Place in a social-rehabilitation centre",
      [](CLI::App* s, PlaceInRehabilitationCentre& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--centre", c.centre)->required();
        s->add_option("--started", c.started_on)->required();
        s->add_option("--planned-end", c.planned_end_on);
        s->add_option("--daily-cost-cents", c.daily_cost_cents)->required();
      });
  AddCommand<EndRehabilitationPlacement>(kase, ctx, "src-end", "End a centre placement",
                                         [](CLI::App* s, EndRehabilitationPlacement& c, auto&) {
                                           s->add_option("--placement", c.placement_id)->required();
                                           s->add_option("--ended", c.ended_on)->required();
                                         });
  AddCommand<ReassignCase>(
      &app, ctx, "reassign", "Reassign a case to another officer of the unit (supervisor)",
      [](CLI::App* s, ReassignCase& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--officer", c.new_officer_id, "New responsible officer's user id")
            ->required();
      });

  // --- supervision section ---
  auto* section = app.add_subcommand("section", "Supervision sections");
  section->require_subcommand(1);
  AddCommand<OpenSupervisionSection>(
      section, ctx, "open", "Open a supervision section",
      [](CLI::App* s, OpenSupervisionSection& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--sentence-type", c.sentence_type)->required();
        s->add_option("--court-decision", c.court_decision_ref);
        s->add_option("--obligations", c.obligations);
        s->add_option("--opened", c.opened_on);
        s->add_option("--planned-end", c.planned_end_on);
        auto emp = Str(), dis = Str();
        AddEnumOption<EmploymentStatus>(s, "--employment", *emp, "Employment status at opening");
        AddEnumOption<DisabilityGroup>(s, "--disability-group", *dis,
                                       "none, group_1, group_2, group_3");
        s->add_flag("--no-employment-taxes", c.no_employment_taxes_at_opening,
                    "No employment taxes at opening");
        finish = [emp, dis](OpenSupervisionSection& c) {
          c.employment_at_opening = EnumOr(*emp, EmploymentStatus::kUnknown);
          c.disability_group = EnumOr(*dis, DisabilityGroup::kNone);
        };
      });
  AddCommand<AmendSupervisionSection>(section, ctx, "amend",
                                      "Change obligations or planned end of an open section",
                                      [](CLI::App* s, AmendSupervisionSection& c, auto&) {
                                        s->add_option("--section", c.section_id)->required();
                                        s->add_option("--obligations", c.obligations);
                                        s->add_option("--planned-end", c.planned_end_on);
                                      });
  AddCommand<CloseSupervisionSection>(
      section, ctx, "close", "Close a section with its outcome",
      [](CLI::App* s, CloseSupervisionSection& c, auto& finish) {
        s->add_option("--section", c.section_id)->required();
        s->add_option("--closed", c.closed_on);
        auto out = Str(), emp = Str();
        AddEnumOption<SectionOutcome>(s, "--outcome", *out, "Outcome");
        AddEnumOption<EmploymentStatus>(s, "--employment", *emp, "Employment status at closure");
        finish = [out, emp](CloseSupervisionSection& c) {
          c.outcome = EnumOr(*out, SectionOutcome::kCompleted);
          c.employment_at_closure = EnumOr(*emp, EmploymentStatus::kUnknown);
        };
      });

  // --- assessment ---
  auto* assess = app.add_subcommand("assessment", "Risk-and-needs assessments");
  assess->require_subcommand(1);
  AddCommand<RecordAssessment>(
      assess, ctx, "add", "Record an assessment",
      [](CLI::App* s, RecordAssessment& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        auto ins = Str(), risk = Str(), needs = Str();
        AddEnumOption<Instrument>(s, "--instrument", *ins, "Instrument")->required();
        s->add_option("--version", c.instrument_version);
        s->add_option("--assessed", c.assessed_on);
        s->add_option("--score", c.total_score, "Total score");
        s->add_option("--items", c.item_scores, "item=score;... as the licence allows");
        AddEnumOption<RiskLevel>(s, "--risk", *risk, "Risk level")->required();
        s->add_option("--needs", *needs, "Comma-separated need domains");
        s->add_option("--supersedes", c.supersedes_id, "A signed assessment this corrects");
        finish = [ins, risk, needs](RecordAssessment& c) {
          c.instrument = EnumOr(*ins, Instrument::kVpdRvn);
          c.risk_level = EnumOr(*risk, RiskLevel::kLow);
          c.needs = EnumList<NeedDomain>(*needs);
        };
      });
  AddCommand<AmendAssessment>(
      assess, ctx, "amend", "Change an unsigned assessment",
      [](CLI::App* s, AmendAssessment& c, auto& finish) {
        s->add_option("--assessment", c.assessment_id)->required();
        s->add_option("--score", c.total_score);
        s->add_option("--items", c.item_scores);
        auto risk = Str(), needs = Str();
        AddEnumOption<RiskLevel>(s, "--risk", *risk, "Risk level")->required();
        s->add_option("--needs", *needs);
        finish = [risk, needs](AmendAssessment& c) {
          c.risk_level = EnumOr(*risk, RiskLevel::kLow);
          c.needs = EnumList<NeedDomain>(*needs);
        };
      });
  AddCommand<SignAssessment>(assess, ctx, "sign", "Sign an assessment (then immutable)",
                             [](CLI::App* s, SignAssessment& c, auto&) {
                               s->add_option("--assessment", c.assessment_id)->required();
                             });

  // --- plan ---
  auto* plan = app.add_subcommand("plan", "Resocialisation plans");
  plan->require_subcommand(1);
  AddCommand<CreatePlan>(
      plan, ctx, "create", "Create the plan (or its next version)",
      [](CLI::App* s, CreatePlan& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--next-review", c.next_review_on, "dd.mm.yyyy");
        auto goals = std::make_shared<std::vector<std::string>>();
        s->add_option("--goal", *goals,
                      "GOAL|NEED|INTERVENTIONS|REVIEW (repeatable; parts after GOAL optional)");
        finish = [goals](CreatePlan& c) {
          for (const auto& g : *goals) {
            std::vector<std::string> parts;
            size_t start = 0;
            while (true) {
              const auto bar = g.find('|', start);
              parts.push_back(g.substr(start, bar == std::string::npos ? bar : bar - start));
              if (bar == std::string::npos) break;
              start = bar + 1;
            }
            parts.resize(4);
            PlanGoalInput in;
            in.goal = parts[0];
            in.need = EnumOpt<NeedDomain>(parts[1]);
            in.interventions = parts[2];
            in.review_on = parts[3];
            c.goals.push_back(in);
          }
        };
      });

  // --- contact ---
  auto* contact = app.add_subcommand("contact", "Contacts and appointments");
  contact->require_subcommand(1);
  AddCommand<RecordContact>(
      contact, ctx, "add", "Plan a contact or record a held/missed one",
      [](CLI::App* s, RecordContact& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--at", c.planned_at, "dd.mm.yyyy [HH:MM]")->required();
        auto status = Str(), mode = Str();
        AddEnumOption<ContactStatus>(s, "--status", *status, "planned, held, missed, cancelled");
        AddEnumOption<ContactMode>(s, "--mode", *mode, "in_person, phone, video");
        s->add_option("--held", c.held_on);
        s->add_option("--outcome", c.outcome);
        s->add_option("--note", c.note);
        finish = [status, mode](RecordContact& c) {
          c.status = EnumOr(*status, ContactStatus::kPlanned);
          c.mode = EnumOr(*mode, ContactMode::kInPerson);
        };
      });
  AddCommand<RecordContactOutcome>(
      contact, ctx, "outcome", "Record what happened to a planned contact",
      [](CLI::App* s, RecordContactOutcome& c, auto& finish) {
        s->add_option("--contact", c.contact_id)->required();
        auto status = Str();
        AddEnumOption<ContactStatus>(s, "--status", *status, "held, missed, cancelled")->required();
        s->add_option("--held", c.held_on);
        s->add_option("--outcome", c.outcome);
        s->add_option("--note", c.note);
        finish = [status](RecordContactOutcome& c) {
          c.status = EnumOr(*status, ContactStatus::kHeld);
        };
      });
  AddCommand<DecideMissedContact>(
      contact, ctx, "decide",
      "Decide on a missed contact: a warning (counted in the open section) or a justified "
      "absence",
      [](CLI::App* s, DecideMissedContact& c, auto& finish) {
        s->add_option("--contact", c.contact_id)->required();
        auto decision = Str();
        AddEnumOption<MissedContactDecision>(s, "--decision", *decision,
                                             "warning, justified_absence")
            ->required();
        s->add_option("--reason", c.reason, "Required for a justified absence");
        s->add_option("--on", c.decided_on, "dd.mm.yyyy (default today)");
        finish = [decision](DecideMissedContact& c) {
          c.decision = EnumOr(*decision, MissedContactDecision::kWarning);
        };
      });

  // --- violation, court ---
  auto* violation = app.add_subcommand("violation", "Violations and warnings");
  violation->require_subcommand(1);
  AddCommand<RecordViolation>(
      violation, ctx, "add", "Record a violation or warning",
      [](CLI::App* s, RecordViolation& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        auto kind = Str();
        AddEnumOption<ViolationKind>(s, "--kind", *kind, "warning, violation, new_offence");
        s->add_option("--occurred", c.occurred_on)->required();
        s->add_option("--description", c.description);
        finish = [kind](RecordViolation& c) { c.kind = EnumOr(*kind, ViolationKind::kWarning); };
      });
  auto* court = app.add_subcommand("court", "Applications to court");
  court->require_subcommand(1);
  AddCommand<FileCourtApplication>(
      court, ctx, "file", "File an application to court",
      [](CLI::App* s, FileCourtApplication& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        auto kind = Str();
        AddEnumOption<CourtApplicationKind>(s, "--kind", *kind, "Application kind");
        s->add_option("--filed", c.filed_on);
        s->add_option("--reason", c.reason)->required();
        s->add_option("--warning", c.warning_ids,
                      "An escalation warning the application rests on (repeatable)");
        finish = [kind](FileCourtApplication& c) {
          c.kind = EnumOr(*kind, CourtApplicationKind::kReplaceUnservedSentence);
        };
      });
  AddCommand<RecordCourtDecision>(court, ctx, "decide", "Record the court's decision",
                                  [](CLI::App* s, RecordCourtDecision& c, auto&) {
                                    s->add_option("--application", c.application_id)->required();
                                    s->add_option("--decision", c.decision)->required();
                                    s->add_option("--decided", c.decided_on);
                                  });

  // --- note, correct ---
  auto* note = app.add_subcommand("note", "Case notes (append-only)");
  note->require_subcommand(1);
  AddCommand<AddNote>(
      note, ctx, "add", "Append a note to a case file", [](CLI::App* s, AddNote& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--body", c.body)->required();
        s->add_option("--subject-table", c.subject_table, "Table of the record the note is about");
        s->add_option("--subject-id", c.subject_id);
      });
  AddCommand<Countersign>(
      &app, ctx, "countersign",
      "Countersign a signed assessment, a plan version or a court application (unit supervisor)",
      [](CLI::App* s, Countersign& c, auto&) {
        s->add_option("--table", c.record_table, "assessment, res_plan or court_application")
            ->required();
        s->add_option("--id", c.record_id)->required();
        s->add_option("--remark", c.remark);
      });
  AddCommand<CorrectRecord>(&app, ctx, "correct",
                            "Append a correction to a signed, closed or append-only record",
                            [](CLI::App* s, CorrectRecord& c, auto&) {
                              s->add_option("--table", c.target_table)->required();
                              s->add_option("--id", c.target_id)->required();
                              s->add_option("--field", c.field)->required();
                              s->add_option("--value", c.value)->required();
                              s->add_option("--reason", c.reason)->required();
                            });
}

}  // namespace lietvedis::cli
