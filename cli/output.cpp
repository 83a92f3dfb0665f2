#include "output.hpp"

#include <iomanip>

#include "forceplate/workflow/result_json.hpp"

namespace fp::cli {

void print_result(std::ostream& out, const analysis::AnalysisResult& result) {
  out << "test: " << result.test << "\n";
  for (const analysis::Measure& m : result.measures) {
    const analysis::DisplayValue d = analysis::to_display(m);
    out << "  " << std::left << std::setw(36) << m.name << std::right << std::setw(14)
        << std::setprecision(6) << d.value << " " << d.unit << "\n";
  }
  for (const std::string& p : result.processing) out << "processing: " << p << "\n";
  for (const std::string& w : result.warnings) out << "note: " << w << "\n";
}

void print_json(std::ostream& out, const analysis::AnalysisResult& result) {
  out << workflow::to_json(result).dump(2) << "\n";
}

}  // namespace fp::cli
