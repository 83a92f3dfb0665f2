// Calibration with a known mass: the least-squares solver on exact data, its refusals, the stored
// record, and the whole procedure on a simulated plate whose cells are not what it says they are.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "forceplate/acquisition/calibration.hpp"
#include "forceplate/acquisition/calibration_session.hpp"
#include "forceplate/acquisition/calibration_store.hpp"
#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/acquisition/signal.hpp"
#include "forceplate/simulator/plate_model.hpp"
#include "forceplate/simulator/simulator.hpp"

namespace fp::acq {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::system_clock;

// The simulator's reference plate: cells 400 mm apart, in protocol order FL, FR, BR, BL.
PlateSpec reference_plate(const std::array<double, kCellsPerPlate>& gains) {
  PlateSpec p;
  p.width_m = p.length_m = 0.5;
  const sim::PlateGeometry g;
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) p.cells[c] = CellSpec{g.cell_x_m[c], g.cell_y_m[c], gains[c], 0.0};
  return p;
}

// What cells of the given true gains read, tared, with `mass_kg` at `spot`: the load split over
// the cells by the simulator's plate model (code this test did not write).
Placement exact_placement(const PlacementSpot& spot, double mass_kg, const std::array<double, kCellsPerPlate>& true_gains) {
  const auto forces = sim::split_load(sim::PlateGeometry{}, sim::PlateLoad{mass_kg * kStandardGravity, spot.x_m, spot.y_m});
  Placement p;
  p.spot = spot;
  p.mass_kg = mass_kg;
  p.samples = 100;
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) p.tared_counts[c] = forces[c] / true_gains[c];
  return p;
}

constexpr std::array<double, kCellsPerPlate> kTrueGains{5.25e-4, 4.85e-4, 4.70e-4, 5.15e-4};
constexpr std::array<double, kCellsPerPlate> kNominalGains{5e-4, 5e-4, 5e-4, 5e-4};

std::vector<Placement> standard_exact_placements(double mass_kg = 20) {
  std::vector<Placement> out;
  for (const PlacementSpot& s : standard_spots(reference_plate(kNominalGains), 0)) {
    out.push_back(exact_placement(s, mass_kg, kTrueGains));
  }
  return out;
}

DeviceDescription reference_device(const std::string& serial = "PLATE-42") {
  DeviceDescription d;
  d.serial = serial;
  d.plates.push_back(reference_plate(kNominalGains));
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) d.plates[0].cells[c].offset_counts = 10000.0 + 10.0 * c;
  return d;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const CalibrationError& e) {
    return e.what();
  }
  return "(no CalibrationError)";
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(FP_BINARY_DIR) / "calibration-test" / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// The pure parts

TEST(CalibrationSolver, ExactPlacementsAtCentreAndCorners_RecoverTheTrueGainsToOnePartInABillion) {
  const std::vector<Placement> placements = standard_exact_placements();
  ASSERT_EQ(placements.size(), 5u);
  const PlateFit fit = fit_plate_gains(reference_plate(kNominalGains), 0, placements);
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    EXPECT_NEAR(fit.gains_n_per_count[c] / kTrueGains[c], 1.0, 1e-9) << "cell " << c;
  }
  ASSERT_EQ(fit.residuals.size(), 5u);
  for (const Residual& r : fit.residuals) {
    EXPECT_NEAR(r.force_n, 0.0, 1e-9) << r.label;
    EXPECT_NEAR(r.cop_x_m, 0.0, 1e-12) << r.label;
    EXPECT_NEAR(r.cop_y_m, 0.0, 1e-12) << r.label;
  }
  EXPECT_GT(fit.conditioning, 0.1);
}

TEST(CalibrationSolver, MixedMassesAndArbitrarySpots_RecoverTheTrueGainsToOnePartInABillion) {
  std::vector<Placement> placements;
  const double spots[][3] = {{12.0, 0.03, -0.01}, {20.0, -0.17, 0.12}, {8.0, 0.11, 0.16}, {32.0, 0.05, -0.18}};
  for (const auto& s : spots) placements.push_back(exact_placement({"spot", 0, s[1], s[2]}, s[0], kTrueGains));
  const PlateFit fit = fit_plate_gains(reference_plate(kNominalGains), 0, placements);
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    EXPECT_NEAR(fit.gains_n_per_count[c] / kTrueGains[c], 1.0, 1e-9) << "cell " << c;
  }
}

