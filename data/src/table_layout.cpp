#include "table_layout.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <optional>
#include <sstream>
#include <string_view>

namespace fp::data::table {

namespace {

// --- quantities and units ---

enum class Kind { Time, Force, Moment, Length };

Kind kind_of(Quantity quantity) {
  switch (quantity) {
    case Quantity::Time: return Kind::Time;
    case Quantity::Fx:
    case Quantity::Fy:
    case Quantity::Fz: return Kind::Force;
    case Quantity::Mx:
    case Quantity::My:
    case Quantity::Mz: return Kind::Moment;
    case Quantity::CopX:
    case Quantity::CopY: return Kind::Length;
  }
  return Kind::Force;
}

struct Unit {
  std::string_view symbol;
  double to_si;
};

// Case-sensitive, as SI symbols are ("mN" is not "MN"; "nm" would be nanometres, not newton metres).
std::optional<double> unit_factor(Kind kind, std::string_view symbol) {
  static constexpr std::array<Unit, 2> kTime{{{"s", 1.0}, {"ms", 1e-3}}};
  static constexpr std::array<Unit, 2> kForce{{{"N", 1.0}, {"kN", 1e3}}};
  static constexpr std::array<Unit, 3> kLength{{{"m", 1.0}, {"cm", 1e-2}, {"mm", 1e-3}}};
  static constexpr std::array<Unit, 8> kMoment{{{"N.m", 1.0},
                                                {"N\u00B7m", 1.0},  // N·m, middle dot in UTF-8
                                                {"Nm", 1.0},
                                                {"N*m", 1.0},
                                                {"N.mm", 1e-3},
                                                {"N\u00B7mm", 1e-3},
                                                {"Nmm", 1e-3},
                                                {"N*mm", 1e-3}}};
  const auto find = [&](const auto& units) -> std::optional<double> {
    for (const Unit& unit : units) {
      if (unit.symbol == symbol) return unit.to_si;
    }
    return std::nullopt;
  };
  switch (kind) {
    case Kind::Time: return find(kTime);
    case Kind::Force: return find(kForce);
    case Kind::Moment: return find(kMoment);
    case Kind::Length: return find(kLength);
  }
  return std::nullopt;
}

const char* units_accepted(Kind kind) {
  switch (kind) {
    case Kind::Time: return "s or ms";
    case Kind::Force: return "N or kN";
    case Kind::Moment: return "N.m, N\u00B7m, Nm or N.mm";
    case Kind::Length: return "m, cm or mm";
  }
  return "";
}

const char* example_unit(Kind kind) {
  switch (kind) {
    case Kind::Time: return "s";
    case Kind::Force: return "N";
    case Kind::Moment: return "N.m";
    case Kind::Length: return "mm";
  }
  return "";
}

// --- header fields: "name[unit]" or "name (unit)" ---

struct HeaderField {
  std::string name;  // lower case, trimmed
  std::string unit;  // as written, trimmed; empty when the field has no brackets
  bool has_unit = false;
};

HeaderField split_header_field(std::string_view field) {
  field = trim(field);
  HeaderField out;
  const auto open = field.find_first_of("[(");
  const char close = open == std::string_view::npos ? '\0' : (field[open] == '[' ? ']' : ')');
  if (open != std::string_view::npos && open > 0 && field.back() == close) {
    out.name = lowercase(trim(field.substr(0, open)));
    out.unit = std::string(trim(field.substr(open + 1, field.size() - open - 2)));
    out.has_unit = true;
  } else {
    out.name = lowercase(field);
  }
  return out;
}

struct KnownName {
  Quantity quantity;
  int side;  // -1: no side (one plate), 0: left (plate 0), 1: right (plate 1)
};

std::optional<KnownName> resolve_generic_name(const std::string& name) {
  static const std::array<std::pair<std::string_view, Quantity>, 11> kBases{{{"time", Quantity::Time},
                                                                             {"fx", Quantity::Fx},
                                                                             {"fy", Quantity::Fy},
                                                                             {"fz", Quantity::Fz},
                                                                             {"mx", Quantity::Mx},
                                                                             {"my", Quantity::My},
                                                                             {"mz", Quantity::Mz},
                                                                             {"copx", Quantity::CopX},
                                                                             {"copy", Quantity::CopY},
                                                                             {"cop_x", Quantity::CopX},
                                                                             {"cop_y", Quantity::CopY}}};
  std::string_view base = name;
  int side = -1;
  if (base.ends_with("_left")) {
    base.remove_suffix(5);
    side = 0;
  } else if (base.ends_with("_right")) {
    base.remove_suffix(6);
    side = 1;
  }
  for (const auto& [known, quantity] : kBases) {
    if (base == known) {
      if (quantity == Quantity::Time && side >= 0) return std::nullopt;  // time is shared by the plates
      return KnownName{quantity, side};
    }
  }
  return std::nullopt;
}

bool all_numbers(const std::vector<std::string_view>& fields, Separator separator) {
  return std::all_of(fields.begin(), fields.end(),
                     [&](std::string_view f) { return parse_number(f, separator).has_value(); });
}

// A header's fields in lower case, without an empty last one.
std::vector<std::string> lower_fields(std::string_view line, Separator separator) {
  std::vector<std::string_view> fields = split_fields(line, separator);
  drop_trailing_empty(fields);
  std::vector<std::string> out;
  for (std::string_view f : fields) out.push_back(lowercase(f));
  return out;
}

// Index of the first line that is not blank (and not a '#' comment when `comments`), or lines.size().
std::size_t first_content(const std::vector<TextLine>& lines, std::size_t from, bool comments) {
  for (std::size_t i = from; i < lines.size(); ++i) {
    const std::string_view text = trim(lines[i].text);
    if (text.empty() || (comments && text.front() == '#')) continue;
    return i;
  }
  return lines.size();
}

std::string side_note(int plate_count) {
  return plate_count == 2 ? "two plates: _left columns are plate 0, _right columns plate 1" : "one plate";
}

// --- generic format ---

TableLayout generic_layout(const std::vector<TextLine>& lines) {
  TableLayout layout;
  layout.name = "generic";
  layout.skip_comments = true;
  const std::size_t h = first_content(lines, 0, true);
  if (h == lines.size()) {
    throw ImportProblem(lines.empty() ? "no header: the file is empty"
                                      : "no header: the file holds only blank or comment lines");
  }
  const TextLine& header = lines[h];
  layout.header_line = header.number;
  layout.first_row = h + 1;
  layout.separator = detect_separator(header.text);
  std::vector<std::string_view> fields = split_fields(header.text, layout.separator);
  drop_trailing_empty(fields);
  layout.field_count = fields.size();
  if (all_numbers(fields, layout.separator)) {
    fail_at_line(header.number,
                 "no header row (the first line holds numbers); name the columns with their units, e.g. "
                 "time[s],fz[N] (docs/import.md), or choose a layout such as fz-column");
  }

  std::vector<int> sides;
  int max_side = -1;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const HeaderField field = split_header_field(fields[i]);
    const std::optional<KnownName> known = resolve_generic_name(field.name);
    if (!known) {
      layout.notes.push_back("column " + std::to_string(i + 1) + " " + in_quotes(fields[i]) +
                             " is not a known quantity: ignored");
      continue;
    }
    const Kind kind = kind_of(known->quantity);
    if (!field.has_unit || field.unit.empty()) {
      fail_at(header.number, i + 1,
              in_quotes(fields[i]) + " has no unit; write it in brackets, e.g. " + field.name + "[" +
                  example_unit(kind) + "]");
    }
    const std::optional<double> factor = unit_factor(kind, field.unit);
    if (!factor) {
      fail_at(header.number, i + 1,
              "unknown unit " + in_quotes(field.unit) + " in " + in_quotes(fields[i]) + " (" +
                  quantity_name(known->quantity) + " takes " + units_accepted(kind) + ")");
    }
    for (std::size_t j = 0; j < layout.columns.size(); ++j) {
      if (layout.columns[j].quantity == known->quantity && sides[j] == known->side) {
        fail_at(header.number, i + 1,
                in_quotes(fields[i]) + " repeats column " + std::to_string(layout.columns[j].field + 1) + " " +
                    in_quotes(layout.columns[j].label));
      }
    }
    layout.columns.push_back({i, known->quantity, 0, *factor, std::string(fields[i])});
    sides.push_back(known->side);
    max_side = std::max(max_side, known->side);
  }

