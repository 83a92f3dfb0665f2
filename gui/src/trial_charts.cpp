#include "forceplate/gui/trial_charts.hpp"

#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <QCheckBox>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPen>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "forceplate/analysis/filter.hpp"
#include "chart_axis.hpp"

namespace fp::gui {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kGravity = 9.80665;

// Plate colours, shared by the force and COP charts (Okabe–Ito blue and vermilion: distinct for
// colour-blind readers; the legends name the plates).
const QColor kPlateColors[] = {QColor(0, 114, 178), QColor(213, 94, 0)};

QColor plate_color(std::size_t k) { return kPlateColors[k % 2]; }

QValueAxis* make_axis(const QString& title) {
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(1);
  axis->setLabelFormat(QStringLiteral("%.0f"));
  return axis;
}

QChart* make_chart() {
  auto* chart = new QChart;
  chart->setMargins(QMargins(4, 4, 12, 4));
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignTop);
  // Line legend markers show the pen's style (dashed / solid), not only its colour.
  chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
  return chart;
}

QPen pen_of(const CopChart::Pen& p) {
  QPen pen(p.color);
  pen.setWidthF(p.width);
  pen.setStyle(p.style);
  return pen;
}

QList<QPointF> to_list(const std::vector<TracePoint>& points) {
  QList<QPointF> list;
  list.reserve(static_cast<qsizetype>(points.size()));
  for (const TracePoint& p : points) list.append(QPointF(p.x, p.y));
  return list;
}

QList<QPointF> to_list(const std::vector<SeriesPoint>& points) {
  QList<QPointF> list;
  list.reserve(static_cast<qsizetype>(points.size()));
  for (const SeriesPoint& p : points) list.append(QPointF(p.t, p.y));
  return list;
}

// One plate's COP (mm), relative to its centre or with its origin in the common frame added.
std::vector<TracePoint> cop_of(const data::Trial& t, int plate, bool add_origin) {
  std::vector<TracePoint> out;
  const int plates = t.plate_count();
  const std::size_t n = t.sample_count();
  if (plate < 0 || plate >= plates || n == 0 || t.time_s.size() < n) return out;
  const auto p = static_cast<std::size_t>(plates);
  const auto k = static_cast<std::size_t>(plate);
  if (t.cop_x_m.size() < n * p || t.cop_y_m.size() < n * p) return out;
  PlateOrigin o;
  if (add_origin) o = plate_origins(t)[k];
  const double t0 = t.time_s.front();
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = t.cop_x_m[i * p + k], y = t.cop_y_m[i * p + k];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    out.push_back({t.time_s[i] - t0, 1000 * (x + o.x_m), 1000 * (y + o.y_m)});
  }
  return out;
}

}  // namespace

// ------------------------------------------------------------------ what is drawn

std::vector<PlateOrigin> plate_origins(const data::Trial& t) {
  std::vector<PlateOrigin> out;
  for (const data::PlateInfo& p : t.plates) out.push_back({p.origin_x_m, p.origin_y_m});
  if (out.size() == 2 && out[0].x_m == out[1].x_m) {
    const double half = (t.plates[0].width_m + t.plates[1].width_m) / 4;
    out[0].x_m = -half;
    out[1].x_m = half;
  }
  return out;
}

double trial_duration_s(const data::Trial& t) {
  if (t.time_s.size() < 2) return 0;
  return std::max(0.0, t.time_s.back() - t.time_s.front());
}

