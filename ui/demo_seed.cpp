// Demo data for the desktop client: the shared generator in client/demo_data.hpp (the same
// one `lietvedis demo-data` uses), written only through the bootstrap functions and each
// user's own Workspace — the Liepāja unit of the Kurzeme region with its staff and a
// deterministic caseload spread over the three officers.
#include <string>
#include <vector>

#include "client/demo_data.hpp"
#include "ui/session.hpp"

namespace lietvedis::ui {

using namespace lietvedis::client;

Result<void> SeedDemoData(Session& session, int cases, std::string_view role) {
  if (!session.IsOpen()) return MakeError(Errc::kLocked, "demo: the store is locked");
  storage::Database& db = *session.db();
  sync::Replica& replica = *session.replica();
  LV_ASSIGN(DemoOrg org, BootstrapDemoOrg(db, replica));

  // Each officer writes their own caseload; the first one also convenes the MAPPA meetings.
  std::vector<std::vector<std::string>> by_officer;
  const int officers = static_cast<int>(org.officers.size());
  for (int o = 0; o < officers; ++o) {
    LV_ASSIGN(auto ws, Workspace::Open(db, replica, org.officers[static_cast<size_t>(o)]));
    DemoOptions options;
    options.cases = cases / officers + (o < cases % officers ? 1 : 0);
    options.seed = static_cast<std::uint64_t>(o + 1);
    options.mappa_meetings = o == 0 ? 3 : 0;
    LV_ASSIGN(DemoCaseload caseload, SeedDemoCaseload(*ws, options));
    by_officer.push_back(std::move(caseload.case_ids));
  }
  // The coordinator's mentors go to clients of every officer (interleaved).
  std::vector<std::string> case_ids;
  for (size_t i = 0;; ++i) {
    bool any = false;
    for (const auto& ids : by_officer) {
      if (i < ids.size()) {
        case_ids.push_back(ids[i]);
        any = true;
      }
    }
    if (!any) break;
  }
  {
    LV_ASSIGN(auto coordinator, Workspace::Open(db, replica, org.coordinator));
    LV_TRY(SeedDemoVolunteers(*coordinator, case_ids, DemoOptions{}));
  }

  LV_ASSIGN(auto profile, LoadProfile(session.dir()));
  profile.demo_users = DemoUsersByRole(org);
  const std::string key(role);
  const std::string who = profile.demo_users.count(key) ? profile.demo_users[key] : org.officers[0];
  profile.user_id = who;
  LV_TRY(SaveProfile(session.dir(), profile));
  return session.SignIn(who);
}

}  // namespace lietvedis::ui
