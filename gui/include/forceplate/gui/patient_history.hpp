#pragma once
// One patient over time (issue 9 items 1 and 8): the session history, the trend of a chosen measure
// over the sessions, and the training trials over time.
//
//   Sessions   one row per session, oldest first: date (local time), number of trials (every trial
//              of the session, training included), the tests done (definition names, with the
//              sides), pain before -> after per test and pain over the last 24 h, and the notes.
//              A double-click emits session_activated (to open that session's results).
//   Trend      a measure the patient has (test + measure; the combo box lists every measure with at
//              least one value), its combined value per session (mean / best / median of the trials,
//              as the test definition says: workflow::summarize_session) against the session date.
//              Left and right are two series, told apart by line style and marker shape as well as
//              colour (black-and-white print, colour blindness); a double-leg test is one series.
//   Training   every training trial (test training-cop-target / training-weight-share, stored by
//              TrainingPanel through TrainingScorer::store_in): % of the time in the zone (left
//              axis, %) and the longest hold (right axis, s) against the date and time of the trial.
//
// show_patient reads what it needs and keeps no pointer to the archive: call it again to refresh
// (e.g. after a training trial was stored, TrainingPanel::trial_stored).
#include <limits>
#include <string>
#include <vector>

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/session_results.hpp"
#include "forceplate/workflow/test_definition.hpp"

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QTableWidget;

namespace fp::gui {

// One training trial of the patient, as the training chart shows it.
struct TrainingPoint {
  std::string trial_id;
  std::string session_id;
  std::string test;  // "training-cop-target" or "training-weight-share"
  std::string side;  // the stance / involved leg
  QDateTime when;    // the trial's recording time (UTC)
  double time_in_zone_percent = std::numeric_limits<double>::quiet_NaN();
  double longest_hold_s = std::numeric_limits<double>::quiet_NaN();
};

// A measure of the trend chart: a test (definition id) and one of its measures.
struct TrendMeasure {
  std::string test;
  std::string measure;
  std::string unit;   // display unit ("m", "BW", "%", ...; empty: none)
  QString label;      // as listed in the combo box
  bool operator==(const TrendMeasure& o) const { return test == o.test && measure == o.measure; }
};

class PatientHistoryPage : public QWidget {
  Q_OBJECT
 public:
  explicit PatientHistoryPage(QWidget* parent = nullptr);
  ~PatientHistoryPage() override;

  // Reads the patient, their sessions and trials and shows them. Keeps the chosen measure when the
  // same patient is shown again and still has it. An error shows in the status line (what could be
  // read stays shown: a damaged trial only leaves its own values out).
  void show_patient(const data::Archive& archive, const std::string& patient_id,
                    const workflow::DefinitionSet& definitions, const workflow::MeasureCatalog& catalog);
  void clear();
  const std::string& patient_id() const { return patient_id_; }

  // The measures listed in the combo box, in its order; choosing one redraws the trend chart.
  const std::vector<TrendMeasure>& measures() const { return measures_; }
  // false when the patient has no such measure (the choice stays as it was).
  bool select_measure(const std::string& test, const std::string& measure);
  const TrendMeasure* selected_measure() const;

  // Every training trial, oldest first.
  const std::vector<TrainingPoint>& training_points() const { return training_; }

  enum SessionColumn { kDate, kTrials, kTests, kPain, kNotes, kSessionColumns };
  QLabel* header_label() const { return header_; }
  QTableWidget* sessions_table() const { return sessions_; }
  QComboBox* measure_box() const { return measure_box_; }
  QChart* trend_chart() const { return trend_chart_; }
  QChart* training_chart() const { return training_chart_; }
  QChartView* trend_view() const { return trend_view_; }
  QChartView* training_view() const { return training_view_; }
  QLabel* status_label() const { return status_; }
  // The trend chart's series (named "Left", "Right" or "Both legs", "(involved)" added to the
  // involved side's) and the training chart's ("Time in the zone …", "Longest hold …"); for tests.
  std::vector<QLineSeries*> trend_series() const;
  std::vector<QLineSeries*> training_series() const;

 signals:
  void session_activated(const QString& session_id);

 private:
  struct SessionRow {
    data::Session session;
    QDateTime when;
    bool has_summary = false;
    workflow::SessionSummary summary;
    QStringList tests;    // the "Tests done" cell
    QStringList pain;     // the pain cell, one line each
    QStringList skipped;  // trials left out of the results, and why (the tests cell's tooltip)
  };

  void fill_sessions_table();
  void update_trend();  // fill_* and the legend under the chart
  void fill_trend();
  void update_training_chart();
  void fill_training_chart();

  QLabel* header_ = nullptr;
  QTableWidget* sessions_ = nullptr;
  QComboBox* measure_box_ = nullptr;
  QChart* trend_chart_ = nullptr;
  QChartView* trend_view_ = nullptr;
  QChart* training_chart_ = nullptr;
  QChartView* training_view_ = nullptr;
  QWidget* trend_legend_ = nullptr;
  QWidget* training_legend_ = nullptr;
  QLabel* status_ = nullptr;

  std::string patient_id_;
  std::string involved_side_;  // the patient's: left, right, both, none
  std::vector<SessionRow> rows_;
  std::vector<TrendMeasure> measures_;
  std::vector<TrainingPoint> training_;
  bool filling_ = false;
};

}  // namespace fp::gui
