#include "forceplate/data/table_import.hpp"
#include "forceplate/data/trial_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "table_layout.hpp"
#include "table_text.hpp"

namespace fp::data {

namespace {

using table::Column;
using table::fail_at;
using table::fail_at_line;
using table::ImportProblem;
using table::Quantity;
using table::TableLayout;
using table::TextLine;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kRateTolerance = 0.01;  // a given or stated rate must agree with the time column this well

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

std::string plate_name(int plate, int plate_count) {
  if (plate_count == 1) return "the plate";
  return plate == 0 ? "plate 0" : "plate 1";
}

bool is_cop(Quantity quantity) {
  return quantity == Quantity::CopX || quantity == Quantity::CopY;
}

// The imported columns' values in SI, one vector per layout column, and each row's line number.
struct Rows {
  std::vector<std::vector<double>> values;
  std::vector<std::size_t> line;
};

Rows read_rows(const std::vector<TextLine>& lines, const TableLayout& layout) {
  Rows rows;
  rows.values.resize(layout.columns.size());
  const std::string expected =
      std::to_string(layout.field_count) + (layout.header_line > 0
                                                ? " as in the header on line " + std::to_string(layout.header_line)
                                                : std::string(" as on the first line"));
  for (std::size_t i = layout.first_row; i < lines.size(); ++i) {
    const TextLine& line = lines[i];
    const std::string_view text = table::trim(line.text);
    if (text.empty() || (layout.skip_comments && text.front() == '#')) continue;
    auto fields = table::split_fields(line.text, layout.separator);
    // A trailing separator, as in the header of a spreadsheet export ("0,600,").
    if (fields.size() == layout.field_count + 1 && fields.back().empty()) fields.pop_back();
    if (fields.size() != layout.field_count) {
      fail_at_line(line.number,
                   "inconsistent column count: " + std::to_string(fields.size()) + " fields, expected " + expected);
    }
    for (std::size_t c = 0; c < layout.columns.size(); ++c) {
      const Column& column = layout.columns[c];
      const std::string_view field = fields[column.field];
      if (field.empty() && is_cop(column.quantity)) {
        rows.values[c].push_back(kNaN);  // no COP in this row, as some exports write it
        continue;
      }
      const std::optional<double> value = table::parse_number(field, layout.separator);
      if (!value) {
        fail_at(line.number, column.field + 1,
                "non-numeric value " + table::in_quotes(field) + " in " + table::in_quotes(column.label));
      }
      if (std::isnan(*value) && !is_cop(column.quantity)) {
        fail_at(line.number, column.field + 1,
                "NaN in " + table::in_quotes(column.label) + " (only COP columns may be empty or NaN)");
      }
      rows.values[c].push_back(*value * column.to_si);
    }
    rows.line.push_back(line.number);
  }
  return rows;
}

const std::vector<double>* values_of(const TableLayout& layout, const Rows& rows, Quantity quantity, int plate) {
  for (std::size_t c = 0; c < layout.columns.size(); ++c) {
    if (layout.columns[c].quantity == quantity && layout.columns[c].plate == plate) return &rows.values[c];
  }
  return nullptr;
}

const Column* column_of(const TableLayout& layout, Quantity quantity, int plate) {
  for (const Column& column : layout.columns) {
    if (column.quantity == quantity && column.plate == plate) return &column;
  }
  return nullptr;
}

bool disagree(double a, double b) {
  return std::abs(a - b) > kRateTolerance * b;
}

// A rate derived from a median step is 1/step in floating point: 99.99999999 Hz for a 0.01 s step.
double snap_to_whole_hz(double rate) {
  const double whole = std::round(rate);
  return std::abs(rate - whole) <= 1e-6 * rate ? whole : rate;
}

void fill_timing(const TableLayout& layout, const Rows& rows, const ImportOptions& options, Trial& trial,
                 std::vector<std::string>& notes) {
  const std::size_t n = rows.line.size();
  const Column* time_column = column_of(layout, Quantity::Time, 0);
  const std::vector<double>* time = values_of(layout, rows, Quantity::Time, 0);
  const std::string file_rate = number_text(layout.file_rate_hz) + " Hz (" + layout.file_rate_source + ")";

  if (time == nullptr) {
    if (options.rate_hz > 0 && layout.file_rate_hz > 0 && disagree(options.rate_hz, layout.file_rate_hz)) {
      throw ImportProblem("the rate given, " + number_text(options.rate_hz) + " Hz, disagrees with the file's " +
                          file_rate);
    }
    const double rate = options.rate_hz > 0 ? options.rate_hz : layout.file_rate_hz;
    if (rate <= 0) {
      throw ImportProblem(
          "no rate and no time column: the file has no time column and does not state its rate, "
          "so the sample rate must be given");
    }
    trial.sample_rate_hz = rate;
    for (std::size_t i = 0; i < n; ++i) {
      trial.sequence.push_back(i);
      trial.time_s.push_back(static_cast<double>(i) / rate);
    }
    notes.push_back("no time column: sample times from the rate, " + number_text(rate) + " Hz, " +
                    (options.rate_hz > 0 ? "as given" : "as stated in the file"));
    return;
  }

  const std::vector<double>& t = *time;
  std::vector<double> steps;
  for (std::size_t i = 1; i < n; ++i) {
    if (!(t[i] > t[i - 1])) {
      fail_at(rows.line[i], time_column->field + 1,
              "time not increasing: " + number_text(t[i]) + " s follows " + number_text(t[i - 1]) + " s on line " +
                  std::to_string(rows.line[i - 1]));
    }
    steps.push_back(t[i] - t[i - 1]);
  }
  // The median step: robust to a few holes and to timestamp jitter.
  const auto half = static_cast<std::ptrdiff_t>(steps.size() / 2);
  std::nth_element(steps.begin(), steps.begin() + half, steps.end());
  double step = steps[static_cast<std::size_t>(half)];
  if (steps.size() % 2 == 0) step = 0.5 * (step + *std::max_element(steps.begin(), steps.begin() + half));
  const double rate = snap_to_whole_hz(1.0 / step);
  const std::string derived = number_text(rate) + " Hz (median step " + number_text(step) + " s)";
  if (options.rate_hz > 0 && disagree(options.rate_hz, rate)) {
    throw ImportProblem("the rate given, " + number_text(options.rate_hz) + " Hz, disagrees with the time column " +
                        table::in_quotes(time_column->label) + ", which steps at " + derived +
                        "; they must agree within 1 %");
  }
  if (layout.file_rate_hz > 0 && disagree(layout.file_rate_hz, rate)) {
    throw ImportProblem("the file states " + file_rate + " but its time column steps at " + derived);
  }
  trial.sample_rate_hz = rate;
  notes.push_back("sample rate " + derived + " from the time column " + table::in_quotes(time_column->label) +
                  (options.rate_hz > 0 ? "; agrees with the rate given" : "") +
                  (layout.file_rate_hz > 0 ? "; agrees with the file's " + file_rate : ""));
  if (t[0] != 0) {
    notes.push_back("the time column starts at " + number_text(t[0]) + " s; times are stored from the first sample");
  }

  // Sequence numbers from the times, so a hole in the time column becomes a gap as in a recording.
  std::uint64_t previous = 0;
  std::size_t missing = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double elapsed = t[i] - t[0];
    trial.time_s.push_back(elapsed);
    auto sequence = static_cast<std::uint64_t>(std::llround(elapsed * rate));
    if (i > 0 && sequence <= previous) sequence = previous + 1;
    if (i > 0 && sequence > previous + 1) {
      trial.gaps.push_back({previous + 1, sequence - previous - 1,
                            "time step of " + number_text(t[i] - t[i - 1]) + " s in the source file (line " +
                                std::to_string(rows.line[i]) + ")"});
      missing += sequence - previous - 1;
    }
    trial.sequence.push_back(sequence);
    previous = sequence;
  }
  if (!trial.gaps.empty()) {
    notes.push_back(std::to_string(trial.gaps.size()) + " holes in the time column, " + std::to_string(missing) +
                    " samples missing: recorded as gaps");
  }
}

enum class CopSource { File, Moments, None };

void fill_plates(const TableLayout& layout, const Rows& rows, Trial& trial, std::vector<std::string>& notes) {
  const std::size_t n = rows.line.size();
  const int plates = layout.plate_count;
  const auto header_problem = [&](const std::string& problem) {
    if (layout.header_line > 0) fail_at_line(layout.header_line, problem);
    throw ImportProblem(problem);
  };

  struct PlateColumns {
    const std::vector<double>* fz;
    const std::vector<double>* copx;
    const std::vector<double>* copy;
    const std::vector<double>* mx;
    const std::vector<double>* my;
    CopSource cop;
  };
  std::vector<PlateColumns> columns;
  for (int k = 0; k < plates; ++k) {
    PlateColumns p{values_of(layout, rows, Quantity::Fz, k),   values_of(layout, rows, Quantity::CopX, k),
                   values_of(layout, rows, Quantity::CopY, k), values_of(layout, rows, Quantity::Mx, k),
                   values_of(layout, rows, Quantity::My, k),   CopSource::None};
    const std::string name = plate_name(k, plates);
    if ((p.copx == nullptr) != (p.copy == nullptr)) {
      header_problem(std::string(p.copx ? "copx" : "copy") + " without " + (p.copx ? "copy" : "copx") + " for " + name +
                     ": the COP needs both");
    }
    if (p.fz == nullptr && p.copx == nullptr) {
      header_problem("no force or COP columns for " + name + " (fz, or copx and copy, are needed)");
    }
    if (p.copx != nullptr) {
      p.cop = CopSource::File;
    } else if (p.fz != nullptr && p.mx != nullptr && p.my != nullptr) {
      p.cop = CopSource::Moments;
      notes.push_back("COP of " + name +
                      " computed from the moments about the centre of the plate surface: "
                      "copx = -my/fz, copy = mx/fz");
    } else {
      if (p.mx != nullptr || p.my != nullptr) {
        notes.push_back("COP of " + name + " not computed: that needs fz, mx and my");
      }
      notes.push_back("no COP for " + name + ": NaN");
    }
    if (p.fz == nullptr) notes.push_back("no vertical force for " + name + ": fz is NaN");
    columns.push_back(p);
  }

  std::vector<std::size_t> low_force(static_cast<std::size_t>(plates), 0);
  std::vector<std::size_t> negative(static_cast<std::size_t>(plates), 0);
  std::vector<std::size_t> positive(static_cast<std::size_t>(plates), 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < plates; ++k) {
      const PlateColumns& p = columns[static_cast<std::size_t>(k)];
      const auto kk = static_cast<std::size_t>(k);
      const double fz = p.fz ? (*p.fz)[i] : kNaN;
      double x = kNaN;
      double y = kNaN;
      if (p.cop == CopSource::File) {
        x = (*p.copx)[i];
        y = (*p.copy)[i];
      } else if (p.cop == CopSource::Moments) {
        x = -(*p.my)[i] / fz;
        y = (*p.mx)[i] / fz;
      }
      // Where the force is known, the COP needs enough of it (a NaN fz counts as too little).
      if (p.fz != nullptr && !(fz >= kImportCopMinForceN)) {
        if (p.cop != CopSource::None) ++low_force[kk];
        x = kNaN;
        y = kNaN;
      }
      if (fz >= kImportCopMinForceN) ++positive[kk];
      if (fz <= -kImportCopMinForceN) ++negative[kk];
      trial.fz_n.push_back(fz);
      trial.cop_x_m.push_back(x);
      trial.cop_y_m.push_back(y);
    }
  }
  for (int k = 0; k < plates; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    if (low_force[kk] > 0) {
      notes.push_back("COP of " + plate_name(k, plates) + " set to NaN in " + std::to_string(low_force[kk]) +
                      " samples with fz below " + number_text(kImportCopMinForceN) + " N");
    }
    if (negative[kk] > positive[kk]) {
      notes.push_back("most of the vertical force of " + plate_name(k, plates) +
                      " is negative: this program takes the load on the plate as positive fz; check the sign "
                      "convention of the export");
    }
  }

