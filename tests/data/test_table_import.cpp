// Import of text tables in the generic format (docs/import.md): files written here with known
// values in every separator and unit, and every error with a message naming the file, place and problem.
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "forceplate/data/table_import.hpp"
#include "forceplate/data/trial_file.hpp"
#include "scratch_dir.hpp"

namespace fp::data {
namespace {

using test::ScratchDir;

std::filesystem::path write_text(const ScratchDir& dir, const std::string& name, const std::string& text) {
  const std::filesystem::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

ImportOptions with_rate(double rate_hz) {
  ImportOptions options;
  options.rate_hz = rate_hz;
  return options;
}

ImportOptions with_layout(const std::string& layout) {
  ImportOptions options;
  options.layout = layout;
  return options;
}

// Runs the import, expects ImportError, and returns its message.
std::string import_error(const std::filesystem::path& path, const ImportOptions& options = {}) {
  try {
    import_table(path, options);
  } catch (const ImportError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected ImportError from " << path;
  return {};
}

void expect_mentions(const std::string& message, std::initializer_list<std::string> parts) {
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
  EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
}

bool has_note(const Trial& trial, const std::string& part) {
  for (const std::string& note : trial.import_notes) {
    if (note.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string notes_of(const Trial& trial) {
  std::string all;
  for (const std::string& note : trial.import_notes) all += "\n  " + note;
  return all;
}

// --- the generic format ---

TEST(TableImport, CommaSeparatedFileInSiUnits_IsImportedAsOnePlateWithForceAndCop) {
  ScratchDir dir;
  const auto path = write_text(dir, "quiet.csv",
                               "time[s],fz[N],copx[m],copy[m]\n"
                               "0.00,700.0,0.010,-0.020\n"
                               "0.01,701.5,0.011,-0.021\n"
                               "0.02,699.0,0.012,-0.019\n");
  ImportOptions options;
  options.test_name = "quiet-stance";

  const Trial trial = import_table(path, options);

  EXPECT_EQ(trial.test_name, "quiet-stance");
  EXPECT_EQ(trial.plate_count(), 1);
  EXPECT_EQ(trial.cells_per_plate, 0);
  EXPECT_TRUE(trial.counts.empty());
  EXPECT_TRUE(trial.cell_force_n.empty());
  EXPECT_TRUE(trial.plates[0].cell_x_m.empty());
  ASSERT_EQ(trial.sample_count(), 3u);
  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 100.0);
  EXPECT_EQ(trial.sequence, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_DOUBLE_EQ(trial.time_s[2], 0.02);
  EXPECT_EQ(trial.fz_n, (std::vector<double>{700.0, 701.5, 699.0}));
  EXPECT_DOUBLE_EQ(trial.cop_x_m[1], 0.011);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[2], -0.019);
  EXPECT_TRUE(trial.fx_n.empty());
  EXPECT_TRUE(trial.gaps.empty());
  EXPECT_TRUE(has_note(trial, "imported from 'quiet.csv'")) << notes_of(trial);
  EXPECT_TRUE(has_note(trial, "layout generic, detected")) << notes_of(trial);
}

TEST(TableImport, EachSeparator_CommaSemicolonTabAndSpaces_GivesTheSameTrial) {
  ScratchDir dir;
  const std::vector<std::pair<std::string, std::string>> separators{
      {"comma", ","}, {"semicolon", ";"}, {"tab", "\t"}, {"whitespace", "   "}};
  for (const auto& [name, separator] : separators) {
    SCOPED_TRACE(name);
    const std::string s = separator;
    const auto path = write_text(dir, name + ".txt",
                                 "time[s]" + s + "fz[N]" + s + "copx[mm]" + s + "copy[mm]\n" + "0" + s + "650" + s +
                                     "12.5" + s + "-4\n" + "0.002" + s + "651" + s + "12.0" + s + "-4.5\n");

    const Trial trial = import_table(path, {});

    ASSERT_EQ(trial.sample_count(), 2u);
    EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 500.0);
    EXPECT_EQ(trial.fz_n, (std::vector<double>{650.0, 651.0}));
    EXPECT_DOUBLE_EQ(trial.cop_x_m[0], 0.0125);
    EXPECT_DOUBLE_EQ(trial.cop_y_m[1], -0.0045);
    EXPECT_TRUE(has_note(trial, name + " separated")) << notes_of(trial);
  }
}

TEST(TableImport, TimeInMillisecondsForceInKilonewtonsCopInCentimetres_AreConvertedToSi) {
  ScratchDir dir;
  const auto path = write_text(dir, "units.csv",
                               "time[ms],fz[kN],copx[cm],copy[mm],fx[kN],fy[N]\n"
                               "0,0.7,1.5,-20,0.010,-3\n"
                               "4,0.72,1.25,-21,0.012,-2.5\n");

  const Trial trial = import_table(path, {});

  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 250.0);
  EXPECT_DOUBLE_EQ(trial.time_s[1], 0.004);
  EXPECT_DOUBLE_EQ(trial.fz_n[0], 700.0);
  EXPECT_DOUBLE_EQ(trial.fz_n[1], 720.0);
  EXPECT_DOUBLE_EQ(trial.cop_x_m[0], 0.015);
  EXPECT_DOUBLE_EQ(trial.cop_x_m[1], 0.0125);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[0], -0.020);
  ASSERT_EQ(trial.fx_n.size(), 2u);
  EXPECT_DOUBLE_EQ(trial.fx_n[1], 12.0);
  EXPECT_DOUBLE_EQ(trial.fy_n[0], -3.0);
}

TEST(TableImport, MomentUnits_EverySpellingOfNewtonMetreAndNewtonMillimetre_GiveTheSameCop) {
  ScratchDir dir;
  // 500 N at x = +0.1 m, y = -0.05 m: mx = y * fz = -25 N.m, my = -x * fz = -50 N.m.
  const std::vector<std::pair<std::string, double>> units{
      {"N.m", 1.0}, {"N\u00B7m", 1.0}, {"Nm", 1.0}, {"N.mm", 1000.0}};
  for (const auto& [unit, scale] : units) {
    SCOPED_TRACE(unit);
    const std::string mx = std::to_string(-25.0 * scale);
    const std::string my = std::to_string(-50.0 * scale);
    const auto path = write_text(dir, "moments.csv",
                                 "time[s],fz[N],mx[" + unit + "],my[" + unit + "]\n" + "0,500," + mx + "," + my + "\n" +
                                     "0.01,500," + mx + "," + my + "\n");

    const Trial trial = import_table(path, {});

    EXPECT_NEAR(trial.cop_x_m[0], 0.1, 1e-12);
    EXPECT_NEAR(trial.cop_y_m[1], -0.05, 1e-12);
  }
}

TEST(TableImport, ForceAndMomentsWithoutCop_GiveCopXMinusMyOverFzAndCopYMxOverFz_NaNBelow20N) {
  ScratchDir dir;
  // Row 1: a load to the right (x > 0) and forward (y > 0) of the centre. Row 2: left and back.
  // Row 3: 19.9 N, too little for a COP. Row 4: exactly 20 N, enough.
  const auto path = write_text(dir, "moments.csv",
                               "time[s],fz[N],mx[N.m],my[N.m]\n"
                               "0.000,800,16,-40\n"
                               "0.001,400,-12,8\n"
                               "0.002,19.9,0.2,-0.2\n"
                               "0.003,20,0.2,-0.2\n");

  const Trial trial = import_table(path, {});

  EXPECT_DOUBLE_EQ(trial.cop_x_m[0], 0.05);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[0], 0.02);
  EXPECT_DOUBLE_EQ(trial.cop_x_m[1], -0.02);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[1], -0.03);
  EXPECT_TRUE(std::isnan(trial.cop_x_m[2]));
  EXPECT_TRUE(std::isnan(trial.cop_y_m[2]));
  EXPECT_DOUBLE_EQ(trial.cop_x_m[3], 0.01);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[3], 0.01);
  EXPECT_DOUBLE_EQ(trial.fz_n[2], 19.9);  // the force itself is kept
  EXPECT_TRUE(has_note(trial, "copx = -my/fz, copy = mx/fz")) << notes_of(trial);
  EXPECT_TRUE(has_note(trial, "NaN in 1 samples with fz below 20 N")) << notes_of(trial);
}

