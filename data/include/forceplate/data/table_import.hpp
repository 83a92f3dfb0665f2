#pragma once
// Importing recordings made on other force plates (text tables: CSV, TSV, whitespace) as Trials, so
// they can be analysed, compared and replayed like this system's own. The generic format, the layouts
// of the known datasets and the conventions (units, axes, COP from moments) are in docs/import.md.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "forceplate/data/trial.hpp"

namespace fp::data {

// One line: "cannot import '<file>': line N[, column C]: <problem>".
class ImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ImportOptions {
  // Sample rate, Hz. Required when the file has no time column (and states no rate); when it has one,
  // 0 means "derive it", and a non-zero value must agree with the time column within 1 %.
  double rate_hz = 0;
  std::string test_name;        // stored as Trial::test_name
  std::string layout = "auto";  // "auto" (detected from the first lines) or one of import_layouts()
};

// The layouts ImportOptions::layout accepts besides "auto": "generic", "hbedb", "amti-optitrack",
// "kistler-raw", "bmc-grf", "fz-column", "vj-dual".
const std::vector<std::string>& import_layouts();

// Below this vertical force (per plate) the centre of pressure is NaN, as in recorded trials.
inline constexpr double kImportCopMinForceN = 20.0;

// Reads the file into a Trial in SI units: cells_per_plate = 0 and no per-cell data; fz, COP and
// (when the file has them) fx, fy per plate; NaN for fz when the file has no force, for COP when it has
// none or the plate carries less than kImportCopMinForceN. Trial::import_notes says how the file was
// read (layout, units, columns ignored, rate source). Throws ImportError.
Trial import_table(const std::filesystem::path& path, const ImportOptions& options);

// Any recording a user may hand us: this program's HDF5 trial (.h5, .hdf5) or a table that
// import_table reads. Throws TrialFileError or ImportError naming the file and the problem.
Trial load_recording(const std::filesystem::path& path, const ImportOptions& options);

}  // namespace fp::data
