#include "storage/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace lietvedis::storage {

namespace {

Error Errno(const std::string& what) {
  return MakeError(Errc::kIo, what + ": " + std::strerror(errno));
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<void> WriteFileAtomically(const std::string& path, std::span<const std::uint8_t> bytes) {
  const std::string tmp = path + ".tmp";
  {
    Fd f;
    f.fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (f.fd < 0) return Errno("creating " + tmp);
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(f.fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Errno("writing " + tmp);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(f.fd) != 0) return Errno("syncing " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("replacing " + path);
  const std::string dir = std::filesystem::path(path).parent_path().string();
  Fd d;
  d.fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d.fd < 0) return Errno("opening directory " + dir);
  if (::fsync(d.fd) != 0) return Errno("syncing directory " + dir);
  return Ok();
}

Result<std::vector<std::uint8_t>> ReadWholeFile(const std::string& path, std::size_t max_size) {
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    if (errno == ENOENT) return MakeError(Errc::kNotFound, path + " does not exist");
    return Errno("opening " + path);
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return Errno("reading size of " + path);
  if (st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > max_size) {
    return MakeError(Errc::kNotAStore, path + " is larger than any file of ours");
  }
  std::vector<std::uint8_t> out(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(f.fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("reading " + path);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

}  // namespace lietvedis::storage
