// Every fault the simulated plate can inject, through the real pseudo-terminal: the host must keep
// every intact sample, accept no damaged one, and report exactly how many were lost.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "forceplate/simulator/simulator.hpp"
#include "stream_check.hpp"

namespace fp::acq {
namespace {

struct Outcome {
  ConnectionStatus status;
  sim::FaultStats faults;
  std::uint64_t received = 0;
  std::uint64_t gaps_seen = 0;      // sum of gap_before over received samples
  int bad_values = 0;               // received samples whose force disagrees with the truth
  double last_time_s = 0;
};

// Streams `seconds` of device time from a simulator with `faults`, checking each sample's force
// against the simulator's truth (by sequence number).
Outcome run_with(const sim::FaultConfig& faults, double seconds, double rate = 1000, int plates = 1) {
  sim::SimulatorConfig cfg;
  cfg.rate_hz = rate;
  cfg.plate_count = plates;
  cfg.speed = 4;
  cfg.faults = faults;
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  d.connect();
  Outcome out;
  std::vector<Sample> received;
  testing::stream(
      d, [&](const Sample& s) { received.push_back(s); out.gaps_seen += s.gap_before; },
      [&](const Sample& s) { return s.device_time_s >= seconds; });
  out.status = d.status();
  d.close();
  simulator.stop();
  out.faults = simulator.fault_stats();
  out.received = received.size();
  out.last_time_s = received.empty() ? 0 : received.back().device_time_s;
  std::map<std::uint64_t, const sim::TruthSample*> truth;
  const auto all = simulator.truth();
  for (const auto& t : all) truth[t.sequence] = &t;
  for (const Sample& s : received) {
    const auto it = truth.find(s.sequence);
    if (it == truth.end() || std::abs(s.fz_n[0] - it->second->state.plates[0].fz_n) > 0.2) ++out.bad_values;
  }
  return out;
}

sim::FaultConfig window(double from, double until) {
  sim::FaultConfig f;
  f.start_s = from;
  f.end_s = until;
  return f;
}

TEST(Faults, CleanLine_NothingLostNothingDamaged) {
  const Outcome o = run_with(sim::FaultConfig{}, 5);
  EXPECT_EQ(o.status.samples_missing, 0u);
  EXPECT_EQ(o.status.crc_errors + o.status.framing_errors, 0u);
  EXPECT_EQ(o.bad_values, 0);
  EXPECT_GE(o.received, 5000u);
}

TEST(Faults, BitFlips_LossEqualsSamplesInDamagedFramesAndNoDamagedValueAccepted) {
  sim::FaultConfig f = window(0.5, 6);
  f.bit_flip_rate = 1e-3;
  const Outcome o = run_with(f, 7);
  EXPECT_GT(o.faults.frames_damaged, 20u);
  EXPECT_EQ(o.status.samples_missing, o.faults.samples_in_damaged_frames);
  EXPECT_EQ(o.gaps_seen, o.faults.samples_in_damaged_frames);
  EXPECT_GT(o.status.crc_errors + o.status.framing_errors, 0u);
  EXPECT_EQ(o.bad_values, 0);
}

TEST(Faults, DroppedBytes_LossEqualsSamplesInDamagedFrames) {
  sim::FaultConfig f = window(0.5, 6);
  f.drop_byte_rate = 1e-3;
  f.seed = 5;
  const Outcome o = run_with(f, 7);
  EXPECT_GT(o.faults.bytes_dropped, 20u);
  EXPECT_EQ(o.status.samples_missing, o.faults.samples_in_damaged_frames);
  EXPECT_EQ(o.bad_values, 0);
}

TEST(Faults, TruncatedFrames_LossEqualsSamplesInDamagedFrames) {
  sim::FaultConfig f = window(0.5, 6);
  f.truncate_rate = 0.01;
  f.seed = 6;
  const Outcome o = run_with(f, 7);
  EXPECT_GT(o.faults.frames_truncated, 5u);
  EXPECT_EQ(o.status.samples_missing, o.faults.samples_in_damaged_frames);
  EXPECT_EQ(o.bad_values, 0);
}

TEST(Faults, DeviceOverruns_LossIsReportedByTheDeviceAndMatchesTheGaps) {
  sim::FaultConfig f = window(0.5, 6);
  f.overrun_rate = 0.01;
  const Outcome o = run_with(f, 7);
  EXPECT_GT(o.faults.samples_dropped_on_device, 0u);
  EXPECT_EQ(o.status.samples_missing, o.faults.samples_dropped_on_device);
  EXPECT_EQ(o.status.device_reported_drops, o.faults.samples_dropped_on_device);
  EXPECT_EQ(o.bad_values, 0);
}

TEST(Faults, DeviceStall_SlotsItCouldNotServeAreGapsOfExactLength) {
  sim::FaultConfig f;
  f.stall_at_s = 2;
  f.stall_s = 0.3;  // 300 samples at 1 kHz; the device catches up 64 and gives up the rest
  const Outcome o = run_with(f, 4);
  EXPECT_GT(o.faults.samples_dropped_on_device, 200u);
  EXPECT_EQ(o.status.samples_missing, o.faults.samples_dropped_on_device);
  EXPECT_EQ(o.status.device_reported_drops, o.faults.samples_dropped_on_device);
  EXPECT_EQ(o.bad_values, 0);
  EXPECT_GE(o.last_time_s, 4.0);
}

TEST(Faults, DeviceReboot_HostSeesTheRestartAndStreamingResumes) {
  sim::FaultConfig f;
  f.reboot_at_s = 2;
  const Outcome o = run_with(f, 4);
  EXPECT_EQ(o.faults.reboots, 1u);
  EXPECT_EQ(o.status.device_restarts, 1u);
  EXPECT_GE(o.last_time_s, 4.0);  // the host told the rebooted device to start again
}

TEST(Faults, Disconnect_HostReportsTheDeviceLost) {
  sim::SimulatorConfig cfg;
  cfg.faults.disconnect_after_s = 1;
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  d.connect();
  d.start_streaming();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!d.status().lost && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(d.status().lost);
  EXPECT_TRUE(simulator.fault_stats().disconnected);
}

TEST(Faults, ClockDrift_DeviceTimelineStaysExactlyOneSamplePeriodPerSample) {
  sim::FaultConfig f;
  f.clock_drift_ppm = 800;
  sim::SimulatorConfig cfg;
  cfg.rate_hz = 500;
  cfg.speed = 4;
  cfg.faults = f;
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  d.connect();
  double t0 = -1;
  std::uint64_t s0 = 0, bad = 0;
  testing::stream(
      d,
      [&](const Sample& s) {
        if (t0 < 0) {
          t0 = s.device_time_s;
          s0 = s.sequence;
        }
        if (std::abs((s.device_time_s - t0) - static_cast<double>(s.sequence - s0) * 0.002) > 1e-9) ++bad;
      },
      [](const Sample& s) { return s.device_time_s >= 3; });
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(d.status().samples_missing, 0u);
}

// Issue 3: 2 kHz x 8 cells for 10 minutes of device time (at 10x speed): no sample lost and
// no drift between the device's sequence numbers and its clock.
TEST(LongRun, TwoKilohertzEightCellsTenMinutes_NoLossNoDriftBetweenSequenceAndClock) {
  sim::SimulatorConfig cfg;
  cfg.rate_hz = 2000;
  cfg.plate_count = 2;
  cfg.speed = 10;
  cfg.keep_truth = false;
  sim::Simulator simulator(cfg);
  simulator.start();
  DeviceConnection d(ConnectionOptions{simulator.port_path()});
  d.connect();
  std::uint64_t n = 0, bad_time = 0, bad_seq = 0, prev = 0;
  const std::uint64_t received = testing::stream(
      d,
      [&](const Sample& s) {
        if (n > 0 && s.sequence != prev + 1) ++bad_seq;
        // device time is the sample's slot: exactly 500 us per sequence number
        if (std::abs(s.device_time_s - static_cast<double>(n) * 0.0005) > 1e-9) ++bad_time;
        prev = s.sequence;
        ++n;
      },
      [](const Sample& s) { return s.device_time_s >= 600.0; }, std::chrono::seconds(400));
  const ConnectionStatus st = d.status();
  EXPECT_GE(received, 1'200'000u);
  EXPECT_EQ(bad_seq, 0u);
  EXPECT_EQ(bad_time, 0u);
  EXPECT_EQ(st.samples_missing, 0u);
  EXPECT_EQ(st.crc_errors + st.framing_errors, 0u);
  EXPECT_EQ(st.device_reported_drops, 0u);
}

}  // namespace
}  // namespace fp::acq
