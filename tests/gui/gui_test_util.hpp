#pragma once
// Small helpers shared by the GUI tests.
#include <QElapsedTimer>
#include <QTest>

#include <functional>

namespace fp::gui::test {

// Processes events until `done` or the timeout; returns done().
inline bool wait_until(const std::function<bool()>& done, int timeout_ms) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > timeout_ms) return false;
    QTest::qWait(20);
  }
  return true;
}

}  // namespace fp::gui::test
