#include "forceplate/analysis/measure.hpp"

#include <algorithm>
#include <numbers>

namespace fp::analysis {

namespace {
struct DisplayUnit {
  double scale;
  const char* label;
};

DisplayUnit display_unit(Unit u) {
  switch (u) {
    case Unit::metre:
      return {1e3, "mm"};
    case Unit::metre_per_second:
      return {1e3, "mm/s"};
    case Unit::metre_shown_in_m:
      return {1.0, "m"};
    case Unit::metre_per_second_shown_in_m_s:
      return {1.0, "m/s"};
    case Unit::square_metre:
      return {1e6, "mm^2"};
    case Unit::square_metre_per_second:
      return {1e6, "mm^2/s"};
    case Unit::hertz:
      return {1.0, "Hz"};
    case Unit::second:
      return {1.0, "s"};
    case Unit::newton:
      return {1.0, "N"};
    case Unit::dimensionless:
      return {1.0, ""};
    case Unit::radian:
      return {180.0 / std::numbers::pi, "deg"};
    case Unit::percent:
      return {1.0, "%"};
    case Unit::watt:
      return {1.0, "W"};
    case Unit::watt_per_kilogram:
      return {1.0, "W/kg"};
    case Unit::newton_second:
      return {1.0, "N s"};
    case Unit::body_weight:
      return {1.0, "BW"};
    case Unit::body_weight_per_second:
      return {1.0, "BW/s"};
    case Unit::newton_per_second:
      return {1.0, "N/s"};
    case Unit::body_weight_second:
      return {1.0, "BW s"};
  }
  return {1.0, ""};  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}
}  // namespace

DisplayValue to_display(const Measure& m) {
  const DisplayUnit d = display_unit(m.unit);
  return {m.value * d.scale, d.label};
}

const char* to_string(Side s) { return s == Side::left ? "left" : "right"; }

const Measure* AnalysisResult::find(const std::string& name) const {
  const auto it = std::find_if(measures.begin(), measures.end(),
                               [&](const Measure& m) { return m.name == name; });
  return it == measures.end() ? nullptr : &*it;
}

}  // namespace fp::analysis
