#include "forceplate/gui/patient_history.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

#include "forceplate/workflow/training.hpp"
#include "text_format.hpp"

namespace fp::gui {

namespace {

QString unit_text(const std::string& u) {
  if (u.empty()) return QStringLiteral("no unit");
  QString s = qs(u);
  s.replace(QStringLiteral("^2"), QStringLiteral("²"));
  return s;
}

// "jump_height_impulse" -> "Jump height impulse", "cop_mean_velocity" -> "COP mean velocity".
QString words(const std::string& name) {
  QStringList parts = qs(name).split('_', Qt::SkipEmptyParts);
  for (QString& w : parts) {
    if (w == QStringLiteral("cop") || w == QStringLiteral("rsi") || w == QStringLiteral("bw") || w == QStringLiteral("lsi") ||
        w == QStringLiteral("ml") || w == QStringLiteral("ap") || w == QStringLiteral("rfd")) {
      w = w.toUpper();
    }
  }
  QString s = parts.join(' ');
  if (!s.isEmpty()) s[0] = s[0].toUpper();
  return s;
}

QDateTime parse_utc(const std::string& iso) {
  QDateTime t = QDateTime::fromString(qs(iso), Qt::ISODate);
  if (!t.isValid()) t = QDateTime::fromString(qs(iso.substr(0, 10)), QStringLiteral("yyyy-MM-dd"));
  if (t.isValid() && t.timeSpec() != Qt::UTC) t.setTimeSpec(Qt::UTC);
  return t;
}

QString side_letter(std::optional<analysis::Side> s) {
  if (!s) return {};
  return *s == analysis::Side::left ? QStringLiteral("L") : QStringLiteral("R");
}

QString training_name(const std::string& test) {
  if (test == workflow::training_test_name(workflow::TrainingMode::cop_target)) return QStringLiteral("COP-target training");
  if (test == workflow::training_test_name(workflow::TrainingMode::weight_share)) return QStringLiteral("Weight-share training");
  return {};
}

bool is_training(const std::string& test) { return !training_name(test).isEmpty(); }

// ------------------------------------------------------------------ chart styling

// Series differ by line style and marker shape as well as colour, so that the chart reads in black
// and white.
enum class Shape { circle, square, triangle, diamond };

QImage marker_image(Shape shape, const QColor& colour, bool filled) {
  constexpr int kSize = 28;  // drawn large, scaled down to the marker size: smooth at any DPI
  QImage img(kSize, kSize, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::transparent);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(colour, 4.5));
  p.setBrush(filled ? QBrush(colour) : QBrush(Qt::white));
  const QRectF r(4, 4, kSize - 8, kSize - 8);
  switch (shape) {
    case Shape::circle:
      p.drawEllipse(r);
      break;
    case Shape::square:
      p.drawRect(r);
      break;
    case Shape::triangle: {
      QPainterPath path;
      path.moveTo(r.center().x(), r.top());
      path.lineTo(r.right(), r.bottom());
      path.lineTo(r.left(), r.bottom());
      path.closeSubpath();
      p.drawPath(path);
      break;
    }
    case Shape::diamond: {
      QPainterPath path;
      path.moveTo(r.center().x(), r.top());
      path.lineTo(r.right(), r.center().y());
      path.lineTo(r.center().x(), r.bottom());
      path.lineTo(r.left(), r.center().y());
      path.closeSubpath();
      p.drawPath(path);
      break;
    }
  }
  return img;
}

struct SeriesStyle {
  QColor colour;
  Qt::PenStyle line;
  Shape shape;
  bool filled;
};

QLineSeries* make_series(const QString& name, const SeriesStyle& style, const QList<QPointF>& points) {
  auto* s = new QLineSeries;
  s->setName(name);
  QPen pen(style.colour, 2.2, style.line);
  pen.setCapStyle(Qt::FlatCap);
  s->setPen(pen);
  s->setLightMarker(marker_image(style.shape, style.colour, style.filled));
  s->setMarkerSize(11);
  s->replace(points);
  return s;
}

const SeriesStyle kLeftStyle{QColor(31, 78, 153), Qt::SolidLine, Shape::circle, true};
const SeriesStyle kRightStyle{QColor(196, 84, 0), Qt::DashLine, Shape::square, false};
const SeriesStyle kBothStyle{QColor(40, 110, 50), Qt::SolidLine, Shape::diamond, true};

void clear_chart(QChart* chart) {
  chart->removeAllSeries();
  for (QAbstractAxis* a : chart->axes()) {
    chart->removeAxis(a);
    delete a;
  }
}

// A date axis over [first, last], padded so that the first and last points are not on the frame,
// with its ticks on round dates or times (QDateTimeAxis spaces its ticks evenly over the range, so
// the range is chosen to start on a round value and span a whole number of round steps): whole
// days (local midnight) and dates when the points span days, times of day when they lie within one.
QDateTimeAxis* make_time_axis(const QString& title, qint64 first_ms, qint64 last_ms) {
  constexpr qint64 kMinute = 60LL * 1000;
  constexpr qint64 kHour = 60 * kMinute;
  constexpr qint64 kDay = 24 * kHour;
  const qint64 span = std::max<qint64>(0, last_ms - first_ms);
  const qint64 pad = span == 0 ? kHour : std::max<qint64>(span / 12, 5 * kMinute);
  const qint64 lo = first_ms - pad, hi = last_ms + pad;
  static const qint64 kSteps[] = {5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute, kHour, 2 * kHour,
                                  3 * kHour,   6 * kHour,    12 * kHour,   kDay,         2 * kDay,  7 * kDay,
                                  14 * kDay,   28 * kDay,    56 * kDay,    91 * kDay,    182 * kDay, 364 * kDay};
  // Steps of a day or more start at local midnight.
  const qint64 offset = static_cast<qint64>(QDateTime::fromMSecsSinceEpoch(lo, Qt::UTC).toLocalTime().offsetFromUtc()) * 1000;
  const auto floor_div = [](qint64 a, qint64 b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
  qint64 start = lo, step = kSteps[std::size(kSteps) - 1];
  int ticks = 5;
  for (const qint64 st : kSteps) {
    const qint64 shift = st >= kDay ? offset : 0;
    const qint64 a = floor_div(lo + shift, st) * st - shift;
    const qint64 n = floor_div(hi - a + st - 1, st);  // steps needed to reach hi
    if (n <= 4) {  // at most five labels: they stay whole on a chart half a window wide
      start = a;
      step = st;
      ticks = static_cast<int>(std::max<qint64>(n, 2)) + 1;
      break;
    }
  }
  auto* axis = new QDateTimeAxis;
  axis->setTitleText(title);
  axis->setRange(QDateTime::fromMSecsSinceEpoch(start, Qt::UTC).toLocalTime(),
                 QDateTime::fromMSecsSinceEpoch(start + step * (ticks - 1), Qt::UTC).toLocalTime());
  axis->setFormat(step >= kDay ? QStringLiteral("d MMM yyyy") : QStringLiteral("d MMM HH:mm"));
  axis->setTickCount(ticks);
  axis->setGridLineVisible(true);
  return axis;
}

// A value axis over [lo, hi] with round ticks and as many decimals as the ticks need.
QValueAxis* make_value_axis(const QString& title, double lo, double hi, bool from_zero = false) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (from_zero) lo = std::min(0.0, lo);
  if (hi - lo <= 0) {
    const double d = hi == 0 ? 1 : std::fabs(hi) * 0.1;
    lo -= d;
    hi += d;
  } else {
    const double pad = (hi - lo) * 0.12;
    hi += pad;
    if (!(from_zero && lo == 0)) lo -= pad;
  }
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  axis->setRange(lo, hi);
  axis->setTickCount(6);
  axis->applyNiceNumbers();
  const double step = (axis->max() - axis->min()) / std::max(1, axis->tickCount() - 1);
  const int decimals = step > 0 ? std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 4) : 0;
  axis->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
  return axis;
}

