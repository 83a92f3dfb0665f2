// `forceplate calibrate`: the kettlebell calibration (docs/calibration.md) on a plate or on the
// built-in simulated plate, interactive on a terminal or scripted for automation.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "forceplate/acquisition/calibration.hpp"
#include "forceplate/acquisition/calibration_session.hpp"
#include "forceplate/acquisition/calibration_store.hpp"
#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/simulator/simulator.hpp"

namespace fp::cli {

namespace {

struct CalibrateArgs {
  std::string device;
  double mass_kg = 0;
  std::string store;
  bool verify_only = false;
  bool scripted = false;
  double step_delay_s = 0;
  double corner_mm = 0;               // 0: three quarters of the way from the centre to each cell
  std::vector<double> verify_at_mm;   // x,y; default the centre
  double verify_mass_kg = 0;          // 0: the calibration mass
  double window_s = 1.0;
  double force_tolerance_pct = 0.5;
  double cop_tolerance_mm = 2.0;
  double max_age_days = acq::kDefaultMaxCalibrationAgeDays;
  bool no_force_check = false;
  unsigned baud = 921600;
};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string signed_fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", decimals, v);
  return buf;
}

std::string kg(double m) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g kg", m);
  return buf;
}

// The built-in plate for `--device sim`: its cells' true gains differ by several per cent from
// the gains it reports (what a plate whose cells have aged, or were swapped, does), and its
// offsets from the stored ones, so there is something to calibrate.
sim::SimulatorConfig simulated_plate(bool fast) {
  sim::SimulatorConfig c;
  c.serial = "SIM-CAL-0001";
  c.rate_hz = 100;
  c.speed = fast ? 5.0 : 1.0;
  const std::array<double, sim::kCellsPerPlate> true_factor{1.04, 0.95, 1.06, 0.97};
  const std::array<double, sim::kCellsPerPlate> true_offset{10000, 10350, 9800, 10120};
  std::array<std::array<sim::CellModel, sim::kCellsPerPlate>, sim::kMaxPlates> stored{};
  for (std::size_t i = 0; i < sim::kCellsPerPlate; ++i) {
    c.plates[0].cells[i].gain_n_per_count = 0.0005 * true_factor[i];
    c.plates[0].cells[i].offset_counts = true_offset[i];
    stored[0][i].gain_n_per_count = 0.0005;
    stored[0][i].offset_counts = 10000;
  }
  c.stored_calibration = stored;
  return c;
}

sim::BodyState mass_at(const acq::PlacementSpot& spot, double mass_kg) {
  sim::BodyState b;
  b.plates[static_cast<std::size_t>(spot.plate)] = {mass_kg * sim::kGravity, spot.x_m, spot.y_m};
  return b;
}

std::string where(const acq::PlacementSpot& s, std::size_t plate_count) {
  std::string text = "the " + s.label + " mark";
  if (s.x_m != 0 || s.y_m != 0) {
    text += " (" + fixed(std::abs(s.x_m) * 1000, 0) + " mm " + (s.x_m < 0 ? "left" : "right") + ", " +
            fixed(std::abs(s.y_m) * 1000, 0) + " mm " + (s.y_m < 0 ? "back" : "forward") + " of the centre)";
  }
  if (plate_count > 1) text += std::string(" of the ") + (s.plate == 0 ? "left" : "right") + " plate";
  return text;
}

// The person at the plate: told what to do, and (on a terminal) asked to press Enter when done.
// With the simulator the program puts the load on the plate itself.
class Operator {
 public:
  Operator(const CalibrateArgs& a, sim::Simulator* simulator) : args_(a), sim_(simulator) {}

