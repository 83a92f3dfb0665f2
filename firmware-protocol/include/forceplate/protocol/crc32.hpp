#pragma once
// CRC-32 as in zlib / IEEE 802.3 (reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF),
// chosen because every language has it (Python: zlib.crc32), so firmware authors can check frames.
#include <cstddef>
#include <cstdint>

namespace fp::protocol {

// Continue a running CRC: crc32_update(crc32_update(0, a), b) == crc32(a ++ b).
std::uint32_t crc32_update(std::uint32_t crc, const std::uint8_t* data, std::size_t size);

inline std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
  return crc32_update(0, data, size);
}

}  // namespace fp::protocol
