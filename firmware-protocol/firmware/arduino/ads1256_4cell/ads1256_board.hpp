#pragma once
// fp::firmware::Hardware for a plate with one ADS1256 (24-bit delta-sigma ADC, SPI) reading four
// load cells on its four differential input pairs AIN0-AIN1, AIN2-AIN3, AIN4-AIN5, AIN6-AIN7,
// multiplexed: one sample of the plate is four conversions in a row.
//
// Kept thin on purpose: the protocol is in DeviceCore (tested on the host); this class moves bits.
// It compiles against the real Arduino core and, for the host check in tests/firmware/, a fake.
//
// ADS1256 facts used (Texas Instruments SBAS288, ADS1255/ADS1256 datasheet; fCLKIN = 7.68 MHz):
//   * SPI mode 1, MSB first, SCLK at most fCLKIN / 4 = 1.92 MHz.
//   * Commands: WAKEUP 0x00, RDATA 0x01, SDATAC 0x0F, WREG 0x50|reg, SELFCAL 0xF0, SYNC 0xFC,
//     RESET 0xFE. Registers STATUS 0, MUX 1, ADCON 2, DRATE 3. RDATA needs t6 = 50 / fCLKIN
//     (6.5 µs) before the data is clocked out; SYNC needs t11 = 24 / fCLKIN (3.1 µs) before WAKEUP.
//   * "Cycling through the multiplexer": when DRDY goes low, write the next MUX, SYNC, WAKEUP, then
//     RDATA returns the conversion of the channel selected *before* (it stays in the output
//     register); DRDY goes low again when the new channel has settled. The achievable channel
//     rate for each data rate is the datasheet's multiplexer-cycling table (see kDataRates).
//   * With ACAL set in STATUS the chip recalibrates itself whenever DRATE or the PGA is written.
#include <Arduino.h>
#include <SPI.h>
#include <stddef.h>
#include <stdint.h>

#include <forceplate/firmware/hardware.hpp>

namespace fp::boards {

class Ads1256Board final : public firmware::Hardware {
 public:
  static constexpr int kCells = 4;
  static constexpr uint8_t kNoPin = 0xFF;

  struct Pins {
    uint8_t cs;              // chip select (active low)
    uint8_t drdy;            // DRDY (active low)
    uint8_t reset = kNoPin;  // RESET (active low), optional
    uint8_t pdwn = kNoPin;   // PDWN/SYNC pin (held high), optional
  };

  // One ADS1256 data rate and how fast the multiplexer can be cycled at it.
  struct DataRate {
    uint8_t code;        // DRATE register value
    uint16_t sps;        // nominal data rate (single channel), samples/s
    uint16_t cycle_hz;   // channel switches per second when cycling the multiplexer
  };
  // Slowest first. cycle_hz from the datasheet's multiplexer-cycling table (fCLKIN = 7.68 MHz).
  static constexpr DataRate kDataRates[] = {
      {0x63, 50, 50},     {0x82, 100, 98},    {0x92, 500, 456},    {0xA1, 1000, 837},
      {0xB0, 2000, 1438}, {0xC0, 3750, 2165}, {0xD0, 7500, 3043},  {0xE0, 15000, 3817},
      {0xF0, 30000, 4374},
  };
  // A plate sample needs kCells channel switches, plus 5 % for SPI traffic and the main loop.
  static constexpr uint32_t kMarginPercent = 105;

  // The slowest data rate (most filtering) whose four-channel cycle fits in one sample period,
  // or nullptr if the rate is too fast for multiplexing four channels.
  static const DataRate* data_rate_for(uint16_t plate_rate_hz) {
    for (const DataRate& d : kDataRates) {
      if (static_cast<uint32_t>(d.cycle_hz) * 100U >=
          static_cast<uint32_t>(kCells) * plate_rate_hz * kMarginPercent) {
        return &d;
      }
    }
    return nullptr;
  }

