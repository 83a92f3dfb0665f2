// Host tests of the reference firmware core (fp::firmware::DeviceCore) against docs/protocol.md,
// on a fake board whose clock, ADC and serial line the tests drive (fake_hardware.hpp). Everything
// the core sends is decoded with the protocol library, as the host would.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "fake_hardware.hpp"
#include "forceplate/firmware/device_core.hpp"
#include "forceplate/protocol/frame.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace fp::firmware::test {
namespace {

constexpr std::uint8_t kGetInfo = static_cast<std::uint8_t>(FrameType::get_info);
constexpr std::uint8_t kStart = static_cast<std::uint8_t>(FrameType::start);
constexpr std::uint8_t kStop = static_cast<std::uint8_t>(FrameType::stop);
constexpr std::uint8_t kSetRate = static_cast<std::uint8_t>(FrameType::set_rate);
constexpr std::uint8_t kTare = static_cast<std::uint8_t>(FrameType::tare);
constexpr std::uint8_t kPing = static_cast<std::uint8_t>(FrameType::ping);

void expect_ack(const ReplyMsg& r, std::uint16_t id, std::uint8_t command) {
  EXPECT_EQ(r.request_id, id);
  EXPECT_EQ(r.command, command);
  EXPECT_EQ(r.result, ReplyResult::ack);
  EXPECT_EQ(r.reason, RefusalReason::none);
  EXPECT_STREQ(r.text, "");
}

void expect_refusal(const ReplyMsg& r, std::uint16_t id, std::uint8_t command,
                    RefusalReason reason) {
  EXPECT_EQ(r.request_id, id);
  EXPECT_EQ(r.command, command);
  EXPECT_EQ(r.result, ReplyResult::refused);
  EXPECT_EQ(r.reason, reason);
  EXPECT_GT(std::strlen(r.text), 0U) << "a refusal should say why";
}

// The host's decoder saw nothing but well-formed frames.
void expect_clean_line(const FakeHardware& hw) {
  const protocol::DecoderStats& s = hw.decoder_stats();
  EXPECT_EQ(s.crc_errors + s.framing_errors + s.oversize_frames + s.version_mismatches, 0U);
  EXPECT_EQ(s.bytes_discarded, 0U);
  EXPECT_EQ(hw.decoder_pending(), 0U);
}

// A started device on a fake board, boot status and start ack already received and cleared.
struct Streaming {
  explicit Streaming(DeviceConfig cfg = make_config(), std::uint32_t t_start = 1000000)
      : core(hw, cfg) {
    core.begin();
    hw.now_us = t_start;
    send(core, FrameType::start, 1);
    hw.clear_received();
  }
  FakeHardware hw;
  DeviceCore core;
};

// ============================================================================ boot

TEST(DeviceCoreBoot, Begin_SendsOneDelimiterThenABootStatusForSequenceZero) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  core.begin();
  ASSERT_GE(hw.wire.size(), 2U);
  EXPECT_EQ(hw.wire[0], 0x00) << "§2.3: a device sends one 0x00 when it starts";
  EXPECT_NE(hw.wire[1], 0x00);
  ASSERT_EQ(hw.frames.size(), 1U);
  const std::vector<StatusMsg> st = hw.statuses();
  ASSERT_EQ(st.size(), 1U);
  EXPECT_EQ(st[0].code, StatusCode::boot);
  EXPECT_EQ(st[0].sequence, 0U);
  EXPECT_EQ(st[0].dropped, 0U);
  EXPECT_FALSE(core.streaming());
  EXPECT_EQ(core.next_sequence(), 0U);
  expect_clean_line(hw);
}

TEST(DeviceCoreBoot, Begin_AfterAResetCutAFrameShort_TheHostStillReceivesTheBootStatus) {
  // The host had received the first half of a frame when the device reset.
  FakeHardware before;
  DeviceCore old_core(before, make_config());
  send(old_core, FrameType::get_info, 5);
  const Bytes half(before.wire.begin(), before.wire.begin() + 40);

  FakeHardware hw;
  DeviceCore core(hw, make_config());
  core.begin();
  Bytes line = half;
  line.insert(line.end(), hw.wire.begin(), hw.wire.end());

  protocol::StreamDecoder host;
  std::vector<std::uint8_t> types;
  host.feed(line.data(), line.size(),
            [&](const protocol::FrameView& f) { types.push_back(f.type); });
  ASSERT_EQ(types.size(), 1U);
  EXPECT_EQ(types[0], static_cast<std::uint8_t>(FrameType::status));
  EXPECT_EQ(host.stats().framing_errors + host.stats().crc_errors, 1U) << "only the cut frame is lost";
}

// ============================================================================ get_info

class DeviceCoreGetInfo : public ::testing::TestWithParam<int> {};

