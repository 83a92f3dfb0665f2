// The training view, offscreen: driven by a scorer fed known samples, it must show the right
// numbers, put the marker where the value is and colour it by the zone (checked on the rendered
// pixels too). Then the Training tab of the main window against the two-plate simulator, and
// screenshots of both modes with realistic data (FP_BINARY_DIR/screenshots/).
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numbers>

#include "forceplate/gui/main_window.hpp"
#include "forceplate/gui/training_view.hpp"
#include "forceplate/simulator/scenario.hpp"
#include "gui_test_util.hpp"

namespace fp::gui {
namespace {

using workflow::TrainingDefinition;
using workflow::TrainingMode;
using workflow::TrainingScorer;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString text_of(const QWidget& w, const char* name) {
  const auto* label = w.findChild<QLabel*>(name);
  return label ? label->text() : QString("<no label %1>").arg(name);
}

using test::wait_until;

// The colour drawn at a point of the target area.
QColor colour_at(const TrainingView& v, QPointF p) {
  const QImage img = v.target_area()->grab().toImage();
  const double dpr = img.devicePixelRatio();
  return img.pixelColor(static_cast<int>(std::lround(p.x() * dpr)), static_cast<int>(std::lround(p.y() * dpr)));
}

bool near_colour(const QColor& c, int r, int g, int b) {
  return std::abs(c.red() - r) <= 12 && std::abs(c.green() - g) <= 12 && std::abs(c.blue() - b) <= 12;
}

QString screenshot_path(const QString& name) {
  const QString dir = QStringLiteral(FP_BINARY_DIR) + "/screenshots";
  QDir().mkpath(dir);
  return dir + "/" + name;
}

TEST(TrainingView, CopTarget_ShowsNumbersAndPutsAGreenOrOrangeDotWhereTheCopIs) {
  TrainingDefinition d;
  d.mode = TrainingMode::cop_target;
  d.duration_s = 8;
  d.target_x_m = 0.010;
  d.target_y_m = -0.020;
  d.target_radius_m = 0.015;
  TrainingView view;
  view.resize(1000, 640);
  view.set_definition(d);
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  EXPECT_EQ(text_of(view, "timeLeft"), "8 s");
  EXPECT_EQ(text_of(view, "zoneStatus"), QString::fromUtf8("Waiting…"));
  EXPECT_FALSE(view.marker_visible());

  // 2.5 s 4 mm right of the target centre (in), then 0.3 s 30 mm in front of it (out).
  TrainingScorer s(d, 100);
  for (int i = 0; i < 250; ++i) s.add_cop(i / 100.0, 0.014, -0.020, 700);
  view.show_state(s.live());
  EXPECT_EQ(text_of(view, "zoneStatus"), "In the zone");
  EXPECT_EQ(text_of(view, "timeLeft"), "6 s");  // 5.5 s left, shown rounded up
  EXPECT_EQ(text_of(view, "inZonePercent"), "100 %");
  EXPECT_EQ(text_of(view, "currentHold"), "2.5 s");
  EXPECT_EQ(text_of(view, "longestHold"), "2.5 s");
  EXPECT_EQ(text_of(view, "currentValue"), QString::fromUtf8("COP  ML +14.0 mm\nAP −20.0 mm"));
  ASSERT_TRUE(view.marker_visible());
  EXPECT_TRUE(view.marker_in_zone_colour());
  const QPointF in_px = view.marker_px();
  const QPointF expect_in = view.value_to_px(14.0, -20.0);
  EXPECT_NEAR(in_px.x(), expect_in.x(), 0.01);
  EXPECT_NEAR(in_px.y(), expect_in.y(), 0.01);
  // Right of the target centre on screen, and the square is square.
  const QRectF plot = view.plot_rect_px();
  EXPECT_GT(in_px.x(), view.value_to_px(10.0, -20.0).x());
  EXPECT_NEAR(plot.width(), plot.height(), 0.5);
  EXPECT_GT(plot.width(), 400);
  EXPECT_TRUE(plot.contains(in_px));
  EXPECT_TRUE(near_colour(colour_at(view, in_px), 46, 125, 50)) << colour_at(view, in_px).name().toStdString();

  for (int i = 250; i < 280; ++i) s.add_cop(i / 100.0, 0.010, 0.010, 700);
  view.show_state(s.live());
  EXPECT_EQ(text_of(view, "zoneStatus"), "Out of the zone");
  EXPECT_EQ(text_of(view, "inZonePercent"), "89 %");  // 250 of 280
  EXPECT_EQ(text_of(view, "currentHold"), "0.0 s");
  EXPECT_EQ(text_of(view, "longestHold"), "2.5 s");
  EXPECT_FALSE(view.marker_in_zone_colour());
  const QPointF out_px = view.marker_px();
  EXPECT_NEAR(out_px.y(), view.value_to_px(10.0, 10.0).y(), 0.01);
  EXPECT_LT(out_px.y(), in_px.y()) << "forward is up";
  EXPECT_TRUE(near_colour(colour_at(view, out_px), 239, 108, 0)) << colour_at(view, out_px).name().toStdString();

  // Unloaded: no dot, and the value says so.
  s.add_cop(2.8, NAN, NAN, 5);
  view.show_state(s.live());
  EXPECT_FALSE(view.marker_visible());
  EXPECT_EQ(text_of(view, "currentValue"), QString::fromUtf8("COP: —"));
  EXPECT_EQ(text_of(view, "zoneStatus"), "Out of the zone");

  // A COP off the square is drawn at its edge.
  s.add_cop(2.81, 0.4, 0.0, 700);
  view.show_state(s.live());
  EXPECT_NEAR(view.marker_px().x(), plot.right(), 0.01);
}

TEST(TrainingView, WeightShare_MarkerAtTheShareOnA0To100Bar_NumbersAndColour) {
  TrainingDefinition d;
  d.mode = TrainingMode::weight_share;
  d.duration_s = 10;
  d.involved_side = analysis::Side::right;
  d.share_min_percent = 55;
  d.share_max_percent = 65;
  TrainingView view;
  view.resize(1100, 600);
  view.set_definition(d);
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  EXPECT_TRUE(text_of(view, "trainingTitle").contains("55–65 % of your weight on your right leg"))
      << text_of(view, "trainingTitle").toStdString();

  TrainingScorer s(d, 100);
  for (int i = 0; i < 100; ++i) s.add_forces(i / 100.0, 280, 420);  // 60 % right
  view.show_state(s.live());
  EXPECT_EQ(text_of(view, "currentValue"), "60.0 % on the right leg");
  EXPECT_EQ(text_of(view, "inZonePercent"), "100 %");
  EXPECT_EQ(text_of(view, "longestHold"), "1.0 s");
  EXPECT_EQ(text_of(view, "timeLeft"), "9 s");
  const QRectF bar = view.plot_rect_px();
  EXPECT_GT(bar.width(), 500);
  EXPECT_NEAR(view.marker_px().x(), bar.left() + 0.60 * bar.width(), 0.01);
  EXPECT_TRUE(view.marker_in_zone_colour());
  EXPECT_TRUE(near_colour(colour_at(view, view.marker_px()), 46, 125, 50))
      << colour_at(view, view.marker_px()).name().toStdString();

  for (int i = 100; i < 150; ++i) s.add_forces(i / 100.0, 420, 280);  // 40 % right
  view.show_state(s.live());
  EXPECT_EQ(text_of(view, "currentValue"), "40.0 % on the right leg");
  EXPECT_EQ(text_of(view, "inZonePercent"), "67 %");
  EXPECT_EQ(text_of(view, "zoneStatus"), "Out of the zone");
  EXPECT_NEAR(view.marker_px().x(), bar.left() + 0.40 * bar.width(), 0.01);
  EXPECT_FALSE(view.marker_in_zone_colour());
  EXPECT_TRUE(near_colour(colour_at(view, view.marker_px()), 239, 108, 0))
      << colour_at(view, view.marker_px()).name().toStdString();

  for (int i = 150; i < 1000; ++i) s.add_forces(i / 100.0, 280, 420);
  view.show_state(s.live());
  EXPECT_EQ(text_of(view, "zoneStatus"), "Finished");
  EXPECT_EQ(text_of(view, "timeLeft"), "0 s");
  EXPECT_EQ(text_of(view, "inZonePercent"), "95 %");
  EXPECT_EQ(text_of(view, "longestHold"), "8.5 s");
}

TEST(TrainingPanel, WeightShareOnOnePlate_IsRefusedWithAReason) {
  TrainingPanel panel;
  acq::DeviceDescription one;
  one.nominal_rate_hz = 100;
  one.plates.resize(1);
  EXPECT_FALSE(panel.start());
  EXPECT_TRUE(text_of(panel, "trainingStatus").contains("Connect a plate")) << text_of(panel, "trainingStatus").toStdString();
  panel.set_device(&one);
  auto def = panel.definition_from_controls();
  def.mode = TrainingMode::weight_share;
  EXPECT_FALSE(panel.start(def));
  EXPECT_TRUE(text_of(panel, "trainingStatus").contains("needs two plates")) << text_of(panel, "trainingStatus").toStdString();
  def.mode = TrainingMode::cop_target;
  EXPECT_TRUE(panel.start(def));
  EXPECT_TRUE(panel.running());
}

// Two plates at 100 Hz (plate 0 left), four cells each.
acq::DeviceDescription two_plates() {
  acq::DeviceDescription d;
  d.serial = "TEST-2";
  d.nominal_rate_hz = 100;
  d.current_rate_hz = 100;
  for (int k = 0; k < 2; ++k) {
    acq::PlateSpec p;
    p.width_m = 0.4;
    p.length_m = 0.6;
    p.origin_x_m = k == 0 ? -0.21 : 0.21;
    const double xs[4] = {-0.2, 0.2, 0.2, -0.2}, ys[4] = {-0.3, -0.3, 0.3, 0.3};
    for (std::size_t c = 0; c < 4; ++c) p.cells[c] = acq::CellSpec{xs[c], ys[c], 0.01, 0};
    d.plates.push_back(p);
  }
  return d;
}

acq::Sample forces_sample(std::uint64_t n, double left_n, double right_n) {
  acq::Sample s;
  s.sequence = n;
  s.device_time_s = static_cast<double>(n) / 100.0;
  s.plate_count = 2;
  s.fz_n = {left_n, right_n};
  s.cop_x_m = {0.0, 0.0};
  s.cop_y_m = {0.01, 0.01};
  s.total_fz_n = left_n + right_n;
  for (std::size_t c = 0; c < 8; ++c) {
    s.cell_force_n[c] = (c < 4 ? left_n : right_n) / 4;
    s.counts[c] = static_cast<std::int32_t>(s.cell_force_n[c] / 0.01);
  }
  return s;
}

// A finished weight-share run with the involved (left) leg inside the 45-55 % band for exactly 60 %
// of the scored samples is stored in the session the panel is given, with that score and the
// samples scored; a run stopped early, or with no patient to store it for, is not stored.
TEST(TrainingPanel, FinishedRunWithArchiveTarget_IsStoredAsATrialWithItsScore) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  data::Archive archive = data::Archive::create(std::filesystem::path(tmp.path().toStdString()) / "archive");
  data::Patient p;
  p.id = "T01";
  p.name = "Training Test";
  archive.add_patient(p);
  data::Session s;
  s.patient_id = "T01";
  const std::string session = archive.add_session(s).id;

