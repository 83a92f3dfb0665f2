// The per-trial charts of the results page (TrialChartsWidget) and the before / after COP overlay
// (CopOverlayWidget), against an archive of synthetic trials whose force and COP are known exactly:
// a body-weight force with one spike up and one dip down at known samples, a COP swaying by whole
// periods of sines about a known mean. Screenshots: /tmp/trialcharts_results.png and
// /tmp/trialcharts_comparison.png, and the same under <build>/screenshots/.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QTest>

#include "forceplate/data/archive.hpp"
#include "forceplate/gui/cop_overlay.hpp"
#include "forceplate/gui/report.hpp"
#include "forceplate/gui/session_pages.hpp"
#include "forceplate/gui/trial_charts.hpp"
#include "forceplate/workflow/comparison.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"
#include "report_fixture.hpp"

namespace {

using namespace fp;
constexpr double kPi = std::numbers::pi;

// What a synthetic trial is made of.
struct Spec {
  std::string definition;        // definition id (stored in test_definition)
  std::string analysis;          // Trial::test_name, as the runner stores it
  std::string side;              // "left", "right", ""
  std::string when = "2026-01-12T09:00:00Z";
  double rate_hz = 500;
  double duration_s = 10;        // samples: duration * rate
  double body_weight_n = 700;
  double spike_n = 400;          // one sample above body weight ...
  double spike_at_s = 3.2;
  double dip_n = 250;            // ... and one below
  double dip_at_s = 6.5;
  double cop_x_mm = 0, cop_y_mm = 0;  // mean COP, from the plate centre
  double sway_mm = 4;                 // amplitude of the sines (whole periods over the trial)
  int plates = 1;
  double origin_x_m = 0;         // two plates: plate 1 at -origin, plate 2 at +origin
  std::string invalid_reason;
  bool store_body_weight = true;
  double device_t0_s = 100;      // device time of the first sample
};

data::PlateInfo plate_info() {
  data::PlateInfo p;
  p.width_m = 0.4;
  p.length_m = 0.6;
  p.cell_x_m = {-0.18, 0.18, -0.18, 0.18};
  p.cell_y_m = {0.28, 0.28, -0.28, -0.28};
  p.gain_n_per_count = {0.01, 0.01, 0.01, 0.01};
  p.offset_counts = {0, 0, 0, 0};
  return p;
}

// One plate carries the force; of two, plate 1 carries 40 % and plate 2 60 %. Each plate's COP
// sways about the same mean.
data::Trial make_trial(const Spec& s) {
  data::Trial t;
  t.test_name = s.analysis;
  t.start_time_utc = s.when;
  t.software_version = "test";
  t.sample_rate_hz = s.rate_hz;
  t.cells_per_plate = 4;
  for (int k = 0; k < s.plates; ++k) {
    data::PlateInfo p = plate_info();
    if (s.plates == 2) p.origin_x_m = k == 0 ? -s.origin_x_m : s.origin_x_m;
    t.plates.push_back(p);
  }
  const auto n = static_cast<std::size_t>(std::llround(s.duration_s * s.rate_hz));
  const auto spike = static_cast<std::size_t>(std::llround(s.spike_at_s * s.rate_hz));
  const auto dip = static_cast<std::size_t>(std::llround(s.dip_at_s * s.rate_hz));
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 0.2);  // mm
  for (std::size_t i = 0; i < n; ++i) {
    const double time = static_cast<double>(i) / s.rate_hz;
    double total = s.body_weight_n + 20 * std::sin(2 * kPi * 0.5 * time);
    if (i == spike) total = s.body_weight_n + s.spike_n;
    if (i == dip) total = s.body_weight_n - s.dip_n;
    t.sequence.push_back(5000 + i);
    t.time_s.push_back(s.device_t0_s + time);
    for (int k = 0; k < s.plates; ++k) {
      const double fz = s.plates == 1 ? total : total * (k == 0 ? 0.4 : 0.6);
      const double x = (s.cop_x_mm + s.sway_mm * std::sin(2 * kPi * 0.3 * time) + noise(rng)) / 1000;
      const double y = (s.cop_y_mm + 1.5 * s.sway_mm * std::cos(2 * kPi * 0.2 * time) + noise(rng)) / 1000;
      const data::PlateInfo& p = t.plates[static_cast<std::size_t>(k)];
      for (std::size_t c = 0; c < 4; ++c) {
        const double share = 0.25 * (1 + x / p.cell_x_m[c]) * (1 + y / p.cell_y_m[c]);
        t.cell_force_n.push_back(fz * share);
        t.counts.push_back(static_cast<std::int32_t>(std::lround(fz * share / p.gain_n_per_count[c])));
      }
      t.fz_n.push_back(fz);
      t.cop_x_m.push_back(x);
      t.cop_y_m.push_back(y);
    }
  }
  const double end = s.device_t0_s + static_cast<double>(n) / s.rate_hz;  // the sample past the end
  t.runner_events = {{s.device_t0_s - 4.5, "weighing", "stand still"},
                     {s.device_t0_s - 3.0, "countdown", "get ready"},
                     {s.device_t0_s, "recording", "recording"},
                     {end, "analysing", "samples recorded"},
                     {end, "result", s.invalid_reason.empty() ? "valid" : "invalid"}};
  if (s.store_body_weight) t.results.push_back({"body_weight", s.body_weight_n, "N"});
  t.results.push_back({"cop_mean_velocity", 10, "mm/s"});
  t.side = s.side;
  t.test_definition = R"({"id": ")" + s.definition + R"("})";
  t.invalid_reason = s.invalid_reason;
  return t;
}

