#include "forceplate/gui/calibration_wizard.hpp"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPaintEvent>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>

#include "forceplate/acquisition/calibration_store.hpp"
#include "forceplate/gui/live_source.hpp"
#include "forceplate/simulator/simulator.hpp"

namespace fp::gui {

namespace {

const QColor kMarkColour(120, 120, 120);
const QColor kHighlight(239, 108, 0);  // orange: where the mass goes now
const QColor kPlateFill(245, 245, 245);
const QColor kCellFill(170, 170, 170);
const QColor kText(50, 50, 50);
const QColor kPass(46, 125, 50);
const QColor kFail(198, 40, 40);

QString fixed(double v, int decimals) { return QString::number(v, 'f', decimals); }
QString signed_fixed(double v, int decimals) {
  const QString s = fixed(v, decimals);
  return v >= 0 ? "+" + s : QString(s).replace('-', QChar(0x2212));
}
QString kg(double m) { return fixed(m, 2) + " kg"; }

// "front-left" etc. from where a cell sits (y forward, x to the right), as calibration.cpp names
// the corner marks.
QString cell_name(const acq::CellSpec& c) {
  return QString(c.y_m >= 0 ? "front" : "back") + "-" + (c.x_m < 0 ? "left" : "right");
}

bool is_corner_label(const std::string& label) {
  return label == "front-left" || label == "front-right" || label == "back-left" || label == "back-right";
}

QString capitalised(QString s) {
  if (!s.isEmpty()) s[0] = s[0].toUpper();
  return s;
}

// The simulated body for a mass standing still at a spot (the plates not named carry nothing).
sim::BodyState mass_at(const acq::PlacementSpot& spot, double mass_kg) {
  sim::BodyState b;
  if (spot.plate >= 0 && spot.plate < sim::kMaxPlates) {
    b.plates[static_cast<std::size_t>(spot.plate)] = {mass_kg * sim::kGravity, spot.x_m, spot.y_m};
  }
  return b;
}

QTableWidget* make_table(const QStringList& headers, const QString& object_name, QWidget* parent) {
  auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
  t->setObjectName(object_name);
  t->setHorizontalHeaderLabels(headers);
  t->verticalHeader()->setVisible(false);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setSelectionMode(QAbstractItemView::NoSelection);
  t->setFocusPolicy(Qt::NoFocus);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  t->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  return t;
}

void set_cell(QTableWidget* t, int row, int column, const QString& text, bool right = true) {
  auto* item = new QTableWidgetItem(text);
  item->setTextAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
  t->setItem(row, column, item);
}

// Shows every row: the table asks for the height of its rows (a few; no scroll bar needed).
void fit_height(QTableWidget* t) {
  t->resizeRowsToContents();
  int h = t->horizontalHeader()->height() + 2 * t->frameWidth();
  for (int r = 0; r < t->rowCount(); ++r) h += t->rowHeight(r);
  t->setFixedHeight(h);
}

QLabel* caption(const QString& text, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  QFont f = l->font();
  f.setBold(true);
  l->setFont(f);
  return l;
}

}  // namespace

// The plate(s) seen from above, front at the top: the cells, every mark, and the mark the mass
// goes on now (filled orange). Empty mode (the zero) writes "empty" on the plates instead.
class PlateDiagram : public QWidget {
 public:
  explicit PlateDiagram(QWidget* parent) : QWidget(parent) {
    setObjectName("plateDiagram");
    setMinimumSize(360, 260);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  }

  void set_plates(std::vector<acq::PlateSpec> plates) {
    plates_ = std::move(plates);
    update();
  }
  void set_marks(std::vector<acq::PlacementSpot> marks) {
    marks_ = std::move(marks);
    update();
  }
  void set_target(std::optional<acq::PlacementSpot> target, bool empty_plate) {
    target_ = std::move(target);
    empty_ = empty_plate;
    update();
  }
  const std::optional<acq::PlacementSpot>& target() const { return target_; }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    if (plates_.empty()) return;
    const QFontMetrics fm(font());
    const double label_w = fm.horizontalAdvance("right") + 12.0;
    const double label_h = fm.height() + 6.0;
    const double gap_px = 30;
    const auto n = static_cast<double>(plates_.size());
    double total_w_m = 0, max_l_m = 0;
    for (const acq::PlateSpec& s : plates_) {
      total_w_m += plate_width(s);
      max_l_m = std::max(max_l_m, plate_length(s));
    }
    // Left / right beside the outer edges, front above; back, the plate's name and the legend below.
    const double avail_w = width() - 2 * label_w - (n - 1) * gap_px;
    const double avail_h = height() - 4 * label_h;
    const double scale = std::max(1.0, std::min(avail_w / total_w_m, avail_h / max_l_m));
    double x0 = (width() - (total_w_m * scale + (n - 1) * gap_px)) / 2;
    const double top = label_h + (avail_h - max_l_m * scale) / 2;
    for (std::size_t k = 0; k < plates_.size(); ++k) {
      const acq::PlateSpec& s = plates_[k];
      const QRectF r(x0, top, plate_width(s) * scale, plate_length(s) * scale);
      draw_plate(p, static_cast<int>(k), s, r, scale, fm);
      if (k == 0) {
        p.setPen(kText);
        p.drawText(QRectF(r.left() - label_w, r.top(), label_w - 4, r.height()), Qt::AlignRight | Qt::AlignVCenter,
                   "left");
      }
      if (k + 1 == plates_.size()) {
        p.setPen(kText);
        p.drawText(QRectF(r.right() + 4, r.top(), label_w, r.height()), Qt::AlignLeft | Qt::AlignVCenter, "right");
      }
      x0 += r.width() + gap_px;
    }
    draw_legend(p, fm, std::min(top + max_l_m * scale + 2 * label_h + 8, height() - fm.height() - 2.0));
  }

