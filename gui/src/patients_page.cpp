#include "forceplate/gui/patients_page.hpp"

#include <exception>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QTableWidget>
#include <QVBoxLayout>
#include "text_format.hpp"

namespace fp::gui {

namespace {
}  // namespace

// ------------------------------------------------------------------ PatientDialog

PatientDialog::PatientDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(QStringLiteral("New patient"));
  auto* form = new QFormLayout;
  id_ = new QLineEdit;
  id_->setPlaceholderText(QStringLiteral("chosen by the clinic: letters, digits, . _ -"));
  id_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9._-]{0,64}")), id_));
  name_ = new QLineEdit;
  dob_ = new QLineEdit;
  dob_->setPlaceholderText(QStringLiteral("YYYY-MM-DD, empty when unknown"));
  sex_ = new QComboBox;
  sex_->addItems({QStringLiteral("unknown"), QStringLiteral("female"), QStringLiteral("male"), QStringLiteral("other")});
  height_ = new QDoubleSpinBox;
  height_->setRange(0, 2.5);
  height_->setDecimals(2);
  height_->setSingleStep(0.01);
  height_->setSuffix(QStringLiteral(" m"));
  height_->setSpecialValueText(QStringLiteral("unknown"));
  mass_ = new QDoubleSpinBox;
  mass_->setRange(0, 400);
  mass_->setDecimals(1);
  mass_->setSuffix(QStringLiteral(" kg"));
  mass_->setSpecialValueText(QStringLiteral("unknown"));
  side_ = new QComboBox;
  side_->addItems({QStringLiteral("none"), QStringLiteral("left"), QStringLiteral("right"), QStringLiteral("both")});
  diagnosis_ = new QLineEdit;
  notes_ = new QPlainTextEdit;
  notes_->setFixedHeight(70);
  form->addRow(QStringLiteral("Patient ID"), id_);
  form->addRow(QStringLiteral("Name"), name_);
  form->addRow(QStringLiteral("Date of birth"), dob_);
  form->addRow(QStringLiteral("Sex"), sex_);
  form->addRow(QStringLiteral("Height"), height_);
  form->addRow(QStringLiteral("Body mass"), mass_);
  form->addRow(QStringLiteral("Involved side"), side_);
  form->addRow(QStringLiteral("Diagnosis"), diagnosis_);
  form->addRow(QStringLiteral("Notes"), notes_);
  error_ = new QLabel;
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #b00000; font-weight: bold"));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &PatientDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &PatientDialog::reject);
  // A message about the id or name goes once they are edited.
  connect(id_, &QLineEdit::textEdited, error_, &QLabel::clear);
  connect(name_, &QLineEdit::textEdited, error_, &QLabel::clear);
  auto* v = new QVBoxLayout(this);
  v->addLayout(form);
  v->addWidget(error_);
  v->addWidget(buttons);
  resize(460, sizeHint().height());
}

void PatientDialog::set_patient(const data::Patient& p) {
  id_->setText(qs(p.id));
  name_->setText(qs(p.name));
  dob_->setText(qs(p.date_of_birth));
  sex_->setCurrentText(qs(p.sex));
  height_->setValue(p.height_m);
  mass_->setValue(p.mass_kg);
  side_->setCurrentText(qs(p.involved_side));
  diagnosis_->setText(qs(p.diagnosis));
  notes_->setPlainText(qs(p.notes));
}

void PatientDialog::set_editing(bool editing) {
  editing_ = editing;
  setWindowTitle(editing ? QStringLiteral("Edit patient") : QStringLiteral("New patient"));
  id_->setReadOnly(editing);
  // Read-only looks like a label, not like a field one forgot to fill in.
  id_->setFrame(!editing);
  id_->setToolTip(editing ? QStringLiteral("The patient ID cannot be changed: sessions and trials are filed under it.")
                          : QString());
  if (editing) name_->setFocus();
}

data::Patient PatientDialog::patient() const {
  data::Patient p;
  p.id = id_->text().trimmed().toStdString();
  p.name = name_->text().trimmed().toStdString();
  p.date_of_birth = dob_->text().trimmed().toStdString();
  p.sex = sex_->currentText().toStdString();
  p.height_m = height_->value();
  p.mass_kg = mass_->value();
  p.involved_side = side_->currentText().toStdString();
  p.diagnosis = diagnosis_->text().trimmed().toStdString();
  p.notes = notes_->toPlainText().toStdString();
  return p;
}

void PatientDialog::accept() {
  const data::Patient p = patient();
  const auto refuse = [this](const QString& why) {
    error_->setText(why);
    adjustSize();  // room for the message
  };
  if (p.id.empty()) return refuse(QStringLiteral("The patient ID is required."));
  if (p.name.empty()) return refuse(QStringLiteral("The name is required."));
  if (check_) {
    const std::string problem = check_(p);
    if (!problem.empty()) return refuse(qs(problem));
  }
  error_->clear();
  QDialog::accept();
}

// ------------------------------------------------------------------ PatientsPage