double max_fz(const data::Trial& t, int plate) {
  double m = -1e300;
  const auto p = static_cast<std::size_t>(t.plate_count());
  for (std::size_t i = 0; i < t.sample_count(); ++i) m = std::max(m, t.fz_n[i * p + static_cast<std::size_t>(plate)]);
  return m;
}

double min_fz(const data::Trial& t, int plate) {
  double m = 1e300;
  const auto p = static_cast<std::size_t>(t.plate_count());
  for (std::size_t i = 0; i < t.sample_count(); ++i) m = std::min(m, t.fz_n[i * p + static_cast<std::size_t>(plate)]);
  return m;
}

// Mean COP of plate k in mm, from the samples themselves.
QPointF mean_cop_mm(const data::Trial& t, int plate) {
  const auto p = static_cast<std::size_t>(t.plate_count());
  double sx = 0, sy = 0;
  for (std::size_t i = 0; i < t.sample_count(); ++i) {
    sx += t.cop_x_m[i * p + static_cast<std::size_t>(plate)];
    sy += t.cop_y_m[i * p + static_cast<std::size_t>(plate)];
  }
  const double n = static_cast<double>(t.sample_count());
  return {1000 * sx / n, 1000 * sy / n};
}

QPointF mean_of(const QList<QPointF>& points) {
  double sx = 0, sy = 0;
  for (const QPointF& p : points) {
    sx += p.x();
    sy += p.y();
  }
  const double n = std::max<double>(1, static_cast<double>(points.size()));
  return {sx / n, sy / n};
}

double rms_x(const QList<QPointF>& points) {
  const QPointF m = mean_of(points);
  double s = 0;
  for (const QPointF& p : points) s += (p.x() - m.x()) * (p.x() - m.x());
  return std::sqrt(s / std::max<double>(1, static_cast<double>(points.size())));
}

