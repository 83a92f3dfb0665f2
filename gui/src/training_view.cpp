#include "forceplate/gui/training_view.hpp"

#include <QComboBox>
#include <QDate>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFont>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPaintEvent>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <initializer_list>

#include "forceplate/gui/live_series_buffer.hpp"
#include "forceplate/workflow/recorder.hpp"
#include "forceplate/workflow/trial_analysis.hpp"
#include "forceplate/workflow/trial_samples.hpp"

namespace fp::gui {

namespace {

const QColor kInZone(46, 125, 50);       // green
const QColor kOutOfZone(239, 108, 0);    // orange
const QColor kZoneFill(165, 214, 167, 150);
const QColor kGrid(224, 224, 224);
const QColor kAxis(150, 150, 150);
const QColor kText(50, 50, 50);

QString fixed(double v, int decimals) { return QString::number(v, 'f', decimals); }
QString signed_fixed(double v, int decimals) {
  const QString s = fixed(v, decimals);
  return v >= 0 ? "+" + s : QString(s).replace('-', QChar(0x2212));
}

QString side_name(analysis::Side s) { return s == analysis::Side::left ? QObject::tr("left") : QObject::tr("right"); }

QLabel* make_number(const QString& object_name, QWidget* parent) {
  auto* label = new QLabel(QStringLiteral("—"), parent);
  label->setObjectName(object_name);
  QFont f = label->font();
  f.setPointSizeF(30);
  f.setBold(true);
  label->setFont(f);
  label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return label;
}

QWidget* make_card(const QString& caption, QLabel* value, QWidget* parent) {
  auto* card = new QFrame(parent);
  card->setFrameShape(QFrame::StyledPanel);
  auto* layout = new QVBoxLayout(card);
  layout->setContentsMargins(10, 6, 10, 6);
  layout->setSpacing(0);
  auto* cap = new QLabel(caption, card);
  QFont f = cap->font();
  f.setPointSizeF(13);
  cap->setFont(f);
  layout->addWidget(cap);
  value->setParent(card);
  layout->addWidget(value);
  return card;
}

}  // namespace

// The painted square (cop-target) or bar (weight-share). Geometry is computed from the current
// size on demand, so that tests can ask where the marker is without a paint.
class TrainingTargetArea : public QWidget {
 public:
  TrainingTargetArea(const workflow::TrainingDefinition& d, const workflow::TrainingLiveState& s, QWidget* parent)
      : QWidget(parent), def_(d), state_(s) {
    setObjectName("trainingTarget");
    setMinimumSize(420, 260);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, Qt::white);
    setPalette(p);
  }

  bool cop() const { return def_.mode == workflow::TrainingMode::cop_target; }

  double half_mm() const {
    const double reach = std::max(std::abs(def_.target_x_m), std::abs(def_.target_y_m)) + def_.target_radius_m;
    return nice_ceil(std::max(50.0, 1.25 * reach * 1000));
  }

  QRectF plot() const {
    const double w = width(), h = height();
    if (cop()) {
      const double left = 70, right = 20, top = 34, bottom = 62;
      const double side = std::max(40.0, std::min(w - left - right, h - top - bottom));
      return QRectF(left + (w - left - right - side) / 2, top + (h - top - bottom - side) / 2, side, side);
    }
    const double margin = 50;
    const double bar_h = std::clamp(h * 0.22, 50.0, 110.0);
    return QRectF(margin, h * 0.48 - bar_h / 2, std::max(40.0, w - 2 * margin), bar_h);
  }

  QPointF to_px(double x, double y) const {
    const QRectF r = plot();
    if (cop()) {
      const double hm = half_mm();
      return {r.left() + (x + hm) / (2 * hm) * r.width(), r.bottom() - (y + hm) / (2 * hm) * r.height()};
    }
    return {r.left() + x / 100 * r.width(), r.center().y()};
  }

  bool marker_visible() const { return state_.started && state_.has_value; }

  QPointF marker() const {
    if (!marker_visible()) return {};
    const QRectF r = plot();
    const QPointF p = cop() ? to_px(state_.cop_x_m * 1000, state_.cop_y_m * 1000) : to_px(state_.share_percent, 0);
    // Off the square or the bar: shown at its edge.
    return {std::clamp(p.x(), r.left(), r.right()), std::clamp(p.y(), r.top(), r.bottom())};
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    if (cop()) {
      paint_cop(p);
    } else {
      paint_share(p);
    }
  }

