#include "forceplate/workflow/result_json.hpp"

#include <cmath>

namespace fp::workflow {

nlohmann::json to_json(const analysis::AnalysisResult& result) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const analysis::Measure& m : result.measures) {
    const analysis::DisplayValue d = analysis::to_display(m);
    // JSON has no NaN: a value that could not be computed is null.
    metrics[m.name] = {{"value", std::isfinite(d.value) ? nlohmann::json(d.value) : nlohmann::json()},
                       {"unit", d.unit}};
  }
  return {{"test", result.test}, {"metrics", metrics}, {"warnings", result.warnings}, {"processing", result.processing}};
}

}  // namespace fp::workflow
