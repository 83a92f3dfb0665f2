#pragma once
// A connected, streaming plate for the live view: either a serial port, or the built-in simulator
// reached through the real serial path (a Simulator on a pseudo-terminal, then a DeviceConnection to
// its port). No Qt here: the window opens one on a worker thread (opening blocks for up to the
// reply timeout) and then drains it from the GUI thread.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/simulator/simulator.hpp"

namespace fp::gui {

struct SourceSpec {
  bool simulator = false;
  std::string path;               // serial port, when not the simulator
  sim::SimulatorConfig simulator_config;
  // Optional: called after the device answered and before it streams (on the connecting thread),
  // e.g. for a recorder to subscribe its own lossless ring to the same connection.
  std::function<void(acq::DeviceConnection&)> before_streaming = {};
};

class LiveSource {
 public:
  // Blocking. Starts the simulator if asked for, connects, subscribes a lossy display ring of about
  // `ring_seconds` of samples (at least 2048) and starts streaming. Throws std::exception with a
  // message meant for the user (it names the port and the problem).
  explicit LiveSource(const SourceSpec& spec, double ring_seconds = 1.0);
  // Stops streaming, closes the port, stops the simulator.
  ~LiveSource();
  LiveSource(const LiveSource&) = delete;
  LiveSource& operator=(const LiveSource&) = delete;

  const acq::DeviceDescription& device() const { return device_; }
  bool is_simulator() const { return simulator_ != nullptr; }
  const std::string& port() const { return port_; }

  // Appends what the acquisition thread has delivered since the last call (consumer side of the
  // ring: call from one thread only). Returns how many samples were appended.
  std::size_t drain(std::vector<acq::Sample>& out);
  acq::ConnectionStatus status() const { return connection_->status(); }

  // For what needs the device itself (the trial runner's lossless ring and tare, the calibration
  // wizard, which stops and restarts streaming) and, with the simulator, its load (place_load).
  acq::DeviceConnection& connection() { return *connection_; }
  sim::Simulator* simulator() { return simulator_.get(); }

 private:
  std::unique_ptr<sim::Simulator> simulator_;        // destroyed last
  std::unique_ptr<acq::DeviceConnection> connection_;
  std::shared_ptr<acq::SampleRing> ring_;
  acq::DeviceDescription device_;
  std::string port_;
};

}  // namespace fp::gui