 private:
  void paint_cop(QPainter& p) {
    const QRectF r = plot();
    const double hm = half_mm();
    const double step = hm / 2;
    p.fillRect(r, QColor(250, 250, 250));
    QFont small = font();
    small.setPointSizeF(11);
    p.setFont(small);
    const QFontMetricsF fm(small);
    for (int i = -2; i <= 2; ++i) {
      const double v = i * step;
      const QPointF a = to_px(v, -hm), b = to_px(-hm, v);
      p.setPen(QPen(i == 0 ? kAxis : kGrid, i == 0 ? 1.5 : 1.0));
      p.drawLine(QPointF(a.x(), r.top()), QPointF(a.x(), r.bottom()));
      p.drawLine(QPointF(r.left(), b.y()), QPointF(r.right(), b.y()));
      p.setPen(kText);
      const QString label = fixed(v, step < 1 ? 1 : 0);
      p.drawText(QRectF(a.x() - 40, r.bottom() + 4, 80, fm.height()), Qt::AlignHCenter | Qt::AlignTop, label);
      p.drawText(QRectF(r.left() - 48, b.y() - fm.height() / 2, 42, fm.height()), Qt::AlignRight | Qt::AlignVCenter, label);
    }
    p.setPen(QPen(kAxis, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);

    // Axis titles, with the directions the patient feels.
    QFont title = font();
    title.setPointSizeF(12);
    p.setFont(title);
    p.setPen(kText);
    const QFontMetricsF tm(title);
    const bool left_foot = def_.involved_side == analysis::Side::left;
    const QString ml = tr("Mediolateral (mm)   ←  %1        %2  →")
                           .arg(left_foot ? tr("lateral") : tr("medial"), left_foot ? tr("medial") : tr("lateral"));
    p.drawText(QRectF(r.left() - 40, r.bottom() + 6 + fm.height(), r.width() + 80, tm.height() + 4),
               Qt::AlignHCenter | Qt::AlignTop, ml);
    p.save();
    p.translate(r.left() - 52 - tm.height() / 2, r.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-r.height() / 2, -tm.height() / 2, r.height(), tm.height() + 2), Qt::AlignCenter,
               tr("Anteroposterior (mm)   back  ←   →  forward"));
    p.restore();
    p.drawText(QRectF(r.left(), 4, r.width(), tm.height() + 4), Qt::AlignHCenter | Qt::AlignTop,
               tr("%1 foot, from the plate centre (view from above)").arg(left_foot ? tr("Left") : tr("Right")));

    // Target circle.
    p.save();
    p.setClipRect(r);
    const QPointF c = to_px(def_.target_x_m * 1000, def_.target_y_m * 1000);
    const double rad = def_.target_radius_m * 1000 / (2 * hm) * r.width();
    p.setPen(QPen(kInZone, 2.5));
    p.setBrush(kZoneFill);
    p.drawEllipse(c, rad, rad);
    p.setPen(QPen(kInZone, 1.5));
    p.drawLine(c + QPointF(-6, 0), c + QPointF(6, 0));
    p.drawLine(c + QPointF(0, -6), c + QPointF(0, 6));
    p.restore();

    paint_marker_or_message(p, r, tr("No load on the plate — step on with the %1 foot").arg(side_name(def_.involved_side)));
  }

