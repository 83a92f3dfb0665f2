#include <stdexcept>

#include "forceplate/simulator/scenario.hpp"
#include "scenarios/scenarios.hpp"
#include "scenarios/task_scenarios.hpp"

namespace fp::sim {

namespace {

using Factory = std::unique_ptr<Scenario> (*)(const ScenarioSettings&, double);

struct Entry {
  const char* name;
  Factory make;
};

constexpr Entry kScenarios[] = {
    {"quiet-stance", make_quiet_stance},
    {"single-leg-stance", make_single_leg_stance},
    {"step-on-off", make_step_on_off},
    {"landing", make_landing},
    {"cmj", make_cmj},
    {"squat-jump", make_squat_jump},
    {"drop-jump", make_drop_jump},
    {"hops", make_hops},
    {"empty", make_empty},
    {"replay", make_replay},
};

}  // namespace

std::vector<std::string> scenario_names() {
  std::vector<std::string> out;
  for (const Entry& e : kScenarios) out.emplace_back(e.name);
  return out;
}

std::unique_ptr<Scenario> make_scenario(const ScenarioSettings& settings, double rate_hz) {
  if (settings.plate_count < 1 || settings.plate_count > kMaxPlates) {
    throw std::invalid_argument("plate count must be 1 or 2");
  }
  if (!(rate_hz >= 1 && rate_hz <= 100000)) {
    throw std::invalid_argument("scenario '" + settings.name + "': sample rate " + std::to_string(rate_hz) +
                                " Hz is not a usable rate");
  }
  if (!(settings.mass_kg >= 10 && settings.mass_kg <= 300)) {
    throw std::invalid_argument("body mass must be between 10 and 300 kg");
  }
  for (const Entry& e : kScenarios) {
    if (settings.name == e.name) return e.make(settings, rate_hz);
  }
  std::string known;
  for (const auto& n : scenario_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown scenario '" + settings.name + "' (known: " + known + ")");
}

}  // namespace fp::sim
