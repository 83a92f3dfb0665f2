#include "forceplate/gui/main_window.hpp"

#include "forceplate/gui/clinic_tabs.hpp"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QWidget>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

#include "forceplate/acquisition/port_discovery.hpp"
#include "forceplate/gui/calibration_wizard.hpp"
#include "forceplate/gui/patients_page.hpp"
#include "forceplate/gui/session_run_view.hpp"
#include "forceplate/gui/training_view.hpp"
#include "forceplate/workflow/trial_runner.hpp"

namespace fp::gui {

namespace {

constexpr int kTimerMs = 33;              // 30 Hz redraw
constexpr double kReadoutSpanS = 0.1;     // readouts show the mean of the last 100 ms
constexpr const char* kSimulatorKey = "sim";
constexpr double kTareWindowS = 0.5;
constexpr double kScrollStepS = 0.5;      // the live force chart's time axis moves in these steps      // the last this much of the empty plate zeroes it

// The question asked when the window is closed during a trial.
CloseChoice ask_close_during_trial(QWidget* parent) {
  QMessageBox box(QMessageBox::Warning, QObject::tr("A trial is under way"),
                  QObject::tr("A trial is being run. Close anyway?\n\nClosing stops it and stores what was recorded so "
                              "far with the patient's session, marked invalid (\"stopped: the window was closed\")."),
                  QMessageBox::NoButton, parent);
  QPushButton* stop = box.addButton(QObject::tr("Stop, keep the trial and close"), QMessageBox::AcceptRole);
  box.addButton(QObject::tr("Go on recording"), QMessageBox::RejectRole);
  box.setDefaultButton(qobject_cast<QPushButton*>(box.buttons().back()));
  box.exec();
  return box.clickedButton() == stop ? CloseChoice::stop_and_keep : CloseChoice::keep_recording;
}

QString number(double v, int decimals) { return QString::number(v, 'f', decimals); }
QString signed_number(double v, int decimals) {
  const QString s = number(v, decimals);
  return v >= 0 ? "+" + s : s;
}

QString style_for(const char* border, const char* background) {
  return QString("QLabel { border-left: 8px solid %1; background: %2; padding: 6px 10px; }")
      .arg(border, background);
}

QLabel* make_caption(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  QFont f = label->font();
  f.setPointSizeF(f.pointSizeF() * 1.15);
  label->setFont(f);
  label->setWordWrap(true);
  return label;
}

QLabel* make_big_value(const QString& object_name, QWidget* parent) {
  auto* label = new QLabel(QStringLiteral("—"), parent);
  label->setObjectName(object_name);
  QFont f = label->font();
  f.setPointSizeF(28);
  f.setBold(true);
  label->setFont(f);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

}  // namespace

MainWindow::MainWindow(MainWindowOptions options, QWidget* parent)
    : QMainWindow(parent), options_(std::move(options)) {
  setWindowTitle(tr("Force plate — live view"));
  build_ui();
  refresh_ports();
  update_controls();
  update_status();
  clock_.start();
  timer_ = new QTimer(this);
  timer_->setInterval(kTimerMs);
  connect(timer_, &QTimer::timeout, this, &MainWindow::tick);
  timer_->start();
}

MainWindow::~MainWindow() {
  timer_->stop();
  if (pending_.valid()) pending_.wait();  // a connection being opened is closed with it
  pending_ = {};
  release_source();
}

void MainWindow::build_ui() {
  // Above the tabs, always visible: the plate, its status, tare and calibration.
  auto* frame = new QWidget(this);
  auto* frame_layout = new QVBoxLayout(frame);
  frame_layout->setContentsMargins(10, 8, 10, 4);
  frame_layout->setSpacing(6);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Plate:"), frame));
  source_box_ = new QComboBox(frame);
  source_box_->setObjectName("sourceSelector");
  source_box_->setMinimumWidth(340);
  source_box_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  bar->addWidget(source_box_);
  rescan_button_ = new QPushButton(tr("Rescan ports"), frame);
  rescan_button_->setObjectName("rescanButton");
  connect(rescan_button_, &QPushButton::clicked, this, &MainWindow::refresh_ports);
  bar->addWidget(rescan_button_);
  connect_button_ = new QPushButton(tr("Connect"), frame);
  connect_button_->setObjectName("connectButton");
  connect_button_->setMinimumWidth(120);
  connect(connect_button_, &QPushButton::clicked, this, &MainWindow::on_connect_button);
  bar->addWidget(connect_button_);
  tare_button_ = new QPushButton(tr("Tare (zero)"), frame);
  tare_button_->setObjectName("tareButton");
  tare_button_->setToolTip(tr("Zero the plate: it must be empty and still"));
  connect(tare_button_, &QPushButton::clicked, this, [this] { tare(); });
  bar->addWidget(tare_button_);
  calibrate_button_ = new QPushButton(tr("Calibrate…"), frame);
  calibrate_button_->setObjectName("calibrateButton");
  calibrate_button_->setToolTip(tr("Calibrate the plate with a known mass (zero, centre and corners, verification)"));
  connect(calibrate_button_, &QPushButton::clicked, this, [this] { open_calibration_wizard(); });
  bar->addWidget(calibrate_button_);
  bar->addStretch(1);
  frame_layout->addLayout(bar);

  // Status line: always visible, wraps rather than being cut off.
  status_line_ = new QLabel(frame);
  status_line_->setObjectName("statusLine");
  status_line_->setWordWrap(true);
  status_line_->setTextFormat(Qt::PlainText);
  status_line_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_line_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
  frame_layout->addWidget(status_line_);

  auto* central = new QWidget(this);
  auto* outer = new QVBoxLayout(central);
  outer->setContentsMargins(10, 10, 10, 10);
  outer->setSpacing(8);

  // Charts side by side, readouts under each.
  auto* grid = new QGridLayout;
  grid->setHorizontalSpacing(12);
  force_view_ = make_time_series_view(
      {tr("Vertical force, last %1 s").arg(options_.window_s).toStdString(), tr("Time (s)").toStdString(),
       tr("Vertical force (N)").toStdString()},
      central);
  cop_view_ = make_trajectory_view(
      {tr("Centre of pressure, last %1 s").arg(options_.window_s).toStdString(),
       tr("Mediolateral (mm)").toStdString(), tr("Anteroposterior (mm)").toStdString()},
      central);
  force_view_->widget()->setObjectName("forceChart");
  cop_view_->widget()->setObjectName("copChart");
  force_view_->widget()->setMinimumSize(420, 320);
  cop_view_->widget()->setMinimumSize(380, 320);
  grid->addWidget(force_view_->widget(), 0, 0);
  grid->addWidget(cop_view_->widget(), 0, 1);

  auto* fz_box = new QFrame(central);
  fz_box->setFrameShape(QFrame::StyledPanel);
  auto* fz_layout = new QVBoxLayout(fz_box);
  fz_layout->addWidget(make_caption(tr("Vertical force Fz (mean of the last 0.1 s)"), fz_box));
  fz_readout_ = make_big_value("fzReadout", fz_box);
  fz_layout->addWidget(fz_readout_);
  fz_detail_ = new QLabel(fz_box);
  fz_detail_->setObjectName("fzDetail");
  fz_layout->addWidget(fz_detail_);
  fz_layout->addStretch(1);
  grid->addWidget(fz_box, 1, 0);

  auto* cop_box = new QFrame(central);
  cop_box->setFrameShape(QFrame::StyledPanel);
  auto* cop_layout = new QVBoxLayout(cop_box);
  cop_layout->addWidget(make_caption(tr("Centre of pressure, from the plate centre"), cop_box));
  cop_readout_ = make_big_value("copReadout", cop_box);
  cop_layout->addWidget(cop_readout_);
  auto* cop_row = new QHBoxLayout;
  cop_detail_ = new QLabel(cop_box);
  cop_detail_->setObjectName("copDetail");
  cop_detail_->setWordWrap(true);
  cop_detail_->setText(tr("ML + to the right, AP + forward; shown while the plate carries at least %1 N")
                           .arg(number(acq::ConnectionOptions{}.min_cop_force_n, 0)));
  cop_row->addWidget(cop_detail_, 1);
  zoom_box_ = new QCheckBox(tr("Zoom to sway"), cop_box);
  zoom_box_->setObjectName("zoomToSway");
  zoom_box_->setChecked(options_.zoom_to_sway);
  zoom_box_->setToolTip(tr("Show the last %1 s of the trace close up instead of the whole plate").arg(options_.window_s));
  connect(zoom_box_, &QCheckBox::toggled, this, [this] {
    zoom_half_ = 0;
    cop_now_ = true;
    draw();
  });
  cop_row->addWidget(zoom_box_);
  cop_layout->addLayout(cop_row);
  cop_layout->addStretch(1);
  grid->addWidget(cop_box, 1, 1);

  grid->setColumnStretch(0, 3);
  grid->setColumnStretch(1, 2);
  grid->setRowStretch(0, 1);
  outer->addLayout(grid, 1);

  // Tabs: the live view, the session with the patient on the plate, visual-feedback training (both
  // fed from the same plate) and the archive.
  tabs_ = new QTabWidget(frame);
  tabs_->setObjectName("mainTabs");
  tabs_->addTab(central, tr("Live"));
  session_ = new SessionRunView(tabs_);
  tabs_->addTab(session_, tr("Session"));
  training_ = new TrainingPanel(tabs_);
  tabs_->addTab(training_, tr("Training"));
  clinic_ = new ClinicTabs(options_.archive_dir, tabs_);
  tabs_->addTab(clinic_, tr("Clinic"));
  frame_layout->addWidget(tabs_, 1);
  setCentralWidget(frame);
  session_->set_archive(clinic_->archive());
  session_->set_definitions(&clinic_->definitions());
  // The patient chosen in the Clinic tab is the session's; patients added there appear here.
  if (clinic_->patients()) {
    connect(clinic_->patients(), &PatientsPage::patient_selected, this,
            [this](const QString& id) { session_->set_patient(id.toStdString()); });
  }
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (tabs_->currentWidget() == session_) session_->refresh_patients();
  });
  // Training runs are stored for the session's patient (today's session), and shown in the history.
  training_->set_archive_target(clinic_->archive(), [this]() -> std::string {
    data::Archive* archive = clinic_->archive();
    const std::string patient = session_->patient_id();
    if (!archive || patient.empty()) return {};
    return session_->session_id().empty() ? session_for_today(*archive, patient) : session_->session_id();
  });
  connect(training_, &TrainingPanel::trial_stored, this, [this] { clinic_->show_patient(session_->patient_id()); });
  // Trials stored in the session show in the Clinic tab at once.
  connect(session_, &SessionRunView::trial_stored, this,
          [this](const QString&, const QString&, const QString& patient) { clinic_->show_patient(patient.toStdString()); });
  setMinimumSize(900, 600);
  resize(1280, 800);
}

