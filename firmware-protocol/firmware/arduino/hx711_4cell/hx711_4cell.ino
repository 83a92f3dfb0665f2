// Force plate with four HX711 load-cell amplifiers (shared PD_SCK), speaking the force-plate wire
// protocol (docs/protocol.md) over USB serial. The protocol and the firmware core come from the
// "forceplate" Arduino library (make_library.sh); this sketch only describes the plate.
// Build, wiring and settings: README.md next to this file.
#include <Arduino.h>
#include <forceplate.h>
#include <stdio.h>

#include "hx711_board.hpp"

// ============================================================ this plate: edit before flashing
// Identity: unique per plate, at most 16 ASCII characters each.
static const char kSerialNumber[] = "HX4-0001";
static const char kFirmwareVersion[] = "hx711-4ch 1.0";
static_assert(sizeof kSerialNumber <= 17 && sizeof kFirmwareVersion <= 17, "at most 16 characters");

// Wiring: DOUT of the HX711 of each cell (in the order of kCellPositions), the shared PD_SCK, and
// the RATE pins (tied together) or Hx711Board::kNoPin if they are soldered to VCC or GND.
static const fp::boards::Hx711Board::Pins kPins = {{2, 3, 4, 5}, /*sck=*/6, /*rate=*/7};

// The HX711 rate the plate starts at: 80 or 10 samples/s. With RATE soldered (kNoPin above) it
// must be what RATE is soldered to (VCC: 80, GND: 10; many ready-made modules tie it to GND).
static const uint16_t kRateSps = 80;

// Plate size and cell positions in mm from the plate centre: x towards the patient's right,
// y forward (the way the patient faces). Recommended order: front-left, front-right, back-right,
// back-left.
static const float kPlateWidthMm = 400.0F;
static const float kPlateLengthMm = 600.0F;
static const float kCellPositions[4][2] = {
    {-180.0F, 280.0F}, {180.0F, 280.0F}, {180.0F, -280.0F}, {-180.0F, -280.0F}};

// The load cells' data sheet values give a nominal gain until the host calibrates the plate:
// channel A, gain 128, excitation = AVDD -> full scale +-0.5 * AVDD / 128 is +-2^23 counts, so a
// cell of S mV/V reads S/1000 * 256 * 2^23 counts at capacity.
static const float kCellCapacityN = 490.0F;  // 50 kg
static const float kCellSensitivityMvPerV = 2.0F;

static const unsigned long kBaud = 921600;  // a USB CDC port ignores it
// ============================================================

static fp::firmware::DeviceConfig make_config() {
  fp::firmware::DeviceConfig cfg;
  fp::protocol::DeviceInfoMsg& info = cfg.info;
  snprintf(info.serial, sizeof info.serial, "%s", kSerialNumber);  // at most 16 characters
  snprintf(info.firmware_version, sizeof info.firmware_version, "%s", kFirmwareVersion);
  info.plate_count = 1;
  info.adc_bits = 24;
  info.nominal_rate_hz = kRateSps;
  info.calibration_unix_time = 0;  // nominal gains: never calibrated
  info.plate_width_mm[0] = kPlateWidthMm;
  info.plate_length_mm[0] = kPlateLengthMm;
  const float counts_at_capacity = kCellSensitivityMvPerV / 1000.0F * 256.0F * 8388608.0F;
  for (int c = 0; c < 4; ++c) {
    info.cells[c].x_mm = kCellPositions[c][0];
    info.cells[c].y_mm = kCellPositions[c][1];
    info.cells[c].gain_n_per_count = kCellCapacityN / counts_at_capacity;
    info.cells[c].offset_counts = 0;  // the host sends tare
  }
  cfg.min_rate_hz = 10;
  cfg.max_rate_hz = 80;
  return cfg;
}

static fp::boards::Hx711Board board(Serial, kPins, kRateSps);
static fp::firmware::DeviceCore core(board, make_config());

void setup() {
  Serial.begin(kBaud);
  board.begin();
  core.begin();
}

void loop() {
  uint8_t buf[64];
  size_t n = 0;
  while (n < sizeof buf && Serial.available() > 0) buf[n++] = static_cast<uint8_t>(Serial.read());
  if (n > 0) core.on_bytes(buf, n);
  core.tick();
}
