// An HTTP front for engine tests (tests/sync/engine_hostile_test.cpp,
// engine_wire_test.cpp): a lying central store, or an older one, as the devices see it.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace lietvedis::testing {

// An HTTP front between the devices and the real central store, as a lying store (or an older
// one) would answer: every request is forwarded unchanged unless `intercept` answers it, and
// `rewrite` may alter an answer before it goes back. Counts requests by path.
class Front {
 public:
  explicit Front(const std::string& upstream) : upstream_(upstream) {
    auto forward = [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++seen_[req.path];
      }
      if (intercept && intercept(req, res)) return;
      httplib::Client cli(upstream_);
      cli.set_read_timeout(30, 0);
      httplib::Headers headers;
      for (const auto& [k, v] : req.headers) {
        if (k == "Host" || k == "Content-Length" || k == "Connection" ||
            k.rfind("REMOTE_", 0) == 0 || k.rfind("LOCAL_", 0) == 0) {
          continue;
        }
        headers.emplace(k, v);
      }
      const std::string type = req.get_header_value("Content-Type");
      httplib::Result r = req.method == "GET"
                              ? cli.Get(req.target.c_str(), headers)
                              : cli.Post(req.target.c_str(), headers, req.body,
                                         type.empty() ? "application/octet-stream" : type.c_str());
      if (!r) {
        res.status = 502;
        return;
      }
      res.status = r->status;
      for (const auto& [k, v] : r->headers) {
        if (k == "Content-Length" || k == "Transfer-Encoding" || k == "Connection" ||
            k == "Keep-Alive" || k == "Content-Type") {
          continue;
        }
        res.set_header(k, v);
      }
      res.body = r->body;
      if (rewrite) rewrite(req, res);
      res.set_header("Content-Type", r->get_header_value("Content-Type"));
    };
    server_.Get(".*", forward);
    server_.Post(".*", forward);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Front() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int Seen(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_[path];
  }

  std::function<bool(const httplib::Request&, httplib::Response&)> intercept;
  std::function<void(const httplib::Request&, httplib::Response&)> rewrite;

 private:
  std::string upstream_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, int> seen_;
};

}  // namespace lietvedis::testing
