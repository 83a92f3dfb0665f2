#pragma once
// Input checks shared by the analyses; internal to fp_analysis. Every failure throws AnalysisError
// whose message starts with the name of the public function (`where`) and names the problem.
#include <cstddef>
#include <span>
#include <string>

namespace fp::analysis::detail {

[[noreturn]] void fail(const std::string& where, const std::string& what);
std::string str(double v);       // shortest readable form, e.g. "0.25", "1e+03"
std::string str(std::size_t v);  // plain integer

void check_rate(const std::string& where, double rate_hz);
void check_same_length(const std::string& where, const char* name_a, std::size_t a,
                       const char* name_b, std::size_t b);
// NaN (a missing sample) or infinity: the message names the series and the index, e.g. "x[137]".
void check_finite(const std::string& where, const char* name, std::span<const double> v);
// A COP farther than 1 m from the plate centre is not in metres.
void check_cop_metres(const std::string& where, const char* name, std::span<const double> v);
// At least `min_s` seconds (n >= min_s * rate) and `min_samples` samples.
void check_duration(const std::string& where, std::size_t n, double rate_hz, double min_s,
                    std::size_t min_samples);

}  // namespace fp::analysis::detail
