// A whole clinic visit through the window, offscreen, against the built-in simulator (two plates,
// faster than real time): create a patient, connect, tare, run single-leg stance left and right
// and a hop-and-stick, accept, see the results, compare with the earlier session, export the PDF.
// The checks are on what the widgets show and what the archive holds, against what the simulated
// patient was made to do (mass, side, test).
#include <gtest/gtest.h>

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "forceplate/gui/clinic_tabs.hpp"
#include "forceplate/gui/live_source.hpp"
#include "forceplate/gui/main_window.hpp"
#include "forceplate/gui/patient_history.hpp"
#include "forceplate/gui/patients_page.hpp"
#include "forceplate/gui/session_pages.hpp"
#include "forceplate/gui/session_run_view.hpp"
#include "forceplate/gui/training_view.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/training.hpp"
#include "forceplate/workflow/trial_runner.hpp"
#include "gui_test_util.hpp"

namespace fp::gui {
namespace {

namespace fs = std::filesystem;
using workflow::RunnerState;

constexpr double kMassKg = 72;
constexpr double kGravity = 9.80665;

using test::wait_until;

QString plain(const QLabel* label) {
  QString t = label->text();
  t.replace(QChar(0x00A0), ' ');
  return t;
}

class ClinicVisit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(FP_BINARY_DIR) / ("clinic-visit-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    window_.reset();
    fs::remove_all(dir_);
  }

  MainWindow& open_window(std::function<CloseChoice()> confirm = {}) {
    MainWindowOptions o;
    o.error_dialogs = false;
    o.archive_dir = (dir_ / "archive").string();
    o.calibration_dir = dir_ / "calibrations";
    o.simulator.rate_hz = 500;
    o.simulator.plate_count = 2;
    o.simulator.speed = 5;  // a 30 s stance trial in about 8 s
    o.simulator.scenario.name = "empty";  // nobody on the plate until a test starts
    o.confirm_close = std::move(confirm);
    window_ = std::make_unique<MainWindow>(o);
    window_->show();
    window_->activateWindow();  // keyboard shortcuts go to the active window
    EXPECT_TRUE(QTest::qWaitForWindowActive(window_.get()));
    return *window_;
  }

  // Through the Clinic tab's "New patient" dialog, as the clinician does.
  void create_patient(MainWindow& w, const QString& id) {
    w.tabs()->setCurrentWidget(w.clinic());
    PatientDialog* dlg = w.clinic()->patients()->open_new_patient_dialog();
    ASSERT_NE(dlg, nullptr);
    dlg->id_edit()->setText(id);
    dlg->name_edit()->setText("Ada Example");
    dlg->dob_edit()->setText("1984-03-02");
    dlg->mass_box()->setValue(kMassKg);
    dlg->height_box()->setValue(1.70);
    dlg->side_box()->setCurrentIndex(dlg->side_box()->findText("left", Qt::MatchContains));
    dlg->diagnosis_edit()->setText("greater trochanteric pain syndrome");
    dlg->accept();
    ASSERT_TRUE(dlg->error_label()->text().isEmpty()) << dlg->error_label()->text().toStdString();
    ASSERT_EQ(w.clinic()->archive()->patient(id.toStdString()).mass_kg, kMassKg);
  }

  void connect_and_tare(MainWindow& w) {
    auto* connect = w.findChild<QPushButton*>("connectButton");
    w.findChild<QComboBox*>("sourceSelector")->setCurrentIndex(0);  // the built-in simulator
    QTest::mouseClick(connect, Qt::LeftButton);
    ASSERT_TRUE(wait_until([&] { return w.is_connected(); }, 10000)) << plain(w.findChild<QLabel*>("statusLine")).toStdString();
    QTest::qWait(800);  // half a second of the empty plate for the tare
    auto* tare = w.findChild<QPushButton*>("tareButton");
    ASSERT_TRUE(tare->isEnabled());
    QTest::mouseClick(tare, Qt::LeftButton);
    const QString status = plain(w.findChild<QLabel*>("statusLine"));
    EXPECT_TRUE(status.contains("zeroed with")) << status.toStdString();
  }

