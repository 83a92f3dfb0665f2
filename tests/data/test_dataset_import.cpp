// Import of the real recordings in ../shared/datasets (FP_DATASETS_DIR), checked against facts
// that do not come from the importer: the datasets README (rates, reference COP ranges), the
// physics of standing and jumping, and consistency between files and columns of the same source.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forceplate/data/table_import.hpp"
#include "forceplate/data/trial_file.hpp"
#include "scratch_dir.hpp"

namespace fp::data {
namespace {

using test::ScratchDir;

const std::filesystem::path kDatasets = FP_DATASETS_DIR;

Trial import_dataset(const std::string& relative, double rate_hz = 0) {
  ImportOptions options;
  options.rate_hz = rate_hz;
  return import_table(kDatasets / relative, options);
}

std::string import_error(const std::string& relative, double rate_hz = 0) {
  try {
    import_dataset(relative, rate_hz);
  } catch (const ImportError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected ImportError for " << relative;
  return {};
}

// Values of one plate's column of a row-major (sample, plate) array.
std::vector<double> plate_column(const std::vector<double>& values, int plates, int plate) {
  std::vector<double> out;
  for (std::size_t i = static_cast<std::size_t>(plate); i < values.size(); i += static_cast<std::size_t>(plates)) {
    out.push_back(values[i]);
  }
  return out;
}

double range(const std::vector<double>& v) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi - *lo;
}

double rms_about_mean(const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double sum = 0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return std::sqrt(sum / static_cast<double>(v.size()));
}

double median_above(std::vector<double> v, double threshold) {
  v.erase(std::remove_if(v.begin(), v.end(), [&](double x) { return !(x > threshold); }), v.end());
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Longest run of samples below `threshold` with load before and after it (a flight): not the time
// before stepping on, nor after stepping off.
double longest_flight_s(const std::vector<double>& fz, double rate_hz, double threshold = 20.0) {
  std::size_t i = 0;
  while (i < fz.size() && fz[i] < threshold) ++i;
  std::size_t longest = 0;
  std::size_t run = 0;
  for (; i < fz.size(); ++i) {
    if (fz[i] < threshold) {
      ++run;
    } else {
      longest = std::max(longest, run);
      run = 0;
    }
  }
  return static_cast<double>(longest) / rate_hz;
}

bool has_note(const Trial& trial, const std::string& part) {
  return std::any_of(trial.import_notes.begin(), trial.import_notes.end(),
                     [&](const std::string& note) { return note.find(part) != std::string::npos; });
}

// The numbers of one text file, read here without the importer: rows of fields split on `separator`.
std::vector<std::vector<double>> raw_rows(const std::filesystem::path& path, char separator, std::size_t skip_lines) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::vector<double>> rows;
  for (std::size_t n = 0; std::getline(in, line); ++n) {
    if (n < skip_lines || line.find_first_of("0123456789") == std::string::npos) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, separator)) row.push_back(std::stod(field));
    rows.push_back(row);
  }
  return rows;
}

// --- balance ---

TEST(DatasetImport, HbedbBds00001_Has6000SamplesAt100Hz_AndTheReadmeReferenceRangesAndRms) {
  const Trial trial = import_dataset("balance/hbedb-BDS00001-cop.csv");

  ASSERT_EQ(trial.sample_count(), 6000u);
  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 100.0);
  EXPECT_EQ(trial.plate_count(), 1);
  EXPECT_EQ(trial.cells_per_plate, 0);
  EXPECT_NEAR(trial.time_s.back(), 59.99, 1e-9);
  EXPECT_TRUE(trial.gaps.empty());
  // Reference values (datasets README, Quijoux et al. 2021 code on the raw signal), within 1 %.
  const std::vector<double> x_mm = [&] {
    std::vector<double> v;
    for (double x : trial.cop_x_m) v.push_back(x * 1000);
    return v;
  }();
  const std::vector<double> y_mm = [&] {
    std::vector<double> v;
    for (double y : trial.cop_y_m) v.push_back(y * 1000);
    return v;
  }();
  EXPECT_NEAR(range(x_mm), 16.760, 0.01 * 16.760);
  EXPECT_NEAR(range(y_mm), 8.3670, 0.01 * 8.3670);
  EXPECT_NEAR(rms_about_mean(x_mm), 2.9631, 0.01 * 2.9631);
  EXPECT_NEAR(rms_about_mean(y_mm), 1.6922, 0.01 * 1.6922);
  EXPECT_NEAR(trial.cop_x_m[0], -0.07988789, 1e-12);  // first row, copX = -7.988789 cm
  for (double f : trial.fz_n) ASSERT_TRUE(std::isnan(f)) << "hbedb has no force";
  EXPECT_TRUE(has_note(trial, "layout hbedb, detected"));
}

