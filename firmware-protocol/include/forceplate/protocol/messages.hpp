#pragma once
// Message payloads of protocol 1.0 (docs/protocol.md). Fixed-size structs, no heap.
// encode_* build a complete wire frame; parse_* accept a payload at least as long as 1.0
// defines (a newer minor version may append fields, which are ignored).
#include <cstddef>
#include <cstdint>

#include "forceplate/protocol/frame.hpp"

namespace fp::protocol {

inline constexpr int kMaxPlates = 2;
inline constexpr int kCellsPerPlate = 4;
inline constexpr int kMaxCells = kMaxPlates * kCellsPerPlate;
inline constexpr int kMaxSamplesPerFrame = 16;
inline constexpr int kTextSize = 16;      // firmware version, serial number
inline constexpr int kMaxReplyText = 64;

struct CellInfo {
  float x_mm = 0;           // position relative to its plate's centre, x mediolateral
  float y_mm = 0;           // y anteroposterior
  float gain_n_per_count = 0;
  std::int32_t offset_counts = 0;
};

struct DeviceInfoMsg {
  std::uint8_t protocol_major = kVersionMajor;
  std::uint8_t protocol_minor = kVersionMinor;
  char firmware_version[kTextSize + 1] = {};
  char serial[kTextSize + 1] = {};
  std::uint8_t plate_count = 1;
  std::uint8_t cells_per_plate = kCellsPerPlate;
  std::uint8_t adc_bits = 24;
  std::uint16_t nominal_rate_hz = 0;
  std::uint16_t current_rate_hz = 0;
  std::uint32_t calibration_unix_time = 0;  // 0: never calibrated
  float plate_width_mm[kMaxPlates] = {};
  float plate_length_mm[kMaxPlates] = {};
  CellInfo cells[kMaxCells] = {};
};

struct SampleBlockMsg {
  std::uint32_t first_sequence = 0;  // sample i has sequence first_sequence + i (mod 2^32)
  std::uint8_t sample_count = 0;
  std::uint8_t cell_count = 0;
  std::uint32_t time_us[kMaxSamplesPerFrame] = {};  // device clock, wraps at 2^32
  std::int32_t counts[kMaxSamplesPerFrame][kMaxCells] = {};
};

enum class StatusCode : std::uint8_t { heartbeat = 0, adc_fault = 1, overrun = 2, boot = 3 };

struct StatusMsg {
  StatusCode code = StatusCode::heartbeat;
  std::uint32_t sequence = 0;  // first sequence affected (overrun) or next sequence (others)
  std::uint32_t dropped = 0;   // samples the device could not send (overrun)
};

enum class ReplyResult : std::uint8_t { ack = 0, refused = 1 };
enum class RefusalReason : std::uint8_t {
  none = 0,
  unknown_command = 1,
  bad_argument = 2,
  not_now = 3,
  hardware_fault = 4,
};

struct ReplyMsg {
  std::uint16_t request_id = 0;
  std::uint8_t command = 0;  // the FrameType of the command answered
  ReplyResult result = ReplyResult::ack;
  RefusalReason reason = RefusalReason::none;
  char text[kMaxReplyText + 1] = {};
};

struct CommandMsg {
  FrameType type = FrameType::ping;
  std::uint16_t request_id = 0;
  std::uint16_t rate_hz = 0;  // set_rate only
};

std::size_t encode_device_info(const DeviceInfoMsg& m, std::uint8_t* out, std::size_t cap);
std::size_t encode_samples(const SampleBlockMsg& m, std::uint8_t* out, std::size_t cap);
std::size_t encode_status(const StatusMsg& m, std::uint8_t* out, std::size_t cap);
std::size_t encode_reply(const ReplyMsg& m, std::uint8_t* out, std::size_t cap);
std::size_t encode_command(const CommandMsg& m, std::uint8_t* out, std::size_t cap);

bool parse_device_info(const FrameView& f, DeviceInfoMsg& out);
bool parse_samples(const FrameView& f, SampleBlockMsg& out);
bool parse_status(const FrameView& f, StatusMsg& out);
bool parse_reply(const FrameView& f, ReplyMsg& out);
bool parse_command(const FrameView& f, CommandMsg& out);

// Payload sizes of protocol 1.0.
inline constexpr std::size_t kDeviceInfoHeaderSize = 2 + 2 * kTextSize + 4 + 2 + 2 + 4;  // 46
inline constexpr std::size_t kPlateInfoSize = 8;
inline constexpr std::size_t kCellInfoSize = 16;
inline constexpr std::size_t kSamplesHeaderSize = 8;
inline constexpr std::size_t sample_record_size(std::size_t cells) { return 4 + 4 * cells; }
inline constexpr std::size_t kStatusSize = 12;
inline constexpr std::size_t kReplyHeaderSize = 6;

}  // namespace fp::protocol
