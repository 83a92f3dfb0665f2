// Contact / flight segmentation, drop jump and repeated hops: known answers on constructed force
// curves, invalid trials, and the public drop-jump recordings in ../shared/datasets/jumps (see the
// datasets README for their source), checked against physics the analysis does not compute.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "datasets.hpp"
#include "forceplate/analysis/contacts.hpp"
#include "forceplate/analysis/drop_jump.hpp"
#include "forceplate/analysis/hops.hpp"
#include "forceplate/analysis/jump.hpp"

namespace fp::analysis {
namespace {

using testing::dataset_path;

constexpr double kG = standard_gravity;
constexpr double kPi = std::numbers::pi;
constexpr double kRates[] = {100, 250, 500, 1000, 2000};

double measure(const AnalysisResult& r, const std::string& name) {
  const Measure* m = r.find(name);
  if (m == nullptr) {
    ADD_FAILURE() << "missing measure " << name;
    return std::nan("");
  }
  return m->value;
}

template <class Fn>
void expect_invalid(Fn fn, const std::string& what) {
  try {
    fn();
    ADD_FAILURE() << "no AnalysisError; expected one about '" << what << "'";
  } catch (const AnalysisError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

// A force built piece by piece in continuous time and then sampled at n / rate.
struct Piece {
  double begin = 0, end = 0;  // s
  enum Kind { zero, constant, half_sine } kind = zero;
  double level = 0;  // N: constant value or half-sine amplitude
};

std::vector<double> sample(const std::vector<Piece>& pieces, double rate, double seconds) {
  std::vector<double> f(static_cast<std::size_t>(std::lround(seconds * rate)), 0.0);
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    for (const Piece& p : pieces) {
      if (t < p.begin || t >= p.end) continue;
      if (p.kind == Piece::constant) f[i] = p.level;
      if (p.kind == Piece::half_sine)
        f[i] = p.level * std::sin(kPi * (t - p.begin) / (p.end - p.begin));
    }
  }
  return f;
}

// Drop jump with half-sine contacts: off the plate until 1 s, rebound contact of 0.22 s (peak
// 3000 N), flight 0.5 s, a landing half-sine of 0.3 s (peak 2200 N) and then 700 N of stance.
// The half-sine landing ends exactly when the constant stance takes over.
constexpr double kTd = 1.0, kTc = 0.22, kTf = 0.5, kBw = 700;
std::vector<double> drop_jump_force(double rate, double stance_s = 3.0) {
  const double land = kTd + kTc + kTf;
  return sample({{kTd, kTd + kTc, Piece::half_sine, 3000},
                 {land, land + 0.15, Piece::half_sine, 2200},
                 {land + 0.15, land + 0.15 + stance_s, Piece::constant, kBw}},
                rate, land + 0.15 + stance_s + 0.5);
}

// ------------------------------------------------------------------------------------------------
// Segmentation

TEST(Contacts, OffContactFlightContactOffAreFoundWithEdgesWithinOneSampleAtEveryRate) {
  for (const double rate : kRates) {
    const std::vector<double> f =
        sample({{0.5, 0.8, Piece::half_sine, 1500}, {1.2, 2.0, Piece::half_sine, 1200}}, rate, 3.0);
    const Segmentation s = segment_contacts(f, rate);
    ASSERT_EQ(s.phases.size(), 5U) << rate;
    const PhaseKind kinds[] = {PhaseKind::off_plate, PhaseKind::contact, PhaseKind::flight,
                               PhaseKind::contact, PhaseKind::off_plate};
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(s.phases[i].kind, kinds[i]) << rate << " " << i;
    const double dt = 1 / rate;
    EXPECT_NEAR(s.phases[1].begin_s, 0.5, dt) << rate;
    EXPECT_NEAR(s.phases[1].end_s, 0.8, dt) << rate;
    EXPECT_NEAR(s.phases[2].duration_s(), 0.4, dt) << rate;
    EXPECT_NEAR(s.phases[3].duration_s(), 0.8, dt) << rate;
    EXPECT_DOUBLE_EQ(s.threshold_n, 20.0);  // noise-free: the minimum threshold
    EXPECT_TRUE(s.double_contacts.empty());
  }
}

TEST(Contacts, ThresholdRisesWithThePlateNoise) {
  // Empty-plate noise of a known SD (a +-5 N square wave: mean 0, SD 5): 5 SD = 25 N > 20 N.
  std::vector<double> f = sample({{1.0, 2.0, Piece::constant, 800}}, 1000, 3.0);
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == 0) f[i] = i % 2 == 0 ? 5.0 : -5.0;
  }
  const Segmentation s = segment_contacts(f, 1000);
  EXPECT_NEAR(s.noise_mean_n, 0.0, 0.01);
  EXPECT_NEAR(s.noise_sd_n, 5.0, 0.01);
  EXPECT_NEAR(s.threshold_n, 25.0, 0.05);
}

TEST(Contacts, AnUnloadedGapIsChatterFlightDoubleContactOrOffPlateByItsLength) {
  const double rate = 1000;
  struct Case {
    double gap_s;
    std::size_t phases;
    std::size_t chatter, doubles;
  };
  // chatter < 5 ms <= double contact < 0.1 s <= flight <= 1 s < off the plate
  for (const Case c : {Case{0.002, 3, 1, 0}, Case{0.03, 3, 0, 1}, Case{0.099, 3, 0, 1},
                       Case{0.2, 5, 0, 0}, Case{1.5, 5, 0, 0}}) {
    std::vector<double> f = sample({{0.5, 3.5, Piece::constant, 700}}, rate, 4.0);
    const auto b = static_cast<std::size_t>(1.5 * rate);
    const auto e = b + static_cast<std::size_t>(std::lround(c.gap_s * rate));
    for (std::size_t i = b; i < e; ++i) f[i] = 0;
    const Segmentation s = segment_contacts(f, rate);
    EXPECT_EQ(s.phases.size(), c.phases) << c.gap_s;
    EXPECT_EQ(s.chatter_gaps, c.chatter) << c.gap_s;
    EXPECT_EQ(s.double_contacts.size(), c.doubles) << c.gap_s;
    if (c.phases == 5) {
      EXPECT_EQ(s.phases[2].kind, c.gap_s <= 1.0 ? PhaseKind::flight : PhaseKind::off_plate);
    }
  }
}

TEST(Contacts, ALoadedSpikeOnTheEmptyPlateIsIgnored) {
  std::vector<double> f = sample({{1.0, 2.0, Piece::constant, 700}}, 1000, 3.0);
  f[300] = 150;  // one sample
  const Segmentation s = segment_contacts(f, 1000);
  EXPECT_EQ(s.spikes, 1U);
  ASSERT_EQ(s.phases.size(), 3U);
  EXPECT_NEAR(s.phases[1].begin_s, 1.0, 1e-3 + 1e-9);  // a step: anywhere in the sample before
}

TEST(Contacts, SteadiestWindowIsTheConstantPart) {
  std::vector<double> f(3000);
  for (std::size_t i = 0; i < f.size(); ++i) {
    f[i] = i >= 1500 && i < 2600 ? 650.0 : 650.0 + 40 * std::sin(0.05 * static_cast<double>(i));
  }
  const SteadyWindow w = steadiest_window(f, 0, f.size(), 1000);
  ASSERT_TRUE(w.found);
  EXPECT_GE(w.begin, 1500U);
  EXPECT_LE(w.end, 2600U);
  EXPECT_DOUBLE_EQ(w.mean_n, 650.0);
  EXPECT_DOUBLE_EQ(w.sd_n, 0.0);
  EXPECT_FALSE(steadiest_window(f, 0, 999, 1000).found);
}

// ------------------------------------------------------------------------------------------------
// Drop jump, constructed

TEST(DropJump, HalfSineContactsGiveTheKnownTimesHeightRsiAndPeaksAtEveryRate) {
  for (const double rate : kRates) {
    const std::vector<double> f = drop_jump_force(rate);
    const DropJumpResult r = analyze_drop_jump(f, rate);
    const double dt = 1 / rate;
    EXPECT_NEAR(measure(r.result, "contact_time"), kTc, dt) << rate;
    EXPECT_NEAR(measure(r.result, "flight_time"), kTf, dt) << rate;
    const double h = kG * kTf * kTf / 8;  // 0.3065 m
    EXPECT_NEAR(measure(r.result, "jump_height_flight"), h, kG * kTf * dt / 4) << rate;
    EXPECT_NEAR(measure(r.result, "rsi"), h / kTc, h / kTc * (2 * dt / kTf + dt / kTc)) << rate;
    EXPECT_NEAR(measure(r.result, "flight_contact_ratio"), kTf / kTc,
                kTf / kTc * (dt / kTf + dt / kTc) + dt / kTc)
        << rate;
    // Body weight: the constant stance, found without being told.
    EXPECT_TRUE(r.body_weight_measured);
    EXPECT_DOUBLE_EQ(measure(r.result, "body_weight"), kBw) << rate;
    // Peaks: the largest sample of each half sine, within its sampling of the crest.
    const double crest = 1 - std::cos(kPi * dt / kTc);  // worst relative miss of the crest
    EXPECT_NEAR(measure(r.result, "peak_contact_force"), 3000, 3000 * crest + 1e-9) << rate;
    EXPECT_NEAR(measure(r.result, "peak_contact_force_bw"), 3000 / kBw, 3000 * crest / kBw + 1e-9);
    EXPECT_LE(measure(r.result, "peak_landing_force"), 2200.0) << rate;
    EXPECT_NEAR(measure(r.result, "peak_landing_force_bw"), 2200 / kBw,
                2200 * (1 - std::cos(kPi * dt / 0.3)) / kBw + 1e-9);
    EXPECT_EQ(r.result.test, "drop-jump");
    bool warned = false;
    for (const auto& w : r.result.warnings) warned |= w.find("automatically") != std::string::npos;
    EXPECT_TRUE(warned) << "a warning says body weight was found automatically";
  }
}

TEST(DropJump, ImpactChatterAtTouchdownIsBridged) {
  // The public drop jump has a 1 ms touch and 2 ms of zero before the contact proper.
  std::vector<double> f = drop_jump_force(1000);
  f[999] = 110;  // touch at 0.999 s, gap 1.000 - 1.002 s
  f[1000] = f[1001] = 0;
  const DropJumpResult r = analyze_drop_jump(f, 1000);
  // The first touch is sample 999 after a 0 at 998: the touchdown lies in that sample interval.
  EXPECT_GE(r.touchdown_s, 0.998 - 1e-9);
  EXPECT_LE(r.touchdown_s, 0.999 + 1e-9);
  EXPECT_NEAR(measure(r.result, "contact_time"), kTc + 0.0015, 0.0015 + 1e-9);
  EXPECT_EQ(r.segments.chatter_gaps, 1U);
}

TEST(DropJump, AGivenBodyWeightIsUsed) {
  const std::vector<double> f = drop_jump_force(1000);
  DropJumpOptions o;
  o.body_weight_n = 750;
  const DropJumpResult r = analyze_drop_jump(f, 1000, o);
  EXPECT_FALSE(r.body_weight_measured);
  EXPECT_DOUBLE_EQ(measure(r.result, "body_weight"), 750.0);
  EXPECT_NEAR(measure(r.result, "peak_landing_force_bw"),
              measure(r.result, "peak_landing_force") / 750, 1e-12);
  o.body_weight_n = -1;
  expect_invalid([&] { analyze_drop_jump(f, 1000, o); }, "not a positive force");
}

TEST(DropJump, InvalidTrialsNameTheProblem) {
  const double rate = 1000;
  {  // double contact: 30 ms unloaded in the middle of the rebound contact
    std::vector<double> f = drop_jump_force(rate);
    for (std::size_t i = 1095; i < 1125; ++i) f[i] = 0;
    expect_invalid([&] { analyze_drop_jump(f, rate); }, "double contact");
  }
  {  // step-off 0.5 s after landing
    std::vector<double> f = drop_jump_force(rate);
    for (auto i = static_cast<std::size_t>((kTd + kTc + kTf + 0.5) * rate); i < f.size(); ++i) {
      f[i] = 0;
    }
    expect_invalid([&] { analyze_drop_jump(f, rate); }, "step-off during the final landing");
  }
  {  // the recording stops 0.5 s after landing
    std::vector<double> f = drop_jump_force(rate);
    f.resize(static_cast<std::size_t>((kTd + kTc + kTf + 0.5) * rate));
    expect_invalid([&] { analyze_drop_jump(f, rate); }, "the trial ends");
  }
  {  // a drop landing: the person lands from the box and stays
    const std::vector<double> f =
        sample({{1.0, 1.15, Piece::half_sine, 2500}, {1.15, 4.0, Piece::constant, kBw}}, rate, 4.0);
    expect_invalid([&] { analyze_drop_jump(f, rate); }, "no rebound flight");
  }
  {  // the person stands on the plate and jumps: a countermovement jump, not a drop jump
    const std::vector<double> f =
        sample({{0.0, 2.0, Piece::constant, kBw}, {2.5, 4.0, Piece::constant, kBw}}, rate, 4.0);
    expect_invalid([&] { analyze_drop_jump(f, rate); }, "not a drop jump");
    // ... also after stepping on: the contact before the flight is too long for a rebound.
    const std::vector<double> g =
        sample({{0.5, 2.0, Piece::constant, kBw}, {2.5, 4.0, Piece::constant, kBw}}, rate, 4.0);
    expect_invalid([&] { analyze_drop_jump(g, rate); }, "not a drop jump");
  }
  {  // nothing but standing
    const std::vector<double> f(4000, kBw);
    expect_invalid([&] { analyze_drop_jump(f, rate); }, "no flight phase");
  }
  {  // without a body weight and without 1 s of stance after landing: cannot weigh
    std::vector<double> f = drop_jump_force(rate, 0.9);
    DropJumpOptions o;
    o.min_landing_hold_s = 0.5;
    expect_invalid([&] { analyze_drop_jump(f, rate, o); }, "cannot weigh");
    o.body_weight_n = kBw;
    EXPECT_NO_THROW(analyze_drop_jump(f, rate, o));
  }
  std::vector<double> f = drop_jump_force(rate);
  expect_invalid([&] { analyze_drop_jump(f, 50); }, "outside 100 Hz - 2 kHz");
  f[1500] = std::numeric_limits<double>::quiet_NaN();
  expect_invalid([&] { analyze_drop_jump(f, rate); }, "fz[1500]");
}

// ------------------------------------------------------------------------------------------------
// Hops, constructed

// Stance 700 N from 0 to 2 s (stepped on at 0.3 s), then flights of the given lengths joined by
// half-sine contacts, then a landing half-sine of 0.15 s and stance.
struct HopPlan {
  std::vector<double> flights = {0.30, 0.34, 0.32};
  std::vector<double> contacts = {0.20, 0.24};
};

std::vector<double> hops_force(double rate, const HopPlan& p) {
  std::vector<Piece> pieces = {{0.3, 2.0, Piece::constant, kBw}};
  double t = 2.0;
  for (std::size_t i = 0; i < p.flights.size(); ++i) {
    t += p.flights[i];
    if (i < p.contacts.size()) {
      pieces.push_back({t, t + p.contacts[i], Piece::half_sine, 2000});
      t += p.contacts[i];
    }
  }
  pieces.push_back({t, t + 0.15, Piece::half_sine, 2000});
  pieces.push_back({t + 0.15, t + 3.0, Piece::constant, kBw});
  return sample(pieces, rate, t + 3.0);
}

TEST(Hops, PerHopTimesAndTheirMeanSdCvAreTheKnownValuesAtEveryRate) {
  const HopPlan p;
  for (const double rate : kRates) {
    const std::vector<double> f = hops_force(rate, p);
    const HopsResult r = analyze_hops(f, rate);
    const double dt = 1 / rate;
    ASSERT_EQ(measure(r.result, "hop_count"), 3) << rate;
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string n = std::to_string(i + 1);
      EXPECT_NEAR(measure(r.result, "flight_time_" + n), p.flights[i], dt) << rate << " " << n;
      EXPECT_NEAR(measure(r.result, "hop_height_" + n), kG * p.flights[i] * p.flights[i] / 8,
                  kG * p.flights[i] * dt / 4)
          << rate;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      const std::string n = std::to_string(i + 1);
      const double tc = p.contacts[i];
      const double h = kG * p.flights[i + 1] * p.flights[i + 1] / 8;  // the hop that follows
      EXPECT_NEAR(measure(r.result, "contact_time_" + n), tc, dt) << rate;
      EXPECT_NEAR(measure(r.result, "rsi_" + n), h / tc,
                  h / tc * (2 * dt / p.flights[i + 1] + dt / tc))
          << rate;
    }
    EXPECT_EQ(r.result.find("contact_time_3"), nullptr);
    // By hand: flights 0.30, 0.34, 0.32 -> mean 0.32, SD 0.02, CV 6.25 %; contacts 0.20, 0.24
    // -> mean 0.22, SD 0.02 sqrt(2) = 0.028284, CV 12.856 %.
    EXPECT_NEAR(measure(r.result, "flight_time_mean"), 0.32, dt);
    EXPECT_NEAR(measure(r.result, "flight_time_sd"), 0.02, dt * std::sqrt(1.5));
    EXPECT_NEAR(measure(r.result, "flight_time_cv"), 6.25, 100 * 2.3 * dt / 0.3);
    EXPECT_NEAR(measure(r.result, "contact_time_mean"), 0.22, dt);
    EXPECT_NEAR(measure(r.result, "contact_time_sd"), 0.0282843, dt * std::sqrt(2.0));
    EXPECT_NEAR(measure(r.result, "contact_time_cv"), 12.856, 100 * 2.3 * dt / 0.2);
    const double rsi_mean = (kG * 0.34 * 0.34 / 8 / 0.20 + kG * 0.32 * 0.32 / 8 / 0.24) / 2;
    EXPECT_NEAR(measure(r.result, "rsi_mean"), rsi_mean, rsi_mean * (2 * dt / 0.32 + dt / 0.2));
    EXPECT_DOUBLE_EQ(measure(r.result, "body_weight"), kBw) << rate;
    EXPECT_LE(measure(r.result, "peak_landing_force"), 2000.0);
    EXPECT_GT(measure(r.result, "peak_landing_force"), 2000 * std::cos(kPi * dt / 0.3));
  }
}

