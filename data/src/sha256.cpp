// SHA-256 and HMAC-SHA-256 from OpenSSL's libcrypto (one-shot EVP calls of OpenSSL 3).
#include "sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace fp::data::archive_detail {

Digest sha256(const std::string& message) {
  Digest out{};
  std::size_t size = 0;
  if (EVP_Q_digest(nullptr, "SHA256", nullptr, message.data(), message.size(), out.data(), &size) != 1 ||
      size != out.size()) {
    throw std::runtime_error("SHA-256 failed in libcrypto");
  }
  return out;
}

Digest hmac_sha256(const std::string& key, const std::string& message) {
  Digest out{};
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(),
                out.size(), &size) == nullptr ||
      size != out.size()) {
    throw std::runtime_error("HMAC-SHA-256 failed in libcrypto");
  }
  return out;
}

std::string to_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (const std::uint8_t b : digest) {
    s += kHex[b >> 4];
    s += kHex[b & 0xf];
  }
  return s;
}

}  // namespace fp::data::archive_detail
