// SecretBytes: key material in libsodium's guarded heap (sodium_malloc), wiped and freed in
// the destructor (sodium_free zeroes before it unmaps). Move-only; never copied by accident.
//
// Threading: none of its own; the owner serialises access.
//
// WARNING: data() points into a guarded allocation. Copying the bytes into an ordinary
// std::string or vector defeats the point; derive what you need into another SecretBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "storage/result.hpp"

namespace lietvedis::storage {

class SecretBytes {
 public:
  SecretBytes() = default;
  // Allocates `size` zeroed bytes; kInternal if libsodium cannot (sodium_init failed or the
  // guarded heap is exhausted).
  static Result<SecretBytes> Allocate(std::size_t size);
  // Allocates and fills with randombytes_buf.
  static Result<SecretBytes> Random(std::size_t size);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return data_ == nullptr; }
  std::span<const std::uint8_t> span() const { return {data_, size_}; }
  // Wipes and frees now; empty() afterwards.
  void Wipe();

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// sodium_init() once per process; kInternal if libsodium cannot start.
Result<void> EnsureSodium();

}  // namespace lietvedis::storage