TEST(DatasetImport, HbedbBds00002And00003_Have60SecondsOfFiniteCopWithinACentimetreScaleSway) {
  for (const std::string name : {"balance/hbedb-BDS00002-cop.csv", "balance/hbedb-BDS00003-cop.csv"}) {
    SCOPED_TRACE(name);
    const Trial trial = import_dataset(name);

    ASSERT_EQ(trial.sample_count(), 6000u);
    EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 100.0);
    for (std::size_t i = 0; i < trial.sample_count(); ++i) {
      ASSERT_TRUE(std::isfinite(trial.cop_x_m[i]) && std::isfinite(trial.cop_y_m[i])) << i;
      ASSERT_LT(std::abs(trial.cop_x_m[i]), 0.3) << i;  // within a plate, in metres
      ASSERT_LT(std::abs(trial.cop_y_m[i]), 0.3) << i;
    }
    // Quiet stance sways millimetres to a few centimetres, not metres or micrometres.
    EXPECT_GT(range(trial.cop_x_m), 0.001);
    EXPECT_LT(range(trial.cop_x_m), 0.05);
  }
}

TEST(DatasetImport, AmtiOptitrackExport_Is100HzWithPositiveLoadedForceAndCopInMetresInsideThePlate) {
  const Trial trial = import_dataset("balance/amti-optitrack-export-6ch.csv");

  ASSERT_EQ(trial.sample_count(), 15605u);
  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 100.0);
  EXPECT_NEAR(trial.time_s.back(), 156.04, 1e-9);
  EXPECT_EQ(trial.plate_count(), 1);
  EXPECT_EQ(trial.start_time_utc, "2021-01-05T09:47:06Z");  // "05 Jan 2021 10:47:06 +0100"
  const double half_width = trial.plates[0].width_m / 2;
  EXPECT_NEAR(trial.plates[0].width_m, 19.75 * 0.0254, 1e-12);
  const double body_weight = median_above(trial.fz_n, 100.0);
  EXPECT_GT(body_weight, 400.0);  // one adult standing
  EXPECT_LT(body_weight, 1200.0);
  std::size_t with_cop = 0;
  for (std::size_t i = 0; i < trial.sample_count(); ++i) {
    if (std::isnan(trial.cop_x_m[i])) continue;
    ++with_cop;
    ASSERT_GT(trial.fz_n[i], 20.0) << i;
    ASSERT_LT(std::abs(trial.cop_x_m[i]), half_width) << i;
    ASSERT_LT(std::abs(trial.cop_y_m[i]), half_width) << i;
  }
  EXPECT_EQ(with_cop, 15605u - 7u);  // 2 empty frames at the start, 5 at the end
  // Horizontal forces are in the export: small against the weight in quiet stance.
  ASSERT_EQ(trial.fx_n.size(), trial.sample_count());
  ASSERT_EQ(trial.fy_n.size(), trial.sample_count());
  EXPECT_LT(*std::max_element(trial.fx_n.begin(), trial.fx_n.end()), 0.1 * body_weight);
  EXPECT_DOUBLE_EQ(trial.fx_n[0], 1.622131);
  EXPECT_DOUBLE_EQ(trial.fy_n[0], -8.233887);
}