  // "Seen from above:  ■ load cell   ⊕ mark   ● the mass", centred on one line at `y`.
  void draw_legend(QPainter& p, const QFontMetrics& fm, double y) const {
    const QString intro = "Seen from above:";
    const QStringList words{"load cell", "mark", "the mass"};
    const double sym = 16, gap = 18;
    double w = fm.horizontalAdvance(intro);
    for (const QString& t : words) w += gap + sym + 4 + fm.horizontalAdvance(t);
    double x = (width() - w) / 2;
    const double mid = y + fm.height() / 2.0;
    p.setPen(kText);
    p.drawText(QPointF(x, y + fm.ascent()), intro);
    x += fm.horizontalAdvance(intro) + gap;
    for (int i = 0; i < 3; ++i) {
      const QPointF c(x + sym / 2, mid);
      if (i == 0) {
        p.setPen(Qt::NoPen);
        p.setBrush(kCellFill);
        p.drawRect(QRectF(c.x() - 6, c.y() - 6, 12, 12));
      } else if (i == 1) {
        draw_mark(p, c);
      } else {
        draw_mass(p, c, 7);
      }
      x += sym + 4;
      p.setPen(kText);
      p.drawText(QPointF(x, y + fm.ascent()), words[i]);
      x += fm.horizontalAdvance(words[i]) + gap;
    }
  }

  static void draw_mark(QPainter& p, QPointF q) {
    p.setPen(QPen(kMarkColour, 1.2));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(q, 6, 6);
    p.drawLine(q + QPointF(-9, 0), q + QPointF(9, 0));
    p.drawLine(q + QPointF(0, -9), q + QPointF(0, 9));
  }

  static void draw_mass(QPainter& p, QPointF q, double radius) {
    QColor fill = kHighlight;
    fill.setAlpha(170);
    p.setPen(QPen(kHighlight.darker(130), 2));
    p.setBrush(fill);
    p.drawEllipse(q, radius, radius);
    p.setPen(QPen(Qt::white, 2));
    p.drawLine(q + QPointF(-radius * 0.5, 0), q + QPointF(radius * 0.5, 0));
    p.drawLine(q + QPointF(0, -radius * 0.5), q + QPointF(0, radius * 0.5));
  }

 private:
  static double plate_width(const acq::PlateSpec& s) {
    double w = s.width_m;
    for (const acq::CellSpec& c : s.cells) w = std::max(w, 2 * std::abs(c.x_m) + 0.02);
    return w > 0 ? w : 0.5;
  }
  static double plate_length(const acq::PlateSpec& s) {
    double l = s.length_m;
    for (const acq::CellSpec& c : s.cells) l = std::max(l, 2 * std::abs(c.y_m) + 0.02);
    return l > 0 ? l : 0.5;
  }

  void draw_plate(QPainter& p, int index, const acq::PlateSpec& s, const QRectF& r, double scale,
                  const QFontMetrics& fm) const {
    const QPointF centre = r.center();
    const auto at = [&](double x_m, double y_m) { return QPointF(centre.x() + x_m * scale, centre.y() - y_m * scale); };
    p.setPen(QPen(kText, 1.5));
    p.setBrush(kPlateFill);
    p.drawRoundedRect(r, 4, 4);
    p.setPen(kText);
    p.drawText(QRectF(r.left(), r.top() - fm.height() - 4, r.width(), fm.height()), Qt::AlignCenter, "front");
    p.drawText(QRectF(r.left(), r.bottom() + 2, r.width(), fm.height()), Qt::AlignCenter, "back");
    const QString name = plates_.size() > 1 ? QString("Plate %1 (%2)").arg(index + 1).arg(index == 0 ? "left" : "right")
                                            : QString("The plate");
    QFont bold = p.font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(r.left() - 20, r.bottom() + fm.height() + 4, r.width() + 40, fm.height() + 2), Qt::AlignCenter,
               name);
    p.setFont(font());

    // Load cells: small grey squares.
    p.setPen(Qt::NoPen);
    p.setBrush(kCellFill);
    for (const acq::CellSpec& c : s.cells) {
      const QPointF q = at(c.x_m, c.y_m);
      p.drawRect(QRectF(q.x() - 6, q.y() - 6, 12, 12));
    }
    // Every mark: a small cross in a circle, named underneath (the one the mass goes on: in bold,
    // under the mass).
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetrics sfm(small);
    for (const acq::PlacementSpot& m : marks_) {
      if (m.plate == index) draw_mark(p, at(m.x_m, m.y_m));
    }
    if (empty_) {
      QFont f = font();
      f.setItalic(true);
      f.setPointSizeF(f.pointSizeF() * 1.3);
      p.setFont(f);
      p.setPen(kText);
      p.drawText(r.adjusted(0, 0, 0, -r.height() * 0.3), Qt::AlignCenter, "empty");
      p.setFont(font());
    }
    // The mass's base (a kettlebell is about 15 cm across), at least big enough to see.
    const double radius = std::max(12.0, 0.06 * scale);
    const bool target_here = target_ && target_->plate == index;
    if (target_here) draw_mass(p, at(target_->x_m, target_->y_m), radius);
    for (const acq::PlacementSpot& m : marks_) {
      if (m.plate != index || (empty_ && m.label == "centre")) continue;
      const bool is_target = target_here && target_->label == m.label && target_->x_m == m.x_m && target_->y_m == m.y_m;
      const QPointF q = at(m.x_m, m.y_m);
      const double below = is_target ? radius + 2 : 10;
      QFont f = small;
      f.setBold(is_target);
      p.setFont(f);
      p.setPen(is_target ? kHighlight.darker(150) : kMarkColour);
      const QString mark_name = QString::fromStdString(m.label);
      const double w = QFontMetrics(f).horizontalAdvance(mark_name) + 4;
      p.drawText(QRectF(q.x() - w / 2, q.y() + below, w, sfm.height()), Qt::AlignCenter, mark_name);
    }
    p.setFont(font());
  }

  std::vector<acq::PlateSpec> plates_;
  std::vector<acq::PlacementSpot> marks_;
  std::optional<acq::PlacementSpot> target_;
  bool empty_ = false;
};

