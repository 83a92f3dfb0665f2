#pragma once
// Countermovement jump (CMJ) and squat jump (SJ) from the vertical force on the plate(s).
#include <span>
#include <vector>

#include "forceplate/analysis/jump_events.hpp"
#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

inline constexpr double standard_gravity = 9.80665;  // m/s^2

enum class JumpKind { countermovement, squat };

struct JumpOptions {
  JumpKind kind = JumpKind::countermovement;
  JumpEventOptions events;
  // A squat jump whose centre of mass moves down faster than this before the push gets a warning.
  double squat_countermovement_warn_m_s = 0.05;
  // Peak rate of force development in the braking phase: steepest rise over a window this long.
  double rfd_window_s = 0.02;
};

struct JumpResult {
  // test "countermovement-jump" or "squat-jump". Measures: body_weight (N), body_weight_sd (N),
  // flight_time (s), jump_height_flight (m, g t^2 / 8), jump_height_impulse (m, v^2 / 2g),
  // takeoff_velocity (m/s), contraction_time (onset to take-off, s), rsi_modified (jump height by
  // flight / contraction time, m/s), peak_power (W), peak_power_per_kg (W/kg),
  // mean_propulsive_power (W), mean_propulsive_power_per_kg (W/kg), unweighting_time, braking_time,
  // propulsion_time (s), unweighting_impulse, braking_impulse, propulsive_impulse (N s, of F - BW),
  // braking_mean_rfd, braking_peak_rfd (N/s), peak_braking_velocity (m/s, downward speed at the
  // start of braking),
  // peak_landing_force (N), peak_landing_force_bw (in body weights).
  AnalysisResult result;
  JumpEvents events;
  // Centre-of-mass velocity (m/s) at samples onset .. takeoff (takeoff - onset + 1 values).
  std::vector<double> velocity;
};

// Body mass m = BW / g; velocity by impulse-momentum: v(i+1) = v(i) + (F(i) - BW) / m / rate from
// rest at onset. Throws AnalysisError as detect_jump_events does.
JumpResult analyze_jump(std::span<const double> fz_n, double rate_hz,
                        const JumpOptions& options = {});

}  // namespace fp::analysis