TEST(DatasetImport, AmtiOptitrackExport_TrailingZeroFramesAreKeptAsAnUnloadedPlateWithNaNCop) {
  const Trial trial = import_dataset("balance/amti-optitrack-export-6ch.csv");
  const std::size_t n = trial.sample_count();

  for (std::size_t i = n - 5; i < n; ++i) {
    EXPECT_EQ(trial.fz_n[i], 0.0) << i;
    EXPECT_TRUE(std::isnan(trial.cop_x_m[i])) << i;
    EXPECT_TRUE(std::isnan(trial.cop_y_m[i])) << i;
  }
  EXPECT_GT(trial.fz_n[n - 6], 400.0);
  EXPECT_TRUE(has_note(trial, "the last 5 rows (from line 15636) are all zeros"));
  EXPECT_TRUE(has_note(trial, "2 rows before the end are all zeros (the first on line 37)"));
}

TEST(DatasetImport, AmtiOptitrackExport_ItsCopAgreesWithTheGenericCopFromMoments_ConfirmingTheSignConvention) {
  // The export's own Cx, Cy against copx = -my/fz, copy = mx/fz computed by the generic import of
  // its Fz, Mx, My columns (read here without the importer and written as a generic file).
  ScratchDir dir;
  const auto rows = raw_rows(kDatasets / "balance/amti-optitrack-export-6ch.csv", ',', 35);
  ASSERT_EQ(rows.size(), 15605u);
  {
    std::ofstream out(dir / "moments.csv");
    out.precision(17);
    out << "time[s],fz[N],mx[N.m],my[N.m]\n";
    for (const auto& r : rows) out << r.at(1) << ',' << r.at(5) << ',' << r.at(6) << ',' << r.at(7) << '\n';
  }
  const Trial exported = import_dataset("balance/amti-optitrack-export-6ch.csv");
  const Trial from_moments = import_table(dir / "moments.csv", {});

  ASSERT_EQ(from_moments.sample_count(), exported.sample_count());
  std::size_t compared = 0;
  for (std::size_t i = 0; i < exported.sample_count(); ++i) {
    ASSERT_EQ(std::isnan(from_moments.cop_x_m[i]), std::isnan(exported.cop_x_m[i])) << i;
    if (std::isnan(exported.cop_x_m[i])) continue;
    ASSERT_NEAR(from_moments.cop_x_m[i], exported.cop_x_m[i], 1e-6) << i;  // the export rounds to 1 µm
    ASSERT_NEAR(from_moments.cop_y_m[i], exported.cop_y_m[i], 1e-6) << i;
    ++compared;
  }
  EXPECT_EQ(compared, 15598u);
}

TEST(DatasetImport, AmtiOptitrackExport_WrittenToHdf5AndReadBack_IsTheSameTrial) {
  ScratchDir dir;
  const Trial imported = import_dataset("balance/amti-optitrack-export-6ch.csv");

  write_trial(dir / "amti.h5", imported);
  const Trial back = read_trial(dir / "amti.h5");

  EXPECT_EQ(back.sample_count(), imported.sample_count());
  EXPECT_EQ(back.sample_rate_hz, imported.sample_rate_hz);
  EXPECT_EQ(back.start_time_utc, imported.start_time_utc);
  EXPECT_EQ(back.plates[0].width_m, imported.plates[0].width_m);
  EXPECT_EQ(back.time_s, imported.time_s);
  EXPECT_EQ(back.fz_n, imported.fz_n);
  EXPECT_EQ(back.fx_n, imported.fx_n);
  EXPECT_EQ(back.fy_n, imported.fy_n);
  EXPECT_EQ(back.import_notes, imported.import_notes);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < back.cop_x_m.size(); ++i) {
    const bool same =
        std::isnan(imported.cop_x_m[i]) ? std::isnan(back.cop_x_m[i]) : back.cop_x_m[i] == imported.cop_x_m[i];
    differ += same ? 0 : 1;
  }
  EXPECT_EQ(differ, 0u);
}

