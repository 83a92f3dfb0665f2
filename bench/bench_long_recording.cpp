// A long recording at 2 kHz x 8 cells (two plates), straight to disk through the journal, run
// faster than real time. Reports resident memory over the run: it must not grow with the
// recording's length, only by the recorder's file buffers (issue 4: 30 minutes).
// Usage: bench_long_recording [device-seconds=1800] [speed=10] [out=/tmp/fp-long.h5]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/recorder.hpp"

namespace {
double rss_mb() {
  std::ifstream f("/proc/self/status");
  std::string key;
  while (f >> key) {
    if (key == "VmRSS:") {
      double kb = 0;
      f >> kb;
      return kb / 1024;
    }
    f.ignore(1 << 12, '\n');
  }
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1800;
  const double speed = argc > 2 ? std::atof(argv[2]) : 10;
  const std::string out = argc > 3 ? argv[3] : "/tmp/fp-long.h5";
  fp::sim::SimulatorConfig cfg;
  cfg.rate_hz = 2000;
  cfg.plate_count = 2;
  cfg.speed = speed;
  cfg.keep_truth = false;
  fp::sim::Simulator simulator(cfg);
  simulator.start();
  fp::acq::DeviceConnection device(fp::acq::ConnectionOptions{simulator.port_path()});
  device.connect();

  const double rss_start = rss_mb();
  std::atomic<double> rss_max{rss_start};
  std::atomic<double> rss_after_first_minute{0};
  std::atomic<bool> done{false};
  std::atomic<double> device_time{0};
  std::thread watch([&] {
    while (!done) {
      const double r = rss_mb();
      if (r > rss_max) rss_max = r;
      if (rss_after_first_minute == 0 && device_time > 60) rss_after_first_minute = r;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  const auto t0 = std::chrono::steady_clock::now();
  fp::workflow::RecordOptions o{seconds, "quiet-stance"};
  const auto rec = fp::workflow::record_to_file(device, o, out, [&](const fp::acq::Sample& s) {
    device_time = s.device_time_s;
  });
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  done = true;
  watch.join();
  const auto st = device.status();
  std::printf("recorded %.0f s of device time at 2 kHz x 8 cells (%.0fx real time) in %.1f s: %llu samples, %llu missing, %llu CRC errors\n",
              seconds, speed, took, static_cast<unsigned long long>(rec.samples),
              static_cast<unsigned long long>(st.samples_missing), static_cast<unsigned long long>(st.crc_errors));
  std::printf("resident memory: %.1f MB at the start, %.1f MB after the first minute, %.1f MB at most, %.1f MB at the end\n",
              rss_start, rss_after_first_minute.load(), rss_max.load(), rss_mb());
  return st.samples_missing == 0 ? 0 : 1;
}
