#include "table_text.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <system_error>

namespace fp::data::table {

void fail_at_line(std::size_t line, const std::string& problem) {
  throw ImportProblem("line " + std::to_string(line) + ": " + problem);
}

void fail_at(std::size_t line, std::size_t column, const std::string& problem) {
  throw ImportProblem("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + problem);
}

std::vector<TextLine> read_lines(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) throw ImportProblem("no such file");
  if (std::filesystem::is_directory(status)) throw ImportProblem("is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImportProblem("cannot open the file for reading");

  std::vector<TextLine> lines;
  std::string text;
  while (std::getline(in, text)) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (lines.empty() && text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // BOM of Windows exports
    lines.push_back({lines.size() + 1, std::move(text)});
  }
  if (in.bad()) throw ImportProblem("read error after line " + std::to_string(lines.size()));
  return lines;
}

bool is_blank(std::string_view text) {
  return trim(text).empty();
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

Separator detect_separator(std::string_view header) {
  if (header.find('\t') != std::string_view::npos) return Separator::Tab;
  if (header.find(';') != std::string_view::npos) return Separator::Semicolon;
  if (header.find(',') != std::string_view::npos) return Separator::Comma;
  return Separator::Whitespace;
}

const char* separator_name(Separator separator) {
  switch (separator) {
    case Separator::Comma: return "comma";
    case Separator::Semicolon: return "semicolon";
    case Separator::Tab: return "tab";
    case Separator::Whitespace: return "whitespace";
  }
  return "?";
}

std::vector<std::string_view> split_fields(std::string_view line, Separator separator) {
  std::vector<std::string_view> fields;
  if (separator == Separator::Whitespace) {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (i > start) fields.push_back(line.substr(start, i - start));
    }
    return fields;
  }
  const char mark = separator == Separator::Comma ? ',' : separator == Separator::Semicolon ? ';' : '\t';
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(mark, start);
    fields.push_back(trim(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return fields;
}

void drop_trailing_empty(std::vector<std::string_view>& fields) {
  if (fields.size() > 1 && fields.back().empty()) fields.pop_back();
}

std::optional<double> parse_number(std::string_view field, Separator separator) {
  if (!field.empty() && field.front() == '+') {
    field.remove_prefix(1);  // from_chars takes no '+'
    if (!field.empty() && (field.front() == '+' || field.front() == '-')) return std::nullopt;
  }
  if (field.empty()) return std::nullopt;
  std::string text(field);
  if (separator != Separator::Comma && text.find('.') == std::string::npos) {
    const auto comma = text.find(',');
    if (comma != std::string::npos && text.find(',', comma + 1) == std::string::npos) text[comma] = '.';
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || std::isinf(value)) return std::nullopt;
  return value;
}

std::string in_quotes(std::string_view text) {
  constexpr std::size_t kMax = 40;
  // Built by appending: g++ 12 at -O3 warns falsely (-Wrestrict) on "'" + std::string(...).
  std::string out = "'";
  out.append(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  out += '\'';
  return out;
}

}  // namespace fp::data::table