  void paint_share(QPainter& p) {
    const QRectF r = plot();
    QFont small = font();
    small.setPointSizeF(12);
    p.setFont(small);
    const QFontMetricsF fm(small);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(238, 238, 238));
    p.drawRect(r);
    // The band.
    const QPointF a = to_px(def_.share_min_percent, 0), b = to_px(def_.share_max_percent, 0);
    p.setBrush(kZoneFill);
    p.setPen(QPen(kInZone, 2.5));
    p.drawRect(QRectF(a.x(), r.top(), b.x() - a.x(), r.height()));
    p.setPen(kInZone);
    p.drawText(QRectF(a.x() - 100, r.bottom() + 6 + 2 * fm.height(), b.x() - a.x() + 200, fm.height() + 2),
               Qt::AlignHCenter | Qt::AlignTop,
               tr("target %1–%2 %").arg(fixed(def_.share_min_percent, 0), fixed(def_.share_max_percent, 0)));
    // Ticks every 10 %.
    for (int v = 0; v <= 100; v += 10) {
      const QPointF t = to_px(v, 0);
      p.setPen(QPen(v == 50 ? kAxis.darker(130) : kAxis, v == 50 ? 2.0 : 1.0));
      p.drawLine(QPointF(t.x(), r.bottom()), QPointF(t.x(), r.bottom() + 6));
      if (v > 0 && v < 100) {
        p.setPen(QPen(QColor(255, 255, 255, 160), 1.0));
        p.drawLine(QPointF(t.x(), r.top()), QPointF(t.x(), r.bottom()));
      }
      p.setPen(kText);
      p.drawText(QRectF(t.x() - 30, r.bottom() + 6, 60, fm.height()), Qt::AlignHCenter | Qt::AlignTop, QString::number(v));
    }
    p.setPen(QPen(kAxis, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);
    QFont title = font();
    title.setPointSizeF(13);
    p.setFont(title);
    const QFontMetricsF tm(title);
    const QString involved = side_name(def_.involved_side);
    const QString other = side_name(def_.involved_side == analysis::Side::left ? analysis::Side::right : analysis::Side::left);
    p.setPen(kText);
    p.drawText(QRectF(0, r.bottom() + 10 + 3 * fm.height(), width(), tm.height() + 4), Qt::AlignHCenter | Qt::AlignTop,
               tr("Share of body weight on the %1 (involved) leg (%)").arg(involved));
    const double above = r.top() - 40 - tm.height();
    p.drawText(QRectF(r.left(), above, r.width() / 2, tm.height() + 4), Qt::AlignLeft | Qt::AlignTop,
               tr("←  more on the %1 leg").arg(other));
    p.drawText(QRectF(r.center().x(), above, r.width() / 2, tm.height() + 4), Qt::AlignRight | Qt::AlignTop,
               tr("more on the %1 leg  →").arg(involved));
    paint_marker_or_message(p, r, tr("Nobody on the plates — stand with one foot on each plate"));
  }

  void paint_marker_or_message(QPainter& p, const QRectF& r, const QString& message) {
    if (!state_.started && !state_.has_value && state_.samples == 0) {
      QFont f = font();
      f.setPointSizeF(16);
      p.setFont(f);
      p.setPen(QColor(120, 120, 120));
      p.drawText(r.adjusted(10, 10, -10, -10), Qt::AlignCenter | Qt::TextWordWrap,
                 tr("Waiting for the start"));
      return;
    }
    if (!marker_visible()) {
      QFont f = font();
      f.setPointSizeF(16);
      f.setBold(true);
      p.setFont(f);
      p.setPen(kOutOfZone.darker(120));
      p.drawText(r.adjusted(10, 10, -10, -10), Qt::AlignCenter | Qt::TextWordWrap, message);
      return;
    }
    const QColor colour = state_.in_zone ? kInZone : kOutOfZone;
    const QPointF m = marker();
    if (cop()) {
      p.setPen(QPen(Qt::white, 3));
      p.setBrush(colour);
      p.drawEllipse(m, 13, 13);
      return;
    }
    // A thick line through the bar with a triangle above and the share above it.
    p.setPen(QPen(colour, 7, Qt::SolidLine, Qt::FlatCap));
    p.drawLine(QPointF(m.x(), r.top() - 8), QPointF(m.x(), r.bottom() + 8));
    QPainterPath tri;
    tri.moveTo(m.x() - 12, r.top() - 30);
    tri.lineTo(m.x() + 12, r.top() - 30);
    tri.lineTo(m.x(), r.top() - 10);
    tri.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPath(tri);
  }

  const workflow::TrainingDefinition& def_;
  const workflow::TrainingLiveState& state_;
};

// ---------------------------------------------------------------------------------------------