  // Horizontal forces: stored when every plate has them (the trial keeps them per plate or not at all).
  for (const auto& [quantity, target] : {std::pair{Quantity::Fx, &trial.fx_n}, std::pair{Quantity::Fy, &trial.fy_n}}) {
    int present = 0;
    for (int k = 0; k < plates; ++k) present += values_of(layout, rows, quantity, k) != nullptr ? 1 : 0;
    if (present == plates) {
      for (std::size_t i = 0; i < n; ++i) {
        for (int k = 0; k < plates; ++k) target->push_back((*values_of(layout, rows, quantity, k))[i]);
      }
    } else if (present > 0) {
      notes.push_back(std::string(table::quantity_name(quantity)) + " is given for one plate only: not stored");
    }
  }
  for (int k = 0; k < plates; ++k) {
    if (values_of(layout, rows, Quantity::Mz, k) != nullptr) {
      notes.push_back("mz of " + plate_name(k, plates) + " read but not stored (a trial has no moment series)");
    }
  }
}

// OptiTrack writes frames it has no plate data for as rows of zeros; say where they are.
void note_all_zero_rows(const TableLayout& layout, const Rows& rows, std::vector<std::string>& notes) {
  const std::size_t n = rows.line.size();
  std::vector<bool> zero(n, true);
  for (std::size_t c = 0; c < layout.columns.size(); ++c) {
    if (layout.columns[c].quantity == Quantity::Time) continue;
    for (std::size_t i = 0; i < n; ++i) zero[i] = zero[i] && rows.values[c][i] == 0.0;
  }
  std::size_t trailing = 0;
  while (trailing < n && zero[n - 1 - trailing]) ++trailing;
  const std::size_t inside =
      static_cast<std::size_t>(std::count(zero.begin(), zero.end() - static_cast<std::ptrdiff_t>(trailing), true));
  if (trailing > 0) {
    notes.push_back("the last " + std::to_string(trailing) + " rows (from line " +
                    std::to_string(rows.line[n - trailing]) +
                    ") are all zeros: the plate was unloaded; kept, with COP NaN");
  }
  if (inside > 0) {
    const auto first = static_cast<std::size_t>(std::find(zero.begin(), zero.end(), true) - zero.begin());
    notes.push_back(std::to_string(inside) + " rows before the end are all zeros (the first on line " +
                    std::to_string(rows.line[first]) +
                    "), most likely frames the exporter received no plate data for; kept as zero force, with COP "
                    "NaN");
  }
}

