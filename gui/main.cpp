// forceplate-gui: the clinic window.
//
//   forceplate-gui                       choose a source in the window
//   forceplate-gui --simulator           connect to the built-in simulated plate at start
//   forceplate-gui --device /dev/ttyACM0
//   forceplate-gui --simulator --screenshot out.png --quit-after 6   (headless check of the screen)
#include <QApplication>
#include <QTabWidget>
#include <QCommandLineParser>
#include <QPixmap>
#include <QTimer>

#include <cstdio>
#include <filesystem>
#include <optional>

#include <QEventLoop>
#include <QLabel>
#include <QPushButton>

#include "forceplate/gui/calibration_wizard.hpp"
#include "forceplate/gui/clinic_tabs.hpp"
#include "forceplate/gui/main_window.hpp"
#include "forceplate/gui/report.hpp"
#include "forceplate/gui/session_run_view.hpp"
#include "forceplate/gui/training_view.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("forceplate-gui");
  QApplication::setApplicationVersion(FP_SOFTWARE_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription("Live view of a force plate: vertical force and centre of pressure.");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption simulator_opt("simulator", "Connect to the built-in simulated plate at start.");
  const QCommandLineOption device_opt("device", "Connect to the plate on serial port <path> at start.", "path");
  const QCommandLineOption screenshot_opt(
      "screenshot", "Save the window to <file> (PNG) when --quit-after expires; errors never open dialogs.", "file");
  const QCommandLineOption quit_opt("quit-after", "Quit after <seconds> (default 6 with --screenshot).", "seconds");
  const QCommandLineOption rate_opt("sim-rate", "Sample rate of the built-in simulator, Hz (10..2000).", "hz", "1000");
  const QCommandLineOption plates_opt("sim-plates", "Plates of the built-in simulator (1 or 2).", "n", "1");
  const QCommandLineOption zoom_opt("whole-plate", "Start with the centre-of-pressure chart showing the whole plate instead of the sway close up.");
  const QCommandLineOption archive_opt("archive", "The archive shown in the Clinic tab (default: $FORCEPLATE_ARCHIVE or the per-user folder).", "dir");
  const QCommandLineOption tab_opt("tab", "Open on this tab: live, session, training or clinic (for screenshots).", "name", "live");
  const QCommandLineOption patient_opt("patient", "Clinic tab: show this patient's latest session and comparison.", "id");
  const QCommandLineOption page_opt("clinic-page", "Clinic tab page: patients, session, comparison or history.", "name", "patients");
  const QCommandLineOption report_opt("report", "Write the PDF report of --patient (their sessions compared; one session: its report) to <file> and exit.", "file");
  const QCommandLineOption start_opt("start-test", "Session tab: start this test as soon as the plate is connected (e.g. single-leg-stance-eyes-open).", "id");
  const QCommandLineOption side_opt("side", "With --start-test: the side of a one-sided test (left or right).", "side");
  const QCommandLineOption speed_opt("sim-speed", "The built-in simulator runs this many times faster than real time (1..20; for demonstrations and screenshots).", "x", "1");
  const QCommandLineOption shot_state_opt("screenshot-at", "With --start-test and --screenshot: save the screenshot (and quit) when the trial is recording or has its result.", "recording|result");
  const QCommandLineOption calibrate_opt("calibrate", "Open the calibration wizard once the plate is connected (with --screenshot: the wizard is saved, at its step --calibration-step).");
  const QCommandLineOption cal_step_opt("calibration-step", "With --calibrate: advance the wizard this many steps before the screenshot.", "n", "0");
  parser.addOptions({speed_opt, shot_state_opt, calibrate_opt, cal_step_opt, start_opt, side_opt, simulator_opt, device_opt, screenshot_opt, quit_opt, rate_opt, plates_opt, zoom_opt, archive_opt, tab_opt,
                     patient_opt, page_opt, report_opt});
  parser.process(app);

  const auto fail = [](const QString& message) {
    std::fprintf(stderr, "forceplate-gui: %s\n", qPrintable(message));
    return 2;
  };
  if (parser.isSet(simulator_opt) && parser.isSet(device_opt)) {
    return fail("--simulator and --device exclude each other");
  }
  fp::gui::MainWindowOptions options;
  bool ok = false;
  options.simulator.rate_hz = parser.value(rate_opt).toDouble(&ok);
  if (!ok || options.simulator.rate_hz < 10 || options.simulator.rate_hz > 2000) {
    return fail("--sim-rate must be a number from 10 to 2000");
  }
  options.simulator.plate_count = parser.value(plates_opt).toInt(&ok);
  if (!ok || options.simulator.plate_count < 1 || options.simulator.plate_count > 2) {
    return fail("--sim-plates must be 1 or 2");
  }
  options.simulator.speed = parser.value(speed_opt).toDouble(&ok);
  if (!ok || options.simulator.speed < 1 || options.simulator.speed > 20) return fail("--sim-speed must be a number from 1 to 20");
  const QString shot_state = parser.value(shot_state_opt);
  if (!shot_state.isEmpty() && shot_state != "recording" && shot_state != "result") {
    return fail("--screenshot-at must be recording or result");
  }
  if (!shot_state.isEmpty() && (!parser.isSet(start_opt) || !parser.isSet(screenshot_opt))) {
    return fail("--screenshot-at needs --start-test and --screenshot");
  }
  const int calibration_steps = parser.value(cal_step_opt).toInt(&ok);
  if (!ok || calibration_steps < 0) return fail("--calibration-step must be a whole number >= 0");
  const QString screenshot = parser.value(screenshot_opt);
  double quit_after = -1;
  if (parser.isSet(quit_opt)) {
    quit_after = parser.value(quit_opt).toDouble(&ok);
    if (!ok || quit_after < 0) return fail("--quit-after must be a number of seconds >= 0");
  } else if (!screenshot.isEmpty()) {
    quit_after = 6;
  }
  options.error_dialogs = screenshot.isEmpty() && quit_after < 0;
  options.zoom_to_sway = !parser.isSet(zoom_opt);
  options.archive_dir = parser.value(archive_opt).toStdString();

  if (parser.isSet(report_opt)) {  // headless: the report of one patient
    if (!parser.isSet(patient_opt)) return fail("--report needs --patient");
    try {
      const fp::data::Archive archive =
          fp::data::Archive::open(options.archive_dir.empty() ? fp::data::default_archive_dir()
                                                                    : std::filesystem::path(options.archive_dir));
      const std::string id = parser.value(patient_opt).toStdString();
      const auto defs = fp::workflow::load_definitions({fp::workflow::built_in_definitions_dir()});
      const auto& catalog = fp::workflow::MeasureCatalog::built_in();
      const auto sessions = archive.list_sessions(id);
      if (sessions.empty()) return fail(QString::fromStdString("patient " + id + " has no sessions"));
      const std::filesystem::path out = parser.value(report_opt).toStdString();
      const int pages = sessions.size() >= 2
                            ? fp::gui::write_comparison_report(out, archive, id, "", "", defs, catalog,
                                                               fp::workflow::MdcTable::load(fp::workflow::built_in_mdc_table()))
                            : fp::gui::write_session_report(out, archive, sessions.back().id, defs, catalog);
      std::printf("%s: %d page(s)\n", out.c_str(), pages);
      return 0;
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }

  fp::gui::MainWindow window(options);
  QWidget* wizard = nullptr;
  const auto save_and_quit = [&window, &wizard, screenshot] {
    int code = 0;
    if (!screenshot.isEmpty()) {
      const QPixmap shot = wizard ? wizard->grab() : window.grab();
      if (shot.isNull() || !shot.save(screenshot, "PNG")) {
        std::fprintf(stderr, "forceplate-gui: cannot write the screenshot to %s\n", qPrintable(screenshot));
        code = 1;
      }
    }
    QCoreApplication::exit(code);
  };
  const QString tab = parser.value(tab_opt);
  QWidget* const pages[] = {window.tabs()->widget(0), window.session_view(), window.training_panel(), window.clinic()};
  const int index = tab == "live" ? 0 : tab == "session" ? 1 : tab == "training" ? 2 : tab == "clinic" ? 3 : -1;
  if (index < 0) return fail("--tab must be live, session, training or clinic");
  window.tabs()->setCurrentWidget(pages[index]);
  if (auto* clinic = window.clinic()) {
    if (parser.isSet(patient_opt)) clinic->show_patient(parser.value(patient_opt).toStdString());
    const QString page = parser.value(page_opt);
    const int sub = page == "patients" ? 0 : page == "session" ? 1 : page == "comparison" ? 2 : page == "history" ? 3 : -1;
    if (sub < 0) return fail("--clinic-page must be patients, session, comparison or history");
    clinic->tabs()->setCurrentIndex(sub);
  }
  if (parser.isSet(patient_opt)) window.session_view()->set_patient(parser.value(patient_opt).toStdString());
  if (parser.isSet(start_opt)) {
    std::optional<fp::analysis::Side> side;
    const QString s = parser.value(side_opt);
    if (s == "left") side = fp::analysis::Side::left;
    else if (s == "right") side = fp::analysis::Side::right;
    else if (!s.isEmpty()) return fail("--side must be left or right");
    if (!window.session_view()->select_test(parser.value(start_opt).toStdString(), side)) {
      return fail(window.session_view()->status_label()->text());
    }
    // Started once the plate streams; with --screenshot-at, saved when the trial gets there.
    auto* poll = new QTimer(&window);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, poll, shot_state, save_and_quit] {
      if (!window.is_connected()) return;
      fp::gui::SessionRunView* v = window.session_view();
      if (!v->runner()) {
        if (!v->start_trial()) {
          std::fprintf(stderr, "forceplate-gui: %s\n", qPrintable(v->status_label()->text()));
          QCoreApplication::exit(1);
        }
        if (shot_state.isEmpty()) poll->stop();
        return;
      }
      const bool there = shot_state == "recording" ? v->runner()->state() == fp::workflow::RunnerState::recording &&
                                                         v->runner()->live().time_left_s < 0.6 * v->runner()->config().test.end.duration_s
                                                   : v->runner()->waiting_for_decision();
      if (there) {
        poll->stop();
        QTimer::singleShot(400, &window, save_and_quit);  // one more redraw of the charts
      }
    });
    poll->start(100);
  }
  if (parser.isSet(calibrate_opt)) {
    auto* poll = new QTimer(&window);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, &wizard, poll, calibration_steps, screenshot, save_and_quit] {
      if (!window.is_connected()) return;
      poll->stop();
      wizard = window.open_calibration_wizard();
      if (auto* w = dynamic_cast<fp::gui::CalibrationWizard*>(wizard)) {
        for (int i = 0; i < calibration_steps; ++i) {
          // Each step measures for about a second; wait for it before the next.
          while (w->busy()) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
          w->next_button()->click();
          while (w->busy()) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        }
      }
      if (!screenshot.isEmpty()) QTimer::singleShot(300, &window, save_and_quit);
    });
    poll->start(100);
  }
  window.show();
  if (parser.isSet(simulator_opt)) window.connect_to_simulator();
  if (parser.isSet(device_opt)) window.connect_to_device(parser.value(device_opt));

  if (quit_after >= 0 && shot_state.isEmpty() && !(parser.isSet(calibrate_opt) && !parser.isSet(quit_opt))) {
    QTimer::singleShot(static_cast<int>(quit_after * 1000), &window, save_and_quit);
  } else if (!shot_state.isEmpty() || !screenshot.isEmpty()) {
    QTimer::singleShot(180000, &window, [] {  // never hang: a trial that does not get there fails
      std::fprintf(stderr, "forceplate-gui: the screen asked for was not reached within 180 s\n");
      QCoreApplication::exit(1);
    });
  }
  return QApplication::exec();
}
