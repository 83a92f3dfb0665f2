// Calibration records <-> JSON files (nlohmann-json), one per device serial number.
#include "forceplate/acquisition/calibration_store.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fp::acq {

namespace {

using json = nlohmann::ordered_json;  // keys in the order written: format and version first
namespace fs = std::filesystem;

constexpr const char* kFormatName = "forceplate-calibration";

// JSON has no NaN: a value that could not be measured is null.
json number(double v) { return std::isfinite(v) ? json(v) : json(); }

json spot_json(const PlacementSpot& s) {
  return {{"label", s.label}, {"plate", s.plate}, {"x_m", s.x_m}, {"y_m", s.y_m}};
}

const json& field(const json& o, const char* key, const std::string& where) {
  if (!o.is_object()) throw CalibrationError(where + " is not a JSON object");
  const auto it = o.find(key);
  if (it == o.end()) throw CalibrationError(where + " has no '" + key + "'");
  return *it;
}

double get_number(const json& o, const char* key, const std::string& where) {
  const json& v = field(o, key, where);
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!v.is_number()) throw CalibrationError(where + ": '" + key + "' is not a number");
  return v.get<double>();
}

std::string get_string(const json& o, const char* key, const std::string& where) {
  const json& v = field(o, key, where);
  if (!v.is_string()) throw CalibrationError(where + ": '" + key + "' is not a string");
  return v.get<std::string>();
}

int get_int(const json& o, const char* key, const std::string& where) {
  const json& v = field(o, key, where);
  if (!v.is_number_integer()) throw CalibrationError(where + ": '" + key + "' is not an integer");
  return v.get<int>();
}

const json& get_array(const json& o, const char* key, const std::string& where, std::size_t size = 0) {
  const json& v = field(o, key, where);
  if (!v.is_array() || (size != 0 && v.size() != size)) {
    throw CalibrationError(where + ": '" + key + "' is not an array" +
                           (size != 0 ? " of " + std::to_string(size) : std::string()));
  }
  return v;
}

PlacementSpot spot_from(const json& o, const std::string& where) {
  return {get_string(o, "label", where), get_int(o, "plate", where), get_number(o, "x_m", where),
          get_number(o, "y_m", where)};
}

std::string safe_name(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    if (!ok) c = '_';
  }
  if (out.find_first_not_of('.') == std::string::npos) out = "_" + out;  // never "." or ".."
  return out;
}

void write_atomically(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw CalibrationError("cannot write " + tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw CalibrationError("cannot write " + file.string() + ": " + ec.message());
  }
}

}  // namespace

std::string calibration_to_json(const CalibrationRecord& r) {
  json plates = json::array();
  for (const PlateCalibration& p : r.plates) {
    json cells = json::array();
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      cells.push_back({{"gain_n_per_count", p.fit.gains_n_per_count[c]},
                       {"offset_counts", p.offsets_counts[c]},
                       {"previous_gain_n_per_count", p.previous_gains_n_per_count[c]}});
    }
    json residuals = json::array();
    for (const Residual& res : p.fit.residuals) {
      residuals.push_back({{"label", res.label},
                           {"force_n", number(res.force_n)},
                           {"cop_x_m", number(res.cop_x_m)},
                           {"cop_y_m", number(res.cop_y_m)}});
    }
    plates.push_back({{"plate", p.fit.plate},
                      {"cells", cells},
                      {"conditioning", number(p.fit.conditioning)},
                      {"rms_force_residual_n", number(p.fit.rms_force_residual_n)},
                      {"max_cop_residual_m", number(p.fit.max_cop_residual_m)},
                      {"residuals", residuals}});
  }
  json placements = json::array();
  for (const Placement& p : r.placements) {
    json o = spot_json(p.spot);
    o["mass_kg"] = p.mass_kg;
    o["samples"] = p.samples;
    o["tared_counts"] = p.tared_counts;
    o["force_sd_n"] = number(p.force_sd_n);
    placements.push_back(o);
  }
  json verifications = json::array();
  for (const VerificationResult& v : r.verifications) {
    json o = spot_json(v.spot);
    o["date_utc"] = v.date_utc;
    o["mass_kg"] = v.mass_kg;
    o["expected_force_n"] = number(v.expected_force_n);
    o["measured_force_n"] = number(v.measured_force_n);
    o["force_error_pct"] = number(v.force_error_pct);
    o["measured_cop_x_m"] = number(v.measured_cop_x_m);
    o["measured_cop_y_m"] = number(v.measured_cop_y_m);
    o["cop_error_m"] = number(v.cop_error_m);
    o["tolerance_force_fraction"] = v.tolerances.force_fraction;
    o["tolerance_cop_m"] = v.tolerances.cop_m;
    o["passed"] = v.passed;
    verifications.push_back(o);
  }
  const json doc = {{"format", kFormatName},
                    {"version", kCalibrationFormatVersion},
                    {"serial", r.serial},
                    {"date_utc", r.date_utc},
                    {"gravity_m_s2", r.gravity_m_s2},
                    {"plates", plates},
                    {"placements", placements},
                    {"verifications", verifications}};
  return doc.dump(2) + "\n";
}

