#include "series.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fp::sim::testing {

TruthEvent Series::event(const std::string& name) const {
  const auto n = std::count_if(events.begin(), events.end(), [&](const TruthEvent& e) { return e.name == name; });
  if (n != 1) {
    ADD_FAILURE() << "expected one truth event '" << name << "', found " << n;
    return {};
  }
  return *std::find_if(events.begin(), events.end(), [&](const TruthEvent& e) { return e.name == name; });
}

bool Series::has_event(const std::string& name) const {
  return std::any_of(events.begin(), events.end(), [&](const TruthEvent& e) { return e.name == name; });
}

std::size_t Series::index_at(double time_s) const {
  return static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), time_s - 1e-12) - t.begin());
}

std::size_t Series::first_zero(std::size_t from) const {
  for (std::size_t i = from; i < size(); ++i) {
    if (fz(i) == 0) return i;
  }
  return size();
}

std::size_t Series::first_loaded(std::size_t from) const {
  for (std::size_t i = from; i < size(); ++i) {
    if (fz(i) > 0) return i;
  }
  return size();
}

double Series::velocity_change(std::size_t i, std::size_t j) const {
  double v = 0;
  for (std::size_t k = i; k < j; ++k) v += ((fz(k) + fz(k + 1)) / 2 / mass_kg - kGravity) * dt();
  return v;
}

double Series::net_impulse(std::size_t i, std::size_t j) const { return velocity_change(i, j) * mass_kg; }

double Series::max_fz(std::size_t i, std::size_t j, std::size_t* at) const {
  double m = -1;
  for (std::size_t k = i; k <= j && k < size(); ++k) {
    if (fz(k) > m) {
      m = fz(k);
      if (at) *at = k;
    }
  }
  return m;
}

double Series::min_fz(std::size_t i, std::size_t j) const {
  double m = 1e300;
  for (std::size_t k = i; k <= j && k < size(); ++k) m = std::min(m, fz(k));
  return m;
}

ScenarioSettings settings(const std::string& name, std::map<std::string, double> params, int plates,
                          std::uint64_t seed, double mass_kg) {
  ScenarioSettings s;
  s.name = name;
  s.params = std::move(params);
  s.plate_count = plates;
  s.seed = seed;
  s.mass_kg = mass_kg;
  return s;
}

Series run(const ScenarioSettings& s, double rate_hz, double duration_s) {
  Series out;
  out.rate_hz = rate_hz;
  out.mass_kg = s.mass_kg;
  auto scenario = make_scenario(s, rate_hz);
  const auto n = static_cast<std::size_t>(std::llround(duration_s * rate_hz));
  out.t.reserve(n);
  out.states.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.states.push_back(scenario->next());
    out.t.push_back(scenario->time_s());
  }
  out.events = scenario->events();
  return out;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

double sd(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (const double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

}  // namespace fp::sim::testing
