#include "forceplate/analysis/limbs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fp::analysis {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string direction(double l, double r) {
  if (std::isnan(l) || std::isnan(r)) return "";
  if (l > r) return "left higher";
  if (r > l) return "right higher";
  return "equal";
}

double asymmetry(double l, double r) {
  const double larger = std::max(std::abs(l), std::abs(r));
  if (std::isnan(l) || std::isnan(r)) return nan;
  return larger == 0 ? 0.0 : 100 * std::abs(l - r) / larger;
}
}  // namespace

LimbComparison compare_limbs(const AnalysisResult& left, const AnalysisResult& right,
                             Side involved_side) {
  LimbComparison c;
  c.involved_side = involved_side;
  std::vector<std::string> one_sided;
  for (const Measure& l : left.measures) {
    const Measure* r = right.find(l.name);
    if (r == nullptr) {
      one_sided.push_back(l.name + " (left only)");
      continue;
    }
    LimbRow row;
    row.name = l.name;
    row.unit = l.unit;
    row.left = l.value;
    row.right = r->value;
    row.involved = involved_side == Side::left ? l.value : r->value;
    row.uninvolved = involved_side == Side::left ? r->value : l.value;
    row.lsi = row.uninvolved == 0 ? nan : 100 * row.involved / row.uninvolved;
    if (row.uninvolved == 0) c.warnings.push_back(l.name + ": uninvolved limb is 0, LSI undefined");
    row.asymmetry = asymmetry(l.value, r->value);
    row.direction = direction(l.value, r->value);
    c.rows.push_back(row);
  }
  for (const Measure& r : right.measures) {
    if (left.find(r.name) == nullptr) one_sided.push_back(r.name + " (right only)");
  }
  if (!one_sided.empty()) {
    std::string w = "not compared, present on one side only:";
    for (const std::string& s : one_sided) w += " " + s;
    c.warnings.push_back(w);
  }
  return c;
}

}  // namespace fp::analysis