TEST(TableImport, CopColumnsGivenInTheFile_AreNaNWhereTheForceIsBelow20N) {
  ScratchDir dir;
  const auto path = write_text(dir, "cop.csv",
                               "time[s],fz[N],copx[mm],copy[mm]\n"
                               "0,0,0,0\n"
                               "0.01,5,3,4\n"
                               "0.02,300,3,4\n");

  const Trial trial = import_table(path, {});

  EXPECT_TRUE(std::isnan(trial.cop_x_m[0]));
  EXPECT_TRUE(std::isnan(trial.cop_y_m[1]));
  EXPECT_DOUBLE_EQ(trial.cop_x_m[2], 0.003);
}

TEST(TableImport, NamesAreCaseInsensitive_ParenthesesWorkLikeBrackets_AndCopXIsAnAliasOfCopx) {
  ScratchDir dir;
  const auto path = write_text(dir, "names.csv",
                               "TIME (s), Fz [N], COP_X[mm], Cop_Y (mm)\n"
                               "0, 600, 1, 2\n"
                               "0.01, 610, 3, 4\n");

  const Trial trial = import_table(path, {});

  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 100.0);
  EXPECT_EQ(trial.fz_n, (std::vector<double>{600.0, 610.0}));
  EXPECT_DOUBLE_EQ(trial.cop_x_m[1], 0.003);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[1], 0.004);
}

