#pragma once
// One factory per scenario; scenario_factory.cpp maps names to them.
#include <memory>

#include "forceplate/simulator/scenario.hpp"

namespace fp::sim {

std::unique_ptr<Scenario> make_quiet_stance(const ScenarioSettings& s, double rate_hz);

}  // namespace fp::sim