CalibrationRecord calibration_from_json(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw CalibrationError(std::string("not valid JSON: ") + e.what());
  }
  const std::string top = "the calibration";
  if (!doc.is_object() || doc.value("format", std::string()) != kFormatName) {
    throw CalibrationError(std::string("not a calibration record (no \"format\": \"") + kFormatName + "\")");
  }
  const int version = get_int(doc, "version", top);
  if (version < 1 || version > kCalibrationFormatVersion) {
    throw CalibrationError("calibration format version " + std::to_string(version) +
                           " is not supported (this program reads up to " +
                           std::to_string(kCalibrationFormatVersion) + ")");
  }
  CalibrationRecord r;
  r.serial = get_string(doc, "serial", top);
  r.date_utc = get_string(doc, "date_utc", top);
  parse_iso8601_utc(r.date_utc);  // a record must say when it was made
  r.gravity_m_s2 = get_number(doc, "gravity_m_s2", top);
  for (const json& p : get_array(doc, "plates", top)) {
    const std::string where = "plate " + std::to_string(r.plates.size());
    PlateCalibration pc;
    pc.fit.plate = get_int(p, "plate", where);
    const json& cells = get_array(p, "cells", where, kCellsPerPlate);
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      const std::string cw = where + " cell " + std::to_string(c);
      pc.fit.gains_n_per_count[c] = get_number(cells[c], "gain_n_per_count", cw);
      if (!(pc.fit.gains_n_per_count[c] > 0)) throw CalibrationError(cw + ": the gain is not a positive number");
      pc.offsets_counts[c] = get_number(cells[c], "offset_counts", cw);
      pc.previous_gains_n_per_count[c] = get_number(cells[c], "previous_gain_n_per_count", cw);
    }
    pc.fit.conditioning = get_number(p, "conditioning", where);
    pc.fit.rms_force_residual_n = get_number(p, "rms_force_residual_n", where);
    pc.fit.max_cop_residual_m = get_number(p, "max_cop_residual_m", where);
    for (const json& res : get_array(p, "residuals", where)) {
      const std::string rw = where + " residual";
      pc.fit.residuals.push_back({get_string(res, "label", rw), get_number(res, "force_n", rw),
                                  get_number(res, "cop_x_m", rw), get_number(res, "cop_y_m", rw)});
    }
    r.plates.push_back(pc);
  }
  if (r.plates.empty()) throw CalibrationError("the calibration has no plates");
  for (const json& o : get_array(doc, "placements", top)) {
    const std::string where = "placement " + std::to_string(r.placements.size());
    Placement p;
    p.spot = spot_from(o, where);
    p.mass_kg = get_number(o, "mass_kg", where);
    const json& n = field(o, "samples", where);
    if (!n.is_number_unsigned() && !n.is_number_integer()) throw CalibrationError(where + ": 'samples' is not a count");
    p.samples = n.get<std::size_t>();
    const json& counts = get_array(o, "tared_counts", where, kCellsPerPlate);
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      if (!counts[c].is_number()) throw CalibrationError(where + ": 'tared_counts' holds a non-number");
      p.tared_counts[c] = counts[c].get<double>();
    }
    p.force_sd_n = get_number(o, "force_sd_n", where);
    r.placements.push_back(p);
  }
  for (const json& o : get_array(doc, "verifications", top)) {
    const std::string where = "verification " + std::to_string(r.verifications.size());
    VerificationResult v;
    v.spot = spot_from(o, where);
    v.date_utc = get_string(o, "date_utc", where);
    v.mass_kg = get_number(o, "mass_kg", where);
    v.expected_force_n = get_number(o, "expected_force_n", where);
    v.measured_force_n = get_number(o, "measured_force_n", where);
    v.force_error_pct = get_number(o, "force_error_pct", where);
    v.measured_cop_x_m = get_number(o, "measured_cop_x_m", where);
    v.measured_cop_y_m = get_number(o, "measured_cop_y_m", where);
    v.cop_error_m = get_number(o, "cop_error_m", where);
    v.tolerances.force_fraction = get_number(o, "tolerance_force_fraction", where);
    v.tolerances.cop_m = get_number(o, "tolerance_cop_m", where);
    const json& passed = field(o, "passed", where);
    if (!passed.is_boolean()) throw CalibrationError(where + ": 'passed' is not true or false");
    v.passed = passed.get<bool>();
    r.verifications.push_back(v);
  }
  return r;
}