TEST(TableImport, PerLimbColumns_GiveTwoPlates_WithLeftAsPlateZeroAndRightAsPlateOne) {
  ScratchDir dir;
  const auto path = write_text(dir, "limbs.csv",
                               "time[s],fz_right[N],fz_left[N],copx_left[mm],copy_left[mm],"
                               "copx_right[mm],copy_right[mm]\n"
                               "0,310,390,-100,5,110,6\n"
                               "0.001,320,380,-101,7,111,8\n");

  const Trial trial = import_table(path, {});

  ASSERT_EQ(trial.plate_count(), 2);
  ASSERT_EQ(trial.fz_n.size(), 4u);
  EXPECT_EQ(trial.fz_n, (std::vector<double>{390.0, 310.0, 380.0, 320.0}));  // row-major (sample, plate)
  EXPECT_DOUBLE_EQ(trial.cop_x_m[0], -0.100);
  EXPECT_DOUBLE_EQ(trial.cop_x_m[1], 0.110);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[2], 0.007);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[3], 0.008);
}

TEST(TableImport, PerLimbForceWithoutCop_HasNaNCopOnBothPlates) {
  ScratchDir dir;
  const auto path = write_text(dir, "limbs.csv", "fz_left[N]\tfz_right[N]\n300\t350\n301\t349\n302\t348\n");

  const Trial trial = import_table(path, with_rate(1000));

  ASSERT_EQ(trial.plate_count(), 2);
  EXPECT_DOUBLE_EQ(trial.fz_n[5], 348.0);
  for (double x : trial.cop_x_m) EXPECT_TRUE(std::isnan(x));
  EXPECT_TRUE(has_note(trial, "no COP for plate 1: NaN")) << notes_of(trial);
}

