#pragma once
// What the acquisition layer delivers: one calibrated sample of every cell of every plate.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace fp::acq {

inline constexpr int kMaxPlates = 2;
inline constexpr int kCellsPerPlate = 4;
inline constexpr int kMaxCells = kMaxPlates * kCellsPerPlate;

struct Sample {
  std::uint64_t sequence = 0;   // device sample number, unwrapped to 64 bits
  double device_time_s = 0;     // device clock since the first sample of the connection
  std::uint32_t gap_before = 0; // samples the device numbered but never delivered, just before this
  std::uint8_t plate_count = 1;
  std::array<std::int32_t, kMaxCells> counts{};
  std::array<double, kMaxCells> cell_force_n{};
  std::array<double, kMaxPlates> fz_n{};
  std::array<double, kMaxPlates> cop_x_m{};  // NaN below the minimum force
  std::array<double, kMaxPlates> cop_y_m{};
};

struct CellSpec {
  double x_m = 0;  // relative to the plate centre, x mediolateral
  double y_m = 0;  // y anteroposterior
  double gain_n_per_count = 0;
  double offset_counts = 0;
};

struct PlateSpec {
  double width_m = 0;
  double length_m = 0;
  std::array<CellSpec, kCellsPerPlate> cells{};
};

// What a device says about itself (protocol device_info), in SI units.
struct DeviceDescription {
  std::string serial;
  std::string firmware_version;
  int protocol_major = 0;
  int protocol_minor = 0;
  int adc_bits = 0;
  double nominal_rate_hz = 0;
  double current_rate_hz = 0;
  std::uint32_t calibration_unix_time = 0;
  std::vector<PlateSpec> plates;
  int cell_count() const { return static_cast<int>(plates.size()) * kCellsPerPlate; }
};

}  // namespace fp::acq