Trial import_contents(const std::filesystem::path& path, const ImportOptions& options) {
  if (!(options.rate_hz >= 0) || std::isinf(options.rate_hz)) {
    throw ImportProblem("the rate given, " + number_text(options.rate_hz) + " Hz, is not a positive number");
  }
  const std::vector<TextLine> lines = table::read_lines(path);
  TableLayout layout = table::interpret_header(lines, options.layout);
  const Rows rows = read_rows(lines, layout);
  if (rows.line.size() < 2) {
    const std::string problem = "too few rows: " + std::to_string(rows.line.size()) + " data row" +
                                (rows.line.size() == 1 ? "" : "s") + ", at least 2 are needed";
    if (layout.header_line > 0) fail_at_line(layout.header_line, problem + " after this header");
    throw ImportProblem(problem);
  }

  Trial trial;
  trial.test_name = options.test_name;
  trial.start_time_utc = layout.start_time_utc;
  trial.cells_per_plate = 0;
  for (int k = 0; k < layout.plate_count; ++k) {
    PlateInfo plate;
    plate.width_m = layout.plate_width_m;
    plate.length_m = layout.plate_length_m;
    trial.plates.push_back(plate);
  }
  std::vector<std::string> notes{"imported from '" + path.filename().string() + "'"};
  notes.insert(notes.end(), layout.notes.begin(), layout.notes.end());
  fill_timing(layout, rows, options, trial, notes);
  fill_plates(layout, rows, trial, notes);
  if (layout.note_all_zero_rows) note_all_zero_rows(layout, rows, notes);
  trial.import_notes = std::move(notes);
  return trial;
}

}  // namespace

const std::vector<std::string>& import_layouts() {
  return table::layout_names();
}

Trial import_table(const std::filesystem::path& path, const ImportOptions& options) {
  try {
    return import_contents(path, options);
  } catch (const ImportProblem& problem) {
    throw ImportError("cannot import '" + path.string() + "': " + problem.what());
  }
}

Trial load_recording(const std::filesystem::path& path, const ImportOptions& options) {
  const std::string ext = path.extension().string();
  if (ext == ".h5" || ext == ".hdf5" || ext == ".H5") return read_trial(path);
  return import_table(path, options);
}

}  // namespace fp::data