TEST(Hops, ALongContactEndsTheSeriesAndLaterFlightsAreIgnoredWithAWarning) {
  HopPlan p;
  p.flights = {0.3, 0.3};
  p.contacts = {1.5};  // landed and stood, then hopped again
  const std::vector<double> f = hops_force(1000, p);
  const HopsResult r = analyze_hops(f, 1000);
  EXPECT_EQ(measure(r.result, "hop_count"), 1);
  bool warned = false;
  for (const auto& w : r.result.warnings) warned |= w.find("ignored") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(Hops, InvalidTrialsNameTheProblem) {
  const HopPlan p;
  {
    std::vector<double> f = hops_force(1000, p);
    // 20 ms unloaded inside contact 1 (2.30 .. 2.50 s)
    for (std::size_t i = 2390; i < 2410; ++i) f[i] = 0;
    expect_invalid([&] { analyze_hops(f, 1000); }, "double contact");
  }
  {
    std::vector<double> f = hops_force(1000, p);
    const std::size_t land = 2000 + 300 + 200 + 340 + 240 + 320;
    for (std::size_t i = land + 400; i < f.size(); ++i) f[i] = 0;
    expect_invalid([&] { analyze_hops(f, 1000); }, "step-off");
  }
  {
    const std::vector<double> f = sample({{0.3, 5.0, Piece::constant, kBw}}, 1000, 5.0);
    expect_invalid([&] { analyze_hops(f, 1000); }, "no flight phase");
  }
  {  // no quiet stance before hop 1 and no body weight given
    std::vector<double> f = hops_force(1000, p);
    for (std::size_t i = 0; i < 2000; ++i)
      f[i] = 700 + 150 * std::sin(0.02 * static_cast<double>(i));
    const HopsResult r = analyze_hops(f, 1000);  // weighed, but with a warning
    bool warned = false;
    for (const auto& w : r.result.warnings) warned |= w.find("not quiet") != std::string::npos;
    EXPECT_TRUE(warned);
  }
}

// ------------------------------------------------------------------------------------------------
// Public drop jumps (1 kHz; one plate, and the same kind of trial on two plates summed)

std::vector<double> read_summed_columns(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<double> f;
  for (std::string line; std::getline(in, line);) {
    std::istringstream s(line);
    double v = 0, sum = 0;
    int n = 0;
    while (s >> v) {
      sum += v;
      ++n;
    }
    if (n > 0) f.push_back(sum);  // a header line (FP1 FP2) reads no number
  }
  return f;
}

struct RealCase {
  const char* file;
};

class RealDropJump : public ::testing::TestWithParam<RealCase> {};

TEST_P(RealDropJump, TimesAreHumanAndTheImpulseGivesAPlausibleBoxHeight) {
  const double rate = 1000, dt = 1e-3;
  const std::vector<double> f = read_summed_columns(dataset_path(GetParam().file));
  ASSERT_GT(f.size(), 4000U);
  const DropJumpResult r = analyze_drop_jump(f, rate);
  const double tc = measure(r.result, "contact_time");
  const double tf = measure(r.result, "flight_time");
  const double bw = measure(r.result, "body_weight");

  // Independent of the analysis: the plate is read with a plain 20 N threshold.
  std::size_t on = 0;
  while (on < f.size() && f[on] < 20) ++on;
  std::size_t off = on;
  while (off < f.size() && (f[off] >= 20 || (off + 5 < f.size() && f[off + 5] >= 20))) ++off;
  std::size_t land = off;
  while (land < f.size() && f[land] < 20) ++land;
  ASSERT_LT(land, f.size());
  // The refined edges lie below the threshold: a few ms outside the threshold crossings.
  EXPECT_NEAR(tc, static_cast<double>(off - on) * dt, 0.008);
  EXPECT_NEAR(tf, static_cast<double>(land - off) * dt, 0.008);
  // A drop jump contact is short (Flanagan & Comyns 2008: 0.15 - 0.25 s when cued to be brief).
  EXPECT_GT(tc, 0.15);
  EXPECT_LT(tc, 0.35);
  EXPECT_GT(tf, 0.3);  // jump height g t^2 / 8 > 0.11 m
  EXPECT_LT(tf, 0.7);

  // Body weight found automatically, close to the mean of the last second of standing.
  EXPECT_TRUE(r.body_weight_measured);
  double last = 0;
  for (std::size_t i = f.size() - 1000; i < f.size(); ++i) last += f[i];
  last /= 1000;
  EXPECT_NEAR(bw, last, 0.01 * last);

  // Impulse-momentum over the contact: m (v_takeoff - v_touchdown) = integral (F - BW) dt,
  // v_takeoff = g t_flight / 2 (landing at take-off height). The touchdown velocity is then the
  // fall from the box: sqrt(2 g h) with h a box of 0.2 - 0.6 m.
  const double mass = last / kG;
  double impulse = 0;
  for (std::size_t i = on; i < off; ++i) impulse += (f[i] - last) * dt;
  const double v_takeoff = kG * static_cast<double>(land - off) * dt / 2;
  const double v_touchdown = v_takeoff - impulse / mass;  // negative: moving down
  EXPECT_LT(v_touchdown, 0);
  const double box = v_touchdown * v_touchdown / (2 * kG);
  EXPECT_GT(box, 0.2);
  EXPECT_LT(box, 0.6);

  // Peaks are samples of the trace.
  double peak_contact = 0, peak_landing = 0;
  for (std::size_t i = on; i < off; ++i) peak_contact = std::max(peak_contact, f[i]);
  for (std::size_t i = land; i < land + 1000; ++i) peak_landing = std::max(peak_landing, f[i]);
  EXPECT_DOUBLE_EQ(measure(r.result, "peak_contact_force"), peak_contact);
  EXPECT_DOUBLE_EQ(measure(r.result, "peak_landing_force"), peak_landing);
  EXPECT_NEAR(measure(r.result, "rsi"), kG * tf * tf / 8 / tc, 1e-12);
  std::cout << GetParam().file << ": contact " << tc << " s, flight " << tf << " s, height "
            << measure(r.result, "jump_height_flight") << " m, rsi " << measure(r.result, "rsi")
            << " m/s, body weight " << bw << " N, peak contact " << peak_contact
            << " N, peak landing " << peak_landing << " N, box by impulse " << box << " m\n";
}

INSTANTIATE_TEST_SUITE_P(Files, RealDropJump,
                         ::testing::Values(RealCase{"jumps/vj-single-dj-1000hz.txt"},
                                           RealCase{"jumps/vj-dual-dj-1000hz.txt"}));

}  // namespace
}  // namespace fp::analysis
