#pragma once
// Simulated people on the plate. A scenario produces, sample by sample, the true vertical force and
// centre of pressure under each plate, and remembers the key moments it generated (take-off,
// landing, peak force, settling...) so that tests can compare what the system measures with them.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fp::sim {

inline constexpr int kMaxPlates = 2;
inline constexpr double kGravity = 9.80665;

struct PlateLoad {
  double fz_n = 0;     // vertical force on the plate
  double cop_x_m = 0;  // true COP relative to the plate centre (meaningful when fz_n > 0)
  double cop_y_m = 0;
};

struct BodyState {
  std::array<PlateLoad, kMaxPlates> plates{};
};

// A moment or value the scenario generated, e.g. {"takeoff", 2.412, 0, "s"} or
// {"peak_landing_force", 2.930, 2950.0, "N"} (time of the peak, and the peak).
struct TruthEvent {
  std::string name;
  double time_s = 0;
  double value = 0;
  std::string unit;
};

// A recorded trial to replay: per-plate force and COP at a fixed rate.
struct ReplaySeries {
  double rate_hz = 0;
  int plate_count = 1;
  std::vector<std::array<PlateLoad, kMaxPlates>> samples;
};

struct ScenarioSettings {
  std::string name = "quiet-stance";
  double mass_kg = 75;
  int plate_count = 1;
  std::uint64_t seed = 1;
  // Scenario-specific parameters by name (docs/simulator.md lists them with their defaults).
  std::map<std::string, double> params;
  std::shared_ptr<const ReplaySeries> replay;  // for "replay"
};

class Scenario {
 public:
  virtual ~Scenario() = default;
  // The state at the next sample; the first call returns the state at t = 0.
  virtual BodyState next() = 0;
  // Time of the state last returned.
  virtual double time_s() const = 0;
  virtual std::vector<TruthEvent> events() const = 0;
};

// Throws std::invalid_argument naming the scenario and the parameter for an unknown scenario, an
// unknown parameter or a value out of range.
std::unique_ptr<Scenario> make_scenario(const ScenarioSettings& settings, double rate_hz);
std::vector<std::string> scenario_names();

}  // namespace fp::sim