  // pga_code: ADCON PGA bits, 0..6 for gain 1..64. Gain 64 with VREF = 2.5 V gives ±78 mV full
  // scale, right for a 2 mV/V load cell at 5 V excitation (10 mV at capacity).
  Ads1256Board(Stream& serial, SPIClass& spi, const Pins& pins, uint16_t plate_rate_hz = 500,
               uint8_t pga_code = 6)
      : serial_(serial), spi_(spi), pins_(pins), pga_code_(pga_code) {
    rate_ = data_rate_for(plate_rate_hz);
    if (rate_ == nullptr) rate_ = &kDataRates[sizeof kDataRates / sizeof kDataRates[0] - 1];
  }

  // Call after Serial.begin(), before DeviceCore::begin(). Returns false if the ADS1256 does not
  // answer (then every read_cells() fails and the host sees ADC faults).
  bool begin() {
    pinMode(pins_.cs, OUTPUT);
    digitalWrite(pins_.cs, HIGH);
    pinMode(pins_.drdy, INPUT);
    if (pins_.pdwn != kNoPin) {
      pinMode(pins_.pdwn, OUTPUT);
      digitalWrite(pins_.pdwn, HIGH);
    }
    if (pins_.reset != kNoPin) {
      pinMode(pins_.reset, OUTPUT);
      digitalWrite(pins_.reset, LOW);
      delayMicroseconds(10);
      digitalWrite(pins_.reset, HIGH);
    }
    spi_.begin();
    tx_capacity_ = serial_.availableForWrite();
    delay(5);  // oscillator start-up
    command(kReset);
    if (!wait_drdy(kCalibrationTimeoutUs)) return false;
    command(kSdatac);
    // STATUS: MSB first, auto-calibration on, input buffer off; MUX: cell 0; ADCON: clock out off,
    // sensor detect off, PGA; DRATE.
    const uint8_t regs[4] = {kStatusAcal, kMux[0], static_cast<uint8_t>(pga_code_ & 0x07), rate_->code};
    write_registers(kRegStatus, regs, 4);
    command(kSelfcal);
    if (!wait_drdy(kCalibrationTimeoutUs)) return false;
    restart_on_cell0();
    return true;
  }

  uint32_t micros() override { return static_cast<uint32_t>(::micros()); }

  // Between calls the MUX selects cell 0 and the chip converts it continuously, so the first
  // result is fresh; each DRDY hands over one cell and starts the next (the pipeline of the
  // datasheet's multiplexer cycling), and the last step selects cell 0 again.
  bool read_cells(int32_t* counts, int cell_count) override {
    if (cell_count != kCells) return false;
    const uint32_t timeout_us = 2U * (1000000U / rate_->cycle_hz) + 200U;
    for (int c = 0; c < kCells; ++c) {
      if (!wait_drdy(timeout_us)) {
        restart_on_cell0();
        return false;
      }
      spi_.beginTransaction(settings());
      digitalWrite(pins_.cs, LOW);
      spi_.transfer(kWreg | kRegMux);
      spi_.transfer(0x00);  // one register
      spi_.transfer(kMux[(c + 1) % kCells]);
      spi_.transfer(kSync);
      delayMicroseconds(kT11Us);
      spi_.transfer(kWakeup);
      spi_.transfer(kRdata);
      delayMicroseconds(kT6Us);
      uint32_t v = 0;
      for (int i = 0; i < 3; ++i) v = (v << 8) | spi_.transfer(0xFF);
      digitalWrite(pins_.cs, HIGH);
      spi_.endTransaction();
      counts[c] = sign_extend_24(v);
    }
    return true;
  }

  bool write_frame(const uint8_t* bytes, size_t size) override {
    // Never wait for a full transmit buffer while streaming: refuse, and DeviceCore counts and
    // reports the loss. A frame larger than the whole buffer, or any frame on a core that does not
    // report availableForWrite(), is written blocking.
    if (tx_capacity_ > 0 && size <= static_cast<size_t>(tx_capacity_) &&
        serial_.availableForWrite() < static_cast<int>(size)) {
      return false;
    }
    serial_.write(bytes, size);
    return true;
  }

