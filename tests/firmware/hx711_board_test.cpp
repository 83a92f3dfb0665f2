// Host check of the 4×HX711 Arduino sketches (firmware-protocol/firmware/arduino/hx711_4cell and
// text_line_4cell): the board class and the sketches themselves compile against a fake Arduino
// core (fake_arduino/) and run against simulated HX711 chips wired to the fake pins.
//
// Every header the sketches include is included here first, so that including a sketch inside a
// namespace (to keep its setup()/loop() apart from the other sketch's) adds only its own code.
#include <Arduino.h>
#include <forceplate.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fake_hx711.hpp"
#include "hx711_board.hpp"
#include "sketch_host.hpp"

namespace sketch_hx711 {
#include "hx711_4cell.ino"
}  // namespace sketch_hx711

namespace sketch_text {
#include "text_line_4cell.ino"
}  // namespace sketch_text

namespace fp::firmware::test {
namespace {

using boards::Hx711Board;
using fake_arduino::FakeHx711;

constexpr std::uint8_t kDout[4] = {2, 3, 4, 5};
constexpr std::uint8_t kSck = 6;
constexpr std::uint8_t kRate = 7;

// Four simulated HX711 on pins 2..5 with a shared SCK on 6 (and RATE on 7 when asked).
struct FourChips {
  explicit FourChips(std::uint8_t rate_pin = 0xFF, std::vector<std::int32_t> first = {0, 0, 0, 0}) {
    fake_arduino::reset();
    if (rate_pin != 0xFF) fake_arduino::state().level[rate_pin] = HIGH;  // 80 SPS from power-up
    for (int c = 0; c < 4; ++c) {
      // Different power-up instants: the four free-running chips are out of phase. Chip c has a
      // conversion ready at 1700 * (c + 1) + 12500 * n µs.
      fake_arduino::advance_us(1700);
      chips[c] = std::make_unique<FakeHx711>(kDout[c], kSck, rate_pin);
      chips[c]->values = {first[static_cast<std::size_t>(c)]};
      fake_arduino::attach(chips[c].get());
    }
  }
  ~FourChips() { fake_arduino::reset(); }
  void expect_clean_reads() const {
    for (const auto& chip : chips) {
      EXPECT_FALSE(chip->powered_down) << "PD_SCK held high > 60 µs";
      EXPECT_FALSE(chip->read_while_not_ready);
      if (chip->conversions_read > 0) {
        EXPECT_EQ(chip->last_pulse_count, 25) << "channel A, gain 128";
      }
    }
    EXPECT_LT(fake_arduino::state().max_interrupts_off_us, 20);
  }
  std::unique_ptr<FakeHx711> chips[4];
};

// ============================================================================ board class

TEST(Hx711Board, ReadCells_ClocksAllFourChipsTogetherAndSignExtends24Bits) {
  FourChips hw(0xFF, {0x123456, -1, -8388608, 8388607});
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  EXPECT_EQ(fake_arduino::pin_mode(kSck), OUTPUT);
  EXPECT_EQ(fake_arduino::pin_level(kSck), LOW) << "PD_SCK low keeps the chips powered up";
  fake_arduino::state().now_us = 20000;  // all four have converted
  std::int32_t counts[4] = {};
  ASSERT_TRUE(board.read_cells(counts, 4));
  EXPECT_EQ(counts[0], 0x123456);
  EXPECT_EQ(counts[1], -1);
  EXPECT_EQ(counts[2], -8388608);
  EXPECT_EQ(counts[3], 8388607);
  for (const auto& chip : hw.chips) EXPECT_EQ(chip->conversions_read, 1);
  hw.expect_clean_reads();
}

TEST(Hx711Board, ReadCells_TakesTheConversionsTheChipsHoldWithoutWaiting) {
  FourChips hw;
  for (int c = 0; c < 4; ++c) hw.chips[c]->values = {100 * (c + 1), 200 * (c + 1), 300 * (c + 1)};
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  fake_arduino::state().now_us = 20000;
  std::int32_t counts[4] = {};
  for (int r = 0; r < 3; ++r) {
    const std::uint32_t before = fake_arduino::state().now_us;
    ASSERT_TRUE(board.read_cells(counts, 4)) << "read " << r;
    for (int c = 0; c < 4; ++c) EXPECT_EQ(counts[c], 100 * (r + 1) * (c + 1)) << "read " << r;
    EXPECT_LT(fake_arduino::state().now_us - before, 200U) << "25 clock pulses, no waiting";
    fake_arduino::advance_us(12500 - (fake_arduino::state().now_us - before));  // the next slot
  }
  hw.expect_clean_reads();
}

TEST(Hx711Board, ReadCells_WaitsUpToAQuarterPeriodForTheLastOfFourOutOfPhaseChips) {
  FourChips hw(0xFF, {11, 22, 33, 44});
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  fake_arduino::state().now_us = 17000;  // chips 0 and 1 are ready, 2 at 17600, 3 at 19300
  std::int32_t counts[4] = {};
  ASSERT_TRUE(board.read_cells(counts, 4));
  EXPECT_GE(fake_arduino::state().now_us, 19300U);
  EXPECT_LT(fake_arduino::state().now_us, 19500U);
  EXPECT_EQ(counts[3], 44);
  hw.expect_clean_reads();
}

TEST(Hx711Board, ReadCells_WhenAChipIsMoreThanAQuarterPeriodLate_GivesTheSlotUpAndTheNextOneWorks) {
  FourChips hw(0xFF, {11, 22, 33, 44});
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  fake_arduino::state().now_us = 15000;  // chip 3 converts at 19300: 4.3 ms away
  std::int32_t counts[4] = {};
  EXPECT_FALSE(board.read_cells(counts, 4));
  EXPECT_GE(fake_arduino::state().now_us, 15000U + 3125U) << "a quarter of 12.5 ms";
  EXPECT_LT(fake_arduino::state().now_us, 15000U + 3200U);
  for (const auto& chip : hw.chips) EXPECT_EQ(chip->conversions_read, 0) << "nothing clocked out";
  fake_arduino::state().now_us = 15000 + 12500;  // the next slot
  ASSERT_TRUE(board.read_cells(counts, 4));
  EXPECT_EQ(counts[0], 11);
  hw.expect_clean_reads();
}

TEST(Hx711Board, ReadCells_WithAChipThatNeverGetsReady_FailsEverySlotAfterAQuarterPeriod) {
  FourChips hw;
  hw.chips[2]->dead = true;
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  fake_arduino::state().now_us = 20000;
  std::int32_t counts[4] = {};
  for (int slot = 0; slot < 3; ++slot) {
    const std::uint32_t before = fake_arduino::state().now_us;
    EXPECT_FALSE(board.read_cells(counts, 4));
    const std::uint32_t waited = fake_arduino::state().now_us - before;
    EXPECT_GE(waited, 3125U);
    EXPECT_LE(waited, 3200U) << "the main loop keeps running";
    fake_arduino::advance_us(12500 - waited);
  }
  for (const auto& chip : hw.chips) EXPECT_EQ(chip->conversions_read, 0) << "nothing clocked out";
}

TEST(Hx711Board, ReadCells_RefusesACellCountOtherThanFour) {
  FourChips hw;
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  std::int32_t counts[8] = {};
  EXPECT_FALSE(board.read_cells(counts, 8));
}

TEST(Hx711Board, SupportsRate_IsTheChipsHardwiredRateOnly) {
  FourChips hw;
  Hx711Board at80(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  Hx711Board at10(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 10);
  for (std::uint16_t r : {1, 9, 10, 11, 50, 79, 81, 100, 1000, 2000}) {
    EXPECT_EQ(at80.supports_rate(r), false) << r;
    EXPECT_EQ(at10.supports_rate(r), r == 10) << r;
  }
  EXPECT_TRUE(at80.supports_rate(80));
  EXPECT_FALSE(at80.supports_rate(10)) << "RATE is not wired: 10 SPS is out of reach";
  EXPECT_TRUE(at10.supports_rate(10));
  EXPECT_FALSE(at10.supports_rate(80));
}

TEST(Hx711Board, SetRate_WithTheRatePinWired_Switches10And80SamplesPerSecond) {
  FourChips hw(kRate);
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck, kRate}, 80);
  board.begin();
  EXPECT_EQ(fake_arduino::pin_level(kRate), HIGH);
  EXPECT_TRUE(board.supports_rate(10));
  EXPECT_TRUE(board.supports_rate(80));
  EXPECT_FALSE(board.supports_rate(40));
  board.set_rate(10);
  EXPECT_EQ(fake_arduino::pin_level(kRate), LOW);
  EXPECT_EQ(hw.chips[0]->period_us(), 100000U);
  EXPECT_EQ(board.adc_rate(), 10);
  std::int32_t counts[4] = {};
  fake_arduino::advance_us(100000);
  EXPECT_TRUE(board.read_cells(counts, 4));
  hw.chips[1]->dead = true;
  const std::uint32_t before = fake_arduino::state().now_us;
  EXPECT_FALSE(board.read_cells(counts, 4));
  EXPECT_GE(fake_arduino::state().now_us - before, 25000U) << "at 10 SPS a quarter period is 25 ms";
  EXPECT_LT(fake_arduino::state().now_us - before, 25100U);
  hw.chips[1]->dead = false;
  board.set_rate(80);
  EXPECT_EQ(fake_arduino::pin_level(kRate), HIGH);
  fake_arduino::advance_us(100000);
  EXPECT_TRUE(board.read_cells(counts, 4));
  hw.expect_clean_reads();
}

TEST(Hx711Board, WriteFrame_RefusesWhatDoesNotFitNowAndWritesFramesBiggerThanTheBufferBlocking) {
  FourChips hw;
  fake_arduino::state().tx_capacity = 64;  // an AVR-sized UART buffer
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  const std::vector<std::uint8_t> small(40, 0x11);
  const std::vector<std::uint8_t> big(130, 0x22);  // a device_info frame
  EXPECT_TRUE(board.write_frame(small.data(), small.size()));
  EXPECT_FALSE(board.write_frame(small.data(), small.size())) << "24 bytes free";
  EXPECT_EQ(fake_arduino::state().serial_tx.size(), 40U) << "a refused frame sends nothing";
  EXPECT_TRUE(board.write_frame(big.data(), big.size()));
  fake_arduino::drain_tx();
  EXPECT_TRUE(board.write_frame(small.data(), small.size()));
  EXPECT_EQ(fake_arduino::state().serial_tx.size(), 210U);
}

TEST(Hx711Board, WriteFrame_OnACoreWithoutAvailableForWrite_AlwaysWrites) {
  FourChips hw;
  fake_arduino::state().tx_capacity = 0;
  Hx711Board board(Serial, Hx711Board::Pins{{2, 3, 4, 5}, kSck}, 80);
  board.begin();
  const std::vector<std::uint8_t> frame(40, 0x11);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(board.write_frame(frame.data(), frame.size()));
}

// ============================================================================ the whole sketch

TEST(Hx711Sketch, Setup_BootsAndTheHostGetsInfoThenSamplesAt80HzThroughTheRealCore) {
  FourChips hw(kRate, {1000, -2000, 3000, -4000});
  SerialHost host;
  sketch_hx711::setup();
  host.collect();
  ASSERT_FALSE(host.raw.empty());
  EXPECT_EQ(host.raw[0], 0x00);
  ASSERT_EQ(host.statuses().size(), 1U);
  EXPECT_EQ(host.statuses()[0].code, StatusCode::boot);

  host.send(FrameType::get_info, 1);
  host.send(FrameType::set_rate, 2, 100);  // not an HX711 rate
  host.send(FrameType::start, 3);
  host.run(sketch_hx711::loop, 1000000, 100);
  host.send(FrameType::stop, 4);
  host.run(sketch_hx711::loop, 1000, 100);

  const std::vector<DeviceInfoMsg> info = host.infos();
  ASSERT_EQ(info.size(), 1U);
  EXPECT_STREQ(info[0].serial, "HX4-0001");
  EXPECT_STREQ(info[0].firmware_version, "hx711-4ch 1.0");
  EXPECT_EQ(info[0].nominal_rate_hz, 80);
  EXPECT_EQ(info[0].current_rate_hz, 80);
  EXPECT_EQ(info[0].plate_count, 1);
  EXPECT_EQ(info[0].cells[1].x_mm, 180.0F);
  EXPECT_EQ(info[0].cells[2].y_mm, -280.0F);
  EXPECT_NEAR(static_cast<double>(info[0].cells[0].gain_n_per_count), 490.0 / 4294967.296, 1e-9);

  const std::vector<ReplyMsg> r = host.replies();
  ASSERT_EQ(r.size(), 4U);
  EXPECT_EQ(r[0].result, ReplyResult::ack);
  EXPECT_EQ(r[1].result, ReplyResult::refused);
  EXPECT_EQ(r[1].reason, RefusalReason::bad_argument);
  EXPECT_EQ(r[2].result, ReplyResult::ack);
  EXPECT_EQ(r[3].result, ReplyResult::ack);

  // The chips and the schedule both run at 80 Hz; only the first slot may find a chip not yet
  // converted (and be reported as adc_fault), after that every slot has its conversion.
  std::vector<std::uint32_t> faults;
  for (const StatusMsg& st : host.statuses()) {
    if (st.code == StatusCode::adc_fault) faults.push_back(st.sequence);
  }
  EXPECT_LE(faults.size(), 1U);
  if (!faults.empty()) {
    EXPECT_EQ(faults[0], 0U);
  }
  EXPECT_EQ(host.statuses().size(), 1U + faults.size()) << "boot, and nothing but that fault";
  const std::vector<Sample> s = host.samples();
  ASSERT_GE(s.size() + faults.size(), 79U);
  ASSERT_LE(s.size() + faults.size(), 81U);
  for (std::size_t k = 0; k < s.size(); ++k) {
    EXPECT_EQ(s[k].sequence, k + faults.size());
    if (k > 0) {
      EXPECT_EQ(s[k].time_us - s[k - 1].time_us, 12500U);
    }
    EXPECT_EQ(s[k].counts, (std::vector<std::int32_t>{1000, -2000, 3000, -4000}));
  }
  EXPECT_EQ(host.stats().crc_errors + host.stats().framing_errors, 0U);
  hw.expect_clean_reads();
}

// ============================================================================ text-line sketch

struct TextLine {
  bool has_time = false;
  unsigned long time_us = 0;
  std::vector<long> values;
};

// The format of the lead's host decoder: optional "t=<unsigned>,", then 4 or 8 signed integers.
bool parse_text_line(const std::string& line, TextLine& out) {
  const char* p = line.c_str();
  char* end = nullptr;
  if (line.rfind("t=", 0) == 0) {
    out.has_time = true;
    out.time_us = std::strtoul(p + 2, &end, 10);
    if (end == p + 2 || *end != ',') return false;
    p = end + 1;
  }
  while (true) {
    out.values.push_back(std::strtol(p, &end, 10));
    if (end == p) return false;
    if (*end == '\0') break;
    if (*end != ',') return false;
    p = end + 1;
  }
  return out.values.size() == 4 || out.values.size() == 8;
}

TEST(TextLineSketch, PrintsItsIdentityThenOneLinePerConversionWithTimeAndSignedCounts) {
  FourChips hw(0xFF, {0, 0, 0, 0});
  hw.chips[0]->values = {1, 2, 3};
  hw.chips[1]->values = {-1, -2, -3};
  hw.chips[2]->values = {8388607, 0, -8388608};
  hw.chips[3]->values = {-123456, 123456, 42};
  sketch_text::setup();
  EXPECT_EQ(Serial.baud(), 115200UL);
  for (int i = 0; i < 5000; ++i) {
    fake_arduino::advance_us(10);
    sketch_text::loop();
  }
  const std::string text(fake_arduino::state().serial_tx.begin(), fake_arduino::state().serial_tx.end());
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t nl = text.find('\n', at);
    ASSERT_NE(nl, std::string::npos) << "every line ends with \\n";
    std::string line = text.substr(at, nl - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    at = nl + 1;
  }
  ASSERT_GE(lines.size(), 4U);
  EXPECT_EQ(lines[0], "# forceplate-text v1 serial=TXT-0001 cells=4 rate=80");
  const std::vector<std::vector<long>> want = {
      {1, -1, 8388607, -123456}, {2, -2, 0, 123456}, {3, -3, -8388608, 42}, {3, -3, -8388608, 42}};
  unsigned long previous_t = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    TextLine t;
    ASSERT_TRUE(parse_text_line(lines[i], t)) << lines[i];
    EXPECT_TRUE(t.has_time);
    EXPECT_EQ(t.values, want[std::min<std::size_t>(i - 1, 3)]) << lines[i];
    if (i > 1) {
      // One line per conversion: 12.5 ms apart, give or take the read itself.
      EXPECT_NEAR(static_cast<double>(t.time_us - previous_t), 12500.0, 300.0) << lines[i];
    }
    previous_t = t.time_us;
  }
  hw.expect_clean_reads();
}

}  // namespace
}  // namespace fp::firmware::test
