// Test definitions as data: the built-in library, broken files, clinic overrides, the MDC table.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "forceplate/workflow/measure_catalog.hpp"
#include "forceplate/workflow/test_definition.hpp"

namespace fs = std::filesystem;
using namespace fp::workflow;

namespace {

const fs::path source_definitions = fs::path(FP_SOURCE_DIR) / "workflow" / "definitions";

// A fresh empty folder per test, removed at the end.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("fp-defs-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }

 private:
  fs::path path_;
};

// A valid definition, to be broken one field at a time.
nlohmann::json with(nlohmann::json j, const nlohmann::json& patch) {
  j.update(patch);
  return j;
}

nlohmann::json good_definition(const std::string& id = "my-stance-test") {
  return with(nlohmann::json::parse(R"({
    "id": "my-stance-test",
    "name": "My stance test",
    "instructions": "Stand still.",
    "stance": "double", "eyes": "open", "surface": "firm", "plates": 1,
    "end": {"condition": "duration", "duration_s": 30},
    "trials": 3, "rest_s": 30,
    "analysis": "quiet-stance",
    "measures": ["cop_mean_velocity", "cop_path_length"],
    "combine": "mean"
  })"), {{"id", id}});
}

const DefinitionError* error_for(const DefinitionSet& set, const std::string& file_name) {
  for (const DefinitionError& e : set.errors)
    if (e.file.filename() == file_name) return &e;
  return nullptr;
}

const std::set<std::string> expected_built_in = {
    "quiet-stance-eyes-open",
    "quiet-stance-eyes-closed",
    "single-leg-stance-eyes-open",
    "single-leg-stance-eyes-closed",
    "single-leg-stance-provocation-30s",
    "single-leg-hop-and-stick",
    "single-leg-drop-landing",
    "single-leg-step-down",
    "countermovement-jump",
    "single-leg-countermovement-jump",
    "drop-jump",
    "repeated-hops",
    "weight-bearing-symmetry",
};

}  // namespace

TEST(BuiltInDefinitions, CompiledInFolder_IsTheSourceFolder_AndTheEnvironmentOverridesIt) {
  ASSERT_EQ(std::getenv("FP_DEFINITIONS_DIR"), nullptr) << "unset FP_DEFINITIONS_DIR to run this test";
  EXPECT_EQ(fs::weakly_canonical(built_in_definitions_dir()), fs::weakly_canonical(source_definitions));
  EXPECT_EQ(built_in_mdc_table().filename(), "mdc.json");
  ::setenv("FP_DEFINITIONS_DIR", "/somewhere/else", 1);
  EXPECT_EQ(built_in_definitions_dir(), fs::path("/somewhere/else"));
  ::setenv("FP_DEFINITIONS_DIR", "", 1);  // empty: as if unset
  EXPECT_EQ(fs::weakly_canonical(built_in_definitions_dir()), fs::weakly_canonical(source_definitions));
  ::unsetenv("FP_DEFINITIONS_DIR");
}

TEST(BuiltInDefinitions, EveryFileLoadsAndValidates_WithoutErrors) {
  const DefinitionSet set = load_definitions({built_in_definitions_dir()});
  for (const DefinitionError& e : set.errors) ADD_FAILURE() << e.message();
  EXPECT_TRUE(set.notes.empty());
  std::set<std::string> ids;
  for (const TestDefinition& d : set.definitions) ids.insert(d.id);
  EXPECT_EQ(ids, expected_built_in);
  // One file per test, named after its id; every .json except mdc.json is a definition.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(built_in_definitions_dir()))
    if (entry.path().extension() == ".json" && entry.path().filename() != "mdc.json") ++files;
  EXPECT_EQ(files, expected_built_in.size());
  const MeasureCatalog catalog = MeasureCatalog::built_in();
  for (const TestDefinition& d : set.definitions) {
    SCOPED_TRACE(d.id);
    EXPECT_EQ(d.file.filename(), d.id + ".json");
    EXPECT_FALSE(d.name.empty());
    EXPECT_FALSE(d.instructions.empty());
    EXPECT_GE(d.trials, 1);
    EXPECT_FALSE(d.measures.empty());
    for (const MeasureSpec& m : d.measures)
      EXPECT_NE(catalog.find(m.name), nullptr) << m.name << " is not in the catalogue";
    // Every built-in test states where it comes from, except those that are plain clinic practice.
    if (d.id != "single-leg-step-down" && d.id != "weight-bearing-symmetry") {
      EXPECT_FALSE(d.references.empty());
    }
  }
}