void save_shot(QWidget& w, const std::string& name) {
  const QImage image = w.grab().toImage();
  EXPECT_TRUE(image.save(QString::fromStdString("/tmp/" + name)));
  const auto dir = std::filesystem::path(FP_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(dir);
  image.save(QString::fromStdString((dir / name).string()));
}

// The QLineSeries of a chart view inside `w` whose series include one named `name`.
QList<QLineSeries*> series_named(QWidget& w, const QString& name) {
  QList<QLineSeries*> out;
  for (QChartView* v : w.findChildren<QChartView*>())
    for (QAbstractSeries* s : v->chart()->series())
      if (auto* l = qobject_cast<QLineSeries*>(s); l && l->name() == name) out << l;
  return out;
}

// ------------------------------------------------------------------ the archive

// A stance trial of `duration_s` at 500 Hz: force body weight ± 20 N with a spike and a dip, COP
// about (x, y) mm swaying by `sway` mm.
Spec stance(const std::string& definition, const std::string& analysis, const std::string& side,
            const std::string& when, double body_weight, double spike, double spike_at, double dip,
            double dip_at, double x, double y, double sway, double duration_s = 10) {
  Spec s;
  s.definition = definition;
  s.analysis = analysis;
  s.side = side;
  s.when = when;
  s.duration_s = duration_s;
  s.body_weight_n = body_weight;
  s.spike_n = spike;
  s.spike_at_s = spike_at;
  s.dip_n = dip;
  s.dip_at_s = dip_at;
  s.cop_x_mm = x;
  s.cop_y_mm = y;
  s.sway_mm = sway;
  return s;
}

const Spec kLeftBefore = stance("single-leg-stance-eyes-open", "single-leg-stance", "left", "2026-01-12T09:00:00Z",
                                700, 400, 3.2, 250, 6.5, 12, -25, 4);
const Spec kLeftAfter = stance("single-leg-stance-eyes-open", "single-leg-stance", "left", "2026-03-09T09:30:00Z",
                               705, 300, 2.1, 200, 7.3, -8, 5, 1.5);

class TrialChartsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.isValid());
    archive_ = std::make_unique<data::Archive>(data::Archive::create(std::filesystem::path(tmp_.path().toStdString()) / "a"));
    data::Patient p;
    p.id = "P001";
    p.name = "Anna Example";
    p.involved_side = "left";
    p.mass_kg = 71;
    archive_->add_patient(p);
    data::Session s;
    s.patient_id = "P001";
    s.started_at_utc = "2026-01-12T09:00:00Z";
    first_ = archive_->add_session(s).id;
    s.started_at_utc = "2026-03-09T09:30:00Z";
    second_ = archive_->add_session(s).id;

    // First session: left (valid), left again (invalid: attempt 2), right, quiet stance on two
    // plates placed 0.22 m either side, a jump.
    add(first_, kLeftBefore);
    Spec invalid = kLeftBefore;
    invalid.invalid_reason = "stepped off the plate 4.2 s into the 30 s recording";
    invalid.duration_s = 4.2;
    add(first_, invalid);
    Spec right = kLeftBefore;
    right.side = "right";
    right.cop_x_mm = -10;
    add(first_, right);
    Spec quiet = stance("quiet-stance-eyes-open", "quiet-stance", "", "2026-01-12T09:20:00Z", 720, 150, 1.5, 100, 5.0, 3,
                        7, 2, 8);
    quiet.plates = 2;
    quiet.origin_x_m = 0.22;
    quiet.store_body_weight = false;
    add(first_, quiet);
    const Spec jump = stance("countermovement-jump", "countermovement-jump", "", "2026-01-12T09:30:00Z", 700, 1500, 1.0,
                             690, 2.0, 0, 0, 2, 4);
    add(first_, jump);

    // Second session: both sides of single-leg stance (no quiet stance: it is not overlaid).
    add(second_, kLeftAfter);
    Spec right2 = kLeftAfter;
    right2.side = "right";
    add(second_, right2);
  }

  void add(const std::string& session, const Spec& s) {
    data::Trial t = make_trial(s);
    // A value for every measure the definition lists (the comparison needs them all).
    if (const workflow::TestDefinition* def = defs_.find(s.definition)) {
      for (const workflow::MeasureSpec& m : def->measures) {
        const bool have = std::any_of(t.results.begin(), t.results.end(), [&](const auto& r) { return r.name == m.name; });
        if (!have) t.results.push_back({m.name, 10 + s.sway_mm, ""});
      }
    }
    archive_->add_trial(session, t, {s.side.empty() ? "none" : s.side, ""});
  }

  QTemporaryDir tmp_;
  std::unique_ptr<data::Archive> archive_;
  std::string first_, second_;
  workflow::DefinitionSet defs_ = workflow::load_definitions({workflow::built_in_definitions_dir()});
  workflow::MeasureCatalog catalog_ = workflow::MeasureCatalog::built_in();
  workflow::MdcTable mdc_ = workflow::MdcTable::load(workflow::built_in_mdc_table());
};

// ------------------------------------------------------------------ plain functions

TEST(TrialChartFunctions, DecimatedForce_KeepsBothExtremesExactly_AndSpansTheWholeTrial) {
  const data::Trial t = make_trial(kLeftBefore);
  const double duration = (static_cast<double>(t.sample_count()) - 1) / t.sample_rate_hz;
  ASSERT_DOUBLE_EQ(gui::trial_duration_s(t), duration);
  for (const int columns : {37, 300, 800}) {
    const std::vector<gui::SeriesPoint> d = gui::decimated_force(t, 0, columns);
    ASSERT_FALSE(d.empty());
    EXPECT_LE(d.size(), 2U * static_cast<std::size_t>(columns) + 2U);
    EXPECT_LT(d.size(), t.sample_count());
    double lo = 1e300, hi = -1e300;
    for (const auto& p : d) {
      lo = std::min(lo, p.y);
      hi = std::max(hi, p.y);
    }
    EXPECT_EQ(hi, 1100.0) << columns;  // the spike sample, exactly
    EXPECT_EQ(lo, 450.0) << columns;   // the dip sample
    EXPECT_EQ(d.front().t, 0.0);
    EXPECT_NEAR(d.back().t, duration, 1e-9);
    EXPECT_TRUE(std::is_sorted(d.begin(), d.end(), [](const auto& a, const auto& b) { return a.t < b.t; }));
  }
  EXPECT_TRUE(gui::decimated_force(t, 1, 100).empty());  // no such plate
}

