// The patient history page against the report fixture's archive (report_fixture.hpp: two sessions
// with known results): one row per session with its trials, tests, pain and notes; the trend chart's
// series hold the combined value of each session (best / mean, as the definitions say); a training
// run scored by TrainingPanel is stored in the archive and appears on the training chart.
// Screenshots: <build>/screenshots/patient_history*.png and /tmp/history_*.png.
#include <gtest/gtest.h>

#include <QAbstractAxis>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest/QTest>

#include <cmath>
#include <map>

#include "forceplate/gui/patient_history.hpp"
#include "forceplate/gui/training_view.hpp"
#include "forceplate/workflow/session_results.hpp"
#include "report_fixture.hpp"

namespace {

using namespace fp;

std::filesystem::path shots() {
  const auto dir = std::filesystem::path(FP_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(dir);
  return dir;
}

void save_shot(QWidget& w, const std::string& name) {
  const QPixmap pix = w.grab();
  EXPECT_TRUE(pix.save(QString::fromStdString((shots() / (name + ".png")).string())));
  EXPECT_TRUE(pix.save(QString::fromStdString("/tmp/history_" + name + ".png")));
}

double msecs(const char* iso) {
  return static_cast<double>(QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch());
}

QLineSeries* series_named(const std::vector<QLineSeries*>& all, const QString& name) {
  for (QLineSeries* s : all)
    if (s->name() == name) return s;
  return nullptr;
}

QStringList axis_titles(QChart* chart) {
  QStringList out;
  for (QAbstractAxis* a : chart->axes()) out << a->titleText();
  return out;
}

// One plate, 100 Hz, 40 x 60 cm, four cells at the corners.
acq::DeviceDescription one_plate() {
  acq::DeviceDescription d;
  d.serial = "TEST-1";
  d.nominal_rate_hz = 100;
  d.current_rate_hz = 100;
  acq::PlateSpec p;
  p.width_m = 0.4;
  p.length_m = 0.6;
  const double xs[4] = {-0.2, 0.2, 0.2, -0.2}, ys[4] = {-0.3, -0.3, 0.3, 0.3};
  for (std::size_t c = 0; c < 4; ++c) p.cells[c] = acq::CellSpec{xs[c], ys[c], 0.01, 0};
  d.plates = {p};
  return d;
}

acq::Sample cop_sample(std::uint64_t n, double x, double y, double fz) {
  acq::Sample s;
  s.sequence = n;
  s.device_time_s = static_cast<double>(n) / 100.0;
  s.plate_count = 1;
  s.fz_n[0] = fz;
  s.total_fz_n = fz;
  s.cop_x_m[0] = x;
  s.cop_y_m[0] = y;
  s.total_cop_x_m = x;
  s.total_cop_y_m = y;
  for (std::size_t c = 0; c < 4; ++c) {
    s.cell_force_n[c] = fz / 4;
    s.counts[c] = static_cast<std::int32_t>(fz / 4 / 0.01);
  }
  return s;
}

// A COP-target training trial scored from `in` of `total` samples inside the target (the first
// ones), recorded at `when`: what TrainingPanel stores, without the samples.
data::Trial training_trial(const char* when, int in, int total) {
  workflow::TrainingDefinition d;
  d.duration_s = total / 100.0;
  workflow::TrainingScorer s(d, 100);
  for (int i = 0; i < total; ++i) s.add_cop(i / 100.0, i < in ? 0.004 : 0.05, 0, 600);
  data::Trial t = gui::test::results_trial("x", "left", when, {});
  s.store_in(t);
  return t;
}

TEST(PatientHistory, SessionsTable_OneRowPerSessionWithDateTrialsTestsPainAndNotes) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto data = gui::test::make_report_archive(std::filesystem::path(tmp.path().toStdString()) / "archive");
  // A third visit: two training trials only, with notes.
  data::Session third;
  third.patient_id = data.patient_id;
  third.started_at_utc = "2026-04-20T14:15:00Z";
  third.notes = "Training only, knee felt stable";
  third = data.archive.add_session(third);
  data.archive.add_trial(third.id, training_trial("2026-04-20T14:20:00Z", 30, 100), {"left", ""});
  data.archive.add_trial(third.id, training_trial("2026-04-20T14:30:00Z", 70, 100), {"left", ""});

  const auto definitions = workflow::load_definitions({workflow::built_in_definitions_dir()});
  gui::PatientHistoryPage page;
  page.show_patient(data.archive, data.patient_id, definitions, workflow::MeasureCatalog::built_in());
  EXPECT_TRUE(page.header_label()->text().contains("Anna Example (P001)")) << page.header_label()->text().toStdString();

  QTableWidget* t = page.sessions_table();
  ASSERT_EQ(t->rowCount(), 3);
  using C = gui::PatientHistoryPage;
  // 3 single-leg CMJs per side, 2 hop-and-stick per side, 2 quiet stance, 1 provocation per side.
  EXPECT_EQ(t->item(0, C::kTrials)->text(), "14");
  EXPECT_EQ(t->item(1, C::kTrials)->text(), "14");
  EXPECT_EQ(t->item(2, C::kTrials)->text(), "2");
  // Local time; 09:00 UTC is the same calendar day in every time zone from UTC-9 to UTC+14.
  EXPECT_TRUE(t->item(0, C::kDate)->text().startsWith("2026-01-12")) << t->item(0, C::kDate)->text().toStdString();
  EXPECT_TRUE(t->item(1, C::kDate)->text().startsWith("2026-03-09")) << t->item(1, C::kDate)->text().toStdString();
  EXPECT_EQ(t->item(0, C::kDate)->data(Qt::UserRole).toString().toStdString(), data.first_session);

  const QString tests = t->item(0, C::kTests)->text();
  EXPECT_TRUE(tests.contains("Single-leg countermovement jump (L, R)")) << tests.toStdString();
  EXPECT_TRUE(tests.contains("Single-leg hop and stick (L, R)")) << tests.toStdString();
  EXPECT_TRUE(tests.contains("Quiet standing, both legs, eyes open")) << tests.toStdString();
  EXPECT_FALSE(tests.contains("training")) << tests.toStdString();
  EXPECT_EQ(t->item(2, C::kTests)->text(), QString::fromUtf8("COP-target training (L) ×2"));

  const QString pain1 = t->item(0, C::kPain)->text();
  EXPECT_TRUE(pain1.contains("Last 24 h: 3")) << pain1.toStdString();
  EXPECT_TRUE(pain1.contains(QString::fromUtf8("Single-leg countermovement jump: L 1 → 2, R 0 → 0"))) << pain1.toStdString();
  // The provocation test asks after only: left 4 (first visit), 1 (second).
  EXPECT_TRUE(pain1.contains(QString::fromUtf8("L after 4"))) << pain1.toStdString();
  EXPECT_TRUE(t->item(1, C::kPain)->text().contains(QString::fromUtf8("L after 1"))) << t->item(1, C::kPain)->text().toStdString();
  EXPECT_TRUE(t->item(1, C::kPain)->text().contains("Last 24 h: 1"));
  EXPECT_EQ(t->item(2, C::kPain)->text(), QString::fromUtf8("–"));
  EXPECT_EQ(t->item(2, C::kNotes)->text(), "Training only, knee felt stable");
  EXPECT_TRUE(page.status_label()->text().startsWith("3 session(s), 2 training trial(s)")) << page.status_label()->text().toStdString();

  // A double-click asks for that session.
  QSignalSpy activated(&page, &gui::PatientHistoryPage::session_activated);
  page.resize(1280, 860);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  const QRect cell = t->visualItemRect(t->item(1, C::kDate));
  QTest::mouseClick(t->viewport(), Qt::LeftButton, {}, cell.center());  // a double-click is press, release, press
  QTest::mouseDClick(t->viewport(), Qt::LeftButton, {}, cell.center());
  ASSERT_EQ(activated.count(), 1);
  EXPECT_EQ(activated.front().front().toString().toStdString(), data.second_session);

  // The training chart: one point per training trial, % in the zone and the longest hold.
  ASSERT_EQ(page.training_points().size(), 2u);
  EXPECT_NEAR(page.training_points()[0].time_in_zone_percent, 30, 1e-9);
  EXPECT_NEAR(page.training_points()[1].time_in_zone_percent, 70, 1e-9);
  EXPECT_NEAR(page.training_points()[1].longest_hold_s, 0.7, 1e-9);
  QLineSeries* zone = series_named(page.training_series(), "Time in the zone (%)");
  QLineSeries* hold = series_named(page.training_series(), "Longest hold (s)");
  ASSERT_TRUE(zone && hold);
  ASSERT_EQ(zone->count(), 2);
  EXPECT_DOUBLE_EQ(zone->at(0).x(), msecs("2026-04-20T14:20:00Z"));
  EXPECT_NEAR(zone->at(0).y(), 30, 1e-9);
  EXPECT_NEAR(zone->at(1).y(), 70, 1e-9);
  EXPECT_NEAR(hold->at(0).y(), 0.3, 1e-9);
  EXPECT_NEAR(hold->at(1).y(), 0.7, 1e-9);
  EXPECT_NE(zone->pen().style(), hold->pen().style()) << "told apart without colour";
  const QStringList titles = axis_titles(page.training_chart());
  EXPECT_TRUE(titles.contains("Time in the zone (%)")) << titles.join(" | ").toStdString();
  EXPECT_TRUE(titles.contains("Longest hold (s)")) << titles.join(" | ").toStdString();
  EXPECT_TRUE(titles.contains("Date of the training")) << titles.join(" | ").toStdString();
  QTest::qWait(50);
  save_shot(page, "patient_history_sessions");
}

TEST(PatientHistory, TrendChart_LeftAndRightSeriesHoldEachSessionsCombinedValue) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto data = gui::test::make_report_archive(std::filesystem::path(tmp.path().toStdString()) / "archive");
  const auto definitions = workflow::load_definitions({workflow::built_in_definitions_dir()});
  gui::PatientHistoryPage page;
  page.resize(1280, 860);
  page.show_patient(data.archive, data.patient_id, definitions, workflow::MeasureCatalog::built_in());
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));

  // The combo box lists every measure of every test the patient did.
  const auto& ms = page.measures();
  EXPECT_EQ(page.measure_box()->count(), static_cast<int>(ms.size()));
  const auto has = [&](const char* test, const char* measure) {
    return std::any_of(ms.begin(), ms.end(), [&](const gui::TrendMeasure& m) { return m.test == test && m.measure == measure; });
  };
  EXPECT_TRUE(has("single-leg-countermovement-jump", "jump_height_impulse"));
  EXPECT_TRUE(has("single-leg-hop-and-stick", "time_to_stabilisation"));
  EXPECT_TRUE(has("quiet-stance-eyes-open", "cop_mean_velocity"));
  EXPECT_FALSE(has("single-leg-countermovement-jump", "time_to_stabilisation"));
  EXPECT_FALSE(page.select_measure("single-leg-countermovement-jump", "no_such_measure"));

  // Jump height: best of three (the definition combines by "best"), left 0.15 then 0.19, right 0.21.
  ASSERT_TRUE(page.select_measure("single-leg-countermovement-jump", "jump_height_impulse"));
  EXPECT_TRUE(page.measure_box()->currentText().contains("Jump height impulse (m)")) << page.measure_box()->currentText().toStdString();
  auto series = page.trend_series();
  ASSERT_EQ(series.size(), 2u);
  QLineSeries* left = series_named(series, "Left (involved)");
  QLineSeries* right = series_named(series, "Right");
  ASSERT_TRUE(left && right);
  ASSERT_EQ(left->count(), 2);
  ASSERT_EQ(right->count(), 2);
  const double t1 = msecs("2026-01-12T09:00:00Z"), t2 = msecs("2026-03-09T09:30:00Z");
  EXPECT_DOUBLE_EQ(left->at(0).x(), t1);
  EXPECT_DOUBLE_EQ(left->at(1).x(), t2);
  EXPECT_NEAR(left->at(0).y(), 0.15, 1e-12);
  EXPECT_NEAR(left->at(1).y(), 0.19, 1e-12);
  EXPECT_NEAR(right->at(0).y(), 0.21, 1e-12);
  EXPECT_NEAR(right->at(1).y(), 0.21, 1e-12);
  EXPECT_NE(left->pen().style(), right->pen().style()) << "left and right differ by line style, not only colour";
  EXPECT_NE(left->lightMarker(), right->lightMarker()) << "and by marker";
  QStringList titles = axis_titles(page.trend_chart());
  EXPECT_TRUE(titles.contains("Jump height impulse (m)")) << titles.join(" | ").toStdString();
  EXPECT_TRUE(titles.contains("Session date")) << titles.join(" | ").toStdString();
  // Both values inside the value axis.
  for (QAbstractAxis* a : page.trend_chart()->axes(Qt::Vertical)) {
    auto* v = qobject_cast<QValueAxis*>(a);
    ASSERT_NE(v, nullptr);
    EXPECT_LT(v->min(), 0.15);
    EXPECT_GT(v->max(), 0.21);
  }
  QTest::qWait(50);
  save_shot(page, "patient_history_trend");

  // Hop and stick, time to stabilisation: mean of two trials, left 2.2 / 2.25 then 1.5 / 1.55.
  ASSERT_TRUE(page.select_measure("single-leg-hop-and-stick", "time_to_stabilisation"));
  series = page.trend_series();
  left = series_named(series, "Left (involved)");
  right = series_named(series, "Right");
  ASSERT_TRUE(left && right);
  EXPECT_NEAR(left->at(0).y(), 2.225, 1e-12);
  EXPECT_NEAR(left->at(1).y(), 1.525, 1e-12);
  EXPECT_NEAR(right->at(1).y(), 1.425, 1e-12);
  titles = axis_titles(page.trend_chart());
  EXPECT_TRUE(titles.contains("Time to stabilisation (s)")) << titles.join(" | ").toStdString();

  // A double-leg test: one series. Quiet stance COP velocity, mean of 12.5 and 12.4.
  ASSERT_TRUE(page.select_measure("quiet-stance-eyes-open", "cop_mean_velocity"));
  series = page.trend_series();
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0]->name(), "Both legs");
  EXPECT_NEAR(series[0]->at(0).y(), 12.45, 1e-12);
  titles = axis_titles(page.trend_chart());
  EXPECT_TRUE(titles.contains("COP mean velocity (mm/s)")) << titles.join(" | ").toStdString();

  // Shown again (a refresh): the chosen measure stays.
  page.show_patient(data.archive, data.patient_id, definitions, workflow::MeasureCatalog::built_in());
  ASSERT_NE(page.selected_measure(), nullptr);
  EXPECT_EQ(page.selected_measure()->measure, "cop_mean_velocity");

  // No training yet: the training chart says so and has no series.
  EXPECT_TRUE(page.training_series().empty());
  EXPECT_EQ(page.training_chart()->title(), "No training stored yet");
}

