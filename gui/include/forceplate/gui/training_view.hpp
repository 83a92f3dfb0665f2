#pragma once
// Training with visual feedback (issue 9 item 8): what the patient watches.
//
// TrainingView draws a workflow::TrainingLiveState and nothing else: where the samples come from
// (a device, a recording, a test) is its owner's business. Its owner calls show_state() from its
// own timer (the main window's 30 Hz tick); the view repaints only when something visible changed.
//
//   cop-target    a large square around the stance foot's plate centre, the target circle and the
//                 centre of pressure as a dot: green inside the circle, orange outside.
//   weight-share  a large horizontal bar, 0-100 % of body weight on the involved leg, the target
//                 band shaded and a marker at the current share (green inside, orange outside).
//
// Big readable numbers beside it: time left, % of time in the zone, current hold, longest hold.
//
// TrainingPanel is the "Training" tab of the main window: the session's settings, Start/Stop, the
// view, and the scorer fed from the live samples. With an archive target set, every run that
// reaches its duration is stored as a trial of the patient's current session (the samples scored,
// TrainingScorer::store_in's measures), shown over time by PatientHistoryPage.
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "forceplate/acquisition/sample.hpp"
#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/training.hpp"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace fp::gui {

class TrainingTargetArea;  // the painted square / bar (training_view.cpp)

class TrainingView : public QWidget {
 public:
  explicit TrainingView(QWidget* parent = nullptr);
  ~TrainingView() override;

  // The session to show (clears the state shown). Must be valid (workflow::validate).
  void set_definition(const workflow::TrainingDefinition& definition);
  const workflow::TrainingDefinition& definition() const { return definition_; }
  // Shows the state; cheap when nothing visible changed.
  void show_state(const workflow::TrainingLiveState& state);
  const workflow::TrainingLiveState& state() const { return state_; }

  // What is drawn, for tests: the marker (COP dot or share marker) in the target area's pixel
  // coordinates, whether it is drawn and in the in-zone colour, and the plotting rectangle (the
  // square for cop-target, mm; the bar for weight-share, %).
  bool marker_visible() const;
  bool marker_in_zone_colour() const;
  QPointF marker_px() const;
  QRectF plot_rect_px() const;
  // The value at a point of the plot (mm for cop-target: x right, y forward; % for weight-share in x).
  QPointF value_to_px(double x, double y) const;
  double region_half_mm() const;  // cop-target: the square shows +- this around the plate centre
  QWidget* target_area() const;

 private:
  void update_numbers();

  workflow::TrainingDefinition definition_;
  workflow::TrainingLiveState state_;
  TrainingTargetArea* area_ = nullptr;
  QLabel* title_ = nullptr;
  QLabel* zone_ = nullptr;
  QLabel* value_ = nullptr;
  QLabel* time_left_ = nullptr;
  QLabel* in_zone_ = nullptr;
  QLabel* hold_ = nullptr;
  QLabel* longest_ = nullptr;
};

// The Training tab: settings, Start/Stop, the view, a scorer fed with the live samples.
class TrainingPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingPanel(QWidget* parent = nullptr);
  ~TrainingPanel() override;

  // Returns the id of the session a finished run is stored in (creating it if needed, e.g.
  // session_for_today), or "" when there is no patient to store it for.
  using SessionChooser = std::function<std::string()>;
  // Where finished runs are stored: `archive` (kept alive by the caller; nullptr: nowhere). When a
  // run reaches its duration, `session_for_run` is called once and the run is added to that session
  // as a trial: the samples from the start of the clock to the end (those the scorer scored), the
  // device description, and TrainingScorer::store_in's test, side, definition and measures. A run
  // stopped early is not stored. The status line says where the trial went (or why it did not);
  // trial_stored follows a stored one.
  void set_archive_target(data::Archive* archive, SessionChooser session_for_run);
  // The trial stored for the last run; nullopt when it was not stored (or no run finished yet).
  const std::optional<data::TrialRecord>& last_stored() const { return last_stored_; }

  // The connected device (rate, number of plates); nullptr/empty when disconnected.
  void set_device(const acq::DeviceDescription* device);
  // Samples as they arrive (ignored unless a session runs).
  void feed(const acq::Sample& sample);
  // The owner's timer: shows the scorer's state, ends the session when its time is up.
  void refresh();

  // Starts a session with the settings shown (or the given definition). Returns false and says
  // why in the status label when it cannot (no device, a weight-share session on one plate...).
  bool start();
  bool start(const workflow::TrainingDefinition& definition);
  void stop();
  bool running() const { return running_; }
  // The definition the settings describe.
  workflow::TrainingDefinition definition_from_controls() const;
  // The last session's scorer (running or finished); nullptr before the first.
  const workflow::TrainingScorer* scorer() const { return scorer_.get(); }
  TrainingView* view() const { return view_; }
  QLabel* status_label() const { return status_; }

 signals:
  void trial_stored(const QString& trial_id, const QString& session_id);

 private:
  void update_controls();
  void show_result();
  // Stores the finished run (archive target set); returns a line for the status.
  QString store_run();

  TrainingView* view_ = nullptr;
  QComboBox* mode_ = nullptr;
  QComboBox* side_ = nullptr;
  QDoubleSpinBox* duration_ = nullptr;
  QStackedWidget* mode_settings_ = nullptr;
  QDoubleSpinBox* target_x_ = nullptr;
  QDoubleSpinBox* target_y_ = nullptr;
  QDoubleSpinBox* radius_ = nullptr;
  QDoubleSpinBox* band_min_ = nullptr;
  QDoubleSpinBox* band_max_ = nullptr;
  QPushButton* start_ = nullptr;
  QLabel* status_ = nullptr;

  std::optional<acq::DeviceDescription> device_;
  std::unique_ptr<workflow::TrainingScorer> scorer_;
  bool running_ = false;

  data::Archive* archive_ = nullptr;
  SessionChooser session_for_run_;
  data::Trial recording_;  // the run's scored samples, while it runs (archive target set)
  std::optional<data::TrialRecord> last_stored_;
};

// The patient's session of today (local date) that is the latest of theirs, or a new session
// (note "Training") when they have none today; returns its id. Throws data::ArchiveError (unknown
// patient, archive in use ...). Handy as TrainingPanel's SessionChooser.
std::string session_for_today(data::Archive& archive, const std::string& patient_id);

}  // namespace fp::gui
