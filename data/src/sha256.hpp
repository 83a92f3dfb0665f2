#pragma once
// Internal: SHA-256 and HMAC-SHA-256 (OpenSSL libcrypto), for the study codes of research exports.
// tests/data/test_archive_export.cpp checks the FIPS 180-4 and RFC 4231 vectors.
#include <array>
#include <cstdint>
#include <string>

namespace fp::data::archive_detail {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(const std::string& message);
Digest hmac_sha256(const std::string& key, const std::string& message);
std::string to_hex(const Digest& digest);

}  // namespace fp::data::archive_detail
