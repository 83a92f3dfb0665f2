#include <gtest/gtest.h>

#include <limits>

#include "forceplate/workflow/result_json.hpp"

namespace fp::workflow {
namespace {

TEST(ResultJson, MetricsCarryDisplayValueAndUnit) {
  analysis::AnalysisResult r;
  r.test = "quiet-stance";
  r.measures.push_back({"cop_path_length", 0.37211, analysis::Unit::metre});
  r.measures.push_back({"cop_ellipse95_area", 94.453e-6, analysis::Unit::square_metre});
  r.warnings.push_back("a note");
  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j["test"], "quiet-stance");
  EXPECT_NEAR(j["metrics"]["cop_path_length"]["value"].get<double>(), 372.11, 1e-9);
  EXPECT_EQ(j["metrics"]["cop_path_length"]["unit"], "mm");
  EXPECT_NEAR(j["metrics"]["cop_ellipse95_area"]["value"].get<double>(), 94.453, 1e-9);
  EXPECT_EQ(j["metrics"]["cop_ellipse95_area"]["unit"], "mm^2");
  EXPECT_EQ(j["warnings"][0], "a note");
}

TEST(ResultJson, ValueThatCouldNotBeComputed_IsNullNotInvalidJson) {
  analysis::AnalysisResult r;
  r.measures.push_back({"cop_mean_frequency", std::numeric_limits<double>::quiet_NaN(), analysis::Unit::hertz});
  const nlohmann::json j = to_json(r);
  EXPECT_TRUE(j["metrics"]["cop_mean_frequency"]["value"].is_null());
  const nlohmann::json back = nlohmann::json::parse(j.dump());
  EXPECT_TRUE(back["metrics"]["cop_mean_frequency"]["value"].is_null());
}

}  // namespace
}  // namespace fp::workflow
