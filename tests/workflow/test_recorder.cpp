// The recorder keeps going when the plate is unplugged and plugged in again mid-trial.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "forceplate/simulator/pty.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/recorder.hpp"

namespace fp::workflow {
namespace {

using namespace std::chrono_literals;

TEST(Recorder, PlateUnpluggedAndPluggedInMidTrial_TrialCompletesWithTheBreakAsAMarkedGap) {
  sim::SimulatorConfig cfg;
  cfg.rate_hz = 200;
  sim::Simulator simulator(cfg);
  simulator.start();
  acq::ConnectionOptions o{simulator.port_path()};
  o.find_ports = [&](const std::string&) {
    const std::string now = simulator.port_path();
    return now.empty() ? std::vector<std::string>{} : std::vector<std::string>{now};
  };
  acq::DeviceConnection device(o);
  device.connect();

  std::unique_ptr<sim::PseudoTerminal> squatter;
  std::thread cable([&] {
    std::this_thread::sleep_for(2s);
    simulator.unplug();
    std::this_thread::sleep_for(100ms);
    squatter = std::make_unique<sim::PseudoTerminal>();  // the old port name is taken meanwhile
    std::this_thread::sleep_for(500ms);
    simulator.plug_in();
  });
  const auto started = std::chrono::steady_clock::now();
  const data::Trial t = record_trial(device, RecordOptions{6.0, "quiet-stance"});
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  cable.join();

  ASSERT_EQ(t.gaps.size(), 1u);
  EXPECT_NE(t.gaps[0].reason.find("lost and found again"), std::string::npos) << t.gaps[0].reason;
  // About 0.6 s away plus the time to find the plate again (< 2 s), at 200 Hz.
  EXPECT_GT(t.gaps[0].count, 100u);
  EXPECT_LT(t.gaps[0].count, 550u);
  // Samples and the marked gap together cover the 6 s of the trial.
  EXPECT_NEAR(static_cast<double>(t.sample_count() + t.gaps[0].count), 6.0 * 200, 10.0);
  for (std::size_t i = 1; i < t.sample_count(); ++i) {
    ASSERT_GT(t.time_s[i], t.time_s[i - 1]);
    ASSERT_GT(t.sequence[i], t.sequence[i - 1]);
  }
  EXPECT_LT(took, 9.0);
}

TEST(Recorder, PlateUnpluggedForGood_TrialFailsWithAClearErrorAfterTheLostTimeout) {
  sim::Simulator simulator(sim::SimulatorConfig{});
  simulator.start();
  acq::ConnectionOptions o{simulator.port_path()};
  o.find_ports = [](const std::string&) { return std::vector<std::string>{}; };
  acq::DeviceConnection device(o);
  device.connect();
  std::thread cable([&] {
    std::this_thread::sleep_for(1s);
    simulator.unplug();
  });
  RecordOptions r{10.0, "quiet-stance"};
  r.device_lost_timeout_s = 1.0;
  try {
    (void)record_trial(device, r);
    ADD_FAILURE() << "the recording went on without its device";
  } catch (const RecordingError& e) {
    EXPECT_NE(std::string(e.what()).find("not found again"), std::string::npos) << e.what();
  }
  cable.join();
}

}  // namespace
}  // namespace fp::workflow