TEST(CalibrationSolver, CentreAndOneCornerAlone_DetermineTheGains) {
  const std::vector<Placement> all = standard_exact_placements();
  const std::vector<Placement> two{all[0], all[2]};
  const PlateFit fit = fit_plate_gains(reference_plate(kNominalGains), 0, two);
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    EXPECT_NEAR(fit.gains_n_per_count[c] / kTrueGains[c], 1.0, 1e-9) << "cell " << c;
  }
}

TEST(CalibrationSolver, NoisyPlacements_ResidualsReportTheMisfit) {
  std::vector<Placement> placements = standard_exact_placements();
  placements[2].tared_counts[1] *= 1.002;  // one cell of one placement reads 0.2 % high
  const PlateFit fit = fit_plate_gains(reference_plate(kNominalGains), 0, placements);
  EXPECT_GT(fit.rms_force_residual_n, 0.01);
  EXPECT_GT(fit.max_cop_residual_m, 1e-5);
  EXPECT_LT(fit.max_cop_residual_m, 1e-3);
}

TEST(CalibrationSolver, EveryPlacementAtTheCentre_RefusedAsNotDeterminingTheGains) {
  std::vector<Placement> placements;
  for (int i = 0; i < 5; ++i) placements.push_back(exact_placement({"centre", 0, 0, 0}, 20, kTrueGains));
  const std::string m = message_of([&] { fit_plate_gains(reference_plate(kNominalGains), 0, placements); });
  EXPECT_NE(m.find("do not determine the four cell gains"), std::string::npos) << m;
  EXPECT_NE(m.find("corner"), std::string::npos) << m;
}

TEST(CalibrationSolver, EveryPlacementOnOneSpotOffCentre_RefusedAsNotDeterminingTheGains) {
  std::vector<Placement> placements;
  for (int i = 0; i < 3; ++i) placements.push_back(exact_placement({"front-left", 0, -0.15, 0.15}, 20, kTrueGains));
  const std::string m = message_of([&] { fit_plate_gains(reference_plate(kNominalGains), 0, placements); });
  EXPECT_NE(m.find("do not determine"), std::string::npos) << m;
}

TEST(CalibrationSolver, NoPlacementOnThePlate_Refused) {
  const std::vector<Placement> placements = standard_exact_placements();
  const std::string m = message_of([&] { fit_plate_gains(reference_plate(kNominalGains), 1, placements); });
  EXPECT_NE(m.find("no placements"), std::string::npos) << m;
}

TEST(CalibrationSolver, CellThatNeverReadsAnything_RefusedNamingTheCell) {
  std::vector<Placement> placements = standard_exact_placements();
  for (Placement& p : placements) p.tared_counts[2] = 0;
  const std::string m = message_of([&] { fit_plate_gains(reference_plate(kNominalGains), 0, placements); });
  EXPECT_NE(m.find("back-right cell read nothing"), std::string::npos) << m;
}

TEST(CalibrationSolver, MassOnAnotherMarkThanSaid_RefusedAsNotFittingTheOthers) {
  std::vector<Placement> placements = standard_exact_placements();
  // The "back-left" placement was really made on the back-right mark.
  placements[4] = exact_placement({"back-right", 0, 0.15, -0.15}, 20, kTrueGains);
  placements[4].spot = {"back-left", 0, -0.15, -0.15};
  CalibrationOptions opt;
  opt.max_force_deviation = 0;  // not caught before the fit
  const std::string m = message_of([&] { fit_plate_gains(reference_plate(kNominalGains), 0, placements, opt); });
  EXPECT_NE(m.find("does not fit the other placements"), std::string::npos) << m;
}

TEST(CalibrationCheck, WrongMassEntered_PlacementRefusedAsFarFromMg) {
  Placement p = exact_placement({"centre", 0, 0, 0}, 20, kTrueGains);
  p.mass_kg = 16;  // a 20 kg kettlebell entered as 16 kg
  const std::string m = message_of([&] { check_placement(reference_plate(kNominalGains), p); });
  EXPECT_NE(m.find("centre: the plate reads"), std::string::npos) << m;
  EXPECT_NE(m.find("check the mass entered"), std::string::npos) << m;
}