std::vector<SeriesPoint> decimated_force(const data::Trial& t, int plate, int columns) {
  const int plates = t.plate_count();
  const std::size_t n = t.sample_count();
  if (plate < 0 || plate >= plates || n == 0 || t.time_s.size() < n ||
      t.fz_n.size() < n * static_cast<std::size_t>(plates)) {
    return {};
  }
  const auto p = static_cast<std::size_t>(plates);
  const auto k = static_cast<std::size_t>(plate);
  LiveSeriesBuffer buffer(kInf);  // the whole trial
  const double t0 = t.time_s.front();
  for (std::size_t i = 0; i < n; ++i) buffer.append(t.time_s[i] - t0, t.fz_n[i * p + k]);
  if (buffer.empty()) return {};
  const SeriesPoint first = buffer.points().front();
  const SeriesPoint last = buffer.points().back();
  const double duration = trial_duration_s(t);
  if (!(duration > 0)) return {first};
  std::vector<SeriesPoint> out = buffer.decimate_min_max(0, duration, std::max(1, columns));
  if (out.empty() || out.front().t > first.t) out.insert(out.begin(), first);
  if (out.back().t < last.t) out.push_back(last);
  return out;
}

std::vector<TracePoint> plate_cop_mm(const data::Trial& t, int plate) { return cop_of(t, plate, true); }

std::vector<TracePoint> stance_cop_mm(const data::Trial& t, const std::string& side) {
  const int plates = t.plate_count();
  if (plates == 1) return cop_of(t, 0, false);
  if (plates == 2 && (side == "left" || side == "right")) return cop_of(t, side == "left" ? 0 : 1, false);
  std::vector<TracePoint> out;
  const std::size_t n = t.sample_count();
  const auto p = static_cast<std::size_t>(plates);
  if (plates < 1 || t.time_s.size() < n || t.fz_n.size() < n * p || t.cop_x_m.size() < n * p ||
      t.cop_y_m.size() < n * p) {
    return out;
  }
  const std::vector<PlateOrigin> origin = plate_origins(t);
  const double t0 = n ? t.time_s.front() : 0;
  for (std::size_t i = 0; i < n; ++i) {
    double fz = 0, mx = 0, my = 0;
    for (std::size_t k = 0; k < p; ++k) {
      const double f = t.fz_n[i * p + k];
      if (!std::isfinite(f)) continue;
      fz += f;
      const double x = t.cop_x_m[i * p + k], y = t.cop_y_m[i * p + k];
      if (std::isfinite(x)) mx += f * (x + origin[k].x_m);
      if (std::isfinite(y)) my += f * (y + origin[k].y_m);
    }
    if (fz < 20) continue;
    out.push_back({t.time_s[i] - t0, 1000 * mx / fz, 1000 * my / fz});
  }
  return out;
}

std::vector<TracePoint> lowpass_trace(std::vector<TracePoint> trace, double rate_hz) {
  const analysis::LowpassFilter filter;  // the analysis' default
  if (!(rate_hz > 2.5 * filter.cutoff_hz) || trace.size() < 2) return trace;
  const double max_step = 1.5 / rate_hz;
  std::size_t begin = 0;
  while (begin < trace.size()) {
    std::size_t end = begin + 1;
    while (end < trace.size() && trace[end].t - trace[end - 1].t <= max_step) ++end;
    if (end - begin >= 2) {
      std::vector<double> x, y;
      x.reserve(end - begin);
      y.reserve(end - begin);
      for (std::size_t i = begin; i < end; ++i) {
        x.push_back(trace[i].x);
        y.push_back(trace[i].y);
      }
      try {
        const std::vector<double> fx = analysis::zero_phase_lowpass(x, rate_hz, filter);
        const std::vector<double> fy = analysis::zero_phase_lowpass(y, rate_hz, filter);
        for (std::size_t i = begin; i < end; ++i) {
          trace[i].x = fx[i - begin];
          trace[i].y = fy[i - begin];
        }
      } catch (const std::exception&) {
        // left unfiltered (cannot happen with finite samples and this rate)
      }
    }
    begin = end;
  }
  return trace;
}

bool trace_mean(const std::vector<TracePoint>& trace, double& x, double& y) {
  if (trace.empty()) return false;
  double sx = 0, sy = 0;
  for (const TracePoint& p : trace) {
    sx += p.x;
    sy += p.y;
  }
  x = sx / static_cast<double>(trace.size());
  y = sy / static_cast<double>(trace.size());
  return true;
}

