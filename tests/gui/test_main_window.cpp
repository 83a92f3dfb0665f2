// The window end to end, offscreen: against the built-in simulator (which knows the truth it
// generates), against a simulator on a port given by path, and against ports that fail.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>

#include <functional>

#include "forceplate/gui/live_source.hpp"
#include "forceplate/gui/main_window.hpp"
#include "forceplate/simulator/pty.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "gui_test_util.hpp"

namespace fp::gui {
namespace {

constexpr double kGravity = 9.80665;

MainWindowOptions headless() {
  MainWindowOptions o;
  o.error_dialogs = false;  // a dialog would wait for a click forever
  return o;
}

using test::wait_until;

// A label's text, with the non-breaking spaces the status line uses read as spaces.
QString text_of(const MainWindow& w, const char* name) {
  const auto* label = w.findChild<QLabel*>(name);
  return label ? QString(label->text()).replace(QChar(0x00A0), ' ') : QString("<no label %1>").arg(name);
}

// "<number> <what>" in the status line, e.g. "0 samples missing"; -1 when absent.
long long count_in_status(const QString& status, const QString& what) {
  const QRegularExpression re("(\\d+) " + QRegularExpression::escape(what));
  const auto m = re.match(status);
  return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

double measured_rate(const QString& status) {
  const auto m = QRegularExpression("(\\d+) Hz measured").match(status);
  return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

// The number at the start of a readout such as "735.4 N".
double leading_number(const QString& text) {
  bool ok = false;
  const double v = text.section(' ', 0, 0).toDouble(&ok);
  return ok ? v : -1;
}

TEST(MainWindow, BuiltInSimulator_ShowsConnectedSerialBodyWeightAndNoMissingSamples) {
  MainWindow w(headless());
  w.resize(1280, 800);
  w.show();
  w.connect_to_simulator();
  const sim::SimulatorConfig& truth = w.options().simulator;

  ASSERT_TRUE(wait_until([&] { return w.is_connected() && w.force_view().point_count(0) > 0; }, 10000))
      << "status: " << text_of(w, "statusLine").toStdString();
  // The person steps on at 1.0 s and is fully on at 1.6 s (device time); give them until ~3 s.
  QTest::qWait(3000);
  ASSERT_TRUE(w.is_connected()) << text_of(w, "statusLine").toStdString();

  const QString status = text_of(w, "statusLine");
  EXPECT_TRUE(status.startsWith(QString::fromUtf8("● Connected to ") + QString::fromStdString(truth.serial)))
      << status.toStdString();
  EXPECT_EQ(count_in_status(status, "samples missing"), 0) << status.toStdString();
  EXPECT_EQ(count_in_status(status, "CRC errors"), 0) << status.toStdString();
  EXPECT_NEAR(measured_rate(status), truth.rate_hz, 0.1 * truth.rate_hz) << status.toStdString();
  EXPECT_TRUE(status.contains("last error: none")) << status.toStdString();

  const double weight = truth.scenario.mass_kg * kGravity;  // 735.5 N for 75 kg
  const QString fz = text_of(w, "fzReadout");
  EXPECT_TRUE(fz.endsWith(" N")) << fz.toStdString();
  EXPECT_NEAR(leading_number(fz), weight, 0.05 * weight) << fz.toStdString();
  EXPECT_TRUE(text_of(w, "copReadout").contains(QRegularExpression("ML [+-]\\d+\\.\\d\\s+AP [+-]\\d+\\.\\d mm")))
      << text_of(w, "copReadout").toStdString();

  // Decimated, but there: about two points per pixel column of 3 s and more of force...
  EXPECT_GT(w.force_view().point_count(0), 100u);
  EXPECT_LE(w.force_view().point_count(0), 2u * static_cast<std::size_t>(w.force_view().plot_width_px()));
  // ...and a centre-of-pressure trace since the person stepped on.
  EXPECT_GT(w.cop_view().point_count(0), 0u);

  auto* button = w.findChild<QPushButton*>("connectButton");
  ASSERT_NE(button, nullptr);
  EXPECT_EQ(button->text(), "Disconnect");
  QTest::mouseClick(button, Qt::LeftButton);
  EXPECT_FALSE(w.is_connected());
  EXPECT_TRUE(text_of(w, "statusLine").contains("Not connected")) << text_of(w, "statusLine").toStdString();
  EXPECT_EQ(button->text(), "Connect");
}

TEST(MainWindow, DeviceGoneWhileStreaming_ShowsDeviceLostAtOnceAndGoesOnWhenItIsBack) {
  MainWindowOptions o = headless();
  o.simulator.rate_hz = 500;
  o.simulator.serial = "SIM-LOST-7";
  MainWindow w(o);
  w.show();
  w.connect_to_simulator();
  ASSERT_TRUE(wait_until([&] { return w.is_connected() && w.force_view().point_count(0) > 0; }, 10000))
      << text_of(w, "statusLine").toStdString();
  EXPECT_TRUE(text_of(w, "statusLine").contains("SIM-LOST-7"));
  sim::Simulator* simulator = w.source()->simulator();
  ASSERT_NE(simulator, nullptr);

  simulator->unplug();  // the cable is pulled
  ASSERT_TRUE(wait_until([&] { return w.device_lost(); }, 3000)) << text_of(w, "statusLine").toStdString();
  QTest::qWait(100);
  QString status = text_of(w, "statusLine");
  EXPECT_TRUE(status.contains("DEVICE LOST")) << status.toStdString();
  EXPECT_TRUE(status.contains("SIM-LOST-7")) << status.toStdString();
  EXPECT_TRUE(w.is_connected()) << "the window keeps the connection, which looks for the plate";
  EXPECT_GT(w.force_view().point_count(0), 0u) << "the last data stay on screen";
  EXPECT_FALSE(w.findChild<QPushButton*>("tareButton")->isEnabled());

  simulator->plug_in();  // back, on a new port
  ASSERT_TRUE(wait_until([&] { return !w.device_lost(); }, 10000)) << text_of(w, "statusLine").toStdString();
  const unsigned long long before = w.redraws();
  ASSERT_TRUE(wait_until([&] { return w.redraws() > before + 5; }, 5000));
  status = text_of(w, "statusLine");
  EXPECT_TRUE(status.contains("Connected to SIM-LOST-7")) << status.toStdString();
  EXPECT_TRUE(status.contains("1 times lost")) << status.toStdString();
}

TEST(MainWindow, PortThatCannotOpen_ShowsTheErrorInTheStatusLine) {
  MainWindow w(headless());
  w.show();
  w.connect_to_device("/dev/does-not-exist-forceplate");
  ASSERT_TRUE(wait_until([&] { return !w.is_connecting(); }, 5000));
  EXPECT_FALSE(w.is_connected());
  const QString status = text_of(w, "statusLine");
  EXPECT_TRUE(status.contains("Not connected")) << status.toStdString();
  EXPECT_TRUE(status.contains("cannot open serial port /dev/does-not-exist-forceplate")) << status.toStdString();
  EXPECT_EQ(w.findChild<QPushButton*>("connectButton")->text(), "Connect");
}

TEST(MainWindow, PortWithNoValidFrames_ShowsTheErrorInTheStatusLine) {
  // A pseudo-terminal nobody writes to: the port opens, but no frame ever arrives.
  sim::PseudoTerminal silent;
  MainWindow w(headless());
  w.show();
  w.connect_to_device(QString::fromStdString(silent.slave_path()));
  ASSERT_TRUE(wait_until([&] { return !w.is_connecting(); }, 10000));
  EXPECT_FALSE(w.is_connected());
  const QString status = text_of(w, "statusLine");
  EXPECT_TRUE(status.contains("no valid frames")) << status.toStdString();
}

}  // namespace
}  // namespace fp::gui
