#pragma once
// Before/after comparison of a patient's sessions (docs/comparison.md): per test, side and
// measure, the combined value of each session (mean / best / median of its trials, as the test
// definition says), the change and % change, the minimal detectable change (MDC95) used and where
// it came from, and whether the change is an improvement, a worsening or within the noise; the
// limb symmetry index and its trend toward a return-to-function threshold; pain ratings.
// Pure logic: plain structs in, plain structs out. Values are in display units.
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "forceplate/analysis/measure.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

namespace fp::workflow {

// The results of one test (on one side) in one session.
struct TestResults {
  std::string test;                         // definition id
  std::optional<analysis::Side> side = {};  // nullopt: a double-leg test
  // One map per accepted trial: measure name -> value (display units). NaN: not computed.
  std::vector<std::map<std::string, double>> trials = {};
  std::optional<double> pain_before = {};  // 0–10
  std::optional<double> pain_after = {};   // 0–10
};

struct SessionRecord {
  std::string id;
  std::string date;  // ISO 8601 (YYYY-MM-DD...); sessions must be given in date order
  std::vector<TestResults> tests = {};
  std::optional<double> pain_last_24h = {};  // 0–10
};

class ComparisonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CompareOptions {
  std::string from_session = {};  // id; empty: the first session
  std::string to_session = {};    // id; empty: the last session
  std::optional<analysis::Side> involved_side = {};  // needed for the limb symmetry index
  double lsi_threshold_percent = 90;                 // return-to-function threshold
  bool prefer_published_mdc = true;  // false: the patient's own variability whenever available
  // A change of pain of at least this many points (0–10 scale) counts as clinically important
  // (Farrar et al. 2001: about 2 points, or 30 %).
  double pain_important_change = 2;
};

enum class ChangeClass {
  improved,       // |change| > MDC95, in the direction of better
  worse,          // |change| > MDC95, against it
  within_noise,   // |change| <= MDC95
  changed,        // |change| > MDC95, but the measure has no direction of better
  not_assessed,   // no MDC available, or a value is missing (NaN)
};
const char* to_string(ChangeClass c);  // "improved", "worse", "within noise", ...

enum class MdcSource { published, own_variability, none };
const char* to_string(MdcSource s);  // "published", "own variability", "none"

struct MdcUsed {
  double mdc95 = std::numeric_limits<double>::quiet_NaN();
  MdcSource source = MdcSource::none;
  std::string citation = {};  // published: the citation; own variability: the method
  // Own variability: the typical error (SEM) and its degrees of freedom (sum over sessions of
  // trials − 1); NaN / 0 for a published value.
  double sem = std::numeric_limits<double>::quiet_NaN();
  std::size_t df = 0;
  std::string note = {};
};

struct SessionValue {
  std::string session;
  std::string date;
  double value = std::numeric_limits<double>::quiet_NaN();  // combined over the trials
  std::size_t trials = 0;  // trials with a finite value
};

struct Change {
  std::string from_session;
  std::string to_session;
  double from = std::numeric_limits<double>::quiet_NaN();
  double to = std::numeric_limits<double>::quiet_NaN();
  double change = std::numeric_limits<double>::quiet_NaN();          // to − from
  double percent_change = std::numeric_limits<double>::quiet_NaN();  // change / |from| × 100
  ChangeClass classification = ChangeClass::not_assessed;
};

struct MeasureComparison {
  std::string test;
  std::optional<analysis::Side> side = {};
  std::string measure;
  std::string unit;
  Better better = Better::none;
  double target = std::numeric_limits<double>::quiet_NaN();  // closer_to_target
  Combine combine = Combine::mean;
  std::vector<SessionValue> series = {};  // every session that has this test, in order
  Change overall = {};                    // from_session → to_session
  std::vector<Change> steps = {};         // each session to the next (within from … to)
  MdcUsed mdc = {};
};

struct LsiPoint {
  std::string session;
  double involved = std::numeric_limits<double>::quiet_NaN();
  double uninvolved = std::numeric_limits<double>::quiet_NaN();
  double lsi = std::numeric_limits<double>::quiet_NaN();           // involved / uninvolved × 100
  double lsi_oriented = std::numeric_limits<double>::quiet_NaN();  // higher is better (below)
  bool meets_threshold = false;
};

// Limb symmetry index of one measure over the sessions. `lsi` is always involved / uninvolved ×
// 100 %. `lsi_oriented` is what the threshold is compared with: the same for "higher is better"
// measures, uninvolved / involved × 100 % for "lower is better" ones (so that a worse involved
// limb gives less than 100 % either way); not computed for other measures.
struct LsiTrend {
  std::string test;
  std::string measure;
  Better better = Better::none;
  double threshold_percent = 90;
  std::vector<LsiPoint> points = {};
  double slope_per_session = std::numeric_limits<double>::quiet_NaN();  // least squares, % / session
  std::string trend;  // "at or above threshold", "toward threshold", "away from threshold",
                      // "no change", "not assessed"
};

struct PainPoint {
  std::string session;
  double before = std::numeric_limits<double>::quiet_NaN();
  double after = std::numeric_limits<double>::quiet_NaN();
  bool positive = false;  // after >= the definition's pain_rating.positive_at
};

struct PainSeries {
  std::string test;
  std::optional<analysis::Side> side = {};
  std::vector<PainPoint> points = {};
  double change_after = std::numeric_limits<double>::quiet_NaN();  // to − from of `after`
  ChangeClass classification = ChangeClass::not_assessed;  // lower is better, vs the important change
};

struct ComparisonReport {
  std::string from_session;
  std::string to_session;
  std::vector<MeasureComparison> measures;
  std::vector<LsiTrend> symmetry;
  std::vector<PainSeries> pain;
  std::vector<std::string> notes;  // tests or measures left out, and why
};

// The patient's own MDC95 from between-trial variability (docs/comparison.md): `per_session`
// holds the trial values of each session; SEM is the pooled within-session SD,
// √(Σ_s Σ_i (x_si − x̄_s)² / Σ_s (n_s − 1)), and MDC95 = 1.96 · √2 · SEM. NaN values are skipped;
// sessions with fewer than 2 values add nothing. source is none when no session has 2 values.
MdcUsed mdc_from_trials(const std::vector<std::vector<double>>& per_session);

// The combined value of trial values (NaN skipped): mean, median, or best (max / min by `better`,
// which must be higher or lower for best). NaN when there is no finite value.
double combine_trials(const std::vector<double>& values, Combine how, Better better);

// Compares the sessions. Throws ComparisonError when: fewer than two sessions; two sessions with
// the same id; sessions out of date order; from / to not found or not in order; a test id not in
// `definitions`; a definition's measure unknown to the catalogue (and without its own "better");
// a trial without a measure its definition lists; a single-leg test without its side or a
// double-leg test with one; the compared sessions having no test in common.
ComparisonReport compare_sessions(const std::vector<SessionRecord>& sessions,
                                  const DefinitionSet& definitions, const MeasureCatalog& catalog,
                                  const MdcTable& mdc, const CompareOptions& options = {});

}  // namespace fp::workflow