CalibrationWizard::CalibrationWizard(LiveSource& source, CalibrationWizardOptions options, QWidget* parent)
    : QDialog(parent), source_(source), options_(std::move(options)), device_(source.device()) {
  setObjectName("calibrationWizard");
  setWindowTitle(tr("Calibrate the plate"));
  setMinimumSize(760, 600);

  // The marks: the centre and four corners of every plate unless told otherwise.
  spot_list_ = options_.spots;
  if (spot_list_.empty()) {
    for (std::size_t k = 0; k < device_.plates.size(); ++k) {
      for (const acq::PlacementSpot& s : acq::standard_spots(device_.plates[k], static_cast<int>(k))) {
        spot_list_.push_back(s);
      }
    }
  }
  verify_spot_ = options_.verify_spot.value_or(acq::PlacementSpot{"centre", 0, 0.0, 0.0});

  steps_.push_back({StepKind::intro, -1});
  steps_.push_back({StepKind::zero, -1});
  for (std::size_t i = 0; i < spot_list_.size(); ++i) steps_.push_back({StepKind::placement, static_cast<int>(i)});
  steps_.push_back({StepKind::solve, -1});
  steps_.push_back({StepKind::verification, -1});
  steps_.push_back({StepKind::result, -1});

  // --- widgets
  auto* layout = new QVBoxLayout(this);
  title_ = new QLabel(this);
  title_->setObjectName("stepTitle");
  QFont tf = title_->font();
  tf.setPointSizeF(tf.pointSizeF() * 1.35);
  tf.setBold(true);
  title_->setFont(tf);
  layout->addWidget(title_);
  instruction_ = new QLabel(this);
  instruction_->setObjectName("instruction");
  instruction_->setWordWrap(true);
  QFont inf = instruction_->font();
  inf.setPointSizeF(inf.pointSizeF() * 1.1);
  instruction_->setFont(inf);
  layout->addWidget(instruction_);

  pages_ = new QStackedWidget(this);
  layout->addWidget(pages_, 1);

  // Intro: what you need, the mass.
  intro_page_ = new QWidget(pages_);
  {
    auto* v = new QVBoxLayout(intro_page_);
    v->setContentsMargins(0, 0, 0, 0);
    double corner_mm = 0;
    for (const acq::PlacementSpot& s : spot_list_) corner_mm = std::max(corner_mm, std::abs(s.x_m) * 1000);
    auto* need = new QLabel(intro_page_);
    need->setObjectName("introText");
    need->setWordWrap(true);
    need->setTextFormat(Qt::RichText);
    need->setText(
        tr("<b>What you need</b><ul>"
           "<li><b>A known mass</b>, 10–30 kg (a kettlebell or a dumbbell plate), weighed on good scales: "
           "the calibration can only be as good as the mass. Enter it below with its decimals.</li>"
           "<li><b>Marks on the plate</b> (tape or a marker): the centre, and one near each corner, "
           "%1 mm left or right and %1 mm forward or back of the centre.</li>"
           "<li>The plate on a hard, level floor, as during testing. Nobody touching it while it measures.</li>"
           "</ul>"
           "The wizard zeroes the empty plate, asks for the mass on each mark (one second each), computes "
           "the gain of every load cell, then checks the result with the mass on the %2. "
           "The live view pauses until the wizard closes.")
            .arg(fixed(corner_mm, 0))
            .arg(verify_spot_.label == "centre" ? tr("centre mark") : tr("verification mark")));
    v->addWidget(need);
    auto* form = new QFormLayout;
    mass_ = new QDoubleSpinBox(intro_page_);
    mass_->setObjectName("massBox");
    mass_->setRange(0.5, 500.0);
    mass_->setDecimals(2);
    mass_->setSingleStep(0.5);
    mass_->setSuffix(" kg");
    mass_->setValue(options_.mass_kg);
    mass_->setMaximumWidth(160);
    form->addRow(tr("Known mass:"), mass_);
    v->addLayout(form);
    intro_status_ = new QLabel(intro_page_);
    intro_status_->setObjectName("introStatus");
    intro_status_->setWordWrap(true);
    intro_status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(intro_status_);
    v->addStretch(1);
  }
  pages_->addWidget(intro_page_);

  // Zero, placements, verification: the plate diagram.
  measure_page_ = new QWidget(pages_);
  {
    auto* v = new QVBoxLayout(measure_page_);
    v->setContentsMargins(0, 0, 0, 0);
    diagram_ = new PlateDiagram(measure_page_);
    diagram_->set_plates(device_.plates);
    std::vector<acq::PlacementSpot> marks = spot_list_;
    const bool verify_on_a_mark = std::any_of(marks.begin(), marks.end(), [&](const acq::PlacementSpot& m) {
      return m.plate == verify_spot_.plate && m.x_m == verify_spot_.x_m && m.y_m == verify_spot_.y_m;
    });
    if (!verify_on_a_mark) marks.push_back(verify_spot_);
    diagram_->set_marks(marks);
    v->addWidget(diagram_, 1);
    last_reading_ = new QLabel(measure_page_);
    last_reading_->setObjectName("lastReading");
    last_reading_->setWordWrap(true);
    v->addWidget(last_reading_);
  }
  pages_->addWidget(measure_page_);

  // Solve: gains and residuals.
  solve_page_ = new QWidget(pages_);
  {
    auto* v = new QVBoxLayout(solve_page_);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(caption(tr("Gain of every load cell"), solve_page_));
    solve_gains_ = make_table({tr("Cell"), tr("Before (N/count)"), tr("After (N/count)"), tr("Change")}, "solveGainsTable",
                              solve_page_);
    v->addWidget(solve_gains_);
    v->addWidget(caption(tr("Each placement: error with the gains before, and what the new gains leave (residual)"),
                         solve_page_));
    residuals_ = make_table({tr("Placement"), tr("Before: force"), tr("Before: COP"), tr("Residual: force"),
                             tr("Residual: COP")},
                            "residualsTable", solve_page_);
    v->addWidget(residuals_);
    fit_summary_ = new QLabel(solve_page_);
    fit_summary_->setObjectName("fitSummary");
    fit_summary_->setWordWrap(true);
    v->addWidget(fit_summary_);
    v->addStretch(1);
  }
  pages_->addWidget(solve_page_);

  // Result.
  result_page_ = new QWidget(pages_);
  {
    auto* v = new QVBoxLayout(result_page_);
    v->setContentsMargins(0, 0, 0, 0);
    verdict_ = new QLabel(result_page_);
    verdict_->setObjectName("verdict");
    QFont vf = verdict_->font();
    vf.setPointSizeF(vf.pointSizeF() * 1.6);
    vf.setBold(true);
    verdict_->setFont(vf);
    v->addWidget(verdict_);
    verdict_detail_ = new QLabel(result_page_);
    verdict_detail_->setObjectName("verdictDetail");
    verdict_detail_->setWordWrap(true);
    v->addWidget(verdict_detail_);
    v->addWidget(caption(tr("Gain of every load cell"), result_page_));
    result_gains_ = make_table({tr("Cell"), tr("Before (N/count)"), tr("After (N/count)"), tr("Change")},
                               "resultGainsTable", result_page_);
    v->addWidget(result_gains_);
    stored_ = new QLabel(result_page_);
    stored_->setObjectName("storedLabel");
    stored_->setWordWrap(true);
    stored_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(stored_);
    v->addStretch(1);
  }
  pages_->addWidget(result_page_);

  error_ = new QLabel(this);
  error_->setObjectName("errorLabel");
  error_->setWordWrap(true);
  error_->setStyleSheet("QLabel { color: #c62828; font-weight: bold; }");
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->hide();
  layout->addWidget(error_);

  auto* busy_row = new QHBoxLayout;
  busy_bar_ = new QProgressBar(this);
  busy_bar_->setRange(0, 0);  // "working", no percentage
  busy_bar_->setMaximumWidth(160);
  busy_bar_->setTextVisible(false);
  busy_label_ = new QLabel(tr("Measuring — keep clear of the plate…"), this);
  busy_row->addWidget(busy_bar_);
  busy_row->addWidget(busy_label_, 1);
  busy_bar_->hide();
  busy_label_->hide();
  layout->addLayout(busy_row);

  auto* buttons = new QHBoxLayout;
  if (source_.simulator() != nullptr) {
    sim_box_ = new QCheckBox(tr("Place the load for me (simulator)"), this);
    sim_box_->setObjectName("simulatorLoadBox");
    sim_box_->setChecked(options_.place_simulated_load);
    connect(sim_box_, &QCheckBox::toggled, this, [this](bool on) {
      if (on) place_step_load();
    });
    buttons->addWidget(sim_box_);
  }
  buttons->addStretch(1);
  restart_ = new QPushButton(tr("Start again"), this);
  restart_->setObjectName("restartButton");
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName("cancelButton");
  back_ = new QPushButton(tr("< Back"), this);
  back_->setObjectName("backButton");
  next_ = new QPushButton(this);
  next_->setObjectName("nextButton");
  next_->setDefault(true);
  buttons->addWidget(restart_);
  buttons->addWidget(cancel_);
  buttons->addWidget(back_);
  buttons->addWidget(next_);
  layout->addLayout(buttons);
  connect(next_, &QPushButton::clicked, this, [this] { on_next(); });
  connect(back_, &QPushButton::clicked, this, [this] { on_back(); });
  connect(cancel_, &QPushButton::clicked, this, [this] { reject(); });
  connect(restart_, &QPushButton::clicked, this, [this] { on_restart(); });

  poll_timer_ = new QTimer(this);
  poll_timer_->setInterval(50);
  connect(poll_timer_, &QTimer::timeout, this, [this] { poll(); });

  // --- the store, the previous calibration, the session; streaming stops here.
  QStringList status;
  status << tr("Plate %1: %2 plate(s), %3 Hz.")
                .arg(QString::fromStdString(device_.serial))
                .arg(device_.plates.size())
                .arg(fixed(device_.current_rate_hz, 0));
  QStringList problems;
  try {
    store_dir_ = options_.store_dir.empty() ? acq::default_calibration_dir() : options_.store_dir;
  } catch (const std::exception& e) {
    problems << tr("No folder for calibrations: %1").arg(QString::fromStdString(e.what()));
  }
  if (!store_dir_.empty()) {
    try {
      previous_ = acq::load_calibration(store_dir_, device_.serial);
    } catch (const std::exception& e) {
      problems << tr("The stored calibration cannot be read (%1); the plate's own gains are checked against instead.")
                      .arg(QString::fromStdString(e.what()));
    }
    if (previous_) {
      status << tr("Current calibration: %1, in %2.")
                    .arg(QString::fromStdString(previous_->date_utc))
                    .arg(QString::fromStdString(acq::calibration_file(store_dir_, device_.serial).string()));
      for (const std::string& w : acq::calibration_warnings(*previous_, std::chrono::system_clock::now())) {
        status << tr("Warning: %1").arg(QString::fromStdString(w));
      }
    } else {
      status << tr("No calibration of this plate is stored in %1 yet: the gains the plate reports are in use.")
                    .arg(QString::fromStdString(store_dir_.string()));
    }
  }
  intro_status_->setText(status.join("\n"));

  try {
    acq::DeviceConnection& connection = source_.connection();
    stopped_streaming_ = true;  // from here on, closing restarts it (even if stopping fails half-way)
    connection.stop_streaming();
    acq::CalibrationSessionOptions so = options_.session;
    if (!previous_ && connection.is_text_plate()) so.calibration.max_force_deviation = 0;
    session_ = std::make_unique<acq::CalibrationSession>(connection, so);
    if (previous_) session_->use_gains_of(*previous_);
  } catch (const std::exception& e) {
    fatal_ = true;
    problems << tr("The plate cannot be calibrated now: %1").arg(QString::fromStdString(e.what()));
  }
  if (store_dir_.empty()) fatal_ = true;

  go_to(0);
  if (!problems.isEmpty()) show_error(problems.join("\n"));
}

