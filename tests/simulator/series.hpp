#pragma once
// Runs a scenario for a while and keeps what it generated, with the small measurements the tests
// make on it (zero-force intervals, impulse, standard deviation). Everything here works from the
// generated samples; the truth events are only ever compared with, never used to compute.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "forceplate/simulator/scenario.hpp"

namespace fp::sim::testing {

struct Series {
  double rate_hz = 0;
  double mass_kg = 0;
  std::vector<double> t;
  std::vector<BodyState> states;
  std::vector<TruthEvent> events;

  std::size_t size() const { return t.size(); }
  double dt() const { return 1.0 / rate_hz; }
  double weight() const { return mass_kg * kGravity; }
  double fz(std::size_t i) const { return states[i].plates[0].fz_n + states[i].plates[1].fz_n; }
  double fz(std::size_t i, int plate) const { return states[i].plates[static_cast<std::size_t>(plate)].fz_n; }
  // The single truth event called `name` (a test failure and a zero event if absent or repeated).
  TruthEvent event(const std::string& name) const;
  bool has_event(const std::string& name) const;
  // Index of the first sample at or after time t.
  std::size_t index_at(double time_s) const;
  // Index of the first sample at or after `from` whose total force is exactly zero / positive.
  std::size_t first_zero(std::size_t from) const;
  std::size_t first_loaded(std::size_t from) const;
  // Trapezoidal integral of (F/m - g) over samples [i, j] (the body's change of vertical velocity).
  double velocity_change(std::size_t i, std::size_t j) const;
  // Net impulse (F - mg) over samples [i, j], trapezoidal, in N s.
  double net_impulse(std::size_t i, std::size_t j) const;
  double max_fz(std::size_t i, std::size_t j, std::size_t* at = nullptr) const;
  double min_fz(std::size_t i, std::size_t j) const;
};

ScenarioSettings settings(const std::string& name, std::map<std::string, double> params = {}, int plates = 1,
                          std::uint64_t seed = 1, double mass_kg = 75);
Series run(const ScenarioSettings& s, double rate_hz, double duration_s);

double mean(const std::vector<double>& v);
double sd(const std::vector<double>& v);

}  // namespace fp::sim::testing
