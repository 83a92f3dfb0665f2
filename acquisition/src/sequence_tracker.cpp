#include "forceplate/acquisition/sequence_tracker.hpp"

#include <algorithm>
#include <cmath>

namespace fp::acq {

const char* gap_kind_name(GapKind kind) {
  switch (kind) {
    case GapKind::none: return "none";
    case GapKind::sequence_jump: return "sequence jump";
    case GapKind::device_restart: return "device restarted (length estimated from the host clock)";
    case GapKind::reconnect: return "device lost and found again (length estimated from the host clock)";
  }
  return "unknown";
}

SequenceTracker::Placed SequenceTracker::start_stretch(std::uint32_t sequence, std::uint32_t time_us,
                                                       double host_time_s, GapKind kind) {
  std::uint64_t gap = 0;
  if (started_) {
    // The host clock is the only witness of how long the break lasted.
    const double elapsed = host_time_s - last_host_s_;
    const double period = rate_hz_ > 0 ? 1.0 / rate_hz_ : 0.0;
    if (period > 0 && elapsed > period) gap = static_cast<std::uint64_t>(std::llround(elapsed / period)) - 1;
    estimated_ += gap;
    last_seq64_ += gap + 1;
    time64_us_ += static_cast<std::uint64_t>(std::llround(std::max(elapsed, period) * 1e6));
  } else {
    last_seq64_ = sequence;
  }
  started_ = true;
  new_stretch_ = false;
  last_seq32_ = sequence;
  last_time32_ = time_us;
  last_host_s_ = host_time_s;
  return {last_seq64_, static_cast<double>(time64_us_) * 1e-6, gap, gap > 0 ? kind : GapKind::none};
}

SequenceTracker::Placed SequenceTracker::place(std::uint32_t sequence, std::uint32_t time_us, double host_time_s) {
  ++seen_;
  if (!started_) return start_stretch(sequence, time_us, host_time_s, GapKind::none);
  if (new_stretch_) return start_stretch(sequence, time_us, host_time_s, GapKind::reconnect);
  const std::uint32_t delta = sequence - last_seq32_;  // modulo 2^32: wrap-around is a step of 1
  if (delta == 0 || delta >= 0x80000000U) {
    // Numbering went back (or repeated): the device restarted.
    ++restarts_;
    return start_stretch(sequence, time_us, host_time_s, GapKind::device_restart);
  }
  const std::uint32_t gap = delta - 1;
  missing_ += gap;
  last_seq64_ += delta;
  time64_us_ += static_cast<std::uint32_t>(time_us - last_time32_);
  last_seq32_ = sequence;
  last_time32_ = time_us;
  last_host_s_ = host_time_s;
  return {last_seq64_, static_cast<double>(time64_us_) * 1e-6, gap, gap > 0 ? GapKind::sequence_jump : GapKind::none};
}

}  // namespace fp::acq
