#include "ui/app.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "ui/draw_util.hpp"
#include "ui/i18n.hpp"
#include "ui/screenshot.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace lietvedis::ui {

namespace {

// CPU time consumed by the calling thread, in milliseconds.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

using Clock = std::chrono::steady_clock;

App::App(AppOptions options)
    : options_(std::move(options)), session_(std::make_unique<Session>()) {}

App::~App() = default;

void App::Post(std::string label, Job job) {
  Session* session = session_.get();
  tasks_.Post(std::move(label), [session, job = std::move(job)]() { return job(*session); });
}

std::string App::ErrorText(const Error& error) const {
  switch (error.code) {
    case Errc::kWrongPassphrase:
      return Tr(S::kWrongPassphrase);
    case Errc::kNotPermitted:
      return Tr(S::kNotPermitted);
    case Errc::kBusy:
      return Tr(S::kBusyDb);
    case Errc::kNotFound:
      return Tr(S::kNotFound);
    case Errc::kValidation: {
      const FieldError fe = ToFieldError(error);
      return fe.field.empty() ? fe.message : ColumnLabel(fe.field) + ": " + fe.message;
    }
    default:
      return std::string(Tr(S::kErrorPrefix)) + ": " + error.message;
  }
}

void App::ShowError(const Error& error) {
  toast_ = ErrorText(error);
  toast_at_ = Clock::now();
}

// ---------------------------------------------------------------------------------------
// Startup, unlock, enrolment

void App::Start() {
  const bool exists = Session::StoreExists(options_.data_dir);
  if (auto profile = LoadProfile(options_.data_dir); profile.ok()) profile_ = profile.value();
  unlock_.server_url =
      options_.server_url.empty() && profile_ ? profile_->server_url : options_.server_url;
  if (!exists && options_.demo) {
    // Demo: create the store and fill it without asking (the passphrase is the demo's).
    unlock_.working = true;
    screen_ = Screen::kStarting;
    const std::string dir = options_.data_dir;
    const std::string pass = options_.passphrase.empty() ? "demo-parole-2026" : options_.passphrase;
    const int cases = options_.demo_cases;
    const std::string role = options_.role;
    Post("demo", [this, dir, pass, cases, role](Session& s) -> TaskQueue::Completion {
      auto created = s.Create(dir, pass, /*fast_kdf=*/true);
      Result<void> seeded =
          created.ok() ? SeedDemoData(s, cases, role) : Result<void>(created.error());
      std::string key = created.ok() ? created.value() : std::string();
      return [this, seeded, key]() {
        unlock_.working = false;
        if (!seeded.ok()) {
          unlock_.error = ErrorText(seeded.error());
          screen_ = Screen::kUnlock;
          return;
        }
        if (auto profile = LoadProfile(options_.data_dir); profile.ok()) profile_ = profile.value();
        AfterSignIn();
      };
    });
    return;
  }
  screen_ = exists ? Screen::kUnlock : Screen::kEnrol;
  if (exists && !options_.passphrase.empty()) {
    unlock_.passphrase = options_.passphrase;
    SubmitUnlock();
  }
}

void App::SubmitUnlock() {
  if (unlock_.working) return;
  unlock_.error.clear();
  unlock_.working = true;
  std::string pass = unlock_.passphrase;
  std::fill(unlock_.passphrase.begin(), unlock_.passphrase.end(), '\0');
  unlock_.passphrase.clear();
  const std::string dir = options_.data_dir;
  const bool fast_kdf = options_.fast_kdf;
  Post("unlock", [this, dir, pass, fast_kdf](Session& s) mutable -> TaskQueue::Completion {
    auto opened = s.Open(dir, pass, fast_kdf);
    std::fill(pass.begin(), pass.end(), '\0');
    const std::string enrolled_user = opened.ok() ? s.EnrolledUserId() : std::string();
    return [this, opened, enrolled_user]() {
      unlock_.working = false;
      if (!opened.ok()) {
        unlock_.error = ErrorText(opened.error());
        return;
      }
      unlock_.auto_locked = false;
      if (!enrolled_user.empty()) {  // an enrolled device: its user, from the server
        enrolled_user_ = enrolled_user;
        SignIn(enrolled_user);
        return;
      }
      if (auto profile = LoadProfile(options_.data_dir); profile.ok()) profile_ = profile.value();
      std::string user = profile_ ? profile_->user_id : std::string();
      if (profile_ && profile_->demo_users.count(options_.role))
        user = profile_->demo_users[options_.role];
      if (user.empty()) {
        screen_ = Screen::kChooseUser;
        return;
      }
      SignIn(user);
    };
  });
}

void App::SubmitEnrol() {
  if (unlock_.working) return;
  unlock_.error.clear();
  auto trim = [](std::string text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    const auto last = text.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  };
  const std::string code = trim(unlock_.enrolment_code);
  if (code.empty()) {
    unlock_.error = Tr(S::kCodeMissing);
    return;
  }
  auto wipe_both = [this] {
    std::fill(unlock_.passphrase.begin(), unlock_.passphrase.end(), '\0');
    std::fill(unlock_.passphrase_repeat.begin(), unlock_.passphrase_repeat.end(), '\0');
    unlock_.passphrase.clear();
    unlock_.passphrase_repeat.clear();
  };
  if (unlock_.passphrase.size() < 10) {
    unlock_.error = Tr(S::kPassphraseShort);
    wipe_both();
    return;
  }
  if (unlock_.passphrase != unlock_.passphrase_repeat) {
    unlock_.error = Tr(S::kPassphraseMismatch);
    wipe_both();  // both are typed again
    return;
  }
  unlock_.working = true;
  std::string pass = unlock_.passphrase;
  wipe_both();
  const std::string dir = options_.data_dir;
  std::string name = trim(unlock_.device_name);
  if (name.empty()) name = Tr(S::kDefaultDeviceName);
  const bool fast_kdf = options_.fast_kdf;
  // Device::Enrol on the worker: Argon2id, the enrolment request and the first sync.
  Post("enrol",
       [this, dir, pass, code, name, fast_kdf](Session& s) mutable -> TaskQueue::Completion {
         auto enrolled = s.Enrol(dir, pass, code, name, fast_kdf);
         std::fill(pass.begin(), pass.end(), '\0');
         return [this, enrolled]() mutable {
           unlock_.working = false;
           if (!enrolled.ok()) {
             const Error& e = enrolled.error();
             unlock_.error = e.code == Errc::kValidation &&
                                     e.message.find("data directory") == std::string::npos
                                 ? std::string(Tr(S::kCodeInvalid))
                             : e.code == Errc::kNetwork      ? std::string(Tr(S::kErrNetwork))
                             : e.code == Errc::kNotPermitted ? std::string(Tr(S::kErrRefused))
                             : e.code == Errc::kTampered     ? std::string(Tr(S::kErrCertificate))
                             : e.code == Errc::kProtocol     ? std::string(Tr(S::kCodeInvalid))
                                                             : ErrorText(e);
             return;
           }
           recovery_key_ = enrolled.value().recovery_key;
           enrolled_user_ = enrolled.value().user_id;
           std::fill(enrolled.value().recovery_key.begin(), enrolled.value().recovery_key.end(),
                     '\0');
           if (enrolled.value().first_sync_error) {
             toast_ = Tr(S::kFirstSyncFailed);
             toast_at_ = Clock::now();
           }
           unlock_.enrolment_code.clear();
           screen_ = recovery_key_.empty() ? Screen::kChooseUser : Screen::kRecoveryKit;
           if (recovery_key_.empty() && !enrolled_user_.empty()) SignIn(enrolled_user_);
         };
       });
}

void App::SignIn(const std::string& user_id) {
  unlock_.working = true;
  Post("sign-in", [this, user_id](Session& s) -> TaskQueue::Completion {
    auto r = s.SignIn(user_id);
    return [this, r]() {
      unlock_.working = false;
      if (!r.ok()) {
        unlock_.error = ErrorText(r.error());
        screen_ = Screen::kChooseUser;
        return;
      }
      AfterSignIn();
    };
  });
}

void App::AfterSignIn() {
  screen_ = Screen::kMain;
  last_input_ = Clock::now();
  next_sync_ = Clock::now();  // an enrolled device syncs once right after sign-in
  RefreshSession();
}

void App::LockNow(bool automatic) {
  Post("lock", [](Session& s) -> TaskQueue::Completion {
    s.Lock();
    return {};
  });
  session_view_.reset();
  caseload_.reset();
  case_files_.clear();
  agenda_.reset();
  volunteers_.reset();
  mentoring_.reset();
  dashboard_.reset();
  mappa_.reset();
  sync_.reset();
  enrolled_user_.clear();
  case_state_ = CaseFileViewState{};
  mappa_state_ = MappaViewState{};  // its forms hold typed minutes
  caseload_state_ = CaseloadViewState{};
  sync_state_ = SyncViewState{};  // its label texts hold client names
  volunteers_state_ = VolunteersViewState{};
  register_form_ = RegisterClientForm{};
  export_ = ExportDialog{};  // the dialog and its paths go with the session
  unlock_ = UnlockViewState{};
  unlock_.auto_locked = automatic;
  screen_ = Screen::kUnlock;
}

// ---------------------------------------------------------------------------------------
// Refresh jobs: each one queries on the worker and swaps one snapshot on the main thread.

void App::RefreshSession() {
  const bool encrypted = Session::Encrypted();
  Post("session", [this, encrypted](Session& s) -> TaskQueue::Completion {
    auto view = std::make_shared<SessionView>();
    client::Workspace* ws = s.workspace();
    if (ws == nullptr) return {};
    view->actor = ws->actor();
    view->today = ws->Today();
    view->encrypted = encrypted;
    if (auto users = ws->Users(); users.ok()) view->users = users.value();
    if (auto programmes = ws->Programmes(); programmes.ok()) view->programmes = programmes.value();
    if (auto units = ws->Units(); units.ok()) {
      view->units = units.value();
      for (const auto& u : units.value()) {
        if (u.id == view->actor.unit_id) view->unit_name = u.name;
      }
    }
    std::shared_ptr<const SessionView> snap = view;
    return [this, snap]() {
      session_view_ = snap;
      const client::Role role = snap->actor.role;
      // Each role starts where its work is (the coordinator on her agenda: the sessions
      // waiting for her sign-off); an administrator reads no caseload.
      Page start = role == client::Role::kVolunteerCoordinator ? Page::kAgenda
                   : role == client::Role::kSupervisor         ? Page::kDashboard
                   : role == client::Role::kAdministrator      ? Page::kAdmin
                                                               : Page::kCaseload;
      static const std::pair<const char*, Page> kPages[] = {
          {"caseload", Page::kCaseload}, {"agenda", Page::kAgenda},
          {"casefile", Page::kCaseFile}, {"volunteers", Page::kVolunteers},
          {"cards", Page::kCards},       {"dashboard", Page::kDashboard},
          {"mappa", Page::kMappa},       {"sync", Page::kSync},
          {"admin", Page::kAdmin}};
      for (const auto& [name, page] : kPages) {
        if (options_.page == name) start = page;
      }
      page_ = start;
      RefreshCaseload();
      RefreshPage(page_);
      RefreshSync();  // the status bar shows pending changes on every page
      if (page_ == Page::kCaseFile) case_state_.select_tab = "overview";
    };
  });
}

void App::RefreshPage(Page page) {
  switch (page) {
    case Page::kCaseload:
      RefreshCaseload();
      break;
    case Page::kAgenda:
      RefreshAgenda();
      break;
    case Page::kCaseFile:
      for (const auto& id : case_state_.open_cases) RefreshCaseFile(id);
      break;
    case Page::kVolunteers:
    case Page::kCards:
      RefreshVolunteers();
      break;
    case Page::kDashboard:
      RefreshDashboard();
      break;
    case Page::kMappa:
      RefreshMappa();
      break;
    case Page::kSync:
      RefreshSync();
      break;
    case Page::kAdmin:
      RefreshAdmin();
      break;
  }
}

// Only officers and supervisors hold caseloads and agendas (a coordinator or an administrator
// would be refused).
static bool ReadsCaseload(client::Role role) {
  return role == client::Role::kOfficer || role == client::Role::kSupervisor;
}

void App::RefreshCaseload() {
  if (!session_view_ || !ReadsCaseload(session_view_->actor.role)) return;
  if (caseload_state_.query_pending) {
    caseload_state_.query_dirty = true;  // coalesce: one more query after the running one
    return;
  }
  caseload_state_.query_pending = true;
  caseload_state_.query_dirty = false;
  client::CaseloadFilter filter;
  filter.search = caseload_state_.search;
  filter.officer_id = caseload_state_.officer_id;
  filter.overdue_only = caseload_state_.overdue_only;
  if (caseload_state_.risk >= 1 && caseload_state_.risk <= 4) {
    filter.risk_level = static_cast<client::RiskLevel>(caseload_state_.risk - 1);
  }
  if (caseload_state_.kind >= 1)
    filter.kind = static_cast<client::CaseKind>(caseload_state_.kind - 1);
  // A figure's cases: open or closed (a period's measures count closed cases too).
  std::optional<std::set<std::string>> only;
  if (caseload_state_.only_cases) {
    filter.status = std::nullopt;
    only.emplace(caseload_state_.only_cases->begin(), caseload_state_.only_cases->end());
  }
  const std::uint64_t generation = caseload_ ? caseload_->generation + 1 : 1;
  const bool not_assessed_only = caseload_state_.risk == 5;
  Post("caseload",
       [this, filter, generation, not_assessed_only,
        only = std::move(only)](Session& s) -> TaskQueue::Completion {
         client::Workspace* ws = s.workspace();
         if (ws == nullptr) return [this]() { caseload_state_.query_pending = false; };
         auto rows = ws->Caseload(filter);
         if (!rows.ok()) {
           Error e = rows.error();
           return [this, e]() {
             caseload_state_.query_pending = false;
             ShowError(e);
           };
         }
         auto view = std::make_shared<CaseloadView>();
         view->filter = filter;
         view->generation = generation;
         for (auto& row : rows.value()) {
           if (not_assessed_only && row.risk_level) continue;
           if (only && only->count(row.case_id) == 0) continue;
           view->sort_keys.push_back(client::LatvianSortKey(row.surname + " " + row.name));
           view->rows.push_back(std::move(row));
         }
         if (auto covered = ws->CoveredCases(); covered.ok()) view->covered = std::move(*covered);
         {
           client::CaseloadFilter closed;
           closed.status = client::CaseStatus::kClosed;
           closed.search = filter.search;
           closed.officer_id = filter.officer_id;
           if (auto rows = ws->Caseload(closed); rows.ok()) {
             for (auto& row : *rows) {
               if (row.sealed) view->sealed.push_back(std::move(row));
             }
           }
         }
         std::shared_ptr<const CaseloadView> snap = view;
         return [this, snap]() {
           caseload_ = snap;
           caseload_state_.query_pending = false;
           if (caseload_state_.query_dirty) RefreshCaseload();
         };
       });
}

void App::RefreshCaseFile(const std::string& case_id) {
  Post("case-file", [this, case_id](Session& s) -> TaskQueue::Completion {
    client::Workspace* ws = s.workspace();
    if (ws == nullptr) return {};
    auto file = ws->CaseFile(case_id);
    if (!file.ok()) {
      Error e = file.error();
      return [this, e]() { ShowError(e); };
    }
    auto snap = std::make_shared<CaseFileSnapshot>();
    snap->file = std::move(file).value();
    if (auto m = ws->Mentoring(case_id); m.ok()) snap->mentoring = std::move(m).value();
    if (auto meetings = ws->MappaMeetings(); meetings.ok()) {
      for (auto& meeting : meetings.value()) {
        if (meeting.case_ids.find(case_id) != std::string::npos)
          snap->meetings.push_back(std::move(meeting));
      }
    }
    // After CaseFile, whose read is the audited one (the history itself is not audited).
    if (auto h = ws->CaseHistory(case_id); h.ok()) {
      snap->history = std::move(h).value();
      for (const auto& e : snap->history.entries) {
        if (std::find(snap->history_kinds.begin(), snap->history_kinds.end(), e.table) ==
            snap->history_kinds.end())
          snap->history_kinds.push_back(e.table);
      }
    }
    // The header: this case's caseload row (found by the personal code, any status) and its
    // contact due from the agenda. Roles without a caseload get neither.
    client::CaseloadFilter filter;
    filter.status = std::nullopt;
    filter.search = snap->file.client.personal_code;
    if (auto rows = ws->Caseload(filter); rows.ok()) {
      for (auto& row : rows.value()) {
        if (row.case_id == case_id) snap->row = std::move(row);
      }
    }
    if (s.db() != nullptr && snap->file.case_record.status == client::CaseStatus::kOpen) {
      if (auto agenda = client::BuildAgenda(*ws, *s.db()); agenda.ok()) {
        for (auto& item : agenda.value().items) {
          if (item.case_id == case_id && item.kind == client::AgendaKind::kContactDue)
            snap->contact_due = std::move(item);
        }
      }
    }
    std::shared_ptr<const CaseFileSnapshot> done = snap;
    return [this, case_id, done]() { case_files_[case_id] = done; };
  });
}

void App::RefreshAgenda() {
  // A coordinator's agenda is her sign-off backlog (client/agenda.hpp: mentoring_signoff).
  if (!session_view_ || (!ReadsCaseload(session_view_->actor.role) &&
                         session_view_->actor.role != client::Role::kVolunteerCoordinator))
    return;
  Post("agenda", [this](Session& s) -> TaskQueue::Completion {
    client::Workspace* ws = s.workspace();
    if (ws == nullptr || s.db() == nullptr) return {};
    auto agenda = client::BuildAgenda(*ws, *s.db());
    if (!agenda.ok()) {
      Error e = agenda.error();
      return [this, e]() { ShowError(e); };
    }
    auto view = std::make_shared<AgendaView>();
    view->agenda = std::move(agenda).value();
    for (std::size_t i = 0; i < view->agenda.items.size(); ++i) {
      view->by_bucket[static_cast<std::size_t>(view->agenda.items[i].bucket)].push_back(i);
    }
    std::shared_ptr<const AgendaView> snap = view;
    return [this, snap]() { agenda_ = snap; };
  });
}

void App::RefreshVolunteers() {
  Post("volunteers", [this](Session& s) -> TaskQueue::Completion {
    client::Workspace* ws = s.workspace();
    if (ws == nullptr) return {};
    auto view = std::make_shared<VolunteersView>();
    auto reg = ws->VolunteerRegister();
    if (reg.ok()) view->reg = std::move(reg).value();
    auto cards = ws->ClientCards();
    if (cards.ok()) view->cards = std::move(cards).value();
    if (!reg.ok() && !cards.ok()) {
      Error e = reg.error();
      return [this, e]() { ShowError(e); };
    }
    std::shared_ptr<const VolunteersView> snap = view;
    return [this, snap]() { volunteers_ = snap; };
  });
}

void App::RefreshMentoring(const std::string& case_id) {
  Post("mentoring", [this, case_id](Session& s) -> TaskQueue::Completion {
    client::Workspace* ws = s.workspace();
    if (ws == nullptr) return {};
    auto m = ws->Mentoring(case_id);
    if (!m.ok()) {
      Error e = m.error();
      return [this, e]() { ShowError(e); };
    }
    std::shared_ptr<const client::MentoringView> snap =
        std::make_shared<client::MentoringView>(std::move(m).value());
    return [this, snap]() { mentoring_ = snap; };
  });
}

void App::RefreshDashboard() {
  const int wanted_year = dashboard_state_.year;
  Post("dashboard", [this, wanted_year](Session& s) -> TaskQueue::Completion {
    client::Workspace* ws = s.workspace();
    if (ws == nullptr || s.db() == nullptr) return {};
    const int year = wanted_year > 0 ? wanted_year : std::stoi(ws->Today().substr(0, 4));
    auto indicators = client::ComputeIndicators(*ws, *s.db(), year);
    if (!indicators.ok()) {
      Error e = indicators.error();
      return [this, e]() { ShowError(e); };
    }
    auto view = std::make_shared<DashboardView>();
    view->indicators = std::move(indicators).value();
    if (auto rows = ws->Caseload({}); rows.ok()) {
      std::map<std::string, int> per_month;
      for (const auto& row : rows.value()) {
        if (row.opened_on.size() >= 7) ++per_month[row.opened_on.substr(0, 7)];
      }
      for (auto& [month, n] : per_month) view->opened_per_month.emplace_back(month, n);
      if (view->opened_per_month.size() > 12) {
        view->opened_per_month.erase(view->opened_per_month.begin(),
                                     view->opened_per_month.end() - 12);
      }
    }
    if (ws->actor().role ==
        client::Role::kSupervisor) {  // unit settings (ui/form_unit_settings.cpp)
      if (auto settings = ReadUnitSettings(*ws); settings.ok()) view->unit_settings = *settings;
    }
    std::shared_ptr<const DashboardView> snap = view;
    return [this, snap]() {
      dashboard_ = snap;
      dashboard_state_.year = snap->indicators.year;
      // A drill-down in the caseload follows the dashboard to the same figure of its year and
      // of the data as now stored.
      CaseloadViewState& st = caseload_state_;
      if (st.only_cases && st.only_figure != IndicatorDrill::kNone) {
        const auto& cases = DrillCases(snap->indicators.cases, st.only_figure);
        if (st.only_year != snap->indicators.year || *st.only_cases != cases) {
          st.only_cases = cases;
          st.only_year = snap->indicators.year;
          RefreshCaseload();
        }
      }
    };
  });
}

void App::RefreshMappa() {
  Post("mappa", [this](Session& s) -> TaskQueue::Completion {
    client::Workspace* ws = s.workspace();
    if (ws == nullptr) return {};
    auto meetings = ws->MappaMeetings();
    if (!meetings.ok()) {
      Error e = meetings.error();
      return [this, e]() { ShowError(e); };
    }
    auto view = std::make_shared<MappaView>();
    view->meetings = std::move(meetings).value();
    // What the meetings' agency packs handed on, in one read.
    auto logs = ws->MappaDisclosureLogs();
    if (!logs.ok()) {
      Error e = logs.error();
      return [this, e]() { ShowError(e); };
    }
    view->disclosure_logs = std::move(logs).value();
    auto corrections = ws->MappaMinutesCorrections();
    if (!corrections.ok()) {
      Error e = corrections.error();
      return [this, e]() { ShowError(e); };
    }
    view->corrections = std::move(corrections).value();
    std::shared_ptr<const MappaView> snap = view;
    return [this, snap]() { mappa_ = snap; };
  });
}

void App::RefreshSync() {
  const bool with_labels = page_ == Page::kSync;
  Post("sync-status", [this, with_labels](Session& s) -> TaskQueue::Completion {
    std::shared_ptr<const SyncView> snap = MakeSyncView(s, with_labels);
    return [this, snap]() { sync_ = snap; };
  });
}

void App::RefreshVisible() {
  RefreshSession();  // the directory may have brought users or units
  for (const auto& id : case_state_.open_cases) RefreshCaseFile(id);
  // A drill-down lists a figure's cases as the dashboard last computed them: recompute, so
  // that the list follows what the sync brought (RefreshDashboard re-points it).
  if (caseload_state_.only_cases) RefreshDashboard();
}

void App::PostSync() {
  if (sync_queued_) return;
  sync_queued_ = true;
  sync_phase_.store(static_cast<int>(sync::SyncPhase::kSession));
  sync_done_.store(0);
  sync_total_.store(0);
  if (!sync_window_) sync_frames_.emplace_back();
  sync_window_ = true;
  sync_posted_at_ = Clock::now();
  const bool with_labels = page_ == Page::kSync;
  Post("sync", [this, with_labels](Session& s) -> TaskQueue::Completion {
    // The callback runs on this worker thread and only stores atomics the frames read.
    auto report = s.SyncOnce([this](sync::SyncPhase phase, std::int64_t done, std::int64_t total) {
      sync_phase_.store(static_cast<int>(phase));
      sync_done_.store(done);
      sync_total_.store(total);
    });
    const bool applied =
        report.ok() && (report.value().applied_changes > 0 || report.value().new_conflicts > 0);
    std::shared_ptr<const SyncView> snap = MakeSyncView(s, with_labels);
    const std::int64_t applied_changes = report.ok() ? report.value().applied_changes : 0;
    return [this, snap, applied, applied_changes, ok = report.ok()]() {
      if (!sync_frames_.empty()) {
        SyncFrames& f = sync_frames_.back();
        f.wall_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - sync_posted_at_).count();
        f.ok = ok;
        f.applied_changes = applied_changes;
      }
      sync_ = snap;
      sync_queued_ = false;
      sync_phase_.store(-1);
      next_sync_ = Clock::now() + std::chrono::seconds(options_.sync_interval_s);
      if (applied) RefreshVisible();
    };
  });
}