TEST(BuiltInDefinitions, TheTestsTheIssueAsksFor_HaveTheirProtocols) {
  const DefinitionSet set = load_definitions({built_in_definitions_dir()});
  ASSERT_TRUE(set.errors.empty());
  for (const char* eyes : {"open", "closed"}) {
    const TestDefinition* q = set.find(std::string("quiet-stance-eyes-") + eyes);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->stance, Stance::double_leg);
    EXPECT_STREQ(to_string(q->eyes), eyes);
    EXPECT_EQ(q->end.condition, EndCondition::duration);
    EXPECT_EQ(q->end.duration_s, 30);
    EXPECT_EQ(q->analysis, AnalysisKind::quiet_stance);

    const TestDefinition* s = set.find(std::string("single-leg-stance-eyes-") + eyes);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->stance, Stance::both_sides_alternating);
    EXPECT_EQ(s->end.duration_s, 30);
    EXPECT_EQ(s->trials, 3);
    ASSERT_TRUE(s->window.has_value());  // the middle 20 s of 30 s: 5 s to 25 s
    EXPECT_EQ(s->window->start_s, 5);
    EXPECT_EQ(s->window->end_s, 25);
  }
  const TestDefinition* p = set.find("single-leg-stance-provocation-30s");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->end.duration_s, 30);
  ASSERT_TRUE(p->pain_rating.has_value());
  EXPECT_EQ(p->pain_rating->positive_at, 2);
  ASSERT_EQ(p->pass.size(), 1u);
  EXPECT_EQ(p->pass[0].kind, ThresholdKind::pain);
  EXPECT_TRUE(satisfies(1.5, p->pass[0].op, p->pass[0].value));   // 1.5/10: negative test, passes
  EXPECT_FALSE(satisfies(2.0, p->pass[0].op, p->pass[0].value));  // 2/10: positive
  EXPECT_NE(p->references.at(0).find("Grimaldi"), std::string::npos);

  for (const char* id : {"single-leg-hop-and-stick", "single-leg-drop-landing"}) {
    const TestDefinition* l = set.find(id);
    ASSERT_NE(l, nullptr) << id;
    EXPECT_EQ(l->stance, Stance::both_sides_alternating);
    EXPECT_EQ(l->end.condition, EndCondition::landing_settled);
    EXPECT_EQ(l->end.hold_s, 5);
    EXPECT_EQ(l->analysis, AnalysisKind::landing);
    EXPECT_TRUE(l->validity.require_landing);
  }
  const TestDefinition* cmj = set.find("countermovement-jump");
  ASSERT_NE(cmj, nullptr);
  EXPECT_EQ(cmj->combine, Combine::best);
  EXPECT_EQ(cmj->combine_for("jump_height_impulse"), Combine::best);
  EXPECT_EQ(cmj->combine_for("contraction_time"), Combine::mean);  // no "better": never "best"
  const TestDefinition* sl_cmj = set.find("single-leg-countermovement-jump");
  ASSERT_NE(sl_cmj, nullptr);
  ASSERT_EQ(sl_cmj->pass.size(), 1u);
  EXPECT_EQ(sl_cmj->pass[0].kind, ThresholdKind::lsi);
  EXPECT_EQ(sl_cmj->pass[0].value, 90);
  EXPECT_EQ(set.find("drop-jump")->analysis, AnalysisKind::drop_jump);
  EXPECT_EQ(set.find("repeated-hops")->end.condition, EndCondition::hop_count);
  EXPECT_EQ(set.find("weight-bearing-symmetry")->plates, 2);
  EXPECT_EQ(set.find("single-leg-step-down")->analysis, AnalysisKind::landing);
}