TEST_P(DeviceCoreGetInfo, GetInfo_SendsDeviceInfoWithEveryFieldThenAcksWithTheSameRequestId) {
  const int plates = GetParam();
  const DeviceConfig cfg = make_config(plates, 1000);
  FakeHardware hw;
  DeviceCore core(hw, cfg);
  core.begin();
  hw.clear_received();
  send(core, FrameType::get_info, 0xBEEF);

  ASSERT_EQ(hw.frames.size(), 2U);
  ASSERT_TRUE(hw.frames[0].is(FrameType::device_info));
  ASSERT_TRUE(hw.frames[1].is(FrameType::reply));
  EXPECT_EQ(hw.frames[0].payload.size(), 46U + 72U * static_cast<unsigned>(plates));
  const DeviceInfoMsg m = hw.infos().at(0);
  const DeviceInfoMsg& want = cfg.info;
  EXPECT_EQ(m.protocol_major, 1);
  EXPECT_EQ(m.protocol_minor, 0);
  EXPECT_STREQ(m.firmware_version, want.firmware_version);
  EXPECT_STREQ(m.serial, want.serial);
  EXPECT_EQ(m.plate_count, plates);
  EXPECT_EQ(m.cells_per_plate, 4);
  EXPECT_EQ(m.adc_bits, 24);
  EXPECT_EQ(m.nominal_rate_hz, 1000);
  EXPECT_EQ(m.current_rate_hz, 1000) << "after boot the nominal rate is in effect";
  EXPECT_EQ(m.calibration_unix_time, want.calibration_unix_time);
  for (int k = 0; k < plates; ++k) {
    EXPECT_EQ(m.plate_width_mm[k], want.plate_width_mm[k]) << "plate " << k;
    EXPECT_EQ(m.plate_length_mm[k], want.plate_length_mm[k]) << "plate " << k;
  }
  for (int c = 0; c < 4 * plates; ++c) {
    EXPECT_EQ(m.cells[c].x_mm, want.cells[c].x_mm) << "cell " << c;
    EXPECT_EQ(m.cells[c].y_mm, want.cells[c].y_mm) << "cell " << c;
    EXPECT_EQ(m.cells[c].gain_n_per_count, want.cells[c].gain_n_per_count) << "cell " << c;
    EXPECT_EQ(m.cells[c].offset_counts, want.cells[c].offset_counts) << "cell " << c;
  }
  expect_ack(hw.replies().at(0), 0xBEEF, kGetInfo);
  expect_clean_line(hw);
}

INSTANTIATE_TEST_SUITE_P(OneAndTwoPlates, DeviceCoreGetInfo, ::testing::Values(1, 2),
                         [](const auto& p) { return std::to_string(p.param) + "Plates"; });

// ============================================================================ start / sampling

TEST(DeviceCoreStreaming, Start_AcksBeforeAnySampleAndTheFirstSlotIsOnePeriodLater) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  core.begin();
  hw.clear_received();
  hw.now_us = 5000000;
  send(core, FrameType::start, 77);
  ASSERT_EQ(hw.frames.size(), 1U);
  expect_ack(hw.replies().at(0), 77, kStart);
  EXPECT_TRUE(core.streaming());

  run_for(core, hw, 999, 1);
  EXPECT_EQ(core.next_sequence(), 0U) << "nothing is due before one period has passed";
  run_for(core, hw, 1, 1);
  EXPECT_EQ(core.next_sequence(), 1U);
}

TEST(DeviceCoreStreaming, Start_ThenTheClockAdvances_SamplesAtExactlyTheNominalRate) {
  Streaming d;  // 1000 Hz, started at t = 1 s
  const std::uint32_t t_start = d.hw.now_us;
  // Tick every microsecond for 100 ms: after each tick exactly floor(elapsed / period) slots.
  for (std::uint32_t us = 1; us <= 100000; ++us) {
    d.hw.now_us = t_start + us;
    d.core.tick();
    ASSERT_EQ(d.core.next_sequence(), us / 1000) << "at " << us << " µs after start";
  }
  const std::vector<Sample> s = d.hw.samples();
  ASSERT_EQ(s.size(), 100U);
  for (std::uint32_t k = 0; k < s.size(); ++k) {
    EXPECT_EQ(s[k].sequence, k);
    EXPECT_EQ(s[k].time_us, t_start + (k + 1) * 1000) << "sample " << k;
    ASSERT_EQ(s[k].counts.size(), 4U);
    for (int c = 0; c < 4; ++c) EXPECT_EQ(s[k].counts[static_cast<std::size_t>(c)], default_reading(k, c));
  }
  for (const SampleBlockMsg& b : d.hw.blocks()) {
    EXPECT_EQ(b.sample_count, 5) << "1000 Hz / 200 = 5 samples per frame";
    EXPECT_EQ(b.cell_count, 4);
  }
  EXPECT_EQ(d.hw.statuses().size(), 0U);
  EXPECT_EQ(d.core.samples_dropped(), 0U);
  expect_clean_line(d.hw);
}

TEST(DeviceCoreStreaming, Start_WithTwoPlates_SendsEightCellsPerSample) {
  Streaming d(make_config(2, 2000));
  run_for(d.core, d.hw, 10000, 100);
  const std::vector<Sample> s = d.hw.samples();
  ASSERT_EQ(s.size(), 20U);
  EXPECT_EQ(d.hw.last_cell_count, 8);
  for (const Sample& x : s) {
    ASSERT_EQ(x.counts.size(), 8U);
    for (int c = 0; c < 8; ++c) EXPECT_EQ(x.counts[static_cast<std::size_t>(c)], default_reading(x.sequence, c));
  }
  for (const SampleBlockMsg& b : d.hw.blocks()) EXPECT_EQ(b.sample_count, 10);
}

TEST(DeviceCoreStreaming, Start_WhileStreaming_AcksAndChangesNothing) {
  Streaming d;
  const std::uint32_t t_start = d.hw.now_us;
  run_for(d.core, d.hw, 2500, 10);
  send(d.core, FrameType::start, 2);
  run_for(d.core, d.hw, 7500, 10);
  expect_ack(d.hw.replies().at(0), 2, kStart);
  const std::vector<Sample> s = d.hw.samples();
  ASSERT_EQ(s.size(), 10U);
  for (std::uint32_t k = 0; k < s.size(); ++k) {
    EXPECT_EQ(s[k].sequence, k);
    EXPECT_EQ(s[k].time_us, t_start + (k + 1) * 1000);
  }
}

struct RateCase {
  std::uint16_t rate_hz;
  int samples_per_frame;
};

class DeviceCoreSamplesPerFrame : public ::testing::TestWithParam<RateCase> {};

