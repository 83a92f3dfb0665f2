#include "forceplate/workflow/trial_driver.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace fp::workflow {

RunnerState drive_trial(acq::DeviceConnection& device, TrialRunner& runner, const DriveOptions& options) {
  if (runner.finished()) return runner.state();
  runner.set_tare_handler([&device, &runner](const std::vector<acq::Sample>& empty_plate) {
    device.tare(empty_plate);
    runner.set_device(device.device());  // the trial stores the offsets it was converted with
  });

  const acq::DeviceDescription d = device.device();
  const double rate = d.current_rate_hz > 0 ? d.current_rate_hz : 1000.0;
  // Ten seconds of headroom, as the recorder: the loop only falls that far behind if the machine stalls.
  auto ring = device.subscribe(static_cast<std::size_t>(rate * 10) + 1024);
  struct Cleanup {
    acq::DeviceConnection& dev;
    std::shared_ptr<acq::SampleRing> r;
    ~Cleanup() {
      try {
        dev.stop_streaming();
      } catch (...) {
        // the device may be gone; the trial's outcome already says so
      }
      dev.unsubscribe(r);
    }
  } cleanup{device, ring};

  if (runner.state() == RunnerState::idle) runner.start();
  device.start_streaming();

  using clock = std::chrono::steady_clock;
  auto last_data = clock::now();
  bool lost = false;
  clock::time_point lost_since{};
  acq::Sample s;
  while (!runner.finished()) {
    bool got = false;
    // Feed in batches so that a command or a progress report is never far away.
    for (int i = 0; i < 256 && !runner.finished() && ring->try_pop(s); ++i) {
      got = true;
      runner.feed(s);
    }
    if (runner.finished()) break;
    if (ring->rejected() > 0) {
      runner.fail("the trial runner fell behind and " + std::to_string(ring->rejected()) + " samples were lost");
      break;
    }
    if (options.on_progress && !options.on_progress(runner)) {
      runner.cancel();
      break;
    }
    const auto now = clock::now();
    if (got) {
      last_data = now;
      lost = false;
      continue;
    }
    const acq::ConnectionStatus st = device.status();
    if (st.lost) {
      if (!lost) {
        lost = true;
        lost_since = now;
      }
      if (now - lost_since > std::chrono::duration<double>(options.device_lost_timeout_s)) {
        runner.fail("device lost and not found again within " + std::to_string(static_cast<int>(options.device_lost_timeout_s)) +
                    " s: " + st.last_error);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } else if (now - last_data > std::chrono::duration<double>(options.no_data_timeout_s)) {
      runner.fail("no samples from the device for " + std::to_string(static_cast<int>(options.no_data_timeout_s)) + " s");
      break;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return runner.state();
}

}  // namespace fp::workflow
