#pragma once
// A small archive for the report and results-page tests: one patient (involved side left) with two
// sessions whose trials carry known results and pain ratings (no samples: the reports only read the
// stored results).
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

namespace fp::gui::test {

struct ReportArchive {
  std::filesystem::path dir;
  data::Archive archive;
  std::string patient_id = "P001";
  std::string first_session;
  std::string second_session;
};

inline data::Trial results_trial(const std::string& test, const std::string& side, const std::string& when,
                                 const std::map<std::string, double>& results, int pain_before = -1,
                                 int pain_after = -1) {
  data::Trial t;
  t.test_name = test;
  t.start_time_utc = when;
  t.software_version = "test";
  t.sample_rate_hz = 1000;
  t.cells_per_plate = 4;
  data::PlateInfo plate;
  plate.cell_x_m = {-0.2, 0.2, 0.2, -0.2};
  plate.cell_y_m = {-0.25, -0.25, 0.25, 0.25};
  plate.width_m = 0.4;
  plate.length_m = 0.5;
  plate.gain_n_per_count = {0.012, 0.012, 0.012, 0.012};
  plate.offset_counts = {0, 0, 0, 0};
  t.plates = {plate};
  t.side = side;
  for (const auto& [name, value] : results) t.results.push_back({name, value, ""});
  if (pain_before >= 0) t.pain.push_back({"before", pain_before});
  if (pain_after >= 0) t.pain.push_back({"after", pain_after});
  return t;
}

// Jump height (m, best of 3) of the left (involved) leg improves from 0.15 to 0.19, the right stays 0.21:
// LSI 71.43 % -> 90.48 %.
inline ReportArchive make_report_archive(const std::filesystem::path& dir) {
  ReportArchive r{dir, data::Archive::create(dir), "P001", "", ""};
  data::Patient p;
  p.id = r.patient_id;
  p.name = "Anna Example";
  p.date_of_birth = "1990-04-12";
  p.sex = "female";
  p.height_m = 1.7;
  p.mass_kg = 65;
  p.involved_side = "left";
  p.diagnosis = "ACL reconstruction, left knee (2025-10-02)";
  r.archive.add_patient(p);

  const auto add_session = [&](const std::string& when, int pain24, const std::vector<double>& left_jump,
                               const std::vector<double>& right_jump, double tts_left, int hip_pain_left) {
    data::Session s;
    s.patient_id = r.patient_id;
    s.started_at_utc = when;
    s.pain_24h = pain24;
    const data::Session made = r.archive.add_session(s);
    const auto cmj = [&](double h, double scale) {
      return std::map<std::string, double>{{"jump_height_impulse", h},
                                           {"jump_height_flight", h * 1.04},
                                           {"rsi_modified", 0.3 * scale * scale},
                                           {"peak_power_per_kg", 28 * std::sqrt(scale)},
                                           {"contraction_time", 0.82},
                                           {"peak_landing_force_bw", 3.4}};
    };
    for (std::size_t i = 0; i < left_jump.size(); ++i) {
      r.archive.add_trial(made.id, results_trial("single-leg-countermovement-jump", "left", when,
                                                 cmj(left_jump[i], left_jump[i] / 0.2), 1, 2),
                          {"left", ""});
      r.archive.add_trial(made.id, results_trial("single-leg-countermovement-jump", "right", when,
                                                 cmj(right_jump[i], right_jump[i] / 0.2), 0, 0),
                          {"right", ""});
    }
    for (int k = 0; k < 2; ++k) {
      const double d = 0.05 * k;
      r.archive.add_trial(made.id, results_trial("single-leg-hop-and-stick", "left", when,
                                                 {{"time_to_stabilisation", tts_left + d},
                                                  {"peak_landing_force_bw", 3.3 + d},
                                                  {"loading_rate_bw", 46 + 10 * d}}),
                          {"left", ""});
      r.archive.add_trial(made.id, results_trial("single-leg-hop-and-stick", "right", when,
                                                 {{"time_to_stabilisation", 1.4 + d},
                                                  {"peak_landing_force_bw", 3.0 + d},
                                                  {"loading_rate_bw", 40 + 10 * d}}),
                          {"right", ""});
      r.archive.add_trial(made.id, results_trial("quiet-stance-eyes-open", "", when,
                                                 {{"cop_mean_velocity", 12.5 - 2 * d},
                                                  {"cop_path_length", 375 - 40 * d},
                                                  {"cop_ellipse95_area", 180 + 100 * d},
                                                  {"cop_rms_ml", 3.1 + d},
                                                  {"cop_rms_ap", 4.2 - d}}),
                          {"none", ""});
    }
    r.archive.add_trial(made.id, results_trial("single-leg-stance-provocation-30s", "left", when,
                                               {{"time_in_balance", 30}, {"failure_count", 0}, {"cop_mean_velocity", 24}},
                                               -1, hip_pain_left),
                        {"left", ""});
    r.archive.add_trial(made.id, results_trial("single-leg-stance-provocation-30s", "right", when,
                                               {{"time_in_balance", 30}, {"failure_count", 0}, {"cop_mean_velocity", 21}},
                                               -1, 0),
                        {"right", ""});
    return made.id;
  };
  r.first_session = add_session("2026-01-12T09:00:00Z", 3, {0.14, 0.15, 0.145}, {0.20, 0.21, 0.205}, 2.2, 4);
  r.second_session = add_session("2026-03-09T09:30:00Z", 1, {0.18, 0.19, 0.185}, {0.20, 0.21, 0.205}, 1.5, 1);
  return r;
}

}  // namespace fp::gui::test