TEST_P(DeviceCoreSamplesPerFrame, EveryFrameCarriesRateOver200SamplesBetween1And16) {
  const RateCase rc = GetParam();
  DeviceConfig cfg = make_config(1, 1000);
  cfg.max_rate_hz = 4000;  // only to reach the cap of 16 per frame
  FakeHardware hw;
  DeviceCore core(hw, cfg);
  hw.now_us = 42;
  send(core, FrameType::set_rate, 1, rc.rate_hz);
  send(core, FrameType::start, 2);
  expect_ack(hw.replies().at(0), 1, kSetRate);
  const int frames = 5;
  const std::uint64_t slots = static_cast<std::uint64_t>(rc.samples_per_frame) * frames;
  run_for(core, hw, (slots * 1000000U + rc.rate_hz - 1) / rc.rate_hz, 50);
  const std::vector<SampleBlockMsg> b = hw.blocks();
  ASSERT_EQ(b.size(), static_cast<std::size_t>(frames));
  for (const SampleBlockMsg& m : b) EXPECT_EQ(m.sample_count, rc.samples_per_frame);
  EXPECT_EQ(core.next_sequence(), slots);
}

INSTANTIATE_TEST_SUITE_P(
    Rates, DeviceCoreSamplesPerFrame,
    ::testing::Values(RateCase{10, 1}, RateCase{80, 1}, RateCase{199, 1}, RateCase{200, 1},
                      RateCase{399, 1}, RateCase{400, 2}, RateCase{1000, 5}, RateCase{1999, 9},
                      RateCase{2000, 10}, RateCase{3200, 16}, RateCase{4000, 16}),
    [](const auto& p) { return std::to_string(p.param.rate_hz) + "Hz"; });

// ============================================================================ stop

TEST(DeviceCoreStop, Stop_FlushesThePartialBlockThenAcks) {
  Streaming d;  // 5 samples per frame
  run_for(d.core, d.hw, 7000, 100);
  ASSERT_EQ(d.hw.blocks().size(), 1U);
  const std::size_t mark = d.hw.frames.size();
  send(d.core, FrameType::stop, 9);
  ASSERT_EQ(d.hw.frames.size(), mark + 2);
  ASSERT_TRUE(d.hw.frames[mark].is(FrameType::samples)) << "the partial block comes before the ack";
  const SampleBlockMsg last = d.hw.blocks(mark).at(0);
  EXPECT_EQ(last.first_sequence, 5U);
  EXPECT_EQ(last.sample_count, 2);
  expect_ack(d.hw.replies(mark).at(0), 9, kStop);
  EXPECT_FALSE(d.core.streaming());

  // Nothing more after the stop, however long the clock runs.
  const std::size_t after = d.hw.frames.size();
  run_for(d.core, d.hw, 100000, 1000);
  EXPECT_EQ(d.hw.frames.size(), after);
  EXPECT_EQ(d.core.next_sequence(), 7U);
}

TEST(DeviceCoreStop, StartAfterStop_ContinuesTheSequenceNumbersOnANewSchedule) {
  Streaming d;
  run_for(d.core, d.hw, 7000, 100);
  send(d.core, FrameType::stop, 9);
  run_for(d.core, d.hw, 123457, 1000);
  const std::uint32_t t_restart = d.hw.now_us;
  d.hw.clear_received();
  send(d.core, FrameType::start, 10);
  run_for(d.core, d.hw, 5000, 100);
  const std::vector<Sample> s = d.hw.samples();
  ASSERT_EQ(s.size(), 5U);
  for (std::uint32_t k = 0; k < 5; ++k) {
    EXPECT_EQ(s[k].sequence, 7 + k) << "sequence numbers keep counting across stop/start";
    EXPECT_EQ(s[k].time_us, t_restart + (k + 1) * 1000);
  }
}

TEST(DeviceCoreStop, Stop_WhenStopped_AcksAndSendsNothingElse) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  send(core, FrameType::stop, 3);
  ASSERT_EQ(hw.frames.size(), 1U);
  expect_ack(hw.replies().at(0), 3, kStop);
}

// ============================================================================ set_rate

TEST(DeviceCoreSetRate, SetRate_WhileStreaming_IsRefusedWithNotNowAndTheRateStays) {
  Streaming d;
  const std::uint32_t t_start = d.hw.now_us;
  send(d.core, FrameType::set_rate, 21, 500);
  expect_refusal(d.hw.replies().at(0), 21, kSetRate, RefusalReason::not_now);
  EXPECT_TRUE(d.hw.rates_set.empty());
  run_for(d.core, d.hw, 10000, 100);
  const std::vector<Sample> s = d.hw.samples();
  ASSERT_EQ(s.size(), 10U);
  EXPECT_EQ(s.back().time_us, t_start + 10000) << "still 1000 Hz";
  send(d.core, FrameType::get_info, 22);
  EXPECT_EQ(d.hw.infos().at(0).current_rate_hz, 1000);
}

TEST(DeviceCoreSetRate, SetRate_OutsideTheDocumentedRangeOrTheAdcs_IsRefusedWithBadArgument) {
  FakeHardware hw;
  hw.supports = [](std::uint16_t r) { return r != 1234; };
  DeviceCore core(hw, make_config());
  const std::uint16_t bad[] = {0, 1, 9, 2001, 5000, 65535, 1234};
  std::uint16_t id = 100;
  for (std::uint16_t r : bad) send(core, FrameType::set_rate, id++, r);
  const std::vector<ReplyMsg> replies = hw.replies();
  ASSERT_EQ(replies.size(), std::size(bad));
  for (std::size_t i = 0; i < replies.size(); ++i) {
    SCOPED_TRACE("rate " + std::to_string(bad[i]));
    expect_refusal(replies[i], static_cast<std::uint16_t>(100 + i), kSetRate,
                   RefusalReason::bad_argument);
  }
  EXPECT_TRUE(hw.rates_set.empty()) << "a refused rate never reaches the ADC";
  send(core, FrameType::get_info, 1);
  EXPECT_EQ(hw.infos().at(0).current_rate_hz, 1000);
}

