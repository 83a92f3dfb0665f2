#include "datasets.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fp::analysis::testing {

namespace {
std::ifstream open(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return in;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> cells;
  std::istringstream s(line);
  for (std::string cell; std::getline(s, cell, sep);) cells.push_back(cell);
  return cells;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}
}  // namespace

std::string dataset_path(const std::string& relative) {
  return std::string(FP_DATASETS_DIR) + "/" + relative;
}

CopTrace read_hbedb_cop(const std::string& path) {
  std::ifstream in = open(path);
  std::string line;
  std::getline(in, line);
  if (trim(line) != "f_time;copX;copY") throw std::runtime_error("unexpected header in " + path);
  constexpr double metre_per_cm = 0.01;
  CopTrace t;
  while (std::getline(in, line)) {
    if (trim(line).empty()) continue;
    const auto cells = split(line, ';');
    if (cells.size() != 3) throw std::runtime_error("bad row in " + path + ": " + line);
    t.t.push_back(std::stod(cells[0]));
    t.x.push_back(std::stod(cells[1]) * metre_per_cm);
    t.y.push_back(std::stod(cells[2]) * metre_per_cm);
  }
  return t;
}

std::vector<ReferenceRow> read_reference_table(const std::string& readme_path,
                                               const std::string& name) {
  std::ifstream in = open(readme_path);
  const std::string heading = "## Reference values: " + name;
  std::vector<ReferenceRow> rows;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) inside = trim(line) == heading;
    if (!inside || line.rfind("| cop_", 0) != 0) continue;
    const auto cells = split(line, '|');  // cells[0] is the empty text before the first '|'
    if (cells.size() < 4) throw std::runtime_error("bad reference row: " + line);
    ReferenceRow r;
    r.metric = split(trim(cells[1]), ' ').front();
    r.value_text = trim(cells[2]);
    r.value = std::stod(r.value_text);
    r.unit = trim(cells[3]);
    rows.push_back(r);
  }
  return rows;
}

std::vector<double> read_amti_fz(const std::string& path) {
  std::ifstream in = open(path);
  std::string line;
  while (std::getline(in, line) && line.rfind("MocapFrame", 0) != 0) {
  }
  auto header = split(line, ',');
  std::transform(header.begin(), header.end(), header.begin(), trim);
  const auto col =
      static_cast<std::size_t>(std::find(header.begin(), header.end(), "Fz") - header.begin());
  if (col == header.size()) throw std::runtime_error("no Fz column in " + path);
  std::vector<double> fz;
  while (std::getline(in, line)) {
    const auto cells = split(line, ',');
    if (cells.size() > col) fz.push_back(std::stod(cells[col]));
  }
  return fz;
}

}  // namespace fp::analysis::testing
