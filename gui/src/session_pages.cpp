#include "forceplate/gui/session_pages.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFont>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <map>

#include <nlohmann/json.hpp>

#include "forceplate/gui/cop_overlay.hpp"
#include "forceplate/gui/report.hpp"
#include "forceplate/gui/trial_charts.hpp"
#include "forceplate/workflow/comparison.hpp"
#include "forceplate/workflow/session_results.hpp"
#include "text_format.hpp"

namespace fp::gui {

namespace {

QString signed_num(double v) { return (std::isfinite(v) && v > 0 ? QStringLiteral("+") : QString()) + num(v); }

QString unit_text(const std::string& u) {
  QString s = qs(u);
  s.replace(QStringLiteral("^2"), QStringLiteral("²"));
  return s;
}

QString op_text(workflow::Comparison op) {
  switch (op) {
    case workflow::Comparison::greater_equal: return QStringLiteral("≥");
    case workflow::Comparison::greater: return QStringLiteral(">");
    case workflow::Comparison::less_equal: return QStringLiteral("≤");
    case workflow::Comparison::less: return QStringLiteral("<");
  }
  return {};
}

QTableWidgetItem* item(const QString& text, bool right = false) {
  auto* it = new QTableWidgetItem(text);
  it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  it->setTextAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
  return it;
}

// A cell that is below its threshold or worse: marker in the text, bold, shaded.
void mark_bad(QTableWidgetItem* it) {
  QFont f = it->font();
  f.setBold(true);
  it->setFont(f);
  it->setBackground(QColor(255, 224, 204));
}

QTableWidget* make_table(const QStringList& headers) {
  auto* t = new QTableWidget(0, static_cast<int>(headers.size()));
  t->setHorizontalHeaderLabels(headers);
  t->verticalHeader()->setVisible(false);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setAlternatingRowColors(true);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  t->horizontalHeader()->setStretchLastSection(true);
  t->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  return t;
}

// Height that shows every row without a scroll bar.
void fit_height(QTableWidget* t) {
  int h = t->horizontalHeader()->sizeHint().height() + 2 * t->frameWidth() + 2;
  for (int r = 0; r < t->rowCount(); ++r) h += t->rowHeight(r);
  t->setFixedHeight(h);
}

// The definition a trial was run with (its test_definition's "id"), else its test name, as
// workflow::session_results decides.
std::string definition_id(const data::Trial& t, const std::string& fallback) {
  if (!t.test_definition.empty()) {
    const auto j = nlohmann::json::parse(t.test_definition, nullptr, false);
    if (j.is_object() && j.contains("id") && j["id"].is_string()) return j["id"].get<std::string>();
  }
  return fallback;
}

// "HH:MM:SS" in local time of an ISO 8601 UTC time; the text as it is when it does not parse.
QString local_time(const std::string& iso) {
  const QDateTime t = QDateTime::fromString(qs(iso), Qt::ISODate);
  return t.isValid() ? t.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : qs(iso);
}

QString default_chooser(QWidget* parent, const QString& suggested) {
  return QFileDialog::getSaveFileName(parent, QStringLiteral("Export PDF report"), suggested,
                                      QStringLiteral("PDF (*.pdf)"));
}

QString default_folder_chooser(QWidget* parent) {
  return QFileDialog::getExistingDirectory(parent, QStringLiteral("Export data (CSV and HDF5) into"));
}

}  // namespace

// ------------------------------------------------------------------ SessionResultsPage

SessionResultsPage::SessionResultsPage(QWidget* parent)
    : QWidget(parent), chooser_(default_chooser), folder_chooser_(default_folder_chooser) {
  auto* outer = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  header_ = new QLabel(QStringLiteral("No session shown"));
  header_->setTextFormat(Qt::PlainText);
  header_->setWordWrap(true);
  QFont hf = header_->font();
  hf.setPointSizeF(hf.pointSizeF() * 1.15);
  hf.setBold(true);
  header_->setFont(hf);
  export_ = new QPushButton(QStringLiteral("Export PDF…"));
  export_->setEnabled(false);
  export_data_ = new QPushButton(QStringLiteral("Export data…"));
  export_data_->setToolTip(QStringLiteral("The selected trial (none selected: the whole session) as CSV and HDF5 files"));
  export_data_->setEnabled(false);
  connect(export_data_, &QPushButton::clicked, this, [this] {
    const QString folder = folder_chooser_(this);
    if (!folder.isEmpty()) export_data(folder);
  });
  top->addWidget(header_, 1);
  top->addWidget(export_data_);
  top->addWidget(export_);
  outer->addLayout(top);
  scroll_ = new QScrollArea;
  scroll_->setWidgetResizable(true);
  auto* inner = new QWidget;
  auto* inner_layout = new QVBoxLayout(inner);
  tables_layout_ = new QVBoxLayout;
  tables_layout_->setContentsMargins(0, 0, 0, 0);
  inner_layout->addLayout(tables_layout_);
  // Every trial of the session; the selected one's charts below the list.
  trials_box_ = new QGroupBox(QStringLiteral("Trials of this session: select one to see its force and centre of pressure"));
  auto* tl = new QVBoxLayout(trials_box_);
  trials_ = make_table({QStringLiteral("Test"), QStringLiteral("Side"), QStringLiteral("Attempt"), QStringLiteral("Result"),
                        QStringLiteral("Time"), QStringLiteral("Length (s)")});
  trials_->setSelectionMode(QAbstractItemView::SingleSelection);
  tl->addWidget(trials_);
  charts_ = new TrialChartsWidget;
  charts_->setMinimumHeight(420);
  tl->addWidget(charts_);
  trials_box_->hide();
  charts_->hide();
  inner_layout->addWidget(trials_box_);
  inner_layout->addStretch(1);
  scroll_->setWidget(inner);
  outer->addWidget(scroll_, 1);
  status_ = new QLabel;
  status_->setWordWrap(true);
  outer->addWidget(status_);
  connect(export_, &QPushButton::clicked, this, &SessionResultsPage::on_export);
  connect(trials_, &QTableWidget::itemSelectionChanged, this, &SessionResultsPage::show_selected_trial);
}

QStringList SessionResultsPage::table_titles() const { return titles_; }

void SessionResultsPage::clear_tables() {
  while (tables_layout_->count() > 0) {
    QLayoutItem* it = tables_layout_->takeAt(0);
    if (it->widget()) it->widget()->deleteLater();
    delete it;
  }
  tables_.clear();
  titles_.clear();
  trials_->blockSignals(true);
  trials_->setRowCount(0);
  trials_->blockSignals(false);
  trial_ids_.clear();
  trial_titles_.clear();
  charts_->clear();
  charts_->hide();
  trials_box_->hide();
}

void SessionResultsPage::fill_trials(const workflow::DefinitionSet& definitions) {
  data::TrialQuery q;
  q.session_id = session_id_;
  std::map<std::string, int> attempts;  // "<test>/<side>" -> trials so far
  for (const data::TrialRecord& rec : archive_->find_trials(q)) {
    std::string test = rec.test;
    std::string side = rec.side;
    QString result;
    QString length = QStringLiteral("–");
    bool bad = false;
    const workflow::TestDefinition* def = definitions.find(test);
    try {
      // The list says why a trial is invalid, which only the trial file knows (as does the test
      // definition a runner trial was recorded with).
      const data::Trial t = archive_->read_trial(rec.id);
      test = definition_id(t, rec.test);
      def = definitions.find(test);
      if (!t.side.empty()) side = t.side;
      length = QString::number(trial_duration_s(t), 'f', 1);
      if (!t.invalid_reason.empty()) {
        result = QStringLiteral("⊗ invalid: ") + qs(t.invalid_reason);
        bad = true;
      } else if (!t.complete || !rec.complete) {
        result = QStringLiteral("⊗ incomplete (recording interrupted)");
        bad = true;
      } else {
        result = QStringLiteral("✓ valid");
      }
    } catch (const std::exception& e) {
      result = QStringLiteral("⊗ cannot read: ") + QString::fromUtf8(e.what());
      bad = true;
    }
    if (def && def->stance == workflow::Stance::double_leg) side.clear();
    if (side != "left" && side != "right") side.clear();
    const int attempt = ++attempts[test + "/" + side];
    const QString name = def ? qs(def->name) : qs(test);
    const QString side_text = side.empty() ? QStringLiteral("both") : qs(side);
    const int row = trials_->rowCount();
    trials_->insertRow(row);
    trials_->setItem(row, kTrialTest, item(name));
    trials_->setItem(row, kTrialSide, item(side_text));
    trials_->setItem(row, kTrialAttempt, item(QString::number(attempt), true));
    auto* res = item(result);
    if (bad) mark_bad(res);
    res->setToolTip(qs(rec.id));
    trials_->setItem(row, kTrialResult, res);
    trials_->setItem(row, kTrialTime, item(local_time(rec.recorded_at_utc)));
    trials_->setItem(row, kTrialLength, item(length, true));
    trial_ids_.push_back(rec.id);
    trial_titles_ << QStringLiteral("%1 · %2 · attempt %3 · %4").arg(name, side_text).arg(attempt).arg(result);
  }
  trials_->resizeColumnsToContents();
  trials_->resizeRowsToContents();
  fit_height(trials_);
  trials_box_->setVisible(!trial_ids_.empty());
}

void SessionResultsPage::show_selected_trial() {
  const QList<QTableWidgetSelectionRange> ranges = trials_->selectedRanges();
  const int row = ranges.isEmpty() ? -1 : ranges.front().topRow();
  if (!archive_ || row < 0 || static_cast<std::size_t>(row) >= trial_ids_.size()) {
    charts_->clear();
    charts_->hide();
    return;
  }
  const std::string& id = trial_ids_[static_cast<std::size_t>(row)];
  charts_->show();
  try {
    charts_->show_trial(archive_->read_trial(id), trial_titles_.value(row));
  } catch (const std::exception& e) {
    charts_->clear(QStringLiteral("Cannot read trial %1: %2").arg(qs(id), QString::fromUtf8(e.what())));
  }
  // Bring the charts into view (the list above them may scroll up), once the layout has placed them.
  QTimer::singleShot(0, this, [this] {
    if (charts_->isVisible()) scroll_->ensureWidgetVisible(charts_, 0, 0);
  });
}

void SessionResultsPage::show_session(const data::Archive& archive, const std::string& session_id,
                                      const workflow::DefinitionSet& definitions,
                                      const workflow::MeasureCatalog& catalog, double lsi_threshold_percent) {
  clear_tables();
  archive_ = &archive;
  definitions_ = &definitions;
  catalog_ = &catalog;
  session_id_ = session_id;
  lsi_threshold_ = lsi_threshold_percent;
  export_->setEnabled(false);
  export_data_->setEnabled(false);
  try {
    const workflow::SessionResults r = workflow::session_results(archive, session_id, definitions);
    const data::Patient patient = archive.patient(r.session.patient_id);
    const workflow::SessionSummary s = workflow::summarize_session(
        r.record, definitions, catalog, workflow::involved_side(patient), lsi_threshold_percent);
    header_->setText(QStringLiteral("%1 (%2) · involved %3 · session %4, %5")
                         .arg(qs(patient.name), qs(patient.id), qs(patient.involved_side), qs(r.session.id),
                              qs(r.session.started_at_utc.substr(0, 10))));
    std::vector<std::string> order;
    for (const auto& t : s.tests)
      if (std::find(order.begin(), order.end(), t.test) == order.end()) order.push_back(t.test);
    int insert_at = 0;
    for (const std::string& test : order) {
      const workflow::TestDefinition* def = definitions.find(test);
      const workflow::TestSummary* left = nullptr;
      const workflow::TestSummary* right = nullptr;
      const workflow::TestSummary* both = nullptr;
      for (const auto& t : s.tests) {
        if (t.test != test) continue;
        if (!t.side) both = &t;
        else if (*t.side == analysis::Side::left) left = &t;
        else right = &t;
      }
      const workflow::TestSummary* any = both ? both : (left ? left : right);
      const auto find = [](const workflow::TestSummary* t, const std::string& m) -> const workflow::CombinedMeasure* {
        if (!t) return nullptr;
        for (const auto& c : t->measures)
          if (c.measure == m) return &c;
        return nullptr;
      };
      QTableWidget* table = both ? make_table({QStringLiteral("Measure"), QStringLiteral("Unit"), QStringLiteral("Value"),
                                               QStringLiteral("Pass")})
                                 : make_table({QStringLiteral("Measure"), QStringLiteral("Unit"), QStringLiteral("Left"),
                                               QStringLiteral("Right"), QStringLiteral("LSI %"), QStringLiteral("Pass")});
      for (const auto& m : any->measures) {
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, item(qs(m.measure)));
        table->setItem(row, 1, item(unit_text(m.unit)));
        const workflow::SymmetryRow* sym = nullptr;
        for (const auto& x : s.symmetry)
          if (x.test == test && x.measure == m.measure) sym = &x;
        // Pass: the definition's marks for this measure, else the LSI against the general threshold.
        QString pass = QStringLiteral("–");
        bool bad = false;
        bool decided = false;
        if (def) {
          for (const auto& p : def->pass) {
            if (p.measure != m.measure) continue;
            if (p.kind == workflow::ThresholdKind::lsi && sym && std::isfinite(sym->lsi_oriented)) {
              const bool ok = workflow::satisfies(sym->lsi_oriented, p.op, p.value);
              pass = QStringLiteral("%1 (LSI %2 %3 %)").arg(ok ? QStringLiteral("● pass") : QStringLiteral("⊗ below"),
                                                          op_text(p.op), num(p.value));
              bad = !ok;
              decided = true;
            } else if (p.kind == workflow::ThresholdKind::measure) {
              const auto* lm = both ? &m : find(left, m.measure);
              const auto* rm = both ? nullptr : find(right, m.measure);
              const bool lok = lm && workflow::satisfies(lm->value, p.op, p.value);
              const bool rok = both || (rm && workflow::satisfies(rm->value, p.op, p.value));
              pass = QStringLiteral("%1 (%2 %3 %4)")
                         .arg(lok && rok ? QStringLiteral("● pass") : QStringLiteral("⊗ fail"), op_text(p.op),
                              num(p.value), unit_text(m.unit));
              bad = !(lok && rok);
              decided = true;
            }
          }
        }
        if (!decided && sym && std::isfinite(sym->lsi_oriented)) {
          const QString mark = sym->meets_threshold ? QStringLiteral("● pass") : QStringLiteral("⊗ below");
          // Lower-is-better measures are judged on the inverted LSI (uninvolved / involved): say so,
          // or "below" would sit beside an LSI over 100 %.
          pass = std::isfinite(sym->lsi) && std::fabs(sym->lsi_oriented - sym->lsi) > 1e-9
                     ? QStringLiteral("%1 (inverted LSI %2 %, lower is better; threshold %3 %)")
                           .arg(mark, num(sym->lsi_oriented), num(s.lsi_threshold_percent))
                     : QStringLiteral("%1 (LSI ≥ %2 %)").arg(mark, num(s.lsi_threshold_percent));
          bad = !sym->meets_threshold;
        }
        int col = 2;
        if (both) {
          table->setItem(row, col++, item(num(m.value), true));
        } else {
          const auto* lm = find(left, m.measure);
          const auto* rm = find(right, m.measure);
          table->setItem(row, col++, item(lm ? num(lm->value) : QStringLiteral("–"), true));
          table->setItem(row, col++, item(rm ? num(rm->value) : QStringLiteral("–"), true));
          table->setItem(row, col++, item(sym ? num(sym->lsi) : QStringLiteral("–"), true));
        }
        auto* p = item(pass);
        if (bad) mark_bad(p);
        table->setItem(row, col, p);
      }
      QString title = def ? qs(def->name) : qs(test);
      if (any->pain_before || any->pain_after || (left && (left->pain_after || left->pain_before)) ||
          (right && (right->pain_after || right->pain_before))) {
        QStringList pains;
        for (const auto* t : {both, left, right}) {
          if (!t || !(t->pain_before || t->pain_after)) continue;
          pains << QStringLiteral("%1%2 → %3")
                       .arg(t->side ? qs(analysis::to_string(*t->side)) + QStringLiteral(" ") : QString(),
                            t->pain_before ? num(*t->pain_before) : QStringLiteral("–"),
                            t->pain_after ? num(*t->pain_after) : QStringLiteral("–"));
        }
        title += QStringLiteral("   ·   pain (0–10) before → after: ") + pains.join(QStringLiteral(", "));
      }
      auto* box = new QGroupBox(title);
      auto* bl = new QVBoxLayout(box);
      bl->addWidget(table);
      table->resizeColumnsToContents();
      table->resizeRowsToContents();
      fit_height(table);
      tables_layout_->insertWidget(insert_at++, box);
      tables_.push_back(table);
      titles_ << title;
    }
    fill_trials(definitions);
    QString status = QStringLiteral("%1 test(s); LSI threshold %2 %").arg(order.size()).arg(num(s.lsi_threshold_percent));
    if (!r.skipped.empty()) status += QStringLiteral("; %1 trial(s) not used").arg(r.skipped.size());
    status_->setText(status);
    export_->setEnabled(true);
    export_data_->setEnabled(export_archive_ != nullptr);
  } catch (const std::exception& e) {
    header_->setText(QStringLiteral("Session %1").arg(qs(session_id)));
    status_->setText(QStringLiteral("Cannot show the session: %1").arg(QString::fromUtf8(e.what())));
  }
}

