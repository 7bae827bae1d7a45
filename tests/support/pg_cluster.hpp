// PgCluster: a throwaway PostgreSQL 15 cluster for tests and benchmarks.
//
// initdb + pg_ctl from /usr/lib/postgresql/15/bin (override with $LIETVEDIS_PG_BIN) in a fresh
// temporary directory, listening on a free loopback port with its unix socket in that
// directory. When running as root the cluster runs as user `postgres` (runuser), and the
// directory is handed to that user. Stopped (immediate) and removed in the destructor.
//
// Start() fails with a clear message when the binaries are missing: tests must FAIL then,
// never skip.
//
// $LIETVEDIS_PG_CPUS (a CPU list such as "1" or "2-3"): the cluster's processes run on those
// CPUs only (taskset), as a database on its own machine would; lv_server_bench --db-cpus.
#pragma once

#include <string>

#include "storage/result.hpp"

namespace lietvedis::testing {

class PgCluster {
 public:
  PgCluster() = default;
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  Result<void> Start();
  void Stop();

  // A libpq URI for database `postgres` as the cluster's superuser, e.g.
  // "postgresql://postgres@127.0.0.1:PORT/postgres".
  std::string uri() const;
  // Creates a fresh database and returns its URI.
  Result<std::string> CreateDatabase(const std::string& name);
  int port() const { return port_; }

 private:
  std::string dir_;
  std::string bin_;
  std::string user_;  // the OS user running the cluster ("" = us)
  int port_ = 0;
  bool running_ = false;
};

}  // namespace lietvedis::testing