void MainWindow::refresh_ports() {
  const QString current = source_box_->currentData().toString();
  source_box_->clear();
  source_box_->addItem(tr("Built-in simulator"), QString(kSimulatorKey));
  try {
    for (const acq::PortInfo& p : acq::list_serial_ports()) {
      QString text = QString::fromStdString(p.path);
      QString detail = QString::fromStdString(p.description);
      if (!p.usb_serial.empty()) detail += (detail.isEmpty() ? "" : ", ") + tr("serial %1").arg(QString::fromStdString(p.usb_serial));
      if (!detail.isEmpty()) text += " — " + detail;
      source_box_->addItem(text, QString::fromStdString(p.path));
    }
  } catch (const std::exception& e) {
    last_error_ = QString::fromStdString(e.what());
    update_status();
  }
  const int index = source_box_->findData(current);
  source_box_->setCurrentIndex(index >= 0 ? index : 0);
}

void MainWindow::connect_to_simulator() {
  source_box_->setCurrentIndex(source_box_->findData(QString(kSimulatorKey)));
  SourceSpec spec;
  spec.simulator = true;
  spec.simulator_config = options_.simulator;
  start_connect(spec, tr("Built-in simulator"));
}

void MainWindow::connect_to_device(const QString& path) {
  int index = source_box_->findData(path);
  if (index < 0) {
    source_box_->addItem(path, path);
    index = source_box_->count() - 1;
  }
  source_box_->setCurrentIndex(index);
  SourceSpec spec;
  spec.path = path.toStdString();
  start_connect(spec, path);
}