  if (max_side >= 0) {
    for (std::size_t j = 0; j < layout.columns.size(); ++j) {
      if (sides[j] < 0 && layout.columns[j].quantity != Quantity::Time) {
        const std::string name = quantity_name(layout.columns[j].quantity);
        fail_at(header.number, layout.columns[j].field + 1,
                in_quotes(layout.columns[j].label) + " has no side but other columns are per limb; name it " + name +
                    "_left or " + name + "_right");
      }
    }
  }
  for (std::size_t j = 0; j < layout.columns.size(); ++j) layout.columns[j].plate = std::max(sides[j], 0);
  layout.plate_count = max_side == 1 ? 2 : 1;

  const bool any_load = std::any_of(layout.columns.begin(), layout.columns.end(), [](const Column& c) {
    return c.quantity == Quantity::Fz || c.quantity == Quantity::CopX || c.quantity == Quantity::CopY;
  });
  if (!any_load) {
    fail_at_line(header.number, "no force or COP columns: the header " + in_quotes(header.text) +
                                    " names none of fz, copx, copy (docs/import.md lists the names)");
  }
  layout.notes.push_back("generic format, " + std::string(separator_name(layout.separator)) + " separated, " +
                         side_note(layout.plate_count));
  return layout;
}

// --- dataset layouts ---

void expect_header(const TextLine& line, Separator separator, const std::vector<std::string>& expected,
                   const std::string& layout, const std::string& shown) {
  if (lower_fields(line.text, separator) != expected) {
    fail_at_line(line.number, "not a " + layout + " file: expected the header " + in_quotes(shown) + ", found " +
                                  in_quotes(line.text));
  }
}

std::size_t header_index(const std::vector<TextLine>& lines, const std::string& layout) {
  const std::size_t h = first_content(lines, 0, false);
  if (h == lines.size()) throw ImportProblem("no header: the file is empty (expected a " + layout + " file)");
  return h;
}

TableLayout hbedb_layout(const std::vector<TextLine>& lines) {
  TableLayout layout;
  layout.name = "hbedb";
  const std::size_t h = header_index(lines, layout.name);
  layout.separator = Separator::Semicolon;
  expect_header(lines[h], layout.separator, {"f_time", "copx", "copy"}, layout.name, "f_time;copX;copY");
  layout.header_line = lines[h].number;
  layout.first_row = h + 1;
  layout.field_count = 3;
  layout.columns = {{0, Quantity::Time, 0, 1.0, "f_time"},
                    {1, Quantity::CopX, 0, 1e-2, "copX"},
                    {2, Quantity::CopY, 0, 1e-2, "copY"}};
  layout.notes.push_back(
      "hbedb (PhysioNet human balance evaluation database) COP export: f_time in s, copX and "
      "copY in cm; copX imported as x and copY as y (the file does not say which is "
      "mediolateral); COP as in the file, not re-centred");
  return layout;
}

TableLayout bmc_grf_layout(const std::vector<TextLine>& lines) {
  TableLayout layout;
  layout.name = "bmc-grf";
  const std::size_t h = header_index(lines, layout.name);
  layout.separator = Separator::Tab;
  expect_header(lines[h], layout.separator, {"time[s]", "grf[n]"}, layout.name, "Time[s]<tab>GRF[N]");
  layout.header_line = lines[h].number;
  layout.first_row = h + 1;
  layout.field_count = 2;
  layout.columns = {{0, Quantity::Time, 0, 1.0, "Time[s]"}, {1, Quantity::Fz, 0, 1.0, "GRF[N]"}};
  layout.notes.push_back(
      "demotu/BMC jump export: Time in s, GRF (vertical ground reaction force) in N imported "
      "as fz of one plate");
  return layout;
}

TableLayout fz_column_layout(const std::vector<TextLine>& lines) {
  TableLayout layout;
  layout.name = "fz-column";
  const std::size_t first = header_index(lines, layout.name);
  layout.separator = Separator::Whitespace;
  const auto fields = split_fields(lines[first].text, layout.separator);
  if (fields.size() != 1 || !parse_number(fields[0], layout.separator)) {
    fail_at_line(lines[first].number,
                 "not an fz-column file: expected one number per line, found " + in_quotes(lines[first].text));
  }
  layout.first_row = first;
  layout.field_count = 1;
  layout.columns = {{0, Quantity::Fz, 0, 1.0, "vertical force (N)"}};
  layout.notes.push_back("one column of vertical force in N, no header, no time: one plate");
  return layout;
}

TableLayout vj_dual_layout(const std::vector<TextLine>& lines) {
  TableLayout layout;
  layout.name = "vj-dual";
  const std::size_t h = header_index(lines, layout.name);
  layout.separator = detect_separator(lines[h].text);
  expect_header(lines[h], layout.separator, {"fp1", "fp2"}, layout.name, "FP1<tab>FP2");
  layout.header_line = lines[h].number;
  layout.first_row = h + 1;
  layout.field_count = 2;
  layout.plate_count = 2;
  layout.columns = {{0, Quantity::Fz, 0, 1.0, "FP1"}, {1, Quantity::Fz, 1, 1.0, "FP2"}};
  layout.notes.push_back(
      "two columns of vertical force in N, no time: FP1 is plate 0, FP2 plate 1 (the file "
      "does not say which foot stood on which)");
  return layout;
}

[[noreturn]] void refuse_kistler_raw(const TextLine& header) {
  fail_at_line(header.number,
               "raw Kistler channels in volts (fx12, fx34, fy14, fy23, fz1..fz4 after the charge amplifiers) are "
               "not forces, and the file lacks the calibration that makes them forces: the sensitivity of each "
               "channel (pC/N, from the plate's calibration sheet), the charge-amplifier range of each channel "
               "during the recording (N per V) and the sensor offsets a, b and az0 (m) for the moments and COP; "
               "convert the channels with the plate's own calibration and import fz, fx, fy, mx, my in the "
               "generic format (docs/import.md)");
}

// "05 Jan 2021 10:47:06 +0100" (Motive's Capture Start Time) as ISO 8601 UTC; nullopt if not understood.
std::optional<std::string> motive_time_to_utc(const std::string& text) {
  std::istringstream in(text);
  int day = 0;
  std::string month_name;
  int year = 0;
  std::string clock;
  std::string zone;
  if (!(in >> day >> month_name >> year >> clock >> zone)) return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), lowercase(month_name).substr(0, 3));
  int hour = 0;
  int minute = 0;
  int second = 0;
  char c1 = 0;
  char c2 = 0;
  std::istringstream clock_in(clock);
  if (month_it == kMonths.end() || !(clock_in >> hour >> c1 >> minute >> c2 >> second) || c1 != ':' || c2 != ':' ||
      zone.size() != 5 || (zone[0] != '+' && zone[0] != '-') ||
      zone.find_first_not_of("0123456789", 1) != std::string::npos || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = static_cast<int>(month_it - kMonths.begin());
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const int offset_s =
      (zone[0] == '-' ? -1 : 1) * (std::stoi(zone.substr(1, 2)) * 3600 + std::stoi(zone.substr(3, 2)) * 60);
  const std::time_t utc = ::timegm(&tm) - offset_s;  // timegm reads tm as UTC (glibc, BSD)
  std::tm out{};
  if (::gmtime_r(&utc, &out) == nullptr) return std::nullopt;
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &out);
  return std::string(buffer);
}

