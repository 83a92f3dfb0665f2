// Welch spectrum and Prieto's frequency measures on white noise and sines.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/spectrum.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double rate = 100.0;
constexpr double nyquist = rate / 2;

std::vector<double> sine(double f, double amplitude, std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = amplitude * std::sin(2 * pi * f * static_cast<double>(i) / rate);
  }
  return v;
}

// 10 min of Gaussian white noise, sd 3 mm: 119 half-overlapping 10 s segments.
class WelchWhiteNoise : public ::testing::Test {
 protected:
  static constexpr double sd = 0.003;
  void SetUp() override {
    noise_ = testing::white_noise(sd, sd, 60000, rate, 20240611).x;
    spectrum_ = welch_power_spectrum(noise_, rate);
    measures_ = spectral_measures(spectrum_);
  }
  std::vector<double> noise_;
  PowerSpectrum spectrum_;
  SpectralMeasures measures_;
};

TEST_F(WelchWhiteNoise, Layout_TenSecondSegmentsHalfOverlapping) {
  EXPECT_EQ(spectrum_.segment_length, 1000U);
  EXPECT_EQ(spectrum_.segment_count, 119U);
  EXPECT_DOUBLE_EQ(spectrum_.resolution_hz, 0.1);
  ASSERT_EQ(spectrum_.frequency_hz.size(), 501U);
  EXPECT_DOUBLE_EQ(spectrum_.frequency_hz.back(), nyquist);
}

// The Hann-weighted mean of x^2 over ~0.5 n effective samples has relative SE sqrt(2 / 0.5n),
// 0.8 %; the tolerance is four of those.
TEST_F(WelchWhiteNoise, TotalPower_EqualsTheVariance) {
  EXPECT_NEAR(measures_.total_power, sd * sd, 0.033 * sd * sd);
}

// Flat spectrum on [0, Nyquist]: half the power below Nyquist / 2, 95 % below 0.95 Nyquist;
// m1/m0 = Nyquist / 2, sqrt(m2/m0) = Nyquist / sqrt 3, dispersion sqrt(1 - 3/4) = 1/2.
TEST_F(WelchWhiteNoise, FlatSpectrum_FrequencyMeasuresMatchAUniformDistribution) {
  EXPECT_NEAR(measures_.power_frequency_50_hz, nyquist / 2, 0.02 * nyquist / 2);
  EXPECT_NEAR(measures_.power_frequency_95_hz, 0.95 * nyquist, 0.01 * nyquist);
  EXPECT_NEAR(measures_.mean_power_frequency_hz, nyquist / 2, 0.02 * nyquist / 2);
  EXPECT_NEAR(measures_.centroidal_frequency_hz, nyquist / std::sqrt(3.0), 0.02 * nyquist);
  EXPECT_NEAR(measures_.frequency_dispersion, 0.5, 0.02);
  EXPECT_NEAR(measures_.percent_above_2_hz, 100 * (nyquist - 2) / nyquist, 1.0);
}

// A 1 Hz sine sits on bin 10; the periodic Hann window puts a quarter of its power in each
// neighbouring bin and nothing elsewhere, so every measure has a closed form.
class WelchSine : public ::testing::Test {
 protected:
  static constexpr double f0 = 1.0;
  static constexpr double amplitude = 0.005;
  static constexpr double df = 0.1;
  void SetUp() override {
    spectrum_ = welch_power_spectrum(sine(f0, amplitude, 6000), rate);
    measures_ = spectral_measures(spectrum_);
  }
  PowerSpectrum spectrum_;
  SpectralMeasures measures_;
};

TEST_F(WelchSine, TotalPower_IsHalfTheSquaredAmplitude) {
  EXPECT_NEAR(measures_.total_power, amplitude * amplitude / 2, 1e-9 * amplitude * amplitude);
}