TEST(DeviceCoreSetRate, SetRate_AtTheEdgesOfTheRange_IsAccepted) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  send(core, FrameType::set_rate, 1, 10);
  send(core, FrameType::set_rate, 2, 2000);
  const std::vector<ReplyMsg> r = hw.replies();
  ASSERT_EQ(r.size(), 2U);
  expect_ack(r[0], 1, kSetRate);
  expect_ack(r[1], 2, kSetRate);
  EXPECT_EQ(hw.rates_set, (std::vector<std::uint16_t>{10, 2000}));
}

TEST(DeviceCoreSetRate, SetRate_WhenStopped_IsAcceptedReportedAndTheNewPeriodUsed) {
  FakeHardware hw;
  DeviceCore core(hw, make_config(1, 1000));
  send(core, FrameType::set_rate, 31, 500);
  expect_ack(hw.replies().at(0), 31, kSetRate);
  EXPECT_EQ(hw.rates_set, std::vector<std::uint16_t>{500});
  send(core, FrameType::get_info, 32);
  const DeviceInfoMsg info = hw.infos().at(0);
  EXPECT_EQ(info.current_rate_hz, 500);
  EXPECT_EQ(info.nominal_rate_hz, 1000) << "the nominal rate is the device's default, unchanged";

  hw.now_us = 777;
  hw.clear_received();
  send(core, FrameType::start, 33);
  run_for(core, hw, 20000, 50);
  const std::vector<Sample> s = hw.samples();
  ASSERT_EQ(s.size(), 10U);
  for (std::uint32_t k = 0; k < s.size(); ++k) EXPECT_EQ(s[k].time_us, 777 + (k + 1) * 2000);
  for (const SampleBlockMsg& b : hw.blocks()) EXPECT_EQ(b.sample_count, 2);
}

// Rates that do not divide a second: slot k must fall at start + floor((k+1) * 1e6 / rate), so
// the average rate is exact and time stamps never drift from sequence numbers.
class DeviceCoreOddRates : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(DeviceCoreOddRates, ARateThatDoesNotDivideASecond_KeepsItsExactAverageWithoutDrift) {
  const std::uint16_t rate = GetParam();
  FakeHardware hw;
  hw.keep_wire = false;
  DeviceCore core(hw, make_config(1, 1000));
  send(core, FrameType::set_rate, 1, rate);
  const std::uint32_t t_start = 0xFFF00000U;  // crosses the 2^32 wrap on the way
  hw.now_us = t_start;
  send(core, FrameType::start, 2);
  hw.clear_received();
  const std::uint64_t seconds = 60;
  std::uint64_t k = 0;
  for (std::uint64_t sec = 0; sec < seconds; ++sec) {
    run_for(core, hw, 1000000, 97);
    for (const Sample& x : hw.samples()) {
      ASSERT_EQ(x.sequence, k);
      const std::uint64_t offset = (k + 1) * 1000000U / rate;
      ASSERT_EQ(x.time_us, static_cast<std::uint32_t>(t_start + offset)) << "sample " << k;
      ++k;
    }
    hw.clear_received();
  }
  send(core, FrameType::stop, 3);
  k += hw.samples().size();
  EXPECT_EQ(k, seconds * rate) << "exactly rate × seconds samples, not one more";
  EXPECT_EQ(core.samples_dropped(), 0U);
}

INSTANTIATE_TEST_SUITE_P(Rates, DeviceCoreOddRates, ::testing::Values(30, 300, 600, 700, 1500, 1999),
                         [](const auto& p) { return std::to_string(p.param) + "Hz"; });

// ============================================================================ tare

TEST(DeviceCoreTare, Tare_Averages16ReadingsIntoTheOffsetsReportedByTheNextDeviceInfo) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  const std::int32_t base[4] = {100000, -250000, 7, -8388608};
  for (int k = 0; k < 16; ++k) {
    std::vector<std::int32_t> v(4);
    for (int c = 0; c < 4; ++c) v[static_cast<std::size_t>(c)] = base[c] + (2 * k - 15) * (c + 1) * 1000;  // deviations sum to 0
    hw.scripted.push_back(v);
  }
  hw.scripted.push_back({999999, 999999, 999999, 999999});  // a 17th reading must not be used
  send(core, FrameType::tare, 41);
  expect_ack(hw.replies().at(0), 41, kTare);
  EXPECT_EQ(hw.reads, 16U);
  EXPECT_EQ(hw.scripted.size(), 1U);

  send(core, FrameType::get_info, 42);
  const DeviceInfoMsg info = hw.infos().at(0);
  const DeviceConfig cfg = make_config();
  for (int c = 0; c < 4; ++c) {
    EXPECT_EQ(info.cells[c].offset_counts, base[c]) << "cell " << c;
    EXPECT_EQ(info.cells[c].gain_n_per_count, cfg.info.cells[c].gain_n_per_count);
    EXPECT_EQ(info.cells[c].x_mm, cfg.info.cells[c].x_mm);
  }
  EXPECT_EQ(core.info().cells[1].offset_counts, base[1]);
}

TEST(DeviceCoreTare, Tare_AfterwardsTheSamplesStayRawCounts) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  for (int k = 0; k < 16; ++k) hw.scripted.push_back({500, 600, 700, 800});
  send(core, FrameType::tare, 1);
  send(core, FrameType::start, 2);
  run_for(core, hw, 5000, 100);
  const std::vector<Sample> s = hw.samples();
  ASSERT_EQ(s.size(), 5U);
  for (const Sample& x : s) {
    for (int c = 0; c < 4; ++c) {
      EXPECT_EQ(x.counts[static_cast<std::size_t>(c)], default_reading(16 + x.sequence, c))
          << "not offset-corrected";
    }
  }
}

