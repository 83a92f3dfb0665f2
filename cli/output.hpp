#pragma once
#include <ostream>

#include "forceplate/analysis/measure.hpp"

namespace fp::cli {

// Human-readable table of measures and warnings.
void print_result(std::ostream& out, const analysis::AnalysisResult& result);
// The JSON document of `analyze --json`.
void print_json(std::ostream& out, const analysis::AnalysisResult& result);

}  // namespace fp::cli
