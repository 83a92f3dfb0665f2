// The calibration wizard end to end, offscreen, against the built-in simulator reached through the
// real serial path (LiveSource). The simulated plate's cells are 4 % high, 5 % low, 6 % high and
// 3 % low against the gains it reports (as `forceplate calibrate --device sim`), and the simulator
// knows the true gains and the true load of every sample, so the test compares with that truth.
#include <gtest/gtest.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "forceplate/acquisition/calibration_store.hpp"
#include "forceplate/gui/calibration_wizard.hpp"
#include "forceplate/gui/live_source.hpp"
#include "forceplate/simulator/simulator.hpp"

namespace fp::gui {
namespace {

namespace fs = std::filesystem;
using Kind = CalibrationWizard::StepKind;

constexpr std::array<double, sim::kCellsPerPlate> kTrueFactor{1.04, 0.95, 1.06, 0.97};

// A plate like the GUI's built-in one (a person in quiet stance steps on at 1 s), at 500 Hz and
// twice real time to keep the test short, with stored gains that are wrong.
sim::SimulatorConfig miscalibrated_plate(const std::string& serial) {
  sim::SimulatorConfig c;
  c.serial = serial;
  c.rate_hz = 500;
  c.speed = 2.0;
  std::array<std::array<sim::CellModel, sim::kCellsPerPlate>, sim::kMaxPlates> stored{};
  for (std::size_t i = 0; i < sim::kCellsPerPlate; ++i) {
    c.plates[0].cells[i].gain_n_per_count = 0.0005 * kTrueFactor[i];
    c.plates[0].cells[i].offset_counts = 10000 + 150.0 * static_cast<double>(i);
    stored[0][i].gain_n_per_count = 0.0005;
    stored[0][i].offset_counts = 10000;
  }
  c.stored_calibration = stored;
  return c;
}

SourceSpec simulator_spec(const std::string& serial) {
  SourceSpec spec;
  spec.simulator = true;
  spec.simulator_config = miscalibrated_plate(serial);
  return spec;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(FP_BINARY_DIR) / "calibration-wizard-test" / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

bool wait_until(const std::function<bool()>& done, int timeout_ms) { return QTest::qWaitFor(done, timeout_ms); }

void click(QPushButton* b) {
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->isVisible()) << b->text().toStdString();
  ASSERT_TRUE(b->isEnabled()) << b->text().toStdString();
  QTest::mouseClick(b, Qt::LeftButton);
}

// Clicks Measure and waits for the step to finish; checks that nothing can be clicked meanwhile.
void measure(CalibrationWizard& w) {
  ASSERT_EQ(w.next_button()->text(), "Measure");
  click(w.next_button());
  ASSERT_TRUE(w.busy());
  EXPECT_FALSE(w.next_button()->isEnabled());
  EXPECT_FALSE(w.back_button()->isEnabled());
  EXPECT_FALSE(w.cancel_button()->isEnabled());
  ASSERT_TRUE(wait_until([&] { return !w.busy(); }, 8000)) << "step " << w.step_name().toStdString();
}

void save(QWidget& widget, const std::string& name) {
  QTest::qWait(50);  // the layout requests of the step just shown
  const QImage image = widget.grab().toImage();
  fs::create_directories(fs::path(FP_BINARY_DIR) / "screenshots");
  image.save(QString::fromStdString((fs::path(FP_BINARY_DIR) / "screenshots" / (name + ".png")).string()));
  image.save(QString::fromStdString((fs::temp_directory_path() / (name + ".png")).string()));
}

// Live force against the simulator's truth for the same samples (matched by sequence number): the
// mean of (measured - true) / true over `wait_ms` of samples with a person on the plate (the bias
// the gains leave; the ADC noise, 0.02 N a sample, averages out). `count` gets how many samples.
// What the display ring held before is discarded first: it may hold samples from before a change.
double live_force_bias(LiveSource& source, int wait_ms, std::size_t& count) {
  std::vector<acq::Sample> samples;
  source.drain(samples);
  samples.clear();
  wait_until([&] {
    source.drain(samples);
    return false;
  }, wait_ms);
  source.drain(samples);
  std::map<std::uint64_t, double> truth;
  for (const sim::TruthSample& t : source.simulator()->truth()) truth[t.sequence] = t.state.plates[0].fz_n;
  double sum = 0;
  count = 0;
  for (const acq::Sample& s : samples) {
    const auto it = truth.find(s.sequence);
    if (it == truth.end() || it->second < 500) continue;
    sum += (s.fz_n[0] - it->second) / it->second;
    ++count;
  }
  return count > 0 ? sum / static_cast<double>(count) : std::nan("");
}

TEST(CalibrationWizard, WrongStoredGainsClickedThroughEveryStep_RecoversTrueGainsStoresAppliesAndStreamsAgain) {
  LiveSource source(simulator_spec("SIM-CALWIZ-1"));
  sim::Simulator& simulator = *source.simulator();
  const sim::SimulatorConfig& truth = simulator.config();

  // Before: the person (75 kg, quiet stance) read with the plate's wrong gains.
  std::size_t before_n = 0;
  ASSERT_TRUE(wait_until([&] { return simulator.samples_generated() > 1000; }, 5000));
  const double before_bias = live_force_bias(source, 600, before_n);
  std::printf("  before: live force %+.4f %% off the truth (mean of %zu samples)\n", 100 * before_bias, before_n);
  ASSERT_GT(before_n, 100u);
  EXPECT_GT(std::abs(before_bias), 0.001) << "the stored gains are wrong: the force must be visibly off before";

  const fs::path dir = fresh_dir("full");
  CalibrationWizardOptions options;
  options.store_dir = dir;
  options.verify_spot = acq::PlacementSpot{"verification", 0, 0.06, -0.09};  // a mark not used for the fit
  CalibrationWizard w(source, options);
  w.resize(820, 680);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));