TEST(TrialChartFunctions, EventMarks_KeepEventsInsideTheRecording_AndMergeCloseOnes) {
  data::Trial t = make_trial(kLeftBefore);
  std::vector<gui::EventMark> m = gui::event_marks(t, 0.2);
  ASSERT_EQ(m.size(), 2U);  // not weighing and countdown (before), nor analysing
  EXPECT_EQ(m[0].label, "recording");
  EXPECT_DOUBLE_EQ(m[0].t_s, 0.0);
  EXPECT_EQ(m[1].label, "result");
  EXPECT_NEAR(m[1].t_s, gui::trial_duration_s(t), 1e-9);  // one sample past the end: clamped
  t.runner_events.push_back({kLeftBefore.device_t0_s + 4.0, "touch-down", ""});
  t.runner_events.push_back({kLeftBefore.device_t0_s + 4.1, "step", ""});
  m = gui::event_marks(t, 0.2);
  ASSERT_EQ(m.size(), 3U);
  EXPECT_EQ(m[1].label, "touch-down / step");
  EXPECT_NEAR(m[1].t_s, 4.0, 1e-9);
}

TEST(TrialChartFunctions, PlateOrigins_StoredOrSideBySideWhenNotRecorded) {
  Spec s = kLeftBefore;
  s.plates = 2;
  s.origin_x_m = 0.25;
  data::Trial t = make_trial(s);
  auto o = gui::plate_origins(t);
  ASSERT_EQ(o.size(), 2U);
  EXPECT_DOUBLE_EQ(o[0].x_m, -0.25);
  EXPECT_DOUBLE_EQ(o[1].x_m, 0.25);
  t.plates[0].origin_x_m = t.plates[1].origin_x_m = 0;  // an older file
  o = gui::plate_origins(t);
  EXPECT_DOUBLE_EQ(o[0].x_m, -0.2);  // touching: half of each 0.4 m wide plate
  EXPECT_DOUBLE_EQ(o[1].x_m, 0.2);
}

TEST(TrialChartFunctions, CentredTrace_HasZeroMean_AndStanceCopPicksTheSidePlate) {
  Spec s = kLeftBefore;
  s.plates = 2;
  s.origin_x_m = 0.25;
  const data::Trial t = make_trial(s);
  const auto left = gui::stance_cop_mm(t, "left");  // relative to its own plate's centre
  double mx = 0, my = 0;
  ASSERT_TRUE(gui::trace_mean(left, mx, my));
  EXPECT_NEAR(mx, mean_cop_mm(t, 0).x(), 1e-9);
  EXPECT_NEAR(my, mean_cop_mm(t, 0).y(), 1e-9);
  const auto both = gui::stance_cop_mm(t, "");  // both plates by their moments: 40 % at -250 mm, 60 % at +250
  ASSERT_TRUE(gui::trace_mean(both, mx, my));
  EXPECT_NEAR(mx, 12 + 0.6 * 250 - 0.4 * 250, 0.2);
  ASSERT_TRUE(gui::trace_mean(gui::centred(left), mx, my));
  EXPECT_NEAR(mx, 0, 1e-9);
  EXPECT_NEAR(my, 0, 1e-9);
}

TEST(TrialChartFunctions, LowpassTrace_RemovesNoise_KeepsSwayAndMean_FiltersRunsApart) {
  // 0.3 Hz sway of 4 mm plus white noise of 0.5 mm at 500 Hz, with a gap of 1 s in the middle.
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 0.5);
  std::vector<gui::TracePoint> raw;
  for (int i = 0; i < 5000; ++i) {
    if (i >= 2000 && i < 2500) continue;
    const double t = i / 500.0;
    raw.push_back({t, 5 + 4 * std::sin(2 * kPi * 0.3 * t) + noise(rng), -2 + noise(rng)});
  }
  const auto smooth = gui::lowpass_trace(raw, 500);
  ASSERT_EQ(smooth.size(), raw.size());
  double err_raw = 0, err_smooth = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    EXPECT_EQ(smooth[i].t, raw[i].t);
    const double truth = 5 + 4 * std::sin(2 * kPi * 0.3 * raw[i].t);
    err_raw += (raw[i].x - truth) * (raw[i].x - truth);
    err_smooth += (smooth[i].x - truth) * (smooth[i].x - truth);
  }
  // 10 Hz of a 250 Hz band: the noise's RMS falls by about sqrt(25) = 5.
  EXPECT_LT(std::sqrt(err_smooth / err_raw), 0.3);
  double mx = 0, my = 0;
  ASSERT_TRUE(gui::trace_mean(smooth, mx, my));
  EXPECT_NEAR(my, -2, 0.05);
  // Too low a rate for a 10 Hz filter: unchanged.
  const auto same = gui::lowpass_trace(raw, 20);
  EXPECT_EQ(same[10].x, raw[10].x);
}