bool SessionResultsPage::export_pdf(const QString& path) {
  if (!archive_) return false;
  try {
    ReportOptions o;
    o.lsi_threshold_percent = lsi_threshold_;
    const int pages = write_session_report(path.toStdString(), *archive_, session_id_, *definitions_, *catalog_, o);
    status_->setText(QStringLiteral("Saved %1 (%2 page(s))").arg(path).arg(pages));
    return true;
  } catch (const std::exception& e) {
    status_->setText(QStringLiteral("Export failed: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

int SessionResultsPage::export_data(const QString& folder) {
  if (!export_archive_ || session_id_.empty()) {
    status_->setText(QStringLiteral("Export failed: no session shown from a writable archive"));
    return 0;
  }
  const QList<QTableWidgetSelectionRange> ranges = trials_->selectedRanges();
  const int row = ranges.isEmpty() ? -1 : ranges.front().topRow();
  const bool one = row >= 0 && static_cast<std::size_t>(row) < trial_ids_.size();
  try {
    std::size_t files = 0;
    for (const data::ExportFormat f : {data::ExportFormat::csv, data::ExportFormat::hdf5}) {
      files += one ? export_archive_->export_trial(trial_ids_[static_cast<std::size_t>(row)], folder.toStdString(), f).size()
                   : export_archive_->export_session(session_id_, folder.toStdString(), f).size();
    }
    status_->setText(QStringLiteral("Exported %1 (%2 files) to %3")
                         .arg(one ? QStringLiteral("trial %1").arg(qs(trial_ids_[static_cast<std::size_t>(row)]))
                                  : QStringLiteral("session %1").arg(qs(session_id_)))
                         .arg(files)
                         .arg(folder));
    return static_cast<int>(files);
  } catch (const std::exception& e) {
    status_->setText(QStringLiteral("Export failed: %1").arg(QString::fromUtf8(e.what())));
    return 0;
  }
}

void SessionResultsPage::on_export() {
  const QString path = chooser_(this, QStringLiteral("session-%1.pdf").arg(qs(session_id_)));
  if (!path.isEmpty()) export_pdf(path);
}

// ------------------------------------------------------------------ ComparisonPage

ComparisonPage::ComparisonPage(QWidget* parent) : QWidget(parent), chooser_(default_chooser) {
  auto* outer = new QVBoxLayout(this);
  header_ = new QLabel(QStringLiteral("No comparison shown"));
  header_->setTextFormat(Qt::PlainText);
  QFont hf = header_->font();
  hf.setPointSizeF(hf.pointSizeF() * 1.15);
  hf.setBold(true);
  header_->setFont(hf);
  outer->addWidget(header_);
  auto* pick = new QHBoxLayout;
  from_ = new QComboBox;
  to_ = new QComboBox;
  export_ = new QPushButton(QStringLiteral("Export PDF…"));
  export_->setEnabled(false);
  pick->addWidget(new QLabel(QStringLiteral("From session:")));
  pick->addWidget(from_, 1);
  pick->addWidget(new QLabel(QStringLiteral("to:")));
  pick->addWidget(to_, 1);
  pick->addWidget(export_);
  outer->addLayout(pick);
  table_ = make_table({QStringLiteral("Test"), QStringLiteral("Side"), QStringLiteral("Measure"), QStringLiteral("Unit"),
                       QStringLiteral("From"), QStringLiteral("To"), QStringLiteral("Change"), QStringLiteral("MDC95"),
                       QStringLiteral("MDC source"), QStringLiteral("Result")});
  table_->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  // Below the table (a splitter between): limb symmetry index and pain over the sessions (scrolls
  // when long), beside the overlaid COP traces of a stance test.
  symmetry_ = new QLabel;
  symmetry_->setWordWrap(true);
  symmetry_->setTextFormat(Qt::PlainText);
  symmetry_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  symmetry_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* sym_scroll = new QScrollArea;
  sym_scroll->setWidgetResizable(true);
  sym_scroll->setWidget(symmetry_);
  overlay_ = new CopOverlayWidget;
  auto* bottom = new QWidget;
  auto* bl = new QHBoxLayout(bottom);
  bl->setContentsMargins(0, 0, 0, 0);
  bl->addWidget(sym_scroll, 1);
  bl->addWidget(overlay_, 1);
  auto* split = new QSplitter(Qt::Vertical);
  split->setChildrenCollapsible(false);
  split->addWidget(table_);
  split->addWidget(bottom);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  outer->addWidget(split, 1);
  status_ = new QLabel;
  status_->setWordWrap(true);
  outer->addWidget(status_);
  connect(export_, &QPushButton::clicked, this, &ComparisonPage::on_export);
  const auto changed = [this] {
    if (!filling_) refresh();
  };
  connect(from_, &QComboBox::currentIndexChanged, this, changed);
  connect(to_, &QComboBox::currentIndexChanged, this, changed);
}

void ComparisonPage::show_comparison(const data::Archive& archive, const std::string& patient_id,
                                     const workflow::DefinitionSet& definitions,
                                     const workflow::MeasureCatalog& catalog, const workflow::MdcTable& mdc,
                                     const std::string& from, const std::string& to, double lsi_threshold_percent) {
  archive_ = &archive;
  definitions_ = &definitions;
  catalog_ = &catalog;
  mdc_ = &mdc;
  patient_id_ = patient_id;
  lsi_threshold_ = lsi_threshold_percent;
  filling_ = true;
  from_->clear();
  to_->clear();
  try {
    for (const auto& r : workflow::patient_results(archive, patient_id, definitions)) {
      const QString label = QStringLiteral("%1  (%2)").arg(qs(r.session.started_at_utc.substr(0, 10)), qs(r.session.id));
      from_->addItem(label, qs(r.session.id));
      to_->addItem(label, qs(r.session.id));
    }
  } catch (const std::exception& e) {
    status_->setText(QStringLiteral("Cannot read the sessions: %1").arg(QString::fromUtf8(e.what())));
  }
  const int fi = from.empty() ? 0 : from_->findData(qs(from));
  const int ti = to.empty() ? to_->count() - 1 : to_->findData(qs(to));
  from_->setCurrentIndex(std::max(0, fi));
  to_->setCurrentIndex(std::max(0, ti));
  filling_ = false;
  refresh();
}

void ComparisonPage::refresh() {
  table_->setRowCount(0);
  symmetry_->clear();
  overlay_->clear();
  export_->setEnabled(false);
  if (!archive_) return;
  try {
    const data::Patient patient = archive_->patient(patient_id_);
    std::vector<workflow::SessionRecord> records;
    for (auto& r : workflow::patient_results(*archive_, patient_id_, *definitions_)) records.push_back(std::move(r.record));
    if (records.size() < 2) {
      throw std::runtime_error("the patient has " + std::to_string(records.size()) +
                               " session(s) with results; a comparison needs two");
    }
    workflow::CompareOptions o;
    o.from_session = from_->currentData().toString().toStdString();
    o.to_session = to_->currentData().toString().toStdString();
    o.involved_side = workflow::involved_side(patient);
    o.lsi_threshold_percent = lsi_threshold_;
    const workflow::ComparisonReport rep = workflow::compare_sessions(records, *definitions_, *catalog_, *mdc_, o);
    header_->setText(QStringLiteral("%1 (%2) · involved %3 · before / after")
                         .arg(qs(patient.name), qs(patient.id), qs(patient.involved_side)));
    for (const auto& m : rep.measures) {
      const int row = table_->rowCount();
      table_->insertRow(row);
      const workflow::TestDefinition* def = definitions_->find(m.test);
      table_->setItem(row, kTest, item(def ? qs(def->name) : qs(m.test)));
      table_->setItem(row, kSide, item(m.side ? qs(analysis::to_string(*m.side)) : QStringLiteral("both")));
      table_->setItem(row, kMeasure, item(qs(m.measure)));
      table_->setItem(row, kUnit, item(unit_text(m.unit)));
      table_->setItem(row, kFrom, item(num(m.overall.from), true));
      table_->setItem(row, kTo, item(num(m.overall.to), true));
      QString change = signed_num(m.overall.change);
      if (std::isfinite(m.overall.percent_change)) change += QStringLiteral(" (") + signed_num(m.overall.percent_change) + QStringLiteral(" %)");
      table_->setItem(row, kChange, item(change, true));
      table_->setItem(row, kMdc, item(num(m.mdc.mdc95), true));
      auto* src = item(qs(workflow::to_string(m.mdc.source)));
      if (!m.mdc.citation.empty()) src->setToolTip(qs(m.mdc.citation));
      table_->setItem(row, kSource, src);
      QString result;
      switch (m.overall.classification) {
        case workflow::ChangeClass::improved: result = QStringLiteral("▲ better"); break;
        case workflow::ChangeClass::worse: result = QStringLiteral("▽ worse"); break;
        case workflow::ChangeClass::within_noise: result = QStringLiteral("= within noise"); break;
        case workflow::ChangeClass::changed: result = QStringLiteral("□ changed (no direction)"); break;
        case workflow::ChangeClass::not_assessed: result = QStringLiteral("not assessed"); break;
      }
      auto* res = item(result);
      if (m.overall.classification == workflow::ChangeClass::worse) mark_bad(res);
      if (m.overall.classification == workflow::ChangeClass::improved) {
        QFont f = res->font();
        f.setBold(true);
        res->setFont(f);
        res->setBackground(QColor(214, 238, 214));
      }
      table_->setItem(row, kResult, res);
    }
    table_->resizeColumnsToContents();
    table_->resizeRowsToContents();
    QStringList lines;
    for (const auto& tr : rep.symmetry) {
      bool any = false;
      QStringList pts;
      for (const auto& p : tr.points) {
        if (!std::isfinite(p.lsi_oriented)) continue;
        any = true;
        pts << num(p.lsi_oriented) + QStringLiteral(" %");
      }
      if (!any) continue;
      const workflow::TestDefinition* def = definitions_->find(tr.test);
      lines << QStringLiteral("LSI %1, %2: %3 (%4, threshold %5 %)")
                   .arg(def ? qs(def->name) : qs(tr.test), qs(tr.measure), pts.join(QStringLiteral(" → ")),
                        qs(tr.trend), num(tr.threshold_percent));
    }
    for (const auto& ps : rep.pain) {
      if (ps.classification == workflow::ChangeClass::not_assessed) continue;
      const workflow::TestDefinition* def = definitions_->find(ps.test);
      lines << QStringLiteral("Pain after %1%2: change %3 (%4)")
                   .arg(def ? qs(def->name) : qs(ps.test),
                        ps.side ? QStringLiteral(" (") + qs(analysis::to_string(*ps.side)) + QStringLiteral(")") : QString(),
                        signed_num(ps.change_after), qs(workflow::to_string(ps.classification)));
    }
    symmetry_->setText(lines.join(QStringLiteral("\n")));
    status_->setText(QStringLiteral("%1 measure(s) compared; ▲ better / ▽ worse: the change exceeds the MDC95")
                         .arg(rep.measures.size()));
    export_->setEnabled(true);
    overlay_->show_sessions(*archive_, o.from_session, o.to_session, *definitions_);
  } catch (const std::exception& e) {
    status_->setText(QStringLiteral("Cannot compare: %1").arg(QString::fromUtf8(e.what())));
    overlay_->clear(QStringLiteral("No comparison to draw."));
  }
}

bool ComparisonPage::export_pdf(const QString& path) {
  if (!archive_) return false;
  try {
    ReportOptions o;
    o.lsi_threshold_percent = lsi_threshold_;
    const int pages = write_comparison_report(path.toStdString(), *archive_, patient_id_,
                                              from_->currentData().toString().toStdString(),
                                              to_->currentData().toString().toStdString(), *definitions_, *catalog_,
                                              *mdc_, o);
    status_->setText(QStringLiteral("Saved %1 (%2 page(s))").arg(path).arg(pages));
    return true;
  } catch (const std::exception& e) {
    status_->setText(QStringLiteral("Export failed: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

void ComparisonPage::on_export() {
  const QString path = chooser_(this, QStringLiteral("comparison-%1.pdf").arg(qs(patient_id_)));
  if (!path.isEmpty()) export_pdf(path);
}

}  // namespace fp::gui
