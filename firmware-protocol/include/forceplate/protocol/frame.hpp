#pragma once
// Frame layer of the wire protocol (docs/protocol.md): header, payload, CRC-32, COBS, 0x00.
#include <cstddef>
#include <cstdint>

#include "forceplate/protocol/cobs.hpp"

namespace fp::protocol {

inline constexpr std::uint8_t kVersionMajor = 1;
inline constexpr std::uint8_t kVersionMinor = 0;
inline constexpr std::uint8_t kVersionByte = (kVersionMajor << 4) | kVersionMinor;

inline constexpr std::size_t kHeaderSize = 4;  // version, type, payload length (u16 LE)
inline constexpr std::size_t kCrcSize = 4;
inline constexpr std::size_t kMaxPayload = 1024;
inline constexpr std::size_t kMaxRawFrame = kHeaderSize + kMaxPayload + kCrcSize;
inline constexpr std::size_t kMaxEncodedFrame = cobs_max_encoded_size(kMaxRawFrame);
inline constexpr std::uint8_t kDelimiter = 0x00;

enum class FrameType : std::uint8_t {
  // device -> host
  device_info = 0x01,
  samples = 0x02,
  status = 0x03,
  reply = 0x04,
  // host -> device
  get_info = 0x10,
  start = 0x11,
  stop = 0x12,
  set_rate = 0x13,
  tare = 0x14,
  ping = 0x15,
};

bool is_known_frame_type(std::uint8_t type);

// A decoded frame; `payload` points into the decoder's buffer and is valid only during the callback.
struct FrameView {
  std::uint8_t version_major;
  std::uint8_t version_minor;
  std::uint8_t type;
  const std::uint8_t* payload;
  std::size_t payload_size;
};

// Builds a complete wire frame (COBS-encoded, delimiter appended) into `out`.
// Returns its length, or 0 if the payload is too large or `out` too small.
std::size_t encode_frame(FrameType type, const std::uint8_t* payload, std::size_t payload_size,
                         std::uint8_t* out, std::size_t out_capacity);

inline constexpr std::size_t kMaxWireFrame = kMaxEncodedFrame + 1;

}  // namespace fp::protocol
