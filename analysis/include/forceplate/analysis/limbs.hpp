#pragma once
// Side-by-side comparison of the same test on the left and the right limb.
#include <string>
#include <vector>

#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

struct LimbRow {
  std::string name;
  Unit unit = Unit::dimensionless;
  double left = 0;
  double right = 0;
  double involved = 0;  // left or right, by involved_side
  double uninvolved = 0;
  double lsi = 0;         // limb symmetry index: involved / uninvolved * 100 (%)
  double asymmetry = 0;   // |L - R| / max(|L|, |R|) * 100 (%); 0 when both are 0
  std::string direction;  // "left higher", "right higher", "equal"; "" when a value is NaN
};

struct LimbComparison {
  Side involved_side = Side::left;
  std::vector<LimbRow> rows;          // every measure present in both, in the order of `left`
  std::vector<std::string> warnings;  // measures only one side has, divisions by zero
};

// NaN propagates: a NaN on either side gives NaN LSI and asymmetry. LSI is NaN when the
// uninvolved value is 0.
LimbComparison compare_limbs(const AnalysisResult& left, const AnalysisResult& right,
                             Side involved_side);

}  // namespace fp::analysis
