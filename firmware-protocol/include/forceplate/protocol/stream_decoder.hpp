#pragma once
// Streaming frame decoder: bytes in any chunking -> validated frames out. No heap; one fixed
// buffer of one maximal frame. After any corruption it resynchronises at the next 0x00.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "forceplate/protocol/cobs.hpp"
#include "forceplate/protocol/crc32.hpp"
#include "forceplate/protocol/frame.hpp"

namespace fp::protocol {

struct DecoderStats {
  std::uint64_t frames = 0;             // frames delivered
  std::uint64_t crc_errors = 0;         // well-formed COBS, wrong CRC
  std::uint64_t framing_errors = 0;     // bad COBS, too short, length field disagrees or > kMaxPayload
  std::uint64_t oversize_frames = 0;    // no delimiter within one maximal frame
  std::uint64_t version_mismatches = 0; // another major protocol version
  std::uint64_t bytes_discarded = 0;    // bytes of every frame that was not delivered
};

class StreamDecoder {
 public:
  // Calls on_frame(const FrameView&) for every valid frame in `data`. Frames split across calls
  // are reassembled.
  template <class OnFrame>
  void feed(const std::uint8_t* data, std::size_t size, OnFrame&& on_frame) {
    while (size > 0) {
      const auto* zero = static_cast<const std::uint8_t*>(std::memchr(data, kDelimiter, size));
      const std::size_t run = zero ? static_cast<std::size_t>(zero - data) : size;
      if (zero && pending_ == 0 && !overflow_) {
        finish(data, run, on_frame);  // whole frame inside this chunk: decode without copying
      } else {
        append(data, run);
        if (zero) {
          if (!overflow_) finish(buffer_, pending_, on_frame);
          pending_ = 0;
          overflow_ = false;
        }
      }
      const std::size_t used = zero ? run + 1 : run;
      data += used;
      size -= used;
    }
  }

  // Forget a partial frame (e.g. after the port was reopened).
  void reset() {
    stats_.bytes_discarded += pending_;
    pending_ = 0;
    overflow_ = false;
  }

  const DecoderStats& stats() const { return stats_; }
  std::size_t pending_bytes() const { return pending_; }

 private:
  void append(const std::uint8_t* data, std::size_t n) {
    if (overflow_) {
      stats_.bytes_discarded += n;
      return;
    }
    if (pending_ + n > kMaxEncodedFrame) {
      ++stats_.oversize_frames;
      stats_.bytes_discarded += pending_ + n;
      pending_ = 0;
      overflow_ = true;
      return;
    }
    std::memcpy(buffer_ + pending_, data, n);
    pending_ += n;
  }

  template <class OnFrame>
  void finish(const std::uint8_t* encoded, std::size_t n, OnFrame& on_frame) {
    if (n == 0) return;  // back-to-back delimiters are idle/resync bytes, not errors
    if (n > kMaxEncodedFrame) {
      ++stats_.oversize_frames;
      stats_.bytes_discarded += n;
      return;
    }
    const long raw_len = cobs_decode(encoded, n, raw_, sizeof raw_);
    if (raw_len < static_cast<long>(kHeaderSize + kCrcSize)) {
      ++stats_.framing_errors;
      stats_.bytes_discarded += n;
      return;
    }
    const auto len = static_cast<std::size_t>(raw_len);
    const std::size_t payload = static_cast<std::size_t>(raw_[2]) | (static_cast<std::size_t>(raw_[3]) << 8);
    if (payload > kMaxPayload || payload + kHeaderSize + kCrcSize != len) {
      ++stats_.framing_errors;
      stats_.bytes_discarded += n;
      return;
    }
    const std::size_t body = kHeaderSize + payload;
    const std::uint32_t want = static_cast<std::uint32_t>(raw_[body]) |
                               (static_cast<std::uint32_t>(raw_[body + 1]) << 8) |
                               (static_cast<std::uint32_t>(raw_[body + 2]) << 16) |
                               (static_cast<std::uint32_t>(raw_[body + 3]) << 24);
    if (crc32(raw_, body) != want) {
      ++stats_.crc_errors;
      stats_.bytes_discarded += n;
      return;
    }
    const std::uint8_t major = raw_[0] >> 4;
    if (major != kVersionMajor) {
      ++stats_.version_mismatches;
      stats_.bytes_discarded += n;
      return;
    }
    ++stats_.frames;
    const FrameView view{major, static_cast<std::uint8_t>(raw_[0] & 0x0FU), raw_[1],
                         raw_ + kHeaderSize, payload};
    on_frame(view);
  }

  std::uint8_t buffer_[kMaxEncodedFrame];
  std::uint8_t raw_[kMaxEncodedFrame];
  std::size_t pending_ = 0;
  bool overflow_ = false;
  DecoderStats stats_{};
};

}  // namespace fp::protocol