  TrainingPanel panel;
  const acq::DeviceDescription device = two_plates();
  panel.set_device(&device);
  std::string target;  // the session the callback gives ("" : no patient chosen)
  panel.set_archive_target(&archive, [&] { return target; });
  QSignalSpy stored(&panel, &TrainingPanel::trial_stored);
  TrainingDefinition d = panel.definition_from_controls();
  d.mode = TrainingMode::weight_share;
  d.involved_side = analysis::Side::left;
  d.duration_s = 2;
  d.share_min_percent = 45;
  d.share_max_percent = 55;
  const auto run = [&](std::uint64_t& n) {
    for (int i = 0; i < 10; ++i) panel.feed(forces_sample(n++, 20, 20));  // nobody on the plates: not started
    for (int i = 0; i < 200; ++i) {
      // 120 samples at 50 % left (in the band), then 80 at 70 % left (out).
      const double left_share = i < 120 ? 0.5 : 0.7;
      panel.feed(forces_sample(n++, 700 * left_share, 700 * (1 - left_share)));
    }
    panel.refresh();
  };

  // No patient: finished, not stored, and the status says why.
  std::uint64_t n = 0;
  ASSERT_TRUE(panel.start(d));
  run(n);
  ASSERT_FALSE(panel.running());
  EXPECT_FALSE(panel.last_stored().has_value());
  EXPECT_EQ(stored.count(), 0);
  EXPECT_TRUE(text_of(panel, "trainingStatus").startsWith("Finished: time in zone 60 %")) << text_of(panel, "trainingStatus").toStdString();
  EXPECT_TRUE(text_of(panel, "trainingStatus").contains("Not stored: choose a patient")) << text_of(panel, "trainingStatus").toStdString();
  EXPECT_TRUE(archive.find_trials({}).empty());

