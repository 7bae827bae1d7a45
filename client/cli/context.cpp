// CliContext: opening the store for one command, the passphrase sources, the device profile,
// exit codes and output helpers (contract in client/cli.hpp).
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "client/cli/cli.hpp"
#include "client/cli/passphrase.hpp"
#include "client/device.hpp"
#include "client/schema.hpp"
#include "storage/store.hpp"

namespace lietvedis::cli {
namespace fs = std::filesystem;

namespace {
constexpr const char* kProfileFile = client::kLocalProfileFile;

// Display width of a UTF-8 string: one column per code point (Latvian letters are one each).
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string ReadLineNoEcho() {
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  return line;
}
}  // namespace

int ExitCodeFor(const Error& error) {
  switch (error.code) {
    case Errc::kValidation:
      return kExitValidation;
    case Errc::kWrongPassphrase:
    case Errc::kNotPermitted:
      return kExitDenied;
    case Errc::kTampered:
    case Errc::kCorrupt:
      return kExitDamaged;
    default:
      return kExitOther;
  }
}

bool FastKdfRequested() {
  const char* v = std::getenv("LIETVEDIS_FAST_KDF");
  return v != nullptr && std::string_view(v) == "1";
}

CliContext::CliContext() = default;
CliContext::~CliContext() {
  workspace_.reset();
  device_.reset();
  replica_.reset();
  store_.reset();
}

storage::Database& CliContext::db() {
  return device_ ? device_->db() : store_->db();
}
sync::Replica& CliContext::replica() {
  return device_ ? device_->replica() : *replica_;
}
storage::Store& CliContext::store() {
  return device_ ? device_->store() : *store_;
}

namespace {

// The first line of --passphrase-file; kIo when unreadable, kValidation when empty.
Result<std::string> ReadPassphraseFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(Errc::kIo, "passphrase file: cannot read " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty())
    return MakeError(Errc::kValidation, "passphrase: the file's first line is empty");
  return line;
}

}  // namespace