QChart* make_chart() {
  auto* chart = new QChart;
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(4, 4, 4, 4));
  // The chart's own legend shows a line series' marker but not its line style: the page draws its
  // own below the chart (fill_legend).
  chart->legend()->hide();
  QFont f = chart->titleFont();
  f.setPointSizeF(11);
  f.setBold(true);
  chart->setTitleFont(f);
  return chart;
}

// A legend entry's picture: a piece of the series' line with its marker on it.
QPixmap legend_icon(const QLineSeries* s) {
  constexpr qreal kDpr = 2;
  QPixmap pm(QSize(46, 16) * static_cast<int>(kDpr));
  pm.setDevicePixelRatio(kDpr);
  pm.fill(Qt::transparent);
  QPainter p(&pm);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(s->pen());
  p.drawLine(QPointF(1, 8), QPointF(45, 8));
  p.drawImage(QRectF(23 - 6, 8 - 6, 12, 12), s->lightMarker());
  return pm;
}

// The legend row under a chart: one entry per series, line style and marker as drawn.
void fill_legend(QWidget* legend, const QList<QAbstractSeries*>& series) {
  for (QWidget* w : legend->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) delete w;
  auto* row = static_cast<QHBoxLayout*>(legend->layout());
  while (row->count() > 0) delete row->takeAt(0);
  row->addStretch(1);
  for (QAbstractSeries* a : series) {
    auto* s = qobject_cast<QLineSeries*>(a);
    if (!s) continue;
    auto* icon = new QLabel(legend);
    icon->setPixmap(legend_icon(s));
    row->addWidget(icon);
    row->addWidget(new QLabel(s->name(), legend));
    row->addSpacing(14);
  }
  row->addStretch(1);
}

