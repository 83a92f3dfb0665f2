#include "forceplate/gui/session_run_view.hpp"

#include <QComboBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <utility>

#include "forceplate/gui/live_source.hpp"
#include "forceplate/workflow/simulated_patient.hpp"

namespace fp::gui {

namespace {

using workflow::RunnerState;

constexpr double kWindowS = 10;           // seconds of force and COP shown
constexpr double kLostTimeoutS = 10;      // a lost device not back within this ends the trial
constexpr double kStopCueS = 2;           // the "stop" cue stays this long after a recording ends
constexpr int kSideRole = Qt::UserRole + 1;  // test list: 0 none, 1 left, 2 right

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

QString number(double v, int decimals) { return QString::number(v, 'f', decimals); }

QString side_text(std::optional<analysis::Side> side) {
  if (!side) return {};
  return *side == analysis::Side::left ? QObject::tr("left") : QObject::tr("right");
}

// A foot of about 250 × 95 mm, heel at -y, toes at +y, centred on (cx, cy); `left` mirrors it.
std::vector<TracePoint> foot(double cx, double cy, bool left) {
  static const double shape[][2] = {{0, -125}, {22, -120}, {33, -100}, {35, -60}, {38, -10}, {45, 40}, {47, 80},
                                    {40, 108}, {22, 122}, {0, 125}, {-18, 120}, {-30, 100}, {-34, 60},
                                    {-30, 10}, {-28, -40}, {-30, -90}, {-22, -118}};
  std::vector<TracePoint> out;
  const double m = left ? -1 : 1;  // the big toe (wider side, +x on the right foot) is medial
  for (const auto& p : shape) out.push_back(TracePoint{0, cx - m * p[0], cy + p[1]});
  return out;
}

std::vector<TracePoint> rectangle(double cx, double cy, double w, double l) {
  return {{0, cx - w / 2, cy - l / 2}, {0, cx + w / 2, cy - l / 2}, {0, cx + w / 2, cy + l / 2}, {0, cx - w / 2, cy + l / 2}};
}

// The cue's colours: state by colour and by text (readable without colour too).
QString cue_style(const char* border, const char* background) {
  return QString("QLabel { border: 3px solid %1; background: %2; padding: 10px; border-radius: 6px; }").arg(border, background);
}

}  // namespace

SessionRunView::SessionRunView(QWidget* parent) : QWidget(parent) {
  setFocusPolicy(Qt::StrongFocus);  // a click on the view gives its keys (Space, R) to it
  build_ui();
  update_cue();
  update_result();
  update_controls();
}

SessionRunView::~SessionRunView() { unsubscribe(); }

void SessionRunView::build_ui() {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(8, 8, 8, 8);

  // Patient and session.
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Patient:"), this));
  patient_box_ = new QComboBox(this);
  patient_box_->setObjectName("runPatient");
  patient_box_->setMinimumWidth(260);
  connect(patient_box_, &QComboBox::activated, this, [this](int index) {
    const std::string id = patient_box_->itemData(index).toString().toStdString();
    if (id != patient_id_) {
      patient_id_ = id;
      session_id_.clear();
      accepted_.clear();
      fill_tests();
      update_controls();
    }
  });
  top->addWidget(patient_box_);
  session_label_ = new QLabel(this);
  session_label_->setObjectName("runSession");
  top->addWidget(session_label_, 1);
  new_session_ = new QPushButton(tr("New session"), this);
  new_session_->setObjectName("newSession");
  connect(new_session_, &QPushButton::clicked, this, &SessionRunView::new_session);
  top->addWidget(new_session_);
  outer->addLayout(top);

  auto* body = new QHBoxLayout;
  // Left: the battery and the trial's controls.
  auto* left = new QVBoxLayout;
  left->addWidget(new QLabel(tr("<b>Tests</b> (✓ trials accepted in this session)"), this));
  tests_ = new QListWidget(this);
  tests_->setObjectName("runTests");
  tests_->setMinimumWidth(270);
  tests_->setMaximumWidth(300);
  tests_->setWordWrap(true);  // long test names wrap instead of being cut off
  connect(tests_, &QListWidget::currentRowChanged, this, [this] { update_controls(); });
  left->addWidget(tests_, 1);
  auto* pain_row = new QHBoxLayout;
  pain_row->addWidget(new QLabel(tr("Pain before (0–10):"), this));
  pain_before_ = new QSpinBox(this);
  pain_before_->setObjectName("painBefore");
  pain_before_->setRange(-1, 10);
  pain_before_->setSpecialValueText(tr("not asked"));
  pain_before_->setValue(-1);
  pain_row->addWidget(pain_before_);
  left->addLayout(pain_row);
  auto* buttons = new QHBoxLayout;
  start_ = new QPushButton(tr("Start (Space)"), this);
  start_->setObjectName("startTrial");
  connect(start_, &QPushButton::clicked, this, &SessionRunView::start_trial);
  stop_ = new QPushButton(tr("Stop (Space)"), this);
  stop_->setObjectName("stopTrial");
  connect(stop_, &QPushButton::clicked, this, &SessionRunView::stop_trial);
  buttons->addWidget(start_);
  buttons->addWidget(stop_);
  left->addLayout(buttons);
  body->addLayout(left);

  // Centre: cue, instruction, time, charts.
  auto* centre = new QVBoxLayout;
  auto* cue_row = new QHBoxLayout;
  cue_ = new QLabel(this);
  cue_->setObjectName("runCue");
  QFont big = cue_->font();
  big.setPointSizeF(22);
  big.setBold(true);
  cue_->setFont(big);
  cue_->setMinimumHeight(64);
  cue_->setWordWrap(true);
  cue_row->addWidget(cue_, 1);
  time_left_ = new QLabel(this);
  time_left_->setObjectName("runTimeLeft");
  time_left_->setFont(big);
  time_left_->setMinimumWidth(170);
  time_left_->setAlignment(Qt::AlignCenter);
  cue_row->addWidget(time_left_);
  centre->addLayout(cue_row);
  instruction_ = new QLabel(this);
  instruction_->setObjectName("runInstruction");
  instruction_->setWordWrap(true);
  QFont mid = instruction_->font();
  mid.setPointSizeF(mid.pointSizeF() * 1.3);
  instruction_->setFont(mid);
  centre->addWidget(instruction_);

  auto* charts = new QHBoxLayout;
  force_view_ = make_time_series_view({tr("Vertical force per plate, last %1 s").arg(kWindowS).toStdString(),
                                       tr("Time (s)").toStdString(), tr("Vertical force (N)").toStdString()},
                                      this);
  cop_view_ = make_trajectory_view({tr("Centre of pressure, last %1 s").arg(kWindowS).toStdString(),
                                    tr("Mediolateral (mm)").toStdString(), tr("Anteroposterior (mm)").toStdString()},
                                   this);
  force_view_->widget()->setObjectName("runForceChart");
  cop_view_->widget()->setObjectName("runCopChart");
  force_view_->widget()->setMinimumSize(300, 300);
  cop_view_->widget()->setMinimumSize(260, 300);
  charts->addWidget(force_view_->widget(), 3);
  charts->addWidget(cop_view_->widget(), 2);
  centre->addLayout(charts, 1);
  body->addLayout(centre, 1);

  // Right: the result and the decision, beside the charts (the charts keep their height).
  auto* result_box = new QFrame(this);
  result_box->setFrameShape(QFrame::StyledPanel);
  result_box->setFixedWidth(350);
  auto* rl = new QVBoxLayout(result_box);
  auto* result_title = new QLabel(tr("<b>Result</b>"), result_box);
  rl->addWidget(result_title);
  result_ = new QLabel(result_box);
  result_->setObjectName("runResult");
  result_->setWordWrap(true);
  result_->setTextFormat(Qt::PlainText);
  result_->setMinimumHeight(48);
  result_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  rl->addWidget(result_);
  measures_ = new QTableWidget(0, 3, result_box);
  measures_->setObjectName("runMeasures");
  measures_->setHorizontalHeaderLabels({tr("Measure"), tr("Value"), tr("Unit")});
  measures_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  measures_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  measures_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  measures_->verticalHeader()->setVisible(false);
  measures_->verticalHeader()->setDefaultSectionSize(22);
  measures_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  rl->addWidget(measures_, 1);
  auto* decide = new QHBoxLayout;
  accept_ = new QPushButton(tr("Accept"), result_box);
  accept_->setObjectName("acceptTrial");
  redo_ = new QPushButton(tr("Redo (R)"), result_box);
  redo_->setObjectName("redoTrial");
  discard_ = new QPushButton(tr("Discard"), result_box);
  discard_->setObjectName("discardTrial");
  connect(accept_, &QPushButton::clicked, this, &SessionRunView::accept_trial);
  connect(redo_, &QPushButton::clicked, this, &SessionRunView::redo_trial);
  connect(discard_, &QPushButton::clicked, this, &SessionRunView::discard_trial);
  decide->addWidget(accept_);
  decide->addWidget(redo_);
  decide->addWidget(discard_);
  rl->addLayout(decide);
  auto* after_row = new QHBoxLayout;
  after_row->addWidget(new QLabel(tr("Pain after (0–10):"), result_box));
  pain_after_ = new QSpinBox(result_box);
  pain_after_->setObjectName("painAfter");
  pain_after_->setRange(-1, 10);
  pain_after_->setSpecialValueText(tr("not asked"));
  pain_after_->setValue(-1);
  after_row->addWidget(pain_after_, 1);
  rl->addLayout(after_row);
  notes_ = new QLineEdit(result_box);
  notes_->setObjectName("trialNotes");
  notes_->setPlaceholderText(tr("Notes on this trial (never exported)"));
  notes_->setToolTip(tr("Kept with the trial; never part of a research export"));
  rl->addWidget(notes_);
  body->addWidget(result_box);
  outer->addLayout(body, 1);

  status_ = new QLabel(this);
  status_->setObjectName("runStatus");
  status_->setWordWrap(true);
  status_->setTextFormat(Qt::PlainText);
  outer->addWidget(status_);

  // Space starts or stops, R redoes; typing in the notes or a spin box is not taken for them.
  auto* space = new QShortcut(QKeySequence(Qt::Key_Space), this);
  space->setContext(Qt::WidgetWithChildrenShortcut);
  connect(space, &QShortcut::activated, this, [this] {
    if (runner_ && !runner_->finished() && !runner_->waiting_for_decision()) {
      stop_trial();
    } else if (!runner_ || (runner_->finished() && !runner_->waiting_for_decision())) {
      start_trial();
    }
  });
  auto* r = new QShortcut(QKeySequence(Qt::Key_R), this);
  r->setContext(Qt::WidgetWithChildrenShortcut);
  connect(r, &QShortcut::activated, this, &SessionRunView::redo_trial);
}

void SessionRunView::set_archive(data::Archive* archive) {
  archive_ = archive;
  refresh_patients();
  update_controls();
}

void SessionRunView::set_definitions(const workflow::DefinitionSet* definitions) {
  definitions_ = definitions;
  fill_tests();
  update_controls();
}

void SessionRunView::fill_tests() {
  const QString current = tests_->currentItem() ? tests_->currentItem()->data(Qt::UserRole).toString() : QString();
  const int current_side = tests_->currentItem() ? tests_->currentItem()->data(kSideRole).toInt() : 0;
  tests_->clear();
  if (!definitions_) return;
  for (const workflow::TestDefinition& d : definitions_->definitions) {
    std::vector<std::optional<analysis::Side>> sides;
    if (d.stance == workflow::Stance::double_leg) sides = {std::nullopt};
    else sides = {analysis::Side::left, analysis::Side::right};
    for (const auto& side : sides) {
      QString text = QString::fromStdString(d.name);
      if (side) text += " — " + side_text(side);
      const std::string side_key = side ? analysis::to_string(*side) : "none";
      const auto it = accepted_.find({d.id, side_key});
      if (it != accepted_.end()) text += tr("   ✓ %1").arg(it->second);
      auto* item = new QListWidgetItem(text, tests_);
      item->setData(Qt::UserRole, QString::fromStdString(d.id));
      item->setData(kSideRole, side ? (*side == analysis::Side::left ? 1 : 2) : 0);
      item->setToolTip(QString::fromStdString(d.instructions));
      if (item->data(Qt::UserRole).toString() == current && item->data(kSideRole).toInt() == current_side) {
        tests_->setCurrentItem(item);
      }
    }
  }
  if (!tests_->currentItem() && tests_->count() > 0) tests_->setCurrentRow(0);
}

void SessionRunView::refresh_patients() {
  patient_box_->clear();
  patient_box_->addItem(tr("— no patient (trials are not stored) —"), QString());
  if (archive_) {
    try {
      for (const data::Patient& p : archive_->list_patients()) {
        QString text = QString::fromStdString(p.id);
        if (!p.name.empty()) text += " — " + QString::fromStdString(p.name);
        patient_box_->addItem(text, QString::fromStdString(p.id));
      }
    } catch (const std::exception& e) {
      set_status(tr("cannot list the patients: %1").arg(e.what()), true);
    }
  }
  const int index = patient_box_->findData(QString::fromStdString(patient_id_));
  patient_box_->setCurrentIndex(index >= 0 ? index : 0);
  if (index < 0) patient_id_.clear();
  update_controls();
}

void SessionRunView::set_patient(const std::string& patient_id) {
  if (patient_id != patient_id_) {
    session_id_.clear();
    accepted_.clear();
  }
  patient_id_ = patient_id;
  refresh_patients();
  fill_tests();
}

void SessionRunView::new_session() {
  session_id_.clear();
  accepted_.clear();
  if (archive_ && !patient_id_.empty()) {
    try {
      data::Session s;
      s.patient_id = patient_id_;
      session_id_ = archive_->add_session(s).id;
    } catch (const std::exception& e) {
      set_status(tr("cannot start a session: %1").arg(e.what()), true);
    }
  }
  fill_tests();
  update_controls();
}

void SessionRunView::set_source(LiveSource* source) {
  if (source == source_) return;
  if (runner_ && !runner_->finished() && !runner_->waiting_for_decision()) {
    runner_->fail(source ? "the device was changed during the trial" : "the device was disconnected during the trial");
  }
  unsubscribe();
  source_ = source;
  lost_ = false;
  fz_.clear();
  cop_.clear();
  if (source_) {
    device_ = source_->device();
    subscribe();
    std::vector<std::string> names;
    for (std::size_t k = 0; k < device_.plates.size(); ++k) names.push_back(tr("Plate %1").arg(k + 1).toStdString());
    fz_.assign(device_.plates.size(), LiveSeriesBuffer(kWindowS));
    force_view_->set_series(names);
    cop_view_->set_traces({tr("COP").toStdString()});
    setup_outlines();
  }
  update_cue();
  update_controls();
}

void SessionRunView::subscribe() {
  if (!source_ || ring_) return;
  const double rate = std::max(device_.current_rate_hz, device_.nominal_rate_hz);
  // Ten seconds of headroom, as drive_trial: only a GUI thread stalled that long loses samples,
  // and then the trial says so.
  ring_ = source_->connection().subscribe(static_cast<std::size_t>(std::max(rate, 100.0) * 10) + 1024);
}

void SessionRunView::unsubscribe() {
  if (ring_ && source_) source_->connection().unsubscribe(ring_);
  ring_.reset();
}

void SessionRunView::setup_outlines() {
  std::vector<Outline> outlines;
  for (std::size_t k = 0; k < device_.plates.size(); ++k) {
    const acq::PlateSpec& p = device_.plates[k];
    outlines.push_back({tr("Plate").toStdString(), rectangle(p.origin_x_m * 1000, p.origin_y_m * 1000, p.width_m * 1000,
                                                             p.length_m * 1000),
                        false});
  }
  // The feet where the test puts them: one foot on the plate of its side (or the middle of one
  // plate), or both feet hip-width apart (or one on each plate).
  const workflow::TestDefinition* def = running_ && definitions_ ? definitions_->find(running_->id) : nullptr;
  if (!def) {
    if (const auto sel = selected(); sel && definitions_) def = definitions_->find(sel->id);
  }
  std::optional<analysis::Side> side;
  if (running_) {
    side = running_->side;
  } else if (const auto sel = selected()) {
    side = sel->side;
  }
  const std::string feet = tr("Foot").toStdString();
  const auto centre_of = [this](std::size_t k) {
    return k < device_.plates.size() ? std::pair{device_.plates[k].origin_x_m * 1000, device_.plates[k].origin_y_m * 1000}
                                     : std::pair{0.0, 0.0};
  };
  if (def && def->stance != workflow::Stance::double_leg && side.has_value()) {
    const bool left = side.value_or(analysis::Side::left) == analysis::Side::left;
    const auto [cx, cy] = centre_of(device_.plates.size() > 1 ? (left ? 0 : 1) : 0);
    outlines.push_back({feet, foot(cx, cy, left), true});
  } else if (device_.plates.size() > 1) {
    const auto [lx, ly] = centre_of(0);
    const auto [rx, ry] = centre_of(1);
    outlines.push_back({feet, foot(lx, ly, true), true});
    outlines.push_back({feet, foot(rx, ry, false), true});
  } else {
    outlines.push_back({feet, foot(-100, 0, true), true});
    outlines.push_back({feet, foot(100, 0, false), true});
  }
  cop_view_->set_outlines(outlines);
  feet_.clear();
  for (const Outline& o : outlines) {
    if (o.dashed) feet_.insert(feet_.end(), o.points.begin(), o.points.end());
  }
}

std::optional<SessionRunView::Selected> SessionRunView::selected() const {
  const QListWidgetItem* item = tests_->currentItem();
  if (!item) return std::nullopt;
  Selected s;
  s.id = item->data(Qt::UserRole).toString().toStdString();
  const int side = item->data(kSideRole).toInt();
  if (side == 1) s.side = analysis::Side::left;
  if (side == 2) s.side = analysis::Side::right;
  return s;
}

bool SessionRunView::select_test(const std::string& definition_id, std::optional<analysis::Side> side) {
  const int want_side = side ? (*side == analysis::Side::left ? 1 : 2) : 0;
  for (int i = 0; i < tests_->count(); ++i) {
    const QListWidgetItem* item = tests_->item(i);
    if (item->data(Qt::UserRole).toString().toStdString() == definition_id && item->data(kSideRole).toInt() == want_side) {
      tests_->setCurrentRow(i);
      if (!running_) setup_outlines();
      return true;
    }
  }
  set_status(tr("no test '%1'%2 in the battery").arg(QString::fromStdString(definition_id),
                                                      side ? " (" + side_text(side) + ")" : QString()),
             true);
  return false;
}

bool SessionRunView::start_trial() {
  if (trial_in_progress()) {
    set_status(tr("a trial is already under way: finish it first (accept, redo or discard)"), true);
    return false;
  }
  if (!source_) {
    set_status(tr("connect a plate (or the built-in simulator) first"), true);
    return false;
  }
  const auto sel = selected();
  const workflow::TestDefinition* def = sel && definitions_ ? definitions_->find(sel->id) : nullptr;
  if (!def) {
    set_status(tr("choose a test first"), true);
    return false;
  }
  workflow::TrialRunnerConfig rc;
  rc.test = *def;
  rc.side = sel->side;
  rc.device = source_->connection().device();
  if (archive_ && !patient_id_.empty()) {
    try {
      const data::Patient p = archive_->patient(patient_id_);
      if (p.mass_kg > 0) rc.recorded_mass_kg = p.mass_kg;
    } catch (const std::exception&) {
      // weighed on the plate instead
    }
  }
  acq::DeviceConnection* connection = &source_->connection();
  rc.on_tare = [this, connection](const std::vector<acq::Sample>& empty_plate) {
    connection->tare(empty_plate);
    if (runner_) runner_->set_device(connection->device());
  };
  rc.on_event = [this](const workflow::RunnerEvent& e) { on_runner_event(e); };
  try {
    runner_ = std::make_unique<workflow::TrialRunner>(std::move(rc));
  } catch (const std::exception& e) {
    set_status(QString::fromStdString(e.what()), true);
    return false;
  }
  running_ = *sel;
  subscribe();
  ring_rejected_at_start_ = ring_ ? ring_->rejected() : 0;
  ended_at_s_ = -1;
  pain_after_->setValue(-1);
  notes_->clear();
  setup_outlines();
  play_simulated_patient();
  runner_->start();
  set_status(tr("%1%2: started").arg(QString::fromStdString(def->name), sel->side ? " (" + side_text(sel->side) + ")" : QString()));
  update_cue();
  update_result();
  update_controls();
  return true;
}

void SessionRunView::play_simulated_patient() {
  if (!source_ || !runner_ || !source_->simulator()) return;
  sim::ScenarioSettings base = source_->simulator()->config().scenario;
  base.params.clear();
  if (archive_ && !patient_id_.empty()) {
    try {
      const data::Patient p = archive_->patient(patient_id_);
      if (p.mass_kg > 0) base.mass_kg = p.mass_kg;
    } catch (const std::exception&) {
    }
  }
  const int attempt = runner_->outcome() ? runner_->outcome()->attempt + 1 : 1;
  try {
    source_->simulator()->play_scenario(workflow::simulated_patient(runner_->config().test, runner_->config().side, base, attempt));
  } catch (const std::exception& e) {
    set_status(tr("simulated patient: %1").arg(e.what()), true);
  }
}

bool SessionRunView::stop_trial() {
  if (!runner_ || runner_->finished() || runner_->waiting_for_decision()) return false;
  runner_->cancel();
  set_status(tr("trial stopped; nothing was stored"));
  running_.reset();
  update_cue();
  update_result();
  update_controls();
  return true;
}

bool SessionRunView::accept_trial() {
  if (!runner_ || !runner_->waiting_for_decision() || !runner_->outcome()) return false;
  const workflow::TrialOutcome out = *runner_->outcome();
  runner_->accept();
  const std::string id = store_outcome(out);
  if (!id.empty()) set_status(tr("stored as trial %1 of session %2").arg(QString::fromStdString(id), QString::fromStdString(session_id_)));
  running_.reset();
  fill_tests();
  update_cue();
  update_result();
  update_controls();
  return true;
}

bool SessionRunView::redo_trial() {
  if (!runner_ || !runner_->waiting_for_decision()) return false;
  runner_->redo();
  ended_at_s_ = -1;
  play_simulated_patient();
  set_status(tr("redo: the same test again"));
  update_cue();
  update_result();
  update_controls();
  return true;
}

bool SessionRunView::discard_trial() {
  if (!runner_ || !runner_->waiting_for_decision()) return false;
  runner_->discard();
  running_.reset();
  set_status(tr("trial discarded; nothing was stored"));
  update_cue();
  update_result();
  update_controls();
  return true;
}

bool SessionRunView::trial_in_progress() const {
  // finished() includes the result: a result awaiting the decision is still in progress.
  return runner_ && runner_->state() != RunnerState::idle && (!runner_->finished() || runner_->waiting_for_decision());
}

std::string SessionRunView::keep_trial_in_progress(const std::string& why) {
  if (!trial_in_progress()) return {};
  if (!runner_->waiting_for_decision()) runner_->fail("stopped: " + why);
  if (!runner_->outcome()) {
    runner_->cancel();
    return {};
  }
  const workflow::TrialOutcome out = *runner_->outcome();
  // Nothing recorded yet (stopped before the recording began): nothing to keep.
  if (out.trial.sample_count() == 0) {
    runner_->discard();
    return {};
  }
  runner_->accept();
  const std::string id = store_outcome(out);
  running_.reset();
  update_cue();
  update_result();
  update_controls();
  return id;
}

std::string SessionRunView::store_outcome(const workflow::TrialOutcome& out) {
  if (!archive_ || patient_id_.empty()) {
    set_status(tr("not stored: choose a patient (the trial was run without one)"), true);
    return {};
  }
  try {
    if (session_id_.empty()) {
      data::Session s;
      s.patient_id = patient_id_;
      session_id_ = archive_->add_session(s).id;
    }
    data::Trial trial = out.trial;
    if (pain_before_->value() >= 0) trial.pain.push_back({"before", pain_before_->value()});
    if (pain_after_->value() >= 0) trial.pain.push_back({"after", pain_after_->value()});
    trial.notes = notes_->text().toStdString();
    const std::string side = out.side ? analysis::to_string(*out.side) : "none";
    const data::TrialRecord rec = archive_->add_trial(session_id_, trial, {side, ""});
    last_stored_ = rec.id;
    ++accepted_[{out.definition_id, side}];
    emit trial_stored(QString::fromStdString(rec.id), QString::fromStdString(session_id_), QString::fromStdString(patient_id_));
    return rec.id;
  } catch (const std::exception& e) {
    set_status(tr("NOT STORED: %1").arg(e.what()), true);
    return {};
  }
}

void SessionRunView::on_runner_event(const workflow::RunnerEvent& e) {
  if (e.state == "result" || e.state == "analysing") ended_at_s_ = steady_seconds();
}

void SessionRunView::feed(const acq::Sample& s) {
  if (runner_ && !runner_->finished()) runner_->feed(s);
  const std::size_t plates = std::min(fz_.size(), static_cast<std::size_t>(s.plate_count));
  for (std::size_t k = 0; k < plates; ++k) fz_[k].append(s.device_time_s, s.fz_n[k]);
  if (std::isfinite(s.total_cop_x_m) && std::isfinite(s.total_cop_y_m) && s.total_fz_n >= 20) {
    cop_.append(s.device_time_s, s.total_cop_x_m * 1000, s.total_cop_y_m * 1000);
  }
}

void SessionRunView::tick(bool draw_now) {
  if (!source_ || !ring_) return;
  scratch_.clear();
  ring_->pop_into(scratch_, ring_->capacity());
  // Hidden and idle, the samples are only taken off the ring: the charts fill again within their
  // window once the tab shows (this keeps the Live tab's cost where bench_gui_live measures it).
  if (draw_now || trial_in_progress()) {
    for (const acq::Sample& s : scratch_) feed(s);
  }

  const bool running = runner_ && !runner_->finished() && !runner_->waiting_for_decision();
  if (running && ring_->rejected() > ring_rejected_at_start_) {
    runner_->fail("the display fell behind and " + std::to_string(ring_->rejected() - ring_rejected_at_start_) +
                  " samples were lost");
  }
  // A lost device: shown at once; the trial waits for it (the connection looks for it) and ends
  // as invalid only if it stays away.
  const acq::ConnectionStatus st = source_->status();
  if (st.lost && !lost_) {
    lost_ = true;
    lost_since_s_ = steady_seconds();
  } else if (!st.lost && lost_ && !scratch_.empty()) {
    lost_ = false;
    set_status(tr("the device is back; the trial goes on"));
  }
  if (lost_ && running && steady_seconds() - lost_since_s_ > kLostTimeoutS) {
    runner_->fail("device lost and not found again within " + std::to_string(static_cast<int>(kLostTimeoutS)) + " s: " + st.last_error);
  }
  update_cue();
  const RunnerState state = runner_ ? runner_->state() : RunnerState::idle;
  if (state != shown_state_) {  // the runner moved on by itself (result, or a failure)
    shown_state_ = state;
    if (state == RunnerState::result && runner_->outcome()) {
      set_status(runner_->outcome()->valid ? tr("result: valid — accept, redo (R) or discard")
                                           : tr("result: invalid (%1) — redo (R), keep or discard")
                                                 .arg(QString::fromStdString(runner_->outcome()->reason)),
                 !runner_->outcome()->valid);
    }
    update_result();
    update_controls();
  }
  if (draw_now) draw();
}

void SessionRunView::draw() {
  if (fz_.empty()) return;
  double latest = 0;
  for (const LiveSeriesBuffer& b : fz_) {
    if (!b.empty()) latest = std::max(latest, b.latest_time());
  }
  const double t1 = std::max(kWindowS, latest), t0 = t1 - kWindowS;
  force_view_->set_time_range(t0, t1);
  double hi = 0, lo = 0;
  const int columns = std::max(16, force_view_->plot_width_px() / 2);
  for (std::size_t k = 0; k < fz_.size(); ++k) {
    double a = 0, b = 0;
    if (fz_[k].value_range(t0, t1, a, b)) {
      lo = std::min(lo, a);
      hi = std::max(hi, b);
    }
    force_view_->replace(k, fz_[k].decimate_min_max(t0, t1, columns));
  }
  const workflow::LiveFeedback* live = runner_ ? &runner_->live() : nullptr;
  if (live && live->band_high_n > live->band_low_n) {
    force_view_->set_band(live->band_low_n, live->band_high_n, tr("Body weight ± band").toStdString());
    hi = std::max(hi, live->band_high_n);
  } else {
    force_view_->set_band(0, 0, "");
  }
  force_view_->set_value_range(lo < 0 ? -nice_ceil(-lo * 1.1) : 0.0, nice_ceil(std::max(100.0, hi * 1.1)));

  // Close enough on the feet to see the sway, with where the patient stands on the plates.
  double x_lo = -250, x_hi = 250, y_lo = -250, y_hi = 250;
  if (!feet_.empty()) {
    x_lo = y_lo = 1e9;
    x_hi = y_hi = -1e9;
    for (const TracePoint& p : feet_) {
      x_lo = std::min(x_lo, p.x - 40);
      x_hi = std::max(x_hi, p.x + 40);
      y_lo = std::min(y_lo, p.y - 40);
      y_hi = std::max(y_hi, p.y + 40);
    }
  }
  cop_view_->set_region(x_lo, x_hi, y_lo, y_hi);
  cop_view_->replace(0, cop_.thin(cop_view_->units_per_px(), 4000));
}

void SessionRunView::update_cue() {
  const char* border = "#9e9e9e";
  const char* background = "#f5f5f5";
  QString cue, time;
  QString instruction;
  if (!source_) {
    cue = tr("○ No plate connected");
    instruction = tr("Connect a plate or the built-in simulator above.");
  } else if (!runner_ || runner_->state() == RunnerState::idle || (runner_->finished() && !runner_->waiting_for_decision())) {
    cue = tr("Ready: choose a test and press Start (Space)");
    if (const auto sel = selected(); sel && definitions_) {
      if (const workflow::TestDefinition* d = definitions_->find(sel->id)) instruction = QString::fromStdString(d->instructions);
    }
    if (ended_at_s_ >= 0 && steady_seconds() - ended_at_s_ < kStopCueS) {
      cue = tr("■ STOP — trial finished");
      border = "#1565c0";
      background = "#e3f2fd";
    }
  } else {
    const workflow::LiveFeedback& live = runner_->live();
    instruction = QString::fromStdString(live.instruction);
    switch (live.state) {
      case RunnerState::plate_empty_check:
      case RunnerState::taring:
        cue = tr("Keep the plate empty — zeroing");
        border = "#757575";
        background = "#eeeeee";
        break;
      case RunnerState::waiting_for_patient:
        cue = runner_->starts_off_plate() ? tr("Take the start position") : tr("Step on the plate");
        border = "#1565c0";
        background = "#e3f2fd";
        break;
      case RunnerState::weighing:
        cue = tr("Stand still — weighing");
        border = "#1565c0";
        background = "#e3f2fd";
        break;
      case RunnerState::countdown:
        cue = tr("GET READY … %1").arg(static_cast<int>(std::ceil(live.time_left_s)));
        border = "#ef6c00";
        background = "#fff3e0";
        break;
      case RunnerState::recording:
        cue = tr("● GO — recording");
        border = "#2e7d32";
        background = "#c8e6c9";
        time = tr("%1 s left").arg(number(std::max(0.0, live.time_left_s), 1));
        break;
      case RunnerState::analysing:
        cue = tr("■ STOP — analysing");
        border = "#1565c0";
        background = "#e3f2fd";
        break;
      case RunnerState::result: {
        const workflow::TrialOutcome* out = runner_->outcome();
        const bool stop_cue = ended_at_s_ >= 0 && steady_seconds() - ended_at_s_ < kStopCueS;
        if (out && out->valid) {
          cue = stop_cue ? tr("■ STOP — ✓ valid trial") : tr("✓ Valid trial: accept, redo (R) or discard");
          border = "#2e7d32";
          background = "#e8f5e9";
        } else {
          cue = stop_cue ? tr("■ STOP — ✗ invalid trial") : tr("✗ Invalid trial: redo (R), or keep or discard it");
          border = "#c62828";
          background = "#ffebee";
        }
        break;
      }
      default:
        break;
    }
    if (live.state == RunnerState::countdown) time = tr("%1 s").arg(static_cast<int>(std::ceil(live.time_left_s)));
  }
  if (lost_) {
    cue = tr("✖ DEVICE LOST — looking for it; the trial goes on when it is back");
    border = "#c62828";
    background = "#ffcdd2";
  }
  if (cue_->text() != cue) cue_->setText(cue);
  const QString style = cue_style(border, background);
  if (cue_->styleSheet() != style) cue_->setStyleSheet(style);
  if (time_left_->text() != time) time_left_->setText(time);
  if (instruction_->text() != instruction) instruction_->setText(instruction);
}

void SessionRunView::update_result() {
  measures_->setRowCount(0);
  const workflow::TrialOutcome* out = runner_ && runner_->waiting_for_decision() ? runner_->outcome() : nullptr;
  if (!out) {
    result_->setText(runner_ && runner_->state() != RunnerState::idle && !runner_->finished()
                         ? tr("Result: after the recording")
                         : QString());
    return;
  }
  QString text = out->valid ? tr("✓ VALID trial (attempt %1)").arg(out->attempt)
                            : tr("✗ INVALID trial (attempt %1): %2").arg(out->attempt).arg(QString::fromStdString(out->reason));
  if (out->body_weight_n) {
    text += tr("  ·  body weight %1 N (%2)").arg(number(*out->body_weight_n, 0), QString::fromStdString(out->body_weight_source));
  }
  for (const std::string& w : out->warnings) text += "\n⚠ " + QString::fromStdString(w);
  result_->setText(text);
  // The definition's measures first, then the rest.
  std::vector<const data::Measurement*> rows;
  const workflow::TestDefinition& def = runner_->config().test;
  for (const workflow::MeasureSpec& m : def.measures) {
    for (const data::Measurement& r : out->trial.results) {
      if (r.name == m.name) rows.push_back(&r);
    }
  }
  for (const data::Measurement& r : out->trial.results) {
    if (std::find(rows.begin(), rows.end(), &r) == rows.end()) rows.push_back(&r);
  }
  measures_->setRowCount(static_cast<int>(rows.size()));
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const data::Measurement& m = *rows[static_cast<std::size_t>(i)];
    const double mag = std::abs(m.value);
    const int decimals = mag >= 100 ? 1 : mag >= 1 ? 2 : 3;
    measures_->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(m.name)));
    auto* v = new QTableWidgetItem(number(m.value, decimals));
    v->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    measures_->setItem(i, 1, v);
    measures_->setItem(i, 2, new QTableWidgetItem(QString::fromStdString(m.unit)));
  }
}

