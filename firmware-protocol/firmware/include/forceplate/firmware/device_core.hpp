#pragma once
// The reference firmware: protocol handling, sample timing and framing for any board that
// implements Hardware. No heap, no exceptions; call on_bytes() with received bytes and tick()
// as often as possible from the main loop.
#include <cstdint>

#include "forceplate/firmware/hardware.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace fp::firmware {

struct DeviceConfig {
  protocol::DeviceInfoMsg info;  // identity, geometry, stored calibration, nominal rate
  std::uint16_t min_rate_hz = 10;
  std::uint16_t max_rate_hz = 2000;
};

class DeviceCore {
 public:
  DeviceCore(Hardware& hw, const DeviceConfig& config);

  // Announces the (re)boot with a status frame; call once after power-up.
  void begin();

  void on_bytes(const std::uint8_t* data, std::size_t size);
  void tick();

  bool streaming() const { return streaming_; }
  std::uint32_t next_sequence() const { return next_sequence_; }
  std::uint32_t samples_dropped() const { return dropped_total_; }
  const protocol::DeviceInfoMsg& info() const { return config_.info; }

 private:
  void handle(const protocol::FrameView& frame);
  void reply(const protocol::CommandMsg& cmd, protocol::ReplyResult result,
             protocol::RefusalReason reason, const char* text);
  void send_info();
  void use_rate(std::uint16_t rate_hz);
  void advance_due();
  void take_sample(std::uint32_t time_us);
  void flush_block();
  void drop_slots(std::uint32_t first, std::uint32_t count);
  bool report_overrun();
  bool report_status(protocol::StatusCode code, std::uint32_t sequence, std::uint32_t dropped);
  int samples_per_frame() const;

  Hardware& hw_;
  DeviceConfig config_;
  protocol::StreamDecoder decoder_;
  protocol::SampleBlockMsg block_{};
  bool streaming_ = false;
  std::uint32_t period_us_ = 0;   // whole microseconds of one period
  std::uint32_t period_rem_ = 0;  // 1e6 mod rate: the fraction, in units of 1/rate µs
  std::uint32_t due_phase_ = 0;   // accumulated fraction, 0 … rate-1
  std::uint32_t next_due_us_ = 0;
  std::uint32_t next_sequence_ = 0;
  std::uint32_t dropped_total_ = 0;
  std::uint32_t drop_run_start_ = 0;  // first sequence of the current unreported drop run
  std::uint32_t drop_run_ = 0;
  std::uint8_t wire_[protocol::kMaxWireFrame];
};

}  // namespace fp::firmware