TrainingView::TrainingView(QWidget* parent) : QWidget(parent) {
  setObjectName("trainingView");
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(8, 8, 8, 8);
  title_ = new QLabel(this);
  title_->setObjectName("trainingTitle");
  QFont tf = title_->font();
  tf.setPointSizeF(20);
  tf.setBold(true);
  title_->setFont(tf);
  title_->setWordWrap(true);
  outer->addWidget(title_);

  auto* row = new QHBoxLayout;
  area_ = new TrainingTargetArea(definition_, state_, this);
  row->addWidget(area_, 3);

  auto* numbers = new QVBoxLayout;
  zone_ = new QLabel(this);
  zone_->setObjectName("zoneStatus");
  QFont zf = zone_->font();
  zf.setPointSizeF(20);
  zf.setBold(true);
  zone_->setFont(zf);
  zone_->setAlignment(Qt::AlignCenter);
  zone_->setMinimumWidth(260);
  numbers->addWidget(zone_);
  value_ = new QLabel(this);
  value_->setObjectName("currentValue");
  QFont vf = value_->font();
  vf.setPointSizeF(15);
  value_->setFont(vf);
  value_->setAlignment(Qt::AlignCenter);
  value_->setMinimumHeight(static_cast<int>(QFontMetricsF(vf).lineSpacing() * 2) + 6);  // COP: two lines
  numbers->addWidget(value_);
  time_left_ = make_number("timeLeft", this);
  in_zone_ = make_number("inZonePercent", this);
  hold_ = make_number("currentHold", this);
  longest_ = make_number("longestHold", this);
  numbers->addWidget(make_card(tr("Time left"), time_left_, this));
  numbers->addWidget(make_card(tr("Time in the zone"), in_zone_, this));
  numbers->addWidget(make_card(tr("Holding now"), hold_, this));
  numbers->addWidget(make_card(tr("Longest hold"), longest_, this));
  numbers->addStretch(1);
  row->addLayout(numbers, 1);
  outer->addLayout(row, 1);
  set_definition(definition_);
}

TrainingView::~TrainingView() = default;

void TrainingView::set_definition(const workflow::TrainingDefinition& definition) {
  definition_ = definition;
  state_ = workflow::TrainingLiveState{};
  state_.mode = definition_.mode;
  state_.remaining_s = definition_.duration_s;
  if (definition_.mode == workflow::TrainingMode::cop_target) {
    title_->setText(tr("Stand on your %1 leg and keep the dot inside the green circle")
                        .arg(side_name(definition_.involved_side)));
  } else {
    title_->setText(tr("Keep %1–%2 % of your weight on your %3 leg: keep the marker in the green band")
                        .arg(fixed(definition_.share_min_percent, 0), fixed(definition_.share_max_percent, 0),
                             side_name(definition_.involved_side)));
  }
  update_numbers();
  area_->update();
}

void TrainingView::show_state(const workflow::TrainingLiveState& state) {
  const bool was_visible = area_->marker_visible();
  const QPointF was_at = area_->marker();
  const bool was_in = state_.in_zone;
  const bool was_started = state_.started;
  state_ = state;
  const QPointF now_at = area_->marker();
  if (was_visible != area_->marker_visible() || was_in != state_.in_zone || was_started != state_.started ||
      std::abs(now_at.x() - was_at.x()) >= 0.5 || std::abs(now_at.y() - was_at.y()) >= 0.5) {
    area_->update();  // repaint only what moved
  }
  update_numbers();
}

void TrainingView::update_numbers() {
  const workflow::TrainingLiveState& s = state_;
  const bool cop = definition_.mode == workflow::TrainingMode::cop_target;
  time_left_->setText(tr("%1 s").arg(fixed(std::ceil(s.remaining_s - 1e-9), 0)));
  if (s.samples == 0) {
    in_zone_->setText(QStringLiteral("— %"));
    hold_->setText(QStringLiteral("— s"));
    longest_->setText(QStringLiteral("— s"));
  } else {
    in_zone_->setText(tr("%1 %").arg(fixed(s.time_in_zone_percent, 0)));
    hold_->setText(tr("%1 s").arg(fixed(s.current_hold_s, 1)));
    longest_->setText(tr("%1 s").arg(fixed(s.longest_hold_s, 1)));
  }
  QString zone, style;
  if (s.finished) {
    zone = tr("Finished");
    style = "QLabel { background: #e3f2fd; color: #0d47a1; border-radius: 6px; padding: 8px; }";
  } else if (!s.started) {
    zone = tr("Waiting…");
    style = "QLabel { background: #eeeeee; color: #424242; border-radius: 6px; padding: 8px; }";
  } else if (s.in_zone) {
    zone = tr("In the zone");
    style = "QLabel { background: #2e7d32; color: white; border-radius: 6px; padding: 8px; }";
  } else {
    zone = tr("Out of the zone");
    style = "QLabel { background: #ef6c00; color: white; border-radius: 6px; padding: 8px; }";
  }
  zone_->setText(zone);
  if (zone_->styleSheet() != style) zone_->setStyleSheet(style);
  if (!s.started || !s.has_value) {
    value_->setText(cop ? tr("COP: —") : tr("Share: —"));
  } else if (cop) {
    value_->setText(tr("COP  ML %1 mm\nAP %2 mm").arg(signed_fixed(s.cop_x_m * 1000, 1), signed_fixed(s.cop_y_m * 1000, 1)));
  } else {
    value_->setText(tr("%1 % on the %2 leg").arg(fixed(s.share_percent, 1), side_name(definition_.involved_side)));
  }
}

