// The wire between devices and the central store, with a front that plays an older or a
// hostile store: a store from before GET /v1/sync, pushes in JSON, binary and compressed form
// by what the store names, and binary or compressed pushes that are not what they claim
// (refused, nothing stored).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "sync/leb128.hpp"
#include "sync/pull_codec.hpp"
#include "sync/server/server.hpp"
#include "tests/sync/engine_world.hpp"
#include "tests/sync/front_proxy.hpp"

using namespace lietvedis;
using namespace lietvedis::sync;
using lietvedis::testing::EngineDevice;
using lietvedis::testing::EngineWorld;
using lietvedis::testing::Front;

namespace {

void Sync(EngineDevice& d) {
  auto r = d.engine->SyncOnce();
  INFO(d.name << ": " << (r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
}

}  // namespace

TEST_CASE("A central store from before GET /v1/sync is synced with the separate requests",
          "[sync][engine][link]") {
  EngineWorld w;
  Front front(w.url());
  front.intercept = [](const httplib::Request& req, httplib::Response& res) {
    if (req.path != "/v1/sync") return false;
    res.status = 404;  // what an older server answers for a route it does not have
    return true;
  };
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1, {}, front.url());
  EngineDevice& sup = w.Enrol(sv, {}, front.url());
  Sync(sup);
  off.WriteCase("c1", "over the old routes", o1, w.unit());
  Sync(off);
  Sync(sup);
  CHECK(sup.Text("SELECT title FROM kase WHERE id='c1'") == "over the old routes");
  // Each engine asked for the new route once, learnt it is missing, and used the old ones.
  CHECK(front.Seen("/v1/sync") == 2);
  CHECK(front.Seen("/v1/directory") >= 3);
  CHECK(front.Seen("/v1/scopes") >= 3);
  CHECK(front.Seen("/v1/pull") >= 3);
}

// Pushes go in the pull page's binary form (the ciphertext raw, not in base64) only to a
// server whose GET /v1/sync answer names "push-bin"; a server that does not (an older one)
// gets JSON, and readers cannot tell the two apart.
TEST_CASE("Pushes go binary to a server that names it, JSON to one that does not",
          "[sync][engine][link]") {
  EngineWorld w;
  Front front(w.url());
  // What the server names: nothing (a server from before binary pushes), "push-bin" only (one
  // from before compressed pushes), or all it takes.
  enum class Server { kJsonOnly, kBinary, kCompressed } server = Server::kJsonOnly;
  struct Push {
    std::string content_type, magic;
    std::size_t bytes;
  };
  std::vector<Push> pushes;
  std::mutex pushes_mu;
  front.intercept = [&](const httplib::Request& req, httplib::Response&) {
    if (req.path == "/v1/push") {
      std::lock_guard<std::mutex> lock(pushes_mu);
      pushes.push_back(
          {req.get_header_value("Content-Type"), req.body.substr(0, 4), req.body.size()});
    }
    return false;  // forwarded
  };
  front.rewrite = [&](const httplib::Request&, httplib::Response& res) {
    if (server == Server::kJsonOnly) res.headers.erase(protocol::kAcceptsHeader);
    if (server == Server::kBinary && res.has_header(protocol::kAcceptsHeader)) {
      res.headers.erase(protocol::kAcceptsHeader);  // set_header would add a second one
      res.set_header(protocol::kAcceptsHeader, protocol::kAcceptsBinaryPush);
    }
  };
  const std::string o1 = w.AddUser("officer", "Officer One");
  const std::string sv = w.AddUser("supervisor", "Supervisor");
  EngineDevice& off = w.Enrol(o1, {}, front.url());
  EngineDevice& sup = w.Enrol(sv);
  Sync(off);  // enrolled and signed in: each sync below is one push of eight new cases
  const std::string note(300, 'x');  // the same size of change each time
  for (const Server kind : {Server::kJsonOnly, Server::kBinary, Server::kCompressed}) {
    const int k = static_cast<int>(kind);
    for (int i = 0; i < 8; ++i) {
      off.WriteCase("c" + std::to_string(k) + std::to_string(i), std::to_string(k) + note, o1,
                    w.unit());
    }
    Sync(off);  // GET /v1/sync names what the server takes; the push follows it
    server = kind == Server::kJsonOnly ? Server::kBinary : Server::kCompressed;
  }
  {
    std::lock_guard<std::mutex> lock(pushes_mu);
    REQUIRE(pushes.size() >= 3);
    const Push& json = pushes[pushes.size() - 3];
    const Push& binary = pushes[pushes.size() - 2];
    const Push& compressed = pushes.back();
    CHECK(json.content_type == protocol::kJsonContentType);
    CHECK(binary.content_type == protocol::kBinaryContentType);
    CHECK(binary.magic == "LVP2");
    CHECK(compressed.content_type == protocol::kBinaryContentType);
    CHECK(compressed.magic == "LVZ1");
    INFO("JSON push " << json.bytes << " bytes, binary " << binary.bytes << ", compressed "
                      << compressed.bytes);
    CHECK(binary.bytes < json.bytes);
    CHECK(compressed.bytes < binary.bytes);
  }
  Sync(sup);
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < 8; ++i) {
      CHECK(sup.Text("SELECT title FROM kase WHERE id='c" + std::to_string(k) + std::to_string(i) +
                     "'") == std::to_string(k) + note);
    }
  }
  auto st = sup.engine->Status();
  REQUIRE(st.ok());
  CHECK(st->refused == 0);
}