TEST(CalibrationCheck, GainsOffByAFewPercent_PlacementAccepted) {
  for (const Placement& p : standard_exact_placements()) {
    const double deviation = check_placement(reference_plate(kNominalGains), p);
    EXPECT_LT(std::abs(deviation), 0.10) << p.spot.label;
    EXPECT_GT(std::abs(deviation), 0.001) << p.spot.label << ": the gains are wrong, so is the force";
  }
}

TEST(CalibrationCheck, MassOnTheWrongCorner_PlacementRefusedNamingTheMark) {
  Placement p = exact_placement({"front-right", 0, 0.15, 0.15}, 20, kTrueGains);
  p.spot = {"front-left", 0, -0.15, 0.15};
  const std::string m = message_of([&] { check_placement(reference_plate(kNominalGains), p); });
  EXPECT_NE(m.find("put the mass on the front-left mark"), std::string::npos) << m;
}

TEST(CalibrationCheck, CalibrateChecksEveryPlacementBeforeSolving) {
  std::vector<Placement> placements = standard_exact_placements();
  placements[3].mass_kg = 25;
  const std::string m = message_of([&] { calibrate(reference_device(), placements); });
  EXPECT_NE(m.find(placements[3].spot.label + ": the plate reads"), std::string::npos) << m;
}

TEST(CalibrationSpots, StandardSpotsAreTheCentreAndThreeQuartersOfTheWayToEachCell) {
  const auto spots = standard_spots(reference_plate(kNominalGains), 0);
  ASSERT_EQ(spots.size(), 5u);
  EXPECT_EQ(spots[0].label, "centre");
  EXPECT_EQ(spots[1].label, "front-left");
  EXPECT_NEAR(spots[1].x_m, -0.15, 1e-12);
  EXPECT_NEAR(spots[1].y_m, 0.15, 1e-12);
  EXPECT_EQ(spots[2].label, "front-right");
  EXPECT_EQ(spots[3].label, "back-left");
  EXPECT_EQ(spots[4].label, "back-right");
  EXPECT_NEAR(spots[4].x_m, 0.15, 1e-12);
  EXPECT_NEAR(spots[4].y_m, -0.15, 1e-12);
}

TEST(CalibrationVerify, KnownMassReadExactly_PassesAndJustOutsideToleranceFails) {
  const PlateSpec calibrated = reference_plate(kTrueGains);
  const Placement p = exact_placement({"check", 0, 0.07, -0.11}, 20, kTrueGains);
  const VerificationResult ok = verify_placement(calibrated, p);
  EXPECT_TRUE(ok.passed);
  EXPECT_NEAR(ok.force_error_pct, 0.0, 1e-9);
  EXPECT_NEAR(ok.cop_error_m, 0.0, 1e-12);

  PlateSpec high = calibrated;
  for (auto& c : high.cells) c.gain_n_per_count *= 1.006;  // reads 0.6 % high
  const VerificationResult bad = verify_placement(high, p);
  EXPECT_FALSE(bad.passed);
  EXPECT_NEAR(bad.force_error_pct, 0.6, 1e-9);
  EXPECT_NEAR(bad.cop_error_m, 0.0, 1e-12);

  PlateSpec skewed = calibrated;
  skewed.cells[1].gain_n_per_count *= 1.05;  // front-right 5 % high: the COP moves towards it
  const VerificationResult moved = verify_placement(skewed, p, Tolerances{0.05, 0.002});
  EXPECT_GT(moved.cop_error_m, 0.002);
  EXPECT_FALSE(moved.passed);
}

TEST(CalibrationApply, GainsReplacedOffsetsKeptUnlessAskedAndOtherSerialRefused) {
  DeviceDescription today = reference_device();
  for (auto& c : today.plates[0].cells) c.offset_counts = 12345;  // today's tare
  const CalibrationRecord rec = calibrate(reference_device(), standard_exact_placements(), {},
                                          parse_iso8601_utc("2025-03-01T09:30:00Z"));
  DeviceDescription d = today;
  apply_calibration(d, rec);
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    EXPECT_NEAR(d.plates[0].cells[c].gain_n_per_count / kTrueGains[c], 1.0, 1e-9);
    EXPECT_EQ(d.plates[0].cells[c].offset_counts, 12345);
  }
  EXPECT_EQ(d.calibration_unix_time, 1740821400u);
  apply_calibration(d, rec, OffsetSource::record);
  EXPECT_EQ(d.plates[0].cells[3].offset_counts, 10030);

  DeviceDescription other = reference_device("PLATE-43");
  const std::string m = message_of([&] { apply_calibration(other, rec); });
  EXPECT_NE(m.find("for device 'PLATE-42', not 'PLATE-43'"), std::string::npos) << m;
}