  // Intro.
  EXPECT_EQ(w.step_index(), 0);
  EXPECT_EQ(w.step_kind(), Kind::intro);
  EXPECT_EQ(w.step_count(), 1 + 1 + 5 + 1 + 1 + 1);
  EXPECT_TRUE(w.error_label()->text().isEmpty()) << w.error_label()->text().toStdString();
  EXPECT_FALSE(w.back_button()->isEnabled());
  ASSERT_NE(w.simulator_box(), nullptr);
  EXPECT_TRUE(w.simulator_box()->isChecked());
  EXPECT_DOUBLE_EQ(w.mass_box()->value(), 20.0);
  save(w, "calwiz_intro");
  EXPECT_EQ(w.next_button()->text(), "Start");
  click(w.next_button());

  // Zero.
  ASSERT_EQ(w.step_kind(), Kind::zero);
  EXPECT_TRUE(w.instruction_label()->text().contains("nothing and nobody")) << w.instruction_label()->text().toStdString();
  measure(w);
  ASSERT_TRUE(w.error_label()->text().isEmpty()) << w.error_label()->text().toStdString();

  // The centre and the four corners, front row first, each shown on the diagram.
  const std::vector<std::string> labels{"centre", "front-left", "front-right", "back-left", "back-right"};
  for (const std::string& label : labels) {
    ASSERT_EQ(w.step_kind(), Kind::placement) << w.step_name().toStdString();
    ASSERT_TRUE(w.current_spot().has_value());
    EXPECT_EQ(w.current_spot()->label, label);
    const QString instruction = w.instruction_label()->text();
    EXPECT_TRUE(instruction.startsWith("Place the 20.00 kg mass on the " + QString::fromStdString(label)))
        << instruction.toStdString();
    if (label != "centre") {
      EXPECT_TRUE(instruction.contains("150 mm")) << instruction.toStdString();
      EXPECT_TRUE(w.step_name().endsWith("corner")) << w.step_name().toStdString();
    }
    if (label == "front-left") save(w, "calwiz_placement");
    measure(w);
    ASSERT_TRUE(w.error_label()->text().isEmpty()) << label << ": " << w.error_label()->text().toStdString();
  }

  // Solve: the gains the simulator really has.
  ASSERT_EQ(w.step_kind(), Kind::solve);
  ASSERT_TRUE(w.record().has_value());
  const acq::CalibrationRecord& rec = *w.record();
  ASSERT_EQ(rec.plates.size(), 1u);
  double worst = 0;
  for (std::size_t c = 0; c < acq::kCellsPerPlate; ++c) {
    const double true_gain = truth.plates[0].cells[c].gain_n_per_count;
    const double rel = rec.plates[0].fit.gains_n_per_count[c] / true_gain - 1;
    worst = std::max(worst, std::abs(rel));
    std::printf("  cell %zu: true %.7e, recovered %.7e (%+.5f %%), reported before %.7e\n", c, true_gain,
                rec.plates[0].fit.gains_n_per_count[c], 100 * rel, rec.plates[0].previous_gains_n_per_count[c]);
    // 1e-4: the ADC noise (20 counts per cell per sample, 500 samples averaged per step) leaves
    // about 1e-5 of gain uncertainty with the 20 kg mass; 1e-4 is ten times that, and 300 times
    // smaller than the smallest error there is to correct (3 %).
    EXPECT_NEAR(rel, 0.0, 1e-4) << "cell " << c;
    EXPECT_EQ(rec.plates[0].previous_gains_n_per_count[c], static_cast<double>(0.0005f)) << "what the plate reported";
  }
  std::printf("  worst gain error %.2e (relative)\n", worst);
  EXPECT_EQ(w.gains_table()->rowCount(), 4);
  EXPECT_EQ(w.residuals_table()->rowCount(), 5);
  EXPECT_TRUE(w.gains_table()->item(0, 3)->text().contains("%"));
  save(w, "calwiz_solve");
  click(w.next_button());

