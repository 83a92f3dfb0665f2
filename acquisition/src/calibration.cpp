// Calibration maths: averaging placements, checking them, least-squares cell gains (Eigen's SVD),
// verification and the warnings a stored calibration deserves. docs/calibration.md explains it.
#include "forceplate/acquisition/calibration.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>

namespace fp::acq {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string signed_num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", decimals, v);
  return buf;
}

std::string mm(double metres) { return num(metres * 1000.0, 0) + " mm"; }

// "front-left" etc. from where the cell sits (y forward, x to the right).
std::string cell_name(const CellSpec& c) {
  return std::string(c.y_m >= 0 ? "front" : "back") + "-" + (c.x_m < 0 ? "left" : "right");
}

void require_mass(const Placement& p) {
  if (!(p.mass_kg > 0) || !std::isfinite(p.mass_kg)) {
    throw CalibrationError(p.spot.label + ": the mass must be a positive number of kilograms");
  }
}

const PlateSpec& plate_of(const DeviceDescription& d, int plate) {
  if (plate < 0 || static_cast<std::size_t>(plate) >= d.plates.size()) {
    throw CalibrationError("plate " + std::to_string(plate) + " does not exist: the device has " +
                           std::to_string(d.plates.size()) + " plate(s)");
  }
  return d.plates[static_cast<std::size_t>(plate)];
}

}  // namespace

std::vector<PlacementSpot> standard_spots(const PlateSpec& plate, int plate_index, double corner_fraction) {
  std::vector<PlacementSpot> spots{{"centre", plate_index, 0.0, 0.0}};
  // Front row first, left before right: the order a person walks round the plate.
  std::array<std::size_t, kCellsPerPlate> order{0, 1, 2, 3};
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const CellSpec& ca = plate.cells[a];
    const CellSpec& cb = plate.cells[b];
    if ((ca.y_m >= 0) != (cb.y_m >= 0)) return ca.y_m >= 0;
    return ca.x_m < cb.x_m;
  });
  for (std::size_t i : order) {
    const CellSpec& c = plate.cells[i];
    // To the micrometre: marks are drawn to the millimetre, and the file then shows 0.15, not 0.15000000000000002.
    const auto um = [](double v) { return std::round(v * 1e6) / 1e6; };
    spots.push_back({cell_name(c), plate_index, um(corner_fraction * c.x_m), um(corner_fraction * c.y_m)});
  }
  return spots;
}

Placement measure_placement(const PlacementSpot& spot, double mass_kg, std::span<const Sample> samples,
                            const PlateSpec& plate) {
  if (samples.empty()) throw CalibrationError(spot.label + ": no samples were received from the plate");
  if (spot.plate < 0 || spot.plate >= kMaxPlates) {
    throw CalibrationError(spot.label + ": plate " + std::to_string(spot.plate) + " does not exist");
  }
  Placement p;
  p.spot = spot;
  p.mass_kg = mass_kg;
  p.samples = samples.size();
  const auto base = static_cast<std::size_t>(spot.plate) * kCellsPerPlate;
  std::array<double, kCellsPerPlate> sum{};
  double force_sum = 0, force_sq = 0;
  for (const Sample& s : samples) {
    double f = 0;
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      const double tared = static_cast<double>(s.counts[base + c]) - plate.cells[c].offset_counts;
      sum[c] += tared;
      f += plate.cells[c].gain_n_per_count * tared;
    }
    force_sum += f;
    force_sq += f * f;
  }
  const double n = static_cast<double>(samples.size());
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) p.tared_counts[c] = sum[c] / n;
  const double mean = force_sum / n;
  p.force_sd_n = std::sqrt(std::max(0.0, force_sq / n - mean * mean));
  return p;
}

