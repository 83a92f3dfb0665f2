#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "forceplate/data/trial_file.hpp"
#include "h5_io.hpp"
#include "trial_schema.hpp"

namespace fp::data {

namespace {

using h5::Dims;
using h5::Storage;

void write_root_attributes(hid_t file, const Trial& trial) {
  h5::write_attribute(file, ".", "schema_version", std::int32_t{kTrialSchemaVersion});
  h5::write_attribute(file, ".", "description",
                      std::string("Force plate trial from the forceplate open clinical force-plate "
                                  "system; layout in its docs/archive.md"));
  h5::write_attribute(file, ".", "software_version", trial.software_version);
  h5::write_attribute(file, ".", "test_name", trial.test_name);
  h5::write_attribute(file, ".", "start_time_utc", trial.start_time_utc);
  h5::write_attribute(file, ".", "sample_rate_hz", trial.sample_rate_hz);
  h5::write_attribute(file, ".", "cells_per_plate", std::int32_t{trial.cells_per_plate});
  h5::write_attribute(file, ".", "plate_count", std::int32_t{trial.plate_count()});
  h5::write_attribute(file, ".", "analysis_version", trial.analysis_version);
  h5::write_attribute(file, ".", "device_serial", trial.device.serial);
  h5::write_attribute(file, ".", "firmware_version", trial.device.firmware_version);
  h5::write_attribute(file, ".", "protocol_version",
                      std::to_string(trial.device.protocol_major) + "." +
                          std::to_string(trial.device.protocol_minor));
  h5::write_attribute(file, ".", "adc_bits", std::int32_t{trial.device.adc_bits});
  h5::write_attribute(file, ".", "complete", std::int32_t{trial.complete ? 1 : 0});
  if (!trial.recovered_from_journal.empty()) {
    h5::write_attribute(file, ".", "recovered_from_journal", trial.recovered_from_journal);
  }
}

void write_import_notes(hid_t file, const Trial& trial) {
  if (trial.import_notes.empty()) return;
  h5::write_strings(file,
                    {"/import_notes",
                     "How this trial was imported from another system's export: source file, layout, "
                     "conversions, columns ignored; one sentence per row",
                     ""},
                    trial.import_notes);
}

void write_plates(hid_t file, const Trial& trial) {
  h5::create_group(file, "/plates", "Geometry and calibration of each plate, one subgroup per plate");
  const Dims cells{static_cast<hsize_t>(trial.cells_per_plate)};
  for (std::size_t k = 0; k < trial.plates.size(); ++k) {
    const PlateInfo& plate = trial.plates[k];
    const std::string group = "/plates/" + std::to_string(k);
    h5::create_group(file, group,
                     "Plate " + std::to_string(k) +
                         "; attributes width (x extent) and length (y extent) of its outline in m, origin_x and "
                         "origin_y: its centre in the common frame of all plates, in m");
    h5::write_attribute(file, group, "width", plate.width_m);
    h5::write_attribute(file, group, "length", plate.length_m);
    h5::write_attribute(file, group, "origin_x", plate.origin_x_m);
    h5::write_attribute(file, group, "origin_y", plate.origin_y_m);
    h5::write_array(file, {group + "/cell_x", "Load cell x position from the plate centre", "m"}, cells,
                    Storage::Contiguous, plate.cell_x_m);
    h5::write_array(file, {group + "/cell_y", "Load cell y position from the plate centre", "m"}, cells,
                    Storage::Contiguous, plate.cell_y_m);
    h5::write_array(file,
                    {group + "/gain", "Load cell calibration gain: force = gain * (counts - offset)",
                     "N/count"},
                    cells, Storage::Contiguous, plate.gain_n_per_count);
    h5::write_array(file, {group + "/offset", "Load cell zero offset (counts at no load)", "counts"},
                    cells, Storage::Contiguous, plate.offset_counts);
  }
}

void write_gaps(hid_t file, const Trial& trial) {
  std::vector<std::uint64_t> first;
  std::vector<std::uint64_t> count;
  std::vector<std::string> reason;
  for (const Gap& gap : trial.gaps) {
    first.push_back(gap.first_missing_sequence);
    count.push_back(gap.count);
    reason.push_back(gap.reason);
  }
  const Dims rows{trial.gaps.size()};
  h5::create_group(file, "/gaps", "Runs of samples the device never delivered, one row per run");
  h5::write_array(file, {"/gaps/first_missing_sequence", "Sequence number of the first missing sample", ""},
                  rows, Storage::Contiguous, first);
  h5::write_array(file, {"/gaps/count", "Number of consecutive missing samples", ""}, rows,
                  Storage::Contiguous, count);
  h5::write_strings(file, {"/gaps/reason", "Why the samples are missing", ""}, reason);
}

void write_results(hid_t file, const Trial& trial) {
  std::vector<std::string> name;
  std::vector<double> value;
  std::vector<std::string> unit;
  for (const Measurement& result : trial.results) {
    name.push_back(result.name);
    value.push_back(result.value);
    unit.push_back(result.unit);
  }
  h5::create_group(file, "/results",
                   "Analysis results stored with the trial, one row per measure; see analysis_version");
  h5::write_strings(file, {"/results/name", "Measure name (snake_case)", ""}, name);
  h5::write_array(file, {"/results/value", "Measure value, in the unit of the same row of unit", ""},
                  Dims{trial.results.size()}, Storage::Contiguous, value);
  h5::write_strings(file, {"/results/unit", "Unit of the value in the same row", ""}, unit);
}

// Clinical context: optional objects, written only when the trial has them (added in schema
// version 1 without a version change; readers treat absence as empty).
void write_clinical(hid_t file, const Trial& trial) {
  if (!trial.side.empty()) h5::write_attribute(file, ".", "side", trial.side);
  if (!trial.notes.empty()) h5::write_attribute(file, ".", "notes", trial.notes);
  if (!trial.invalid_reason.empty()) h5::write_attribute(file, ".", "invalid_reason", trial.invalid_reason);
  if (!trial.test_definition.empty()) {
    h5::write_strings(file, {"/test_definition", "The test definition as run (JSON, one row)", ""},
                      {trial.test_definition});
  }
  if (!trial.runner_events.empty()) {
    std::vector<double> time;
    std::vector<std::string> state, message;
    for (const RunnerEvent& e : trial.runner_events) {
      time.push_back(e.device_time_s);
      state.push_back(e.state);
      message.push_back(e.message);
    }
    h5::create_group(file, "/runner_events", "State changes of the trial runner, one row per change, in order");
    h5::write_array(file, {"/runner_events/time", "Device time of the change", "s"}, Dims{time.size()},
                    Storage::Contiguous, time);
    h5::write_strings(file, {"/runner_events/state", "State entered", ""}, state);
    h5::write_strings(file, {"/runner_events/message", "What happened", ""}, message);
  }
  if (!trial.pain.empty()) {
    std::vector<std::string> when;
    std::vector<std::int32_t> rating;
    for (const PainRating& p : trial.pain) {
      when.push_back(p.when);
      rating.push_back(p.rating);
    }
    h5::create_group(file, "/pain", "Pain ratings given by the patient (0-10 numeric rating scale)");
    h5::write_strings(file, {"/pain/when", "When: before, after (the test) or end-of-trial", ""}, when);
    h5::write_array(file, {"/pain/rating", "Rating, 0 (no pain) to 10 (worst imaginable)", ""},
                    Dims{rating.size()}, Storage::Contiguous, rating);
  }
  if (!trial.analysis_processing.empty()) {
    h5::write_strings(file,
                      {"/results/processing",
                       "What the analysis did before its measures (filter, window, methods), in order", ""},
                      trial.analysis_processing);
  }
  if (!trial.analysis_warnings.empty()) {
    h5::write_strings(file, {"/results/warnings", "Warnings of the analysis, one per row", ""},
                      trial.analysis_warnings);
  }
}

}  // namespace

// --- /samples ---

namespace {

// One dataset of /samples: created growing when it has columns; with zero columns (the per-cell
// arrays of a trial without cells) only at finish(), contiguous, because HDF5 cannot chunk it.
template <class T>
class SampleColumn {
 public:
  // `columns` 0 with `two_dimensional` false: shape (n,); otherwise (n, columns).
  SampleColumn(hid_t file, h5::DatasetSpec spec, bool two_dimensional, hsize_t columns, hsize_t expected_rows)
      : file_(file), spec_(std::move(spec)), two_dimensional_(two_dimensional), columns_(columns) {
    if (!two_dimensional_ || columns_ > 0) {
      dataset_ = h5::create_growing_array<T>(file_, spec_, two_dimensional_ ? Dims{columns_} : Dims{},
                                             expected_rows);
    }
  }