TEST(LoadDefinitions, BrokenFiles_AreRefusedNamingFileFieldAndProblem_AndTheOthersStillLoad) {
  TempDir dir;
  dir.write("good.json", good_definition("good-one").dump());
  dir.write("unknown-analysis.json", with(good_definition("a"), {{"analysis", "juggling"}}).dump());
  nlohmann::json negative = good_definition("b");
  negative["end"]["duration_s"] = -30;
  dir.write("negative-duration.json", negative.dump());
  nlohmann::json missing = good_definition("c");
  missing.erase("trials");
  dir.write("missing-field.json", missing.dump());
  dir.write("wrong-type.json", with(good_definition("d"), {{"trials", "three"}}).dump());
  dir.write("malformed.json", R"({"id": "e", "name": "broken", )");
  dir.write("unknown-field.json", with(good_definition("f"), {{"repetitions", 3}}).dump());
  nlohmann::json typo = good_definition("g");
  typo["end"]["duraton_s"] = 30;
  dir.write("misspelt-nested-field.json", typo.dump());
  dir.write("unknown-measure.json",
            with(good_definition("h"), {{"measures", {"cop_mean_velocity", "cop_velocty"}}}).dump());
  dir.write("fractional-trials.json", with(good_definition("i"), {{"trials", 2.5}}).dump());
  dir.write("not-a-definition.txt", "ignored: not .json");

  const DefinitionSet set = load_definitions({dir.path()});
  ASSERT_EQ(set.definitions.size(), 1u);
  EXPECT_EQ(set.definitions[0].id, "good-one");
  EXPECT_EQ(set.errors.size(), 9u);

  struct Expected {
    const char* file;
    const char* field;
    const char* problem;  // a part of the problem text
  };
  const Expected expected[] = {
      {"unknown-analysis.json", "analysis", "unknown analysis \"juggling\""},
      {"negative-duration.json", "end.duration_s", "must be greater than 0 (got -30)"},
      {"missing-field.json", "trials", "missing"},
      {"wrong-type.json", "trials", "must be a whole number, not a string"},
      {"malformed.json", "", "not valid JSON"},
      {"unknown-field.json", "repetitions", "unknown field"},
      {"misspelt-nested-field.json", "end.duraton_s", "unknown field"},
      {"unknown-measure.json", "measures[1]", "unknown measure \"cop_velocty\""},
      {"fractional-trials.json", "trials", "not a fraction"},
  };
  for (const Expected& x : expected) {
    SCOPED_TRACE(x.file);
    const DefinitionError* e = error_for(set, x.file);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->field, x.field);
    EXPECT_NE(e->problem.find(x.problem), std::string::npos) << e->problem;
    // The one-line message names all three.
    const std::string msg = e->message();
    EXPECT_NE(msg.find((dir.path() / x.file).string()), std::string::npos) << msg;
    if (*x.field) {
      EXPECT_NE(msg.find(std::string("\"") + x.field + "\""), std::string::npos) << msg;
    }
    EXPECT_NE(msg.find(x.problem), std::string::npos) << msg;
  }
  // The list of known analyses comes with the unknown one.
  EXPECT_NE(error_for(set, "unknown-analysis.json")->problem.find("countermovement-jump"), std::string::npos);
}

TEST(LoadDefinitions, ClinicFileWithTheSameId_OverridesTheBuiltIn_AndSaysSo) {
  TempDir clinic;
  nlohmann::json mine = nlohmann::json::parse(std::ifstream(source_definitions / "countermovement-jump.json"));
  mine["trials"] = 5;
  mine["name"] = "CMJ, five jumps";
  clinic.write("our-cmj.json", mine.dump());
  clinic.write("clinic-only.json", good_definition("clinic-balance").dump());

  const DefinitionSet set = load_definitions({built_in_definitions_dir(), clinic.path()});
  EXPECT_TRUE(set.errors.empty());
  EXPECT_EQ(set.definitions.size(), expected_built_in.size() + 1);
  const TestDefinition* cmj = set.find("countermovement-jump");
  ASSERT_NE(cmj, nullptr);
  EXPECT_EQ(cmj->trials, 5);
  EXPECT_EQ(cmj->file, clinic.path() / "our-cmj.json");
  ASSERT_EQ(set.notes.size(), 1u);
  EXPECT_NE(set.notes[0].find("countermovement-jump"), std::string::npos);
  EXPECT_NE(set.notes[0].find("our-cmj.json"), std::string::npos);
  EXPECT_NE(set.notes[0].find("overrides"), std::string::npos);
  EXPECT_NE(set.notes[0].find((source_definitions / "countermovement-jump.json").filename().string()),
            std::string::npos);
  EXPECT_NE(set.find("clinic-balance"), nullptr);
}