PlacementReading read_placement(const PlateSpec& plate, const Placement& p) {
  PlacementReading r;
  double mx = 0, my = 0;
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    const double f = plate.cells[c].gain_n_per_count * p.tared_counts[c];
    r.force_n += f;
    mx += f * plate.cells[c].x_m;
    my += f * plate.cells[c].y_m;
  }
  r.cop_x_m = r.force_n > 0 ? mx / r.force_n : kNaN;
  r.cop_y_m = r.force_n > 0 ? my / r.force_n : kNaN;
  return r;
}

double check_placement(const PlateSpec& current, const Placement& p, const CalibrationOptions& options) {
  require_mass(p);
  const double weight = p.mass_kg * options.gravity_m_s2;
  const PlacementReading r = read_placement(current, p);
  const double deviation = (r.force_n - weight) / weight;
  if (options.max_force_deviation <= 0) return deviation;
  if (!(std::abs(deviation) <= options.max_force_deviation)) {
    throw CalibrationError(p.spot.label + ": the plate reads " + num(r.force_n, 1) +
                           " N with its current calibration, but " + num(p.mass_kg, 2) + " kg weighs " +
                           num(weight, 1) + " N (" + signed_num(100 * deviation, 1) +
                           " %): check the mass entered, and that the plate was empty when it was zeroed");
  }
  const double off = std::hypot(r.cop_x_m - p.spot.x_m, r.cop_y_m - p.spot.y_m);
  if (!(off <= options.max_cop_deviation_m)) {
    throw CalibrationError(p.spot.label + ": the load is centred " + mm(off) + " from the " + p.spot.label +
                           " mark (at x " + mm(r.cop_x_m) + ", y " + mm(r.cop_y_m) + " instead of x " +
                           mm(p.spot.x_m) + ", y " + mm(p.spot.y_m) + "): put the mass on the " +
                           p.spot.label + " mark, with nothing else on the plate");
  }
  return deviation;
}

