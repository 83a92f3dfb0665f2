#pragma once
// The small interface the window draws through. Qt Charts is deprecated from Qt 6.10 in favour of
// Qt Graphs; only qtcharts_views.cpp knows which one is behind these classes.
//
// Contract: the window decimates first (LiveSeriesBuffer / LiveTraceBuffer) and hands each series
// over once per frame; implementations replace the whole series in one call, never point by point.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "forceplate/gui/live_series_buffer.hpp"

class QWidget;

namespace fp::gui {

// Scrolling y(t) chart, one line per series.
class TimeSeriesView {
 public:
  virtual ~TimeSeriesView() = default;
  virtual QWidget* widget() = 0;
  virtual void set_series(const std::vector<std::string>& names) = 0;
  // A changed range may empty the series (the caller replaces each one after it in the same frame).
  virtual void set_time_range(double t0_s, double t1_s) = 0;
  virtual void set_value_range(double lo, double hi) = 0;
  virtual void replace(std::size_t series, const std::vector<SeriesPoint>& points) = 0;
  // Width of the plotting area in device pixels: the number of columns worth keeping.
  virtual int plot_width_px() const = 0;
  virtual std::size_t point_count(std::size_t series) const = 0;
  // A horizontal band across the whole time range (e.g. body weight ± 5 %), drawn as two dashed
  // lines with one legend entry; hi <= lo removes it.
  virtual void set_band(double lo, double hi, const std::string& name) = 0;
  virtual bool has_band() const = 0;
};

// A closed outline drawn behind a trajectory (a plate, a foot), in display units.
struct Outline {
  std::string name;             // legend entry; outlines with the same name share one entry
  std::vector<TracePoint> points;  // t unused; the first point is repeated at the end when drawn
  bool dashed = false;
};

// x-y trajectory on equal scales (a statokinesigram), with rectangular outlines behind it.
// Coordinates are in display units (mm).
class TrajectoryView {
 public:
  virtual ~TrajectoryView() = default;
  virtual QWidget* widget() = 0;
  virtual void set_traces(const std::vector<std::string>& names) = 0;
  // One centred rectangle (width along x, length along y) with its legend name; clears if w <= 0.
  virtual void set_outline(double width, double length, const std::string& name) = 0;
  // The region that must be visible; the view widens one axis so that both have the same scale.
  virtual void set_region(double x_lo, double x_hi, double y_lo, double y_hi) = 0;
  // The trace and, marked, its latest point.
  virtual void replace(std::size_t trace, const std::vector<TracePoint>& points) = 0;
  // Display units per device pixel at the current size and region (for thinning).
  virtual double units_per_px() const = 0;
  virtual std::size_t point_count(std::size_t trace) const = 0;
  // More outlines than the centred plate of set_outline (two plates, the feet); replaces the last set.
  virtual void set_outlines(const std::vector<Outline>& outlines) = 0;
  virtual std::size_t outline_count() const = 0;
};

struct AxisLabels {
  std::string title;
  std::string x;
  std::string y;
};

std::unique_ptr<TimeSeriesView> make_time_series_view(const AxisLabels& labels, QWidget* parent);
std::unique_ptr<TrajectoryView> make_trajectory_view(const AxisLabels& labels, QWidget* parent);

}  // namespace fp::gui