  // Stopped early: not stored.
  target = session;
  ASSERT_TRUE(panel.start(d));
  for (int i = 0; i < 50; ++i) panel.feed(forces_sample(n++, 350, 350));
  panel.stop();
  EXPECT_FALSE(panel.last_stored().has_value());
  EXPECT_TRUE(text_of(panel, "trainingStatus").contains("Not stored: the training was stopped before its end"))
      << text_of(panel, "trainingStatus").toStdString();
  EXPECT_TRUE(archive.find_trials({}).empty());

  // With a session: stored, with the score.
  ASSERT_TRUE(panel.start(d));
  const std::uint64_t first_scored = n + 10;
  run(n);
  ASSERT_EQ(stored.count(), 1);
  ASSERT_TRUE(panel.last_stored().has_value()) << text_of(panel, "trainingStatus").toStdString();
  const data::TrialRecord rec = *panel.last_stored();
  EXPECT_EQ(stored.front().at(0).toString().toStdString(), rec.id);
  EXPECT_EQ(stored.front().at(1).toString().toStdString(), session);
  EXPECT_EQ(rec.session_id, session);
  EXPECT_EQ(rec.patient_id, "T01");
  EXPECT_EQ(rec.test, "training-weight-share");
  EXPECT_EQ(rec.side, "left");
  EXPECT_TRUE(text_of(panel, "trainingStatus").contains(QString::fromStdString("Stored as trial " + rec.id)));
  const auto trials = archive.find_trials({});
  ASSERT_EQ(trials.size(), 1u);
  const data::Trial t = archive.read_trial(rec.id);
  std::map<std::string, double> results;
  for (const auto& m : t.results) results[m.name] = m.value;
  EXPECT_NEAR(results.at("time_in_zone"), 60.0, 1e-9);
  EXPECT_NEAR(results.at("longest_hold"), 1.2, 1e-9);
  EXPECT_NEAR(results.at("mean_share_error"), (120 * 0.0 + 80 * 20.0) / 200, 1e-9);
  EXPECT_EQ(t.test_name, "training-weight-share");
  EXPECT_NE(t.test_definition.find("\"share_min_percent\":45"), std::string::npos) << t.test_definition;
  // The samples scored, from the one that started the clock, both plates.
  ASSERT_EQ(t.sample_count(), 200u);
  EXPECT_EQ(t.sequence.front(), first_scored);
  ASSERT_EQ(t.plate_count(), 2);
  EXPECT_NEAR(t.fz_n[0], 350, 1e-9);
  EXPECT_NEAR(t.fz_n[2 * 199], 490, 1e-9);
  EXPECT_DOUBLE_EQ(t.sample_rate_hz, 100);
  EXPECT_TRUE(t.gaps.empty());
  EXPECT_FALSE(t.start_time_utc.empty());
}

TEST(TrainingPanel, SessionForToday_ReusesTodaysSessionElseStartsOne) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  data::Archive archive = data::Archive::create(std::filesystem::path(tmp.path().toStdString()) / "archive");
  data::Patient p;
  p.id = "T02";
  p.name = "Today Test";
  archive.add_patient(p);
  data::Session old;
  old.patient_id = "T02";
  old.started_at_utc = "2020-01-01T10:00:00Z";
  const std::string old_id = archive.add_session(old).id;
  const std::string today = session_for_today(archive, "T02");
  EXPECT_NE(today, old_id);
  EXPECT_EQ(archive.list_sessions("T02").size(), 2u);
  EXPECT_EQ(session_for_today(archive, "T02"), today);
  EXPECT_EQ(archive.list_sessions("T02").size(), 2u);
  EXPECT_THROW(session_for_today(archive, "NOPE"), data::ArchiveError);
}

