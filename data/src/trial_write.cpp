#include <string>
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
}

void write_samples(hid_t file, const Trial& trial) {
  const hsize_t n = trial.sample_count();
  const Dims by_cell{n, static_cast<hsize_t>(trial.total_cells())};
  const Dims by_plate{n, static_cast<hsize_t>(trial.plate_count())};
  h5::create_group(file, "/samples", "Time series, one row per sample delivered by the device");
  h5::write_array(file,
                  {"/samples/sequence",
                   "Device sample number, unwrapped; consecutive except across the runs listed in /gaps", ""},
                  {n}, Storage::Compressed, trial.sequence);
  h5::write_array(file, {"/samples/time", "Device time since the first sample", "s"}, {n},
                  Storage::Compressed, trial.time_s);
  h5::write_array(file,
                  {"/samples/counts",
                   "Raw ADC counts per load cell; column = plate * cells_per_plate + cell", "counts"},
                  by_cell, Storage::Compressed, trial.counts);
  h5::write_array(file,
                  {"/samples/cell_force",
                   "Vertical force per load cell from counts, gain and offset; columns as in counts", "N"},
                  by_cell, Storage::Compressed, trial.cell_force_n);
  h5::write_array(file, {"/samples/fz", "Total vertical force per plate; column = plate", "N"}, by_plate,
                  Storage::Compressed, trial.fz_n);
  h5::write_array(file,
                  {"/samples/cop_x",
                   "Centre of pressure x (mediolateral, positive to the patient's right) from the plate "
                   "centre; column = plate; NaN where the plate carries too little force",
                   "m"},
                  by_plate, Storage::Compressed, trial.cop_x_m);
  h5::write_array(file,
                  {"/samples/cop_y",
                   "Centre of pressure y (anteroposterior, positive forward) from the plate centre; "
                   "column = plate; NaN where the plate carries too little force",
                   "m"},
                  by_plate, Storage::Compressed, trial.cop_y_m);
  // Optional (added in schema version 1 without a version change): only when the source measured them.
  if (!trial.fx_n.empty()) {
    h5::write_array(file,
                    {"/samples/fx",
                     "Horizontal force x (mediolateral, positive to the patient's right) on each plate; "
                     "column = plate",
                     "N"},
                    by_plate, Storage::Compressed, trial.fx_n);
  }
  if (!trial.fy_n.empty()) {
    h5::write_array(file,
                    {"/samples/fy",
                     "Horizontal force y (anteroposterior, positive forward) on each plate; column = plate", "N"},
                    by_plate, Storage::Compressed, trial.fy_n);
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
                         "; attributes width (x extent) and length (y extent) of its outline in m");
    h5::write_attribute(file, group, "width", plate.width_m);
    h5::write_attribute(file, group, "length", plate.length_m);
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

}  // namespace

void write_trial_contents(hid_t file, const Trial& trial) {
  write_root_attributes(file, trial);
  write_samples(file, trial);
  write_plates(file, trial);
  write_gaps(file, trial);
  write_results(file, trial);
  write_import_notes(file, trial);
}

}  // namespace fp::data
