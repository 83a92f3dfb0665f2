#include "forceplate/acquisition/sequence_tracker.hpp"

namespace fp::acq {

SequenceTracker::Placed SequenceTracker::place(std::uint32_t sequence, std::uint32_t time_us) {
  ++seen_;
  if (!started_) {
    started_ = true;
    last_seq32_ = sequence;
    last_seq64_ = sequence;
    last_time32_ = time_us;
    time64_us_ = 0;
    return {last_seq64_, 0.0, 0, false};
  }
  const std::uint32_t delta = sequence - last_seq32_;  // modulo 2^32: wrap-around is a step of 1
  bool restarted = false;
  std::uint32_t gap = 0;
  if (delta == 0 || delta >= 0x80000000U) {
    // Numbering went back (or repeated): the device restarted. Continue our timeline after the
    // last sample; what was lost across the restart cannot be known from the numbers.
    restarted = true;
    ++restarts_;
    last_seq64_ += 1;
  } else {
    gap = delta - 1;
    missing_ += gap;
    last_seq64_ += delta;
    time64_us_ += static_cast<std::uint32_t>(time_us - last_time32_);
  }
  last_seq32_ = sequence;
  last_time32_ = time_us;
  return {last_seq64_, static_cast<double>(time64_us_) * 1e-6, gap, restarted};
}

}  // namespace fp::acq
