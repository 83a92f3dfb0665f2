#include "trial_examples.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

namespace fp::data::test {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

PlateInfo corner_cell_plate(double offset_base) {
  PlateInfo plate;
  plate.width_m = 0.40;
  plate.length_m = 0.60;
  plate.cell_x_m = {-0.18, 0.18, -0.18, 0.18};
  plate.cell_y_m = {0.28, 0.28, -0.28, -0.28};
  plate.gain_n_per_count = {0.0123, 0.0119, 0.0126, 0.0121};
  plate.offset_counts = {offset_base, offset_base + 37.5, offset_base - 12.25, offset_base + 4.0};
  return plate;
}

void fill_metadata(Trial& trial) {
  trial.test_name = "quiet-stance";
  trial.start_time_utc = "2026-11-22T10:00:00Z";
  trial.software_version = "0.1.0";
  trial.sample_rate_hz = 1000.0;
  trial.cells_per_plate = 4;
  trial.device = {"FP2-000417", "1.4.2", 1, 3, 24};
  trial.analysis_version = "0.1.0";
}

// Appends one sample: splits each plate's load over its corner cells so that the load acts at
// the given COP, quantises to counts, then derives forces and COP from the counts as the
// acquisition does (COP undefined below 10 N).
void append_sample(Trial& trial, std::uint64_t sequence, const std::vector<double>& load_n,
                   const std::vector<double>& cop_x, const std::vector<double>& cop_y, std::mt19937& noise) {
  std::normal_distribution<double> count_noise(0.0, 2.0);
  trial.sequence.push_back(sequence);
  trial.time_s.push_back(static_cast<double>(sequence - trial.sequence.front()) / trial.sample_rate_hz);
  for (std::size_t k = 0; k < trial.plates.size(); ++k) {
    const PlateInfo& plate = trial.plates[k];
    double fz = 0;
    double moment_x = 0;
    double moment_y = 0;
    for (std::size_t c = 0; c < plate.cell_x_m.size(); ++c) {
      const double share = 0.25 * (1 + cop_x[k] / plate.cell_x_m[c]) * (1 + cop_y[k] / plate.cell_y_m[c]);
      const double counts = std::round(load_n[k] * share / plate.gain_n_per_count[c] +
                                       plate.offset_counts[c] + count_noise(noise));
      trial.counts.push_back(static_cast<std::int32_t>(counts));
      const double force = plate.gain_n_per_count[c] * (counts - plate.offset_counts[c]);
      trial.cell_force_n.push_back(force);
      fz += force;
      moment_x += force * plate.cell_x_m[c];
      moment_y += force * plate.cell_y_m[c];
    }
    trial.fz_n.push_back(fz);
    trial.cop_x_m.push_back(fz < 10.0 ? kNaN : moment_x / fz);
    trial.cop_y_m.push_back(fz < 10.0 ? kNaN : moment_y / fz);
  }
}

}  // namespace

Trial realistic_two_plate_trial() {
  Trial trial;
  fill_metadata(trial);
  trial.plates = {corner_cell_plate(8120.0), corner_cell_plate(7985.5)};
  trial.plates[0].origin_x_m = -0.21;  // side by side with a 2 cm gap, the right plate 5 mm forward
  trial.plates[1].origin_x_m = 0.21;
  trial.plates[1].origin_y_m = 0.005;
  std::mt19937 noise(17);
  const double pi = std::numbers::pi;
  std::uint64_t sequence = 40'000;  // the device counts from power-on, not from the trial start
  for (int i = 0; i < 5000; ++i, ++sequence) {
    if (i == 2000) {
      trial.gaps.push_back({sequence, 3, "sequence jump"});
      sequence += 3;
    }
    if (i == 3500) {
      trial.gaps.push_back({sequence, 1, "corrupt frame (CRC mismatch)"});
      sequence += 1;
    }
    const double t = i / 1000.0;
    const double shift = 0.06 * std::sin(2 * pi * 0.3 * t);  // weight shift between the legs
    const double right = i >= 4500 ? 0.0 : 350.0 * (1 - shift);  // steps off the right plate
    const std::vector<double> load{700.0 - right, right};
    const std::vector<double> cop_x{0.004 * std::sin(2 * pi * 0.7 * t), -0.003 * std::cos(2 * pi * 0.5 * t)};
    const std::vector<double> cop_y{0.010 * std::sin(2 * pi * 0.2 * t), 0.008 * std::sin(2 * pi * 0.25 * t)};
    append_sample(trial, sequence, load, cop_x, cop_y, noise);
  }
  trial.results = {{"sway_path_length", 412.73, "mm"},
                   {"mean_velocity", 8.25, "mm/s"},
                   {"ellipse_area_95", 183.4, "mm²"},
                   {"weight_symmetry", -0.0, "%"}};
  trial.side = "left";
  trial.test_definition = R"({"id": "single-leg-stance-eyes-open", "trials": 3})";
  trial.runner_events = {{0.0, "recording", "started"}, {5.123, "result", "valid"}};
  trial.pain = {{"before", 2}, {"after", 4}};
  trial.notes = "Patient reports a pulling sensation — lateral hip";
  trial.invalid_reason = "";
  trial.analysis_processing = {"low-pass 10 Hz, 4th order, zero phase", "window 5.0 - 25.0 s"};
  trial.analysis_warnings = {"weighing phase shorter than 1 s"};
  return trial;
}