CalibrationWizard::~CalibrationWizard() { close_down(); }

QWidget* CalibrationWizard::diagram() const { return diagram_; }

CalibrationWizard::StepKind CalibrationWizard::step_kind() const {
  return steps_[static_cast<std::size_t>(step_)].kind;
}

std::optional<acq::PlacementSpot> CalibrationWizard::current_spot() const {
  const Step& s = steps_[static_cast<std::size_t>(step_)];
  if (s.kind == StepKind::placement) return spot_list_[static_cast<std::size_t>(s.spot)];
  if (s.kind == StepKind::verification) return verify_spot_;
  return std::nullopt;
}

QString CalibrationWizard::plate_name(int plate) const {
  if (device_.plates.size() <= 1) return tr("the plate");
  return tr("plate %1 (%2)").arg(plate + 1).arg(plate == 0 ? tr("left") : tr("right"));
}

// "the front-left corner mark (150 mm left and 150 mm forward of the centre)", with the plate
// named when there are two.
QString CalibrationWizard::spot_phrase(const acq::PlacementSpot& s) const {
  QString text;
  if (s.label == "centre" && s.x_m == 0 && s.y_m == 0) {
    text = tr("the centre mark");
  } else {
    text = is_corner_label(s.label) ? tr("the %1 corner mark").arg(QString::fromStdString(s.label))
                                    : tr("the %1 mark").arg(QString::fromStdString(s.label));
    QStringList parts;
    if (s.x_m != 0) parts << tr("%1 mm %2").arg(fixed(std::abs(s.x_m) * 1000, 0)).arg(s.x_m < 0 ? tr("left") : tr("right"));
    if (s.y_m != 0) parts << tr("%1 mm %2").arg(fixed(std::abs(s.y_m) * 1000, 0)).arg(s.y_m < 0 ? tr("back") : tr("forward"));
    if (!parts.isEmpty()) text += tr(" (%1 of the centre)").arg(parts.join(tr(" and ")));
  }
  if (device_.plates.size() > 1) text += tr(" of %1").arg(plate_name(s.plate));
  return text;
}