QWidget* make_legend(QWidget* parent, const QString& name) {
  auto* legend = new QWidget(parent);
  legend->setObjectName(name);
  auto* row = new QHBoxLayout(legend);
  row->setContentsMargins(0, 0, 0, 0);
  row->setSpacing(4);
  return legend;
}

QTableWidgetItem* item(const QString& text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignTop) {
  auto* it = new QTableWidgetItem(text);
  it->setTextAlignment(align);
  return it;
}

}  // namespace

// ------------------------------------------------------------------ PatientHistoryPage

PatientHistoryPage::PatientHistoryPage(QWidget* parent) : QWidget(parent) {
  setObjectName("patientHistory");
  auto* v = new QVBoxLayout(this);
  header_ = new QLabel(this);
  header_->setObjectName("historyHeader");
  header_->setWordWrap(true);
  QFont hf = header_->font();
  hf.setPointSizeF(hf.pointSizeF() * 1.15);
  hf.setBold(true);
  header_->setFont(hf);
  v->addWidget(header_);

  auto* split = new QSplitter(Qt::Vertical, this);
  split->setChildrenCollapsible(false);

  auto* sessions_box = new QGroupBox(tr("Sessions"), split);
  auto* sv = new QVBoxLayout(sessions_box);
  sessions_ = new QTableWidget(0, kSessionColumns, sessions_box);
  sessions_->setObjectName("historySessions");
  sessions_->setHorizontalHeaderLabels({tr("Date"), tr("Trials"), tr("Tests done"),
                                        tr("Pain before → after (0–10)"), tr("Notes")});
  sessions_->verticalHeader()->setVisible(false);
  sessions_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  sessions_->setSelectionBehavior(QAbstractItemView::SelectRows);
  sessions_->setSelectionMode(QAbstractItemView::SingleSelection);
  sessions_->setAlternatingRowColors(true);
  sessions_->setWordWrap(true);
  sessions_->setToolTip(tr("Double-click a session to open its results"));
  QHeaderView* hh = sessions_->horizontalHeader();
  hh->setSectionResizeMode(kDate, QHeaderView::ResizeToContents);
  hh->setSectionResizeMode(kTrials, QHeaderView::ResizeToContents);
  hh->setSectionResizeMode(kTests, QHeaderView::Stretch);
  hh->setSectionResizeMode(kPain, QHeaderView::Stretch);
  hh->setSectionResizeMode(kNotes, QHeaderView::Stretch);
  sessions_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  sv->addWidget(sessions_);
  connect(sessions_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    if (row >= 0 && static_cast<std::size_t>(row) < rows_.size()) emit session_activated(qs(rows_[static_cast<std::size_t>(row)].session.id));
  });

  auto* charts = new QWidget(split);
  auto* ch = new QHBoxLayout(charts);
  ch->setContentsMargins(0, 0, 0, 0);

  auto* trend_box = new QGroupBox(tr("Trend over the sessions"), charts);
  auto* tv = new QVBoxLayout(trend_box);
  auto* pick = new QHBoxLayout;
  measure_box_ = new QComboBox(trend_box);
  measure_box_->setObjectName("historyMeasure");
  measure_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  measure_box_->setMinimumContentsLength(24);
  pick->addWidget(new QLabel(tr("Measure:"), trend_box));
  pick->addWidget(measure_box_, 1);
  tv->addLayout(pick);
  trend_chart_ = make_chart();
  trend_view_ = new QChartView(trend_chart_, trend_box);
  trend_view_->setObjectName("historyTrendChart");
  trend_view_->setRenderHint(QPainter::Antialiasing);
  trend_view_->setMinimumSize(360, 280);
  tv->addWidget(trend_view_, 1);
  trend_legend_ = make_legend(trend_box, QStringLiteral("historyTrendLegend"));
  tv->addWidget(trend_legend_);
  ch->addWidget(trend_box, 1);

  auto* training_box = new QGroupBox(tr("Training"), charts);
  auto* trv = new QVBoxLayout(training_box);
  training_chart_ = make_chart();
  training_view_ = new QChartView(training_chart_, training_box);
  training_view_->setObjectName("historyTrainingChart");
  training_view_->setRenderHint(QPainter::Antialiasing);
  training_view_->setMinimumSize(360, 280);
  trv->addWidget(training_view_, 1);
  training_legend_ = make_legend(training_box, QStringLiteral("historyTrainingLegend"));
  trv->addWidget(training_legend_);
  ch->addWidget(training_box, 1);

  split->addWidget(sessions_box);
  split->addWidget(charts);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  v->addWidget(split, 1);

  status_ = new QLabel(this);
  status_->setObjectName("historyStatus");
  status_->setWordWrap(true);
  v->addWidget(status_);

  connect(measure_box_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) update_trend();
  });
  clear();
}

