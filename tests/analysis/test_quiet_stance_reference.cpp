// The full quiet-stance pipeline on hbedb BDS00001 (Santos & Duarte 2016) against the reference
// table of Quijoux et al. 2021's code, which works on the raw signal: with the low-pass switched
// off the pipeline must reproduce it; with the default 10 Hz low-pass only the velocity-type
// measures move noticeably (docs/metrics.md lists by how much).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "datasets.hpp"
#include "forceplate/analysis/quiet_stance.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

constexpr double hbedb_rate_hz = 100.0;

class HbedbFullPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    rows_ = testing::read_reference_table(testing::dataset_path("README.md"), "hbedb BDS00001");
    ASSERT_EQ(rows_.size(), 12U) << "reference table not found or changed";
    const auto cop =
        testing::read_hbedb_cop(testing::dataset_path("balance/hbedb-BDS00001-cop.csv"));
    QuietStanceOptions none;
    none.preprocessing.lowpass.reset();
    raw_ = analyze_quiet_stance(cop.x, cop.y, hbedb_rate_hz, none);
    filtered_ = analyze_quiet_stance(cop.x, cop.y, hbedb_rate_hz);
  }
  std::vector<testing::ReferenceRow> rows_;
  AnalysisResult raw_;
  AnalysisResult filtered_;
};

TEST_F(HbedbFullPipeline, LowpassNone_EveryReferenceMeasureWithinOnePercent) {
  for (const auto& row : rows_) {
    const Measure* m = raw_.find(row.metric);
    ASSERT_NE(m, nullptr) << row.metric;
    EXPECT_NEAR(to_display(*m).value, row.value, 0.01 * std::abs(row.value)) << row.metric;
  }
}

TEST_F(HbedbFullPipeline, LowpassNone_EveryReferenceMeasureToTheLastPrintedDigit) {
  for (const auto& row : rows_) {
    const auto point = row.value_text.find('.');
    const int decimals =
        point == std::string::npos ? 0 : static_cast<int>(row.value_text.size() - point - 1);
    EXPECT_NEAR(to_display(*raw_.find(row.metric)).value, row.value, std::pow(10.0, -decimals))
        << row.metric;
  }
}

// 60 s: every measure of the set is defined, and nothing needed a warning.
TEST_F(HbedbFullPipeline, EveryMeasureIsFiniteWithoutWarnings) {
  for (const AnalysisResult* r : {&raw_, &filtered_}) {
    for (const Measure& m : r->measures) EXPECT_TRUE(std::isfinite(m.value)) << m.name;
    EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();
  }
}

// Sway at 0.1-1 Hz passes a 10 Hz filter untouched; the path picks up the 8-50 Hz jitter.
TEST_F(HbedbFullPipeline, DefaultLowpass_KeepsPositionsAndShortensThePath) {
  for (const char* name : {"cop_rms_ml", "cop_rms_ap", "cop_mean_distance", "cop_ellipse95_area",
                           "cop_total_power_ml", "cop_diffusion_long_planar"}) {
    EXPECT_NEAR(testing::value(filtered_, name), testing::value(raw_, name),
                0.005 * testing::value(raw_, name))
        << name;
  }
  const double raw_path = testing::value(raw_, "cop_path_length");
  const double filtered_path = testing::value(filtered_, "cop_path_length");
  EXPECT_LT(filtered_path, raw_path);
  EXPECT_GT(filtered_path, 0.95 * raw_path);
}

}  // namespace
}  // namespace fp::analysis