CalibrationRecord sample_record() {
  const std::vector<Placement> placements = standard_exact_placements();
  CalibrationRecord rec = calibrate(reference_device(), placements, {}, parse_iso8601_utc("2025-03-01T09:30:00Z"));
  rec.verifications.push_back(verify_placement(reference_plate(kTrueGains),
                                               exact_placement({"verification", 0, 0.06, -0.09}, 20, kTrueGains), {},
                                               kStandardGravity, parse_iso8601_utc("2025-03-01T09:41:07Z")));
  return rec;
}

TEST(CalibrationRecordJson, RoundTripKeepsEveryValueExactly) {
  const CalibrationRecord a = sample_record();
  const CalibrationRecord b = calibration_from_json(calibration_to_json(a));
  EXPECT_EQ(b.serial, "PLATE-42");
  EXPECT_EQ(b.date_utc, "2025-03-01T09:30:00Z");
  EXPECT_EQ(b.gravity_m_s2, a.gravity_m_s2);
  ASSERT_EQ(b.plates.size(), 1u);
  EXPECT_EQ(b.plates[0].fit.gains_n_per_count, a.plates[0].fit.gains_n_per_count);
  EXPECT_EQ(b.plates[0].offsets_counts, a.plates[0].offsets_counts);
  EXPECT_EQ(b.plates[0].previous_gains_n_per_count, a.plates[0].previous_gains_n_per_count);
  EXPECT_EQ(b.plates[0].fit.conditioning, a.plates[0].fit.conditioning);
  EXPECT_EQ(b.plates[0].fit.rms_force_residual_n, a.plates[0].fit.rms_force_residual_n);
  ASSERT_EQ(b.plates[0].fit.residuals.size(), 5u);
  EXPECT_EQ(b.plates[0].fit.residuals[3].label, a.plates[0].fit.residuals[3].label);
  EXPECT_EQ(b.plates[0].fit.residuals[3].cop_y_m, a.plates[0].fit.residuals[3].cop_y_m);
  ASSERT_EQ(b.placements.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(b.placements[i].spot.label, a.placements[i].spot.label);
    EXPECT_EQ(b.placements[i].spot.x_m, a.placements[i].spot.x_m);
    EXPECT_EQ(b.placements[i].spot.y_m, a.placements[i].spot.y_m);
    EXPECT_EQ(b.placements[i].mass_kg, a.placements[i].mass_kg);
    EXPECT_EQ(b.placements[i].tared_counts, a.placements[i].tared_counts);
    EXPECT_EQ(b.placements[i].samples, a.placements[i].samples);
  }
  ASSERT_EQ(b.verifications.size(), 1u);
  const VerificationResult &va = a.verifications[0], &vb = b.verifications[0];
  EXPECT_EQ(vb.date_utc, "2025-03-01T09:41:07Z");
  EXPECT_EQ(vb.spot.label, "verification");
  EXPECT_EQ(vb.measured_force_n, va.measured_force_n);
  EXPECT_EQ(vb.force_error_pct, va.force_error_pct);
  EXPECT_EQ(vb.cop_error_m, va.cop_error_m);
  EXPECT_EQ(vb.tolerances.force_fraction, 0.005);
  EXPECT_EQ(vb.tolerances.cop_m, 0.002);
  EXPECT_TRUE(vb.passed);
  EXPECT_EQ(calibration_to_json(b), calibration_to_json(a));
}