PatientHistoryPage::~PatientHistoryPage() = default;

void PatientHistoryPage::clear() {
  patient_id_.clear();
  involved_side_.clear();
  rows_.clear();
  measures_.clear();
  training_.clear();
  header_->setText(tr("No patient selected"));
  sessions_->setRowCount(0);
  filling_ = true;
  measure_box_->clear();
  filling_ = false;
  status_->clear();
  update_trend();
  update_training_chart();
}

const TrendMeasure* PatientHistoryPage::selected_measure() const {
  const int i = measure_box_->currentIndex();
  if (i < 0 || static_cast<std::size_t>(i) >= measures_.size()) return nullptr;
  return &measures_[static_cast<std::size_t>(i)];
}

bool PatientHistoryPage::select_measure(const std::string& test, const std::string& measure) {
  for (std::size_t i = 0; i < measures_.size(); ++i) {
    if (measures_[i].test == test && measures_[i].measure == measure) {
      measure_box_->setCurrentIndex(static_cast<int>(i));
      return true;
    }
  }
  return false;
}

std::vector<QLineSeries*> PatientHistoryPage::trend_series() const {
  std::vector<QLineSeries*> out;
  for (QAbstractSeries* s : trend_chart_->series())
    if (auto* l = qobject_cast<QLineSeries*>(s)) out.push_back(l);
  return out;
}

