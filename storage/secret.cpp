#include "storage/secret.hpp"

#include <sodium.h>

#include <utility>

namespace lietvedis::storage {

Result<void> EnsureSodium() {
  static const int rc = sodium_init();  // thread-safe once; 1 = already initialised
  if (rc < 0) return MakeError(Errc::kInternal, "libsodium could not be initialised");
  return Ok();
}

Result<SecretBytes> SecretBytes::Allocate(std::size_t size) {
  LV_TRY(EnsureSodium());
  SecretBytes s;
  s.data_ = static_cast<std::uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
  if (s.data_ == nullptr)
    return MakeError(Errc::kInternal, "guarded memory for a key is exhausted");
  s.size_ = size;
  sodium_memzero(s.data_, size);
  return s;
}

Result<SecretBytes> SecretBytes::Random(std::size_t size) {
  LV_ASSIGN(SecretBytes s, Allocate(size));
  randombytes_buf(s.data_, size);
  return s;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  Wipe();
}

void SecretBytes::Wipe() {
  if (data_ != nullptr) {
    sodium_memzero(data_, size_);
    sodium_free(data_);  // also zeroes, and checks the guard canary
  }
  data_ = nullptr;
  size_ = 0;
}

}  // namespace lietvedis::storage
