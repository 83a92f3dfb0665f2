// The Patients page: the list, the search field, and creating a patient through the dialog (every
// archive field), including a refused id. Screenshots: <build>/screenshots/patients_page.png and
// patient_dialog.png.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QTest>

#include "forceplate/gui/patients_page.hpp"
#include "report_fixture.hpp"

namespace {

using namespace fp;

std::filesystem::path shots() {
  const auto dir = std::filesystem::path(FP_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(PatientsPage, ListSearchAndCreate) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto data = gui::test::make_report_archive(std::filesystem::path(tmp.path().toStdString()) / "archive");
  data::Patient other;
  other.id = "P002";
  other.name = "Bert Sample";
  other.involved_side = "right";
  other.diagnosis = "Lateral ankle sprain";
  data.archive.add_patient(other);

  gui::PatientsPage page;
  page.resize(820, 420);
  page.set_archive(&data.archive);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  QTableWidget* t = page.table();
  ASSERT_EQ(t->rowCount(), 2);
  EXPECT_EQ(t->item(0, gui::PatientsPage::kName)->text(), "Anna Example");  // sorted by name
  EXPECT_EQ(t->item(0, gui::PatientsPage::kDob)->text(), "1990-04-12");
  EXPECT_EQ(t->item(1, gui::PatientsPage::kSide)->text(), "right");

  QTest::keyClicks(page.search_edit(), "bert");
  ASSERT_EQ(t->rowCount(), 1);
  EXPECT_EQ(t->item(0, gui::PatientsPage::kId)->text(), "P002");
  EXPECT_TRUE(page.status_label()->text().contains("1 patient(s) match"));
  page.search_edit()->clear();
  ASSERT_EQ(t->rowCount(), 2);

  // Create: the id of an existing patient is refused in the dialog, which stays open.
  gui::PatientDialog* dlg = page.open_new_patient_dialog();
  ASSERT_NE(dlg, nullptr);
  QTest::keyClicks(dlg->id_edit(), "P001");
  QTest::keyClicks(dlg->name_edit(), "Carla Neu");
  dlg->accept();
  EXPECT_TRUE(dlg->isVisible());
  EXPECT_FALSE(dlg->error_label()->text().isEmpty());
  EXPECT_EQ(t->rowCount(), 2);

  EXPECT_TRUE(dlg->grab().save(QString::fromStdString((shots() / "patient_dialog_refused.png").string())));
  dlg->id_edit()->selectAll();
  QTest::keyClicks(dlg->id_edit(), "P003");
  EXPECT_TRUE(dlg->error_label()->text().isEmpty());
  dlg->dob_edit()->setText("1985-11-30");
  dlg->sex_box()->setCurrentText("female");
  dlg->height_box()->setValue(1.64);
  dlg->mass_box()->setValue(58.5);
  dlg->side_box()->setCurrentText("right");
  QTest::keyClicks(dlg->diagnosis_edit(), "Greater trochanteric pain syndrome");
  dlg->notes_edit()->setPlainText("Referred by Dr. Muster");
  EXPECT_TRUE(dlg->grab().save(QString::fromStdString((shots() / "patient_dialog.png").string())));
  dlg->accept();
  QCoreApplication::processEvents();
  ASSERT_EQ(t->rowCount(), 3);
  EXPECT_EQ(page.selected_patient_id(), "P003");
  EXPECT_TRUE(page.status_label()->text().contains("P003 created"));

  const data::Patient stored = data.archive.patient("P003");
  EXPECT_EQ(stored.name, "Carla Neu");
  EXPECT_EQ(stored.date_of_birth, "1985-11-30");
  EXPECT_EQ(stored.sex, "female");
  EXPECT_DOUBLE_EQ(stored.height_m, 1.64);
  EXPECT_DOUBLE_EQ(stored.mass_kg, 58.5);
  EXPECT_EQ(stored.involved_side, "right");
  EXPECT_EQ(stored.diagnosis, "Greater trochanteric pain syndrome");
  EXPECT_EQ(stored.notes, "Referred by Dr. Muster");
  QTest::qWait(50);  // let the header lay its sections out again
  EXPECT_TRUE(page.grab().save(QString::fromStdString((shots() / "patients_page.png").string())));
}

}  // namespace
