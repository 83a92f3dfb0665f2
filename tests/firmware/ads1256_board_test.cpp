// Host check of the ADS1256 Arduino sketch (firmware-protocol/firmware/arduino/ads1256_4cell): the
// board class and the sketch compile against a fake Arduino core and run against a simulated
// ADS1256 on the fake SPI bus, written here from the TI datasheet (SBAS288): commands, registers,
// DRDY, the SYNC/WAKEUP restart, the output register that keeps the previous conversion until the
// next one is ready, and the timing rules t6 (RDATA → data) and t11 (SYNC → WAKEUP).
#include <Arduino.h>
#include <SPI.h>
#include <forceplate.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ads1256_board.hpp"
#include "sketch_host.hpp"

namespace sketch_ads1256 {
#include "ads1256_4cell.ino"
}  // namespace sketch_ads1256

namespace fp::firmware::test {
namespace {

using boards::Ads1256Board;

constexpr std::uint8_t kCs = 10;
constexpr std::uint8_t kDrdy = 9;
constexpr std::uint8_t kReset = 8;

// ---- the simulated chip ----------------------------------------------------------------------
class FakeAds1256 : public fake_arduino::Device {
 public:
  FakeAds1256() { power_on(); }

  std::map<std::uint8_t, std::int32_t> input;  // MUX code -> conversion result (24-bit signed)
  bool dead = false;                           // DRDY never goes low
  std::uint8_t regs[11] = {};
  int errors = 0;                               // violations of the datasheet's rules
  std::vector<std::string> error_log;
  std::vector<std::uint8_t> converted_mux;      // MUX of every conversion started by WAKEUP
  int selfcals = 0;
  int resets = 0;

  bool drives(std::uint8_t pin) const override { return pin == kDrdy; }
  int level(std::uint8_t) override {
    update();
    return (!dead && drdy_low_) ? LOW : HIGH;
  }
  void pin_written(std::uint8_t pin, std::uint8_t lvl) override {
    if (pin == kReset && lvl == LOW) power_on();
    if (pin == kCs && lvl == HIGH) {
      if (pending_ != Pending::none && pending_ != Pending::wreg_values_done) fail("CS raised mid-command");
      pending_ = Pending::none;
      data_left_ = 0;
    }
  }

  std::uint8_t spi_transfer(std::uint8_t b) override {
    if (fake_arduino::pin_level(kCs) != LOW) return 0xFF;
    const SPISettings& s = SPI.settings;
    if (s.mode != SPI_MODE1) fail("SPI mode is not 1");
    if (s.clock_hz > 1920000) fail("SCLK above fCLKIN/4");
    if (s.order != MSBFIRST) fail("not MSB first");
    if (!SPI.in_transaction) fail("transfer outside beginTransaction");
    update();
    if (data_left_ > 0) {
      if (fake_arduino::state().now_us - rdata_at_ < 7) fail("data clocked before t6");
      const std::uint8_t out = static_cast<std::uint8_t>(data_ >> (8 * (data_left_ - 1)));
      if (--data_left_ == 0) drdy_low_ = false;  // DRDY goes high once the data is read
      return out;
    }
    switch (pending_) {
      case Pending::wreg_count:
        wreg_left_ = b + 1;
        pending_ = Pending::wreg_values;
        return 0xFF;
      case Pending::wreg_values:
        write_register(wreg_reg_++, b);
        if (--wreg_left_ == 0) pending_ = Pending::wreg_values_done;
        return 0xFF;
      default:
        break;
    }
    command(b);
    return 0xFF;
  }

  std::uint32_t conversion_period_us() const { return 1000000U / rate().sps; }
  std::uint32_t settle_us() const { return 1000000U / rate().cycle_hz; }

 private:
  enum class Pending { none, wreg_count, wreg_values, wreg_values_done };

  const Ads1256Board::DataRate& rate() const {
    for (const auto& d : Ads1256Board::kDataRates) {
      if (d.code == regs[3]) return d;
    }
    return Ads1256Board::kDataRates[sizeof Ads1256Board::kDataRates / sizeof Ads1256Board::kDataRates[0] - 1];
  }

  void fail(const std::string& what) {
    ++errors;
    error_log.push_back(what);
  }

  void power_on() {
    ++resets;
    regs[0] = 0x30;  // STATUS: ID bits, ORDER 0, ACAL 0, BUFEN 0
    regs[1] = 0x01;  // MUX: AIN0 - AIN1
    regs[2] = 0x20;  // ADCON: CLKOUT = fCLKIN, PGA 1
    regs[3] = 0xF0;  // DRATE 30000 SPS
    start_conversion(300);
  }