// The server refuses a binary push that is not one: a page with a cursor, or bytes that are
// not a page, and stores nothing.
TEST_CASE("A malformed binary push is refused and nothing is stored", "[sync][engine][hostile]") {
  EngineWorld w;
  Front front(w.url());
  std::string replace_with;  // when not empty, the push body is replaced by this
  bool add_cursor = false;
  front.intercept = [&](const httplib::Request& req, httplib::Response& res) {
    if (req.path != "/v1/push" ||
        req.get_header_value("Content-Type") != protocol::kBinaryContentType)
      return false;
    auto plain = protocol::UncompressPushBody(req.body);
    if (!plain.ok()) return false;  // not what this test sends; the test then fails below
    std::string body = *plain;
    if (add_cursor) {
      auto page = protocol::DecodePullPage(body);
      if (!page.ok()) return false;  // not what this test sends; the test then fails below
      page->cursor = "1.1";
      body = protocol::EncodePullPage(*page);
    } else if (!replace_with.empty()) {
      body = replace_with;
    }
    httplib::Client cli(w.url());
    httplib::Headers headers;
    for (const auto& [k, v] : req.headers) {
      if (k == protocol::kProtocolHeader || k == "Authorization") headers.emplace(k, v);
    }
    auto r = cli.Post(req.target.c_str(), headers, body, protocol::kBinaryContentType);
    if (!r) {
      res.status = 502;
      return true;
    }
    res.status = r->status;
    res.set_content(r->body, "application/json");
    return true;
  };
  const std::string o1 = w.AddUser("officer", "Officer One");
  EngineDevice& off = w.Enrol(o1, {}, front.url());
  auto envelopes = [&w] {
    auto c = w.store().Counts(server::SystemNowMs());
    REQUIRE(c.ok());
    return c->envelopes;
  };
  Sync(off);  // enrolled and signed in: the next syncs push the case
  off.WriteCase("c1", "kept", o1, w.unit());
  const std::int64_t before = envelopes();
  // A compressed push that claims more than a request may hold (a decompression bomb), and
  // one whose frame is not zstd.
  std::vector<std::uint8_t> bomb = {'L', 'V', 'Z', '1'};
  PutLeb128(bomb, protocol::kMaxRequestBody + 1);
  bomb.insert(bomb.end(), 64, 0x28);
  std::vector<std::uint8_t> garbage = {'L', 'V', 'Z', '1'};
  PutLeb128(garbage, 5000);
  garbage.insert(garbage.end(), 64, 0x77);
  const std::vector<std::string> replacements = {"", "LVP2 but not a page",
                                                 std::string(bomb.begin(), bomb.end()),
                                                 std::string(garbage.begin(), garbage.end())};
  for (std::size_t attempt = 0; attempt < replacements.size(); ++attempt) {
    add_cursor = attempt == 0;
    replace_with = replacements[attempt];
    auto r = off.engine->SyncOnce();
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    CHECK(r.error().code == Errc::kProtocol);
    CHECK(envelopes() == before);
  }
  add_cursor = false;
  replace_with.clear();
  Sync(off);  // the changes were kept and go now
  CHECK(envelopes() == before + 1);
}