std::vector<QLineSeries*> PatientHistoryPage::training_series() const {
  std::vector<QLineSeries*> out;
  for (QAbstractSeries* s : training_chart_->series())
    if (auto* l = qobject_cast<QLineSeries*>(s)) out.push_back(l);
  return out;
}

void PatientHistoryPage::show_patient(const data::Archive& archive, const std::string& patient_id,
                                      const workflow::DefinitionSet& definitions,
                                      const workflow::MeasureCatalog& catalog) {
  std::optional<TrendMeasure> keep;
  if (patient_id == patient_id_) {
    if (const TrendMeasure* m = selected_measure()) keep = *m;
  }
  clear();
  data::Patient patient;
  try {
    patient = archive.patient(patient_id);
  } catch (const std::exception& e) {
    status_->setText(tr("Cannot show patient %1: %2").arg(qs(patient_id), QString::fromUtf8(e.what())));
    return;
  }
  patient_id_ = patient_id;
  involved_side_ = patient.involved_side;
  QString header = tr("%1 (%2)").arg(qs(patient.name), qs(patient.id));
  if (!patient.diagnosis.empty()) header += QStringLiteral(" · ") + qs(patient.diagnosis);
  header += QStringLiteral(" · ") + tr("involved side: %1").arg(qs(patient.involved_side));
  header_->setText(header);

  QStringList problems;
  std::vector<data::Session> sessions;
  try {
    sessions = archive.list_sessions(patient_id);
  } catch (const std::exception& e) {
    problems << QString::fromUtf8(e.what());
  }
  const std::optional<analysis::Side> involved = workflow::involved_side(patient);
  for (const data::Session& s : sessions) {
    SessionRow row;
    row.session = s;
    row.when = parse_utc(s.started_at_utc);
    QStringList& tests = row.tests;
    QStringList& pain = row.pain;
    if (s.pain_24h >= 0) pain << tr("Last 24 h: %1").arg(s.pain_24h);
    try {
      const workflow::SessionResults r = workflow::session_results(archive, s.id, definitions);
      if (!r.record.tests.empty()) {
        row.summary = workflow::summarize_session(r.record, definitions, catalog, involved);
        row.has_summary = true;
      }
      // Tests done, each once, with the sides; pain per test.
      std::vector<std::string> order;
      std::map<std::string, QStringList> sides, pains;
      for (const workflow::TestResults& t : r.record.tests) {
        if (std::find(order.begin(), order.end(), t.test) == order.end()) order.push_back(t.test);
        if (t.side) sides[t.test] << side_letter(t.side);
        if (t.pain_before || t.pain_after) {
          const QString ba = t.pain_before && t.pain_after
                                 ? QStringLiteral("%1 → %2").arg(num(*t.pain_before), num(*t.pain_after))
                                 : (t.pain_before ? tr("before %1").arg(num(*t.pain_before))
                                                  : tr("after %1").arg(num(*t.pain_after)));
          pains[t.test] << (t.side ? side_letter(t.side) + QStringLiteral(" ") + ba : ba);
        }
      }
      for (const std::string& id : order) {
        const workflow::TestDefinition* def = definitions.find(id);
        const QString name = def ? qs(def->name) : qs(id);
        tests << (sides[id].isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, sides[id].join(QStringLiteral(", "))));
        if (!pains[id].isEmpty()) pain << QStringLiteral("%1: %2").arg(name, pains[id].join(QStringLiteral(", ")));
      }
      // Trials the results leave out: training (shown on its own chart) and anything else, named.
      std::vector<std::string> skipped_ids;
      for (const std::string& why : r.skipped) {
        skipped_ids.push_back(why.substr(0, why.find(':')));
        row.skipped << qs(why);
      }
      data::TrialQuery q;
      q.session_id = s.id;
      std::map<QString, int> extra;
      std::vector<QString> extra_order;
      for (const data::TrialRecord& rec : archive.find_trials(q)) {
        if (std::find(skipped_ids.begin(), skipped_ids.end(), rec.id) == skipped_ids.end()) continue;
        QString name;
        if (is_training(rec.test)) {
          name = training_name(rec.test);
          if (rec.side == "left" || rec.side == "right") name += rec.side == "left" ? QStringLiteral(" (L)") : QStringLiteral(" (R)");
          TrainingPoint pt;
          pt.trial_id = rec.id;
          pt.session_id = s.id;
          pt.test = rec.test;
          pt.side = rec.side;
          pt.when = parse_utc(rec.recorded_at_utc);
          try {
            for (const data::Measurement& m : archive.read_trial(rec.id).results) {
              if (m.name == "time_in_zone") pt.time_in_zone_percent = m.value;
              if (m.name == "longest_hold") pt.longest_hold_s = m.value;
            }
          } catch (const std::exception& e) {
            problems << QString::fromUtf8(e.what());
          }
          if (pt.when.isValid()) training_.push_back(std::move(pt));
        } else {
          name = tr("%1 (not in the results)").arg(qs(rec.test));
        }
        if (extra.find(name) == extra.end()) extra_order.push_back(name);
        ++extra[name];
      }
      for (const QString& name : extra_order) tests << (extra[name] > 1 ? QStringLiteral("%1 ×%2").arg(name).arg(extra[name]) : name);
    } catch (const std::exception& e) {
      tests << tr("cannot read: %1").arg(QString::fromUtf8(e.what()));
      problems << QString::fromUtf8(e.what());
    }
    rows_.push_back(std::move(row));
  }
  std::stable_sort(training_.begin(), training_.end(),
                   [](const TrainingPoint& a, const TrainingPoint& b) { return a.when < b.when; });
  fill_sessions_table();

  // The measures the patient has, in the order they first appear.
  for (const SessionRow& row : rows_) {
    if (!row.has_summary) continue;
    for (const workflow::TestSummary& t : row.summary.tests) {
      const workflow::TestDefinition* def = definitions.find(t.test);
      for (const workflow::CombinedMeasure& m : t.measures) {
        if (!std::isfinite(m.value)) continue;
        TrendMeasure tm{t.test, m.measure, m.unit, {}};
        if (std::find(measures_.begin(), measures_.end(), tm) != measures_.end()) continue;
        tm.label = QStringLiteral("%1 – %2 (%3)").arg(def ? qs(def->name) : qs(t.test), words(m.measure), unit_text(m.unit));
        measures_.push_back(std::move(tm));
      }
    }
  }
  filling_ = true;
  for (const TrendMeasure& m : measures_) measure_box_->addItem(m.label);
  filling_ = false;
  if (!(keep && select_measure(keep->test, keep->measure)) && !measures_.empty()) measure_box_->setCurrentIndex(0);
  update_trend();
  update_training_chart();

  QString status = tr("%n session(s)", nullptr, static_cast<int>(rows_.size()));
  status += QStringLiteral(", ") + tr("%n training trial(s)", nullptr, static_cast<int>(training_.size()));
  if (!problems.isEmpty()) status += QStringLiteral(". ") + tr("Not everything could be read: %1").arg(problems.join(QStringLiteral("; ")));
  status_->setText(status);
}