  void start_conversion(std::uint32_t after_us) {
    converting_ = true;
    conv_mux_ = regs[1];
    converted_mux.push_back(conv_mux_);
    drdy_low_ = false;
    ready_at_ = fake_arduino::state().now_us + after_us;
  }

  // Continuous conversion: each time one completes the output register takes its result and DRDY
  // goes low (a result nobody read is simply replaced by the next).
  void update() {
    if (!converting_) return;
    const std::uint32_t now = fake_arduino::state().now_us;
    while (static_cast<std::int32_t>(now - ready_at_) >= 0) {
      const auto it = input.find(conv_mux_);
      output_ = it == input.end() ? 0 : it->second;
      drdy_low_ = true;
      ready_at_ += conversion_period_us();
    }
  }

  void write_register(std::uint8_t reg, std::uint8_t v) {
    if (reg > 10) return fail("WREG past the last register");
    regs[reg] = v;
    const bool acal = (regs[0] & 0x04) != 0;
    if (acal && (reg == 2 || reg == 3)) {  // auto-calibration after PGA or DRATE changes
      ++selfcals;
      start_conversion(5000);
    }
  }

  void command(std::uint8_t b) {
    const std::uint32_t now = fake_arduino::state().now_us;
    if ((b & 0xF0) == 0x50) {
      wreg_reg_ = b & 0x0F;
      pending_ = Pending::wreg_count;
      return;
    }
    switch (b) {
      case 0x00:  // WAKEUP
      case 0xFF:
        if (synced_) {
          if (now - sync_at_ < 4) fail("WAKEUP before t11 after SYNC");
          synced_ = false;
          start_conversion(settle_us());
        }
        return;
      case 0x01:  // RDATA
        data_ = static_cast<std::uint32_t>(output_) & 0xFFFFFFU;
        data_left_ = 3;
        rdata_at_ = now;
        return;
      case 0x0F:  // SDATAC
        return;
      case 0xF0:  // SELFCAL
        ++selfcals;
        start_conversion(5000);
        return;
      case 0xFC:  // SYNC: conversions stop until WAKEUP; the output register keeps its data
        synced_ = true;
        sync_at_ = now;
        converting_ = false;
        return;
      case 0xFE:  // RESET
        power_on();
        return;
      default:
        fail("unexpected command " + std::to_string(b));
    }
  }

