#pragma once
// What a live chart needs, in plain C++ (no Qt, so it is unit-tested on its own and survives the
// move from Qt Charts to Qt Graphs): time-windowed buffers of the latest samples, and decimation to
// at most what the screen can show.
//
// Decimation keeps, for each pixel column, the sample with the smallest and the one with the
// largest value (PulseView's min/max envelope): a line through those points covers exactly the
// pixels the full-rate line would, so a 2 kHz spike stays visible on an 800-pixel chart.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace fp::gui {

struct SeriesPoint {
  double t = 0;  // s
  double y = 0;
};

// The last `window_s` seconds of one scalar series, in time order.
class LiveSeriesBuffer {
 public:
  explicit LiveSeriesBuffer(double window_s);

  // Appends one point and drops the ones older than latest - window. Non-finite values are ignored.
  // A time earlier than the latest one (the device restarted its clock) starts the buffer afresh.
  void append(double t, double y);
  void clear() { points_.clear(); }

  double window_s() const { return window_s_; }
  std::size_t size() const { return points_.size(); }
  bool empty() const { return points_.empty(); }
  double latest_time() const;  // NaN when empty
  const std::deque<SeriesPoint>& points() const { return points_; }

  // Mean of the values with t > latest - span_s (NaN when empty).
  double mean_over_last(double span_s) const;
  // Smallest and largest value with t in [t0, t1]; false if there is none.
  bool value_range(double t0, double t1, double& lo, double& hi) const;

  // Splits [t0, t1] into `columns` equal columns and returns, for each column holding points, its
  // minimum and its maximum point (one point if they coincide), in time order. At most 2 x columns
  // points; every returned point is one of the buffer's own points.
  std::vector<SeriesPoint> decimate_min_max(double t0, double t1, int columns) const;

 private:
  double window_s_;
  std::deque<SeriesPoint> points_;
};

struct TracePoint {
  double t = 0;  // s
  double x = 0;
  double y = 0;
};

// The last `window_s` seconds of a 2-D trace (the centre of pressure), in time order.
class LiveTraceBuffer {
 public:
  explicit LiveTraceBuffer(double window_s);

  // Non-finite coordinates (an unloaded plate: no centre of pressure) are skipped. A time earlier
  // than the latest one starts the buffer afresh.
  void append(double t, double x, double y);
  void clear() { points_.clear(); }

  std::size_t size() const { return points_.size(); }
  bool empty() const { return points_.empty(); }
  const std::deque<TracePoint>& points() const { return points_; }

  // Mean position over the points with t > latest - span_s; false when empty.
  bool mean_over_last(double span_s, double& x, double& y) const;
  // Bounding box of the whole buffer; false when empty.
  bool bounds(double& x_lo, double& x_hi, double& y_lo, double& y_hi) const;

  // Thins the trace for drawing: keeps the first point, then every point at least `min_step` away
  // from the last one kept, and always the last point. If that still leaves more than max_points,
  // keeps every k-th of them (and the last).
  std::vector<TracePoint> thin(double min_step, std::size_t max_points) const;

 private:
  double window_s_;
  std::deque<TracePoint> points_;
};

// Sample rate measured from a cumulative sample counter observed at host times, over the last
// `span_s` seconds. Pure: the caller passes the clock.
class RateMeter {
 public:
  explicit RateMeter(double span_s = 1.0) : span_s_(span_s) {}
  // A counter lower than the previous one (a new connection) starts the measurement afresh.
  void add(double host_time_s, std::uint64_t total_count);
  void reset() { history_.clear(); }
  // Samples per second over the last span; NaN until observations cover a quarter of the span.
  double rate_hz() const;

 private:
  struct Obs {
    double t;
    std::uint64_t n;
  };
  double span_s_;
  std::deque<Obs> history_;
};

// The smallest of 1, 2, 2.5, 5 x 10^k that is >= v (v > 0): round axis limits and tick steps.
double nice_ceil(double v);

}  // namespace fp::gui
