// Landing analysis: known answers on constructed force curves (a sin^2 rise to a known peak, an
// exponential decay back to body weight whose entry into the 5 % band is known in closed form,
// piecewise-linear attenuation and control phases, sinusoidal shear forces), the time-to-
// stabilisation methods on series whose answer is known analytically, and invalid trials.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "../../analysis/src/stabilisation.hpp"  // the TTS methods on their own
#include "forceplate/analysis/landing.hpp"

namespace fp::analysis {
namespace {

constexpr double kBw = 700.0;  // N
constexpr double kPi = std::numbers::pi;

double value(const LandingResult& r, const std::string& name) {
  const Measure* m = r.result.find(name);
  if (m == nullptr) throw std::runtime_error("missing measure " + name);
  return m->value;
}

std::vector<double> sample(const std::function<double(double)>& force, double rate, double dur) {
  std::vector<double> f;
  const auto n = static_cast<std::size_t>(std::lround(dur * rate));
  for (std::size_t i = 0; i < n; ++i) f.push_back(force(static_cast<double>(i) / rate));
  return f;
}

// Off the plate until t0, a sin^2 rise to `peak` over `rise` s, then an exponential decay of the
// excess over body weight with time constant tau.
struct Exponential {
  double t0 = 0.5, peak = 3 * kBw, rise = 0.05, tau = 0.3;
  double operator()(double t) const {
    const double s = t - t0;
    if (s <= 0) return 0.0;
    if (s < rise) {
      const double r = std::sin(kPi / 2 * s / rise);
      return peak * r * r;
    }
    return kBw + (peak - kBw) * std::exp(-(s - rise) / tau);
  }
  // Entry into |F - BW| < 5 % BW, from touchdown.
  double tts() const { return rise + tau * std::log((peak - kBw) / (0.05 * kBw)); }
};

TEST(Landing, KnownPeakTimeToPeakLoadingRatesAndImpulseOfASinSquaredRise) {
  for (const double rate : {200.0, 1000.0, 2000.0}) {
    const Exponential x;  // rise 0.05 s: a whole number of samples at these rates
    const std::vector<double> f = sample(x, rate, 6.0);
    LandingOptions o;
    o.body_weight_n = kBw;
    const LandingResult r = analyze_landing(f, rate, o);
    const std::string at = std::to_string(rate) + " Hz";
    EXPECT_NEAR(r.events.touchdown_index / rate, x.t0, 0.1 / rate) << at;
    EXPECT_DOUBLE_EQ(value(r, "peak_landing_force"), x.peak) << at;
    EXPECT_DOUBLE_EQ(value(r, "peak_landing_force_bw"), 3.0) << at;
    EXPECT_NEAR(value(r, "time_to_peak"), x.rise, 0.1 / rate) << at;
    EXPECT_NEAR(value(r, "loading_rate_bw"), 3.0 / x.rise, 0.002 * 3.0 / x.rise) << at;
    // Largest slope of P sin^2(pi s / 2T) is P pi / 2T, at mid-rise (a sample here). Its central
    // difference over +-h is exactly P sin(pi h / T) / 2h there (sin^2 A - sin^2 B =
    // sin(A + B) sin(A - B)).
    const double h = 1 / rate;
    const double max_slope = x.peak * std::sin(kPi * h / x.rise) / (2 * h);
    EXPECT_NEAR(max_slope, x.peak * kPi / (2 * x.rise), 0.02 * max_slope);
    EXPECT_NEAR(value(r, "peak_loading_rate"), max_slope, 1e-9 * max_slope) << at;
    EXPECT_NEAR(value(r, "peak_loading_rate_bw"), max_slope / kBw, 1e-9 * max_slope / kBw);
    // Impulse over [t0, t0 + 0.1 s]: P T / 2 + BW (0.1 - T) + (P - BW) tau (1 - e^{-(0.1-T)/tau}).
    const double imp = x.peak * x.rise / 2 + kBw * (0.1 - x.rise) +
                       (x.peak - kBw) * x.tau * (1 - std::exp(-(0.1 - x.rise) / x.tau));
    EXPECT_NEAR(value(r, "impulse_100ms"), imp, 0.003 * imp) << at;
    EXPECT_NEAR(value(r, "impulse_100ms_bw"), imp / kBw, 0.003 * imp / kBw) << at;
    EXPECT_EQ(r.result.find("impulse_100ms")->unit, Unit::newton_second);
    EXPECT_EQ(r.result.find("impulse_100ms_bw")->unit, Unit::body_weight_second);
    EXPECT_EQ(r.result.find("loading_rate_bw")->unit, Unit::body_weight_per_second);
    EXPECT_EQ(r.result.find("peak_landing_force_bw")->unit, Unit::body_weight);
  }
}

TEST(Landing, TouchdownBetweenSamplesIsFoundWithinATenthOfASample) {
  for (const double rate : {100.0, 500.0, 2000.0}) {
    for (const double frac : {0.1, 0.4, 0.9}) {
      Exponential x;
      x.t0 = 0.5 + frac / rate;
      LandingOptions o;
      o.body_weight_n = kBw;
      const LandingResult r = analyze_landing(sample(x, rate, 6.0), rate, o);
      EXPECT_NEAR(r.events.touchdown_index / rate, x.t0, 0.1 / rate) << rate << " Hz " << frac;
      EXPECT_EQ(r.events.touchdown, static_cast<std::size_t>(std::lround(x.t0 * rate)));
    }
  }
}

TEST(Landing, AbruptLinearContactIsPlacedNoEarlierThanTheTimeToReachTwiceTheThreshold) {
  // F rises linearly at 40 BW/s from t0: it takes 40 N / 28000 N/s = 1.4 ms to reach twice the
  // 20 N threshold, the documented bound on how early a quadratic-start fit can place it.
  const double rate = 1000, t0 = 0.5003;
  const auto f = sample(
      [&](double t) {
        const double s = t - t0;
        if (s <= 0) return 0.0;
        return s < 0.075 ? 40 * kBw * s : kBw + 2 * kBw * std::exp(-(s - 0.075) / 0.3);
      },
      rate, 6.0);
  LandingOptions o;
  o.body_weight_n = kBw;
  const LandingResult r = analyze_landing(f, rate, o);
  EXPECT_LE(r.events.touchdown_index / rate, t0 + 1e-9);
  EXPECT_GE(r.events.touchdown_index / rate, t0 - 40.0 / (40 * kBw));
}

TEST(Landing, TimeToStabilisationOfAnExponentialDecayIsItsEntryIntoTheBand) {
  for (const double rate : {100.0, 1000.0, 2000.0}) {
    for (const double tau : {0.2, 0.4}) {
      Exponential x;
      x.tau = tau;
      LandingOptions o;
      o.body_weight_n = kBw;
      const LandingResult r = analyze_landing(sample(x, rate, 6.0), rate, o);
      // The 10 Hz zero-phase low-pass barely moves a decay this slow.
      EXPECT_NEAR(value(r, "time_to_stabilisation"), x.tts(), 0.005) << rate << " Hz, tau " << tau;
      EXPECT_NEAR(r.events.stabilised_s, x.t0 + x.tts(), 0.005);
      ASSERT_FALSE(r.stabilisation.empty());
      EXPECT_EQ(r.stabilisation[0].method, "bw-band");
      EXPECT_NEAR(r.stabilisation[0].threshold, 0.05 * kBw, 1e-9);
      EXPECT_NEAR(r.stabilisation[0].window_begin_s, 0.5, 1.0 / rate);
      EXPECT_NEAR(r.stabilisation[0].window_end_s, 6.0, 1e-9);
    }
  }
}

TEST(Landing, PhasesOfAPiecewiseLinearLanding) {
  // Rise to 3 BW over 0.05 s, linear fall to 0.8 BW over 0.3 s, linear back to BW over 0.2 s.
  const double rate = 1000, t0 = 0.5, rise = 0.05, fall = 0.3, back = 0.2;
  const auto force = [&](double t) {
    const double s = t - t0;
    if (s <= 0) return 0.0;
    if (s < rise) return 3 * kBw * std::pow(std::sin(kPi / 2 * s / rise), 2);
    if (s < rise + fall) return 3 * kBw - 2.2 * kBw * (s - rise) / fall;
    if (s < rise + fall + back) return 0.8 * kBw + 0.2 * kBw * (s - rise - fall) / back;
    return kBw;
  };
  LandingOptions o;
  o.body_weight_n = kBw;
  const LandingResult r = analyze_landing(sample(force, rate, 5.0), rate, o);
  // Back at BW: 2/2.2 of the fall after the peak; in the band again 0.15 s after the minimum.
  const double attenuation = fall * 2.0 / 2.2;
  const double tts = rise + fall + 0.15;
  EXPECT_NEAR(value(r, "loading_phase_time"), rise, 0.001);
  EXPECT_NEAR(value(r, "attenuation_phase_time"), attenuation, 0.005);
  EXPECT_NEAR(value(r, "time_to_stabilisation"), tts, 0.005);
  EXPECT_NEAR(value(r, "control_phase_time"), tts - rise - attenuation, 0.007);
}

TEST(Landing, BodyWeightFromTheSteadiestSecondAtTheEndWithAWarning) {
  const Exponential x;
  const std::vector<double> f = sample(x, 1000, 6.0);
  const LandingResult r = analyze_landing(f, 1000);
  EXPECT_NEAR(value(r, "body_weight"), kBw, 1e-6 * kBw);  // the decay is gone by then
  EXPECT_EQ(r.events.body_weight_source, "end-window");
  EXPECT_EQ(r.events.body_weight_end - r.events.body_weight_begin, 1000u);
  bool warned = false;
  for (const auto& w : r.result.warnings) warned |= w.find("body weight from the steadiest") == 0;
  EXPECT_TRUE(warned);
  LandingOptions o;
  o.body_weight_n = 710;
  const LandingResult g = analyze_landing(f, 1000, o);
  EXPECT_DOUBLE_EQ(value(g, "body_weight"), 710);
  EXPECT_EQ(g.events.body_weight_source, "given");
  EXPECT_DOUBLE_EQ(value(g, "peak_landing_force_bw"), 3 * kBw / 710);
}

TEST(Landing, StabilityIndicesFromSinusoidalShearAndConstantForces) {
  const double rate = 1000;
  const Exponential x;
  const std::vector<double> fz = sample(x, rate, 6.0);
  // Fx: 30 N at 2 Hz (6 whole periods in the 3 s window: mean square 450 N^2); Fy: 20 N.
  const std::vector<double> fx =
      sample([&](double t) { return 30 * std::sin(2 * kPi * 2 * (t - x.t0)); }, rate, 6.0);
  const std::vector<double> fy = sample([](double) { return 20.0; }, rate, 6.0);
  LandingSignals s;
  s.fz_n = fz;
  s.fx_n = fx;
  s.fy_n = fy;
  LandingOptions o;
  o.body_weight_n = kBw;
  const LandingResult r = analyze_landing(s, rate, o);
  EXPECT_NEAR(value(r, "mlsi"), std::sqrt(450.0) / kBw, 0.002 * std::sqrt(450.0) / kBw);
  EXPECT_NEAR(value(r, "apsi"), 20.0 / kBw, 1e-12);
  // VSI: RMS of BW - Fz over [t0, t0 + 3 s], integrated finely from the formula.
  double sq = 0;
  const int steps = 300000;
  for (int k = 0; k < steps; ++k) {
    const double t = x.t0 + 3.0 * (k + 0.5) / steps;
    sq += (kBw - x(t)) * (kBw - x(t));
  }
  const double vsi = std::sqrt(sq / steps) / kBw;
  EXPECT_NEAR(value(r, "vertical_stability_index"), vsi, 0.01 * vsi);
  const double dpsi = std::sqrt(450.0 / (kBw * kBw) + 400.0 / (kBw * kBw) + vsi * vsi);
  EXPECT_NEAR(value(r, "dpsi"), dpsi, 0.01 * dpsi);
  // Without shear forces there is no DPSI.
  EXPECT_EQ(analyze_landing(fz, rate, o).result.find("dpsi"), nullptr);
}

TEST(Landing, MethodsAreSelectableByNameAndStoredWithTheValue) {
  const Exponential x;
  const std::vector<double> f = sample(x, 1000, 6.0);
  for (const std::string& m : stabilisation_methods()) {
    LandingOptions o;
    o.body_weight_n = kBw;
    o.vertical_method = m;
    const LandingResult r = analyze_landing(f, 1000, o);
    EXPECT_EQ(r.stabilisation.at(0).method, m);
    bool named = false;
    for (const auto& line : r.result.processing) {
      named |= line.find("time_to_stabilisation: method " + m + ", window 0.5 - 6 s") == 0;
    }
    EXPECT_TRUE(named) << m;
  }
  LandingOptions bad;
  bad.vertical_method = "colby";
  EXPECT_THROW((void)analyze_landing(f, 1000, bad), AnalysisError);
  LandingOptions cop_band;
  cop_band.cop_method = "bw-band";
  EXPECT_THROW((void)analyze_landing(f, 1000, cop_band), AnalysisError);
}

// --- The TTS methods on series with analytic answers -------------------------------------------

TEST(Stabilisation, BandMethodOnAnExponentialIsItsEntryIntoTheBand) {
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back(1 + 0.2 * std::exp(-i / 100.0));
  const auto at = detail::band_settling(x, 1.0, 0.05, 0.001);
  ASSERT_TRUE(at);
  EXPECT_NEAR(*at, 100 * std::log(4.0), 0.01);
  // Still outside at the last sample: not stable.
  EXPECT_FALSE(detail::band_settling(std::vector<double>(10, 2.0), 1.0, 0.05, 0.001));
  // Never outside: stable from the start.
  EXPECT_EQ(*detail::band_settling(std::vector<double>(10, 1.0), 1.0, 0.05, 0.001), 0.0);
}

TEST(Stabilisation, BandMethodOnAGrazeAndAShallowCrossingOfTheEdge) {
  const auto bump = [](double top) {
    std::vector<double> x;
    for (int i = 0; i < 1000; ++i) x.push_back(1 - top * std::exp(-std::pow((i - 500) / 50.0, 2)));
    return x;
  };
  // Tops at 4.95 % (within the 0.1 % tolerance below the 5 % edge): stable from the top.
  EXPECT_NEAR(*detail::band_settling(bump(0.0495), 1.0, 0.05, 0.001), 500.0, 1.0);
  // Tops at 5.05 %: crosses back at 500 + 50 sqrt(ln(5.05 / 5)) = 504.99.
  EXPECT_NEAR(*detail::band_settling(bump(0.0505), 1.0, 0.05, 0.001),
              500 + 50 * std::sqrt(std::log(1.01)), 1.0);
  // Tops at 4.85 %: never within the tolerance of the edge.
  EXPECT_EQ(*detail::band_settling(bump(0.0485), 1.0, 0.05, 0.001), 0.0);
}

TEST(Stabilisation, SequentialAverageOfATwoLevelSeries) {
  // 100 samples at a, 900 at b: mean M, SD |a - b| sqrt(k m) / N; the sequential average after j
  // samples differs from M by k |a - b| (1/j - 1/N), within 0.25 SD from j >= k N / (k + 0.25
  // sqrt(k m)) = 571.43, i.e. from index 571.
  std::vector<double> x(100, 3.0);
  x.insert(x.end(), 900, 1.0);
  EXPECT_EQ(*detail::sequential_average_settling(x, 0.25), 571.0);
  EXPECT_EQ(*detail::sequential_average_settling(std::vector<double>(50, 2.0), 0.25), 0.0);
}

TEST(Stabilisation, PolynomialFitOfAnExactCubic) {
  // |x - 1| = (1 - i/N)^3: the fit is exact and reaches 1/8 at i = N / 2.
  const int n = 1001;
  std::vector<double> x;
  for (int i = 0; i < n; ++i) x.push_back(1 + std::pow(1 - i / double(n - 1), 3));
  EXPECT_NEAR(*detail::polynomial_settling(x, 1.0, 0.125), (n - 1) / 2.0, 0.01);
  EXPECT_FALSE(detail::polynomial_settling(x, 1.0, -1.0));
}

// --- Invalid trials -----------------------------------------------------------------------------

void expect_invalid(const std::vector<double>& f, double rate, const std::string& reason,
                    std::optional<double> bw = kBw) {
  LandingOptions o;
  o.body_weight_n = bw;
  try {
    (void)analyze_landing(f, rate, o);
    ADD_FAILURE() << "scored instead of reported invalid: " << reason;
  } catch (const AnalysisError& e) {
    EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
  }
}

TEST(Landing, InvalidTrialsAreReportedWithTheReason) {
  const double rate = 1000;
  const Exponential x;
  const std::vector<double> good = sample(x, rate, 6.0);
  expect_invalid(std::vector<double>(6000, 0.5), rate, "no landing: the plate is never loaded");
  expect_invalid(std::vector<double>(6000, kBw), rate, "no landing");
  {
    std::vector<double> f = good;  // steps off 3 s after touchdown
    for (std::size_t i = 3500; i < f.size(); ++i) f[i] = 0;
    expect_invalid(f, rate, "step-off during the landing hold");
  }
  {
    std::vector<double> f = good;  // off the plate for 80 ms just after the peak
    for (std::size_t i = 600; i < 680; ++i) f[i] = 0;
    expect_invalid(f, rate, "double contact");
  }
  {
    const std::vector<double> f(good.begin(), good.begin() + 1800);  // 1.3 s after touchdown
    expect_invalid(f, rate, "too short a hold after the landing to see it stabilise");
    // Without a given body weight, the steadiest second after the peak is still in the decay.
    expect_invalid(f, rate, "no steady window of 1 s after the landing", std::nullopt);
    const std::vector<double> g(good.begin(), good.begin() + 1400);  // 0.85 s after the peak
    expect_invalid(g, rate, "too short a hold after the landing to weigh", std::nullopt);
  }
  {
    // Steps on (a 0.6 s ramp to BW): no impact.
    const auto f = sample(
        [](double t) { return t < 0.5 ? 0.0 : t < 1.1 ? kBw * (t - 0.5) / 0.6 : kBw; }, rate, 5);
    expect_invalid(f, rate, "no landing impact");
  }
  expect_invalid(good, 50, "outside 100 Hz - 2 kHz");
  {
    std::vector<double> f = good;
    f[2000] = std::numeric_limits<double>::quiet_NaN();
    expect_invalid(f, rate, "fz[2000] is missing");
  }
  {
    LandingSignals s;
    s.fz_n = good;
    const std::vector<double> short_fx(10, 0.0);
    s.fx_n = short_fx;
    s.fy_n = short_fx;
    EXPECT_THROW((void)analyze_landing(s, rate), AnalysisError);
  }
}

}  // namespace
}  // namespace fp::analysis