  void step(const std::string& instruction, const std::optional<sim::BodyState>& load) {
    if (args_.scripted) {
      std::cerr << "> " << instruction << "\n";
      if (args_.step_delay_s > 0) std::this_thread::sleep_for(std::chrono::duration<double>(args_.step_delay_s));
    } else {
      std::cerr << instruction << " and press Enter: " << std::flush;
      std::string line;
      const bool ok = static_cast<bool>(std::getline(std::cin, line));
      if (!::isatty(STDIN_FILENO)) std::cerr << "\n";  // the Enter a terminal would have echoed
      if (!ok) {
        throw std::runtime_error("input ended before the calibration was finished (use --scripted to run without "
                                 "prompts); nothing was stored");
      }
      if (line == "q" || line == "quit") throw std::runtime_error("calibration stopped; nothing was stored");
    }
    if (sim_ && load) sim_->place_load(*load);
  }

  // A refused step: on a terminal, say why and offer to measure again; scripted, give up.
  template <class Measure>
  auto measure(const std::string& instruction, const std::optional<sim::BodyState>& load, Measure m) {
    step(instruction, load);
    for (;;) {
      try {
        return m();
      } catch (const acq::CalibrationError& e) {
        if (args_.scripted) throw;
        std::cerr << "  not accepted: " << e.what() << "\n";
        step("Put it right (or type q to stop)", load);
      }
    }
  }

 private:
  const CalibrateArgs& args_;
  sim::Simulator* sim_;
};

void print_verification(const acq::VerificationResult& v, std::size_t plate_count) {
  std::cout << "verification: " << kg(v.mass_kg) << " on " << where(v.spot, plate_count) << "\n"
            << "  force " << fixed(v.measured_force_n, 2) << " N, expected " << fixed(v.expected_force_n, 2)
            << " N: error " << signed_fixed(v.force_error_pct, 2) << " % (tolerance "
            << fixed(100 * v.tolerances.force_fraction, 2) << " %)\n"
            << "  centre of pressure " << fixed(v.cop_error_m * 1000, 1) << " mm from the mark (tolerance "
            << fixed(v.tolerances.cop_m * 1000, 1) << " mm)\n"
            << "  " << (v.passed ? "PASS" : "FAIL") << "\n";
}

void print_calibration(const acq::CalibrationRecord& rec, const acq::DeviceDescription& before) {
  std::cout << "calibration of " << rec.serial << " (" << rec.date_utc << ")\n";
  for (std::size_t k = 0; k < rec.plates.size(); ++k) {
    const acq::PlateCalibration& pc = rec.plates[k];
    if (rec.plates.size() > 1) std::cout << (k == 0 ? "left plate\n" : "right plate\n");
    std::cout << "  cell          gain before    gain after     change   (N/count)\n";
    for (std::size_t c = 0; c < acq::kCellsPerPlate; ++c) {
      const acq::CellSpec& cell = before.plates[k].cells[c];
      const double g0 = pc.previous_gains_n_per_count[c], g1 = pc.fit.gains_n_per_count[c];
      char line[128];
      std::snprintf(line, sizeof line, "  %-12s  %.7e  %.7e  %+6.2f %%\n",
                    (std::string(cell.y_m >= 0 ? "front" : "back") + "-" + (cell.x_m < 0 ? "left" : "right")).c_str(),
                    g0, g1, 100 * (g1 / g0 - 1));
      std::cout << line;
    }
    // How each placement read with the old gains and with the new ones.
    acq::PlateSpec after_spec = before.plates[k];
    for (std::size_t c = 0; c < acq::kCellsPerPlate; ++c) after_spec.cells[c].gain_n_per_count = pc.fit.gains_n_per_count[c];
    std::cout << "  placement     mass       before: force    COP      after: force    COP\n";
    for (const acq::Placement& p : rec.placements) {
      if (p.spot.plate != static_cast<int>(k)) continue;
      const double w = p.mass_kg * rec.gravity_m_s2;
      const auto r0 = acq::read_placement(before.plates[k], p);
      const auto r1 = acq::read_placement(after_spec, p);
      char line[160];
      std::snprintf(line, sizeof line, "  %-12s  %-9s  %+8.2f %%  %5.1f mm    %+8.3f %%  %5.2f mm\n", p.spot.label.c_str(),
                    kg(p.mass_kg).c_str(), 100 * (r0.force_n - w) / w,
                    1000 * std::hypot(r0.cop_x_m - p.spot.x_m, r0.cop_y_m - p.spot.y_m), 100 * (r1.force_n - w) / w,
                    1000 * std::hypot(r1.cop_x_m - p.spot.x_m, r1.cop_y_m - p.spot.y_m));
      std::cout << line;
    }
    std::cout << "  fit: rms force residual " << fixed(pc.fit.rms_force_residual_n, 3)
              << " N, largest centre-of-pressure residual " << fixed(pc.fit.max_cop_residual_m * 1000, 2)
              << " mm, conditioning " << fixed(pc.fit.conditioning, 3) << "\n";
  }
}