std::vector<TracePoint> centred(std::vector<TracePoint> trace) {
  double mx = 0, my = 0;
  if (!trace_mean(trace, mx, my)) return trace;
  for (TracePoint& p : trace) {
    p.x -= mx;
    p.y -= my;
  }
  return trace;
}

std::vector<TracePoint> thinned(const std::vector<TracePoint>& trace, double min_step, std::size_t max_points) {
  LiveTraceBuffer buffer(kInf);
  for (const TracePoint& p : trace) buffer.append(p.t, p.x, p.y);
  return buffer.thin(min_step, max_points);
}

std::optional<double> stored_body_weight_n(const data::Trial& t) {
  for (const data::Measurement& m : t.results) {
    if (m.name != "body_weight" || !std::isfinite(m.value) || !(m.value > 0)) continue;
    if (m.unit.empty() || m.unit == "N") return m.value;
    if (m.unit == "kg") return m.value * kGravity;
  }
  return std::nullopt;
}

std::vector<EventMark> event_marks(const data::Trial& t, double merge_s) {
  std::vector<EventMark> out;
  if (t.time_s.empty()) return out;
  const double t0 = t.time_s.front();
  const double end = trial_duration_s(t);
  const double tolerance = t.sample_rate_hz > 0 ? 1.5 / t.sample_rate_hz : 0.01;
  std::vector<data::RunnerEvent> events = t.runner_events;
  std::stable_sort(events.begin(), events.end(),
                   [](const data::RunnerEvent& a, const data::RunnerEvent& b) { return a.device_time_s < b.device_time_s; });
  for (const data::RunnerEvent& e : events) {
    const double at = e.device_time_s - t0;
    if (!std::isfinite(at) || at < -tolerance || at > end + tolerance || e.state.empty()) continue;
    if (e.state == "analysing") continue;  // a step of the program, at once followed by the result
    const double clamped = std::clamp(at, 0.0, end);
    if (!out.empty() && clamped - out.back().t_s < merge_s) {
      if (out.back().label.find(e.state) == std::string::npos) out.back().label += " / " + e.state;
      continue;
    }
    out.push_back({clamped, e.state});
  }
  return out;
}

Region equal_aspect(const Region& w, double width_px, double height_px) {
  if (!(width_px >= 16 && height_px >= 16)) return w;
  const double cx = (w.x_lo + w.x_hi) / 2, cy = (w.y_lo + w.y_hi) / 2;
  const double hx = std::max((w.x_hi - w.x_lo) / 2, 1e-9), hy = std::max((w.y_hi - w.y_lo) / 2, 1e-9);
  const double scale = std::max(2 * hx / width_px, 2 * hy / height_px);  // units per pixel
  const double nx = scale * width_px / 2, ny = scale * height_px / 2;
  return {cx - nx, cx + nx, cy - ny, cy + ny};
}

// ------------------------------------------------------------------ CopChart

struct CopChart::Impl {
  QChart* chart = nullptr;
  QChartView* view = nullptr;
  QValueAxis* x = nullptr;
  QValueAxis* y = nullptr;
  std::vector<QLineSeries*> outlines;
  std::vector<QLineSeries*> traces;
  std::vector<std::vector<TracePoint>> data;
  Region wanted;
  double drawn_step = -1;  // thinning step of the traces as drawn
  bool applying = false;
  int redraws = 0;

  void add(QXYSeries* s) {
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  }

