#pragma once
// The calibration wizard of the clinic window (issue 9 item 2): the kettlebell calibration of
// docs/calibration.md, step by step on screen. Intro (what you need, the mass) → zero the empty
// plate → the known mass on the centre and the four corner marks of every plate → the solved gains
// and residuals → a verification with the mass on a known mark → the result (stored, applied).
//
// It drives an acq::CalibrationSession on the LiveSource's connection. The session needs the
// connection not streaming: the wizard stops streaming when it is constructed and starts it again
// when it closes, whichever way (Finish, Cancel, an error, or destruction). Each measurement
// (about 1.3 s) runs on a worker thread (std::async, polled by a QTimer); while it runs every
// button is disabled and busy() is true. A step the session refuses (CalibrationError: the plate
// was not still, the wrong mass, the wrong mark...) shows its message in red and can be measured
// again; Back re-measures the previous step.
//
// With the built-in simulator ("Place the load for me", on by default), the wizard puts the load
// each step asks for on the simulated plate (Simulator::place_load) when the step is shown and
// again just before it measures, and hands the plate back to the scenario (place_load(nullopt))
// when it closes.
//
// The source must outlive the wizard, and nothing else may use its connection's commands while the
// wizard is open (the display ring may keep being drained). Use it modally (exec()/open()).
#include <QDialog>
#include <QString>

#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "forceplate/acquisition/calibration.hpp"
#include "forceplate/acquisition/calibration_session.hpp"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QTimer;

namespace fp::gui {

class LiveSource;
class PlateDiagram;  // the painted plate with its marks (calibration_wizard.cpp)

struct CalibrationWizardOptions {
  // Where calibration records are stored; empty: acq::default_calibration_dir().
  std::filesystem::path store_dir;
  // The known mass, kg (editable on the first page). docs/calibration.md uses a 20 kg kettlebell.
  double mass_kg = 20.0;
  // Where the mass goes; empty: acq::standard_spots() of every plate (centre and four corners).
  std::vector<acq::PlacementSpot> spots;
  // The verification: the mass (0: mass_kg) on this mark (unset: the centre of plate 0, as
  // `forceplate calibrate` does), judged against `tolerances`.
  std::optional<acq::PlacementSpot> verify_spot;
  double verify_mass_kg = 0;
  acq::Tolerances tolerances;
  // Window, settling time, stillness and plausibility checks of each step. As on the command
  // line, the check against the current gains is turned off for a text plate with no stored
  // calibration (its 1 N per count means nothing).
  acq::CalibrationSessionOptions session;
  // With the simulator: put each step's load on the simulated plate (the check box's start value).
  bool place_simulated_load = true;
};

class CalibrationWizard : public QDialog {
 public:
  enum class StepKind { intro, zero, placement, solve, verification, result };

  // Stops the connection's streaming (see above). Problems (no connection, an unreadable stored
  // calibration, no store folder) show in the error label; they do not throw.
  explicit CalibrationWizard(LiveSource& source, CalibrationWizardOptions options = {}, QWidget* parent = nullptr);
  // Waits for a measurement under way, takes the simulated load off, restarts streaming.
  ~CalibrationWizard() override;
  CalibrationWizard(const CalibrationWizard&) = delete;
  CalibrationWizard& operator=(const CalibrationWizard&) = delete;

  // Ignored while a step measures (Cancel is disabled then, and Escape / the close box do nothing).
  void reject() override;
  // Every way of closing ends here: the simulated load is removed and streaming restarts.
  void done(int result) override;

  // Steps: intro, zero, one per spot, solve, verification, result.
  int step_index() const { return step_; }
  int step_count() const { return static_cast<int>(steps_.size()); }
  StepKind step_kind() const;
  QString step_name() const;  // e.g. "Front-left corner, plate 1"
  // The spot of the current placement or verification step (the one the diagram highlights).
  std::optional<acq::PlacementSpot> current_spot() const;
  const std::vector<acq::PlacementSpot>& spots() const { return spot_list_; }

  bool busy() const { return pending_.valid(); }
  // The calibration once solved (with its verifications once measured); the file once stored.
  const std::optional<acq::CalibrationRecord>& record() const { return record_; }
  const std::optional<std::filesystem::path>& stored_file() const { return stored_file_; }
  const std::filesystem::path& store_dir() const { return store_dir_; }
  // The calibration that was stored for this plate when the wizard opened, if any.
  const std::optional<acq::CalibrationRecord>& previous_record() const { return previous_; }