Result<std::string> CliContext::ReadPassphrase(std::string_view prompt, bool confirm) {
  if (!passphrase_file.empty()) return ReadPassphraseFile(passphrase_file);
  if (const char* env = std::getenv("LIETVEDIS_PASSPHRASE"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  return PromptPassphrase(prompt, confirm);
}

Result<std::string> ReadNewPassphrase(const CliContext& ctx, std::string_view prompt) {
  if (!ctx.passphrase_file.empty()) return ReadPassphraseFile(ctx.passphrase_file);
  // The environment is inherited by every child and readable in /proc by the same user, and a
  // variable set for one store silently becomes the next store's passphrase: a new passphrase
  // comes from a file the caller chose or from the person at the terminal.
  const char* env = std::getenv("LIETVEDIS_PASSPHRASE");
  if (env != nullptr && *env != '\0' && !isatty(STDIN_FILENO)) {
    return MakeError(Errc::kValidation,
                     std::string(prompt) +
                         ": LIETVEDIS_PASSPHRASE is not accepted for a new passphrase (it only "
                         "opens an existing store); give --passphrase-file FILE (/dev/stdin "
                         "reads standard input)");
  }
  return CliContext::PromptPassphrase(prompt, /*confirm=*/true);
}

Result<std::string> CliContext::PromptPassphrase(std::string_view prompt, bool confirm) {
  if (!isatty(STDIN_FILENO)) {
    return MakeError(
        Errc::kValidation,
        std::string(prompt) +
            ": give --passphrase-file FILE or, for an existing store, LIETVEDIS_PASSPHRASE "
            "(stdin is not a terminal)");
  }
  std::cerr << prompt << ": " << std::flush;
  std::string first = ReadLineNoEcho();
  if (first.empty()) return MakeError(Errc::kValidation, "passphrase: required");
  if (confirm) {
    std::cerr << "again: " << std::flush;
    if (ReadLineNoEcho() != first)
      return MakeError(Errc::kValidation, "passphrase: the two entries differ");
  }
  return first;
}

Result<void> CliContext::OpenStoreOnly() {
  if (IsOpen()) return Ok();
  if (!storage::Store::Exists(data_dir)) {
    return MakeError(Errc::kNotAStore,
                     "data directory: no store in " + data_dir + " (run `lietvedis init`)");
  }
  LV_ASSIGN(std::string passphrase, ReadPassphrase("passphrase"));
  if (!fs::exists(fs::path(data_dir) / kProfileFile)) {
    // An enrolled store: no local profile; the device knows its site id and user.
    client::DeviceOptions options;
    LV_ASSIGN(device_, client::Device::Open(data_dir, passphrase, std::move(options)));
    if (!device_->enrolled()) {
      device_.reset();
      return MakeError(Errc::kCorrupt,
                       "device profile: neither device.json nor an enrolment in " + data_dir);
    }
    return Ok();
  }
  LV_ASSIGN(auto store, storage::Store::Open(data_dir, passphrase));
  LV_ASSIGN(LocalProfile profile, LoadLocalProfile(data_dir));
  if (profile.site_id.empty()) return MakeError(Errc::kCorrupt, "device profile: no site id");
  return Adopt(std::move(store), profile.site_id);
}

Result<void> CliContext::Adopt(std::unique_ptr<storage::Store> store, std::string site_id) {
  store_ = std::move(store);
  LV_ASSIGN(auto replica, client::OpenClientReplica(store_->db(), std::move(site_id)));
  replica_ = std::move(replica);
  return Ok();
}

Result<void> CliContext::SignIn(std::string_view user_id) {
  workspace_.reset();
  LV_ASSIGN(auto ws, client::Workspace::Open(db(), replica(), user_id));
  workspace_ = std::move(ws);
  return Ok();
}

Result<void> CliContext::Open() {
  if (workspace_) return Ok();
  LV_TRY(OpenStoreOnly());
  if (device_) {
    auto ws = device_->OpenWorkspace();
    if (!ws.ok() && ws.error().code == Errc::kNotFound) {
      return MakeError(
          Errc::kNotFound,
          ws.error().message + " (run `lietvedis sync` once to receive the directory)");
    }
    LV_ASSIGN(workspace_, std::move(ws));
  } else {
    LV_ASSIGN(LocalProfile profile, LoadLocalProfile(data_dir));
    if (profile.user_id.empty()) {
      return MakeError(Errc::kNotPermitted,
                       "device profile: no user on this device (run `lietvedis init` or `enrol`)");
    }
    LV_TRY(SignIn(profile.user_id));
  }
  // Every command (sync included) starts with the client-card rules, so a card whose
  // referral's grace period has passed leaves the mentoring scope before anything is pushed.
  LV_ASSIGN(std::int64_t cards, workspace_->ApplyClientCardRules());
  (void)cards;
  return Ok();
}

void CliContext::Run(const std::function<Result<void>()>& body) {
  Result<void> r = body();
  if (r.ok()) {
    exit_code = kExitOk;
    return;
  }
  std::cerr << "error: " << r.error().message << "\n";
  exit_code = ExitCodeFor(r.error());
}

void CliContext::RunCommand(const std::function<client::Command()>& make) {
  Run([&]() -> Result<void> {
    LV_TRY(Open());
    LV_ASSIGN(std::string id, ws().Execute(make()));
    if (json) {
      PrintJson({{"id", id}});
    } else {
      out() << id << "\n";
    }
    return Ok();
  });
}

std::ostream& CliContext::out() {
  return std::cout;
}

void CliContext::PrintJson(const nlohmann::ordered_json& value) {
  out() << value.dump(2) << "\n";
}

void CliContext::PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - Width(row[i]) + 2, ' ');
    }
    out() << line << "\n";
  }
}

}  // namespace lietvedis::cli