void PatientHistoryPage::fill_sessions_table() {
  sessions_->setRowCount(0);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const SessionRow& row = rows_[i];
    const int r = sessions_->rowCount();
    sessions_->insertRow(r);
    const QString date = row.when.isValid() ? row.when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                            : qs(row.session.started_at_utc);
    auto* d = item(date);
    d->setToolTip(tr("Session %1").arg(qs(row.session.id)));
    d->setData(Qt::UserRole, qs(row.session.id));
    sessions_->setItem(r, kDate, d);
    sessions_->setItem(r, kTrials, item(QString::number(row.session.trial_count), Qt::AlignRight | Qt::AlignTop));
    auto* tests = item(row.tests.isEmpty() ? QStringLiteral("–") : row.tests.join(QStringLiteral(", ")));
    if (!row.skipped.isEmpty()) tests->setToolTip(tr("Not in the results:\n%1").arg(row.skipped.join('\n')));
    sessions_->setItem(r, kTests, tests);
    sessions_->setItem(r, kPain, item(row.pain.isEmpty() ? QStringLiteral("–") : row.pain.join('\n')));
    sessions_->setItem(r, kNotes, item(qs(row.session.notes)));
  }
  sessions_->resizeRowsToContents();
}

void PatientHistoryPage::update_trend() {
  fill_trend();
  fill_legend(trend_legend_, trend_chart_->series());
}