  // Axes for equal scales at the current plot area, then the traces thinned to half a pixel of
  // travel if the scale changed (each trace: one replace()).
  void apply(bool force_redraw) {
    if (applying) return;  // new tick labels can move the plot area and call back here
    applying = true;
    const QRectF area = chart->plotArea();
    const Region r = equal_aspect(wanted, area.width(), area.height());
    const double step = nice_ceil(std::max(r.x_hi - r.x_lo, r.y_hi - r.y_lo) / 10);
    set_axis(x, r.x_lo, r.x_hi, step);
    set_axis(y, r.y_lo, r.y_hi, step);
    const double px = area.width() >= 16 ? area.width() * view->devicePixelRatioF() : 400;
    const double thin_step = 0.5 * (r.x_hi - r.x_lo) / px;
    if (force_redraw || !(std::abs(thin_step - drawn_step) <= 0.01 * drawn_step)) {
      for (std::size_t i = 0; i < traces.size(); ++i) traces[i]->replace(to_list(thinned(data[i], thin_step, 20000)));
      drawn_step = thin_step;
      ++redraws;
    }
    applying = false;
  }
};

CopChart::CopChart(QWidget* parent) : QWidget(parent), d_(std::make_unique<Impl>()) {
  d_->chart = make_chart();
  d_->x = make_axis(QStringLiteral("Mediolateral x (mm)"));
  d_->y = make_axis(QStringLiteral("Anteroposterior y (mm)"));
  d_->chart->addAxis(d_->x, Qt::AlignBottom);
  d_->chart->addAxis(d_->y, Qt::AlignLeft);
  d_->view = new QChartView(d_->chart);  // owns the chart, which owns axes and series
  d_->view->setRenderHint(QPainter::Antialiasing);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(d_->view);
  // Equal scales depend on the plot area, which only the chart's layout knows.
  connect(d_->chart, &QChart::plotAreaChanged, this, [this](const QRectF&) { d_->apply(false); });
  d_->apply(true);
}

CopChart::~CopChart() = default;

void CopChart::set_axis_titles(const QString& x, const QString& y) {
  d_->x->setTitleText(x);
  d_->y->setTitleText(y);
}

void CopChart::set_outlines(const std::vector<Rect>& rects, const QString& name) {
  for (QLineSeries* s : d_->outlines) {
    d_->chart->removeSeries(s);
    delete s;
  }
  d_->outlines.clear();
  QPen pen(QColor(100, 100, 100));
  pen.setWidthF(1.5);
  pen.setStyle(Qt::DashLine);
  for (const Rect& r : rects) {
    auto* s = new QLineSeries;
    s->setPen(pen);
    s->setName(name);
    s->replace(QList<QPointF>{{r.x_lo, r.y_lo}, {r.x_hi, r.y_lo}, {r.x_hi, r.y_hi}, {r.x_lo, r.y_hi}, {r.x_lo, r.y_lo}});
    d_->add(s);
    const bool first = d_->outlines.empty() && !name.isEmpty();
    for (QLegendMarker* m : d_->chart->legend()->markers(s)) m->setVisible(first);
    d_->outlines.push_back(s);
  }
}

void CopChart::set_traces(const std::vector<std::vector<TracePoint>>& traces, const QStringList& names,
                          const std::vector<Pen>& pens) {
  for (QLineSeries* s : d_->traces) {
    d_->chart->removeSeries(s);
    delete s;
  }
  d_->traces.clear();
  d_->data = traces;
  for (std::size_t i = 0; i < traces.size(); ++i) {
    auto* s = new QLineSeries;
    if (static_cast<qsizetype>(i) < names.size()) s->setName(names[static_cast<qsizetype>(i)]);
    if (i < pens.size()) s->setPen(pen_of(pens[i]));
    d_->add(s);
    d_->traces.push_back(s);
  }
  d_->apply(true);
}

void CopChart::set_region(const Region& wanted) {
  d_->wanted = wanted;
  d_->apply(false);
}

std::size_t CopChart::trace_count() const { return d_->traces.size(); }

std::size_t CopChart::point_count(std::size_t trace) const {
  return trace < d_->traces.size() ? static_cast<std::size_t>(d_->traces[trace]->count()) : 0;
}

QList<QPointF> CopChart::points(std::size_t trace) const {
  return trace < d_->traces.size() ? d_->traces[trace]->points() : QList<QPointF>{};
}

QStringList CopChart::trace_names() const {
  QStringList out;
  for (const QLineSeries* s : d_->traces) out << s->name();
  return out;
}

