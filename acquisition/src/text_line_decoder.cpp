#include "forceplate/acquisition/text_line_decoder.hpp"

#include <charconv>

namespace fp::acq {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

// `# forceplate-text v1 serial=ABC cells=4 rate=80`
bool parse_identity(std::string_view body, TextIdentity& id) {
  body = trim(body);
  constexpr std::string_view tag = "forceplate-text";
  if (body.substr(0, tag.size()) != tag) return false;
  body.remove_prefix(tag.size());
  while (!body.empty()) {
    body = trim(body);
    const std::size_t end = body.find(' ');
    const std::string_view word = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end);
    const std::size_t eq = word.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key == "serial") id.serial = std::string(value);
    if (key == "cells") parse_number(value, id.cells);
    if (key == "rate") parse_number(value, id.rate_hz);
  }
  return true;
}

}  // namespace

TextLineDecoder::LineKind TextLineDecoder::parse(std::string_view line, TextSample& sample,
                                                 TextIdentity& identity, std::string& reason) {
  line = trim(line);
  if (line.empty()) return LineKind::empty;
  if (line.front() == '#') {
    return parse_identity(line.substr(1), identity) ? LineKind::identity : LineKind::comment;
  }
  sample = TextSample{};
  if (line.substr(0, 2) == "t=") {
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos || !parse_number(line.substr(2, comma - 2), sample.time_us)) {
      reason = "bad time stamp";
      return LineKind::malformed;
    }
    sample.has_time = true;
    line.remove_prefix(comma + 1);
  }
  int n = 0;
  while (true) {
    const std::size_t comma = line.find(',');
    if (n == 8) {
      reason = "more than 8 values";
      return LineKind::malformed;
    }
    if (!parse_number(line.substr(0, comma), sample.counts[n])) {
      reason = "value " + std::to_string(n + 1) + " is not a whole number";
      return LineKind::malformed;
    }
    ++n;
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  if (n != 4 && n != 8) {
    reason = std::to_string(n) + " values (4 or 8 expected)";
    return LineKind::malformed;
  }
  sample.cell_count = n;
  return LineKind::sample;
}

}  // namespace fp::acq
