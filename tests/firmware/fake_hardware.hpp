#pragma once
// A fake board for host tests of fp::firmware::DeviceCore: a microsecond clock the test sets, an
// ADC whose readings (and faults) are scripted, and a serial line that captures every frame and
// can be told to refuse (full transmit buffer). Everything the core sends is decoded with the
// protocol library's StreamDecoder and parse_* functions, as a host would.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <set>
#include <vector>

#include "forceplate/firmware/device_core.hpp"
#include "forceplate/firmware/hardware.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace fp::firmware::test {

using protocol::CommandMsg;
using protocol::DeviceInfoMsg;
using protocol::FrameType;
using protocol::RefusalReason;
using protocol::ReplyMsg;
using protocol::ReplyResult;
using protocol::SampleBlockMsg;
using protocol::StatusCode;
using protocol::StatusMsg;
using Bytes = std::vector<std::uint8_t>;

// The reading the fake ADC gives for cell `cell` at its `read`-th conversion (counting from 0)
// unless a test scripts another: distinct for every read and cell, negative for odd cells, so a
// sample can be traced back to the conversion it came from.
inline std::int32_t default_reading(std::uint64_t read, int cell) {
  const auto v = static_cast<std::int32_t>((read % 1000000U) * 10U + static_cast<unsigned>(cell));
  return cell % 2 == 1 ? -v : v;
}

// One frame as the host received it.
struct Received {
  std::uint8_t type = 0;
  Bytes payload;
  protocol::FrameView view() const {
    return protocol::FrameView{1, 0, type, payload.data(), payload.size()};
  }
  bool is(FrameType t) const { return type == static_cast<std::uint8_t>(t); }
};

// One sample, flattened out of the samples frames.
struct Sample {
  std::uint32_t sequence = 0;
  std::uint32_t time_us = 0;
  std::vector<std::int32_t> counts;
};

class FakeHardware : public Hardware {
 public:
  // ---- clock ----
  std::uint32_t now_us = 0;
  std::uint32_t micros() override { return now_us; }

  // ---- ADC ----
  std::uint64_t reads = 0;                    // conversions so far (faulted ones included)
  std::set<std::uint64_t> fault_on_read;      // these conversions (by index) fail
  std::deque<std::vector<std::int32_t>> scripted;  // readings used before default_reading
  bool read_cells(std::int32_t* counts, int cell_count) override {
    const std::uint64_t index = reads++;
    last_cell_count = cell_count;
    if (fault_on_read.count(index) != 0) return false;
    if (!scripted.empty()) {
      const std::vector<std::int32_t> v = scripted.front();
      scripted.pop_front();
      for (int c = 0; c < cell_count; ++c) counts[c] = v.at(static_cast<std::size_t>(c));
      return true;
    }
    for (int c = 0; c < cell_count; ++c) counts[c] = default_reading(index, c);
    return true;
  }
  int last_cell_count = 0;

  // ---- rates ----
  std::function<bool(std::uint16_t)> supports = [](std::uint16_t) { return true; };
  std::vector<std::uint16_t> rates_set;
  bool supports_rate(std::uint16_t rate_hz) override { return supports(rate_hz); }
  void set_rate(std::uint16_t rate_hz) override { rates_set.push_back(rate_hz); }

  // ---- serial line ----
  bool line_full = false;                 // refuse every frame while set
  std::function<bool(const Received&)> refuse_if;  // refuse selected frames (optional)
  std::uint64_t writes_refused = 0;
  bool keep_wire = true;                  // long runs turn this off to save memory
  Bytes wire;                             // every byte accepted, in order
  std::vector<Received> frames;           // every frame accepted, decoded
  bool write_frame(const std::uint8_t* bytes, std::size_t size) override {
    // Decode the candidate on a copy of the decoder, so a refused frame leaves no trace.
    protocol::StreamDecoder trial = decoder_;
    std::vector<Received> got;
    trial.feed(bytes, size, [&](const protocol::FrameView& f) {
      got.push_back(Received{f.type, Bytes(f.payload, f.payload + f.payload_size)});
    });
    const bool refuse =
        line_full || (refuse_if && !got.empty() && refuse_if(got.front()));
    if (refuse) {
      ++writes_refused;
      return false;
    }
    decoder_ = trial;
    if (keep_wire) wire.insert(wire.end(), bytes, bytes + size);
    frames.insert(frames.end(), got.begin(), got.end());
    ++writes_accepted;
    return true;
  }
  std::uint64_t writes_accepted = 0;

  const protocol::DecoderStats& decoder_stats() const { return decoder_.stats(); }
  std::size_t decoder_pending() const { return decoder_.pending_bytes(); }