QStringList CopChart::axis_titles() const { return {d_->x->titleText(), d_->y->titleText()}; }

QRectF CopChart::visible_region() const {
  return QRectF(d_->x->min(), d_->y->min(), d_->x->max() - d_->x->min(), d_->y->max() - d_->y->min());
}

int CopChart::redraw_count() const { return d_->redraws; }

// ------------------------------------------------------------------ TrialChartsWidget

struct TrialChartsWidget::Impl {
  QLabel* title = nullptr;
  QCheckBox* zoom = nullptr;
  QLabel* cop_note = nullptr;
  QChart* chart = nullptr;
  QChartView* view = nullptr;
  QValueAxis* time = nullptr;
  QValueAxis* force = nullptr;
  QCategoryAxis* events = nullptr;
  std::vector<QLineSeries*> series;
  QLineSeries* body_weight = nullptr;
  CopChart* cop = nullptr;

  data::Trial trial;  // time, force and COP of the trial shown (per-cell arrays dropped)
  bool has_trial = false;
  std::optional<double> bw;
  QStringList event_labels;
  std::vector<std::vector<TracePoint>> cops;  // per plate, mm, common frame
  int drawn_columns = -1;
  int redraws = 0;
};

TrialChartsWidget::TrialChartsWidget(QWidget* parent) : QWidget(parent), d_(std::make_unique<Impl>()) {
  Impl& d = *d_;
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  d.title = new QLabel;
  d.title->setTextFormat(Qt::PlainText);
  d.title->setWordWrap(true);
  QFont f = d.title->font();
  f.setBold(true);
  d.title->setFont(f);
  outer->addWidget(d.title);

  d.chart = make_chart();
  d.time = make_axis(QStringLiteral("Time since the start of the recording (s)"));
  d.force = make_axis(QStringLiteral("Vertical force (N)"));
  d.chart->addAxis(d.time, Qt::AlignBottom);
  d.chart->addAxis(d.force, Qt::AlignLeft);
  // The runner's events: labels along the top at their times, with a dashed line down the plot.
  d.events = new QCategoryAxis;
  d.events->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  QPen grid(QColor(60, 60, 60));
  grid.setStyle(Qt::DashDotLine);
  grid.setWidthF(1.0);
  d.events->setGridLinePen(grid);
  d.events->setGridLineVisible(true);
  d.events->setLineVisible(false);
  d.events->setTruncateLabels(false);
  d.chart->addAxis(d.events, Qt::AlignTop);
  d.events->setVisible(false);
  QPen bw_pen(QColor(60, 60, 60));
  bw_pen.setWidthF(1.5);
  bw_pen.setStyle(Qt::DashLine);
  d.body_weight = new QLineSeries;
  d.body_weight->setPen(bw_pen);
  d.chart->addSeries(d.body_weight);
  d.body_weight->attachAxis(d.time);
  d.body_weight->attachAxis(d.force);
  d.view = new QChartView(d.chart);
  d.view->setRenderHint(QPainter::Antialiasing);
  d.view->setMinimumSize(420, 340);

  d.cop = new CopChart;
  d.cop->setMinimumSize(300, 340);
  d.zoom = new QCheckBox(QStringLiteral("Zoom to sway"));
  d.zoom->setChecked(true);
  d.zoom->setToolTip(QStringLiteral("Close-up of the centre-of-pressure trace; untick to see the whole plate"));
  d.cop_note = new QLabel;
  d.cop_note->setWordWrap(true);
  auto* cop_box = new QVBoxLayout;
  cop_box->addWidget(d.cop, 1);
  auto* cop_bottom = new QHBoxLayout;
  cop_bottom->addWidget(d.zoom);
  cop_bottom->addWidget(d.cop_note, 1);
  cop_box->addLayout(cop_bottom);

  auto* charts = new QHBoxLayout;
  charts->addWidget(d.view, 3);
  charts->addLayout(cop_box, 2);
  outer->addLayout(charts, 1);

  connect(d.chart, &QChart::plotAreaChanged, this, [this](const QRectF&) { redraw_force(); });
  connect(d.zoom, &QCheckBox::toggled, this, [this](bool) { update_cop_region(); });
  clear();
}