TEST(TableImport, HorizontalForces_AreStoredPerPlateWhenEveryPlateHasThem_AndNotedOtherwise) {
  ScratchDir dir;
  const auto both = write_text(dir, "both.csv",
                               "time[s],fz_left[N],fz_right[N],fx_left[N],fx_right[N],fy_left[N],fy_right[N]\n"
                               "0,300,350,1,2,3,4\n"
                               "0.01,300,350,5,6,7,8\n");
  const auto one = write_text(dir, "one.csv",
                              "time[s],fz_left[N],fz_right[N],fx_left[N]\n"
                              "0,300,350,1\n"
                              "0.01,300,350,5\n");

  const Trial trial = import_table(both, {});
  const Trial partial = import_table(one, {});

  EXPECT_EQ(trial.fx_n, (std::vector<double>{1, 2, 5, 6}));
  EXPECT_EQ(trial.fy_n, (std::vector<double>{3, 4, 7, 8}));
  EXPECT_TRUE(partial.fx_n.empty());
  EXPECT_TRUE(has_note(partial, "fx is given for one plate only: not stored")) << notes_of(partial);
}

TEST(TableImport, ColumnWithAnUnknownName_IsIgnoredWithANoteNamingIt) {
  ScratchDir dir;
  const auto path = write_text(dir, "extra.csv",
                               "time[s],temperature[degC],fz[N],marker\n"
                               "0,21.5,600,a\n"
                               "0.01,21.5,600,b\n");

  const Trial trial = import_table(path, {});

  EXPECT_EQ(trial.fz_n, (std::vector<double>{600.0, 600.0}));
  EXPECT_TRUE(has_note(trial, "column 2 'temperature[degC]' is not a known quantity: ignored")) << notes_of(trial);
  EXPECT_TRUE(has_note(trial, "column 4 'marker' is not a known quantity: ignored")) << notes_of(trial);
}

TEST(TableImport, TimeColumnStartingLateWithJitter_IsStoredFromZero_AtTheRateOfTheMedianStep) {
  ScratchDir dir;
  const auto path = write_text(dir, "late.csv",
                               "time[s],fz[N]\n"
                               "12.000,600\n"
                               "12.011,600\n"
                               "12.020,600\n"
                               "12.029,600\n"
                               "12.040,600\n");

  const Trial trial = import_table(path, {});

  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 100.0);  // steps 11, 9, 9, 11 ms: median 10 ms
  EXPECT_DOUBLE_EQ(trial.time_s[0], 0.0);
  EXPECT_NEAR(trial.time_s[4], 0.040, 1e-12);
  EXPECT_EQ(trial.sequence, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(trial.gaps.empty());
  EXPECT_TRUE(has_note(trial, "starts at 12 s")) << notes_of(trial);
}

TEST(TableImport, HoleInTheTimeColumn_BecomesAGapOfTheMissingSamples) {
  ScratchDir dir;
  const auto path = write_text(dir, "hole.csv",
                               "time[s],fz[N]\n"
                               "0.00,600\n0.01,600\n0.02,600\n0.06,600\n0.07,600\n");

  const Trial trial = import_table(path, {});

  EXPECT_EQ(trial.sequence, (std::vector<std::uint64_t>{0, 1, 2, 6, 7}));
  ASSERT_EQ(trial.gaps.size(), 1u);
  EXPECT_EQ(trial.gaps[0].first_missing_sequence, 3u);
  EXPECT_EQ(trial.gaps[0].count, 3u);
  EXPECT_NE(trial.gaps[0].reason.find("line 5"), std::string::npos) << trial.gaps[0].reason;
}

TEST(TableImport, RateGivenWithATimeColumn_IsAcceptedWithinOnePercent) {
  ScratchDir dir;
  const auto path = write_text(dir, "rate.csv", "time[s],fz[N]\n0,600\n0.001,600\n0.002,600\n");

  const Trial trial = import_table(path, with_rate(1009));

  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 1000.0);  // the time column is what the samples are
  EXPECT_TRUE(has_note(trial, "agrees with the rate given")) << notes_of(trial);
}