  bool supports_rate(uint16_t rate_hz) override { return data_rate_for(rate_hz) != nullptr; }

  void set_rate(uint16_t rate_hz) override {
    const DataRate* d = data_rate_for(rate_hz);
    if (d == nullptr || d == rate_) return;
    rate_ = d;
    write_registers(kRegDrate, &rate_->code, 1);  // ACAL: the chip recalibrates itself
    wait_drdy(kCalibrationTimeoutUs);
    restart_on_cell0();
  }

  const DataRate& data_rate() const { return *rate_; }

  static int32_t sign_extend_24(uint32_t v) {
    v &= 0xFFFFFFU;
    return (v & 0x800000U) ? static_cast<int32_t>(v) - 0x1000000 : static_cast<int32_t>(v);
  }

  // MUX codes of the four differential pairs: AIN0-AIN1, AIN2-AIN3, AIN4-AIN5, AIN6-AIN7.
  static constexpr uint8_t kMux[kCells] = {0x01, 0x23, 0x45, 0x67};

  static constexpr uint8_t kWakeup = 0x00, kRdata = 0x01, kSdatac = 0x0F, kWreg = 0x50,
                           kSelfcal = 0xF0, kSync = 0xFC, kReset = 0xFE;
  static constexpr uint8_t kRegStatus = 0, kRegMux = 1, kRegAdcon = 2, kRegDrate = 3;
  static constexpr uint8_t kStatusAcal = 0x04;
  static constexpr uint32_t kSpiClockHz = 1900000;  // <= fCLKIN / 4
  static constexpr unsigned kT6Us = 7;              // RDATA to first data bit (>= 6.5 µs)
  static constexpr unsigned kT11Us = 4;             // SYNC to WAKEUP (>= 3.1 µs)
  static constexpr uint32_t kCalibrationTimeoutUs = 1000000;

 private:
  static SPISettings settings() { return SPISettings(kSpiClockHz, MSBFIRST, SPI_MODE1); }

  bool wait_drdy(uint32_t timeout_us) {
    const uint32_t start = micros();
    while (digitalRead(pins_.drdy) != LOW) {
      if (micros() - start > timeout_us) return false;
    }
    return true;
  }

  void command(uint8_t cmd) {
    spi_.beginTransaction(settings());
    digitalWrite(pins_.cs, LOW);
    spi_.transfer(cmd);
    digitalWrite(pins_.cs, HIGH);
    spi_.endTransaction();
  }

  void write_registers(uint8_t first, const uint8_t* values, uint8_t n) {
    spi_.beginTransaction(settings());
    digitalWrite(pins_.cs, LOW);
    spi_.transfer(static_cast<uint8_t>(kWreg | first));
    spi_.transfer(static_cast<uint8_t>(n - 1));
    for (uint8_t i = 0; i < n; ++i) spi_.transfer(values[i]);
    digitalWrite(pins_.cs, HIGH);
    spi_.endTransaction();
  }

  // Select cell 0 and start converting it (the state read_cells() expects between calls).
  void restart_on_cell0() {
    write_registers(kRegMux, &kMux[0], 1);
    spi_.beginTransaction(settings());
    digitalWrite(pins_.cs, LOW);
    spi_.transfer(kSync);
    delayMicroseconds(kT11Us);
    spi_.transfer(kWakeup);
    digitalWrite(pins_.cs, HIGH);
    spi_.endTransaction();
  }

  Stream& serial_;
  SPIClass& spi_;
  Pins pins_;
  uint8_t pga_code_;
  const DataRate* rate_ = nullptr;
  int tx_capacity_ = 0;
};

}  // namespace fp::boards