TrialChartsWidget::~TrialChartsWidget() = default;

void TrialChartsWidget::clear(const QString& message) {
  Impl& d = *d_;
  d.has_trial = false;
  d.trial = data::Trial{};
  d.bw.reset();
  d.event_labels.clear();
  d.cops.clear();
  for (QLineSeries* s : d.series) {
    d.chart->removeSeries(s);
    delete s;
  }
  d.series.clear();
  d.body_weight->clear();
  for (QLegendMarker* m : d.chart->legend()->markers(d.body_weight)) m->setVisible(false);
  for (const QString& label : d.events->categoriesLabels()) d.events->remove(label);
  d.events->setVisible(false);
  d.cop->set_traces({}, {}, {});
  d.cop->set_outlines({}, {});
  d.cop_note->clear();
  d.title->setText(message);
  d.drawn_columns = -1;
}

void TrialChartsWidget::show_trial(const data::Trial& trial, const QString& title) {
  clear();
  Impl& d = *d_;
  d.trial = trial;
  d.trial.counts.clear();  // the bulk; not drawn
  d.trial.cell_force_n.clear();
  d.trial.counts.shrink_to_fit();
  d.trial.cell_force_n.shrink_to_fit();
  d.has_trial = true;
  const int plates = trial.plate_count();
  const double duration = trial_duration_s(trial);
  const std::vector<PlateOrigin> origins = plate_origins(trial);

  QString head = title;
  if (!head.isEmpty()) head += QStringLiteral("   ·   ");
  head += QStringLiteral("%1 s at %2 Hz, %3 plate(s)")
              .arg(QString::number(duration, 'f', 2), QString::number(trial.sample_rate_hz, 'f', 0))
              .arg(plates);
  std::uint64_t missing = 0;
  for (const data::Gap& g : trial.gaps) missing += g.count;
  if (missing > 0) head += QStringLiteral("   ·   %1 sample(s) missing").arg(missing);
  if (!trial.complete) head += QStringLiteral("   ·   incomplete (recording interrupted)");
  d.title->setText(head);

  // Force: one series per plate; ranges from the full-rate data.
  double lo = 0, hi = 0;
  const std::size_t n = trial.sample_count();
  for (std::size_t i = 0; i < trial.fz_n.size() && i < n * static_cast<std::size_t>(plates); ++i) {
    const double f = trial.fz_n[i];
    if (!std::isfinite(f)) continue;
    lo = std::min(lo, f);
    hi = std::max(hi, f);
  }
  d.bw = stored_body_weight_n(trial);
  if (d.bw) hi = std::max(hi, *d.bw);
  for (int k = 0; k < plates; ++k) {
    auto* s = new QLineSeries;
    QString name = QStringLiteral("Vertical force");
    if (plates > 1) {
      name = QStringLiteral("Plate %1").arg(k + 1);
      if (plates == 2) name += origins[static_cast<std::size_t>(k)].x_m < 0 ? QStringLiteral(" (left)") : QStringLiteral(" (right)");
    }
    s->setName(name);
    QPen pen(plate_color(static_cast<std::size_t>(k)));
    pen.setWidthF(1.2);
    s->setPen(pen);
    d.chart->addSeries(s);
    s->attachAxis(d.time);
    s->attachAxis(d.force);
    d.series.push_back(s);
  }
  const double t_end = duration > 0 ? duration : 1;
  set_axis(d.time, 0, t_end, nice_ceil(t_end / 10));
  const double span = std::max(hi - lo, 10.0);
  const double step = nice_ceil(span * 1.05 / 8);
  set_axis(d.force, std::floor(lo / step) * step, std::ceil((hi + 0.04 * span) / step) * step, step);
  if (d.bw) {
    d.body_weight->setName(QStringLiteral("Body weight %1 N").arg(QString::number(*d.bw, 'f', 0)));
    d.body_weight->replace(QList<QPointF>{{0, *d.bw}, {t_end, *d.bw}});
    for (QLegendMarker* m : d.chart->legend()->markers(d.body_weight)) m->setVisible(true);
  }
  // Events: labels must be unique on a category axis.
  const std::vector<EventMark> marks = event_marks(trial, 0.04 * t_end);
  d.events->setRange(0, t_end);
  d.events->setStartValue(-1);
  for (const EventMark& m : marks) {
    QString label = QString::fromStdString(m.label);
    while (d.events->categoriesLabels().contains(label)) label += QLatin1Char(' ');
    d.events->append(label, m.t_s);
    d.event_labels << label.trimmed();
  }
  d.events->setVisible(!marks.empty());
  // Room on the right for a label centred on the end of the recording.
  int right = 12;
  if (!marks.empty() && marks.back().t_s > 0.9 * t_end) {
    const QFontMetrics fm(d.events->labelsFont());
    right = std::max(right, fm.horizontalAdvance(d.event_labels.back()) / 2 + 6);
  }
  d.chart->setMargins(QMargins(4, 4, right, 4));
  redraw_force();

  // COP: each plate's trace in the common frame, inside its outline.
  std::vector<CopChart::Rect> rects;
  std::vector<CopChart::Pen> pens;
  QStringList names;
  for (int k = 0; k < plates; ++k) {
    const auto ku = static_cast<std::size_t>(k);
    const data::PlateInfo& p = trial.plates[ku];
    const double cx = 1000 * origins[ku].x_m, cy = 1000 * origins[ku].y_m;
    if (p.width_m > 0 && p.length_m > 0) {
      rects.push_back({cx - 500 * p.width_m, cx + 500 * p.width_m, cy - 500 * p.length_m, cy + 500 * p.length_m});
    }
    d.cops.push_back(lowpass_trace(plate_cop_mm(trial, k), trial.sample_rate_hz));
    QString side;
    if (plates == 2) side = origins[ku].x_m < 0 ? QStringLiteral(" (left)") : QStringLiteral(" (right)");
    names << (plates == 1 ? QStringLiteral("Centre of pressure") : QStringLiteral("COP %1%2").arg(k + 1).arg(side));
    pens.push_back({plate_color(ku), Qt::SolidLine, 1.2});
  }
  d.cop->set_axis_titles(QStringLiteral("Mediolateral x (mm, + right)"), QStringLiteral("Anteroposterior y (mm, + forward)"));
  d.cop->set_outlines(rects, plates == 1 ? QStringLiteral("Plate outline") : QStringLiteral("Plates"));
  d.cop->set_traces(d.cops, names, pens);
  bool any_cop = false;
  for (const auto& c : d.cops) any_cop = any_cop || !c.empty();
  if (!any_cop) {
    d.cop_note->setText(QStringLiteral("No centre of pressure in this trial."));
  } else {
    QString note = QStringLiteral("COP low-pass filtered at 10 Hz, as analysed.");
    if (plates == 2 && trial.plates[0].origin_x_m == trial.plates[1].origin_x_m)
      note += QStringLiteral(" Plates drawn side by side (their placement was not recorded).");
    d.cop_note->setText(note);
  }
  update_cop_region();
}

