// Before/after comparison on a synthetic patient whose expected answers are worked out by hand
// below (docs/comparison.md has the formulas): SEM = pooled within-session SD of the trials,
// MDC95 = 1.96 · √2 · SEM; change = to − from; LSI = involved / uninvolved × 100 %.
#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "forceplate/workflow/comparison.hpp"

using namespace fp::workflow;
using fp::analysis::Side;

namespace {

// The patient's tests, defined here so that the expected answers do not depend on the library.
DefinitionSet patient_definitions() {
  const char* texts[] = {
      R"({"id": "sls", "name": "Single-leg stance", "instructions": "Stand on one leg.",
          "stance": "both-sides-alternating", "eyes": "open", "surface": "firm", "plates": 1,
          "end": {"condition": "duration", "duration_s": 30}, "trials": 3, "rest_s": 30,
          "analysis": "single-leg-stance", "measures": ["cop_mean_velocity", "time_in_balance"],
          "combine": "mean",
          "pain_rating": {"when": "end-of-trial", "question": "Pain?", "positive_at": 2}})",
      R"({"id": "slcmj", "name": "Single-leg CMJ", "instructions": "Jump.",
          "stance": "both-sides-alternating", "eyes": "open", "surface": "firm", "plates": 1,
          "end": {"condition": "landing-settled", "hold_s": 2, "timeout_s": 15}, "trials": 3,
          "rest_s": 60, "analysis": "countermovement-jump", "measures": ["jump_height_impulse"],
          "combine": "best",
          "pass": [{"kind": "lsi", "measure": "jump_height_impulse", "op": ">=", "value": 85}]})",
      R"({"id": "qs", "name": "Quiet stance", "instructions": "Stand still.",
          "stance": "double", "eyes": "closed", "surface": "firm", "plates": 1,
          "end": {"condition": "duration", "duration_s": 30}, "trials": 3, "rest_s": 30,
          "analysis": "quiet-stance", "measures": ["cop_path_length"], "combine": "median"})",
      R"({"id": "wb", "name": "Weight bearing", "instructions": "Stand on both plates.",
          "stance": "double", "eyes": "open", "surface": "firm", "plates": 2,
          "end": {"condition": "duration", "duration_s": 30}, "trials": 3, "rest_s": 30,
          "analysis": "weight-bearing", "measures": ["load_left_mean"], "combine": "mean"})",
  };
  DefinitionSet set;
  for (const char* t : texts) set.definitions.push_back(parse_definition(nlohmann::json::parse(t), "test.json"));
  return set;
}

MdcTable published_table() {
  MdcTable t;
  t.add({"jump_height_impulse", "slcmj", "", 0.03, "m", "Example A, et al. A made-up citation. J Test 2020;1:1-2.",
         "for this test only"});
  return t;
}

std::vector<std::map<std::string, double>> trials(const std::string& measure, std::vector<double> values) {
  std::vector<std::map<std::string, double>> out;
  for (double v : values) out.push_back({{measure, v}});
  return out;
}

// Two measures per trial.
std::vector<std::map<std::string, double>> trials2(const std::string& m1, std::vector<double> v1,
                                                   const std::string& m2, std::vector<double> v2) {
  std::vector<std::map<std::string, double>> out;
  for (std::size_t i = 0; i < v1.size(); ++i) out.push_back({{m1, v1[i]}, {m2, v2[i]}});
  return out;
}

