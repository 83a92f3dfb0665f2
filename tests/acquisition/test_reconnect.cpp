// Unplug, re-plug, silence and the wrong line speed, against the simulated plate.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "forceplate/acquisition/port_discovery.hpp"
#include "forceplate/simulator/pty.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "stream_check.hpp"

namespace fp::acq {
namespace {

using namespace std::chrono_literals;

TEST(Reconnect, UnpluggedAndPluggedInOnANewPort_StreamingResumesWithin2sAndTheGapIsMarked) {
  sim::SimulatorConfig cfg;
  cfg.rate_hz = 500;
  cfg.serial = "SIM-REPLUG";
  sim::Simulator simulator(cfg);
  simulator.start();
  const std::string first_port = simulator.port_path();
  ConnectionOptions o{first_port};
  o.find_ports = [&](const std::string& serial) {
    EXPECT_EQ(serial, "SIM-REPLUG");
    const std::string now = simulator.port_path();  // empty while unplugged
    return now.empty() ? std::vector<std::string>{} : std::vector<std::string>{now};
  };
  std::atomic<int> lost_events{0}, found_events{0};
  o.on_lost_or_found = [&](bool lost, const std::string&) { (lost ? lost_events : found_events)++; };
  DeviceConnection d(o);
  d.connect();

  std::chrono::steady_clock::time_point plugged_in{};
  double resumed_after_s = -1;
  Sample gap_sample;
  bool unplugged = false;
  std::unique_ptr<sim::PseudoTerminal> squatter;
  testing::stream(
      d,
      [&](const Sample& s) {
        if (s.gap_kind == GapKind::reconnect && resumed_after_s < 0) {
          resumed_after_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - plugged_in).count();
          gap_sample = s;
        }
      },
      [&](const Sample& s) {
        if (!unplugged && s.device_time_s >= 1.0) {
          unplugged = true;
          simulator.unplug();
          std::this_thread::sleep_for(100ms);
          // Something else takes the freed port name, so the plate comes back under another one.
          squatter = std::make_unique<sim::PseudoTerminal>();
          std::this_thread::sleep_for(600ms);  // the cable is out for 0.7 s
          plugged_in = std::chrono::steady_clock::now();
          simulator.plug_in();
        }
        return resumed_after_s >= 0 && s.device_time_s >= gap_sample.device_time_s + 1.0;
      },
      30s);
  ASSERT_GE(resumed_after_s, 0) << "streaming never resumed after re-plugging";
  EXPECT_LT(resumed_after_s, 2.0);
  EXPECT_NE(simulator.port_path(), first_port);
  const ConnectionStatus st = d.status();
  EXPECT_EQ(st.port, simulator.port_path());
  EXPECT_EQ(st.reconnects, 1u);
  EXPECT_EQ(st.times_lost, 1u);
  EXPECT_FALSE(st.lost);
  EXPECT_EQ(lost_events.load(), 1);
  EXPECT_EQ(found_events.load(), 1);
  // The gap covers the time away: about 0.7 s or more of 2 ms samples, marked as estimated.
  EXPECT_GT(gap_sample.gap_before, 300u);
  EXPECT_EQ(st.samples_missing, 0u);  // nothing the device numbered in one stretch was lost
  EXPECT_EQ(st.samples_missing_estimated, gap_sample.gap_before);
}

TEST(Reconnect, DeviceGoesSilent_ReportedLostWithinTheTimeout) {
  sim::SimulatorConfig cfg;
  cfg.faults.stall_at_s = 0.5;
  cfg.faults.stall_s = 60;  // hangs, port stays open
  sim::Simulator simulator(cfg);
  simulator.start();
  ConnectionOptions o{simulator.port_path()};
  o.no_data_timeout = 300ms;
  o.find_ports = [](const std::string&) { return std::vector<std::string>{}; };  // nowhere to look
  DeviceConnection d(o);
  d.connect();
  d.start_streaming();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!d.status().lost && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  const ConnectionStatus st = d.status();
  EXPECT_TRUE(st.lost);
  EXPECT_NE(st.last_error.find("no data"), std::string::npos) << st.last_error;
}

TEST(Reconnect, AnotherPlateOnTheCandidatePort_IsNotTakenForTheLostOne) {
  sim::SimulatorConfig a_cfg;
  a_cfg.serial = "PLATE-A";
  sim::Simulator a(a_cfg);
  a.start();
  sim::SimulatorConfig b_cfg;
  b_cfg.serial = "PLATE-B";
  sim::Simulator b(b_cfg);
  b.start();
  ConnectionOptions o{a.port_path()};
  o.find_ports = [&](const std::string&) { return std::vector<std::string>{b.port_path()}; };
  DeviceConnection d(o);
  d.connect();
  d.start_streaming();
  a.unplug();
  std::this_thread::sleep_for(1500ms);
  const ConnectionStatus st = d.status();
  EXPECT_TRUE(st.lost);
  EXPECT_EQ(st.reconnects, 0u);
  EXPECT_EQ(d.device().serial, "PLATE-A");
}

TEST(WrongBaud, HostOpensAtAnotherSpeed_NoValidFramesErrorNamingTheSpeed) {
  sim::SimulatorConfig cfg;
  cfg.baud = 921600;
  sim::Simulator simulator(cfg);
  simulator.start();
  ConnectionOptions o{simulator.port_path(), 115200, 800ms};
  DeviceConnection d(o);
  try {
    d.connect();
    FAIL() << "connected at the wrong speed";
  } catch (const AcquisitionError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("no valid frames"), std::string::npos) << msg;
    EXPECT_NE(msg.find("115200"), std::string::npos) << msg;
  }
  // ...and at the right speed the same device answers.
  DeviceConnection right(ConnectionOptions{simulator.port_path(), 921600});
  try {
    EXPECT_EQ(right.connect().serial, "SIM-0001");
  } catch (const AcquisitionError& e) {
    ADD_FAILURE() << e.what() << " simulator running " << simulator.running();
  }
}

TEST(Discovery, TwoPlatesOnTwoPorts_EachFoundByItsSerialNumberAndProbed) {
  sim::SimulatorConfig a_cfg;
  a_cfg.serial = "LEFT-PLATE";
  sim::Simulator a(a_cfg);
  a.start();
  sim::SimulatorConfig b_cfg;
  b_cfg.serial = "RIGHT-PLATE";
  b_cfg.rate_hz = 1000;
  sim::Simulator b(b_cfg);
  b.start();
  const std::vector<std::string> ports{a.port_path(), b.port_path()};
  EXPECT_EQ(find_port_by_serial("RIGHT-PLATE", 921600, ports), b.port_path());
  EXPECT_EQ(find_port_by_serial("LEFT-PLATE", 921600, ports), a.port_path());
  EXPECT_FALSE(find_port_by_serial("NOBODY", 921600, ports).has_value());
  const auto probed = probe_port(b.port_path());
  ASSERT_TRUE(probed.has_value());
  EXPECT_DOUBLE_EQ(probed->current_rate_hz, 1000);
  EXPECT_FALSE(probe_port("/dev/ttyNOTHERE").has_value());
}

}  // namespace
}  // namespace fp::acq
