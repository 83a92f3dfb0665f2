#pragma once
// Streams from a simulated plate into a lossless ring and checks every sample as it arrives,
// without keeping a million of them in memory.
#include <chrono>
#include <functional>
#include <thread>

#include "forceplate/acquisition/device_connection.hpp"

namespace fp::acq::testing {

// Streams until `until(sample)` is true or `timeout` passes; returns the number of samples seen.
inline std::uint64_t stream(DeviceConnection& d, const std::function<void(const Sample&)>& check,
                            const std::function<bool(const Sample&)>& until,
                            std::chrono::seconds timeout = std::chrono::seconds(120)) {
  auto ring = d.subscribe(1 << 16);
  d.start_streaming();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::uint64_t n = 0;
  Sample s;
  bool done = false;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (!ring->try_pop(s)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    ++n;
    check(s);
    done = until(s);
  }
  d.stop_streaming();
  d.unsubscribe(ring);
  EXPECT_EQ(ring->rejected(), 0u) << "the test's own ring overflowed";
  return n;
}

}  // namespace fp::acq::testing