  void append(hsize_t rows_before, hsize_t rows, std::span<const T> values) {
    const hsize_t row_elements = two_dimensional_ ? columns_ : 1;
    if (values.size() != rows * row_elements) {
      throw h5::Failure("cannot write dataset " + spec_.path + ": " + std::to_string(values.size()) +
                        " values for " + std::to_string(rows) + " rows of " + std::to_string(row_elements));
    }
    if (row_elements == 0) return;
    h5::append_rows<T>(dataset_.get(), spec_.path, rows_before, rows, row_elements, values.data());
  }

  void finish(hsize_t rows) {
    if (dataset_.get() < 0) {
      h5::write_array(file_, spec_, {rows, 0}, h5::Storage::Compressed, std::vector<T>{});
    }
  }

 private:
  hid_t file_;
  h5::DatasetSpec spec_;
  bool two_dimensional_;
  hsize_t columns_;
  h5::Handle dataset_;
};

}  // namespace

struct SampleWriter::Columns {
  SampleColumn<std::uint64_t> sequence;
  SampleColumn<double> time;
  SampleColumn<std::int32_t> counts;
  SampleColumn<double> cell_force;
  SampleColumn<double> fz;
  SampleColumn<double> cop_x;
  SampleColumn<double> cop_y;
  std::optional<SampleColumn<double>> fx;
  std::optional<SampleColumn<double>> fy;
};

SampleWriter::SampleWriter(hid_t file, const SampleLayout& layout, hsize_t expected_rows) {
  const auto plates = static_cast<hsize_t>(layout.plate_count);
  const hsize_t cells = plates * static_cast<hsize_t>(layout.cells_per_plate);
  h5::create_group(file, "/samples", "Time series, one row per sample delivered by the device");
  const hsize_t n = expected_rows;
  columns_.reset(new Columns{
      {file,
       {"/samples/sequence",
        "Device sample number, unwrapped; consecutive except across the runs listed in /gaps", ""},
       false, 0, n},
      {file, {"/samples/time", "Device time since the first sample", "s"}, false, 0, n},
      {file,
       {"/samples/counts", "Raw ADC counts per load cell; column = plate * cells_per_plate + cell", "counts"},
       true, cells, n},
      {file,
       {"/samples/cell_force",
        "Vertical force per load cell from counts, gain and offset; columns as in counts", "N"},
       true, cells, n},
      {file, {"/samples/fz", "Total vertical force per plate; column = plate", "N"}, true, plates, n},
      {file,
       {"/samples/cop_x",
        "Centre of pressure x (mediolateral, positive to the patient's right) from the plate "
        "centre; column = plate; NaN where the plate carries too little force",
        "m"},
       true, plates, n},
      {file,
       {"/samples/cop_y",
        "Centre of pressure y (anteroposterior, positive forward) from the plate centre; "
        "column = plate; NaN where the plate carries too little force",
        "m"},
       true, plates, n},
      std::nullopt,
      std::nullopt});
  // Optional (added in schema version 1 without a version change): only when the source measured them.
  if (layout.fx) {
    columns_->fx.emplace(file,
                         h5::DatasetSpec{"/samples/fx",
                                         "Horizontal force x (mediolateral, positive to the patient's right) "
                                         "on each plate; column = plate",
                                         "N"},
                         true, plates, n);
  }
  if (layout.fy) {
    columns_->fy.emplace(
        file,
        h5::DatasetSpec{"/samples/fy",
                        "Horizontal force y (anteroposterior, positive forward) on each plate; column = plate", "N"},
        true, plates, n);
  }
}

SampleWriter::~SampleWriter() = default;

void SampleWriter::append(const SampleRows& rows) {
  const hsize_t n = rows.count;
  if (n == 0) return;
  Columns& c = *columns_;
  c.sequence.append(rows_, n, rows.sequence);
  c.time.append(rows_, n, rows.time_s);
  c.counts.append(rows_, n, rows.counts);
  c.cell_force.append(rows_, n, rows.cell_force_n);
  c.fz.append(rows_, n, rows.fz_n);
  c.cop_x.append(rows_, n, rows.cop_x_m);
  c.cop_y.append(rows_, n, rows.cop_y_m);
  if (c.fx) c.fx->append(rows_, n, rows.fx_n);
  if (c.fy) c.fy->append(rows_, n, rows.fy_n);
  rows_ += n;
}

void SampleWriter::finish() {
  Columns& c = *columns_;
  c.counts.finish(rows_);
  c.cell_force.finish(rows_);
}

SampleRows sample_rows_of(const Trial& trial) {
  return {trial.sample_count(), trial.sequence, trial.time_s, trial.counts, trial.cell_force_n,
          trial.fz_n,           trial.cop_x_m,  trial.cop_y_m, trial.fx_n,  trial.fy_n};
}

void write_trial_metadata(hid_t file, const Trial& trial) {
  write_root_attributes(file, trial);
  write_plates(file, trial);
  write_gaps(file, trial);
  write_results(file, trial);
  write_import_notes(file, trial);
  write_clinical(file, trial);
}

void write_trial_contents(hid_t file, const Trial& trial) {
  write_trial_metadata(file, trial);
  const SampleLayout layout{trial.plate_count(), trial.cells_per_plate, !trial.fx_n.empty(), !trial.fy_n.empty()};
  SampleWriter samples(file, layout, trial.sample_count());
  samples.append(sample_rows_of(trial));
  samples.finish();
}

}  // namespace fp::data