TEST(DatasetImport, KistlerRawVolts_AreRefusedNamingTheCalibrationTheFileLacks) {
  const std::string message = import_error("balance/kistler-8ch-raw-100hz.tsv", 100);

  for (const std::string part : {"kistler-8ch-raw-100hz.tsv", "line 1", "volts", "are not forces", "pC/N",
                                 "charge-amplifier range", "a, b and az0", "generic format"}) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
  ImportOptions chosen;
  chosen.layout = "kistler-raw";
  EXPECT_THROW(import_table(kDatasets / "balance/kistler-8ch-raw-100hz.tsv", chosen), ImportError);
}

// --- jumps ---

TEST(DatasetImport, BmcCountermovementJumps_Are450HzFromTheTimeColumn_WithStandingForceNearBodyWeight) {
  for (const std::string name : {"jumps/bmc-cmj-450hz-1.tsv", "jumps/bmc-cmj-450hz-2.tsv"}) {
    SCOPED_TRACE(name);
    const Trial trial = import_dataset(name);

    ASSERT_EQ(trial.sample_count(), 4500u);
    EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 450.0);
    EXPECT_NEAR(trial.time_s.back(), 4499.0 / 450.0, 1e-9);
    EXPECT_TRUE(trial.gaps.empty());
    EXPECT_EQ(trial.fz_n.front(), 0.0);  // before stepping onto the plate
    const double body_weight = median_above(trial.fz_n, 200.0);
    EXPECT_GT(body_weight, 400.0);
    EXPECT_LT(body_weight, 1200.0);
    // A jump: a flight of a few tenths of a second and a landing peak well above body weight.
    const double flight = longest_flight_s(trial.fz_n, trial.sample_rate_hz);
    EXPECT_GT(flight, 0.3);
    EXPECT_LT(flight, 0.8);
    EXPECT_GT(*std::max_element(trial.fz_n.begin(), trial.fz_n.end()), 2.0 * body_weight);
    for (double x : trial.cop_x_m) ASSERT_TRUE(std::isnan(x)) << "force only: no COP";
  }
}

TEST(DatasetImport, BmcCountermovementJumps_WithTheRightRateGiven_AreAccepted_AndWithAWrongOneRefused) {
  EXPECT_EQ(import_dataset("jumps/bmc-cmj-450hz-1.tsv", 450).sample_count(), 4500u);
  const std::string message = import_error("jumps/bmc-cmj-450hz-1.tsv", 1000);
  EXPECT_NE(message.find("disagrees with the time column"), std::string::npos) << message;
}

TEST(DatasetImport, BmcFzColumnAt600Hz_NeedsTheRate_AndThenHas2SecondsWithOneJump) {
  const std::string message = import_error("jumps/bmc-cmj-600hz-fz.txt");
  EXPECT_NE(message.find("no rate and no time column"), std::string::npos) << message;

  const Trial trial = import_dataset("jumps/bmc-cmj-600hz-fz.txt", 600);

  ASSERT_EQ(trial.sample_count(), 1200u);
  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 600.0);
  EXPECT_NEAR(trial.time_s.back(), 1199.0 / 600.0, 1e-12);
  EXPECT_DOUBLE_EQ(trial.fz_n.front(), 633.21);
  EXPECT_DOUBLE_EQ(trial.fz_n.back(), 639.50);
  const double flight = longest_flight_s(trial.fz_n, trial.sample_rate_hz);
  EXPECT_GT(flight, 0.3);
  EXPECT_LT(flight, 0.8);
  EXPECT_TRUE(has_note(trial, "layout fz-column, detected"));
}

TEST(DatasetImport, VjSingleJumps_At1000HzGiven_HaveOnePlateFiveSecondsAndAFlight) {
  for (const std::string kind : {"cmj", "sj", "dj"}) {
    SCOPED_TRACE(kind);
    const Trial trial = import_dataset("jumps/vj-single-" + kind + "-1000hz.txt", 1000);

    ASSERT_EQ(trial.sample_count(), 5000u);
    EXPECT_EQ(trial.plate_count(), 1);
    EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 1000.0);
    const double body_weight = median_above(trial.fz_n, 200.0);
    EXPECT_GT(body_weight, 400.0);
    EXPECT_LT(body_weight, 1200.0);
    const double flight = longest_flight_s(trial.fz_n, trial.sample_rate_hz);
    EXPECT_GT(flight, 0.3);
    EXPECT_LT(flight, 0.8);
  }
}