TEST(PatientHistory, UnknownPatient_SaysSoAndShowsNothing) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto data = gui::test::make_report_archive(std::filesystem::path(tmp.path().toStdString()) / "archive");
  const auto definitions = workflow::load_definitions({workflow::built_in_definitions_dir()});
  gui::PatientHistoryPage page;
  page.show_patient(data.archive, "NOPE", definitions, workflow::MeasureCatalog::built_in());
  EXPECT_TRUE(page.status_label()->text().contains("NOPE")) << page.status_label()->text().toStdString();
  EXPECT_EQ(page.sessions_table()->rowCount(), 0);
  EXPECT_TRUE(page.trend_series().empty());
  EXPECT_TRUE(page.measures().empty());
}

// End to end: a training run fed with samples whose in-zone fraction is known (COP inside the target
// for exactly 60 % of the scored samples) is stored by the panel in today's session and appears on
// the history page's training chart with that score.
TEST(PatientHistory, TrainingRunStoredByThePanel_AppearsOnTheTrainingChart) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto data = gui::test::make_report_archive(std::filesystem::path(tmp.path().toStdString()) / "archive");
  // Earlier training, at the two visits: 35 % and 50 % in the zone.
  data.archive.add_trial(data.first_session, training_trial("2026-01-12T09:40:00Z", 35, 100), {"left", ""});
  data.archive.add_trial(data.second_session, training_trial("2026-03-09T10:10:00Z", 50, 100), {"left", ""});

  gui::TrainingPanel panel;
  const acq::DeviceDescription device = one_plate();
  panel.set_device(&device);
  int asked = 0;
  panel.set_archive_target(&data.archive, [&] {
    ++asked;
    return gui::session_for_today(data.archive, data.patient_id);
  });
  QSignalSpy stored(&panel, &gui::TrainingPanel::trial_stored);

  workflow::TrainingDefinition d = panel.definition_from_controls();
  d.mode = workflow::TrainingMode::cop_target;
  d.involved_side = analysis::Side::left;
  d.duration_s = 5;
  d.target_x_m = 0;
  d.target_y_m = 0;
  d.target_radius_m = 0.02;
  ASSERT_TRUE(panel.start(d));
  std::uint64_t n = 0;
  for (int i = 0; i < 30; ++i) panel.feed(cop_sample(n++, 0, 0, 5));  // nobody on the plate yet
  for (int i = 0; i < 500; ++i) {                                      // 5 s: 3 s in, 2 s out
    const bool in = i < 300;
    panel.feed(cop_sample(n++, in ? 0.008 : 0.035, in ? -0.005 : 0.01, 650));
  }
  for (int i = 0; i < 20; ++i) panel.feed(cop_sample(n++, 0, 0, 650));  // after the end: not scored
  panel.refresh();
  ASSERT_FALSE(panel.running());
  EXPECT_EQ(asked, 1);
  ASSERT_EQ(stored.count(), 1);
  ASSERT_TRUE(panel.last_stored().has_value()) << panel.status_label()->text().toStdString();
  const data::TrialRecord rec = *panel.last_stored();
  EXPECT_EQ(stored.front().at(0).toString().toStdString(), rec.id);
  EXPECT_TRUE(panel.status_label()->text().contains(QString::fromStdString("Stored as trial " + rec.id)))
      << panel.status_label()->text().toStdString();

  // In the archive: a new session today, holding the trial with its score and the scored samples.
  const auto sessions = data.archive.list_sessions(data.patient_id);
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(rec.session_id, sessions.back().id);
  EXPECT_EQ(sessions.back().trial_count, 1u);
  EXPECT_EQ(rec.test, "training-cop-target");
  EXPECT_EQ(rec.side, "left");
  const data::Trial trial = data.archive.read_trial(rec.id);
  std::map<std::string, double> results;
  for (const auto& m : trial.results) results[m.name] = m.value;
  EXPECT_NEAR(results.at("time_in_zone"), 60.0, 1e-9);
  EXPECT_NEAR(results.at("longest_hold"), 3.0, 1e-9);
  EXPECT_EQ(trial.sample_count(), 500u);
  EXPECT_EQ(trial.sequence.front(), 30u) << "from the sample that started the clock";
  EXPECT_NEAR(trial.cop_x_m.front(), 0.008, 1e-12);
  EXPECT_EQ(trial.side, "left");
  EXPECT_NE(trial.test_definition.find("\"target_radius_m\":0.02"), std::string::npos) << trial.test_definition;
  EXPECT_EQ(trial.plates.size(), 1u);

  // A second run the same day goes to the same session.
  ASSERT_TRUE(panel.start(d));
  for (int i = 0; i < 500; ++i) panel.feed(cop_sample(n++, i % 5 == 0 ? 0.05 : 0.0, 0, 650));  // 80 %
  panel.refresh();
  ASSERT_EQ(stored.count(), 2);
  EXPECT_EQ(panel.last_stored()->session_id, rec.session_id);
  const data::TrialRecord second = *panel.last_stored();

  // The history page shows all four training trials, today's with their scores.
  const auto definitions = workflow::load_definitions({workflow::built_in_definitions_dir()});
  gui::PatientHistoryPage page;
  page.resize(1280, 860);
  page.show_patient(data.archive, data.patient_id, definitions, workflow::MeasureCatalog::built_in());
  ASSERT_EQ(page.training_points().size(), 4u);
  EXPECT_EQ(page.training_points()[2].trial_id, rec.id);
  EXPECT_NEAR(page.training_points()[2].time_in_zone_percent, 60.0, 1e-9);
  EXPECT_NEAR(page.training_points()[3].time_in_zone_percent, 80.0, 1e-9);
  QLineSeries* zone = series_named(page.training_series(), "Time in the zone (%)");
  QLineSeries* hold = series_named(page.training_series(), "Longest hold (s)");
  ASSERT_TRUE(zone && hold);
  ASSERT_EQ(zone->count(), 4);
  EXPECT_NEAR(zone->at(0).y(), 35.0, 1e-9);
  EXPECT_NEAR(zone->at(1).y(), 50.0, 1e-9);
  EXPECT_NEAR(zone->at(2).y(), 60.0, 1e-9);
  EXPECT_DOUBLE_EQ(zone->at(2).x(), msecs(rec.recorded_at_utc.c_str()));
  EXPECT_NEAR(hold->at(2).y(), 3.0, 1e-9);
  EXPECT_NEAR(hold->at(3).y(), 0.04, 1e-9);  // 4 in-zone samples between the misses
  EXPECT_EQ(page.sessions_table()->rowCount(), 3);
  EXPECT_EQ(page.sessions_table()->item(2, gui::PatientHistoryPage::kTrials)->text(), "2");
  EXPECT_EQ(page.sessions_table()->item(2, gui::PatientHistoryPage::kTests)->text(),
            QString::fromUtf8("COP-target training (L) ×2"));
  (void)second;
  page.select_measure("single-leg-countermovement-jump", "jump_height_impulse");
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  QTest::qWait(50);
  save_shot(page, "patient_history_training");
}

}  // namespace
