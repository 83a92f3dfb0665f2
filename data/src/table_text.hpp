#pragma once
// Internal: the text level of table import: lines, separators, fields and numbers. Knows nothing of
// force plates. Problems are thrown as ImportProblem with the location; import_table adds the file.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fp::data::table {

// A problem in the file's contents. The message starts with its location ("line 7, column 3: ...")
// where there is one; import_table prefixes the file name and rethrows it as ImportError.
class ImportProblem : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail_at_line(std::size_t line, const std::string& problem);
[[noreturn]] void fail_at(std::size_t line, std::size_t column, const std::string& problem);

struct TextLine {
  std::size_t number = 0;  // 1-based line number in the file
  std::string text;        // without the line end (LF or CRLF) and, on line 1, without a UTF-8 BOM
};

// Every line of the file. Throws ImportProblem if the file is missing, a directory or unreadable.
std::vector<TextLine> read_lines(const std::filesystem::path& path);

bool is_blank(std::string_view text);
std::string_view trim(std::string_view text);
std::string lowercase(std::string_view text);

enum class Separator { Comma, Semicolon, Tab, Whitespace };

// From a header line: tab if it has one, else semicolon, else comma, else runs of spaces.
Separator detect_separator(std::string_view header);
const char* separator_name(Separator separator);

// Fields of one line, trimmed. "a,b," has three fields, the last empty.
std::vector<std::string_view> split_fields(std::string_view line, Separator separator);

// Drops one empty last field: a header ending in a separator, as spreadsheet exports write it.
void drop_trailing_empty(std::vector<std::string_view>& fields);

// A decimal number ("12", "-0.5", "+3e-2"; with a semicolon or tab separator also a decimal comma,
// "0,5"). nullopt for anything else, including an empty field. "nan" parses (as NaN); infinities do not.
std::optional<double> parse_number(std::string_view field, Separator separator);

// Shortened for an error message: at most 40 characters, quoted.
std::string in_quotes(std::string_view text);

}  // namespace fp::data::table
