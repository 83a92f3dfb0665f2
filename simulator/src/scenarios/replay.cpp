// Replays a recorded trial (per-plate force and COP at its own rate) at the simulator's rate:
// linear interpolation of force and of moment (force x COP), so that the COP of a sample that
// lies between a loaded and an unloaded one stays where the load is. After the end, the plate is
// empty (loop 0) or the recording starts again (loop 1, the last sample joined to the first).
#include <cmath>
#include <string>

#include "body.hpp"
#include "task_scenarios.hpp"

namespace fp::sim {

namespace {

class Replay final : public Scenario {
 public:
  Replay(std::shared_ptr<const ReplaySeries> series, double dt, bool loop)
      : series_(std::move(series)), dt_(dt), loop_(loop) {}

  BodyState next() override {
    t_ = static_cast<double>(n_++) * dt_;
    const auto& samples = series_->samples;
    const auto count = static_cast<double>(samples.size());
    double pos = t_ * series_->rate_hz;  // in recorded samples
    if (loop_) {
      pos = std::fmod(pos, count);
    } else if (pos > count - 1) {
      return BodyState{};
    }
    const auto i = static_cast<std::size_t>(std::floor(pos));
    const double a = pos - static_cast<double>(i);
    const std::size_t j = i + 1 < samples.size() ? i + 1 : 0;  // only reached with a > 0 when looping
    BodyState b;
    for (std::size_t k = 0; k < static_cast<std::size_t>(series_->plate_count); ++k) {
      const PlateLoad& p = samples[i][k];
      const PlateLoad& q = a > 0 ? samples[j][k] : p;
      PlateLoad& out = b.plates[k];
      out.fz_n = (1 - a) * p.fz_n + a * q.fz_n;
      if (out.fz_n != 0) {
        out.cop_x_m = ((1 - a) * p.fz_n * p.cop_x_m + a * q.fz_n * q.cop_x_m) / out.fz_n;
        out.cop_y_m = ((1 - a) * p.fz_n * p.cop_y_m + a * q.fz_n * q.cop_y_m) / out.fz_n;
      }
    }
    return b;
  }

  double time_s() const override { return t_; }

  std::vector<TruthEvent> events() const override {
    const auto count = static_cast<double>(series_->samples.size());
    return {TruthEvent{"recording_end", (count - 1) / series_->rate_hz, count, "samples"}};
  }

 private:
  std::shared_ptr<const ReplaySeries> series_;
  double dt_;
  bool loop_;
  std::uint64_t n_ = 0;
  double t_ = 0;
};

}  // namespace

std::unique_ptr<Scenario> make_replay(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "replay";
  const double dt = sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  const bool loop = get_int(p, name, "loop", 0, 0, 1) == 1;
  p.finish();
  auto fail = [&](const std::string& why) { throw std::invalid_argument("scenario 'replay': " + why); };
  const auto& r = s.replay;
  if (!r) fail("needs a recording to replay (settings.replay is not set)");
  if (r->samples.empty()) fail("the recording to replay has no samples");
  if (!std::isfinite(r->rate_hz) || r->rate_hz <= 0) fail("the recording's rate must be positive");
  if (r->plate_count != s.plate_count) {
    fail("the recording has " + std::to_string(r->plate_count) + " plate(s) but the simulator has " +
         std::to_string(s.plate_count));
  }
  for (const auto& sample : r->samples) {
    for (const PlateLoad& load : sample) {
      if (!std::isfinite(load.fz_n) || !std::isfinite(load.cop_x_m) || !std::isfinite(load.cop_y_m)) {
        fail("the recording holds a value that is not a finite number");
      }
    }
  }
  return std::make_unique<Replay>(r, dt, loop);
}

}  // namespace fp::sim