TEST(CalibrationRecordJson, DamagedOrForeignFiles_RefusedWithAClearMessage) {
  EXPECT_NE(message_of([] { calibration_from_json("{not json"); }).find("not valid JSON"), std::string::npos);
  EXPECT_NE(message_of([] { calibration_from_json(R"({"format":"something-else"})"); }).find("not a calibration record"),
            std::string::npos);
  std::string text = calibration_to_json(sample_record());
  const auto at = text.find("\"gain_n_per_count\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 18, "\"gain_per_count\"");
  const std::string m = message_of([&] { calibration_from_json(text); });
  EXPECT_NE(m.find("plate 0 cell 0 has no 'gain_n_per_count'"), std::string::npos) << m;
}

TEST(CalibrationStore, SavedUnderTheSerialLoadedBackAndThePreviousOneKeptInHistory) {
  const fs::path dir = fresh_dir("store");
  CalibrationRecord first = sample_record();
  first.serial = "PLATE/42 A";  // not a safe file name as it is
  const fs::path file = save_calibration(first, dir);
  EXPECT_EQ(file, dir / "PLATE_42_A.json");
  ASSERT_TRUE(load_calibration(dir, "PLATE/42 A").has_value());
  EXPECT_FALSE(load_calibration(dir, "PLATE-99").has_value());

  CalibrationRecord second = first;
  second.date_utc = "2025-09-01T08:00:00Z";
  save_calibration(second, dir);
  EXPECT_EQ(load_calibration(dir, "PLATE/42 A")->date_utc, "2025-09-01T08:00:00Z");
  EXPECT_TRUE(fs::exists(dir / "history" / "PLATE_42_A-2025-03-01T093000Z.json"));
  // Saving the same calibration again (a verification added) archives nothing.
  second.verifications.push_back(second.verifications.front());
  save_calibration(second, dir);
  EXPECT_EQ(load_calibration(dir, "PLATE/42 A")->verifications.size(), 2u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "history"), fs::directory_iterator()), 1);

  std::ofstream(dir / "BROKEN.json") << "{";
  const std::string m = message_of([&] { load_calibration(dir, "BROKEN"); });
  EXPECT_NE(m.find("BROKEN.json"), std::string::npos) << m;
  EXPECT_NE(message_of([&] { calibration_file(dir, ""); }).find("no serial number"), std::string::npos);
}

TEST(CalibrationStore, DefaultFolderFollowsTheOverrideThenXdgThenHome) {
  const auto keep = [](const char* n) { const char* v = std::getenv(n); return v ? std::optional<std::string>(v) : std::nullopt; };
  const auto restore = [](const char* n, const std::optional<std::string>& v) {
    if (v) ::setenv(n, v->c_str(), 1); else ::unsetenv(n);
  };
  const auto o = keep("FORCEPLATE_CALIBRATION_DIR"), x = keep("XDG_DATA_HOME"), h = keep("HOME");
  ::unsetenv("FORCEPLATE_CALIBRATION_DIR");
  ::setenv("HOME", "/home/physio", 1);
  ::unsetenv("XDG_DATA_HOME");
  EXPECT_EQ(default_calibration_dir(), fs::path("/home/physio/.local/share/forceplate/calibrations"));
  ::setenv("XDG_DATA_HOME", "/data/xdg", 1);
  EXPECT_EQ(default_calibration_dir(), fs::path("/data/xdg/forceplate/calibrations"));
  ::setenv("FORCEPLATE_CALIBRATION_DIR", "/srv/cal", 1);
  EXPECT_EQ(default_calibration_dir(), fs::path("/srv/cal"));
  restore("FORCEPLATE_CALIBRATION_DIR", o);
  restore("XDG_DATA_HOME", x);
  restore("HOME", h);
}

TEST(CalibrationWarnings, OlderThanTheSetAge_WarnsWithTheAge) {
  const CalibrationRecord rec = sample_record();  // 2025-03-01T09:30:00Z, verification passed
  const auto made = parse_iso8601_utc(rec.date_utc);
  EXPECT_TRUE(calibration_warnings(rec, made + hours(24 * 179)).empty());
  const auto w = calibration_warnings(rec, made + hours(24 * 200));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("200 days old"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("calibrate again"), std::string::npos) << w[0];
  EXPECT_EQ(calibration_warnings(rec, made + hours(24 * 40), 30).size(), 1u);  // a clinic's stricter limit
}

