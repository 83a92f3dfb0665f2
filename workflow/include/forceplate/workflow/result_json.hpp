#pragma once
// The JSON form of an analysis result printed by `forceplate analyze --json`:
// {"test": ..., "metrics": {"<name>": {"value": <number>, "unit": "<unit>"}}, "warnings": [...]}
#include <nlohmann/json.hpp>

#include "forceplate/analysis/measure.hpp"

namespace fp::workflow {

nlohmann::json to_json(const analysis::AnalysisResult& result);

}  // namespace fp::workflow