TEST(TableImport, NoTimeColumn_TimesComeFromTheGivenRate) {
  ScratchDir dir;
  const auto path = write_text(dir, "notime.csv", "fz[N];copx[mm];copy[mm]\n600;1;2\n601;1;2\n602;1;2\n603;1;2\n");

  const Trial trial = import_table(path, with_rate(200));

  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 200.0);
  EXPECT_DOUBLE_EQ(trial.time_s[3], 0.015);
  EXPECT_EQ(trial.sequence, (std::vector<std::uint64_t>{0, 1, 2, 3}));
}

TEST(TableImport, CommentsBlankLinesCrlfAByteOrderMarkAndATrailingSeparator_AreTolerated) {
  ScratchDir dir;
  const auto path = write_text(dir, "excel.csv",
                               "\xEF\xBB\xBF# exported by a spreadsheet\r\n"
                               "\r\n"
                               "time[s],fz[N],\r\n"
                               "0,600,\r\n"
                               "# a remark in the middle\r\n"
                               "\r\n"
                               "0.01,610,\r\n");

  const Trial trial = import_table(path, {});

  EXPECT_EQ(trial.fz_n, (std::vector<double>{600.0, 610.0}));
}

TEST(TableImport, DecimalCommasWithASemicolonSeparator_AreRead) {
  ScratchDir dir;
  const auto path =
      write_text(dir, "european.csv", "time[s];fz[N];copx[cm];copy[cm]\n0;650,5;1,25;-0,5\n0,01;651;1,5;-0,75\n");

  const Trial trial = import_table(path, {});

  EXPECT_DOUBLE_EQ(trial.fz_n[0], 650.5);
  EXPECT_DOUBLE_EQ(trial.cop_x_m[0], 0.0125);
  EXPECT_DOUBLE_EQ(trial.cop_y_m[1], -0.0075);
  EXPECT_DOUBLE_EQ(trial.sample_rate_hz, 100.0);
}

TEST(TableImport, EmptyOrNaNCopCells_AreNaN) {
  ScratchDir dir;
  const auto path =
      write_text(dir, "holes.csv", "time[s],fz[N],copx[mm],copy[mm]\n0,600,,\n0.01,600,NaN,nan\n0.02,600,1,2\n");

  const Trial trial = import_table(path, {});

  EXPECT_TRUE(std::isnan(trial.cop_x_m[0]));
  EXPECT_TRUE(std::isnan(trial.cop_y_m[1]));
  EXPECT_DOUBLE_EQ(trial.cop_y_m[2], 0.002);
}

TEST(TableImport, CopWithoutForce_HasNaNForce_AndForceWithoutCop_HasNaNCop) {
  ScratchDir dir;
  const auto cop_only = write_text(dir, "cop.csv", "time[s] copx[mm] copy[mm]\n0 1 2\n0.01 3 4\n");
  const auto force_only = write_text(dir, "force.csv", "time[s] fz[N]\n0 700\n0.01 700\n");

  const Trial cop = import_table(cop_only, {});
  const Trial force = import_table(force_only, {});

  EXPECT_TRUE(std::isnan(cop.fz_n[0]));
  EXPECT_DOUBLE_EQ(cop.cop_x_m[1], 0.003);  // no force to judge the COP by: kept as given
  EXPECT_TRUE(has_note(cop, "no vertical force for the plate: fz is NaN")) << notes_of(cop);
  EXPECT_DOUBLE_EQ(force.fz_n[1], 700.0);
  EXPECT_TRUE(std::isnan(force.cop_x_m[0]));
  EXPECT_TRUE(std::isnan(force.cop_y_m[1]));
}

TEST(TableImport, MostlyNegativeVerticalForce_IsNotedAsASignConventionToCheck) {
  ScratchDir dir;
  const auto path = write_text(dir, "negative.csv", "time[s],fz[N]\n0,-600\n0.01,-601\n0.02,-602\n");

  const Trial trial = import_table(path, {});

  EXPECT_DOUBLE_EQ(trial.fz_n[0], -600.0);  // not silently flipped
  EXPECT_TRUE(has_note(trial, "is negative")) << notes_of(trial);
}