TEST_F(WelchSine, PeakMeanAnd50PercentFrequency_AreTheSineFrequency) {
  EXPECT_DOUBLE_EQ(measures_.peak_frequency_hz, f0);
  EXPECT_NEAR(measures_.mean_power_frequency_hz, f0, 1e-9);
  EXPECT_NEAR(measures_.power_frequency_50_hz, f0, 1e-9);
}

// Power 1/6, 4/6, 1/6 in bins f0 - df, f0, f0 + df.
TEST_F(WelchSine, CentroidDispersionAnd95PercentFrequency_FollowTheThreeBinSpread) {
  const double second_moment = f0 * f0 + df * df / 3;
  EXPECT_NEAR(measures_.centroidal_frequency_hz, std::sqrt(second_moment), 1e-9);
  EXPECT_NEAR(measures_.frequency_dispersion, std::sqrt(1 - f0 * f0 / second_moment), 1e-6);
  // 95 % is reached 0.7 of the way through the bin [f0 + df/2, f0 + 3df/2].
  EXPECT_NEAR(measures_.power_frequency_95_hz, f0 + df / 2 + 0.7 * df, 1e-9);
}

TEST(WelchBands, SinesAtPointTwoOneAndFiveHertz_FallEntirelyInTheirBands) {
  const auto low = spectral_measures(welch_power_spectrum(sine(0.2, 0.004, 6000), rate));
  EXPECT_NEAR(low.percent_below_0p5_hz, 100, 1e-9);
  const auto mid = spectral_measures(welch_power_spectrum(sine(1.0, 0.004, 6000), rate));
  EXPECT_NEAR(mid.percent_0p5_to_2_hz, 100, 1e-9);
  const auto high = spectral_measures(welch_power_spectrum(sine(5.0, 0.004, 6000), rate));
  EXPECT_NEAR(high.percent_above_2_hz, 100, 1e-9);
  EXPECT_NEAR(high.percent_below_0p5_hz + high.percent_0p5_to_2_hz, 0, 1e-9);
}

TEST(WelchShortSeries, SeriesShorterThanASegment_IsOneSegmentOfItsOwnLength) {
  const auto s = welch_power_spectrum(sine(2.0, 0.004, 500), rate);
  EXPECT_EQ(s.segment_length, 500U);
  EXPECT_EQ(s.segment_count, 1U);
  EXPECT_DOUBLE_EQ(s.resolution_hz, 0.2);
  EXPECT_DOUBLE_EQ(spectral_measures(s).peak_frequency_hz, 2.0);
}

TEST(WelchErrors, NoPower_TooShortOrBadSegment_Throw) {
  const std::vector<double> still(1000, 0.01);
  EXPECT_THROW(spectral_measures(welch_power_spectrum(still, rate)), AnalysisError);
  EXPECT_THROW(welch_power_spectrum(std::vector<double>{1.0, 2.0, 3.0}, rate), AnalysisError);
  EXPECT_THROW(welch_power_spectrum(still, rate, WelchOptions{0.0}), AnalysisError);
}

// FFTW's planner is not thread-safe; the plan cache serialises it. Four threads on lengths not
// planned before must give exactly the single-threaded spectra.
TEST(WelchThreads, ConcurrentCallsOnNewLengths_GiveTheSameSpectra) {
  const std::vector<double> segments{7.77, 8.88, 9.99, 11.11};
  const auto noise = testing::white_noise(0.003, 0.003, 6000, rate, 77).x;
  std::vector<PowerSpectrum> parallel(segments.size());
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < segments.size(); ++k) {
    threads.emplace_back([&, k] {
      for (int repeat = 0; repeat < 20; ++repeat) {
        parallel[k] = welch_power_spectrum(noise, rate, WelchOptions{segments[k]});
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const PowerSpectrum serial = welch_power_spectrum(noise, rate, WelchOptions{segments[k]});
    EXPECT_EQ(parallel[k].density, serial.density) << segments[k];
  }
}

}  // namespace
}  // namespace fp::analysis