QString CalibrationWizard::step_name() const {
  const Step& s = steps_[static_cast<std::size_t>(step_)];
  switch (s.kind) {
    case StepKind::intro: return tr("Before you start");
    case StepKind::zero: return device_.plates.size() > 1 ? tr("Zero the empty plates") : tr("Zero the empty plate");
    case StepKind::placement: {
      const acq::PlacementSpot& spot = spot_list_[static_cast<std::size_t>(s.spot)];
      QString name = capitalised(QString::fromStdString(spot.label));
      if (is_corner_label(spot.label)) name += tr(" corner");
      if (device_.plates.size() > 1) name += tr(", plate %1").arg(spot.plate + 1);
      return name;
    }
    case StepKind::solve: return tr("New gains");
    case StepKind::verification: return tr("Verification");
    case StepKind::result: return tr("Result");
  }
  return {};
}

double CalibrationWizard::mass() const { return mass_->value(); }
double CalibrationWizard::verify_mass() const { return options_.verify_mass_kg > 0 ? options_.verify_mass_kg : mass(); }

void CalibrationWizard::go_to(int step) {
  step_ = std::clamp(step, 0, step_count() - 1);
  const Step& s = steps_[static_cast<std::size_t>(step_)];
  title_->setText(tr("Step %1 of %2: %3").arg(step_ + 1).arg(step_count()).arg(step_name()));
  show_error({});
  last_reading_->clear();
  switch (s.kind) {
    case StepKind::intro:
      pages_->setCurrentWidget(intro_page_);
      instruction_->setText(tr("Calibrate the load cells of %1 with one known mass: about two minutes.")
                                .arg(QString::fromStdString(device_.serial)));
      break;
    case StepKind::zero:
      pages_->setCurrentWidget(measure_page_);
      diagram_->set_target(std::nullopt, true);
      instruction_->setText(tr("Take everything off %1: nothing and nobody on it. Step back, then press "
                               "Measure. One second is averaged and taken as the zero.")
                                .arg(device_.plates.size() > 1 ? tr("both plates") : tr("the plate")));
      break;
    case StepKind::placement: {
      const acq::PlacementSpot& spot = spot_list_[static_cast<std::size_t>(s.spot)];
      pages_->setCurrentWidget(measure_page_);
      diagram_->set_target(spot, false);
      instruction_->setText(tr("Place the %1 mass on %2, let go and step back. Then press Measure.")
                                .arg(kg(mass()))
                                .arg(spot_phrase(spot)));
      break;
    }
    case StepKind::solve:
      pages_->setCurrentWidget(solve_page_);
      instruction_->setText(tr("The new gain of every cell, from the %1 placements. The residuals show how well "
                               "the new gains explain all placements at once: they should be well under 0.1 % "
                               "and 1 mm. Press Next to check them with the mass.")
                                .arg(placements_.size()));
      break;
    case StepKind::verification:
      pages_->setCurrentWidget(measure_page_);
      diagram_->set_target(verify_spot_, false);
      instruction_->setText(tr("Check: place the %1 mass on %2, let go and step back. Then press Measure. Read "
                               "with the new gains it must be within %3 % and %4 mm.")
                                .arg(kg(verify_mass()))
                                .arg(spot_phrase(verify_spot_))
                                .arg(fixed(100 * options_.tolerances.force_fraction, 1))
                                .arg(fixed(1000 * options_.tolerances.cop_m, 1)));
      break;
    case StepKind::result:
      pages_->setCurrentWidget(result_page_);
      fill_result();
      break;
  }
  place_step_load();
  update_buttons();
}

