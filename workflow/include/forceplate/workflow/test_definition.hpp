#pragma once
// Clinical tests as data: one JSON file per test (docs/test-definitions.md). A built-in library
// lives in workflow/definitions/ (under version control; its path is compiled in and can be
// overridden), and a clinic can add its own folder, whose definitions replace built-in ones with
// the same id.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "forceplate/workflow/measure_catalog.hpp"

namespace fp::workflow {

enum class Stance { double_leg, left, right, both_sides_alternating };
enum class Eyes { open, closed };
enum class Surface { firm, foam };
// The analyses a test can ask for. Spelled in JSON as "quiet-stance", "single-leg-stance",
// "weight-bearing", "countermovement-jump", "squat-jump", "landing", "drop-jump", "hops".
enum class AnalysisKind {
  quiet_stance,
  single_leg_stance,
  weight_bearing,
  countermovement_jump,
  squat_jump,
  landing,
  drop_jump,
  hops,
};
enum class EndCondition {
  duration,         // after duration_s of recording
  landing_settled,  // after a landing, once the force has settled, plus hold_s (timeout_s: fail)
  hop_count,        // after `count` hops (timeout_s: fail)
};
enum class Combine { mean, best, median };

const char* to_string(Stance s);  // "double", "left", "right", "both-sides-alternating"
const char* to_string(Eyes e);    // "open", "closed"
const char* to_string(Surface s);  // "firm", "foam"
const char* to_string(AnalysisKind a);
const char* to_string(EndCondition e);  // "duration", "landing-settled", "hop-count"
const char* to_string(Combine c);       // "mean", "best", "median"
std::optional<AnalysisKind> analysis_from_string(std::string_view s);
const char* known_analyses();  // "quiet-stance, single-leg-stance, ..." for messages

struct EndRule {
  EndCondition condition = EndCondition::duration;
  double duration_s = 0;  // duration
  double hold_s = 0;      // landing-settled: stand still this long after the landing settled
  double timeout_s = 0;   // landing-settled / hop-count: give up (invalid trial) after this
  int count = 0;          // hop-count
};

// Part of the recording analysed, in seconds from the start of the recording.
struct AnalysisWindow {
  double start_s = 0;
  double end_s = 0;
};

struct MeasureSpec {
  std::string name;
  std::optional<Combine> combine = {};  // overrides the definition's
  std::optional<Better> better = {};    // overrides the catalogue's (needed for unknown measures)
  std::optional<std::string> unit = {};  // display unit, for measures the catalogue lacks
};

// Rules that make a trial invalid (to be redone). Absent rules are not checked.
struct ValidityRules {
  std::optional<int> max_failures = {};              // balance failures (touch-down, step-off)
  std::optional<double> min_time_in_balance_s = {};
  bool require_flight = false;                       // jumps and hops
  bool require_landing = false;                      // landings: a landing must be detected
  std::optional<double> body_weight_tolerance = {};  // |weighed − recorded| / recorded allowed
  std::optional<double> max_time_to_stabilisation_s = {};
};

enum class ThresholdKind {
  measure,  // the combined value of `measure`
  lsi,      // the limb symmetry index of `measure`, oriented so that higher is better (%)
  pain,     // the pain rating at the end of the test (0–10)
};
enum class Comparison { greater_equal, greater, less_equal, less };
const char* to_string(ThresholdKind k);  // "measure", "lsi", "pain"
const char* to_string(Comparison c);     // ">=", ">", "<=", "<"
bool satisfies(double value, Comparison op, double threshold);  // false for NaN

struct PassThreshold {
  ThresholdKind kind = ThresholdKind::measure;
  std::string measure = {};  // for measure / lsi
  Comparison op = Comparison::greater_equal;
  double value = 0;
  std::string source = {};  // where the threshold comes from
};

struct PainRating {
  std::string when = "end-of-trial";  // "end-of-trial" or "end-of-test"
  std::string question = {};         // read to the patient
  double positive_at = 2;            // the test is positive at a rating >= this (0–10 scale)
};

struct TestDefinition {
  std::string id;            // unique, lower-case-with-dashes, e.g. "single-leg-stance-eyes-open"
  std::string name;          // shown to the clinician
  std::string instructions;  // shown to the patient
  Stance stance = Stance::double_leg;
  Eyes eyes = Eyes::open;
  Surface surface = Surface::firm;
  int plates = 1;
  EndRule end = {};
  int trials = 1;  // per side
  double rest_s = 0;
  AnalysisKind analysis = AnalysisKind::quiet_stance;
  std::optional<AnalysisWindow> window = {};
  std::vector<MeasureSpec> measures = {};
  Combine combine = Combine::mean;
  ValidityRules validity = {};
  std::vector<PassThreshold> pass = {};
  std::optional<PainRating> pain_rating = {};
  std::vector<std::string> references = {};
  std::filesystem::path file = {};  // where it was loaded from

  const MeasureSpec* find_measure(std::string_view name) const;
  Combine combine_for(std::string_view measure) const;
};

// One refused file: "<file>: <field>: <problem>".
struct DefinitionError {
  std::filesystem::path file;
  std::string field;  // "end.duration_s", "measures[2].name"; "" for the file as a whole
  std::string problem;
  std::string message() const;
};

// Thrown by parse_definition; carries the structured error.
class DefinitionParseError : public std::runtime_error {
 public:
  explicit DefinitionParseError(DefinitionError e);
  const DefinitionError& error() const { return error_; }

 private:
  DefinitionError error_;
};

struct DefinitionSet {
  std::vector<TestDefinition> definitions;  // sorted by id
  std::vector<DefinitionError> errors;      // one per refused file
  std::vector<std::string> notes;           // overrides of a built-in definition, and the like
  const TestDefinition* find(std::string_view id) const;
};

// Parses and validates one definition. Measures must be known to `catalog` unless their spec
// gives "better" and "unit"; "best" needs a direction. Throws DefinitionParseError.
TestDefinition parse_definition(const nlohmann::json& j, const std::filesystem::path& file,
                                const MeasureCatalog& catalog = MeasureCatalog::built_in());

// Loads every *.json in each folder, in order (files within a folder in name order), except
// mdc.json (the MDC table, see measure_catalog.hpp). A definition in a later folder with the id
// of one in an earlier folder replaces it, with a note saying so; the same id twice in one folder
// is an error for the second file. A folder that does not exist is an error; a refused file does
// not stop the others.
DefinitionSet load_definitions(const std::vector<std::filesystem::path>& dirs,
                               const MeasureCatalog& catalog = MeasureCatalog::built_in());

// The built-in library: the environment variable FP_DEFINITIONS_DIR if set and not empty,
// otherwise the source folder compiled in (workflow/definitions).
std::filesystem::path built_in_definitions_dir();

}  // namespace fp::workflow
