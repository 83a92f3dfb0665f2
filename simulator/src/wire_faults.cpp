#include "wire_faults.hpp"

#include "forceplate/protocol/cobs.hpp"
#include "forceplate/protocol/frame.hpp"
#include "forceplate/protocol/messages.hpp"

namespace fp::sim {

int samples_in_wire_frame(const std::uint8_t* frame, std::size_t size, std::uint32_t* first_sequence) {
  std::uint8_t raw[protocol::kMaxEncodedFrame];
  if (size < 2) return 0;
  const long n = protocol::cobs_decode(frame, size - 1, raw, sizeof raw);
  if (n < static_cast<long>(protocol::kHeaderSize + protocol::kSamplesHeaderSize)) return 0;
  if (raw[1] != static_cast<std::uint8_t>(protocol::FrameType::samples)) return 0;
  const std::uint8_t* p = raw + protocol::kHeaderSize;
  if (first_sequence) *first_sequence = static_cast<std::uint32_t>(p[0] | (p[1] << 8) | (p[2] << 16)) | (static_cast<std::uint32_t>(p[3]) << 24);
  return p[4];
}

void WireFaults::pass(const std::uint8_t* frame, std::size_t size, bool active,
                      std::deque<std::uint8_t>& out, FaultStats& stats) {
  bool damaged = merge_next_;
  merge_next_ = false;
  if (active && size > 1 && chance(config_.truncate_rate)) {
    // Cut short: the tail, delimiter included, is lost, so the next frame merges with this one.
    const auto keep = 1 + static_cast<std::size_t>(uniform_(rng_) * static_cast<double>(size - 2));
    out.insert(out.end(), frame, frame + keep);
    ++stats.frames_truncated;
    damaged = true;
    merge_next_ = true;
  } else {
    for (std::size_t i = 0; i < size; ++i) {
      std::uint8_t b = frame[i];
      const bool last = i + 1 == size;
      if (active && chance(config_.drop_byte_rate)) {
        ++stats.bytes_dropped;
        damaged = true;
        merge_next_ = merge_next_ || last;
        continue;
      }
      if (active && chance(config_.bit_flip_rate)) {
        b = static_cast<std::uint8_t>(b ^ (1U << (rng_() % 8)));
        ++stats.bits_flipped;
        damaged = true;
        merge_next_ = merge_next_ || last;
      }
      out.push_back(b);
    }
  }
  if (damaged) {
    ++stats.frames_damaged;
    stats.samples_in_damaged_frames += static_cast<std::uint64_t>(samples_in_wire_frame(frame, size));
  }
}

}  // namespace fp::sim
