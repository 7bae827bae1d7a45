// Small file helpers for the store's own side files (keys.lvk, the page ledger).
//
// WriteFileAtomically: writes `bytes` to `path` so that after a crash the path holds either
// the old content or the new one, never a mix: write to "<path>.tmp", fsync it, rename over
// `path`, fsync the directory. Errors are kIo naming the step; on error the old file is
// untouched (a stray .tmp may remain and is ignored by readers).
//
// ReadWholeFile: the file's bytes, kNotFound if it does not exist, kIo otherwise.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "storage/result.hpp"

namespace lietvedis::storage {

Result<void> WriteFileAtomically(const std::string& path, std::span<const std::uint8_t> bytes);
Result<std::vector<std::uint8_t>> ReadWholeFile(const std::string& path, std::size_t max_size);

}  // namespace lietvedis::storage