TEST(TableImport, ImportedTrial_WrittenToHdf5AndReadBack_KeepsEveryValueAndNote) {
  ScratchDir dir;
  const auto path = write_text(dir, "limbs.csv",
                               "time[s],fz_left[N],fz_right[N],mx_left[N.m],my_left[N.m],"
                               "mx_right[N.m],my_right[N.m],fx_left[N],fx_right[N],fy_left[N],fy_right[N]\n"
                               "0,300,10,3,-6,0,0,1,2,3,4\n"
                               "0.01,310,350,3.1,-6.2,-7,3.5,1,2,3,4\n"
                               "0.02,320,360,3.2,-6.4,-7.2,3.6,1,2,3,4\n");
  ImportOptions options;
  options.test_name = "two-leg-stance";
  const Trial imported = import_table(path, options);
  ASSERT_TRUE(std::isnan(imported.cop_x_m[1])) << "the right plate's 10 N must give a NaN COP";

  write_trial(dir / "imported.h5", imported);
  const Trial back = read_trial(dir / "imported.h5");

  EXPECT_EQ(back.cells_per_plate, 0);
  EXPECT_EQ(back.plate_count(), 2);
  EXPECT_EQ(back.test_name, "two-leg-stance");
  EXPECT_EQ(back.sequence, imported.sequence);
  EXPECT_EQ(back.time_s, imported.time_s);
  EXPECT_EQ(back.fz_n, imported.fz_n);
  EXPECT_EQ(back.fx_n, imported.fx_n);
  EXPECT_EQ(back.fy_n, imported.fy_n);
  ASSERT_EQ(back.cop_x_m.size(), imported.cop_x_m.size());
  for (std::size_t i = 0; i < back.cop_x_m.size(); ++i) {
    EXPECT_EQ(std::isnan(back.cop_x_m[i]), std::isnan(imported.cop_x_m[i])) << i;
    if (!std::isnan(back.cop_x_m[i])) {
      EXPECT_EQ(back.cop_x_m[i], imported.cop_x_m[i]) << i;
    }
  }
  EXPECT_DOUBLE_EQ(back.cop_x_m[2], 0.02);   // second sample, left: -my/fz = 6.2/310
  EXPECT_DOUBLE_EQ(back.cop_y_m[3], -0.02);  // second sample, right: mx/fz = -7/350
  EXPECT_EQ(back.import_notes, imported.import_notes);
  EXPECT_TRUE(back.counts.empty());
  EXPECT_TRUE(back.plates[1].gain_n_per_count.empty());
}

TEST(TableImport, LayoutsOffered_AreTheDocumentedOnes) {
  EXPECT_EQ(import_layouts(), (std::vector<std::string>{"generic", "hbedb", "amti-optitrack", "kistler-raw", "bmc-grf",
                                                        "fz-column", "vj-dual"}));
}

// --- errors: one line naming the file, the place and the problem ---

TEST(TableImportErrors, MissingFile_IsNamedWithNoSuchFile) {
  ScratchDir dir;
  expect_mentions(import_error(dir / "absent.csv"), {"cannot import '", "absent.csv'", "no such file"});
}

TEST(TableImportErrors, Directory_IsNotAFile) {
  ScratchDir dir;
  expect_mentions(import_error(dir.path()), {"is a directory"});
}

TEST(TableImportErrors, EmptyFile_HasNoHeader) {
  ScratchDir dir;
  expect_mentions(import_error(write_text(dir, "empty.csv", "")), {"empty.csv", "no header", "empty"});
  expect_mentions(import_error(write_text(dir, "comments.csv", "# nothing\n\n")), {"no header"});
}

TEST(TableImportErrors, FirstLineOfSeveralNumbers_IsNoHeaderRow) {
  ScratchDir dir;
  const auto path = write_text(dir, "numbers.csv", "0,600,1,2\n0.01,600,1,2\n");
  expect_mentions(import_error(path), {"numbers.csv", "line 1: no header row", "time[s],fz[N]"});
}

