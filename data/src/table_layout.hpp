#pragma once
// Internal: what the columns of an imported table mean. Reads the header (and any metadata above
// it) in one of the documented layouts (docs/import.md) and says which field holds which quantity,
// for which plate, and the factor to SI. The rows themselves are read by table_import.cpp.
#include <cstddef>
#include <string>
#include <vector>

#include "table_text.hpp"

namespace fp::data::table {

enum class Quantity { Time, Fx, Fy, Fz, Mx, My, Mz, CopX, CopY };

// The generic name of a quantity: "time", "fz", "copx", ...
const char* quantity_name(Quantity quantity);

struct Column {
  std::size_t field = 0;  // 0-based position in a row
  Quantity quantity = Quantity::Fz;
  int plate = 0;
  double to_si = 1;   // SI value = file value * to_si
  std::string label;  // as written in the header (or a description when there is no header)
};

struct TableLayout {
  std::string name;  // "generic", "hbedb", ...
  Separator separator = Separator::Comma;
  bool skip_comments = false;   // generic format: lines starting with '#' are comments
  std::size_t header_line = 0;  // file line number of the header row, 0 when there is none
  std::size_t first_row = 0;    // index into the lines of the first line that may hold data
  std::size_t field_count = 0;  // fields in every data row
  int plate_count = 1;
  std::vector<Column> columns;   // the imported columns; any other field is skipped
  double file_rate_hz = 0;       // rate stated by the file's metadata; 0 when it states none
  std::string file_rate_source;  // where in the file that rate is stated
  std::string start_time_utc;    // from the file's metadata, ISO 8601; empty when unknown
  double plate_width_m = 0;      // from the file's metadata; 0 when unknown
  double plate_length_m = 0;
  bool note_all_zero_rows = false;  // say where every imported field of a row is exactly 0 (OptiTrack)
  std::vector<std::string> notes;   // become Trial::import_notes
};

// The layouts ImportOptions::layout accepts besides "auto", in documentation order.
const std::vector<std::string>& layout_names();

// Interprets the header of `lines` as layout `layout` ("auto": detected from the first lines).
// Throws ImportProblem naming the line and problem (no header, unknown unit, a raw-volt Kistler file...).
TableLayout interpret_header(const std::vector<TextLine>& lines, const std::string& layout);

}  // namespace fp::data::table
