#pragma once
// How the clinic window writes strings and numbers (internal to fp_gui).
#include <QString>

#include <string>

namespace fp::gui {

inline QString qs(const std::string& s) { return QString::fromStdString(s); }

// A value with about four significant digits, trailing zeros dropped ("0.19", "735.6", "12"); "–"
// when not finite; never "-0".
QString num(double v);

}  // namespace fp::gui
