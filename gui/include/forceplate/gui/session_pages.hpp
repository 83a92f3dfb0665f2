#pragma once
// The results of a session and the before/after comparison as window pages (issue 9 items 4 and
// 5), fed from the same workflow structs as `forceplate session show` and `forceplate compare`,
// each with an "Export PDF" button that writes the report of report.hpp. Below its tables the
// results page lists every trial of the session; selecting one shows its force and COP charts
// (trial_charts.hpp). The comparison page overlays the COP traces of the two sessions' stance
// tests (cop_overlay.hpp).
//
// The pages keep pointers to the archive, definitions, catalogue and MDC table they were shown
// with (for the export and, on the comparison page, for choosing other sessions): the caller keeps
// those alive while the page shows them.
#include <functional>
#include <string>
#include <vector>

#include <QWidget>

#include "forceplate/data/archive.hpp"
#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

class QComboBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QTableWidget;
class QVBoxLayout;

namespace fp::gui {

class CopOverlayWidget;
class TrialChartsWidget;

// Asks where to save a PDF; returns an empty string when cancelled. The default opens a file dialog.
using SavePathChooser = std::function<QString(QWidget* parent, const QString& suggested_name)>;
// Asks for a folder to export data into; empty when cancelled. The default opens a folder dialog.
using FolderChooser = std::function<QString(QWidget* parent)>;

// One table per test: measure | unit | left | right | LSI % | pass (double-leg tests: measure | unit
// | value | pass). "pass" compares with the definition's pass marks, else the LSI with the
// return-to-function threshold; a cell below its threshold is marked "⊗ below", bold and shaded.
// Below: every trial of the session (test, side, attempt, valid / invalid and why, time, length);
// selecting one reads it from the archive and shows its charts.
class SessionResultsPage : public QWidget {
  Q_OBJECT
 public:
  explicit SessionResultsPage(QWidget* parent = nullptr);

  // Columns of the trial list. "Attempt" counts the session's trials of the same test and side in
  // the order recorded (a redone trial is the next attempt).
  enum TrialColumn { kTrialTest, kTrialSide, kTrialAttempt, kTrialResult, kTrialTime, kTrialLength, kTrialColumns };

  // Reads the session and shows it; an error shows in the status line (and clears the tables).
  void show_session(const data::Archive& archive, const std::string& session_id,
                    const workflow::DefinitionSet& definitions, const workflow::MeasureCatalog& catalog,
                    double lsi_threshold_percent = 90);

  // Writes the session report; returns false (the reason in the status line) on failure.
  bool export_pdf(const QString& path);
  void set_save_path_chooser(SavePathChooser chooser) { chooser_ = std::move(chooser); }

  // Exports the selected trial (none selected: the whole session) as CSV (importable again) and
  // HDF5 into `folder` (Archive::export_trial / export_session; recorded in the audit log). Needs
  // the archive given with set_export_archive. Returns the number of files written (0 on failure,
  // the reason in the status line).
  int export_data(const QString& folder);
  void set_export_archive(data::Archive* archive) { export_archive_ = archive; }
  void set_folder_chooser(FolderChooser chooser) { folder_chooser_ = std::move(chooser); }
  QPushButton* export_data_button() const { return export_data_; }

  // For tests and screenshots.
  const std::vector<QTableWidget*>& tables() const { return tables_; }
  QStringList table_titles() const;
  QLabel* header_label() const { return header_; }
  QLabel* status_label() const { return status_; }
  QPushButton* export_button() const { return export_; }
  QTableWidget* trial_list() const { return trials_; }
  const std::vector<std::string>& trial_ids() const { return trial_ids_; }  // one per row
  TrialChartsWidget* trial_charts() const { return charts_; }
  QScrollArea* scroll_area() const { return scroll_; }

 private:
  void on_export();
  void clear_tables();
  void fill_trials(const workflow::DefinitionSet& definitions);
  void show_selected_trial();

  QLabel* header_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* export_ = nullptr;
  QPushButton* export_data_ = nullptr;
  data::Archive* export_archive_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QVBoxLayout* tables_layout_ = nullptr;
  QGroupBox* trials_box_ = nullptr;
  QTableWidget* trials_ = nullptr;
  std::vector<std::string> trial_ids_;
  QStringList trial_titles_;
  TrialChartsWidget* charts_ = nullptr;
  std::vector<QTableWidget*> tables_;
  QStringList titles_;
  SavePathChooser chooser_;
  FolderChooser folder_chooser_;
  const data::Archive* archive_ = nullptr;
  const workflow::DefinitionSet* definitions_ = nullptr;
  const workflow::MeasureCatalog* catalog_ = nullptr;
  std::string session_id_;
  double lsi_threshold_ = 90;
};

// Two sessions of a patient (default: the first and the latest with results), one row per test,
// side and measure: from, to, change, MDC95, its source, and the classification written as "▲
// better", "▽ worse", "= within noise" (marker and text, not colour alone). Below, beside the
// symmetry and pain lines, the COP traces of a stance test in both sessions, overlaid.
class ComparisonPage : public QWidget {
  Q_OBJECT
 public:
  explicit ComparisonPage(QWidget* parent = nullptr);

  void show_comparison(const data::Archive& archive, const std::string& patient_id,
                       const workflow::DefinitionSet& definitions, const workflow::MeasureCatalog& catalog,
                       const workflow::MdcTable& mdc, const std::string& from = "", const std::string& to = "",
                       double lsi_threshold_percent = 90);

  bool export_pdf(const QString& path);
  void set_save_path_chooser(SavePathChooser chooser) { chooser_ = std::move(chooser); }

  // Column indices of the table.
  enum Column { kTest, kSide, kMeasure, kUnit, kFrom, kTo, kChange, kMdc, kSource, kResult, kColumns };

  QTableWidget* table() const { return table_; }
  QComboBox* from_box() const { return from_; }
  QComboBox* to_box() const { return to_; }
  QLabel* header_label() const { return header_; }
  QLabel* symmetry_label() const { return symmetry_; }
  QLabel* status_label() const { return status_; }
  QPushButton* export_button() const { return export_; }
  CopOverlayWidget* cop_overlay() const { return overlay_; }

 private:
  void refresh();
  void on_export();

  QLabel* header_ = nullptr;
  QComboBox* from_ = nullptr;
  QComboBox* to_ = nullptr;
  QTableWidget* table_ = nullptr;
  CopOverlayWidget* overlay_ = nullptr;
  QLabel* symmetry_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* export_ = nullptr;
  SavePathChooser chooser_;
  const data::Archive* archive_ = nullptr;
  const workflow::DefinitionSet* definitions_ = nullptr;
  const workflow::MeasureCatalog* catalog_ = nullptr;
  const workflow::MdcTable* mdc_ = nullptr;
  std::string patient_id_;
  double lsi_threshold_ = 90;
  bool filling_ = false;
};

}  // namespace fp::gui
