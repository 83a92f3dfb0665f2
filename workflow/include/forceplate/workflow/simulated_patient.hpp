#pragma once
// The built-in simulator's patient for the clinic workflow: a scenario in which the simulated
// person does what a test definition asks, timed for the trial runner started at the same moment
// (the plate stays empty while it is checked and zeroed, the person steps on or lands after that,
// and moves after the countdown). Used by `forceplate run --device sim` and by the clinic window.
#include <optional>

#include "forceplate/analysis/measure.hpp"
#include "forceplate/simulator/scenario.hpp"
#include "forceplate/workflow/test_definition.hpp"

namespace fp::workflow {

// `base` supplies the person (mass, seed, plate count); its name and timing parameters are
// replaced. Each side and each attempt gets its own seed, so that left, right and a redo are not
// copies of each other.
sim::ScenarioSettings simulated_patient(const TestDefinition& test, std::optional<analysis::Side> side,
                                        sim::ScenarioSettings base = {}, int attempt = 1);

}  // namespace fp::workflow
