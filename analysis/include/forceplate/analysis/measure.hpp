#pragma once
// Measures leave analysis in SI units; conversion to the units clinicians read (mm, mm/s, mm^2)
// happens only at the edges, through to_display().
#include <stdexcept>
#include <string>
#include <vector>

namespace fp::analysis {

enum class Unit {
  metre,             // sway-sized lengths: shown in mm
  metre_per_second,  // shown in mm/s
  // Body-sized lengths and speeds (jump heights, take-off velocity) are read in m and m/s.
  metre_shown_in_m,
  metre_per_second_shown_in_m_s,
  square_metre,
  square_metre_per_second,
  hertz,
  second,
  newton,
  dimensionless,
  radian,   // shown in degrees
  percent,  // stored as a percentage (100 = 100 %), shown as "%"
  watt,
  watt_per_kilogram,
  newton_second,
  // Readiness tests report forces relative to body weight: values are stored as multiples of BW
  // (2.5 = 2.5 x BW) and rates per second.
  body_weight,             // "BW"
  body_weight_per_second,  // "BW/s"
  newton_per_second,       // rate of force development, "N/s"
  body_weight_second,      // impulse normalised to body weight, "BW s"
};

struct Measure {
  std::string name;  // snake_case, e.g. "cop_path_length"
  double value = 0;  // SI
  Unit unit = Unit::dimensionless;
};

struct DisplayValue {
  double value = 0;
  std::string unit;  // "mm", "mm/s", "mm^2", "mm^2/s", "Hz", "s", "N", "", "deg", "%"
};

DisplayValue to_display(const Measure& m);

struct AnalysisResult {
  std::string test;  // e.g. "quiet-stance"
  std::vector<Measure> measures;
  std::vector<std::string> warnings;  // human-readable, one line each
  // What was done to the signal before the measures, in order, one line per step (e.g. the
  // low-pass filter, the analysis window, mean removal). Empty for analyze_sway().
  std::vector<std::string> processing;
  const Measure* find(const std::string& name) const;
};

// The stance (or involved) limb.
enum class Side { left, right };
const char* to_string(Side s);  // "left" / "right"

// Thrown for input that cannot be analysed; the message names what is wrong.
class AnalysisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace fp::analysis