void run(const CalibrateArgs& a) {
  namespace fs = std::filesystem;
  const fs::path dir = a.store.empty() ? acq::default_calibration_dir() : fs::path(a.store);
  acq::Tolerances tol{a.force_tolerance_pct / 100, a.cop_tolerance_mm / 1000};
  if (!a.verify_at_mm.empty() && a.verify_at_mm.size() != 2) {
    throw std::invalid_argument("--verify-at takes X,Y in mm (two numbers)");
  }

  std::unique_ptr<sim::Simulator> simulator;
  std::string path = a.device;
  if (a.device == "sim") {
    simulator = std::make_unique<sim::Simulator>(simulated_plate(a.scripted));
    simulator->place_load(sim::BodyState{});  // nothing on the plate until the operator says so
    simulator->start();
    path = simulator->port_path();
    std::cerr << "simulated plate " << simulator->config().serial << " on " << path
              << " (its stored gains are deliberately wrong)\n";
  }
  acq::DeviceConnection connection(acq::ConnectionOptions{path, a.baud});
  const acq::DeviceDescription device = connection.connect();
  const std::size_t plates = device.plates.size();
  std::cerr << "connected to " << device.serial << " (" << plates << " plate(s), " << device.current_rate_hz
            << " Hz)\n";

  std::optional<acq::CalibrationRecord> stored = acq::load_calibration(dir, device.serial);
  if (stored) {
    std::cerr << "current calibration: " << stored->date_utc << " ("
              << acq::calibration_file(dir, device.serial).string() << ")\n";
    for (const std::string& w : acq::calibration_warnings(*stored, std::chrono::system_clock::now(), a.max_age_days)) {
      std::cerr << "warning: " << w << "\n";
    }
  } else if (a.verify_only) {
    throw std::runtime_error("no calibration of " + device.serial + " is stored in " + dir.string() +
                             ": run forceplate calibrate without --verify-only first");
  }

  acq::CalibrationSessionOptions so;
  so.window_s = a.window_s;
  if (a.no_force_check || (!stored && connection.is_text_plate())) {
    so.calibration.max_force_deviation = 0;
    std::cerr << "note: placements are not checked against the plate's current calibration\n";
  }
  acq::CalibrationSession session(connection, so);
  if (stored) session.use_gains_of(*stored);
  Operator op(a, simulator.get());

  op.measure("Empty the plate", sim::BodyState{}, [&] {
    session.zero();
    return 0;
  });
  std::cerr << "  zeroed\n";

  acq::CalibrationRecord record;
  if (a.verify_only) {
    record = *stored;
  } else {
    for (std::size_t k = 0; k < plates; ++k) {
      for (acq::PlacementSpot spot : acq::standard_spots(device.plates[k], static_cast<int>(k))) {
        if (a.corner_mm > 0 && spot.label != "centre") {
          spot.x_m = std::copysign(a.corner_mm / 1000, spot.x_m);
          spot.y_m = std::copysign(a.corner_mm / 1000, spot.y_m);
        }
        const acq::Placement& p = op.measure("Put the " + kg(a.mass_kg) + " mass on " + where(spot, plates),
                                             mass_at(spot, a.mass_kg), [&] { return session.measure(spot, a.mass_kg); });
        std::cerr << "  " << spot.label << ": " << fixed(acq::read_placement(session.current().plates[k], p).force_n, 2)
                  << " N with the current calibration\n";
      }
    }
    record = session.finish();
    print_calibration(record, session.current());
  }

  const double verify_mass = a.verify_mass_kg > 0 ? a.verify_mass_kg : a.mass_kg;
  acq::PlacementSpot spot{"centre", 0, 0, 0};
  if (!a.verify_at_mm.empty() && (a.verify_at_mm[0] != 0 || a.verify_at_mm[1] != 0)) {
    spot = {"verification", 0, a.verify_at_mm[0] / 1000, a.verify_at_mm[1] / 1000};
  }
  const acq::VerificationResult v =
      op.measure("Put the " + kg(verify_mass) + " mass on " + where(spot, plates), mass_at(spot, verify_mass),
                 [&] { return session.verify(record, spot, verify_mass, tol); });
  record.verifications.push_back(v);
  print_verification(v, plates);

  const fs::path file = acq::save_calibration(record, dir);
  std::cout << "stored: " << file.string() << "\n";
  std::cerr << "Take the mass off the plate.\n";
  if (simulator) simulator->place_load(sim::BodyState{});
  connection.close();
  if (simulator) simulator->stop();
  if (!v.passed) {
    throw std::runtime_error("verification out of tolerance (force " + signed_fixed(v.force_error_pct, 2) + " %, COP " +
                             fixed(v.cop_error_m * 1000, 1) + " mm): check the mass and the marks, then calibrate again");
  }
}

}  // namespace

