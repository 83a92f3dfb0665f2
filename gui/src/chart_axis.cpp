#include "chart_axis.hpp"

#include <cmath>

namespace fp::gui {

void set_axis(QValueAxis* axis, double lo, double hi, double step) {
  if (!(hi > lo)) hi = lo + 1;
  if (axis->min() != lo || axis->max() != hi) axis->setRange(lo, hi);
  if (axis->tickInterval() != step) {
    axis->setTickInterval(step);
    int decimals = 0;
    while (decimals < 4 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-9) {
      ++decimals;
    }
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
  }
}

}  // namespace fp::gui
