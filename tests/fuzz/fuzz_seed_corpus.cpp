// Writes the seed corpus of a fuzz target:
//   fuzz_stream_decoder: real frames made by the library's encoders (every message type, one and
//     two plates, 1 and 16 samples, every command), alone and in streams, each prefixed by the
//     chunking header of the fuzz input (see fuzz_stream_decoder.cpp);
//   fuzz_device_core: scripted sessions (see fuzz_device_core.cpp): commands, streaming, a full
//     line, ADC faults, stalls.
//
//   fuzz_seed_corpus <output-dir> [fuzz_stream_decoder|fuzz_device_core]
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "forceplate/protocol/messages.hpp"

namespace {

using namespace fp::protocol;
using Bytes = std::vector<std::uint8_t>;

template <class Msg, class Enc>
Bytes wire(const Msg& m, Enc enc) {
  std::uint8_t buf[kMaxWireFrame];
  const std::size_t n = enc(m, buf, sizeof buf);
  return Bytes(buf, buf + n);
}

DeviceInfoMsg info(int plates) {
  DeviceInfoMsg m;
  std::strcpy(m.firmware_version, "fp-ref 1.0.0");
  std::strcpy(m.serial, "0123456789ABCDEF");
  m.plate_count = static_cast<std::uint8_t>(plates);
  m.nominal_rate_hz = 1000;
  m.current_rate_hz = 2000;
  m.calibration_unix_time = 1717243200U;
  for (int k = 0; k < plates; ++k) {
    m.plate_width_mm[k] = 400.0F;
    m.plate_length_mm[k] = 600.0F;
  }
  for (int c = 0; c < 4 * plates; ++c) {
    m.cells[c] = CellInfo{c % 2 ? 180.0F : -180.0F, c < 2 ? 280.0F : -280.0F, 0.0123F, -81234 + c};
  }
  return m;
}

SampleBlockMsg samples(std::uint32_t seq, int n, int cells) {
  SampleBlockMsg m;
  m.first_sequence = seq;
  m.sample_count = static_cast<std::uint8_t>(n);
  m.cell_count = static_cast<std::uint8_t>(cells);
  for (int s = 0; s < n; ++s) {
    m.time_us[s] = 5000U + 500U * static_cast<std::uint32_t>(s);
    for (int c = 0; c < cells; ++c) m.counts[s][c] = (c % 2 ? -1 : 1) * (1000 * c + s);
  }
  return m;
}

ReplyMsg reply(std::uint16_t id, FrameType cmd, bool ok, const char* text) {
  ReplyMsg r;
  r.request_id = id;
  r.command = static_cast<std::uint8_t>(cmd);
  r.result = ok ? ReplyResult::ack : ReplyResult::refused;
  r.reason = ok ? RefusalReason::none : RefusalReason::not_now;
  std::strncpy(r.text, text, kMaxReplyText);
  return r;
}

CommandMsg command(FrameType t, std::uint16_t id, std::uint16_t rate = 0) {
  CommandMsg c;
  c.type = t;
  c.request_id = id;
  c.rate_hz = rate;
  return c;
}

void append(Bytes& to, const Bytes& b) { to.insert(to.end(), b.begin(), b.end()); }

bool write_file(const std::string& path, const Bytes& b) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) {
    std::perror(path.c_str());
    return false;
  }
  std::fwrite(b.data(), 1, b.size(), out);
  std::fclose(out);
  return true;
}

// ---- fuzz_device_core scripts ----
enum Cmd : std::uint8_t { kGetInfo = 0, kStart, kStop, kSetRate, kTare, kPing, kUnknown };
void cmd(Bytes& s, Cmd c, std::uint16_t id, std::uint16_t rate = 0, std::uint8_t split = 0) {
  append(s, {1, c, split, static_cast<std::uint8_t>(id), static_cast<std::uint8_t>(id >> 8),
             static_cast<std::uint8_t>(rate), static_cast<std::uint8_t>(rate >> 8)});
}
void run(Bytes& s, std::uint16_t us, int times) {
  for (int i = 0; i < times; ++i) append(s, {2, static_cast<std::uint8_t>(us), static_cast<std::uint8_t>(us >> 8)});
}
void line(Bytes& s, std::uint8_t mode) { append(s, {3, mode}); }
void adc_fault(Bytes& s, std::uint8_t in) { append(s, {4, in}); }
void stall(Bytes& s, std::uint32_t us) {
  append(s, {5, static_cast<std::uint8_t>(us), static_cast<std::uint8_t>(us >> 8), static_cast<std::uint8_t>(us >> 16)});
}
void noise(Bytes& s, const Bytes& junk) {
  s.push_back(0);
  s.push_back(static_cast<std::uint8_t>(junk.size()));
  append(s, junk);
}

