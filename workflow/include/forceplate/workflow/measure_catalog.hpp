#pragma once
// What the workflow knows about each measure it reports: which way is "better", the unit it is
// shown in, and (separately, from a JSON file) published minimal detectable changes (MDC95) with
// their citations. All values here are in DISPLAY units (mm, mm/s, m, BW, %, s ...), the units in
// which session results are stored and shown; see analysis::to_display().
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fp::workflow {

// Direction of improvement of a measure.
enum class Better {
  none,              // no direction (descriptive: body weight, frequencies, phase durations)
  lower,             // e.g. sway path length, peak landing force, time to stabilisation
  higher,            // e.g. jump height, time in balance
  closer_to_target,  // e.g. load on the left limb, target 50 %
};
const char* to_string(Better b);  // "none", "lower", "higher", "closer-to-target"
std::optional<Better> better_from_string(std::string_view s);

struct MeasureInfo {
  std::string name;
  Better better = Better::none;
  double target = std::numeric_limits<double>::quiet_NaN();  // closer_to_target only
  std::string unit;  // display unit: "mm", "mm/s", "m", "BW", "BW/s", "s", "%", "" ...
  std::string description = {};
};

// The measures of analysis/ (docs/metrics.md) and of the landing / drop-jump / hop analyses, with
// their directions. Extendable by the caller (add) or per test definition (a measure spec that
// gives "better" and "unit").
class MeasureCatalog {
 public:
  static MeasureCatalog built_in();
  const MeasureInfo* find(std::string_view name) const;
  void add(MeasureInfo info);  // replaces an entry of the same name
  const std::vector<MeasureInfo>& measures() const { return measures_; }

 private:
  std::vector<MeasureInfo> measures_;
};

// A published MDC95 for one measure, optionally only for one test (definition id) or one
// analysis kind (e.g. "countermovement-jump"): the same measure name can mean different things in
// different tests (jump height in a CMJ and in a drop jump).
struct PublishedMdc {
  std::string measure;
  std::string test = {};      // definition id it applies to; empty: any
  std::string analysis = {};  // analysis kind it applies to; empty: any
  double mdc95 = 0;           // display units, > 0
  std::string unit;           // display unit of mdc95 (must match the catalogue's)
  std::string source;         // full citation
  std::string note = {};      // population, protocol, how the value was derived
};

class MdcTableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The MDC table: a JSON file {"entries": [{"measure", "test"?, "analysis"?, "mdc95", "unit",
// "source", "note"?}, ...]} (docs/comparison.md). Entries without a citation are refused.
class MdcTable {
 public:
  // Throws MdcTableError naming the file, the field (entries[2].mdc95) and the problem.
  static MdcTable load(const std::filesystem::path& file);
  static MdcTable from_json(const nlohmann::json& j, const std::string& origin);
  // The most specific entry: test match, then analysis match, then a generic one; nullptr if none.
  const PublishedMdc* find(std::string_view measure, std::string_view test,
                           std::string_view analysis) const;
  // Adds, or replaces the entry with the same (measure, test, analysis).
  void add(PublishedMdc entry);
  // Entries of `other` replace or extend this table's (a clinic's table over the built-in one).
  void merge(const MdcTable& other);
  const std::vector<PublishedMdc>& entries() const { return entries_; }

 private:
  std::vector<PublishedMdc> entries_;
};

// The built-in MDC table: <built_in_definitions_dir()>/mdc.json.
std::filesystem::path built_in_mdc_table();

}  // namespace fp::workflow