  Pending pending_ = Pending::none;
  std::uint8_t wreg_reg_ = 0;
  int wreg_left_ = 0;
  bool converting_ = false;
  bool synced_ = false;
  bool drdy_low_ = false;
  std::uint8_t conv_mux_ = 0x01;
  std::uint32_t ready_at_ = 0;
  std::uint32_t sync_at_ = 0;
  std::uint32_t rdata_at_ = 0;
  std::int32_t output_ = 0;
  std::uint32_t data_ = 0;
  int data_left_ = 0;
};

// The fake core is reset before the chip powers up (the base is constructed first).
struct ResetFakeArduino {
  ResetFakeArduino() { fake_arduino::reset(); }
};

struct Bench : ResetFakeArduino {
  Bench() {
    fake_arduino::attach(&chip);
    chip.input = {{0x01, 1234567}, {0x23, -7654321}, {0x45, 0}, {0x67, -1}};
  }
  ~Bench() { fake_arduino::reset(); }
  FakeAds1256 chip;
};

const Ads1256Board::Pins kPins{kCs, kDrdy, kReset};

// ============================================================================ rates

TEST(Ads1256Board, DataRateFor_PicksTheSlowestDataRateWhoseFourChannelCycleFitsTheSamplePeriod) {
  struct Case {
    std::uint16_t plate_hz;
    std::uint16_t sps;
  };
  for (const Case c : {Case{10, 50}, Case{11, 50}, Case{12, 100}, Case{80, 500}, Case{100, 500},
                       Case{200, 2000}, Case{500, 3750}, Case{724, 7500}, Case{1000, 30000},
                       Case{1041, 30000}}) {
    const Ads1256Board::DataRate* d = Ads1256Board::data_rate_for(c.plate_hz);
    ASSERT_NE(d, nullptr) << c.plate_hz;
    EXPECT_EQ(d->sps, c.sps) << c.plate_hz << " Hz";
  }
  // Every choice really fits: four channel switches plus 5 % in one sample period.
  for (std::uint16_t r = 10; r <= 1041; ++r) {
    const Ads1256Board::DataRate* d = Ads1256Board::data_rate_for(r);
    ASSERT_NE(d, nullptr) << r;
    EXPECT_GE(1e6 / r, 4 * 1.05 * 1e6 / d->cycle_hz - 1e-9) << r;
  }
  EXPECT_EQ(Ads1256Board::data_rate_for(1042), nullptr);
  EXPECT_EQ(Ads1256Board::data_rate_for(2000), nullptr);
}

TEST(Ads1256Board, SupportsRate_UpToWhatMultiplexingFourChannelsAllows) {
  Bench b;
  Ads1256Board board(Serial, SPI, kPins);
  for (std::uint16_t r : {10, 80, 100, 500, 1000, 1041}) EXPECT_TRUE(board.supports_rate(r)) << r;
  for (std::uint16_t r : {1042, 1500, 2000}) EXPECT_FALSE(board.supports_rate(r)) << r;
}

// ============================================================================ begin / read

TEST(Ads1256Board, Begin_ResetsConfiguresAndCalibratesTheChip) {
  Bench b;
  Ads1256Board board(Serial, SPI, kPins, 500);
  ASSERT_TRUE(board.begin());
  EXPECT_EQ(b.chip.regs[0] & 0x04, 0x04) << "ACAL on";
  EXPECT_EQ(b.chip.regs[0] & 0x08, 0x00) << "ORDER: MSB first";
  EXPECT_EQ(b.chip.regs[1], 0x01) << "MUX: cell 0 (AIN0-AIN1)";
  EXPECT_EQ(b.chip.regs[2] & 0x07, 6) << "PGA 64";
  EXPECT_EQ(b.chip.regs[3], 0xC0) << "3750 SPS for 500 Hz";
  EXPECT_GE(b.chip.selfcals, 1);
  EXPECT_GE(b.chip.resets, 2) << "power-on, then the RESET pin or command";
  EXPECT_TRUE(SPI.begun);
  EXPECT_EQ(fake_arduino::pin_level(kCs), HIGH);
  EXPECT_EQ(b.chip.errors, 0) << (b.chip.error_log.empty() ? "" : b.chip.error_log[0]);
}

TEST(Ads1256Board, Begin_WithoutAChip_ReportsFailure) {
  Bench b;
  b.chip.dead = true;
  Ads1256Board board(Serial, SPI, kPins, 500);
  EXPECT_FALSE(board.begin());
}

TEST(Ads1256Board, ReadCells_ReturnsTheFourDifferentialPairsInCellOrder) {
  Bench b;
  Ads1256Board board(Serial, SPI, kPins, 500);
  ASSERT_TRUE(board.begin());
  std::int32_t counts[4] = {};
  for (int r = 0; r < 3; ++r) {
    const std::uint32_t before = fake_arduino::state().now_us;
    ASSERT_TRUE(board.read_cells(counts, 4));
    EXPECT_EQ(counts[0], 1234567);
    EXPECT_EQ(counts[1], -7654321);
    EXPECT_EQ(counts[2], 0);
    EXPECT_EQ(counts[3], -1);
    EXPECT_LT(fake_arduino::state().now_us - before, 2000U) << "four channels within the 2 ms period";
    fake_arduino::advance_us(500);
  }
  EXPECT_EQ(b.chip.regs[1], 0x01) << "between reads cell 0 is selected";
  EXPECT_EQ(b.chip.errors, 0) << (b.chip.error_log.empty() ? "" : b.chip.error_log[0]);
}

TEST(Ads1256Board, ReadCells_ReturnsFreshConversionsNotTheLastReadsPipeline) {
  Bench b;
  Ads1256Board board(Serial, SPI, kPins, 500);
  ASSERT_TRUE(board.begin());
  std::int32_t counts[4] = {};
  ASSERT_TRUE(board.read_cells(counts, 4));
  b.chip.input = {{0x01, 11}, {0x23, 22}, {0x45, 33}, {0x67, 44}};
  fake_arduino::advance_us(b.chip.conversion_period_us());  // cell 0 converts continuously
  ASSERT_TRUE(board.read_cells(counts, 4));
  EXPECT_EQ(counts[0], 11);
  EXPECT_EQ(counts[1], 22);
  EXPECT_EQ(counts[2], 33);
  EXPECT_EQ(counts[3], 44);
}

TEST(Ads1256Board, ReadCells_WhenDrdyNeverComes_FailsQuicklyAndRecoversAfterwards) {
  Bench b;
  Ads1256Board board(Serial, SPI, kPins, 500);
  ASSERT_TRUE(board.begin());
  b.chip.dead = true;
  std::int32_t counts[4] = {};
  const std::uint32_t before = fake_arduino::state().now_us;
  EXPECT_FALSE(board.read_cells(counts, 4));
  EXPECT_LT(fake_arduino::state().now_us - before, 1500U) << "gives up within about two settling times";
  b.chip.dead = false;
  fake_arduino::advance_us(1000);
  ASSERT_TRUE(board.read_cells(counts, 4));
  EXPECT_EQ(counts[0], 1234567);
  EXPECT_EQ(counts[3], -1);
}

TEST(Ads1256Board, SetRate_WritesTheNewDataRateAndReadingGoesOn) {
  Bench b;
  Ads1256Board board(Serial, SPI, kPins, 500);
  ASSERT_TRUE(board.begin());
  board.set_rate(1000);
  EXPECT_EQ(b.chip.regs[3], 0xF0);
  EXPECT_EQ(board.data_rate().sps, 30000);
  std::int32_t counts[4] = {};
  ASSERT_TRUE(board.read_cells(counts, 4));
  fake_arduino::advance_us(200);  // between slots cell 0 converts continuously
  const std::uint32_t before = fake_arduino::state().now_us;
  ASSERT_TRUE(board.read_cells(counts, 4));
  EXPECT_LT(fake_arduino::state().now_us - before, 1000U) << "fits a 1 kHz period";
  EXPECT_EQ(counts[1], -7654321);
  board.set_rate(10);
  EXPECT_EQ(b.chip.regs[3], 0x63);
  ASSERT_TRUE(board.read_cells(counts, 4));
  EXPECT_EQ(counts[2], 0);
  EXPECT_EQ(b.chip.errors, 0) << (b.chip.error_log.empty() ? "" : b.chip.error_log[0]);
}

// ============================================================================ the whole sketch

TEST(Ads1256Sketch, Setup_BootsAndTheHostGetsInfoThenSamplesAt500HzThroughTheRealCore) {
  Bench b;
  SerialHost host;
  sketch_ads1256::setup();
  host.collect();
  ASSERT_EQ(host.statuses().size(), 1U);
  EXPECT_EQ(host.statuses()[0].code, StatusCode::boot);

  host.send(FrameType::get_info, 1);
  host.send(FrameType::set_rate, 2, 2000);  // beyond what multiplexing four channels allows
  host.send(FrameType::start, 3);
  host.run(sketch_ads1256::loop, 200000, 50);
  host.send(FrameType::set_rate, 4, 1000);  // not while streaming
  host.send(FrameType::stop, 5);
  host.run(sketch_ads1256::loop, 1000, 50);

  const std::vector<DeviceInfoMsg> info = host.infos();
  ASSERT_EQ(info.size(), 1U);
  EXPECT_STREQ(info[0].serial, "ADS4-0001");
  EXPECT_EQ(info[0].nominal_rate_hz, 500);
  EXPECT_EQ(info[0].adc_bits, 24);
  EXPECT_EQ(info[0].cells[0].x_mm, -180.0F);

  const std::vector<ReplyMsg> r = host.replies();
  ASSERT_EQ(r.size(), 5U);
  EXPECT_EQ(r[0].result, ReplyResult::ack);
  EXPECT_EQ(r[1].reason, RefusalReason::bad_argument);
  EXPECT_EQ(r[2].result, ReplyResult::ack);
  EXPECT_EQ(r[3].reason, RefusalReason::not_now);
  EXPECT_EQ(r[4].result, ReplyResult::ack);

  const std::vector<Sample> s = host.samples();
  ASSERT_GE(s.size(), 99U);
  ASSERT_LE(s.size(), 101U);
  for (std::size_t k = 0; k < s.size(); ++k) {
    EXPECT_EQ(s[k].sequence, k);
    if (k > 0) {
      EXPECT_EQ(s[k].time_us - s[k - 1].time_us, 2000U);
    }
    EXPECT_EQ(s[k].counts, (std::vector<std::int32_t>{1234567, -7654321, 0, -1})) << k;
  }
  EXPECT_EQ(host.statuses().size(), 1U) << "no ADC fault, no overrun";
  EXPECT_EQ(b.chip.errors, 0) << (b.chip.error_log.empty() ? "" : b.chip.error_log[0]);
}

}  // namespace
}  // namespace fp::firmware::test