TEST(MainWindow, TrainingTab_WeightShareAgainstTwoPlateSimulator_ScoresTheSimulatedShare) {
  MainWindowOptions o;
  o.error_dialogs = false;
  o.simulator.plate_count = 2;
  o.simulator.scenario.name = "step-on-off";
  o.simulator.scenario.plate_count = 2;
  o.simulator.scenario.params = {{"load_share_left", 0.6}, {"step_off_s", 600.0}, {"step_on_s", 0.5}};
  MainWindow w(o);
  w.resize(1280, 800);
  w.show();
  w.connect_to_simulator();
  ASSERT_TRUE(wait_until([&] { return w.is_connected(); }, 10000));

  w.tabs()->setCurrentWidget(w.training_panel());
  auto* mode = w.findChild<QComboBox*>("trainingMode");
  auto* side = w.findChild<QComboBox*>("trainingSide");
  auto* duration = w.findChild<QDoubleSpinBox*>("trainingDuration");
  auto* lo = w.findChild<QDoubleSpinBox*>("bandMin");
  auto* hi = w.findChild<QDoubleSpinBox*>("bandMax");
  auto* start = w.findChild<QPushButton*>("trainingStart");
  ASSERT_TRUE(mode && side && duration && lo && hi && start);
  mode->setCurrentIndex(1);
  side->setCurrentIndex(0);  // left involved: 60 % of the load
  duration->setValue(5);
  lo->setValue(55);
  hi->setValue(65);
  const unsigned long long redraws_before = w.redraws();
  QTest::mouseClick(start, Qt::LeftButton);
  ASSERT_TRUE(w.training_panel()->running()) << text_of(w, "trainingStatus").toStdString();
  EXPECT_EQ(start->text(), "Stop");
  QTest::qWait(2500);
  EXPECT_EQ(w.redraws(), redraws_before) << "the live charts are not redrawn behind the Training tab";
  EXPECT_TRUE(w.training_panel()->view()->marker_visible());
  EXPECT_TRUE(text_of(w, "currentValue").contains(QRegularExpression("^(59|60)\\.\\d % on the left leg$")))
      << text_of(w, "currentValue").toStdString();
  // Partway through: a screenshot of the window as the patient sees it.
  EXPECT_TRUE(w.grab().save(screenshot_path("main_window_training_weight_share.png")));
  ASSERT_TRUE(wait_until([&] { return !w.training_panel()->running(); }, 15000));
  const QString status = text_of(w, "trainingStatus");
  EXPECT_TRUE(status.startsWith("Finished: time in zone 100 %")) << status.toStdString();
  EXPECT_TRUE(status.contains("longest hold 5.0 s")) << status.toStdString();
  EXPECT_EQ(text_of(w, "zoneStatus"), "Finished");
  EXPECT_EQ(start->text(), "Start");
  const auto r = w.training_panel()->scorer()->result();
  EXPECT_NEAR(r.find("samples")->value, 5000, 150);  // the display ring may drop a few

  w.tabs()->setCurrentIndex(0);
  QTest::qWait(300);
  EXPECT_GT(w.redraws(), redraws_before) << "back on the Live tab, the charts are drawn again";
}

