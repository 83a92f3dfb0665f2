#include <gtest/gtest.h>

#include <string>

#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {
namespace {

struct DisplayCase {
  Unit unit;
  double in_si;
  double shown_value;
  std::string shown_unit;
};

class ToDisplay : public ::testing::TestWithParam<DisplayCase> {};

TEST_P(ToDisplay, SiValue_ConvertsToClinicalUnit) {
  const DisplayCase& c = GetParam();
  const DisplayValue d = to_display(Measure{"m", c.in_si, c.unit});
  EXPECT_NEAR(d.value, c.shown_value, 1e-12 * c.shown_value);
  EXPECT_EQ(d.unit, c.shown_unit);
}

INSTANTIATE_TEST_SUITE_P(AllUnits, ToDisplay,
                         ::testing::Values(DisplayCase{Unit::metre, 0.0123, 12.3, "mm"},
                                           DisplayCase{Unit::metre_per_second, 0.0062, 6.2, "mm/s"},
                                           DisplayCase{Unit::square_metre, 9.4e-5, 94.0, "mm^2"},
                                           DisplayCase{Unit::square_metre_per_second, 4.6e-6, 4.6,
                                                       "mm^2/s"},
                                           DisplayCase{Unit::hertz, 0.32, 0.32, "Hz"},
                                           DisplayCase{Unit::second, 60.0, 60.0, "s"},
                                           DisplayCase{Unit::newton, 700.0, 700.0, "N"},
                                           DisplayCase{Unit::dimensionless, 6000.0, 6000.0, ""}));

TEST(AnalysisResultFind, KnownName_ReturnsThatMeasure) {
  AnalysisResult r;
  r.measures = {{"a", 1.0, Unit::metre}, {"b", 2.0, Unit::hertz}};
  const Measure* m = r.find("b");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->value, 2.0);
  EXPECT_EQ(m->unit, Unit::hertz);
}

TEST(AnalysisResultFind, UnknownName_ReturnsNull) {
  AnalysisResult r;
  r.measures = {{"a", 1.0, Unit::metre}};
  EXPECT_EQ(r.find("cop_path_length"), nullptr);
}

}  // namespace
}  // namespace fp::analysis
