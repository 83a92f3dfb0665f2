#pragma once
// The results of a session and the before/after comparison as window pages (issue 9 items 4 and
// 5), fed from the same workflow structs as `forceplate session show` and `forceplate compare`,
// each with an "Export PDF" button that writes the report of report.hpp.
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
class QLabel;
class QPushButton;
class QTableWidget;
class QVBoxLayout;

namespace fp::gui {

// Asks where to save a PDF; returns an empty string when cancelled. The default opens a file dialog.
using SavePathChooser = std::function<QString(QWidget* parent, const QString& suggested_name)>;

// One table per test: measure | unit | left | right | LSI % | pass (double-leg tests: measure | unit
// | value | pass). "pass" compares with the definition's pass marks, else the LSI with the
// return-to-function threshold; a cell below its threshold is marked "⊗ below", bold and shaded.
class SessionResultsPage : public QWidget {
  Q_OBJECT
 public:
  explicit SessionResultsPage(QWidget* parent = nullptr);

  // Reads the session and shows it; an error shows in the status line (and clears the tables).
  void show_session(const data::Archive& archive, const std::string& session_id,
                    const workflow::DefinitionSet& definitions, const workflow::MeasureCatalog& catalog,
                    double lsi_threshold_percent = 90);

  // Writes the session report; returns false (the reason in the status line) on failure.
  bool export_pdf(const QString& path);
  void set_save_path_chooser(SavePathChooser chooser) { chooser_ = std::move(chooser); }

  // For tests and screenshots.
  const std::vector<QTableWidget*>& tables() const { return tables_; }
  QStringList table_titles() const;
  QLabel* header_label() const { return header_; }
  QLabel* status_label() const { return status_; }
  QPushButton* export_button() const { return export_; }

 private:
  void on_export();
  void clear_tables();

  QLabel* header_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* export_ = nullptr;
  QVBoxLayout* tables_layout_ = nullptr;
  std::vector<QTableWidget*> tables_;
  QStringList titles_;
  SavePathChooser chooser_;
  const data::Archive* archive_ = nullptr;
  const workflow::DefinitionSet* definitions_ = nullptr;
  const workflow::MeasureCatalog* catalog_ = nullptr;
  std::string session_id_;
  double lsi_threshold_ = 90;
};

// Two sessions of a patient (default: the first and the latest with results), one row per test,
// side and measure: from, to, change, MDC95, its source, and the classification written as "▲
// better", "▽ worse", "= within noise" (marker and text, not colour alone).
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

 private:
  void refresh();
  void on_export();

  QLabel* header_ = nullptr;
  QComboBox* from_ = nullptr;
  QComboBox* to_ = nullptr;
  QTableWidget* table_ = nullptr;
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
