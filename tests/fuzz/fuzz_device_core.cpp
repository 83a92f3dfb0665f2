// libFuzzer target: the reference firmware core (fp::firmware::DeviceCore) driven by a script the
// fuzzer writes: host bytes (commands and line noise), clock steps and stalls, a serial line that
// refuses frames, ADC faults. The host side decodes everything the device sends and checks
// (__builtin_trap on violation):
//   * the device never sends a damaged frame (the decoder counts no error of any kind);
//   * every intact command gets exactly one reply, at once, with its request id and type, and the
//     result the protocol prescribes (set_rate refused while streaming or out of range, …);
//   * sequence accounting is exact and in order: every frame that carries sequence numbers (samples,
//     adc_fault, overrun) starts exactly where the previous one ended, so every slot is either
//     delivered or reported lost exactly once, and a report always precedes later samples;
//   * time stamps stay on the schedule: within a streaming session, sample s is at
//     start + floor((s - s0 + 1) * 1e6 / rate) µs (mod 2^32);
//   * at the end (line free, start + stop) nothing is left unaccounted and the dropped counts add up
//     to samples_dropped().
//
// Script: a sequence of operations, each an opcode byte followed by its arguments (missing bytes
// read as 0):
//   0 n b…   line noise: n bytes, then the 0x00 a host sends to resynchronise
//   1 t i i r r  a command: type index t (get_info, start, stop, set_rate, tare, ping, unknown),
//                request id, rate; delivered in two pieces split by i
//   2 d d    the clock advances d µs (0 … 65535), then tick()
//   3 m      the serial line: 0 takes everything, 1 refuses everything, 2 refuses sample frames,
//            3 refuses status frames, 4 refuses every other frame
//   4 k      the ADC fails at its k-th next conversion
//   5 d d d  the main loop stalls d µs (up to 16.7 s), then tick()
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "forceplate/firmware/device_core.hpp"
#include "forceplate/firmware/hardware.hpp"
#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace {

using namespace fp;
using protocol::FrameType;

#define FP_CHECK(cond)             \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

struct Script {
  const std::uint8_t* p;
  std::size_t n;
  std::size_t at = 0;
  bool done() const { return at >= n; }
  std::uint8_t u8() { return at < n ? p[at++] : 0; }
  std::uint16_t u16() {
    const std::uint16_t lo = u8();
    return static_cast<std::uint16_t>(lo | (u8() << 8));
  }
};

// The host: decodes what the device sends and keeps the books.
struct Host {
  protocol::StreamDecoder decoder;
  std::uint32_t accounted_upto = 0;  // every sequence number below is delivered or reported
  std::uint64_t reported_dropped = 0;
  int replies = 0;
  protocol::ReplyMsg last_reply{};
  int infos = 0;
  bool booted = false;
  // The streaming session the samples belong to.
  bool in_session = false;
  std::uint32_t session_t0 = 0;
  std::uint32_t session_s0 = 0;
  std::uint16_t session_rate = 0;

  void on_frame(const protocol::FrameView& f) {
    switch (static_cast<FrameType>(f.type)) {
      case FrameType::status: {
        protocol::StatusMsg st;
        FP_CHECK(protocol::parse_status(f, st));
        if (st.code == protocol::StatusCode::boot) {
          FP_CHECK(!booted && st.sequence == 0 && st.dropped == 0);
          booted = true;
          return;
        }
        FP_CHECK(booted);
        FP_CHECK(st.code == protocol::StatusCode::adc_fault || st.code == protocol::StatusCode::overrun);
        if (st.code == protocol::StatusCode::adc_fault) FP_CHECK(st.dropped == 1);
        FP_CHECK(st.dropped >= 1);
        FP_CHECK(st.sequence == accounted_upto);  // in order, nothing skipped or repeated
        accounted_upto += st.dropped;
        reported_dropped += st.dropped;
        return;
      }
      case FrameType::samples: {
        protocol::SampleBlockMsg b;
        FP_CHECK(protocol::parse_samples(f, b));
        FP_CHECK(booted && in_session);
        FP_CHECK(b.first_sequence == accounted_upto);
        FP_CHECK(b.cell_count == 8);
        for (int s = 0; s < b.sample_count; ++s) {
          const std::uint64_t k = b.first_sequence + static_cast<std::uint32_t>(s) - session_s0;
          const auto want = static_cast<std::uint32_t>(session_t0 + (k + 1) * 1000000U / session_rate);
          FP_CHECK(b.time_us[s] == want);
        }
        accounted_upto += b.sample_count;
        return;
      }
      case FrameType::reply:
        FP_CHECK(protocol::parse_reply(f, last_reply));
        ++replies;
        return;
      case FrameType::device_info: {
        protocol::DeviceInfoMsg m;
        FP_CHECK(protocol::parse_device_info(f, m));
        FP_CHECK(m.plate_count == 2 && m.nominal_rate_hz == 1000);
        ++infos;
        return;
      }
      default:
        FP_CHECK(false);  // the device sends nothing else
    }
  }
};