TEST(TrialChartFunctions, EqualAspect_WidensOneAxisOnly) {
  const gui::Region r = gui::equal_aspect({-10, 10, -10, 10}, 400, 200);
  EXPECT_DOUBLE_EQ(r.y_lo, -10);
  EXPECT_DOUBLE_EQ(r.y_hi, 10);
  EXPECT_DOUBLE_EQ(r.x_lo, -20);
  EXPECT_DOUBLE_EQ(r.x_hi, 20);
}

// ------------------------------------------------------------------ results page

TEST_F(TrialChartsTest, ResultsPage_ListsEveryTrial_WithTestSideAttemptAndValidity) {
  gui::SessionResultsPage page;
  page.resize(1200, 900);
  page.show_session(*archive_, first_, defs_, catalog_);
  const QTableWidget* list = page.trial_list();
  ASSERT_EQ(list->rowCount(), 5);
  ASSERT_EQ(page.trial_ids().size(), 5U);
  using P = gui::SessionResultsPage;
  const auto cell = [&](int r, int c) { return list->item(r, c)->text(); };
  EXPECT_EQ(cell(0, P::kTrialTest), "Single-leg stance, eyes open");
  EXPECT_EQ(cell(0, P::kTrialSide), "left");
  EXPECT_EQ(cell(0, P::kTrialAttempt), "1");
  EXPECT_EQ(cell(0, P::kTrialResult), QStringLiteral("✓ valid"));
  EXPECT_EQ(cell(0, P::kTrialLength), "10.0");
  EXPECT_EQ(cell(1, P::kTrialSide), "left");
  EXPECT_EQ(cell(1, P::kTrialAttempt), "2");
  EXPECT_EQ(cell(1, P::kTrialResult), QStringLiteral("⊗ invalid: stepped off the plate 4.2 s into the 30 s recording"));
  EXPECT_TRUE(list->item(1, P::kTrialResult)->font().bold());
  EXPECT_EQ(cell(2, P::kTrialSide), "right");
  EXPECT_EQ(cell(2, P::kTrialAttempt), "1");
  EXPECT_TRUE(cell(3, P::kTrialTest).startsWith("Quiet standing")) << cell(3, P::kTrialTest).toStdString();
  EXPECT_EQ(cell(3, P::kTrialSide), "both");
  EXPECT_EQ(cell(4, P::kTrialTest), "Countermovement jump");
  const QString expected_time =
      QDateTime::fromString("2026-01-12T09:20:00Z", Qt::ISODate).toLocalTime().toString("HH:mm:ss");
  EXPECT_EQ(cell(3, P::kTrialTime), expected_time);
  EXPECT_FALSE(page.trial_charts()->isVisible());  // nothing selected yet
  // The invalid trial is not in the tables' results.
  EXPECT_TRUE(page.status_label()->text().contains("1 trial(s) not used")) << page.status_label()->text().toStdString();
}

