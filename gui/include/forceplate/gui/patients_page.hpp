#pragma once
// The Patients page (issue 9 item 1): the archive's patients with a search field, and a dialog to
// create one or edit one with every field the archive stores ("Edit…" or a double-click on a row).
// The selected patient's session history and trends are on PatientHistoryPage (patient_history.hpp).
#include <functional>
#include <string>

#include <QDialog>
#include <QWidget>

#include "forceplate/data/archive.hpp"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace fp::gui {

// Every field of data::Patient. OK runs `check` (when set) first: a non-empty answer is shown in the
// dialog, which stays open.
class PatientDialog : public QDialog {
  Q_OBJECT
 public:
  explicit PatientDialog(QWidget* parent = nullptr);
  void set_patient(const data::Patient& p);
  // Editing an existing patient: the ID is shown read-only (the archive keys everything on it) and
  // the title says "Edit patient". Default: a new patient.
  void set_editing(bool editing);
  bool editing() const { return editing_; }
  data::Patient patient() const;
  void set_check(std::function<std::string(const data::Patient&)> check) { check_ = std::move(check); }
  void accept() override;

  QLineEdit* id_edit() const { return id_; }
  QLineEdit* name_edit() const { return name_; }
  QLineEdit* dob_edit() const { return dob_; }
  QComboBox* sex_box() const { return sex_; }
  QDoubleSpinBox* height_box() const { return height_; }
  QDoubleSpinBox* mass_box() const { return mass_; }
  QComboBox* side_box() const { return side_; }
  QLineEdit* diagnosis_edit() const { return diagnosis_; }
  QPlainTextEdit* notes_edit() const { return notes_; }
  QLabel* error_label() const { return error_; }

 private:
  QLineEdit* id_ = nullptr;
  QLineEdit* name_ = nullptr;
  QLineEdit* dob_ = nullptr;
  QComboBox* sex_ = nullptr;
  QDoubleSpinBox* height_ = nullptr;
  QDoubleSpinBox* mass_ = nullptr;
  QComboBox* side_ = nullptr;
  QLineEdit* diagnosis_ = nullptr;
  QPlainTextEdit* notes_ = nullptr;
  QLabel* error_ = nullptr;
  bool editing_ = false;
  std::function<std::string(const data::Patient&)> check_;
};

class PatientsPage : public QWidget {
  Q_OBJECT
 public:
  explicit PatientsPage(QWidget* parent = nullptr);
  // The archive (kept by the caller while the page uses it); lists its patients.
  void set_archive(data::Archive* archive);
  void refresh();

  // Opens the "New patient" dialog (window-modal, not blocking) and returns it; on OK the patient is
  // added to the archive, the list refreshed and the new patient selected. (The button does this.)
  PatientDialog* open_new_patient_dialog();
  // Opens the "Edit patient" dialog for `id` (empty: the selected patient), pre-filled, the ID
  // read-only; on OK the archive's record is updated (Archive::update_patient), the list refreshed
  // and the patient selected again. Returns nullptr (the reason in the status line) when there is no
  // such patient. (The "Edit…" button and a double-click on a row do this.)
  PatientDialog* open_edit_patient_dialog(const std::string& id = "");

  std::string selected_patient_id() const;

  enum Column { kId, kName, kDob, kSide, kDiagnosis, kColumns };
  QLineEdit* search_edit() const { return search_; }
  QTableWidget* table() const { return table_; }
  QPushButton* new_button() const { return new_; }
  QPushButton* edit_button() const { return edit_; }
  QLabel* status_label() const { return status_; }

 signals:
  void patient_selected(const QString& id);
  // After the edit dialog saved the patient (also re-selected, so patient_selected follows).
  void patient_updated(const QString& id);

 private:
  QLineEdit* search_ = nullptr;
  QTableWidget* table_ = nullptr;
  QPushButton* new_ = nullptr;
  QPushButton* edit_ = nullptr;
  QLabel* status_ = nullptr;
  data::Archive* archive_ = nullptr;
};

}  // namespace fp::gui
