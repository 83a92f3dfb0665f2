#pragma once
// Internal: text forms shared by the exports (archive_export.cpp, archive_research.cpp).
#include <string>
#include <vector>

#include "forceplate/data/trial.hpp"

namespace fp::data::archive_detail {

// Shortest text that reads back to the same double; NaN, Infinity, -Infinity.
std::string csv_number(double v);
// Quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);
// docs/import.md's generic format: time[s], then per plate fz[N], copx[mm], copy[mm] (and fx, fy);
// `_left`/`_right` suffixes for two plates; each comment becomes a leading "# " line.
std::string trial_series_csv(const Trial& trial, const std::vector<std::string>& comments);
// measure,value,unit
std::string trial_measures_csv(const Trial& trial);

}  // namespace fp::data::archive_detail