TEST(LoadDefinitions, BrokenClinicOverride_KeepsTheBuiltIn) {
  TempDir clinic;
  nlohmann::json mine = nlohmann::json::parse(std::ifstream(source_definitions / "drop-jump.json"));
  mine["rest_s"] = -1;
  clinic.write("drop-jump.json", mine.dump());
  const DefinitionSet set = load_definitions({built_in_definitions_dir(), clinic.path()});
  ASSERT_EQ(set.errors.size(), 1u);
  EXPECT_EQ(set.errors[0].field, "rest_s");
  EXPECT_EQ(set.find("drop-jump")->rest_s, 60);  // the built-in one
}

TEST(LoadDefinitions, SameIdTwiceInOneFolder_RefusesTheSecondFile) {
  TempDir dir;
  dir.write("a.json", good_definition("twin").dump());
  dir.write("b.json", good_definition("twin").dump());
  const DefinitionSet set = load_definitions({dir.path()});
  ASSERT_EQ(set.definitions.size(), 1u);
  EXPECT_EQ(set.definitions[0].file.filename(), "a.json");
  ASSERT_EQ(set.errors.size(), 1u);
  EXPECT_EQ(set.errors[0].file.filename(), "b.json");
  EXPECT_EQ(set.errors[0].field, "id");
  EXPECT_NE(set.errors[0].problem.find("already defined by"), std::string::npos);
}

TEST(LoadDefinitions, MissingFolder_IsAnError_OthersStillLoad) {
  const DefinitionSet set = load_definitions({"/no/such/folder", built_in_definitions_dir()});
  ASSERT_EQ(set.errors.size(), 1u);
  EXPECT_EQ(set.errors[0].file, fs::path("/no/such/folder"));
  EXPECT_EQ(set.definitions.size(), expected_built_in.size());
}

TEST(ParseDefinition, RulesBetweenFields_AreChecked) {
  auto problem = [](const nlohmann::json& j) -> DefinitionError {
    try {
      parse_definition(j, "x.json");
    } catch (const DefinitionParseError& e) {
      return e.error();
    }
    return {"", "(none)", "accepted"};
  };
  // "best" of a measure without a direction of better.
  EXPECT_EQ(problem(with(good_definition(), {{"measures", {"cop_mean_frequency"}}, {"combine", "best"}})).field,
            "measures[0]");
  // ... fine once the measure is combined by its mean.
  EXPECT_EQ(problem(with(good_definition(), {{"measures", {{{"name", "cop_mean_frequency"}, {"combine", "mean"}}}},
                                              {"combine", "best"}}))
                .problem,
            "accepted");
  // A measure the catalogue does not know is accepted with its own direction and unit.
  EXPECT_EQ(problem(with(good_definition(), 
                        {{"measures", {{{"name", "knee_valgus"}, {"better", "lower"}, {"unit", "deg"}}}}}))
                .problem,
            "accepted");
  // A window longer than the recording.
  EXPECT_EQ(problem(with(good_definition(), {{"analysis_window", {{"middle_s", 40}}}})).field,
            "analysis_window.middle_s");
  // A limb symmetry threshold on a double-leg test.
  EXPECT_EQ(problem(with(good_definition(), 
                        {{"pass", {{{"kind", "lsi"}, {"measure", "cop_mean_velocity"}, {"op", ">="}, {"value", 90}}}}}))
                .field,
            "pass[0].kind");
  // A threshold on a measure the test does not report.
  EXPECT_EQ(problem(with(good_definition(), 
                        {{"pass", {{{"kind", "measure"}, {"measure", "failure_count"}, {"op", "<="}, {"value", 0}}}}}))
                .field,
            "pass[0].measure");
  // Weight bearing on one plate.
  EXPECT_EQ(problem(with(good_definition(), {{"analysis", "weight-bearing"}})).field, "plates");
  // A landing that never times out.
  EXPECT_EQ(problem(with(good_definition(), {{"end", {{"condition", "landing-settled"}, {"hold_s", 5}}}})).field,
            "end.timeout_s");
  // An unknown stance.
  const DefinitionError stance = problem(with(good_definition(), {{"stance", "one-leg"}}));
  EXPECT_EQ(stance.field, "stance");
  EXPECT_NE(stance.problem.find("both-sides-alternating"), std::string::npos);
}

