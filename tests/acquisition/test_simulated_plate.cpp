// The whole acquisition path against the simulated plate on a real pseudo-terminal.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/simulator/pty.hpp"
#include "forceplate/simulator/simulator.hpp"

namespace fp::acq {
namespace {

std::vector<Sample> collect(DeviceConnection& d, std::size_t n) {
  auto ring = d.subscribe(n + 4096);
  d.start_streaming();
  std::vector<Sample> out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Sample s;
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    if (ring->try_pop(s)) {
      out.push_back(s);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  d.stop_streaming();
  d.unsubscribe(ring);
  return out;
}

TEST(SimulatedPlate, ConnectReportsTheSimulatedIdentityAndGeometry) {
  sim::SimulatorConfig cfg;
  cfg.serial = "SIM-TEST-7";
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  const DeviceDescription info = d.connect();
  EXPECT_EQ(info.serial, "SIM-TEST-7");
  EXPECT_EQ(info.protocol_major, 1);
  ASSERT_EQ(info.plates.size(), 1u);
  EXPECT_DOUBLE_EQ(info.current_rate_hz, 100.0);
  EXPECT_NEAR(info.plates[0].cells[1].x_m, 0.2, 1e-6);
  EXPECT_NEAR(info.plates[0].cells[1].y_m, 0.2, 1e-6);
}

TEST(SimulatedPlate, StreamedForceAndCopMatchTheSimulatedBodySampleBySample) {
  sim::SimulatorConfig cfg;
  cfg.rate_hz = 500;
  cfg.speed = 5;
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  d.connect();
  const std::vector<Sample> samples = collect(d, 2500);  // 5 s of device time
  const ConnectionStatus st = d.status();
  d.close();
  simulator.stop();

  ASSERT_EQ(samples.size(), 2500u);
  EXPECT_EQ(st.samples_missing, 0u);
  EXPECT_EQ(st.crc_errors, 0u);
  std::map<std::uint64_t, sim::TruthSample> truth;
  for (const auto& t : simulator.truth()) truth[t.sequence] = t;
  int compared_cop = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    if (i > 0) {
      ASSERT_EQ(s.sequence, samples[i - 1].sequence + 1);
      EXPECT_NEAR(s.device_time_s - samples[i - 1].device_time_s, 0.002, 1e-6);
    }
    ASSERT_TRUE(truth.count(s.sequence));
    const sim::PlateLoad& want = truth[s.sequence].state.plates[0];
    // ADC noise: 20 counts x 0.0005 N/count per cell, plus rounding.
    EXPECT_NEAR(s.fz_n[0], want.fz_n, 0.1) << "sample " << s.sequence;
    if (want.fz_n > 200) {
      EXPECT_NEAR(s.cop_x_m[0], want.cop_x_m, 1e-4) << "sample " << s.sequence;
      EXPECT_NEAR(s.cop_y_m[0], want.cop_y_m, 1e-4) << "sample " << s.sequence;
      ++compared_cop;
    }
  }
  EXPECT_GT(compared_cop, 1500);  // the person stood on the plate for most of the 5 s
}

TEST(SimulatedPlate, PortThatDoesNotExist_ClearErrorNamingThePort) {
  DeviceConnection d(ConnectionOptions{"/dev/ttyNOSUCHPORT9"});
  try {
    d.connect();
    FAIL() << "connect succeeded";
  } catch (const AcquisitionError& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/ttyNOSUCHPORT9"), std::string::npos) << e.what();
  }
}

TEST(SimulatedPlate, RegularFileInsteadOfPort_ClearError) {
  const std::string path = std::string(FP_BINARY_DIR) + "/not-a-port.txt";
  std::ofstream(path) << "hello";
  DeviceConnection d(ConnectionOptions{path});
  EXPECT_THROW(d.connect(), AcquisitionError);
}

TEST(SimulatedPlate, PortThatSendsGarbage_NoValidFramesError) {
  sim::PseudoTerminal pty;
  std::atomic<bool> stop{false};
  std::thread noise([&] {
    std::mt19937 rng(3);
    std::uint8_t buf[256];
    while (!stop) {
      for (auto& b : buf) b = static_cast<std::uint8_t>(rng());
      [[maybe_unused]] const auto n = ::write(pty.master_fd(), buf, sizeof buf);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  DeviceConnection d(ConnectionOptions{pty.slave_path(), 921600, std::chrono::milliseconds(500)});
  try {
    d.connect();
    FAIL() << "connect succeeded on garbage";
  } catch (const AcquisitionError& e) {
    EXPECT_NE(std::string(e.what()).find("no valid frames"), std::string::npos) << e.what();
  }
  stop = true;
  noise.join();
}

TEST(SimulatedPlate, SimulatorStops_ConnectionReportsTheDeviceLost) {
  sim::Simulator simulator(sim::SimulatorConfig{});
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  d.connect();
  d.start_streaming();
  simulator.stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!d.status().lost && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(d.status().lost);
  EXPECT_FALSE(d.status().last_error.empty());
}

// The clinic window's simulated patient: a new scenario starts at the next sample, on the same
// connection, with its own clock; a bad one is refused and the old one goes on.
TEST(SimulatedPlate, PlayScenarioSwitchesThePersonOnTheRunningDevice) {
  sim::SimulatorConfig cfg;
  cfg.rate_hz = 500;
  cfg.speed = 5;
  cfg.scenario.name = "empty";
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  d.connect();
  auto ring = d.subscribe(20000);
  d.start_streaming();
  std::vector<Sample> got;
  const auto take = [&](std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    Sample s;
    while (got.size() < n && std::chrono::steady_clock::now() < deadline) {
      if (ring->try_pop(s)) got.push_back(s);
      else std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  take(250);  // 0.5 s of the empty plate
  sim::ScenarioSettings bad;
  bad.name = "no-such-scenario";
  EXPECT_THROW(simulator.play_scenario(bad), std::invalid_argument);
  sim::ScenarioSettings stance;
  stance.name = "quiet-stance";
  stance.mass_kg = 80;
  stance.params["step_on_s"] = 0.2;
  simulator.play_scenario(stance);
  const std::size_t switched_at = got.size();
  take(switched_at + 1500);  // 3 s more
  d.stop_streaming();
  d.close();
  simulator.stop();
  ASSERT_EQ(got.size(), switched_at + 1500);
  for (std::size_t i = 0; i < 250; ++i) EXPECT_NEAR(got[i].fz_n[0], 0.0, 20.0) << i;
  // Fully on after step_on_s + ramp: the last second weighs the new person.
  double sum = 0;
  for (std::size_t i = got.size() - 500; i < got.size(); ++i) sum += got[i].fz_n[0];
  EXPECT_NEAR(sum / 500, 80 * 9.80665, 80 * 9.80665 * 0.03);
  // The new scenario's own events, on its own clock.
  bool stepped_on = false;
  for (const sim::TruthEvent& e : simulator.truth_events()) {
    if (e.name == "step_on") {
      stepped_on = true;
      EXPECT_NEAR(e.time_s, 0.2, 0.01);
    }
  }
  EXPECT_TRUE(stepped_on);
}

}  // namespace
}  // namespace fp::acq