TEST(CalibrationWarnings, LastVerificationOutOfTolerance_WarnsUntilAPassingOne) {
  CalibrationRecord rec = sample_record();
  const auto soon = parse_iso8601_utc(rec.date_utc) + hours(24);
  VerificationResult failed = rec.verifications.back();
  failed.passed = false;
  failed.force_error_pct = 0.81;
  rec.verifications.push_back(failed);
  const auto w = calibration_warnings(rec, soon);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("out of tolerance: force error +0.81 %"), std::string::npos) << w[0];
  rec.verifications.push_back(rec.verifications.front());  // verified again, and passed
  EXPECT_TRUE(calibration_warnings(rec, soon).empty());
}

TEST(CalibrationDates, Iso8601RoundTripAndNonsenseRefused) {
  const auto t = parse_iso8601_utc("2024-02-29T23:59:58Z");
  EXPECT_EQ(system_clock::to_time_t(t), 1709251198);
  EXPECT_EQ(iso8601_utc(t), "2024-02-29T23:59:58Z");
  EXPECT_THROW(parse_iso8601_utc("2024-02-29 23:59:58"), CalibrationError);
  EXPECT_THROW(parse_iso8601_utc("2024-13-01T00:00:00Z"), CalibrationError);
  EXPECT_THROW(parse_iso8601_utc("2024-02-29T23:59:58Z junk"), CalibrationError);
}

// ---------------------------------------------------------------------------------------------
// The whole procedure on a simulated plate, through the real pseudo-terminal path

// The cells' true gains differ by several per cent from the 0.0005 N/count the plate reports,
// and their offsets from the stored ones.
constexpr std::array<double, kCellsPerPlate> kTrueFactor{1.05, 0.97, 0.94, 1.03};

sim::SimulatorConfig miscalibrated_plate() {
  sim::SimulatorConfig cfg;
  cfg.serial = "SIM-CAL-TEST";
  cfg.rate_hz = 200;
  cfg.speed = 5;
  std::array<std::array<sim::CellModel, sim::kCellsPerPlate>, sim::kMaxPlates> stored{};
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    cfg.plates[0].cells[c].gain_n_per_count = 0.0005 * kTrueFactor[c];
    cfg.plates[0].cells[c].offset_counts = 10000 + 300.0 * static_cast<double>(c);
    stored[0][c].gain_n_per_count = 0.0005;
    stored[0][c].offset_counts = 10000;
  }
  cfg.stored_calibration = stored;
  return cfg;
}

sim::BodyState mass_at(double kg, double x_m, double y_m) {
  sim::BodyState b;
  b.plates[0] = {kg * sim::kGravity, x_m, y_m};
  return b;
}

struct Reading {
  double force_n = 0, cop_x_m = 0, cop_y_m = 0;
};

// Mean force and COP of the samples, converted by the ordinary SignalConverter with `device`.
Reading average(const std::vector<Sample>& samples, const DeviceDescription& device) {
  SignalConverter convert(device);
  Reading r;
  for (Sample s : samples) {
    convert.convert(s);
    r.force_n += s.fz_n[0];
    r.cop_x_m += s.cop_x_m[0];
    r.cop_y_m += s.cop_y_m[0];
  }
  const double n = static_cast<double>(samples.size());
  return {r.force_n / n, r.cop_x_m / n, r.cop_y_m / n};
}

struct Errors {
  double max_force_pct = 0;
  double max_cop_mm = 0;
};

// 20 kg at points across the plate, most of them not used for the calibration.
Errors check_across_the_plate(sim::Simulator& simulator, CalibrationSession& session, const DeviceDescription& device,
                              const char* what) {
  const double points[][2] = {{0, 0},       {0.10, -0.05}, {-0.17, 0.03}, {0.05, 0.18},
                              {-0.12, -0.16}, {0.19, 0.19}, {-0.15, 0.15}, {0.08, 0.02}};
  Errors e;
  for (const auto& p : points) {
    simulator.place_load(mass_at(20, p[0], p[1]));
    const Reading r = average(session.collect(), device);
    const double want = 20 * sim::kGravity;
    const double force_pct = 100 * std::abs(r.force_n - want) / want;
    const double cop_mm = 1000 * std::hypot(r.cop_x_m - p[0], r.cop_y_m - p[1]);
    std::printf("  %s: 20 kg at (%+4.0f, %+4.0f) mm: force error %.3f %%, COP error %.2f mm\n", what, p[0] * 1000,
                p[1] * 1000, force_pct, cop_mm);
    e.max_force_pct = std::max(e.max_force_pct, force_pct);
    e.max_cop_mm = std::max(e.max_cop_mm, cop_mm);
  }
  return e;
}

