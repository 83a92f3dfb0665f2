#include "forceplate/gui/live_series_buffer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fp::gui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

LiveSeriesBuffer::LiveSeriesBuffer(double window_s) : window_s_(window_s) {}

void LiveSeriesBuffer::append(double t, double y) {
  if (!std::isfinite(t) || !std::isfinite(y)) return;
  if (!points_.empty() && t < points_.back().t) points_.clear();
  points_.push_back({t, y});
  const double oldest = t - window_s_;
  while (!points_.empty() && points_.front().t < oldest) points_.pop_front();
}

double LiveSeriesBuffer::latest_time() const { return points_.empty() ? kNaN : points_.back().t; }

double LiveSeriesBuffer::mean_over_last(double span_s) const {
  if (points_.empty()) return kNaN;
  const double from = points_.back().t - span_s;
  double sum = 0;
  std::size_t n = 0;
  for (auto it = points_.rbegin(); it != points_.rend() && (it->t > from || n == 0); ++it) {
    sum += it->y;
    ++n;
  }
  return sum / static_cast<double>(n);
}

bool LiveSeriesBuffer::value_range(double t0, double t1, double& lo, double& hi) const {
  auto first = std::lower_bound(points_.begin(), points_.end(), t0,
                                [](const SeriesPoint& p, double t) { return p.t < t; });
  bool any = false;
  for (auto it = first; it != points_.end() && it->t <= t1; ++it) {
    if (!any) {
      lo = hi = it->y;
      any = true;
    } else {
      lo = std::min(lo, it->y);
      hi = std::max(hi, it->y);
    }
  }
  return any;
}

std::vector<SeriesPoint> LiveSeriesBuffer::decimate_min_max(double t0, double t1, int columns) const {
  std::vector<SeriesPoint> out;
  if (columns < 1 || !(t1 > t0) || points_.empty()) return out;
  out.reserve(2 * static_cast<std::size_t>(columns));
  const double per_column = static_cast<double>(columns) / (t1 - t0);
  auto it = std::lower_bound(points_.begin(), points_.end(), t0,
                             [](const SeriesPoint& p, double t) { return p.t < t; });
  const auto end = points_.end();
  while (it != end && it->t <= t1) {
    const int column = std::min(columns - 1, static_cast<int>((it->t - t0) * per_column));
    auto lo = it, hi = it;
    for (++it; it != end && it->t <= t1 &&
               std::min(columns - 1, static_cast<int>((it->t - t0) * per_column)) == column;
         ++it) {
      if (it->y < lo->y) lo = it;
      if (it->y > hi->y) hi = it;
    }
    if (lo == hi) {
      out.push_back(*lo);
    } else if (lo->t <= hi->t) {
      out.push_back(*lo);
      out.push_back(*hi);
    } else {
      out.push_back(*hi);
      out.push_back(*lo);
    }
  }
  return out;
}

LiveTraceBuffer::LiveTraceBuffer(double window_s) : window_s_(window_s) {}

void LiveTraceBuffer::append(double t, double x, double y) {
  if (!std::isfinite(t) || !std::isfinite(x) || !std::isfinite(y)) return;
  if (!points_.empty() && t < points_.back().t) points_.clear();
  points_.push_back({t, x, y});
  const double oldest = t - window_s_;
  while (!points_.empty() && points_.front().t < oldest) points_.pop_front();
}

bool LiveTraceBuffer::mean_over_last(double span_s, double& x, double& y) const {
  if (points_.empty()) return false;
  const double from = points_.back().t - span_s;
  double sx = 0, sy = 0;
  std::size_t n = 0;
  for (auto it = points_.rbegin(); it != points_.rend() && (it->t > from || n == 0); ++it) {
    sx += it->x;
    sy += it->y;
    ++n;
  }
  x = sx / static_cast<double>(n);
  y = sy / static_cast<double>(n);
  return true;
}

bool LiveTraceBuffer::bounds(double& x_lo, double& x_hi, double& y_lo, double& y_hi) const {
  if (points_.empty()) return false;
  x_lo = x_hi = points_.front().x;
  y_lo = y_hi = points_.front().y;
  for (const TracePoint& p : points_) {
    x_lo = std::min(x_lo, p.x);
    x_hi = std::max(x_hi, p.x);
    y_lo = std::min(y_lo, p.y);
    y_hi = std::max(y_hi, p.y);
  }
  return true;
}

std::vector<TracePoint> LiveTraceBuffer::thin(double min_step, std::size_t max_points) const {
  std::vector<TracePoint> kept;
  if (points_.empty()) return kept;
  const double step2 = min_step * min_step;
  kept.push_back(points_.front());
  for (std::size_t i = 1; i < points_.size(); ++i) {
    const TracePoint& p = points_[i];
    const double dx = p.x - kept.back().x, dy = p.y - kept.back().y;
    if (dx * dx + dy * dy >= step2 || i + 1 == points_.size()) kept.push_back(p);
  }
  if (max_points >= 2 && kept.size() > max_points) {
    const std::size_t stride = (kept.size() + max_points - 2) / (max_points - 1);
    std::vector<TracePoint> strided;
    strided.reserve(max_points);
    for (std::size_t i = 0; i + 1 < kept.size(); i += stride) strided.push_back(kept[i]);
    strided.push_back(kept.back());
    kept.swap(strided);
  }
  return kept;
}

void RateMeter::add(double host_time_s, std::uint64_t total_count) {
  if (!history_.empty() && (total_count < history_.back().n || host_time_s < history_.back().t)) {
    history_.clear();
  }
  history_.push_back({host_time_s, total_count});
  // Keep one observation at or before now - span as the reference point.
  while (history_.size() >= 2 && history_[1].t <= host_time_s - span_s_) history_.pop_front();
}

double RateMeter::rate_hz() const {
  if (history_.size() < 2) return kNaN;
  const Obs& a = history_.front();
  const Obs& b = history_.back();
  const double dt = b.t - a.t;
  if (dt < 0.25 * span_s_) return kNaN;
  return static_cast<double>(b.n - a.n) / dt;
}

double nice_ceil(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1.0;
  const double decade = std::pow(10.0, std::floor(std::log10(v)));
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * decade >= v * (1 - 1e-12)) return m * decade;
  }
  return 10.0 * decade;
}

}  // namespace fp::gui
