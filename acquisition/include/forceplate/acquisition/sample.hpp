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

enum class GapKind : std::uint8_t {
  none = 0,
  sequence_jump = 1,   // exact: numbered by the device, never received
  device_restart = 2,  // estimated from the host clock: the device's numbering started again
  reconnect = 3,       // estimated from the host clock: the device was lost and found again
};

const char* gap_kind_name(GapKind kind);

struct Sample {
  std::uint64_t sequence = 0;   // device sample number, unwrapped to 64 bits
  double device_time_s = 0;     // device clock since the first sample of the connection
  std::uint64_t gap_before = 0; // samples missing just before this one (see gap_kind)
  GapKind gap_kind = GapKind::none;
  std::uint8_t plate_count = 1;
  std::array<std::int32_t, kMaxCells> counts{};
  std::array<double, kMaxCells> cell_force_n{};
  std::array<double, kMaxPlates> fz_n{};
  std::array<double, kMaxPlates> cop_x_m{};  // NaN below the minimum force
  std::array<double, kMaxPlates> cop_y_m{};
  // Both plates as one (equal to plate 0 with one plate): total vertical force and the COP in the
  // common frame (see PlateSpec::origin_x_m), NaN below the minimum force.
  double total_fz_n = 0;
  double total_cop_x_m = 0;
  double total_cop_y_m = 0;
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
  // Where this plate's centre lies in the common frame of all plates (two plates side by side:
  // the left one at negative x). Protocol 1.0 does not carry it; the host sets it.
  double origin_x_m = 0;
  double origin_y_m = 0;
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
