#pragma once
// Factories of the movement scenarios (single-leg stance, landing, jumps, hops, stepping on and
// off, an empty plate, replay); scenario_factory.cpp maps names to them. docs/simulator.md lists
// every scenario's parameters.
#include <memory>

#include "forceplate/simulator/scenario.hpp"

namespace fp::sim {

std::unique_ptr<Scenario> make_single_leg_stance(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_landing(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_cmj(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_squat_jump(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_drop_jump(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_hops(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_step_on_off(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_empty(const ScenarioSettings& s, double rate_hz);
std::unique_ptr<Scenario> make_replay(const ScenarioSettings& s, double rate_hz);

}  // namespace fp::sim