  // Verification at a mark not used for the fit.
  ASSERT_EQ(w.step_kind(), Kind::verification);
  EXPECT_EQ(w.current_spot()->label, "verification");
  EXPECT_TRUE(w.instruction_label()->text().contains("60 mm right and 90 mm back")) << w.instruction_label()->text().toStdString();
  measure(w);

  // Result: passed, stored, applied.
  ASSERT_EQ(w.step_kind(), Kind::result) << w.error_label()->text().toStdString();
  EXPECT_TRUE(w.error_label()->text().isEmpty()) << w.error_label()->text().toStdString();
  ASSERT_EQ(w.record()->verifications.size(), 1u);
  const acq::VerificationResult& v = w.record()->verifications.back();
  std::printf("  verification: force %+.4f %%, COP %.3f mm\n", v.force_error_pct, 1000 * v.cop_error_m);
  EXPECT_TRUE(v.passed);
  EXPECT_LT(std::abs(v.force_error_pct), 0.05);
  EXPECT_LT(v.cop_error_m, 0.0005);
  EXPECT_TRUE(w.verification_label()->text().contains("PASS")) << w.verification_label()->text().toStdString();
  ASSERT_TRUE(w.stored_file().has_value());
  EXPECT_EQ(*w.stored_file(), acq::calibration_file(dir, "SIM-CALWIZ-1"));
  EXPECT_TRUE(fs::exists(*w.stored_file()));
  EXPECT_TRUE(w.stored_label()->text().contains(QString::fromStdString(w.stored_file()->string())));
  const std::optional<acq::CalibrationRecord> loaded = acq::load_calibration(dir, "SIM-CALWIZ-1");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->plates[0].fit.gains_n_per_count, rec.plates[0].fit.gains_n_per_count);
  EXPECT_EQ(loaded->verifications.size(), 1u);
  EXPECT_EQ(w.result_table()->rowCount(), 4);
  EXPECT_FALSE(w.back_button()->isEnabled());
  EXPECT_EQ(w.next_button()->text(), "Finish");
  save(w, "calwiz_result");
  click(w.next_button());
  EXPECT_EQ(w.result(), QDialog::Accepted);
  EXPECT_FALSE(w.isVisible());

  // Afterwards: streaming again, the scenario back on the plate (the person, not the 20 kg mass,
  // not an empty plate), and the live force now right.
  std::size_t after_n = 0;
  const double after_bias = live_force_bias(source, 800, after_n);
  std::printf("  after: live force %+.5f %% off the truth (mean of %zu samples)\n", 100 * after_bias, after_n);
  ASSERT_GT(after_n, 100u) << "the connection streams again and the person stands on the plate again";
  // The gains are right to about 1e-5 (above); 1e-4 leaves room for that, and is 20 times
  // smaller than the bias before.
  EXPECT_LT(std::abs(after_bias), 1e-4);
  const std::vector<sim::TruthSample> t = simulator.truth();
  ASSERT_FALSE(t.empty());
  EXPECT_GT(t.back().state.plates[0].fz_n, 500.0) << "the simulator's load was removed";
  EXPECT_EQ(source.connection().device().plates[0].cells[0].gain_n_per_count, rec.plates[0].fit.gains_n_per_count[0]);
}

