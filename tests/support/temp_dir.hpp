// TempDir: a fresh directory under $TMPDIR (or /tmp) removed with its contents on destruction.
// Tests that write real files use one each, so runs in parallel never share a path.
#pragma once

#include <filesystem>
#include <string>

namespace lietvedis::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace lietvedis::testing