TEST(DeviceCoreTare, Tare_WhileStreaming_IsRefusedWithNotNow) {
  Streaming d;
  const std::uint64_t reads = d.hw.reads;
  send(d.core, FrameType::tare, 5);
  expect_refusal(d.hw.replies().at(0), 5, kTare, RefusalReason::not_now);
  EXPECT_EQ(d.hw.reads, reads);
}

TEST(DeviceCoreTare, Tare_WithAnAdcFault_IsRefusedWithHardwareFaultAndOffsetsStay) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  hw.fault_on_read = {4};
  send(core, FrameType::tare, 6);
  expect_refusal(hw.replies().at(0), 6, kTare, RefusalReason::hardware_fault);
  send(core, FrameType::get_info, 7);
  const DeviceInfoMsg info = hw.infos().at(0);
  const DeviceConfig cfg = make_config();
  for (int c = 0; c < 4; ++c) EXPECT_EQ(info.cells[c].offset_counts, cfg.info.cells[c].offset_counts);
}

// ============================================================================ ping, unknown, garbage

TEST(DeviceCoreCommands, Ping_Acks) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  send(core, FrameType::ping, 0xFFFF);
  ASSERT_EQ(hw.frames.size(), 1U);
  expect_ack(hw.replies().at(0), 0xFFFF, kPing);
}

TEST(DeviceCoreCommands, Ping_WhileStreaming_IsAnsweredBetweenSampleFramesWithoutAGap) {
  Streaming d;
  run_for(d.core, d.hw, 12000, 100);
  send(d.core, FrameType::ping, 61);
  run_for(d.core, d.hw, 8000, 100);
  ASSERT_EQ(d.hw.replies().size(), 1U);
  expect_ack(d.hw.replies()[0], 61, kPing);
  const std::vector<Sample> s = d.hw.samples();
  ASSERT_EQ(s.size(), 20U);
  for (std::uint32_t k = 0; k < s.size(); ++k) EXPECT_EQ(s[k].sequence, k);
}

Bytes raw_command(std::uint8_t type, const Bytes& payload) {
  std::uint8_t buf[protocol::kMaxWireFrame];
  const std::size_t n = protocol::encode_frame(static_cast<FrameType>(type), payload.data(),
                                               payload.size(), buf, sizeof buf);
  EXPECT_GT(n, 0U);
  return Bytes(buf, buf + n);
}

TEST(DeviceCoreCommands, UnknownCommandTypes_AreRefusedWithUnknownCommandAndTheRequestIdEchoed) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  const std::uint8_t types[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0F, 0x16, 0x20, 0x7F, 0xFF};
  for (std::uint8_t t : types) {
    const Bytes b = raw_command(t, {0x34, 0x12, 0xAA});
    core.on_bytes(b.data(), b.size());
  }
  const std::vector<ReplyMsg> r = hw.replies();
  ASSERT_EQ(r.size(), std::size(types)) << "exactly one reply per command";
  for (std::size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE("type " + std::to_string(types[i]));
    expect_refusal(r[i], 0x1234, types[i], RefusalReason::unknown_command);
  }
  EXPECT_EQ(hw.frames.size(), std::size(types)) << "nothing but the replies";
}

TEST(DeviceCoreCommands, CommandsWithAPayloadTooShort_AreRefusedWithUnknownCommand) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  const Bytes frames[] = {
      raw_command(kPing, {}),                // no request id: id 0
      raw_command(kGetInfo, {0x07}),         // one byte: id 0
      raw_command(kSetRate, {0x09, 0x00}),   // set_rate without its rate: id echoed
      raw_command(kSetRate, {0x0A, 0x00, 0xE8}),
  };
  for (const Bytes& b : frames) core.on_bytes(b.data(), b.size());
  const std::vector<ReplyMsg> r = hw.replies();
  ASSERT_EQ(r.size(), 4U);
  expect_refusal(r[0], 0, kPing, RefusalReason::unknown_command);
  expect_refusal(r[1], 0, kGetInfo, RefusalReason::unknown_command);
  expect_refusal(r[2], 9, kSetRate, RefusalReason::unknown_command);
  expect_refusal(r[3], 10, kSetRate, RefusalReason::unknown_command);
  EXPECT_TRUE(hw.rates_set.empty());
  EXPECT_EQ(hw.infos().size(), 0U);
}

TEST(DeviceCoreCommands, CommandsWithBytesAppendedByANewerMinorVersion_AreCarriedOut) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  const Bytes a = raw_command(kSetRate, {0x0B, 0x00, 0xF4, 0x01, 0xAA, 0xBB});  // 500 Hz + extra
  const Bytes b = raw_command(kPing, {0x0C, 0x00, 0x01});
  core.on_bytes(a.data(), a.size());
  core.on_bytes(b.data(), b.size());
  const std::vector<ReplyMsg> r = hw.replies();
  ASSERT_EQ(r.size(), 2U);
  expect_ack(r[0], 11, kSetRate);
  expect_ack(r[1], 12, kPing);
  EXPECT_EQ(hw.rates_set, std::vector<std::uint16_t>{500});
}

