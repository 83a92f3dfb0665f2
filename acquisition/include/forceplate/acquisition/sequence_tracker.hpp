#pragma once
// Turns the device's 32-bit sample numbers and microsecond stamps into one 64-bit timeline, and
// says exactly how many samples are missing before each one. Nothing is ever filled in.
#include <cstdint>

namespace fp::acq {

class SequenceTracker {
 public:
  struct Placed {
    std::uint64_t sequence;   // unwrapped
    double device_time_s;     // since the first sample seen
    std::uint32_t gap_before; // samples numbered by the device but not received
    bool restarted;           // the device's numbering went back: it rebooted
  };

  Placed place(std::uint32_t sequence, std::uint32_t time_us);

  std::uint64_t samples_seen() const { return seen_; }
  std::uint64_t samples_missing() const { return missing_; }
  std::uint64_t restarts() const { return restarts_; }

 private:
  bool started_ = false;
  std::uint32_t last_seq32_ = 0;
  std::uint64_t last_seq64_ = 0;
  std::uint32_t last_time32_ = 0;
  std::uint64_t time64_us_ = 0;
  std::uint64_t seen_ = 0;
  std::uint64_t missing_ = 0;
  std::uint64_t restarts_ = 0;
};

}  // namespace fp::acq