TEST(DatasetImport, VjDualJumps_At1000HzGiven_HaveTwoPlatesWithFp1AsPlateZero) {
  for (const std::string kind : {"cmj", "sj", "dj"}) {
    SCOPED_TRACE(kind);
    const std::string name = "jumps/vj-dual-" + kind + "-1000hz.txt";
    const Trial trial = import_dataset(name, 1000);
    const auto raw = raw_rows(kDatasets / name, '\t', 1);

    ASSERT_EQ(trial.sample_count(), 5000u);
    ASSERT_EQ(raw.size(), 5000u);
    EXPECT_EQ(trial.plate_count(), 2);
    EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 1000.0);
    for (std::size_t i = 0; i < raw.size(); i += 997) {
      EXPECT_DOUBLE_EQ(trial.fz_n[2 * i], raw[i].at(0)) << "FP1 is plate 0, sample " << i;
      EXPECT_DOUBLE_EQ(trial.fz_n[2 * i + 1], raw[i].at(1)) << "FP2 is plate 1, sample " << i;
    }
    // One foot on each plate: both carry a good part of the weight while standing.
    const double left = median_above(plate_column(trial.fz_n, 2, 0), 50.0);
    const double right = median_above(plate_column(trial.fz_n, 2, 1), 50.0);
    EXPECT_GT(left, 200.0);
    EXPECT_GT(right, 200.0);
    EXPECT_LT(left + right, 1200.0);
  }
}

TEST(DatasetImport, VjSingleFiles_AreTheSampleBySampleSumOfTheDualFilesTwoPlates) {
  // A fact of the source: the one-plate files are FP1 + FP2 of the same jumps. Checks plate order,
  // row alignment and that no row is lost or added in either layout.
  for (const std::string kind : {"cmj", "sj", "dj"}) {
    SCOPED_TRACE(kind);
    const Trial single = import_dataset("jumps/vj-single-" + kind + "-1000hz.txt", 1000);
    const Trial dual = import_dataset("jumps/vj-dual-" + kind + "-1000hz.txt", 1000);

    ASSERT_EQ(single.sample_count(), dual.sample_count());
    for (std::size_t i = 0; i < single.sample_count(); ++i) {
      ASSERT_NEAR(dual.fz_n[2 * i] + dual.fz_n[2 * i + 1], single.fz_n[i], 1e-9) << i;
    }
  }
}

// --- all of them ---

TEST(DatasetImport, EveryFileInTheDatasetsFolder_IsImportedAndStorable_OrRefusedWithAReason) {
  // Rates from the datasets README for the files that do not carry one.
  const std::map<std::string, double> rates{{"bmc-cmj-600hz-fz.txt", 600.0}};
  ScratchDir dir;
  std::size_t imported = 0;
  std::size_t refused = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kDatasets)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    double rate = 0;
    if (const auto it = rates.find(name); it != rates.end()) rate = it->second;
    if (name.starts_with("vj-")) rate = 1000.0;
    ImportOptions options;
    options.rate_hz = rate;
    try {
      const Trial trial = import_table(entry.path(), options);
      EXPECT_GE(trial.sample_count(), 1000u);
      EXPECT_GT(trial.sample_rate_hz, 0.0);
      EXPECT_FALSE(trial.import_notes.empty());
      write_trial(dir / "trial.h5", trial);
      EXPECT_EQ(read_trial(dir / "trial.h5").sample_count(), trial.sample_count());
      ++imported;
    } catch (const ImportError& e) {
      EXPECT_NE(std::string(e.what()).find("Kistler"), std::string::npos) << "unexpected refusal: " << e.what();
      ++refused;
    }
  }
  EXPECT_EQ(imported, 13u);
  EXPECT_EQ(refused, 1u);
}

}  // namespace
}  // namespace fp::data
