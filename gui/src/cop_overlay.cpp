#include "forceplate/gui/cop_overlay.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>

#include <nlohmann/json.hpp>

#include "forceplate/gui/trial_charts.hpp"
#include "text_format.hpp"

namespace fp::gui {

namespace {

bool is_stance(workflow::AnalysisKind a) {
  return a == workflow::AnalysisKind::quiet_stance || a == workflow::AnalysisKind::single_leg_stance;
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

struct Found {
  const workflow::TestDefinition* def = nullptr;
  std::string side;
  std::string trial;
};

// The first usable trial of each stance test and side of a session, keyed "<test>/<side>".
std::map<std::string, Found> stance_trials(const data::Archive& archive, const std::string& session,
                                           const workflow::DefinitionSet& defs) {
  std::map<std::string, Found> out;
  data::TrialQuery q;
  q.session_id = session;
  for (const data::TrialRecord& rec : archive.find_trials(q)) {
    if (!rec.complete) continue;
    // Trials recorded through the runner carry the analysis' name; imported ones may carry the
    // definition's id. Anything else (jumps, landings) is not read at all.
    const auto analysis = workflow::analysis_from_string(rec.test);
    const workflow::TestDefinition* named = defs.find(rec.test);
    if (!(analysis && is_stance(*analysis)) && !(named && is_stance(named->analysis))) continue;
    data::Trial t;
    try {
      t = archive.read_trial(rec.id);
    } catch (const std::exception&) {
      continue;  // a damaged file: the results page and `archive verify` say so
    }
    if (!t.invalid_reason.empty() || !t.complete) continue;
    const workflow::TestDefinition* def = defs.find(definition_id(t, rec.test));
    if (!def || !is_stance(def->analysis)) continue;
    std::string side;
    if (def->stance != workflow::Stance::double_leg) {
      side = t.side.empty() ? rec.side : t.side;
      if (side != "left" && side != "right") continue;
    }
    const std::string key = def->id + "/" + side;
    if (out.count(key)) continue;
    if (stance_cop_mm(t, side).empty()) continue;
    out[key] = Found{def, side, rec.id};
  }
  return out;
}

std::string date_of(const data::Archive& archive, const std::string& session) {
  try {
    return archive.session(session).started_at_utc.substr(0, 10);
  } catch (const std::exception&) {
    return session;
  }
}

}  // namespace

std::vector<StanceTrialPair> stance_trial_pairs(const data::Archive& archive, const std::string& from_session,
                                                const std::string& to_session,
                                                const workflow::DefinitionSet& definitions) {
  const auto from = stance_trials(archive, from_session, definitions);
  const auto to = stance_trials(archive, to_session, definitions);
  std::vector<StanceTrialPair> out;
  for (const auto& [key, f] : from) {
    const auto it = to.find(key);
    if (it == to.end()) continue;
    out.push_back({f.def->id, f.def->name, f.side, f.trial, it->second.trial});
  }
  std::stable_sort(out.begin(), out.end(), [](const StanceTrialPair& a, const StanceTrialPair& b) {
    return a.name != b.name ? a.name < b.name : a.side < b.side;
  });
  return out;
}

struct CopOverlayWidget::Impl {
  QComboBox* box = nullptr;
  CopChart* chart = nullptr;
  QLabel* note = nullptr;
  const data::Archive* archive = nullptr;
  std::vector<StanceTrialPair> pairs;
  std::string from_date, to_date;
  std::pair<std::string, std::string> shown;
  bool filling = false;
};

CopOverlayWidget::CopOverlayWidget(QWidget* parent) : QWidget(parent), d_(std::make_unique<Impl>()) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* top = new QHBoxLayout;
  auto* label = new QLabel(QStringLiteral("Centre of pressure, before / after:"));
  d_->box = new QComboBox;
  d_->box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  top->addWidget(label);
  top->addWidget(d_->box, 1);
  outer->addLayout(top);
  d_->chart = new CopChart;
  d_->chart->setMinimumSize(280, 260);
  outer->addWidget(d_->chart, 1);
  d_->note = new QLabel;
  d_->note->setWordWrap(true);
  outer->addWidget(d_->note);
  connect(d_->box, &QComboBox::currentIndexChanged, this, [this](int) {
    if (!d_->filling) show_current();
  });
  clear();
}

CopOverlayWidget::~CopOverlayWidget() = default;

void CopOverlayWidget::clear(const QString& message) {
  d_->filling = true;
  d_->box->clear();
  d_->filling = false;
  d_->box->setEnabled(false);
  d_->pairs.clear();
  d_->shown = {};
  d_->chart->set_traces({}, {}, {});
  d_->chart->set_axis_titles(QStringLiteral("Mediolateral x (mm from mean)"), QStringLiteral("Anteroposterior y (mm from mean)"));
  d_->chart->set_region({-10, 10, -10, 10});
  d_->note->setText(message);
}

void CopOverlayWidget::show_sessions(const data::Archive& archive, const std::string& from_session,
                                     const std::string& to_session, const workflow::DefinitionSet& definitions) {
  clear();
  d_->archive = &archive;
  try {
    d_->pairs = stance_trial_pairs(archive, from_session, to_session, definitions);
  } catch (const std::exception& e) {
    d_->note->setText(QStringLiteral("Cannot read the sessions' stance trials: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  d_->from_date = date_of(archive, from_session);
  d_->to_date = date_of(archive, to_session);
  if (d_->pairs.empty()) {
    d_->note->setText(QStringLiteral("No stance test (quiet stance, single-leg stance) with a valid trial in both sessions."));
    return;
  }
  d_->filling = true;
  for (const StanceTrialPair& p : d_->pairs) {
    d_->box->addItem(p.side.empty() ? qs(p.name) : QStringLiteral("%1 — %2").arg(qs(p.name), qs(p.side)));
  }
  d_->box->setCurrentIndex(0);
  d_->filling = false;
  d_->box->setEnabled(d_->pairs.size() > 1);
  show_current();
}

void CopOverlayWidget::show_current() {
  const int i = d_->box->currentIndex();
  if (!d_->archive || i < 0 || static_cast<std::size_t>(i) >= d_->pairs.size()) return;
  const StanceTrialPair& p = d_->pairs[static_cast<std::size_t>(i)];
  std::vector<std::vector<TracePoint>> traces;
  QStringList means;
  QStringList lengths;
  try {
    for (const std::string& id : {p.from_trial, p.to_trial}) {
      const data::Trial t = d_->archive->read_trial(id);
      std::vector<TracePoint> cop = lowpass_trace(stance_cop_mm(t, p.side), t.sample_rate_hz);
      double mx = 0, my = 0;
      trace_mean(cop, mx, my);
      means << QStringLiteral("(%1, %2)").arg(QString::number(mx, 'f', 1), QString::number(my, 'f', 1));
      lengths << QStringLiteral("%1 s").arg(QString::number(trial_duration_s(t), 'f', 1));
      traces.push_back(centred(std::move(cop)));
    }
  } catch (const std::exception& e) {
    d_->chart->set_traces({}, {}, {});
    d_->shown = {};
    d_->note->setText(QStringLiteral("Cannot read the trials: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  // Symmetric about the common centre, both traces whole.
  double reach = 0;
  for (const auto& tr : traces)
    for (const TracePoint& q : tr) reach = std::max({reach, std::abs(q.x), std::abs(q.y)});
  const double half = std::max(5.0, 1.1 * reach);
  QString x_title = QStringLiteral("Mediolateral x (mm from mean, + right)");
  if (p.side == "left") x_title = QStringLiteral("Mediolateral x (mm from mean, + right = medial)");
  if (p.side == "right") x_title = QStringLiteral("Mediolateral x (mm from mean, + right = lateral)");
  d_->chart->set_axis_titles(x_title, QStringLiteral("AP y (mm, + forward)"));
  // Okabe–Ito blue dashed before, vermilion solid after: apart by colour and by dash.
  const std::vector<CopChart::Pen> pens{{QColor(0, 114, 178), Qt::DashLine, 1.6}, {QColor(213, 94, 0), Qt::SolidLine, 2.0}};
  const QStringList names{QStringLiteral("Before: %1 (dashed)").arg(qs(d_->from_date)),
                          QStringLiteral("After: %1 (solid)").arg(qs(d_->to_date))};
  d_->chart->set_region({-half, half, -half, half});
  d_->chart->set_traces(traces, names, pens);
  d_->shown = {p.from_trial, p.to_trial};
  d_->note->setText(QStringLiteral("Each trace is centred on its own mean (mean COP before %1 mm, after %2 mm, from the "
                                   "plate centre) and low-pass filtered at 10 Hz, as analysed; %3 before, %4 after.")
                        .arg(means.value(0), means.value(1), lengths.value(0), lengths.value(1)));
}

QComboBox* CopOverlayWidget::test_box() const { return d_->box; }
CopChart* CopOverlayWidget::chart() const { return d_->chart; }
QLabel* CopOverlayWidget::note_label() const { return d_->note; }
const std::vector<StanceTrialPair>& CopOverlayWidget::pairs() const { return d_->pairs; }
std::pair<std::string, std::string> CopOverlayWidget::shown_trials() const { return d_->shown; }

}  // namespace fp::gui
