#include "forceplate/gui/clinic_tabs.hpp"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

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
  tabs_->addTab(patients_, tr("Patients"));
  tabs_->addTab(results_, tr("Latest session"));
  tabs_->addTab(comparison_, tr("Before / after"));
  layout->addWidget(tabs_, 1);

  std::string dir = archive_dir;
  try {
    if (dir.empty()) dir = data::default_archive_dir().string();
    archive_.emplace(data::Archive::open(dir));
    definitions_ = workflow::load_definitions({workflow::built_in_definitions_dir()});
    mdc_ = workflow::MdcTable::load(workflow::built_in_mdc_table());
    patients_->set_archive(&*archive_);
    status_->setText(tr("Archive: %1").arg(QString::fromStdString(dir)));
  } catch (const std::exception& e) {
    archive_.reset();
    status_->setText(tr("No archive open (%1). Create one with: forceplate archive init --archive DIR")
                         .arg(QString::fromStdString(e.what())));
    tabs_->setEnabled(false);
  }
  connect(patients_, &PatientsPage::patient_selected, this,
          [this](const QString& id) { show_patient(id.toStdString()); });
}

ClinicTabs::~ClinicTabs() = default;

void ClinicTabs::show_patient(const std::string& patient_id) {
  if (!archive_) return;
  try {
    const auto sessions = archive_->list_sessions(patient_id);
    if (sessions.empty()) {
      status_->setText(tr("%1 has no sessions yet").arg(QString::fromStdString(patient_id)));
      return;
    }
    const auto& catalog = workflow::MeasureCatalog::built_in();
    results_->show_session(*archive_, sessions.back().id, definitions_, catalog);
    if (sessions.size() >= 2) comparison_->show_comparison(*archive_, patient_id, definitions_, catalog, mdc_);
    status_->setText(tr("%1: %2 session(s)").arg(QString::fromStdString(patient_id)).arg(sessions.size()));
  } catch (const std::exception& e) {
    status_->setText(QString::fromStdString(e.what()));
  }
}

}  // namespace fp::gui