void SessionRunView::update_controls() {
  const bool have_runner = runner_ != nullptr;
  const bool deciding = have_runner && runner_->waiting_for_decision();
  const bool running = have_runner && !runner_->finished() && !deciding && runner_->state() != RunnerState::idle;
  start_->setEnabled(source_ && !running && !deciding && tests_->currentItem());
  stop_->setEnabled(running);
  accept_->setEnabled(deciding);
  redo_->setEnabled(deciding);
  discard_->setEnabled(deciding);
  accept_->setText(deciding && runner_->outcome() && !runner_->outcome()->valid ? tr("Keep (invalid)") : tr("Accept"));
  tests_->setEnabled(!running && !deciding);
  patient_box_->setEnabled(!running && !deciding);
  new_session_->setEnabled(archive_ && !patient_id_.empty() && !running && !deciding);
  QString session;
  if (!archive_) {
    session = tr("No archive: trials are not stored");
  } else if (patient_id_.empty()) {
    session = tr("Choose a patient to store the trials");
  } else if (session_id_.empty()) {
    session = tr("Session: a new one starts with the first accepted trial");
  } else {
    session = tr("Session %1").arg(QString::fromStdString(session_id_));
  }
  session_label_->setText(session);
}

void SessionRunView::set_status(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? "QLabel { color: #b71c1c; font-weight: bold; }" : QString());
}

}  // namespace fp::gui
