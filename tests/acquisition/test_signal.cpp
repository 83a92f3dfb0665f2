#include <gtest/gtest.h>

#include <cmath>

#include "forceplate/acquisition/signal.hpp"

namespace fp::acq {
namespace {

DeviceDescription square_plate(double half_side_m, double gain) {
  DeviceDescription d;
  PlateSpec p;
  p.width_m = p.length_m = 2 * half_side_m + 0.1;
  const double xs[4] = {-half_side_m, half_side_m, half_side_m, -half_side_m};
  const double ys[4] = {half_side_m, half_side_m, -half_side_m, -half_side_m};
  for (std::size_t c = 0; c < 4; ++c) p.cells[c] = CellSpec{xs[c], ys[c], gain, 1000.0};
  d.plates.push_back(p);
  return d;
}

TEST(SignalConverter, EqualLoadOnAllCells_CopAtCentreAndFzIsTheSum) {
  SignalConverter conv(square_plate(0.2, 0.01));
  Sample s;
  s.counts = {11000, 11000, 11000, 11000};  // 10,000 counts above offset = 100 N per cell
  conv.convert(s);
  EXPECT_NEAR(s.fz_n[0], 400.0, 1e-9);
  EXPECT_NEAR(s.cop_x_m[0], 0.0, 1e-12);
  EXPECT_NEAR(s.cop_y_m[0], 0.0, 1e-12);
  EXPECT_NEAR(s.cell_force_n[2], 100.0, 1e-9);
}

TEST(SignalConverter, LoadOnlyOnFrontRightCell_CopIsThatCell) {
  SignalConverter conv(square_plate(0.2, 0.01));
  Sample s;
  s.counts = {1000, 51000, 1000, 1000};
  conv.convert(s);
  EXPECT_NEAR(s.fz_n[0], 500.0, 1e-9);
  EXPECT_NEAR(s.cop_x_m[0], 0.2, 1e-12);
  EXPECT_NEAR(s.cop_y_m[0], 0.2, 1e-12);
}

TEST(SignalConverter, ForceBelowThreshold_CopIsNaNNotNoiseOverNothing) {
  SignalConverter conv(square_plate(0.2, 0.01), 20.0);
  Sample s;
  s.counts = {1100, 1000, 1000, 1000};  // 1 N in one cell
  conv.convert(s);
  EXPECT_NEAR(s.fz_n[0], 1.0, 1e-9);
  EXPECT_TRUE(std::isnan(s.cop_x_m[0]));
  EXPECT_TRUE(std::isnan(s.cop_y_m[0]));
}

TEST(SignalConverter, Tare_MakesTheMeanOfEmptyPlateSamplesZero) {
  SignalConverter conv(square_plate(0.2, 0.01));
  std::vector<Sample> empty(10);
  for (std::size_t i = 0; i < empty.size(); ++i) {
    empty[i].counts = {2000 + static_cast<int>(i), 3000, 4000, 5000};
  }
  conv.tare(empty);
  Sample s;
  s.counts = {2000 + 4 + 1, 3000, 4000, 5000};  // mean of 2000..2009 is 2004.5
  conv.convert(s);
  EXPECT_NEAR(s.cell_force_n[0], 0.005, 1e-12);
  EXPECT_NEAR(s.cell_force_n[1], 0.0, 1e-12);
}

TEST(SignalConverter, NoPlates_IsRefusedWithAReason) {
  EXPECT_THROW(SignalConverter(DeviceDescription{}), std::invalid_argument);
}

}  // namespace
}  // namespace fp::acq