// Line noise between commands: random bytes (zeros included), then the 0x00 a host sends to
// resynchronise. Fed in random chunk sizes. Every command must be answered, once, in order.
TEST(DeviceCoreCommands, GarbageBytesBetweenCommands_DoNotBreakCommandHandling) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  std::mt19937 rng(20240601);
  Bytes line;
  const int commands = 200;
  for (int i = 0; i < commands; ++i) {
    const int junk = static_cast<int>(rng() % 80);
    for (int j = 0; j < junk; ++j) line.push_back(static_cast<std::uint8_t>(rng() % 4 == 0 ? 0 : rng()));
    if (i % 7 == 3) {  // now and then a whole frame damaged in transit
      Bytes bad = command_bytes(FrameType::ping, 0xDEAD);
      bad[bad.size() / 2] ^= 0x40;
      line.insert(line.end(), bad.begin(), bad.end());
    }
    line.push_back(0x00);
    const Bytes cmd = command_bytes(i % 2 ? FrameType::ping : FrameType::get_info,
                                    static_cast<std::uint16_t>(i));
    line.insert(line.end(), cmd.begin(), cmd.end());
  }
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t n = std::min<std::size_t>(1 + rng() % 64, line.size() - at);
    core.on_bytes(line.data() + at, n);
    at += n;
  }
  const std::vector<ReplyMsg> r = hw.replies();
  ASSERT_EQ(r.size(), static_cast<std::size_t>(commands));
  for (int i = 0; i < commands; ++i) {
    expect_ack(r[static_cast<std::size_t>(i)], static_cast<std::uint16_t>(i), i % 2 ? kPing : kGetInfo);
  }
  EXPECT_EQ(hw.infos().size(), static_cast<std::size_t>(commands / 2));
}

TEST(DeviceCoreCommands, GarbageWithoutADelimiter_CostsOnlyTheCommandItMergesWith) {
  FakeHardware hw;
  DeviceCore core(hw, make_config());
  Bytes line = {0x13, 0x37, 0x42};  // noise, no 0x00 after it
  const Bytes lost = command_bytes(FrameType::ping, 1);
  const Bytes kept = command_bytes(FrameType::ping, 2);
  line.insert(line.end(), lost.begin(), lost.end());
  line.insert(line.end(), kept.begin(), kept.end());
  core.on_bytes(line.data(), line.size());
  const std::vector<ReplyMsg> r = hw.replies();
  ASSERT_EQ(r.size(), 1U);
  expect_ack(r[0], 2, kPing);
}

// ============================================================================ overrun

TEST(DeviceCoreOverrun, RefusedFrames_AreReportedAsOneOverrunOnceTheLineFreesUpAndSequencesSkipThem) {
  Streaming d;  // 1000 Hz, 5 samples per frame
  run_for(d.core, d.hw, 10000, 100);  // slots 0..9 sent
  d.hw.line_full = true;
  run_for(d.core, d.hw, 15000, 100);  // slots 10..24: three frames refused
  EXPECT_GT(d.hw.writes_refused, 0U);
  EXPECT_EQ(d.core.samples_dropped(), 15U);
  d.hw.line_full = false;
  run_for(d.core, d.hw, 10000, 100);  // slots 25..34

  const std::vector<StatusMsg> st = d.hw.statuses();
  ASSERT_EQ(st.size(), 1U);
  EXPECT_EQ(st[0].code, StatusCode::overrun);
  EXPECT_EQ(st[0].sequence, 10U) << "first sequence number not sent";
  EXPECT_EQ(st[0].dropped, 15U);

  std::vector<std::uint32_t> seqs;
  for (const Sample& x : d.hw.samples()) seqs.push_back(x.sequence);
  std::vector<std::uint32_t> want;
  for (std::uint32_t k = 0; k < 10; ++k) want.push_back(k);
  for (std::uint32_t k = 25; k < 35; ++k) want.push_back(k);
  EXPECT_EQ(seqs, want) << "later samples skip exactly the dropped numbers";

  // The report arrives before the first samples after the gap.
  std::size_t status_at = 0;
  std::size_t first_after_gap = 0;
  for (std::size_t i = 0; i < d.hw.frames.size(); ++i) {
    if (d.hw.frames[i].is(FrameType::status)) status_at = i;
    if (d.hw.frames[i].is(FrameType::samples) && first_after_gap == 0) {
      SampleBlockMsg b;
      ASSERT_TRUE(protocol::parse_samples(d.hw.frames[i].view(), b));
      if (b.first_sequence == 25) first_after_gap = i;
    }
  }
  EXPECT_LT(status_at, first_after_gap);
  // Time stamps after the gap are still on the schedule of their slot.
  EXPECT_EQ(d.hw.samples().at(10).time_us, 1000000U + 26 * 1000);
  expect_clean_line(d.hw);
}

TEST(DeviceCoreOverrun, WhenOnlySampleFramesAreRefused_EveryLostSlotIsReportedExactlyOnce) {
  Streaming d;
  run_for(d.core, d.hw, 10000, 100);
  d.hw.refuse_if = [](const Received& f) { return f.is(FrameType::samples); };
  run_for(d.core, d.hw, 15000, 100);  // blocks 10..14, 15..19, 20..24 refused
  d.hw.refuse_if = nullptr;
  run_for(d.core, d.hw, 5000, 100);   // block 25..29 sent

  const std::vector<StatusMsg> st = d.hw.statuses();
  ASSERT_EQ(st.size(), 3U);
  std::uint32_t next = 10;
  std::uint32_t total = 0;
  for (const StatusMsg& s : st) {
    EXPECT_EQ(s.code, StatusCode::overrun);
    EXPECT_EQ(s.sequence, next) << "runs are contiguous and in order";
    next = s.sequence + s.dropped;
    total += s.dropped;
  }
  EXPECT_EQ(next, 25U);
  EXPECT_EQ(total, d.core.samples_dropped());
  EXPECT_EQ(d.hw.samples().back().sequence, 29U);
}