void CalibrationWizard::place_step_load() {
  sim::Simulator* simulator = source_.simulator();
  if (simulator == nullptr || sim_box_ == nullptr || !sim_box_->isChecked() || closed_) return;
  const Step& s = steps_[static_cast<std::size_t>(step_)];
  switch (s.kind) {
    case StepKind::zero:
    case StepKind::result:
      simulator->place_load(sim::BodyState{});
      break;
    case StepKind::placement:
      simulator->place_load(mass_at(spot_list_[static_cast<std::size_t>(s.spot)], mass()));
      break;
    case StepKind::verification:
      simulator->place_load(mass_at(verify_spot_, verify_mass()));
      break;
    case StepKind::intro:
    case StepKind::solve:
      return;  // the scenario before the calibration; the last mass stays while solving
  }
  placed_any_load_ = true;
}

void CalibrationWizard::show_error(const QString& text) {
  error_->setText(text);
  error_->setVisible(!text.isEmpty());
}

void CalibrationWizard::update_buttons() {
  const bool working = busy();
  const StepKind kind = step_kind();
  const bool stored = stored_file_.has_value();

  busy_bar_->setVisible(working);
  busy_label_->setVisible(working);

  switch (kind) {
    case StepKind::intro: next_->setText(tr("Start")); break;
    case StepKind::zero:
    case StepKind::placement:
    case StepKind::verification: next_->setText(tr("Measure")); break;
    case StepKind::solve: next_->setText(tr("Next >")); break;
    case StepKind::result:
      next_->setText(!stored && record_ && !record_->verifications.empty() && record_->verifications.back().passed
                         ? tr("Store again")
                         : tr("Finish"));
      break;
  }
  bool next_ok = !fatal_ && !closed_;
  if (kind == StepKind::solve) next_ok = next_ok && record_.has_value() && !solve_failed_;
  if (kind == StepKind::result) next_ok = !closed_;
  next_->setEnabled(next_ok && !working);
  back_->setEnabled(!working && !closed_ && !fatal_ && kind != StepKind::intro && !(kind == StepKind::result && stored));
  cancel_->setVisible(kind != StepKind::result || !stored);
  cancel_->setEnabled(!working && !closed_);
  restart_->setVisible((kind == StepKind::solve || kind == StepKind::result || kind == StepKind::verification) && !stored);
  restart_->setEnabled(!working && !closed_ && !fatal_);
  mass_->setEnabled(!working && kind == StepKind::intro);
  if (sim_box_ != nullptr) sim_box_->setEnabled(!working && !closed_);
}

void CalibrationWizard::on_next() {
  if (busy() || closed_) return;
  switch (step_kind()) {
    case StepKind::intro:
      go_to(step_ + 1);
      break;
    case StepKind::zero:
    case StepKind::placement:
    case StepKind::verification:
      start_measuring();
      break;
    case StepKind::solve:
      if (record_ && !solve_failed_) go_to(step_ + 1);
      break;
    case StepKind::result:
      if (!stored_file_ && record_ && !record_->verifications.empty() && record_->verifications.back().passed) {
        store();  // a storing that failed: try again
        fill_result();
        update_buttons();
        return;
      }
      if (stored_file_) {
        accept();
      } else {
        reject();
      }
      break;
  }
}

void CalibrationWizard::on_back() {
  if (busy() || closed_) return;
  switch (step_kind()) {
    case StepKind::intro:
      return;
    case StepKind::zero:
    case StepKind::verification:
      go_to(step_ - 1);
      return;
    case StepKind::placement:
    case StepKind::solve:
      // Back to the previous placement, to measure it again.
      if (steps_[static_cast<std::size_t>(step_ - 1)].kind == StepKind::placement && !placements_.empty()) {
        placements_.pop_back();
      }
      record_.reset();
      solve_failed_ = false;
      go_to(step_ - 1);
      return;
    case StepKind::result:
      if (!stored_file_) go_to(step_ - 1);  // verify again
      return;
  }
}

void CalibrationWizard::on_restart() {
  if (busy() || closed_ || stored_file_) return;
  placements_.clear();
  record_.reset();
  solve_failed_ = false;
  go_to(1);
}

