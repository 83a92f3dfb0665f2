// The Clinic tab of the main window against a small archive: the patient list, the latest session
// and the before/after comparison appear for the selected patient; without an archive it says how
// to make one.
#include <gtest/gtest.h>

#include <QLabel>
#include <QTabWidget>
#include <QTableWidget>
#include <filesystem>

#include "forceplate/gui/clinic_tabs.hpp"
#include "forceplate/gui/main_window.hpp"
#include "forceplate/gui/patients_page.hpp"
#include "forceplate/gui/session_pages.hpp"
#include "report_fixture.hpp"

namespace fp::gui {
namespace {

TEST(ClinicTabs, MainWindowWithAnArchive_ShowsPatientsTheirLatestSessionAndTheComparison) {
  const std::filesystem::path dir = std::filesystem::path(FP_BINARY_DIR) / "clinic-tabs-archive";
  std::filesystem::remove_all(dir);
  std::string archive_dir;
  {
    const test::ReportArchive a = test::make_report_archive(dir);
    archive_dir = a.archive.root().string();
  }  // closed: the window opens it itself
  MainWindowOptions o;
  o.error_dialogs = false;
  o.archive_dir = archive_dir;
  MainWindow w(o);
  ASSERT_EQ(w.tabs()->count(), 3);
  EXPECT_EQ(w.tabs()->tabText(2), "Clinic");
  auto* clinic = qobject_cast<ClinicTabs*>(w.tabs()->widget(2));
  ASSERT_NE(clinic, nullptr);
  ASSERT_TRUE(clinic->has_archive()) << clinic->status_label()->text().toStdString();
  ASSERT_EQ(clinic->patients()->table()->rowCount(), 1);
  EXPECT_EQ(clinic->patients()->table()->item(0, PatientsPage::kId)->text(), "P001");
  clinic->show_patient("P001");
  EXPECT_FALSE(clinic->results()->tables().empty());
  EXPECT_GT(clinic->comparison()->table()->rowCount(), 0);
  EXPECT_TRUE(clinic->status_label()->text().contains("2 session(s)")) << clinic->status_label()->text().toStdString();
  std::filesystem::remove_all(dir);
}

TEST(ClinicTabs, NoArchive_SaysHowToCreateOne) {
  ClinicTabs c((std::filesystem::path(FP_BINARY_DIR) / "no-such-archive").string());
  EXPECT_FALSE(c.has_archive());
  EXPECT_TRUE(c.status_label()->text().contains("forceplate archive init")) << c.status_label()->text().toStdString();
}

}  // namespace
}  // namespace fp::gui