TEST(TableImportErrors, UnknownUnit_IsNamedWithItsColumn) {
  ScratchDir dir;
  const auto path = write_text(dir, "lbf.csv", "time[s],fz[lbf]\n0,150\n0.01,150\n");
  expect_mentions(import_error(path), {"lbf.csv", "line 1, column 2", "unknown unit 'lbf'", "N or kN"});
}

TEST(TableImportErrors, UnitOfTheWrongKind_IsAnUnknownUnitForThatQuantity) {
  ScratchDir dir;
  const auto path = write_text(dir, "kind.csv", "time[s];copx[N];copy[mm]\n0;1;2\n0.01;1;2\n");
  expect_mentions(import_error(path), {"line 1, column 2", "unknown unit 'N'", "copx takes m, cm or mm"});
}

TEST(TableImportErrors, UnitsAreCaseSensitive_SoNmLowerCaseIsUnknown) {
  ScratchDir dir;
  const auto path = write_text(dir, "nm.csv", "time[s],fz[N],mx[nm],my[N.m]\n0,1,2,3\n0.01,1,2,3\n");
  expect_mentions(import_error(path), {"line 1, column 3", "unknown unit 'nm'"});
}

TEST(TableImportErrors, KnownNameWithoutUnit_AsksForTheUnitInBrackets) {
  ScratchDir dir;
  const auto path = write_text(dir, "nounit.csv", "time[s],fz\n0,600\n0.01,600\n");
  expect_mentions(import_error(path), {"line 1, column 2", "'fz' has no unit", "fz[N]"});
}

TEST(TableImportErrors, RowWithAnotherColumnCount_IsInconsistentAtItsLine) {
  ScratchDir dir;
  const auto path =
      write_text(dir, "ragged.csv", "time[s],fz[N],copx[mm],copy[mm]\n0,600,1,2\n0.01,600,1,2\n0.02,600,1\n");
  expect_mentions(import_error(path),
                  {"ragged.csv", "line 4: inconsistent column count: 3 fields, expected 4 as in the header on line 1"});
}

TEST(TableImportErrors, NonNumericValue_IsNamedWithLineAndColumn) {
  ScratchDir dir;
  const auto path = write_text(dir, "text.csv", "time[s],fz[N]\n0,600\n0.01,six hundred\n");
  expect_mentions(import_error(path), {"text.csv", "line 3, column 2", "non-numeric value 'six hundred'", "fz[N]"});
}

TEST(TableImportErrors, NaNForce_IsRefusedBecauseOnlyCopMayBeMissing) {
  ScratchDir dir;
  const auto path = write_text(dir, "nan.csv", "time[s],fz[N]\n0,600\n0.01,nan\n");
  expect_mentions(import_error(path), {"line 3, column 2", "NaN in 'fz[N]'"});
}

TEST(TableImportErrors, NoRateAndNoTimeColumn_AsksForTheRate) {
  ScratchDir dir;
  const auto path = write_text(dir, "notime.csv", "fz[N]\n600\n600\n");
  expect_mentions(import_error(path), {"notime.csv", "no rate and no time column", "must be given"});
}

TEST(TableImportErrors, NegativeRate_IsNotAPositiveNumber) {
  ScratchDir dir;
  const auto path = write_text(dir, "rate.csv", "fz[N]\n600\n600\n");
  expect_mentions(import_error(path, with_rate(-100)), {"-100 Hz", "not a positive number"});
}

TEST(TableImportErrors, RateGivenThatDisagreesWithTheTimeColumnByMoreThanOnePercent_IsRefused) {
  ScratchDir dir;
  const auto path = write_text(dir, "rate.csv", "time[s],fz[N]\n0,600\n0.001,600\n0.002,600\n");
  expect_mentions(import_error(path, with_rate(1011)),
                  {"the rate given, 1011 Hz, disagrees with the time column 'time[s]'", "1000 Hz", "1 %"});
}