void CalibrationWizard::start_measuring() {
  if (!session_ || busy()) return;
  place_step_load();
  show_error({});
  acq::CalibrationSession* session = session_.get();
  const Step step = steps_[static_cast<std::size_t>(step_)];
  switch (step.kind) {
    case StepKind::zero:
      pending_ = std::async(std::launch::async, [session] {
        session->zero();
        return Measured{};
      });
      break;
    case StepKind::placement: {
      const acq::PlacementSpot spot = spot_list_[static_cast<std::size_t>(step.spot)];
      const double m = mass();
      pending_ = std::async(std::launch::async, [session, spot, m] {
        Measured out;
        out.placement = session->measure(spot, m);  // a copy: the session's vector may grow
        return out;
      });
      break;
    }
    case StepKind::verification: {
      if (!record_) return;
      const acq::CalibrationRecord record = *record_;
      const acq::PlacementSpot spot = verify_spot_;
      const double m = verify_mass();
      const acq::Tolerances tolerances = options_.tolerances;
      pending_ = std::async(std::launch::async, [session, record, spot, m, tolerances] {
        Measured out;
        out.verification = session->verify(record, spot, m, tolerances);
        return out;
      });
      break;
    }
    default:
      return;
  }
  poll_timer_->start();
  update_buttons();
}

