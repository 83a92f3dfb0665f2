#pragma once
// Reads a scenario's named parameters with defaults and ranges; whatever is left over is a typo
// the user should hear about.
#include <map>
#include <set>
#include <string>

namespace fp::sim {

class ParamReader {
 public:
  ParamReader(std::string scenario, const std::map<std::string, double>& params)
      : scenario_(std::move(scenario)), params_(params) {}

  // The value of `name` (or `fallback`); throws std::invalid_argument outside [lo, hi].
  double get(const std::string& name, double fallback, double lo, double hi);
  // Throws std::invalid_argument listing parameters this scenario does not have.
  void finish() const;

 private:
  std::string scenario_;
  const std::map<std::string, double>& params_;
  std::set<std::string> used_;
};

}  // namespace fp::sim
