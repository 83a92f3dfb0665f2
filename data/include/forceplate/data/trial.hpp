#pragma once
// One recorded trial as it is stored: the raw counts and everything needed to recompute from them.
// Plain vectors and strings only, so that data/ does not depend on the acquisition code.
// A trial imported from another system's export (table_import.hpp) has no cells: cells_per_plate = 0,
// empty per-cell arrays, and only the per-plate series the source file held.
#include <cstdint>
#include <string>
#include <vector>

namespace fp::data {

struct PlateInfo {
  std::vector<double> cell_x_m;   // per cell, relative to the plate centre (x mediolateral)
  std::vector<double> cell_y_m;   // per cell (y anteroposterior)
  double width_m = 0;             // outline, x extent
  double length_m = 0;            // outline, y extent
  // Where the plate's centre lies in the common frame of all plates (two plates: the left one at
  // negative x). Files written before this was stored read as 0; see plate_origins_known().
  double origin_x_m = 0;
  double origin_y_m = 0;
  std::vector<double> gain_n_per_count;  // per cell
  std::vector<double> offset_counts;     // per cell
};

struct DeviceInfo {
  std::string serial;
  std::string firmware_version;
  int protocol_major = 0;
  int protocol_minor = 0;
  int adc_bits = 0;
};

// A run of samples the device never delivered (sequence jump, device-reported drop, corrupt frame).
struct Gap {
  std::uint64_t first_missing_sequence = 0;
  std::uint64_t count = 0;
  std::string reason;
};

struct Measurement {
  std::string name;  // snake_case
  double value = 0;  // in `unit`
  std::string unit;  // display unit, as in the JSON output ("mm", "mm/s", ...)
};

// A moment of the trial runner (workflow/trial_runner.hpp): a state it entered, at device time.
struct RunnerEvent {
  double device_time_s = 0;
  std::string state;    // e.g. "recording", "result"
  std::string message;  // what happened, for a person
};

// A pain rating the patient gave, 0-10 (numeric rating scale).
struct PainRating {
  std::string when;  // "before", "after" (the test), "end-of-trial"
  int rating = 0;
};

struct Trial {
  // metadata
  std::string test_name;        // e.g. "quiet-stance"
  std::string start_time_utc;   // ISO 8601, e.g. "2026-11-22T10:00:00Z"
  std::string software_version;
  double sample_rate_hz = 0;    // nominal device rate
  int cells_per_plate = 4;      // 0 for an imported trial (no load-cell data)
  DeviceInfo device;
  std::vector<PlateInfo> plates;  // 1 or 2

  // time series, n samples; per-cell and per-plate arrays are row-major (sample, cell|plate)
  std::vector<std::uint64_t> sequence;  // device sample number (unwrapped)
  std::vector<double> time_s;           // device time since the first sample
  std::vector<std::int32_t> counts;     // n x total_cells
  std::vector<double> cell_force_n;     // n x total_cells
  std::vector<double> fz_n;             // n x plates
  std::vector<double> cop_x_m;          // n x plates, NaN where the plate carries too little force
  std::vector<double> cop_y_m;          // n x plates
  // Horizontal force per plate (x mediolateral, y anteroposterior), n x plates; empty when not measured
  // (this system's plates measure vertical force only; some imported recordings have them).
  std::vector<double> fx_n;
  std::vector<double> fy_n;

  std::vector<Gap> gaps;
  std::vector<Measurement> results;     // analysis results stored with the trial
  std::string analysis_version;
  // How an imported trial was read: source file, layout, unit conversions, columns ignored, rate
  // source, anything suspicious in the source. Empty for trials recorded by this system.
  std::vector<std::string> import_notes;

  // false for a trial recovered from an interrupted recording (journal.hpp): its samples stop where
  // the recording was cut off. Stored as the root attribute `complete` (absent in older files: true).
  bool complete = true;

  // Clinical context (all optional; empty for trials recorded or imported outside a session):
  std::string side;             // the side tested: "left", "right"; empty for double-leg tests
  std::string test_definition;  // the test definition as run (JSON text, docs/test-definitions.md)
  std::vector<RunnerEvent> runner_events;  // the trial runner's state changes, in order
  std::vector<PainRating> pain;
  std::string notes;            // the clinician's notes on this trial (identifying: never exported
                                // to research)
  std::string invalid_reason;   // why the trial was judged invalid; empty: valid or not judged
  // What the analysis did before its measures (filter, window, methods), and its warnings.
  std::vector<std::string> analysis_processing;
  std::vector<std::string> analysis_warnings;
  // For a trial converted from a journal that was interrupted or damaged: what was found and what was
  // lost, one or more sentences (root attribute `recovered_from_journal`). Empty otherwise.
  std::string recovered_from_journal;

  std::size_t sample_count() const { return sequence.size(); }
  int plate_count() const { return static_cast<int>(plates.size()); }
  int total_cells() const { return plate_count() * cells_per_plate; }
};

}  // namespace fp::data