void CalibrationWizard::poll() {
  if (!pending_.valid()) {
    poll_timer_->stop();
    return;
  }
  if (pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  poll_timer_->stop();
  try {
    Measured m = pending_.get();
    finish_measuring(std::move(m));
  } catch (const acq::CalibrationError& e) {
    show_error(tr("Not accepted: %1. Put it right and press Measure again.").arg(QString::fromStdString(e.what())));
  } catch (const std::exception& e) {
    show_error(tr("The measurement failed: %1. Check the plate's cable and press Measure again.")
                   .arg(QString::fromStdString(e.what())));
  }
  update_buttons();
}

void CalibrationWizard::finish_measuring(Measured m) {
  switch (step_kind()) {
    case StepKind::zero:
      placements_.clear();  // a new zero: the session dropped its placements too
      record_.reset();
      go_to(step_ + 1);
      last_reading_->setText(tr("Zeroed."));
      return;
    case StepKind::placement: {
      if (!m.placement) return;
      const acq::Placement& p = *m.placement;
      placements_.push_back(p);
      const acq::PlateSpec& plate = session_->current().plates[static_cast<std::size_t>(p.spot.plate)];
      const acq::PlacementReading r = acq::read_placement(plate, p);
      const double weight = p.mass_kg * options_.session.calibration.gravity_m_s2;
      QString where = QString::fromStdString(p.spot.label);
      if (device_.plates.size() > 1) where += tr(", plate %1").arg(p.spot.plate + 1);
      const QString reading = tr("Last step (%1): %2 N with the current gains, %3 % of the mass's weight.")
                                  .arg(where)
                                  .arg(fixed(r.force_n, 2))
                                  .arg(signed_fixed(100 * (r.force_n - weight) / weight, 2));
      go_to(step_ + 1);
      last_reading_->setText(reading);
      if (step_kind() == StepKind::solve) solve();
      return;
    }
    case StepKind::verification: {
      if (!m.verification || !record_) return;
      record_->verifications.push_back(*m.verification);
      if (m.verification->passed) store();
      go_to(step_ + 1);
      return;
    }
    default:
      return;
  }
}

void CalibrationWizard::solve() {
  solve_failed_ = false;
  record_.reset();
  try {
    record_ = acq::calibrate(session_->current(), placements_, options_.session.calibration);
  } catch (const std::exception& e) {
    solve_failed_ = true;
    show_error(tr("The gains cannot be computed: %1. Press Back to measure the last placement again, or Start "
                  "again.")
                   .arg(QString::fromStdString(e.what())));
  }
  fill_gains(solve_gains_);
  fill_residuals();
  update_buttons();
}

void CalibrationWizard::store() {
  if (!record_) return;
  try {
    stored_file_ = acq::save_calibration(*record_, store_dir_);
  } catch (const std::exception& e) {
    show_error(tr("The calibration could not be stored: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  try {
    source_.connection().use_calibration(*record_);
  } catch (const std::exception& e) {
    show_error(tr("Stored, but the live view could not switch to it: %1").arg(QString::fromStdString(e.what())));
  }
}

void CalibrationWizard::fill_gains(QTableWidget* t) const {
  t->setRowCount(0);
  if (!record_) {
    fit_height(t);
    return;
  }
  int row = 0;
  for (std::size_t k = 0; k < record_->plates.size() && k < device_.plates.size(); ++k) {
    const acq::PlateCalibration& pc = record_->plates[k];
    for (std::size_t c = 0; c < acq::kCellsPerPlate; ++c) {
      const double g0 = pc.previous_gains_n_per_count[c];
      const double g1 = pc.fit.gains_n_per_count[c];
      const double change = g0 > 0 ? 100 * (g1 / g0 - 1) : 0;
      QString name = cell_name(device_.plates[k].cells[c]);
      if (record_->plates.size() > 1) name = tr("plate %1, %2").arg(k + 1).arg(name);
      t->insertRow(row);
      set_cell(t, row, 0, name, false);
      set_cell(t, row, 1, QString::number(g0, 'e', 5));
      set_cell(t, row, 2, QString::number(g1, 'e', 5));
      // Tens of per cent mean a faulty cell or wiring (docs/calibration.md).
      set_cell(t, row, 3, signed_fixed(change, 2) + " %" + (std::abs(change) >= 10 ? tr("  (check this cell)") : ""));
      ++row;
    }
  }
  fit_height(t);
}

void CalibrationWizard::fill_residuals() {
  residuals_->setRowCount(0);
  if (!record_) {
    fit_summary_->clear();
    fit_height(residuals_);
    return;
  }
  const acq::DeviceDescription& before = session_->current();
  QStringList summary;
  int row = 0;
  for (std::size_t k = 0; k < record_->plates.size(); ++k) {
    const acq::PlateFit& fit = record_->plates[k].fit;
    std::size_t r = 0;
    for (const acq::Placement& p : placements_) {
      if (p.spot.plate != static_cast<int>(k)) continue;
      const double weight = p.mass_kg * record_->gravity_m_s2;
      const acq::PlacementReading b = acq::read_placement(before.plates[k], p);
      QString name = QString::fromStdString(p.spot.label);
      if (record_->plates.size() > 1) name = tr("plate %1, %2").arg(k + 1).arg(name);
      residuals_->insertRow(row);
      set_cell(residuals_, row, 0, name, false);
      set_cell(residuals_, row, 1, signed_fixed(100 * (b.force_n - weight) / weight, 2) + " %");
      set_cell(residuals_, row, 2, fixed(1000 * std::hypot(b.cop_x_m - p.spot.x_m, b.cop_y_m - p.spot.y_m), 1) + " mm");
      if (r < fit.residuals.size()) {
        const acq::Residual& res = fit.residuals[r];
        set_cell(residuals_, row, 3,
                 signed_fixed(res.force_n, 3) + " N (" + signed_fixed(100 * res.force_n / weight, 3) + " %)");
        set_cell(residuals_, row, 4, fixed(1000 * std::hypot(res.cop_x_m, res.cop_y_m), 2) + " mm");
      }
      ++r;
      ++row;
    }
    summary << tr("%1fit: rms force residual %2 N, largest centre-of-pressure residual %3 mm, conditioning %4 "
                  "(0 to 1; below 0.001 is refused).")
                   .arg(record_->plates.size() > 1 ? tr("Plate %1 ").arg(k + 1) : QString())
                   .arg(fixed(fit.rms_force_residual_n, 3))
                   .arg(fixed(1000 * fit.max_cop_residual_m, 2))
                   .arg(fixed(fit.conditioning, 3));
  }
  fit_summary_->setText(summary.join("\n"));
  fit_height(residuals_);
}

void CalibrationWizard::fill_result() {
  fill_gains(result_gains_);
  if (!record_ || record_->verifications.empty()) {
    verdict_->clear();
    verdict_detail_->clear();
    stored_->clear();
    return;
  }
  const acq::VerificationResult& v = record_->verifications.back();
  verdict_->setText(v.passed ? tr("✔ PASS: the verification is within tolerance")
                             : tr("✘ FAIL: the verification is out of tolerance"));
  verdict_->setStyleSheet(QString("QLabel { color: %1; }").arg((v.passed ? kPass : kFail).name()));
  verdict_detail_->setText(
      tr("%1 on %2: force %3 N, expected %4 N, error %5 % (tolerance %6 %); centre of pressure %7 mm from the mark "
         "(tolerance %8 mm).")
          .arg(kg(v.mass_kg))
          .arg(spot_phrase(v.spot))
          .arg(fixed(v.measured_force_n, 2))
          .arg(fixed(v.expected_force_n, 2))
          .arg(signed_fixed(v.force_error_pct, 2))
          .arg(fixed(100 * v.tolerances.force_fraction, 2))
          .arg(fixed(1000 * v.cop_error_m, 1))
          .arg(fixed(1000 * v.tolerances.cop_m, 1)));
  if (stored_file_) {
    QString text = tr("Stored in %1. The live view uses the new gains from now on.")
                       .arg(QString::fromStdString(stored_file_->string()));
    if (previous_ && previous_->date_utc != record_->date_utc) {
      text += tr(" The previous calibration (%1) was kept in %2.")
                  .arg(QString::fromStdString(previous_->date_utc))
                  .arg(QString::fromStdString((store_dir_ / "history").string()));
    }
    stored_->setText(text + tr("\nTake the mass off the plate and press Finish."));
    instruction_->setText(tr("The calibration of %1 is done.").arg(QString::fromStdString(record_->serial)));
  } else if (!v.passed) {
    stored_->setText(tr("Nothing was stored: the plate keeps its previous gains. Check the mass (that it is the one "
                        "entered, %1) and the mark, then press Back to verify again, or Start again to calibrate "
                        "again.")
                         .arg(kg(mass())));
    instruction_->setText(tr("The verification failed."));
  } else {
    stored_->setText(tr("Not stored (see the error above). Press Store again, or Cancel to leave the plate as it was."));
    instruction_->setText(tr("The verification passed, but the calibration is not stored yet."));
  }
}

void CalibrationWizard::reject() {
  if (busy()) return;  // Cancel is disabled while measuring; Escape and the close box wait too
  QDialog::reject();
}

void CalibrationWizard::done(int result) {
  close_down();
  QDialog::done(result);
}

void CalibrationWizard::close_down() {
  if (closed_) return;
  closed_ = true;
  if (poll_timer_ != nullptr) poll_timer_->stop();
  if (pending_.valid()) {
    try {
      pending_.get();  // a measurement under way: it ends within the session's timeout
    } catch (...) {
      // nothing to show any more
    }
  }
  sim::Simulator* simulator = source_.simulator();
  if (simulator != nullptr && placed_any_load_) simulator->place_load(std::nullopt);  // the scenario again
  if (stopped_streaming_) {
    stopped_streaming_ = false;
    try {
      source_.connection().start_streaming();
    } catch (const std::exception& e) {
      show_error(tr("Streaming could not be restarted: %1").arg(QString::fromStdString(e.what())));
    }
  }
  if (next_ != nullptr) update_buttons();
}

}  // namespace fp::gui
