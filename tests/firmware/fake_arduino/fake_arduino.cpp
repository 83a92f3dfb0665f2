// The fake Arduino core behind Arduino.h / SPI.h (host tests only).
#include <cstdio>
#include <cstring>

#include "Arduino.h"
#include "SPI.h"

HardwareSerial Serial;
SPIClass SPI;

namespace fake_arduino {

State& state() {
  static State s;
  return s;
}

void reset() {
  state() = State{};
  SPI = SPIClass{};
  Serial.begin(0);
}

void attach(Device* d) { state().devices.push_back(d); }

}  // namespace fake_arduino

using fake_arduino::state;

void pinMode(std::uint8_t pin, std::uint8_t mode) {
  state().mode[pin] = mode;
  if (mode == INPUT_PULLUP) state().level[pin] = HIGH;
}

void digitalWrite(std::uint8_t pin, std::uint8_t level) {
  state().level[pin] = level ? HIGH : LOW;
  for (fake_arduino::Device* d : state().devices) d->pin_written(pin, state().level[pin]);
}

int digitalRead(std::uint8_t pin) {
  state().now_us += 1;  // a read takes time, so busy-waits with timeouts make progress
  for (fake_arduino::Device* d : state().devices) {
    if (d->drives(pin)) return d->level(pin);
  }
  return state().level[pin];
}

unsigned long micros() { return state().now_us; }
unsigned long millis() { return state().now_us / 1000U; }
void delay(unsigned long ms) { state().now_us += static_cast<std::uint32_t>(ms * 1000U); }
void delayMicroseconds(unsigned int us) { state().now_us += us; }
void yield() {}

void noInterrupts() {
  if (state().interrupts_off++ == 0) state().interrupts_off_since = state().now_us;
}

void interrupts() {
  if (state().interrupts_off > 0 && --state().interrupts_off == 0) {
    const int off = static_cast<int>(state().now_us - state().interrupts_off_since);
    if (off > state().max_interrupts_off_us) state().max_interrupts_off_us = off;
  }
}

size_t Print::print(const char* s) { return write(reinterpret_cast<const std::uint8_t*>(s), std::strlen(s)); }

size_t Print::print(long v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%ld", v);
  return print(static_cast<const char*>(buf));
}

size_t Print::print(unsigned long v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%lu", v);
  return print(static_cast<const char*>(buf));
}

size_t HardwareSerial::write(std::uint8_t b) { return write(&b, 1); }

size_t HardwareSerial::write(const std::uint8_t* buffer, size_t size) {
  state().serial_tx.insert(state().serial_tx.end(), buffer, buffer + size);
  state().tx_pending += static_cast<int>(size);
  if (state().tx_capacity > 0 && state().tx_pending > state().tx_capacity) {
    // A real core would block here until the line drained the excess.
    state().tx_pending = state().tx_capacity;
  }
  return size;
}

int HardwareSerial::availableForWrite() {
  if (state().tx_capacity == 0) return 0;
  return state().tx_capacity - state().tx_pending;
}

int HardwareSerial::available() { return static_cast<int>(state().serial_rx.size()); }

int HardwareSerial::read() {
  if (state().serial_rx.empty()) return -1;
  const int b = state().serial_rx.front();
  state().serial_rx.pop_front();
  return b;
}

int HardwareSerial::peek() { return state().serial_rx.empty() ? -1 : state().serial_rx.front(); }

std::uint8_t SPIClass::transfer(std::uint8_t out) {
  if (!in_transaction) ++transfers_outside_transaction;
  state().now_us += 4;
  std::uint8_t in = 0xFF;
  for (fake_arduino::Device* d : state().devices) in &= d->spi_transfer(out);
  return in;
}