TableLayout amti_optitrack_layout(const std::vector<TextLine>& lines) {
  TableLayout layout;
  layout.name = "amti-optitrack";
  layout.separator = Separator::Comma;
  layout.note_all_zero_rows = true;
  std::size_t h = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto fields = lower_fields(lines[i].text, layout.separator);
    if (!fields.empty() && fields[0] == "mocapframe") {
      h = i;
      break;
    }
  }
  if (h == lines.size()) {
    throw ImportProblem(
        "not an amti-optitrack file: no header line starting with MocapFrame (a Motive force "
        "plate export has one after its metadata lines)");
  }

  // Metadata: "key,value," lines above the header.
  std::string capture_start;
  double width_in = 0;
  double length_in = 0;
  for (std::size_t i = 0; i < h; ++i) {
    const auto fields = split_fields(lines[i].text, layout.separator);
    if (fields.size() < 2) continue;
    const std::string key = lowercase(fields[0]);
    const std::optional<double> number = parse_number(fields[1], layout.separator);
    if ((key == "export frame rate" || (key == "capture frame rate" && layout.file_rate_hz == 0)) && number &&
        *number > 0) {
      layout.file_rate_hz = *number;
      layout.file_rate_source = "'" + std::string(fields[0]) + "' on line " + std::to_string(lines[i].number);
    } else if (key == "capture start time") {
      capture_start = std::string(fields[1]);
    } else if (key == "platewidth" && number) {
      width_in = *number;
    } else if (key == "platelength" && number) {
      length_in = *number;
    } else if (key == "take name" || key == "device name") {
      layout.notes.push_back(std::string(fields[0]) + ": " + std::string(fields[1]));
    }
  }
  if (!capture_start.empty()) {
    if (const auto utc = motive_time_to_utc(capture_start)) {
      layout.start_time_utc = *utc;
    } else {
      layout.notes.push_back("Capture Start Time " + in_quotes(capture_start) +
                             " not understood: start time left empty");
    }
  }
  if (width_in > 0 && length_in > 0) {
    constexpr double kInch = 0.0254;
    layout.plate_width_m = width_in * kInch;
    layout.plate_length_m = length_in * kInch;
    std::ostringstream note;
    note << "PlateWidth " << width_in << " and PlateLength " << length_in
         << " read as inches (Motive states no unit; AMTI specifies plates in inches): " << layout.plate_width_m
         << " m x " << layout.plate_length_m << " m";
    layout.notes.push_back(note.str());
  }

  const TextLine& header = lines[h];
  layout.header_line = header.number;
  layout.first_row = h + 1;
  auto names = split_fields(header.text, layout.separator);
  drop_trailing_empty(names);
  layout.field_count = names.size();
  struct Wanted {
    std::string_view name;
    Quantity quantity;
    double to_si;
  };
  static constexpr std::array<Wanted, 9> kWanted{{{"mocaptime", Quantity::Time, 1.0},
                                                  {"fx", Quantity::Fx, 1.0},
                                                  {"fy", Quantity::Fy, 1.0},
                                                  {"fz", Quantity::Fz, 1.0},
                                                  {"mx", Quantity::Mx, 1.0},
                                                  {"my", Quantity::My, 1.0},
                                                  {"mz", Quantity::Mz, 1.0},
                                                  {"cx", Quantity::CopX, 1.0},
                                                  {"cy", Quantity::CopY, 1.0}}};
  for (const Wanted& wanted : kWanted) {
    const auto it =
        std::find_if(names.begin(), names.end(), [&](std::string_view n) { return lowercase(n) == wanted.name; });
    if (it == names.end()) {
      fail_at_line(header.number, "not an amti-optitrack file: the header " + in_quotes(header.text) + " has no " +
                                      std::string(wanted.name) + " column");
    }
    layout.columns.push_back(
        {static_cast<std::size_t>(it - names.begin()), wanted.quantity, 0, wanted.to_si, std::string(*it)});
  }
  layout.notes.push_back(
      "OptiTrack Motive force plate export: MocapTime in s, Fx Fy Fz in N, Mx My Mz in N.m, "
      "Cx Cy in m in the plate's local frame, taken as from the plate centre; Cx imported as "
      "x and Cy as y; MocapFrame, DeviceFrame and Cz not imported");
  return layout;
}