PatientsPage::PatientsPage(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  search_ = new QLineEdit;
  search_->setPlaceholderText(QStringLiteral("Search name or ID"));
  search_->setClearButtonEnabled(true);
  new_ = new QPushButton(QStringLiteral("New patient…"));
  edit_ = new QPushButton(QStringLiteral("Edit…"));
  edit_->setToolTip(QStringLiteral("Edit the selected patient (or double-click a row)"));
  edit_->setEnabled(false);
  top->addWidget(new QLabel(QStringLiteral("Search:")));
  top->addWidget(search_, 1);
  top->addWidget(new_);
  top->addWidget(edit_);
  v->addLayout(top);
  table_ = new QTableWidget(0, kColumns);
  table_->setHorizontalHeaderLabels({QStringLiteral("ID"), QStringLiteral("Name"), QStringLiteral("Date of birth"),
                                     QStringLiteral("Involved side"), QStringLiteral("Diagnosis")});
  table_->verticalHeader()->setVisible(false);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(kDiagnosis, QHeaderView::Stretch);
  v->addWidget(table_, 1);
  status_ = new QLabel;
  status_->setWordWrap(true);
  v->addWidget(status_);
  connect(search_, &QLineEdit::textChanged, this, [this] { refresh(); });
  connect(new_, &QPushButton::clicked, this, [this] { open_new_patient_dialog(); });
  connect(edit_, &QPushButton::clicked, this, [this] { open_edit_patient_dialog(); });
  connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    if (const QTableWidgetItem* it = table_->item(row, kId)) open_edit_patient_dialog(it->text().toStdString());
  });
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    const std::string id = selected_patient_id();
    edit_->setEnabled(!id.empty());
    if (!id.empty()) emit patient_selected(qs(id));
  });
}

void PatientsPage::set_archive(data::Archive* archive) {
  archive_ = archive;
  refresh();
}

void PatientsPage::refresh() {
  table_->setRowCount(0);
  if (!archive_) return;
  try {
    const auto patients = archive_->list_patients(search_->text().trimmed().toStdString());
    for (const auto& p : patients) {
      const int r = table_->rowCount();
      table_->insertRow(r);
      const QString values[kColumns] = {qs(p.id), qs(p.name), qs(p.date_of_birth), qs(p.involved_side), qs(p.diagnosis)};
      for (int c = 0; c < kColumns; ++c) table_->setItem(r, c, new QTableWidgetItem(values[c]));
    }
    status_->setText(search_->text().trimmed().isEmpty()
                         ? QStringLiteral("%1 patient(s)").arg(patients.size())
                         : QStringLiteral("%1 patient(s) match \"%2\"").arg(patients.size()).arg(search_->text().trimmed()));
  } catch (const std::exception& e) {
    status_->setText(QStringLiteral("Cannot list the patients: %1").arg(QString::fromUtf8(e.what())));
  }
}

std::string PatientsPage::selected_patient_id() const {
  const auto rows = table_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return {};
  const QTableWidgetItem* it = table_->item(rows.front().row(), kId);
  return it ? it->text().toStdString() : std::string();
}

PatientDialog* PatientsPage::open_new_patient_dialog() {
  auto* dlg = new PatientDialog(this);
  dlg->setAttribute(Qt::WA_DeleteOnClose);
  dlg->set_check([this](const data::Patient& p) -> std::string {
    if (!archive_) return "no archive is open";
    try {
      archive_->add_patient(p);
      return {};
    } catch (const std::exception& e) {
      return e.what();
    }
  });
  connect(dlg, &QDialog::accepted, this, [this, dlg] {
    const QString id = qs(dlg->patient().id);
    search_->clear();
    refresh();
    for (int r = 0; r < table_->rowCount(); ++r) {
      if (table_->item(r, kId)->text() == id) table_->selectRow(r);
    }
    status_->setText(QStringLiteral("Patient %1 created").arg(id));
  });
  dlg->open();
  return dlg;
}

PatientDialog* PatientsPage::open_edit_patient_dialog(const std::string& id_in) {
  const std::string id = id_in.empty() ? selected_patient_id() : id_in;
  if (!archive_) {
    status_->setText(QStringLiteral("No archive is open."));
    return nullptr;
  }
  if (id.empty()) {
    status_->setText(QStringLiteral("Select a patient to edit."));
    return nullptr;
  }
  data::Patient current;
  try {
    current = archive_->patient(id);
  } catch (const std::exception& e) {
    status_->setText(QStringLiteral("Cannot edit %1: %2").arg(qs(id), QString::fromUtf8(e.what())));
    return nullptr;
  }
  auto* dlg = new PatientDialog(this);
  dlg->setAttribute(Qt::WA_DeleteOnClose);
  dlg->set_patient(current);
  dlg->set_editing(true);
  dlg->set_check([this, id](const data::Patient& p) -> std::string {
    if (!archive_) return "no archive is open";
    if (p.id != id) return "the patient ID cannot be changed";
    try {
      archive_->update_patient(p);
      return {};
    } catch (const std::exception& e) {
      return e.what();
    }
  });
  connect(dlg, &QDialog::accepted, this, [this, id] {
    const QString qid = qs(id);
    refresh();
    for (int r = 0; r < table_->rowCount(); ++r) {
      if (table_->item(r, kId)->text() == qid) table_->selectRow(r);
    }
    status_->setText(QStringLiteral("Patient %1 updated").arg(qid));
    emit patient_updated(qid);
  });
  dlg->open();
  return dlg;
}

}  // namespace fp::gui