fs::path default_calibration_dir() {
  const auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
  };
  if (const std::string dir = env("FORCEPLATE_CALIBRATION_DIR"); !dir.empty()) return dir;
  // XDG Base Directory Specification: a relative XDG_DATA_HOME is invalid and must be ignored.
  if (const std::string xdg = env("XDG_DATA_HOME"); !xdg.empty() && xdg.front() == '/') {
    return fs::path(xdg) / "forceplate" / "calibrations";
  }
  const std::string home = env("HOME");
  if (home.empty()) {
    throw CalibrationError("no folder for calibrations: set HOME, XDG_DATA_HOME or FORCEPLATE_CALIBRATION_DIR");
  }
  return fs::path(home) / ".local" / "share" / "forceplate" / "calibrations";
}

fs::path calibration_file(const fs::path& dir, const std::string& serial) {
  if (serial.empty()) {
    throw CalibrationError("the device reports no serial number, so its calibration cannot be stored or found");
  }
  return dir / (safe_name(serial) + ".json");
}

fs::path save_calibration(const CalibrationRecord& record, const fs::path& dir) {
  const fs::path file = calibration_file(dir, record.serial);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw CalibrationError("cannot create " + dir.string() + ": " + ec.message());
  if (fs::exists(file)) {
    // The record this one replaces is kept: a clinic may need to show which gains a trial used.
    std::string old_date;
    try {
      old_date = load_calibration_file(file).date_utc;
    } catch (const CalibrationError&) {
      old_date = "unreadable";
    }
    if (old_date != record.date_utc) {
      std::string stamp = old_date;
      std::erase(stamp, ':');
      const fs::path history = dir / "history";
      fs::create_directories(history, ec);
      if (!ec) fs::rename(file, history / (safe_name(record.serial) + "-" + safe_name(stamp) + ".json"), ec);
      if (ec) throw CalibrationError("cannot keep the previous calibration in " + history.string() + ": " + ec.message());
    }
  }
  write_atomically(file, calibration_to_json(record));
  return file;
}

CalibrationRecord load_calibration_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CalibrationError("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return calibration_from_json(text.str());
  } catch (const CalibrationError& e) {
    throw CalibrationError(file.string() + ": " + e.what());
  }
}

std::optional<CalibrationRecord> load_calibration(const fs::path& dir, const std::string& serial) {
  const fs::path file = calibration_file(dir, serial);
  if (!fs::exists(file)) return std::nullopt;
  return load_calibration_file(file);
}

}  // namespace fp::acq