TEST(CalibrationWizard, WrongMassThenWrongCorner_ShowTheReasonInRedAndTheSameStepMeasuresAgain_CancelStoresNothing) {
  LiveSource source(simulator_spec("SIM-CALWIZ-2"));
  sim::Simulator& simulator = *source.simulator();
  const fs::path dir = fresh_dir("errors");
  CalibrationWizardOptions options;
  options.store_dir = dir;
  CalibrationWizard w(source, options);
  w.resize(820, 680);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  click(w.next_button());
  ASSERT_EQ(w.step_kind(), Kind::zero);
  measure(w);

  // The centre, with 15 kg on it where 20 kg was asked for.
  ASSERT_EQ(w.step_kind(), Kind::placement);
  const int centre_step = w.step_index();
  w.simulator_box()->setChecked(false);
  sim::BodyState light;
  light.plates[0] = {15 * sim::kGravity, 0, 0};
  simulator.place_load(light);
  measure(w);
  EXPECT_EQ(w.step_index(), centre_step);
  QString error = w.error_label()->text();
  EXPECT_TRUE(w.error_label()->isVisible());
  EXPECT_TRUE(error.startsWith("Not accepted: centre:")) << error.toStdString();
  EXPECT_TRUE(error.contains("20.00 kg weighs")) << error.toStdString();
  EXPECT_TRUE(w.error_label()->styleSheet().contains("#c62828")) << "red";
  EXPECT_TRUE(w.next_button()->isEnabled()) << "the step can be measured again";
  EXPECT_FALSE(w.record().has_value());

  // Put it right (the wizard places the 20 kg for us again), measure the same step again.
  w.simulator_box()->setChecked(true);
  measure(w);
  ASSERT_TRUE(w.error_label()->text().isEmpty()) << w.error_label()->text().toStdString();
  ASSERT_EQ(w.step_index(), centre_step + 1);
  ASSERT_EQ(w.current_spot()->label, "front-left");

  // The mass on the front-right mark when the front-left was asked for.
  w.simulator_box()->setChecked(false);
  sim::BodyState wrong_corner;
  wrong_corner.plates[0] = {20 * sim::kGravity, 0.15, 0.15};
  simulator.place_load(wrong_corner);
  measure(w);
  EXPECT_EQ(w.step_index(), centre_step + 1);
  error = w.error_label()->text();
  EXPECT_TRUE(error.contains("front-left: the load is centred")) << error.toStdString();
  save(w, "calwiz_error");
  w.simulator_box()->setChecked(true);
  measure(w);
  ASSERT_TRUE(w.error_label()->text().isEmpty()) << w.error_label()->text().toStdString();
  EXPECT_EQ(w.step_index(), centre_step + 2);

  // Back: measure the front-left again.
  click(w.back_button());
  EXPECT_EQ(w.step_index(), centre_step + 1);
  measure(w);
  EXPECT_EQ(w.step_index(), centre_step + 2);

  // Cancel: nothing stored, the simulator's own scenario back, streaming again.
  click(w.cancel_button());
  EXPECT_EQ(w.result(), QDialog::Rejected);
  EXPECT_FALSE(w.stored_file().has_value());
  EXPECT_FALSE(fs::exists(acq::calibration_file(dir, "SIM-CALWIZ-2")));
  std::size_t n = 0;
  live_force_bias(source, 600, n);
  EXPECT_GT(n, 100u) << "streaming again, with the person back on the plate";
  EXPECT_GT(simulator.truth().back().state.plates[0].fz_n, 500.0);
}

TEST(CalibrationWizard, TwoPlates_AsksForTheCentreAndCornersOfEachPlateByName) {
  SourceSpec spec = simulator_spec("SIM-CALWIZ-3");
  spec.simulator_config.plate_count = 2;
  spec.simulator_config.plates[1] = spec.simulator_config.plates[0];
  spec.simulator_config.stored_calibration->at(1) = spec.simulator_config.stored_calibration->at(0);
  LiveSource source(spec);
  CalibrationWizardOptions options;
  options.store_dir = fresh_dir("two-plates");
  CalibrationWizard w(source, options);
  w.resize(820, 680);
  w.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
  EXPECT_EQ(w.step_count(), 1 + 1 + 10 + 1 + 1 + 1);
  ASSERT_EQ(w.spots().size(), 10u);
  EXPECT_EQ(w.spots()[5].plate, 1);
  EXPECT_EQ(w.spots()[5].label, "centre");
  click(w.next_button());
  EXPECT_TRUE(w.instruction_label()->text().contains("both plates")) << w.instruction_label()->text().toStdString();
  measure(w);
  ASSERT_TRUE(w.error_label()->text().isEmpty()) << w.error_label()->text().toStdString();
  EXPECT_TRUE(w.instruction_label()->text().contains("the centre mark of plate 1 (left)"))
      << w.instruction_label()->text().toStdString();
  for (int i = 0; i < 6; ++i) measure(w);  // plate 1, then the centre of plate 2
  ASSERT_TRUE(w.error_label()->text().isEmpty()) << w.error_label()->text().toStdString();
  EXPECT_EQ(w.step_name(), "Front-left corner, plate 2");
  EXPECT_TRUE(w.instruction_label()->text().contains("front-left corner mark (150 mm left and 150 mm forward of the "
                                                     "centre) of plate 2 (right)"))
      << w.instruction_label()->text().toStdString();
  save(w, "calwiz_two_plates");
  click(w.cancel_button());
  EXPECT_FALSE(fs::exists(acq::calibration_file(options.store_dir, "SIM-CALWIZ-3")));
}

}  // namespace
}  // namespace fp::gui
