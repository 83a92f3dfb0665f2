// Against the reference table computed by the open-access code of Quijoux et al. 2021 on a public
// recording (hbedb BDS00001, Santos & Duarte 2016); both read from the shared datasets folder.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "datasets.hpp"
#include "forceplate/analysis/sway.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

using testing::ReferenceRow;

constexpr double hbedb_rate_hz = 100.0;
constexpr std::size_t reference_metric_count = 12;  // rows in the README table

class HbedbBDS00001 : public ::testing::Test {
 protected:
  void SetUp() override {
    rows_ = testing::read_reference_table(testing::dataset_path("README.md"), "hbedb BDS00001");
    ASSERT_EQ(rows_.size(), reference_metric_count) << "reference table not found or changed";
    const auto cop =
        testing::read_hbedb_cop(testing::dataset_path("balance/hbedb-BDS00001-cop.csv"));
    result_ = analyze_sway(cop.x, cop.y, hbedb_rate_hz);
  }

  // The README prints squares as superscripts; to_display spells them "^2".
  static std::string plain_unit(std::string u) {
    const std::string sup2 = "\u00b2";
    if (const auto p = u.find(sup2); p != std::string::npos) u.replace(p, sup2.size(), "^2");
    return u;
  }

  DisplayValue measured(const ReferenceRow& row) const {
    const Measure* m = result_.find(row.metric);
    if (m == nullptr) throw std::runtime_error("no measure named " + row.metric);
    return to_display(*m);
  }

  std::vector<ReferenceRow> rows_;
  AnalysisResult result_;
};

TEST_F(HbedbBDS00001, EveryReferenceMeasure_IsWithinOnePercentInTheSameUnit) {
  for (const ReferenceRow& row : rows_) {
    const DisplayValue d = measured(row);
    EXPECT_EQ(d.unit, plain_unit(row.unit)) << row.metric;
    EXPECT_NEAR(d.value, row.value, 0.01 * std::abs(row.value)) << row.metric;
  }
}

// Pins the time conventions: n/rate against (n-1)/rate differs by 1/6000, i.e. about one unit in
// the fourth decimal of the velocities, which a 1 % check cannot see.
TEST_F(HbedbBDS00001, EveryReferenceMeasure_AgreesToTheLastPrintedDigit) {
  for (const ReferenceRow& row : rows_) {
    const auto point = row.value_text.find('.');
    const int decimals =
        point == std::string::npos ? 0 : static_cast<int>(row.value_text.size() - point - 1);
    EXPECT_NEAR(measured(row).value, row.value, std::pow(10.0, -decimals)) << row.metric;
  }
}

// f_time runs from 1/rate to the end of the recording, so its last value is the recording's length.
TEST_F(HbedbBDS00001, Duration_EqualsTheRecordingsOwnClock) {
  const auto cop = testing::read_hbedb_cop(testing::dataset_path("balance/hbedb-BDS00001-cop.csv"));
  EXPECT_EQ(testing::value(result_, "sample_count"), static_cast<double>(cop.x.size()));
  EXPECT_NEAR(testing::value(result_, "duration"), cop.t.back(), 1e-9);
  EXPECT_NEAR(cop.t.front(), 1.0 / hbedb_rate_hz, 1e-9);
  EXPECT_EQ(result_.test, "quiet-stance");
  EXPECT_TRUE(result_.warnings.empty());
}

}  // namespace
}  // namespace fp::analysis
