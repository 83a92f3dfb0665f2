#pragma once
// A pseudo-terminal pair: the simulator holds the master, a host opens the slave by its path as
// it would open /dev/ttyACM0.
#include <string>

namespace fp::sim {

class PseudoTerminal {
 public:
  PseudoTerminal();  // throws std::runtime_error if the system has no ptys left
  ~PseudoTerminal();
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  int master_fd() const { return master_; }
  // The line speed the host side set (as a baud rate), 0 if unknown.
  unsigned host_baud() const;
  const std::string& slave_path() const { return path_; }
  // Closes both sides: a host reading the slave sees the device vanish (EOF / EIO).
  void close();

 private:
  int master_ = -1;
  int slave_ = -1;  // kept open so the master does not read EIO before a host connects
  std::string path_;
};

}  // namespace fp::sim
