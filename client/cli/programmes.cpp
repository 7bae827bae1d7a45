// Programme work: catalogue, consent, referral, enrolment, attendance, end.
#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

void AddProgrammeCommands(CLI::App& app, CliContext& ctx) {
  auto* programme = app.add_subcommand("programme", "The programme catalogue");
  programme->require_subcommand(1);
  auto* list = programme->add_subcommand("list", "List the catalogue");
  list->callback([&ctx] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto programmes, ctx.ws().Programmes());
      if (ctx.json) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const auto& p : programmes) {
          a.push_back({{"id", p.id},
                       {"name", p.name},
                       {"target_group", p.target_group},
                       {"provider", Code(p.provider)},
                       {"provider_name", p.provider_name},
                       {"mode", Code(p.mode)},
                       {"accreditation", Code(p.accreditation)},
                       {"active", p.active}});
        }
        ctx.PrintJson(a);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows{{"ID", "NAME", "PROVIDER", "MODE"}};
      for (const auto& p : programmes) {
        rows.push_back({p.id, p.name, std::string(Code(p.provider)), std::string(Code(p.mode))});
      }
      ctx.PrintTable(rows);
      return Ok();
    });
  });
  AddCommand<AddProgramme>(
      programme, ctx, "add", "Add a programme (administrator)",
      [](CLI::App* s, AddProgramme& c, auto& finish) {
        s->add_option("--name", c.name)->required();
        s->add_option("--target-group", c.target_group);
        auto prov = Str(), mode = Str(), acc = Str();
        AddEnumOption<ProgrammeProvider>(s, "--provider", *prov, "vpd, ievp, ngo, other");
        s->add_option("--provider-name", c.provider_name);
        AddEnumOption<ProgrammeMode>(s, "--mode", *mode, "in_person, e_environment, blended");
        AddEnumOption<Accreditation>(s, "--accreditation", *acc,
                                     "accredited, not_accredited, pilot");
        finish = [prov, mode, acc](AddProgramme& c) {
          c.provider = EnumOr(*prov, ProgrammeProvider::kVpd);
          c.mode = EnumOr(*mode, ProgrammeMode::kInPerson);
          c.accreditation = EnumOr(*acc, Accreditation::kAccredited);
        };
      });

  auto* consent = app.add_subcommand("consent", "Programme consent (append-only)");
  consent->require_subcommand(1);
  AddCommand<RecordConsent>(
      consent, ctx, "record", "Record the client's consent decision for a programme",
      [](CLI::App* s, RecordConsent& c, auto& finish) {
        s->add_option("--case", c.case_id)->required();
        s->add_option("--programme", c.programme_id)->required();
        auto d = Str();
        AddEnumOption<ConsentDecision>(s, "--decision", *d, "given, refused, withdrawn");
        s->add_option("--on", c.given_on);
        finish = [d](RecordConsent& c) { c.decision = EnumOr(*d, ConsentDecision::kGiven); };
      });

  auto* referral = app.add_subcommand("referral", "Programme referrals, enrolment, attendance");
  referral->require_subcommand(1);
  AddCommand<ReferToProgramme>(referral, ctx, "add", "Refer to a programme (needs consent)",
                               [](CLI::App* s, ReferToProgramme& c, auto& finish) {
                                 s->add_option("--case", c.case_id)->required();
                                 s->add_option("--programme", c.programme_id)->required();
                                 auto need = Str(), risk = Str();
                                 AddEnumOption<NeedDomain>(s, "--need", *need, "Need domain");
                                 AddEnumOption<RiskLevel>(
                                     s, "--risk", *risk, "Risk level (default: latest assessment)");
                                 s->add_option("--referred", c.referred_on);
                                 finish = [need, risk](ReferToProgramme& c) {
                                   c.need = EnumOpt<NeedDomain>(*need);
                                   c.risk_level = EnumOpt<RiskLevel>(*risk);
                                 };
                               });
  AddCommand<EnrolInProgramme>(referral, ctx, "enrol", "Record enrolment",
                               [](CLI::App* s, EnrolInProgramme& c, auto&) {
                                 s->add_option("--referral", c.referral_id)->required();
                                 s->add_option("--enrolled", c.enrolled_on);
                               });
  AddCommand<RecordAttendance>(referral, ctx, "attend", "Record a programme session",
                               [](CLI::App* s, RecordAttendance& c, auto& finish) {
                                 s->add_option("--referral", c.referral_id)->required();
                                 s->add_option("--session", c.session_on)->required();
                                 auto absent = std::make_shared<bool>(false);
                                 s->add_flag("--absent", *absent, "The client did not attend");
                                 s->add_option("--note", c.note);
                                 finish = [absent](RecordAttendance& c) { c.attended = !*absent; };
                               });
  AddCommand<EndReferral>(
      referral, ctx, "end", "End a referral", [](CLI::App* s, EndReferral& c, auto& finish) {
        s->add_option("--referral", c.referral_id)->required();
        s->add_option("--ended", c.ended_on);
        auto st = Str();
        AddEnumOption<ReferralStatus>(s, "--status", *st, "completed, dropped_out, cancelled")
            ->required();
        finish = [st](EndReferral& c) { c.status = EnumOr(*st, ReferralStatus::kCompleted); };
      });
}

}  // namespace lietvedis::cli
