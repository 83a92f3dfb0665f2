#pragma once
// The clinic window: choose a plate (or the built-in simulator), connect, and watch the vertical
// force and the centre of pressure live.
//
// Threads: the plate's own I/O thread pushes samples into a lossy ring and never waits for the
// GUI; a 30 Hz timer in the GUI thread drains it, appends to time-windowed buffers, decimates, and
// hands each chart series over in one call. Connecting blocks (up to the device's reply timeout),
// so it runs on a worker thread whose result the same timer picks up.
#include <QMainWindow>
#include <QElapsedTimer>
#include <QPointer>
#include <QString>

#include <deque>
#include <filesystem>
#include <functional>
#include <string>
#include <future>
#include <memory>
#include <vector>

#include "forceplate/acquisition/sample.hpp"
#include "forceplate/gui/chart_views.hpp"
#include "forceplate/gui/live_series_buffer.hpp"
#include "forceplate/gui/live_source.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTimer;

namespace fp::gui {

class ClinicTabs;
class SessionRunView;
class TrainingPanel;

// Closing the window while a trial runs: go on, or stop and store what was recorded.
enum class CloseChoice { keep_recording, stop_and_keep };

struct MainWindowOptions {
  // false for headless runs (--screenshot, tests): errors go to the status line only, never to a
  // dialog that would wait for a click.
  bool error_dialogs = true;
  double window_s = 10;             // seconds shown by both charts
  bool zoom_to_sway = true;         // COP chart: close up on the trace instead of the whole plate
  sim::SimulatorConfig simulator;   // the built-in simulator
  // Called on the connecting thread once the device answered, before it streams: where another
  // consumer (a recorder, a benchmark) subscribes its own ring (SourceSpec::before_streaming).
  std::function<void(acq::DeviceConnection&)> before_streaming = {};
  // The archive shown in the Clinic tab; empty: the default per-user archive.
  std::string archive_dir = {};
  // Asked when the window is closed during a trial; empty: a message box (tests answer here).
  std::function<CloseChoice()> confirm_close = {};
  // Where the calibration wizard stores records; empty: the per-user default.
  std::filesystem::path calibration_dir = {};
  MainWindowOptions() {
    simulator.rate_hz = 1000;
    simulator.serial = "SIM-0001";
  }
};

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(MainWindowOptions options = MainWindowOptions(), QWidget* parent = nullptr);
  ~MainWindow() override;

  // Start connecting (asynchronously); the status line tells how it went.
  void connect_to_simulator();
  void connect_to_device(const QString& path);
  void disconnect_source();

  bool is_connected() const { return source_ != nullptr; }
  bool is_connecting() const { return pending_.valid(); }
  const MainWindowOptions& options() const { return options_; }

  // The charts, as drawn (point counts are what the series hold).
  const TimeSeriesView& force_view() const { return *force_view_; }
  const TrajectoryView& cop_view() const { return *cop_view_; }
  // The "Training" tab (visual-feedback training, fed from the same live samples).
  TrainingPanel* training_panel() const { return training_; }
  SessionRunView* session_view() const { return session_; }
  ClinicTabs* clinic() const { return clinic_; }
  // Zero the plate from the last 0.5 s of samples; refused (the reason in the status line) unless
  // the plate is empty and still and no trial runs.
  bool tare();
  // The calibration wizard on the connected plate (non-modal; null when not connected).
  QWidget* open_calibration_wizard();
  bool device_lost() const { return lost_; }
  // The trial stored when the window was closed during it ("" when none).
  const std::string& trial_kept_on_close() const { return kept_on_close_; }
  LiveSource* source() const { return source_.get(); }
  QTabWidget* tabs() const { return tabs_; }
  // Chart redraws so far (one per timer tick with data while the Live tab shows).
  unsigned long long redraws() const { return redraws_; }

 private:
  void build_ui();
  void refresh_ports();
  void start_connect(const SourceSpec& spec, const QString& label);
  void on_connect_button();
  void tick();
  void finish_connect();
  void on_connected(std::unique_ptr<LiveSource> source);
  void release_source();
  void report_error(const QString& title, const QString& message);
  void ingest();
  void draw();
  void update_readouts();
  void update_status();
  void update_controls();
  void trim_recent();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  MainWindowOptions options_;

  QComboBox* source_box_ = nullptr;
  QPushButton* rescan_button_ = nullptr;
  QPushButton* connect_button_ = nullptr;
  QPushButton* tare_button_ = nullptr;
  QPushButton* calibrate_button_ = nullptr;
  SessionRunView* session_ = nullptr;
  QPointer<QWidget> wizard_;  // the open calibration wizard
  ClinicTabs* clinic_ = nullptr;
  std::deque<acq::Sample> recent_;  // the last kTareWindowS of samples, for tare
  QString last_note_;
  std::string kept_on_close_;
  QLabel* status_line_ = nullptr;
  QLabel* fz_readout_ = nullptr;
  QLabel* fz_detail_ = nullptr;
  QLabel* cop_readout_ = nullptr;
  QLabel* cop_detail_ = nullptr;
  QCheckBox* zoom_box_ = nullptr;
  QTimer* timer_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  TrainingPanel* training_ = nullptr;
  unsigned long long redraws_ = 0;
  std::unique_ptr<TimeSeriesView> force_view_;
  std::unique_ptr<TrajectoryView> cop_view_;

  std::future<std::unique_ptr<LiveSource>> pending_;
  QString pending_label_;
  bool pending_simulator_ = false;
  std::unique_ptr<LiveSource> source_;
  QString source_label_;
  acq::DeviceDescription device_;  // with last_status_: the current or last connection
  acq::ConnectionStatus last_status_;
  QString last_error_;
  bool lost_ = false;

  std::vector<acq::Sample> scratch_;
  std::vector<LiveSeriesBuffer> fz_;   // per plate, N
  std::vector<LiveTraceBuffer> cop_;   // per plate, mm
  RateMeter rate_;
  QElapsedTimer clock_;
  unsigned ticks_ = 0;
  unsigned cop_frames_ = 0;  // the COP chart is redrawn every other frame...
  bool cop_now_ = true;      // ...or at once (zoom toggled, just connected)
  double zoom_half_ = 0, zoom_cx_ = 0, zoom_cy_ = 0;  // sticky "zoom to sway" region, mm
};

}  // namespace fp::gui
