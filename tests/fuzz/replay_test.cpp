// Every fuzz target under the test suite's sanitizers (tests/fuzz/fuzz_target.hpp): the seeds
// made by the real encoders, the committed corpus, every regression input, then seeded
// mutations (20,000 each; 2,000 for the slower VFS target). libFuzzer runs the same targets for as
// long as asked (`./run fuzz SECONDS`). An input that crashes is written to the build directory
// (fuzz-crash-<target>.bin) before the process dies; put it under tests/fuzz/regressions/<target>/
// once it is fixed.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "client/jsonl.hpp"
#include "client/schema.hpp"
#include "sync/batch_codec.hpp"
#include "sync/directory.hpp"
#include "sync/json_limits.hpp"
#include "sync/protocol.hpp"
#include "sync/pull_codec.hpp"
#include "tests/fuzz/fuzz_target.hpp"
#include "tests/fuzz/seeds.hpp"

namespace lietvedis::fuzz {

std::map<std::string, Target>& Registry() {
  static std::map<std::string, Target> targets;
  return targets;
}

Registration::Registration(const char* name, Target target) {
  Registry()[name] = target;
}

}  // namespace lietvedis::fuzz

namespace {

namespace fs = std::filesystem;
using lietvedis::fuzz::Input;

// The input being run, for the crash handler (written with async-signal-safe calls only).
const Input* g_current = nullptr;
char g_crash_path[512] = {0};

extern "C" void WriteCrashInput(int sig) {
  if (g_current != nullptr && g_crash_path[0] != 0) {
    const int fd = ::open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ssize_t ignored = ::write(fd, g_current->data(), g_current->size());
      (void)ignored;
      ::close(fd);
    }
    static const char msg[] = "fuzz: the crashing input was written to ";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    ignored = ::write(2, g_crash_path, std::strlen(g_crash_path));
    ignored = ::write(2, "\n", 1);
    (void)ignored;
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::vector<Input> ReadAll(const fs::path& dir) {
  std::vector<Input> out;
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.is_regular_file()) files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

// One to four of libFuzzer's simplest mutations of a pool entry: flip a bit, set a byte to an
// interesting value, insert or erase bytes, copy a range, truncate, splice another entry.
Input Mutate(const std::vector<Input>& pool, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  Input in = pool[pick(pool.size())];
  static const std::uint8_t kInteresting[] = {0, 1, 0x7f, 0x80, 0xff, '"', '{', '[', '\\', 0xc3};
  const int rounds = 1 + static_cast<int>(rng() % 4);
  for (int r = 0; r < rounds; ++r) {
    switch (rng() % 7) {
      case 0:
        if (!in.empty()) in[pick(in.size())] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        break;
      case 1:
        if (!in.empty()) in[pick(in.size())] = kInteresting[pick(sizeof kInteresting)];
        break;
      case 2: {
        const std::size_t at = pick(in.size() + 1), n = 1 + pick(8);
        Input bytes(n);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin(), bytes.end());
        break;
      }
      case 3:
        if (!in.empty()) {
          const std::size_t at = pick(in.size()),
                            n = 1 + pick(std::min<std::size_t>(16, in.size() - at));
          in.erase(in.begin() + static_cast<std::ptrdiff_t>(at),
                   in.begin() + static_cast<std::ptrdiff_t>(std::min(in.size(), at + n)));
        }
        break;
      case 4:
        if (in.size() > 2) {
          const std::size_t from = pick(in.size()), n = 1 + pick(in.size() - from);
          const Input piece(in.begin() + static_cast<std::ptrdiff_t>(from),
                            in.begin() + static_cast<std::ptrdiff_t>(from + n));
          in.insert(in.begin() + static_cast<std::ptrdiff_t>(pick(in.size() + 1)), piece.begin(),
                    piece.end());
        }
        break;
      case 5:
        in.resize(pick(in.size() + 1));
        break;
      default: {
        const Input& other = pool[pick(pool.size())];
        const std::size_t keep = pick(in.size() + 1), from = pick(other.size() + 1);
        in.resize(keep);
        in.insert(in.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
    }
  }
  return in;
}

}  // namespace

TEST_CASE("fuzz seeds are valid inputs of their formats", "[fuzz]") {
  namespace pr = lietvedis::sync::protocol;
  namespace dir = lietvedis::sync::directory;
  const auto seeds = lietvedis::fuzz::Seeds();
  for (const auto& s : seeds.at("batch_codec")) CHECK(lietvedis::sync::DecodeBatch(s).ok());
  for (const auto& s : seeds.at("pull_codec")) CHECK(pr::DecodePullPage(std::span(s)).ok());
  for (const auto& s : seeds.at("jsonl_import")) {
    lietvedis::storage::OpenOptions memory;
    memory.wal = false;
    auto db = lietvedis::storage::Database::Open(":memory:", memory);
    REQUIRE(db.ok());
    auto replica = lietvedis::client::OpenClientReplica(*db, "seed-site");
    REQUIRE(replica.ok());
    std::istringstream in(std::string(s.begin(), s.end()));
    auto r = lietvedis::client::ImportJsonl(*db, **replica, in);
    INFO((r.ok() ? std::string() : r.error().message));
    CHECK(r.ok());
  }
  for (const auto& s : seeds.at("small_formats")) {
    const std::string_view text(reinterpret_cast<const char*>(s.data()) + 1, s.size() - 1);
    if (s[0] == 0) CHECK(pr::DecodeEnrolmentCode(text).ok());
    if (s[0] == 1) CHECK(pr::DecodeKeyWrap(std::span(s).subspan(1)).ok());
    if (s[0] == 2) CHECK(dir::ParseStatement(text).ok());
  }
  // Every message seed parses as the message its selector byte names (protocol_json_fuzz.cpp).
  for (const auto& s : seeds.at("protocol_json")) {
    const std::string_view body(reinterpret_cast<const char*>(s.data()) + 1, s.size() - 1);
    const auto limits =
        (s[0] & 0x80) != 0 ? lietvedis::sync::kOpenRequestLimits : lietvedis::sync::JsonLimits{};
    INFO("selector " << int(s[0]));
    switch ((s[0] & 0x7f) % 12) {
      case 0:
        CHECK(pr::ParseBody<pr::EnrolRequest>(body, limits).ok());
        break;
      case 1:
        CHECK(pr::ParseBody<pr::ChallengeRequest>(body, limits).ok());
        break;
      case 2:
        CHECK(pr::ParseBody<pr::SessionRequest>(body, limits).ok());
        break;
      case 3:
        CHECK(pr::ParseBody<pr::PushRequest>(body, limits).ok());
        break;
      case 4:
        CHECK(pr::ParseBody<pr::PullResponse>(body, limits).ok());
        break;
      case 5:
        CHECK(pr::ParseBody<pr::DirectoryResponse>(body, limits).ok());
        break;
      case 6:
        CHECK(pr::ParseBody<pr::KeysResponse>(body, limits).ok());
        break;
      case 7:
        CHECK(pr::ParseBody<pr::MissingKeysResponse>(body, limits).ok());
        break;
      case 8:
        CHECK(pr::ParseBody<pr::PutKeysRequest>(body, limits).ok());
        break;
      case 9:
        CHECK(pr::ParseBody<pr::ScopesResponse>(body, limits).ok());
        break;
      case 10:
        CHECK(pr::ParseBody<pr::PushResponse>(body, limits).ok());
        break;
      default:
        CHECK(pr::ParseBody<pr::SessionResponse>(body, limits).ok());
        break;
    }
  }
}

// Seeded mutations per target: 20,000, except the VFS target, whose every input writes a store's
// files and opens them (about a millisecond where the others take microseconds).
int MutationsFor(const std::string& target) {
  return target == "vfs_pages" ? 2'000 : 20'000;
}

TEST_CASE("fuzz targets survive their corpus, the regressions and their seeded mutations",
          "[fuzz]") {
  const auto& registry = lietvedis::fuzz::Registry();
  const auto seeds = lietvedis::fuzz::Seeds();
  REQUIRE(registry.size() == seeds.size());
  const fs::path source = LV_TEST_SOURCE_DIR;
  for (const auto& [name, target] : registry) {
    DYNAMIC_SECTION(name) {
      REQUIRE(seeds.count(name) == 1);
      std::vector<Input> pool = seeds.at(name);
      const auto committed = ReadAll(source / "tests/fuzz/corpus" / name);
      const auto regressions = ReadAll(source / "tests/fuzz/regressions" / name);
      CHECK(committed.size() >= seeds.at(name).size());  // ./run fuzz keeps it written
      pool.insert(pool.end(), committed.begin(), committed.end());
      const std::string crash = std::string(LV_TEST_BUILD_DIR) + "/fuzz-crash-" + name + ".bin";
      std::snprintf(g_crash_path, sizeof g_crash_path, "%s", crash.c_str());
      std::signal(SIGABRT, WriteCrashInput);
      std::signal(SIGSEGV, WriteCrashInput);
      std::int64_t runs = 0;
      const std::vector<const std::vector<Input>*> lists = {&pool, &regressions};
      for (const auto* list : lists) {
        for (const Input& in : *list) {
          g_current = &in;
          CHECK(target(in.data(), in.size()) == 0);
          ++runs;
        }
      }
      // A fixed seed per target: the same inputs on every run, so a failure reproduces.
      std::mt19937_64 rng(std::hash<std::string>{}(name) ^ 0x4c56465a5a31ULL);
      int nonzero = 0;
      const int mutations = MutationsFor(name);
      for (int i = 0; i < mutations; ++i) {
        const Input in = Mutate(pool, rng);
        g_current = &in;
        nonzero += target(in.data(), in.size()) != 0;
        ++runs;
      }
      g_current = nullptr;
      std::signal(SIGABRT, SIG_DFL);
      std::signal(SIGSEGV, SIG_DFL);
      CHECK(nonzero == 0);
      CHECK(runs == static_cast<std::int64_t>(pool.size() + regressions.size()) + mutations);
    }
  }
}