void PatientHistoryPage::fill_trend() {
  clear_chart(trend_chart_);
  const TrendMeasure* m = selected_measure();
  if (!m) {
    trend_chart_->setTitle(patient_id_.empty() ? tr("No patient selected") : tr("No results yet"));
    return;
  }
  // One line per side (left, right) or one for a double-leg test.
  struct Line {
    std::optional<analysis::Side> side;
    QList<QPointF> points;
  };
  std::vector<Line> lines;
  qint64 first = 0, last = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  bool any = false;
  for (const SessionRow& row : rows_) {
    if (!row.has_summary || !row.when.isValid()) continue;
    for (const workflow::TestSummary& t : row.summary.tests) {
      if (t.test != m->test) continue;
      for (const workflow::CombinedMeasure& c : t.measures) {
        if (c.measure != m->measure || !std::isfinite(c.value)) continue;
        auto it = std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.side == t.side; });
        if (it == lines.end()) {
          lines.push_back(Line{t.side, {}});
          it = lines.end() - 1;
        }
        const qint64 x = row.when.toMSecsSinceEpoch();
        it->points.append(QPointF(static_cast<double>(x), c.value));
        first = any ? std::min(first, x) : x;
        last = any ? std::max(last, x) : x;
        lo = std::min(lo, c.value);
        hi = std::max(hi, c.value);
        any = true;
      }
    }
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    const int ka = !a.side ? 2 : (*a.side == analysis::Side::left ? 0 : 1);
    const int kb = !b.side ? 2 : (*b.side == analysis::Side::left ? 0 : 1);
    return ka < kb;
  });
  trend_chart_->setTitle(m->label.section(QStringLiteral(" ("), 0, 0));
  if (!any) return;
  auto* x_axis = make_time_axis(tr("Session date"), first, last);
  auto* y_axis = make_value_axis(QStringLiteral("%1 (%2)").arg(words(m->measure), unit_text(m->unit)), lo, hi);
  trend_chart_->addAxis(x_axis, Qt::AlignBottom);
  trend_chart_->addAxis(y_axis, Qt::AlignLeft);
  std::size_t total_points = 0;
  for (const Line& l : lines) total_points += static_cast<std::size_t>(l.points.size());
  for (const Line& l : lines) {
    QString name;
    SeriesStyle style = kBothStyle;
    if (!l.side) {
      name = tr("Both legs");
    } else if (*l.side == analysis::Side::left) {
      name = tr("Left");
      style = kLeftStyle;
    } else {
      name = tr("Right");
      style = kRightStyle;
    }
    if (l.side && analysis::to_string(*l.side) == involved_side_) name += tr(" (involved)");
    // The values written at the points while there are few of them; Qt prints them in full, so the
    // plotted values are rounded to the four significant digits the tables show.
    QList<QPointF> points = l.points;
    if (total_points <= 16) {
      for (QPointF& p : points) p.setY(num(p.y()).toDouble());
    }
    QLineSeries* s = make_series(name, style, points);
    if (total_points <= 16) {
      s->setPointLabelsVisible(true);
      s->setPointLabelsFormat(QStringLiteral("@yPoint"));
      s->setPointLabelsColor(style.colour.darker(130));
      s->setPointLabelsClipping(false);
    }
    trend_chart_->addSeries(s);
    s->attachAxis(x_axis);
    s->attachAxis(y_axis);
  }
}

