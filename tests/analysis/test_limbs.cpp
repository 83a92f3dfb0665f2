// Limb comparison arithmetic: LSI, asymmetry and direction.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "forceplate/analysis/limbs.hpp"

namespace fp::analysis {
namespace {

AnalysisResult result(std::initializer_list<Measure> measures) {
  AnalysisResult r;
  r.measures = measures;
  return r;
}

const LimbRow& row(const LimbComparison& c, const std::string& name) {
  for (const LimbRow& r : c.rows) {
    if (r.name == name) return r;
  }
  throw std::runtime_error("no row " + name);
}

TEST(CompareLimbs, InvolvedRight_LsiIsRightOverLeft) {
  const auto left = result({{"time_in_balance", 30.0, Unit::second}});
  const auto right = result({{"time_in_balance", 12.0, Unit::second}});
  const LimbComparison c = compare_limbs(left, right, Side::right);
  const LimbRow& r = row(c, "time_in_balance");
  EXPECT_EQ(r.unit, Unit::second);
  EXPECT_EQ(r.left, 30.0);
  EXPECT_EQ(r.right, 12.0);
  EXPECT_EQ(r.involved, 12.0);
  EXPECT_EQ(r.uninvolved, 30.0);
  EXPECT_DOUBLE_EQ(r.lsi, 40.0);
  EXPECT_DOUBLE_EQ(r.asymmetry, 60.0);  // |30 - 12| / 30
  EXPECT_EQ(r.direction, "left higher");
}

TEST(CompareLimbs, InvolvedLeft_LsiIsLeftOverRight) {
  const auto left = result({{"cop_path_length", 0.5, Unit::metre}});
  const auto right = result({{"cop_path_length", 0.4, Unit::metre}});
  const LimbRow& r = row(compare_limbs(left, right, Side::left), "cop_path_length");
  EXPECT_DOUBLE_EQ(r.lsi, 125.0);
  EXPECT_DOUBLE_EQ(r.asymmetry, 20.0);
  EXPECT_EQ(r.direction, "left higher");
}

TEST(CompareLimbs, EqualZeroNegativeAndNaN_AreHandled) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto left = result({{"a", 2.0, Unit::metre},
                            {"b", 0.0, Unit::metre},
                            {"c", -0.2, Unit::radian},
                            {"d", nan, Unit::hertz}});
  const auto right = result({{"a", 2.0, Unit::metre},
                             {"b", 0.0, Unit::metre},
                             {"c", 0.1, Unit::radian},
                             {"d", 1.0, Unit::hertz}});
  const LimbComparison c = compare_limbs(left, right, Side::left);
  EXPECT_EQ(row(c, "a").direction, "equal");
  EXPECT_EQ(row(c, "a").asymmetry, 0.0);
  EXPECT_EQ(row(c, "b").asymmetry, 0.0);
  EXPECT_TRUE(std::isnan(row(c, "b").lsi));        // uninvolved 0
  EXPECT_DOUBLE_EQ(row(c, "c").asymmetry, 150.0);  // |-0.2 - 0.1| / max(|-0.2|, |0.1|)
  EXPECT_EQ(row(c, "c").direction, "right higher");
  EXPECT_TRUE(std::isnan(row(c, "d").lsi));
  EXPECT_TRUE(std::isnan(row(c, "d").asymmetry));
  EXPECT_EQ(row(c, "d").direction, "");
}

TEST(CompareLimbs, MeasuresOnOneSideOnly_AreSkippedAndListed) {
  const auto left = result({{"shared", 1.0, Unit::metre}, {"left_only", 1.0, Unit::metre}});
  const auto right = result({{"right_only", 1.0, Unit::metre}, {"shared", 2.0, Unit::metre}});
  const LimbComparison c = compare_limbs(left, right, Side::right);
  ASSERT_EQ(c.rows.size(), 1U);
  EXPECT_EQ(c.rows[0].name, "shared");
  EXPECT_EQ(c.involved_side, Side::right);
  bool listed = false;
  for (const std::string& w : c.warnings) {
    listed |= w.find("left_only (left only)") != std::string::npos &&
              w.find("right_only (right only)") != std::string::npos;
  }
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace fp::analysis
