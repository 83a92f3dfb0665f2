#include "forceplate/workflow/simulated_patient.hpp"

#include <cstdint>
#include <utility>

namespace fp::workflow {

sim::ScenarioSettings simulated_patient(const TestDefinition& test, std::optional<analysis::Side> side,
                                        sim::ScenarioSettings base, int attempt) {
  sim::ScenarioSettings c = std::move(base);
  auto& p = c.params;
  const double right = side && *side == analysis::Side::right ? 1 : 0;
  if (right > 0) c.seed += 1;
  if (attempt > 1) c.seed += static_cast<std::uint64_t>(attempt - 1) * 100U;
  // Parameters already in `base` win (the command line's own). The runner needs about 1 s of empty plate (still check + tare) before anyone steps on, and a
  // second of stable weighing plus the 3 s countdown before the person moves.
  switch (test.analysis) {
    case AnalysisKind::quiet_stance:
      c.name = "quiet-stance";
      p.emplace("step_on_s", 2.0);
      break;
    case AnalysisKind::single_leg_stance:
      c.name = "single-leg-stance";
      p.emplace("step_on_s", 2.0);
      p.emplace("side", right);
      break;
    case AnalysisKind::weight_bearing:
      c.name = "step-on-off";
      p.emplace("step_on_s", 2.0);
      p.emplace("step_off_s", 3600.0);
      break;
    case AnalysisKind::countermovement_jump:
    case AnalysisKind::squat_jump: {
      const bool cmj = test.analysis == AnalysisKind::countermovement_jump;
      c.name = cmj ? "cmj" : "squat-jump";
      p.emplace("step_on_s", 2.0);
      p.emplace(cmj ? "onset_s" : "squat_at_s", 8.5);
      if (side) {
        p.emplace("legs", 1.0);
        p.emplace("side", right);
      }
      break;
    }
    case AnalysisKind::landing:
      c.name = "landing";
      p.emplace("landing_at_s", 6.0);
      p.emplace("side", right);
      break;
    case AnalysisKind::drop_jump:
      c.name = "drop-jump";
      p.emplace("touchdown_at_s", 6.0);
      break;
    case AnalysisKind::hops:
      c.name = "hops";
      p.emplace("step_on_s", 2.0);
      p.emplace("onset_s", 8.5);
      p.emplace("side", right);
      if (test.end.count > 0) p.emplace("count", test.end.count);
      break;
  }
  return c;
}

}  // namespace fp::workflow