Trial one_plate_trial() {
  Trial trial;
  fill_metadata(trial);
  trial.test_name = "single-leg-stance-left";
  trial.plates = {corner_cell_plate(8000.0)};
  std::mt19937 noise(5);
  for (int i = 0; i < 2000; ++i) {
    const double t = i / 1000.0;
    append_sample(trial, 100 + static_cast<std::uint64_t>(i), {650.0 + 20 * std::sin(9 * t)},
                  {0.01 * std::sin(3 * t)}, {0.02 * std::cos(2 * t)}, noise);
  }
  trial.results = {{"mean_velocity", 21.5, "mm/s"}};
  return trial;
}

Trial empty_trial() {
  Trial trial;
  fill_metadata(trial);
  trial.plates = {corner_cell_plate(8120.0), corner_cell_plate(7985.5)};
  return trial;
}

Trial h5py_check_trial() {
  // Keep in step with check_trial_h5py.py.
  Trial trial;
  trial.test_name = "quiet-stance";
  trial.start_time_utc = "2026-11-22T10:00:00Z";
  trial.software_version = "0.1.0-test";
  trial.sample_rate_hz = 500.0;
  trial.cells_per_plate = 4;
  trial.device = {"FP-000123", "1.4.2", 1, 3, 24};
  trial.analysis_version = "analysis-1";
  for (int k = 0; k < 2; ++k) {
    PlateInfo plate;
    plate.width_m = 0.5;
    plate.length_m = 0.625;
    plate.cell_x_m = {-0.25, 0.25, -0.25, 0.25};
    plate.cell_y_m = {0.3125, 0.3125, -0.3125, -0.3125};
    for (int j = 0; j < 4; ++j) {
      plate.gain_n_per_count.push_back(0.0125 * (j + 1));
      plate.offset_counts.push_back(100.0 + j + 10 * k);
    }
    trial.plates.push_back(plate);
  }
  const int n = 250;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t sequence = 1000 + static_cast<std::uint64_t>(i) + (i >= 100 ? 5 : 0);
    trial.sequence.push_back(sequence);
    trial.time_s.push_back(static_cast<double>(sequence - 1000) / 500.0);
    for (int c = 0; c < 8; ++c) {
      trial.counts.push_back(8000 + 10 * i + c);
      trial.cell_force_n.push_back(i * 0.5 + c);
    }
    for (int k = 0; k < 2; ++k) {
      const bool unloaded = k == 1 && i % 50 == 0;
      trial.fz_n.push_back(100.0 * (k + 1) + i);
      trial.cop_x_m.push_back(unloaded ? kNaN : i / 1024.0 - k / 8.0);
      trial.cop_y_m.push_back(unloaded ? kNaN : -i / 2048.0 + k / 4.0);
    }
  }
  trial.gaps = {{1100, 5, "sequence jump"}, {1350, 1, "trame corrompue — CRC"}};
  trial.results = {{"sway_path_length", 123.25, "mm"}, {"mean_velocity", 4.5, "mm/s"},
                   {"ellipse_area", 87.5, "mm²"}};
  return trial;
}

Trial h5py_imported_trial() {
  // Keep in step with check_trial_h5py.py ("imported").
  Trial trial;
  trial.test_name = "countermovement-jump";
  trial.start_time_utc = "2021-01-05T09:47:06Z";
  trial.sample_rate_hz = 200.0;
  trial.cells_per_plate = 0;
  for (int k = 0; k < 2; ++k) {
    PlateInfo plate;
    plate.width_m = 0.5 + 0.125 * k;
    plate.length_m = 0.75;
    trial.plates.push_back(plate);
  }
  const int n = 120;
  for (int i = 0; i < n; ++i) {
    trial.sequence.push_back(static_cast<std::uint64_t>(i));
    trial.time_s.push_back(i / 200.0);
    for (int k = 0; k < 2; ++k) {
      const bool unloaded = k == 0 && i % 40 == 0;
      trial.fz_n.push_back(300.0 + i + 50.0 * k);
      trial.cop_x_m.push_back(unloaded ? kNaN : i / 512.0 - k / 4.0);
      trial.cop_y_m.push_back(unloaded ? kNaN : -i / 1024.0 + k / 8.0);
      trial.fx_n.push_back(i * 0.25 - k);
      trial.fy_n.push_back(-i * 0.125 + k);
    }
  }
  trial.import_notes = {"imported from 'jump.csv'", "layout generic, as chosen", "sample rate 200 Hz – given"};
  trial.side = "right";
  trial.runner_events = {{0.5, "recording", "started"}, {2.25, "result", "invalid: double contact"}};
  trial.pain = {{"after", 3}};
  trial.invalid_reason = "double contact at 1.2 s";
  trial.analysis_processing = {"vertical force, no filtering"};
  return trial;
}

}  // namespace fp::data::test
