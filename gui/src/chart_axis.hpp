#pragma once
// Value axes of the Qt Charts charts (internal to fp_gui).
#include <QtCharts/QValueAxis>

namespace fp::gui {

// Sets a range and a round tick step with as many decimals as the step needs (2.5 is labelled
// 2.5, 5.0 and 7.5, not 3, 5 and 8), touching the axis only when something changed: every change
// lays the chart out again.
void set_axis(QValueAxis* axis, double lo, double hi, double step);

}  // namespace fp::gui
