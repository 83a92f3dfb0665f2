#pragma once
// Running the `forceplate` command as a user would, for the CLI tests: through the shell, with its
// exit code and what it printed.
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

namespace fp::cli::testing {

struct CliRun {
  int exit_code;
  std::string out;  // what the command line printed (the caller chooses stdout, stderr or both)
};

// Runs `command_line` through /bin/sh; the exit code is -1 if the process did not exit normally.
inline CliRun run_shell(const std::string& command_line) {
  FILE* p = popen(command_line.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace fp::cli::testing
