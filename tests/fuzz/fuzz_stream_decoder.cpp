// libFuzzer target: the stream decoder and every message parser of firmware-protocol/.
//
// Input layout (so that the fuzzer also explores how the byte stream is cut into reads):
//   byte 0           k = byte0 & 7: how many chunk-size bytes follow (0: feed everything at once)
//   bytes 1 … k      chunk sizes, each (value + 1) bytes, used in turn
//   the rest         the byte stream, fed to StreamDecoder::feed in those chunks
//
// Invariants checked (__builtin_trap on violation, so libFuzzer keeps the input):
//   * The decoder agrees exactly with an independent reference written here from
//     docs/protocol.md §2.5 (split at 0x00, COBS, length, CRC, major version): the same frames,
//     in the same order, with the same bytes, whatever the chunking.
//   * The statistics add up: every terminated non-empty run is either delivered or counted in
//     exactly one error counter; bytes_discarded is exactly the size of the runs not delivered;
//     the unterminated tail is pending (or discarded and counted oversize once it exceeds a frame).
//   * Every delivered frame has major version 1 and payload_size <= kMaxPayload.
//   * Every payload is parsed by every parse_* function (with the frame's own type and with each
//     message type forced); whatever parses is re-encoded, decoded again and parsed again, and must
//     give the same values (parse ∘ encode ∘ parse = parse).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "forceplate/protocol/cobs.hpp"
#include "forceplate/protocol/crc32.hpp"
#include "forceplate/protocol/frame.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace {

using namespace fp::protocol;
using Bytes = std::vector<std::uint8_t>;

#define FP_CHECK(cond)          \
  do {                          \
    if (!(cond)) __builtin_trap(); \
  } while (0)

// ---------------------------------------------------------------- reference decoder (spec §2.5)

std::uint32_t ref_crc32(const std::uint8_t* p, std::size_t n) {  // the byte-wise C of §2.2
  std::uint32_t crc = 0xFFFFFFFFU;
  while (n--) {
    crc ^= *p++;
    for (int k = 0; k < 8; k++) crc = (crc & 1U) ? (crc >> 1) ^ 0xEDB88320U : crc >> 1;
  }
  return ~crc;
}

// COBS decoding as described in §2.3; false on a code that runs past the end.
bool ref_cobs_decode(const std::uint8_t* in, std::size_t n, Bytes& out) {
  out.clear();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t code = in[i++];
    if (code == 0) return false;  // cannot happen: runs are split at zeros
    if (i + (code - 1) > n) return false;
    out.insert(out.end(), in + i, in + i + (code - 1));
    i += code - 1;
    if (code != 0xFF && i < n) out.push_back(0);
  }
  return true;
}

struct RefFrame {
  std::uint8_t major, minor, type;
  Bytes payload;
};

struct RefResult {
  std::vector<RefFrame> frames;
  DecoderStats stats{};
  std::size_t pending = 0;
  std::size_t delivered_bytes = 0;  // encoded bytes of the runs delivered as frames
};

RefResult reference_decode(const std::uint8_t* data, std::size_t size) {
  RefResult r;
  Bytes raw;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= size; ++i) {
    if (i < size && data[i] != 0) continue;
    const std::size_t n = i - start;
    const std::uint8_t* run = data + start;
    start = i + 1;
    if (i == size) {  // unterminated tail
      if (n > kMaxEncodedFrame) {
        ++r.stats.oversize_frames;
        r.stats.bytes_discarded += n;
      } else {
        r.pending = n;
      }
      break;
    }
    if (n == 0) continue;
    if (n > kMaxEncodedFrame) {
      ++r.stats.oversize_frames;
      r.stats.bytes_discarded += n;
      continue;
    }
    bool ok = ref_cobs_decode(run, n, raw) && raw.size() >= 8;
    std::size_t len = 0;
    if (ok) {
      len = static_cast<std::size_t>(raw[2]) | (static_cast<std::size_t>(raw[3]) << 8);
      ok = len <= 1024 && 4 + len + 4 == raw.size();
    }
    if (!ok) {
      ++r.stats.framing_errors;
      r.stats.bytes_discarded += n;
      continue;
    }
    const std::uint32_t want = static_cast<std::uint32_t>(raw[4 + len]) |
                               static_cast<std::uint32_t>(raw[5 + len]) << 8 |
                               static_cast<std::uint32_t>(raw[6 + len]) << 16 |
                               static_cast<std::uint32_t>(raw[7 + len]) << 24;
    if (ref_crc32(raw.data(), 4 + len) != want) {
      ++r.stats.crc_errors;
      r.stats.bytes_discarded += n;
      continue;
    }
    if ((raw[0] >> 4) != 1) {
      ++r.stats.version_mismatches;
      r.stats.bytes_discarded += n;
      continue;
    }
    ++r.stats.frames;
    r.delivered_bytes += n;
    r.frames.push_back(RefFrame{static_cast<std::uint8_t>(raw[0] >> 4),
                                static_cast<std::uint8_t>(raw[0] & 0x0F), raw[1],
                                Bytes(raw.begin() + 4, raw.begin() + 4 + static_cast<long>(len))});
  }
  return r;
}

