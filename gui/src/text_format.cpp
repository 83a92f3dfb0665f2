#include "text_format.hpp"

#include <algorithm>
#include <cmath>

namespace fp::gui {

QString num(double v) {
  if (!std::isfinite(v)) return QStringLiteral("–");
  if (v == 0) return QStringLiteral("0");
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  QString s = QString::number(v, 'f', std::clamp(3 - magnitude, 0, 4));
  if (s.contains('.')) {
    while (s.endsWith('0')) s.chop(1);
    if (s.endsWith('.')) s.chop(1);
  }
  return s == QStringLiteral("-0") ? QStringLiteral("0") : s;
}

}  // namespace fp::gui
