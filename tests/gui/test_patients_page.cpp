// The Patients page: the list, the search field, creating a patient through the dialog (every
// archive field), including a refused id, and editing one ("Edit…" and a double-click). Screenshots:
// <build>/screenshots/patients_page.png, patient_dialog.png and patient_dialog_edit.png.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QSignalSpy>
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

TEST(PatientsPage, EditPatient_DialogPrefilledIdReadOnly_ArchiveUpdated) {
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  auto data = gui::test::make_report_archive(std::filesystem::path(tmp.path().toStdString()) / "archive");
  data::Patient other;
  other.id = "P002";
  other.name = "Bert Sample";
  other.involved_side = "right";
  data.archive.add_patient(other);

  gui::PatientsPage page;
  page.resize(820, 420);
  page.set_archive(&data.archive);
  page.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
  QTableWidget* t = page.table();
  ASSERT_EQ(t->rowCount(), 2);
  EXPECT_FALSE(page.edit_button()->isEnabled()) << "nothing selected yet";
  EXPECT_EQ(page.open_edit_patient_dialog(), nullptr);
  EXPECT_TRUE(page.status_label()->text().contains("Select a patient"));

  // "Edit…" on the selected patient: the dialog holds the stored values, the ID read-only.
  t->selectRow(0);  // Anna Example, P001
  ASSERT_TRUE(page.edit_button()->isEnabled());
  QTest::mouseClick(page.edit_button(), Qt::LeftButton);
  auto* dlg = page.findChild<gui::PatientDialog*>();
  ASSERT_NE(dlg, nullptr);
  ASSERT_TRUE(dlg->isVisible());
  EXPECT_TRUE(dlg->editing());
  EXPECT_EQ(dlg->windowTitle(), "Edit patient");
  EXPECT_EQ(dlg->id_edit()->text(), "P001");
  EXPECT_TRUE(dlg->id_edit()->isReadOnly());
  EXPECT_EQ(dlg->name_edit()->text(), "Anna Example");
  EXPECT_EQ(dlg->dob_edit()->text(), "1990-04-12");
  EXPECT_EQ(dlg->sex_box()->currentText(), "female");
  EXPECT_DOUBLE_EQ(dlg->height_box()->value(), 1.7);
  EXPECT_DOUBLE_EQ(dlg->mass_box()->value(), 65);
  EXPECT_EQ(dlg->side_box()->currentText(), "left");
  EXPECT_EQ(dlg->diagnosis_edit()->text(), "ACL reconstruction, left knee (2025-10-02)");
  QTest::keyClicks(dlg->id_edit(), "X");
  EXPECT_EQ(dlg->id_edit()->text(), "P001") << "typing does not change the ID";

  // A refused change (empty name) keeps the dialog open and the archive as it was.
  dlg->name_edit()->clear();
  dlg->accept();
  EXPECT_TRUE(dlg->isVisible());
  EXPECT_FALSE(dlg->error_label()->text().isEmpty());
  EXPECT_EQ(data.archive.patient("P001").name, "Anna Example");

  QTest::keyClicks(dlg->name_edit(), "Anna Beispiel");
  dlg->mass_box()->setValue(63.5);
  dlg->side_box()->setCurrentText("both");
  dlg->diagnosis_edit()->setText("ACL reconstruction, both knees");
  dlg->notes_edit()->setPlainText("Second surgery 2026-02");
  EXPECT_TRUE(dlg->grab().save(QString::fromStdString((shots() / "patient_dialog_edit.png").string())));
  QSignalSpy updated(&page, &gui::PatientsPage::patient_updated);
  dlg->accept();
  QCoreApplication::processEvents();
  ASSERT_EQ(updated.count(), 1);
  EXPECT_EQ(updated.front().front().toString(), "P001");

  data::Patient stored = data.archive.patient("P001");
  EXPECT_EQ(stored.name, "Anna Beispiel");
  EXPECT_DOUBLE_EQ(stored.mass_kg, 63.5);
  EXPECT_DOUBLE_EQ(stored.height_m, 1.7) << "fields not touched keep their values";
  EXPECT_EQ(stored.date_of_birth, "1990-04-12");
  EXPECT_EQ(stored.involved_side, "both");
  EXPECT_EQ(stored.diagnosis, "ACL reconstruction, both knees");
  EXPECT_EQ(stored.notes, "Second surgery 2026-02");
  // The list shows the new values and keeps the patient selected.
  ASSERT_EQ(t->rowCount(), 2);
  EXPECT_EQ(page.selected_patient_id(), "P001");
  EXPECT_TRUE(page.status_label()->text().contains("P001 updated"));
  bool listed = false;
  for (int r = 0; r < t->rowCount(); ++r) {
    if (t->item(r, gui::PatientsPage::kId)->text() == "P001") {
      listed = t->item(r, gui::PatientsPage::kName)->text() == "Anna Beispiel" &&
               t->item(r, gui::PatientsPage::kSide)->text() == "both";
    }
  }
  EXPECT_TRUE(listed);
  QTest::qWait(20);  // the dialog deletes itself on close

  // A double-click on a row edits that patient.
  int bert = -1;
  for (int r = 0; r < t->rowCount(); ++r)
    if (t->item(r, gui::PatientsPage::kId)->text() == "P002") bert = r;
  ASSERT_GE(bert, 0);
  const QRect cell = t->visualItemRect(t->item(bert, gui::PatientsPage::kName));
  QTest::mouseClick(t->viewport(), Qt::LeftButton, {}, cell.center());  // a double-click is press, release, press
  QTest::mouseDClick(t->viewport(), Qt::LeftButton, {}, cell.center());
  gui::PatientDialog* dlg2 = nullptr;
  for (auto* d : page.findChildren<gui::PatientDialog*>())
    if (d->isVisible()) dlg2 = d;
  ASSERT_NE(dlg2, nullptr);
  EXPECT_EQ(dlg2->id_edit()->text(), "P002");
  EXPECT_EQ(dlg2->name_edit()->text(), "Bert Sample");
  dlg2->height_box()->setValue(1.82);
  dlg2->accept();
  QCoreApplication::processEvents();
  EXPECT_DOUBLE_EQ(data.archive.patient("P002").height_m, 1.82);
  EXPECT_EQ(data.archive.patient("P002").name, "Bert Sample");
  EXPECT_EQ(page.selected_patient_id(), "P002");
}

}  // namespace
