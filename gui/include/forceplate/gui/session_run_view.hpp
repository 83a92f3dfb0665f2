#pragma once
// Running a session with the patient on the plate (issue 9 item 3): pick a test of the battery,
// and the trial runner (workflow/trial_runner.hpp) takes it from the empty plate to a result while
// the view shows the instruction, a large cue (get ready / recording / stop), the time left, the
// vertical force of each plate with the body-weight band and the centre of pressure inside the
// outlines of the plates and feet. Accept stores the trial in the patient's session with the pain
// ratings and notes; redo and discard do what they say. Space starts and stops, R redoes.
//
// Samples: the view keeps its own lossless ring on the connection (the Live tab's ring may drop
// samples, the runner must not) and drains it from the window's timer; the acquisition thread
// never waits for it. With the built-in simulator, starting a trial makes the simulated person do
// what the test asks (workflow/simulated_patient.hpp).
#include <QWidget>

#include <functional>
#include <map>
#include <utility>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/analysis/measure.hpp"
#include "forceplate/data/archive.hpp"
#include "forceplate/gui/chart_views.hpp"
#include "forceplate/gui/live_series_buffer.hpp"
#include "forceplate/workflow/test_definition.hpp"
#include "forceplate/workflow/trial_runner.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace fp::gui {

class LiveSource;

class SessionRunView : public QWidget {
  Q_OBJECT
 public:
  explicit SessionRunView(QWidget* parent = nullptr);
  ~SessionRunView() override;

  // What the view works with; the caller keeps them alive while they are set.
  void set_archive(data::Archive* archive);  // null: trials can be run but not stored (it says so)
  void set_definitions(const workflow::DefinitionSet* definitions);
  // The connected plate, or null. Taking the source away during a trial ends it as invalid (kept
  // for the clinician's decision).
  void set_source(LiveSource* source);
  // The patient whose session this is; a session is started with the first stored trial (or
  // new_session()). Refills the patient list from the archive.
  void set_patient(const std::string& patient_id);
  void refresh_patients();
  void new_session();

  // The window's timer: feeds the runner every sample in order, redraws (when `draw` is set: the
  // view is showing).
  void tick(bool draw);

  // What the buttons and keys do; false when the command does not apply now (the status line
  // says why).
  bool select_test(const std::string& definition_id, std::optional<analysis::Side> side = std::nullopt);
  bool start_trial();
  bool stop_trial();  // cancels a trial that has not reached its result; nothing is stored
  bool accept_trial();
  bool redo_trial();
  bool discard_trial();

  // A trial has started and has not been accepted, discarded or cancelled.
  bool trial_in_progress() const;
  // For closing the window: a recording is ended (invalid, "stopped: <why>") and the trial, its
  // samples so far, is stored, as is a result still waiting for a decision. Returns the stored
  // trial's id ("" when there was nothing to keep or no archive).
  std::string keep_trial_in_progress(const std::string& why);

  // For tests and screenshots.
  const workflow::TrialRunner* runner() const { return runner_.get(); }
  const std::string& patient_id() const { return patient_id_; }
  const std::string& session_id() const { return session_id_; }
  const std::string& last_stored_trial() const { return last_stored_; }
  QListWidget* test_list() const { return tests_; }
  QComboBox* patient_box() const { return patient_box_; }
  QLabel* cue_label() const { return cue_; }
  QLabel* instruction_label() const { return instruction_; }
  QLabel* time_label() const { return time_left_; }
  QLabel* result_label() const { return result_; }
  QLabel* status_label() const { return status_; }
  QLabel* session_label() const { return session_label_; }
  QTableWidget* measures_table() const { return measures_; }
  QPushButton* start_button() const { return start_; }
  QPushButton* stop_button() const { return stop_; }
  QPushButton* accept_button() const { return accept_; }
  QPushButton* redo_button() const { return redo_; }
  QPushButton* discard_button() const { return discard_; }
  QSpinBox* pain_before_box() const { return pain_before_; }
  QSpinBox* pain_after_box() const { return pain_after_; }
  QLineEdit* notes_edit() const { return notes_; }
  const TimeSeriesView& force_view() const { return *force_view_; }
  const TrajectoryView& cop_view() const { return *cop_view_; }

 signals:
  // A trial was stored (accepted, or kept on closing).
  void trial_stored(const QString& trial_id, const QString& session_id, const QString& patient_id);

 private:
  struct Selected {
    std::string id;
    std::optional<analysis::Side> side;
  };
  void build_ui();
  void fill_tests();
  std::optional<Selected> selected() const;
  void subscribe();
  void unsubscribe();
  void feed(const acq::Sample& s);
  void on_runner_event(const workflow::RunnerEvent& e);
  void play_simulated_patient();
  std::string store_outcome(const workflow::TrialOutcome& out);
  void draw();
  void update_cue();
  void update_result();
  void update_controls();
  void set_status(const QString& text, bool error = false);
  void setup_outlines();

  data::Archive* archive_ = nullptr;
  const workflow::DefinitionSet* definitions_ = nullptr;
  LiveSource* source_ = nullptr;
  std::shared_ptr<acq::SampleRing> ring_;
  std::uint64_t ring_rejected_at_start_ = 0;
  acq::DeviceDescription device_;
  std::string patient_id_;
  std::string session_id_;
  std::string last_stored_;
  std::unique_ptr<workflow::TrialRunner> runner_;
  std::optional<Selected> running_;  // the test the runner runs
  workflow::RunnerState shown_state_ = workflow::RunnerState::idle;
  std::map<std::pair<std::string, std::string>, int> accepted_;  // this session: (test id, side) -> trials
  bool lost_ = false;
  double lost_since_s_ = 0;  // steady clock, for the lost-device timeout
  double ended_at_s_ = -1;   // steady clock when the last recording ended (the stop cue shows a while)

  std::vector<acq::Sample> scratch_;
  std::vector<LiveSeriesBuffer> fz_;
  LiveTraceBuffer cop_{10};
  std::vector<TracePoint> feet_;  // the foot outlines' points: the COP chart shows this region

  QComboBox* patient_box_ = nullptr;
  QLabel* session_label_ = nullptr;
  QPushButton* new_session_ = nullptr;
  QListWidget* tests_ = nullptr;
  QPushButton* start_ = nullptr;
  QPushButton* stop_ = nullptr;
  QLabel* cue_ = nullptr;
  QLabel* instruction_ = nullptr;
  QLabel* time_left_ = nullptr;
  QLabel* result_ = nullptr;
  QLabel* status_ = nullptr;
  QTableWidget* measures_ = nullptr;
  QPushButton* accept_ = nullptr;
  QPushButton* redo_ = nullptr;
  QPushButton* discard_ = nullptr;
  QSpinBox* pain_before_ = nullptr;
  QSpinBox* pain_after_ = nullptr;
  QLineEdit* notes_ = nullptr;
  std::unique_ptr<TimeSeriesView> force_view_;
  std::unique_ptr<TrajectoryView> cop_view_;
};

}  // namespace fp::gui
