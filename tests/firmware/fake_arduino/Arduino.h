#pragma once
// A minimal fake of the Arduino core API, enough to compile and run the sketches' board classes
// (firmware-protocol/firmware/arduino/*) on the host. Pins, time, Serial and SPI are simulated;
// simulated chips (fake_hx711.hpp, the fake ADS1256 in ads1256_board_test.cpp) attach to it.
//
// Time: a 32-bit microsecond clock that only moves when the code spends time: delay(),
// delayMicroseconds(), 1 µs per digitalRead(), 4 µs per SPI byte. micros() returns it.
// Like the real one, it brings in the C library headers sketches rely on.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cstdint>
#include <deque>
#include <vector>

using byte = std::uint8_t;

constexpr std::uint8_t LOW = 0;
constexpr std::uint8_t HIGH = 1;
constexpr std::uint8_t INPUT = 0;
constexpr std::uint8_t OUTPUT = 1;
constexpr std::uint8_t INPUT_PULLUP = 2;

void pinMode(std::uint8_t pin, std::uint8_t mode);
void digitalWrite(std::uint8_t pin, std::uint8_t level);
int digitalRead(std::uint8_t pin);
unsigned long micros();
unsigned long millis();
void delay(unsigned long ms);
void delayMicroseconds(unsigned int us);
void noInterrupts();
void interrupts();
void yield();

// Flash strings are plain strings here.
#define F(s) (s)

class Print {
 public:
  virtual ~Print() = default;
  virtual size_t write(std::uint8_t b) = 0;
  virtual size_t write(const std::uint8_t* buffer, size_t size) {
    size_t n = 0;
    while (size--) n += write(*buffer++);
    return n;
  }
  virtual int availableForWrite() { return 0; }
  size_t print(const char* s);
  size_t print(char c) { return write(static_cast<std::uint8_t>(c)); }
  size_t print(int v) { return print(static_cast<long>(v)); }
  size_t print(unsigned v) { return print(static_cast<unsigned long>(v)); }
  size_t print(long v);
  size_t print(unsigned long v);
  size_t println(const char* s) { return print(s) + print("\r\n"); }
  size_t println() { return print("\r\n"); }
};

class Stream : public Print {
 public:
  virtual int available() = 0;
  virtual int read() = 0;
  virtual int peek() = 0;
};

class HardwareSerial : public Stream {
 public:
  void begin(unsigned long baud) { baud_ = baud; }
  unsigned long baud() const { return baud_; }
  explicit operator bool() const { return true; }
  size_t write(std::uint8_t b) override;
  size_t write(const std::uint8_t* buffer, size_t size) override;
  using Print::write;
  int availableForWrite() override;
  int available() override;
  int read() override;
  int peek() override;

 private:
  unsigned long baud_ = 0;
};

extern HardwareSerial Serial;

// ---- test controls -------------------------------------------------------------------------
namespace fake_arduino {

// A simulated chip wired to some pins (and maybe to the SPI bus).
class Device {
 public:
  virtual ~Device() = default;
  virtual void pin_written(std::uint8_t /*pin*/, std::uint8_t /*level*/) {}
  virtual bool drives(std::uint8_t /*pin*/) const { return false; }
  virtual int level(std::uint8_t /*pin*/) { return LOW; }
  virtual std::uint8_t spi_transfer(std::uint8_t /*out*/) { return 0xFF; }
};

struct State {
  std::uint32_t now_us = 0;
  std::uint8_t mode[256] = {};
  std::uint8_t level[256] = {};
  std::vector<Device*> devices;
  int interrupts_off = 0;           // nesting depth of noInterrupts()
  int max_interrupts_off_us = 0;    // longest stretch with interrupts off
  std::uint32_t interrupts_off_since = 0;
  // Serial: bytes the sketch wrote; bytes waiting for it to read; a transmit buffer of
  // tx_capacity bytes (0: the core does not report availableForWrite) of which tx_pending used.
  std::vector<std::uint8_t> serial_tx;
  std::deque<std::uint8_t> serial_rx;
  int tx_capacity = 256;
  int tx_pending = 0;
};

State& state();
void reset();  // everything back to power-on, devices detached
void attach(Device* d);
inline std::uint8_t pin_level(std::uint8_t pin) { return state().level[pin]; }
inline std::uint8_t pin_mode(std::uint8_t pin) { return state().mode[pin]; }
inline void advance_us(std::uint32_t us) { state().now_us += us; }
inline void drain_tx() { state().tx_pending = 0; }

}  // namespace fake_arduino
