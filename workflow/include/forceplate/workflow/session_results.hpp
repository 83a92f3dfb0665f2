#pragma once
// A patient's visits as the comparison sees them: the accepted trials of each session in the
// archive, grouped by test and side, with their stored measures and pain ratings; and a session's
// own summary (combined value of each measure per test and side, limb symmetry index).
#include <optional>
#include <string>
#include <vector>

#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/comparison.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

namespace fp::workflow {

// One session's trials, grouped. A trial counts when it is complete and valid (no invalid reason)
// and its test is a definition id; others are listed in `skipped` with the reason. Pain: the last
// trial's "before" and "after" ratings of the test (or "end-of-trial" as "after").
struct SessionResults {
  data::Session session;
  SessionRecord record;               // input to compare_sessions
  std::vector<std::string> skipped;   // "<trial id>: <why>"
};

SessionResults session_results(const data::Archive& archive, const std::string& session_id,
                               const DefinitionSet& definitions);

// Every session of the patient, oldest first (sessions without usable trials are left out).
std::vector<SessionResults> patient_results(const data::Archive& archive, const std::string& patient_id,
                                            const DefinitionSet& definitions);

// The involved side recorded for the patient (nullopt for "none" or "both").
std::optional<analysis::Side> involved_side(const data::Patient& patient);

// Per test (and side), the combined value of each of the definition's measures over the trials.
struct CombinedMeasure {
  std::string measure;
  std::string unit;
  Combine combine = Combine::mean;
  double value = std::numeric_limits<double>::quiet_NaN();
  std::size_t trials = 0;
};
struct TestSummary {
  std::string test;
  std::string name;  // the definition's name
  std::optional<analysis::Side> side;
  std::vector<CombinedMeasure> measures;
  std::optional<double> pain_before, pain_after;
};
// Left / right / limb symmetry index of a one-sided test's measure (both sides in the session).
struct SymmetryRow {
  std::string test;
  std::string measure;
  std::string unit;
  double left = std::numeric_limits<double>::quiet_NaN();
  double right = std::numeric_limits<double>::quiet_NaN();
  double lsi = std::numeric_limits<double>::quiet_NaN();  // involved / uninvolved x 100 (%)
  double lsi_oriented = std::numeric_limits<double>::quiet_NaN();  // higher is better, as LsiTrend
  bool meets_threshold = false;
};
struct SessionSummary {
  std::vector<TestSummary> tests;
  std::vector<SymmetryRow> symmetry;  // only with a known involved side
  double lsi_threshold_percent = 90;
};

SessionSummary summarize_session(const SessionRecord& record, const DefinitionSet& definitions,
                                 const MeasureCatalog& catalog, std::optional<analysis::Side> involved,
                                 double lsi_threshold_percent = 90);

}  // namespace fp::workflow