  // ---- reading what was sent ----
  template <class Msg, class Parse>
  std::vector<Msg> parsed(FrameType t, Parse parse, std::size_t from = 0) const {
    std::vector<Msg> out;
    for (std::size_t i = from; i < frames.size(); ++i) {
      if (!frames[i].is(t)) continue;
      Msg m{};
      EXPECT_TRUE(parse(frames[i].view(), m)) << "frame " << i << " does not parse";
      out.push_back(m);
    }
    return out;
  }
  std::vector<ReplyMsg> replies(std::size_t from = 0) const {
    return parsed<ReplyMsg>(FrameType::reply, protocol::parse_reply, from);
  }
  std::vector<StatusMsg> statuses(std::size_t from = 0) const {
    return parsed<StatusMsg>(FrameType::status, protocol::parse_status, from);
  }
  std::vector<DeviceInfoMsg> infos(std::size_t from = 0) const {
    return parsed<DeviceInfoMsg>(FrameType::device_info, protocol::parse_device_info, from);
  }
  std::vector<SampleBlockMsg> blocks(std::size_t from = 0) const {
    return parsed<SampleBlockMsg>(FrameType::samples, protocol::parse_samples, from);
  }
  std::vector<Sample> samples(std::size_t from = 0) const {
    std::vector<Sample> out;
    for (const SampleBlockMsg& b : blocks(from)) {
      for (int s = 0; s < b.sample_count; ++s) {
        Sample x;
        x.sequence = b.first_sequence + static_cast<std::uint32_t>(s);
        x.time_us = b.time_us[s];
        x.counts.assign(b.counts[s], b.counts[s] + b.cell_count);
        out.push_back(std::move(x));
      }
    }
    return out;
  }
  void clear_received() { frames.clear(); }

 private:
  protocol::StreamDecoder decoder_;
};

// ---- device configurations ----
inline DeviceConfig make_config(int plates = 1, std::uint16_t nominal_rate_hz = 1000) {
  DeviceConfig cfg;
  DeviceInfoMsg& m = cfg.info;
  std::snprintf(m.firmware_version, sizeof m.firmware_version, "%s", "test-fw 2.3.4");
  std::snprintf(m.serial, sizeof m.serial, "%s", "FP-TEST-0000042");
  m.plate_count = static_cast<std::uint8_t>(plates);
  m.adc_bits = 24;
  m.nominal_rate_hz = nominal_rate_hz;
  m.current_rate_hz = 0;  // the core sets it from the nominal rate
  m.calibration_unix_time = 1717243200U;
  const float xs[4] = {-200.0F, 200.0F, 200.0F, -200.0F};  // front-left, front-right, back-right, back-left
  const float ys[4] = {300.0F, 300.0F, -300.0F, -300.0F};
  for (int k = 0; k < plates; ++k) {
    m.plate_width_mm[k] = 500.0F + static_cast<float>(k);
    m.plate_length_mm[k] = 700.0F - static_cast<float>(k);
    for (int c = 0; c < 4; ++c) {
      protocol::CellInfo& cell = m.cells[k * 4 + c];
      cell.x_mm = xs[c] + 0.5F * static_cast<float>(k);
      cell.y_mm = ys[c];
      cell.gain_n_per_count = 0.001F * static_cast<float>(c + 1 + 4 * k);
      cell.offset_counts = 1000 * (c + 1) + 100 * k;
    }
  }
  return cfg;
}

// ---- the host side ----
inline Bytes command_bytes(FrameType type, std::uint16_t request_id, std::uint16_t rate_hz = 0) {
  CommandMsg c;
  c.type = type;
  c.request_id = request_id;
  c.rate_hz = rate_hz;
  std::uint8_t buf[protocol::kMaxWireFrame];
  const std::size_t n = protocol::encode_command(c, buf, sizeof buf);
  EXPECT_GT(n, 0U);
  return Bytes(buf, buf + n);
}

inline void send(DeviceCore& core, FrameType type, std::uint16_t request_id,
                 std::uint16_t rate_hz = 0) {
  const Bytes b = command_bytes(type, request_id, rate_hz);
  core.on_bytes(b.data(), b.size());
}

// Advances the fake clock to `until_us` (wrapping) in steps of `step_us`, ticking after each.
inline void run_for(DeviceCore& core, FakeHardware& hw, std::uint64_t duration_us,
                    std::uint32_t step_us) {
  std::uint64_t done = 0;
  while (done < duration_us) {
    const std::uint64_t step = std::min<std::uint64_t>(step_us, duration_us - done);
    hw.now_us += static_cast<std::uint32_t>(step);
    done += step;
    core.tick();
  }
}

}  // namespace fp::firmware::test
