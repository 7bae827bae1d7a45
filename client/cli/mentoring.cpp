// Volunteers, mentor assignments, mentoring session logs and sign-offs (coordinator).
#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

void AddMentoringCommands(CLI::App& app, CliContext& ctx) {
  auto* volunteer = app.add_subcommand("volunteer", "The volunteer register");
  volunteer->require_subcommand(1);
  AddCommand<RegisterVolunteer>(
      volunteer, ctx, "register", "Register a volunteer (stage: application)",
      [](CLI::App* s, RegisterVolunteer& c, auto& finish) {
        s->add_option("--name", c.name)->required();
        s->add_option("--surname", c.surname)->required();
        s->add_option("--phone", c.phone);
        s->add_option("--email", c.email);
        s->add_option("--registered", c.registered_on);
        auto kind = Str();
        AddEnumOption<VolunteerKind>(s, "--kind", *kind, "peer_mentor, circle_member, mediator");
        finish = [kind](RegisterVolunteer& c) {
          c.kind = EnumOr(*kind, VolunteerKind::kPeerMentor);
        };
      });
  AddCommand<AdvanceVolunteerStage>(
      volunteer, ctx, "advance", "Advance one selection stage (or withdraw)",
      [](CLI::App* s, AdvanceVolunteerStage& c, auto& finish) {
        s->add_option("--volunteer", c.volunteer_id)->required();
        auto stage = Str();
        AddEnumOption<VolunteerStage>(s, "--stage", *stage, "The next stage")->required();
        s->add_option("--on", c.on_date);
        s->add_option("--note", c.note);
        finish = [stage](AdvanceVolunteerStage& c) {
          c.stage = EnumOr(*stage, VolunteerStage::kEvaluation);
        };
      });
  auto* vlist = volunteer->add_subcommand("list", "List the unit's volunteers");
  vlist->callback([&ctx] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto reg, ctx.ws().VolunteerRegister());
      if (ctx.json) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const auto& v : reg.volunteers) {
          a.push_back({{"id", v.id},
                       {"name", v.name},
                       {"surname", v.surname},
                       {"kind", Code(v.kind)},
                       {"stage", Code(v.stage)},
                       {"phone", v.phone},
                       {"registered_on", v.registered_on}});
        }
        ctx.PrintJson(a);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows{{"ID", "SURNAME", "NAME", "KIND", "STAGE"}};
      for (const auto& v : reg.volunteers) {
        rows.push_back(
            {v.id, v.surname, v.name, std::string(Code(v.kind)), std::string(Code(v.stage))});
      }
      ctx.PrintTable(rows);
      return Ok();
    });
  });

  auto* mentor = app.add_subcommand("mentor", "Mentor assignments");
  mentor->require_subcommand(1);
  AddCommand<AssignMentor>(mentor, ctx, "assign", "Assign a certified mentor to a client's case",
                           [](CLI::App* s, AssignMentor& c, auto&) {
                             s->add_option("--case", c.case_id)->required();
                             s->add_option("--volunteer", c.volunteer_id)->required();
                             s->add_option("--started", c.started_on);
                           });
  AddCommand<EndMentorAssignment>(mentor, ctx, "end", "End an assignment",
                                  [](CLI::App* s, EndMentorAssignment& c, auto&) {
                                    s->add_option("--assignment", c.assignment_id)->required();
                                    s->add_option("--ended", c.ended_on);
                                  });

  auto* mentoring = app.add_subcommand(
      "mentoring", "Referral to peer mentoring (officer); session logs and sign-off");
  mentoring->require_subcommand(1);
  AddCommand<ReferToMentoring>(
      mentoring, ctx, "refer",
      "Refer the client to peer mentoring with the client's consent (the card reaches the "
      "coordinator)",
      [](CLI::App* s, ReferToMentoring& c, auto&) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--consent-on", c.consent_on, "Date the client consented (dd.mm.yyyy)")
            ->required();
        s->add_option("--referred", c.referred_on);
        s->add_flag("--circle", c.circle,
                    "A circle of support (sex-offence case): up to 5 circle members at once");
      });
  AddCommand<EndMentoringReferral>(
      mentoring, ctx, "end-referral",
      "End a referral to peer mentoring (the card leaves after the unit's grace period)",
      [](CLI::App* s, EndMentoringReferral& c, auto&) {
        s->add_option("--referral", c.referral_id)->required();
        s->add_option("--ended", c.ended_on);
      });
  AddCommand<LogMentoringSession>(
      mentoring, ctx, "log", "Log a mentoring session",
      [](CLI::App* s, LogMentoringSession& c, auto& finish) {
        s->add_option("--assignment", c.assignment_id,
                      "The assignment; or --case with --volunteer");
        s->add_option("--case", c.case_id, "The client's case: its active assignment");
        s->add_option("--volunteer", c.volunteer_id, "Whose session, in a circle of support");
        s->add_option("--held", c.held_on)->required();
        s->add_option("--minutes", c.duration_minutes)->required();
        auto mode = Str();
        AddEnumOption<MentoringMode>(s, "--mode", *mode, "in_person or online");
        s->add_option("--note", c.note);
        finish = [mode](LogMentoringSession& c) {
          c.mode = EnumOr(*mode, MentoringMode::kInPerson);
        };
      });
  AddCommand<SignOffMentoringSession>(mentoring, ctx, "signoff", "Sign off a logged session",
                                      [](CLI::App* s, SignOffMentoringSession& c, auto&) {
                                        s->add_option("--session", c.session_id)->required();
                                        s->add_option("--remark", c.remark);
                                      });
  auto case_id = Str();
  auto* show = mentoring->add_subcommand("show", "Show a case's mentoring view (audited read)");
  show->add_option("case", *case_id, "Case id")->required();
  show->callback([&ctx, case_id] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto view, ctx.ws().Mentoring(*case_id));
      nlohmann::ordered_json j;
      j["card"] = {{"case_id", view.card.case_id},
                   {"name", view.card.name},
                   {"surname", view.card.surname},
                   {"phone", view.card.phone},
                   {"email", view.card.email},
                   {"responsible_officer_id", view.card.responsible_officer_id},
                   {"voided_at", view.card.voided_at},
                   {"circle", view.card.circle}};
      j["assignments"] = nlohmann::ordered_json::array();
      for (const auto& a : view.assignments) {
        j["assignments"].push_back({{"id", a.id},
                                    {"volunteer_id", a.volunteer_id},
                                    {"volunteer_name", a.volunteer_name},
                                    {"started_on", a.started_on},
                                    {"ended_on", a.ended_on}});
      }
      j["sessions"] = nlohmann::ordered_json::array();
      for (const auto& s : view.sessions) {
        j["sessions"].push_back({{"id", s.id},
                                 {"assignment_id", s.assignment_id},
                                 {"held_on", s.held_on},
                                 {"duration_minutes", s.duration_minutes},
                                 {"mode", Code(s.mode)},
                                 {"note", s.note},
                                 {"logged_by", s.logged_by},
                                 {"signed_off_by", s.signed_off_by},
                                 {"signed_off_at", s.signed_off_at}});
      }
      ctx.PrintJson(j);
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
