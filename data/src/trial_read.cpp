#include <limits>
#include <string>

#include "h5_io.hpp"
#include "trial_schema.hpp"

namespace fp::data {

namespace {

using h5::Dims;

int read_small_int(hid_t file, const char* name, std::int64_t min, std::int64_t max) {
  const std::int64_t value = h5::read_int_attribute(file, ".", name);
  if (value < min || value > max) {
    throw h5::Failure("attribute '" + std::string(name) + "' is " + std::to_string(value) +
                      ", expected " + std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<int>(value);
}

// "major.minor" with both parts non-negative integers.
void parse_protocol_version(const std::string& text, DeviceInfo& device) {
  const auto dot = text.find('.');
  const auto all_digits = [](const std::string& part) {
    return !part.empty() && part.size() < 10 && part.find_first_not_of("0123456789") == std::string::npos;
  };
  const std::string major = dot == std::string::npos ? text : text.substr(0, dot);
  const std::string minor = dot == std::string::npos ? std::string() : text.substr(dot + 1);
  if (!all_digits(major) || !all_digits(minor)) {
    throw h5::Failure("attribute 'protocol_version' is '" + text + "', expected \"major.minor\"");
  }
  device.protocol_major = std::stoi(major);
  device.protocol_minor = std::stoi(minor);
}

void read_root_attributes(hid_t file, Trial& trial) {
  constexpr auto kIntMax = std::numeric_limits<int>::max();
  trial.software_version = h5::read_string_attribute(file, ".", "software_version");
  trial.test_name = h5::read_string_attribute(file, ".", "test_name");
  trial.start_time_utc = h5::read_string_attribute(file, ".", "start_time_utc");
  trial.sample_rate_hz = h5::read_double_attribute(file, ".", "sample_rate_hz");
  trial.cells_per_plate = read_small_int(file, "cells_per_plate", 0, kIntMax);  // 0: imported, no cells
  trial.analysis_version = h5::read_string_attribute(file, ".", "analysis_version");
  trial.device.serial = h5::read_string_attribute(file, ".", "device_serial");
  trial.device.firmware_version = h5::read_string_attribute(file, ".", "firmware_version");
  parse_protocol_version(h5::read_string_attribute(file, ".", "protocol_version"), trial.device);
  trial.device.adc_bits = read_small_int(file, "adc_bits", 0, kIntMax);
  // Added in schema version 1 without a version change: files written before are complete.
  if (h5::has_attribute(file, ".", "complete")) trial.complete = read_small_int(file, "complete", 0, 1) == 1;
  if (h5::has_attribute(file, ".", "recovered_from_journal")) {
    trial.recovered_from_journal = h5::read_string_attribute(file, ".", "recovered_from_journal");
  }
}

void read_plates(hid_t file, int plate_count, Trial& trial) {
  const Dims cells{static_cast<hsize_t>(trial.cells_per_plate)};
  for (int k = 0; k < plate_count; ++k) {
    const std::string group = "/plates/" + std::to_string(k);
    PlateInfo plate;
    plate.width_m = h5::read_double_attribute(file, group, "width");
    plate.length_m = h5::read_double_attribute(file, group, "length");
    if (h5::has_attribute(file, group, "origin_x")) plate.origin_x_m = h5::read_double_attribute(file, group, "origin_x");
    if (h5::has_attribute(file, group, "origin_y")) plate.origin_y_m = h5::read_double_attribute(file, group, "origin_y");
    plate.cell_x_m = h5::read_array<double>(file, group + "/cell_x", cells);
    plate.cell_y_m = h5::read_array<double>(file, group + "/cell_y", cells);
    plate.gain_n_per_count = h5::read_array<double>(file, group + "/gain", cells);
    plate.offset_counts = h5::read_array<double>(file, group + "/offset", cells);
    trial.plates.push_back(std::move(plate));
  }
}

void read_samples(hid_t file, Trial& trial) {
  const Dims sequence_dims = h5::dataset_dims(file, "/samples/sequence");
  if (sequence_dims.size() != 1) {
    throw h5::Failure("dataset /samples/sequence has shape " + h5::dims_text(sequence_dims) +
                      ", expected one dimension");
  }
  const hsize_t n = sequence_dims[0];
  const hsize_t plates = trial.plates.size();
  // In hsize_t, not int: cells_per_plate comes from the file.
  const Dims by_cell{n, plates * static_cast<hsize_t>(trial.cells_per_plate)};
  const Dims by_plate{n, plates};
  trial.sequence = h5::read_array<std::uint64_t>(file, "/samples/sequence", {n});
  trial.time_s = h5::read_array<double>(file, "/samples/time", {n});
  trial.counts = h5::read_array<std::int32_t>(file, "/samples/counts", by_cell);
  trial.cell_force_n = h5::read_array<double>(file, "/samples/cell_force", by_cell);
  trial.fz_n = h5::read_array<double>(file, "/samples/fz", by_plate);
  trial.cop_x_m = h5::read_array<double>(file, "/samples/cop_x", by_plate);
  trial.cop_y_m = h5::read_array<double>(file, "/samples/cop_y", by_plate);
  // Optional datasets: absent in recordings of plates that measure vertical force only.
  if (h5::has_object(file, "/samples/fx")) trial.fx_n = h5::read_array<double>(file, "/samples/fx", by_plate);
  if (h5::has_object(file, "/samples/fy")) trial.fy_n = h5::read_array<double>(file, "/samples/fy", by_plate);
}

hsize_t row_count(hid_t file, const std::string& path) {
  const Dims dims = h5::dataset_dims(file, path);
  if (dims.size() != 1) {
    throw h5::Failure("dataset " + path + " has shape " + h5::dims_text(dims) + ", expected one dimension");
  }
  return dims[0];
}

void read_gaps(hid_t file, Trial& trial) {
  const hsize_t rows = row_count(file, "/gaps/first_missing_sequence");
  const auto first = h5::read_array<std::uint64_t>(file, "/gaps/first_missing_sequence", {rows});
  const auto count = h5::read_array<std::uint64_t>(file, "/gaps/count", {rows});
  const auto reason = h5::read_strings(file, "/gaps/reason", rows);
  for (std::size_t i = 0; i < rows; ++i) trial.gaps.push_back({first[i], count[i], reason[i]});
}

void read_results(hid_t file, Trial& trial) {
  const hsize_t rows = row_count(file, "/results/name");
  const auto name = h5::read_strings(file, "/results/name", rows);
  const auto value = h5::read_array<double>(file, "/results/value", {rows});
  const auto unit = h5::read_strings(file, "/results/unit", rows);
  for (std::size_t i = 0; i < rows; ++i) trial.results.push_back({name[i], value[i], unit[i]});
}

std::string optional_string_attribute(hid_t file, const char* name) {
  return h5::has_attribute(file, ".", name) ? h5::read_string_attribute(file, ".", name) : std::string();
}

std::vector<std::string> optional_strings(hid_t file, const std::string& group, const std::string& path) {
  if (!group.empty() && !h5::has_object(file, group)) return {};
  if (!h5::has_object(file, path)) return {};
  return h5::read_strings(file, path, row_count(file, path));
}

void read_clinical(hid_t file, Trial& trial) {
  trial.side = optional_string_attribute(file, "side");
  trial.notes = optional_string_attribute(file, "notes");
  trial.invalid_reason = optional_string_attribute(file, "invalid_reason");
  const auto definition = optional_strings(file, "", "/test_definition");
  if (definition.size() > 1) throw h5::Failure("dataset /test_definition has more than one row");
  if (!definition.empty()) trial.test_definition = definition[0];
  if (h5::has_object(file, "/runner_events")) {
    const hsize_t rows = row_count(file, "/runner_events/time");
    const auto time = h5::read_array<double>(file, "/runner_events/time", {rows});
    const auto state = h5::read_strings(file, "/runner_events/state", rows);
    const auto message = h5::read_strings(file, "/runner_events/message", rows);
    for (std::size_t i = 0; i < rows; ++i) trial.runner_events.push_back({time[i], state[i], message[i]});
  }
  if (h5::has_object(file, "/pain")) {
    const hsize_t rows = row_count(file, "/pain/when");
    const auto when = h5::read_strings(file, "/pain/when", rows);
    const auto rating = h5::read_array<std::int32_t>(file, "/pain/rating", {rows});
    for (std::size_t i = 0; i < rows; ++i) {
      if (rating[i] < 0 || rating[i] > 10) {
        throw h5::Failure("dataset /pain/rating row " + std::to_string(i) + " is " + std::to_string(rating[i]) +
                          ", expected 0 to 10");
      }
      trial.pain.push_back({when[i], rating[i]});
    }
  }
  trial.analysis_processing = optional_strings(file, "/results", "/results/processing");
  trial.analysis_warnings = optional_strings(file, "/results", "/results/warnings");
}

}  // namespace

Trial read_trial_contents(hid_t file) {
  Trial trial;
  read_root_attributes(file, trial);
  read_plates(file, read_small_int(file, "plate_count", 1, 2), trial);
  read_samples(file, trial);
  read_gaps(file, trial);
  read_results(file, trial);
  if (h5::has_object(file, "/import_notes")) {
    trial.import_notes = h5::read_strings(file, "/import_notes", row_count(file, "/import_notes"));
  }
  read_clinical(file, trial);
  return trial;
}

}  // namespace fp::data