TEST_F(TrialChartsTest, ResultsPage_SelectingATrial_ShowsItsForceAndCop) {
  gui::SessionResultsPage page;
  page.resize(1200, 960);
  page.show_session(*archive_, first_, defs_, catalog_);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  page.trial_list()->selectRow(0);
  QApplication::processEvents();
  gui::TrialChartsWidget* charts = page.trial_charts();
  ASSERT_TRUE(charts->has_trial());
  ASSERT_TRUE(charts->isVisible());
  const data::Trial t = archive_->read_trial(page.trial_ids()[0]);
  const double duration = gui::trial_duration_s(t);
  ASSERT_NEAR(duration, 9.998, 1e-9);

  EXPECT_TRUE(charts->title_label()->text().contains("attempt 1")) << charts->title_label()->text().toStdString();
  EXPECT_EQ(charts->plate_count(), 1);
  const QList<QPointF> force = charts->force_points(0);
  ASSERT_GT(force.size(), 10);
  EXPECT_LT(static_cast<std::size_t>(force.size()), t.sample_count() / 2);  // decimated
  double hi = -1e300, lo = 1e300;
  for (const QPointF& p : force) {
    hi = std::max(hi, p.y());
    lo = std::min(lo, p.y());
  }
  EXPECT_EQ(hi, max_fz(t, 0));  // min/max per column keeps the extremes exactly
  EXPECT_EQ(lo, min_fz(t, 0));
  EXPECT_EQ(hi, 1100.0);
  EXPECT_EQ(force.front().x(), 0.0);
  EXPECT_NEAR(force.back().x(), duration, 1e-9);
  const QRectF range = charts->force_range();
  EXPECT_DOUBLE_EQ(range.left(), 0.0);
  EXPECT_NEAR(range.right(), duration, 1e-9);
  EXPECT_LE(range.top(), 450.0);
  EXPECT_GE(range.bottom(), 1100.0);
  ASSERT_TRUE(charts->body_weight_line_n().has_value());
  EXPECT_DOUBLE_EQ(*charts->body_weight_line_n(), 700.0);
  EXPECT_EQ(charts->event_labels(), (QStringList{"recording", "result"}));

  // Every axis names its quantity and unit.
  const QStringList titles = charts->axis_titles();
  ASSERT_EQ(titles.size(), 4);
  EXPECT_TRUE(titles[0].contains("(s)")) << titles[0].toStdString();
  EXPECT_TRUE(titles[1].contains("(N)")) << titles[1].toStdString();
  EXPECT_TRUE(titles[2].startsWith("Mediolateral x (mm")) << titles[2].toStdString();
  EXPECT_TRUE(titles[3].startsWith("Anteroposterior y (mm")) << titles[3].toStdString();

  // COP in mm about the known mean (12, -25) mm; thinned for drawing.
  const QList<QPointF> cop = charts->cop_points(0);
  ASSERT_GT(cop.size(), 50);
  EXPECT_LT(static_cast<std::size_t>(cop.size()), t.sample_count());
  const QPointF truth = mean_cop_mm(t, 0);
  EXPECT_NEAR(truth.x(), 12, 0.05);
  EXPECT_NEAR(truth.y(), -25, 0.05);
  const QPointF drawn = mean_of(cop);
  EXPECT_NEAR(drawn.x(), truth.x(), 0.5);
  EXPECT_NEAR(drawn.y(), truth.y(), 0.5);
  // Zoomed to the sway: the region holds the trace, not the whole 400 x 600 mm plate.
  const QRectF zoomed = charts->cop_chart()->visible_region();
  EXPECT_TRUE(zoomed.contains(QPointF(12, -25)));
  EXPECT_LT(zoomed.height(), 100);
  charts->zoom_box()->setChecked(false);
  QApplication::processEvents();
  const QRectF whole = charts->cop_chart()->visible_region();
  EXPECT_LE(whole.left(), -200);
  EXPECT_GE(whole.right(), 200);
  EXPECT_LE(whole.top(), -300);
  EXPECT_GE(whole.bottom(), 300);
  save_shot(*charts, "trialcharts_results_whole_plate.png");
  charts->zoom_box()->setChecked(true);
  QApplication::processEvents();

  // Redrawing at another size replaces each series in one call, never point by point.
  const QList<QLineSeries*> lines = series_named(*charts, "Vertical force");
  ASSERT_EQ(lines.size(), 1);
  int added = 0, replaced = 0;
  QObject::connect(lines[0], &QXYSeries::pointAdded, [&](int) { ++added; });
  QObject::connect(lines[0], &QXYSeries::pointsReplaced, [&] { ++replaced; });
  const int before = charts->force_redraw_count();
  page.resize(1500, 960);
  QApplication::processEvents();
  QApplication::processEvents();
  EXPECT_GT(charts->force_redraw_count(), before);
  EXPECT_EQ(replaced, charts->force_redraw_count() - before);
  EXPECT_EQ(added, 0);
  EXPECT_EQ(charts->force_points(0).front().x(), 0.0);
  page.resize(1200, 960);
  QApplication::processEvents();

  save_shot(page, "trialcharts_results.png");

  // Another row: the invalid, shorter attempt.
  page.trial_list()->selectRow(1);
  QApplication::processEvents();
  EXPECT_TRUE(charts->title_label()->text().contains("invalid")) << charts->title_label()->text().toStdString();
  EXPECT_NEAR(charts->force_points(0).back().x(), 4.198, 1e-9);
}

