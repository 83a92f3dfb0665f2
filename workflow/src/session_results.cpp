#include "forceplate/workflow/session_results.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

namespace fp::workflow {

namespace {

std::optional<analysis::Side> side_of(const std::string& s) {
  if (s == "left") return analysis::Side::left;
  if (s == "right") return analysis::Side::right;
  return std::nullopt;
}

std::string key_of(const std::string& test, std::optional<analysis::Side> side) {
  return test + "/" + (side ? analysis::to_string(*side) : "");
}

}  // namespace

std::optional<analysis::Side> involved_side(const data::Patient& patient) {
  return side_of(patient.involved_side);
}

SessionResults session_results(const data::Archive& archive, const std::string& session_id,
                               const DefinitionSet& definitions) {
  SessionResults out;
  out.session = archive.session(session_id);
  out.record.id = out.session.id;
  out.record.date = out.session.started_at_utc;
  if (out.session.pain_24h >= 0) out.record.pain_last_24h = out.session.pain_24h;
  std::map<std::string, std::size_t> index;  // test/side -> position in record.tests
  data::TrialQuery q;
  q.session_id = session_id;
  for (const data::TrialRecord& rec : archive.find_trials(q)) {
    if (!rec.complete) {
      out.skipped.push_back(rec.id + ": incomplete (recovered from an interrupted recording)");
      continue;
    }
    const data::Trial trial = archive.read_trial(rec.id);
    // A trial run through the runner names its definition (test_definition's "id"); one imported
    // or recorded by hand is known by its test name.
    std::string id = rec.test;
    if (!trial.test_definition.empty()) {
      const auto j = nlohmann::json::parse(trial.test_definition, nullptr, false);
      if (j.is_object() && j.contains("id") && j["id"].is_string()) id = j["id"].get<std::string>();
    }
    const TestDefinition* def = definitions.find(id);
    if (def == nullptr) {
      out.skipped.push_back(rec.id + ": test '" + id + "' has no definition");
      continue;
    }
    if (!trial.invalid_reason.empty()) {
      out.skipped.push_back(rec.id + ": invalid (" + trial.invalid_reason + ")");
      continue;
    }
    std::optional<analysis::Side> side = side_of(trial.side.empty() ? rec.side : trial.side);
    if (!(def->stance != Stance::double_leg)) side.reset();
    if ((def->stance != Stance::double_leg) && !side) {
      out.skipped.push_back(rec.id + ": one-sided test without its side");
      continue;
    }
    const std::string key = key_of(def->id, side);
    auto it = index.find(key);
    if (it == index.end()) {
      it = index.emplace(key, out.record.tests.size()).first;
      TestResults t;
      t.test = def->id;
      t.side = side;
      out.record.tests.push_back(t);
    }
    TestResults& t = out.record.tests[it->second];
    std::map<std::string, double> values;
    for (const data::Measurement& m : trial.results) values[m.name] = m.value;
    t.trials.push_back(std::move(values));
    for (const data::PainRating& p : trial.pain) {
      if (p.when == "before") t.pain_before = p.rating;
      if (p.when == "after" || p.when == "end-of-trial") t.pain_after = p.rating;
    }
  }
  return out;
}

std::vector<SessionResults> patient_results(const data::Archive& archive, const std::string& patient_id,
                                            const DefinitionSet& definitions) {
  std::vector<SessionResults> out;
  for (const data::Session& s : archive.list_sessions(patient_id)) {
    SessionResults r = session_results(archive, s.id, definitions);
    if (!r.record.tests.empty()) out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SessionResults& a, const SessionResults& b) { return a.record.date < b.record.date; });
  return out;
}

SessionSummary summarize_session(const SessionRecord& record, const DefinitionSet& definitions,
                                 const MeasureCatalog& catalog, std::optional<analysis::Side> involved,
                                 double lsi_threshold_percent) {
  SessionSummary out;
  out.lsi_threshold_percent = lsi_threshold_percent;
  for (const TestResults& t : record.tests) {
    const TestDefinition* def = definitions.find(t.test);
    if (def == nullptr) throw ComparisonError("session " + record.id + ": unknown test '" + t.test + "'");
    TestSummary s;
    s.test = t.test;
    s.name = def->name;
    s.side = t.side;
    s.pain_before = t.pain_before;
    s.pain_after = t.pain_after;
    for (const MeasureSpec& spec : def->measures) {
      CombinedMeasure c;
      c.measure = spec.name;
      const MeasureInfo* info = catalog.find(spec.name);
      c.unit = spec.unit ? *spec.unit : (info ? info->unit : "");
      const Better better = spec.better ? *spec.better : (info ? info->better : Better::none);
      c.combine = def->combine_for(spec.name);
      std::vector<double> values;
      for (const auto& trial : t.trials) {
        const auto v = trial.find(spec.name);
        values.push_back(v == trial.end() ? std::numeric_limits<double>::quiet_NaN() : v->second);
      }
      c.trials = static_cast<std::size_t>(
          std::count_if(values.begin(), values.end(), [](double v) { return std::isfinite(v); }));
      const Combine how = (c.combine == Combine::best && better != Better::higher && better != Better::lower)
                              ? Combine::mean
                              : c.combine;
      c.value = combine_trials(values, how, better);
      s.measures.push_back(c);
    }
    out.tests.push_back(std::move(s));
  }
  if (!involved) return out;
  // Limb symmetry: tests present on both sides.
  for (const TestSummary& l : out.tests) {
    if (!l.side || *l.side != analysis::Side::left) continue;
    const auto r = std::find_if(out.tests.begin(), out.tests.end(), [&](const TestSummary& x) {
      return x.test == l.test && x.side && *x.side == analysis::Side::right;
    });
    if (r == out.tests.end()) continue;
    for (const CombinedMeasure& lm : l.measures) {
      const auto rm = std::find_if(r->measures.begin(), r->measures.end(),
                                   [&](const CombinedMeasure& m) { return m.measure == lm.measure; });
      if (rm == r->measures.end()) continue;
      SymmetryRow row;
      row.test = l.test;
      row.measure = lm.measure;
      row.unit = lm.unit;
      row.left = lm.value;
      row.right = rm->value;
      const double inv = *involved == analysis::Side::left ? row.left : row.right;
      const double uninv = *involved == analysis::Side::left ? row.right : row.left;
      row.lsi = uninv != 0 ? inv / uninv * 100 : std::numeric_limits<double>::quiet_NaN();
      const MeasureInfo* info = catalog.find(lm.measure);
      const Better better = info ? info->better : Better::none;
      if (better == Better::higher) row.lsi_oriented = row.lsi;
      if (better == Better::lower && inv != 0) row.lsi_oriented = uninv / inv * 100;
      row.meets_threshold = std::isfinite(row.lsi_oriented) && row.lsi_oriented >= lsi_threshold_percent;
      out.symmetry.push_back(row);
    }
  }
  return out;
}

}  // namespace fp::workflow