TEST(TableImportErrors, TimeThatDoesNotIncrease_IsNamedWithItsLine) {
  ScratchDir dir;
  const auto repeated = write_text(dir, "repeat.csv", "time[s],fz[N]\n0,600\n0.01,600\n0.01,600\n");
  const auto backwards = write_text(dir, "back.csv", "fz[N],time[s]\n600,0\n600,0.01\n600,0.005\n");
  expect_mentions(import_error(repeated), {"line 4, column 1: time not increasing: 0.01 s follows 0.01 s on line 3"});
  expect_mentions(import_error(backwards), {"line 4, column 2: time not increasing"});
}

TEST(TableImportErrors, FewerThanTwoRows_AreTooFew) {
  ScratchDir dir;
  expect_mentions(import_error(write_text(dir, "one.csv", "time[s],fz[N]\n0,600\n")),
                  {"line 1: too few rows: 1 data row, at least 2"});
  expect_mentions(import_error(write_text(dir, "none.csv", "time[s],fz[N]\n")), {"too few rows: 0 data rows"});
}

TEST(TableImportErrors, HeaderWithoutForceOrCop_IsRefused) {
  ScratchDir dir;
  const auto path = write_text(dir, "time.csv", "time[s],temperature[C]\n0,20\n0.01,20\n");
  expect_mentions(import_error(path), {"time.csv", "line 1: no force or COP columns"});
}

TEST(TableImportErrors, PlateWithoutForceOrCop_IsRefused) {
  ScratchDir dir;
  const auto path = write_text(dir, "right.csv", "time[s],fz_right[N]\n0,20\n0.01,20\n");
  expect_mentions(import_error(path), {"line 1: no force or COP columns for plate 0"});
}

TEST(TableImportErrors, CopxWithoutCopy_IsRefused) {
  ScratchDir dir;
  const auto path = write_text(dir, "half.csv", "time[s],fz[N],copx[mm]\n0,600,1\n0.01,600,1\n");
  expect_mentions(import_error(path), {"line 1: copx without copy"});
}

TEST(TableImportErrors, RepeatedColumn_IsRefused) {
  ScratchDir dir;
  const auto path = write_text(dir, "twice.csv", "time[s],fz[N],FZ[kN]\n0,600,0.6\n0.01,600,0.6\n");
  expect_mentions(import_error(path), {"line 1, column 3", "'FZ[kN]' repeats column 2 'fz[N]'"});
}

TEST(TableImportErrors, WholePlateColumnMixedWithPerLimbColumns_IsRefused) {
  ScratchDir dir;
  const auto path =
      write_text(dir, "mixed.csv", "time[s],fz[N],fz_left[N],fz_right[N]\n0,600,300,300\n0.01,600,300,300\n");
  expect_mentions(import_error(path), {"line 1, column 2", "'fz[N]' has no side", "fz_left or fz_right"});
}

TEST(TableImportErrors, UnknownLayout_ListsTheKnownOnes) {
  ScratchDir dir;
  const auto path = write_text(dir, "x.csv", "time[s],fz[N]\n0,1\n0.01,1\n");
  expect_mentions(import_error(path, with_layout("c3d")), {"unknown layout 'c3d'", "hbedb", "vj-dual"});
}

TEST(TableImportErrors, LayoutChosenThatDoesNotMatchTheFile_NamesTheExpectedHeader) {
  ScratchDir dir;
  const auto path = write_text(dir, "x.csv", "time[s],fz[N]\n0,1\n0.01,1\n");
  expect_mentions(import_error(path, with_layout("hbedb")),
                  {"line 1: not a hbedb file: expected the header 'f_time;copX;copY', found 'time[s],fz[N]'"});
  expect_mentions(import_error(path, with_layout("amti-optitrack")), {"no header line starting with MocapFrame"});
  expect_mentions(import_error(path, with_layout("fz-column")), {"line 1: not an fz-column file"});
}

}  // namespace
}  // namespace fp::data
