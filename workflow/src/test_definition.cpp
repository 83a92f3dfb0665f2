#include "forceplate/workflow/test_definition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#ifndef FP_DEFINITIONS_DIR
#error "FP_DEFINITIONS_DIR (the built-in test definitions folder) must be defined by the build"
#endif

namespace fp::workflow {

using nlohmann::json;

// --- names ------------------------------------------------------------------------------------

namespace {

template <typename E>
struct Named {
  E value;
  const char* name;
};

constexpr Named<Stance> stance_names[] = {{Stance::double_leg, "double"},
                                          {Stance::left, "left"},
                                          {Stance::right, "right"},
                                          {Stance::both_sides_alternating, "both-sides-alternating"}};
constexpr Named<Eyes> eyes_names[] = {{Eyes::open, "open"}, {Eyes::closed, "closed"}};
constexpr Named<Surface> surface_names[] = {{Surface::firm, "firm"}, {Surface::foam, "foam"}};
constexpr Named<AnalysisKind> analysis_names[] = {
    {AnalysisKind::quiet_stance, "quiet-stance"},
    {AnalysisKind::single_leg_stance, "single-leg-stance"},
    {AnalysisKind::weight_bearing, "weight-bearing"},
    {AnalysisKind::countermovement_jump, "countermovement-jump"},
    {AnalysisKind::squat_jump, "squat-jump"},
    {AnalysisKind::landing, "landing"},
    {AnalysisKind::drop_jump, "drop-jump"},
    {AnalysisKind::hops, "hops"}};
constexpr Named<EndCondition> end_names[] = {{EndCondition::duration, "duration"},
                                             {EndCondition::landing_settled, "landing-settled"},
                                             {EndCondition::hop_count, "hop-count"}};
constexpr Named<Combine> combine_names[] = {
    {Combine::mean, "mean"}, {Combine::best, "best"}, {Combine::median, "median"}};
constexpr Named<ThresholdKind> kind_names[] = {
    {ThresholdKind::measure, "measure"}, {ThresholdKind::lsi, "lsi"}, {ThresholdKind::pain, "pain"}};
constexpr Named<Comparison> op_names[] = {{Comparison::greater_equal, ">="},
                                          {Comparison::greater, ">"},
                                          {Comparison::less_equal, "<="},
                                          {Comparison::less, "<"}};

template <typename E, std::size_t N>
const char* name_of(const Named<E> (&table)[N], E v) {
  for (const auto& n : table)
    if (n.value == v) return n.name;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Named<E> (&table)[N], std::string_view s) {
  for (const auto& n : table)
    if (s == n.name) return n.value;
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string list_of(const Named<E> (&table)[N]) {
  std::string out;
  for (const auto& n : table) {
    if (!out.empty()) out += ", ";
    out += n.name;
  }
  return out;
}

}  // namespace

const char* to_string(Stance s) { return name_of(stance_names, s); }
const char* to_string(Eyes e) { return name_of(eyes_names, e); }
const char* to_string(Surface s) { return name_of(surface_names, s); }
const char* to_string(AnalysisKind a) { return name_of(analysis_names, a); }
const char* to_string(EndCondition e) { return name_of(end_names, e); }
const char* to_string(Combine c) { return name_of(combine_names, c); }
const char* to_string(ThresholdKind k) { return name_of(kind_names, k); }
const char* to_string(Comparison c) { return name_of(op_names, c); }
std::optional<AnalysisKind> analysis_from_string(std::string_view s) {
  return value_of(analysis_names, s);
}
const char* known_analyses() {
  static const std::string list = list_of(analysis_names);
  return list.c_str();
}

bool satisfies(double value, Comparison op, double threshold) {
  if (std::isnan(value)) return false;
  switch (op) {
    case Comparison::greater_equal:
      return value >= threshold;
    case Comparison::greater:
      return value > threshold;
    case Comparison::less_equal:
      return value <= threshold;
    case Comparison::less:
      return value < threshold;
  }
  return false;
}

const MeasureSpec* TestDefinition::find_measure(std::string_view measure) const {
  for (const MeasureSpec& m : measures)
    if (m.name == measure) return &m;
  return nullptr;
}

Combine TestDefinition::combine_for(std::string_view measure) const {
  const MeasureSpec* m = find_measure(measure);
  return m && m->combine ? *m->combine : combine;
}

std::string DefinitionError::message() const {
  std::string out = file.string() + ": ";
  if (!field.empty()) out += "field \"" + field + "\": ";
  return out + problem;
}

DefinitionParseError::DefinitionParseError(DefinitionError e)
    : std::runtime_error(e.message()), error_(std::move(e)) {}

const TestDefinition* DefinitionSet::find(std::string_view id) const {
  for (const TestDefinition& d : definitions)
    if (d.id == id) return &d;
  return nullptr;
}

// --- parsing ----------------------------------------------------------------------------------

namespace {

const char* type_name(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

std::string shown(const json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// Reads the fields of one JSON object, naming each by its path for messages, and refuses fields
// it does not know (a misspelt optional field would otherwise be silently ignored).
class Reader {
 public:
  Reader(const json& obj, std::filesystem::path file, std::string path)
      : obj_(obj), file_(std::move(file)), path_(std::move(path)) {
    if (!obj_.is_object()) fail("", std::string("must be an object, not ") + type_name(obj_));
  }

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw DefinitionParseError(DefinitionError{file_, field(key), problem});
  }
  std::string field(const std::string& key) const {
    if (key.empty()) return path_;
    return path_.empty() ? key : path_ + "." + key;
  }

  bool has(const std::string& key) {
    seen_.insert(key);
    return obj_.contains(key);
  }
  const json& at(const std::string& key) {
    if (!has(key)) fail(key, "missing (required)");
    return obj_.at(key);
  }

  std::string string(const std::string& key) {
    const json& v = at(key);
    if (!v.is_string()) fail(key, std::string("must be a string, not ") + type_name(v));
    std::string s = v.get<std::string>();
    if (s.empty()) fail(key, "must not be empty");
    return s;
  }
  std::optional<std::string> opt_string(const std::string& key) {
    if (!has(key)) return std::nullopt;
    return string(key);
  }
  double number(const std::string& key) {
    const json& v = at(key);
    if (!v.is_number()) fail(key, std::string("must be a number, not ") + type_name(v));
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(key, "must be a finite number");
    return d;
  }
  double positive(const std::string& key) {
    const double d = number(key);
    if (!(d > 0)) fail(key, "must be greater than 0 (got " + shown(obj_.at(key)) + ")");
    return d;
  }
  double non_negative(const std::string& key) {
    const double d = number(key);
    if (d < 0) fail(key, "must not be negative (got " + shown(obj_.at(key)) + ")");
    return d;
  }
  int integer(const std::string& key, int min, int max) {
    const json& v = at(key);
    if (!v.is_number_integer())
      fail(key, std::string("must be a whole number, not ") +
                    (v.is_number() ? "a fraction (" + shown(v) + ")" : type_name(v)));
    const auto i = v.get<long long>();
    if (i < min || i > max)
      fail(key, "must be from " + std::to_string(min) + " to " + std::to_string(max) + " (got " +
                    std::to_string(i) + ")");
    return static_cast<int>(i);
  }
  bool boolean(const std::string& key) {
    const json& v = at(key);
    if (!v.is_boolean()) fail(key, std::string("must be true or false, not ") + type_name(v));
    return v.get<bool>();
  }
  template <typename E, std::size_t N>
  E choice(const std::string& key, const Named<E> (&table)[N], const char* what) {
    const std::string s = string(key);
    const std::optional<E> e = value_of(table, s);
    if (!e) fail(key, std::string("unknown ") + what + " \"" + s + "\" (one of: " + list_of(table) + ")");
    return *e;
  }
  const json& array(const std::string& key) {
    const json& v = at(key);
    if (!v.is_array()) fail(key, std::string("must be an array, not ") + type_name(v));
    return v;
  }

  // Call last: any field not read is unknown. "comment" is allowed anywhere.
  void no_other_fields() const {
    for (const auto& [k, v] : obj_.items()) {
      if (k == "comment") continue;
      if (!seen_.contains(k)) fail(k, "unknown field");
    }
  }

 private:
  const json& obj_;
  std::filesystem::path file_;
  std::string path_;
  std::set<std::string> seen_;
};

bool valid_id(const std::string& id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

EndRule parse_end(Reader& parent, const std::filesystem::path& file) {
  Reader r(parent.at("end"), file, parent.field("end"));
  EndRule e;
  e.condition = r.choice("condition", end_names, "end condition");
  switch (e.condition) {
    case EndCondition::duration:
      e.duration_s = r.positive("duration_s");
      break;
    case EndCondition::landing_settled:
      e.hold_s = r.non_negative("hold_s");
      e.timeout_s = r.positive("timeout_s");
      if (e.timeout_s <= e.hold_s) r.fail("timeout_s", "must be longer than hold_s");
      break;
    case EndCondition::hop_count:
      e.count = r.integer("count", 1, 1000);
      e.timeout_s = r.positive("timeout_s");
      break;
  }
  r.no_other_fields();
  return e;
}

AnalysisWindow parse_window(Reader& parent, const std::filesystem::path& file, const EndRule& end) {
  Reader r(parent.at("analysis_window"), file, parent.field("analysis_window"));
  AnalysisWindow w;
  if (r.has("middle_s")) {
    const double middle = r.positive("middle_s");
    if (end.condition != EndCondition::duration)
      r.fail("middle_s", "needs an end condition of \"duration\" (the middle of what?)");
    if (middle > end.duration_s)
      r.fail("middle_s", "is longer than the recording (end.duration_s = " +
                             shown(json(end.duration_s)) + ")");
    w.start_s = (end.duration_s - middle) / 2;
    w.end_s = w.start_s + middle;
  } else {
    w.start_s = r.non_negative("start_s");
    w.end_s = r.positive("end_s");
    if (w.end_s <= w.start_s) r.fail("end_s", "must be after start_s");
    if (end.condition == EndCondition::duration && w.end_s > end.duration_s)
      r.fail("end_s", "is after the end of the recording (end.duration_s = " +
                          shown(json(end.duration_s)) + ")");
  }
  r.no_other_fields();
  return w;
}

MeasureSpec parse_measure(const json& v, const std::filesystem::path& file, const std::string& path,
                          const MeasureCatalog& catalog) {
  MeasureSpec m;
  if (v.is_string()) {
    m.name = v.get<std::string>();
  } else if (v.is_object()) {
    Reader r(v, file, path);
    m.name = r.string("name");
    if (r.has("combine")) m.combine = r.choice("combine", combine_names, "combine rule");
    if (r.has("better")) {
      const std::string b = r.string("better");
      m.better = better_from_string(b);
      if (!m.better)
        r.fail("better", "unknown direction \"" + b + "\" (one of: none, lower, higher, closer-to-target)");
    }
    if (r.has("unit")) {
      const json& u = r.at("unit");
      if (!u.is_string()) r.fail("unit", std::string("must be a string, not ") + type_name(u));
      m.unit = u.get<std::string>();
    }
    r.no_other_fields();
  } else {
    throw DefinitionParseError(DefinitionError{
        file, path, std::string("must be a measure name or an object, not ") + type_name(v)});
  }
  if (!catalog.find(m.name) && !(m.better && m.unit))
    throw DefinitionParseError(DefinitionError{
        file, path,
        "unknown measure \"" + m.name +
            "\" (not in the measure catalogue; a new measure needs \"better\" and \"unit\")"});
  return m;
}

ValidityRules parse_validity(Reader& parent, const std::filesystem::path& file) {
  Reader r(parent.at("validity"), file, parent.field("validity"));
  ValidityRules v;
  if (r.has("max_failures")) v.max_failures = r.integer("max_failures", 0, 1000);
  if (r.has("min_time_in_balance_s")) v.min_time_in_balance_s = r.non_negative("min_time_in_balance_s");
  if (r.has("require_flight")) v.require_flight = r.boolean("require_flight");
  if (r.has("require_landing")) v.require_landing = r.boolean("require_landing");
  if (r.has("body_weight_tolerance")) {
    v.body_weight_tolerance = r.positive("body_weight_tolerance");
    if (*v.body_weight_tolerance >= 1)
      r.fail("body_weight_tolerance", "is a fraction of body weight: must be below 1 (0.05 = 5 %)");
  }
  if (r.has("max_time_to_stabilisation_s"))
    v.max_time_to_stabilisation_s = r.positive("max_time_to_stabilisation_s");
  r.no_other_fields();
  return v;
}

PassThreshold parse_threshold(const json& v, const std::filesystem::path& file,
                              const std::string& path, const TestDefinition& d) {
  Reader r(v, file, path);
  PassThreshold t;
  t.kind = r.choice("kind", kind_names, "threshold kind");
  if (t.kind != ThresholdKind::pain) {
    t.measure = r.string("measure");
    if (!d.find_measure(t.measure))
      r.fail("measure", "\"" + t.measure + "\" is not among this test's \"measures\"");
    if (t.kind == ThresholdKind::lsi && d.stance == Stance::double_leg)
      r.fail("kind", "a limb symmetry index needs a single-leg stance (left, right or both sides)");
  } else if (!d.pain_rating) {
    r.fail("kind", "a pain threshold needs \"pain_rating\"");
  }
  t.op = r.choice("op", op_names, "comparison");
  t.value = r.number("value");
  if (t.kind == ThresholdKind::pain && (t.value < 0 || t.value > 10))
    r.fail("value", "a pain rating is from 0 to 10");
  if (auto s = r.opt_string("source")) t.source = *s;
  r.no_other_fields();
  return t;
}

PainRating parse_pain(Reader& parent, const std::filesystem::path& file) {
  Reader r(parent.at("pain_rating"), file, parent.field("pain_rating"));
  PainRating p;
  const std::string when = r.string("when");
  if (when != "end-of-trial" && when != "end-of-test")
    r.fail("when", "unknown \"" + when + "\" (one of: end-of-trial, end-of-test)");
  p.when = when;
  p.question = r.string("question");
  p.positive_at = r.number("positive_at");
  if (p.positive_at < 0 || p.positive_at > 10) r.fail("positive_at", "a pain rating is from 0 to 10");
  r.no_other_fields();
  return p;
}

}  // namespace

TestDefinition parse_definition(const json& j, const std::filesystem::path& file,
                                const MeasureCatalog& catalog) {
  Reader r(j, file, "");
  TestDefinition d;
  d.file = file;
  d.id = r.string("id");
  if (!valid_id(d.id))
    r.fail("id", "\"" + d.id + "\" must be lower-case letters, digits and dashes");
  d.name = r.string("name");
  d.instructions = r.string("instructions");
  d.stance = r.choice("stance", stance_names, "stance");
  d.eyes = r.choice("eyes", eyes_names, "eyes");
  d.surface = r.choice("surface", surface_names, "surface");
  d.plates = r.integer("plates", 1, 2);
  d.end = parse_end(r, file);
  d.trials = r.integer("trials", 1, 20);
  d.rest_s = r.non_negative("rest_s");
  d.analysis = r.choice("analysis", analysis_names, "analysis");
  if (d.analysis == AnalysisKind::weight_bearing && d.plates != 2)
    r.fail("plates", "weight-bearing symmetry needs 2 plates, one foot on each");
  if (d.analysis == AnalysisKind::single_leg_stance && d.stance == Stance::double_leg)
    r.fail("stance", "a single-leg-stance analysis needs a single-leg stance");
  if (d.analysis == AnalysisKind::weight_bearing && d.stance != Stance::double_leg)
    r.fail("stance", "weight-bearing symmetry is a double-leg test");
  if (r.has("analysis_window")) d.window = parse_window(r, file, d.end);
  const json& measures = r.array("measures");
  if (measures.empty()) r.fail("measures", "must name at least one measure");
  for (std::size_t i = 0; i < measures.size(); ++i) {
    const std::string path = "measures[" + std::to_string(i) + "]";
    MeasureSpec m = parse_measure(measures.at(i), file, path, catalog);
    if (d.find_measure(m.name)) r.fail(path, "\"" + m.name + "\" is listed twice");
    d.measures.push_back(std::move(m));
  }
  d.combine = r.choice("combine", combine_names, "combine rule");
  // "best" needs to know which way is better, for every measure it applies to.
  for (std::size_t i = 0; i < d.measures.size(); ++i) {
    const MeasureSpec& m = d.measures[i];
    if (d.combine_for(m.name) != Combine::best) continue;
    const MeasureInfo* info = catalog.find(m.name);
    const Better b = m.better ? *m.better : (info ? info->better : Better::none);
    if (b != Better::higher && b != Better::lower)
      r.fail("measures[" + std::to_string(i) + "]",
             "\"best\" of \"" + m.name + "\" needs a direction of better (higher or lower), it has \"" +
                 to_string(b) + "\": give \"combine\": \"mean\" or \"median\" for it, or \"better\"");
  }
  if (r.has("validity")) d.validity = parse_validity(r, file);
  if (r.has("pain_rating")) d.pain_rating = parse_pain(r, file);
  if (r.has("pass")) {
    const json& pass = r.array("pass");
    for (std::size_t i = 0; i < pass.size(); ++i)
      d.pass.push_back(parse_threshold(pass.at(i), file, "pass[" + std::to_string(i) + "]", d));
  }
  if (r.has("references")) {
    const json& refs = r.array("references");
    for (std::size_t i = 0; i < refs.size(); ++i) {
      if (!refs.at(i).is_string())
        r.fail("references[" + std::to_string(i) + "]",
               std::string("must be a string, not ") + type_name(refs.at(i)));
      d.references.push_back(refs.at(i).get<std::string>());
    }
  }
  r.no_other_fields();
  return d;
}

DefinitionSet load_definitions(const std::vector<std::filesystem::path>& dirs,
                               const MeasureCatalog& catalog) {
  DefinitionSet set;
  std::map<std::string, TestDefinition> by_id;
  for (std::size_t di = 0; di < dirs.size(); ++di) {
    const std::filesystem::path& dir = dirs[di];
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      set.errors.push_back({dir, "", "is not a folder (or cannot be read)"});
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      const std::filesystem::path& p = entry.path();
      if (p.extension() == ".json" && p.filename() != "mdc.json" && entry.is_regular_file(ec))
        files.push_back(p);
    }
    if (ec) set.errors.push_back({dir, "", "cannot be listed: " + ec.message()});
    std::sort(files.begin(), files.end());
    std::set<std::string> ids_here;
    for (const std::filesystem::path& file : files) {
      try {
        std::ifstream in(file);
        if (!in) throw DefinitionParseError({file, "", "cannot be opened"});
        json j;
        try {
          j = json::parse(in);
        } catch (const json::parse_error& e) {
          throw DefinitionParseError({file, "", std::string("not valid JSON: ") + e.what()});
        }
        TestDefinition d = parse_definition(j, file, catalog);
        if (ids_here.contains(d.id))
          throw DefinitionParseError(
              {file, "id", "\"" + d.id + "\" is already defined by " + by_id.at(d.id).file.string()});
        ids_here.insert(d.id);
        if (auto it = by_id.find(d.id); it != by_id.end()) {
          set.notes.push_back("test \"" + d.id + "\": " + file.string() + " overrides " +
                              it->second.file.string());
          it->second = std::move(d);
        } else {
          const std::string id = d.id;
          by_id.emplace(id, std::move(d));
        }
      } catch (const DefinitionParseError& e) {
        set.errors.push_back(e.error());
      }
    }
  }
  for (auto& [id, d] : by_id) set.definitions.push_back(std::move(d));
  return set;
}

std::filesystem::path built_in_definitions_dir() {
  if (const char* env = std::getenv("FP_DEFINITIONS_DIR"); env && *env) return env;
  return FP_DEFINITIONS_DIR;
}

}  // namespace fp::workflow