// ---------------------------------------------------------------- parse / re-encode round trips

bool same_f32(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }  // NaN-safe

// Decodes a wire frame the library encoded: exactly one frame, no error.
template <class Check>
void decode_one(const std::uint8_t* wire, std::size_t n, Check&& check) {
  FP_CHECK(n > 0 && n <= kMaxWireFrame && wire[n - 1] == 0);
  StreamDecoder dec;
  int frames = 0;
  dec.feed(wire, n, [&](const FrameView& f) {
    ++frames;
    check(f);
  });
  const DecoderStats& s = dec.stats();
  FP_CHECK(frames == 1 && s.frames == 1 && s.bytes_discarded == 0 && dec.pending_bytes() == 0);
}

void check_device_info(const FrameView& f) {
  DeviceInfoMsg a;
  if (!parse_device_info(f, a)) return;
  FP_CHECK(a.plate_count >= 1 && a.plate_count <= kMaxPlates && a.cells_per_plate == kCellsPerPlate);
  FP_CHECK(std::strlen(a.firmware_version) <= kTextSize && std::strlen(a.serial) <= kTextSize);
  std::uint8_t wire[kMaxWireFrame];
  const std::size_t n = encode_device_info(a, wire, sizeof wire);
  decode_one(wire, n, [&](const FrameView& g) {
    DeviceInfoMsg b;
    FP_CHECK(parse_device_info(g, b));
    FP_CHECK(a.protocol_major == b.protocol_major && a.protocol_minor == b.protocol_minor);
    FP_CHECK(std::strcmp(a.firmware_version, b.firmware_version) == 0);
    FP_CHECK(std::strcmp(a.serial, b.serial) == 0);
    FP_CHECK(a.plate_count == b.plate_count && a.cells_per_plate == b.cells_per_plate);
    FP_CHECK(a.adc_bits == b.adc_bits && a.nominal_rate_hz == b.nominal_rate_hz);
    FP_CHECK(a.current_rate_hz == b.current_rate_hz);
    FP_CHECK(a.calibration_unix_time == b.calibration_unix_time);
    for (int k = 0; k < a.plate_count; ++k) {
      FP_CHECK(same_f32(a.plate_width_mm[k], b.plate_width_mm[k]));
      FP_CHECK(same_f32(a.plate_length_mm[k], b.plate_length_mm[k]));
    }
    for (int c = 0; c < a.plate_count * a.cells_per_plate; ++c) {
      FP_CHECK(same_f32(a.cells[c].x_mm, b.cells[c].x_mm));
      FP_CHECK(same_f32(a.cells[c].y_mm, b.cells[c].y_mm));
      FP_CHECK(same_f32(a.cells[c].gain_n_per_count, b.cells[c].gain_n_per_count));
      FP_CHECK(a.cells[c].offset_counts == b.cells[c].offset_counts);
    }
  });
}

void check_samples(const FrameView& f) {
  SampleBlockMsg a;
  if (!parse_samples(f, a)) return;
  FP_CHECK(a.sample_count >= 1 && a.sample_count <= kMaxSamplesPerFrame);
  FP_CHECK(a.cell_count >= 1 && a.cell_count <= kMaxCells);
  FP_CHECK(f.payload_size >= kSamplesHeaderSize + a.sample_count * sample_record_size(a.cell_count));
  std::uint8_t wire[kMaxWireFrame];
  const std::size_t n = encode_samples(a, wire, sizeof wire);
  decode_one(wire, n, [&](const FrameView& g) {
    SampleBlockMsg b;
    FP_CHECK(parse_samples(g, b));
    FP_CHECK(g.payload_size == kSamplesHeaderSize + a.sample_count * sample_record_size(a.cell_count));
    FP_CHECK(a.first_sequence == b.first_sequence && a.sample_count == b.sample_count &&
             a.cell_count == b.cell_count);
    for (int s = 0; s < a.sample_count; ++s) {
      FP_CHECK(a.time_us[s] == b.time_us[s]);
      for (int c = 0; c < a.cell_count; ++c) FP_CHECK(a.counts[s][c] == b.counts[s][c]);
    }
  });
}

void check_status(const FrameView& f) {
  StatusMsg a;
  if (!parse_status(f, a)) return;
  std::uint8_t wire[kMaxWireFrame];
  const std::size_t n = encode_status(a, wire, sizeof wire);
  decode_one(wire, n, [&](const FrameView& g) {
    StatusMsg b;
    FP_CHECK(parse_status(g, b));
    FP_CHECK(g.payload_size == kStatusSize);
    FP_CHECK(a.code == b.code && a.sequence == b.sequence && a.dropped == b.dropped);
  });
}

void check_reply(const FrameView& f) {
  ReplyMsg a;
  if (!parse_reply(f, a)) return;
  FP_CHECK(std::strlen(a.text) <= static_cast<std::size_t>(kMaxReplyText));
  std::uint8_t wire[kMaxWireFrame];
  const std::size_t n = encode_reply(a, wire, sizeof wire);
  decode_one(wire, n, [&](const FrameView& g) {
    ReplyMsg b;
    FP_CHECK(parse_reply(g, b));
    FP_CHECK(a.request_id == b.request_id && a.command == b.command && a.result == b.result &&
             a.reason == b.reason);
    // The text is ASCII without terminator; bytes after an embedded NUL cannot survive a
    // C-string round trip, so compare as C strings.
    FP_CHECK(std::strcmp(a.text, b.text) == 0);
  });
}