TEST_F(TrialChartsTest, ResultsPage_TwoPlateTrial_DrawsEachPlateAtItsOrigin) {
  gui::SessionResultsPage page;
  page.resize(1200, 960);
  page.show_session(*archive_, first_, defs_, catalog_);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  page.trial_list()->selectRow(3);  // quiet stance, plates at x = -0.22 m and +0.22 m
  QApplication::processEvents();
  gui::TrialChartsWidget* charts = page.trial_charts();
  ASSERT_EQ(charts->plate_count(), 2);
  EXPECT_EQ(charts->force_series_names(), (QStringList{"Plate 1 (left)", "Plate 2 (right)"}));
  EXPECT_EQ(charts->cop_chart()->trace_names(), (QStringList{"COP 1 (left)", "COP 2 (right)"}));
  const data::Trial t = archive_->read_trial(page.trial_ids()[3]);
  for (int k = 0; k < 2; ++k) {
    double hi = -1e300;
    for (const QPointF& p : charts->force_points(k)) hi = std::max(hi, p.y());
    EXPECT_EQ(hi, max_fz(t, k));
    EXPECT_DOUBLE_EQ(hi, (k == 0 ? 0.4 : 0.6) * (720 + 150));
    const QPointF drawn = mean_of(charts->cop_points(k));
    EXPECT_NEAR(drawn.x(), (k == 0 ? -220 : 220) + mean_cop_mm(t, k).x(), 0.5);
    EXPECT_NEAR(drawn.y(), mean_cop_mm(t, k).y(), 0.5);
  }
  EXPECT_FALSE(charts->body_weight_line_n().has_value());  // none stored with this trial
  // Zoomed, the two plates' traces are both in view.
  const QRectF region = charts->cop_chart()->visible_region();
  EXPECT_LE(region.left(), -220);
  EXPECT_GE(region.right(), 220);
  save_shot(page, "trialcharts_results_two_plates.png");
}

// ------------------------------------------------------------------ comparison page

TEST_F(TrialChartsTest, ComparisonPage_OverlaysTheCentredCopOfBothSessions) {
  gui::ComparisonPage page;
  page.resize(1250, 900);
  page.show_comparison(*archive_, "P001", defs_, catalog_, mdc_);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  ASSERT_TRUE(page.export_button()->isEnabled()) << page.status_label()->text().toStdString();
  gui::CopOverlayWidget* overlay = page.cop_overlay();
  // Single-leg stance on both sides is in both sessions; quiet stance only in the first.
  ASSERT_EQ(overlay->test_box()->count(), 2);
  EXPECT_EQ(overlay->test_box()->itemText(0), QStringLiteral("Single-leg stance, eyes open — left"));
  EXPECT_EQ(overlay->test_box()->itemText(1), QStringLiteral("Single-leg stance, eyes open — right"));
  EXPECT_EQ(overlay->shown_trials().first, overlay->pairs()[0].from_trial);

  gui::CopChart* chart = overlay->chart();
  ASSERT_EQ(chart->trace_count(), 2U);
  const QStringList names = chart->trace_names();
  EXPECT_TRUE(names[0].contains("2026-01-12")) << names[0].toStdString();
  EXPECT_TRUE(names[1].contains("2026-03-09")) << names[1].toStdString();
  // Each trace centred on its own mean, though the means were (12, -25) and (-8, 5) mm.
  for (std::size_t i = 0; i < 2; ++i) {
    const QPointF m = mean_of(chart->points(i));
    EXPECT_NEAR(m.x(), 0, 0.3) << i;
    EXPECT_NEAR(m.y(), 0, 0.3) << i;
  }
  // The before trace is the one that swayed more (4 mm amplitude against 1.5 mm).
  EXPECT_NEAR(rms_x(chart->points(0)), 4 / std::sqrt(2.0), 0.3);
  EXPECT_NEAR(rms_x(chart->points(1)), 1.5 / std::sqrt(2.0), 0.3);
  // Told apart by pen style as well as colour.
  const QList<QLineSeries*> before = series_named(*overlay, names[0]);
  const QList<QLineSeries*> after = series_named(*overlay, names[1]);
  ASSERT_EQ(before.size(), 1);
  ASSERT_EQ(after.size(), 1);
  EXPECT_NE(before[0]->pen().style(), after[0]->pen().style());
  EXPECT_NE(before[0]->pen().color(), after[0]->pen().color());
  const QStringList titles = chart->axis_titles();
  EXPECT_TRUE(titles[0].contains("mm") && titles[0].contains("medial")) << titles[0].toStdString();
  EXPECT_TRUE(titles[1].contains("mm")) << titles[1].toStdString();
  // Equal scales, and both traces inside.
  const QRectF region = chart->visible_region();
  EXPECT_TRUE(region.contains(QPointF(0, 0)));
  EXPECT_GE(region.height(), 2 * 1.5 * 4);

  save_shot(page, "trialcharts_comparison.png");

  // The right side: another pair of trials.
  overlay->test_box()->setCurrentIndex(1);
  EXPECT_EQ(overlay->shown_trials().first, overlay->pairs()[1].from_trial);
  EXPECT_NE(overlay->pairs()[1].from_trial, overlay->pairs()[0].from_trial);
  EXPECT_TRUE(chart->axis_titles()[0].contains("lateral"));

  // The same session twice: no comparison, nothing overlaid.
  page.from_box()->setCurrentIndex(1);
  EXPECT_EQ(chart->trace_count(), 0U);
  EXPECT_EQ(overlay->test_box()->count(), 0);
  page.from_box()->setCurrentIndex(0);
  EXPECT_EQ(chart->trace_count(), 2U);
}