TEST(CalibrationOnSimulatedPlate, WrongStoredGainsCalibratedWith20kgAtCentreAndCorners_ReadWithinHalfAPercentAnd2mmEverywhere) {
  sim::Simulator simulator(miscalibrated_plate());
  simulator.place_load(sim::BodyState{});
  simulator.start();
  DeviceConnection connection(ConnectionOptions{simulator.port_path()});
  connection.connect();
  CalibrationSession session(connection);

  session.zero();
  const DeviceDescription tared = session.current();
  const Errors before = check_across_the_plate(simulator, session, tared, "before");
  // The check can fail: with the plate's own gains it does, clearly.
  EXPECT_GT(before.max_force_pct, 1.0);
  EXPECT_GT(before.max_cop_mm, 4.0);

  simulator.place_load(sim::BodyState{});
  session.zero();
  for (const PlacementSpot& spot : standard_spots(session.current().plates[0], 0)) {
    simulator.place_load(mass_at(20, spot.x_m, spot.y_m));
    session.measure(spot, 20);
  }
  const CalibrationRecord made = session.finish();
  for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
    EXPECT_NEAR(made.plates[0].fit.gains_n_per_count[c] / (0.0005 * kTrueFactor[c]), 1.0, 1e-4) << "cell " << c;
    EXPECT_EQ(made.plates[0].previous_gains_n_per_count[c], static_cast<double>(0.0005f));
  }
  EXPECT_LT(made.plates[0].fit.max_cop_residual_m, 1e-4);

  // Through the file, as the next session would get it.
  const fs::path dir = fresh_dir("simulated");
  save_calibration(made, dir);
  const std::optional<CalibrationRecord> record = load_calibration(dir, "SIM-CAL-TEST");
  ASSERT_TRUE(record.has_value());
  DeviceDescription calibrated = session.current();
  apply_calibration(calibrated, *record);
  const Errors after = check_across_the_plate(simulator, session, calibrated, "after");
  EXPECT_LT(after.max_force_pct, 0.5);
  EXPECT_LT(after.max_cop_mm, 2.0);

  simulator.place_load(mass_at(20, 0.06, -0.09));
  const VerificationResult v = session.verify(*record, {"verification", 0, 0.06, -0.09}, 20);
  EXPECT_TRUE(v.passed) << v.force_error_pct << " % " << v.cop_error_m * 1000 << " mm";
  EXPECT_LT(std::abs(v.force_error_pct), 0.5);
  connection.close();
  simulator.stop();
}

TEST(CalibrationOnSimulatedPlate, ZeroTakenWithTheMassStillOnThePlate_FirstPlacementRefused) {
  sim::Simulator simulator(miscalibrated_plate());
  simulator.place_load(mass_at(20, 0, 0));  // "empty the plate": it was not
  simulator.start();
  DeviceConnection connection(ConnectionOptions{simulator.port_path()});
  connection.connect();
  CalibrationSession session(connection);
  session.zero();
  const std::string m = message_of([&] { session.measure({"centre", 0, 0, 0}, 20); });
  EXPECT_NE(m.find("that the plate was empty when it was zeroed"), std::string::npos) << m;
  EXPECT_TRUE(session.placements().empty());
  connection.close();
  simulator.stop();
}

TEST(CalibrationOnSimulatedPlate, SomeoneTouchingThePlateWhileZeroing_ZeroRefused) {
  sim::SimulatorConfig cfg = miscalibrated_plate();
  cfg.scenario.name = "step-on-off";  // a person stepping on and off: anything but still
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection connection(ConnectionOptions{simulator.port_path()});
  connection.connect();
  CalibrationSessionOptions opt;
  opt.window_s = 4;
  CalibrationSession session(connection, opt);
  const std::string m = message_of([&] { session.zero(); });
  EXPECT_NE(m.find("zero: the force varied"), std::string::npos) << m;
  EXPECT_FALSE(session.zeroed());
  connection.close();
  simulator.stop();
}

}  // namespace
}  // namespace fp::acq
