#pragma once
// Helpers shared by the protocol tests. Everything here that defines the wire format (the
// reference COBS encoder, the hand-built frames, the little-endian readers) is written from
// docs/protocol.md and the published COBS description, NOT by calling the library, so the tests
// compare the library against an independent reading of the specification.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "forceplate/protocol/cobs.hpp"
#include "forceplate/protocol/crc32.hpp"
#include "forceplate/protocol/frame.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

#ifdef FP_TEST_HAVE_ZLIB
#include <zlib.h>
#endif

namespace fp::protocol::test {

using Bytes = std::vector<std::uint8_t>;

inline std::string hex(const Bytes& b) {
  std::string s;
  char buf[4];
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02X", static_cast<unsigned>(b[i]));
    if (i > 0) s += ' ';
    s += buf;
  }
  return s;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// ---- Little-endian helpers written from the spec (not forceplate/protocol/byte_order.hpp) ----
inline void push_u16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v & 0xFF));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
inline void push_u32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
}
inline std::uint16_t rd_u16(const Bytes& b, std::size_t at) {
  return static_cast<std::uint16_t>(b.at(at) | (b.at(at + 1) << 8));
}
inline std::uint32_t rd_u32(const Bytes& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | b.at(at + static_cast<std::size_t>(i));
  return v;
}
inline std::int32_t rd_i32(const Bytes& b, std::size_t at) {
  return static_cast<std::int32_t>(rd_u32(b, at));
}
inline std::uint32_t float_bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// CRC used to build frames by hand: zlib's own crc32 when available (the definition of the
// protocol's CRC), the library's otherwise (itself checked against known answers in crc32_test).
inline std::uint32_t reference_crc32(const Bytes& b) {
#ifdef FP_TEST_HAVE_ZLIB
  return static_cast<std::uint32_t>(
      ::crc32(::crc32(0L, Z_NULL, 0), b.data(), static_cast<uInt>(b.size())));
#else
  return fp::protocol::crc32(b.data(), b.size());
#endif
}

// COBS encoder written from the published description (Cheshire & Baker 1999; the canonical form
// of the Wikipedia examples and of Craig McQueen's reference implementation): the data is cut
// after every zero and after every 254 non-zero bytes; each block is sent as (length + 1) followed
// by its non-zero bytes; a final block of exactly 254 non-zero bytes is not followed by a code.
inline Bytes reference_cobs_encode(const Bytes& in) {
  Bytes out;
  std::size_t i = 0;
  for (;;) {
    const std::size_t start = i;
    while (i < in.size() && in[i] != 0 && i - start < 254) ++i;
    const std::size_t len = i - start;
    out.push_back(static_cast<std::uint8_t>(len + 1));
    out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(start),
               in.begin() + static_cast<std::ptrdiff_t>(i));
    if (i == in.size()) break;  // the data ends inside or exactly at the end of this block
    if (len == 254) continue;   // a full block stands for no zero; the next starts right here
    ++i;                        // the zero that ended this block
  }
  return out;
}

// A wire frame built by hand from the documented layout: [version][type][len u16 LE][payload]
// [CRC-32 LE over the preceding bytes], COBS-encoded, then 0x00.
struct HandFrameOptions {
  std::optional<std::uint16_t> length_field;  // lie about the payload length
  std::uint32_t crc_xor = 0;                  // spoil the CRC
};
inline Bytes hand_raw_frame(std::uint8_t version_byte, std::uint8_t type, const Bytes& payload,
                            const HandFrameOptions& opt = {}) {
  Bytes raw;
  raw.push_back(version_byte);
  raw.push_back(type);
  push_u16(raw, opt.length_field ? *opt.length_field : static_cast<std::uint16_t>(payload.size()));
  raw.insert(raw.end(), payload.begin(), payload.end());
  push_u32(raw, reference_crc32(raw) ^ opt.crc_xor);
  return raw;
}
inline Bytes hand_frame(std::uint8_t version_byte, std::uint8_t type, const Bytes& payload,
                        const HandFrameOptions& opt = {}) {
  Bytes wire = reference_cobs_encode(hand_raw_frame(version_byte, type, payload, opt));
  wire.push_back(0x00);
  return wire;
}

