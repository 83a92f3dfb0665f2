// Qt Charts (6.4) implementation of the chart views. When moving to Qt Graphs, replace this file.
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <utility>

#include "forceplate/gui/chart_views.hpp"
#include "chart_axis.hpp"

namespace fp::gui {

namespace {

QValueAxis* make_axis(const std::string& title) {
  auto* axis = new QValueAxis;
  axis->setTitleText(QString::fromStdString(title));
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(1);
  axis->setLabelFormat("%.0f");
  return axis;
}

QChart* make_chart(const AxisLabels& labels) {
  auto* chart = new QChart;
  if (!labels.title.empty()) chart->setTitle(QString::fromStdString(labels.title));
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->legend()->setAlignment(Qt::AlignTop);
  chart->setAnimationOptions(QChart::NoAnimation);
  return chart;
}

class ChartsTimeSeriesView final : public TimeSeriesView {
 public:
  ChartsTimeSeriesView(const AxisLabels& labels, QWidget* parent)
      : chart_(make_chart(labels)), x_(make_axis(labels.x)), y_(make_axis(labels.y)) {
    chart_->addAxis(x_, Qt::AlignBottom);
    chart_->addAxis(y_, Qt::AlignLeft);
    view_ = new QChartView(chart_, parent);  // owns the chart, which owns axes and series
    view_->setRenderHint(QPainter::Antialiasing);
    set_axis(x_, 0, 10, 1);
    set_axis(y_, 0, 100, 10);
  }

  QWidget* widget() override { return view_; }

  void set_series(const std::vector<std::string>& names) override {
    for (QLineSeries* s : series_) {
      chart_->removeSeries(s);
      delete s;
    }
    series_.clear();
    for (const std::string& name : names) {
      auto* s = new QLineSeries;
      s->setName(QString::fromStdString(name));
      chart_->addSeries(s);
      s->attachAxis(x_);
      s->attachAxis(y_);
      series_.push_back(s);
    }
  }

  void set_time_range(double t0, double t1) override {
    if (x_->min() != t0 || x_->max() != t1) {
      // A new range re-lays out every point of every series (Qt Charts strokes each line again for
      // its mouse shape), and the caller replaces them all in the same frame: empty them first so
      // that the work is done once per frame, not twice (about a third of the GUI thread's time).
      for (QLineSeries* s : series_) {
        if (s->count() > 0) s->clear();
      }
    }
    set_axis(x_, t0, t1, nice_ceil((t1 - t0) / 10));
    if (band_on_) update_band();
  }

  void set_value_range(double lo, double hi) override {
    set_axis(y_, lo, hi, nice_ceil((hi - lo) / 8));
  }

  void replace(std::size_t series, const std::vector<SeriesPoint>& points) override {
    if (series >= series_.size()) return;
    QList<QPointF> list;
    list.reserve(static_cast<qsizetype>(points.size()));
    for (const SeriesPoint& p : points) list.append(QPointF(p.t, p.y));
    series_[series]->replace(list);
  }

  int plot_width_px() const override {
    const double w = chart_->plotArea().width() * view_->devicePixelRatioF();
    return w >= 16 ? static_cast<int>(w) : 800;  // before the first layout
  }

  std::size_t point_count(std::size_t series) const override {
    return series < series_.size() ? static_cast<std::size_t>(series_[series]->count()) : 0;
  }

  void set_band(double lo, double hi, const std::string& name) override {
    if (!band_lo_) {
      // Drawn under the data; one dashed pen for both edges, one legend entry.
      QPen pen(QColor(90, 90, 90));
      pen.setWidthF(1.5);
      pen.setStyle(Qt::DashLine);
      band_lo_ = new QLineSeries;
      band_hi_ = new QLineSeries;
      for (QLineSeries* b : {band_lo_, band_hi_}) {
        b->setPen(pen);
        chart_->addSeries(b);
        b->attachAxis(x_);
        b->attachAxis(y_);
      }
      for (QLegendMarker* m : chart_->legend()->markers(band_hi_)) m->setVisible(false);
    }
    band_lo_->setName(QString::fromStdString(name));
    band_on_ = hi > lo;
    band_ = {lo, hi};
    update_band();
    for (QLegendMarker* m : chart_->legend()->markers(band_lo_)) m->setVisible(band_on_);
  }
  bool has_band() const override { return band_on_; }

