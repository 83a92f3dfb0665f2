#pragma once
// A jump on two plates, one foot on each: each limb's share of every phase and the asymmetry
// between them. The phases come from the total force (analyze_jump), so both limbs are measured
// over exactly the same samples.
#include <span>

#include "forceplate/analysis/drop_jump.hpp"
#include "forceplate/analysis/jump.hpp"
#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

// Adds to `jump.result.measures`, for each phase P in unweighting, braking, propulsion and landing
// (touchdown to the peak of the total landing force):
//   P_impulse_left, P_impulse_right (N s, of F_limb - W_limb, W_limb the limb's mean force in the
//   weighing window, so that left + right is the phase's net impulse), P_impulse_asymmetry (%),
// body_weight_left/_right (N, the W_limb),
// and peak_propulsive_force_left/_right (N) with peak_propulsive_force_asymmetry (%),
// peak_landing_force_left/_right (N) with peak_landing_force_asymmetry (%).
// Asymmetry = (|right| - |left|) / max(|left|, |right|) x 100: positive when the right limb
// contributes more (magnitudes: the unweighting impulse is negative),
// 0 when both are 0 (Bishop et al. 2018 compare this with the other published formulas).
// A phase of zero length (no countermovement in a squat jump) gets no measures.
// Throws AnalysisError when the plates' lengths differ from the total the jump was found in.
void add_limb_asymmetry(JumpResult& jump, std::span<const double> left_fz_n,
                        std::span<const double> right_fz_n);

// A drop jump on two plates: for the rebound contact, contact_impulse_left/_right (N s, of the
// limb's whole force: there is no standing weight to subtract before a drop) with
// contact_impulse_asymmetry, peak_contact_force_left/_right with peak_contact_force_asymmetry, and
// peak_landing_force_left/_right/_asymmetry after the flight (within 0.3 s of touchdown).
void add_limb_asymmetry(DropJumpResult& jump, double rate_hz, std::span<const double> left_fz_n,
                        std::span<const double> right_fz_n);

}  // namespace fp::analysis
