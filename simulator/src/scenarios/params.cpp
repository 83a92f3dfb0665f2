#include "params.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace fp::sim {

double ParamReader::get(const std::string& name, double fallback, double lo, double hi) {
  used_.insert(name);
  const auto it = params_.find(name);
  const double v = it == params_.end() ? fallback : it->second;
  if (!std::isfinite(v) || v < lo || v > hi) {
    std::ostringstream msg;
    msg << "scenario '" << scenario_ << "': parameter " << name << " = " << v << " is outside " << lo
        << " .. " << hi;
    throw std::invalid_argument(msg.str());
  }
  return v;
}

void ParamReader::finish() const {
  std::string unknown;
  for (const auto& [name, value] : params_) {
    if (!used_.count(name)) unknown += (unknown.empty() ? "" : ", ") + name;
  }
  if (!unknown.empty()) {
    std::string known;
    for (const auto& n : used_) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("scenario '" + scenario_ + "' has no parameter " + unknown +
                                " (it has: " + known + ")");
  }
}

}  // namespace fp::sim
