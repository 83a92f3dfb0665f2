// The Clinic tab of the main window against a small archive: the patient list, the latest session
// and the before/after comparison appear for the selected patient; without an archive it says how
// to make one.
#include <gtest/gtest.h>

#include <QLabel>
#include <QTabWidget>
#include <QTableWidget>
#include <filesystem>
#include <fstream>

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
  ASSERT_EQ(w.tabs()->count(), 4);
  EXPECT_EQ(w.tabs()->tabText(3), "Clinic");
  auto* clinic = qobject_cast<ClinicTabs*>(w.tabs()->widget(3));
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

TEST(ClinicTabs, AFolderHoldingSomethingElse_IsLeftAloneAndTheReasonShown) {
  const std::filesystem::path dir = std::filesystem::path(FP_BINARY_DIR) / "not-an-archive";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "thesis.docx") << "not mine"; }
  ClinicTabs c(dir.string());
  EXPECT_FALSE(c.has_archive());
  EXPECT_EQ(c.archive(), nullptr);
  EXPECT_TRUE(c.status_label()->text().contains("forceplate archive init")) << c.status_label()->text().toStdString();
  EXPECT_TRUE(std::filesystem::exists(dir / "thesis.docx"));
  EXPECT_FALSE(std::filesystem::exists(dir / "patients"));
  std::filesystem::remove_all(dir);
}

TEST(ClinicTabs, AMissingFolder_GetsANewArchive_TheClinicsFirstStart) {
  const std::filesystem::path dir = std::filesystem::path(FP_BINARY_DIR) / "first-start-archive";
  std::filesystem::remove_all(dir);
  ClinicTabs c(dir.string());
  ASSERT_TRUE(c.has_archive()) << c.status_label()->text().toStdString();
  EXPECT_TRUE(c.status_label()->text().contains("new, created now")) << c.status_label()->text().toStdString();
  EXPECT_TRUE(data::Archive::open(dir).list_patients().empty());
  EXPECT_FALSE(c.definitions().definitions.empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fp::gui