  // Selects the test, presses Space, waits for the result; returns the runner's outcome.
  const workflow::TrialOutcome* run_trial(MainWindow& w, const std::string& test, std::optional<analysis::Side> side) {
    SessionRunView* v = w.session_view();
    w.tabs()->setCurrentWidget(v);
    EXPECT_TRUE(v->select_test(test, side));
    w.activateWindow();  // (the patient dialog had the focus)
    EXPECT_TRUE(QTest::qWaitForWindowActive(&w));
    v->test_list()->setFocus();  // the clinician has just picked the test in the list
    QTest::keyClick(v->test_list(), Qt::Key_Space);
    if (!v->trial_in_progress()) {
      ADD_FAILURE() << "Space did not start the trial: " << plain(v->status_label()).toStdString();
      return nullptr;
    }
    // The cue shows the recording while it runs.
    EXPECT_TRUE(wait_until([&] { return v->runner() && v->runner()->state() == RunnerState::recording; }, 20000))
        << plain(v->cue_label()).toStdString() << " / " << plain(v->status_label()).toStdString();
    EXPECT_TRUE(plain(v->cue_label()).contains("recording")) << plain(v->cue_label()).toStdString();
    EXPECT_TRUE(plain(v->time_label()).contains("s left")) << plain(v->time_label()).toStdString();
    EXPECT_GT(v->force_view().point_count(0) + v->force_view().point_count(1), 0u);
    EXPECT_TRUE(v->force_view().has_band()) << "the body-weight band shows once the patient is weighed";
    if (!wait_until([&] { return v->runner()->waiting_for_decision(); }, 30000)) {
      ADD_FAILURE() << "no result: " << plain(v->cue_label()).toStdString();
      return nullptr;
    }
    QTest::qWait(50);
    return v->runner()->outcome();
  }