void add_calibrate(CLI::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Calibrate a plate's cells with a known mass (docs/calibration.md), or verify its calibration");
  cmd->add_option("--device", args->device, "serial port of the plate, e.g. /dev/ttyACM0, or 'sim' for the built-in simulated plate")
      ->required();
  cmd->add_option("--mass", args->mass_kg, "the known mass in kg (e.g. a kettlebell, weighed on good scales)")
      ->required()->check(CLI::Range(0.5, 500.0));
  cmd->add_option("--store", args->store,
                  "folder of calibration records (default $FORCEPLATE_CALIBRATION_DIR, $XDG_DATA_HOME/forceplate/"
                  "calibrations or ~/.local/share/forceplate/calibrations)");
  cmd->add_flag("--verify-only", args->verify_only, "only check the stored calibration with the mass at a known spot");
  cmd->add_flag("--scripted", args->scripted,
                "no prompts: print each step and go on (the simulator places the masses itself)");
  cmd->add_option("--step-delay", args->step_delay_s, "with --scripted: seconds to wait before each measurement")
      ->check(CLI::Range(0.0, 600.0));
  cmd->add_option("--corner-mm", args->corner_mm,
                  "corner marks this far from the centre along x and y (default: 3/4 of the way to each cell)")
      ->check(CLI::Range(10.0, 1000.0));
  cmd->add_option("--verify-at", args->verify_at_mm, "verification spot X,Y in mm from the centre (default: the centre)")
      ->delimiter(',')->expected(2);
  cmd->add_option("--verify-mass", args->verify_mass_kg, "mass for the verification in kg (default: --mass)")
      ->check(CLI::Range(0.5, 500.0));
  cmd->add_option("--window", args->window_s, "seconds averaged per step")->check(CLI::Range(0.2, 30.0))->capture_default_str();
  cmd->add_option("--force-tolerance", args->force_tolerance_pct, "verification tolerance on force, %")
      ->check(CLI::Range(0.01, 50.0))->capture_default_str();
  cmd->add_option("--cop-tolerance", args->cop_tolerance_mm, "verification tolerance on the centre of pressure, mm")
      ->check(CLI::Range(0.1, 100.0))->capture_default_str();
  cmd->add_option("--max-age-days", args->max_age_days, "warn about calibrations older than this")
      ->check(CLI::Range(1.0, 36500.0))->capture_default_str();
  cmd->add_flag("--no-force-check", args->no_force_check,
                "do not check placements against the current calibration (a plate never calibrated)");
  cmd->add_option("--baud", args->baud, "baud rate")->capture_default_str();
  cmd->callback([args] { run(*args); });
}

}  // namespace fp::cli