// Involved side: left. Three sessions, four weeks apart.
//
//  sls left cop_mean_velocity (mm/s, lower better, mean of 3):
//    S1 30 32 34 → 32 (SS 8);  S2 27 28 29 → 28 (SS 2);  S3 23 24 25 → 24 (SS 2)
//    SEM = √(12 / 6) = √2;  MDC95 = 1.96 · √2 · √2 = 3.92
//    S1→S3: −8 (−25 %), |−8| > 3.92, lower is better → improved; each step −4 → improved.
//  sls left time_in_balance (s, higher better):
//    S1 26 28 27 → 27 (SS 2);  S2 27 29 28 → 28 (SS 2);  S3 28 30 29 → 29 (SS 2)
//    SEM = √(6 / 6) = 1;  MDC95 = 1.96 · √2 = 2.7719
//    S1→S3: +2 ≤ 2.77 → within noise; steps +1 → within noise.
//  sls right cop_mean_velocity: 23 24 25 every session → 24, change 0 → within noise.
//  sls right time_in_balance: 28 29 30 every session → 29.
//  slcmj jump_height_impulse (m, higher better, best of 3), published MDC95 0.03 m:
//    left  S1 0.10 0.12 0.11 → 0.12;  S2 0.14 0.16 0.15 → 0.16;  S3 0.17 0.18 0.16 → 0.18
//    S1→S3: +0.06 (+50 %) > 0.03 → improved; S1→S2 +0.04 → improved; S2→S3 +0.02 → within noise.
//    Own variability instead: SS 0.0002 per session around the means 0.11, 0.15, 0.17;
//    SEM = √(0.0006 / 6) = 0.01; MDC95 = 0.0277186.
//    right S1 0.20 0.22 0.21, S2 0.20 0.22 0.21, S3 0.21 0.20 0.22 → 0.22 each.
//    LSI = 0.12/0.22 = 54.545 %, 0.16/0.22 = 72.727 %, 0.18/0.22 = 81.818 %: below the test's own
//    threshold of 85 % but rising: "toward threshold"; slope over 3 equally spaced sessions =
//    (81.818 − 54.545) / 2 = 13.636 % per session.
//  qs cop_path_length (mm, lower better, median of 3):
//    S1 300 310 320 → 310;  S2 305 315 325 → 315;  S3 350 360 370 → 360 (SS 200 each)
//    SEM = √(600 / 6) = 10;  MDC95 = 27.7186
//    S1→S3: +50 (+16.13 %) > 27.72, lower is better → WORSE; S1→S2 +5 within noise; S2→S3 +45 worse.
//  wb load_left_mean (%, closer to 50):
//    S1 40 42 44 → 42 (SS 8);  S2 44 45 46 → 45 (SS 2);  S3 48 49 50 → 49 (SS 2)
//    SEM = √2, MDC95 = 3.92.  S1→S3: +7 > 3.92 and |49 − 50| < |42 − 50| → improved;
//    S1→S2 +3 within noise; S2→S3 +4 > 3.92, 1 < 5 from 50 → improved.
//  pain after sls left: 5, 3, 1 (positive at ≥ 2: yes, yes, no) → −4 ≥ 2 points → improved.
std::vector<SessionRecord> patient() {
  SessionRecord s1{"s1", "2026-01-10", {}, 6};
  s1.tests.push_back({"sls", Side::left,
                      trials2("cop_mean_velocity", {30, 32, 34}, "time_in_balance", {26, 28, 27}), 1, 5});
  s1.tests.push_back({"sls", Side::right,
                      trials2("cop_mean_velocity", {23, 24, 25}, "time_in_balance", {28, 29, 30}), 0, 0});
  s1.tests.push_back({"slcmj", Side::left, trials("jump_height_impulse", {0.10, 0.12, 0.11})});
  s1.tests.push_back({"slcmj", Side::right, trials("jump_height_impulse", {0.20, 0.22, 0.21})});
  s1.tests.push_back({"qs", std::nullopt, trials("cop_path_length", {300, 310, 320})});
  s1.tests.push_back({"wb", std::nullopt, trials("load_left_mean", {40, 42, 44})});

  SessionRecord s2{"s2", "2026-02-07", {}, 4};
  s2.tests.push_back({"sls", Side::left,
                      trials2("cop_mean_velocity", {27, 28, 29}, "time_in_balance", {27, 29, 28}), 1, 3});
  s2.tests.push_back({"sls", Side::right,
                      trials2("cop_mean_velocity", {23, 24, 25}, "time_in_balance", {28, 29, 30}), 0, 0});
  s2.tests.push_back({"slcmj", Side::left, trials("jump_height_impulse", {0.14, 0.16, 0.15})});
  s2.tests.push_back({"slcmj", Side::right, trials("jump_height_impulse", {0.20, 0.22, 0.21})});
  s2.tests.push_back({"qs", std::nullopt, trials("cop_path_length", {305, 315, 325})});
  s2.tests.push_back({"wb", std::nullopt, trials("load_left_mean", {44, 45, 46})});

  SessionRecord s3{"s3", "2026-03-07", {}, 2};
  s3.tests.push_back({"sls", Side::left,
                      trials2("cop_mean_velocity", {23, 24, 25}, "time_in_balance", {28, 30, 29}), 0, 1});
  s3.tests.push_back({"sls", Side::right,
                      trials2("cop_mean_velocity", {23, 24, 25}, "time_in_balance", {28, 29, 30}), 0, 0});
  s3.tests.push_back({"slcmj", Side::left, trials("jump_height_impulse", {0.17, 0.18, 0.16})});
  s3.tests.push_back({"slcmj", Side::right, trials("jump_height_impulse", {0.21, 0.20, 0.22})});
  s3.tests.push_back({"qs", std::nullopt, trials("cop_path_length", {350, 360, 370})});
  s3.tests.push_back({"wb", std::nullopt, trials("load_left_mean", {48, 49, 50})});
  return {s1, s2, s3};
}