void TrialChartsWidget::redraw_force() {
  Impl& d = *d_;
  if (!d.has_trial) return;
  const double w = d.chart->plotArea().width() * d.view->devicePixelRatioF();
  const int columns = w >= 16 ? static_cast<int>(w) : 800;  // before the first layout
  if (columns == d.drawn_columns) return;
  d.drawn_columns = columns;
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    d.series[k]->replace(to_list(decimated_force(d.trial, static_cast<int>(k), columns)));
  }
  ++d.redraws;
}

void TrialChartsWidget::update_cop_region() {
  Impl& d = *d_;
  if (!d.has_trial) return;
  const std::vector<PlateOrigin> origins = plate_origins(d.trial);
  double x_lo = kInf, x_hi = -kInf, y_lo = kInf, y_hi = -kInf;
  const auto include = [&](double x, double y) {
    x_lo = std::min(x_lo, x);
    x_hi = std::max(x_hi, x);
    y_lo = std::min(y_lo, y);
    y_hi = std::max(y_hi, y);
  };
  for (const auto& c : d.cops)
    for (const TracePoint& p : c) include(p.x, p.y);
  const bool any_cop = x_lo <= x_hi;
  if (!d.zoom->isChecked() || !any_cop) {
    // The whole plate(s) and anything outside them.
    for (std::size_t k = 0; k < d.trial.plates.size(); ++k) {
      const data::PlateInfo& p = d.trial.plates[k];
      include(1000 * origins[k].x_m - 500 * p.width_m, 1000 * origins[k].y_m - 500 * p.length_m);
      include(1000 * origins[k].x_m + 500 * p.width_m, 1000 * origins[k].y_m + 500 * p.length_m);
    }
  }
  if (!(x_lo <= x_hi)) {
    x_lo = y_lo = -250;
    x_hi = y_hi = 250;
  }
  // A margin, and at least 20 mm across so that a still trace is not blown up to noise.
  const double cx = (x_lo + x_hi) / 2, cy = (y_lo + y_hi) / 2;
  const double hx = std::max((x_hi - x_lo) / 2 * 1.08, 10.0), hy = std::max((y_hi - y_lo) / 2 * 1.08, 10.0);
  const Region r{cx - hx, cx + hx, cy - hy, cy + hy};
  d.cop->set_region(r);
}

