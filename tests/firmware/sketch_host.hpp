#pragma once
// Helpers to run an Arduino sketch's setup()/loop() on the fake Arduino core and talk to it as the
// host does: commands into the fake Serial, frames out of it through the protocol decoder.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "Arduino.h"
#include "fake_hardware.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace fp::firmware::test {

// Everything the sketch has written to Serial so far, decoded.
class SerialHost {
 public:
  void send(FrameType type, std::uint16_t id, std::uint16_t rate_hz = 0) {
    const Bytes b = command_bytes(type, id, rate_hz);
    fake_arduino::state().serial_rx.insert(fake_arduino::state().serial_rx.end(), b.begin(), b.end());
  }

  // Runs loop() while the fake clock advances by `duration_us` (plus whatever loop() spends),
  // `step_us` between calls; the line drains completely between calls.
  void run(const std::function<void()>& loop, std::uint32_t duration_us, std::uint32_t step_us) {
    const std::uint32_t start = fake_arduino::state().now_us;
    while (fake_arduino::state().now_us - start < duration_us) {
      fake_arduino::advance_us(step_us);
      loop();
      fake_arduino::drain_tx();
      collect();
    }
  }

  void collect() {
    std::vector<std::uint8_t>& tx = fake_arduino::state().serial_tx;
    decoder_.feed(tx.data(), tx.size(), [&](const protocol::FrameView& f) {
      frames.push_back(Received{f.type, Bytes(f.payload, f.payload + f.payload_size)});
    });
    raw.insert(raw.end(), tx.begin(), tx.end());
    tx.clear();
  }

  template <class Msg, class Parse>
  std::vector<Msg> parsed(FrameType t, Parse parse) const {
    std::vector<Msg> out;
    for (const Received& r : frames) {
      if (!r.is(t)) continue;
      Msg m{};
      EXPECT_TRUE(parse(r.view(), m));
      out.push_back(m);
    }
    return out;
  }
  std::vector<ReplyMsg> replies() const { return parsed<ReplyMsg>(FrameType::reply, protocol::parse_reply); }
  std::vector<StatusMsg> statuses() const { return parsed<StatusMsg>(FrameType::status, protocol::parse_status); }
  std::vector<DeviceInfoMsg> infos() const {
    return parsed<DeviceInfoMsg>(FrameType::device_info, protocol::parse_device_info);
  }
  std::vector<Sample> samples() const {
    std::vector<Sample> out;
    for (const SampleBlockMsg& b : parsed<SampleBlockMsg>(FrameType::samples, protocol::parse_samples)) {
      for (int s = 0; s < b.sample_count; ++s) {
        out.push_back(Sample{b.first_sequence + static_cast<std::uint32_t>(s), b.time_us[s],
                             std::vector<std::int32_t>(b.counts[s], b.counts[s] + b.cell_count)});
      }
    }
    return out;
  }
  const protocol::DecoderStats& stats() const { return decoder_.stats(); }
  void clear() { frames.clear(); }

  std::vector<Received> frames;
  Bytes raw;  // every byte the sketch wrote, in order

 private:
  protocol::StreamDecoder decoder_;
};

}  // namespace fp::firmware::test