enum class Detected { Generic, Hbedb, AmtiOptitrack, KistlerRaw, BmcGrf, FzColumn, VjDual };

Detected detect(const std::vector<TextLine>& lines, std::size_t first) {
  const std::string& text = lines[first].text;
  if (lowercase(trim(text)).starts_with("format version,")) return Detected::AmtiOptitrack;
  const Separator separator = detect_separator(text);
  const std::vector<std::string> fields = lower_fields(text, separator);
  if (fields == std::vector<std::string>{"f_time", "copx", "copy"}) return Detected::Hbedb;
  if (fields.size() == 9 && fields[0].starts_with("time") && fields[1].starts_with("channel")) {
    return Detected::KistlerRaw;
  }
  if (fields == std::vector<std::string>{"time[s]", "grf[n]"}) return Detected::BmcGrf;
  if (fields == std::vector<std::string>{"fp1", "fp2"}) return Detected::VjDual;
  const auto raw = split_fields(text, Separator::Whitespace);
  if (raw.size() == 1 && parse_number(raw[0], Separator::Whitespace)) return Detected::FzColumn;
  return Detected::Generic;
}

}  // namespace

const char* quantity_name(Quantity quantity) {
  switch (quantity) {
    case Quantity::Time: return "time";
    case Quantity::Fx: return "fx";
    case Quantity::Fy: return "fy";
    case Quantity::Fz: return "fz";
    case Quantity::Mx: return "mx";
    case Quantity::My: return "my";
    case Quantity::Mz: return "mz";
    case Quantity::CopX: return "copx";
    case Quantity::CopY: return "copy";
  }
  return "?";
}