const MeasureComparison& find(const ComparisonReport& r, const std::string& test,
                              std::optional<Side> side, const std::string& measure) {
  for (const MeasureComparison& m : r.measures)
    if (m.test == test && m.side == side && m.measure == measure) return m;
  throw std::runtime_error("no row for " + test + " " + measure);
}

const LsiTrend& find_lsi(const ComparisonReport& r, const std::string& test, const std::string& measure) {
  for (const LsiTrend& t : r.symmetry)
    if (t.test == test && t.measure == measure) return t;
  throw std::runtime_error("no LSI for " + test + " " + measure);
}

CompareOptions involved_left() {
  CompareOptions o;
  o.involved_side = Side::left;
  return o;
}

constexpr double tol = 1e-9;

}  // namespace

TEST(CompareSessions, ThreeSessions_ImprovedWithinNoiseAndWorse_ClassifiedWithTheRightDirection) {
  const ComparisonReport r =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), involved_left());
  EXPECT_EQ(r.from_session, "s1");
  EXPECT_EQ(r.to_session, "s3");
  EXPECT_EQ(r.measures.size(), 8u);  // sls 2 × 2 sides, slcmj × 2 sides, qs, wb

  // Improved beyond MDC, lower is better.
  const MeasureComparison& vel = find(r, "sls", Side::left, "cop_mean_velocity");
  EXPECT_EQ(vel.better, Better::lower);
  EXPECT_EQ(vel.unit, "mm/s");
  ASSERT_EQ(vel.series.size(), 3u);
  EXPECT_NEAR(vel.series[0].value, 32, tol);
  EXPECT_NEAR(vel.series[1].value, 28, tol);
  EXPECT_NEAR(vel.series[2].value, 24, tol);
  EXPECT_EQ(vel.mdc.source, MdcSource::own_variability);
  EXPECT_NEAR(vel.mdc.sem, std::sqrt(2.0), tol);
  EXPECT_EQ(vel.mdc.df, 6u);
  EXPECT_NEAR(vel.mdc.mdc95, 3.92, tol);
  EXPECT_NEAR(vel.overall.change, -8, tol);
  EXPECT_NEAR(vel.overall.percent_change, -25, tol);
  EXPECT_EQ(vel.overall.classification, ChangeClass::improved);
  ASSERT_EQ(vel.steps.size(), 2u);
  EXPECT_EQ(vel.steps[0].classification, ChangeClass::improved);
  EXPECT_EQ(vel.steps[1].classification, ChangeClass::improved);

  // Within noise, higher is better.
  const MeasureComparison& tib = find(r, "sls", Side::left, "time_in_balance");
  EXPECT_EQ(tib.better, Better::higher);
  EXPECT_NEAR(tib.mdc.mdc95, 1.96 * std::sqrt(2.0), tol);
  EXPECT_NEAR(tib.overall.change, 2, tol);
  EXPECT_EQ(tib.overall.classification, ChangeClass::within_noise);
  EXPECT_EQ(tib.steps[0].classification, ChangeClass::within_noise);
  EXPECT_EQ(tib.steps[1].classification, ChangeClass::within_noise);
  EXPECT_EQ(find(r, "sls", Side::right, "cop_mean_velocity").overall.classification, ChangeClass::within_noise);

  // Improved, best of trials, published MDC with its citation.
  const MeasureComparison& jump = find(r, "slcmj", Side::left, "jump_height_impulse");
  EXPECT_EQ(jump.combine, Combine::best);
  EXPECT_NEAR(jump.series[0].value, 0.12, tol);
  EXPECT_NEAR(jump.series[1].value, 0.16, tol);
  EXPECT_NEAR(jump.series[2].value, 0.18, tol);
  EXPECT_EQ(jump.mdc.source, MdcSource::published);
  EXPECT_DOUBLE_EQ(jump.mdc.mdc95, 0.03);
  EXPECT_NE(jump.mdc.citation.find("J Test 2020"), std::string::npos);
  EXPECT_NEAR(jump.overall.change, 0.06, tol);
  EXPECT_NEAR(jump.overall.percent_change, 50, 1e-6);
  EXPECT_EQ(jump.overall.classification, ChangeClass::improved);
  EXPECT_EQ(jump.steps[0].classification, ChangeClass::improved);      // +0.04
  EXPECT_EQ(jump.steps[1].classification, ChangeClass::within_noise);  // +0.02

  // Worse: lower is better and the path got longer beyond the MDC.
  const MeasureComparison& path = find(r, "qs", std::nullopt, "cop_path_length");
  EXPECT_EQ(path.combine, Combine::median);
  EXPECT_NEAR(path.series[0].value, 310, tol);
  EXPECT_NEAR(path.series[2].value, 360, tol);
  EXPECT_NEAR(path.mdc.sem, 10, tol);
  EXPECT_NEAR(path.mdc.mdc95, 19.6 * std::sqrt(2.0), tol);
  EXPECT_NEAR(path.overall.change, 50, tol);
  EXPECT_NEAR(path.overall.percent_change, 50.0 / 310 * 100, tol);
  EXPECT_EQ(path.overall.classification, ChangeClass::worse);
  EXPECT_EQ(path.steps[0].classification, ChangeClass::within_noise);  // +5
  EXPECT_EQ(path.steps[1].classification, ChangeClass::worse);         // +45

  // Closer to the 50 % target is better.
  const MeasureComparison& load = find(r, "wb", std::nullopt, "load_left_mean");
  EXPECT_EQ(load.better, Better::closer_to_target);
  EXPECT_NEAR(load.mdc.mdc95, 3.92, tol);
  EXPECT_NEAR(load.overall.change, 7, tol);
  EXPECT_EQ(load.overall.classification, ChangeClass::improved);
  EXPECT_EQ(load.steps[0].classification, ChangeClass::within_noise);  // +3
  EXPECT_EQ(load.steps[1].classification, ChangeClass::improved);      // +4
}

