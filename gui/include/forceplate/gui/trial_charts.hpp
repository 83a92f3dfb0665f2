#pragma once
// One recorded trial as charts (issue 9 item 4, "per-trial details"): the vertical force of each
// plate against time, with the body weight and the trial runner's events, beside the centre of
// pressure (statokinesigram) inside the outline of the plate(s).
//
// What is drawn is computed by the plain functions below (no Qt; tested on their own). The widgets
// keep the trial's full-rate samples and, whenever the plot area changes size, reduce them to what
// the screen can show and hand each series over with one replace(), never point by point:
// force as min/max per pixel column (LiveSeriesBuffer::decimate_min_max, so every peak is drawn
// exactly), COP thinned to half a pixel of travel (LiveTraceBuffer::thin).
//
// Like qtcharts_views.cpp, trial_charts.cpp and cop_overlay.cpp use Qt Charts behind these classes;
// the headers do not (moving to Qt Graphs replaces those .cpp files only). They do not go through
// chart_views.hpp because a static trial needs what that live interface has no words for: pen
// styles (black-and-white print), event marks on the time axis, and a data set redrawn at any size.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QColor>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "forceplate/data/trial.hpp"
#include "forceplate/gui/live_series_buffer.hpp"

class QCheckBox;
class QLabel;

namespace fp::gui {

// ------------------------------------------------------------------ what is drawn (no Qt)

struct PlateOrigin {
  double x_m = 0;
  double y_m = 0;
};
// Where each plate's centre lies in the trial's common frame: the stored origins or, for a file that
// does not say (both origins alike), side by side and touching with plate 1 at negative x: the rule
// the analysis uses to combine two plates (workflow/trial_analysis.cpp).
std::vector<PlateOrigin> plate_origins(const data::Trial& trial);

// Time from the trial's first sample to its last (s); 0 with fewer than two samples.
double trial_duration_s(const data::Trial& trial);

// Plate `plate`'s vertical force (N) against time since the trial's first sample (s), reduced for a
// chart `columns` pixel columns wide: the smallest and the largest sample of each column (extremes
// exact), plus the first and the last sample, so that the line spans the whole trial. Non-finite
// samples are left out.
std::vector<SeriesPoint> decimated_force(const data::Trial& trial, int plate, int columns);

// Plate `plate`'s centre of pressure in mm in the common frame (its origin added), t since the
// first sample; samples without a COP (plate unloaded) are left out.
std::vector<TracePoint> plate_cop_mm(const data::Trial& trial, int plate);

// The COP a stance test is judged on, in mm: one plate's relative to its centre (the only plate, or
// on two plates the `side` one: plate 1 left), else two plates combined by their moments in the
// common frame (samples with less than 20 N in all left out), as the analysis does.
std::vector<TracePoint> stance_cop_mm(const data::Trial& trial, const std::string& side);

// The trace low-pass filtered as the analysis filters the COP before its measures (zero-phase
// Butterworth, 4th order, 10 Hz: analysis/filter.hpp), so that the drawing shows the sway, not the
// load cells' noise. Each run of consecutive samples (time steps of at most 1.5 periods) is filtered
// on its own; a run of fewer than 2 samples, or a rate too low for the filter, is left as it is.
std::vector<TracePoint> lowpass_trace(std::vector<TracePoint> trace, double rate_hz);

// Mean position; false when the trace is empty.
bool trace_mean(const std::vector<TracePoint>& trace, double& x, double& y);
// The trace moved so that its mean is at the origin (unchanged when empty).
std::vector<TracePoint> centred(std::vector<TracePoint> trace);
// For drawing: the first point, then each point at least `min_step` from the last one kept, and the
// last point; at most `max_points` (LiveTraceBuffer::thin).
std::vector<TracePoint> thinned(const std::vector<TracePoint>& trace, double min_step, std::size_t max_points);

// Body weight stored with the trial's results ("body_weight", in N; "kg" is converted), if any.
std::optional<double> stored_body_weight_n(const data::Trial& trial);

// The trial runner's events inside the recording (device time, so within one sample period of the
// first and last sample), at time since the first sample; "analysing", at once followed by the
// result, is left out. An event less than `merge_s` after the previous mark joins it ("a / b").
struct EventMark {
  double t_s = 0;
  std::string label;
};
std::vector<EventMark> event_marks(const data::Trial& trial, double merge_s);

// A region of the x-y plane (display units).
struct Region {
  double x_lo = -1, x_hi = 1, y_lo = -1, y_hi = 1;
};
// `wanted` widened about its centre along one axis so that a unit is as long on both axes of a
// plot area `width_px` x `height_px` (unchanged for a degenerate area).
Region equal_aspect(const Region& wanted, double width_px, double height_px);

// ------------------------------------------------------------------ widgets

// An x-y chart on equal scales for centre-of-pressure traces (mm): rectangles (plate outlines)
// behind, traces each with its own pen (colour and style, so that it reads in black and white).
class CopChart : public QWidget {
  Q_OBJECT
 public:
  struct Pen {
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
    double width = 1.5;
  };
  struct Rect {
    double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
  };

  explicit CopChart(QWidget* parent = nullptr);
  ~CopChart() override;

  void set_axis_titles(const QString& x, const QString& y);
  // Outlines (one legend entry, `name`; none when empty).
  void set_outlines(const std::vector<Rect>& rects, const QString& name);
  // Replaces the traces: full-rate points, thinned to the current scale when drawn.
  void set_traces(const std::vector<std::vector<TracePoint>>& traces, const QStringList& names,
                  const std::vector<Pen>& pens);
  // The region that must be visible; one axis is widened for equal scales.
  void set_region(const Region& wanted);

  // For tests and screenshots.
  std::size_t trace_count() const;
  std::size_t point_count(std::size_t trace) const;
  QList<QPointF> points(std::size_t trace) const;
  QStringList trace_names() const;
  QStringList axis_titles() const;  // x, y
  QRectF visible_region() const;    // the axes' ranges (x, y, width, height)
  // How often the traces were redrawn (each time: one replace() per trace).
  int redraw_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

// One trial: vertical force per plate against time (N, s; as recorded) with the stored body weight
// as a dashed line and the runner's events marked along the top, and the COP (low-pass filtered as
// analysed, lowpass_trace) inside the plate outline(s), "Zoom to sway" (default) or the whole plate(s).
class TrialChartsWidget : public QWidget {
  Q_OBJECT
 public:
  explicit TrialChartsWidget(QWidget* parent = nullptr);
  ~TrialChartsWidget() override;

  // Shows the trial (its samples are kept for redrawing at other sizes). `title` heads the charts.
  void show_trial(const data::Trial& trial, const QString& title = {});
  // No trial: empty charts and `message` in the title line.
  void clear(const QString& message = {});
  bool has_trial() const;

  // For tests and screenshots.
  QLabel* title_label() const;
  QCheckBox* zoom_box() const;
  CopChart* cop_chart() const;
  int plate_count() const;
  std::size_t force_point_count(int plate) const;
  QList<QPointF> force_points(int plate) const;
  std::size_t cop_point_count(int plate) const;
  QList<QPointF> cop_points(int plate) const;
  QStringList force_series_names() const;
  QStringList axis_titles() const;  // force x, force y, COP x, COP y
  QRectF force_range() const;       // time range (x) and force range (y) of the axes
  std::optional<double> body_weight_line_n() const;
  QStringList event_labels() const;  // in time order
  int force_redraw_count() const;    // each redraw: one replace() per series

 private:
  void redraw_force();
  void update_cop_region();

  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace fp::gui