void App::ResolveConflict(const std::string& conflict_id, storage::Value chosen) {
  Post("resolve",
       [this, conflict_id, chosen = std::move(chosen)](Session& s) -> TaskQueue::Completion {
         auto resolved = s.ResolveConflict(conflict_id, chosen);
         std::shared_ptr<const SyncView> snap = MakeSyncView(s, /*with_labels=*/true);
         return [this, resolved, snap]() {
           sync_ = snap;
           if (!resolved.ok()) {
             ShowError(resolved.error());
             return;
           }
           toast_ = Tr(S::kConflictResolved);
           toast_at_ = Clock::now();
           RefreshVisible();
         };
       });
}

void App::Execute(client::Command command, std::function<void(const Result<std::string>&)> done) {
  std::vector<std::string> open_cases = case_state_.open_cases;
  const Page page = page_;
  Post("save",
       [this, command = std::move(command), done = std::move(done), open_cases,
        page](Session& s) -> TaskQueue::Completion {
         client::Workspace* ws = s.workspace();
         Result<std::string> result =
             ws == nullptr ? Result<std::string>(MakeError(Errc::kLocked, "the store is locked"))
                           : ws->Execute(command);
         return [this, result, done, open_cases, page]() {
           if (done) done(result);
           if (result.ok()) {
             toast_ = Tr(S::kSaved);
             toast_at_ = Clock::now();
             RefreshCaseload();
             for (const auto& id : open_cases) RefreshCaseFile(id);
             if (page != Page::kCaseload && page != Page::kCaseFile) RefreshPage(page);
             RefreshSync();
           }
         };
       });
}

