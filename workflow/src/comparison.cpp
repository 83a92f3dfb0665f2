#include "forceplate/workflow/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <utility>

namespace fp::workflow {

const char* to_string(ChangeClass c) {
  switch (c) {
    case ChangeClass::improved:
      return "improved";
    case ChangeClass::worse:
      return "worse";
    case ChangeClass::within_noise:
      return "within noise";
    case ChangeClass::changed:
      return "changed";
    case ChangeClass::not_assessed:
      return "not assessed";
  }
  return "not assessed";
}

const char* to_string(MdcSource s) {
  switch (s) {
    case MdcSource::published:
      return "published";
    case MdcSource::own_variability:
      return "own variability";
    case MdcSource::none:
      return "none";
  }
  return "none";
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// z for a two-sided 95 % interval, as in MDC95 = 1.96 · √2 · SEM (Weir 2005; Haley & Fragala-Pinkham
// 2006). Written as the conventional rounded value on purpose: published MDC95 values use it.
constexpr double z95 = 1.96;

std::vector<double> finite(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v)
    if (std::isfinite(x)) out.push_back(x);
  return out;
}

std::string side_label(const std::optional<analysis::Side>& side) {
  return side ? std::string(" (") + analysis::to_string(*side) + ")" : std::string();
}

ChangeClass classify(double from, double to, double mdc, Better better, double target) {
  if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(mdc)) return ChangeClass::not_assessed;
  const double change = to - from;
  if (std::fabs(change) <= mdc) return ChangeClass::within_noise;
  switch (better) {
    case Better::higher:
      return change > 0 ? ChangeClass::improved : ChangeClass::worse;
    case Better::lower:
      return change < 0 ? ChangeClass::improved : ChangeClass::worse;
    case Better::closer_to_target: {
      const double before = std::fabs(from - target);
      const double after = std::fabs(to - target);
      if (after < before) return ChangeClass::improved;
      if (after > before) return ChangeClass::worse;
      return ChangeClass::changed;  // crossed the target to the same distance on the other side
    }
    case Better::none:
      return ChangeClass::changed;
  }
  return ChangeClass::changed;
}

Change make_change(const SessionValue& a, const SessionValue& b, double mdc, Better better,
                   double target) {
  Change c;
  c.from_session = a.session;
  c.to_session = b.session;
  c.from = a.value;
  c.to = b.value;
  c.change = b.value - a.value;
  c.percent_change = (std::isfinite(a.value) && a.value != 0) ? c.change / std::fabs(a.value) * 100 : nan;
  c.classification = classify(a.value, b.value, mdc, better, target);
  return c;
}

struct Key {
  std::string test;
  std::optional<analysis::Side> side;
  bool operator==(const Key& o) const { return test == o.test && side == o.side; }
};

}  // namespace

double combine_trials(const std::vector<double>& values, Combine how, Better better) {
  std::vector<double> v = finite(values);
  if (v.empty()) return nan;
  switch (how) {
    case Combine::mean: {
      double sum = 0;
      for (double x : v) sum += x;
      return sum / static_cast<double>(v.size());
    }
    case Combine::median: {
      std::sort(v.begin(), v.end());
      const std::size_t n = v.size();
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    case Combine::best:
      if (better == Better::higher) return *std::max_element(v.begin(), v.end());
      if (better == Better::lower) return *std::min_element(v.begin(), v.end());
      throw ComparisonError(std::string("\"best\" of trials needs a direction of better (higher or "
                                        "lower), not \"") + to_string(better) + "\"");
  }
  return nan;
}

MdcUsed mdc_from_trials(const std::vector<std::vector<double>>& per_session) {
  double ss = 0;
  std::size_t df = 0;
  std::size_t sessions_used = 0;
  for (const std::vector<double>& raw : per_session) {
    const std::vector<double> v = finite(raw);
    if (v.size() < 2) continue;
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) ss += (x - mean) * (x - mean);
    df += v.size() - 1;
    ++sessions_used;
  }
  MdcUsed m;
  if (df == 0) {
    m.note = "no session with two or more trials: no own-variability MDC";
    return m;
  }
  // Identical trials (a value that is a count, or rounded, or a simulated repeat) give SEM 0 and
  // would call any change real: that says nothing about the noise, so no MDC is claimed.
  if (!(ss > 0)) {
    m.note = "the trials of every session are identical: no variability to derive an MDC from";
    return m;
  }
  m.source = MdcSource::own_variability;
  m.df = df;
  m.sem = std::sqrt(ss / static_cast<double>(df));
  m.mdc95 = z95 * std::sqrt(2.0) * m.sem;
  m.citation =
      "own between-trial variability: SEM = pooled within-session SD of the trials (typical error, "
      "Hopkins 2000), MDC95 = 1.96 * sqrt(2) * SEM (Weir 2005)";
  std::ostringstream note;
  note << "SEM " << m.sem << " from " << sessions_used << " session(s), " << df
       << " degree(s) of freedom";
  if (df < 4) note << "; few trials: this MDC is itself uncertain";
  m.note = note.str();
  return m;
}