  fs::path dir_;
  std::unique_ptr<MainWindow> window_;
};

TEST_F(ClinicVisit, CreatePatientConnectTareRunAcceptResultsCompareAndExport) {
  MainWindow& w = open_window();
  create_patient(w, "GT-017");
  ASSERT_NO_FATAL_FAILURE(connect_and_tare(w));
  SessionRunView* v = w.session_view();
  w.tabs()->setCurrentWidget(v);
  ASSERT_EQ(v->patient_id(), "GT-017") << "the patient chosen in the Clinic tab is the session's";

  // The earlier visit: single-leg stance on each side.
  for (const analysis::Side side : {analysis::Side::left, analysis::Side::right}) {
    const workflow::TrialOutcome* out = run_trial(w, "single-leg-stance-eyes-open", side);
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(out->valid) << out->reason;
    ASSERT_TRUE(v->accept_button()->isEnabled());
    QTest::mouseClick(v->accept_button(), Qt::LeftButton);
    ASSERT_FALSE(v->last_stored_trial().empty()) << plain(v->status_label()).toStdString();
  }
  const std::string first_session = v->session_id();
  ASSERT_FALSE(first_session.empty());

  // Today's visit: a new session; pain before, the two stances and a hop-and-stick.
  QTest::mouseClick(v->findChild<QPushButton*>("newSession"), Qt::LeftButton);
  ASSERT_NE(v->session_id(), first_session);
  v->pain_before_box()->setValue(3);
  std::vector<std::string> stored;
  for (const analysis::Side side : {analysis::Side::left, analysis::Side::right}) {
    const workflow::TrialOutcome* out = run_trial(w, "single-leg-stance-eyes-open", side);
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(out->valid) << out->reason;
    // What the result shows: valid, the weighed body weight, the sway measures.
    const QString result = plain(v->result_label());
    EXPECT_TRUE(result.contains("VALID")) << result.toStdString();
    ASSERT_TRUE(out->body_weight_n.has_value());
    EXPECT_NEAR(*out->body_weight_n, kMassKg * kGravity, kMassKg * kGravity * 0.03);
    EXPECT_GT(v->measures_table()->rowCount(), 3);
    EXPECT_FALSE(v->measures_table()->findItems("path_length", Qt::MatchContains).isEmpty());
    v->pain_after_box()->setValue(side == analysis::Side::left ? 4 : 2);
    v->notes_edit()->setText("steady");
    QTest::mouseClick(v->accept_button(), Qt::LeftButton);
    stored.push_back(v->last_stored_trial());
  }
  {
    const workflow::TrialOutcome* out = run_trial(w, "single-leg-hop-and-stick", analysis::Side::left);
    ASSERT_NE(out, nullptr);
    ASSERT_TRUE(out->valid) << out->reason;
    EXPECT_FALSE(v->measures_table()->findItems("peak", Qt::MatchContains).isEmpty());
    QTest::mouseClick(v->accept_button(), Qt::LeftButton);
    stored.push_back(v->last_stored_trial());
  }
  // A weight-bearing training run on the two plates, the involved (left) leg's share to be held at
  // 45-55 %: the simulated patient stands evenly, so nearly all of the run is in the zone.
  {
    w.tabs()->setCurrentWidget(w.training_panel());
    sim::ScenarioSettings even;
    even.name = "step-on-off";
    even.mass_kg = kMassKg;
    even.params = {{"step_on_s", 0.0}, {"ramp_s", 0.1}, {"step_off_s", 3600.0}, {"load_share_left", 0.5}};
    w.source()->simulator()->play_scenario(even);
    QTest::qWait(300);
    workflow::TrainingDefinition d = w.training_panel()->definition_from_controls();
    d.mode = workflow::TrainingMode::weight_share;
    d.involved_side = analysis::Side::left;
    d.duration_s = 10;
    d.share_min_percent = 45;
    d.share_max_percent = 55;
    ASSERT_TRUE(w.training_panel()->start(d)) << w.training_panel()->status_label()->text().toStdString();
    ASSERT_TRUE(wait_until([&] { return !w.training_panel()->running(); }, 30000));
    ASSERT_TRUE(w.training_panel()->last_stored().has_value()) << w.training_panel()->status_label()->text().toStdString();
    EXPECT_EQ(w.training_panel()->last_stored()->session_id, v->session_id());
    const data::Trial training = w.clinic()->archive()->read_trial(w.training_panel()->last_stored()->id);
    double in_zone = -1;
    for (const data::Measurement& m : training.results) {
      if (m.name == "time_in_zone") in_zone = m.value;
    }
    EXPECT_GT(in_zone, 90.0);
    EXPECT_EQ(training.side, "left");
    // ... and it shows on the patient's history, over time.
    ASSERT_EQ(w.clinic()->history()->training_points().size(), 1u);
  }

  // The battery list counts the accepted trials.
  EXPECT_FALSE(v->test_list()->findItems("Single-leg hop and stick — left   ✓ 1", Qt::MatchExactly).isEmpty());

  // The archive holds what was run, with the side, the pain ratings and the notes.
  data::Archive& archive = *w.clinic()->archive();
  ASSERT_EQ(archive.list_sessions("GT-017").size(), 2u);
  const data::Trial left = archive.read_trial(stored[0]);
  EXPECT_EQ(left.side, "left");
  EXPECT_EQ(left.notes, "steady");
  ASSERT_EQ(left.pain.size(), 2u);
  EXPECT_EQ(left.pain[0].when, "before");
  EXPECT_EQ(left.pain[0].rating, 3);
  EXPECT_EQ(left.pain[1].rating, 4);
  EXPECT_EQ(archive.read_trial(stored[1]).side, "right");
  EXPECT_EQ(archive.read_trial(stored[2]).test_name, "landing");

  // Results: the Clinic tab shows today's session, single-leg stance with left, right and LSI.
  w.tabs()->setCurrentWidget(w.clinic());
  SessionResultsPage* results = w.clinic()->results();
  ASSERT_FALSE(results->tables().empty()) << results->status_label()->text().toStdString();
  const QStringList titles = results->table_titles();
  EXPECT_TRUE(titles.join("|").contains("Single-leg stance")) << titles.join("|").toStdString();
  EXPECT_TRUE(titles.join("|").contains("hop and stick")) << titles.join("|").toStdString();
  EXPECT_TRUE(results->header_label()->text().contains("GT-017")) << results->header_label()->text().toStdString();

  // Export of today's session as data (CSV, importable again, and HDF5), and of one trial.
  results->set_folder_chooser([&](QWidget*) { return QString::fromStdString((dir_ / "export-session").string()); });
  ASSERT_TRUE(results->export_data_button()->isEnabled());
  QTest::mouseClick(results->export_data_button(), Qt::LeftButton);
  std::size_t csv = 0, h5 = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "export-session")) {
    if (e.path().extension() == ".csv") ++csv;
    if (e.path().extension() == ".h5") ++h5;
  }
  EXPECT_EQ(h5, 4u) << "three accepted trials and the training run";
  EXPECT_GE(csv, 4u);
  EXPECT_TRUE(results->status_label()->text().contains("Exported session")) << results->status_label()->text().toStdString();

  // Comparison with the earlier session: rows for the stance measures, each classified.
  ComparisonPage* cmp = w.clinic()->comparison();
  ASSERT_GT(cmp->table()->rowCount(), 0) << cmp->status_label()->text().toStdString();
  int classified = 0;
  for (int r = 0; r < cmp->table()->rowCount(); ++r) {
    const QString c = cmp->table()->item(r, ComparisonPage::kResult)->text();
    if (c.contains("better") || c.contains("worse") || c.contains("within noise") || c.contains("not assessed")) ++classified;
  }
  EXPECT_EQ(classified, cmp->table()->rowCount());

  // The PDF, through the button (the file chooser answered here).
  const fs::path pdf = dir_ / "comparison.pdf";
  cmp->set_save_path_chooser([&](QWidget*, const QString&) { return QString::fromStdString(pdf.string()); });
  QTest::mouseClick(cmp->export_button(), Qt::LeftButton);
  ASSERT_TRUE(fs::exists(pdf)) << cmp->status_label()->text().toStdString();
  std::ifstream in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  int pages = 0;
  for (std::size_t at = bytes.find("/Type /Page"); at != std::string::npos; at = bytes.find("/Type /Page", at + 1)) {
    if (bytes.compare(at, 12, "/Type /Pages") != 0) ++pages;
  }
  EXPECT_GE(pages, 2);
}