// ---- Library encoders into byte vectors ----
template <class Msg, class Encoder>
Bytes encode_with(const Msg& m, Encoder enc) {
  std::uint8_t buf[kMaxWireFrame];
  const std::size_t n = enc(m, buf, sizeof buf);
  return Bytes(buf, buf + n);
}
inline Bytes wire_of(const SampleBlockMsg& m) { return encode_with(m, encode_samples); }
inline Bytes wire_of(const DeviceInfoMsg& m) { return encode_with(m, encode_device_info); }
inline Bytes wire_of(const StatusMsg& m) { return encode_with(m, encode_status); }
inline Bytes wire_of(const ReplyMsg& m) { return encode_with(m, encode_reply); }
inline Bytes wire_of(const CommandMsg& m) { return encode_with(m, encode_command); }

// ---- Decoding helpers ----
struct Decoded {
  std::uint8_t major = 0;
  std::uint8_t minor = 0;
  std::uint8_t type = 0;
  Bytes payload;
  bool operator==(const Decoded&) const = default;
  FrameView view() const { return FrameView{major, minor, type, payload.data(), payload.size()}; }
};

inline void PrintTo(const Decoded& d, std::ostream* os) {
  *os << "{v" << int{d.major} << "." << int{d.minor} << " type 0x" << std::hex << int{d.type}
      << std::dec << " payload[" << d.payload.size() << "]}";
}

struct DecodeResult {
  std::vector<Decoded> frames;
  DecoderStats stats;
  std::size_t pending = 0;
};

inline std::string describe(const DecoderStats& s) {
  return "frames=" + std::to_string(s.frames) + " crc=" + std::to_string(s.crc_errors) +
         " framing=" + std::to_string(s.framing_errors) +
         " oversize=" + std::to_string(s.oversize_frames) +
         " version=" + std::to_string(s.version_mismatches) +
         " discarded=" + std::to_string(s.bytes_discarded);
}

// Feeds `stream` in the given chunk sizes (cycled; the last chunk may be shorter).
inline DecodeResult decode_in_chunks(const Bytes& stream, const std::vector<std::size_t>& chunks) {
  DecodeResult r;
  StreamDecoder dec;
  std::size_t at = 0;
  std::size_t k = 0;
  while (at < stream.size()) {
    std::size_t n = chunks.empty() ? stream.size() : chunks[k++ % chunks.size()];
    if (n == 0) n = 1;
    if (n > stream.size() - at) n = stream.size() - at;
    dec.feed(stream.data() + at, n, [&](const FrameView& f) {
      r.frames.push_back(Decoded{f.version_major, f.version_minor, f.type,
                                 Bytes(f.payload, f.payload + f.payload_size)});
    });
    at += n;
  }
  r.stats = dec.stats();
  r.pending = dec.pending_bytes();
  return r;
}
inline DecodeResult decode_whole(const Bytes& stream) { return decode_in_chunks(stream, {}); }
inline DecodeResult decode_bytewise(const Bytes& stream) { return decode_in_chunks(stream, {1}); }
inline DecodeResult decode_random_chunks(const Bytes& stream, std::uint32_t seed,
                                         std::size_t max_chunk) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> len(1, max_chunk);
  std::vector<std::size_t> chunks;
  std::size_t total = 0;
  while (total < stream.size()) {
    chunks.push_back(len(rng));
    total += chunks.back();
  }
  return decode_in_chunks(stream, chunks);
}

// ---- Sample blocks ----
inline bool same_samples(const SampleBlockMsg& a, const SampleBlockMsg& b) {
  if (a.first_sequence != b.first_sequence || a.sample_count != b.sample_count ||
      a.cell_count != b.cell_count) {
    return false;
  }
  for (int s = 0; s < a.sample_count; ++s) {
    if (a.time_us[s] != b.time_us[s]) return false;
    for (int c = 0; c < a.cell_count; ++c) {
      if (a.counts[s][c] != b.counts[s][c]) return false;
    }
  }
  return true;
}

inline SampleBlockMsg make_block(std::uint32_t first_sequence, int samples, int cells,
                                 std::uint32_t seed) {
  std::mt19937 rng(seed);
  SampleBlockMsg m;
  m.first_sequence = first_sequence;
  m.sample_count = static_cast<std::uint8_t>(samples);
  m.cell_count = static_cast<std::uint8_t>(cells);
  for (int s = 0; s < samples; ++s) {
    m.time_us[s] = static_cast<std::uint32_t>(rng());
    for (int c = 0; c < cells; ++c) m.counts[s][c] = static_cast<std::int32_t>(rng());
  }
  return m;
}

inline SampleBlockMsg parsed_samples(const Decoded& d) {
  SampleBlockMsg m;
  EXPECT_TRUE(parse_samples(d.view(), m));
  return m;
}

}  // namespace fp::protocol::test
