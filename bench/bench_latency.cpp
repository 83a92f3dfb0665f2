// End-to-end latency: from the simulated plate putting a frame on the line to a consumer taking
// the sample from its ring (pseudo-terminal, acquisition thread, decoding, conversion, hand-off).
// Target (issue 4): p99 below 5 ms at 1 kHz. Prints median, p90, p99 and max over ~20 s.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/simulator/simulator.hpp"

int main(int argc, char** argv) {
  using clock = std::chrono::steady_clock;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 20.0;
  const double rate = argc > 2 ? std::atof(argv[2]) : 1000.0;
  const auto n = static_cast<std::size_t>(seconds * rate) + 4096;
  std::vector<std::atomic<std::int64_t>> sent(n);  // ns since epoch when the frame of sample k was sent
  for (auto& s : sent) s.store(0);

  fp::sim::SimulatorConfig cfg;
  cfg.rate_hz = rate;
  cfg.keep_truth = false;
  cfg.on_frame_sent = [&](std::uint32_t first, int count) {
    const std::int64_t now = clock::now().time_since_epoch().count();
    for (int i = 0; i < count; ++i) {
      if (first + static_cast<std::uint32_t>(i) < n) sent[first + static_cast<std::uint32_t>(i)].store(now);
    }
  };
  fp::sim::Simulator simulator(cfg);
  simulator.start();
  fp::acq::DeviceConnection device(fp::acq::ConnectionOptions{simulator.port_path()});
  device.connect();
  auto ring = device.subscribe(1 << 16);
  device.start_streaming();

  std::vector<double> latency_ms;
  latency_ms.reserve(n);
  fp::acq::Sample s;
  const auto end = clock::now() + std::chrono::duration<double>(seconds);
  while (clock::now() < end) {
    // A consumer that polls, as the recorder does: spin briefly, then yield.
    if (!ring->try_pop(s)) {
      std::this_thread::yield();
      continue;
    }
    const std::int64_t now = clock::now().time_since_epoch().count();
    const std::uint64_t seq = s.sequence;
    if (seq < n && sent[seq].load() != 0) latency_ms.push_back(static_cast<double>(now - sent[seq].load()) / 1e6);
  }
  device.stop_streaming();
  const auto st = device.status();
  std::sort(latency_ms.begin(), latency_ms.end());
  auto pct = [&](double p) { return latency_ms[static_cast<std::size_t>(p * static_cast<double>(latency_ms.size() - 1))]; };
  if (latency_ms.empty()) {
    std::printf("no samples\n");
    return 1;
  }
  std::printf("latency, frame sent by the plate -> sample taken by a consumer, %.0f Hz, %zu samples, %llu missing:\n",
              rate, latency_ms.size(), static_cast<unsigned long long>(st.samples_missing));
  std::printf("  median %.3f ms   p90 %.3f ms   p99 %.3f ms   max %.3f ms\n", pct(0.5), pct(0.9), pct(0.99),
              latency_ms.back());
  return 0;
}
