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
  use_rate(config_.info.nominal_rate_hz);
}

void DeviceCore::use_rate(std::uint16_t rate_hz) {
  config_.info.current_rate_hz = rate_hz;
  period_us_ = 1000000U / rate_hz;
  period_rem_ = 1000000U % rate_hz;
}

void DeviceCore::advance_due() {
  // Slot k is due at start + floor(k * 1e6 / rate) µs: the whole period plus a Bresenham
  // remainder, so rates that do not divide a second (600 Hz: 1666.67 µs) keep their exact average
  // instead of running fast by the truncated fraction (0.04 % at 600 Hz).
  next_due_us_ += period_us_;
  due_phase_ += period_rem_;
  if (due_phase_ >= config_.info.current_rate_hz) {
    due_phase_ -= config_.info.current_rate_hz;
    ++next_due_us_;
  }
}

void DeviceCore::begin() {
  // docs/protocol.md §2.3: one 0x00 first, so that a frame the reset cut short is closed on the
  // host's side and does not swallow the boot status.
  const std::uint8_t delimiter = protocol::kDelimiter;
  hw_.write_frame(&delimiter, 1);
  report_status(StatusCode::boot, next_sequence_, 0);
}

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
      flush_block();
      while (static_cast<std::int32_t>(now - next_due_us_) >= 0) {
        drop_slots(next_sequence_, 1);
        ++next_sequence_;
        advance_due();
      }
      break;
    }
    take_sample(next_due_us_);
    advance_due();
  }
}

void DeviceCore::take_sample(std::uint32_t time_us) {
  std::int32_t counts[protocol::kMaxCells];
  const int cells = config_.info.plate_count * config_.info.cells_per_plate;
  if (!hw_.read_cells(counts, cells)) {
    flush_block();
    // Every lost slot is reported in exactly one status frame, in sequence order: as adc_fault
    // when the line takes it, otherwise as part of the overrun run still waiting to be reported.
    if (report_overrun() && report_status(StatusCode::adc_fault, next_sequence_, 1)) {
      ++dropped_total_;
    } else {
      drop_slots(next_sequence_, 1);
    }
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

void DeviceCore::drop_slots(std::uint32_t first, std::uint32_t count) {
  // The run stays contiguous: while it waits to be reported nothing with a sequence number is
  // sent (flush_block and take_sample report it first), so every slot since its start was lost.
  if (drop_run_ == 0) drop_run_start_ = first;
  drop_run_ += count;
  dropped_total_ += count;
}

bool DeviceCore::report_overrun() {
  if (drop_run_ == 0) return true;
  if (!report_status(StatusCode::overrun, drop_run_start_, drop_run_)) return false;
  drop_run_ = 0;
  return true;
}

void DeviceCore::flush_block() {
  if (block_.sample_count == 0) return;
  // The overrun report goes first; if the line cannot take even that, the block joins the run
  // rather than overtaking it (samples after a gap never arrive before the report of the gap).
  bool sent = report_overrun();
  if (sent) {
    const std::size_t n = protocol::encode_samples(block_, wire_, sizeof wire_);
    sent = hw_.write_frame(wire_, n);
  }
  if (!sent) drop_slots(block_.first_sequence, block_.sample_count);
  block_.sample_count = 0;
}

bool DeviceCore::report_status(StatusCode code, std::uint32_t sequence, std::uint32_t dropped) {
  const std::size_t n = protocol::encode_status(protocol::StatusMsg{code, sequence, dropped}, wire_,
                                                sizeof wire_);
  return hw_.write_frame(wire_, n);
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
        next_due_us_ = hw_.micros();
        due_phase_ = 0;
        advance_due();  // the first slot is one period after the start
      }
      ack();
      return;
    case FrameType::stop:
      flush_block();
      report_overrun();  // a stall just before the stop is reported now if the line allows
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
        use_rate(cmd.rate_hz);
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