TEST(MdcTable, BuiltInTable_LoadsAndEveryEntryHasACitation) {
  const MdcTable table = MdcTable::load(built_in_mdc_table());
  ASSERT_FALSE(table.entries().empty());
  const MeasureCatalog catalog = MeasureCatalog::built_in();
  for (const PublishedMdc& e : table.entries()) {
    SCOPED_TRACE(e.measure);
    EXPECT_FALSE(e.source.empty());
    ASSERT_NE(catalog.find(e.measure), nullptr);
    EXPECT_EQ(catalog.find(e.measure)->unit, e.unit);
  }
  // CMJ height (González-García et al. 2024, between-session MD95 3.5 cm) applies to the
  // double-leg CMJ only.
  const PublishedMdc* cmj = table.find("jump_height_impulse", "countermovement-jump", "countermovement-jump");
  ASSERT_NE(cmj, nullptr);
  EXPECT_DOUBLE_EQ(cmj->mdc95, 0.035);
  EXPECT_NE(cmj->source.find("2024"), std::string::npos);
  EXPECT_EQ(table.find("jump_height_impulse", "single-leg-countermovement-jump", "countermovement-jump"), nullptr);
}

TEST(MdcTable, EntryWithoutCitation_OrWithBadValue_IsRefusedNamingTheField) {
  auto message = [](const char* text) {
    try {
      MdcTable::from_json(nlohmann::json::parse(text), "clinic/mdc.json");
    } catch (const MdcTableError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message(R"({"entries": [{"measure": "rsi", "mdc95": 0.2, "unit": ""}]})"),
            "clinic/mdc.json: entries[0].source: missing");
  EXPECT_EQ(message(R"({"entries": [{"measure": "rsi", "mdc95": -1, "unit": "", "source": "X"}]})"),
            "clinic/mdc.json: entries[0].mdc95: must be a positive number");
  EXPECT_EQ(message(R"({"entries": [{"measure": "rsi", "mdc95": 0.2, "unit": "", "source": "X", "analysis": "jumps"}]})")
                .substr(0, 45),
            "clinic/mdc.json: entries[0].analysis: unknown");
  EXPECT_EQ(message(R"({"entries": [{"measure": "rsi", "mdc95": 0.2, "unit": "", "source": "X"}]})"), "accepted");
}

TEST(MdcTable, MostSpecificEntryWins_AndAClinicTableOverrides) {
  MdcTable t;
  t.add({"rsi", "", "", 0.3, "", "generic"});
  t.add({"rsi", "", "drop-jump", 0.2, "", "by analysis"});
  t.add({"rsi", "my-drop-jump", "", 0.1, "", "by test"});
  EXPECT_EQ(t.find("rsi", "my-drop-jump", "drop-jump")->source, "by test");
  EXPECT_EQ(t.find("rsi", "drop-jump", "drop-jump")->source, "by analysis");
  EXPECT_EQ(t.find("rsi", "repeated-hops", "hops")->source, "generic");
  EXPECT_EQ(t.find("contact_time", "drop-jump", "drop-jump"), nullptr);
  MdcTable clinic;
  clinic.add({"rsi", "", "", 0.25, "", "clinic's own"});
  t.merge(clinic);
  EXPECT_EQ(t.entries().size(), 3u);
  EXPECT_EQ(t.find("rsi", "repeated-hops", "hops")->source, "clinic's own");
}

TEST(MeasureCatalog, DirectionsOfBetter_AreTheClinicalOnes) {
  const MeasureCatalog c = MeasureCatalog::built_in();
  EXPECT_EQ(c.find("cop_mean_velocity")->better, Better::lower);
  EXPECT_EQ(c.find("cop_mean_velocity")->unit, "mm/s");
  EXPECT_EQ(c.find("cop_ellipse95_area")->unit, "mm^2");
  EXPECT_EQ(c.find("time_in_balance")->better, Better::higher);
  EXPECT_EQ(c.find("jump_height_flight")->better, Better::higher);
  EXPECT_EQ(c.find("jump_height_flight")->unit, "m");
  EXPECT_EQ(c.find("peak_landing_force_bw")->better, Better::lower);
  EXPECT_EQ(c.find("time_to_stabilisation")->better, Better::lower);
  EXPECT_EQ(c.find("contact_time")->better, Better::lower);
  EXPECT_EQ(c.find("rsi")->better, Better::higher);
  EXPECT_EQ(c.find("load_left_mean")->better, Better::closer_to_target);
  EXPECT_EQ(c.find("load_left_mean")->target, 50);
  EXPECT_EQ(c.find("body_weight")->better, Better::none);
  EXPECT_EQ(c.find("no_such_measure"), nullptr);
  EXPECT_EQ(better_from_string("closer-to-target"), Better::closer_to_target);
  EXPECT_EQ(better_from_string("bigger"), std::nullopt);
}