class Board : public firmware::Hardware {
 public:
  explicit Board(Host& host) : host_(host) {}
  std::uint32_t now = 0x7FFFF000U;
  int line_mode = 0;
  std::uint32_t fault_in = 0;  // fail the conversion after this many more (0: none scheduled)
  std::uint64_t writes = 0;

  std::uint32_t micros() override { return now; }
  bool read_cells(std::int32_t* counts, int cell_count) override {
    FP_CHECK(cell_count == 8);
    if (fault_in > 0 && --fault_in == 0) return false;
    for (int c = 0; c < cell_count; ++c) counts[c] = static_cast<std::int32_t>(now - static_cast<std::uint32_t>(c));
    return true;
  }
  bool write_frame(const std::uint8_t* bytes, std::size_t size) override {
    FP_CHECK(size > 0 && size <= protocol::kMaxWireFrame && bytes[size - 1] == 0);
    const bool is_status = size > 2 && peek_type(bytes, size) == static_cast<std::uint8_t>(FrameType::status);
    const bool is_samples = size > 2 && peek_type(bytes, size) == static_cast<std::uint8_t>(FrameType::samples);
    bool refuse = false;
    switch (line_mode) {
      case 1: refuse = true; break;
      case 2: refuse = is_samples; break;
      case 3: refuse = is_status; break;
      case 4: refuse = (writes & 1U) != 0; break;
      default: break;
    }
    ++writes;
    if (refuse) return false;
    host_.decoder.feed(bytes, size, [&](const protocol::FrameView& f) { host_.on_frame(f); });
    return true;
  }
  bool supports_rate(std::uint16_t) override { return true; }
  void set_rate(std::uint16_t) override {}

 private:
  static std::uint8_t peek_type(const std::uint8_t* bytes, std::size_t size) {
    std::uint8_t raw[protocol::kMaxEncodedFrame];
    const long n = protocol::cobs_decode(bytes, size - 1, raw, sizeof raw);
    return n >= 2 ? raw[1] : 0;
  }
  Host& host_;
};

protocol::DeviceInfoMsg make_info() {
  protocol::DeviceInfoMsg m;
  std::strcpy(m.serial, "FUZZ");
  m.plate_count = 2;
  m.nominal_rate_hz = 1000;
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Host host;
  Board board(host);
  firmware::DeviceConfig cfg;
  cfg.info = make_info();
  firmware::DeviceCore core(board, cfg);
  core.begin();
  FP_CHECK(host.booted);
  std::uint16_t rate = 1000;

  const auto send = [&](FrameType type, std::uint16_t id, std::uint16_t rate_hz, std::size_t split,
                        bool raw_type, std::uint8_t raw) {
    std::uint8_t wire[protocol::kMaxWireFrame];
    std::size_t n = 0;
    if (raw_type) {
      const std::uint8_t payload[2] = {static_cast<std::uint8_t>(id), static_cast<std::uint8_t>(id >> 8)};
      n = protocol::encode_frame(static_cast<FrameType>(raw), payload, 2, wire, sizeof wire);
    } else {
      protocol::CommandMsg c;
      c.type = type;
      c.request_id = id;
      c.rate_hz = rate_hz;
      n = protocol::encode_command(c, wire, sizeof wire);
    }
    FP_CHECK(n > 0);
    split %= n + 1;
    core.on_bytes(wire, split);
    core.on_bytes(wire + split, n - split);
  };