TEST(CompareSessions, LimbSymmetryIndex_AndItsTrendTowardTheThreshold) {
  const ComparisonReport r =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), involved_left());
  // Higher is better: LSI = involved / uninvolved; the test's own threshold (85 %) is used.
  const LsiTrend& jump = find_lsi(r, "slcmj", "jump_height_impulse");
  EXPECT_EQ(jump.threshold_percent, 85);
  ASSERT_EQ(jump.points.size(), 3u);
  EXPECT_NEAR(jump.points[0].lsi, 12.0 / 22 * 100, 1e-6);  // 54.545 %
  EXPECT_NEAR(jump.points[1].lsi, 16.0 / 22 * 100, 1e-6);  // 72.727 %
  EXPECT_NEAR(jump.points[2].lsi, 18.0 / 22 * 100, 1e-6);  // 81.818 %
  EXPECT_NEAR(jump.points[2].lsi_oriented, jump.points[2].lsi, 1e-12);
  EXPECT_FALSE(jump.points[2].meets_threshold);
  EXPECT_EQ(jump.trend, "toward threshold");
  EXPECT_NEAR(jump.slope_per_session, (18.0 - 12.0) / 22 * 100 / 2, 1e-6);  // 13.636 % per session

  // Lower is better: LSI is still involved / uninvolved (133 % = the involved limb sways a third
  // more); the oriented LSI compared with the default 90 % is uninvolved / involved.
  const LsiTrend& vel = find_lsi(r, "sls", "cop_mean_velocity");
  EXPECT_EQ(vel.threshold_percent, 90);
  EXPECT_NEAR(vel.points[0].lsi, 32.0 / 24 * 100, 1e-9);
  EXPECT_NEAR(vel.points[0].lsi_oriented, 75, 1e-9);
  EXPECT_NEAR(vel.points[1].lsi_oriented, 24.0 / 28 * 100, 1e-9);  // 85.7 %: below 90 %
  EXPECT_FALSE(vel.points[1].meets_threshold);
  EXPECT_NEAR(vel.points[2].lsi_oriented, 100, 1e-9);
  EXPECT_TRUE(vel.points[2].meets_threshold);
  EXPECT_EQ(vel.trend, "at or above threshold");

  // A configurable threshold: at 101 % even the symmetric last session falls short.
  CompareOptions strict = involved_left();
  strict.lsi_threshold_percent = 101;
  const ComparisonReport r2 =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), strict);
  EXPECT_EQ(find_lsi(r2, "sls", "cop_mean_velocity").trend, "toward threshold");
  EXPECT_FALSE(find_lsi(r2, "sls", "cop_mean_velocity").points[2].meets_threshold);

  // Without an involved side there is no LSI, and the report says so.
  const ComparisonReport r3 =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), {});
  EXPECT_TRUE(r3.symmetry.empty());
  ASSERT_FALSE(r3.notes.empty());
  EXPECT_NE(r3.notes.back().find("no involved side"), std::string::npos);
}