TEST(DeviceCoreOverrun, WhileEvenTheReportIsRefused_TheRunGrowsAndNoSampleOvertakesIt) {
  Streaming d;
  run_for(d.core, d.hw, 5000, 100);
  d.hw.line_full = true;
  run_for(d.core, d.hw, 5000, 100);  // 5..9 lost
  // Now the line takes sample frames but not status frames: samples must still wait for the
  // report of the gap before them, so they join the run.
  d.hw.line_full = false;
  d.hw.refuse_if = [](const Received& f) { return f.is(FrameType::status); };
  run_for(d.core, d.hw, 10000, 100);  // 10..19 lost too
  EXPECT_EQ(d.hw.blocks().size(), 1U) << "no sample frame was sent while the report waited";
  d.hw.refuse_if = nullptr;
  run_for(d.core, d.hw, 5000, 100);  // 20..24 sent after the report
  const std::vector<StatusMsg> st = d.hw.statuses();
  ASSERT_EQ(st.size(), 1U);
  EXPECT_EQ(st[0].code, StatusCode::overrun);
  EXPECT_EQ(st[0].sequence, 5U);
  EXPECT_EQ(st[0].dropped, 15U);
  EXPECT_EQ(d.core.samples_dropped(), 15U);
  EXPECT_EQ(d.hw.samples().back().sequence, 24U);
}

TEST(DeviceCoreOverrun, AnAdcFaultWhileAnOverrunReportWaits_IsReportedInsideThatRunOnlyOnce) {
  Streaming d;
  run_for(d.core, d.hw, 10000, 100);
  d.hw.line_full = true;
  d.hw.fault_on_read = {17};
  // Slots 10..24 come due: 10..14 refused, 15..16 flushed (refused) at the fault of 17,
  // 18..22 refused; 23..24 still wait in the next block.
  run_for(d.core, d.hw, 15000, 100);
  d.hw.line_full = false;
  run_for(d.core, d.hw, 5000, 100);
  const std::vector<StatusMsg> st = d.hw.statuses();
  ASSERT_EQ(st.size(), 1U) << "no separate adc_fault status: the slot is in the overrun run";
  EXPECT_EQ(st[0].code, StatusCode::overrun);
  EXPECT_EQ(st[0].sequence, 10U);
  EXPECT_EQ(st[0].dropped, 13U) << "10..22 are consecutive numbers not sent";
  EXPECT_EQ(d.core.samples_dropped(), 13U);
  EXPECT_EQ(d.hw.samples().at(10).sequence, 23U);
}

// ============================================================================ stalls

TEST(DeviceCoreStall, AStalledMainLoop_YieldsAtMost64CatchUpSamplesAndReportsTheRestAsDropped) {
  Streaming d;  // 1000 Hz, started at t = 1 s
  const std::uint32_t t_start = d.hw.now_us;
  run_for(d.core, d.hw, 10000, 100);  // slots 0..9
  ASSERT_EQ(d.core.next_sequence(), 10U);
  const std::size_t mark = d.hw.frames.size();

  d.hw.now_us += 200 * 1000;  // the main loop was away for 200 periods: slots 10..209 are due
  const std::uint64_t reads_before = d.hw.reads;
  d.core.tick();
  EXPECT_EQ(d.hw.reads - reads_before, 64U) << "at most 64 catch-up conversions";
  EXPECT_EQ(d.core.next_sequence(), 210U) << "a sequence number for every slot";
  EXPECT_EQ(d.core.samples_dropped(), 136U);
  const std::vector<Sample> caught = d.hw.samples(mark);
  ASSERT_EQ(caught.size(), 64U) << "the catch-up samples are sent, the partial block included";
  for (std::uint32_t i = 0; i < 64; ++i) {
    EXPECT_EQ(caught[i].sequence, 10 + i);
    EXPECT_EQ(caught[i].time_us, t_start + (11 + i) * 1000) << "scheduled, not actual, time";
  }

  run_for(d.core, d.hw, 10000, 100);  // slots 210..219
  const std::vector<StatusMsg> st = d.hw.statuses();
  ASSERT_EQ(st.size(), 1U);
  EXPECT_EQ(st[0].code, StatusCode::overrun);
  EXPECT_EQ(st[0].sequence, 74U);
  EXPECT_EQ(st[0].dropped, 136U);
  const std::vector<Sample> after = d.hw.samples(mark);
  ASSERT_EQ(after.size(), 74U);
  EXPECT_EQ(after[64].sequence, 210U);
  EXPECT_EQ(after[64].time_us, t_start + 211 * 1000) << "the schedule is kept through the stall";
  EXPECT_EQ(after.back().sequence, 219U);
  expect_clean_line(d.hw);
}

class DeviceCoreShortStall : public ::testing::TestWithParam<int> {};

TEST_P(DeviceCoreShortStall, AStallOfUpTo64Periods_IsCaughtUpWithoutLoss) {
  const int periods = GetParam();
  Streaming d;
  run_for(d.core, d.hw, 3000, 100);
  d.hw.now_us += static_cast<std::uint32_t>(periods) * 1000;
  d.core.tick();
  const std::uint32_t expected_dropped = periods > 64 ? static_cast<std::uint32_t>(periods - 64) : 0;
  EXPECT_EQ(d.core.samples_dropped(), expected_dropped);
  EXPECT_EQ(d.core.next_sequence(), 3U + static_cast<std::uint32_t>(periods));
}

INSTANTIATE_TEST_SUITE_P(Periods, DeviceCoreShortStall, ::testing::Values(2, 30, 64, 65, 1000));

TEST(DeviceCoreStall, AStallJustBeforeStop_IsReportedBeforeTheStopAck) {
  Streaming d;
  run_for(d.core, d.hw, 5000, 100);
  d.hw.now_us += 100 * 1000;
  d.core.tick();  // 64 sampled, 36 dropped
  send(d.core, FrameType::stop, 8);
  const std::vector<StatusMsg> st = d.hw.statuses();
  ASSERT_EQ(st.size(), 1U);
  EXPECT_EQ(st[0].code, StatusCode::overrun);
  EXPECT_EQ(st[0].sequence, 69U);
  EXPECT_EQ(st[0].dropped, 36U);
  EXPECT_TRUE(d.hw.frames.back().is(FrameType::reply));
}