PlateFit fit_plate_gains(const PlateSpec& plate, int plate_index, std::span<const Placement> placements,
                         const CalibrationOptions& options) {
  std::vector<const Placement*> used;
  for (const Placement& p : placements) {
    if (p.spot.plate == plate_index) {
      require_mass(p);
      used.push_back(&p);
    }
  }
  const std::string which = "plate " + std::to_string(plate_index);
  if (used.empty()) throw CalibrationError(which + ": no placements of the mass to calibrate from");

  // Moment rows are divided by the cells' mean distance from the centre: every row is then a
  // force, and no kind of equation outweighs the others because of the unit of length.
  double arm = 0;
  for (const CellSpec& c : plate.cells) arm += std::hypot(c.x_m, c.y_m) / kCellsPerPlate;
  if (!(arm > 0)) throw CalibrationError(which + ": the device reports all its cells at the centre");

  const auto rows = static_cast<Eigen::Index>(3 * used.size());
  Eigen::MatrixXd a(rows, kCellsPerPlate);
  Eigen::VectorXd b(rows);
  for (std::size_t j = 0; j < used.size(); ++j) {
    const Placement& p = *used[j];
    const double w = p.mass_kg * options.gravity_m_s2;
    const auto r = static_cast<Eigen::Index>(3 * j);
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      const auto col = static_cast<Eigen::Index>(c);
      a(r, col) = p.tared_counts[c];
      a(r + 1, col) = p.tared_counts[c] * plate.cells[c].x_m / arm;
      a(r + 2, col) = p.tared_counts[c] * plate.cells[c].y_m / arm;
    }
    b(r) = w;
    b(r + 1) = w * p.spot.x_m / arm;
    b(r + 2) = w * p.spot.y_m / arm;
  }

  // Equilibrate the columns (a cell's counts per newton need not be near 1) so that the singular
  // values measure how well the placements pin down each gain, whatever the cells' scale.
  const Eigen::VectorXd norms = a.colwise().norm().transpose();
  const double largest = norms.maxCoeff();
  for (Eigen::Index c = 0; c < kCellsPerPlate; ++c) {
    if (!(norms(c) > 1e-6 * largest)) {
      throw CalibrationError(which + ": the " + cell_name(plate.cells[static_cast<std::size_t>(c)]) +
                             " cell read nothing in any placement: is it connected?");
    }
  }
  const Eigen::MatrixXd scaled = a * norms.cwiseInverse().asDiagonal();
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(scaled, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Eigen::VectorXd& sv = svd.singularValues();
  PlateFit fit;
  fit.plate = plate_index;
  fit.conditioning = sv.size() < kCellsPerPlate ? 0.0 : sv(sv.size() - 1) / sv(0);
  if (!(fit.conditioning >= options.min_conditioning)) {
    char cond[32];
    std::snprintf(cond, sizeof cond, "%.1e", fit.conditioning);
    throw CalibrationError(which + ": these placements do not determine the four cell gains (conditioning " +
                           cond + "): put the mass near each corner as well as on the centre");
  }
  const Eigen::VectorXd g = svd.solve(b).cwiseQuotient(norms);
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    fit.gains_n_per_count[c] = g(static_cast<Eigen::Index>(c));
    if (!(fit.gains_n_per_count[c] > 0) || !std::isfinite(fit.gains_n_per_count[c])) {
      throw CalibrationError(which + ": the " + cell_name(plate.cells[c]) +
                             " cell came out with a gain that is not positive: the placements contradict "
                             "each other (was each mass where it was said to be?)");
    }
  }

  PlateSpec fitted = plate;
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) fitted.cells[c].gain_n_per_count = fit.gains_n_per_count[c];
  double sq = 0;
  for (const Placement* p : used) {
    const PlacementReading r = read_placement(fitted, *p);
    Residual res{p->spot.label, r.force_n - p->mass_kg * options.gravity_m_s2, r.cop_x_m - p->spot.x_m,
                 r.cop_y_m - p->spot.y_m};
    sq += res.force_n * res.force_n;
    fit.max_cop_residual_m = std::max(fit.max_cop_residual_m, std::hypot(res.cop_x_m, res.cop_y_m));
    fit.residuals.push_back(res);
  }
  fit.rms_force_residual_n = std::sqrt(sq / static_cast<double>(used.size()));

  // The placement that fits worst, if it does not fit at all, is named.
  for (std::size_t j = 0; j < used.size(); ++j) {
    const Residual& res = fit.residuals[j];
    const double force_off = std::abs(res.force_n) / (used[j]->mass_kg * options.gravity_m_s2);
    const double cop_off = std::hypot(res.cop_x_m, res.cop_y_m);
    if (force_off > options.max_fit_force_error || cop_off > options.max_fit_cop_error_m) {
      throw CalibrationError(res.label + " does not fit the other placements (force off by " +
                             num(100 * force_off, 2) + " %, centre of pressure off by " + num(cop_off * 1000, 1) +
                             " mm): was the mass on the " + res.label + " mark, with nothing else on the plate?");
    }
  }
  return fit;
}

VerificationResult verify_placement(const PlateSpec& plate, const Placement& p, const Tolerances& tolerances,
                                    double gravity_m_s2, std::chrono::system_clock::time_point when) {
  require_mass(p);
  VerificationResult v;
  v.date_utc = iso8601_utc(when);
  v.spot = p.spot;
  v.mass_kg = p.mass_kg;
  v.tolerances = tolerances;
  const PlacementReading r = read_placement(plate, p);
  v.expected_force_n = p.mass_kg * gravity_m_s2;
  v.measured_force_n = r.force_n;
  v.force_error_pct = 100 * (r.force_n - v.expected_force_n) / v.expected_force_n;
  v.measured_cop_x_m = r.cop_x_m;
  v.measured_cop_y_m = r.cop_y_m;
  v.cop_error_m = std::hypot(r.cop_x_m - p.spot.x_m, r.cop_y_m - p.spot.y_m);
  v.passed = std::abs(v.force_error_pct) <= 100 * tolerances.force_fraction && v.cop_error_m <= tolerances.cop_m;
  return v;
}

