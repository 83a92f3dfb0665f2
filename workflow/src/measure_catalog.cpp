#include "forceplate/workflow/measure_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "forceplate/workflow/test_definition.hpp"

namespace fp::workflow {

const char* to_string(Better b) {
  switch (b) {
    case Better::none:
      return "none";
    case Better::lower:
      return "lower";
    case Better::higher:
      return "higher";
    case Better::closer_to_target:
      return "closer-to-target";
  }
  return "none";
}

std::optional<Better> better_from_string(std::string_view s) {
  if (s == "none") return Better::none;
  if (s == "lower") return Better::lower;
  if (s == "higher") return Better::higher;
  if (s == "closer-to-target") return Better::closer_to_target;
  return std::nullopt;
}

namespace {

constexpr double no_target = std::numeric_limits<double>::quiet_NaN();

void add_all(MeasureCatalog& c, std::initializer_list<const char*> names, Better b, const char* unit,
             const char* description = "") {
  for (const char* n : names) c.add(MeasureInfo{n, b, no_target, unit, description});
}

}  // namespace

MeasureCatalog MeasureCatalog::built_in() {
  MeasureCatalog c;
  // Quiet-stance sway (docs/metrics.md): more sway is worse.
  add_all(c, {"cop_path_length", "cop_path_length_ml", "cop_path_length_ap", "cop_mean_distance",
              "cop_mean_distance_ml", "cop_mean_distance_ap", "cop_rms", "cop_rms_ml", "cop_rms_ap",
              "cop_range_ml", "cop_range_ap", "cop_max_distance", "cop_ellipse95_major_axis",
              "cop_ellipse95_minor_axis", "cop_max_medial_excursion", "cop_max_lateral_excursion",
              "cop_mean_medial_excursion", "cop_mean_lateral_excursion"},
          Better::lower, "mm", "centre-of-pressure sway");
  add_all(c, {"cop_mean_velocity", "cop_mean_velocity_ml", "cop_mean_velocity_ap",
              "cop_peak_velocity", "cop_peak_velocity_ml"},
          Better::lower, "mm/s", "centre-of-pressure velocity");
  add_all(c, {"cop_ellipse95_area", "cop_circle95_area", "cop_total_power"}, Better::lower, "mm^2");
  add_all(c, {"cop_sway_area_per_second", "cop_diffusion_short", "cop_diffusion_long"},
          Better::lower, "mm^2/s");
  // Descriptive sway measures without an agreed direction.
  add_all(c, {"cop_mean_frequency", "cop_peak_frequency", "cop_mean_power_frequency",
              "cop_power_frequency_50", "cop_power_frequency_95", "cop_centroidal_frequency"},
          Better::none, "Hz");
  add_all(c, {"cop_frequency_dispersion", "cop_fractal_dimension", "cop_diffusion_scaling_short",
              "cop_diffusion_scaling_long", "cop_sway_density_peak_count", "sample_count"},
          Better::none, "");
  add_all(c, {"cop_ellipse95_angle"}, Better::none, "deg");
  add_all(c, {"duration", "cop_diffusion_critical_time", "cop_sway_density_mean_interval"},
          Better::none, "s");
  // Single-leg stance.
  add_all(c, {"failure_count"}, Better::lower, "", "balance failures (touch-down, step-off)");
  add_all(c, {"time_in_balance", "time_to_first_failure"}, Better::higher, "s");
  // Weight bearing on two plates: even load is the target.
  c.add(MeasureInfo{"load_left_mean", Better::closer_to_target, 50.0, "%", "share of the load on the left limb"});
  c.add(MeasureInfo{"load_right_mean", Better::closer_to_target, 50.0, "%", "share of the load on the right limb"});
  add_all(c, {"load_asymmetry", "load_sd"}, Better::lower, "%");
  add_all(c, {"load_left_min", "load_left_max"}, Better::none, "%");
  add_all(c, {"body_weight", "total_force_mean", "body_weight_sd"}, Better::none, "N");
  // Jumps (countermovement, squat, single-leg).
  add_all(c, {"jump_height_flight", "jump_height_impulse"}, Better::higher, "m");
  add_all(c, {"takeoff_velocity"}, Better::higher, "m/s");
  add_all(c, {"flight_time"}, Better::higher, "s");
  // Every reactive strength index is a height over a time: m/s.
  add_all(c, {"rsi_modified"}, Better::higher, "m/s", "reactive strength index, modified");
  add_all(c, {"peak_power", "mean_propulsive_power"}, Better::higher, "W");
  add_all(c, {"peak_power_per_kg", "mean_propulsive_power_per_kg"}, Better::higher, "W/kg");
  add_all(c, {"propulsive_impulse"}, Better::higher, "N s");
  add_all(c, {"unweighting_impulse", "braking_impulse"}, Better::none, "N s");
  add_all(c, {"contraction_time", "unweighting_time", "braking_time", "propulsion_time"},
          Better::none, "s", "phase duration (strategy, not performance)");
  // Landings (analysis/landing): a softer landing and a quicker return to stillness are better.
  add_all(c, {"peak_landing_force"}, Better::lower, "N");
  add_all(c, {"peak_landing_force_bw"}, Better::lower, "BW");
  add_all(c, {"loading_rate_bw", "peak_loading_rate_bw"}, Better::lower, "BW/s");
  add_all(c, {"loading_rate", "peak_loading_rate"}, Better::lower, "N/s");
  add_all(c, {"time_to_stabilisation", "time_to_stabilisation_ml", "time_to_stabilisation_ap"},
          Better::lower, "s");
  add_all(c, {"vertical_stability_index", "mlsi", "apsi", "dpsi"}, Better::lower, "",
          "stability index (RMS of force about its target, per BW)");
  add_all(c, {"time_to_peak", "loading_phase_time", "attenuation_phase_time", "control_phase_time"},
          Better::none, "s");
  // Drop jumps (analysis/drop_jump) and repeated hops (analysis/hops).
  add_all(c, {"rsi", "rsi_mean"}, Better::higher, "m/s", "reactive strength index: height / contact time");
  add_all(c, {"contact_time", "contact_time_mean"}, Better::lower, "s", "ground contact time");
  add_all(c, {"flight_time_mean"}, Better::higher, "s");
  add_all(c, {"hop_height_mean"}, Better::higher, "m");
  add_all(c, {"flight_contact_ratio"}, Better::higher, "");
  add_all(c, {"contact_time_sd", "flight_time_sd"}, Better::lower, "s", "hop-to-hop variability");
  add_all(c, {"contact_time_cv", "flight_time_cv"}, Better::lower, "%", "hop-to-hop variability");
  add_all(c, {"hop_count"}, Better::none, "");
  add_all(c, {"peak_contact_force"}, Better::none, "N");
  add_all(c, {"peak_contact_force_bw"}, Better::none, "BW");
  return c;
}

const MeasureInfo* MeasureCatalog::find(std::string_view name) const {
  for (const MeasureInfo& m : measures_)
    if (m.name == name) return &m;
  return nullptr;
}

void MeasureCatalog::add(MeasureInfo info) {
  for (MeasureInfo& m : measures_) {
    if (m.name == info.name) {
      m = std::move(info);
      return;
    }
  }
  measures_.push_back(std::move(info));
}

// ---------------------------------------------------------------------------------------------

namespace {

[[noreturn]] void table_error(const std::string& origin, const std::string& field,
                              const std::string& problem) {
  throw MdcTableError(origin + ": " + (field.empty() ? "" : field + ": ") + problem);
}

std::string get_string(const nlohmann::json& e, const std::string& key, const std::string& origin,
                       const std::string& where, bool required) {
  if (!e.contains(key)) {
    if (required) table_error(origin, where + "." + key, "missing");
    return {};
  }
  if (!e.at(key).is_string()) table_error(origin, where + "." + key, "must be a string");
  return e.at(key).get<std::string>();
}

}  // namespace

MdcTable MdcTable::from_json(const nlohmann::json& j, const std::string& origin) {
  if (!j.is_object()) table_error(origin, "", "must be a JSON object with \"entries\"");
  static const std::set<std::string> top_keys = {"entries", "comment"};
  for (const auto& [k, v] : j.items())
    if (!top_keys.contains(k)) table_error(origin, k, "unknown field");
  if (!j.contains("entries")) table_error(origin, "entries", "missing");
  const nlohmann::json& entries = j.at("entries");
  if (!entries.is_array()) table_error(origin, "entries", "must be an array");
  static const std::set<std::string> keys = {"measure", "test", "analysis", "mdc95", "unit",
                                             "source",  "note", "comment"};
  MdcTable table;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string where = "entries[" + std::to_string(i) + "]";
    const nlohmann::json& e = entries.at(i);
    if (!e.is_object()) table_error(origin, where, "must be an object");
    for (const auto& [k, v] : e.items())
      if (!keys.contains(k)) table_error(origin, where + "." + k, "unknown field");
    PublishedMdc m;
    m.measure = get_string(e, "measure", origin, where, true);
    m.test = get_string(e, "test", origin, where, false);
    m.analysis = get_string(e, "analysis", origin, where, false);
    if (!m.analysis.empty() && !analysis_from_string(m.analysis))
      table_error(origin, where + ".analysis",
                  "unknown analysis \"" + m.analysis + "\" (known: " + known_analyses() + ")");
    if (!e.contains("mdc95")) table_error(origin, where + ".mdc95", "missing");
    if (!e.at("mdc95").is_number()) table_error(origin, where + ".mdc95", "must be a number");
    m.mdc95 = e.at("mdc95").get<double>();
    if (!(m.mdc95 > 0) || !std::isfinite(m.mdc95))
      table_error(origin, where + ".mdc95", "must be a positive number");
    m.unit = get_string(e, "unit", origin, where, true);
    m.source = get_string(e, "source", origin, where, true);
    if (m.source.empty()) table_error(origin, where + ".source", "a published MDC needs its citation");
    m.note = get_string(e, "note", origin, where, false);
    table.add(std::move(m));
  }
  return table;
}