  Script s{data, size};
  int ops = 0;
  while (!s.done() && ops++ < 2000) {
    switch (s.u8() % 6) {
      case 0: {  // line noise, then a resynchronising delimiter
        const std::size_t n = s.u8();
        const std::size_t avail = s.n - s.at < n ? s.n - s.at : n;
        core.on_bytes(s.p + s.at, avail);
        s.at += avail;
        const std::uint8_t zero = 0;
        core.on_bytes(&zero, 1);
        break;
      }
      case 1: {  // one command, checked against the protocol
        static constexpr FrameType kTypes[] = {FrameType::get_info, FrameType::start, FrameType::stop,
                                               FrameType::set_rate, FrameType::tare,  FrameType::ping};
        const std::uint8_t t = s.u8() % 7;
        const std::size_t split = s.u8();
        const std::uint16_t id = s.u16();
        const std::uint16_t r = s.u16();
        const bool was_streaming = core.streaming();
        const int replies_before = host.replies;
        const int infos_before = host.infos;
        const std::uint32_t now = board.now;
        const std::uint32_t seq = core.next_sequence();
        const std::uint32_t fault_before = board.fault_in;
        // Replies and device_info can only be checked when the line takes them.
        const bool line_takes_replies = board.line_mode == 0 || board.line_mode == 2 || board.line_mode == 3;
        if (t == 6) {
          send(FrameType::ping, id, 0, split, true, 0x16);  // not a command
        } else {
          send(kTypes[t], id, r, split, false, 0);
        }
        const FrameType type = t == 6 ? static_cast<FrameType>(0x16) : kTypes[t];
        if (type == FrameType::start && !was_streaming) {
          // A new session: its slots are due one period apart from now.
          host.in_session = true;
          host.session_t0 = now;
          host.session_s0 = seq;
          host.session_rate = rate;
        }
        if (type == FrameType::set_rate && !was_streaming && r >= 10 && r <= 2000) rate = r;
        FP_CHECK(core.streaming() == (type == FrameType::start || (was_streaming && type != FrameType::stop)));
        if (line_takes_replies) {
          FP_CHECK(host.replies == replies_before + 1);
          const protocol::ReplyMsg& rep = host.last_reply;
          FP_CHECK(rep.request_id == id && rep.command == static_cast<std::uint8_t>(type));
          protocol::RefusalReason want = protocol::RefusalReason::none;
          if (t == 6) want = protocol::RefusalReason::unknown_command;
          if (type == FrameType::set_rate) {
            if (was_streaming) {
              want = protocol::RefusalReason::not_now;
            } else if (r < 10 || r > 2000) {
              want = protocol::RefusalReason::bad_argument;
            }
          }
          if (type == FrameType::tare && was_streaming) want = protocol::RefusalReason::not_now;
          if (type == FrameType::tare && !was_streaming && fault_before > 0 && fault_before <= 16) {
            want = protocol::RefusalReason::hardware_fault;  // a fault among its 16 readings
          }
          FP_CHECK(rep.reason == want);
          FP_CHECK(rep.result == (want == protocol::RefusalReason::none ? protocol::ReplyResult::ack
                                                                        : protocol::ReplyResult::refused));
          if (type == FrameType::get_info) FP_CHECK(host.infos == infos_before + 1);
        }
        break;
      }
      case 2:
        board.now += s.u16();
        core.tick();
        break;
      case 3:
        board.line_mode = s.u8() % 5;
        break;
      case 4:
        board.fault_in = 1 + s.u8() % 32;
        break;
      case 5: {
        const std::uint32_t d = s.u16() | (static_cast<std::uint32_t>(s.u8()) << 16);
        board.now += d;
        core.tick();
        break;
      }
    }
    FP_CHECK(host.accounted_upto <= core.next_sequence());
  }

  // Wind down on a free line: every slot must be accounted for.
  board.line_mode = 0;
  board.fault_in = 0;
  const bool was_streaming = core.streaming();
  const std::uint32_t now = board.now;
  const std::uint32_t seq = core.next_sequence();
  send(FrameType::start, 1, 0, 0, false, 0);
  if (!was_streaming) {
    host.in_session = true;
    host.session_t0 = now;
    host.session_s0 = seq;
    host.session_rate = rate;
  }
  send(FrameType::stop, 2, 0, 0, false, 0);
  FP_CHECK(!core.streaming());
  FP_CHECK(host.accounted_upto == core.next_sequence());
  FP_CHECK(host.reported_dropped == core.samples_dropped());

  const protocol::DecoderStats& st = host.decoder.stats();
  FP_CHECK(st.crc_errors == 0 && st.framing_errors == 0 && st.oversize_frames == 0 &&
           st.version_mismatches == 0 && st.bytes_discarded == 0);
  return 0;
}
