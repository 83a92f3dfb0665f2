#pragma once
// The archive side of the clinic window: the patient list, the selected patient's latest session
// (results per test, left / right / LSI) and the comparison of their sessions, in one tab with
// sub-tabs. It opens the archive itself; without one it says how to make one.
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
  PatientsPage* patients() const { return patients_; }
  SessionResultsPage* results() const { return results_; }
  ComparisonPage* comparison() const { return comparison_; }
  QTabWidget* tabs() const { return tabs_; }
  QLabel* status_label() const { return status_; }

 private:
  std::optional<data::Archive> archive_;
  workflow::DefinitionSet definitions_;
  workflow::MdcTable mdc_;
  QTabWidget* tabs_ = nullptr;
  QLabel* status_ = nullptr;
  PatientsPage* patients_ = nullptr;
  SessionResultsPage* results_ = nullptr;
  ComparisonPage* comparison_ = nullptr;
};

}  // namespace fp::gui