int write_device_core_seeds(const std::string& dir) {
  std::vector<Bytes> seeds(6);
  cmd(seeds[0], kGetInfo, 1);
  cmd(seeds[0], kSetRate, 2, 500);
  cmd(seeds[0], kTare, 3);
  cmd(seeds[0], kStart, 4);
  run(seeds[0], 700, 40);
  cmd(seeds[0], kPing, 5, 0, 3);
  cmd(seeds[0], kSetRate, 6, 100);
  cmd(seeds[0], kStop, 7);

  cmd(seeds[1], kStart, 1);
  run(seeds[1], 900, 10);
  line(seeds[1], 1);
  run(seeds[1], 900, 20);
  line(seeds[1], 2);
  run(seeds[1], 900, 20);
  line(seeds[1], 3);
  run(seeds[1], 900, 20);
  line(seeds[1], 0);
  run(seeds[1], 900, 20);

  cmd(seeds[2], kSetRate, 1, 2000);
  cmd(seeds[2], kStart, 2);
  adc_fault(seeds[2], 5);
  run(seeds[2], 300, 30);
  stall(seeds[2], 200000);
  run(seeds[2], 300, 30);
  line(seeds[2], 4);
  stall(seeds[2], 50000);
  run(seeds[2], 300, 30);

  cmd(seeds[3], kSetRate, 1, 600);
  cmd(seeds[3], kStart, 2);
  run(seeds[3], 65535, 80);  // across the 2^32 µs wrap
  cmd(seeds[3], kStop, 3);

  noise(seeds[4], {0x01, 0x02, 0x00, 0x41, 0xFF});
  cmd(seeds[4], kUnknown, 9);
  adc_fault(seeds[4], 3);
  cmd(seeds[4], kTare, 10);
  cmd(seeds[4], kStart, 11);
  cmd(seeds[4], kTare, 12);
  cmd(seeds[4], kStart, 13);

  cmd(seeds[5], kStart, 1);
  line(seeds[5], 1);
  stall(seeds[5], 100000);
  adc_fault(seeds[5], 1);
  run(seeds[5], 1000, 5);
  cmd(seeds[5], kStop, 2);
  line(seeds[5], 0);
  cmd(seeds[5], kStart, 3);
  run(seeds[5], 1000, 5);

  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (!write_file(dir + "/session-" + std::to_string(i), seeds[i])) return 1;
  }
  std::printf("fuzz_seed_corpus: %zu device-core scripts written to %s\n", seeds.size(), dir.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s <output-dir> [fuzz_stream_decoder|fuzz_device_core]\n", argv[0]);
    return 2;
  }
  if (argc == 3 && std::strcmp(argv[2], "fuzz_device_core") == 0) return write_device_core_seeds(argv[1]);
  std::vector<Bytes> frames = {
      wire(info(1), encode_device_info),
      wire(info(2), encode_device_info),
      wire(samples(7, 1, 4), encode_samples),
      wire(samples(0xFFFFFFF0U, 16, 8), encode_samples),
      wire(samples(100, 10, 8), encode_samples),
      wire(StatusMsg{StatusCode::boot, 0, 0}, encode_status),
      wire(StatusMsg{StatusCode::overrun, 1234, 56}, encode_status),
      wire(reply(1, FrameType::get_info, true, ""), encode_reply),
      wire(reply(7, FrameType::set_rate, false, "stop streaming first"), encode_reply),
  };
  for (auto t : {FrameType::get_info, FrameType::start, FrameType::stop, FrameType::tare,
                 FrameType::ping}) {
    frames.push_back(wire(command(t, 42), encode_command));
  }
  frames.push_back(wire(command(FrameType::set_rate, 3, 1000), encode_command));

  // Chunking headers: all at once; byte by byte; mixed sizes.
  const std::vector<Bytes> headers = {{0x00}, {0x01, 0x00}, {0x03, 0x02, 0x10, 0xFF}};

  std::vector<Bytes> streams;
  for (const Bytes& f : frames) streams.push_back(f);
  Bytes session = {0x00};  // a host's leading delimiter, then a whole session
  for (const Bytes& f : frames) append(session, f);
  streams.push_back(session);
  Bytes noisy;  // frames separated by garbage, a corrupted frame and idle delimiters
  for (std::size_t i = 0; i < frames.size(); ++i) {
    Bytes f = frames[i];
    if (i % 3 == 1 && f.size() > 4) f[f.size() / 2] ^= 0x5A;
    append(noisy, f);
    append(noisy, {0x00, 0x00, 0x31, 0x32, 0x0D, 0x0A});
  }
  streams.push_back(noisy);

  int written = 0;
  for (std::size_t s = 0; s < streams.size(); ++s) {
    for (std::size_t h = 0; h < headers.size(); ++h) {
      Bytes seed = headers[h];
      append(seed, streams[s]);
      if (!write_file(std::string(argv[1]) + "/seed-" + std::to_string(s) + "-" + std::to_string(h), seed)) {
        return 1;
      }
      ++written;
    }
  }
  std::printf("fuzz_seed_corpus: %d seeds written to %s\n", written, argv[1]);
  return 0;
}
