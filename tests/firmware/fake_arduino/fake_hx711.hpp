#pragma once
// A simulated HX711 (Avia Semiconductor datasheet) on the fake Arduino pins: DOUT low when a
// conversion is ready; each rising edge of PD_SCK shifts out the next bit, MSB first, 24 bits of
// two's complement; the 25th pulse selects channel A gain 128 for the next conversion (26: B/32,
// 27: A/64); PD_SCK high for more than 60 µs powers the chip down. Conversions come every
// 1/rate seconds of fake time (10 or 80 SPS from the RATE pin, if wired).
#include <cstdint>
#include <vector>

#include "Arduino.h"

namespace fake_arduino {

class FakeHx711 : public Device {
 public:
  FakeHx711(std::uint8_t dout, std::uint8_t sck, std::uint8_t rate_pin = 0xFF)
      : dout_(dout), sck_(sck), rate_pin_(rate_pin) {
    next_ready_us_ = state().now_us + period_us();
  }

  // Conversions to hand out, in order (24-bit signed); the last one repeats.
  std::vector<std::int32_t> values = {0};
  bool dead = false;                 // never becomes ready (unplugged, broken)
  int conversions_read = 0;
  int last_pulse_count = 0;          // PD_SCK pulses of the last complete read
  bool powered_down = false;         // PD_SCK was held high > 60 µs at some point
  bool read_while_not_ready = false; // the board clocked a chip that was not ready

  bool drives(std::uint8_t pin) const override { return pin == dout_; }

  int level(std::uint8_t) override {
    update();
    if (shifting_) return bit_;
    return ready_ ? LOW : HIGH;
  }

  void pin_written(std::uint8_t pin, std::uint8_t lvl) override {
    if (pin != sck_) return;
    update();
    if (lvl == HIGH && !sck_high_) {
      sck_high_ = true;
      high_since_ = state().now_us;
      rising_edge();
    } else if (lvl == LOW && sck_high_) {
      sck_high_ = false;
      if (state().now_us - high_since_ > 60) powered_down = true;
    }
  }

  std::uint32_t period_us() const {
    const bool fast = rate_pin_ == 0xFF || state().level[rate_pin_] == HIGH;
    return fast ? 12500U : 100000U;
  }

 private:
  // Free-running conversions every period; DOUT stays low until the data is read (a newer
  // conversion simply replaces it). The value handed out is values[reads so far].
  void update() {
    if (dead || shifting_) return;
    while (static_cast<std::int32_t>(state().now_us - next_ready_us_) >= 0) {
      ready_ = true;
      next_ready_us_ += period_us();
    }
    if (ready_) {
      const auto i = static_cast<std::size_t>(conversions_read);
      latched_ = values[i < values.size() ? i : values.size() - 1];
    }
  }

  void rising_edge() {
    if (!shifting_) {
      if (!ready_) {
        read_while_not_ready = true;
        return;
      }
      shifting_ = true;
      pulses_ = 0;
    }
    ++pulses_;
    if (pulses_ <= 24) {
      bit_ = static_cast<int>((static_cast<std::uint32_t>(latched_) >> (24 - pulses_)) & 1U);
      return;
    }
    // The 25th pulse: DOUT goes high, channel A with gain 128 for the next conversion. A 26th or
    // 27th pulse would start a read of a chip that is not ready: flagged above.
    bit_ = 1;
    shifting_ = false;
    ready_ = false;
    ++conversions_read;
    last_pulse_count = pulses_;
  }

  std::uint8_t dout_;
  std::uint8_t sck_;
  std::uint8_t rate_pin_;
  bool ready_ = false;
  bool shifting_ = false;
  bool sck_high_ = false;
  std::uint32_t high_since_ = 0;
  std::uint32_t next_ready_us_ = 0;
  int pulses_ = 0;
  int bit_ = 1;
  std::int32_t latched_ = 0;
};

}  // namespace fake_arduino