void check_command(const FrameView& f) {
  CommandMsg a;
  if (!parse_command(f, a)) return;
  FP_CHECK(static_cast<std::uint8_t>(a.type) >= 0x10 && is_known_frame_type(f.type));
  FP_CHECK(a.type == FrameType::set_rate || a.rate_hz == 0);
  std::uint8_t wire[kMaxWireFrame];
  const std::size_t n = encode_command(a, wire, sizeof wire);
  decode_one(wire, n, [&](const FrameView& g) {
    CommandMsg b;
    FP_CHECK(parse_command(g, b));
    FP_CHECK(a.type == b.type && a.request_id == b.request_id && a.rate_hz == b.rate_hz);
  });
}

void check_all_parsers(const FrameView& f) {
  check_device_info(f);
  check_samples(f);
  check_status(f);
  check_reply(f);
  check_command(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t k = data[0] & 7U;
  if (k > size - 1) k = size - 1;
  const std::uint8_t* sizes = data + 1;
  const std::uint8_t* stream = data + 1 + k;
  const std::size_t stream_size = size - 1 - k;

  const RefResult ref = reference_decode(stream, stream_size);

  StreamDecoder dec;
  std::size_t delivered = 0;
  std::size_t at = 0;
  std::size_t chunk_index = 0;
  while (at < stream_size) {
    std::size_t n = k == 0 ? stream_size : static_cast<std::size_t>(sizes[chunk_index++ % k]) + 1;
    if (n > stream_size - at) n = stream_size - at;
    dec.feed(stream + at, n, [&](const FrameView& f) {
      FP_CHECK(f.version_major == kVersionMajor);
      FP_CHECK(f.version_minor <= 0x0F);
      FP_CHECK(f.payload_size <= kMaxPayload);
      FP_CHECK(delivered < ref.frames.size());
      const RefFrame& want = ref.frames[delivered++];
      FP_CHECK(f.version_minor == want.minor && f.type == want.type);
      FP_CHECK(f.payload_size == want.payload.size());
      FP_CHECK(f.payload_size == 0 || std::memcmp(f.payload, want.payload.data(), f.payload_size) == 0);

      check_all_parsers(f);
      // Every parser also gets these payload bytes under its own frame type.
      static constexpr FrameType kTypes[] = {
          FrameType::device_info, FrameType::samples, FrameType::status, FrameType::reply,
          FrameType::get_info,    FrameType::start,   FrameType::stop,   FrameType::set_rate,
          FrameType::tare,        FrameType::ping};
      for (FrameType t : kTypes) {
        FrameView g = f;
        g.type = static_cast<std::uint8_t>(t);
        check_all_parsers(g);
      }
    });
    at += n;
  }

  const DecoderStats& s = dec.stats();
  FP_CHECK(delivered == ref.frames.size());
  FP_CHECK(s.frames == ref.stats.frames);
  FP_CHECK(s.crc_errors == ref.stats.crc_errors);
  FP_CHECK(s.framing_errors == ref.stats.framing_errors);
  FP_CHECK(s.oversize_frames == ref.stats.oversize_frames);
  FP_CHECK(s.version_mismatches == ref.stats.version_mismatches);
  FP_CHECK(s.bytes_discarded == ref.stats.bytes_discarded);
  FP_CHECK(dec.pending_bytes() == ref.pending);

  // Conservation of bytes: every byte fed is a delimiter, part of a delivered run, discarded or
  // pending.
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < stream_size; ++i) zeros += stream[i] == 0 ? 1U : 0U;
  const std::size_t accounted = zeros + static_cast<std::size_t>(s.bytes_discarded) + dec.pending_bytes();
  FP_CHECK(accounted <= stream_size);
  const std::size_t delivered_run_bytes = stream_size - accounted;
  FP_CHECK(delivered_run_bytes == ref.delivered_bytes);
  // A delivered frame occupies at least the COBS encoding of 8 raw bytes (9 bytes) and at most
  // one maximal encoded frame.
  FP_CHECK(delivered_run_bytes >= 9 * s.frames);
  FP_CHECK(delivered_run_bytes <= kMaxEncodedFrame * s.frames);

  // Every terminated non-empty run (plus an oversize tail) is delivered or counted exactly once.
  std::uint64_t runs = 0;
  {
    std::size_t len = 0;
    for (std::size_t i = 0; i < stream_size; ++i) {
      if (stream[i] == 0) {
        if (len > 0) ++runs;
        len = 0;
      } else {
        ++len;
      }
    }
    if (len > kMaxEncodedFrame) ++runs;
  }
  FP_CHECK(s.frames + s.crc_errors + s.framing_errors + s.oversize_frames + s.version_mismatches ==
           runs);
  return 0;
}
