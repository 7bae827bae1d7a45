#include "tests/support/pg_cluster.hpp"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lietvedis::testing {
namespace {

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

PgCluster::~PgCluster() {
  Stop();
}

Result<void> PgCluster::Start() {
  const char* env_bin = std::getenv("LIETVEDIS_PG_BIN");
  bin_ = env_bin != nullptr ? env_bin : "/usr/lib/postgresql/15/bin";
  if (!std::filesystem::exists(bin_ + "/initdb") || !std::filesystem::exists(bin_ + "/pg_ctl")) {
    return MakeError(Errc::kNotFound,
                     "PostgreSQL 15 server binaries not found in " + bin_ +
                         " (install the Debian package postgresql-15, or set LIETVEDIS_PG_BIN)");
  }
  // As root the cluster runs as `postgres`, which must reach the directory: use /tmp then,
  // since $TMPDIR may sit under a directory only root can enter.
  const char* tmp = std::getenv("TMPDIR");
  const bool root = ::geteuid() == 0;
  std::string pattern = std::string(tmp != nullptr && !root ? tmp : "/tmp") + "/lv-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return MakeError(Errc::kIo, "mkdtemp failed");
  dir_ = pattern;
  std::string prefix;
  if (root) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) return MakeError(Errc::kNotFound, "running as root but no user 'postgres'");
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return MakeError(Errc::kIo, "cannot chown the cluster directory to postgres");
    }
    user_ = "postgres";
    prefix = "runuser -u postgres -- ";
  }
  const std::string init = prefix + bin_ + "/initdb -D " + dir_ + "/data -U postgres -A trust " +
                           "-E UTF8 --no-sync > " + dir_ + "/initdb.log 2>&1";
  if (std::system(init.c_str()) != 0) {
    return MakeError(Errc::kIo, "initdb failed: " + ReadFile(dir_ + "/initdb.log"));
  }
  if (const char* cpus = std::getenv("LIETVEDIS_PG_CPUS"); cpus != nullptr && *cpus != '\0') {
    const std::string list = cpus;
    if (list.find_first_not_of("0123456789,-") != std::string::npos) {
      return MakeError(Errc::kValidation, "LIETVEDIS_PG_CPUS is not a CPU list: " + list);
    }
    prefix = "taskset -c " + list + " " + prefix;  // the postmaster's children inherit it
  }
  for (int attempt = 0; attempt < 5 && !running_; ++attempt) {
    port_ = FreePort();
    const std::string start = prefix + bin_ + "/pg_ctl -D " + dir_ + "/data -w -t 60 -l " + dir_ +
                              "/server.log -o \"-p " + std::to_string(port_) + " -k " + dir_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off" +
                              " -c max_connections=200\" start > " + dir_ + "/pg_ctl.log 2>&1";
    running_ = std::system(start.c_str()) == 0;
  }
  if (!running_)
    return MakeError(Errc::kIo, "pg_ctl start failed: " + ReadFile(dir_ + "/server.log"));
  return Ok();
}

void PgCluster::Stop() {
  if (running_) {
    const std::string prefix = user_.empty() ? "" : "runuser -u " + user_ + " -- ";
    const std::string stop = prefix + bin_ + "/pg_ctl -D " + dir_ +
                             "/data -m immediate -w stop > " + dir_ + "/stop.log 2>&1";
    if (std::system(stop.c_str()) != 0) {
      // Nothing else to do: the directory removal below still runs.
    }
    running_ = false;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

std::string PgCluster::uri() const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

Result<std::string> PgCluster::CreateDatabase(const std::string& name) {
  PGconn* conn = PQconnectdb(uri().c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return MakeError(Errc::kIo, "connect to test cluster: " + msg);
  }
  const std::string sql = "CREATE DATABASE \"" + name + "\"";
  PGresult* res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string msg = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (!ok) return MakeError(Errc::kIo, "CREATE DATABASE failed: " + msg);
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

}  // namespace lietvedis::testing