TEST(CompareSessions, PublishedMdc_OrThePatientsOwnVariability_WithTheSourceSaid) {
  CompareOptions own = involved_left();
  own.prefer_published_mdc = false;
  const ComparisonReport r =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), own);
  const MeasureComparison& jump = find(r, "slcmj", Side::left, "jump_height_impulse");
  EXPECT_EQ(jump.mdc.source, MdcSource::own_variability);
  EXPECT_NEAR(jump.mdc.sem, 0.01, 1e-12);
  EXPECT_NEAR(jump.mdc.mdc95, 1.96 * std::sqrt(2.0) * 0.01, 1e-12);  // 0.0277
  EXPECT_NE(jump.mdc.citation.find("Hopkins"), std::string::npos);
  EXPECT_EQ(jump.overall.classification, ChangeClass::improved);

  // The published entry is for test "slcmj" only: the right side uses it too, a test of another
  // id would not.
  EXPECT_EQ(find(r, "slcmj", Side::right, "jump_height_impulse").mdc.source, MdcSource::own_variability);
  const ComparisonReport pub =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), involved_left());
  EXPECT_EQ(find(pub, "slcmj", Side::right, "jump_height_impulse").mdc.source, MdcSource::published);
  EXPECT_EQ(find(pub, "qs", std::nullopt, "cop_path_length").mdc.source, MdcSource::own_variability);

  // Only one trial per session: no own variability; the published value is then used even when
  // not preferred, and a measure with neither is "not assessed".
  std::vector<SessionRecord> single = patient();
  for (SessionRecord& s : single)
    for (TestResults& t : s.tests) t.trials.resize(1);
  const ComparisonReport r1 =
      compare_sessions(single, patient_definitions(), MeasureCatalog::built_in(), published_table(), own);
  EXPECT_EQ(find(r1, "slcmj", Side::left, "jump_height_impulse").mdc.source, MdcSource::published);
  const MeasureComparison& path = find(r1, "qs", std::nullopt, "cop_path_length");
  EXPECT_EQ(path.mdc.source, MdcSource::none);
  EXPECT_NEAR(path.overall.change, 50, tol);  // 350 − 300: still reported
  EXPECT_EQ(path.overall.classification, ChangeClass::not_assessed);
}

TEST(CompareSessions, FromAndToSessions_LimitTheChangeAndTheTrialsUsedForTheMdc) {
  CompareOptions o = involved_left();
  o.from_session = "s2";
  o.to_session = "s3";
  const ComparisonReport r =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), o);
  const MeasureComparison& vel = find(r, "sls", Side::left, "cop_mean_velocity");
  // S2 and S3 only: SS 2 + 2, df 4 → SEM 1, MDC95 2.7719; change 24 − 28 = −4 → improved.
  EXPECT_NEAR(vel.mdc.sem, 1, tol);
  EXPECT_EQ(vel.mdc.df, 4u);
  EXPECT_NEAR(vel.overall.change, -4, tol);
  EXPECT_EQ(vel.overall.classification, ChangeClass::improved);
  EXPECT_EQ(vel.series.size(), 3u);  // the whole series is still listed
  EXPECT_EQ(vel.steps.size(), 1u);
  EXPECT_EQ(find_lsi(r, "slcmj", "jump_height_impulse").points.size(), 2u);
}

