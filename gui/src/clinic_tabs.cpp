#include "forceplate/gui/clinic_tabs.hpp"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

#include <filesystem>
#include <system_error>

#include "forceplate/gui/patient_history.hpp"
#include "forceplate/gui/patients_page.hpp"
#include "forceplate/gui/session_pages.hpp"

namespace fp::gui {

ClinicTabs::ClinicTabs(const std::string& archive_dir, QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  status_ = new QLabel(this);
  status_->setObjectName("clinicStatus");
  status_->setWordWrap(true);
  layout->addWidget(status_);
  tabs_ = new QTabWidget(this);
  patients_ = new PatientsPage(tabs_);
  results_ = new SessionResultsPage(tabs_);
  comparison_ = new ComparisonPage(tabs_);
  history_ = new PatientHistoryPage(tabs_);
  tabs_->addTab(patients_, tr("Patients"));
  tabs_->addTab(results_, tr("Latest session"));
  tabs_->addTab(comparison_, tr("Before / after"));
  tabs_->addTab(history_, tr("History"));
  layout->addWidget(tabs_, 1);

  std::string dir = archive_dir;
  try {
    if (dir.empty()) dir = data::default_archive_dir().string();
    std::error_code ec;
    const std::filesystem::path path(dir);
    const bool fresh = !std::filesystem::exists(path, ec) || std::filesystem::is_empty(path, ec);
    archive_.emplace(fresh ? data::Archive::create(path) : data::Archive::open(path));
    definitions_ = workflow::load_definitions({workflow::built_in_definitions_dir()});
    mdc_ = workflow::MdcTable::load(workflow::built_in_mdc_table());
    patients_->set_archive(&*archive_);
    results_->set_export_archive(&*archive_);
    status_->setText(fresh ? tr("Archive: %1 (new, created now)").arg(QString::fromStdString(dir))
                           : tr("Archive: %1").arg(QString::fromStdString(dir)));
  } catch (const std::exception& e) {
    archive_.reset();
    status_->setText(tr("No archive open (%1). Create one with: forceplate archive init --archive DIR")
                         .arg(QString::fromStdString(e.what())));
    tabs_->setEnabled(false);
  }
  connect(patients_, &PatientsPage::patient_selected, this,
          [this](const QString& id) { show_patient(id.toStdString()); });
  connect(patients_, &PatientsPage::patient_updated, this,
          [this](const QString& id) { show_patient(id.toStdString()); });
  // A session chosen in the history shows on the results page.
  connect(history_, &PatientHistoryPage::session_activated, this, [this](const QString& session_id) {
    if (!archive_) return;
    try {
      results_->show_session(*archive_, session_id.toStdString(), definitions_, catalog_);
      tabs_->setCurrentWidget(results_);
    } catch (const std::exception& e) {
      status_->setText(QString::fromStdString(e.what()));
    }
  });
}

ClinicTabs::~ClinicTabs() = default;

void ClinicTabs::show_patient(const std::string& patient_id) {
  if (!archive_) return;
  try {
    history_->show_patient(*archive_, patient_id, definitions_, catalog_);
    const auto sessions = archive_->list_sessions(patient_id);
    if (sessions.empty()) {
      status_->setText(tr("%1 has no sessions yet").arg(QString::fromStdString(patient_id)));
      return;
    }
    // The pages keep pointers to the catalogue: it must be a member, not a temporary.
    results_->show_session(*archive_, sessions.back().id, definitions_, catalog_);
    if (sessions.size() >= 2) comparison_->show_comparison(*archive_, patient_id, definitions_, catalog_, mdc_);
    status_->setText(tr("%1: %2 session(s)").arg(QString::fromStdString(patient_id)).arg(sessions.size()));
  } catch (const std::exception& e) {
    status_->setText(QString::fromStdString(e.what()));
  }
}

}  // namespace fp::gui