TEST_F(ClinicVisit, ClosingDuringARecording_AsksAndKeepsTheTrial) {
  int asked = 0;
  CloseChoice answer = CloseChoice::keep_recording;
  MainWindow& w = open_window([&] {
    ++asked;
    return answer;
  });
  create_patient(w, "GT-020");
  ASSERT_NO_FATAL_FAILURE(connect_and_tare(w));
  SessionRunView* v = w.session_view();
  w.tabs()->setCurrentWidget(v);
  ASSERT_TRUE(v->select_test("single-leg-stance-eyes-open", analysis::Side::right));
  ASSERT_TRUE(v->start_trial());
  ASSERT_TRUE(wait_until([&] { return v->runner()->state() == RunnerState::recording; }, 20000));
  QTest::qWait(600);

  // "Go on recording": the window stays and the trial goes on.
  EXPECT_FALSE(w.close());
  EXPECT_EQ(asked, 1);
  EXPECT_TRUE(w.isVisible());
  EXPECT_EQ(v->runner()->state(), RunnerState::recording);

  // "Stop, keep the trial and close": stored, invalid, with what was recorded.
  answer = CloseChoice::stop_and_keep;
  EXPECT_TRUE(w.close());
  EXPECT_EQ(asked, 2);
  ASSERT_FALSE(w.trial_kept_on_close().empty());
  const data::Trial kept = w.clinic()->archive()->read_trial(w.trial_kept_on_close());
  EXPECT_GT(kept.sample_count(), 500u);
  EXPECT_NE(kept.invalid_reason.find("window was closed"), std::string::npos) << kept.invalid_reason;
  EXPECT_EQ(kept.side, "right");
}

TEST_F(ClinicVisit, DeviceLostDuringARecording_ShowsAtOnceAndTheTrialGoesOnWhenItIsBack) {
  MainWindow& w = open_window();
  create_patient(w, "GT-021");
  ASSERT_NO_FATAL_FAILURE(connect_and_tare(w));
  SessionRunView* v = w.session_view();
  w.tabs()->setCurrentWidget(v);
  ASSERT_TRUE(v->select_test("single-leg-stance-eyes-open", analysis::Side::left));
  ASSERT_TRUE(v->start_trial());
  ASSERT_TRUE(wait_until([&] { return v->runner()->state() == RunnerState::recording; }, 20000));
  sim::Simulator* simulator = w.source()->simulator();
  simulator->unplug();
  ASSERT_TRUE(wait_until([&] { return plain(v->cue_label()).contains("DEVICE LOST"); }, 3000)) << plain(v->cue_label()).toStdString();
  EXPECT_TRUE(plain(w.findChild<QLabel*>("statusLine")).contains("DEVICE LOST"));
  EXPECT_EQ(v->runner()->state(), RunnerState::recording) << "the trial waits for the plate";
  QTest::qWait(300);
  simulator->plug_in();
  ASSERT_TRUE(wait_until([&] { return !plain(v->cue_label()).contains("DEVICE LOST"); }, 10000));
  ASSERT_TRUE(wait_until([&] { return v->runner()->waiting_for_decision(); }, 30000)) << plain(v->cue_label()).toStdString();
  const workflow::TrialOutcome* out = v->runner()->outcome();
  ASSERT_NE(out, nullptr);
  // The samples lost while unplugged are counted in the trial, not invented.
  EXPECT_GT(out->trial.sample_count(), 1000u);
  EXPECT_GT(w.source()->status().times_lost, 0u);
}

TEST_F(ClinicVisit, TareWithSomeoneOnThePlate_IsRefusedWithTheReason) {
  MainWindow& w = open_window();
  QTest::mouseClick(w.findChild<QPushButton*>("connectButton"), Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return w.is_connected(); }, 10000));
  sim::ScenarioSettings stance;
  stance.name = "quiet-stance";
  stance.params["step_on_s"] = 0.0;
  w.source()->simulator()->play_scenario(stance);
  QTest::qWait(1500);
  EXPECT_FALSE(w.tare());
  const QString status = plain(w.findChild<QLabel*>("statusLine"));
  EXPECT_TRUE(status.contains("not empty")) << status.toStdString();
}

}  // namespace
}  // namespace fp::gui
