#pragma once
// Turns the device's 32-bit sample numbers and microsecond stamps into one 64-bit timeline, and
// says exactly how many samples are missing before each one. Nothing is ever filled in.
//
// Within one stretch of numbering the count of missing samples is exact. Where the numbering is
// broken (the device restarted, or was unplugged and came back) the device cannot say what it
// missed; the host clock can: the gap is then estimated from the host time that passed, and
// marked as estimated.
#include <cstdint>

#include "forceplate/acquisition/sample.hpp"

namespace fp::acq {

class SequenceTracker {
 public:
  explicit SequenceTracker(double nominal_rate_hz = 0) : rate_hz_(nominal_rate_hz) {}

  struct Placed {
    std::uint64_t sequence;    // unwrapped, continuous across restarts
    double device_time_s;      // since the first sample seen, continuous across restarts
    std::uint64_t gap_before;  // samples missing just before this one
    GapKind gap_kind;
  };

  // `host_time_s`: when the sample arrived on the host's steady clock.
  Placed place(std::uint32_t sequence, std::uint32_t time_us, double host_time_s);

  // The next sample starts a new stretch of numbering (the device was reconnected).
  void begin_new_stretch() { new_stretch_ = true; }
  void set_rate(double rate_hz) { rate_hz_ = rate_hz; }

  std::uint64_t samples_seen() const { return seen_; }
  std::uint64_t samples_missing() const { return missing_; }        // exact, within stretches
  std::uint64_t samples_missing_estimated() const { return estimated_; }  // across breaks
  std::uint64_t restarts() const { return restarts_; }

 private:
  Placed start_stretch(std::uint32_t sequence, std::uint32_t time_us, double host_time_s, GapKind kind);

  double rate_hz_;
  bool started_ = false;
  bool new_stretch_ = false;
  std::uint32_t last_seq32_ = 0;
  std::uint64_t last_seq64_ = 0;
  std::uint32_t last_time32_ = 0;
  std::uint64_t time64_us_ = 0;
  double last_host_s_ = 0;
  std::uint64_t seen_ = 0;
  std::uint64_t missing_ = 0;
  std::uint64_t estimated_ = 0;
  std::uint64_t restarts_ = 0;
};

}  // namespace fp::acq