TEST(CompareSessions, PainRatings_ChangeAndPositiveTests) {
  const ComparisonReport r =
      compare_sessions(patient(), patient_definitions(), MeasureCatalog::built_in(), published_table(), involved_left());
  const PainSeries* left = nullptr;
  const PainSeries* right = nullptr;
  for (const PainSeries& p : r.pain) {
    if (p.test == "sls" && p.side == Side::left) left = &p;
    if (p.test == "sls" && p.side == Side::right) right = &p;
  }
  ASSERT_NE(left, nullptr);
  ASSERT_NE(right, nullptr);
  ASSERT_EQ(left->points.size(), 3u);
  EXPECT_TRUE(left->points[0].positive);   // 5/10 ≥ 2
  EXPECT_TRUE(left->points[1].positive);   // 3/10
  EXPECT_FALSE(left->points[2].positive);  // 1/10
  EXPECT_NEAR(left->change_after, -4, tol);
  EXPECT_EQ(left->classification, ChangeClass::improved);
  EXPECT_EQ(right->classification, ChangeClass::within_noise);
}

TEST(CompareSessions, BadInput_IsRefusedWithAMessageNamingTheProblem) {
  const DefinitionSet defs = patient_definitions();
  const MeasureCatalog catalog = MeasureCatalog::built_in();
  const MdcTable table = published_table();
  auto message = [&](const std::vector<SessionRecord>& s, const DefinitionSet& d = patient_definitions(),
                     CompareOptions o = {}) {
    try {
      compare_sessions(s, d, catalog, table, o);
    } catch (const ComparisonError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  auto contains = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  const std::vector<SessionRecord> good = patient();

  // One session.
  EXPECT_TRUE(contains(message({good[0]}), "at least two sessions")) << message({good[0]});

  // A measure the catalogue does not know (definition made in code, without "better").
  DefinitionSet unknown = defs;
  for (TestDefinition& d : unknown.definitions)
    if (d.id == "qs") d.measures.push_back({"no_such_measure"});
  std::vector<SessionRecord> with_unknown = good;
  for (SessionRecord& s : with_unknown)
    for (TestResults& t : s.tests)
      if (t.test == "qs")
        for (auto& trial : t.trials) trial["no_such_measure"] = 1;
  EXPECT_TRUE(contains(message(with_unknown, unknown), "unknown measure \"no_such_measure\""));

  // Mismatched sessions: nothing in common between the two compared.
  SessionRecord only_wb = good[1];
  std::erase_if(only_wb.tests, [](const TestResults& t) { return t.test != "wb"; });
  SessionRecord only_qs = good[2];
  std::erase_if(only_qs.tests, [](const TestResults& t) { return t.test != "qs"; });
  EXPECT_TRUE(contains(message({only_wb, only_qs}), "have no test in common"));
  // ... a test in only one of them is left out with a note, the rest compared.
  SessionRecord without_qs = good[2];
  std::erase_if(without_qs.tests, [](const TestResults& t) { return t.test == "qs"; });
  const ComparisonReport partial = compare_sessions({good[0], without_qs}, defs, catalog, table, {});
  EXPECT_TRUE(contains(partial.notes.at(0), "test \"qs\" is not in both session"));
  // A trial without a measure its test lists.
  std::vector<SessionRecord> missing = good;
  missing[1].tests[4].trials[1].erase("cop_path_length");
  EXPECT_TRUE(contains(message(missing), "session \"s2\", test \"qs\", trial 2: no value for \"cop_path_length\""))
      << message(missing);
  // Sessions out of order, the same id twice, an unknown test, a single-leg test without side.
  EXPECT_TRUE(contains(message({good[1], good[0]}), "not in date order"));
  std::vector<SessionRecord> twice = good;
  twice[2].id = "s1";
  EXPECT_TRUE(contains(message(twice), "\"s1\" appears twice"));
  std::vector<SessionRecord> unknown_test = good;
  unknown_test[0].tests[0].test = "moonwalk";
  EXPECT_TRUE(contains(message(unknown_test), "test \"moonwalk\" (left): no such test definition"));
  std::vector<SessionRecord> no_side = good;
  no_side[0].tests[0].side.reset();
  EXPECT_TRUE(contains(message(no_side), "needs its side"));
  // From / to.
  CompareOptions backwards;
  backwards.from_session = "s3";
  backwards.to_session = "s1";
  EXPECT_TRUE(contains(message(good, defs, backwards), "must come before"));
  CompareOptions nowhere;
  nowhere.to_session = "s9";
  EXPECT_TRUE(contains(message(good, defs, nowhere), "no session \"s9\""));
  // A pain rating off the scale.
  std::vector<SessionRecord> pain = good;
  pain[0].tests[0].pain_after = 11;
  EXPECT_TRUE(contains(message(pain), "pain after must be from 0 to 10"));
}

TEST(CombineTrials, MeanMedianAndBest_SkipNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_DOUBLE_EQ(combine_trials({1, 2, 6}, Combine::mean, Better::none), 3);
  EXPECT_DOUBLE_EQ(combine_trials({1, 2, 6}, Combine::median, Better::none), 2);
  EXPECT_DOUBLE_EQ(combine_trials({1, 2, 6, 7}, Combine::median, Better::none), 4);
  EXPECT_DOUBLE_EQ(combine_trials({1, nan, 6}, Combine::best, Better::higher), 6);
  EXPECT_DOUBLE_EQ(combine_trials({1, nan, 6}, Combine::best, Better::lower), 1);
  EXPECT_DOUBLE_EQ(combine_trials({nan, 4}, Combine::mean, Better::none), 4);
  EXPECT_TRUE(std::isnan(combine_trials({nan}, Combine::mean, Better::none)));
  EXPECT_THROW(combine_trials({1, 2}, Combine::best, Better::none), ComparisonError);
}

TEST(MdcFromTrials, TwoTrialsPerSession_HandArithmetic) {
  // Sessions [10, 12], [20, 21], [5, 8]: squared deviations from each session's mean are d²/2 for a
  // difference d: (4 + 1 + 9) / 2 = 7, df = 3 → SEM = √(7/3); MDC95 = 1.96 · √2 · √(7/3) = 1.96 · √(14/3).
  const MdcUsed m = mdc_from_trials({{10, 12}, {20, 21}, {5, 8}});
  EXPECT_EQ(m.source, MdcSource::own_variability);
  EXPECT_EQ(m.df, 3u);
  EXPECT_NEAR(m.sem, std::sqrt(7.0 / 3.0), 1e-12);
  EXPECT_NEAR(m.mdc95, 1.96 * std::sqrt(14.0 / 3.0), 1e-12);
  EXPECT_NE(m.note.find("uncertain"), std::string::npos);  // df < 4
  // One trial per session: nothing to estimate from.
  EXPECT_EQ(mdc_from_trials({{10}, {20}}).source, MdcSource::none);
}

TEST(CompareSessions, BuiltInCmj_UsesThePublishedMdcOfTheBuiltInTable) {
  const DefinitionSet defs = load_definitions({built_in_definitions_dir()});
  ASSERT_TRUE(defs.errors.empty());
  const TestDefinition* cmj = defs.find("countermovement-jump");
  ASSERT_NE(cmj, nullptr);
  auto trial = [&](double height) {
    std::map<std::string, double> t;
    for (const MeasureSpec& m : cmj->measures) t[m.name] = 1.0;
    t["jump_height_impulse"] = height;
    return t;
  };
  SessionRecord a{"a", "2026-01-01", {}, {}};
  a.tests.push_back({"countermovement-jump", std::nullopt, {trial(0.30), trial(0.31), trial(0.29)}});
  SessionRecord b{"b", "2026-02-01", {}, {}};
  b.tests.push_back({"countermovement-jump", std::nullopt, {trial(0.33), trial(0.34), trial(0.32)}});
  const ComparisonReport r = compare_sessions({a, b}, defs, MeasureCatalog::built_in(),
                                              MdcTable::load(built_in_mdc_table()), {});
  const MeasureComparison& h = find(r, "countermovement-jump", std::nullopt, "jump_height_impulse");
  EXPECT_EQ(h.mdc.source, MdcSource::published);
  EXPECT_DOUBLE_EQ(h.mdc.mdc95, 0.035);
  EXPECT_NE(h.mdc.citation.find("Gonzalez-Garcia"), std::string::npos);
  // Best of three: 0.31 → 0.34, +0.03 ≤ 0.035 → within noise.
  EXPECT_NEAR(h.overall.change, 0.03, 1e-12);
  EXPECT_EQ(h.overall.classification, ChangeClass::within_noise);
  // The other measures have no published value, and their trials are all 1.0 (SEM 0): no MDC is
  // claimed from variability that is not there, so they are not assessed.
  const MeasureComparison& rsi = find(r, "countermovement-jump", std::nullopt, "rsi_modified");
  EXPECT_EQ(rsi.mdc.source, MdcSource::none);
  EXPECT_EQ(rsi.overall.classification, ChangeClass::not_assessed);
}