  // Widgets, for tests and screenshots.
  QLabel* title_label() const { return title_; }
  QLabel* instruction_label() const { return instruction_; }
  QLabel* error_label() const { return error_; }
  QLabel* verification_label() const { return verdict_; }
  QLabel* stored_label() const { return stored_; }
  QTableWidget* gains_table() const { return solve_gains_; }       // solve page: gains before / after
  QTableWidget* residuals_table() const { return residuals_; }     // solve page: fit residuals
  QTableWidget* result_table() const { return result_gains_; }     // result page: gains and changes
  QPushButton* next_button() const { return next_; }   // "Start", "Measure", "Next", "Finish"
  QPushButton* back_button() const { return back_; }
  QPushButton* cancel_button() const { return cancel_; }
  QPushButton* restart_button() const { return restart_; }  // "Start again" (back to the zero)
  QDoubleSpinBox* mass_box() const { return mass_; }
  QCheckBox* simulator_box() const { return sim_box_; }   // nullptr without the simulator
  QWidget* diagram() const;

 private:
  struct Step {
    StepKind kind = StepKind::intro;
    int spot = -1;  // placement steps: index into spot_list_
  };
  // What a measurement on the worker thread produced.
  struct Measured {
    std::optional<acq::Placement> placement;
    std::optional<acq::VerificationResult> verification;
  };

  void on_next();
  void on_back();
  void on_restart();
  void poll();
  void go_to(int step);
  void start_measuring();
  void finish_measuring(Measured m);
  void solve();
  void store();
  void place_step_load();
  void show_error(const QString& text);
  void update_buttons();
  void fill_gains(QTableWidget* table) const;
  void fill_residuals();
  void fill_result();
  void close_down();
  double mass() const;
  double verify_mass() const;
  QString spot_phrase(const acq::PlacementSpot& spot) const;
  QString plate_name(int plate) const;

  LiveSource& source_;
  CalibrationWizardOptions options_;
  acq::DeviceDescription device_;
  std::filesystem::path store_dir_;
  std::unique_ptr<acq::CalibrationSession> session_;
  std::optional<acq::CalibrationRecord> previous_;
  std::vector<acq::PlacementSpot> spot_list_;
  acq::PlacementSpot verify_spot_;
  std::vector<Step> steps_;
  int step_ = 0;

  // Invariant: at placement step i (and at solve: all), placements_ holds the i measured before.
  std::vector<acq::Placement> placements_;
  std::optional<acq::CalibrationRecord> record_;
  std::optional<std::filesystem::path> stored_file_;
  bool solve_failed_ = false;
  bool fatal_ = false;           // no session: nothing can be measured
  bool stopped_streaming_ = false;
  bool closed_ = false;
  bool placed_any_load_ = false;

  std::future<Measured> pending_;
  QTimer* poll_timer_ = nullptr;

  QLabel* title_ = nullptr;
  QLabel* instruction_ = nullptr;
  QLabel* error_ = nullptr;
  QLabel* busy_label_ = nullptr;
  QProgressBar* busy_bar_ = nullptr;
  QStackedWidget* pages_ = nullptr;
  QWidget* intro_page_ = nullptr;
  QWidget* measure_page_ = nullptr;
  QWidget* solve_page_ = nullptr;
  QWidget* result_page_ = nullptr;
  QLabel* intro_status_ = nullptr;
  QDoubleSpinBox* mass_ = nullptr;
  PlateDiagram* diagram_ = nullptr;
  QLabel* last_reading_ = nullptr;
  QLabel* fit_summary_ = nullptr;
  QTableWidget* solve_gains_ = nullptr;
  QTableWidget* residuals_ = nullptr;
  QLabel* verdict_ = nullptr;
  QLabel* verdict_detail_ = nullptr;
  QLabel* stored_ = nullptr;
  QTableWidget* result_gains_ = nullptr;
  QCheckBox* sim_box_ = nullptr;
  QPushButton* back_ = nullptr;
  QPushButton* next_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* restart_ = nullptr;
};

}  // namespace fp::gui