// Realistic data: the simulator's single-leg stance (left leg) scored against a target 8 mm
// medial, and a patient offloading the involved right leg who drifts into the band and out.
TEST(TrainingView, Screenshots_BothModesWithRealisticData) {
  {
    TrainingDefinition d;
    d.mode = TrainingMode::cop_target;
    d.duration_s = 30;
    d.involved_side = analysis::Side::left;
    d.target_x_m = 0.008;
    d.target_y_m = 0.0;
    d.target_radius_m = 0.008;
    d.start_force_n = 150;
    sim::ScenarioSettings settings;
    settings.name = "single-leg-stance";
    auto scenario = sim::make_scenario(settings, 1000);
    TrainingScorer s(d, 1000);
    for (int i = 0; i < 13000; ++i) {
      const sim::BodyState b = scenario->next();
      const sim::PlateLoad& p = b.plates[0];
      const bool loaded = p.fz_n >= 20;
      s.add_cop(i / 1000.0, loaded ? p.cop_x_m : kNaN, loaded ? p.cop_y_m : kNaN, p.fz_n);
    }
    TrainingView view;
    view.resize(1200, 720);
    view.set_definition(d);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.show_state(s.live());
    QTest::qWait(50);  // let the layout follow the new texts before the picture
    EXPECT_TRUE(view.marker_visible());
    EXPECT_GT(s.live().time_in_zone_percent, 5.0);
    EXPECT_LT(s.live().time_in_zone_percent, 95.0);
    EXPECT_TRUE(view.grab().save(screenshot_path("training_cop_target.png")));
  }
  {
    TrainingDefinition d;
    d.mode = TrainingMode::weight_share;
    d.duration_s = 60;
    d.involved_side = analysis::Side::right;
    d.share_min_percent = 45;
    d.share_max_percent = 55;
    TrainingScorer s(d, 1000);
    for (int i = 0; i < 21000; ++i) {
      const double t = i / 1000.0;
      const double share_right = 46.0 + 4.5 * std::sin(2 * std::numbers::pi * 0.07 * t) + 0.6 * std::sin(2 * std::numbers::pi * 1.3 * t);
      const double total = 735.5 * (1 + 0.01 * std::sin(2 * std::numbers::pi * 0.3 * t));
      s.add_forces(t, total * (100 - share_right) / 100, total * share_right / 100);
    }
    TrainingView view;
    view.resize(1200, 600);
    view.set_definition(d);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.show_state(s.live());
    QTest::qWait(50);
    EXPECT_TRUE(view.marker_visible());
    EXPECT_TRUE(view.grab().save(screenshot_path("training_weight_share.png")));
  }
}

}  // namespace
}  // namespace fp::gui
