#include "forceplate/protocol/messages.hpp"

#include <cstring>

#include "forceplate/protocol/byte_order.hpp"

namespace fp::protocol {
namespace {

void put_text(std::uint8_t* p, const char* s, std::size_t field) {
  std::memset(p, 0, field);
  for (std::size_t i = 0; i < field && s[i] != '\0'; ++i) p[i] = static_cast<std::uint8_t>(s[i]);
}

void get_text(const std::uint8_t* p, char* out, std::size_t field) {
  std::size_t i = 0;
  for (; i < field && p[i] != 0; ++i) out[i] = static_cast<char>(p[i]);
  out[i] = '\0';
}

bool is(const FrameView& f, FrameType t) { return f.type == static_cast<std::uint8_t>(t); }

}  // namespace

std::size_t encode_device_info(const DeviceInfoMsg& m, std::uint8_t* out, std::size_t cap) {
  if (m.plate_count < 1 || m.plate_count > kMaxPlates || m.cells_per_plate != kCellsPerPlate) return 0;
  std::uint8_t p[kMaxPayload];
  p[0] = m.protocol_major;
  p[1] = m.protocol_minor;
  put_text(p + 2, m.firmware_version, kTextSize);
  put_text(p + 2 + kTextSize, m.serial, kTextSize);
  std::uint8_t* q = p + 2 + 2 * kTextSize;
  q[0] = m.plate_count;
  q[1] = m.cells_per_plate;
  q[2] = m.adc_bits;
  q[3] = 0;
  le::put_u16(q + 4, m.nominal_rate_hz);
  le::put_u16(q + 6, m.current_rate_hz);
  le::put_u32(q + 8, m.calibration_unix_time);
  std::size_t n = kDeviceInfoHeaderSize;
  for (int k = 0; k < m.plate_count; ++k, n += kPlateInfoSize) {
    le::put_f32(p + n, m.plate_width_mm[k]);
    le::put_f32(p + n + 4, m.plate_length_mm[k]);
  }
  const int cells = m.plate_count * m.cells_per_plate;
  for (int c = 0; c < cells; ++c, n += kCellInfoSize) {
    le::put_f32(p + n, m.cells[c].x_mm);
    le::put_f32(p + n + 4, m.cells[c].y_mm);
    le::put_f32(p + n + 8, m.cells[c].gain_n_per_count);
    le::put_i32(p + n + 12, m.cells[c].offset_counts);
  }
  return encode_frame(FrameType::device_info, p, n, out, cap);
}

bool parse_device_info(const FrameView& f, DeviceInfoMsg& m) {
  if (!is(f, FrameType::device_info) || f.payload_size < kDeviceInfoHeaderSize) return false;
  const std::uint8_t* p = f.payload;
  m.protocol_major = p[0];
  m.protocol_minor = p[1];
  get_text(p + 2, m.firmware_version, kTextSize);
  get_text(p + 2 + kTextSize, m.serial, kTextSize);
  const std::uint8_t* q = p + 2 + 2 * kTextSize;
  m.plate_count = q[0];
  m.cells_per_plate = q[1];
  m.adc_bits = q[2];
  m.nominal_rate_hz = le::u16(q + 4);
  m.current_rate_hz = le::u16(q + 6);
  m.calibration_unix_time = le::u32(q + 8);
  if (m.plate_count < 1 || m.plate_count > kMaxPlates || m.cells_per_plate != kCellsPerPlate) return false;
  const int cells = m.plate_count * m.cells_per_plate;
  const std::size_t need = kDeviceInfoHeaderSize + m.plate_count * kPlateInfoSize +
                           static_cast<std::size_t>(cells) * kCellInfoSize;
  if (f.payload_size < need) return false;
  std::size_t n = kDeviceInfoHeaderSize;
  for (int k = 0; k < m.plate_count; ++k, n += kPlateInfoSize) {
    m.plate_width_mm[k] = le::f32(p + n);
    m.plate_length_mm[k] = le::f32(p + n + 4);
  }
  for (int c = 0; c < cells; ++c, n += kCellInfoSize) {
    m.cells[c] = CellInfo{le::f32(p + n), le::f32(p + n + 4), le::f32(p + n + 8), le::i32(p + n + 12)};
  }
  return true;
}

std::size_t encode_samples(const SampleBlockMsg& m, std::uint8_t* out, std::size_t cap) {
  if (m.sample_count < 1 || m.sample_count > kMaxSamplesPerFrame || m.cell_count < 1 ||
      m.cell_count > kMaxCells) {
    return 0;
  }
  std::uint8_t p[kMaxPayload];
  le::put_u32(p, m.first_sequence);
  p[4] = m.sample_count;
  p[5] = m.cell_count;
  p[6] = p[7] = 0;
  std::size_t n = kSamplesHeaderSize;
  for (int s = 0; s < m.sample_count; ++s) {
    le::put_u32(p + n, m.time_us[s]);
    n += 4;
    for (int c = 0; c < m.cell_count; ++c, n += 4) le::put_i32(p + n, m.counts[s][c]);
  }
  return encode_frame(FrameType::samples, p, n, out, cap);
}

bool parse_samples(const FrameView& f, SampleBlockMsg& m) {
  if (!is(f, FrameType::samples) || f.payload_size < kSamplesHeaderSize) return false;
  const std::uint8_t* p = f.payload;
  m.first_sequence = le::u32(p);
  m.sample_count = p[4];
  m.cell_count = p[5];
  if (m.sample_count < 1 || m.sample_count > kMaxSamplesPerFrame || m.cell_count < 1 ||
      m.cell_count > kMaxCells) {
    return false;
  }
  if (f.payload_size < kSamplesHeaderSize + m.sample_count * sample_record_size(m.cell_count)) {
    return false;
  }
  std::size_t n = kSamplesHeaderSize;
  for (int s = 0; s < m.sample_count; ++s) {
    m.time_us[s] = le::u32(p + n);
    n += 4;
    for (int c = 0; c < m.cell_count; ++c, n += 4) m.counts[s][c] = le::i32(p + n);
  }
  return true;
}

std::size_t encode_status(const StatusMsg& m, std::uint8_t* out, std::size_t cap) {
  std::uint8_t p[kStatusSize] = {};
  p[0] = static_cast<std::uint8_t>(m.code);
  le::put_u32(p + 4, m.sequence);
  le::put_u32(p + 8, m.dropped);
  return encode_frame(FrameType::status, p, sizeof p, out, cap);
}

bool parse_status(const FrameView& f, StatusMsg& m) {
  if (!is(f, FrameType::status) || f.payload_size < kStatusSize) return false;
  m.code = static_cast<StatusCode>(f.payload[0]);
  m.sequence = le::u32(f.payload + 4);
  m.dropped = le::u32(f.payload + 8);
  return true;
}

std::size_t encode_reply(const ReplyMsg& m, std::uint8_t* out, std::size_t cap) {
  std::uint8_t p[kReplyHeaderSize + kMaxReplyText];
  le::put_u16(p, m.request_id);
  p[2] = m.command;
  p[3] = static_cast<std::uint8_t>(m.result);
  p[4] = static_cast<std::uint8_t>(m.reason);
  std::size_t len = 0;
  while (len < static_cast<std::size_t>(kMaxReplyText) && m.text[len] != '\0') ++len;
  p[5] = static_cast<std::uint8_t>(len);
  std::memcpy(p + kReplyHeaderSize, m.text, len);
  return encode_frame(FrameType::reply, p, kReplyHeaderSize + len, out, cap);
}

bool parse_reply(const FrameView& f, ReplyMsg& m) {
  if (!is(f, FrameType::reply) || f.payload_size < kReplyHeaderSize) return false;
  const std::uint8_t* p = f.payload;
  m.request_id = le::u16(p);
  m.command = p[2];
  m.result = static_cast<ReplyResult>(p[3]);
  m.reason = static_cast<RefusalReason>(p[4]);
  const std::size_t len = p[5];
  if (len > static_cast<std::size_t>(kMaxReplyText) || f.payload_size < kReplyHeaderSize + len) return false;
  std::memcpy(m.text, p + kReplyHeaderSize, len);
  m.text[len] = '\0';
  return true;
}

std::size_t encode_command(const CommandMsg& m, std::uint8_t* out, std::size_t cap) {
  std::uint8_t p[4];
  le::put_u16(p, m.request_id);
  std::size_t n = 2;
  if (m.type == FrameType::set_rate) {
    le::put_u16(p + 2, m.rate_hz);
    n = 4;
  }
  const auto t = static_cast<std::uint8_t>(m.type);
  if (t < static_cast<std::uint8_t>(FrameType::get_info)) return 0;  // not a command
  return encode_frame(m.type, p, n, out, cap);
}

bool parse_command(const FrameView& f, CommandMsg& m) {
  if (f.type < static_cast<std::uint8_t>(FrameType::get_info) || !is_known_frame_type(f.type) ||
      f.payload_size < 2) {
    return false;
  }
  m.type = static_cast<FrameType>(f.type);
  m.request_id = le::u16(f.payload);
  m.rate_hz = 0;
  if (m.type == FrameType::set_rate) {
    if (f.payload_size < 4) return false;
    m.rate_hz = le::u16(f.payload + 2);
  }
  return true;
}

}  // namespace fp::protocol