MdcTable MdcTable::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw MdcTableError(file.string() + ": cannot be opened");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw MdcTableError(file.string() + ": not valid JSON: " + e.what());
  }
  return from_json(j, file.string());
}

const PublishedMdc* MdcTable::find(std::string_view measure, std::string_view test,
                                   std::string_view analysis) const {
  const PublishedMdc* by_analysis = nullptr;
  const PublishedMdc* generic = nullptr;
  for (const PublishedMdc& e : entries_) {
    if (e.measure != measure) continue;
    if (!e.test.empty()) {
      if (e.test == test) return &e;
      continue;
    }
    if (!e.analysis.empty()) {
      if (e.analysis == analysis && !by_analysis) by_analysis = &e;
      continue;
    }
    if (!generic) generic = &e;
  }
  return by_analysis ? by_analysis : generic;
}

void MdcTable::add(PublishedMdc entry) {
  for (PublishedMdc& e : entries_) {
    if (e.measure == entry.measure && e.test == entry.test && e.analysis == entry.analysis) {
      e = std::move(entry);
      return;
    }
  }
  entries_.push_back(std::move(entry));
}

void MdcTable::merge(const MdcTable& other) {
  for (const PublishedMdc& e : other.entries_) add(e);
}

std::filesystem::path built_in_mdc_table() { return built_in_definitions_dir() / "mdc.json"; }

}  // namespace fp::workflow