bool TrainingView::marker_visible() const { return area_->marker_visible(); }
bool TrainingView::marker_in_zone_colour() const { return area_->marker_visible() && state_.in_zone; }
QPointF TrainingView::marker_px() const { return area_->marker(); }
QRectF TrainingView::plot_rect_px() const { return area_->plot(); }
QPointF TrainingView::value_to_px(double x, double y) const { return area_->to_px(x, y); }
double TrainingView::region_half_mm() const { return area_->half_mm(); }
QWidget* TrainingView::target_area() const { return area_; }

// ---------------------------------------------------------------------------------------------

namespace {

QDoubleSpinBox* make_spin(const QString& name, double lo, double hi, double value, int decimals, const QString& suffix,
                          QWidget* parent) {
  auto* s = new QDoubleSpinBox(parent);
  s->setObjectName(name);
  s->setRange(lo, hi);
  s->setDecimals(decimals);
  s->setValue(value);
  s->setSuffix(suffix);
  return s;
}

constexpr double kStartForceN = 150;  // the clock starts once someone stands on the plate(s)

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("trainingPanel");
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(10, 10, 10, 10);

  auto* bar = new QHBoxLayout;
  mode_ = new QComboBox(this);
  mode_->setObjectName("trainingMode");
  mode_->addItem(tr("COP target (single-leg stance)"), QString("cop-target"));
  mode_->addItem(tr("Weight share (two plates)"), QString("weight-share"));
  side_ = new QComboBox(this);
  side_->setObjectName("trainingSide");
  side_->addItem(tr("Left"), QString("left"));
  side_->addItem(tr("Right"), QString("right"));
  duration_ = make_spin("trainingDuration", 5, 600, 30, 0, tr(" s"), this);
  bar->addWidget(new QLabel(tr("Training:"), this));
  bar->addWidget(mode_);
  bar->addWidget(new QLabel(tr("Involved / stance leg:"), this));
  bar->addWidget(side_);
  bar->addWidget(new QLabel(tr("Duration:"), this));
  bar->addWidget(duration_);

  mode_settings_ = new QStackedWidget(this);
  auto* cop_page = new QWidget(mode_settings_);
  auto* cop_row = new QHBoxLayout(cop_page);
  cop_row->setContentsMargins(0, 0, 0, 0);
  target_x_ = make_spin("targetX", -150, 150, 0, 0, tr(" mm"), cop_page);
  target_y_ = make_spin("targetY", -150, 150, 0, 0, tr(" mm"), cop_page);
  radius_ = make_spin("targetRadius", 2, 100, 20, 0, tr(" mm"), cop_page);
  cop_row->addWidget(new QLabel(tr("Target ML"), cop_page));
  cop_row->addWidget(target_x_);
  cop_row->addWidget(new QLabel(tr("AP"), cop_page));
  cop_row->addWidget(target_y_);
  cop_row->addWidget(new QLabel(tr("radius"), cop_page));
  cop_row->addWidget(radius_);
  cop_row->addStretch(1);
  auto* share_page = new QWidget(mode_settings_);
  auto* share_row = new QHBoxLayout(share_page);
  share_row->setContentsMargins(0, 0, 0, 0);
  band_min_ = make_spin("bandMin", 0, 100, 45, 0, tr(" %"), share_page);
  band_max_ = make_spin("bandMax", 0, 100, 55, 0, tr(" %"), share_page);
  share_row->addWidget(new QLabel(tr("Band from"), share_page));
  share_row->addWidget(band_min_);
  share_row->addWidget(new QLabel(tr("to"), share_page));
  share_row->addWidget(band_max_);
  share_row->addStretch(1);
  mode_settings_->addWidget(cop_page);
  mode_settings_->addWidget(share_page);
  bar->addWidget(mode_settings_);
  start_ = new QPushButton(tr("Start"), this);
  start_->setObjectName("trainingStart");
  start_->setMinimumWidth(110);
  bar->addWidget(start_);
  bar->addStretch(1);
  outer->addLayout(bar);

