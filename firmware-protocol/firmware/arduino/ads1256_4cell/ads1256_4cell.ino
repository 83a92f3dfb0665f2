// Force plate with one ADS1256 (24-bit, SPI) reading four load cells on its four differential
// inputs, multiplexed, speaking the force-plate wire protocol (docs/protocol.md) over USB serial.
// The protocol and the firmware core come from the "forceplate" Arduino library
// (make_library.sh); this sketch only describes the plate.
// Build, wiring and settings: README.md next to this file.
#include <Arduino.h>
#include <SPI.h>
#include <forceplate.h>
#include <stdio.h>

#include "ads1256_board.hpp"

// ============================================================ this plate: edit before flashing
// Identity: unique per plate, at most 16 ASCII characters each.
static const char kSerialNumber[] = "ADS4-0001";
static const char kFirmwareVersion[] = "ads1256-4ch 1.0";
static_assert(sizeof kSerialNumber <= 17 && sizeof kFirmwareVersion <= 17, "at most 16 characters");

// Wiring: chip select, DRDY, and the optional RESET and PDWN pins (Ads1256Board::kNoPin if tied
// high). SCLK, DIN and DOUT are the board's hardware SPI pins.
static const fp::boards::Ads1256Board::Pins kPins = {/*cs=*/10, /*drdy=*/9, /*reset=*/8,
                                                     /*pdwn=*/fp::boards::Ads1256Board::kNoPin};

// Sample rate after power-up, Hz (the host may change it with set_rate, 10 ... about 1000 Hz).
static const uint16_t kNominalRateHz = 500;

// Plate size and cell positions in mm from the plate centre: x towards the patient's right,
// y forward. Cell c is wired to AIN(2c)+ / AIN(2c+1)-. Recommended order: front-left,
// front-right, back-right, back-left.
static const float kPlateWidthMm = 400.0F;
static const float kPlateLengthMm = 600.0F;
static const float kCellPositions[4][2] = {
    {-180.0F, 280.0F}, {180.0F, 280.0F}, {180.0F, -280.0F}, {-180.0F, -280.0F}};

// Nominal gain until the host calibrates the plate: PGA 64 and VREF 2.5 V give a full scale of
// +-2 * 2.5 V / 64 = +-78.125 mV for +-2^23 counts; a cell of S mV/V excited at kExcitationV
// reads S * kExcitationV / 78.125 * 2^23 counts at capacity.
static const float kCellCapacityN = 490.0F;  // 50 kg
static const float kCellSensitivityMvPerV = 2.0F;
static const float kExcitationV = 5.0F;

static const unsigned long kBaud = 921600;  // a USB CDC port ignores it
// ============================================================

static fp::firmware::DeviceConfig make_config() {
  fp::firmware::DeviceConfig cfg;
  fp::protocol::DeviceInfoMsg& info = cfg.info;
  snprintf(info.serial, sizeof info.serial, "%s", kSerialNumber);  // at most 16 characters
  snprintf(info.firmware_version, sizeof info.firmware_version, "%s", kFirmwareVersion);
  info.plate_count = 1;
  info.adc_bits = 24;
  info.nominal_rate_hz = kNominalRateHz;
  info.calibration_unix_time = 0;  // nominal gains: never calibrated
  info.plate_width_mm[0] = kPlateWidthMm;
  info.plate_length_mm[0] = kPlateLengthMm;
  const float counts_at_capacity = kCellSensitivityMvPerV * kExcitationV / 78.125F * 8388608.0F;
  for (int c = 0; c < 4; ++c) {
    info.cells[c].x_mm = kCellPositions[c][0];
    info.cells[c].y_mm = kCellPositions[c][1];
    info.cells[c].gain_n_per_count = kCellCapacityN / counts_at_capacity;
    info.cells[c].offset_counts = 0;  // the host sends tare
  }
  return cfg;
}

static fp::boards::Ads1256Board board(Serial, SPI, kPins, kNominalRateHz);
static fp::firmware::DeviceCore core(board, make_config());

void setup() {
  Serial.begin(kBaud);
  board.begin();  // if the ADS1256 does not answer, the host sees adc_fault for every slot
  core.begin();
}

void loop() {
  uint8_t buf[64];
  size_t n = 0;
  while (n < sizeof buf && Serial.available() > 0) buf[n++] = static_cast<uint8_t>(Serial.read());
  if (n > 0) core.on_bytes(buf, n);
  core.tick();
}