ComparisonReport compare_sessions(const std::vector<SessionRecord>& sessions,
                                  const DefinitionSet& definitions, const MeasureCatalog& catalog,
                                  const MdcTable& mdc, const CompareOptions& options) {
  // --- the sessions themselves ---
  if (sessions.size() < 2)
    throw ComparisonError("a comparison needs at least two sessions (got " +
                          std::to_string(sessions.size()) + ")");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    const SessionRecord& s = sessions[i];
    if (s.id.empty()) throw ComparisonError("session " + std::to_string(i + 1) + " has no id");
    if (!ids.insert(s.id).second) throw ComparisonError("session id \"" + s.id + "\" appears twice");
    if (s.date.empty()) throw ComparisonError("session \"" + s.id + "\" has no date");
    if (i > 0 && s.date < sessions[i - 1].date)
      throw ComparisonError("sessions are not in date order: \"" + s.id + "\" (" + s.date +
                            ") comes after \"" + sessions[i - 1].id + "\" (" + sessions[i - 1].date + ")");
  }
  auto index_of = [&](const std::string& id, std::size_t fallback, const char* what) {
    if (id.empty()) return fallback;
    for (std::size_t i = 0; i < sessions.size(); ++i)
      if (sessions[i].id == id) return i;
    throw ComparisonError(std::string("no session \"") + id + "\" (given as " + what + ")");
  };
  const std::size_t from = index_of(options.from_session, 0, "the session to compare from");
  const std::size_t to = index_of(options.to_session, sessions.size() - 1, "the session to compare to");
  if (from >= to)
    throw ComparisonError("session \"" + sessions[from].id + "\" must come before session \"" +
                          sessions[to].id + "\"");

  // --- every test result checked against its definition ---
  std::vector<Key> keys;  // in order of first appearance
  for (const SessionRecord& s : sessions) {
    std::vector<Key> here;
    for (const TestResults& t : s.tests) {
      const TestDefinition* d = definitions.find(t.test);
      const std::string where = "session \"" + s.id + "\", test \"" + t.test + "\"" + side_label(t.side);
      if (!d) throw ComparisonError(where + ": no such test definition");
      if (d->stance == Stance::double_leg && t.side)
        throw ComparisonError(where + ": a double-leg test has no side");
      if (d->stance != Stance::double_leg && !t.side)
        throw ComparisonError(where + ": a single-leg test needs its side");
      if ((d->stance == Stance::left && t.side != analysis::Side::left) ||
          (d->stance == Stance::right && t.side != analysis::Side::right))
        throw ComparisonError(where + ": the test is defined for the " + to_string(d->stance) +
                              " side only");
      const Key k{t.test, t.side};
      if (std::find(here.begin(), here.end(), k) != here.end())
        throw ComparisonError(where + ": appears twice in the session");
      here.push_back(k);
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
      for (std::size_t ti = 0; ti < t.trials.size(); ++ti)
        for (const MeasureSpec& m : d->measures)
          if (!t.trials[ti].contains(m.name))
            throw ComparisonError(where + ", trial " + std::to_string(ti + 1) + ": no value for \"" +
                                  m.name + "\", which the test definition lists");
      for (const auto& [label, p] : {std::pair{"pain before", t.pain_before}, std::pair{"pain after", t.pain_after}})
        if (p && !(*p >= 0 && *p <= 10))
          throw ComparisonError(where + ": " + label + " must be from 0 to 10");
    }
  }

  ComparisonReport report;
  report.from_session = sessions[from].id;
  report.to_session = sessions[to].id;

  auto find_results = [&](std::size_t si, const Key& k) -> const TestResults* {
    for (const TestResults& t : sessions[si].tests)
      if (t.test == k.test && t.side == k.side) return &t;
    return nullptr;
  };

  // --- per test, side and measure ---
  std::size_t compared = 0;
  for (const Key& k : keys) {
    const TestDefinition& d = *definitions.find(k.test);
    if (!find_results(from, k) || !find_results(to, k)) {
      report.notes.push_back("test \"" + k.test + "\"" + side_label(k.side) + " is not in both session \"" +
                             sessions[from].id + "\" and session \"" + sessions[to].id + "\": not compared");
      continue;
    }
    ++compared;
    for (const MeasureSpec& spec : d.measures) {
      const MeasureInfo* info = catalog.find(spec.name);
      if (!info && !spec.better)
        throw ComparisonError("test \"" + k.test + "\": unknown measure \"" + spec.name +
                              "\" (not in the measure catalogue, and its definition gives no \"better\")");
      MeasureComparison mc;
      mc.test = k.test;
      mc.side = k.side;
      mc.measure = spec.name;
      mc.better = spec.better ? *spec.better : info->better;
      mc.unit = spec.unit ? *spec.unit : (info ? info->unit : std::string());
      mc.target = info ? info->target : nan;
      if (mc.better == Better::closer_to_target && !std::isfinite(mc.target))
        throw ComparisonError("measure \"" + spec.name + "\" is \"closer-to-target\" without a target");
      mc.combine = d.combine_for(spec.name);

      std::vector<std::vector<double>> trials_in_range;
      std::vector<std::size_t> series_session;  // session index of each series entry
      for (std::size_t si = 0; si < sessions.size(); ++si) {
        const TestResults* t = find_results(si, k);
        if (!t) continue;
        std::vector<double> values;
        for (const auto& trial : t->trials) values.push_back(trial.at(spec.name));
        SessionValue v;
        v.session = sessions[si].id;
        v.date = sessions[si].date;
        v.value = combine_trials(values, mc.combine, mc.better);
        v.trials = finite(values).size();
        mc.series.push_back(v);
        series_session.push_back(si);
        if (si >= from && si <= to) trials_in_range.push_back(values);
      }

      // MDC95: published (with its citation) or the patient's own trial-to-trial variability.
      const PublishedMdc* pub = mdc.find(spec.name, k.test, to_string(d.analysis));
      if (pub && pub->unit != mc.unit) {
        report.notes.push_back("published MDC for \"" + spec.name + "\" is in \"" + pub->unit +
                               "\", the measure in \"" + mc.unit + "\": not used");
        pub = nullptr;
      }
      const MdcUsed own = mdc_from_trials(trials_in_range);
      auto published = [&] {
        MdcUsed m;
        m.mdc95 = pub->mdc95;
        m.source = MdcSource::published;
        m.citation = pub->source;
        m.note = pub->note;
        return m;
      };
      if (pub && (options.prefer_published_mdc || own.source == MdcSource::none))
        mc.mdc = published();
      else
        mc.mdc = own;  // may be source none: then changes are "not assessed"

      const SessionValue* first = nullptr;
      const SessionValue* last = nullptr;
      const SessionValue* prev = nullptr;
      for (std::size_t i = 0; i < mc.series.size(); ++i) {
        const std::size_t si = series_session[i];
        if (si < from || si > to) continue;
        const SessionValue& v = mc.series[i];
        if (si == from) first = &v;
        if (si == to) last = &v;
        if (prev) mc.steps.push_back(make_change(*prev, v, mc.mdc.mdc95, mc.better, mc.target));
        prev = &v;
      }
      mc.overall = make_change(*first, *last, mc.mdc.mdc95, mc.better, mc.target);
      report.measures.push_back(std::move(mc));
    }

    // Pain ratings of this test and side.
    bool any_pain = false;
    PainSeries ps;
    ps.test = k.test;
    ps.side = k.side;
    double pain_from = nan;
    double pain_to = nan;
    for (std::size_t si = from; si <= to; ++si) {
      const TestResults* t = find_results(si, k);
      if (!t) continue;
      PainPoint p;
      p.session = sessions[si].id;
      p.before = t->pain_before.value_or(nan);
      p.after = t->pain_after.value_or(nan);
      any_pain = any_pain || t->pain_before || t->pain_after;
      p.positive = d.pain_rating && std::isfinite(p.after) && p.after >= d.pain_rating->positive_at;
      if (si == from) pain_from = p.after;
      if (si == to) pain_to = p.after;
      ps.points.push_back(p);
    }
    if (any_pain) {
      ps.change_after = pain_to - pain_from;
      if (std::isfinite(ps.change_after)) {
        if (std::fabs(ps.change_after) < options.pain_important_change)
          ps.classification = ChangeClass::within_noise;
        else
          ps.classification = ps.change_after < 0 ? ChangeClass::improved : ChangeClass::worse;
      }
      report.pain.push_back(std::move(ps));
    }
  }
  if (compared == 0)
    throw ComparisonError("sessions \"" + sessions[from].id + "\" and \"" + sessions[to].id +
                          "\" have no test in common");

  // --- limb symmetry ---
  bool two_sided = false;
  for (const Key& k : keys) {
    if (k.side != analysis::Side::left) continue;
    const Key other{k.test, analysis::Side::right};
    if (std::find(keys.begin(), keys.end(), other) == keys.end()) continue;
    two_sided = true;
    if (!options.involved_side) continue;
    const analysis::Side involved = *options.involved_side;
    const TestDefinition& d = *definitions.find(k.test);
    for (const MeasureSpec& spec : d.measures) {
      auto find_mc = [&](analysis::Side s) -> const MeasureComparison* {
        for (const MeasureComparison& mc : report.measures)
          if (mc.test == k.test && mc.side == s && mc.measure == spec.name) return &mc;
        return nullptr;
      };
      const MeasureComparison* inv = find_mc(involved);
      const MeasureComparison* uninv =
          find_mc(involved == analysis::Side::left ? analysis::Side::right : analysis::Side::left);
      if (!inv || !uninv) continue;
      LsiTrend trend;
      trend.test = k.test;
      trend.measure = spec.name;
      trend.better = inv->better;
      trend.threshold_percent = options.lsi_threshold_percent;
      for (const PassThreshold& p : d.pass)
        if (p.kind == ThresholdKind::lsi && p.measure == spec.name) trend.threshold_percent = p.value;
      for (const SessionValue& a : inv->series) {
        auto b = std::find_if(uninv->series.begin(), uninv->series.end(),
                              [&](const SessionValue& v) { return v.session == a.session; });
        if (b == uninv->series.end()) continue;
        std::size_t si = 0;
        while (sessions[si].id != a.session) ++si;
        if (si < from || si > to) continue;
        LsiPoint p;
        p.session = a.session;
        p.involved = a.value;
        p.uninvolved = b->value;
        p.lsi = (p.uninvolved != 0) ? p.involved / p.uninvolved * 100 : nan;
        if (trend.better == Better::higher)
          p.lsi_oriented = p.lsi;
        else if (trend.better == Better::lower)
          p.lsi_oriented = (p.involved != 0) ? p.uninvolved / p.involved * 100 : nan;
        p.meets_threshold = std::isfinite(p.lsi_oriented) && p.lsi_oriented >= trend.threshold_percent;
        trend.points.push_back(p);
      }
      // Least-squares slope of the oriented LSI over the session order (0, 1, 2, ...).
      std::vector<std::pair<double, double>> xy;
      for (std::size_t i = 0; i < trend.points.size(); ++i)
        if (std::isfinite(trend.points[i].lsi_oriented))
          xy.emplace_back(static_cast<double>(i), trend.points[i].lsi_oriented);
      if (xy.size() >= 2) {
        double mx = 0, my = 0;
        for (const auto& [x, y] : xy) mx += x, my += y;
        mx /= static_cast<double>(xy.size());
        my /= static_cast<double>(xy.size());
        double sxy = 0, sxx = 0;
        for (const auto& [x, y] : xy) sxy += (x - mx) * (y - my), sxx += (x - mx) * (x - mx);
        trend.slope_per_session = sxy / sxx;
      }
      if (xy.empty()) {
        trend.trend = "not assessed";
      } else if (xy.back().second >= trend.threshold_percent) {
        trend.trend = "at or above threshold";
      } else if (xy.size() < 2) {
        trend.trend = "below threshold";
      } else if (xy.back().second > xy.front().second) {
        trend.trend = "toward threshold";
      } else if (xy.back().second < xy.front().second) {
        trend.trend = "away from threshold";
      } else {
        trend.trend = "no change";
      }
      report.symmetry.push_back(std::move(trend));
    }
  }
  if (two_sided && !options.involved_side)
    report.notes.push_back("no involved side given: no limb symmetry index");
  return report;
}

}  // namespace fp::workflow