void App::OpenCase(const std::string& case_id) {
  if (std::find(case_state_.open_cases.begin(), case_state_.open_cases.end(), case_id) ==
      case_state_.open_cases.end()) {
    case_state_.open_cases.push_back(case_id);
  }
  case_state_.active_case = case_id;
  page_ = Page::kCaseFile;
  RefreshCaseFile(case_id);
}

// ---------------------------------------------------------------------------------------
// Window loop

void App::WriteResultJson(int exit_code) {
  if (options_.result_json.empty()) return;
  nlohmann::json j;
  j["exit_code"] = exit_code;
  j["script_error"] = script_error_;
  j["frames"] = frame_;
  j["screen"] = static_cast<int>(screen_);
  j["cases_shown"] = caseload_ ? caseload_->rows.size() : 0;
  // Frame figures: wall time and the frame thread's CPU time; peak resident memory of the
  // process (ru_maxrss, KiB on Linux). Read by tests/ui/caseload_frame_bench.cpp.
  auto stats = [&j](const char* prefix, std::vector<float> v) {
    if (v.empty()) return;
    std::sort(v.begin(), v.end());
    const std::string p = prefix;
    j[p + "_median"] = v[v.size() / 2];
    j[p + "_p95"] = v[v.size() * 95 / 100];
    j[p + "_p99"] = v[v.size() * 99 / 100];
    j[p + "_max"] = v.back();
  };
  stats("frame_ms", frame_ms_);
  stats("frame_cpu_ms", frame_cpu_ms_);
  // The frames since the script's last `measure` (all frames without one): how many, and their
  // wall time together (tests/ui/casefile_frame_bench.cpp: click to the expected text).
  j["measured_frames"] = frame_ms_.size();
  j["measured_wall_ms"] = std::accumulate(frame_ms_.begin(), frame_ms_.end(), 0.0);
  // Each sync's window (tests/ui/sync_frame_bench.cpp): its wall time and its frames' CPU time.
  j["syncs"] = nlohmann::json::array();
  for (const SyncFrames& f : sync_frames_) {
    std::vector<float> v = f.frame_cpu_ms;
    std::sort(v.begin(), v.end());
    nlohmann::json one = {{"wall_ms", f.wall_ms},
                          {"ok", f.ok},
                          {"applied_changes", f.applied_changes},
                          {"frames", v.size()}};
    if (!v.empty()) {
      one["frame_cpu_ms_median"] = v[v.size() / 2];
      one["frame_cpu_ms_p99"] = v[v.size() * 99 / 100];
      one["frame_cpu_ms_max"] = v.back();
    }
    j["syncs"].push_back(std::move(one));
  }
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) j["peak_rss_kib"] = usage.ru_maxrss;
  std::ofstream out(options_.result_json, std::ios::trunc);
  out << j.dump(2) << "\n";
}

