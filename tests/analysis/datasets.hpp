#pragma once
// Readers for the shared public recordings (FP_DATASETS_DIR) used as outside references.
#include <string>
#include <vector>

namespace fp::analysis::testing {

std::string dataset_path(const std::string& relative);

struct CopTrace {
  std::vector<double> t;  // s, as recorded
  std::vector<double> x;  // m
  std::vector<double> y;  // m
};
// hbedb export: `f_time;copX;copY` in s and cm; copX becomes x.
CopTrace read_hbedb_cop(const std::string& path);

struct ReferenceRow {
  std::string metric;      // e.g. "cop_mean_velocity"
  std::string value_text;  // as printed, to know its precision
  double value = 0;
  std::string unit;  // as printed, e.g. "mm²"
};
// Rows of the markdown table under the heading `## Reference values: <name>` in the datasets
// README.
std::vector<ReferenceRow> read_reference_table(const std::string& readme_path,
                                               const std::string& name);

// The Fz column of an OptiTrack Motive export of an AMTI plate (N).
std::vector<double> read_amti_fz(const std::string& path);

}  // namespace fp::analysis::testing
