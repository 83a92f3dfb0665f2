// Butterworth design and zero-phase filtering against closed-form answers.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "forceplate/analysis/filter.hpp"
#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double rate = 1000.0;
constexpr double cutoff = 10.0;

// |H|^2 of the digital Butterworth of order n designed with a pre-warped bilinear transform:
// 1 / (1 + (tan(pi f / fs) / tan(pi fc / fs))^(2n)).
double butterworth_power(double f, double fc, double fs, int n) {
  return 1 / (1 + std::pow(std::tan(pi * f / fs) / std::tan(pi * fc / fs), 2 * n));
}

std::vector<double> sine(double f, double amplitude, double seconds, double phase = 0) {
  std::vector<double> v(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < v.size(); ++i) {
    v[i] = amplitude * std::sin(2 * pi * f * static_cast<double>(i) / rate + phase);
  }
  return v;
}

struct Phasor {
  double sine = 0;    // amplitude of the sin(2 pi f t) component
  double cosine = 0;  // amplitude of the cos(2 pi f t) component
  double amplitude() const { return std::hypot(sine, cosine); }
};

// Projection onto sin and cos over [first, first + count), a whole number of periods.
Phasor project(const std::vector<double>& v, double f, std::size_t first, std::size_t count) {
  Phasor p;
  for (std::size_t i = first; i < first + count; ++i) {
    const double a = 2 * pi * f * static_cast<double>(i) / rate;
    p.sine += v[i] * std::sin(a);
    p.cosine += v[i] * std::cos(a);
  }
  p.sine *= 2.0 / static_cast<double>(count);
  p.cosine *= 2.0 / static_cast<double>(count);
  return p;
}

// 10 s of signal; the middle 6 s (away from the edges) is measured.
constexpr double seconds = 10;
constexpr std::size_t middle_first = 2000;
constexpr std::size_t middle_count = 6000;

TEST(Butterworth, SinglePass_EveryOrder_IsMinus3dBAtCutoffAndUnityAtDc) {
  for (int order = 1; order <= 8; ++order) {
    const auto s = butterworth_lowpass(order, cutoff, rate);
    EXPECT_EQ(s.size(), static_cast<std::size_t>((order + 1) / 2)) << order;
    EXPECT_NEAR(magnitude_response(s, cutoff, rate), 1 / std::numbers::sqrt2, 1e-12) << order;
    EXPECT_NEAR(magnitude_response(s, 0.0, rate), 1.0, 1e-12) << order;
  }
}

TEST(Butterworth, MagnitudeResponse_MatchesPrewarpedClosedFormAtManyFrequencies) {
  for (int order : {1, 2, 3, 4}) {
    const auto s = butterworth_lowpass(order, cutoff, rate);
    for (double f : {0.5, 1.0, 5.0, 10.0, 20.0, 40.0, 100.0, 300.0, 499.0}) {
      const double expected = std::sqrt(butterworth_power(f, cutoff, rate, order));
      EXPECT_NEAR(magnitude_response(s, f, rate), expected, 1e-12 * std::max(1.0, 1 / expected))
          << "order " << order << " at " << f << " Hz";
    }
  }
}

