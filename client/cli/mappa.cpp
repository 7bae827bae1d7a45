// Inter-institutional (MAPPA) meetings: record, amend, sign, list, show.
#include "client/cli/cli.hpp"

namespace lietvedis::cli {

using namespace lietvedis::client;

namespace {

// "INSTITUTION|NAME", "DESCRIPTION|INSTITUTION|DUE", "WHAT|TO_WHOM|LEGAL_BASIS".
std::vector<std::string> SplitBars(const std::string& s, size_t parts) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const auto bar = s.find('|', start);
    out.push_back(s.substr(start, bar == std::string::npos ? bar : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  out.resize(parts);
  return out;
}

struct MappaLists {
  std::vector<std::string> participants, actions, disclosures;
  void Bind(CLI::App* s) {
    s->add_option("--participant", participants, "INSTITUTION|NAME (repeatable)");
    s->add_option("--action", actions, "DESCRIPTION|OWNER_INSTITUTION|DUE dd.mm.yyyy (repeatable)");
    s->add_option("--disclosure", disclosures,
                  "WHAT|TO_WHOM|LEGAL_BASIS[|INSTITUTION] (repeatable); INSTITUTION is the "
                  "recipient's code, else taken from TO_WHOM when it names an institution")
        ->check(CLI::Validator(
            [](std::string& v) -> std::string {
              const auto f = SplitBars(v, 4);
              if (!f[3].empty() && !FromCode<Institution>(f[3])) {
                return "unknown recipient institution code";
              }
              return {};
            },
            "WHAT|TO_WHOM|LEGAL_BASIS[|INSTITUTION]"));
  }
  template <class P, class A, class D>
  void Fill(P& participants_out, A& actions_out, D& disclosures_out) const {
    for (const auto& p : participants) {
      auto f = SplitBars(p, 2);
      participants_out.push_back({EnumOr(f[0], Institution::kOther), f[1]});
    }
    for (const auto& a : actions) {
      auto f = SplitBars(a, 3);
      actions_out.push_back({f[0], EnumOr(f[1], Institution::kVpd), f[2]});
    }
    for (const auto& d : disclosures) {
      auto f = SplitBars(d, 4);
      // An unknown recipient code is kept as the text's own reading (nullopt), never guessed.
      disclosures_out.push_back({f[0], f[1], f[2], EnumOpt<Institution>(f[3])});
    }
  }
};

nlohmann::ordered_json MeetingJson(const MappaMeeting& m) {
  nlohmann::ordered_json j{{"id", m.id},
                           {"unit_id", m.unit_id},
                           {"held_on", m.held_on},
                           {"mode", Code(m.mode)},
                           {"case_ids", m.case_ids},
                           {"risk_decisions", m.risk_decisions},
                           {"victim_decisions", m.victim_decisions},
                           {"signed_at", m.signed_at},
                           {"signed_by", m.signed_by}};
  j["participants"] = nlohmann::ordered_json::array();
  for (const auto& p : m.participants)
    j["participants"].push_back({{"institution", Code(p.institution)}, {"name", p.name}});
  j["actions"] = nlohmann::ordered_json::array();
  for (const auto& a : m.actions) {
    j["actions"].push_back({{"id", a.id},
                            {"description", a.description},
                            {"owner", Code(a.owner)},
                            {"due_on", a.due_on},
                            {"done_on", a.done_on},
                            {"done_note", a.done_note}});
  }
  j["disclosures"] = nlohmann::ordered_json::array();
  for (const auto& d : m.disclosures) {
    j["disclosures"].push_back(
        {{"id", d.id},
         {"what", d.what},
         {"to_whom", d.to_whom},
         {"legal_basis", d.legal_basis},
         {"recipient", d.recipient ? nlohmann::ordered_json(Code(*d.recipient))
                                   : nlohmann::ordered_json(nullptr)}});
  }
  return j;
}

}  // namespace

void AddMappaCommands(CLI::App& app, CliContext& ctx) {
  auto* mappa = app.add_subcommand("mappa", "Inter-institutional (MAPPA) meetings");
  mappa->require_subcommand(1);
  AddCommand<RecordMappaMeeting>(
      mappa, ctx, "record", "Record a meeting in this unit",
      [](CLI::App* s, RecordMappaMeeting& c, auto& finish) {
        s->add_option("--held", c.held_on)->required();
        auto mode = Str();
        AddEnumOption<MeetingMode>(s, "--mode", *mode, "in_person, remote, mixed");
        s->add_option("--case", c.case_ids, "Case discussed (repeatable)")->required();
        s->add_option("--risk-decisions", c.risk_decisions);
        s->add_option("--victim-decisions", c.victim_decisions);
        auto lists = std::make_shared<MappaLists>();
        lists->Bind(s);
        finish = [mode, lists](RecordMappaMeeting& c) {
          c.mode = EnumOr(*mode, MeetingMode::kRemote);
          lists->Fill(c.participants, c.actions, c.disclosures);
        };
      });
  AddCommand<AmendMappaMeeting>(mappa, ctx, "amend", "Amend unsigned minutes",
                                [](CLI::App* s, AmendMappaMeeting& c, auto& finish) {
                                  s->add_option("--meeting", c.meeting_id)->required();
                                  s->add_option("--risk-decisions", c.risk_decisions);
                                  s->add_option("--victim-decisions", c.victim_decisions);
                                  auto lists = std::make_shared<MappaLists>();
                                  lists->Bind(s);
                                  finish = [lists](AmendMappaMeeting& c) {
                                    lists->Fill(c.add_participants, c.add_actions,
                                                c.add_disclosures);
                                  };
                                });
  AddCommand<SignMappaMinutes>(mappa, ctx, "sign", "Sign the minutes (then immutable)",
                               [](CLI::App* s, SignMappaMinutes& c, auto&) {
                                 s->add_option("--meeting", c.meeting_id)->required();
                               });
  AddCommand<CompleteMappaAction>(
      mappa, ctx, "action-done", "Mark an action item done (it leaves the agenda)",
      [](CLI::App* s, CompleteMappaAction& c, auto&) {
        s->add_option("--action", c.action_id, "Action id (mappa show)")->required();
        s->add_option("--on", c.done_on, "dd.mm.yyyy: the day it was done")->required();
        s->add_option("--note", c.note, "What was done");
      });
  auto* list = mappa->add_subcommand("list", "The unit's meetings, newest first");
  list->callback([&ctx] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto meetings, ctx.ws().MappaMeetings());
      if (ctx.json) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const auto& m : meetings) a.push_back(MeetingJson(m));
        ctx.PrintJson(a);
        return Ok();
      }
      std::vector<std::vector<std::string>> rows{{"ID", "HELD", "MODE", "SIGNED"}};
      for (const auto& m : meetings) {
        rows.push_back({m.id, m.held_on, std::string(Code(m.mode)), m.IsSigned() ? "yes" : "no"});
      }
      ctx.PrintTable(rows);
      return Ok();
    });
  });
  auto id = Str();
  auto* show = mappa->add_subcommand("show", "One meeting with its corrections");
  show->add_option("meeting", *id, "Meeting id")->required();
  show->callback([&ctx, id] {
    ctx.Run([&]() -> Result<void> {
      LV_TRY(ctx.Open());
      LV_ASSIGN(auto view, ctx.ws().MappaMeetingDetail(*id));
      auto j = MeetingJson(view.meeting);
      j["corrections"] = nlohmann::ordered_json::array();
      for (const auto& c : view.corrections) {
        j["corrections"].push_back(
            {{"field", c.field}, {"value", c.value}, {"reason", c.reason}, {"at", c.at}});
      }
      j["disclosure_log"] = nlohmann::ordered_json::array();
      for (const auto& e : view.disclosure_log) {
        j["disclosure_log"].push_back({{"id", e.id},
                                       {"disclosure_id", e.disclosure_id},
                                       {"pack_id", e.pack_id},
                                       {"what", e.what},
                                       {"recipient", Code(e.recipient)},
                                       {"to_whom", e.to_whom},
                                       {"legal_basis", e.legal_basis},
                                       {"disclosed_by", e.disclosed_by},
                                       {"disclosed_at", e.disclosed_at}});
      }
      ctx.PrintJson(j);
      return Ok();
    });
  });
}

}  // namespace lietvedis::cli
