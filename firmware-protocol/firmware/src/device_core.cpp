#include "forceplate/firmware/device_core.hpp"

namespace fp::firmware {

using protocol::CommandMsg;
using protocol::FrameType;
using protocol::FrameView;
using protocol::RefusalReason;
using protocol::ReplyResult;
using protocol::StatusCode;

namespace {
// A main loop that falls further behind than this gives the slots up as dropped rather than
// bursting stale conversions.
constexpr int kMaxCatchUp = 64;
constexpr int kTareReadings = 16;
}  // namespace

DeviceCore::DeviceCore(Hardware& hw, const DeviceConfig& config) : hw_(hw), config_(config) {
  period_us_ = 1000000U / config_.info.nominal_rate_hz;
  config_.info.current_rate_hz = config_.info.nominal_rate_hz;
}

void DeviceCore::begin() { report_status(StatusCode::boot, next_sequence_, 0); }

void DeviceCore::on_bytes(const std::uint8_t* data, std::size_t size) {
  decoder_.feed(data, size, [this](const FrameView& f) { handle(f); });
}

int DeviceCore::samples_per_frame() const {
  // About one frame per 5 ms keeps latency low without wasting the line on headers.
  const int n = config_.info.current_rate_hz / 200;
  return n < 1 ? 1 : (n > protocol::kMaxSamplesPerFrame ? protocol::kMaxSamplesPerFrame : n);
}

void DeviceCore::tick() {
  if (!streaming_) return;
  const std::uint32_t now = hw_.micros();
  int taken = 0;
  while (static_cast<std::int32_t>(now - next_due_us_) >= 0) {
    if (taken++ == kMaxCatchUp) {
      // Stalled: every slot we skip still consumes a sequence number, so the host sees the gap.
      while (static_cast<std::int32_t>(now - next_due_us_) >= 0) {
        flush_block();
        if (drop_run_ == 0) drop_run_start_ = next_sequence_;
        ++drop_run_;
        ++dropped_total_;
        ++next_sequence_;
        next_due_us_ += period_us_;
      }
      break;
    }
    take_sample(next_due_us_);
    next_due_us_ += period_us_;
  }
}

void DeviceCore::take_sample(std::uint32_t time_us) {
  std::int32_t counts[protocol::kMaxCells];
  const int cells = config_.info.plate_count * config_.info.cells_per_plate;
  if (!hw_.read_cells(counts, cells)) {
    flush_block();
    report_status(StatusCode::adc_fault, next_sequence_, 1);
    ++dropped_total_;
    ++next_sequence_;
    return;
  }
  if (block_.sample_count == 0) {
    block_.first_sequence = next_sequence_;
    block_.cell_count = static_cast<std::uint8_t>(cells);
  }
  const int s = block_.sample_count++;
  block_.time_us[s] = time_us;
  for (int c = 0; c < cells; ++c) block_.counts[s][c] = counts[c];
  ++next_sequence_;
  if (block_.sample_count >= samples_per_frame()) flush_block();
}

void DeviceCore::flush_block() {
  if (block_.sample_count == 0) return;
  if (drop_run_ > 0) {
    protocol::StatusMsg st{StatusCode::overrun, drop_run_start_, drop_run_};
    const std::size_t n = protocol::encode_status(st, wire_, sizeof wire_);
    if (hw_.write_frame(wire_, n)) drop_run_ = 0;
  }
  const std::size_t n = protocol::encode_samples(block_, wire_, sizeof wire_);
  if (!hw_.write_frame(wire_, n)) {
    if (drop_run_ == 0) drop_run_start_ = block_.first_sequence;
    drop_run_ += block_.sample_count;
    dropped_total_ += block_.sample_count;
  }
  block_.sample_count = 0;
}

void DeviceCore::report_status(StatusCode code, std::uint32_t sequence, std::uint32_t dropped) {
  const std::size_t n = protocol::encode_status(protocol::StatusMsg{code, sequence, dropped}, wire_,
                                                sizeof wire_);
  hw_.write_frame(wire_, n);
}

void DeviceCore::send_info() {
  const std::size_t n = protocol::encode_device_info(config_.info, wire_, sizeof wire_);
  hw_.write_frame(wire_, n);
}

void DeviceCore::reply(const CommandMsg& cmd, ReplyResult result, RefusalReason reason,
                       const char* text) {
  protocol::ReplyMsg r{};
  r.request_id = cmd.request_id;
  r.command = static_cast<std::uint8_t>(cmd.type);
  r.result = result;
  r.reason = reason;
  for (int i = 0; i < protocol::kMaxReplyText && text[i] != '\0'; ++i) r.text[i] = text[i];
  const std::size_t n = protocol::encode_reply(r, wire_, sizeof wire_);
  hw_.write_frame(wire_, n);
}

void DeviceCore::handle(const FrameView& f) {
  CommandMsg cmd{};
  if (!protocol::parse_command(f, cmd)) {
    cmd.type = static_cast<FrameType>(f.type);
    cmd.request_id = f.payload_size >= 2 ? static_cast<std::uint16_t>(f.payload[0] | (f.payload[1] << 8)) : 0;
    reply(cmd, ReplyResult::refused, RefusalReason::unknown_command, "unknown command");
    return;
  }
  const auto ack = [&] { reply(cmd, ReplyResult::ack, RefusalReason::none, ""); };
  switch (cmd.type) {
    case FrameType::get_info:
      send_info();
      ack();
      return;
    case FrameType::start:
      if (!streaming_) {
        streaming_ = true;
        block_.sample_count = 0;
        next_due_us_ = hw_.micros() + period_us_;
      }
      ack();
      return;
    case FrameType::stop:
      flush_block();
      streaming_ = false;
      ack();
      return;
    case FrameType::set_rate:
      if (streaming_) {
        reply(cmd, ReplyResult::refused, RefusalReason::not_now, "stop streaming first");
      } else if (cmd.rate_hz < config_.min_rate_hz || cmd.rate_hz > config_.max_rate_hz ||
                 !hw_.supports_rate(cmd.rate_hz)) {
        reply(cmd, ReplyResult::refused, RefusalReason::bad_argument, "rate not supported");
      } else {
        hw_.set_rate(cmd.rate_hz);
        config_.info.current_rate_hz = cmd.rate_hz;
        period_us_ = 1000000U / cmd.rate_hz;
        ack();
      }
      return;
    case FrameType::tare: {
      if (streaming_) {
        reply(cmd, ReplyResult::refused, RefusalReason::not_now, "stop streaming first");
        return;
      }
      const int cells = config_.info.plate_count * config_.info.cells_per_plate;
      std::int64_t sum[protocol::kMaxCells] = {};
      std::int32_t counts[protocol::kMaxCells];
      for (int k = 0; k < kTareReadings; ++k) {
        if (!hw_.read_cells(counts, cells)) {
          reply(cmd, ReplyResult::refused, RefusalReason::hardware_fault, "ADC fault during tare");
          return;
        }
        for (int c = 0; c < cells; ++c) sum[c] += counts[c];
      }
      for (int c = 0; c < cells; ++c) {
        config_.info.cells[c].offset_counts = static_cast<std::int32_t>(sum[c] / kTareReadings);
      }
      ack();
      return;
    }
    case FrameType::ping:
      ack();
      return;
    default:
      reply(cmd, ReplyResult::refused, RefusalReason::unknown_command, "not a command");
      return;
  }
}

}  // namespace fp::firmware
