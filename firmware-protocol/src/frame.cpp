#include "forceplate/protocol/frame.hpp"

#include <cstring>

#include "forceplate/protocol/crc32.hpp"

namespace fp::protocol {

bool is_known_frame_type(std::uint8_t type) {
  switch (static_cast<FrameType>(type)) {
    case FrameType::device_info:
    case FrameType::samples:
    case FrameType::status:
    case FrameType::reply:
    case FrameType::get_info:
    case FrameType::start:
    case FrameType::stop:
    case FrameType::set_rate:
    case FrameType::tare:
    case FrameType::ping:
      return true;
  }
  return false;
}

std::size_t encode_frame(FrameType type, const std::uint8_t* payload, std::size_t payload_size,
                         std::uint8_t* out, std::size_t out_capacity) {
  if (payload_size > kMaxPayload) return 0;
  std::uint8_t raw[kMaxRawFrame];
  raw[0] = kVersionByte;
  raw[1] = static_cast<std::uint8_t>(type);
  raw[2] = static_cast<std::uint8_t>(payload_size & 0xFFU);
  raw[3] = static_cast<std::uint8_t>(payload_size >> 8);
  if (payload_size > 0) std::memcpy(raw + kHeaderSize, payload, payload_size);
  const std::size_t body = kHeaderSize + payload_size;
  const std::uint32_t crc = crc32(raw, body);
  for (std::size_t i = 0; i < kCrcSize; ++i) raw[body + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  if (out_capacity < 1) return 0;
  const std::size_t n = cobs_encode(raw, body + kCrcSize, out, out_capacity - 1);
  if (n == 0) return 0;
  out[n] = kDelimiter;
  return n + 1;
}

}  // namespace fp::protocol