  status_ = new QLabel(this);
  status_->setObjectName("trainingStatus");
  status_->setWordWrap(true);
  outer->addWidget(status_);
  view_ = new TrainingView(this);
  outer->addWidget(view_, 1);

  connect(mode_, &QComboBox::currentIndexChanged, this, [this](int i) {
    mode_settings_->setCurrentIndex(i);
    if (!running_) view_->set_definition(definition_from_controls());
  });
  connect(start_, &QPushButton::clicked, this, [this] {
    if (running_) {
      stop();
    } else {
      start();
    }
  });
  update_controls();
}

TrainingPanel::~TrainingPanel() = default;

void TrainingPanel::set_device(const acq::DeviceDescription* device) {
  if (device) {
    device_ = *device;
    if (!running_) {
      status_->setText(tr("Connected: %n plate(s). Choose the training and press Start.", nullptr,
                          static_cast<int>(device_->plates.size())));
    }
  } else {
    device_.reset();
    if (running_) stop();
  }
  update_controls();
}

workflow::TrainingDefinition TrainingPanel::definition_from_controls() const {
  workflow::TrainingDefinition d;
  d.mode = mode_->currentIndex() == 0 ? workflow::TrainingMode::cop_target : workflow::TrainingMode::weight_share;
  d.involved_side = side_->currentIndex() == 0 ? analysis::Side::left : analysis::Side::right;
  d.duration_s = duration_->value();
  d.target_x_m = target_x_->value() / 1000;
  d.target_y_m = target_y_->value() / 1000;
  d.target_radius_m = radius_->value() / 1000;
  d.share_min_percent = band_min_->value();
  d.share_max_percent = band_max_->value();
  d.start_force_n = kStartForceN;
  // Two plates: the stance foot stands on its own plate (plate 0 left, plate 1 right).
  const bool two = device_ && device_->plates.size() > 1;
  d.plate = two && d.involved_side == analysis::Side::right ? 1 : 0;
  return d;
}

bool TrainingPanel::start() { return start(definition_from_controls()); }

bool TrainingPanel::start(const workflow::TrainingDefinition& definition) {
  if (running_) return false;
  QString problem;
  if (!device_) {
    problem = tr("Connect a plate (or the built-in simulator) first.");
  } else if (definition.mode == workflow::TrainingMode::weight_share && device_->plates.size() < 2) {
    problem = tr("Weight-share training needs two plates, one under each foot; this device has one.");
  } else {
    try {
      const double rate = std::max(device_->current_rate_hz, device_->nominal_rate_hz);
      scorer_ = std::make_unique<workflow::TrainingScorer>(definition, rate);
    } catch (const std::exception& e) {
      problem = QString::fromStdString(e.what());
    }
  }
  if (!problem.isEmpty()) {
    status_->setText(tr("Cannot start: %1").arg(problem));
    return false;
  }
  running_ = true;
  last_stored_.reset();
  recording_ = data::Trial{};
  if (archive_) {
    workflow::describe_device(*device_, recording_);
    recording_.sample_rate_hz = scorer_->rate_hz();
    recording_.software_version = FP_SOFTWARE_VERSION;
  }
  view_->set_definition(definition);
  status_->setText(tr("Running: the clock starts when the patient stands on the plate (at least %1 N).")
                       .arg(fixed(definition.start_force_n, 0)));
  update_controls();
  return true;
}

void TrainingPanel::stop() {
  if (!running_) return;
  running_ = false;
  show_result();
  update_controls();
}

