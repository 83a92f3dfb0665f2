#pragma once
// fp::firmware::Hardware for a plate with four HX711 load-cell amplifiers: one DOUT per HX711,
// one PD_SCK shared by all four, so the four cells are converted and clocked out together.
//
// Kept thin on purpose: everything protocol-related is in DeviceCore, which is tested on the host;
// this class only moves bits. It compiles against the real Arduino core and, for the host check
// in tests/firmware/, against a fake one.
//
// HX711 facts used (Avia Semiconductor HX711 datasheet):
//   * DOUT low = a conversion is ready. Each PD_SCK rising edge shifts out the next bit, MSB first,
//     24-bit two's complement. A 25th pulse selects channel A, gain 128, for the next conversion.
//   * PD_SCK high for more than 60 µs powers the chip down: the pulse is kept short with
//     interrupts off.
//   * 10 or 80 samples/s, chosen by the RATE pin. The plate samples at the chip's rate, so
//     supports_rate() accepts only that rate (and 10 Hz too when RATE is wired to an output pin).
#include <Arduino.h>
#include <stddef.h>
#include <stdint.h>

#include <forceplate/firmware/hardware.hpp>

namespace fp::boards {

class Hx711Board final : public firmware::Hardware {
 public:
  static constexpr int kCells = 4;
  static constexpr uint8_t kNoPin = 0xFF;

  struct Pins {
    uint8_t dout[kCells];   // DOUT of each HX711, in the cell order of the device_info record
    uint8_t sck;            // PD_SCK, shared
    uint8_t rate = kNoPin;  // RATE of all four HX711 tied together (HIGH = 80 SPS), or kNoPin
  };

  // `sps`: 80 or 10. With `pins.rate` wired, the rate begin() sets; otherwise the rate the RATE
  // pins are soldered to (VCC: 80, GND: 10), the only one the board can do.
  Hx711Board(Stream& serial, const Pins& pins, uint16_t sps = 80)
      : serial_(serial), pins_(pins), sps_(sps == 10 ? 10 : 80) {}

  // Call after Serial.begin(), before DeviceCore::begin().
  void begin() {
    pinMode(pins_.sck, OUTPUT);
    digitalWrite(pins_.sck, LOW);  // PD_SCK low: powered up
    for (int c = 0; c < kCells; ++c) pinMode(pins_.dout[c], INPUT);
    if (pins_.rate != kNoPin) {
      pinMode(pins_.rate, OUTPUT);
      digitalWrite(pins_.rate, sps_ == 80 ? HIGH : LOW);
    }
    tx_capacity_ = serial_.availableForWrite();  // the buffer is empty now: its whole size
  }

  uint32_t micros() override { return static_cast<uint32_t>(::micros()); }

  // The HX711s convert on their own oscillators (10 or 80 SPS nominal, often a few % off) while
  // DeviceCore schedules slots on micros(). At each slot the plate takes the conversion the chips
  // hold; if one has none yet, it waits at most a quarter of a conversion period, then gives the
  // slot up (DeviceCore reports adc_fault: a gap, never a repeated value). Waiting a whole period
  // would let the main loop fall behind the schedule for good: a chip cannot be read faster than
  // it converts, so the backlog could never be caught up. A missing or broken chip costs the
  // same quarter period per slot.
  bool read_cells(int32_t* counts, int cell_count) override {
    if (cell_count != kCells) return false;
    const uint32_t start = micros();
    const uint32_t grace_us = (1000000U / sps_) / 4;
    while (!all_ready()) {
      if (micros() - start > grace_us) return false;
    }
    uint32_t v[kCells] = {0, 0, 0, 0};
    for (int bit = 0; bit < 24; ++bit) {
      noInterrupts();
      digitalWrite(pins_.sck, HIGH);
      delayMicroseconds(1);
      for (int c = 0; c < kCells; ++c) v[c] = (v[c] << 1) | (digitalRead(pins_.dout[c]) ? 1U : 0U);
      digitalWrite(pins_.sck, LOW);
      interrupts();
      delayMicroseconds(1);
    }
    pulse();  // 25th: channel A, gain 128
    for (int c = 0; c < kCells; ++c) counts[c] = sign_extend_24(v[c]);
    return true;
  }

  bool write_frame(const uint8_t* bytes, size_t size) override {
    // Never wait for a full transmit buffer while streaming: refuse, and DeviceCore counts the
    // loss and reports it. A frame larger than the whole buffer (device_info on a 64-byte UART
    // buffer) could never fit, so it is written blocking; so is everything on a core that does not
    // report availableForWrite().
    if (tx_capacity_ > 0 && size <= static_cast<size_t>(tx_capacity_) &&
        serial_.availableForWrite() < static_cast<int>(size)) {
      return false;
    }
    serial_.write(bytes, size);
    return true;
  }

  bool supports_rate(uint16_t rate_hz) override {
    if (pins_.rate == kNoPin) return rate_hz == sps_;
    return rate_hz == 80 || rate_hz == 10;
  }

  void set_rate(uint16_t rate_hz) override {
    if (pins_.rate == kNoPin || !supports_rate(rate_hz)) return;
    sps_ = rate_hz;
    digitalWrite(pins_.rate, sps_ == 80 ? HIGH : LOW);
    delay(sps_ == 80 ? 50 : 400);  // output settling time after a rate change (datasheet)
  }

  uint16_t adc_rate() const { return sps_; }

  static int32_t sign_extend_24(uint32_t v) {
    v &= 0xFFFFFFU;
    return (v & 0x800000U) ? static_cast<int32_t>(v) - 0x1000000 : static_cast<int32_t>(v);
  }

 private:
  bool all_ready() {
    for (int c = 0; c < kCells; ++c) {
      if (digitalRead(pins_.dout[c]) != LOW) return false;
    }
    return true;
  }

  void pulse() {
    noInterrupts();
    digitalWrite(pins_.sck, HIGH);
    delayMicroseconds(1);
    digitalWrite(pins_.sck, LOW);
    interrupts();
    delayMicroseconds(1);
  }

  Stream& serial_;
  Pins pins_;
  uint16_t sps_;
  int tx_capacity_ = 0;
};

}  // namespace fp::boards