TEST(Butterworth, ImpulseResponse_SumsToTheDcGainOfOne) {
  std::vector<double> impulse(5000, 0.0);
  impulse[0] = 1;
  const auto h = filter_forward(butterworth_lowpass(2, cutoff, rate), impulse);
  double sum = 0;
  for (double v : h) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(ZeroPhaseLowpass, SineAtCutoff_IsHalvedMinus6dB) {
  const auto out = zero_phase_lowpass(sine(cutoff, 1.0, seconds), rate);
  EXPECT_NEAR(project(out, cutoff, middle_first, middle_count).amplitude(), 0.5, 1e-4);
}

TEST(ZeroPhaseLowpass, OneHertzSine_PassesWithin0Point1Percent) {
  const auto out = zero_phase_lowpass(sine(1.0, 0.005, seconds), rate);
  const double gain = project(out, 1.0, middle_first, middle_count).amplitude() / 0.005;
  EXPECT_NEAR(gain, 1.0, 1e-3);
  EXPECT_NEAR(gain, butterworth_power(1.0, cutoff, rate, 2), 1e-6);
}

TEST(ZeroPhaseLowpass, FortyHertzSine_IsAttenuatedBySquaredSinglePassGain) {
  const double expected = butterworth_power(40.0, cutoff, rate, 2);  // about 0.0038, -48 dB
  const auto out = zero_phase_lowpass(sine(40.0, 1.0, seconds), rate);
  EXPECT_NEAR(project(out, 40.0, middle_first, middle_count).amplitude(), expected,
              1e-3 * expected);
}

TEST(ZeroPhaseLowpass, EffectiveOrderEight_IsTheOrderFourDesignSquared) {
  const LowpassFilter eighth{cutoff, 8};
  const auto out = zero_phase_lowpass(sine(20.0, 1.0, seconds), rate, eighth);
  const double expected = butterworth_power(20.0, cutoff, rate, 4);
  EXPECT_NEAR(project(out, 20.0, middle_first, middle_count).amplitude(), expected,
              1e-3 * expected);
}

// A causal filter would delay a 3 Hz sine by tens of milliseconds; forward-backward does not.
TEST(ZeroPhaseLowpass, Sine_KeepsItsPhase) {
  const auto out = zero_phase_lowpass(sine(3.0, 1.0, seconds), rate);
  const Phasor p = project(out, 3.0, middle_first, middle_count);
  EXPECT_NEAR(std::atan2(p.cosine, p.sine), 0.0, 1e-6);
}

// Up to the rounding of the coefficients (their DC gain is 1 within about 1e-13).
TEST(ZeroPhaseLowpass, Constant_PassesUnchangedToTheEdges) {
  const std::vector<double> c(3000, -0.0123);
  for (double v : zero_phase_lowpass(c, rate)) EXPECT_NEAR(v, -0.0123, 1e-12 * 0.0123);
}

// Odd reflection continues a line through the ends, so a ramp comes out as the same ramp, edges
// included, up to the start-up of the steady-state initial conditions (far below a micrometre for
// 10 mm/s here).
TEST(ZeroPhaseLowpass, Ramp_IsUnchangedAtTheEdges) {
  std::vector<double> ramp(3000);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = 0.01 * static_cast<double>(i) / rate;
  const auto out = zero_phase_lowpass(ramp, rate);
  double worst = 0;
  for (std::size_t i = 0; i < ramp.size(); ++i) worst = std::max(worst, std::abs(out[i] - ramp[i]));
  EXPECT_LT(worst, 1e-9);
}

TEST(ZeroPhaseLowpass, Padding_IsThreeCutoffPeriodsButLessThanTheSignal) {
  EXPECT_EQ(lowpass_padding(60000, 1000.0, LowpassFilter{}), 300U);
  EXPECT_EQ(lowpass_padding(6000, 100.0, LowpassFilter{}), 30U);
  EXPECT_EQ(lowpass_padding(20, 1000.0, LowpassFilter{}), 19U);
  const std::vector<double> shortest{1.0, 2.0};
  EXPECT_EQ(zero_phase_lowpass(shortest, rate).size(), 2U);
}

template <typename Call>
std::string error_of(Call call) {
  try {
    call();
  } catch (const AnalysisError& e) {
    return e.what();
  }
  return {};
}

TEST(ZeroPhaseLowpassErrors, CutoffAtNyquist_ThrowsNamingNyquist) {
  const auto v = sine(1.0, 1.0, 1.0);
  const std::string msg = error_of([&] { zero_phase_lowpass(v, 20.0, LowpassFilter{10.0, 4}); });
  EXPECT_NE(msg.find("Nyquist"), std::string::npos) << msg;
}

TEST(ZeroPhaseLowpassErrors, OddEffectiveOrder_ThrowsNamingTheOrder) {
  const auto v = sine(1.0, 1.0, 1.0);
  const std::string msg = error_of([&] { zero_phase_lowpass(v, rate, LowpassFilter{10.0, 3}); });
  EXPECT_NE(msg.find("even"), std::string::npos) << msg;
}

TEST(ZeroPhaseLowpassErrors, MissingSample_ThrowsNamingTheIndex) {
  auto v = sine(1.0, 1.0, 1.0);
  v[321] = std::numeric_limits<double>::quiet_NaN();
  const std::string msg = error_of([&] { zero_phase_lowpass(v, rate); });
  EXPECT_NE(msg.find("[321]"), std::string::npos) << msg;
}

}  // namespace
}  // namespace fp::analysis