void TrainingPanel::set_archive_target(data::Archive* archive, SessionChooser session_for_run) {
  archive_ = archive;
  session_for_run_ = std::move(session_for_run);
  // A run already going keeps no samples: it is not stored.
  if (running_) recording_ = data::Trial{};
}

void TrainingPanel::feed(const acq::Sample& sample) {
  if (!running_) return;
  if (!scorer_->add(sample) || !archive_ || recording_.plates.empty() || !scorer_->live().started) return;
  // Kept from the sample that started the clock: the trial holds exactly what was scored.
  if (recording_.sequence.empty()) {
    acq::Sample first = sample;
    first.gap_before = 0;  // a gap before the trial is not part of it
    first.gap_kind = acq::GapKind::none;
    recording_.start_time_utc = workflow::utc_now_iso8601();
    workflow::append_sample(first, recording_);
  } else {
    workflow::append_sample(sample, recording_);
  }
}

void TrainingPanel::refresh() {
  if (!scorer_ || !running_) return;
  view_->show_state(scorer_->live());
  if (scorer_->finished()) stop();
}

void TrainingPanel::show_result() {
  if (!scorer_) return;
  view_->show_state(scorer_->live());
  const analysis::AnalysisResult r = scorer_->result();
  QStringList parts;
  for (const data::Measurement& m : workflow::to_measurements(r)) {
    if (m.name == "samples") continue;
    const int decimals = m.unit == "%" ? 0 : 1;
    parts << tr("%1 %2 %3").arg(QString::fromStdString(m.name).replace('_', ' '), std::isfinite(m.value) ? fixed(m.value, decimals) : "—",
                                QString::fromStdString(m.unit));
  }
  QString text = (scorer_->finished() ? tr("Finished: ") : tr("Stopped early: ")) + parts.join(QStringLiteral(" · "));
  for (const std::string& w : r.warnings) text += "\n" + tr("Note: %1").arg(QString::fromStdString(w));
  if (archive_) text += "\n" + store_run();
  status_->setText(text);
}

QString TrainingPanel::store_run() {
  data::Trial trial = std::move(recording_);
  recording_ = data::Trial{};
  if (!scorer_->finished()) return tr("Not stored: the training was stopped before its end.");
  if (trial.plates.empty() || trial.sequence.empty()) return tr("Not stored: no samples were kept for this run.");
  std::string session;
  try {
    session = session_for_run_ ? session_for_run_() : std::string();
  } catch (const std::exception& e) {
    return tr("Not stored: %1").arg(QString::fromUtf8(e.what()));
  }
  if (session.empty()) return tr("Not stored: choose a patient on the Clinic tab to keep training results.");
  scorer_->store_in(trial);
  try {
    last_stored_ = archive_->add_trial(session, trial, data::NewTrial{trial.side, ""});
  } catch (const std::exception& e) {
    return tr("Not stored: %1").arg(QString::fromUtf8(e.what()));
  }
  const QString id = QString::fromStdString(last_stored_->id);
  const QString sid = QString::fromStdString(last_stored_->session_id);
  emit trial_stored(id, sid);
  return tr("Stored as trial %1 of %2 (session %3).").arg(id, QString::fromStdString(last_stored_->patient_id), sid);
}

std::string session_for_today(data::Archive& archive, const std::string& patient_id) {
  const std::vector<data::Session> sessions = archive.list_sessions(patient_id);  // oldest first; throws for an unknown id
  if (!sessions.empty()) {
    const QDateTime started = QDateTime::fromString(QString::fromStdString(sessions.back().started_at_utc), Qt::ISODate);
    if (started.isValid() && started.toLocalTime().date() == QDate::currentDate()) return sessions.back().id;
  }
  data::Session s;
  s.patient_id = patient_id;
  return archive.add_session(s).id;
}

void TrainingPanel::update_controls() {
  start_->setText(running_ ? tr("Stop") : tr("Start"));
  start_->setEnabled(running_ || device_.has_value());
  for (QWidget* w : std::initializer_list<QWidget*>{mode_, side_, duration_, mode_settings_}) w->setEnabled(!running_);
  if (!running_ && !device_ && status_->text().isEmpty()) status_->setText(tr("Not connected: connect a plate (or the built-in simulator) in the bar above."));
}

}  // namespace fp::gui