void PatientHistoryPage::update_training_chart() {
  fill_training_chart();
  fill_legend(training_legend_, training_chart_->series());
}

void PatientHistoryPage::fill_training_chart() {
  clear_chart(training_chart_);
  if (training_.empty()) {
    training_chart_->setTitle(patient_id_.empty() ? tr("No patient selected") : tr("No training stored yet"));
    return;
  }
  std::vector<std::string> modes;
  for (const TrainingPoint& p : training_)
    if (std::find(modes.begin(), modes.end(), p.test) == modes.end()) modes.push_back(p.test);
  std::sort(modes.begin(), modes.end());  // cop-target before weight-share
  QStringList names;
  for (const std::string& m : modes) names << training_name(m);
  training_chart_->setTitle(tr("Per training trial: %1").arg(names.join(QStringLiteral(", "))));

  const qint64 first = training_.front().when.toMSecsSinceEpoch();
  const qint64 last = training_.back().when.toMSecsSinceEpoch();
  double hold_max = 0;
  for (const TrainingPoint& p : training_)
    if (std::isfinite(p.longest_hold_s)) hold_max = std::max(hold_max, p.longest_hold_s);
  auto* x_axis = make_time_axis(tr("Date of the training"), first, last);
  auto* zone_axis = new QValueAxis;
  zone_axis->setTitleText(tr("Time in the zone (%)"));
  zone_axis->setRange(0, 100);
  zone_axis->setTickCount(6);
  zone_axis->setLabelFormat(QStringLiteral("%.0f"));
  auto* hold_axis = make_value_axis(tr("Longest hold (s)"), 0, hold_max > 0 ? hold_max : 1, true);
  training_chart_->addAxis(x_axis, Qt::AlignBottom);
  training_chart_->addAxis(zone_axis, Qt::AlignLeft);
  training_chart_->addAxis(hold_axis, Qt::AlignRight);
  hold_axis->setGridLineVisible(false);

  const bool several = modes.size() > 1;
  for (std::size_t k = 0; k < modes.size(); ++k) {
    QList<QPointF> zone, hold;
    for (const TrainingPoint& p : training_) {
      if (p.test != modes[k]) continue;
      const double x = static_cast<double>(p.when.toMSecsSinceEpoch());
      if (std::isfinite(p.time_in_zone_percent)) zone.append(QPointF(x, p.time_in_zone_percent));
      if (std::isfinite(p.longest_hold_s)) hold.append(QPointF(x, p.longest_hold_s));
    }
    const QString suffix = several ? QStringLiteral(", ") + training_name(modes[k]).section(' ', 0, 0) : QString();
    const bool second = k > 0;
    QLineSeries* z = make_series(tr("Time in the zone (%)%1").arg(suffix),
                                 SeriesStyle{QColor(31, 78, 153), second ? Qt::DotLine : Qt::SolidLine,
                                             second ? Shape::square : Shape::circle, true},
                                 zone);
    QLineSeries* h = make_series(tr("Longest hold (s)%1").arg(suffix),
                                 SeriesStyle{QColor(196, 84, 0), second ? Qt::DashDotLine : Qt::DashLine,
                                             second ? Shape::diamond : Shape::triangle, false},
                                 hold);
    training_chart_->addSeries(z);
    z->attachAxis(x_axis);
    z->attachAxis(zone_axis);
    training_chart_->addSeries(h);
    h->attachAxis(x_axis);
    h->attachAxis(hold_axis);
  }
}

}  // namespace fp::gui