void MainWindow::start_connect(const SourceSpec& spec, const QString& label) {
  if (pending_.valid()) return;
  release_source();
  pending_label_ = label;
  pending_simulator_ = spec.simulator;
  lost_ = false;
  SourceSpec full = spec;
  full.before_streaming = options_.before_streaming;
  pending_ = std::async(std::launch::async, [full] { return std::make_unique<LiveSource>(full); });
  update_controls();
  update_status();
}

void MainWindow::on_connect_button() {
  if (source_) {
    disconnect_source();
    return;
  }
  if (pending_.valid()) return;
  const QString key = source_box_->currentData().toString();
  if (key == kSimulatorKey) {
    connect_to_simulator();
  } else if (!key.isEmpty()) {
    connect_to_device(key);
  }
}

void MainWindow::disconnect_source() {
  release_source();
  update_controls();
  update_status();
}

void MainWindow::release_source() {
  if (!source_) return;
  last_status_ = source_->status();
  // First what holds on to the connection: the wizard (its destructor hands the plate back) and
  // the session's ring.
  delete wizard_.data();
  session_->set_source(nullptr);
  source_.reset();  // stops streaming, closes the port, stops the simulator
  training_->set_device(nullptr);
  recent_.clear();
}

void MainWindow::report_error(const QString& title, const QString& message) {
  last_error_ = message;
  if (!options_.error_dialogs) return;
  // Window-modal but not blocking: the timer and the event loop keep running.
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::tick() {
  if (pending_.valid() && pending_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    finish_connect();
  }
  if (!source_) return;
  ingest();
  const acq::ConnectionStatus s = source_->status();
  last_status_ = s;
  rate_.add(static_cast<double>(clock_.nsecsElapsed()) * 1e-9, s.samples);
  if (!s.last_error.empty()) last_error_ = QString::fromStdString(s.last_error);
  // A lost device is shown at once; the connection looks for it and streaming (and a trial under
  // way) goes on when it is back. Disconnect gives up.
  if (s.lost != lost_) {
    lost_ = s.lost;
    if (lost_) last_error_ = tr("device lost: %1").arg(QString::fromStdString(s.last_error.empty() ? "no reason given" : s.last_error));
    update_controls();
    update_status();
  }
  session_->tick(tabs_->currentWidget() == session_);
  if (tabs_->currentWidget() == tabs_->widget(0)) {  // the live charts are hidden behind the other tabs
    draw();
    ++redraws_;
  }
  training_->refresh();
  ++ticks_;
  if (ticks_ % 3 == 0) update_readouts();  // 10 Hz: digits that can be read
  if (ticks_ % 6 == 0) update_status();    // 5 Hz
}

void MainWindow::finish_connect() {
  std::unique_ptr<LiveSource> source;
  QString error;
  try {
    source = pending_.get();
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  } catch (...) {
    error = tr("unknown error while connecting");
  }
  pending_ = {};
  if (source) {
    on_connected(std::move(source));
  } else {
    // Acquisition errors already name the port and the problem.
    report_error(tr("Cannot connect"), pending_simulator_ ? tr("built-in simulator: %1").arg(error) : error);
  }
  update_controls();
  update_status();
  update_readouts();
}

void MainWindow::on_connected(std::unique_ptr<LiveSource> source) {
  source_ = std::move(source);
  source_label_ = pending_label_;
  device_ = source_->device();
  last_status_ = source_->status();
  last_error_.clear();
  lost_ = false;
  rate_.reset();
  ticks_ = 0;
  zoom_half_ = 0;
  cop_now_ = true;

  const std::size_t plates = device_.plates.size();
  fz_.assign(plates, LiveSeriesBuffer(options_.window_s));
  cop_.assign(plates, LiveTraceBuffer(options_.window_s));
  std::vector<std::string> names;
  for (std::size_t k = 0; k < plates; ++k) names.push_back(tr("Plate %1").arg(k + 1).toStdString());
  force_view_->set_series(names);
  cop_view_->set_traces(names);
  if (!device_.plates.empty()) {
    const acq::PlateSpec& p = device_.plates.front();
    const QString outline = tr("Plate outline (%1 × %2 mm)").arg(number(p.width_m * 1000, 0), number(p.length_m * 1000, 0));
    cop_view_->set_outline(p.width_m * 1000, p.length_m * 1000, outline.toStdString());
  }
  QFont big = cop_readout_->font();  // two plates: two lines, smaller
  big.setPointSizeF(plates > 1 ? 18 : 28);
  cop_readout_->setFont(big);
  scratch_.reserve(4096);
  training_->set_device(&device_);
  session_->set_source(source_.get());
  draw();
}

void MainWindow::ingest() {
  scratch_.clear();
  source_->drain(scratch_);
  for (const acq::Sample& s : scratch_) {
    training_->feed(s);
    recent_.push_back(s);
    for (std::size_t k = 0; k < fz_.size() && k < static_cast<std::size_t>(s.plate_count); ++k) {
      fz_[k].append(s.device_time_s, s.fz_n[k]);
      cop_[k].append(s.device_time_s, s.cop_x_m[k] * 1000, s.cop_y_m[k] * 1000);
    }
  }
  trim_recent();
}

void MainWindow::trim_recent() {
  while (!recent_.empty() && recent_.back().device_time_s - recent_.front().device_time_s > kTareWindowS) recent_.pop_front();
}

bool MainWindow::tare() {
  trim_recent();
  if (!source_) {
    last_error_ = tr("tare: no plate connected");
  } else if (session_->trial_in_progress()) {
    last_error_ = tr("tare: not during a trial (the trial zeroes the plate itself)");
  } else if (recent_.size() < 10 || recent_.back().device_time_s - recent_.front().device_time_s < kTareWindowS * 0.8) {
    last_error_ = tr("tare: not enough samples yet; try again in a moment");
  } else {
    double lo = recent_.front().total_fz_n, hi = lo;
    for (const acq::Sample& x : recent_) {
      lo = std::min(lo, x.total_fz_n);
      hi = std::max(hi, x.total_fz_n);
    }
    const double empty_max = workflow::RunnerSettings{}.empty_max_n;
    const double still_band = workflow::RunnerSettings{}.empty_still_band_n;
    if (std::max(std::abs(lo), std::abs(hi)) > empty_max) {
      last_error_ = tr("tare refused: the plate is not empty (%1 N on it); step off and try again").arg(number(std::max(std::abs(lo), std::abs(hi)), 0));
    } else if (hi - lo > still_band) {
      last_error_ = tr("tare refused: the plate is not still (the force varies by %1 N)").arg(number(hi - lo, 1));
    } else {
      try {
        source_->connection().tare(std::vector<acq::Sample>(recent_.begin(), recent_.end()));
        device_ = source_->connection().device();
        last_error_.clear();
        last_note_ = tr("zeroed with %1 samples of the empty plate").arg(recent_.size());
        recent_.clear();
        update_status();
        return true;
      } catch (const std::exception& e) {
        last_error_ = tr("tare failed: %1").arg(e.what());
      }
    }
  }
  update_status();
  return false;
}

QWidget* MainWindow::open_calibration_wizard() {
  if (!source_) {
    last_error_ = tr("calibration: connect the plate first");
  } else if (session_->trial_in_progress()) {
    last_error_ = tr("calibration: not during a trial");
  } else {
    CalibrationWizardOptions o;
    o.store_dir = options_.calibration_dir;
    if (wizard_) return wizard_.data();
    auto* wizard = new CalibrationWizard(*source_, o, this);
    wizard_ = wizard;
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    // The calibration in use changes the conversion: the status line names it afterwards.
    connect(wizard, &QDialog::finished, this, [this] {
      if (source_) device_ = source_->connection().device();
      update_status();
    });
    wizard->open();
    return wizard;
  }
  update_status();
  return nullptr;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (session_->trial_in_progress()) {
    const CloseChoice choice = options_.confirm_close ? options_.confirm_close()
                                                      : ask_close_during_trial(this);
    if (choice == CloseChoice::keep_recording) {
      event->ignore();
      return;
    }
    // Never lose the trial: what was recorded so far is stored (as invalid, with the reason).
    const std::string id = session_->keep_trial_in_progress("the window was closed during the trial");
    kept_on_close_ = id;
  }
  event->accept();
}

void MainWindow::draw() {
  if (fz_.empty()) return;
  // Time axis: fixed [0, window] until the window has filled, then scrolling in steps of
  // kScrollStepS: a new axis range lays the whole chart out again (new tick labels), which per frame
  // cost more than drawing the lines (bench_gui_live). The newest sample is always in view.
  double latest = 0;
  for (const LiveSeriesBuffer& b : fz_) {
    if (!b.empty()) latest = std::max(latest, b.latest_time());
  }
  const double t1 = std::max(options_.window_s, std::ceil(latest / kScrollStepS) * kScrollStepS);
  const double t0 = t1 - options_.window_s;
  force_view_->set_time_range(t0, t1);
  double lo = 0, hi = 0;
  // Min/max per column of two device pixels: with a 2-pixel pen the line covers the same pixels as
  // per-pixel columns would (spikes included), with half the points for Qt Charts to stroke.
  const int columns = std::max(16, force_view_->plot_width_px() / 2);
  for (std::size_t k = 0; k < fz_.size(); ++k) {
    double a = 0, b = 0;
    if (fz_[k].value_range(t0, t1, a, b)) {
      lo = std::min(lo, a);
      hi = std::max(hi, b);
    }
    force_view_->replace(k, fz_[k].decimate_min_max(t0, t1, columns));
  }
  const double top = nice_ceil(std::max(100.0, hi * 1.1));
  const double bottom = lo < 0 ? -nice_ceil(-lo * 1.1) : 0.0;
  force_view_->set_value_range(bottom, top);

  // Centre of pressure at 15 Hz, every other frame: sway is slow, and each trace (and its marker)
  // costs Qt Charts as much to lay out as a force line.
  if (++cop_frames_ % 2 == 0 && !cop_now_) return;
  cop_now_ = false;
  // Centre of pressure: the whole plate, or close up on the trace.
  const acq::PlateSpec plate = device_.plates.empty() ? acq::PlateSpec{0.5, 0.5, {}} : device_.plates.front();
  const double pw = plate.width_m * 1000, pl = plate.length_m * 1000;
  bool zoomed = false;
  if (zoom_box_->isChecked()) {
    double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
    bool any = false;
    for (const LiveTraceBuffer& c : cop_) {
      double a, b, d, e;
      if (!c.bounds(a, b, d, e)) continue;
      if (!any) {
        x_lo = a, x_hi = b, y_lo = d, y_hi = e;
        any = true;
      } else {
        x_lo = std::min(x_lo, a), x_hi = std::max(x_hi, b), y_lo = std::min(y_lo, d), y_hi = std::max(y_hi, e);
      }
    }
    if (any) {
      const double need = std::max({x_hi - x_lo, y_hi - y_lo, 10.0}) * 0.6;
      const bool fits = zoom_half_ > 0 && x_lo >= zoom_cx_ - zoom_half_ && x_hi <= zoom_cx_ + zoom_half_ &&
                        y_lo >= zoom_cy_ - zoom_half_ && y_hi <= zoom_cy_ + zoom_half_ && zoom_half_ <= 4 * need;
      if (!fits) {  // sticky: the view only moves when the trace leaves it or becomes small in it
        zoom_half_ = nice_ceil(need * 1.5);
        const double grid = zoom_half_ / 2;
        zoom_cx_ = std::round((x_lo + x_hi) / 2 / grid) * grid;
        zoom_cy_ = std::round((y_lo + y_hi) / 2 / grid) * grid;
      }
      cop_view_->set_region(zoom_cx_ - zoom_half_, zoom_cx_ + zoom_half_, zoom_cy_ - zoom_half_, zoom_cy_ + zoom_half_);
      zoomed = true;
    }
  }
  if (!zoomed) {
    const double mx = std::max(pw, 100.0) * 0.55, my = std::max(pl, 100.0) * 0.55;
    cop_view_->set_region(-mx, mx, -my, my);
  }
  // Points closer than a pixel draw the same line (pen width 2): one pixel apart is enough.
  const double step = cop_view_->units_per_px();
  for (std::size_t k = 0; k < cop_.size(); ++k) cop_view_->replace(k, cop_[k].thin(step, 4000));
}

void MainWindow::update_readouts() {
  if (!source_ || fz_.empty()) {
    fz_readout_->setText(QStringLiteral("—"));
    cop_readout_->setText(QStringLiteral("—"));
    fz_detail_->setText(source_ ? tr("waiting for samples") : tr("not connected"));
    return;
  }
  double total = 0;
  bool any = false;
  QStringList per_plate;
  for (std::size_t k = 0; k < fz_.size(); ++k) {
    const double f = fz_[k].mean_over_last(kReadoutSpanS);
    if (std::isfinite(f)) {
      total += f;
      any = true;
    }
    per_plate << tr("plate %1: %2 N").arg(k + 1).arg(std::isfinite(f) ? number(f, 1) : QStringLiteral("—"));
  }
  fz_readout_->setText(any ? number(total, 1) + " N" : QStringLiteral("—"));
  fz_detail_->setText(any ? (fz_.size() > 1 ? tr("total of ") + per_plate.join(", ") : tr("%1 kg-force").arg(number(total / 9.80665, 1)))
                          : tr("waiting for samples"));

  // The COP of a plate is shown only while it is loaded (its trace has a point in the last span).
  const double latest = fz_.front().latest_time();
  QStringList lines;
  for (std::size_t k = 0; k < cop_.size(); ++k) {
    double x = 0, y = 0;
    const bool loaded = !cop_[k].empty() && cop_[k].points().back().t >= latest - kReadoutSpanS &&
                        cop_[k].mean_over_last(kReadoutSpanS, x, y);
    const QString prefix = cop_.size() > 1 ? tr("P%1  ").arg(k + 1) : QString();
    lines << prefix + (loaded ? tr("ML %1  AP %2 mm").arg(signed_number(x, 1), signed_number(y, 1)) : tr("no load"));
  }
  cop_readout_->setText(lines.join("\n"));
}

void MainWindow::update_status() {
  QString text;
  const char* border = "#9e9e9e";
  const char* background = "#f2f2f2";
  const QString error = last_error_.isEmpty() ? tr("none") : last_error_;
  if (pending_.valid()) {
    text = tr("Connecting to %1 …").arg(pending_label_);
    border = "#f9a825";
    background = "#fff8e1";
  } else if (source_ && lost_) {
    text = tr("✖ DEVICE LOST: %1 (%2)  ·  looking for it; streaming and a trial under way go on when it is back  ·  %3 samples missing  ·  last error: %4")
               .arg(QString::fromStdString(device_.serial), source_label_)
               .arg(last_status_.samples_missing)
               .arg(error);
    border = "#c62828";
    background = "#ffcdd2";
  } else if (source_) {
    const double rate = rate_.rate_hz();
    const QString rate_text = std::isfinite(rate) ? tr("%1 Hz measured").arg(number(rate, 0)) : tr("rate: measuring");
    const QString where = source_->is_simulator() ? tr("%1 on %2").arg(source_label_, QString::fromStdString(source_->port()))
                                                  : source_label_;
    text = tr("● Connected to %1 (firmware %2) via %3  ·  %4 (nominal %5 Hz)  ·  %6 samples missing  ·  %7 CRC errors  ·  %8 times lost  ·  last error: %9")
               .arg(QString::fromStdString(device_.serial), QString::fromStdString(device_.firmware_version), where, rate_text,
                    number(device_.nominal_rate_hz, 0))
               .arg(last_status_.samples_missing)
               .arg(last_status_.crc_errors)
               .arg(last_status_.times_lost)
               .arg(error);
    if (!last_note_.isEmpty()) text += "  ·  " + last_note_;
    border = "#2e7d32";
    background = "#e8f5e9";
  } else if (lost_) {
    text = tr("✖ Not connected: device lost  ·  %1  ·  %2 samples missing  ·  %3 CRC errors  ·  last error: %4")
               .arg(QString::fromStdString(device_.serial))
               .arg(last_status_.samples_missing)
               .arg(last_status_.crc_errors)
               .arg(error);
    border = "#c62828";
    background = "#ffebee";
  } else {
    text = last_error_.isEmpty() ? tr("○ Not connected  ·  choose a source and press Connect  ·  last error: none")
                                 : tr("○ Not connected  ·  last error: %1").arg(error);
    if (!last_error_.isEmpty()) {
      border = "#c62828";
      background = "#ffebee";
    }
  }
  // Wrap between fields only: inside a field, spaces do not break.
  QStringList fields = text.split(QStringLiteral("  ·  "));
  for (QString& f : fields) f.replace(' ', QChar(0x00A0));
  // Only what changed: a new style sheet (or text) lays out everything under the status line again.
  const QString joined = fields.join(QStringLiteral("  ·  "));
  if (status_line_->text() != joined) status_line_->setText(joined);
  const QString style = style_for(border, background);
  if (status_line_->styleSheet() != style) status_line_->setStyleSheet(style);
}

void MainWindow::update_controls() {
  const bool busy = pending_.valid();
  connect_button_->setText(busy ? tr("Connecting…") : (source_ ? tr("Disconnect") : tr("Connect")));
  connect_button_->setEnabled(!busy);
  source_box_->setEnabled(!busy && !source_);
  rescan_button_->setEnabled(!busy && !source_);
  tare_button_->setEnabled(source_ != nullptr && !lost_);
  calibrate_button_->setEnabled(source_ != nullptr && !lost_);
}

}  // namespace fp::gui
