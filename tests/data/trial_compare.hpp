#pragma once
// Field-by-field comparison of trials for the storage tests; doubles bit for bit.
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forceplate/data/trial.hpp"

namespace fp::data::test {

// Bit-for-bit, so NaN stays NaN and -0.0 stays -0.0.
inline void expect_same_doubles(const std::vector<double>& actual, const std::vector<double>& expected,
                                const std::string& field) {
  ASSERT_EQ(actual.size(), expected.size()) << field;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (std::bit_cast<std::uint64_t>(actual[i]) != std::bit_cast<std::uint64_t>(expected[i])) {
      ADD_FAILURE() << field << "[" << i << "] is " << actual[i] << ", expected " << expected[i];
      return;
    }
  }
}

inline void expect_same_trial(const Trial& actual, const Trial& expected) {
  EXPECT_EQ(actual.test_name, expected.test_name);
  EXPECT_EQ(actual.start_time_utc, expected.start_time_utc);
  EXPECT_EQ(actual.software_version, expected.software_version);
  EXPECT_EQ(actual.sample_rate_hz, expected.sample_rate_hz);
  EXPECT_EQ(actual.cells_per_plate, expected.cells_per_plate);
  EXPECT_EQ(actual.analysis_version, expected.analysis_version);
  EXPECT_EQ(actual.device.serial, expected.device.serial);
  EXPECT_EQ(actual.device.firmware_version, expected.device.firmware_version);
  EXPECT_EQ(actual.device.protocol_major, expected.device.protocol_major);
  EXPECT_EQ(actual.device.protocol_minor, expected.device.protocol_minor);
  EXPECT_EQ(actual.device.adc_bits, expected.device.adc_bits);
  EXPECT_EQ(actual.complete, expected.complete);
  EXPECT_EQ(actual.recovered_from_journal, expected.recovered_from_journal);

  ASSERT_EQ(actual.plates.size(), expected.plates.size());
  for (std::size_t k = 0; k < expected.plates.size(); ++k) {
    const std::string plate = "plates[" + std::to_string(k) + "].";
    EXPECT_EQ(actual.plates[k].width_m, expected.plates[k].width_m) << plate;
    EXPECT_EQ(actual.plates[k].origin_x_m, expected.plates[k].origin_x_m) << plate;
    EXPECT_EQ(actual.plates[k].origin_y_m, expected.plates[k].origin_y_m) << plate;
    EXPECT_EQ(actual.plates[k].length_m, expected.plates[k].length_m) << plate;
    expect_same_doubles(actual.plates[k].cell_x_m, expected.plates[k].cell_x_m, plate + "cell_x_m");
    expect_same_doubles(actual.plates[k].cell_y_m, expected.plates[k].cell_y_m, plate + "cell_y_m");
    expect_same_doubles(actual.plates[k].gain_n_per_count, expected.plates[k].gain_n_per_count,
                        plate + "gain_n_per_count");
    expect_same_doubles(actual.plates[k].offset_counts, expected.plates[k].offset_counts,
                        plate + "offset_counts");
  }

  EXPECT_EQ(actual.sequence, expected.sequence);
  expect_same_doubles(actual.fx_n, expected.fx_n, "fx_n");
  expect_same_doubles(actual.fy_n, expected.fy_n, "fy_n");
  EXPECT_EQ(actual.import_notes, expected.import_notes);
  EXPECT_EQ(actual.side, expected.side);
  EXPECT_EQ(actual.test_definition, expected.test_definition);
  ASSERT_EQ(actual.runner_events.size(), expected.runner_events.size());
  for (std::size_t i = 0; i < expected.runner_events.size(); ++i) {
    EXPECT_EQ(actual.runner_events[i].device_time_s, expected.runner_events[i].device_time_s);
    EXPECT_EQ(actual.runner_events[i].state, expected.runner_events[i].state);
    EXPECT_EQ(actual.runner_events[i].message, expected.runner_events[i].message);
  }
  ASSERT_EQ(actual.pain.size(), expected.pain.size());
  for (std::size_t i = 0; i < expected.pain.size(); ++i) {
    EXPECT_EQ(actual.pain[i].when, expected.pain[i].when);
    EXPECT_EQ(actual.pain[i].rating, expected.pain[i].rating);
  }
  EXPECT_EQ(actual.notes, expected.notes);
  EXPECT_EQ(actual.invalid_reason, expected.invalid_reason);
  EXPECT_EQ(actual.analysis_processing, expected.analysis_processing);
  EXPECT_EQ(actual.analysis_warnings, expected.analysis_warnings);
  expect_same_doubles(actual.time_s, expected.time_s, "time_s");
  EXPECT_EQ(actual.counts, expected.counts);
  expect_same_doubles(actual.cell_force_n, expected.cell_force_n, "cell_force_n");
  expect_same_doubles(actual.fz_n, expected.fz_n, "fz_n");
  expect_same_doubles(actual.cop_x_m, expected.cop_x_m, "cop_x_m");
  expect_same_doubles(actual.cop_y_m, expected.cop_y_m, "cop_y_m");

  ASSERT_EQ(actual.gaps.size(), expected.gaps.size());
  for (std::size_t i = 0; i < expected.gaps.size(); ++i) {
    EXPECT_EQ(actual.gaps[i].first_missing_sequence, expected.gaps[i].first_missing_sequence);
    EXPECT_EQ(actual.gaps[i].count, expected.gaps[i].count);
    EXPECT_EQ(actual.gaps[i].reason, expected.gaps[i].reason);
  }
  ASSERT_EQ(actual.results.size(), expected.results.size());
  for (std::size_t i = 0; i < expected.results.size(); ++i) {
    EXPECT_EQ(actual.results[i].name, expected.results[i].name);
    expect_same_doubles({actual.results[i].value}, {expected.results[i].value}, actual.results[i].name);
    EXPECT_EQ(actual.results[i].unit, expected.results[i].unit);
  }
}

}  // namespace fp::data::test