namespace {

// GLFW's words for the last failure (e.g. "X11: Failed to open display :99"), for the message.
std::string g_glfw_error;
void KeepGlfwError(int /*code*/, const char* description) {
  g_glfw_error = description != nullptr ? description : "";
}

}  // namespace

int App::Run() {
  glfwSetErrorCallback(KeepGlfwError);
  // A display that is just starting (a session's X server, Xvfb under a loaded machine) may
  // refuse the first connection: three tries, a quarter second apart.
  bool up = false;
  for (int attempt = 0; attempt < 3 && !up; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    up = glfwInit() == GLFW_TRUE;
  }
  if (!up) {
    std::fprintf(stderr, "lietvedis-desktop: no display (GLFW could not initialise: %s)\n",
                 g_glfw_error.empty() ? "no reason given" : g_glfw_error.c_str());
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  window_ = glfwCreateWindow(options_.width, options_.height, "Lietvedis", nullptr, nullptr);
  if (window_ == nullptr) {
    std::fprintf(stderr, "lietvedis-desktop: could not create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(options_.script.empty() && options_.screenshot.empty() ? 1 : 0);
  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window_, &xs, &ys);
  scale_ = std::max(1.0f, std::min(3.0f, xs));

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // window layout is fixed; nothing about cases is written to disk
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  auto fonts = LoadFonts(*io.Fonts, scale_);
  if (!fonts.ok()) {
    std::fprintf(stderr, "lietvedis-desktop: %s\n", fonts.error().message.c_str());
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
    return 1;
  }
  fonts_ = fonts.value();
  ApplyTheme(scale_);
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330");

  int rc = 0;
  if (!options_.script.empty()) {
    std::ifstream in(options_.script);
    std::stringstream text;
    text << in.rdbuf();
    auto steps = in ? ParseScript(text.str())
                    : Result<std::vector<ScriptStep>>(
                          MakeError(Errc::kIo, "cannot read " + options_.script));
    if (!steps.ok()) {
      std::fprintf(stderr, "lietvedis-desktop: %s\n", steps.error().message.c_str());
      script_error_ = steps.error().message;
      rc = 2;
    } else {
      ScriptPlayer::Hooks hooks;
      hooks.busy = [this] { return tasks_.Busy(); };
      hooks.screenshot = [this](const std::string& path) {
        int w = 0, h = 0;
        glfwGetFramebufferSize(window_, &w, &h);
        return SaveScreenshot(path, w, h);
      };
      hooks.set_language = [](std::string_view lang) {
        SetLanguage(lang == "en" ? Lang::kEn : Lang::kLv);
      };
      hooks.start_measuring = [this] {
        frame_ms_.clear();
        frame_cpu_ms_.clear();
      };
      hooks.syncs_finished = [this] { return syncs_finished_; };
      hooks.screen_problem = [](std::string_view text) -> std::string {
        for (const auto& message : TakeUntranslatedMessages())
          return "validation message without a Latvian wording reached the screen: " + message;
        const auto raw = RawCodesIn(text, Language());
        if (!raw.empty()) return "enum code drawn raw: " + raw.front();
        return {};
      };
      script_ = std::make_unique<ScriptPlayer>(std::move(steps).value(), std::move(hooks));
    }
  }

  if (rc == 0) Start();
  while (rc == 0 && !glfwWindowShouldClose(window_)) {
    glfwPollEvents();
    const auto frame_start = Clock::now();
    const double cpu_start = ThreadCpuMs();
    tasks_.DrainCompletions();
    if (screen_ == Screen::kMain && sync_ && sync_->enrolled && !sync_queued_ &&
        Clock::now() >= next_sync_) {
      PostSync();
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (script_) script_->BeforeNewFrame(io);
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.InputQueueCharacters.Size > 0 ||
        io.MouseDown[0]) {
      last_input_ = Clock::now();
    }
    ImGui::NewFrame();
    Items().BeginFrame();
    const bool capture = script_ && script_->WantsText();
    if (capture) BeginTextCapture();
    DrawFrame();
    const std::string rendered = capture ? EndTextCapture() : std::string();
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    glViewport(0, 0, w, h);
    const ImVec4 clear = ClearColor();
    glClearColor(clear.x, clear.y, clear.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame_;
    frame_ms_.push_back(
        std::chrono::duration<float, std::milli>(Clock::now() - frame_start).count());
    frame_cpu_ms_.push_back(static_cast<float>(ThreadCpuMs() - cpu_start));
    if (sync_window_) {
      sync_frames_.back().frame_cpu_ms.push_back(frame_cpu_ms_.back());
      if (!sync_queued_ && !tasks_.Busy()) {
        sync_window_ = false;
        ++syncs_finished_;
      }
    }
    if (script_) {
      script_->AfterFrame(Items(), rendered);
      if (script_->finished()) {
        if (script_->failed()) {
          script_error_ = script_->error();
          std::fprintf(stderr, "lietvedis-desktop: %s\n", script_error_.c_str());
          rc = 3;
        }
        break;
      }
    } else if (!options_.screenshot.empty() && frame_ >= options_.after_frames && !tasks_.Busy()) {
      auto saved = SaveScreenshot(options_.screenshot, w, h);
      if (!saved.ok()) {
        std::fprintf(stderr, "lietvedis-desktop: %s\n", saved.error().message.c_str());
        rc = 1;
      }
      break;
    }
    // Auto-lock after inactivity (never while a job runs or during a scripted run).
    if (screen_ == Screen::kMain && !script_ && options_.auto_lock_minutes > 0 && !tasks_.Busy()) {
      const auto idle =
          std::chrono::duration<double, std::ratio<60>>(Clock::now() - last_input_).count();
      if (idle >= options_.auto_lock_minutes) LockNow(true);
    }
    glfwSwapBuffers(window_);
  }
  tasks_.WaitIdle();
  WriteResultJson(rc);

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
  return rc;
}

}  // namespace lietvedis::ui