 private:
  void update_band() {
    if (!band_lo_) return;
    if (!band_on_) {
      band_lo_->clear();
      band_hi_->clear();
      return;
    }
    const double a = x_->min(), b = x_->max();
    band_lo_->replace(QList<QPointF>{{a, band_.first}, {b, band_.first}});
    band_hi_->replace(QList<QPointF>{{a, band_.second}, {b, band_.second}});
  }

  QChart* chart_;
  QValueAxis* x_;
  QValueAxis* y_;
  QChartView* view_ = nullptr;
  std::vector<QLineSeries*> series_;
  QLineSeries* band_lo_ = nullptr;
  QLineSeries* band_hi_ = nullptr;
  bool band_on_ = false;
  std::pair<double, double> band_{0, 0};
};

class ChartsTrajectoryView final : public TrajectoryView {
 public:
  ChartsTrajectoryView(const AxisLabels& labels, QWidget* parent)
      : chart_(make_chart(labels)), x_(make_axis(labels.x)), y_(make_axis(labels.y)) {
    chart_->addAxis(x_, Qt::AlignBottom);
    chart_->addAxis(y_, Qt::AlignLeft);
    outline_ = new QLineSeries;
    QPen pen(QColor(110, 110, 110));
    pen.setWidthF(1.5);
    pen.setStyle(Qt::DashLine);
    outline_->setPen(pen);
    add(outline_);
    set_outline(0, 0, "");  // none until a device describes its plate
    view_ = new QChartView(chart_, parent);
    view_->setRenderHint(QPainter::Antialiasing);
    // Equal scales depend on the plot area, which only the chart's layout knows.
    QObject::connect(chart_, &QChart::plotAreaChanged, chart_, [this](const QRectF&) { apply_region(); });
    apply_region();
  }

  QWidget* widget() override { return view_; }

  void set_traces(const std::vector<std::string>& names) override {
    for (std::size_t i = 0; i < traces_.size(); ++i) {
      chart_->removeSeries(traces_[i]);
      chart_->removeSeries(markers_[i]);
      delete traces_[i];
      delete markers_[i];
    }
    traces_.clear();
    markers_.clear();
    for (const std::string& name : names) {
      auto* line = new QLineSeries;
      line->setName(QString::fromStdString(name));
      add(line);
      auto* marker = new QScatterSeries;
      marker->setMarkerSize(10);
      marker->setColor(line->color());
      marker->setBorderColor(line->color().darker(150));
      add(marker);
      for (QLegendMarker* m : chart_->legend()->markers(marker)) m->setVisible(false);
      traces_.push_back(line);
      markers_.push_back(marker);
    }
  }

  void set_outline(double width, double length, const std::string& name) override {
    QList<QPointF> rect;
    if (width > 0 && length > 0) {
      const double hx = width / 2, hy = length / 2;
      rect = {{-hx, -hy}, {hx, -hy}, {hx, hy}, {-hx, hy}, {-hx, -hy}};
    }
    outline_->replace(rect);
    outline_->setName(QString::fromStdString(name));
    for (QLegendMarker* m : chart_->legend()->markers(outline_)) m->setVisible(!rect.isEmpty());
  }

  void set_region(double x_lo, double x_hi, double y_lo, double y_hi) override {
    if (x_lo == x_lo_ && x_hi == x_hi_ && y_lo == y_lo_ && y_hi == y_hi_) return;
    x_lo_ = x_lo;
    x_hi_ = x_hi;
    y_lo_ = y_lo;
    y_hi_ = y_hi;
    apply_region();
  }

