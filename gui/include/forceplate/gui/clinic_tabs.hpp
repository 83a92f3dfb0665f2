#pragma once
// The archive side of the clinic window: the patient list, the selected patient's latest session
// (results per test, left / right / LSI) and the comparison of their sessions, in one tab with
// sub-tabs. It opens the archive itself, and creates it in a folder that is missing or empty (a
// clinic's first start); a folder holding something else is left alone and the reason shown.
#include <QWidget>
#include <memory>
#include <optional>
#include <string>

#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

class QLabel;
class QTabWidget;

namespace fp::gui {

class PatientHistoryPage;
class PatientsPage;
class SessionResultsPage;
class ComparisonPage;

class ClinicTabs : public QWidget {
  Q_OBJECT
 public:
  // `archive_dir` empty: the default per-user archive (data::default_archive_dir()).
  explicit ClinicTabs(const std::string& archive_dir, QWidget* parent = nullptr);
  ~ClinicTabs() override;

  // Shows `patient_id`'s latest session and the comparison of their sessions (also what selecting
  // the patient in the list does).
  void show_patient(const std::string& patient_id);

  bool has_archive() const { return archive_.has_value(); }
  // The open archive (null when none could be opened) and the test definitions, for the other tabs.
  data::Archive* archive() { return archive_ ? &*archive_ : nullptr; }
  const workflow::DefinitionSet& definitions() const { return definitions_; }
  PatientsPage* patients() const { return patients_; }
  SessionResultsPage* results() const { return results_; }
  ComparisonPage* comparison() const { return comparison_; }
  PatientHistoryPage* history() const { return history_; }
  QTabWidget* tabs() const { return tabs_; }
  QLabel* status_label() const { return status_; }

 private:
  std::optional<data::Archive> archive_;
  workflow::DefinitionSet definitions_;
  workflow::MdcTable mdc_;
  workflow::MeasureCatalog catalog_ = workflow::MeasureCatalog::built_in();
  QTabWidget* tabs_ = nullptr;
  QLabel* status_ = nullptr;
  PatientsPage* patients_ = nullptr;
  SessionResultsPage* results_ = nullptr;
  ComparisonPage* comparison_ = nullptr;
  PatientHistoryPage* history_ = nullptr;
};

}  // namespace fp::gui