// Trials stored without samples (results only, as report_fixture.hpp records them): the list
// still shows them and selecting one shows empty charts, not a crash.
TEST(TrialChartsFixture, ResultsPage_TrialWithoutSamples_ShowsEmptyCharts) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto data = gui::test::make_report_archive(std::filesystem::path(tmp.path().toStdString()) / "archive");
  const auto defs = workflow::load_definitions({workflow::built_in_definitions_dir()});
  const auto catalog = workflow::MeasureCatalog::built_in();
  gui::SessionResultsPage page;
  page.resize(1000, 760);
  page.show_session(data.archive, data.first_session, defs, catalog);
  data::TrialQuery q;
  q.session_id = data.first_session;
  ASSERT_EQ(page.trial_list()->rowCount(), static_cast<int>(data.archive.find_trials(q).size()));
  EXPECT_EQ(page.trial_list()->item(0, gui::SessionResultsPage::kTrialTest)->text(), "Single-leg countermovement jump");
  EXPECT_EQ(page.trial_list()->item(2, gui::SessionResultsPage::kTrialAttempt)->text(), "2");  // left again
  page.trial_list()->selectRow(0);
  QApplication::processEvents();
  gui::TrialChartsWidget* charts = page.trial_charts();
  ASSERT_TRUE(charts->has_trial());
  EXPECT_EQ(charts->plate_count(), 1);
  EXPECT_EQ(charts->force_point_count(0), 0U);
  EXPECT_EQ(charts->cop_point_count(0), 0U);
  EXPECT_TRUE(charts->event_labels().isEmpty());
}

// ------------------------------------------------------------------ comparison report (PDF)

TEST_F(TrialChartsTest, ComparisonReport_DrawsTheOverlaidCopOfEachStanceTest) {
  const gui::RenderedReport r =
      gui::render_comparison_report(*archive_, "P001", first_, second_, defs_, catalog_, mdc_, {}, 110);
  EXPECT_TRUE(r.text.contains("Centre of pressure, before / after"));
  EXPECT_TRUE(r.text.contains(QStringLiteral("Single-leg stance, eyes open — left")));
  EXPECT_TRUE(r.text.contains(QStringLiteral("Single-leg stance, eyes open — right")));
  EXPECT_FALSE(r.text.contains(QStringLiteral("Quiet standing, both legs, eyes open")));  // first session only
  EXPECT_EQ(r.text.count("Before: 2026-01-12 (dashed)"), 2);
  EXPECT_EQ(r.text.count("After: 2026-03-09 (solid)"), 2);
  EXPECT_TRUE(r.text.contains(QStringLiteral("Mediolateral x (mm from mean, + right = medial)")));
  // The traces are drawn: blue (before) and vermilion (after) pixels on the page with the panels.
  int page_with_traces = -1;
  for (std::size_t i = 0; i < r.pages.size(); ++i) {
    const QImage& img = r.pages[i];
    int blue = 0, vermilion = 0;
    for (int y = 0; y < img.height(); y += 1)
      for (int x = 0; x < img.width(); x += 1) {
        const QColor c = img.pixelColor(x, y);
        if (std::abs(c.red() - 0) < 40 && std::abs(c.green() - 114) < 40 && std::abs(c.blue() - 178) < 40) ++blue;
        if (std::abs(c.red() - 213) < 40 && std::abs(c.green() - 94) < 40 && c.blue() < 60) ++vermilion;
      }
    if (blue > 100 && vermilion > 100) page_with_traces = static_cast<int>(i);
  }
  ASSERT_GE(page_with_traces, 0);
  EXPECT_TRUE(r.pages[static_cast<std::size_t>(page_with_traces)].save("/tmp/trialcharts_report_cop.png"));
}

}  // namespace

