#pragma once
// Fake Arduino SPI library: transfers go to the attached fake_arduino::Device objects (each
// checks its own chip select). Every byte takes 4 µs of fake time (about 2 MHz).
#include <stdint.h>

#include <cstdint>

#include "Arduino.h"

constexpr std::uint8_t LSBFIRST = 0;
constexpr std::uint8_t MSBFIRST = 1;
constexpr std::uint8_t SPI_MODE0 = 0x00;
constexpr std::uint8_t SPI_MODE1 = 0x04;
constexpr std::uint8_t SPI_MODE2 = 0x08;
constexpr std::uint8_t SPI_MODE3 = 0x0C;

class SPISettings {
 public:
  SPISettings() = default;
  SPISettings(std::uint32_t clock, std::uint8_t bit_order, std::uint8_t data_mode)
      : clock_hz(clock), order(bit_order), mode(data_mode) {}
  std::uint32_t clock_hz = 4000000;
  std::uint8_t order = MSBFIRST;
  std::uint8_t mode = SPI_MODE0;
};

class SPIClass {
 public:
  void begin() { begun = true; }
  void end() { begun = false; }
  void beginTransaction(const SPISettings& s) {
    settings = s;
    in_transaction = true;
  }
  void endTransaction() { in_transaction = false; }
  std::uint8_t transfer(std::uint8_t out);

  bool begun = false;
  bool in_transaction = false;
  SPISettings settings;
  long transfers_outside_transaction = 0;
};

extern SPIClass SPI;