// ============================================================================ ADC faults

TEST(DeviceCoreAdcFault, AFailedConversion_IsReportedAsAdcFaultAndItsSlotsSequenceIsConsumed) {
  Streaming d;  // 5 samples per frame
  const std::uint32_t t_start = d.hw.now_us;
  d.hw.fault_on_read = {12};  // no tare: conversion k is slot k
  run_for(d.core, d.hw, 23000, 100);  // slots 0..22

  const std::vector<StatusMsg> st = d.hw.statuses();
  ASSERT_EQ(st.size(), 1U);
  EXPECT_EQ(st[0].code, StatusCode::adc_fault);
  EXPECT_EQ(st[0].sequence, 12U);
  EXPECT_EQ(st[0].dropped, 1U);
  EXPECT_EQ(d.core.samples_dropped(), 1U);

  const std::vector<Sample> s = d.hw.samples();
  ASSERT_EQ(s.size(), 22U);
  std::uint32_t want = 0;
  for (const Sample& x : s) {
    if (want == 12) ++want;
    EXPECT_EQ(x.sequence, want);
    EXPECT_EQ(x.time_us, t_start + (want + 1) * 1000);
    ++want;
  }
  // Frames stay in sequence order: the block before the fault is sent first, then the status.
  std::vector<std::uint32_t> order;
  for (const Received& f : d.hw.frames) {
    if (f.is(FrameType::samples)) {
      SampleBlockMsg b;
      ASSERT_TRUE(protocol::parse_samples(f.view(), b));
      order.push_back(b.first_sequence);
    } else if (f.is(FrameType::status)) {
      order.push_back(12);
    }
  }
  EXPECT_EQ(order, (std::vector<std::uint32_t>{0, 5, 10, 12, 13, 18}));
  // ... which made the block before the fault a short one.
  EXPECT_EQ(d.hw.blocks().at(2).sample_count, 2);
}

// ============================================================================ clock wrap

class DeviceCoreWrap : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(DeviceCoreWrap, MicrosWrappingAt2To32_KeepsSampleTimingRegular) {
  const std::uint16_t rate = GetParam();
  FakeHardware hw;
  DeviceCore core(hw, make_config(1, 1000));
  send(core, FrameType::set_rate, 1, rate);
  const std::uint32_t t_start = 0xFFFFFFFFU - 3 * (1000000U / rate) - 123U;
  hw.now_us = t_start;
  send(core, FrameType::start, 2);
  run_for(core, hw, 1000000, 7);  // one second, across the wrap
  send(core, FrameType::stop, 3);
  const std::vector<Sample> s = hw.samples();
  ASSERT_EQ(s.size(), rate);
  bool wrapped = false;
  for (std::uint32_t k = 0; k < s.size(); ++k) {
    const std::uint64_t offset = static_cast<std::uint64_t>(k + 1) * 1000000U / rate;
    EXPECT_EQ(s[k].sequence, k);
    EXPECT_EQ(s[k].time_us, static_cast<std::uint32_t>(t_start + offset)) << "sample " << k;
    if (k > 0 && s[k].time_us < s[k - 1].time_us) wrapped = true;
  }
  EXPECT_TRUE(wrapped) << "the run must actually cross the wrap";
  EXPECT_EQ(core.samples_dropped(), 0U);
}

INSTANTIATE_TEST_SUITE_P(Rates, DeviceCoreWrap, ::testing::Values(80, 600, 1000, 2000),
                         [](const auto& p) { return std::to_string(p.param) + "Hz"; });

// ============================================================================ soak

TEST(DeviceCoreSoak, TenMinutesAt2kHzWith8Cells_NoDriftBetweenSequenceAndTimeAndNoLoss) {
  FakeHardware hw;
  hw.keep_wire = false;
  DeviceCore core(hw, make_config(2, 2000));
  core.begin();
  hw.now_us = 0xF0000000U;  // the 10 minutes cross the 2^32 µs wrap (at ~4.5 min)
  send(core, FrameType::start, 1);
  hw.clear_received();

  std::mt19937 rng(7);
  const std::uint64_t total_us = 600ULL * 1000000ULL;
  std::uint64_t elapsed = 0;
  std::uint64_t k = 0;
  std::uint32_t t0 = 0;
  while (elapsed < total_us) {
    // An irregular main loop: mostly faster than the 500 µs period, sometimes a few periods late.
    const std::uint32_t step = rng() % 50 == 0 ? 1 + rng() % 3000 : 1 + rng() % 400;
    const std::uint32_t s = static_cast<std::uint32_t>(std::min<std::uint64_t>(step, total_us - elapsed));
    hw.now_us += s;
    elapsed += s;
    core.tick();
    if (hw.frames.size() >= 64 || elapsed == total_us) {
      for (const Sample& x : hw.samples()) {
        if (k == 0) t0 = x.time_us;
        ASSERT_EQ(x.sequence, static_cast<std::uint32_t>(k));
        ASSERT_EQ(x.time_us, static_cast<std::uint32_t>(t0 + k * 500U)) << "sample " << k;
        ASSERT_EQ(x.counts.size(), 8U);
        ASSERT_EQ(x.counts[7], default_reading(k, 7));
        ++k;
      }
      ASSERT_TRUE(hw.statuses().empty()) << "no status: nothing dropped, no fault";
      hw.clear_received();
    }
  }
  send(core, FrameType::stop, 2);
  k += hw.samples().size();
  EXPECT_EQ(k, 600U * 2000U);
  EXPECT_EQ(core.samples_dropped(), 0U);
  EXPECT_EQ(hw.writes_refused, 0U);
  expect_clean_line(hw);
}

}  // namespace
}  // namespace fp::firmware::test