  void replace(std::size_t trace, const std::vector<TracePoint>& points) override {
    if (trace >= traces_.size()) return;
    QList<QPointF> list;
    list.reserve(static_cast<qsizetype>(points.size()));
    for (const TracePoint& p : points) list.append(QPointF(p.x, p.y));
    traces_[trace]->replace(list);
    QList<QPointF> last;
    if (!list.isEmpty()) last.append(list.back());
    markers_[trace]->replace(last);
  }

  double units_per_px() const override {
    const double w = chart_->plotArea().width() * view_->devicePixelRatioF();
    return (x_->max() - x_->min()) / (w >= 16 ? w : 400);
  }

  std::size_t point_count(std::size_t trace) const override {
    return trace < traces_.size() ? static_cast<std::size_t>(traces_[trace]->count()) : 0;
  }

  void set_outlines(const std::vector<Outline>& outlines) override {
    for (QLineSeries* s : extra_) {
      chart_->removeSeries(s);
      delete s;
    }
    extra_.clear();
    QStringList named;
    for (const Outline& o : outlines) {
      auto* s = new QLineSeries;
      QPen pen(o.dashed ? QColor(60, 60, 60) : QColor(110, 110, 110));
      pen.setWidthF(1.5);
      pen.setStyle(o.dashed ? Qt::DashLine : Qt::SolidLine);
      s->setPen(pen);
      s->setName(QString::fromStdString(o.name));
      QList<QPointF> list;
      for (const TracePoint& p : o.points) list.append(QPointF(p.x, p.y));
      if (!list.isEmpty()) list.append(list.front());
      s->replace(list);
      chart_->addSeries(s);
      s->attachAxis(x_);
      s->attachAxis(y_);
      const bool first = !o.name.empty() && !named.contains(s->name());
      if (first) named << s->name();
      for (QLegendMarker* m : chart_->legend()->markers(s)) m->setVisible(first);
      extra_.push_back(s);
    }
  }
  std::size_t outline_count() const override { return extra_.size(); }

 private:
  void add(QXYSeries* s) {
    chart_->addSeries(s);
    s->attachAxis(x_);
    s->attachAxis(y_);
  }

  // Widens the requested region along one axis so that a millimetre is as long on both axes.
  void apply_region() {
    if (applying_) return;  // new tick labels can move the plot area and call back here
    applying_ = true;
    const QRectF area = chart_->plotArea();
    const double cx = (x_lo_ + x_hi_) / 2, cy = (y_lo_ + y_hi_) / 2;
    double hx = (x_hi_ - x_lo_) / 2, hy = (y_hi_ - y_lo_) / 2;
    if (area.width() >= 16 && area.height() >= 16) {
      const double scale = std::max(2 * hx / area.width(), 2 * hy / area.height());
      hx = scale * area.width() / 2;
      hy = scale * area.height() / 2;
    }
    const double step = nice_ceil(2 * std::max(hx, hy) / 10);
    set_axis(x_, cx - hx, cx + hx, step);
    set_axis(y_, cy - hy, cy + hy, step);
    applying_ = false;
  }

  QChart* chart_;
  QValueAxis* x_;
  QValueAxis* y_;
  QChartView* view_ = nullptr;
  QLineSeries* outline_ = nullptr;
  std::vector<QLineSeries*> extra_;  // set_outlines
  std::vector<QLineSeries*> traces_;
  std::vector<QScatterSeries*> markers_;
  double x_lo_ = -250, x_hi_ = 250, y_lo_ = -250, y_hi_ = 250;
  bool applying_ = false;
};

}  // namespace

std::unique_ptr<TimeSeriesView> make_time_series_view(const AxisLabels& labels, QWidget* parent) {
  return std::make_unique<ChartsTimeSeriesView>(labels, parent);
}

std::unique_ptr<TrajectoryView> make_trajectory_view(const AxisLabels& labels, QWidget* parent) {
  return std::make_unique<ChartsTrajectoryView>(labels, parent);
}

}  // namespace fp::gui
