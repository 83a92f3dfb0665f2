// Jump events and CMJ / SJ measures: known answers on constructed force curves and the public jump
// recordings in ../shared/datasets/jumps (see the datasets README for their sources).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "datasets.hpp"
#include "forceplate/analysis/jump.hpp"

namespace fp::analysis {
namespace {

using testing::dataset_path;

// Numeric columns separated by spaces or tabs; a first line that is not numeric is a header.
std::vector<std::vector<double>> read_columns(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::vector<double>> cols;
  bool first = true;
  for (std::string line; std::getline(in, line);) {
    std::istringstream s(line);
    std::vector<double> row;
    double v = 0;
    while (s >> v) row.push_back(v);
    const bool numeric = s.eof() && !row.empty();
    if (!numeric) {
      if (first && line.find_first_not_of(" \t\r") != std::string::npos) {
        first = false;
        continue;  // header
      }
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      throw std::runtime_error("bad row in " + path + ": " + line);
    }
    first = false;
    if (cols.empty()) cols.resize(row.size());
    if (row.size() != cols.size()) throw std::runtime_error("ragged row in " + path + ": " + line);
    for (std::size_t c = 0; c < row.size(); ++c) cols[c].push_back(row[c]);
  }
  return cols;
}

double value(const JumpResult& r, const std::string& name) {
  const Measure* m = r.result.find(name);
  if (m == nullptr) throw std::runtime_error("missing measure " + name);
  return m->value;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// ---------------------------------------------------------------- known answers

struct Synthetic {
  std::vector<double> fz;
  double rate = 1000;
  double bw = 700;
  double v_takeoff = 0;
  std::size_t push_begin = 0, takeoff = 0, landing = 0;
};

// Empty plate 0.5 s, stepping on over 0.3 s (with an overshoot), 2 s standing at exactly BW, a
// rectangular push of `push_n` above BW for `push_s`, a flight of the matching duration (rounded to
// a sample), a landing peak, then standing and stepping off.
Synthetic rectangular_jump(double rate, double push_n, double push_s) {
  Synthetic s;
  s.rate = rate;
  const double m = s.bw / standard_gravity;
  auto add = [&](double seconds, auto force) {
    const auto k = static_cast<std::size_t>(std::lround(seconds * rate));
    for (std::size_t i = 0; i < k; ++i) s.fz.push_back(force(static_cast<double>(i) / rate));
  };
  add(0.5, [](double) { return 0.0; });
  add(0.3, [&](double t) { return s.bw * (t / 0.3) * 1.4 + 30 * std::sin(60 * t); });
  add(2.0, [&](double) { return s.bw; });
  s.push_begin = s.fz.size();
  const auto push_samples = static_cast<std::size_t>(std::lround(push_s * rate));
  add(push_s, [&](double) { return s.bw + push_n; });
  s.v_takeoff = push_n * static_cast<double>(push_samples) / rate / m;
  s.takeoff = s.fz.size();
  add(2 * s.v_takeoff / standard_gravity, [](double) { return 0.0; });
  s.landing = s.fz.size();
  add(0.3, [&](double t) { return s.bw * (1 + 3 * std::exp(-t / 0.05)); });
  add(1.5, [&](double) { return s.bw; });
  add(0.3, [&](double t) { return s.bw * (1 - t / 0.3); });
  add(0.5, [](double) { return 0.0; });
  return s;
}

TEST(JumpKnownAnswers, RectangularPush_GivesExactTakeoffVelocityAndHeight) {
  for (const double rate : {100.0, 450.0, 1000.0, 2000.0}) {
    SCOPED_TRACE(rate);
    const Synthetic s = rectangular_jump(rate, 700.0, 0.3);  // impulse 210 N s, m = 71.4 kg
    const JumpResult r = analyze_jump(s.fz, rate);
    EXPECT_NEAR(value(r, "body_weight"), s.bw, 1e-9);
    EXPECT_EQ(r.events.onset, s.push_begin);
    EXPECT_EQ(r.events.takeoff, s.takeoff);
    EXPECT_EQ(r.events.landing, s.landing);
    EXPECT_NEAR(value(r, "takeoff_velocity"), s.v_takeoff, 1e-9);
    const double h = s.v_takeoff * s.v_takeoff / (2 * standard_gravity);
    EXPECT_NEAR(value(r, "jump_height_impulse"), h, 1e-9);
    const double t_flight = 2 * s.v_takeoff / standard_gravity;
    EXPECT_NEAR(value(r, "flight_time"), t_flight, 1.0 / rate);
    EXPECT_NEAR(value(r, "contraction_time"), 0.3, 0.5 / rate);
    EXPECT_NEAR(value(r, "peak_landing_force"), 4 * s.bw, 1e-9);
    EXPECT_NEAR(value(r, "peak_landing_force_bw"), 4.0, 1e-12);
    // Power F v peaks at the last push sample: (BW + P) times the velocity reached halfway in it.
    const double m = s.bw / standard_gravity;
    const double v_mid = s.v_takeoff - 0.5 * 700.0 / m / rate;
    EXPECT_NEAR(value(r, "peak_power"), 1400.0 * v_mid, 1e-6);
    EXPECT_NEAR(value(r, "peak_power_per_kg"), 1400.0 * v_mid / m, 1e-6);
    // No countermovement: all of the push is propulsion.
    EXPECT_EQ(value(r, "unweighting_time"), 0.0);
    EXPECT_EQ(value(r, "braking_time"), 0.0);
    EXPECT_NEAR(value(r, "propulsive_impulse"), 210.0, 1e-9);
    EXPECT_NEAR(value(r, "rsi_modified"),
                value(r, "jump_height_flight") / value(r, "contraction_time"), 1e-12);
  }
}

TEST(JumpKnownAnswers, CountermovementPhases_UnweightingAndBrakingImpulsesCancel) {
  // Unweighting 0.2 s at BW - 300 N, braking 0.2 s at BW + 300 N (v back to 0), push 0.2 s at
  // BW + 800 N, then flight.
  const double rate = 1000, bw = 800, m = bw / standard_gravity;
  std::vector<double> f(2000, bw);
  f.insert(f.end(), 200, bw - 300);
  f.insert(f.end(), 200, bw + 300);
  f.insert(f.end(), 200, bw + 800);
  const double v = 800 * 0.2 / m;
  f.insert(f.end(), static_cast<std::size_t>(std::lround(2 * v / standard_gravity * rate)), 0.0);
  f.insert(f.end(), 1500, bw);
  const JumpResult r = analyze_jump(f, rate);
  EXPECT_NEAR(value(r, "unweighting_time"), 0.2, 1e-12);
  EXPECT_NEAR(value(r, "braking_time"), 0.2, 1e-12);
  EXPECT_NEAR(value(r, "propulsion_time"), 0.2, 1e-12);
  EXPECT_NEAR(value(r, "unweighting_impulse"), -60.0, 1e-9);
  EXPECT_NEAR(value(r, "braking_impulse"), 60.0, 1e-9);
  EXPECT_NEAR(value(r, "propulsive_impulse"), 160.0, 1e-9);
  EXPECT_NEAR(value(r, "takeoff_velocity"), v, 1e-9);
  EXPECT_NEAR(value(r, "contraction_time"), 0.6, 1e-12);
}

TEST(JumpErrors, NoFlightPhase_ThrowsNamingIt) {
  // Stand, squat and rise without leaving the plate: the force never drops near zero.
  std::vector<double> f(3000, 700.0);
  for (std::size_t i = 0; i < 600; ++i) f[2000 + i] = 700 + 400 * std::sin(i * 2 * 3.14159 / 600);
  try {
    analyze_jump(f, 1000);
    FAIL() << "expected AnalysisError";
  } catch (const AnalysisError& e) {
    EXPECT_NE(std::string(e.what()).find("no flight phase"), std::string::npos) << e.what();
  }
}

TEST(JumpErrors, SteppingOffIsNotAFlight) {
  // Stand, then step off for good: unloaded to the end is not a flight.
  std::vector<double> f(3000, 700.0);
  std::fill(f.begin() + 2500, f.end(), 0.0);
  EXPECT_THROW(analyze_jump(f, 1000), AnalysisError);
}

TEST(JumpErrors, RateOutsideRange_Throws) {
  const Synthetic s = rectangular_jump(1000, 700, 0.3);
  EXPECT_THROW(analyze_jump(s.fz, 50), AnalysisError);
  EXPECT_THROW(analyze_jump(s.fz, 5000), AnalysisError);
}

TEST(JumpEvents, SteppingOnBeforeWeighing_DoesNotConfuseBodyWeight) {
  // Stepping on with a large, slow overshoot (1.6 BW over 1 s, settling over 1 s) and a noisy stance:
  // the weighing window must be the stance, not the stepping.
  const double rate = 500, bw = 650;
  std::vector<double> f(250, 0.0);
  for (int i = 0; i < 1000; ++i) f.push_back(bw * 1.6 * std::sin(i / 1000.0 * 3.14159 / 2));
  for (int i = 0; i < 500; ++i) f.push_back(bw * (1.6 - 0.6 * i / 500.0));
  std::size_t quiet_begin = f.size();
  unsigned seed = 1;
  for (int i = 0; i < 1000; ++i) {
    seed = seed * 1103515245u + 12345u;
    f.push_back(bw + 4.0 * (static_cast<double>((seed >> 16) & 0x7fff) / 32767.0 - 0.5));
  }
  std::size_t quiet_end = f.size();
  for (int i = 0; i < 150; ++i) f.push_back(bw + 900);  // push
  for (int i = 0; i < 200; ++i) f.push_back(2.0);      // flight
  for (int i = 0; i < 600; ++i) f.push_back(bw);
  for (int i = 0; i < 300; ++i) f.push_back(0.0);  // stepped off
  const JumpEvents ev = detect_jump_events(f, rate);
  // The window may take in the last few samples of the settling ramp that already lie inside the
  // stance noise band (BW +- 5 SD = +- 5.8 N here; the ramp falls 0.78 N per sample): 0.02 s at most.
  EXPECT_GE(ev.quiet_begin + 10, quiet_begin);
  for (std::size_t i = ev.quiet_begin; i < ev.quiet_end; ++i) EXPECT_NEAR(f[i], bw, 5.8) << i;
  EXPECT_LE(ev.quiet_end, quiet_end);
  EXPECT_NEAR(ev.body_weight_n, bw, 0.5);
  EXPECT_EQ(ev.takeoff, quiet_end + 150);
  EXPECT_EQ(ev.landing, quiet_end + 350);
}

// ---------------------------------------------------------------- public recordings

struct JumpFile {
  const char* name;
  double rate;
  // Hand-picked weighing window (s), chosen by looking at the file: the person stands still there
  // before the countermovement (force within a few % of its level, no trend).
  double quiet_from_s, quiet_to_s;
  JumpKind kind = JumpKind::countermovement;
};

std::vector<double> vertical_force(const std::string& name) {
  const auto cols = read_columns(dataset_path("jumps/" + name));
  if (name.rfind("bmc-cmj-450hz", 0) == 0) return cols.at(1);  // Time[s] GRF[N]
  if (cols.size() == 2) {  // FP1 FP2: one foot on each plate
    std::vector<double> sum(cols[0].size());
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = cols[0][i] + cols[1][i];
    return sum;
  }
  return cols.at(0);
}

class JumpRecordings : public ::testing::TestWithParam<JumpFile> {};

TEST_P(JumpRecordings, BodyWeightFoundAndHeightsAgree) {
  const JumpFile& jf = GetParam();
  const std::vector<double> f = vertical_force(jf.name);
  double rate = jf.rate;
  if (std::string(jf.name).rfind("bmc-cmj-450hz", 0) == 0) {  // the rate from the time column
    const auto t = read_columns(dataset_path(std::string("jumps/") + jf.name)).at(0);
    rate = static_cast<double>(t.size() - 1) / (t.back() - t.front());
    EXPECT_NEAR(rate, jf.rate, 1e-6);
  }
  JumpOptions options;
  options.kind = jf.kind;
  const JumpResult r = analyze_jump(f, rate, options);
  const auto b = static_cast<std::size_t>(std::lround(jf.quiet_from_s * rate));
  const auto e = static_cast<std::size_t>(std::lround(jf.quiet_to_s * rate));
  const double hand = median(std::vector<double>(f.begin() + static_cast<std::ptrdiff_t>(b),
                                                 f.begin() + static_cast<std::ptrdiff_t>(e)));
  const double bw = value(r, "body_weight");
  const double hf = value(r, "jump_height_flight");
  const double hi = value(r, "jump_height_impulse");
  std::printf("%-26s BW %7.1f N (hand %7.1f, %+.2f %%) window %.2f-%.2f s  h_flight %.3f m  "
              "h_impulse %.3f m  diff %+.1f mm  onset %.3f takeoff %.3f landing %.3f s\n",
              jf.name, bw, hand, 100 * (bw - hand) / hand, r.events.quiet_begin / rate,
              r.events.quiet_end / rate, hf, hi, 1000 * (hi - hf), r.events.onset / rate,
              r.events.takeoff / rate, r.events.landing / rate);
  EXPECT_NEAR(bw, hand, 0.01 * hand);
  EXPECT_NEAR(hi, hf, 0.03);
  EXPECT_GT(hf, 0.1);  // a real jump (these are 20-50 cm jumps)
  EXPECT_LT(hf, 0.8);
  EXPECT_GT(value(r, "peak_landing_force_bw"), 1.5);
  if (jf.kind == JumpKind::squat) {  // no countermovement in these squat jumps
    EXPECT_EQ(value(r, "unweighting_time"), 0.0);
    EXPECT_TRUE(r.result.warnings.empty());
  } else {  // a countermovement: the centre of mass first moves down, then is braked
    EXPECT_GT(value(r, "unweighting_time"), 0.1);
    EXPECT_GT(value(r, "braking_time"), 0.05);
    EXPECT_LT(value(r, "unweighting_impulse"), 0.0);
  }
  // Only the 600 Hz file stands still for less than 1 s before the countermovement.
  EXPECT_EQ(r.result.warnings.empty(), std::string(jf.name) != "bmc-cmj-600hz-fz.txt");
}

TEST(JumpRecordingsErrors, DropJump_HasNoWeighingPhaseBeforeTakeoff) {
  // A drop jump starts on a box, off the plate: nothing to weigh before the first contact.
  for (const char* name : {"vj-single-dj-1000hz.txt", "vj-dual-dj-1000hz.txt"}) {
    try {
      analyze_jump(vertical_force(name), 1000);
      ADD_FAILURE() << name << ": expected AnalysisError";
    } catch (const AnalysisError& e) {
      EXPECT_NE(std::string(e.what()).find("no quiet weighing phase"), std::string::npos)
          << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    PublicCmjAndSj, JumpRecordings,
    ::testing::Values(JumpFile{"bmc-cmj-450hz-1.tsv", 450, 2.0, 4.0},
                      JumpFile{"bmc-cmj-450hz-2.tsv", 450, 2.5, 3.7},
                      JumpFile{"bmc-cmj-600hz-fz.txt", 600, 0.0, 0.15},
                      JumpFile{"vj-single-cmj-1000hz.txt", 1000, 0.2, 1.5},
                      JumpFile{"vj-dual-cmj-1000hz.txt", 1000, 0.2, 1.5},
                      JumpFile{"vj-single-sj-1000hz.txt", 1000, 0.2, 1.5, JumpKind::squat},
                      JumpFile{"vj-dual-sj-1000hz.txt", 1000, 0.2, 1.5, JumpKind::squat}),
    [](const ::testing::TestParamInfo<JumpFile>& i) {
      std::string s = i.param.name;
      s = s.substr(0, s.find('.'));
      std::replace(s.begin(), s.end(), '-', '_');
      return s;
    });

}  // namespace
}  // namespace fp::analysis

namespace fp::analysis {
namespace {

// ---------------------------------------------------------------- trials that are not one jump

std::string error_of(const std::vector<double>& f, double rate) {
  try {
    analyze_jump(f, rate);
  } catch (const AnalysisError& e) {
    return e.what();
  }
  return "";
}

TEST(JumpInvalid, DoubleContactOnLanding_IsReportedNotScored) {
  Synthetic s = rectangular_jump(1000, 700.0, 0.3);
  // A hop on landing: 30 ms unloaded 100 ms after touchdown.
  std::fill(s.fz.begin() + static_cast<std::ptrdiff_t>(s.landing + 100),
            s.fz.begin() + static_cast<std::ptrdiff_t>(s.landing + 130), 0.0);
  const std::string e = error_of(s.fz, 1000);
  EXPECT_NE(e.find("double contact"), std::string::npos) << e;
  EXPECT_NE(e.find("30 ms"), std::string::npos) << e;
}

TEST(JumpInvalid, DoubleContactDuringThePush_IsReported) {
  Synthetic s = rectangular_jump(1000, 700.0, 0.3);
  std::fill(s.fz.begin() + static_cast<std::ptrdiff_t>(s.takeoff - 150),
            s.fz.begin() + static_cast<std::ptrdiff_t>(s.takeoff - 140), 0.0);
  EXPECT_NE(error_of(s.fz, 1000).find("double contact"), std::string::npos);
}

TEST(JumpInvalid, TwoJumpsInOneTrial_AreReported) {
  Synthetic s = rectangular_jump(1000, 700.0, 0.3);
  // A second flight of 0.3 s, 0.8 s after the landing.
  std::fill(s.fz.begin() + static_cast<std::ptrdiff_t>(s.landing + 800),
            s.fz.begin() + static_cast<std::ptrdiff_t>(s.landing + 1100), 0.0);
  const std::string e = error_of(s.fz, 1000);
  EXPECT_NE(e.find("more than one flight"), std::string::npos) << e;
}

TEST(JumpInvalid, SteppingOffStraightAfterLanding_IsReported) {
  Synthetic s = rectangular_jump(1000, 700.0, 0.3);
  std::fill(s.fz.begin() + static_cast<std::ptrdiff_t>(s.landing + 300), s.fz.end(), 0.0);
  const std::string e = error_of(s.fz, 1000);
  EXPECT_NE(e.find("stepped off the plate 0.3 s after landing"), std::string::npos) << e;
}

TEST(JumpInvalid, SteppingOffAfterHoldingTheLanding_IsFine) {
  const Synthetic s = rectangular_jump(1000, 700.0, 0.3);  // stands 1.8 s, then steps off
  EXPECT_EQ(error_of(s.fz, 1000), "");
}

}  // namespace
}  // namespace fp::analysis