bool TrialChartsWidget::has_trial() const { return d_->has_trial; }
QLabel* TrialChartsWidget::title_label() const { return d_->title; }
QCheckBox* TrialChartsWidget::zoom_box() const { return d_->zoom; }
CopChart* TrialChartsWidget::cop_chart() const { return d_->cop; }
int TrialChartsWidget::plate_count() const { return static_cast<int>(d_->series.size()); }

std::size_t TrialChartsWidget::force_point_count(int plate) const {
  return plate >= 0 && static_cast<std::size_t>(plate) < d_->series.size()
             ? static_cast<std::size_t>(d_->series[static_cast<std::size_t>(plate)]->count())
             : 0;
}

QList<QPointF> TrialChartsWidget::force_points(int plate) const {
  return plate >= 0 && static_cast<std::size_t>(plate) < d_->series.size()
             ? d_->series[static_cast<std::size_t>(plate)]->points()
             : QList<QPointF>{};
}

std::size_t TrialChartsWidget::cop_point_count(int plate) const {
  return plate >= 0 ? d_->cop->point_count(static_cast<std::size_t>(plate)) : 0;
}

QList<QPointF> TrialChartsWidget::cop_points(int plate) const {
  return plate >= 0 ? d_->cop->points(static_cast<std::size_t>(plate)) : QList<QPointF>{};
}

QStringList TrialChartsWidget::force_series_names() const {
  QStringList out;
  for (const QLineSeries* s : d_->series) out << s->name();
  return out;
}

QStringList TrialChartsWidget::axis_titles() const {
  return QStringList{d_->time->titleText(), d_->force->titleText()} + d_->cop->axis_titles();
}

QRectF TrialChartsWidget::force_range() const {
  return QRectF(d_->time->min(), d_->force->min(), d_->time->max() - d_->time->min(),
                d_->force->max() - d_->force->min());
}

std::optional<double> TrialChartsWidget::body_weight_line_n() const {
  return d_->has_trial && d_->body_weight->count() > 0 ? d_->bw : std::nullopt;
}

QStringList TrialChartsWidget::event_labels() const { return d_->event_labels; }
int TrialChartsWidget::force_redraw_count() const { return d_->redraws; }

}  // namespace fp::gui