const std::vector<std::string>& layout_names() {
  static const std::vector<std::string> kNames{"generic", "hbedb",     "amti-optitrack", "kistler-raw",
                                               "bmc-grf", "fz-column", "vj-dual"};
  return kNames;
}

TableLayout interpret_header(const std::vector<TextLine>& lines, const std::string& layout) {
  const std::string chosen = lowercase(trim(layout));
  if (chosen == "auto") {
    // '#' lines are comments of the generic format; no dataset layout starts with one.
    const std::size_t first = first_content(lines, 0, true);
    if (first == lines.size()) {
      throw ImportProblem(lines.empty() ? "no header: the file is empty"
                                        : "no header: the file holds only blank or comment lines");
    }
    TableLayout result;
    switch (detect(lines, first)) {
      case Detected::Generic: result = generic_layout(lines); break;
      case Detected::Hbedb: result = hbedb_layout(lines); break;
      case Detected::AmtiOptitrack: result = amti_optitrack_layout(lines); break;
      case Detected::KistlerRaw: refuse_kistler_raw(lines[first]);
      case Detected::BmcGrf: result = bmc_grf_layout(lines); break;
      case Detected::FzColumn: result = fz_column_layout(lines); break;
      case Detected::VjDual: result = vj_dual_layout(lines); break;
    }
    result.notes.insert(result.notes.begin(),
                        "layout " + result.name + ", detected from line " + std::to_string(lines[first].number));
    return result;
  }
  TableLayout result;
  if (chosen == "generic") {
    result = generic_layout(lines);
  } else if (chosen == "hbedb") {
    result = hbedb_layout(lines);
  } else if (chosen == "amti-optitrack") {
    result = amti_optitrack_layout(lines);
  } else if (chosen == "kistler-raw") {
    const std::size_t first = first_content(lines, 0, false);
    if (first == lines.size()) throw ImportProblem("no header: the file is empty (expected a kistler-raw file)");
    refuse_kistler_raw(lines[first]);
  } else if (chosen == "bmc-grf") {
    result = bmc_grf_layout(lines);
  } else if (chosen == "fz-column") {
    result = fz_column_layout(lines);
  } else if (chosen == "vj-dual") {
    result = vj_dual_layout(lines);
  } else {
    std::string known = "auto";
    for (const std::string& name : layout_names()) known += ", " + name;
    throw ImportProblem("unknown layout " + in_quotes(layout) + " (expected one of " + known + ")");
  }
  result.notes.insert(result.notes.begin(), "layout " + result.name + ", as chosen");
  return result;
}

}  // namespace fp::data::table
