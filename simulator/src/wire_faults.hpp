#pragma once
// Damages frames on their way to the line, and keeps exact account of which frames (and how many
// samples) a host can no longer decode, so tests can demand the host reports exactly that loss.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <random>

#include "forceplate/simulator/faults.hpp"

namespace fp::sim {

class WireFaults {
 public:
  explicit WireFaults(const FaultConfig& config) : config_(config), rng_(config.seed) {}

  bool any() const {
    return config_.bit_flip_rate > 0 || config_.drop_byte_rate > 0 || config_.truncate_rate > 0;
  }
  // Appends what of one wire frame (delimiter included) reaches the line to `out`.
  void pass(const std::uint8_t* frame, std::size_t size, bool active, std::deque<std::uint8_t>& out,
            FaultStats& stats);

 private:
  bool chance(double p) { return p > 0 && uniform_(rng_) < p; }

  FaultConfig config_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  bool merge_next_ = false;  // the last frame's delimiter was lost: this frame merges with it
};

// Number of samples in an encoded samples frame (0 for any other frame), and its first sequence.
int samples_in_wire_frame(const std::uint8_t* frame, std::size_t size, std::uint32_t* first_sequence = nullptr);

}  // namespace fp::sim