CalibrationRecord calibrate(const DeviceDescription& tared, std::span<const Placement> placements,
                            const CalibrationOptions& options, std::chrono::system_clock::time_point when) {
  if (tared.plates.empty()) throw CalibrationError("the device describes no plates");
  for (const Placement& p : placements) check_placement(plate_of(tared, p.spot.plate), p, options);
  CalibrationRecord rec;
  rec.serial = tared.serial;
  rec.date_utc = iso8601_utc(when);
  rec.gravity_m_s2 = options.gravity_m_s2;
  for (std::size_t k = 0; k < tared.plates.size(); ++k) {
    PlateCalibration pc;
    pc.fit = fit_plate_gains(tared.plates[k], static_cast<int>(k), placements, options);
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      pc.offsets_counts[c] = tared.plates[k].cells[c].offset_counts;
      pc.previous_gains_n_per_count[c] = tared.plates[k].cells[c].gain_n_per_count;
    }
    rec.plates.push_back(pc);
  }
  rec.placements.assign(placements.begin(), placements.end());
  return rec;
}

void apply_calibration(DeviceDescription& device, const CalibrationRecord& record, OffsetSource offsets) {
  if (record.serial != device.serial) {
    throw CalibrationError("the calibration is for device '" + record.serial + "', not '" + device.serial + "'");
  }
  if (record.plates.size() != device.plates.size()) {
    throw CalibrationError("the calibration has " + std::to_string(record.plates.size()) +
                           " plate(s), the device " + std::to_string(device.plates.size()));
  }
  for (std::size_t k = 0; k < device.plates.size(); ++k) {
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      CellSpec& cell = device.plates[k].cells[c];
      cell.gain_n_per_count = record.plates[k].fit.gains_n_per_count[c];
      if (offsets == OffsetSource::record) cell.offset_counts = record.plates[k].offsets_counts[c];
    }
  }
  const auto t = std::chrono::system_clock::to_time_t(parse_iso8601_utc(record.date_utc));
  device.calibration_unix_time = t > 0 ? static_cast<std::uint32_t>(t) : 0;
}

std::vector<std::string> calibration_warnings(const CalibrationRecord& record,
                                              std::chrono::system_clock::time_point now, double max_age_days) {
  std::vector<std::string> out;
  try {
    const double age_days =
        std::chrono::duration<double>(now - parse_iso8601_utc(record.date_utc)).count() / 86400.0;
    if (age_days > max_age_days) {
      out.push_back("the calibration of " + record.serial + " is " + num(std::floor(age_days), 0) +
                    " days old (from " + record.date_utc + "; recommended every " + num(max_age_days, 0) +
                    " days): calibrate again");
    }
  } catch (const CalibrationError&) {
    out.push_back("the calibration of " + record.serial + " has no readable date ('" + record.date_utc +
                  "'): calibrate again");
  }
  if (!record.verifications.empty() && !record.verifications.back().passed) {
    const VerificationResult& v = record.verifications.back();
    out.push_back("the last verification (" + v.date_utc + ") was out of tolerance: force error " +
                  signed_num(v.force_error_pct, 2) + " % (tolerance " + num(100 * v.tolerances.force_fraction, 2) +
                  " %), centre of pressure " + num(v.cop_error_m * 1000, 1) + " mm off (tolerance " +
                  num(v.tolerances.cop_m * 1000, 1) + " mm): calibrate again");
  }
  return out;
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::chrono::system_clock::time_point parse_iso8601_utc(const std::string& text) {
  std::tm tm{};
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &used) != 6 ||
      used != static_cast<int>(text.size()) || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
      tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    throw CalibrationError("'" + text + "' is not a UTC date like 2025-03-01T09:30:00Z");
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace fp::acq
