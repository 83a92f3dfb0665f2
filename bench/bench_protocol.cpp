// Decoding a recorded byte stream: 2 kHz x 8 cells, 10 samples per frame, as the reference
// firmware sends it. Target (issue 3): at least 300 MB/s on one core.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "forceplate/protocol/messages.hpp"
#include "forceplate/protocol/stream_decoder.hpp"

namespace {

std::vector<std::uint8_t> recorded_stream(std::size_t frames) {
  std::mt19937 rng(1);
  std::normal_distribution<double> noise(0, 2000);
  std::vector<std::uint8_t> out;
  fp::protocol::SampleBlockMsg m{};
  m.sample_count = 10;
  m.cell_count = 8;
  std::uint8_t wire[fp::protocol::kMaxWireFrame];
  std::uint32_t seq = 0;
  for (std::size_t f = 0; f < frames; ++f) {
    m.first_sequence = seq;
    for (int s = 0; s < 10; ++s, ++seq) {
      m.time_us[s] = seq * 500;
      for (int c = 0; c < 8; ++c) m.counts[s][c] = 400000 + static_cast<std::int32_t>(noise(rng));
    }
    const std::size_t n = fp::protocol::encode_samples(m, wire, sizeof wire);
    out.insert(out.end(), wire, wire + n);
  }
  return out;
}

void DecodeRecordedStream(benchmark::State& state) {
  static const std::vector<std::uint8_t> stream = recorded_stream(200'000);  // about 68 MB
  const auto chunk = static_cast<std::size_t>(state.range(0));
  std::uint64_t samples = 0;
  for (auto _ : state) {
    fp::protocol::StreamDecoder decoder;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
      const std::size_t n = std::min(chunk, stream.size() - i);
      decoder.feed(stream.data() + i, n, [&](const fp::protocol::FrameView& f) {
        fp::protocol::SampleBlockMsg m;
        if (fp::protocol::parse_samples(f, m)) samples += m.sample_count;
      });
    }
    benchmark::DoNotOptimize(samples);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}
// 4 KiB: what one serial read returns; 64 B: a slow USB packet at a time.
BENCHMARK(DecodeRecordedStream)->Arg(4096)->Arg(64)->Unit(benchmark::kMillisecond);

}  // namespace
