// lietvedis-desktop: the probation officer's desktop client (Dear ImGui + GLFW + OpenGL 3.3).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "ui/app.hpp"
#include "ui/i18n.hpp"

int main(int argc, char** argv) {
  // A peer that closes its connection while TLS writes to it must fail that write, not end
  // the process: OpenSSL writes through the socket without MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  lietvedis::ui::AppOptions o;
  std::string lang = "lv";
  CLI::App cli{"lietvedis-desktop: encrypted probation case files"};
  cli.add_option("--data", o.data_dir, "data directory (the encrypted store and device.json)");
  cli.add_option("--server", o.server_url, "central store URL");
  cli.add_option("--screenshot", o.screenshot,
                 "save a PNG of the window after --after-frames frames and exit");
  cli.add_option("--after-frames", o.after_frames, "frames to draw before --screenshot");
  cli.add_option("--script", o.script, "run a scripted-input file (docs/UI.md) and exit");
  cli.add_option("--result-json", o.result_json, "test mode: write a JSON summary here at exit");
  cli.add_option("--passphrase", o.passphrase, "unlock without typing (tests and demo only)");
  std::string passphrase_file;
  cli.add_option("--passphrase-file", passphrase_file,
                 "unlock with the first line of this file (demo)")
      ->check(CLI::ExistingFile);
  cli.add_option("--sync-interval", o.sync_interval_s,
                 "seconds between background syncs of an enrolled device")
      ->check(CLI::Range(1, 86400));
  cli.add_flag("--demo", o.demo, "create the store with demo data when it does not exist");
  cli.add_option("--demo-cases", o.demo_cases, "number of demo cases")
      ->check(CLI::Range(1, 100000));
  cli.add_option("--as", o.role,
                 "demo user: officer, officer_2, supervisor, volunteer_coordinator");
  cli.add_option("--page", o.page,
                 "start page: caseload agenda volunteers cards dashboard mappa sync");
  cli.add_option("--auto-lock-minutes", o.auto_lock_minutes,
                 "lock after this long without input (0: never)");
  cli.add_option("--lang", lang, "lv or en")->check(CLI::IsMember({"lv", "en"}));
  cli.add_option("--width", o.width, "window width")->check(CLI::Range(640, 8192));
  cli.add_option("--height", o.height, "window height")->check(CLI::Range(480, 8192));
  CLI11_PARSE(cli, argc, argv);
  if (!passphrase_file.empty()) {
    std::ifstream in(passphrase_file);
    if (!std::getline(in, o.passphrase)) {
      std::fprintf(stderr, "lietvedis-desktop: --passphrase-file: cannot read a line\n");
      return 2;
    }
    if (!o.passphrase.empty() && o.passphrase.back() == '\r') o.passphrase.pop_back();
  }
  // Tests and the demo: the interactive Argon2id cost for new stores, as the CLI does.
  if (const char* fast = std::getenv("LIETVEDIS_FAST_KDF");
      fast != nullptr && std::string(fast) == "1")
    o.fast_kdf = true;
  lietvedis::ui::SetLanguage(lang == "en" ? lietvedis::ui::Lang::kEn : lietvedis::ui::Lang::kLv);
  lietvedis::ui::App app(std::move(o));
  return app.Run();
}
